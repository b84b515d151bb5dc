//! Attack regressions on the pool:
//!
//! - a fee-on-transfer token cannot drain or inflate the pool: deposits of it revert with
//!   `IndexPoolTokenShortfall` instead of being credited above what arrived, while LPs can
//!   still exit, and the recorded balance never exceeds the real one;
//! - meta-governance: an allow-listed vote reaches the governor with the pool's full voting
//!   power, through the pool's ABI from a controller contract; a selector that is not
//!   allow-listed, or one that moves tokens, reverts;
//! - a reweight cannot be traded against in the same block: a new schedule starts from the
//!   current weight, so the spot price does not move until time passes.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    missing_docs
)]

extern crate alloc;

mod pool_support;

use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::{SolCall, SolValue};
use index_pool::{
    abi, IndexPool, IndexPoolTokenShortfall, IndexPoolVotingNotAllowed,
    IndexPoolVotingSelectorForbidden, MIN_FEE, MIN_WEIGHT,
};
use mock_erc20::MockErc20;
use mock_fee_token::MockFeeToken;
use mock_governor::MockGovernor;
use motsu::prelude::*;
use pool_support::{e18, enc, ts, Fixture, ANY_RATE, E18, T0};
use stylus_sdk::{abi::Bytes, call::RawCall, prelude::*, storage::StorageU256};
use weighted_math::WeightedMath;

mod governor_abi {
    #![allow(missing_docs)]
    alloy_sol_types::sol! {
        function castVote(uint256 proposalId, uint8 support) external returns (uint256);
        function delegate(address delegatee) external;
    }
}

/// A controller contract that calls the pool through its ABI, like `weight-strategy`.
#[storage]
struct Controller {
    _unused: StorageU256,
}
unsafe impl TopLevelStorage for Controller {}

#[public]
#[allow(clippy::unused_self, clippy::needless_pass_by_value)]
impl Controller {
    fn exec(&mut self, target: Address, data: Bytes) -> Result<Bytes, Vec<u8>> {
        // SAFETY: test contract.
        unsafe { RawCall::new().call(target, &data) }.map(Bytes)
    }
}

/// A pool of a normal token (100e18) and a fee-on-transfer token (100e18, fee off at bind).
fn setup_fee_token_pool(
    pool: &Contract<IndexPool>,
    math: &Contract<WeightedMath>,
    a: &Contract<MockErc20>,
    fee: &Contract<MockFeeToken>,
    ctrl: Address,
) {
    pool.sender(ctrl)
        .constructor(
            FixedBytes::ZERO,
            FixedBytes::ZERO,
            ctrl,
            U256::ZERO,
            ANY_RATE,
            ctrl,
            ctrl,
            ctrl,
            math.address(),
        )
        .motsu_unwrap();
    a.sender(ctrl).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
    a.sender(ctrl).mint(ctrl, e18(100)).motsu_unwrap();
    a.sender(ctrl).approve(pool.address(), U256::MAX).motsu_unwrap();
    fee.sender(ctrl).constructor(U256::ZERO);
    fee.sender(ctrl).mint(ctrl, e18(100)).motsu_unwrap();
    fee.sender(ctrl).approve(pool.address(), U256::MAX).motsu_unwrap();
    pool.sender(ctrl)
        .bind_at(T0, a.address(), e18(100), e18(10), ts(T0), ts(T0 + 1))
        .motsu_unwrap();
    pool.sender(ctrl)
        .bind_at(T0, fee.address(), e18(100), e18(10), ts(T0), ts(T0 + 1))
        .motsu_unwrap();
    pool.sender(ctrl).finalize().motsu_unwrap();
}

