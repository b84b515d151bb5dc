//! `weight-strategy` against the real `index-pool` (with `power-oracle` and
//! `weight-valuer`): the reference clamp, the in-block
//! manipulate → poke → join → exit attack, token fade-in/fade-out/unbind,
//! pause and admin forwarding.
//!
//! motsu's clock is fixed at `T0`: the pool is set up through its
//! `*_at(now, ..)` methods so that its weights are already at 6.25e18 at
//! `T0`, and every public call (the strategy's calls into the pool included)
//! happens at `T0`.
// Test code: indexing, unwraps and arithmetic on small test values are fine here.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::too_many_arguments,
    missing_docs
)]

use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::{SolCall, SolError};
use index_pool::{IndexPool, IndexPoolInvalidFee, IndexPoolWeightNotMin};
use mock_erc20::MockErc20;
use motsu::prelude::*;
use power_oracle::PowerOracle;
use weight_strategy::{
    Error, WeightStrategy, WeightStrategyCallNotAllowed, WeightStrategyPaused,
    WeightStrategyPoolCallFailed,
};
use weight_valuer::{WeightValuer, KIND_MCAP};
use weighted_math::WeightedMath;

const T0: u64 = 1_735_689_600;
const E18: u128 = 1_000_000_000_000_000_000;
const QUARTER: u128 = 6_250_000_000_000_000_000;
const MIN_WEIGHT: u128 = 1_000_000_000;
const MAX_RATE: u128 = 2_893_518_518_519;
const DURATION: u64 = 1_209_600;
/// Pool balance of each token.
const BALANCE: u128 = 1_000 * E18;

fn w(x: u128) -> U256 {
    U256::from(x)
}

mod pool_admin {
    alloy_sol_types::sol! {
        function setSwapFee(uint256 swapFee) external;
        function setDynamicWeight(address token, uint256 targetWeight, uint256 fromTimestamp, uint256 targetTimestamp) external;
    }
}

struct Index {
    owner: Address,
    tokens: Vec<Address>,
    /// TWAP prices of the tokens.
    prices: Vec<u128>,
}

/// The README example on the real pool: tokens A..D at 6.25e18 each with
/// 1,000 of each in the pool; prices $100, $2, $0.50, $16; supplies
/// 800k, 60M, 80M, 10M → targets 5, 7.5, 2.5, 10 (e18). The strategy is the
/// pool's controller with bounds (0, 2893518518519).
fn setup_index(
    oracle: &Contract<PowerOracle>,
    valuer: &Contract<WeightValuer>,
    pool: &Contract<IndexPool>,
    math: &Contract<WeightedMath>,
    strategy: &Contract<WeightStrategy>,
    tokens: [&Contract<MockErc20>; 4],
) -> Index {
    let owner = Address::repeat_byte(0x0f);
    let prices = vec![100 * E18, 2 * E18, E18 / 2, 16 * E18];
    let supplies = [800_000 * E18, 60_000_000 * E18, 80_000_000 * E18, 10_000_000 * E18];
    oracle.sender(owner).constructor(owner, 300, w(E18 / 10), 3 * 3_600, 86_400).unwrap();
    oracle.sender(owner).set_reporter(owner, true).unwrap();
    valuer.sender(owner).constructor(owner, oracle.address(), KIND_MCAP, 3_600).unwrap();
    pool.sender(owner)
        .constructor(
            FixedBytes::ZERO,
            FixedBytes::ZERO,
            owner,
            U256::ZERO,
            w(100 * E18),
            Address::with_last_byte(0xA1),
            Address::with_last_byte(0xA2),
            Address::with_last_byte(0xA3),
            math.address(),
        )
        .unwrap();
    let mut addresses = Vec::new();
    for ((token, &price), supply) in tokens.into_iter().zip(&prices).zip(supplies) {
        token.sender(owner).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
        token.sender(owner).mint(owner, w(supply)).unwrap();
        token.sender(owner).approve(pool.address(), U256::MAX).unwrap();
        // Bound 100 s ago, at 6.25e18 since 99 s ago.
        pool.sender(owner)
            .bind_at(
                T0 - 100,
                token.address(),
                w(BALANCE),
                w(QUARTER),
                U256::from(T0 - 100),
                U256::from(T0 - 99),
            )
            .unwrap();
        valuer.sender(owner).set_mcap_source(token.address(), false, vec![]).unwrap();
        oracle
            .sender(owner)
            .report_prices_at(T0 - 7_200, owner, &[token.address()], &[w(price)])
            .unwrap();
        addresses.push(token.address());
    }
    pool.sender(owner).finalize().unwrap();
    strategy
        .sender(owner)
        .constructor(owner, pool.address(), valuer.address(), DURATION, 86_400)
        .unwrap();
    pool.sender(owner).set_controller(strategy.address()).unwrap();
    strategy.sender(owner).set_weight_per_second_bounds(U256::ZERO, w(MAX_RATE)).unwrap();
    Index { owner, tokens: addresses, prices }
}

