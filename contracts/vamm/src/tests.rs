//! Unit tests of the vAMM (motsu). The clearing house is played by an
//! account; the oracle by a small mock contract.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects, missing_docs)]
use alloy_primitives::{address, uint, Address, I256, U256};
use motsu::prelude::*;
use num_bigint::BigUint;
use proptest::prelude::*;
use stylus_sdk::{
    prelude::*,
    storage::{StorageBool, StorageU256},
};

use super::*;
use crate::clock::test_clock;

const E18: U256 = uint!(1_000_000_000_000_000_000_U256);
/// An hour-aligned start time.
const T0: u64 = 1_699_999_200;
const B0: u64 = 1_000;
const ASSET: Address = address!("00000000000000000000000000000000000000aa");

fn wad(x: u64) -> U256 {
    U256::from(x) * E18
}

/// `x / 1000` in WAD.
fn milli(x: u64) -> U256 {
    U256::from(x) * uint!(1_000_000_000_000_000_U256)
}

fn int(x: U256) -> I256 {
    I256::try_from(x).unwrap()
}

/// Index-price oracle stand-in with settable answers and a failure switch.
#[storage]
pub struct MockOracle {
    price: StorageU256,
    twap: StorageU256,
    fail: StorageBool,
}

unsafe impl TopLevelStorage for MockOracle {}

#[public]
impl MockOracle {
    fn get_price(&self, _asset: Address) -> Result<U256, Vec<u8>> {
        if self.fail.get() {
            return Err(vec![1]);
        }
        Ok(self.price.get())
    }

    fn get_twap(&self, _asset: Address, _window: U256) -> Result<U256, Vec<u8>> {
        if self.fail.get() {
            return Err(vec![1]);
        }
        Ok(self.twap.get())
    }

    fn set_answers(&mut self, price: U256, twap: U256, fail: bool) {
        self.price.set(price);
        self.twap.set(twap);
        self.fail.set(fail);
    }
}

struct Config {
    quote: U256,
    base: U256,
    fluctuation: U256,
    funding_period: u64,
    max_funding_rate: U256,
}

fn default_config() -> Config {
    Config {
        quote: wad(1000),
        base: wad(100),
        fluctuation: U256::ZERO,
        funding_period: 3_600,
        max_funding_rate: U256::ZERO,
    }
}

fn setup_vamm_with(
    vamm: &Contract<Vamm>,
    oracle: &Contract<MockOracle>,
    owner: Address,
    ch: Address,
    c: &Config,
) {
    test_clock::set(T0, B0);
    oracle.sender(owner).set_answers(wad(10), wad(10), false);
    vamm.sender(owner)
        .constructor(
            owner,
            ch,
            oracle.address(),
            ASSET,
            c.quote,
            c.base,
            milli(900),
            U256::from(c.funding_period),
        )
        .motsu_unwrap();
    vamm.sender(owner).set_fluctuation_limit_ratio(c.fluctuation).motsu_unwrap();
    vamm.sender(owner).set_max_funding_rate(c.max_funding_rate).motsu_unwrap();
    vamm.sender(owner).set_open(true).motsu_unwrap();
}

fn setup_vamm(vamm: &Contract<Vamm>, oracle: &Contract<MockOracle>, owner: Address, ch: Address) {
    setup_vamm_with(vamm, oracle, owner, ch, &default_config());
}

fn reserves(vamm: &Contract<Vamm>, who: Address) -> (U256, U256) {
    vamm.sender(who).get_reserves()
}

fn snapshot_count(vamm: &Contract<Vamm>, who: Address) -> U256 {
    vamm.sender(who).get_snapshot(U256::ZERO).4
}

/// `(quote, base, timestamp, block)` of snapshot `i`.
fn snapshot(vamm: &Contract<Vamm>, who: Address, i: U256) -> (U256, U256, u64, u64) {
    let (q, b, t, blk, _) = vamm.sender(who).get_snapshot(i);
    (q, b, t, blk)
}

/// `(tradeLimit, fluctuation, toll, spread, maxFundingRate)`.
fn ratios(vamm: &Contract<Vamm>, who: Address) -> (U256, U256, U256, U256, U256) {
    let c = vamm.sender(who).get_config();
    (c.4, c.5, c.6, c.7, c.8)
}

/// `(fundingPeriod, nextFundingTime, fundingRate)`.
fn funding_state(vamm: &Contract<Vamm>, who: Address) -> (u64, u64, I256) {
    let c = vamm.sender(who).get_config();
    (c.9, c.10, c.11)
}

// ------------------------------------------------------------------ pricing

#[motsu::test]
fn pricing_matches_the_public_reference_values(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_vamm(&vamm, &oracle, owner, ch);
    let v = vamm.sender(owner);
    assert_eq!(v.get_input_price(DIR_ADD, wad(50)).unwrap(), uint!(4761904761904761904_U256));
    assert_eq!(v.get_input_price(DIR_REMOVE, wad(50)).unwrap(), uint!(5263157894736842106_U256));
    assert_eq!(v.get_output_price(DIR_ADD, wad(5)).unwrap(), uint!(47619047619047619047_U256));
    assert_eq!(v.get_output_price(DIR_REMOVE, wad(5)).unwrap(), uint!(52631578947368421053_U256));
}

#[test]
fn exactly_divisible_trades_take_no_wei_adjustment() {
    // k = 1e23·1e18... with Q=1000, B=100: adding 600 quote gives B' = 62.5 exactly.
    let out = get_input_price_with_reserves(DIR_ADD, wad(600), wad(1000), wad(100)).unwrap();
    assert_eq!(out, milli(37_500));
    // Selling the 37.5 base back: Q' = 1e5 / 100 = 1000 exactly.
    let out = get_output_price_with_reserves(DIR_ADD, milli(37_500), wad(1600), milli(62_500));
    assert_eq!(out.unwrap(), wad(600));
}

#[test]
fn zero_amount_prices_to_zero_and_draining_a_reserve_is_rejected() {
    assert_eq!(
        get_input_price_with_reserves(DIR_ADD, U256::ZERO, wad(1), wad(1)).unwrap(),
        U256::ZERO
    );
    let err =
        get_input_price_with_reserves(DIR_REMOVE, wad(1000), wad(1000), wad(100)).unwrap_err();
    assert!(matches!(*err, Error::InsufficientReserve(VammInsufficientReserve { reserve, amount })
        if reserve == wad(1000) && amount == wad(1000)));
    let err =
        get_output_price_with_reserves(DIR_REMOVE, wad(101), wad(1000), wad(100)).unwrap_err();
    assert!(matches!(*err, Error::InsufficientReserve(_)));
    let err = get_input_price_with_reserves(7, wad(1), wad(1000), wad(100)).unwrap_err();
    assert!(matches!(*err, Error::InvalidDirection(VammInvalidDirection { dir: 7 })));
    let err = get_input_price_with_reserves(DIR_ADD, wad(1), U256::MAX, U256::MAX).unwrap_err();
    assert!(matches!(*err, Error::Math(VammMath { code: 1 })));
}

