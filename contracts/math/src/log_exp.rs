//! Natural exponent, natural logarithm and `x^y` for 18-decimal fixed point: a port of
//! Balancer v2 `LogExpMath` (Fernando Martinelli, Sergio Yuhjtman, Daniel Fernandez).
//!
//! Same constants, same decompositions, same truncations as the Solidity, so the results are
//! Balancer's (Balancer publishes no exact vectors; the crate's tests check this port against
//! an 80-digit reference and Balancer's own tolerance tests). The arithmetic runs on `U256`
//! magnitudes with the sign kept apart: every signed division in the original truncates
//! toward zero, which is exactly the magnitude's floor with the sign reapplied. Internals use
//! wrapping arithmetic, as the unchecked Solidity 0.7 original does: the public functions
//! bound their arguments first and each private function states why no intermediate reaches
//! 2^256 (checked arithmetic with unreachable error paths cost ~5 KB more raw WASM). Every loop
//! is bounded by a constant (at most 12 steps).
//!
//! Precision (measured against an 80-digit reference): `ln` within 2e-18 absolute, `exp`
//! within ~1e-16 relative plus its final truncation (internally 20 decimals, and 36 decimals
//! for `ln` on `(0.9, 1.1)`); `pow` inherits that as a relative error far below
//! `crate::pow::MAX_POW_RELATIVE_ERROR` (1e-14) over the whole domain.

use alloy_primitives::{uint, I256, U256};

use crate::{signed_wad::to_i256, MathError};

/// Largest argument of [`exp`]: 130.0. `e^130.7` is the largest result that still fits as a
/// 20-decimal `int256`, so 130 leaves a margin.
pub const MAX_NATURAL_EXPONENT: i128 = 130_000_000_000_000_000_000;
/// Smallest argument of [`exp`]: -41.0. `e^-41.45` is 1e-18, the smallest WAD.
pub const MIN_NATURAL_EXPONENT: i128 = -41_000_000_000_000_000_000;
/// [`pow`] requires `y < 2^254 / 1e20` so that `y * ln(x)` cannot overflow.
pub const MILD_EXPONENT_BOUND: U256 =
    uint!(289480223093290488558927462521719769633174961664101410098_U256);

const MAX_NATURAL_EXPONENT_U: U256 = uint!(130_000_000_000_000_000_000_U256);
const MIN_NATURAL_EXPONENT_ABS: U256 = uint!(41_000_000_000_000_000_000_U256);

const ONE_18: U256 = uint!(1_000_000_000_000_000_000_U256);
const ONE_20: U256 = uint!(100_000_000_000_000_000_000_U256);
const ONE_36: U256 = uint!(1_000_000_000_000_000_000_000_000_000_000_000_000_U256);
const HUNDRED: U256 = uint!(100_U256);

/// `ln` switches to the 36-decimal series strictly inside `(0.9, 1.1)`.
const LN_36_LOWER_BOUND: U256 = uint!(900_000_000_000_000_000_U256);
const LN_36_UPPER_BOUND: U256 = uint!(1_100_000_000_000_000_000_U256);

// x_n = 2^(7-n) and a_n = e^(x_n). The first two a_n are plain integers (no decimals) because
// they would overflow as 18-decimal numbers; x0 + x1 > MAX_NATURAL_EXPONENT, so at most one
// of them is ever used.
const X0: U256 = uint!(128_000_000_000_000_000_000_U256);
const A0: U256 = uint!(38877084059945950922200000000000000000000000000000000000_U256);
const X1: U256 = uint!(64_000_000_000_000_000_000_U256);
const A1: U256 = uint!(6235149080811616882910000000_U256);
// a0 and a1 scaled to 18 decimals, for comparisons in `ln`.
const A0_18: U256 =
    uint!(38877084059945950922200000000000000000000000000000000000000000000000000000_U256);
const A1_18: U256 = uint!(6235149080811616882910000000000000000000000000_U256);

