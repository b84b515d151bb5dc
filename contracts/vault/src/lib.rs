//! Perp vault — custody of the quote collateral, the traders' margin pool,
//! the insurance fund and the accrued toll fees.
//!
//! The vault holds every token of the Perp system. Its books have three
//! buckets, all in 18-decimal units whatever the token's decimals:
//!
//! | bucket | what | moved by |
//! |---|---|---|
//! | `totalMargin` (the pool) | collateral backing open positions | the clearing house only |
//! | `insuranceFundBalance` | pays bad debt and net funding, receives spreads, penalties, net funding and rounding dust | deposits by anyone; the clearing house; withdrawals by the owner |
//! | `accruedFees` | toll fees | the clearing house credits; anyone sends them to the fee receiver |
//!
//! ```text
//! token.balanceOf(vault) · scale  ≥  totalMargin + insuranceFundBalance + accruedFees
//! ```
//!
//! holds after every call (equality unless someone sends tokens directly).
//!
//! # Decimals
//!
//! `scale = 10^(18 − decimals)` (tokens with more than 18 decimals are refused).
//! Conversions never credit more than arrived and never pay more than is owed:
//! an incoming amount of `x` (18 decimals) pulls `⌈x / scale⌉` tokens, an outgoing
//! amount pays `⌊x / scale⌋` tokens, and the remainder of either rounding
//! (the *dust*, below one token unit) is credited to the insurance fund. The
//! clearing house floors user-chosen margins to token precision first, so a
//! deposit credits exactly the floor of what the user asked for; a user-chosen
//! amount that floors to zero reverts ([`VaultZeroAmount`] here,
//! `ClearingHouseInvalidAmount` there).
//!
//! Fee-on-transfer tokens are rejected (`pull_exact`): the books could not absorb
//! a transfer fee.
//!
//! # Insurance fund
//!
//! Every draw on the fund goes through one internal function that reverts with
//! [`VaultInsufficientInsurance`] when the fund cannot cover it: the clearing
//! house's bad-debt gate, net funding payments and k-adjustment costs all use it,
//! so no loss is ever socialised silently. The owner may withdraw only what
//! exceeds `insuranceReserveRatio × totalMargin` (the reserve kept against open
//! positions' bad-debt exposure).
//!
//! # The pool never goes negative (no prepaid bad debt)
//!
//! A payout larger than the pool reverts with [`VaultInsufficientPool`]: unlike
//! Perp v1's `prepaidBadDebt`, the fund never advances a pool shortfall. The pool
//! can fall short only while open positions carry bad debt not yet realised (a
//! winner's close is paid from the losers' margins). The winner then reduces with
//! partial closes (they pay nothing out) until the losers are liquidated — a
//! backstop realises their bad debt, which the fund pays into the pool — and
//! closes after that. The fund is drawn only through the bad-debt gate, never
//! ahead of it.
//!
//! # Call graph
//!
//! `clearing-house → vault → token`. The vault calls only the token and never
//! calls the clearing house, so no call path re-enters a contract already on the
//! stack (Stylus reverts such calls).
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

mod num;

use alloy_primitives::{Address, I256, U256};
use alloy_sol_types::sol;
use strata_common::{env, interfaces::IERC20, ownable, reentrancy, token};
use strata_math::{MathError, WAD};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageU256},
};

strata_common::sol_events! {
    /// The clearing house settled `trader`: `marginDelta` into (+) or out of (−) the
    /// pool, `toll` to fees, `spread` and `dust` to the insurance fund; `tokenDelta`
    /// tokens moved from (+) or to (−) the trader.
    event TraderSettled(address indexed trader, int256 marginDelta, uint256 toll, uint256 spread, int256 tokenDelta, uint256 dust);
    /// `poolToInsurance` moved from the pool to the insurance fund (negative: the fund paid the pool).
    event InsuranceTransferred(int256 poolToInsurance, uint256 insuranceFundBalance);
    /// With no position left anywhere, the pool's rounding remainder moved to the insurance fund.
    event PoolSwept(uint256 amount);
    /// `from` added `amount` (18 decimals) to the insurance fund.
    event InsuranceDeposited(address indexed from, uint256 amount);
    /// The owner withdrew `amount` (18 decimals) from the insurance fund to `to`.
    event InsuranceWithdrawn(address indexed to, uint256 amount);
    /// Accrued toll fees of `amount` (18 decimals) were sent to `receiver`.
    event FeesClaimed(address indexed receiver, uint256 amount);
    /// The clearing house was set (once).
    event ClearingHouseSet(address clearingHouse);
    /// The toll fee receiver changed.
    event FeeReceiverSet(address feeReceiver);
    /// The insurance reserve ratio changed.
    event InsuranceReserveRatioSet(uint256 ratio);
}

