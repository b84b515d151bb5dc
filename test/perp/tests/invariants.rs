//! Stateful property tests: several traders, a keeper and a backstop take
//! random actions (open, increase, reduce, reverse, close, partial close,
//! margin changes, liquidations, funding with moving index prices, time);
//! after every action the invariants below are asserted, and at the end
//! everything is flattened and the books are reconciled.
//!
//! | invariant | checked |
//! |---|---|
//! | the vault holds every unit it accounts for (`tokens = pool + fund + fees`) | every action |
//! | no value appears: Σ wallets + pool + fund + fees is constant | every action |
//! | a rejected action changes nothing | every failed action |
//! | x·y ≥ k after every trade | every successful trade |
//! | Σ position sizes = the vAMM's net position | every action |
//! | right after opening, no position is beyond the maximum leverage, and a grown position is above maintenance | every successful open |
//! | the fund moves only by funding, liquidations and fees/dust | every action |
//! | funding: Σ payments of one side = Σ receipts of the other + the fund's net | every funding |
//! | flat: the traders' total realised PnL = Q₀ − Q_final ≤ 0 (the vAMM pays out no more than it took) | end |
//! | flat: the pool's remainder (swept to the fund) = AMM rounding + funding rounding, bounded | end |
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

use alloy_primitives::{Address, I256, U256};
use alloy_sol_types::SolEvent;
use clearing_house::{Error as ChError, MarginChanged, PositionChanged};
use common::*;
use proptest::prelude::*;
use vault::{InsuranceTransferred, PoolSwept};

const TRADERS: [Address; 4] = [ALICE, BOB, CAROL, DAVE];

#[derive(Debug, Clone)]
enum Action {
    Open { who: usize, side: u8, margin: u64, leverage: u64 },
    Close { who: usize },
    PartialClose { who: usize, ratio_pct: u64 },
    AddMargin { who: usize, amount: u64 },
    RemoveMargin { who: usize, amount: u64 },
    Liquidate { backstop: bool, who: usize },
    Funding { index_bps: i64 },
    Advance { blocks: u64, seconds: u64 },
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        6 => (0..4usize, 0..2u8, 10..20_000u64, 1..=10u64)
            .prop_map(|(who, side, margin, leverage)| Action::Open { who, side, margin, leverage }),
        2 => (0..4usize).prop_map(|who| Action::Close { who }),
        2 => (0..4usize, 1..100u64).prop_map(|(who, ratio_pct)| Action::PartialClose { who, ratio_pct }),
        1 => (0..4usize, 1..5_000u64).prop_map(|(who, amount)| Action::AddMargin { who, amount }),
        1 => (0..4usize, 1..5_000u64).prop_map(|(who, amount)| Action::RemoveMargin { who, amount }),
        2 => (any::<bool>(), 0..4usize).prop_map(|(backstop, who)| Action::Liquidate { backstop, who }),
        1 => (-500..500i64).prop_map(|index_bps| Action::Funding { index_bps }),
        2 => (1..50u64, 1..120u64).prop_map(|(blocks, seconds)| Action::Advance { blocks, seconds }),
    ]
}

/// The production-like market; `banded`: with the 1.2% per-block fluctuation
/// band (closes cut to a quarter, opening-trade reductions refused), else without.
fn config(banded: bool) -> Config {
    let mut cfg = Config::mechanics();
    if banded {
        cfg.fluctuation = milli(12);
    }
    cfg.toll = milli(1) / U256::from(2); // 0.05%
    cfg.spread = milli(1); // 0.1%
    cfg.max_funding_rate = milli(100);
    cfg.insurance = 1_000_000;
    cfg
}

fn actors() -> Vec<Address> {
    let mut all = TRADERS.to_vec();
    all.extend([MAKER, KEEPER, BACKSTOP, FEES]);
    all
}

/// Everyone who may hold a position (the traders and, when flattening, the maker).
const HOLDERS: [Address; 5] = [ALICE, BOB, CAROL, DAVE, MAKER];

