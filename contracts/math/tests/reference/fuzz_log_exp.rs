//! `log_exp` and `pow` against the 80-digit reference in `support`.

use alloy_primitives::{I256, U256};
use num_bigint::BigInt;
use num_traits::Signed;
use proptest::prelude::*;
use strata_math::{
    log_exp::{self, MAX_NATURAL_EXPONENT, MIN_NATURAL_EXPONENT},
    pow_down, pow_up, MathError, MAX_POW_RELATIVE_ERROR, WAD,
};

use crate::support::{
    big, big_i, cases, exp_wad_scaled, ln_wad_scaled, log_uniform, pow10, pow_bounds,
    pow_ref_scaled, reference_one, u,
};

/// Observed accuracy of the port, with margin: `ln` within 4 wei (absolute, 18 decimals).
const LN_TOLERANCE_WEI: i64 = 4;

/// A base: anywhere in `[1, 2^255)`, or close to one (the 36-decimal branch).
fn base() -> impl Strategy<Value = U256> {
    prop_oneof![
        log_uniform(U256::ONE, (U256::ONE << 255) - U256::ONE),
        log_uniform(u("850000000000000000"), u("1150000000000000000")),
        log_uniform(u("999999000000000000"), u("1000001000000000000")),
    ]
}

/// An exponent: mostly up to 100, sometimes the fast-path values 1, 2, 4 or tiny ones.
fn exponent() -> impl Strategy<Value = U256> {
    prop_oneof![
        6 => log_uniform(U256::ONE, u("100000000000000000000")),
        1 => prop_oneof![Just(WAD), Just(WAD * U256::from(2)), Just(WAD * U256::from(4))],
        1 => log_uniform(U256::ONE, u("1000000000000000")),
    ]
}

fn scaled_abs_diff(ours: &BigInt, scaled_reference: &BigInt) -> BigInt {
    (ours * reference_one() - scaled_reference).abs()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn fuzz_ln_matches_the_reference(a in base()) {
        let a_signed = I256::from_raw(a);
        let ours = log_exp::ln(a_signed).unwrap();
        let diff = scaled_abs_diff(&big_i(ours), &ln_wad_scaled(a));
        prop_assert!(diff <= BigInt::from(LN_TOLERANCE_WEI) * reference_one(), "ln({}) = {} off by {}e-80", a, ours, diff);
    }

    #[test]
    fn fuzz_exp_matches_the_reference(x in MIN_NATURAL_EXPONENT..=MAX_NATURAL_EXPONENT) {
        let x = I256::try_from(x).unwrap();
        let ours = big_i(log_exp::exp(x).unwrap());
        let reference = exp_wad_scaled(x);
        // Relative 1e-17 of the result plus 1 wei for the final truncation.
        let tolerance = &reference / pow10(17) + reference_one();
        let diff = scaled_abs_diff(&ours, &reference);
        prop_assert!(diff <= tolerance, "exp({}) = {} off by {}e-80", x, ours, diff);
    }

    #[test]
    fn fuzz_pow_raw_error_is_within_max_pow_relative_error(x in base(), y in exponent()) {
        let scaled = pow_ref_scaled(x, y);
        let product_bound_hit = {
            // y · ln(x) near the exp domain limits: either outcome is acceptable there.
            let ln_x_times_y = crate::support::ln_ref(&big(x), &crate::support::wad()) * big(y)
                / crate::support::wad();
            let limit_hi = BigInt::from(MAX_NATURAL_EXPONENT) * reference_one() / crate::support::wad();
            let limit_lo = BigInt::from(MIN_NATURAL_EXPONENT) * reference_one() / crate::support::wad();
            let margin = reference_one() / 1000;
            (ln_x_times_y.clone() - &limit_hi).abs() < margin || (ln_x_times_y.clone() - &limit_lo).abs() < margin
                || ln_x_times_y > limit_hi || ln_x_times_y < limit_lo
        };
        match log_exp::pow(x, y) {
            Ok(raw) => {
                // The assumption behind pow_down / pow_up: |raw - x^y| <= ⌈raw · 1e-14⌉ + 1.
                let max_error = (big(raw) * big(MAX_POW_RELATIVE_ERROR) + big(WAD) - 1) / big(WAD) + 1;
                let diff = scaled_abs_diff(&big(raw), &scaled);
                prop_assert!(diff <= max_error * reference_one(), "pow({}, {}) = {} off by {}e-80", x, y, raw, diff);
            }
            Err(error) => {
                prop_assert_eq!(error, MathError::ProductOutOfBounds);
                prop_assert!(product_bound_hit, "pow({}, {}) refused inside the domain", x, y);
            }
        }
    }

    #[test]
    fn fuzz_pow_down_and_up_bracket_the_true_value(x in base(), y in exponent()) {
        let (lo, hi) = pow_bounds(x, y);
        if let Ok(down) = pow_down(x, y) {
            prop_assert!(big(down) <= hi, "pow_down({}, {}) = {} above {}", x, y, down, hi);
        }
        if let Ok(up) = pow_up(x, y) {
            prop_assert!(big(up) >= lo, "pow_up({}, {}) = {} below {}", x, y, up, lo);
        }
    }
}
