//! `sqrt_price_math` against a big-integer transcription of Uniswap v3 `SqrtPriceMath`.

use alloy_primitives::U256;
use num_bigint::BigInt;
use proptest::prelude::*;
use strata_math::{
    get_amount0_delta, get_amount0_delta_signed, get_amount1_delta, get_amount1_delta_signed,
    get_next_sqrt_price_from_input, get_next_sqrt_price_from_output, sqrt_price_math::MAX_U160,
    MathError,
};

use crate::support::{any_u256, big, big_i, cases, ceil_div, log_uniform, to_u256};

fn q96() -> BigInt {
    BigInt::from(1) << 96
}

fn u256_max() -> BigInt {
    (BigInt::from(1) << 256) - 1
}

fn sqrt_price() -> impl Strategy<Value = U256> {
    log_uniform(U256::ONE, MAX_U160)
}

fn liquidity() -> impl Strategy<Value = u128> {
    prop_oneof![any::<u128>(), (0u32..128).prop_flat_map(|bits| 0..=(u128::MAX >> bits))]
}

/// Exact `L · 2^96 · (b - a) / (a · b)`: nested floors (ceilings) of positive integers equal
/// the single floor (ceiling).
fn amount0(a: U256, b: U256, l: u128, round_up: bool) -> BigInt {
    let (a, b) = if a > b { (big(b), big(a)) } else { (big(a), big(b)) };
    let num = BigInt::from(l) * q96() * (&b - &a);
    let den = a * b;
    if round_up {
        ceil_div(&num, &den)
    } else {
        num / den
    }
}

fn amount1(a: U256, b: U256, l: u128, round_up: bool) -> BigInt {
    let (a, b) = if a > b { (big(b), big(a)) } else { (big(a), big(b)) };
    let num = BigInt::from(l) * (b - a);
    if round_up {
        ceil_div(&num, &q96())
    } else {
        num / q96()
    }
}

fn fits_u160(x: &BigInt) -> Result<U256, MathError> {
    if *x > big(MAX_U160) {
        Err(MathError::PriceOverflow)
    } else {
        Ok(to_u256(x).unwrap())
    }
}

/// `getNextSqrtPriceFromAmount0RoundingUp`, branch for branch, in big integers.
fn next_from_amount0(p: U256, l: u128, amount: U256, add: bool) -> Result<U256, MathError> {
    if amount.is_zero() {
        return Ok(p);
    }
    let (p, amount) = (big(p), big(amount));
    let n1 = BigInt::from(l) << 96;
    let product = &amount * &p;
    if add {
        if product <= u256_max() && &n1 + &product <= u256_max() {
            return Ok(to_u256(&ceil_div(&(&n1 * &p), &(&n1 + &product))).unwrap());
        }
        let den = &n1 / &p + &amount;
        if den > u256_max() {
            return Err(MathError::Overflow);
        }
        Ok(to_u256(&ceil_div(&n1, &den)).unwrap())
    } else {
        if product > u256_max() || n1 <= product {
            return Err(MathError::InsufficientLiquidity);
        }
        fits_u160(&ceil_div(&(&n1 * &p), &(&n1 - &product)))
    }
}

/// `getNextSqrtPriceFromAmount1RoundingDown` in big integers.
fn next_from_amount1(p: U256, l: u128, amount: U256, add: bool) -> Result<U256, MathError> {
    let (p, amount) = (big(p), big(amount));
    let num = &amount * q96();
    if add {
        fits_u160(&(p + num / BigInt::from(l)))
    } else {
        let quotient = ceil_div(&num, &BigInt::from(l));
        if p <= quotient {
            return Err(MathError::InsufficientLiquidity);
        }
        Ok(to_u256(&(p - quotient)).unwrap())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn fuzz_amount0_delta_matches_bigint(a in sqrt_price(), b in sqrt_price(), l in liquidity(), up in any::<bool>()) {
        let want = to_u256(&amount0(a, b, l, up)).unwrap();
        prop_assert_eq!(get_amount0_delta(a, b, l, up), Ok(want));
    }

    #[test]
    fn fuzz_amount1_delta_matches_bigint(a in sqrt_price(), b in sqrt_price(), l in liquidity(), up in any::<bool>()) {
        let want = to_u256(&amount1(a, b, l, up)).unwrap();
        prop_assert_eq!(get_amount1_delta(a, b, l, up), Ok(want));
    }

    #[test]
    fn fuzz_signed_amount_deltas_round_toward_the_pool(a in sqrt_price(), b in sqrt_price(), l in any::<i128>()) {
        let add = l >= 0;
        let magnitude = l.unsigned_abs();
        let sign = if add { 1 } else { -1 };
        prop_assert_eq!(big_i(get_amount0_delta_signed(a, b, l).unwrap()), amount0(a, b, magnitude, add) * sign);
        prop_assert_eq!(big_i(get_amount1_delta_signed(a, b, l).unwrap()), amount1(a, b, magnitude, add) * sign);
    }

    #[test]
    fn fuzz_next_sqrt_price_from_input_matches_bigint(
        p in sqrt_price(), l in liquidity(), amount in any_u256(), zero_for_one in any::<bool>()
    ) {
        let ours = get_next_sqrt_price_from_input(p, l, amount, zero_for_one);
        if l == 0 {
            prop_assert_eq!(ours, Err(MathError::LiquidityZero));
            return Ok(());
        }
        let want = if zero_for_one { next_from_amount0(p, l, amount, true) } else { next_from_amount1(p, l, amount, true) };
        prop_assert_eq!(ours, want);
        // The price never moves further than the input pays for.
        if let Ok(next) = ours {
            let paid = if zero_for_one { get_amount0_delta(next, p, l, true) } else { get_amount1_delta(p, next, l, true) };
            prop_assert!(paid.unwrap() <= amount);
        }
    }

    #[test]
    fn fuzz_next_sqrt_price_from_output_matches_bigint(
        p in sqrt_price(), l in liquidity(), amount in any_u256(), zero_for_one in any::<bool>()
    ) {
        let ours = get_next_sqrt_price_from_output(p, l, amount, zero_for_one);
        if l == 0 {
            prop_assert_eq!(ours, Err(MathError::LiquidityZero));
            return Ok(());
        }
        let want = if zero_for_one { next_from_amount1(p, l, amount, false) } else { next_from_amount0(p, l, amount, false) };
        prop_assert_eq!(ours, want);
        // The price always moves far enough to cover the output.
        if let Ok(next) = ours {
            let available = if zero_for_one { get_amount1_delta(next, p, l, false) } else { get_amount0_delta(p, next, l, false) };
            prop_assert!(available.unwrap() >= amount);
        }
    }

    #[test]
    fn fuzz_next_sqrt_price_rejects_prices_wider_than_160_bits(
        p in log_uniform(MAX_U160 + U256::ONE, U256::MAX), amount in any_u256(), zero_for_one in any::<bool>()
    ) {
        prop_assert_eq!(get_next_sqrt_price_from_input(p, 1, amount, zero_for_one), Err(MathError::SqrtPriceOutOfBounds));
        prop_assert_eq!(get_next_sqrt_price_from_output(p, 1, amount, zero_for_one), Err(MathError::SqrtPriceOutOfBounds));
    }
}
