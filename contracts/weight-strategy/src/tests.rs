//! Unit tests against a pool double that records the controller's calls and
//! a valuer double that answers set targets. Integration tests against the
//! real `index-pool`, `weight-valuer` and `power-oracle` live in
//! `test/index/tests/strategy_*.rs`.
#![allow(
    clippy::unused_self,
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    deprecated,
    missing_docs
)]

use alloc::{vec, vec::Vec};

use alloy_primitives::{uint, Address, FixedBytes, U256};
use alloy_sol_types::{SolCall, SolError};
use mock_erc20::MockErc20;
use motsu::prelude::*;
use strata_common::ownable::{OwnershipTransferStarted, OwnershipTransferred};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU256, StorageVec},
};

use super::*;

// ------------------------------------------------------------------ doubles

alloy_sol_types::sol! {
    #[derive(Debug)]
    error PoolDoubleRejected(uint256 code);
    #[derive(Debug)]
    error ValuerDoubleRejected(address token);
}

/// One recorded `setDynamicWeight` (or `bind`) call.
#[storage]
struct Scheduled {
    token: StorageAddress,
    target: StorageU256,
    from: StorageU256,
    to: StorageU256,
}

/// Pool double: weights are set by the test; schedules and admin calls are
/// recorded. `bind` pulls the balance from the caller like the real pool,
/// `unbind` sends it back.
#[storage]
struct PoolDouble {
    tokens: StorageVec<StorageAddress>,
    weights: StorageMap<Address, StorageU256>,
    targets: StorageMap<Address, StorageU256>,
    balances: StorageMap<Address, StorageU256>,
    log: StorageVec<Scheduled>,
    bounds: StorageVec<StorageU256>,
    swap_fee: StorageU256,
    voting_target: StorageAddress,
    reject: StorageBool,
}
unsafe impl TopLevelStorage for PoolDouble {}

#[public]
impl PoolDouble {
    fn add(&mut self, token: Address, weight: U256, target: U256) {
        self.tokens.push(token);
        self.weights.setter(token).set(weight);
        self.targets.setter(token).set(target);
    }
    fn set_weight(&mut self, token: Address, weight: U256) {
        self.weights.setter(token).set(weight);
    }
    fn set_reject(&mut self, reject: bool) {
        self.reject.set(reject);
    }
    fn get_current_tokens(&self) -> Vec<Address> {
        (0..self.tokens.len()).map(|i| self.tokens.get(i).unwrap()).collect()
    }
    fn get_denormalized_weight(&self, token: Address) -> U256 {
        self.weights.get(token)
    }
    fn get_dynamic_weight_settings(&self, token: Address) -> (U256, U256, U256, U256) {
        (U256::ZERO, U256::ZERO, self.weights.get(token), self.targets.get(token))
    }
    fn set_dynamic_weight(
        &mut self,
        token: Address,
        target: U256,
        from: U256,
        to: U256,
    ) -> Result<(), Vec<u8>> {
        if self.reject.get() {
            return Err(PoolDoubleRejected { code: U256::from(1) }.abi_encode());
        }
        self.targets.setter(token).set(target);
        let mut entry = self.log.grow();
        entry.token.set(token);
        entry.target.set(target);
        entry.from.set(from);
        entry.to.set(to);
        Ok(())
    }
    fn set_weight_per_second_bounds(&mut self, min: U256, max: U256) -> Result<(), Vec<u8>> {
        if self.reject.get() {
            return Err(PoolDoubleRejected { code: U256::from(2) }.abi_encode());
        }
        self.bounds.push(min);
        self.bounds.push(max);
        Ok(())
    }
    fn bind(
        &mut self,
        token: Address,
        balance: U256,
        target: U256,
        from: U256,
        to: U256,
    ) -> Result<(), Vec<u8>> {
        strata_common::token::pull_exact(token, stylus_sdk::msg::sender(), balance)
            .map_err(|_| PoolDoubleRejected { code: U256::from(3) }.abi_encode())?;
        self.tokens.push(token);
        self.weights.setter(token).set(U256::from(MIN_WEIGHT));
        self.targets.setter(token).set(target);
        self.balances.setter(token).set(balance);
        let mut entry = self.log.grow();
        entry.token.set(token);
        entry.target.set(target);
        entry.from.set(from);
        entry.to.set(to);
        Ok(())
    }
    fn unbind(&mut self, token: Address) -> Result<(), Vec<u8>> {
        if self.weights.get(token) != U256::from(MIN_WEIGHT) {
            return Err(PoolDoubleRejected { code: U256::from(4) }.abi_encode());
        }
        let balance = self.balances.get(token);
        self.balances.setter(token).set(U256::ZERO);
        strata_common::token::safe_transfer(token, stylus_sdk::msg::sender(), balance)
            .map_err(|_| PoolDoubleRejected { code: U256::from(5) }.abi_encode())
    }
    fn set_swap_fee(&mut self, fee: U256) -> Result<(), Vec<u8>> {
        if self.reject.get() {
            return Err(PoolDoubleRejected { code: U256::from(6) }.abi_encode());
        }
        self.swap_fee.set(fee);
        Ok(())
    }
    #[payable]
    fn call_voting(
        &mut self,
        target: Address,
        _selector: FixedBytes<4>,
        _args: stylus_sdk::abi::Bytes,
        _value: U256,
    ) {
        self.voting_target.set(target);
    }
    fn swap_fee(&self) -> U256 {
        self.swap_fee.get()
    }
    fn voting_target(&self) -> Address {
        self.voting_target.get()
    }
    fn log_len(&self) -> U256 {
        U256::from(self.log.len())
    }
    fn log_at(&self, i: U256) -> (Address, U256, U256, U256) {
        let e = self.log.get(i.to::<usize>()).unwrap();
        (e.token.get(), e.target.get(), e.from.get(), e.to.get())
    }
    fn bounds_log(&self) -> Vec<U256> {
        (0..self.bounds.len()).map(|i| self.bounds.get(i).unwrap()).collect()
    }
}

/// Valuer double: answers the targets the test set, or reverts.
#[storage]
struct ValuerDouble {
    targets: StorageMap<Address, StorageU256>,
    configured: StorageMap<Address, StorageBool>,
    short: StorageBool,
}
unsafe impl TopLevelStorage for ValuerDouble {}

#[public]
impl ValuerDouble {
    fn set_target(&mut self, token: Address, target: U256) {
        self.targets.setter(token).set(target);
        self.configured.setter(token).set(true);
    }
    fn set_short(&mut self, short: bool) {
        self.short.set(short);
    }
    fn get_targets(&self, tokens: Vec<Address>) -> Result<Vec<U256>, Vec<u8>> {
        let mut out = Vec::new();
        for token in tokens {
            if !self.configured.get(token) {
                return Err(ValuerDoubleRejected { token }.abi_encode());
            }
            out.push(self.targets.get(token));
        }
        if self.short.get() {
            out.pop();
        }
        Ok(out)
    }
    fn is_configured(&self, token: Address) -> bool {
        self.configured.get(token)
    }
}