#[motsu::test]
fn fee_on_transfer_deposits_revert_and_cannot_drain_the_pool(
    pool: Contract<IndexPool>,
    math: Contract<WeightedMath>,
    a: Contract<MockErc20>,
    fee: Contract<MockFeeToken>,
    ctrl: Address,
    attacker: Address,
) {
    setup_fee_token_pool(&pool, &math, &a, &fee, ctrl);
    let now = T0 + 1;
    // The token starts taking 10% of every transfer; the attacker holds plenty of it.
    fee.sender(attacker).set_fee_bps(U256::from(1_000));
    fee.sender(attacker).mint(attacker, e18(1_000)).motsu_unwrap();
    fee.sender(attacker).approve(pool.address(), U256::MAX).motsu_unwrap();
    a.sender(attacker).mint(attacker, e18(1_000)).motsu_unwrap();
    a.sender(attacker).approve(pool.address(), U256::MAX).motsu_unwrap();
    let (ta, tf) = (a.address(), fee.address());
    let shortfall = |expected: U256| {
        enc(IndexPoolTokenShortfall {
            token: tf,
            expected,
            received: expected - expected / U256::from(10),
        })
    };
    // Selling the fee token into the pool (exact in and exact out), joining with it.
    let err = pool
        .sender(attacker)
        .swap_exact_amount_in_at(now, tf, e18(10), ta, U256::ZERO, U256::MAX)
        .motsu_unwrap_err();
    assert_eq!(enc(err), shortfall(e18(10)));
    let paid =
        WeightedMath::calc_in_given_out(e18(100), e18(10), e18(100), e18(10), e18(5), MIN_FEE)
            .unwrap();
    let err = pool
        .sender(attacker)
        .swap_exact_amount_out_at(now, tf, U256::MAX, ta, e18(5), U256::MAX)
        .motsu_unwrap_err();
    assert_eq!(enc(err), shortfall(paid));
    let err = pool
        .sender(attacker)
        .joinswap_extern_amount_in_at(now, tf, e18(10), U256::ZERO)
        .motsu_unwrap_err();
    assert_eq!(enc(err), shortfall(e18(10)));
    let err = pool.sender(attacker).join_pool(e18(10), &[U256::MAX, U256::MAX]).motsu_unwrap_err();
    assert_eq!(enc(err), shortfall(e18(10)));
    // Nothing moved: the pool's records match its real balances.
    assert_eq!(pool.sender(ctrl).recorded_balance(ta).unwrap(), e18(100));
    assert_eq!(pool.sender(ctrl).recorded_balance(tf).unwrap(), e18(100));
    assert_eq!(fee.sender(ctrl).balance_of(pool.address()), e18(100));
    assert_eq!(pool.sender(ctrl).balance_of(attacker), U256::ZERO);
    // Swapping *for* the fee token still works (the attacker bears the fee) and the pool's
    // record stays equal to what it holds.
    let (out, _) = pool
        .sender(attacker)
        .swap_exact_amount_in_at(now, ta, e18(1), tf, U256::ZERO, U256::MAX)
        .motsu_unwrap();
    assert_eq!(fee.sender(ctrl).balance_of(pool.address()), e18(100) - out);
    assert_eq!(pool.sender(ctrl).recorded_balance(tf).unwrap(), e18(100) - out);
    // LPs can always leave: the exit pays out and the records follow the real balances.
    pool.sender(ctrl).exit_pool(e18(50), &[U256::ZERO, U256::ZERO]).motsu_unwrap();
    assert_eq!(
        pool.sender(ctrl).recorded_balance(tf).unwrap(),
        fee.sender(ctrl).balance_of(pool.address())
    );
    assert_eq!(
        pool.sender(ctrl).recorded_balance(ta).unwrap(),
        a.sender(ctrl).balance_of(pool.address())
    );
}

