//! The Perp system: a WETH-PERP market quoted in USDC (both from the Assets
//! system) — its own `power-oracle` for the index price, the `vault` (custody
//! and insurance fund), the `clearing-house` and its `clearing-house-engine`,
//! and one `vamm` (mark 1,000, 1-hour funding) — deployed and wired as
//! `test/perp/README.md` lists it.
//!
//! Scenario ([`run`], shared with the gas report): two traders open opposite
//! positions, funding is paid twice (longs pay, then shorts pay) with the
//! insurance fund taking the net side, the short closes, a third trader sells
//! the mark down over several blocks (inside the 1.2 % band each block) and a
//! keeper liquidates the 10× long.

use alloy_primitives::{Address, I256, U256};
use alloy_sol_types::{sol, SolCall};

use super::assets::IMockErc20;
use super::index::IPowerOracle;
use super::{constructor, fmt_wad, Ctx, GasOp, Plan, Run, Step, System};
use crate::error::Result;

sol!(
    #[sol(all_derives)]
    "../../interfaces/IVault.sol"
);
sol!(
    #[sol(all_derives)]
    "../../interfaces/IClearingHouse.sol"
);
sol!(
    #[sol(all_derives)]
    "../../interfaces/IVamm.sol"
);
sol! {
    /// `power-oracle`'s constructor.
    function oracleConstructor(address owner, uint64 minReportInterval, uint256 maxDeviation, uint64 maxAge, uint64 maxValueAge);
    /// `vault`'s constructor.
    function vaultConstructor(address owner, address token, address feeReceiver, uint256 insuranceReserveRatio);
    /// `clearing-house`'s constructor.
    function clearingHouseConstructor(address owner, address vault, uint256 initMarginRatio, uint256 maintenanceMarginRatio, uint256 liquidationFeeRatio, uint256 partialLiquidationRatio, uint256 spreadLimitRatio);
    /// `clearing-house-engine`'s constructor.
    function engineConstructor(address clearingHouse);
    /// `vamm`'s constructor.
    function vammConstructor(address owner, address counterparty, address oracle, address oracleAsset, uint256 quoteReserve, uint256 baseReserve, uint256 tradeLimitRatio, uint256 fundingPeriod);
}

/// The system.
pub const SYSTEM: System = System {
    name: NAME,
    description: "WETH-PERP in USDC: power-oracle (index), vault + insurance fund, clearing-house \
                  + engine, vamm (mark 1,000, 1 h funding, 1.2% band)",
    plan,
    scenario,
    gas,
};

const NAME: &str = "Perp";
const ALICE: Address = Address::repeat_byte(0xa1);
const BOB: Address = Address::repeat_byte(0xb0);
const CAROL: Address = Address::repeat_byte(0xca);

/// One whole unit (18 decimals).
pub const E18: u128 = 1_000_000_000_000_000_000;
/// `BUY` (long) in `openPosition`.
pub const BUY: u8 = 0;
/// `SELL` (short).
pub const SELL: u8 = 1;
/// The index oracle: reports at most every 5 minutes, 10 % moves need the
/// owner's confirmation, prices stale after 2 hours, values after a day.
pub const ORACLE_CONFIG: (u64, u128, u64, u64) = (300, E18 / 10, 7200, 86_400);
/// Risk parameters (spec defaults): IMR 10 %, MMR 6.25 %, liquidation fee
/// 2.5 %, partial liquidation 25 %, spread limit 10 %.
pub const RISK: [u128; 5] =
    [E18 / 10, 62_500_000_000_000_000, 25_000_000_000_000_000, E18 / 4, E18 / 10];
