//! Untyped event emission: one emitter for every event of a contract.
//!
//! The typed [`crate::env::emit`] monomorphises an encoder per event type (about 0.2 KiB of
//! compressed WASM each); a contract at its size limit emits through [`emit`] instead,
//! with the topics and data it would encode:
//!
//! ```ignore
//! // event Swap(address indexed caller, uint256 amountIn, uint256 amountOut);
//! log::emit(&[Swap::SIGNATURE_HASH, caller.into_word()], &[amount_in, amount_out]);
//! ```
//!
//! The events are still declared with [`crate::sol_events!`] (the exported interface and
//! the `SIGNATURE_HASH`), and each contract's tests check every emission against its typed
//! event with motsu's `assert_emitted`, so the bytes are exactly what alloy's `SolEvent`
//! encoding gives.

use alloc::vec::Vec;

use alloy_primitives::{B256, U256};
use stylus_sdk::{host::WasmVM, stylus_core::LogAccess};

use crate::abi::WORD;

/// Emits a log with `topics` — the event's signature hash, then its indexed fields, each
/// one word (an `address` as `into_word()`, a value type as its ABI word) — and the
/// static `data` words. At most four topics (no event declares more; the host reverts
/// beyond). Out of line: one copy serves every event, instantiated in the contract that uses
/// it (see `strata_common::abi`, "Compiled where used").
#[inline]
pub fn emit(topics: &[B256], data: &[U256]) {
    emit_once::<()>(topics, data);
}

/// The body of [`emit`].
#[allow(
    clippy::extra_unused_type_parameters,
    reason = "the marker makes the body generic, so it is compiled in the calling contract"
)]
#[inline(never)]
fn emit_once<Here>(topics: &[B256], data: &[U256]) {
    let mut bytes =
        Vec::with_capacity(topics.len().saturating_add(data.len()).saturating_mul(WORD));
    for topic in topics {
        bytes.extend_from_slice(topic.as_slice());
    }
    for word in data {
        bytes.extend_from_slice(&word.to_be_bytes::<32>());
    }
    raw(&bytes, topics.len());
}

/// Emits a log with `topics` and already-encoded `data` (an event with dynamic fields,
/// e.g. [`crate::abi::encode_bytes`]).
#[inline]
pub fn emit_bytes(topics: &[B256], data: &[u8]) {
    let mut bytes =
        Vec::with_capacity(topics.len().saturating_mul(WORD).saturating_add(data.len()));
    for topic in topics {
        bytes.extend_from_slice(topic.as_slice());
    }
    bytes.extend_from_slice(data);
    raw(&bytes, topics.len());
}

/// An indexed value-type field as a topic (its ABI word).
#[inline]
#[must_use]
pub fn topic(word: U256) -> B256 {
    B256::from(word)
}

/// `topics ‖ data` with `count` topics, to the host.
#[inline]
fn raw(bytes: &[u8], count: usize) {
    // The SDK's host handle: a unit struct over the `emit_log` hook (motsu's shim in tests).
    // `evm::raw_log` would copy `topics ‖ data` into a second buffer first.
    WasmVM {}.emit_log(bytes, count);
}
