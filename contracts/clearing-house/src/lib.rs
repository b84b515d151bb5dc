//! Perp clearing house — isolated-margin positions over vAMM markets
//! (Perpetual Protocol v1 `ClearingHouse`, hardened).
//!
//! Traders open, grow, reduce, reverse and close positions in listed markets
//! (one `vamm` each); margin is isolated per trader per market. The clearing
//! house holds every position and is the only writer of positions; its
//! engine (`clearing-house-engine`, callable by it alone) is the vAMMs' only
//! swapper; the `vault` holds every token.
//!
//! # The split (size)
//!
//! One WASM with all of this does not fit the 24 KiB Stylus limit, so the
//! clearing house is two contracts along one seam: **this contract holds the
//! state and the policy** — listing, pause, restriction mode, leverage, the
//! margin rules, liquidation eligibility and penalties, the bad-debt gate,
//! storage writes, money movements and events — and **the engine holds the
//! mechanics**: given a position it trades on the vAMM and returns the new
//! position, and it values positions (SPOT/TWAP/ORACLE notionals, margin
//! ratios, free collateral). The engine keeps no state but this contract's
//! address; see its crate docs for the trade and valuation formulas.
//!
//! # Positions
//!
//! `Position = (size, margin, openNotional, lastUpdatedCumulativePremiumFraction, blockNumber)`,
//! size in base (long positive), the rest in quote, 18 decimals.
//!
//! - open / increase: `notional = margin · leverage`, `1/leverage ≥ initMarginRatio`;
//!   the margin is pulled, toll and spread on the notional are paid on top.
//! - reduce (opposite side, smaller): `realisedPnl = ⌊unrealisedPnl · |Δsize| / |size|⌋`
//!   goes into the margin; the open notional shrinks, keeping the remaining unrealised profit.
//! - reverse (opposite side, at least as large): close, then open the rest at the same leverage.
//! - close / partial close (ratio): the margin plus the realised profit, minus funding, is paid out.
//!   A close that would leave the vAMM's fluctuation band closes only
//!   `partialLiquidationRatio` of the position when that ratio is in (0, 1) (Perp v1);
//!   that share may leave the band, once per block, after which no voluntary trade
//!   runs in that market until the next block. Reductions and reversals through
//!   `openPosition` are opening trades and may not leave it.
//! - `fundingPayment = ⌈(CPF_now − CPF_position) · size⌉` (positive: the trader pays).
//! - `remainMargin = margin + Δ − fundingPayment`; a negative remainder is bad debt.
//!
//! # Margin rules
//!
//! - After an increase (or reduction, or reverse) of an existing position its margin
//!   ratio must stay ≥ `maintenanceMarginRatio`, valued as for a liquidation without
//!   the oracle: the better of SPOT/TWAP, but SPOT when that is below
//!   `liquidationFeeRatio` (a position must never be liquidatable right after a trade).
//! - `removeMargin`: afterwards the ratio with the *worse* of SPOT/TWAP must be
//!   ≥ `initMarginRatio` and the free collateral
//!   `min(margin, margin + unrealisedPnl) − initMarginRatio · (openNotional if long else notional)`
//!   ≥ 0 — unrealised profit never counts and the oracle is never used, so an
//!   oracle jump cannot raise what can be withdrawn.
//! - Liquidatable iff the liquidation margin ratio is below `maintenanceMarginRatio`:
//!   the better of SPOT/TWAP — except that a SPOT ratio below `liquidationFeeRatio`
//!   is not protected by the TWAP (a deviation from the spec's "max of SPOT and
//!   TWAP", see the engine's crate docs: a mark pushed one band per block outruns a
//!   15-minute TWAP, and colluders used that to pass bad debt to the insurance fund)
//!   — or the ORACLE ratio when that is better still and the mark strays from the
//!   index by at least `spreadLimitRatio`.
//!
//! # Liquidation
//!
//! - Partial, when the SPOT margin ratio is above `liquidationFeeRatio` and
//!   `0 < partialLiquidationRatio < 1`: that share of the position is closed; the penalty
//!   `liquidatedNotional · liquidationFeeRatio` (capped at the margin left) is
//!   split, half (rounded down) to the liquidator and the rest to the insurance fund.
//! - Full otherwise: the position is closed; the liquidator gets
//!   `notional · liquidationFeeRatio / 2`; the remaining margin goes to the
//!   insurance fund; bad debt (a negative remainder, and a fee above the
//!   remainder) is paid by the insurance fund.
//! - Liquidations are never held to the fluctuation band and do not use a block's
//!   one exceptional move (a deviation from the spec's "a close/liquidation may
//!   exceed it once per block"; the engine's crate docs give the reason and why it
//!   opens no new path): no trade can make a keeper's liquidation revert for the
//!   rest of a block.
//! - Restriction mode: after a liquidation in a market, every trader who already
//!   acted in that market in the same block (the liquidated one included) cannot
//!   act in it again until the next block.
//!
//! # The bad-debt gate
//!
//! Trader paths (open, close, partial close, margin changes) revert with
//! [`ClearingHouseBadDebt`] instead of creating bad debt; only a liquidation
//! realises it. Every insurance-fund movement of the clearing house — bad
//! debt, liquidation penalties, net funding, k-adjustment costs — goes through
//! one function, `settle_insurance`, which requires a backstop liquidator
//! (designated by the owner) to realise bad debt, and calls the vault, which
//! reverts when the fund cannot cover a draw (`VaultInsufficientInsurance`).
//! No loss is socialised.
//!
//! # Funding
//!
//! `payFunding(amm)` (anyone, at or after the vAMM's `nextFundingTime`) adds the
//! vAMM's premium fraction to the market's cumulative premium fraction (CPF);
//! the insurance fund takes the net side `⌊premiumFraction · Σsize⌋` (receives
//! it, or pays it when negative). Traders settle lazily at their next action.
//! Trader payments round up and the fund's share rounds toward −∞, so the
//! margin pool never pays out more funding than it takes in.
//!
//! # Amounts and rounding
//!
//! Amounts in the ABI are 18-decimal quote. User-chosen margins (open, add,
//! remove) are floored to the token's precision so the vault credits exactly
//! what it pulls; one that floors to zero reverts
//! ([`ClearingHouseInvalidAmount`]). Fees are charged by the vault rounded up to
//! a whole token unit and payouts rounded down; the remainders go to the
//! insurance fund. When the last position in the system closes, the pool's
//! rounding remainder is swept to the insurance fund.
//!
//! # Call graph (one way; Stylus reverts re-entry into a contract on the stack)
//!
//! ```text
//! trader / keeper / owner ──► clearing-house ──► clearing-house-engine ──► vamm ──► power-oracle
//!                                      └──────► vault ──► quote token
//! ```
//!
//! Neither the engine, the vAMM nor the vault ever calls the clearing house.
//! `adjustK` is driven here: the vAMM reports the cost through the engine and
//! the clearing house settles it with the insurance fund through the vault.
//!
//! # Deployment
//!
//! vault (owner, token, …) → clearing house (owner, vault, …) → engine (clearing
//! house) → `clearingHouse.setEngine(engine)` → `vault.setClearingHouse` → one vAMM
//! per market (owner, engine as its counterparty, …) → `addMarket(vamm)` →
//! `vamm.setOpen(true)`. Every owner is a constructor argument: `cargo stylus deploy
//! --constructor-args` runs constructors from cargo-stylus's `StylusDeployer`
//! contract, so the caller of a constructor is never the owner.
//!
//! # ABI
//!
//! The functions are declared once in [`abi`] and served by a hand-written router
//! ([`router`], on `strata_common::abi`) instead of the SDK's generated one, which did not fit
//! the size budget; `test/perp/tests/abi.rs` calls every function of the exported
//! interface through it and decodes the answers with alloy.
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
pub use strata_common::clock;
mod num;
mod router;

