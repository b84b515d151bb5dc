//! Stateful invariant test of the pool: random sequences of joins, exits, swaps,
//! single-token joins and exits, donations, gulps, share transfers, weight changes and time
//! jumps by several actors, through a handler that keeps ghost totals. After every action:
//!
//! - a failed action changed nothing (balances, records, schedules, shares);
//! - the pool's recorded balance of each token is at most its real balance, and at least
//!   `MIN_BALANCE`;
//! - the share supply equals the sum of the holders' balances (ghost set of holders);
//! - every token is conserved: its supply is the sum of the actors', the receiver's and the
//!   pool's balances (nothing is created or lost);
//! - every weight lies in `[MIN_WEIGHT, MAX_WEIGHT]` and the targets sum to at most
//!   `MAX_TOTAL_WEIGHT`; the clock only moves forward.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::too_many_lines,
    missing_docs
)]

mod pool_support;

use alloy_primitives::{Address, U256};
use index_pool::{MAX_TOTAL_WEIGHT, MAX_WEIGHT, MIN_BALANCE, MIN_WEIGHT};
use motsu::prelude::*;
use pool_support::{cases, e18, serial, Fixture, T0};
use proptest::prelude::*;

const TOKENS: usize = 3;
const ACTORS: usize = 3;

#[derive(Debug, Clone)]
enum Action {
    Join { actor: usize, millionths: u64 },
    Exit { actor: usize, millionths: u64 },
    SwapIn { actor: usize, tin: usize, tout: usize, millionths: u64 },
    SwapOut { actor: usize, tin: usize, tout: usize, millionths: u64 },
    JoinswapIn { actor: usize, token: usize, millionths: u64 },
    JoinswapOut { actor: usize, token: usize, millionths: u64 },
    ExitswapIn { actor: usize, token: usize, millionths: u64 },
    ExitswapOut { actor: usize, token: usize, millionths: u64 },
    Donate { actor: usize, token: usize, millionths: u64 },
    Gulp { token: usize },
    TransferShares { from: usize, to: usize, millionths: u64 },
    Reweight { token: usize, target_units: u64, start: u64, duration: u64 },
    Warp { seconds: u64 },
}

fn action() -> impl Strategy<Value = Action> {
    let actor = 0..ACTORS;
    let token = 0..TOKENS;
    let m = 1u64..=600_000;
    prop_oneof![
        (actor.clone(), m.clone())
            .prop_map(|(actor, millionths)| Action::Join { actor, millionths }),
        (actor.clone(), m.clone())
            .prop_map(|(actor, millionths)| Action::Exit { actor, millionths }),
        (actor.clone(), token.clone(), token.clone(), m.clone()).prop_map(
            |(actor, tin, tout, millionths)| Action::SwapIn { actor, tin, tout, millionths }
        ),
        (actor.clone(), token.clone(), token.clone(), m.clone()).prop_map(
            |(actor, tin, tout, millionths)| Action::SwapOut { actor, tin, tout, millionths }
        ),
        (actor.clone(), token.clone(), m.clone())
            .prop_map(|(actor, token, millionths)| Action::JoinswapIn { actor, token, millionths }),
        (actor.clone(), token.clone(), m.clone()).prop_map(|(actor, token, millionths)| {
            Action::JoinswapOut { actor, token, millionths }
        }),
        (actor.clone(), token.clone(), m.clone())
            .prop_map(|(actor, token, millionths)| Action::ExitswapIn { actor, token, millionths }),
        (actor.clone(), token.clone(), m.clone()).prop_map(|(actor, token, millionths)| {
            Action::ExitswapOut { actor, token, millionths }
        }),
        (actor.clone(), token.clone(), m.clone())
            .prop_map(|(actor, token, millionths)| Action::Donate { actor, token, millionths }),
        token.clone().prop_map(|token| Action::Gulp { token }),
        (actor.clone(), actor, m).prop_map(|(from, to, millionths)| Action::TransferShares {
            from,
            to,
            millionths
        }),
        (token, 1u64..=30_000, 0u64..=600, 1u64..=20_000).prop_map(
            |(token, target_units, start, duration)| Action::Reweight {
                token,
                target_units,
                start,
                duration
            }
        ),
        (1u64..=5_000).prop_map(|seconds| Action::Warp { seconds }),
    ]
}

/// The pool under test, its actors and the ghost state the invariants compare against.
struct Handler {
    f: Fixture,
    actors: Vec<Address>,
    receiver: Address,
    now: u64,
    /// Every address that ever held shares.
    holders: Vec<Address>,
}

