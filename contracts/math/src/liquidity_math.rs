//! Signed liquidity changes (Uniswap v3 `LiquidityMath`).

use crate::MathError;

/// `x + y` for a liquidity `x` and a signed change `y`.
///
/// # Errors
///
/// [`MathError::Underflow`] if liquidity would go negative (Uniswap `LS`);
/// [`MathError::Overflow`] if it would exceed `u128::MAX` (Uniswap `LA`).
pub fn add_delta(x: u128, y: i128) -> Result<u128, MathError> {
    if y < 0 {
        x.checked_sub(y.unsigned_abs()).ok_or(MathError::Underflow)
    } else {
        x.checked_add(y.unsigned_abs()).ok_or(MathError::Overflow)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_delta_adds_and_subtracts() {
        assert_eq!(add_delta(1, 0), Ok(1));
        assert_eq!(add_delta(1, -1), Ok(0));
        assert_eq!(add_delta(1, 1), Ok(2));
        assert_eq!(add_delta(u128::MAX, i128::MIN), Ok(u128::MAX >> 1));
    }

    #[test]
    fn add_delta_errors_past_either_end() {
        assert_eq!(add_delta(u128::MAX - 14, 15), Err(MathError::Overflow));
        assert_eq!(add_delta(0, -1), Err(MathError::Underflow));
        assert_eq!(add_delta(3, -4), Err(MathError::Underflow));
        assert_eq!(add_delta(0, i128::MIN), Err(MathError::Underflow));
    }
}
