//! ERC-20 calls of the pool, with the semantics of `strata_common::token` (tolerates tokens
//! that return nothing, rejects `false`, reverts and addresses without code, measures
//! deposits by balance delta) but hand-encoded: the calldata is a selector and one or more
//! words, and the only return value read is one word. `strata_common::token` encodes with
//! alloy's generic encoder and decoder, which costs ~1.7 KiB of compressed WASM in each of
//! the pool's parts, more than the size limit leaves.

use alloc::vec::Vec;

use alloy_sol_types::SolCall;
use strata_common::env;
use stylus_sdk::{
    alloy_primitives::{Address, U256},
    call::RawCall,
};

use crate::{abi, Error, IndexPoolTokenCallFailed, IndexPoolTokenShortfall};

mod calls {
    #![allow(missing_docs)]
    alloy_sol_types::sol! {
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function balanceOf(address account) external view returns (uint256);
    }
}

fn failed(token: Address) -> Error {
    Error::TokenCallFailed(IndexPoolTokenCallFailed { token })
}

fn calldata(selector: [u8; 4], words: &[U256]) -> Vec<u8> {
    let mut data = Vec::with_capacity(words.len().saturating_mul(32).saturating_add(4));
    data.extend_from_slice(&selector);
    data.extend_from_slice(&abi::encode_words(words));
    data
}

/// Calls `token`, treating empty return data or the word `1` (ABI `true`) as success, like
/// OpenZeppelin's `SafeERC20`.
fn call_optional_return(token: Address, data: &[u8]) -> Result<(), Error> {
    if !env::has_code(token) {
        return Err(failed(token));
    }
    // SAFETY: the pool holds its reentrancy lock around every token call, and the storage
    // cache is flushed first so the token and nested calls see the pool's latest state.
    unsafe { RawCall::new().flush_storage_cache().skip_return_data().call(token, data) }
        .map_err(|_| failed(token))?;
    let ret = env::return_data_prefix(32);
    if ret.is_empty() || ret.as_slice() == U256::ONE.to_be_bytes::<32>().as_slice() {
        Ok(())
    } else {
        Err(failed(token))
    }
}

/// Sends `amount` of `token` from the pool to `to` (no call for zero).
///
/// # Errors
/// `IndexPoolTokenCallFailed` if the call reverts, returns `false`, or `token` has no code.
pub fn safe_transfer(token: Address, to: Address, amount: U256) -> Result<(), Error> {
    if amount.is_zero() {
        return Ok(());
    }
    call_optional_return(
        token,
        &calldata(calls::transferCall::SELECTOR, &[abi::address_word(to), amount]),
    )
}

/// Moves `amount` of `token` from `from` to `to` with the pool's allowance (no call for zero).
///
/// # Errors
/// `IndexPoolTokenCallFailed` as for [`safe_transfer`].
pub fn safe_transfer_from(
    token: Address,
    from: Address,
    to: Address,
    amount: U256,
) -> Result<(), Error> {
    if amount.is_zero() {
        return Ok(());
    }
    let words = [abi::address_word(from), abi::address_word(to), amount];
    call_optional_return(token, &calldata(calls::transferFromCall::SELECTOR, &words))
}

/// `token.balanceOf(account)` (a static call; the first word of the return data, which must
/// be at least one word).
///
/// # Errors
/// `IndexPoolTokenCallFailed` if the call reverts, `token` has no code, or the return data is
/// not one word.
pub fn balance_of(token: Address, account: Address) -> Result<U256, Error> {
    if !env::has_code(token) {
        return Err(failed(token));
    }
    let data = calldata(calls::balanceOfCall::SELECTOR, &[abi::address_word(account)]);
    // SAFETY: a static call cannot modify state.
    unsafe { RawCall::new_static().skip_return_data().call(token, &data) }
        .map_err(|_| failed(token))?;
    let ret = env::return_data_prefix(32);
    if ret.len() != 32 {
        return Err(failed(token));
    }
    Ok(U256::from_be_slice(&ret))
}

/// Pulls exactly `amount` of `token` from `from` into the pool: the pool's balance must grow
/// by `amount` (fee-on-transfer tokens are refused).
///
/// # Errors
/// `IndexPoolTokenCallFailed` as above; `IndexPoolTokenShortfall` when less arrived.
pub fn pull_exact(token: Address, from: Address, amount: U256) -> Result<(), Error> {
    if amount.is_zero() {
        return Ok(());
    }
    let this = env::this();
    let before = balance_of(token, this)?;
    safe_transfer_from(token, from, this, amount)?;
    let received = balance_of(token, this)?.checked_sub(before).ok_or(failed(token))?;
    if received < amount {
        return Err(Error::TokenShortfall(IndexPoolTokenShortfall {
            token,
            expected: amount,
            received,
        }));
    }
    Ok(())
}
