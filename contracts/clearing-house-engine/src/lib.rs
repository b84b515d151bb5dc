//! Perp clearing-house engine — position math and trade execution on the
//! vAMMs, for the clearing house.
//!
//! # Why a separate contract (the seam)
//!
//! With every trader path, liquidation, funding and the margin rules in one
//! WASM, the clearing house does not fit the 24 KiB Stylus limit. It is split
//! along one seam:
//!
//! | contract | holds | does |
//! |---|---|---|
//! | `clearing-house` | all state (positions, markets, risk parameters, backstop liquidators, pause), the owner | every check of *policy* (listing, pause, restriction mode, leverage, margin rules, liquidation eligibility, the bad-debt gate), storage writes, money movements (through the vault) and the events |
//! | `clearing-house-engine` (this) | only the clearing house's address | *mechanics*: given a position, it trades on the vAMM and returns the new position; it values positions (SPOT / TWAP / ORACLE, margin ratios, free collateral) |
//!
//! The engine is the vAMMs' counterparty (their only swapper), and its
//! mutating functions accept calls from the clearing house only — so only
//! the clearing house (through its engine) moves reserves, and only the
//! clearing house writes positions. The engine has no storage besides the
//! clearing house's address, emits no events (the vAMM and the clearing
//! house do), and its views are pure functions of their arguments plus vAMM
//! views, usable as a lens by anyone.
//!
//! # ABI
//!
//! The functions are declared once in [`abi`] and served by a hand-written router
//! ([`router`], on `strata_common::abi`) instead of the SDK's generated one, which did not fit
//! the size budget; `test/perp/tests/abi.rs` calls every function of the exported
//! interface through it and decodes the answers with alloy. A position travels as
//! words and a trade comes back as the 13 words of [`TradeResult`].
//!
//! # Call graph
//!
//! `clearing-house → engine → vamm (→ power-oracle)`. The engine never calls
//! the clearing house; a vAMM never calls the engine. No call path re-enters a
//! contract already on the stack (Stylus reverts such calls).
//!
//! # Trades
//!
//! ```text
//! open, same side (or flat):  base = vamm.swapInput(BUY: ADD / SELL: REMOVE, notional)
//!                             margin += marginIn − funding, openNotional += notional
//! open, opposite, notional < position notional (reduce):
//!                             base = vamm.getInputPrice(side, notional)  (what `notional` trades)
//!                             decrease(base)
//! open, opposite, otherwise (reverse):
//!                             decrease(|size|), then open (notional − closed quote) at the same
//!                             leverage, margin = that / leverage
//! decrease(base):             quote = vamm.swapOutput(close dir, base)
//!                             realisedPnl = ⌊pnl · base / |size|⌋,  margin += realisedPnl − funding
//!                             openNotional' = notional − quote ∓ (pnl − realisedPnl)
//!                             (all of it: the margin is released, marginToVault = −margin)
//! funding                   = ⌈(CPF − lastCPF) · size⌉       (the trader pays; rounded up)
//! ```
//!
//! The vAMM's per-block fluctuation band (its module docs) binds the three kinds of
//! trade differently:
//!
//! - Opening trades — including the reduction or close inside an opposite-side
//!   `openPosition` — may not leave the band
//!   ([`ClearingHouseEngineOverFluctuationLimit`], or the vAMM's
//!   `VammOverFluctuationLimit`).
//! - A voluntary close (close, partial close) may leave it once per block, and a close
//!   that would leave it closes only `partialLiquidationRatio` of the position (when
//!   that is in (0, 1); Perp v1 `closePosition`), so one block's exceptional move is
//!   bounded by a share of one position.
//! - A liquidation (partial or full) is never held to the band and does not use the
//!   block's exceptional move (`swapOutput(…, skipFluctuationCheck = true)`), so no
//!   trade can make a keeper's liquidation revert for the rest of a block.
//!
//! Why liquidations are exempt (a deviation from the spec's "a close/liquidation may
//! exceed it once per block"): with the v1 rule, two colluders who act first in every
//! block could dump a pumped position onto a partner — the close leaves the band, and
//! every keeper's liquidation of the partner then reverts with
//! `VammAlreadyOverFluctuationLimit` for the rest of the block — until the partner's
//! loss passed its margin and the insurance fund paid the bad debt
//! (`test/perp/README.md`).
//!
//! Does the exemption open a new path? A liquidation moves the price by the
//! liquidated share of a *liquidatable* position, possibly beyond the band, and
//! colluders can trigger one (a partner's position that is due). Trading against that
//! move in the same block is bounded as before: opens and reductions must still end
//! inside the band around the previous block's last price (a dip below the band can
//! only be bought back up to its edge), and closes keep their one exceptional move,
//! which liquidations do not use. The fund is only ever drawn through the bad-debt
//! gate (a backstop liquidator), whatever moved the price.
//!
//! The position and open-interest caps apply when a position grows.
//!
//! # Valuation
//!
//! ```text
//! notional (SPOT)   = vamm.getOutputPrice(dir, |size|)     dir = ADD (long) / REMOVE (short)
//! notional (TWAP)   = vamm.getOutputTwap(dir, |size|)      (15 minutes)
//! notional (ORACLE) = ⌊|size| · indexPrice⌋
//! pnl               = notional − openNotional (long), openNotional − notional (short)
//! ratio(option)     = ⌊(marginWithFunding + pnl) / notional⌋                 (toward −∞)
//! maxPnlRatio       = ratio of the option (SPOT or TWAP) with the larger pnl (TWAP on a tie)
//! minPnlRatio       = ratio of the other one
//! protectedRatio    = SPOT ratio when it is below liquidationFeeRatio, else maxPnlRatio
//! liquidationRatio  = protectedRatio, or the ORACLE ratio when larger and
//!                     |spot − index| / index ≥ spreadLimitRatio; a failing oracle is ignored
//! freeCollateral    = min(m, m + pnlMin) − ⌈initMarginRatio · (openNotional if long else notionalMin)⌉
//! ```
//!
//! A position is liquidatable below `maintenanceMarginRatio` by `liquidationRatio`;
//! a grown, reduced or reversed position must keep `protectedRatio` at or above it.
//!
//! **The TWAP does not protect a position whose SPOT ratio is below the liquidation
//! fee ratio** (a deviation from the spec's "max of SPOT and TWAP"). The TWAP exists
//! so that a short-lived move of the mark cannot trigger liquidations; but a 15-minute
//! TWAP lags a mark pushed one band (1.2%) per block, and under the spec's rule two
//! colluders could push the mark against one of them until that position was deep
//! under water at SPOT while the TWAP still called it healthy, then let a backstop
//! liquidate it and the insurance fund pay the bad debt (a 10× long of 50,000 stayed
//! unliquidatable for 25 blocks, until the mark was 17% down: the pair made ~7,600,
//! the fund paid ~8,300; `test/perp/tests/attacks.rs`). A SPOT ratio below the fee
//! ratio is exactly where a liquidation closes the whole position; from there one
//! block's move of at most the band leaves at least the liquidator's fee
//! (`fee ratio − band ≥ fee ratio / 2` with the defaults), so keepers acting every
//! block liquidate it before it owes anything. Partial liquidations (a SPOT ratio
//! between the fee ratio and maintenance) keep the TWAP's protection, and the oracle
//! still protects a position when the mark strays from the index.
//!
//! `m` is the margin after funding (negative in bad debt); `pnlMin` and
//! `notionalMin` belong to the worse of SPOT/TWAP. Free collateral never counts
//! unrealised profit and never uses the oracle. Ratios round down and
//! requirements up: every rounding errs toward the protocol.
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

