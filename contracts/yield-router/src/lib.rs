//! # `YieldRouter` — keeps pi-token reserves on target and harvests their yield
//!
//! One router serves any number of `pi-token`s (it must be each one's `router`). Per
//! pi-token the owner sets a target **reserve ratio**, a **force threshold**, a minimum
//! **rebalance interval** and a **performance fee** with its receiver. Anyone may `poke` a
//! pi-token: the router realises the venue's yield (charging the fee), compares the reserve
//! with its target and moves the difference between the reserve and the venue.
//!
//! ## `poke(piToken)`
//!
//! ```text
//! expectedReserve = ⌊reserveRatio · (staked + reserve − pendingWithdrawal) / 1e18⌋ + pendingWithdrawal
//! SHORTAGE     reserve < expected   unstake min(expected − reserve, venue liquidity)
//! EXCESS       reserve > expected   stake   reserve − expected
//! EQUILIBRIUM  reserve = expected   nothing
//! ```
//!
//! `poke` uses `pendingWithdrawal = 0`: withdrawals are paid synchronously by the pi-token,
//! which applies the same formula with the withdrawal as `pendingWithdrawal` when it has to
//! redeem from its venue (see the `pi-token` crate). `getReserveStatus(piToken,
//! pendingWithdrawal)` answers for any pending amount. The expected reserve is rounded down
//! (the anchor's rounding); a ratio of 1e18 keeps everything in reserve.
//!
//! A poke runs at most once per `rebalanceInterval` — unless the reserve has fallen below
//! `reserveRatioToForceRebalance` of the total underlying (`reserve <
//! ⌊forceRatio · (reserve + staked) / 1e18⌋`): then it runs at once (a **forced** rebalance).
//! A shortage the venue cannot release in full (a withdrawal limit) moves what it can and
//! never reverts; a loss in the venue lowers `staked` and the poke proceeds from there, so
//! neither locks anything.
//!
//! **Harvest.** When the pi-token's staked value is above its checkpoint, the poke first
//! calls `harvest(performanceFee, feeReceiver)`: the fee (at most `MAX_PERFORMANCE_FEE` =
//! 50% of the realised gain) is paid in pi to the receiver (the pi-token's doc has the
//! formula). Each poke emits `Rebalanced` with the status, the amounts and the harvest.
//!
//! ## Owner functions
//!
//! `setConfig` (and the reserve ratio it writes into the pi-token), `migrateVenue`
//! (unstakes everything and points the pi-token at a new venue), `migrateRouter` (hands the
//! pi-token to another router), and meta-governance: `setVotingAllowed` / `callVoting`
//! forward to the pi-token, which enforces its `(target, selector)` allow-list and checks
//! that no funds move.
//!
//! ## Call graph (one way; Stylus reverts re-entry)
//!
//! ```text
//! keeper ──poke──▶ yield-router ──getReserveState/harvest/stake/unstake──▶ pi-token ──▶ venue ──▶ underlying
//! owner ──setConfig/migrate*/callVoting──▶ yield-router ──▶ pi-token ──▶ governance target
//! ```
//!
//! A pi-token never calls its router: user withdrawals that need venue liquidity are served
//! by the pi-token itself (user → pi-token → venue), never pi-token → router → pi-token.
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
// Errors carry the values an integrator needs; public ABI functions take owned values
// because that is what the SDK decodes into.
#![allow(clippy::result_large_err, clippy::needless_pass_by_value)]
extern crate alloc;

mod calls;

use alloy_primitives::{uint, Address, FixedBytes, U256, U64};
use alloy_sol_types::{SolCall, SolEvent};
use strata_common::{
    abi::{encode, encode_dynamic, Word},
    env, log,
    ownable::{Ownable2Step, OwnableError, OwnableInvalidOwner, OwnableUnauthorizedAccount},
};
use strata_math::{mul_div_down, MathError};
use stylus_sdk::{
    abi::Bytes,
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU64},
};

use crate::calls::{word, Reason};

/// 1.0 in 18-decimal fixed point.
pub const WAD: U256 = uint!(1_000_000_000_000_000_000_U256);
/// Largest performance fee: half of the realised yield (the pi-token enforces the same).
pub const MAX_PERFORMANCE_FEE: U256 = uint!(500_000_000_000_000_000_U256);
/// Reserve status: the reserve is at its target.
pub const EQUILIBRIUM: u8 = 0;
/// Reserve status: the reserve is below its target.
pub const SHORTAGE: u8 = 1;
/// Reserve status: the reserve is above its target.
pub const EXCESS: u8 = 2;