/// Independent big-integer statement of the spec's pricing rule.
fn reference_price(add: bool, amount: &BigUint, in_r: &BigUint, other: &BigUint) -> BigUint {
    let w = BigUint::from(10u64).pow(18);
    let k = in_r * other / &w;
    let after = if add { in_r + amount } else { in_r - amount };
    let other_after = &k * &w / &after;
    let mut out = if other_after > *other { &other_after - other } else { other - &other_after };
    if (&k * &w) % &after != BigUint::from(0u8) {
        if add {
            if out > BigUint::from(0u8) {
                out -= 1u8;
            }
        } else {
            out += 1u8;
        }
    }
    out
}

fn big(x: U256) -> BigUint {
    BigUint::from_bytes_be(&x.to_be_bytes::<32>())
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// Both pricing functions equal the big-integer reference and keep mulD(Q', B') ≥ k.
    #[test]
    fn fuzz_pricing_matches_reference_and_keeps_k(
        q in 1u128..1_000_000_000u128,
        b in 1u128..1_000_000_000u128,
        amount_permille in 1u64..950,
        add in any::<bool>(),
        output in any::<bool>(),
        dust in 0u64..1_000_000_000_000_000_000,
    ) {
        let q = U256::from(q) * E18 + U256::from(dust);
        let b = U256::from(b) * E18 + U256::from(dust / 3);
        let (in_r, other) = if output { (b, q) } else { (q, b) };
        let amount = in_r * U256::from(amount_permille) / U256::from(1000u64);
        prop_assume!(!amount.is_zero());
        let dir = if add { DIR_ADD } else { DIR_REMOVE };
        let got = if output {
            get_output_price_with_reserves(dir, amount, q, b).unwrap()
        } else {
            get_input_price_with_reserves(dir, amount, q, b).unwrap()
        };
        prop_assert_eq!(big(got), reference_price(add, &big(amount), &big(in_r), &big(other)));
        // Apply the trade and check the invariant k' ≥ k (WAD product).
        let in_after = if add { in_r + amount } else { in_r - amount };
        let other_after = if add { other - got } else { other + got };
        prop_assert!(
            crate::num::wad_mul(in_after, other_after).unwrap() >= crate::num::wad_mul(in_r, other).unwrap(),
            "x·y fell below k"
        );
    }
}

// ------------------------------------------------------------------- swaps

#[motsu::test]
fn swap_input_long_moves_reserves_tracks_position_and_snapshots(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_vamm(&vamm, &oracle, owner, ch);
    test_clock::set(T0 + 15, B0 + 1);
    let base = vamm.sender(ch).swap_input(DIR_ADD, wad(600), milli(37_500), false).motsu_unwrap();
    assert_eq!(base, milli(37_500));
    assert_eq!(reserves(&vamm, ch), (wad(1600), milli(62_500)));
    assert_eq!(vamm.sender(ch).total_position_size(), int(milli(37_500)));
    assert_eq!(snapshot_count(&vamm, ch), U256::from(2));
    assert_eq!(snapshot(&vamm, ch, U256::from(1)), (wad(1600), milli(62_500), T0 + 15, B0 + 1));
    vamm.assert_emitted(&SwapInput {
        dir: DIR_ADD,
        quoteAssetAmount: wad(600),
        baseAssetAmount: base,
    });
    vamm.assert_emitted(&ReserveSnapshotted {
        quoteAssetReserve: wad(1600),
        baseAssetReserve: milli(62_500),
        timestamp: U256::from(T0 + 15),
    });
}

#[motsu::test]
fn swap_input_short_then_swap_output_close_returns_to_the_start(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_vamm(&vamm, &oracle, owner, ch);
    let base = vamm.sender(ch).swap_input(DIR_REMOVE, wad(200), wad(30), false).motsu_unwrap();
    // B' = 1e5 / 800 = 125: 25 base owed by the short.
    assert_eq!(base, wad(25));
    assert_eq!(vamm.sender(ch).total_position_size(), -int(wad(25)));
    let quote = vamm.sender(ch).swap_output(DIR_REMOVE, wad(25), wad(200), false).motsu_unwrap();
    assert_eq!(quote, wad(200));
    assert_eq!(reserves(&vamm, ch), (wad(1000), wad(100)));
    assert_eq!(vamm.sender(ch).total_position_size(), I256::ZERO);
    vamm.assert_emitted(&SwapOutput {
        dir: DIR_REMOVE,
        quoteAssetAmount: wad(200),
        baseAssetAmount: wad(25),
    });
}

#[motsu::test]
fn swaps_of_zero_exchange_nothing(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_vamm(&vamm, &oracle, owner, ch);
    assert_eq!(
        vamm.sender(ch).swap_input(DIR_ADD, U256::ZERO, U256::ZERO, false).motsu_unwrap(),
        U256::ZERO
    );
    assert_eq!(
        vamm.sender(ch).swap_output(DIR_ADD, U256::ZERO, U256::ZERO, false).motsu_unwrap(),
        U256::ZERO
    );
    assert_eq!(reserves(&vamm, ch), (wad(1000), wad(100)));
}

#[motsu::test]
fn swap_of_one_wei_reverts_with_zero_amount_out(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_vamm(&vamm, &oracle, owner, ch);
    let err = vamm.sender(ch).swap_input(DIR_ADD, U256::ONE, U256::ZERO, false).motsu_unwrap_err();
    assert!(
        matches!(*err, Error::ZeroAmountOut(VammZeroAmountOut { amount }) if amount == U256::ONE)
    );
    assert_eq!(reserves(&vamm, ch), (wad(1000), wad(100)));
}

#[motsu::test]
fn only_the_clearing_house_swaps_settles_or_adjusts(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
    mallory: Address,
) {
    setup_vamm(&vamm, &oracle, owner, ch);
    let err =
        vamm.sender(mallory).swap_input(DIR_ADD, wad(1), U256::ZERO, false).motsu_unwrap_err();
    assert!(
        matches!(*err, Error::OnlyCounterparty(VammOnlyCounterparty { caller }) if caller == mallory)
    );
    let err =
        vamm.sender(mallory).swap_output(DIR_ADD, wad(1), U256::ZERO, false).motsu_unwrap_err();
    assert!(matches!(*err, Error::OnlyCounterparty(_)));
    let err = vamm.sender(mallory).settle_funding().motsu_unwrap_err();
    assert!(matches!(*err, Error::OnlyCounterparty(_)));
    let err = vamm.sender(mallory).adjust_k(milli(2000)).motsu_unwrap_err();
    assert!(matches!(*err, Error::OnlyCounterparty(_)));
    assert_eq!(reserves(&vamm, ch), (wad(1000), wad(100)));
    assert_eq!(snapshot_count(&vamm, ch), U256::ONE);
}