/// Ghost state kept by the handler.
struct Ghost {
    /// Σ wallets + pool + fund + fees, in 18 decimals: never changes.
    total: U256,
    /// Quote reserve at the start.
    q0: U256,
    /// Net funding moved to the fund (vault `InsuranceTransferred` during funding).
    funding_to_fund: I256,
    /// The fund's funding share the pool could not pay when it was due (its payers
    /// were insolvent); it reaches the fund with the sweep.
    funding_deferred: I256,
    actions: u64,
}

fn wallets(p: &Perp) -> U256 {
    actors().iter().map(|&a| p.balance(a)).fold(U256::ZERO, |x, y| x + y) + p.balance(OWNER)
}

fn value_total(p: &Perp) -> U256 {
    let (pool, fund, fees) = p.books();
    wallets(p) + pool + fund + fees
}

fn sum_sizes(p: &Perp) -> I256 {
    HOLDERS.iter().map(|&t| p.size(t)).fold(I256::ZERO, |x, y| x + y)
}

fn k_of((q, b): (U256, U256)) -> U256 {
    mul_d(q, b)
}

/// The invariants that hold after every action.
fn check_always(p: &Perp, g: &Ghost, context: &str) {
    let (pool, fund, fees) = p.books();
    assert_eq!(
        p.vault_tokens(),
        pool + fund + fees,
        "{context}: the vault's tokens differ from pool + fund + fees"
    );
    assert_eq!(value_total(p), g.total, "{context}: value was created or destroyed");
    assert_eq!(
        sum_sizes(p),
        p.amm.sender(OWNER).total_position_size(),
        "{context}: Σ sizes differs from the vAMM's net position"
    );
    let market = p.ch.sender(OWNER).get_market(p.amm.address());
    let open = HOLDERS.iter().filter(|&&t| !p.size(t).is_zero()).count();
    assert_eq!(market.4, U256::from(open), "{context}: open position count");
    let oi = HOLDERS.iter().map(|&t| p.position(t).2).fold(U256::ZERO, |x, y| x + y);
    assert_eq!(market.3, oi, "{context}: open interest is not Σ open notional");
}

