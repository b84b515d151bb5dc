//! Stateful invariant test of the pool and the position manager: random pours, drains,
//! collects and swaps by several LPs and traders across many bins, with lending and restoring
//! through the swapper hooks (an account standing in for the manager). After every action:
//! per-bin liquidity equals the positions covering it, lent equals the loans covering it, the
//! current bin's active liquidity is the positions' minus lent, and the pool holds at least
//! what it owes (unlent liquidity at the price, collectable fees, escrow).

use alloy_primitives::{Address, U256};
use infinity_tests::{cases, i, sqrt_at, v3, World, E18};
use motsu::prelude::*;
use num_bigint::BigInt;
use proptest::prelude::*;

const BT: i32 = 10;
const LOW: i32 = -30;
const HIGH: i32 = 30;

fn lps() -> [Address; 3] {
    [Address::from([0x41; 20]), Address::from([0x42; 20]), Address::from([0x43; 20])]
}
fn traders() -> [Address; 2] {
    [Address::from([0x51; 20]), Address::from([0x52; 20])]
}
fn hooks() -> Address {
    Address::from([0x33; 20])
}

#[derive(Clone, Debug)]
enum Action {
    Pour { actor: usize, start: i32, width: i32, l: u128 },
    Drain { pick: usize, fraction: u8 },
    Collect { pick: usize },
    Swap { actor: usize, zero_for_one: bool, amount: u128, ticks: i32, exact_in: bool },
    Lend { above: bool, gap: i32, width: i32, fraction: u8 },
    Restore { pick: usize },
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => (0usize..3, LOW..HIGH, 0i32..6, 1u128..(1000 * E18)).prop_map(|(actor, start, width, l)| Action::Pour { actor, start, width, l }),
        2 => (any::<usize>(), 1u8..=100).prop_map(|(pick, fraction)| Action::Drain { pick, fraction }),
        1 => any::<usize>().prop_map(|pick| Action::Collect { pick }),
        4 => (0usize..2, any::<bool>(), 1u128..(50 * E18), 1i32..300, any::<bool>())
            .prop_map(|(actor, zero_for_one, amount, ticks, exact_in)| Action::Swap { actor, zero_for_one, amount, ticks, exact_in }),
        2 => (any::<bool>(), 0i32..4, 0i32..4, 1u8..=100).prop_map(|(above, gap, width, fraction)| Action::Lend { above, gap, width, fraction }),
        1 => any::<usize>().prop_map(|pick| Action::Restore { pick }),
    ]
}

struct Position {
    owner: Address,
    id: U256,
    start: i32,
    stop: i32,
    l: u128,
}

struct Loan {
    start: i32,
    stop: i32,
    l: u128,
}

/// The handler: the deployment plus ghost records of positions and loans.
struct Handler {
    w: World,
    positions: Vec<Position>,
    loans: Vec<Loan>,
}

impl Handler {
    fn new() -> Self {
        let w = World::new(BT, 3000, sqrt_at(5), hooks());
        for a in lps().into_iter().chain(traders()).chain([hooks()]) {
            w.fund(a, U256::MAX >> 8, U256::MAX >> 8);
        }
        Handler { w, positions: Vec::new(), loans: Vec::new() }
    }

    fn apply(&mut self, action: &Action) {
        let w = &self.w;
        match *action {
            Action::Pour { actor, start, width, l } => {
                let owner = lps()[actor];
                let (id, _, _) = w.pour(owner, start, (start + width).min(HIGH), l);
                self.positions.push(Position {
                    owner,
                    id,
                    start,
                    stop: (start + width).min(HIGH),
                    l,
                });
            }
            Action::Drain { pick, fraction } => {
                if self.positions.is_empty() {
                    return;
                }
                let k = pick % self.positions.len();
                let p = &self.positions[k];
                let amount = (p.l / 100 * u128::from(fraction)).max(1).min(p.l);
                let available = (p.start..=p.stop)
                    .map(|b| {
                        let (l, lent) = w.bin(b);
                        l - lent
                    })
                    .min()
                    .unwrap();
                let result = w.positions.sender(p.owner).drain(p.id, amount).motsu_res();
                if amount <= available {
                    result.unwrap();
                    self.positions[k].l -= amount;
                } else {
                    assert!(result.is_err(), "a drain beyond the unlent liquidity must revert");
                }
            }
            Action::Collect { pick } => {
                if self.positions.is_empty() {
                    return;
                }
                let p = &self.positions[pick % self.positions.len()];
                let expected = w.positions.sender(p.owner).collectable(p.id).unwrap();
                let before = w.balances(p.owner);
                let got = w.positions.sender(p.owner).collect(p.id).motsu_unwrap();
                assert_eq!(got, expected, "collect pays what collectable reported");
                let after = w.balances(p.owner);
                assert_eq!((after.0 - before.0, after.1 - before.1), got);
            }
            Action::Swap { actor, zero_for_one, amount, ticks, exact_in } => {
                let (_, tick) = w.price();
                let target = if zero_for_one { tick - ticks } else { tick + 1 + ticks };
                let limit = sqrt_at(target.clamp(-887_000, 887_000));
                let specified = if exact_in { i(amount as i128) } else { i(-(amount as i128)) };
                let quoted =
                    w.pool.sender(traders()[actor]).quote_swap(zero_for_one, specified, limit);
                let swapped = w.swap(traders()[actor], zero_for_one, specified, limit);
                assert_eq!(quoted.ok(), swapped.ok(), "quote equals swap");
            }
            Action::Lend { above, gap, width, fraction } => {
                let bin = w.price().1.div_euclid(BT);
                let (start, stop) = if above {
                    (bin + 1 + gap, bin + 1 + gap + width)
                } else {
                    (bin - 1 - gap - width, bin - 1 - gap)
                };
                if start < LOW || stop > HIGH {
                    return;
                }
                let available = (start..=stop)
                    .map(|b| {
                        let (l, lent) = w.bin(b);
                        l - lent
                    })
                    .min()
                    .unwrap();
                let l = available / 100 * u128::from(fraction);
                if l == 0 {
                    return;
                }
                w.pool.sender(hooks()).lend(start, stop, l).motsu_unwrap();
                self.loans.push(Loan { start, stop, l });
            }
            Action::Restore { pick } => {
                if self.loans.is_empty() {
                    return;
                }
                let loan = self.loans.remove(pick % self.loans.len());
                let (need0, need1) = range_value(w, loan.start, loan.stop, loan.l, true);
                let (e0, e1) = w.pool.sender(w.admin).escrow();
                let top0 = need0.saturating_sub(e0);
                let top1 = need1.saturating_sub(e1);
                w.pool
                    .sender(hooks())
                    .settle(hooks(), top0, top1, U256::ZERO, U256::ZERO)
                    .motsu_unwrap();
                let left = w
                    .pool
                    .sender(hooks())
                    .restore(loan.start, loan.stop, loan.l, need0, need1)
                    .motsu_unwrap();
                assert_eq!(
                    left,
                    (U256::ZERO, U256::ZERO, true),
                    "reserves equal to the need leave nothing"
                );
            }
        }
    }

