//! `compute_swap_step` invariants (those of Uniswap v3-core's echidna `SwapMathEchidnaTest`).

use alloy_primitives::{I256, U256};
use proptest::prelude::*;
use strata_math::{
    compute_swap_step, get_next_sqrt_price_from_input, get_next_sqrt_price_from_output,
    mul_div_down, MAX_SQRT_RATIO, MIN_SQRT_RATIO,
};

use crate::support::{any_u256, cases, log_uniform};

fn price() -> impl Strategy<Value = U256> {
    log_uniform(MIN_SQRT_RATIO, MAX_SQRT_RATIO - U256::ONE)
}

fn amount() -> impl Strategy<Value = I256> {
    prop_oneof![
        any::<i128>().prop_map(|v| I256::try_from(v).unwrap()),
        (any_u256(), any::<bool>()).prop_map(|(m, negative)| {
            let v = I256::from_raw(m >> 1);
            if negative {
                -v
            } else {
                v
            }
        }),
        Just(I256::MIN),
    ]
}

fn liquidity() -> impl Strategy<Value = u128> {
    prop_oneof![any::<u128>(), (0u32..128).prop_flat_map(|bits| 0..=(u128::MAX >> bits))]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn fuzz_swap_step_never_takes_more_than_specified(
        current in price(), target in price(), l in liquidity(), remaining in amount(), fee in 0u32..1_000_000
    ) {
        let step = compute_swap_step(current, target, l, remaining, fee).unwrap();
        let zero_for_one = current >= target;
        let exact_in = !remaining.is_negative();
        let magnitude = remaining.unsigned_abs();

        // Bounded by the target, moving in the swap's direction.
        if zero_for_one {
            prop_assert!(target <= step.sqrt_next && step.sqrt_next <= current);
        } else {
            prop_assert!(current <= step.sqrt_next && step.sqrt_next <= target);
        }

        if exact_in {
            let spent = step.amount_in.checked_add(step.fee_amount).unwrap();
            prop_assert!(spent <= magnitude, "in {} + fee {} > {}", step.amount_in, step.fee_amount, magnitude);
            if step.sqrt_next != target {
                // Target not reached: the whole amount is used.
                prop_assert_eq!(spent, magnitude);
            }
        } else {
            prop_assert!(step.amount_out <= magnitude);
        }

        // Fee is charged on any input (fee > 0 and a non-zero amount in gives a non-zero fee).
        if fee > 0 && !step.amount_in.is_zero() {
            prop_assert!(!step.fee_amount.is_zero());
        }

        // Not reaching the target means the next price is where the amount takes it.
        if step.sqrt_next != target && l > 0 {
            let expected = if exact_in {
                let less_fee = mul_div_down(magnitude, U256::from(1_000_000 - fee), U256::from(1_000_000)).unwrap();
                get_next_sqrt_price_from_input(current, l, less_fee, zero_for_one)
            } else {
                get_next_sqrt_price_from_output(current, l, magnitude, zero_for_one)
            };
            prop_assert_eq!(Ok(step.sqrt_next), expected);
        }
    }
}
