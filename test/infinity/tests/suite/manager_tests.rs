//! Swapper manager: strike and reserve math against an independent computation, the rate
//! curve, interest (fixed prepaid, revolving per second, collected by LPs), expiry and keeper
//! closes, and every error path with state unchanged.

use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolError};
use infinity_pool::{InfinityPoolLiquidityUnavailable, InfinityPoolRangeContainsPrice};
use infinity_tests::{i, sqrt_at, u, v3, Market, Params, E18, WAD};
use motsu::prelude::*;
use num_bigint::BigInt;
use num_traits::Signed;
use stylus_sdk::abi::Router;
use swapper_manager::*;

const BT: i32 = 60;
const T0: u64 = 1_735_689_600;

fn lp() -> Address {
    Address::from([0x71; 20])
}
fn trader() -> Address {
    Address::from([0x72; 20])
}
fn keeper() -> Address {
    Address::from([0x73; 20])
}
fn other() -> Address {
    Address::from([0x74; 20])
}

/// A market at tick 0 with 60-tick bins and 1000e18 liquidity in bins -10..=9, everyone funded.
fn setup_market(params: Params) -> Market {
    let m = Market::new(BT, 3000, sqrt_at(0), params);
    for a in [lp(), trader(), keeper(), other()] {
        m.w.fund(a, U256::MAX >> 8, U256::MAX >> 8);
    }
    m.w.pour(lp(), -10, 9, 1000 * E18);
    m
}

/// Σ over bins of `⌈l·(1/√Pa − 1/√Pb)⌉` and `⌈l·(√Pb − √Pa)⌉`, independently.
fn max_reserves(start: i32, stop: i32, l: u128) -> (U256, U256) {
    let l = BigInt::from(l);
    let (mut x, mut y) = (BigInt::from(0), BigInt::from(0));
    for b in start..=stop {
        let (a, c) = (v3::big(sqrt_at(b * BT)), v3::big(sqrt_at((b + 1) * BT)));
        x += v3::amount0(&a, &c, &l, true);
        y += v3::amount1(&a, &c, &l, true);
    }
    (v3::to_u256(&x), v3::to_u256(&y))
}

/// `s(u)` from its definition with rationals: `⌈(8(1−u)² + 1)·WAD / (9(1−u)²)⌉`.
fn s_ref(u_wad: u128) -> BigInt {
    let w = BigInt::from(E18);
    let d = &w - BigInt::from(u_wad);
    let num = BigInt::from(8) * &d * &d + &w * &w;
    let den = BigInt::from(9) * &d * &d;
    (num * &w + &den - 1) / den
}

/// The swapper view as comparable words.
fn view(m: &Market, id: U256) -> Vec<U256> {
    let v = m.swapper(T0, id);
    vec![
        strata_common::abi::Word::word(v.0),
        strata_common::abi::Word::word(v.1),
        strata_common::abi::Word::word(v.2),
        u(v.3),
        v.4,
        v.5,
        v.6,
        v.7,
        v.8,
        U256::from(v.9),
        U256::from(v.10),
        U256::from(v.11),
        v.12,
    ]
}

#[test]
fn the_utilisation_multiplier_has_the_spec_values() {
    let _serial = infinity_tests::serial();
    assert_eq!(rate_multiplier(U256::ZERO).unwrap(), WAD);
    assert_eq!(rate_multiplier(WAD / U256::from(2)).unwrap(), u(1_333_333_333_333_333_334));
    assert_eq!(rate_multiplier(u(900_000_000_000_000_000)).unwrap(), u(12) * WAD);
    for x in [1u128, 123_456_789, 250_000_000_000_000_000, 999_000_000_000_000_000] {
        assert_eq!(v3::big(rate_multiplier(u(x)).unwrap()), s_ref(x), "u = {x}");
    }
    assert!(rate_multiplier(WAD).is_err());
}

