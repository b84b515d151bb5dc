//! Token amounts <-> Q64.96 sqrt price moves at a given liquidity (Uniswap v3
//! `SqrtPriceMath`), an exact port.
//!
//! ```text
//! amount0 = L · (1/√Pa - 1/√Pb) = L · 2^96 · (√Pb - √Pa) / (√Pb · √Pa)
//! amount1 = L · (√Pb - √Pa) / 2^96
//! ```
//!
//! Solidity's `uint160` sqrt-price parameters become `U256` here: sqrt prices wider than 160
//! bits are refused with [`MathError::SqrtPriceOutOfBounds`] by the next-price functions, and
//! results that do not fit in 160 bits are [`MathError::PriceOverflow`], as `toUint160`
//! reverts in the original.

use alloy_primitives::{uint, I256, U256};

use crate::{
    full_math::{div_up, mul_div_down, mul_div_up},
    signed_wad::to_i256,
    MathError,
};

/// Fractional bits of a Q64.96 number.
pub const RESOLUTION: usize = 96;
/// `2^96`, one in Q64.96.
pub const Q96: U256 = uint!(0x1000000000000000000000000_U256);
/// Largest `uint160`: the widest sqrt price Uniswap can represent.
pub const MAX_U160: U256 = uint!(0xffffffffffffffffffffffffffffffffffffffff_U256);

/// The sqrt price after adding (`add`) or removing `amount` of token0, rounded up.
///
/// Rounding up moves the price less when token0 comes in (price falls) and at least far
/// enough when token0 goes out (price rises), so the pool never gives out too much.
///
/// ```text
/// √Q = ⌈L·2^96 · √P / (L·2^96 ± amount·√P)⌉             when amount·√P fits in 256 bits
/// √Q = ⌈L·2^96 / (⌊L·2^96 / √P⌋ + amount)⌉              adding, otherwise
/// ```
fn get_next_sqrt_price_from_amount0_rounding_up(
    sqrt_p: U256,
    liquidity: u128,
    amount: U256,
    add: bool,
) -> Result<U256, MathError> {
    // Short-circuit: the formula is not guaranteed to return √P exactly for a zero amount.
    if amount.is_zero() {
        return Ok(sqrt_p);
    }
    // liquidity < 2^128, so the shift keeps every bit.
    let numerator1 = U256::from(liquidity).wrapping_shl(RESOLUTION);
    let product = amount.checked_mul(sqrt_p);

    if add {
        if let Some(denominator) = product.and_then(|p| numerator1.checked_add(p)) {
            // Always <= √P, so it fits in 160 bits.
            return mul_div_up(numerator1, sqrt_p, denominator);
        }
        let quotient = numerator1.checked_div(sqrt_p).ok_or(MathError::DivisionByZero)?;
        let denominator = quotient.checked_add(amount).ok_or(MathError::Overflow)?;
        div_up(numerator1, denominator)
    } else {
        // If the product overflows, the denominator would underflow too.
        let denominator = product
            .and_then(|p| numerator1.checked_sub(p))
            .filter(|d| !d.is_zero())
            .ok_or(MathError::InsufficientLiquidity)?;
        let next = mul_div_up(numerator1, sqrt_p, denominator);
        to_u160(next.map_err(|_| MathError::PriceOverflow)?)
    }
}

/// The sqrt price after adding (`add`) or removing `amount` of token1, rounded down.
///
/// Rounding down moves the price less when token1 comes in (price rises) and at least far
/// enough when token1 goes out (price falls).
///
/// ```text
/// √Q = √P + ⌊amount · 2^96 / L⌋        adding
/// √Q = √P - ⌈amount · 2^96 / L⌉        removing
/// ```
fn get_next_sqrt_price_from_amount1_rounding_down(
    sqrt_p: U256,
    liquidity: u128,
    amount: U256,
    add: bool,
) -> Result<U256, MathError> {
    let liquidity = U256::from(liquidity);
    if add {
        // A quotient beyond 256 bits could never give a 160-bit price.
        let quotient =
            mul_div_down(amount, Q96, liquidity).map_err(|_| MathError::PriceOverflow)?;
        to_u160(sqrt_p.checked_add(quotient).ok_or(MathError::PriceOverflow)?)
    } else {
        // A quotient beyond 256 bits is certainly above √P.
        let quotient =
            mul_div_up(amount, Q96, liquidity).map_err(|_| MathError::InsufficientLiquidity)?;
        if sqrt_p <= quotient {
            return Err(MathError::InsufficientLiquidity);
        }
        // sqrt_p > quotient was just checked; the result is below √P, so it fits 160 bits.
        Ok(sqrt_p.wrapping_sub(quotient))
    }
}

