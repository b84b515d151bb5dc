//! The execution environment, read through one door.
//!
//! stylus-sdk 0.9 deprecates the free functions `msg::sender()`,
//! `block::timestamp()`, `evm::log()`… in favour of `self.vm()`, but motsu
//! 0.10 (the unit-test VM) shims the raw `vm_hooks` those free functions
//! call and does not back `self.vm()`. OpenZeppelin's contracts make the
//! same choice. Keeping every such call here confines the `deprecated`
//! allowance to this module and gives contracts one place to change when
//! the test VM catches up.
#![allow(deprecated)]

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolEvent;

/// The caller of the current call (`msg.sender`).
#[inline]
pub fn sender() -> Address {
    stylus_sdk::msg::sender()
}

/// ETH sent with the current call (`msg.value`).
#[inline]
pub fn value() -> U256 {
    stylus_sdk::msg::value()
}

/// Block timestamp in seconds. Read it once per public call and pass it down
/// as `now` so the logic stays testable.
#[inline]
pub fn timestamp() -> u64 {
    stylus_sdk::block::timestamp()
}

/// Block number.
#[inline]
pub fn block_number() -> u64 {
    stylus_sdk::block::number()
}

/// This contract's address.
#[inline]
pub fn this() -> Address {
    stylus_sdk::contract::address()
}

/// Emits `event` as a log.
#[inline]
pub fn emit<E: SolEvent>(event: E) {
    stylus_sdk::evm::log(event);
}

/// Whether `account` has code (a contract; false for an EOA or an empty address).
#[inline]
pub fn has_code(account: Address) -> bool {
    use stylus_sdk::types::AddressVM;
    account.has_code()
}

/// The first `max` bytes (at most) of the last call's return data.
///
/// Reading a bounded prefix protects against return-data bombs. The length
/// is read first so no more bytes are requested than exist (motsu 0.10's
/// shim copies exactly the requested size, past the end of shorter data).
pub fn return_data_prefix(max: usize) -> alloc::vec::Vec<u8> {
    let len = stylus_sdk::contract::return_data_len();
    stylus_sdk::contract::read_return_data(0, Some(len.min(max)))
}
