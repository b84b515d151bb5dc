//! The Infinity test suite: reference vectors, single-bin comparisons with Uniswap v3, error
//! paths, fuzz properties and stateful invariants (part 1: pool and positions).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unreadable_literal,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap,
    clippy::too_many_lines,
    clippy::similar_names,
    clippy::result_large_err,
    clippy::too_many_arguments,
    clippy::many_single_char_names,
    clippy::type_complexity,
    missing_docs,
    reason = "tests: panics are failures, values are bounded by the strategies"
)]

mod manager_anchor;
mod manager_fuzz;
mod manager_invariants;
mod manager_tests;
mod pool_abi;
mod pool_errors;
mod pool_fuzz;
mod pool_invariants;
mod pool_vectors;
mod unwind_progress;
