//! The hand-written ABI codec of size-constrained contracts: a strict reader, a word
//! encoder, and [`sol_functions!`](crate::sol_functions) to declare a contract's functions
//! once.
//!
//! # Why by hand (size)
//!
//! stylus-sdk's `#[public]` router monomorphises an ABI decoder and an encoder per
//! function signature (0.25–0.5 KiB of compressed WASM each), `sol_interface!` a call
//! binding per imported function, and `evm::log` an encoder per event type. Almost every
//! value a Strata contract exchanges is one 32-byte word (`uint*`, `int*`, `bool`,
//! `address`, `bytes4`, `bytes32`), plus a few `bytes` and word arrays. So one reader
//! ([`Args`]), one conversion ([`Word`]) and a handful of non-generic encoders
//! ([`encode`], [`encode_dynamic`], [`encode_values`]) serve every function, call, error
//! and event; [`crate::call`] and [`crate::log`] build on them.
//!
//! # Strictness
//!
//! [`Args`] is as strict as Solidity's decoder, and stricter where that costs nothing: data
//! too short for the value read, an `address` or `uintN` with dirty upper bits, an `intN`
//! that is not sign-extended, a `bool` other than 0 or 1, a `bytes4` with dirty lower
//! bytes, or a dynamic value whose offset is not a multiple of 32 or whose offset or length
//! points outside the data are all refused (`None`). A contract's router then reverts with
//! empty data, as the SDK's router does. Extra trailing data is ignored, as in Solidity. The
//! same reader decodes a callee's return data.
//!
//! # Writing a router
//!
//! ```ignore
//! pub mod abi {
//!     strata_common::sol_functions! {
//!         function setFee(uint256 fee) external;
//!         function fee() external view returns (uint256);
//!     }
//! }
//!
//! fn route(c: &mut Contract, calldata: &[u8]) -> ArbResult {
//!     let Some((selector, a)) = strata_common::abi::split(calldata) else {
//!         return Err(Vec::new());
//!     };
//!     let out: Option<Result<Vec<U256>, Error>> = (|| Some(match selector {
//!         abi::setFeeCall::SELECTOR => c.set_fee(a.uint(0)?).map(|()| vec![]),
//!         abi::feeCall::SELECTOR => Ok(vec![c.fee().word()]),
//!         _ => return None,
//!     }))();
//!     match out {
//!         None => Err(Vec::new()), // unknown selector or malformed arguments
//!         Some(Ok(words)) => Ok(strata_common::abi::words(&words)),
//!         Some(Err(e)) => Err(e.into()),
//!     }
//! }
//! ```
//!
//! A test per contract calls every declared function through the router and decodes the
//! answer with alloy, so the exported interface and the routing cannot drift apart.
//!
//! # Compiled where used
//!
//! Every function of this module, [`crate::call`], [`crate::log`] and [`crate::token`] is
//! either `#[inline]` or generic, so it is compiled into the contracts that call it and
//! never into `strata-common` itself. This matters for size: contracts are built with
//! `opt-level = "z"`, where rustc shares generic instances across crates, so a plain
//! function compiled in `strata-common` would make every contract that depends on it — even
//! one that never calls it — reuse `strata-common`'s copies of the std/alloy generics it
//! instantiates (`Vec<u8>` growth, `U256` byte conversions…), which changes those contracts'
//! code and size. The helpers that must stay out of line, one copy per contract
//! ([`encode`], [`read_into`], the raw call behind [`crate::call`], [`crate::log::emit`]),
//! are `#[inline]` wrappers around an `#[inline(never)]` body generic over an unused marker
//! type: it is instantiated by the first contract crate that calls it and shared from there.

use alloc::vec::Vec;

use alloy_primitives::{aliases::I24, Address, FixedBytes, Uint, B256, I256, U256};

/// Bytes in an ABI word.
pub const WORD: usize = 32;

