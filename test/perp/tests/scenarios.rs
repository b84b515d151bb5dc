//! Every trader, keeper and owner path of the Perp system, each named error,
//! and "bad input changes nothing" (every rejected call leaves reserves,
//! books, token balances and positions as they were).
#![allow(
    missing_docs,
    clippy::pedantic,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::too_many_lines
)]

mod common;

use alloy_primitives::{uint, I256, U256};
use clearing_house::{
    ClearingHouseBadDebt, ClearingHouseInsufficientFreeCollateral, ClearingHouseInsufficientMargin,
    ClearingHouseInvalidAmount, ClearingHouseInvalidLeverage, ClearingHouseInvalidRatio,
    ClearingHouseInvalidSide, ClearingHouseMarketNotListed, ClearingHouseNoPosition,
    ClearingHouseNotBackstopLiquidator, ClearingHouseNotLiquidatable, ClearingHouseRestrictionMode,
    Error as ChError, MarginChanged, PositionChanged, PositionLiquidated, RestrictionModeEntered,
};
use clearing_house_engine::{
    ClearingHouseEngineBaseAmountLimit, ClearingHouseEngineOverOpenInterestCap,
    ClearingHouseEngineOverPositionCap,
};
use common::*;
use motsu::prelude::*;
use vamm::{
    VammAlreadyOverFluctuationLimit, VammBaseAmountLimit, VammFundingTooEarly,
    VammOverFluctuationLimit, VammQuoteAmountLimit,
};
use vault::{PoolSwept, VaultInsufficientInsurance};

fn setup(cfg: Config) -> Perp {
    let p = Perp::deploy(cfg);
    for who in [ALICE, BOB, CAROL, DAVE] {
        p.fund(who, 1_000_000);
    }
    p.next();
    p
}

// ------------------------------------------------------------------ opening

#[test]
fn a_long_open_pulls_the_margin_and_records_the_position() {
    let p = setup(Config::mechanics());
    let before = p.balance(ALICE);
    let reserves = p.reserves();
    let base = input_price(true, wad(5_000), reserves);
    p.open(ALICE, BUY, wad(1_000), wad(5), base).unwrap();
    let (_, block) = p.now.get();
    assert_eq!(p.position(ALICE), (int(base), wad(1_000), wad(5_000), I256::ZERO, block));
    assert_eq!(before - p.balance(ALICE), wad(1_000));
    assert_eq!(p.books(), (wad(1_000), wad(5_000), U256::ZERO));
    assert_eq!(p.reserves(), (reserves.0 + wad(5_000), reserves.1 - base));
    let after = p.reserves();
    let notional = output_price(true, base, after);
    p.ch.assert_emitted(&PositionChanged {
        trader: ALICE,
        amm: p.amm.address(),
        margin: wad(1_000),
        positionNotional: wad(5_000),
        exchangedPositionSize: int(base),
        fee: U256::ZERO,
        positionSizeAfter: int(base),
        realizedPnl: I256::ZERO,
        unrealizedPnlAfter: int(notional) - int(wad(5_000)),
        badDebt: U256::ZERO,
        liquidationPenalty: U256::ZERO,
        spotPrice: after.0 * E18 / after.1,
        fundingPayment: I256::ZERO,
    });
    let market = p.ch.sender(OWNER).get_market(p.amm.address());
    assert_eq!((market.3, market.4), (wad(5_000), U256::ONE));
}

#[test]
fn a_short_open_owes_base_and_records_a_negative_size() {
    let p = setup(Config::mechanics());
    let reserves = p.reserves();
    let base = input_price(false, wad(3_000), reserves);
    p.open(BOB, SELL, wad(1_000), wad(3), base).unwrap();
    assert_eq!(p.size(BOB), -int(base));
    assert_eq!(p.position(BOB).2, wad(3_000));
    assert_eq!(p.reserves(), (reserves.0 - wad(3_000), reserves.1 + base));
    assert_eq!(p.amm.sender(OWNER).total_position_size(), -int(base));
}

#[test]
fn toll_and_spread_are_paid_on_top_and_rounded_up_to_token_units() {
    let p = setup(Config::mechanics());
    p.amm.sender(OWNER).set_toll_ratio(milli(1)).unwrap();
    p.amm.sender(OWNER).set_spread_ratio(milli(2)).unwrap();
    let before = p.balance(ALICE);
    // Notional 1234.5678901 · 1 = fees 1.2345678901 (toll) and 2.4691357802 (spread).
    let margin = uint!(1_234_567_890_100_000_000_000_U256);
    p.open(ALICE, BUY, margin, E18, U256::ZERO).unwrap();
    // The margin floors to 1234.567890 USDC; the fees are charged in whole units.
    let credited = uint!(1_234_567_890_000_000_000_000_U256);
    let toll = mul_d(credited, milli(1));
    let spread = mul_d(credited, milli(2));
    let paid = before - p.balance(ALICE);
    let incoming = credited + toll + spread;
    assert_eq!(paid, incoming.div_ceil(p.scale()) * p.scale());
    let (pool, insurance, fees) = p.books();
    assert_eq!((pool, fees), (credited, toll));
    assert_eq!(insurance, wad(5_000) + spread + (paid - incoming));
    assert_eq!(p.margin(ALICE), credited);
    // Closing charges the fees again, out of the payout.
    p.next();
    p.close(ALICE, U256::ZERO).unwrap();
    assert_eq!(p.vault_tokens(), p.books().0 + p.books().1 + p.books().2);
    // Anyone sends the accrued tolls to the fee receiver.
    p.vault.sender(CAROL).claim_fees().unwrap();
    assert!(p.balance(FEES) > U256::ZERO);
}

