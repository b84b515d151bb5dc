//! The router's calls to its pi-tokens, hand-encoded with `strata_common::{abi, call}`.
//!
//! Every argument and return value is one 32-byte word except `callVoting`'s `bytes`, so the
//! shared encoders and word reader serve all of them (`sol_interface!` bindings cost several KiB
//! of compressed WASM). The selectors come from `sol!` declarations of the pi-token's
//! signatures (`interfaces/IPiToken.sol`); `test/index` checks them against the pi-token's
//! own ABI module.

use alloc::vec::Vec;

use alloy_primitives::{Address, FixedBytes, U256};
use strata_common::{abi, call};

pub(crate) mod sigs {
    #![allow(missing_docs, clippy::pub_underscore_fields)]
    alloy_sol_types::sol! {
        function getReserveState() external view returns (uint256 reserve, uint256 staked, uint256 venueCheckpoint, uint256 venueLiquidity);
        function reserveRatio() external view returns (uint256);
        function stake(uint256 amount) external returns (uint256 shares);
        function unstake(uint256 amount) external returns (uint256 received);
        function harvest(uint256 feeRate, address receiver) external returns (uint256 gain, uint256 fee, uint256 feePiAmount);
        function setReserveRatio(uint256 ratio) external;
        function setRouter(address newRouter) external;
        function setVenue(address newVenue) external;
        function setVotingAllowed(address target, bytes4 selector, bool allowed) external;
        function callVoting(address target, bytes4 selector, bytes calldata args) external;
    }
}

pub(crate) use sigs::{
    callVotingCall, getReserveStateCall, harvestCall, reserveRatioCall, setReserveRatioCall,
    setRouterCall, setVenueCall, setVotingAllowedCall, stakeCall, unstakeCall,
};

/// Why a call failed: the selector of the callee's error (zero when it gave none or
/// answered malformed data).
pub(crate) type Reason = FixedBytes<4>;

/// Bytes of an answer read: the longest, `getReserveState`, is four words.
const MAX_RETURN: usize = 4 * abi::WORD;

/// Calls `target` (a static call when `view`): its return data, or the selector of the
/// error it reverted with. A target without code fails.
pub(crate) fn call(target: Address, data: &[u8], view: bool) -> Result<Vec<u8>, Reason> {
    // A pi-token never calls its router back (calls go router -> pi-token -> venue); see
    // `strata_common::call`.
    call::call_contract(target, data, view, MAX_RETURN).map_err(|revert| abi::selector_of(&revert))
}

/// Word `index` of ABI-encoded return data.
pub(crate) fn word(data: &[u8], index: usize) -> Result<U256, Reason> {
    abi::Args(data).uint(index).ok_or(Reason::ZERO)
}
