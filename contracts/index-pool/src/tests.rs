//! Unit tests of the pool: every named error (with state unchanged after the revert), the
//! controller functions, fees, events, views, and the ABI dispatch through the fallback.
//!
//! Off-chain the fallback runs the swaps / liquidity / admin dispatchers in-process over the
//! pool's own storage (motsu has no real `DELEGATECALL`), so `Caller` tests exercise the same
//! decode-and-dispatch code the deployed parts run. Time-dependent logic goes through the
//! `*_at(now, ..)` methods (motsu's clock is fixed at `T0`).
#![allow(
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::too_many_arguments,
    clippy::needless_pass_by_value,
    clippy::similar_names,
    clippy::unused_self,
    missing_docs
)]

use alloc::{vec, vec::Vec};

use alloy_sol_types::{SolCall, SolError, SolValue};
use mock_erc20::MockErc20;
use mock_fee_token::MockFeeToken;
use mock_governor::MockGovernor;
use motsu::prelude::*;
use openzeppelin_stylus::token::erc20;
use strata_common::env;
use stylus_sdk::{
    abi::Bytes,
    alloy_primitives::{uint, Address, FixedBytes, U256},
    call::RawCall,
    prelude::*,
    storage::StorageU256,
};
use weighted_math::WeightedMath;

use crate::{
    abi::{admin, core as pool_core, liquidity, swaps},
    *,
};

/// motsu's fixed block timestamp.
const T0: u64 = 1_735_689_600;
/// When the weighted fixture's schedules end.
const T1: u64 = T0 + 1_000;
const E18: U256 = uint!(1_000_000_000_000_000_000_U256);
/// A weight-rate bound that allows any schedule in these tests.
const ANY_RATE: U256 = uint!(100_000_000_000_000_000_000_U256);
const FEE_1PCT: U256 = uint!(10_000_000_000_000_000_U256);

fn e18(v: u64) -> U256 {
    U256::from(v) * E18
}

fn ts(t: u64) -> U256 {
    U256::from(t)
}

fn enc(e: impl Into<Error>) -> Vec<u8> {
    Vec::from(e.into())
}

fn part(n: u8) -> Address {
    // Never called off-chain: the fallback dispatches in-process.
    Address::with_last_byte(0xA0 + n)
}

fn bytes32(s: &str) -> FixedBytes<32> {
    let mut b = [0u8; 32];
    b[..s.len()].copy_from_slice(s.as_bytes());
    FixedBytes(b)
}

// ------------------------------------------------------------------ fixtures

fn setup_deploy(pool: &Contract<IndexPool>, math: &Contract<WeightedMath>, ctrl: Address) {
    pool.sender(ctrl)
        .constructor(
            bytes32("Strata Index"),
            bytes32("SIDX"),
            ctrl,
            U256::ZERO,
            ANY_RATE,
            part(1),
            part(2),
            part(3),
            math.address(),
        )
        .motsu_unwrap();
}

/// Deploys `token` and gives `holder` `amount`, approved to `spender`.
fn setup_token(token: &Contract<MockErc20>, holder: Address, amount: U256, spender: Address) {
    token.sender(holder).constructor(bytes32("Token"), bytes32("TKN"), 18);
    setup_fund(token, holder, amount, spender);
}

fn setup_fund(token: &Contract<MockErc20>, holder: Address, amount: U256, spender: Address) {
    token.sender(holder).mint(holder, amount).motsu_unwrap();
    token.sender(holder).approve(spender, U256::MAX).motsu_unwrap();
}

/// The spec's reference pool: 100e18 A / 200e18 B at weights 1e9 / 1e9, swap fee 1%,
/// finalized (100e18 shares to the controller).
fn setup_reference(
    pool: &Contract<IndexPool>,
    math: &Contract<WeightedMath>,
    a: &Contract<MockErc20>,
    b: &Contract<MockErc20>,
    ctrl: Address,
) {
    setup_deploy(pool, math, ctrl);
    setup_token(a, ctrl, e18(100), pool.address());
    setup_token(b, ctrl, e18(200), pool.address());
    pool.sender(ctrl)
        .bind_at(T0, a.address(), e18(100), MIN_WEIGHT, ts(T0), ts(T0 + 1))
        .motsu_unwrap();
    pool.sender(ctrl)
        .bind_at(T0, b.address(), e18(200), MIN_WEIGHT, ts(T0), ts(T0 + 1))
        .motsu_unwrap();
    pool.sender(ctrl).set_swap_fee(FEE_1PCT).motsu_unwrap();
    pool.sender(ctrl).finalize().motsu_unwrap();
}

/// A live pool: 100e18 A at weight 20e18 and 200e18 B at weight 30e18 from `T1`, swap fee
/// 1%, finalized; `user` holds 1000e18 of each, approved to the pool.
fn setup_weighted(
    pool: &Contract<IndexPool>,
    math: &Contract<WeightedMath>,
    a: &Contract<MockErc20>,
    b: &Contract<MockErc20>,
    ctrl: Address,
    user: Address,
) {
    setup_deploy(pool, math, ctrl);
    setup_token(a, ctrl, e18(100), pool.address());
    setup_token(b, ctrl, e18(200), pool.address());
    pool.sender(ctrl).bind_at(T0, a.address(), e18(100), e18(20), ts(T0), ts(T1)).motsu_unwrap();
    pool.sender(ctrl).bind_at(T0, b.address(), e18(200), e18(30), ts(T0), ts(T1)).motsu_unwrap();
    pool.sender(ctrl).set_swap_fee(FEE_1PCT).motsu_unwrap();
    pool.sender(ctrl).finalize().motsu_unwrap();
    setup_fund(a, user, e18(1000), pool.address());
    setup_fund(b, user, e18(1000), pool.address());
}

/// Everything a failed call must leave untouched.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    recorded: Vec<U256>,
    held: Vec<U256>,
    user_tokens: Vec<U256>,
    supply: U256,
    shares: Vec<U256>,
    weights: Vec<(U256, U256, U256, U256)>,
    fees: (U256, U256, U256, U256, Address),
}

fn snapshot(
    pool: &Contract<IndexPool>,
    tokens: &[&Contract<MockErc20>],
    users: &[Address],
) -> Snapshot {
    let p = pool.sender(Address::ZERO);
    let bound: Vec<Address> = p.current_tokens();
    let (swap, join, exit, receiver) = p.community_fees();
    Snapshot {
        recorded: bound.iter().map(|&t| p.recorded_balance(t).unwrap()).collect(),
        held: tokens.iter().map(|t| t.sender(Address::ZERO).balance_of(pool.address())).collect(),
        user_tokens: tokens
            .iter()
            .flat_map(|t| users.iter().map(|&u| t.sender(Address::ZERO).balance_of(u)))
            .collect(),
        supply: p.total_supply(),
        shares: users.iter().map(|&u| p.balance_of(u)).collect(),
        weights: bound.iter().map(|&t| p.dynamic_weight_settings(t).unwrap()).collect(),
        fees: (p.swap_fee(), swap, join, exit, receiver),
    }
}

// ------------------------------------------------------------------ construction

#[motsu::test]
fn constructor_sets_metadata_controller_bounds_and_min_fee(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    ctrl: Address,
) {
    setup_deploy(&pool, &math, ctrl);
    let p = pool.sender(ctrl);
    assert_eq!(p.name(), "Strata Index");
    assert_eq!(p.symbol(), "SIDX");
    assert_eq!(p.controller(), ctrl);
    assert_eq!(p.weight_per_second_bounds(), (U256::ZERO, ANY_RATE));
    assert_eq!(p.swap_fee(), MIN_FEE);
    assert_eq!(
        p.parts(),
        Parts { swaps: part(1), liquidity: part(2), admin: part(3), math: math.address() }
    );
    assert!(!p.is_finalized());
    pool.assert_emitted(&ControllerSet { previousController: Address::ZERO, newController: ctrl });
    pool.assert_emitted(&WeightPerSecondBoundsSet {
        minWeightPerSecond: U256::ZERO,
        maxWeightPerSecond: ANY_RATE,
    });
    pool.assert_emitted(&SwapFeeSet { swapFee: MIN_FEE });
}

#[motsu::test]
fn constructor_reverts_on_zero_addresses_and_inverted_bounds(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    ctrl: Address,
) {
    let name = bytes32("X");
    let m = math.address();
    let zero = enc(IndexPoolZeroAddress {});
    let err = pool.sender(ctrl).constructor(
        name,
        name,
        Address::ZERO,
        U256::ZERO,
        ANY_RATE,
        part(1),
        part(2),
        part(3),
        m,
    );
    assert_eq!(enc(err.motsu_unwrap_err()), zero);
    let err = pool.sender(ctrl).constructor(
        name,
        name,
        ctrl,
        U256::ZERO,
        ANY_RATE,
        part(1),
        Address::ZERO,
        part(3),
        m,
    );
    assert_eq!(enc(err.motsu_unwrap_err()), zero);
    let err = pool.sender(ctrl).constructor(
        name,
        name,
        ctrl,
        U256::ZERO,
        ANY_RATE,
        part(1),
        part(2),
        part(3),
        Address::ZERO,
    );
    assert_eq!(enc(err.motsu_unwrap_err()), zero);
    let err = pool.sender(ctrl).constructor(
        name,
        name,
        ctrl,
        U256::from(2),
        U256::ONE,
        part(1),
        part(2),
        part(3),
        m,
    );
    let expected = IndexPoolInvalidWeightPerSecondBounds {
        minWeightPerSecond: U256::from(2),
        maxWeightPerSecond: U256::ONE,
    };
    assert_eq!(enc(err.motsu_unwrap_err()), enc(expected));
    assert_eq!(pool.sender(ctrl).controller(), Address::ZERO);
}

// ------------------------------------------------------------------ bind, unbind, finalize

#[motsu::test]
fn bind_pulls_balance_starts_at_min_weight_and_schedules_the_target(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    ctrl: Address,
) {
    setup_deploy(&pool, &math, ctrl);
    setup_token(&a, ctrl, e18(100), pool.address());
    pool.sender(ctrl)
        .bind_at(T0, a.address(), e18(100), e18(10), ts(T0 + 10), ts(T0 + 110))
        .motsu_unwrap();
    let p = pool.sender(ctrl);
    assert_eq!(p.current_tokens(), vec![a.address()]);
    assert!(p.is_bound(a.address()));
    assert_eq!(p.recorded_balance(a.address()).unwrap(), e18(100));
    assert_eq!(a.sender(ctrl).balance_of(pool.address()), e18(100));
    assert_eq!(a.sender(ctrl).balance_of(ctrl), U256::ZERO);
    assert_eq!(
        p.dynamic_weight_settings(a.address()).unwrap(),
        (ts(T0 + 10), ts(T0 + 110), MIN_WEIGHT, e18(10))
    );
    // Held at MIN_WEIGHT until the schedule starts, linear after, target at the end.
    assert_eq!(p.weight_of_at(T0 + 10, a.address()).unwrap(), MIN_WEIGHT);
    assert_eq!(
        p.weight_of_at(T0 + 60, a.address()).unwrap(),
        MIN_WEIGHT + (e18(10) - MIN_WEIGHT) / U256::from(2)
    );
    assert_eq!(p.weight_of_at(T0 + 110, a.address()).unwrap(), e18(10));
    pool.assert_emitted(&TokenBound { token: a.address(), balance: e18(100) });
    pool.assert_emitted(&DynamicWeightSet {
        token: a.address(),
        fromTimestamp: ts(T0 + 10),
        targetTimestamp: ts(T0 + 110),
        fromWeight: MIN_WEIGHT,
        targetWeight: e18(10),
    });
}