#[test]
fn growing_a_position_adds_notional_and_margin() {
    let p = setup(Config::mechanics());
    p.open(ALICE, BUY, wad(1_000), wad(4), U256::ZERO).unwrap();
    let first = p.size(ALICE);
    p.next();
    let extra = input_price(true, wad(2_000), p.reserves());
    p.open(ALICE, BUY, wad(500), wad(4), U256::ZERO).unwrap();
    let (size, margin, open_notional, _, _) = p.position(ALICE);
    assert_eq!((size, margin, open_notional), (first + int(extra), wad(1_500), wad(6_000)));
    assert_eq!(p.ch.sender(OWNER).get_market(p.amm.address()).3, wad(6_000));
}

#[test]
fn growing_a_position_below_maintenance_reverts() {
    let p = setup(Config::mechanics());
    p.open(ALICE, BUY, wad(1_000), wad(10), U256::ZERO).unwrap();
    p.next();
    // Bob's short takes Alice's ratio to ~4.4% (see the liquidation tests).
    p.open(BOB, SELL, wad(30_000), E18, U256::ZERO).unwrap();
    p.advance(100, 12);
    let before = p.snapshot(&[ALICE, BOB]);
    let err = p.open(ALICE, BUY, wad(10), wad(10), U256::ZERO).unwrap_err();
    let ChError::InsufficientMargin(ClearingHouseInsufficientMargin { marginRatio, required }) =
        *err
    else {
        panic!("{err:?}")
    };
    assert!(marginRatio < int(required) && required == p.cfg.mmr);
    assert_eq!(p.snapshot(&[ALICE, BOB]), before);
}

#[test]
fn opening_rejects_bad_input_and_changes_nothing() {
    let p = setup(Config::mechanics());
    let before = p.snapshot(&[ALICE]);
    let err = p.open(ALICE, 2, wad(1), E18, U256::ZERO).unwrap_err();
    assert!(matches!(*err, ChError::InvalidSide(ClearingHouseInvalidSide { side: 2 })));
    let err = p.open(ALICE, BUY, wad(1), U256::ZERO, U256::ZERO).unwrap_err();
    assert!(
        matches!(*err, ChError::InvalidLeverage(ClearingHouseInvalidLeverage { leverage }) if leverage.is_zero())
    );
    // 1 / 10.000…1 < 10%.
    let err = p.open(ALICE, BUY, wad(1), wad(10) + U256::ONE, U256::ZERO).unwrap_err();
    assert!(matches!(*err, ChError::InvalidLeverage(_)));
    // Below one token unit (1e-6 USDC).
    let dust = uint!(999_999_999_999_U256);
    let err = p.open(ALICE, BUY, dust, E18, U256::ZERO).unwrap_err();
    assert!(
        matches!(*err, ChError::InvalidAmount(ClearingHouseInvalidAmount { amount }) if amount == dust)
    );
    let err =
        p.ch.sender(ALICE)
            .open_position(CAROL, BUY, wad(1), E18, U256::ZERO)
            .motsu_res()
            .unwrap_err();
    assert!(
        matches!(*err, ChError::MarketNotListed(ClearingHouseMarketNotListed { amm }) if amm == CAROL)
    );
    // Slippage and the vAMM's limits bubble with their own errors.
    let base = input_price(true, wad(100), p.reserves());
    let err = p.open(ALICE, BUY, wad(100), E18, base + U256::ONE).unwrap_err();
    let e: VammBaseAmountLimit = external(&err);
    assert_eq!((e.baseAmount, e.limit), (base, base + U256::ONE));
    assert_eq!(p.snapshot(&[ALICE]), before);
    // Exactly the maximum leverage is allowed.
    p.open(ALICE, BUY, wad(1), wad(10), U256::ZERO).unwrap();
}

#[test]
fn an_open_beyond_the_fluctuation_limit_bubbles_the_vamm_error() {
    let p = setup(Config::production());
    let before = p.snapshot(&[ALICE]);
    // 8,000 quote moves price 10 by ~1.6% > 1.2%.
    let err = p.open(ALICE, BUY, wad(800), wad(10), U256::ZERO).unwrap_err();
    let e: VammOverFluctuationLimit = external(&err);
    assert_eq!((e.lowerLimit, e.upperLimit), (milli(9_880), milli(10_120)));
    assert_eq!(p.snapshot(&[ALICE]), before);
}

#[test]
fn position_and_open_interest_caps_bind_growth_but_not_reduction() {
    let p = setup(Config::mechanics());
    p.amm.sender(OWNER).set_cap(wad(100), wad(1_500)).unwrap();
    let base = input_price(true, wad(1_000), p.reserves());
    p.open(ALICE, BUY, wad(500), wad(2), U256::ZERO).unwrap();
    p.next();
    let before = p.snapshot(&[ALICE, BOB]);
    // Alice would hold > 100 base.
    let err = p.open(ALICE, BUY, wad(100), wad(1), U256::ZERO).unwrap_err();
    let e: ClearingHouseEngineOverPositionCap = external(&err);
    assert!(e.size > wad(100) && e.cap == wad(100));
    // Bob's 600 would take open interest to 1,600 > 1,500.
    let err = p.open(BOB, SELL, wad(600), E18, U256::ZERO).unwrap_err();
    let e: ClearingHouseEngineOverOpenInterestCap = external(&err);
    assert_eq!((e.openInterest, e.cap), (wad(1_600), wad(1_500)));
    assert_eq!(p.snapshot(&[ALICE, BOB]), before);
    // A lower cap never blocks reducing or closing.
    p.amm.sender(OWNER).set_cap(wad(1), wad(1)).unwrap();
    p.open(ALICE, SELL, wad(100), E18, U256::ZERO).unwrap();
    p.next();
    p.close(ALICE, U256::ZERO).unwrap();
    assert!(base > U256::ZERO);
    assert_eq!(p.size(ALICE), I256::ZERO);
}

