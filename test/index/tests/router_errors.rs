//! Every way a router call is refused, each with its named error and nothing moved
//! (balances, supplies and pool records compared before and after): deadlines, slippage in
//! both directions, a hop through a pool with swaps disabled (the first hop is undone
//! too), malformed routes, repeated pools and pi-tokens, tokens a pool does not hold, zero
//! amounts and recipients, limit arrays of the wrong length, fee-on-transfer tokens, and
//! quotes that refuse exactly where execution would. Plus the lens's pi-token detection,
//! whose fees quotes use, and the ABI edge cases.
#![allow(
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::too_many_lines,
    missing_docs
)]

extern crate alloc;

mod router_support;

use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::SolError;
use index_pool::{IndexPoolMaxInRatio, IndexPoolSwapsDisabled};
use index_router::{
    Error, IndexRouterArrayLength, IndexRouterCallFailed, IndexRouterExcessiveInput,
    IndexRouterExpired, IndexRouterInsufficientOutput, IndexRouterInvalidPath,
    IndexRouterPoolRepeated, IndexRouterTokenNotInPool, IndexRouterTokenShortfall,
    IndexRouterWrapperRepeated, IndexRouterZeroAddress, IndexRouterZeroAmount,
};
use mock_fee_token::MockFeeToken;
use motsu::prelude::*;
use router_support::{bind, e18, new_pool, System, DEADLINE, T0};

fn enc(e: Error) -> Vec<u8> {
    Vec::from(e)
}

fn expired() -> Vec<u8> {
    enc(Error::Expired(IndexRouterExpired { deadline: U256::from(T0 - 1), now: U256::from(T0) }))
}

#[motsu::test]
fn every_action_reverts_after_its_deadline_and_moves_nothing() {
    let sys = System::new();
    let (r, u) = (&sys.router, sys.user);
    let (p1, a, b) = (sys.pool1.address(), sys.a.address(), sys.b.address());
    let late = U256::from(T0 - 1);
    let before = sys.snapshot();
    let z = U256::ZERO;
    let one = e18(1);
    let three = vec![U256::MAX; 3];
    assert_eq!(
        r.sender(u).join_with_token_at(T0, p1, a, one, z, late).motsu_unwrap_err(),
        expired()
    );
    assert_eq!(r.sender(u).exit_to_token_at(T0, p1, one, a, z, late).motsu_unwrap_err(), expired());
    assert_eq!(r.sender(u).join_all_at(T0, p1, one, &three, late).motsu_unwrap_err(), expired());
    assert_eq!(
        r.sender(u).exit_all_at(T0, p1, one, &[z, z, z], late).motsu_unwrap_err(),
        expired()
    );
    assert_eq!(
        r.sender(u).swap_exact_in_at(T0, &[p1], &[a, b], one, z, u, late).motsu_unwrap_err(),
        expired()
    );
    assert_eq!(
        r.sender(u)
            .swap_exact_out_at(T0, &[p1], &[a, b], one, U256::MAX, u, late)
            .motsu_unwrap_err(),
        expired()
    );
    assert_eq!(sys.snapshot(), before);
    // The deadline itself is still in time.
    r.sender(u).join_with_token_at(T0, p1, a, one, z, U256::from(T0)).motsu_unwrap();
}

