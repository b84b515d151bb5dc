//! A "YLA"-like index wired end to end: vault shares weighted by TVL. Three stablecoin
//! vaults (ERC-4626 mocks standing in for yVaults over USDC, DAI and USDT — USDC and USDT
//! with 6 decimals) back three pi-tokens; the pool holds the pi-tokens and `weight-valuer`'s
//! TVL source values each by its vault's `totalAssets` at the stablecoin's TWAP. A user
//! enters from USDC through the router (wrapped into piUSDC on the way), a whale's deposit
//! moves the TVL weights, and the user swaps and exits into DAI (unwrapped on the way).
//!
//! ```text
//! vault    TVL (other depositors)   weight   pool holds
//! yvUSDC   $5,000,000               12.5     50,000 piUSDC (6 decimals)
//! yvDAI    $3,000,000                7.5     30,000 piDAI
//! yvUSDT   $2,000,000                5       20,000 piUSDT (6 decimals)
//! ```
//!
//! motsu's clock is fixed at `T0` (see `example_assy.rs`): every router call happens at
//! `T0`, and the weights the poke schedules are checked through the pool's time-explicit
//! views.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::too_many_lines,
    missing_docs
)]

mod router_support;

use alloy_primitives::{uint, Address, FixedBytes, U256};
use index_router::IndexRouter;
use index_router_lens::IndexRouterLens;
use mock_erc20::MockErc20;
use mock_venue::MockVenue;
use motsu::prelude::*;
use pi_token::PiToken;
use power_oracle::PowerOracle;
use router_support::{bind, new_pool, T0};
use weight_strategy::WeightStrategy;
use weight_valuer::{WeightValuer, KIND_TVL};
use weighted_math::WeightedMath;
use yield_router::YieldRouter;

const DURATION: u64 = 1_209_600;
const MAX_RATE: u128 = 2_893_518_518_519;
const DAY: u64 = 86_400;
const DEADLINE: U256 = uint!(1_735_689_700_U256);
const E18: u128 = 1_000_000_000_000_000_000;

fn w(x: u128) -> U256 {
    U256::from(x)
}

/// `v` whole tokens of a token with `decimals`.
fn units(v: u64, decimals: u8) -> U256 {
    U256::from(v) * U256::from(10).pow(U256::from(decimals))
}

