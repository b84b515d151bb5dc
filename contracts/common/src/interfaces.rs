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
        function getValueWithTime(bytes32 kind, address asset) external view returns (uint256 value, uint256 timestamp);
    }
}

stylus_sdk::prelude::sol_interface! {
    /// The `index-pool` ABI (spec `index.md`, "index-pool ABI"): what its
    /// controller (`weight-strategy`) and routers call. The ERC-20 share
    /// functions are in [`IERC20`].
    interface IIndexPool {
        function bind(address token, uint256 balance, uint256 target_weight, uint256 from_timestamp, uint256 target_timestamp) external;
        function unbind(address token) external;
        function finalize() external;
        function setDynamicWeight(address token, uint256 target_weight, uint256 from_timestamp, uint256 target_timestamp) external;
        function setWeightPerSecondBounds(uint256 min_weight_per_second, uint256 max_weight_per_second) external;
        function setSwapFee(uint256 swap_fee) external;
        function setCommunityFeesAndReceiver(uint256 swap_fee, uint256 join_fee, uint256 exit_fee, address receiver) external;
        function setController(address controller) external;
        function setSwapsDisabled(bool disabled) external;
        function setWithoutFee(address account, bool without_fee) external;
        function joinPool(uint256 pool_amount_out, uint256[] calldata max_amounts_in) external;
        function exitPool(uint256 pool_amount_in, uint256[] calldata min_amounts_out) external;
        function swapExactAmountIn(address token_in, uint256 token_amount_in, address token_out, uint256 min_amount_out, uint256 max_price) external returns (uint256 token_amount_out, uint256 spot_price_after);
        function swapExactAmountOut(address token_in, uint256 max_amount_in, address token_out, uint256 token_amount_out, uint256 max_price) external returns (uint256 token_amount_in, uint256 spot_price_after);
        function joinswapExternAmountIn(address token_in, uint256 token_amount_in, uint256 min_pool_amount_out) external returns (uint256 pool_amount_out);
        function joinswapPoolAmountOut(address token_in, uint256 pool_amount_out, uint256 max_amount_in) external returns (uint256 token_amount_in);
        function exitswapPoolAmountIn(address token_out, uint256 pool_amount_in, uint256 min_amount_out) external returns (uint256 token_amount_out);
        function exitswapExternAmountOut(address token_out, uint256 token_amount_out, uint256 max_pool_amount_in) external returns (uint256 pool_amount_in);
        function gulp(address token) external;
        function callVoting(address target, bytes4 selector, bytes calldata args, uint256 value) external payable;
        function setVotingAllowed(address target, bytes4 selector, bool allowed) external;
        function getCurrentTokens() external view returns (address[] memory);
        function getBalance(address token) external view returns (uint256);
        function getDenormalizedWeight(address token) external view returns (uint256);
        function getTotalDenormalizedWeight() external view returns (uint256);
        function getNormalizedWeight(address token) external view returns (uint256);
        function getDynamicWeightSettings(address token) external view returns (uint256 from_timestamp, uint256 target_timestamp, uint256 from_weight, uint256 target_weight);
        function getSpotPrice(address token_in, address token_out) external view returns (uint256);
        function getSwapFee() external view returns (uint256);
        function getController() external view returns (address);
    }

    /// `weight-valuer`: target weights of an index's tokens (read by `weight-strategy`).
    interface IWeightValuer {
        function getTargets(address[] tokens) external view returns (uint256[] memory);
        function getValues(address[] tokens) external view returns (uint256[] memory);
        function isConfigured(address token) external view returns (bool);
    }
}

/// The Index system's pi-token, yield router and index router (part 2). In a module of its
/// own so the routers' seven-argument functions can carry their lint allowance.
mod index_routing {
    #![allow(missing_docs, clippy::too_many_arguments)]

    stylus_sdk::prelude::sol_interface! {
        /// `pi-token`: the Index system's yield-bearing wrapper over one underlying
        /// (`interfaces/IPiToken.sol`). Users and routers wrap and unwrap; its `yield-router`
        /// moves the reserve in and out of the venue. The ERC-20 functions are in [`IERC20`].
        interface IPiToken {
            function deposit(uint256 amount) external returns (uint256 pi_amount);
            function mint(uint256 pi_amount) external returns (uint256 amount);
            function withdraw(uint256 pi_amount) external returns (uint256 amount);
            function withdrawUnderlying(uint256 amount) external returns (uint256 pi_amount);
            function previewDeposit(uint256 amount) external view returns (uint256 pi_amount);
            function previewMint(uint256 pi_amount) external view returns (uint256 amount);
            function previewWithdraw(uint256 pi_amount) external view returns (uint256 amount);
            function previewWithdrawUnderlying(uint256 amount) external view returns (uint256 pi_amount);
            function totalUnderlying() external view returns (uint256);
            function getReserveState() external view returns (uint256 reserve, uint256 staked, uint256 venue_checkpoint, uint256 venue_liquidity);
            function underlying() external view returns (address);
            function venue() external view returns (address);
            function router() external view returns (address);
            function reserveRatio() external view returns (uint256);
        }

        /// `yield-router`: keeps pi-token reserves on target and harvests their yield
        /// (`interfaces/IYieldRouter.sol`).
        interface IYieldRouter {
            function poke(address pi_token) external returns (uint8 status, uint256 amount_moved);
            function getReserveStatus(address pi_token, uint256 pending_withdrawal) external view returns (uint8 status, uint256 diff, uint256 expected_reserve);
            function getExpectedReserve(uint256 ratio, uint256 staked, uint256 reserve, uint256 pending_withdrawal) external view returns (uint256);
        }

        /// `index-router`: one-token joins and exits and multi-hop swaps across index pools
        /// with pi-token wrapping (`interfaces/IIndexRouter.sol`). `pools[i]` trades `path[i]`
        /// for `path[i + 1]`.
        interface IIndexRouter {
            function joinWithToken(address pool, address token_in, uint256 amount_in, uint256 min_pool_amount_out, uint256 deadline) external returns (uint256 pool_amount_out);
            function exitToToken(address pool, uint256 pool_amount_in, address token_out, uint256 min_amount_out, uint256 deadline) external returns (uint256 amount_out);
            function joinAll(address pool, uint256 pool_amount_out, uint256[] calldata max_amounts_in, uint256 deadline) external returns (uint256[] memory amounts_in);
            function exitAll(address pool, uint256 pool_amount_in, uint256[] calldata min_amounts_out, uint256 deadline) external returns (uint256[] memory amounts_out);
            function swapExactIn(address[] calldata pools, address[] calldata path, uint256 amount_in, uint256 min_amount_out, address recipient, uint256 deadline) external returns (uint256 amount_out);
            function swapExactOut(address[] calldata pools, address[] calldata path, uint256 amount_out, uint256 max_amount_in, address recipient, uint256 deadline) external returns (uint256 amount_in);
            function quoteJoinWithToken(address pool, address token_in, uint256 amount_in) external view returns (uint256 pool_amount_out);
            function quoteExitToToken(address pool, uint256 pool_amount_in, address token_out) external view returns (uint256 amount_out);
            function quoteSwapExactIn(address[] calldata pools, address[] calldata path, uint256 amount_in) external view returns (uint256 amount_out);
            function quoteSwapExactOut(address[] calldata pools, address[] calldata path, uint256 amount_out) external view returns (uint256 amount_in);
        }
    }
}

pub use index_routing::{IIndexRouter, IPiToken, IYieldRouter};