/// Events of this contract, for the exported interface.
// Constant indices into constant arrays: an out-of-range index fails the build.
#[allow(clippy::indexing_slicing)]
pub const ALL_EVENTS_ABI: [&str; 11] = [
    EVENTS_ABI[0],
    EVENTS_ABI[1],
    EVENTS_ABI[2],
    EVENTS_ABI[3],
    EVENTS_ABI[4],
    EVENTS_ABI[5],
    EVENTS_ABI[6],
    EVENTS_ABI[7],
    EVENTS_ABI[8],
    ownable::OWNABLE_EVENTS_ABI[0],
    ownable::OWNABLE_EVENTS_ABI[1],
];

sol! {
    /// Only the clearing house may call this function.
    #[derive(Debug)]
    error VaultOnlyClearingHouse(address caller);
    /// The clearing house is already set to `current`.
    #[derive(Debug)]
    error VaultClearingHouseAlreadySet(address current);
    /// A zero address where an account is required.
    #[derive(Debug)]
    error VaultZeroAddress();
    /// The token has more than 18 decimals.
    #[derive(Debug)]
    error VaultUnsupportedDecimals(uint8 decimals);
    /// `amount` converts to zero token units.
    #[derive(Debug)]
    error VaultZeroAmount(uint256 amount);
    /// The pool holds `available`, less than `requested`.
    #[derive(Debug)]
    error VaultInsufficientPool(uint256 requested, uint256 available);
    /// The insurance fund holds `available`, less than `requested`.
    #[derive(Debug)]
    error VaultInsufficientInsurance(uint256 requested, uint256 available);
    /// A withdrawal of `requested` would dip into the reserve; `withdrawable` is the most allowed.
    #[derive(Debug)]
    error VaultInsuranceReserveRequired(uint256 requested, uint256 withdrawable);
    /// A ratio above 1e18.
    #[derive(Debug)]
    error VaultInvalidRatio(uint256 ratio);
    /// A call to the token failed or returned false.
    #[derive(Debug)]
    error VaultTokenCallFailed(address token);
    /// The token delivered `received` of `expected` (fee-on-transfer tokens are not supported).
    #[derive(Debug)]
    error VaultTokenShortfall(address token, uint256 expected, uint256 received);
    /// Arithmetic failure (`code` = `strata_math::MathError::code`).
    #[derive(Debug)]
    error VaultMath(uint8 code);
}

/// Errors of the vault.
#[derive(SolidityError, Debug)]
pub enum Error {
    /// See [`VaultOnlyClearingHouse`].
    OnlyClearingHouse(VaultOnlyClearingHouse),
    /// See [`VaultClearingHouseAlreadySet`].
    ClearingHouseAlreadySet(VaultClearingHouseAlreadySet),
    /// See [`VaultZeroAddress`].
    ZeroAddress(VaultZeroAddress),
    /// See [`VaultUnsupportedDecimals`].
    UnsupportedDecimals(VaultUnsupportedDecimals),
    /// See [`VaultZeroAmount`].
    ZeroAmount(VaultZeroAmount),
    /// See [`VaultInsufficientPool`].
    InsufficientPool(VaultInsufficientPool),
    /// See [`VaultInsufficientInsurance`].
    InsufficientInsurance(VaultInsufficientInsurance),
    /// See [`VaultInsuranceReserveRequired`].
    InsuranceReserveRequired(VaultInsuranceReserveRequired),
    /// See [`VaultInvalidRatio`].
    InvalidRatio(VaultInvalidRatio),
    /// See [`VaultTokenCallFailed`].
    TokenCallFailed(VaultTokenCallFailed),
    /// See [`VaultTokenShortfall`].
    TokenShortfall(VaultTokenShortfall),
    /// See [`VaultMath`].
    Math(VaultMath),
    /// Caller is not the owner.
    Unauthorized(ownable::OwnableUnauthorizedAccount),
    /// Zero owner.
    InvalidOwner(ownable::OwnableInvalidOwner),
    /// Re-entered a guarded function.
    Reentrant(reentrancy::ReentrantCall),
}

