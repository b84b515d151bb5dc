//! The Perp system on its release artifacts, with the clock moving: funding
//! over three periods — longs pay, shorts pay, then a premium beyond the
//! funding cap — with the insurance fund taking the net side each time, and
//! every trader's settled margin to the wei. motsu needs a test clock inside
//! the contracts for this; the host runs the deployable WASM as it is.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::too_many_lines,
    clippy::cast_possible_wrap,
    missing_docs,
    reason = "integration tests: a failed unwrap or assertion is a failed test"
)]

mod common;

use alloy_primitives::{Address, I256, U256};
use common::{send, view};
use strata::systems::assets::{self, IMockErc20};
use strata::systems::index::IPowerOracle;
use strata::systems::perp::{
    self, IClearingHouse, IVamm, IVault, BUY, E18, FUNDING_PERIOD, INDEX, SELL,
};
use strata::systems::{Ctx, DEPLOYER};

const ALICE: Address = Address::repeat_byte(0xa1);
const BOB: Address = Address::repeat_byte(0xb0);
const KEEPER: Address = Address::repeat_byte(0x6e);
const DAY: u64 = 86_400;
/// The vAMM's default funding cap: 10 % of the index per day.
const MAX_FUNDING_RATE: u128 = E18 / 10;

fn u(x: u128) -> U256 {
    U256::from(x)
}

fn i(x: U256) -> I256 {
    I256::try_from(x).unwrap()
}

/// `⌊a·b / 1e18⌋` toward −∞ (`ceil`: toward +∞) for signed `a`, `b`.
fn wad_mul_signed(a: I256, b: I256, ceil: bool) -> I256 {
    let negative = a.is_negative() != b.is_negative();
    let product = a.unsigned_abs() * b.unsigned_abs();
    let (q, r) = (product / u(E18), product % u(E18));
    let q = i(q);
    match (negative, r.is_zero(), ceil) {
        (_, true, _) => {
            if negative {
                -q
            } else {
                q
            }
        }
        (false, false, true) => q + I256::ONE,
        (false, false, false) => q,
        (true, false, true) => -q,
        (true, false, false) => -q - I256::ONE,
    }
}

/// The spec's premium fraction for a period with constant mark and index:
/// `(mark − index) · period / 1 day` toward zero, clamped to
/// `± maxFundingRate · index · period / 1 day`.
fn premium_fraction(mark: U256, index: U256) -> I256 {
    let magnitude = mark.abs_diff(index) * U256::from(FUNDING_PERIOD) / U256::from(DAY);
    let cap = (u(MAX_FUNDING_RATE) * index / u(E18)) * U256::from(FUNDING_PERIOD) / U256::from(DAY);
    let f = i(magnitude.min(cap));
    if mark < index {
        -f
    } else {
        f
    }
}

struct Market {
    ctx: Ctx<'static>,
    ch: Address,
    amm: Address,
    vault: Address,
    oracle: Address,
    weth: Address,
}

/// The Assets and Perp plans as `strata deploy` runs them (the index at
/// $1,000 reported at `t0`, the market opened at `t0`: first funding at
/// `t0 + 1 h`), then Alice long 2,000 × 10 and Bob short 5,000 × 3 in the
/// same block, so the mark is constant from `t0`.
fn setup_market(artifacts: &'static strata::artifacts::Artifacts) -> Market {
    let mut ctx = Ctx::new(artifacts);
    ctx.execute_plan(&assets::SYSTEM).unwrap();
    ctx.execute_plan(&perp::SYSTEM).unwrap();
    let [ch, amm, vault, oracle, weth, usdc] =
        ["clearing-house", "WETH-PERP", "vault", "perp-oracle", "WETH", "USDC"]
            .map(|k| ctx.at(k).unwrap());
    for (who, margin, leverage, side) in [(ALICE, 2_000, 10, BUY), (BOB, 5_000, 3, SELL)] {
        send(
            &mut ctx,
            who,
            usdc,
            &IMockErc20::mintCall { to: who, value: U256::from(10_000_000_000u64) },
        );
        send(&mut ctx, who, usdc, &IMockErc20::approveCall { spender: vault, value: U256::MAX });
        send(
            &mut ctx,
            who,
            ch,
            &IClearingHouse::openPositionCall {
                amm,
                side,
                margin: u(margin * E18),
                leverage: u(leverage * E18),
                baseAssetAmountLimit: U256::ZERO,
            },
        );
    }
    Market { ctx, ch, amm, vault, oracle, weth }
}