pub mod abi;
mod calls;
mod num;
mod router;

use alloc::{boxed::Box, vec::Vec};

use alloy_primitives::{Address, I256, U256};
use alloy_sol_types::sol;
use calls::{call, int, Word};
use num::{
    add, diff, mul_div, mul_div_signed, neg, signed, sub, wad_div, wad_div_floor, wad_mul,
    wad_mul_signed,
};
use strata_common::env;
use strata_math::{MathError, WAD};
use stylus_sdk::{prelude::*, storage::StorageAddress, ArbResult};

/// `Side.BUY`: long.
pub const SIDE_BUY: u8 = 0;
/// `Side.SELL`: short.
pub const SIDE_SELL: u8 = 1;
/// `pnlCalcOption` SPOT.
pub const PNL_SPOT: u8 = 0;
/// `pnlCalcOption` TWAP.
pub const PNL_TWAP: u8 = 1;
/// `pnlCalcOption` ORACLE.
pub const PNL_ORACLE: u8 = 2;

const DIR_ADD: u8 = 0;
const DIR_REMOVE: u8 = 1;

sol! {
    /// Only the clearing house may call this function.
    #[derive(Debug)]
    error ClearingHouseEngineOnlyClearingHouse(address caller);
    /// `option` is not 0 (SPOT), 1 (TWAP) or 2 (ORACLE).
    #[derive(Debug)]
    error ClearingHouseEngineInvalidPnlOption(uint8 option);
    /// Margin figures of a zero-size position were asked for.
    #[derive(Debug)]
    error ClearingHouseEngineEmptyPosition();
    /// The position size `size` would exceed the market's cap.
    #[derive(Debug)]
    error ClearingHouseEngineOverPositionCap(uint256 size, uint256 cap);
    /// The market's open interest `openInterest` would exceed its cap.
    #[derive(Debug)]
    error ClearingHouseEngineOverOpenInterestCap(uint256 openInterest, uint256 cap);
    /// Slippage on a reduction: `baseAmount` is below the minimum (BUY) or above the maximum (SELL) `limit`.
    #[derive(Debug)]
    error ClearingHouseEngineBaseAmountLimit(uint256 baseAmount, uint256 limit);
    /// An opening trade would reduce or reverse a position by `baseAmount` beyond the
    /// vAMM's fluctuation band (opening trades never leave it; a close may, once per block).
    #[derive(Debug)]
    error ClearingHouseEngineOverFluctuationLimit(uint256 baseAmount);
    /// Constructor: `account` (the clearing house) has no code.
    #[derive(Debug)]
    error ClearingHouseEngineNotAContract(address account);
    /// Arithmetic failure (`code` = `strata_math::MathError::code`).
    #[derive(Debug)]
    error ClearingHouseEngineMath(uint8 code);
}

/// Errors of the engine.
#[derive(Debug)]
pub enum Error {
    /// See [`ClearingHouseEngineOnlyClearingHouse`].
    OnlyClearingHouse(ClearingHouseEngineOnlyClearingHouse),
    /// See [`ClearingHouseEngineInvalidPnlOption`].
    InvalidPnlOption(ClearingHouseEngineInvalidPnlOption),
    /// See [`ClearingHouseEngineEmptyPosition`].
    EmptyPosition(ClearingHouseEngineEmptyPosition),
    /// See [`ClearingHouseEngineOverPositionCap`].
    OverPositionCap(ClearingHouseEngineOverPositionCap),
    /// See [`ClearingHouseEngineOverOpenInterestCap`].
    OverOpenInterestCap(ClearingHouseEngineOverOpenInterestCap),
    /// See [`ClearingHouseEngineBaseAmountLimit`].
    BaseAmountLimit(ClearingHouseEngineBaseAmountLimit),
    /// See [`ClearingHouseEngineOverFluctuationLimit`].
    OverFluctuationLimit(ClearingHouseEngineOverFluctuationLimit),
    /// See [`ClearingHouseEngineNotAContract`].
    NotAContract(ClearingHouseEngineNotAContract),
    /// See [`ClearingHouseEngineMath`].
    Math(ClearingHouseEngineMath),
    /// Revert data of a failed vAMM call, passed through unchanged.
    External(Vec<u8>),
}

/// Errors travel boxed: a `Result` then stays two words wide, which keeps the
/// WASM markedly smaller than moving the full enum through every `?`.
pub type BoxErr = Box<Error>;

macro_rules! from_errors {
    ($($variant:ident($ty:ty),)*) => {
        $(impl From<$ty> for BoxErr {
            fn from(e: $ty) -> Self {
                Box::new(Error::$variant(e))
            }
        })*

        #[cfg(feature = "export-abi")]
        impl stylus_sdk::abi::export::internal::InnerTypes for BoxErr {
            fn inner_types() -> Vec<stylus_sdk::abi::export::internal::InnerType> {
                use alloy_sol_types::SolError;
                alloc::vec![$(stylus_sdk::abi::export::internal::InnerType {
                    name: alloc::format!("error {};", <$ty as SolError>::SIGNATURE.replace(',', ", ")),
                    id: core::any::TypeId::of::<$ty>(),
                }),*]
            }
        }
    };
}