impl From<MathError> for Error {
    fn from(e: MathError) -> Self {
        Error::Math(VaultMath { code: e.code() })
    }
}

impl From<ownable::OwnableError> for Error {
    fn from(e: ownable::OwnableError) -> Self {
        match e {
            ownable::OwnableError::Unauthorized(e) => Error::Unauthorized(e),
            ownable::OwnableError::InvalidOwner(e) => Error::InvalidOwner(e),
        }
    }
}

impl From<token::TokenError> for Error {
    fn from(e: token::TokenError) -> Self {
        match e {
            token::TokenError::CallFailed(e) => {
                Error::TokenCallFailed(VaultTokenCallFailed { token: e.token })
            }
            token::TokenError::Shortfall(e) => Error::TokenShortfall(VaultTokenShortfall {
                token: e.token,
                expected: e.expected,
                received: e.received,
            }),
        }
    }
}

fn overflow() -> Error {
    MathError::Overflow.into()
}

/// Quote-token custody of the Perp system.
#[entrypoint]
#[storage]
pub struct Vault {
    ownable: ownable::Ownable2Step,
    lock: reentrancy::ReentrancyLock,
    token: StorageAddress,
    scale: StorageU256,
    clearing_house: StorageAddress,
    fee_receiver: StorageAddress,
    pool: StorageU256,
    insurance: StorageU256,
    fees: StorageU256,
    reserve_ratio: StorageU256,
}

#[public]
impl Vault {
    /// Binds the vault to `token` (reading its decimals), owned by `owner`.
    ///
    /// The owner is an argument, not the caller: `cargo stylus deploy
    /// --constructor-args` runs the constructor from cargo-stylus's `StylusDeployer`
    /// contract, which would otherwise become the owner.
    ///
    /// # Errors
    /// `OwnableInvalidOwner` for a zero owner; [`VaultZeroAddress`] for a zero token
    /// or fee receiver;
    /// [`VaultTokenCallFailed`] when `decimals()` fails; [`VaultUnsupportedDecimals`]
    /// above 18; [`VaultInvalidRatio`] for a reserve ratio above 1e18.
    ///
    /// # Events
    /// `OwnershipTransferred`, `FeeReceiverSet`, `InsuranceReserveRatioSet`.
    #[constructor]
    pub fn constructor(
        &mut self,
        owner: Address,
        token: Address,
        fee_receiver: Address,
        insurance_reserve_ratio: U256,
    ) -> Result<(), Error> {
        if token.is_zero() || fee_receiver.is_zero() {
            return Err(Error::ZeroAddress(VaultZeroAddress {}));
        }
        let failed = || Error::TokenCallFailed(VaultTokenCallFailed { token });
        if !env::has_code(token) {
            return Err(failed());
        }
        let decimals = IERC20::new(token).decimals(&*self).map_err(|_| failed())?;
        let exponent = 18u8
            .checked_sub(decimals)
            .ok_or(Error::UnsupportedDecimals(VaultUnsupportedDecimals { decimals }))?;
        self.ownable.init(owner)?;
        self.token.set(token);
        self.scale.set(U256::from(10u8).pow(U256::from(exponent)));
        self.write_fee_receiver(fee_receiver)?;
        self.write_reserve_ratio(insurance_reserve_ratio)
    }

    // ---------------------------------------------------------- clearing house

