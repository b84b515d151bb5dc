//! The hand-written ABI of the Perp contracts (`vamm`, `clearing-house`,
//! `clearing-house-engine`): a strict calldata reader, a word encoder, one raw-call
//! helper and one untyped log emitter.
//!
//! # Why by hand (size)
//!
//! stylus-sdk's `#[public]` router monomorphises an ABI decoder and encoder per
//! function, `sol_interface!` a call binding per imported function, and
//! `evm::log` an encoder per event type — together several KiB of compressed
//! WASM in contracts that are at the 24 KiB Stylus limit. Every argument, return
//! value, event field and error field of the Perp contracts is a *static* ABI type
//! (`uint256`, `int256`, `uint64`, `uint8`, `bool`, `address`): one 32-byte word
//! each. So one small reader ([`Args`]), one encoder ([`words`]), one call helper
//! ([`call`]) and one emitter ([`emit`]) serve them all.
//!
//! # Strictness
//!
//! The reader is as strict as Solidity's decoder: calldata too short for the
//! arguments, an `address` with dirty upper bytes, a `bool` other than 0 or 1, a
//! `uint8`/`uint64` above its range are refused (`None`), and the contracts then
//! revert with empty data, as the SDK's router does. Extra trailing calldata is
//! ignored, as in Solidity.
//!
//! # One source for selectors and the interface
//!
//! [`sol_functions!`] declares each contract's functions once: `sol!` derives the
//! selectors the dispatcher matches on, and the same tokens become the
//! `FUNCTIONS_ABI` declarations of the exported `interfaces/I<Contract>.sol`. A
//! test per contract calls every declared function through the contract's
//! fallback and decodes its answer with alloy, so the interface and the routing
//! cannot drift apart.
#![no_std]
#![cfg_attr(
    not(test),
    deny(
        clippy::arithmetic_side_effects,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
extern crate alloc;

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, I256, U256};
use stylus_sdk::call::RawCall;

/// Declares Solidity functions with `sol!` (their `…Call` types give the selectors)
/// and records their declarations in `pub const FUNCTIONS_ABI: &[&str]` for the
/// exported interface. Every function must be `external`; `returns (…)` is optional.
#[macro_export]
macro_rules! sol_functions {
    ($( function $name:ident ( $($args:tt)* ) $($modifier:ident)* $(( $($ret:tt)* ))? ; )*) => {
        alloy_sol_types::sol! {
            $( function $name ( $($args)* ) $($modifier)* $(( $($ret)* ))? ; )*
        }

        /// Solidity declarations of these functions, for the exported interface.
        pub const FUNCTIONS_ABI: &[&str] = &[
            $( concat!(
                "function ", stringify!($name), "(", stringify!($($args)*), ") ",
                stringify!($($modifier)*), $(" (", stringify!($($ret)*), ")",)? ";"
            ) ),*
        ];
    };
}

/// Splits calldata into its selector and arguments.
#[must_use]
pub fn split(calldata: &[u8]) -> Option<([u8; 4], Args<'_>)> {
    let (selector, args) = calldata.split_first_chunk::<4>()?;
    Some((*selector, Args(args)))
}

/// ABI-encoded static arguments (after the selector), read strictly.
#[derive(Clone, Copy, Debug)]
pub struct Args<'a>(pub &'a [u8]);

