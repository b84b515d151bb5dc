//! Attack regressions on `power-oracle`, seen through the valuer that feeds
//! `weight-strategy`: a compromised reporter cannot jump a price, cannot
//! walk it faster than the interval allows, and a stale price stops
//! valuation instead of being used.
// Test code: indexing, unwraps and arithmetic on small test values are fine here.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    missing_docs
)]

use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::SolError;
use mock_erc20::MockErc20;
use motsu::prelude::*;
use power_oracle::{
    Error, PowerOracle, PowerOracleDeviationExceeded, PowerOracleStale,
    PowerOracleTwapHistoryTooShort, KIND_PRICE,
};
use weight_valuer::{WeightValuer, WeightValuerOracleCallFailed, KIND_MCAP};

const E18: u128 = 1_000_000_000_000_000_000;
/// motsu's fixed block timestamp: what the valuer's oracle calls see.
const NOW: u64 = 1_735_689_600;
const INTERVAL: u64 = 60;
/// 10% in WAD.
const MAX_DEV: u128 = 100_000_000_000_000_000;
const MAX_AGE: u64 = 3_600;

fn w(x: u128) -> U256 {
    U256::from(x)
}

fn setup_oracle(oracle: &Contract<PowerOracle>, owner: Address, reporter: Address) {
    oracle.sender(owner).constructor(owner, INTERVAL, w(MAX_DEV), MAX_AGE, MAX_AGE).unwrap();
    oracle.sender(owner).set_reporter(reporter, true).unwrap();
}

/// Two tokens of equal market cap ($100 · 1,000) valued by an MCAP valuer
/// with a 30-minute TWAP; prices first reported an hour before `NOW − 10 min`.
fn setup_index(
    oracle: &Contract<PowerOracle>,
    valuer: &Contract<WeightValuer>,
    a: &Contract<MockErc20>,
    b: &Contract<MockErc20>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(oracle, owner, reporter);
    valuer.sender(owner).constructor(owner, oracle.address(), KIND_MCAP, 1_800).unwrap();
    for token in [a, b] {
        token.sender(owner).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
        token.sender(owner).mint(owner, w(1_000 * E18)).unwrap();
        valuer.sender(owner).set_mcap_source(token.address(), false, vec![]).unwrap();
    }
    oracle
        .sender(reporter)
        .report_prices_at(
            NOW - 3_000,
            reporter,
            &[a.address(), b.address()],
            &[w(100 * E18), w(100 * E18)],
        )
        .unwrap();
}

#[motsu::test]
fn a_report_beyond_max_deviation_is_rejected_and_targets_do_not_move(
    oracle: Contract<PowerOracle>,
    valuer: Contract<WeightValuer>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    owner: Address,
    reporter: Address,
) {
    setup_index(&oracle, &valuer, &a, &b, owner, reporter);
    let tokens = vec![a.address(), b.address()];
    let before = valuer.sender(owner).get_targets(tokens.clone()).unwrap();
    assert_eq!(before, vec![w(12_500_000_000_000_000_000), w(12_500_000_000_000_000_000)]);
    // A compromised reporter posts a 10x price for `a`.
    let spike = w(1_000 * E18);
    let err = oracle
        .sender(reporter)
        .report_prices_at(NOW - 600, reporter, &[a.address()], &[spike])
        .motsu_unwrap_err();
    assert_eq!(
        err,
        Error::DeviationExceeded(PowerOracleDeviationExceeded {
            kind: KIND_PRICE,
            asset: a.address(),
            last: w(100 * E18),
            reported: spike,
            maxDeviation: w(MAX_DEV),
        })
    );
    assert_eq!(
        oracle.sender(owner).get_price_with_time(a.address()).unwrap(),
        (w(100 * E18), U256::from(NOW - 3_000))
    );
    assert_eq!(valuer.sender(owner).get_targets(tokens).unwrap(), before);
}

