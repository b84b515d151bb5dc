//! The test assets every system trades: two ERC-20s (USDC-like with 6
//! decimals, WETH-like with 18), a fee-on-transfer token, an ERC-4626 yield
//! venue over USDC and a governor voting with WETH (`contracts/mocks/*`).

use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::{sol, SolCall};

use super::{units, Constructor, Ctx, GasOp, Plan, Step, System};
use crate::error::Result;

sol!(
    #[sol(all_derives)]
    "../../interfaces/IMockErc20.sol"
);
sol!(
    #[sol(all_derives)]
    "../../interfaces/IMockFeeToken.sol"
);
sol!(
    #[sol(all_derives)]
    "../../interfaces/IMockVenue.sol"
);
sol!(
    #[sol(all_derives)]
    "../../interfaces/IMockGovernor.sol"
);
sol! {
    /// The mock ERC-20's `#[constructor]` parameters.
    function erc20Constructor(bytes32 name, bytes32 symbol, uint8 decimals);
}

/// The system.
pub const SYSTEM: System = System {
    name: "Assets",
    description: "test tokens (USDC 6 dec, WETH 18 dec, 1% fee token), ERC-4626 venue, governor",
    plan,
    scenario,
    gas,
};

const NAME: &str = "Assets";
const ALICE: Address = Address::repeat_byte(0xa1);
const BOB: Address = Address::repeat_byte(0xb0);
/// Fee of the fee-on-transfer token: 100 bps.
const FEE_BPS: u64 = 100;

fn erc20(name: &str, symbol: &str, decimals: u8) -> Constructor {
    let name_word = FixedBytes::<32>::right_padding_from(name.as_bytes());
    let symbol_word = FixedBytes::<32>::right_padding_from(symbol.as_bytes());
    let mut encoded = Vec::new();
    erc20ConstructorCall { name: name_word, symbol: symbol_word, decimals }
        .abi_encode_raw(&mut encoded);
    Constructor {
        signature: "constructor(bytes32,bytes32,uint8)".into(),
        args: vec![name_word.to_string(), symbol_word.to_string(), decimals.to_string()],
        encoded,
    }
}

fn address_arg(address: Address) -> Constructor {
    Constructor {
        signature: "constructor(address)".into(),
        args: vec![address.to_string()],
        encoded: address.into_word().to_vec(),
    }
}

fn plan() -> Plan {
    let at = |book: &super::Book, key: &str| book.get(key).copied().unwrap_or_default();
    vec![
        Step::Deploy {
            key: "USDC".into(),
            package: "mock-erc20",
            constructor: Box::new(|_| Some(erc20("USD Coin", "USDC", 6))),
        },
        Step::Deploy {
            key: "WETH".into(),
            package: "mock-erc20",
            constructor: Box::new(|_| Some(erc20("Wrapped Ether", "WETH", 18))),
        },
        Step::Deploy {
            key: "FEE".into(),
            package: "mock-fee-token",
            constructor: Box::new(|_| {
                let fee = U256::from(FEE_BPS);
                Some(Constructor {
                    signature: "constructor(uint256)".into(),
                    args: vec![fee.to_string()],
                    encoded: fee.to_be_bytes::<32>().to_vec(),
                })
            }),
        },
        Step::Deploy {
            key: "venue".into(),
            package: "mock-venue",
            constructor: Box::new(move |book| Some(address_arg(at(book, "USDC")))),
        },
        Step::Deploy {
            key: "governor".into(),
            package: "mock-governor",
            constructor: Box::new(move |book| Some(address_arg(at(book, "WETH")))),
        },
        Step::Call {
            label: "mint 1,000,000 USDC to the deployer".into(),
            to: "USDC".into(),
            calldata: Box::new(move |book| {
                let to = at(book, super::DEPLOYER_KEY);
                IMockErc20::mintCall { to, value: units(1_000_000, 6) }.abi_encode()
            }),
        },
        Step::Call {
            label: "mint 1,000 WETH to the deployer".into(),
            to: "WETH".into(),
            calldata: Box::new(move |book| {
                let to = at(book, super::DEPLOYER_KEY);
                IMockErc20::mintCall { to, value: units(1000, 18) }.abi_encode()
            }),
        },
    ]
}

