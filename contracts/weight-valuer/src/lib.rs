//! `weight-valuer` — what each token of an index is worth, and the target
//! weights that follow.
//!
//! The valuation half of the index's weight strategy, split out of
//! `weight-strategy` to keep both contracts under the Stylus size limit:
//! `weight-strategy` (the pool's controller) asks `getTargets(tokens)` at each
//! poke and clamps and schedules the answer. This contract only reads:
//! `power-oracle` (TWAPs and reported values), the tokens (`totalSupply`,
//! `balanceOf`, `decimals`) and ERC-4626 vaults (`asset`, `totalAssets`). Nothing
//! calls back into it.
//!
//! # Kinds (fixed at deployment)
//!
//! | kind | `value_i` (USD, 18 decimals, rounded down) |
//! |---|---|
//! | `MCAP` (1) | `supply_i · twap(token_i) / 10^decimals`, `supply_i = totalSupply − Σ balanceOf(excluded holders)` (saturating at zero); or, with a *reported* source, `getValue("SUPPLY", token_i) · twap(token_i) / 1e18` — for bridged tokens whose local supply is not their market supply |
//! | `TVL` (2) | `vault.totalAssets() · twap(vault.asset()) / 10^assetDecimals`, the vault defaulting to the pool token itself (a pool of ERC-4626 vault shares, like YLA's yVault tokens); or, reported, `getValue("TVL", token_i) · twap(token_i) / 1e18`: the reporter posts the vault's TVL in whole shares (18 decimals) and the valuer prices the share with its TWAP |
//! | `FIXED` (3) | the owner's `setFixedWeights` numbers (relative) |
//!
//! ```text
//! target_i = max(MIN_WEIGHT, ⌊value_i · TOTAL_WEIGHT / Σ value⌋)        TOTAL_WEIGHT = 25e18, MIN_WEIGHT = 1e9
//! ```
//!
//! Targets are rounded down, so `Σ target_i ≤ 25e18 + n · MIN_WEIGHT`, far
//! below `MAX_TOTAL_WEIGHT = 50e18` for `n ≤ 21`. FIXED numbers that sum to
//! 25e18 come back unchanged.
//!
//! Every token must be configured (`setMcapSource`, `setTvlSource` or
//! `setFixedWeights`). All prices are TWAPs over `twapWindow`: the oracle's
//! `getTwap` reverts on a stale price or a history shorter than the window,
//! and so does every valuation that needs it. Nothing reads a pool's live
//! balances. (A TVL vault's `totalAssets` can be raised by a donation to the
//! vault, which costs the donor the donation; `weight-strategy` further
//! bounds any weight move per second.)
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

mod calls;

use alloc::vec::Vec;

use alloy_primitives::{fixed_bytes, Address, FixedBytes, U256, U64, U8};
use alloy_sol_types::SolEvent;
use strata_common::{
    abi::{encode_values, Value, Word},
    env, log,
    ownable::{Ownable2Step, OwnableError, OwnableInvalidOwner, OwnableUnauthorizedAccount},
};
use strata_math::{mul_div_down, MathError};
use stylus_sdk::{
    prelude::*,
    storage::{
        StorageAddress, StorageBool, StorageMap, StorageU256, StorageU64, StorageU8, StorageVec,
    },
};

/// Market-cap valuation.
pub const KIND_MCAP: u8 = 1;
/// TVL valuation.
pub const KIND_TVL: u8 = 2;
/// Owner-set targets.
pub const KIND_FIXED: u8 = 3;
/// Sum of the computed targets (the anchor's 25).
pub const TOTAL_WEIGHT: u128 = 25_000_000_000_000_000_000;
/// Smallest weight a bound token may have; targets are floored here.
pub const MIN_WEIGHT: u128 = 1_000_000_000;
/// Largest weight of one token (`MAX_WEIGHT` of the pool).
pub const MAX_WEIGHT: u128 = 50_000_000_000_000_000_000;
/// At most this many excluded holders per token.
pub const MAX_EXCLUDED_HOLDERS: usize = 10;
/// Largest token decimals accepted.
pub const MAX_DECIMALS: u8 = 36;
/// Oracle value kind `bytes32("SUPPLY")`.
pub const VALUE_SUPPLY: FixedBytes<32> =
    fixed_bytes!("535550504c590000000000000000000000000000000000000000000000000000");