strata_common::sol_events! {
    /// The owner configured `piToken`.
    event ConfigSet(address indexed piToken, uint256 reserveRatio, uint256 reserveRatioToForceRebalance, uint64 rebalanceInterval, uint256 performanceFee, address feeReceiver);
    /// `piToken` was poked: `status` (0 EQUILIBRIUM, 1 SHORTAGE, 2 EXCESS) with `reserveBefore` against `expectedReserve`; `amountMoved` went into (EXCESS) or out of (SHORTAGE) the venue; `gain` was harvested for `fee`; `forced` when the interval was skipped.
    event Rebalanced(address indexed piToken, uint8 status, uint256 reserveBefore, uint256 expectedReserve, uint256 amountMoved, uint256 gain, uint256 fee, bool forced);
    /// Everything staked by `piToken` came back and it now uses `newVenue`.
    event VenueMigrated(address indexed piToken, address indexed newVenue, uint256 unstaked);
    /// `piToken` was handed to `newRouter`; its configuration here was removed.
    event RouterMigrated(address indexed piToken, address indexed newRouter);
}

/// Events of this contract (its own and the ownership events), for the exported interface.
// Constant indices into constant arrays: checked at compile time.
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
    /// `piToken` has no configuration here.
    #[derive(Debug, PartialEq, Eq)]
    error YieldRouterUnknownPiToken(address piToken);
    /// The zero address was given where an account or contract is required.
    #[derive(Debug, PartialEq, Eq)]
    error YieldRouterZeroAddress();
    /// `ratio` is above 1e18.
    #[derive(Debug, PartialEq, Eq)]
    error YieldRouterInvalidReserveRatio(uint256 ratio);
    /// The force threshold `forceRatio` is above the reserve ratio `ratio`.
    #[derive(Debug, PartialEq, Eq)]
    error YieldRouterInvalidForceRatio(uint256 forceRatio, uint256 ratio);
    /// `fee` is above `max`, or a fee is set without a receiver.
    #[derive(Debug, PartialEq, Eq)]
    error YieldRouterInvalidFee(uint256 fee, uint256 max);
    /// The last rebalance was too recent and the reserve is above the force threshold.
    #[derive(Debug, PartialEq, Eq)]
    error YieldRouterRebalanceNotDue(uint256 nextRebalanceAt);
    /// A call to `piToken` failed (`reason`: the selector of its error, zero when none).
    #[derive(Debug, PartialEq, Eq)]
    error YieldRouterPiTokenCallFailed(address piToken, bytes4 reason);
    /// Arithmetic failed (`code`: `strata_math::MathError::code`).
    #[derive(Debug, PartialEq, Eq)]
    error YieldRouterMath(uint8 code);
}

/// Errors of the router.
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum Error {
    /// See [`YieldRouterUnknownPiToken`].
    UnknownPiToken(YieldRouterUnknownPiToken),
    /// See [`YieldRouterZeroAddress`].
    ZeroAddress(YieldRouterZeroAddress),
    /// See [`YieldRouterInvalidReserveRatio`].
    InvalidReserveRatio(YieldRouterInvalidReserveRatio),
    /// See [`YieldRouterInvalidForceRatio`].
    InvalidForceRatio(YieldRouterInvalidForceRatio),
    /// See [`YieldRouterInvalidFee`].
    InvalidFee(YieldRouterInvalidFee),
    /// See [`YieldRouterRebalanceNotDue`].
    RebalanceNotDue(YieldRouterRebalanceNotDue),
    /// See [`YieldRouterPiTokenCallFailed`].
    PiTokenCallFailed(YieldRouterPiTokenCallFailed),
    /// See [`YieldRouterMath`].
    Math(YieldRouterMath),
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
        Error::Math(YieldRouterMath { code: e.code() })
    }
}

fn pi_failed(pi_token: Address) -> impl Fn(Reason) -> Error {
    move |reason| {
        Error::PiTokenCallFailed(YieldRouterPiTokenCallFailed { piToken: pi_token, reason })
    }
}

