//! The anchor's worked example, end to end: ETH/USDC at 1000, a lender's range around 900
//! holding 1000 USDC, a trader borrowing it with token mix 0 (≈ 1.111 ETH deposited, 1000 USDC
//! received and swapped to ≈ 1 ETH at market: ≈ 10× long). The price then goes to 1200 or to
//! 800; the trader unwinds; the LP gets back exactly its liquidity plus the interest.

use alloy_primitives::{Address, U256};
use infinity_tests::{i, sqrt_at, u, v3, Market, Params, E18};
use motsu::prelude::*;
use num_bigint::BigInt;
use num_traits::ToPrimitive;
use swapper_manager::FIXED_TERM;

const BT: i32 = 10;
const T0: u64 = 1_735_689_600;
const TERM: u64 = 30 * 86_400;

fn float_lp() -> Address {
    Address::from([0x61; 20])
}
fn lender() -> Address {
    Address::from([0x62; 20])
}
fn trader() -> Address {
    Address::from([0x63; 20])
}
fn whale() -> Address {
    Address::from([0x64; 20])
}

/// The tick of a price (token1 per token0, both 18 decimals).
fn tick_of(price: f64) -> i32 {
    (price.ln() / 1.0001_f64.ln()).floor() as i32
}

fn f(x: U256) -> f64 {
    v3::big(x).to_f64().unwrap() / 1e18
}

struct Opened {
    m: Market,
    id: U256,
    lender_id: U256,
    lender_l: u128,
    range: (i32, i32),
    x_max: U256,
    y_max: U256,
    interest: U256,
    start: (U256, U256),
}

/// Float liquidity around 1000 up to 1300, the lender's 4-bin range around 900, the loan, and
/// the trader's market purchase of ETH with the borrowed USDC.
fn setup_anchor() -> Opened {
    let p0 = tick_of(1000.0);
    let m = Market::new(BT, 3000, sqrt_at(p0), Params::default());
    let w = &m.w;
    for a in [float_lp(), lender(), trader(), whale()] {
        w.fund(a, u(1_000_000 * E18), u(1_000_000_000 * E18));
    }
    // Float: bins from ~975 to ~1300 (five positions of 64 bins), 3e22 liquidity per bin
    // (about 470 USDC per 10-tick bin at 1000: a 1000 USDC trade moves the price ~0.2%).
    let first = tick_of(975.0).div_euclid(BT);
    for k in 0..5 {
        w.pour(float_lp(), first + 64 * k, first + 64 * k + 63, 30_000 * E18);
    }
    // Lender: four bins around 900 holding 1000 USDC when 90% is lent (the max utilisation).
    let start = tick_of(900.0).div_euclid(BT) - 2;
    let stop = start + 3;
    let (a, b) = (sqrt_at(start * BT), sqrt_at((stop + 1) * BT));
    let lent_l: BigInt = (v3::big(u(1_000 * E18)) << 96) / (v3::big(b) - v3::big(a));
    let lent_l = lent_l.to_u128().unwrap() / 9 * 9;
    let lender_l = lent_l / 9 * 10;
    let (lender_id, _, _) = w.pour(lender(), start, stop, lender_l);
    let start_balances = w.balances(trader());
    let id =
        m.loan(T0, trader(), start, stop, lent_l, U256::ZERO, FIXED_TERM, TERM, U256::MAX).unwrap();
    let v = m.swapper(T0, id);
    // The trader swaps the borrowed ~1000 USDC for ETH at market.
    let borrowed = u(999 * E18);
    w.swap(trader(), false, i(borrowed.to::<u128>() as i128), sqrt_at(tick_of(1100.0))).unwrap();
    let interest = v.12;
    Opened {
        m,
        id,
        lender_id,
        lender_l,
        range: (start, stop),
        x_max: v.5,
        y_max: v.6,
        interest,
        start: start_balances,
    }
}

#[motsu::test]
fn anchor_loan_is_a_ten_times_long_with_strike_near_900() {
    let _serial = infinity_tests::serial();
    let o = setup_anchor();
    let v = o.m.swapper(T0, o.id);
    let strike = f(v.4);
    assert!((strike - 900.0).abs() < 3.0, "strike {strike}");
    // X ≈ 1000 / 900 ETH, Y ≈ 1000 USDC.
    assert!((f(o.x_max) - 1000.0 / strike).abs() < 1e-3, "X {}", f(o.x_max));
    assert!((f(o.y_max) - 1000.0).abs() < 1e-6, "Y {}", f(o.y_max));
    // Net margin in ETH: X paid, ~1 ETH bought back with the borrowed USDC (0.3% fee and
    // ~0.1% slippage on the purchase).
    let now = o.m.w.balances(trader());
    let eth_spent = f(o.start.0) - f(now.0);
    assert!(eth_spent > 0.111 && eth_spent < 0.111 + 0.006, "margin {eth_spent} ETH");
    // Leverage X / margin: p / (p − K) = 1000 / (1000 − 900) = 10 without trading costs; the
    // purchase's fee and slippage lower it a little.
    let leverage = f(o.x_max) / eth_spent;
    assert!(leverage > 9.0 && leverage < 10.0, "leverage {leverage}");
}