/// One unit of each token per bin of the pool on top of the base 1000: the bins of
/// `[−887272, 887272]` for the pool's bin width, counted independently.
#[motsu::test]
fn the_rounding_buffer_holds_a_unit_per_bin_of_the_pool() {
    let _serial = infinity_tests::serial();
    for (bin_ticks, bins) in [(1, 1_774_544_u64), (60, 29_574), (200, 8_872), (16_384, 108)] {
        assert_eq!(rounding_buffer(bin_ticks), U256::from(ROUNDING_BUFFER + bins), "{bin_ticks}");
    }
    let m = setup_market(Params::default());
    assert_eq!(m.manager.sender(trader()).parameters().7, U256::from(1000 + 29_574_u64));
}

#[motsu::test]
fn strike_and_max_reserves_match_an_independent_computation() {
    let _serial = infinity_tests::serial();
    let m = setup_market(Params::default());
    // One bin below the price, then five bins above it.
    for (start, stop, l, strike_check) in [(-3, -3, 400 * E18, true), (2, 6, 250 * E18, false)] {
        let id = m.loan(T0, trader(), start, stop, l, U256::ZERO, REVOLVING, 0, u(E18)).unwrap();
        let v = m.swapper(T0, id);
        let (x, y) = max_reserves(start, stop, l);
        assert_eq!((v.5, v.6), (x, y), "X, Y for [{start}, {stop}]");
        assert_eq!(v.4, y * WAD / x, "K = Y / X");
        if strike_check {
            // For one bin K = √(Pa·Pb): compare with the sqrt prices (relative 1e-15).
            let (a, b) = (v3::big(sqrt_at(start * BT)), v3::big(sqrt_at((stop + 1) * BT)));
            let k: BigInt = (a * b * BigInt::from(E18)) >> 192usize;
            let diff: BigInt = (v3::big(v.4) - &k).abs();
            assert!(diff * BigInt::from(1_000_000_000_000_000u64) < k);
        }
        // Mix 0: the swapper holds X (+ buffer) of token0 and the buffer of token1.
        let buffer = rounding_buffer(BT);
        assert_eq!((v.7, v.8), (x + buffer, buffer));
    }
}

#[motsu::test]
fn opening_a_long_pays_x_and_receives_y_for_leverage_p_over_p_minus_k() {
    let _serial = infinity_tests::serial();
    let m = setup_market(Params { base_rate: U256::ZERO, ..Params::default() });
    let before = m.w.balances(trader());
    let id = m.loan(T0, trader(), -5, -3, 300 * E18, U256::ZERO, REVOLVING, 0, u(1)).unwrap();
    let v = m.swapper(T0, id);
    let after = m.w.balances(trader());
    let buffer = rounding_buffer(BT);
    let keeper_bond = Params::default().keeper1;
    // Paid X (+ buffer) token0; received the lent token1 less the buffer, the 1-wei deposit
    // and the bond (all in token1).
    assert_eq!(before.0 - after.0, v.5 + buffer);
    let (lent0, lent1) = {
        let (x, y) = max_reserves(-5, -3, 300 * E18);
        let _ = x;
        // What three bins below the price hold, rounded down, per the pool's range amounts.
        let (a, b) = (v3::big(sqrt_at(-5 * BT)), v3::big(sqrt_at(-2 * BT)));
        let lent = v3::to_u256(&v3::amount1(&a, &b, &BigInt::from(300 * E18), false));
        assert!(y - lent <= U256::from(3));
        (U256::ZERO, lent)
    };
    assert_eq!(lent0, U256::ZERO);
    assert_eq!(after.1 - before.1, lent1 - buffer - U256::ONE - keeper_bond);
    // Leverage: the long holds X token0 against a margin of X − Y/p (valued at the price p),
    // so X / margin = p / (p − K).
    let p = {
        let s = v3::big(m.w.price().0);
        let p: BigInt = (s.clone() * s * BigInt::from(E18)) >> 192usize;
        p
    };
    let (x, y, k) = (v3::big(v.5), v3::big(v.6), v3::big(v.4));
    let margin = &x * &p - &y * BigInt::from(E18);
    let leverage: BigInt = &x * &p * BigInt::from(1_000_000) / &margin;
    let expected: BigInt = &p * BigInt::from(1_000_000) / (&p - &k);
    let diff: BigInt = (&leverage - &expected).abs();
    assert!(diff * BigInt::from(10_000) <= expected, "{leverage} vs {expected}");
}

