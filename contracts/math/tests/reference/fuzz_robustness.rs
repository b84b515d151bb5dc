//! Arbitrary inputs, including out-of-domain ones: every function returns `Ok` or `Err`,
//! never panics (a panic fails the test), and errors are the documented ones.

use alloy_primitives::{I256, U256};
use proptest::prelude::*;
use strata_math::{
    calc_in_given_out, calc_out_given_in, calc_pool_in_given_single_out,
    calc_pool_out_given_single_in, calc_single_in_given_pool_out, calc_single_out_given_pool_in,
    calc_spot_price, compute_swap_step, get_amount0_delta, get_amount1_delta,
    get_next_sqrt_price_from_input, get_next_sqrt_price_from_output, get_sqrt_ratio_at_tick,
    get_tick_at_sqrt_ratio, log_exp, pow_down, pow_up, MathError, WAD,
};

use crate::support::{any_u256, cases};

/// Mostly valid WAD fees (below 1e18), sometimes anything.
fn fee() -> impl Strategy<Value = U256> {
    prop_oneof![3 => any_u256().prop_map(|f| f % WAD), 1 => any_u256()]
}

fn any_i256() -> impl Strategy<Value = I256> {
    any_u256().prop_map(I256::from_raw)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn fuzz_weighted_math_never_panics(
        a in any_u256(), b in any_u256(), c in any_u256(), d in any_u256(), e in any_u256(), f in fee()
    ) {
        let _ = calc_spot_price(a, b, c, d, f);
        let _ = calc_out_given_in(a, b, c, d, e, f);
        let _ = calc_in_given_out(a, b, c, d, e, f);
        let _ = calc_pool_out_given_single_in(a, b, c, d, e, f);
        let _ = calc_single_in_given_pool_out(a, b, c, d, e, f);
        let _ = calc_single_out_given_pool_in(a, b, c, d, e, f);
        let _ = calc_pool_in_given_single_out(a, b, c, d, e, f);
    }

    #[test]
    fn fuzz_log_exp_never_panics(x in any_u256(), y in any_u256(), s in any_i256()) {
        let _ = log_exp::pow(x, y);
        let _ = pow_down(x, y);
        let _ = pow_up(x, y);
        let _ = log_exp::exp(s);
        match log_exp::ln(s) {
            Ok(_) => prop_assert!(!s.is_negative() && !s.is_zero()),
            Err(error) => prop_assert_eq!(error, MathError::LnOutOfBounds),
        }
    }

    #[test]
    fn fuzz_concentrated_liquidity_math_never_panics(
        p in any_u256(), q in any_u256(), l in any::<u128>(), amount in any_u256(), remaining in any_i256(),
        fee in prop_oneof![0u32..1_100_000, any::<u32>()], zero_for_one in any::<bool>(), up in any::<bool>(), tick in any::<i32>()
    ) {
        let _ = get_amount0_delta(p, q, l, up);
        let _ = get_amount1_delta(p, q, l, up);
        let _ = get_next_sqrt_price_from_input(p, l, amount, zero_for_one);
        let _ = get_next_sqrt_price_from_output(p, l, amount, zero_for_one);
        let _ = compute_swap_step(p, q, l, remaining, fee);
        let _ = get_tick_at_sqrt_ratio(p);
        match get_sqrt_ratio_at_tick(tick) {
            Ok(_) => prop_assert!(tick.unsigned_abs() <= 887_272),
            Err(error) => prop_assert_eq!(error, MathError::TickOutOfBounds),
        }
    }
}

#[test]
fn max_values_give_errors_not_panics() {
    let max = U256::MAX;
    assert!(calc_out_given_in(max, max, max, max, max, U256::ZERO).is_err());
    assert!(calc_in_given_out(max, max, max, max, max, U256::ZERO).is_err());
    assert_eq!(calc_spot_price(max, max, max, max, U256::ZERO), Err(MathError::Overflow));
    assert_eq!(
        calc_pool_out_given_single_in(max, max, max, max, max, max),
        Err(MathError::InvalidFee)
    );
    assert!(compute_swap_step(max, U256::ZERO, u128::MAX, I256::MAX, 0).is_err());
    assert!(compute_swap_step(max, max, u128::MAX, I256::MIN, 999_999).is_ok());
}
