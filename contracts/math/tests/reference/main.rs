//! Reference tests for `strata-math`: published vectors from the anchors (PowerIndex,
//! Uniswap v3-core, Balancer v2) and proptests against an independent big-integer reference.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unreadable_literal,
    clippy::cast_possible_truncation,
    clippy::missing_panics_doc,
    missing_docs
)]

mod fuzz_full_math;
mod fuzz_log_exp;
mod fuzz_robustness;
mod fuzz_signed_wad;
mod fuzz_sqrt_price_math;
mod fuzz_swap_math;
mod fuzz_tick_math;
mod fuzz_weighted_math;
mod support;
mod weighted_vectors;