/// The sqrt price after swapping `amount_in` of token0 (`zero_for_one`) or token1 in.
///
/// Rounds so that the price never passes the target: up for token0 in, down for token1 in.
///
/// # Errors
///
/// [`MathError::SqrtPriceOutOfBounds`] if `sqrt_p` is zero or wider than 160 bits;
/// [`MathError::LiquidityZero`] if `liquidity == 0`; [`MathError::PriceOverflow`] if the next
/// price does not fit in 160 bits; [`MathError::Overflow`] on an intermediate overflow.
pub fn get_next_sqrt_price_from_input(
    sqrt_p: U256,
    liquidity: u128,
    amount_in: U256,
    zero_for_one: bool,
) -> Result<U256, MathError> {
    check_price_and_liquidity(sqrt_p, liquidity)?;
    if zero_for_one {
        get_next_sqrt_price_from_amount0_rounding_up(sqrt_p, liquidity, amount_in, true)
    } else {
        get_next_sqrt_price_from_amount1_rounding_down(sqrt_p, liquidity, amount_in, true)
    }
}

/// The sqrt price after swapping `amount_out` of token1 (`zero_for_one`) or token0 out.
///
/// Rounds so that the price passes the target: down for token1 out, up for token0 out.
///
/// # Errors
///
/// [`MathError::SqrtPriceOutOfBounds`] if `sqrt_p` is zero or wider than 160 bits;
/// [`MathError::LiquidityZero`] if `liquidity == 0`; [`MathError::InsufficientLiquidity`] if
/// `amount_out` reaches the virtual reserves; [`MathError::PriceOverflow`] if the next price
/// does not fit in 160 bits.
pub fn get_next_sqrt_price_from_output(
    sqrt_p: U256,
    liquidity: u128,
    amount_out: U256,
    zero_for_one: bool,
) -> Result<U256, MathError> {
    check_price_and_liquidity(sqrt_p, liquidity)?;
    if zero_for_one {
        get_next_sqrt_price_from_amount1_rounding_down(sqrt_p, liquidity, amount_out, false)
    } else {
        get_next_sqrt_price_from_amount0_rounding_up(sqrt_p, liquidity, amount_out, false)
    }
}

/// Token0 between two sqrt prices (in either order) for `liquidity`.
///
/// ```text
/// amount0 = L · 2^96 · (√Pb - √Pa) / √Pb / √Pa        √Pa <= √Pb; each division rounded as asked
/// ```
///
/// # Errors
///
/// [`MathError::SqrtPriceOutOfBounds`] if the smaller price is zero.
pub fn get_amount0_delta(
    sqrt_ratio_a: U256,
    sqrt_ratio_b: U256,
    liquidity: u128,
    round_up: bool,
) -> Result<U256, MathError> {
    let (lower, upper) = sorted(sqrt_ratio_a, sqrt_ratio_b);
    if lower.is_zero() {
        return Err(MathError::SqrtPriceOutOfBounds);
    }
    let numerator1 = U256::from(liquidity).wrapping_shl(RESOLUTION);
    // upper >= lower after sorting.
    let numerator2 = upper.wrapping_sub(lower);
    if round_up {
        div_up(mul_div_up(numerator1, numerator2, upper)?, lower)
    } else {
        mul_div_down(numerator1, numerator2, upper)?
            .checked_div(lower)
            .ok_or(MathError::DivisionByZero)
    }
}

