//! Safe ERC-20 transfers.
//!
//! Tokens in the wild return `true`, return nothing (USDT-style) or return
//! `false` instead of reverting, and some take a fee on transfer. Every
//! transfer here is a raw call whose return data is checked the way
//! OpenZeppelin's `SafeERC20` does (empty or ABI `true` is success), and
//! [`pull`] measures what actually arrived with a balance delta so callers
//! credit only received amounts.

use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, sol_data::Bool, SolCall, SolType};
use stylus_sdk::call::RawCall;

use crate::env;

sol! {
    /// A call to `token` failed, reverted, or returned `false`.
    #[derive(Debug, PartialEq, Eq)]
    error TokenCallFailed(address token);
    /// `token` delivered `received` where at least `expected` was required
    /// (fee-on-transfer token where the caller does not accept fees).
    #[derive(Debug, PartialEq, Eq)]
    error TokenAmountShortfall(address token, uint256 expected, uint256 received);
}

mod calls {
    #![allow(missing_docs)]
    alloy_sol_types::sol! {
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
        function balanceOf(address account) external view returns (uint256);
    }
}

/// Errors of the token helpers.
#[derive(Debug, PartialEq, Eq)]
pub enum TokenError {
    /// See [`TokenCallFailed`].
    CallFailed(TokenCallFailed),
    /// See [`TokenAmountShortfall`].
    Shortfall(TokenAmountShortfall),
}

impl TokenError {
    fn call_failed(token: Address) -> Self {
        Self::CallFailed(TokenCallFailed { token })
    }
}

/// ABI word size: a `bool` return is one word.
const WORD: usize = 32;

/// Calls `token` with `data`, treating empty return data or ABI `true` as
/// success. A token address without code fails (a call to an EOA would
/// otherwise "succeed" silently).
fn call_optional_return(token: Address, data: &[u8]) -> Result<(), TokenError> {
    if !env::has_code(token) {
        return Err(TokenError::call_failed(token));
    }
    // SAFETY: the call may not re-enter this contract (Stylus reverts
    // re-entry), and the storage cache is flushed first so the callee and
    // any nested static call observe this contract's latest state.
    let status = unsafe { RawCall::new().flush_storage_cache().skip_return_data().call(token, data) };
    if status.is_err() {
        return Err(TokenError::call_failed(token));
    }
    let ret = env::return_data_prefix(WORD);
    if ret.is_empty() || Bool::abi_decode(&ret, true).unwrap_or(false) {
        Ok(())
    } else {
        Err(TokenError::call_failed(token))
    }
}

/// Sends `amount` of `token` from this contract to `to`.
///
/// # Errors
/// [`TokenCallFailed`] if the call reverts, returns `false`, or `token` has no code.
pub fn safe_transfer(token: Address, to: Address, amount: U256) -> Result<(), TokenError> {
    if amount.is_zero() {
        return Ok(());
    }
    call_optional_return(token, &calls::transferCall { to, value: amount }.abi_encode())
}

/// Moves `amount` of `token` from `from` to `to` using this contract's allowance.
///
/// # Errors
/// [`TokenCallFailed`] if the call reverts, returns `false`, or `token` has no code.
pub fn safe_transfer_from(
    token: Address,
    from: Address,
    to: Address,
    amount: U256,
) -> Result<(), TokenError> {
    if amount.is_zero() {
        return Ok(());
    }
    call_optional_return(token, &calls::transferFromCall { from, to, value: amount }.abi_encode())
}

/// Sets this contract's allowance for `spender` to exactly `amount`, first
/// resetting it to zero when the token refuses to change a non-zero
/// allowance (USDT-style).
///
/// # Errors
/// [`TokenCallFailed`] if both attempts fail.
pub fn force_approve(token: Address, spender: Address, amount: U256) -> Result<(), TokenError> {
    let set = calls::approveCall { spender, value: amount }.abi_encode();
    if call_optional_return(token, &set).is_ok() {
        return Ok(());
    }
    call_optional_return(token, &calls::approveCall { spender, value: U256::ZERO }.abi_encode())?;
    call_optional_return(token, &set)
}

/// `token.balanceOf(account)` as a static call.
///
/// # Errors
/// [`TokenCallFailed`] if the call reverts, `token` has no code, or the
/// return data is not a `uint256`.
pub fn balance_of(token: Address, account: Address) -> Result<U256, TokenError> {
    if !env::has_code(token) {
        return Err(TokenError::call_failed(token));
    }
    let data = calls::balanceOfCall { account }.abi_encode();
    // SAFETY: a static call cannot modify state or re-enter with writes.
    unsafe { RawCall::new_static().skip_return_data().call(token, &data) }
        .map_err(|_| TokenError::call_failed(token))?;
    let ret = env::return_data_prefix(WORD);
    calls::balanceOfCall::abi_decode_returns(&ret, true)
        .map(|r| r._0)
        .map_err(|_| TokenError::call_failed(token))
}

/// Pulls `amount` of `token` from `from` into this contract and returns
/// what actually arrived (the balance delta), so fee-on-transfer tokens are
/// credited only with what the contract received.
///
/// # Errors
/// [`TokenCallFailed`] if a call fails; a balance that does not increase by
/// a non-negative amount is treated as a failed call.
pub fn pull(token: Address, from: Address, amount: U256) -> Result<U256, TokenError> {
    if amount.is_zero() {
        return Ok(U256::ZERO);
    }
    let this = env::this();
    let before = balance_of(token, this)?;
    safe_transfer_from(token, from, this, amount)?;
    let after = balance_of(token, this)?;
    after.checked_sub(before).ok_or(TokenError::call_failed(token))
}

/// Like [`pull`], but fails unless exactly `amount` arrived: for contracts
/// whose accounting cannot absorb transfer fees.
///
/// # Errors
/// [`TokenCallFailed`] as in [`pull`]; [`TokenAmountShortfall`] when less
/// than `amount` arrived.
pub fn pull_exact(token: Address, from: Address, amount: U256) -> Result<(), TokenError> {
    let received = pull(token, from, amount)?;
    if received < amount {
        return Err(TokenError::Shortfall(TokenAmountShortfall {
            token,
            expected: amount,
            received,
        }));
    }
    Ok(())
}
