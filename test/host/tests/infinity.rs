//! The Infinity system on its release artifacts, with the clock moving: a
//! revolving loan's interest accrues from its deposit over weeks, is
//! credited to the lent bins at each checkpoint, runs the deposit out (then
//! anyone may close the loan for the keeper bond), and the lender collects
//! it to the wei. motsu's clock is fixed; only the host runs the accrual.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::too_many_lines,
    clippy::many_single_char_names,
    missing_docs,
    reason = "integration tests: a failed unwrap or assertion is a failed test"
)]

mod common;

use alloy_primitives::{aliases::I24, Address, U256};
use common::{send, view};
use strata::systems::assets::{self, IMockErc20};
use strata::systems::infinity::{
    self, sqrt_at, IInfinityPool, IInfinityPositions, ISwapperManager, BASE_RATE, BIN_TICKS, E18,
    KEEPER_REWARDS,
};
use strata::systems::Ctx;

const LENDER: Address = Address::repeat_byte(0x1e);
const FLOAT_LP: Address = Address::repeat_byte(0xf1);
const BORROWER: Address = Address::repeat_byte(0xb7);
const KEEPER: Address = Address::repeat_byte(0x6e);
const WAD: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);
/// The loan's bins (below the price at tick 69075, bin 6907) and liquidity.
const START: i32 = 6890;
const STOP: i32 = 6893;
const LENDER_L: u128 = 50_000_000_000_000_000_000_000;
const LENT_L: u128 = LENDER_L / 2;
const DEPOSIT: u128 = 20 * E18;
const DAY: u64 = 86_400;

fn u(x: u128) -> U256 {
    U256::from(x)
}

fn i24(x: i32) -> I24 {
    I24::try_from(x).unwrap()
}

fn mul_div_up(a: U256, b: U256, c: U256) -> U256 {
    (a * b).div_ceil(c)
}

/// The spec's borrow rate per second for utilisation `u`:
/// `r0 · s(u)`, `s(u) = (8(1−u)² + 1) / (9(1−u)²)`, both rounded up.
fn rate(utilisation: U256) -> U256 {
    let d = WAD - utilisation;
    let s = mul_div_up(d * d * U256::from(8u64) + WAD * WAD, WAD, d * d * U256::from(9u64));
    mul_div_up(u(BASE_RATE), s, WAD)
}

struct Market {
    ctx: Ctx<'static>,
    pool: Address,
    positions: Address,
    manager: Address,
    dai: Address,
}

fn fund(ctx: &mut Ctx<'static>, who: Address, weth: u128, dai: u128) {
    let pool = ctx.at("infinity-pool").unwrap();
    for (key, amount) in [("WETH", weth), ("DAI", dai)] {
        let token = ctx.at(key).unwrap();
        send(ctx, who, token, &IMockErc20::mintCall { to: who, value: u(amount) });
        send(ctx, who, token, &IMockErc20::approveCall { spender: pool, value: U256::MAX });
    }
}

/// `pour` of `l` per bin over `[start, stop]`, with no maximum amounts.
fn pour(start: i32, stop: i32, l: u128) -> IInfinityPositions::pourCall {
    IInfinityPositions::pourCall {
        start_bin: i24(start),
        stop_bin: i24(stop),
        liquidity_per_bin: l,
        amount0_max: U256::MAX,
        amount1_max: U256::MAX,
    }
}

/// The Assets and Infinity plans as `strata deploy` runs them, with `funded` given 1000 WETH
/// and 1M DAI each (approved to the pool); returns the pool, positions and manager.
fn deployed(funded: &[Address]) -> (Ctx<'static>, [Address; 3]) {
    let mut ctx = common::ctx();
    ctx.execute_plan(&assets::SYSTEM).unwrap();
    ctx.execute_plan(&infinity::SYSTEM).unwrap();
    let contracts =
        ["infinity-pool", "infinity-positions", "swapper-manager"].map(|k| ctx.at(k).unwrap());
    for &who in funded {
        fund(&mut ctx, who, 1000 * E18, 1_000_000 * E18);
    }
    (ctx, contracts)
}

/// The Assets and Infinity plans as `strata deploy` runs them, a float LP
/// between the price and the loan's bins (for the unwind conversion), and a
/// lender alone in the loan's four bins.
fn setup_market() -> (Market, U256) {
    let (mut ctx, [pool, positions, manager]) = deployed(&[LENDER, FLOAT_LP, BORROWER]);
    let dai = ctx.at("DAI").unwrap();
    send(&mut ctx, FLOAT_LP, positions, &pour(STOP + 1, 6910, LENDER_L));
    let lender = send(&mut ctx, LENDER, positions, &pour(START, STOP, LENDER_L));
    assert_eq!(lender._1, U256::ZERO, "bins below the price hold only DAI");
    (Market { ctx, pool, positions, manager, dai }, lender._0)
}

