//! The router's calls to its lens, pools, pi-tokens and ERC-20 tokens, hand-encoded with
//! `strata_common::{abi, call}`.
//!
//! Every argument is a word or a word array and every return value read is a word or a
//! word array, so the shared encoders, one raw call and the shared strict reader serve all
//! of them (`sol_interface!` bindings and alloy's generic encoder cost several KiB of
//! compressed WASM). Answers are read whole (`call::UNBOUNDED`): the lens's plans are as
//! long as the caller's route, and a hostile pool named by a caller only costs that caller
//! gas. Token calls keep `strata_common::token`'s semantics (an answer that is empty or
//! exactly ABI `true` is success; `false`, anything else, a revert or an address without
//! code is failure) and report the callee's error selector. The selectors come from `sol!`
//! declarations of the `index-router-lens`, `index-pool`, `pi-token` and ERC-20 signatures;
//! the unit tests check them against those crates' ABI modules.

use alloc::vec::Vec;

use alloy_sol_types::SolCall;
use strata_common::{
    abi::{self, Args, Value, Word},
    call, token,
};
use stylus_sdk::{
    alloy_primitives::{Address, FixedBytes, U256},
    ArbResult,
};

pub(crate) mod sigs {
    #![allow(missing_docs, clippy::pub_underscore_fields)]
    alloy_sol_types::sol! {
        // index-router-lens
        function resolve(address pool, address token) external view returns (address poolToken);
        function planJoinAll(address pool, uint256 poolAmountOut) external view returns (address[] memory poolTokens, uint256[] memory poolAmounts, address[] memory tokens, uint256[] memory amountsIn);
        function planRoute(address[] calldata pools, address[] calldata path) external view returns (address[] memory poolTokens);
        function planSwapExactOut(address[] calldata pools, address[] calldata path, uint256 amountOut) external view returns (address[] memory poolTokens, uint256[] memory amounts);
        function wrapperUnderlying(address piToken) external view returns (address);
        // index-pool
        function getCurrentTokens() external view returns (address[] memory);
        function swapExactAmountIn(address tokenIn, uint256 tokenAmountIn, address tokenOut, uint256 minAmountOut, uint256 maxPrice) external returns (uint256 tokenAmountOut, uint256 spotPriceAfter);
        function swapExactAmountOut(address tokenIn, uint256 maxAmountIn, address tokenOut, uint256 tokenAmountOut, uint256 maxPrice) external returns (uint256 tokenAmountIn, uint256 spotPriceAfter);
        function joinswapExternAmountIn(address tokenIn, uint256 tokenAmountIn, uint256 minPoolAmountOut) external returns (uint256 poolAmountOut);
        function exitswapPoolAmountIn(address tokenOut, uint256 poolAmountIn, uint256 minAmountOut) external returns (uint256 tokenAmountOut);
        function joinPool(uint256 poolAmountOut, uint256[] calldata maxAmountsIn) external;
        function exitPool(uint256 poolAmountIn, uint256[] calldata minAmountsOut) external;
        // pi-token
        function deposit(uint256 amount) external returns (uint256 piAmount);
        function mint(uint256 piAmount) external returns (uint256 amount);
        function withdraw(uint256 piAmount) external returns (uint256 amount);
        function withdrawUnderlying(uint256 amount) external returns (uint256 piAmount);
        // ERC-20
        function balanceOf(address account) external view returns (uint256);
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
    }
}

/// Why a call failed: the selector of the callee's error (zero when it gave none, returned
/// `false` or malformed data, or has no code).
pub(crate) type Reason = FixedBytes<4>;

/// Calls `target` with `calldata` (a static call when `view`): its return data or the
/// selector of its error. An address without code fails.
pub(crate) fn raw(target: Address, calldata: &[u8], view: bool) -> Result<Vec<u8>, Reason> {
    // Pools, pi-tokens, the lens and tokens never call the router back (calls go one way:
    // user -> router -> pool / pi-token -> tokens), and mutating calls run under the
    // router's reentrancy lock (see `strata_common::call`).
    call::call_contract(target, calldata, view, call::UNBOUNDED)
        .map_err(|revert| abi::selector_of(&revert))
}