/// Value of `holder`'s tokens at the oracle prices (USD, 18 decimals).
fn value_of(tokens: [&Contract<MockErc20>; 4], prices: &[u128], holder: Address) -> U256 {
    tokens
        .iter()
        .zip(prices)
        .map(|(t, &p)| t.sender(holder).balance_of(holder) * w(p) / w(E18))
        .fold(U256::ZERO, |s, v| s + v)
}

#[motsu::test]
fn poke_on_the_real_pool_schedules_the_reference_clamps(
    oracle: Contract<PowerOracle>,
    valuer: Contract<WeightValuer>,
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    strategy: Contract<WeightStrategy>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    c: Contract<MockErc20>,
    d: Contract<MockErc20>,
    keeper: Address,
) {
    let index = setup_index(&oracle, &valuer, &pool, &math, &strategy, [&a, &b, &c, &d]);
    assert_eq!(pool.sender(keeper).weight_per_second_bounds(), (U256::ZERO, w(MAX_RATE)));
    strategy.sender(keeper).poke().unwrap();
    let (from, to) = (U256::from(T0 + 1), U256::from(T0 + 1 + DURATION));
    let expected =
        [5 * E18, 7_500_000_000_000_000_000, 2_749_999_999_999_417_600, 9_750_000_000_000_582_400];
    for (&token, target) in index.tokens.iter().zip(expected) {
        assert_eq!(
            pool.sender(keeper).dynamic_weight_settings(token).unwrap(),
            (from, to, w(QUARTER), w(target)),
            "schedule of {token}"
        );
        // Nothing moves in the poke's own block.
        assert_eq!(pool.sender(keeper).weight_of_at(T0, token).unwrap(), w(QUARTER));
        // Halfway through, the weight is halfway to the clamped target.
        let half = pool.sender(keeper).weight_of_at(T0 + 1 + DURATION / 2, token).unwrap();
        assert_eq!(half.abs_diff(w(QUARTER)), w(target).abs_diff(w(QUARTER)) / U256::from(2));
    }
    assert_eq!(pool.sender(keeper).total_weight_at(T0 + 1 + DURATION).unwrap(), w(25 * E18));
}

/// An attacker skews the pool with a large swap, pokes, joins and exits in
/// the same block, then swaps back: the poke's targets come from TWAPs (the
/// same as without the swap), no weight moves in the block, and the attacker
/// ends with less value than it started with.
#[motsu::test]
fn an_in_block_manipulate_poke_join_exit_nets_no_profit(
    oracle: Contract<PowerOracle>,
    valuer: Contract<WeightValuer>,
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    strategy: Contract<WeightStrategy>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    c: Contract<MockErc20>,
    d: Contract<MockErc20>,
    attacker: Address,
) {
    let index = setup_index(&oracle, &valuer, &pool, &math, &strategy, [&a, &b, &c, &d]);
    let tokens = [&a, &b, &c, &d];
    for token in tokens {
        token.sender(index.owner).transfer(attacker, w(10_000 * E18)).unwrap();
        token.sender(attacker).approve(pool.address(), U256::MAX).unwrap();
    }
    let start = value_of(tokens, &index.prices, attacker);
    let targets_before = valuer.sender(attacker).get_targets(index.tokens.clone()).unwrap();
    let weights_before: Vec<U256> =
        index.tokens.iter().map(|&t| pool.sender(attacker).weight_of_at(T0, t).unwrap()).collect();

    // 1. Manipulate: sell 400 A (40% of the pool's A) for B.
    let (b_out, _) = pool
        .sender(attacker)
        .swap_exact_amount_in_at(T0, a.address(), w(400 * E18), b.address(), U256::ZERO, U256::MAX)
        .unwrap();
    assert!(b_out > U256::ZERO);
    // 2. Poke: the valuer reads TWAPs and supplies, not the pool.
    assert_eq!(valuer.sender(attacker).get_targets(index.tokens.clone()).unwrap(), targets_before);
    strategy.sender(attacker).poke_at(T0, attacker).unwrap();
    let weights_after: Vec<U256> =
        index.tokens.iter().map(|&t| pool.sender(attacker).weight_of_at(T0, t).unwrap()).collect();
    assert_eq!(weights_after, weights_before, "a poke changed a weight inside its own block");
    // 3. Join and exit 10% of the pool.
    let shares = w(10 * E18);
    pool.sender(attacker).join_pool(shares, &[U256::MAX; 4]).unwrap();
    pool.sender(attacker).exit_pool(shares, &[U256::ZERO; 4]).unwrap();
    // 4. Swap the B back.
    let b_held = b.sender(attacker).balance_of(attacker);
    let b_back = b_held - w(10_000 * E18);
    if !b_back.is_zero() {
        pool.sender(attacker)
            .swap_exact_amount_in_at(T0, b.address(), b_back, a.address(), U256::ZERO, U256::MAX)
            .unwrap();
    }
    let end = value_of(tokens, &index.prices, attacker);
    assert!(end <= start, "the attack gained value: {start} → {end}");
    assert_eq!(pool.sender(attacker).balance_of(attacker), U256::ZERO);
}

