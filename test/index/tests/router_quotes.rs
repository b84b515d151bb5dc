//! The router against real pools, pi-tokens and its lens: every action pays exactly what
//! its quote says (to the wei), wraps and unwraps pi-tokens on the way, and leaves the router
//! holding nothing — no tokens, no allowances. Community fees and the router's no-fee status
//! are reflected in the quotes; a pi-token worth more than one underlying (after venue
//! yield) converts at its rate.
#![allow(
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::unused_self,
    clippy::needless_pass_by_value,
    missing_docs
)]

extern crate alloc;

mod router_support;

use alloy_primitives::{uint, Address, U256};
use index_router::{ExitedAll, ExitedToToken, JoinedAll, JoinedWithToken, Swapped};
use motsu::prelude::*;
use router_support::{e18, System, DEADLINE, T0};

const FEE_01: U256 = uint!(1_000_000_000_000_000_U256); // 0.1%

/// Stakes 600 of the pi-token's 1000 C and lets the venue earn 90: 1 piC > 1 C.
fn with_yield(sys: &System) {
    sys.pic.sender(sys.pi_router).stake(e18(600)).motsu_unwrap();
    sys.venue.sender(sys.owner).simulate_yield(e18(90)).motsu_unwrap();
    let rate = sys.pic.sender(sys.user).preview_withdraw(e18(1)).unwrap();
    assert!(rate > e18(1), "yield raised the rate: {rate}");
}

fn join_with_token_pays_its_quote(sys: &System, token: Address) {
    let amount = e18(25);
    let quote = sys.quoter().quote_join_with_token(sys.pool1.address(), token, amount).unwrap();
    let before = sys.balance(token, sys.user);
    let shares_before = sys.balance(sys.pool1.address(), sys.user);
    let out = sys
        .router
        .sender(sys.user)
        .join_with_token_at(T0, sys.pool1.address(), token, amount, quote, DEADLINE)
        .motsu_unwrap();
    assert_eq!(out, quote);
    assert_eq!(sys.balance(sys.pool1.address(), sys.user) - shares_before, out);
    assert_eq!(before - sys.balance(token, sys.user), amount);
    sys.router.assert_emitted(&JoinedWithToken {
        caller: sys.user,
        pool: sys.pool1.address(),
        tokenIn: token,
        amountIn: amount,
        poolAmountOut: out,
    });
    sys.assert_router_empty();
}

#[motsu::test]
fn join_with_a_pool_token_pays_exactly_the_quote() {
    let sys = System::new();
    join_with_token_pays_its_quote(&sys, sys.a.address());
}

#[motsu::test]
fn join_with_an_underlying_wraps_it_and_pays_exactly_the_quote() {
    let sys = System::new();
    join_with_token_pays_its_quote(&sys, sys.c.address());
    // The C went into the pi-token (which already held the pool's 1,000 and the user's
    // 2,000), the pi-token into the pool.
    assert_eq!(sys.balance(sys.c.address(), sys.pic.address()), e18(3_025));
    assert_eq!(sys.pool1.sender(sys.user).recorded_balance(sys.pic.address()).unwrap(), e18(1_025));
}

#[motsu::test]
fn join_with_an_underlying_at_a_yield_bearing_rate_pays_exactly_the_quote() {
    let sys = System::new();
    with_yield(&sys);
    join_with_token_pays_its_quote(&sys, sys.c.address());
}

#[motsu::test]
fn join_with_token_pays_the_quote_with_community_fees_and_without_them_for_exempt_routers() {
    let sys = System::new();
    sys.set_community_fees(FEE_01, FEE_01, FEE_01, Address::with_last_byte(0xFE));
    let (pool, a) = (sys.pool1.address(), sys.a.address());
    let charged = sys.quoter().quote_join_with_token(pool, a, e18(25)).unwrap();
    sys.pool1.sender(sys.owner).set_without_fee(sys.router.address(), true).motsu_unwrap();
    let exempt = sys.quoter().quote_join_with_token(pool, a, e18(25)).unwrap();
    // The join fee is ⌈P · 0.1%⌉ of the shares minted.
    assert_eq!(charged, exempt - (exempt * FEE_01).div_ceil(e18(1)));
    join_with_token_pays_its_quote(&sys, a);
    sys.pool1.sender(sys.owner).set_without_fee(sys.router.address(), false).motsu_unwrap();
    join_with_token_pays_its_quote(&sys, a);
}

