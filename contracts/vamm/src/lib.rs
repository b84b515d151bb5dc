//! Perp virtual AMM — one deployment per market (Perpetual Protocol v1 `Amm`, hardened).
//!
//! The vAMM prices perpetual positions with `x·y = k` over *virtual* reserves
//! that hold no tokens: collateral sits in the `vault`, positions in the
//! `clearing-house`. Only the clearing house swaps, settles funding and adjusts
//! k — through its engine (`clearing-house-engine`), the vAMM's *counterparty*,
//! fixed at deployment, which accepts calls from the clearing house alone.
//! Everyone can read.
//!
//! # Pricing (Dir: `ADD_TO_AMM = 0`, `REMOVE_FROM_AMM = 1`)
//!
//! ```text
//! k  = mulD(Q, B) = ⌊Q·B / 1e18⌋
//! getInputPrice(dir, q):  Q' = Q ± q,  B' = ⌊k·1e18 / Q'⌋,  out = |B' − B|
//! getOutputPrice(dir, b): B' = B ± b,  Q' = ⌊k·1e18 / B'⌋,  out = |Q' − Q|
//! 1-wei rule: when k·1e18 mod (Q' or B') ≠ 0, ADD returns 1 wei less and
//!             REMOVE 1 wei more, so after every trade mulD(Q', B') ≥ k.
//! ```
//!
//! long = `swapInput(ADD, quote)`, short = `swapInput(REMOVE, quote)`,
//! close long = `swapOutput(ADD, base)`, close short = `swapOutput(REMOVE, base)`.
//!
//! # Limits
//!
//! - A `REMOVE` trade may take at most `tradeLimitRatio` of the reserve it removes from.
//! - Fluctuation band: `lastPrice·(1 ± fluctuationLimitRatio)`, where `lastPrice` is
//!   the last price of the latest *earlier* block that traded (ratio 0: no band). The
//!   counterparty says what kind of trade it sends:
//!
//!   | trade | sent as | band rule |
//!   |---|---|---|
//!   | opening (open, increase; reduce/reverse through `openPosition`) | `swapInput(…, false)`; a reduction is previewed with `isOverFluctuationLimit` first | must end inside the band (`VammOverFluctuationLimit`) |
//!   | voluntary close (close, partial close) | `swapOutput(…, false)` (or `swapInput(…, true)`) | may end outside the band once per block: that uses the block's *exceptional move* |
//!   | liquidation (partial or full, keeper or backstop) | `swapOutput(…, true)` | not held to the band at all, and uses nothing |
//!
//!   Once a voluntary trade has left the band, no further voluntary trade (open or
//!   close) runs in that block (`VammAlreadyOverFluctuationLimit`); liquidations still
//!   do. So a sequence of small trades in one block is bounded by the same band as
//!   one large trade, and at most one voluntary close per block leaves it (the engine
//!   cuts a close that would leave it to `partialLiquidationRatio` of the position,
//!   Perp v1). A liquidation may leave the band, may run after the band was left, and
//!   does not use the exceptional move: an opening trade after it must still end
//!   inside the band around the previous block's price, and one voluntary close may
//!   still leave it. (The spec, after Perp v1, lets "a close/liquidation exceed it once
//!   per block"; there, colluders who close first in a block make every keeper's
//!   liquidation revert for the rest of the block — see `test/perp/README.md`.)
//!   `isOverFluctuationLimit(dir, base)` previews a voluntary close.
//!
//! # Snapshots and TWAP
//!
//! Every reserve change writes a snapshot `(Q, B, timestamp, block)`. A change less
//! than [`SNAPSHOT_SPACING`] (12 s) after the latest snapshot was *opened* overwrites
//! it (reserves, timestamp and block move to the change; the opening time stays), so
//! the history holds at most one snapshot per 12 s. TWAP over an interval weights each
//! snapshot's value by the seconds it was current (Perp v1 `calcTwap`): `getTwapPrice`
//! uses `Q/B`, `getInputTwap` / `getOutputTwap` evaluate the pricing functions on each
//! snapshot's reserves over [`SPOT_TWAP_INTERVAL`] (15 minutes). All TWAPs round down.
//!
//! Why coalesce: Perp v1 wrote one snapshot per block on a ~13 s L1, and every TWAP
//! (the margin checks of each trade among them) reads all snapshots in its window. On
//! Arbitrum, with ~4 blocks a second, per-block snapshots would let a 15-minute window
//! hold ~3,600 of them (≈ 3 cold slots, ~6.8k gas each): trading one wei per block would
//! soon push every trade past the block gas limit. With the spacing, a 15-minute TWAP
//! reads at most 76 snapshots and a 1-hour funding TWAP at most 301. The cost: states
//! that lasted less than the rest of their 12 s bucket are not seen by the TWAP — a
//! state counts from its own change, and the state before it stretches over the gap,
//! so a short-lived price move is dropped, never amplified.
//!
//! # Funding
//!
//! ```text
//! premium         = TWAP_mark(fundingPeriod) − TWAP_index(fundingPeriod)
//! premiumFraction = premium · fundingPeriod / 1 day                (toward zero)
//!                   clamped to ± maxFundingRate · TWAP_index · fundingPeriod / 1 day
//! fundingRate     = premiumFraction / TWAP_index                   (event only)
//! nextFundingTime = max(⌊(nextFundingTime + fundingPeriod) / 1h⌋·1h, now + fundingPeriod/2)
//! ```
//!
//! `maxFundingRate` is per day, WAD (`1e17` = 10% of the index per day); 0 means no cap.
//! The index comes from `power-oracle` (`IPowerOracle.getPrice/getTwap` for `oracleAsset`).
//!
//! # k adjustment
//!
//! `adjustK(m)` (clearing house only) scales both reserves by `m`; the price is
//! unchanged up to rounding. The new reserves must keep a net short position
//! closable (`B' > |S|`). What the new depth gives or takes from the traders'
//! net position is valued by the clearing house's engine and settled with the
//! insurance fund there; the vAMM never calls back.
//!
//! # Call graph
//!
//! `clearing-house → clearing-house-engine → vamm` (swaps, funding, k, views)
//! and `vamm → power-oracle` (static calls). The vAMM calls nothing else and
//! never calls its caller, so no call path re-enters a contract already on
//! the stack (Stylus reverts such calls).
//!
//! # Deployment
//!
//! `constructor(owner, counterparty, oracle, oracleAsset, quoteReserve, baseReserve,
//! tradeLimitRatio, fundingPeriod)`: the owner is an argument (cargo-stylus runs
//! constructors from its `StylusDeployer` contract). The market starts closed with
//! the spec's defaults — a 1.2% fluctuation limit, a funding cap of 10% of the index
//! per day, no toll, no spread — which the owner changes with the setters before
//! `setOpen(true)`.
//!
//! # ABI
//!
//! The functions are declared once in [`abi`] and served by a hand-written router
//! ([`router`], on `strata_common::abi`) instead of the SDK's generated one, and events go
//! through one untyped emitter (`strata_common::log::emit`): the vAMM did not fit its size budget otherwise.
//! `test/perp/tests/abi.rs` calls every function of the exported interface through
//! the router and decodes the answers with alloy.
//!
//! # Units
//!
//! Reserves, amounts and prices are 18-decimal fixed point; ratios are WAD;
//! times are seconds.
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

use alloc::{boxed::Box, vec::Vec};

pub mod abi;
pub use strata_common::clock;
mod num;
mod router;

use alloy_primitives::{Address, I256, U256};
use alloy_sol_types::sol;
use alloy_sol_types::SolEvent;
use num::{mul_div, wad_div, wad_mul};
use strata_common::{abi::Word, env, log::emit, ownable};
use strata_math::{MathError, WAD};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageI256, StorageU256, StorageU64, StorageVec},
    ArbResult,
};