from_errors! {
    OnlyClearingHouse(ClearingHouseEngineOnlyClearingHouse),
    InvalidPnlOption(ClearingHouseEngineInvalidPnlOption),
    EmptyPosition(ClearingHouseEngineEmptyPosition),
    OverPositionCap(ClearingHouseEngineOverPositionCap),
    OverOpenInterestCap(ClearingHouseEngineOverOpenInterestCap),
    BaseAmountLimit(ClearingHouseEngineBaseAmountLimit),
    OverFluctuationLimit(ClearingHouseEngineOverFluctuationLimit),
    NotAContract(ClearingHouseEngineNotAContract),
    Math(ClearingHouseEngineMath),
}

/// The revert data of an error: its selector and its (static) fields, one word
/// each — hand-encoded through one encoder (`strata_common::abi::encode`) instead of an
/// encoder per error type (a unit test checks every variant against alloy's
/// `SolError::abi_encode`); a vAMM's revert data passes through unchanged.
impl From<BoxErr> for Vec<u8> {
    fn from(e: BoxErr) -> Self {
        use alloy_sol_types::SolError;
        use strata_common::abi::encode;
        match *e {
            Error::OnlyClearingHouse(e) => {
                encode(&ClearingHouseEngineOnlyClearingHouse::SELECTOR, &[e.caller.word()])
            }
            Error::InvalidPnlOption(e) => {
                encode(&ClearingHouseEngineInvalidPnlOption::SELECTOR, &[e.option.word()])
            }
            Error::EmptyPosition(_) => encode(&ClearingHouseEngineEmptyPosition::SELECTOR, &[]),
            Error::OverPositionCap(e) => {
                encode(&ClearingHouseEngineOverPositionCap::SELECTOR, &[e.size, e.cap])
            }
            Error::OverOpenInterestCap(e) => {
                encode(&ClearingHouseEngineOverOpenInterestCap::SELECTOR, &[e.openInterest, e.cap])
            }
            Error::BaseAmountLimit(e) => {
                encode(&ClearingHouseEngineBaseAmountLimit::SELECTOR, &[e.baseAmount, e.limit])
            }
            Error::OverFluctuationLimit(e) => {
                encode(&ClearingHouseEngineOverFluctuationLimit::SELECTOR, &[e.baseAmount])
            }
            Error::NotAContract(e) => {
                encode(&ClearingHouseEngineNotAContract::SELECTOR, &[e.account.word()])
            }
            Error::Math(e) => encode(&ClearingHouseEngineMath::SELECTOR, &[e.code.word()]),
            Error::External(data) => data,
        }
    }
}

impl From<MathError> for BoxErr {
    fn from(e: MathError) -> Self {
        Box::new(Error::Math(ClearingHouseEngineMath { code: e.code() }))
    }
}

/// A position: `(size, margin, openNotional, lastCumulativePremiumFraction)`.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Position {
    /// Base, long positive.
    pub size: I256,
    /// Margin (before pending funding).
    pub margin: U256,
    /// Quote paid (long) or received (short) for the open size.
    pub open_notional: U256,
    /// The market CPF the margin was last settled at.
    pub last_cpf: I256,
}

impl Position {
    /// `(dir of base that closes it, |size|)`.
    fn close_dir(&self) -> (u8, U256) {
        (if self.size.is_negative() { DIR_REMOVE } else { DIR_ADD }, self.size.unsigned_abs())
    }
}

/// The outcome of a trade (Perp v1 `PositionResp`), as returned to the clearing house:
/// `(size, margin, openNotional, exchangedQuote, badDebt, exchangedSize,
/// fundingPayment, realizedPnl, marginToVault, unrealizedPnlAfter, toll, spread,
/// spotPrice)`. The new position's CPF is the CPF passed in.
pub type TradeResult =
    (I256, U256, U256, U256, U256, I256, I256, I256, I256, I256, U256, U256, U256);

/// A liquidation's result: the trade, then `(liquidationRatio, liquidated base,
/// penalty, liquidator fee, liquidation bad debt, to the insurance fund)`.
pub type LiquidationResult = (TradeResult, I256, U256, U256, U256, U256, I256);

/// `(notional, pnl)` of a position under one valuation.
type Value = (U256, I256);

#[derive(Clone, Copy, Default)]
struct Resp {
    position: Position,
    exchanged_quote: U256,
    bad_debt: U256,
    exchanged_size: I256,
    funding_payment: I256,
    realized_pnl: I256,
    /// Into the vault (+) from the trader, out of it (−) to the trader.
    margin_to_vault: I256,
    unrealized_pnl_after: I256,
}

/// The clearing house's engine.
#[entrypoint]
#[storage]
pub struct ClearingHouseEngine {
    clearing_house: StorageAddress,
}

#[public]
impl ClearingHouseEngine {
    /// Binds the engine to `clearing_house`, the only caller of its trades. The
    /// engine has no owner and no other privileged address, so it never reads the
    /// deployer (`cargo stylus deploy --constructor-args` runs constructors from
    /// cargo-stylus's `StylusDeployer` contract).
    ///
    /// # Errors
    /// [`ClearingHouseEngineNotAContract`] when `clearing_house` has no code (it is
    /// deployed first).
    #[constructor]
    pub fn constructor(&mut self, clearing_house: Address) -> Result<(), BoxErr> {
        if !env::has_code(clearing_house) {
            return Err(ClearingHouseEngineNotAContract { account: clearing_house }.into());
        }
        self.clearing_house.set(clearing_house);
        Ok(())
    }

    /// Every call after deployment: the hand-written router ([`router`]) decodes the
    /// calldata of the functions in [`abi`] strictly, runs them and ABI-encodes the
    /// result (see `strata_common::abi`). Unknown selectors and malformed calldata revert with
    /// empty data, as the SDK's router does; ETH is refused.
    ///
    /// # Errors
    /// The function's named error; empty revert data for an unknown selector or
    /// malformed arguments.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        router::route(self, calldata)
    }
}

/// The external functions (routed by [`router`]; declared in [`abi`]).
impl ClearingHouseEngine {
    /// The clearing house this engine serves.
    pub fn clearing_house(&self) -> Address {
        self.clearing_house.get()
    }