    /// Settles a trader: `margin_delta` (18 decimals) into (+) or out of (−) the pool,
    /// `toll` to the accrued fees and `spread` to the insurance fund, paid by the trader
    /// on top of an incoming margin or deducted from an outgoing one. Tokens move once,
    /// in the net direction (incoming rounded up, outgoing down, dust to the fund).
    ///
    /// # Errors
    /// [`VaultOnlyClearingHouse`], [`VaultInsufficientPool`], token errors, [`VaultMath`].
    ///
    /// # Events
    /// `TraderSettled`.
    pub fn settle_trader(
        &mut self,
        trader: Address,
        margin_delta: I256,
        toll: U256,
        spread: U256,
    ) -> Result<(), Error> {
        self.lock.enter()?;
        self.only_clearing_house()?;
        let owed = toll.checked_add(spread).ok_or_else(overflow)?;
        let (incoming, outgoing) =
            if margin_delta.is_negative() {
                let out = margin_delta.unsigned_abs();
                let pool = self.pool.get();
                let left = pool.checked_sub(out).ok_or(Error::InsufficientPool(
                    VaultInsufficientPool { requested: out, available: pool },
                ))?;
                self.pool.set(left);
                (owed.saturating_sub(out), out.saturating_sub(owed))
            } else {
                let add = margin_delta.unsigned_abs();
                self.pool.set(self.pool.get().checked_add(add).ok_or_else(overflow)?);
                (add.checked_add(owed).ok_or_else(overflow)?, U256::ZERO)
            };
        let scale = self.scale.get();
        let token_in = num::div_up(incoming, scale)?;
        let token_out = outgoing.checked_div(scale).ok_or_else(overflow)?;
        // Dust: what rounding the token amounts left over, in 18 decimals.
        let dust = token_in
            .checked_mul(scale)
            .and_then(|paid| paid.checked_sub(incoming))
            .and_then(|d| d.checked_add(outgoing.checked_rem(scale)?))
            .ok_or_else(overflow)?;
        self.fees.set(self.fees.get().checked_add(toll).ok_or_else(overflow)?);
        let to_fund = spread.checked_add(dust).ok_or_else(overflow)?;
        self.insurance.set(self.insurance.get().checked_add(to_fund).ok_or_else(overflow)?);
        let token = self.token.get();
        token::pull_exact(token, trader, token_in)?;
        token::safe_transfer(token, trader, token_out)?;
        let token_delta = signed(token_in)?.checked_sub(signed(token_out)?).ok_or_else(overflow)?;
        env::emit(TraderSettled {
            trader,
            marginDelta: margin_delta,
            toll,
            spread,
            tokenDelta: token_delta,
            dust,
        });
        self.lock.exit();
        Ok(())
    }

    /// Moves `pool_to_insurance` from the pool to the insurance fund, or from the
    /// fund to the pool when negative (bad debt, net funding, k-adjustment cost).
    ///
    /// A draw on the fund is exact and reverts when the fund cannot cover it — the
    /// bad-debt gate. A payment to the fund takes at most what the pool holds: the
    /// pool can hold less only when some position owes more than its margin (e.g. an
    /// insolvent funding payer); the unpaid rest then stays in the pool as surplus
    /// once that position's bad debt is covered, and reaches the fund with the sweep
    /// when no position is open.
    ///
    /// # Errors
    /// [`VaultOnlyClearingHouse`], [`VaultInsufficientInsurance`].
    ///
    /// # Events
    /// `InsuranceTransferred` with the amount actually moved.
    pub fn transfer_insurance(&mut self, pool_to_insurance: I256) -> Result<(), Error> {
        self.only_clearing_house()?;
        let (pool, insurance) = (self.pool.get(), self.insurance.get());
        let (moved, pool, insurance) = if pool_to_insurance.is_negative() {
            let amount = pool_to_insurance.unsigned_abs();
            let insurance = insurance.checked_sub(amount).ok_or(Error::InsufficientInsurance(
                VaultInsufficientInsurance { requested: amount, available: insurance },
            ))?;
            (pool_to_insurance, pool.checked_add(amount).ok_or_else(overflow)?, insurance)
        } else {
            let amount = pool_to_insurance.unsigned_abs().min(pool);
            // amount ≤ pool.
            (
                signed(amount)?,
                pool.saturating_sub(amount),
                insurance.checked_add(amount).ok_or_else(overflow)?,
            )
        };
        self.pool.set(pool);
        self.insurance.set(insurance);
        env::emit(InsuranceTransferred { poolToInsurance: moved, insuranceFundBalance: insurance });
        Ok(())
    }