#[test]
fn revolving_interest_accrues_over_time_runs_the_deposit_out_and_the_lender_collects_it_exactly() {
    let (mut m, lender_id) = setup_market();
    let ctx = &mut m.ctx;
    let t0 = ctx.now();
    let id = send(
        ctx,
        BORROWER,
        m.manager,
        &ISwapperManager::newLoanCall {
            startBin: i24(START),
            stopBin: i24(STOP),
            liquidityPerBin: LENT_L,
            tokenMix: U256::ZERO,
            loanType: 1,
            term: 0,
            maxRate: U256::MAX,
            interestDeposit: u(DEPOSIT),
        },
    )
    .swapperId;

    // Expected from the spec: principal P_i = ⌈l·(√Pb − √Pa)⌉ DAI per bin (the range
    // is below the price), utilisation ⌈lent/L⌉ = 50%, rate r(u) per bin,
    // W = Σ P_i·r_i, owed(dt) = ⌈W·dt⌉.
    let principal: Vec<U256> = (START..=STOP)
        .map(|b| {
            mul_div_up(
                u(LENT_L),
                sqrt_at((b + 1) * BIN_TICKS) - sqrt_at(b * BIN_TICKS),
                U256::ONE << 96,
            )
        })
        .collect();
    let utilisation = mul_div_up(u(LENT_L), WAD, u(LENDER_L));
    assert_eq!(utilisation, WAD / U256::from(2u64));
    let r = rate(utilisation);
    assert_eq!(
        view(ctx, m.manager, &ISwapperManager::borrowRateCall { binIndex: i24(START) })
            .ratePerSecondWad,
        r
    );
    let weighted: U256 = principal.iter().map(|p| *p * r).sum();
    let owed = |dt: u64| mul_div_up(weighted, U256::from(dt), WAD);
    let v = view(ctx, m.manager, &ISwapperManager::swapperCall { swapperId: id });
    assert_eq!(v.maxReserve1, principal.iter().copied().sum::<U256>(), "Y = Σ P_i");
    assert_eq!(v.interestDeposit, u(DEPOSIT));

    // The deposit left, as the view reports it, falls by ⌈W·dt⌉ as time passes.
    for dt in [1, 3600, DAY, 5 * DAY] {
        ctx.host.warp(t0 + dt);
        let v = view(ctx, m.manager, &ISwapperManager::swapperCall { swapperId: id });
        assert_eq!(v.interestDeposit, u(DEPOSIT) - owed(dt), "deposit left after {dt} s");
    }

    // A checkpoint at 10 days credits ⌈W·10 days⌉ to the bins, pro rata P_i·r_i (the
    // rounding remainder to the first bin), as Q128 growth per unit of the bins' liquidity.
    ctx.host.warp(t0 + 10 * DAY);
    let paid = send(ctx, KEEPER, m.manager, &ISwapperManager::accrueInterestCall { swapperId: id })
        .credited;
    assert_eq!(paid, owed(10 * DAY));
    let growth_of = |paid: U256| -> U256 {
        let mut amounts: Vec<U256> = principal.iter().map(|p| paid * (*p * r) / weighted).collect();
        let given: U256 = amounts.iter().copied().sum();
        amounts[0] += paid - given;
        amounts.iter().map(|a| (*a << 128) / u(LENDER_L)).sum()
    };
    let first_growth = growth_of(paid);
    let expected_first = (first_growth * u(LENDER_L)) >> 128;
    let c = view(ctx, m.positions, &IInfinityPositions::collectableCall { position_id: lender_id });
    assert_eq!((c._0, c._1), (U256::ZERO, expected_first), "the lender's interest after 10 days");
    let dai_before = view(ctx, m.dai, &IMockErc20::balanceOfCall { account: LENDER })._0;
    let got =
        send(ctx, LENDER, m.positions, &IInfinityPositions::collectCall { position_id: lender_id });
    assert_eq!((got._0, got._1), (U256::ZERO, expected_first));
    assert_eq!(
        view(ctx, m.dai, &IMockErc20::balanceOfCall { account: LENDER })._0,
        dai_before + expected_first
    );
    assert!(u(DEPOSIT) - paid > U256::ZERO);

    // The rest of the deposit runs out at the first second where ⌈W·dt⌉ ≥ what is left
    // (dt from the checkpoint); until then only the borrower may close the loan.
    let left = u(DEPOSIT) - paid;
    let mut dt = (left * WAD / weighted).to::<u64>();
    while owed(dt) < left {
        dt += 1;
    }
    while dt > 0 && owed(dt - 1) >= left {
        dt -= 1;
    }
    let expiry = t0 + 10 * DAY + dt;
    assert!(expiry > t0 + 60 * DAY && expiry < t0 + 80 * DAY, "20 DAI lasts about 70 days");
    ctx.host.warp(expiry - 1);
    assert!(!view(ctx, m.manager, &ISwapperManager::isExpiredCall { swapperId: id })._0);
    ctx.host.prank(KEEPER);
    ctx.host
        .expect_revert_error(&ISwapperManager::SwapperManagerNotClosable { _0: id, _1: KEEPER });
    let _ = ctx.host.call_sol(m.manager, &ISwapperManager::unwindCall { swapperId: id });
    ctx.host.warp(expiry);
    assert!(view(ctx, m.manager, &ISwapperManager::isExpiredCall { swapperId: id })._0);

    // A keeper closes it 10 days later: the checkpoint credits what was left (capped at
    // the deposit, not the ⌈W·dt⌉ owed by then), the keeper gets the 1 DAI bond, the
    // bins hold exactly the lender's liquidity again.
    ctx.host.warp(expiry + 10 * DAY);
    let keeper_before = view(ctx, m.dai, &IMockErc20::balanceOfCall { account: KEEPER })._0;
    send(ctx, KEEPER, m.manager, &ISwapperManager::unwindCall { swapperId: id });
    assert_eq!(
        view(ctx, m.dai, &IMockErc20::balanceOfCall { account: KEEPER })._0 - keeper_before,
        u(KEEPER_REWARDS.1)
    );
    for b in START..=STOP {
        let bin = view(ctx, m.pool, &IInfinityPool::binCall { index: i24(b) });
        assert_eq!((bin.liquidity, bin.lent), (LENDER_L, 0), "bin {b} restored");
    }
    let escrow = view(ctx, m.pool, &IInfinityPool::escrowCall {});
    assert_eq!(
        (escrow.amount0, escrow.amount1),
        (U256::ZERO, U256::ZERO),
        "nothing left in escrow"
    );
    // The lender's second collect: the second credit's growth (the bins' fee growth in
    // token0 comes from the unwind's conversion, which bought DAI below the float range:
    // none of it reached these bins, whose token0 growth stays zero).
    let second = (growth_of(left) * u(LENDER_L)) >> 128;
    let got =
        send(ctx, LENDER, m.positions, &IInfinityPositions::collectCall { position_id: lender_id });
    assert_eq!((got._0, got._1), (U256::ZERO, second));
    // All of the deposit went to the lender but for the floors: each per-bin growth
    // floor loses under L / 2^128 (< 1e-15 wei) of earnings, each collect's floor under
    // one wei, so at most 2 wei over the two collects.
    let total = expected_first + second;
    assert!(total <= u(DEPOSIT) && u(DEPOSIT) - total <= U256::from(2u64), "{total}");
    // The lender can leave with its liquidity: a full drain at the unchanged price pays
    // the v3 amounts (token1 only, rounded down).
    let drained = send(
        ctx,
        LENDER,
        m.positions,
        &IInfinityPositions::drainCall { position_id: lender_id, liquidity_per_bin: LENDER_L },
    );
    let (price, _) = {
        let s = view(ctx, m.pool, &IInfinityPool::slot0Call {});
        (U256::from(s.sqrtPriceX96), s.tick)
    };
    let (low, high) = (sqrt_at(START * BIN_TICKS), sqrt_at((STOP + 1) * BIN_TICKS));
    assert!(price > high, "the unwind's conversion left the price above the lender's range");
    // One v3 position over the union of the bins, rounded down.
    let expected_drain = (u(LENDER_L) * (high - low)) >> 96;
    assert_eq!((drained._0, drained._1), (U256::ZERO, expected_drain));
}

