//! Stateful invariant test of the whole Infinity system: LPs pour, drain and collect; traders
//! swap on the float, open fixed-term and revolving loans, reflow, top up and unwind; keepers
//! close expired loans; time jumps. After every action: lent ≤ liquidity and lent equals the
//! open loans per bin; escrow equals the swappers' reserves, deposits and bonds; the pool's
//! balances cover unlent LP liquidity at the price, collectable fees and escrow. At the end,
//! once every loan is closed, every LP drains all of its liquidity.

use alloy_primitives::{Address, U256};
use infinity_tests::{cases, i, sqrt_at, v3, Market, Params, E18};
use motsu::prelude::*;
use num_bigint::BigInt;
use proptest::prelude::*;
use swapper_manager::{FIXED_TERM, REVOLVING};

const BT: i32 = 30;
const LOW: i32 = -25;
const HIGH: i32 = 25;
const T0: u64 = 1_735_689_600;

fn lps() -> [Address; 3] {
    [Address::from([0x91; 20]), Address::from([0x92; 20]), Address::from([0x93; 20])]
}
fn traders() -> [Address; 3] {
    [Address::from([0xa1; 20]), Address::from([0xa2; 20]), Address::from([0xa3; 20])]
}
fn keeper() -> Address {
    Address::from([0xb1; 20])
}

#[derive(Clone, Debug)]
enum Action {
    Pour {
        actor: usize,
        start: i32,
        width: i32,
        l: u128,
    },
    Drain {
        pick: usize,
        fraction: u8,
    },
    Collect {
        pick: usize,
    },
    Swap {
        actor: usize,
        zero_for_one: bool,
        amount: u128,
        ticks: i32,
    },
    Loan {
        actor: usize,
        above: bool,
        gap: i32,
        width: i32,
        fraction: u8,
        mix: u128,
        fixed: bool,
        term: u64,
    },
    Reflow {
        pick: usize,
        mix: u128,
    },
    TopUp {
        pick: usize,
        amount: u128,
    },
    Wait {
        seconds: u64,
    },
    Unwind {
        pick: usize,
        keeper: bool,
    },
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => (0usize..3, LOW..HIGH, 0i32..8, (E18 / 10)..(500 * E18)).prop_map(|(actor, start, width, l)| Action::Pour { actor, start, width, l }),
        1 => (any::<usize>(), 1u8..=100).prop_map(|(pick, fraction)| Action::Drain { pick, fraction }),
        1 => any::<usize>().prop_map(|pick| Action::Collect { pick }),
        3 => (0usize..3, any::<bool>(), 1u128..(20 * E18), 1i32..400).prop_map(|(actor, zero_for_one, amount, ticks)| Action::Swap { actor, zero_for_one, amount, ticks }),
        3 => (0usize..3, any::<bool>(), 0i32..3, 0i32..4, 1u8..=90, 0u128..=E18, any::<bool>(), 1u64..(30 * 86_400))
            .prop_map(|(actor, above, gap, width, fraction, mix, fixed, term)| Action::Loan { actor, above, gap, width, fraction, mix, fixed, term }),
        2 => (any::<usize>(), 0u128..=E18).prop_map(|(pick, mix)| Action::Reflow { pick, mix }),
        1 => (any::<usize>(), 1u128..E18).prop_map(|(pick, amount)| Action::TopUp { pick, amount }),
        1 => (1u64..(20 * 86_400)).prop_map(|seconds| Action::Wait { seconds }),
        2 => (any::<usize>(), any::<bool>()).prop_map(|(pick, keeper)| Action::Unwind { pick, keeper }),
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
    owner: Address,
    id: U256,
    start: i32,
    stop: i32,
    l: u128,
    /// The lent token is token1 (the range was below the price).
    token1: bool,
}

struct Handler {
    m: Market,
    now: u64,
    positions: Vec<Position>,
    loans: Vec<Loan>,
}

impl Handler {
    fn new() -> Self {
        let m = Market::new(BT, 3000, sqrt_at(7), Params::default());
        for a in lps().into_iter().chain(traders()).chain([keeper()]) {
            m.w.fund(a, U256::MAX >> 8, U256::MAX >> 8);
        }
        Handler { m, now: T0, positions: Vec::new(), loans: Vec::new() }
    }