impl Args<'_> {
    /// Word `i` (`None` past the end of the calldata).
    #[must_use]
    pub fn word(self, i: usize) -> Option<[u8; 32]> {
        let start = i.checked_mul(32)?;
        self.0.get(start..)?.first_chunk::<32>().copied()
    }

    /// Argument `i` as `uint256`.
    #[must_use]
    pub fn uint(self, i: usize) -> Option<U256> {
        Some(U256::from_be_bytes(self.word(i)?))
    }

    /// Argument `i` as `int256` (every word is one).
    #[must_use]
    pub fn int(self, i: usize) -> Option<I256> {
        Some(I256::from_raw(self.uint(i)?))
    }

    /// Argument `i` as `address` (the upper 12 bytes must be zero).
    #[must_use]
    pub fn address(self, i: usize) -> Option<Address> {
        let word = self.word(i)?;
        let (padding, address) = word.split_at(12);
        padding.iter().all(|&b| b == 0).then(|| Address::from_slice(address))
    }

    /// Argument `i` as `bool` (0 or 1).
    #[must_use]
    pub fn boolean(self, i: usize) -> Option<bool> {
        let value = self.uint(i)?;
        (value <= U256::ONE).then(|| !value.is_zero())
    }

    /// Argument `i` as `uint8`.
    #[must_use]
    pub fn uint8(self, i: usize) -> Option<u8> {
        u8::try_from(self.uint(i)?).ok()
    }

    /// Argument `i` as `uint64`.
    #[must_use]
    pub fn uint64(self, i: usize) -> Option<u64> {
        u64::try_from(self.uint(i)?).ok()
    }
}

/// A value that is one ABI word.
pub trait Word {
    /// The 32-byte word as a `U256`.
    fn word(self) -> U256;
}

impl Word for U256 {
    fn word(self) -> U256 {
        self
    }
}

impl Word for I256 {
    fn word(self) -> U256 {
        self.into_raw()
    }
}

impl Word for u8 {
    fn word(self) -> U256 {
        U256::from(self)
    }
}

impl Word for u64 {
    fn word(self) -> U256 {
        U256::from(self)
    }
}

impl Word for bool {
    fn word(self) -> U256 {
        U256::from(u8::from(self))
    }
}

impl Word for Address {
    fn word(self) -> U256 {
        U256::from_be_bytes(self.into_word().0)
    }
}

/// A word read back as an `int256`.
#[must_use]
pub fn int(word: U256) -> I256 {
    I256::from_raw(word)
}

/// `words` ABI-encoded (each 32 bytes, big-endian): static return values, or the
/// data of a log. Not inlined: one copy serves every caller.
#[inline(never)]
#[must_use]
pub fn words(words: &[U256]) -> Vec<u8> {
    encode(&[], words)
}

/// `prefix ‖ words`: a call or custom error (`prefix` = selector) whose arguments
/// are all static. Not inlined: one copy serves every caller.
#[inline(never)]
#[must_use]
pub fn encode(prefix: &[u8], words: &[U256]) -> Vec<u8> {
    let mut data = Vec::with_capacity(words.len().saturating_mul(32).saturating_add(prefix.len()));
    data.extend_from_slice(prefix);
    for word in words {
        data.extend_from_slice(&word.to_be_bytes::<32>());
    }
    data
}

/// Fills `out` with the first words of `data`, or returns `Err(data)` when it is
/// too short (a callee's malformed answer, passed on as its revert data). Not
/// generic and not inlined: one copy serves every caller ([`read_words`] wraps it).
///
/// # Errors
/// `data` itself when shorter than `out`.
#[inline(never)]
pub fn read_into(data: Vec<u8>, out: &mut [U256]) -> Result<(), Vec<u8>> {
    for (i, word) in out.iter_mut().enumerate() {
        let start = i.saturating_mul(32);
        match data.get(start..start.saturating_add(32)) {
            Some(bytes) => *word = U256::from_be_slice(bytes),
            None => return Err(data),
        }
    }
    Ok(())
}

/// The first `N` words of `data` (see [`read_into`]).
///
/// # Errors
/// `data` itself when shorter than `N` words.
#[inline]
pub fn read_words<const N: usize>(data: Vec<u8>) -> Result<[U256; N], Vec<u8>> {
    let mut out = [U256::ZERO; N];
    read_into(data, &mut out)?;
    Ok(out)
}

