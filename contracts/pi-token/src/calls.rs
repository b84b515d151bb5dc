//! The pi-token's calls to its underlying token and its ERC-4626 venue, ABI-encoded by hand.
//!
//! Every argument and return value exchanged is one 32-byte word, so one encoder and one
//! word reader serve all of them; `sol_interface!` bindings and `strata_common::token`
//! (alloy's generic encoder) cost several KiB of compressed WASM that the contract cannot
//! afford. The token calls keep `strata_common::token`'s semantics: a token that returns
//! nothing succeeds, one that returns `false` or reverts fails, an address without code
//! fails. The selectors come from `sol!` declarations of the ERC-20 / ERC-4626 signatures.

use alloc::vec::Vec;

use alloy_sol_types::SolCall;
use strata_common::env;
use stylus_sdk::{
    alloy_primitives::{Address, FixedBytes, U256},
    call::RawCall,
};

use crate::abi::{address_word, encode_words};

pub(crate) mod sigs {
    #![allow(missing_docs, clippy::pub_underscore_fields)]
    alloy_sol_types::sol! {
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
        function balanceOf(address account) external view returns (uint256);
        function decimals() external view returns (uint8);
        function asset() external view returns (address);
        function previewRedeem(uint256 shares) external view returns (uint256);
        function maxWithdraw(address owner) external view returns (uint256);
        function deposit(uint256 assets, address receiver) external returns (uint256);
        function withdraw(uint256 assets, address receiver, address owner) external returns (uint256);
        function redeem(uint256 shares, address receiver, address owner) external returns (uint256);
    }
}

use sigs::{
    approveCall, assetCall, balanceOfCall, decimalsCall, depositCall, maxWithdrawCall,
    previewRedeemCall, redeemCall, transferCall, transferFromCall, withdrawCall,
};

/// Why a call failed: the selector of the callee's error (zero when it gave none, returned
/// `false`, returned malformed data or has no code).
pub(crate) type Reason = FixedBytes<4>;

fn calldata(selector: [u8; 4], words: &[U256]) -> Vec<u8> {
    let mut data = Vec::with_capacity(words.len().saturating_mul(32).saturating_add(4));
    data.extend_from_slice(&selector);
    data.extend_from_slice(&encode_words(words));
    data
}

fn reason_of(revert: &[u8]) -> Reason {
    FixedBytes(revert.get(..4).and_then(|s| <[u8; 4]>::try_from(s).ok()).unwrap_or_default())
}

/// Calls `target` (a static call when `view`) and returns its return data, or the selector
/// of the error it reverted with. A target without code fails.
fn raw(target: Address, data: &[u8], view: bool) -> Result<Vec<u8>, Reason> {
    if !env::has_code(target) {
        return Err(Reason::ZERO);
    }
    let call = if view { RawCall::new_static() } else { RawCall::new().flush_storage_cache() };
    // SAFETY: the underlying and the venue never call the pi-token back (calls go one way:
    // router -> pi-token -> venue -> underlying), mutating calls run under the pi-token's
    // reentrancy lock, and the storage cache is flushed first so the callee sees current state.
    unsafe { call.call(target, data) }.map_err(|revert| reason_of(&revert))
}

/// The first word of `data`.
fn first_word(data: &[u8]) -> Result<U256, Reason> {
    data.first_chunk::<32>().map(|w| U256::from_be_bytes(*w)).ok_or(Reason::ZERO)
}

/// A view returning one word.
pub(crate) fn view_word(target: Address, selector: [u8; 4], args: &[U256]) -> Result<U256, Reason> {
    first_word(&raw(target, &calldata(selector, args), true)?)
}

/// A mutating call returning one word.
fn call_word(target: Address, selector: [u8; 4], args: &[U256]) -> Result<U256, Reason> {
    first_word(&raw(target, &calldata(selector, args), false)?)
}

/// A token call whose return is optional: empty or ABI `true` is success.
fn call_optional_return(token: Address, selector: [u8; 4], args: &[U256]) -> Result<(), Reason> {
    let ret = raw(token, &calldata(selector, args), false)?;
    if ret.is_empty() || ret.as_slice() == U256::ONE.to_be_bytes::<32>().as_slice() {
        Ok(())
    } else {
        Err(Reason::ZERO)
    }
}

