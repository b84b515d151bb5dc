//! Calibration of the gas model on an ERC-20 built from openzeppelin-stylus
//! (`contracts/mocks/erc20`): OpenZeppelin's benchmark sequence (mint 10,
//! transfer 1, approve 5, transferFrom 4 — `benches/src/erc20.rs` in
//! rust-contracts-stylus), uncached and cached, with the EVM-priced part
//! checked to the gas against EIP-2929/2200 arithmetic. The comparison with
//! published figures and the error are in this crate's README.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    reason = "integration tests: a failed unwrap or assertion is a failed test"
)]

mod common;

use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::{sol, SolCall};
use strata_host::{GasUsage, Host, HostConfig};

sol!(
    #[sol(all_derives)]
    "../../interfaces/IMockErc20.sol"
);
sol! {
    function erc20Constructor(bytes32 name, bytes32 symbol, uint8 decimals);
}

const ALICE: Address = Address::repeat_byte(0xa1);
const BOB: Address = Address::repeat_byte(0xb0);

/// Runs the sequence; returns (operation, gas) in order.
fn oz_sequence(all_cached: bool) -> Vec<(&'static str, GasUsage)> {
    let mut host = Host::with_config(HostConfig { all_cached, ..HostConfig::default() });
    let ctor = erc20ConstructorCall {
        name: FixedBytes::right_padding_from(b"Test Token"),
        symbol: FixedBytes::right_padding_from(b"TTK"),
        decimals: 18,
    };
    let token = host.deploy_sol(common::wasm("mock-erc20"), &ctor).unwrap();
    let mut out = Vec::new();
    let mut run = |host: &mut Host, name, from, input: Vec<u8>| {
        host.prank(from);
        let r = host.call(token, input);
        assert!(r.success(), "{name}: {}", host.last_trace());
        out.push((name, r.gas));
    };
    run(&mut host, "balanceOf", ALICE, IMockErc20::balanceOfCall { account: ALICE }.abi_encode());
    run(
        &mut host,
        "mint",
        ALICE,
        IMockErc20::mintCall { to: ALICE, value: U256::from(10) }.abi_encode(),
    );
    run(
        &mut host,
        "transfer",
        ALICE,
        IMockErc20::transferCall { to: BOB, value: U256::from(1) }.abi_encode(),
    );
    run(
        &mut host,
        "approve",
        ALICE,
        IMockErc20::approveCall { spender: BOB, value: U256::from(5) }.abi_encode(),
    );
    run(
        &mut host,
        "transferFrom",
        BOB,
        IMockErc20::transferFromCall { from: ALICE, to: BOB, value: U256::from(4) }.abi_encode(),
    );
    // The same functions on slots that already hold values (the state most
    // published benchmarks measure in).
    run(
        &mut host,
        "mint (existing)",
        ALICE,
        IMockErc20::mintCall { to: ALICE, value: U256::from(10) }.abi_encode(),
    );
    run(
        &mut host,
        "transfer (existing)",
        ALICE,
        IMockErc20::transferCall { to: BOB, value: U256::from(1) }.abi_encode(),
    );
    run(
        &mut host,
        "approve (existing)",
        ALICE,
        IMockErc20::approveCall { spender: BOB, value: U256::from(7) }.abi_encode(),
    );
    out
}

/// Cold load: 2,100 + the 5-gas EVM-API charge (`EVM_API_INK` / 10,000).
const COLD_LOAD: u64 = 2100 + 5;
/// `Transfer`/`Approval`: 3 topics + one 32-byte word.
const LOG: u64 = 4 * 375 + 32 * 8;

#[test]
fn evm_priced_parts_of_the_oz_sequence_match_eip_arithmetic() {
    let gas: Vec<(&str, GasUsage)> = oz_sequence(false);
    let evm = |name: &str| gas.iter().find(|(n, _)| *n == name).unwrap().1.evm;
    assert_eq!(evm("balanceOf"), COLD_LOAD);
    // mint to a new holder from zero supply: two fresh slots.
    assert_eq!(evm("mint"), 2 * COLD_LOAD + 2 * 20_000 + LOG);
    // transfer to a new holder: reset the sender (2,900), create the receiver (20,000).
    assert_eq!(evm("transfer"), 2 * COLD_LOAD + 2900 + 20_000 + LOG);
    // approve: a fresh allowance slot, written without reading (cold 2,100 at flush).
    assert_eq!(evm("approve"), 2100 + 20_000 + LOG);
    // transferFrom: allowance (5 → 1) and both balances, one Transfer log
    // (OpenZeppelin's Stylus ERC-20 emits no Approval on spend).
    assert_eq!(evm("transferFrom"), 3 * COLD_LOAD + 3 * 2900 + LOG);
    assert_eq!(evm("mint (existing)"), 2 * COLD_LOAD + 2 * 2900 + LOG);
    assert_eq!(evm("transfer (existing)"), 2 * COLD_LOAD + 2 * 2900 + LOG);
    assert_eq!(evm("approve (existing)"), 2100 + 2900 + LOG);
}

#[test]
fn caching_removes_exactly_the_init_part_of_the_entry_price() {
    let uncached = oz_sequence(false);
    let cached = oz_sequence(true);
    let mut host = Host::new();
    let program = host.activate(common::wasm("mock-erc20")).unwrap();
    let init = program.entry_gas(false) - program.entry_gas(true);
    for ((name, u), (_, c)) in uncached.iter().zip(&cached) {
        assert_eq!(u.total - c.total, init, "{name}");
        println!(
            "calibration {name:<13} uncached {:>6}  cached {:>6}  (entry {} / {}, wasm {}, hostio {}, evm {}, intrinsic {})",
            u.total, c.total, u.entry, c.entry, u.wasm, u.hostio, u.evm, u.intrinsic
        );
    }
}