fn fmt_units(value: U256, decimals: u8) -> String {
    let scale = U256::from(10u64).pow(U256::from(decimals));
    let whole = value / scale;
    let frac = value % scale;
    if frac.is_zero() {
        whole.to_string()
    } else {
        let frac = format!("{:0>width$}", frac.to_string(), width = usize::from(decimals));
        format!("{whole}.{}", frac.trim_end_matches('0'))
    }
}

/// Sends `call` from `from`, records it, and returns its decoded result.
fn act<C: SolCall>(
    ctx: &mut Ctx<'_>,
    from: Address,
    to_key: &str,
    what: &str,
    call: &C,
) -> Result<C::Return> {
    let to = ctx.at(to_key)?;
    ctx.host.prank(from);
    let result = ctx.host.call_sol(to, call);
    let receipt = ctx.host.last_receipt().cloned();
    match (result, receipt) {
        (Ok(value), Some(receipt)) => {
            let who = ctx.host.name_of(from);
            ctx.record(NAME, format!("{who}: {what}"), receipt.gas.total, "ok");
            Ok(value)
        }
        (_, Some(receipt)) => Err(super::scenario_error(NAME, what, &receipt)),
        (_, None) => Err(crate::error::Error::Contract {
            package: NAME.into(),
            message: format!("`{what}` left no receipt"),
        }),
    }
}

fn scenario(ctx: &mut Ctx<'_>) -> Result<()> {
    ctx.host.label(ALICE, "alice");
    ctx.host.label(BOB, "bob");
    let usdc = ctx.at("USDC")?;
    let venue = ctx.at("venue")?;
    act(
        ctx,
        ALICE,
        "USDC",
        "mint 10,000 USDC",
        &IMockErc20::mintCall { to: ALICE, value: units(10_000, 6) },
    )?;
    act(
        ctx,
        ALICE,
        "USDC",
        "approve the venue for 5,000 USDC",
        &IMockErc20::approveCall { spender: venue, value: units(5000, 6) },
    )?;
    let shares = act(
        ctx,
        ALICE,
        "venue",
        "deposit 5,000 USDC into the venue",
        &IMockVenue::depositCall { assets: units(5000, 6), receiver: ALICE },
    )?
    ._0;
    ctx.record(NAME, "alice receives venue shares", 0, fmt_units(shares, 6));
    act(
        ctx,
        ctx.deployer,
        "venue",
        "simulate 500 USDC of yield",
        &IMockVenue::simulateYieldCall { amount: units(500, 6) },
    )?;
    let half = shares / U256::from(2u64);
    let assets = act(
        ctx,
        ALICE,
        "venue",
        "redeem half of the shares",
        &IMockVenue::redeemCall { shares: half, receiver: ALICE, owner: ALICE },
    )?
    ._0;
    ctx.record(NAME, "alice receives USDC", 0, fmt_units(assets, 6));
    act(ctx, BOB, "WETH", "mint 3 WETH", &IMockErc20::mintCall { to: BOB, value: units(3, 18) })?;
    act(
        ctx,
        BOB,
        "governor",
        "vote for proposal 1 with 3 WETH",
        &IMockGovernor::castVoteCall { proposal_id: U256::from(1u64), support: 1 },
    )?;
    act(
        ctx,
        ALICE,
        "FEE",
        "mint 100 FEE",
        &IMockFeeToken::mintCall { to: ALICE, value: units(100, 18) },
    )?;
    act(
        ctx,
        ALICE,
        "FEE",
        "transfer 100 FEE to bob (1% fee)",
        &IMockFeeToken::transferCall { to: BOB, value: units(100, 18) },
    )?;

    // Resulting state.
    let balance = ctx.host.view_sol(usdc, &IMockErc20::balanceOfCall { account: ALICE });
    let alice_usdc = balance.map(|r| r._0).unwrap_or_default();
    ctx.record(NAME, "state: alice's USDC", 0, fmt_units(alice_usdc, 6));
    let total =
        ctx.host.view_sol(venue, &IMockVenue::totalAssetsCall {}).map(|r| r._0).unwrap_or_default();
    ctx.record(NAME, "state: venue total assets (USDC)", 0, fmt_units(total, 6));
    let governor = ctx.at("governor")?;
    let votes = ctx
        .host
        .view_sol(governor, &IMockGovernor::proposalVotesCall { proposal_id: U256::from(1u64) })
        .map(|r| r._1)
        .unwrap_or_default();
    ctx.record(NAME, "state: votes for proposal 1 (WETH)", 0, fmt_units(votes, 18));
    let fee = ctx.at("FEE")?;
    let bob_fee = ctx
        .host
        .view_sol(fee, &IMockFeeToken::balanceOfCall { account: BOB })
        .map(|r| r._0)
        .unwrap_or_default();
    ctx.record(NAME, "state: bob's FEE after the 1% fee", 0, fmt_units(bob_fee, 18));
    Ok(())
}