#[motsu::test]
fn outputs_below_the_minimum_revert_and_move_nothing() {
    let sys = System::new();
    let (r, l, u) = (&sys.router, &sys.lens, sys.user);
    let rq = sys.router.address();
    let (p1, p2) = (sys.pool1.address(), sys.pool2.address());
    let (a, b, c, d) = (sys.a.address(), sys.b.address(), sys.c.address(), sys.d.address());
    let short = |got: U256| {
        enc(Error::InsufficientOutput(IndexRouterInsufficientOutput {
            amountOut: got,
            minAmountOut: got + U256::from(1),
        }))
    };
    let before = sys.snapshot();

    let q = l.sender(rq).quote_join_with_token(p1, c, e18(10)).unwrap();
    let err = r.sender(u).join_with_token_at(T0, p1, c, e18(10), q + U256::from(1), DEADLINE);
    assert_eq!(err.motsu_unwrap_err(), short(q));

    let (pools, path) = ([p1, p2], [c, b, d]);
    let q = l.sender(rq).quote_swap_exact_in(&pools, &path, e18(10)).unwrap();
    let err =
        r.sender(u).swap_exact_in_at(T0, &pools, &path, e18(10), q + U256::from(1), u, DEADLINE);
    assert_eq!(err.motsu_unwrap_err(), short(q));
    assert_eq!(sys.snapshot(), before);

    // Exits: the user first holds shares.
    r.sender(u).join_with_token_at(T0, p1, a, e18(10), U256::ZERO, DEADLINE).motsu_unwrap();
    sys.pool1.sender(u).approve(r.address(), U256::MAX).motsu_unwrap();
    let shares = sys.balance(p1, u);
    let before = sys.snapshot();
    let q = l.sender(rq).quote_exit_to_token(p1, shares, c).unwrap();
    let err = r.sender(u).exit_to_token_at(T0, p1, shares, c, q + U256::from(1), DEADLINE);
    assert_eq!(err.motsu_unwrap_err(), short(q));
    let (_, amounts) = l.sender(rq).quote_exit_all(p1, shares).unwrap();
    let mut mins = amounts.clone();
    mins[2] += U256::from(1);
    let err = r.sender(u).exit_all_at(T0, p1, shares, &mins, DEADLINE).motsu_unwrap_err();
    assert_eq!(err, short(amounts[2]));
    assert_eq!(sys.snapshot(), before);
}

#[motsu::test]
fn inputs_above_the_maximum_revert_and_move_nothing() {
    let sys = System::new();
    let (r, l, u) = (&sys.router, &sys.lens, sys.user);
    let rq = sys.router.address();
    let (p1, p2) = (sys.pool1.address(), sys.pool2.address());
    let (b, c, d) = (sys.b.address(), sys.c.address(), sys.d.address());
    let before = sys.snapshot();
    let (pools, path) = ([p1, p2], [c, b, d]);
    let q = l.sender(rq).quote_swap_exact_out(&pools, &path, e18(5)).unwrap();
    let err = r
        .sender(u)
        .swap_exact_out_at(T0, &pools, &path, e18(5), q - U256::from(1), u, DEADLINE)
        .motsu_unwrap_err();
    assert_eq!(
        err,
        enc(Error::ExcessiveInput(IndexRouterExcessiveInput {
            amountIn: q,
            maxAmountIn: q - U256::from(1)
        }))
    );
    let (_, amounts) = l.sender(rq).quote_join_all(p1, e18(2)).unwrap();
    let mut maxes = amounts.clone();
    maxes[2] -= U256::from(1);
    let err = r.sender(u).join_all_at(T0, p1, e18(2), &maxes, DEADLINE).motsu_unwrap_err();
    assert_eq!(
        err,
        enc(Error::ExcessiveInput(IndexRouterExcessiveInput {
            amountIn: amounts[2],
            maxAmountIn: maxes[2]
        }))
    );
    assert_eq!(sys.snapshot(), before);
}

#[motsu::test]
fn a_hop_through_a_pool_with_swaps_disabled_fails_cleanly_with_nothing_moved() {
    let sys = System::new();
    let (r, l, u) = (&sys.router, &sys.lens, sys.user);
    let rq = sys.router.address();
    let (p1, p2) = (sys.pool1.address(), sys.pool2.address());
    let (b, c, d) = (sys.b.address(), sys.c.address(), sys.d.address());
    sys.pool2.sender(sys.owner).set_swaps_disabled(true).motsu_unwrap();
    let refused = enc(Error::CallFailed(IndexRouterCallFailed {
        target: p2,
        reason: IndexPoolSwapsDisabled::SELECTOR.into(),
    }));
    let before = sys.snapshot();
    // The first hop (C wrapped into piC, swapped in pool1) would succeed: it is undone.
    let (pools, path) = ([p1, p2], [c, b, d]);
    let err = r.sender(u).swap_exact_in_at(T0, &pools, &path, e18(10), U256::ZERO, u, DEADLINE);
    assert_eq!(err.motsu_unwrap_err(), refused);
    assert_eq!(sys.snapshot(), before);
    sys.assert_router_empty();
    // The quotes refuse with the same error.
    let quote = l.sender(rq).quote_swap_exact_in(&pools, &path, e18(10)).unwrap_err();
    assert_eq!(Vec::from(quote), refused);
    let quote = l.sender(rq).quote_swap_exact_out(&pools, &path, e18(1)).unwrap_err();
    assert_eq!(Vec::from(quote), refused);
    let err = r.sender(u).swap_exact_out_at(T0, &pools, &path, e18(1), U256::MAX, u, DEADLINE);
    assert_eq!(err.motsu_unwrap_err(), refused);
    // Proportional joins and exits still work on a pool with swaps disabled.
    r.sender(u).join_all_at(T0, p2, e18(1), &[U256::MAX, U256::MAX], DEADLINE).motsu_unwrap();
}