/// `(x_n, a_n)` for n = 2..=11, both with 20 decimals.
const TERMS_20: [(U256, U256); 10] = [
    (uint!(3_200_000_000_000_000_000_000_U256), uint!(7896296018268069516100000000000000_U256)),
    (uint!(1_600_000_000_000_000_000_000_U256), uint!(888611052050787263676000000_U256)),
    (uint!(800_000_000_000_000_000_000_U256), uint!(298095798704172827474000_U256)),
    (uint!(400_000_000_000_000_000_000_U256), uint!(5459815003314423907810_U256)),
    (uint!(200_000_000_000_000_000_000_U256), uint!(738905609893065022723_U256)),
    (uint!(100_000_000_000_000_000_000_U256), uint!(271828182845904523536_U256)),
    (uint!(50_000_000_000_000_000_000_U256), uint!(164872127070012814685_U256)),
    (uint!(25_000_000_000_000_000_000_U256), uint!(128402541668774148407_U256)),
    (uint!(12_500_000_000_000_000_000_U256), uint!(113314845306682631683_U256)),
    (uint!(6_250_000_000_000_000_000_U256), uint!(106449445891785942956_U256)),
];
/// `exp` stops its decomposition at x9: the Taylor series is precise enough below 0.25.
const EXP_TERMS: usize = 8;
/// Taylor terms of `exp` after the linear one: x^n / n! for n = 2..=12.
const EXP_SERIES_LAST: u64 = 12;

/// `x^y` for 18-decimal `x` and `y`, as `exp(y * ln(x))`. `0^0 = 1`, `0^y = 0`.
///
/// ```text
/// x^y = exp( y · ln(x) )      y · ln(x) in 18 decimals, each division truncating toward 0
/// ```
///
/// When `0.9 < x < 1.1`, `ln(x)` comes from the 36-decimal series and is multiplied by `y`
/// in two 18-decimal halves. Not rounded in a known direction: use `crate::pow::pow_down` /
/// `crate::pow::pow_up` for bounded results.
///
/// # Errors
///
/// [`MathError::PowBaseOutOfBounds`] if `x >= 2^255`; [`MathError::PowExponentOutOfBounds`]
/// if `y >= MILD_EXPONENT_BOUND`; [`MathError::ProductOutOfBounds`] if `y * ln(x)` is
/// outside `[MIN_NATURAL_EXPONENT, MAX_NATURAL_EXPONENT]`.
pub fn pow(x: U256, y: U256) -> Result<U256, MathError> {
    if y.is_zero() {
        return Ok(ONE_18);
    }
    if x.is_zero() {
        return Ok(U256::ZERO);
    }
    if x.bit(255) {
        return Err(MathError::PowBaseOutOfBounds);
    }
    if y >= MILD_EXPONENT_BOUND {
        return Err(MathError::PowExponentOutOfBounds);
    }

    // Bounds: y < 2^254 / 1e20 ≈ 2.9e56, |ln_36 x| < 1.1e35 (so its halves are < 1.1e17 and
    // < 1e18) and |ln x| < 136e18 (x < 2^255), so every product below is < 4e76 < 2^256.
    let (negative, product) = if LN_36_LOWER_BOUND < x && x < LN_36_UPPER_BOUND {
        let (negative, ln_36_x) = ln_36(x);
        // y cannot be scaled to 36 decimals without overflow, so multiply it by the integer
        // and the fractional 18-decimal halves of ln_36_x separately.
        let (high, low) = ln_36_x.div_rem(ONE_18);
        (negative, high.wrapping_mul(y).wrapping_add(mul_div(low, y, ONE_18)))
    } else {
        let (negative, ln_x) = ln_18(x);
        (negative, ln_x.wrapping_mul(y))
    };
    let product = product.wrapping_div(ONE_18);

    let limit = if negative { MIN_NATURAL_EXPONENT_ABS } else { MAX_NATURAL_EXPONENT_U };
    if product > limit {
        return Err(MathError::ProductOutOfBounds);
    }
    Ok(exp_signed(negative, product))
}

/// `e^x` for a signed 18-decimal `x`.
///
/// Negative arguments are computed as `1e36 / e^(-x)`, truncated.
///
/// # Errors
///
/// [`MathError::InvalidExponent`] if `x` is outside
/// `[MIN_NATURAL_EXPONENT, MAX_NATURAL_EXPONENT]`.
pub fn exp(x: I256) -> Result<I256, MathError> {
    let negative = x.is_negative();
    let magnitude = x.unsigned_abs();
    let limit = if negative { MIN_NATURAL_EXPONENT_ABS } else { MAX_NATURAL_EXPONENT_U };
    if magnitude > limit {
        return Err(MathError::InvalidExponent);
    }
    to_i256(exp_signed(negative, magnitude))
}