#[motsu::test]
fn closed_market_rejects_swaps_and_funding(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_vamm(&vamm, &oracle, owner, ch);
    vamm.sender(owner).set_open(false).motsu_unwrap();
    vamm.assert_emitted(&OpenChanged { open: false, nextFundingTime: U256::from(T0 + 3_600) });
    let err = vamm.sender(ch).swap_input(DIR_ADD, wad(1), U256::ZERO, false).motsu_unwrap_err();
    assert!(matches!(*err, Error::Closed(_)));
    let err = vamm.sender(ch).swap_output(DIR_ADD, wad(1), U256::ZERO, false).motsu_unwrap_err();
    assert!(matches!(*err, Error::Closed(_)));
    test_clock::set(T0 + 7_200, B0 + 10);
    let err = vamm.sender(ch).settle_funding().motsu_unwrap_err();
    assert!(matches!(*err, Error::Closed(_)));
    assert!(!vamm.sender(ch).get_config().3);
}

#[motsu::test]
fn swaps_reject_an_invalid_direction(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_vamm(&vamm, &oracle, owner, ch);
    let err = vamm.sender(ch).swap_input(2, wad(1), U256::ZERO, false).motsu_unwrap_err();
    assert!(matches!(*err, Error::InvalidDirection(VammInvalidDirection { dir: 2 })));
    let err = vamm.sender(ch).swap_output(9, wad(1), U256::ZERO, false).motsu_unwrap_err();
    assert!(matches!(*err, Error::InvalidDirection(VammInvalidDirection { dir: 9 })));
    let err = vamm.sender(ch).get_output_twap(3, wad(1)).unwrap_err();
    assert!(matches!(*err, Error::InvalidDirection(_)));
}

#[motsu::test]
fn remove_trades_are_capped_by_the_trade_limit_ratio(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_vamm(&vamm, &oracle, owner, ch);
    // 90% of 1000 quote = 900.
    let err = vamm
        .sender(ch)
        .swap_input(DIR_REMOVE, wad(900) + U256::ONE, U256::ZERO, false)
        .motsu_unwrap_err();
    assert!(matches!(*err, Error::OverTradeLimit(VammOverTradeLimit { amount, limit })
        if amount == wad(900) + U256::ONE && limit == wad(900)));
    let err = vamm
        .sender(ch)
        .swap_output(DIR_REMOVE, wad(90) + U256::ONE, U256::ZERO, false)
        .motsu_unwrap_err();
    assert!(
        matches!(*err, Error::OverTradeLimit(VammOverTradeLimit { limit, .. }) if limit == wad(90))
    );
    assert_eq!(reserves(&vamm, ch), (wad(1000), wad(100)));
    vamm.sender(ch).swap_input(DIR_REMOVE, wad(900), U256::ZERO, false).motsu_unwrap();
}

#[motsu::test]
fn slippage_limits_bound_base_and_quote_in_both_directions(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_vamm(&vamm, &oracle, owner, ch);
    // Long 600 gets 37.5 base: asking for more reverts.
    let err =
        vamm.sender(ch).swap_input(DIR_ADD, wad(600), milli(37_501), false).motsu_unwrap_err();
    assert!(matches!(*err, Error::BaseAmountLimit(VammBaseAmountLimit { baseAmount, limit })
        if baseAmount == milli(37_500) && limit == milli(37_501)));
    // Short 200 owes 25 base: a maximum below that reverts.
    let err =
        vamm.sender(ch).swap_input(DIR_REMOVE, wad(200), milli(24_999), false).motsu_unwrap_err();
    assert!(matches!(*err, Error::BaseAmountLimit(_)));
    // Closing a 5 base long yields 47.61…: a minimum of 48 reverts.
    let err = vamm.sender(ch).swap_output(DIR_ADD, wad(5), wad(48), false).motsu_unwrap_err();
    assert!(matches!(*err, Error::QuoteAmountLimit(VammQuoteAmountLimit { quoteAmount, limit })
        if quoteAmount == uint!(47619047619047619047_U256) && limit == wad(48)));
    // Closing a 5 base short costs 52.63…: a maximum of 52 reverts.
    let err = vamm.sender(ch).swap_output(DIR_REMOVE, wad(5), wad(52), false).motsu_unwrap_err();
    assert!(matches!(*err, Error::QuoteAmountLimit(_)));
    assert_eq!(reserves(&vamm, ch), (wad(1000), wad(100)));
}

// ------------------------------------------------------------- fluctuation

fn setup_limited(
    vamm: &Contract<Vamm>,
    oracle: &Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    // 1.2% per block, like production.
    let config = Config { fluctuation: milli(12), ..default_config() };
    setup_vamm_with(vamm, oracle, owner, ch, &config);
    test_clock::set(T0 + 12, B0 + 1);
}

#[motsu::test]
fn an_open_beyond_the_fluctuation_band_reverts(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_limited(&vamm, &oracle, owner, ch);
    // Price 10 → band [9.88, 10.12]. Adding 7 quote: (1007)²/1e5 ≈ 10.14 > 10.12.
    let err = vamm.sender(ch).swap_input(DIR_ADD, wad(7), U256::ZERO, false).motsu_unwrap_err();
    assert!(
        matches!(*err, Error::OverFluctuationLimit(VammOverFluctuationLimit { lowerLimit, upperLimit, .. })
        if lowerLimit == milli(9_880) && upperLimit == milli(10_120))
    );
    assert_eq!(reserves(&vamm, ch), (wad(1000), wad(100)));
    // 5 quote: ≈ 10.10, inside.
    vamm.sender(ch).swap_input(DIR_ADD, wad(5), U256::ZERO, false).motsu_unwrap();
}

#[motsu::test]
fn a_close_may_leave_the_band_once_per_block(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_limited(&vamm, &oracle, owner, ch);
    // A swap that may leave the band once (a voluntary close's rule) moves the price
    // to ~10.2.
    vamm.sender(ch).swap_input(DIR_ADD, wad(10), U256::ZERO, true).motsu_unwrap();
    let price = vamm.sender(ch).get_spot_price().unwrap();
    assert!(price > milli(10_120));
    // Every further voluntary trade this block reverts, even one moving back toward
    // the band, and even a swapOutput (close); liquidations do not (see below).
    let err = vamm.sender(ch).swap_input(DIR_REMOVE, wad(1), U256::ZERO, true).motsu_unwrap_err();
    assert!(
        matches!(*err, Error::AlreadyOverFluctuationLimit(VammAlreadyOverFluctuationLimit { price: p, .. }) if p == price)
    );
    let err = vamm.sender(ch).swap_output(DIR_ADD, wad(1), U256::ZERO, false).motsu_unwrap_err();
    assert!(matches!(*err, Error::AlreadyOverFluctuationLimit(_)));
    // Next block the band is centred on the new last price.
    test_clock::set(T0 + 24, B0 + 2);
    vamm.sender(ch).swap_output(DIR_ADD, wad(1), U256::ZERO, false).motsu_unwrap();
}

