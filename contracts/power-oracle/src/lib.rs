//! `power-oracle` — reporter-fed USD prices and values with guards and TWAPs.
//!
//! Allow-listed reporters post prices (`reportPrices`, USD per whole token,
//! 18 decimals) and other per-asset values (`reportValues`, e.g. kind `"TVL"`
//! or `"SUPPLY"`). The index's `weight-strategy` reads TWAP prices and values
//! from here; the Perp system reads it as its index price. The oracle calls
//! no other contract.
//!
//! # Guards
//!
//! - **Min report interval**: a reporter may update an asset (or an
//!   asset's value of one kind) at most once per `minReportInterval` seconds.
//! - **Circuit breaker**: a report that moves a price (or a value) more than
//!   `maxDeviation` away from the last one is rejected with
//!   [`PowerOracleDeviationExceeded`]:
//!   ```text
//!   rejected when |new − last| / last > maxDeviation / 1e18
//!            i.e. |new − last| · 1e18 > maxDeviation · last      (exact, no rounding)
//!   ```
//!   The first report of an asset (or a last value of zero) has nothing to
//!   deviate from and is accepted.
//! - **Confirm flow**: a rejected report reverts, so nothing is queued on
//!   chain; the revert data (`PowerOracleDeviationExceeded(kind, asset,
//!   last, reported, maxDeviation)`) tells the operator what the
//!   reporter saw. After checking the market, the owner posts the price with
//!   `confirmPrices` (or `confirmValues`), which skips the deviation and the
//!   interval checks and is otherwise recorded like a report (same TWAP
//!   observation, `PriceUpdated` with `confirmed = true`). Reporters then
//!   continue from the confirmed level.
//! - **Staleness**: `getPrice` and `getTwap` revert with [`PowerOracleStale`]
//!   once the last price is older than `maxAge`; `getValue` once the last
//!   value is older than `maxValueAge` (values such as TVL are usually
//!   reported less often than prices). `getPriceWithTime` and
//!   `getValueWithTime` return the data with its timestamp and never revert
//!   for age, so a consumer can apply its own bound.
//!
//! # TWAP
//!
//! Each asset keeps a ring buffer of observations, as in Uniswap v3's
//! `Oracle` library. An observation is `(timestamp, cumulative)` where
//!
//! ```text
//! cumulative(t) = Σ price_k · (t_{k+1} − t_k)       (price·seconds, exact integers)
//! ```
//!
//! A report at time `t` appends `(t, cumulative(last) + lastPrice · (t − last))`
//! (two reports in the same second share one observation; the later price
//! holds from that second on). The cumulative at any time between two
//! observations is interpolated linearly — exact, because the price is
//! constant between them — and after the newest observation it is
//! extrapolated with the current price. Then
//!
//! ```text
//! getTwap(asset, window) = floor((cumulative(now) − cumulative(now − window)) / window)
//! ```
//!
//! which is exact for piecewise-constant prices and always within the
//! [min, max] of the prices in force over the window. It reverts with
//! [`PowerOracleTwapHistoryTooShort`] when the oldest retained observation is
//! younger than `now − window`, and with [`PowerOracleStale`] when the last
//! price is stale (a TWAP extrapolated from a stale price is not a price).
//!
//! The ring starts with [`DEFAULT_OBSERVATIONS`] slots (written as reports
//! arrive) and the owner can grow it with `growObservations` up to 65,535
//! slots: the history covers at least `slots × minReportInterval` seconds.
//!
//! # Storage
//!
//! Per asset one slot packs `price` (≤ 2^128 − 1), `updatedAt`, the ring
//! index and the ring capacity; each observation is one slot (timestamp in
//! the top 48 bits, cumulative in the low 208 bits: with prices below 2^128
//! and timestamps below 2^48 the cumulative stays below 2^176).
//!
//! # Units
//!
//! Prices: USD per whole token, 18 decimals, in `(0, 2^128)`. Values: any
//! unit the kind defines (the strategy reads `"SUPPLY"` and `"TVL"` as whole
//! tokens with 18 decimals). `maxDeviation` is a WAD fraction (`0.1e18` = 10%).
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
// Errors are ABI payloads with the values an integrator needs; boxing them
// would cost code size on Stylus for no gain. Public ABI functions take
// owned arrays because that is what the SDK decodes into.
#![allow(clippy::result_large_err, clippy::needless_pass_by_value)]
extern crate alloc;

use alloc::vec::Vec;

use alloy_primitives::{fixed_bytes, Address, FixedBytes, U128, U16, U256, U64};
use alloy_sol_types::SolEvent;
use strata_common::{
    abi::Word,
    env, log,
    ownable::{Ownable2Step, OwnableError, OwnableInvalidOwner, OwnableUnauthorizedAccount},
};
use strata_math::{MathError, WAD};
use stylus_sdk::{
    prelude::*,
    storage::{
        StorageBool, StorageMap, StorageU128, StorageU16, StorageU256, StorageU64, StorageVec,
    },
};

