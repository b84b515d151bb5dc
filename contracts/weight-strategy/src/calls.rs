//! The strategy's calls to the pool and the valuer, hand-encoded with
//! `strata_common::{abi, call}`.
//!
//! Every argument and return value the strategy exchanges is a 32-byte word
//! (`address`, `uint256`, `bool`) or a dynamic array of words, so the shared
//! encoders and strict reader serve all of them. This replaces the per-function code
//! that `sol_interface!` generates (several KiB of WASM), which the
//! strategy cannot afford under the Stylus size limit. The selectors come from
//! `sol!` declarations of the spec signatures (`index-pool ABI` and
//! `weight-valuer`) and are checked against them in the unit tests; the
//! bindings for other callers are `strata_common::interfaces::{IIndexPool,
//! IWeightValuer}`.

use alloc::vec::Vec;

use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::SolCall;
use strata_common::{
    abi::{self, Value, Word},
    call,
};

pub(crate) mod sigs {
    #![allow(missing_docs, clippy::pub_underscore_fields)]
    alloy_sol_types::sol! {
        function getCurrentTokens() external view returns (address[] memory);
        function getDenormalizedWeight(address token) external view returns (uint256);
        function getDynamicWeightSettings(address token) external view returns (uint256 fromTimestamp, uint256 targetTimestamp, uint256 fromWeight, uint256 targetWeight);
        function setDynamicWeight(address token, uint256 targetWeight, uint256 fromTimestamp, uint256 targetTimestamp) external;
        function setWeightPerSecondBounds(uint256 minWeightPerSecond, uint256 maxWeightPerSecond) external;
        function bind(address token, uint256 balance, uint256 targetWeight, uint256 fromTimestamp, uint256 targetTimestamp) external;
        function unbind(address token) external;
        function getTargets(address[] tokens) external view returns (uint256[] memory);
        function isConfigured(address token) external view returns (bool);
    }
}

/// `getCurrentTokens()`.
pub(crate) const GET_CURRENT_TOKENS: [u8; 4] = sigs::getCurrentTokensCall::SELECTOR;
/// `getDenormalizedWeight(address)`.
pub(crate) const GET_DENORMALIZED_WEIGHT: [u8; 4] = sigs::getDenormalizedWeightCall::SELECTOR;
/// `getDynamicWeightSettings(address)`.
pub(crate) const GET_DYNAMIC_WEIGHT_SETTINGS: [u8; 4] =
    sigs::getDynamicWeightSettingsCall::SELECTOR;
/// `setDynamicWeight(address,uint256,uint256,uint256)`.
pub(crate) const SET_DYNAMIC_WEIGHT: [u8; 4] = sigs::setDynamicWeightCall::SELECTOR;
/// `setWeightPerSecondBounds(uint256,uint256)`.
pub(crate) const SET_WEIGHT_PER_SECOND_BOUNDS: [u8; 4] =
    sigs::setWeightPerSecondBoundsCall::SELECTOR;
/// `bind(address,uint256,uint256,uint256,uint256)`.
pub(crate) const BIND: [u8; 4] = sigs::bindCall::SELECTOR;
/// `unbind(address)`.
pub(crate) const UNBIND: [u8; 4] = sigs::unbindCall::SELECTOR;
/// `getTargets(address[])`.
pub(crate) const GET_TARGETS: [u8; 4] = sigs::getTargetsCall::SELECTOR;
/// `isConfigured(address)`.
pub(crate) const IS_CONFIGURED: [u8; 4] = sigs::isConfiguredCall::SELECTOR;

/// `selector ++ (address[] items)`: the calldata of a function taking one address array.
pub(crate) fn encode_array(selector: [u8; 4], items: &[Address]) -> Vec<u8> {
    let words: Vec<U256> = items.iter().map(|&a| a.word()).collect();
    abi::encode_values(&selector, &[Value::Array(&words)])
}

/// Calls `target` with `data` (a static call when `view`); the return data, or the selector
/// of the error it reverted with. Answers are read whole: the pool and the valuer are the
/// owner's, and their longest answers are token lists.
pub(crate) fn call(target: Address, data: &[u8], view: bool) -> Result<Vec<u8>, FixedBytes<4>> {
    // Neither the pool nor the valuer calls the strategy back (see `strata_common::call`).
    call::call(target, data, view, call::UNBOUNDED).map_err(|revert| abi::selector_of(&revert))
}