/// A call whose arguments are all words.
pub(crate) fn call(
    target: Address,
    selector: [u8; 4],
    args: &[U256],
    view: bool,
) -> Result<Vec<u8>, Reason> {
    raw(target, &abi::encode(&selector, args), view)
}

/// `selector(pools, path[, amount])`: a lens call on a route.
pub(crate) fn encode_route_call(
    selector: [u8; 4],
    pools: &[Address],
    path: &[Address],
    amount: Option<U256>,
) -> Vec<u8> {
    let pools: Vec<U256> = pools.iter().map(|&a| a.word()).collect();
    let path: Vec<U256> = path.iter().map(|&a| a.word()).collect();
    match amount {
        None => abi::encode_values(&selector, &[Value::Array(&pools), Value::Array(&path)]),
        Some(amount) => abi::encode_values(
            &selector,
            &[Value::Array(&pools), Value::Array(&path), Value::Word(amount)],
        ),
    }
}

/// A static call to the lens returning its data, or its revert data unchanged.
pub(crate) fn raw_forward(lens: Address, calldata: &[u8]) -> ArbResult {
    // A static call; the lens calls nobody back.
    call::call_contract(lens, calldata, true, call::UNBOUNDED)
}

/// `count` dynamic word arrays returned by a function (strictly read).
pub(crate) fn arrays(data: &[u8], count: usize) -> Result<Vec<Vec<U256>>, Reason> {
    (0..count).map(|i| Args(data).uint_array(i).ok_or(Reason::ZERO)).collect()
}

/// `pool.joinPool(amount, limits)` / `pool.exitPool(amount, limits)`.
pub(crate) fn call_with_array(
    target: Address,
    selector: [u8; 4],
    amount: U256,
    limits: &[U256],
) -> Result<Vec<u8>, Reason> {
    raw(target, &abi::encode_values(&selector, &[Value::Word(amount), Value::Array(limits)]), false)
}

/// Word `index` of return data.
pub(crate) fn word(data: &[u8], index: usize) -> Result<U256, Reason> {
    Args(data).uint(index).ok_or(Reason::ZERO)
}

/// A returned `address[]`.
pub(crate) fn address_array(data: &[u8]) -> Result<Vec<Address>, Reason> {
    Args(data).address_array(0).ok_or(Reason::ZERO)
}

/// A token call whose return is optional: empty or ABI `true` is success.
fn call_optional_return(token: Address, selector: [u8; 4], args: &[U256]) -> Result<(), Reason> {
    let ret = call(token, selector, args, false)?;
    if token::succeeded(&ret) {
        Ok(())
    } else {
        Err(Reason::ZERO)
    }
}

/// `token.balanceOf(account)`.
pub(crate) fn balance_of(token: Address, account: Address) -> Result<U256, Reason> {
    word(&call(token, sigs::balanceOfCall::SELECTOR, &[account.word()], true)?, 0)
}

/// Sends `amount` of `token` to `to` (nothing for zero).
pub(crate) fn transfer(token: Address, to: Address, amount: U256) -> Result<(), Reason> {
    if amount.is_zero() {
        return Ok(());
    }
    call_optional_return(token, sigs::transferCall::SELECTOR, &[to.word(), amount])
}

/// Moves `amount` of `token` from `from` to `to` with the router's allowance.
pub(crate) fn transfer_from(
    token: Address,
    from: Address,
    to: Address,
    amount: U256,
) -> Result<(), Reason> {
    call_optional_return(token, sigs::transferFromCall::SELECTOR, &[from.word(), to.word(), amount])
}

/// Sets the router's allowance for `spender` to exactly `amount`, resetting it to zero first
/// when the token refuses to change a non-zero allowance (USDT-style).
pub(crate) fn force_approve(token: Address, spender: Address, amount: U256) -> Result<(), Reason> {
    let spender = spender.word();
    if call_optional_return(token, sigs::approveCall::SELECTOR, &[spender, amount]).is_ok() {
        return Ok(());
    }
    call_optional_return(token, sigs::approveCall::SELECTOR, &[spender, U256::ZERO])?;
    call_optional_return(token, sigs::approveCall::SELECTOR, &[spender, amount])
}
