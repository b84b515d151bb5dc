//! Mock ERC-20.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
extern crate alloc;

use alloc::string::String;
use openzeppelin_stylus::token::erc20::{self, extensions::{Erc20Metadata, IErc20Metadata}, Erc20, IErc20};
use openzeppelin_stylus::utils::introspection::erc165::IErc165;
use stylus_sdk::{alloy_primitives::{aliases::B32, Address, U256, U8}, prelude::*};

#[entrypoint]
#[storage]
pub struct MockErc20 {
    erc20: Erc20,
    metadata: Erc20Metadata,
    decimals: stylus_sdk::storage::StorageU8,
}

#[public]
#[implements(IErc20<Error = erc20::Error>, IErc20Metadata, IErc165)]
impl MockErc20 {
    #[constructor]
    pub fn constructor(&mut self, name: String, symbol: String, decimals: U8) {
        self.metadata.constructor(name, symbol);
        self.decimals.set(decimals);
    }

    pub fn mint(&mut self, to: Address, value: U256) -> Result<(), erc20::Error> {
        self.erc20._mint(to, value)
    }
}

#[public]
impl IErc20 for MockErc20 {
    type Error = erc20::Error;
    fn total_supply(&self) -> U256 { self.erc20.total_supply() }
    fn balance_of(&self, account: Address) -> U256 { self.erc20.balance_of(account) }
    fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Self::Error> { self.erc20.transfer(to, value) }
    fn allowance(&self, owner: Address, spender: Address) -> U256 { self.erc20.allowance(owner, spender) }
    fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Self::Error> { self.erc20.approve(spender, value) }
    fn transfer_from(&mut self, from: Address, to: Address, value: U256) -> Result<bool, Self::Error> { self.erc20.transfer_from(from, to, value) }
}

#[public]
impl IErc20Metadata for MockErc20 {
    fn name(&self) -> String { self.metadata.name() }
    fn symbol(&self) -> String { self.metadata.symbol() }
    fn decimals(&self) -> U8 { self.decimals.get() }
}

#[public]
impl IErc165 for MockErc20 {
    fn supports_interface(&self, interface_id: B32) -> bool {
        Erc20::supports_interface(&self.erc20, interface_id)
            || Erc20Metadata::supports_interface(&self.metadata, interface_id)
    }
}
