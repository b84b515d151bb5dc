//! `power-oracle` → `weight-valuer` → `weight-strategy` wired together,
//! against a pool double that enforces the spec's `setDynamicWeight` rules
//! (exact per-second rate bounds, `Σ targets ≤ MAX_TOTAL_WEIGHT`, `from ≥
//! now`) and records every schedule: the README's worked example, TWAP-only
//! valuation, and stale-price and rate-bound regressions.
// Test code: indexing, unwraps and arithmetic on small test values are fine here.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unused_self,
    deprecated,
    missing_docs
)]

extern crate alloc;

use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::SolError;
use mock_erc20::MockErc20;
use motsu::prelude::*;
use power_oracle::PowerOracle;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageMap, StorageU256, StorageVec},
};
use weight_strategy::{
    Error, WeightStrategy, WeightStrategyPoolCallFailed, WeightStrategyValuerCallFailed, MAX_WEIGHT,
};
use weight_valuer::{WeightValuer, WeightValuerOracleCallFailed, KIND_MCAP};

const E18: u128 = 1_000_000_000_000_000_000;
/// motsu's fixed block timestamp (the oracle's `now` for the valuer's reads).
const NOW: u64 = 1_735_689_600;
const QUARTER: u128 = 6_250_000_000_000_000_000;
const MAX_RATE: u128 = 2_893_518_518_519;
const DURATION: u64 = 1_209_600;
const DAY: u64 = 86_400;

fn w(x: u128) -> U256 {
    U256::from(x)
}

alloy_sol_types::sol! {
    #[derive(Debug)]
    error PoolRuleBroken(uint8 rule);
}

fn broken(rule: u8) -> Vec<u8> {
    PoolRuleBroken { rule }.abi_encode()
}

/// Pool double: weights are fixed by the test (no time passes inside a
/// test), schedules are checked like the spec's pool and recorded.
#[storage]
struct SpecPool {
    tokens: StorageVec<StorageAddress>,
    weights: StorageMap<Address, StorageU256>,
    targets: StorageMap<Address, StorageU256>,
    min_rate: StorageU256,
    max_rate: StorageU256,
    log: StorageVec<StorageU256>,
}
unsafe impl TopLevelStorage for SpecPool {}

