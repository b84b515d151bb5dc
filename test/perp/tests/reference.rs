//! The spec's public reference values, to the wei, and the Perp v1 test suite
//! they come from (`test/integration/clearingHouse/ClearingHouseTest.ts`,
//! "payFunding: when alice.size = 37.5 & bob.size = -187.5").
//!
//! v1's `fullDeploy`: a USDT-like 6-decimal quote token, an AMM with
//! Q = 1000, B = 100, a 1-day funding period and no fluctuation limit, margin
//! ratios of 5%, 5,000 tokens in the insurance fund. Alice opens 2× long with
//! 300 (37.5 base), Bob 1× short with 1200 (−187.5 base): reserves 400/250,
//! mark 1.6. With the index TWAP at 1.59 the premium fraction over the 1-day
//! period is exactly 0.01.
#![allow(
    missing_docs,
    clippy::pedantic,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use alloy_primitives::{uint, I256, U256};
use clearing_house::{FundingPaid, PositionChanged};
use common::*;
use vamm::{DIR_ADD, DIR_REMOVE};

#[test]
fn vamm_prices_match_the_public_reference_values() {
    let p = Perp::deploy(Config::perp_v1());
    let amm = p.amm.sender(OWNER);
    assert_eq!(amm.get_input_price(DIR_ADD, wad(50)).unwrap(), uint!(4761904761904761904_U256));
    assert_eq!(amm.get_input_price(DIR_REMOVE, wad(50)).unwrap(), uint!(5263157894736842106_U256));
    assert_eq!(amm.get_output_price(DIR_ADD, wad(5)).unwrap(), uint!(47619047619047619047_U256));
    assert_eq!(amm.get_output_price(DIR_REMOVE, wad(5)).unwrap(), uint!(52631578947368421053_U256));
}

/// Alice +37.5, Bob −187.5 in the deployment block (one reserve snapshot at 1.6).
fn setup_alice_and_bob() -> Perp {
    let p = Perp::deploy(Config::perp_v1());
    for who in [ALICE, BOB] {
        p.fund(who, 5_000);
    }
    p.open(ALICE, BUY, wad(300), wad(2), milli(37_500)).unwrap();
    p.open(BOB, SELL, wad(1_200), wad(1), milli(187_500)).unwrap();
    p
}

/// v1 `gotoNextFundingTime` + `payFunding`, the next block.
fn pay_funding_next_period(p: &Perp) {
    let next = p.amm.sender(OWNER).get_config().10;
    let (_, block) = p.now.get();
    p.warp(next, block + 1);
    p.pay_funding().unwrap();
}

#[test]
fn setup_positions_match_the_reference() {
    let p = setup_alice_and_bob();
    assert_eq!(p.reserves(), (wad(400), wad(250)));
    assert_eq!(p.spot(), milli(1_600));
    assert_eq!(p.position(ALICE).0, int(milli(37_500)));
    assert_eq!(p.position(BOB).0, -int(milli(187_500)));
    // 300 (alice's margin) + 1200 (bob's margin) = 1500.
    assert_eq!(p.books(), (wad(1_500), wad(5_000), U256::ZERO));
    assert_eq!(p.vault_tokens(), wad(6_500));
}

#[test]
fn funding_example_matches_the_public_reference() {
    let p = setup_alice_and_bob();
    p.set_index(milli(1_590));
    pay_funding_next_period(&p);
    let cpf = p.ch.sender(OWNER).get_latest_cumulative_premium_fraction(p.amm.address());
    assert_eq!(cpf, int(milli(10)));
    // Alice pays 1% of 37.5: 300 → 299.625; Bob receives 1% of 187.5: 1200 → 1201.875.
    assert_eq!(
        p.with_funding(ALICE),
        (int(milli(37_500)), milli(299_625), U256::ZERO, int(milli(375)))
    );
    assert_eq!(
        p.with_funding(BOB),
        (-int(milli(187_500)), milli(1_201_875), U256::ZERO, -int(milli(1_875)))
    );
    // The insurance fund pays the net 1.5 into the margin pool: 1500 + 1.5, 5000 − 1.5.
    assert_eq!(p.books(), (milli(1_501_500), milli(4_998_500), U256::ZERO));
    assert_eq!(p.vault_tokens(), wad(6_500));
    p.ch.assert_emitted(&FundingPaid {
        amm: p.amm.address(),
        premiumFraction: int(milli(10)),
        cumulativePremiumFraction: int(milli(10)),
        insuranceFundPayment: -int(milli(1_500)),
    });
}

#[test]
fn the_same_funding_twice_costs_the_fund_twice() {
    let p = setup_alice_and_bob();
    p.set_index(milli(1_590));
    pay_funding_next_period(&p);
    pay_funding_next_period(&p);
    assert_eq!(p.books(), (wad(1_503), wad(4_997), U256::ZERO));
}