/// `⌊ratio · (staked + reserve − pending) / 1e18⌋ + pending`: the reserve a pi-token should
/// hold with `pending` underlying about to leave.
///
/// # Errors
/// [`MathError`] when `pending` exceeds `staked + reserve` or on overflow.
pub fn expected_reserve(
    ratio: U256,
    staked: U256,
    reserve: U256,
    pending: U256,
) -> Result<U256, MathError> {
    let total = staked.checked_add(reserve).ok_or(MathError::Overflow)?;
    let rest = total.checked_sub(pending).ok_or(MathError::Underflow)?;
    mul_div_down(ratio, rest, WAD)?.checked_add(pending).ok_or(MathError::Overflow)
}

/// `(status, diff)` of `reserve` against `expected`.
pub fn reserve_status(reserve: U256, expected: U256) -> (u8, U256) {
    match reserve.cmp(&expected) {
        core::cmp::Ordering::Less => (SHORTAGE, expected.saturating_sub(reserve)),
        core::cmp::Ordering::Greater => (EXCESS, reserve.saturating_sub(expected)),
        core::cmp::Ordering::Equal => (EQUILIBRIUM, U256::ZERO),
    }
}

/// A pi-token's configuration.
#[storage]
pub struct PiConfig {
    registered: StorageBool,
    /// WAD, at most the pi-token's reserve ratio (< 2^64).
    force_ratio: StorageU64,
    rebalance_interval: StorageU64,
    last_rebalance: StorageU64,
    /// WAD, at most `MAX_PERFORMANCE_FEE` (< 2^64).
    performance_fee: StorageU64,
    fee_receiver: StorageAddress,
}

/// What a pi-token reports about its underlying.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReserveState {
    /// Underlying held by the pi-token.
    pub reserve: U256,
    /// What its venue shares redeem for.
    pub staked: U256,
    /// Its fee checkpoint.
    pub checkpoint: U256,
    /// What its venue lets it withdraw now.
    pub liquidity: U256,
    /// Its target reserve ratio.
    pub ratio: U256,
}

/// The router.
#[entrypoint]
#[storage]
pub struct YieldRouter {
    ownable: Ownable2Step,
    configs: StorageMap<Address, PiConfig>,
}

#[public]
impl YieldRouter {
    /// Sets the owner (explicit: cargo-stylus runs constructors from its deployer contract).
    ///
    /// # Errors
    /// `OwnableInvalidOwner` for the zero address.
    ///
    /// # Events
    /// `OwnershipTransferred`.
    #[constructor]
    pub fn constructor(&mut self, owner: Address) -> Result<(), Error> {
        Ok(self.ownable.init(owner)?)
    }

    /// Owner: configures `pi_token` (this router must be its router) and writes
    /// `reserve_ratio` into it.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`YieldRouterZeroAddress`] for a zero pi-token,
    /// [`YieldRouterInvalidReserveRatio`] above 1e18, [`YieldRouterInvalidForceRatio`]
    /// above the reserve ratio, [`YieldRouterInvalidFee`] above `MAX_PERFORMANCE_FEE` or
    /// without a receiver, [`YieldRouterPiTokenCallFailed`] (e.g. `PiTokenNotRouter`).
    ///
    /// # Events
    /// [`ConfigSet`]; the pi-token's `ReserveRatioSet`.
    pub fn set_config(
        &mut self,
        pi_token: Address,
        reserve_ratio: U256,
        reserve_ratio_to_force_rebalance: U256,
        rebalance_interval: u64,
        performance_fee: U256,
        fee_receiver: Address,
    ) -> Result<(), Error> {
        self.ownable.only_owner(env::sender())?;
        if pi_token.is_zero() {
            return Err(Error::ZeroAddress(YieldRouterZeroAddress {}));
        }
        if reserve_ratio > WAD {
            return Err(Error::InvalidReserveRatio(YieldRouterInvalidReserveRatio {
                ratio: reserve_ratio,
            }));
        }
        if reserve_ratio_to_force_rebalance > reserve_ratio {
            return Err(Error::InvalidForceRatio(YieldRouterInvalidForceRatio {
                forceRatio: reserve_ratio_to_force_rebalance,
                ratio: reserve_ratio,
            }));
        }
        if performance_fee > MAX_PERFORMANCE_FEE
            || (!performance_fee.is_zero() && fee_receiver.is_zero())
        {
            return Err(Error::InvalidFee(YieldRouterInvalidFee {
                fee: performance_fee,
                max: MAX_PERFORMANCE_FEE,
            }));
        }
        let data = encode(&calls::setReserveRatioCall::SELECTOR, &[reserve_ratio]);
        calls::call(pi_token, &data, false).map_err(pi_failed(pi_token))?;
        let mut config = self.configs.setter(pi_token);
        config.registered.set(true);
        // Both are at most 1e18 < 2^64.
        config.force_ratio.set(U64::saturating_from(reserve_ratio_to_force_rebalance));
        config.rebalance_interval.set(U64::from(rebalance_interval));
        config.performance_fee.set(U64::saturating_from(performance_fee));
        config.fee_receiver.set(fee_receiver);
        log::emit(
            &[ConfigSet::SIGNATURE_HASH, pi_token.into_word()],
            &[
                reserve_ratio,
                reserve_ratio_to_force_rebalance,
                rebalance_interval.word(),
                performance_fee,
                fee_receiver.word(),
            ],
        );
        Ok(())
    }

