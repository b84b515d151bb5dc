//! Calls to other contracts, hand-encoded: one raw call serves every outgoing call.
//!
//! `sol_interface!` generates a binding, an encoder and a decoder per imported function
//! (about 0.25–0.6 KiB of compressed WASM each). Strata's calls take and return words, so
//! a contract encodes them with [`crate::abi::encode`] (or [`call_words`]), makes them with
//! [`call`], and reads the answer with [`crate::abi::Args`] or
//! [`crate::abi::read_words`]. The selectors come from `sol!` declarations of the callee's
//! signatures, so a typo cannot compile into a wrong selector silently.
//!
//! - Return data is read as a bounded prefix (`max_return` bytes): a callee cannot make the
//!   caller copy unbounded memory (a return-data bomb). Size the bound to the largest
//!   legitimate answer (revert data is bounded the same way); pass [`UNBOUNDED`] where the
//!   answer's size is the caller's own choice (arrays as long as the caller's input).
//! - A failed call's revert data comes back as the error, for the caller to forward
//!   unchanged (as Solidity bubbles reverts) or to reduce to its selector
//!   ([`crate::abi::selector_of`]).
//! - [`call`] does not check that `target` has code: a call to an account without code
//!   succeeds with empty return data, as in the EVM. [`call_contract`] refuses such a
//!   target (empty revert data) for callers that would otherwise accept the empty answer.
//!
//! # Safety of the calls
//!
//! A mutating call flushes the storage cache first, so the callee (and any view it makes)
//! sees the caller's latest state. The callers never hold a storage reference across a
//! call, and Strata's call graph goes one way (no callee calls back into its caller —
//! Stylus reverts such a re-entry anyway), which is what `RawCall::call`'s safety contract
//! asks for. A static call cannot modify state.

use alloc::vec::Vec;

use alloy_primitives::{Address, U256};
use stylus_sdk::call::RawCall;

use crate::{abi, env};

/// `max_return` that reads the whole return (or revert) data.
pub const UNBOUNDED: usize = usize::MAX;

/// Calls `target` with `calldata` — a static call when `view`, else a mutating call after
/// flushing the storage cache — and returns at most `max_return` bytes of its return data,
/// or of its revert data as the error.
///
/// # Errors
/// The callee's revert data (its first `max_return` bytes), unchanged.
#[inline]
pub fn call(
    target: Address,
    calldata: &[u8],
    view: bool,
    max_return: usize,
) -> Result<Vec<u8>, Vec<u8>> {
    let raw = if view { RawCall::new_static() } else { RawCall::new().flush_storage_cache() };
    run::<()>(raw, target, calldata, max_return)
}

/// [`call`] (mutating) with `value` wei attached.
///
/// # Errors
/// As [`call`].
#[inline]
pub fn call_with_value(
    target: Address,
    calldata: &[u8],
    value: U256,
    max_return: usize,
) -> Result<Vec<u8>, Vec<u8>> {
    run::<()>(RawCall::new_with_value(value).flush_storage_cache(), target, calldata, max_return)
}

/// Makes the configured call, then reads a bounded prefix of the return data. Out of line:
/// one copy serves every call site, instantiated in the contract that uses it (see
/// `strata_common::abi`, "Compiled where used").
#[allow(
    clippy::extra_unused_type_parameters,
    reason = "the marker makes the body generic, so it is compiled in the calling contract"
)]
#[inline(never)]
fn run<Here>(
    raw: RawCall,
    target: Address,
    calldata: &[u8],
    max_return: usize,
) -> Result<Vec<u8>, Vec<u8>> {
    // SAFETY: see the module docs — no storage reference is held across the call, the
    // cache is flushed before a mutating call, and no callee re-enters its caller.
    let status = unsafe { raw.skip_return_data().call(target, calldata) };
    // A bounded prefix: a return-data bomb cannot make the caller copy unbounded memory.
    let returned = env::return_data_prefix(max_return);
    match status {
        Ok(_) => Ok(returned),
        Err(_) => Err(returned),
    }
}

/// [`call`], but a `target` without code fails (with empty revert data) instead of
/// answering nothing: for callers that would read an empty answer as success.
///
/// # Errors
/// Empty data when `target` has no code; else as [`call`].
#[inline]
pub fn call_contract(
    target: Address,
    calldata: &[u8],
    view: bool,
    max_return: usize,
) -> Result<Vec<u8>, Vec<u8>> {
    if !env::has_code(target) {
        return Err(Vec::new());
    }
    call(target, calldata, view, max_return)
}

/// Calls `selector(args…)` on `target`, every argument one word (see [`call`]).
///
/// # Errors
/// As [`call`].
#[inline]
pub fn call_words(
    target: Address,
    selector: [u8; 4],
    args: &[U256],
    view: bool,
    max_return: usize,
) -> Result<Vec<u8>, Vec<u8>> {
    call(target, &abi::encode(&selector, args), view, max_return)
}
