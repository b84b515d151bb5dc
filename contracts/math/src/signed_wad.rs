//! Signed 18-decimal fixed point on `I256`, and checked `U256` <-> `I256` conversions.
//!
//! Products and quotients are computed on magnitudes with a 512-bit intermediate, then the
//! sign is applied; results outside `[I256::MIN, I256::MAX]` are errors, including the
//! `I256::MIN` corner cases that wrap in two's complement (`-MIN`, `MIN * -1`, `MIN / -1`).

use alloy_primitives::{Sign, I256, U256};

use crate::{
    full_math::{mul_div_down, mul_div_up},
    wad::WAD,
    MathError,
};

/// `a * b / 1e18`, rounded toward zero (Solidity `int256` division semantics).
///
/// # Errors
///
/// [`MathError::Overflow`] if the result is outside `[I256::MIN, I256::MAX]`.
pub fn wad_mul_signed(a: I256, b: I256) -> Result<I256, MathError> {
    let negative = a.is_negative() != b.is_negative();
    let magnitude = mul_div_down(a.unsigned_abs(), b.unsigned_abs(), WAD)?;
    from_sign_and_abs(negative, magnitude)
}

/// `a * b / 1e18`, rounded toward negative infinity.
///
/// # Errors
///
/// As [`wad_mul_signed`].
pub fn wad_mul_signed_floor(a: I256, b: I256) -> Result<I256, MathError> {
    let negative = a.is_negative() != b.is_negative();
    // Flooring a negative result means rounding its magnitude up.
    let magnitude = if negative {
        mul_div_up(a.unsigned_abs(), b.unsigned_abs(), WAD)?
    } else {
        mul_div_down(a.unsigned_abs(), b.unsigned_abs(), WAD)?
    };
    from_sign_and_abs(negative, magnitude)
}

/// `a * 1e18 / b`, rounded toward zero (Solidity `int256` division semantics).
///
/// # Errors
///
/// [`MathError::DivisionByZero`] if `b == 0`; [`MathError::Overflow`] if the result is
/// outside `[I256::MIN, I256::MAX]`.
pub fn wad_div_signed(a: I256, b: I256) -> Result<I256, MathError> {
    let negative = a.is_negative() != b.is_negative();
    let magnitude = mul_div_down(a.unsigned_abs(), WAD, b.unsigned_abs())?;
    from_sign_and_abs(negative, magnitude)
}

/// `a * 1e18 / b`, rounded toward negative infinity.
///
/// # Errors
///
/// As [`wad_div_signed`].
pub fn wad_div_signed_floor(a: I256, b: I256) -> Result<I256, MathError> {
    let negative = a.is_negative() != b.is_negative();
    let magnitude = if negative {
        mul_div_up(a.unsigned_abs(), WAD, b.unsigned_abs())?
    } else {
        mul_div_down(a.unsigned_abs(), WAD, b.unsigned_abs())?
    };
    from_sign_and_abs(negative, magnitude)
}

/// `U256` -> `I256`.
///
/// # Errors
///
/// [`MathError::Overflow`] if `x > I256::MAX` (that is, `x >= 2^255`).
pub fn to_i256(x: U256) -> Result<I256, MathError> {
    I256::try_from(x).map_err(|_| MathError::Overflow)
}

/// `|x|` as `U256`. Total: `|I256::MIN| = 2^255` fits in `U256`.
pub fn abs_u256(x: I256) -> U256 {
    x.unsigned_abs()
}

/// `a + delta` for an unsigned `a` and a signed `delta`.
///
/// # Errors
///
/// [`MathError::Overflow`] if the sum exceeds `U256::MAX`; [`MathError::Underflow`] if it
/// would be negative.
pub fn checked_add_signed(a: U256, delta: I256) -> Result<U256, MathError> {
    if delta.is_negative() {
        a.checked_sub(delta.unsigned_abs()).ok_or(MathError::Underflow)
    } else {
        a.checked_add(delta.unsigned_abs()).ok_or(MathError::Overflow)
    }
}

