//! The pi-token's calls to its underlying token and its ERC-4626 venue, hand-encoded with
//! `strata_common::{abi, call}`.
//!
//! Every argument and return value exchanged is one 32-byte word, so the shared encoder and
//! one raw call serve all of them (`sol_interface!` bindings cost several KiB of compressed
//! WASM). Failures keep the callee's error selector (`reason` in `PiTokenTokenCallFailed` /
//! `PiTokenVenueCallFailed`), which `strata_common::token` does not report, so the token
//! calls live here with `strata_common::token`'s semantics: a token that returns nothing
//! succeeds, one that returns `false` (or anything but exactly ABI `true`) or reverts fails,
//! an address without code fails. The selectors come from `sol!` declarations of the ERC-20
//! / ERC-4626 signatures.

use alloc::vec::Vec;

use alloy_sol_types::SolCall;
use strata_common::{
    abi::{self, Word},
    call, token,
};
use stylus_sdk::alloy_primitives::{Address, FixedBytes, U256};

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

/// Bytes of an answer read: one word, and one more byte to tell an exact one-word answer
/// (a token's `true`) from a longer one.
const MAX_RETURN: usize = abi::WORD + 1;

/// Calls `target` (a static call when `view`) with `selector(args…)` and returns its return
/// data, or the selector of the error it reverted with. A target without code fails.
fn raw(target: Address, selector: [u8; 4], args: &[U256], view: bool) -> Result<Vec<u8>, Reason> {
    // The underlying and the venue never call the pi-token back (calls go one way:
    // router -> pi-token -> venue -> underlying), and mutating calls run under the pi-token's
    // reentrancy lock (see `strata_common::call`).
    call::call_contract(target, &abi::encode(&selector, args), view, MAX_RETURN)
        .map_err(|revert| abi::selector_of(&revert))
}

/// The first word of `data`.
fn first_word(data: &[u8]) -> Result<U256, Reason> {
    abi::Args(data).uint(0).ok_or(Reason::ZERO)
}

/// A view returning one word.
pub(crate) fn view_word(target: Address, selector: [u8; 4], args: &[U256]) -> Result<U256, Reason> {
    first_word(&raw(target, selector, args, true)?)
}

/// A mutating call returning one word.
fn call_word(target: Address, selector: [u8; 4], args: &[U256]) -> Result<U256, Reason> {
    first_word(&raw(target, selector, args, false)?)
}

/// A token call whose return is optional: empty or ABI `true` is success.
fn call_optional_return(token: Address, selector: [u8; 4], args: &[U256]) -> Result<(), Reason> {
    let ret = raw(token, selector, args, false)?;
    if token::succeeded(&ret) {
        Ok(())
    } else {
        Err(Reason::ZERO)
    }
}

/// `token.balanceOf(account)`.
pub(crate) fn balance_of(token: Address, account: Address) -> Result<U256, Reason> {
    view_word(token, balanceOfCall::SELECTOR, &[account.word()])
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
    call_optional_return(token, transferCall::SELECTOR, &[to.word(), amount])
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
    call_optional_return(token, transferFromCall::SELECTOR, &[from.word(), to.word(), amount])
}

/// Sets this contract's allowance for `spender` to `amount`, resetting it to zero first when
/// the token refuses to change a non-zero allowance (USDT-style).
pub(crate) fn force_approve(token: Address, spender: Address, amount: U256) -> Result<(), Reason> {
    let args = [spender.word(), amount];
    if call_optional_return(token, approveCall::SELECTOR, &args).is_ok() {
        return Ok(());
    }
    call_optional_return(token, approveCall::SELECTOR, &[spender.word(), U256::ZERO])?;
    call_optional_return(token, approveCall::SELECTOR, &args)
}

/// `venue.asset()`.
pub(crate) fn asset(venue: Address) -> Result<Address, Reason> {
    abi::word_address(view_word(venue, assetCall::SELECTOR, &[])?).ok_or(Reason::ZERO)
}

/// `venue.previewRedeem(shares)`: what `shares` would redeem for now.
pub(crate) fn preview_redeem(venue: Address, shares: U256) -> Result<U256, Reason> {
    view_word(venue, previewRedeemCall::SELECTOR, &[shares])
}

/// `venue.maxWithdraw(owner)`: the assets `owner` can withdraw now.
pub(crate) fn max_withdraw(venue: Address, owner: Address) -> Result<U256, Reason> {
    view_word(venue, maxWithdrawCall::SELECTOR, &[owner.word()])
}

/// `venue.deposit(assets, receiver)`: the shares minted.
pub(crate) fn venue_deposit(
    venue: Address,
    assets: U256,
    receiver: Address,
) -> Result<U256, Reason> {
    call_word(venue, depositCall::SELECTOR, &[assets, receiver.word()])
}

/// `venue.withdraw(assets, receiver, owner)`: the shares burnt.
pub(crate) fn venue_withdraw(
    venue: Address,
    assets: U256,
    account: Address,
) -> Result<U256, Reason> {
    let account = account.word();
    call_word(venue, withdrawCall::SELECTOR, &[assets, account, account])
}

/// `venue.redeem(shares, receiver, owner)`: the assets paid.
pub(crate) fn venue_redeem(venue: Address, shares: U256, account: Address) -> Result<U256, Reason> {
    let account = account.word();
    call_word(venue, redeemCall::SELECTOR, &[shares, account, account])
}

/// Calls `target` with `data` (a meta-governance call); only success matters, so no return
/// data is copied (a target cannot make the pi-token pay for a return-data bomb).
pub(crate) fn call_raw(target: Address, data: &[u8]) -> Result<(), Reason> {
    // As in `raw`; the caller holds the reentrancy lock.
    call::call_contract(target, data, false, 0).map(|_| ()).map_err(|_| Reason::ZERO)
}
