//! `weight-strategy` — the controller of one `index-pool`.
//!
//! It asks `weight-valuer` for target weights, clamps them to the pool's
//! rate bounds and schedules them, manages the pool's tokens (fade in, fade
//! out, unbind), freezes weights in an emergency, and forwards the pool's
//! other admin functions for its owner. Calls go one way: strategy → pool,
//! strategy → valuer (views; the valuer reads `power-oracle`), strategy →
//! tokens (the transfers of `addToken`/`removeToken`). The pool, the valuer
//! and the oracle never call the strategy.
//!
//! The strategy was split in two along the valuation seam to stay under the
//! Stylus size limit: *what the index should hold* (`weight-valuer`: sources,
//! TWAP valuation, normalisation) and *how the pool's weights move*
//! (`weight-strategy`: clamping, scheduling, pause, tokens, admin).
//!
//! # `poke()` — anyone, once per `minInterval`
//!
//! ```text
//! target_i   = valuer.getTargets(tokens)_i      (= max(MIN_WEIGHT, ⌊value_i · 25e18 / Σ value⌋), from TWAPs)
//! clamped_i  = clamp(target_i, current_i − D, current_i + D)               D = duration · maxWeightPerSecond
//! schedule     setDynamicWeight(token_i, clamped_i, now + 1, now + 1 + duration)
//!              when clamped_i ≠ the token's scheduled target and
//!              |clamped_i − current_i| ≥ duration · minWeightPerSecond
//! ```
//!
//! `tokens` are the pool's tokens less those fading out (they keep their
//! fade). `current_i` is the pool's weight now (a new schedule starts from
//! it), so the rate is within `[min, max]` exactly as the pool checks it
//! (both products saturate, like the pool's). Decreases are scheduled before
//! increases, so the pool's `Σ targets ≤ MAX_TOTAL_WEIGHT` check holds at
//! every step; the final sum is checked up front
//! ([`WeightStrategyTotalWeightExceeded`]). No value comes from the pool's
//! live balances: moving them inside a block moves no target, and a schedule
//! starts at `now + 1`, so a poke never changes a weight in its own block.
//!
//! Worked example (weights all 6.25e18, `maxWeightPerSecond = 2893518518519`,
//! `duration = 1209600` (14 days)): `D = 3500000000000582400`; a token whose
//! target is `MIN_WEIGHT` is scheduled to `2749999999999417600`, one whose
//! target is 25e18 to `9750000000000582400`.
//!
//! # Rate bounds
//!
//! The pool's spec ABI has no getter for `[minWeightPerSecond,
//! maxWeightPerSecond]`, and once the strategy is the controller it is their
//! only writer: `setWeightPerSecondBounds` stores them here and forwards
//! them. `poke`, `pause`, `addToken` and `fadeOutToken` revert with
//! [`WeightStrategyBoundsNotSet`] until it has been called.
//!
//! # Pause
//!
//! `pause()` (owner) freezes every weight where it is now: each token is
//! scheduled to its current weight (a zero rate, so the minimum rate bound is
//! lifted for the duration of the call) and `poke` is blocked until
//! `unpause()`. Tokens fading out keep fading (the owner started that exit,
//! and nothing would resume it after `unpause`); the owner's token functions
//! keep working while paused.
//!
//! # Tokens in and out
//!
//! `addToken` pulls the balance from the owner, binds the token at
//! `MIN_WEIGHT` and fades it in to the given weight; `fadeOutToken` fades a
//! token to `MIN_WEIGHT` and leaves it out of `poke`; `removeToken` unbinds it
//! once there and sends what the pool returns to a receiver; `replaceToken`
//! does the first two in one call. A fade lasts `duration`, stretched or
//! shortened just enough for its rate to lie within the bounds.
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

use alloy_primitives::{Address, FixedBytes, U128, U256, U64};
use strata_common::{
    abi::{encode, selector_of, Args, Word},
    call, env,
    ownable::{Ownable2Step, OwnableError, OwnableInvalidOwner, OwnableUnauthorizedAccount},
    reentrancy::{ReentrancyLock, ReentrantCall},
    token,
};
use stylus_sdk::{
    abi,
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU128, StorageU64},
};

/// Smallest weight a bound token may have.
pub const MIN_WEIGHT: u128 = 1_000_000_000;
/// Largest weight of one token, and of the sum of targets (`MAX_TOTAL_WEIGHT`).
pub const MAX_WEIGHT: u128 = 50_000_000_000_000_000_000;

mod pool_admin {
    #![allow(missing_docs)]
    alloy_sol_types::sol! {
        function setSwapFee(uint256 swapFee) external;
        function setCommunityFeesAndReceiver(uint256 swapFee, uint256 joinFee, uint256 exitFee, address receiver) external;
        function setSwapsDisabled(bool disabled) external;
        function setWithoutFee(address account, bool withoutFee) external;
        function setVotingAllowed(address target, bytes4 selector, bool allowed) external;
        function callVoting(address target, bytes4 selector, bytes args, uint256 value) external;
        function setController(address controller) external;
    }
}