/// Token1 between two sqrt prices (in either order) for `liquidity`.
///
/// ```text
/// amount1 = L · (√Pb - √Pa) / 2^96        rounded as asked
/// ```
///
/// # Errors
///
/// [`MathError::Overflow`] only for prices wider than 160 bits.
pub fn get_amount1_delta(
    sqrt_ratio_a: U256,
    sqrt_ratio_b: U256,
    liquidity: u128,
    round_up: bool,
) -> Result<U256, MathError> {
    let (lower, upper) = sorted(sqrt_ratio_a, sqrt_ratio_b);
    let difference = upper.wrapping_sub(lower);
    if round_up {
        mul_div_up(U256::from(liquidity), difference, Q96)
    } else {
        mul_div_down(U256::from(liquidity), difference, Q96)
    }
}

/// Signed token0 delta for a liquidity change: rounded up (owed to the pool) when liquidity
/// is added, rounded down and negated (paid by the pool) when removed.
///
/// # Errors
///
/// As [`get_amount0_delta`]; [`MathError::Overflow`] if the amount is `>= 2^255`.
pub fn get_amount0_delta_signed(
    sqrt_ratio_a: U256,
    sqrt_ratio_b: U256,
    liquidity: i128,
) -> Result<I256, MathError> {
    let amount =
        get_amount0_delta(sqrt_ratio_a, sqrt_ratio_b, liquidity.unsigned_abs(), liquidity >= 0)?;
    signed(amount, liquidity < 0)
}

/// Signed token1 delta for a liquidity change: rounded up (owed to the pool) when liquidity
/// is added, rounded down and negated (paid by the pool) when removed.
///
/// # Errors
///
/// As [`get_amount1_delta`]; [`MathError::Overflow`] if the amount is `>= 2^255`.
pub fn get_amount1_delta_signed(
    sqrt_ratio_a: U256,
    sqrt_ratio_b: U256,
    liquidity: i128,
) -> Result<I256, MathError> {
    let amount =
        get_amount1_delta(sqrt_ratio_a, sqrt_ratio_b, liquidity.unsigned_abs(), liquidity >= 0)?;
    signed(amount, liquidity < 0)
}

fn check_price_and_liquidity(sqrt_p: U256, liquidity: u128) -> Result<(), MathError> {
    if sqrt_p.is_zero() || sqrt_p > MAX_U160 {
        return Err(MathError::SqrtPriceOutOfBounds);
    }
    if liquidity == 0 {
        return Err(MathError::LiquidityZero);
    }
    Ok(())
}

fn to_u160(value: U256) -> Result<U256, MathError> {
    if value > MAX_U160 {
        Err(MathError::PriceOverflow)
    } else {
        Ok(value)
    }
}

fn sorted(a: U256, b: U256) -> (U256, U256) {
    if a > b {
        (b, a)
    } else {
        (a, b)
    }
}