    fn check(&self) {
        let w = &self.w;
        for b in LOW..=HIGH {
            let (l, lent) = w.bin(b);
            let positions: u128 =
                self.positions.iter().filter(|p| p.start <= b && b <= p.stop).map(|p| p.l).sum();
            assert_eq!(l, positions, "bin {b}: liquidity equals the positions covering it");
            let loans: u128 =
                self.loans.iter().filter(|x| x.start <= b && b <= x.stop).map(|x| x.l).sum();
            assert_eq!(lent, loans, "bin {b}: lent equals the loans covering it");
            assert!(lent <= l, "bin {b}: lent {lent} above liquidity {l}");
        }
        let current = w.price().1.div_euclid(BT);
        if (LOW..=HIGH).contains(&current) {
            let (l, lent) = w.bin(current);
            let covering: u128 = self
                .positions
                .iter()
                .filter(|p| p.start <= current && current <= p.stop)
                .map(|p| p.l)
                .sum();
            let lent_loans: u128 = self
                .loans
                .iter()
                .filter(|x| x.start <= current && current <= x.stop)
                .map(|x| x.l)
                .sum();
            assert_eq!(l - lent, covering - lent_loans, "active liquidity at the current bin");
        }
        // Solvency: unlent liquidity at the price (as drains would pay), collectable fees and
        // escrow are all covered by the pool's balances.
        let (mut owe0, mut owe1) = (BigInt::from(0), BigInt::from(0));
        for b in LOW..=HIGH {
            let (l, lent) = w.bin(b);
            let (a0, a1) = range_value(w, b, b, l - lent, false);
            owe0 += v3::big(a0);
            owe1 += v3::big(a1);
        }
        for p in &self.positions {
            let (f0, f1) = w.positions.sender(p.owner).collectable(p.id).unwrap();
            owe0 += v3::big(f0);
            owe1 += v3::big(f1);
        }
        let (e0, e1) = w.pool.sender(w.admin).escrow();
        owe0 += v3::big(e0);
        owe1 += v3::big(e1);
        let (b0, b1) = w.pool_balances();
        assert!(v3::big(b0) >= owe0, "token0: pool holds {b0}, owes {owe0}");
        assert!(v3::big(b1) >= owe1, "token1: pool holds {b1}, owes {owe1}");
    }
}

/// The v3 amounts of `l` in every bin of `[start, stop]` at the pool's price.
fn range_value(w: &World, start: i32, stop: i32, l: u128, up: bool) -> (U256, U256) {
    let (p, _) = w.price();
    let (a, b) = (sqrt_at(start * BT), sqrt_at((stop + 1) * BT));
    let price = p.clamp(a, b);
    let l = BigInt::from(l);
    (
        v3::to_u256(&v3::amount0(&v3::big(price), &v3::big(b), &l, up)),
        v3::to_u256(&v3::amount1(&v3::big(a), &v3::big(price), &l, up)),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(1000) / 20))]

    #[test]
    fn invariant_pool_liquidity_lending_and_solvency_hold_after_every_action(
        actions in proptest::collection::vec(action(), 1..40),
    ) {
        let _serial = infinity_tests::serial();
        let mut h = Handler::new();
        for a in &actions {
            h.apply(a);
            h.check();
        }
    }
}
