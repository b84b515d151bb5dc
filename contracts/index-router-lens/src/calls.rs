//! The lens's calls to pools, pi-tokens and the pools' math library, hand-encoded with
//! `strata_common::{abi, call}`.
//!
//! Every argument is a word and every return value read is a word or an `address[]`, so the
//! shared encoder, one raw call and the shared strict reader serve all of them
//! (`sol_interface!` bindings and alloy's generic encoder cost several KiB of compressed
//! WASM). Answers are read whole (`call::UNBOUNDED`), as before: every call is a view the
//! caller pays for. The selectors come from `sol!` declarations of the `index-pool`,
//! `pi-token` and `weighted-math` signatures; the unit tests check them against those
//! crates' ABI modules.

use alloc::vec::Vec;

use strata_common::{
    abi::{self, Args},
    call,
};
use stylus_sdk::alloy_primitives::{Address, FixedBytes, U256};

pub(crate) mod sigs {
    #![allow(missing_docs, clippy::pub_underscore_fields)]
    alloy_sol_types::sol! {
        // index-pool
        function getCurrentTokens() external view returns (address[] memory);
        function getBalance(address token) external view returns (uint256);
        function getDenormalizedWeight(address token) external view returns (uint256);
        function getTotalDenormalizedWeight() external view returns (uint256);
        function getSwapFee() external view returns (uint256);
        function getCommunityFees() external view returns (uint256 swapFee, uint256 joinFee, uint256 exitFee, address receiver);
        function getImplementations() external view returns (address swaps, address liquidity, address admin, address math);
        function isBound(address token) external view returns (bool);
        function isFinalized() external view returns (bool);
        function isSwapsDisabled() external view returns (bool);
        function isWithoutFee(address account) external view returns (bool);
        function swapExactAmountIn(address tokenIn, uint256 tokenAmountIn, address tokenOut, uint256 minAmountOut, uint256 maxPrice) external returns (uint256 tokenAmountOut, uint256 spotPriceAfter);
        function swapExactAmountOut(address tokenIn, uint256 maxAmountIn, address tokenOut, uint256 tokenAmountOut, uint256 maxPrice) external returns (uint256 tokenAmountIn, uint256 spotPriceAfter);
        function joinswapExternAmountIn(address tokenIn, uint256 tokenAmountIn, uint256 minPoolAmountOut) external returns (uint256 poolAmountOut);
        function exitswapPoolAmountIn(address tokenOut, uint256 poolAmountIn, uint256 minAmountOut) external returns (uint256 tokenAmountOut);
        function joinPool(uint256 poolAmountOut, uint256[] calldata maxAmountsIn) external;
        function exitPool(uint256 poolAmountIn, uint256[] calldata minAmountsOut) external;
        // pi-token
        function underlying() external view returns (address);
        function venue() external view returns (address);
        function deposit(uint256 amount) external returns (uint256 piAmount);
        function mint(uint256 piAmount) external returns (uint256 amount);
        function withdraw(uint256 piAmount) external returns (uint256 amount);
        function withdrawUnderlying(uint256 amount) external returns (uint256 piAmount);
        function previewDeposit(uint256 amount) external view returns (uint256 piAmount);
        function previewMint(uint256 piAmount) external view returns (uint256 amount);
        function previewWithdraw(uint256 piAmount) external view returns (uint256 amount);
        function previewWithdrawUnderlying(uint256 amount) external view returns (uint256 piAmount);
        // weighted-math
        function calcOutGivenIn(uint256 balanceIn, uint256 weightIn, uint256 balanceOut, uint256 weightOut, uint256 amountIn, uint256 swapFee) external pure returns (uint256);
        function calcInGivenOut(uint256 balanceIn, uint256 weightIn, uint256 balanceOut, uint256 weightOut, uint256 amountOut, uint256 swapFee) external pure returns (uint256);
        function calcPoolOutGivenSingleIn(uint256 balanceIn, uint256 weightIn, uint256 poolSupply, uint256 totalWeight, uint256 amountIn, uint256 swapFee) external pure returns (uint256);
        function calcSingleOutGivenPoolIn(uint256 balanceOut, uint256 weightOut, uint256 poolSupply, uint256 totalWeight, uint256 poolAmountIn, uint256 swapFee) external pure returns (uint256);
        // ERC-20
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
    }

    /// The pool's and pi-token's errors the quotes reproduce (only their selectors are used).
    pub(crate) mod pool_errors {
        #![allow(missing_docs)]
        alloy_sol_types::sol! {
            error IndexPoolNotFinalized();
            error IndexPoolSwapsDisabled();
            error IndexPoolMaxInRatio(uint256 amountIn, uint256 limit);
            error IndexPoolMaxOutRatio(uint256 amountOut, uint256 limit);
            error IndexPoolMinBalance(address token, uint256 balance, uint256 min);
            error IndexPoolPriceBelowSpot(uint256 spotPriceBefore, uint256 amountIn, uint256 amountOut);
            error PiTokenZeroAmount();
        }
    }
}

/// Why a call failed: the selector of the callee's error (zero when it gave none, returned
/// malformed data, or has no code).
pub(crate) type Reason = FixedBytes<4>;

/// Static-calls `selector(args…)` on `target`, every argument one word: its return data or
/// the selector of its error. An address without code fails.
pub(crate) fn call(target: Address, selector: [u8; 4], args: &[U256]) -> Result<Vec<u8>, Reason> {
    // The lens only reads.
    call::call_contract(target, &abi::encode(&selector, args), true, call::UNBOUNDED)
        .map_err(|revert| abi::selector_of(&revert))
}

/// Word `index` of return data.
pub(crate) fn word(data: &[u8], index: usize) -> Result<U256, Reason> {
    Args(data).uint(index).ok_or(Reason::ZERO)
}

/// A returned `address[]`.
pub(crate) fn address_array(data: &[u8]) -> Result<Vec<Address>, Reason> {
    Args(data).address_array(0).ok_or(Reason::ZERO)
}
