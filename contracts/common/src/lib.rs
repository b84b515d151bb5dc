//! Shared building blocks for Strata contracts.
//!
//! | module | what |
//! |---|---|
//! | [`abi`] | strict calldata / return-data reader, word encoders, [`sol_functions!`] (functions declared once) |
//! | [`call`] | raw calls and static calls with bounded return data and revert-data forwarding |
//! | [`log`] | one untyped event emitter |
//! | [`interfaces`] | `sol_interface!` bindings (IERC20, IERC4626, cross-system) |
//! | [`token`] | safe ERC-20 transfers that tolerate missing/false returns and measure fee-on-transfer deltas |
//! | [`ownable`] | two-step ownership |
//! | [`reentrancy`] | explicit reentrancy lock |
//! | [`env`] | caller, clock, block, logs: the host reads in one place |
//! | [`sol_events!`] | events declared once for Rust and the exported interface |
//! | `abi_export` | (feature `export-abi`) prints a contract's interface with its events |
extern crate alloc;

pub mod abi;
#[cfg(feature = "export-abi")]
pub mod abi_export;
pub mod call;
pub mod clock;
pub mod env;
mod events;
pub mod interfaces;
pub mod log;
pub mod ownable;
pub mod reentrancy;
pub mod token;

/// Solidity declarations of the ERC-20 events emitted by OpenZeppelin's
/// `Erc20` component, for contracts whose interface includes an ERC-20.
pub const ERC20_EVENTS_ABI: &[&str] = &[
    "event Transfer(address indexed from, address indexed to, uint256 value);",
    "event Approval(address indexed owner, address indexed spender, uint256 value);",
];

#[cfg(test)]
mod tests;
