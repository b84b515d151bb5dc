//! One swap step inside a single liquidity range (Uniswap v3 `SwapMath`), an exact port.

use alloy_primitives::{uint, I256, U256};

use crate::{
    full_math::{mul_div_down, mul_div_up},
    sqrt_price_math::{
        get_amount0_delta, get_amount1_delta, get_next_sqrt_price_from_input,
        get_next_sqrt_price_from_output,
    },
    MathError,
};

/// Fees are in pips: hundredths of a basis point, out of `1_000_000`.
pub const FEE_DENOMINATOR_PIPS: u32 = 1_000_000;

const FEE_DENOMINATOR: U256 = uint!(1_000_000_U256);

/// Result of [`compute_swap_step`].
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct SwapStep {
    /// Sqrt price (Q64.96) after the step; never beyond the target.
    pub sqrt_next: U256,
    /// Input amount swapped (rounded up), fee excluded.
    pub amount_in: U256,
    /// Output amount received (rounded down).
    pub amount_out: U256,
    /// Fee taken from the input (rounded up).
    pub fee_amount: U256,
}

/// Swaps within one range from `sqrt_current` toward `sqrt_target` at constant `liquidity`.
///
/// The direction is token0 -> token1 when `sqrt_current >= sqrt_target`. A non-negative
/// `amount_remaining` is an exact-input amount (fee included), a negative one an exact-output
/// amount. The step stops at the target price or when the amount is used up.
///
/// ```text
/// exact in:   remaining_less_fee = ⌊remaining · (1e6 - fee) / 1e6⌋
/// amount_in   = Δ(current, next) rounded up;  amount_out = Δ(current, next) rounded down
/// fee_amount  = remaining - amount_in                  exact in, target not reached
///             = ⌈amount_in · fee / (1e6 - fee)⌉        otherwise
/// amount_out <= |remaining|                            exact out (capped)
/// ```
///
/// Guarantees: `amount_in + fee_amount <= amount_remaining` for exact input;
/// `amount_out <= -amount_remaining` for exact output.
///
/// # Errors
///
/// [`MathError::InvalidFee`] if `fee_pips >= 1_000_000`; the errors of
/// [`crate::sqrt_price_math`] (zero or over-wide prices, output beyond the reserves, next
/// price overflowing 160 bits).
pub fn compute_swap_step(
    sqrt_current: U256,
    sqrt_target: U256,
    liquidity: u128,
    amount_remaining: I256,
    fee_pips: u32,
) -> Result<SwapStep, MathError> {
    let fee_complement = FEE_DENOMINATOR_PIPS.checked_sub(fee_pips).filter(|c| *c != 0);
    let fee_complement = U256::from(fee_complement.ok_or(MathError::InvalidFee)?);
    let fee = U256::from(fee_pips);

    let zero_for_one = sqrt_current >= sqrt_target;
    let exact_in = !amount_remaining.is_negative();
    // |I256::MIN| = 2^255 is representable, as `uint256(-amountRemaining)` in Solidity.
    let remaining = amount_remaining.unsigned_abs();

    let mut amount_in = U256::ZERO;
    let mut amount_out = U256::ZERO;
    let sqrt_next = if exact_in {
        let remaining_less_fee = mul_div_down(remaining, fee_complement, FEE_DENOMINATOR)?;
        amount_in = if zero_for_one {
            get_amount0_delta(sqrt_target, sqrt_current, liquidity, true)?
        } else {
            get_amount1_delta(sqrt_current, sqrt_target, liquidity, true)?
        };
        if remaining_less_fee >= amount_in {
            sqrt_target
        } else {
            get_next_sqrt_price_from_input(
                sqrt_current,
                liquidity,
                remaining_less_fee,
                zero_for_one,
            )?
        }
    } else {
        amount_out = if zero_for_one {
            get_amount1_delta(sqrt_target, sqrt_current, liquidity, false)?
        } else {
            get_amount0_delta(sqrt_current, sqrt_target, liquidity, false)?
        };
        if remaining >= amount_out {
            sqrt_target
        } else {
            get_next_sqrt_price_from_output(sqrt_current, liquidity, remaining, zero_for_one)?
        }
    };

    // At the target, the amount computed above already is the answer for the specified side.
    let reached_target = sqrt_target == sqrt_next;
    if !reached_target || !exact_in {
        amount_in = if zero_for_one {
            get_amount0_delta(sqrt_next, sqrt_current, liquidity, true)?
        } else {
            get_amount1_delta(sqrt_current, sqrt_next, liquidity, true)?
        };
    }
    if !reached_target || exact_in {
        amount_out = if zero_for_one {
            get_amount1_delta(sqrt_next, sqrt_current, liquidity, false)?
        } else {
            get_amount0_delta(sqrt_current, sqrt_next, liquidity, false)?
        };
    }

    // Rounding up the next price can make the output exceed what was asked for.
    if !exact_in && amount_out > remaining {
        amount_out = remaining;
    }

    let fee_amount = if exact_in && !reached_target {
        // The whole remaining input is used: what the price move did not absorb is fee.
        remaining.checked_sub(amount_in).ok_or(MathError::Underflow)?
    } else {
        mul_div_up(amount_in, fee, fee_complement)?
    };

    Ok(SwapStep { sqrt_next, amount_in, amount_out, fee_amount })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sqrt_price_math::Q96;

    const E18: u128 = 1_000_000_000_000_000_000;

    fn u(s: &str) -> U256 {
        s.parse().unwrap_or_default()
    }

    fn i(s: &str) -> I256 {
        s.parse().unwrap_or_default()
    }

    fn step(current: U256, target: U256, liquidity: u128, remaining: I256, fee: u32) -> SwapStep {
        compute_swap_step(current, target, liquidity, remaining, fee).unwrap_or(SwapStep {
            sqrt_next: U256::MAX,
            amount_in: U256::MAX,
            amount_out: U256::MAX,
            fee_amount: U256::MAX,
        })
    }

    /// `encodePriceSqrt(101, 100)`.
    fn price_101_100() -> U256 {
        u("79623317895830914510639640423")
    }

    #[test]
    fn exact_in_capped_at_the_target_in_one_for_zero() {
        let s = step(Q96, price_101_100(), 2 * E18, i("1000000000000000000"), 600);
        assert_eq!(s.amount_in, u("9975124224178055"));
        assert_eq!(s.fee_amount, u("5988667735148"));
        assert_eq!(s.amount_out, u("9925619580021728"));
        assert_eq!(s.sqrt_next, price_101_100());
    }

    #[test]
    fn exact_out_capped_at_the_target_in_one_for_zero() {
        let s = step(Q96, price_101_100(), 2 * E18, i("-1000000000000000000"), 600);
        assert_eq!(s.amount_in, u("9975124224178055"));
        assert_eq!(s.fee_amount, u("5988667735148"));
        assert_eq!(s.amount_out, u("9925619580021728"));
        assert_eq!(s.sqrt_next, price_101_100());
    }

    #[test]
    fn exact_in_fully_spent_in_one_for_zero() {
        // encodePriceSqrt(1000, 100)
        let target = u("250541448375047931186413801569");
        let s = step(Q96, target, 2 * E18, i("1000000000000000000"), 600);
        assert_eq!(s.amount_in, u("999400000000000000"));
        assert_eq!(s.fee_amount, u("600000000000000"));
        assert_eq!(s.amount_out, u("666399946655997866"));
        assert!(s.sqrt_next < target);
        let after = get_next_sqrt_price_from_input(Q96, 2 * E18, u("999400000000000000"), false);
        assert_eq!(Ok(s.sqrt_next), after);
    }

    #[test]
    fn exact_out_fully_received_in_one_for_zero() {
        // encodePriceSqrt(10000, 100)
        let target = u("792281625142643375935439503360");
        let s = step(Q96, target, 2 * E18, i("-1000000000000000000"), 600);
        assert_eq!(s.amount_in, u("2000000000000000000"));
        assert_eq!(s.fee_amount, u("1200720432259356"));
        assert_eq!(s.amount_out, u("1000000000000000000"));
        assert!(s.sqrt_next < target);
    }

    #[test]
    fn amount_out_is_capped_at_the_desired_amount_out() {
        let s = step(
            u("417332158212080721273783715441582"),
            u("1452870262520218020823638996"),
            159_344_665_391_607_089_467_575_320_103,
            i("-1"),
            1,
        );
        assert_eq!(s.amount_in, U256::ONE);
        assert_eq!(s.fee_amount, U256::ONE);
        assert_eq!(s.amount_out, U256::ONE);
        assert_eq!(s.sqrt_next, u("417332158212080721273783715441581"));
    }

    #[test]
    fn target_price_of_one_uses_partial_input_amount() {
        let s = step(u("2"), u("1"), 1, i("3915081100057732413702495386755767"), 1);
        assert_eq!(s.amount_in, u("39614081257132168796771975168"));
        assert_eq!(s.fee_amount, u("39614120871253040049813"));
        assert_eq!(s.amount_out, U256::ZERO);
        assert_eq!(s.sqrt_next, U256::ONE);
    }

    #[test]
    fn entire_input_amount_taken_as_fee() {
        let s = step(
            u("2413"),
            u("79887613182836312"),
            1_985_041_575_832_132_834_610_021_537_970,
            i("10"),
            1872,
        );
        assert_eq!(s.amount_in, U256::ZERO);
        assert_eq!(s.fee_amount, u("10"));
        assert_eq!(s.amount_out, U256::ZERO);
        assert_eq!(s.sqrt_next, u("2413"));
    }

    #[test]
    fn intermediate_insufficient_liquidity_in_zero_for_one_exact_output() {
        let price = u("20282409603651670423947251286016");
        let target = price * U256::from(11_u64) / U256::from(10_u64);
        let s = step(price, target, 1024, i("-4"), 3000);
        assert_eq!(s.amount_out, U256::ZERO);
        assert_eq!(s.sqrt_next, target);
        assert_eq!(s.amount_in, U256::from(26215_u64));
        assert_eq!(s.fee_amount, U256::from(79_u64));
    }

    #[test]
    fn intermediate_insufficient_liquidity_in_one_for_zero_exact_output() {
        let price = u("20282409603651670423947251286016");
        let target = price * U256::from(9_u64) / U256::from(10_u64);
        let s = step(price, target, 1024, i("-263000"), 3000);
        assert_eq!(s.amount_out, U256::from(26214_u64));
        assert_eq!(s.sqrt_next, target);
        assert_eq!(s.amount_in, U256::ONE);
        assert_eq!(s.fee_amount, U256::ONE);
    }

    #[test]
    fn fee_of_one_million_pips_or_more_is_rejected() {
        for fee in [FEE_DENOMINATOR_PIPS, FEE_DENOMINATOR_PIPS + 1, u32::MAX] {
            assert_eq!(
                compute_swap_step(Q96, Q96 << 1, E18, i("1000"), fee),
                Err(MathError::InvalidFee)
            );
        }
    }

    #[test]
    fn zero_liquidity_moves_straight_to_the_target() {
        let s = step(Q96, Q96 << 1, 0, i("1000"), 3000);
        assert_eq!(
            s,
            SwapStep {
                sqrt_next: Q96 << 1,
                amount_in: U256::ZERO,
                amount_out: U256::ZERO,
                fee_amount: U256::ZERO
            }
        );
        let s = step(Q96, Q96 >> 1, 0, I256::MIN, 3000);
        assert_eq!(s.sqrt_next, Q96 >> 1);
    }
}