/// Oracle value kind `bytes32("TVL")`.
pub const VALUE_TVL: FixedBytes<32> =
    fixed_bytes!("54564c0000000000000000000000000000000000000000000000000000000000");

strata_common::sol_events! {
    /// The valuer reads `oracle` and values tokens by `kind`.
    event Initialized(address indexed oracle, uint8 kind);
    /// Prices are TWAPs over `twapWindow` seconds.
    event TwapWindowSet(uint64 twapWindow);
    /// How `token` is valued changed.
    event TokenSourceSet(address indexed token, bool reported, address priceAsset, address vault, uint8 decimals, address[] excludedHolders);
    /// `token`'s fixed target (FIXED kind) is `weight`.
    event FixedWeightSet(address indexed token, uint256 weight);
}

/// Events of this contract (its own and the ownership events), for the exported interface.
// Constant indices into constant arrays: an out-of-range index fails the build.
#[allow(clippy::indexing_slicing)]
pub const ALL_EVENTS_ABI: [&str; 6] = [
    EVENTS_ABI[0],
    EVENTS_ABI[1],
    EVENTS_ABI[2],
    EVENTS_ABI[3],
    strata_common::ownable::OWNABLE_EVENTS_ABI[0],
    strata_common::ownable::OWNABLE_EVENTS_ABI[1],
];

alloy_sol_types::sol! {
    /// The oracle address is zero.
    #[derive(Debug, PartialEq, Eq)]
    error WeightValuerZeroAddress();
    /// `kind` is not MCAP (1), TVL (2) or FIXED (3).
    #[derive(Debug, PartialEq, Eq)]
    error WeightValuerInvalidKind(uint8 kind);
    /// The function does not apply to this valuer's `kind`.
    #[derive(Debug, PartialEq, Eq)]
    error WeightValuerWrongKind(uint8 kind);
    /// The TWAP window must be positive.
    #[derive(Debug, PartialEq, Eq)]
    error WeightValuerInvalidWindow(uint64 twapWindow);
    /// The source given for `token` is inconsistent: zero token, excluded
    /// holders or a vault with a reported source, or decimals above 36.
    #[derive(Debug, PartialEq, Eq)]
    error WeightValuerInvalidSource(address token);
    /// More than `max` excluded holders.
    #[derive(Debug, PartialEq, Eq)]
    error WeightValuerTooManyExcluded(uint256 count, uint256 max);
    /// Parallel arrays differ in length.
    #[derive(Debug, PartialEq, Eq)]
    error WeightValuerLengthMismatch(uint256 tokens, uint256 weights);
    /// A fixed `weight` above `MAX_WEIGHT` for `token`.
    #[derive(Debug, PartialEq, Eq)]
    error WeightValuerInvalidWeight(address token, uint256 weight);
    /// `token` has no source (or fixed weight) yet.
    #[derive(Debug, PartialEq, Eq)]
    error WeightValuerTokenNotConfigured(address token);
    /// The tokens are worth zero in all: no target can be computed.
    #[derive(Debug, PartialEq, Eq)]
    error WeightValuerZeroTotalValue();
    /// The oracle reverted with `reason` for `asset` (stale price, short TWAP history, no value).
    #[derive(Debug, PartialEq, Eq)]
    error WeightValuerOracleCallFailed(address asset, bytes4 reason);
    /// A view on `token` (or vault) failed.
    #[derive(Debug, PartialEq, Eq)]
    error WeightValuerTokenCallFailed(address token);
    /// Arithmetic failed (code of `strata_math::MathError`).
    #[derive(Debug, PartialEq, Eq)]
    error WeightValuerMath(uint8 code);
}