#[test]
fn funding_one_then_one_then_minus_one_percent() {
    let p = setup_alice_and_bob();
    let cpf = |p: &Perp| p.ch.sender(OWNER).get_latest_cumulative_premium_fraction(p.amm.address());
    p.set_index(milli(1_590));
    pay_funding_next_period(&p);
    assert_eq!((cpf(&p), p.with_funding(ALICE).1), (int(milli(10)), milli(299_625)));
    pay_funding_next_period(&p);
    assert_eq!((cpf(&p), p.with_funding(ALICE).1), (int(milli(20)), milli(299_250)));
    p.set_index(milli(1_610));
    pay_funding_next_period(&p);
    assert_eq!((cpf(&p), p.with_funding(ALICE).1), (int(milli(10)), milli(299_625)));
}

#[test]
fn funding_one_then_minus_one_then_minus_one_percent() {
    let p = setup_alice_and_bob();
    let cpf = |p: &Perp| p.ch.sender(OWNER).get_latest_cumulative_premium_fraction(p.amm.address());
    p.set_index(milli(1_590));
    pay_funding_next_period(&p);
    assert_eq!((cpf(&p), p.with_funding(ALICE).1), (int(milli(10)), milli(299_625)));
    p.set_index(milli(1_610));
    pay_funding_next_period(&p);
    assert_eq!((cpf(&p), p.with_funding(ALICE).1), (I256::ZERO, wad(300)));
    pay_funding_next_period(&p);
    assert_eq!((cpf(&p), p.with_funding(ALICE).1), (-int(milli(10)), milli(300_375)));
}

#[test]
fn zero_funding_changes_nothing() {
    let p = setup_alice_and_bob();
    p.set_index(milli(1_600));
    pay_funding_next_period(&p);
    assert_eq!(
        p.ch.sender(OWNER).get_latest_cumulative_premium_fraction(p.amm.address()),
        I256::ZERO
    );
    assert_eq!(p.with_funding(ALICE).1, wad(300));
    assert_eq!(p.with_funding(BOB).1, wad(1_200));
    assert_eq!(p.books(), (wad(1_500), wad(5_000), U256::ZERO));
}

#[test]
fn huge_funding_profit_can_be_withdrawn_beyond_the_initial_margin() {
    // Index 21.6: premium −20, Alice receives 20 × 37.5 = 750 → margin 1050.
    let p = setup_alice_and_bob();
    p.set_index(milli(21_600));
    pay_funding_next_period(&p);
    assert_eq!(p.with_funding(ALICE).1, wad(1_050));
    // Bob owes 3750 on 1200: the fund took what the pool held; Bob is in bad debt.
    assert_eq!(p.with_funding(BOB), (-int(milli(187_500)), U256::ZERO, wad(2_550), swad(3_750)));
    assert_eq!(p.books(), (U256::ZERO, wad(6_500), U256::ZERO));
    // The 400 Alice may withdraw is backed only once Bob's bad debt is covered.
    p.ch.sender(OWNER).set_backstop_liquidator(BACKSTOP, true).unwrap();
    p.liquidate(BACKSTOP, BOB).unwrap();
    let before = p.balance(ALICE);
    p.advance(1, 1);
    p.remove_margin(ALICE, wad(400)).unwrap();
    assert_eq!(p.balance(ALICE) - before, wad(400));
    assert_eq!(p.with_funding(ALICE).1, wad(650));
}

#[test]
fn huge_funding_loss_is_liquidated_by_a_backstop_with_the_reference_bad_debt() {
    let p = setup_alice_and_bob();
    p.ch.sender(OWNER).set_backstop_liquidator(BACKSTOP, true).unwrap();
    p.set_index(milli(21_600));
    pay_funding_next_period(&p);
    // funding payment: −187.5 × −20 = 3750 on a 1200 margin: bad debt 2550.
    assert_eq!(p.with_funding(BOB).1, U256::ZERO);
    p.liquidate(BACKSTOP, BOB).unwrap();
    p.ch.assert_emitted(&PositionChanged {
        trader: BOB,
        amm: p.amm.address(),
        margin: U256::ZERO,
        positionNotional: wad(1_200),
        exchangedPositionSize: int(milli(187_500)),
        fee: U256::ZERO,
        positionSizeAfter: I256::ZERO,
        realizedPnl: I256::ZERO,
        unrealizedPnlAfter: I256::ZERO,
        badDebt: wad(2_550),
        liquidationPenalty: wad(1_200),
        spotPrice: uint!(25_600_000_000_000_000_000_U256),
        fundingPayment: swad(3_750),
    });
}

#[test]
fn adding_margin_reduces_the_bad_debt_a_liquidation_realises() {
    let p = setup_alice_and_bob();
    p.ch.sender(OWNER).set_backstop_liquidator(BACKSTOP, true).unwrap();
    p.set_index(milli(21_600));
    pay_funding_next_period(&p);
    // Margin can be added but shows 0 until it exceeds the bad debt.
    p.add_margin(BOB, wad(10)).unwrap();
    assert_eq!(p.with_funding(BOB), (-int(milli(187_500)), U256::ZERO, wad(2_540), swad(3_750)));
    p.advance(1, 1);
    p.liquidate(BACKSTOP, BOB).unwrap();
    // badDebt 2550 − 10 margin = 2540.
    p.ch.assert_emitted(&PositionChanged {
        trader: BOB,
        amm: p.amm.address(),
        margin: U256::ZERO,
        positionNotional: wad(1_200),
        exchangedPositionSize: int(milli(187_500)),
        fee: U256::ZERO,
        positionSizeAfter: I256::ZERO,
        realizedPnl: I256::ZERO,
        unrealizedPnlAfter: I256::ZERO,
        badDebt: wad(2_540),
        liquidationPenalty: wad(1_210),
        spotPrice: uint!(25_600_000_000_000_000_000_U256),
        fundingPayment: swad(3_750),
    });
    assert_eq!(p.size(BOB), I256::ZERO);
}

