//! 256-bit fixed-point helpers.
//!
//! `strata_math`'s `mul_div` forms a 512-bit product so it never overflows
//! before dividing; that generality costs a 512-bit division routine in the
//! WASM. Perp values stay far below that range — reserves, notionals and
//! prices up to ~1e30 (a trillion whole units at 18 decimals) give products
//! up to ~1e60 < 2^256 ≈ 1.16e77 — so these helpers multiply in 256 bits and
//! report an overflow ([`MathError::Overflow`]) instead of wrapping when a
//! product does not fit. Rounding is in each name.

use alloy_primitives::U256;
use strata_math::{MathError, WAD};

/// `⌊a·b/c⌋` (`round_up`: `⌈a·b/c⌉`) with a 256-bit product.
///
/// # Errors
/// [`MathError::Overflow`] when `a·b` does not fit; [`MathError::DivisionByZero`].
pub(crate) fn mul_div(
    x: U256,
    y: U256,
    denominator: U256,
    round_up: bool,
) -> Result<U256, MathError> {
    if denominator.is_zero() {
        return Err(MathError::DivisionByZero);
    }
    let (quotient, remainder) = x.checked_mul(y).ok_or(MathError::Overflow)?.div_rem(denominator);
    if round_up && !remainder.is_zero() {
        // quotient < x·y/denominator < 2^256 when the remainder is non-zero; checked anyway.
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
