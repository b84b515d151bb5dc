//! Differential test: the mock ERC-20 run natively under motsu and its
//! deployable WASM run in the host must agree on every result, revert and
//! state for random call sequences.
//!
//! Cases: `PROPTEST_CASES` (default 1000). One host is built once and
//! restored from a snapshot before each case, so a case costs only its calls.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    reason = "integration tests: a failed unwrap or assertion is a failed test"
)]

mod common;

use std::cell::RefCell;

use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::{sol, SolCall};
use mock_erc20::MockErc20;
use motsu::prelude::{Contract, ResultExt};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use strata_host::{Host, Status};

sol!(
    #[sol(all_derives)]
    "../../interfaces/IMockErc20.sol"
);
sol! {
    function erc20Constructor(bytes32 name, bytes32 symbol, uint8 decimals);
}

use IMockErc20::{
    allowanceCall, approveCall, balanceOfCall, burnCall, mintCall, totalSupplyCall, transferCall,
    transferFromCall,
};

/// Actors; index 3 is the zero address, to reach the invalid-party errors.
const ACTORS: [Address; 4] = [
    Address::repeat_byte(0x11),
    Address::repeat_byte(0x22),
    Address::repeat_byte(0x33),
    Address::ZERO,
];

#[derive(Debug, Clone)]
enum Op {
    Mint { to: usize, amount: u64 },
    Burn { from: usize, amount: u64 },
    Transfer { from: usize, to: usize, amount: u64 },
    Approve { owner: usize, spender: usize, amount: u64 },
    TransferFrom { spender: usize, from: usize, to: usize, amount: u64 },
}

fn amount() -> impl Strategy<Value = u64> {
    // Mostly small amounts so balances run out and allowances are spent;
    // sometimes u64::MAX (never overflows U256 totals over a short sequence).
    prop_oneof![8 => 0u64..200, 1 => Just(u64::MAX)]
}

fn actor() -> impl Strategy<Value = usize> {
    prop_oneof![9 => 0usize..3, 1 => Just(3usize)]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (actor(), amount()).prop_map(|(to, amount)| Op::Mint { to, amount }),
        1 => (actor(), amount()).prop_map(|(from, amount)| Op::Burn { from, amount }),
        3 => (0usize..3, actor(), amount()).prop_map(|(from, to, amount)| Op::Transfer { from, to, amount }),
        2 => (0usize..3, actor(), amount()).prop_map(|(owner, spender, amount)| Op::Approve { owner, spender, amount }),
        3 => (0usize..3, actor(), actor(), amount())
            .prop_map(|(spender, from, to, amount)| Op::TransferFrom { spender, from, to, amount }),
    ]
}

/// A call's outcome in ABI terms: `Ok(return data)` or `Err(revert data)`.
type Abi = Result<Vec<u8>, Vec<u8>>;

fn native(token: &Contract<MockErc20>, op: &Op) -> Abi {
    let u = U256::from;
    let bool_ok = |r: Result<bool, openzeppelin_stylus::token::erc20::Error>| {
        r.map(|b| transferCall::abi_encode_returns(&(b,))).map_err(Vec::<u8>::from)
    };
    let unit_ok = |r: Result<(), openzeppelin_stylus::token::erc20::Error>| {
        r.map(|()| Vec::new()).map_err(Vec::<u8>::from)
    };
    match *op {
        Op::Mint { to, amount } => {
            unit_ok(token.sender(ACTORS[0]).mint(ACTORS[to], u(amount)).motsu_res())
        }
        Op::Burn { from, amount } => {
            unit_ok(token.sender(ACTORS[0]).burn(ACTORS[from], u(amount)).motsu_res())
        }
        Op::Transfer { from, to, amount } => {
            bool_ok(token.sender(ACTORS[from]).transfer(ACTORS[to], u(amount)).motsu_res())
        }
        Op::Approve { owner, spender, amount } => {
            bool_ok(token.sender(ACTORS[owner]).approve(ACTORS[spender], u(amount)).motsu_res())
        }
        Op::TransferFrom { spender, from, to, amount } => bool_ok(
            token
                .sender(ACTORS[spender])
                .transfer_from(ACTORS[from], ACTORS[to], u(amount))
                .motsu_res(),
        ),
    }
}

