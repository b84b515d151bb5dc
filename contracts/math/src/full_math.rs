//! Full-width `a * b / denominator` (Uniswap v3 `FullMath`) and rounding-up division.
//!
//! The product is formed in 512 bits so `a * b` never overflows; only the quotient must fit
//! in 256 bits. This is a `U512` widening multiply plus one ruint division rather than a port
//! of Uniswap's Remco Bloemen `mulDiv` (mulmod + modular inverse): ruint's division trims
//! leading zero limbs, so a small product costs about what a 256-bit division costs, and one
//! code path is smaller in WASM than the ~40 operations of the inverse-based version. Both
//! give the exact floor (or ceiling) of the rational result.

use alloy_primitives::{U256, U512};

use crate::MathError;

/// Returns `floor(a * b / denominator)` with a 512-bit intermediate product.
///
/// ```text
/// result = ⌊ a · b / denominator ⌋      rounds down
/// ```
///
/// # Errors
///
/// [`MathError::DivisionByZero`] if `denominator == 0`; [`MathError::Overflow`] if the
/// quotient does not fit in 256 bits.
pub fn mul_div_down(a: U256, b: U256, denominator: U256) -> Result<U256, MathError> {
    let (quotient, _) = mul_div_rem(a, b, denominator)?;
    Ok(quotient)
}

/// Returns `ceil(a * b / denominator)` with a 512-bit intermediate product.
///
/// ```text
/// result = ⌈ a · b / denominator ⌉      rounds up
/// ```
///
/// # Errors
///
/// [`MathError::DivisionByZero`] if `denominator == 0`; [`MathError::Overflow`] if the
/// rounded-up quotient does not fit in 256 bits.
pub fn mul_div_up(a: U256, b: U256, denominator: U256) -> Result<U256, MathError> {
    let (quotient, exact) = mul_div_rem(a, b, denominator)?;
    if exact {
        Ok(quotient)
    } else {
        quotient.checked_add(U256::ONE).ok_or(MathError::Overflow)
    }
}

/// Returns `ceil(a / b)`.
///
/// # Errors
///
/// [`MathError::DivisionByZero`] if `b == 0`.
pub fn div_up(a: U256, b: U256) -> Result<U256, MathError> {
    if b.is_zero() {
        return Err(MathError::DivisionByZero);
    }
    let (quotient, remainder) = a.div_rem(b);
    if remainder.is_zero() {
        Ok(quotient)
    } else {
        // A non-zero remainder means b >= 2, so quotient <= U256::MAX / 2.
        quotient.checked_add(U256::ONE).ok_or(MathError::Overflow)
    }
}

/// `(floor(a * b / d), remainder == 0)`.
fn mul_div_rem(a: U256, b: U256, denominator: U256) -> Result<(U256, bool), MathError> {
    if denominator.is_zero() {
        return Err(MathError::DivisionByZero);
    }
    let product: U512 = a.widening_mul(b);
    let (quotient, remainder) =
        product.div_rem(U512::wrapping_from_limbs_slice(denominator.as_limbs()));
    let quotient =
        U256::checked_from_limbs_slice(quotient.as_limbs()).ok_or(MathError::Overflow)?;
    Ok((quotient, remainder.is_zero()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const Q128: U256 = U256::from_limbs([0, 0, 1, 0]);

    fn u(v: u64) -> U256 {
        U256::from(v)
    }

    #[test]
    fn mul_div_errors_when_denominator_is_zero() {
        assert_eq!(mul_div_down(Q128, u(5), U256::ZERO), Err(MathError::DivisionByZero));
        assert_eq!(mul_div_up(Q128, Q128, U256::ZERO), Err(MathError::DivisionByZero));
        assert_eq!(div_up(u(1), U256::ZERO), Err(MathError::DivisionByZero));
    }

    #[test]
    fn mul_div_errors_when_the_result_overflows() {
        assert_eq!(mul_div_down(Q128, Q128, u(1)), Err(MathError::Overflow));
        assert_eq!(mul_div_up(Q128, Q128, u(1)), Err(MathError::Overflow));
        let max_minus_one = U256::MAX.saturating_sub(U256::ONE);
        assert_eq!(mul_div_down(U256::MAX, U256::MAX, max_minus_one), Err(MathError::Overflow));
        assert_eq!(mul_div_up(U256::MAX, U256::MAX, max_minus_one), Err(MathError::Overflow));
    }

    #[test]
    fn mul_div_up_errors_when_only_the_rounding_overflows() {
        // Uniswap v3-core FullMath.spec.ts, "overflows 256 bits after rounding up".
        let a = u(535_006_138_814_359);
        let b: U256 = "432862656469423142931042426214547535783388063929571229938474969"
            .parse()
            .unwrap_or_default();
        assert_eq!(mul_div_up(a, b, u(2)), Err(MathError::Overflow));
        let a: U256 =
            "115792089237316195423570985008687907853269984659341747863450311749907997002549"
                .parse()
                .unwrap_or_default();
        let b: U256 =
            "115792089237316195423570985008687907853269984659341747863450311749907997002550"
                .parse()
                .unwrap_or_default();
        let d: U256 =
            "115792089237316195423570985008687907853269984653042931687443039491902864365164"
                .parse()
                .unwrap_or_default();
        assert!(mul_div_down(a, b, d).is_ok());
        assert_eq!(mul_div_up(a, b, d), Err(MathError::Overflow));
    }

    #[test]
    fn mul_div_handles_all_max_inputs() {
        assert_eq!(mul_div_down(U256::MAX, U256::MAX, U256::MAX), Ok(U256::MAX));
        assert_eq!(mul_div_up(U256::MAX, U256::MAX, U256::MAX), Ok(U256::MAX));
    }

    #[test]
    fn mul_div_is_accurate_with_and_without_phantom_overflow() {
        // Uniswap v3-core FullMath.spec.ts vectors.
        let half = Q128.checked_mul(u(50)).and_then(|v| v.checked_div(u(100))).unwrap_or_default();
        let one_and_half =
            Q128.checked_mul(u(150)).and_then(|v| v.checked_div(u(100))).unwrap_or_default();
        let third = Q128.checked_div(u(3)).unwrap_or_default();
        assert_eq!(mul_div_down(Q128, half, one_and_half), Ok(third));
        assert_eq!(mul_div_up(Q128, half, one_and_half), Ok(third.saturating_add(U256::ONE)));

        let x35 = Q128.saturating_mul(u(35));
        let x8 = Q128.saturating_mul(u(8));
        let expected = Q128.saturating_mul(u(4375)).checked_div(u(1000)).unwrap_or_default();
        assert_eq!(mul_div_down(Q128, x35, x8), Ok(expected));
        assert_eq!(mul_div_up(Q128, x35, x8), Ok(expected));

        let x1000 = Q128.saturating_mul(u(1000));
        let x3000 = Q128.saturating_mul(u(3000));
        assert_eq!(mul_div_down(Q128, x1000, x3000), Ok(third));
        assert_eq!(mul_div_up(Q128, x1000, x3000), Ok(third.saturating_add(U256::ONE)));
    }

    #[test]
    fn div_up_rounds_only_inexact_quotients_up() {
        assert_eq!(div_up(u(10), u(5)), Ok(u(2)));
        assert_eq!(div_up(u(11), u(5)), Ok(u(3)));
        assert_eq!(div_up(U256::ZERO, u(5)), Ok(U256::ZERO));
        assert_eq!(div_up(U256::MAX, U256::ONE), Ok(U256::MAX));
        assert_eq!(div_up(U256::MAX, u(2)), Ok(U256::ONE.wrapping_shl(255)));
    }
}