fn exit_to_token_pays_its_quote(sys: &System, token: Address) {
    let (pool, user) = (sys.pool1.address(), sys.user);
    sys.router
        .sender(user)
        .join_with_token_at(T0, pool, sys.a.address(), e18(50), U256::ZERO, DEADLINE)
        .motsu_unwrap();
    let shares = sys.balance(pool, user);
    sys.pool1.sender(user).approve(sys.router.address(), U256::MAX).motsu_unwrap();
    let quote = sys.quoter().quote_exit_to_token(pool, shares, token).unwrap();
    let before = sys.balance(token, user);
    let out = sys
        .router
        .sender(user)
        .exit_to_token_at(T0, pool, shares, token, quote, DEADLINE)
        .motsu_unwrap();
    assert_eq!(out, quote);
    assert_eq!(sys.balance(token, user) - before, out);
    assert_eq!(sys.balance(pool, user), U256::ZERO);
    sys.router.assert_emitted(&ExitedToToken {
        caller: user,
        pool,
        tokenOut: token,
        poolAmountIn: shares,
        amountOut: out,
    });
    sys.assert_router_empty();
}

#[motsu::test]
fn exit_to_a_pool_token_pays_exactly_the_quote() {
    let sys = System::new();
    exit_to_token_pays_its_quote(&sys, sys.b.address());
}

#[motsu::test]
fn exit_to_an_underlying_unwraps_and_pays_exactly_the_quote() {
    let sys = System::new();
    with_yield(&sys);
    sys.set_community_fees(FEE_01, FEE_01, FEE_01, Address::with_last_byte(0xFE));
    exit_to_token_pays_its_quote(&sys, sys.c.address());
}

#[motsu::test]
fn join_all_and_exit_all_in_underlyings_pay_exactly_their_quotes() {
    let sys = System::new();
    with_yield(&sys);
    sys.set_community_fees(FEE_01, FEE_01, FEE_01, Address::with_last_byte(0xFE));
    let (pool, user) = (sys.pool1.address(), sys.user);
    let p = e18(3);
    let (tokens, amounts) = sys.quoter().quote_join_all(pool, p).unwrap();
    assert_eq!(tokens, vec![sys.a.address(), sys.b.address(), sys.c.address()]);
    let before: Vec<U256> = tokens.iter().map(|&t| sys.balance(t, user)).collect();
    let paid = sys.router.sender(user).join_all_at(T0, pool, p, &amounts, DEADLINE).motsu_unwrap();
    assert_eq!(paid, amounts);
    for (i, &t) in tokens.iter().enumerate() {
        assert_eq!(before[i] - sys.balance(t, user), amounts[i], "paid of token {i}");
    }
    assert_eq!(sys.balance(pool, user), p);
    sys.router.assert_emitted(&JoinedAll { caller: user, pool, poolAmountOut: p });
    sys.assert_router_empty();

    sys.pool1.sender(user).approve(sys.router.address(), U256::MAX).motsu_unwrap();
    let (tokens, amounts) = sys.quoter().quote_exit_all(pool, p).unwrap();
    assert_eq!(tokens, vec![sys.a.address(), sys.b.address(), sys.c.address()]);
    let before: Vec<U256> = tokens.iter().map(|&t| sys.balance(t, user)).collect();
    let got = sys.router.sender(user).exit_all_at(T0, pool, p, &amounts, DEADLINE).motsu_unwrap();
    assert_eq!(got, amounts);
    for (i, &t) in tokens.iter().enumerate() {
        assert_eq!(sys.balance(t, user) - before[i], amounts[i], "received of token {i}");
    }
    sys.router.assert_emitted(&ExitedAll { caller: user, pool, poolAmountIn: p });
    sys.assert_router_empty();
}

/// Runs `swapExactIn` along `(pools, path)` and checks it against the quote.
fn swap_in_pays_its_quote(sys: &System, pools: &[Address], path: &[Address], amount: U256) {
    let user = sys.user;
    let recipient = Address::with_last_byte(0x77);
    let quote = sys.quoter().quote_swap_exact_in(pools, path, amount).unwrap();
    let (first, last) = (path[0], *path.last().unwrap());
    let before_in = sys.balance(first, user);
    let out = sys
        .router
        .sender(user)
        .swap_exact_in_at(T0, pools, path, amount, quote, recipient, DEADLINE)
        .motsu_unwrap();
    assert_eq!(out, quote);
    assert_eq!(before_in - sys.balance(first, user), amount);
    assert_eq!(sys.balance(last, recipient), out);
    sys.router.assert_emitted(&Swapped {
        caller: user,
        recipient,
        tokenIn: first,
        tokenOut: last,
        amountIn: amount,
        amountOut: out,
    });
    sys.assert_router_empty();
}

