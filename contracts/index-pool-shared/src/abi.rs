//! The ABI of the pool's functions, declared once: the source of the selectors the
//! dispatchers ([`crate::dispatch`]) match and of the exported interfaces.
//!
//! The pool's parts decode calldata with `strata_common::abi` instead of through the SDK's
//! `#[public]` router, which monomorphises a decoder and encoder per function signature
//! (about 0.5 KiB of compressed WASM per function) and would not fit the size limit. The
//! reader is as strict as Solidity's decoder (too-short calldata, an address or `bytes4`
//! with dirty padding, a `bool` other than 0 or 1, or a dynamic argument whose offset or
//! length points outside the calldata are refused), and the call then reverts with empty
//! data, as the SDK's router does.

/// Functions served by `IndexPool` itself: the ERC-20 share, `gulp`, and the views that need
/// no weight math.
pub mod core {
    #![allow(missing_docs)]
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
        function getCurrentTokens() external view returns (address[] memory);
        function getBalance(address token) external view returns (uint256);
        function getSwapFee() external view returns (uint256);
        function getController() external view returns (address);
        function gulp(address token) external;
        function getCommunityFees() external view returns (uint256 swapFee, uint256 joinFee, uint256 exitFee, address receiver);
        function getWeightPerSecondBounds() external view returns (uint256 minWeightPerSecond, uint256 maxWeightPerSecond);
        function getImplementations() external view returns (address swaps, address liquidity, address admin, address math);
        function isBound(address token) external view returns (bool);
        function isFinalized() external view returns (bool);
        function isSwapsDisabled() external view returns (bool);
        function isWithoutFee(address account) external view returns (bool);
        function isVotingAllowed(address target, bytes4 selector) external view returns (bool);
    }
}

/// Functions of `IndexPoolSwaps`: the swaps, and the weight and price views.
pub mod swaps {
    #![allow(missing_docs)]
    strata_common::sol_functions! {
        function swapExactAmountIn(address tokenIn, uint256 tokenAmountIn, address tokenOut, uint256 minAmountOut, uint256 maxPrice) external returns (uint256 tokenAmountOut, uint256 spotPriceAfter);
        function swapExactAmountOut(address tokenIn, uint256 maxAmountIn, address tokenOut, uint256 tokenAmountOut, uint256 maxPrice) external returns (uint256 tokenAmountIn, uint256 spotPriceAfter);
        function getDenormalizedWeight(address token) external view returns (uint256);
        function getTotalDenormalizedWeight() external view returns (uint256);
        function getNormalizedWeight(address token) external view returns (uint256);
        function getDynamicWeightSettings(address token) external view returns (uint256 fromTimestamp, uint256 targetTimestamp, uint256 fromWeight, uint256 targetWeight);
        function getSpotPrice(address tokenIn, address tokenOut) external view returns (uint256);
    }
}

/// Functions of `IndexPoolLiquidity`: joins and exits.
pub mod liquidity {
    #![allow(missing_docs)]
    strata_common::sol_functions! {
        function joinPool(uint256 poolAmountOut, uint256[] calldata maxAmountsIn) external;
        function exitPool(uint256 poolAmountIn, uint256[] calldata minAmountsOut) external;
        function joinswapExternAmountIn(address tokenIn, uint256 tokenAmountIn, uint256 minPoolAmountOut) external returns (uint256 poolAmountOut);
        function joinswapPoolAmountOut(address tokenIn, uint256 poolAmountOut, uint256 maxAmountIn) external returns (uint256 tokenAmountIn);
        function exitswapPoolAmountIn(address tokenOut, uint256 poolAmountIn, uint256 minAmountOut) external returns (uint256 tokenAmountOut);
        function exitswapExternAmountOut(address tokenOut, uint256 tokenAmountOut, uint256 maxPoolAmountIn) external returns (uint256 poolAmountIn);
    }
}

/// Functions of `IndexPoolAdmin`: the controller functions.
pub mod admin {
    #![allow(missing_docs)]
    strata_common::sol_functions! {
        function bind(address token, uint256 balance, uint256 targetWeight, uint256 fromTimestamp, uint256 targetTimestamp) external;
        function unbind(address token) external;
        function finalize() external;
        function setDynamicWeight(address token, uint256 targetWeight, uint256 fromTimestamp, uint256 targetTimestamp) external;
        function setWeightPerSecondBounds(uint256 minWeightPerSecond, uint256 maxWeightPerSecond) external;
        function setSwapFee(uint256 swapFee) external;
        function setCommunityFeesAndReceiver(uint256 swapFee, uint256 joinFee, uint256 exitFee, address receiver) external;
        function setController(address controller) external;
        function setSwapsDisabled(bool disabled) external;
        function setWithoutFee(address account, bool withoutFee) external;
        function callVoting(address target, bytes4 selector, bytes calldata args, uint256 value) external payable;
        function setVotingAllowed(address target, bytes4 selector, bool allowed) external;
    }
}
