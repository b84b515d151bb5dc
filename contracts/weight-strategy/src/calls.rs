//! The strategy's calls to the pool and the valuer, ABI-encoded by hand.
//!
//! Every argument and return value the strategy exchanges is a 32-byte word
//! (`address`, `uint256`, `bool`) or a dynamic array of words, so one small
//! encoder and decoder serve all of them. This replaces the per-function code
//! that `sol_interface!` generates (several KiB of WASM), which the
//! strategy cannot afford under the Stylus size limit. The selectors come from
//! `sol!` declarations of the spec signatures (`index-pool ABI` and
//! `weight-valuer`) and are checked against them in the unit tests; the
//! bindings for other callers are `strata_common::interfaces::{IIndexPool,
//! IWeightValuer}`.

use alloc::vec::Vec;

use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::SolCall;
use stylus_sdk::call::RawCall;

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

const WORD: usize = 32;

/// An address as an ABI word.
pub(crate) fn addr(a: Address) -> U256 {
    U256::from_be_slice(a.as_slice())
}

/// `selector ++ words`: the calldata of a function whose arguments are all static words.
pub(crate) fn encode(selector: [u8; 4], words: &[U256]) -> Vec<u8> {
    let mut data = Vec::with_capacity(words.len().saturating_mul(WORD).saturating_add(4));
    data.extend_from_slice(&selector);
    for w in words {
        data.extend_from_slice(&w.to_be_bytes::<WORD>());
    }
    data
}

/// `selector ++ (address[] items)`: the calldata of a function taking one dynamic array.
pub(crate) fn encode_array(selector: [u8; 4], items: &[Address]) -> Vec<u8> {
    let mut words = Vec::with_capacity(items.len().saturating_add(2));
    words.push(U256::from(WORD));
    words.push(U256::from(items.len()));
    words.extend(items.iter().map(|&a| addr(a)));
    encode(selector, &words)
}

/// The selector of the error in revert data (zero when there is none).
pub(crate) fn selector_of(data: &[u8]) -> FixedBytes<4> {
    FixedBytes(data.get(..4).and_then(|s| <[u8; 4]>::try_from(s).ok()).unwrap_or_default())
}

/// Calls `target` with `data` (a static call when `view`); the return data,
/// or the selector of the error it reverted with.
pub(crate) fn call(target: Address, data: &[u8], view: bool) -> Result<Vec<u8>, FixedBytes<4>> {
    let raw = if view { RawCall::new_static() } else { RawCall::new().flush_storage_cache() };
    // SAFETY: neither the pool nor the valuer calls the strategy back, and the
    // storage cache is flushed before a mutating call so the callee (and any
    // view it makes) sees the strategy's current state.
    unsafe { raw.call(target, data) }.map_err(|revert| selector_of(&revert))
}

/// Word `index` of ABI-encoded return data.
pub(crate) fn word(data: &[u8], index: usize) -> Option<U256> {
    let start = index.checked_mul(WORD)?;
    let bytes = data.get(start..start.checked_add(WORD)?)?;
    Some(U256::from_be_slice(bytes))
}

/// A returned dynamic array of words (`uint256[]`, `address[]`): its head
/// offset, then length and items.
pub(crate) fn array(data: &[u8]) -> Option<Vec<U256>> {
    let offset = usize::try_from(word(data, 0)?).ok()?;
    if offset % WORD != 0 {
        return None;
    }
    let head = offset / WORD;
    let len = usize::try_from(word(data, head)?).ok()?;
    // Bound the length by the data actually returned before allocating.
    if len > data.len() / WORD {
        return None;
    }
    (1..=len).map(|i| word(data, head.checked_add(i)?)).collect()
}

/// A word as an address, when its top 12 bytes are zero.
pub(crate) fn to_address(w: U256) -> Option<Address> {
    (w.bit_len() <= 160).then(|| Address::from_word(FixedBytes(w.to_be_bytes::<WORD>())))
}
