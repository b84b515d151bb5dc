//! Shared test helpers: case count, conversions and an independent big-integer reference
//! for `ln`, `exp` and `pow` (80 decimal digits, far beyond the 18 of the code under test).

use std::sync::OnceLock;

use alloy_primitives::{I256, U256};
use num_bigint::{BigInt, Sign};
use num_traits::{One, Signed, Zero};
use proptest::prelude::*;

/// Proptest cases per property: `PROPTEST_CASES` or 1000 (CI requires at least 1000).
pub(crate) fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000)
}

pub(crate) fn big(x: U256) -> BigInt {
    BigInt::from_bytes_be(Sign::Plus, &x.to_be_bytes::<32>())
}

pub(crate) fn big_i(x: I256) -> BigInt {
    let magnitude = big(x.unsigned_abs());
    if x.is_negative() {
        -magnitude
    } else {
        magnitude
    }
}

/// `None` when negative or wider than 256 bits.
pub(crate) fn to_u256(x: &BigInt) -> Option<U256> {
    if x.is_negative() {
        return None;
    }
    let (_, bytes) = x.to_bytes_be();
    U256::try_from_be_slice(&bytes)
}

/// `None` when outside the `I256` range.
pub(crate) fn to_i256(x: &BigInt) -> Option<I256> {
    let magnitude = to_u256(&x.abs())?;
    let sign = if x.is_negative() {
        alloy_primitives::Sign::Negative
    } else {
        alloy_primitives::Sign::Positive
    };
    I256::checked_from_sign_and_abs(sign, magnitude)
}

pub(crate) fn u(s: &str) -> U256 {
    s.parse().expect("valid U256 literal")
}

pub(crate) fn pow10(n: u32) -> BigInt {
    BigInt::from(10u8).pow(n)
}

/// floor(a / b) for b > 0 (num-bigint's `/` truncates toward zero).
pub(crate) fn floor_div(a: &BigInt, b: &BigInt) -> BigInt {
    let (q, r) = (a / b, a % b);
    if r.is_negative() {
        q - 1
    } else {
        q
    }
}

/// ceil(a / b) for b > 0.
pub(crate) fn ceil_div(a: &BigInt, b: &BigInt) -> BigInt {
    -floor_div(&-a, b)
}

pub(crate) fn wad() -> BigInt {
    pow10(18)
}

// ---------------------------------------------------------------------------------------------
// Strategies.

/// A `U256` spread over all magnitudes: random bit length, then random bits below it.
pub(crate) fn any_u256() -> impl Strategy<Value = U256> {
    (0usize..=256, any::<[u64; 4]>()).prop_map(|(bits, limbs)| {
        let value = U256::from_limbs(limbs);
        if bits == 256 {
            value
        } else {
            value & ((U256::ONE << bits) - U256::ONE)
        }
    })
}

/// A `U256` in `[lo, hi]` with a roughly log-uniform distribution.
pub(crate) fn log_uniform(lo: U256, hi: U256) -> impl Strategy<Value = U256> {
    (any_u256(), any::<bool>()).prop_map(move |(raw, small)| {
        let span = hi - lo;
        let raw = if small { raw >> (raw.as_limbs()[0] % 256) as usize } else { raw };
        if span == U256::MAX {
            raw
        } else {
            lo + raw % (span + U256::ONE)
        }
    })
}

// ---------------------------------------------------------------------------------------------
// High-precision reference for ln / exp / pow: fixed point with 80 decimals.

const DIGITS: u32 = 80;

fn one() -> BigInt {
    pow10(DIGITS)
}

/// `2 · atanh(z)` for fixed-point `|z| <= 1/3`.
fn two_atanh(z: &BigInt) -> BigInt {
    let one = one();
    let z_squared = z * z / &one;
    let mut term = z.clone();
    let mut sum = BigInt::zero();
    let mut n = 1u32;
    while !term.is_zero() {
        sum += &term / n;
        term = &term * &z_squared / &one;
        n += 2;
    }
    sum * 2
}

