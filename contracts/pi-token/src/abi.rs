//! The pi-token's functions, declared once: the source of the selectors
//! [`crate::dispatch`] matches and of the exported interface.
//!
//! The contract decodes calldata with `strata_common::abi` instead of through the SDK's
//! `#[public]` router, which monomorphises a decoder and an encoder per function (0.25–0.5
//! KiB of compressed WASM each: over the size budget for 31 functions). The reader is as
//! strict as Solidity's decoder (too-short calldata, an address or `bytes4` with dirty
//! padding, a `bool` other than 0 or 1, or a `bytes` whose offset or length points outside
//! the calldata are refused), and the call then reverts with empty data, as the SDK's router
//! does.

/// Every external function of `PiToken`.
pub mod functions {
    #![allow(missing_docs, clippy::pub_underscore_fields)]
    strata_common::sol_functions! {
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
