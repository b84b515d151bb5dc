//! The valuer's reads, hand-encoded with `strata_common::{abi, call}`.
//!
//! Every read the valuer makes (oracle TWAPs and values, token supplies,
//! balances and decimals, vault assets) takes static words and returns one
//! word, so the shared encoder and one static call serve them all. This replaces the
//! per-function code that `sol_interface!` generates, which the valuer cannot
//! afford under the Stylus size limit. The selectors come from `sol!`
//! declarations of the standard signatures and are checked in the unit tests.

use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::SolCall;
use strata_common::{abi, call};

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

/// Static-calls `target` with `selector ++ words` and returns the first word of the answer
/// (at most one word is copied); `Err` carries the selector of the error it reverted with
/// (zero for no error data, a short answer, or a target without code).
pub(crate) fn view(
    target: Address,
    selector: [u8; 4],
    words: &[U256],
) -> Result<U256, FixedBytes<4>> {
    let answer = call::call_contract(target, &abi::encode(&selector, words), true, abi::WORD)
        .map_err(|revert| abi::selector_of(&revert))?;
    abi::Args(&answer).uint(0).ok_or(FixedBytes::ZERO)
}
