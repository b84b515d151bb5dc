//! # `IndexPool` — the Index system's weighted pool (entry point)
//!
//! The pool's address: integrators and the controller call every function of
//! `interfaces/IIndexPool.sol` here. This contract holds the storage and serves the ERC-20
//! share token, `gulp` and the views that need no weight math; every other selector goes by
//! `DELEGATECALL` to the part that serves it — `IndexPoolSwaps` (swaps, weight and price
//! views), `IndexPoolLiquidity` (joins and exits) or `IndexPoolAdmin` (controller functions)
//! — which runs in this contract's context. The pow-based formulas are static calls to the
//! `WeightedMath` library. The split, the logic, formulas, rounding, fees and checks are
//! documented in [`index_pool_shared`]; deployment and a worked example are in this crate's
//! `README.md`.
//!
//! Every call, including this contract's own functions, is decoded by
//! [`index_pool_shared::dispatch::core`]. Time-dependent functions read the clock once and
//! call the `*_at(now, ..)` methods of [`IndexPoolState`] (reachable from `IndexPool` by
//! `Deref`), which tests drive directly.
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

use core::ops::{Deref, DerefMut};

pub use index_pool_shared::*;
use stylus_sdk::{
    alloy_primitives::{Address, FixedBytes, U256},
    prelude::*,
    ArbResult,
};

/// The pool: share token, views, `gulp`; the rest by delegation.
#[entrypoint]
#[storage]
pub struct IndexPool {
    state: IndexPoolState,
}

impl Deref for IndexPool {
    type Target = IndexPoolState;

    fn deref(&self) -> &IndexPoolState {
        &self.state
    }
}

impl DerefMut for IndexPool {
    fn deref_mut(&mut self) -> &mut IndexPoolState {
        &mut self.state
    }
}

#[public]
impl IndexPool {
    /// Sets the share token's name and symbol (zero-padded `bytes32`), the controller, the
    /// bounds on weight change per second, and the addresses of the pool's swaps, liquidity
    /// and admin parts and of the math library (fixed for the pool's life). The swap fee
    /// starts at `MIN_FEE`.
    ///
    /// # Errors
    /// `IndexPoolZeroAddress` for a zero address; `IndexPoolInvalidWeightPerSecondBounds`
    /// when `min > max`.
    ///
    /// # Events
    /// `ControllerSet`, `WeightPerSecondBoundsSet`, `SwapFeeSet`.
    #[constructor]
    #[allow(clippy::too_many_arguments, clippy::result_large_err)]
    pub fn constructor(
        &mut self,
        name: FixedBytes<32>,
        symbol: FixedBytes<32>,
        controller: Address,
        min_weight_per_second: U256,
        max_weight_per_second: U256,
        swaps: Address,
        liquidity: Address,
        admin: Address,
        math: Address,
    ) -> Result<(), Error> {
        let parts = Parts { swaps, liquidity, admin, math };
        self.state.init(
            name,
            symbol,
            controller,
            min_weight_per_second,
            max_weight_per_second,
            parts,
        )
    }

    /// Every call after deployment: the ERC-20 share, `gulp` and the simple views run here;
    /// every other selector goes by `DELEGATECALL` to `IndexPoolSwaps`,
    /// `IndexPoolLiquidity` or `IndexPoolAdmin` ([`index_pool_shared::dispatch`]). Payable
    /// so that `callVoting` can carry ETH; every non-payable function rejects value.
    ///
    /// # Errors
    /// The function's named errors; empty revert data for an unknown selector, malformed
    /// arguments or value sent to a non-payable function.
    #[fallback]
    #[payable]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        index_pool_shared::dispatch::core(&mut self.state, calldata)
    }
}

#[cfg(test)]
mod tests;