/// TWAP interval of `getInputTwap` / `getOutputTwap` (Perp v1: 15 minutes).
pub const SPOT_TWAP_INTERVAL: u64 = 15 * 60;
/// Minimum seconds between the opening times of two snapshots (module docs,
/// "Snapshots and TWAP"): Ethereum's 12 s slot, the cadence Perp v1's per-block
/// TWAPs were designed for.
pub const SNAPSHOT_SPACING: u64 = 12;
/// Seconds in a day: funding rates are per day.
pub const ONE_DAY: u64 = 86_400;
/// Funding times are aligned to the hour.
pub const ONE_HOUR: u64 = 3_600;

/// The fluctuation limit a new market starts with: 1.2% per block (spec default).
pub const DEFAULT_FLUCTUATION_LIMIT_RATIO: U256 =
    alloy_primitives::uint!(12_000_000_000_000_000_U256);
/// The per-trader position cap a market starts with: this fraction of the initial base
/// reserve (1/20 = 5%). Without a cap, one voluntary close of a position far larger
/// than the depth can gap a colluding partner past bankruptcy in a single trade, at the
/// insurance fund's expense (`test/perp/README.md`, *Known limits*); at 5% a quarter of
/// a capped position moves the mark about 2.5%. The owner may change it (`setCap`).
pub const DEFAULT_MAX_HOLDING_DIVISOR: u64 = 20;
/// The funding-rate cap a new market starts with: 10% of the index per day.
pub const DEFAULT_MAX_FUNDING_RATE: U256 = alloy_primitives::uint!(100_000_000_000_000_000_U256);

/// `ADD_TO_AMM`: the amount goes into the AMM.
pub const DIR_ADD: u8 = 0;
/// `REMOVE_FROM_AMM`: the amount comes out of the AMM.
pub const DIR_REMOVE: u8 = 1;

strata_common::sol_events! {
    /// A `swapInput`: `quoteAssetAmount` in (`dir` 0) or out (`dir` 1) for `baseAssetAmount`.
    event SwapInput(uint8 dir, uint256 quoteAssetAmount, uint256 baseAssetAmount);
    /// A `swapOutput`: `baseAssetAmount` in (`dir` 0) or out (`dir` 1) for `quoteAssetAmount`.
    event SwapOutput(uint8 dir, uint256 quoteAssetAmount, uint256 baseAssetAmount);
    /// Funding settled: `rate` = premium fraction / index TWAP (WAD, signed).
    event FundingRateUpdated(int256 rate, uint256 underlyingPrice);
    /// Reserves after a change, for TWAP indexers.
    event ReserveSnapshotted(uint256 quoteAssetReserve, uint256 baseAssetReserve, uint256 timestamp);
    /// k scaled by `multiplier` (the clearing house settles the cost with the insurance fund).
    event KAdjusted(uint256 multiplier, uint256 quoteAssetReserve, uint256 baseAssetReserve);
    /// Trading opened or closed; `nextFundingTime` as set.
    event OpenChanged(bool open, uint256 nextFundingTime);
    /// Position and open-interest caps (0 = no cap).
    event CapChanged(uint256 maxHoldingBaseAsset, uint256 openInterestNotionalCap);
    /// Fluctuation limit per block (WAD, 0 = off).
    event FluctuationLimitRatioChanged(uint256 ratio);
    /// Spread fee ratio (to the insurance fund).
    event SpreadRatioChanged(uint256 ratio);
    /// Toll fee ratio (to the fee receiver).
    event TollRatioChanged(uint256 ratio);
    /// Maximum funding rate per day (WAD, 0 = no cap).
    event MaxFundingRateChanged(uint256 ratio);
}

/// Events of this contract, for the exported interface.
// Constant indices into constant arrays: an out-of-range index fails the build.
#[allow(clippy::indexing_slicing)]
pub const ALL_EVENTS_ABI: [&str; 13] = [
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
    EVENTS_ABI[10],
    ownable::OWNABLE_EVENTS_ABI[0],
    ownable::OWNABLE_EVENTS_ABI[1],
];

sol! {
    /// Only the counterparty (the clearing house's engine) may call this function.
    #[derive(Debug)]
    error VammOnlyCounterparty(address caller);
    /// The market is closed for trading.
    #[derive(Debug)]
    error VammClosed();
    /// `dir` is neither 0 (`ADD_TO_AMM`) nor 1 (`REMOVE_FROM_AMM`).
    #[derive(Debug)]
    error VammInvalidDirection(uint8 dir);
    /// A REMOVE trade of `amount` exceeds `limit` = tradeLimitRatio × reserve.
    #[derive(Debug)]
    error VammOverTradeLimit(uint256 amount, uint256 limit);
    /// Slippage: `baseAmount` is below the minimum (long) or above the maximum (short) `limit`.
    #[derive(Debug)]
    error VammBaseAmountLimit(uint256 baseAmount, uint256 limit);
    /// Slippage: `quoteAmount` is below the minimum (close long) or above the maximum (close short) `limit`.
    #[derive(Debug)]
    error VammQuoteAmountLimit(uint256 quoteAmount, uint256 limit);
    /// The trade would move the price to `price`, outside `[lowerLimit, upperLimit]`.
    #[derive(Debug)]
    error VammOverFluctuationLimit(uint256 price, uint256 lowerLimit, uint256 upperLimit);
    /// The price already left the band this block; no further trade is allowed this block.
    #[derive(Debug)]
    error VammAlreadyOverFluctuationLimit(uint256 price, uint256 lowerLimit, uint256 upperLimit);
    /// Removing `amount` would empty (or overdraw) a reserve of `reserve`.
    #[derive(Debug)]
    error VammInsufficientReserve(uint256 reserve, uint256 amount);
    /// A swap of `amount` would exchange nothing.
    #[derive(Debug)]
    error VammZeroAmountOut(uint256 amount);
    /// `settleFunding` before `nextFundingTime`.
    #[derive(Debug)]
    error VammFundingTooEarly(uint256 timestamp, uint256 nextFundingTime);
    /// The oracle call reverted or returned malformed data.
    #[derive(Debug)]
    error VammOracleCallFailed(address oracle);
    /// The oracle returned a zero price.
    #[derive(Debug)]
    error VammInvalidOraclePrice(uint256 price);
    /// The k multiplier is zero, one, or leaves a reserve unusable.
    #[derive(Debug)]
    error VammInvalidMultiplier(uint256 multiplier);
    /// A ratio above 1e18 (100%) where at most 100% makes sense.
    #[derive(Debug)]
    error VammInvalidRatio(uint256 ratio);
    /// Constructor: a zero reserve, trade limit or address, or a funding period of zero or above `uint64`.
    #[derive(Debug)]
    error VammInvalidConfig();
    /// Arithmetic failure (`code` = `strata_math::MathError::code`).
    #[derive(Debug)]
    error VammMath(uint8 code);
}

/// Errors of the vAMM.
#[derive(Debug)]
pub enum Error {
    /// See [`VammOnlyCounterparty`].
    OnlyCounterparty(VammOnlyCounterparty),
    /// See [`VammClosed`].
    Closed(VammClosed),
    /// See [`VammInvalidDirection`].
    InvalidDirection(VammInvalidDirection),
    /// See [`VammOverTradeLimit`].
    OverTradeLimit(VammOverTradeLimit),
    /// See [`VammBaseAmountLimit`].
    BaseAmountLimit(VammBaseAmountLimit),
    /// See [`VammQuoteAmountLimit`].
    QuoteAmountLimit(VammQuoteAmountLimit),
    /// See [`VammOverFluctuationLimit`].
    OverFluctuationLimit(VammOverFluctuationLimit),
    /// See [`VammAlreadyOverFluctuationLimit`].
    AlreadyOverFluctuationLimit(VammAlreadyOverFluctuationLimit),
    /// See [`VammInsufficientReserve`].
    InsufficientReserve(VammInsufficientReserve),
    /// See [`VammZeroAmountOut`].
    ZeroAmountOut(VammZeroAmountOut),
    /// See [`VammFundingTooEarly`].
    FundingTooEarly(VammFundingTooEarly),
    /// See [`VammOracleCallFailed`].
    OracleCallFailed(VammOracleCallFailed),
    /// See [`VammInvalidOraclePrice`].
    InvalidOraclePrice(VammInvalidOraclePrice),
    /// See [`VammInvalidMultiplier`].
    InvalidMultiplier(VammInvalidMultiplier),
    /// See [`VammInvalidRatio`].
    InvalidRatio(VammInvalidRatio),
    /// See [`VammInvalidConfig`].
    InvalidConfig(VammInvalidConfig),
    /// See [`VammMath`].
    Math(VammMath),
    /// Caller is not the owner.
    Unauthorized(ownable::OwnableUnauthorizedAccount),
    /// Zero owner.
    InvalidOwner(ownable::OwnableInvalidOwner),
}