/// Errors of the valuer.
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum Error {
    /// See [`WeightValuerZeroAddress`].
    ZeroAddress(WeightValuerZeroAddress),
    /// See [`WeightValuerInvalidKind`].
    InvalidKind(WeightValuerInvalidKind),
    /// See [`WeightValuerWrongKind`].
    WrongKind(WeightValuerWrongKind),
    /// See [`WeightValuerInvalidWindow`].
    InvalidWindow(WeightValuerInvalidWindow),
    /// See [`WeightValuerInvalidSource`].
    InvalidSource(WeightValuerInvalidSource),
    /// See [`WeightValuerTooManyExcluded`].
    TooManyExcluded(WeightValuerTooManyExcluded),
    /// See [`WeightValuerLengthMismatch`].
    LengthMismatch(WeightValuerLengthMismatch),
    /// See [`WeightValuerInvalidWeight`].
    InvalidWeight(WeightValuerInvalidWeight),
    /// See [`WeightValuerTokenNotConfigured`].
    TokenNotConfigured(WeightValuerTokenNotConfigured),
    /// See [`WeightValuerZeroTotalValue`].
    ZeroTotalValue(WeightValuerZeroTotalValue),
    /// See [`WeightValuerOracleCallFailed`].
    OracleCallFailed(WeightValuerOracleCallFailed),
    /// See [`WeightValuerTokenCallFailed`].
    TokenCallFailed(WeightValuerTokenCallFailed),
    /// See [`WeightValuerMath`].
    Math(WeightValuerMath),
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
        Error::Math(WeightValuerMath { code: e.code() })
    }
}

fn token_failed(token: Address) -> Error {
    Error::TokenCallFailed(WeightValuerTokenCallFailed { token })
}

fn invalid_source(token: Address) -> Error {
    Error::InvalidSource(WeightValuerInvalidSource { token })
}

fn oracle_failed(asset: Address, reason: FixedBytes<4>) -> Error {
    Error::OracleCallFailed(WeightValuerOracleCallFailed { asset, reason })
}

/// How one token is valued.
#[storage]
pub struct TokenSource {
    /// Set by `setMcapSource`, `setTvlSource` or `setFixedWeights`.
    configured: StorageBool,
    /// The amount comes from the oracle's `"SUPPLY"`/`"TVL"` value.
    reported: StorageBool,
    /// Decimals of the amount (`18` for reported amounts).
    decimals: StorageU8,
    /// Asset whose TWAP prices the amount.
    price_asset: StorageAddress,
    /// ERC-4626 vault whose `totalAssets` is the amount (TVL, on chain).
    vault: StorageAddress,
    /// FIXED: the owner's number.
    fixed_weight: StorageU256,
    /// MCAP, on chain: holders whose balances are not part of the supply.
    excluded: StorageVec<StorageAddress>,
}

/// The valuer.
#[entrypoint]
#[storage]
pub struct WeightValuer {
    ownable: Ownable2Step,
    oracle: StorageAddress,
    kind: StorageU8,
    twap_window: StorageU64,
    sources: StorageMap<Address, TokenSource>,
}

#[public]
impl WeightValuer {
    /// Reads `oracle`, values tokens by `kind`, prices with TWAPs over `twap_window` seconds.
    ///
    /// # Errors
    /// `OwnableInvalidOwner`, [`WeightValuerZeroAddress`],
    /// [`WeightValuerInvalidKind`], [`WeightValuerInvalidWindow`].
    ///
    /// # Events
    /// `OwnershipTransferred`, [`Initialized`], [`TwapWindowSet`].
    #[constructor]
    pub fn constructor(
        &mut self,
        owner: Address,
        oracle: Address,
        kind: u8,
        twap_window: u64,
    ) -> Result<(), Error> {
        self.ownable.init(owner)?;
        if oracle.is_zero() {
            return Err(Error::ZeroAddress(WeightValuerZeroAddress {}));
        }
        if !(KIND_MCAP..=KIND_FIXED).contains(&kind) {
            return Err(Error::InvalidKind(WeightValuerInvalidKind { kind }));
        }
        self.oracle.set(oracle);
        self.kind.set(U8::from(kind));
        log::emit(&[Initialized::SIGNATURE_HASH, oracle.into_word()], &[kind.word()]);
        self.write_window(twap_window)
    }