#[motsu::test]
fn a_reporter_walking_the_price_is_throttled_by_interval_and_twap(
    oracle: Contract<PowerOracle>,
    valuer: Contract<WeightValuer>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    owner: Address,
    reporter: Address,
) {
    setup_index(&oracle, &valuer, &a, &b, owner, reporter);
    // +10% at every allowed moment for the last 10 minutes (11 reports, 60 s apart).
    let mut price = 100 * E18;
    let mut t = NOW - 600;
    while t <= NOW {
        price += price / 10;
        oracle
            .sender(reporter)
            .report_prices_at(t, reporter, &[a.address()], &[w(price)])
            .motsu_unwrap();
        // A second push inside the interval is refused.
        assert!(oracle
            .sender(reporter)
            .report_prices_at(t + 1, reporter, &[a.address()], &[w(price)])
            .motsu_unwrap_err()
            .eq(&Error::ReportTooSoon(power_oracle::PowerOracleReportTooSoon {
                kind: KIND_PRICE,
                asset: a.address(),
                nextAllowed: U256::from(t + INTERVAL),
            })));
        t += INTERVAL;
    }
    // Spot is 1.1^11 ≈ 2.85x, but the 30-minute TWAP the valuer uses is
    // dominated by the 20 minutes at $100: 20·100 + 60·(110 + 121 + … ) / 1800.
    let spot = oracle.sender(owner).get_price(a.address()).unwrap();
    let twap = oracle.sender(owner).get_twap(a.address(), w(1_800)).unwrap();
    let mut sum = U256::from(100 * E18) * U256::from(1_200u64);
    let mut p = 100 * E18;
    for _ in 0..10 {
        p += p / 10;
        sum += U256::from(p) * U256::from(INTERVAL);
    }
    assert_eq!(twap, sum / U256::from(1_800u64));
    assert!(twap * U256::from(2) < spot, "the TWAP lags a walked spot price by more than half");
}

#[motsu::test]
fn a_stale_price_reverts_reads_and_stops_valuation(
    oracle: Contract<PowerOracle>,
    valuer: Contract<WeightValuer>,
    a: Contract<MockErc20>,
    b: Contract<MockErc20>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    valuer.sender(owner).constructor(owner, oracle.address(), KIND_MCAP, 1_800).unwrap();
    for token in [&a, &b] {
        token.sender(owner).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
        token.sender(owner).mint(owner, w(E18)).unwrap();
        valuer.sender(owner).set_mcap_source(token.address(), false, vec![]).unwrap();
    }
    // `a` last reported 1 s more than MAX_AGE ago; `b` is fresh.
    let old = NOW - MAX_AGE - 1;
    oracle
        .sender(reporter)
        .report_prices_at(old - 1_800, reporter, &[a.address(), b.address()], &[w(E18), w(E18)])
        .unwrap();
    oracle.sender(reporter).report_prices_at(old, reporter, &[a.address()], &[w(E18)]).unwrap();
    oracle
        .sender(reporter)
        .report_prices_at(NOW - 10, reporter, &[b.address()], &[w(E18)])
        .unwrap();
    let stale = Error::Stale(PowerOracleStale {
        kind: KIND_PRICE,
        asset: a.address(),
        updatedAt: U256::from(old),
        maxAge: U256::from(MAX_AGE),
    });
    assert_eq!(oracle.sender(owner).get_price(a.address()).unwrap_err(), stale);
    assert_eq!(oracle.sender(owner).get_twap(a.address(), w(60)).unwrap_err(), stale);
    assert_eq!(
        valuer.sender(owner).get_targets(vec![a.address(), b.address()]).unwrap_err(),
        weight_valuer::Error::OracleCallFailed(WeightValuerOracleCallFailed {
            asset: a.address(),
            reason: FixedBytes(PowerOracleStale::SELECTOR),
        })
    );
    // A fresh report brings valuation back (after a window of history).
    oracle.sender(reporter).report_prices_at(NOW, reporter, &[a.address()], &[w(E18)]).unwrap();
    assert_eq!(oracle.sender(owner).get_price(a.address()).unwrap(), w(E18));
    assert!(valuer.sender(owner).get_targets(vec![a.address(), b.address()]).is_ok());
    assert!(matches!(
        oracle.sender(owner).get_twap(a.address(), U256::from(1_800 + MAX_AGE + 2)).unwrap_err(),
        Error::TwapHistoryTooShort(PowerOracleTwapHistoryTooShort { .. })
    ));
}