#[motsu::test]
fn fixed_term_prepays_rate_times_term_and_lps_collect_it() {
    let _serial = infinity_tests::serial();
    let params = Params::default();
    let m = setup_market(params);
    let term = 90 * 86_400;
    let (start, stop, l) = (2, 4, 500 * E18);
    let balance = m.w.balances(trader());
    let id = m
        .loan(T0, trader(), start, stop, l, WAD / U256::from(2), FIXED_TERM, term, U256::MAX)
        .unwrap();
    let v = m.swapper(T0, id);
    // Independent: utilisation 500/1000 after lending in each bin; P_i in token0 (above).
    let s_half = s_ref(500_000_000_000_000_000);
    let r = (v3::big(params.base_rate) * &s_half + BigInt::from(E18) - 1) / BigInt::from(E18);
    let mut expected = BigInt::from(0);
    for b in start..=stop {
        let (a, c) = (v3::big(sqrt_at(b * BT)), v3::big(sqrt_at((b + 1) * BT)));
        let p = v3::amount0(&a, &c, &BigInt::from(l), true);
        let num = p * &r * BigInt::from(term) * (BigInt::from(E18) - v3::big(params.discount));
        let den = BigInt::from(E18) * BigInt::from(E18);
        expected += (num + &den - 1) / den;
    }
    assert_eq!(v3::big(v.12), expected, "prepaid interest");
    assert_eq!(v.11, T0 + term, "expiry");
    // Mix ½: the trader pays x1 = ⌈Y/2⌉ + buffer of token1 and, in token0, receives what the
    // bins held (rounded down) less x0 = ⌈X/2⌉ + buffer, the prepaid interest and the bond.
    let after = m.w.balances(trader());
    let (a, c) = (v3::big(sqrt_at(start * BT)), v3::big(sqrt_at((stop + 1) * BT)));
    let lent0 = v3::to_u256(&v3::amount0(&a, &c, &BigInt::from(l), false));
    assert_eq!(balance.1 - after.1, v.8);
    assert_eq!(after.0 - balance.0, lent0 - v.7 - v.12 - params.keeper0);
    // The LP is the only position in those bins: it collects the interest (rounded down per
    // bin, at most one unit each).
    let (c0, _) = m.w.positions.sender(lp()).collectable(U256::ONE).unwrap();
    assert!(v.12 - c0 <= U256::from(3) && c0 <= v.12, "{c0} vs {}", v.12);
}

#[motsu::test]
fn revolving_interest_accrues_per_second_and_is_credited_to_the_lps() {
    let _serial = infinity_tests::serial();
    let params = Params::default();
    let m = setup_market(params);
    let (start, stop, l) = (-4, -2, 200 * E18);
    let deposit = u(10 * E18);
    // Mix 1: the swapper holds Y (+ buffer) of token1, all the range needs below the price.
    let id = m.loan(T0, trader(), start, stop, l, WAD, REVOLVING, 0, deposit).unwrap();
    // Independent rate: utilisation 200/1000 in each bin, P_i in token1 (below the price).
    let s20 = s_ref(200_000_000_000_000_000);
    let r = (v3::big(params.base_rate) * &s20 + BigInt::from(E18) - 1) / BigInt::from(E18);
    let mut weighted = BigInt::from(0);
    for b in start..=stop {
        let (a, c) = (v3::big(sqrt_at(b * BT)), v3::big(sqrt_at((b + 1) * BT)));
        weighted += v3::amount1(&a, &c, &BigInt::from(l), true) * &r;
    }
    for dt in [0u64, 1, 3_600, 86_400, 30 * 86_400] {
        let owed = (&weighted * BigInt::from(dt) + BigInt::from(E18) - 1) / BigInt::from(E18);
        let v = m.swapper(T0 + dt, id);
        assert_eq!(v3::big(v.12), v3::big(deposit) - &owed, "deposit left after {dt}s");
    }
    let (_, before1) = m.w.positions.sender(lp()).collectable(U256::ONE).unwrap();
    let credited = m.manager.sender(other()).accrue_interest_at(T0 + 86_400, id).motsu_unwrap();
    let owed = (&weighted * BigInt::from(86_400) + BigInt::from(E18) - 1) / BigInt::from(E18);
    assert_eq!(v3::big(credited), owed);
    let (_, after1) = m.w.positions.sender(lp()).collectable(U256::ONE).unwrap();
    assert!(
        credited - (after1 - before1) <= U256::from(3),
        "LP receives the interest less per-bin rounding"
    );
    // Unwind: the bins take back Y (rounded up); the trader gets the rest of x1, the unused
    // deposit and the bond back, and the token0 buffer.
    let v = m.swapper(T0 + 86_400, id);
    let bal = m.w.balances(trader());
    let (got0, got1) =
        m.manager.sender(trader()).unwind_at(T0 + 86_400, trader(), id).motsu_unwrap();
    let (a, c) = (v3::big(sqrt_at(start * BT)), v3::big(sqrt_at((stop + 1) * BT)));
    let need1 = v3::to_u256(&v3::amount1(&a, &c, &BigInt::from(l), true));
    assert_eq!(got0, v.7);
    assert_eq!(got1, v.8 - need1 + (deposit - credited) + params.keeper1);
    assert_eq!(m.w.balances(trader()), (bal.0 + got0, bal.1 + got1));
}

