//! Owner paths (markets, risk parameters, engine, k adjustment, ownership),
//! valuation views and the remaining named errors of the clearing house, its
//! engine and the vault, each with "bad input changes nothing".
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

use alloy_primitives::{address, I256, U256};
use clearing_house::{
    BackstopLiquidatorChanged, ClearingHouse, ClearingHouseEngineAlreadySet,
    ClearingHouseMarketAlreadyListed, ClearingHouseMarketNotEmpty, ClearingHouseNotAContract,
    EngineSet, Error as ChError, MarketListed, PauseChanged, RiskParametersChanged, PNL_ORACLE,
    PNL_SPOT, PNL_TWAP,
};
use clearing_house_engine::{
    ClearingHouseEngine, ClearingHouseEngineEmptyPosition, ClearingHouseEngineInvalidPnlOption,
    ClearingHouseEngineNotAContract, Error as EngineError,
};
use common::*;
use motsu::prelude::*;
use vamm::{VammInvalidMultiplier, VammOracleCallFailed};
use vault::{InsuranceTransferred, VaultInsuranceReserveRequired};

const NOBODY: alloy_primitives::Address = address!("0000000000000000000000000000000000000bad");

fn setup(cfg: Config) -> Perp {
    let p = Perp::deploy(cfg);
    for who in [ALICE, BOB] {
        p.fund(who, 1_000_000);
    }
    p.next();
    p
}

#[test]
fn markets_are_listed_once_and_removed_only_when_empty() {
    let p = setup(Config::mechanics());
    let amm = p.amm.address();
    p.ch.assert_emitted(&MarketListed { amm, listed: true });
    let err = p.ch.sender(OWNER).add_market(amm).motsu_res().unwrap_err();
    assert!(
        matches!(*err, ChError::MarketAlreadyListed(ClearingHouseMarketAlreadyListed { amm: a }) if a == amm)
    );
    let err = p.ch.sender(OWNER).add_market(NOBODY).motsu_res().unwrap_err();
    assert!(
        matches!(*err, ChError::NotAContract(ClearingHouseNotAContract { account }) if account == NOBODY)
    );
    p.open(ALICE, BUY, wad(100), E18, U256::ZERO).unwrap();
    let err = p.ch.sender(OWNER).remove_market(amm).motsu_res().unwrap_err();
    assert!(
        matches!(*err, ChError::MarketNotEmpty(ClearingHouseMarketNotEmpty { openPositions, .. }) if openPositions == U256::ONE)
    );
    assert!(p.ch.sender(OWNER).get_market(amm).0);
    p.next();
    p.close(ALICE, U256::ZERO).unwrap();
    p.ch.sender(OWNER).remove_market(amm).motsu_unwrap();
    p.ch.assert_emitted(&MarketListed { amm, listed: false });
    let err = p.open(ALICE, BUY, wad(100), E18, U256::ZERO).unwrap_err();
    assert!(matches!(*err, ChError::MarketNotListed(_)));
    let err = p.ch.sender(OWNER).remove_market(amm).motsu_res().unwrap_err();
    assert!(matches!(*err, ChError::MarketNotListed(_)));
    // Funding and k adjustment need a listed market too.
    assert!(matches!(*p.pay_funding().unwrap_err(), ChError::MarketNotListed(_)));
    let err = p.ch.sender(OWNER).adjust_k(amm, wad(2)).motsu_res().unwrap_err();
    assert!(matches!(*err, ChError::MarketNotListed(_)));
    p.ch.sender(OWNER).add_market(amm).motsu_unwrap();
    p.open(ALICE, BUY, wad(100), E18, U256::ZERO).unwrap();
}