/// Price 10, band [9.88, 10.12]: a liquidation (`swapOutput(…, true)`) may move the
/// price anywhere, any number of times, before or after a voluntary close left the
/// band, and does not use the block's one exceptional move.
#[motsu::test]
fn a_liquidation_is_never_held_to_the_band_and_uses_no_allowance(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_limited(&vamm, &oracle, owner, ch);
    let spot = |v: &Contract<Vamm>| v.sender(owner).get_spot_price().unwrap();
    // Two liquidations of longs (base in): 1e5/102² ≈ 9.61, then 1e5/104² ≈ 9.25.
    vamm.sender(ch).swap_output(DIR_ADD, wad(2), U256::ZERO, true).motsu_unwrap();
    vamm.sender(ch).swap_output(DIR_ADD, wad(2), U256::ZERO, true).motsu_unwrap();
    assert!(spot(&vamm) < milli(9_300));
    // The exceptional move is still there: a voluntary close may leave the band once…
    vamm.sender(ch).swap_output(DIR_ADD, wad(1), U256::ZERO, false).motsu_unwrap();
    let after_close = spot(&vamm);
    // …after which no voluntary trade runs this block, an opening trade included…
    let err =
        vamm.sender(ch).swap_output(DIR_REMOVE, milli(1), U256::ZERO, false).motsu_unwrap_err();
    assert!(matches!(
        *err,
        Error::AlreadyOverFluctuationLimit(VammAlreadyOverFluctuationLimit { price, lowerLimit, upperLimit })
        if price == after_close && lowerLimit == milli(9_880) && upperLimit == milli(10_120)
    ));
    let err = vamm.sender(ch).swap_input(DIR_ADD, wad(1), U256::ZERO, false).motsu_unwrap_err();
    assert!(matches!(*err, Error::AlreadyOverFluctuationLimit(_)));
    // …but liquidations still do.
    vamm.sender(ch).swap_output(DIR_ADD, wad(1), U256::ZERO, true).motsu_unwrap();
    assert!(spot(&vamm) < after_close);
    // x·y ≥ k held throughout; the next block the band is centred on the new price.
    test_clock::set(T0 + 24, B0 + 2);
    vamm.sender(ch).swap_output(DIR_ADD, milli(100), U256::ZERO, false).motsu_unwrap();
}

/// After a liquidation moved the price beyond the band, opening trades in the same
/// block are still held to the band around the previous block's last price: one may
/// move the price back into it, none may end outside it.
#[motsu::test]
fn after_a_liquidation_opening_trades_must_end_inside_the_band(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_limited(&vamm, &oracle, owner, ch);
    // A liquidated short (base out): 1e5/97² ≈ 10.63, above the band [9.88, 10.12].
    vamm.sender(ch).swap_output(DIR_REMOVE, wad(3), U256::ZERO, true).motsu_unwrap();
    let before = reserves(&vamm, ch);
    // Buying more would end further above the band.
    let err = vamm.sender(ch).swap_input(DIR_ADD, wad(1), U256::ZERO, false).motsu_unwrap_err();
    assert!(matches!(
        *err,
        Error::OverFluctuationLimit(VammOverFluctuationLimit { lowerLimit, upperLimit, .. })
        if lowerLimit == milli(9_880) && upperLimit == milli(10_120)
    ));
    // Selling 10 quote moves it toward the band but not into it (≈ 10.41).
    let err = vamm.sender(ch).swap_input(DIR_REMOVE, wad(10), U256::ZERO, false).motsu_unwrap_err();
    assert!(matches!(*err, Error::OverFluctuationLimit(_)));
    // The preview agrees: closing a long of 1 base would end at ≈ 10.42, outside.
    assert!(vamm.sender(owner).is_over_fluctuation_limit(DIR_ADD, wad(1)).unwrap());
    assert_eq!(reserves(&vamm, ch), before);
    // Selling 25 quote ends inside (Q = 1005.9…, price ≈ 10.12): allowed, and it
    // uses nothing, so a voluntary close may still leave the band once.
    vamm.sender(ch).swap_input(DIR_REMOVE, wad(25), U256::ZERO, false).motsu_unwrap();
    assert!(vamm.sender(owner).get_spot_price().unwrap() <= milli(10_120));
    vamm.sender(ch).swap_output(DIR_ADD, wad(2), U256::ZERO, false).motsu_unwrap();
    let err = vamm.sender(ch).swap_output(DIR_ADD, milli(1), U256::ZERO, false).motsu_unwrap_err();
    assert!(matches!(*err, Error::AlreadyOverFluctuationLimit(_)));
}

#[motsu::test]
fn is_over_fluctuation_limit_previews_a_close(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_limited(&vamm, &oracle, owner, ch);
    let anyone = vamm.sender(owner);
    // Price 10, band [9.88, 10.12]. Closing a long of 0.5 base: 1e5/100.5² ≈ 9.90, inside;
    // of 1 base: 1e5/101² ≈ 9.80, outside. Closing a short of 1 base: 1e5/99² ≈ 10.20.
    assert!(!anyone.is_over_fluctuation_limit(DIR_ADD, milli(500)).unwrap());
    assert!(anyone.is_over_fluctuation_limit(DIR_ADD, wad(1)).unwrap());
    assert!(anyone.is_over_fluctuation_limit(DIR_REMOVE, wad(1)).unwrap());
    assert!(!anyone.is_over_fluctuation_limit(DIR_REMOVE, milli(500)).unwrap());
    let err = anyone.is_over_fluctuation_limit(2, wad(1)).motsu_unwrap_err();
    assert!(matches!(*err, Error::InvalidDirection(_)));
    // Once the price has left the band this block, every close is "over".
    vamm.sender(ch).swap_output(DIR_ADD, wad(1), U256::ZERO, false).motsu_unwrap();
    assert!(anyone.is_over_fluctuation_limit(DIR_REMOVE, milli(1)).unwrap());
    // The next block the band is centred on the new price.
    test_clock::set(T0 + 24, B0 + 2);
    assert!(!anyone.is_over_fluctuation_limit(DIR_REMOVE, milli(1)).unwrap());
    // Without a limit nothing is ever over.
    vamm.sender(owner).set_fluctuation_limit_ratio(U256::ZERO).motsu_unwrap();
    assert!(!anyone.is_over_fluctuation_limit(DIR_ADD, wad(50)).unwrap());
}

#[motsu::test]
fn many_small_trades_in_one_block_cannot_walk_past_the_band(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_limited(&vamm, &oracle, owner, ch);
    let mut accepted = 0u32;
    let mut last_err = None;
    for _ in 0..20 {
        match vamm.sender(ch).swap_input(DIR_ADD, wad(1), U256::ZERO, false).motsu_res() {
            Ok(_) => accepted += 1,
            Err(e) => {
                last_err = Some(e);
                break;
            }
        }
    }
    // Price after n buys of 1 quote is (1000 + n)² / 1e5: five fit under 10.12
    // (10.10025), the sixth would reach 10.12036.
    assert_eq!(accepted, 5);
    assert!(matches!(last_err.as_deref(), Some(Error::OverFluctuationLimit(_))));
    assert!(vamm.sender(ch).get_spot_price().unwrap() <= milli(10_120));
    // Still bounded after the block advances: the new band is centred on the last price.
    test_clock::set(T0 + 24, B0 + 2);
    vamm.sender(ch).swap_input(DIR_ADD, wad(1), U256::ZERO, false).motsu_unwrap();
}