#[test]
fn a_position_in_bad_debt_cannot_remove_margin() {
    let p = setup_alice_and_bob();
    p.set_index(milli(21_600));
    pay_funding_next_period(&p);
    let before = p.snapshot(&[BOB]);
    let err = p.remove_margin(BOB, wad(1)).unwrap_err();
    assert!(matches!(*err, clearing_house::Error::InsufficientFreeCollateral(_)));
    assert_eq!(p.snapshot(&[BOB]), before);
}

/// The README's worked trade: the v1 deployment with a 0.1% toll and a 0.1%
/// spread. Alice opens 5× long with 100, Bob 1× long with 300, Alice closes in
/// profit, Bob closes at a loss; every figure of the README, to the wei.
#[test]
fn readme_worked_trade() {
    let cfg = Config { toll: milli(1), spread: milli(1), ..Config::perp_v1() };
    let p = Perp::deploy(cfg);
    for who in [ALICE, BOB] {
        p.fund(who, 1_000);
    }
    let w = |x: u128| U256::from(x);
    // Alice: 100 × 5 = 500 of notional buys 100 − 100000/1500 = 33.33… base
    // (1 wei less: the 1-wei rule); she pays 100 + 0.5 toll + 0.5 spread.
    p.open(ALICE, BUY, wad(100), wad(5), U256::ZERO).unwrap();
    assert_eq!(p.reserves(), (wad(1_500), w(66_666_666_666_666_666_667)));
    assert_eq!(p.position(ALICE).0, int(w(33_333_333_333_333_333_333)));
    assert_eq!(p.balance(ALICE), wad(899));
    assert_eq!(p.spot(), w(22_499_999_999_999_999_999));
    p.next();
    // Bob: 300 × 1 buys 11.11… base at a higher price.
    p.open(BOB, BUY, wad(300), E18, U256::ZERO).unwrap();
    assert_eq!(p.reserves(), (wad(1_800), w(55_555_555_555_555_555_556)));
    assert_eq!(p.position(BOB).0, int(w(11_111_111_111_111_111_111)));
    assert_eq!(p.balance(BOB), milli(699_400));
    assert_eq!(p.books(), (wad(400), milli(5_000_800), milli(800)));
    p.next();
    // Alice sells her 33.33… base for 674.99…992: realised PnL +174.99…992; she is
    // paid margin + PnL − 0.675 toll − 0.675 spread, floored to 6 decimals.
    p.close(ALICE, U256::ZERO).unwrap();
    let pnl = w(174_999_999_999_999_999_992);
    p.ch.assert_emitted(&PositionChanged {
        trader: ALICE,
        amm: p.amm.address(),
        margin: U256::ZERO,
        positionNotional: w(674_999_999_999_999_999_992),
        exchangedPositionSize: -int(w(33_333_333_333_333_333_333)),
        fee: milli(1_350) - w(2),
        positionSizeAfter: I256::ZERO,
        realizedPnl: int(pnl),
        unrealizedPnlAfter: I256::ZERO,
        badDebt: U256::ZERO,
        liquidationPenalty: U256::ZERO,
        spotPrice: w(12_656_250_000_000_000_000),
        fundingPayment: I256::ZERO,
    });
    assert_eq!(p.reserves(), (w(1_125_000_000_000_000_000_008), w(88_888_888_888_888_888_889)));
    assert_eq!(p.balance(ALICE), w(1_172_649_999_000_000_000_000));
    // Bob sells his 11.11… base for 124.99…999 (PnL −175.00…001) and gets his
    // margin minus the loss and 0.125 + 0.125 of fees: 124.75.
    p.next();
    p.close(BOB, U256::ZERO).unwrap();
    assert_eq!(p.balance(BOB), milli(824_150));
    // Back to the start, up to the k-keeping wei; the margin pool is empty (its
    // rounding dust swept), the fund kept the spreads and the dust.
    assert_eq!(p.reserves(), (w(1_000_000_000_000_000_000_009), wad(100)));
    assert_eq!(
        p.books(),
        (U256::ZERO, w(5_001_600_001_000_000_000_002), w(1_599_999_999_999_999_998))
    );
    p.vault.sender(FEES).claim_fees().unwrap();
    assert_eq!(p.balance(FEES), w(1_599_999_000_000_000_000));
    // Tokens: 2,000 + 5,000 in; 1,172.649999 + 824.15 + 1.599999 out; 5,001.600002 held.
    assert_eq!(p.vault_tokens(), w(5_001_600_002_000_000_000_000));
}