#[motsu::test]
fn anyone_closes_an_expired_fixed_term_loan_and_takes_the_bond_but_not_before() {
    let _serial = infinity_tests::serial();
    let params = Params::default();
    let m = setup_market(params);
    let id = m.loan(T0, trader(), 1, 2, 100 * E18, WAD, FIXED_TERM, 3_600, U256::MAX).unwrap();
    assert!(!m.manager.sender(keeper()).is_expired_at(T0 + 3_599, id).unwrap());
    let err = m.manager.sender(keeper()).unwind_at(T0 + 3_599, keeper(), id).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::NotClosable(SwapperManagerNotClosable { swapperId: id, caller: keeper() })
    );
    assert!(m.manager.sender(keeper()).is_expired_at(T0 + 3_600, id).unwrap());
    let kb = m.w.balances(keeper());
    let tb = m.w.balances(trader());
    m.manager.sender(keeper()).unwind_at(T0 + 3_600, keeper(), id).motsu_unwrap();
    // The range is above the price: the bond is in token0.
    assert_eq!(m.w.balances(keeper()).0 - kb.0, params.keeper0);
    assert!(m.w.balances(trader()).1 > tb.1, "the trader still receives the rest");
    assert_eq!((m.w.bin(1), m.w.bin(2)), ((1000 * E18, 0), (1000 * E18, 0)));
    let err = m.manager.sender(trader()).unwind_at(T0 + 3_600, trader(), id).motsu_unwrap_err();
    assert_eq!(err, Error::Inactive(SwapperManagerInactive { swapperId: id }));
}

#[motsu::test]
fn anyone_closes_a_revolving_loan_once_its_deposit_is_exhausted() {
    let _serial = infinity_tests::serial();
    let m = setup_market(Params::default());
    let id = m
        .loan(T0, trader(), -3, -2, 500 * E18, U256::ZERO, REVOLVING, 0, u(1_000_000_000))
        .unwrap();
    let v = m.swapper(T0, id);
    let runway = v.11 - T0;
    assert!(!m.manager.sender(keeper()).is_expired_at(T0 + runway - 1, id).unwrap());
    let err = m.manager.sender(other()).unwind_at(T0 + runway - 1, other(), id).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::NotClosable(SwapperManagerNotClosable { swapperId: id, caller: other() })
    );
    assert!(m.manager.sender(keeper()).is_expired_at(T0 + runway + 1, id).unwrap());
    let kb = m.w.balances(keeper());
    m.manager.sender(keeper()).unwind_at(T0 + runway + 1, keeper(), id).motsu_unwrap();
    assert_eq!(m.w.balances(keeper()).1 - kb.1, Params::default().keeper1);
    assert_eq!(m.w.bin(-3), (1000 * E18, 0));
}

