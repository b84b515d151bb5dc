//! The router's functions, declared once: the source of the selectors
//! [`crate::dispatch`] matches and of the exported interface.
//!
//! The contract decodes calldata with `strata_common::abi` instead of through the SDK's
//! `#[public]` router, which monomorphises a decoder and an encoder per function (0.25–0.5
//! KiB of compressed WASM each, several more for the dynamic arrays). The reader is as strict
//! as Solidity's decoder (too-short calldata, an address with dirty padding, or an array whose
//! offset or length points outside the calldata are refused), and the call then reverts with
//! empty data, as the SDK's router does.

/// Every external function of `IndexRouter`.
pub mod functions {
    #![allow(missing_docs, clippy::pub_underscore_fields)]
    strata_common::sol_functions! {
        function joinWithToken(address pool, address tokenIn, uint256 amountIn, uint256 minPoolAmountOut, uint256 deadline) external returns (uint256 poolAmountOut);
        function exitToToken(address pool, uint256 poolAmountIn, address tokenOut, uint256 minAmountOut, uint256 deadline) external returns (uint256 amountOut);
        function joinAll(address pool, uint256 poolAmountOut, uint256[] calldata maxAmountsIn, uint256 deadline) external returns (uint256[] memory amountsIn);
        function exitAll(address pool, uint256 poolAmountIn, uint256[] calldata minAmountsOut, uint256 deadline) external returns (uint256[] memory amountsOut);
        function swapExactIn(address[] calldata pools, address[] calldata path, uint256 amountIn, uint256 minAmountOut, address recipient, uint256 deadline) external returns (uint256 amountOut);
        function swapExactOut(address[] calldata pools, address[] calldata path, uint256 amountOut, uint256 maxAmountIn, address recipient, uint256 deadline) external returns (uint256 amountIn);
        function quoteJoinWithToken(address pool, address tokenIn, uint256 amountIn) external view returns (uint256 poolAmountOut);
        function quoteExitToToken(address pool, uint256 poolAmountIn, address tokenOut) external view returns (uint256 amountOut);
        function quoteJoinAll(address pool, uint256 poolAmountOut) external view returns (address[] memory tokens, uint256[] memory amountsIn);
        function quoteExitAll(address pool, uint256 poolAmountIn) external view returns (address[] memory tokens, uint256[] memory amountsOut);
        function quoteSwapExactIn(address[] calldata pools, address[] calldata path, uint256 amountIn) external view returns (uint256 amountOut);
        function quoteSwapExactOut(address[] calldata pools, address[] calldata path, uint256 amountOut) external view returns (uint256 amountIn);
        function wrapperUnderlying(address token) external view returns (address);
        function lens() external view returns (address);
    }
}
