//! 256-bit fixed-point helpers, unsigned and signed.
//!
//! Products are formed in 256 bits (see the vAMM's `num` module: Perp values
//! stay below ~1e30, products below ~1e60 < 2^256); an overflow is an error,
//! never a wrap. Every signed helper names its rounding: `floor` (toward −∞)
//! or `ceil` (toward +∞), chosen at each call site in the protocol's favour.

use alloy_primitives::{Sign, I256, U256};
use strata_math::{MathError, WAD};

/// `⌊a·b/c⌋`, or `⌈a·b/c⌉` when `up`.
///
/// # Errors
/// [`MathError::Overflow`], [`MathError::DivisionByZero`].
pub(crate) fn mul_div(x: U256, y: U256, denominator: U256, up: bool) -> Result<U256, MathError> {
    if denominator.is_zero() {
        return Err(MathError::DivisionByZero);
    }
    let (quotient, remainder) = x.checked_mul(y).ok_or(MathError::Overflow)?.div_rem(denominator);
    if up && !remainder.is_zero() {
        return quotient.checked_add(U256::ONE).ok_or(MathError::Overflow);
    }
    Ok(quotient)
}

/// `⌊a·b/1e18⌋` (Perp v1 `mulD`).
///
/// # Errors
/// [`MathError::Overflow`].
pub(crate) fn wad_mul(a: U256, b: U256) -> Result<U256, MathError> {
    mul_div(a, b, WAD, false)
}

/// `⌊a·1e18/b⌋` (Perp v1 `divD`).
///
/// # Errors
/// [`MathError::Overflow`], [`MathError::DivisionByZero`].
pub(crate) fn wad_div(a: U256, b: U256) -> Result<U256, MathError> {
    mul_div(a, WAD, b, false)
}

/// `x` as a signed value.
///
/// # Errors
/// [`MathError::Overflow`] at or above 2^255.
pub(crate) fn signed(x: U256) -> Result<I256, MathError> {
    I256::try_from(x).map_err(|_| MathError::Overflow)
}

/// `a − b` as a signed value.
///
/// # Errors
/// [`MathError::Overflow`].
pub(crate) fn diff(a: U256, b: U256) -> Result<I256, MathError> {
    signed(a)?.checked_sub(signed(b)?).ok_or(MathError::Overflow)
}

/// `a + b` for signed values.
///
/// # Errors
/// [`MathError::Overflow`].
pub(crate) fn add(a: I256, b: I256) -> Result<I256, MathError> {
    a.checked_add(b).ok_or(MathError::Overflow)
}

/// `a − b` for signed values.
///
/// # Errors
/// [`MathError::Overflow`].
pub(crate) fn sub(a: I256, b: I256) -> Result<I256, MathError> {
    a.checked_sub(b).ok_or(MathError::Overflow)
}

/// `−x`.
///
/// # Errors
/// [`MathError::Overflow`] for `I256::MIN`.
pub(crate) fn neg(x: I256) -> Result<I256, MathError> {
    x.checked_neg().ok_or(MathError::Overflow)
}

/// `x·num/den` for a signed `x`, rounded toward +∞ (`ceil`) or −∞.
///
/// # Errors
/// [`MathError::Overflow`], [`MathError::DivisionByZero`].
pub(crate) fn mul_div_signed(x: I256, num: U256, den: U256, ceil: bool) -> Result<I256, MathError> {
    let negative = x.is_negative();
    // Toward +∞ rounds a positive magnitude up and a negative one down; toward −∞
    // the reverse.
    let magnitude = mul_div(x.unsigned_abs(), num, den, ceil != negative)?;
    let sign = if negative { Sign::Negative } else { Sign::Positive };
    I256::checked_from_sign_and_abs(sign, magnitude).ok_or(MathError::Overflow)
}

/// `a·b/1e18` for signed values, rounded toward +∞ (`ceil`) or −∞.
///
/// # Errors
/// [`MathError::Overflow`].
pub(crate) fn wad_mul_signed(a: I256, b: I256, ceil: bool) -> Result<I256, MathError> {
    let x = if b.is_negative() { neg(a)? } else { a };
    mul_div_signed(x, b.unsigned_abs(), WAD, ceil)
}

/// `⌊a·1e18/b⌋` for a signed `a`.
///
/// # Errors
/// [`MathError::Overflow`], [`MathError::DivisionByZero`].
pub(crate) fn wad_div_floor(a: I256, b: U256) -> Result<I256, MathError> {
    mul_div_signed(a, WAD, b, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i(x: i64) -> I256 {
        I256::try_from(x).unwrap()
    }

    #[test]
    fn signed_helpers_round_in_the_named_direction() {
        let third = U256::from(3u8);
        assert_eq!(mul_div_signed(i(10), U256::ONE, third, false).unwrap(), i(3));
        assert_eq!(mul_div_signed(i(10), U256::ONE, third, true).unwrap(), i(4));
        assert_eq!(mul_div_signed(i(-10), U256::ONE, third, false).unwrap(), i(-4));
        assert_eq!(mul_div_signed(i(-10), U256::ONE, third, true).unwrap(), i(-3));
        // (−3)·(5)/1e18 with tiny values: −15e-18 → floor −1 wei… exact here.
        assert_eq!(
            wad_mul_signed(i(-3), I256::try_from(WAD).unwrap() * i(5), true).unwrap(),
            i(-15)
        );
        assert_eq!(wad_mul_signed(i(-1), i(1), true).unwrap(), I256::ZERO);
        assert_eq!(wad_mul_signed(i(-1), i(1), false).unwrap(), i(-1));
        assert_eq!(wad_mul_signed(i(-1), i(-1), true).unwrap(), i(1));
        assert_eq!(wad_div_floor(i(-1), third).unwrap(), i(-333_333_333_333_333_334));
        assert_eq!(
            mul_div(U256::ONE, U256::ONE, U256::ZERO, false),
            Err(MathError::DivisionByZero)
        );
        assert_eq!(mul_div(U256::MAX, U256::from(2u8), U256::ONE, false), Err(MathError::Overflow));
        assert_eq!(neg(I256::MIN), Err(MathError::Overflow));
        assert_eq!(signed(U256::MAX), Err(MathError::Overflow));
    }
}