/// Declares Solidity functions with `sol!` (their `…Call` types give the selectors a
/// router matches and the encoders tests use) and records their declarations in
/// `pub const FUNCTIONS_ABI: &[&str]` for the exported interface — one source for both.
///
/// ```ignore
/// pub mod abi {
///     #![allow(missing_docs)]
///     strata_common::sol_functions! {
///         function balanceOf(address account) external view returns (uint256);
///         function transfer(address to, uint256 value) external returns (bool);
///     }
/// }
/// // abi::balanceOfCall::SELECTOR, abi::FUNCTIONS_ABI
/// ```
///
/// Every function must be `external`; `returns (…)` is optional. The calling crate must
/// depend on `alloy-sol-types`.
#[macro_export]
macro_rules! sol_functions {
    ($( function $name:ident ( $($args:tt)* ) $($modifier:ident)* $(( $($ret:tt)* ))? ; )*) => {
        ::alloy_sol_types::sol! {
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

/// Splits calldata into its selector and arguments (`None` when shorter than a selector).
#[inline]
#[must_use]
pub fn split(calldata: &[u8]) -> Option<([u8; 4], Args<'_>)> {
    let (selector, args) = calldata.split_first_chunk::<4>()?;
    Some((*selector, Args(args)))
}

/// ABI-encoded values read strictly: a call's arguments (after the selector) or a call's
/// return data. Value `i` is head word `i`; a dynamic value's head word is the offset of its
/// `length ‖ contents` from the start of the data. Every reader returns `None` for data the
/// ABI does not allow (see the [module docs](self)).
#[derive(Clone, Copy)]
pub struct Args<'a>(pub &'a [u8]);

impl<'a> Args<'a> {
    /// The 32 bytes at byte `offset`.
    #[inline]
    fn at(self, offset: usize) -> Option<&'a [u8; 32]> {
        self.0.get(offset..)?.first_chunk::<32>()
    }

    /// Head word `i` as raw bytes.
    #[inline]
    #[must_use]
    pub fn word(self, i: usize) -> Option<&'a [u8; 32]> {
        self.at(i.checked_mul(WORD)?)
    }

    /// Value `i` as `uint256` (every word is one).
    #[inline]
    #[must_use]
    pub fn uint(self, i: usize) -> Option<U256> {
        Some(U256::from_be_bytes(*self.word(i)?))
    }

    /// Value `i` as `int256` (every word is one).
    #[inline]
    #[must_use]
    pub fn int(self, i: usize) -> Option<I256> {
        Some(I256::from_raw(self.uint(i)?))
    }

    /// Value `i` as a `uint<bits>` (the bits above `bits` must be zero).
    #[must_use]
    #[inline]
    pub fn uint_bits(self, i: usize, bits: usize) -> Option<U256> {
        let value = self.uint(i)?;
        (value.bit_len() <= bits).then_some(value)
    }

    /// Value `i` as an `int<bits>` (sign-extended from bit `bits - 1`), `1 <= bits <= 256`.
    #[must_use]
    #[inline]
    pub fn int_bits(self, i: usize, bits: usize) -> Option<I256> {
        let value = self.int(i)?;
        if bits >= 256 {
            return Some(value);
        }
        // -2^(bits-1) <= value < 2^(bits-1)
        let bound = I256::from_raw(U256::ONE.wrapping_shl(bits.saturating_sub(1)));
        (value >= bound.wrapping_neg() && value < bound).then_some(value)
    }

    /// Value `i` as `uint8`.
    #[inline]
    #[must_use]
    pub fn uint8(self, i: usize) -> Option<u8> {
        u8::try_from(self.uint(i)?).ok()
    }

    /// Value `i` as `uint24` (in a `u32`).
    #[inline]
    #[must_use]
    pub fn uint24(self, i: usize) -> Option<u32> {
        Some(self.uint_bits(i, 24)?.to::<u32>())
    }

    /// Value `i` as `uint64`.
    #[inline]
    #[must_use]
    pub fn uint64(self, i: usize) -> Option<u64> {
        u64::try_from(self.uint(i)?).ok()
    }

    /// Value `i` as `uint128`.
    #[inline]
    #[must_use]
    pub fn uint128(self, i: usize) -> Option<u128> {
        u128::try_from(self.uint(i)?).ok()
    }

    /// Value `i` as `int24` (in an `i32`).
    #[inline]
    #[must_use]
    pub fn int24(self, i: usize) -> Option<i32> {
        // In range by the check, so the low 32 bits are the value.
        Some(self.int_bits(i, 24)?.as_i32())
    }

    /// Value `i` as `address` (the upper 12 bytes must be zero).
    #[inline]
    #[must_use]
    pub fn address(self, i: usize) -> Option<Address> {
        address_of(self.word(i)?)
    }

    /// Value `i` as `bool` (0 or 1).
    #[must_use]
    #[inline]
    pub fn boolean(self, i: usize) -> Option<bool> {
        let value = self.uint(i)?;
        (value <= U256::ONE).then(|| !value.is_zero())
    }

    /// Value `i` as `bytes4` (the lower 28 bytes must be zero).
    #[must_use]
    #[inline]
    pub fn bytes4(self, i: usize) -> Option<FixedBytes<4>> {
        let (selector, padding) = self.word(i)?.split_at(4);
        padding.iter().all(|&b| b == 0).then(|| FixedBytes::from_slice(selector))
    }

    /// Value `i` as `bytes32`.
    #[inline]
    #[must_use]
    pub fn bytes32(self, i: usize) -> Option<B256> {
        Some(B256::from(*self.word(i)?))
    }

    /// Every whole word of the data, in order (a trailing partial word is ignored): a
    /// trusted callee's static answer, read by position.
    #[must_use]
    #[inline]
    pub fn words(self) -> Vec<U256> {
        self.0.chunks_exact(WORD).map(U256::from_be_slice).collect()
    }

    /// The `length ‖ contents` of dynamic value `i`: the byte offset of its contents and
    /// its length. The offset must be a multiple of 32 and the length word in bounds.
    #[inline]
    fn tail(self, i: usize) -> Option<(usize, usize)> {
        let offset = usize::try_from(self.uint(i)?).ok()?;
        if offset % WORD != 0 {
            return None;
        }
        let length = usize::try_from(U256::from_be_bytes(*self.at(offset)?)).ok()?;
        Some((offset.checked_add(WORD)?, length))
    }

    /// Value `i` as dynamic `bytes` (contents in bounds; their padding is not checked).
    #[must_use]
    #[inline]
    pub fn bytes(self, i: usize) -> Option<&'a [u8]> {
        let (start, length) = self.tail(i)?;
        self.0.get(start..start.checked_add(length)?)
    }

    /// Value `i` as `uint256[]` (or any array of one-word values, unchecked).
    #[must_use]
    #[inline]
    pub fn uint_array(self, i: usize) -> Option<Vec<U256>> {
        let (start, length) = self.tail(i)?;
        let data = self.0.get(start..start.checked_add(length.checked_mul(WORD)?)?)?;
        Some(data.chunks_exact(WORD).map(U256::from_be_slice).collect())
    }

    /// Value `i` as `address[]` (every element's upper 12 bytes must be zero).
    #[inline]
    #[must_use]
    pub fn address_array(self, i: usize) -> Option<Vec<Address>> {
        let (start, length) = self.tail(i)?;
        let data = self.0.get(start..start.checked_add(length.checked_mul(WORD)?)?)?;
        data.chunks_exact(WORD).map(|word| address_of(word.first_chunk::<32>()?)).collect()
    }
}

