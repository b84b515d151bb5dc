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

use alloc::vec::Vec;

use alloy_primitives::{Address, I256, U256};
use alloy_sol_types::SolCall;
use strata_common::env;
use stylus_sdk::call::RawCall;

use crate::Error;

mod abi {
    #![allow(missing_docs)]
    alloy_sol_types::sol! {
        function swapInput(uint8 dir, uint256 quoteAmount, uint256 baseAmountLimit, bool canOverFluctuationLimit) external returns (uint256);
        function swapOutput(uint8 dir, uint256 baseAmount, uint256 quoteAmountLimit) external returns (uint256);
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
/// vAMM `swapOutput(uint8,uint256,uint256)`.
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

/// A value that is one ABI word.
pub(crate) trait Word {
    /// The 32-byte word as a `U256`.
    fn word(self) -> U256;
}

impl Word for U256 {
    fn word(self) -> U256 {
        self
    }
}

impl Word for I256 {
    fn word(self) -> U256 {
        self.into_raw()
    }
}

impl Word for u8 {
    fn word(self) -> U256 {
        U256::from(self)
    }
}

impl Word for bool {
    fn word(self) -> U256 {
        U256::from(u8::from(self))
    }
}

/// `selector ‖ words`: the ABI encoding of a call or custom error whose
/// arguments are all static types. Not inlined: one copy serves every site.
#[inline(never)]
pub(crate) fn encode(selector: [u8; 4], words: &[U256]) -> Vec<u8> {
    let mut data = Vec::with_capacity(words.len().saturating_mul(32).saturating_add(4));
    data.extend_from_slice(&selector);
    for word in words {
        data.extend_from_slice(&word.to_be_bytes::<32>());
    }
    data
}

/// A word read back as an `int256`.
pub(crate) fn int(word: U256) -> I256 {
    I256::from_raw(word)
}

/// Return data of a successful call.
pub(crate) struct Returned(Vec<u8>);

impl Returned {
    /// The first `N` words; data too short to hold them is the callee's failure.
    #[inline(never)]
    pub(crate) fn words<const N: usize>(&self) -> Result<[U256; N], crate::BoxErr> {
        let mut out = [U256::ZERO; N];
        for (i, word) in out.iter_mut().enumerate() {
            let start = i.saturating_mul(32);
            let bytes = self.0.get(start..start.saturating_add(32));
            *word = U256::from_be_slice(
                bytes.ok_or_else(|| alloc::boxed::Box::new(Error::External(self.0.clone())))?,
            );
        }
        Ok(out)
    }

    /// The first word as a `uint256`.
    pub(crate) fn uint(&self) -> Result<U256, crate::BoxErr> {
        let [word] = self.words()?;
        Ok(word)
    }
}

/// Calls `selector(args…)` on `target`; `view` makes it a static call. Not inlined:
/// one copy serves every call site.
#[inline(never)]
pub(crate) fn call(
    target: Address,
    selector: [u8; 4],
    args: &[U256],
    view: bool,
) -> Result<Returned, crate::BoxErr> {
    let data = encode(selector, args);
    let raw = if view { RawCall::new_static() } else { RawCall::new().flush_storage_cache() };
    // SAFETY: no storage reference is held across the call, the storage cache is
    // flushed before a mutating call, and the callee (a vAMM) never calls back
    // into the engine or the clearing house (Stylus would revert it anyway).
    let status = unsafe { raw.skip_return_data().call(target, &data) };
    let returned = env::return_data_prefix(MAX_RETURN);
    match status {
        Ok(_) => Ok(Returned(returned)),
        Err(_) => Err(alloc::boxed::Box::new(Error::External(returned))),
    }
}
