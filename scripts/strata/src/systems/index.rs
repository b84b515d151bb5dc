//! The Index system: three index tokens, `power-oracle`, `weight-valuer`
//! (MCAP from 1-hour TWAPs), the `index-pool` with its three delegated parts
//! (`index-pool-swaps`, `-liquidity`, `-admin`) and the `weighted-math`
//! library, `weight-strategy` as the pool's controller, then the yield side
//! (`yield-router`, a `mock-venue` over AAVE, `piAAVE`: a `pi-token` of AAVE
//! staking in it) and the users' entry (`index-router-lens`, `index-router`)
//! — deployed and wired in the order of the crates' READMEs.
//!
//! The plan is built from one function per group of contracts ([`plan`]):
//! [`token_steps`], [`oracle_steps`], [`pool_steps`], [`strategy_steps`],
//! [`yield_steps`], [`router_steps`]. `piAAVE` is not bound into the pool
//! (binding a token would change the strategy's valuation); the router joins
//! and exits the pool with a plain index token.
//!
//! Scenario ([`run`], shared with the gas report): the keeper reports prices
//! every 20 minutes for an hour, an LP joins, a trader swaps, the keeper
//! pokes the strategy, which schedules the weights toward the TWAP market
//! caps over 14 days at the pool's per-second cap; halfway and at the end
//! the weights, swaps and exits are printed. Then carol joins the pool with
//! 1,000 CRV alone through the index router and exits back to CRV (each at
//! the router's quote), wraps 100 AAVE into `piAAVE`, the yield router's
//! pokes stake the excess reserve, harvest the venue's 8 AAVE of yield (10 %
//! fee) and top the reserve up, and carol unwraps.

use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::{sol, SolCall};

use super::assets::IMockErc20;
use super::{constructor, fmt_units, fmt_wad, Book, Ctx, GasOp, Plan, Run, Step, System};
use crate::error::Result;

sol!(
    #[sol(all_derives)]
    "../../interfaces/IIndexPool.sol"
);
sol!(
    #[sol(all_derives)]
    "../../interfaces/IPowerOracle.sol"
);
sol!(
    #[sol(all_derives)]
    "../../interfaces/IWeightValuer.sol"
);
sol!(
    #[sol(all_derives)]
    "../../interfaces/IWeightStrategy.sol"
);
sol!(
    #[sol(all_derives)]
    "../../interfaces/IPiToken.sol"
);
sol!(
    #[sol(all_derives)]
    "../../interfaces/IYieldRouter.sol"
);
sol!(
    #[sol(all_derives)]
    "../../interfaces/IIndexRouter.sol"
);
sol! {
    /// `mock-erc20`'s constructor.
    function erc20Constructor(bytes32 name, bytes32 symbol, uint8 decimals);
    /// `power-oracle`'s constructor.
    function oracleConstructor(address owner, uint64 minReportInterval, uint256 maxDeviation, uint64 maxAge, uint64 maxValueAge);
    /// `weight-valuer`'s constructor.
    function valuerConstructor(address owner, address oracle, uint8 kind, uint64 twapWindow);
    /// `index-pool`'s constructor.
    function poolConstructor(bytes32 name, bytes32 symbol, address controller, uint256 minWeightPerSecond, uint256 maxWeightPerSecond, address swaps, address liquidity, address admin, address math);
    /// `weight-strategy`'s constructor.
    function strategyConstructor(address owner, address pool, address valuer, uint64 duration, uint64 minInterval);
    /// `yield-router`'s constructor.
    function yieldRouterConstructor(address owner);
    /// `mock-venue`'s constructor.
    function venueConstructor(address asset);
    /// `pi-token`'s constructor.
    function piConstructor(bytes32 name, bytes32 symbol, address underlying, address venue, address router);
    /// `index-router`'s constructor.
    function routerConstructor(address lens);
}

/// The system.
pub const SYSTEM: System = System {
    name: NAME,
    description: "UNI/AAVE/CRV index: power-oracle, weight-valuer (MCAP, 1 h TWAP), index-pool \
                  (+ swaps/liquidity/admin parts, weighted-math), weight-strategy as controller; \
                  yield-router + piAAVE (pi-token over an AAVE venue); index-router (+ lens)",
    plan,
    scenario,
    gas,
};

const NAME: &str = "Index";
const ALICE: Address = Address::repeat_byte(0xa1);
const BOB: Address = Address::repeat_byte(0xb0);
const CAROL: Address = Address::repeat_byte(0xca);
/// Whole CRV carol takes into the pool and back through the index router.
const ROUTER_CRV: u128 = 1000;
/// Whole AAVE carol wraps into `piAAVE`.
const PI_DEPOSIT: u128 = 100;
/// Whole AAVE the venue earns while carol holds `piAAVE`.
const VENUE_YIELD: u128 = 8;

