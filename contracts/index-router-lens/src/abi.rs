//! The lens's ABI: its functions' Solidity declarations (one source for the selectors and
//! the exported interface), a strict reader for their arguments, and encoders for results
//! and outgoing calls.
//!
//! The contract decodes calldata here instead of through the SDK's `#[public]` router, which
//! monomorphises a decoder and an encoder per function (0.25–0.5 KiB of compressed WASM
//! each, several more for the dynamic arrays). Arguments are words, `address[]` and
//! `uint256[]`. The reader is as strict as Solidity's decoder: too-short calldata, an address
//! with dirty padding, a `bool` other than 0 or 1, or an array whose offset or length points
//! outside the calldata are refused, and the call reverts with empty data, as the SDK's
//! router does.

use alloc::vec::Vec;

use stylus_sdk::alloy_primitives::{Address, FixedBytes, U256};

/// Declares Solidity functions with `sol!` (for their selectors) and records their
/// declarations in `pub const FUNCTIONS_ABI: &[&str]` for the exported interface.
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

/// Every external function of `IndexRouterLens`.
pub mod functions {
    #![allow(missing_docs, clippy::pub_underscore_fields)]
    sol_functions! {
        function quoteJoinWithToken(address pool, address tokenIn, uint256 amountIn) external view returns (uint256 poolAmountOut);
        function quoteExitToToken(address pool, uint256 poolAmountIn, address tokenOut) external view returns (uint256 amountOut);
        function quoteJoinAll(address pool, uint256 poolAmountOut) external view returns (address[] memory tokens, uint256[] memory amountsIn);
        function quoteExitAll(address pool, uint256 poolAmountIn) external view returns (address[] memory tokens, uint256[] memory amountsOut);
        function quoteSwapExactIn(address[] calldata pools, address[] calldata path, uint256 amountIn) external view returns (uint256 amountOut);
        function quoteSwapExactOut(address[] calldata pools, address[] calldata path, uint256 amountOut) external view returns (uint256 amountIn);
        function resolve(address pool, address token) external view returns (address poolToken);
        function planRoute(address[] calldata pools, address[] calldata path) external view returns (address[] memory poolTokens);
        function planJoinAll(address pool, uint256 poolAmountOut) external view returns (address[] memory poolTokens, uint256[] memory poolAmounts, address[] memory tokens, uint256[] memory amountsIn);
        function planSwapExactOut(address[] calldata pools, address[] calldata path, uint256 amountOut) external view returns (address[] memory poolTokens, uint256[] memory amounts);
        function wrapperUnderlying(address token) external view returns (address);
    }
}

/// Splits calldata into its selector and arguments.
pub fn split_selector(calldata: &[u8]) -> Option<([u8; 4], Args<'_>)> {
    let (selector, args) = calldata.split_first_chunk::<4>()?;
    Some((*selector, Args(args)))
}

/// ABI-encoded arguments (after the selector), read strictly.
#[derive(Clone, Copy)]
pub struct Args<'a>(pub &'a [u8]);

impl<'a> Args<'a> {
    fn word_at(self, offset: usize) -> Option<&'a [u8; 32]> {
        self.0.get(offset..)?.first_chunk::<32>()
    }

    fn usize_at(self, offset: usize) -> Option<usize> {
        usize::try_from(U256::from_be_bytes(*self.word_at(offset)?)).ok()
    }

    /// Argument `i` as `uint256`.
    pub fn uint(self, i: usize) -> Option<U256> {
        Some(U256::from_be_bytes(*self.word_at(i.checked_mul(32)?)?))
    }

    /// Argument `i` as `address` (the upper 12 bytes must be zero).
    pub fn address(self, i: usize) -> Option<Address> {
        word_address(self.uint(i)?)
    }

    /// Argument `i` as `bool` (0 or 1).
    pub fn boolean(self, i: usize) -> Option<bool> {
        let value = self.uint(i)?;
        (value <= U256::ONE).then(|| !value.is_zero())
    }

    /// Argument `i` as `uint256[]`: its head word is the offset of `length ++ words`.
    pub fn uint_array(self, i: usize) -> Option<Vec<U256>> {
        let offset = self.usize_at(i.checked_mul(32)?)?;
        let length = self.usize_at(offset)?;
        let start = offset.checked_add(32)?;
        let data = self.0.get(start..start.checked_add(length.checked_mul(32)?)?)?;
        Some(data.chunks_exact(32).map(U256::from_be_slice).collect())
    }

    /// Argument `i` as `address[]`.
    pub fn address_array(self, i: usize) -> Option<Vec<Address>> {
        self.uint_array(i)?.into_iter().map(word_address).collect()
    }
}

/// A word as an address, when its upper 12 bytes are zero.
pub fn word_address(word: U256) -> Option<Address> {
    (word.bit_len() <= 160).then(|| Address::from_word(FixedBytes(word.to_be_bytes::<32>())))
}

/// An address as an ABI word.
pub fn address_word(address: Address) -> U256 {
    U256::from_be_slice(address.as_slice())
}

/// Appends `words` to `out`.
pub fn put_words(out: &mut Vec<u8>, words: &[U256]) {
    for word in words {
        out.extend_from_slice(&word.to_be_bytes::<32>());
    }
}

/// ABI-encodes static values, one word each.
pub fn encode_words(words: &[U256]) -> Vec<u8> {
    let mut out = Vec::with_capacity(words.len().saturating_mul(32));
    put_words(&mut out, words);
    out
}

/// ABI-encodes dynamic word arrays as the return values (or arguments after `head`) of a
/// function: the head words, one offset per array, then each array's length and items.
pub fn encode_with_arrays(head: &[U256], arrays: &[&[U256]]) -> Vec<u8> {
    let mut out = encode_words(head);
    // Offsets are counted from the start of the argument block.
    let mut offset = head.len().saturating_add(arrays.len()).saturating_mul(32);
    for array in arrays {
        put_words(&mut out, &[U256::from(offset)]);
        offset = offset.saturating_add(array.len().saturating_add(1).saturating_mul(32));
    }
    for array in arrays {
        put_words(&mut out, &[U256::from(array.len())]);
        put_words(&mut out, array);
    }
    out
}
