//! `full_math`, `wad`, `sqrt`, `liquidity_math` against num-bigint.

use alloy_primitives::U256;
use num_bigint::BigInt;
use num_traits::Zero;
use proptest::prelude::*;
use strata_math::{
    add_delta, div_up, mul_div_down, mul_div_up, sqrt, sqrt_up, wad_div_down, wad_div_up,
    wad_mul_down, wad_mul_up, MathError, WAD,
};

use crate::support::{any_u256, big, cases, ceil_div, to_u256};

/// Expected `floor` / `ceil` of `a · b / d`, or the error the crate must return.
fn expected(a: U256, b: U256, d: U256, round_up: bool) -> Result<U256, MathError> {
    if d.is_zero() {
        return Err(MathError::DivisionByZero);
    }
    let product = big(a) * big(b);
    let q = if round_up { ceil_div(&product, &big(d)) } else { product / big(d) };
    to_u256(&q).ok_or(MathError::Overflow)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn fuzz_mul_div_down_matches_bigint(a in any_u256(), b in any_u256(), d in any_u256()) {
        prop_assert_eq!(mul_div_down(a, b, d), expected(a, b, d, false));
    }

    #[test]
    fn fuzz_mul_div_up_matches_bigint(a in any_u256(), b in any_u256(), d in any_u256()) {
        prop_assert_eq!(mul_div_up(a, b, d), expected(a, b, d, true));
    }

    #[test]
    fn fuzz_div_up_matches_bigint(a in any_u256(), b in any_u256()) {
        let want = if b.is_zero() {
            Err(MathError::DivisionByZero)
        } else {
            Ok(to_u256(&ceil_div(&big(a), &big(b))).unwrap())
        };
        prop_assert_eq!(div_up(a, b), want);
    }

    #[test]
    fn fuzz_wad_ops_match_bigint(a in any_u256(), b in any_u256()) {
        prop_assert_eq!(wad_mul_down(a, b), expected(a, b, WAD, false));
        prop_assert_eq!(wad_mul_up(a, b), expected(a, b, WAD, true));
        prop_assert_eq!(wad_div_down(a, b), expected(a, WAD, b, false));
        prop_assert_eq!(wad_div_up(a, b), expected(a, WAD, b, true));
    }

    #[test]
    fn fuzz_sqrt_is_the_exact_floor_and_ceiling(n in any_u256()) {
        let root = big(sqrt(n));
        let n_big = big(n);
        prop_assert_eq!(&root, &n_big.sqrt());
        prop_assert!(&root * &root <= n_big && (&root + 1) * (&root + 1) > n_big);
        let up = big(sqrt_up(n));
        prop_assert!(&up * &up >= n_big);
        prop_assert!(up.is_zero() || (&up - 1) * (&up - 1) < n_big);
    }

    #[test]
    fn fuzz_add_delta_matches_bigint(x in any::<u128>(), y in any::<i128>()) {
        let sum = BigInt::from(x) + BigInt::from(y);
        let want = if sum < BigInt::zero() {
            Err(MathError::Underflow)
        } else {
            u128::try_from(sum).map_err(|_| MathError::Overflow)
        };
        prop_assert_eq!(add_delta(x, y), want);
    }
}