fn part(amount: U256, millionths: u64) -> U256 {
    amount * U256::from(millionths) / U256::from(1_000_000)
}

impl Handler {
    fn new(fee: U256, community: U256) -> Self {
        let ready = T0 + 600;
        let f = Fixture::new(
            &[e18(100), e18(50), U256::from(3_000_000_000u64)],
            &[e18(10), e18(20), e18(15)],
            fee,
            ready,
        );
        let receiver = Address::with_last_byte(0xFE);
        f.pool
            .sender(f.ctrl)
            .set_community_fees_and_receiver(community, community, community, receiver)
            .motsu_unwrap();
        let actors: Vec<Address> =
            (0..ACTORS).map(|i| Address::with_last_byte(0x10 + u8::try_from(i).unwrap())).collect();
        for &a in &actors {
            f.fund(a, e18(1_000));
        }
        let mut holders = actors.clone();
        holders.extend([f.ctrl, receiver]);
        Self { f, actors, receiver, now: ready, holders }
    }

    /// Runs one action; returns whether it succeeded. A failure must leave everything as it was.
    fn run(&mut self, action: &Action) -> bool {
        let mut watched = self.actors.clone();
        watched.extend([self.f.ctrl, self.receiver]);
        let before = self.f.snapshot(&watched);
        let f = &self.f;
        let now = self.now;
        let pool = &f.pool;
        let ok = match *action {
            Action::Join { actor, millionths } => {
                let p = part(f.supply(), millionths);
                pool.sender(self.actors[actor])
                    .join_pool(p, &[U256::MAX; TOKENS])
                    .motsu_res()
                    .is_ok()
            }
            Action::Exit { actor, millionths } => {
                let who = self.actors[actor];
                let p = part(f.shares(who), millionths);
                pool.sender(who).exit_pool(p, &[U256::ZERO; TOKENS]).motsu_res().is_ok()
            }
            Action::SwapIn { actor, tin, tout, millionths } => {
                let x = part(f.recorded(tin), millionths);
                pool.sender(self.actors[actor])
                    .swap_exact_amount_in_at(
                        now,
                        f.token(tin),
                        x,
                        f.token(tout),
                        U256::ZERO,
                        U256::MAX,
                    )
                    .motsu_res()
                    .is_ok()
            }
            Action::SwapOut { actor, tin, tout, millionths } => {
                let y = part(f.recorded(tout), millionths / 2);
                pool.sender(self.actors[actor])
                    .swap_exact_amount_out_at(
                        now,
                        f.token(tin),
                        U256::MAX,
                        f.token(tout),
                        y,
                        U256::MAX,
                    )
                    .motsu_res()
                    .is_ok()
            }
            Action::JoinswapIn { actor, token, millionths } => {
                let x = part(f.recorded(token), millionths);
                pool.sender(self.actors[actor])
                    .joinswap_extern_amount_in_at(now, f.token(token), x, U256::ZERO)
                    .motsu_res()
                    .is_ok()
            }
            Action::JoinswapOut { actor, token, millionths } => {
                let p = part(f.supply(), millionths / 4);
                pool.sender(self.actors[actor])
                    .joinswap_pool_amount_out_at(now, f.token(token), p, U256::MAX)
                    .motsu_res()
                    .is_ok()
            }
            Action::ExitswapIn { actor, token, millionths } => {
                let who = self.actors[actor];
                let p = part(f.shares(who), millionths);
                pool.sender(who)
                    .exitswap_pool_amount_in_at(now, f.token(token), p, U256::ZERO)
                    .motsu_res()
                    .is_ok()
            }
            Action::ExitswapOut { actor, token, millionths } => {
                let y = part(f.recorded(token), millionths / 2);
                pool.sender(self.actors[actor])
                    .exitswap_extern_amount_out_at(now, f.token(token), y, U256::MAX)
                    .motsu_res()
                    .is_ok()
            }
            Action::Donate { actor, token, millionths } => {
                let who = self.actors[actor];
                let x = part(f.balance(token, who), millionths / 10);
                f.tokens[token].sender(who).transfer(pool.address(), x).motsu_res().is_ok()
            }
            Action::Gulp { token } => {
                pool.sender(self.actors[0]).gulp(f.token(token)).motsu_res().is_ok()
            }
            Action::TransferShares { from, to, millionths } => {
                let who = self.actors[from];
                let p = part(f.shares(who), millionths);
                pool.sender(who).transfer(self.actors[to], p).motsu_res().is_ok()
            }
            Action::Reweight { token, target_units, start, duration } => {
                let target = U256::from(target_units) * U256::from(1_000_000_000_000_000u64);
                pool.sender(f.ctrl)
                    .set_dynamic_weight_at(
                        now,
                        f.token(token),
                        target,
                        U256::from(now + start),
                        U256::from(now + start + duration),
                    )
                    .motsu_res()
                    .is_ok()
            }
            Action::Warp { seconds } => {
                self.now += seconds;
                true
            }
        };
        if !ok {
            assert_eq!(
                self.f.snapshot(&watched),
                before,
                "a failed {action:?} changed the pool's or someone's state"
            );
        }
        ok
    }