#[motsu::test]
fn a_token_fades_in_then_out_and_is_unbound_through_the_real_pool(
    oracle: Contract<PowerOracle>,
    valuer: Contract<WeightValuer>,
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    strategy: Contract<WeightStrategy>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    c: Contract<MockErc20>,
    d: Contract<MockErc20>,
    e: Contract<MockErc20>,
    treasury: Address,
) {
    let index = setup_index(&oracle, &valuer, &pool, &math, &strategy, [&a, &b, &c, &d]);
    let owner = index.owner;
    e.sender(owner).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
    e.sender(owner).mint(owner, w(BALANCE)).unwrap();
    e.sender(owner).approve(strategy.address(), w(BALANCE)).unwrap();
    valuer.sender(owner).set_mcap_source(e.address(), false, vec![]).unwrap();
    strategy.sender(owner).add_token(e.address(), w(BALANCE), w(E18)).unwrap();
    assert!(pool.sender(owner).is_bound(e.address()));
    assert_eq!(pool.sender(owner).recorded_balance(e.address()).unwrap(), w(BALANCE));
    assert_eq!(
        pool.sender(owner).dynamic_weight_settings(e.address()).unwrap(),
        (U256::from(T0 + 1), U256::from(T0 + 1 + DURATION), w(MIN_WEIGHT), w(E18))
    );
    // Fade out in the same block: the fade-in is cancelled at the minimum.
    strategy.sender(owner).fade_out_token(e.address()).unwrap();
    assert_eq!(
        pool.sender(owner).dynamic_weight_settings(e.address()).unwrap(),
        (U256::from(T0 + 1), U256::from(T0 + 2), w(MIN_WEIGHT), w(MIN_WEIGHT))
    );
    strategy.sender(owner).remove_token(e.address(), treasury).unwrap();
    assert!(!pool.sender(owner).is_bound(e.address()));
    assert_eq!(e.sender(owner).balance_of(treasury), w(BALANCE));
    // A token still above the minimum cannot be removed.
    let err = strategy.sender(owner).remove_token(index.tokens[0], treasury).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::PoolCallFailed(WeightStrategyPoolCallFailed {
            reason: FixedBytes(IndexPoolWeightNotMin::SELECTOR)
        })
    );
}

#[motsu::test]
fn pause_freezes_the_real_pools_weights(
    oracle: Contract<PowerOracle>,
    valuer: Contract<WeightValuer>,
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    strategy: Contract<WeightStrategy>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    c: Contract<MockErc20>,
    d: Contract<MockErc20>,
) {
    let index = setup_index(&oracle, &valuer, &pool, &math, &strategy, [&a, &b, &c, &d]);
    let owner = index.owner;
    strategy.sender(owner).set_weight_per_second_bounds(w(1), w(MAX_RATE)).unwrap();
    strategy.sender(owner).poke().unwrap();
    strategy.sender(owner).pause().unwrap();
    for &token in &index.tokens {
        assert_eq!(
            pool.sender(owner).dynamic_weight_settings(token).unwrap(),
            (U256::from(T0 + 1), U256::from(T0 + 2), w(QUARTER), w(QUARTER))
        );
        assert_eq!(pool.sender(owner).weight_of_at(T0 + DURATION, token).unwrap(), w(QUARTER));
    }
    // The pool's minimum rate is back.
    assert_eq!(pool.sender(owner).weight_per_second_bounds(), (w(1), w(MAX_RATE)));
    assert_eq!(
        strategy.sender(owner).poke_at(T0 + 86_400, owner).motsu_unwrap_err(),
        Error::Paused(WeightStrategyPaused {})
    );
}

#[motsu::test]
fn call_pool_reaches_the_real_pools_admin(
    oracle: Contract<PowerOracle>,
    valuer: Contract<WeightValuer>,
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    strategy: Contract<WeightStrategy>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    c: Contract<MockErc20>,
    d: Contract<MockErc20>,
) {
    let index = setup_index(&oracle, &valuer, &pool, &math, &strategy, [&a, &b, &c, &d]);
    let owner = index.owner;
    let fee = w(3 * E18 / 1_000);
    strategy
        .sender(owner)
        .call_pool(pool_admin::setSwapFeeCall { swapFee: fee }.abi_encode().into())
        .unwrap();
    assert_eq!(pool.sender(owner).swap_fee(), fee);
    let err = strategy
        .sender(owner)
        .call_pool(pool_admin::setSwapFeeCall { swapFee: w(E18) }.abi_encode().into())
        .motsu_unwrap_err();
    assert_eq!(
        err,
        Error::PoolCallFailed(WeightStrategyPoolCallFailed {
            reason: FixedBytes(IndexPoolInvalidFee::SELECTOR)
        })
    );
    let schedule = pool_admin::setDynamicWeightCall {
        token: index.tokens[0],
        targetWeight: w(E18),
        fromTimestamp: U256::from(T0 + 1),
        targetTimestamp: U256::from(T0 + DURATION),
    };
    let err = strategy.sender(owner).call_pool(schedule.abi_encode().into()).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::CallNotAllowed(WeightStrategyCallNotAllowed {
            selector: FixedBytes(pool_admin::setDynamicWeightCall::SELECTOR)
        })
    );
    assert_eq!(pool.sender(owner).swap_fee(), fee);
}
