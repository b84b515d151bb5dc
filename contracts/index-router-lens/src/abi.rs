//! The lens's functions, declared once: the source of the selectors [`crate::dispatch`]
//! matches and of the exported interface.
//!
//! The contract decodes calldata with `strata_common::abi` instead of through the SDK's
//! `#[public]` router, which monomorphises a decoder and an encoder per function (0.25–0.5
//! KiB of compressed WASM each, several more for the dynamic arrays). The reader is as strict
//! as Solidity's decoder (too-short calldata, an address with dirty padding, or an array whose
//! offset or length points outside the calldata are refused), and the call then reverts with
//! empty data, as the SDK's router does.

/// Every external function of `IndexRouterLens`.
pub mod functions {
    #![allow(missing_docs, clippy::pub_underscore_fields)]
    strata_common::sol_functions! {
        function quoteJoinWithToken(address pool, address tokenIn, uint256 amountIn) external view returns (uint256 poolAmountOut);
        function quoteExitToToken(address pool, uint256 poolAmountIn, address tokenOut) external view returns (uint256 amountOut);
        function quoteJoinAll(address pool, uint256 poolAmountOut) external view returns (address[] memory tokens, uint256[] memory amountsIn);
        function quoteExitAll(address pool, uint256 poolAmountIn) external view returns (address[] memory tokens, uint256[] memory amountsOut);
        function quoteSwapExactIn(address[] calldata pools, address[] calldata path, uint256 amountIn) external view returns (uint256 amountOut);
        function quoteSwapExactOut(address[] calldata pools, address[] calldata path, uint256 amountOut) external view returns (uint256 amountIn);
        function resolve(address pool, address token) external view returns (address poolToken);
        function planRoute(address[] calldata pools, address[] calldata path) external view returns (address[] memory poolTokens);
        function planJoinAll(address pool, uint256 poolAmountOut) external view returns (address[] memory poolTokens, uint256[] memory poolAmounts, address[] memory tokens, uint256[] memory amountsIn);
        function planSwapExactOut(address[] calldata pools, address[] calldata path, uint256 amountOut) external view returns (address[] memory poolTokens, uint256[] memory amounts);
        function wrapperUnderlying(address token) external view returns (address);
    }
}
