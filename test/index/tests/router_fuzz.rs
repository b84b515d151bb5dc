//! Property tests of the router: on random states (community fees, the router's no-fee
//! status, venue yield on the pi-token) and random amounts, every action — single-token
//! join and exit, proportional join and exit, exact-in and exact-out swaps along every
//! route shape (one hop, two hops, wrapping in, unwrapping out) — either fails in its quote
//! and in execution alike, or pays exactly its quote; and the router holds nothing after.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    missing_docs
)]

mod router_support;

use alloy_primitives::{Address, U256};
use motsu::prelude::*;
use proptest::prelude::*;
use router_support::{cases, e18, serial, System, DEADLINE, T0};

/// An amount from 1e6 wei to 600e18 (beyond the pools' ratio limits at the top).
fn amount() -> impl Strategy<Value = U256> {
    (6u32..=20, 1u64..=60).prop_map(|(e, m)| U256::from(m) * U256::from(10).pow(U256::from(e)))
}

fn community() -> impl Strategy<Value = U256> {
    prop_oneof![Just(U256::ZERO), (0u64..=100_000_000_000_000_000).prop_map(U256::from)]
}

/// Builds a system with community fees `fee`, the router exempt or not, and `yield_` earned
/// on half of the pi-token's underlying.
fn system(fee: U256, exempt: bool, yield_: U256) -> System {
    let sys = System::new();
    sys.set_community_fees(fee, fee, fee, Address::with_last_byte(0xFE));
    if exempt {
        sys.pool1.sender(sys.owner).set_without_fee(sys.router.address(), true).motsu_unwrap();
    }
    sys.pic.sender(sys.pi_router).stake(e18(500)).motsu_unwrap();
    if !yield_.is_zero() {
        sys.venue.sender(sys.owner).simulate_yield(yield_).motsu_unwrap();
    }
    sys
}

