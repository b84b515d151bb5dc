//! Uniswap v3 `SqrtPriceMath` and `SwapMath.computeSwapStep`, re-derived from the Solidity
//! source with arbitrary-precision integers (including v3's 256-bit overflow fallbacks), as an
//! independent expectation for swaps through the Infinity pool.

use alloy_primitives::{I256, U256};
use num_bigint::{BigInt, Sign};
use num_traits::{One, Signed, Zero};

pub fn big(x: U256) -> BigInt {
    BigInt::from_bytes_be(Sign::Plus, &x.to_be_bytes::<32>())
}

pub fn big_i(x: I256) -> BigInt {
    let m = big(x.unsigned_abs());
    if x.is_negative() {
        -m
    } else {
        m
    }
}

pub fn to_u256(x: &BigInt) -> U256 {
    assert!(!x.is_negative(), "negative {x}");
    let (_, bytes) = x.to_bytes_be();
    U256::try_from_be_slice(&bytes).expect("fits 256 bits")
}

fn q96() -> BigInt {
    BigInt::one() << 96
}

fn two256() -> BigInt {
    BigInt::one() << 256
}

fn ceil_div(a: &BigInt, b: &BigInt) -> BigInt {
    let (q, r) = (a / b, a % b);
    if r.is_zero() {
        q
    } else {
        q + 1
    }
}

/// Token0 between two sqrt prices (v3 `getAmount0Delta`).
pub fn amount0(a: &BigInt, b: &BigInt, l: &BigInt, up: bool) -> BigInt {
    let (a, b) = if a > b { (b, a) } else { (a, b) };
    let n1: BigInt = l << 96;
    let n2 = b - a;
    if up {
        ceil_div(&ceil_div(&(&n1 * &n2), b), a)
    } else {
        (&n1 * &n2) / b / a
    }
}

/// Token1 between two sqrt prices (v3 `getAmount1Delta`).
pub fn amount1(a: &BigInt, b: &BigInt, l: &BigInt, up: bool) -> BigInt {
    let (a, b) = if a > b { (b, a) } else { (a, b) };
    let n = l * (b - a);
    if up {
        ceil_div(&n, &q96())
    } else {
        n / q96()
    }
}

fn next_from_amount0_up(p: &BigInt, l: &BigInt, amount: &BigInt, add: bool) -> BigInt {
    if amount.is_zero() {
        return p.clone();
    }
    let n1: BigInt = l << 96;
    let product = amount * p;
    if add {
        if product < two256() && &n1 + &product < two256() {
            ceil_div(&(&n1 * p), &(&n1 + &product))
        } else {
            ceil_div(&n1, &(&n1 / p + amount))
        }
    } else {
        assert!(product < two256() && n1 > product, "output beyond the reserves");
        ceil_div(&(&n1 * p), &(&n1 - &product))
    }
}

fn next_from_amount1_down(p: &BigInt, l: &BigInt, amount: &BigInt, add: bool) -> BigInt {
    if add {
        p + (amount << 96) / l
    } else {
        let q = ceil_div(&(amount << 96), l);
        assert!(p > &q, "output beyond the reserves");
        p - q
    }
}

/// One v3 swap step: `(sqrt_next, amount_in, amount_out, fee_amount)`.
pub fn step(
    p: &BigInt,
    target: &BigInt,
    l: &BigInt,
    remaining: &BigInt,
    fee_pips: u32,
) -> (BigInt, BigInt, BigInt, BigInt) {
    let zfo = p >= target;
    let exact_in = !remaining.is_negative();
    let million = BigInt::from(1_000_000);
    let fee = BigInt::from(fee_pips);
    let mut amount_in = BigInt::zero();
    let mut amount_out = BigInt::zero();
    let next = if exact_in {
        let less_fee = remaining * (&million - &fee) / &million;
        amount_in = if zfo { amount0(target, p, l, true) } else { amount1(p, target, l, true) };
        if less_fee >= amount_in {
            target.clone()
        } else if zfo {
            next_from_amount0_up(p, l, &less_fee, true)
        } else {
            next_from_amount1_down(p, l, &less_fee, true)
        }
    } else {
        let want = -remaining;
        amount_out = if zfo { amount1(target, p, l, false) } else { amount0(p, target, l, false) };
        if want >= amount_out {
            target.clone()
        } else if zfo {
            next_from_amount1_down(p, l, &want, false)
        } else {
            next_from_amount0_up(p, l, &want, false)
        }
    };
    let max = &next == target;
    if zfo {
        if !(max && exact_in) {
            amount_in = amount0(&next, p, l, true);
        }
        if !(max && !exact_in) {
            amount_out = amount1(&next, p, l, false);
        }
    } else {
        if !(max && exact_in) {
            amount_in = amount1(p, &next, l, true);
        }
        if !(max && !exact_in) {
            amount_out = amount0(p, &next, l, false);
        }
    }
    if !exact_in && amount_out > -remaining {
        amount_out = -remaining;
    }
    let fee_amount = if exact_in && !max {
        remaining - &amount_in
    } else {
        ceil_div(&(&amount_in * &fee), &(&million - &fee))
    };
    (next, amount_in, amount_out, fee_amount)
}

/// A swap against a single v3 position of liquidity `l` whose range edge in the swap's
/// direction is `edge` (nothing trades beyond it): the pool deltas `(amount0, amount1)` and
/// the final sqrt price, for a limit `limit`.
pub fn single_range_swap(
    zero_for_one: bool,
    p: U256,
    edge: U256,
    limit: U256,
    l: u128,
    specified: I256,
    fee_pips: u32,
) -> (I256, I256, U256) {
    let target = if zero_for_one { edge.max(limit) } else { edge.min(limit) };
    let (next, amount_in, amount_out, fee) =
        step(&big(p), &big(target), &BigInt::from(l), &big_i(specified), fee_pips);
    let paid = amount_in + fee;
    // Past the edge there is no liquidity: the price runs on to the limit for free.
    let rem = big_i(specified);
    let exact_in = !rem.is_negative();
    let done = if exact_in { rem == paid } else { -&rem == amount_out };
    let final_price = if next == big(edge) && !done { limit } else { to_u256(&next) };
    let to_i = |x: BigInt| -> I256 { x.to_string().parse().unwrap() };
    let (a_in, a_out) = (to_i(paid), to_i(-amount_out));
    let (amount0, amount1) = if zero_for_one { (a_in, a_out) } else { (a_out, a_in) };
    (amount0, amount1, final_price)
}