// ------------------------------------------------------------------ fixtures

const E18: u128 = 1_000_000_000_000_000_000;
/// 6.25e18: four equal weights summing to 25e18.
const QUARTER: u128 = 6_250_000_000_000_000_000;
/// The reference maximum rate and duration.
const MAX_RATE: u128 = 2_893_518_518_519;
const DURATION: u64 = 1_209_600;
const INTERVAL: u64 = 3_600;
const T0: u64 = 1_700_000_000;

fn w(x: u128) -> U256 {
    U256::from(x)
}

fn tokens() -> [Address; 4] {
    [
        Address::repeat_byte(0xa1),
        Address::repeat_byte(0xa2),
        Address::repeat_byte(0xa3),
        Address::repeat_byte(0xa4),
    ]
}

fn setup_strategy(
    strategy: &Contract<WeightStrategy>,
    pool: &Contract<PoolDouble>,
    valuer: &Contract<ValuerDouble>,
    owner: Address,
) {
    strategy
        .sender(owner)
        .constructor(owner, pool.address(), valuer.address(), DURATION, INTERVAL)
        .unwrap();
    strategy.sender(owner).set_weight_per_second_bounds(U256::ZERO, w(MAX_RATE)).unwrap();
}

/// Four tokens at 6.25e18 each with valuer targets `targets`.
fn setup_quarters(
    strategy: &Contract<WeightStrategy>,
    pool: &Contract<PoolDouble>,
    valuer: &Contract<ValuerDouble>,
    owner: Address,
    targets: [u128; 4],
) {
    setup_strategy(strategy, pool, valuer, owner);
    for (token, target) in tokens().into_iter().zip(targets) {
        pool.sender(owner).add(token, w(QUARTER), w(QUARTER));
        valuer.sender(owner).set_target(token, w(target));
    }
}

fn log(pool: &Contract<PoolDouble>, owner: Address) -> Vec<(Address, U256, U256, U256)> {
    let len = pool.sender(owner).log_len().to::<usize>();
    (0..len).map(|i| pool.sender(owner).log_at(U256::from(i))).collect()
}

fn setup_token(token: &Contract<MockErc20>, holder: Address, amount: U256) {
    token.sender(holder).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
    token.sender(holder).mint(holder, amount).unwrap();
}

// ------------------------------------------------------------------ set-up

#[motsu::test]
fn constructor_stores_pool_valuer_and_params(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    strategy
        .sender(owner)
        .constructor(owner, pool.address(), valuer.address(), DURATION, INTERVAL)
        .unwrap();
    assert_eq!(strategy.sender(owner).pool(), pool.address());
    assert_eq!(strategy.sender(owner).valuer(), valuer.address());
    assert_eq!(strategy.sender(owner).params(), (DURATION, INTERVAL, 0));
    assert_eq!(strategy.sender(owner).weight_per_second_bounds(), (U256::ZERO, U256::ZERO));
    assert!(!strategy.sender(owner).paused());
    strategy.assert_emitted(&Initialized { pool: pool.address(), valuer: valuer.address() });
    strategy.assert_emitted(&ParamsSet { duration: DURATION, minInterval: INTERVAL });
    strategy
        .assert_emitted(&OwnershipTransferred { previousOwner: Address::ZERO, newOwner: owner });
}

#[motsu::test]
fn constructor_rejects_zero_addresses_and_zero_duration(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    let zero = Error::ZeroAddress(WeightStrategyZeroAddress {});
    assert_eq!(
        strategy
            .sender(owner)
            .constructor(owner, Address::ZERO, valuer.address(), DURATION, 0)
            .motsu_unwrap_err(),
        zero
    );
    assert_eq!(
        strategy
            .sender(owner)
            .constructor(owner, pool.address(), Address::ZERO, DURATION, 0)
            .motsu_unwrap_err(),
        zero
    );
    assert_eq!(
        strategy
            .sender(owner)
            .constructor(owner, pool.address(), valuer.address(), 0, 5)
            .motsu_unwrap_err(),
        Error::InvalidParams(WeightStrategyInvalidParams { duration: 0, minInterval: 5 })
    );
    assert_eq!(
        strategy
            .sender(owner)
            .constructor(Address::ZERO, pool.address(), valuer.address(), DURATION, 0)
            .motsu_unwrap_err(),
        Error::InvalidOwner(OwnableInvalidOwner { owner: Address::ZERO })
    );
    assert_eq!(strategy.sender(owner).pool(), Address::ZERO);
}

#[motsu::test]
fn set_params_validates_and_emits(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    setup_strategy(&strategy, &pool, &valuer, owner);
    strategy.sender(owner).set_params(7, 0).motsu_unwrap();
    strategy.assert_emitted(&ParamsSet { duration: 7, minInterval: 0 });
    assert_eq!(strategy.sender(owner).params(), (7, 0, 0));
    let err = strategy.sender(owner).set_params(0, 9).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::InvalidParams(WeightStrategyInvalidParams { duration: 0, minInterval: 9 })
    );
    assert_eq!(strategy.sender(owner).params(), (7, 0, 0));
}

#[motsu::test]
fn owner_functions_revert_for_others_and_change_nothing(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
    mallory: Address,
) {
    setup_quarters(&strategy, &pool, &valuer, owner, [QUARTER; 4]);
    let unauthorized = Error::Unauthorized(OwnableUnauthorizedAccount { account: mallory });
    let token = tokens()[0];
    assert_eq!(strategy.sender(mallory).set_params(1, 1).motsu_unwrap_err(), unauthorized);
    assert_eq!(
        strategy.sender(mallory).set_weight_per_second_bounds(U256::ZERO, w(1)).motsu_unwrap_err(),
        unauthorized
    );
    assert_eq!(strategy.sender(mallory).pause_at(T0, mallory).motsu_unwrap_err(), unauthorized);
    assert_eq!(strategy.sender(mallory).pause().motsu_unwrap_err(), unauthorized);
    assert_eq!(strategy.sender(mallory).unpause().motsu_unwrap_err(), unauthorized);
    assert_eq!(
        strategy.sender(mallory).add_token(token, w(1), w(E18)).motsu_unwrap_err(),
        unauthorized
    );
    assert_eq!(strategy.sender(mallory).fade_out_token(token).motsu_unwrap_err(), unauthorized);
    assert_eq!(
        strategy.sender(mallory).replace_token(token, token, w(1), w(E18)).motsu_unwrap_err(),
        unauthorized
    );
    assert_eq!(
        strategy.sender(mallory).remove_token(token, mallory).motsu_unwrap_err(),
        unauthorized
    );
    let data = pool_admin::setSwapFeeCall { swapFee: w(1) }.abi_encode();
    assert_eq!(strategy.sender(mallory).call_pool(data.into()).motsu_unwrap_err(), unauthorized);
    assert_eq!(
        strategy.sender(mallory).transfer_ownership(mallory).motsu_unwrap_err(),
        unauthorized
    );
    assert_eq!(strategy.sender(mallory).renounce_ownership().motsu_unwrap_err(), unauthorized);
    assert_eq!(strategy.sender(mallory).accept_ownership().motsu_unwrap_err(), unauthorized);
    assert_eq!(strategy.sender(owner).params(), (DURATION, INTERVAL, 0));
    assert!(log(&pool, owner).is_empty());
    assert_eq!(pool.sender(owner).swap_fee(), U256::ZERO);
    assert!(!strategy.sender(owner).paused());
    assert!(!strategy.sender(owner).is_leaving(token));
}