    /// Executes an `openPosition` of the position `(size, margin, openNotional,
    /// lastCpf)` in `amm` at the market CPF `cpf`: `margin_in` floored to the token
    /// precision `scale` (pulled when the position grows) times `leverage` is the
    /// notional traded on `side`; `open_interest` is the market's current open
    /// interest (for its cap). Returns the trade, the margin ratio after it when an
    /// existing position stays open (else `int256.max`) — the better of SPOT/TWAP,
    /// but SPOT when that is below `liquidation_fee_ratio`, as for a liquidation
    /// without the oracle — and the floored margin (zero: nothing was traded).
    ///
    /// # Errors
    /// [`ClearingHouseEngineOnlyClearingHouse`], the caps,
    /// [`ClearingHouseEngineBaseAmountLimit`], [`ClearingHouseEngineMath`], the vAMM's
    /// errors.
    #[allow(clippy::too_many_arguments)]
    pub fn open_position(
        &mut self,
        amm: Address,
        size: I256,
        margin: U256,
        open_notional: U256,
        last_cpf: I256,
        cpf: I256,
        trade_side: u8,
        margin_in: U256,
        leverage: U256,
        scale: U256,
        base_limit: U256,
        open_interest: U256,
        liquidation_fee_ratio: U256,
    ) -> Result<(TradeResult, I256, U256), BoxErr> {
        self.only_clearing_house()?;
        let margin_in = floor_to(margin_in, scale)?;
        if margin_in.is_zero() {
            // Nothing to trade: the clearing house rejects the zero amount.
            let (z, i) = (U256::ZERO, I256::ZERO);
            return Ok(((i, z, z, z, z, i, i, i, i, i, z, z, z), I256::MAX, z));
        }
        let notional = wad_mul(margin_in, leverage)?;
        let old = Position { size, margin, open_notional, last_cpf };
        let resp = if size.is_zero() || (size.is_negative() == (trade_side == SIDE_SELL)) {
            increase(amm, &old, cpf, trade_side, notional, margin_in, base_limit)?
        } else {
            reverse(amm, &old, cpf, trade_side, notional, leverage, base_limit)?
        };
        check_caps(amm, &old, &resp.position, open_interest)?;
        let after = &resp.position;
        let ratio = if size.is_zero() || after.size.is_zero() {
            I256::MAX
        } else {
            let (max_ratio, _, spot_ratio, _, _) =
                spot_twap_ratios(amm, after, signed(after.margin)?)?;
            protected_ratio(max_ratio, spot_ratio, liquidation_fee_ratio)?
        };
        Ok((finish(amm, &resp)?, ratio, margin_in))
    }

    /// Closes `ratio` (WAD, ≤ 1e18) of the position `(size, margin, openNotional,
    /// lastCpf)` in `amm` at CPF `cpf`; `quote_limit` (0 = none) is the minimum quote
    /// received (long) or maximum paid (short). When that close would leave the
    /// fluctuation band and `0 < partial_liquidation_ratio < 1`, only
    /// `partial_liquidation_ratio` of the position is closed (Perp v1
    /// `closePosition`), with the limit scaled down in proportion.
    ///
    /// # Errors
    /// [`ClearingHouseEngineOnlyClearingHouse`], [`ClearingHouseEngineMath`], the
    /// vAMM's errors (slippage, fluctuation, trade limit).
    #[allow(clippy::too_many_arguments)]
    pub fn close_position(
        &mut self,
        amm: Address,
        size: I256,
        margin: U256,
        open_notional: U256,
        last_cpf: I256,
        cpf: I256,
        ratio: U256,
        quote_limit: U256,
        partial_liquidation_ratio: U256,
    ) -> Result<TradeResult, BoxErr> {
        self.only_clearing_house()?;
        let old = Position { size, margin, open_notional, last_cpf };
        let whole = size.unsigned_abs();
        let mut base = if ratio >= WAD { whole } else { wad_mul(whole, ratio)? };
        let mut quote_limit = quote_limit;
        let plr = partial_liquidation_ratio;
        if !plr.is_zero() && plr < WAD {
            let share = wad_mul(whole, plr)?;
            if base > share && over_band(amm, old.close_dir().0, base)? {
                quote_limit = mul_div(quote_limit, share, base, false)?;
                base = share;
            }
        }
        let value = spot_value(amm, &old)?;
        let resp = decrease(amm, &old, cpf, base, quote_limit, value, false)?;
        finish(amm, &resp)
    }

    /// Executes the liquidation trade of the position `(size, margin, openNotional,
    /// lastCpf)` in `amm` at CPF `cpf` and splits what it leaves (module docs of the
    /// clearing house): partial when the SPOT ratio is above `liquidation_fee_ratio`
    /// and `0 < partial_liquidation_ratio < 1`, else full. Returns the trade (margin
    /// after the penalty, nothing paid out) and `(liquidationRatio before the trade,
    /// liquidated base, penalty, liquidator fee, liquidation bad debt (the fee above
    /// what the position left), to the insurance fund (negative: from it))`. The
    /// clearing house reverts the whole call unless `liquidationRatio` is below its
    /// maintenance ratio.
    ///
    /// # Errors
    /// [`ClearingHouseEngineOnlyClearingHouse`], [`ClearingHouseEngineEmptyPosition`],
    /// [`ClearingHouseEngineMath`], the vAMM's errors.
    #[allow(clippy::too_many_arguments)]
    pub fn liquidate_position(
        &mut self,
        amm: Address,
        size: I256,
        margin: U256,
        open_notional: U256,
        last_cpf: I256,
        cpf: I256,
        liquidation_fee_ratio: U256,
        partial_liquidation_ratio: U256,
        spread_limit_ratio: U256,
    ) -> Result<LiquidationResult, BoxErr> {
        self.only_clearing_house()?;
        if size.is_zero() {
            return Err(ClearingHouseEngineEmptyPosition {}.into());
        }
        let old = Position { size, margin, open_notional, last_cpf };
        let (m, _) = funded(&old, cpf, I256::ZERO)?;
        let (max_ratio, _, spot_ratio, _, spot) = spot_twap_ratios(amm, &old, m)?;
        let ratio = liquidation_ratio(
            amm,
            &old,
            m,
            (max_ratio, spot_ratio),
            liquidation_fee_ratio,
            spread_limit_ratio,
        )?;
        let plr = partial_liquidation_ratio;
        let partial = spot_ratio > signed(liquidation_fee_ratio)? && !plr.is_zero() && plr < WAD;
        let base = if partial { wad_mul(size.unsigned_abs(), plr)? } else { size.unsigned_abs() };
        let mut resp = decrease(amm, &old, cpf, base, U256::ZERO, spot, true)?;
        // What the position leaves: the margin kept (partial) or released (closed).
        let partial = partial && !resp.position.size.is_zero();
        let left = if partial { resp.position.margin } else { resp.margin_to_vault.unsigned_abs() };
        let charge = wad_mul(resp.exchanged_quote, liquidation_fee_ratio)?;
        let two = U256::from(2u8);
        let (penalty, fee, fee_bad_debt, taken) = if partial {
            // Capped at the margin left: a partial liquidation creates no bad debt of its own.
            let penalty = charge.min(left);
            (penalty, penalty.checked_div(two).unwrap_or_default(), U256::ZERO, penalty)
        } else {
            let fee = charge.checked_div(two).unwrap_or_default();
            (margin, fee, fee.saturating_sub(left), left)
        };
        // taken ≤ left: a partial keeps `left − penalty`, a full keeps nothing.
        resp.position.margin = resp.position.margin.saturating_sub(taken);
        resp.margin_to_vault = I256::ZERO;
        let bad_debt = resp.bad_debt.checked_add(fee_bad_debt).ok_or(MathError::Overflow)?;
        let to_fund = diff(taken.saturating_sub(fee), bad_debt)?;
        Ok((finish(amm, &resp)?, ratio, base, penalty, fee, fee_bad_debt, to_fund))
    }

