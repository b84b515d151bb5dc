//! Test-only ERC-4626 yield venue.
//!
//! A tokenised vault over one asset (a `mock-erc20`) whose share price can be
//! moved by hand: `simulateYield` mints new asset into the vault (share price
//! up), `simulateLoss` burns asset from it (share price down), and
//! `setWithdrawLimit` caps what can leave (an illiquid venue). It stands in
//! for the yVaults, staking wrappers and aToken wrappers behind pi-tokens.
//!
//! Share math follows OpenZeppelin's ERC-4626 with a virtual offset of one
//! share and one asset, rounding in the vault's favour: deposit and redeem
//! round down, mint and withdraw round up.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "export-abi", allow(missing_docs))]
extern crate alloc;

use openzeppelin_stylus::token::erc20::{self, Erc20, IErc20};
use strata_common::{env, token};
use strata_math::{mul_div_down, mul_div_up};
use stylus_sdk::{
    alloy_primitives::{Address, U256},
    prelude::*,
    storage::{StorageAddress, StorageU256},
};

strata_common::sol_events! {
    /// `sender` deposited `assets` for `shares` credited to `owner`.
    event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);
    /// `shares` of `owner` were burnt for `assets` sent to `receiver`.
    event Withdraw(address indexed sender, address indexed receiver, address indexed owner, uint256 assets, uint256 shares);
    /// Yield (positive) or a loss (negative) was simulated.
    event Simulated(int256 assetsDelta);
    /// The per-call withdrawal cap changed (zero: no cap).
    event WithdrawLimitSet(uint256 limit);
}

/// Events of this contract, for the exported interface.
// Indexing in a const is evaluated at compile time: out of bounds fails the build.
#[allow(clippy::indexing_slicing)]
pub const ALL_EVENTS_ABI: [&str; 6] = [
    strata_common::ERC20_EVENTS_ABI[0],
    strata_common::ERC20_EVENTS_ABI[1],
    EVENTS_ABI[0],
    EVENTS_ABI[1],
    EVENTS_ABI[2],
    EVENTS_ABI[3],
];

alloy_sol_types::sol! {
    /// More than `max` assets were asked for from `owner`.
    #[derive(Debug)]
    error VenueExceededMaxWithdraw(address owner, uint256 assets, uint256 max);
    /// More than `max` shares were redeemed from `owner`.
    #[derive(Debug)]
    error VenueExceededMaxRedeem(address owner, uint256 shares, uint256 max);
    /// A call to the asset failed.
    #[derive(Debug)]
    error VenueAssetCallFailed(address asset);
    /// Arithmetic overflow in share math.
    #[derive(Debug)]
    error VenueMathOverflow();
}

mod asset {
    #![allow(missing_docs)]
    stylus_sdk::prelude::sol_interface! {
        /// The test token's open mint and burn.
        interface IMockAsset {
            function mint(address to, uint256 value) external;
            function burn(address from, uint256 value) external;
        }
    }
}
use asset::IMockAsset;

/// Errors of the venue.
#[derive(SolidityError, Debug)]
pub enum Error {
    /// See [`VenueExceededMaxWithdraw`].
    ExceededMaxWithdraw(VenueExceededMaxWithdraw),
    /// See [`VenueExceededMaxRedeem`].
    ExceededMaxRedeem(VenueExceededMaxRedeem),
    /// See [`VenueAssetCallFailed`].
    AssetCallFailed(VenueAssetCallFailed),
    /// See [`VenueMathOverflow`].
    MathOverflow(VenueMathOverflow),
    /// Share balance too low.
    InsufficientBalance(erc20::ERC20InsufficientBalance),
    /// Share allowance too low.
    InsufficientAllowance(erc20::ERC20InsufficientAllowance),
    /// Zero-address sender.
    InvalidSender(erc20::ERC20InvalidSender),
    /// Zero-address receiver.
    InvalidReceiver(erc20::ERC20InvalidReceiver),
    /// Zero-address spender.
    InvalidSpender(erc20::ERC20InvalidSpender),
    /// Zero-address approver.
    InvalidApprover(erc20::ERC20InvalidApprover),
}