#[motsu::test]
fn anyone_closes_a_revolving_loan_whose_rate_rose_above_its_max_rate() {
    let _serial = infinity_tests::serial();
    let m = setup_market(Params::default());
    // Open at 10% utilisation with maxRate just at the opening rate.
    let id = m.loan(T0, trader(), 3, 3, 100 * E18, WAD, REVOLVING, 0, u(E18)).unwrap();
    let rate = m.manager.sender(other()).borrow_rate(3).unwrap();
    let id2 = m
        .manager
        .sender(trader())
        .new_loan_at(T0, trader(), 4, 4, 100 * E18, WAD, REVOLVING, 0, rate, u(E18))
        .motsu_unwrap();
    assert!(!m.manager.sender(keeper()).is_expired_at(T0, id2).unwrap());
    // Another loan in bin 4 lifts its utilisation to 60%: the first loan's tolerance is passed.
    m.loan(T0, other(), 4, 4, 500 * E18, WAD, REVOLVING, 0, u(E18)).unwrap();
    assert!(m.manager.sender(keeper()).is_expired_at(T0, id2).unwrap());
    m.manager.sender(keeper()).unwind_at(T0, keeper(), id2).motsu_unwrap();
    assert!(!m.manager.sender(keeper()).is_expired_at(T0, id).unwrap());
}

#[motsu::test]
fn new_loan_rejects_bad_arguments_and_changes_nothing() {
    let _serial = infinity_tests::serial();
    let m = setup_market(Params::default());
    let snapshot =
        |m: &Market| (m.w.balances(trader()), m.w.pool_balances(), m.w.bin(2), m.w.bin(-2));
    let before = snapshot(&m);
    let call =
        |start: i32, stop: i32, l: u128, mix: U256, ty: u8, term: u64, max: U256, dep: U256| {
            m.manager
                .sender(trader())
                .new_loan_at(T0, trader(), start, stop, l, mix, ty, term, max, dep)
                .motsu_unwrap_err()
        };
    assert_eq!(
        call(2, 2, E18, WAD + U256::ONE, REVOLVING, 0, U256::MAX, u(1)),
        Error::InvalidTokenMix(SwapperManagerInvalidTokenMix { tokenMix: WAD + U256::ONE })
    );
    assert_eq!(
        call(2, 2, E18, WAD, 2, 0, U256::MAX, u(1)),
        Error::InvalidLoanType(SwapperManagerInvalidLoanType { loanType: 2 })
    );
    assert_eq!(
        call(2, 2, E18, WAD, FIXED_TERM, 0, U256::MAX, u(1)),
        Error::InvalidTerm(SwapperManagerInvalidTerm { loanType: FIXED_TERM, term: 0 })
    );
    assert_eq!(
        call(2, 2, E18, WAD, REVOLVING, 5, U256::MAX, u(1)),
        Error::InvalidTerm(SwapperManagerInvalidTerm { loanType: REVOLVING, term: 5 })
    );
    assert_eq!(
        call(2, 2, E18, WAD, REVOLVING, 0, U256::MAX, U256::ZERO),
        Error::DepositTooLow(SwapperManagerDepositTooLow {
            required: U256::ONE,
            provided: U256::ZERO
        })
    );
    assert!(
        matches!(call(2, 2, E18, WAD, FIXED_TERM, 86_400, U256::MAX, U256::ONE), Error::DepositTooLow(SwapperManagerDepositTooLow { provided, .. }) if provided == U256::ONE)
    );
    assert!(
        matches!(call(2, 2, 950 * E18, WAD, REVOLVING, 0, U256::MAX, u(1)), Error::UtilisationAboveMax(SwapperManagerUtilisationAboveMax { bin, .. }) if bin.as_i32() == 2)
    );
    assert!(
        matches!(call(2, 2, E18, WAD, REVOLVING, 0, U256::ONE, u(1)), Error::RateAboveMax(SwapperManagerRateAboveMax { maxRateWad, .. }) if maxRateWad == U256::ONE)
    );
    // Pool errors are bubbled up unchanged.
    let Error::Callee(data) = call(-1, 0, E18, WAD, REVOLVING, 0, U256::MAX, u(1)) else {
        panic!("pool error")
    };
    let e = InfinityPoolRangeContainsPrice::abi_decode(&data, true).unwrap();
    assert_eq!((e.startBin.as_i32(), e.stopBin.as_i32()), (-1, 0));
    let Error::Callee(data) = call(2, 2, 2000 * E18, WAD, REVOLVING, 0, U256::MAX, u(1)) else {
        panic!("pool error")
    };
    assert!(InfinityPoolLiquidityUnavailable::abi_decode(&data, true).is_ok());
    assert_eq!(snapshot(&m), before);
}

