//! The Index system on its release artifacts, with the clock moving: the
//! pool's dynamic weights glide over time at the per-second cap (motsu's
//! clock is fixed, so only the host shows it), and the strategy clamps a
//! jump in TWAP value to that cap. Every call to the pool goes through its
//! `DELEGATECALL` to the part that serves it, as on chain.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    clippy::too_many_lines,
    clippy::many_single_char_names,
    missing_docs,
    reason = "integration tests: a failed unwrap or assertion is a failed test"
)]

mod common;

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use common::{send, view};
use strata::systems::assets::IMockErc20;
use strata::systems::index::{
    self, IIndexPool, IPowerOracle, IWeightStrategy, IWeightValuer, BIND_DELAY, DURATION, E18,
    MAX_WEIGHT_PER_SECOND, RAMP, TOKENS, TWAP_WINDOW,
};
use strata::systems::{Ctx, DEPLOYER};
use strata_host::trace::TraceKind;
use strata_host::Status;

const CAP: u128 = MAX_WEIGHT_PER_SECOND;
const TRADER: Address = Address::repeat_byte(0x7a);

fn u(x: u128) -> U256 {
    U256::from(x)
}

/// The index tokens and the pool, with the deployer still the controller.
fn setup_pool() -> (Ctx<'static>, Address, [Address; 3]) {
    let mut ctx = common::ctx();
    common::deploy(&mut ctx, || {
        let mut plan = index::token_steps();
        plan.extend(index::pool_steps());
        plan
    });
    let pool = ctx.at("pool").unwrap();
    let tokens = TOKENS.map(|t| ctx.at(t.key).unwrap());
    (ctx, pool, tokens)
}

/// The whole Index system as `strata deploy` wires it (the strategy is the
/// pool's controller).
fn setup_index() -> (Ctx<'static>, [Address; 3]) {
    let mut ctx = common::ctx();
    common::deploy(&mut ctx, index::plan);
    let tokens = TOKENS.map(|t| ctx.at(t.key).unwrap());
    (ctx, tokens)
}

fn weight(ctx: &mut Ctx<'static>, pool: Address, token: Address) -> U256 {
    view(ctx, pool, &IIndexPool::getDenormalizedWeightCall { token })._0
}

fn weight_at(ctx: &mut Ctx<'static>, pool: Address, token: Address, t: u64) -> U256 {
    ctx.host.warp(t);
    weight(ctx, pool, token)
}

/// `weight(t)` of the spec, computed here: held before `from`, the target
/// after `to`, else `from ± ⌊|Δ|·(t − from)/(to − from)⌋`.
fn linear(from_weight: U256, target: U256, from: u64, to: u64, t: u64) -> U256 {
    if t <= from {
        return from_weight;
    }
    if t >= to {
        return target;
    }
    let moved = from_weight.abs_diff(target) * U256::from(t - from) / U256::from(to - from);
    if target >= from_weight {
        from_weight + moved
    } else {
        from_weight - moved
    }
}