    fn check_invariants(&self, action: &Action, last_now: u64) {
        let f = &self.f;
        assert!(self.now >= last_now, "time went backwards after {action:?}");
        for i in 0..TOKENS {
            let (recorded, held) = (f.recorded(i), f.held(i));
            assert!(recorded <= held, "token {i}: recorded balance {recorded} above the pool's real balance {held} after {action:?}");
            assert!(
                recorded >= MIN_BALANCE,
                "token {i}: recorded balance {recorded} below MIN_BALANCE after {action:?}"
            );
            let token = &f.tokens[i];
            let spread: U256 = self
                .holders
                .iter()
                .map(|&h| token.sender(h).balance_of(h))
                .fold(held, |s, b| s + b);
            assert_eq!(
                token.sender(f.ctrl).total_supply(),
                spread,
                "token {i} is not conserved after {action:?}"
            );
            let w = f.weight(i, self.now);
            assert!(
                w >= MIN_WEIGHT && w <= MAX_WEIGHT,
                "token {i}: weight {w} out of bounds after {action:?}"
            );
        }
        let shares = self.holders.iter().fold(U256::ZERO, |s, &h| s + f.shares(h));
        assert_eq!(
            f.supply(),
            shares,
            "share supply differs from the sum of the holders' shares after {action:?}"
        );
        let targets = (0..TOKENS).fold(U256::ZERO, |s, i| {
            s + f.pool.sender(f.ctrl).dynamic_weight_settings(f.token(i)).unwrap().3
        });
        assert!(targets <= MAX_TOTAL_WEIGHT, "target weights sum to {targets} after {action:?}");
    }
}

fn kind(action: &Action) -> usize {
    match action {
        Action::Join { .. } => 0,
        Action::Exit { .. } => 1,
        Action::SwapIn { .. } => 2,
        Action::SwapOut { .. } => 3,
        Action::JoinswapIn { .. } => 4,
        Action::JoinswapOut { .. } => 5,
        Action::ExitswapIn { .. } => 6,
        Action::ExitswapOut { .. } => 7,
        Action::Donate { .. } => 8,
        Action::Gulp { .. } => 9,
        Action::TransferShares { .. } => 10,
        Action::Reweight { .. } => 11,
        Action::Warp { .. } => 12,
    }
}

/// Runs `cases() / 20` random sequences of up to 40 actions (each case deploys a pool and
/// runs its sequence through the handler, checking the invariants after every action), then
/// checks the run exercised the pool: every kind of action succeeded at least once.
#[test]
fn invariant_pool_accounting_holds_under_random_sequences() {
    use proptest::test_runner::{Config, TestRunner};
    use std::cell::RefCell;

    let strategy = (
        prop_oneof![
            Just(index_pool::MIN_FEE),
            (1_000_000_000_000u64..=100_000_000_000_000_000).prop_map(U256::from)
        ],
        prop_oneof![Just(U256::ZERO), (0u64..=100_000_000_000_000_000).prop_map(U256::from)],
        prop::collection::vec(action(), 1..40),
    );
    let successes = RefCell::new([0usize; 13]);
    let mut runner = TestRunner::new(Config { cases: (cases() / 20).max(20), ..Config::default() });
    runner
        .run(&strategy, |(fee, community, actions)| {
            let _serial = serial();
            let mut h = Handler::new(fee, community);
            h.check_invariants(&Action::Warp { seconds: 0 }, h.now);
            for action in &actions {
                let last_now = h.now;
                if h.run(action) {
                    successes.borrow_mut()[kind(action)] += 1;
                }
                h.check_invariants(action, last_now);
            }
            Ok(())
        })
        .unwrap();
    let successes = successes.into_inner();
    assert!(successes.iter().all(|&n| n > 0), "some action never succeeded: {successes:?}");
}
