//! The lens's calls to pools, pi-tokens and the pools' math library, ABI-encoded by hand.
//!
//! Every argument is a word or a `uint256[]`, every return value read is a word or an
//! `address[]`, so one encoder and one reader serve all of them (`sol_interface!` bindings
//! and alloy's generic encoder cost several KiB of compressed WASM). Token calls keep
//! `strata_common::token`'s semantics: empty return data or ABI `true` is success, `false`,
//! a revert or an address without code is failure. The selectors come from `sol!`
//! declarations of the `index-pool`, `pi-token`, `weighted-math` and ERC-20 signatures;
//! `test/index` checks them against those crates' ABI modules.

use alloc::vec::Vec;

use stylus_sdk::{
    alloy_primitives::{Address, FixedBytes, U256},
    call::RawCall,
};

use crate::abi::{put_words, word_address};

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
/// `false` or malformed data, or has no code).
pub(crate) type Reason = FixedBytes<4>;

fn reason_of(revert: &[u8]) -> Reason {
    FixedBytes(revert.get(..4).and_then(|s| <[u8; 4]>::try_from(s).ok()).unwrap_or_default())
}

/// Calls `target` with `selector ++ data` (a static call when `view`): its return data or the
/// selector of its error. An address without code fails.
pub(crate) fn raw(
    target: Address,
    selector: [u8; 4],
    data: &[u8],
    view: bool,
) -> Result<Vec<u8>, Reason> {
    if !strata_common::env::has_code(target) {
        return Err(Reason::ZERO);
    }
    let mut calldata = Vec::with_capacity(data.len().saturating_add(4));
    calldata.extend_from_slice(&selector);
    calldata.extend_from_slice(data);
    let call = if view { RawCall::new_static() } else { RawCall::new().flush_storage_cache() };
    // SAFETY: pools, pi-tokens, the math library and tokens never call the router back
    // (calls go one way: user -> router -> pool / pi-token -> tokens), mutating calls run
    // under the router's reentrancy lock, and the storage cache is flushed first.
    unsafe { call.call(target, &calldata) }.map_err(|revert| reason_of(&revert))
}

/// A call whose arguments are all words.
pub(crate) fn call(
    target: Address,
    selector: [u8; 4],
    args: &[U256],
    view: bool,
) -> Result<Vec<u8>, Reason> {
    let mut data = Vec::with_capacity(args.len().saturating_mul(32));
    put_words(&mut data, args);
    raw(target, selector, &data, view)
}

/// Word `index` of return data.
pub(crate) fn word(data: &[u8], index: usize) -> Result<U256, Reason> {
    let start = index.checked_mul(32).ok_or(Reason::ZERO)?;
    data.get(start..)
        .and_then(|rest| rest.first_chunk::<32>())
        .map(|w| U256::from_be_bytes(*w))
        .ok_or(Reason::ZERO)
}

/// A returned `address[]`.
pub(crate) fn address_array(data: &[u8]) -> Result<Vec<Address>, Reason> {
    let offset = usize::try_from(word(data, 0)?).map_err(|_| Reason::ZERO)?;
    if offset % 32 != 0 {
        return Err(Reason::ZERO);
    }
    let head = offset / 32;
    let len = usize::try_from(word(data, head)?).map_err(|_| Reason::ZERO)?;
    // Bound the length by the data actually returned before allocating.
    if len > data.len() / 32 {
        return Err(Reason::ZERO);
    }
    (1..=len)
        .map(|i| word_address(word(data, head.saturating_add(i))?).ok_or(Reason::ZERO))
        .collect()
}