    /// Moves the whole pool to the insurance fund; the clearing house calls it when no
    /// position is open anywhere, so what is left is rounding remainder.
    ///
    /// # Errors
    /// [`VaultOnlyClearingHouse`].
    ///
    /// # Events
    /// `PoolSwept`.
    pub fn sweep_pool(&mut self) -> Result<(), Error> {
        self.only_clearing_house()?;
        let amount = self.pool.get();
        self.pool.set(U256::ZERO);
        self.insurance.set(self.insurance.get().checked_add(amount).ok_or_else(overflow)?);
        env::emit(PoolSwept { amount });
        Ok(())
    }

    // ------------------------------------------------------------- insurance

    /// Adds `amount` (18 decimals, floored to token precision) to the insurance fund
    /// from the caller; returns the amount credited.
    ///
    /// # Errors
    /// [`VaultZeroAmount`] when it floors to zero; token errors.
    ///
    /// # Events
    /// `InsuranceDeposited`.
    pub fn deposit_insurance(&mut self, amount: U256) -> Result<U256, Error> {
        self.lock.enter()?;
        let from = env::sender();
        let (tokens, credited) = self.floor_tokens(amount)?;
        self.insurance.set(self.insurance.get().checked_add(credited).ok_or_else(overflow)?);
        token::pull_exact(self.token.get(), from, tokens)?;
        env::emit(InsuranceDeposited { from, amount: credited });
        self.lock.exit();
        Ok(credited)
    }

    /// Sends `amount` (18 decimals, floored to token precision) of the insurance fund
    /// to `to`, keeping at least `insuranceReserveRatio × totalMargin` in the fund.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`VaultZeroAddress`], [`VaultZeroAmount`],
    /// [`VaultInsuranceReserveRequired`], token errors.
    ///
    /// # Events
    /// `InsuranceWithdrawn`.
    pub fn withdraw_insurance(&mut self, amount: U256, to: Address) -> Result<(), Error> {
        self.lock.enter()?;
        self.ownable.only_owner(env::sender())?;
        if to.is_zero() {
            return Err(Error::ZeroAddress(VaultZeroAddress {}));
        }
        let (tokens, debited) = self.floor_tokens(amount)?;
        let reserve = num::wad_mul(self.pool.get(), self.reserve_ratio.get())?;
        let insurance = self.insurance.get();
        let withdrawable = insurance.saturating_sub(reserve);
        if debited > withdrawable {
            return Err(Error::InsuranceReserveRequired(VaultInsuranceReserveRequired {
                requested: debited,
                withdrawable,
            }));
        }
        // debited ≤ withdrawable ≤ insurance.
        self.insurance.set(insurance.saturating_sub(debited));
        token::safe_transfer(self.token.get(), to, tokens)?;
        env::emit(InsuranceWithdrawn { to, amount: debited });
        self.lock.exit();
        Ok(())
    }

    /// Sends the accrued toll fees (whole token units) to the fee receiver; anyone may
    /// call. Returns the amount sent (18 decimals); zero sends nothing.
    ///
    /// # Errors
    /// Token errors.
    ///
    /// # Events
    /// `FeesClaimed` when something is sent.
    pub fn claim_fees(&mut self) -> Result<U256, Error> {
        self.lock.enter()?;
        let scale = self.scale.get();
        let fees = self.fees.get();
        let tokens = fees.checked_div(scale).ok_or_else(overflow)?;
        let amount = tokens.checked_mul(scale).ok_or_else(overflow)?;
        if !amount.is_zero() {
            // amount ≤ fees by construction (floor).
            self.fees.set(fees.saturating_sub(amount));
            let receiver = self.fee_receiver.get();
            token::safe_transfer(self.token.get(), receiver, tokens)?;
            env::emit(FeesClaimed { receiver, amount });
        }
        self.lock.exit();
        Ok(amount)
    }

    // ------------------------------------------------------------------- owner

    /// Sets the clearing house, once.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`VaultZeroAddress`], [`VaultClearingHouseAlreadySet`].
    ///
    /// # Events
    /// `ClearingHouseSet`.
    pub fn set_clearing_house(&mut self, clearing_house: Address) -> Result<(), Error> {
        self.ownable.only_owner(env::sender())?;
        let current = self.clearing_house.get();
        if !current.is_zero() {
            return Err(Error::ClearingHouseAlreadySet(VaultClearingHouseAlreadySet { current }));
        }
        if clearing_house.is_zero() {
            return Err(Error::ZeroAddress(VaultZeroAddress {}));
        }
        self.clearing_house.set(clearing_house);
        env::emit(ClearingHouseSet { clearingHouse: clearing_house });
        Ok(())
    }