/// Errors travel boxed: a `Result` then stays two words wide, which keeps the
/// WASM markedly smaller than moving the full enum through every `?`.
pub type BoxErr = Box<Error>;

/// The revert data of an error: its selector and its (static) fields, one word
/// each — hand-encoded through one encoder (`strata_common::abi::encode`) instead of an
/// encoder per error type; a unit test checks every variant against alloy's
/// `SolError::abi_encode`.
impl From<BoxErr> for Vec<u8> {
    fn from(e: BoxErr) -> Self {
        use alloy_sol_types::SolError;
        use strata_common::abi::encode;
        match *e {
            Error::OnlyCounterparty(e) => {
                encode(&VammOnlyCounterparty::SELECTOR, &[e.caller.word()])
            }
            Error::Closed(_) => encode(&VammClosed::SELECTOR, &[]),
            Error::InvalidDirection(e) => encode(&VammInvalidDirection::SELECTOR, &[e.dir.word()]),
            Error::OverTradeLimit(e) => encode(&VammOverTradeLimit::SELECTOR, &[e.amount, e.limit]),
            Error::BaseAmountLimit(e) => {
                encode(&VammBaseAmountLimit::SELECTOR, &[e.baseAmount, e.limit])
            }
            Error::QuoteAmountLimit(e) => {
                encode(&VammQuoteAmountLimit::SELECTOR, &[e.quoteAmount, e.limit])
            }
            Error::OverFluctuationLimit(e) => {
                encode(&VammOverFluctuationLimit::SELECTOR, &[e.price, e.lowerLimit, e.upperLimit])
            }
            Error::AlreadyOverFluctuationLimit(e) => encode(
                &VammAlreadyOverFluctuationLimit::SELECTOR,
                &[e.price, e.lowerLimit, e.upperLimit],
            ),
            Error::InsufficientReserve(e) => {
                encode(&VammInsufficientReserve::SELECTOR, &[e.reserve, e.amount])
            }
            Error::ZeroAmountOut(e) => encode(&VammZeroAmountOut::SELECTOR, &[e.amount]),
            Error::FundingTooEarly(e) => {
                encode(&VammFundingTooEarly::SELECTOR, &[e.timestamp, e.nextFundingTime])
            }
            Error::OracleCallFailed(e) => {
                encode(&VammOracleCallFailed::SELECTOR, &[e.oracle.word()])
            }
            Error::InvalidOraclePrice(e) => encode(&VammInvalidOraclePrice::SELECTOR, &[e.price]),
            Error::InvalidMultiplier(e) => {
                encode(&VammInvalidMultiplier::SELECTOR, &[e.multiplier])
            }
            Error::InvalidRatio(e) => encode(&VammInvalidRatio::SELECTOR, &[e.ratio]),
            Error::InvalidConfig(_) => encode(&VammInvalidConfig::SELECTOR, &[]),
            Error::Math(e) => encode(&VammMath::SELECTOR, &[e.code.word()]),
            Error::Unauthorized(e) => {
                encode(&ownable::OwnableUnauthorizedAccount::SELECTOR, &[e.account.word()])
            }
            Error::InvalidOwner(e) => {
                encode(&ownable::OwnableInvalidOwner::SELECTOR, &[e.owner.word()])
            }
        }
    }
}

#[cfg(feature = "export-abi")]
impl stylus_sdk::abi::export::internal::InnerTypes for BoxErr {
    fn inner_types() -> Vec<stylus_sdk::abi::export::internal::InnerType> {
        use alloy_sol_types::SolError;
        fn entry<E: SolError + 'static>() -> stylus_sdk::abi::export::internal::InnerType {
            stylus_sdk::abi::export::internal::InnerType {
                name: alloc::format!("error {};", E::SIGNATURE.replace(',', ", ")),
                id: core::any::TypeId::of::<E>(),
            }
        }
        alloc::vec![
            entry::<VammOnlyCounterparty>(),
            entry::<VammClosed>(),
            entry::<VammInvalidDirection>(),
            entry::<VammOverTradeLimit>(),
            entry::<VammBaseAmountLimit>(),
            entry::<VammQuoteAmountLimit>(),
            entry::<VammOverFluctuationLimit>(),
            entry::<VammAlreadyOverFluctuationLimit>(),
            entry::<VammInsufficientReserve>(),
            entry::<VammZeroAmountOut>(),
            entry::<VammFundingTooEarly>(),
            entry::<VammOracleCallFailed>(),
            entry::<VammInvalidOraclePrice>(),
            entry::<VammInvalidMultiplier>(),
            entry::<VammInvalidRatio>(),
            entry::<VammInvalidConfig>(),
            entry::<VammMath>(),
            entry::<ownable::OwnableUnauthorizedAccount>(),
            entry::<ownable::OwnableInvalidOwner>(),
        ]
    }
}

