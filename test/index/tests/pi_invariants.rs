//! Stateful invariant test of a pi-token managed by the yield router: random sequences of
//! deposits, mints, withdrawals (both kinds), pi transfers, donations, venue yield and
//! losses, venue withdrawal limits, reserve-ratio changes and pokes at advancing times, by
//! three actors, through a handler that keeps ghost totals. After every action:
//!
//! - a failed action changed nothing;
//! - the pi supply is the sum of the holders' balances;
//! - solvency: what every holder could withdraw, summed, is at most the total underlying
//!   (the virtual offset's claim included, claims never exceed the assets);
//! - conservation, exact to the wei: the wrapper's reserve plus everything in the venue
//!   equals what was deposited minus what was withdrawn plus donations and yield minus
//!   losses (the pi-token is the venue's only depositor);
//! - `totalUnderlying = reserve + staked`, and no allowance to the venue is left behind;
//! - the underlying per pi never falls except through a venue loss or a poke (which charges
//!   the performance fee and pays the venue's rounding), or — by less than one venue share
//!   — a withdrawal that redeems from the venue (the venue burns its shares rounded up);
//! - a poke that the venue can serve in full leaves the reserve exactly at
//!   `⌊ratio · total⌋`.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    clippy::unused_self,
    missing_docs
)]

mod router_support;

use alloy_primitives::{Address, FixedBytes, U256};
use mock_erc20::MockErc20;
use mock_venue::MockVenue;
use motsu::prelude::*;
use pi_token::PiToken;
use proptest::prelude::*;
use router_support::{cases, e18, serial, T0};
use yield_router::YieldRouter;

const ACTORS: usize = 3;

#[derive(Debug, Clone)]
enum Action {
    Deposit { actor: usize, amount: u64 },
    Mint { actor: usize, amount: u64 },
    Withdraw { actor: usize, millionths: u64 },
    WithdrawUnderlying { actor: usize, amount: u64 },
    Transfer { from: usize, to: usize, millionths: u64 },
    Donate { amount: u64 },
    Yield { amount: u64 },
    Loss { millionths: u64 },
    Limit { amount: u64 },
    Config { ratio_pct: u64, force_pct: u64, fee_pct: u64 },
    Poke { seconds: u64 },
}

/// Amounts in whole tokens (up to 10,000) or in wei (up to 1e6).
fn amount() -> impl Strategy<Value = u64> {
    prop_oneof![1u64..=10_000, (1u64..=1_000_000).prop_map(|w| w | (1 << 63))]
}

fn action() -> impl Strategy<Value = Action> {
    let actor = 0..ACTORS;
    let m = 1u64..=1_000_000;
    prop_oneof![
        3 => (actor.clone(), amount()).prop_map(|(actor, amount)| Action::Deposit { actor, amount }),
        1 => (actor.clone(), amount()).prop_map(|(actor, amount)| Action::Mint { actor, amount }),
        2 => (actor.clone(), m.clone()).prop_map(|(actor, millionths)| Action::Withdraw { actor, millionths }),
        1 => (actor.clone(), amount()).prop_map(|(actor, amount)| Action::WithdrawUnderlying { actor, amount }),
        1 => (actor.clone(), actor, m.clone()).prop_map(|(from, to, millionths)| Action::Transfer { from, to, millionths }),
        1 => amount().prop_map(|amount| Action::Donate { amount }),
        2 => amount().prop_map(|amount| Action::Yield { amount }),
        1 => (1u64..=300_000).prop_map(|millionths| Action::Loss { millionths }),
        1 => prop_oneof![Just(0u64), amount()].prop_map(|amount| Action::Limit { amount }),
        1 => (0u64..=100, 0u64..=100, 0u64..=50).prop_map(|(ratio_pct, force_pct, fee_pct)| Action::Config { ratio_pct, force_pct, fee_pct }),
        3 => prop_oneof![Just(0u64), 1u64..=200_000].prop_map(|seconds| Action::Poke { seconds }),
    ]
}

/// An amount: whole tokens, or wei when the top bit is set.
fn units(amount: u64) -> U256 {
    if amount & (1 << 63) != 0 {
        U256::from(amount & !(1 << 63))
    } else {
        e18(amount)
    }
}

fn part(amount: U256, millionths: u64) -> U256 {
    amount * U256::from(millionths) / U256::from(1_000_000)
}

fn pct(p: u64) -> U256 {
    U256::from(p) * U256::from(10_000_000_000_000_000u64)
}

struct Handler {
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    pi: Contract<PiToken>,
    router: Contract<YieldRouter>,
    owner: Address,
    treasury: Address,
    actors: Vec<Address>,
    now: u64,
    /// Ghost: underlying that entered the wrapper (deposits, mints, donations) or the venue
    /// (yield) minus what left (withdrawals, losses).
    net_in: U256,
    /// Ghost: the rate (A + 1) / (S + 1) after the last action, as (A + 1, S + 1).
    rate: (U256, U256),
}

