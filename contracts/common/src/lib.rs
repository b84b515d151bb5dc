//! Shared building blocks for Strata contracts.
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

#[cfg(feature = "export-abi")]
extern crate std;

#[cfg(feature = "export-abi")]
pub mod abi_export;
mod events;

/// Solidity declarations of the ERC-20 events emitted by OpenZeppelin's
/// `Erc20` component, for contracts whose interface includes an ERC-20.
pub const ERC20_EVENTS_ABI: &[&str] = &[
    "event Transfer(address indexed from, address indexed to, uint256 value);",
    "event Approval(address indexed owner, address indexed spender, uint256 value);",
];