#[motsu::test]
fn ownership_moves_in_two_steps(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
    next: Address,
) {
    setup_strategy(&strategy, &pool, &valuer, owner);
    strategy.sender(owner).transfer_ownership(next).motsu_unwrap();
    strategy.assert_emitted(&OwnershipTransferStarted { previousOwner: owner, newOwner: next });
    assert_eq!(strategy.sender(owner).pending_owner(), next);
    strategy.sender(next).accept_ownership().motsu_unwrap();
    assert_eq!(strategy.sender(owner).owner(), next);
    strategy.sender(next).renounce_ownership().motsu_unwrap();
    assert_eq!(strategy.sender(owner).owner(), Address::ZERO);
}

// ------------------------------------------------------------------ bounds

#[motsu::test]
fn set_weight_per_second_bounds_forwards_to_the_pool_and_stores_a_copy(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    setup_strategy(&strategy, &pool, &valuer, owner);
    strategy.sender(owner).set_weight_per_second_bounds(w(5), w(MAX_RATE)).motsu_unwrap();
    assert_eq!(strategy.sender(owner).weight_per_second_bounds(), (w(5), w(MAX_RATE)));
    assert_eq!(pool.sender(owner).bounds_log(), vec![U256::ZERO, w(MAX_RATE), w(5), w(MAX_RATE)]);
    strategy.assert_emitted(&WeightPerSecondBoundsSet {
        minWeightPerSecond: w(5),
        maxWeightPerSecond: w(MAX_RATE),
    });
}

#[motsu::test]
fn set_weight_per_second_bounds_rejects_invalid_bounds_and_forwards_nothing(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    setup_strategy(&strategy, &pool, &valuer, owner);
    let huge = U256::from(u128::MAX) + U256::from(1);
    for (min, max) in [
        (U256::ZERO, U256::ZERO),
        (w(2), w(1)),
        (U256::ZERO, w(MAX_WEIGHT + 1)),
        (huge, huge),
        (U256::ZERO, huge),
    ] {
        let err = strategy.sender(owner).set_weight_per_second_bounds(min, max).motsu_unwrap_err();
        assert_eq!(
            err,
            Error::InvalidBounds(WeightStrategyInvalidBounds {
                minWeightPerSecond: min,
                maxWeightPerSecond: max
            })
        );
    }
    assert_eq!(strategy.sender(owner).weight_per_second_bounds(), (U256::ZERO, w(MAX_RATE)));
    assert_eq!(pool.sender(owner).bounds_log(), vec![U256::ZERO, w(MAX_RATE)]);
}

#[motsu::test]
fn a_pool_revert_surfaces_as_pool_call_failed_with_its_selector(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    setup_strategy(&strategy, &pool, &valuer, owner);
    pool.sender(owner).set_reject(true);
    let err = strategy.sender(owner).set_weight_per_second_bounds(w(1), w(2)).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::PoolCallFailed(WeightStrategyPoolCallFailed {
            reason: FixedBytes(PoolDoubleRejected::SELECTOR)
        })
    );
    assert_eq!(strategy.sender(owner).weight_per_second_bounds(), (U256::ZERO, w(MAX_RATE)));
}

// ------------------------------------------------------------------ poke

#[motsu::test]
fn poke_clamps_to_the_public_reference_values(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
    keeper: Address,
) {
    // Far below, far above, unchanged, slightly up (not clamped).
    let targets = [MIN_WEIGHT, 25 * E18, QUARTER, QUARTER + E18];
    setup_quarters(&strategy, &pool, &valuer, owner, targets);
    strategy.sender(keeper).poke_at(T0, keeper).motsu_unwrap();
    let from = w(u128::from(T0) + 1);
    let to = w(u128::from(T0 + 1 + DURATION));
    let [a, b, c, d] = tokens();
    // Decreases first, then increases; the unchanged token is not scheduled.
    assert_eq!(
        log(&pool, owner),
        vec![
            (a, w(2_749_999_999_999_417_600), from, to),
            (b, w(9_750_000_000_000_582_400), from, to),
            (d, w(QUARTER + E18), from, to),
        ]
    );
    strategy.assert_emitted(&TargetWeight {
        token: a,
        target: w(MIN_WEIGHT),
        currentWeight: w(QUARTER),
        scheduledWeight: w(2_749_999_999_999_417_600),
        scheduled: true,
    });
    strategy.assert_emitted(&TargetWeight {
        token: c,
        target: w(QUARTER),
        currentWeight: w(QUARTER),
        scheduledWeight: w(QUARTER),
        scheduled: false,
    });
    strategy.assert_emitted(&Poked { caller: keeper, timestamp: U256::from(T0) });
    assert_eq!(strategy.sender(owner).params().2, T0);
}

#[motsu::test]
fn poke_runs_once_per_min_interval(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    setup_quarters(&strategy, &pool, &valuer, owner, [QUARTER; 4]);
    strategy.sender(owner).poke_at(T0, owner).motsu_unwrap();
    let err = strategy.sender(owner).poke_at(T0 + INTERVAL - 1, owner).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::TooEarly(WeightStrategyTooEarly { nextPokeAt: U256::from(T0 + INTERVAL) })
    );
    assert_eq!(strategy.sender(owner).params().2, T0);
    strategy.sender(owner).poke_at(T0 + INTERVAL, owner).motsu_unwrap();
    assert_eq!(strategy.sender(owner).params().2, T0 + INTERVAL);
}