/// Selectors of the pool functions `callPool` forwards.
pub const FORWARDED_SELECTORS: [[u8; 4]; 7] = {
    use alloy_sol_types::SolCall;
    [
        pool_admin::setSwapFeeCall::SELECTOR,
        pool_admin::setCommunityFeesAndReceiverCall::SELECTOR,
        pool_admin::setSwapsDisabledCall::SELECTOR,
        pool_admin::setWithoutFeeCall::SELECTOR,
        pool_admin::setVotingAllowedCall::SELECTOR,
        pool_admin::callVotingCall::SELECTOR,
        pool_admin::setControllerCall::SELECTOR,
    ]
};

strata_common::sol_events! {
    /// The strategy controls `pool` with targets from `valuer`.
    event Initialized(address indexed pool, address indexed valuer);
    /// Schedule length and minimum time between pokes changed.
    event ParamsSet(uint64 duration, uint64 minInterval);
    /// The pool's (and the strategy's) weight change bounds per second changed.
    event WeightPerSecondBoundsSet(uint256 minWeightPerSecond, uint256 maxWeightPerSecond);
    /// A poke computed `target` for `token` and, from `currentWeight`,
    /// scheduled `scheduledWeight` (or kept it, when not `scheduled`).
    event TargetWeight(address indexed token, uint256 target, uint256 currentWeight, uint256 scheduledWeight, bool scheduled);
    /// `caller` poked at `timestamp`.
    event Poked(address indexed caller, uint256 timestamp);
    /// Weights frozen (`paused`) or released by `caller`.
    event PausedSet(address indexed caller, bool paused);
    /// `token` was bound with `balance`, fading in to `targetWeight` over `[fromTimestamp, targetTimestamp]`.
    event TokenAdded(address indexed token, uint256 balance, uint256 targetWeight, uint256 fromTimestamp, uint256 targetTimestamp);
    /// `token` fades out from `fromWeight` to `MIN_WEIGHT` by `targetTimestamp`.
    event TokenFadingOut(address indexed token, uint256 fromWeight, uint256 targetTimestamp);
    /// `token` was unbound and `amount` of it sent to `receiver`.
    event TokenRemoved(address indexed token, address indexed receiver, uint256 amount);
}

/// Events of this contract (its own and the ownership events), for the exported interface.
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
    strata_common::ownable::OWNABLE_EVENTS_ABI[0],
    strata_common::ownable::OWNABLE_EVENTS_ABI[1],
];

alloy_sol_types::sol! {
    /// A pool, valuer or receiver address is zero.
    #[derive(Debug, PartialEq, Eq)]
    error WeightStrategyZeroAddress();
    /// `duration` must be positive.
    #[derive(Debug, PartialEq, Eq)]
    error WeightStrategyInvalidParams(uint64 duration, uint64 minInterval);
    /// Bounds must satisfy `0 < max ≤ MAX_WEIGHT` and `min ≤ max`.
    #[derive(Debug, PartialEq, Eq)]
    error WeightStrategyInvalidBounds(uint256 minWeightPerSecond, uint256 maxWeightPerSecond);
    /// `setWeightPerSecondBounds` has not been called yet.
    #[derive(Debug, PartialEq, Eq)]
    error WeightStrategyBoundsNotSet();
    /// Weights are frozen.
    #[derive(Debug, PartialEq, Eq)]
    error WeightStrategyPaused();
    /// Weights are not frozen.
    #[derive(Debug, PartialEq, Eq)]
    error WeightStrategyNotPaused();
    /// The last poke was less than `minInterval` ago; the next is allowed at `nextPokeAt`.
    #[derive(Debug, PartialEq, Eq)]
    error WeightStrategyTooEarly(uint256 nextPokeAt);
    /// The valuer has no source for `token`.
    #[derive(Debug, PartialEq, Eq)]
    error WeightStrategyTokenNotConfigured(address token);
    /// `weight` is outside `[MIN_WEIGHT, MAX_WEIGHT]` (or the valuer
    /// answered a target outside it) for `token`.
    #[derive(Debug, PartialEq, Eq)]
    error WeightStrategyInvalidWeight(address token, uint256 weight);
    /// The scheduled targets would sum to `total`, above `max`.
    #[derive(Debug, PartialEq, Eq)]
    error WeightStrategyTotalWeightExceeded(uint256 total, uint256 max);
    /// No fade length gives `token` a rate within the bounds for a change of `delta`.
    #[derive(Debug, PartialEq, Eq)]
    error WeightStrategyNoValidFade(address token, uint256 delta);
    /// `callPool` does not forward `selector`.
    #[derive(Debug, PartialEq, Eq)]
    error WeightStrategyCallNotAllowed(bytes4 selector);
    /// The pool reverted with the error whose selector is `reason` (zero
    /// when it returned no error data or undecodable data).
    #[derive(Debug, PartialEq, Eq)]
    error WeightStrategyPoolCallFailed(bytes4 reason);
    /// The valuer reverted with the error whose selector is `reason`
    /// (unconfigured token, stale price, short TWAP history, …).
    #[derive(Debug, PartialEq, Eq)]
    error WeightStrategyValuerCallFailed(bytes4 reason);
    /// A transfer or balance read of `token` failed.
    #[derive(Debug, PartialEq, Eq)]
    error WeightStrategyTokenCallFailed(address token);
    /// A weight sum or timestamp overflowed.
    #[derive(Debug, PartialEq, Eq)]
    error WeightStrategyOverflow();
}

