//! An "ASSY"-like index wired end to end: four governance tokens (mocks standing in for
//! AAVE, SUSHI, SNX and YFI), AAVE and SUSHI wrapped into pi-tokens whose venues earn yield
//! (managed by the yield router), market-cap weights from the oracle (`power-oracle` →
//! `weight-valuer` MCAP → `weight-strategy` as the pool's controller), and a user who enters
//! with one token, holds while yield accrues and weights move, and exits with one token.
//!
//! ```text
//! token   price   supply        market cap   weight   pool holds
//! AAVE    $100    16,000,000    $1.6B        10       4,000 piAAVE
//! SUSHI   $2      400,000,000   $0.8B         5       100,000 piSUSHI
//! SNX     $4      300,000,000   $1.2B         7.5     75,000 SNX
//! YFI     $10,000 40,000        $0.4B         2.5     10 YFI
//! ```
//!
//! The pool is worth $1,000,000 and its spot prices match the oracle. An hour before "now"
//! AAVE rose 10% and SUSHI fell 10%; the keeper's poke schedules the new market-cap weights
//! over 14 days.
//!
//! **What motsu cannot drive.** motsu's clock is fixed at `T0`, and the pool reads the block
//! time itself, so every call that reaches the pool — the router's, the strategy's — happens
//! at `T0`. The user therefore enters and (in the first exit) leaves through the router at
//! `T0`, after the yield has accrued; the weights' movement is shown through the pool's
//! time-explicit functions: the schedule the poke wrote, the weights at the end of it, and
//! the exit the router would make at that time, run as the same two calls the router makes
//! (`exitswapPoolAmountIn` at `T_end`, then the pi-token's `withdraw`) and checked against
//! the weighted-math formula at the `T_end` weights. Everything else is the real contracts
//! calling each other. The same example with the clock really moving (router exit at the end
//! of the schedule) runs on the WASM host: `test/host/tests/index_assy.rs`.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::too_many_lines,
    missing_docs
)]

mod router_support;

use alloy_primitives::{uint, Address, FixedBytes, U256};
use alloy_sol_types::SolCall;
use index_router::IndexRouter;
use index_router_lens::IndexRouterLens;
use mock_erc20::MockErc20;
use mock_governor::MockGovernor;
use mock_venue::MockVenue;
use motsu::prelude::*;
use pi_token::PiToken;
use power_oracle::PowerOracle;
use router_support::{bind, e18, new_pool, T0};
use weight_strategy::WeightStrategy;
use weight_valuer::{WeightValuer, KIND_MCAP, VALUE_SUPPLY};
use weighted_math::WeightedMath;
use yield_router::YieldRouter;

const DURATION: u64 = 1_209_600;
const MAX_RATE: u128 = 2_893_518_518_519;
const DAY: u64 = 86_400;
const DEADLINE: U256 = uint!(1_735_689_700_U256);
const RATIO_20: U256 = uint!(200_000_000_000_000_000_U256);
const FORCE_10: U256 = uint!(100_000_000_000_000_000_U256);
const FEE_10: U256 = uint!(100_000_000_000_000_000_U256);

fn w(x: u128) -> U256 {
    U256::from(x)
}

mod governance {
    #![allow(missing_docs)]
    alloy_sol_types::sol! {
        function castVote(uint256 proposalId, uint8 support) external returns (uint256);
    }
}