fn run(p: &Perp, g: &mut Ghost, a: &Action) {
    g.actions += 1;
    let before = p.snapshot(&actors());
    let reserves = p.reserves();
    let fund_before = p.insurance();
    let context = format!("action {} {a:?}", g.actions);
    let (result, trade) = match *a {
        Action::Open { who, side, margin, leverage } => {
            let t = TRADERS[who];
            let was = p.position(t);
            let r = p.open(t, side, wad(margin), wad(leverage), U256::ZERO);
            if r.is_ok() {
                let (size, m, on, _, _) = p.position(t);
                if was.0.is_zero() {
                    // A new position: openNotional ≤ margin / initMarginRatio.
                    assert!(
                        mul_d(on, p.cfg.imr) <= m,
                        "{context}: new position beyond the maximum leverage"
                    );
                } else if !size.is_zero()
                    && (was.0.is_negative() == size.is_negative())
                    && size.unsigned_abs() > was.0.unsigned_abs()
                {
                    let ratio = p.margin_ratio(t);
                    assert!(
                        ratio >= int(p.cfg.mmr),
                        "{context}: a grown position below maintenance ({ratio})"
                    );
                }
            }
            (r, true)
        }
        Action::Close { who } => (p.close(TRADERS[who], U256::ZERO), true),
        Action::PartialClose { who, ratio_pct } => {
            (p.partial_close(TRADERS[who], milli(10 * ratio_pct), U256::ZERO), true)
        }
        Action::AddMargin { who, amount } => (p.add_margin(TRADERS[who], wad(amount)), false),
        Action::RemoveMargin { who, amount } => (p.remove_margin(TRADERS[who], wad(amount)), false),
        Action::Liquidate { backstop, who } => {
            let keeper = if backstop { BACKSTOP } else { KEEPER };
            let r = p.liquidate(keeper, TRADERS[who]);
            if let Err(e) = &r {
                // A keeper who is not a backstop never realises bad debt.
                if let ChError::NotBackstopLiquidator(_) = **e {
                    assert!(!backstop, "{context}");
                }
            }
            (r, true)
        }
        Action::Funding { index_bps } => {
            let spot = p.spot();
            let index = spot * U256::from((10_000 + index_bps) as u64) / U256::from(10_000);
            p.set_index(index);
            let next = p.amm.sender(OWNER).get_config().10;
            let (t, b) = p.now.get();
            p.warp(t.max(next), b + 1);
            let sizes: Vec<I256> = TRADERS.iter().map(|&t| p.size(t)).collect();
            let cpf_before =
                p.ch.sender(OWNER).get_latest_cumulative_premium_fraction(p.amm.address());
            let events_before = p.vault.all_events().len();
            let r = p.pay_funding();
            if r.is_ok() {
                let cpf =
                    p.ch.sender(OWNER).get_latest_cumulative_premium_fraction(p.amm.address());
                let fraction = cpf - cpf_before;
                // One side pays exactly what the other receives plus the fund's net
                // (exact rationals in 1e36 units); the fund's share is ⌊·⌋.
                let exact: I256 = sizes.iter().fold(I256::ZERO, |s, &x| s + fraction * x);
                let paid: I256 = sizes
                    .iter()
                    .filter(|x| x.is_positive() == fraction.is_positive())
                    .fold(I256::ZERO, |s, &x| s + fraction * x);
                let received: I256 = sizes
                    .iter()
                    .filter(|x| x.is_positive() != fraction.is_positive())
                    .fold(I256::ZERO, |s, &x| s + fraction * x);
                assert_eq!(
                    paid + received,
                    exact,
                    "{context}: funding sides do not net to the fund's share"
                );
                let share = exact.div_euclid(int(E18));
                let moved: I256 = p.vault.all_events()[events_before..]
                    .iter()
                    .filter_map(|l| InsuranceTransferred::decode_log_data(l, true).ok())
                    .fold(I256::ZERO, |s, e| s + e.poolToInsurance);
                assert!(
                    moved == share || (share.is_positive() && moved < share),
                    "{context}: fund moved {moved}, share {share}"
                );
                g.funding_to_fund += moved;
                g.funding_deferred += share - moved;
            }
            (r, false)
        }
        Action::Advance { blocks, seconds } => {
            p.advance(blocks, seconds);
            (Ok(()), false)
        }
    };
    match result {
        Err(_) => {
            assert_eq!(p.snapshot(&actors()), before, "{context}: a rejected action changed state");
        }
        Ok(()) if trade => {
            assert!(k_of(p.reserves()) >= k_of(reserves), "{context}: x·y fell below k");
        }
        Ok(()) => {}
    }
    // The fund only pays through funding or a backstop's liquidation.
    if p.insurance() < fund_before {
        assert!(
            matches!(a, Action::Funding { .. } | Action::Liquidate { backstop: true, .. }),
            "{context}: the fund paid outside funding and backstop liquidations"
        );
    }
    check_always(p, g, &context);
}