use alloc::{boxed::Box, vec::Vec};

use alloy_primitives::{Address, I256, U256};
use alloy_sol_types::sol;
use alloy_sol_types::SolEvent;
use calls::{call, int, Word};
use num::{neg, signed};
use strata_common::{env, log::emit, ownable};
use strata_math::{MathError, WAD};

/// `1e36`: `1/leverage ≥ imr` is checked as `imr · leverage ≤ 1e36`.
const WAD_SQUARED: U256 =
    alloy_primitives::uint!(1_000_000_000_000_000_000_000_000_000_000_000_000_U256);
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageI256, StorageMap, StorageU256, StorageU64},
    ArbResult,
};

/// `Side.BUY`: long.
pub const SIDE_BUY: u8 = 0;
/// `Side.SELL`: short.
pub const SIDE_SELL: u8 = 1;
/// `pnlCalcOption` SPOT: notional from the vAMM's current reserves.
pub const PNL_SPOT: u8 = 0;
/// `pnlCalcOption` TWAP: notional from the vAMM's 15-minute output TWAP.
pub const PNL_TWAP: u8 = 1;
/// `pnlCalcOption` ORACLE: notional from the index price.
pub const PNL_ORACLE: u8 = 2;

strata_common::sol_events! {
    /// A position changed (open, increase, reduce, reverse, close, partial close, liquidation).
    /// `positionNotional` is the quote exchanged, `fee` the toll + spread charged,
    /// `fundingPayment` what the trader paid (+) or received (−).
    event PositionChanged(address indexed trader, address indexed amm, uint256 margin, uint256 positionNotional, int256 exchangedPositionSize, uint256 fee, int256 positionSizeAfter, int256 realizedPnl, int256 unrealizedPnlAfter, uint256 badDebt, uint256 liquidationPenalty, uint256 spotPrice, int256 fundingPayment);
    /// `trader` was liquidated by `liquidator`, who earned `liquidationFee`;
    /// `badDebt` is the part of that fee the insurance fund covered.
    event PositionLiquidated(address indexed trader, address indexed amm, uint256 positionNotional, uint256 positionSize, uint256 liquidationFee, address liquidator, uint256 badDebt);
    /// Margin added (+) or removed (−); `fundingPayment` settled with it.
    event MarginChanged(address indexed trader, address indexed amm, int256 amount, int256 fundingPayment);
    /// A liquidation happened in `amm` in `blockNumber`.
    event RestrictionModeEntered(address amm, uint256 blockNumber);
    /// Funding settled: the market's CPF moved by `premiumFraction`; the insurance fund
    /// received `insuranceFundPayment` (paid when negative).
    event FundingPaid(address indexed amm, int256 premiumFraction, int256 cumulativePremiumFraction, int256 insuranceFundPayment);
    /// A market was listed (`true`) or removed.
    event MarketListed(address indexed amm, bool listed);
    /// Risk parameters (WAD) changed.
    event RiskParametersChanged(uint256 initMarginRatio, uint256 maintenanceMarginRatio, uint256 liquidationFeeRatio, uint256 partialLiquidationRatio, uint256 spreadLimitRatio);
    /// A backstop liquidator (may realise bad debt) was added or removed.
    event BackstopLiquidatorChanged(address indexed account, bool isBackstop);
    /// Trading paused or resumed.
    event PauseChanged(bool paused);
    /// The engine was set (once).
    event EngineSet(address engine);
}

/// Events of this contract, for the exported interface.
// Constant indices into constant arrays: an out-of-range index fails the build.
#[allow(clippy::indexing_slicing)]
pub const ALL_EVENTS_ABI: [&str; 12] = [
    EVENTS_ABI[0],
    EVENTS_ABI[1],
    EVENTS_ABI[2],
    EVENTS_ABI[3],
    EVENTS_ABI[4],
    EVENTS_ABI[5],
    EVENTS_ABI[6],
    EVENTS_ABI[7],
    EVENTS_ABI[8],
    EVENTS_ABI[9],
    ownable::OWNABLE_EVENTS_ABI[0],
    ownable::OWNABLE_EVENTS_ABI[1],
];

sol! {
    /// `amm` is not a listed market.
    #[derive(Debug)]
    error ClearingHouseMarketNotListed(address amm);
    /// `amm` is already listed.
    #[derive(Debug)]
    error ClearingHouseMarketAlreadyListed(address amm);
    /// `amm` still has `openPositions` positions.
    #[derive(Debug)]
    error ClearingHouseMarketNotEmpty(address amm, uint256 openPositions);
    /// The clearing house is paused.
    #[derive(Debug)]
    error ClearingHousePaused();
    /// `side` is neither 0 (BUY) nor 1 (SELL).
    #[derive(Debug)]
    error ClearingHouseInvalidSide(uint8 side);
    /// `leverage` is zero or above 1 / initMarginRatio.
    #[derive(Debug)]
    error ClearingHouseInvalidLeverage(uint256 leverage);
    /// `amount` is zero at the token's precision.
    #[derive(Debug)]
    error ClearingHouseInvalidAmount(uint256 amount);
    /// A close ratio outside (0, 1e18].
    #[derive(Debug)]
    error ClearingHouseInvalidRatio(uint256 ratio);
    /// A liquidation happened in `amm` this block and the trader already acted in it.
    #[derive(Debug)]
    error ClearingHouseRestrictionMode(address amm, uint256 blockNumber);
    /// `trader` has no position in `amm`.
    #[derive(Debug)]
    error ClearingHouseNoPosition(address amm, address trader);
    /// The margin ratio `marginRatio` is below the `required` ratio.
    #[derive(Debug)]
    error ClearingHouseInsufficientMargin(int256 marginRatio, uint256 required);
    /// Removing margin would leave `freeCollateral` below zero.
    #[derive(Debug)]
    error ClearingHouseInsufficientFreeCollateral(int256 freeCollateral);
    /// The action would leave `badDebt`; only a liquidation may realise bad debt.
    #[derive(Debug)]
    error ClearingHouseBadDebt(uint256 badDebt);
    /// The position's margin ratio `marginRatio` is not below `maintenanceMarginRatio`.
    #[derive(Debug)]
    error ClearingHouseNotLiquidatable(int256 marginRatio, uint256 maintenanceMarginRatio);
    /// Realising `badDebt` needs a backstop liquidator; `liquidator` is not one.
    #[derive(Debug)]
    error ClearingHouseNotBackstopLiquidator(address liquidator, uint256 badDebt);
    /// Risk parameters must satisfy 0 < mmr ≤ imr ≤ 1, lfr ≤ mmr, plr ≤ 1, spread ≤ 1.
    #[derive(Debug)]
    error ClearingHouseInvalidRiskParameters();
    /// An address without code where a contract is required.
    #[derive(Debug)]
    error ClearingHouseNotAContract(address account);
    /// The engine is already set to `current`.
    #[derive(Debug)]
    error ClearingHouseEngineAlreadySet(address current);
    /// Markets can be listed once the engine is set.
    #[derive(Debug)]
    error ClearingHouseEngineNotSet();
    /// Arithmetic failure (`code` = `strata_math::MathError::code`).
    #[derive(Debug)]
    error ClearingHouseMath(uint8 code);
}