#[test]
fn a_weight_schedule_glides_linearly_to_its_target_at_the_per_second_cap() {
    let (mut ctx, pool, [uni, aave, _]) = setup_pool();
    let t0 = ctx.now();
    // The bind ramp (MIN_WEIGHT → 10e18 for UNI) is over.
    ctx.host.warp(t0 + BIND_DELAY + RAMP);
    assert_eq!(weight(&mut ctx, pool, uni), u(10 * E18));
    send(
        &mut ctx,
        DEPLOYER,
        pool,
        &IIndexPool::setWeightPerSecondBoundsCall {
            minWeightPerSecond: U256::ZERO,
            maxWeightPerSecond: u(CAP),
        },
    );
    let now = ctx.now();
    let (from, to) = (now + 100, now + 100 + 86_400);
    let delta = u(CAP) * U256::from(86_400u64);
    let settings = view(&mut ctx, pool, &IIndexPool::getDynamicWeightSettingsCall { token: uni });

    // One wei faster than the cap is refused, and changes nothing.
    let too_fast = IIndexPool::setDynamicWeightCall {
        token: uni,
        targetWeight: u(10 * E18) - delta - U256::ONE,
        fromTimestamp: U256::from(from),
        targetTimestamp: U256::from(to),
    };
    ctx.host.expect_revert_error(&IIndexPool::IndexPoolWeightRateOutOfBounds {
        _0: delta + U256::ONE,
        _1: U256::from(86_400u64),
        _2: U256::ZERO,
        _3: u(CAP),
    });
    ctx.host.prank(DEPLOYER);
    assert!(ctx.host.call_sol(pool, &too_fast).is_err());
    assert_eq!(
        view(&mut ctx, pool, &IIndexPool::getDynamicWeightSettingsCall { token: uni }),
        settings,
        "a refused schedule leaves the old one"
    );

    // Exactly at the cap: accepted; the weight holds until `from`, in this block too.
    let target = u(10 * E18) - delta;
    let spot_before =
        view(&mut ctx, pool, &IIndexPool::getSpotPriceCall { tokenIn: uni, tokenOut: aave })._0;
    ctx.host.expect_event(
        pool,
        &IIndexPool::DynamicWeightSet {
            token: uni,
            fromTimestamp: U256::from(from),
            targetTimestamp: U256::from(to),
            fromWeight: u(10 * E18),
            targetWeight: target,
        },
    );
    send(
        &mut ctx,
        DEPLOYER,
        pool,
        &IIndexPool::setDynamicWeightCall {
            token: uni,
            targetWeight: target,
            fromTimestamp: U256::from(from),
            targetTimestamp: U256::from(to),
        },
    );
    assert_eq!(
        view(&mut ctx, pool, &IIndexPool::getSpotPriceCall { tokenIn: uni, tokenOut: aave })._0,
        spot_before,
        "scheduling does not move the price in its own block"
    );

    let samples = [
        now,
        from - 1,
        from,
        from + 1,
        from + 2,
        from + 3,
        from + 43_200,
        from + 43_201,
        to - 1,
        to,
        to + 1,
        to + 1_000_000,
    ];
    let mut previous: Option<(u64, U256)> = None;
    for t in samples {
        let w = weight_at(&mut ctx, pool, uni, t);
        assert_eq!(
            w,
            linear(u(10 * E18), target, from, to, t),
            "weight at {t} (schedule {from}..{to})"
        );
        if let Some((pt, pw)) = previous {
            if t == pt + 1 {
                assert!(pw.abs_diff(w) <= u(CAP), "moved {} in one second at {t}", pw.abs_diff(w));
            }
        }
        previous = Some((t, w));
    }
    // The schedule moves the whole way at exactly the cap on average.
    assert_eq!(u(10 * E18) - target, u(CAP) * U256::from(to - from));
    // The total weight is the sum of the current weights (AAVE 8e18, CRV 7e18 hold).
    ctx.host.warp(from + 43_200);
    let total = view(&mut ctx, pool, &IIndexPool::getTotalDenormalizedWeightCall {})._0;
    assert_eq!(total, linear(u(10 * E18), target, from, to, from + 43_200) + u(15 * E18));

    // A new schedule mid-glide starts from the weight of that moment: no jump.
    let mid = from + 43_200;
    let w_mid = weight_at(&mut ctx, pool, uni, mid);
    send(
        &mut ctx,
        DEPLOYER,
        pool,
        &IIndexPool::setDynamicWeightCall {
            token: uni,
            targetWeight: u(10 * E18),
            fromTimestamp: U256::from(mid),
            targetTimestamp: U256::from(mid + 86_400),
        },
    );
    assert_eq!(weight(&mut ctx, pool, uni), w_mid);
    let s = view(&mut ctx, pool, &IIndexPool::getDynamicWeightSettingsCall { token: uni });
    assert_eq!((s.fromWeight, s.targetWeight), (w_mid, u(10 * E18)));
    assert_eq!(
        weight_at(&mut ctx, pool, uni, mid + 86_400 / 4),
        linear(w_mid, u(10 * E18), mid, mid + 86_400, mid + 86_400 / 4)
    );
}