/// `token.balanceOf(account)`.
pub(crate) fn balance_of(token: Address, account: Address) -> Result<U256, Reason> {
    view_word(token, balanceOfCall::SELECTOR, &[address_word(account)])
}

/// `token.decimals()`, which must fit a `uint8`.
pub(crate) fn decimals(token: Address) -> Result<u8, Reason> {
    let word = view_word(token, decimalsCall::SELECTOR, &[])?;
    u8::try_from(word).map_err(|_| Reason::ZERO)
}

/// Sends `amount` of `token` to `to` (nothing for zero).
pub(crate) fn transfer(token: Address, to: Address, amount: U256) -> Result<(), Reason> {
    if amount.is_zero() {
        return Ok(());
    }
    call_optional_return(token, transferCall::SELECTOR, &[address_word(to), amount])
}

/// Moves `amount` of `token` from `from` to `to` with this contract's allowance.
pub(crate) fn transfer_from(
    token: Address,
    from: Address,
    to: Address,
    amount: U256,
) -> Result<(), Reason> {
    if amount.is_zero() {
        return Ok(());
    }
    call_optional_return(
        token,
        transferFromCall::SELECTOR,
        &[address_word(from), address_word(to), amount],
    )
}

/// Sets this contract's allowance for `spender` to `amount`, resetting it to zero first when
/// the token refuses to change a non-zero allowance (USDT-style).
pub(crate) fn force_approve(token: Address, spender: Address, amount: U256) -> Result<(), Reason> {
    let args = [address_word(spender), amount];
    if call_optional_return(token, approveCall::SELECTOR, &args).is_ok() {
        return Ok(());
    }
    call_optional_return(token, approveCall::SELECTOR, &[address_word(spender), U256::ZERO])?;
    call_optional_return(token, approveCall::SELECTOR, &args)
}

/// `venue.asset()`.
pub(crate) fn asset(venue: Address) -> Result<Address, Reason> {
    crate::abi::word_address(view_word(venue, assetCall::SELECTOR, &[])?).ok_or(Reason::ZERO)
}

/// `venue.previewRedeem(shares)`: what `shares` would redeem for now.
pub(crate) fn preview_redeem(venue: Address, shares: U256) -> Result<U256, Reason> {
    view_word(venue, previewRedeemCall::SELECTOR, &[shares])
}

/// `venue.maxWithdraw(owner)`: the assets `owner` can withdraw now.
pub(crate) fn max_withdraw(venue: Address, owner: Address) -> Result<U256, Reason> {
    view_word(venue, maxWithdrawCall::SELECTOR, &[address_word(owner)])
}

/// `venue.deposit(assets, receiver)`: the shares minted.
pub(crate) fn venue_deposit(
    venue: Address,
    assets: U256,
    receiver: Address,
) -> Result<U256, Reason> {
    call_word(venue, depositCall::SELECTOR, &[assets, address_word(receiver)])
}

/// `venue.withdraw(assets, receiver, owner)`: the shares burnt.
pub(crate) fn venue_withdraw(
    venue: Address,
    assets: U256,
    account: Address,
) -> Result<U256, Reason> {
    let account = address_word(account);
    call_word(venue, withdrawCall::SELECTOR, &[assets, account, account])
}

/// `venue.redeem(shares, receiver, owner)`: the assets paid.
pub(crate) fn venue_redeem(venue: Address, shares: U256, account: Address) -> Result<U256, Reason> {
    let account = address_word(account);
    call_word(venue, redeemCall::SELECTOR, &[shares, account, account])
}

/// Calls `target` with `data` (a meta-governance call); only success matters, so no return
/// data is copied (a target cannot make the pi-token pay for a return-data bomb).
pub(crate) fn call_raw(target: Address, data: &[u8]) -> Result<(), Reason> {
    if !env::has_code(target) {
        return Err(Reason::ZERO);
    }
    // SAFETY: as in `raw`; the caller holds the reentrancy lock.
    unsafe { RawCall::new().flush_storage_cache().skip_return_data().call(target, data) }
        .map(|_| ())
        .map_err(|_| Reason::ZERO)
}
