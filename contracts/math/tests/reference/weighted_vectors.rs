//! PowerIndex reference values for the weighted math (spec `index.md`, "Weighted math").
//!
//! Source: powerpool-finance/powerindex `test/PowerIndexPool.unit.test.js` (spot prices) and
//! `test/PowerIndexPool.test.js` ("restoring ratio after weight changing": pool 100e18 /
//! 200e18, both tokens at `MIN_WEIGHT` = 1e9 before their weight schedule starts, swap fee
//! 0.01e18, pool supply `INIT_POOL_SUPPLY` = 100e18, outGivenIn with 0.1e18 less the 5%
//! community fee = 0.095e18, poolOutGivenSingleIn with 1e18 and the 0.01e18 swap fee).
//!
//! The anchor rounds half-up and uses Balancer v1's `bpowApprox` (series cut at
//! `BPOW_PRECISION` = 1e-10), so its values are not the exact ones. Each value here is checked
//! twice: against the exact value (big-integer, independent of the crate), where ours must
//! be on the pool's side and within the documented error; and against the anchor, within the
//! anchor's own precision.

use alloy_primitives::U256;
use num_bigint::BigInt;
use strata_math::{
    calc_out_given_in, calc_pool_out_given_single_in, calc_spot_price, MAX_POW_RELATIVE_ERROR,
};

use crate::support::{big, u};

const E18: u64 = 1_000_000_000_000_000_000;

fn e18(v: u64) -> U256 {
    U256::from(v) * U256::from(E18)
}

const MIN_WEIGHT: u64 = 1_000_000_000;

fn fee() -> U256 {
    U256::from(E18 / 100)
}

#[test]
fn spot_price_with_fee_matches_powerindex_rounded_up() {
    let w = U256::from(MIN_WEIGHT);
    // Exact: 0.5 / 0.99 = 0.505050...50505 -> rounded up 505050505050505051 (anchor: same).
    let forward = calc_spot_price(e18(100), w, e18(200), w, fee()).unwrap();
    assert_eq!(forward, u("505050505050505051"));
    // Exact: 2 / 0.99 = 2.0202...0202 -> rounded up 2020202020202020203. The anchor's
    // half-up gives ...202; ours is one wei higher, in the pool's favour.
    let reverse = calc_spot_price(e18(200), w, e18(100), w, fee()).unwrap();
    assert_eq!(reverse, u("2020202020202020203"));
    assert_eq!(reverse - u("2020202020202020202"), U256::ONE);
}

#[test]
fn spot_price_without_fee_is_exact() {
    let w = U256::from(MIN_WEIGHT);
    assert_eq!(calc_spot_price(e18(100), w, e18(200), w, U256::ZERO), Ok(u("500000000000000000")));
    assert_eq!(calc_spot_price(e18(200), w, e18(100), w, U256::ZERO), Ok(u("2000000000000000000")));
}

#[test]
fn out_given_in_matches_powerindex_and_never_exceeds_the_exact_value() {
    let w = U256::from(MIN_WEIGHT);
    let amount_in = U256::from(95_000_000_000_000_000_u64);
    let out = calc_out_given_in(e18(100), w, e18(200), w, amount_in, fee()).unwrap();

    // Exact: Bo · adj / (Bi + adj) with adj = in · (1 - f) = 0.09405e18 (weight ratio 1).
    let adjusted = big(amount_in) * 99 / 100;
    let exact_num = big(e18(200)) * &adjusted;
    let exact_den = big(e18(100)) + &adjusted;
    let exact_floor = &exact_num / &exact_den; // 187923258175685767
    assert_eq!(exact_floor, "187923258175685767".parse::<BigInt>().unwrap());
    // Pool's side of the exact value. Tolerance: the base is rounded up by < 1 wei, which
    // costs < Bo / 1e18 = 200 wei of output, plus 1 wei for the final rounding down.
    assert!(big(out) <= exact_floor);
    assert!(&exact_floor - big(out) <= BigInt::from(201));
    // The anchor (187923258175685800, half-up on a 200-wei grid) is 32.5 wei above the exact
    // value; ours is within the same 201 wei on the other side.
    let anchor = u("187923258175685800");
    assert!(out < anchor);
    assert!(anchor - out <= U256::from(201 + 33));
    assert_eq!(out, u("187923258175685600"));
}