#[motsu::test]
fn poke_through_the_public_entry_uses_the_block_clock(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    setup_quarters(&strategy, &pool, &valuer, owner, [MIN_WEIGHT, QUARTER, QUARTER, QUARTER]);
    strategy.sender(owner).poke().motsu_unwrap();
    let last = strategy.sender(owner).params().2;
    assert!(last > 0);
    let entry = log(&pool, owner)[0];
    assert_eq!((entry.2, entry.3), (U256::from(last + 1), U256::from(last + 1 + DURATION)));
}

#[motsu::test]
fn poke_needs_bounds(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    strategy
        .sender(owner)
        .constructor(owner, pool.address(), valuer.address(), DURATION, INTERVAL)
        .unwrap();
    let err = strategy.sender(owner).poke_at(T0, owner).motsu_unwrap_err();
    assert_eq!(err, Error::BoundsNotSet(WeightStrategyBoundsNotSet {}));
    assert_eq!(strategy.sender(owner).params().2, 0);
}

#[motsu::test]
fn poke_skips_changes_below_the_min_rate(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    // A change of exactly min · duration is scheduled, one wei less is not.
    let min_rate = 1_000_000u128;
    let step = min_rate * u128::from(DURATION);
    setup_quarters(
        &strategy,
        &pool,
        &valuer,
        owner,
        [QUARTER + step, QUARTER + step - 1, QUARTER - step, QUARTER],
    );
    strategy.sender(owner).set_weight_per_second_bounds(w(min_rate), w(MAX_RATE)).motsu_unwrap();
    strategy.sender(owner).poke_at(T0, owner).motsu_unwrap();
    let [a, _, c, _] = tokens();
    let scheduled: Vec<Address> = log(&pool, owner).iter().map(|e| e.0).collect();
    assert_eq!(scheduled, vec![c, a]);
}

#[motsu::test]
fn poke_leaves_out_fading_tokens_but_counts_their_targets(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    setup_quarters(&strategy, &pool, &valuer, owner, [QUARTER; 4]);
    let [a, b, _, _] = tokens();
    strategy.sender(owner).fade_out_at(T0, a).motsu_unwrap();
    assert!(strategy.sender(owner).is_leaving(a));
    valuer.sender(owner).set_target(b, w(QUARTER + E18));
    strategy.sender(owner).poke_at(T0 + 10, owner).motsu_unwrap();
    // The fade-out and then only b: a was not valued (its target stays MIN_WEIGHT).
    let entries = log(&pool, owner);
    assert_eq!(entries.len(), 2);
    assert_eq!((entries[0].0, entries[0].1), (a, w(MIN_WEIGHT)));
    assert_eq!((entries[1].0, entries[1].1), (b, w(QUARTER + E18)));
    assert!(!strategy.emitted(&TargetWeight {
        token: a,
        target: w(QUARTER),
        currentWeight: w(QUARTER),
        scheduledWeight: w(QUARTER),
        scheduled: false,
    }));
}

#[motsu::test]
fn poke_rejects_schedules_whose_targets_would_exceed_the_total_cap(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    setup_strategy(&strategy, &pool, &valuer, owner);
    // `a` still carries a 40e18 target from before the hand-over; its own
    // change (24e18 → 23e18) is below the minimum, so it keeps that target,
    // while b and c each move down 2e18: 40 + 8 + 8 = 56e18 > 50e18.
    let [a, b, c, _] = tokens();
    pool.sender(owner).add(a, w(24 * E18), w(40 * E18));
    pool.sender(owner).add(b, w(10 * E18), w(10 * E18));
    pool.sender(owner).add(c, w(10 * E18), w(10 * E18));
    valuer.sender(owner).set_target(a, w(23 * E18));
    valuer.sender(owner).set_target(b, w(E18));
    valuer.sender(owner).set_target(c, w(E18));
    strategy.sender(owner).set_params(1, INTERVAL).motsu_unwrap();
    strategy.sender(owner).set_weight_per_second_bounds(w(3 * E18 / 2), w(2 * E18)).motsu_unwrap();
    let err = strategy.sender(owner).poke_at(T0, owner).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::TotalWeightExceeded(WeightStrategyTotalWeightExceeded {
            total: w(56 * E18),
            max: w(MAX_WEIGHT),
        })
    );
    assert!(log(&pool, owner).is_empty());
    assert_eq!(strategy.sender(owner).params().2, 0);
}

#[motsu::test]
fn poke_surfaces_valuer_reverts_and_bad_answers(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    setup_quarters(&strategy, &pool, &valuer, owner, [QUARTER; 4]);
    let extra = Address::repeat_byte(0xee);
    pool.sender(owner).add(extra, w(MIN_WEIGHT), w(MIN_WEIGHT));
    let err = strategy.sender(owner).poke_at(T0, owner).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::ValuerCallFailed(WeightStrategyValuerCallFailed {
            reason: FixedBytes(ValuerDoubleRejected::SELECTOR)
        })
    );
    // A target outside [MIN_WEIGHT, MAX_WEIGHT] is refused.
    valuer.sender(owner).set_target(extra, w(MIN_WEIGHT - 1));
    let err = strategy.sender(owner).poke_at(T0, owner).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::InvalidWeight(WeightStrategyInvalidWeight {
            token: extra,
            weight: w(MIN_WEIGHT - 1)
        })
    );
    // An answer shorter than the question is refused.
    valuer.sender(owner).set_target(extra, w(MIN_WEIGHT));
    valuer.sender(owner).set_short(true);
    let err = strategy.sender(owner).poke_at(T0, owner).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::ValuerCallFailed(WeightStrategyValuerCallFailed { reason: FixedBytes::ZERO })
    );
    assert!(log(&pool, owner).is_empty());
    assert_eq!(strategy.sender(owner).params().2, 0);
}

#[motsu::test]
fn poke_reports_a_pool_rejection(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    setup_quarters(&strategy, &pool, &valuer, owner, [MIN_WEIGHT, QUARTER, QUARTER, QUARTER]);
    pool.sender(owner).set_reject(true);
    let err = strategy.sender(owner).poke_at(T0, owner).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::PoolCallFailed(WeightStrategyPoolCallFailed {
            reason: FixedBytes(PoolDoubleRejected::SELECTOR)
        })
    );
    assert_eq!(strategy.sender(owner).params().2, 0);
}

#[motsu::test]
fn poke_at_the_end_of_time_overflows_cleanly(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    setup_quarters(&strategy, &pool, &valuer, owner, [MIN_WEIGHT, QUARTER, QUARTER, QUARTER]);
    let err = strategy.sender(owner).poke_at(u64::MAX - 1, owner).motsu_unwrap_err();
    assert_eq!(err, Error::Overflow(WeightStrategyOverflow {}));
    assert!(log(&pool, owner).is_empty());
}

