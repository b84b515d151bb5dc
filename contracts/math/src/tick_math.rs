//! Ticks <-> Q64.96 sqrt prices (Uniswap v3 `TickMath`), an exact port.
//!
//! ```text
//! sqrt_ratio(tick) = √(1.0001^tick) · 2^96       MIN_TICK <= tick <= MAX_TICK
//! ```

use alloy_primitives::{uint, I256, U256};

use crate::MathError;

/// Smallest tick: `log_1.0001(2^-128)`, rounded toward zero.
pub const MIN_TICK: i32 = -887_272;
/// Largest tick: `log_1.0001(2^128)`, rounded toward zero.
pub const MAX_TICK: i32 = 887_272;
/// `get_sqrt_ratio_at_tick(MIN_TICK)`: the smallest sqrt price.
pub const MIN_SQRT_RATIO: U256 = uint!(4295128739_U256);
/// `get_sqrt_ratio_at_tick(MAX_TICK)`: the supremum of sqrt prices a pool can sit at.
pub const MAX_SQRT_RATIO: U256 = uint!(1461446703485210103287273052203988822378723970342_U256);

const Q128: U256 = uint!(0x100000000000000000000000000000000_U256);

/// `2^128 / √1.0001`: the Q128.128 factor of tick bit 0.
const ODD_TICK_FACTOR: U256 = uint!(0xfffcb933bd6fad37aa2d162d1a594001_U256);

/// `2^128 / √(1.0001^(2^k))` for k = 1..=19: the factor applied when bit k of |tick| is set.
const TICK_BIT_FACTORS: [U256; 19] = [
    uint!(0xfff97272373d413259a46990580e213a_U256),
    uint!(0xfff2e50f5f656932ef12357cf3c7fdcc_U256),
    uint!(0xffe5caca7e10e4e61c3624eaa0941cd0_U256),
    uint!(0xffcb9843d60f6159c9db58835c926644_U256),
    uint!(0xff973b41fa98c081472e6896dfb254c0_U256),
    uint!(0xff2ea16466c96a3843ec78b326b52861_U256),
    uint!(0xfe5dee046a99a2a811c461f1969c3053_U256),
    uint!(0xfcbe86c7900a88aedcffc83b479aa3a4_U256),
    uint!(0xf987a7253ac413176f2b074cf7815e54_U256),
    uint!(0xf3392b0822b70005940c7a398e4b70f3_U256),
    uint!(0xe7159475a2c29b7443b29c7fa6e889d9_U256),
    uint!(0xd097f3bdfd2022b8845ad8f792aa5825_U256),
    uint!(0xa9f746462d870fdf8a65dc1f90e061e5_U256),
    uint!(0x70d869a156d2a1b890bb3df62baf32f7_U256),
    uint!(0x31be135f97d08fd981231505542fcfa6_U256),
    uint!(0x9aa508b5b7a84e1c677de54f3e99bc9_U256),
    uint!(0x5d6af8dedb81196699c329225ee604_U256),
    uint!(0x2216e584f5fa1ea926041bedfe98_U256),
    uint!(0x48a170391f7dc42444e8fa2_U256),
];

/// `log_√1.0001(2) · 2^64`: turns a Q64.64 log2 into a Q128.128 log base √1.0001.
const LOG_SQRT_10001_FACTOR: I256 = I256::from_raw(uint!(255738958999603826347141_U256));
/// Error margins of the log2 approximation, in Q128.128, below and above the true tick.
const TICK_LOW_OFFSET: I256 = I256::from_raw(uint!(3402992956809132418596140100660247210_U256));
const TICK_HIGH_OFFSET: I256 = I256::from_raw(uint!(291339464771989622907027621153398088495_U256));