// --------------------------------------------------------------- snapshots

#[motsu::test]
fn trades_in_one_block_share_a_snapshot(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_vamm(&vamm, &oracle, owner, ch);
    test_clock::set(T0 + 20, B0 + 1);
    vamm.sender(ch).swap_input(DIR_ADD, wad(100), U256::ZERO, false).motsu_unwrap();
    vamm.sender(ch).swap_input(DIR_ADD, wad(100), U256::ZERO, false).motsu_unwrap();
    assert_eq!(snapshot_count(&vamm, ch), U256::from(2));
    let (q, b, t, blk) = snapshot(&vamm, ch, U256::ONE);
    assert_eq!((q, b, t, blk), (reserves(&vamm, ch).0, reserves(&vamm, ch).1, T0 + 20, B0 + 1));
    assert_eq!(
        vamm.sender(ch).get_snapshot(U256::from(5)),
        (U256::ZERO, U256::ZERO, 0, 0, U256::from(2))
    );
    assert_eq!(
        vamm.sender(ch).get_snapshot(U256::MAX),
        (U256::ZERO, U256::ZERO, 0, 0, U256::from(2))
    );
}

#[motsu::test]
fn changes_within_the_snapshot_spacing_overwrite_the_open_snapshot(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_vamm(&vamm, &oracle, owner, ch);
    // Bucket opened at T0+20; a block 5 s later and one 1 s before the spacing ends
    // land in it; the spacing opens the next.
    let last_change = T0 + 20 + SNAPSHOT_SPACING - 1;
    test_clock::set(T0 + 20, B0 + 1);
    vamm.sender(ch).swap_input(DIR_ADD, wad(100), U256::ZERO, false).motsu_unwrap();
    test_clock::set(T0 + 25, B0 + 2);
    vamm.sender(ch).swap_input(DIR_ADD, wad(100), U256::ZERO, false).motsu_unwrap();
    test_clock::set(last_change, B0 + 3);
    vamm.sender(ch).swap_input(DIR_ADD, wad(100), U256::ZERO, false).motsu_unwrap();
    assert_eq!(snapshot_count(&vamm, ch), U256::from(2), "one snapshot for the bucket");
    let (q, b) = reserves(&vamm, ch);
    assert_eq!(q, wad(1300));
    assert_eq!(
        snapshot(&vamm, ch, U256::ONE),
        (q, b, last_change, B0 + 3),
        "the bucket's last state"
    );
    test_clock::set(last_change + 1, B0 + 4);
    vamm.sender(ch).swap_input(DIR_ADD, wad(100), U256::ZERO, false).motsu_unwrap();
    assert_eq!(snapshot_count(&vamm, ch), U256::from(3), "the spacing elapsed: a new bucket");
    // TWAP over the last 30 s, ending at the new bucket: price 10 until the old bucket's
    // last change (its earlier states are not seen), then ⌊1300/B⌋ ≈ 16.9 for 1 s.
    let bucket_price = q * wad(1) / b;
    let expected = (wad(10) * U256::from(29) + bucket_price) / U256::from(30);
    assert_eq!(vamm.sender(ch).get_twap_price(U256::from(30)).unwrap(), expected);
}

#[motsu::test]
fn the_band_centres_on_the_previous_block_when_blocks_share_a_snapshot(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    // 1.2% band; both blocks fall in the bucket opened by the constructor at T0.
    let config = Config { fluctuation: milli(12), ..default_config() };
    setup_vamm_with(&vamm, &oracle, owner, ch, &config);
    test_clock::set(T0 + 1, B0 + 1);
    // Price 10 → 5 quote in: 1005²/1e5 = 10.10025, inside [9.88, 10.12].
    vamm.sender(ch).swap_input(DIR_ADD, wad(5), U256::ZERO, false).motsu_unwrap();
    let (q, b) = reserves(&vamm, ch);
    let previous_block_price = q * wad(1) / b;
    test_clock::set(T0 + 2, B0 + 2);
    assert_eq!(snapshot_count(&vamm, ch), U256::ONE, "still the constructor's bucket");
    // The next block's band is around 10.10025, not the bucket's older price 10:
    // 5 more quote reaches 1010²/1e5 = 10.201, inside [9.978, 10.221].
    vamm.sender(ch).swap_input(DIR_ADD, wad(5), U256::ZERO, false).motsu_unwrap();
    let after = reserves(&vamm, ch);
    assert_eq!(after.0, wad(1010));
    // A further 3 quote in the same block (1013²/1e5 ≈ 10.26) is outside the same band,
    // whose limits are the previous block's price · (1 ± 1.2%), rounded down.
    let err = vamm.sender(ch).swap_input(DIR_ADD, wad(3), U256::ZERO, false).motsu_unwrap_err();
    let lower = previous_block_price * milli(988) / wad(1);
    let upper = previous_block_price * milli(1_012) / wad(1);
    assert!(
        matches!(*err, Error::OverFluctuationLimit(VammOverFluctuationLimit { lowerLimit, upperLimit, .. })
        if lowerLimit == lower && upperLimit == upper),
        "band around the previous block's last price"
    );
    assert_eq!(reserves(&vamm, ch), after, "a refused trade changes nothing");
}

#[motsu::test]
fn twap_weights_each_snapshot_by_its_seconds(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_vamm(&vamm, &oracle, owner, ch);
    // Price 10 from T0; 600 long at T0+100 → 1600/62.5 = 25.6; 1200 short at T0+400 → 400/250 = 1.6.
    test_clock::set(T0 + 100, B0 + 1);
    vamm.sender(ch).swap_input(DIR_ADD, wad(600), U256::ZERO, false).motsu_unwrap();
    test_clock::set(T0 + 400, B0 + 2);
    vamm.sender(ch).swap_input(DIR_REMOVE, wad(1200), U256::ZERO, false).motsu_unwrap();
    test_clock::set(T0 + 1_000, B0 + 3);
    // Window [T0+100, T0+1000]: 25.6·300 + 1.6·600 over 900 s = 9.6.
    assert_eq!(vamm.sender(ch).get_twap_price(U256::from(900)).unwrap(), milli(9_600));
    // Window [T0, T0+1000]: (10·100 + 25.6·300 + 1.6·600) / 1000 = 9.64.
    assert_eq!(vamm.sender(ch).get_twap_price(U256::from(1_000)).unwrap(), milli(9_640));
    // A window longer than the history averages what exists (1000 s).
    assert_eq!(vamm.sender(ch).get_twap_price(U256::from(5_000)).unwrap(), milli(9_640));
    // Within the newest snapshot's lifetime: its price.
    assert_eq!(vamm.sender(ch).get_twap_price(U256::from(600)).unwrap(), milli(1_600));
    assert_eq!(vamm.sender(ch).get_twap_price(U256::from(0)).unwrap(), milli(1_600));
    // Output TWAP over the 15-minute window [T0+100, T0+1000] closing a 5 base long:
    // 300 s on (1600, 62.5) and 600 s on (400, 250).
    let a = get_output_price_with_reserves(DIR_ADD, wad(5), wad(1600), milli(62_500)).unwrap();
    let b = get_output_price_with_reserves(DIR_ADD, wad(5), wad(400), wad(250)).unwrap();
    let expected = (a * U256::from(300) + b * U256::from(600)) / U256::from(900);
    assert_eq!(vamm.sender(ch).get_output_twap(DIR_ADD, wad(5)).unwrap(), expected);
    let a = get_input_price_with_reserves(DIR_ADD, wad(5), wad(1600), milli(62_500)).unwrap();
    let b = get_input_price_with_reserves(DIR_ADD, wad(5), wad(400), wad(250)).unwrap();
    let expected = (a * U256::from(300) + b * U256::from(600)) / U256::from(900);
    assert_eq!(vamm.sender(ch).get_input_twap(DIR_ADD, wad(5)).unwrap(), expected);
}