#[motsu::test]
fn bind_reverts_for_non_controller_bound_token_and_small_balance(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
) {
    setup_reference(&pool, &math, &a, &b, ctrl);
    let before = snapshot(&pool, &[&a, &b], &[ctrl, alice]);
    let err = pool
        .sender(alice)
        .bind_at(T0, a.address(), e18(1), MIN_WEIGHT, ts(T0), ts(T0 + 1))
        .motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolNotController { caller: alice }));
    let err = pool
        .sender(ctrl)
        .bind_at(T0, a.address(), e18(1), MIN_WEIGHT, ts(T0), ts(T0 + 1))
        .motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolAlreadyBound { token: a.address() }));
    let small = MIN_BALANCE - U256::ONE;
    let err = pool
        .sender(ctrl)
        .bind_at(T0, alice, small, MIN_WEIGHT, ts(T0), ts(T0 + 1))
        .motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(IndexPoolMinBalance { token: alice, balance: small, min: MIN_BALANCE })
    );
    assert_eq!(snapshot(&pool, &[&a, &b], &[ctrl, alice]), before);
}

#[motsu::test]
fn bind_reverts_when_the_token_has_no_code_or_no_allowance(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    ctrl: Address,
    eoa: Address,
) {
    setup_deploy(&pool, &math, ctrl);
    let err = pool
        .sender(ctrl)
        .bind_at(T0, eoa, e18(1), MIN_WEIGHT, ts(T0), ts(T0 + 1))
        .motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolTokenCallFailed { token: eoa }));
    a.sender(ctrl).constructor(bytes32("A"), bytes32("A"), 18);
    a.sender(ctrl).mint(ctrl, e18(1)).motsu_unwrap();
    let err = pool
        .sender(ctrl)
        .bind_at(T0, a.address(), e18(1), MIN_WEIGHT, ts(T0), ts(T0 + 1))
        .motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolTokenCallFailed { token: a.address() }));
    assert!(pool.sender(ctrl).current_tokens().is_empty());
    assert!(!pool.sender(ctrl).is_bound(a.address()));
    assert_eq!(a.sender(ctrl).balance_of(ctrl), e18(1));
}

#[motsu::test]
fn bind_rejects_a_fee_on_transfer_token(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    fee_token: Contract<MockFeeToken>,
    ctrl: Address,
) {
    setup_deploy(&pool, &math, ctrl);
    fee_token.sender(ctrl).constructor(U256::from(100)); // 1% burnt on transfer
    fee_token.sender(ctrl).mint(ctrl, e18(10)).motsu_unwrap();
    fee_token.sender(ctrl).approve(pool.address(), U256::MAX).motsu_unwrap();
    let err = pool
        .sender(ctrl)
        .bind_at(T0, fee_token.address(), e18(10), MIN_WEIGHT, ts(T0), ts(T0 + 1))
        .motsu_unwrap_err();
    let expected = IndexPoolTokenShortfall {
        token: fee_token.address(),
        expected: e18(10),
        received: e18(10) * U256::from(99) / U256::from(100),
    };
    assert_eq!(enc(err), enc(expected));
    assert!(pool.sender(ctrl).current_tokens().is_empty());
    assert_eq!(fee_token.sender(ctrl).balance_of(ctrl), e18(10));
}

#[motsu::test]
fn bind_reverts_past_the_token_limit(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    ctrl: Address,
) {
    setup_deploy(&pool, &math, ctrl);
    let tokens: Vec<Contract<MockErc20>> =
        (0..=MAX_BOUND_TOKENS).map(|_| Contract::new()).collect();
    for token in &tokens {
        setup_token(token, ctrl, MIN_BALANCE, pool.address());
    }
    for token in &tokens[..MAX_BOUND_TOKENS] {
        pool.sender(ctrl)
            .bind_at(T0, token.address(), MIN_BALANCE, MIN_WEIGHT, ts(T0), ts(T0 + 1))
            .motsu_unwrap();
    }
    let last = tokens[MAX_BOUND_TOKENS].address();
    let err = pool
        .sender(ctrl)
        .bind_at(T0, last, MIN_BALANCE, MIN_WEIGHT, ts(T0), ts(T0 + 1))
        .motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolMaxTokens { max: U256::from(MAX_BOUND_TOKENS) }));
    assert_eq!(pool.sender(ctrl).current_tokens().len(), MAX_BOUND_TOKENS);
    assert_eq!(tokens[MAX_BOUND_TOKENS].sender(ctrl).balance_of(ctrl), MIN_BALANCE);
}

#[motsu::test]
fn finalize_mints_the_initial_supply_once_and_needs_two_tokens(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
) {
    setup_deploy(&pool, &math, ctrl);
    setup_token(&a, ctrl, e18(1), pool.address());
    setup_token(&b, ctrl, e18(1), pool.address());
    pool.sender(ctrl)
        .bind_at(T0, a.address(), e18(1), MIN_WEIGHT, ts(T0), ts(T0 + 1))
        .motsu_unwrap();
    let err = pool.sender(ctrl).finalize().motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolMinTokens { count: U256::ONE, min: U256::from(2) }));
    pool.sender(ctrl)
        .bind_at(T0, b.address(), e18(1), MIN_WEIGHT, ts(T0), ts(T0 + 1))
        .motsu_unwrap();
    let err = pool.sender(alice).finalize().motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolNotController { caller: alice }));
    assert_eq!(pool.sender(ctrl).total_supply(), U256::ZERO);
    pool.sender(ctrl).finalize().motsu_unwrap();
    assert!(pool.sender(ctrl).is_finalized());
    assert_eq!(pool.sender(ctrl).balance_of(ctrl), INIT_POOL_SUPPLY);
    pool.assert_emitted(&Finalized { poolSupply: INIT_POOL_SUPPLY });
    let err = pool.sender(ctrl).finalize().motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolFinalized {}));
    assert_eq!(pool.sender(ctrl).total_supply(), INIT_POOL_SUPPLY);
}

#[motsu::test]
fn unbind_returns_the_balance_once_the_weight_is_back_at_minimum(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    c: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
) {
    setup_weighted(&pool, &math, &a, &b, ctrl, alice);
    setup_token(&c, ctrl, e18(5), pool.address());
    // Make room under MAX_TOTAL_WEIGHT, then fade c in.
    pool.sender(ctrl)
        .set_dynamic_weight_at(T1, b.address(), e18(25), ts(T1), ts(T1 + 100))
        .motsu_unwrap();
    pool.sender(ctrl).bind_at(T1, c.address(), e18(5), e18(5), ts(T1), ts(T1 + 100)).motsu_unwrap();
    // At its target weight: not removable.
    let err = pool.sender(ctrl).unbind_at(T1 + 100, c.address()).motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolWeightNotMin { token: c.address(), weight: e18(5) }));
    let err = pool.sender(alice).unbind_at(T1 + 100, c.address()).motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolNotController { caller: alice }));
    // Fade out, then unbind.
    pool.sender(ctrl)
        .set_dynamic_weight_at(T1 + 100, c.address(), MIN_WEIGHT, ts(T1 + 100), ts(T1 + 200))
        .motsu_unwrap();
    pool.sender(ctrl).unbind_at(T1 + 200, c.address()).motsu_unwrap();
    let p = pool.sender(ctrl);
    assert_eq!(p.current_tokens(), vec![a.address(), b.address()]);
    assert!(!p.is_bound(c.address()));
    assert_eq!(c.sender(ctrl).balance_of(ctrl), e18(5));
    assert_eq!(c.sender(ctrl).balance_of(pool.address()), U256::ZERO);
    pool.assert_emitted(&TokenUnbound { token: c.address(), balance: e18(5) });
    let err = pool.sender(ctrl).unbind_at(T1 + 200, c.address()).motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolNotBound { token: c.address() }));
}

#[motsu::test]
fn unbind_moves_the_last_token_into_the_gap(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    c: Contract<MockErc20>,
    ctrl: Address,
) {
    setup_deploy(&pool, &math, ctrl);
    for t in [&a, &b, &c] {
        setup_token(t, ctrl, e18(1), pool.address());
        pool.sender(ctrl)
            .bind_at(T0, t.address(), e18(1), MIN_WEIGHT, ts(T0), ts(T0 + 1))
            .motsu_unwrap();
    }
    pool.sender(ctrl).unbind_at(T0, a.address()).motsu_unwrap();
    assert_eq!(pool.sender(ctrl).current_tokens(), vec![c.address(), b.address()]);
    // The moved token's index is updated: removing it again leaves only b.
    pool.sender(ctrl).unbind_at(T0, c.address()).motsu_unwrap();
    assert_eq!(pool.sender(ctrl).current_tokens(), vec![b.address()]);
}

#[motsu::test]
fn unbind_keeps_two_tokens_in_a_finalized_pool(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
) {
    setup_reference(&pool, &math, &a, &b, ctrl);
    let before = snapshot(&pool, &[&a, &b], &[ctrl]);
    let err = pool.sender(ctrl).unbind_at(T0, a.address()).motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolMinTokens { count: U256::ONE, min: U256::from(2) }));
    assert_eq!(snapshot(&pool, &[&a, &b], &[ctrl]), before);
}

// ------------------------------------------------------------------ dynamic weights

#[motsu::test]
fn set_dynamic_weight_starts_from_the_current_weight(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
) {
    setup_weighted(&pool, &math, &a, &b, ctrl, alice);
    // Halfway through a new schedule 20e18 -> 10e18, reschedule to 30e18.
    pool.sender(ctrl)
        .set_dynamic_weight_at(T1, a.address(), e18(10), ts(T1), ts(T1 + 100))
        .motsu_unwrap();
    assert_eq!(pool.sender(ctrl).weight_of_at(T1 + 50, a.address()).unwrap(), e18(15));
    pool.sender(ctrl)
        .set_dynamic_weight_at(T1 + 50, a.address(), e18(20), ts(T1 + 60), ts(T1 + 110))
        .motsu_unwrap();
    let p = pool.sender(ctrl);
    assert_eq!(
        p.dynamic_weight_settings(a.address()).unwrap(),
        (ts(T1 + 60), ts(T1 + 110), e18(15), e18(20))
    );
    // Frozen until the new start, then linear.
    assert_eq!(p.weight_of_at(T1 + 55, a.address()).unwrap(), e18(15));
    assert_eq!(p.weight_of_at(T1 + 85, a.address()).unwrap(), e18(15) + e18(5) / U256::from(2));
    assert_eq!(p.weight_of_at(T1 + 500, a.address()).unwrap(), e18(20));
    assert_eq!(p.total_weight_at(T1 + 500).unwrap(), e18(50));
    assert_eq!(
        p.normalized_weight_at(T1 + 500, a.address()).unwrap(),
        E18 * U256::from(2) / U256::from(5)
    );
}

