//! Safe ERC-20 transfers.
//!
//! Tokens in the wild return `true`, return nothing (USDT-style) or return
//! `false` instead of reverting, and some take a fee on transfer. Every
//! transfer here is a raw call whose return data is checked the way
//! OpenZeppelin's `SafeERC20` does (empty or ABI `true` is success), and
//! [`pull`] measures what actually arrived with a balance delta so callers
//! credit only received amounts.
//!
//! The calls are hand-encoded ([`crate::abi::encode`], [`crate::call::call_contract`]):
//! every argument is one word and the only answer read is one word (at most 32 bytes
//! are copied), which costs ~1.7 KiB less compressed WASM per contract than alloy's
//! generic encoder and decoder.

use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolCall};

use crate::{
    abi::{self, Word},
    call, env,
};

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
    #[inline]
    fn call_failed(token: Address) -> Self {
        Self::CallFailed(TokenCallFailed { token })
    }
}

/// Calls `token` with `selector(args…)`, treating empty return data or ABI `true` as
/// success. A token address without code fails (a call to an EOA would otherwise
/// "succeed" silently).
#[inline]
fn call_optional_return(
    token: Address,
    selector: [u8; 4],
    args: &[U256],
) -> Result<(), TokenError> {
    // Only the first word of the answer matters.
    let ret = call::call_contract(token, &abi::encode(&selector, args), false, abi::WORD)
        .map_err(|_| TokenError::call_failed(token))?;
    if succeeded(&ret) {
        Ok(())
    } else {
        Err(TokenError::call_failed(token))
    }
}

/// Whether the answer of a successful `transfer`, `transferFrom` or `approve` call means
/// success: no data (USDT-style tokens) or exactly ABI `true`. Read through a bound of one
/// word (as here), an answer longer than a word counts by its first word, as in
/// OpenZeppelin's `SafeERC20`; read whole, it fails.
#[must_use]
#[inline]
pub fn succeeded(answer: &[u8]) -> bool {
    answer.is_empty() || answer == U256::ONE.to_be_bytes::<32>().as_slice()
}

/// Sends `amount` of `token` from this contract to `to`.
///
/// # Errors
/// [`TokenCallFailed`] if the call reverts, returns `false`, or `token` has no code.
#[inline]
pub fn safe_transfer(token: Address, to: Address, amount: U256) -> Result<(), TokenError> {
    if amount.is_zero() {
        return Ok(());
    }
    call_optional_return(token, calls::transferCall::SELECTOR, &[to.word(), amount])
}

/// Moves `amount` of `token` from `from` to `to` using this contract's allowance.
///
/// # Errors
/// [`TokenCallFailed`] if the call reverts, returns `false`, or `token` has no code.
#[inline]
pub fn safe_transfer_from(
    token: Address,
    from: Address,
    to: Address,
    amount: U256,
) -> Result<(), TokenError> {
    if amount.is_zero() {
        return Ok(());
    }
    call_optional_return(
        token,
        calls::transferFromCall::SELECTOR,
        &[from.word(), to.word(), amount],
    )
}

/// Sets this contract's allowance for `spender` to exactly `amount`, first
/// resetting it to zero when the token refuses to change a non-zero
/// allowance (USDT-style).
///
/// # Errors
/// [`TokenCallFailed`] if both attempts fail.
#[inline]
pub fn force_approve(token: Address, spender: Address, amount: U256) -> Result<(), TokenError> {
    let approve =
        |value| call_optional_return(token, calls::approveCall::SELECTOR, &[spender.word(), value]);
    if approve(amount).is_ok() {
        return Ok(());
    }
    approve(U256::ZERO)?;
    approve(amount)
}

/// `token.balanceOf(account)` as a static call.
///
/// # Errors
/// [`TokenCallFailed`] if the call reverts, `token` has no code, or the
/// return data is not a `uint256`.
#[inline]
pub fn balance_of(token: Address, account: Address) -> Result<U256, TokenError> {
    let data = abi::encode(&calls::balanceOfCall::SELECTOR, &[account.word()]);
    let ret = call::call_contract(token, &data, true, abi::WORD)
        .map_err(|_| TokenError::call_failed(token))?;
    abi::Args(&ret).uint(0).ok_or(TokenError::call_failed(token))
}

/// Pulls `amount` of `token` from `from` into this contract and returns
/// what actually arrived (the balance delta), so fee-on-transfer tokens are
/// credited only with what the contract received.
///
/// # Errors
/// [`TokenCallFailed`] if a call fails; a balance that does not increase by
/// a non-negative amount is treated as a failed call.
#[inline]
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
#[inline]
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