    /// Settles `amm`'s funding period: `(premiumFraction, toInsuranceFund)` where the
    /// fund's share `⌊premiumFraction · totalPositionSize⌋` rounds toward −∞.
    ///
    /// # Errors
    /// [`ClearingHouseEngineOnlyClearingHouse`], the vAMM's errors.
    pub fn settle_funding(&mut self, amm: Address) -> Result<(I256, I256), BoxErr> {
        self.only_clearing_house()?;
        let fraction = int(call(amm, calls::SETTLE_FUNDING, &[], false)?.uint()?);
        let total = int(call(amm, calls::TOTAL_POSITION_SIZE, &[], true)?.uint()?);
        Ok((fraction, wad_mul_signed(fraction, total, false)?))
    }

    /// Scales `amm`'s k by `multiplier` and returns what the new curve gives the
    /// traders' net position (positive: a cost to the system; see [`k_adjustment_cost`]).
    ///
    /// # Errors
    /// [`ClearingHouseEngineOnlyClearingHouse`], [`ClearingHouseEngineMath`], the
    /// vAMM's errors.
    pub fn adjust_k(&mut self, amm: Address, multiplier: U256) -> Result<I256, BoxErr> {
        self.only_clearing_house()?;
        let [q, b] = call(amm, calls::GET_RESERVES, &[], true)?.words()?;
        let s = int(call(amm, calls::TOTAL_POSITION_SIZE, &[], true)?.uint()?);
        let [q_new, b_new] = call(amm, calls::ADJUST_K, &[multiplier], false)?.words()?;
        k_adjustment_cost(q, b, q_new, b_new, s)
    }

    /// Margin figures of the position `(size, margin, openNotional, lastCpf)` in
    /// `amm` with funding settled to `cpf`: `(maxPnlRatio, minPnlRatio,
    /// liquidationRatio, spotRatio, freeCollateral)` (module docs).
    ///
    /// # Errors
    /// [`ClearingHouseEngineEmptyPosition`], [`ClearingHouseEngineMath`], the vAMM's errors.
    #[allow(clippy::too_many_arguments)]
    pub fn get_margin_ratios(
        &self,
        amm: Address,
        size: I256,
        margin: U256,
        open_notional: U256,
        last_cpf: I256,
        cpf: I256,
        init_margin_ratio: U256,
        liquidation_fee_ratio: U256,
        spread_limit_ratio: U256,
    ) -> Result<(I256, I256, I256, I256, I256), BoxErr> {
        if size.is_zero() {
            return Err(ClearingHouseEngineEmptyPosition {}.into());
        }
        let p = Position { size, margin, open_notional, last_cpf };
        let (m, _) = funded(&p, cpf, I256::ZERO)?;
        let (max_ratio, min_ratio, spot_ratio, worse, _) = spot_twap_ratios(amm, &p, m)?;
        let liquidation = liquidation_ratio(
            amm,
            &p,
            m,
            (max_ratio, spot_ratio),
            liquidation_fee_ratio,
            spread_limit_ratio,
        )?;
        Ok((
            max_ratio,
            min_ratio,
            liquidation,
            spot_ratio,
            free_collateral(&p, m, worse, init_margin_ratio)?,
        ))
    }

    /// The figures `removeMargin(amount)` is checked against, for the position
    /// `(size, margin, openNotional, lastCpf)` at CPF `cpf`, with `amount` floored to
    /// the token precision `scale`: `(marginAfter, fundingPayment, minPnlRatio,
    /// freeCollateral, flooredAmount)`, the ratio and free collateral after the
    /// removal (`int256.min` when the margin after is negative).
    ///
    /// # Errors
    /// [`ClearingHouseEngineEmptyPosition`], [`ClearingHouseEngineMath`], the vAMM's errors.
    #[allow(clippy::too_many_arguments)]
    pub fn get_margin_after_removal(
        &self,
        amm: Address,
        size: I256,
        margin: U256,
        open_notional: U256,
        last_cpf: I256,
        cpf: I256,
        amount: U256,
        init_margin_ratio: U256,
        scale: U256,
    ) -> Result<(I256, I256, I256, I256, U256), BoxErr> {
        if size.is_zero() {
            return Err(ClearingHouseEngineEmptyPosition {}.into());
        }
        let amount = floor_to(amount, scale)?;
        let p = Position { size, margin, open_notional, last_cpf };
        let (m, funding) = funded(&p, cpf, neg(signed(amount)?)?)?;
        if m.is_negative() {
            return Ok((m, funding, I256::MIN, I256::MIN, amount));
        }
        // The position after the removal, funding settled.
        let after = Position { margin: m.unsigned_abs(), last_cpf: cpf, ..p };
        let (_, min_ratio, _, worse, _) = spot_twap_ratios(amm, &after, m)?;
        Ok((m, funding, min_ratio, free_collateral(&after, m, worse, init_margin_ratio)?, amount))
    }

    /// `amount` floored to a multiple of `scale` (the token precision in 18-decimal
    /// units): what a deposit of `amount` credits.
    ///
    /// # Errors
    /// [`ClearingHouseEngineMath`] for a zero `scale`.
    pub fn floor_amount(&self, amount: U256, scale: U256) -> Result<U256, BoxErr> {
        floor_to(amount, scale)
    }