#[motsu::test]
fn quotes_refuse_an_amount_above_the_pools_max_in_ratio_as_execution_does() {
    let sys = System::new();
    let (r, l, u) = (&sys.router, &sys.lens, sys.user);
    let rq = sys.router.address();
    let (p1, a, b) = (sys.pool1.address(), sys.a.address(), sys.b.address());
    let refused = enc(Error::CallFailed(IndexRouterCallFailed {
        target: p1,
        reason: IndexPoolMaxInRatio::SELECTOR.into(),
    }));
    // Half of the pool's 1000e18 A is the most one swap may bring in.
    let too_much = e18(500) + U256::from(1);
    let quote = l.sender(rq).quote_swap_exact_in(&[p1], &[a, b], too_much).unwrap_err();
    assert_eq!(Vec::from(quote), refused);
    let before = sys.snapshot();
    let err = r.sender(u).swap_exact_in_at(T0, &[p1], &[a, b], too_much, U256::ZERO, u, DEADLINE);
    assert_eq!(err.motsu_unwrap_err(), refused);
    let quote = l.sender(rq).quote_join_with_token(p1, a, too_much).unwrap_err();
    assert_eq!(Vec::from(quote), refused);
    let err = r.sender(u).join_with_token_at(T0, p1, a, too_much, U256::ZERO, DEADLINE);
    assert_eq!(err.motsu_unwrap_err(), refused);
    assert_eq!(sys.snapshot(), before);
    // Exactly half is accepted, by the quote and by execution alike.
    let q = l.sender(rq).quote_swap_exact_in(&[p1], &[a, b], e18(500)).unwrap();
    let out =
        r.sender(u).swap_exact_in_at(T0, &[p1], &[a, b], e18(500), q, u, DEADLINE).motsu_unwrap();
    assert_eq!(out, q);
}

#[motsu::test]
fn malformed_routes_are_refused_by_the_lens_and_passed_on_by_the_router() {
    let sys = System::new();
    let (r, l, u) = (&sys.router, &sys.lens, sys.user);
    let rq = sys.router.address();
    let (p1, p2) = (sys.pool1.address(), sys.pool2.address());
    let (a, b, c, d) = (sys.a.address(), sys.b.address(), sys.c.address(), sys.d.address());
    let pic = sys.pic.address();
    let invalid = enc(Error::InvalidPath(IndexRouterInvalidPath {}));
    let before = sys.snapshot();
    let five = [p1, p2, p1, p2, p1];
    let cases: Vec<(Vec<Address>, Vec<Address>)> = vec![
        (vec![], vec![a]),                       // no hop
        (vec![p1], vec![a]),                     // one token short
        (vec![p1], vec![a, b, d]),               // one token too many
        (vec![p1], vec![a, a]),                  // same token in and out
        (vec![p1], vec![c, pic]),                // C wraps into piC: same pool token
        (five.to_vec(), vec![a, b, a, b, a, b]), // more than MAX_HOPS
    ];
    for (pools, path) in cases {
        let quote = l.sender(rq).quote_swap_exact_in(&pools, &path, e18(1)).unwrap_err();
        assert_eq!(Vec::from(quote), invalid, "{pools:?} {path:?}");
        let err = r.sender(u).swap_exact_in_at(T0, &pools, &path, e18(1), U256::ZERO, u, DEADLINE);
        assert_eq!(err.motsu_unwrap_err(), invalid, "{pools:?} {path:?}");
        let err = r.sender(u).swap_exact_out_at(T0, &pools, &path, e18(1), U256::MAX, u, DEADLINE);
        assert_eq!(err.motsu_unwrap_err(), invalid, "{pools:?} {path:?}");
    }
    let repeated = enc(Error::PoolRepeated(IndexRouterPoolRepeated { pool: p1 }));
    let err =
        r.sender(u).swap_exact_in_at(T0, &[p1, p1], &[a, b, a], e18(1), U256::ZERO, u, DEADLINE);
    assert_eq!(err.motsu_unwrap_err(), repeated);
    let not_in_pool = enc(Error::TokenNotInPool(IndexRouterTokenNotInPool { pool: p2, token: a }));
    let err = r.sender(u).swap_exact_in_at(T0, &[p2], &[a, b], e18(1), U256::ZERO, u, DEADLINE);
    assert_eq!(err.motsu_unwrap_err(), not_in_pool);
    let err = r.sender(u).join_with_token_at(T0, p2, a, e18(1), U256::ZERO, DEADLINE);
    assert_eq!(err.motsu_unwrap_err(), not_in_pool);
    let err = l.sender(rq).quote_exit_to_token(p2, e18(1), a).unwrap_err();
    assert_eq!(Vec::from(err), not_in_pool);
    assert_eq!(sys.snapshot(), before);
}

