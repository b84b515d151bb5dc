//! Weighted math: every result on the pool's side of the exact value (80-digit reference)
//! and within the documented error, and no round trip that returns more than was paid.

use alloy_primitives::U256;
use num_bigint::BigInt;
use num_traits::Signed;
use proptest::prelude::*;
use strata_math::{
    calc_exit_token_out, calc_in_given_out, calc_join_token_in, calc_out_given_in,
    calc_pool_in_given_single_out, calc_pool_out_given_single_in, calc_single_in_given_pool_out,
    calc_single_out_given_pool_in, calc_spot_price,
};

use crate::support::{big, cases, ceil_div, exp_ref, ln_ref, log_uniform, reference_one, u, wad};

// ---------------------------------------------------------------------------------------------
// Domain (spec index.md: weights in [1e9, 50e18], fee up to 0.1, MAX_IN_RATIO 1/2,
// MAX_OUT_RATIO 1/3).

fn balance() -> impl Strategy<Value = U256> {
    log_uniform(u("1000000"), u("1000000000000000000000000000000000"))
}

fn weight() -> impl Strategy<Value = U256> {
    prop_oneof![
        4 => log_uniform(u("100000000000000000"), u("50000000000000000000")),
        1 => Just(u("1000000000")),
    ]
}

fn fee() -> impl Strategy<Value = U256> {
    prop_oneof![1 => Just(U256::ZERO), 3 => log_uniform(u("1000000000000"), u("100000000000000000"))]
}

/// A fraction in WAD, `(0, max]`.
fn fraction(max: &'static str) -> impl Strategy<Value = U256> {
    log_uniform(U256::ONE, u(max))
}

fn part(total: U256, fraction: U256) -> U256 {
    total * fraction / U256::from(1_000_000_000_000_000_000_u64)
}

// ---------------------------------------------------------------------------------------------
// Exact values, as `value / 10^80`.

/// `(num / den)^(e_num / e_den)` scaled by 10^80.
fn power(num: &BigInt, den: &BigInt, e_num: &BigInt, e_den: &BigInt) -> BigInt {
    if num.sign() == num_bigint::Sign::NoSign {
        return BigInt::from(0);
    }
    exp_ref(&(ln_ref(num, den) * e_num / e_den))
}

/// Our result must be on the pool's side of the exact one (`pool_side_up`: ours >= exact)
/// and within `tolerance` (scaled by 10^80).
fn check(
    ours: U256,
    exact_scaled: &BigInt,
    tolerance: &BigInt,
    pool_side_up: bool,
) -> Result<(), TestCaseError> {
    let ours_scaled = big(ours) * reference_one();
    // The reference itself is exact to ~1e-70.
    let slack = exact_scaled.abs() / BigInt::from(10).pow(60) + 10;
    if pool_side_up {
        prop_assert!(
            ours_scaled >= exact_scaled - &slack,
            "{} below the exact {}e-80",
            ours,
            exact_scaled
        );
    } else {
        prop_assert!(
            ours_scaled <= exact_scaled + &slack,
            "{} above the exact {}e-80",
            ours,
            exact_scaled
        );
    }
    let diff = (ours_scaled - exact_scaled).abs();
    prop_assert!(
        &diff <= tolerance,
        "{} off the exact {}e-80 by {}e-80 (tolerance {})",
        ours,
        exact_scaled,
        diff,
        tolerance
    );
    Ok(())
}

/// The documented error budget, scaled by 10^80, for a result `multiplier · g(power)` where
/// the power is `base^(e_num / e_den)`:
/// - the pow bound: `2e-14 · power + 4e-18` (`pow_down` / `pow_up` are within
///   `x^y · 2e-14 + 4` wei of WAD, see `strata_math::pow`);
/// - the WAD rounding of the base (1e-18, base >= 1/2) amplified by the exponent, and of the
///   exponent itself: `(e + 1) · 3e-18 · power`;
/// - both divided by the fee factor (>= 0.9 for fees <= 0.1);
/// - `token_wei`: token-unit intermediates rounded to whole wei, times the result's
///   sensitivity to them, plus the final roundings.
fn tolerance(
    multiplier: U256,
    power_scaled: &BigInt,
    e_num: &BigInt,
    e_den: &BigInt,
    token_wei: &BigInt,
) -> BigInt {
    let relative_num = BigInt::from(20_000) * e_den + (e_num + e_den) * 3;
    let pow_part = big(multiplier) * power_scaled * relative_num * 10 / (e_den * wad() * 9);
    let absolute_part = big(multiplier) * reference_one() * 4 * 10 / (wad() * 9);
    pow_part + absolute_part + (token_wei + 4) * reference_one()
}

fn fee_factor(f: U256) -> BigInt {
    wad() - big(f)
}

