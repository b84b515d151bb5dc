//! The router's calls to its lens, pools, pi-tokens and ERC-20 tokens, ABI-encoded by hand.
//!
//! Every argument is a word or a `uint256[]`, every return value read is a word or an
//! `address[]`, so one encoder and one reader serve all of them (`sol_interface!` bindings
//! and alloy's generic encoder cost several KiB of compressed WASM). Token calls keep
//! `strata_common::token`'s semantics: empty return data or ABI `true` is success, `false`,
//! a revert or an address without code is failure. The selectors come from `sol!`
//! declarations of the `index-router-lens`, `index-pool`, `pi-token` and ERC-20 signatures;
//! `test/index` checks them against those crates' ABI modules.

use alloc::vec::Vec;

use stylus_sdk::{
    alloy_primitives::{Address, FixedBytes, U256},
    call::RawCall,
};

use stylus_sdk::ArbResult;

use crate::abi::{address_word, encode_with_arrays, put_words, word_address};

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

/// `selector ++ words`.
pub(crate) fn encode_words_call(selector: [u8; 4], words: &[U256]) -> Vec<u8> {
    let mut data = Vec::with_capacity(words.len().saturating_mul(32).saturating_add(4));
    data.extend_from_slice(&selector);
    put_words(&mut data, words);
    data
}

/// `selector ++ (address[] pools, address[] path[, uint256 amount])`.
pub(crate) fn encode_route_call(
    selector: [u8; 4],
    pools: &[Address],
    path: &[Address],
    amount: Option<U256>,
) -> Vec<u8> {
    let pools: Vec<U256> = pools.iter().map(|&a| address_word(a)).collect();
    let path: Vec<U256> = path.iter().map(|&a| address_word(a)).collect();
    let head: Vec<U256> = amount.into_iter().collect();
    // The arrays come first in the signature: encode them after a head that holds their
    // offsets, then the amount, by encoding (pools, path) and splicing the amount word in.
    let body = encode_with_arrays(&[], &[&pools, &path]);
    let mut data = Vec::with_capacity(body.len().saturating_add(36));
    data.extend_from_slice(&selector);
    if head.is_empty() {
        data.extend_from_slice(&body);
    } else {
        // Offsets are measured from the start of the arguments: one more head word moves
        // each array 32 bytes further.
        let shift = U256::from(32);
        for (i, chunk) in body.chunks(32).enumerate() {
            if i < 2 {
                let offset = U256::from_be_slice(chunk).saturating_add(shift);
                put_words(&mut data, &[offset]);
            } else {
                if i == 2 {
                    put_words(&mut data, &head);
                }
                data.extend_from_slice(chunk);
            }
        }
    }
    data
}

/// A static call to the lens returning its data, or its revert data unchanged.
pub(crate) fn raw_forward(lens: Address, calldata: &[u8]) -> ArbResult {
    if !strata_common::env::has_code(lens) {
        return Err(Vec::new());
    }
    // SAFETY: a static call; the lens calls nobody back.
    unsafe { RawCall::new_static().call(lens, calldata) }
}

/// `count` dynamic word arrays returned by a function: one offset per array in the head,
/// then each array's length and words.
pub(crate) fn arrays(data: &[u8], count: usize) -> Result<Vec<Vec<U256>>, Reason> {
    (0..count)
        .map(|i| {
            let offset = usize::try_from(word(data, i)?).map_err(|_| Reason::ZERO)?;
            if offset % 32 != 0 {
                return Err(Reason::ZERO);
            }
            let head = offset / 32;
            let len = usize::try_from(word(data, head)?).map_err(|_| Reason::ZERO)?;
            if len > data.len() / 32 {
                return Err(Reason::ZERO);
            }
            (1..=len).map(|j| word(data, head.saturating_add(j))).collect()
        })
        .collect()
}

/// `pool.joinPool(amount, limits)` / `pool.exitPool(amount, limits)`.
pub(crate) fn call_with_array(
    target: Address,
    selector: [u8; 4],
    amount: U256,
    limits: &[U256],
) -> Result<Vec<u8>, Reason> {
    raw(target, selector, &encode_with_arrays(&[amount], &[limits]), false)
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

/// A token call whose return is optional: empty or ABI `true` is success.
fn call_optional_return(token: Address, selector: [u8; 4], args: &[U256]) -> Result<(), Reason> {
    let ret = call(token, selector, args, false)?;
    if ret.is_empty() || ret.as_slice() == U256::ONE.to_be_bytes::<32>().as_slice() {
        Ok(())
    } else {
        Err(Reason::ZERO)
    }
}

/// `token.balanceOf(account)`.
pub(crate) fn balance_of(token: Address, account: Address) -> Result<U256, Reason> {
    word(
        &call(token, sigs::balanceOfCall::SELECTOR, &[crate::abi::address_word(account)], true)?,
        0,
    )
}

/// Sends `amount` of `token` to `to` (nothing for zero).
pub(crate) fn transfer(token: Address, to: Address, amount: U256) -> Result<(), Reason> {
    if amount.is_zero() {
        return Ok(());
    }
    call_optional_return(
        token,
        sigs::transferCall::SELECTOR,
        &[crate::abi::address_word(to), amount],
    )
}

/// Moves `amount` of `token` from `from` to `to` with the router's allowance.
pub(crate) fn transfer_from(
    token: Address,
    from: Address,
    to: Address,
    amount: U256,
) -> Result<(), Reason> {
    use crate::abi::address_word as w;
    call_optional_return(token, sigs::transferFromCall::SELECTOR, &[w(from), w(to), amount])
}

/// Sets the router's allowance for `spender` to exactly `amount`, resetting it to zero first
/// when the token refuses to change a non-zero allowance (USDT-style).
pub(crate) fn force_approve(token: Address, spender: Address, amount: U256) -> Result<(), Reason> {
    let spender = crate::abi::address_word(spender);
    if call_optional_return(token, sigs::approveCall::SELECTOR, &[spender, amount]).is_ok() {
        return Ok(());
    }
    call_optional_return(token, sigs::approveCall::SELECTOR, &[spender, U256::ZERO])?;
    call_optional_return(token, sigs::approveCall::SELECTOR, &[spender, amount])
}

use alloy_sol_types::SolCall;