impl From<MathError> for BoxErr {
    fn from(e: MathError) -> Self {
        Box::new(Error::Math(VammMath { code: e.code() }))
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

#[allow(clippy::unnecessary_box_returns)] // the boxed error is the crate's error currency
fn overflow() -> BoxErr {
    MathError::Overflow.into()
}

/// Parses a direction byte.
fn is_add(dir: u8) -> Result<bool, BoxErr> {
    match dir {
        DIR_ADD => Ok(true),
        DIR_REMOVE => Ok(false),
        _ => Err(Box::new(Error::InvalidDirection(VammInvalidDirection { dir }))),
    }
}

/// `x ± amount` for the reserve that receives (`add`) or loses the amount;
/// losing must leave a non-zero reserve.
fn moved_reserve(add: bool, reserve: U256, amount: U256) -> Result<U256, BoxErr> {
    if add {
        reserve.checked_add(amount).ok_or_else(overflow)
    } else {
        reserve.checked_sub(amount).filter(|r| !r.is_zero()).ok_or_else(|| {
            Box::new(Error::InsufficientReserve(VammInsufficientReserve { reserve, amount }))
        })
    }
}

/// The shared body of both pricing functions: moves `in_reserve` by `amount`
/// (direction `add`), recomputes the other reserve from `k = mulD(in, other)`
/// and returns how much the other reserve moved, with the 1-wei rule.
fn price_with_reserves(
    add: bool,
    amount: U256,
    in_reserve: U256,
    other_reserve: U256,
) -> Result<U256, BoxErr> {
    if amount.is_zero() {
        return Ok(U256::ZERO);
    }
    let k = wad_mul(in_reserve, other_reserve)?;
    let in_after = moved_reserve(add, in_reserve, amount)?;
    // k·1e18 fits for any k below 2^256/1e18 ≈ 1.16e59 (reserves whose product is
    // below ~1e77); larger values are rejected as an overflow instead of wrapping.
    let scaled = k.checked_mul(WAD).ok_or_else(overflow)?;
    let (other_after, remainder) = scaled.div_rem(in_after);
    let out = other_after.abs_diff(other_reserve);
    if remainder.is_zero() {
        Ok(out)
    } else if add {
        // The trader receives 1 wei less; never below zero.
        Ok(out.saturating_sub(U256::ONE))
    } else {
        // The trader gives 1 wei more.
        out.checked_add(U256::ONE).ok_or_else(overflow)
    }
}

/// Base amount for `quote_amount` of quote added to (`dir` 0) or removed from (`dir` 1)
/// reserves `(quote_reserve, base_reserve)`. Perp v1 `getInputPriceWithReserves`.
///
/// # Errors
/// [`VammInvalidDirection`], [`VammInsufficientReserve`], [`VammMath`].
pub fn get_input_price_with_reserves(
    dir: u8,
    quote_amount: U256,
    quote_reserve: U256,
    base_reserve: U256,
) -> Result<U256, BoxErr> {
    price_with_reserves(is_add(dir)?, quote_amount, quote_reserve, base_reserve)
}

/// Quote amount for `base_amount` of base added to (`dir` 0) or removed from (`dir` 1)
/// reserves `(quote_reserve, base_reserve)`. Perp v1 `getOutputPriceWithReserves`.
///
/// # Errors
/// [`VammInvalidDirection`], [`VammInsufficientReserve`], [`VammMath`].
pub fn get_output_price_with_reserves(
    dir: u8,
    base_amount: U256,
    quote_reserve: U256,
    base_reserve: U256,
) -> Result<U256, BoxErr> {
    price_with_reserves(is_add(dir)?, base_amount, base_reserve, quote_reserve)
}

mod oracle_abi {
    #![allow(missing_docs)]
    // The two `IPowerOracle` views (strata_common::interfaces) the vAMM reads.
    alloy_sol_types::sol! {
        function getPrice(address asset) external view returns (uint256);
        function getTwap(address asset, uint256 window) external view returns (uint256);
    }
}

/// One reserve snapshot: the reserves after the last change of a bucket of at most
/// [`SNAPSHOT_SPACING`] seconds, current from `timestamp` (that change's time).
#[storage]
pub struct Snapshot {
    quote: StorageU256,
    base: StorageU256,
    timestamp: StorageU64,
    block: StorageU64,
    /// When the bucket opened: later changes before `opened + SNAPSHOT_SPACING`
    /// overwrite this snapshot.
    opened: StorageU64,
}

/// The virtual AMM of one market.
#[entrypoint]
#[storage]
pub struct Vamm {
    ownable: ownable::Ownable2Step,
    counterparty: StorageAddress,
    oracle: StorageAddress,
    oracle_asset: StorageAddress,
    quote_reserve: StorageU256,
    base_reserve: StorageU256,
    total_position_size: StorageI256,
    trade_limit_ratio: StorageU256,
    fluctuation_limit_ratio: StorageU256,
    toll_ratio: StorageU256,
    spread_ratio: StorageU256,
    max_funding_rate: StorageU256,
    max_holding_base: StorageU256,
    open_interest_cap: StorageU256,
    funding_rate: StorageI256,
    /// `Q/B` at the end of the latest block before the block of the latest reserve
    /// change: the centre of that block's fluctuation band. Written by the first change
    /// of every block (the snapshots coalesce blocks, so they cannot give it).
    band_price: StorageU256,
    // One slot: read together by every trade (`open`, `band_left_block`) and by
    // funding (`funding_period`, `next_funding_time`).
    open: StorageBool,
    /// `block + 1` of the last block in which a voluntary trade left the band.
    band_left_block: StorageU64,
    funding_period: StorageU64,
    next_funding_time: StorageU64,
    snapshots: StorageVec<Snapshot>,
}

/// How a trade is held to the per-block fluctuation band (module docs).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Band {
    /// An opening trade: must end inside the band.
    Stay,
    /// A voluntary close: may end outside the band, which uses the block's one
    /// exceptional move.
    Once,
    /// A liquidation: not held to the band, and uses nothing.
    Skip,
}

/// What a TWAP evaluates on each snapshot.
#[derive(Clone, Copy)]
enum TwapOf {
    /// `Q/B`.
    Spot,
    /// `getInputPrice(dir, amount)` on the snapshot's reserves.
    Input(u8, U256),
    /// `getOutputPrice(dir, amount)` on the snapshot's reserves.
    Output(u8, U256),
}

impl TwapOf {
    fn eval(self, q: U256, b: U256) -> Result<U256, BoxErr> {
        match self {
            TwapOf::Spot => Ok(wad_div(q, b)?),
            TwapOf::Input(dir, amount) => get_input_price_with_reserves(dir, amount, q, b),
            TwapOf::Output(dir, amount) => get_output_price_with_reserves(dir, amount, q, b),
        }
    }
}

#[public]
impl Vamm {
    /// Deploys a closed market (open it with `setOpen(true)`) owned by `owner`.
    ///
    /// The owner is an argument, not the caller: `cargo stylus deploy
    /// --constructor-args` runs the constructor from cargo-stylus's `StylusDeployer`
    /// contract, which would otherwise become the owner. `counterparty` (the clearing
    /// house's engine) is the only account allowed to swap, settle funding and adjust
    /// k. `oracle` / `oracle_asset` give the index price. `trade_limit_ratio` is WAD;
    /// `funding_period` is in seconds (at most `uint64`).
    ///
    /// The market starts with the spec's defaults — a fluctuation limit of 1.2% per
    /// block ([`DEFAULT_FLUCTUATION_LIMIT_RATIO`]), a funding cap of 10% of the index
    /// per day ([`DEFAULT_MAX_FUNDING_RATE`]), no toll and no spread, and a position cap
    /// of 5% of `base_reserve` ([`DEFAULT_MAX_HOLDING_DIVISOR`]) with no open-interest
    /// cap — which the owner changes with the setters before opening it. (They are not constructor
    /// arguments: every argument of the SDK's constructor decoder costs about 125
    /// bytes of compressed WASM, and the vAMM is at its size budget.)
    ///
    /// # Errors
    /// `OwnableInvalidOwner` for a zero owner; [`VammInvalidConfig`] for a zero
    /// reserve, trade limit or address, or a funding period of zero or above
    /// `uint64`; [`VammInvalidRatio`] for a trade limit above 1e18.
    ///
    /// # Events
    /// `OwnershipTransferred`, `CapChanged`, `ReserveSnapshotted`.
    #[constructor]
    #[allow(clippy::too_many_arguments)]
    pub fn constructor(
        &mut self,
        owner: Address,
        counterparty: Address,
        oracle: Address,
        oracle_asset: Address,
        quote_reserve: U256,
        base_reserve: U256,
        trade_limit_ratio: U256,
        funding_period: U256,
    ) -> Result<(), BoxErr> {
        let (now, block) = clock::now_and_block();
        // Above `uint64`: treated as zero, refused below.
        let funding_period = u64::try_from(funding_period).unwrap_or_default();
        if quote_reserve.is_zero()
            || base_reserve.is_zero()
            || trade_limit_ratio.is_zero()
            || funding_period == 0
            || counterparty.is_zero()
            || oracle.is_zero()
        {
            return Err(Box::new(Error::InvalidConfig(VammInvalidConfig {})));
        }
        check_ratio(trade_limit_ratio)?;
        self.ownable.init(owner)?;
        self.counterparty.set(counterparty);
        self.oracle.set(oracle);
        self.oracle_asset.set(oracle_asset);
        self.quote_reserve.set(quote_reserve);
        self.base_reserve.set(base_reserve);
        self.trade_limit_ratio.set(trade_limit_ratio);
        self.funding_period.set(alloy_primitives::U64::from(funding_period));
        self.fluctuation_limit_ratio.set(DEFAULT_FLUCTUATION_LIMIT_RATIO);
        self.max_funding_rate.set(DEFAULT_MAX_FUNDING_RATE);
        // base_reserve is non-zero (checked above), so the division cannot fail.
        let cap =
            base_reserve.checked_div(U256::from(DEFAULT_MAX_HOLDING_DIVISOR)).unwrap_or_default();
        self.max_holding_base.set(cap);
        emit(&[CapChanged::SIGNATURE_HASH], &[cap, U256::ZERO]);
        self.open_block(block)?;
        self.snapshot_at(now, block);
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
impl Vamm {
    // ------------------------------------------------------------------ pricing

    /// Base received (`dir` 0, long) or owed (`dir` 1, short) for `quote_amount`.
    ///
    /// # Errors
    /// [`VammInvalidDirection`], [`VammInsufficientReserve`], [`VammMath`].
    pub fn get_input_price(&self, dir: u8, quote_amount: U256) -> Result<U256, BoxErr> {
        get_input_price_with_reserves(
            dir,
            quote_amount,
            self.quote_reserve.get(),
            self.base_reserve.get(),
        )
    }

    /// Quote received (`dir` 0, base in: close long) or owed (`dir` 1, base out: close
    /// short) for `base_amount`.
    ///
    /// # Errors
    /// [`VammInvalidDirection`], [`VammInsufficientReserve`], [`VammMath`].
    pub fn get_output_price(&self, dir: u8, base_amount: U256) -> Result<U256, BoxErr> {
        get_output_price_with_reserves(
            dir,
            base_amount,
            self.quote_reserve.get(),
            self.base_reserve.get(),
        )
    }

    /// [`Self::get_input_price`] time-weighted over the last 15 minutes of snapshots.
    ///
    /// # Errors
    /// As [`Self::get_input_price`] on any snapshot in the window.
    pub fn get_input_twap(&self, dir: u8, quote_amount: U256) -> Result<U256, BoxErr> {
        let (now, _) = clock::now_and_block();
        self.twap_at(now, SPOT_TWAP_INTERVAL, TwapOf::Input(dir, quote_amount))
    }

    /// [`Self::get_output_price`] time-weighted over the last 15 minutes of snapshots.
    ///
    /// # Errors
    /// As [`Self::get_output_price`] on any snapshot in the window.
    pub fn get_output_twap(&self, dir: u8, base_amount: U256) -> Result<U256, BoxErr> {
        let (now, _) = clock::now_and_block();
        self.twap_at(now, SPOT_TWAP_INTERVAL, TwapOf::Output(dir, base_amount))
    }

    /// Whether closing `base_amount` in `dir` (0: base in, close long; 1: base out,
    /// close short) now would end outside the fluctuation band, or a voluntary trade
    /// already left it this block (Perp v1 `isOverFluctuationLimit`). Always false
    /// with ratio 0.
    ///
    /// # Errors
    /// [`VammInvalidDirection`], [`VammInsufficientReserve`], [`VammMath`].
    pub fn is_over_fluctuation_limit(&self, dir: u8, base_amount: U256) -> Result<bool, BoxErr> {
        let (_, block) = clock::now_and_block();
        let quote = self.get_output_price(dir, base_amount)?;
        match self.check_fluctuation_at(block, !is_add(dir)?, quote, base_amount, Band::Stay) {
            Ok(_) => Ok(false),
            Err(e)
                if matches!(
                    *e,
                    Error::OverFluctuationLimit(_) | Error::AlreadyOverFluctuationLimit(_)
                ) =>
            {
                Ok(true)
            }
            Err(e) => Err(e),
        }
    }

    /// Mark price `Q/B` (rounded down).
    ///
    /// # Errors
    /// [`VammMath`] on overflow.
    pub fn get_spot_price(&self) -> Result<U256, BoxErr> {
        Ok(wad_div(self.quote_reserve.get(), self.base_reserve.get())?)
    }

    /// Mark price time-weighted over the last `interval` seconds (0: spot).
    ///
    /// # Errors
    /// [`VammMath`] on overflow.
    pub fn get_twap_price(&self, interval: U256) -> Result<U256, BoxErr> {
        let (now, _) = clock::now_and_block();
        self.twap_at(now, seconds(interval), TwapOf::Spot)
    }

    /// Index price from the oracle.
    ///
    /// # Errors
    /// [`VammOracleCallFailed`], [`VammInvalidOraclePrice`] for a zero price.
    pub fn get_underlying_price(&self) -> Result<U256, BoxErr> {
        self.oracle_price(None)
    }

    /// Index price TWAP over `interval` seconds from the oracle.
    ///
    /// # Errors
    /// [`VammOracleCallFailed`] (including a history shorter than `interval`),
    /// [`VammInvalidOraclePrice`].
    pub fn get_underlying_twap_price(&self, interval: U256) -> Result<U256, BoxErr> {
        self.index_twap(seconds(interval))
    }

    /// `(quoteReserve, baseReserve)`.
    pub fn get_reserves(&self) -> (U256, U256) {
        (self.quote_reserve.get(), self.base_reserve.get())
    }

    /// `(toll, spread)` = `quote_amount × (tollRatio, spreadRatio)`, rounded down
    /// (the clearing house rounds the charge up to token precision).
    ///
    /// # Errors
    /// [`VammMath`] on overflow.
    pub fn calc_fee(&self, quote_amount: U256) -> Result<(U256, U256), BoxErr> {
        Ok((
            wad_mul(quote_amount, self.toll_ratio.get())?,
            wad_mul(quote_amount, self.spread_ratio.get())?,
        ))
    }

    /// `(maxHoldingBaseAsset, openInterestNotionalCap)`; 0 means no cap. Enforced by
    /// the clearing house, which knows positions.
    pub fn get_caps(&self) -> (U256, U256) {
        (self.max_holding_base.get(), self.open_interest_cap.get())
    }

    /// Traders' net position in base (long positive): Σ of every position's size.
    pub fn total_position_size(&self) -> I256 {
        self.total_position_size.get()
    }

    // ---------------------------------------------------------- clearing house

    /// Swaps `quote_amount` of quote into (`dir` 0, long) or out of (`dir` 1, short)
    /// the AMM; returns the base amount. `base_amount_limit` (0 = none) is the minimum
    /// base for a long, the maximum for a short. An opening trade
    /// (`can_over_fluctuation_limit` false) must end inside the fluctuation band; with
    /// `true` it may leave it once per block, like a voluntary close (module docs).
    ///
    /// # Errors
    /// [`VammOnlyCounterparty`], [`VammClosed`], [`VammInvalidDirection`],
    /// [`VammOverTradeLimit`], [`VammBaseAmountLimit`], [`VammZeroAmountOut`],
    /// the fluctuation errors, [`VammInsufficientReserve`], [`VammMath`].
    ///
    /// # Events
    /// `SwapInput`, `ReserveSnapshotted`.
    pub fn swap_input(
        &mut self,
        dir: u8,
        quote_amount: U256,
        base_amount_limit: U256,
        can_over_fluctuation_limit: bool,
    ) -> Result<U256, BoxErr> {
        let (now, block) = clock::now_and_block();
        self.swap_input_at(
            now,
            block,
            dir,
            quote_amount,
            base_amount_limit,
            can_over_fluctuation_limit,
        )
    }

    /// Swaps `base_amount` of base into (`dir` 0, close long) or out of (`dir` 1,
    /// close short) the AMM; returns the quote amount. `quote_amount_limit` (0 = none)
    /// is the minimum quote received (close long) or maximum paid (close short).
    /// A voluntary close (`skip_fluctuation_check` false) may leave the fluctuation
    /// band once per block; a liquidation (`true`) is not held to the band and does
    /// not use the block's exceptional move (module docs).
    ///
    /// # Errors
    /// As [`Self::swap_input`], with [`VammQuoteAmountLimit`] for slippage.
    ///
    /// # Events
    /// `SwapOutput`, `ReserveSnapshotted`.
    pub fn swap_output(
        &mut self,
        dir: u8,
        base_amount: U256,
        quote_amount_limit: U256,
        skip_fluctuation_check: bool,
    ) -> Result<U256, BoxErr> {
        let (now, block) = clock::now_and_block();
        self.swap_output_at(
            now,
            block,
            dir,
            base_amount,
            quote_amount_limit,
            skip_fluctuation_check,
        )
    }

    /// Settles one funding period and returns its premium fraction (see module docs).
    ///
    /// # Errors
    /// [`VammOnlyCounterparty`], [`VammClosed`], [`VammFundingTooEarly`], oracle errors,
    /// [`VammMath`].
    ///
    /// # Events
    /// `FundingRateUpdated`.
    pub fn settle_funding(&mut self) -> Result<I256, BoxErr> {
        let (now, _) = clock::now_and_block();
        self.settle_funding_at(now)
    }

    /// Scales both reserves by `multiplier` (WAD) — the price is unchanged up to
    /// rounding — and returns the new `(quoteReserve, baseReserve)`. The clearing
    /// house's engine values the traders' net position on the old and the new curve
    /// and settles the difference with the insurance fund.
    ///
    /// # Errors
    /// [`VammOnlyCounterparty`], [`VammInvalidMultiplier`] (zero, one, or a curve the
    /// traders' net short position could not be closed on), [`VammMath`].
    ///
    /// # Events
    /// `KAdjusted`, `ReserveSnapshotted`.
    pub fn adjust_k(&mut self, multiplier: U256) -> Result<(U256, U256), BoxErr> {
        let (now, block) = clock::now_and_block();
        self.adjust_k_at(now, block, multiplier)
    }

    // ------------------------------------------------------------------- owner

    /// Opens or closes trading. Opening schedules the first funding at
    /// `⌊(now + fundingPeriod)/1h⌋·1h`.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`.
    ///
    /// # Events
    /// `OpenChanged`.
    pub fn set_open(&mut self, open: bool) -> Result<(), BoxErr> {
        let (now, _) = clock::now_and_block();
        self.only_owner()?;
        self.set_open_at(now, open)
    }

    /// Sets the per-trader position cap (base) and the open-interest cap (quote
    /// notional); 0 removes a cap.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`.
    ///
    /// # Events
    /// `CapChanged`.
    pub fn set_cap(
        &mut self,
        max_holding_base_asset: U256,
        open_interest_notional_cap: U256,
    ) -> Result<(), BoxErr> {
        self.only_owner()?;
        self.max_holding_base.set(max_holding_base_asset);
        self.open_interest_cap.set(open_interest_notional_cap);
        emit(&[CapChanged::SIGNATURE_HASH], &[max_holding_base_asset, open_interest_notional_cap]);
        Ok(())
    }

    /// Sets the per-block fluctuation limit (WAD, ≤ 1e18; 0 disables it).
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`VammInvalidRatio`].
    ///
    /// # Events
    /// `FluctuationLimitRatioChanged`.
    pub fn set_fluctuation_limit_ratio(&mut self, ratio: U256) -> Result<(), BoxErr> {
        self.only_owner()?;
        check_ratio(ratio)?;
        self.fluctuation_limit_ratio.set(ratio);
        emit(&[FluctuationLimitRatioChanged::SIGNATURE_HASH], &[ratio]);
        Ok(())
    }

    /// Sets the spread fee ratio (WAD, ≤ 1e18).
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`VammInvalidRatio`].
    ///
    /// # Events
    /// `SpreadRatioChanged`.
    pub fn set_spread_ratio(&mut self, ratio: U256) -> Result<(), BoxErr> {
        self.only_owner()?;
        check_ratio(ratio)?;
        self.spread_ratio.set(ratio);
        emit(&[SpreadRatioChanged::SIGNATURE_HASH], &[ratio]);
        Ok(())
    }

