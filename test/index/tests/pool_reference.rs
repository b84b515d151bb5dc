//! Conformance of the pool with the spec's public reference values (PowerIndex test suite:
//! pool 100e18 / 200e18, weights 1e9 / 1e9, swap fee 1%, supply 100e18), through the pool's
//! own functions: the spot price, `swapExactAmountIn` (outGivenIn) and
//! `joinswapExternAmountIn` (poolOutGivenSingleIn).
//!
//! Tolerances: our results are on the pool's side of the exact value and within the
//! documented error (a few wei of rounding for the spot price and outGivenIn, whose weight
//! ratio is 1 so no power is taken; `pow_down`'s margin, 2 · 1e-14 relative plus 4 wei of
//! WAD, for poolOutGivenSingleIn). Against the anchor: its half-up rounding and
//! `bpowApprox`, whose series stops at 1e-10, leave its values up to ~1e-10 relative from the
//! exact ones (see `contracts/math/tests/reference/weighted_vectors.rs`), so the anchor is
//! matched within 1e10 wei of shares.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    missing_docs
)]

mod pool_support;

use alloy_primitives::{uint, Address, U256};
use index_pool::MIN_WEIGHT;
use motsu::prelude::*;
use num_bigint::BigUint;
use pool_support::{big, e18, Fixture, T0};

const FEE_1PCT: U256 = uint!(10_000_000_000_000_000_U256);

fn setup_reference() -> Fixture {
    Fixture::new(&[e18(100), e18(200)], &[MIN_WEIGHT, MIN_WEIGHT], FEE_1PCT, T0 + 1)
}

#[motsu::test]
fn spot_prices_match_the_reference_rounded_up() {
    let f = setup_reference();
    let p = f.pool.sender(f.ctrl);
    // Exact 0.5 / 0.99 = 0.50505..0505(05): the anchor's 505050505050505051 is also ours.
    assert_eq!(
        p.spot_price_at(T0, f.token(0), f.token(1)).unwrap(),
        uint!(505_050_505_050_505_051_U256)
    );
    // Exact 2 / 0.99 = 2.0202..0202(02): rounded up to ...203, one wei above the anchor's
    // half-up ...202, on the pool's side.
    assert_eq!(
        p.spot_price_at(T0, f.token(1), f.token(0)).unwrap(),
        uint!(2_020_202_020_202_020_203_U256)
    );
}

#[motsu::test]
fn spot_prices_without_fee_are_exact() {
    // The pool's smallest fee is 1e-6 (MIN_FEE); the math library at fee 0 gives the spec's
    // exact 5e17 and 2e18.
    let f = setup_reference();
    let price = |a, b| {
        weighted_math::WeightedMath::calc_spot_price(a, MIN_WEIGHT, b, MIN_WEIGHT, U256::ZERO)
            .unwrap()
    };
    assert_eq!(price(f.recorded(0), f.recorded(1)), uint!(500_000_000_000_000_000_U256));
    assert_eq!(price(f.recorded(1), f.recorded(0)), uint!(2_000_000_000_000_000_000_U256));
}

#[motsu::test]
fn swap_exact_amount_in_matches_the_reference_out_given_in(alice: Address) {
    let f = setup_reference();
    f.fund(alice, e18(1));
    let amount_in = uint!(95_000_000_000_000_000_U256);
    let (out, _) = f
        .pool
        .sender(alice)
        .swap_exact_amount_in_at(T0, f.token(0), amount_in, f.token(1), U256::ZERO, U256::MAX)
        .motsu_unwrap();
    // Exact: Bo · adj / (Bi + adj), adj = in · 0.99 (weight ratio 1) = 187923258175685767.3.
    let adjusted = big(amount_in) * 99u32 / 100u32;
    let exact = big(e18(200)) * &adjusted / (big(e18(100)) + &adjusted);
    assert_eq!(exact, "187923258175685767".parse::<BigUint>().unwrap());
    // Ours rounds the base up (< 1 wei of WAD, < Bo / 1e18 = 200 wei of output) and the
    // result down: at most 201 wei below the exact value, never above.
    assert!(big(out) <= exact);
    assert!(&exact - big(out) <= BigUint::from(201u32));
    assert_eq!(out, uint!(187_923_258_175_685_600_U256));
    // The anchor (187923258175685800) is within its own rounding of the exact value.
    assert!(uint!(187_923_258_175_685_800_U256) - out <= U256::from(201 + 33));
    assert_eq!(f.balance(1, alice), e18(1) + out);
}