// ------------------------------------------------------------------ pause

#[motsu::test]
fn pause_freezes_every_weight_and_blocks_poke(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    setup_quarters(&strategy, &pool, &valuer, owner, [QUARTER; 4]);
    strategy.sender(owner).set_weight_per_second_bounds(w(7), w(MAX_RATE)).motsu_unwrap();
    let [a, b, c, d] = tokens();
    // a is mid-schedule upward (current 5e18 → 6.25e18), b downward.
    pool.sender(owner).set_weight(a, w(5 * E18));
    pool.sender(owner).set_weight(b, w(7 * E18));
    strategy.sender(owner).pause_at(T0, owner).motsu_unwrap();
    let (from, to) = (U256::from(T0 + 1), U256::from(T0 + 2));
    // Lowered targets first (a, c, d: current ≤ pending), then b.
    assert_eq!(
        log(&pool, owner),
        vec![
            (a, w(5 * E18), from, to),
            (c, w(QUARTER), from, to),
            (d, w(QUARTER), from, to),
            (b, w(7 * E18), from, to),
        ]
    );
    // The minimum rate was lifted for the freeze and restored.
    assert_eq!(
        pool.sender(owner).bounds_log(),
        vec![
            U256::ZERO,
            w(MAX_RATE),
            w(7),
            w(MAX_RATE),
            U256::ZERO,
            w(MAX_RATE),
            w(7),
            w(MAX_RATE)
        ]
    );
    assert!(strategy.sender(owner).paused());
    strategy.assert_emitted(&PausedSet { caller: owner, paused: true });
    assert_eq!(
        strategy.sender(owner).poke_at(T0 + INTERVAL, owner).motsu_unwrap_err(),
        Error::Paused(WeightStrategyPaused {})
    );
    assert_eq!(
        strategy.sender(owner).pause_at(T0, owner).motsu_unwrap_err(),
        Error::Paused(WeightStrategyPaused {})
    );
    strategy.sender(owner).unpause().motsu_unwrap();
    strategy.assert_emitted(&PausedSet { caller: owner, paused: false });
    assert_eq!(
        strategy.sender(owner).unpause().motsu_unwrap_err(),
        Error::NotPaused(WeightStrategyNotPaused {})
    );
    strategy.sender(owner).poke_at(T0 + INTERVAL, owner).motsu_unwrap();
}

#[motsu::test]
fn pause_without_a_min_rate_skips_the_bounds_change(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    setup_quarters(&strategy, &pool, &valuer, owner, [QUARTER; 4]);
    strategy.sender(owner).pause().motsu_unwrap();
    assert_eq!(pool.sender(owner).bounds_log(), vec![U256::ZERO, w(MAX_RATE)]);
    assert_eq!(log(&pool, owner).len(), 4);
}

#[motsu::test]
fn pause_needs_bounds(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    strategy
        .sender(owner)
        .constructor(owner, pool.address(), valuer.address(), DURATION, INTERVAL)
        .unwrap();
    assert_eq!(
        strategy.sender(owner).pause_at(T0, owner).motsu_unwrap_err(),
        Error::BoundsNotSet(WeightStrategyBoundsNotSet {})
    );
    assert!(!strategy.sender(owner).paused());
}

// ------------------------------------------------------------------ tokens

#[motsu::test]
fn add_token_pulls_binds_at_min_weight_and_fades_in(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    token: Contract<MockErc20>,
    owner: Address,
) {
    setup_quarters(&strategy, &pool, &valuer, owner, [QUARTER; 4]);
    let amount = w(1_000 * E18);
    setup_token(&token, owner, amount);
    token.sender(owner).approve(strategy.address(), amount).unwrap();
    valuer.sender(owner).set_target(token.address(), w(MIN_WEIGHT));
    // 2e18 − 1e9 at 2893518518519/s takes ⌈691199.99…⌉ s, under 14 days: the fade lasts 14 days.
    strategy
        .sender(owner)
        .add_token_at(T0, owner, token.address(), amount, w(2 * E18))
        .motsu_unwrap();
    let (from, to) = (U256::from(T0 + 1), U256::from(T0 + 1 + DURATION));
    assert_eq!(log(&pool, owner), vec![(token.address(), w(2 * E18), from, to)]);
    assert_eq!(token.sender(owner).balance_of(pool.address()), amount);
    assert_eq!(token.sender(owner).balance_of(strategy.address()), U256::ZERO);
    assert_eq!(token.sender(owner).allowance(strategy.address(), pool.address()), U256::ZERO);
    strategy.assert_emitted(&TokenAdded {
        token: token.address(),
        balance: amount,
        targetWeight: w(2 * E18),
        fromTimestamp: from,
        targetTimestamp: to,
    });
}

#[motsu::test]
fn add_token_stretches_a_fade_that_would_be_too_fast(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    token: Contract<MockErc20>,
    owner: Address,
) {
    setup_quarters(&strategy, &pool, &valuer, owner, [QUARTER; 4]);
    setup_token(&token, owner, w(E18));
    token.sender(owner).approve(strategy.address(), w(E18)).unwrap();
    valuer.sender(owner).set_target(token.address(), w(MIN_WEIGHT));
    // 10e18 − 1e9 at the max rate needs ⌈9999999999000000000 / 2893518518519⌉ = 3456000 s.
    strategy.sender(owner).add_token(token.address(), w(E18), w(10 * E18)).motsu_unwrap();
    let entry = log(&pool, owner)[0];
    assert_eq!(entry.3 - entry.2, U256::from(3_456_000u64));
}

#[motsu::test]
fn add_token_validates_weight_configuration_and_fade(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    token: Contract<MockErc20>,
    owner: Address,
) {
    setup_quarters(&strategy, &pool, &valuer, owner, [QUARTER; 4]);
    setup_token(&token, owner, w(E18));
    token.sender(owner).approve(strategy.address(), w(E18)).unwrap();
    let t = token.address();
    for bad in [w(MIN_WEIGHT - 1), w(MAX_WEIGHT + 1), U256::MAX] {
        assert_eq!(
            strategy.sender(owner).add_token_at(T0, owner, t, w(E18), bad).motsu_unwrap_err(),
            Error::InvalidWeight(WeightStrategyInvalidWeight { token: t, weight: bad })
        );
    }
    assert_eq!(
        strategy.sender(owner).add_token_at(T0, owner, t, w(E18), w(E18)).motsu_unwrap_err(),
        Error::TokenNotConfigured(WeightStrategyTokenNotConfigured { token: t })
    );
    valuer.sender(owner).set_target(t, w(MIN_WEIGHT));
    // A minimum rate above the whole change leaves no valid fade.
    strategy.sender(owner).set_weight_per_second_bounds(w(E18), w(E18)).motsu_unwrap();
    assert_eq!(
        strategy.sender(owner).add_token_at(T0, owner, t, w(E18), w(E18)).motsu_unwrap_err(),
        Error::NoValidFade(WeightStrategyNoValidFade { token: t, delta: w(E18 - MIN_WEIGHT) })
    );
    assert!(log(&pool, owner).is_empty());
    assert_eq!(token.sender(owner).balance_of(owner), w(E18));
}