/// A word as an `address`, when its upper 12 bytes are zero.
#[inline]
fn address_of(word: &[u8; 32]) -> Option<Address> {
    let (padding, address) = word.split_at(12);
    padding.iter().all(|&b| b == 0).then(|| Address::from_slice(address))
}

/// A word as an `address`, when its upper 12 bytes are zero.
#[must_use]
#[inline]
pub fn word_address(word: U256) -> Option<Address> {
    (word.bit_len() <= 160).then(|| Address::from_word(B256::from(word)))
}

/// A value that is one ABI word.
pub trait Word {
    /// The value's 32-byte ABI encoding as a `U256`: integers zero- or sign-extended,
    /// `address` right-aligned, `bytesN` left-aligned.
    fn word(self) -> U256;
}

impl<const BITS: usize, const LIMBS: usize> Word for Uint<BITS, LIMBS> {
    /// Zero-extended (`uint8` … `uint256` as alloy's `Uint` types).
    #[inline]
    fn word(self) -> U256 {
        U256::saturating_from(self)
    }
}

impl Word for I256 {
    #[inline]
    fn word(self) -> U256 {
        self.into_raw()
    }
}

macro_rules! unsigned_words {
    ($($t:ty),*) => {$(
        impl Word for $t {
            #[inline]
            fn word(self) -> U256 {
                U256::from(self)
            }
        }
    )*};
}
unsigned_words!(u8, u16, u32, u64, u128, usize);