    /// Sets the toll fee ratio (WAD, ≤ 1e18).
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`VammInvalidRatio`].
    ///
    /// # Events
    /// `TollRatioChanged`.
    pub fn set_toll_ratio(&mut self, ratio: U256) -> Result<(), BoxErr> {
        self.only_owner()?;
        check_ratio(ratio)?;
        self.toll_ratio.set(ratio);
        emit(&[TollRatioChanged::SIGNATURE_HASH], &[ratio]);
        Ok(())
    }

    /// Sets the maximum funding rate per day (WAD of the index price; 0 = no cap).
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`.
    ///
    /// # Events
    /// `MaxFundingRateChanged`.
    pub fn set_max_funding_rate(&mut self, ratio: U256) -> Result<(), BoxErr> {
        self.only_owner()?;
        self.max_funding_rate.set(ratio);
        emit(&[MaxFundingRateChanged::SIGNATURE_HASH], &[ratio]);
        Ok(())
    }

    // ------------------------------------------------------------------ views

    /// Snapshot `index` as `(quote, base, timestamp, block, snapshotCount)`;
    /// zero reserves and times past the end.
    pub fn get_snapshot(&self, index: U256) -> (U256, U256, u64, u64, U256) {
        let count = U256::from(self.snapshots.len());
        let found = usize::try_from(index).ok().and_then(|i| self.snapshots.get(i));
        found.map_or((U256::ZERO, U256::ZERO, 0, 0, count), |s| {
            (s.quote.get(), s.base.get(), s.timestamp.get().to(), s.block.get().to(), count)
        })
    }

    /// Everything else an integrator or auditor reads, in one call:
    /// `(clearingHouse, oracle, oracleAsset, open, tradeLimitRatio,
    /// fluctuationLimitRatio, tollRatio, spreadRatio, maxFundingRate,
    /// fundingPeriod, nextFundingTime, fundingRate)`.
    #[allow(clippy::type_complexity)]
    pub fn get_config(
        &self,
    ) -> (Address, Address, Address, bool, U256, U256, U256, U256, U256, u64, u64, I256) {
        (
            self.counterparty.get(),
            self.oracle.get(),
            self.oracle_asset.get(),
            self.open.get(),
            self.trade_limit_ratio.get(),
            self.fluctuation_limit_ratio.get(),
            self.toll_ratio.get(),
            self.spread_ratio.get(),
            self.max_funding_rate.get(),
            self.funding_period.get().to(),
            self.next_funding_time.get().to(),
            self.funding_rate.get(),
        )
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

fn check_ratio(ratio: U256) -> Result<(), BoxErr> {
    if ratio > WAD {
        return Err(Box::new(Error::InvalidRatio(VammInvalidRatio { ratio })));
    }
    Ok(())
}

fn nonzero_price(price: U256) -> Result<U256, BoxErr> {
    if price.is_zero() {
        return Err(Box::new(Error::InvalidOraclePrice(VammInvalidOraclePrice { price })));
    }
    Ok(price)
}

impl Vamm {
    fn only_owner(&self) -> Result<(), BoxErr> {
        Ok(self.ownable.only_owner(env::sender())?)
    }

    fn only_counterparty(&self) -> Result<(), BoxErr> {
        let caller = env::sender();
        if caller != self.counterparty.get() {
            return Err(Box::new(Error::OnlyCounterparty(VammOnlyCounterparty { caller })));
        }
        Ok(())
    }

    fn only_open_counterparty(&self) -> Result<(), BoxErr> {
        self.only_counterparty()?;
        if !self.open.get() {
            return Err(Box::new(Error::Closed(VammClosed {})));
        }
        Ok(())
    }

    fn index_twap(&self, interval: u64) -> Result<U256, BoxErr> {
        self.oracle_price(Some(interval))
    }

    /// `oracle.getPrice(asset)`, or `oracle.getTwap(asset, window)` with a window: a
    /// static call with hand-encoded static arguments (one small function instead of
    /// a generated binding per method). Any failure, short return data or a zero
    /// price is an error.
    fn oracle_price(&self, window: Option<u64>) -> Result<U256, BoxErr> {
        use alloy_sol_types::SolCall;
        use oracle_abi::{getPriceCall, getTwapCall};
        use strata_common::{abi, call};
        let oracle = self.oracle.get();
        let failed = || Box::new(Error::OracleCallFailed(VammOracleCallFailed { oracle }));
        let asset = self.oracle_asset.get().word();
        let data = match window {
            None => abi::encode(&getPriceCall::SELECTOR, &[asset]),
            Some(w) => abi::encode(&getTwapCall::SELECTOR, &[asset, w.word()]),
        };
        // The price is the first word; no more is copied.
        let ret = call::call_contract(oracle, &data, true, abi::WORD).map_err(|_| failed())?;
        nonzero_price(abi::Args(&ret).uint(0).ok_or_else(failed)?)
    }

    /// See [`Self::swap_input`].
    ///
    /// # Errors
    /// As [`Self::swap_input`].
    pub fn swap_input_at(
        &mut self,
        now: u64,
        block: u64,
        dir: u8,
        quote_amount: U256,
        base_amount_limit: U256,
        can_over_fluctuation_limit: bool,
    ) -> Result<U256, BoxErr> {
        self.only_open_counterparty()?;
        let add = is_add(dir)?;
        if quote_amount.is_zero() {
            return Ok(U256::ZERO);
        }
        if !add {
            let limit = wad_mul(self.quote_reserve.get(), self.trade_limit_ratio.get())?;
            if quote_amount > limit {
                return Err(Box::new(Error::OverTradeLimit(VammOverTradeLimit {
                    amount: quote_amount,
                    limit,
                })));
            }
        }
        let base = self.get_input_price(dir, quote_amount)?;
        if base.is_zero() {
            return Err(Box::new(Error::ZeroAmountOut(VammZeroAmountOut { amount: quote_amount })));
        }
        if !base_amount_limit.is_zero()
            && ((add && base < base_amount_limit) || (!add && base > base_amount_limit))
        {
            return Err(Box::new(Error::BaseAmountLimit(VammBaseAmountLimit {
                baseAmount: base,
                limit: base_amount_limit,
            })));
        }
        let band = if can_over_fluctuation_limit { Band::Once } else { Band::Stay };
        self.update_reserve_at(now, block, add, quote_amount, base, band)?;
        emit(&[SwapInput::SIGNATURE_HASH], &[dir.word(), quote_amount, base]);
        Ok(base)
    }

    /// See [`Self::swap_output`].
    ///
    /// # Errors
    /// As [`Self::swap_output`].
    pub fn swap_output_at(
        &mut self,
        now: u64,
        block: u64,
        dir: u8,
        base_amount: U256,
        quote_amount_limit: U256,
        skip_fluctuation_check: bool,
    ) -> Result<U256, BoxErr> {
        self.only_open_counterparty()?;
        let add_base = is_add(dir)?;
        if base_amount.is_zero() {
            return Ok(U256::ZERO);
        }
        if !add_base {
            let limit = wad_mul(self.base_reserve.get(), self.trade_limit_ratio.get())?;
            if base_amount > limit {
                return Err(Box::new(Error::OverTradeLimit(VammOverTradeLimit {
                    amount: base_amount,
                    limit,
                })));
            }
        }
        let quote = self.get_output_price(dir, base_amount)?;
        if quote.is_zero() {
            return Err(Box::new(Error::ZeroAmountOut(VammZeroAmountOut { amount: base_amount })));
        }
        // Base in (close long): the trader receives quote, at least the limit.
        // Base out (close short): the trader pays quote, at most the limit.
        if !quote_amount_limit.is_zero()
            && ((add_base && quote < quote_amount_limit)
                || (!add_base && quote > quote_amount_limit))
        {
            return Err(Box::new(Error::QuoteAmountLimit(VammQuoteAmountLimit {
                quoteAmount: quote,
                limit: quote_amount_limit,
            })));
        }
        let band = if skip_fluctuation_check { Band::Skip } else { Band::Once };
        self.update_reserve_at(now, block, !add_base, quote, base_amount, band)?;
        emit(&[SwapOutput::SIGNATURE_HASH], &[dir.word(), quote, base_amount]);
        Ok(quote)
    }

    /// Moves the reserves (`add_quote`: quote in, base out) after the fluctuation
    /// check (`band`), tracks the traders' net position and snapshots.
    fn update_reserve_at(
        &mut self,
        now: u64,
        block: u64,
        add_quote: bool,
        quote: U256,
        base: U256,
        band: Band,
    ) -> Result<(), BoxErr> {
        self.open_block(block)?;
        if self.check_fluctuation_at(block, add_quote, quote, base, band)? {
            // The block's one exceptional move: no voluntary trade follows it.
            self.band_left_block.set(alloy_primitives::U64::from(block.saturating_add(1)));
        }
        let q = moved_reserve(add_quote, self.quote_reserve.get(), quote)?;
        let b = moved_reserve(!add_quote, self.base_reserve.get(), base)?;
        let base_signed = I256::try_from(base).map_err(|_| overflow())?;
        let size = self.total_position_size.get();
        let size =
            if add_quote { size.checked_add(base_signed) } else { size.checked_sub(base_signed) }
                .ok_or_else(overflow)?;
        self.quote_reserve.set(q);
        self.base_reserve.set(b);
        self.total_position_size.set(size);
        self.snapshot_at(now, block);
        Ok(())
    }

    /// Before a reserve change in `block`: if it is the block's first, the current
    /// price is the last price of the latest earlier block — the band's centre.
    fn open_block(&mut self, block: u64) -> Result<(), BoxErr> {
        if self.latest_snapshot_block() != Some(block) {
            self.band_price.set(wad_div(self.quote_reserve.get(), self.base_reserve.get())?);
        }
        Ok(())
    }

    /// The block of the latest reserve change (`None` before any snapshot).
    fn latest_snapshot_block(&self) -> Option<u64> {
        let last = self.snapshots.len().checked_sub(1)?;
        self.snapshots.get(last).map(|s| s.block.get().to::<u64>())
    }

    /// `(lower, upper)` band around the last price of the latest earlier block: the
    /// stored [`Vamm::band_price`] when the reserves already changed in `block`, else
    /// the current price.
    fn price_band_at(&self, block: u64) -> Result<(U256, U256), BoxErr> {
        let last_price = if self.latest_snapshot_block() == Some(block) {
            self.band_price.get()
        } else {
            wad_div(self.quote_reserve.get(), self.base_reserve.get())?
        };
        let ratio = self.fluctuation_limit_ratio.get();
        // ratio ≤ 1e18 (checked by the setters), so 1e18 − ratio cannot underflow.
        let upper = wad_mul(last_price, WAD.checked_add(ratio).ok_or_else(overflow)?)?;
        let lower = wad_mul(last_price, WAD.saturating_sub(ratio))?;
        Ok((lower, upper))
    }

    /// Checks a trade that moves the reserves by `quote` (in when `add_quote`) and
    /// `base` against the fluctuation band of `block` (see the module docs); returns
    /// whether it leaves the band, which only a [`Band::Once`] trade may do.
    fn check_fluctuation_at(
        &self,
        block: u64,
        add_quote: bool,
        quote: U256,
        base: U256,
        band: Band,
    ) -> Result<bool, BoxErr> {
        if self.fluctuation_limit_ratio.get().is_zero() || band == Band::Skip {
            return Ok(false);
        }
        let (lower, upper) = self.price_band_at(block)?;
        let (q, b) = (self.quote_reserve.get(), self.base_reserve.get());
        if self.band_left_block.get().to::<u64>() == block.saturating_add(1) {
            return Err(Box::new(Error::AlreadyOverFluctuationLimit(
                VammAlreadyOverFluctuationLimit {
                    price: wad_div(q, b)?,
                    lowerLimit: lower,
                    upperLimit: upper,
                },
            )));
        }
        let q_after = moved_reserve(add_quote, q, quote)?;
        let b_after = moved_reserve(!add_quote, b, base)?;
        let price = wad_div(q_after, b_after)?;
        let leaves = price > upper || price < lower;
        if leaves && band == Band::Stay {
            return Err(Box::new(Error::OverFluctuationLimit(VammOverFluctuationLimit {
                price,
                lowerLimit: lower,
                upperLimit: upper,
            })));
        }
        Ok(leaves)
    }

    /// Records the current reserves at `now`, overwriting the latest snapshot while
    /// its bucket is open (less than [`SNAPSHOT_SPACING`] seconds since it opened).
    fn snapshot_at(&mut self, now: u64, block: u64) {
        let (q, b) = (self.quote_reserve.get(), self.base_reserve.get());
        let latest = self.snapshots.len().checked_sub(1);
        let open_bucket = latest.filter(|&i| {
            self.snapshots
                .get(i)
                .is_some_and(|s| now < s.opened.get().to::<u64>().saturating_add(SNAPSHOT_SPACING))
        });
        let mut snapshot = if let Some(s) = open_bucket.and_then(|i| self.snapshots.setter(i)) {
            s
        } else {
            let mut s = self.snapshots.grow();
            s.opened.set(alloy_primitives::U64::from(now));
            s
        };
        snapshot.quote.set(q);
        snapshot.base.set(b);
        snapshot.timestamp.set(alloy_primitives::U64::from(now));
        snapshot.block.set(alloy_primitives::U64::from(block));
        emit(&[ReserveSnapshotted::SIGNATURE_HASH], &[q, b, now.word()]);
    }

    /// Perp v1 `calcTwap`: each snapshot's value weighted by the seconds it was
    /// current within `[now − interval, now]`; a history shorter than the interval
    /// is averaged over what exists. Rounds down.
    fn twap_at(&self, now: u64, interval: u64, of: TwapOf) -> Result<U256, BoxErr> {
        let len = self.snapshots.len();
        let Some(mut index) = len.checked_sub(1) else {
            return of.eval(self.quote_reserve.get(), self.base_reserve.get());
        };
        let read = |i: usize| {
            self.snapshots
                .get(i)
                .map(|s| (s.quote.get(), s.base.get(), s.timestamp.get().to::<u64>()))
                .ok_or_else(overflow)
        };
        let (q, b, mut previous) = read(index)?;
        let current = of.eval(q, b)?;
        let base_time = now.saturating_sub(interval);
        if interval == 0 || len == 1 || previous <= base_time {
            return Ok(current);
        }
        let mut period = now.saturating_sub(previous);
        let mut weighted = current.checked_mul(U256::from(period)).ok_or_else(overflow)?;
        loop {
            if index == 0 {
                if period == 0 {
                    return Ok(current);
                }
                return weighted.checked_div(U256::from(period)).ok_or_else(overflow);
            }
            index = index.saturating_sub(1);
            let (q, b, timestamp) = read(index)?;
            let value = of.eval(q, b)?;
            if timestamp <= base_time {
                let slice = U256::from(previous.saturating_sub(base_time));
                weighted = value
                    .checked_mul(slice)
                    .and_then(|w| w.checked_add(weighted))
                    .ok_or_else(overflow)?;
                return weighted.checked_div(U256::from(interval)).ok_or_else(overflow);
            }
            let slice = previous.saturating_sub(timestamp);
            weighted = value
                .checked_mul(U256::from(slice))
                .and_then(|w| w.checked_add(weighted))
                .ok_or_else(overflow)?;
            period = period.saturating_add(slice);
            previous = timestamp;
        }
    }

    /// See [`Self::settle_funding`].
    ///
    /// # Errors
    /// As [`Self::settle_funding`].
    pub fn settle_funding_at(&mut self, now: u64) -> Result<I256, BoxErr> {
        self.only_open_counterparty()?;
        let next = self.next_funding_time.get().to::<u64>();
        if now < next {
            return Err(Box::new(Error::FundingTooEarly(VammFundingTooEarly {
                timestamp: U256::from(now),
                nextFundingTime: U256::from(next),
            })));
        }
        let period = self.funding_period.get().to::<u64>();
        let index = self.index_twap(period)?;
        let mark = self.twap_at(now, period, TwapOf::Spot)?;
        let premium = signed(mark)?.checked_sub(signed(index)?).ok_or_else(overflow)?;
        // premium · period / 1 day, toward zero (Solidity int division).
        let magnitude =
            mul_div(premium.unsigned_abs(), U256::from(period), U256::from(ONE_DAY), false)?;
        let mut fraction_abs = magnitude;
        let max_rate = self.max_funding_rate.get();
        if !max_rate.is_zero() {
            let cap =
                mul_div(wad_mul(max_rate, index)?, U256::from(period), U256::from(ONE_DAY), false)?;
            fraction_abs = fraction_abs.min(cap);
        }
        let fraction = if premium.is_negative() {
            signed(fraction_abs)?.checked_neg().ok_or_else(overflow)?
        } else {
            signed(fraction_abs)?
        };
        let rate_abs = signed(wad_div(fraction_abs, index)?)?;
        let rate = if fraction.is_negative() {
            rate_abs.checked_neg().ok_or_else(overflow)?
        } else {
            rate_abs
        };
        self.funding_rate.set(rate);
        let on_hour = next.checked_add(period).map(hour_floor).ok_or_else(overflow)?;
        let min_next = now.checked_add(period / 2).ok_or_else(overflow)?;
        self.next_funding_time.set(alloy_primitives::U64::from(on_hour.max(min_next)));
        emit(&[FundingRateUpdated::SIGNATURE_HASH], &[rate.word(), index]);
        Ok(fraction)
    }

    /// See [`Self::adjust_k`].
    ///
    /// # Errors
    /// As [`Self::adjust_k`].
    pub fn adjust_k_at(
        &mut self,
        now: u64,
        block: u64,
        multiplier: U256,
    ) -> Result<(U256, U256), BoxErr> {
        self.only_counterparty()?;
        let invalid = || Box::new(Error::InvalidMultiplier(VammInvalidMultiplier { multiplier }));
        if multiplier.is_zero() || multiplier == WAD {
            return Err(invalid());
        }
        let (q, b) = (self.quote_reserve.get(), self.base_reserve.get());
        let q_new = wad_mul(q, multiplier)?;
        let b_new = wad_mul(b, multiplier)?;
        let s = self.total_position_size.get();
        // The new curve must keep a positive reserve and be able to take back a net
        // short position (B' > |S|).
        if q_new.is_zero() || b_new.is_zero() || (s.is_negative() && b_new <= s.unsigned_abs()) {
            return Err(invalid());
        }
        self.open_block(block)?;
        self.quote_reserve.set(q_new);
        self.base_reserve.set(b_new);
        self.snapshot_at(now, block);
        emit(&[KAdjusted::SIGNATURE_HASH], &[multiplier, q_new, b_new]);
        Ok((q_new, b_new))
    }

    /// See [`Self::set_open`] (owner check done by the caller).
    fn set_open_at(&mut self, now: u64, open: bool) -> Result<(), BoxErr> {
        let mut next = self.next_funding_time.get().to::<u64>();
        if open && !self.open.get() {
            next = now
                .checked_add(self.funding_period.get().to::<u64>())
                .map(hour_floor)
                .ok_or_else(overflow)?;
            self.next_funding_time.set(alloy_primitives::U64::from(next));
        }
        self.open.set(open);
        emit(&[OpenChanged::SIGNATURE_HASH], &[open.word(), next.word()]);
        Ok(())
    }
}

/// `t` rounded down to the hour (`t − t mod 3600`, which cannot underflow).
/// An interval in seconds, saturated to `u64` (longer than any history anyway).
fn seconds(interval: U256) -> u64 {
    interval.saturating_to()
}

fn hour_floor(t: u64) -> u64 {
    t.saturating_sub(t.checked_rem(ONE_HOUR).unwrap_or_default())
}

fn signed(x: U256) -> Result<I256, BoxErr> {
    Ok(strata_math::to_i256(x)?)
}

#[cfg(test)]
mod tests;