#[motsu::test]
fn add_token_without_allowance_fails_on_the_token(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    token: Contract<MockErc20>,
    owner: Address,
) {
    setup_quarters(&strategy, &pool, &valuer, owner, [QUARTER; 4]);
    setup_token(&token, owner, w(E18));
    valuer.sender(owner).set_target(token.address(), w(MIN_WEIGHT));
    let err = strategy
        .sender(owner)
        .add_token_at(T0, owner, token.address(), w(E18), w(E18))
        .motsu_unwrap_err();
    assert_eq!(
        err,
        Error::TokenCallFailed(WeightStrategyTokenCallFailed { token: token.address() })
    );
    assert_eq!(token.sender(owner).balance_of(owner), w(E18));
    assert!(log(&pool, owner).is_empty());
}

#[motsu::test]
fn fade_out_schedules_the_minimum_and_marks_the_token(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    setup_quarters(&strategy, &pool, &valuer, owner, [QUARTER; 4]);
    let a = tokens()[0];
    strategy.sender(owner).fade_out_token(a).motsu_unwrap();
    let entry = log(&pool, owner)[0];
    // 6.25e18 − 1e9 at the max rate: ⌈6249999999000000000 / 2893518518519⌉ = 2160000 s.
    assert_eq!((entry.0, entry.1), (a, w(MIN_WEIGHT)));
    assert_eq!(entry.3 - entry.2, U256::from(2_160_000u64));
    assert!(strategy.sender(owner).is_leaving(a));
    strategy.assert_emitted(&TokenFadingOut {
        token: a,
        fromWeight: w(QUARTER),
        targetTimestamp: entry.3,
    });
    // At the minimum but still scheduled up (added in this block): held at
    // the minimum with a zero-rate schedule.
    let b = tokens()[1];
    pool.sender(owner).set_weight(b, w(MIN_WEIGHT));
    strategy.sender(owner).fade_out_at(T0, b).motsu_unwrap();
    assert_eq!(log(&pool, owner)[1], (b, w(MIN_WEIGHT), U256::from(T0 + 1), U256::from(T0 + 2)));
    // At the minimum with nothing scheduled: nothing to do.
    let c = Address::repeat_byte(0xc5);
    pool.sender(owner).add(c, w(MIN_WEIGHT), w(MIN_WEIGHT));
    strategy.sender(owner).fade_out_at(T0, c).motsu_unwrap();
    assert_eq!(log(&pool, owner).len(), 2);
    strategy.assert_emitted(&TokenFadingOut {
        token: b,
        fromWeight: w(MIN_WEIGHT),
        targetTimestamp: U256::from(T0),
    });
}

#[motsu::test]
fn fade_out_needs_bounds_and_a_valid_fade(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    strategy
        .sender(owner)
        .constructor(owner, pool.address(), valuer.address(), DURATION, INTERVAL)
        .unwrap();
    let a = tokens()[0];
    pool.sender(owner).add(a, w(QUARTER), w(QUARTER));
    assert_eq!(
        strategy.sender(owner).fade_out_at(T0, a).motsu_unwrap_err(),
        Error::BoundsNotSet(WeightStrategyBoundsNotSet {})
    );
    strategy.sender(owner).set_weight_per_second_bounds(w(7 * E18), w(7 * E18)).motsu_unwrap();
    assert_eq!(
        strategy.sender(owner).fade_out_at(T0, a).motsu_unwrap_err(),
        Error::NoValidFade(WeightStrategyNoValidFade { token: a, delta: w(QUARTER - MIN_WEIGHT) })
    );
    assert!(!strategy.sender(owner).is_leaving(a));
}

#[motsu::test]
fn remove_token_unbinds_and_pays_the_receiver(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    token: Contract<MockErc20>,
    owner: Address,
    treasury: Address,
) {
    setup_quarters(&strategy, &pool, &valuer, owner, [QUARTER; 4]);
    setup_token(&token, owner, w(E18));
    token.sender(owner).approve(strategy.address(), w(E18)).unwrap();
    valuer.sender(owner).set_target(token.address(), w(MIN_WEIGHT));
    strategy.sender(owner).add_token_at(T0, owner, token.address(), w(E18), w(E18)).motsu_unwrap();
    strategy.sender(owner).fade_out_at(T0 + 10, token.address()).motsu_unwrap();
    assert!(strategy.sender(owner).is_leaving(token.address()));
    assert_eq!(
        strategy.sender(owner).remove_token(token.address(), Address::ZERO).motsu_unwrap_err(),
        Error::ZeroAddress(WeightStrategyZeroAddress {})
    );
    strategy.sender(owner).remove_token(token.address(), treasury).motsu_unwrap();
    assert_eq!(token.sender(owner).balance_of(treasury), w(E18));
    assert_eq!(token.sender(owner).balance_of(strategy.address()), U256::ZERO);
    assert!(!strategy.sender(owner).is_leaving(token.address()));
    strategy.assert_emitted(&TokenRemoved {
        token: token.address(),
        receiver: treasury,
        amount: w(E18),
    });
}

#[motsu::test]
fn remove_token_before_the_minimum_surfaces_the_pool_error(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    token: Contract<MockErc20>,
    owner: Address,
) {
    setup_quarters(&strategy, &pool, &valuer, owner, [QUARTER; 4]);
    setup_token(&token, owner, w(E18));
    token.sender(owner).approve(strategy.address(), w(E18)).unwrap();
    valuer.sender(owner).set_target(token.address(), w(MIN_WEIGHT));
    strategy.sender(owner).add_token_at(T0, owner, token.address(), w(E18), w(E18)).motsu_unwrap();
    pool.sender(owner).set_weight(token.address(), w(E18));
    let err = strategy.sender(owner).remove_token(token.address(), owner).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::PoolCallFailed(WeightStrategyPoolCallFailed {
            reason: FixedBytes(PoolDoubleRejected::SELECTOR)
        })
    );
    assert_eq!(token.sender(owner).balance_of(pool.address()), w(E18));
}

#[motsu::test]
fn remove_token_of_a_token_without_code_fails_on_the_token(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    setup_strategy(&strategy, &pool, &valuer, owner);
    let ghost = Address::repeat_byte(0x77);
    assert_eq!(
        strategy.sender(owner).remove_token(ghost, owner).motsu_unwrap_err(),
        Error::TokenCallFailed(WeightStrategyTokenCallFailed { token: ghost })
    );
}