/// Moves the price with a whale swap to `price`.
fn move_price(m: &Market, price: f64) {
    let (_, tick) = m.w.price();
    let target = tick_of(price);
    let zfo = target < tick;
    m.w.swap(whale(), zfo, i(100_000_000 * E18 as i128), sqrt_at(target)).unwrap();
}

/// Unwinds, checks the lender's bins are whole, and returns the trader's profit valued at the
/// final price (in USDC) and the lender's collected interest.
fn unwind_and_check(o: &Opened, price: f64) -> (f64, U256) {
    let m = &o.m;
    let w = &m.w;
    let (start, stop) = o.range;
    move_price(m, price);
    let before: Vec<_> = (start..=stop).map(|b| w.bin(b)).collect();
    assert!(before.iter().all(|&(l, lent)| l == o.lender_l && lent > 0));
    let got = m.manager.sender(trader()).unwind_at(T0 + 86_400, trader(), o.id).motsu_unwrap();
    // Every lent unit is back; the bins hold exactly the lender's liquidity.
    for b in start..=stop {
        assert_eq!(w.bin(b), (o.lender_l, 0), "bin {b} restored");
    }
    let _ = got;
    let end = w.balances(trader());
    let (p, _) = w.price();
    let px = (v3::big(p).to_f64().unwrap() / 2f64.powi(96)).powi(2);
    let pnl = (f(end.0) - f(o.start.0)) * px + (f(end.1) - f(o.start.1));
    // The lender: interest to collect, then a full drain paying exactly its liquidity's value.
    // Token1 earnings are the interest (no token1 swap fees reach these bins); token0 holds the
    // fees of swaps through the lender's unlent 10%.
    let (_, c1) = w.positions.sender(lender()).collect(o.lender_id).motsu_unwrap();
    let bal = w.balances(lender());
    let (d0, d1) = w.positions.sender(lender()).drain(o.lender_id, o.lender_l).motsu_unwrap();
    let (a, b) = (sqrt_at(start * BT), sqrt_at((stop + 1) * BT));
    let l = BigInt::from(o.lender_l);
    let pc = p.clamp(a, b);
    assert_eq!(d0, v3::to_u256(&v3::amount0(&v3::big(pc), &v3::big(b), &l, false)));
    assert_eq!(d1, v3::to_u256(&v3::amount1(&v3::big(a), &v3::big(pc), &l, false)));
    assert_eq!(w.balances(lender()), (bal.0 + d0, bal.1 + d1));
    (pnl, c1)
}

#[motsu::test]
fn anchor_price_up_to_1200_pays_the_long_and_the_lender_gets_liquidity_plus_interest() {
    let _serial = infinity_tests::serial();
    let o = setup_anchor();
    let (pnl, interest) = unwind_and_check(&o, 1200.0);
    // The trader holds the ~1 ETH the borrowed Y = 1000 USDC bought, with the swapper's
    // strike covering the range: a 20% move earns Y·(1200/1000 − 1) = 200 USDC on a margin of
    // ~0.112 ETH (~9× leverage), less the prepaid interest (30 days at 90% utilisation:
    // 5%·s(0.9) = 60% a year, 10% discount: ~44 USDC) and trading costs (two ~1000 USDC
    // trades at 0.3% fee and ~0.1% slippage: under 10% of the ideal).
    let ideal = f(o.y_max) * 0.2;
    let expected = ideal - f(o.interest);
    assert!(pnl > expected - 0.1 * ideal && pnl < expected, "PnL {pnl} vs {expected}");
    // The lender received the prepaid interest (rounding down per bin: at most 4 wei short).
    assert!(
        interest <= o.interest && o.interest - interest <= U256::from(4),
        "{interest} vs {}",
        o.interest
    );
    assert!(interest > U256::ZERO);
}

#[motsu::test]
fn anchor_price_down_to_800_costs_the_margin_and_the_lender_gets_liquidity_plus_interest() {
    let _serial = infinity_tests::serial();
    let o = setup_anchor();
    let (pnl, interest) = unwind_and_check(&o, 800.0);
    // The range is entirely above 800: it takes back X ETH, all the swapper holds. The trader
    // keeps the ~1 ETH bought and loses the ~0.11 ETH margin plus interest — no liquidation,
    // no loss beyond the margin.
    let margin = f(o.x_max) - 0.999 * 0.997; // X less the ETH the borrowed USDC buys, fee-free of slippage
    let loss = margin * 800.0 + f(o.interest);
    assert!(pnl < 0.0 && (-pnl - loss).abs() < 0.1 * loss, "PnL {pnl}, expected about -{loss}");
    assert!(interest <= o.interest && o.interest - interest <= U256::from(4));
}