    fn apply(&mut self, action: &Action) {
        let (m, now) = (&self.m, self.now);
        let w = &m.w;
        match *action {
            Action::Pour { actor, start, width, l } => {
                let stop = (start + width).min(HIGH);
                let (id, _, _) = w.pour(lps()[actor], start, stop, l);
                self.positions.push(Position { owner: lps()[actor], id, start, stop, l });
            }
            Action::Drain { pick, fraction } => {
                if self.positions.is_empty() {
                    return;
                }
                let k = pick % self.positions.len();
                let p = &self.positions[k];
                let amount = (p.l / 100 * u128::from(fraction)).clamp(1, p.l);
                let available = (p.start..=p.stop)
                    .map(|b| {
                        let (l, lent) = w.bin(b);
                        l - lent
                    })
                    .min()
                    .unwrap();
                let result = w.positions.sender(p.owner).drain(p.id, amount).motsu_res();
                assert_eq!(
                    result.is_ok(),
                    amount <= available,
                    "drain succeeds exactly when unlent liquidity allows"
                );
                if result.is_ok() {
                    self.positions[k].l -= amount;
                }
            }
            Action::Collect { pick } => {
                if let Some(p) = self.positions.get(pick % self.positions.len().max(1)) {
                    w.positions.sender(p.owner).collect(p.id).motsu_unwrap();
                }
            }
            Action::Swap { actor, zero_for_one, amount, ticks } => {
                let tick = w.price().1;
                // Up: one tick past the current one, so the limit is above a price sitting on an edge.
                let limit = sqrt_at(if zero_for_one { tick - ticks } else { tick + 1 + ticks });
                w.swap(traders()[actor], zero_for_one, i(amount as i128), limit).unwrap();
            }
            Action::Loan { actor, above, gap, width, fraction, mix, fixed, term } => {
                let bin = w.price().1.div_euclid(BT);
                let (start, stop) = if above {
                    (bin + 1 + gap, bin + 1 + gap + width)
                } else {
                    (bin - 1 - gap - width, bin - 1 - gap)
                };
                if start < LOW || stop > HIGH {
                    return;
                }
                // Lend up to `fraction`% of the least-liquid bin, within the 90% cap.
                let cap = (start..=stop)
                    .map(|b| {
                        let (l, lent) = w.bin(b);
                        (l * 9 / 10).saturating_sub(lent)
                    })
                    .min()
                    .unwrap();
                let l = cap / 100 * u128::from(fraction);
                if l == 0 {
                    return;
                }
                let owner = traders()[actor];
                let (ty, t, deposit) = if fixed {
                    (FIXED_TERM, term, U256::MAX)
                } else {
                    (REVOLVING, 0, U256::from(E18 / 100))
                };
                let id =
                    m.loan(now, owner, start, stop, l, U256::from(mix), ty, t, deposit).unwrap();
                self.loans.push(Loan { owner, id, start, stop, l, token1: !above });
            }
            Action::Reflow { pick, mix } => {
                if let Some(loan) = self.loans.get(pick % self.loans.len().max(1)) {
                    m.manager.sender(loan.owner).reflow(loan.id, U256::from(mix)).motsu_unwrap();
                }
            }
            Action::TopUp { pick, amount } => {
                if let Some(loan) = self.loans.get(pick % self.loans.len().max(1)) {
                    if m.swapper(now, loan.id).9 == REVOLVING {
                        m.manager
                            .sender(keeper())
                            .top_up_at(now, keeper(), loan.id, U256::from(amount))
                            .motsu_unwrap();
                    }
                }
            }
            Action::Wait { seconds } => self.now += seconds,
            Action::Unwind { pick, keeper: by_keeper } => {
                if self.loans.is_empty() {
                    return;
                }
                let k = pick % self.loans.len();
                let loan = &self.loans[k];
                let expired = m.manager.sender(keeper()).is_expired_at(now, loan.id).unwrap();
                let caller = if by_keeper { keeper() } else { loan.owner };
                let result = m.manager.sender(caller).unwind_at(now, caller, loan.id).motsu_res();
                if by_keeper && !expired {
                    assert!(result.is_err(), "a keeper cannot close a healthy loan");
                    return;
                }
                result.unwrap();
                self.loans.remove(k);
            }
        }
    }

