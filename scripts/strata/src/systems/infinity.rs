//! The Infinity system: a WETH/DAI `infinity-pool` (WETH from the Assets
//! system, DAI deployed here) in 10-tick bins at 0.3 %, its
//! `infinity-positions` manager, the `infinity-math` library and the
//! `swapper-manager` (5 % a year base rate, 90 % maximum utilisation),
//! wired as `contracts/infinity-pool/README.md` and
//! `contracts/swapper-manager/README.md` describe.
//!
//! Scenario ([`run`], shared with the gas report): an LP pours 64 bins around
//! the price, a trader swaps in the float pool, a borrower opens a revolving
//! loan on four bins below the price (a long on WETH), reflows it to a
//! half-and-half mix, a month passes with the interest accruing, the
//! borrower unwinds after the price moved, and the LP collects fees and
//! interest, then drains half.

use alloy_primitives::{aliases::I24, Address, FixedBytes, I256, U256};
use alloy_sol_types::{sol, SolCall};

use super::assets::IMockErc20;
use super::{constructor, fmt_wad, Ctx, GasOp, Plan, Run, Step, System};
use crate::error::{Error, Result};

sol!(
    #[sol(all_derives)]
    "../../interfaces/IInfinityPool.sol"
);
sol!(
    #[sol(all_derives)]
    "../../interfaces/IInfinityPositions.sol"
);
sol!(
    #[sol(all_derives)]
    "../../interfaces/ISwapperManager.sol"
);
sol! {
    /// `mock-erc20`'s constructor.
    function erc20Constructor(bytes32 name, bytes32 symbol, uint8 decimals);
    /// `infinity-pool`'s constructor.
    function poolConstructor(address admin, address math, address token0, address token1, int24 binTicks, uint24 feePips, uint160 sqrtPriceX96);
    /// `infinity-positions`' constructor.
    function positionsConstructor(address pool);
    /// `swapper-manager`'s constructor.
    function managerConstructor(address pool, address math, uint256 baseRatePerSecondWad, uint256 maxUtilisationWad, uint256 fixedTermDiscountWad, uint256 keeperReward0, uint256 keeperReward1);
}

/// The system.
pub const SYSTEM: System = System {
    name: NAME,
    description: "WETH/DAI infinity-pool (10-tick bins, 0.3%), infinity-positions, infinity-math, \
                  swapper-manager (5%/yr base rate, 90% max utilisation)",
    plan,
    scenario,
    gas,
};

const NAME: &str = "Infinity";
const LP: Address = Address::repeat_byte(0x1b);
const TRADER: Address = Address::repeat_byte(0x7d);
const BORROWER: Address = Address::repeat_byte(0xb7);

/// One whole token (18 decimals).
pub const E18: u128 = 1_000_000_000_000_000_000;
/// Ticks per bin.
pub const BIN_TICKS: i32 = 10;
/// Pool fee in millionths: 0.3 %.
pub const FEE_PIPS: u32 = 3000;
/// The initial tick: 1.0001^69075 ≈ 999.6 DAI per WETH, inside bin 6907.
pub const START_TICK: i32 = 69_075;
/// Base borrow rate: 5 % a year, per second (WAD).
pub const BASE_RATE: u128 = 1_585_489_599;
/// Maximum utilisation of a bin: 90 %.
pub const MAX_UTILISATION: u128 = 900_000_000_000_000_000;
/// Fixed-term discount: 10 %.
pub const FIXED_DISCOUNT: u128 = 100_000_000_000_000_000;
/// Keeper bonds: 0.001 WETH and 1 DAI.
pub const KEEPER_REWARDS: (u128, u128) = (1_000_000_000_000_000, E18);
/// The LP's range: 64 bins around the price, and its liquidity per bin.
pub const LP_RANGE: (i32, i32, u128) = (6876, 6939, 50_000_000_000_000_000_000_000);
/// The loan: four bins below the price (≈ 988–992 DAI per WETH), half of the
/// LP's liquidity in each (50 % utilisation).
pub const LOAN_RANGE: (i32, i32, u128) = (6890, 6893, 25_000_000_000_000_000_000_000);
/// The revolving loan's interest deposit: 20 DAI.
pub const LOAN_DEPOSIT: u128 = 20 * E18;

/// `√(1.0001^tick) · 2^96`.
///
/// # Panics
/// Never for the ticks of this module (inside `[-887272, 887272]`).
pub fn sqrt_at(tick: i32) -> U256 {
    strata_math::get_sqrt_ratio_at_tick(tick).unwrap_or_default()
}