/// `√(1.0001^tick) · 2^96` as a Q64.96, rounded up (so that `get_tick_at_sqrt_ratio` of the
/// result gives back `tick`).
///
/// ```text
/// ratio = Π_{bit k set in |tick|} 2^128 / √(1.0001^(2^k))    Q128.128, each product >> 128
/// ratio = U256::MAX / ratio                                   if tick > 0
/// result = ⌈ratio / 2^32⌉                                      Q128.128 -> Q64.96, fits 160 bits
/// ```
///
/// # Errors
///
/// [`MathError::TickOutOfBounds`] if `|tick| > MAX_TICK`.
pub fn get_sqrt_ratio_at_tick(tick: i32) -> Result<U256, MathError> {
    let abs_tick = tick.unsigned_abs();
    if abs_tick > MAX_TICK.unsigned_abs() {
        return Err(MathError::TickOutOfBounds);
    }

    let mut ratio = if abs_tick & 1 == 0 { Q128 } else { ODD_TICK_FACTOR };
    let mut bits = abs_tick >> 1;
    for factor in TICK_BIT_FACTORS {
        if bits & 1 != 0 {
            // ratio <= 2^128 and factor < 2^128, so the product fits in 256 bits; the
            // shifted result is again <= 2^128.
            ratio = ratio.wrapping_mul(factor).wrapping_shr(128);
        }
        bits >>= 1;
    }

    if tick > 0 {
        // ratio >= 2^64 at |tick| = MAX_TICK, so it is never zero.
        ratio = U256::MAX.checked_div(ratio).ok_or(MathError::DivisionByZero)?;
    }

    // Round up so the result is never below the exact price of this tick.
    let rounded_up = u64::from(ratio.as_limbs().first().is_some_and(|low| low & 0xffff_ffff != 0));
    ratio.wrapping_shr(32).checked_add(U256::from(rounded_up)).ok_or(MathError::Overflow)
}

/// The greatest tick whose sqrt price is `<= sqrt_price_x96`.
///
/// ```text
/// log2(ratio) in Q64.64      integer part from the MSB, 14 fraction bits by repeated squaring
/// log_√1.0001 = log2 · 255738958999603826347141                        Q128.128
/// tick_low, tick_high = (log_√1.0001 ∓ error margin) >> 128           the answer is one of them
/// ```
///
/// # Errors
///
/// [`MathError::SqrtPriceOutOfBounds`] unless `MIN_SQRT_RATIO <= sqrt_price_x96 <
/// MAX_SQRT_RATIO` (the price can never reach the price of `MAX_TICK`).
pub fn get_tick_at_sqrt_ratio(sqrt_price_x96: U256) -> Result<i32, MathError> {
    if sqrt_price_x96 < MIN_SQRT_RATIO || sqrt_price_x96 >= MAX_SQRT_RATIO {
        return Err(MathError::SqrtPriceOutOfBounds);
    }
    // Q128.128; in [2^64, 2^192) for the accepted range.
    let ratio = sqrt_price_x96.wrapping_shl(32);

    // ratio >= 2^64, so bit_len >= 65 and msb is in [64, 191].
    let msb = ratio.bit_len().saturating_sub(1);
    // Normalise to [2^127, 2^128): 1.xxx in Q1.127.
    let mut r = if msb >= 128 {
        ratio.wrapping_shr(msb.saturating_sub(127))
    } else {
        ratio.wrapping_shl(127_usize.saturating_sub(msb))
    };

    // Fraction bits 63..50 of log2: square r; a result >= 2 sets the bit and halves r.
    let mut fraction: u64 = 0;
    for bit in (50..64_u32).rev() {
        // r < 2^128, so r² < 2^256.
        r = r.wrapping_mul(r).wrapping_shr(127);
        let overflowed = r.bit(128);
        if overflowed {
            fraction |= 1_u64 << bit;
            r = r.wrapping_shr(1);
        }
    }

    // log2 = (msb - 128) + fraction / 2^64, in Q64.64 (negative below a ratio of 1).
    let log_2 = I256::from_raw(U256::from(msb))
        .checked_sub(I256::from_raw(uint!(128_U256)))
        .and_then(|integer_part| integer_part.asl(64))
        .and_then(|v| v.checked_add(I256::from_raw(U256::from(fraction))))
        .ok_or(MathError::Overflow)?;

    let log_sqrt_10001 = log_2.checked_mul(LOG_SQRT_10001_FACTOR).ok_or(MathError::Overflow)?;
    let tick_low = to_tick(log_sqrt_10001.checked_sub(TICK_LOW_OFFSET))?;
    let tick_high = to_tick(log_sqrt_10001.checked_add(TICK_HIGH_OFFSET))?;

    if tick_low == tick_high || get_sqrt_ratio_at_tick(tick_high)? > sqrt_price_x96 {
        Ok(tick_low)
    } else {
        Ok(tick_high)
    }
}

