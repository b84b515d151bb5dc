//! Property tests of the pool: single-bin swaps equal a Uniswap v3 position over the bin
//! (independent big-integer reference), quotes equal swaps, limits hold, exact input and exact
//! output agree, round trips favour the pool, and fee growth only increases.

use alloy_primitives::{Address, I256, U256};
use infinity_tests::{cases, extreme_limit, i, sqrt_at, v3, World, E18};
use motsu::prelude::*;
use proptest::prelude::*;

fn lp() -> Address {
    Address::from([0x11; 20])
}
fn trader() -> Address {
    Address::from([0x22; 20])
}
fn hooks() -> Address {
    Address::from([0x33; 20])
}

/// A sqrt price strictly inside bin `bin` of `bt` ticks: a tick of the bin plus a fraction
/// of the way to the next tick.
fn price_in_bin(bin: i32, bt: i32, offset: i32, frac: u64) -> U256 {
    let tick = bin * bt + offset.rem_euclid(bt);
    let (a, b) = (sqrt_at(tick), sqrt_at(tick + 1));
    a + (b - a) * U256::from(frac % 1000) / U256::from(1000)
}

fn amount() -> impl Strategy<Value = i128> {
    prop_oneof![
        1i128..1_000_000,
        1_000_000i128..(1000 * E18 as i128),
        (1000 * E18 as i128)..(1_000_000_000 * E18 as i128)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(1000)))]

    #[test]
    fn fuzz_single_bin_swaps_equal_a_v3_position_over_the_bin(
        bt in prop_oneof![Just(1i32), Just(10), Just(60), Just(200)],
        bin in -50i32..50,
        offset in 0i32..200,
        frac in any::<u64>(),
        liquidity in prop_oneof![1_000_000u128..E18, E18..(1_000_000 * E18)],
        fee in prop_oneof![Just(0u32), Just(500), Just(3000), 0u32..100_000],
        zero_for_one in any::<bool>(),
        exact_in in any::<bool>(),
        magnitude in amount(),
        limit_ticks in 0i32..400,
    ) {
        let _serial = infinity_tests::serial();
        let start = price_in_bin(bin, bt, offset, frac);
        let w = World::new(bt, fee, start, hooks());
        w.fund(lp(), U256::MAX >> 4, U256::MAX >> 4);
        w.pour(lp(), bin, bin, liquidity);
        w.fund(trader(), U256::MAX >> 4, U256::MAX >> 4);
        // A limit some ticks beyond the price, possibly past the bin's edge.
        let (_, tick) = w.price();
        let limit = if zero_for_one { sqrt_at(tick - limit_ticks).min(start - U256::ONE) } else { sqrt_at(tick + 1 + limit_ticks) };
        let edge = if zero_for_one { sqrt_at(bin * bt) } else { sqrt_at((bin + 1) * bt) };
        let specified = if exact_in { i(magnitude) } else { i(-magnitude) };
        // Exact output beyond what the bin holds is refused by v3's math in one step, and the
        // pool would simply stop at the limit: keep the requests within the bin's reserves.
        let reserve = if zero_for_one {
            v3::amount1(&v3::big(edge), &v3::big(start), &liquidity.into(), false)
        } else {
            v3::amount0(&v3::big(start), &v3::big(edge), &liquidity.into(), false)
        };
        prop_assume!(exact_in || num_bigint::BigInt::from(magnitude) < reserve);
        let (e0, e1, e_price) = v3::single_range_swap(zero_for_one, start, edge, limit, liquidity, specified, fee);
        let (a0, a1) = w.swap(trader(), zero_for_one, specified, limit).unwrap();
        prop_assert_eq!((a0, a1), (e0, e1));
        prop_assert_eq!(w.price().0, e_price);
    }

    #[test]
    fn fuzz_quote_equals_swap_and_swaps_respect_limits_and_amounts(
        seeds in proptest::collection::vec((-20i32..20, 0i32..4, 1u128..(1000 * E18)), 1..6),
        zero_for_one in any::<bool>(),
        exact_in in any::<bool>(),
        magnitude in amount(),
        limit_ticks in 1i32..3000,
        fee in 0u32..20_000,
    ) {
        let _serial = infinity_tests::serial();
        let w = World::new(10, fee, sqrt_at(3), hooks());
        w.fund(lp(), U256::MAX >> 4, U256::MAX >> 4);
        for (start, width, l) in &seeds {
            w.pour(lp(), *start, start + width, *l);
        }
        w.fund(trader(), U256::MAX >> 4, U256::MAX >> 4);
        let (p0, tick) = w.price();
        let limit = if zero_for_one { sqrt_at(tick - limit_ticks) } else { sqrt_at(tick + 1 + limit_ticks) };
        let specified = if exact_in { i(magnitude) } else { i(-magnitude) };
        let quoted = w.pool.sender(trader()).quote_swap(zero_for_one, specified, limit).unwrap();
        let before = w.balances(trader());
        let swapped = w.swap(trader(), zero_for_one, specified, limit).unwrap();
        prop_assert_eq!(quoted, swapped);
        let (a0, a1) = swapped;
        // The price moved toward the limit and not past it.
        let p1 = w.price().0;
        if zero_for_one { prop_assert!(limit <= p1 && p1 <= p0) } else { prop_assert!(p0 <= p1 && p1 <= limit) }
        // Input and output signs, and the amounts never exceed what was specified.
        let (paid, received) = if zero_for_one { (a0, a1) } else { (a1, a0) };
        prop_assert!(paid >= I256::ZERO && received <= I256::ZERO);
        if exact_in { prop_assert!(paid <= specified) } else { prop_assert!(-received <= -specified) }
        // The trader's balances moved by exactly the deltas; never both up.
        let after = w.balances(trader());
        prop_assert_eq!(v3::big(after.0) - v3::big(before.0), -v3::big_i(a0));
        prop_assert_eq!(v3::big(after.1) - v3::big(before.1), -v3::big_i(a1));
        prop_assert!(!(after.0 > before.0 && after.1 > before.1));
    }

    #[test]
    fn fuzz_exact_output_of_an_exact_input_swap_costs_no_more(
        seeds in proptest::collection::vec((-10i32..10, 0i32..3, E18..(1000 * E18)), 1..4),
        zero_for_one in any::<bool>(),
        magnitude in 1_000_000i128..100_000_000_000_000i128,
        fee in 0u32..20_000,
    ) {
        let _serial = infinity_tests::serial();
        let make = || {
            let w = World::new(10, fee, sqrt_at(3), hooks());
            w.fund(lp(), U256::MAX >> 4, U256::MAX >> 4);
            for (start, width, l) in &seeds {
                w.pour(lp(), *start, start + width, *l);
            }
            w.fund(trader(), U256::MAX >> 4, U256::MAX >> 4);
            w
        };
        let limit = extreme_limit(zero_for_one);
        let w = make();
        let (a0, a1) = w.swap(trader(), zero_for_one, i(magnitude), limit).unwrap();
        let (paid, received) = if zero_for_one { (a0, a1) } else { (a1, a0) };
        prop_assume!(paid == i(magnitude) && received < I256::ZERO);
        let w2 = make();
        let (b0, b1) = w2.swap(trader(), zero_for_one, received, limit).unwrap();
        let (paid2, received2) = if zero_for_one { (b0, b1) } else { (b1, b0) };
        prop_assert_eq!(received2, received, "exact output delivers the amount asked");
        prop_assert!(paid2 <= paid, "exact output {paid2} costs more than the exact input {paid}");
    }

    #[test]
    fn fuzz_pour_then_drain_returns_at_most_what_was_paid(
        start in -30i32..30,
        width in 0i32..8,
        l in 1u128..(1_000_000 * E18),
        price_tick in -400i32..400,
        bt in prop_oneof![Just(1i32), Just(10), Just(60)],
    ) {
        let _serial = infinity_tests::serial();
        let w = World::new(bt, 3000, sqrt_at(price_tick), hooks());
        w.fund(lp(), U256::MAX >> 4, U256::MAX >> 4);
        let before = w.balances(lp());
        let (id, in0, in1) = w.pour(lp(), start, start + width, l);
        let (out0, out1) = w.positions.sender(lp()).drain(id, l).motsu_unwrap();
        prop_assert!(out0 <= in0 && out1 <= in1, "paid ({in0}, {in1}) got back ({out0}, {out1})");
        let after = w.balances(lp());
        prop_assert!(after.0 <= before.0 && after.1 <= before.1);
        // Rounding is at most one unit per token.
        prop_assert!(in0 - out0 <= U256::ONE && in1 - out1 <= U256::ONE);
    }

    #[test]
    fn fuzz_fee_growth_only_increases(
        swaps in proptest::collection::vec((any::<bool>(), 1i128..(10 * E18 as i128), 1i32..200), 1..12),
    ) {
        let _serial = infinity_tests::serial();
        let w = World::new(10, 3000, sqrt_at(0), hooks());
        w.fund(lp(), U256::MAX >> 4, U256::MAX >> 4);
        w.pour(lp(), -10, 9, 100 * E18);
        w.fund(trader(), U256::MAX >> 4, U256::MAX >> 4);
        let read = |w: &World| (-10..=9).map(|b| { let x = w.pool.sender(w.admin).bin(b); (x.2, x.3) }).collect::<Vec<_>>();
        let mut last = read(&w);
        for (zfo, amount, ticks) in swaps {
            let tick = w.price().1;
            let limit = if zfo { sqrt_at(tick - ticks) } else { sqrt_at(tick + 1 + ticks) };
            w.swap(trader(), zfo, i(amount), limit).unwrap();
            let now = read(&w);
            for (old, new) in last.iter().zip(&now) {
                prop_assert!(new.0 >= old.0 && new.1 >= old.1);
            }
            last = now;
        }
    }
}
