//! Host semantics on purpose-built programs (WAT fixtures) and on the
//! project's SDK artifacts: storage, rollback, value, reentrancy, static
//! calls, logs, return data, traps, out of gas, imports, constructors and
//! the cheatcodes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    reason = "integration tests: a failed unwrap or assertion is a failed test"
)]

mod common;
mod fixtures;

use alloy_primitives::{Address, FixedBytes, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError};
use fixtures::{
    counter, frame_call, probe_call, FrameRecord, CALL, DENY_REENTRY, ENV_WAT, FRAME_WAT, F_CALL,
    F_DELEGATE, F_DENY_REENTRY, IGNORE_FAILURE, NO_LOG, PROBE_WAT, REVERT, SPIN, STATIC, STORE_WAT,
    TRAP,
};
use strata_host::{
    raw_log, ExpectedRevert, Host, HostConfig, HostError, LoadError, Status, DEFAULT_SENDER,
    STYLUS_DEPLOYER,
};

sol!(
    #[sol(all_derives)]
    "../../interfaces/IMockErc20.sol"
);
sol!(
    #[sol(all_derives)]
    "../../interfaces/IMockVenue.sol"
);
sol! {
    function erc20Constructor(bytes32 name, bytes32 symbol, uint8 decimals);
    function venueConstructor(address asset);
}

const ALICE: Address = Address::repeat_byte(0xa1);
const BOB: Address = Address::repeat_byte(0xb0);

fn setup_probe(host: &mut Host) -> Address {
    host.deploy(&fixtures::wasm(PROBE_WAT), None).unwrap().0
}

fn setup_token(host: &mut Host) -> Address {
    let args = erc20ConstructorCall {
        name: FixedBytes::right_padding_from(b"Mock"),
        symbol: FixedBytes::right_padding_from(b"MCK"),
        decimals: 18,
    };
    host.deploy_sol(common::wasm("mock-erc20"), &args).unwrap()
}

fn word(n: u64) -> Vec<u8> {
    U256::from(n).to_be_bytes::<32>().to_vec()
}

#[test]
fn storage_persists_across_calls_and_is_readable_raw() {
    let mut host = Host::new();
    let probe = setup_probe(&mut host);
    for expected in 1..=3u64 {
        let receipt = host.call(probe, probe_call(NO_LOG, Address::ZERO, U256::ZERO, &[]));
        assert_eq!(receipt.status, Status::Success);
        assert_eq!(receipt.output, word(expected), "the counter is returned after each call");
    }
    assert_eq!(host.load(probe, B256::ZERO), counter(3));
    host.store(probe, B256::ZERO, counter(41));
    let receipt = host.call(probe, probe_call(NO_LOG, Address::ZERO, U256::ZERO, &[]));
    assert_eq!(receipt.output, word(42), "a raw store is what the program reads next");
}

#[test]
fn nested_revert_rolls_back_the_failed_frame_and_everything_below_it() {
    let mut host = Host::new();
    let [a, b, c] = [(); 3].map(|()| setup_probe(&mut host));
    // c reverts; b ignores the failure; a succeeds.
    let to_c = probe_call(REVERT, Address::ZERO, U256::ZERO, &[]);
    let to_b = probe_call(CALL | IGNORE_FAILURE, c, U256::ZERO, &to_c);
    let receipt = host.call(a, probe_call(CALL, b, U256::ZERO, &to_b));
    assert_eq!(receipt.status, Status::Success);
    assert_eq!(host.load(a, B256::ZERO), counter(1));
    assert_eq!(host.load(b, B256::ZERO), counter(1));
    assert_eq!(host.load(c, B256::ZERO), B256::ZERO, "the reverted frame's write is undone");
    let emitters: Vec<Address> = receipt.logs.iter().map(|l| l.address).collect();
    assert_eq!(emitters, vec![a, b], "the reverted frame's log is dropped");

    // Now b propagates c's revert: b's writes and logs go too, a keeps its own.
    let to_b = probe_call(CALL | IGNORE_FAILURE | REVERT, c, U256::ZERO, &to_c);
    let receipt = host.call(a, probe_call(CALL | IGNORE_FAILURE, b, U256::ZERO, &to_b));
    assert_eq!(receipt.status, Status::Success);
    assert_eq!(host.load(a, B256::ZERO), counter(2));
    assert_eq!(host.load(b, B256::ZERO), counter(1), "b's second write is rolled back");
    assert_eq!(host.load(c, B256::ZERO), B256::ZERO);
    assert_eq!(receipt.logs.len(), 1);
}

