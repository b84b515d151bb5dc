//! `tick_math`: monotonicity, round trips, and accuracy against the 80-digit reference.

use alloy_primitives::U256;
use num_bigint::BigInt;
use proptest::prelude::*;
use strata_math::{
    get_sqrt_ratio_at_tick, get_tick_at_sqrt_ratio, MAX_SQRT_RATIO, MAX_TICK, MIN_SQRT_RATIO,
    MIN_TICK,
};

use crate::support::{big, cases, exp_ref, ln_ref, log_uniform, pow10, reference_one};

/// `√(1.0001^tick) · 2^96`, as `value / 10^80`.
fn exact_sqrt_ratio_scaled(tick: i32) -> BigInt {
    let ln_10001 = ln_ref(&BigInt::from(10_001), &BigInt::from(10_000));
    exp_ref(&(ln_10001 * tick / 2)) << 96
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn fuzz_sqrt_ratio_is_strictly_increasing(tick in MIN_TICK..MAX_TICK) {
        let here = get_sqrt_ratio_at_tick(tick).unwrap();
        let next = get_sqrt_ratio_at_tick(tick + 1).unwrap();
        prop_assert!(here < next);
        prop_assert!(MIN_SQRT_RATIO <= here && next <= MAX_SQRT_RATIO);
    }

    #[test]
    fn fuzz_tick_round_trips_through_its_sqrt_ratio(tick in MIN_TICK..MAX_TICK) {
        // MAX_TICK itself maps to MAX_SQRT_RATIO, which get_tick_at_sqrt_ratio refuses.
        let ratio = get_sqrt_ratio_at_tick(tick).unwrap();
        prop_assert_eq!(get_tick_at_sqrt_ratio(ratio), Ok(tick));
    }

    #[test]
    fn fuzz_tick_at_sqrt_ratio_is_the_greatest_tick_at_or_below(
        ratio in log_uniform(MIN_SQRT_RATIO, MAX_SQRT_RATIO - U256::ONE)
    ) {
        let tick = get_tick_at_sqrt_ratio(ratio).unwrap();
        prop_assert!(get_sqrt_ratio_at_tick(tick).unwrap() <= ratio);
        prop_assert!(ratio < get_sqrt_ratio_at_tick(tick + 1).unwrap());
    }

    #[test]
    fn fuzz_sqrt_ratio_is_close_to_the_exact_value(tick in MIN_TICK..=MAX_TICK) {
        // Uniswap's own test allows 1e-6; the magic constants do far better: the relative
        // error stays below 1e-18 apart from the final rounding to an integer.
        let ours = big(get_sqrt_ratio_at_tick(tick).unwrap()) * reference_one();
        let exact = exact_sqrt_ratio_scaled(tick);
        let tolerance = &exact / pow10(18) + reference_one();
        let diff = if ours > exact { &ours - &exact } else { &exact - &ours };
        prop_assert!(diff <= tolerance, "tick {} off by {}e-80", tick, diff);
    }
}
