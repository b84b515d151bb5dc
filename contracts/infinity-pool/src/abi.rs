//! Compact ABI for the Infinity contracts.
//!
//! This file is compiled into both the pool and the swapper manager (the manager mounts it
//! with `#[path]`): one source, and no crate boundary, which measured 0.4 KiB larger. Each
//! contract uses a subset of it.
//!
//! The Infinity pool and swapper manager take and return static ABI types (one 32-byte word
//! each) and a few `uint256[]`. Decoding and encoding words with the shared functions of this
//! module, instead of `alloy`'s per-signature generated code, is what keeps those contracts
//! under the 24 KiB Stylus limit: the SDK's generated router costs about 0.25 KiB of
//! compressed WASM per function, and each `sol_interface!` call site about as much. The rules
//! are the ABI's: a word that does not hold a valid value of its type (an address with high
//! bits set, an integer that is not sign-extended, a `bool` other than 0 or 1) is rejected, and
//! the contracts revert with empty data, as the SDK's decoder does. The contracts' tests check
//! every routed selector against the exported interface and decode the data with `alloy`.

#![allow(dead_code)]

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, I256, U256};
use stylus_sdk::call::RawCall;

/// Decoded word `i` of `data` (after the selector), or `None` past the end.
#[inline]
pub fn word(data: &[u8], i: usize) -> Option<U256> {
    let start = i.checked_mul(32)?;
    let bytes = data.get(start..start.checked_add(32)?)?;
    Some(U256::from_be_slice(bytes))
}

/// Word `i` as an unsigned integer of `bits` bits (the rest must be zero).
#[inline]
pub fn uint(data: &[u8], i: usize, bits: usize) -> Option<U256> {
    let w = word(data, i)?;
    (w.bit_len() <= bits).then_some(w)
}

/// Word `i` as a signed integer of `bits` bits (it must be sign-extended).
#[inline]
pub fn int(data: &[u8], i: usize, bits: usize) -> Option<I256> {
    let w = I256::from_raw(word(data, i)?);
    let bound = I256::from_raw(U256::ONE.wrapping_shl(bits.saturating_sub(1)));
    (w >= bound.wrapping_neg() && w < bound).then_some(w)
}

/// Word `i` as an `int24` (a bin or tick).
#[inline]
pub fn int24(data: &[u8], i: usize) -> Option<i32> {
    // In range by the check, so the low 32 bits are the value.
    int(data, i, 24).and_then(|v| i32::try_from(v).ok())
}

/// Word `i` as an `address`.
#[inline]
pub fn address(data: &[u8], i: usize) -> Option<Address> {
    uint(data, i, 160).map(|w| Address::from_word(B256::from(w)))
}

/// Word `i` as a `bool`.
#[inline]
pub fn boolean(data: &[u8], i: usize) -> Option<bool> {
    match uint(data, i, 1)? {
        w if w.is_zero() => Some(false),
        _ => Some(true),
    }
}

/// The dynamic `uint256[]` whose offset is word `i`.
pub fn array(data: &[u8], i: usize) -> Option<Vec<U256>> {
    let offset = usize::try_from(word(data, i)?).ok()?;
    if offset % 32 != 0 {
        return None;
    }
    let head = offset / 32;
    let len = usize::try_from(word(data, head)?).ok()?;
    let mut out = Vec::with_capacity(len.min(64));
    for k in 0..len {
        out.push(word(data, head.checked_add(1)?.checked_add(k)?)?);
    }
    Some(out)
}

/// An address as an ABI word.
#[inline]
pub fn addr(a: Address) -> U256 {
    U256::from_be_slice(a.as_slice())
}

/// A small signed integer as an ABI word (sign-extended).
#[inline]
pub fn sint(x: i32) -> U256 {
    I256::try_from(x).unwrap_or_default().into_raw()
}

/// A bool as an ABI word.
#[inline]
pub fn flag(b: bool) -> U256 {
    U256::from(u8::from(b))
}

/// Concatenates words: the encoding of a tuple of static values.
#[inline(never)]
pub fn words(values: &[U256]) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.len().saturating_mul(32));
    for w in values {
        out.extend_from_slice(&w.to_be_bytes::<32>());
    }
    out
}

/// The encoding of a single `uint256[]` return value.
pub fn words_array(values: &[U256]) -> Vec<u8> {
    let mut head = words(&[U256::from(32), U256::from(values.len())]);
    head.extend_from_slice(&words(values));
    head
}