/// Declares the error enum, the boxed conversions, the ABI encoding and the
/// exported interface entries. Unlike `#[derive(SolidityError)]` it has an
/// [`Error::External`] variant that passes a failed engine or vault call's
/// revert data through unchanged, so integrators see the callee's own error.
/// Errors travel boxed ([`BoxErr`]): a `Result` stays two words wide, which keeps
/// the WASM markedly smaller than moving the full enum through every `?`.
macro_rules! errors {
    ($($(#[$doc:meta])* $variant:ident($ty:ty),)*) => {
        /// Errors of the clearing house.
        #[derive(Debug)]
        pub enum Error {
            $($(#[$doc])* $variant($ty),)*
            /// Revert data of a failed engine, vAMM or vault call, bubbled unchanged.
            External(Vec<u8>),
        }

        $(impl From<$ty> for BoxErr {
            fn from(e: $ty) -> Self {
                Box::new(Error::$variant(e))
            }
        })*

        impl From<BoxErr> for Vec<u8> {
            fn from(e: BoxErr) -> Self {
                match *e {
                    $(Error::$variant(e) => alloy_sol_types::SolError::abi_encode(&e),)*
                    Error::External(data) => data,
                }
            }
        }

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

/// A boxed [`Error`] (see [`errors!`]).
pub type BoxErr = Box<Error>;

errors! {
    /// See [`ClearingHouseMarketNotListed`].
    MarketNotListed(ClearingHouseMarketNotListed),
    /// See [`ClearingHouseMarketAlreadyListed`].
    MarketAlreadyListed(ClearingHouseMarketAlreadyListed),
    /// See [`ClearingHouseMarketNotEmpty`].
    MarketNotEmpty(ClearingHouseMarketNotEmpty),
    /// See [`ClearingHousePaused`].
    Paused(ClearingHousePaused),
    /// See [`ClearingHouseInvalidSide`].
    InvalidSide(ClearingHouseInvalidSide),
    /// See [`ClearingHouseInvalidLeverage`].
    InvalidLeverage(ClearingHouseInvalidLeverage),
    /// See [`ClearingHouseInvalidAmount`].
    InvalidAmount(ClearingHouseInvalidAmount),
    /// See [`ClearingHouseInvalidRatio`].
    InvalidRatio(ClearingHouseInvalidRatio),
    /// See [`ClearingHouseRestrictionMode`].
    RestrictionMode(ClearingHouseRestrictionMode),
    /// See [`ClearingHouseNoPosition`].
    NoPosition(ClearingHouseNoPosition),
    /// See [`ClearingHouseInsufficientMargin`].
    InsufficientMargin(ClearingHouseInsufficientMargin),
    /// See [`ClearingHouseInsufficientFreeCollateral`].
    InsufficientFreeCollateral(ClearingHouseInsufficientFreeCollateral),
    /// See [`ClearingHouseBadDebt`].
    BadDebt(ClearingHouseBadDebt),
    /// See [`ClearingHouseNotLiquidatable`].
    NotLiquidatable(ClearingHouseNotLiquidatable),
    /// See [`ClearingHouseNotBackstopLiquidator`].
    NotBackstopLiquidator(ClearingHouseNotBackstopLiquidator),
    /// See [`ClearingHouseInvalidRiskParameters`].
    InvalidRiskParameters(ClearingHouseInvalidRiskParameters),
    /// See [`ClearingHouseNotAContract`].
    NotAContract(ClearingHouseNotAContract),
    /// See [`ClearingHouseEngineAlreadySet`].
    EngineAlreadySet(ClearingHouseEngineAlreadySet),
    /// See [`ClearingHouseEngineNotSet`].
    EngineNotSet(ClearingHouseEngineNotSet),
    /// See [`ClearingHouseMath`].
    Math(ClearingHouseMath),
    /// Caller is not the owner.
    Unauthorized(ownable::OwnableUnauthorizedAccount),
    /// Zero owner.
    InvalidOwner(ownable::OwnableInvalidOwner),
}

impl From<MathError> for BoxErr {
    fn from(e: MathError) -> Self {
        Box::new(Error::Math(ClearingHouseMath { code: e.code() }))
    }
}

impl From<ownable::OwnableError> for BoxErr {
    fn from(e: ownable::OwnableError) -> Self {
        Box::new(match e {
            ownable::OwnableError::Unauthorized(e) => Error::Unauthorized(e),
            ownable::OwnableError::InvalidOwner(e) => Error::InvalidOwner(e),
        })
    }
}

/// A stored position.
#[storage]
pub struct PositionSlot {
    size: StorageI256,
    margin: StorageU256,
    open_notional: StorageU256,
    last_cpf: StorageI256,
    block: StorageU64,
}

/// Per-market state.
#[storage]
pub struct Market {
    listed: StorageBool,
    cpf: StorageI256,
    restriction_block: StorageU64,
    open_interest: StorageU256,
    open_positions: StorageU256,
    positions: StorageMap<Address, PositionSlot>,
}

/// A position in memory.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
struct Position {
    size: I256,
    margin: U256,
    open_notional: U256,
    last_cpf: I256,
    block: u64,
}

/// An engine trade result (the engine's `TradeResult`).
#[derive(Clone, Copy, Default)]
struct Trade {
    position: Position,
    exchanged_quote: U256,
    bad_debt: U256,
    exchanged_size: I256,
    funding_payment: I256,
    realized_pnl: I256,
    margin_to_vault: I256,
    unrealized_pnl_after: I256,
    toll: U256,
    spread: U256,
    spot_price: U256,
}

impl Trade {
    /// Decodes the engine's trade result (its first 13 words); the new position's
    /// CPF is `cpf`.
    fn decode(w: &[U256], cpf: I256, block: u64) -> Self {
        let word = |i: usize| w.get(i).copied().unwrap_or_default();
        let [size, margin, open_notional, quote, bad_debt, exchanged, funding, realized, to_vault, pnl_after, toll, spread, spot] =
            core::array::from_fn(word);
        Trade {
            position: Position { size: int(size), margin, open_notional, last_cpf: cpf, block },
            exchanged_quote: quote,
            bad_debt,
            exchanged_size: int(exchanged),
            funding_payment: int(funding),
            realized_pnl: int(realized),
            margin_to_vault: int(to_vault),
            unrealized_pnl_after: int(pnl_after),
            toll,
            spread,
            spot_price: spot,
        }
    }
}

/// The clearing house.
#[entrypoint]
#[storage]
pub struct ClearingHouse {
    ownable: ownable::Ownable2Step,
    paused: StorageBool,
    vault: StorageAddress,
    engine: StorageAddress,
    scale: StorageU256,
    init_margin_ratio: StorageU256,
    maintenance_margin_ratio: StorageU256,
    liquidation_fee_ratio: StorageU256,
    partial_liquidation_ratio: StorageU256,
    spread_limit_ratio: StorageU256,
    open_positions: StorageU256,
    markets: StorageMap<Address, Market>,
    backstop: StorageMap<Address, StorageBool>,
}

#[public]
impl ClearingHouse {
    /// Binds the clearing house to `vault` (reading its token precision) and sets the
    /// risk parameters, owned by `owner`. The engine is set once afterwards
    /// (`setEngine`), as it is deployed with this contract's address.
    ///
    /// The owner is an argument, not the caller: `cargo stylus deploy
    /// --constructor-args` runs the constructor from cargo-stylus's `StylusDeployer`
    /// contract, which would otherwise become the owner.
    ///
    /// # Errors
    /// `OwnableInvalidOwner` for a zero owner, [`ClearingHouseNotAContract`] when
    /// `vault` has no code,
    /// [`ClearingHouseInvalidRiskParameters`], a failed vault call.
    ///
    /// # Events
    /// `OwnershipTransferred`, `RiskParametersChanged`.
    #[constructor]
    #[allow(clippy::too_many_arguments)]
    pub fn constructor(
        &mut self,
        owner: Address,
        vault: Address,
        init_margin_ratio: U256,
        maintenance_margin_ratio: U256,
        liquidation_fee_ratio: U256,
        partial_liquidation_ratio: U256,
        spread_limit_ratio: U256,
    ) -> Result<(), BoxErr> {
        self.ownable.init(owner)?;
        require_contract(vault)?;
        let scale = call(vault, calls::QUOTE_SCALE, &[], true)?.uint()?;
        self.vault.set(vault);
        self.scale.set(scale);
        self.write_risk_parameters(
            init_margin_ratio,
            maintenance_margin_ratio,
            liquidation_fee_ratio,
            partial_liquidation_ratio,
            spread_limit_ratio,
        )
    }

    /// Every call after deployment: the hand-written router ([`router`]) decodes the
    /// calldata of the functions in [`abi`] strictly, runs them and ABI-encodes the
    /// result (see `strata_common::abi`). Unknown selectors and malformed calldata revert with
    /// empty data, as the SDK's router does; ETH is refused.
    ///
    /// # Errors
    /// The function's named error (or a callee's, bubbled unchanged); empty revert
    /// data for an unknown selector or malformed arguments.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        router::route(self, calldata)
    }
}

/// The external functions (routed by [`router`]; declared in [`abi`]).
impl ClearingHouse {
    // ------------------------------------------------------------------ trading

    /// Opens, increases, reduces or reverses the caller's position in `amm`.
    ///
    /// `side` 0 BUY (long) / 1 SELL (short); `margin` (18 decimals, floored to token
    /// precision) times `leverage` (WAD) is the quote notional traded. Same side (or no
    /// position): the margin is pulled and the position grows. Opposite side smaller
    /// than the position: it is reduced by that notional and no margin is pulled.
    /// Opposite side at least as large: the position is closed and the remainder opens
    /// on the other side at the same leverage. `base_asset_amount_limit` (0 = none) is
    /// the minimum base for a BUY, the maximum for a SELL. Toll and spread on the
    /// notional are paid on top.
    ///
    /// # Errors
    /// [`ClearingHousePaused`], [`ClearingHouseMarketNotListed`],
    /// [`ClearingHouseInvalidSide`], [`ClearingHouseInvalidAmount`],
    /// [`ClearingHouseInvalidLeverage`], [`ClearingHouseRestrictionMode`],
    /// [`ClearingHouseInsufficientMargin`], [`ClearingHouseBadDebt`], and the engine's,
    /// vAMM's and vault's errors (bubbled unchanged).
    ///
    /// # Events
    /// `PositionChanged`.
    pub fn open_position(
        &mut self,
        amm: Address,
        side: u8,
        margin: U256,
        leverage: U256,
        base_asset_amount_limit: U256,
    ) -> Result<(), BoxErr> {
        let (_, block) = clock::now_and_block();
        self.open_position_at(block, amm, side, margin, leverage, base_asset_amount_limit)
    }

    /// Closes the caller's whole position in `amm`. `quote_asset_amount_limit` (0 =
    /// none) is the minimum quote for closing a long, the maximum for a short.
    ///
    /// # Errors
    /// [`ClearingHousePaused`], [`ClearingHouseMarketNotListed`],
    /// [`ClearingHouseNoPosition`], [`ClearingHouseRestrictionMode`],
    /// [`ClearingHouseBadDebt`] (an underwater position can only be liquidated), the
    /// engine's, vAMM's and vault's errors.
    ///
    /// # Events
    /// `PositionChanged`.
    pub fn close_position(
        &mut self,
        amm: Address,
        quote_asset_amount_limit: U256,
    ) -> Result<(), BoxErr> {
        let (_, block) = clock::now_and_block();
        self.close_position_at(block, amm, WAD, quote_asset_amount_limit)
    }

    /// Closes `partial_close_ratio` (WAD, in (0, 1]) of the caller's position;
    /// `quote_asset_amount_limit` bounds the quote exchanged as in `closePosition`.
    ///
    /// # Errors
    /// As [`Self::close_position`], plus [`ClearingHouseInvalidRatio`].
    ///
    /// # Events
    /// `PositionChanged`.
    pub fn partial_close(
        &mut self,
        amm: Address,
        partial_close_ratio: U256,
        quote_asset_amount_limit: U256,
    ) -> Result<(), BoxErr> {
        let (_, block) = clock::now_and_block();
        self.close_position_at(block, amm, partial_close_ratio, quote_asset_amount_limit)
    }

    /// Adds `amount` (floored to token precision) to the caller's margin in `amm`.
    /// Funding is not settled (a position in bad debt shows zero margin until the
    /// added margin exceeds it).
    ///
    /// # Errors
    /// [`ClearingHousePaused`], [`ClearingHouseMarketNotListed`],
    /// [`ClearingHouseNoPosition`], [`ClearingHouseInvalidAmount`],
    /// [`ClearingHouseRestrictionMode`], vault errors.
    ///
    /// # Events
    /// `MarginChanged`.
    pub fn add_margin(&mut self, amm: Address, amount: U256) -> Result<(), BoxErr> {
        let (_, block) = clock::now_and_block();
        self.change_margin_at(block, amm, amount, true)
    }

    /// Removes `amount` (floored to token precision) from the caller's margin in
    /// `amm`, settling funding; see the margin rules in the module docs.
    ///
    /// # Errors
    /// As [`Self::add_margin`], plus [`ClearingHouseInsufficientFreeCollateral`] and
    /// [`ClearingHouseInsufficientMargin`].
    ///
    /// # Events
    /// `MarginChanged`.
    pub fn remove_margin(&mut self, amm: Address, amount: U256) -> Result<(), BoxErr> {
        let (_, block) = clock::now_and_block();
        self.change_margin_at(block, amm, amount, false)
    }

    /// Liquidates `trader`'s position in `amm` (partially or fully, see the module
    /// docs); the caller earns the liquidator fee.
    ///
    /// # Errors
    /// [`ClearingHousePaused`], [`ClearingHouseMarketNotListed`],
    /// [`ClearingHouseNoPosition`], [`ClearingHouseNotLiquidatable`],
    /// [`ClearingHouseNotBackstopLiquidator`], the vault's `VaultInsufficientInsurance`
    /// (bubbled), the engine's and vAMM's errors.
    ///
    /// # Events
    /// `RestrictionModeEntered`, `PositionLiquidated`, `PositionChanged`.
    pub fn liquidate(&mut self, amm: Address, trader: Address) -> Result<(), BoxErr> {
        let (_, block) = clock::now_and_block();
        self.liquidate_at(block, amm, trader)
    }

    /// Settles a funding period of `amm`; anyone may call at or after its
    /// `nextFundingTime`.
    ///
    /// # Errors
    /// [`ClearingHousePaused`], [`ClearingHouseMarketNotListed`], the vAMM's
    /// `VammFundingTooEarly` and oracle errors, the vault's
    /// `VaultInsufficientInsurance` / `VaultInsufficientPool` (bubbled).
    ///
    /// # Events
    /// `FundingPaid`.
    pub fn pay_funding(&mut self, amm: Address) -> Result<(), BoxErr> {
        self.market_check(amm)?;
        let [fraction, to_fund] =
            call(self.engine.get(), calls::SETTLE_FUNDING, &[amm.word()], false)?.words()?;
        let (fraction, to_fund) = (int(fraction), int(to_fund));
        let cpf =
            self.markets.get(amm).cpf.get().checked_add(fraction).ok_or(MathError::Overflow)?;
        self.markets.setter(amm).cpf.set(cpf);
        self.settle_insurance(to_fund, U256::ZERO, Address::ZERO)?;
        emit(
            &[FundingPaid::SIGNATURE_HASH, amm.into_word()],
            &[fraction.word(), cpf.word(), to_fund.word()],
        );
        Ok(())
    }

    // -------------------------------------------------------------------- owner

    /// Scales `amm`'s k by `multiplier` (WAD) and settles the cost the vAMM reports
    /// with the insurance fund (the fund pays a positive cost, receives a negative one).
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`ClearingHouseMarketNotListed`], the vAMM's
    /// `VammInvalidMultiplier`, the vault's `VaultInsufficientInsurance`.
    ///
    /// # Events
    /// The vAMM's `KAdjusted`, the vault's `InsuranceTransferred`.
    pub fn adjust_k(&mut self, amm: Address, multiplier: U256) -> Result<(), BoxErr> {
        self.only_owner()?;
        self.listed(amm)?;
        let cost =
            int(call(self.engine.get(), calls::ADJUST_K, &[amm.word(), multiplier], false)?
                .uint()?);
        self.settle_insurance(neg(cost)?, U256::ZERO, Address::ZERO)
    }

    /// Sets the engine (deployed with this contract's address), once.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`ClearingHouseNotAContract`],
    /// [`ClearingHouseEngineAlreadySet`].
    ///
    /// # Events
    /// `EngineSet`.
    pub fn set_engine(&mut self, engine: Address) -> Result<(), BoxErr> {
        self.only_owner()?;
        let current = self.engine.get();
        if !current.is_zero() {
            return Err(ClearingHouseEngineAlreadySet { current }.into());
        }
        require_contract(engine)?;
        self.engine.set(engine);
        emit(&[EngineSet::SIGNATURE_HASH], &[engine.word()]);
        Ok(())
    }

    /// Lists `amm` (a vAMM whose counterparty is this clearing house's engine).
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`ClearingHouseEngineNotSet`],
    /// [`ClearingHouseNotAContract`], [`ClearingHouseMarketAlreadyListed`].
    ///
    /// # Events
    /// `MarketListed`.
    pub fn add_market(&mut self, amm: Address) -> Result<(), BoxErr> {
        self.only_owner()?;
        if self.engine.get().is_zero() {
            return Err(ClearingHouseEngineNotSet {}.into());
        }
        require_contract(amm)?;
        if self.markets.get(amm).listed.get() {
            return Err(ClearingHouseMarketAlreadyListed { amm }.into());
        }
        self.markets.setter(amm).listed.set(true);
        emit(&[MarketListed::SIGNATURE_HASH, amm.into_word()], &[true.word()]);
        Ok(())
    }

    /// Unlists `amm`; it must hold no open position.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`ClearingHouseMarketNotListed`],
    /// [`ClearingHouseMarketNotEmpty`].
    ///
    /// # Events
    /// `MarketListed`.
    pub fn remove_market(&mut self, amm: Address) -> Result<(), BoxErr> {
        self.only_owner()?;
        self.listed(amm)?;
        let open_positions = self.markets.get(amm).open_positions.get();
        if !open_positions.is_zero() {
            return Err(ClearingHouseMarketNotEmpty { amm, openPositions: open_positions }.into());
        }
        self.markets.setter(amm).listed.set(false);
        emit(&[MarketListed::SIGNATURE_HASH, amm.into_word()], &[false.word()]);
        Ok(())
    }

    /// Sets the risk parameters (WAD): `0 < mmr ≤ imr ≤ 1`, `lfr ≤ mmr`, `plr ≤ 1`,
    /// `spreadLimit ≤ 1`.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`ClearingHouseInvalidRiskParameters`].
    ///
    /// # Events
    /// `RiskParametersChanged`.
    pub fn set_risk_parameters(
        &mut self,
        init_margin_ratio: U256,
        maintenance_margin_ratio: U256,
        liquidation_fee_ratio: U256,
        partial_liquidation_ratio: U256,
        spread_limit_ratio: U256,
    ) -> Result<(), BoxErr> {
        self.only_owner()?;
        self.write_risk_parameters(
            init_margin_ratio,
            maintenance_margin_ratio,
            liquidation_fee_ratio,
            partial_liquidation_ratio,
            spread_limit_ratio,
        )
    }

    /// Allows (or stops) `account` to liquidate positions with bad debt.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`.
    ///
    /// # Events
    /// `BackstopLiquidatorChanged`.
    pub fn set_backstop_liquidator(
        &mut self,
        account: Address,
        is_backstop: bool,
    ) -> Result<(), BoxErr> {
        self.only_owner()?;
        self.backstop.setter(account).set(is_backstop);
        emit(
            &[BackstopLiquidatorChanged::SIGNATURE_HASH, account.into_word()],
            &[is_backstop.word()],
        );
        Ok(())
    }

    /// Pauses (or resumes) every trader action, liquidation and funding payment.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`.
    ///
    /// # Events
    /// `PauseChanged`.
    pub fn set_paused(&mut self, paused: bool) -> Result<(), BoxErr> {
        self.only_owner()?;
        self.paused.set(paused);
        emit(&[PauseChanged::SIGNATURE_HASH], &[paused.word()]);
        Ok(())
    }

    // -------------------------------------------------------------------- views

    /// `trader`'s stored position in `amm`: `(size, margin, openNotional,
    /// lastUpdatedCumulativePremiumFraction, blockNumber)` (funding not applied).
    pub fn get_position(&self, amm: Address, trader: Address) -> (I256, U256, U256, I256, U256) {
        let p = self.position_of(amm, trader);
        (p.size, p.margin, p.open_notional, p.last_cpf, U256::from(p.block))
    }

    /// `trader`'s position in `amm` with pending funding applied:
    /// `(size, margin, badDebt, fundingPayment)`.
    ///
    /// # Errors
    /// The engine's `ClearingHouseEngineMath` on overflow.
    pub fn get_position_with_funding_payment(
        &self,
        amm: Address,
        trader: Address,
    ) -> Result<(I256, U256, U256, I256), BoxErr> {
        let p = self.position_of(amm, trader);
        let cpf = self.markets.get(amm).cpf.get();
        let args = [p.size.word(), p.margin, p.last_cpf.word(), cpf.word()];
        let [margin, bad_debt, funding] =
            call(self.engine.get(), calls::GET_FUNDING_PAYMENT, &args, true)?.words()?;
        Ok((p.size, margin, bad_debt, int(funding)))
    }

    /// `(positionNotional, unrealizedPnl)` of `trader`'s position in `amm` under
    /// `pnl_calc_option` (0 SPOT, 1 TWAP, 2 ORACLE); zeros without a position.
    ///
    /// # Errors
    /// The engine's `ClearingHouseEngineInvalidPnlOption`, the vAMM's errors.
    pub fn get_position_notional_and_unrealized_pnl(
        &self,
        amm: Address,
        trader: Address,
        pnl_calc_option: u8,
    ) -> Result<(U256, I256), BoxErr> {
        let p = self.position_of(amm, trader);
        let args = [amm.word(), p.size.word(), p.open_notional, pnl_calc_option.word()];
        let [notional, pnl] =
            call(self.engine.get(), calls::GET_POSITION_NOTIONAL, &args, true)?.words()?;
        Ok((notional, int(pnl)))
    }

    /// The margin ratio a liquidation checks (see the module docs).
    ///
    /// # Errors
    /// [`ClearingHouseNoPosition`], the engine's and vAMM's errors.
    pub fn get_margin_ratio(&self, amm: Address, trader: Address) -> Result<I256, BoxErr> {
        let p = self.position_of(amm, trader);
        require_position(amm, trader, &p)?;
        let cpf = self.markets.get(amm).cpf.get();
        let p = Self::position_args(amm, &p, cpf);
        let args = [
            p[0],
            p[1],
            p[2],
            p[3],
            p[4],
            p[5],
            self.init_margin_ratio.get(),
            self.liquidation_fee_ratio.get(),
            self.spread_limit_ratio.get(),
        ];
        let [_, _, ratio, _, _] =
            call(self.engine.get(), calls::GET_MARGIN_RATIOS, &args, true)?.words()?;
        Ok(int(ratio))
    }

    /// The latest cumulative premium fraction of `amm`.
    pub fn get_latest_cumulative_premium_fraction(&self, amm: Address) -> I256 {
        self.markets.get(amm).cpf.get()
    }

    /// `(listed, cumulativePremiumFraction, lastRestrictionBlock, openInterestNotional,
    /// openPositions)` of `amm`; open interest is Σ open notional of its positions.
    pub fn get_market(&self, amm: Address) -> (bool, I256, u64, U256, U256) {
        let m = self.markets.get(amm);
        (
            m.listed.get(),
            m.cpf.get(),
            m.restriction_block.get().to(),
            m.open_interest.get(),
            m.open_positions.get(),
        )
    }

    /// `(initMarginRatio, maintenanceMarginRatio, liquidationFeeRatio,
    /// partialLiquidationRatio, spreadLimitRatio)`.
    pub fn get_risk_parameters(&self) -> (U256, U256, U256, U256, U256) {
        (
            self.init_margin_ratio.get(),
            self.maintenance_margin_ratio.get(),
            self.liquidation_fee_ratio.get(),
            self.partial_liquidation_ratio.get(),
            self.spread_limit_ratio.get(),
        )
    }

    /// Whether `account` may realise bad debt when liquidating.
    pub fn is_backstop_liquidator(&self, account: Address) -> bool {
        self.backstop.get(account)
    }

    /// `(vault, engine, paused, open positions in all markets)`.
    pub fn get_state(&self) -> (Address, Address, bool, U256) {
        (self.vault.get(), self.engine.get(), self.paused.get(), self.open_positions.get())
    }

    /// Current owner.
    pub fn owner(&self) -> Address {
        self.ownable.owner()
    }

    /// Proposed owner awaiting acceptance.
    pub fn pending_owner(&self) -> Address {
        self.ownable.pending_owner()
    }

    /// Proposes a new owner.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`.
    ///
    /// # Events
    /// `OwnershipTransferStarted`.
    pub fn transfer_ownership(&mut self, new_owner: Address) -> Result<(), BoxErr> {
        Ok(self.ownable.transfer_ownership(env::sender(), new_owner)?)
    }

    /// Accepts a proposed ownership transfer.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount` unless called by the pending owner.
    ///
    /// # Events
    /// `OwnershipTransferred`.
    pub fn accept_ownership(&mut self) -> Result<(), BoxErr> {
        Ok(self.ownable.accept_ownership(env::sender())?)
    }

    /// Renounces ownership for good.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`.
    ///
    /// # Events
    /// `OwnershipTransferred`.
    pub fn renounce_ownership(&mut self) -> Result<(), BoxErr> {
        Ok(self.ownable.renounce_ownership(env::sender())?)
    }
}

// ---------------------------------------------------------------------- internals

fn require_contract(account: Address) -> Result<(), BoxErr> {
    if !env::has_code(account) {
        return Err(ClearingHouseNotAContract { account }.into());
    }
    Ok(())
}

fn require_position(amm: Address, trader: Address, p: &Position) -> Result<(), BoxErr> {
    if p.size.is_zero() {
        return Err(ClearingHouseNoPosition { amm, trader }.into());
    }
    Ok(())
}

impl ClearingHouse {
    fn only_owner(&self) -> Result<(), BoxErr> {
        Ok(self.ownable.only_owner(env::sender())?)
    }

    fn listed(&self, amm: Address) -> Result<(), BoxErr> {
        if !self.markets.get(amm).listed.get() {
            return Err(ClearingHouseMarketNotListed { amm }.into());
        }
        Ok(())
    }

    /// Not paused and `amm` listed.
    fn market_check(&self, amm: Address) -> Result<(), BoxErr> {
        if self.paused.get() {
            return Err(ClearingHousePaused {}.into());
        }
        self.listed(amm)
    }

    /// A trader action: not paused, listed, not restricted; returns the stored position.
    fn trader_check(&self, block: u64, amm: Address, trader: Address) -> Result<Position, BoxErr> {
        self.market_check(amm)?;
        let p = self.position_of(amm, trader);
        if self.markets.get(amm).restriction_block.get().to::<u64>() == block && p.block == block {
            return Err(ClearingHouseRestrictionMode { amm, blockNumber: U256::from(block) }.into());
        }
        Ok(p)
    }

    fn position_of(&self, amm: Address, trader: Address) -> Position {
        let market = self.markets.get(amm);
        let s = market.positions.get(trader);
        Position {
            size: s.size.get(),
            margin: s.margin.get(),
            open_notional: s.open_notional.get(),
            last_cpf: s.last_cpf.get(),
            block: s.block.get().to(),
        }
    }

    /// Writes `new` over `old`, keeping the market's open interest (Σ open notional)
    /// and the open-position counts in step.
    fn store(
        &mut self,
        amm: Address,
        trader: Address,
        old: &Position,
        new: &Position,
    ) -> Result<(), BoxErr> {
        let opened = old.size.is_zero() && !new.size.is_zero();
        let closed = !old.size.is_zero() && new.size.is_zero();
        let step = |count: U256| {
            if opened {
                count.checked_add(U256::ONE)
            } else if closed {
                count.checked_sub(U256::ONE)
            } else {
                Some(count)
            }
        };
        let total = step(self.open_positions.get()).ok_or(MathError::Overflow)?;
        self.open_positions.set(total);
        let mut market = self.markets.setter(amm);
        let oi = market
            .open_interest
            .get()
            .checked_sub(old.open_notional)
            .and_then(|oi| oi.checked_add(new.open_notional))
            .ok_or(MathError::Overflow)?;
        market.open_interest.set(oi);
        let count = step(market.open_positions.get()).ok_or(MathError::Overflow)?;
        market.open_positions.set(count);
        let mut s = market.positions.setter(trader);
        s.size.set(new.size);
        s.margin.set(new.margin);
        s.open_notional.set(new.open_notional);
        s.last_cpf.set(new.last_cpf);
        s.block.set(alloy_primitives::U64::from(new.block));
        Ok(())
    }

    /// The position words every engine call starts with: `[amm, size, margin,
    /// openNotional, lastCpf, cpf, 0, 0]` (the last two are the caller's).
    fn position_args(amm: Address, p: &Position, cpf: I256) -> [U256; 8] {
        [
            amm.word(),
            p.size.word(),
            p.margin,
            p.open_notional,
            p.last_cpf.word(),
            cpf.word(),
            U256::ZERO,
            U256::ZERO,
        ]
    }

    /// See [`Self::open_position`].
    fn open_position_at(
        &mut self,
        block: u64,
        amm: Address,
        side: u8,
        margin: U256,
        leverage: U256,
        base_limit: U256,
    ) -> Result<(), BoxErr> {
        let trader = env::sender();
        let old = self.trader_check(block, amm, trader)?;
        if side > SIDE_SELL {
            return Err(ClearingHouseInvalidSide { side }.into());
        }
        // 1/leverage ≥ initMarginRatio, i.e. ⌊1e36 / leverage⌋ ≥ imr ⟺ imr · leverage ≤ 1e36
        // (imr is an integer), checked without a division.
        let too_high =
            self.init_margin_ratio.get().checked_mul(leverage).is_none_or(|x| x > WAD_SQUARED);
        if leverage.is_zero() || too_high {
            return Err(ClearingHouseInvalidLeverage { leverage }.into());
        }
        let market = self.markets.get(amm);
        let (cpf, open_interest) = (market.cpf.get(), market.open_interest.get());
        let p = Self::position_args(amm, &old, cpf);
        let args = [
            p[0],
            p[1],
            p[2],
            p[3],
            p[4],
            p[5],
            side.word(),
            margin,
            leverage,
            self.scale.get(),
            base_limit,
            open_interest,
            self.liquidation_fee_ratio.get(),
        ];
        let words: [U256; 15] =
            call(self.engine.get(), calls::OPEN_POSITION, &args, false)?.words()?;
        // The engine floors the margin to the token precision; zero traded nothing.
        if words[14].is_zero() {
            return Err(ClearingHouseInvalidAmount { amount: margin }.into());
        }
        let trade = Trade::decode(&words, cpf, block);
        if !trade.bad_debt.is_zero() {
            return Err(ClearingHouseBadDebt { badDebt: trade.bad_debt }.into());
        }
        // The ratio after growing (or reversing) an existing position: ≥ maintenance.
        let ratio = int(words[13]);
        let required = self.maintenance_margin_ratio.get();
        if ratio < signed(required)? {
            return Err(ClearingHouseInsufficientMargin { marginRatio: ratio, required }.into());
        }
        self.settle_trade(amm, trader, &old, &trade)
    }

    /// Stores the traded position, settles margin and fees with the vault and emits
    /// `PositionChanged`.
    fn settle_trade(
        &mut self,
        amm: Address,
        trader: Address,
        old: &Position,
        trade: &Trade,
    ) -> Result<(), BoxErr> {
        self.store(amm, trader, old, &trade.position)?;
        self.settle_vault(trader, trade.margin_to_vault, trade.toll, trade.spread)?;
        let fee = trade.toll.checked_add(trade.spread).ok_or(MathError::Overflow)?;
        Self::emit_position_changed(amm, trader, trade, fee, U256::ZERO);
        self.sweep_if_flat(trade)
    }

    /// `vault.settleTrader(trader, marginDelta, toll, spread)`.
    fn settle_vault(
        &mut self,
        trader: Address,
        margin_delta: I256,
        toll: U256,
        spread: U256,
    ) -> Result<(), BoxErr> {
        let args = [trader.word(), margin_delta.word(), toll, spread];
        call(self.vault.get(), calls::SETTLE_TRADER, &args, false).map(|_| ())
    }

    /// With no position left anywhere, the pool holds only rounding remainder.
    fn sweep_if_flat(&mut self, trade: &Trade) -> Result<(), BoxErr> {
        if trade.position.size.is_zero() && self.open_positions.get().is_zero() {
            call(self.vault.get(), calls::SWEEP_POOL, &[], false)?;
        }
        Ok(())
    }

    fn emit_position_changed(
        amm: Address,
        trader: Address,
        trade: &Trade,
        fee: U256,
        penalty: U256,
    ) {
        // (margin, positionNotional, exchangedPositionSize, fee, positionSizeAfter,
        // realizedPnl, unrealizedPnlAfter, badDebt, liquidationPenalty, spotPrice,
        // fundingPayment)
        emit(
            &[PositionChanged::SIGNATURE_HASH, trader.into_word(), amm.into_word()],
            &[
                trade.position.margin,
                trade.exchanged_quote,
                trade.exchanged_size.word(),
                fee,
                trade.position.size.word(),
                trade.realized_pnl.word(),
                trade.unrealized_pnl_after.word(),
                trade.bad_debt,
                penalty,
                trade.spot_price,
                trade.funding_payment.word(),
            ],
        );
    }

    /// Full close (`ratio` = 1e18) or partial close of the caller's position.
    fn close_position_at(
        &mut self,
        block: u64,
        amm: Address,
        ratio: U256,
        quote_limit: U256,
    ) -> Result<(), BoxErr> {
        let trader = env::sender();
        let old = self.trader_check(block, amm, trader)?;
        require_position(amm, trader, &old)?;
        if ratio.is_zero() || ratio > WAD {
            return Err(ClearingHouseInvalidRatio { ratio }.into());
        }
        let cpf = self.markets.get(amm).cpf.get();
        let p = Self::position_args(amm, &old, cpf);
        let args = [
            p[0],
            p[1],
            p[2],
            p[3],
            p[4],
            p[5],
            ratio,
            quote_limit,
            self.partial_liquidation_ratio.get(),
        ];
        let words: [U256; 13] =
            call(self.engine.get(), calls::CLOSE_POSITION, &args, false)?.words()?;
        let trade = Trade::decode(&words, cpf, block);
        if !trade.bad_debt.is_zero() {
            return Err(ClearingHouseBadDebt { badDebt: trade.bad_debt }.into());
        }
        self.settle_trade(amm, trader, &old, &trade)
    }

    /// See [`Self::add_margin`] / [`Self::remove_margin`].
    fn change_margin_at(
        &mut self,
        block: u64,
        amm: Address,
        amount: U256,
        adding: bool,
    ) -> Result<(), BoxErr> {
        let trader = env::sender();
        let old = self.trader_check(block, amm, trader)?;
        require_position(amm, trader, &old)?;
        let scale = self.scale.get();
        let mut new = old;
        new.block = block;
        let (moved, funding) = if adding {
            let args = [amount, scale];
            let floored = call(self.engine.get(), calls::FLOOR_AMOUNT, &args, true)?.uint()?;
            if floored.is_zero() {
                return Err(ClearingHouseInvalidAmount { amount }.into());
            }
            new.margin = old.margin.checked_add(floored).ok_or(MathError::Overflow)?;
            (signed(floored)?, I256::ZERO)
        } else {
            let cpf = self.markets.get(amm).cpf.get();
            let p = Self::position_args(amm, &old, cpf);
            let args =
                [p[0], p[1], p[2], p[3], p[4], p[5], amount, self.init_margin_ratio.get(), scale];
            let words: [U256; 5] =
                call(self.engine.get(), calls::GET_MARGIN_AFTER_REMOVAL, &args, true)?.words()?;
            if words[4].is_zero() {
                return Err(ClearingHouseInvalidAmount { amount }.into());
            }
            let [remain, funding, ratio, free, floored] = words.map(int);
            new.margin = remain.unsigned_abs();
            new.last_cpf = cpf;
            // Free collateral (never counting unrealised profit); a negative margin
            // left shows as a negative free collateral.
            let free = if remain.is_negative() { remain } else { free };
            if free.is_negative() {
                return Err(ClearingHouseInsufficientFreeCollateral { freeCollateral: free }.into());
            }
            let required = self.init_margin_ratio.get();
            if ratio < signed(required)? {
                return Err(ClearingHouseInsufficientMargin { marginRatio: ratio, required }.into());
            }
            (neg(floored)?, funding)
        };
        self.store(amm, trader, &old, &new)?;
        self.settle_vault(trader, moved, U256::ZERO, U256::ZERO)?;
        emit(
            &[MarginChanged::SIGNATURE_HASH, trader.into_word(), amm.into_word()],
            &[moved.word(), funding.word()],
        );
        Ok(())
    }

    /// See [`Self::liquidate`].
    fn liquidate_at(&mut self, block: u64, amm: Address, trader: Address) -> Result<(), BoxErr> {
        self.market_check(amm)?;
        let liquidator = env::sender();
        let old = self.position_of(amm, trader);
        require_position(amm, trader, &old)?;
        let cpf = self.markets.get(amm).cpf.get();
        let p = Self::position_args(amm, &old, cpf);
        let args = [
            p[0],
            p[1],
            p[2],
            p[3],
            p[4],
            p[5],
            self.liquidation_fee_ratio.get(),
            self.partial_liquidation_ratio.get(),
            self.spread_limit_ratio.get(),
        ];
        let words: [U256; 19] =
            call(self.engine.get(), calls::LIQUIDATE_POSITION, &args, false)?.words()?;
        let trade = Trade::decode(&words, cpf, block);
        let [ratio, base, penalty, fee, fee_bad_debt, to_fund] =
            core::array::from_fn(|i| words.get(i.saturating_add(13)).copied().unwrap_or_default());
        let ratio = int(ratio);
        let mmr = self.maintenance_margin_ratio.get();
        if ratio >= signed(mmr)? {
            return Err(ClearingHouseNotLiquidatable {
                marginRatio: ratio,
                maintenanceMarginRatio: mmr,
            }
            .into());
        }
        let bad_debt = trade.bad_debt.checked_add(fee_bad_debt).ok_or(MathError::Overflow)?;
        let to_fund = int(to_fund);
        self.store(amm, trader, &old, &trade.position)?;
        self.markets.setter(amm).restriction_block.set(alloy_primitives::U64::from(block));
        self.settle_insurance(to_fund, bad_debt, liquidator)?;
        self.settle_vault(liquidator, neg(signed(fee)?)?, U256::ZERO, U256::ZERO)?;
        emit(&[RestrictionModeEntered::SIGNATURE_HASH], &[amm.word(), block.word()]);
        // (positionNotional, positionSize, liquidationFee, liquidator, badDebt)
        emit(
            &[PositionLiquidated::SIGNATURE_HASH, trader.into_word(), amm.into_word()],
            &[trade.exchanged_quote, base, fee, liquidator.word(), fee_bad_debt],
        );
        Self::emit_position_changed(amm, trader, &trade, U256::ZERO, penalty);
        self.sweep_if_flat(&trade)
    }

    /// The one gate for insurance-fund movements: `to_fund` from the pool to the fund
    /// (negative: the fund pays). Realising `bad_debt` needs a backstop liquidator;
    /// the vault reverts when the fund cannot cover a draw.
    fn settle_insurance(
        &mut self,
        to_fund: I256,
        bad_debt: U256,
        liquidator: Address,
    ) -> Result<(), BoxErr> {
        if !bad_debt.is_zero() && !self.backstop.get(liquidator) {
            return Err(ClearingHouseNotBackstopLiquidator { liquidator, badDebt: bad_debt }.into());
        }
        if to_fund.is_zero() {
            return Ok(());
        }
        call(self.vault.get(), calls::TRANSFER_INSURANCE, &[to_fund.word()], false).map(|_| ())
    }

    fn write_risk_parameters(
        &mut self,
        imr: U256,
        mmr: U256,
        lfr: U256,
        plr: U256,
        spread: U256,
    ) -> Result<(), BoxErr> {
        if mmr.is_zero() || mmr > imr || imr > WAD || lfr > mmr || plr > WAD || spread > WAD {
            return Err(ClearingHouseInvalidRiskParameters {}.into());
        }
        self.init_margin_ratio.set(imr);
        self.maintenance_margin_ratio.set(mmr);
        self.liquidation_fee_ratio.set(lfr);
        self.partial_liquidation_ratio.set(plr);
        self.spread_limit_ratio.set(spread);
        emit(&[RiskParametersChanged::SIGNATURE_HASH], &[imr, mmr, lfr, plr, spread]);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
