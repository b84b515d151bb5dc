//! Test-only ERC-20: OpenZeppelin's `Erc20` with open minting and burning and
//! the decimals chosen at deployment (18 for most assets, 6 for USDC-like).
//!
//! Name and symbol are a fixed `bytes32` each instead of dynamic strings:
//! `StorageString` costs about 7 KiB of compressed WASM and a mock does not
//! need more than 32 bytes.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// The SDK's generated `print_from_args` has no doc comment.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]
extern crate alloc;

use alloc::string::String;

use openzeppelin_stylus::token::erc20::{self, Erc20, IErc20};
use stylus_sdk::{
    alloy_primitives::{Address, FixedBytes, U256},
    prelude::*,
    storage::{StorageFixedBytes, StorageU8},
};

/// Events of this contract, for the exported interface.
pub const EVENTS_ABI: &[&str] = strata_common::ERC20_EVENTS_ABI;

/// Mintable ERC-20 for tests.
#[entrypoint]
#[storage]
pub struct MockErc20 {
    erc20: Erc20,
    name: StorageFixedBytes<32>,
    symbol: StorageFixedBytes<32>,
    decimals: StorageU8,
}

#[public]
impl MockErc20 {
    /// Sets the metadata. `name` and `symbol` are right-padded with zeros.
    #[constructor]
    pub fn constructor(&mut self, name: FixedBytes<32>, symbol: FixedBytes<32>, decimals: u8) {
        self.name.set(name);
        self.symbol.set(symbol);
        self.decimals.set(stylus_sdk::alloy_primitives::U8::from(decimals));
    }

    /// Token name (the constructor's bytes up to the first zero byte).
    pub fn name(&self) -> String {
        padded_to_string(self.name.get())
    }

    /// Token symbol (the constructor's bytes up to the first zero byte).
    pub fn symbol(&self) -> String {
        padded_to_string(self.symbol.get())
    }

    /// Decimals chosen at deployment.
    pub fn decimals(&self) -> u8 {
        self.decimals.get().to::<u8>()
    }

    /// Total supply.
    pub fn total_supply(&self) -> U256 {
        self.erc20.total_supply()
    }

    /// Balance of `account`.
    pub fn balance_of(&self, account: Address) -> U256 {
        self.erc20.balance_of(account)
    }

    /// Allowance of `spender` over `owner`'s tokens.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.erc20.allowance(owner, spender)
    }

    /// Moves `value` from the caller to `to`.
    ///
    /// # Errors
    /// OpenZeppelin's ERC-20 errors (insufficient balance, invalid receiver).
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, erc20::Error> {
        self.erc20.transfer(to, value)
    }

    /// Sets `spender`'s allowance over the caller's tokens.
    ///
    /// # Errors
    /// `ERC20InvalidSpender` for the zero address.
    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, erc20::Error> {
        self.erc20.approve(spender, value)
    }

    /// Moves `value` from `from` to `to` using the caller's allowance.
    ///
    /// # Errors
    /// OpenZeppelin's ERC-20 errors (allowance, balance, receiver).
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, erc20::Error> {
        self.erc20.transfer_from(from, to, value)
    }

    /// Mints `value` to `to`; open to anyone (test token).
    ///
    /// # Errors
    /// `ERC20InvalidReceiver` for the zero address.
    pub fn mint(&mut self, to: Address, value: U256) -> Result<(), erc20::Error> {
        self.erc20._mint(to, value)
    }

    /// Burns `value` from `from`; open to anyone (test token, e.g. to
    /// simulate a loss in a venue).
    ///
    /// # Errors
    /// `ERC20InsufficientBalance` when `from` holds less than `value`.
    pub fn burn(&mut self, from: Address, value: U256) -> Result<(), erc20::Error> {
        self.erc20._burn(from, value)
    }
}

fn padded_to_string(bytes: FixedBytes<32>) -> String {
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(32);
    bytes.get(..len).map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use motsu::prelude::*;
    use stylus_sdk::alloy_primitives::{fixed_bytes, uint, Address, FixedBytes, U256};

    use super::MockErc20;

    fn setup_usdc(token: &Contract<MockErc20>, alice: Address) {
        let name = fixed_bytes!("55534420436f696e000000000000000000000000000000000000000000000000");
        let symbol =
            fixed_bytes!("5553444300000000000000000000000000000000000000000000000000000000");
        token.sender(alice).constructor(name, symbol, 6);
    }

    #[motsu::test]
    fn metadata_reads_back_constructor_values(token: Contract<MockErc20>, alice: Address) {
        setup_usdc(&token, alice);
        assert_eq!(token.sender(alice).name(), "USD Coin");
        assert_eq!(token.sender(alice).symbol(), "USDC");
        assert_eq!(token.sender(alice).decimals(), 6);
    }

    #[motsu::test]
    fn full_32_byte_name_is_kept_whole(token: Contract<MockErc20>, alice: Address) {
        token.sender(alice).constructor(FixedBytes::repeat_byte(b'a'), FixedBytes::ZERO, 18);
        assert_eq!(token.sender(alice).name().len(), 32);
        assert_eq!(token.sender(alice).symbol(), "");
    }

    #[motsu::test]
    fn mint_and_burn_move_supply(token: Contract<MockErc20>, alice: Address, bob: Address) {
        setup_usdc(&token, alice);
        token.sender(alice).mint(bob, uint!(5_000_000_U256)).motsu_unwrap();
        token.sender(alice).burn(bob, uint!(1_000_000_U256)).motsu_unwrap();
        assert_eq!(token.sender(alice).balance_of(bob), uint!(4_000_000_U256));
        assert_eq!(token.sender(alice).total_supply(), uint!(4_000_000_U256));
    }

    #[motsu::test]
    fn burn_reverts_beyond_balance(token: Contract<MockErc20>, alice: Address) {
        setup_usdc(&token, alice);
        token.sender(alice).mint(alice, uint!(10_U256)).motsu_unwrap();
        let err = token.sender(alice).burn(alice, uint!(11_U256)).motsu_unwrap_err();
        assert!(matches!(
            err,
            openzeppelin_stylus::token::erc20::Error::InsufficientBalance(e)
                if e.balance == uint!(10_U256) && e.needed == uint!(11_U256)
        ));
        assert_eq!(token.sender(alice).total_supply(), uint!(10_U256));
    }

    #[motsu::test]
    fn transfer_from_spends_allowance(token: Contract<MockErc20>, alice: Address, bob: Address) {
        setup_usdc(&token, alice);
        token.sender(alice).mint(alice, uint!(100_U256)).motsu_unwrap();
        token.sender(alice).approve(bob, uint!(60_U256)).motsu_unwrap();
        token.sender(bob).transfer_from(alice, bob, uint!(60_U256)).motsu_unwrap();
        assert_eq!(token.sender(alice).allowance(alice, bob), U256::ZERO);
        assert_eq!(token.sender(alice).balance_of(bob), uint!(60_U256));
    }
}