/// Errors of the strategy.
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum Error {
    /// See [`WeightStrategyZeroAddress`].
    ZeroAddress(WeightStrategyZeroAddress),
    /// See [`WeightStrategyInvalidParams`].
    InvalidParams(WeightStrategyInvalidParams),
    /// See [`WeightStrategyInvalidBounds`].
    InvalidBounds(WeightStrategyInvalidBounds),
    /// See [`WeightStrategyBoundsNotSet`].
    BoundsNotSet(WeightStrategyBoundsNotSet),
    /// See [`WeightStrategyPaused`].
    Paused(WeightStrategyPaused),
    /// See [`WeightStrategyNotPaused`].
    NotPaused(WeightStrategyNotPaused),
    /// See [`WeightStrategyTooEarly`].
    TooEarly(WeightStrategyTooEarly),
    /// See [`WeightStrategyTokenNotConfigured`].
    TokenNotConfigured(WeightStrategyTokenNotConfigured),
    /// See [`WeightStrategyInvalidWeight`].
    InvalidWeight(WeightStrategyInvalidWeight),
    /// See [`WeightStrategyTotalWeightExceeded`].
    TotalWeightExceeded(WeightStrategyTotalWeightExceeded),
    /// See [`WeightStrategyNoValidFade`].
    NoValidFade(WeightStrategyNoValidFade),
    /// See [`WeightStrategyCallNotAllowed`].
    CallNotAllowed(WeightStrategyCallNotAllowed),
    /// See [`WeightStrategyPoolCallFailed`].
    PoolCallFailed(WeightStrategyPoolCallFailed),
    /// See [`WeightStrategyValuerCallFailed`].
    ValuerCallFailed(WeightStrategyValuerCallFailed),
    /// See [`WeightStrategyTokenCallFailed`].
    TokenCallFailed(WeightStrategyTokenCallFailed),
    /// See [`WeightStrategyOverflow`].
    Overflow(WeightStrategyOverflow),
    /// A guarded function was re-entered.
    Reentrant(ReentrantCall),
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

fn pool_failed(reason: FixedBytes<4>) -> Error {
    Error::PoolCallFailed(WeightStrategyPoolCallFailed { reason })
}

fn valuer_failed(reason: FixedBytes<4>) -> Error {
    Error::ValuerCallFailed(WeightStrategyValuerCallFailed { reason })
}

fn token_failed(token: Address) -> Error {
    Error::TokenCallFailed(WeightStrategyTokenCallFailed { token })
}

fn overflow() -> Error {
    Error::Overflow(WeightStrategyOverflow {})
}

/// One token's numbers in a poke.
struct Plan {
    token: Address,
    target: u128,
    current: u128,
    next: u128,
    scheduled: bool,
}

/// The strategy.
#[entrypoint]
#[storage]
pub struct WeightStrategy {
    ownable: Ownable2Step,
    lock: ReentrancyLock,
    pool: StorageAddress,
    paused: StorageBool,
    valuer: StorageAddress,
    duration: StorageU64,
    min_interval: StorageU64,
    last_poke: StorageU64,
    min_weight_per_second: StorageU128,
    max_weight_per_second: StorageU128,
    /// Tokens fading out: left out of `poke`.
    leaving: StorageMap<Address, StorageBool>,
}

#[public]
impl WeightStrategy {
    /// Binds the strategy to `pool` and `valuer`. The pool's controller must
    /// then hand control over (`setController`) and the owner call
    /// `setWeightPerSecondBounds`.
    ///
    /// # Errors
    /// `OwnableInvalidOwner`, [`WeightStrategyZeroAddress`], [`WeightStrategyInvalidParams`].
    ///
    /// # Events
    /// `OwnershipTransferred`, [`Initialized`], [`ParamsSet`].
    #[constructor]
    pub fn constructor(
        &mut self,
        owner: Address,
        pool: Address,
        valuer: Address,
        duration: u64,
        min_interval: u64,
    ) -> Result<(), Error> {
        self.ownable.init(owner)?;
        if pool.is_zero() || valuer.is_zero() {
            return Err(Error::ZeroAddress(WeightStrategyZeroAddress {}));
        }
        self.pool.set(pool);
        self.valuer.set(valuer);
        env::emit(Initialized { pool, valuer });
        self.write_params(duration, min_interval)
    }

    // ------------------------------------------------------------- weights

    /// Asks the valuer for targets and schedules the clamped changes.
    /// Anyone, at most once per `minInterval`.
    ///
    /// # Errors
    /// [`WeightStrategyPaused`], [`WeightStrategyBoundsNotSet`],
    /// [`WeightStrategyTooEarly`], [`WeightStrategyValuerCallFailed`] (e.g.
    /// a stale price or a short TWAP history), [`WeightStrategyInvalidWeight`],
    /// [`WeightStrategyTotalWeightExceeded`], [`WeightStrategyPoolCallFailed`].
    ///
    /// # Events
    /// [`TargetWeight`] per valued token, [`Poked`]; the pool's `DynamicWeightSet`.
    pub fn poke(&mut self) -> Result<(), Error> {
        self.poke_at(env::timestamp(), env::sender())
    }

    /// Owner: freezes every weight at its current value and blocks `poke`.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`WeightStrategyPaused`],
    /// [`WeightStrategyBoundsNotSet`], [`WeightStrategyPoolCallFailed`].
    ///
    /// # Events
    /// [`PausedSet`]; the pool's `DynamicWeightSet` per token.
    pub fn pause(&mut self) -> Result<(), Error> {
        self.pause_at(env::timestamp(), env::sender())
    }

    /// Owner: lets `poke` run again.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`WeightStrategyNotPaused`].
    ///
    /// # Events
    /// [`PausedSet`].
    pub fn unpause(&mut self) -> Result<(), Error> {
        let caller = env::sender();
        self.ownable.only_owner(caller)?;
        if !self.paused.get() {
            return Err(Error::NotPaused(WeightStrategyNotPaused {}));
        }
        self.paused.set(false);
        env::emit(PausedSet { caller, paused: false });
        Ok(())
    }

    // ------------------------------------------------------------- params

    /// Owner: sets the schedule length and the minimum time between pokes.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`WeightStrategyInvalidParams`].
    ///
    /// # Events
    /// [`ParamsSet`].
    pub fn set_params(&mut self, duration: u64, min_interval: u64) -> Result<(), Error> {
        self.ownable.only_owner(env::sender())?;
        self.write_params(duration, min_interval)
    }

    /// Owner: sets the pool's weight change bounds per second (and the
    /// strategy's copy, which `poke` clamps to).
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`WeightStrategyInvalidBounds`],
    /// [`WeightStrategyPoolCallFailed`].
    ///
    /// # Events
    /// [`WeightPerSecondBoundsSet`]; the pool's.
    pub fn set_weight_per_second_bounds(
        &mut self,
        min_weight_per_second: U256,
        max_weight_per_second: U256,
    ) -> Result<(), Error> {
        self.ownable.only_owner(env::sender())?;
        let invalid = || {
            Error::InvalidBounds(WeightStrategyInvalidBounds {
                minWeightPerSecond: min_weight_per_second,
                maxWeightPerSecond: max_weight_per_second,
            })
        };
        let max = u128::try_from(max_weight_per_second).map_err(|_| invalid())?;
        let min = u128::try_from(min_weight_per_second).map_err(|_| invalid())?;
        if max == 0 || max > MAX_WEIGHT || min > max {
            return Err(invalid());
        }
        self.pool_bounds(min, max)?;
        self.min_weight_per_second.set(U128::from(min));
        self.max_weight_per_second.set(U128::from(max));
        env::emit(WeightPerSecondBoundsSet {
            minWeightPerSecond: min_weight_per_second,
            maxWeightPerSecond: max_weight_per_second,
        });
        Ok(())
    }

    // ------------------------------------------------------------- tokens

    /// Owner: pulls `balance` of `token` from the caller, binds it at
    /// `MIN_WEIGHT` and fades it in to `targetWeight`.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`WeightStrategyInvalidWeight`] outside
    /// `[MIN_WEIGHT, MAX_WEIGHT]`, [`WeightStrategyTokenNotConfigured`],
    /// [`WeightStrategyBoundsNotSet`], [`WeightStrategyNoValidFade`],
    /// [`WeightStrategyTokenCallFailed`], [`WeightStrategyPoolCallFailed`]
    /// (e.g. already bound, fee-on-transfer token), `ReentrantCall`.
    ///
    /// # Events
    /// [`TokenAdded`]; the pool's `TokenBound` and `DynamicWeightSet`.
    pub fn add_token(
        &mut self,
        token: Address,
        balance: U256,
        target_weight: U256,
    ) -> Result<(), Error> {
        let caller = env::sender();
        self.ownable.only_owner(caller)?;
        self.add_token_at(env::timestamp(), caller, token, balance, target_weight)
    }

    /// Owner: fades `token` to `MIN_WEIGHT` and leaves it out of `poke`.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`WeightStrategyBoundsNotSet`],
    /// [`WeightStrategyNoValidFade`], [`WeightStrategyPoolCallFailed`] (not bound).
    ///
    /// # Events
    /// [`TokenFadingOut`]; the pool's `DynamicWeightSet`.
    pub fn fade_out_token(&mut self, token: Address) -> Result<(), Error> {
        self.ownable.only_owner(env::sender())?;
        self.fade_out_at(env::timestamp(), token)
    }

    /// Owner: fades `old_token` out and adds `new_token` (see `fadeOutToken`
    /// and `addToken`).
    ///
    /// # Errors
    /// As `fadeOutToken` and `addToken`.
    ///
    /// # Events
    /// As `fadeOutToken` and `addToken`.
    pub fn replace_token(
        &mut self,
        old_token: Address,
        new_token: Address,
        balance: U256,
        target_weight: U256,
    ) -> Result<(), Error> {
        let caller = env::sender();
        self.ownable.only_owner(caller)?;
        let now = env::timestamp();
        self.fade_out_at(now, old_token)?;
        self.add_token_at(now, caller, new_token, balance, target_weight)
    }

    /// Owner: unbinds `token` (its weight must be `MIN_WEIGHT`) and sends
    /// what the pool returns to `receiver`.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`WeightStrategyZeroAddress`],
    /// [`WeightStrategyPoolCallFailed`] (weight not at the minimum, too few
    /// tokens), [`WeightStrategyTokenCallFailed`], `ReentrantCall`.
    ///
    /// # Events
    /// [`TokenRemoved`]; the pool's `TokenUnbound`.
    pub fn remove_token(&mut self, token: Address, receiver: Address) -> Result<(), Error> {
        self.ownable.only_owner(env::sender())?;
        if receiver.is_zero() {
            return Err(Error::ZeroAddress(WeightStrategyZeroAddress {}));
        }
        self.lock.enter()?;
        let this = env::this();
        let before = token::balance_of(token, this).map_err(|_| token_failed(token))?;
        self.pool_call(&encode(&calls::UNBIND, &[token.word()]))?;
        let after = token::balance_of(token, this).map_err(|_| token_failed(token))?;
        let amount = after.checked_sub(before).ok_or_else(|| token_failed(token))?;
        self.leaving.setter(token).set(false);
        token::safe_transfer(token, receiver, amount).map_err(|_| token_failed(token))?;
        env::emit(TokenRemoved { token, receiver, amount });
        self.lock.exit();
        Ok(())
    }

    // ------------------------------------------------------------- pool admin

    /// Owner: forwards `data`, an encoded `index-pool` call, to the pool
    /// (with the ETH sent along). Only the admin functions the strategy does
    /// not manage itself are allowed: `setSwapFee`,
    /// `setCommunityFeesAndReceiver`, `setSwapsDisabled`, `setWithoutFee`,
    /// `setVotingAllowed`, `callVoting` and `setController` (handing the pool
    /// to another controller; the strategy cannot manage it afterwards).
    /// Weights, bounds and tokens go through the strategy's own functions.
    ///
    /// # Errors
    /// `OwnableUnauthorizedAccount`, [`WeightStrategyCallNotAllowed`],
    /// [`WeightStrategyPoolCallFailed`] with the pool's revert data.
    ///
    /// # Events
    /// The pool's.
    #[payable]
    pub fn call_pool(&mut self, data: abi::Bytes) -> Result<(), Error> {
        self.ownable.only_owner(env::sender())?;
        let selector = data.get(..4).and_then(|s| <[u8; 4]>::try_from(s).ok()).unwrap_or_default();
        if !FORWARDED_SELECTORS.contains(&selector) {
            return Err(Error::CallNotAllowed(WeightStrategyCallNotAllowed {
                selector: FixedBytes(selector),
            }));
        }
        // The pool never calls the strategy back; only the error's selector is kept.
        call::call_with_value(self.pool.get(), &data, env::value(), 4)
            .map(|_| ())
            .map_err(|data| pool_failed(selector_of(&data)))
    }

    // ------------------------------------------------------------- views

    /// The controlled pool.
    pub fn pool(&self) -> Address {
        self.pool.get()
    }

    /// The valuer that computes the targets.
    pub fn valuer(&self) -> Address {
        self.valuer.get()
    }

    /// Whether weights are frozen.
    pub fn paused(&self) -> bool {
        self.paused.get()
    }

    /// Whether `token` is fading out (left out of `poke`).
    pub fn is_leaving(&self, token: Address) -> bool {
        self.leaving.get(token)
    }

    /// `(duration, minInterval, lastPoke)`.
    pub fn params(&self) -> (u64, u64, u64) {
        (
            self.duration.get().to::<u64>(),
            self.min_interval.get().to::<u64>(),
            self.last_poke.get().to::<u64>(),
        )
    }

    /// `(minWeightPerSecond, maxWeightPerSecond)` as last set through the strategy.
    pub fn weight_per_second_bounds(&self) -> (U256, U256) {
        (U256::from(self.min_weight_per_second.get()), U256::from(self.max_weight_per_second.get()))
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

    /// Owner: renounces ownership (the pool's admin becomes unreachable).
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

/// Moves `current` toward `target` by at most `max_change`.
pub fn clamp_weight(current: u128, target: u128, max_change: u128) -> u128 {
    if target >= current {
        target.min(current.saturating_add(max_change))
    } else {
        target.max(current.saturating_sub(max_change))
    }
}

/// Fade length for a change of `delta` at rates within `[min_rate, max_rate]`
/// (`max_rate > 0`): `duration`, raised to `⌈delta / max_rate⌉` or lowered to
/// `⌊delta / min_rate⌋` as needed; `None` when no positive length fits.
pub fn fade_length(delta: u128, duration: u64, min_rate: u128, max_rate: u128) -> Option<u64> {
    let shortest = least_length(max_rate, delta)?;
    let longest = if min_rate == 0 {
        u64::MAX
    } else {
        // The greatest L with min · L ≤ delta is one less than the least L
        // with min · L ≥ delta + 1 (delta ≤ MAX_WEIGHT, so the sum fits).
        least_length(min_rate, delta.saturating_add(1)).map_or(u64::MAX, |l| l.saturating_sub(1))
    };
    let fade = duration.max(shortest).min(longest);
    if shortest > longest || fade == 0 {
        return None;
    }
    Some(fade)
}

/// The least `L` with `rate · L ≥ target` (`⌈target / rate⌉`), by binary
/// search with multiplications only: a 128-bit division would add 1 KiB of
/// WASM for a function only the owner's token calls use.
fn least_length(rate: u128, target: u128) -> Option<u64> {
    if rate.saturating_mul(u128::from(u64::MAX)) < target {
        return None;
    }
    let (mut low, mut high) = (0u64, u64::MAX);
    while low < high {
        let mid = low.midpoint(high);
        if rate.saturating_mul(u128::from(mid)) >= target {
            high = mid;
        } else {
            // mid < high ≤ u64::MAX.
            low = mid.saturating_add(1);
        }
    }
    Some(low)
}

fn to_weight(weight: U256) -> Result<u128, Error> {
    u128::try_from(weight).map_err(|_| overflow())
}

/// `(now + 1, now + 1 + duration)` as the pool takes them.
fn window(now: u64, duration: u64) -> Result<(U256, U256), Error> {
    let from = now.checked_add(1).ok_or_else(overflow)?;
    let to = from.checked_add(duration).ok_or_else(overflow)?;
    Ok((U256::from(from), U256::from(to)))
}

/// Time-explicit logic. The public functions read the clock once and call
/// these; tests call them directly with chosen times.
impl WeightStrategy {
    /// [`Self::poke`] at time `now` by `caller`.
    ///
    /// # Errors
    /// As [`Self::poke`].
    pub fn poke_at(&mut self, now: u64, caller: Address) -> Result<(), Error> {
        if self.paused.get() {
            return Err(Error::Paused(WeightStrategyPaused {}));
        }
        let (min_rate, max_rate) = self.bounds()?;
        let last = self.last_poke.get().to::<u64>();
        let next_poke = last.saturating_add(self.min_interval.get().to::<u64>());
        if last != 0 && now < next_poke {
            return Err(Error::TooEarly(WeightStrategyTooEarly {
                nextPokeAt: U256::from(next_poke),
            }));
        }
        let duration = self.duration.get().to::<u64>();
        // Saturating like the pool's own rate check: a saturated product
        // exceeds every weight.
        let max_change = max_rate.saturating_mul(u128::from(duration));
        let min_change = min_rate.saturating_mul(u128::from(duration));

        let tokens = self.current_tokens()?;
        let mut valued = Vec::with_capacity(tokens.len());
        // Σ of the targets the pool will hold: the plans plus the fading tokens.
        let mut sum: u128 = 0;
        for &token in &tokens {
            if self.leaving.get(token) {
                sum = sum.checked_add(self.pending_target(token)?).ok_or_else(overflow)?;
            } else {
                valued.push(token);
            }
        }
        let question = calls::encode_array(calls::GET_TARGETS, &valued);
        let answer = calls::call(self.valuer.get(), &question, true).map_err(valuer_failed)?;
        let targets = Args(&answer).uint_array(0).ok_or_else(|| valuer_failed(FixedBytes::ZERO))?;
        let mut plans = Vec::with_capacity(valued.len());
        for (&token, &answer) in valued.iter().zip(&targets) {
            let target = u128::try_from(answer).unwrap_or(u128::MAX);
            if !(MIN_WEIGHT..=MAX_WEIGHT).contains(&target) {
                return Err(Error::InvalidWeight(WeightStrategyInvalidWeight {
                    token,
                    weight: answer,
                }));
            }
            let current = self.current_weight(token)?;
            let pending = self.pending_target(token)?;
            let clamped = clamp_weight(current, target, max_change);
            let scheduled = clamped != pending && clamped.abs_diff(current) >= min_change;
            let next = if scheduled { clamped } else { pending };
            sum = sum.checked_add(next).ok_or_else(overflow)?;
            plans.push(Plan { token, target, current, next, scheduled });
        }
        if plans.len() != valued.len() {
            // The valuer answered fewer targets than tokens asked.
            return Err(Error::ValuerCallFailed(WeightStrategyValuerCallFailed {
                reason: FixedBytes::ZERO,
            }));
        }
        if sum > MAX_WEIGHT {
            return Err(Error::TotalWeightExceeded(WeightStrategyTotalWeightExceeded {
                total: U256::from(sum),
                max: U256::from(MAX_WEIGHT),
            }));
        }
        let (from, to) = window(now, duration)?;
        // Decreases first, so the pool's running Σ targets never exceeds the final one.
        for decreasing in [true, false] {
            for plan in plans.iter().filter(|p| p.scheduled && (p.next < p.current) == decreasing) {
                self.schedule(plan.token, plan.next, from, to)?;
            }
        }
        self.last_poke.set(U64::from(now));
        for plan in &plans {
            env::emit(TargetWeight {
                token: plan.token,
                target: U256::from(plan.target),
                currentWeight: U256::from(plan.current),
                scheduledWeight: U256::from(plan.next),
                scheduled: plan.scheduled,
            });
        }
        env::emit(Poked { caller, timestamp: U256::from(now) });
        Ok(())
    }

    /// [`Self::pause`] at time `now` by `caller`.
    ///
    /// # Errors
    /// As [`Self::pause`].
    pub fn pause_at(&mut self, now: u64, caller: Address) -> Result<(), Error> {
        self.ownable.only_owner(caller)?;
        if self.paused.get() {
            return Err(Error::Paused(WeightStrategyPaused {}));
        }
        let tokens = self.current_tokens()?;
        let mut freezes = Vec::with_capacity(tokens.len());
        // Tokens fading out keep fading: an exit the owner started is not
        // an oracle-driven move, and nothing would resume it after `unpause`.
        for token in tokens.into_iter().filter(|&t| !self.leaving.get(t)) {
            let current = self.current_weight(token)?;
            let pending = self.pending_target(token)?;
            freezes.push((token, current, pending));
        }
        self.freeze(now, &freezes)?;
        self.paused.set(true);
        env::emit(PausedSet { caller, paused: true });
        Ok(())
    }

    /// `addToken` at time `now`, pulling from `caller` (owner checked by the caller).
    ///
    /// # Errors
    /// As [`Self::add_token`].
    pub fn add_token_at(
        &mut self,
        now: u64,
        caller: Address,
        token: Address,
        balance: U256,
        target_weight: U256,
    ) -> Result<(), Error> {
        let invalid =
            || Error::InvalidWeight(WeightStrategyInvalidWeight { token, weight: target_weight });
        let weight = u128::try_from(target_weight).map_err(|_| invalid())?;
        if !(MIN_WEIGHT..=MAX_WEIGHT).contains(&weight) {
            return Err(invalid());
        }
        let question = encode(&calls::IS_CONFIGURED, &[token.word()]);
        let answer = calls::call(self.valuer.get(), &question, true).map_err(valuer_failed)?;
        if Args(&answer).uint(0).unwrap_or_default().is_zero() {
            return Err(Error::TokenNotConfigured(WeightStrategyTokenNotConfigured { token }));
        }
        // weight >= MIN_WEIGHT (checked above).
        let fade = self.fade_duration(token, weight.saturating_sub(MIN_WEIGHT))?;
        let (from, to) = window(now, fade)?;
        self.lock.enter()?;
        let pool = self.pool.get();
        // The pool pulls exactly `balance` from the strategy (and refuses a
        // fee-on-transfer token that delivered less).
        token::safe_transfer_from(token, caller, env::this(), balance)
            .map_err(|_| token_failed(token))?;
        token::force_approve(token, pool, balance).map_err(|_| token_failed(token))?;
        let words = [token.word(), balance, target_weight, from, to];
        self.pool_call(&encode(&calls::BIND, &words))?;
        self.leaving.setter(token).set(false);
        env::emit(TokenAdded {
            token,
            balance,
            targetWeight: target_weight,
            fromTimestamp: from,
            targetTimestamp: to,
        });
        self.lock.exit();
        Ok(())
    }

    /// `fadeOutToken` at time `now` (owner checked by the caller).
    ///
    /// # Errors
    /// As [`Self::fade_out_token`].
    pub fn fade_out_at(&mut self, now: u64, token: Address) -> Result<(), Error> {
        let current = self.current_weight(token)?;
        let delta = current.saturating_sub(MIN_WEIGHT);
        let mut until = U256::from(now);
        if delta != 0 {
            let fade = self.fade_duration(token, delta)?;
            let (from, to) = window(now, fade)?;
            self.schedule(token, MIN_WEIGHT, from, to)?;
            until = to;
        } else {
            // At the minimum already, but a fade-in may still be scheduled
            // (a token added in this block): hold it at the minimum.
            let pending = self.pending_target(token)?;
            if pending != MIN_WEIGHT {
                self.freeze(now, &[(token, MIN_WEIGHT, pending)])?;
            }
        }
        self.leaving.setter(token).set(true);
        env::emit(TokenFadingOut {
            token,
            fromWeight: U256::from(current),
            targetTimestamp: until,
        });
        Ok(())
    }
}

impl WeightStrategy {
    fn write_params(&mut self, duration: u64, min_interval: u64) -> Result<(), Error> {
        if duration == 0 {
            return Err(Error::InvalidParams(WeightStrategyInvalidParams {
                duration,
                minInterval: min_interval,
            }));
        }
        self.duration.set(U64::from(duration));
        self.min_interval.set(U64::from(min_interval));
        env::emit(ParamsSet { duration, minInterval: min_interval });
        Ok(())
    }

    /// `(min, max)` weight change per second, once set.
    fn bounds(&self) -> Result<(u128, u128), Error> {
        let max = self.max_weight_per_second.get().to::<u128>();
        if max == 0 {
            return Err(Error::BoundsNotSet(WeightStrategyBoundsNotSet {}));
        }
        Ok((self.min_weight_per_second.get().to::<u128>(), max))
    }

    fn pool_bounds(&self, min: u128, max: u128) -> Result<(), Error> {
        let words = [U256::from(min), U256::from(max)];
        self.pool_call(&encode(&calls::SET_WEIGHT_PER_SECOND_BOUNDS, &words))
    }

    /// Schedules each `(token, weight, pending)` to stay at `weight` from
    /// `now + 1` (a zero-rate schedule over one second), lowered targets
    /// first; the pool's minimum rate is lifted for the duration of the call.
    ///
    /// # Errors
    /// [`WeightStrategyBoundsNotSet`], [`WeightStrategyPoolCallFailed`].
    fn freeze(&self, now: u64, freezes: &[(Address, u128, u128)]) -> Result<(), Error> {
        let (min_rate, max_rate) = self.bounds()?;
        if min_rate != 0 {
            self.pool_bounds(0, max_rate)?;
        }
        let (from, to) = window(now, 1)?;
        for lowering in [true, false] {
            for &(token, weight, _) in freezes.iter().filter(|f| (f.1 <= f.2) == lowering) {
                self.schedule(token, weight, from, to)?;
            }
        }
        if min_rate != 0 {
            self.pool_bounds(min_rate, max_rate)?;
        }
        Ok(())
    }

    /// `setDynamicWeight(token, weight, from, to)` on the pool.
    fn schedule(&self, token: Address, weight: u128, from: U256, to: U256) -> Result<(), Error> {
        let words = [token.word(), U256::from(weight), from, to];
        self.pool_call(&encode(&calls::SET_DYNAMIC_WEIGHT, &words))
    }

    fn pool_call(&self, data: &[u8]) -> Result<(), Error> {
        calls::call(self.pool.get(), data, false).map(|_| ()).map_err(pool_failed)
    }

    /// Word `index` of the answer of a pool view (one `address` argument).
    fn pool_word(&self, selector: [u8; 4], token: Address, index: usize) -> Result<U256, Error> {
        let answer = calls::call(self.pool.get(), &encode(&selector, &[token.word()]), true)
            .map_err(pool_failed)?;
        Args(&answer).uint(index).ok_or_else(|| pool_failed(FixedBytes::ZERO))
    }

    /// The pool's tokens.
    fn current_tokens(&self) -> Result<Vec<Address>, Error> {
        let answer =
            calls::call(self.pool.get(), &calls::GET_CURRENT_TOKENS, true).map_err(pool_failed)?;
        Args(&answer).address_array(0).ok_or_else(|| pool_failed(FixedBytes::ZERO))
    }

    /// The pool's weight of `token` now.
    fn current_weight(&self, token: Address) -> Result<u128, Error> {
        to_weight(self.pool_word(calls::GET_DENORMALIZED_WEIGHT, token, 0)?)
    }

    /// The weight the pool will hold for `token` once its schedule ends
    /// (`targetWeight`, the fourth word of `getDynamicWeightSettings`).
    fn pending_target(&self, token: Address) -> Result<u128, Error> {
        to_weight(self.pool_word(calls::GET_DYNAMIC_WEIGHT_SETTINGS, token, 3)?)
    }

    /// See [`fade_length`]; errors when no length fits.
    fn fade_duration(&self, token: Address, delta: u128) -> Result<u64, Error> {
        let (min_rate, max_rate) = self.bounds()?;
        fade_length(delta, self.duration.get().to::<u64>(), min_rate, max_rate).ok_or(
            Error::NoValidFade(WeightStrategyNoValidFade { token, delta: U256::from(delta) }),
        )
    }
}

#[cfg(test)]
mod tests;
