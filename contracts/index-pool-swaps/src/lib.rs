//! # `IndexPoolSwaps` — the Index pool's swaps
//!
//! Not called directly: `IndexPool` runs this code by `DELEGATECALL` for
//! `swapExactAmountIn` and `swapExactAmountOut`, in the pool's storage with the pool's caller
//! and value (see [`index_pool_shared`] for the split, the logic and the checks). It decodes
//! the calldata with [`index_pool_shared::dispatch::swaps`]. Called directly, it acts on its
//! own empty storage, where no pool is finalized, so every swap reverts.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "export-abi", allow(missing_docs))]
#![cfg_attr(
    not(test),
    deny(
        clippy::arithmetic_side_effects,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
extern crate alloc;

use index_pool_shared::{dispatch, IndexPoolState};
use stylus_sdk::{prelude::*, ArbResult};

/// The pool's swaps (same storage layout as `IndexPool`).
#[entrypoint]
#[storage]
pub struct IndexPoolSwaps {
    state: IndexPoolState,
}

#[public]
impl IndexPoolSwaps {
    /// Every call: `swapExactAmountIn` and `swapExactAmountOut`.
    ///
    /// # Errors
    /// The swap's named errors; empty revert data for another selector, malformed arguments
    /// or value sent with the call.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        dispatch::swaps(&mut self.state, calldata)
    }
}