/// The routes tried: (pools, path) by index.
fn route(sys: &System, which: usize) -> (Vec<Address>, Vec<Address>) {
    let (p1, p2) = (sys.pool1.address(), sys.pool2.address());
    let (a, b, c, d, pic) =
        (sys.a.address(), sys.b.address(), sys.c.address(), sys.d.address(), sys.pic.address());
    match which {
        0 => (vec![p1], vec![a, b]),
        1 => (vec![p1], vec![c, a]),
        2 => (vec![p1], vec![b, c]),
        3 => (vec![p1, p2], vec![c, b, d]),
        4 => (vec![p2, p1], vec![d, b, c]),
        5 => (vec![p2, p1], vec![d, b, pic]),
        _ => (vec![p1, p2], vec![a, b, d]),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases() / 10))]

    #[test]
    fn fuzz_swaps_pay_exactly_their_quotes_and_leave_nothing_behind(
        fee in community(),
        exempt in any::<bool>(),
        yield_ in prop_oneof![Just(U256::ZERO), amount()],
        which in 0usize..7,
        x in amount(),
        exact_out in any::<bool>(),
    ) {
        let _serial = serial();
        let sys = system(fee, exempt, yield_);
        let (pools, path) = route(&sys, which);
        let (u, recipient) = (sys.user, Address::with_last_byte(0x77));
        let (first, last) = (path[0], *path.last().unwrap());
        let before = sys.snapshot();
        let start = sys.balance(first, u);
        if exact_out {
            let quote = sys.quoter().quote_swap_exact_out(&pools, &path, x);
            let run = sys.router.sender(u).swap_exact_out_at(T0, &pools, &path, x, U256::MAX, recipient, DEADLINE).motsu_res();
            match (quote, run) {
                (Ok(q), Ok(paid)) => {
                    prop_assert_eq!(paid, q);
                    prop_assert_eq!(start - sys.balance(first, u), q);
                    prop_assert_eq!(sys.balance(last, recipient), x);
                }
                (Err(q), Err(e)) => {
                    prop_assert_eq!(Vec::from(q), e);
                    prop_assert_eq!(sys.snapshot(), before);
                }
                (q, e) => prop_assert!(false, "quote {q:?} but execution {e:?}"),
            }
        } else {
            let quote = sys.quoter().quote_swap_exact_in(&pools, &path, x);
            let run = sys.router.sender(u).swap_exact_in_at(T0, &pools, &path, x, U256::ZERO, recipient, DEADLINE).motsu_res();
            match (quote, run) {
                (Ok(q), Ok(out)) => {
                    prop_assert_eq!(out, q);
                    prop_assert_eq!(start - sys.balance(first, u), x);
                    prop_assert_eq!(sys.balance(last, recipient), q);
                }
                (Err(q), Err(e)) => {
                    prop_assert_eq!(Vec::from(q), e);
                    prop_assert_eq!(sys.snapshot(), before);
                }
                (q, e) => prop_assert!(false, "quote {q:?} but execution {e:?}"),
            }
        }
        sys.assert_router_empty();
    }

    #[test]
    fn fuzz_joins_and_exits_pay_exactly_their_quotes_and_leave_nothing_behind(
        fee in community(),
        exempt in any::<bool>(),
        yield_ in prop_oneof![Just(U256::ZERO), amount()],
        token in 0usize..4,
        x in amount(),
        all in any::<bool>(),
    ) {
        let _serial = serial();
        let sys = system(fee, exempt, yield_);
        let (u, pool) = (sys.user, sys.pool1.address());
        let t = [sys.a.address(), sys.b.address(), sys.c.address(), sys.pic.address()][token];
        sys.pool1.sender(u).approve(sys.router.address(), U256::MAX).motsu_unwrap();
        if all {
            // At most 60e18 shares (60% of the supply): the user can always afford them.
            let shares = x / U256::from(100);
            prop_assume!(!shares.is_zero());
            let quote = sys.quoter().quote_join_all(pool, shares);
            let run = sys.router.sender(u).join_all_at(T0, pool, shares, &[U256::MAX; 3], DEADLINE).motsu_res();
            match (quote, run) {
                (Ok((_, q)), Ok(paid)) => prop_assert_eq!(paid, q),
                (Err(q), Err(e)) => prop_assert_eq!(Vec::from(q), e),
                (q, e) => prop_assert!(false, "join quote {q:?} but execution {e:?}"),
            }
            sys.assert_router_empty();
            let held = sys.balance(pool, u);
            prop_assume!(!held.is_zero());
            let quote = sys.quoter().quote_exit_all(pool, held);
            let run = sys.router.sender(u).exit_all_at(T0, pool, held, &[U256::ZERO; 3], DEADLINE).motsu_res();
            match (quote, run) {
                (Ok((_, q)), Ok(got)) => prop_assert_eq!(got, q),
                (Err(q), Err(e)) => prop_assert_eq!(Vec::from(q), e),
                (q, e) => prop_assert!(false, "exit quote {q:?} but execution {e:?}"),
            }
        } else {
            // Within the user's balances (2,000e18 piC is the smallest), so only the pool can refuse.
            let x = x.min(e18(1_500));
            let start = sys.balance(t, u);
            let quote = sys.quoter().quote_join_with_token(pool, t, x);
            let run = sys.router.sender(u).join_with_token_at(T0, pool, t, x, U256::ZERO, DEADLINE).motsu_res();
            match (quote, run) {
                (Ok(q), Ok(out)) => prop_assert_eq!(out, q),
                (Err(q), Err(e)) => prop_assert_eq!(Vec::from(q), e),
                (q, e) => prop_assert!(false, "join quote {q:?} but execution {e:?}"),
            }
            sys.assert_router_empty();
            let held = sys.balance(pool, u);
            prop_assume!(!held.is_zero());
            let quote = sys.quoter().quote_exit_to_token(pool, held, t);
            let run = sys.router.sender(u).exit_to_token_at(T0, pool, held, t, U256::ZERO, DEADLINE).motsu_res();
            match (quote, run) {
                (Ok(q), Ok(out)) => {
                    prop_assert_eq!(out, q);
                    // Joining and exiting through the router never returns more than it took.
                    prop_assert!(sys.balance(t, u) <= start, "round trip profited");
                }
                (Err(q), Err(e)) => prop_assert_eq!(Vec::from(q), e),
                (q, e) => prop_assert!(false, "exit quote {q:?} but execution {e:?}"),
            }
        }
        sys.assert_router_empty();
    }
}
