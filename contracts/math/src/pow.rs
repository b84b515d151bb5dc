//! `x^y` for WAD base and exponent with a guaranteed rounding direction (Balancer v2
//! `FixedPoint.powDown` / `powUp`).
//!
//! # Error bound
//!
//! [`crate::log_exp::pow`] is assumed accurate to a relative error of
//! [`MAX_POW_RELATIVE_ERROR`] = 1e-14, plus one wei. Its actual error is far smaller: `ln` is
//! within 2e-18 (absolute) and `exp` within ~1e-16 (relative), so `y · ln x` carries at most
//! `2e-18 · y`; since `|y · ln x| <= 130` and `|ln x| >= 0.095` outside the 36-decimal
//! branch, that stays below 3e-15 over the whole domain (measured against an 80-digit
//! reference: <= 1.1e-16 for `y <= 100`; the crate's proptests check the 1e-14 assumption).
//! The directed versions widen the raw result by that bound plus one wei:
//!
//! ```text
//! max_error = ⌈raw · 1e-14⌉ + 1
//! pow_down  = raw - max_error   (0 if raw < max_error)
//! pow_up    = raw + max_error
//! ```
//!
//! so the true `x^y` lies in `[pow_down, pow_up]`, and each is within
//! `2 · max_error <= x^y · 2e-14 + 4` wei of the true value (raw error plus margin).
//!
//! The exponents 1, 2 and 4 (50/50 and 80/20 weight ratios) skip `log_exp` and use WAD
//! multiplications rounded in the same direction, whose errors (below one wei per
//! multiplication, relative to its operands) are far inside that bound.

use alloy_primitives::{uint, U256};

use crate::{
    log_exp,
    wad::{wad_mul_down, wad_mul_up, WAD},
    MathError,
};

/// Assumed relative error bound of [`crate::log_exp::pow`], in WAD: `10_000` = 1e-14.
pub const MAX_POW_RELATIVE_ERROR: U256 = uint!(10_000_U256);

const TWO_WAD: U256 = uint!(2_000_000_000_000_000_000_U256);
const FOUR_WAD: U256 = uint!(4_000_000_000_000_000_000_U256);

/// `x^y` rounded down: never above the true value.
///
/// ```text
/// y = 1:  x
/// y = 2:  x ⊗↓ x
/// y = 4:  (x ⊗↓ x) ⊗↓ (x ⊗↓ x)
/// else:   pow(x, y) - (⌈pow(x, y) · 1e-14⌉ + 1), floored at 0
/// ```
///
/// # Errors
///
/// The errors of [`crate::log_exp::pow`]; [`MathError::Overflow`] if a square overflows.
pub fn pow_down(x: U256, y: U256) -> Result<U256, MathError> {
    if y == WAD {
        Ok(x)
    } else if y == TWO_WAD {
        wad_mul_down(x, x)
    } else if y == FOUR_WAD {
        let square = wad_mul_down(x, x)?;
        wad_mul_down(square, square)
    } else {
        let raw = log_exp::pow(x, y)?;
        let max_error = max_error(raw)?;
        Ok(raw.saturating_sub(max_error))
    }
}

/// `x^y` rounded up: never below the true value.
///
/// ```text
/// y = 1:  x
/// y = 2:  x ⊗↑ x
/// y = 4:  (x ⊗↑ x) ⊗↑ (x ⊗↑ x)
/// else:   pow(x, y) + ⌈pow(x, y) · 1e-14⌉ + 1
/// ```
///
/// # Errors
///
/// The errors of [`crate::log_exp::pow`]; [`MathError::Overflow`] if a square or the
/// widened result overflows.
pub fn pow_up(x: U256, y: U256) -> Result<U256, MathError> {
    if y == WAD {
        Ok(x)
    } else if y == TWO_WAD {
        wad_mul_up(x, x)
    } else if y == FOUR_WAD {
        let square = wad_mul_up(x, x)?;
        wad_mul_up(square, square)
    } else {
        let raw = log_exp::pow(x, y)?;
        let max_error = max_error(raw)?;
        raw.checked_add(max_error).ok_or(MathError::Overflow)
    }
}

/// `⌈raw · MAX_POW_RELATIVE_ERROR / 1e18⌉ + 1`.
fn max_error(raw: U256) -> Result<U256, MathError> {
    wad_mul_up(raw, MAX_POW_RELATIVE_ERROR)?.checked_add(U256::ONE).ok_or(MathError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wad(v: u64) -> U256 {
        U256::from(v).saturating_mul(WAD)
    }

    #[test]
    fn fast_paths_are_exact_for_whole_exponents() {
        let x = U256::from(1_500_000_000_000_000_001_u64);
        assert_eq!(pow_down(x, WAD), Ok(x));
        assert_eq!(pow_up(x, WAD), Ok(x));
        assert_eq!(pow_down(wad(3), TWO_WAD), Ok(wad(9)));
        assert_eq!(pow_up(wad(3), FOUR_WAD), Ok(wad(81)));
        // 1.5000..01^2 = 2.250000000000000003000..., so down and up differ by one wei.
        let down = pow_down(x, TWO_WAD).unwrap_or_default();
        let up = pow_up(x, TWO_WAD).unwrap_or_default();
        assert_eq!(up.saturating_sub(down), U256::ONE);
    }

    #[test]
    fn pow_down_and_up_bracket_a_known_power() {
        // 4^0.5 = 2 exactly.
        let half = WAD >> 1;
        let down = pow_down(wad(4), half).unwrap_or_default();
        let up = pow_up(wad(4), half).unwrap_or_default();
        assert!(down <= wad(2) && wad(2) <= up, "{down} <= 2 <= {up}");
        // The band is 2 · (⌈2e18 · 1e-14⌉ + 1) wide around the raw value.
        assert!(up.saturating_sub(down) <= U256::from(2 * 20_001_u64));
    }

    #[test]
    fn pow_down_floors_at_zero_for_tiny_results() {
        // (1e-10)^1.78 = 1.6e-18: one wei, which the error margin swallows.
        let x = U256::from(100_000_000_u64);
        let y = U256::from(1_780_000_000_000_000_000_u64);
        assert_eq!(pow_down(x, y), Ok(U256::ZERO));
        assert!(pow_up(x, y).is_ok_and(|up| up >= U256::ONE));
        assert_eq!(pow_down(U256::ZERO, WAD >> 1), Ok(U256::ZERO));
        assert_eq!(pow_up(U256::ZERO, WAD >> 1), Ok(U256::ONE));
    }

    #[test]
    fn pow_errors_instead_of_overflowing() {
        assert_eq!(pow_down(U256::MAX, TWO_WAD), Err(MathError::Overflow));
        assert_eq!(pow_up(U256::MAX, FOUR_WAD), Err(MathError::Overflow));
        assert_eq!(pow_up(U256::MAX, WAD >> 1), Err(MathError::PowBaseOutOfBounds));
    }
}