/// Measures `call` from `from` on `to_key` as one gas-report row.
fn measure<C: SolCall>(
    ctx: &mut Ctx<'_>,
    from: Address,
    to_key: &str,
    operation: &str,
    call: &C,
) -> Result<GasOp> {
    let to = ctx.at(to_key)?;
    ctx.host.prank(from);
    let receipt = ctx.host.call(to, call.abi_encode());
    GasOp::from_receipt(NAME, operation, &receipt)
}

#[allow(clippy::too_many_lines, reason = "one measured call per row of the report")]
fn gas(ctx: &mut Ctx<'_>) -> Result<Vec<GasOp>> {
    let venue = ctx.at("venue")?;
    let one = units(1, 6);
    let mut ops = vec![
        measure(
            ctx,
            ALICE,
            "USDC",
            "MockErc20.mint (new holder)",
            &IMockErc20::mintCall { to: ALICE, value: units(1000, 6) },
        )?,
        measure(
            ctx,
            ALICE,
            "USDC",
            "MockErc20.mint (existing holder)",
            &IMockErc20::mintCall { to: ALICE, value: units(1000, 6) },
        )?,
        measure(
            ctx,
            ALICE,
            "USDC",
            "MockErc20.transfer (to a new holder)",
            &IMockErc20::transferCall { to: BOB, value: one },
        )?,
        measure(
            ctx,
            ALICE,
            "USDC",
            "MockErc20.transfer (to an existing holder)",
            &IMockErc20::transferCall { to: BOB, value: one },
        )?,
        measure(
            ctx,
            ALICE,
            "USDC",
            "MockErc20.approve (new allowance)",
            &IMockErc20::approveCall { spender: BOB, value: units(5, 6) },
        )?,
        measure(
            ctx,
            BOB,
            "USDC",
            "MockErc20.transferFrom (finite allowance)",
            &IMockErc20::transferFromCall { from: ALICE, to: BOB, value: one },
        )?,
        measure(
            ctx,
            ALICE,
            "USDC",
            "MockErc20.balanceOf (as a transaction)",
            &IMockErc20::balanceOfCall { account: ALICE },
        )?,
        measure(
            ctx,
            ALICE,
            "FEE",
            "MockFeeToken.mint (new holder)",
            &IMockFeeToken::mintCall { to: ALICE, value: units(100, 18) },
        )?,
        measure(
            ctx,
            ALICE,
            "FEE",
            "MockFeeToken.transfer (1% fee to the fee sink)",
            &IMockFeeToken::transferCall { to: BOB, value: units(10, 18) },
        )?,
        measure(
            ctx,
            ALICE,
            "USDC",
            "MockErc20.approve (venue)",
            &IMockErc20::approveCall { spender: venue, value: units(100, 6) },
        )?,
    ];
    ops.push(measure(
        ctx,
        ALICE,
        "venue",
        "MockVenue.deposit (first deposit)",
        &IMockVenue::depositCall { assets: units(100, 6), receiver: ALICE },
    )?);
    ops.push(measure(
        ctx,
        ALICE,
        "venue",
        "MockVenue.redeem (half)",
        &IMockVenue::redeemCall { shares: units(50, 6), receiver: ALICE, owner: ALICE },
    )?);
    ops.push(measure(
        ctx,
        BOB,
        "WETH",
        "MockErc20.mint (WETH, new holder)",
        &IMockErc20::mintCall { to: BOB, value: units(2, 18) },
    )?);
    ops.push(measure(
        ctx,
        BOB,
        "governor",
        "MockGovernor.castVote",
        &IMockGovernor::castVoteCall { proposal_id: U256::from(7u64), support: 1 },
    )?);
    ops.push(measure(
        ctx,
        BOB,
        "governor",
        "MockGovernor.delegate",
        &IMockGovernor::delegateCall { delegatee: ALICE },
    )?);
    Ok(ops)
}