/// Closes or liquidates every position. A payout the pool cannot cover reverts
/// (the fund never advances it), so when no holder can close, the maker brings
/// margin into the pool with a deep, barely levered position; as the last to
/// close, it finds the pool holding at least its equity.
fn flatten(p: &Perp, g: &Ghost) {
    let mut last = Vec::new();
    for round in 0..30 {
        last.clear();
        p.advance(1, 1_000);
        p.set_index(p.spot());
        let mut progress = false;
        for &t in &HOLDERS {
            if p.size(t).is_zero() {
                continue;
            }
            let Err(close) = p.close(t, U256::ZERO) else {
                progress = true;
                continue;
            };
            last.push(format!("{t}: close {close:?}"));
            match p.liquidate(BACKSTOP, t) {
                Ok(()) => progress = true,
                Err(e) => {
                    if let ChError::External(_) = *e {
                        // The fund ran dry: the owner refills it (a wallet move).
                        p.vault.sender(OWNER).deposit_insurance(wad(1_000_000)).unwrap();
                    }
                    last.push(format!("{t}: liquidate {e:?}"));
                }
            }
        }
        check_always(p, g, "flatten");
        if HOLDERS.iter().all(|&t| p.size(t).is_zero()) {
            return;
        }
        if !progress && round > 0 {
            // A deep, barely levered position: lots of margin, little price impact.
            if p.size(MAKER).is_zero() {
                let side = if sum_sizes(p).is_negative() { BUY } else { SELL };
                // (Small enough for the fluctuation band.)
                if p.open(MAKER, side, wad(1_000_000), milli(10), U256::ZERO).is_err() {
                    p.open(MAKER, side, wad(1_000_000), milli(1), U256::ZERO).unwrap();
                }
            } else {
                p.add_margin(MAKER, wad(1_000_000)).unwrap();
            }
        }
    }
    panic!("positions could not be flattened: {last:#?}");
}

fn reconcile(p: &Perp, g: &Ghost) {
    let (pool, _, _) = p.books();
    assert_eq!(pool, U256::ZERO, "flat: the pool was not swept to the fund");
    let changes: Vec<PositionChanged> =
        p.ch.all_events()
            .iter()
            .filter_map(|l| PositionChanged::decode_log_data(l, true).ok())
            .collect();
    let margin_changes: Vec<MarginChanged> =
        p.ch.all_events()
            .iter()
            .filter_map(|l| MarginChanged::decode_log_data(l, true).ok())
            .collect();
    let realized = changes.iter().fold(I256::ZERO, |s, e| s + e.realizedPnl);
    let funding = changes.iter().fold(I256::ZERO, |s, e| s + e.fundingPayment)
        + margin_changes.iter().fold(I256::ZERO, |s, e| s + e.fundingPayment);
    let (q, b) = p.reserves();
    assert_eq!(b, p.cfg.base_reserve, "flat: the base reserve is back where it started");
    assert_eq!(
        realized,
        int(g.q0) - int(q),
        "flat: Σ realised PnL differs from the vAMM's quote flow"
    );
    assert!(realized <= I256::ZERO, "flat: traders took {realized} out of the vAMM");
    let swept = p
        .vault
        .all_events()
        .iter()
        .filter_map(|l| PoolSwept::decode_log_data(l, true).ok())
        .fold(U256::ZERO, |s, e| s + e.amount);
    // What was left in the pool is exactly the AMM's and funding's rounding.
    assert_eq!(
        int(swept),
        -realized + funding - g.funding_to_fund,
        "flat: the pool's remainder is not rounding"
    );
    // Dust bound: a few wei per action for the AMM, one per funded position; the
    // rest is the funding share that was due while its payers were insolvent.
    let dust = int(swept) - g.funding_deferred;
    assert!(dust >= I256::ZERO, "flat: the sweep is smaller than the deferred funding");
    assert!(
        dust <= I256::try_from(16 * (g.actions + 1)).unwrap(),
        "flat: {dust} wei of dust for {} actions",
        g.actions
    );
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases() / 4 + 1))]

    #[test]
    fn invariant_books_balance_after_every_action(actions in prop::collection::vec(action(), 1..40), banded in any::<bool>()) {
        let p = Perp::deploy(config(banded));
        for &t in &HOLDERS {
            p.fund(t, 100_000_000);
        }
        p.fund(OWNER, 100_000_000);
        p.ch.sender(OWNER).set_backstop_liquidator(BACKSTOP, true).unwrap();
        p.next();
        let mut g = Ghost {
            total: U256::ZERO,
            q0: p.reserves().0,
            funding_to_fund: I256::ZERO,
            funding_deferred: I256::ZERO,
            actions: 0,
        };
        g.total = value_total(&p);
        for a in &actions {
            run(&p, &mut g, a);
        }
        flatten(&p, &g);
        reconcile(&p, &g);
    }
}
