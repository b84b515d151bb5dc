//! Unit tests: Uniswap v3 reference vectors through the contract's ABI surface, the tick
//! convention at bin edges, and the error paths.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

use alloy_primitives::{
    aliases::{I24, U160, U24},
    uint, Address, I256, U256,
};
use motsu::prelude::*;

use super::*;

const E18: u128 = 1_000_000_000_000_000_000;

fn t(x: i32) -> I24 {
    I24::try_from(x).unwrap()
}

fn p(s: &str) -> U160 {
    s.parse().unwrap()
}

/// `encodePriceSqrt(121, 100)`: √1.21 · 2^96.
fn price_121_100() -> U160 {
    p("87150978765690771352898345369")
}

#[motsu::test]
fn sqrt_ratio_at_tick_matches_the_v3_vectors(math: Contract<InfinityMath>, alice: Address) {
    let m = math.sender(alice);
    assert_eq!(m.sqrt_ratio_at_tick(t(0)).unwrap(), p("79228162514264337593543950336"));
    assert_eq!(m.sqrt_ratio_at_tick(t(50)).unwrap(), p("79426470787362580746886972461"));
    assert_eq!(m.sqrt_ratio_at_tick(t(-887_272)).unwrap(), p("4295128739"));
    assert_eq!(
        m.sqrt_ratio_at_tick(t(887_272)).unwrap(),
        p("1461446703485210103287273052203988822378723970342")
    );
}

#[motsu::test]
fn tick_at_sqrt_ratio_matches_the_v3_vector(math: Contract<InfinityMath>, alice: Address) {
    let m = math.sender(alice);
    assert_eq!(m.tick_at_sqrt_ratio(p("112045541949572279837463876454")).unwrap(), t(6931));
}

#[motsu::test]
fn sqrt_ratio_at_tick_rejects_ticks_beyond_the_range(math: Contract<InfinityMath>, alice: Address) {
    let err = math.sender(alice).sqrt_ratio_at_tick(t(887_273)).unwrap_err();
    assert_eq!(
        err,
        Error::Failure(InfinityMathFailure { code: MathError::TickOutOfBounds.code() })
    );
}

#[motsu::test]
fn swap_step_to_the_limit_reproduces_the_v3_amount_deltas(
    math: Contract<InfinityMath>,
    alice: Address,
) {
    // One-for-zero from 2^96 with the limit at √1.21 inside a bin reaching tick 2000: the
    // input is amount1(up) = 0.1e18 and the output amount0(down) = 90909090909090909.
    let (next, tick, amount_in, amount_out, fee, growth) = math
        .sender(alice)
        .swap_step(
            false,
            p("79228162514264337593543950336"),
            t(0),
            t(2000),
            price_121_100(),
            E18,
            E18,
            I256::try_from(E18).unwrap(),
            U24::ZERO,
        )
        .unwrap();
    assert_eq!(next, price_121_100());
    assert_eq!(amount_in, uint!(100000000000000000_U256));
    assert_eq!(amount_out, uint!(90909090909090909_U256));
    assert_eq!((fee, growth), (U256::ZERO, U256::ZERO));
    // √1.21 lies between ticks 1906 and 1907.
    assert_eq!(tick, t(1906));
}

#[motsu::test]
fn swap_step_at_an_edge_names_the_bin_entered(math: Contract<InfinityMath>, alice: Address) {
    let m = math.sender(alice);
    let start = p("79228162514264337593543950336");
    // Down to the edge at tick -60 with no liquidity: the tick becomes -61.
    let (next, tick, ..) = m
        .swap_step(true, start, t(0), t(-60), p("4295128740"), 0, 0, I256::ONE, U24::ZERO)
        .unwrap();
    assert_eq!(next, m.sqrt_ratio_at_tick(t(-60)).unwrap());
    assert_eq!(tick, t(-61));
    // Up to the edge at tick 60: the tick becomes 60.
    let max = p("1461446703485210103287273052203988822378723970341");
    let (next, tick, ..) =
        m.swap_step(false, start, t(0), t(60), max, 0, 0, I256::ONE, U24::ZERO).unwrap();
    assert_eq!(next, m.sqrt_ratio_at_tick(t(60)).unwrap());
    assert_eq!(tick, t(60));
}

#[motsu::test]
fn swap_step_charges_the_fee_and_reports_its_growth(math: Contract<InfinityMath>, alice: Address) {
    // v3-core SwapMath vector: exact in 1e18 at 600 pips capped at price 101/100, L = 2e18.
    let target_tick = 99; // √1.0101 > √1.01, so the limit binds.
    let (next, _, amount_in, _, fee, growth) = math
        .sender(alice)
        .swap_step(
            false,
            p("79228162514264337593543950336"),
            t(0),
            t(target_tick + 1),
            p("79623317895830914510639640423"),
            2 * E18,
            4 * E18,
            I256::try_from(E18).unwrap(),
            U24::from(600),
        )
        .unwrap();
    assert_eq!(next, p("79623317895830914510639640423"));
    assert_eq!(amount_in, uint!(9975124224178055_U256));
    assert_eq!(fee, uint!(5988667735148_U256));
    // Growth is per unit of the bin's total liquidity (4e18), rounded down.
    assert_eq!(growth, fee * Q128 / U256::from(4 * E18));
}

#[motsu::test]
fn range_amounts_split_at_the_price(math: Contract<InfinityMath>, alice: Address) {
    let m = math.sender(alice);
    // At √1.21 inside [0, 2000): token1 from 2^96 to √1.21 is exactly the v3 vector.
    let (_, amount1) = m.range_amounts(price_121_100(), t(0), t(2000), E18, true).unwrap();
    assert_eq!(amount1, uint!(100000000000000000_U256));
    let (_, amount1) = m.range_amounts(price_121_100(), t(0), t(2000), E18, false).unwrap();
    assert_eq!(amount1, uint!(99999999999999999_U256));
    // Below the range: token0 only; above: token1 only.
    let low = p("4295128740");
    let (a0, a1) = m.range_amounts(low, t(0), t(2000), E18, true).unwrap();
    assert!(a0 > U256::ZERO);
    assert_eq!(a1, U256::ZERO);
    let high = p("1461446703485210103287273052203988822378723970341");
    let (a0, a1) = m.range_amounts(high, t(0), t(2000), E18, true).unwrap();
    assert_eq!(a0, U256::ZERO);
    assert!(a1 > U256::ZERO);
}

#[motsu::test]
fn bin_amounts_sum_to_the_range_amount_within_rounding(
    math: Contract<InfinityMath>,
    alice: Address,
) {
    let m = math.sender(alice);
    let per_bin = m.bin_amounts(t(-600), t(60), U256::from(20), E18, false).unwrap();
    assert_eq!(per_bin.len(), 20);
    let low = p("4295128740");
    let (whole, _) = m.range_amounts(low, t(-600), t(600), E18, true).unwrap();
    let sum: U256 = per_bin.iter().copied().sum();
    // Each bin rounds up once: the sum exceeds the single rounding by at most one per bin.
    assert!(sum >= whole && sum <= whole + U256::from(20), "{sum} vs {whole}");
}

#[motsu::test]
fn bin_amounts_reject_zero_and_too_many_bins(math: Contract<InfinityMath>, alice: Address) {
    let m = math.sender(alice);
    for bins in [U256::ZERO, U256::from(65), U256::MAX] {
        let err = m.bin_amounts(t(0), t(60), bins, E18, true).unwrap_err();
        assert_eq!(err, Error::BinCount(InfinityMathBinCount { bins }));
    }
}