/// `ln(a)` for a positive 18-decimal `a`, in 18 decimals.
///
/// Uses the 36-decimal series (then truncates toward zero) when `0.9 < a < 1.1`.
///
/// # Errors
///
/// [`MathError::LnOutOfBounds`] if `a <= 0`.
pub fn ln(a: I256) -> Result<I256, MathError> {
    if a.is_negative() || a.is_zero() {
        return Err(MathError::LnOutOfBounds);
    }
    let a = a.unsigned_abs();
    let (negative, magnitude) = if LN_36_LOWER_BOUND < a && a < LN_36_UPPER_BOUND {
        let (negative, ln_36_a) = ln_36(a);
        (negative, ln_36_a.wrapping_div(ONE_18))
    } else {
        ln_18(a)
    };
    // |ln a| < 136e18 for a < 2^255: far inside the I256 range, so the negation is exact.
    let value = to_i256(magnitude)?;
    Ok(if negative { value.wrapping_neg() } else { value })
}

// The private functions below use wrapping arithmetic, as the Solidity original does
// (0.7, unchecked): their callers bound the arguments, and each function states why no
// intermediate can reach 2^256. Divisors are non-zero constants or values >= 1.

/// `e^(±magnitude)` in 18 decimals, for `magnitude <= MAX_NATURAL_EXPONENT` (41e18 when
/// negative).
fn exp_signed(negative: bool, magnitude: U256) -> U256 {
    let positive = exp_positive(magnitude);
    // e^x >= 1e18 for x >= 0, so the divisor is non-zero.
    if negative {
        ONE_36.wrapping_div(positive)
    } else {
        positive
    }
}

/// `e^x` for `0 <= x <= MAX_NATURAL_EXPONENT` (18 decimals in and out).
///
/// Bounds: after removing x0 or x1 the remainder is < 64 (< 2 when x0 was removed), so
/// `product <= e^64 · 1e20 ≈ 6.2e47`, each `product · a_n <= e^64 · 1e40 ≈ 6.2e67`, the
/// series terms are < 0.25 · 1e20 squared, and the result times `a0` is
/// `<= e^130 · 1e20 ≈ 2.9e76 < 2^256`.
fn exp_positive(x: U256) -> U256 {
    // e^x = a_k · Π a_n · e^remainder, with x = x_k + Σ x_n + remainder.
    let (x, first_an) = if x >= X0 {
        (x.wrapping_sub(X0), A0)
    } else if x >= X1 {
        (x.wrapping_sub(X1), A1)
    } else {
        (x, U256::ONE)
    };

    // From here on, 20 decimals for the smaller terms.
    let mut x = x.wrapping_mul(HUNDRED);
    let mut product = ONE_20;
    for (x_n, a_n) in TERMS_20.iter().take(EXP_TERMS) {
        if x >= *x_n {
            x = x.wrapping_sub(*x_n);
            product = mul_div(product, *a_n, ONE_20);
        }
    }

    // Taylor series of e^x for the remainder x < 0.25: Σ x^n / n!.
    let mut series_sum = ONE_20.wrapping_add(x);
    let mut term = x;
    for n in 2..=EXP_SERIES_LAST {
        term = mul_div(term, x, ONE_20).wrapping_div(U256::from(n));
        series_sum = series_sum.wrapping_add(term);
    }

    mul_div(product, series_sum, ONE_20).wrapping_mul(first_an).wrapping_div(HUNDRED)
}

/// `ln(a)` in 18 decimals for `0 < a < 2^255` (18 decimals), as (is negative, magnitude).
fn ln_18(a: U256) -> (bool, U256) {
    if a < ONE_18 {
        // ln(a) = -ln(1/a), and 1 <= 1/a <= 1e36.
        (true, ln_at_least_one(ONE_36.wrapping_div(a)))
    } else {
        (false, ln_at_least_one(a))
    }
}