#[motsu::test]
fn twap_over_snapshots_all_at_the_current_second_is_the_current_value(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_vamm(&vamm, &oracle, owner, ch);
    // Several blocks in the same second as the deployment.
    test_clock::set(T0, B0 + 1);
    vamm.sender(ch).swap_input(DIR_ADD, wad(600), U256::ZERO, false).motsu_unwrap();
    assert_eq!(vamm.sender(ch).get_twap_price(U256::from(900)).unwrap(), milli(25_600));
}

// ----------------------------------------------------------------- funding

fn setup_funding(
    vamm: &Contract<Vamm>,
    oracle: &Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    // The spec's public example: 1-day period, reserves 400/250 (mark 1.6).
    let config = Config { funding_period: 86_400, ..default_config() };
    setup_vamm_with(vamm, oracle, owner, ch, &config);
    vamm.sender(ch).swap_input(DIR_ADD, wad(600), U256::ZERO, false).motsu_unwrap();
    vamm.sender(ch).swap_input(DIR_REMOVE, wad(1200), U256::ZERO, false).motsu_unwrap();
}

#[motsu::test]
fn funding_premium_fraction_matches_the_public_example(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_funding(&vamm, &oracle, owner, ch);
    oracle.sender(owner).set_answers(milli(1_590), milli(1_590), false);
    test_clock::set(T0 + 86_400, B0 + 10);
    let fraction = vamm.sender(ch).settle_funding().motsu_unwrap();
    assert_eq!(fraction, int(milli(10)));
    // rate = 0.01 / 1.59, toward zero.
    let rate = int(milli(10) * E18 / milli(1_590));
    vamm.assert_emitted(&FundingRateUpdated { rate, underlyingPrice: milli(1_590) });
    let (period, next, last_rate) = funding_state(&vamm, ch);
    assert_eq!((period, next, last_rate), (86_400, T0 + 2 * 86_400, rate));
}

#[motsu::test]
fn funding_cannot_settle_before_next_funding_time(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_funding(&vamm, &oracle, owner, ch);
    test_clock::set(T0 + 86_399, B0 + 10);
    let err = vamm.sender(ch).settle_funding().motsu_unwrap_err();
    assert!(
        matches!(*err, Error::FundingTooEarly(VammFundingTooEarly { timestamp, nextFundingTime })
        if timestamp == U256::from(T0 + 86_399) && nextFundingTime == U256::from(T0 + 86_400))
    );
    assert_eq!(funding_state(&vamm, ch).1, T0 + 86_400);
}

#[motsu::test]
fn late_funding_keeps_the_hour_grid_but_waits_half_a_period(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_vamm(&vamm, &oracle, owner, ch);
    // Hourly funding first due at T0+3600; settled 50 minutes late.
    test_clock::set(T0 + 3_600 + 3_000, B0 + 5);
    vamm.sender(ch).settle_funding().motsu_unwrap();
    // max(⌊(T0+3600+3600)/1h⌋·1h, now + 1800) = now + 1800 = T0 + 8400.
    assert_eq!(funding_state(&vamm, ch).1, T0 + 8_400);
    test_clock::set(T0 + 8_400, B0 + 6);
    vamm.sender(ch).settle_funding().motsu_unwrap();
    // ⌊(8400 + 3600)/3600⌋·3600 = T0 + 10800 > now + 1800 = T0 + 10200.
    assert_eq!(funding_state(&vamm, ch).1, T0 + 10_800);
}

#[motsu::test]
fn funding_premium_is_clamped_by_the_max_rate_in_both_signs(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    // Mark 10; index 5: premium +5 over 1 h = 0.2083…; cap 10%/day·5·1/24 = 0.0208333….
    let config = Config { max_funding_rate: milli(100), ..default_config() };
    setup_vamm_with(&vamm, &oracle, owner, ch, &config);
    oracle.sender(owner).set_answers(wad(5), wad(5), false);
    test_clock::set(T0 + 3_600, B0 + 1);
    let cap = int(milli(500) * U256::from(3_600) / U256::from(86_400));
    assert_eq!(vamm.sender(ch).settle_funding().motsu_unwrap(), cap);
    // Index 20: premium −10 → clamped to −(10%·20/24).
    oracle.sender(owner).set_answers(wad(20), wad(20), false);
    test_clock::set(T0 + 7_200, B0 + 2);
    let cap = int(wad(2) * U256::from(3_600) / U256::from(86_400));
    assert_eq!(vamm.sender(ch).settle_funding().motsu_unwrap(), -cap);
    // Without a cap the full premium passes: (10 − 20)·3600/86400.
    vamm.sender(owner).set_max_funding_rate(U256::ZERO).motsu_unwrap();
    vamm.assert_emitted(&MaxFundingRateChanged { ratio: U256::ZERO });
    test_clock::set(T0 + 10_800, B0 + 3);
    let full = int(wad(10) * U256::from(3_600) / U256::from(86_400));
    assert_eq!(vamm.sender(ch).settle_funding().motsu_unwrap(), -full);
}

#[motsu::test]
fn oracle_failures_surface_as_named_errors(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_vamm(&vamm, &oracle, owner, ch);
    oracle.sender(owner).set_answers(U256::ZERO, U256::ZERO, false);
    let err = vamm.sender(ch).get_underlying_price().unwrap_err();
    assert!(
        matches!(*err, Error::InvalidOraclePrice(VammInvalidOraclePrice { price }) if price.is_zero())
    );
    oracle.sender(owner).set_answers(wad(1), wad(1), true);
    let err = vamm.sender(ch).get_underlying_twap_price(U256::from(60)).unwrap_err();
    assert!(
        matches!(*err, Error::OracleCallFailed(VammOracleCallFailed { oracle: o }) if o == oracle.address())
    );
    test_clock::set(T0 + 3_600, B0 + 1);
    let err = vamm.sender(ch).settle_funding().motsu_unwrap_err();
    assert!(matches!(*err, Error::OracleCallFailed(_)));
    assert_eq!(funding_state(&vamm, ch).1, T0 + 3_600);
    oracle.sender(owner).set_answers(milli(9_500), milli(9_400), false);
    assert_eq!(vamm.sender(ch).get_underlying_price().unwrap(), milli(9_500));
    assert_eq!(vamm.sender(ch).get_underlying_twap_price(U256::from(60)).unwrap(), milli(9_400));
    let c = vamm.sender(ch).get_config();
    assert_eq!((c.1, c.2), (oracle.address(), ASSET));
}