#[test]
fn a_trap_reverts_the_frame_keeps_its_gas_and_returns_no_data() {
    let mut host = Host::new();
    let [a, b] = [(); 2].map(|()| setup_probe(&mut host));
    let to_b = probe_call(TRAP, Address::ZERO, U256::ZERO, &[]);
    let receipt = host.call(a, probe_call(CALL | IGNORE_FAILURE, b, U256::ZERO, &to_b));
    assert_eq!(receipt.status, Status::Success);
    let child = &receipt.trace.children[0];
    assert_eq!(child.status, Some(Status::Failure));
    assert!(child.reason.as_deref().unwrap().contains("unreachable"), "{:?}", child.reason);
    assert!(child.gas_left > 0, "a trap hands the remaining gas back");
    assert!(receipt.output.is_empty(), "a failed call returns no data");
    assert_eq!(host.load(b, B256::ZERO), B256::ZERO);
}

/// A program whose frames outgrow its shadow stack (LLVM's `__stack_pointer`,
/// global 0, grows down from `-zstack-size`): the pointer wraps below 0 and
/// the first store traps. The host names it, and tells it from a plain
/// out-of-bounds access.
#[test]
fn a_shadow_stack_overflow_is_reported_as_such() {
    let wat = |body: &str| {
        format!(
            r#"(module
            (global $sp (mut i32) (i32.const 256))
            (memory (export "memory") 1 1)
            (func $deep (param $n i32)
              (global.set $sp (i32.sub (global.get $sp) (i32.const 96)))
              (i32.store (global.get $sp) (local.get $n))
              (if (local.get $n) (then (call $deep (i32.sub (local.get $n) (i32.const 1)))))
              (global.set $sp (i32.add (global.get $sp) (i32.const 96))))
            (func (export "user_entrypoint") (param i32) (result i32) {body} (i32.const 0)))"#
        )
    };
    let mut host = Host::new();
    let shallow = host.deploy(&fixtures::wasm(&wat("(call $deep (i32.const 1))")), None).unwrap().0;
    assert_eq!(host.call(shallow, vec![]).status, Status::Success, "two frames fit in 256 bytes");
    let deep = host.deploy(&fixtures::wasm(&wat("(call $deep (i32.const 3))")), None).unwrap().0;
    let receipt = host.call(deep, vec![]);
    assert_eq!(receipt.status, Status::Failure);
    let reason = receipt.reason.unwrap_or_default();
    assert!(reason.contains("out of bounds") && reason.contains("stack overflow"), "{reason}");
    let oob =
        host.deploy(&fixtures::wasm(&wat("(drop (i32.load (i32.const 70000)))")), None).unwrap().0;
    let reason = host.call(oob, vec![]).reason.unwrap_or_default();
    assert!(reason.contains("out of bounds") && !reason.contains("stack"), "{reason}");
}

#[test]
fn running_out_of_ink_consumes_all_gas_and_reverts() {
    let mut host = Host::with_config(HostConfig { tx_gas_limit: 2_000_000, all_cached: false });
    let probe = setup_probe(&mut host);
    let receipt = host.call(probe, probe_call(SPIN, Address::ZERO, U256::ZERO, &[]));
    assert_eq!(receipt.status, Status::OutOfGas);
    assert_eq!(receipt.gas.total, 2_000_000, "out of gas burns the whole limit");
    assert_eq!(host.load(probe, B256::ZERO), B256::ZERO);
    assert!(receipt.logs.is_empty());
}

#[test]
fn a_nested_out_of_gas_burns_the_callee_gas_only() {
    let mut host = Host::with_config(HostConfig { tx_gas_limit: 3_000_000, all_cached: false });
    let [a, b] = [(); 2].map(|()| setup_probe(&mut host));
    let to_b = probe_call(SPIN, Address::ZERO, U256::ZERO, &[]);
    let receipt = host.call(a, probe_call(CALL | IGNORE_FAILURE, b, U256::ZERO, &to_b));
    assert_eq!(receipt.status, Status::Success, "{}", host.last_trace());
    let child = &receipt.trace.children[0];
    assert_eq!(child.status, Some(Status::OutOfGas));
    assert_eq!(child.gas_left, 0);
    // The 63/64 rule leaves the caller 1/64 to finish with.
    assert!(receipt.gas.execution > child.gas * 63 / 64);
    assert_eq!(host.load(a, B256::ZERO), counter(1));
}