impl Word for i32 {
    /// Sign-extended (`int24`, `int32`).
    #[inline]
    fn word(self) -> U256 {
        I256::try_from(self).unwrap_or_default().into_raw()
    }
}

impl Word for I24 {
    #[inline]
    fn word(self) -> U256 {
        self.as_i32().word()
    }
}

impl Word for bool {
    #[inline]
    fn word(self) -> U256 {
        U256::from(u8::from(self))
    }
}

impl Word for Address {
    #[inline]
    fn word(self) -> U256 {
        U256::from_be_slice(self.as_slice())
    }
}

impl Word for B256 {
    #[inline]
    fn word(self) -> U256 {
        U256::from_be_bytes(self.0)
    }
}

impl Word for FixedBytes<4> {
    /// Left-aligned, as `bytes4` is encoded.
    #[inline]
    fn word(self) -> U256 {
        U256::from_be_bytes(B256::right_padding_from(self.as_slice()).0)
    }
}

/// A word read back as an `int256`.
#[inline]
#[must_use]
pub fn int(word: U256) -> I256 {
    I256::from_raw(word)
}

/// `prefix ‖ words`: a call or a custom error (`prefix` = selector) whose arguments are
/// all one word, or static return values and log data (`prefix` empty). Out of line: one
/// copy serves every caller (see [Compiled where used](self#compiled-where-used)).
#[inline]
#[must_use]
pub fn encode(prefix: &[u8], words: &[U256]) -> Vec<u8> {
    encode_once::<()>(prefix, words)
}

/// The body of [`encode`], instantiated in the contract that uses it.
#[allow(
    clippy::extra_unused_type_parameters,
    reason = "the marker makes the body generic, so it is compiled in the calling contract"
)]
#[inline(never)]
fn encode_once<Here>(prefix: &[u8], words: &[U256]) -> Vec<u8> {
    let mut data =
        Vec::with_capacity(words.len().saturating_mul(WORD).saturating_add(prefix.len()));
    data.extend_from_slice(prefix);
    for word in words {
        data.extend_from_slice(&word.to_be_bytes::<32>());
    }
    data
}

/// `words` ABI-encoded: static return values or log data.
#[inline]
#[must_use]
pub fn words(words: &[U256]) -> Vec<u8> {
    encode(&[], words)
}

/// `head` words, then `tail` bytes zero-padded to a whole word: a single `bytes` or
/// `string` (head `[32, tail.len()]`), or calldata ending in one (prefix the selector).
#[must_use]
#[inline]
pub fn encode_dynamic(prefix: &[u8], head: &[U256], tail: &[u8]) -> Vec<u8> {
    let mut out = encode(prefix, head);
    out.extend_from_slice(tail);
    // Pad to a multiple of 32: (-len) mod 32 zero bytes.
    out.resize(out.len().saturating_add(tail.len().wrapping_neg() % WORD), 0);
    out
}

/// The encoding of a single `bytes` or `string` value (a return value or log data).
#[must_use]
#[inline]
pub fn encode_bytes(value: &[u8]) -> Vec<u8> {
    encode_dynamic(&[], &[U256::from(WORD), U256::from(value.len())], value)
}

/// One ABI value for [`encode_values`]: a word, or a dynamic array of one-word values
/// (`uint256[]`, `address[]`, …).
#[derive(Clone, Copy)]
pub enum Value<'a> {
    /// A static value: its word.
    Word(U256),
    /// A dynamic array: its elements' words.
    Array(&'a [U256]),
}