/// With no float liquidity at all, a loan holding only WETH still unwinds:
/// the shortfall in DAI is bought along the restored range itself (the line
/// the swapper's reserves lie on is above that curve), and the bins are whole.
#[test]
fn a_loan_unwinds_with_no_float_liquidity_through_the_restored_range() {
    let (mut ctx, [pool, positions, manager]) = deployed(&[LENDER, BORROWER]);
    send(&mut ctx, LENDER, positions, &pour(START, STOP, LENDER_L));
    let id = send(
        &mut ctx,
        BORROWER,
        manager,
        &ISwapperManager::newLoanCall {
            startBin: i24(START),
            stopBin: i24(STOP),
            liquidityPerBin: LENT_L,
            tokenMix: U256::ZERO,
            loanType: 1,
            term: 0,
            maxRate: U256::MAX,
            interestDeposit: u(E18),
        },
    )
    .swapperId;
    ctx.host.warp(ctx.now() + DAY);
    let got = send(&mut ctx, BORROWER, manager, &ISwapperManager::unwindCall { swapperId: id });
    assert!(got.amount0 > U256::ZERO, "the WETH left after buying back the range's DAI");
    assert_restored(&mut ctx, pool, (START, STOP));
}

/// A griefer's dust between the price and a loan's range: 320 liquid bins,
/// more than one conversion walk may cross. On the release artifacts the
/// keeper's unwind of the expired loan does not revert: the first call walks
/// 256 bins and leaves the loan `UNWINDING` within the transaction gas limit,
/// the second completes it, pays the keeper the bond and restores the bins.
/// The lender's bins over `[start, stop]` hold [`LENDER_L`] again with nothing lent, and the
/// pool's escrow is empty.
fn assert_restored(ctx: &mut Ctx<'static>, pool: Address, (start, stop): (i32, i32)) {
    for b in start..=stop {
        let bin = view(ctx, pool, &IInfinityPool::binCall { index: i24(b) });
        assert_eq!((bin.liquidity, bin.lent), (LENDER_L, 0), "bin {b} restored");
    }
    let escrow = view(ctx, pool, &IInfinityPool::escrowCall {});
    assert_eq!((escrow.amount0, escrow.amount1), (U256::ZERO, U256::ZERO));
}