/// Runs `swapExactOut` along `(pools, path)` and checks it against the quote.
fn swap_out_pays_its_quote(sys: &System, pools: &[Address], path: &[Address], amount: U256) {
    let user = sys.user;
    let recipient = Address::with_last_byte(0x78);
    let quote = sys.quoter().quote_swap_exact_out(pools, path, amount).unwrap();
    let (first, last) = (path[0], *path.last().unwrap());
    let before_in = sys.balance(first, user);
    let paid = sys
        .router
        .sender(user)
        .swap_exact_out_at(T0, pools, path, amount, quote, recipient, DEADLINE)
        .motsu_unwrap();
    assert_eq!(paid, quote);
    assert_eq!(before_in - sys.balance(first, user), paid);
    assert_eq!(sys.balance(last, recipient), amount);
    sys.router.assert_emitted(&Swapped {
        caller: user,
        recipient,
        tokenIn: first,
        tokenOut: last,
        amountIn: paid,
        amountOut: amount,
    });
    sys.assert_router_empty();
}

#[motsu::test]
fn a_one_hop_swap_pays_exactly_the_quote_both_ways() {
    let sys = System::new();
    let pools = [sys.pool1.address()];
    let path = [sys.a.address(), sys.b.address()];
    swap_in_pays_its_quote(&sys, &pools, &path, e18(40));
    swap_out_pays_its_quote(&sys, &pools, &path, e18(40));
}

#[motsu::test]
fn a_two_hop_swap_from_an_underlying_wraps_and_pays_exactly_the_quote() {
    let sys = System::new();
    with_yield(&sys);
    let pools = [sys.pool1.address(), sys.pool2.address()];
    let path = [sys.c.address(), sys.b.address(), sys.d.address()];
    swap_in_pays_its_quote(&sys, &pools, &path, e18(30));
    swap_out_pays_its_quote(&sys, &pools, &path, e18(7));
}

#[motsu::test]
fn a_two_hop_swap_to_an_underlying_unwraps_and_pays_exactly_the_quote() {
    let sys = System::new();
    with_yield(&sys);
    sys.set_community_fees(FEE_01, FEE_01, FEE_01, Address::with_last_byte(0xFE));
    let pools = [sys.pool2.address(), sys.pool1.address()];
    let path = [sys.d.address(), sys.b.address(), sys.c.address()];
    swap_in_pays_its_quote(&sys, &pools, &path, e18(10));
    swap_out_pays_its_quote(&sys, &pools, &path, e18(33));
}

#[motsu::test]
fn a_route_through_the_pi_token_itself_passes_it_unconverted() {
    let sys = System::new();
    // pool1: A → piC (the pi-token named directly), no conversion.
    let pools = [sys.pool1.address()];
    let path = [sys.a.address(), sys.pic.address()];
    swap_in_pays_its_quote(&sys, &pools, &path, e18(12));
    swap_out_pays_its_quote(&sys, &pools, &path, e18(12));
}

#[motsu::test]
fn quotes_through_the_router_equal_quotes_from_the_lens() {
    let sys = System::new();
    let pools = vec![sys.pool1.address(), sys.pool2.address()];
    let path = vec![sys.c.address(), sys.b.address(), sys.d.address()];
    let through_router = router_support_abi::quote_swap_exact_in(&sys, &pools, &path, e18(5));
    let from_lens = sys.quoter().quote_swap_exact_in(&pools, &path, e18(5)).unwrap();
    assert_eq!(through_router, from_lens);
}

/// Calls the router through its ABI (the fallback), as an integrator would.
mod router_support_abi {
    use alloy_primitives::{Address, U256};
    use alloy_sol_types::SolCall;
    use index_router::abi::functions as f;
    use motsu::prelude::*;
    use stylus_sdk::{abi::Bytes, call::RawCall, prelude::*, storage::StorageU256};

    use super::router_support::System;

    #[storage]
    pub(super) struct Caller {
        _unused: StorageU256,
    }
    unsafe impl TopLevelStorage for Caller {}

    #[public]
    impl Caller {
        fn exec(&mut self, target: Address, data: Bytes) -> Result<Bytes, Vec<u8>> {
            // SAFETY: test contract.
            unsafe { RawCall::new().call(target, &data) }.map(Bytes)
        }
    }

    pub(super) fn quote_swap_exact_in(
        sys: &System,
        pools: &[Address],
        path: &[Address],
        amount: U256,
    ) -> U256 {
        let caller = Contract::<Caller>::new();
        let data = f::quoteSwapExactInCall {
            pools: pools.to_vec(),
            path: path.to_vec(),
            amountIn: amount,
        }
        .abi_encode();
        let ret = caller.sender(sys.user).exec(sys.router.address(), Bytes(data)).unwrap();
        f::quoteSwapExactInCall::abi_decode_returns(&ret, true).unwrap().amountOut
    }
}