/// A jump in CRV's value (the owner confirms a 3× price the deviation guard
/// refused) moves its target by more than the strategy may in one schedule:
/// `poke` clamps the change to `cap × duration` and the weights glide there.
#[test]
fn the_strategy_clamps_a_jump_in_value_to_the_cap_and_the_weights_glide_there() {
    let (mut ctx, tokens) = setup_index();
    let (oracle, valuer, strategy, pool) = (
        ctx.at("oracle").unwrap(),
        ctx.at("valuer").unwrap(),
        ctx.at("strategy").unwrap(),
        ctx.at("pool").unwrap(),
    );
    let t0 = ctx.now();
    let first = [8 * E18, 100 * E18, 7 * E18 / 10];
    let report = |ctx: &mut Ctx<'static>, prices: [u128; 3]| {
        send(
            ctx,
            DEPLOYER,
            oracle,
            &IPowerOracle::reportPricesCall {
                assets: tokens.to_vec(),
                prices: prices.iter().map(|&p| u(p)).collect(),
            },
        );
    };
    report(&mut ctx, first);
    // CRV triples: the reporter's post is refused, the owner confirms it.
    ctx.host.warp(t0 + 300);
    let tripled = 21 * E18 / 10;
    ctx.host.prank(DEPLOYER);
    let refused = ctx.host.call_sol(
        oracle,
        &IPowerOracle::reportPricesCall { assets: vec![tokens[2]], prices: vec![u(tripled)] },
    );
    assert!(refused.is_err(), "a 200% move needs the owner's confirmation");
    send(
        &mut ctx,
        DEPLOYER,
        oracle,
        &IPowerOracle::confirmPricesCall { assets: vec![tokens[2]], prices: vec![u(tripled)] },
    );
    let latest = [8 * E18, 100 * E18, tripled];
    for t in [t0 + 1500, t0 + 2700] {
        ctx.host.warp(t);
        report(&mut ctx, latest);
    }
    let poke = t0 + 3900;
    ctx.host.warp(poke);

    // Expected, from the price path alone: TWAP over [poke − 1 h, poke] of a
    // piecewise-constant price, MCAP = supply × TWAP, target = value share of
    // 25e18 (floored, at least MIN_WEIGHT), clamped to ± cap × duration.
    let path = |i: usize| -> Vec<(u64, u128)> {
        vec![(t0, first[i]), (t0 + 300, latest[i])] // later reports repeat `latest`
    };
    let twap = |i: usize| -> U256 {
        let (start, end) = (poke - TWAP_WINDOW, poke);
        let points = path(i);
        let mut sum = U256::ZERO;
        for (k, &(at, price)) in points.iter().enumerate() {
            let until = points.get(k + 1).map_or(end, |p| p.0);
            let (a, b) = (at.max(start), until.min(end));
            if b > a {
                sum += u(price) * U256::from(b - a);
            }
        }
        sum / U256::from(TWAP_WINDOW)
    };
    let caps: Vec<U256> = (0..3).map(|i| u(TOKENS[i].supply) * twap(i)).collect();
    assert_eq!(
        view(&mut ctx, valuer, &IWeightValuer::getValuesCall { tokens: tokens.to_vec() })._0,
        caps,
        "market caps from the 1-hour TWAPs"
    );
    let total: U256 = caps.iter().copied().sum();
    let targets: Vec<U256> =
        caps.iter().map(|v| (*v * u(25 * E18) / total).max(u(1_000_000_000))).collect();
    assert_eq!(
        view(&mut ctx, valuer, &IWeightValuer::getTargetsCall { tokens: tokens.to_vec() })._0,
        targets
    );
    let max_change = u(CAP) * U256::from(DURATION);
    let current: Vec<U256> = TOKENS.iter().map(|t| u(t.weight)).collect();
    let clamped: Vec<U256> = current
        .iter()
        .zip(&targets)
        .map(|(&c, &t)| if t > c { t.min(c + max_change) } else { t.max(c - max_change) })
        .collect();
    assert!(clamped[2] < targets[2] && clamped[0] > targets[0], "CRV up and UNI down are clamped");
    assert_eq!(clamped[2], u(7 * E18) + max_change);
    assert_eq!(clamped[1], targets[1], "AAVE's move is within the cap");

    send(&mut ctx, TRADER, strategy, &IWeightStrategy::pokeCall {});
    let (from, to) = (poke + 1, poke + 1 + DURATION);
    for (i, &token) in tokens.iter().enumerate() {
        let s = view(&mut ctx, pool, &IIndexPool::getDynamicWeightSettingsCall { token });
        assert_eq!(
            (s.fromTimestamp, s.targetTimestamp, s.fromWeight, s.targetWeight),
            (U256::from(from), U256::from(to), current[i], clamped[i]),
            "schedule of {}",
            TOKENS[i].key
        );
        assert_eq!(weight(&mut ctx, pool, token), current[i], "no move in the poke's block");
    }
    for t in [from, from + 1, from + DURATION / 3, to - 1, to, to + 86_400] {
        ctx.host.warp(t);
        let mut sum = U256::ZERO;
        for (i, &token) in tokens.iter().enumerate() {
            let w = weight(&mut ctx, pool, token);
            assert_eq!(w, linear(current[i], clamped[i], from, to, t), "{} at {t}", TOKENS[i].key);
            if t > from && t <= to {
                let before = linear(current[i], clamped[i], from, to, t - 1);
                assert!(
                    w.abs_diff(before) <= u(CAP),
                    "{} moved faster than the cap",
                    TOKENS[i].key
                );
            }
            sum += w;
        }
        assert_eq!(view(&mut ctx, pool, &IIndexPool::getTotalDenormalizedWeightCall {})._0, sum);
    }
    // The pool still trades at the end, through its delegated swaps part.
    let enable = IIndexPool::setSwapsDisabledCall { disabled: false }.abi_encode();
    send(&mut ctx, DEPLOYER, strategy, &IWeightStrategy::callPoolCall { data: enable.into() });
    send(
        &mut ctx,
        DEPLOYER,
        tokens[0],
        &IMockErc20::transferCall { to: TRADER, value: u(10 * E18) },
    );
    send(&mut ctx, TRADER, tokens[0], &IMockErc20::approveCall { spender: pool, value: U256::MAX });
    let out = send(
        &mut ctx,
        TRADER,
        pool,
        &IIndexPool::swapExactAmountInCall {
            tokenIn: tokens[0],
            tokenAmountIn: u(10 * E18),
            tokenOut: tokens[1],
            minAmountOut: U256::ONE,
            maxPrice: U256::MAX,
        },
    );
    assert!(out.tokenAmountOut > U256::ZERO);
    let swaps = ctx.at("pool-swaps").unwrap();
    let receipt = ctx.host.last_receipt().unwrap();
    let part = &receipt.trace.children[0];
    assert_eq!(
        (part.kind, part.to, part.caller, part.status),
        (TraceKind::Delegate, swaps, TRADER, Some(Status::Success)),
        "the swap runs in the swaps part by DELEGATECALL, with the trader as msg.sender"
    );
}