#[motsu::test]
fn reflow_top_up_and_unwind_reject_bad_callers_and_arguments() {
    let _serial = infinity_tests::serial();
    let m = setup_market(Params::default());
    let fixed = m.loan(T0, trader(), 2, 2, 10 * E18, WAD, FIXED_TERM, 86_400, U256::MAX).unwrap();
    let revolving = m.loan(T0, trader(), 3, 3, 10 * E18, WAD, REVOLVING, 0, u(E18)).unwrap();
    let missing = U256::from(77);
    let state = |m: &Market| {
        (m.w.balances(trader()), m.w.balances(other()), view(m, fixed), view(m, revolving))
    };
    let before = state(&m);
    let mgr = |who: Address| m.manager.sender(who);
    assert_eq!(
        mgr(other()).reflow(fixed, U256::ZERO).motsu_unwrap_err(),
        Error::NotOwner(SwapperManagerNotOwner { swapperId: fixed, caller: other() })
    );
    assert_eq!(
        mgr(trader()).reflow(missing, U256::ZERO).motsu_unwrap_err(),
        Error::Inactive(SwapperManagerInactive { swapperId: missing })
    );
    assert_eq!(
        mgr(trader()).reflow(fixed, WAD + U256::ONE).motsu_unwrap_err(),
        Error::InvalidTokenMix(SwapperManagerInvalidTokenMix { tokenMix: WAD + U256::ONE })
    );
    assert_eq!(
        mgr(other()).top_up_at(T0, other(), fixed, u(1)).motsu_unwrap_err(),
        Error::NotRevolving(SwapperManagerNotRevolving { swapperId: fixed })
    );
    assert_eq!(
        mgr(other()).top_up_at(T0, other(), revolving, U256::ZERO).motsu_unwrap_err(),
        Error::ZeroAmount(SwapperManagerZeroAmount {})
    );
    assert_eq!(
        mgr(other()).accrue_interest_at(T0, fixed).motsu_unwrap_err(),
        Error::NotRevolving(SwapperManagerNotRevolving { swapperId: fixed })
    );
    assert_eq!(
        mgr(other()).unwind_at(T0, other(), revolving).motsu_unwrap_err(),
        Error::NotClosable(SwapperManagerNotClosable { swapperId: revolving, caller: other() })
    );
    assert_eq!(
        mgr(other()).unwind_at(T0, other(), missing).motsu_unwrap_err(),
        Error::Inactive(SwapperManagerInactive { swapperId: missing })
    );
    assert_eq!(state(&m), before);
    // A top-up by anyone adds to the deposit.
    mgr(other()).top_up_at(T0, other(), revolving, u(E18)).motsu_unwrap();
    assert_eq!(m.swapper(T0, revolving).12, u(2 * E18));
}

#[motsu::test]
fn constructor_rejects_zero_addresses_and_out_of_range_parameters() {
    let _serial = infinity_tests::serial();
    let m = setup_market(Params::default());
    let mgr = Contract::<SwapperManager>::new();
    let admin = m.w.admin;
    let ctor = |pool: Address, base: U256, max_util: U256, discount: U256| {
        mgr.sender(admin)
            .constructor(pool, m.w.math.address(), base, max_util, discount, U256::ZERO, U256::ZERO)
            .motsu_unwrap_err()
    };
    let p = Params::default();
    assert_eq!(
        ctor(Address::ZERO, p.base_rate, p.max_utilisation, p.discount),
        Error::ZeroAddress(SwapperManagerZeroAddress {})
    );
    assert_eq!(
        ctor(m.w.pool.address(), MAX_BASE_RATE_WAD + U256::ONE, p.max_utilisation, p.discount),
        Error::InvalidParameter(SwapperManagerInvalidParameter {
            index: 0,
            value: MAX_BASE_RATE_WAD + U256::ONE
        })
    );
    assert_eq!(
        ctor(m.w.pool.address(), p.base_rate, WAD, p.discount),
        Error::InvalidParameter(SwapperManagerInvalidParameter { index: 1, value: WAD })
    );
    assert_eq!(
        ctor(m.w.pool.address(), p.base_rate, U256::ZERO, p.discount),
        Error::InvalidParameter(SwapperManagerInvalidParameter { index: 1, value: U256::ZERO })
    );
    assert_eq!(
        ctor(m.w.pool.address(), p.base_rate, p.max_utilisation, WAD),
        Error::InvalidParameter(SwapperManagerInvalidParameter { index: 2, value: WAD })
    );
    assert_eq!(mgr.sender(admin).parameters().0, Address::ZERO);
    let _ = i(0);
}