#[motsu::test]
fn set_dynamic_weight_reverts_on_every_invalid_schedule(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
) {
    setup_weighted(&pool, &math, &a, &b, ctrl, alice);
    pool.sender(ctrl)
        .set_weight_per_second_bounds(e18(1) / U256::from(1_000), e18(1))
        .motsu_unwrap();
    let before = snapshot(&pool, &[&a, &b], &[ctrl]);
    let t = a.address();
    let set = |who: Address, w: U256, from: U256, to: U256| {
        enc(pool.sender(who).set_dynamic_weight_at(T1, t, w, from, to).motsu_unwrap_err())
    };
    assert_eq!(
        set(alice, e18(21), ts(T1), ts(T1 + 10)),
        enc(IndexPoolNotController { caller: alice })
    );
    let bad_ts = |from: U256, to: U256| {
        enc(IndexPoolInvalidTimestamps { fromTimestamp: from, targetTimestamp: to, now: ts(T1) })
    };
    // From in the past, target not after from, a timestamp beyond u64.
    assert_eq!(set(ctrl, e18(21), ts(T1 - 1), ts(T1 + 10)), bad_ts(ts(T1 - 1), ts(T1 + 10)));
    assert_eq!(set(ctrl, e18(21), ts(T1 + 5), ts(T1 + 5)), bad_ts(ts(T1 + 5), ts(T1 + 5)));
    let huge = U256::from(u64::MAX) + U256::ONE;
    assert_eq!(set(ctrl, e18(21), ts(T1), huge), bad_ts(ts(T1), huge));
    // Weight bounds.
    let low = MIN_WEIGHT - U256::ONE;
    assert_eq!(set(ctrl, low, ts(T1), ts(T1 + 10)), enc(IndexPoolInvalidWeight { weight: low }));
    let high = MAX_WEIGHT + U256::ONE;
    assert_eq!(set(ctrl, high, ts(T1), ts(T1 + 10)), enc(IndexPoolInvalidWeight { weight: high }));
    // Rate bounds [1e15, 1e18] per second: 2e18 over 1 s is too fast by exactly one weight
    // unit per second too much; 1e15 - 1 over 1 s too slow.
    let rate_err = |delta: U256, duration: u64| {
        enc(IndexPoolWeightRateOutOfBounds {
            delta,
            duration: ts(duration),
            minPerSecond: e18(1) / U256::from(1_000),
            maxPerSecond: e18(1),
        })
    };
    assert_eq!(set(ctrl, e18(22), ts(T1), ts(T1 + 1)), rate_err(e18(2), 1));
    let over = e18(20) + e18(3) + U256::ONE; // 3e18 + 1 over 3 s: ceil rate 1e18 + 1
    assert_eq!(set(ctrl, over, ts(T1), ts(T1 + 3)), rate_err(e18(3) + U256::ONE, 3));
    let slow = e18(20) + e18(1) / U256::from(1_000) - U256::ONE;
    assert_eq!(
        set(ctrl, slow, ts(T1), ts(T1 + 1)),
        rate_err(e18(1) / U256::from(1_000) - U256::ONE, 1)
    );
    assert_eq!(snapshot(&pool, &[&a, &b], &[ctrl]), before);
    // Exactly at the bounds is allowed.
    pool.sender(ctrl).set_dynamic_weight_at(T1, t, e18(17), ts(T1), ts(T1 + 3)).motsu_unwrap();
}

#[motsu::test]
fn set_dynamic_weight_keeps_the_sum_of_targets_within_max_total_weight(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
) {
    setup_weighted(&pool, &math, &a, &b, ctrl, alice);
    // Targets 20e18 + 30e18 = MAX_TOTAL_WEIGHT already: a cannot grow by one wei.
    let before = snapshot(&pool, &[&a, &b], &[ctrl]);
    let err = pool
        .sender(ctrl)
        .set_dynamic_weight_at(T1, a.address(), e18(20) + U256::ONE, ts(T1), ts(T1 + 10))
        .motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(IndexPoolMaxTotalWeight { total: e18(50) + U256::ONE, max: MAX_TOTAL_WEIGHT })
    );
    assert_eq!(snapshot(&pool, &[&a, &b], &[ctrl]), before);
    // Lowering b's target makes room.
    pool.sender(ctrl)
        .set_dynamic_weight_at(T1, b.address(), e18(29), ts(T1), ts(T1 + 10))
        .motsu_unwrap();
    pool.sender(ctrl)
        .set_dynamic_weight_at(T1, a.address(), e18(21), ts(T1), ts(T1 + 10))
        .motsu_unwrap();
}

#[motsu::test]
fn set_dynamic_weight_reverts_for_an_unbound_token(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    ctrl: Address,
    stranger: Address,
) {
    setup_deploy(&pool, &math, ctrl);
    let err = pool
        .sender(ctrl)
        .set_dynamic_weight_at(T0, stranger, e18(1), ts(T0), ts(T0 + 1))
        .motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolNotBound { token: stranger }));
}

#[motsu::test]
fn weight_per_second_bounds_are_controller_only_and_ordered(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    ctrl: Address,
    alice: Address,
) {
    setup_deploy(&pool, &math, ctrl);
    let err =
        pool.sender(alice).set_weight_per_second_bounds(U256::ZERO, U256::ONE).motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolNotController { caller: alice }));
    let err = pool
        .sender(ctrl)
        .set_weight_per_second_bounds(U256::from(3), U256::from(2))
        .motsu_unwrap_err();
    let expected = IndexPoolInvalidWeightPerSecondBounds {
        minWeightPerSecond: U256::from(3),
        maxWeightPerSecond: U256::from(2),
    };
    assert_eq!(enc(err), enc(expected));
    assert_eq!(pool.sender(ctrl).weight_per_second_bounds(), (U256::ZERO, ANY_RATE));
    pool.sender(ctrl).set_weight_per_second_bounds(U256::from(2), U256::from(2)).motsu_unwrap();
    assert_eq!(pool.sender(ctrl).weight_per_second_bounds(), (U256::from(2), U256::from(2)));
    pool.assert_emitted(&WeightPerSecondBoundsSet {
        minWeightPerSecond: U256::from(2),
        maxWeightPerSecond: U256::from(2),
    });
}

// ------------------------------------------------------------------ fees, controller, switches

#[motsu::test]
fn swap_fee_is_bounded_and_controller_only(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    ctrl: Address,
    alice: Address,
) {
    setup_deploy(&pool, &math, ctrl);
    let invalid = |fee: U256| enc(IndexPoolInvalidFee { fee, min: MIN_FEE, max: MAX_FEE });
    assert_eq!(
        enc(pool.sender(ctrl).set_swap_fee(MIN_FEE - U256::ONE).motsu_unwrap_err()),
        invalid(MIN_FEE - U256::ONE)
    );
    assert_eq!(
        enc(pool.sender(ctrl).set_swap_fee(MAX_FEE + U256::ONE).motsu_unwrap_err()),
        invalid(MAX_FEE + U256::ONE)
    );
    assert_eq!(
        enc(pool.sender(alice).set_swap_fee(MAX_FEE).motsu_unwrap_err()),
        enc(IndexPoolNotController { caller: alice })
    );
    assert_eq!(pool.sender(ctrl).swap_fee(), MIN_FEE);
    pool.sender(ctrl).set_swap_fee(MAX_FEE).motsu_unwrap();
    assert_eq!(pool.sender(ctrl).swap_fee(), MAX_FEE);
    pool.assert_emitted(&SwapFeeSet { swapFee: MAX_FEE });
}

#[motsu::test]
fn community_fees_are_bounded_and_need_a_receiver(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    ctrl: Address,
    alice: Address,
    receiver: Address,
) {
    setup_deploy(&pool, &math, ctrl);
    let over = MAX_FEE + U256::ONE;
    let err = pool
        .sender(ctrl)
        .set_community_fees_and_receiver(U256::ZERO, over, U256::ZERO, receiver)
        .motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolInvalidFee { fee: over, min: U256::ZERO, max: MAX_FEE }));
    let err = pool
        .sender(ctrl)
        .set_community_fees_and_receiver(U256::ZERO, U256::ZERO, U256::ONE, Address::ZERO)
        .motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolZeroAddress {}));
    let err = pool
        .sender(alice)
        .set_community_fees_and_receiver(U256::ZERO, U256::ZERO, U256::ZERO, receiver)
        .motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolNotController { caller: alice }));
    assert_eq!(
        pool.sender(ctrl).community_fees(),
        (U256::ZERO, U256::ZERO, U256::ZERO, Address::ZERO)
    );
    // All zero with no receiver is allowed (community fees off); the maximum is allowed.
    pool.sender(ctrl)
        .set_community_fees_and_receiver(U256::ZERO, U256::ZERO, U256::ZERO, Address::ZERO)
        .motsu_unwrap();
    pool.sender(ctrl)
        .set_community_fees_and_receiver(MAX_FEE, U256::ONE, U256::from(2), receiver)
        .motsu_unwrap();
    assert_eq!(pool.sender(ctrl).community_fees(), (MAX_FEE, U256::ONE, U256::from(2), receiver));
    pool.assert_emitted(&CommunityFeesSet {
        swapFee: MAX_FEE,
        joinFee: U256::ONE,
        exitFee: U256::from(2),
        receiver,
    });
}

#[motsu::test]
fn controller_role_moves_and_the_old_controller_loses_it(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    ctrl: Address,
    alice: Address,
) {
    setup_deploy(&pool, &math, ctrl);
    assert_eq!(
        enc(pool.sender(alice).set_controller(alice).motsu_unwrap_err()),
        enc(IndexPoolNotController { caller: alice })
    );
    assert_eq!(
        enc(pool.sender(ctrl).set_controller(Address::ZERO).motsu_unwrap_err()),
        enc(IndexPoolZeroAddress {})
    );
    pool.sender(ctrl).set_controller(alice).motsu_unwrap();
    assert_eq!(pool.sender(ctrl).controller(), alice);
    pool.assert_emitted(&ControllerSet { previousController: ctrl, newController: alice });
    assert_eq!(
        enc(pool.sender(ctrl).set_swap_fee(MAX_FEE).motsu_unwrap_err()),
        enc(IndexPoolNotController { caller: ctrl })
    );
}

#[motsu::test]
fn swaps_switch_and_no_fee_list_are_controller_only(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    ctrl: Address,
    alice: Address,
) {
    setup_deploy(&pool, &math, ctrl);
    assert_eq!(
        enc(pool.sender(alice).set_swaps_disabled(true).motsu_unwrap_err()),
        enc(IndexPoolNotController { caller: alice })
    );
    assert_eq!(
        enc(pool.sender(alice).set_without_fee(alice, true).motsu_unwrap_err()),
        enc(IndexPoolNotController { caller: alice })
    );
    assert!(!pool.sender(ctrl).is_swaps_disabled());
    assert!(!pool.sender(ctrl).is_without_fee(alice));
    pool.sender(ctrl).set_swaps_disabled(true).motsu_unwrap();
    pool.sender(ctrl).set_without_fee(alice, true).motsu_unwrap();
    assert!(pool.sender(ctrl).is_swaps_disabled());
    assert!(pool.sender(ctrl).is_without_fee(alice));
    pool.assert_emitted(&SwapsDisabledSet { disabled: true });
    pool.assert_emitted(&WithoutFeeSet { account: alice, withoutFee: true });
}