#[public]
impl SpecPool {
    fn add(&mut self, token: Address, weight: U256) {
        self.tokens.push(token);
        self.weights.setter(token).set(weight);
        self.targets.setter(token).set(weight);
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
    fn set_weight_per_second_bounds(&mut self, min: U256, max: U256) {
        self.min_rate.set(min);
        self.max_rate.set(max);
    }
    fn set_dynamic_weight(
        &mut self,
        token: Address,
        target: U256,
        from: U256,
        to: U256,
    ) -> Result<(), Vec<u8>> {
        if from < U256::from(NOW) || to <= from {
            return Err(broken(1));
        }
        let delta = target.abs_diff(self.weights.get(token));
        let duration = to - from;
        if delta < self.min_rate.get() * duration || delta > self.max_rate.get() * duration {
            return Err(broken(2));
        }
        let mut total = target;
        for i in 0..self.tokens.len() {
            let other = self.tokens.get(i).unwrap();
            if other != token {
                total += self.targets.get(other);
            }
        }
        if total > U256::from(MAX_WEIGHT) {
            return Err(broken(3));
        }
        self.targets.setter(token).set(target);
        for word in [U256::from_be_slice(token.as_slice()), target, from, to] {
            self.log.push(word);
        }
        Ok(())
    }
    fn schedules(&self) -> Vec<U256> {
        (0..self.log.len()).map(|i| self.log.get(i).unwrap()).collect()
    }
}

struct Index {
    owner: Address,
    tokens: Vec<Address>,
}

/// Oracle (1-hour TWAPs of prices reported 2 hours ago), MCAP valuer, spec
/// pool with the four tokens at 6.25e18, and the strategy as its controller.
fn setup_index(
    oracle: &Contract<PowerOracle>,
    valuer: &Contract<WeightValuer>,
    pool: &Contract<SpecPool>,
    strategy: &Contract<WeightStrategy>,
    tokens: [&Contract<MockErc20>; 4],
    prices: [u128; 4],
    supplies: [u128; 4],
) -> Index {
    let owner = Address::repeat_byte(0x0f);
    oracle.sender(owner).constructor(owner, 300, w(E18 / 10), 3 * 3_600, DAY).unwrap();
    oracle.sender(owner).set_reporter(owner, true).unwrap();
    valuer.sender(owner).constructor(owner, oracle.address(), KIND_MCAP, 3_600).unwrap();
    let mut addresses = Vec::new();
    for ((token, price), supply) in tokens.into_iter().zip(prices).zip(supplies) {
        token.sender(owner).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
        token.sender(owner).mint(owner, w(supply)).unwrap();
        valuer.sender(owner).set_mcap_source(token.address(), false, vec![]).unwrap();
        oracle
            .sender(owner)
            .report_prices_at(NOW - 7_200, owner, &[token.address()], &[w(price)])
            .unwrap();
        pool.sender(owner).add(token.address(), w(QUARTER));
        addresses.push(token.address());
    }
    strategy
        .sender(owner)
        .constructor(owner, pool.address(), valuer.address(), DURATION, DAY)
        .unwrap();
    strategy.sender(owner).set_weight_per_second_bounds(U256::ZERO, w(MAX_RATE)).unwrap();
    Index { owner, tokens: addresses }
}

/// `(token, target, from, to)` of each recorded schedule.
fn schedules(pool: &Contract<SpecPool>, owner: Address) -> Vec<(Address, U256, U256, U256)> {
    let words = pool.sender(owner).schedules();
    words
        .chunks(4)
        .map(|c| (Address::from_word(FixedBytes(c[0].to_be_bytes::<32>())), c[1], c[2], c[3]))
        .collect()
}

/// The README's worked example: A $100 × 800k, B $2 × 60M, C $0.50 × 80M,
/// D $16 × 10M → targets 5, 7.5, 2.5, 10 (e18); C and D clamped.
#[motsu::test]
fn the_readme_worked_example_schedules_exactly_these_weights(
    oracle: Contract<PowerOracle>,
    valuer: Contract<WeightValuer>,
    pool: Contract<SpecPool>,
    strategy: Contract<WeightStrategy>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    c: Contract<MockErc20>,
    d: Contract<MockErc20>,
) {
    let index = setup_index(
        &oracle,
        &valuer,
        &pool,
        &strategy,
        [&a, &b, &c, &d],
        [100 * E18, 2 * E18, E18 / 2, 16 * E18],
        [800_000 * E18, 60_000_000 * E18, 80_000_000 * E18, 10_000_000 * E18],
    );
    let owner = index.owner;
    assert_eq!(
        valuer.sender(owner).get_values(index.tokens.clone()).unwrap(),
        vec![w(80_000_000 * E18), w(120_000_000 * E18), w(40_000_000 * E18), w(160_000_000 * E18)]
    );
    assert_eq!(
        valuer.sender(owner).get_targets(index.tokens.clone()).unwrap(),
        vec![w(5 * E18), w(7_500_000_000_000_000_000), w(2_500_000_000_000_000_000), w(10 * E18)]
    );
    strategy.sender(owner).poke_at(NOW, owner).unwrap();
    let (from, to) = (U256::from(NOW + 1), U256::from(NOW + 1 + DURATION));
    let [ta, tb, tc, td] = [index.tokens[0], index.tokens[1], index.tokens[2], index.tokens[3]];
    assert_eq!(
        schedules(&pool, owner),
        vec![
            (ta, w(5 * E18), from, to),
            (tc, w(2_749_999_999_999_417_600), from, to),
            (tb, w(7_500_000_000_000_000_000), from, to),
            (td, w(9_750_000_000_000_582_400), from, to),
        ]
    );
    let sum = schedules(&pool, owner).iter().fold(U256::ZERO, |s, e| s + e.1);
    assert_eq!(sum, w(25 * E18));
}

/// Spot price moves within the current block do not reach the targets: a
/// confirmed crash of C posted in the poke's own block leaves the 1-hour
/// TWAP (and so the schedule) unchanged, to the wei.
#[motsu::test]
fn a_price_posted_in_the_poke_block_does_not_move_targets(
    oracle: Contract<PowerOracle>,
    valuer: Contract<WeightValuer>,
    pool: Contract<SpecPool>,
    strategy: Contract<WeightStrategy>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    c: Contract<MockErc20>,
    d: Contract<MockErc20>,
) {
    let index = setup_index(
        &oracle,
        &valuer,
        &pool,
        &strategy,
        [&a, &b, &c, &d],
        [E18, E18, E18, E18],
        [E18, E18, E18, 3 * E18],
    );
    let owner = index.owner;
    let before = valuer.sender(owner).get_targets(index.tokens.clone()).unwrap();
    // The owner (or a compromised confirm path) posts C at 1% of its price at `NOW`.
    oracle
        .sender(owner)
        .confirm_prices_at(NOW, owner, &[index.tokens[2]], &[w(E18 / 100)])
        .unwrap();
    assert_eq!(oracle.sender(owner).get_price(index.tokens[2]).unwrap(), w(E18 / 100));
    assert_eq!(valuer.sender(owner).get_targets(index.tokens.clone()).unwrap(), before);
    strategy.sender(owner).poke_at(NOW, owner).unwrap();
    // 1:1:1:3 → 4.1666…e18 ×3 and 12.5e18; D is clamped to 9.75e18.
    let entries = schedules(&pool, owner);
    assert_eq!(entries[0].1, w(4_166_666_666_666_666_666));
    assert_eq!(
        entries[3],
        (
            index.tokens[3],
            w(9_750_000_000_000_582_400),
            U256::from(NOW + 1),
            U256::from(NOW + 1 + DURATION)
        )
    );
}

/// A stale price stops the poke with the valuer's error; nothing is scheduled.
#[motsu::test]
fn a_stale_price_makes_poke_revert_without_scheduling(
    oracle: Contract<PowerOracle>,
    valuer: Contract<WeightValuer>,
    pool: Contract<SpecPool>,
    strategy: Contract<WeightStrategy>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    c: Contract<MockErc20>,
    d: Contract<MockErc20>,
) {
    let index =
        setup_index(&oracle, &valuer, &pool, &strategy, [&a, &b, &c, &d], [E18; 4], [E18; 4]);
    let owner = index.owner;
    // Tighten maxAge below the reports' age (2 hours).
    oracle.sender(owner).set_config(300, w(E18 / 10), 3_600, DAY).unwrap();
    let err = strategy.sender(owner).poke_at(NOW, owner).unwrap_err();
    assert_eq!(
        err,
        Error::ValuerCallFailed(WeightStrategyValuerCallFailed {
            reason: FixedBytes(WeightValuerOracleCallFailed::SELECTOR)
        })
    );
    assert!(schedules(&pool, owner).is_empty());
    assert_eq!(strategy.sender(owner).params().2, 0);
}

/// A strategy whose bound copy is looser than the pool's is refused by the
/// pool with its own error; the strategy reports the pool's selector.
#[motsu::test]
fn the_pool_rejects_a_schedule_outside_its_rate_bounds(
    oracle: Contract<PowerOracle>,
    valuer: Contract<WeightValuer>,
    pool: Contract<SpecPool>,
    strategy: Contract<WeightStrategy>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    c: Contract<MockErc20>,
    d: Contract<MockErc20>,
) {
    let index = setup_index(
        &oracle,
        &valuer,
        &pool,
        &strategy,
        [&a, &b, &c, &d],
        [E18; 4],
        [E18, E18, E18, 5 * E18],
    );
    let owner = index.owner;
    // Someone with the pool's controller role lowers its max rate behind the strategy's back.
    pool.sender(owner).set_weight_per_second_bounds(U256::ZERO, w(MAX_RATE / 2));
    let err = strategy.sender(owner).poke_at(NOW, owner).unwrap_err();
    assert_eq!(
        err,
        Error::PoolCallFailed(WeightStrategyPoolCallFailed {
            reason: FixedBytes(PoolRuleBroken::SELECTOR)
        })
    );
    // Re-syncing the bounds through the strategy fixes it.
    strategy.sender(owner).set_weight_per_second_bounds(U256::ZERO, w(MAX_RATE / 2)).unwrap();
    strategy.sender(owner).poke_at(NOW, owner).unwrap();
    let entries = schedules(&pool, owner);
    let max_change = w(MAX_RATE / 2) * U256::from(DURATION);
    assert!(
        entries.iter().all(|e| e.1.abs_diff(w(QUARTER)) <= max_change),
        "a schedule beyond the max rate"
    );
}
