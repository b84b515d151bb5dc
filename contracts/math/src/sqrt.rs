//! Integer square root of a `U256`.

use alloy_primitives::U256;

/// Newton steps needed from the power-of-two first guess, with margin.
///
/// The guess `2^⌈bits/2⌉` is within a factor 2 above `√n`, and each step squares the relative
/// error and halves it: 1, 0.5, 0.13, 8e-3, 3e-5, 5e-10, 1e-19, 6e-39. After 7 steps the
/// absolute error is below 1 for any `n < 2^256`, and one more step detects convergence.
const MAX_NEWTON_STEPS: usize = 10;

/// `⌊√n⌋`, exact.
///
/// Babylonian iteration `x ← (x + n/x) / 2` from an over-estimate, stopping when it no longer
/// decreases; the sequence stays above `⌊√n⌋` and lands on it.
pub fn sqrt(n: U256) -> U256 {
    if n < U256::from(2_u64) {
        return n;
    }
    let mut x = U256::ONE.wrapping_shl(n.bit_len().div_ceil(2));
    for _ in 0..MAX_NEWTON_STEPS {
        // x >= ⌊√n⌋ >= 1 throughout, so x <= 2^128 and n / x < 2^129: no overflow.
        let next = x.wrapping_add(n.wrapping_div(x)).wrapping_shr(1);
        if next >= x {
            break;
        }
        x = next;
    }
    x
}

/// `⌈√n⌉`, exact.
pub fn sqrt_up(n: U256) -> U256 {
    let root = sqrt(n);
    // root <= 2^128 - 1, so root² and root + 1 cannot overflow.
    if root.wrapping_mul(root) < n {
        root.wrapping_add(U256::ONE)
    } else {
        root
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(v: u128) -> U256 {
        U256::from(v)
    }

    #[test]
    fn sqrt_of_small_values_is_exact() {
        let expected = [0_u64, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3];
        for (n, want) in (0_u64..).zip(expected) {
            assert_eq!(sqrt(U256::from(n)), U256::from(want), "sqrt({n})");
        }
    }

    #[test]
    fn sqrt_up_rounds_inexact_roots_up() {
        assert_eq!(sqrt_up(U256::ZERO), U256::ZERO);
        assert_eq!(sqrt_up(u(1)), u(1));
        assert_eq!(sqrt_up(u(2)), u(2));
        assert_eq!(sqrt_up(u(4)), u(2));
        assert_eq!(sqrt_up(u(5)), u(3));
    }

    #[test]
    fn sqrt_of_max_is_two_to_the_128_minus_one() {
        assert_eq!(sqrt(U256::MAX), u(u128::MAX));
        assert_eq!(sqrt_up(U256::MAX), U256::ONE.wrapping_shl(128));
    }

    #[test]
    fn sqrt_is_exact_around_perfect_squares() {
        for root in [u(3), u(u128::from(u64::MAX)), u(u128::MAX), u(1_000_000_000_000_000_000)] {
            let square = root.wrapping_mul(root);
            assert_eq!(sqrt(square), root);
            assert_eq!(sqrt(square.wrapping_sub(U256::ONE)), root.wrapping_sub(U256::ONE));
            assert_eq!(sqrt_up(square.wrapping_add(U256::ONE)), root.wrapping_add(U256::ONE));
        }
    }
}
