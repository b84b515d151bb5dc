//! Property tests of the swapper manager: reflows conserve the swapper's value at the strike
//! and never pay the trader, and unwinding restores the lent liquidity at any price — far
//! beyond the range and at the ends of the tick range — without ever failing for lack of value.

use alloy_primitives::{Address, U256};
use infinity_tests::{cases, i, sqrt_at, u, v3, Market, Params, E18, WAD};
use motsu::prelude::*;
use num_bigint::BigInt;
use proptest::prelude::*;
use swapper_manager::{rounding_buffer, FIXED_TERM, REVOLVING};

const BT: i32 = 60;
const T0: u64 = 1_735_689_600;

fn lp() -> Address {
    Address::from([0x81; 20])
}
fn trader() -> Address {
    Address::from([0x82; 20])
}
fn whale() -> Address {
    Address::from([0x83; 20])
}
fn keeper() -> Address {
    Address::from([0x84; 20])
}

fn setup_market() -> Market {
    let m = Market::new(BT, 3000, sqrt_at(0), Params::default());
    for a in [lp(), trader(), whale(), keeper()] {
        m.w.fund(a, U256::MAX >> 8, U256::MAX >> 8);
    }
    m.w.pour(lp(), -20, 19, 1000 * E18);
    m
}

fn mix() -> impl Strategy<Value = U256> {
    prop_oneof![Just(U256::ZERO), Just(WAD), (0u128..=E18).prop_map(U256::from)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(1000) / 4))]

    #[test]
    fn fuzz_reflows_conserve_value_at_strike_and_never_pay_the_trader(
        above in any::<bool>(),
        gap in 0i32..10,
        width in 0i32..6,
        l in (E18 / 1000)..(800 * E18),
        first in mix(),
        mixes in proptest::collection::vec(mix(), 1..12),
    ) {
        let _serial = infinity_tests::serial();
        let m = setup_market();
        let (start, stop) = if above { (1 + gap, 1 + gap + width) } else { (-1 - gap - width, -1 - gap) };
        let id = m.loan(T0, trader(), start, stop, l, first, REVOLVING, 0, u(E18)).unwrap();
        let v = m.swapper(T0, id);
        let (x, y) = (v3::big(v.5), v3::big(v.6));
        let value = |a: U256, b: U256| v3::big(a) * &y + v3::big(b) * &x;
        let buffer = v3::big(rounding_buffer(BT));
        let floor = &x * &y + &buffer * (&x + &y);
        let mut last = value(v.7, v.8);
        prop_assert!(last >= floor, "reserves on or above the line plus the buffer");
        let start_balances = m.w.balances(trader());
        for mx in mixes {
            m.manager.sender(trader()).reflow(id, mx).motsu_unwrap();
            let v = m.swapper(T0, id);
            let now = value(v.7, v.8);
            // Value at strike (scaled by X) never falls and grows only by rounding: under one
            // unit of each token per reflow.
            prop_assert!(now >= last, "value fell: {} < {}", now, last);
            prop_assert!(&now - &last < &x + &y, "value jumped by {}", &now - &last);
            prop_assert!(now >= floor);
            last = now;
        }
        // The trader's flows over the whole sequence, valued at the strike, are not a gain.
        let end = m.w.balances(trader());
        let gain = (v3::big(end.0) - v3::big(start_balances.0)) * &y + (v3::big(end.1) - v3::big(start_balances.1)) * &x;
        prop_assert!(gain <= BigInt::from(0), "reflows paid the trader {} (scaled by X)", gain);
    }

    #[test]
    fn fuzz_unwind_restores_the_lent_liquidity_at_any_price(
        above in any::<bool>(),
        gap in 0i32..10,
        width in 0i32..6,
        l in (E18 / 1000)..(800 * E18),
        first in mix(),
        target in prop_oneof![Just(-887_000i32), Just(887_000i32), -887_000i32..887_000, -1500i32..1500],
        fixed in any::<bool>(),
        by_keeper in any::<bool>(),
    ) {
        let _serial = infinity_tests::serial();
        let m = setup_market();
        let (start, stop) = if above { (1 + gap, 1 + gap + width) } else { (-1 - gap - width, -1 - gap) };
        let before: Vec<_> = (start..=stop).map(|b| m.w.bin(b)).collect();
        let id = if fixed {
            m.loan(T0, trader(), start, stop, l, first, FIXED_TERM, 3_600, U256::MAX).unwrap()
        } else {
            m.loan(T0, trader(), start, stop, l, first, REVOLVING, 0, u(1_000_000)).unwrap()
        };
        // Move the price anywhere, through the lent range (which does not trade) and beyond.
        let tick = m.w.price().1;
        if target != tick {
            m.w.swap(whale(), target < tick, i(1_000_000_000 * E18 as i128), sqrt_at(target)).unwrap();
        }
        // The owner closes at once, or a keeper after expiry / exhaustion.
        let (now, caller) = if by_keeper { (T0 + 400 * 86_400, keeper()) } else { (T0, trader()) };
        prop_assert!(!by_keeper || m.manager.sender(keeper()).is_expired_at(now, id).unwrap());
        let (got0, got1) = m.manager.sender(caller).unwind_at(now, caller, id).motsu_unwrap();
        let after: Vec<_> = (start..=stop).map(|b| m.w.bin(b)).collect();
        prop_assert_eq!(&after, &before, "the lent bins are whole again");
        prop_assert_eq!(m.w.pool.sender(lp()).escrow(), (U256::ZERO, U256::ZERO));
        // The LP can take everything out, and the pool still covers the fees it owes.
        m.w.positions.sender(lp()).drain(U256::ONE, 1000 * E18).motsu_unwrap();
        m.w.positions.sender(lp()).collect(U256::ONE).motsu_unwrap();
        let _ = (got0, got1);
    }
}