impl Handler {
    fn new() -> Self {
        let owner = Address::with_last_byte(0x0A);
        let treasury = Address::with_last_byte(0x7E);
        let token = Contract::<MockErc20>::new();
        token.sender(owner).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
        let venue = Contract::<MockVenue>::new();
        venue.sender(owner).constructor(token.address());
        let router = Contract::<YieldRouter>::new();
        router.sender(owner).constructor(owner).motsu_unwrap();
        let pi = Contract::<PiToken>::new();
        pi.sender(owner)
            .constructor(
                FixedBytes::ZERO,
                FixedBytes::ZERO,
                token.address(),
                venue.address(),
                router.address(),
            )
            .motsu_unwrap();
        router
            .sender(owner)
            .set_config(pi.address(), pct(20), pct(10), 86_400, pct(10), treasury)
            .motsu_unwrap();
        let actors: Vec<Address> =
            (0..ACTORS).map(|i| Address::with_last_byte(0x10 + i as u8)).collect();
        for &a in &actors {
            token.sender(a).mint(a, e18(1_000_000)).motsu_unwrap();
            token.sender(a).approve(pi.address(), U256::MAX).motsu_unwrap();
        }
        Self {
            token,
            venue,
            pi,
            router,
            owner,
            treasury,
            actors,
            now: T0,
            net_in: U256::ZERO,
            rate: (U256::from(1), U256::from(1)),
        }
    }

    fn who(&self) -> Address {
        Address::with_last_byte(0xEE)
    }

    fn total(&self) -> U256 {
        self.pi.sender(self.who()).total_underlying().unwrap()
    }

    fn supply(&self) -> U256 {
        self.pi.sender(self.who()).total_supply()
    }

    fn underlying(&self, a: Address) -> U256 {
        self.token.sender(self.who()).balance_of(a)
    }

    fn holders(&self) -> Vec<Address> {
        let mut h = self.actors.clone();
        h.push(self.treasury);
        h
    }

    fn snapshot(&self) -> Vec<U256> {
        let mut out = vec![
            self.supply(),
            self.underlying(self.pi.address()),
            self.underlying(self.venue.address()),
            self.venue.sender(self.who()).balance_of(self.pi.address()),
            self.pi.sender(self.who()).reserve_state().unwrap().2,
            self.pi.sender(self.who()).reserve_ratio(),
        ];
        for h in self.holders() {
            out.push(self.pi.sender(self.who()).balance_of(h));
            out.push(self.underlying(h));
        }
        out
    }

    /// The venue's price of one share rounded up, `⌈(TA + 1) / (TS + 1)⌉` wei.
    fn venue_share_price(&self) -> U256 {
        let ta = self.underlying(self.venue.address()) + U256::from(1);
        let ts = self.venue.sender(self.who()).total_supply() + U256::from(1);
        ta.div_ceil(ts)
    }

