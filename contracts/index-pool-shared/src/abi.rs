//! The ABI of the pool's delegated functions: their Solidity declarations (one source for
//! the selectors and the exported interface) and a strict reader for their arguments.
//!
//! The pool's parts decode calldata here instead of through the SDK's `#[public]` router: the router monomorphises a decoder and encoder per function
//! signature (about 0.5 KiB of compressed WASM per function), which would not fit the size
//! limit. Every argument is one 32-byte word except `bytes` and `uint256[]`, so the reader
//! is small. It is as strict as Solidity's decoder: too-short calldata, an address or
//! `bytes4` with dirty padding, a `bool` other than 0 or 1, or a dynamic argument whose
//! offset or length points outside the calldata are refused, and the call reverts with empty
//! data, as the SDK's router does.

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

/// Functions served by `IndexPool` itself: the ERC-20 share, `gulp`, and the views that need
/// no weight math.
pub mod core {
    #![allow(missing_docs)]
    sol_functions! {
        function name() external view returns (string memory);
        function symbol() external view returns (string memory);
        function decimals() external view returns (uint8);
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function approve(address spender, uint256 value) external returns (bool);
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function getCurrentTokens() external view returns (address[] memory);
        function getBalance(address token) external view returns (uint256);
        function getSwapFee() external view returns (uint256);
        function getController() external view returns (address);
        function gulp(address token) external;
        function getCommunityFees() external view returns (uint256 swapFee, uint256 joinFee, uint256 exitFee, address receiver);
        function getWeightPerSecondBounds() external view returns (uint256 minWeightPerSecond, uint256 maxWeightPerSecond);
        function getImplementations() external view returns (address swaps, address liquidity, address admin, address math);
        function isBound(address token) external view returns (bool);
        function isFinalized() external view returns (bool);
        function isSwapsDisabled() external view returns (bool);
        function isWithoutFee(address account) external view returns (bool);
        function isVotingAllowed(address target, bytes4 selector) external view returns (bool);
    }
}

/// Functions of `IndexPoolSwaps`: the swaps, and the weight and price views.
pub mod swaps {
    #![allow(missing_docs)]
    sol_functions! {
        function swapExactAmountIn(address tokenIn, uint256 tokenAmountIn, address tokenOut, uint256 minAmountOut, uint256 maxPrice) external returns (uint256 tokenAmountOut, uint256 spotPriceAfter);
        function swapExactAmountOut(address tokenIn, uint256 maxAmountIn, address tokenOut, uint256 tokenAmountOut, uint256 maxPrice) external returns (uint256 tokenAmountIn, uint256 spotPriceAfter);
        function getDenormalizedWeight(address token) external view returns (uint256);
        function getTotalDenormalizedWeight() external view returns (uint256);
        function getNormalizedWeight(address token) external view returns (uint256);
        function getDynamicWeightSettings(address token) external view returns (uint256 fromTimestamp, uint256 targetTimestamp, uint256 fromWeight, uint256 targetWeight);
        function getSpotPrice(address tokenIn, address tokenOut) external view returns (uint256);
    }
}

/// Functions of `IndexPoolLiquidity`: joins and exits.
pub mod liquidity {
    #![allow(missing_docs)]
    sol_functions! {
        function joinPool(uint256 poolAmountOut, uint256[] calldata maxAmountsIn) external;
        function exitPool(uint256 poolAmountIn, uint256[] calldata minAmountsOut) external;
        function joinswapExternAmountIn(address tokenIn, uint256 tokenAmountIn, uint256 minPoolAmountOut) external returns (uint256 poolAmountOut);
        function joinswapPoolAmountOut(address tokenIn, uint256 poolAmountOut, uint256 maxAmountIn) external returns (uint256 tokenAmountIn);
        function exitswapPoolAmountIn(address tokenOut, uint256 poolAmountIn, uint256 minAmountOut) external returns (uint256 tokenAmountOut);
        function exitswapExternAmountOut(address tokenOut, uint256 tokenAmountOut, uint256 maxPoolAmountIn) external returns (uint256 poolAmountIn);
    }
}