#[test]
fn risk_parameters_are_validated_and_owner_only() {
    let p = setup(Config::mechanics());
    let (one, tenth, half) = (E18, milli(100), milli(500));
    let bad = [
        (tenth, U256::ZERO, U256::ZERO, U256::ZERO, U256::ZERO), // mmr = 0
        (tenth, half, U256::ZERO, U256::ZERO, U256::ZERO),       // mmr > imr
        (one + U256::ONE, half, U256::ZERO, U256::ZERO, U256::ZERO), // imr > 1
        (half, tenth, half, U256::ZERO, U256::ZERO),             // lfr > mmr
        (half, tenth, U256::ZERO, one + U256::ONE, U256::ZERO),  // plr > 1
        (half, tenth, U256::ZERO, U256::ZERO, one + U256::ONE),  // spread > 1
    ];
    for (imr, mmr, lfr, plr, spread) in bad {
        let err =
            p.ch.sender(OWNER)
                .set_risk_parameters(imr, mmr, lfr, plr, spread)
                .motsu_res()
                .unwrap_err();
        assert!(matches!(*err, ChError::InvalidRiskParameters(_)));
    }
    let err =
        p.ch.sender(ALICE)
            .set_risk_parameters(half, tenth, tenth, half, tenth)
            .motsu_res()
            .unwrap_err();
    assert!(matches!(*err, ChError::Unauthorized(_)));
    let params = (p.cfg.imr, p.cfg.mmr, p.cfg.lfr, p.cfg.plr, p.cfg.spread_limit);
    assert_eq!(p.ch.sender(OWNER).get_risk_parameters(), params);
    p.ch.sender(OWNER).set_risk_parameters(half, tenth, tenth, half, tenth).motsu_unwrap();
    p.ch.assert_emitted(&RiskParametersChanged {
        initMarginRatio: half,
        maintenanceMarginRatio: tenth,
        liquidationFeeRatio: tenth,
        partialLiquidationRatio: half,
        spreadLimitRatio: tenth,
    });
    // 2× is now the maximum leverage.
    assert!(matches!(
        *p.open(ALICE, BUY, wad(1), wad(3), U256::ZERO).unwrap_err(),
        ChError::InvalidLeverage(_)
    ));
    p.open(ALICE, BUY, wad(1), wad(2), U256::ZERO).unwrap();
}

#[test]
fn owner_functions_reject_other_callers() {
    let p = setup(Config::mechanics());
    let amm = p.amm.address();
    let before = p.snapshot(&[ALICE]);
    let ch = || p.ch.sender(ALICE);
    let errs = [
        ch().adjust_k(amm, wad(2)).motsu_res().unwrap_err(),
        ch().set_engine(p.engine.address()).motsu_res().unwrap_err(),
        ch().add_market(amm).motsu_res().unwrap_err(),
        ch().remove_market(amm).motsu_res().unwrap_err(),
        ch().set_backstop_liquidator(ALICE, true).motsu_res().unwrap_err(),
        ch().set_paused(true).motsu_res().unwrap_err(),
        ch().transfer_ownership(ALICE).motsu_res().unwrap_err(),
        ch().renounce_ownership().motsu_res().unwrap_err(),
    ];
    for err in errs {
        assert!(matches!(*err, ChError::Unauthorized(_)));
    }
    assert_eq!(p.snapshot(&[ALICE]), before);
    assert!(!p.ch.sender(OWNER).is_backstop_liquidator(ALICE));
}

#[test]
fn ownership_moves_in_two_steps() {
    let p = setup(Config::mechanics());
    p.ch.sender(OWNER).transfer_ownership(BOB).motsu_unwrap();
    assert_eq!(p.ch.sender(BOB).pending_owner(), BOB);
    assert!(matches!(
        *p.ch.sender(ALICE).accept_ownership().motsu_res().unwrap_err(),
        ChError::Unauthorized(_)
    ));
    p.ch.sender(BOB).accept_ownership().motsu_unwrap();
    assert_eq!(p.ch.sender(BOB).owner(), BOB);
    p.ch.sender(BOB).set_paused(true).motsu_unwrap();
    p.ch.assert_emitted(&PauseChanged { paused: true });
    p.ch.sender(BOB).set_backstop_liquidator(CAROL, true).motsu_unwrap();
    p.ch.assert_emitted(&BackstopLiquidatorChanged { account: CAROL, isBackstop: true });
    p.ch.sender(BOB).renounce_ownership().motsu_unwrap();
    assert_eq!(p.ch.sender(BOB).owner(), alloy_primitives::Address::ZERO);
}