#[test]
fn value_moves_with_calls_and_a_short_balance_fails_the_call() {
    let mut host = Host::new();
    let [a, b] = [(); 2].map(|()| setup_probe(&mut host));
    host.deal(ALICE, U256::from(1000));
    host.prank(ALICE);
    // Alice sends 300 to a; a forwards 100 to b and 50 to Bob (an EOA) via b.
    let to_b = probe_call(CALL, BOB, U256::from(50), &[]);
    let receipt =
        host.call_with_value(a, probe_call(CALL, b, U256::from(100), &to_b), U256::from(300));
    assert_eq!(receipt.status, Status::Success, "{}", host.last_trace());
    assert_eq!(host.balance(ALICE), U256::from(700));
    assert_eq!(host.balance(a), U256::from(200));
    assert_eq!(host.balance(b), U256::from(50));
    assert_eq!(host.balance(BOB), U256::from(50));

    // b holds 50: sending 51 to Bob fails inside b, which propagates; nothing moves.
    let to_b = probe_call(CALL, BOB, U256::from(51), &[]);
    host.prank(ALICE);
    let receipt = host.call_with_value(a, probe_call(CALL, b, U256::ZERO, &to_b), U256::from(10));
    assert_eq!(receipt.status, Status::Revert);
    assert_eq!(host.balance(ALICE), U256::from(700), "the top-level value is refunded");
    assert_eq!(host.balance(b), U256::from(50));
    assert_eq!(host.balance(BOB), U256::from(50));
}

#[test]
fn msg_reentrant_is_set_when_the_callee_is_already_on_the_stack() {
    let mut host = Host::new();
    let [a, b] = [(); 2].map(|()| setup_probe(&mut host));
    // a → b → a, where a denies re-entry like the SDK entrypoint.
    let back_to_a = probe_call(DENY_REENTRY, Address::ZERO, U256::ZERO, &[]);
    let to_b = probe_call(CALL, a, U256::ZERO, &back_to_a);
    let receipt = host.call(a, probe_call(CALL | DENY_REENTRY, b, U256::ZERO, &to_b));
    assert_eq!(receipt.status, Status::Revert, "{}", host.last_trace());
    assert!(receipt.output.is_empty(), "the re-entered frame reverts with empty data");
    assert_eq!(host.load(a, B256::ZERO), B256::ZERO);
    assert_eq!(host.load(b, B256::ZERO), B256::ZERO);
    // a → b → a without the guard goes through (the flag alone changes nothing).
    let back_to_a = probe_call(0, Address::ZERO, U256::ZERO, &[]);
    let to_b = probe_call(CALL, a, U256::ZERO, &back_to_a);
    let receipt = host.call(a, probe_call(CALL | DENY_REENTRY, b, U256::ZERO, &to_b));
    assert_eq!(receipt.status, Status::Success);
    assert_eq!(receipt.trace.children[0].children[0].status, Some(Status::Success));
    // Both frames of a incremented the counter from 0: the outer one had
    // cached its write before the raw call and flushed it last, overwriting
    // the inner one's. This is Stylus' storage cache (the SDK flushes before
    // high-level calls, not raw ones), reproduced here.
    assert_eq!(host.load(a, B256::ZERO), counter(1));
}

