//! The "ASSY"-like index of `test/index/tests/example_assy.rs`, on the release
//! artifacts with the clock moving: four governance tokens (mocks standing in
//! for AAVE, SUSHI, SNX and YFI), AAVE and SUSHI wrapped into pi-tokens whose
//! ERC-4626 venues earn yield (managed by the yield router), market-cap
//! weights from the oracle (`power-oracle` → `weight-valuer` MCAP →
//! `weight-strategy` as the pool's controller), and a user who enters with
//! SUSHI through the index router, holds for the whole 14-day schedule while
//! the venues pay yield and the weights glide to the market caps, and exits
//! to SUSHI through the router at the end of the schedule.
//!
//! ```text
//! token   price   supply        market cap   weight   pool holds
//! AAVE    $100    16,000,000    $1.6B        10       4,000 piAAVE
//! SUSHI   $2      400,000,000   $0.8B         5       100,000 piSUSHI
//! SNX     $4      300,000,000   $1.2B         7.5     75,000 SNX
//! YFI     $10,000 40,000        $0.4B         2.5     10 YFI
//! ```
//!
//! motsu's clock is fixed, so its version drives the exit at `T_end` with
//! the pool's time-explicit functions; here the router's own `exitToToken`
//! runs at `T_end`.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::too_many_lines,
    clippy::many_single_char_names,
    missing_docs,
    reason = "integration tests: a failed unwrap or assertion is a failed test"
)]

mod common;

use alloy_primitives::{Address, FixedBytes, U256};
use common::{send, view};
use strata::systems::assets::{IMockErc20, IMockVenue};
use strata::systems::index::{
    erc20ConstructorCall, oracleConstructorCall, piConstructorCall, poolConstructorCall,
    routerConstructorCall, strategyConstructorCall, valuerConstructorCall, venueConstructorCall,
    yieldRouterConstructorCall, IIndexPool, IIndexRouter, IPiToken, IPowerOracle, IWeightStrategy,
    IWeightValuer, IYieldRouter, E18,
};
use strata::systems::{Ctx, DEPLOYER};

alloy_sol_types::sol! {
    /// The part of `weighted-math`'s ABI this test recomputes the exit with.
    interface IWeightedMath {
        function calcSingleOutGivenPoolIn(uint256 balance_out, uint256 weight_out, uint256 pool_supply, uint256 total_weight, uint256 pool_amount_in, uint256 swap_fee) external pure returns (uint256);
    }
}

const OWNER: Address = DEPLOYER;
const KEEPER: Address = Address::repeat_byte(0x0c);
const MARKET: Address = Address::repeat_byte(0x0d);
const TREASURY: Address = Address::repeat_byte(0x7e);
const USER: Address = Address::repeat_byte(0x05);

/// Strategy: 14-day schedules, at most one poke a day.
const DURATION: u64 = 1_209_600;
const DAY: u64 = 86_400;
/// The production cap on weight change: 0.25e18 a day.
const MAX_RATE: u128 = 2_893_518_518_519;
/// Yield router: 20 % reserve, forced below 10 %, 10 % performance fee.
const RATIO: u128 = E18 / 5;
const FORCE: u128 = E18 / 10;
const PERF_FEE: u128 = E18 / 10;
/// Pool swap fee: 0.1 %.
const SWAP_FEE: u128 = E18 / 1000;
/// `bytes32("SUPPLY")`: the oracle value kind the valuer reads for reported supplies.
const VALUE_SUPPLY: FixedBytes<32> =
    FixedBytes(*b"SUPPLY\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0");
/// The valuer's market-cap kind.
const KIND_MCAP: u8 = 1;
/// The valuer's TWAP window.
const TWAP: u64 = 1_800;

fn u(x: u128) -> U256 {
    U256::from(x)
}

fn e18(x: u128) -> U256 {
    u(x) * u(E18)
}

fn word(text: &str) -> FixedBytes<32> {
    FixedBytes::right_padding_from(text.as_bytes())
}

fn deploy<C: alloy_sol_types::SolCall>(ctx: &mut Ctx<'static>, package: &str, args: &C) -> Address {
    ctx.host
        .deploy_sol(common::wasm(package), args)
        .unwrap_or_else(|e| panic!("deploying {package} failed: {e}"))
}

fn deploy_bare(ctx: &mut Ctx<'static>, package: &str) -> Address {
    ctx.host
        .deploy(common::wasm(package), None)
        .unwrap_or_else(|e| panic!("deploying {package} failed: {e}"))
        .0
}