impl From<erc20::Error> for Error {
    fn from(e: erc20::Error) -> Self {
        match e {
            erc20::Error::InsufficientBalance(e) => Error::InsufficientBalance(e),
            erc20::Error::InsufficientAllowance(e) => Error::InsufficientAllowance(e),
            erc20::Error::InvalidSender(e) => Error::InvalidSender(e),
            erc20::Error::InvalidReceiver(e) => Error::InvalidReceiver(e),
            erc20::Error::InvalidSpender(e) => Error::InvalidSpender(e),
            erc20::Error::InvalidApprover(e) => Error::InvalidApprover(e),
        }
    }
}

/// Mock ERC-4626 vault.
#[entrypoint]
#[storage]
pub struct MockVenue {
    shares: Erc20,
    asset: StorageAddress,
    withdraw_limit: StorageU256,
}

#[public]
impl MockVenue {
    /// Binds the vault to its asset.
    #[constructor]
    pub fn constructor(&mut self, asset: Address) {
        self.asset.set(asset);
    }

    /// The underlying asset.
    pub fn asset(&self) -> Address {
        self.asset.get()
    }

    /// Share decimals (18).
    pub fn decimals(&self) -> u8 {
        18
    }

    /// Assets held by the vault.
    ///
    /// # Errors
    /// [`VenueAssetCallFailed`] if the asset's `balanceOf` fails.
    pub fn total_assets(&self) -> Result<U256, Error> {
        self.total_assets_internal()
    }

    /// Shares for `assets`, rounded down.
    ///
    /// # Errors
    /// As [`Self::total_assets`]; [`VenueMathOverflow`].
    pub fn convert_to_shares(&self, assets: U256) -> Result<U256, Error> {
        self.to_shares(assets, false)
    }

    /// Assets for `shares`, rounded down.
    ///
    /// # Errors
    /// As [`Self::total_assets`]; [`VenueMathOverflow`].
    pub fn convert_to_assets(&self, shares: U256) -> Result<U256, Error> {
        self.to_assets(shares, false)
    }

    /// Shares a deposit of `assets` mints now (rounded down).
    ///
    /// # Errors
    /// As [`Self::convert_to_shares`].
    pub fn preview_deposit(&self, assets: U256) -> Result<U256, Error> {
        self.to_shares(assets, false)
    }

    /// Assets a mint of `shares` costs now (rounded up).
    ///
    /// # Errors
    /// As [`Self::convert_to_assets`].
    pub fn preview_mint(&self, shares: U256) -> Result<U256, Error> {
        self.to_assets(shares, true)
    }

    /// Shares burnt to withdraw `assets` now (rounded up).
    ///
    /// # Errors
    /// As [`Self::convert_to_shares`].
    pub fn preview_withdraw(&self, assets: U256) -> Result<U256, Error> {
        self.to_shares(assets, true)
    }

    /// Assets a redeem of `shares` pays now (rounded down).
    ///
    /// # Errors
    /// As [`Self::convert_to_assets`].
    pub fn preview_redeem(&self, shares: U256) -> Result<U256, Error> {
        self.to_assets(shares, false)
    }

    /// No deposit cap.
    pub fn max_deposit(&self, _receiver: Address) -> U256 {
        U256::MAX
    }

    /// No mint cap.
    pub fn max_mint(&self, _receiver: Address) -> U256 {
        U256::MAX
    }

    /// Assets `owner` can withdraw now: their shares' value, capped by the
    /// withdrawal limit and by what the vault holds.
    ///
    /// # Errors
    /// As [`Self::convert_to_assets`].
    pub fn max_withdraw(&self, owner: Address) -> Result<U256, Error> {
        let value = self.to_assets(self.shares.balance_of(owner), false)?;
        Ok(self.cap(value.min(self.total_assets_internal()?)))
    }