#[motsu::test]
fn manager_declarations_are_routed_and_its_calls_use_the_pools_signatures(
    manager: Contract<swapper_manager::SwapperManager>,
    alice: Address,
) {
    use alloy_sol_types::SolCall;
    let _serial = infinity_tests::serial();
    let mut seen = std::collections::HashSet::new();
    for declaration in swapper_manager::router::functions::FUNCTIONS_ABI {
        let rest = declaration.strip_prefix("function ").unwrap();
        let (name, rest) = rest.split_once('(').unwrap();
        let (params, _) = rest.split_once(')').unwrap();
        let types: Vec<&str> = params
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| p.split_whitespace().next().unwrap())
            .collect();
        let signature = format!("{name}({})", types.join(","));
        let selector: [u8; 4] = alloy_primitives::keccak256(&signature)[..4].try_into().unwrap();
        assert!(seen.insert(selector), "selector clash for {signature}");
        // Routed: a call without its arguments is answered, never left unrouted.
        let mut call = manager.sender(alice);
        let m: &mut swapper_manager::SwapperManager = &mut call;
        let answer =
            <swapper_manager::SwapperManager as Router<swapper_manager::SwapperManager>>::route(
                m,
                u32::from_be_bytes(selector),
                &[],
            );
        assert!(answer.is_some(), "{signature} is routed");
        if !types.is_empty() {
            assert_eq!(answer, Some(Err(Vec::new())), "{signature} refuses missing arguments");
        }
    }
    assert_eq!(seen.len(), 9);
    // The manager's outgoing calls use the pool's declared signatures.
    let pool: Vec<String> = infinity_pool::router::functions::FUNCTIONS_ABI
        .iter()
        .map(|d| {
            let rest = d.strip_prefix("function ").unwrap();
            let (name, rest) = rest.split_once('(').unwrap();
            let (params, _) = rest.split_once(')').unwrap();
            let types: Vec<&str> = params
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| p.split_whitespace().next().unwrap())
                .collect();
            format!("{name}({})", types.join(","))
        })
        .collect();
    for sig in [
        swapper_manager::sigs::configCall::SIGNATURE,
        swapper_manager::sigs::binLiquidityCall::SIGNATURE,
        swapper_manager::sigs::lendCall::SIGNATURE,
        swapper_manager::sigs::restoreCall::SIGNATURE,
        swapper_manager::sigs::settleCall::SIGNATURE,
        swapper_manager::sigs::creditInterestCall::SIGNATURE,
    ] {
        assert!(pool.iter().any(|p| p == sig), "{sig} is a pool function");
    }
    assert_eq!(
        swapper_manager::sigs::binAmountsCall::SIGNATURE,
        "binAmounts(int24,int24,uint256,uint128,bool)"
    );
}

alloy_sol_types::sol! {
    interface IManager {
        function swapper(uint256 swapperId) external view returns (address owner, int24 startBin, int24 stopBin, uint128 liquidityPerBin, uint256 strikeWad, uint256 maxReserve0, uint256 maxReserve1, uint256 reserve0, uint256 reserve1, uint8 loanType, uint64 start, uint64 expiry, uint256 interestDeposit);
        function isExpired(uint256 swapperId) external view returns (bool);
        function newLoan(int24 startBin, int24 stopBin, uint128 liquidityPerBin, uint256 tokenMix, uint8 loanType, uint64 term, uint256 maxRate, uint256 interestDeposit) external returns (uint256 swapperId);
    }
}