#[motsu::test]
fn replace_token_fades_the_old_one_out_and_the_new_one_in(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    token: Contract<MockErc20>,
    owner: Address,
) {
    setup_quarters(&strategy, &pool, &valuer, owner, [QUARTER; 4]);
    setup_token(&token, owner, w(E18));
    token.sender(owner).approve(strategy.address(), w(E18)).unwrap();
    valuer.sender(owner).set_target(token.address(), w(MIN_WEIGHT));
    let old = tokens()[3];
    strategy.sender(owner).replace_token(old, token.address(), w(E18), w(QUARTER)).motsu_unwrap();
    let entries = log(&pool, owner);
    assert_eq!((entries[0].0, entries[0].1), (old, w(MIN_WEIGHT)));
    assert_eq!((entries[1].0, entries[1].1), (token.address(), w(QUARTER)));
    assert!(strategy.sender(owner).is_leaving(old));
    assert!(!strategy.sender(owner).is_leaving(token.address()));
}

// ------------------------------------------------------------------ admin forwarding

#[motsu::test]
fn call_pool_forwards_allowed_admin_calls(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    setup_strategy(&strategy, &pool, &valuer, owner);
    let data = pool_admin::setSwapFeeCall { swapFee: w(3_000_000_000_000_000) }.abi_encode();
    strategy.sender(owner).call_pool(data.into()).motsu_unwrap();
    assert_eq!(pool.sender(owner).swap_fee(), w(3_000_000_000_000_000));
    pool.sender(owner).set_reject(true);
    let data = pool_admin::setSwapFeeCall { swapFee: w(1) }.abi_encode();
    assert_eq!(
        strategy.sender(owner).call_pool(data.into()).motsu_unwrap_err(),
        Error::PoolCallFailed(WeightStrategyPoolCallFailed {
            reason: FixedBytes(PoolDoubleRejected::SELECTOR)
        })
    );
    assert_eq!(pool.sender(owner).swap_fee(), w(3_000_000_000_000_000));
}

#[motsu::test]
fn call_pool_forwards_a_voting_call(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    setup_strategy(&strategy, &pool, &valuer, owner);
    let data = pool_admin::callVotingCall {
        target: owner,
        selector: FixedBytes([1, 2, 3, 4]),
        args: vec![5u8].into(),
        value: w(0),
    }
    .abi_encode();
    strategy.sender(owner).call_pool(data.into()).motsu_unwrap();
    assert_eq!(pool.sender(owner).voting_target(), owner);
}

#[motsu::test]
fn call_pool_refuses_what_the_strategy_manages_itself(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    setup_strategy(&strategy, &pool, &valuer, owner);
    alloy_sol_types::sol! {
        function setDynamicWeight(address token, uint256 targetWeight, uint256 fromTimestamp, uint256 targetTimestamp) external;
        function unbind(address token) external;
    }
    let schedule = setDynamicWeightCall {
        token: owner,
        targetWeight: w(1),
        fromTimestamp: w(1),
        targetTimestamp: w(2),
    }
    .abi_encode();
    let unbind = unbindCall { token: owner }.abi_encode();
    for (data, selector) in [
        (schedule, FixedBytes(setDynamicWeightCall::SELECTOR)),
        (unbind, FixedBytes(unbindCall::SELECTOR)),
        (vec![0xab, 0xcd], FixedBytes::ZERO),
    ] {
        assert_eq!(
            strategy.sender(owner).call_pool(data.into()).motsu_unwrap_err(),
            Error::CallNotAllowed(WeightStrategyCallNotAllowed { selector })
        );
    }
    assert!(log(&pool, owner).is_empty());
}

#[test]
fn forwarded_selectors_are_the_spec_signatures() {
    use alloy_primitives::keccak256;
    let expected: Vec<[u8; 4]> = [
        "setSwapFee(uint256)",
        "setCommunityFeesAndReceiver(uint256,uint256,uint256,address)",
        "setSwapsDisabled(bool)",
        "setWithoutFee(address,bool)",
        "setVotingAllowed(address,bytes4,bool)",
        "callVoting(address,bytes4,bytes,uint256)",
        "setController(address)",
    ]
    .iter()
    .map(|s| keccak256(s.as_bytes())[..4].try_into().unwrap())
    .collect();
    assert_eq!(FORWARDED_SELECTORS.to_vec(), expected);
}

// ------------------------------------------------------------------ pure helpers

#[test]
fn clamp_weight_moves_at_most_the_max_change_each_way() {
    let d = 3_500_000_000_000_582_400u128;
    assert_eq!(clamp_weight(QUARTER, MIN_WEIGHT, d), 2_749_999_999_999_417_600);
    assert_eq!(clamp_weight(QUARTER, 25 * E18, d), 9_750_000_000_000_582_400);
    assert_eq!(clamp_weight(QUARTER, QUARTER + 1, d), QUARTER + 1);
    assert_eq!(clamp_weight(QUARTER, QUARTER - 1, d), QUARTER - 1);
    assert_eq!(clamp_weight(1, 0, u128::MAX), 0);
    assert_eq!(clamp_weight(u128::MAX - 1, u128::MAX, u128::MAX), u128::MAX);
    assert_eq!(MAX_RATE * u128::from(DURATION), d);
}

#[test]
fn fade_length_fits_the_rate_bounds() {
    // Within bounds at the default duration.
    assert_eq!(fade_length(E18, 100, 0, E18), Some(100));
    // Raised to ⌈delta / max⌉.
    assert_eq!(fade_length(1_000, 1, 0, 3), Some(334));
    // Lowered to ⌊delta / min⌋.
    assert_eq!(fade_length(1_000, 500, 3, 1_000), Some(333));
    // Empty: min above delta, or ⌈delta/max⌉ > ⌊delta/min⌋.
    assert_eq!(fade_length(10, 5, 11, 20), None);
    assert_eq!(fade_length(10, 5, 4, 4), None);
    // Zero change with a zero minimum keeps the duration; zero max is refused.
    assert_eq!(fade_length(0, 9, 0, 1), Some(9));
    assert_eq!(fade_length(5, 9, 0, 0), None);
    // Longer than u64 seconds is refused.
    assert_eq!(fade_length(u128::MAX, 1, 0, 1), None);
}

#[test]
fn constants_match_the_spec() {
    assert_eq!(MIN_WEIGHT, 1_000_000_000);
    assert_eq!(MAX_WEIGHT, 50 * E18);
    assert_eq!(uint!(50_000_000_000_000_000_000_U256), w(MAX_WEIGHT));
}