    /// `(margin, badDebt, fundingPayment)` of a position of `size` with `margin`
    /// last settled at `last_cpf`, funding settled to `cpf` (the trader's payment
    /// rounded up).
    ///
    /// # Errors
    /// [`ClearingHouseEngineMath`].
    pub fn get_funding_payment(
        &self,
        size: I256,
        margin: U256,
        last_cpf: I256,
        cpf: I256,
    ) -> Result<(U256, U256, I256), BoxErr> {
        remain_margin(&Position { size, margin, last_cpf, ..Position::default() }, cpf, I256::ZERO)
    }

    /// `(positionNotional, unrealizedPnl)` of a position of `size` and
    /// `open_notional` in `amm` under `pnl_calc_option` (0 SPOT, 1 TWAP, 2 ORACLE);
    /// zeros for a zero size.
    ///
    /// # Errors
    /// [`ClearingHouseEngineInvalidPnlOption`], [`ClearingHouseEngineMath`], the vAMM's errors.
    pub fn get_position_notional_and_unrealized_pnl(
        &self,
        amm: Address,
        size: I256,
        open_notional: U256,
        pnl_calc_option: u8,
    ) -> Result<(U256, I256), BoxErr> {
        if pnl_calc_option > PNL_ORACLE {
            return Err(ClearingHouseEngineInvalidPnlOption { option: pnl_calc_option }.into());
        }
        if size.is_zero() {
            return Ok((U256::ZERO, I256::ZERO));
        }
        value_of(amm, &Position { size, open_notional, ..Position::default() }, pnl_calc_option)
    }
}

impl ClearingHouseEngine {
    fn only_clearing_house(&self) -> Result<(), BoxErr> {
        let caller = env::sender();
        if caller != self.clearing_house.get() {
            return Err(ClearingHouseEngineOnlyClearingHouse { caller }.into());
        }
        Ok(())
    }
}

/// Whether closing `base` in `dir` now would leave `amm`'s fluctuation band.
fn over_band(amm: Address, dir: u8, base: U256) -> Result<bool, BoxErr> {
    Ok(!call(amm, calls::IS_OVER_FLUCTUATION_LIMIT, &[dir.word(), base], true)?.uint()?.is_zero())
}

/// `base`, when reducing `p` by it stays within the fluctuation band (an opening
/// trade may not leave it, Perp v1 `openReversePosition(…, false)`).
fn within_band(amm: Address, p: &Position, base: U256) -> Result<U256, BoxErr> {
    if over_band(amm, p.close_dir().0, base)? {
        return Err(ClearingHouseEngineOverFluctuationLimit { baseAmount: base }.into());
    }
    Ok(base)
}

/// Packs `resp` with the fees on its exchanged quote and the spot price after it.
fn finish(amm: Address, resp: &Resp) -> Result<TradeResult, BoxErr> {
    let [toll, spread] = call(amm, calls::CALC_FEE, &[resp.exchanged_quote], true)?.words()?;
    let spot = call(amm, calls::GET_SPOT_PRICE, &[], true)?.uint()?;
    let p = &resp.position;
    Ok((
        p.size,
        p.margin,
        p.open_notional,
        resp.exchanged_quote,
        resp.bad_debt,
        resp.exchanged_size,
        resp.funding_payment,
        resp.realized_pnl,
        resp.margin_to_vault,
        resp.unrealized_pnl_after,
        toll,
        spread,
        spot,
    ))
}

/// `Q·|S| / (B + S)` rounded up or down: the quote traders holding net base `S`
/// would collect (long, `S > 0`) or pay (short, `S < 0`, magnitude) by closing it all
/// on reserves `(Q, B)`.
fn close_all_magnitude(q: U256, b: U256, s: I256, round_up: bool) -> Result<U256, BoxErr> {
    let denominator = if s.is_negative() {
        b.checked_sub(s.unsigned_abs())
    } else {
        b.checked_add(s.unsigned_abs())
    }
    .filter(|d| !d.is_zero())
    .ok_or(MathError::Overflow)?;
    Ok(mul_div(q, s.unsigned_abs(), denominator, round_up)?)
}

/// Upper bound (toward +∞) of `payout(Q', B', S) − payout(Q, B, S)`, the signed
/// quote the traders' net position `S` gains from moving the curve from `(Q, B)`
/// to `(Q', B')`.
///
/// ```text
/// payout(Q, B, S) = Q·S / (B + S)      the quote closing all of S yields (negative: costs)
/// ```
///
/// On an `x·y = k` curve that payout is path independent, so this is exactly what
/// the new depth gives (or takes from) the traders as a whole; rounding up favours
/// the solvency of the margin pool.
///
/// # Errors
/// [`ClearingHouseEngineMath`] when `B + S` or `B' + S` is not positive or a value
/// overflows.
pub fn k_adjustment_cost(
    q: U256,
    b: U256,
    q_new: U256,
    b_new: U256,
    s: I256,
) -> Result<I256, BoxErr> {
    if s.is_zero() {
        return Ok(I256::ZERO);
    }
    // Long net (S > 0): payout = +Q·S/(B+S): new rounded up, old rounded down.
    // Short net (S < 0): payout = −Q·|S|/(B−|S|): new rounded down, old rounded up.
    let long = s.is_positive();
    let new_part = I256::try_from(close_all_magnitude(q_new, b_new, s, long)?)
        .map_err(|_| MathError::Overflow)?;
    let old_part =
        I256::try_from(close_all_magnitude(q, b, s, !long)?).map_err(|_| MathError::Overflow)?;
    let diff = new_part.checked_sub(old_part).ok_or(MathError::Overflow)?;
    Ok(if long { diff } else { diff.checked_neg().ok_or(MathError::Overflow)? })
}

/// `amount − amount mod scale`.
fn floor_to(amount: U256, scale: U256) -> Result<U256, BoxErr> {
    let rem = amount.checked_rem(scale).ok_or(MathError::DivisionByZero)?;
    // rem ≤ amount.
    Ok(amount.saturating_sub(rem))
}

/// `(margin + delta − funding, funding)` with funding up to `cpf`, the trader's
/// payment rounded up.
fn funded(p: &Position, cpf: I256, delta: I256) -> Result<(I256, I256), BoxErr> {
    let funding = if p.size.is_zero() {
        I256::ZERO
    } else {
        wad_mul_signed(sub(cpf, p.last_cpf)?, p.size, true)?
    };
    Ok((sub(add(signed(p.margin)?, delta)?, funding)?, funding))
}

