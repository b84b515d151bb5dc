//! `signed_wad` against num-bigint.

use alloy_primitives::{I256, U256};
use num_bigint::BigInt;
use proptest::prelude::*;
use strata_math::{
    checked_add_signed, to_i256, wad_div_signed, wad_div_signed_floor, wad_mul_signed,
    wad_mul_signed_floor, MathError,
};

use crate::support::{
    any_u256, big, big_i, cases, floor_div, to_i256 as big_to_i256, to_u256, wad,
};

fn any_i256() -> impl Strategy<Value = I256> {
    (any_u256(), any::<bool>()).prop_map(|(magnitude, negative)| {
        let value = I256::from_raw(magnitude >> 1);
        if negative {
            -value - I256::ONE
        } else {
            value
        }
    })
}

/// Truncating division (toward zero), as Solidity and num-bigint's `/`.
fn expected(numerator: BigInt, denominator: &BigInt, floor: bool) -> Result<I256, MathError> {
    if *denominator == BigInt::from(0) {
        return Err(MathError::DivisionByZero);
    }
    let (numerator, denominator) = if *denominator < BigInt::from(0) {
        (-numerator, -denominator.clone())
    } else {
        (numerator, denominator.clone())
    };
    let q = if floor { floor_div(&numerator, &denominator) } else { numerator / denominator };
    big_to_i256(&q).ok_or(MathError::Overflow)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn fuzz_wad_mul_signed_matches_bigint(a in any_i256(), b in any_i256()) {
        let product = big_i(a) * big_i(b);
        prop_assert_eq!(wad_mul_signed(a, b), expected(product.clone(), &wad(), false));
        prop_assert_eq!(wad_mul_signed_floor(a, b), expected(product, &wad(), true));
    }

    #[test]
    fn fuzz_wad_div_signed_matches_bigint(a in any_i256(), b in any_i256()) {
        let scaled = big_i(a) * wad();
        prop_assert_eq!(wad_div_signed(a, b), expected(scaled.clone(), &big_i(b), false));
        prop_assert_eq!(wad_div_signed_floor(a, b), expected(scaled, &big_i(b), true));
    }

    #[test]
    fn fuzz_checked_add_signed_matches_bigint(a in any_u256(), delta in any_i256()) {
        let sum = big(a) + big_i(delta);
        let want = if sum < BigInt::from(0) {
            Err(MathError::Underflow)
        } else {
            to_u256(&sum).ok_or(MathError::Overflow)
        };
        prop_assert_eq!(checked_add_signed(a, delta), want);
    }

    #[test]
    fn fuzz_to_i256_accepts_exactly_the_lower_half(x in any_u256()) {
        let fits = x < (U256::ONE << 255);
        prop_assert_eq!(to_i256(x).is_ok(), fits);
        if fits {
            prop_assert_eq!(big_i(to_i256(x).unwrap()), big(x));
        }
    }
}