#[motsu::test]
fn yla_user_enters_from_usdc_weights_follow_tvl_and_the_user_leaves_in_dai() {
    let owner = Address::with_last_byte(0x0A);
    let keeper = Address::with_last_byte(0x0C);
    let whale = Address::with_last_byte(0x0D);
    let treasury = Address::with_last_byte(0x7E);
    let user = Address::with_last_byte(0x05);

    let decimals = [6u8, 18, 6];
    let tvl = [5_000_000u64, 3_000_000, 2_000_000];
    let held = [50_000u64, 30_000, 20_000];
    let coins: Vec<Contract<MockErc20>> = decimals.iter().map(|_| Contract::new()).collect();
    let vaults: Vec<Contract<MockVenue>> = decimals.iter().map(|_| Contract::new()).collect();
    let pis: Vec<Contract<PiToken>> = decimals.iter().map(|_| Contract::new()).collect();
    let yield_router = Contract::<YieldRouter>::new();
    yield_router.sender(owner).constructor(owner).motsu_unwrap();
    for i in 0..3 {
        coins[i].sender(owner).constructor(FixedBytes::ZERO, FixedBytes::ZERO, decimals[i]);
        vaults[i].sender(owner).constructor(coins[i].address());
        // The vault's other depositors.
        coins[i].sender(whale).mint(whale, units(tvl[i], decimals[i])).motsu_unwrap();
        coins[i].sender(whale).approve(vaults[i].address(), U256::MAX).motsu_unwrap();
        vaults[i].sender(whale).deposit(units(tvl[i], decimals[i]), whale).motsu_unwrap();
        pis[i]
            .sender(owner)
            .constructor(
                FixedBytes::ZERO,
                FixedBytes::ZERO,
                coins[i].address(),
                vaults[i].address(),
                yield_router.address(),
            )
            .motsu_unwrap();
        assert_eq!(pis[i].sender(owner).decimals(), decimals[i]);
        yield_router
            .sender(owner)
            .set_config(pis[i].address(), w(E18 / 5), w(E18 / 10), DAY, w(E18 / 10), treasury)
            .motsu_unwrap();
    }
    let (usdc, dai) = (&coins[0], &coins[1]);
    let pool_tokens: Vec<Address> = pis.iter().map(Contract::address).collect();

    // TVL valuation: every stablecoin at $1 (TWAP over 30 minutes).
    let oracle = Contract::<PowerOracle>::new();
    oracle.sender(owner).constructor(owner, 300, w(E18 / 10), 3_600, DAY).motsu_unwrap();
    oracle.sender(owner).set_reporter(keeper, true).motsu_unwrap();
    let stables: Vec<Address> = coins.iter().map(Contract::address).collect();
    oracle
        .sender(keeper)
        .report_prices_at(T0 - 7_200, keeper, &stables, &[w(E18); 3])
        .motsu_unwrap();
    oracle
        .sender(keeper)
        .report_prices_at(T0 - 1_800, keeper, &stables, &[w(E18); 3])
        .motsu_unwrap();
    let valuer = Contract::<WeightValuer>::new();
    valuer.sender(owner).constructor(owner, oracle.address(), KIND_TVL, 1_800).motsu_unwrap();
    for i in 0..3 {
        valuer
            .sender(owner)
            .set_tvl_source(pis[i].address(), false, vaults[i].address())
            .motsu_unwrap();
    }
    let values = valuer.sender(keeper).get_values(pool_tokens.clone()).unwrap();
    assert_eq!(values, vec![w(5_000_000 * E18), w(3_000_000 * E18), w(2_000_000 * E18)]);
    let weights = [w(12_500_000_000_000_000_000), w(7_500_000_000_000_000_000), w(5 * E18)];
    assert_eq!(valuer.sender(keeper).get_targets(pool_tokens.clone()).unwrap(), weights.to_vec());

    // The pool: $100,000 of pi-tokens at the TVL weights.
    let math = Contract::<WeightedMath>::new();
    let pool = new_pool(owner, &math);
    for i in 0..3 {
        let amount = units(held[i], decimals[i]);
        coins[i].sender(owner).mint(owner, amount).motsu_unwrap();
        coins[i].sender(owner).approve(pis[i].address(), U256::MAX).motsu_unwrap();
        pis[i].sender(owner).deposit(amount).motsu_unwrap();
        pis[i].sender(owner).approve(pool.address(), U256::MAX).motsu_unwrap();
        bind(&pool, owner, pis[i].address(), amount, weights[i]);
    }
    pool.sender(owner).set_swap_fee(w(E18 / 10_000)).motsu_unwrap();
    pool.sender(owner).finalize().motsu_unwrap();
    let strategy = Contract::<WeightStrategy>::new();
    strategy
        .sender(owner)
        .constructor(owner, pool.address(), valuer.address(), DURATION, DAY)
        .motsu_unwrap();
    pool.sender(owner).set_controller(strategy.address()).motsu_unwrap();
    strategy.sender(owner).set_weight_per_second_bounds(U256::ZERO, w(MAX_RATE)).motsu_unwrap();
    let lens = Contract::<IndexRouterLens>::new();
    let router = Contract::<IndexRouter>::new();
    router.sender(owner).constructor(lens.address()).motsu_unwrap();
    for pi in &pis {
        // 80% of each wrapper's stablecoins go into its vault.
        yield_router.sender(keeper).poke_at(T0, pi.address()).motsu_unwrap();
    }

    // ---------------------------------------------------------------- enter from USDC
    let amount_in = units(10_000, 6);
    usdc.sender(user).mint(user, amount_in).motsu_unwrap();
    usdc.sender(user).approve(router.address(), U256::MAX).motsu_unwrap();
    let quote = lens
        .sender(router.address())
        .quote_join_with_token(pool.address(), usdc.address(), amount_in)
        .unwrap();
    let shares = router
        .sender(user)
        .join_with_token_at(T0, pool.address(), usdc.address(), amount_in, quote, DEADLINE)
        .motsu_unwrap();
    assert_eq!(shares, quote);
    assert_eq!(pool.sender(user).recorded_balance(pis[0].address()).unwrap(), units(60_000, 6));
    // $10,000 into a $100,000 pool through a token of weight 1/2: 100 · (√1.2 − 1) = 9.54
    // shares, 8.7% of the new supply for 9.1% of the new value (the single-asset join's
    // price impact).
    let supply = pool.sender(user).total_supply();
    assert!(
        shares * w(1000) < supply * w(91) && shares * w(1000) > supply * w(85),
        "{shares} of {supply}"
    );

    // ---------------------------------------------------------------- TVL moves the weights
    // A whale deposits $1,000,000 of DAI into yvDAI; the yield router has staked 80% of the
    // pi-tokens' stablecoins, so TVLs are 5.04M, 4.024M and 2.016M.
    dai.sender(whale).mint(whale, units(1_000_000, 18)).motsu_unwrap();
    vaults[1].sender(whale).deposit(units(1_000_000, 18), whale).motsu_unwrap();
    let tvls = [w(5_040_000 * E18), w(4_024_000 * E18), w(2_016_000 * E18)];
    assert_eq!(valuer.sender(keeper).get_values(pool_tokens.clone()).unwrap(), tvls.to_vec());
    let total: U256 = tvls.iter().copied().sum();
    let targets: Vec<U256> = tvls.iter().map(|&v| v * w(25 * E18) / total).collect();
    strategy.sender(keeper).poke().motsu_unwrap();
    let t_end = T0 + 1 + DURATION;
    for i in 0..3 {
        let token = pool_tokens[i];
        assert_eq!(
            pool.sender(user).dynamic_weight_settings(token).unwrap(),
            (U256::from(T0 + 1), U256::from(t_end), weights[i], targets[i])
        );
        assert_eq!(pool.sender(user).weight_of_at(t_end, token).unwrap(), targets[i]);
    }
    assert!(targets[1] > weights[1], "DAI's weight rises with yvDAI's TVL");

    // ---------------------------------------------------------------- swap USDC → DAI
    let swap_in = units(1_000, 6);
    usdc.sender(user).mint(user, swap_in).motsu_unwrap();
    let (pools, path) = (vec![pool.address()], vec![usdc.address(), dai.address()]);
    let quote = lens.sender(router.address()).quote_swap_exact_in(&pools, &path, swap_in).unwrap();
    // USDC per DAI in base units (1.2e-12 in WAD, so 1,200,000 and the fee, rounded up).
    let spot = pool.sender(user).spot_price_at(T0, pis[0].address(), pis[1].address()).unwrap();
    let at_spot = swap_in * w(E18) / spot;
    let out = router
        .sender(user)
        .swap_exact_in_at(T0, &pools, &path, swap_in, quote, user, DEADLINE)
        .motsu_unwrap();
    assert_eq!(out, quote);
    assert_eq!(dai.sender(user).balance_of(user), out);
    // The user's join left the pool overweight in USDC: it prices USDC at 4,000 / 4,800 =
    // 0.833 DAI ((30,000 / 7.5) / (60,000 / 12.5)). The trade gets less than the spot price
    // but within 3% of it: 30,000 · (1 − (60 / 61)^(12.5 / 7.5)) = 814.8 DAI, the weighted
    // pool's impact of 1,000 on 60,000 at these weights.
    assert!(out < at_spot && out * w(100) > at_spot * w(97), "{out} vs {at_spot} at spot");

    // ---------------------------------------------------------------- leave in DAI
    pool.sender(user).approve(router.address(), U256::MAX).motsu_unwrap();
    let quote = lens
        .sender(router.address())
        .quote_exit_to_token(pool.address(), shares, dai.address())
        .unwrap();
    let got = router
        .sender(user)
        .exit_to_token_at(T0, pool.address(), shares, dai.address(), quote, DEADLINE)
        .motsu_unwrap();
    assert_eq!(got, quote);
    assert_eq!(dai.sender(user).balance_of(user), out + got);
    assert_eq!(pool.sender(user).balance_of(user), U256::ZERO);
    // The router keeps nothing.
    for c in &coins {
        assert_eq!(c.sender(user).balance_of(router.address()), U256::ZERO);
    }
    for p in &pis {
        assert_eq!(p.sender(user).balance_of(router.address()), U256::ZERO);
    }
    assert_eq!(pool.sender(user).balance_of(router.address()), U256::ZERO);
}