    /// Anyone: harvests `pi_token`'s yield and brings its reserve to the expected amount
    /// (see the module doc). Returns the status and the amount moved.
    ///
    /// # Errors
    /// [`YieldRouterUnknownPiToken`], [`YieldRouterRebalanceNotDue`] inside the interval
    /// unless forced, [`YieldRouterPiTokenCallFailed`] (the pi-token's or venue's failure),
    /// [`YieldRouterMath`].
    ///
    /// # Events
    /// [`Rebalanced`]; the pi-token's `Harvested`, `VenueDeposit` or `VenueWithdraw`.
    pub fn poke(&mut self, pi_token: Address) -> Result<(u8, U256), Error> {
        self.poke_at(env::timestamp(), pi_token)
    }

    /// `(status, diff, expectedReserve)` of `pi_token` now, with `pending_withdrawal`
    /// underlying about to leave: status 0 EQUILIBRIUM, 1 SHORTAGE, 2 EXCESS; `diff` the
    /// distance to the expected reserve.
    ///
    /// # Errors
    /// [`YieldRouterPiTokenCallFailed`], [`YieldRouterMath`] when the pending withdrawal
    /// exceeds the total underlying.
    pub fn get_reserve_status(
        &self,
        pi_token: Address,
        pending_withdrawal: U256,
    ) -> Result<(u8, U256, U256), Error> {
        let state = self.reserve_state(pi_token)?;
        let expected =
            expected_reserve(state.ratio, state.staked, state.reserve, pending_withdrawal)?;
        let (status, diff) = reserve_status(state.reserve, expected);
        Ok((status, diff, expected))
    }

    /// The spec's formula: `⌊ratio · (staked + reserve − pendingWithdrawal) / 1e18⌋ +
    /// pendingWithdrawal`.
    ///
    /// # Errors
    /// [`YieldRouterMath`] when the pending withdrawal exceeds `staked + reserve`.
    pub fn get_expected_reserve(
        &self,
        ratio: U256,
        staked: U256,
        reserve: U256,
        pending_withdrawal: U256,
    ) -> Result<U256, Error> {
        Ok(expected_reserve(ratio, staked, reserve, pending_withdrawal)?)
    }

    /// `(registered, reserveRatio, reserveRatioToForceRebalance, rebalanceInterval,
    /// lastRebalance, performanceFee, feeReceiver)` of `pi_token`; the reserve ratio is read
    /// from the pi-token (zero when unregistered).
    ///
    /// # Errors
    /// [`YieldRouterPiTokenCallFailed`] when a registered pi-token cannot be read.
    #[allow(clippy::type_complexity)]
    pub fn get_config(
        &self,
        pi_token: Address,
    ) -> Result<(bool, U256, U256, u64, u64, U256, Address), Error> {
        let config = self.configs.getter(pi_token);
        let registered = config.registered.get();
        let ratio = if registered { self.reserve_ratio(pi_token)? } else { U256::ZERO };
        Ok((
            registered,
            ratio,
            U256::from(config.force_ratio.get().to::<u64>()),
            config.rebalance_interval.get().to::<u64>(),
            config.last_rebalance.get().to::<u64>(),
            U256::from(config.performance_fee.get().to::<u64>()),
            config.fee_receiver.get(),
        ))
    }