#[test]
fn an_eighteen_decimal_quote_token_round_trips_exactly() {
    let p = setup(Config { decimals: 18, ..Config::mechanics() });
    let before = p.balance(ALICE);
    let margin = uint!(123_456_789_012_345_678_901_U256);
    let notional = mul_d(margin, wad(3));
    let base = input_price(true, notional, p.reserves());
    p.open(ALICE, BUY, margin, wad(3), U256::ZERO).unwrap();
    assert_eq!(before - p.balance(ALICE), margin);
    p.next();
    let quote = output_price(true, base, p.reserves());
    p.close(ALICE, U256::ZERO).unwrap();
    // The round trip loses only the AMM's roundings, which favour the protocol.
    let lost = notional - quote;
    assert_eq!(before - p.balance(ALICE), lost);
    assert!(lost < U256::from(100), "lost {lost}");
    // The last position closed: the pool's remainder went to the insurance fund.
    assert_eq!(p.books(), (U256::ZERO, wad(5_000) + lost, U256::ZERO));
    p.vault.assert_emitted(&PoolSwept { amount: lost });
}

// ------------------------------------------------------- reduce / reverse / close

/// Alice long 1000 × 5, then Carol's buy lifts the price so Alice is in profit.
fn setup_alice_in_profit() -> Perp {
    let p = setup(Config::mechanics());
    p.open(ALICE, BUY, wad(1_000), wad(5), U256::ZERO).unwrap();
    p.next();
    p.open(CAROL, BUY, wad(10_000), E18, U256::ZERO).unwrap();
    p.next();
    p
}

#[test]
fn reducing_realises_the_proportional_pnl_and_keeps_the_rest_unrealised() {
    let p = setup_alice_in_profit();
    let (size, margin, open_notional, _, _) = p.position(ALICE);
    let reserves = p.reserves();
    let notional = output_price(true, size.unsigned_abs(), reserves);
    let pnl = int(notional) - int(open_notional);
    assert!(pnl > I256::ZERO);
    // SELL 1,000 of notional: the base that quote buys back is closed.
    let base = input_price(false, wad(1_000), reserves);
    let before = p.balance(ALICE);
    p.open(ALICE, SELL, wad(500), wad(2), base).unwrap();
    let realized = pnl * int(base) / int(size.unsigned_abs());
    // ⌊·⌋ toward −∞ for a profit is truncation.
    let quote = output_price(true, base, reserves);
    let pnl_after = pnl - realized;
    let (size2, margin2, on2, _, _) = p.position(ALICE);
    assert_eq!(size2, size - int(base));
    assert_eq!(margin2, margin + realized.unsigned_abs());
    assert_eq!(int(on2), int(notional) - int(quote) - pnl_after);
    // No margin moves on a reduction.
    assert_eq!(p.balance(ALICE), before);
    p.ch.assert_emitted(&PositionChanged {
        trader: ALICE,
        amm: p.amm.address(),
        margin: margin2,
        positionNotional: quote,
        exchangedPositionSize: -int(base),
        fee: U256::ZERO,
        positionSizeAfter: size2,
        realizedPnl: realized,
        unrealizedPnlAfter: pnl_after,
        badDebt: U256::ZERO,
        liquidationPenalty: U256::ZERO,
        spotPrice: p.spot(),
        fundingPayment: I256::ZERO,
    });
}

#[test]
fn reducing_past_the_base_limit_reverts() {
    let p = setup_alice_in_profit();
    let before = p.snapshot(&[ALICE]);
    let base = input_price(false, wad(1_000), p.reserves());
    // A SELL's limit is a maximum of base.
    let err = p.open(ALICE, SELL, wad(1_000), E18, base - U256::ONE).unwrap_err();
    let e: ClearingHouseEngineBaseAmountLimit = external(&err);
    assert_eq!((e.baseAmount, e.limit), (base, base - U256::ONE));
    assert_eq!(p.snapshot(&[ALICE]), before);
}

#[test]
fn a_larger_opposite_open_closes_and_reverses_at_the_same_leverage() {
    let p = setup_alice_in_profit();
    let (size, margin, open_notional, _, _) = p.position(ALICE);
    let reserves = p.reserves();
    let closed_quote = output_price(true, size.unsigned_abs(), reserves);
    let payout = margin + closed_quote - open_notional;
    let after_close = (reserves.0 - closed_quote, reserves.1 + size.unsigned_abs());
    // SELL 2,000 × 5 = 10,000 notional: the rest opens short at 5×.
    let rest = wad(10_000) - closed_quote;
    let rest_margin = rest * E18 / wad(5);
    let short = input_price(false, rest, after_close);
    let before = p.balance(ALICE);
    p.open(ALICE, SELL, wad(2_000), wad(5), U256::ZERO).unwrap();
    let (size2, margin2, on2, _, _) = p.position(ALICE);
    assert_eq!((size2, margin2, on2), (-int(short), rest_margin, rest));
    // Alice is paid her old margin and profit and pays the new margin, netted.
    let expected = int(payout) - int(rest_margin);
    assert_eq!(int(p.balance(ALICE)) - int(before), expected - (expected % int(p.scale())));
}

#[test]
fn closing_pays_margin_and_pnl_and_honours_the_quote_limit() {
    let p = setup_alice_in_profit();
    let (size, margin, open_notional, _, _) = p.position(ALICE);
    let quote = output_price(true, size.unsigned_abs(), p.reserves());
    let before_state = p.snapshot(&[ALICE]);
    // A long close wants at least the limit.
    let err = p.close(ALICE, quote + U256::ONE).unwrap_err();
    let e: VammQuoteAmountLimit = external(&err);
    assert_eq!((e.quoteAmount, e.limit), (quote, quote + U256::ONE));
    assert_eq!(p.snapshot(&[ALICE]), before_state);
    let before = p.balance(ALICE);
    p.close(ALICE, quote).unwrap();
    let payout = margin + quote - open_notional;
    assert_eq!(p.balance(ALICE) - before, payout / p.scale() * p.scale());
    assert_eq!(p.position(ALICE).0, I256::ZERO);
    assert_eq!(p.ch.sender(OWNER).get_market(p.amm.address()).4, U256::ONE);
}