    /// Runs `action`; returns how far it may lower the rate: `None` for anything (a loss,
    /// a poke), else a tolerance in wei of total underlying (the venue's rounding when a
    /// withdrawal redeemed from it: the venue burns shares rounded up).
    fn apply(&mut self, action: &Action) -> Option<U256> {
        let before = self.snapshot();
        let shares_before = self.venue.sender(self.who()).balance_of(self.pi.address());
        let price = self.venue_share_price();
        let ok = match *action {
            Action::Deposit { actor, amount } => {
                let a = self.actors[actor];
                let start = self.underlying(a);
                let r = self.pi.sender(a).deposit(units(amount)).motsu_res();
                if r.is_ok() {
                    self.net_in += start - self.underlying(a);
                }
                r.is_ok()
            }
            Action::Mint { actor, amount } => {
                let a = self.actors[actor];
                let start = self.underlying(a);
                let r = self.pi.sender(a).mint(units(amount)).motsu_res();
                if let Ok(paid) = r {
                    assert_eq!(start - self.underlying(a), paid, "mint took what it returned");
                    self.net_in += paid;
                }
                r.is_ok()
            }
            Action::Withdraw { actor, millionths } => {
                let a = self.actors[actor];
                let pi = part(self.pi.sender(a).balance_of(a), millionths);
                let r = self.pi.sender(a).withdraw(pi).motsu_res();
                if let Ok(paid) = r {
                    self.net_in -= paid;
                }
                r.is_ok()
            }
            Action::WithdrawUnderlying { actor, amount } => {
                let a = self.actors[actor];
                let r = self.pi.sender(a).withdraw_underlying(units(amount)).motsu_res();
                if r.is_ok() {
                    self.net_in -= units(amount);
                }
                r.is_ok()
            }
            Action::Transfer { from, to, millionths } => {
                let (f, t) = (self.actors[from], self.actors[to]);
                let v = part(self.pi.sender(f).balance_of(f), millionths);
                self.pi.sender(f).transfer(t, v).motsu_res().is_ok()
            }
            Action::Donate { amount } => {
                let a = self.actors[0];
                let r = self.token.sender(a).transfer(self.pi.address(), units(amount)).motsu_res();
                if r.is_ok() {
                    self.net_in += units(amount);
                }
                r.is_ok()
            }
            Action::Yield { amount } => {
                let r = self.venue.sender(self.owner).simulate_yield(units(amount)).motsu_res();
                if r.is_ok() {
                    self.net_in += units(amount);
                }
                r.is_ok()
            }
            Action::Loss { millionths } => {
                let held = self.underlying(self.venue.address());
                let loss = part(held, millionths);
                let r = self.venue.sender(self.owner).simulate_loss(loss).motsu_res();
                if r.is_ok() {
                    self.net_in -= loss;
                }
                r.is_ok()
            }
            Action::Limit { amount } => {
                let limit = if amount == 0 { U256::ZERO } else { units(amount) };
                self.venue.sender(self.owner).set_withdraw_limit(limit);
                true
            }
            Action::Config { ratio_pct, force_pct, fee_pct } => self
                .router
                .sender(self.owner)
                .set_config(
                    self.pi.address(),
                    pct(ratio_pct),
                    pct(force_pct.min(ratio_pct)),
                    86_400,
                    pct(fee_pct),
                    self.treasury,
                )
                .motsu_res()
                .is_ok(),
            Action::Poke { seconds } => {
                self.now += seconds;
                let (reserve, staked, _, liquidity) =
                    self.pi.sender(self.who()).reserve_state().unwrap();
                let ratio = self.pi.sender(self.who()).reserve_ratio();
                let r =
                    self.router.sender(self.who()).poke_at(self.now, self.pi.address()).motsu_res();
                if r.is_ok() {
                    let expected = (reserve + staked) * ratio / e18(1);
                    let can_serve = reserve >= expected || expected - reserve <= liquidity;
                    let now_reserve = self.pi.sender(self.who()).reserve_state().unwrap().0;
                    if can_serve {
                        assert_eq!(
                            now_reserve, expected,
                            "a poke the venue can serve leaves the reserve at ratio · total"
                        );
                    }
                }
                r.is_ok()
            }
        };
        if !ok {
            assert_eq!(self.snapshot(), before, "a failed {action:?} changed nothing");
        }
        if ok && matches!(action, Action::Loss { .. } | Action::Poke { .. }) {
            return None;
        }
        let touched = self.venue.sender(self.who()).balance_of(self.pi.address()) != shares_before;
        Some(if touched { price } else { U256::ZERO })
    }

    fn check(&mut self, tolerance: Option<U256>, action: &Action) {
        let supply = self.supply();
        let holders = self.holders();
        let sum: U256 = holders.iter().map(|&h| self.pi.sender(h).balance_of(h)).sum();
        assert_eq!(sum, supply, "the supply is the sum of the holders' balances");
        let total = self.total();
        let claims: U256 = holders
            .iter()
            .map(|&h| self.pi.sender(h).preview_withdraw(self.pi.sender(h).balance_of(h)).unwrap())
            .sum();
        assert!(claims <= total, "claims {claims} exceed the underlying {total}");
        let (reserve, staked, _, _) = self.pi.sender(self.who()).reserve_state().unwrap();
        assert_eq!(
            reserve,
            self.underlying(self.pi.address()),
            "the reserve is the wrapper's balance"
        );
        assert_eq!(total, reserve + staked, "total = reserve + staked");
        assert_eq!(
            reserve + self.underlying(self.venue.address()),
            self.net_in,
            "conservation: reserve + venue assets = deposits − withdrawals + donations + yield − losses"
        );
        assert_eq!(
            self.token.sender(self.who()).allowance(self.pi.address(), self.venue.address()),
            U256::ZERO,
            "no allowance to the venue is left"
        );
        let rate = (total + U256::from(1), supply + U256::from(1));
        if let Some(tol) = tolerance {
            // (A' + 1 + tol) / (S' + 1) ≥ (A + 1) / (S + 1), cross-multiplied.
            assert!(
                (rate.0 + tol) * self.rate.1 >= self.rate.0 * rate.1,
                "{action:?} lowered the underlying per pi beyond {tol} wei"
            );
        }
        self.rate = rate;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases() / 10))]

    #[test]
    fn invariant_pi_token_with_yield_router_holds_after_every_action(
        actions in proptest::collection::vec(action(), 1..40),
    ) {
        let _serial = serial();
        let mut h = Handler::new();
        for action in &actions {
            let tolerance = h.apply(action);
            h.check(tolerance, action);
        }
    }
}