    /// Shares `owner` can redeem now (all of them unless a limit applies).
    ///
    /// # Errors
    /// As [`Self::convert_to_shares`].
    pub fn max_redeem(&self, owner: Address) -> Result<U256, Error> {
        let balance = self.shares.balance_of(owner);
        let limit = self.withdraw_limit.get();
        if limit.is_zero() {
            return Ok(balance);
        }
        Ok(balance.min(self.to_shares(limit, false)?))
    }

    /// Deposits `assets` from the caller and mints shares to `receiver`.
    ///
    /// # Errors
    /// [`VenueAssetCallFailed`] if the transfer fails; [`VenueMathOverflow`].
    ///
    /// # Events
    /// `Deposit`, `Transfer`.
    pub fn deposit(&mut self, assets: U256, receiver: Address) -> Result<U256, Error> {
        let shares = self.to_shares(assets, false)?;
        self.enter(assets, shares, receiver)?;
        Ok(shares)
    }

    /// Mints exactly `shares` to `receiver` for the assets they cost.
    ///
    /// # Errors
    /// As [`Self::deposit`].
    ///
    /// # Events
    /// `Deposit`, `Transfer`.
    pub fn mint(&mut self, shares: U256, receiver: Address) -> Result<U256, Error> {
        let assets = self.to_assets(shares, true)?;
        self.enter(assets, shares, receiver)?;
        Ok(assets)
    }

    /// Burns `owner`'s shares to send exactly `assets` to `receiver`.
    ///
    /// # Errors
    /// [`VenueExceededMaxWithdraw`]; ERC-20 allowance errors when the caller
    /// is not `owner`; [`VenueAssetCallFailed`].
    ///
    /// # Events
    /// `Withdraw`, `Transfer`.
    pub fn withdraw(
        &mut self,
        assets: U256,
        receiver: Address,
        owner: Address,
    ) -> Result<U256, Error> {
        let max = self.max_withdraw(owner)?;
        if assets > max {
            return Err(Error::ExceededMaxWithdraw(VenueExceededMaxWithdraw {
                owner,
                assets,
                max,
            }));
        }
        let shares = self.to_shares(assets, true)?;
        self.exit(assets, shares, receiver, owner)?;
        Ok(shares)
    }

    /// Burns exactly `shares` of `owner` and sends their value to `receiver`.
    ///
    /// # Errors
    /// [`VenueExceededMaxRedeem`]; as [`Self::withdraw`].
    ///
    /// # Events
    /// `Withdraw`, `Transfer`.
    pub fn redeem(
        &mut self,
        shares: U256,
        receiver: Address,
        owner: Address,
    ) -> Result<U256, Error> {
        let max = self.max_redeem(owner)?;
        if shares > max {
            return Err(Error::ExceededMaxRedeem(VenueExceededMaxRedeem { owner, shares, max }));
        }
        let assets = self.to_assets(shares, false)?;
        self.exit(assets, shares, receiver, owner)?;
        Ok(assets)
    }

    /// Share balance of `account`.
    pub fn balance_of(&self, account: Address) -> U256 {
        self.shares.balance_of(account)
    }

    /// Total shares.
    pub fn total_supply(&self) -> U256 {
        self.shares.total_supply()
    }

