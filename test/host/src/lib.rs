//! `strata-host`: an in-process Arbitrum Stylus chain for tests, gas reports
//! and the embedded devnet of `strata deploy`.
//!
//! motsu runs contract code natively: it never executes the WASM that gets
//! deployed, its clock is fixed and it reports no gas. This crate loads the
//! release `.wasm` artifacts (`<target>/strata/*.wasm`, built by
//! `cargo strata check`) and executes them the way Nitro does, with
//! Foundry's cheatcodes on top.
//!
//! ```ignore
//! let mut host = Host::new();
//! let token = host.deploy_sol(&wasm, (name, symbol, 18u8))?;
//! host.prank(alice);
//! host.call_sol(token, &IMockErc20::mintCall { to: alice, value })?;
//! let receipt = host.last_receipt().unwrap();
//! println!("{} gas\n{}", receipt.gas.total, host.last_trace());
//! ```
//!
//! # Engine
//!
//! [wasmi](https://docs.rs/wasmi) 2.0: a deterministic, pure-Rust WASM
//! interpreter that builds on the pinned nightly, has no JIT and no platform
//! code, and supports exactly the WASM subset Stylus activates (MVP + bulk
//! memory + sign extension). Metering does **not** use wasmi's fuel: fuel is
//! priced per instruction class, not per opcode, so it cannot reproduce
//! Nitro's table. Instead [`meter`] applies Nitro's own activation-time
//! instrumentation to the WASM bytes (an ink global charged per basic block
//! with `pricing_v1`'s per-opcode ink, per-byte `memory.copy`/`memory.fill`,
//! `pay_for_memory_grow` before `memory.grow`), so the ink a program burns
//! here is the ink the rewritten program burns on chain, whatever
//! interpreter runs it. (wasmtime would need a JIT per platform and is far
//! heavier; `wasmer` is what Nitro uses natively but pulls a compiler.)
//!
//! # Semantics
//!
//! - Every `vm_hooks` import of stylus-sdk 0.9's `hostio` module is
//!   implemented ([`hostio::SUPPORTED_IMPORTS`]); a program importing anything
//!   else fails to load with [`program::LoadError::UnknownImport`] naming it.
//! - Entry protocol: `user_entrypoint(len) -> status`, 0 success, non-zero
//!   revert with the bytes passed to `write_result`.
//! - Each call runs in a fresh instance (fresh memory), like Stylus. A frame
//!   that reverts, traps, fails a hostio or runs out of gas rolls back its
//!   storage writes, balance moves, logs, nonces, code, access-list entries
//!   and refunds, and those of every frame below it (a journal, [`state`]).
//! - `msg_reentrant` is true when the callee's address already has a counted
//!   frame on the stack; stylus-sdk's entrypoint then reverts (without the
//!   `reentrant` feature), so an A→B→A call fails exactly as on chain. As in
//!   Nitro (`arbos/tx_processor.go`: `PushContract` counts only non-delegate
//!   frames, `reentrant := Programs[acting] > 1`), a `DELEGATECALL` frame does
//!   not count: A delegating to B's code is not a re-entry of A, but a `CALL`
//!   back into A from inside that frame is.
//! - Static calls: a storage flush with dirty slots, `emit_log`, `create*`
//!   or a value-carrying call in a static frame fail the frame ("write protection").
//! - Value: `CALL` moves `msg.value` (insufficient balance fails the call),
//!   the 2,300 stipend is added to value-carrying calls, `deal` sets balances.
//! - The storage cache: `storage_cache_bytes32` only buffers the word in the
//!   frame's cache; `storage_flush_cache` (which the SDK calls at the end of
//!   the entrypoint and before high-level calls) writes dirty slots at EVM
//!   `SSTORE` prices. A frame's cache is not flushed by raw calls, as in Nitro.
//! - Constructors (stylus-sdk 0.9 `#[constructor]`): [`Host::deploy`] installs
//!   the code and calls it with `keccak256("stylus_constructor()")[..4]` +
//!   ABI-encoded arguments from [`host::STYLUS_DEPLOYER`], as
//!   `cargo stylus deploy --constructor-args` does (cargo-stylus 0.6.3
//!   `deploy/deployer.rs`); the SDK's `CONSTRUCTOR_EXECUTED_SLOT` guard makes
//!   a second call revert. Contracts must therefore not treat `msg.sender` in
//!   the constructor as the deployer.
//! - `create1`/`create2` understand cargo-stylus deployment init code (the
//!   43-byte prelude + `EF F0 00 00` + brotli WASM); the new program counts as
//!   activated. Other EVM init code fails the creation: the host runs no EVM.
//! - World state: accounts (balance, nonce, program), storage, block
//!   environment and the cached-program set; [`Host::snapshot`] saves it all.
//!
//! # Cheatcodes (Foundry names)
//!
//! [`Host::warp`], [`Host::roll`], [`Host::prank`] / [`Host::start_prank`] /
//! [`Host::stop_prank`], [`Host::deal`], [`Host::snapshot`] /
//! [`Host::revert_to`], [`Host::load`] / [`Host::store`] (raw storage),
//! [`Host::expect_revert`] (any, a selector, or exact data such as an
//! encoded custom error with arguments), [`Host::expect_emit`] /
//! [`Host::expect_event`], [`Host::record_logs`] / [`Host::recorded_logs`],
//! [`Host::label`] for readable traces ([`Host::last_trace`]).
//!
//! # Gas model
//!
//! A transaction costs `intrinsic + execution − refund`:
//!
//! | part | rule | source |
//! |---|---|---|
//! | intrinsic | 21,000 + 4 per zero / 16 per non-zero calldata byte (EIP-2028); no EIP-7623 floor, no L1 data fee (`gasUsedForL1` is excluded, as in OpenZeppelin's reports) | go-ethereum `params` |
//! | program entry | `cachedGas` = 352 + `cached_init_cost` on every call, plus `initGas` = 8,832 + `init_cost` unless the program is cached; both costs predicted from the module shape at activation | `arbos/programs/programs.go` (`CallProgram`, `initGas`, `cachedGas`), `params.go` (`v2MinInitGas = 69`, `initialMinCachedGas = 11`, scalars 50 × 2 %), `crates/prover/src/binary.rs` ("predict costs") |
//! | memory | `MemoryModel.GasCost`: 2 free pages per transaction, then 1,000 gas per page plus an exponential term on the peak; the footprint on entry, `pay_for_memory_grow` on growth | `arbos/programs/memory.go`, `crates/prover/src/programs/heap.rs` |
//! | WASM execution | per-opcode ink of `pricing_v1` + 2,450 ink per basic block + 100 ink per byte copied/filled; 10,000 ink = 1 gas (`initialInkPrice`) | `crates/prover/src/programs/meter.rs`, `dynamic.rs`, `config.rs` |
//! | hostios | `HOSTIO_INK` 8,400, `PTR_INK` 5,040 per pointer, `EVM_API_INK` 59,673, `read_price`/`write_price` per byte, `keccak_price` | `crates/arbutil/src/pricing.rs`, `crates/wasm-libraries/user-host-trait/lib.rs` |
//! | storage | loads: cold 2,100 / warm 100 (EIP-2929) + 5 gas EVM-API + cache read gas; cached reads are free up to 32; writes at flush: EIP-2200 with EIP-2929 cold surcharge, refunds per EIP-3529 (4,800 clear, 19,900 / 2,800 resets), 2,300 sentry | `crates/arbutil/src/evm/req.rs`, `storage.rs`; `OffchainLabs/go-ethereum` `core/vm/operations_acl_arbitrum.go` (`WasmStateLoadCost`, `WasmStateStoreCost`) |
//! | calls | 100 warm / 2,600 cold, +9,000 value, +25,000 new account, 63/64 rule, 2,300 stipend | `WasmCallCost`, `api.go` `doCall` |
//! | accounts | cold 2,600 / warm 100, +700 when the code is read | `WasmAccountTouchCost` |
//! | logs | 375 × (1 + topics) + 8 per data byte | `pay_for_evm_log` |
//! | return data | at least EVM memory cost of its size | `programs.go` `evmMemoryCost` |
//! | refund | ≤ gas used / 5 (EIP-3529) | go-ethereum `state_transition.go` |
//!
//! Nitro numbers are from `OffchainLabs/nitro` at commit `6dce8d13` (v3.9.x,
//! April 2026): Stylus version 2 and ArbOS ≥ 40 behaviour, without ArbOS 60's
//! recent-program cache (not live on Arbitrum One). The model's known
//! differences from a real node: the depth checker's stack limit is wasmi's,
//! not Nitro's; storage slots are flushed in key order (Nitro uses hash-map
//! order, which only matters when a flush runs out of gas midway); activation
//! (`ArbWasm.activateProgram`) and its data fee are not modelled — deployment
//! reports show the constructor call only.
//!
//! ## Calibration
//!
//! See the crate README ("Gas model calibration") for our estimate against
//! published Stylus figures for an OpenZeppelin ERC-20 and the error we
//! measured; `tests/calibration.rs` recomputes it.
#![allow(
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation,
    reason = "host-side tooling: gas and ink sums are saturating where they can overflow, \
              byte offsets are bounds-checked before slicing"
)]
#![allow(
    clippy::panic,
    reason = "expect_revert/expect_emit fail the test like Foundry's cheatcodes"
)]

pub mod exec;
pub mod host;
pub mod hostio;
pub mod meter;
pub mod pricing;
pub mod program;
pub mod state;
pub mod trace;

pub use exec::Status;
pub use host::{
    constructor_selector, event_log, raw_log, CallError, ExpectedRevert, GasUsage, Host,
    HostConfig, HostError, Receipt, DEFAULT_SENDER, STYLUS_DEPLOYER,
};
pub use program::{LoadError, Program};
pub use trace::CallTrace;