/// `ln(a)` for `1 <= a < 2^255` (18 decimals in and out).
///
/// Bounds: dividing out a0 or a1 leaves `a < a0 · 1e18 / a1 ≈ 6.2e45`, so `a · 100 · 1e20`
/// stays below 6.2e67; the sum is below 256 · 1e20.
fn ln_at_least_one(a: U256) -> U256 {
    // ln(a) = Σ x_n + ln(a / Π a_n), dividing out every a_n that fits.
    let mut a = a;
    let mut sum = U256::ZERO;
    if a >= A0_18 {
        a = a.wrapping_div(A0);
        sum = X0;
    }
    if a >= A1_18 {
        a = a.wrapping_div(A1);
        sum = sum.wrapping_add(X1);
    }

    // 20 decimals for the smaller terms.
    let mut sum = sum.wrapping_mul(HUNDRED);
    let mut a = a.wrapping_mul(HUNDRED);
    for (x_n, a_n) in &TERMS_20 {
        if a >= *a_n {
            a = mul_div(a, ONE_20, *a_n);
            sum = sum.wrapping_add(*x_n);
        }
    }

    // a < a_11 ≈ 1.06 now (and a >= 1). ln(a) = 2·(z + z^3/3 + z^5/5 + ...) with
    // z = (a - 1) / (a + 1); six terms reach 36-decimal precision.
    let z = mul_div(a.wrapping_sub(ONE_20), ONE_20, a.wrapping_add(ONE_20));
    sum.wrapping_add(odd_series(z, ONE_20, 11)).wrapping_div(HUNDRED)
}

/// `ln(x)` in 36 decimals for `0.9 < x < 1.1` (18 decimals in), as (is negative, magnitude).
///
/// Bounds: `x · 1e18 < 1.1e36` and `|x - 1| · 1e36 < 1e71`.
fn ln_36(x: U256) -> (bool, U256) {
    let x = x.wrapping_mul(ONE_18);
    let negative = x < ONE_36;
    let distance = if negative { ONE_36.wrapping_sub(x) } else { x.wrapping_sub(ONE_36) };
    // Same series as `ln_at_least_one`, with |z| = |x - 1| / (x + 1); eight terms.
    let z = mul_div(distance, ONE_36, x.wrapping_add(ONE_36));
    (negative, odd_series(z, ONE_36, 15))
}

/// `2 · (z + z^3/3 + z^5/5 + ... + z^last/last)` in fixed point with unit `one`, for
/// `0 <= z < one / 10` (so every product is below `one²`).
fn odd_series(z: U256, one: U256, last: u64) -> U256 {
    let z_squared = mul_div(z, z, one);
    let mut num = z;
    let mut series_sum = z;
    let mut denominator = 3_u64;
    while denominator <= last {
        num = mul_div(num, z_squared, one);
        series_sum = series_sum.wrapping_add(num.wrapping_div(U256::from(denominator)));
        denominator = denominator.saturating_add(2);
    }
    series_sum.wrapping_shl(1)
}