/// The parts run by `DELEGATECALL` on the pool's storage: after a deployment, a
/// join and a swap, every word written is the pool's; called directly, a part
/// acts on its own empty storage (no controller, nothing bound) and changes nothing.
#[test]
fn the_pool_parts_write_only_the_pools_storage_and_do_nothing_called_directly() {
    let (mut ctx, pool, tokens) = setup_pool();
    let [uni, aave, _] = tokens;
    ctx.host.warp(ctx.now() + BIND_DELAY + RAMP);
    send(&mut ctx, DEPLOYER, pool, &IIndexPool::setSwapsDisabledCall { disabled: false });
    for token in tokens {
        send(
            &mut ctx,
            DEPLOYER,
            token,
            &IMockErc20::approveCall { spender: pool, value: U256::MAX },
        );
    }
    send(
        &mut ctx,
        DEPLOYER,
        pool,
        &IIndexPool::joinPoolCall { poolAmountOut: u(E18), maxAmountsIn: vec![U256::MAX; 3] },
    );
    send(
        &mut ctx,
        DEPLOYER,
        pool,
        &IIndexPool::swapExactAmountInCall {
            tokenIn: uni,
            tokenAmountIn: u(E18),
            tokenOut: aave,
            minAmountOut: U256::ZERO,
            maxPrice: U256::MAX,
        },
    );
    let parts =
        ["pool-swaps", "pool-liquidity", "pool-admin", "weighted-math"].map(|k| ctx.at(k).unwrap());
    let world = ctx.host.world();
    for part in parts {
        assert!(
            world
                .storage
                .get(&part)
                .is_none_or(|s| s.values().all(alloy_primitives::FixedBytes::is_zero)),
            "{part} has storage of its own"
        );
    }
    assert!(world.storage.get(&pool).is_some_and(|s| s.len() > 20), "the pool holds the state");

    let [swaps, _, admin, _] = parts;
    ctx.host.prank(DEPLOYER);
    ctx.host.expect_revert_error(&IIndexPool::IndexPoolNotController { _0: DEPLOYER });
    let _ = ctx.host.call_sol(admin, &IIndexPool::setSwapFeeCall { swapFee: u(E18 / 100) });
    ctx.host.expect_revert_error(&IIndexPool::IndexPoolNotBound { _0: uni });
    let _ = ctx.host.view_sol(swaps, &IIndexPool::getDenormalizedWeightCall { token: uni });
    assert_eq!(view(&mut ctx, pool, &IIndexPool::getSwapFeeCall {})._0, u(index::SWAP_FEE));
    assert_eq!(ctx.host.world().storage.get(&admin), None, "the refused call wrote nothing");
}

alloy_sol_types::sol! {
    function erc20Constructor(bytes32 name, bytes32 symbol, uint8 decimals);
}