/// A fixed-term loan of [`LENT_L`] per bin over `[start, stop]` for a day, token mix `mix`.
fn far_loan(
    ctx: &mut Ctx<'static>,
    manager: Address,
    (start, stop): (i32, i32),
    mix: U256,
) -> U256 {
    let call = ISwapperManager::newLoanCall {
        startBin: i24(start),
        stopBin: i24(stop),
        liquidityPerBin: LENT_L,
        tokenMix: mix,
        loanType: 0,
        term: DAY,
        maxRate: U256::MAX,
        interestDeposit: U256::MAX,
    };
    send(ctx, BORROWER, manager, &call).swapperId
}

#[test]
fn unwind_behind_more_dust_than_one_walk_crosses_finishes_in_two_calls() {
    const GRIEFER: Address = Address::repeat_byte(0x9f);
    // 340 bins below the price's bin 6907.
    const FAR_START: i32 = 6564;
    const FAR_STOP: i32 = 6565;
    let (mut ctx, [pool, positions, manager]) = deployed(&[LENDER, BORROWER, GRIEFER]);
    let weth = ctx.at("WETH").unwrap();
    send(&mut ctx, LENDER, positions, &pour(FAR_START, FAR_STOP, LENDER_L));
    let id = far_loan(&mut ctx, manager, (FAR_START, FAR_STOP), U256::ZERO);
    // Five 64-bin dust positions: bins 6586..=6905 hold a few wei of DAI each.
    let mut dust_gas = 0;
    for k in 0..5 {
        let stop = 6905 - 64 * k;
        send(&mut ctx, GRIEFER, positions, &pour(stop - 63, stop, 1_000_000_000));
        dust_gas += ctx.host.last_receipt().unwrap().gas.total;
    }
    ctx.host.warp(ctx.now() + DAY);
    let weth_before = view(&mut ctx, weth, &IMockErc20::balanceOfCall { account: KEEPER });
    let first = send(&mut ctx, KEEPER, manager, &ISwapperManager::unwindCall { swapperId: id });
    let first_gas = ctx.host.last_receipt().unwrap().gas.total;
    assert_eq!((first.amount0, first.amount1), (U256::ZERO, U256::ZERO));
    let loan = view(&mut ctx, manager, &ISwapperManager::swapperCall { swapperId: id });
    assert_eq!((loan.loanType, loan.liquidityPerBin), (2, LENT_L), "unwinding, still lent");
    let (_, tick) = {
        let s = view(&mut ctx, pool, &IInfinityPool::slot0Call {});
        (s.sqrtPriceX96, s.tick.as_i32())
    };
    let bin = tick.div_euclid(10);
    assert!(bin > FAR_STOP && bin < 6905 - 250, "the walk stopped in the dust, at bin {bin}");
    let second = send(&mut ctx, KEEPER, manager, &ISwapperManager::unwindCall { swapperId: id });
    let second_gas = ctx.host.last_receipt().unwrap().gas.total;
    assert!(second.amount0 > U256::ZERO, "the borrower gets the WETH left");
    assert_restored(&mut ctx, pool, (FAR_START, FAR_STOP));
    // The range is below the price: the bond is in DAI, the keeper's WETH is untouched.
    let weth_after = view(&mut ctx, weth, &IMockErc20::balanceOfCall { account: KEEPER });
    assert_eq!(weth_after, weth_before);
    // A walk of 256 steps stays far inside Arbitrum's 32M transaction gas limit.
    eprintln!(
        "unwind behind dust: griefer's 320 bins {dust_gas} gas, first call {first_gas}, second {second_gas}"
    );
    assert!(first_gas < 8_000_000, "first call: {first_gas} gas");
    assert!(second_gas < 8_000_000, "second call: {second_gas} gas");
    // Seeding the bins costs the griefer more than crossing them costs the closer.
    assert!(dust_gas > first_gas + second_gas);
}