    // ------------------------------------------------------------- valuation

    /// Target weights of `tokens` (see the module formula).
    ///
    /// # Errors
    /// As [`Self::get_values`]; [`WeightValuerZeroTotalValue`].
    pub fn get_targets(&self, tokens: Vec<Address>) -> Result<Vec<U256>, Error> {
        let values = self.values(&tokens)?;
        let mut total = U256::ZERO;
        for value in &values {
            total = total.checked_add(*value).ok_or(MathError::Overflow)?;
        }
        if total.is_zero() {
            return Err(Error::ZeroTotalValue(WeightValuerZeroTotalValue {}));
        }
        values.iter().map(|&value| Ok(U256::from(target_weight(value, total)?))).collect()
    }

    /// Values of `tokens` (USD, 18 decimals; FIXED: the owner's numbers).
    ///
    /// # Errors
    /// [`WeightValuerTokenNotConfigured`], [`WeightValuerOracleCallFailed`],
    /// [`WeightValuerTokenCallFailed`], [`WeightValuerMath`].
    pub fn get_values(&self, tokens: Vec<Address>) -> Result<Vec<U256>, Error> {
        self.values(&tokens)
    }

    /// Whether `token` has a source (or fixed weight).
    pub fn is_configured(&self, token: Address) -> bool {
        self.sources.getter(token).configured.get()
    }

    // ------------------------------------------------------------- sources