#[motsu::test]
fn allow_listed_vote_reaches_the_governor_with_the_pools_voting_power_through_the_abi(
    gov: Contract<MockGovernor>,
    controller: Contract<Controller>,
    stranger: Address,
) {
    let f = Fixture::new(&[e18(100), e18(200)], &[MIN_WEIGHT, MIN_WEIGHT], MIN_FEE, T0 + 1);
    // Hand the pool to a controller contract, which then calls it through the ABI only.
    f.pool.sender(f.ctrl).set_controller(controller.address()).motsu_unwrap();
    gov.sender(stranger).constructor(f.token(1));
    let exec = |data: Vec<u8>| {
        controller.sender(stranger).exec(f.pool.address(), Bytes(data)).map(|b| b.0)
    };
    let cast = FixedBytes(governor_abi::castVoteCall::SELECTOR);
    let vote = |proposal: u64| abi::admin::callVotingCall {
        target: gov.address(),
        selector: cast,
        args: (U256::from(proposal), U256::ONE).abi_encode_params().into(),
        value: U256::ZERO,
    };
    // Not allow-listed yet.
    let err = exec(vote(1).abi_encode()).unwrap_err();
    assert_eq!(err, enc(IndexPoolVotingNotAllowed { target: gov.address(), selector: cast }));
    exec(
        abi::admin::setVotingAllowedCall { target: gov.address(), selector: cast, allowed: true }
            .abi_encode(),
    )
    .unwrap();
    exec(vote(1).abi_encode()).unwrap();
    // The vote is the pool's, weighted by the pool's whole balance of the governance token.
    assert_eq!(gov.sender(stranger).get_receipt(U256::ONE, f.pool.address()), (true, 1, e18(200)));
    assert_eq!(gov.sender(stranger).proposal_votes(U256::ONE), (U256::ZERO, e18(200), U256::ZERO));
    // Another selector on the same target is still refused; token-moving ones can never be allowed.
    let delegate = FixedBytes(governor_abi::delegateCall::SELECTOR);
    let call_delegate = abi::admin::callVotingCall {
        target: gov.address(),
        selector: delegate,
        args: stranger.abi_encode().into(),
        value: U256::ZERO,
    };
    let err = exec(call_delegate.abi_encode()).unwrap_err();
    assert_eq!(err, enc(IndexPoolVotingNotAllowed { target: gov.address(), selector: delegate }));
    let transfer = FixedBytes([0xa9, 0x05, 0x9c, 0xbb]);
    let err = exec(
        abi::admin::setVotingAllowedCall { target: f.token(1), selector: transfer, allowed: true }
            .abi_encode(),
    )
    .unwrap_err();
    assert_eq!(err, enc(IndexPoolVotingSelectorForbidden { selector: transfer }));
    // Once allowed, delegation is recorded for the pool.
    exec(
        abi::admin::setVotingAllowedCall {
            target: gov.address(),
            selector: delegate,
            allowed: true,
        }
        .abi_encode(),
    )
    .unwrap();
    exec(call_delegate.abi_encode()).unwrap();
    assert_eq!(gov.sender(stranger).delegates(f.pool.address()), stranger);
    // Voting never moved pooled tokens.
    assert_eq!(f.recorded(1), e18(200));
    assert_eq!(f.held(1), e18(200));
}

#[motsu::test]
fn a_reweight_does_not_move_the_price_in_the_same_block(attacker: Address) {
    let f = Fixture::new(&[e18(100), e18(200)], &[e18(10), e18(20)], MIN_FEE, T0 + 1);
    let now = T0 + 100;
    let (a, b) = (f.token(0), f.token(1));
    let spot_before = f.pool.sender(attacker).spot_price_at(now, a, b).unwrap();
    // The controller schedules a big move starting now.
    f.pool
        .sender(f.ctrl)
        .set_dynamic_weight_at(now, a, e18(30), ts(now), ts(now + 1_000))
        .motsu_unwrap();
    f.pool
        .sender(f.ctrl)
        .set_dynamic_weight_at(now, b, e18(5), ts(now), ts(now + 1_000))
        .motsu_unwrap();
    assert_eq!(f.pool.sender(attacker).spot_price_at(now, a, b).unwrap(), spot_before);
    // A swap in the same block sees the old weights: the same output as before the reweight.
    let g = Fixture::new(&[e18(100), e18(200)], &[e18(10), e18(20)], MIN_FEE, T0 + 1);
    f.fund(attacker, e18(10));
    g.fund(attacker, e18(10));
    let (out_f, _) = f
        .pool
        .sender(attacker)
        .swap_exact_amount_in_at(now, a, E18, b, U256::ZERO, U256::MAX)
        .motsu_unwrap();
    let (out_g, _) = g
        .pool
        .sender(attacker)
        .swap_exact_amount_in_at(now, g.token(0), E18, g.token(1), U256::ZERO, U256::MAX)
        .motsu_unwrap();
    assert_eq!(out_f, out_g);
    // One second later the weights (and the price) have moved by one second's worth.
    assert_eq!(f.weight(0, now + 1), e18(10) + e18(20) / U256::from(1_000));
}