fn balance(ctx: &mut Ctx<'static>, token: Address, account: Address) -> U256 {
    view(ctx, token, &IMockErc20::balanceOfCall { account })._0
}

/// What a pi-token and its venue hold just before a yield-router poke.
#[derive(Debug, Clone, Copy)]
struct PiSnapshot {
    reserve: U256,
    checkpoint: U256,
    venue_shares: U256,
    venue_assets: U256,
    supply: U256,
}

fn snapshot(ctx: &mut Ctx<'static>, pi: Address, venue: Address) -> PiSnapshot {
    let s = view(ctx, pi, &IPiToken::getReserveStateCall {});
    let venue_shares = view(ctx, venue, &IMockVenue::balanceOfCall { account: pi })._0;
    assert_eq!(
        venue_shares,
        view(ctx, venue, &IMockVenue::totalSupplyCall {})._0,
        "the pi-token is its venue's only depositor"
    );
    PiSnapshot {
        reserve: s.reserve,
        checkpoint: s.venueCheckpoint,
        venue_shares,
        venue_assets: view(ctx, venue, &IMockVenue::totalAssetsCall {})._0,
        supply: view(ctx, pi, &IPiToken::totalSupplyCall {})._0,
    }
}

/// What a poke does, computed independently from the snapshot: the venue's
/// share math (`⌊x · (TA + 1) / (TS + 1)⌋`, withdrawals burn shares rounded
/// up), the harvest of `staked − checkpoint` with the fee paid in pi at the
/// pre-fee rate (virtual offset 1), and the rebalance to `⌊ratio · total⌋`.
/// Returns `(gain, fee, fee_pi, reserve after, total underlying after)`.
fn model_poke(s: PiSnapshot) -> (U256, U256, U256, U256, U256) {
    let one = U256::ONE;
    let (ts, ta) = (s.venue_shares, s.venue_assets);
    let staked = ts * (ta + one) / (ts + one);
    let gain = staked.saturating_sub(s.checkpoint);
    let fee = gain * u(PERF_FEE) / u(E18);
    let total = s.reserve + staked;
    let fee_pi = fee * (s.supply + one) / (total - fee + one);
    let expected = u(RATIO) * total / u(E18);
    let (reserve, shares_after, assets_after) = if s.reserve < expected {
        let take = expected - s.reserve;
        let burnt = (take * (ts + one)).div_ceil(ta + one);
        (s.reserve + take, ts - burnt, ta - take)
    } else {
        let put = s.reserve - expected;
        let minted = put * (ts + one) / (ta + one);
        (s.reserve - put, ts + minted, ta + put)
    };
    let staked_after = shares_after * (assets_after + one) / (shares_after + one);
    (gain, fee, fee_pi, reserve, reserve + staked_after)
}

/// `⌊pi · (total + 1) / (supply + 1)⌋`: what `pi` unwraps for.
fn unwrap_rate(pi: U256, total: U256, supply: U256) -> U256 {
    pi * (total + U256::ONE) / (supply + U256::ONE)
}