/// `amount` as `I256`, negated when `negative` (`-toInt256(amount)` in Solidity).
fn signed(amount: U256, negative: bool) -> Result<I256, MathError> {
    let value = to_i256(amount)?;
    if negative {
        // value <= I256::MAX, so its negation is in range.
        Ok(value.wrapping_neg())
    } else {
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const E18: u128 = 1_000_000_000_000_000_000;

    fn u(s: &str) -> U256 {
        s.parse().unwrap_or_default()
    }

    /// `encodePriceSqrt(1, 1)`.
    const PRICE_1_1: U256 = Q96;
    /// `encodePriceSqrt(121, 100)`.
    fn price_121_100() -> U256 {
        u("87150978765690771352898345369")
    }

    #[test]
    fn amount_deltas_match_the_spec_vectors() {
        let (a, b) = (PRICE_1_1, price_121_100());
        assert_eq!(get_amount0_delta(a, b, E18, true), Ok(u("90909090909090910")));
        assert_eq!(get_amount0_delta(a, b, E18, false), Ok(u("90909090909090909")));
        assert_eq!(get_amount1_delta(a, b, E18, true), Ok(u("100000000000000000")));
        assert_eq!(get_amount1_delta(a, b, E18, false), Ok(u("99999999999999999")));
        // Order of the prices does not matter.
        assert_eq!(get_amount0_delta(b, a, E18, true), Ok(u("90909090909090910")));
        assert_eq!(get_amount1_delta(b, a, E18, false), Ok(u("99999999999999999")));
    }

    #[test]
    fn amount_deltas_are_zero_for_zero_liquidity_or_equal_prices() {
        let two = u("112045541949572279837463876454");
        assert_eq!(get_amount0_delta(PRICE_1_1, two, 0, true), Ok(U256::ZERO));
        assert_eq!(get_amount1_delta(PRICE_1_1, two, 0, true), Ok(U256::ZERO));
        assert_eq!(get_amount0_delta(PRICE_1_1, PRICE_1_1, E18, true), Ok(U256::ZERO));
        assert_eq!(get_amount1_delta(PRICE_1_1, PRICE_1_1, E18, true), Ok(U256::ZERO));
    }

    #[test]
    fn amount0_delta_rejects_a_zero_price() {
        assert_eq!(
            get_amount0_delta(U256::ZERO, Q96, 1, true),
            Err(MathError::SqrtPriceOutOfBounds)
        );
    }

    #[test]
    fn amount0_delta_works_for_prices_whose_product_overflows() {
        // encodePriceSqrt(2^90, 1) and encodePriceSqrt(2^96, 1).
        let a = Q96 << 45;
        let b = Q96 << 48;
        let up = get_amount0_delta(a, b, E18, true).unwrap_or_default();
        let down = get_amount0_delta(a, b, E18, false).unwrap_or_default();
        assert_eq!(up, down.wrapping_add(U256::ONE));
    }

    #[test]
    fn signed_deltas_round_toward_the_pool() {
        let (a, b) = (PRICE_1_1, price_121_100());
        let liquidity = i128::try_from(E18).unwrap_or_default();
        assert_eq!(
            get_amount0_delta_signed(a, b, liquidity),
            Ok(I256::try_from(90_909_090_909_090_910_i64).unwrap_or_default())
        );
        assert_eq!(
            get_amount0_delta_signed(a, b, -liquidity),
            Ok(I256::try_from(-90_909_090_909_090_909_i64).unwrap_or_default())
        );
        assert_eq!(
            get_amount1_delta_signed(a, b, liquidity),
            Ok(I256::try_from(100_000_000_000_000_000_i64).unwrap_or_default())
        );
        assert_eq!(
            get_amount1_delta_signed(a, b, -liquidity),
            Ok(I256::try_from(-99_999_999_999_999_999_i64).unwrap_or_default())
        );
        assert!(get_amount1_delta_signed(U256::ZERO, MAX_U160, i128::MIN).is_ok());
    }

    #[test]
    fn next_price_from_input_rejects_zero_price_and_liquidity() {
        let tenth = U256::from(E18 / 10);
        assert_eq!(
            get_next_sqrt_price_from_input(U256::ZERO, 0, tenth, false),
            Err(MathError::SqrtPriceOutOfBounds)
        );
        assert_eq!(
            get_next_sqrt_price_from_input(U256::ONE, 0, tenth, true),
            Err(MathError::LiquidityZero)
        );
        assert_eq!(
            get_next_sqrt_price_from_input(MAX_U160.wrapping_add(U256::ONE), 1, tenth, true),
            Err(MathError::SqrtPriceOutOfBounds)
        );
    }

    #[test]
    fn next_price_from_input_matches_uniswap_v3_core_vectors() {
        let tenth = U256::from(E18 / 10);
        // Fails if input amount overflows the price.
        assert_eq!(
            get_next_sqrt_price_from_input(MAX_U160, 1024, U256::from(1024_u64), false),
            Err(MathError::PriceOverflow)
        );
        // Any input amount cannot underflow the price.
        assert_eq!(
            get_next_sqrt_price_from_input(U256::ONE, 1, U256::ONE << 255, true),
            Ok(U256::ONE)
        );
        assert_eq!(
            get_next_sqrt_price_from_input(PRICE_1_1, E18 / 10, U256::ZERO, true),
            Ok(PRICE_1_1)
        );
        assert_eq!(
            get_next_sqrt_price_from_input(PRICE_1_1, E18 / 10, U256::ZERO, false),
            Ok(PRICE_1_1)
        );
        // Returns the minimum price for max inputs.
        let max_amount_no_overflow =
            U256::MAX.wrapping_sub((U256::from(u128::MAX) << 96) / MAX_U160);
        assert_eq!(
            get_next_sqrt_price_from_input(MAX_U160, u128::MAX, max_amount_no_overflow, true),
            Ok(U256::ONE)
        );
        assert_eq!(
            get_next_sqrt_price_from_input(PRICE_1_1, E18, tenth, false),
            Ok(u("87150978765690771352898345369"))
        );
        assert_eq!(
            get_next_sqrt_price_from_input(PRICE_1_1, E18, tenth, true),
            Ok(u("72025602285694852357767227579"))
        );
        assert_eq!(
            get_next_sqrt_price_from_input(PRICE_1_1, 10 * E18, U256::ONE << 100, true),
            Ok(u("624999999995069620"))
        );
        assert_eq!(
            get_next_sqrt_price_from_input(PRICE_1_1, 1, U256::MAX >> 1, true),
            Ok(U256::ONE)
        );
        // sqrtP * sqrtQ overflows.
        let sqrt_p = u("1025574284609383690408304870162715216695788925244");
        let liquidity = 50_015_962_439_936_049_619_261_659_728_067_971_248_u128;
        let sqrt_q = get_next_sqrt_price_from_input(sqrt_p, liquidity, U256::from(406_u64), true);
        assert_eq!(sqrt_q, Ok(u("1025574284609383582644711336373707553698163132913")));
        assert_eq!(
            get_amount0_delta(sqrt_q.unwrap_or_default(), sqrt_p, liquidity, true),
            Ok(U256::from(406_u64))
        );
    }

    #[test]
    fn next_price_from_output_matches_uniswap_v3_core_vectors() {
        let tenth = U256::from(E18 / 10);
        let price = u("20282409603651670423947251286016");
        assert_eq!(
            get_next_sqrt_price_from_output(U256::ZERO, 0, tenth, false),
            Err(MathError::SqrtPriceOutOfBounds)
        );
        assert_eq!(
            get_next_sqrt_price_from_output(U256::ONE, 0, tenth, true),
            Err(MathError::LiquidityZero)
        );
        for (amount_out, zero_for_one) in
            [(4_u64, false), (5, false), (262_145, true), (262_144, true)]
        {
            assert_eq!(
                get_next_sqrt_price_from_output(price, 1024, U256::from(amount_out), zero_for_one),
                Err(MathError::InsufficientLiquidity),
                "amount out {amount_out}"
            );
        }
        assert_eq!(
            get_next_sqrt_price_from_output(price, 1024, U256::from(262_143_u64), true),
            Ok(u("77371252455336267181195264"))
        );
        assert_eq!(
            get_next_sqrt_price_from_output(PRICE_1_1, E18 / 10, U256::ZERO, true),
            Ok(PRICE_1_1)
        );
        assert_eq!(
            get_next_sqrt_price_from_output(PRICE_1_1, E18 / 10, U256::ZERO, false),
            Ok(PRICE_1_1)
        );
        assert_eq!(
            get_next_sqrt_price_from_output(PRICE_1_1, E18, tenth, false),
            Ok(u("88031291682515930659493278152"))
        );
        assert_eq!(
            get_next_sqrt_price_from_output(PRICE_1_1, E18, tenth, true),
            Ok(u("71305346262837903834189555302"))
        );
        assert!(get_next_sqrt_price_from_output(PRICE_1_1, 1, U256::MAX, true).is_err());
        assert!(get_next_sqrt_price_from_output(PRICE_1_1, 1, U256::MAX, false).is_err());
    }
}
