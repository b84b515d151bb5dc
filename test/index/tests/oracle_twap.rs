//! `power-oracle` TWAP: fuzzed exactness against an independent reference,
//! and a stateful invariant suite with reporters, an outsider and the owner
//! against a ghost ledger of accepted prices.
// Test code: indexing, unwraps and arithmetic on small test values are fine here.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap,
    missing_docs
)]

use alloy_primitives::{Address, U256};
use motsu::prelude::*;
use power_oracle::{
    Error, PowerOracle, PowerOracleDeviationExceeded, PowerOracleNotReporter,
    PowerOracleReportTooSoon, PowerOracleStale, PowerOracleTwapHistoryTooShort,
    DEFAULT_OBSERVATIONS, KIND_PRICE,
};
use proptest::prelude::*;

const E18: u128 = 1_000_000_000_000_000_000;
const T0: u64 = 1_700_000_000;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000)
}

/// Reference TWAP over `[now − window, now]` from `(time, price)` steps
/// (each price holds from its time until the next), in exact integers.
fn reference_twap(steps: &[(u64, u128)], now: u64, window: u64) -> U256 {
    let start = now - window;
    let mut sum = U256::ZERO;
    for (i, &(t, p)) in steps.iter().enumerate() {
        let end = steps.get(i + 1).map_or(now, |s| s.0).min(now);
        let begin = t.max(start);
        if end > begin {
            sum += U256::from(p) * U256::from(end - begin);
        }
    }
    sum / U256::from(window)
}

/// Prices in force at some point of `[now − window, now]`.
fn prices_in_window(steps: &[(u64, u128)], now: u64, window: u64) -> Vec<u128> {
    let start = now - window;
    steps
        .iter()
        .enumerate()
        .filter(|(i, s)| s.0 < now && steps.get(i + 1).is_none_or(|n| n.0 > start))
        .map(|(_, s)| s.1)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// Any piecewise-constant history: the TWAP equals the exact reference
    /// (floor of Σ price·seconds / window) and lies within the prices of the window.
    #[test]
    fn fuzz_twap_is_exact_for_piecewise_constant_prices(
        steps in prop::collection::vec((1u64..=5_000, 1u128..=1_000_000 * E18), 1..30),
        tail in 0u64..=5_000,
        window_seed in any::<u64>(),
    ) {
        let oracle = Contract::<PowerOracle>::new();
        let owner = Address::repeat_byte(0x01);
        // No interval, no practical deviation bound: any history is reportable.
        oracle.sender(owner).constructor(owner, 0, U256::from(u128::MAX), 1 << 40, 1 << 40).unwrap();
        oracle.sender(owner).grow_observations(Address::ZERO, 64).unwrap();
        let asset = Address::ZERO;
        let mut history = Vec::new();
        let mut t = T0;
        for &(gap, price) in &steps {
            oracle.sender(owner).confirm_prices_at(t, owner, &[asset], &[U256::from(price)]).unwrap();
            history.push((t, price));
            t += gap;
        }
        let last = history.last().unwrap().0;
        let now = last + tail;
        let span = now - T0;
        prop_assume!(span > 0);
        let window = 1 + window_seed % span;
        let twap = oracle.sender(owner).twap_at(now, asset, U256::from(window)).unwrap();
        prop_assert_eq!(twap, reference_twap(&history, now, window), "TWAP differs from the reference");
        let in_window = prices_in_window(&history, now, window);
        let (lo, hi) = (*in_window.iter().min().unwrap(), *in_window.iter().max().unwrap());
        prop_assert!(twap >= U256::from(lo) && twap <= U256::from(hi), "TWAP {twap} outside [{lo}, {hi}]");
        // One second more than the history is refused.
        let err = oracle.sender(owner).twap_at(now, asset, U256::from(span + 1)).unwrap_err();
        prop_assert_eq!(
            err,
            Error::TwapHistoryTooShort(PowerOracleTwapHistoryTooShort {
                asset,
                window: U256::from(span + 1),
                available: U256::from(span),
            })
        );
    }
}