#[test]
fn a_close_that_would_leave_the_band_closes_only_a_quarter() {
    let p = setup(Config::production());
    // Alice builds a long over ten blocks, each open inside the 1.2% band.
    for _ in 0..10 {
        p.open(ALICE, BUY, wad(500), wad(10), U256::ZERO).unwrap();
        p.next();
    }
    let size = p.size(ALICE);
    let whole = size.unsigned_abs();
    let amm = p.amm.sender(OWNER);
    assert!(amm.is_over_fluctuation_limit(vamm::DIR_ADD, whole).unwrap());
    // A close: only partialLiquidationRatio (25%) of it is sold — that quarter may
    // leave the band (once this block) — and the quote limit is scaled to it.
    let quarter = mul_d(whole, p.cfg.plr);
    let full_quote = output_price(true, whole, p.reserves());
    let quarter_quote = output_price(true, quarter, p.reserves());
    let before = p.snapshot(&[ALICE]);
    let err = p.close(ALICE, quarter_quote * U256::from(4) + U256::from(8)).unwrap_err();
    let _: VammQuoteAmountLimit = external(&err);
    assert_eq!(p.snapshot(&[ALICE]), before);
    p.close(ALICE, full_quote).unwrap();
    assert_eq!(p.size(ALICE), size - int(quarter));
    // A partial close smaller than the quarter is not cut (here: inside the band).
    p.next();
    let tenth = mul_d(p.size(ALICE).unsigned_abs(), milli(100));
    let left = p.size(ALICE);
    p.partial_close(ALICE, milli(100), U256::ZERO).unwrap();
    assert_eq!(p.size(ALICE), left - int(tenth));
    // With partialLiquidationRatio 1 a close is never cut: it may leave the band, once.
    p.next();
    let (imr, mmr, lfr, _, spread) = p.ch.sender(OWNER).get_risk_parameters();
    p.ch.sender(OWNER).set_risk_parameters(imr, mmr, lfr, E18, spread).unwrap();
    p.close(ALICE, U256::ZERO).unwrap();
    assert_eq!(p.size(ALICE), I256::ZERO);
}

#[test]
fn a_short_close_pays_at_most_the_limit() {
    let p = setup(Config::mechanics());
    p.open(BOB, SELL, wad(1_000), wad(2), U256::ZERO).unwrap();
    p.next();
    let cost = output_price(false, p.size(BOB).unsigned_abs(), p.reserves());
    let err = p.close(BOB, cost - U256::ONE).unwrap_err();
    let e: VammQuoteAmountLimit = external(&err);
    assert_eq!(e.quoteAmount, cost);
    p.close(BOB, cost).unwrap();
    assert_eq!(p.size(BOB), I256::ZERO);
}

#[test]
fn a_partial_close_closes_that_share_of_the_size() {
    let p = setup_alice_in_profit();
    let (size, margin, open_notional, _, _) = p.position(ALICE);
    let reserves = p.reserves();
    let notional = output_price(true, size.unsigned_abs(), reserves);
    let pnl = int(notional) - int(open_notional);
    let base = mul_d(size.unsigned_abs(), milli(250));
    let quote = output_price(true, base, reserves);
    let before = p.balance(ALICE);
    p.partial_close(ALICE, milli(250), U256::ZERO).unwrap();
    let realized = pnl * int(base) / int(size.unsigned_abs());
    let (size2, margin2, on2, _, _) = p.position(ALICE);
    assert_eq!(size2, size - int(base));
    assert_eq!(margin2, margin + realized.unsigned_abs());
    assert_eq!(int(on2), int(notional) - int(quote) - (pnl - realized));
    assert_eq!(p.balance(ALICE), before);
}

#[test]
fn close_rejects_bad_input_and_changes_nothing() {
    let p = setup_alice_in_profit();
    let before = p.snapshot(&[ALICE, DAVE]);
    for ratio in [U256::ZERO, E18 + U256::ONE] {
        let err = p.partial_close(ALICE, ratio, U256::ZERO).unwrap_err();
        assert!(
            matches!(*err, ChError::InvalidRatio(ClearingHouseInvalidRatio { ratio: r }) if r == ratio)
        );
    }
    let err = p.close(DAVE, U256::ZERO).unwrap_err();
    assert!(
        matches!(*err, ChError::NoPosition(ClearingHouseNoPosition { trader, .. }) if trader == DAVE)
    );
    let err = p.partial_close(DAVE, milli(500), U256::ZERO).unwrap_err();
    assert!(matches!(*err, ChError::NoPosition(_)));
    assert_eq!(p.snapshot(&[ALICE, DAVE]), before);
}

// ------------------------------------------------------------------- margin

#[test]
fn adding_and_removing_margin_moves_tokens_both_ways() {
    let p = setup(Config::mechanics());
    p.open(ALICE, BUY, wad(1_000), wad(5), U256::ZERO).unwrap();
    p.next();
    let before = p.balance(ALICE);
    p.add_margin(ALICE, wad(500)).unwrap();
    p.ch.assert_emitted(&MarginChanged {
        trader: ALICE,
        amm: p.amm.address(),
        amount: swad(500),
        fundingPayment: I256::ZERO,
    });
    assert_eq!(p.margin(ALICE), wad(1_500));
    p.remove_margin(ALICE, wad(700)).unwrap();
    p.ch.assert_emitted(&MarginChanged {
        trader: ALICE,
        amm: p.amm.address(),
        amount: swad(-700),
        fundingPayment: I256::ZERO,
    });
    assert_eq!(p.margin(ALICE), wad(800));
    assert_eq!(p.balance(ALICE) - before, wad(200));
}

