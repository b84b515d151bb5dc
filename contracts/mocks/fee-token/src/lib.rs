//! Test-only fee-on-transfer ERC-20: every `transfer`/`transferFrom` burns
//! `feeBps` basis points of the amount from what the recipient receives, the
//! way deflationary tokens do. Contracts that credit the amount they asked
//! for instead of the balance delta are robbed by such a token; Strata's
//! tests use it to show they are not.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "export-abi", allow(missing_docs))]
extern crate alloc;

use openzeppelin_stylus::token::erc20::{self, Erc20, IErc20};
use stylus_sdk::{
    alloy_primitives::{Address, U256},
    prelude::*,
    storage::StorageU256,
};

/// Events of this contract, for the exported interface.
pub const EVENTS_ABI: &[&str] = strata_common::ERC20_EVENTS_ABI;

const BPS: u64 = 10_000;

/// Fee-on-transfer ERC-20 (18 decimals).
#[entrypoint]
#[storage]
pub struct MockFeeToken {
    erc20: Erc20,
    fee_bps: StorageU256,
}

#[public]
impl MockFeeToken {
    /// Sets the transfer fee in basis points (capped at 100%).
    #[constructor]
    pub fn constructor(&mut self, fee_bps: U256) {
        self.fee_bps.set(fee_bps.min(U256::from(BPS)));
    }

    /// Decimals (always 18).
    pub fn decimals(&self) -> u8 {
        18
    }

    /// Transfer fee in basis points.
    pub fn fee_bps(&self) -> U256 {
        self.fee_bps.get()
    }

    /// Changes the fee (capped at 100%); open to anyone (test token).
    pub fn set_fee_bps(&mut self, fee_bps: U256) {
        self.fee_bps.set(fee_bps.min(U256::from(BPS)));
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

    /// Sets `spender`'s allowance over the caller's tokens.
    ///
    /// # Errors
    /// `ERC20InvalidSpender` for the zero address.
    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, erc20::Error> {
        self.erc20.approve(spender, value)
    }

    /// Moves `value` to `to`, which receives `value` minus the fee.
    ///
    /// # Errors
    /// OpenZeppelin's ERC-20 errors.
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, erc20::Error> {
        self.erc20.transfer(to, value)?;
        self.take_fee(to, value)?;
        Ok(true)
    }

    /// Moves `value` from `from` to `to`, which receives `value` minus the fee.
    ///
    /// # Errors
    /// OpenZeppelin's ERC-20 errors.
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, erc20::Error> {
        self.erc20.transfer_from(from, to, value)?;
        self.take_fee(to, value)?;
        Ok(true)
    }

    /// Mints `value` to `to` (no fee); open to anyone (test token).
    ///
    /// # Errors
    /// `ERC20InvalidReceiver` for the zero address.
    pub fn mint(&mut self, to: Address, value: U256) -> Result<(), erc20::Error> {
        self.erc20._mint(to, value)
    }
}

impl MockFeeToken {
    fn take_fee(&mut self, to: Address, value: U256) -> Result<(), erc20::Error> {
        // fee ≤ value because fee_bps ≤ BPS, and `value` has just arrived at `to`.
        let fee = value.saturating_mul(self.fee_bps.get()).wrapping_div(U256::from(BPS));
        self.erc20._burn(to, fee)
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use motsu::prelude::*;
    use stylus_sdk::alloy_primitives::{uint, Address, U256};

    use super::MockFeeToken;

    #[motsu::test]
    fn transfer_delivers_amount_minus_fee(
        token: Contract<MockFeeToken>,
        alice: Address,
        bob: Address,
    ) {
        token.sender(alice).constructor(uint!(100_U256));
        token.sender(alice).mint(alice, uint!(1_000_U256)).motsu_unwrap();
        token.sender(alice).transfer(bob, uint!(1_000_U256)).motsu_unwrap();
        assert_eq!(token.sender(alice).balance_of(bob), uint!(990_U256));
        assert_eq!(token.sender(alice).total_supply(), uint!(990_U256));
    }

    #[motsu::test]
    fn transfer_from_delivers_amount_minus_fee(
        token: Contract<MockFeeToken>,
        alice: Address,
        bob: Address,
    ) {
        token.sender(alice).constructor(uint!(250_U256));
        token.sender(alice).mint(alice, uint!(1_000_U256)).motsu_unwrap();
        token.sender(alice).approve(bob, U256::MAX).motsu_unwrap();
        token.sender(bob).transfer_from(alice, bob, uint!(400_U256)).motsu_unwrap();
        assert_eq!(token.sender(alice).balance_of(bob), uint!(390_U256));
        assert_eq!(token.sender(alice).balance_of(alice), uint!(600_U256));
    }

    #[motsu::test]
    fn fee_is_capped_at_the_whole_amount(token: Contract<MockFeeToken>, alice: Address) {
        token.sender(alice).constructor(U256::MAX);
        assert_eq!(token.sender(alice).fee_bps(), uint!(10_000_U256));
    }
}