// ---------------------------------------------------------------- invariant suite

const INTERVAL: u64 = 60;
/// 10% in WAD.
const MAX_DEV: u128 = 100_000_000_000_000_000;
const MAX_AGE: u64 = 3_600;

#[derive(Clone, Debug)]
enum Action {
    Advance(u64),
    Report { actor: usize, asset: usize, bps: i64 },
    Confirm { asset: usize, bps: i64 },
    Grow { asset: usize, extra: u16 },
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => (0u64..=400).prop_map(Action::Advance),
        5 => (0usize..3, 0usize..2, -1_500i64..=1_500).prop_map(|(actor, asset, bps)| Action::Report { actor, asset, bps }),
        1 => (0usize..2, -9_000i64..=9_000).prop_map(|(asset, bps)| Action::Confirm { asset, bps }),
        1 => (0usize..2, 1u16..=8).prop_map(|(asset, extra)| Action::Grow { asset, extra }),
    ]
}

/// What the suite believes about one asset.
#[derive(Default, Clone, Debug)]
struct Ghost {
    /// Accepted prices, one per second (a later report in the same second replaces).
    steps: Vec<(u64, u128)>,
    /// Ring model: slots written and capacity.
    len: usize,
    index: usize,
    capacity: usize,
    accepted: usize,
    rejected: usize,
}

impl Ghost {
    fn record(&mut self, now: u64, price: u128) {
        self.accepted += 1;
        if self.capacity == 0 {
            self.capacity = usize::from(DEFAULT_OBSERVATIONS);
        }
        match self.steps.last_mut() {
            Some(last) if last.0 == now => last.1 = price,
            Some(_) => {
                self.steps.push((now, price));
                if self.index + 1 == self.len && self.len < self.capacity {
                    self.len += 1;
                    self.index += 1;
                } else {
                    self.index = (self.index + 1) % self.len;
                }
            }
            None => {
                self.steps.push((now, price));
                self.len = 1;
                self.index = 0;
            }
        }
    }

    /// Time of the oldest retained observation: the ring keeps the last `len`.
    fn oldest(&self) -> u64 {
        self.steps[self.steps.len() - self.len].0
    }
}

fn scaled(last: u128, bps: i64) -> u128 {
    let delta = last / 10_000 * u128::from(bps.unsigned_abs());
    if bps >= 0 {
        last + delta
    } else {
        last - delta
    }
}

