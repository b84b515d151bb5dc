//! The engine's calls to the vAMMs.
//!
//! Every argument and return value of these calls is a static ABI type
//! (`uint256`, `int256`, `uint8`, `bool`, `address`): one 32-byte word each.
//! One small encoder and decoder therefore serve all of them, instead of a
//! generated `sol_interface!` binding per function (about 600 bytes of WASM
//! each — the clearing house is the system's size risk). The selectors come
//! from `sol!` declarations, so a typo in a signature cannot compile into a
//! wrong selector silently: the tests exercise every call.
//!
//! A failed call's revert data is passed through unchanged
//! ([`Error::External`]), so integrators see the vAMM's own named error.
//! Return data is read as a bounded prefix (a return-data bomb cannot make
//! the engine copy unbounded memory).

use alloc::{boxed::Box, vec::Vec};

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;

use crate::Error;

mod abi {
    #![allow(missing_docs)]
    alloy_sol_types::sol! {
        function swapInput(uint8 dir, uint256 quoteAmount, uint256 baseAmountLimit, bool canOverFluctuationLimit) external returns (uint256);
        function swapOutput(uint8 dir, uint256 baseAmount, uint256 quoteAmountLimit, bool skipFluctuationCheck) external returns (uint256);
        function settleFunding() external returns (int256);
        function adjustK(uint256 multiplier) external returns (uint256, uint256);
        function getReserves() external view returns (uint256, uint256);
        function getInputPrice(uint8 dir, uint256 quoteAmount) external view returns (uint256);
        function getOutputPrice(uint8 dir, uint256 baseAmount) external view returns (uint256);
        function getOutputTwap(uint8 dir, uint256 baseAmount) external view returns (uint256);
        function getSpotPrice() external view returns (uint256);
        function getUnderlyingPrice() external view returns (uint256);
        function calcFee(uint256 quoteAmount) external view returns (uint256, uint256);
        function getCaps() external view returns (uint256, uint256);
        function totalPositionSize() external view returns (int256);
        function isOverFluctuationLimit(uint8 dir, uint256 baseAmount) external view returns (bool);
    }
}

/// vAMM `swapInput(uint8,uint256,uint256,bool)`.
pub(crate) const SWAP_INPUT: [u8; 4] = abi::swapInputCall::SELECTOR;
/// vAMM `swapOutput(uint8,uint256,uint256,bool)`.
pub(crate) const SWAP_OUTPUT: [u8; 4] = abi::swapOutputCall::SELECTOR;
/// vAMM `settleFunding()`.
pub(crate) const SETTLE_FUNDING: [u8; 4] = abi::settleFundingCall::SELECTOR;
/// vAMM `adjustK(uint256)`.
pub(crate) const ADJUST_K: [u8; 4] = abi::adjustKCall::SELECTOR;
/// vAMM `getReserves()`.
pub(crate) const GET_RESERVES: [u8; 4] = abi::getReservesCall::SELECTOR;
/// vAMM `getInputPrice(uint8,uint256)`.
pub(crate) const GET_INPUT_PRICE: [u8; 4] = abi::getInputPriceCall::SELECTOR;
/// vAMM `getOutputPrice(uint8,uint256)`.
pub(crate) const GET_OUTPUT_PRICE: [u8; 4] = abi::getOutputPriceCall::SELECTOR;
/// vAMM `getOutputTwap(uint8,uint256)`.
pub(crate) const GET_OUTPUT_TWAP: [u8; 4] = abi::getOutputTwapCall::SELECTOR;
/// vAMM `getSpotPrice()`.
pub(crate) const GET_SPOT_PRICE: [u8; 4] = abi::getSpotPriceCall::SELECTOR;
/// vAMM `getUnderlyingPrice()`.
pub(crate) const GET_UNDERLYING_PRICE: [u8; 4] = abi::getUnderlyingPriceCall::SELECTOR;
/// vAMM `calcFee(uint256)`.
pub(crate) const CALC_FEE: [u8; 4] = abi::calcFeeCall::SELECTOR;
/// vAMM `getCaps()`.
pub(crate) const GET_CAPS: [u8; 4] = abi::getCapsCall::SELECTOR;
/// vAMM `totalPositionSize()`.
pub(crate) const TOTAL_POSITION_SIZE: [u8; 4] = abi::totalPositionSizeCall::SELECTOR;

/// vAMM `isOverFluctuationLimit(uint8,uint256)`.
pub(crate) const IS_OVER_FLUCTUATION_LIMIT: [u8; 4] = abi::isOverFluctuationLimitCall::SELECTOR;

/// Longest return or revert data read: a selector and six words.
const MAX_RETURN: usize = 4 + 32 * 6;

pub(crate) use strata_common::abi::{int, Word};

/// Return data of a successful call.
pub(crate) struct Returned(Vec<u8>);

impl Returned {
    /// The first `N` words; data too short to hold them is the callee's failure.
    pub(crate) fn words<const N: usize>(self) -> Result<[U256; N], crate::BoxErr> {
        strata_common::abi::read_words(self.0).map_err(|data| Box::new(Error::External(data)))
    }

    /// The first word as a `uint256`.
    pub(crate) fn uint(self) -> Result<U256, crate::BoxErr> {
        let [word] = self.words()?;
        Ok(word)
    }
}

/// Calls `selector(args…)` on `target` (`view`: a static call) through
/// `strata_common::call::call_words`; a failure's revert data becomes [`Error::External`].
pub(crate) fn call(
    target: Address,
    selector: [u8; 4],
    args: &[U256],
    view: bool,
) -> Result<Returned, crate::BoxErr> {
    strata_common::call::call_words(target, selector, args, view, MAX_RETURN)
        .map(Returned)
        .map_err(|data| Box::new(Error::External(data)))
}