    /// Allowance over shares.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.shares.allowance(owner, spender)
    }

    /// Approves `spender` over the caller's shares.
    ///
    /// # Errors
    /// ERC-20 errors.
    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Error> {
        Ok(self.shares.approve(spender, value)?)
    }

    /// Transfers shares.
    ///
    /// # Errors
    /// ERC-20 errors.
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Error> {
        Ok(self.shares.transfer(to, value)?)
    }

    /// Transfers shares with an allowance.
    ///
    /// # Errors
    /// ERC-20 errors.
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, Error> {
        Ok(self.shares.transfer_from(from, to, value)?)
    }

    /// Mints `amount` of asset into the vault: every share gains value.
    ///
    /// # Errors
    /// [`VenueAssetCallFailed`] if the asset's `mint` fails.
    ///
    /// # Events
    /// `Simulated` with a positive delta.
    pub fn simulate_yield(&mut self, amount: U256) -> Result<(), Error> {
        let asset = IMockAsset::new(self.asset.get());
        asset.mint(&mut *self, env::this(), amount).map_err(|_| self.asset_failed())?;
        env::emit(Simulated { assetsDelta: alloy_primitives::I256::from_raw(amount) });
        Ok(())
    }

    /// Burns `amount` of asset from the vault: every share loses value.
    ///
    /// # Errors
    /// [`VenueAssetCallFailed`] if the asset's `burn` fails (e.g. more than held).
    ///
    /// # Events
    /// `Simulated` with a negative delta.
    pub fn simulate_loss(&mut self, amount: U256) -> Result<(), Error> {
        let asset = IMockAsset::new(self.asset.get());
        asset.burn(&mut *self, env::this(), amount).map_err(|_| self.asset_failed())?;
        let delta = alloy_primitives::I256::from_raw(amount).wrapping_neg();
        env::emit(Simulated { assetsDelta: delta });
        Ok(())
    }

    /// Caps the assets any withdrawal can take (zero removes the cap).
    ///
    /// # Events
    /// `WithdrawLimitSet`.
    pub fn set_withdraw_limit(&mut self, limit: U256) {
        self.withdraw_limit.set(limit);
        env::emit(WithdrawLimitSet { limit });
    }
}

impl MockVenue {
    fn asset_failed(&self) -> Error {
        Error::AssetCallFailed(VenueAssetCallFailed { asset: self.asset.get() })
    }

    fn total_assets_internal(&self) -> Result<U256, Error> {
        token::balance_of(self.asset.get(), env::this()).map_err(|_| self.asset_failed())
    }

    fn cap(&self, assets: U256) -> U256 {
        let limit = self.withdraw_limit.get();
        if limit.is_zero() {
            assets
        } else {
            assets.min(limit)
        }
    }

    /// `assets · (supply + 1) / (totalAssets + 1)`.
    fn to_shares(&self, assets: U256, round_up: bool) -> Result<U256, Error> {
        let supply = self.shares.total_supply().checked_add(U256::from(1));
        let total = self.total_assets_internal()?.checked_add(U256::from(1));
        mul_div(assets, supply, total, round_up)
    }

    /// `shares · (totalAssets + 1) / (supply + 1)`.
    fn to_assets(&self, shares: U256, round_up: bool) -> Result<U256, Error> {
        let total = self.total_assets_internal()?.checked_add(U256::from(1));
        let supply = self.shares.total_supply().checked_add(U256::from(1));
        mul_div(shares, total, supply, round_up)
    }

    fn enter(&mut self, assets: U256, shares: U256, receiver: Address) -> Result<(), Error> {
        let sender = env::sender();
        token::safe_transfer_from(self.asset.get(), sender, env::this(), assets)
            .map_err(|_| self.asset_failed())?;
        self.shares._mint(receiver, shares)?;
        env::emit(Deposit { sender, owner: receiver, assets, shares });
        Ok(())
    }

    fn exit(
        &mut self,
        assets: U256,
        shares: U256,
        receiver: Address,
        owner: Address,
    ) -> Result<(), Error> {
        let sender = env::sender();
        if sender != owner {
            self.shares._spend_allowance(owner, sender, shares)?;
        }
        self.shares._burn(owner, shares)?;
        token::safe_transfer(self.asset.get(), receiver, assets)
            .map_err(|_| self.asset_failed())?;
        env::emit(Withdraw { sender, receiver, owner, assets, shares });
        Ok(())
    }
}

fn mul_div(x: U256, num: Option<U256>, den: Option<U256>, round_up: bool) -> Result<U256, Error> {
    let overflow = || Error::MathOverflow(VenueMathOverflow {});
    let (num, den) = (num.ok_or_else(overflow)?, den.ok_or_else(overflow)?);
    let result = if round_up { mul_div_up(x, num, den) } else { mul_div_down(x, num, den) };
    result.map_err(|_| overflow())
}

#[cfg(test)]
mod tests;