// ------------------------------------------------------------------ swaps

#[motsu::test]
fn swap_exact_amount_in_pays_the_math_librarys_amount_and_moves_balances(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
) {
    setup_weighted(&pool, &math, &a, &b, ctrl, alice);
    let amount_in = e18(10);
    let expected_out =
        WeightedMath::calc_out_given_in(e18(100), e18(20), e18(200), e18(30), amount_in, FEE_1PCT)
            .unwrap();
    let spot_before = pool.sender(alice).spot_price_at(T1, a.address(), b.address()).unwrap();
    let (out, spot_after) = pool
        .sender(alice)
        .swap_exact_amount_in_at(T1, a.address(), amount_in, b.address(), U256::ZERO, U256::MAX)
        .motsu_unwrap();
    assert_eq!(out, expected_out);
    assert!(spot_after > spot_before);
    let p = pool.sender(alice);
    assert_eq!(p.recorded_balance(a.address()).unwrap(), e18(110));
    assert_eq!(p.recorded_balance(b.address()).unwrap(), e18(200) - out);
    assert_eq!(p.spot_price_at(T1, a.address(), b.address()).unwrap(), spot_after);
    assert_eq!(a.sender(alice).balance_of(alice), e18(990));
    assert_eq!(b.sender(alice).balance_of(alice), e18(1000) + out);
    pool.assert_emitted(&Swap {
        caller: alice,
        tokenIn: a.address(),
        tokenOut: b.address(),
        amountIn: amount_in,
        amountOut: out,
    });
}

#[motsu::test]
fn swap_exact_amount_out_charges_the_math_librarys_amount(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
) {
    setup_weighted(&pool, &math, &a, &b, ctrl, alice);
    let out = e18(5);
    let expected_in =
        WeightedMath::calc_in_given_out(e18(100), e18(20), e18(200), e18(30), out, FEE_1PCT)
            .unwrap();
    let (paid, _) = pool
        .sender(alice)
        .swap_exact_amount_out_at(T1, a.address(), U256::MAX, b.address(), out, U256::MAX)
        .motsu_unwrap();
    assert_eq!(paid, expected_in);
    assert_eq!(pool.sender(alice).recorded_balance(a.address()).unwrap(), e18(100) + paid);
    assert_eq!(pool.sender(alice).recorded_balance(b.address()).unwrap(), e18(195));
    assert_eq!(b.sender(alice).balance_of(alice), e18(1005));
    assert_eq!(a.sender(alice).balance_of(alice), e18(1000) - paid);
}

#[motsu::test]
fn swaps_revert_on_every_guard_and_change_nothing(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
    stranger: Address,
) {
    setup_weighted(&pool, &math, &a, &b, ctrl, alice);
    let (ta, tb) = (a.address(), b.address());
    let before = snapshot(&pool, &[&a, &b], &[alice, ctrl]);
    let swap_in = |tin: Address, amount: U256, tout: Address, min_out: U256, max_price: U256| {
        enc(pool
            .sender(alice)
            .swap_exact_amount_in_at(T1, tin, amount, tout, min_out, max_price)
            .motsu_unwrap_err())
    };
    let swap_out = |tin: Address, max_in: U256, tout: Address, out: U256, max_price: U256| {
        enc(pool
            .sender(alice)
            .swap_exact_amount_out_at(T1, tin, max_in, tout, out, max_price)
            .motsu_unwrap_err())
    };
    let max = U256::MAX;
    assert_eq!(swap_in(ta, U256::ZERO, tb, U256::ZERO, max), enc(IndexPoolZeroAmount {}));
    assert_eq!(swap_in(ta, E18, ta, U256::ZERO, max), enc(IndexPoolSameToken { token: ta }));
    assert_eq!(
        swap_in(stranger, E18, tb, U256::ZERO, max),
        enc(IndexPoolNotBound { token: stranger })
    );
    assert_eq!(
        swap_in(ta, E18, stranger, U256::ZERO, max),
        enc(IndexPoolNotBound { token: stranger })
    );
    // MAX_IN_RATIO: half of 100e18.
    let limit = e18(50);
    assert_eq!(
        swap_in(ta, limit + U256::ONE, tb, U256::ZERO, max),
        enc(IndexPoolMaxInRatio { amountIn: limit + U256::ONE, limit })
    );
    // MAX_OUT_RATIO: a third (plus a wei per unit) of 200e18.
    let out_limit = e18(200) * MAX_OUT_RATIO / E18;
    assert_eq!(
        swap_out(ta, max, tb, out_limit + U256::ONE, max),
        enc(IndexPoolMaxOutRatio { amountOut: out_limit + U256::ONE, limit: out_limit })
    );
    // Slippage limits.
    let out = WeightedMath::calc_out_given_in(e18(100), e18(20), e18(200), e18(30), E18, FEE_1PCT)
        .unwrap();
    assert_eq!(
        swap_in(ta, E18, tb, out + U256::ONE, max),
        enc(IndexPoolAmountOutBelowMin { amountOut: out, minAmountOut: out + U256::ONE })
    );
    let cost = WeightedMath::calc_in_given_out(e18(100), e18(20), e18(200), e18(30), E18, FEE_1PCT)
        .unwrap();
    assert_eq!(
        swap_out(ta, cost - U256::ONE, tb, E18, max),
        enc(IndexPoolAmountInAboveMax { amountIn: cost, maxAmountIn: cost - U256::ONE })
    );
    // maxPrice below the spot price before, and between the spot prices before and after.
    let spot = pool.sender(alice).spot_price_at(T1, ta, tb).unwrap();
    assert_eq!(
        swap_in(ta, E18, tb, U256::ZERO, spot - U256::ONE),
        enc(IndexPoolSpotPriceAboveMax { spotPrice: spot, maxPrice: spot - U256::ONE })
    );
    let spot_after = {
        let new_a = e18(101);
        let new_b = e18(200) - out;
        strata_math::calc_spot_price(new_a, e18(20), new_b, e18(30), FEE_1PCT).unwrap()
    };
    assert_eq!(
        swap_in(ta, E18, tb, U256::ZERO, spot),
        enc(IndexPoolSpotPriceAboveMax { spotPrice: spot_after, maxPrice: spot })
    );
    assert_eq!(snapshot(&pool, &[&a, &b], &[alice, ctrl]), before);
}

#[motsu::test]
fn swap_reverts_when_the_out_balance_would_fall_below_min_balance(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
) {
    // B holds 1.2e6 base units: taking 3e5 (within MAX_OUT_RATIO) would leave 9e5 < MIN_BALANCE.
    setup_deploy(&pool, &math, ctrl);
    let small = U256::from(1_200_000);
    setup_token(&a, ctrl, e18(1), pool.address());
    setup_token(&b, ctrl, small, pool.address());
    pool.sender(ctrl)
        .bind_at(T0, a.address(), e18(1), MIN_WEIGHT, ts(T0), ts(T0 + 1))
        .motsu_unwrap();
    pool.sender(ctrl)
        .bind_at(T0, b.address(), small, MIN_WEIGHT, ts(T0), ts(T0 + 1))
        .motsu_unwrap();
    pool.sender(ctrl).finalize().motsu_unwrap();
    setup_fund(&a, alice, e18(10), pool.address());
    let before = snapshot(&pool, &[&a, &b], &[alice]);
    let out = U256::from(300_000);
    let err = pool
        .sender(alice)
        .swap_exact_amount_out_at(T1, a.address(), U256::MAX, b.address(), out, U256::MAX)
        .motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(IndexPoolMinBalance { token: b.address(), balance: small - out, min: MIN_BALANCE })
    );
    assert_eq!(snapshot(&pool, &[&a, &b], &[alice]), before);
}

#[motsu::test]
fn swap_that_pays_nothing_reverts_below_spot(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
) {
    // One wei in at a 1% fee credits nothing after the fee, so the pool would pay out 0: a
    // trade price of 1 / 0, which the spot-price check refuses.
    setup_reference(&pool, &math, &a, &b, ctrl);
    setup_fund(&a, alice, e18(1), pool.address());
    let before = snapshot(&pool, &[&a, &b], &[alice]);
    let spot = pool.sender(alice).spot_price_at(T0, a.address(), b.address()).unwrap();
    let err = pool
        .sender(alice)
        .swap_exact_amount_in_at(T0, a.address(), U256::ONE, b.address(), U256::ZERO, U256::MAX)
        .motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(IndexPoolPriceBelowSpot {
            spotPriceBefore: spot,
            amountIn: U256::ONE,
            amountOut: U256::ZERO
        })
    );
    assert_eq!(snapshot(&pool, &[&a, &b], &[alice]), before);
}

#[test]
fn swap_price_checks_reject_a_falling_spot_price_and_a_price_below_spot() {
    let (one, two) = (E18, E18 * U256::from(2));
    let err = check_swap_prices(two, one, one, one, U256::MAX).unwrap_err();
    assert_eq!(
        enc(err),
        enc(IndexPoolSpotPriceDecreased { spotPriceBefore: two, spotPriceAfter: one })
    );
    // Paying 1 for 1 at a spot price of 2 is below spot.
    let err = check_swap_prices(two, two, one, one, U256::MAX).unwrap_err();
    assert_eq!(
        enc(err),
        enc(IndexPoolPriceBelowSpot { spotPriceBefore: two, amountIn: one, amountOut: one })
    );
    let err = check_swap_prices(one, two, one, one, one).unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolSpotPriceAboveMax { spotPrice: two, maxPrice: one }));
    assert!(check_swap_prices(one, two, two, one, two).is_ok());
}

