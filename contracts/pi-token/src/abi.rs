//! The pi-token's ABI: its functions' Solidity declarations (one source for the selectors
//! and the exported interface), a strict reader for their arguments, and the encoders of
//! their results.
//!
//! The contract decodes calldata here instead of through the SDK's `#[public]` router, which
//! monomorphises a decoder and an encoder per function (0.25–0.5 KiB of compressed WASM
//! each: over the size budget for 31 functions). Every argument is one 32-byte word except
//! `callVoting`'s `bytes`, so the reader is small. It is as strict as Solidity's decoder:
//! too-short calldata, an address or `bytes4` with dirty padding, a `bool` other than 0 or
//! 1, or a `bytes` whose offset or length points outside the calldata are refused, and the
//! call reverts with empty data, as the SDK's router does.

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

/// Every external function of `PiToken`.
pub mod functions {
    #![allow(missing_docs, clippy::pub_underscore_fields)]
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
        function deposit(uint256 amount) external returns (uint256 piAmount);
        function mint(uint256 piAmount) external returns (uint256 amount);
        function withdraw(uint256 piAmount) external returns (uint256 amount);
        function withdrawUnderlying(uint256 amount) external returns (uint256 piAmount);
        function previewDeposit(uint256 amount) external view returns (uint256 piAmount);
        function previewMint(uint256 piAmount) external view returns (uint256 amount);
        function previewWithdraw(uint256 piAmount) external view returns (uint256 amount);
        function previewWithdrawUnderlying(uint256 amount) external view returns (uint256 piAmount);
        function totalUnderlying() external view returns (uint256);
        function getReserveState() external view returns (uint256 reserve, uint256 staked, uint256 venueCheckpoint, uint256 venueLiquidity);
        function underlying() external view returns (address);
        function venue() external view returns (address);
        function router() external view returns (address);
        function reserveRatio() external view returns (uint256);
        function isVotingAllowed(address target, bytes4 selector) external view returns (bool);
        function stake(uint256 amount) external returns (uint256 shares);
        function unstake(uint256 amount) external returns (uint256 received);
        function harvest(uint256 feeRate, address receiver) external returns (uint256 gain, uint256 fee, uint256 feePiAmount);
        function setReserveRatio(uint256 ratio) external;
        function setRouter(address newRouter) external;
        function setVenue(address newVenue) external;
        function setVotingAllowed(address target, bytes4 selector, bool allowed) external;
        function callVoting(address target, bytes4 selector, bytes calldata args) external;
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

    fn word(self, i: usize) -> Option<&'a [u8; 32]> {
        self.word_at(i.checked_mul(32)?)
    }

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
}

/// ABI-encodes static values, one word each.
pub fn encode_words(words: &[U256]) -> Vec<u8> {
    let mut out = Vec::with_capacity(words.len().saturating_mul(32));
    for word in words {
        out.extend_from_slice(&word.to_be_bytes::<32>());
    }
    out
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

/// A word as an address, when its upper 12 bytes are zero.
pub fn word_address(word: U256) -> Option<Address> {
    (word.bit_len() <= 160).then(|| Address::from_word(FixedBytes(word.to_be_bytes::<32>())))
}
