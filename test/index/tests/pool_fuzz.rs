//! Property tests of the pool through its own functions: no round trip profits (A→B→A,
//! exact-in then exact-out, join→exit, single-token join→exit both ways) at the smallest
//! fee and with random swap and community fees; swaps never decrease the invariant
//! `V = Π B_i^W_i`; weights follow their schedule and the per-second cap at every second;
//! target weights never sum above `MAX_TOTAL_WEIGHT`.
//!
//! The pool's smallest swap fee is `MIN_FEE` (1e-6); the zero-fee round trips are checked on
//! the math library directly (`fuzz_math_round_trips_never_profit_at_zero_fee`).
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    missing_docs
)]

mod pool_support;

use alloy_primitives::{Address, U256};
use index_pool::{MAX_TOTAL_WEIGHT, MAX_WEIGHT, MIN_FEE, MIN_WEIGHT};
use motsu::prelude::*;
use pool_support::{cases, e18, serial, weighted_product_not_smaller, Fixture, T0};
use proptest::prelude::*;
use weighted_math::WeightedMath;

const NOW: u64 = T0 + 1;

fn alice() -> Address {
    Address::with_last_byte(0xA)
}

fn receiver() -> Address {
    Address::with_last_byte(0xFE)
}

/// A token balance from 1e7 base units to 1e30.
fn balance() -> impl Strategy<Value = U256> {
    (7u32..=30, 1u64..=9)
        .prop_map(|(exp, mantissa)| U256::from(mantissa) * U256::from(10).pow(U256::from(exp)))
}

/// A fraction of a balance, in millionths: from one millionth to one half.
fn fraction() -> impl Strategy<Value = U256> {
    (1u64..=500_000).prop_map(U256::from)
}

/// Swap fee: the minimum (the "zero" fee case) or anything up to the maximum.
fn swap_fee() -> impl Strategy<Value = U256> {
    prop_oneof![
        Just(MIN_FEE),
        (1_000_000_000_000u64..=100_000_000_000_000_000).prop_map(U256::from)
    ]
}

/// Community fees (swap, join, exit): off, or up to the maximum.
fn community_fees() -> impl Strategy<Value = (U256, U256, U256)> {
    let fee = prop_oneof![Just(U256::ZERO), (0u64..=100_000_000_000_000_000).prop_map(U256::from)];
    (fee.clone(), fee.clone(), fee)
}

/// A two-token pool at weights `wa : wb` (whole units of 1e18), with community fees and
/// `alice` funded with ten times each balance.
fn setup(
    balances: (U256, U256),
    weights: (u64, u64),
    fee: U256,
    community: (U256, U256, U256),
) -> Fixture {
    let f = Fixture::new(&[balances.0, balances.1], &[e18(weights.0), e18(weights.1)], fee, NOW);
    let (swap, join, exit) = community;
    f.pool
        .sender(f.ctrl)
        .set_community_fees_and_receiver(swap, join, exit, receiver())
        .motsu_unwrap();
    f.fund(alice(), balances.0.max(balances.1) * U256::from(10));
    f
}