/// Ring capacity an asset starts with at its first report.
pub const DEFAULT_OBSERVATIONS: u16 = 32;
/// Largest accepted price (USD per whole token, 18 decimals): `2^128 − 1`.
pub const MAX_PRICE: U256 = U256::from_limbs([u64::MAX, u64::MAX, 0, 0]);
/// The kind used for prices in errors (`bytes32("PRICE")`); not usable as a value kind.
pub const KIND_PRICE: FixedBytes<32> =
    fixed_bytes!("5052494345000000000000000000000000000000000000000000000000000000");
/// Value kind for reported supplies (`bytes32("SUPPLY")`).
pub const KIND_SUPPLY: FixedBytes<32> =
    fixed_bytes!("535550504c590000000000000000000000000000000000000000000000000000");
/// Value kind for reported TVLs (`bytes32("TVL")`).
pub const KIND_TVL: FixedBytes<32> =
    fixed_bytes!("54564c0000000000000000000000000000000000000000000000000000000000");

/// Bits of an observation slot holding the cumulative.
const CUMULATIVE_BITS: usize = 208;
/// Timestamps must stay below `2^48` to fit an observation slot.
const MAX_TIMESTAMP: u64 = (1 << 48) - 1;

strata_common::sol_events! {
    /// `reporter` was added to (`allowed`) or removed from the allow-list.
    event ReporterSet(address indexed reporter, bool allowed);
    /// The guards changed.
    event ConfigSet(uint64 minReportInterval, uint256 maxDeviation, uint64 maxAge, uint64 maxValueAge);
    /// `asset`'s price is `price` from `timestamp` on; `confirmed` when the
    /// owner posted it through the confirm flow.
    event PriceUpdated(address indexed asset, address indexed reporter, uint256 price, uint256 timestamp, bool confirmed);
    /// `asset`'s value of `kind` is `value` from `timestamp` on.
    event ValueUpdated(bytes32 indexed kind, address indexed asset, address indexed reporter, uint256 value, uint256 timestamp, bool confirmed);
    /// The ring buffer of `asset` may now hold up to `next` observations.
    event ObservationsGrown(address indexed asset, uint16 previous, uint16 next);
}

/// Events of this contract (its own and the ownership events), for the exported interface.
// Constant indices into constant arrays: an out-of-range index fails the build.
#[allow(clippy::indexing_slicing)]
pub const ALL_EVENTS_ABI: [&str; 7] = [
    EVENTS_ABI[0],
    EVENTS_ABI[1],
    EVENTS_ABI[2],
    EVENTS_ABI[3],
    EVENTS_ABI[4],
    strata_common::ownable::OWNABLE_EVENTS_ABI[0],
    strata_common::ownable::OWNABLE_EVENTS_ABI[1],
];

alloy_sol_types::sol! {
    /// `account` is not an allow-listed reporter.
    #[derive(Debug, PartialEq, Eq)]
    error PowerOracleNotReporter(address account);
    /// `assets` and the parallel array have different lengths.
    #[derive(Debug, PartialEq, Eq)]
    error PowerOracleLengthMismatch(uint256 assets, uint256 values);
    /// `price` is zero or above `MAX_PRICE`.
    #[derive(Debug, PartialEq, Eq)]
    error PowerOracleInvalidPrice(address asset, uint256 price);
    /// `kind` is zero or the reserved `"PRICE"`.
    #[derive(Debug, PartialEq, Eq)]
    error PowerOracleInvalidKind(bytes32 kind);
    /// `asset` (data of `kind`) was updated less than `minReportInterval` ago;
    /// the next report is accepted from `nextAllowed`.
    #[derive(Debug, PartialEq, Eq)]
    error PowerOracleReportTooSoon(bytes32 kind, address asset, uint256 nextAllowed);
    /// The report moves `asset`'s data of `kind` from `last` to `reported`, a
    /// relative change `|reported − last| / last` above `maxDeviation` (WAD):
    /// the owner must confirm it.
    #[derive(Debug, PartialEq, Eq)]
    error PowerOracleDeviationExceeded(bytes32 kind, address asset, uint256 last, uint256 reported, uint256 maxDeviation);
    /// No data of `kind` was ever reported for `asset`.
    #[derive(Debug, PartialEq, Eq)]
    error PowerOracleNoData(bytes32 kind, address asset);
    /// `asset`'s data of `kind` was updated at `updatedAt`, more than `maxAge` seconds ago.
    #[derive(Debug, PartialEq, Eq)]
    error PowerOracleStale(bytes32 kind, address asset, uint256 updatedAt, uint256 maxAge);
    /// A TWAP window must be positive and not reach before time zero.
    #[derive(Debug, PartialEq, Eq)]
    error PowerOracleInvalidWindow(uint256 window);
    /// The observations of `asset` cover only `available` seconds, less than `window`.
    #[derive(Debug, PartialEq, Eq)]
    error PowerOracleTwapHistoryTooShort(address asset, uint256 window, uint256 available);
    /// Guards must satisfy `maxDeviation > 0`, `maxAge > minReportInterval`
    /// and `maxValueAge > minReportInterval`.
    #[derive(Debug, PartialEq, Eq)]
    error PowerOracleInvalidConfig(uint64 minReportInterval, uint256 maxDeviation, uint64 maxAge, uint64 maxValueAge);
    /// The ring of `asset` can already hold `current` observations, not fewer than `requested`.
    #[derive(Debug, PartialEq, Eq)]
    error PowerOracleInvalidCardinality(address asset, uint16 current, uint16 requested);
    /// Arithmetic failed (code of `strata_math::MathError`; timestamps at or
    /// above 2^48 report `Overflow`).
    #[derive(Debug, PartialEq, Eq)]
    error PowerOracleMath(uint8 code);
}