fn fund_balance(m: &mut Market) -> U256 {
    view(&mut m.ctx, m.vault, &IVault::insuranceFundBalanceCall {})._0
}

/// Warps to `t` (a later block) and pays funding (expecting `event`);
/// returns the fund's change.
fn pay_funding_at(m: &mut Market, t: u64, event: Option<IClearingHouse::FundingPaid>) -> I256 {
    m.ctx.host.warp(t);
    let block = m.ctx.host.block().number;
    m.ctx.host.roll(block + 1);
    let before = fund_balance(m);
    if let Some(event) = event {
        m.ctx.host.expect_event(m.ch, &event);
    }
    send(&mut m.ctx, KEEPER, m.ch, &IClearingHouse::payFundingCall { amm: m.amm });
    i(fund_balance(m)) - i(before)
}

fn check_funding_over_three_periods(artifacts: &'static strata::artifacts::Artifacts) {
    let mut m = setup_market(artifacts);
    let t0 = m.ctx.now();
    assert_eq!(t0 % 3600, 0, "the host's clock starts on the hour");
    let reserves = view(&mut m.ctx, m.amm, &IVamm::getReservesCall {});
    let mark = reserves.quoteReserve * u(E18) / reserves.baseReserve;
    assert_eq!(view(&mut m.ctx, m.amm, &IVamm::getSpotPriceCall {})._0, mark);
    let position = |m: &mut Market, who: Address| {
        view(&mut m.ctx, m.ch, &IClearingHouse::getPositionCall { amm: m.amm, trader: who })
    };
    let (alice, bob) = (position(&mut m, ALICE), position(&mut m, BOB));
    assert!(alice.size > I256::ZERO && bob.size < I256::ZERO);
    let total = view(&mut m.ctx, m.amm, &IVamm::totalPositionSizeCall {})._0;
    assert_eq!(total, alice.size + bob.size, "the net position is long");
    assert!(total > I256::ZERO);
    let config = view(&mut m.ctx, m.amm, &IVamm::getConfigCall {});
    assert_eq!(config.nextFundingTime, t0 + 3600, "first funding on the next hour");

    // Period 1: index $1,000 < mark — longs pay, the fund receives the net ⌊f·S⌋.
    m.ctx.host.warp(t0 + 3600);
    assert_eq!(
        view(&mut m.ctx, m.amm, &IVamm::getTwapPriceCall { interval: U256::from(3600u64) })._0,
        mark,
        "the mark did not move during the period"
    );
    let f1 = premium_fraction(mark, u(INDEX));
    assert!(f1 > I256::ZERO);
    let expected = IClearingHouse::FundingPaid {
        amm: m.amm,
        premiumFraction: f1,
        cumulativePremiumFraction: f1,
        insuranceFundPayment: wad_mul_signed(f1, total, false),
    };
    let net1 = pay_funding_at(&mut m, t0 + 3600, Some(expected));
    assert_eq!(net1, wad_mul_signed(f1, total, false));
    assert!(net1 > I256::ZERO, "the fund receives the longs' surplus");

    // Period 2: the index rises to $1,010 at the start of the period — shorts pay,
    // the fund pays the net.
    let index2 = u(1010 * E18);
    send(
        &mut m.ctx,
        DEPLOYER,
        m.oracle,
        &IPowerOracle::reportPricesCall { assets: vec![m.weth], prices: vec![index2] },
    );
    let config = view(&mut m.ctx, m.amm, &IVamm::getConfigCall {});
    assert_eq!(config.nextFundingTime, t0 + 7200);
    let f2 = premium_fraction(mark, index2);
    assert!(f2 < I256::ZERO);
    let net2 = pay_funding_at(&mut m, t0 + 7200, None);
    assert_eq!(net2, wad_mul_signed(f2, total, false));
    assert!(net2 < I256::ZERO, "the fund pays the shorts' side of the net long");

    // Period 3: the index falls 11 % to $900 (the reporter is refused, the owner
    // confirms): the premium is beyond the cap of 10 % of the index per day.
    let index3 = u(900 * E18);
    m.ctx.host.prank(DEPLOYER);
    let refused = m.ctx.host.call_sol(
        m.oracle,
        &IPowerOracle::reportPricesCall { assets: vec![m.weth], prices: vec![index3] },
    );
    let err = refused.err().expect("an 11% move is past the deviation guard");
    assert!(
        err.decode::<IPowerOracle::IPowerOracleErrors>().is_some_and(|e| matches!(
            e,
            IPowerOracle::IPowerOracleErrors::PowerOracleDeviationExceeded(_)
        )),
        "{err}"
    );
    send(
        &mut m.ctx,
        DEPLOYER,
        m.oracle,
        &IPowerOracle::confirmPricesCall { assets: vec![m.weth], prices: vec![index3] },
    );
    let f3 = premium_fraction(mark, index3);
    let cap = u(MAX_FUNDING_RATE) * u(900) * U256::from(FUNDING_PERIOD) / U256::from(DAY);
    assert_eq!(f3, i(cap), "clamped to 10% of $900 per day, for one hour: 3.75");
    assert_eq!(f3, i(u(3_750_000_000_000_000_000)));
    let net3 = pay_funding_at(&mut m, t0 + 10_800, None);
    assert_eq!(net3, wad_mul_signed(f3, total, false));

    // The cumulative premium is the sum; each trader settles ⌈Σf · size⌉ at once.
    let cpf = f1 + f2 + f3;
    assert_eq!(
        view(
            &mut m.ctx,
            m.ch,
            &IClearingHouse::getLatestCumulativePremiumFractionCall { amm: m.amm }
        )
        ._0,
        cpf
    );
    let mut paid = I256::ZERO;
    for (who, p) in [(ALICE, &alice), (BOB, &bob)] {
        let due = wad_mul_signed(cpf, p.size, true);
        let now = view(
            &mut m.ctx,
            m.ch,
            &IClearingHouse::getPositionWithFundingPaymentCall { amm: m.amm, trader: who },
        );
        assert_eq!(now.fundingPayment, due);
        assert_eq!(i(now.margin), i(p.margin) - due, "margin after funding");
        assert_eq!(now.badDebt, U256::ZERO);
        paid += due;
    }
    // The margin pool never pays out more funding than it takes in: traders pay
    // (rounded up) at least what the fund received (rounded down), by at most one
    // wei per trader and per period.
    let fund_net = net1 + net2 + net3;
    let surplus = paid - fund_net;
    assert!(surplus >= I256::ZERO && surplus <= I256::try_from(5).unwrap(), "{surplus}");

    // Bob closes: his funding is settled into the payout, and the vault's books
    // stay covered by its tokens.
    send(
        &mut m.ctx,
        BOB,
        m.ch,
        &IClearingHouse::closePositionCall { amm: m.amm, quoteAssetAmountLimit: U256::ZERO },
    );
    let p = view(&mut m.ctx, m.ch, &IClearingHouse::getPositionCall { amm: m.amm, trader: BOB });
    assert_eq!(p.size, I256::ZERO);
    let usdc = m.ctx.at("USDC").unwrap();
    let tokens = view(&mut m.ctx, usdc, &IMockErc20::balanceOfCall { account: m.vault })._0;
    let books = view(&mut m.ctx, m.vault, &IVault::totalMarginCall {})._0
        + fund_balance(&mut m)
        + view(&mut m.ctx, m.vault, &IVault::accruedFeesCall {})._0;
    assert!(tokens * U256::from(1_000_000_000_000u64) >= books, "vault tokens cover its books");
}

#[test]
fn funding_over_three_periods_in_both_signs_settles_traders_and_the_insurance_fund() {
    check_funding_over_three_periods(common::artifacts());
}