fn i24(x: i32) -> I24 {
    I24::try_from(x).unwrap_or_default()
}

fn plan() -> Plan {
    let dai = (
        FixedBytes::<32>::right_padding_from(b"Dai Stablecoin"),
        FixedBytes::right_padding_from(b"DAI"),
    );
    let (k0, k1) = KEEPER_REWARDS;
    vec![
        Step::Deploy {
            key: "DAI".into(),
            package: "mock-erc20",
            constructor: Box::new(move |_| {
                let (name, symbol) = dai;
                Some(constructor(
                    &erc20ConstructorCall { name, symbol, decimals: 18 },
                    vec![name.to_string(), symbol.to_string(), "18".into()],
                ))
            }),
        },
        Step::Deploy {
            key: "infinity-math".into(),
            package: "infinity-math",
            constructor: Box::new(|_| None),
        },
        Step::Deploy {
            key: "infinity-pool".into(),
            package: "infinity-pool",
            constructor: Box::new(|book| {
                let args = poolConstructorCall {
                    admin: book.at(super::DEPLOYER_KEY),
                    math: book.at("infinity-math"),
                    token0: book.at("WETH"),
                    token1: book.at("DAI"),
                    binTicks: i24(BIN_TICKS),
                    feePips: alloy_primitives::aliases::U24::from(FEE_PIPS),
                    sqrtPriceX96: alloy_primitives::aliases::U160::from(sqrt_at(START_TICK)),
                };
                let strings = vec![
                    args.admin.to_string(),
                    args.math.to_string(),
                    args.token0.to_string(),
                    args.token1.to_string(),
                    BIN_TICKS.to_string(),
                    FEE_PIPS.to_string(),
                    sqrt_at(START_TICK).to_string(),
                ];
                Some(constructor(&args, strings))
            }),
        },
        Step::Deploy {
            key: "infinity-positions".into(),
            package: "infinity-positions",
            constructor: Box::new(|book| {
                let pool = book.at("infinity-pool");
                Some(constructor(&positionsConstructorCall { pool }, vec![pool.to_string()]))
            }),
        },
        Step::Deploy {
            key: "swapper-manager".into(),
            package: "swapper-manager",
            constructor: Box::new(move |book| {
                let args = managerConstructorCall {
                    pool: book.at("infinity-pool"),
                    math: book.at("infinity-math"),
                    baseRatePerSecondWad: U256::from(BASE_RATE),
                    maxUtilisationWad: U256::from(MAX_UTILISATION),
                    fixedTermDiscountWad: U256::from(FIXED_DISCOUNT),
                    keeperReward0: U256::from(k0),
                    keeperReward1: U256::from(k1),
                };
                let strings = vec![
                    args.pool.to_string(),
                    args.math.to_string(),
                    BASE_RATE.to_string(),
                    MAX_UTILISATION.to_string(),
                    FIXED_DISCOUNT.to_string(),
                    k0.to_string(),
                    k1.to_string(),
                ];
                Some(constructor(&args, strings))
            }),
        },
        Step::Call {
            label: "pool: wire the position and swapper managers".into(),
            to: "infinity-pool".into(),
            calldata: Box::new(|book| {
                IInfinityPool::setPeripheriesCall {
                    positionManager: book.at("infinity-positions"),
                    swapperManager: book.at("swapper-manager"),
                }
                .abi_encode()
            }),
        },
    ]
}

fn scenario(ctx: &mut Ctx<'_>) -> Result<()> {
    run(&mut Run::new(ctx, NAME))
}

fn gas(ctx: &mut Ctx<'_>) -> Result<Vec<GasOp>> {
    let mut r = Run::new(ctx, NAME);
    run(&mut r)?;
    Ok(r.ops)
}

fn whole(amount: u128) -> U256 {
    U256::from(amount) * U256::from(E18)
}

/// Mints WETH and DAI to `to`, who approves the pool (which pulls every
/// payment) for everything.
fn fund(r: &mut Run<'_, '_>, to: Address, weth: u128, dai: u128) -> Result<()> {
    let pool = r.ctx.at("infinity-pool")?;
    for (key, amount) in [("WETH", weth), ("DAI", dai)] {
        r.tx(
            to,
            key,
            &format!("mint {amount} {key}"),
            None,
            &IMockErc20::mintCall { to, value: whole(amount) },
        )?;
        r.tx(
            to,
            key,
            &format!("approve the pool for {key}"),
            None,
            &IMockErc20::approveCall { spender: pool, value: U256::MAX },
        )?;
    }
    Ok(())
}