#[test]
fn deployment_wiring_is_checked() {
    let p = setup(Config::mechanics());
    let err = p.ch.sender(OWNER).set_engine(p.engine.address()).motsu_res().unwrap_err();
    assert!(
        matches!(*err, ChError::EngineAlreadySet(ClearingHouseEngineAlreadySet { current }) if current == p.engine.address())
    );
    assert_eq!(
        p.ch.sender(OWNER).get_state(),
        (p.vault.address(), p.engine.address(), false, U256::ZERO)
    );
    assert_eq!(p.engine.sender(OWNER).clearing_house(), p.ch.address());
    // A fresh clearing house: a zero owner, no code at the vault, bad risk parameters.
    let fresh: Contract<ClearingHouse> = Contract::new();
    let (imr, mmr) = (milli(100), milli(50));
    let vault = p.vault.address();
    let err = fresh
        .sender(DEPLOYER)
        .constructor(alloy_primitives::Address::ZERO, vault, imr, mmr, mmr, mmr, mmr)
        .motsu_res()
        .unwrap_err();
    assert!(matches!(*err, ChError::InvalidOwner(_)));
    let err = fresh
        .sender(DEPLOYER)
        .constructor(OWNER, NOBODY, imr, mmr, mmr, mmr, mmr)
        .motsu_res()
        .unwrap_err();
    assert!(matches!(*err, ChError::NotAContract(_)));
    let err = fresh
        .sender(DEPLOYER)
        .constructor(OWNER, vault, mmr, imr, mmr, mmr, mmr)
        .motsu_res()
        .unwrap_err();
    assert!(matches!(*err, ChError::InvalidRiskParameters(_)));
    assert_eq!(fresh.sender(OWNER).owner(), alloy_primitives::Address::ZERO);
    // The owner is the argument, not the deployer (cargo-stylus's `StylusDeployer`).
    fresh.sender(DEPLOYER).constructor(OWNER, vault, imr, mmr, mmr, mmr, mmr).motsu_unwrap();
    assert_eq!(fresh.sender(OWNER).owner(), OWNER);
    let err = fresh.sender(DEPLOYER).set_paused(true).motsu_res().unwrap_err();
    assert!(matches!(*err, ChError::Unauthorized(_)));
    let err = fresh.sender(OWNER).add_market(p.amm.address()).motsu_res().unwrap_err();
    assert!(matches!(*err, ChError::EngineNotSet(_)));
    let err = fresh.sender(OWNER).set_engine(NOBODY).motsu_res().unwrap_err();
    assert!(matches!(*err, ChError::NotAContract(_)));
    // An engine is bound to a deployed clearing house.
    let engine: Contract<ClearingHouseEngine> = Contract::new();
    let err = engine.sender(DEPLOYER).constructor(NOBODY).motsu_res().unwrap_err();
    assert!(matches!(
        *err,
        EngineError::NotAContract(ClearingHouseEngineNotAContract { account }) if account == NOBODY
    ));
    assert_eq!(engine.sender(DEPLOYER).clearing_house(), alloy_primitives::Address::ZERO);
    engine.sender(DEPLOYER).constructor(fresh.address()).motsu_unwrap();
    assert_eq!(engine.sender(DEPLOYER).clearing_house(), fresh.address());
    fresh.sender(OWNER).set_engine(engine.address()).motsu_unwrap();
    fresh.assert_emitted(&EngineSet { engine: engine.address() });
}

#[test]
fn adjusting_k_settles_the_cost_with_the_insurance_fund() {
    let p = setup(Config::mechanics());
    let amm = p.amm.address();
    // No open interest: no cost.
    p.ch.sender(OWNER).adjust_k(amm, milli(1_500)).motsu_unwrap();
    assert_eq!(p.insurance(), wad(5_000));
    p.open(ALICE, BUY, wad(1_000), wad(5), U256::ZERO).unwrap();
    p.next();
    let (q, b) = p.reserves();
    let s = p.amm.sender(OWNER).total_position_size();
    let (q2, b2) = (mul_d(q, wad(2)), mul_d(b, wad(2)));
    let cost = clearing_house_engine::k_adjustment_cost(q, b, q2, b2, s).unwrap();
    assert!(cost > I256::ZERO);
    let (pool, fund, _) = p.books();
    p.ch.sender(OWNER).adjust_k(amm, wad(2)).motsu_unwrap();
    assert_eq!(p.reserves(), (q2, b2));
    assert_eq!(p.books().0, pool + cost.unsigned_abs());
    assert_eq!(p.books().1, fund - cost.unsigned_abs());
    p.vault.assert_emitted(&InsuranceTransferred {
        poolToInsurance: -cost,
        insuranceFundBalance: fund - cost.unsigned_abs(),
    });
    // Halving back earns the fund (a negative cost).
    let back = clearing_house_engine::k_adjustment_cost(
        q2,
        b2,
        mul_d(q2, milli(500)),
        mul_d(b2, milli(500)),
        s,
    )
    .unwrap();
    p.ch.sender(OWNER).adjust_k(amm, milli(500)).motsu_unwrap();
    assert!(back < I256::ZERO);
    assert_eq!(p.books().1, fund - cost.unsigned_abs() + back.unsigned_abs());
    // The vAMM's own checks bubble.
    let err = p.ch.sender(OWNER).adjust_k(amm, E18).motsu_res().unwrap_err();
    let e: VammInvalidMultiplier = external(&err);
    assert_eq!(e.multiplier, E18);
}

#[test]
fn a_k_adjustment_the_fund_cannot_pay_is_blocked() {
    let p = setup(Config { insurance: 1, ..Config::mechanics() });
    p.open(ALICE, BUY, wad(10_000), wad(5), U256::ZERO).unwrap();
    p.next();
    let before = p.snapshot(&[ALICE]);
    let err = p.ch.sender(OWNER).adjust_k(p.amm.address(), wad(10)).motsu_res().unwrap_err();
    let e: vault::VaultInsufficientInsurance = external(&err);
    assert_eq!(e.available, wad(1));
    assert_eq!(p.snapshot(&[ALICE]), before);
}

