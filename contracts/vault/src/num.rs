//! 256-bit fixed-point helpers (see the vAMM's `num` module for why the
//! product is 256-bit: Perp amounts stay far below 2^256 / 1e18).

use alloy_primitives::U256;
use strata_math::{MathError, WAD};

/// `⌊a·b/1e18⌋`.
///
/// # Errors
/// [`MathError::Overflow`] when `a·b` does not fit in 256 bits.
pub(crate) fn wad_mul(a: U256, b: U256) -> Result<U256, MathError> {
    // WAD is a non-zero constant: the division cannot fail.
    Ok(a.checked_mul(b).ok_or(MathError::Overflow)?.checked_div(WAD).unwrap_or_default())
}

/// `⌈a/b⌉`.
///
/// # Errors
/// [`MathError::DivisionByZero`].
pub(crate) fn div_up(a: U256, b: U256) -> Result<U256, MathError> {
    if b.is_zero() {
        return Err(MathError::DivisionByZero);
    }
    let (q, r) = a.div_rem(b);
    // q ≤ a / b, so q + 1 ≤ a < 2^256 whenever r ≠ 0 (then b ≥ 2 or a ≥ 1).
    Ok(if r.is_zero() { q } else { q.saturating_add(U256::ONE) })
}