/// The strategy's owner functions drive the real pool through its admin part:
/// a token added at `MIN_WEIGHT` fades in over the schedule length, `pause`
/// freezes every weight (lifting nothing), `fadeOutToken` takes it back to the
/// minimum and `removeToken` unbinds it and returns exactly its balance.
#[test]
fn the_strategy_adds_pauses_fades_out_and_removes_a_token_through_the_pool() {
    let (mut ctx, tokens) = setup_index();
    let (valuer, strategy, pool) =
        (ctx.at("valuer").unwrap(), ctx.at("strategy").unwrap(), ctx.at("pool").unwrap());
    let mut args = Vec::new();
    erc20ConstructorCall {
        name: alloy_primitives::FixedBytes::right_padding_from(b"Chainlink"),
        symbol: alloy_primitives::FixedBytes::right_padding_from(b"LINK"),
        decimals: 18,
    }
    .abi_encode_raw(&mut args);
    let (link, _) = ctx.host.deploy(common::wasm("mock-erc20"), Some(&args)).unwrap();
    send(&mut ctx, DEPLOYER, link, &IMockErc20::mintCall { to: DEPLOYER, value: u(1000 * E18) });
    send(
        &mut ctx,
        DEPLOYER,
        valuer,
        &IWeightValuer::setMcapSourceCall {
            token: link,
            reported: false,
            excluded_holders: vec![],
        },
    );
    send(
        &mut ctx,
        DEPLOYER,
        link,
        &IMockErc20::approveCall { spender: strategy, value: U256::MAX },
    );
    ctx.host.warp(ctx.now() + BIND_DELAY + RAMP);

    let added = ctx.now();
    send(
        &mut ctx,
        DEPLOYER,
        strategy,
        &IWeightStrategy::addTokenCall {
            token: link,
            balance: u(100 * E18),
            target_weight: u(E18),
        },
    );
    assert!(view(&mut ctx, pool, &IIndexPool::isBoundCall { token: link })._0);
    assert_eq!(view(&mut ctx, pool, &IIndexPool::getBalanceCall { token: link })._0, u(100 * E18));
    let s = view(&mut ctx, pool, &IIndexPool::getDynamicWeightSettingsCall { token: link });
    // 1e18 − 1e9 at most `CAP` a second takes 4 days: the 14-day schedule length is slower.
    assert_eq!(
        (s.fromTimestamp, s.targetTimestamp, s.fromWeight, s.targetWeight),
        (U256::from(added + 1), U256::from(added + 1 + DURATION), u(1_000_000_000), u(E18))
    );

    // Pause three days in: every weight (LINK's too) stays where it is.
    ctx.host.warp(added + 3 * 86_400);
    send(&mut ctx, DEPLOYER, strategy, &IWeightStrategy::pauseCall {});
    let mut all = tokens.to_vec();
    all.push(link);
    let frozen: Vec<U256> = all.iter().map(|&t| weight(&mut ctx, pool, t)).collect();
    assert_eq!(
        frozen[3],
        linear(u(1_000_000_000), u(E18), added + 1, added + 1 + DURATION, added + 3 * 86_400)
    );
    ctx.host.warp(added + 10 * 86_400);
    let later: Vec<U256> = all.iter().map(|&t| weight(&mut ctx, pool, t)).collect();
    assert_eq!(later, frozen, "paused weights do not move");
    send(&mut ctx, DEPLOYER, strategy, &IWeightStrategy::unpauseCall {});

    // Fade out from the frozen weight to the minimum, then remove.
    send(&mut ctx, DEPLOYER, strategy, &IWeightStrategy::fadeOutTokenCall { token: link });
    assert!(view(&mut ctx, strategy, &IWeightStrategy::isLeavingCall { token: link })._0);
    let s = view(&mut ctx, pool, &IIndexPool::getDynamicWeightSettingsCall { token: link });
    assert_eq!((s.fromWeight, s.targetWeight), (frozen[3], u(1_000_000_000)));
    ctx.host.warp(s.targetTimestamp.to::<u64>());
    assert_eq!(weight(&mut ctx, pool, link), u(1_000_000_000));
    let receiver = Address::repeat_byte(0x5e);
    send(&mut ctx, DEPLOYER, strategy, &IWeightStrategy::removeTokenCall { token: link, receiver });
    assert!(!view(&mut ctx, pool, &IIndexPool::isBoundCall { token: link })._0);
    assert_eq!(view(&mut ctx, pool, &IIndexPool::getCurrentTokensCall {})._0, tokens.to_vec());
    assert_eq!(
        view(&mut ctx, link, &IMockErc20::balanceOfCall { account: receiver })._0,
        u(100 * E18),
        "the pool's whole LINK balance reaches the receiver"
    );
}