#[motsu::test]
fn a_route_converting_the_same_pi_token_twice_is_refused() {
    let sys = System::new();
    let (r, u) = (&sys.router, sys.user);
    // pool3 holds B and piC too: C → (wrap) → B in pool1, then B → (unwrap) → C in pool3.
    let pool3 = new_pool(sys.owner, &sys.math);
    router_support::fund(&sys.b, sys.owner, e18(100), pool3.address());
    router_support::fund(&sys.c, sys.owner, e18(100), sys.pic.address());
    sys.pic.sender(sys.owner).deposit(e18(100)).motsu_unwrap();
    sys.pic.sender(sys.owner).approve(pool3.address(), U256::MAX).motsu_unwrap();
    bind(&pool3, sys.owner, sys.b.address(), e18(100), e18(10));
    bind(&pool3, sys.owner, sys.pic.address(), e18(100), e18(10));
    pool3.sender(sys.owner).finalize().motsu_unwrap();
    let (pools, path) = (
        [sys.pool1.address(), pool3.address()],
        [sys.c.address(), sys.b.address(), sys.c.address()],
    );
    let before = sys.snapshot();
    let err = r.sender(u).swap_exact_in_at(T0, &pools, &path, e18(1), U256::ZERO, u, DEADLINE);
    assert_eq!(
        err.motsu_unwrap_err(),
        enc(Error::WrapperRepeated(IndexRouterWrapperRepeated { piToken: sys.pic.address() }))
    );
    assert_eq!(sys.snapshot(), before);
    // Through piC itself (no conversion) the same trade is fine.
    let path = [sys.c.address(), sys.b.address(), sys.pic.address()];
    let pools = [sys.pool1.address(), pool3.address()];
    let err = r.sender(u).swap_exact_in_at(T0, &pools, &path, e18(1), U256::ZERO, u, DEADLINE);
    err.motsu_unwrap();
}