#[test]
fn valuation_views_cover_spot_twap_and_oracle() {
    let p = setup(Config::mechanics());
    let amm = p.amm.address();
    p.open(ALICE, BUY, wad(1_000), wad(5), U256::ZERO).unwrap();
    let (size, _, open_notional, _, _) = p.position(ALICE);
    let view = |option| {
        p.ch.sender(ALICE).get_position_notional_and_unrealized_pnl(amm, ALICE, option).unwrap()
    };
    let spot = output_price(true, size.unsigned_abs(), p.reserves());
    assert_eq!(view(PNL_SPOT), (spot, int(spot) - int(open_notional)));
    // The TWAP over 15 minutes still weighs the pre-trade reserves for 12 s.
    p.advance(1, 900);
    assert_eq!(view(PNL_TWAP), view(PNL_SPOT));
    p.set_index(milli(10_500));
    let oracle = mul_d(size.unsigned_abs(), milli(10_500));
    assert_eq!(view(PNL_ORACLE), (oracle, int(oracle) - int(open_notional)));
    let err =
        p.ch.sender(ALICE).get_position_notional_and_unrealized_pnl(amm, ALICE, 3).unwrap_err();
    let e: ClearingHouseEngineInvalidPnlOption = external(&err);
    assert_eq!(e.option, 3);
    assert_eq!(
        p.ch.sender(BOB).get_position_notional_and_unrealized_pnl(amm, BOB, PNL_SPOT).unwrap(),
        (U256::ZERO, I256::ZERO)
    );
    assert!(matches!(
        *p.ch.sender(BOB).get_margin_ratio(amm, BOB).unwrap_err(),
        ChError::NoPosition(_)
    ));
    // The engine's views are a lens for anyone, and refuse an empty position.
    let err = p
        .engine
        .sender(BOB)
        .get_margin_ratios(
            amm,
            I256::ZERO,
            U256::ZERO,
            U256::ZERO,
            I256::ZERO,
            I256::ZERO,
            E18,
            E18,
            E18,
        )
        .unwrap_err();
    assert!(matches!(*err, EngineError::EmptyPosition(ClearingHouseEngineEmptyPosition {})));
    let err = p
        .engine
        .sender(BOB)
        .get_margin_after_removal(
            amm,
            I256::ZERO,
            U256::ZERO,
            U256::ZERO,
            I256::ZERO,
            I256::ZERO,
            E18,
            E18,
            E18,
        )
        .unwrap_err();
    assert!(matches!(*err, EngineError::EmptyPosition(_)));
    let err = p
        .engine
        .sender(BOB)
        .get_position_notional_and_unrealized_pnl(amm, I256::MAX, U256::ZERO, PNL_ORACLE)
        .unwrap_err();
    assert!(matches!(*err, EngineError::Math(_)));
    assert!(p.engine.sender(BOB).floor_amount(E18, U256::ZERO).is_err());
}

#[test]
fn a_stale_oracle_never_blocks_a_liquidation() {
    // The index is 4 days old: the oracle reverts as stale.
    let p = setup(Config { index_age: 4 * 86_400, ..Config::mechanics() });
    p.open(ALICE, BUY, wad(1_000), wad(10), U256::ZERO).unwrap();
    p.next();
    p.open(BOB, SELL, wad(30_000), E18, U256::ZERO).unwrap();
    p.advance(100, 12);
    let amm = p.amm.address();
    let err =
        p.ch.sender(ALICE)
            .get_position_notional_and_unrealized_pnl(amm, ALICE, PNL_ORACLE)
            .unwrap_err();
    let e: VammOracleCallFailed = external(&err);
    assert_eq!(e.oracle, p.oracle.address());
    p.liquidate(KEEPER, ALICE).unwrap();
    assert!(p.size(ALICE).unsigned_abs() < p.size(BOB).unsigned_abs());
}

#[test]
fn the_owner_cannot_withdraw_the_insurance_reserve_against_open_margin() {
    let p = setup(Config { insurance_reserve_ratio: milli(500), ..Config::mechanics() });
    p.open(ALICE, BUY, wad(2_000), wad(2), U256::ZERO).unwrap();
    // Half of the 2,000 margin pool stays: 4,000 of the 5,000 fund are withdrawable.
    let before = p.snapshot(&[ALICE]);
    let err = p.vault.sender(OWNER).withdraw_insurance(wad(4_001), OWNER).motsu_res().unwrap_err();
    assert!(
        matches!(err, vault::Error::InsuranceReserveRequired(VaultInsuranceReserveRequired { withdrawable, .. }) if withdrawable == wad(4_000))
    );
    assert_eq!(p.snapshot(&[ALICE]), before);
    p.vault.sender(OWNER).withdraw_insurance(wad(4_000), OWNER).motsu_unwrap();
    assert_eq!(p.insurance(), wad(1_000));
}