    /// Owner (MCAP): values `token` by its supply, on chain (`totalSupply`
    /// less `excludedHolders`' balances) or `reported` (the oracle's `"SUPPLY"`).
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`WeightValuerWrongKind`],
    /// [`WeightValuerTooManyExcluded`], [`WeightValuerInvalidSource`],
    /// [`WeightValuerTokenCallFailed`] when `decimals()` fails.
    ///
    /// # Events
    /// [`TokenSourceSet`].
    pub fn set_mcap_source(
        &mut self,
        token: Address,
        reported: bool,
        excluded_holders: Vec<Address>,
    ) -> Result<(), Error> {
        self.only_owner_of_kind(KIND_MCAP)?;
        if excluded_holders.len() > MAX_EXCLUDED_HOLDERS {
            return Err(Error::TooManyExcluded(WeightValuerTooManyExcluded {
                count: U256::from(excluded_holders.len()),
                max: U256::from(MAX_EXCLUDED_HOLDERS),
            }));
        }
        if token.is_zero() || (reported && !excluded_holders.is_empty()) {
            return Err(invalid_source(token));
        }
        self.write_source(token, reported, token, Address::ZERO, &excluded_holders)
    }

    /// Owner (TVL): values `token` by a vault's TVL: on chain
    /// (`vault.totalAssets()` priced at the TWAP of `vault.asset()`; a zero
    /// `vault` means the token itself) or `reported` (the oracle's `"TVL"`
    /// in whole shares, priced at the token's TWAP; `vault` must be zero).
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`WeightValuerWrongKind`],
    /// [`WeightValuerInvalidSource`], [`WeightValuerTokenCallFailed`]
    /// when `asset()` or `decimals()` fails.
    ///
    /// # Events
    /// [`TokenSourceSet`].
    pub fn set_tvl_source(
        &mut self,
        token: Address,
        reported: bool,
        vault: Address,
    ) -> Result<(), Error> {
        self.only_owner_of_kind(KIND_TVL)?;
        if token.is_zero() || (reported && !vault.is_zero()) {
            return Err(invalid_source(token));
        }
        if reported {
            return self.write_source(token, true, token, Address::ZERO, &[]);
        }
        let vault = if vault.is_zero() { token } else { vault };
        let asset = calls::view(vault, calls::ASSET, &[])
            .ok()
            .filter(|w| w.bit_len() <= 160)
            .map(|w| Address::from_word(FixedBytes(w.to_be_bytes::<32>())))
            .ok_or_else(|| token_failed(vault))?;
        self.write_source(token, false, asset, vault, &[])
    }

    /// Owner (FIXED): sets the numbers of `tokens` (relative; normalised to
    /// 25e18 by `getTargets`; zero ends at `MIN_WEIGHT`).
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`WeightValuerWrongKind`],
    /// [`WeightValuerLengthMismatch`], [`WeightValuerInvalidWeight`] above `MAX_WEIGHT`.
    ///
    /// # Events
    /// [`FixedWeightSet`] per token.
    pub fn set_fixed_weights(
        &mut self,
        tokens: Vec<Address>,
        weights: Vec<U256>,
    ) -> Result<(), Error> {
        self.only_owner_of_kind(KIND_FIXED)?;
        if tokens.len() != weights.len() {
            return Err(Error::LengthMismatch(WeightValuerLengthMismatch {
                tokens: U256::from(tokens.len()),
                weights: U256::from(weights.len()),
            }));
        }
        for (&token, &weight) in tokens.iter().zip(&weights) {
            if weight > U256::from(MAX_WEIGHT) {
                return Err(Error::InvalidWeight(WeightValuerInvalidWeight { token, weight }));
            }
            let mut source = self.sources.setter(token);
            source.configured.set(true);
            source.fixed_weight.set(weight);
            log::emit(&[FixedWeightSet::SIGNATURE_HASH, token.into_word()], &[weight]);
        }
        Ok(())
    }

    /// Owner: sets the TWAP window.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`WeightValuerInvalidWindow`] for zero.
    ///
    /// # Events
    /// [`TwapWindowSet`].
    pub fn set_twap_window(&mut self, twap_window: u64) -> Result<(), Error> {
        self.ownable.only_owner(env::sender())?;
        self.write_window(twap_window)
    }

    // ------------------------------------------------------------- views

    /// The price oracle.
    pub fn oracle(&self) -> Address {
        self.oracle.get()
    }

    /// Valuation kind: 1 MCAP, 2 TVL, 3 FIXED.
    pub fn kind(&self) -> u8 {
        self.kind.get().to::<u8>()
    }

    /// TWAP window in seconds.
    pub fn twap_window(&self) -> u64 {
        self.twap_window.get().to::<u64>()
    }

    /// How `token` is valued: `(configured, reported, decimals, priceAsset,
    /// vault, fixedWeight, excludedHolders)`.
    #[allow(clippy::type_complexity)]
    pub fn token_source(
        &self,
        token: Address,
    ) -> (bool, bool, u8, Address, Address, U256, Vec<Address>) {
        let source = self.sources.getter(token);
        let excluded = (0..source.excluded.len()).filter_map(|i| source.excluded.get(i)).collect();
        (
            source.configured.get(),
            source.reported.get(),
            source.decimals.get().to::<u8>(),
            source.price_asset.get(),
            source.vault.get(),
            source.fixed_weight.get(),
            excluded,
        )
    }

    // ------------------------------------------------------------- ownership

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

    /// Owner: renounces ownership (sources become fixed for good).
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

/// `max(MIN_WEIGHT, ⌊value · TOTAL_WEIGHT / total⌋)`.
///
/// # Errors
/// [`WeightValuerMath`] when `total` is zero or below `value`.
pub fn target_weight(value: U256, total: U256) -> Result<u128, Error> {
    let share = mul_div_down(value, U256::from(TOTAL_WEIGHT), total)?;
    if share > U256::from(TOTAL_WEIGHT) {
        return Err(MathError::Overflow.into());
    }
    Ok(share.to::<u128>().max(MIN_WEIGHT))
}

impl WeightValuer {
    fn only_owner_of_kind(&self, kind: u8) -> Result<(), Error> {
        self.ownable.only_owner(env::sender())?;
        let own = self.kind.get().to::<u8>();
        if own != kind {
            return Err(Error::WrongKind(WeightValuerWrongKind { kind: own }));
        }
        Ok(())
    }