/// One whole token (18 decimals).
pub const E18: u128 = 1_000_000_000_000_000_000;

/// An index token: book key, supply minted to the deployer, balance bound
/// into the pool, initial target weight (of 25e18) and its first price.
pub struct IndexToken {
    /// Book key and symbol.
    pub key: &'static str,
    /// Name.
    pub name: &'static str,
    /// Whole tokens minted to the deployer: the market cap's supply.
    pub supply: u128,
    /// Whole tokens bound into the pool.
    pub balance: u128,
    /// Initial target weight.
    pub weight: u128,
}

/// The index tokens, in pool order. Balances are in proportion to
/// weight × first price (UNI $8, AAVE $100, CRV $0.70: $10,000 per unit of
/// weight), so the pool opens at the market price.
pub const TOKENS: [IndexToken; 3] = [
    IndexToken {
        key: "UNI",
        name: "Uniswap",
        supply: 1_000_000,
        balance: 12_500,
        weight: 10 * E18,
    },
    IndexToken { key: "AAVE", name: "Aave", supply: 100_000, balance: 800, weight: 8 * E18 },
    IndexToken {
        key: "CRV",
        name: "Curve DAO",
        supply: 10_000_000,
        balance: 100_000,
        weight: 7 * E18,
    },
];

/// Oracle: reports at most every 5 minutes, a 10 % move needs the owner's
/// confirmation, prices stale after 1 hour, values after 1 day.
pub const ORACLE_CONFIG: (u64, u128, u64, u64) = (300, E18 / 10, 3600, 86_400);
/// Valuer: market caps (`KIND_MCAP`) from 1-hour TWAPs.
pub const VALUER_KIND: u8 = 1;
/// TWAP window of the valuer.
pub const TWAP_WINDOW: u64 = 3600;
/// Strategy: schedules over 14 days, at most one poke a day.
pub const DURATION: u64 = 1_209_600;
/// Minimum time between pokes.
pub const MIN_INTERVAL: u64 = 86_400;
/// The production cap on weight change: 0.25e18 a day.
pub const MAX_WEIGHT_PER_SECOND: u128 = 2_893_518_518_519;
/// The bound tokens' initial ramp starts this long after the bind is
/// computed (room for a real chain's block time) and lasts [`RAMP`].
pub const BIND_DELAY: u64 = 60;
/// Length of the initial ramp from `MIN_WEIGHT` to the targets.
pub const RAMP: u64 = 600;
/// Swap fee: 0.3 %.
pub const SWAP_FEE: u128 = 3 * E18 / 1000;
/// Community swap and exit fees: 0.1 %, to the deployer.
pub const COMMUNITY_FEE: u128 = E18 / 1000;

fn word(text: &str) -> FixedBytes<32> {
    FixedBytes::right_padding_from(text.as_bytes())
}

fn whole(amount: u128) -> U256 {
    U256::from(amount) * U256::from(E18)
}

/// The deployment: tokens, oracle and valuer, pool, strategy (in this order:
/// each constructor takes the addresses before it).
pub fn plan() -> Plan {
    let mut plan = token_steps();
    plan.extend(oracle_steps());
    plan.extend(pool_steps());
    plan.extend(strategy_steps());
    plan.extend(yield_steps());
    plan.extend(router_steps());
    plan
}

/// The index tokens, minted to the deployer.
pub fn token_steps() -> Plan {
    let mut plan = Plan::new();
    for token in &TOKENS {
        let (name, symbol) = (word(token.name), word(token.key));
        plan.push(Step::Deploy {
            key: token.key.into(),
            package: "mock-erc20",
            constructor: Box::new(move |_| {
                Some(constructor(
                    &erc20ConstructorCall { name, symbol, decimals: 18 },
                    vec![name.to_string(), symbol.to_string(), "18".into()],
                ))
            }),
        });
    }
    for token in &TOKENS {
        let supply = whole(token.supply);
        plan.push(Step::Call {
            label: format!("mint {} {} to the deployer", token.supply, token.key),
            to: token.key.into(),
            calldata: Box::new(move |book| {
                IMockErc20::mintCall { to: book.at(super::DEPLOYER_KEY), value: supply }
                    .abi_encode()
            }),
        });
    }
    plan
}