#[test]
fn assy_user_enters_with_sushi_holds_through_the_schedule_and_exits_to_sushi_at_its_end() {
    let mut ctx = common::ctx();
    let t_start = ctx.now();

    // ------------------------------------------------------------ tokens and wrappers
    let names = ["AAVE", "SUSHI", "SNX", "YFI"];
    let supplies: [u128; 4] = [16_000_000, 400_000_000, 300_000_000, 40_000];
    let mut tokens = [Address::ZERO; 4];
    for (i, name) in names.iter().enumerate() {
        let args = erc20ConstructorCall { name: word(name), symbol: word(name), decimals: 18 };
        tokens[i] = deploy(&mut ctx, "mock-erc20", &args);
        ctx.host.label(tokens[i], *name);
        send(
            &mut ctx,
            MARKET,
            tokens[i],
            &IMockErc20::mintCall { to: MARKET, value: e18(supplies[i]) },
        );
    }
    let [aave, sushi, snx, yfi] = tokens;
    let yield_router =
        deploy(&mut ctx, "yield-router", &yieldRouterConstructorCall { owner: OWNER });
    let mut venues = [Address::ZERO; 2];
    let mut pis = [Address::ZERO; 2];
    for i in 0..2 {
        venues[i] = deploy(&mut ctx, "mock-venue", &venueConstructorCall { asset: tokens[i] });
        let symbol = word(&format!("pi{}", names[i]));
        pis[i] = deploy(
            &mut ctx,
            "pi-token",
            &piConstructorCall {
                name: symbol,
                symbol,
                underlying: tokens[i],
                venue: venues[i],
                router: yield_router,
            },
        );
        send(
            &mut ctx,
            OWNER,
            yield_router,
            &IYieldRouter::setConfigCall {
                pi_token: pis[i],
                reserve_ratio: u(RATIO),
                reserve_ratio_to_force_rebalance: u(FORCE),
                rebalance_interval: DAY,
                performance_fee: u(PERF_FEE),
                fee_receiver: TREASURY,
            },
        );
    }
    let [pi_aave, pi_sushi] = pis;

    // ------------------------------------------------------------ oracle and valuer
    let oracle = deploy(
        &mut ctx,
        "power-oracle",
        &oracleConstructorCall {
            owner: OWNER,
            minReportInterval: 300,
            maxDeviation: u(E18 / 10),
            maxAge: 3_600,
            maxValueAge: DAY,
        },
    );
    send(
        &mut ctx,
        OWNER,
        oracle,
        &IPowerOracle::setReporterCall { reporter: KEEPER, allowed: true },
    );
    let valuer = deploy(
        &mut ctx,
        "weight-valuer",
        &valuerConstructorCall { owner: OWNER, oracle, kind: KIND_MCAP, twapWindow: TWAP },
    );
    // The pi-tokens are priced and supplied as their underlying (reported); SNX
    // and YFI use their on-chain supply.
    let pool_tokens = [pi_aave, pi_sushi, snx, yfi];
    for (i, &token) in pool_tokens.iter().enumerate() {
        send(
            &mut ctx,
            OWNER,
            valuer,
            &IWeightValuer::setMcapSourceCall {
                token,
                reported: i < 2,
                excluded_holders: Vec::new(),
            },
        );
    }
    let old_prices = [e18(100), e18(2), e18(4), e18(10_000)];
    let new_prices = [e18(110), u(18 * E18 / 10), e18(4), e18(10_000)];
    send(
        &mut ctx,
        KEEPER,
        oracle,
        &IPowerOracle::reportPricesCall {
            assets: pool_tokens.to_vec(),
            prices: old_prices.to_vec(),
        },
    );
    send(
        &mut ctx,
        KEEPER,
        oracle,
        &IPowerOracle::reportValuesCall {
            kind: VALUE_SUPPLY,
            assets: pool_tokens[..2].to_vec(),
            values: vec![e18(supplies[0]), e18(supplies[1])],
        },
    );

    // ------------------------------------------------------------ the pool ($1,000,000)
    let weights = [e18(10), e18(5), u(7_500_000_000_000_000_000), u(2_500_000_000_000_000_000)];
    let balances = [e18(4_000), e18(100_000), e18(75_000), e18(10)];
    let math = deploy_bare(&mut ctx, "weighted-math");
    let swaps = deploy_bare(&mut ctx, "index-pool-swaps");
    let liquidity = deploy_bare(&mut ctx, "index-pool-liquidity");
    let admin = deploy_bare(&mut ctx, "index-pool-admin");
    let pool = deploy(
        &mut ctx,
        "index-pool",
        &poolConstructorCall {
            name: word("ASSY"),
            symbol: word("ASSY"),
            controller: OWNER,
            minWeightPerSecond: U256::ZERO,
            maxWeightPerSecond: e18(1_000),
            swaps,
            liquidity,
            admin,
            math,
        },
    );
    for i in 0..4 {
        send(
            &mut ctx,
            MARKET,
            tokens[i],
            &IMockErc20::transferCall { to: OWNER, value: balances[i] },
        );
    }
    for i in 0..2 {
        send(
            &mut ctx,
            OWNER,
            tokens[i],
            &IMockErc20::approveCall { spender: pis[i], value: U256::MAX },
        );
        let minted = send(&mut ctx, OWNER, pis[i], &IPiToken::depositCall { amount: balances[i] });
        assert_eq!(minted.piAmount, balances[i], "1:1 before any yield");
    }
    let bind_from = t_start + 60;
    for i in 0..4 {
        send(
            &mut ctx,
            OWNER,
            pool_tokens[i],
            &IMockErc20::approveCall { spender: pool, value: U256::MAX },
        );
        send(
            &mut ctx,
            OWNER,
            pool,
            &IIndexPool::bindCall {
                token: pool_tokens[i],
                balance: balances[i],
                targetWeight: weights[i],
                fromTimestamp: U256::from(bind_from),
                targetTimestamp: U256::from(bind_from + 600),
            },
        );
    }
    send(&mut ctx, OWNER, pool, &IIndexPool::finalizeCall {});
    send(&mut ctx, OWNER, pool, &IIndexPool::setSwapFeeCall { swapFee: u(SWAP_FEE) });
    let community = view(&mut ctx, pool, &IIndexPool::getCommunityFeesCall {});
    assert_eq!(
        community.exitFee,
        U256::ZERO,
        "no community exit fee: the pool fee is the swap fee"
    );

    // ------------------------------------------------------------ strategy and router
    let strategy = deploy(
        &mut ctx,
        "weight-strategy",
        &strategyConstructorCall {
            owner: OWNER,
            pool,
            valuer,
            duration: DURATION,
            minInterval: DAY,
        },
    );
    send(&mut ctx, OWNER, pool, &IIndexPool::setControllerCall { controller: strategy });
    send(
        &mut ctx,
        OWNER,
        strategy,
        &IWeightStrategy::setWeightPerSecondBoundsCall {
            min_weight_per_second: U256::ZERO,
            max_weight_per_second: u(MAX_RATE),
        },
    );
    let lens = deploy_bare(&mut ctx, "index-router-lens");
    let router = deploy(&mut ctx, "index-router", &routerConstructorCall { lens });

    // ------------------------------------------------------------ T0: the ramp is over
    // Old prices at T0 − 2 h, the new TWAPs (AAVE +10 %, SUSHI −10 %) at
    // T0 − 30 min: the valuer's 30-minute TWAP at T0 is exactly the new price.
    let t0 = t_start + 7_200;
    ctx.host.warp(t0 - TWAP);
    send(
        &mut ctx,
        KEEPER,
        oracle,
        &IPowerOracle::reportPricesCall {
            assets: pool_tokens.to_vec(),
            prices: new_prices.to_vec(),
        },
    );
    ctx.host.warp(t0);
    for (i, &token) in pool_tokens.iter().enumerate() {
        let w = view(&mut ctx, pool, &IIndexPool::getDenormalizedWeightCall { token })._0;
        assert_eq!(w, weights[i], "{}'s bind ramp is over", names[i]);
    }
    // Spot prices match the oracle: SUSHI per AAVE = (100,000 / 5) / (4,000 / 10) / (1 − f).
    let spot = view(
        &mut ctx,
        pool,
        &IIndexPool::getSpotPriceCall { tokenIn: pi_sushi, tokenOut: pi_aave },
    )
    ._0;
    assert_eq!(spot, (e18(50) * u(E18)).div_ceil(u(E18 - SWAP_FEE)));

    // The pi-tokens' reserves go to work: 80 % of each is staked.
    for &pi in &pis {
        send(&mut ctx, KEEPER, yield_router, &IYieldRouter::pokeCall { pi_token: pi });
    }
    assert_eq!(view(&mut ctx, pi_aave, &IPiToken::getReserveStateCall {}).staked, e18(3_200));
    assert_eq!(view(&mut ctx, pi_sushi, &IPiToken::getReserveStateCall {}).staked, e18(80_000));

    // ============================================================ 1. enter with SUSHI at T0
    let amount_in = e18(10_000);
    send(&mut ctx, MARKET, sushi, &IMockErc20::transferCall { to: USER, value: amount_in });
    send(&mut ctx, USER, sushi, &IMockErc20::approveCall { spender: router, value: U256::MAX });
    let quote = view(
        &mut ctx,
        router,
        &IIndexRouter::quoteJoinWithTokenCall { pool, tokenIn: sushi, amountIn: amount_in },
    )
    .poolAmountOut;
    let shares = send(
        &mut ctx,
        USER,
        router,
        &IIndexRouter::joinWithTokenCall {
            pool,
            tokenIn: sushi,
            amountIn: amount_in,
            minPoolAmountOut: quote,
            deadline: U256::from(t0 + 600),
        },
    )
    .poolAmountOut;
    assert_eq!(shares, quote, "the join pays the router's quote");
    assert_eq!(view(&mut ctx, pool, &IIndexPool::balanceOfCall { account: USER })._0, shares);
    assert_eq!(
        view(&mut ctx, pool, &IIndexPool::getBalanceCall { token: pi_sushi })._0,
        e18(110_000),
        "10,000 SUSHI became 10,000 piSUSHI in the pool (1:1 before any yield)"
    );

    // ============================================================ 2. the keeper schedules the market caps
    let caps = [e18(1_760_000_000), e18(720_000_000), e18(1_200_000_000), e18(400_000_000)];
    let total_cap: U256 = caps.iter().copied().sum();
    let targets: Vec<U256> = caps.iter().map(|&c| c * e18(25) / total_cap).collect();
    assert_eq!(
        view(&mut ctx, valuer, &IWeightValuer::getTargetsCall { tokens: pool_tokens.to_vec() })._0,
        targets,
        "market-cap shares of 25e18 from the 30-minute TWAPs"
    );
    send(&mut ctx, KEEPER, strategy, &IWeightStrategy::pokeCall {});
    let t_end = t0 + 1 + DURATION;
    for (i, &token) in pool_tokens.iter().enumerate() {
        // No change beyond DURATION · MAX_RATE = 3.5e18 is needed: the targets are not clamped.
        let s = view(&mut ctx, pool, &IIndexPool::getDynamicWeightSettingsCall { token });
        assert_eq!(
            (s.fromTimestamp, s.targetTimestamp, s.fromWeight, s.targetWeight),
            (U256::from(t0 + 1), U256::from(t_end), weights[i], targets[i]),
            "{}'s schedule",
            names[i]
        );
    }

    // ============================================================ 3. a day later the venues pay
    let pool_pi = [
        view(&mut ctx, pool, &IIndexPool::getBalanceCall { token: pi_aave })._0,
        view(&mut ctx, pool, &IIndexPool::getBalanceCall { token: pi_sushi })._0,
    ];
    let mut claim_before = [U256::ZERO; 2];
    for i in 0..2 {
        assert_eq!(
            pool_pi[i],
            view(&mut ctx, pis[i], &IPiToken::totalSupplyCall {})._0,
            "the pool holds every {} pi-token",
            names[i]
        );
        claim_before[i] =
            view(&mut ctx, pis[i], &IPiToken::previewWithdrawCall { piAmount: pool_pi[i] }).amount;
    }
    assert_eq!(claim_before[0], e18(4_000));
    ctx.host.warp(t0 + DAY);
    // 0.75 % on the 3,200 staked AAVE, 5.5 % on the 80,000 staked SUSHI.
    let yields = [e18(24), e18(4_400)];
    for i in 0..2 {
        send(&mut ctx, OWNER, venues[i], &IMockVenue::simulateYieldCall { amount: yields[i] });
    }
    for i in 0..2 {
        let before = snapshot(&mut ctx, pis[i], venues[i]);
        let (gain, fee, fee_pi, reserve, total) = model_poke(before);
        send(&mut ctx, KEEPER, yield_router, &IYieldRouter::pokeCall { pi_token: pis[i] });
        assert_eq!(
            view(&mut ctx, pis[i], &IPiToken::balanceOfCall { account: TREASURY })._0,
            fee_pi,
            "{}: the 10 % fee is paid in pi",
            names[i]
        );
        assert_eq!(view(&mut ctx, pis[i], &IPiToken::getReserveStateCall {}).reserve, reserve);
        assert_eq!(view(&mut ctx, pis[i], &IPiToken::totalUnderlyingCall {})._0, total);
        assert_eq!(
            view(&mut ctx, pool, &IIndexPool::getBalanceCall { token: pis[i] })._0,
            pool_pi[i],
            "{}: the pool's pi balance does not move, its underlying grows",
            names[i]
        );
        let claim = unwrap_rate(pool_pi[i], total, before.supply + fee_pi);
        assert_eq!(
            view(&mut ctx, pis[i], &IPiToken::previewWithdrawCall { piAmount: pool_pi[i] }).amount,
            claim
        );
        // The index's underlying grew by the venue's yield less the 10 % fee, short by at
        // most 2 wei: the venue's floor on the staked value before and after the rebalance
        // and the pi-token's floor on the pool's claim.
        let grown = claim - claim_before[i];
        assert!(
            grown <= gain - fee && gain - fee - grown <= u(2),
            "{}: grew {grown}, yield net of fee {}",
            names[i],
            gain - fee
        );
        // The venue's virtual share shaves at most a wei off the yield it pays.
        assert!(yields[i] - gain <= u(1), "{}: gain {gain} of {}", names[i], yields[i]);
    }

    // ============================================================ 4. the weights glide
    for t in [t0 + 1 + DURATION / 2, t_end] {
        ctx.host.warp(t);
        for (i, &token) in pool_tokens.iter().enumerate() {
            let w = view(&mut ctx, pool, &IIndexPool::getDenormalizedWeightCall { token })._0;
            let moved =
                weights[i].abs_diff(targets[i]) * U256::from(t - t0 - 1) / U256::from(DURATION);
            let expected =
                if targets[i] >= weights[i] { weights[i] + moved } else { weights[i] - moved };
            assert_eq!(w, expected, "{}'s weight at {t}", names[i]);
        }
    }
    // At T_end the pool's weights are the strategy's targets, exactly.
    for (i, &token) in pool_tokens.iter().enumerate() {
        let w = view(&mut ctx, pool, &IIndexPool::getDenormalizedWeightCall { token })._0;
        assert_eq!(w, targets[i], "{}'s weight at T_end", names[i]);
    }

    // ============================================================ 5. exit to SUSHI at T_end
    send(&mut ctx, USER, pool, &IIndexPool::approveCall { spender: router, value: shares });
    let b = view(&mut ctx, pool, &IIndexPool::getBalanceCall { token: pi_sushi })._0;
    let supply = view(&mut ctx, pool, &IIndexPool::totalSupplyCall {})._0;
    let sushi_weight_end =
        view(&mut ctx, pool, &IIndexPool::getDenormalizedWeightCall { token: pi_sushi })._0;
    let total_weight_end = view(&mut ctx, pool, &IIndexPool::getTotalDenormalizedWeightCall {})._0;
    let fee_now = view(&mut ctx, pool, &IIndexPool::getSwapFeeCall {})._0;
    assert_eq!(total_weight_end, targets.iter().copied().sum::<U256>());
    let exit_math = |ctx: &mut Ctx<'static>, weight: U256, total_weight: U256| {
        view(
            ctx,
            math,
            &IWeightedMath::calcSingleOutGivenPoolInCall {
                balance_out: b,
                weight_out: weight,
                pool_supply: supply,
                total_weight,
                pool_amount_in: shares,
                swap_fee: fee_now,
            },
        )
        ._0
    };
    let expected_pi = exit_math(&mut ctx, sushi_weight_end, total_weight_end);
    // The same exit at the T0 weights (SUSHI 5 of 25): SUSHI's weight fell to ~4.41,
    // so the pool pays more SUSHI per share at T_end.
    let at_t0_weights = exit_math(&mut ctx, weights[1], weights.iter().copied().sum());
    assert!(expected_pi > at_t0_weights, "{expected_pi} vs {at_t0_weights} at the T0 weights");
    let pi_total = view(&mut ctx, pi_sushi, &IPiToken::totalUnderlyingCall {})._0;
    let pi_supply = view(&mut ctx, pi_sushi, &IPiToken::totalSupplyCall {})._0;
    let expected_out = unwrap_rate(expected_pi, pi_total, pi_supply);
    assert!(expected_out > expected_pi, "piSUSHI unwraps for more than 1 SUSHI after the yield");

    let quote = view(
        &mut ctx,
        router,
        &IIndexRouter::quoteExitToTokenCall { pool, poolAmountIn: shares, tokenOut: sushi },
    )
    .amountOut;
    let out = send(
        &mut ctx,
        USER,
        router,
        &IIndexRouter::exitToTokenCall {
            pool,
            poolAmountIn: shares,
            tokenOut: sushi,
            minAmountOut: quote,
            deadline: U256::from(t_end + 600),
        },
    )
    .amountOut;
    assert_eq!(out, quote, "the exit pays the router's quote, to the wei");
    assert_eq!(
        out, expected_out,
        "weighted math at the T_end weights, then piSUSHI's unwrap rate, to the wei"
    );
    assert_eq!(balance(&mut ctx, sushi, USER), out);
    assert_eq!(view(&mut ctx, pool, &IIndexPool::balanceOfCall { account: USER })._0, U256::ZERO);
    assert_eq!(
        view(&mut ctx, pool, &IIndexPool::getBalanceCall { token: pi_sushi })._0,
        b - expected_pi,
        "the pool paid out exactly the computed piSUSHI"
    );
    assert_eq!(view(&mut ctx, pool, &IIndexPool::totalSupplyCall {})._0, supply - shares);
    // Held for 14 days, the user's 10,000 SUSHI came back with the venue's yield and the
    // weight move, net of the swap fee and the single-asset price impact.
    assert!(out > amount_in, "got {out} SUSHI back for {amount_in}");

    for token in [aave, sushi, snx, yfi, pi_aave, pi_sushi, pool] {
        assert_eq!(balance(&mut ctx, token, router), U256::ZERO, "the router keeps no {token}");
    }
}