    fn write_window(&mut self, twap_window: u64) -> Result<(), Error> {
        if twap_window == 0 {
            return Err(Error::InvalidWindow(WeightValuerInvalidWindow {
                twapWindow: twap_window,
            }));
        }
        self.twap_window.set(U64::from(twap_window));
        log::emit(&[TwapWindowSet::SIGNATURE_HASH], &[twap_window.word()]);
        Ok(())
    }

    /// Stores a source; reads the decimals of `price_asset` for on-chain amounts.
    fn write_source(
        &mut self,
        token: Address,
        reported: bool,
        price_asset: Address,
        vault: Address,
        excluded: &[Address],
    ) -> Result<(), Error> {
        let decimals = if reported {
            18
        } else {
            let decimals = calls::view(price_asset, calls::DECIMALS, &[])
                .map_err(|_| token_failed(price_asset))?;
            u8::try_from(decimals).map_err(|_| invalid_source(token))?
        };
        if decimals > MAX_DECIMALS {
            return Err(invalid_source(token));
        }
        let mut source = self.sources.setter(token);
        source.configured.set(true);
        source.reported.set(reported);
        source.decimals.set(U8::from(decimals));
        source.price_asset.set(price_asset);
        source.vault.set(vault);
        // Stale slots past the new length are never read (and are
        // overwritten by later pushes).
        source.excluded.truncate(0);
        for &holder in excluded {
            source.excluded.push(holder);
        }
        let holders: Vec<U256> = excluded.iter().map(|&h| h.word()).collect();
        log::emit_bytes(
            &[TokenSourceSet::SIGNATURE_HASH, token.into_word()],
            &encode_values(
                &[],
                &[
                    Value::Word(reported.word()),
                    Value::Word(price_asset.word()),
                    Value::Word(vault.word()),
                    Value::Word(decimals.word()),
                    Value::Array(&holders),
                ],
            ),
        );
        Ok(())
    }

    fn values(&self, tokens: &[Address]) -> Result<Vec<U256>, Error> {
        let kind = self.kind.get().to::<u8>();
        let window = U256::from(self.twap_window.get().to::<u64>());
        let mut values = Vec::with_capacity(tokens.len());
        for &token in tokens {
            let source = self.sources.getter(token);
            if !source.configured.get() {
                return Err(Error::TokenNotConfigured(WeightValuerTokenNotConfigured { token }));
            }
            let value = if kind == KIND_FIXED {
                source.fixed_weight.get()
            } else {
                let amount = self.amount(token, kind, &source)?;
                let asset = source.price_asset.get();
                let price =
                    calls::view(self.oracle.get(), calls::GET_TWAP, &[asset.word(), window])
                        .map_err(|e| oracle_failed(asset, e))?;
                // decimals <= MAX_DECIMALS = 36, so 10^decimals fits.
                let scale = U256::from(10).pow(U256::from(source.decimals.get().to::<u8>()));
                mul_div_down(amount, price, scale)?
            };
            values.push(value);
        }
        Ok(values)
    }

    /// The amount to price: the reported value, the supply net of excluded
    /// holders, or the vault's assets.
    fn amount(&self, token: Address, kind: u8, source: &TokenSource) -> Result<U256, Error> {
        if source.reported.get() {
            let value_kind = if kind == KIND_MCAP { VALUE_SUPPLY } else { VALUE_TVL };
            return calls::view(
                self.oracle.get(),
                calls::GET_VALUE,
                &[value_kind.into(), token.word()],
            )
            .map_err(|e| oracle_failed(token, e));
        }
        if kind == KIND_TVL {
            let vault = source.vault.get();
            return calls::view(vault, calls::TOTAL_ASSETS, &[]).map_err(|_| token_failed(vault));
        }
        let mut supply =
            calls::view(token, calls::TOTAL_SUPPLY, &[]).map_err(|_| token_failed(token))?;
        for i in 0..source.excluded.len() {
            let holder = source.excluded.get(i).unwrap_or_default();
            let held = calls::view(token, calls::BALANCE_OF, &[holder.word()])
                .map_err(|_| token_failed(token))?;
            supply = supply.saturating_sub(held);
        }
        Ok(supply)
    }
}

#[cfg(test)]
mod tests;