/// `floor(value / 2^128)` as a tick.
fn to_tick(value: Option<I256>) -> Result<i32, MathError> {
    let value = value.ok_or(MathError::Overflow)?;
    i32::try_from(value.asr(128)).map_err(|_| MathError::Overflow)
}

/// Lowest and highest index of a bin of `bin_ticks` ticks (bin `i` covers ticks
/// `[i·bin_ticks, (i+1)·bin_ticks)`) whose whole tick range lies inside
/// `[MIN_TICK, MAX_TICK]`: the bin grid of an Infinity pool. `bin_ticks` is at least 1 (the
/// pool checks it at construction); for 0 the grid is empty.
#[must_use]
#[inline]
pub fn bin_bounds(bin_ticks: i32) -> (i32, i32) {
    // ceil(MIN_TICK / bt) = -(MAX_TICK / bt) because MIN_TICK = -MAX_TICK; no overflow for
    // bt >= 1, and no division by zero.
    let span = MAX_TICK.checked_div(bin_ticks).unwrap_or(0);
    (span.wrapping_neg(), span.wrapping_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> U256 {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn bin_bounds_keep_whole_bins_inside_the_tick_range() {
        assert_eq!(bin_bounds(1), (-887_272, 887_271));
        // 887272 = 60·14787 + 52: the outermost 52 ticks on each side form no whole bin.
        assert_eq!(bin_bounds(60), (-14_787, 14_786));
        assert_eq!(bin_bounds(16_384), (-54, 53));
        assert_eq!(bin_bounds(0), (0, -1), "no grid");
    }

    #[test]
    fn sqrt_ratio_at_tick_matches_the_spec_vectors() {
        assert_eq!(get_sqrt_ratio_at_tick(0), Ok(u("79228162514264337593543950336")));
        assert_eq!(get_sqrt_ratio_at_tick(50), Ok(u("79426470787362580746886972461")));
        assert_eq!(get_sqrt_ratio_at_tick(MIN_TICK), Ok(MIN_SQRT_RATIO));
        assert_eq!(get_sqrt_ratio_at_tick(MAX_TICK), Ok(MAX_SQRT_RATIO));
        assert_eq!(MIN_SQRT_RATIO, u("4295128739"));
        assert_eq!(MAX_SQRT_RATIO, u("1461446703485210103287273052203988822378723970342"));
    }

    #[test]
    fn sqrt_ratio_at_tick_matches_uniswap_v3_core_vectors() {
        // test/TickMath.spec.ts and its snapshot file.
        assert_eq!(get_sqrt_ratio_at_tick(MIN_TICK + 1), Ok(u("4295343490")));
        assert_eq!(
            get_sqrt_ratio_at_tick(MAX_TICK - 1),
            Ok(u("1461373636630004318706518188784493106690254656249"))
        );
        let snapshot = [
            (-50, "79030349367926598376800521322"),
            (-100, "78833030112140176575862854579"),
            (-250, "78244023372248365697264290337"),
            (-500, "77272108795590369356373805297"),
            (-1000, "75364347830767020784054125655"),
            (-2500, "69919044979842180277688105136"),
            (-3000, "68192822843687888778582228483"),
            (-4000, "64867181785621769311890333195"),
            (-5000, "61703726247759831737814779831"),
            (-50000, "6504256538020985011912221507"),
            (-150_000, "43836292794701720435367485"),
            (-250_000, "295440463448801648376846"),
            (-500_000, "1101692437043807371"),
            (-738_203, "7409801140451"),
            (50, "79426470787362580746886972461"),
            (100, "79625275426524748796330556128"),
            (250, "80224679980005306637834519095"),
            (500, "81233731461783161732293370115"),
            (1000, "83290069058676223003182343270"),
            (2500, "89776708723587163891445672585"),
            (3000, "92049301871182272007977902845"),
            (4000, "96768528593268422080558758223"),
            (5000, "101729702841318637793976746270"),
            (50000, "965075977353221155028623082916"),
            (150_000, "143194173941309278083010301478497"),
            (250_000, "21246587762933397357449903968194344"),
            (500_000, "5697689776495288729098254600827762987878"),
            (738_203, "847134979253254120489401328389043031315994541"),
        ];
        for (tick, expected) in snapshot {
            assert_eq!(get_sqrt_ratio_at_tick(tick), Ok(u(expected)), "tick {tick}");
        }
    }

    #[test]
    fn sqrt_ratio_at_tick_rejects_ticks_past_the_bounds() {
        assert_eq!(get_sqrt_ratio_at_tick(MIN_TICK - 1), Err(MathError::TickOutOfBounds));
        assert_eq!(get_sqrt_ratio_at_tick(MAX_TICK + 1), Err(MathError::TickOutOfBounds));
        assert_eq!(get_sqrt_ratio_at_tick(i32::MIN), Err(MathError::TickOutOfBounds));
        assert_eq!(get_sqrt_ratio_at_tick(i32::MAX), Err(MathError::TickOutOfBounds));
    }

    #[test]
    fn tick_at_sqrt_ratio_matches_the_spec_and_uniswap_v3_core_vectors() {
        assert_eq!(get_tick_at_sqrt_ratio(u("112045541949572279837463876454")), Ok(6931));
        let snapshot = [
            (MIN_SQRT_RATIO, MIN_TICK),
            (u("4295343490"), MIN_TICK + 1),
            (u("1461373636630004318706518188784493106690254656249"), MAX_TICK - 1),
            (MAX_SQRT_RATIO.wrapping_sub(U256::ONE), MAX_TICK - 1),
            (u("79228162514264337593543"), -276_325),
            (u("79228162514264337593543950"), -138_163),
            (u("9903520314283042199192993792"), -41591),
            (u("28011385487393069959365969113"), -20796),
            (u("56022770974786139918731938227"), -6932),
            (u("79228162514264337593543950336"), 0),
            (u("224091083899144559674927752909"), 20795),
            (u("633825300114114700748351602688"), 41590),
            (u("79228162514264337593543950336000"), 138_162),
            (u("79228162514264337593543950336000000"), 276_324),
        ];
        for (ratio, tick) in snapshot {
            assert_eq!(get_tick_at_sqrt_ratio(ratio), Ok(tick), "ratio {ratio}");
        }
    }

    #[test]
    fn tick_at_sqrt_ratio_rejects_prices_outside_the_range() {
        let below = MIN_SQRT_RATIO.wrapping_sub(U256::ONE);
        assert_eq!(get_tick_at_sqrt_ratio(below), Err(MathError::SqrtPriceOutOfBounds));
        assert_eq!(get_tick_at_sqrt_ratio(MAX_SQRT_RATIO), Err(MathError::SqrtPriceOutOfBounds));
        assert_eq!(get_tick_at_sqrt_ratio(U256::ZERO), Err(MathError::SqrtPriceOutOfBounds));
        assert_eq!(get_tick_at_sqrt_ratio(U256::MAX), Err(MathError::SqrtPriceOutOfBounds));
    }
}