#[motsu::test]
fn swaps_and_single_token_operations_need_a_finalized_pool_with_swaps_on(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
) {
    setup_deploy(&pool, &math, ctrl);
    setup_token(&a, ctrl, e18(100), pool.address());
    setup_token(&b, ctrl, e18(100), pool.address());
    pool.sender(ctrl)
        .bind_at(T0, a.address(), e18(100), MIN_WEIGHT, ts(T0), ts(T0 + 1))
        .motsu_unwrap();
    pool.sender(ctrl)
        .bind_at(T0, b.address(), e18(100), MIN_WEIGHT, ts(T0), ts(T0 + 1))
        .motsu_unwrap();
    setup_fund(&a, alice, e18(10), pool.address());
    setup_fund(&b, alice, e18(10), pool.address());
    let (ta, tb) = (a.address(), b.address());
    let not_final = enc(IndexPoolNotFinalized {});
    assert_eq!(
        enc(pool
            .sender(alice)
            .swap_exact_amount_in_at(T0, ta, E18, tb, U256::ZERO, U256::MAX)
            .motsu_unwrap_err()),
        not_final
    );
    assert_eq!(
        enc(pool
            .sender(alice)
            .joinswap_extern_amount_in_at(T0, ta, E18, U256::ZERO)
            .motsu_unwrap_err()),
        not_final
    );
    assert_eq!(
        enc(pool.sender(alice).join_pool(E18, &[U256::MAX, U256::MAX]).motsu_unwrap_err()),
        not_final
    );
    assert_eq!(
        enc(pool.sender(alice).exit_pool(E18, &[U256::ZERO, U256::ZERO]).motsu_unwrap_err()),
        not_final
    );
    pool.sender(ctrl).finalize().motsu_unwrap();
    pool.sender(ctrl).set_swaps_disabled(true).motsu_unwrap();
    let before = snapshot(&pool, &[&a, &b], &[alice]);
    let off = enc(IndexPoolSwapsDisabled {});
    assert_eq!(
        enc(pool
            .sender(alice)
            .swap_exact_amount_in_at(T0, ta, E18, tb, U256::ZERO, U256::MAX)
            .motsu_unwrap_err()),
        off
    );
    assert_eq!(
        enc(pool
            .sender(alice)
            .swap_exact_amount_out_at(T0, ta, U256::MAX, tb, E18, U256::MAX)
            .motsu_unwrap_err()),
        off
    );
    assert_eq!(
        enc(pool
            .sender(alice)
            .joinswap_extern_amount_in_at(T0, ta, E18, U256::ZERO)
            .motsu_unwrap_err()),
        off
    );
    assert_eq!(
        enc(pool
            .sender(alice)
            .joinswap_pool_amount_out_at(T0, ta, E18, U256::MAX)
            .motsu_unwrap_err()),
        off
    );
    assert_eq!(
        enc(pool
            .sender(ctrl)
            .exitswap_pool_amount_in_at(T0, ta, E18, U256::ZERO)
            .motsu_unwrap_err()),
        off
    );
    assert_eq!(
        enc(pool
            .sender(ctrl)
            .exitswap_extern_amount_out_at(T0, ta, E18, U256::MAX)
            .motsu_unwrap_err()),
        off
    );
    assert_eq!(snapshot(&pool, &[&a, &b], &[alice]), before);
    // Proportional joins still work while swaps are off.
    pool.sender(alice).join_pool(E18, &[U256::MAX, U256::MAX]).motsu_unwrap();
    assert_eq!(pool.sender(alice).balance_of(alice), E18);
}

#[motsu::test]
fn extreme_weight_ratio_surfaces_the_math_library_error(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
) {
    // A at 50e18 against B at 1e9: outGivenIn's exponent is 5e10, whose product with
    // ln(base) leaves exp's domain (strata_math ProductOutOfBounds, code 6).
    setup_deploy(&pool, &math, ctrl);
    setup_token(&a, ctrl, e18(100), pool.address());
    setup_token(&b, ctrl, e18(100), pool.address());
    pool.sender(ctrl)
        .bind_at(T0, a.address(), e18(100), MAX_WEIGHT - MIN_WEIGHT, ts(T0), ts(T1))
        .motsu_unwrap();
    pool.sender(ctrl).bind_at(T0, b.address(), e18(100), MIN_WEIGHT, ts(T0), ts(T1)).motsu_unwrap();
    pool.sender(ctrl).finalize().motsu_unwrap();
    setup_fund(&a, alice, e18(100), pool.address());
    let before = snapshot(&pool, &[&a, &b], &[alice]);
    let err = pool
        .sender(alice)
        .swap_exact_amount_in_at(T1, a.address(), e18(10), b.address(), U256::ZERO, U256::MAX)
        .motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(IndexPoolMath { code: strata_math::MathError::ProductOutOfBounds.code() })
    );
    assert_eq!(snapshot(&pool, &[&a, &b], &[alice]), before);
}

#[motsu::test]
fn math_library_without_code_reverts_with_code_zero(
    pool: Contract<IndexPool>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
    eoa: Address,
) {
    pool.sender(ctrl)
        .constructor(
            bytes32("P"),
            bytes32("P"),
            ctrl,
            U256::ZERO,
            ANY_RATE,
            part(1),
            part(2),
            part(3),
            eoa,
        )
        .motsu_unwrap();
    setup_token(&a, ctrl, e18(100), pool.address());
    setup_token(&b, ctrl, e18(100), pool.address());
    pool.sender(ctrl)
        .bind_at(T0, a.address(), e18(100), MIN_WEIGHT, ts(T0), ts(T0 + 1))
        .motsu_unwrap();
    pool.sender(ctrl)
        .bind_at(T0, b.address(), e18(100), MIN_WEIGHT, ts(T0), ts(T0 + 1))
        .motsu_unwrap();
    pool.sender(ctrl).finalize().motsu_unwrap();
    setup_fund(&a, alice, e18(10), pool.address());
    let err = pool
        .sender(alice)
        .swap_exact_amount_in_at(T0, a.address(), E18, b.address(), U256::ZERO, U256::MAX)
        .motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolMath { code: MATH_CALL_FAILED }));
}

// ------------------------------------------------------------------ joins and exits

#[motsu::test]
fn join_pool_takes_proportional_amounts_rounded_up(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
) {
    setup_weighted(&pool, &math, &a, &b, ctrl, alice);
    // A donation makes A's balance 107e18, so 107e18 · P / S is not whole.
    a.sender(alice).transfer(pool.address(), e18(7)).motsu_unwrap();
    pool.sender(alice).gulp(a.address()).motsu_unwrap();
    let p = E18 * U256::from(100) / U256::from(3);
    pool.sender(alice).join_pool(p, &[U256::MAX, U256::MAX]).motsu_unwrap();
    // ⌈107e18 · 33333333333333333333 / 100e18⌉ = ⌈35666666666666666666.31⌉ and 2 · P exactly.
    let in_a = U256::from(35_666_666_666_666_666_667_u128);
    let in_b = U256::from(66_666_666_666_666_666_666_u128);
    assert_eq!(pool.sender(alice).balance_of(alice), p);
    assert_eq!(pool.sender(alice).total_supply(), e18(100) + p);
    assert_eq!(pool.sender(alice).recorded_balance(a.address()).unwrap(), e18(107) + in_a);
    assert_eq!(a.sender(alice).balance_of(alice), e18(993) - in_a);
    assert_eq!(b.sender(alice).balance_of(alice), e18(1000) - in_b);
    pool.assert_emitted(&Join { caller: alice, tokenIn: a.address(), amountIn: in_a });
    pool.assert_emitted(&Join { caller: alice, tokenIn: b.address(), amountIn: in_b });
}

#[motsu::test]
fn exit_pool_pays_proportional_amounts_rounded_down(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
) {
    setup_weighted(&pool, &math, &a, &b, ctrl, alice);
    a.sender(alice).transfer(pool.address(), e18(7)).motsu_unwrap();
    pool.sender(alice).gulp(a.address()).motsu_unwrap();
    let p = E18 * U256::from(100) / U256::from(3);
    pool.sender(ctrl).exit_pool(p, &[U256::ZERO, U256::ZERO]).motsu_unwrap();
    // ⌊35666666666666666666.31⌋ and 2 · P exactly.
    let out_a = U256::from(35_666_666_666_666_666_666_u128);
    let out_b = U256::from(66_666_666_666_666_666_666_u128);
    assert_eq!(pool.sender(ctrl).balance_of(ctrl), e18(100) - p);
    assert_eq!(pool.sender(ctrl).total_supply(), e18(100) - p);
    assert_eq!(a.sender(ctrl).balance_of(ctrl), out_a);
    assert_eq!(b.sender(ctrl).balance_of(ctrl), out_b);
    assert_eq!(pool.sender(ctrl).recorded_balance(a.address()).unwrap(), e18(107) - out_a);
    pool.assert_emitted(&Exit { caller: ctrl, tokenOut: b.address(), amountOut: out_b });
}

#[motsu::test]
fn joins_and_exits_revert_on_bad_arguments_and_limits_and_change_nothing(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
) {
    setup_weighted(&pool, &math, &a, &b, ctrl, alice);
    let before = snapshot(&pool, &[&a, &b], &[alice, ctrl]);
    let any = [U256::MAX, U256::MAX];
    let none = [U256::ZERO, U256::ZERO];
    assert_eq!(
        enc(pool.sender(alice).join_pool(U256::ZERO, &any).motsu_unwrap_err()),
        enc(IndexPoolZeroAmount {})
    );
    assert_eq!(
        enc(pool.sender(alice).exit_pool(U256::ZERO, &none).motsu_unwrap_err()),
        enc(IndexPoolZeroAmount {})
    );
    let err = pool.sender(alice).join_pool(E18, &[U256::MAX]).motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolArrayLength { length: U256::ONE, expected: U256::from(2) }));
    let err = pool.sender(ctrl).exit_pool(E18, &[U256::ZERO; 3]).motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(IndexPoolArrayLength { length: U256::from(3), expected: U256::from(2) })
    );
    // 1e18 shares cost exactly 1e18 A and 2e18 B.
    let err =
        pool.sender(alice).join_pool(E18, &[U256::MAX, e18(2) - U256::ONE]).motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(IndexPoolAmountInAboveMax { amountIn: e18(2), maxAmountIn: e18(2) - U256::ONE })
    );
    let err = pool.sender(ctrl).exit_pool(E18, &[E18 + U256::ONE, U256::ZERO]).motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(IndexPoolAmountOutBelowMin { amountOut: E18, minAmountOut: E18 + U256::ONE })
    );
    // Alice holds no shares.
    let err = pool.sender(alice).exit_pool(E18, &none).motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(erc20::ERC20InsufficientBalance { sender: alice, balance: U256::ZERO, needed: E18 })
    );
    // The whole supply would empty the pool below MIN_BALANCE.
    let err = pool.sender(ctrl).exit_pool(INIT_POOL_SUPPLY, &none).motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(IndexPoolMinBalance { token: a.address(), balance: U256::ZERO, min: MIN_BALANCE })
    );
    assert_eq!(snapshot(&pool, &[&a, &b], &[alice, ctrl]), before);
}

#[motsu::test]
fn single_token_joins_and_exits_match_the_math_library(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
) {
    setup_weighted(&pool, &math, &a, &b, ctrl, alice);
    let (s, wt) = (e18(100), e18(50));
    let minted = pool
        .sender(alice)
        .joinswap_extern_amount_in_at(T1, a.address(), e18(10), U256::ZERO)
        .motsu_unwrap();
    assert_eq!(
        minted,
        WeightedMath::calc_pool_out_given_single_in(e18(100), e18(20), s, wt, e18(10), FEE_1PCT)
            .unwrap()
    );
    assert_eq!(pool.sender(alice).balance_of(alice), minted);
    let s = s + minted;
    let paid = pool
        .sender(alice)
        .joinswap_pool_amount_out_at(T1, b.address(), E18, U256::MAX)
        .motsu_unwrap();
    assert_eq!(
        paid,
        WeightedMath::calc_single_in_given_pool_out(e18(200), e18(30), s, wt, E18, FEE_1PCT)
            .unwrap()
    );
    let s = s + E18;
    let b_balance = e18(200) + paid;
    let out = pool
        .sender(alice)
        .exitswap_pool_amount_in_at(T1, b.address(), E18, U256::ZERO)
        .motsu_unwrap();
    assert_eq!(
        out,
        WeightedMath::calc_single_out_given_pool_in(b_balance, e18(30), s, wt, E18, FEE_1PCT)
            .unwrap()
    );
    let s = s - E18;
    let b_balance = b_balance - out;
    let burnt = pool
        .sender(alice)
        .exitswap_extern_amount_out_at(T1, b.address(), E18, U256::MAX)
        .motsu_unwrap();
    assert_eq!(
        burnt,
        WeightedMath::calc_pool_in_given_single_out(b_balance, e18(30), s, wt, E18, FEE_1PCT)
            .unwrap()
    );
    assert_eq!(pool.sender(alice).total_supply(), s - burnt);
    assert_eq!(pool.sender(alice).recorded_balance(b.address()).unwrap(), b_balance - E18);
    pool.assert_emitted(&Join { caller: alice, tokenIn: a.address(), amountIn: e18(10) });
    pool.assert_emitted(&Exit { caller: alice, tokenOut: b.address(), amountOut: E18 });
}