/// `selector ‖ words`: calldata, or the revert data of a custom error with static fields.
#[inline(never)]
pub fn encode(selector: [u8; 4], values: &[U256]) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.len().saturating_mul(32).saturating_add(4));
    out.extend_from_slice(&selector);
    out.extend_from_slice(&words(values));
    out
}

/// Emits a log with topic0 `signature`, the `indexed` topics and the static `data` words.
#[inline(never)]
pub fn log(signature: B256, indexed: &[U256], data: &[U256]) {
    let mut all = Vec::with_capacity(indexed.len().saturating_add(1));
    all.push(signature);
    all.extend(indexed.iter().map(|t| B256::from(*t)));
    // The log hook only fails for more than four topics; every event here has at most three.
    #[allow(deprecated)]
    let _ = stylus_sdk::evm::raw_log(&all, &words(data));
}

/// First four bytes of `keccak256(signature)`, at compile time.
pub const fn selector(signature: &str) -> u32 {
    let digest = stylus_sdk::keccak_const::Keccak256::new().update(signature.as_bytes()).finalize();
    u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}

/// A static call to `target` with `data`: the return data.
///
/// # Errors
/// The callee's revert data when it reverts.
pub fn static_call(target: Address, data: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    // SAFETY: a static call cannot modify state; the callees (pool views, math library) do not
    // call back.
    #[allow(deprecated)]
    unsafe {
        RawCall::new_static().call(target, data)
    }
}

/// A call to `target` with `data`, after flushing this contract's storage cache: the return
/// data.
///
/// # Errors
/// The callee's revert data when it reverts.
pub fn call(target: Address, data: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    // SAFETY: the callee (the pool) never calls back into its caller; the cache is flushed so
    // any reader sees this contract's latest state.
    #[allow(deprecated)]
    unsafe {
        RawCall::new().flush_storage_cache().call(target, data)
    }
}

/// The words of return data (a trailing partial word is ignored).
pub fn decode_words(data: &[u8]) -> Vec<U256> {
    (0..data.len() / 32).filter_map(|i| word(data, i)).collect()
}

/// Declares a contract's `Error` enum from `Variant(SolErrorType { field: to_word, .. })`
/// entries, encodes each variant as `selector ‖ words` with [`encode`], and lists the Solidity
/// signatures in `ERROR_SIGNATURES` for the exported interface.
#[macro_export]
macro_rules! errors {
    ($( $variant:ident($ty:ident { $($field:ident : $conv:path),* }) ),* $(,)?) => {
        errors!(@define [] $( $variant($ty { $($field : $conv),* }) ),*);
    };
    (bubble $raw:ident; $( $variant:ident($ty:ident { $($field:ident : $conv:path),* }) ),* $(,)?) => {
        errors!(@define [$raw] $( $variant($ty { $($field : $conv),* }) ),*);
    };
    (@define [$($raw:ident)?] $( $variant:ident($ty:ident { $($field:ident : $conv:path),* }) ),*) => {
        /// Errors of the contract.
        #[derive(Debug, PartialEq, Eq)]
        pub enum Error {
            $(
                #[doc = concat!("See [`", stringify!($ty), "`].")]
                $variant($ty),
            )*
            $(
                /// A callee (the pool or the math library) reverted with this data, bubbled up
                /// unchanged as Solidity does: decode it with the callee's interface.
                $raw(alloc::vec::Vec<u8>),
            )?
        }

        impl From<Error> for alloc::vec::Vec<u8> {
            #[allow(unused_variables)]
            fn from(err: Error) -> alloc::vec::Vec<u8> {
                match err {
                    $( Error::$variant(e) => $crate::abi::encode(
                        <$ty as alloy_sol_types::SolError>::SELECTOR,
                        &[$( $conv(e.$field) ),*],
                    ), )*
                    $( Error::$raw(data) => data, )?
                }
            }
        }

        /// Solidity signatures of the contract's errors, for the exported interface.
        pub const ERROR_SIGNATURES: &[&str] =
            &[$( <$ty as alloy_sol_types::SolError>::SIGNATURE ),*];
    };
}

/// Converts any unsigned integer type to an ABI word.
#[inline]
pub fn word_u<T>(x: T) -> U256
where
    U256: alloy_primitives::ruint::UintTryFrom<T>,
{
    U256::saturating_from(x)
}

/// An `int24` as an ABI word.
#[inline]
pub fn word_i24(x: alloy_primitives::aliases::I24) -> U256 {
    sint(x.as_i32())
}