#[test]
fn removing_margin_never_counts_unrealised_profit() {
    let p = setup_alice_in_profit();
    let (_, margin, open_notional, _, _) = p.position(ALICE);
    // Free collateral = margin − 10% · openNotional = 1000 − 500 = 500, whatever the profit.
    let free = margin - mul_d(open_notional, p.cfg.imr);
    let before = p.snapshot(&[ALICE]);
    let err = p.remove_margin(ALICE, free + p.scale()).unwrap_err();
    let ChError::InsufficientFreeCollateral(ClearingHouseInsufficientFreeCollateral {
        freeCollateral,
    }) = *err
    else {
        panic!("{err:?}")
    };
    assert_eq!(freeCollateral, -int(p.scale()));
    assert_eq!(p.snapshot(&[ALICE]), before);
    p.remove_margin(ALICE, free).unwrap();
    assert_eq!(p.margin(ALICE), margin - free);
}

#[test]
fn margin_changes_reject_bad_input() {
    let p = setup(Config::mechanics());
    p.open(ALICE, BUY, wad(1_000), wad(5), U256::ZERO).unwrap();
    let before = p.snapshot(&[ALICE, DAVE]);
    let err = p.add_margin(DAVE, wad(1)).unwrap_err();
    assert!(matches!(*err, ChError::NoPosition(_)));
    let err = p.remove_margin(DAVE, wad(1)).unwrap_err();
    assert!(matches!(*err, ChError::NoPosition(_)));
    let err = p.add_margin(ALICE, U256::ONE).unwrap_err();
    assert!(matches!(*err, ChError::InvalidAmount(_)));
    let err = p.remove_margin(ALICE, U256::ONE).unwrap_err();
    assert!(matches!(*err, ChError::InvalidAmount(_)));
    // An amount whose signed form overflows.
    let err = p.add_margin(ALICE, U256::MAX).unwrap_err();
    assert!(matches!(*err, ChError::Math(_)));
    assert_eq!(p.snapshot(&[ALICE, DAVE]), before);
}

// -------------------------------------------------------------- liquidation

/// Alice long 1000 × 10; Bob shorts `push` 1× and 15 minutes pass (the TWAP
/// catches up with the spot price).
fn setup_alice_under_water(push: u64) -> Perp {
    let p = setup(Config::mechanics());
    p.open(ALICE, BUY, wad(1_000), wad(10), U256::ZERO).unwrap();
    p.next();
    p.open(BOB, SELL, wad(push), E18, U256::ZERO).unwrap();
    p.advance(100, 12);
    p
}

#[test]
fn a_healthy_position_is_not_liquidatable() {
    let p = setup_alice_under_water(5_000);
    let before = p.snapshot(&[ALICE, KEEPER]);
    let err = p.liquidate(KEEPER, ALICE).unwrap_err();
    let ChError::NotLiquidatable(ClearingHouseNotLiquidatable {
        marginRatio,
        maintenanceMarginRatio,
    }) = *err
    else {
        panic!("{err:?}")
    };
    assert_eq!(marginRatio, p.margin_ratio(ALICE));
    assert!(marginRatio >= int(maintenanceMarginRatio));
    let err = p.liquidate(KEEPER, DAVE).unwrap_err();
    assert!(matches!(*err, ChError::NoPosition(_)));
    assert_eq!(p.snapshot(&[ALICE, KEEPER]), before);
}

#[test]
fn a_partial_liquidation_closes_a_quarter_and_splits_the_penalty() {
    // Spot ratio ≈ 4.4%: below maintenance (6.25%), above the fee ratio (2.5%).
    let p = setup_alice_under_water(30_000);
    let (size, margin, open_notional, _, _) = p.position(ALICE);
    let reserves = p.reserves();
    let notional = output_price(true, size.unsigned_abs(), reserves);
    let pnl = int(notional) - int(open_notional);
    let ratio = (int(margin) + pnl) * int(E18) / int(notional);
    assert!(ratio < int(p.cfg.mmr) && ratio > int(p.cfg.lfr));
    let base = mul_d(size.unsigned_abs(), p.cfg.plr);
    let quote = output_price(true, base, reserves);
    // ⌊pnl · base / size⌋ toward −∞ for a loss.
    let realized =
        (pnl * int(base) - int(size.unsigned_abs()) + I256::ONE) / int(size.unsigned_abs());
    let penalty = mul_d(quote, p.cfg.lfr);
    let fee = penalty / U256::from(2);
    let keeper_before = p.balance(KEEPER);
    let fund_before = p.insurance();
    p.liquidate(KEEPER, ALICE).unwrap();
    let (size2, margin2, _, _, _) = p.position(ALICE);
    assert_eq!(size2, size - int(base));
    assert_eq!(int(margin2), int(margin) + realized - int(penalty));
    assert_eq!(p.balance(KEEPER) - keeper_before, fee / p.scale() * p.scale());
    assert_eq!(p.insurance() - fund_before, penalty - fee + fee % p.scale());
    let (_, block) = p.now.get();
    p.ch.assert_emitted(&RestrictionModeEntered {
        amm: p.amm.address(),
        blockNumber: U256::from(block),
    });
    p.ch.assert_emitted(&PositionLiquidated {
        trader: ALICE,
        amm: p.amm.address(),
        positionNotional: quote,
        positionSize: base,
        liquidationFee: fee,
        liquidator: KEEPER,
        badDebt: U256::ZERO,
    });
}