    /// Owner: unstakes everything `pi_token` holds in its venue and moves it to
    /// `new_venue` (an ERC-4626 vault of the same underlying). The next poke stakes into
    /// the new venue.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`YieldRouterUnknownPiToken`],
    /// [`YieldRouterPiTokenCallFailed`] (e.g. the old venue's withdrawal limit,
    /// `PiTokenVenueAssetMismatch`).
    ///
    /// # Events
    /// [`VenueMigrated`]; the pi-token's `VenueWithdraw` and `VenueSet`.
    pub fn migrate_venue(&mut self, pi_token: Address, new_venue: Address) -> Result<(), Error> {
        self.ownable.only_owner(env::sender())?;
        self.require_registered(pi_token)?;
        let failed = pi_failed(pi_token);
        let data = encode(&calls::unstakeCall::SELECTOR, &[U256::MAX]);
        let unstaked =
            word(&calls::call(pi_token, &data, false).map_err(&failed)?, 0).map_err(&failed)?;
        let data = encode(&calls::setVenueCall::SELECTOR, &[new_venue.word()]);
        calls::call(pi_token, &data, false).map_err(&failed)?;
        log::emit(
            &[VenueMigrated::SIGNATURE_HASH, pi_token.into_word(), new_venue.into_word()],
            &[unstaked],
        );
        Ok(())
    }

    /// Owner: hands `pi_token` to `new_router` and forgets its configuration.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`YieldRouterUnknownPiToken`],
    /// [`YieldRouterPiTokenCallFailed`] (e.g. `PiTokenZeroAddress`).
    ///
    /// # Events
    /// [`RouterMigrated`]; the pi-token's `RouterSet`.
    pub fn migrate_router(&mut self, pi_token: Address, new_router: Address) -> Result<(), Error> {
        self.ownable.only_owner(env::sender())?;
        self.require_registered(pi_token)?;
        let data = encode(&calls::setRouterCall::SELECTOR, &[new_router.word()]);
        calls::call(pi_token, &data, false).map_err(pi_failed(pi_token))?;
        let mut config = self.configs.setter(pi_token);
        config.registered.set(false);
        config.force_ratio.set(U64::ZERO);
        config.rebalance_interval.set(U64::ZERO);
        config.last_rebalance.set(U64::ZERO);
        config.performance_fee.set(U64::ZERO);
        config.fee_receiver.set(Address::ZERO);
        log::emit(
            &[RouterMigrated::SIGNATURE_HASH, pi_token.into_word(), new_router.into_word()],
            &[],
        );
        Ok(())
    }

    /// Owner: allows (`true`) or disallows `selector` on `target` for `pi_token`'s voting
    /// calls.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`YieldRouterPiTokenCallFailed`] (e.g.
    /// `PiTokenVotingSelectorForbidden`).
    ///
    /// # Events
    /// The pi-token's `VotingAllowedSet`.
    pub fn set_voting_allowed(
        &mut self,
        pi_token: Address,
        target: Address,
        selector: FixedBytes<4>,
        allowed: bool,
    ) -> Result<(), Error> {
        self.ownable.only_owner(env::sender())?;
        let words = [target.word(), selector.word(), allowed.word()];
        let data = encode(&calls::setVotingAllowedCall::SELECTOR, &words);
        calls::call(pi_token, &data, false).map_err(pi_failed(pi_token))?;
        Ok(())
    }