/// Applies a sign to a magnitude, refusing values outside the `I256` range.
fn from_sign_and_abs(negative: bool, magnitude: U256) -> Result<I256, MathError> {
    let sign = if negative { Sign::Negative } else { Sign::Positive };
    I256::checked_from_sign_and_abs(sign, magnitude).ok_or(MathError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i(v: i64) -> I256 {
        I256::try_from(v).unwrap_or_default()
    }

    fn wad(v: i64) -> I256 {
        i(v).saturating_mul(I256::from_raw(WAD))
    }

    #[test]
    fn wad_mul_signed_rounds_toward_zero() {
        assert_eq!(wad_mul_signed(wad(2), wad(-3)), Ok(wad(-6)));
        assert_eq!(wad_mul_signed(i(-1), i(1)), Ok(I256::ZERO));
        assert_eq!(wad_mul_signed(i(-1), i(-1)), Ok(I256::ZERO));
        assert_eq!(wad_mul_signed_floor(i(-1), i(1)), Ok(i(-1)));
        assert_eq!(wad_mul_signed_floor(i(1), i(1)), Ok(I256::ZERO));
        assert_eq!(wad_mul_signed_floor(wad(-2), wad(3)), Ok(wad(-6)));
    }

    #[test]
    fn wad_div_signed_rounds_toward_zero() {
        assert_eq!(wad_div_signed(wad(-1), wad(3)), Ok(i(-333_333_333_333_333_333)));
        assert_eq!(wad_div_signed_floor(wad(-1), wad(3)), Ok(i(-333_333_333_333_333_334)));
        assert_eq!(wad_div_signed(wad(-6), wad(-3)), Ok(wad(2)));
        assert_eq!(wad_div_signed_floor(wad(1), wad(3)), Ok(i(333_333_333_333_333_333)));
        assert_eq!(wad_div_signed(wad(1), I256::ZERO), Err(MathError::DivisionByZero));
    }

    #[test]
    fn signed_wad_ops_error_on_i256_min_corner_cases() {
        let minus_one = wad(-1);
        assert_eq!(wad_mul_signed(I256::MIN, minus_one), Err(MathError::Overflow));
        assert_eq!(wad_div_signed(I256::MIN, minus_one), Err(MathError::Overflow));
        assert_eq!(wad_mul_signed(I256::MIN, wad(1)), Ok(I256::MIN));
        assert_eq!(wad_div_signed(I256::MIN, wad(1)), Ok(I256::MIN));
        assert_eq!(wad_mul_signed(I256::MIN, wad(2)), Err(MathError::Overflow));
        assert_eq!(wad_mul_signed(I256::MAX, wad(-2)), Err(MathError::Overflow));
        assert_eq!(wad_mul_signed_floor(I256::MIN, wad(2)), Err(MathError::Overflow));
        assert_eq!(wad_div_signed_floor(I256::MIN, i(1)), Err(MathError::Overflow));
    }

    #[test]
    fn conversions_are_checked() {
        assert_eq!(to_i256(U256::ZERO), Ok(I256::ZERO));
        assert_eq!(to_i256(I256::MAX.into_raw()), Ok(I256::MAX));
        assert_eq!(to_i256(U256::ONE.wrapping_shl(255)), Err(MathError::Overflow));
        assert_eq!(abs_u256(I256::MIN), U256::ONE.wrapping_shl(255));
        assert_eq!(abs_u256(i(-5)), U256::from(5u64));
    }

    #[test]
    fn checked_add_signed_errors_past_either_end() {
        assert_eq!(checked_add_signed(U256::from(5u64), i(-5)), Ok(U256::ZERO));
        assert_eq!(checked_add_signed(U256::from(5u64), i(-6)), Err(MathError::Underflow));
        assert_eq!(checked_add_signed(U256::MAX, i(1)), Err(MathError::Overflow));
        assert_eq!(checked_add_signed(U256::MAX, I256::MIN), Ok(U256::MAX >> 1));
    }
}