    /// Sets the toll fee receiver.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`VaultZeroAddress`].
    ///
    /// # Events
    /// `FeeReceiverSet`.
    pub fn set_fee_receiver(&mut self, fee_receiver: Address) -> Result<(), Error> {
        self.ownable.only_owner(env::sender())?;
        self.write_fee_receiver(fee_receiver)
    }

    /// Sets the share of `totalMargin` the insurance fund keeps against withdrawals.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`VaultInvalidRatio`] above 1e18.
    ///
    /// # Events
    /// `InsuranceReserveRatioSet`.
    pub fn set_insurance_reserve_ratio(&mut self, ratio: U256) -> Result<(), Error> {
        self.ownable.only_owner(env::sender())?;
        self.write_reserve_ratio(ratio)
    }

    // ------------------------------------------------------------------- views

    /// The traders' margin pool (18 decimals).
    pub fn total_margin(&self) -> U256 {
        self.pool.get()
    }

    /// The insurance fund (18 decimals).
    pub fn insurance_fund_balance(&self) -> U256 {
        self.insurance.get()
    }

    /// Toll fees not yet sent to the receiver (18 decimals).
    pub fn accrued_fees(&self) -> U256 {
        self.fees.get()
    }

    /// `10^(18 − token decimals)`: 18-decimal units per token unit.
    pub fn quote_scale(&self) -> U256 {
        self.scale.get()
    }

    /// `(token, clearingHouse, feeReceiver, insuranceReserveRatio)`.
    pub fn get_config(&self) -> (Address, Address, Address, U256) {
        (
            self.token.get(),
            self.clearing_house.get(),
            self.fee_receiver.get(),
            self.reserve_ratio.get(),
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
    pub fn transfer_ownership(&mut self, new_owner: Address) -> Result<(), Error> {
        Ok(self.ownable.transfer_ownership(env::sender(), new_owner)?)
    }

    /// Accepts a proposed ownership transfer.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount` unless called by the pending owner.
    ///
    /// # Events
    /// `OwnershipTransferred`.
    pub fn accept_ownership(&mut self) -> Result<(), Error> {
        Ok(self.ownable.accept_ownership(env::sender())?)
    }

    /// Renounces ownership for good.
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

fn signed(x: U256) -> Result<I256, Error> {
    I256::try_from(x).map_err(|_| overflow())
}

impl Vault {
    fn only_clearing_house(&self) -> Result<(), Error> {
        let caller = env::sender();
        if caller != self.clearing_house.get() || caller.is_zero() {
            return Err(Error::OnlyClearingHouse(VaultOnlyClearingHouse { caller }));
        }
        Ok(())
    }

    /// `(⌊amount / scale⌋ tokens, that many tokens in 18 decimals)`; zero tokens revert.
    fn floor_tokens(&self, amount: U256) -> Result<(U256, U256), Error> {
        let scale = self.scale.get();
        let tokens = amount.checked_div(scale).ok_or_else(overflow)?;
        if tokens.is_zero() {
            return Err(Error::ZeroAmount(VaultZeroAmount { amount }));
        }
        Ok((tokens, tokens.checked_mul(scale).ok_or_else(overflow)?))
    }

    fn write_fee_receiver(&mut self, fee_receiver: Address) -> Result<(), Error> {
        if fee_receiver.is_zero() {
            return Err(Error::ZeroAddress(VaultZeroAddress {}));
        }
        self.fee_receiver.set(fee_receiver);
        env::emit(FeeReceiverSet { feeReceiver: fee_receiver });
        Ok(())
    }

    fn write_reserve_ratio(&mut self, ratio: U256) -> Result<(), Error> {
        if ratio > WAD {
            return Err(Error::InvalidRatio(VaultInvalidRatio { ratio }));
        }
        self.reserve_ratio.set(ratio);
        env::emit(InsuranceReserveRatioSet { ratio });
        Ok(())
    }
}

#[cfg(test)]
mod tests;