fn ln2() -> &'static BigInt {
    static LN2: OnceLock<BigInt> = OnceLock::new();
    LN2.get_or_init(|| two_atanh(&(one() / 3)))
}

/// `ln(m)` in fixed point, for an integer `m >= 1`.
fn ln_integer(m: &BigInt) -> BigInt {
    let one = one();
    let k = m.bits() - 1;
    // f = m / 2^k in [1, 2).
    let f = (m * &one) >> k;
    let z = (&f - &one) * &one / (&f + &one);
    ln2() * BigInt::from(k) + two_atanh(&z)
}

/// `ln(num / den)` in fixed point.
pub(crate) fn ln_ref(num: &BigInt, den: &BigInt) -> BigInt {
    ln_integer(num) - ln_integer(den)
}

/// `e^t` in fixed point, for a fixed-point `t`.
pub(crate) fn exp_ref(t: &BigInt) -> BigInt {
    let one = one();
    let ln2 = ln2();
    // t = k · ln2 + r with |r| <= ln2 / 2.
    let k = floor_div(&(t * 2 + ln2), &(ln2 * 2));
    let r = t - &k * ln2;
    let mut term = one.clone();
    let mut sum = BigInt::zero();
    let mut n = 1u32;
    while !term.is_zero() {
        sum += &term;
        term = &term * &r / &one / n;
        n += 1;
    }
    if k.is_negative() {
        let shift: u64 = (-k).try_into().expect("small exponent");
        sum >> shift
    } else {
        let shift: u64 = k.try_into().expect("small exponent");
        sum << shift
    }
}

/// The exact `x^y` (both WAD) in wei, as `value / 10^80`.
pub(crate) fn pow_ref_scaled(x: U256, y: U256) -> BigInt {
    let ln_x = ln_ref(&big(x), &wad());
    let exponent = ln_x * big(y) / wad();
    exp_ref(&exponent) * wad()
}

/// Integers `(lo, hi)` with `lo <= x^y <= hi` (in wei) and `hi - lo <= 1` unless the value
/// is within 1e-60 of an integer.
pub(crate) fn pow_bounds(x: U256, y: U256) -> (BigInt, BigInt) {
    let scaled = pow_ref_scaled(x, y);
    let margin = &scaled / pow10(60) + 10;
    let lo = floor_div(&(&scaled - &margin), &one());
    let hi = ceil_div(&(&scaled + &margin), &one());
    (lo.max(BigInt::zero()), hi)
}

/// `ln(a)` for a WAD `a`, in WAD, as `value / 10^80`.
pub(crate) fn ln_wad_scaled(a: U256) -> BigInt {
    ln_ref(&big(a), &wad()) * wad()
}

/// `e^x` for a WAD `x`, in WAD, as `value / 10^80`.
pub(crate) fn exp_wad_scaled(x: I256) -> BigInt {
    exp_ref(&(big_i(x) * one() / wad())) * wad()
}

pub(crate) fn reference_one() -> BigInt {
    one()
}

#[test]
fn reference_ln_and_exp_agree_with_known_constants() {
    // ln 2 = 0.693147180559945309417232121458176568075500134360255254120680009493393621969...
    let ln2_digits = "69314718055994530941723212145817656807550013436025525412068000949339362196";
    let expected: BigInt = ln2_digits.parse().expect("digits");
    assert_eq!(ln2() / pow10(DIGITS - 74), expected);
    // e = 2.71828182845904523536028747135266249775724709369995957496696762772407663035...
    let e = exp_ref(&one());
    let e_digits: BigInt =
        "271828182845904523536028747135266249775724709369995957496696762772407663035"
            .parse()
            .expect("digits");
    assert_eq!(e / pow10(DIGITS - 74), e_digits);
    assert!(BigInt::one() < one());
}