/// `a · b / c` truncated, for a product the caller has bounded below 2^256 and `c != 0`.
fn mul_div(a: U256, b: U256, c: U256) -> U256 {
    a.wrapping_mul(b).wrapping_div(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i(v: i128) -> I256 {
        I256::try_from(v).unwrap_or_default()
    }

    fn wad(v: u64) -> U256 {
        U256::from(v).saturating_mul(ONE_18)
    }

    #[test]
    fn exp_of_zero_is_one_and_of_one_is_e() {
        assert_eq!(exp(I256::ZERO), Ok(i(1_000_000_000_000_000_000)));
        // e = 2.718281828459045235...
        assert_eq!(exp(i(1_000_000_000_000_000_000)), Ok(i(2_718_281_828_459_045_235)));
    }

    #[test]
    fn exp_rejects_arguments_outside_its_domain() {
        assert!(exp(i(MAX_NATURAL_EXPONENT)).is_ok());
        assert!(exp(i(MIN_NATURAL_EXPONENT)).is_ok());
        assert_eq!(exp(i(MAX_NATURAL_EXPONENT + 1)), Err(MathError::InvalidExponent));
        assert_eq!(exp(i(MIN_NATURAL_EXPONENT - 1)), Err(MathError::InvalidExponent));
        assert_eq!(exp(I256::MIN), Err(MathError::InvalidExponent));
        assert_eq!(exp(I256::MAX), Err(MathError::InvalidExponent));
    }

    #[test]
    fn ln_of_one_is_zero_and_of_e_is_one() {
        assert_eq!(ln(i(1_000_000_000_000_000_000)), Ok(I256::ZERO));
        let ln_e = ln(i(2_718_281_828_459_045_235)).unwrap_or_default();
        let error = ln_e.saturating_sub(i(1_000_000_000_000_000_000)).unsigned_abs();
        assert!(error <= U256::from(1u64), "ln(e) = {ln_e}");
    }

    #[test]
    fn ln_rejects_zero_and_negative_arguments() {
        assert_eq!(ln(I256::ZERO), Err(MathError::LnOutOfBounds));
        assert_eq!(ln(i(-1)), Err(MathError::LnOutOfBounds));
        assert_eq!(ln(I256::MIN), Err(MathError::LnOutOfBounds));
        assert!(ln(I256::MAX).is_ok());
        assert!(ln(i(1)).is_ok());
    }

    #[test]
    fn ln_is_negative_below_one_in_both_branches() {
        // 36-decimal branch: ln(0.95) = -0.051293294387550533...
        assert_eq!(ln(i(950_000_000_000_000_000)), Ok(i(-51_293_294_387_550_533)));
        // 18-decimal branch: ln(0.5) = -0.693147180559945309...
        let ln_half = ln(i(500_000_000_000_000_000)).unwrap_or_default();
        let error = ln_half.saturating_add(i(693_147_180_559_945_309)).unsigned_abs();
        assert!(error <= U256::from(1u64), "ln(0.5) = {ln_half}");
    }

    #[test]
    fn pow_handles_zero_base_and_zero_exponent() {
        assert_eq!(pow(U256::ZERO, U256::ZERO), Ok(ONE_18));
        assert_eq!(pow(wad(5), U256::ZERO), Ok(ONE_18));
        assert_eq!(pow(U256::ZERO, wad(5)), Ok(U256::ZERO));
    }

    #[test]
    fn pow_rejects_out_of_domain_inputs() {
        assert_eq!(pow(U256::ONE.wrapping_shl(255), ONE_18), Err(MathError::PowBaseOutOfBounds));
        assert_eq!(pow(wad(2), MILD_EXPONENT_BOUND), Err(MathError::PowExponentOutOfBounds));
        // 2^200 = e^138.6 > e^130.
        assert_eq!(pow(wad(2), wad(200)), Err(MathError::ProductOutOfBounds));
        // 0.5^60 = e^-41.6 < e^-41.
        assert_eq!(pow(wad(1) >> 1, wad(60)), Err(MathError::ProductOutOfBounds));
    }

    #[test]
    fn pow_passes_balancer_log_exp_math_test_cases() {
        // pkg/solidity-utils/test/LogExpMath.test.ts (relative error 1e-12).
        let close = |value: U256, expected: U256| {
            value.abs_diff(expected) <= expected / U256::from(1_000_000_000_000_u64)
        };
        assert_eq!(pow(U256::ONE, U256::ZERO), Ok(ONE_18));
        assert_eq!(pow(U256::from(10u64), U256::ZERO), Ok(ONE_18));
        assert_eq!(pow(U256::ZERO, U256::ONE), Ok(U256::ZERO));
        assert_eq!(pow(U256::ZERO, U256::from(10u64)), Ok(U256::ZERO));
        assert!(pow(U256::ONE, U256::ONE).is_ok_and(|v| close(v, ONE_18)));
        assert!(pow(U256::ONE, U256::from(10u64)).is_ok_and(|v| close(v, ONE_18)));
        assert!(pow(wad(2), wad(4)).is_ok_and(|v| close(v, wad(16))));
        let max_x = (U256::ONE << 255) - U256::ONE;
        let max_y = MILD_EXPONENT_BOUND - U256::ONE;
        assert_eq!(pow(max_x + U256::ONE, U256::ONE), Err(MathError::PowBaseOutOfBounds));
        assert_eq!(pow(U256::ONE, max_y + U256::ONE), Err(MathError::PowExponentOutOfBounds));
    }

    #[test]
    fn pow_matches_simple_powers_closely() {
        let two_cubed = pow(wad(2), wad(3)).unwrap_or_default();
        assert!(two_cubed.abs_diff(wad(8)) <= U256::from(100u64), "2^3 = {two_cubed}");
        let sqrt_four = pow(wad(4), wad(1) >> 1).unwrap_or_default();
        assert!(sqrt_four.abs_diff(wad(2)) <= U256::from(100u64), "4^0.5 = {sqrt_four}");
    }
}