/// One-wei bins on the release artifacts: 1,280 bins of liquidity 1 between the price and a
/// loan's range below it. Each step of the unwind's conversion across one pays a whole wei
/// of WETH (rounded up) for no DAI, so the dust costs the reserves more than the base buffer
/// of 1000 units of each token is worth; the buffer's unit per bin of the pool absorbs it and
/// the keeper's last call restores the range.
#[test]
fn a_keeper_unwind_behind_1280_one_wei_bins_completes_and_restores_the_range() {
    const GRIEFER: Address = Address::repeat_byte(0x9e);
    // 1,306 bins below the price's bin 6907.
    const FAR_START: i32 = 5600;
    const FAR_STOP: i32 = 5601;
    // Mix 1 − 2.4·10⁻¹⁴: the swapper holds all but ~10⁷ wei of the DAI the range needs, so the
    // conversion sells WETH across the whole gap for a shortfall small enough that the range's
    // unlent half saves it only a few WETH wei inside the range.
    const MIX: U256 = U256::from_limbs([1_000_000_000_000_000_000 - 24_000, 0, 0, 0]);
    let (mut ctx, [pool, positions, manager]) = deployed(&[LENDER, BORROWER, GRIEFER]);
    let dai = ctx.at("DAI").unwrap();
    let buffer = view(&mut ctx, manager, &ISwapperManager::parametersCall {}).roundingBuffer;
    assert_eq!(buffer, u(1000 + 2 * (887_272 / BIN_TICKS) as u128));
    send(&mut ctx, LENDER, positions, &pour(FAR_START, FAR_STOP, LENDER_L));
    let id = far_loan(&mut ctx, manager, (FAR_START, FAR_STOP), MIX);
    let opened = view(&mut ctx, manager, &ISwapperManager::swapperCall { swapperId: id });
    let (x, y) = (opened.maxReserve0, opened.maxReserve1);
    let value_at_strike = |r0: U256, r1: U256| r0 * y + r1 * x;
    for k in 0..20 {
        let stop = 6905 - 64 * k;
        send(&mut ctx, GRIEFER, positions, &pour(stop - 63, stop, 1));
    }
    ctx.host.warp(ctx.now() + DAY);
    let dai_before = view(&mut ctx, dai, &IMockErc20::balanceOfCall { account: KEEPER })._0;
    let (mut calls, mut gas) = (Vec::new(), 0);
    let last = loop {
        let before = view(&mut ctx, manager, &ISwapperManager::swapperCall { swapperId: id });
        send(&mut ctx, KEEPER, manager, &ISwapperManager::unwindCall { swapperId: id });
        let used = ctx.host.last_receipt().unwrap().gas.total;
        gas = gas.max(used);
        calls.push(used);
        let after = view(&mut ctx, manager, &ISwapperManager::swapperCall { swapperId: id });
        if after.liquidityPerBin == 0 {
            break before;
        }
        assert_eq!(after.loanType, 2, "unwinding");
    };
    eprintln!("unwind behind 1,280 one-wei bins: calls {calls:?}");
    // Five calls of 256 steps, then the one that completes.
    assert_eq!(calls.len(), 6);
    let spent = value_at_strike(opened.reserve0, opened.reserve1)
        - value_at_strike(last.reserve0, last.reserve1);
    assert!(spent > u(1000) * (x + y), "the dust cost more than the base buffer: {spent}");
    assert!(gas < 8_000_000, "every call stays far inside the 32M limit: {gas}");
    assert_restored(&mut ctx, pool, (FAR_START, FAR_STOP));
    let dai_after = view(&mut ctx, dai, &IMockErc20::balanceOfCall { account: KEEPER })._0;
    assert_eq!(dai_after - dai_before, u(KEEPER_REWARDS.1), "the keeper takes the DAI bond");
}