fn ceil_deviation(last: u128, new: u128) -> U256 {
    let diff = U256::from(last.abs_diff(new)) * U256::from(E18);
    diff.div_ceil(U256::from(last))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases() / 4))]

    /// Two reporters, an outsider and the owner act on two assets in random
    /// order; after every action the oracle's price, staleness, ring and
    /// TWAPs match the ghost ledger.
    #[test]
    fn invariant_oracle_matches_the_ghost_ledger(actions in prop::collection::vec(action(), 1..60)) {
        let oracle = Contract::<PowerOracle>::new();
        let owner = Address::repeat_byte(0x0f);
        let actors = [Address::repeat_byte(0x01), Address::repeat_byte(0x02), Address::repeat_byte(0x03)];
        let assets = [Address::repeat_byte(0xa0), Address::repeat_byte(0xb0)];
        oracle.sender(owner).constructor(owner, INTERVAL, U256::from(MAX_DEV), MAX_AGE, MAX_AGE).unwrap();
        oracle.sender(owner).set_reporter(actors[0], true).unwrap();
        oracle.sender(owner).set_reporter(actors[1], true).unwrap();
        let mut ghosts = [Ghost::default(), Ghost::default()];
        let mut now = T0;
        for action in actions {
            match action {
                Action::Advance(dt) => now += dt,
                Action::Report { actor, asset, bps } => {
                    let ghost = &mut ghosts[asset];
                    let last = ghost.steps.last().copied();
                    let price = scaled(last.map_or(100 * E18, |l| l.1), bps);
                    let result = oracle.sender(actors[actor])
                        .report_prices_at(now, actors[actor], &[assets[asset]], &[U256::from(price)])
                        .motsu_res();
                    let expected = if actor == 2 {
                        Err(Error::NotReporter(PowerOracleNotReporter { account: actors[actor] }))
                    } else if let Some((t, p)) = last {
                        if now < t + INTERVAL {
                            Err(Error::ReportTooSoon(PowerOracleReportTooSoon {
                                kind: KIND_PRICE, asset: assets[asset], nextAllowed: U256::from(t + INTERVAL),
                            }))
                        } else if ceil_deviation(p, price) > U256::from(MAX_DEV) {
                            Err(Error::DeviationExceeded(PowerOracleDeviationExceeded {
                                kind: KIND_PRICE, asset: assets[asset], last: U256::from(p), reported: U256::from(price),
                                maxDeviation: U256::from(MAX_DEV),
                            }))
                        } else { Ok(()) }
                    } else { Ok(()) };
                    prop_assert_eq!(&result, &expected, "report outcome differs from the rules");
                    if result.is_ok() { ghost.record(now, price); } else { ghost.rejected += 1; }
                }
                Action::Confirm { asset, bps } => {
                    let ghost = &mut ghosts[asset];
                    let price = scaled(ghost.steps.last().map_or(100 * E18, |l| l.1), bps);
                    oracle.sender(owner).confirm_prices_at(now, owner, &[assets[asset]], &[U256::from(price)]).motsu_unwrap();
                    ghost.record(now, price);
                }
                Action::Grow { asset, extra } => {
                    let ghost = &mut ghosts[asset];
                    let current = if ghost.capacity == 0 { usize::from(DEFAULT_OBSERVATIONS) } else { ghost.capacity };
                    let next = current + usize::from(extra);
                    oracle.sender(owner).grow_observations(assets[asset], next as u16).motsu_unwrap();
                    ghost.capacity = next;
                }
            }
            for (asset, ghost) in assets.iter().zip(&ghosts) {
                let Some(&(t, p)) = ghost.steps.last() else {
                    prop_assert!(oracle.sender(owner).get_price_with_time(*asset).is_err(), "price without reports");
                    continue;
                };
                prop_assert_eq!(
                    oracle.sender(owner).get_price_with_time(*asset).unwrap(), (U256::from(p), U256::from(t)),
                    "last price differs from the ghost"
                );
                let (index, len, _) = oracle.sender(owner).observation_info(*asset);
                prop_assert_eq!((usize::from(index), usize::from(len)), (ghost.index, ghost.len), "ring differs from the model");
                let stale = now - t > MAX_AGE;
                let oldest = ghost.oldest();
                for window in [1, INTERVAL, 5 * INTERVAL, now - oldest, now - oldest + 1] {
                    if window == 0 { continue; }
                    let got = oracle.sender(owner).twap_at(now, *asset, U256::from(window));
                    if stale {
                        prop_assert_eq!(got, Err(Error::Stale(PowerOracleStale {
                            kind: KIND_PRICE, asset: *asset, updatedAt: U256::from(t), maxAge: U256::from(MAX_AGE),
                        })), "a stale price must not give a TWAP");
                    } else if now - window < oldest {
                        prop_assert_eq!(got, Err(Error::TwapHistoryTooShort(PowerOracleTwapHistoryTooShort {
                            asset: *asset, window: U256::from(window), available: U256::from(now - oldest),
                        })), "a window beyond the retained history must be refused");
                    } else {
                        prop_assert_eq!(got, Ok(reference_twap(&ghost.steps, now, window)), "TWAP differs from the ghost");
                    }
                }
                prop_assert_eq!(ghost.accepted >= ghost.steps.len(), true, "ghost ledger lost an accepted report");
            }
        }
    }
}