#[motsu::test]
fn calls_through_the_manager_router_decode_with_alloy_and_events_match_their_declarations() {
    let _serial = infinity_tests::serial();
    let m = setup_market(Params::default());
    let b0 = m.w.balances(trader());
    let id = m.loan(T0, trader(), 2, 3, 10 * E18, WAD, REVOLVING, 0, u(E18)).unwrap();
    let b1 = m.w.balances(trader());
    let signed = |before: U256, after: U256| v3::big(before) - v3::big(after);
    let to_i = |x: BigInt| -> alloy_primitives::I256 { x.to_string().parse().unwrap() };
    m.manager.assert_emitted(&NewLoan {
        swapperId: id,
        owner: trader(),
        startBin: infinity_tests::i24(2),
        stopBin: infinity_tests::i24(3),
        liquidityPerBin: 10 * E18,
        tokenMix: WAD,
        loanType: REVOLVING,
        amount0: to_i(signed(b0.0, b1.0)),
        amount1: to_i(signed(b0.1, b1.1)),
        interest: u(E18),
        keeperBond: Params::default().keeper0,
    });
    let (a, c) = (v3::big(sqrt_at(2 * BT)), v3::big(sqrt_at(4 * BT)));
    m.w.pool.assert_emitted(&infinity_pool::Lend {
        startBin: infinity_tests::i24(2),
        stopBin: infinity_tests::i24(3),
        liquidityPerBin: 10 * E18,
        amount0: v3::to_u256(&v3::amount0(&a, &c, &BigInt::from(10 * E18), false)),
        amount1: U256::ZERO,
    });
    let call = |data: Vec<u8>| {
        let mut c = m.manager.sender(trader());
        let mgr: &mut SwapperManager = &mut c;
        let sel = u32::from_be_bytes(data[..4].try_into().unwrap());
        // `motsu_res` reverts the state on an error, as a failed transaction would.
        <SwapperManager as Router<SwapperManager>>::route(mgr, sel, &data[4..]).unwrap().motsu_res()
    };
    let out = call(IManager::swapperCall { swapperId: id }.abi_encode()).unwrap();
    let r = IManager::swapperCall::abi_decode_returns(&out, true).unwrap();
    let v = m.swapper(T0, id);
    assert_eq!(
        (r.owner, r.startBin.as_i32(), r.stopBin.as_i32(), r.liquidityPerBin),
        (v.0, v.1, v.2, v.3)
    );
    assert_eq!(
        (r.strikeWad, r.maxReserve0, r.maxReserve1, r.reserve0, r.reserve1),
        (v.4, v.5, v.6, v.7, v.8)
    );
    assert_eq!((r.loanType, r.start), (v.9, v.10));
    let out = call(IManager::isExpiredCall { swapperId: id }.abi_encode()).unwrap();
    assert!(!IManager::isExpiredCall::abi_decode_returns(&out, true).unwrap()._0);
    // A manager error through the router is its ABI encoding.
    let bad = IManager::newLoanCall {
        startBin: infinity_tests::i24(2),
        stopBin: infinity_tests::i24(2),
        liquidityPerBin: E18,
        tokenMix: WAD + U256::ONE,
        loanType: REVOLVING,
        term: 0,
        maxRate: U256::MAX,
        interestDeposit: u(1),
    };
    let err = call(bad.abi_encode()).unwrap_err();
    assert_eq!(
        SwapperManagerInvalidTokenMix::abi_decode(&err, true).unwrap().tokenMix,
        WAD + U256::ONE
    );
    // Reflow to ½: the event carries the trader's signed flows.
    m.manager.sender(trader()).reflow(id, WAD / U256::from(2)).motsu_unwrap();
    let b2 = m.w.balances(trader());
    m.manager.assert_emitted(&Reflow {
        swapperId: id,
        tokenMix: WAD / U256::from(2),
        amount0: to_i(signed(b1.0, b2.0)),
        amount1: to_i(signed(b1.1, b2.1)),
    });
    let credited = m.manager.sender(other()).accrue_interest_at(T0 + 100, id).motsu_unwrap();
    m.manager.assert_emitted(&InterestAccrued {
        swapperId: id,
        amount: credited,
        depositLeft: u(E18) - credited,
    });
}