/// `(remainMargin, badDebt, funding)`: a negative remainder is bad debt.
fn remain_margin(p: &Position, cpf: I256, delta: I256) -> Result<(U256, U256, I256), BoxErr> {
    let (remain, funding) = funded(p, cpf, delta)?;
    Ok(if remain.is_negative() {
        (U256::ZERO, remain.unsigned_abs(), funding)
    } else {
        (remain.unsigned_abs(), U256::ZERO, funding)
    })
}

fn pnl_at(p: &Position, notional: U256) -> Result<I256, BoxErr> {
    Ok(if p.size.is_negative() {
        diff(p.open_notional, notional)?
    } else {
        diff(notional, p.open_notional)?
    })
}

/// `(notional, pnl)` of `p` under `option` (checked by the caller).
fn value_of(amm: Address, p: &Position, option: u8) -> Result<(U256, I256), BoxErr> {
    let (dir, size) = p.close_dir();
    let notional = match option {
        PNL_SPOT => call(amm, calls::GET_OUTPUT_PRICE, &[dir.word(), size], true)?.uint()?,
        PNL_TWAP => call(amm, calls::GET_OUTPUT_TWAP, &[dir.word(), size], true)?.uint()?,
        _ => wad_mul(size, call(amm, calls::GET_UNDERLYING_PRICE, &[], true)?.uint()?)?,
    };
    Ok((notional, pnl_at(p, notional)?))
}

/// SPOT `(notional, pnl)`: what closing `p` now yields; zeros when flat.
fn spot_value(amm: Address, p: &Position) -> Result<(U256, I256), BoxErr> {
    if p.size.is_zero() {
        return Ok((U256::ZERO, I256::ZERO));
    }
    value_of(amm, p, PNL_SPOT)
}

/// `(maxPnlRatio, minPnlRatio, spotRatio, worse (notional, pnl), spot (notional,
/// pnl))` of `p` with margin-after-funding `m` (Perp v1: the MAX option is SPOT
/// only when its profit is strictly larger than TWAP's).
fn spot_twap_ratios(
    amm: Address,
    p: &Position,
    m: I256,
) -> Result<(I256, I256, I256, Value, Value), BoxErr> {
    let spot = value_of(amm, p, PNL_SPOT)?;
    let twap = value_of(amm, p, PNL_TWAP)?;
    let spot_ratio = ratio(m, spot)?;
    let twap_ratio = ratio(m, twap)?;
    Ok(if spot.1 > twap.1 {
        (spot_ratio, twap_ratio, spot_ratio, twap, spot)
    } else {
        (twap_ratio, spot_ratio, spot_ratio, spot, spot)
    })
}

/// `min(m, m + pnlMin) − ⌈imr · (openNotional if long else notionalMin)⌉`.
fn free_collateral(
    p: &Position,
    m: I256,
    (notional, pnl): (U256, I256),
    imr: U256,
) -> Result<I256, BoxErr> {
    let collateral = if pnl.is_positive() { m } else { add(m, pnl)? };
    let basis = if p.size.is_negative() { notional } else { p.open_notional };
    Ok(sub(collateral, signed(mul_div(basis, imr, WAD, true)?)?)?)
}

/// `⌊(m + pnl) / notional⌋`.
fn ratio(margin_with_funding: I256, (notional, pnl): (U256, I256)) -> Result<I256, BoxErr> {
    Ok(wad_div_floor(add(margin_with_funding, pnl)?, notional)?)
}

/// The ratio a liquidation is checked against (module docs): the better of SPOT and
/// TWAP (`max_ratio`), except that a SPOT ratio below the liquidation fee ratio —
/// a position that a liquidation would close in full, nearly bankrupt at the price
/// it can trade at — is not protected by the TWAP; then the ORACLE ratio when it is
/// better still and the mark strays from the index by at least the spread limit.
fn liquidation_ratio(
    amm: Address,
    p: &Position,
    margin: I256,
    (max_ratio, spot_ratio): (I256, I256),
    liquidation_fee_ratio: U256,
    spread_limit: U256,
) -> Result<I256, BoxErr> {
    let protected = protected_ratio(max_ratio, spot_ratio, liquidation_fee_ratio)?;
    Ok(protected.max(oracle_ratio(amm, p, margin, spread_limit)?))
}

/// The better of SPOT and TWAP (`max_ratio`), but `spot_ratio` when that is below
/// `liquidation_fee_ratio`: the TWAP does not protect a position a liquidation would
/// close in full.
fn protected_ratio(
    max_ratio: I256,
    spot_ratio: I256,
    liquidation_fee_ratio: U256,
) -> Result<I256, BoxErr> {
    Ok(if spot_ratio < signed(liquidation_fee_ratio)? { spot_ratio } else { max_ratio })
}

/// The ORACLE ratio when the mark strays from the index by at least the spread
/// limit, else `I256::MIN` (never chosen). A failing oracle counts as no signal.
fn oracle_ratio(
    amm: Address,
    p: &Position,
    margin: I256,
    spread_limit: U256,
) -> Result<I256, BoxErr> {
    let Ok(index) =
        call(amm, calls::GET_UNDERLYING_PRICE, &[], true).and_then(calls::Returned::uint)
    else {
        return Ok(I256::MIN);
    };
    let spot = call(amm, calls::GET_SPOT_PRICE, &[], true)?.uint()?;
    if index.is_zero() || wad_div(spot.abs_diff(index), index)? < spread_limit {
        return Ok(I256::MIN);
    }
    let notional = wad_mul(p.size.unsigned_abs(), index)?;
    ratio(margin, (notional, pnl_at(p, notional)?))
}

/// Grows `old` on `side` by `notional`, pulling `margin_in`. Opening trades may not
/// leave the fluctuation band.
fn increase(
    amm: Address,
    old: &Position,
    cpf: I256,
    side: u8,
    notional: U256,
    margin_in: U256,
    base_limit: U256,
) -> Result<Resp, BoxErr> {
    let dir = if side == SIDE_BUY { DIR_ADD } else { DIR_REMOVE };
    let base =
        call(amm, calls::SWAP_INPUT, &[dir.word(), notional, base_limit, false.word()], false)?
            .uint()?;
    let base = signed(base)?;
    let exchanged = if side == SIDE_BUY { base } else { neg(base)? };
    let margin_in = signed(margin_in)?;
    let (remain, bad_debt, funding) = remain_margin(old, cpf, margin_in)?;
    let position = Position {
        size: add(old.size, exchanged)?,
        margin: remain,
        open_notional: old.open_notional.checked_add(notional).ok_or(MathError::Overflow)?,
        last_cpf: cpf,
    };
    let (_, pnl_after) = spot_value(amm, &position)?;
    Ok(Resp {
        position,
        exchanged_quote: notional,
        bad_debt,
        exchanged_size: exchanged,
        funding_payment: funding,
        realized_pnl: I256::ZERO,
        margin_to_vault: margin_in,
        unrealized_pnl_after: pnl_after,
    })
}