/// An ERC-20 stand-in whose every function calls back into the caller
/// (`totalAssets()` of the venue) and reverts with the callee's data when
/// that fails, else returns `true`.
const CALLBACK_TOKEN_WAT: &str = r#"
(module
  (import "vm_hooks" "msg_sender" (func $sender (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "call_contract" (func $call (param i32 i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "read_return_data" (func $rrd (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1 1)
  (data (i32.const 64) "\01\e1\ec\c1")
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (local $n i32)
    (call $sender (i32.const 0))
    (if (call $call (i32.const 0) (i32.const 64) (i32.const 4) (i32.const 128) (i64.const -1) (i32.const 32))
      (then
        (local.set $n (call $rrd (i32.const 256) (i32.const 0) (i32.load (i32.const 32))))
        (call $write_result (i32.const 256) (local.get $n))
        (return (i32.const 1))))
    (i32.store8 (i32.const 223) (i32.const 1))
    (call $write_result (i32.const 192) (i32.const 32))
    (i32.const 0)))
"#;

#[test]
fn an_sdk_contract_reentered_through_a_callback_reverts_like_on_chain() {
    // Venue (SDK) → token → venue: the SDK entrypoint sees msg_reentrant and
    // reverts, the token propagates it, and the deposit fails.
    assert_eq!(
        IMockVenue::totalAssetsCall::SELECTOR,
        [0x01, 0xe1, 0xd1, 0x14],
        "selector of totalAssets()"
    );
    let token_wat = CALLBACK_TOKEN_WAT.replace("\\01\\e1\\ec\\c1", "\\01\\e1\\d1\\14");
    let mut host = Host::new();
    let token = host.deploy(&fixtures::wasm(&token_wat), None).unwrap().0;
    let venue = host
        .deploy_sol(common::wasm("mock-venue"), &venueConstructorCall { asset: token })
        .unwrap();
    host.label(venue, "Venue");
    host.label(token, "CallbackToken");
    host.prank(ALICE);
    let result =
        host.call_sol(venue, &IMockVenue::depositCall { assets: U256::from(5), receiver: ALICE });
    assert!(result.is_err(), "a callback into the venue must fail the deposit");
    let trace = &host.last_receipt().unwrap().trace;
    let reentry = &trace.children[0].children[0];
    assert_eq!(reentry.to, venue);
    assert_eq!(reentry.status, Some(Status::Revert), "{}", host.last_trace());
    assert!(reentry.output.is_empty(), "the SDK entrypoint reverts re-entry with empty data");
    assert_eq!(
        host.view_sol(venue, &IMockVenue::totalSupplyCall {}).unwrap()._0,
        U256::ZERO,
        "no shares were minted"
    );
}

fn setup_frames(host: &mut Host) -> (Address, Address) {
    let wasm = fixtures::wasm(FRAME_WAT);
    let a = host.deploy(&wasm, None).unwrap().0;
    let b = host.deploy(&wasm, None).unwrap().0;
    host.label(a, "A");
    host.label(b, "B");
    (a, b)
}

fn record(reentrant: bool, this: Address, sender: Address, counter: u8) -> FrameRecord {
    FrameRecord { reentrant, this, sender, counter }
}

/// Nitro (`arbos/tx_processor.go`): `PushContract` counts a frame toward its
/// acting address only when it is not a delegate call, and a program is
/// re-entrant when `Programs[acting] > 1`. A DELEGATECALL runs other code on
/// the caller's storage without a second counted frame: not a re-entry.
#[test]
fn a_delegatecall_frame_is_not_reentry_and_runs_on_the_callers_storage() {
    let mut host = Host::new();
    let (a, b) = setup_frames(&mut host);
    // EOA → A (denies re-entry) ─DELEGATECALL→ B's code (denies re-entry).
    let inner = frame_call(F_DENY_REENTRY, Address::ZERO, &[]);
    let receipt = host.call(a, frame_call(F_DENY_REENTRY | F_DELEGATE, b, &inner));
    assert_eq!(receipt.status, Status::Success, "{}", host.last_trace());
    assert_eq!(
        FrameRecord::parse_all(&receipt.output),
        vec![
            record(false, a, DEFAULT_SENDER, 1),
            // B's code sees A's address, A's caller and A's counter.
            record(false, a, DEFAULT_SENDER, 2),
        ]
    );
    assert_eq!(host.load(a, B256::ZERO), counter(2), "the delegate frame wrote A's storage");
    assert_eq!(host.load(b, B256::ZERO), B256::ZERO, "B's own storage is untouched");
    // A delegate call into A's own code is not a re-entry either, at any depth.
    let leaf = frame_call(F_DENY_REENTRY, Address::ZERO, &[]);
    let mid = frame_call(F_DENY_REENTRY | F_DELEGATE, a, &leaf);
    let receipt = host.call(a, frame_call(F_DENY_REENTRY | F_DELEGATE, b, &mid));
    assert_eq!(receipt.status, Status::Success, "{}", host.last_trace());
    let records = FrameRecord::parse_all(&receipt.output);
    assert_eq!(records.len(), 3);
    assert!(records.iter().all(|r| !r.reentrant && r.this == a && r.sender == DEFAULT_SENDER));
    assert_eq!(records.iter().map(|r| r.counter).collect::<Vec<_>>(), vec![3, 4, 5]);
}

#[test]
fn a_call_back_into_the_delegating_contract_from_a_delegate_frame_is_reentry() {
    let mut host = Host::new();
    let (a, b) = setup_frames(&mut host);
    // EOA → A ─DELEGATECALL→ B's code ─CALL→ A: A now has two counted frames.
    let back_to_a = frame_call(0, Address::ZERO, &[]);
    let delegated = frame_call(F_CALL, a, &back_to_a);
    let receipt = host.call(a, frame_call(F_DENY_REENTRY | F_DELEGATE, b, &delegated));
    assert_eq!(receipt.status, Status::Success, "{}", host.last_trace());
    assert_eq!(
        FrameRecord::parse_all(&receipt.output),
        vec![
            record(false, a, DEFAULT_SENDER, 1),
            record(false, a, DEFAULT_SENDER, 2),
            // The call from the delegate frame is sent by A (the acting address), and
            // A is re-entered.
            record(true, a, a, 3),
        ]
    );
    // With the SDK's guard on the re-entered frame the whole transaction reverts.
    let back_to_a = frame_call(F_DENY_REENTRY, Address::ZERO, &[]);
    let delegated = frame_call(F_CALL, a, &back_to_a);
    let receipt = host.call(a, frame_call(F_DENY_REENTRY | F_DELEGATE, b, &delegated));
    assert_eq!(receipt.status, Status::Revert, "{}", host.last_trace());
    assert!(receipt.output.is_empty(), "the re-entered frame reverts with empty data");
    let reentered = &receipt.trace.children[0].children[0];
    assert_eq!((reentered.to, reentered.status), (a, Some(Status::Revert)));
    assert_eq!(host.load(a, B256::ZERO), counter(3), "the reverted transaction wrote nothing");
    assert_eq!(host.load(b, B256::ZERO), B256::ZERO);
}

#[test]
fn a_call_from_a_delegate_frame_to_the_code_address_is_not_reentry() {
    let mut host = Host::new();
    let (a, b) = setup_frames(&mut host);
    // EOA → A ─DELEGATECALL→ B's code ─CALL→ B: B's address had no frame of its own.
    let to_b = frame_call(F_DENY_REENTRY, Address::ZERO, &[]);
    let delegated = frame_call(F_DENY_REENTRY | F_CALL, b, &to_b);
    let receipt = host.call(a, frame_call(F_DENY_REENTRY | F_DELEGATE, b, &delegated));
    assert_eq!(receipt.status, Status::Success, "{}", host.last_trace());
    assert_eq!(
        FrameRecord::parse_all(&receipt.output),
        vec![
            record(false, a, DEFAULT_SENDER, 1),
            record(false, a, DEFAULT_SENDER, 2),
            record(false, b, a, 1),
        ]
    );
    assert_eq!(host.load(b, B256::ZERO), counter(1));
}

#[test]
fn static_calls_reject_storage_writes_and_logs() {
    let mut host = Host::new();
    let [a, b] = [(); 2].map(|()| setup_probe(&mut host));
    for (inner, why) in [(NO_LOG, "storage write"), (0, "emit_log")] {
        let to_b = probe_call(inner, Address::ZERO, U256::ZERO, &[]);
        let receipt =
            host.call(a, probe_call(CALL | STATIC | IGNORE_FAILURE | NO_LOG, b, U256::ZERO, &to_b));
        assert_eq!(receipt.status, Status::Success);
        let child = &receipt.trace.children[0];
        assert_eq!(child.status, Some(Status::Failure));
        let reason = child.reason.clone().unwrap_or_default();
        assert!(reason.contains("write protection") && reason.contains(why), "{reason}");
        assert_eq!(host.load(b, B256::ZERO), B256::ZERO);
    }
    // A static call that only reads succeeds: the env program writes nothing.
    let env = host.deploy(&fixtures::wasm(ENV_WAT), None).unwrap().0;
    let receipt = host.call(a, probe_call(CALL | STATIC | NO_LOG, env, U256::ZERO, &[]));
    assert_eq!(receipt.status, Status::Success);
    assert_eq!(receipt.output.len(), 192, "the callee's return data is passed back");
}

#[test]
fn logs_are_recorded_in_order_and_checked_by_expect_emit() {
    let mut host = Host::new();
    let [a, b] = [(); 2].map(|()| setup_probe(&mut host));
    let topic = |flags: u8| {
        let mut t = [0u8; 32];
        t[31] = flags;
        B256::from(t)
    };
    host.record_logs();
    host.expect_emit(raw_log(a, vec![topic(CALL)], counter(1).to_vec()));
    host.expect_emit(raw_log(b, vec![topic(0)], counter(1).to_vec()));
    let to_b = probe_call(0, Address::ZERO, U256::ZERO, &[]);
    host.call(a, probe_call(CALL, b, U256::ZERO, &to_b));
    host.call(b, probe_call(0, Address::ZERO, U256::ZERO, &[]));
    let logs = host.recorded_logs();
    assert_eq!(logs.len(), 3);
    assert_eq!(logs[2], raw_log(b, vec![topic(0)], counter(2).to_vec()));
    assert!(host.recorded_logs().is_empty(), "reading the record clears it");
}

#[test]
#[should_panic(expected = "expect_emit")]
fn expect_emit_fails_the_test_when_the_log_is_missing() {
    let mut host = Host::new();
    let a = setup_probe(&mut host);
    host.expect_emit(raw_log(a, vec![B256::ZERO], counter(9).to_vec()));
    host.call(a, probe_call(0, Address::ZERO, U256::ZERO, &[]));
}

#[test]
fn return_data_of_the_last_call_is_forwarded() {
    let mut host = Host::new();
    let [a, b] = [(); 2].map(|()| setup_probe(&mut host));
    host.store(b, B256::ZERO, counter(99));
    let to_b = probe_call(NO_LOG, Address::ZERO, U256::ZERO, &[]);
    let receipt = host.call(a, probe_call(CALL | NO_LOG, b, U256::ZERO, &to_b));
    assert_eq!(receipt.output, word(100), "a returns b's return data");
    // A revert's data reaches the caller too.
    let to_b = probe_call(REVERT | NO_LOG, Address::ZERO, U256::ZERO, &[]);
    let receipt = host.call(a, probe_call(CALL | NO_LOG, b, U256::ZERO, &to_b));
    assert_eq!(receipt.status, Status::Revert);
    assert_eq!(receipt.output, word(101));
}

#[test]
fn an_unknown_import_fails_to_load_with_its_name() {
    let mut host = Host::new();
    let wat = r#"(module
        (import "vm_hooks" "transient_load_bytes32" (func (param i32 i32)))
        (memory (export "memory") 1 1)
        (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#;
    let err = host.deploy(&fixtures::wasm(wat), None).unwrap_err();
    assert!(
        matches!(&err, HostError::Load(LoadError::UnknownImport { module, name })
            if module == "vm_hooks" && name == "transient_load_bytes32"),
        "{err}"
    );
    assert!(err.to_string().contains("vm_hooks.transient_load_bytes32"));
    let console = r#"(module
        (import "console" "log_txt" (func (param i32 i32)))
        (memory (export "memory") 1 1)
        (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#;
    let err = host.deploy(&fixtures::wasm(console), None).unwrap_err();
    assert!(err.to_string().contains("console.log_txt"), "{err}");
}

#[test]
fn floats_are_rejected_like_stylus_activation() {
    let mut host = Host::new();
    let wat = r#"(module
        (memory (export "memory") 1 1)
        (func (export "user_entrypoint") (param i32) (result i32)
          (drop (f32.const 1.5)) (i32.const 0)))"#;
    let err = host.deploy(&fixtures::wasm(wat), None).unwrap_err();
    assert!(err.to_string().contains("unsupported operator"), "{err}");
}

#[test]
fn the_constructor_runs_once_from_the_stylus_deployer() {
    let mut host = Host::new();
    let token = setup_token(&mut host);
    assert_eq!(host.view_sol(token, &IMockErc20::symbolCall {}).unwrap()._0, "MCK");
    assert_eq!(host.view_sol(token, &IMockErc20::decimalsCall {}).unwrap()._0, 18);
    let trace = host.last_receipt().unwrap().trace.clone();
    assert_eq!(trace.caller, DEFAULT_SENDER);
    // A second constructor call reverts (the SDK's constructor slot guard).
    let mut again = strata_host::constructor_selector().to_vec();
    erc20ConstructorCall { name: FixedBytes::ZERO, symbol: FixedBytes::ZERO, decimals: 6 }
        .abi_encode_raw(&mut again);
    host.prank(STYLUS_DEPLOYER);
    host.expect_revert(ExpectedRevert::Any);
    let receipt = host.call(token, again);
    assert_eq!(receipt.status, Status::Revert);
    assert_eq!(host.view_sol(token, &IMockErc20::decimalsCall {}).unwrap()._0, 18);
}

#[test]
fn a_failing_constructor_leaves_no_contract() {
    let mut host = Host::new();
    let trap = r#"(module
        (memory (export "memory") 1 1)
        (func (export "user_entrypoint") (param i32) (result i32) (unreachable)))"#;
    let err = host.deploy(&fixtures::wasm(trap), Some(&[])).unwrap_err();
    let HostError::Constructor { address, .. } = err else { panic!("{err}") };
    assert!(!host.has_code(address));
}

#[test]
fn custom_errors_decode_and_expect_revert_matches_selector_and_arguments() {
    let mut host = Host::new();
    let token = setup_token(&mut host);
    host.prank(ALICE);
    host.call_sol(token, &IMockErc20::mintCall { to: ALICE, value: U256::from(10) }).unwrap();
    let expected =
        IMockErc20::ERC20InsufficientBalance { _0: ALICE, _1: U256::from(10), _2: U256::from(11) };
    host.prank(ALICE);
    host.expect_revert_error(&expected);
    let err = host
        .call_sol(token, &IMockErc20::transferCall { to: BOB, value: U256::from(11) })
        .unwrap_err();
    assert!(err.is(&expected));
    assert_eq!(
        err.decode::<IMockErc20::IMockErc20Errors>(),
        Some(IMockErc20::IMockErc20Errors::ERC20InsufficientBalance(expected.clone()))
    );
    host.prank(ALICE);
    host.expect_revert(ExpectedRevert::Selector(IMockErc20::ERC20InsufficientBalance::SELECTOR));
    let _ = host.call_sol(token, &IMockErc20::transferCall { to: BOB, value: U256::from(12) });
    assert_eq!(
        host.view_sol(token, &IMockErc20::balanceOfCall { account: ALICE }).unwrap()._0,
        U256::from(10),
        "the failed transfers changed nothing"
    );
}

#[test]
#[should_panic(expected = "expect_revert")]
fn expect_revert_fails_the_test_when_the_call_succeeds() {
    let mut host = Host::new();
    let token = setup_token(&mut host);
    host.expect_revert(ExpectedRevert::Any);
    let _ = host.call_sol(token, &IMockErc20::mintCall { to: ALICE, value: U256::from(1) });
}

#[test]
fn warp_roll_prank_and_deal_change_what_programs_see() {
    let mut host = Host::new();
    let env = host.deploy(&fixtures::wasm(ENV_WAT), None).unwrap().0;
    host.warp(1_800_000_000);
    host.roll(77);
    host.deal(ALICE, U256::from(5));
    host.start_prank(ALICE);
    let first = fixtures::Env::parse(&host.call_with_value(env, vec![], U256::from(5)).output);
    let second = fixtures::Env::parse(&host.call(env, vec![]).output);
    host.stop_prank();
    let third = fixtures::Env::parse(&host.call(env, vec![]).output);
    assert_eq!(
        first,
        fixtures::Env {
            timestamp: 1_800_000_000,
            number: 77,
            sender: ALICE,
            origin: ALICE,
            value: U256::from(5),
            chain_id: 421_614,
        }
    );
    assert_eq!(second.sender, ALICE, "start_prank lasts until stop_prank");
    assert_eq!(third.sender, DEFAULT_SENDER);
    host.prank(BOB);
    let once = fixtures::Env::parse(&host.call(env, vec![]).output);
    let after = fixtures::Env::parse(&host.call(env, vec![]).output);
    assert_eq!((once.sender, after.sender), (BOB, DEFAULT_SENDER), "prank lasts one call");
    assert_eq!(host.balance(env), U256::from(5));
}

#[test]
fn revert_to_restores_storage_balances_and_the_clock() {
    let mut host = Host::new();
    let token = setup_token(&mut host);
    let snap = host.snapshot();
    host.prank(ALICE);
    host.call_sol(token, &IMockErc20::mintCall { to: ALICE, value: U256::from(10) }).unwrap();
    host.deal(BOB, U256::from(1));
    host.warp(2_000_000_000);
    assert!(host.revert_to(snap));
    assert_eq!(host.view_sol(token, &IMockErc20::totalSupplyCall {}).unwrap()._0, U256::ZERO);
    assert_eq!(host.balance(BOB), U256::ZERO);
    assert_eq!(host.block().timestamp, 1_735_689_600);
    assert!(host.revert_to(snap), "a snapshot can be restored again");
    assert!(!host.revert_to(snap + 1));
}

#[test]
fn labels_name_contracts_and_functions_in_traces() {
    let mut host = Host::new();
    let token = setup_token(&mut host);
    host.label(token, "USDC");
    host.register_function::<IMockErc20::transferCall>();
    host.prank(ALICE);
    let _ = host.call_sol(token, &IMockErc20::transferCall { to: BOB, value: U256::from(1) });
    let trace = host.last_trace();
    assert!(trace.contains("USDC::transfer(address,uint256)"), "{trace}");
    assert!(trace.contains("revert 0xe450d38c"), "{trace}");
}

#[test]
fn view_calls_change_nothing() {
    let mut host = Host::new();
    let probe = setup_probe(&mut host);
    let receipt = host.view(probe, probe_call(NO_LOG, Address::ZERO, U256::ZERO, &[]));
    assert_eq!(receipt.status, Status::Failure, "a write in eth_call's static frame fails");
    assert_eq!(host.load(probe, B256::ZERO), B256::ZERO);
}

#[test]
fn a_fresh_slot_write_costs_22_100_gas_and_clearing_it_is_refunded() {
    let mut host = Host::new();
    let store = host.deploy(&fixtures::wasm(STORE_WAT), None).unwrap().0;
    let slot = B256::with_last_byte(7);
    // 0 → 1: SSTORE_SET 20,000 + cold 2,100.
    let first = host.call(store, fixtures::store_call(slot, counter(1)));
    assert_eq!(first.gas.evm, 22_100);
    assert_eq!((first.slots_read, first.slots_written), (0, 1));
    // 1 → 2: 5,000 − 2,100 + cold 2,100 = 5,000.
    let second = host.call(store, fixtures::store_call(slot, counter(2)));
    assert_eq!(second.gas.evm, 5000);
    // 2 → 2: no-op, warm read price after the cold surcharge: 2,100 + 100.
    let noop = host.call(store, fixtures::store_call(slot, counter(2)));
    assert_eq!(noop.gas.evm, 2200);
    // 2 → 0: 5,000 and a 4,800 refund, capped at a fifth of the gas used.
    let clear = host.call(store, fixtures::store_call(slot, B256::ZERO));
    assert_eq!(clear.gas.evm, 5000);
    let used = clear.gas.intrinsic + clear.gas.execution;
    assert_eq!(clear.gas.refund, 4800.min(used / 5));
    assert_eq!(clear.gas.total, used - clear.gas.refund);
}

#[test]
fn cached_programs_pay_only_the_cached_entry_price() {
    let mut host = Host::new();
    let token = setup_token(&mut host);
    let call = IMockErc20::totalSupplyCall {};
    host.view_sol(token, &call).unwrap();
    let uncached = host.last_receipt().unwrap().gas;
    host.cache_program(token);
    host.view_sol(token, &call).unwrap();
    let cached = host.last_receipt().unwrap().gas;
    let program = host.activate(common::wasm("mock-erc20")).unwrap();
    assert_eq!(uncached.entry - cached.entry, program.entry_gas(false) - program.entry_gas(true));
    assert_eq!(
        program.entry_gas(false) - program.entry_gas(true),
        8832 + u64::from(program.init_cost),
        "initGas = 69 × 128 + init_cost (scalar 100 %)"
    );
    assert_eq!(uncached.total - cached.total, uncached.entry - cached.entry);
}

#[test]
fn out_of_gas_at_entry_reverts_without_running() {
    let mut host = Host::with_config(HostConfig { tx_gas_limit: 30_000, all_cached: false });
    let probe = setup_probe(&mut host);
    let receipt = host.call(probe, probe_call(0, Address::ZERO, U256::ZERO, &[]));
    assert_eq!(receipt.status, Status::OutOfGas);
    assert_eq!(host.load(probe, B256::ZERO), B256::ZERO);
}

#[test]
fn every_project_artifact_loads_with_only_supported_imports() {
    let artifacts = common::artifacts();
    assert!(artifacts.wasm.contains_key("mock-erc20"));
    let mut host = Host::new();
    for (package, wasm) in &artifacts.wasm {
        if let Err(e) = host.activate(wasm) {
            panic!("{package} does not load in the host: {e}");
        }
    }
}