/// Errors of the oracle.
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum Error {
    /// See [`PowerOracleNotReporter`].
    NotReporter(PowerOracleNotReporter),
    /// See [`PowerOracleLengthMismatch`].
    LengthMismatch(PowerOracleLengthMismatch),
    /// See [`PowerOracleInvalidPrice`].
    InvalidPrice(PowerOracleInvalidPrice),
    /// See [`PowerOracleInvalidKind`].
    InvalidKind(PowerOracleInvalidKind),
    /// See [`PowerOracleReportTooSoon`].
    ReportTooSoon(PowerOracleReportTooSoon),
    /// See [`PowerOracleDeviationExceeded`].
    DeviationExceeded(PowerOracleDeviationExceeded),
    /// See [`PowerOracleNoData`].
    NoData(PowerOracleNoData),
    /// See [`PowerOracleStale`].
    Stale(PowerOracleStale),
    /// See [`PowerOracleInvalidWindow`].
    InvalidWindow(PowerOracleInvalidWindow),
    /// See [`PowerOracleTwapHistoryTooShort`].
    TwapHistoryTooShort(PowerOracleTwapHistoryTooShort),
    /// See [`PowerOracleInvalidConfig`].
    InvalidConfig(PowerOracleInvalidConfig),
    /// See [`PowerOracleInvalidCardinality`].
    InvalidCardinality(PowerOracleInvalidCardinality),
    /// See [`PowerOracleMath`].
    Math(PowerOracleMath),
    /// The caller is not the owner (or pending owner).
    Unauthorized(OwnableUnauthorizedAccount),
    /// Zero address as owner.
    InvalidOwner(OwnableInvalidOwner),
}

impl From<OwnableError> for Error {
    fn from(e: OwnableError) -> Self {
        match e {
            OwnableError::Unauthorized(e) => Error::Unauthorized(e),
            OwnableError::InvalidOwner(e) => Error::InvalidOwner(e),
        }
    }
}

impl From<MathError> for Error {
    fn from(e: MathError) -> Self {
        Error::Math(PowerOracleMath { code: e.code() })
    }
}

fn overflow() -> Error {
    MathError::Overflow.into()
}

/// Latest price and TWAP ring of one asset.
#[storage]
pub struct PriceFeed {
    /// Last price (packed with the next three fields in one slot).
    price: StorageU128,
    /// Time of the last price; zero before the first report.
    updated_at: StorageU64,
    /// Ring position of the newest observation.
    index: StorageU16,
    /// Capacity the ring grows to as reports arrive.
    cardinality_next: StorageU16,
    /// Packed `(timestamp << 208) | cumulative` observations.
    observations: StorageVec<StorageU256>,
}

/// Latest value of one (kind, asset).
#[storage]
pub struct ValueFeed {
    value: StorageU256,
    updated_at: StorageU64,
}

/// The oracle.
#[entrypoint]
#[storage]
pub struct PowerOracle {
    ownable: Ownable2Step,
    reporters: StorageMap<Address, StorageBool>,
    min_report_interval: StorageU64,
    max_age: StorageU64,
    max_value_age: StorageU64,
    max_deviation: StorageU256,
    prices: StorageMap<Address, PriceFeed>,
    values: StorageMap<FixedBytes<32>, StorageMap<Address, ValueFeed>>,
}

#[public]
impl PowerOracle {
    /// Sets the owner and the guards.
    ///
    /// # Errors
    /// `OwnableInvalidOwner` for the zero owner; [`PowerOracleInvalidConfig`].
    ///
    /// # Events
    /// `OwnershipTransferred`, [`ConfigSet`].
    #[constructor]
    pub fn constructor(
        &mut self,
        owner: Address,
        min_report_interval: u64,
        max_deviation: U256,
        max_age: u64,
        max_value_age: u64,
    ) -> Result<(), Error> {
        self.ownable.init(owner)?;
        self.write_config(min_report_interval, max_deviation, max_age, max_value_age)
    }

    // ---------------------------------------------------------------- reports

    /// Posts USD prices (18 decimals) for `assets`.
    ///
    /// # Errors
    /// [`PowerOracleNotReporter`], [`PowerOracleLengthMismatch`],
    /// [`PowerOracleInvalidPrice`], [`PowerOracleReportTooSoon`],
    /// [`PowerOracleDeviationExceeded`]. One bad entry reverts the batch.
    ///
    /// # Events
    /// [`PriceUpdated`] per asset.
    pub fn report_prices(&mut self, assets: Vec<Address>, prices: Vec<U256>) -> Result<(), Error> {
        self.report_prices_at(env::timestamp(), env::sender(), &assets, &prices)
    }