// -------------------------------------------------------------- k adjustment

#[motsu::test]
fn adjust_k_scales_both_reserves_and_keeps_the_price(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_vamm(&vamm, &oracle, owner, ch);
    vamm.sender(ch).swap_input(DIR_ADD, wad(600), U256::ZERO, false).motsu_unwrap();
    test_clock::set(T0 + 60, B0 + 1);
    let reserves_after = vamm.sender(ch).adjust_k(wad(2)).motsu_unwrap();
    assert_eq!(reserves_after, (wad(3200), wad(125)));
    assert_eq!(reserves(&vamm, ch), (wad(3200), wad(125)));
    assert_eq!(vamm.sender(ch).get_spot_price().unwrap(), milli(25_600));
    // The net position is untouched; the snapshot of this block holds the new reserves.
    assert_eq!(vamm.sender(ch).total_position_size(), int(milli(37_500)));
    assert_eq!(snapshot(&vamm, ch, U256::from(1)).0, wad(3200));
    vamm.assert_emitted(&KAdjusted {
        multiplier: wad(2),
        quoteAssetReserve: wad(3200),
        baseAssetReserve: wad(125),
    });
    assert_eq!(vamm.sender(ch).adjust_k(milli(500)).motsu_unwrap(), (wad(1600), milli(62_500)));
}

#[motsu::test]
fn adjust_k_rejects_degenerate_multipliers(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_vamm(&vamm, &oracle, owner, ch);
    for m in [U256::ZERO, E18] {
        let err = vamm.sender(ch).adjust_k(m).motsu_unwrap_err();
        assert!(
            matches!(*err, Error::InvalidMultiplier(VammInvalidMultiplier { multiplier }) if multiplier == m)
        );
    }
    // A net short of 25 on base 125: shrinking base to ≤ 25 could not take it back.
    vamm.sender(ch).swap_input(DIR_REMOVE, wad(200), U256::ZERO, false).motsu_unwrap();
    let err = vamm.sender(ch).adjust_k(milli(200)).motsu_unwrap_err();
    assert!(matches!(*err, Error::InvalidMultiplier(_)));
    assert_eq!(reserves(&vamm, ch), (wad(800), wad(125)));
}

// ------------------------------------------------------------- admin/config

#[motsu::test]
fn a_new_market_caps_positions_at_five_percent_of_the_base_reserve(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_vamm(&vamm, &oracle, owner, ch);
    // Base reserve 100 → a 5 base position cap; no open-interest cap.
    assert_eq!(vamm.sender(ch).get_caps(), (wad(5), U256::ZERO));
    vamm.assert_emitted(&CapChanged {
        maxHoldingBaseAsset: wad(5),
        openInterestNotionalCap: U256::ZERO,
    });
}

#[motsu::test]
fn owner_setters_update_state_and_emit(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
) {
    setup_vamm(&vamm, &oracle, owner, ch);
    vamm.sender(owner).set_cap(wad(50), wad(5000)).motsu_unwrap();
    vamm.assert_emitted(&CapChanged {
        maxHoldingBaseAsset: wad(50),
        openInterestNotionalCap: wad(5000),
    });
    assert_eq!(vamm.sender(ch).get_caps(), (wad(50), wad(5000)));
    vamm.sender(owner).set_fluctuation_limit_ratio(milli(12)).motsu_unwrap();
    vamm.assert_emitted(&FluctuationLimitRatioChanged { ratio: milli(12) });
    vamm.sender(owner).set_toll_ratio(milli(1)).motsu_unwrap();
    vamm.assert_emitted(&TollRatioChanged { ratio: milli(1) });
    vamm.sender(owner).set_spread_ratio(milli(2)).motsu_unwrap();
    vamm.assert_emitted(&SpreadRatioChanged { ratio: milli(2) });
    vamm.sender(owner).set_max_funding_rate(milli(100)).motsu_unwrap();
    assert_eq!(ratios(&vamm, ch), (milli(900), milli(12), milli(1), milli(2), milli(100)));
    // Fees on 1000 quote: 1 toll, 2 spread.
    assert_eq!(vamm.sender(ch).calc_fee(wad(1000)).unwrap(), (wad(1), wad(2)));
    assert_eq!(vamm.sender(ch).get_config().0, ch);
}

#[motsu::test]
fn setters_reject_non_owners_and_ratios_above_one(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
    mallory: Address,
) {
    setup_vamm(&vamm, &oracle, owner, ch);
    assert!(matches!(
        *vamm.sender(mallory).set_open(false).motsu_unwrap_err(),
        Error::Unauthorized(_)
    ));
    assert!(matches!(
        *vamm.sender(mallory).set_cap(wad(1), wad(1)).motsu_unwrap_err(),
        Error::Unauthorized(_)
    ));
    assert!(matches!(
        *vamm.sender(mallory).set_fluctuation_limit_ratio(U256::ZERO).motsu_unwrap_err(),
        Error::Unauthorized(_)
    ));
    assert!(matches!(
        *vamm.sender(mallory).set_toll_ratio(U256::ZERO).motsu_unwrap_err(),
        Error::Unauthorized(_)
    ));
    assert!(matches!(
        *vamm.sender(mallory).set_spread_ratio(U256::ZERO).motsu_unwrap_err(),
        Error::Unauthorized(_)
    ));
    assert!(matches!(
        *vamm.sender(mallory).set_max_funding_rate(U256::ZERO).motsu_unwrap_err(),
        Error::Unauthorized(_)
    ));
    let too_big = E18 + U256::ONE;
    for err in [
        *vamm.sender(owner).set_fluctuation_limit_ratio(too_big).motsu_unwrap_err(),
        *vamm.sender(owner).set_toll_ratio(too_big).motsu_unwrap_err(),
        *vamm.sender(owner).set_spread_ratio(too_big).motsu_unwrap_err(),
    ] {
        assert!(matches!(err, Error::InvalidRatio(VammInvalidRatio { ratio }) if ratio == too_big));
    }
    assert!(vamm.sender(ch).get_config().3);
    assert_eq!(ratios(&vamm, ch), (milli(900), U256::ZERO, U256::ZERO, U256::ZERO, U256::ZERO));
}