    /// Owner: has `pi_token` call `target` with `selector ++ args` (meta-governance with the
    /// pooled underlying: delegate, vote).
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`YieldRouterPiTokenCallFailed`] (e.g.
    /// `PiTokenVotingNotAllowed`, `PiTokenVotingCallFailed`, `PiTokenVotingMovedFunds`).
    ///
    /// # Events
    /// The pi-token's `VotingCalled`.
    pub fn call_voting(
        &mut self,
        pi_token: Address,
        target: Address,
        selector: FixedBytes<4>,
        args: Bytes,
    ) -> Result<(), Error> {
        self.ownable.only_owner(env::sender())?;
        let words = [target.word(), selector.word(), U256::from(96), U256::from(args.len())];
        let data = encode_dynamic(&calls::callVotingCall::SELECTOR, &words, &args);
        calls::call(pi_token, &data, false).map_err(pi_failed(pi_token))?;
        Ok(())
    }

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

    /// Owner: renounces ownership (configurations become fixed; pokes keep working).
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

impl YieldRouter {
    /// [`Self::poke`] at time `now`.
    ///
    /// # Errors
    /// As [`Self::poke`].
    pub fn poke_at(&mut self, now: u64, pi_token: Address) -> Result<(u8, U256), Error> {
        self.require_registered(pi_token)?;
        let (force_ratio, interval, last, fee_rate, receiver) = {
            let c = self.configs.getter(pi_token);
            (
                U256::from(c.force_ratio.get().to::<u64>()),
                c.rebalance_interval.get().to::<u64>(),
                c.last_rebalance.get().to::<u64>(),
                U256::from(c.performance_fee.get().to::<u64>()),
                c.fee_receiver.get(),
            )
        };
        let state = self.reserve_state(pi_token)?;
        let total = state.reserve.checked_add(state.staked).ok_or(MathError::Overflow)?;
        let forced = state.reserve < mul_div_down(force_ratio, total, WAD)?;
        let next = last.saturating_add(interval);
        if last != 0 && now < next && !forced {
            return Err(Error::RebalanceNotDue(YieldRouterRebalanceNotDue {
                nextRebalanceAt: U256::from(next),
            }));
        }
        let failed = pi_failed(pi_token);
        let (mut gain, mut fee) = (U256::ZERO, U256::ZERO);
        if state.staked > state.checkpoint {
            let data = encode(&calls::harvestCall::SELECTOR, &[fee_rate, receiver.word()]);
            let ret = calls::call(pi_token, &data, false).map_err(&failed)?;
            gain = word(&ret, 0).map_err(&failed)?;
            fee = word(&ret, 1).map_err(&failed)?;
        }
        // The fee is paid in pi: the reserve and the staked value are unchanged.
        let expected = expected_reserve(state.ratio, state.staked, state.reserve, U256::ZERO)?;
        let (status, diff) = reserve_status(state.reserve, expected);
        let moved = match status {
            SHORTAGE => {
                let take = diff.min(state.liquidity);
                if take.is_zero() {
                    U256::ZERO
                } else {
                    let data = encode(&calls::unstakeCall::SELECTOR, &[take]);
                    word(&calls::call(pi_token, &data, false).map_err(&failed)?, 0)
                        .map_err(&failed)?
                }
            }
            EXCESS => {
                let data = encode(&calls::stakeCall::SELECTOR, &[diff]);
                calls::call(pi_token, &data, false).map_err(&failed)?;
                diff
            }
            _ => U256::ZERO,
        };
        self.configs.setter(pi_token).last_rebalance.set(U64::from(now));
        log::emit(
            &[Rebalanced::SIGNATURE_HASH, pi_token.into_word()],
            &[status.word(), state.reserve, expected, moved, gain, fee, forced.word()],
        );
        Ok((status, moved))
    }

    fn require_registered(&self, pi_token: Address) -> Result<(), Error> {
        if !self.configs.getter(pi_token).registered.get() {
            return Err(Error::UnknownPiToken(YieldRouterUnknownPiToken { piToken: pi_token }));
        }
        Ok(())
    }

    #[allow(clippy::unused_self)] // a method for symmetry with `reserve_state`
    fn reserve_ratio(&self, pi_token: Address) -> Result<U256, Error> {
        let failed = pi_failed(pi_token);
        let data = encode(&calls::reserveRatioCall::SELECTOR, &[]);
        word(&calls::call(pi_token, &data, true).map_err(&failed)?, 0).map_err(&failed)
    }

    /// The pi-token's reserve, staked value, checkpoint, venue liquidity and ratio.
    fn reserve_state(&self, pi_token: Address) -> Result<ReserveState, Error> {
        let failed = pi_failed(pi_token);
        let data = encode(&calls::getReserveStateCall::SELECTOR, &[]);
        let ret = calls::call(pi_token, &data, true).map_err(&failed)?;
        Ok(ReserveState {
            reserve: word(&ret, 0).map_err(&failed)?,
            staked: word(&ret, 1).map_err(&failed)?,
            checkpoint: word(&ret, 2).map_err(&failed)?,
            liquidity: word(&ret, 3).map_err(&failed)?,
            ratio: self.reserve_ratio(pi_token)?,
        })
    }
}

#[cfg(test)]
mod tests;