#[motsu::test]
fn zero_amounts_zero_recipients_and_wrong_limit_arrays_are_refused() {
    let sys = System::new();
    let (r, l, u) = (&sys.router, &sys.lens, sys.user);
    let rq = sys.router.address();
    let (p1, a, b) = (sys.pool1.address(), sys.a.address(), sys.b.address());
    let zero = enc(Error::ZeroAmount(IndexRouterZeroAmount {}));
    let z = U256::ZERO;
    let before = sys.snapshot();
    assert_eq!(r.sender(u).join_with_token_at(T0, p1, a, z, z, DEADLINE).motsu_unwrap_err(), zero);
    assert_eq!(r.sender(u).exit_to_token_at(T0, p1, z, a, z, DEADLINE).motsu_unwrap_err(), zero);
    assert_eq!(r.sender(u).join_all_at(T0, p1, z, &[z, z, z], DEADLINE).motsu_unwrap_err(), zero);
    assert_eq!(r.sender(u).exit_all_at(T0, p1, z, &[z, z, z], DEADLINE).motsu_unwrap_err(), zero);
    assert_eq!(
        r.sender(u).swap_exact_in_at(T0, &[p1], &[a, b], z, z, u, DEADLINE).motsu_unwrap_err(),
        zero
    );
    assert_eq!(
        r.sender(u).swap_exact_out_at(T0, &[p1], &[a, b], z, z, u, DEADLINE).motsu_unwrap_err(),
        zero
    );
    assert_eq!(Vec::from(l.sender(rq).quote_swap_exact_in(&[p1], &[a, b], z).unwrap_err()), zero);
    assert_eq!(Vec::from(l.sender(rq).quote_join_all(p1, z).unwrap_err()), zero);
    let no_recipient = enc(Error::ZeroAddress(IndexRouterZeroAddress {}));
    let err = r.sender(u).swap_exact_in_at(T0, &[p1], &[a, b], e18(1), z, Address::ZERO, DEADLINE);
    assert_eq!(err.motsu_unwrap_err(), no_recipient);
    let err = r.sender(u).swap_exact_out_at(
        T0,
        &[p1],
        &[a, b],
        e18(1),
        U256::MAX,
        Address::ZERO,
        DEADLINE,
    );
    assert_eq!(err.motsu_unwrap_err(), no_recipient);
    let length = enc(Error::ArrayLength(IndexRouterArrayLength {
        length: U256::from(2),
        expected: U256::from(3),
    }));
    let err = r.sender(u).join_all_at(T0, p1, e18(1), &[U256::MAX, U256::MAX], DEADLINE);
    assert_eq!(err.motsu_unwrap_err(), length);
    let err = r.sender(u).exit_all_at(T0, p1, e18(1), &[z, z], DEADLINE);
    assert_eq!(err.motsu_unwrap_err(), length);
    assert_eq!(sys.snapshot(), before);
    // A zero lens is refused at construction.
    let router = Contract::<index_router::IndexRouter>::new();
    let err = router.sender(u).constructor(Address::ZERO).motsu_unwrap_err();
    assert_eq!(enc(err), no_recipient);
}

#[motsu::test]
fn a_pool_token_that_starts_charging_transfer_fees_is_refused_with_nothing_moved() {
    let sys = System::new();
    let (r, u) = (&sys.router, sys.user);
    let fee_token = Contract::<MockFeeToken>::new();
    fee_token.sender(sys.owner).constructor(U256::ZERO);
    let pool = new_pool(sys.owner, &sys.math);
    router_support::fund(&sys.a, sys.owner, e18(100), pool.address());
    fee_token.sender(sys.owner).mint(sys.owner, e18(100)).motsu_unwrap();
    fee_token.sender(sys.owner).approve(pool.address(), U256::MAX).motsu_unwrap();
    bind(&pool, sys.owner, sys.a.address(), e18(100), e18(10));
    bind(&pool, sys.owner, fee_token.address(), e18(100), e18(10));
    pool.sender(sys.owner).finalize().motsu_unwrap();
    fee_token.sender(u).mint(u, e18(10)).motsu_unwrap();
    fee_token.sender(u).approve(r.address(), U256::MAX).motsu_unwrap();
    fee_token.sender(u).set_fee_bps(U256::from(100));
    let err = r
        .sender(u)
        .swap_exact_in_at(
            T0,
            &[pool.address()],
            &[fee_token.address(), sys.a.address()],
            e18(1),
            U256::ZERO,
            u,
            DEADLINE,
        )
        .motsu_unwrap_err();
    assert_eq!(
        err,
        enc(Error::TokenShortfall(IndexRouterTokenShortfall {
            token: fee_token.address(),
            expected: e18(1),
            received: e18(1) - e18(1) / U256::from(100),
        }))
    );
    assert_eq!(fee_token.sender(u).balance_of(u), e18(10));
}

