//! Unit tests of the engine's pure math. The trade paths run against real
//! vAMMs in the cross-contract suites of `test/perp`.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects, missing_docs)]
use alloy_primitives::{uint, I256, U256};
use num_bigint::{BigInt, BigUint};
use proptest::prelude::*;

use super::*;

const E18: U256 = uint!(1_000_000_000_000_000_000_U256);

fn milli(x: u64) -> U256 {
    U256::from(x) * uint!(1_000_000_000_000_000_U256)
}

fn int(x: U256) -> I256 {
    I256::try_from(x).unwrap()
}

fn big_int(x: U256) -> BigInt {
    BigInt::from(BigUint::from_bytes_be(&x.to_be_bytes::<32>()))
}

/// `(cost · den, den)` as exact rationals: `cost = Q'·S/(B'+S) − Q·S/(B+S)`.
fn exact_cost_times(q: U256, b: U256, q2: U256, b2: U256, s: I256) -> (BigInt, BigInt) {
    let s_big =
        if s.is_negative() { -big_int(s.unsigned_abs()) } else { big_int(s.unsigned_abs()) };
    let d1 = big_int(b) + &s_big;
    let d2 = big_int(b2) + &s_big;
    let num = big_int(q2) * &s_big * &d1 - big_int(q) * &s_big * &d2;
    (num, d1 * d2)
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// The k-adjustment cost is the exact rational cost rounded up by less than 2 wei.
    #[test]
    fn fuzz_k_adjustment_cost_is_the_exact_cost_rounded_up(
        q in 1u64..1_000_000,
        b in 1u64..1_000_000,
        m_permille in 100u64..5_000,
        s_permille in -800i64..800,
    ) {
        let (q, b) = (U256::from(q) * E18, U256::from(b) * E18);
        let m = milli(m_permille);
        let (q2, b2) = (q * m / E18, b * m / E18);
        let s_abs = b * U256::from(s_permille.unsigned_abs()) / U256::from(1000);
        let s = if s_permille < 0 { -int(s_abs) } else { int(s_abs) };
        prop_assume!(!(s.is_negative() && b2 <= s_abs));
        let cost = k_adjustment_cost(q, b, q2, b2, s).unwrap();
        let (num, den) = exact_cost_times(q, b, q2, b2, s);
        let cost_big = BigInt::from_signed_bytes_be(&cost.to_be_bytes::<32>());
        prop_assert!(&cost_big * &den >= num, "cost below the exact value");
        prop_assert!((&cost_big - BigInt::from(2)) * &den < num, "cost rounded up by 2 wei or more");
    }
}

#[test]
fn k_adjustment_cost_of_doubling_depth_under_a_net_long() {
    // Net long 37.5 on (1600, 62.5): payout 1600·37.5/100 = 600. Doubling k to
    // (3200, 125): 3200·37.5/162.5 = 738.46…, rounded up; the difference is the cost.
    let cost = k_adjustment_cost(
        E18 * U256::from(1600),
        milli(62_500),
        E18 * U256::from(3200),
        E18 * U256::from(125),
        int(milli(37_500)),
    )
    .unwrap();
    let expected =
        (E18 * U256::from(3200) * milli(37_500)).div_ceil(milli(162_500)) - E18 * U256::from(600);
    assert_eq!(cost, int(expected));
    // No open interest: no cost; halving back: a gain for the system (negative cost).
    assert_eq!(
        k_adjustment_cost(E18, E18, E18 * U256::from(2), E18 * U256::from(2), I256::ZERO).unwrap(),
        I256::ZERO
    );
    let back = k_adjustment_cost(
        E18 * U256::from(3200),
        E18 * U256::from(125),
        E18 * U256::from(1600),
        milli(62_500),
        int(milli(37_500)),
    )
    .unwrap();
    assert!(back.is_negative() && back.unsigned_abs() <= expected);
}

#[test]
fn k_adjustment_cost_refuses_a_curve_that_cannot_take_back_a_net_short() {
    let err = k_adjustment_cost(E18, E18, E18, E18, -int(E18)).unwrap_err();
    assert!(matches!(*err, Error::Math(ClearingHouseEngineMath { code: 1 })));
}

#[test]
fn floor_to_keeps_whole_token_units() {
    let scale = uint!(1_000_000_000_000_U256);
    assert_eq!(floor_to(E18 + U256::from(5), scale).unwrap(), E18);
    assert_eq!(floor_to(scale - U256::ONE, scale).unwrap(), U256::ZERO);
    assert!(floor_to(E18, U256::ZERO).is_err());
}

/// The hand-written revert encoding equals alloy's for every error, and a vAMM's
/// revert data passes through unchanged.
#[test]
fn every_error_encodes_as_alloy_does() {
    use alloy_sol_types::SolError;
    fn check<E: SolError + Clone>(e: &E, wrap: fn(E) -> Error) {
        assert_eq!(Vec::<u8>::from(Box::new(wrap(e.clone()))), e.abi_encode(), "{}", E::SIGNATURE);
    }
    let a = alloy_primitives::address!("00000000000000000000000000000000000000a1");
    let (x, y) = (E18, E18 * U256::from(2));
    check(&ClearingHouseEngineOnlyClearingHouse { caller: a }, Error::OnlyClearingHouse);
    check(&ClearingHouseEngineInvalidPnlOption { option: 9 }, Error::InvalidPnlOption);
    check(&ClearingHouseEngineEmptyPosition {}, Error::EmptyPosition);
    check(&ClearingHouseEngineOverPositionCap { size: x, cap: y }, Error::OverPositionCap);
    check(
        &ClearingHouseEngineOverOpenInterestCap { openInterest: x, cap: y },
        Error::OverOpenInterestCap,
    );
    check(&ClearingHouseEngineBaseAmountLimit { baseAmount: x, limit: y }, Error::BaseAmountLimit);
    check(&ClearingHouseEngineOverFluctuationLimit { baseAmount: x }, Error::OverFluctuationLimit);
    check(&ClearingHouseEngineNotAContract { account: a }, Error::NotAContract);
    check(&ClearingHouseEngineMath { code: 2 }, Error::Math);
    assert_eq!(Vec::<u8>::from(Box::new(Error::External(vec![1, 2, 3]))), vec![1, 2, 3]);
}