#[motsu::test]
fn assy_user_enters_with_sushi_earns_yield_as_weights_follow_market_caps_and_exits_with_sushi() {
    let owner = Address::with_last_byte(0x0A);
    let keeper = Address::with_last_byte(0x0C);
    let market = Address::with_last_byte(0x0D);
    let treasury = Address::with_last_byte(0x7E);
    let user = Address::with_last_byte(0x05);

    // ---------------------------------------------------------------- tokens and wrappers
    let names = ["AAVE", "SUSHI", "SNX", "YFI"];
    let tokens: Vec<Contract<MockErc20>> = names.iter().map(|_| Contract::new()).collect();
    let supplies = [16_000_000u64, 400_000_000, 300_000_000, 40_000];
    for (t, &supply) in tokens.iter().zip(&supplies) {
        t.sender(owner).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
        t.sender(market).mint(market, e18(supply)).motsu_unwrap();
    }
    let (aave, sushi, snx, yfi) = (&tokens[0], &tokens[1], &tokens[2], &tokens[3]);
    let yield_router = Contract::<YieldRouter>::new();
    yield_router.sender(owner).constructor(owner).motsu_unwrap();
    let venues: Vec<Contract<MockVenue>> = (0..2).map(|_| Contract::new()).collect();
    let pis: Vec<Contract<PiToken>> = (0..2).map(|_| Contract::new()).collect();
    for i in 0..2 {
        venues[i].sender(owner).constructor(tokens[i].address());
        pis[i]
            .sender(owner)
            .constructor(
                FixedBytes::ZERO,
                FixedBytes::ZERO,
                tokens[i].address(),
                venues[i].address(),
                yield_router.address(),
            )
            .motsu_unwrap();
        yield_router
            .sender(owner)
            .set_config(pis[i].address(), RATIO_20, FORCE_10, DAY, FEE_10, treasury)
            .motsu_unwrap();
    }
    let (pi_aave, pi_sushi) = (&pis[0], &pis[1]);

    // ---------------------------------------------------------------- oracle and valuer
    let oracle = Contract::<PowerOracle>::new();
    oracle.sender(owner).constructor(owner, 300, w(E18 / 10), 3_600, DAY).motsu_unwrap();
    oracle.sender(owner).set_reporter(keeper, true).motsu_unwrap();
    // Pool tokens: piAAVE, piSUSHI, SNX, YFI. The pi-tokens are priced and supplied as their
    // underlying (the reporter posts the underlying's market), SNX and YFI use their
    // on-chain supply.
    let pool_tokens = [pi_aave.address(), pi_sushi.address(), snx.address(), yfi.address()];
    let old_prices = [w(100 * E18), w(2 * E18), w(4 * E18), w(10_000 * E18)];
    let new_prices = [w(110 * E18), w(18 * E18 / 10), w(4 * E18), w(10_000 * E18)];
    oracle
        .sender(keeper)
        .report_prices_at(T0 - 7_200, keeper, &pool_tokens, &old_prices)
        .motsu_unwrap();
    oracle
        .sender(keeper)
        .report_values_at(
            T0 - 7_200,
            keeper,
            VALUE_SUPPLY,
            &pool_tokens[..2],
            &[e18(supplies[0]), e18(supplies[1])],
        )
        .motsu_unwrap();
    let valuer = Contract::<WeightValuer>::new();
    valuer.sender(owner).constructor(owner, oracle.address(), KIND_MCAP, 1_800).motsu_unwrap();
    valuer.sender(owner).set_mcap_source(pi_aave.address(), true, vec![]).motsu_unwrap();
    valuer.sender(owner).set_mcap_source(pi_sushi.address(), true, vec![]).motsu_unwrap();
    valuer.sender(owner).set_mcap_source(snx.address(), false, vec![]).motsu_unwrap();
    valuer.sender(owner).set_mcap_source(yfi.address(), false, vec![]).motsu_unwrap();

    // ---------------------------------------------------------------- the pool ($1,000,000)
    let weights = [e18(10), e18(5), w(7_500_000_000_000_000_000), w(2_500_000_000_000_000_000)];
    let balances = [e18(4_000), e18(100_000), e18(75_000), e18(10)];
    let math = Contract::<WeightedMath>::new();
    let pool = new_pool(owner, &math);
    for i in 0..2 {
        tokens[i].sender(market).transfer(owner, balances[i]).motsu_unwrap();
        tokens[i].sender(owner).approve(pis[i].address(), U256::MAX).motsu_unwrap();
        assert_eq!(pis[i].sender(owner).deposit(balances[i]).motsu_unwrap(), balances[i]);
        pis[i].sender(owner).approve(pool.address(), U256::MAX).motsu_unwrap();
    }
    for i in 2..4 {
        tokens[i].sender(market).transfer(owner, balances[i]).motsu_unwrap();
        tokens[i].sender(owner).approve(pool.address(), U256::MAX).motsu_unwrap();
    }
    for i in 0..4 {
        bind(&pool, owner, pool_tokens[i], balances[i], weights[i]);
    }
    pool.sender(owner).set_swap_fee(w(E18 / 1_000)).motsu_unwrap();
    pool.sender(owner).finalize().motsu_unwrap();
    // Spot prices match the oracle: SUSHI per AAVE = (100,000 / 5) / (4,000 / 10) · 1/(1 − f).
    let spot = pool.sender(user).spot_price_at(T0, pi_sushi.address(), pi_aave.address()).unwrap();
    assert_eq!(spot, (e18(50) * e18(1)).div_ceil(e18(1) - w(E18 / 1_000)));

    // ---------------------------------------------------------------- the strategy as controller
    let strategy = Contract::<WeightStrategy>::new();
    strategy
        .sender(owner)
        .constructor(owner, pool.address(), valuer.address(), DURATION, DAY)
        .motsu_unwrap();
    pool.sender(owner).set_controller(strategy.address()).motsu_unwrap();
    strategy.sender(owner).set_weight_per_second_bounds(U256::ZERO, w(MAX_RATE)).motsu_unwrap();

    // ---------------------------------------------------------------- the router
    let lens = Contract::<IndexRouterLens>::new();
    let router = Contract::<IndexRouter>::new();
    router.sender(owner).constructor(lens.address()).motsu_unwrap();

    // The pi-tokens' reserves go to work: 80% of each is staked.
    for pi in &pis {
        yield_router.sender(keeper).poke_at(T0, pi.address()).motsu_unwrap();
    }
    assert_eq!(pi_aave.sender(user).reserve_state().unwrap().0, e18(800));
    assert_eq!(pi_sushi.sender(user).reserve_state().unwrap().1, e18(80_000));

    // ================================================================ 1. enter with SUSHI
    sushi.sender(market).transfer(user, e18(10_000)).motsu_unwrap();
    sushi.sender(user).approve(router.address(), U256::MAX).motsu_unwrap();
    let quote = lens
        .sender(router.address())
        .quote_join_with_token(pool.address(), sushi.address(), e18(10_000))
        .unwrap();
    let shares = router
        .sender(user)
        .join_with_token_at(T0, pool.address(), sushi.address(), e18(10_000), quote, DEADLINE)
        .motsu_unwrap();
    assert_eq!(shares, quote);
    assert_eq!(pool.sender(user).balance_of(user), shares);
    // 10,000 SUSHI became 10,000 piSUSHI in the pool (1:1 before any yield).
    assert_eq!(pool.sender(user).recorded_balance(pi_sushi.address()).unwrap(), e18(110_000));
    assert_eq!(router.sender(user).lens(), lens.address());

    // ================================================================ 2. weights follow market caps
    // New TWAPs: AAVE $110, SUSHI $1.80 (reported an hour ago; the TWAP window is 30 min).
    oracle
        .sender(keeper)
        .report_prices_at(T0 - 1_800, keeper, &pool_tokens, &new_prices)
        .motsu_unwrap();
    let caps = [e18(1_760_000_000), e18(720_000_000), e18(1_200_000_000), e18(400_000_000)];
    let total_cap: U256 = caps.iter().copied().sum();
    let targets: Vec<U256> = caps.iter().map(|&c| c * e18(25) / total_cap).collect();
    assert_eq!(valuer.sender(keeper).get_targets(pool_tokens.to_vec()).unwrap(), targets);
    strategy.sender(keeper).poke().motsu_unwrap();
    let t_end = T0 + 1 + DURATION;
    for (i, &token) in pool_tokens.iter().enumerate() {
        // No change beyond DURATION · MAX_RATE = 3.5e18 is needed, so the targets are exact.
        assert_eq!(
            pool.sender(user).dynamic_weight_settings(token).unwrap(),
            (U256::from(T0 + 1), U256::from(t_end), weights[i], targets[i]),
            "{}'s schedule",
            names[i]
        );
        assert_eq!(pool.sender(user).weight_of_at(T0, token).unwrap(), weights[i], "no jump at T0");
        assert_eq!(pool.sender(user).weight_of_at(t_end, token).unwrap(), targets[i]);
    }
    // At the end the normalized weights are the market-cap shares (to within the targets'
    // rounding down): AAVE 1.76 / 4.08.
    let aave_share = pool.sender(user).normalized_weight_at(t_end, pi_aave.address()).unwrap();
    let exact = caps[0] * e18(1) / total_cap;
    assert!(aave_share.abs_diff(exact) <= U256::from(10), "{aave_share} vs {exact}");

    // ================================================================ 3. yield accrues
    let pool_pi_aave = pool.sender(user).recorded_balance(pi_aave.address()).unwrap();
    let pool_pi_sushi = pool.sender(user).recorded_balance(pi_sushi.address()).unwrap();
    let aave_claim_before = pi_aave.sender(user).preview_withdraw(pool_pi_aave).unwrap();
    assert_eq!(aave_claim_before, e18(4_000));
    venues[0].sender(owner).simulate_yield(e18(24)).motsu_unwrap(); // 0.75% on the 3,200 staked AAVE
    venues[1].sender(owner).simulate_yield(e18(4_400)).motsu_unwrap(); // 5.5% on the 80,000 staked SUSHI
    for pi in &pis {
        yield_router.sender(keeper).poke_at(T0 + DAY, pi.address()).motsu_unwrap();
    }
    // The pool's piAAVE balance did not move, its AAVE grew. Computed independently from the
    // venue's share math (`⌊x · (TA + 1) / (TS + 1)⌋`), the 10% fee paid in pi, the
    // rebalance back to 20% (the venue burns its shares rounded up) and the virtual offset:
    assert_eq!(pool.sender(user).recorded_balance(pi_aave.address()).unwrap(), pool_pi_aave);
    let one = U256::from(1);
    let (ts, ta) = (e18(3_200), e18(3_224));
    let staked = ts * (ta + one) / (ts + one);
    let gain = staked - e18(3_200);
    let fee = gain * FEE_10 / e18(1);
    let total = e18(800) + staked;
    let fee_pi = fee * (e18(4_000) + one) / (total - fee + one);
    assert_eq!(pi_aave.sender(user).balance_of(treasury), fee_pi);
    let unstake = total / U256::from(5) - e18(800);
    let burnt = (unstake * (ts + one)).div_ceil(ta + one);
    let staked_after = (ts - burnt) * (ta - unstake + one) / (ts - burnt + one);
    let total_after = e18(800) + unstake + staked_after;
    assert_eq!(pi_aave.sender(user).total_underlying().unwrap(), total_after);
    let aave_claim = pool_pi_aave * (total_after + one) / (e18(4_000) + fee_pi + one);
    assert_eq!(pi_aave.sender(user).preview_withdraw(pool_pi_aave).unwrap(), aave_claim);
    // The index's AAVE grew by the venue's yield less the 10% fee, to within rounding.
    let grown = aave_claim - aave_claim_before;
    assert!(
        grown <= gain - fee && gain - fee - grown <= U256::from(2),
        "{grown} vs {}",
        gain - fee
    );
    // The user's share of the index's SUSHI, in SUSHI, grew with piSUSHI's rate.
    let supply = pool.sender(user).total_supply();
    let user_pi_sushi = pool_pi_sushi * shares / supply;
    assert!(pi_sushi.sender(user).preview_withdraw(user_pi_sushi).unwrap() > user_pi_sushi);

    // Meta-governance: the pooled AAVE held by piAAVE votes.
    let governor = Contract::<MockGovernor>::new();
    governor.sender(owner).constructor(aave.address());
    let cast = FixedBytes(governance::castVoteCall::SELECTOR);
    yield_router
        .sender(owner)
        .set_voting_allowed(pi_aave.address(), governor.address(), cast, true)
        .motsu_unwrap();
    let args = alloy_sol_types::SolValue::abi_encode(&(U256::from(1), U256::from(1)));
    yield_router
        .sender(owner)
        .call_voting(pi_aave.address(), governor.address(), cast, args.into())
        .motsu_unwrap();
    let reserve_aave = pi_aave.sender(user).reserve_state().unwrap().0;
    assert_eq!(
        governor.sender(user).get_receipt(U256::from(1), pi_aave.address()),
        (true, 1, reserve_aave)
    );

    // ================================================================ 4a. exit with SUSHI (router, T0)
    pool.sender(user).approve(router.address(), U256::MAX).motsu_unwrap();
    let half = shares / U256::from(2);
    let quote_now = lens
        .sender(router.address())
        .quote_exit_to_token(pool.address(), half, sushi.address())
        .unwrap();
    let got = router
        .sender(user)
        .exit_to_token_at(T0, pool.address(), half, sushi.address(), quote_now, DEADLINE)
        .motsu_unwrap();
    assert_eq!(got, quote_now);
    assert_eq!(sushi.sender(user).balance_of(user), got);
    for t in [sushi.address(), pi_sushi.address(), pool.address()] {
        let held = if t == pool.address() {
            pool.sender(user).balance_of(router.address())
        } else if t == pi_sushi.address() {
            pi_sushi.sender(user).balance_of(router.address())
        } else {
            sushi.sender(user).balance_of(router.address())
        };
        assert_eq!(held, U256::ZERO, "the router keeps nothing");
    }
    // Half the shares bring back more than half the SUSHI paid in: the yield on piSUSHI
    // outweighs the swap fee and the single-asset exit's price impact.
    assert!(got > e18(5_000), "got {got} SUSHI for half the shares");

    // ================================================================ 4b. exit at T_end (weights moved)
    // The same two calls the router makes, at the end of the schedule, driven through the
    // pool's time-explicit function. SUSHI's weight fell from 5 to ~4.41, so the pool pays
    // more SUSHI per share than at T0.
    let rest = pool.sender(user).balance_of(user);
    let b = pool.sender(user).recorded_balance(pi_sushi.address()).unwrap();
    let s = pool.sender(user).total_supply();
    let w_end = pool.sender(user).weight_of_at(t_end, pi_sushi.address()).unwrap();
    let wt_end = pool.sender(user).total_weight_at(t_end).unwrap();
    let fee_now = pool.sender(user).swap_fee();
    let expected_pi =
        WeightedMath::calc_single_out_given_pool_in(b, w_end, s, wt_end, rest, fee_now).unwrap();
    let wt_now = pool.sender(user).total_weight_at(T0).unwrap();
    let at_t0 =
        WeightedMath::calc_single_out_given_pool_in(b, weights[1], s, wt_now, rest, fee_now)
            .unwrap();
    let out_pi = pool
        .sender(user)
        .exitswap_pool_amount_in_at(t_end, pi_sushi.address(), rest, U256::ZERO)
        .motsu_unwrap();
    assert_eq!(out_pi, expected_pi);
    assert!(out_pi > at_t0, "a lower SUSHI weight pays more SUSHI per share: {out_pi} vs {at_t0}");
    let unwrapped = pi_sushi.sender(user).preview_withdraw(out_pi).unwrap();
    let paid = pi_sushi.sender(user).withdraw(out_pi).motsu_unwrap();
    assert_eq!(paid, unwrapped);
    assert_eq!(pool.sender(user).balance_of(user), U256::ZERO);
    let _ = (aave, snx, yfi);
}

const E18: u128 = 1_000_000_000_000_000_000;
