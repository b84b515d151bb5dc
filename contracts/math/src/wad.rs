//! 18-decimal fixed point (WAD) on `U256`, Balancer v2 `FixedPoint` style.
//!
//! Unlike Balancer, `a * b` (or `a * WAD`) is formed in 512 bits, so these functions fail only
//! when the final result does not fit in 256 bits.

use alloy_primitives::{uint, U256};

use crate::{
    full_math::{mul_div_down, mul_div_up},
    MathError,
};

/// One in 18-decimal fixed point: `1e18`.
pub const WAD: U256 = uint!(1_000_000_000_000_000_000_U256);

/// `a * b / 1e18`, rounded down.
///
/// # Errors
///
/// [`MathError::Overflow`] if the result does not fit in 256 bits.
pub fn wad_mul_down(a: U256, b: U256) -> Result<U256, MathError> {
    mul_div_down(a, b, WAD)
}

/// `a * b / 1e18`, rounded up.
///
/// # Errors
///
/// [`MathError::Overflow`] if the result does not fit in 256 bits.
pub fn wad_mul_up(a: U256, b: U256) -> Result<U256, MathError> {
    mul_div_up(a, b, WAD)
}

/// `a * 1e18 / b`, rounded down.
///
/// # Errors
///
/// [`MathError::DivisionByZero`] if `b == 0`; [`MathError::Overflow`] if the result does not
/// fit in 256 bits.
pub fn wad_div_down(a: U256, b: U256) -> Result<U256, MathError> {
    mul_div_down(a, WAD, b)
}

/// `a * 1e18 / b`, rounded up.
///
/// # Errors
///
/// [`MathError::DivisionByZero`] if `b == 0`; [`MathError::Overflow`] if the result does not
/// fit in 256 bits.
pub fn wad_div_up(a: U256, b: U256) -> Result<U256, MathError> {
    mul_div_up(a, WAD, b)
}

/// `1e18 - x`, or 0 when `x > 1e18`.
///
/// Saturating (Balancer `complement`): inputs that exceed one only by a rounding error, such
/// as a `pow_up` result, yield 0 instead of an underflow.
pub const fn complement(x: U256) -> U256 {
    WAD.saturating_sub(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wad(v: u64) -> U256 {
        U256::from(v).saturating_mul(WAD)
    }

    #[test]
    fn wad_mul_rounds_in_the_named_direction() {
        assert_eq!(wad_mul_down(wad(2), wad(3)), Ok(wad(6)));
        assert_eq!(wad_mul_up(wad(2), wad(3)), Ok(wad(6)));
        assert_eq!(wad_mul_down(U256::ONE, U256::ONE), Ok(U256::ZERO));
        assert_eq!(wad_mul_up(U256::ONE, U256::ONE), Ok(U256::ONE));
        assert_eq!(wad_mul_up(U256::ZERO, U256::MAX), Ok(U256::ZERO));
    }

    #[test]
    fn wad_div_rounds_in_the_named_direction() {
        assert_eq!(wad_div_down(wad(1), wad(3)), Ok(U256::from(333_333_333_333_333_333_u64)));
        assert_eq!(wad_div_up(wad(1), wad(3)), Ok(U256::from(333_333_333_333_333_334_u64)));
        assert_eq!(wad_div_up(U256::ZERO, wad(3)), Ok(U256::ZERO));
    }

    #[test]
    fn wad_ops_error_instead_of_wrapping() {
        assert_eq!(wad_mul_down(U256::MAX, wad(2)), Err(MathError::Overflow));
        assert_eq!(wad_mul_up(U256::MAX, wad(2)), Err(MathError::Overflow));
        assert_eq!(wad_div_down(U256::MAX, U256::ONE), Err(MathError::Overflow));
        assert_eq!(wad_div_up(wad(1), U256::ZERO), Err(MathError::DivisionByZero));
        assert_eq!(wad_div_down(wad(1), U256::ZERO), Err(MathError::DivisionByZero));
    }

    #[test]
    fn wad_mul_accepts_products_wider_than_256_bits_when_the_result_fits() {
        assert_eq!(wad_mul_down(U256::MAX, WAD), Ok(U256::MAX));
        assert_eq!(wad_div_down(U256::MAX, WAD), Ok(U256::MAX));
    }

    #[test]
    fn complement_saturates_at_zero() {
        assert_eq!(complement(U256::ZERO), WAD);
        assert_eq!(complement(wad(1)), U256::ZERO);
        assert_eq!(complement(wad(2)), U256::ZERO);
        assert_eq!(complement(U256::from(3u64)), WAD.saturating_sub(U256::from(3u64)));
    }
}