#[motsu::test]
fn single_token_operations_revert_on_limits_and_change_nothing(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
    stranger: Address,
) {
    setup_weighted(&pool, &math, &a, &b, ctrl, alice);
    let (s, wt) = (e18(100), e18(50));
    let ta = a.address();
    let before = snapshot(&pool, &[&a, &b], &[alice, ctrl]);
    let join_in = |who: Address, t: Address, amount: U256, min: U256| {
        enc(pool.sender(who).joinswap_extern_amount_in_at(T1, t, amount, min).motsu_unwrap_err())
    };
    assert_eq!(join_in(alice, ta, U256::ZERO, U256::ZERO), enc(IndexPoolZeroAmount {}));
    assert_eq!(
        join_in(alice, stranger, E18, U256::ZERO),
        enc(IndexPoolNotBound { token: stranger })
    );
    assert_eq!(
        join_in(alice, ta, e18(50) + U256::ONE, U256::ZERO),
        enc(IndexPoolMaxInRatio { amountIn: e18(50) + U256::ONE, limit: e18(50) })
    );
    let minted =
        WeightedMath::calc_pool_out_given_single_in(e18(100), e18(20), s, wt, E18, FEE_1PCT)
            .unwrap();
    assert_eq!(
        join_in(alice, ta, E18, minted + U256::ONE),
        enc(IndexPoolAmountOutBelowMin { amountOut: minted, minAmountOut: minted + U256::ONE })
    );
    let cost = WeightedMath::calc_single_in_given_pool_out(e18(100), e18(20), s, wt, E18, FEE_1PCT)
        .unwrap();
    let err = pool
        .sender(alice)
        .joinswap_pool_amount_out_at(T1, ta, E18, cost - U256::ONE)
        .motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(IndexPoolAmountInAboveMax { amountIn: cost, maxAmountIn: cost - U256::ONE })
    );
    // 30e18 shares of 100e18 need more than half of A's balance.
    let err = pool
        .sender(alice)
        .joinswap_pool_amount_out_at(T1, ta, e18(30), U256::MAX)
        .motsu_unwrap_err();
    let big =
        WeightedMath::calc_single_in_given_pool_out(e18(100), e18(20), s, wt, e18(30), FEE_1PCT)
            .unwrap();
    assert_eq!(enc(err), enc(IndexPoolMaxInRatio { amountIn: big, limit: e18(50) }));
    let out = WeightedMath::calc_single_out_given_pool_in(e18(100), e18(20), s, wt, E18, FEE_1PCT)
        .unwrap();
    let err = pool
        .sender(ctrl)
        .exitswap_pool_amount_in_at(T1, ta, E18, out + U256::ONE)
        .motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(IndexPoolAmountOutBelowMin { amountOut: out, minAmountOut: out + U256::ONE })
    );
    // 20e18 shares pay out more than a third of A.
    let err = pool
        .sender(ctrl)
        .exitswap_pool_amount_in_at(T1, ta, e18(20), U256::ZERO)
        .motsu_unwrap_err();
    let big_out =
        WeightedMath::calc_single_out_given_pool_in(e18(100), e18(20), s, wt, e18(20), FEE_1PCT)
            .unwrap();
    let out_limit = e18(100) * MAX_OUT_RATIO / E18;
    assert_eq!(enc(err), enc(IndexPoolMaxOutRatio { amountOut: big_out, limit: out_limit }));
    let err = pool
        .sender(ctrl)
        .exitswap_extern_amount_out_at(T1, ta, out_limit + U256::ONE, U256::MAX)
        .motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(IndexPoolMaxOutRatio { amountOut: out_limit + U256::ONE, limit: out_limit })
    );
    let burn = WeightedMath::calc_pool_in_given_single_out(e18(100), e18(20), s, wt, E18, FEE_1PCT)
        .unwrap();
    let err = pool
        .sender(ctrl)
        .exitswap_extern_amount_out_at(T1, ta, E18, burn - U256::ONE)
        .motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(IndexPoolAmountInAboveMax { amountIn: burn, maxAmountIn: burn - U256::ONE })
    );
    let err =
        pool.sender(alice).exitswap_extern_amount_out_at(T1, ta, E18, U256::MAX).motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(erc20::ERC20InsufficientBalance { sender: alice, balance: U256::ZERO, needed: burn })
    );
    assert_eq!(snapshot(&pool, &[&a, &b], &[alice, ctrl]), before);
}

#[motsu::test]
fn single_token_exit_reverts_below_min_balance(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
) {
    setup_deploy(&pool, &math, ctrl);
    let small = U256::from(1_200_000);
    setup_token(&a, ctrl, e18(1), pool.address());
    setup_token(&b, ctrl, small, pool.address());
    pool.sender(ctrl)
        .bind_at(T0, a.address(), e18(1), MIN_WEIGHT, ts(T0), ts(T0 + 1))
        .motsu_unwrap();
    pool.sender(ctrl)
        .bind_at(T0, b.address(), small, MIN_WEIGHT, ts(T0), ts(T0 + 1))
        .motsu_unwrap();
    pool.sender(ctrl).finalize().motsu_unwrap();
    let before = snapshot(&pool, &[&a, &b], &[ctrl]);
    let out = U256::from(300_000);
    let err = pool
        .sender(ctrl)
        .exitswap_extern_amount_out_at(T0, b.address(), out, U256::MAX)
        .motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(IndexPoolMinBalance { token: b.address(), balance: small - out, min: MIN_BALANCE })
    );
    assert_eq!(snapshot(&pool, &[&a, &b], &[ctrl]), before);
}

// ------------------------------------------------------------------ community fees

#[motsu::test]
fn community_swap_fee_is_taken_in_the_input_token_and_skipped_for_the_no_fee_list(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
    receiver: Address,
) {
    setup_weighted(&pool, &math, &a, &b, ctrl, alice);
    let rate = E18 / U256::from(20); // 5%
    pool.sender(ctrl)
        .set_community_fees_and_receiver(rate, U256::ZERO, U256::ZERO, receiver)
        .motsu_unwrap();
    // 10e18 in: 0.5e18 to the receiver, 9.5e18 swapped.
    let (out, _) = pool
        .sender(alice)
        .swap_exact_amount_in_at(T1, a.address(), e18(10), b.address(), U256::ZERO, U256::MAX)
        .motsu_unwrap();
    let fee = e18(10) / U256::from(20);
    assert_eq!(
        out,
        WeightedMath::calc_out_given_in(
            e18(100),
            e18(20),
            e18(200),
            e18(30),
            e18(10) - fee,
            FEE_1PCT
        )
        .unwrap()
    );
    assert_eq!(a.sender(alice).balance_of(receiver), fee);
    assert_eq!(a.sender(alice).balance_of(alice), e18(990));
    assert_eq!(pool.sender(alice).recorded_balance(a.address()).unwrap(), e18(110) - fee);
    pool.assert_emitted(&CommunityFee { caller: alice, token: a.address(), amount: fee });
    pool.assert_emitted(&Swap {
        caller: alice,
        tokenIn: a.address(),
        tokenOut: b.address(),
        amountIn: e18(10) - fee,
        amountOut: out,
    });
    // Exact out: the pool's input x is grossed up to ⌈x / 0.95⌉.
    let x = WeightedMath::calc_in_given_out(
        e18(110) - fee,
        e18(20),
        e18(200) - out,
        e18(30),
        E18,
        FEE_1PCT,
    )
    .unwrap();
    let gross = (x * E18).div_ceil(E18 - rate);
    let (paid, _) = pool
        .sender(alice)
        .swap_exact_amount_out_at(T1, a.address(), U256::MAX, b.address(), E18, U256::MAX)
        .motsu_unwrap();
    assert_eq!(paid, gross);
    assert_eq!(a.sender(alice).balance_of(receiver), fee + gross - x);
    // No fee for the no-fee list.
    pool.sender(ctrl).set_without_fee(alice, true).motsu_unwrap();
    pool.sender(alice)
        .swap_exact_amount_in_at(T1, a.address(), E18, b.address(), U256::ZERO, U256::MAX)
        .motsu_unwrap();
    assert_eq!(a.sender(alice).balance_of(receiver), fee + gross - x);
}

#[motsu::test]
fn community_join_and_exit_fees_are_paid_in_shares(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
    receiver: Address,
) {
    setup_weighted(&pool, &math, &a, &b, ctrl, alice);
    let rate = E18 / U256::from(100); // 1%
    pool.sender(ctrl)
        .set_community_fees_and_receiver(U256::ZERO, rate, rate, receiver)
        .motsu_unwrap();
    // joinPool: exactly 99e18 shares to alice; 1e18 more minted to the receiver; tokens for 100e18.
    pool.sender(alice).join_pool(e18(99), &[U256::MAX, U256::MAX]).motsu_unwrap();
    assert_eq!(pool.sender(alice).balance_of(alice), e18(99));
    assert_eq!(pool.sender(alice).balance_of(receiver), E18);
    assert_eq!(a.sender(alice).balance_of(alice), e18(900));
    assert_eq!(b.sender(alice).balance_of(alice), e18(800));
    pool.assert_emitted(&CommunityFee { caller: alice, token: pool.address(), amount: E18 });
    // exitPool of 10e18: 0.1e18 moves to the receiver, 9.9e18 are burnt.
    let supply = pool.sender(alice).total_supply();
    pool.sender(alice).exit_pool(e18(10), &[U256::ZERO, U256::ZERO]).motsu_unwrap();
    let fee = e18(10) / U256::from(100);
    assert_eq!(pool.sender(alice).balance_of(alice), e18(89));
    assert_eq!(pool.sender(alice).balance_of(receiver), E18 + fee);
    assert_eq!(pool.sender(alice).total_supply(), supply - (e18(10) - fee));
    assert_eq!(a.sender(alice).balance_of(alice), e18(900) + e18(200) * (e18(10) - fee) / supply);
    // joinswapExternAmountIn: minted P, the receiver gets ⌈P · 1%⌉.
    let supply = pool.sender(alice).total_supply();
    let a_balance = pool.sender(alice).recorded_balance(a.address()).unwrap();
    let minted = WeightedMath::calc_pool_out_given_single_in(
        a_balance,
        e18(20),
        supply,
        e18(50),
        E18,
        FEE_1PCT,
    )
    .unwrap();
    let got = pool
        .sender(alice)
        .joinswap_extern_amount_in_at(T1, a.address(), E18, U256::ZERO)
        .motsu_unwrap();
    let join_fee = (minted * rate).div_ceil(E18);
    assert_eq!(got, minted - join_fee);
    assert_eq!(pool.sender(alice).balance_of(receiver), E18 + fee + join_fee);
}