/// Calls `selector(args…)` on `target` — a static call when `view` — and returns
/// at most `max_return` bytes of its return data, or of its revert data as the
/// error. A mutating call flushes the storage cache first. Not inlined: one copy
/// serves every call site.
///
/// The callers (the clearing house, its engine, the vAMM) never hold a storage
/// reference across a call, and no callee calls back into its caller (the Perp call
/// graph is one way; Stylus reverts re-entry anyway).
///
/// # Errors
/// The callee's revert data (bounded), unchanged.
#[inline(never)]
pub fn call(
    target: Address,
    selector: [u8; 4],
    args: &[U256],
    view: bool,
    max_return: usize,
) -> Result<Vec<u8>, Vec<u8>> {
    let data = encode(&selector, args);
    let raw = if view { RawCall::new_static() } else { RawCall::new().flush_storage_cache() };
    // SAFETY: see above — no storage reference is held across the call, the cache is
    // flushed before a mutating call, and the callee never re-enters the caller.
    let status = unsafe { raw.skip_return_data().call(target, &data) };
    // A bounded prefix: a return-data bomb cannot make the caller copy unbounded memory.
    let returned = strata_common::env::return_data_prefix(max_return);
    match status {
        Ok(_) => Ok(returned),
        Err(_) => Err(returned),
    }
}

/// Emits a log with the topics `topics` — the event's signature hash, then its
/// indexed fields, each one word (an `address` or a value type) — and the static
/// `data` words: the exact bytes alloy's `SolEvent` encoding gives, without an
/// encoder per event type. Not inlined: one copy serves every event. More than four
/// topics emit nothing (no event declares them).
#[inline(never)]
pub fn emit(topics: &[B256], data: &[U256]) {
    // At most four topics (checked by `raw_log`, which then emits nothing).
    #[allow(deprecated)]
    let _ = stylus_sdk::evm::raw_log(topics, &encode(&[], data));
}

/// An event's signature hash (its topic 0) as a word for [`emit`].
#[must_use]
pub const fn topic(hash: B256) -> U256 {
    U256::from_be_bytes(hash.0)
}

#[cfg(test)]
mod tests {
    use alloc::vec;

    use alloy_primitives::{address, uint};

    use super::*;

    #[test]
    fn the_reader_refuses_what_solidity_refuses() {
        let mut data = vec![0xaa, 0xbb, 0xcc, 0xdd];
        data.extend_from_slice(&U256::from(7).to_be_bytes::<32>());
        data.extend_from_slice(&U256::ONE.to_be_bytes::<32>());
        let (selector, args) = split(&data).unwrap();
        assert_eq!(selector, [0xaa, 0xbb, 0xcc, 0xdd]);
        assert_eq!(args.uint(0), Some(U256::from(7)));
        assert_eq!(args.uint8(0), Some(7));
        assert_eq!(args.uint64(0), Some(7));
        assert_eq!(args.boolean(1), Some(true));
        assert_eq!(args.boolean(0), None, "a bool must be 0 or 1");
        assert_eq!(args.uint(2), None, "past the end");
        assert_eq!(args.address(0), Some(Address::with_last_byte(7)));
        let big = encode(&[], &[U256::from(256), U256::MAX, uint!(1_U256) << 160]);
        let args = Args(&big);
        assert_eq!(args.uint8(0), None);
        assert_eq!(args.uint64(1), None);
        assert_eq!(args.int(1), Some(I256::MINUS_ONE));
        assert_eq!(args.address(2), None, "dirty address padding");
        assert!(split(&[1, 2, 3]).is_none());
    }

    #[test]
    fn words_round_trip() {
        let a = address!("00000000000000000000000000000000000000f0");
        let encoded = encode(&[1, 2, 3, 4], &[a.word(), I256::MINUS_ONE.word(), true.word()]);
        assert_eq!(encoded.len(), 4 + 96);
        let [x, y, z] = read_words::<3>(encoded.get(4..).unwrap().to_vec()).unwrap();
        assert_eq!(Args(&words(&[x])).address(0), Some(a));
        assert_eq!(int(y), I256::MINUS_ONE);
        assert_eq!(z, U256::ONE);
        assert_eq!(read_words::<2>(vec![0; 63]), Err(vec![0; 63]));
        assert_eq!(8u8.word(), U256::from(8));
        assert_eq!(9u64.word(), U256::from(9));
    }
}