// ------------------------------------------------------------------ hand-encoded calls

#[test]
fn call_selectors_are_the_spec_signatures() {
    use alloy_primitives::keccak256;
    let sel = |s: &str| -> [u8; 4] { keccak256(s.as_bytes())[..4].try_into().unwrap() };
    assert_eq!(crate::calls::GET_CURRENT_TOKENS, sel("getCurrentTokens()"));
    assert_eq!(crate::calls::GET_DENORMALIZED_WEIGHT, sel("getDenormalizedWeight(address)"));
    assert_eq!(crate::calls::GET_DYNAMIC_WEIGHT_SETTINGS, sel("getDynamicWeightSettings(address)"));
    assert_eq!(
        crate::calls::SET_DYNAMIC_WEIGHT,
        sel("setDynamicWeight(address,uint256,uint256,uint256)")
    );
    assert_eq!(
        crate::calls::SET_WEIGHT_PER_SECOND_BOUNDS,
        sel("setWeightPerSecondBounds(uint256,uint256)")
    );
    assert_eq!(crate::calls::BIND, sel("bind(address,uint256,uint256,uint256,uint256)"));
    assert_eq!(crate::calls::UNBIND, sel("unbind(address)"));
    assert_eq!(crate::calls::GET_TARGETS, sel("getTargets(address[])"));
    assert_eq!(crate::calls::IS_CONFIGURED, sel("isConfigured(address)"));
}

#[test]
fn hand_encoding_matches_alloy() {
    let token = Address::repeat_byte(0x42);
    let ours = strata_common::abi::encode(
        &crate::calls::SET_DYNAMIC_WEIGHT,
        &[strata_common::abi::Word::word(token), w(5), w(6), w(7)],
    );
    let alloys = crate::calls::sigs::setDynamicWeightCall {
        token,
        targetWeight: w(5),
        fromTimestamp: w(6),
        targetTimestamp: w(7),
    }
    .abi_encode();
    assert_eq!(ours, alloys);
    let list = [token, Address::repeat_byte(0x43)];
    assert_eq!(
        crate::calls::encode_array(crate::calls::GET_TARGETS, &list),
        crate::calls::sigs::getTargetsCall { tokens: list.to_vec() }.abi_encode()
    );
}

#[motsu::test]
fn a_pool_answering_garbage_is_refused(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    setup_quarters(&strategy, &pool, &valuer, owner, [QUARTER; 4]);
    // A token whose weight does not fit a u128 is garbage from a pool.
    let odd = Address::repeat_byte(0xdd);
    pool.sender(owner).add(odd, U256::MAX, U256::MAX);
    valuer.sender(owner).set_target(odd, w(QUARTER));
    let err = strategy.sender(owner).poke_at(T0, owner).motsu_unwrap_err();
    assert_eq!(err, Error::Overflow(WeightStrategyOverflow {}));
    assert!(log(&pool, owner).is_empty());
}

// ------------------------------------------------------------------ reentrancy

/// A token that is also the strategy's owner and, inside `transferFrom`,
/// calls `addToken` again; it records what the nested call reverted with.
#[storage]
struct ReentrantToken {
    strategy: StorageAddress,
    seen: StorageU256,
    balances: StorageMap<Address, StorageU256>,
}
unsafe impl TopLevelStorage for ReentrantToken {}

#[public]
impl ReentrantToken {
    fn attack(&mut self, strategy: Address) -> Result<(), Vec<u8>> {
        self.strategy.set(strategy);
        let this = stylus_sdk::contract::address();
        let data = IAdd::addTokenCall {
            token: this,
            balance: U256::from(1),
            targetWeight: U256::from(E18),
        }
        .abi_encode();
        unsafe { stylus_sdk::call::RawCall::new().flush_storage_cache().call(strategy, &data) }
            .map(|_| ())
    }
    fn transfer_from(&mut self, _from: Address, to: Address, value: U256) -> bool {
        // Credits the receiver (the sender's balance is not modelled).
        let credited = self.balances.get(to) + value;
        self.balances.setter(to).set(credited);
        let this = stylus_sdk::contract::address();
        let data = IAdd::addTokenCall {
            token: this,
            balance: U256::from(1),
            targetWeight: U256::from(E18),
        }
        .abi_encode();
        let result = unsafe { stylus_sdk::call::RawCall::new().call(self.strategy.get(), &data) };
        let revert = result.err().unwrap_or_default();
        self.seen.set(U256::from_be_slice(revert.get(..4).unwrap_or_default()));
        true
    }
    fn balance_of(&self, account: Address) -> U256 {
        self.balances.get(account)
    }
    fn approve(&mut self, _spender: Address, _value: U256) -> bool {
        true
    }
    fn seen(&self) -> U256 {
        self.seen.get()
    }
}

mod i_add {
    alloy_sol_types::sol! {
        function addToken(address token, uint256 balance, uint256 targetWeight) external;
    }
}
use i_add as IAdd;

#[motsu::test]
fn add_token_cannot_be_reentered(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    evil: Contract<ReentrantToken>,
    deployer: Address,
) {
    strategy
        .sender(deployer)
        .constructor(evil.address(), pool.address(), valuer.address(), DURATION, INTERVAL)
        .unwrap();
    strategy.sender(evil.address()).set_weight_per_second_bounds(U256::ZERO, w(MAX_RATE)).unwrap();
    valuer.sender(deployer).set_target(evil.address(), w(MIN_WEIGHT));
    // The outer call completes; the nested call inside `transferFrom` hit the lock.
    evil.sender(deployer).attack(strategy.address()).motsu_unwrap();
    assert_eq!(evil.sender(deployer).seen(), U256::from_be_slice(&ReentrantCall::SELECTOR));
}

#[motsu::test]
fn pause_leaves_fading_tokens_fading(
    strategy: Contract<WeightStrategy>,
    pool: Contract<PoolDouble>,
    valuer: Contract<ValuerDouble>,
    owner: Address,
) {
    setup_quarters(&strategy, &pool, &valuer, owner, [QUARTER; 4]);
    let [a, b, c, d] = tokens();
    strategy.sender(owner).fade_out_at(T0, a).motsu_unwrap();
    strategy.sender(owner).pause_at(T0, owner).motsu_unwrap();
    let entries = log(&pool, owner);
    // The fade-out, then freezes of b, c and d only: a still heads to the minimum.
    assert_eq!(entries.len(), 4);
    assert_eq!((entries[0].0, entries[0].1), (a, w(MIN_WEIGHT)));
    let frozen: Vec<Address> = entries[1..].iter().map(|e| e.0).collect();
    assert_eq!(frozen, vec![b, c, d]);
}