    /// Posts values of `kind` (e.g. `"TVL"`, `"SUPPLY"`) for `assets`.
    ///
    /// # Errors
    /// [`PowerOracleNotReporter`], [`PowerOracleInvalidKind`],
    /// [`PowerOracleLengthMismatch`], [`PowerOracleReportTooSoon`],
    /// [`PowerOracleDeviationExceeded`].
    ///
    /// # Events
    /// [`ValueUpdated`] per asset.
    pub fn report_values(
        &mut self,
        kind: FixedBytes<32>,
        assets: Vec<Address>,
        values: Vec<U256>,
    ) -> Result<(), Error> {
        self.report_values_at(env::timestamp(), env::sender(), kind, &assets, &values)
    }

    /// Owner: posts prices that a reporter could not (the circuit breaker's
    /// confirm path), skipping the deviation and interval checks.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`PowerOracleLengthMismatch`],
    /// [`PowerOracleInvalidPrice`].
    ///
    /// # Events
    /// [`PriceUpdated`] with `confirmed = true`.
    pub fn confirm_prices(&mut self, assets: Vec<Address>, prices: Vec<U256>) -> Result<(), Error> {
        self.confirm_prices_at(env::timestamp(), env::sender(), &assets, &prices)
    }

    /// Owner: posts values of `kind` skipping the deviation and interval checks.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`PowerOracleInvalidKind`],
    /// [`PowerOracleLengthMismatch`].
    ///
    /// # Events
    /// [`ValueUpdated`] with `confirmed = true`.
    pub fn confirm_values(
        &mut self,
        kind: FixedBytes<32>,
        assets: Vec<Address>,
        values: Vec<U256>,
    ) -> Result<(), Error> {
        self.confirm_values_at(env::timestamp(), env::sender(), kind, &assets, &values)
    }

    // ------------------------------------------------------------------ views

    /// Last price of `asset` (USD per whole token, 18 decimals).
    ///
    /// # Errors
    /// [`PowerOracleNoData`], [`PowerOracleStale`] when older than `maxAge`.
    pub fn get_price(&self, asset: Address) -> Result<U256, Error> {
        self.price_at(env::timestamp(), asset)
    }

    /// Last price of `asset` and the time it was posted (no age check).
    ///
    /// # Errors
    /// [`PowerOracleNoData`].
    pub fn get_price_with_time(&self, asset: Address) -> Result<(U256, U256), Error> {
        let (price, at) = self.last_price(asset)?;
        Ok((price, U256::from(at)))
    }

    /// Time-weighted average price of `asset` over the last `window` seconds.
    ///
    /// # Errors
    /// [`PowerOracleInvalidWindow`], [`PowerOracleNoData`],
    /// [`PowerOracleStale`], [`PowerOracleTwapHistoryTooShort`].
    pub fn get_twap(&self, asset: Address, window: U256) -> Result<U256, Error> {
        self.twap_at(env::timestamp(), asset, window)
    }

    /// Last value of `kind` for `asset`.
    ///
    /// # Errors
    /// [`PowerOracleNoData`], [`PowerOracleStale`] when older than `maxValueAge`.
    pub fn get_value(&self, kind: FixedBytes<32>, asset: Address) -> Result<U256, Error> {
        self.value_at(env::timestamp(), kind, asset)
    }

    /// Last value of `kind` for `asset` and the time it was posted (no age check).
    ///
    /// # Errors
    /// [`PowerOracleNoData`].
    pub fn get_value_with_time(
        &self,
        kind: FixedBytes<32>,
        asset: Address,
    ) -> Result<(U256, U256), Error> {
        let (value, at) = self.last_value(kind, asset)?;
        Ok((value, U256::from(at)))
    }

    /// Whether `account` may report.
    pub fn is_reporter(&self, account: Address) -> bool {
        self.reporters.get(account)
    }

    /// The guards: `(minReportInterval, maxDeviation, maxAge, maxValueAge)`.
    pub fn config(&self) -> (u64, U256, u64, u64) {
        (
            self.min_report_interval.get().to::<u64>(),
            self.max_deviation.get(),
            self.max_age.get().to::<u64>(),
            self.max_value_age.get().to::<u64>(),
        )
    }

    /// Ring state of `asset`: `(index, cardinality, cardinalityNext)` — the
    /// newest observation's slot, the slots written so far and the capacity.
    pub fn observation_info(&self, asset: Address) -> (u16, u16, u16) {
        let feed = self.prices.getter(asset);
        let len = u16::try_from(feed.observations.len()).unwrap_or(u16::MAX);
        (feed.index.get().to::<u16>(), len, feed.cardinality_next.get().to::<u16>())
    }

    // ------------------------------------------------------------------ admin

    /// Owner: adds (`allowed`) or removes a reporter.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`.
    ///
    /// # Events
    /// [`ReporterSet`].
    pub fn set_reporter(&mut self, reporter: Address, allowed: bool) -> Result<(), Error> {
        self.ownable.only_owner(env::sender())?;
        self.reporters.setter(reporter).set(allowed);
        log::emit(&[ReporterSet::SIGNATURE_HASH, reporter.into_word()], &[allowed.word()]);
        Ok(())
    }