fn wasm(host: &mut Host, token: Address, op: &Op) -> Result<Abi, TestCaseError> {
    let u = U256::from;
    let (sender, input) = match *op {
        Op::Mint { to, amount } => (0, mintCall { to: ACTORS[to], value: u(amount) }.abi_encode()),
        Op::Burn { from, amount } => {
            (0, burnCall { from: ACTORS[from], value: u(amount) }.abi_encode())
        }
        Op::Transfer { from, to, amount } => {
            (from, transferCall { to: ACTORS[to], value: u(amount) }.abi_encode())
        }
        Op::Approve { owner, spender, amount } => {
            (owner, approveCall { spender: ACTORS[spender], value: u(amount) }.abi_encode())
        }
        Op::TransferFrom { spender, from, to, amount } => (
            spender,
            transferFromCall { from: ACTORS[from], to: ACTORS[to], value: u(amount) }.abi_encode(),
        ),
    };
    host.prank(ACTORS[sender]);
    let receipt = host.call(token, input);
    match receipt.status {
        Status::Success => Ok(Ok(receipt.output)),
        Status::Revert => Ok(Err(receipt.output)),
        other => Err(TestCaseError::fail(format!(
            "{op:?} ended with {other:?} ({:?}) in the host",
            receipt.reason
        ))),
    }
}

/// The accounts and allowances `op` can change.
fn touched(op: &Op) -> (Vec<usize>, Vec<(usize, usize)>) {
    match *op {
        Op::Mint { to, .. } => (vec![to], vec![]),
        Op::Burn { from, .. } => (vec![from], vec![]),
        Op::Transfer { from, to, .. } => (vec![from, to], vec![]),
        Op::Approve { owner, spender, .. } => (vec![], vec![(owner, spender)]),
        Op::TransferFrom { spender, from, to, .. } => (vec![from, to], vec![(from, spender)]),
    }
}

/// Total supply, the `balances` and the `allowances` (pairs of actor indices).
fn compare_state(
    host: &mut Host,
    address: Address,
    token: &Contract<MockErc20>,
    step: usize,
    (balances, allowances): (Vec<usize>, Vec<(usize, usize)>),
) -> Result<(), TestCaseError> {
    let supply = host.view_sol(address, &totalSupplyCall {}).map_err(fail)?._0;
    prop_assert_eq!(
        supply,
        token.sender(ACTORS[0]).total_supply(),
        "total supply after step {}",
        step
    );
    for owner in balances.into_iter().map(|i| ACTORS[i]) {
        let balance = host.view_sol(address, &balanceOfCall { account: owner }).map_err(fail)?._0;
        prop_assert_eq!(
            balance,
            token.sender(owner).balance_of(owner),
            "balance of {} after step {}",
            owner,
            step
        );
    }
    for (owner, spender) in allowances.into_iter().map(|(o, s)| (ACTORS[o], ACTORS[s])) {
        let allowance = host.view_sol(address, &allowanceCall { owner, spender }).map_err(fail)?._0;
        prop_assert_eq!(
            allowance,
            token.sender(owner).allowance(owner, spender),
            "allowance {} → {} after step {}",
            owner,
            spender,
            step
        );
    }
    Ok(())
}

fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000)
}

#[test]
fn fuzz_mock_erc20_wasm_in_the_host_matches_the_native_contract_under_motsu() {
    let name = FixedBytes::right_padding_from(b"Differential");
    let symbol = FixedBytes::right_padding_from(b"DIFF");
    let mut host = Host::new();
    let address = host
        .deploy_sol(
            common::wasm("mock-erc20"),
            &erc20ConstructorCall { name, symbol, decimals: 18 },
        )
        .unwrap();
    let clean = host.snapshot();
    let host = RefCell::new(host);

    let mut runner = TestRunner::new(Config { cases: cases(), ..Config::default() });
    let result = runner.run(&proptest::collection::vec(op(), 1..24), |ops| {
        let mut host = host.borrow_mut();
        host.revert_to(clean);
        let token = Contract::<MockErc20>::new();
        token.sender(ACTORS[0]).constructor(name, symbol, 18);
        for (step, op) in ops.iter().enumerate() {
            let expected = native(&token, op);
            let got = wasm(&mut host, address, op)?;
            prop_assert_eq!(&got, &expected, "step {}: {:?}", step, op);
            compare_state(&mut host, address, &token, step, touched(op))?;
        }
        // Finally everything: every balance and every allowance.
        let all: Vec<(usize, usize)> =
            (0..ACTORS.len()).flat_map(|o| (0..ACTORS.len()).map(move |s| (o, s))).collect();
        compare_state(&mut host, address, &token, ops.len(), ((0..ACTORS.len()).collect(), all))?;
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