fn part(balance: U256, millionths: U256) -> U256 {
    balance * millionths / U256::from(1_000_000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases() / 4))]

    /// Swapping A for B and all of that B back for A never returns more A than was paid.
    #[test]
    fn fuzz_swap_round_trip_a_b_a_never_profits(
        balances in (balance(), balance()),
        weights in (1u64..=25, 1u64..=25),
        fee in swap_fee(),
        community in community_fees(),
        frac in fraction(),
    ) {
        let _serial = serial();
        let f = setup(balances, weights, fee, community);
        let (a, b) = (f.token(0), f.token(1));
        let x = part(balances.0, frac);
        prop_assume!(!x.is_zero());
        let pool = &f.pool;
        let Ok((out, _)) = pool.sender(alice()).swap_exact_amount_in_at(NOW, a, x, b, U256::ZERO, U256::MAX).motsu_res() else {
            return Ok(());
        };
        let a_after_first = f.balance(0, alice());
        if let Ok((back, _)) = pool.sender(alice()).swap_exact_amount_in_at(NOW, b, out, a, U256::ZERO, U256::MAX).motsu_res() {
            prop_assert!(back <= x, "A→B→A returned {back} for {x}");
            prop_assert_eq!(f.balance(0, alice()), a_after_first + back);
        }
    }

    /// Buying back, by exact out, the A just sold by exact in costs at least the B received.
    #[test]
    fn fuzz_exact_in_then_exact_out_never_profits(
        balances in (balance(), balance()),
        weights in (1u64..=25, 1u64..=25),
        fee in swap_fee(),
        community in community_fees(),
        frac in fraction(),
    ) {
        let _serial = serial();
        let f = setup(balances, weights, fee, community);
        let (a, b) = (f.token(0), f.token(1));
        let x = part(balances.0, frac);
        prop_assume!(!x.is_zero());
        let Ok((out, _)) = f.pool.sender(alice()).swap_exact_amount_in_at(NOW, a, x, b, U256::ZERO, U256::MAX).motsu_res() else {
            return Ok(());
        };
        // The pool's A grew by x minus the community fee; ask for that much back.
        let a_in_pool = f.recorded(0) - balances.0;
        if let Ok((paid, _)) = f.pool.sender(alice()).swap_exact_amount_out_at(NOW, b, U256::MAX, a, a_in_pool, U256::MAX).motsu_res() {
            prop_assert!(paid >= out, "got {a_in_pool} A back for {paid} B after receiving {out} B");
        }
    }

    /// Exact out then exact in: selling the B just bought returns at most the A paid.
    #[test]
    fn fuzz_exact_out_then_exact_in_never_profits(
        balances in (balance(), balance()),
        weights in (1u64..=25, 1u64..=25),
        fee in swap_fee(),
        community in community_fees(),
        frac in 1u64..=330_000,
    ) {
        let _serial = serial();
        let f = setup(balances, weights, fee, community);
        let (a, b) = (f.token(0), f.token(1));
        let y = part(balances.1, U256::from(frac));
        prop_assume!(!y.is_zero());
        let Ok((paid, _)) = f.pool.sender(alice()).swap_exact_amount_out_at(NOW, a, U256::MAX, b, y, U256::MAX).motsu_res() else {
            return Ok(());
        };
        if let Ok((back, _)) = f.pool.sender(alice()).swap_exact_amount_in_at(NOW, b, y, a, U256::ZERO, U256::MAX).motsu_res() {
            prop_assert!(back <= paid, "B→A returned {back} A after paying {paid} A for {y} B");
        }
    }

    /// joinPool then exitPool of the same shares returns at most what was paid, per token.
    #[test]
    fn fuzz_join_then_exit_never_profits(
        balances in (balance(), balance()),
        weights in (1u64..=25, 1u64..=25),
        fee in swap_fee(),
        community in community_fees(),
        shares in 1u64..=200_000_000,
    ) {
        let _serial = serial();
        let f = setup(balances, weights, fee, community);
        let p = U256::from(shares) * U256::from(1_000_000_000_000u64); // up to 200e18
        let before = [f.balance(0, alice()), f.balance(1, alice())];
        if f.pool.sender(alice()).join_pool(p, &[U256::MAX, U256::MAX]).motsu_res().is_err() {
            return Ok(());
        }
        let paid = [before[0] - f.balance(0, alice()), before[1] - f.balance(1, alice())];
        let mid = [f.balance(0, alice()), f.balance(1, alice())];
        if f.pool.sender(alice()).exit_pool(p, &[U256::ZERO, U256::ZERO]).motsu_res().is_ok() {
            for i in 0..2 {
                let got = f.balance(i, alice()) - mid[i];
                prop_assert!(got <= paid[i], "token {i}: exit returned {got} after a join cost {}", paid[i]);
            }
            prop_assert_eq!(f.shares(alice()), U256::ZERO);
        }
    }

    /// joinswapExternAmountIn then exitswapPoolAmountIn of the shares received returns at
    /// most the amount deposited; and joinswapPoolAmountOut then exitswapExternAmountOut of
    /// the amount paid burns at least the shares received.
    #[test]
    fn fuzz_single_token_join_then_exit_never_profits(
        balances in (balance(), balance()),
        weights in (1u64..=25, 1u64..=25),
        fee in swap_fee(),
        community in community_fees(),
        frac in fraction(),
        token in 0usize..2,
    ) {
        let _serial = serial();
        let f = setup(balances, weights, fee, community);
        let t = f.token(token);
        let bal = if token == 0 { balances.0 } else { balances.1 };
        let x = part(bal, frac);
        prop_assume!(!x.is_zero());
        if let Ok(p) = f.pool.sender(alice()).joinswap_extern_amount_in_at(NOW, t, x, U256::ZERO).motsu_res() {
            if !p.is_zero() {
                if let Ok(out) = f.pool.sender(alice()).exitswap_pool_amount_in_at(NOW, t, p, U256::ZERO).motsu_res() {
                    prop_assert!(out <= x, "single-token round trip returned {out} for {x}");
                }
            }
        }
        let g = setup(balances, weights, fee, community);
        let t = g.token(token);
        let p = part(e18(100), frac);
        prop_assume!(!p.is_zero());
        if let Ok(paid) = g.pool.sender(alice()).joinswap_pool_amount_out_at(NOW, t, p, U256::MAX).motsu_res() {
            match g.pool.sender(alice()).exitswap_extern_amount_out_at(NOW, t, paid, U256::MAX).motsu_res() {
                Ok(burnt) => prop_assert!(burnt >= p, "withdrawing {paid} burnt {burnt} < {p} shares received"),
                Err(_) => prop_assert!(g.shares(alice()) == p, "a failed exit changed the shares"),
            }
        }
    }

    /// Every swap leaves `B_a^w_a · B_b^w_b` at least where it was (exactly, in big integers).
    #[test]
    fn fuzz_swaps_never_decrease_the_weighted_product(
        balances in (balance(), balance()),
        weights in (1u32..=8, 1u32..=8),
        fee in swap_fee(),
        frac in fraction(),
        exact_out in any::<bool>(),
        a_to_b in any::<bool>(),
    ) {
        let _serial = serial();
        let f = setup(balances, (u64::from(weights.0), u64::from(weights.1)), fee, (U256::ZERO, U256::ZERO, U256::ZERO));
        let (i, o) = if a_to_b { (0, 1) } else { (1, 0) };
        let (tin, tout) = (f.token(i), f.token(o));
        let before = (f.recorded(0), f.recorded(1));
        let result = if exact_out {
            let y = part(f.recorded(o), frac.min(U256::from(330_000)));
            prop_assume!(!y.is_zero());
            f.pool.sender(alice()).swap_exact_amount_out_at(NOW, tin, U256::MAX, tout, y, U256::MAX).motsu_res()
        } else {
            let x = part(f.recorded(i), frac);
            prop_assume!(!x.is_zero());
            f.pool.sender(alice()).swap_exact_amount_in_at(NOW, tin, x, tout, U256::ZERO, U256::MAX).motsu_res()
        };
        if result.is_ok() {
            let after = (f.recorded(0), f.recorded(1));
            prop_assert!(
                weighted_product_not_smaller(after.0, after.1, before.0, before.1, weights.0, weights.1),
                "V fell: {before:?} -> {after:?} at weights {weights:?}"
            );
        }
    }

    /// A schedule is accepted exactly when the rules hold; once accepted, the weight starts
    /// at the current weight, ends at the target, stays between them, and moves at most
    /// `maxWeightPerSecond` in any second.
    #[test]
    fn fuzz_weights_follow_the_schedule_and_the_rate_cap(
        target_units in 1u64..=40_000,
        start in 0u64..=1_000,
        duration in 1u64..=100_000,
        max_rate_units in 1u64..=10_000_000,
        samples in prop::collection::vec(0u64..=200_000, 8),
    ) {
        let _serial = serial();
        let f = Fixture::new(&[e18(100), e18(100)], &[e18(5), e18(5)], MIN_FEE, NOW);
        let target = U256::from(target_units) * U256::from(1_000_000_000_000_000u64); // up to 40e18
        let max_rate = U256::from(max_rate_units) * U256::from(100_000_000_000u64); // up to 1e18 per second
        f.pool.sender(f.ctrl).set_weight_per_second_bounds(U256::ZERO, max_rate).motsu_unwrap();
        let t = f.token(0);
        let (from, to) = (NOW + start, NOW + start + duration);
        let current = f.weight(0, NOW);
        let delta = target.abs_diff(current);
        let expected_ok = target >= MIN_WEIGHT
            && target <= MAX_WEIGHT
            && delta <= max_rate * U256::from(duration)
            && target + e18(5) <= MAX_TOTAL_WEIGHT;
        let ok = f.pool.sender(f.ctrl).set_dynamic_weight_at(NOW, t, target, U256::from(from), U256::from(to)).motsu_res().is_ok();
        prop_assert_eq!(ok, expected_ok, "acceptance of target {} over {}s at max rate {}", target, duration, max_rate);
        if ok {
            prop_assert_eq!(f.weight(0, from), current);
            prop_assert_eq!(f.weight(0, to), target);
            for s in samples {
                let now = NOW + s;
                let (w, next) = (f.weight(0, now), f.weight(0, now + 1));
                prop_assert!(w >= current.min(target) && w <= current.max(target), "weight {w} left [{current}, {target}]");
                prop_assert!(w.abs_diff(next) <= max_rate, "weight moved {} > {max_rate} in one second", w.abs_diff(next));
            }
        }
    }

    /// Whatever schedules the controller tries, the accepted targets never sum above
    /// MAX_TOTAL_WEIGHT and each stays within [MIN_WEIGHT, MAX_WEIGHT].
    #[test]
    fn fuzz_target_weights_never_sum_above_max_total_weight(
        attempts in prop::collection::vec((0usize..3, 1u64..=30_000, 1u64..=5_000), 1..12),
    ) {
        let _serial = serial();
        let f = Fixture::new(&[e18(10), e18(10), e18(10)], &[e18(1), e18(1), e18(1)], MIN_FEE, NOW);
        let mut now = NOW;
        for (token, units, duration) in attempts {
            let target = U256::from(units) * U256::from(1_000_000_000_000_000u64);
            let _ = f.pool.sender(f.ctrl).set_dynamic_weight_at(now, f.token(token), target, U256::from(now), U256::from(now + duration)).motsu_res();
            let targets: Vec<U256> = (0..3).map(|i| f.pool.sender(f.ctrl).dynamic_weight_settings(f.token(i)).unwrap().3).collect();
            let sum = targets.iter().fold(U256::ZERO, |s, &w| s + w);
            prop_assert!(sum <= MAX_TOTAL_WEIGHT, "targets sum to {sum}");
            prop_assert!(targets.iter().all(|&w| w >= MIN_WEIGHT && w <= MAX_WEIGHT));
            now += duration / 2;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// At zero fee (allowed by the math, below the pool's MIN_FEE) the formulas still never
    /// return more than was paid: A→B→A, exact out then exact in, join-single→exit-single.
    #[test]
    fn fuzz_math_round_trips_never_profit_at_zero_fee(
        balances in (balance(), balance()),
        weights in (1u64..=25, 1u64..=25),
        frac in fraction(),
    ) {
        let (bi, bo) = balances;
        let (wi, wo) = (e18(weights.0), e18(weights.1));
        let x = part(bi, frac);
        prop_assume!(!x.is_zero());
        let zero = U256::ZERO;
        if let Ok(out) = WeightedMath::calc_out_given_in(bi, wi, bo, wo, x, zero) {
            if let Ok(back) = WeightedMath::calc_out_given_in(bo - out, wo, bi + x, wi, out, zero) {
                prop_assert!(back <= x, "A→B→A at fee 0 returned {back} for {x}");
            }
        }
        // Exact out then exact in: buying y of the out token and selling it back.
        let y = part(bo, frac.min(U256::from(330_000)));
        if !y.is_zero() {
            if let Ok(cost) = WeightedMath::calc_in_given_out(bi, wi, bo, wo, y, zero) {
                if let Ok(back) = WeightedMath::calc_out_given_in(bo - y, wo, bi + cost, wi, y, zero) {
                    prop_assert!(back <= cost, "exact out then in at fee 0 returned {back} for {cost}");
                }
            }
        }
        let (s, wt) = (e18(100), wi + wo);
        if let Ok(p) = WeightedMath::calc_pool_out_given_single_in(bi, wi, s, wt, x, zero) {
            if let Ok(out) = WeightedMath::calc_single_out_given_pool_in(bi + x, wi, s + p, wt, p, zero) {
                prop_assert!(out <= x, "single join→exit at fee 0 returned {out} for {x}");
            }
        }
    }
}