#[motsu::test]
fn constructor_rejects_bad_configuration(vamm: Contract<Vamm>, owner: Address, ch: Address) {
    test_clock::set(T0, B0);
    let oracle = address!("00000000000000000000000000000000000000bb");
    let base = (ch, oracle, ASSET, wad(1000), wad(100), milli(900), U256::from(3_600));
    let too_long = U256::from(u64::MAX) + U256::ONE;
    let bad = [
        (Address::ZERO, base.1, base.3, base.4, base.5, base.6),
        (base.0, Address::ZERO, base.3, base.4, base.5, base.6),
        (base.0, base.1, U256::ZERO, base.4, base.5, base.6),
        (base.0, base.1, base.3, U256::ZERO, base.5, base.6),
        (base.0, base.1, base.3, base.4, U256::ZERO, base.6),
        (base.0, base.1, base.3, base.4, base.5, U256::ZERO),
        (base.0, base.1, base.3, base.4, base.5, too_long),
    ];
    for (c, o, q, b, t, p) in bad {
        let err = vamm.sender(owner).constructor(owner, c, o, ASSET, q, b, t, p).motsu_unwrap_err();
        assert!(matches!(*err, Error::InvalidConfig(_)));
    }
    let err = vamm
        .sender(owner)
        .constructor(owner, ch, oracle, ASSET, wad(1), wad(1), E18 + U256::ONE, U256::from(60))
        .motsu_unwrap_err();
    assert!(matches!(*err, Error::InvalidRatio(_)));
    assert_eq!(vamm.sender(owner).owner(), Address::ZERO);
}

#[motsu::test]
fn ownership_moves_in_two_steps(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    owner: Address,
    ch: Address,
    bob: Address,
) {
    setup_vamm(&vamm, &oracle, owner, ch);
    vamm.sender(owner).transfer_ownership(bob).motsu_unwrap();
    assert_eq!(vamm.sender(bob).pending_owner(), bob);
    assert!(matches!(
        *vamm.sender(ch).accept_ownership().motsu_unwrap_err(),
        Error::Unauthorized(_)
    ));
    vamm.sender(bob).accept_ownership().motsu_unwrap();
    assert_eq!(vamm.sender(bob).owner(), bob);
    assert!(matches!(
        *vamm.sender(owner).set_open(false).motsu_unwrap_err(),
        Error::Unauthorized(_)
    ));
    vamm.sender(bob).renounce_ownership().motsu_unwrap();
    assert_eq!(vamm.sender(bob).owner(), Address::ZERO);
}

#[motsu::test]
fn a_zero_owner_cannot_deploy(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    deployer: Address,
    ch: Address,
) {
    test_clock::set(T0, B0);
    let err = vamm
        .sender(deployer)
        .constructor(
            Address::ZERO,
            ch,
            oracle.address(),
            ASSET,
            wad(1),
            wad(1),
            milli(900),
            U256::from(60),
        )
        .motsu_unwrap_err();
    assert!(matches!(*err, Error::InvalidOwner(_)));
    assert_eq!(vamm.sender(deployer).owner(), Address::ZERO);
}

/// `cargo stylus deploy --constructor-args` calls the constructor from its
/// `StylusDeployer` contract: the owner must be the argument, never the caller.
#[motsu::test]
fn the_owner_is_the_constructor_argument_not_the_deployer(
    vamm: Contract<Vamm>,
    oracle: Contract<MockOracle>,
    deployer: Address,
    owner: Address,
    ch: Address,
) {
    test_clock::set(T0, B0);
    vamm.sender(deployer)
        .constructor(
            owner,
            ch,
            oracle.address(),
            ASSET,
            wad(1000),
            wad(100),
            milli(900),
            U256::from(3_600),
        )
        .motsu_unwrap();
    assert_eq!(vamm.sender(deployer).owner(), owner);
    vamm.assert_emitted(&ownable::OwnershipTransferred {
        previousOwner: Address::ZERO,
        newOwner: owner,
    });
    // A closed market with the spec's defaults: a 1.2% band, a 10%/day funding cap,
    // no toll, no spread.
    let c = vamm.sender(deployer).get_config();
    assert_eq!((c.0, c.1, c.2, c.3), (ch, oracle.address(), ASSET, false));
    assert_eq!(
        (c.4, c.5, c.6, c.7, c.8),
        (milli(900), milli(12), U256::ZERO, U256::ZERO, milli(100))
    );
    assert_eq!((c.5, c.8), (DEFAULT_FLUCTUATION_LIMIT_RATIO, DEFAULT_MAX_FUNDING_RATE));
    assert_eq!((c.9, c.10), (3_600, 0));
    let err = vamm.sender(deployer).set_open(true).motsu_unwrap_err();
    assert!(matches!(*err, Error::Unauthorized(_)));
    vamm.sender(owner).set_open(true).motsu_unwrap();
}

/// The hand-written revert encoding equals alloy's for every error.
#[test]
fn every_error_encodes_as_alloy_does() {
    use alloy_sol_types::SolError;
    fn check<E: SolError + Clone>(e: &E, wrap: fn(E) -> Error) {
        assert_eq!(Vec::<u8>::from(Box::new(wrap(e.clone()))), e.abi_encode(), "{}", E::SIGNATURE);
    }
    let (a, x, y, z) =
        (address!("00000000000000000000000000000000000000a1"), wad(1), wad(2), wad(3));
    check(&VammOnlyCounterparty { caller: a }, Error::OnlyCounterparty);
    check(&VammClosed {}, Error::Closed);
    check(&VammInvalidDirection { dir: 7 }, Error::InvalidDirection);
    check(&VammOverTradeLimit { amount: x, limit: y }, Error::OverTradeLimit);
    check(&VammBaseAmountLimit { baseAmount: x, limit: y }, Error::BaseAmountLimit);
    check(&VammQuoteAmountLimit { quoteAmount: x, limit: y }, Error::QuoteAmountLimit);
    check(
        &VammOverFluctuationLimit { price: x, lowerLimit: y, upperLimit: z },
        Error::OverFluctuationLimit,
    );
    check(
        &VammAlreadyOverFluctuationLimit { price: x, lowerLimit: y, upperLimit: z },
        Error::AlreadyOverFluctuationLimit,
    );
    check(&VammInsufficientReserve { reserve: x, amount: y }, Error::InsufficientReserve);
    check(&VammZeroAmountOut { amount: x }, Error::ZeroAmountOut);
    check(&VammFundingTooEarly { timestamp: x, nextFundingTime: y }, Error::FundingTooEarly);
    check(&VammOracleCallFailed { oracle: a }, Error::OracleCallFailed);
    check(&VammInvalidOraclePrice { price: x }, Error::InvalidOraclePrice);
    check(&VammInvalidMultiplier { multiplier: x }, Error::InvalidMultiplier);
    check(&VammInvalidRatio { ratio: x }, Error::InvalidRatio);
    check(&VammInvalidConfig {}, Error::InvalidConfig);
    check(&VammMath { code: 3 }, Error::Math);
    check(&ownable::OwnableUnauthorizedAccount { account: a }, Error::Unauthorized);
    check(&ownable::OwnableInvalidOwner { owner: a }, Error::InvalidOwner);
}
