//! The clearing house's calls to its engine and the vault.
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
//! ([`Error::External`]), so integrators see the vAMM's or the vault's own
//! named error. Return data is read as a bounded prefix (a return-data bomb
//! cannot make the clearing house copy unbounded memory).

use alloc::{boxed::Box, vec::Vec};

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;

use crate::{BoxErr, Error};

mod abi {
    #![allow(missing_docs)]
    alloy_sol_types::sol! {
        function openPosition(address amm, int256 size, uint256 margin, uint256 openNotional, int256 lastCpf, int256 cpf, uint8 side, uint256 marginIn, uint256 leverage, uint256 scale, uint256 baseLimit, uint256 openInterest, uint256 liquidationFeeRatio) external;
        function closePosition(address amm, int256 size, uint256 margin, uint256 openNotional, int256 lastCpf, int256 cpf, uint256 ratio, uint256 quoteLimit, uint256 partialLiquidationRatio) external;
        function liquidatePosition(address amm, int256 size, uint256 margin, uint256 openNotional, int256 lastCpf, int256 cpf, uint256 liquidationFeeRatio, uint256 partialLiquidationRatio, uint256 spreadLimitRatio) external;
        function settleFunding(address amm) external returns (int256, int256);
        function adjustK(address amm, uint256 multiplier) external returns (int256);
        function getMarginRatios(address amm, int256 size, uint256 margin, uint256 openNotional, int256 lastCpf, int256 cpf, uint256 initMarginRatio, uint256 liquidationFeeRatio, uint256 spreadLimitRatio) external view returns (int256, int256, int256, int256, int256);
        function getMarginAfterRemoval(address amm, int256 size, uint256 margin, uint256 openNotional, int256 lastCpf, int256 cpf, uint256 amount, uint256 initMarginRatio, uint256 scale) external view returns (int256, int256, int256, int256, uint256);
        function floorAmount(uint256 amount, uint256 scale) external view returns (uint256);
        function getFundingPayment(int256 size, uint256 margin, int256 lastCpf, int256 cpf) external view returns (uint256, uint256, int256);
        function getPositionNotionalAndUnrealizedPnl(address amm, int256 size, uint256 openNotional, uint8 pnlCalcOption) external view returns (uint256, int256);
        function settleTrader(address trader, int256 marginDelta, uint256 toll, uint256 spread) external;
        function transferInsurance(int256 poolToInsurance) external;
        function sweepPool() external;
        function quoteScale() external view returns (uint256);
    }
}

/// engine `openPosition(…)`: the trade, the margin ratio after it and the floored margin (15 words).
pub(crate) const OPEN_POSITION: [u8; 4] = abi::openPositionCall::SELECTOR;
/// engine `closePosition(…)`: the trade (13 words).
pub(crate) const CLOSE_POSITION: [u8; 4] = abi::closePositionCall::SELECTOR;
/// engine `liquidatePosition(…)`: the trade and the liquidation split (19 words).
pub(crate) const LIQUIDATE_POSITION: [u8; 4] = abi::liquidatePositionCall::SELECTOR;
/// engine `settleFunding(address)`.
pub(crate) const SETTLE_FUNDING: [u8; 4] = abi::settleFundingCall::SELECTOR;
/// engine `adjustK(address,uint256)`.
pub(crate) const ADJUST_K: [u8; 4] = abi::adjustKCall::SELECTOR;
/// engine `getMarginRatios(…)`.
pub(crate) const GET_MARGIN_RATIOS: [u8; 4] = abi::getMarginRatiosCall::SELECTOR;
/// engine `getMarginAfterRemoval(…)`.
pub(crate) const GET_MARGIN_AFTER_REMOVAL: [u8; 4] = abi::getMarginAfterRemovalCall::SELECTOR;
/// engine `floorAmount(uint256,uint256)`.
pub(crate) const FLOOR_AMOUNT: [u8; 4] = abi::floorAmountCall::SELECTOR;
/// engine `getFundingPayment(int256,uint256,int256,int256)`.
pub(crate) const GET_FUNDING_PAYMENT: [u8; 4] = abi::getFundingPaymentCall::SELECTOR;
/// engine `getPositionNotionalAndUnrealizedPnl(…)`.
pub(crate) const GET_POSITION_NOTIONAL: [u8; 4] =
    abi::getPositionNotionalAndUnrealizedPnlCall::SELECTOR;
/// vault `settleTrader(address,int256,uint256,uint256)`.
pub(crate) const SETTLE_TRADER: [u8; 4] = abi::settleTraderCall::SELECTOR;
/// vault `transferInsurance(int256)`.
pub(crate) const TRANSFER_INSURANCE: [u8; 4] = abi::transferInsuranceCall::SELECTOR;
/// vault `sweepPool()`.
pub(crate) const SWEEP_POOL: [u8; 4] = abi::sweepPoolCall::SELECTOR;
/// vault `quoteScale()`.
pub(crate) const QUOTE_SCALE: [u8; 4] = abi::quoteScaleCall::SELECTOR;

/// Longest return or revert data read: a selector and nineteen words (the
/// engine's liquidation result).
const MAX_RETURN: usize = 4 + 32 * 19;

pub(crate) use strata_common::abi::{int, Word};

/// Return data of a successful call.
pub(crate) struct Returned(Vec<u8>);

impl Returned {
    /// The first `N` words; data too short to hold them is the callee's failure.
    pub(crate) fn words<const N: usize>(self) -> Result<[U256; N], BoxErr> {
        strata_common::abi::read_words(self.0).map_err(|data| Box::new(Error::External(data)))
    }

    /// The first word as a `uint256`.
    pub(crate) fn uint(self) -> Result<U256, BoxErr> {
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
) -> Result<Returned, BoxErr> {
    strata_common::call::call_words(target, selector, args, view, MAX_RETURN)
        .map(Returned)
        .map_err(|data| Box::new(Error::External(data)))
}