fn price(r: &mut Run<'_, '_>) -> Result<String> {
    let slot = r.view("infinity-pool", &IInfinityPool::slot0Call {})?;
    let sqrt = U256::from(slot.sqrtPriceX96);
    // price = (√P / 2^96)² in DAI per WETH, to 4 decimals: √P² · 1e4 / 2^192.
    let scaled = sqrt
        .checked_mul(sqrt)
        .map(|p2| ((p2 >> 96) * U256::from(10_000u64)) >> 96)
        .unwrap_or_default();
    let (int, frac) = (scaled / U256::from(10_000u64), scaled % U256::from(10_000u64));
    Ok(format!("{int}.{frac:0>4} DAI/WETH (tick {})", slot.tick))
}

fn balances(r: &mut Run<'_, '_>, who: Address) -> Result<(U256, U256)> {
    let weth = r.view("WETH", &IMockErc20::balanceOfCall { account: who })?._0;
    let dai = r.view("DAI", &IMockErc20::balanceOfCall { account: who })?._0;
    Ok((weth, dai))
}

fn pair(amounts: (U256, U256)) -> String {
    format!("{} WETH, {} DAI", fmt_wad(amounts.0, 6), fmt_wad(amounts.1, 4))
}

fn signed(x: I256) -> String {
    if x.is_negative() {
        format!("-{}", fmt_wad(x.unsigned_abs(), 6))
    } else {
        fmt_wad(x.unsigned_abs(), 6)
    }
}