/// `S · (√(r) - 1)` with `r = (Bi + in · (1 - f/2)) / Bi`, exactly, floored.
fn exact_pool_out_half_weight(balance: U256, supply: U256, amount_in: U256) -> BigInt {
    let after_fee = big(amount_in) * 995 / 1000; // 1 - (1 - 0.5) · 0.01
    let s = big(supply);
    // S · √r = √(S² · (Bi + after_fee) / Bi); the division is exact for these inputs.
    let radicand = &s * &s * (big(balance) + after_fee);
    assert_eq!(&radicand % big(balance), BigInt::from(0));
    let scaled: BigInt = radicand / big(balance);
    scaled.sqrt() - s
}

fn check_pool_out_given_single_in(balance: U256, anchor: U256) {
    let w = U256::from(MIN_WEIGHT);
    let supply = e18(100);
    let total_weight = U256::from(2 * MIN_WEIGHT);
    let amount_in = e18(1);
    let out =
        calc_pool_out_given_single_in(balance, w, supply, total_weight, amount_in, fee()).unwrap();
    let exact = exact_pool_out_half_weight(balance, supply, amount_in);

    // Tolerance against the exact value: pow_down is below the true pool ratio (< 2) by at most
    // 2 · MAX_POW_RELATIVE_ERROR · ratio + 4 wei = 40_004 wei of WAD; scaled by S / 1e18 = 100,
    // plus 1 wei for rounding the new supply down. The ratio itself is exact here.
    let pow_error_wad = big(MAX_POW_RELATIVE_ERROR) * 2 * 2 + 4;
    let tolerance = pow_error_wad * big(supply) / big(e18(1)) + 1;
    assert!(big(out) <= exact, "pool out {out} above the exact {exact}");
    assert!(&exact - big(out) <= tolerance, "pool out {out} too far below the exact {exact}");

    // Against the anchor: its bpowApprox stops at terms below 1e-10, so its pool ratio may be
    // off by up to ~1e8 wei of WAD, i.e. S / 1e18 · 1e8 = 1e10 wei of shares.
    let anchor_tolerance = U256::from(10_000_000_000_u64);
    assert!(out.abs_diff(anchor) <= anchor_tolerance, "pool out {out} vs anchor {anchor}");
}

#[test]
fn pool_out_given_single_in_matches_powerindex_for_balance_100() {
    // Exact: 496268587445573873.98; anchor: 496268587447548500 (1.97e6 wei above exact).
    check_pool_out_given_single_in(e18(100), u("496268587447548500"));
}

#[test]
fn pool_out_given_single_in_matches_powerindex_for_balance_200() {
    // Exact: 248441384392605428.36; anchor: 248441384384303000 (8.3e6 wei below exact).
    check_pool_out_given_single_in(e18(200), u("248441384384303000"));
}

#[test]
fn pool_out_given_single_in_values_are_pinned() {
    // Our exact outputs, to catch any change in rounding: 1_005_174 and 1_002_728 wei below
    // the exact values (2.0e-12 relative), 2_979_800 wei below and 7_299_700 wei above the
    // anchor's.
    let w = U256::from(MIN_WEIGHT);
    let total = U256::from(2 * MIN_WEIGHT);
    let out = |balance| calc_pool_out_given_single_in(balance, w, e18(100), total, e18(1), fee());
    assert_eq!(out(e18(100)), Ok(u("496268587444568700")));
    assert_eq!(out(e18(200)), Ok(u("248441384391602700")));
}