    /// Owner: sets the guards.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`PowerOracleInvalidConfig`].
    ///
    /// # Events
    /// [`ConfigSet`].
    pub fn set_config(
        &mut self,
        min_report_interval: u64,
        max_deviation: U256,
        max_age: u64,
        max_value_age: u64,
    ) -> Result<(), Error> {
        self.ownable.only_owner(env::sender())?;
        self.write_config(min_report_interval, max_deviation, max_age, max_value_age)
    }

    /// Owner: lets the ring of `asset` grow to `next` observations (slots are
    /// written, and paid for, as reports arrive).
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`; [`PowerOracleInvalidCardinality`] unless
    /// `next` is above the current capacity.
    ///
    /// # Events
    /// [`ObservationsGrown`].
    pub fn grow_observations(&mut self, asset: Address, next: u16) -> Result<(), Error> {
        self.ownable.only_owner(env::sender())?;
        let mut feed = self.prices.setter(asset);
        let previous = feed.cardinality_next.get().to::<u16>();
        let current = if previous == 0 { DEFAULT_OBSERVATIONS } else { previous };
        if next <= current {
            return Err(Error::InvalidCardinality(PowerOracleInvalidCardinality {
                asset,
                current,
                requested: next,
            }));
        }
        feed.cardinality_next.set(U16::from(next));
        log::emit(
            &[ObservationsGrown::SIGNATURE_HASH, asset.into_word()],
            &[current.word(), next.word()],
        );
        Ok(())
    }

    // -------------------------------------------------------------- ownership

    /// Current owner.
    pub fn owner(&self) -> Address {
        self.ownable.owner()
    }

    /// Proposed owner awaiting acceptance.
    pub fn pending_owner(&self) -> Address {
        self.ownable.pending_owner()
    }

    /// Owner: proposes `new_owner` (two-step).
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`.
    ///
    /// # Events
    /// `OwnershipTransferStarted`.
    pub fn transfer_ownership(&mut self, new_owner: Address) -> Result<(), Error> {
        Ok(self.ownable.transfer_ownership(env::sender(), new_owner)?)
    }

    /// Pending owner: accepts ownership.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`.
    ///
    /// # Events
    /// `OwnershipTransferred`.
    pub fn accept_ownership(&mut self) -> Result<(), Error> {
        Ok(self.ownable.accept_ownership(env::sender())?)
    }

