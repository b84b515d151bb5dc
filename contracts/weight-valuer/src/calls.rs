//! The valuer's reads, ABI-encoded by hand.
//!
//! Every read the valuer makes (oracle TWAPs and values, token supplies,
//! balances and decimals, vault assets) takes static words and returns one
//! word, so one encoder and one static call serve them all. This replaces the
//! per-function code that `sol_interface!` generates, which the valuer cannot
//! afford under the Stylus size limit. The selectors come from `sol!`
//! declarations of the standard signatures and are checked in the unit tests.

use alloc::vec::Vec;

use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::SolCall;
use stylus_sdk::call::RawCall;

mod sigs {
    #![allow(missing_docs)]
    alloy_sol_types::sol! {
        function getTwap(address asset, uint256 window) external view returns (uint256);
        function getValue(bytes32 kind, address asset) external view returns (uint256);
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function decimals() external view returns (uint8);
        function asset() external view returns (address);
        function totalAssets() external view returns (uint256);
    }
}

/// `getTwap(address,uint256)` (power-oracle).
pub(crate) const GET_TWAP: [u8; 4] = sigs::getTwapCall::SELECTOR;
/// `getValue(bytes32,address)` (power-oracle).
pub(crate) const GET_VALUE: [u8; 4] = sigs::getValueCall::SELECTOR;
/// `totalSupply()` (ERC-20).
pub(crate) const TOTAL_SUPPLY: [u8; 4] = sigs::totalSupplyCall::SELECTOR;
/// `balanceOf(address)` (ERC-20).
pub(crate) const BALANCE_OF: [u8; 4] = sigs::balanceOfCall::SELECTOR;
/// `decimals()` (ERC-20).
pub(crate) const DECIMALS: [u8; 4] = sigs::decimalsCall::SELECTOR;
/// `asset()` (ERC-4626).
pub(crate) const ASSET: [u8; 4] = sigs::assetCall::SELECTOR;
/// `totalAssets()` (ERC-4626).
pub(crate) const TOTAL_ASSETS: [u8; 4] = sigs::totalAssetsCall::SELECTOR;

const WORD: usize = 32;

/// An address as an ABI word.
pub(crate) fn addr(a: Address) -> U256 {
    U256::from_be_slice(a.as_slice())
}

/// Static-calls `target` with `selector ++ words` and returns the first
/// word of the answer; `Err` carries the selector of the error it reverted
/// with (zero for no error data, a short answer, or a target without code).
pub(crate) fn view(
    target: Address,
    selector: [u8; 4],
    words: &[U256],
) -> Result<U256, FixedBytes<4>> {
    if !strata_common::env::has_code(target) {
        return Err(FixedBytes::ZERO);
    }
    let mut data = Vec::with_capacity(words.len().saturating_mul(WORD).saturating_add(4));
    data.extend_from_slice(&selector);
    for w in words {
        data.extend_from_slice(&w.to_be_bytes::<WORD>());
    }
    // SAFETY: a static call cannot write state or re-enter with writes.
    let answer = unsafe { RawCall::new_static().call(target, &data) }.map_err(|revert| {
        FixedBytes(revert.get(..4).and_then(|s| <[u8; 4]>::try_from(s).ok()).unwrap_or_default())
    })?;
    answer.get(..WORD).map(U256::from_be_slice).ok_or(FixedBytes::ZERO)
}