/// `(1 - (1 - nw) · f)` as the fraction `(Wt·1e18 - (Wt - W)·f) / (Wt·1e18)`.
fn join_fee_factor(w: U256, wt: U256, f: U256) -> (BigInt, BigInt) {
    let den = big(wt) * wad();
    (&den - (big(wt) - big(w)) * big(f), den)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn fuzz_spot_price_is_rounded_up(bi in balance(), wi in weight(), bo in balance(), wo in weight(), f in fee()) {
        let ours = calc_spot_price(bi, wi, bo, wo, f).unwrap();
        let num = big(bi) * big(wo) * wad() * wad();
        let den = big(bo) * big(wi) * fee_factor(f);
        let exact_up = ceil_div(&num, &den);
        prop_assert!(big(ours) >= exact_up);
        // Two roundings up: at most 1 wei from the ratio (scaled by 1/(1-f)) and 1 wei.
        prop_assert!(big(ours) - exact_up <= BigInt::from(2));
    }

    #[test]
    fn fuzz_out_given_in_is_below_the_exact_value(
        bi in balance(), wi in weight(), bo in balance(), wo in weight(), x in fraction("500000000000000000"), f in fee()
    ) {
        let amount_in = part(bi, x);
        let Ok(ours) = calc_out_given_in(bi, wi, bo, wo, amount_in, f) else { return Ok(()) };
        let base_den = big(bi) * wad() + big(amount_in) * fee_factor(f);
        let p = power(&(big(bi) * wad()), &base_den, &big(wi), &big(wo));
        let exact = big(bo) * (reference_one() - &p);
        // Sensitivity to the 1-wei floor of the fee-adjusted input: Bo · (Wi / Wo) / Bi.
        let token_wei = big(bo) * big(wi) / (big(bi) * big(wo));
        check(ours, &exact, &tolerance(bo, &p, &big(wi), &big(wo), &token_wei), false)?;
    }

    #[test]
    fn fuzz_in_given_out_is_above_the_exact_value(
        bi in balance(), wi in weight(), bo in balance(), wo in weight(), x in fraction("333333333333333333"), f in fee()
    ) {
        let amount_out = part(bo, x);
        let Ok(ours) = calc_in_given_out(bi, wi, bo, wo, amount_out, f) else { return Ok(()) };
        let p = power(&big(bo), &(big(bo) - big(amount_out)), &big(wo), &big(wi));
        let exact = big(bi) * (&p - reference_one()) * wad() / fee_factor(f);
        check(ours, &exact, &tolerance(bi, &p, &big(wo), &big(wi), &BigInt::from(2)), true)?;
    }

    #[test]
    fn fuzz_pool_out_given_single_in_is_below_the_exact_value(
        bi in balance(), wi in weight(), w_rest in weight(), s in balance(), x in fraction("500000000000000000"), f in fee()
    ) {
        let wt = wi + w_rest;
        let amount_in = part(bi, x);
        let Ok(ours) = calc_pool_out_given_single_in(bi, wi, s, wt, amount_in, f) else { return Ok(()) };
        let (fee_num, fee_den) = join_fee_factor(wi, wt, f);
        let ratio_num = big(bi) * &fee_den + big(amount_in) * fee_num;
        let p = power(&ratio_num, &(big(bi) * fee_den), &big(wi), &big(wt));
        let exact = big(s) * (&p - reference_one());
        // Sensitivity to the 1-wei floor of the input after fee: S · nw / Bi.
        let token_wei = big(s) * big(wi) / (big(bi) * big(wt));
        check(ours, &exact, &tolerance(s, &p, &big(wi), &big(wt), &token_wei), false)?;
    }

    #[test]
    fn fuzz_single_in_given_pool_out_is_above_the_exact_value(
        bi in balance(), wi in weight(), w_rest in weight(), s in balance(), x in fraction("500000000000000000"), f in fee()
    ) {
        let wt = wi + w_rest;
        let pool_out = part(s, x);
        let Ok(ours) = calc_single_in_given_pool_out(bi, wi, s, wt, pool_out, f) else { return Ok(()) };
        let (fee_num, fee_den) = join_fee_factor(wi, wt, f);
        let p = power(&(big(s) + big(pool_out)), &big(s), &big(wt), &big(wi));
        let exact = big(bi) * (&p - reference_one()) * fee_den / fee_num;
        check(ours, &exact, &tolerance(bi, &p, &big(wt), &big(wi), &BigInt::from(2)), true)?;
    }

    #[test]
    fn fuzz_single_out_given_pool_in_is_below_the_exact_value(
        bo in balance(), wo in weight(), w_rest in weight(), s in balance(), x in fraction("500000000000000000"), f in fee()
    ) {
        let wt = wo + w_rest;
        let pool_in = part(s, x);
        let Ok(ours) = calc_single_out_given_pool_in(bo, wo, s, wt, pool_in, f) else { return Ok(()) };
        let (fee_num, fee_den) = join_fee_factor(wo, wt, f);
        let p = power(&(big(s) - big(pool_in)), &big(s), &big(wt), &big(wo));
        let exact = big(bo) * (reference_one() - &p) * fee_num / fee_den;
        check(ours, &exact, &tolerance(bo, &p, &big(wt), &big(wo), &BigInt::from(2)), false)?;
    }

    #[test]
    fn fuzz_pool_in_given_single_out_is_above_the_exact_value(
        bo in balance(), wo in weight(), w_rest in weight(), s in balance(), x in fraction("333333333333333333"), f in fee()
    ) {
        let wt = wo + w_rest;
        let amount_out = part(bo, x);
        let Ok(ours) = calc_pool_in_given_single_out(bo, wo, s, wt, amount_out, f) else { return Ok(()) };
        let (fee_num, fee_den) = join_fee_factor(wo, wt, f);
        // ((Bo - out / fee_factor) / Bo)^nw = ((Bo·fee_num - out·fee_den) / (Bo·fee_num))^nw
        let base_num = big(bo) * &fee_num - big(amount_out) * &fee_den;
        prop_assume!(base_num > BigInt::from(0));
        let p = power(&base_num, &(big(bo) * fee_num), &big(wo), &big(wt));
        let exact = big(s) * (reference_one() - &p);
        // Sensitivity to the 1-wei ceiling of the amount before fee: <= 2 · S · nw / Bo
        // (the new balance is at least ~0.6 · Bo).
        let token_wei = big(s) * big(wo) * 2 / (big(bo) * big(wt));
        check(ours, &exact, &tolerance(s, &p, &big(wo), &big(wt), &token_wei), true)?;
    }

    #[test]
    fn fuzz_swap_there_and_back_never_returns_more(
        bi in balance(), wi in weight(), bo in balance(), wo in weight(), x in fraction("500000000000000000"), f in fee()
    ) {
        let amount_in = part(bi, x);
        let Ok(out) = calc_out_given_in(bi, wi, bo, wo, amount_in, f) else { return Ok(()) };
        let Ok(back) = calc_out_given_in(bo - out, wo, bi + amount_in, wi, out, f) else { return Ok(()) };
        prop_assert!(back <= amount_in, "paid {} got back {}", amount_in, back);
    }

    #[test]
    fn fuzz_exact_out_then_sell_back_never_returns_more(
        bi in balance(), wi in weight(), bo in balance(), wo in weight(), x in fraction("333333333333333333"), f in fee()
    ) {
        let amount_out = part(bo, x);
        let Ok(paid) = calc_in_given_out(bi, wi, bo, wo, amount_out, f) else { return Ok(()) };
        let Some(new_bi) = bi.checked_add(paid) else { return Ok(()) };
        let Ok(back) = calc_out_given_in(bo - amount_out, wo, new_bi, wi, amount_out, f) else { return Ok(()) };
        prop_assert!(back <= paid, "paid {} got back {}", paid, back);
    }

    #[test]
    fn fuzz_single_join_then_single_exit_never_returns_more(
        bi in balance(), wi in weight(), w_rest in weight(), s in balance(), x in fraction("500000000000000000"), f in fee()
    ) {
        let wt = wi + w_rest;
        let amount_in = part(bi, x);
        let Ok(minted) = calc_pool_out_given_single_in(bi, wi, s, wt, amount_in, f) else { return Ok(()) };
        let Ok(back) = calc_single_out_given_pool_in(bi + amount_in, wi, s + minted, wt, minted, f) else { return Ok(()) };
        prop_assert!(back <= amount_in, "paid {} got back {}", amount_in, back);
        // Withdrawing the same amount back burns at least what was minted.
        if let Ok(burnt) = calc_pool_in_given_single_out(bi + amount_in, wi, s + minted, wt, amount_in, f) {
            prop_assert!(burnt >= minted, "minted {} burnt {}", minted, burnt);
        }
    }

    #[test]
    fn fuzz_join_by_shares_then_exit_by_amount_burns_at_least_the_shares(
        bi in balance(), wi in weight(), w_rest in weight(), s in balance(), x in fraction("500000000000000000"), f in fee()
    ) {
        let wt = wi + w_rest;
        let minted = part(s, x);
        let Ok(paid) = calc_single_in_given_pool_out(bi, wi, s, wt, minted, f) else { return Ok(()) };
        let Some(new_bi) = bi.checked_add(paid) else { return Ok(()) };
        if let Ok(burnt) = calc_pool_in_given_single_out(new_bi, wi, s + minted, wt, paid, f) {
            prop_assert!(burnt >= minted, "minted {} burnt {}", minted, burnt);
        }
        if let Ok(back) = calc_single_out_given_pool_in(new_bi, wi, s + minted, wt, minted, f) {
            prop_assert!(back <= paid, "paid {} got back {}", paid, back);
        }
    }

    #[test]
    fn fuzz_proportional_join_then_exit_never_returns_more(b in balance(), s in balance(), x in fraction("1000000000000000000")) {
        let shares = part(s, x);
        let paid = calc_join_token_in(b, s, shares).unwrap();
        let back = calc_exit_token_out(b + paid, s + shares, shares).unwrap();
        prop_assert!(back <= paid, "paid {} got back {}", paid, back);
    }
}
