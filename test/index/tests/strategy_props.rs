//! Properties of the strategy's weight math: targets (through the valuer),
//! the rate clamp and the fade length.
// Test code: indexing, unwraps and arithmetic on small test values are fine here.
#![allow(
    clippy::cast_possible_truncation,
    clippy::single_match_else,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    missing_docs
)]

use alloy_primitives::{Address, U256};
use motsu::prelude::*;
use proptest::prelude::*;
use weight_strategy::{clamp_weight, fade_length};
use weight_valuer::{
    target_weight, WeightValuer, KIND_FIXED, MAX_WEIGHT, MIN_WEIGHT, TOTAL_WEIGHT,
};

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000)
}

/// Values from zero to far beyond any market cap, biased to extremes.
fn value() -> impl Strategy<Value = U256> {
    prop_oneof![
        Just(U256::ZERO),
        (0u128..=u128::MAX).prop_map(U256::from),
        (0u32..=200).prop_map(|bits| U256::from(1) << bits),
        any::<[u64; 3]>().prop_map(|l| U256::from_limbs([l[0], l[1], l[2], 0])),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// For any values of 2..=21 tokens: every target is at least MIN_WEIGHT,
    /// the targets sum to at most MAX_TOTAL_WEIGHT (in fact to at most
    /// 25e18 + n·MIN_WEIGHT, and, rounding down, to more than 25e18 − n).
    #[test]
    fn fuzz_targets_are_floored_and_sum_below_the_total_cap(values in prop::collection::vec(value(), 2..=21)) {
        let total = values.iter().fold(U256::ZERO, |s, v| s + v);
        prop_assume!(!total.is_zero());
        let targets: Vec<u128> = values.iter().map(|&v| target_weight(v, total).unwrap()).collect();
        let n = targets.len() as u128;
        let sum: u128 = targets.iter().sum();
        prop_assert!(targets.iter().all(|&t| t >= MIN_WEIGHT), "a target below MIN_WEIGHT");
        prop_assert!(sum <= MAX_WEIGHT, "targets sum {sum} above MAX_TOTAL_WEIGHT");
        prop_assert!(sum <= TOTAL_WEIGHT + n * MIN_WEIGHT, "targets sum {sum} above 25e18 + n·MIN_WEIGHT");
        prop_assert!(sum + n > TOTAL_WEIGHT, "targets sum {sum} lost more than one wei per token");
    }

    /// The same through the deployed valuer (FIXED kind, arbitrary numbers).
    #[test]
    fn fuzz_valuer_targets_obey_the_floor_and_the_cap(weights in prop::collection::vec(0u128..=MAX_WEIGHT, 2..=21)) {
        prop_assume!(weights.iter().any(|&x| x > 0));
        let valuer = Contract::<WeightValuer>::new();
        let owner = Address::repeat_byte(0x01);
        let oracle = Address::repeat_byte(0x02);
        valuer.sender(owner).constructor(owner, oracle, KIND_FIXED, 60).unwrap();
        let tokens: Vec<Address> = (0..weights.len()).map(|i| Address::repeat_byte(0x10 + i as u8)).collect();
        valuer.sender(owner).set_fixed_weights(tokens.clone(), weights.iter().map(|&x| U256::from(x)).collect()).unwrap();
        let targets = valuer.sender(owner).get_targets(tokens).unwrap();
        let sum = targets.iter().fold(U256::ZERO, |s, t| s + t);
        prop_assert!(targets.iter().all(|&t| t >= U256::from(MIN_WEIGHT)), "a target below MIN_WEIGHT");
        prop_assert!(sum <= U256::from(MAX_WEIGHT), "targets sum above MAX_TOTAL_WEIGHT");
    }

    /// The clamp never moves a weight by more than duration · maxWeightPerSecond
    /// and always moves toward the target (or reaches it).
    #[test]
    fn fuzz_clamp_never_exceeds_duration_times_max_rate(
        current in MIN_WEIGHT..=MAX_WEIGHT,
        target in MIN_WEIGHT..=MAX_WEIGHT,
        rate in 1u128..=MAX_WEIGHT,
        duration in 1u64..=10_000_000,
    ) {
        let max_change = rate.saturating_mul(u128::from(duration));
        let clamped = clamp_weight(current, target, max_change);
        prop_assert!(clamped.abs_diff(current) <= max_change, "moved more than the cap");
        prop_assert!(clamped.min(current) >= target.min(current) && clamped.max(current) <= target.max(current), "overshot the target");
        prop_assert!(clamped == target || clamped.abs_diff(current) == max_change, "stopped short without hitting the cap");
        prop_assert!((MIN_WEIGHT..=MAX_WEIGHT).contains(&clamped), "left the weight range");
    }

    /// A fade length, when there is one, keeps delta / length within
    /// [min, max] exactly as the pool checks it (min·len ≤ delta ≤ max·len).
    #[test]
    fn fuzz_fade_length_keeps_the_rate_within_bounds(
        delta in 0u128..=MAX_WEIGHT,
        duration in 1u64..=10_000_000,
        max_rate in 1u128..=MAX_WEIGHT,
        min_seed in 0u128..=MAX_WEIGHT,
    ) {
        let min_rate = min_seed % (max_rate + 1);
        match fade_length(delta, duration, min_rate, max_rate) {
            Some(len) => {
                let len = u128::from(len);
                prop_assert!(len > 0, "zero-length fade");
                prop_assert!(min_rate * len <= delta && delta <= max_rate.saturating_mul(len), "rate outside the bounds");
                prop_assert!(len == u128::from(duration) || delta.div_ceil(max_rate) == len || delta / min_rate.max(1) == len,
                    "fade length moved away from the duration more than needed");
            }
            None => {
                // No positive length fits: ⌈delta/max⌉ > ⌊delta/min⌋, or zero length.
                let shortest = delta.div_ceil(max_rate);
                let longest = if min_rate == 0 { u128::MAX } else { delta / min_rate };
                prop_assert!(shortest > longest || longest == 0 || shortest > u128::from(u64::MAX), "a valid fade was refused");
            }
        }
    }
}