#[motsu::test]
fn pi_tokens_are_recognised_by_their_interface_and_nothing_else_is() {
    let sys = System::new();
    let (l, u) = (&sys.lens, sys.user);
    let (c, pic) = (sys.c.address(), sys.pic.address());
    assert_eq!(l.sender(u).wrapper_underlying(pic), c);
    assert_eq!(sys.router.sender(u).wrapper_underlying(pic).unwrap(), c);
    // A plain token, an ERC-4626 vault (it has `asset()`, not `underlying()`), a pool, an
    // account without code: none is a pi-token.
    for other in
        [sys.a.address(), sys.venue.address(), sys.pool1.address(), Address::with_last_byte(0x99)]
    {
        assert_eq!(l.sender(u).wrapper_underlying(other), Address::ZERO, "{other}");
    }
    // A token some other wrapper reports as `underlying()` but that has no `venue()`
    // (a Compound cToken, say) is not wrapped either: pool2 holds B and D only.
    let err = sys.router.sender(u).join_with_token_at(
        T0,
        sys.pool2.address(),
        c,
        e18(1),
        U256::ZERO,
        DEADLINE,
    );
    assert_eq!(
        err.motsu_unwrap_err(),
        enc(Error::TokenNotInPool(IndexRouterTokenNotInPool {
            pool: sys.pool2.address(),
            token: c
        }))
    );
}

#[motsu::test]
fn quotes_are_for_the_caller_so_the_routers_forwarded_quotes_use_the_routers_fees() {
    let sys = System::new();
    let (u, p1, a) = (sys.user, sys.pool1.address(), sys.a.address());
    let fee = U256::from(1_000_000_000_000_000u64);
    sys.set_community_fees(fee, fee, fee, Address::with_last_byte(0xFE));
    sys.pool1.sender(sys.owner).set_without_fee(sys.router.address(), true).motsu_unwrap();
    // Asked directly, the lens quotes for the user, who pays the community fee; through the
    // router (forwarded, so the lens's caller is the router) it quotes the exempt router.
    let for_user = sys.lens.sender(u).quote_join_with_token(p1, a, e18(10)).unwrap();
    let for_router = sys.quoter().quote_join_with_token(p1, a, e18(10)).unwrap();
    assert_eq!(for_user, for_router - (for_router * fee).div_ceil(e18(1)));
    let through_router = {
        use alloy_sol_types::SolCall;
        let data = index_router::abi::functions::quoteJoinWithTokenCall {
            pool: p1,
            tokenIn: a,
            amountIn: e18(10),
        }
        .abi_encode();
        let ret = sys.router.sender(u).fallback(&data).unwrap();
        index_router::abi::functions::quoteJoinWithTokenCall::abi_decode_returns(&ret, true)
            .unwrap()
            .poolAmountOut
    };
    assert_eq!(through_router, for_router);
    let out = sys
        .router
        .sender(u)
        .join_with_token_at(T0, p1, a, e18(10), U256::ZERO, DEADLINE)
        .motsu_unwrap();
    assert_eq!(out, through_router);
}

#[motsu::test]
fn unknown_or_malformed_calldata_reverts_with_empty_data() {
    let sys = System::new();
    let u = sys.user;
    for data in [vec![1u8, 2, 3], vec![0xde, 0xad, 0xbe, 0xef], {
        // swapExactIn with an array offset pointing past the end.
        let mut d = index_router::abi::functions::swapExactInCall {
            pools: vec![Address::ZERO],
            path: vec![Address::ZERO],
            amountIn: U256::from(1),
            minAmountOut: U256::ZERO,
            recipient: u,
            deadline: DEADLINE,
        }
        .abi_encode_call();
        d[4] = 0xff;
        d
    }] {
        assert_eq!(sys.router.sender(u).fallback(&data), Err(Vec::new()), "{data:?}");
        assert_eq!(sys.lens.sender(u).fallback(&data), Err(Vec::new()), "{data:?}");
    }
    let _ = FixedBytes::<4>::ZERO;
}

trait AbiEncodeCall {
    fn abi_encode_call(&self) -> Vec<u8>;
}

impl<T: alloy_sol_types::SolCall> AbiEncodeCall for T {
    fn abi_encode_call(&self) -> Vec<u8> {
        self.abi_encode()
    }
}