fn check_pool_out_given_single_in(token: usize, anchor: U256, pinned: U256, alice: Address) {
    let f = setup_reference();
    f.fund(alice, e18(1));
    let minted = f
        .pool
        .sender(alice)
        .joinswap_extern_amount_in_at(T0, f.token(token), e18(1), U256::ZERO)
        .motsu_unwrap();
    assert_eq!(f.shares(alice), minted);
    // Exact: S · (√((B + 1e18 · (1 - 0.5 · 0.01)) / B) - 1), floored.
    let s = big(e18(100));
    let balance = big(f.recorded(token) - e18(1));
    let after_fee = big(e18(1)) * 995u32 / 1000u32;
    let exact = (&s * &s * (&balance + after_fee) / &balance).sqrt() - &s;
    // pow_down's margin: 2 · 1e-14 · ratio (< 2) + 4 wei of WAD, times S / 1e18, plus one
    // wei of final rounding.
    let tolerance = BigUint::from(40_004u32) * 100u32 + 1u32;
    assert!(big(minted) <= exact, "minted {minted} above the exact value");
    assert!(&exact - big(minted) <= tolerance, "minted {minted} too far below the exact value");
    assert!(
        minted.abs_diff(anchor) <= U256::from(10_000_000_000u64),
        "minted {minted} vs anchor {anchor}"
    );
    assert_eq!(minted, pinned);
}

#[motsu::test]
fn joinswap_matches_the_reference_pool_out_given_single_in_for_balance_100(alice: Address) {
    check_pool_out_given_single_in(
        0,
        uint!(496_268_587_447_548_500_U256),
        uint!(496_268_587_444_568_700_U256),
        alice,
    );
}

#[motsu::test]
fn joinswap_matches_the_reference_pool_out_given_single_in_for_balance_200(alice: Address) {
    check_pool_out_given_single_in(
        1,
        uint!(248_441_384_384_303_000_U256),
        uint!(248_441_384_391_602_700_U256),
        alice,
    );
}

/// The worked example of `contracts/index-pool/README.md`: the reference pool at weights
/// 12.5e18 / 12.5e18 gives the same numbers (the formulas depend only on weight ratios).
#[motsu::test]
fn readme_worked_example_at_equal_weights_of_12_5e18(alice: Address) {
    let w = uint!(12_500_000_000_000_000_000_U256);
    let f = Fixture::new(&[e18(100), e18(200)], &[w, w], FEE_1PCT, T0 + 600);
    let now = T0 + 600;
    f.fund(alice, e18(10));
    let p = f.pool.sender(alice);
    assert_eq!(
        p.spot_price_at(now, f.token(0), f.token(1)).unwrap(),
        uint!(505_050_505_050_505_051_U256)
    );
    assert_eq!(
        p.spot_price_at(now, f.token(1), f.token(0)).unwrap(),
        uint!(2_020_202_020_202_020_203_U256)
    );
    drop(p);
    let amount_in = uint!(95_000_000_000_000_000_U256);
    let (out, _) = f
        .pool
        .sender(alice)
        .swap_exact_amount_in_at(now, f.token(0), amount_in, f.token(1), U256::ZERO, U256::MAX)
        .motsu_unwrap();
    assert_eq!(out, uint!(187_923_258_175_685_600_U256));
    let g = Fixture::new(&[e18(100), e18(200)], &[w, w], FEE_1PCT, T0 + 600);
    g.fund(alice, e18(10));
    let minted = g
        .pool
        .sender(alice)
        .joinswap_extern_amount_in_at(now, g.token(0), e18(1), U256::ZERO)
        .motsu_unwrap();
    assert_eq!(minted, uint!(496_268_587_444_568_700_U256));
    let h = Fixture::new(&[e18(100), e18(200)], &[w, w], FEE_1PCT, T0 + 600);
    h.fund(alice, e18(10));
    h.pool.sender(alice).join_pool(e18(1), &[U256::MAX, U256::MAX]).motsu_unwrap();
    assert_eq!((h.balance(0, alice), h.balance(1, alice)), (e18(9), e18(8)));
    h.pool.sender(alice).exit_pool(e18(1), &[U256::ZERO, U256::ZERO]).motsu_unwrap();
    assert_eq!((h.balance(0, alice), h.balance(1, alice)), (e18(10), e18(10)));
}