// ------------------------------------------------------------------ gulp and views

#[motsu::test]
fn gulp_absorbs_donations_and_never_lowers_the_record(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
    stranger: Address,
) {
    setup_weighted(&pool, &math, &a, &b, ctrl, alice);
    a.sender(alice).transfer(pool.address(), e18(7)).motsu_unwrap();
    assert_eq!(pool.sender(alice).recorded_balance(a.address()).unwrap(), e18(100));
    pool.sender(alice).gulp(a.address()).motsu_unwrap();
    assert_eq!(pool.sender(alice).recorded_balance(a.address()).unwrap(), e18(107));
    pool.assert_emitted(&Gulped { token: a.address(), balance: e18(107) });
    // A loss of real balance (the mock lets anyone burn) does not lower the record.
    a.sender(alice).burn(pool.address(), e18(1)).motsu_unwrap();
    pool.sender(alice).gulp(a.address()).motsu_unwrap();
    assert_eq!(pool.sender(alice).recorded_balance(a.address()).unwrap(), e18(107));
    let err = pool.sender(alice).gulp(stranger).motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolNotBound { token: stranger }));
}

#[motsu::test]
fn views_report_balances_weights_and_spot_prices(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    stranger: Address,
) {
    setup_reference(&pool, &math, &a, &b, ctrl);
    let p = pool.sender(ctrl);
    assert_eq!(p.current_tokens(), vec![a.address(), b.address()]);
    assert_eq!(p.total_weight_at(T0).unwrap(), MIN_WEIGHT * U256::from(2));
    assert_eq!(p.normalized_weight_at(T0, a.address()).unwrap(), E18 / U256::from(2));
    // Spec reference: 0.50505...051 and 2.0202...0203 (rounded up, one wei above the anchor's half-up).
    assert_eq!(
        p.spot_price_at(T0, a.address(), b.address()).unwrap(),
        uint!(505_050_505_050_505_051_U256)
    );
    assert_eq!(
        p.spot_price_at(T0, b.address(), a.address()).unwrap(),
        uint!(2_020_202_020_202_020_203_U256)
    );
    assert_eq!(
        enc(p.recorded_balance(stranger).unwrap_err()),
        enc(IndexPoolNotBound { token: stranger })
    );
    assert_eq!(
        enc(p.weight_of_at(T0, stranger).unwrap_err()),
        enc(IndexPoolNotBound { token: stranger })
    );
    assert_eq!(
        enc(p.dynamic_weight_settings(stranger).unwrap_err()),
        enc(IndexPoolNotBound { token: stranger })
    );
    assert_eq!(
        enc(p.spot_price_at(T0, a.address(), stranger).unwrap_err()),
        enc(IndexPoolNotBound { token: stranger })
    );
}

#[motsu::test]
fn share_token_transfers_and_allowances_follow_erc20(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    ctrl: Address,
    alice: Address,
) {
    setup_reference(&pool, &math, &a, &b, ctrl);
    pool.sender(ctrl).transfer(alice, e18(10)).motsu_unwrap();
    pool.sender(alice).approve(ctrl, e18(4)).motsu_unwrap();
    pool.sender(ctrl).transfer_from(alice, ctrl, e18(3)).motsu_unwrap();
    assert_eq!(pool.sender(ctrl).balance_of(alice), e18(7));
    assert_eq!(pool.sender(ctrl).allowance(alice, ctrl), E18);
    let err = pool.sender(ctrl).transfer_from(alice, ctrl, e18(2)).motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(erc20::ERC20InsufficientAllowance { spender: ctrl, allowance: E18, needed: e18(2) })
    );
    let err = pool.sender(alice).transfer(Address::ZERO, E18).motsu_unwrap_err();
    assert_eq!(enc(err), enc(erc20::ERC20InvalidReceiver { receiver: Address::ZERO }));
    let err = pool.sender(alice).approve(Address::ZERO, E18).motsu_unwrap_err();
    assert_eq!(enc(err), enc(erc20::ERC20InvalidSpender { spender: Address::ZERO }));
    let err = pool.sender(alice).transfer(ctrl, e18(8)).motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(erc20::ERC20InsufficientBalance { sender: alice, balance: e18(7), needed: e18(8) })
    );
    assert_eq!(pool.sender(ctrl).balance_of(alice), e18(7));
}

// ------------------------------------------------------------------ meta-governance

#[motsu::test]
fn voting_allow_list_refuses_token_moving_selectors(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    ctrl: Address,
    alice: Address,
    target: Address,
) {
    setup_deploy(&pool, &math, ctrl);
    for selector in FORBIDDEN_VOTING_SELECTORS {
        let err = pool
            .sender(ctrl)
            .set_voting_allowed(target, FixedBytes(selector), true)
            .motsu_unwrap_err();
        assert_eq!(
            enc(err),
            enc(IndexPoolVotingSelectorForbidden { selector: FixedBytes(selector) })
        );
        // Disallowing is always possible.
        pool.sender(ctrl).set_voting_allowed(target, FixedBytes(selector), false).motsu_unwrap();
    }
    let vote = FixedBytes([1, 2, 3, 4]);
    let err = pool.sender(alice).set_voting_allowed(target, vote, true).motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolNotController { caller: alice }));
    pool.sender(ctrl).set_voting_allowed(target, vote, true).motsu_unwrap();
    assert!(pool.sender(ctrl).is_voting_allowed(target, vote));
    pool.assert_emitted(&VotingAllowedSet { target, selector: vote, allowed: true });
}

#[motsu::test]
fn call_voting_reaches_the_governor_with_the_pools_voting_power(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    gov: Contract<MockGovernor>,
    ctrl: Address,
) {
    setup_reference(&pool, &math, &a, &b, ctrl);
    gov.sender(ctrl).constructor(a.address());
    let selector = FixedBytes(vote_abi::castVoteCall::SELECTOR);
    let args = (U256::from(7), U256::ONE).abi_encode_params();
    pool.sender(ctrl).set_voting_allowed(gov.address(), selector, true).motsu_unwrap();
    pool.sender(ctrl).call_voting(gov.address(), selector, &args, U256::ZERO).motsu_unwrap();
    assert_eq!(gov.sender(ctrl).get_receipt(U256::from(7), pool.address()), (true, 1, e18(100)));
    pool.assert_emitted(&VotingCalled {
        target: gov.address(),
        selector,
        args: args.clone().into(),
    });
}

#[motsu::test]
fn call_voting_reverts_unless_allowed_matching_value_successful_and_balance_preserving(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    gov: Contract<MockGovernor>,
    ctrl: Address,
    alice: Address,
) {
    setup_reference(&pool, &math, &a, &b, ctrl);
    gov.sender(ctrl).constructor(a.address());
    let cast = FixedBytes(vote_abi::castVoteCall::SELECTOR);
    let burn = FixedBytes(vote_abi::burnCall::SELECTOR);
    let before = snapshot(&pool, &[&a, &b], &[ctrl]);
    let good_args = (U256::from(7), U256::ONE).abi_encode_params();
    let err = pool
        .sender(alice)
        .call_voting(gov.address(), cast, &good_args, U256::ZERO)
        .motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolNotController { caller: alice }));
    let err = pool
        .sender(ctrl)
        .call_voting(gov.address(), cast, &good_args, U256::ZERO)
        .motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolVotingNotAllowed { target: gov.address(), selector: cast }));
    pool.sender(ctrl).set_voting_allowed(gov.address(), cast, true).motsu_unwrap();
    let err = pool
        .sender(ctrl)
        .call_voting(gov.address(), cast, &good_args, U256::ONE)
        .motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(IndexPoolVotingValueMismatch { value: U256::ONE, msgValue: U256::ZERO })
    );
    // support = 3 makes the governor revert.
    let bad_args = (U256::from(7), U256::from(3)).abi_encode_params();
    let err = pool
        .sender(ctrl)
        .call_voting(gov.address(), cast, &bad_args, U256::ZERO)
        .motsu_unwrap_err();
    assert_eq!(enc(err), enc(IndexPoolVotingCallFailed { target: gov.address(), selector: cast }));
    // An allow-listed call that takes pooled tokens (the mock token's open burn) is undone.
    pool.sender(ctrl).set_voting_allowed(a.address(), burn, true).motsu_unwrap();
    let burn_args = (pool.address(), E18).abi_encode_params();
    let err =
        pool.sender(ctrl).call_voting(a.address(), burn, &burn_args, U256::ZERO).motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(IndexPoolVotingMovedBalance {
            token: a.address(),
            balance: e18(99),
            recorded: e18(100)
        })
    );
    assert_eq!(snapshot(&pool, &[&a, &b], &[ctrl]), before);
    assert_eq!(gov.sender(ctrl).get_receipt(U256::from(7), pool.address()), (false, 0, U256::ZERO));
}

/// The mock governor's vote and the mock token's open burn, as called through `callVoting`.
mod vote_abi {
    #![allow(missing_docs)]
    alloy_sol_types::sol! {
        function castVote(uint256 proposalId, uint8 support) external returns (uint256);
        function burn(address from, uint256 value) external;
    }
}

// ------------------------------------------------------------------ reentrancy

/// A token that calls back into the pool (`gulp`) from `transferFrom`, records what the
/// pool answered, and completes the transfer.
#[storage]
struct ReentrantToken {
    erc20: openzeppelin_stylus::token::erc20::Erc20,
    pool: stylus_sdk::storage::StorageAddress,
    answer: stylus_sdk::storage::StorageBytes,
    calls: StorageU256,
}
unsafe impl TopLevelStorage for ReentrantToken {}

#[public]
impl ReentrantToken {
    fn mint(&mut self, to: Address, value: U256) {
        self.erc20._mint(to, value).unwrap();
    }
    fn set_pool(&mut self, pool: Address) {
        self.pool.set(pool);
    }
    fn balance_of(&self, account: Address) -> U256 {
        use openzeppelin_stylus::token::erc20::IErc20;
        self.erc20.balance_of(account)
    }
    fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Vec<u8>> {
        use openzeppelin_stylus::token::erc20::IErc20;
        Ok(self.erc20.approve(spender, value)?)
    }
    fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Vec<u8>> {
        use openzeppelin_stylus::token::erc20::IErc20;
        Ok(self.erc20.transfer(to, value)?)
    }
    fn transfer_from(&mut self, from: Address, to: Address, value: U256) -> Result<bool, Vec<u8>> {
        use openzeppelin_stylus::token::erc20::IErc20;
        let pool = self.pool.get();
        if !pool.is_zero() {
            let data = pool_core::gulpCall { token: env::this() }.abi_encode();
            // SAFETY: test contract.
            let answer = unsafe { RawCall::new().call(pool, &data) };
            let calls = self.calls.get() + U256::ONE;
            self.calls.set(calls);
            self.answer.set_bytes(answer.err().unwrap_or_default());
        }
        Ok(self.erc20.transfer_from(from, to, value)?)
    }
}