#[test]
fn a_full_liquidation_pays_the_keeper_and_the_rest_to_the_fund() {
    // Spot ratio ≈ 1.45% < 2.5%: full; what is left (≈133) covers the fee (≈114).
    let p = setup_alice_under_water(45_000);
    let (size, margin, open_notional, _, _) = p.position(ALICE);
    let quote = output_price(true, size.unsigned_abs(), p.reserves());
    let left = margin + quote - open_notional;
    let fee = mul_d(quote, p.cfg.lfr) / U256::from(2);
    assert!(left > fee);
    let keeper_before = p.balance(KEEPER);
    let fund_before = p.insurance();
    p.liquidate(KEEPER, ALICE).unwrap();
    assert_eq!(p.position(ALICE).0, I256::ZERO);
    assert_eq!(p.balance(KEEPER) - keeper_before, fee / p.scale() * p.scale());
    assert_eq!(p.insurance() - fund_before, left - fee + fee % p.scale());
}

#[test]
fn bad_debt_is_realised_only_by_a_backstop_and_paid_by_the_fund() {
    // Spot ratio ≈ −0.6%: the position owes more than its margin.
    let p = setup_alice_under_water(55_000);
    let (size, margin, open_notional, _, _) = p.position(ALICE);
    let quote = output_price(true, size.unsigned_abs(), p.reserves());
    let bad_debt = open_notional - quote - margin;
    let fee = mul_d(quote, p.cfg.lfr) / U256::from(2);
    let before = p.snapshot(&[ALICE, KEEPER]);
    let err = p.liquidate(KEEPER, ALICE).unwrap_err();
    let ChError::NotBackstopLiquidator(ClearingHouseNotBackstopLiquidator { liquidator, badDebt }) =
        *err
    else {
        panic!("{err:?}")
    };
    assert_eq!((liquidator, badDebt), (KEEPER, bad_debt + fee));
    assert_eq!(p.snapshot(&[ALICE, KEEPER]), before);
    p.ch.sender(OWNER).set_backstop_liquidator(BACKSTOP, true).unwrap();
    assert!(p.ch.sender(OWNER).is_backstop_liquidator(BACKSTOP));
    let fund_before = p.insurance();
    let backstop_before = p.balance(BACKSTOP);
    p.liquidate(BACKSTOP, ALICE).unwrap();
    assert_eq!(fund_before - p.insurance(), bad_debt + fee - fee % p.scale());
    assert_eq!(p.balance(BACKSTOP) - backstop_before, fee / p.scale() * p.scale());
    p.ch.assert_emitted(&PositionLiquidated {
        trader: ALICE,
        amm: p.amm.address(),
        positionNotional: quote,
        positionSize: size.unsigned_abs(),
        liquidationFee: fee,
        liquidator: BACKSTOP,
        badDebt: fee,
    });
}

#[test]
fn a_trader_cannot_close_into_bad_debt() {
    // Spot ratio ≈ −0.6%: closing would realise more loss than the margin; only a
    // backstop's liquidation may realise bad debt.
    let p = setup_alice_under_water(55_000);
    let (size, margin, open_notional, _, _) = p.position(ALICE);
    let quote = output_price(true, size.unsigned_abs(), p.reserves());
    let before = p.snapshot(&[ALICE]);
    let err = p.close(ALICE, U256::ZERO).unwrap_err();
    let ChError::BadDebt(ClearingHouseBadDebt { badDebt }) = *err else { panic!("{err:?}") };
    assert_eq!(badDebt, open_notional - quote - margin);
    assert_eq!(p.snapshot(&[ALICE]), before);
}

#[test]
fn a_liquidation_the_fund_cannot_cover_is_blocked() {
    let p = setup_alice_under_water(55_000);
    p.ch.sender(OWNER).set_backstop_liquidator(BACKSTOP, true).unwrap();
    // The owner withdraws the fund down to 1 token.
    p.vault.sender(OWNER).withdraw_insurance(wad(4_999), OWNER).unwrap();
    let before = p.snapshot(&[ALICE, BACKSTOP]);
    let err = p.liquidate(BACKSTOP, ALICE).unwrap_err();
    let e: VaultInsufficientInsurance = external(&err);
    assert_eq!(e.available, wad(1));
    assert!(e.requested > wad(1));
    assert_eq!(p.snapshot(&[ALICE, BACKSTOP]), before);
}

#[test]
fn a_liquidation_restricts_the_market_for_the_rest_of_the_block() {
    let p = setup_alice_under_water(30_000);
    // Carol acted in this block before the liquidation.
    p.open(CAROL, BUY, wad(10), E18, U256::ZERO).unwrap();
    p.liquidate(KEEPER, ALICE).unwrap();
    let (_, block) = p.now.get();
    let before = p.snapshot(&[ALICE, CAROL]);
    for err in [
        p.open(CAROL, BUY, wad(10), E18, U256::ZERO).unwrap_err(),
        p.close(CAROL, U256::ZERO).unwrap_err(),
        p.add_margin(ALICE, wad(10)).unwrap_err(),
        p.partial_close(ALICE, milli(500), U256::ZERO).unwrap_err(),
    ] {
        assert!(
            matches!(*err, ChError::RestrictionMode(ClearingHouseRestrictionMode { blockNumber, .. })
            if blockNumber == U256::from(block))
        );
    }
    assert_eq!(p.snapshot(&[ALICE, CAROL]), before);
    // Dave did not act this block yet; everyone is free again next block.
    p.open(DAVE, BUY, wad(10), E18, U256::ZERO).unwrap();
    p.next();
    p.close(CAROL, U256::ZERO).unwrap();
    p.add_margin(ALICE, wad(10)).unwrap();
}

