//! `sol_interface!` bindings shared by Strata contracts.
//!
//! Only the functions Strata calls are declared; the full ERC-20 and
//! ERC-4626 ABIs live in the mocks' exported interfaces.
#![allow(missing_docs)]

stylus_sdk::prelude::sol_interface! {
    /// The ERC-20 calls Strata makes (transfers go through
    /// [`crate::token`], which tolerates non-standard return values).
    interface IERC20 {
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function decimals() external view returns (uint8);
    }

    /// ERC-4626 tokenised vault (the yield venue behind a pi-token).
    interface IERC4626 {
        function asset() external view returns (address);
        function totalAssets() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function convertToShares(uint256 assets) external view returns (uint256);
        function convertToAssets(uint256 shares) external view returns (uint256);
        function maxWithdraw(address owner) external view returns (uint256);
        function maxRedeem(address owner) external view returns (uint256);
        function previewDeposit(uint256 assets) external view returns (uint256);
        function previewWithdraw(uint256 assets) external view returns (uint256);
        function previewRedeem(uint256 shares) external view returns (uint256);
        function deposit(uint256 assets, address receiver) external returns (uint256);
        function withdraw(uint256 assets, address receiver, address owner) external returns (uint256);
        function redeem(uint256 shares, address receiver, address owner) external returns (uint256);
    }

    /// Price oracle views (served by `power-oracle`; the Perp system's index
    /// price). Prices are USD per whole token, 18 decimals.
    interface IPowerOracle {
        function getPrice(address asset) external view returns (uint256);
        function getPriceWithTime(address asset) external view returns (uint256 price, uint256 timestamp);
        function getTwap(address asset, uint256 window) external view returns (uint256);
        function getValue(bytes32 kind, address asset) external view returns (uint256);
    }
}