/// Functions of `IndexPoolAdmin`: the controller functions.
pub mod admin {
    #![allow(missing_docs)]
    sol_functions! {
        function bind(address token, uint256 balance, uint256 targetWeight, uint256 fromTimestamp, uint256 targetTimestamp) external;
        function unbind(address token) external;
        function finalize() external;
        function setDynamicWeight(address token, uint256 targetWeight, uint256 fromTimestamp, uint256 targetTimestamp) external;
        function setWeightPerSecondBounds(uint256 minWeightPerSecond, uint256 maxWeightPerSecond) external;
        function setSwapFee(uint256 swapFee) external;
        function setCommunityFeesAndReceiver(uint256 swapFee, uint256 joinFee, uint256 exitFee, address receiver) external;
        function setController(address controller) external;
        function setSwapsDisabled(bool disabled) external;
        function setWithoutFee(address account, bool withoutFee) external;
        function callVoting(address target, bytes4 selector, bytes calldata args, uint256 value) external payable;
        function setVotingAllowed(address target, bytes4 selector, bool allowed) external;
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
    /// The 32-byte word at `offset` bytes.
    fn word_at(self, offset: usize) -> Option<&'a [u8; 32]> {
        self.0.get(offset..)?.first_chunk::<32>()
    }

    /// Head word `i`.
    fn word(self, i: usize) -> Option<&'a [u8; 32]> {
        self.word_at(i.checked_mul(32)?)
    }

    /// Head word `i` as a `usize` (offsets and lengths).
    fn usize_at(self, offset: usize) -> Option<usize> {
        usize::try_from(U256::from_be_bytes(*self.word_at(offset)?)).ok()
    }

    /// Argument `i` as `uint256`.
    pub fn uint(self, i: usize) -> Option<U256> {
        Some(U256::from_be_bytes(*self.word(i)?))
    }

    /// Argument `i` as `address` (the upper 12 bytes must be zero).
    pub fn address(self, i: usize) -> Option<Address> {
        let (padding, address) = self.word(i)?.split_at(12);
        padding.iter().all(|&b| b == 0).then(|| Address::from_slice(address))
    }

    /// Argument `i` as `bool` (0 or 1).
    pub fn boolean(self, i: usize) -> Option<bool> {
        let value = self.uint(i)?;
        (value <= U256::ONE).then(|| !value.is_zero())
    }

    /// Argument `i` as `bytes4` (the lower 28 bytes must be zero).
    pub fn bytes4(self, i: usize) -> Option<FixedBytes<4>> {
        let (selector, padding) = self.word(i)?.split_at(4);
        padding.iter().all(|&b| b == 0).then(|| FixedBytes::from_slice(selector))
    }

    /// Argument `i` as dynamic `bytes`: its head word is the offset of `length ++ data`.
    pub fn bytes(self, i: usize) -> Option<&'a [u8]> {
        let offset = self.usize_at(i.checked_mul(32)?)?;
        let length = self.usize_at(offset)?;
        let start = offset.checked_add(32)?;
        self.0.get(start..start.checked_add(length)?)
    }

    /// Argument `i` as `uint256[]`: its head word is the offset of `length ++ words`.
    pub fn uint_array(self, i: usize) -> Option<Vec<U256>> {
        let offset = self.usize_at(i.checked_mul(32)?)?;
        let length = self.usize_at(offset)?;
        let start = offset.checked_add(32)?;
        let data = self.0.get(start..start.checked_add(length.checked_mul(32)?)?)?;
        Some(data.chunks_exact(32).map(U256::from_be_slice).collect())
    }
}

/// ABI-encodes static return values, one word each.
pub fn encode_words(words: &[U256]) -> Vec<u8> {
    let mut out = Vec::with_capacity(words.len().saturating_mul(32));
    for word in words {
        out.extend_from_slice(&word.to_be_bytes::<32>());
    }
    out
}

/// ABI-encodes a single `string` return value: offset, length, bytes padded to a word.
pub fn encode_string(value: &[u8]) -> Vec<u8> {
    encode_dynamic(&[U256::from(32), U256::from(value.len())], value)
}

/// ABI-encodes a single `address[]` return value: offset, length, one word per address.
pub fn encode_address_array(values: &[Address]) -> Vec<u8> {
    let mut words = Vec::with_capacity(values.len().saturating_add(2));
    words.push(U256::from(32));
    words.push(U256::from(values.len()));
    words.extend(values.iter().map(|&a| address_word(a)));
    encode_words(&words)
}

/// `head` words, then `tail` bytes zero-padded to a whole word.
pub fn encode_dynamic(head: &[U256], tail: &[u8]) -> Vec<u8> {
    let mut out = encode_words(head);
    out.extend_from_slice(tail);
    // Pad to a multiple of 32: (-len) mod 32 zero bytes.
    out.resize(out.len().saturating_add(tail.len().wrapping_neg() % 32), 0);
    out
}

/// An address as an ABI word.
pub fn address_word(address: Address) -> U256 {
    U256::from_be_slice(address.as_slice())
}

/// A bool as an ABI word.
pub fn bool_word(value: bool) -> U256 {
    U256::from(u8::from(value))
}