#[motsu::test]
fn reentrant_token_callback_is_refused_by_the_lock(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    evil: Contract<ReentrantToken>,
    ctrl: Address,
    alice: Address,
) {
    setup_deploy(&pool, &math, ctrl);
    setup_token(&a, ctrl, e18(100), pool.address());
    evil.sender(ctrl).mint(ctrl, e18(100));
    evil.sender(ctrl).approve(pool.address(), U256::MAX).unwrap();
    pool.sender(ctrl)
        .bind_at(T0, a.address(), e18(100), MIN_WEIGHT, ts(T0), ts(T0 + 1))
        .motsu_unwrap();
    pool.sender(ctrl)
        .bind_at(T0, evil.address(), e18(100), MIN_WEIGHT, ts(T0), ts(T0 + 1))
        .motsu_unwrap();
    pool.sender(ctrl).finalize().motsu_unwrap();
    evil.sender(ctrl).mint(alice, e18(10));
    evil.sender(alice).approve(pool.address(), U256::MAX).unwrap();
    evil.sender(ctrl).set_pool(pool.address());
    pool.sender(alice)
        .swap_exact_amount_in_at(T0, evil.address(), E18, a.address(), U256::ZERO, U256::MAX)
        .motsu_unwrap();
    // The callback ran during the swap's token transfer and the pool refused it.
    assert_eq!(evil.sender(alice).calls.get(), U256::ONE);
    assert_eq!(evil.sender(alice).answer.get_bytes(), IndexPoolReentrantCall::SELECTOR.to_vec());
}

// ------------------------------------------------------------------ ABI dispatch (fallback)

/// Forwards raw calldata (and value) to a target, like any contract calling the pool.
#[storage]
struct Caller {
    _unused: StorageU256,
}
unsafe impl TopLevelStorage for Caller {}

#[public]
impl Caller {
    #[payable]
    fn exec(&mut self, target: Address, data: Bytes) -> Result<Bytes, Vec<u8>> {
        let value = env::value();
        // SAFETY: test contract.
        unsafe { RawCall::new_with_value(value).call(target, &data) }.map(Bytes)
    }
}

/// Accepts ETH through a payable function.
#[storage]
struct Sink {
    received: StorageU256,
}
unsafe impl TopLevelStorage for Sink {}

#[public]
impl Sink {
    #[payable]
    fn ping(&mut self, _tag: U256) {
        let total = self.received.get() + env::value();
        self.received.set(total);
    }
}

mod sink_abi {
    #![allow(missing_docs)]
    alloy_sol_types::sol! {
        function ping(uint256 tag) external payable;
    }
}

/// The router's revert for calls it cannot serve: empty data. motsu replaces empty revert
/// data from a nested call with its own "function not found for selector" text, so both
/// are accepted here; the named errors are asserted exactly elsewhere.
fn assert_empty_revert(data: Vec<u8>) {
    let motsu_text = data.starts_with(b"function not found for selector");
    assert!(data.is_empty() || motsu_text, "expected an empty revert, got {data:?}");
}

fn call(
    caller: &Contract<Caller>,
    who: Address,
    pool: &Contract<IndexPool>,
    data: Vec<u8>,
) -> Result<Vec<u8>, Vec<u8>> {
    caller.sender(who).exec(pool.address(), Bytes(data)).map(|b| b.0)
}

#[motsu::test]
fn abi_calls_reach_every_part_through_the_fallback(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    caller: Contract<Caller>,
    alice: Address,
) {
    // The controller is a contract calling through the ABI, like weight-strategy.
    let ctrl = caller.address();
    setup_deploy(&pool, &math, ctrl);
    setup_token(&a, ctrl, e18(100), pool.address());
    setup_token(&b, ctrl, e18(200), pool.address());
    let bind = |t: Address, amount: U256| {
        admin::bindCall {
            token: t,
            balance: amount,
            targetWeight: MIN_WEIGHT,
            fromTimestamp: ts(T0),
            targetTimestamp: ts(T0 + 1),
        }
        .abi_encode()
    };
    call(&caller, alice, &pool, bind(a.address(), e18(100))).unwrap();
    call(&caller, alice, &pool, bind(b.address(), e18(200))).unwrap();
    call(&caller, alice, &pool, admin::finalizeCall {}.abi_encode()).unwrap();
    // Core views, ABI-encoded.
    let ret = call(&caller, alice, &pool, pool_core::getCurrentTokensCall {}.abi_encode()).unwrap();
    assert_eq!(ret, vec![a.address(), b.address()].abi_encode());
    let ret = call(&caller, alice, &pool, pool_core::nameCall {}.abi_encode()).unwrap();
    assert_eq!(ret, String::from("Strata Index").abi_encode());
    let ret = call(&caller, alice, &pool, pool_core::balanceOfCall { account: ctrl }.abi_encode())
        .unwrap();
    assert_eq!(ret, INIT_POOL_SUPPLY.abi_encode());
    let ret =
        call(&caller, alice, &pool, pool_core::getImplementationsCall {}.abi_encode()).unwrap();
    assert_eq!(ret, (part(1), part(2), part(3), math.address()).abi_encode_params());
    let ret = call(
        &caller,
        alice,
        &pool,
        pool_core::isVotingAllowedCall { target: alice, selector: FixedBytes([1, 2, 3, 4]) }
            .abi_encode(),
    )
    .unwrap();
    assert_eq!(ret, false.abi_encode());
    // Swaps part: a weight view and a swap, with the pool's named error on failure.
    let ret = call(
        &caller,
        alice,
        &pool,
        swaps::getSpotPriceCall { tokenIn: a.address(), tokenOut: b.address() }.abi_encode(),
    )
    .unwrap();
    assert_eq!(ret, U256::from(500_000_500_000_500_001_u128).abi_encode());
    setup_fund(&a, ctrl, e18(10), pool.address());
    let swap = swaps::swapExactAmountInCall {
        tokenIn: a.address(),
        tokenAmountIn: E18,
        tokenOut: b.address(),
        minAmountOut: U256::ZERO,
        maxPrice: U256::MAX,
    };
    let ret = call(&caller, alice, &pool, swap.abi_encode()).unwrap();
    let decoded = swaps::swapExactAmountInCall::abi_decode_returns(&ret, true).unwrap();
    assert_eq!(b.sender(alice).balance_of(ctrl), decoded.tokenAmountOut);
    setup_fund(&b, ctrl, e18(10), pool.address());
    let too_much = swaps::swapExactAmountInCall { tokenAmountIn: e18(60), ..swap };
    let err = call(&caller, alice, &pool, too_much.abi_encode()).unwrap_err();
    assert_eq!(
        err,
        enc(IndexPoolMaxInRatio { amountIn: e18(60), limit: (e18(101)) / U256::from(2) })
    );
    // Liquidity part.
    let join =
        liquidity::joinPoolCall { poolAmountOut: E18, maxAmountsIn: vec![U256::MAX, U256::MAX] };
    call(&caller, alice, &pool, join.abi_encode()).unwrap();
    assert_eq!(pool.sender(alice).balance_of(ctrl), INIT_POOL_SUPPLY + E18);
    let exit = liquidity::exitswapPoolAmountInCall {
        tokenOut: a.address(),
        poolAmountIn: E18,
        minAmountOut: U256::ZERO,
    };
    let ret = call(&caller, alice, &pool, exit.abi_encode()).unwrap();
    assert_eq!(ret.len(), 32);
    // Admin part from a non-controller contract caller fails with the named error.
    let other: Contract<Caller> = Contract::new();
    let err = other
        .sender(alice)
        .exec(pool.address(), Bytes(admin::setSwapFeeCall { swapFee: MAX_FEE }.abi_encode()))
        .unwrap_err();
    assert_eq!(err, enc(IndexPoolNotController { caller: other.address() }));
}

#[motsu::test]
fn malformed_calldata_value_to_non_payable_and_unknown_selectors_revert_empty(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    caller: Contract<Caller>,
    alice: Address,
) {
    let ctrl = caller.address();
    setup_reference(&pool, &math, &a, &b, ctrl);
    // Dirty address padding, a truncated word, bool not 0/1, bytes4 padding, an array past
    // the end. (Calldata shorter than a selector is covered by `abi::tests`: motsu itself
    // panics on it while formatting its error message.)
    let mut dirty = pool_core::balanceOfCall { account: alice }.abi_encode();
    dirty[4] = 1;
    assert_empty_revert(call(&caller, alice, &pool, dirty).unwrap_err());
    let mut truncated = pool_core::balanceOfCall { account: alice }.abi_encode();
    truncated.pop();
    assert_empty_revert(call(&caller, alice, &pool, truncated).unwrap_err());
    let mut two = admin::setSwapsDisabledCall { disabled: true }.abi_encode();
    two[35] = 2;
    assert_empty_revert(call(&caller, alice, &pool, two).unwrap_err());
    let mut sel = admin::setVotingAllowedCall {
        target: alice,
        selector: FixedBytes([1, 2, 3, 4]),
        allowed: true,
    }
    .abi_encode();
    sel[4 + 32 + 31] = 9;
    assert_empty_revert(call(&caller, alice, &pool, sel).unwrap_err());
    let mut join =
        liquidity::joinPoolCall { poolAmountOut: E18, maxAmountsIn: vec![U256::MAX, U256::MAX] }
            .abi_encode();
    join.truncate(join.len() - 32);
    assert_empty_revert(call(&caller, alice, &pool, join).unwrap_err());
    // Unknown selector.
    assert_empty_revert(call(&caller, alice, &pool, vec![0xde, 0xad, 0xbe, 0xef]).unwrap_err());
    // Value sent to non-payable functions of each part.
    alice.fund(U256::from(10));
    let with_value = |data: Vec<u8>| {
        caller.sender_and_value(alice, U256::ONE).exec(pool.address(), Bytes(data)).unwrap_err()
    };
    assert_empty_revert(with_value(pool_core::totalSupplyCall {}.abi_encode()));
    assert_empty_revert(with_value(admin::setSwapFeeCall { swapFee: MAX_FEE }.abi_encode()));
    assert_empty_revert(with_value(
        liquidity::joinPoolCall { poolAmountOut: E18, maxAmountsIn: vec![U256::MAX, U256::MAX] }
            .abi_encode(),
    ));
    assert_eq!(pool.sender(alice).swap_fee(), FEE_1PCT);
}

#[motsu::test]
fn call_voting_forwards_the_eth_sent_with_the_call(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    caller: Contract<Caller>,
    sink: Contract<Sink>,
    alice: Address,
) {
    let ctrl = caller.address();
    setup_deploy(&pool, &math, ctrl);
    let ping = FixedBytes(sink_abi::pingCall::SELECTOR);
    pool.sender(ctrl).set_voting_allowed(sink.address(), ping, true).motsu_unwrap();
    alice.fund(U256::from(1_000));
    let data = admin::callVotingCall {
        target: sink.address(),
        selector: ping,
        args: U256::from(5).abi_encode().into(),
        value: U256::from(250),
    }
    .abi_encode();
    caller.sender_and_value(alice, U256::from(250)).exec(pool.address(), Bytes(data)).unwrap();
    assert_eq!(sink.sender(alice).received.get(), U256::from(250));
    assert_eq!(pool.balance(), U256::ZERO);
}
