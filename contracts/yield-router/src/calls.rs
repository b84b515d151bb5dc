//! The router's calls to its pi-tokens, ABI-encoded by hand.
//!
//! Every argument and return value is one 32-byte word except `callVoting`'s `bytes`, so one
//! encoder and one word reader serve all of them (`sol_interface!` bindings cost several KiB
//! of compressed WASM). The selectors come from `sol!` declarations of the pi-token's
//! signatures (`interfaces/IPiToken.sol`); `test/index` checks them against the pi-token's
//! own ABI module.

use alloc::vec::Vec;

use alloy_primitives::{Address, FixedBytes, U256};
use stylus_sdk::call::RawCall;

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

/// An address as an ABI word.
pub(crate) fn addr(a: Address) -> U256 {
    U256::from_be_slice(a.as_slice())
}

/// A `bytes4` as an ABI word (left-aligned).
pub(crate) fn bytes4(s: FixedBytes<4>) -> U256 {
    U256::from_be_bytes(alloy_primitives::B256::right_padding_from(s.as_slice()).0)
}

/// `selector ++ words ++ tail`.
pub(crate) fn encode(selector: [u8; 4], words: &[U256], tail: &[u8]) -> Vec<u8> {
    let mut data = Vec::with_capacity(words.len().saturating_mul(32).saturating_add(4));
    data.extend_from_slice(&selector);
    for w in words {
        data.extend_from_slice(&w.to_be_bytes::<32>());
    }
    data.extend_from_slice(tail);
    // Pad a dynamic tail to a whole word: (-len) mod 32 zero bytes.
    data.resize(data.len().saturating_add(tail.len().wrapping_neg() % 32), 0);
    data
}

/// Calls `target` (a static call when `view`): its return data, or the selector of the
/// error it reverted with.
pub(crate) fn call(target: Address, data: &[u8], view: bool) -> Result<Vec<u8>, Reason> {
    if !strata_common::env::has_code(target) {
        return Err(Reason::ZERO);
    }
    let raw = if view { RawCall::new_static() } else { RawCall::new().flush_storage_cache() };
    // SAFETY: a pi-token never calls its router back (calls go router -> pi-token -> venue),
    // and the storage cache is flushed before a mutating call.
    unsafe { raw.call(target, data) }.map_err(|revert| {
        FixedBytes(revert.get(..4).and_then(|s| <[u8; 4]>::try_from(s).ok()).unwrap_or_default())
    })
}

/// Word `index` of ABI-encoded return data.
pub(crate) fn word(data: &[u8], index: usize) -> Result<U256, Reason> {
    let start = index.checked_mul(32).ok_or(Reason::ZERO)?;
    data.get(start..start.saturating_add(32))
        .filter(|w| w.len() == 32)
        .map(U256::from_be_slice)
        .ok_or(Reason::ZERO)
}