/// `power-oracle` (the deployer reports) and `weight-valuer` (MCAP of every
/// index token, no excluded holders).
pub fn oracle_steps() -> Plan {
    let (interval, deviation, max_age, max_value_age) = ORACLE_CONFIG;
    let mut plan = vec![
        Step::Deploy {
            key: "oracle".into(),
            package: "power-oracle",
            constructor: Box::new(move |book| {
                let owner = book.at(super::DEPLOYER_KEY);
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
            key: "valuer".into(),
            package: "weight-valuer",
            constructor: Box::new(|book| {
                let (owner, oracle) = (book.at(super::DEPLOYER_KEY), book.at("oracle"));
                let args = valuerConstructorCall {
                    owner,
                    oracle,
                    kind: VALUER_KIND,
                    twapWindow: TWAP_WINDOW,
                };
                Some(constructor(
                    &args,
                    vec![
                        owner.to_string(),
                        oracle.to_string(),
                        VALUER_KIND.to_string(),
                        TWAP_WINDOW.to_string(),
                    ],
                ))
            }),
        },
        Step::Call {
            label: "oracle: the deployer reports prices".into(),
            to: "oracle".into(),
            calldata: Box::new(|book| {
                IPowerOracle::setReporterCall {
                    reporter: book.at(super::DEPLOYER_KEY),
                    allowed: true,
                }
                .abi_encode()
            }),
        },
    ];
    for token in &TOKENS {
        let key = token.key;
        plan.push(Step::Call {
            label: format!("valuer: {key} valued by market cap"),
            to: "valuer".into(),
            calldata: Box::new(move |book| {
                IWeightValuer::setMcapSourceCall {
                    token: book.at(key),
                    reported: false,
                    excluded_holders: Vec::new(),
                }
                .abi_encode()
            }),
        });
    }
    plan
}

/// The math library, the pool's three parts and the pool (controller: the
/// deployer), then the pool's setup as its README orders it: swaps off, bind
/// every token ramping from `MIN_WEIGHT` to its target, finalize, fees.
pub fn pool_steps() -> Plan {
    let mut plan = Plan::new();
    for (key, package) in [
        ("weighted-math", "weighted-math"),
        ("pool-swaps", "index-pool-swaps"),
        ("pool-liquidity", "index-pool-liquidity"),
        ("pool-admin", "index-pool-admin"),
    ] {
        plan.push(Step::Deploy { key: key.into(), package, constructor: Box::new(|_| None) });
    }
    plan.push(Step::Deploy {
        key: "pool".into(),
        package: "index-pool",
        constructor: Box::new(|book| {
            let controller = book.at(super::DEPLOYER_KEY);
            let max = U256::from(1000u64) * U256::from(E18);
            let args = poolConstructorCall {
                name: word("Strata DeFi Index"),
                symbol: word("SDI"),
                controller,
                minWeightPerSecond: U256::ZERO,
                maxWeightPerSecond: max,
                swaps: book.at("pool-swaps"),
                liquidity: book.at("pool-liquidity"),
                admin: book.at("pool-admin"),
                math: book.at("weighted-math"),
            };
            let strings = vec![
                args.name.to_string(),
                args.symbol.to_string(),
                controller.to_string(),
                "0".into(),
                max.to_string(),
                args.swaps.to_string(),
                args.liquidity.to_string(),
                args.admin.to_string(),
                args.math.to_string(),
            ];
            Some(constructor(&args, strings))
        }),
    });
    plan.push(Step::Call {
        label: "pool: swaps off while the weights ramp up".into(),
        to: "pool".into(),
        calldata: Box::new(|_| IIndexPool::setSwapsDisabledCall { disabled: true }.abi_encode()),
    });
    for token in &TOKENS {
        let (key, balance, weight) = (token.key, whole(token.balance), U256::from(token.weight));
        plan.push(Step::Call {
            label: format!("{key}: approve the pool"),
            to: key.into(),
            calldata: Box::new(move |book| {
                IMockErc20::approveCall { spender: book.at("pool"), value: balance }.abi_encode()
            }),
        });
        plan.push(Step::Call {
            label: format!(
                "pool: bind {} {key} ramping to weight {}",
                token.balance,
                fmt_wad(U256::from(token.weight), 2)
            ),
            to: "pool".into(),
            calldata: Box::new(move |book: &Book| {
                let from = book.now + BIND_DELAY;
                IIndexPool::bindCall {
                    token: book.at(key),
                    balance,
                    targetWeight: weight,
                    fromTimestamp: U256::from(from),
                    targetTimestamp: U256::from(from + RAMP),
                }
                .abi_encode()
            }),
        });
    }
    plan.push(Step::Call {
        label: "pool: finalize (100 SDI to the deployer)".into(),
        to: "pool".into(),
        calldata: Box::new(|_| IIndexPool::finalizeCall {}.abi_encode()),
    });
    plan.push(Step::Call {
        label: "pool: swap fee 0.3%".into(),
        to: "pool".into(),
        calldata: Box::new(|_| {
            IIndexPool::setSwapFeeCall { swapFee: U256::from(SWAP_FEE) }.abi_encode()
        }),
    });
    plan.push(Step::Call {
        label: "pool: community swap and exit fees 0.1% to the deployer".into(),
        to: "pool".into(),
        calldata: Box::new(|book| {
            IIndexPool::setCommunityFeesAndReceiverCall {
                swapFee: U256::from(COMMUNITY_FEE),
                joinFee: U256::ZERO,
                exitFee: U256::from(COMMUNITY_FEE),
                receiver: book.at(super::DEPLOYER_KEY),
            }
            .abi_encode()
        }),
    });
    plan
}

/// `weight-strategy`, handed the pool's controller role, with the
/// production rate cap (which it forwards to the pool).
pub fn strategy_steps() -> Plan {
    vec![
        Step::Deploy {
            key: "strategy".into(),
            package: "weight-strategy",
            constructor: Box::new(|book| {
                let args = strategyConstructorCall {
                    owner: book.at(super::DEPLOYER_KEY),
                    pool: book.at("pool"),
                    valuer: book.at("valuer"),
                    duration: DURATION,
                    minInterval: MIN_INTERVAL,
                };
                let strings = vec![
                    args.owner.to_string(),
                    args.pool.to_string(),
                    args.valuer.to_string(),
                    DURATION.to_string(),
                    MIN_INTERVAL.to_string(),
                ];
                Some(constructor(&args, strings))
            }),
        },
        Step::Call {
            label: "pool: the strategy becomes the controller".into(),
            to: "pool".into(),
            calldata: Box::new(|book| {
                IIndexPool::setControllerCall { controller: book.at("strategy") }.abi_encode()
            }),
        },
        Step::Call {
            label: "strategy: weight cap 0.25 a day (forwarded to the pool)".into(),
            to: "strategy".into(),
            calldata: Box::new(|_| {
                IWeightStrategy::setWeightPerSecondBoundsCall {
                    min_weight_per_second: U256::ZERO,
                    max_weight_per_second: U256::from(MAX_WEIGHT_PER_SECOND),
                }
                .abi_encode()
            }),
        },
    ]
}

/// The pi-token's underlying: an index token, wrapped as `piAAVE`.
pub const PI_UNDERLYING: &str = "AAVE";
/// The yield router's configuration of `piAAVE` (its README's example): 20 %
/// reserve, forced rebalance below 10 %, at most one poke a day, 10 %
/// performance fee to the deployer.
pub const PI_CONFIG: (u128, u128, u64, u128) = (E18 / 5, E18 / 10, 86_400, E18 / 10);

/// `yield-router` (owner: the deployer), an ERC-4626 `mock-venue` over AAVE,
/// `piAAVE` (a `pi-token` of AAVE staking in that venue, managed by the
/// router), then the router's configuration of it — the order of the
/// crates' READMEs: the pi-token's constructor takes the router, and
/// `setConfig` writes the reserve ratio into the pi-token.
pub fn yield_steps() -> Plan {
    vec![
        Step::Deploy {
            key: "yield-router".into(),
            package: "yield-router",
            constructor: Box::new(|book| {
                let owner = book.at(super::DEPLOYER_KEY);
                Some(constructor(&yieldRouterConstructorCall { owner }, vec![owner.to_string()]))
            }),
        },
        Step::Deploy {
            key: "AAVE-venue".into(),
            package: "mock-venue",
            constructor: Box::new(|book| {
                let asset = book.at(PI_UNDERLYING);
                Some(constructor(&venueConstructorCall { asset }, vec![asset.to_string()]))
            }),
        },
        Step::Deploy {
            key: "piAAVE".into(),
            package: "pi-token",
            constructor: Box::new(|book| {
                let args = piConstructorCall {
                    name: word("Strata piAAVE"),
                    symbol: word("piAAVE"),
                    underlying: book.at(PI_UNDERLYING),
                    venue: book.at("AAVE-venue"),
                    router: book.at("yield-router"),
                };
                let strings = vec![
                    args.name.to_string(),
                    args.symbol.to_string(),
                    args.underlying.to_string(),
                    args.venue.to_string(),
                    args.router.to_string(),
                ];
                Some(constructor(&args, strings))
            }),
        },
        Step::Call {
            label: "yield-router: piAAVE reserve 20% (forced below 10%), daily pokes, 10% fee"
                .into(),
            to: "yield-router".into(),
            calldata: Box::new(|book| {
                let (ratio, force, interval, fee) = PI_CONFIG;
                IYieldRouter::setConfigCall {
                    pi_token: book.at("piAAVE"),
                    reserve_ratio: U256::from(ratio),
                    reserve_ratio_to_force_rebalance: U256::from(force),
                    rebalance_interval: interval,
                    performance_fee: U256::from(fee),
                    fee_receiver: book.at(super::DEPLOYER_KEY),
                }
                .abi_encode()
            }),
        },
    ]
}

/// `index-router-lens` (no constructor) and `index-router` over it: the
/// users' one-token entry to and exit from the pool.
pub fn router_steps() -> Plan {
    vec![
        Step::Deploy {
            key: "index-router-lens".into(),
            package: "index-router-lens",
            constructor: Box::new(|_| None),
        },
        Step::Deploy {
            key: "index-router".into(),
            package: "index-router",
            constructor: Box::new(|book| {
                let lens = book.at("index-router-lens");
                Some(constructor(&routerConstructorCall { lens }, vec![lens.to_string()]))
            }),
        },
    ]
}

/// Prices reported by the keeper, one row per report, 20 minutes apart, in
/// [`TOKENS`] order (USD, 18 decimals). Each move is within the oracle's
/// 10 % deviation guard.
pub const PRICES: [[u128; 3]; 4] = [
    [8 * E18, 100 * E18, 700_000_000_000_000_000],
    [8 * E18, 100 * E18, 750_000_000_000_000_000],
    [8_200_000_000_000_000_000, 100 * E18, 800_000_000_000_000_000],
    [8_200_000_000_000_000_000, 98 * E18, 840_000_000_000_000_000],
];
/// Time between reports.
pub const REPORT_EVERY: u64 = 1200;

fn scenario(ctx: &mut Ctx<'_>) -> Result<()> {
    run(&mut Run::new(ctx, NAME)).map(|_| ())
}

fn gas(ctx: &mut Ctx<'_>) -> Result<Vec<GasOp>> {
    let mut run_ = Run::new(ctx, NAME);
    run(&mut run_)?;
    Ok(run_.ops)
}

fn tokens(r: &Run<'_, '_>) -> Result<Vec<Address>> {
    TOKENS.iter().map(|t| r.ctx.at(t.key)).collect()
}

fn report(r: &mut Run<'_, '_>, index: usize, op: Option<&str>) -> Result<()> {
    let assets = tokens(r)?;
    let row = PRICES.get(index).copied().unwrap_or_default();
    let prices = row.iter().map(|&p| U256::from(p)).collect::<Vec<_>>();
    let text = TOKENS
        .iter()
        .zip(&prices)
        .map(|(t, p)| format!("{} ${}", t.key, fmt_units(*p, 18)))
        .collect::<Vec<_>>()
        .join(", ");
    let keeper = r.ctx.deployer;
    r.tx(
        keeper,
        "oracle",
        &format!("report prices ({text})"),
        op,
        &IPowerOracle::reportPricesCall { assets, prices },
    )?;
    Ok(())
}

/// Current weights, as `UNI 10.00 / AAVE 8.00 / CRV 7.00`.
fn weights(r: &mut Run<'_, '_>) -> Result<String> {
    let mut out = Vec::new();
    for t in &TOKENS {
        let token = r.ctx.at(t.key)?;
        let w = r.view("pool", &IIndexPool::getDenormalizedWeightCall { token })?._0;
        out.push(format!("{} {}", t.key, fmt_wad(w, 4)));
    }
    Ok(out.join(" / "))
}

fn pool_state(r: &mut Run<'_, '_>, when: &str) -> Result<()> {
    let w = weights(r)?;
    r.state(format!("weights {when}"), w);
    let mut balances = Vec::new();
    for t in &TOKENS {
        let token = r.ctx.at(t.key)?;
        let b = r.view("pool", &IIndexPool::getBalanceCall { token })?._0;
        balances.push(format!("{} {}", fmt_wad(b, 4), t.key));
    }
    r.state(format!("pool balances {when}"), balances.join(", "));
    let (uni, aave) = (r.ctx.at("UNI")?, r.ctx.at("AAVE")?);
    let spot = r.view("pool", &IIndexPool::getSpotPriceCall { tokenIn: uni, tokenOut: aave })?._0;
    r.state(format!("spot price UNI per AAVE {when}"), fmt_wad(spot, 6));
    let supply = r.view("pool", &IIndexPool::totalSupplyCall {})?._0;
    r.state(format!("SDI supply {when}"), fmt_wad(supply, 6));
    Ok(())
}

/// Moves `amounts` (whole tokens, [`TOKENS`] order) from the deployer to
/// `to`, who approves the pool for everything.
fn fund(r: &mut Run<'_, '_>, to: Address, amounts: [u128; 3]) -> Result<()> {
    let pool = r.ctx.at("pool")?;
    let deployer = r.ctx.deployer;
    let who = r.ctx.host.name_of(to);
    for (t, amount) in TOKENS.iter().zip(amounts) {
        r.tx(
            deployer,
            t.key,
            &format!("send {amount} {} to {who}", t.key),
            None,
            &IMockErc20::transferCall { to, value: whole(amount) },
        )?;
        r.tx(
            to,
            t.key,
            &format!("approve the pool for {}", t.key),
            None,
            &IMockErc20::approveCall { spender: pool, value: U256::MAX },
        )?;
    }
    Ok(())
}

/// The scenario; returns the strategy's poke time.
///
/// # Errors
/// When a step fails in the host.
#[allow(clippy::too_many_lines, reason = "the scenario in order, one call per step")]
pub fn run(r: &mut Run<'_, '_>) -> Result<u64> {
    r.ctx.host.label(ALICE, "alice");
    r.ctx.host.label(BOB, "bob");
    let [uni, aave, crv] = [r.ctx.at("UNI")?, r.ctx.at("AAVE")?, r.ctx.at("CRV")?];
    let deployer = r.ctx.deployer;
    let start = r.ctx.now();

    report(r, 0, Some("PowerOracle.reportPrices (3 assets, first report)"))?;
    fund(r, ALICE, [1_250, 80, 10_000])?;
    fund(r, BOB, [1_000, 0, 20_000])?;
    r.wait(BIND_DELAY + RAMP, "the bound tokens ramp to their weights");
    pool_state(r, "after the ramp")?;
    let enable = IIndexPool::setSwapsDisabledCall { disabled: false }.abi_encode();
    r.tx(
        deployer,
        "strategy",
        "enable swaps through the strategy (callPool)",
        Some("WeightStrategy.callPool (setSwapsDisabled)"),
        &IWeightStrategy::callPoolCall { data: enable.into() },
    )?;
    r.tx(
        ALICE,
        "pool",
        "joinPool: 5 SDI for 5% of every balance",
        Some("IndexPool.joinPool (3 tokens)"),
        &IIndexPool::joinPoolCall {
            poolAmountOut: whole(5),
            maxAmountsIn: vec![U256::MAX, U256::MAX, U256::MAX],
        },
    )?;
    let (out, _) = r
        .tx(
            BOB,
            "pool",
            "swapExactAmountIn: 100 UNI for AAVE",
            Some("IndexPool.swapExactAmountIn"),
            &IIndexPool::swapExactAmountInCall {
                tokenIn: uni,
                tokenAmountIn: whole(100),
                tokenOut: aave,
                minAmountOut: U256::ZERO,
                maxPrice: U256::MAX,
            },
        )
        .map(|o| (o.tokenAmountOut, o.spotPriceAfter))?;
    r.state("bob's AAVE from 100 UNI", fmt_wad(out, 6));
    let (paid, _) = r
        .tx(
            BOB,
            "pool",
            "swapExactAmountOut: CRV for exactly 50 UNI",
            Some("IndexPool.swapExactAmountOut"),
            &IIndexPool::swapExactAmountOutCall {
                tokenIn: crv,
                maxAmountIn: U256::MAX,
                tokenOut: uni,
                tokenAmountOut: whole(50),
                maxPrice: U256::MAX,
            },
        )
        .map(|o| (o.tokenAmountIn, o.spotPriceAfter))?;
    r.state("bob's CRV paid for 50 UNI", fmt_wad(paid, 6));
    let shares = r
        .tx(
            ALICE,
            "pool",
            "joinswapExternAmountIn: 1,000 CRV",
            Some("IndexPool.joinswapExternAmountIn"),
            &IIndexPool::joinswapExternAmountInCall {
                tokenIn: crv,
                tokenAmountIn: whole(1000),
                minPoolAmountOut: U256::ZERO,
            },
        )?
        .poolAmountOut;
    r.state("alice's SDI for 1,000 CRV", fmt_wad(shares, 6));

    // The rest of the hour of price history the strategy's TWAPs need.
    for index in 1..PRICES.len() {
        let at = start + REPORT_EVERY * index as u64;
        let wait = at - r.ctx.now();
        r.wait(wait, "to the next report");
        let op = (index == 1).then_some("PowerOracle.reportPrices (3 assets, later report)");
        report(r, index, op)?;
    }
    r.wait(300, "5 minutes: an hour of TWAP history");
    let mut targets = Vec::new();
    let mut values = Vec::new();
    let all = tokens(r)?;
    let answer = r.view("valuer", &IWeightValuer::getTargetsCall { tokens: all.clone() })?._0;
    let worth = r.view("valuer", &IWeightValuer::getValuesCall { tokens: all })?._0;
    for ((t, target), value) in TOKENS.iter().zip(&answer).zip(&worth) {
        targets.push(format!("{} {}", t.key, fmt_wad(*target, 4)));
        values.push(format!("{} ${}", t.key, fmt_wad(*value, 0)));
    }
    r.state("TWAP market caps", values.join(", "));
    r.state("valuer targets", targets.join(" / "));
    let keeper = deployer;
    r.tx(
        keeper,
        "strategy",
        "poke: schedule the weights toward the targets over 14 days",
        Some("WeightStrategy.poke (3 tokens, TWAP valuation, 3 schedules)"),
        &IWeightStrategy::pokeCall {},
    )?;
    let poked = r.ctx.now();
    let mut schedule = Vec::new();
    for t in &TOKENS {
        let token = r.ctx.at(t.key)?;
        let s = r.view("pool", &IIndexPool::getDynamicWeightSettingsCall { token })?;
        schedule.push(format!(
            "{} {} → {}",
            t.key,
            fmt_wad(s.fromWeight, 4),
            fmt_wad(s.targetWeight, 4)
        ));
    }
    r.state("scheduled", schedule.join(" / "));

    r.wait(DURATION / 2, "half the schedule");
    pool_state(r, "halfway")?;
    let got = r
        .tx(
            BOB,
            "pool",
            "swapExactAmountIn: 2,000 CRV for UNI (weights gliding)",
            Some("IndexPool.swapExactAmountIn (weights gliding)"),
            &IIndexPool::swapExactAmountInCall {
                tokenIn: crv,
                tokenAmountIn: whole(2000),
                tokenOut: uni,
                minAmountOut: U256::ZERO,
                maxPrice: U256::MAX,
            },
        )?
        .tokenAmountOut;
    r.state("bob's UNI from 2,000 CRV", fmt_wad(got, 6));
    let out = r
        .tx(
            ALICE,
            "pool",
            "exitswapPoolAmountIn: 1 SDI for AAVE",
            Some("IndexPool.exitswapPoolAmountIn"),
            &IIndexPool::exitswapPoolAmountInCall {
                tokenOut: aave,
                poolAmountIn: whole(1),
                minAmountOut: U256::ZERO,
            },
        )?
        .tokenAmountOut;
    r.state("alice's AAVE for 1 SDI", fmt_wad(out, 6));

    r.wait(poked + 1 + DURATION - r.ctx.now(), "to the end of the schedule");
    pool_state(r, "at the end of the schedule")?;
    let left = r.view("pool", &IIndexPool::balanceOfCall { account: ALICE })?._0;
    r.tx(
        ALICE,
        "pool",
        &format!("exitPool: all {} SDI", fmt_wad(left, 6)),
        Some("IndexPool.exitPool (3 tokens)"),
        &IIndexPool::exitPoolCall { poolAmountIn: left, minAmountsOut: vec![U256::ZERO; 3] },
    )?;
    let mut holdings = Vec::new();
    for t in &TOKENS {
        let b = r.view(t.key, &IMockErc20::balanceOfCall { account: ALICE })?._0;
        holdings.push(format!("{} {}", fmt_wad(b, 4), t.key));
    }
    r.state("alice's tokens after exiting", holdings.join(", "));
    let fees = r.view("pool", &IIndexPool::balanceOfCall { account: deployer })?._0;
    r.state("deployer's SDI (100 at finalize + community exit fees)", fmt_wad(fees, 6));
    let treasury = r.view("CRV", &IMockErc20::balanceOfCall { account: deployer })?._0;
    r.state("deployer's CRV (incl. community swap fees)", fmt_wad(treasury, 4));
    r.tx(
        deployer,
        "pool",
        "transfer 1 SDI to bob",
        Some("IndexPool.transfer (share token)"),
        &IIndexPool::transferCall { to: BOB, value: whole(1) },
    )?;
    router_phase(r)?;
    yield_phase(r)?;
    Ok(poked)
}

/// Part 2, the index router: carol joins the pool with 1,000 CRV alone and
/// exits the shares back to CRV, each after asking the router for a quote.
fn router_phase(r: &mut Run<'_, '_>) -> Result<()> {
    r.ctx.host.label(CAROL, "carol");
    let (pool, crv, router) = (r.ctx.at("pool")?, r.ctx.at("CRV")?, r.ctx.at("index-router")?);
    let deployer = r.ctx.deployer;
    let amount = whole(ROUTER_CRV);
    r.tx(
        deployer,
        "CRV",
        &format!("send {ROUTER_CRV} CRV to carol"),
        None,
        &IMockErc20::transferCall { to: CAROL, value: amount },
    )?;
    r.tx(
        CAROL,
        "CRV",
        "approve the index router for CRV",
        None,
        &IMockErc20::approveCall { spender: router, value: amount },
    )?;
    let quote = r
        .view(
            "index-router",
            &IIndexRouter::quoteJoinWithTokenCall { pool, tokenIn: crv, amountIn: amount },
        )?
        .poolAmountOut;
    r.state(format!("router quote: SDI for {ROUTER_CRV} CRV"), fmt_units(quote, 18));
    let deadline = U256::from(r.ctx.now() + 600);
    let shares = r
        .tx(
            CAROL,
            "index-router",
            &format!("joinWithToken: {ROUTER_CRV} CRV into the pool"),
            Some("IndexRouter.joinWithToken (CRV, no wrapping)"),
            &IIndexRouter::joinWithTokenCall {
                pool,
                tokenIn: crv,
                amountIn: amount,
                minPoolAmountOut: quote,
                deadline,
            },
        )?
        .poolAmountOut;
    r.state(format!("carol's SDI for {ROUTER_CRV} CRV through the router"), fmt_units(shares, 18));
    r.tx(
        CAROL,
        "pool",
        "approve the index router for her SDI",
        None,
        &IIndexPool::approveCall { spender: router, value: shares },
    )?;
    let quote = r
        .view(
            "index-router",
            &IIndexRouter::quoteExitToTokenCall { pool, poolAmountIn: shares, tokenOut: crv },
        )?
        .amountOut;
    r.state("router quote: CRV for carol's SDI", fmt_units(quote, 18));
    let out = r
        .tx(
            CAROL,
            "index-router",
            "exitToToken: all her SDI back to CRV",
            Some("IndexRouter.exitToToken (CRV, no unwrapping)"),
            &IIndexRouter::exitToTokenCall {
                pool,
                poolAmountIn: shares,
                tokenOut: crv,
                minAmountOut: quote,
                deadline,
            },
        )?
        .amountOut;
    r.state("carol's CRV back from her SDI through the router", fmt_units(out, 18));
    let kept_crv = r.view("CRV", &IMockErc20::balanceOfCall { account: router })?._0;
    let kept_sdi = r.view("pool", &IIndexPool::balanceOfCall { account: router })?._0;
    r.state(
        "index router's CRV and SDI afterwards",
        format!("{} CRV, {} SDI", fmt_units(kept_crv, 18), fmt_units(kept_sdi, 18)),
    );
    Ok(())
}

/// `piAAVE`'s reserve and staked AAVE, as `20 reserve, 80 staked`.
fn reserve_state(r: &mut Run<'_, '_>) -> Result<String> {
    let s = r.view("piAAVE", &IPiToken::getReserveStateCall {})?;
    Ok(format!("{} reserve, {} staked", fmt_units(s.reserve, 18), fmt_units(s.staked, 18)))
}

/// Part 2, the yield router: carol wraps 100 AAVE into `piAAVE`; the keeper's
/// poke stakes all but the 20 % reserve in the venue; the venue earns 8 AAVE;
/// a day later the poke harvests it (10 % fee in piAAVE to the deployer) and
/// tops the reserve up; carol unwraps everything.
fn yield_phase(r: &mut Run<'_, '_>) -> Result<()> {
    let (pi, deployer) = (r.ctx.at("piAAVE")?, r.ctx.deployer);
    let amount = whole(PI_DEPOSIT);
    r.tx(
        deployer,
        PI_UNDERLYING,
        &format!("send {PI_DEPOSIT} AAVE to carol"),
        None,
        &IMockErc20::transferCall { to: CAROL, value: amount },
    )?;
    r.tx(
        CAROL,
        PI_UNDERLYING,
        "approve piAAVE for AAVE",
        None,
        &IMockErc20::approveCall { spender: pi, value: amount },
    )?;
    let minted = r
        .tx(
            CAROL,
            "piAAVE",
            &format!("deposit {PI_DEPOSIT} AAVE into piAAVE"),
            None,
            &IPiToken::depositCall { amount },
        )?
        .piAmount;
    r.state(format!("carol's piAAVE for {PI_DEPOSIT} AAVE"), fmt_units(minted, 18));
    let keeper = deployer;
    let poked = r.tx(
        keeper,
        "yield-router",
        "poke piAAVE: stake the excess reserve",
        Some("YieldRouter.poke (excess: stake into the venue)"),
        &IYieldRouter::pokeCall { pi_token: pi },
    )?;
    r.state(
        "first poke: status (2 = excess), AAVE staked",
        format!("{}, {}", poked._0, fmt_units(poked._1, 18)),
    );
    let state = reserve_state(r)?;
    r.state("piAAVE after the first poke", state);
    r.tx(
        deployer,
        "AAVE-venue",
        &format!("the venue earns {VENUE_YIELD} AAVE"),
        None,
        &super::assets::IMockVenue::simulateYieldCall { amount: whole(VENUE_YIELD) },
    )?;
    r.wait(PI_CONFIG.2, "a day: the next poke is due");
    let poked = r.tx(
        keeper,
        "yield-router",
        "poke piAAVE: harvest the yield, top the reserve up",
        Some("YieldRouter.poke (harvest + shortage: unstake)"),
        &IYieldRouter::pokeCall { pi_token: pi },
    )?;
    r.state(
        "second poke: status (1 = shortage), AAVE unstaked",
        format!("{}, {}", poked._0, fmt_units(poked._1, 18)),
    );
    let state = reserve_state(r)?;
    r.state("piAAVE after the second poke", state);
    let fee = r.view("piAAVE", &IPiToken::balanceOfCall { account: deployer })?._0;
    r.state("deployer's piAAVE (10% performance fee)", fmt_units(fee, 18));
    let out = r
        .tx(
            CAROL,
            "piAAVE",
            "withdraw all her piAAVE",
            None,
            &IPiToken::withdrawCall { piAmount: minted },
        )?
        .amount;
    r.state("carol's AAVE back for her piAAVE", fmt_units(out, 18));
    Ok(())
}