/// The engine's margin figures of Alice: `(maxPnlRatio (better of SPOT/TWAP), SPOT
/// ratio, liquidation ratio)`.
fn ratios(p: &Perp, who: alloy_primitives::Address) -> (I256, I256, I256) {
    let (size, margin, open_notional, last_cpf, _) = p.position(who);
    let cpf = p.ch.sender(OWNER).get_latest_cumulative_premium_fraction(p.amm.address());
    let (max, _, liquidation, spot, _) = p
        .engine
        .sender(OWNER)
        .get_margin_ratios(
            p.amm.address(),
            size,
            margin,
            open_notional,
            last_cpf,
            cpf,
            p.cfg.imr,
            p.cfg.lfr,
            p.cfg.spread_limit,
        )
        .unwrap();
    (max, spot, liquidation)
}

#[test]
fn the_twap_protects_a_position_from_partial_but_not_from_full_liquidation() {
    // Alice long 1000 × 10; the TWAP settles; Bob's shorts then move the mark fast.
    let p = setup(Config::mechanics());
    p.open(ALICE, BUY, wad(1_000), wad(10), U256::ZERO).unwrap();
    p.advance(100, 12);
    // SPOT ratio ≈ 4.4%: below maintenance (6.25%) but above the fee ratio (2.5%).
    // The 15-minute TWAP has seen the new price for 12 s: it protects her (spec).
    p.open(BOB, SELL, wad(30_000), E18, U256::ZERO).unwrap();
    p.next();
    let (max, spot, liquidation) = ratios(&p, ALICE);
    assert!(spot < int(p.cfg.mmr) && spot > int(p.cfg.lfr), "{spot}");
    assert!(max >= int(p.cfg.mmr) && liquidation == max);
    let before = p.snapshot(&[ALICE, KEEPER]);
    let err = p.liquidate(KEEPER, ALICE).unwrap_err();
    assert!(
        matches!(*err, ChError::NotLiquidatable(ClearingHouseNotLiquidatable { marginRatio, .. }) if marginRatio == max)
    );
    assert_eq!(p.snapshot(&[ALICE, KEEPER]), before);
    // SPOT ratio ≈ 1.4%, below the fee ratio: a liquidation would close her in full
    // and she is a block's move from bankruptcy — the TWAP no longer protects her
    // (a deviation from the spec's "max of SPOT and TWAP", see the engine's docs).
    p.open(BOB, SELL, wad(15_000), E18, U256::ZERO).unwrap();
    p.next();
    let (max, spot, liquidation) = ratios(&p, ALICE);
    assert!(spot < int(p.cfg.lfr) && spot.is_positive(), "{spot}");
    assert!(max >= int(p.cfg.mmr), "the TWAP alone would protect her ({max})");
    assert_eq!(liquidation, spot);
    assert_eq!(p.margin_ratio(ALICE), spot);
    // Growing such a position is refused for the same reason…
    let err = p.open(ALICE, BUY, wad(10), E18, U256::ZERO).unwrap_err();
    assert!(matches!(*err, ChError::InsufficientMargin(_)), "{err:?}");
    // …and the keeper liquidates it in full; what is left covers its fee: no bad debt.
    let (size, margin, open_notional, _, _) = p.position(ALICE);
    let quote = output_price(true, size.unsigned_abs(), p.reserves());
    let left = margin + quote - open_notional;
    let fee = mul_d(quote, p.cfg.lfr) / U256::from(2);
    assert!(left > fee);
    let fund_before = p.insurance();
    p.liquidate(KEEPER, ALICE).unwrap();
    assert_eq!(p.position(ALICE).0, I256::ZERO);
    assert_eq!(p.insurance() - fund_before, left - fee + fee % p.scale());
}

#[test]
fn a_keepers_liquidation_runs_after_a_close_left_the_band() {
    let p = setup(Config::production());
    // Dave builds a long that no close can take back inside the band; Alice a 10×
    // long that Bob's shorts then push to a SPOT ratio of ~5%, one band per block;
    // the TWAP catches up: she is due a partial liquidation.
    for _ in 0..8 {
        p.open(DAVE, BUY, wad(500), wad(10), U256::ZERO).unwrap();
        p.next();
    }
    p.open(ALICE, BUY, wad(300), wad(10), U256::ZERO).unwrap();
    p.advance(100, 12);
    while ratios(&p, ALICE).1 > int(milli(55)) {
        p.open(BOB, SELL, wad(1_000), E18, U256::ZERO).unwrap();
        p.next();
    }
    p.advance(100, 12);
    assert!(p.margin_ratio(ALICE) < int(p.cfg.mmr));
    // First in the block, Dave's close leaves the band (a quarter of his long is
    // sold); no voluntary trade runs after it…
    let dave = p.size(DAVE);
    p.close(DAVE, U256::ZERO).unwrap();
    assert!(p.size(DAVE) > I256::ZERO && p.size(DAVE) < dave);
    let before = p.snapshot(&[ALICE, BOB, KEEPER]);
    let err = p.open(BOB, SELL, wad(1), E18, U256::ZERO).unwrap_err();
    let e: VammAlreadyOverFluctuationLimit = external(&err);
    assert_eq!(e.price, p.spot());
    assert_eq!(p.snapshot(&[ALICE, BOB, KEEPER]), before);
    // …but the keeper's liquidation of Alice does (Perp v1 reverted it), outside
    // the band too.
    p.liquidate(KEEPER, ALICE).unwrap();
    assert!(p.spot() < e.lowerLimit);
    let (size, quarter) =
        (before.positions[0].0, mul_d(before.positions[0].0.unsigned_abs(), p.cfg.plr));
    assert_eq!(p.size(ALICE), size - int(quarter), "a partial liquidation");
    // Voluntary trades stay shut for the rest of the block.
    let err = p.open(BOB, SELL, wad(1), E18, U256::ZERO).unwrap_err();
    let _: VammAlreadyOverFluctuationLimit = external(&err);
}

