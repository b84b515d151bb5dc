//! The spec's Uniswap v3 reference vectors, observed through the pool: ticks of initial
//! prices, a bin's amounts at a price (pour and drain), and swaps between the vector prices.

use alloy_primitives::{Address, U256};
use infinity_tests::{u, v3, World, E18};
use motsu::prelude::*;

fn p(s: &str) -> U256 {
    s.parse().unwrap()
}

/// √1.21 · 2^96 (`encodePriceSqrt(121, 100)`).
fn price_121_100() -> U256 {
    p("87150978765690771352898345369")
}

fn lp() -> Address {
    Address::from([0x11; 20])
}

fn trader() -> Address {
    Address::from([0x22; 20])
}

fn hooks() -> Address {
    Address::from([0x33; 20])
}

#[motsu::test]
fn pool_initialised_at_the_vector_prices_reports_their_ticks() {
    let _serial = infinity_tests::serial();
    for (price, tick) in [
        ("79228162514264337593543950336", 0),
        ("79426470787362580746886972461", 50),
        ("112045541949572279837463876454", 6931),
        ("4295128739", -887_272),
    ] {
        let w = World::new(60, 3000, p(price), hooks());
        assert_eq!(w.price(), (p(price), tick), "price {price}");
    }
}

#[motsu::test]
fn a_bin_holding_the_price_charges_and_pays_the_v3_amount_vectors() {
    let _serial = infinity_tests::serial();
    // Bin 0 of 2000 ticks spans [1, 1.0001^2000) and holds the price √1.21 (tick 1906), so
    // its token1 for L = 1e18 is the vector L·(√1.21 − 1) = 0.1e18, up and down.
    let w = World::new(2000, 3000, price_121_100(), hooks());
    w.fund(lp(), u(10 * E18), u(10 * E18));
    let (id, amount0, amount1) = w.pour(lp(), 0, 0, E18);
    assert_eq!(amount1, u(100_000_000_000_000_000));
    let upper = infinity_tests::sqrt_at(2000);
    let l = num_bigint::BigInt::from(E18);
    let expected0 = v3::amount0(&v3::big(price_121_100()), &v3::big(upper), &l, true);
    assert_eq!(amount0, v3::to_u256(&expected0));
    let (out0, out1) = w.positions.sender(lp()).drain(id, E18).motsu_unwrap();
    assert_eq!(out1, u(99_999_999_999_999_999));
    let expected0 = v3::amount0(&v3::big(price_121_100()), &v3::big(upper), &l, false);
    assert_eq!(out0, v3::to_u256(&expected0));
}

#[motsu::test]
fn swapping_up_from_one_to_121_over_100_moves_the_v3_vector_amounts() {
    let _serial = infinity_tests::serial();
    let w = World::new(2000, 0, infinity_tests::Q96, hooks());
    w.fund(lp(), u(10 * E18), u(10 * E18));
    w.pour(lp(), 0, 0, E18);
    w.fund(trader(), u(10 * E18), u(10 * E18));
    let (a0, a1) =
        w.swap(trader(), false, infinity_tests::i(E18 as i128), price_121_100()).unwrap();
    // The pool receives amount1 (up) and pays amount0 (down) between 1 and √1.21.
    assert_eq!(a1, infinity_tests::i(100_000_000_000_000_000));
    assert_eq!(a0, infinity_tests::i(-90_909_090_909_090_909));
    assert_eq!(w.price().0, price_121_100());
}

#[motsu::test]
fn swapping_down_from_121_over_100_to_one_moves_the_v3_vector_amounts() {
    let _serial = infinity_tests::serial();
    let w = World::new(2000, 0, price_121_100(), hooks());
    w.fund(lp(), u(10 * E18), u(10 * E18));
    w.pour(lp(), 0, 0, E18);
    w.fund(trader(), u(10 * E18), u(10 * E18));
    let (a0, a1) =
        w.swap(trader(), true, infinity_tests::i(E18 as i128), infinity_tests::Q96).unwrap();
    // The pool receives amount0 (up) and pays amount1 (down) between √1.21 and 1.
    assert_eq!(a0, infinity_tests::i(90_909_090_909_090_910));
    assert_eq!(a1, infinity_tests::i(-99_999_999_999_999_999));
    // At the bin's lower edge the tick names the bin below (v3 convention).
    assert_eq!(w.price(), (infinity_tests::Q96, -1));
}
