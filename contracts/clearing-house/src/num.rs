//! Signed conversions. The clearing house does no fixed-point arithmetic of
//! its own: the engine does (see its `num` module); an overflow here is an
//! error, never a wrap.

use alloy_primitives::{I256, U256};
use strata_math::MathError;

/// `x` as a signed value.
///
/// # Errors
/// [`MathError::Overflow`] at or above 2^255.
pub(crate) fn signed(x: U256) -> Result<I256, MathError> {
    I256::try_from(x).map_err(|_| MathError::Overflow)
}

/// `−x`.
///
/// # Errors
/// [`MathError::Overflow`] for `I256::MIN`.
pub(crate) fn neg(x: I256) -> Result<I256, MathError> {
    x.checked_neg().ok_or(MathError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_helpers_refuse_overflow() {
        assert_eq!(neg(I256::MIN), Err(MathError::Overflow));
        assert_eq!(signed(U256::MAX), Err(MathError::Overflow));
        assert_eq!(neg(I256::ONE), Ok(I256::MINUS_ONE));
    }
}
