//! # `IndexPoolAdmin` — the Index pool's controller functions and less-used views
//!
//! Not called directly: `IndexPool` runs this code by `DELEGATECALL` for the controller
//! functions, the less-used views and any unknown selector, in the pool's storage with the pool's caller and value (see
//! [`index_pool_shared`] for the split and the logic). It decodes the calldata with
//! [`index_pool_shared::dispatch::admin`] (the functions of
//! [`index_pool_shared::abi::admin`]). Called directly, it acts on its own empty storage,
//! where no controller is set, so every controller function reverts with
//! `IndexPoolNotController`.
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

/// The pool's controller functions (same storage layout as `IndexPool`).
#[entrypoint]
#[storage]
pub struct IndexPoolAdmin {
    state: IndexPoolState,
}

#[public]
impl IndexPoolAdmin {
    /// Every call: the controller functions and the less-used views run here. Payable for
    /// `callVoting`; every other function rejects value.
    ///
    /// # Errors
    /// The function's named errors; empty revert data for an unknown selector, malformed
    /// arguments or value sent to a non-payable function.
    #[fallback]
    #[payable]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        dispatch::admin(&mut self.state, calldata)
    }
}