/// The scenario.
///
/// # Errors
/// When a step fails in the host.
#[allow(clippy::too_many_lines, reason = "the scenario in order, one call per step")]
pub fn run(r: &mut Run<'_, '_>) -> Result<()> {
    r.ctx.host.label(LP, "lp");
    r.ctx.host.label(TRADER, "trader");
    r.ctx.host.label(BORROWER, "borrower");
    let keeper = r.ctx.deployer;
    fund(r, LP, 100, 200_000)?;
    fund(r, TRADER, 50, 100_000)?;
    fund(r, BORROWER, 10, 10_000)?;
    let p = price(r)?;
    r.state("price", p);

    let (start, stop, l) = LP_RANGE;
    let poured = r.tx(
        LP,
        "infinity-positions",
        &format!("pour {l} per bin into bins {start}..={stop}"),
        Some("InfinityPositions.pour (64 bins)"),
        &IInfinityPositions::pourCall {
            start_bin: i24(start),
            stop_bin: i24(stop),
            liquidity_per_bin: l,
            amount0_max: U256::MAX,
            amount1_max: U256::MAX,
        },
    )?;
    let position = poured._0;
    r.state("lp paid", pair((poured._1, poured._2)));

    let before = balances(r, TRADER)?;
    let swapped = r.tx(
        TRADER,
        "infinity-pool",
        "swap 2 WETH for DAI in the float pool",
        Some("InfinityPool.swap (exact in, float)"),
        &IInfinityPool::swapCall {
            zeroForOne: true,
            amountSpecified: I256::try_from(2 * E18).unwrap_or_default(),
            sqrtPriceLimitX96: alloy_primitives::aliases::U160::from(
                strata_math::MIN_SQRT_RATIO + U256::ONE,
            ),
            recipient: TRADER,
        },
    )?;
    let after = balances(r, TRADER)?;
    r.state(
        "trader's swap (pool deltas)",
        format!("{} WETH, {} DAI", signed(swapped.amount0), signed(swapped.amount1)),
    );
    r.state("trader received", format!("{} DAI", fmt_wad(after.1 - before.1, 6)));
    let p = price(r)?;
    r.state("price after the swap", p);

    let (lstart, lstop, ll) = LOAN_RANGE;
    let before = balances(r, BORROWER)?;
    let id = r
        .tx(
            BORROWER,
            "swapper-manager",
            "newLoan: revolving, 4 bins below the price, 50% of their liquidity, mix 0 (long WETH), 20 DAI deposit",
            Some("SwapperManager.newLoan (revolving, 4 bins)"),
            &ISwapperManager::newLoanCall {
                startBin: i24(lstart),
                stopBin: i24(lstop),
                liquidityPerBin: ll,
                tokenMix: U256::ZERO,
                loanType: 1,
                term: 0,
                maxRate: U256::MAX,
                interestDeposit: U256::from(LOAN_DEPOSIT),
            },
        )?
        .swapperId;
    let after = balances(r, BORROWER)?;
    let view = r.view("swapper-manager", &ISwapperManager::swapperCall { swapperId: id })?;
    r.state(
        "swapper: strike, max reserves",
        format!(
            "{} DAI/WETH, {} WETH / {} DAI",
            fmt_wad(view.strikeWad, 4),
            fmt_wad(view.maxReserve0, 6),
            fmt_wad(view.maxReserve1, 4)
        ),
    );
    r.state(
        "borrower paid WETH, received DAI",
        format!("{} WETH, {} DAI", fmt_wad(before.0 - after.0, 6), fmt_wad(after.1 - before.1, 4)),
    );
    let rate =
        r.view("swapper-manager", &ISwapperManager::borrowRateCall { binIndex: i24(lstart) })?;
    r.state(
        "borrow rate of the lent bins (per year)",
        format!(
            "{}%",
            fmt_wad(rate.ratePerSecondWad * U256::from(31_536_000u64) * U256::from(100u64), 4)
        ),
    );
    r.tx(
        BORROWER,
        "swapper-manager",
        "reflow to mix 0.5 (half WETH, half DAI at the strike)",
        Some("SwapperManager.reflow"),
        &ISwapperManager::reflowCall { swapperId: id, newTokenMix: U256::from(E18 / 2) },
    )?;
    let view = r.view("swapper-manager", &ISwapperManager::swapperCall { swapperId: id })?;
    r.state("swapper reserves", pair((view.reserve0, view.reserve1)));

    r.wait(15 * 86_400, "15 days");
    let credited = r
        .tx(
            keeper,
            "swapper-manager",
            "accrueInterest: credit 15 days of interest to the bins",
            Some("SwapperManager.accrueInterest"),
            &ISwapperManager::accrueInterestCall { swapperId: id },
        )?
        .credited;
    r.state("interest credited", format!("{} DAI", fmt_wad(credited, 6)));
    r.wait(15 * 86_400, "15 days");
    let view = r.view("swapper-manager", &ISwapperManager::swapperCall { swapperId: id })?;
    r.state("deposit left after 30 days", format!("{} DAI", fmt_wad(view.interestDeposit, 6)));
    r.tx(
        TRADER,
        "infinity-pool",
        "swap 5,000 DAI for WETH in the float pool",
        Some("InfinityPool.swap (exact in, DAI for WETH)"),
        &IInfinityPool::swapCall {
            zeroForOne: false,
            amountSpecified: I256::try_from(5000 * E18).unwrap_or_default(),
            sqrtPriceLimitX96: alloy_primitives::aliases::U160::from(
                strata_math::MAX_SQRT_RATIO - U256::ONE,
            ),
            recipient: TRADER,
        },
    )?;
    let p = price(r)?;
    r.state("price after the trader's buy", p);
    let before = balances(r, BORROWER)?;
    r.tx(
        BORROWER,
        "swapper-manager",
        "unwind the loan",
        Some("SwapperManager.unwind (revolving, 4 bins)"),
        &ISwapperManager::unwindCall { swapperId: id },
    )?;
    let after = balances(r, BORROWER)?;
    r.state("borrower received at unwind", pair((after.0 - before.0, after.1 - before.1)));
    let bin = r.view("infinity-pool", &IInfinityPool::binCall { index: i24(lstart) })?;
    r.state(format!("bin {lstart}: liquidity, lent"), format!("{}, {}", bin.liquidity, bin.lent));
    let owed = r.view(
        "infinity-positions",
        &IInfinityPositions::collectableCall { position_id: position },
    )?;
    r.state("lp's fees and interest to collect", pair((owed._0, owed._1)));
    let got = r.tx(
        LP,
        "infinity-positions",
        "collect fees and interest",
        Some("InfinityPositions.collect (64 bins)"),
        &IInfinityPositions::collectCall { position_id: position },
    )?;
    if (got._0, got._1) != (owed._0, owed._1) {
        return Err(Error::Contract {
            package: NAME.into(),
            message: format!(
                "collect paid {}, collectable said {}",
                pair((got._0, got._1)),
                pair((owed._0, owed._1))
            ),
        });
    }
    let drained = r.tx(
        LP,
        "infinity-positions",
        "drain half of the position",
        Some("InfinityPositions.drain (64 bins, half)"),
        &IInfinityPositions::drainCall { position_id: position, liquidity_per_bin: l / 2 },
    )?;
    r.state("lp received for half the liquidity", pair((drained._0, drained._1)));
    let escrow = r.view("infinity-pool", &IInfinityPool::escrowCall {})?;
    r.state(
        "pool escrow (swapper reserves, deposits, bonds)",
        pair((escrow.amount0, escrow.amount1)),
    );
    Ok(())
}