/// `prefix ‖ values`: words and word arrays in ABI order — an array's head word is the
/// offset of its `length ‖ elements` in the tail. Return values such as
/// `(address[], uint256[])`, or calldata like `joinPool(uint256, uint256[])` (`prefix` =
/// selector).
#[must_use]
#[inline]
pub fn encode_values(prefix: &[u8], values: &[Value<'_>]) -> Vec<u8> {
    let mut words = Vec::new();
    // Offsets are counted from the start of the values (after any selector).
    let mut offset = values.len().saturating_mul(WORD);
    for value in values {
        words.push(match *value {
            Value::Word(word) => word,
            Value::Array(items) => {
                let at = offset;
                offset = offset.saturating_add(items.len().saturating_add(1).saturating_mul(WORD));
                U256::from(at)
            }
        });
    }
    for value in values {
        if let Value::Array(items) = *value {
            words.push(U256::from(items.len()));
            words.extend_from_slice(items);
        }
    }
    encode(prefix, &words)
}

/// Fills `out` with the first words of `data`, or returns `Err(data)` when it is too short
/// (a callee's malformed answer, passed on as its revert data). Out of line and not generic
/// over the length: one copy serves every caller ([`read_words`] wraps it).
///
/// # Errors
/// `data` itself when shorter than `out`.
#[inline]
pub fn read_into(data: Vec<u8>, out: &mut [U256]) -> Result<(), Vec<u8>> {
    read_into_once::<()>(data, out)
}

/// The body of [`read_into`], instantiated in the contract that uses it.
#[allow(
    clippy::extra_unused_type_parameters,
    reason = "the marker makes the body generic, so it is compiled in the calling contract"
)]
#[inline(never)]
fn read_into_once<Here>(data: Vec<u8>, out: &mut [U256]) -> Result<(), Vec<u8>> {
    for (i, word) in out.iter_mut().enumerate() {
        match Args(&data).uint(i) {
            Some(value) => *word = value,
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

/// The selector of the custom error in revert data (zero when the data is shorter).
#[must_use]
#[inline]
pub fn selector_of(revert: &[u8]) -> FixedBytes<4> {
    FixedBytes(revert.first_chunk::<4>().copied().unwrap_or_default())
}

/// Declares a contract's `Error` enum over `sol!` error types and its ABI encoding by hand:
/// each variant encodes as its selector and one [`Word`] per field through [`encode`] (one
/// encoder for every error, instead of alloy's per type), and `ERROR_SIGNATURES` lists the
/// Solidity signatures for the exported interface. With `bubble Name;` first, a variant
/// `Name(Vec<u8>)` carries a callee's revert data, encoded unchanged (bubbled up as Solidity
/// does).
///
/// ```ignore
/// alloy_sol_types::sol! {
///     #[derive(Debug, PartialEq, Eq)]
///     error PoolNotOwner(uint256 id, address caller);
///     #[derive(Debug, PartialEq, Eq)]
///     error PoolZeroAmount();
/// }
/// strata_common::abi_errors! {
///     bubble Callee;
///     NotOwner(PoolNotOwner { id, caller }),
///     ZeroAmount(PoolZeroAmount {}),
/// }
/// ```
///
/// Every field's type must implement [`Word`]; the calling crate must depend on
/// `alloy-sol-types`. A test per contract checks the encodings against alloy's.
#[macro_export]
macro_rules! abi_errors {
    ($( $variant:ident($ty:ident { $($field:ident),* }) ),* $(,)?) => {
        $crate::abi_errors!(@define [] $( $variant($ty { $($field),* }) ),*);
    };
    (bubble $raw:ident; $( $variant:ident($ty:ident { $($field:ident),* }) ),* $(,)?) => {
        $crate::abi_errors!(@define [$raw] $( $variant($ty { $($field),* }) ),*);
    };
    (@define [$($raw:ident)?] $( $variant:ident($ty:ident { $($field:ident),* }) ),*) => {
        /// Errors of the contract.
        #[derive(Debug, PartialEq, Eq)]
        pub enum Error {
            $(
                #[doc = concat!("See [`", stringify!($ty), "`].")]
                $variant($ty),
            )*
            $(
                /// A callee reverted with this data, bubbled up unchanged as Solidity does:
                /// decode it with the callee's interface.
                $raw(::alloc::vec::Vec<u8>),
            )?
        }

        impl From<Error> for ::alloc::vec::Vec<u8> {
            #[allow(unused_variables)]
            fn from(err: Error) -> ::alloc::vec::Vec<u8> {
                match err {
                    $( Error::$variant(e) => $crate::abi::encode(
                        &<$ty as ::alloy_sol_types::SolError>::SELECTOR,
                        &[$( $crate::abi::Word::word(e.$field) ),*],
                    ), )*
                    $( Error::$raw(data) => data, )?
                }
            }
        }

        /// Solidity signatures of the contract's errors, for the exported interface.
        pub const ERROR_SIGNATURES: &[&str] =
            &[$( <$ty as ::alloy_sol_types::SolError>::SIGNATURE ),*];
    };
}

#[cfg(test)]
mod tests;