    /// Owner: renounces ownership (confirmations and config become impossible).
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`.
    ///
    /// # Events
    /// `OwnershipTransferred`.
    pub fn renounce_ownership(&mut self) -> Result<(), Error> {
        Ok(self.ownable.renounce_ownership(env::sender())?)
    }
}

/// Time-explicit logic. The public functions read the clock once and call
/// these; tests call them directly with chosen times.
impl PowerOracle {
    /// [`Self::report_prices`] at time `now` by `caller`.
    ///
    /// # Errors
    /// As [`Self::report_prices`].
    pub fn report_prices_at(
        &mut self,
        now: u64,
        caller: Address,
        assets: &[Address],
        prices: &[U256],
    ) -> Result<(), Error> {
        self.only_reporter(caller)?;
        self.write_prices(now, caller, assets, prices, false)
    }

    /// [`Self::confirm_prices`] at time `now` by `caller`.
    ///
    /// # Errors
    /// As [`Self::confirm_prices`].
    pub fn confirm_prices_at(
        &mut self,
        now: u64,
        caller: Address,
        assets: &[Address],
        prices: &[U256],
    ) -> Result<(), Error> {
        self.ownable.only_owner(caller)?;
        self.write_prices(now, caller, assets, prices, true)
    }

    /// [`Self::report_values`] at time `now` by `caller`.
    ///
    /// # Errors
    /// As [`Self::report_values`].
    pub fn report_values_at(
        &mut self,
        now: u64,
        caller: Address,
        kind: FixedBytes<32>,
        assets: &[Address],
        values: &[U256],
    ) -> Result<(), Error> {
        self.only_reporter(caller)?;
        self.write_values(now, caller, kind, assets, values, false)
    }

    /// [`Self::confirm_values`] at time `now` by `caller`.
    ///
    /// # Errors
    /// As [`Self::confirm_values`].
    pub fn confirm_values_at(
        &mut self,
        now: u64,
        caller: Address,
        kind: FixedBytes<32>,
        assets: &[Address],
        values: &[U256],
    ) -> Result<(), Error> {
        self.ownable.only_owner(caller)?;
        self.write_values(now, caller, kind, assets, values, true)
    }

    /// [`Self::get_price`] at time `now`.
    ///
    /// # Errors
    /// As [`Self::get_price`].
    pub fn price_at(&self, now: u64, asset: Address) -> Result<U256, Error> {
        let (price, at) = self.last_price(asset)?;
        let max_age = self.max_age.get().to::<u64>();
        check_fresh(now, at, max_age, KIND_PRICE, asset)?;
        Ok(price)
    }

    /// [`Self::get_value`] at time `now`.
    ///
    /// # Errors
    /// As [`Self::get_value`].
    pub fn value_at(&self, now: u64, kind: FixedBytes<32>, asset: Address) -> Result<U256, Error> {
        let (value, at) = self.last_value(kind, asset)?;
        let max_age = self.max_value_age.get().to::<u64>();
        check_fresh(now, at, max_age, kind, asset)?;
        Ok(value)
    }

    /// [`Self::get_twap`] at time `now`.
    ///
    /// # Errors
    /// As [`Self::get_twap`].
    pub fn twap_at(&self, now: u64, asset: Address, window: U256) -> Result<U256, Error> {
        let invalid = || Error::InvalidWindow(PowerOracleInvalidWindow { window });
        let span = u64::try_from(window).map_err(|_| invalid())?;
        let target = now.checked_sub(span).ok_or_else(invalid)?;
        if span == 0 {
            return Err(invalid());
        }
        let (price, updated_at) = self.last_price(asset)?;
        check_fresh(now, updated_at, self.max_age.get().to::<u64>(), KIND_PRICE, asset)?;
        let feed = self.prices.getter(asset);
        let len = feed.observations.len();
        let newest_slot = usize::from(feed.index.get().to::<u16>());
        let newest = observation(&feed, newest_slot, asset)?;
        let oldest_slot = ring_next(newest_slot, len)?;
        let oldest = observation(&feed, oldest_slot, asset)?;
        if target < oldest.0 {
            return Err(Error::TwapHistoryTooShort(PowerOracleTwapHistoryTooShort {
                asset,
                window,
                available: U256::from(now.saturating_sub(oldest.0)),
            }));
        }
        let cumulative_now = extrapolate(newest, price, now)?;
        let cumulative_then = if target >= newest.0 {
            extrapolate(newest, price, target)?
        } else {
            let (before, after) = search(&feed, asset, oldest_slot, len, target)?;
            interpolate(before, after, target)?
        };
        let sum = cumulative_now.checked_sub(cumulative_then).ok_or(MathError::Underflow)?;
        div_u64(sum, span)
    }
}

impl PowerOracle {
    fn only_reporter(&self, caller: Address) -> Result<(), Error> {
        if !self.reporters.get(caller) {
            return Err(Error::NotReporter(PowerOracleNotReporter { account: caller }));
        }
        Ok(())
    }

    fn write_config(
        &mut self,
        min_report_interval: u64,
        max_deviation: U256,
        max_age: u64,
        max_value_age: u64,
    ) -> Result<(), Error> {
        if max_deviation.is_zero()
            || max_age <= min_report_interval
            || max_value_age <= min_report_interval
        {
            return Err(Error::InvalidConfig(PowerOracleInvalidConfig {
                minReportInterval: min_report_interval,
                maxDeviation: max_deviation,
                maxAge: max_age,
                maxValueAge: max_value_age,
            }));
        }
        self.min_report_interval.set(U64::from(min_report_interval));
        self.max_deviation.set(max_deviation);
        self.max_age.set(U64::from(max_age));
        self.max_value_age.set(U64::from(max_value_age));
        log::emit(
            &[ConfigSet::SIGNATURE_HASH],
            &[min_report_interval.word(), max_deviation, max_age.word(), max_value_age.word()],
        );
        Ok(())
    }

    fn last_price(&self, asset: Address) -> Result<(U256, u64), Error> {
        let feed = self.prices.getter(asset);
        let at = feed.updated_at.get().to::<u64>();
        if at == 0 {
            return Err(no_data(KIND_PRICE, asset));
        }
        Ok((U256::from(feed.price.get()), at))
    }

    fn last_value(&self, kind: FixedBytes<32>, asset: Address) -> Result<(U256, u64), Error> {
        let by_kind = self.values.getter(kind);
        let feed = by_kind.getter(asset);
        let at = feed.updated_at.get().to::<u64>();
        if at == 0 {
            return Err(no_data(kind, asset));
        }
        Ok((feed.value.get(), at))
    }

    /// Checks the interval and the deviation of one report against the last
    /// data `(last, last_at)` (`last_at == 0`: no data yet).
    fn check_report(
        &self,
        now: u64,
        kind: FixedBytes<32>,
        asset: Address,
        (last, last_at): (U256, u64),
        reported: U256,
    ) -> Result<(), Error> {
        if last_at == 0 {
            return Ok(());
        }
        let next_allowed = last_at.saturating_add(self.min_report_interval.get().to::<u64>());
        if now < next_allowed {
            return Err(Error::ReportTooSoon(PowerOracleReportTooSoon {
                kind,
                asset,
                nextAllowed: U256::from(next_allowed),
            }));
        }
        if last.is_zero() {
            return Ok(());
        }
        let diff = reported.abs_diff(last);
        let max = self.max_deviation.get();
        // |reported − last| · 1e18 > max · last, exactly. Prices are below
        // 2^128, so the left side fits; a value jump too large for 256 bits
        // counts as exceeding, a right side too large as not.
        let exceeded = match (diff.checked_mul(WAD), max.checked_mul(last)) {
            (Some(moved), Some(allowed)) => moved > allowed,
            (Some(_), None) => false,
            (None, _) => true,
        };
        if exceeded {
            return Err(Error::DeviationExceeded(PowerOracleDeviationExceeded {
                kind,
                asset,
                last,
                reported,
                maxDeviation: max,
            }));
        }
        Ok(())
    }

    fn write_prices(
        &mut self,
        now: u64,
        caller: Address,
        assets: &[Address],
        prices: &[U256],
        confirmed: bool,
    ) -> Result<(), Error> {
        check_lengths(assets.len(), prices.len())?;
        if now > MAX_TIMESTAMP {
            return Err(overflow());
        }
        for (&asset, &price) in assets.iter().zip(prices) {
            if price.is_zero() || price > MAX_PRICE {
                return Err(Error::InvalidPrice(PowerOracleInvalidPrice { asset, price }));
            }
            let last = {
                let feed = self.prices.getter(asset);
                (U256::from(feed.price.get()), feed.updated_at.get().to::<u64>())
            };
            if !confirmed {
                self.check_report(now, KIND_PRICE, asset, last, price)?;
            }
            let mut feed = self.prices.setter(asset);
            record_observation(&mut feed, now, last.0, asset)?;
            feed.price.set(U128::from(price));
            feed.updated_at.set(U64::from(now));
            log::emit(
                &[PriceUpdated::SIGNATURE_HASH, asset.into_word(), caller.into_word()],
                &[price, U256::from(now), confirmed.word()],
            );
        }
        Ok(())
    }

    fn write_values(
        &mut self,
        now: u64,
        caller: Address,
        kind: FixedBytes<32>,
        assets: &[Address],
        values: &[U256],
        confirmed: bool,
    ) -> Result<(), Error> {
        if kind.is_zero() || kind == KIND_PRICE {
            return Err(Error::InvalidKind(PowerOracleInvalidKind { kind }));
        }
        check_lengths(assets.len(), values.len())?;
        for (&asset, &value) in assets.iter().zip(values) {
            if !confirmed {
                let last = {
                    let by_kind = self.values.getter(kind);
                    let feed = by_kind.getter(asset);
                    (feed.value.get(), feed.updated_at.get().to::<u64>())
                };
                self.check_report(now, kind, asset, last, value)?;
            }
            let mut by_kind = self.values.setter(kind);
            let mut feed = by_kind.setter(asset);
            feed.value.set(value);
            feed.updated_at.set(U64::from(now));
            log::emit(
                &[ValueUpdated::SIGNATURE_HASH, kind, asset.into_word(), caller.into_word()],
                &[value, U256::from(now), confirmed.word()],
            );
        }
        Ok(())
    }
}

/// `(timestamp, cumulative price·seconds)`.
type Observation = (u64, U256);

fn no_data(kind: FixedBytes<32>, asset: Address) -> Error {
    Error::NoData(PowerOracleNoData { kind, asset })
}

fn check_lengths(assets: usize, values: usize) -> Result<(), Error> {
    if assets != values {
        return Err(Error::LengthMismatch(PowerOracleLengthMismatch {
            assets: U256::from(assets),
            values: U256::from(values),
        }));
    }
    Ok(())
}

fn check_fresh(
    now: u64,
    updated_at: u64,
    max_age: u64,
    kind: FixedBytes<32>,
    asset: Address,
) -> Result<(), Error> {
    if now.saturating_sub(updated_at) > max_age {
        return Err(Error::Stale(PowerOracleStale {
            kind,
            asset,
            updatedAt: U256::from(updated_at),
            maxAge: U256::from(max_age),
        }));
    }
    Ok(())
}

/// Packs an observation into one slot.
fn pack(timestamp: u64, cumulative: U256) -> Result<U256, Error> {
    if timestamp > MAX_TIMESTAMP || cumulative.bit_len() > CUMULATIVE_BITS {
        return Err(overflow());
    }
    // timestamp < 2^48, so the shift keeps every bit.
    Ok(U256::from(timestamp).wrapping_shl(CUMULATIVE_BITS) | cumulative)
}

/// Unpacks an observation slot into `(timestamp, cumulative)`.
fn unpack(slot: U256) -> Observation {
    // The top 48 bits hold the timestamp: it fits a u64.
    let timestamp = slot.wrapping_shr(CUMULATIVE_BITS).to::<u64>();
    let mask = U256::MAX.wrapping_shr(256 - CUMULATIVE_BITS);
    (timestamp, slot & mask)
}

fn observation(feed: &PriceFeed, slot: usize, asset: Address) -> Result<Observation, Error> {
    feed.observations.get(slot).map(unpack).ok_or_else(|| no_data(KIND_PRICE, asset))
}

/// `⌊x / d⌋` by schoolbook division on 64-bit limbs: every divisor here (a
/// window or a span of seconds) fits a `u64`, and this is far smaller in
/// WASM than a general 256-bit division.
fn div_u64(x: U256, d: u64) -> Result<U256, Error> {
    let divisor = u128::from(d);
    let mut limbs = x.into_limbs();
    let mut rem: u128 = 0;
    for limb in limbs.iter_mut().rev() {
        // rem < d < 2^64, so the shift loses nothing and the quotient fits a u64.
        let current = rem.wrapping_shl(64) | u128::from(*limb);
        let quotient = current.checked_div(divisor).ok_or(MathError::DivisionByZero)?;
        *limb = u64::try_from(quotient).map_err(|_| overflow())?;
        rem = current.checked_rem(divisor).ok_or(MathError::DivisionByZero)?;
    }
    Ok(U256::from_limbs(limbs))
}

/// The ring slot after `slot` in a ring of `len` slots.
fn ring_next(slot: usize, len: usize) -> Result<usize, Error> {
    Ok(slot
        .checked_add(1)
        .ok_or_else(overflow)?
        .checked_rem(len)
        .ok_or(MathError::DivisionByZero)?)
}

/// Cumulative at `at ≥ obs.0`, with `price` in force since the observation.
fn extrapolate(obs: Observation, price: U256, at: u64) -> Result<U256, Error> {
    let elapsed = at.checked_sub(obs.0).ok_or(MathError::Underflow)?;
    let accrued = price.checked_mul(U256::from(elapsed)).ok_or_else(overflow)?;
    obs.1.checked_add(accrued).ok_or_else(overflow)
}

/// Cumulative at `before.0 ≤ at ≤ after.0`: exact, since the price between
/// two observations is constant and `after.1 − before.1` is a multiple of
/// the elapsed time.
fn interpolate(before: Observation, after: Observation, at: u64) -> Result<U256, Error> {
    if at == before.0 {
        return Ok(before.1);
    }
    let span = after.0.checked_sub(before.0).ok_or(MathError::Underflow)?;
    let elapsed = at.checked_sub(before.0).ok_or(MathError::Underflow)?;
    let delta = after.1.checked_sub(before.1).ok_or(MathError::Underflow)?;
    // delta < 2^176 and elapsed < 2^48: the product fits.
    let part = div_u64(delta.checked_mul(U256::from(elapsed)).ok_or_else(overflow)?, span)?;
    before.1.checked_add(part).ok_or_else(overflow)
}

/// Binary search (Uniswap v3 `Oracle.binarySearch`) for the observations
/// around `target`, which lies in `[oldest.0, newest.0)`. Positions are
/// logical (`oldest_slot` is position 0) and mapped into the ring modulo `len`.
fn search(
    feed: &PriceFeed,
    asset: Address,
    oldest_slot: usize,
    len: usize,
    target: u64,
) -> Result<(Observation, Observation), Error> {
    let mut low = 0usize;
    let mut high = len.checked_sub(1).ok_or(MathError::Underflow)?;
    // Each round halves [low, high]; at most 16 rounds for a 65,535-slot ring.
    while low <= high {
        let mid = low.checked_add(high).ok_or_else(overflow)? / 2;
        let slot = oldest_slot
            .checked_add(mid)
            .ok_or_else(overflow)?
            .checked_rem(len)
            .ok_or_else(overflow)?;
        let before = observation(feed, slot, asset)?;
        let next = ring_next(slot, len)?;
        let after = observation(feed, next, asset)?;
        if before.0 <= target {
            if target <= after.0 && after.0 > before.0 {
                return Ok((before, after));
            }
            low = mid.checked_add(1).ok_or_else(overflow)?;
        } else {
            high = mid.checked_sub(1).ok_or(MathError::Underflow)?;
        }
    }
    Err(no_data(KIND_PRICE, asset))
}

/// Appends the observation for a report at `now`; `last_price` is the price
/// in force since the newest observation (the first report starts the ring).
fn record_observation(
    feed: &mut PriceFeed,
    now: u64,
    last_price: U256,
    asset: Address,
) -> Result<(), Error> {
    let len = feed.observations.len();
    if len == 0 {
        if feed.cardinality_next.get().to::<u16>() < DEFAULT_OBSERVATIONS {
            feed.cardinality_next.set(U16::from(DEFAULT_OBSERVATIONS));
        }
        feed.observations.push(pack(now, U256::ZERO)?);
        feed.index.set(U16::ZERO);
        return Ok(());
    }
    let index = usize::from(feed.index.get().to::<u16>());
    let newest = observation(feed, index, asset)?;
    if newest.0 == now {
        // Same second: the cumulative up to `now` is unchanged.
        return Ok(());
    }
    let cumulative = extrapolate(newest, last_price, now)?;
    let packed = pack(now, cumulative)?;
    let mut next = index.checked_add(1).ok_or_else(overflow)?;
    if next == len {
        let capacity = usize::from(feed.cardinality_next.get().to::<u16>());
        if len < capacity {
            feed.observations.push(packed);
            feed.index.set(U16::from(next));
            return Ok(());
        }
        next = 0;
    }
    let mut slot = feed.observations.setter(next).ok_or_else(|| no_data(KIND_PRICE, asset))?;
    slot.set(packed);
    feed.index.set(U16::from(next));
    Ok(())
}

#[cfg(test)]
mod tests;