    fn check(&self) {
        let (m, now) = (&self.m, self.now);
        let w = &m.w;
        for b in LOW..=HIGH {
            let (l, lent) = w.bin(b);
            let positions: u128 =
                self.positions.iter().filter(|p| p.start <= b && b <= p.stop).map(|p| p.l).sum();
            let loans: u128 =
                self.loans.iter().filter(|x| x.start <= b && b <= x.stop).map(|x| x.l).sum();
            assert_eq!(l, positions, "bin {b}: liquidity equals the positions");
            assert_eq!(lent, loans, "bin {b}: lent equals the open loans");
            assert!(lent <= l, "bin {b}: lent {lent} above liquidity {l}");
        }
        // Escrow holds every swapper's reserves and bond, and the revolving deposits (what is
        // left after the interest accrued so far, which stays in escrow until credited).
        let (mut r0, mut r1) = (BigInt::from(0), BigInt::from(0));
        let params = Params::default();
        for loan in &self.loans {
            let v = m.swapper(now, loan.id);
            r0 += v3::big(v.7);
            r1 += v3::big(v.8);
            let mut extra = v3::big(if loan.token1 { params.keeper1 } else { params.keeper0 });
            if v.9 == REVOLVING {
                extra += v3::big(v.12);
            }
            if loan.token1 {
                r1 += extra;
            } else {
                r0 += extra;
            }
        }
        let (e0, e1) = w.pool.sender(w.admin).escrow();
        assert!(
            v3::big(e0) >= r0 && v3::big(e1) >= r1,
            "escrow ({e0}, {e1}) covers reserves and bonds ({r0}, {r1})"
        );
        if self.loans.is_empty() {
            assert_eq!((e0, e1), (U256::ZERO, U256::ZERO), "no loans, no escrow");
        }
        // Solvency.
        let (mut owe0, mut owe1) = (v3::big(e0), v3::big(e1));
        let (p, _) = w.price();
        for b in LOW..=HIGH {
            let (l, lent) = w.bin(b);
            let (a, c) = (sqrt_at(b * BT), sqrt_at((b + 1) * BT));
            let pc = p.clamp(a, c);
            let free = BigInt::from(l - lent);
            owe0 += v3::amount0(&v3::big(pc), &v3::big(c), &free, false);
            owe1 += v3::amount1(&v3::big(a), &v3::big(pc), &free, false);
        }
        for pos in &self.positions {
            let (f0, f1) = w.positions.sender(pos.owner).collectable(pos.id).unwrap();
            owe0 += v3::big(f0);
            owe1 += v3::big(f1);
        }
        let (b0, b1) = w.pool_balances();
        assert!(v3::big(b0) >= owe0, "token0: pool holds {b0}, owes {owe0}");
        assert!(v3::big(b1) >= owe1, "token1: pool holds {b1}, owes {owe1}");
    }

    /// Closes every loan (owners), then every LP drains everything.
    fn wind_down(&mut self) {
        let m = &self.m;
        for loan in self.loans.drain(..) {
            m.manager.sender(loan.owner).unwind_at(self.now, loan.owner, loan.id).motsu_unwrap();
        }
        for p in &mut self.positions {
            if p.l > 0 {
                m.w.positions.sender(p.owner).drain(p.id, p.l).motsu_unwrap();
                p.l = 0;
            }
            m.w.positions.sender(p.owner).collect(p.id).motsu_unwrap();
        }
        for b in LOW..=HIGH {
            assert_eq!(m.w.bin(b), (0, 0), "bin {b} empty after every LP drained");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(1000) / 40))]

    #[test]
    fn invariant_loans_lending_escrow_and_solvency_hold_and_lps_exit_in_full(
        actions in proptest::collection::vec(action(), 1..40),
    ) {
        let _serial = infinity_tests::serial();
        let mut h = Handler::new();
        for a in &actions {
            h.apply(a);
            h.check();
        }
        h.wind_down();
        h.check();
    }
}