#[test]
fn the_index_protects_a_position_when_the_mark_strays_beyond_the_spread_limit() {
    // The mark drops ~10.7%; the index stays at 10: Alice is healthy by the oracle.
    let p = setup_alice_under_water(65_000);
    p.set_index(wad(10));
    let spot = p.spot();
    assert!(spot < milli(9_000));
    let ratio = p.margin_ratio(ALICE);
    assert!(ratio >= int(p.cfg.mmr), "oracle ratio {ratio}");
    let err = p.liquidate(KEEPER, ALICE).unwrap_err();
    assert!(matches!(*err, ChError::NotLiquidatable(_)));
    // With the index down as well, the mark decides again.
    p.set_index(spot);
    assert!(p.margin_ratio(ALICE) < int(p.cfg.mmr));
}

// ------------------------------------------------------------------ funding

#[test]
fn funding_before_its_time_bubbles_the_vamm_error() {
    let p = setup(Config::mechanics());
    let err = p.pay_funding().unwrap_err();
    let e: VammFundingTooEarly = external(&err);
    assert_eq!(e.nextFundingTime, U256::from(T0 + 3_600));
}

#[test]
fn funding_over_several_periods_in_both_signs_settles_lazily() {
    let mut cfg = Config::mechanics();
    cfg.max_funding_rate = milli(100);
    let p = setup(cfg);
    p.open(ALICE, BUY, wad(1_000), wad(5), U256::ZERO).unwrap();
    p.open(BOB, SELL, wad(1_000), wad(2), U256::ZERO).unwrap();
    let (alice_size, bob_size) = (p.size(ALICE), p.size(BOB));
    let net = alice_size + bob_size;
    let mut cpf = I256::ZERO;
    let mut fund = p.insurance();
    // Index 9.9 (mark above: longs pay), then 10.2 (shorts pay), then 100 (capped).
    for index in [milli(9_900), milli(10_200), wad(100)] {
        p.set_index(index);
        let next = p.amm.sender(OWNER).get_config().10;
        let (_, block) = p.now.get();
        p.warp(next, block + 1);
        let mark = p.amm.sender(OWNER).get_twap_price(U256::from(3_600)).unwrap();
        let premium = int(mark) - int(index);
        let mut fraction =
            premium * I256::try_from(3_600).unwrap() / I256::try_from(86_400).unwrap();
        let cap =
            int(mul_d(mul_d(milli(100), index), E18) * U256::from(3_600) / U256::from(86_400));
        fraction = fraction.clamp(-cap, cap);
        p.pay_funding().unwrap();
        cpf += fraction;
        assert_eq!(p.ch.sender(OWNER).get_latest_cumulative_premium_fraction(p.amm.address()), cpf);
        // The fund takes ⌊fraction · Σsize⌋ (toward −∞).
        let share = fraction * net;
        let share = if share.is_negative() && share % int(E18) != I256::ZERO {
            share / int(E18) - I256::ONE
        } else {
            share / int(E18)
        };
        assert_eq!(int(p.insurance()) - int(fund), share);
        fund = p.insurance();
    }
    // Lazily: Alice pays ⌈cpf · size⌉, Bob ⌈cpf · size⌉ (negative: receives).
    let owed = |size: I256| {
        let x = cpf * size;
        if x.is_positive() && x % int(E18) != I256::ZERO {
            x / int(E18) + I256::ONE
        } else {
            x / int(E18)
        }
    };
    assert_eq!(p.with_funding(ALICE).3, owed(alice_size));
    assert_eq!(p.with_funding(BOB).3, owed(bob_size));
    // Removing margin settles it.
    p.remove_margin(ALICE, wad(1)).unwrap();
    assert_eq!(int(p.margin(ALICE)), int(wad(999)) - owed(alice_size));
}

// ------------------------------------------------------------------- owner

#[test]
fn pause_stops_every_action_until_resumed() {
    let p = setup(Config::mechanics());
    p.open(ALICE, BUY, wad(1_000), wad(10), U256::ZERO).unwrap();
    p.ch.sender(OWNER).set_paused(true).unwrap();
    assert!(p.ch.sender(OWNER).get_state().2);
    p.advance(400, 12);
    let before = p.snapshot(&[ALICE, BOB]);
    for err in [
        p.open(BOB, BUY, wad(1), E18, U256::ZERO).unwrap_err(),
        p.close(ALICE, U256::ZERO).unwrap_err(),
        p.partial_close(ALICE, milli(500), U256::ZERO).unwrap_err(),
        p.add_margin(ALICE, wad(1)).unwrap_err(),
        p.remove_margin(ALICE, wad(1)).unwrap_err(),
        p.liquidate(KEEPER, ALICE).unwrap_err(),
        p.pay_funding().unwrap_err(),
    ] {
        assert!(matches!(*err, ChError::Paused(_)));
    }
    assert_eq!(p.snapshot(&[ALICE, BOB]), before);
    assert!(matches!(
        *p.ch.sender(ALICE).set_paused(false).motsu_res().unwrap_err(),
        ChError::Unauthorized(_)
    ));
    p.ch.sender(OWNER).set_paused(false).unwrap();
    p.close(ALICE, U256::ZERO).unwrap();
}

#[test]
fn a_keeper_cannot_use_the_engine_directly() {
    let p = setup(Config::mechanics());
    let Err(err) = p
        .engine
        .sender(ALICE)
        .close_position(
            p.amm.address(),
            I256::ONE,
            wad(1),
            wad(1),
            I256::ZERO,
            I256::ZERO,
            E18,
            U256::ZERO,
            U256::ZERO,
        )
        .motsu_res()
    else {
        panic!("a keeper closed a position through the engine")
    };
    assert!(matches!(*err, clearing_house_engine::Error::OnlyClearingHouse(_)));
    let err = p.engine.sender(ALICE).settle_funding(p.amm.address()).motsu_res().unwrap_err();
    assert!(matches!(*err, clearing_house_engine::Error::OnlyClearingHouse(_)));
}