/// The market: 10,000,000 quote over 10,000 base (mark 1,000).
pub const RESERVES: (u128, u128) = (10_000_000 * E18, 10_000 * E18);
/// Largest share of a reserve one trade may take: 90 %.
pub const TRADE_LIMIT: u128 = 9 * E18 / 10;
/// Funding period: 1 hour.
pub const FUNDING_PERIOD: u64 = 3600;
/// Toll (to the fee receiver) and spread (to the insurance fund): 0.05 % and 0.1 %.
pub const FEES: (u128, u128) = (E18 / 2000, E18 / 1000);
/// Position cap 1,000 WETH, open-interest cap 5,000,000 USDC of notional.
pub const CAPS: (u128, u128) = (1000 * E18, 5_000_000 * E18);
/// The insurance fund's first deposit: 100,000 USDC (6 decimals).
pub const INSURANCE_USDC: u128 = 100_000_000_000;
/// The index at deployment: WETH at $1,000.
pub const INDEX: u128 = 1000 * E18;

fn at(book: &super::Book, key: &str) -> Address {
    book.at(key)
}

fn call_step(label: &str, to: &str, calldata: super::CalldataFn) -> Step {
    Step::Call { label: label.into(), to: to.into(), calldata }
}

/// The deployment.
#[allow(clippy::too_many_lines, reason = "the README's deploy list, one step each")]
pub fn plan() -> Plan {
    let (interval, deviation, max_age, max_value_age) = ORACLE_CONFIG;
    let [imr, mmr, lfr, plr, spread_limit] = RISK;
    vec![
        Step::Deploy {
            key: "perp-oracle".into(),
            package: "power-oracle",
            constructor: Box::new(move |book| {
                let owner = at(book, super::DEPLOYER_KEY);
                let args = oracleConstructorCall {
                    owner,
                    minReportInterval: interval,
                    maxDeviation: U256::from(deviation),
                    maxAge: max_age,
                    maxValueAge: max_value_age,
                };
                Some(constructor(
                    &args,
                    vec![
                        owner.to_string(),
                        interval.to_string(),
                        deviation.to_string(),
                        max_age.to_string(),
                        max_value_age.to_string(),
                    ],
                ))
            }),
        },
        Step::Deploy {
            key: "vault".into(),
            package: "vault",
            constructor: Box::new(|book| {
                let (owner, token) = (at(book, super::DEPLOYER_KEY), at(book, "USDC"));
                let args = vaultConstructorCall {
                    owner,
                    token,
                    feeReceiver: owner,
                    insuranceReserveRatio: U256::ZERO,
                };
                Some(constructor(
                    &args,
                    vec![owner.to_string(), token.to_string(), owner.to_string(), "0".into()],
                ))
            }),
        },
        Step::Deploy {
            key: "clearing-house".into(),
            package: "clearing-house",
            constructor: Box::new(move |book| {
                let (owner, vault) = (at(book, super::DEPLOYER_KEY), at(book, "vault"));
                let args = clearingHouseConstructorCall {
                    owner,
                    vault,
                    initMarginRatio: U256::from(imr),
                    maintenanceMarginRatio: U256::from(mmr),
                    liquidationFeeRatio: U256::from(lfr),
                    partialLiquidationRatio: U256::from(plr),
                    spreadLimitRatio: U256::from(spread_limit),
                };
                let mut strings = vec![owner.to_string(), vault.to_string()];
                strings.extend([imr, mmr, lfr, plr, spread_limit].iter().map(u128::to_string));
                Some(constructor(&args, strings))
            }),
        },
        Step::Deploy {
            key: "engine".into(),
            package: "clearing-house-engine",
            constructor: Box::new(|book| {
                let ch = at(book, "clearing-house");
                Some(constructor(
                    &engineConstructorCall { clearingHouse: ch },
                    vec![ch.to_string()],
                ))
            }),
        },
        call_step(
            "clearing house: set the engine",
            "clearing-house",
            Box::new(|book| {
                IClearingHouse::setEngineCall { engine: at(book, "engine") }.abi_encode()
            }),
        ),
        call_step(
            "vault: set the clearing house",
            "vault",
            Box::new(|book| {
                IVault::setClearingHouseCall { clearing_house: at(book, "clearing-house") }
                    .abi_encode()
            }),
        ),
        Step::Deploy {
            key: "WETH-PERP".into(),
            package: "vamm",
            constructor: Box::new(|book| {
                let args = vammConstructorCall {
                    owner: at(book, super::DEPLOYER_KEY),
                    counterparty: at(book, "engine"),
                    oracle: at(book, "perp-oracle"),
                    oracleAsset: at(book, "WETH"),
                    quoteReserve: U256::from(RESERVES.0),
                    baseReserve: U256::from(RESERVES.1),
                    tradeLimitRatio: U256::from(TRADE_LIMIT),
                    fundingPeriod: U256::from(FUNDING_PERIOD),
                };
                let strings = vec![
                    args.owner.to_string(),
                    args.counterparty.to_string(),
                    args.oracle.to_string(),
                    args.oracleAsset.to_string(),
                    RESERVES.0.to_string(),
                    RESERVES.1.to_string(),
                    TRADE_LIMIT.to_string(),
                    FUNDING_PERIOD.to_string(),
                ];
                Some(constructor(&args, strings))
            }),
        },
        call_step(
            "WETH-PERP: toll 0.05%",
            "WETH-PERP",
            Box::new(|_| IVamm::setTollRatioCall { ratio: U256::from(FEES.0) }.abi_encode()),
        ),
        call_step(
            "WETH-PERP: spread 0.1%",
            "WETH-PERP",
            Box::new(|_| IVamm::setSpreadRatioCall { ratio: U256::from(FEES.1) }.abi_encode()),
        ),
        call_step(
            "WETH-PERP: caps 1,000 WETH per position, 5,000,000 open interest",
            "WETH-PERP",
            Box::new(|_| {
                IVamm::setCapCall {
                    maxHoldingBaseAsset: U256::from(CAPS.0),
                    openInterestNotionalCap: U256::from(CAPS.1),
                }
                .abi_encode()
            }),
        ),
        call_step(
            "clearing house: list WETH-PERP",
            "clearing-house",
            Box::new(|book| {
                IClearingHouse::addMarketCall { amm: at(book, "WETH-PERP") }.abi_encode()
            }),
        ),
        call_step(
            "USDC: approve the vault",
            "USDC",
            Box::new(|book| {
                IMockErc20::approveCall { spender: at(book, "vault"), value: U256::MAX }
                    .abi_encode()
            }),
        ),
        call_step(
            "vault: 100,000 USDC into the insurance fund",
            "vault",
            Box::new(|_| {
                // The vault's amounts are 18-decimal: 100,000 USDC.
                let amount = U256::from(INSURANCE_USDC) * U256::from(1_000_000_000_000u64);
                IVault::depositInsuranceCall { amount }.abi_encode()
            }),
        ),
        call_step(
            "clearing house: the deployer is a backstop liquidator",
            "clearing-house",
            Box::new(|book| {
                IClearingHouse::setBackstopLiquidatorCall {
                    account: at(book, super::DEPLOYER_KEY),
                    isBackstop: true,
                }
                .abi_encode()
            }),
        ),
        call_step(
            "perp-oracle: the deployer reports the index",
            "perp-oracle",
            Box::new(|book| {
                IPowerOracle::setReporterCall {
                    reporter: at(book, super::DEPLOYER_KEY),
                    allowed: true,
                }
                .abi_encode()
            }),
        ),
        call_step(
            "perp-oracle: WETH index $1,000",
            "perp-oracle",
            Box::new(|book| {
                IPowerOracle::reportPricesCall {
                    assets: vec![at(book, "WETH")],
                    prices: vec![U256::from(INDEX)],
                }
                .abi_encode()
            }),
        ),
        call_step(
            "WETH-PERP: open for trading",
            "WETH-PERP",
            Box::new(|_| IVamm::setOpenCall { open: true }.abi_encode()),
        ),
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

fn signed(x: I256) -> String {
    if x.is_negative() {
        format!("-{}", fmt_wad(x.unsigned_abs(), 6))
    } else {
        fmt_wad(x.unsigned_abs(), 6)
    }
}

/// Mints `usdc` whole USDC to `to`, who approves the vault.
fn fund(r: &mut Run<'_, '_>, to: Address, usdc: u64) -> Result<()> {
    let vault = r.ctx.at("vault")?;
    let value = U256::from(usdc) * U256::from(1_000_000u64);
    r.tx(to, "USDC", &format!("mint {usdc} USDC"), None, &IMockErc20::mintCall { to, value })?;
    r.tx(
        to,
        "USDC",
        "approve the vault",
        None,
        &IMockErc20::approveCall { spender: vault, value: U256::MAX },
    )?;
    Ok(())
}

fn open(
    r: &mut Run<'_, '_>,
    who: Address,
    side: u8,
    margin: u128,
    leverage: u128,
    op: Option<&str>,
) -> Result<()> {
    let amm = r.ctx.at("WETH-PERP")?;
    let what = format!(
        "openPosition: {} with {margin} USDC at {leverage}x",
        if side == BUY { "long" } else { "short" }
    );
    r.tx(
        who,
        "clearing-house",
        &what,
        op,
        &IClearingHouse::openPositionCall {
            amm,
            side,
            margin: whole(margin),
            leverage: whole(leverage),
            baseAssetAmountLimit: U256::ZERO,
        },
    )?;
    Ok(())
}

fn report_index(r: &mut Run<'_, '_>, price: u128, op: Option<&str>) -> Result<()> {
    let weth = r.ctx.at("WETH")?;
    let keeper = r.ctx.deployer;
    r.tx(
        keeper,
        "perp-oracle",
        &format!("report the WETH index ${}", fmt_wad(U256::from(price), 2)),
        op,
        &IPowerOracle::reportPricesCall { assets: vec![weth], prices: vec![U256::from(price)] },
    )?;
    Ok(())
}

fn position(r: &mut Run<'_, '_>, who: Address) -> Result<String> {
    let amm = r.ctx.at("WETH-PERP")?;
    let p = r.view(
        "clearing-house",
        &IClearingHouse::getPositionWithFundingPaymentCall { amm, trader: who },
    )?;
    Ok(format!(
        "size {} WETH, margin {} USDC (funding paid {})",
        signed(p.size),
        fmt_wad(p.margin, 6),
        signed(p.fundingPayment)
    ))
}

fn books(r: &mut Run<'_, '_>, when: &str) -> Result<()> {
    let fund = r.view("vault", &IVault::insuranceFundBalanceCall {})?._0;
    let pool = r.view("vault", &IVault::totalMarginCall {})?._0;
    r.state(
        format!("vault {when}: margin pool, insurance fund"),
        format!("{} USDC, {} USDC", fmt_wad(pool, 6), fmt_wad(fund, 6)),
    );
    Ok(())
}

fn mark(r: &mut Run<'_, '_>) -> Result<String> {
    let spot = r.view("WETH-PERP", &IVamm::getSpotPriceCall {})?._0;
    Ok(fmt_wad(spot, 4))
}

/// Waits until the vAMM's next funding time (if it is later) and pays funding.
fn funding(r: &mut Run<'_, '_>, label: &str, op: Option<&str>) -> Result<()> {
    let next = r.view("WETH-PERP", &IVamm::getConfigCall {})?.nextFundingTime;
    let now = r.ctx.now();
    if next > now {
        r.wait(next - now, "to the next funding time");
    }
    let amm = r.ctx.at("WETH-PERP")?;
    let before = r.view("vault", &IVault::insuranceFundBalanceCall {})?._0;
    let keeper = r.ctx.deployer;
    r.tx(keeper, "clearing-house", label, op, &IClearingHouse::payFundingCall { amm })?;
    let after = r.view("vault", &IVault::insuranceFundBalanceCall {})?._0;
    let cpf =
        r.view("clearing-house", &IClearingHouse::getLatestCumulativePremiumFractionCall { amm })?;
    let rate = r.view("WETH-PERP", &IVamm::getConfigCall {})?.fundingRate;
    let fund_net = if after >= before {
        fmt_wad(after - before, 6)
    } else {
        format!("-{}", fmt_wad(before - after, 6))
    };
    r.state(
        "funding: rate per period, cumulative premium, fund's net",
        format!(
            "{}%, {} USDC/WETH, {fund_net} USDC",
            signed(rate * I256::try_from(100).unwrap_or_default()),
            signed(cpf._0)
        ),
    );
    Ok(())
}

/// The scenario.
///
/// # Errors
/// When a step fails in the host.
#[allow(clippy::too_many_lines, reason = "the scenario in order, one call per step")]
pub fn run(r: &mut Run<'_, '_>) -> Result<()> {
    r.ctx.host.label(ALICE, "alice");
    r.ctx.host.label(BOB, "bob");
    r.ctx.host.label(CAROL, "carol");
    let amm = r.ctx.at("WETH-PERP")?;
    fund(r, ALICE, 10_000)?;
    fund(r, BOB, 10_000)?;
    fund(r, CAROL, 100_000)?;
    r.wait(300, "5 minutes");
    report_index(r, INDEX, Some("PowerOracle.reportPrices (index, 1 asset)"))?;

    open(r, ALICE, BUY, 2_000, 10, Some("ClearingHouse.openPosition (new long, 10x)"))?;
    open(r, BOB, SELL, 5_000, 3, Some("ClearingHouse.openPosition (new short, 3x)"))?;
    let m = mark(r)?;
    r.state("mark price after the two opens", m);
    let p = position(r, ALICE)?;
    r.state("alice", p);
    let p = position(r, BOB)?;
    r.state("bob", p);
    books(r, "after the opens")?;

    r.wait(FUNDING_PERIOD, "an hour (index $1,000 below the mark: longs pay)");
    funding(r, "payFunding", Some("ClearingHouse.payFunding"))?;
    report_index(r, 1010 * E18, None)?;
    funding(r, "payFunding (index $1,010 above the mark: shorts pay)", None)?;
    let p = position(r, ALICE)?;
    r.state("alice after two fundings", p);
    let p = position(r, BOB)?;
    r.state("bob after two fundings", p);
    books(r, "after two fundings")?;

    let usdc_before = r.view("USDC", &IMockErc20::balanceOfCall { account: BOB })?._0;
    r.tx(
        BOB,
        "clearing-house",
        "closePosition",
        Some("ClearingHouse.closePosition (short, funding settled)"),
        &IClearingHouse::closePositionCall { amm, quoteAssetAmountLimit: U256::ZERO },
    )?;
    let usdc_after = r.view("USDC", &IMockErc20::balanceOfCall { account: BOB })?._0;
    r.state(
        "bob received (5,000 margin ± PnL and funding − fees)",
        format!("{} USDC", super::fmt_units(usdc_after - usdc_before, 6)),
    );

    // Carol sells the mark down one band at a time: one short per block.
    for block in 0..6 {
        r.wait(12, "one block");
        let op = (block == 1).then_some("ClearingHouse.openPosition (short, increase)");
        open(r, CAROL, SELL, 9_000, 5, op)?;
    }
    let m = mark(r)?;
    r.state("mark after carol's sales", m);
    r.wait(16 * 60, "16 minutes: the 15-minute TWAP follows the mark");
    let ratio =
        r.view("clearing-house", &IClearingHouse::getMarginRatioCall { amm, trader: ALICE })?;
    r.state(
        "alice's margin ratio (maintenance 6.25%)",
        format!("{}%", signed(ratio._0 * I256::try_from(100).unwrap_or_default())),
    );
    let keeper = r.ctx.deployer;
    let reward_before = r.view("USDC", &IMockErc20::balanceOfCall { account: keeper })?._0;
    r.tx(
        keeper,
        "clearing-house",
        "liquidate alice",
        Some("ClearingHouse.liquidate (partial, 25%)"),
        &IClearingHouse::liquidateCall { amm, trader: ALICE },
    )?;
    let reward_after = r.view("USDC", &IMockErc20::balanceOfCall { account: keeper })?._0;
    r.state(
        "keeper's liquidation reward",
        format!("{} USDC", super::fmt_units(reward_after - reward_before, 6)),
    );
    let p = position(r, ALICE)?;
    r.state("alice after the liquidation", p);
    books(r, "at the end")?;
    Ok(())
}