/// Closes `base` (≤ |size|) of `old` with `swapOutput`; `value` is its SPOT
/// `(notional, pnl)` before the trade. Closing all of it releases the margin. A
/// `liquidation` is not held to the vAMM's fluctuation band (module docs).
fn decrease(
    amm: Address,
    old: &Position,
    cpf: I256,
    base: U256,
    quote_limit: U256,
    (old_notional, pnl): (U256, I256),
    liquidation: bool,
) -> Result<Resp, BoxErr> {
    let (dir, size) = old.close_dir();
    let args = [dir.word(), base, quote_limit, liquidation.word()];
    let quote = call(amm, calls::SWAP_OUTPUT, &args, false)?.uint()?;
    // realisedPnl = ⌊pnl · base / |size|⌋ (toward −∞: the protocol's side).
    let realized = mul_div_signed(pnl, base, size, false)?;
    let (remain, bad_debt, funding) = remain_margin(old, cpf, realized)?;
    let signed_base = signed(base)?;
    let exchanged = if old.size.is_negative() { signed_base } else { neg(signed_base)? };
    let size_after = add(old.size, exchanged)?;
    let mut resp = Resp {
        exchanged_quote: quote,
        bad_debt,
        exchanged_size: exchanged,
        funding_payment: funding,
        realized_pnl: realized,
        ..Resp::default()
    };
    if size_after.is_zero() {
        resp.position.last_cpf = cpf;
        resp.margin_to_vault = neg(signed(remain)?)?;
        return Ok(resp);
    }
    // openNotional' = notional − quote ∓ pnlAfter keeps the remaining unrealised PnL;
    // it stays positive for any partial close (else: Underflow).
    let pnl_after = sub(pnl, realized)?;
    let remaining = diff(old_notional, quote)?;
    let open_notional = if old.size.is_negative() {
        add(remaining, pnl_after)?
    } else {
        sub(remaining, pnl_after)?
    };
    if !open_notional.is_positive() {
        return Err(MathError::Underflow.into());
    }
    resp.position = Position {
        size: size_after,
        margin: remain,
        open_notional: open_notional.unsigned_abs(),
        last_cpf: cpf,
    };
    resp.unrealized_pnl_after = pnl_after;
    Ok(resp)
}

/// An opposite-side open of `notional` against `old` (Perp v1
/// `openReversePosition`): below the position's notional it reduces the position
/// by the base `notional` trades (no margin pulled); otherwise it closes the
/// position and opens the remainder on `side` at `leverage`.
fn reverse(
    amm: Address,
    old: &Position,
    cpf: I256,
    side: u8,
    notional: U256,
    leverage: U256,
    base_limit: U256,
) -> Result<Resp, BoxErr> {
    let value = spot_value(amm, old)?;
    let whole = old.size.unsigned_abs();
    if value.0 > notional {
        // A SELL takes quote out of the AMM, a BUY adds it.
        let dir = if side == SIDE_BUY { DIR_ADD } else { DIR_REMOVE };
        let base = call(amm, calls::GET_INPUT_PRICE, &[dir.word(), notional], true)?.uint()?;
        // A BUY's limit is a minimum of base, a SELL's a maximum.
        let beyond = if side == SIDE_BUY { base < base_limit } else { base > base_limit };
        if !base_limit.is_zero() && beyond {
            return Err(
                ClearingHouseEngineBaseAmountLimit { baseAmount: base, limit: base_limit }.into()
            );
        }
        let base = within_band(amm, old, base.min(whole))?;
        return decrease(amm, old, cpf, base, U256::ZERO, value, false);
    }
    let base = within_band(amm, old, whole)?;
    let closed = decrease(amm, old, cpf, base, U256::ZERO, value, false)?;
    let rest = notional.saturating_sub(closed.exchanged_quote);
    let rest_margin = wad_div(rest, leverage)?;
    if !closed.bad_debt.is_zero() || rest_margin.is_zero() {
        // An underwater position is only closed (the clearing house rejects the bad debt).
        return Ok(closed);
    }
    let limit = base_limit.saturating_sub(closed.exchanged_size.unsigned_abs());
    let opened = increase(amm, &closed.position, cpf, side, rest, rest_margin, limit)?;
    Ok(Resp {
        position: opened.position,
        exchanged_quote: closed
            .exchanged_quote
            .checked_add(opened.exchanged_quote)
            .ok_or(MathError::Overflow)?,
        bad_debt: U256::ZERO,
        exchanged_size: add(closed.exchanged_size, opened.exchanged_size)?,
        funding_payment: closed.funding_payment,
        realized_pnl: closed.realized_pnl,
        margin_to_vault: add(closed.margin_to_vault, opened.margin_to_vault)?,
        unrealized_pnl_after: opened.unrealized_pnl_after,
    })
}

/// Position and open-interest caps apply when the position grows.
fn check_caps(
    amm: Address,
    old: &Position,
    new: &Position,
    open_interest: U256,
) -> Result<(), BoxErr> {
    let flipped = !old.size.is_zero() && old.size.is_negative() != new.size.is_negative();
    if new.size.is_zero() || !(new.size.unsigned_abs() > old.size.unsigned_abs() || flipped) {
        return Ok(());
    }
    let [max_size, max_oi] = call(amm, calls::GET_CAPS, &[], true)?.words()?;
    let size = new.size.unsigned_abs();
    if !max_size.is_zero() && size > max_size {
        return Err(ClearingHouseEngineOverPositionCap { size, cap: max_size }.into());
    }
    let oi = open_interest
        .checked_sub(old.open_notional)
        .and_then(|oi| oi.checked_add(new.open_notional))
        .ok_or(MathError::Overflow)?;
    if !max_oi.is_zero() && new.open_notional > old.open_notional && oi > max_oi {
        return Err(ClearingHouseEngineOverOpenInterestCap { openInterest: oi, cap: max_oi }.into());
    }
    Ok(())
}

#[cfg(test)]
mod tests;
