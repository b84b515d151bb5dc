//! # `PiToken` — a yield-bearing wrapper over one underlying (the Index system's "piAAVE")
//!
//! An ERC-20 whose every unit is a claim on a growing amount of one underlying token. Part
//! of the underlying stays in the wrapper as a liquid **reserve**; the rest is **staked** in
//! an ERC-4626 **venue** (a yVault, a staking wrapper, an aToken wrapper) where it earns
//! yield. Yield raises the underlying per pi, so an index pool that holds pi-tokens
//! compounds without rebalancing. A `yield-router` (the wrapper's **router**) keeps the
//! reserve at its target ratio, harvests the yield and takes a performance fee;
//! meta-governance calls let the pooled underlying vote.
//!
//! ## Units and formulas
//!
//! `A` = total underlying = `reserve + staked`, where `reserve` is the wrapper's underlying
//! balance and `staked = venue.previewRedeem(venue.balanceOf(this))` (what its venue shares
//! redeem for now, fees included); `S` = pi supply; `V = VIRTUAL_OFFSET = 1` virtual pi and
//! virtual underlying (OpenZeppelin's ERC-4626 offset 0):
//!
//! ```text
//! deposit(u)             pi = ⌊u · (S + V) / (A + V)⌋      (1:1 while empty)
//! mint(pi)               u  = ⌈pi · (A + V) / (S + V)⌉
//! withdraw(pi)           u  = ⌊pi · (A + V) / (S + V)⌋
//! withdrawUnderlying(u)  pi = ⌈u · (S + V) / (A + V)⌉
//! ```
//!
//! Every conversion rounds in the holders' favour (against the caller), so no deposit →
//! withdraw round trip returns more than it paid. The virtual pi and underlying defeat the
//! first-depositor inflation attack: a donation to an (almost) empty wrapper is shared with
//! the virtual pi, so the attacker loses more than a victim could, and a deposit that would
//! mint no pi reverts (`PiTokenZeroAmount`) instead of being swallowed. The virtual
//! underlying is one wei: with equal virtual amounts larger than one, holders' claims could
//! exceed `A` after a venue loss; with one wei the excess is below one wei and rounding
//! down removes it, so Σ claims ≤ `A` always.
//!
//! ## Reserve, venue and withdrawals
//!
//! Deposits add to the reserve. `withdraw` pays from the reserve; when the reserve cannot
//! cover the payout `w`, the wrapper redeems from its venue itself (user → pi-token → venue)
//! enough to pay `w` and to leave the reserve at the router's target ratio afterwards — the
//! anchor's *pending withdrawal*:
//!
//! ```text
//! expectedReserve = ⌊reserveRatio · (staked + reserve − w)⌋ + w
//! redeemed        = min(expectedReserve − reserve, venue.maxWithdraw(this))
//! ```
//!
//! and reverts with `PiTokenInsufficientLiquidity` only when the reserve plus everything the
//! venue can release now is below `w` (an illiquid venue; retry later or withdraw less). A
//! venue loss lowers `staked`, hence `A`, at once: every holder's pi is worth
//! proportionally less (the loss is socialised, not left to the last withdrawer), and no
//! stored principal can exceed what the venue holds, so a loss never makes withdrawals
//! revert.
//!
//! ## Router functions
//!
//! Only the router moves underlying between the reserve and the venue (`stake`, `unstake`),
//! harvests (`harvest`), sets the reserve ratio, migrates the venue (`setVenue`, once
//! nothing is staked) or itself (`setRouter`), and makes meta-governance calls. It cannot
//! take underlying out: venue moves stay inside the wrapper, the performance fee is bounded
//! by `MAX_PERFORMANCE_FEE` of realised yield, and voting calls are allow-listed and may not
//! lower the wrapper's underlying balance or venue shares.
//!
//! **Performance fee.** `venueCheckpoint` is the venue value at the last harvest, plus
//! staked and minus unstaked amounts. `harvest(feeRate, receiver)` realises
//! `gain = staked − venueCheckpoint` when positive, charges `fee = ⌊gain · feeRate⌋` and
//! moves the checkpoint up to `staked`. The fee is paid in pi minted to the receiver,
//! `⌊fee · (S + V) / (A + V − fee)⌋`, worth the fee at the post-fee rate (ERC-4626 vaults
//! with performance fees do the same): no venue liquidity is needed, so a harvest never
//! fails for an illiquid venue. After a loss the checkpoint stays put (a high-water mark):
//! no fee is charged until the loss is recovered.
//!
//! **Meta-governance.** `callVoting(target, selector, args)` calls `target` with `selector
//! ++ args` for allow-listed `(target, selector)` pairs (e.g. the underlying's `delegate`, a
//! governor's `castVote`), so the pooled underlying votes. ERC-20 `transfer`,
//! `transferFrom`, `approve` and `increaseAllowance` can never be allow-listed.
//!
//! ## Call graph (one way; Stylus reverts re-entry)
//!
//! ```text
//! user / index-router ──deposit/mint/withdraw──▶ pi-token ──▶ underlying (ERC-20)
//!                                                    └──────▶ venue (ERC-4626) ──▶ underlying
//! yield-router ──stake/unstake/harvest/setReserveRatio/callVoting──▶ pi-token ──▶ venue / governance target
//! ```
//!
//! The pi-token never calls its router, so `withdraw` needs no router: it redeems from the
//! venue itself.
//!
//! ## ABI
//!
//! Calldata is decoded by the contract's own small reader ([`abi`], [`dispatch`]), the way
//! the index pool does it, to stay under the size limit (see `README.md`); the interface is
//! `interfaces/IPiToken.sol`. Name and symbol are fixed `bytes32`; decimals are the
//! underlying's.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "export-abi", allow(missing_docs))]
#![cfg_attr(
    not(test),
    deny(
        clippy::arithmetic_side_effects,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
// `Error` carries each Solidity error's arguments; boxing would cost code size for nothing.
#![allow(clippy::result_large_err)]
extern crate alloc;

pub mod abi;
mod calls;
pub mod dispatch;

use alloc::{string::String, vec, vec::Vec};

use openzeppelin_stylus::token::erc20::{self, Erc20, IErc20};
use strata_common::{
    abi::{encode, encode_bytes, Word},
    env, log,
    reentrancy::{ReentrancyLock, ReentrantCall},
};
use strata_math::{mul_div_down, mul_div_up, MathError};
use stylus_sdk::{
    alloy_primitives::{uint, Address, FixedBytes, B256, U256, U8},
    alloy_sol_types::SolEvent,
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageFixedBytes, StorageMap, StorageU256, StorageU8},
    ArbResult,
};

use crate::calls::Reason;

/// 1.0 in 18-decimal fixed point.
pub const WAD: U256 = uint!(1_000_000_000_000_000_000_U256);
/// Virtual pi and virtual underlying added to the supply and the total underlying in every
/// conversion (see the module doc).
pub const VIRTUAL_OFFSET: U256 = uint!(1_U256);
/// Largest performance fee: half of the realised yield.
pub const MAX_PERFORMANCE_FEE: U256 = uint!(500_000_000_000_000_000_U256);
/// ERC-20 selectors that move or approve the wrapper's tokens, never allow-listed for
/// `callVoting`: `transfer`, `transferFrom`, `approve`, `increaseAllowance`.
pub const FORBIDDEN_VOTING_SELECTORS: [[u8; 4]; 4] = [
    [0xa9, 0x05, 0x9c, 0xbb],
    [0x23, 0xb8, 0x72, 0xdd],
    [0x09, 0x5e, 0xa7, 0xb3],
    [0x39, 0x50, 0x93, 0x51],
];

strata_common::sol_events! {
    /// `caller` deposited `amount` of underlying for `piAmount` pi.
    event Deposit(address indexed caller, uint256 amount, uint256 piAmount);
    /// `caller` burnt `piAmount` pi for `amount` of underlying.
    event Withdraw(address indexed caller, uint256 amount, uint256 piAmount);
    /// `amount` of underlying moved from the reserve into `venue` for `shares`.
    event VenueDeposit(address indexed venue, uint256 amount, uint256 shares);
    /// `amount` of underlying moved from `venue` into the reserve, burning `shares`.
    event VenueWithdraw(address indexed venue, uint256 amount, uint256 shares);
    /// Yield `gain` was realised; `fee` of it went to `receiver` as `feePiAmount` pi; the venue checkpoint is now `venueCheckpoint`.
    event Harvested(address indexed receiver, uint256 gain, uint256 fee, uint256 feePiAmount, uint256 venueCheckpoint);
    /// The target share of the reserve in the total underlying changed.
    event ReserveRatioSet(uint256 ratio);
    /// The router changed.
    event RouterSet(address indexed previousRouter, address indexed newRouter);
    /// The venue changed.
    event VenueSet(address indexed previousVenue, address indexed newVenue);
    /// `selector` on `target` was allowed (`true`) or disallowed for `callVoting`.
    event VotingAllowedSet(address indexed target, bytes4 indexed selector, bool allowed);
    /// The router called `selector` on `target` with `args`.
    event VotingCalled(address indexed target, bytes4 indexed selector, bytes args);
}

/// Every event of the pi-token (its own and the ERC-20's), for the exported interface.
// Constant indices into constant arrays: checked at compile time.
#[allow(clippy::indexing_slicing)]
pub const ALL_EVENTS_ABI: [&str; 12] = [
    strata_common::ERC20_EVENTS_ABI[0],
    strata_common::ERC20_EVENTS_ABI[1],
    EVENTS_ABI[0],
    EVENTS_ABI[1],
    EVENTS_ABI[2],
    EVENTS_ABI[3],
    EVENTS_ABI[4],
    EVENTS_ABI[5],
    EVENTS_ABI[6],
    EVENTS_ABI[7],
    EVENTS_ABI[8],
    EVENTS_ABI[9],
];

alloy_sol_types::sol! {
    /// `caller` is not the router.
    #[derive(Debug, PartialEq, Eq)]
    error PiTokenNotRouter(address caller);
    /// The zero address was given where an account or contract is required.
    #[derive(Debug, PartialEq, Eq)]
    error PiTokenZeroAddress();
    /// A zero amount was given, or the amount converts to zero.
    #[derive(Debug, PartialEq, Eq)]
    error PiTokenZeroAmount();
    /// `ratio` is above `max` (1e18).
    #[derive(Debug, PartialEq, Eq)]
    error PiTokenInvalidReserveRatio(uint256 ratio, uint256 max);
    /// `feeRate` is above `max` (`MAX_PERFORMANCE_FEE`).
    #[derive(Debug, PartialEq, Eq)]
    error PiTokenInvalidFee(uint256 feeRate, uint256 max);
    /// A withdrawal of `requested` underlying exceeds the reserve plus what the venue can release now, `available`.
    #[derive(Debug, PartialEq, Eq)]
    error PiTokenInsufficientLiquidity(uint256 requested, uint256 available);
    /// `amount` is above the reserve, `reserve`.
    #[derive(Debug, PartialEq, Eq)]
    error PiTokenInsufficientReserve(uint256 amount, uint256 reserve);
    /// `venue`'s asset is `asset`, not the underlying.
    #[derive(Debug, PartialEq, Eq)]
    error PiTokenVenueAssetMismatch(address venue, address asset);
    /// The wrapper still holds `shares` of `venue`.
    #[derive(Debug, PartialEq, Eq)]
    error PiTokenVenueNotEmpty(address venue, uint256 shares);
    /// A call to `venue` failed (`reason`: the selector of its error, zero when none).
    #[derive(Debug, PartialEq, Eq)]
    error PiTokenVenueCallFailed(address venue, bytes4 reason);
    /// A call to `token` failed, reverted or returned `false` (`reason`: the selector of its error).
    #[derive(Debug, PartialEq, Eq)]
    error PiTokenTokenCallFailed(address token, bytes4 reason);
    /// `received` of underlying arrived where `expected` was required (fee-on-transfer underlying in `mint`).
    #[derive(Debug, PartialEq, Eq)]
    error PiTokenTokenShortfall(uint256 expected, uint256 received);
    /// `selector` on `target` is not allow-listed for `callVoting`.
    #[derive(Debug, PartialEq, Eq)]
    error PiTokenVotingNotAllowed(address target, bytes4 selector);
    /// `selector` moves or approves tokens and can never be allow-listed.
    #[derive(Debug, PartialEq, Eq)]
    error PiTokenVotingSelectorForbidden(bytes4 selector);
    /// The voting call to `target` reverted.
    #[derive(Debug, PartialEq, Eq)]
    error PiTokenVotingCallFailed(address target, bytes4 selector);
    /// A voting call lowered the wrapper's balance of `token` from `before` to `after`.
    #[derive(Debug, PartialEq, Eq)]
    error PiTokenVotingMovedFunds(address token, uint256 before, uint256 after);
    /// Arithmetic failed (`code`: `strata_math::MathError::code`).
    #[derive(Debug, PartialEq, Eq)]
    error PiTokenMath(uint8 code);
    /// A guarded function was re-entered.
    #[derive(Debug, PartialEq, Eq)]
    error PiTokenReentrantCall();
}

/// Errors of the pi-token: each is a Solidity custom error with its arguments.
///
/// The revert data is encoded by hand ([`Error::encode`]): the SDK's `SolidityError` derive
/// monomorphises alloy's encoder per error type (about 1 KiB of compressed WASM for these
/// 24 errors). The derive is kept for the `export-abi` build, which lists the errors in the
/// interface; a unit test checks the hand encoding against `SolError::abi_encode` for every
/// error.
#[cfg_attr(feature = "export-abi", derive(SolidityError))]
#[derive(Debug)]
pub enum Error {
    /// See [`PiTokenNotRouter`].
    NotRouter(PiTokenNotRouter),
    /// See [`PiTokenZeroAddress`].
    ZeroAddress(PiTokenZeroAddress),
    /// See [`PiTokenZeroAmount`].
    ZeroAmount(PiTokenZeroAmount),
    /// See [`PiTokenInvalidReserveRatio`].
    InvalidReserveRatio(PiTokenInvalidReserveRatio),
    /// See [`PiTokenInvalidFee`].
    InvalidFee(PiTokenInvalidFee),
    /// See [`PiTokenInsufficientLiquidity`].
    InsufficientLiquidity(PiTokenInsufficientLiquidity),
    /// See [`PiTokenInsufficientReserve`].
    InsufficientReserve(PiTokenInsufficientReserve),
    /// See [`PiTokenVenueAssetMismatch`].
    VenueAssetMismatch(PiTokenVenueAssetMismatch),
    /// See [`PiTokenVenueNotEmpty`].
    VenueNotEmpty(PiTokenVenueNotEmpty),
    /// See [`PiTokenVenueCallFailed`].
    VenueCallFailed(PiTokenVenueCallFailed),
    /// See [`PiTokenTokenCallFailed`].
    TokenCallFailed(PiTokenTokenCallFailed),
    /// See [`PiTokenTokenShortfall`].
    TokenShortfall(PiTokenTokenShortfall),
    /// See [`PiTokenVotingNotAllowed`].
    VotingNotAllowed(PiTokenVotingNotAllowed),
    /// See [`PiTokenVotingSelectorForbidden`].
    VotingSelectorForbidden(PiTokenVotingSelectorForbidden),
    /// See [`PiTokenVotingCallFailed`].
    VotingCallFailed(PiTokenVotingCallFailed),
    /// See [`PiTokenVotingMovedFunds`].
    VotingMovedFunds(PiTokenVotingMovedFunds),
    /// See [`PiTokenMath`].
    Math(PiTokenMath),
    /// See [`PiTokenReentrantCall`].
    ReentrantCall(PiTokenReentrantCall),
    /// Pi balance too low (OpenZeppelin ERC-20).
    InsufficientBalance(erc20::ERC20InsufficientBalance),
    /// Pi allowance too low (OpenZeppelin ERC-20).
    InsufficientAllowance(erc20::ERC20InsufficientAllowance),
    /// Zero-address sender (OpenZeppelin ERC-20).
    InvalidSender(erc20::ERC20InvalidSender),
    /// Zero-address receiver (OpenZeppelin ERC-20).
    InvalidReceiver(erc20::ERC20InvalidReceiver),
    /// Zero-address spender (OpenZeppelin ERC-20).
    InvalidSpender(erc20::ERC20InvalidSpender),
    /// Zero-address approver (OpenZeppelin ERC-20).
    InvalidApprover(erc20::ERC20InvalidApprover),
}

impl From<erc20::Error> for Error {
    fn from(e: erc20::Error) -> Self {
        match e {
            erc20::Error::InsufficientBalance(e) => Error::InsufficientBalance(e),
            erc20::Error::InsufficientAllowance(e) => Error::InsufficientAllowance(e),
            erc20::Error::InvalidSender(e) => Error::InvalidSender(e),
            erc20::Error::InvalidReceiver(e) => Error::InvalidReceiver(e),
            erc20::Error::InvalidSpender(e) => Error::InvalidSpender(e),
            erc20::Error::InvalidApprover(e) => Error::InvalidApprover(e),
        }
    }
}

#[cfg(not(feature = "export-abi"))]
impl From<Error> for Vec<u8> {
    fn from(e: Error) -> Self {
        e.encode()
    }
}

impl Error {
    /// The ABI encoding of the Solidity error: its selector, then one word per argument.
    pub fn encode(&self) -> Vec<u8> {
        use alloy_sol_types::SolError;
        let addr = Address::word;
        let b4 = |s: &FixedBytes<4>| s.word();
        let (selector, words): ([u8; 4], &[U256]) = match self {
            Error::NotRouter(e) => (PiTokenNotRouter::SELECTOR, &[addr(e.caller)]),
            Error::ZeroAddress(_) => (PiTokenZeroAddress::SELECTOR, &[]),
            Error::ZeroAmount(_) => (PiTokenZeroAmount::SELECTOR, &[]),
            Error::InvalidReserveRatio(e) => {
                (PiTokenInvalidReserveRatio::SELECTOR, &[e.ratio, e.max])
            }
            Error::InvalidFee(e) => (PiTokenInvalidFee::SELECTOR, &[e.feeRate, e.max]),
            Error::InsufficientLiquidity(e) => {
                (PiTokenInsufficientLiquidity::SELECTOR, &[e.requested, e.available])
            }
            Error::InsufficientReserve(e) => {
                (PiTokenInsufficientReserve::SELECTOR, &[e.amount, e.reserve])
            }
            Error::VenueAssetMismatch(e) => {
                (PiTokenVenueAssetMismatch::SELECTOR, &[addr(e.venue), addr(e.asset)])
            }
            Error::VenueNotEmpty(e) => (PiTokenVenueNotEmpty::SELECTOR, &[addr(e.venue), e.shares]),
            Error::VenueCallFailed(e) => {
                (PiTokenVenueCallFailed::SELECTOR, &[addr(e.venue), b4(&e.reason)])
            }
            Error::TokenCallFailed(e) => {
                (PiTokenTokenCallFailed::SELECTOR, &[addr(e.token), b4(&e.reason)])
            }
            Error::TokenShortfall(e) => {
                (PiTokenTokenShortfall::SELECTOR, &[e.expected, e.received])
            }
            Error::VotingNotAllowed(e) => {
                (PiTokenVotingNotAllowed::SELECTOR, &[addr(e.target), b4(&e.selector)])
            }
            Error::VotingSelectorForbidden(e) => {
                (PiTokenVotingSelectorForbidden::SELECTOR, &[b4(&e.selector)])
            }
            Error::VotingCallFailed(e) => {
                (PiTokenVotingCallFailed::SELECTOR, &[addr(e.target), b4(&e.selector)])
            }
            Error::VotingMovedFunds(e) => {
                (PiTokenVotingMovedFunds::SELECTOR, &[addr(e.token), e.before, e.after])
            }
            Error::Math(e) => (PiTokenMath::SELECTOR, &[U256::from(e.code)]),
            Error::ReentrantCall(_) => (PiTokenReentrantCall::SELECTOR, &[]),
            Error::InsufficientBalance(e) => {
                (erc20::ERC20InsufficientBalance::SELECTOR, &[addr(e.sender), e.balance, e.needed])
            }
            Error::InsufficientAllowance(e) => (
                erc20::ERC20InsufficientAllowance::SELECTOR,
                &[addr(e.spender), e.allowance, e.needed],
            ),
            Error::InvalidSender(e) => (erc20::ERC20InvalidSender::SELECTOR, &[addr(e.sender)]),
            Error::InvalidReceiver(e) => {
                (erc20::ERC20InvalidReceiver::SELECTOR, &[addr(e.receiver)])
            }
            Error::InvalidSpender(e) => (erc20::ERC20InvalidSpender::SELECTOR, &[addr(e.spender)]),
            Error::InvalidApprover(e) => {
                (erc20::ERC20InvalidApprover::SELECTOR, &[addr(e.approver)])
            }
        };
        encode(&selector, words)
    }
}

impl From<MathError> for Error {
    fn from(e: MathError) -> Self {
        Error::Math(PiTokenMath { code: e.code() })
    }
}

impl From<ReentrantCall> for Error {
    fn from(_: ReentrantCall) -> Self {
        Error::ReentrantCall(PiTokenReentrantCall {})
    }
}

fn token_failed(token: Address) -> impl Fn(Reason) -> Error {
    move |reason| Error::TokenCallFailed(PiTokenTokenCallFailed { token, reason })
}

fn venue_failed(venue: Address) -> impl Fn(Reason) -> Error {
    move |reason| Error::VenueCallFailed(PiTokenVenueCallFailed { venue, reason })
}

fn zero_amount() -> Error {
    Error::ZeroAmount(PiTokenZeroAmount {})
}

fn zero_address() -> Error {
    Error::ZeroAddress(PiTokenZeroAddress {})
}

/// `amount · (supply + offset) / (total + offset)`: pi for `amount` of underlying, rounded
/// down or up. The contract uses `offset = VIRTUAL_OFFSET`.
///
/// # Errors
/// [`MathError`] on overflow or a zero denominator.
pub fn convert_to_pi(
    amount: U256,
    total: U256,
    supply: U256,
    offset: U256,
    round_up: bool,
) -> Result<U256, MathError> {
    let num = supply.checked_add(offset).ok_or(MathError::Overflow)?;
    let den = total.checked_add(offset).ok_or(MathError::Overflow)?;
    if round_up {
        mul_div_up(amount, num, den)
    } else {
        mul_div_down(amount, num, den)
    }
}

/// `pi · (total + offset) / (supply + offset)`: underlying for `pi`, rounded down or up.
///
/// # Errors
/// [`MathError`] on overflow or a zero denominator.
pub fn convert_to_underlying(
    pi: U256,
    total: U256,
    supply: U256,
    offset: U256,
    round_up: bool,
) -> Result<U256, MathError> {
    convert_to_pi(pi, supply, total, offset, round_up)
}

/// The reserve the wrapper should hold: `⌊ratio · (staked + reserve − pending) / 1e18⌋ +
/// pending`, where `pending` is underlying about to leave (a withdrawal being paid).
///
/// # Errors
/// [`MathError`] when `pending` exceeds `staked + reserve` or on overflow.
pub fn expected_reserve(
    ratio: U256,
    staked: U256,
    reserve: U256,
    pending: U256,
) -> Result<U256, MathError> {
    let total = staked.checked_add(reserve).ok_or(MathError::Overflow)?;
    let rest = total.checked_sub(pending).ok_or(MathError::Underflow)?;
    mul_div_down(ratio, rest, WAD)?.checked_add(pending).ok_or(MathError::Overflow)
}

/// Where the underlying is: the reserve, the venue shares and what they redeem for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Totals {
    /// Underlying held by the wrapper.
    pub reserve: U256,
    /// Venue shares held by the wrapper.
    pub shares: U256,
    /// `venue.previewRedeem(shares)` (zero without shares).
    pub staked: U256,
}

impl Totals {
    /// `reserve + staked`.
    ///
    /// # Errors
    /// [`PiTokenMath`] on overflow.
    pub fn total(&self) -> Result<U256, Error> {
        Ok(self.reserve.checked_add(self.staked).ok_or(MathError::Overflow)?)
    }
}

/// The pi-token.
#[entrypoint]
#[storage]
pub struct PiToken {
    erc20: Erc20,
    name: StorageFixedBytes<32>,
    symbol: StorageFixedBytes<32>,
    decimals: StorageU8,
    underlying: StorageAddress,
    venue: StorageAddress,
    router: StorageAddress,
    reserve_ratio: StorageU256,
    venue_checkpoint: StorageU256,
    voting_allowed: StorageMap<Address, StorageMap<FixedBytes<4>, StorageBool>>,
    lock: ReentrancyLock,
}

#[public]
impl PiToken {
    /// Sets the name and symbol (zero-padded `bytes32`), the underlying (its decimals
    /// become the pi's), the venue (an ERC-4626 vault of the underlying) and the router.
    /// The reserve ratio starts at zero.
    ///
    /// # Errors
    /// [`PiTokenZeroAddress`], [`PiTokenTokenCallFailed`] when the underlying's `decimals`
    /// fails, [`PiTokenVenueCallFailed`] / [`PiTokenVenueAssetMismatch`] when the venue is
    /// not a vault of the underlying.
    ///
    /// # Events
    /// `RouterSet`, `VenueSet`.
    #[constructor]
    pub fn constructor(
        &mut self,
        name: FixedBytes<32>,
        symbol: FixedBytes<32>,
        underlying: Address,
        venue: Address,
        router: Address,
    ) -> Result<(), Error> {
        if underlying.is_zero() || router.is_zero() {
            return Err(zero_address());
        }
        let decimals = calls::decimals(underlying).map_err(token_failed(underlying))?;
        self.name.set(name);
        self.symbol.set(symbol);
        self.decimals.set(U8::from(decimals));
        self.underlying.set(underlying);
        self.write_router(router);
        self.write_venue(venue)
    }

    /// Every call after deployment, decoded by [`dispatch::dispatch`].
    ///
    /// # Errors
    /// The function's named errors; empty revert data for an unknown selector, malformed
    /// arguments or ETH sent with the call.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        dispatch::dispatch(self, calldata)
    }
}

// ------------------------------------------------------------------------------- ERC-20
impl PiToken {
    /// Name (the constructor's bytes up to the first zero byte).
    pub fn name(&self) -> String {
        String::from_utf8_lossy(&unpad(self.name.get())).into_owned()
    }

    /// Symbol (the constructor's bytes up to the first zero byte).
    pub fn symbol(&self) -> String {
        String::from_utf8_lossy(&unpad(self.symbol.get())).into_owned()
    }

    pub(crate) fn name_bytes(&self) -> Vec<u8> {
        unpad(self.name.get())
    }

    pub(crate) fn symbol_bytes(&self) -> Vec<u8> {
        unpad(self.symbol.get())
    }

    /// Decimals: the underlying's.
    pub fn decimals(&self) -> u8 {
        self.decimals.get().to::<u8>()
    }

    /// Pi supply.
    pub fn total_supply(&self) -> U256 {
        self.erc20.total_supply()
    }

    /// Pi of `account`.
    pub fn balance_of(&self, account: Address) -> U256 {
        self.erc20.balance_of(account)
    }

    /// Allowance of `spender` over `owner`'s pi.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.erc20.allowance(owner, spender)
    }

    /// `approve(spender, value)`.
    ///
    /// # Errors
    /// `ERC20InvalidSpender`.
    ///
    /// # Events
    /// `Approval`.
    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Error> {
        Ok(self.erc20.approve(spender, value)?)
    }

    /// `transfer(to, value)`.
    ///
    /// # Errors
    /// `ERC20InsufficientBalance`, `ERC20InvalidReceiver`.
    ///
    /// # Events
    /// `Transfer`.
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Error> {
        Ok(self.erc20.transfer(to, value)?)
    }

    /// `transferFrom(from, to, value)`.
    ///
    /// # Errors
    /// `ERC20InsufficientAllowance`, `ERC20InsufficientBalance`, `ERC20InvalidReceiver`.
    ///
    /// # Events
    /// `Transfer`, `Approval` when a finite allowance is spent.
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, Error> {
        Ok(self.erc20.transfer_from(from, to, value)?)
    }
}

// ------------------------------------------------------------------------------- wrapping
impl PiToken {
    /// `deposit(amount)`: pulls `amount` of underlying from the caller and mints
    /// `⌊received · (S + V) / (A + V)⌋` pi to it, where `received` is what arrived (balance
    /// delta, so a fee-on-transfer underlying is credited net). Returns the pi minted.
    ///
    /// # Errors
    /// [`PiTokenZeroAmount`] for zero or when no pi would be minted,
    /// [`PiTokenTokenCallFailed`], [`PiTokenVenueCallFailed`] (valuing the venue shares),
    /// [`PiTokenMath`], [`PiTokenReentrantCall`].
    ///
    /// # Events
    /// `Deposit`, `Transfer`.
    pub fn deposit(&mut self, amount: U256) -> Result<U256, Error> {
        self.enter(amount, false)
    }

    /// `mint(piAmount)`: mints exactly `piAmount` pi to the caller for
    /// `⌈piAmount · (A + V) / (S + V)⌉` of underlying, which must arrive in full. Returns the
    /// underlying paid.
    ///
    /// # Errors
    /// [`PiTokenZeroAmount`], [`PiTokenTokenShortfall`] for a fee-on-transfer underlying,
    /// as [`Self::deposit`] otherwise.
    ///
    /// # Events
    /// `Deposit`, `Transfer`.
    pub fn mint(&mut self, pi_amount: U256) -> Result<U256, Error> {
        self.enter(pi_amount, true)
    }

    /// `withdraw(piAmount)`: burns `piAmount` of the caller's pi and pays
    /// `⌊piAmount · (A + V) / (S + V)⌋` of underlying, redeeming from the venue when the
    /// reserve is short (see the module doc). Returns the underlying paid.
    ///
    /// # Errors
    /// [`PiTokenZeroAmount`] for zero or a payout of zero, `ERC20InsufficientBalance`,
    /// [`PiTokenInsufficientLiquidity`], [`PiTokenVenueCallFailed`],
    /// [`PiTokenTokenCallFailed`], [`PiTokenMath`], [`PiTokenReentrantCall`].
    ///
    /// # Events
    /// `Withdraw`, `Transfer`, `VenueWithdraw` when the venue is used.
    pub fn withdraw(&mut self, pi_amount: U256) -> Result<U256, Error> {
        self.exit(pi_amount, true)
    }

    /// `withdrawUnderlying(amount)`: pays exactly `amount` of underlying for
    /// `⌈amount · (S + V) / (A + V)⌉` of the caller's pi. Returns the pi burnt.
    ///
    /// # Errors
    /// As [`Self::withdraw`].
    ///
    /// # Events
    /// As [`Self::withdraw`].
    pub fn withdraw_underlying(&mut self, amount: U256) -> Result<U256, Error> {
        self.exit(amount, false)
    }

    /// Pi that `deposit(amount)` would mint now (for an underlying without transfer fees).
    ///
    /// # Errors
    /// [`PiTokenTokenCallFailed`], [`PiTokenVenueCallFailed`], [`PiTokenMath`].
    pub fn preview_deposit(&self, amount: U256) -> Result<U256, Error> {
        self.preview(amount, true, false)
    }

    /// Underlying that `mint(piAmount)` would take now.
    ///
    /// # Errors
    /// As [`Self::preview_deposit`].
    pub fn preview_mint(&self, pi_amount: U256) -> Result<U256, Error> {
        self.preview(pi_amount, false, true)
    }

    /// Underlying that `withdraw(piAmount)` would pay now (liquidity permitting).
    ///
    /// # Errors
    /// As [`Self::preview_deposit`].
    pub fn preview_withdraw(&self, pi_amount: U256) -> Result<U256, Error> {
        self.preview(pi_amount, false, false)
    }

    /// Pi that `withdrawUnderlying(amount)` would burn now.
    ///
    /// # Errors
    /// As [`Self::preview_deposit`].
    pub fn preview_withdraw_underlying(&self, amount: U256) -> Result<U256, Error> {
        self.preview(amount, true, true)
    }

    /// Converts `amount` at the current rate: underlying to pi (`to_pi`) or pi to underlying.
    fn preview(&self, amount: U256, to_pi: bool, round_up: bool) -> Result<U256, Error> {
        let total = self.totals()?.total()?;
        Ok(convert(amount, total, self.erc20.total_supply(), to_pi, round_up)?)
    }

    /// `deposit` (`exact_pi` false: `amount` is underlying) or `mint` (`amount` is pi).
    fn enter(&mut self, amount: U256, exact_pi: bool) -> Result<U256, Error> {
        if amount.is_zero() {
            return Err(zero_amount());
        }
        self.lock.enter()?;
        let caller = env::sender();
        let totals = self.totals()?;
        let (total, supply) = (totals.total()?, self.erc20.total_supply());
        let asked = if exact_pi { convert(amount, total, supply, false, true)? } else { amount };
        let received = self.pull(caller, asked, totals.reserve)?;
        let pi = if exact_pi {
            if received != asked {
                return Err(Error::TokenShortfall(PiTokenTokenShortfall {
                    expected: asked,
                    received,
                }));
            }
            amount
        } else {
            convert(received, total, supply, true, false)?
        };
        if pi.is_zero() {
            return Err(zero_amount());
        }
        self.erc20._mint(caller, pi)?;
        log::emit(&[Deposit::SIGNATURE_HASH, caller.into_word()], &[received, pi]);
        self.lock.exit();
        Ok(if exact_pi { received } else { pi })
    }

    /// `withdraw` (`exact_pi` true: `amount` is pi) or `withdrawUnderlying` (`amount` is
    /// underlying): burns the caller's pi and pays the underlying, first redeeming from the
    /// venue when the reserve is short.
    fn exit(&mut self, amount: U256, exact_pi: bool) -> Result<U256, Error> {
        if amount.is_zero() {
            return Err(zero_amount());
        }
        self.lock.enter()?;
        let caller = env::sender();
        let totals = self.totals()?;
        let (total, supply) = (totals.total()?, self.erc20.total_supply());
        let (pi_amount, paid) = if exact_pi {
            (amount, convert(amount, total, supply, false, false)?)
        } else {
            (convert(amount, total, supply, true, true)?, amount)
        };
        if paid.is_zero() {
            return Err(zero_amount());
        }
        self.erc20._burn(caller, pi_amount)?;
        if totals.reserve < paid {
            self.redeem_for(paid, &totals)?;
        }
        let underlying = self.underlying.get();
        calls::transfer(underlying, caller, paid).map_err(token_failed(underlying))?;
        log::emit(&[Withdraw::SIGNATURE_HASH, caller.into_word()], &[paid, pi_amount]);
        self.lock.exit();
        Ok(if exact_pi { paid } else { pi_amount })
    }
}

/// [`convert_to_pi`] (`to_pi`) or [`convert_to_underlying`] with the contract's offset.
fn convert(
    amount: U256,
    total: U256,
    supply: U256,
    to_pi: bool,
    round_up: bool,
) -> Result<U256, MathError> {
    if to_pi {
        convert_to_pi(amount, total, supply, VIRTUAL_OFFSET, round_up)
    } else {
        convert_to_underlying(amount, total, supply, VIRTUAL_OFFSET, round_up)
    }
}

// ------------------------------------------------------------------------------- views
impl PiToken {
    /// Total underlying `A = reserve + staked`.
    ///
    /// # Errors
    /// [`PiTokenTokenCallFailed`], [`PiTokenVenueCallFailed`], [`PiTokenMath`].
    pub fn total_underlying(&self) -> Result<U256, Error> {
        self.totals()?.total()
    }

    /// `(reserve, staked, venueCheckpoint, venueLiquidity)`: the underlying held, what the
    /// venue shares redeem for, the fee checkpoint, and what the venue lets the wrapper
    /// withdraw now (`maxWithdraw`; zero without shares).
    ///
    /// # Errors
    /// [`PiTokenTokenCallFailed`], [`PiTokenVenueCallFailed`].
    pub fn reserve_state(&self) -> Result<(U256, U256, U256, U256), Error> {
        let totals = self.totals()?;
        let liquidity = self.venue_liquidity(&totals)?;
        Ok((totals.reserve, totals.staked, self.venue_checkpoint.get(), liquidity))
    }

    /// The underlying token.
    pub fn underlying(&self) -> Address {
        self.underlying.get()
    }

    /// The ERC-4626 venue.
    pub fn venue(&self) -> Address {
        self.venue.get()
    }

    /// The router.
    pub fn router(&self) -> Address {
        self.router.get()
    }

    /// Target share of the reserve in the total underlying (WAD).
    pub fn reserve_ratio(&self) -> U256 {
        self.reserve_ratio.get()
    }

    /// Whether `selector` on `target` is allow-listed for `callVoting`.
    pub fn is_voting_allowed(&self, target: Address, selector: FixedBytes<4>) -> bool {
        self.voting_allowed.getter(target).get(selector)
    }
}

// ------------------------------------------------------------------------------- router
impl PiToken {
    /// Router: moves `amount` of the reserve into the venue. Returns the shares minted.
    ///
    /// # Errors
    /// [`PiTokenNotRouter`], [`PiTokenZeroAmount`], [`PiTokenInsufficientReserve`],
    /// [`PiTokenTokenCallFailed`], [`PiTokenVenueCallFailed`], [`PiTokenMath`],
    /// [`PiTokenReentrantCall`].
    ///
    /// # Events
    /// `VenueDeposit`.
    pub fn stake(&mut self, amount: U256) -> Result<U256, Error> {
        self.only_router()?;
        if amount.is_zero() {
            return Err(zero_amount());
        }
        self.lock.enter()?;
        let (underlying, venue, this) = (self.underlying.get(), self.venue.get(), env::this());
        let reserve = calls::balance_of(underlying, this).map_err(token_failed(underlying))?;
        if amount > reserve {
            return Err(Error::InsufficientReserve(PiTokenInsufficientReserve { amount, reserve }));
        }
        calls::force_approve(underlying, venue, amount).map_err(token_failed(underlying))?;
        let shares = calls::venue_deposit(venue, amount, this).map_err(venue_failed(venue))?;
        let checkpoint =
            self.venue_checkpoint.get().checked_add(amount).ok_or(MathError::Overflow)?;
        self.venue_checkpoint.set(checkpoint);
        log::emit(&[VenueDeposit::SIGNATURE_HASH, venue.into_word()], &[amount, shares]);
        self.lock.exit();
        Ok(shares)
    }

    /// Router: moves `amount` of underlying from the venue into the reserve; an `amount` at
    /// or above everything staked redeems every share. Returns the underlying received.
    ///
    /// # Errors
    /// [`PiTokenNotRouter`], [`PiTokenZeroAmount`], [`PiTokenVenueCallFailed`] (e.g. above
    /// the venue's withdrawal limit), [`PiTokenTokenCallFailed`], [`PiTokenReentrantCall`].
    ///
    /// # Events
    /// `VenueWithdraw`.
    pub fn unstake(&mut self, amount: U256) -> Result<U256, Error> {
        self.only_router()?;
        if amount.is_zero() {
            return Err(zero_amount());
        }
        self.lock.enter()?;
        let totals = self.totals()?;
        let received = self.venue_out(amount, &totals)?;
        self.lock.exit();
        Ok(received)
    }

    /// Router: realises the venue's yield since the last harvest and pays
    /// `⌊gain · feeRate⌋` to `receiver` in pi (see the module doc). Returns `(gain, fee,
    /// feePiAmount)`.
    ///
    /// # Errors
    /// [`PiTokenNotRouter`], [`PiTokenInvalidFee`] above `MAX_PERFORMANCE_FEE`,
    /// [`PiTokenZeroAddress`] for a zero receiver when a fee is due, venue, token and math
    /// errors, [`PiTokenReentrantCall`].
    ///
    /// # Events
    /// `Harvested`; `Transfer` when fee pi is minted.
    pub fn harvest(
        &mut self,
        fee_rate: U256,
        receiver: Address,
    ) -> Result<(U256, U256, U256), Error> {
        self.only_router()?;
        if fee_rate > MAX_PERFORMANCE_FEE {
            return Err(Error::InvalidFee(PiTokenInvalidFee {
                feeRate: fee_rate,
                max: MAX_PERFORMANCE_FEE,
            }));
        }
        self.lock.enter()?;
        let totals = self.totals()?;
        let checkpoint = self.venue_checkpoint.get();
        let (mut gain, mut fee, mut fee_pi) = (U256::ZERO, U256::ZERO, U256::ZERO);
        if totals.staked > checkpoint {
            // staked > checkpoint: no underflow.
            gain = totals.staked.saturating_sub(checkpoint);
            fee = mul_div_down(gain, fee_rate, WAD)?;
            self.venue_checkpoint.set(totals.staked);
            if !fee.is_zero() {
                if receiver.is_zero() {
                    return Err(zero_address());
                }
                // fee <= gain <= staked <= A, so A + V - fee >= V > 0.
                let rest = totals.total()?.saturating_sub(fee);
                let supply = self.erc20.total_supply();
                fee_pi = convert(fee, rest, supply, true, false)?;
                if !fee_pi.is_zero() {
                    self.erc20._mint(receiver, fee_pi)?;
                }
            }
        }
        log::emit(
            &[Harvested::SIGNATURE_HASH, receiver.into_word()],
            &[gain, fee, fee_pi, self.venue_checkpoint.get()],
        );
        self.lock.exit();
        Ok((gain, fee, fee_pi))
    }

    /// Router: sets the target share of the reserve (WAD, at most 1e18), used by
    /// withdrawals that redeem from the venue.
    ///
    /// # Errors
    /// [`PiTokenNotRouter`], [`PiTokenInvalidReserveRatio`].
    ///
    /// # Events
    /// `ReserveRatioSet`.
    pub fn set_reserve_ratio(&mut self, ratio: U256) -> Result<(), Error> {
        self.only_router()?;
        if ratio > WAD {
            return Err(Error::InvalidReserveRatio(PiTokenInvalidReserveRatio { ratio, max: WAD }));
        }
        self.reserve_ratio.set(ratio);
        log::emit(&[ReserveRatioSet::SIGNATURE_HASH], &[ratio]);
        Ok(())
    }

    /// Router: hands the router role to `new_router` (one step: routers are contracts).
    ///
    /// # Errors
    /// [`PiTokenNotRouter`], [`PiTokenZeroAddress`].
    ///
    /// # Events
    /// `RouterSet`.
    pub fn set_router(&mut self, new_router: Address) -> Result<(), Error> {
        self.only_router()?;
        if new_router.is_zero() {
            return Err(zero_address());
        }
        self.write_router(new_router);
        Ok(())
    }

    /// Router: moves to `new_venue` (an ERC-4626 vault of the underlying) once nothing is
    /// staked in the current one (`unstake` everything first). The checkpoint restarts at 0.
    ///
    /// # Errors
    /// [`PiTokenNotRouter`], [`PiTokenVenueNotEmpty`], [`PiTokenZeroAddress`],
    /// [`PiTokenVenueCallFailed`], [`PiTokenVenueAssetMismatch`].
    ///
    /// # Events
    /// `VenueSet`.
    pub fn set_venue(&mut self, new_venue: Address) -> Result<(), Error> {
        self.only_router()?;
        let venue = self.venue.get();
        let shares = calls::balance_of(venue, env::this()).map_err(venue_failed(venue))?;
        if !shares.is_zero() {
            return Err(Error::VenueNotEmpty(PiTokenVenueNotEmpty { venue, shares }));
        }
        self.write_venue(new_venue)
    }

    /// Router: allows (`true`) or disallows `selector` on `target` for `callVoting`.
    ///
    /// # Errors
    /// [`PiTokenNotRouter`], [`PiTokenVotingSelectorForbidden`] for ERC-20 `transfer`,
    /// `transferFrom`, `approve` and `increaseAllowance`.
    ///
    /// # Events
    /// `VotingAllowedSet`.
    pub fn set_voting_allowed(
        &mut self,
        target: Address,
        selector: FixedBytes<4>,
        allowed: bool,
    ) -> Result<(), Error> {
        self.only_router()?;
        if allowed && FORBIDDEN_VOTING_SELECTORS.contains(&selector.0) {
            return Err(Error::VotingSelectorForbidden(PiTokenVotingSelectorForbidden {
                selector,
            }));
        }
        self.voting_allowed.setter(target).setter(selector).set(allowed);
        log::emit(
            &[VotingAllowedSet::SIGNATURE_HASH, target.into_word(), selector_topic(selector)],
            &[allowed.word()],
        );
        Ok(())
    }

    /// Router: calls `target` with `selector ++ args` (meta-governance: delegate or vote
    /// with the pooled underlying). The wrapper's underlying balance and venue shares must
    /// not fall.
    ///
    /// # Errors
    /// [`PiTokenNotRouter`], [`PiTokenVotingNotAllowed`], [`PiTokenVotingCallFailed`],
    /// [`PiTokenVotingMovedFunds`], token and venue errors, [`PiTokenReentrantCall`].
    ///
    /// # Events
    /// `VotingCalled`.
    pub fn call_voting(
        &mut self,
        target: Address,
        selector: FixedBytes<4>,
        args: &[u8],
    ) -> Result<(), Error> {
        self.only_router()?;
        if !self.is_voting_allowed(target, selector) {
            return Err(Error::VotingNotAllowed(PiTokenVotingNotAllowed { target, selector }));
        }
        self.lock.enter()?;
        let (underlying, venue) = (self.underlying.get(), self.venue.get());
        let before = self.holdings()?;
        let mut data = Vec::with_capacity(args.len().saturating_add(4));
        data.extend_from_slice(selector.as_slice());
        data.extend_from_slice(args);
        // VotingCalled(target, selector, args): `args` is dynamic, so the data is its offset (one
        // word), its length, then the bytes zero-padded to a whole word.
        log::emit_bytes(
            &[VotingCalled::SIGNATURE_HASH, target.into_word(), selector_topic(selector)],
            &encode_bytes(args),
        );
        calls::call_raw(target, &data)
            .map_err(|_| Error::VotingCallFailed(PiTokenVotingCallFailed { target, selector }))?;
        let after = self.holdings()?;
        for ((token, before), after) in [underlying, venue].into_iter().zip(before).zip(after) {
            if after < before {
                return Err(Error::VotingMovedFunds(PiTokenVotingMovedFunds {
                    token,
                    before,
                    after,
                }));
            }
        }
        self.lock.exit();
        Ok(())
    }
}

// ------------------------------------------------------------------------------- internals
impl PiToken {
    fn only_router(&self) -> Result<(), Error> {
        let caller = env::sender();
        if caller != self.router.get() {
            return Err(Error::NotRouter(PiTokenNotRouter { caller }));
        }
        Ok(())
    }

    /// The wrapper's underlying balance and venue shares.
    fn holdings(&self) -> Result<[U256; 2], Error> {
        let (underlying, venue, this) = (self.underlying.get(), self.venue.get(), env::this());
        Ok([
            calls::balance_of(underlying, this).map_err(token_failed(underlying))?,
            calls::balance_of(venue, this).map_err(venue_failed(venue))?,
        ])
    }

    /// The reserve, the venue shares and their value now.
    fn totals(&self) -> Result<Totals, Error> {
        let venue = self.venue.get();
        let [reserve, shares] = self.holdings()?;
        let staked = if shares.is_zero() {
            U256::ZERO
        } else {
            calls::preview_redeem(venue, shares).map_err(venue_failed(venue))?
        };
        Ok(Totals { reserve, shares, staked })
    }

    /// What the venue lets the wrapper withdraw now (zero without shares).
    fn venue_liquidity(&self, totals: &Totals) -> Result<U256, Error> {
        if totals.shares.is_zero() {
            return Ok(U256::ZERO);
        }
        let venue = self.venue.get();
        calls::max_withdraw(venue, env::this()).map_err(venue_failed(venue))
    }

    /// Pulls `amount` of underlying from `from`; returns what arrived (`reserve` is the
    /// balance before).
    fn pull(&mut self, from: Address, amount: U256, reserve: U256) -> Result<U256, Error> {
        let (underlying, this) = (self.underlying.get(), env::this());
        let failed = token_failed(underlying);
        calls::transfer_from(underlying, from, this, amount).map_err(&failed)?;
        let after = calls::balance_of(underlying, this).map_err(&failed)?;
        after.checked_sub(reserve).ok_or_else(|| failed(Reason::ZERO))
    }

    /// Redeems from the venue so the reserve covers a payout of `amount` and keeps the
    /// target ratio afterwards: `expectedReserve(ratio, staked, reserve, amount) − reserve`,
    /// capped by what the venue releases now.
    fn redeem_for(&mut self, amount: U256, totals: &Totals) -> Result<(), Error> {
        let expected =
            expected_reserve(self.reserve_ratio.get(), totals.staked, totals.reserve, amount)?;
        // expected >= amount > reserve.
        let need = expected.saturating_sub(totals.reserve);
        let liquidity = self.venue_liquidity(totals)?;
        let take = need.min(liquidity);
        if totals.reserve.saturating_add(take) < amount {
            return Err(Error::InsufficientLiquidity(PiTokenInsufficientLiquidity {
                requested: amount,
                available: totals.reserve.saturating_add(liquidity),
            }));
        }
        self.venue_out(take, totals)?;
        Ok(())
    }

    /// Withdraws `amount` from the venue into the reserve (every share when `amount` covers
    /// everything staked) and lowers the checkpoint by what arrived. Returns what arrived.
    fn venue_out(&mut self, amount: U256, totals: &Totals) -> Result<U256, Error> {
        if totals.shares.is_zero() {
            return Ok(U256::ZERO);
        }
        let (venue, this) = (self.venue.get(), env::this());
        let failed = venue_failed(venue);
        let (received, shares) = if amount >= totals.staked {
            (calls::venue_redeem(venue, totals.shares, this).map_err(&failed)?, totals.shares)
        } else {
            (amount, calls::venue_withdraw(venue, amount, this).map_err(&failed)?)
        };
        self.venue_checkpoint.set(self.venue_checkpoint.get().saturating_sub(received));
        log::emit(&[VenueWithdraw::SIGNATURE_HASH, venue.into_word()], &[received, shares]);
        Ok(received)
    }

    fn write_router(&mut self, router: Address) {
        let previous = self.router.get();
        self.router.set(router);
        log::emit(&[RouterSet::SIGNATURE_HASH, previous.into_word(), router.into_word()], &[]);
    }

    fn write_venue(&mut self, venue: Address) -> Result<(), Error> {
        if venue.is_zero() {
            return Err(zero_address());
        }
        let asset = calls::asset(venue).map_err(venue_failed(venue))?;
        let underlying = self.underlying.get();
        if asset != underlying {
            return Err(Error::VenueAssetMismatch(PiTokenVenueAssetMismatch { venue, asset }));
        }
        let previous = self.venue.get();
        self.venue.set(venue);
        self.venue_checkpoint.set(U256::ZERO);
        log::emit(&[VenueSet::SIGNATURE_HASH, previous.into_word(), venue.into_word()], &[]);
        Ok(())
    }
}

/// An indexed `bytes4` topic: the value left-aligned in the word.
fn selector_topic(selector: FixedBytes<4>) -> B256 {
    B256::right_padding_from(selector.as_slice())
}

/// The bytes of a zero-padded `bytes32` up to its first zero byte.
fn unpad(bytes: FixedBytes<32>) -> Vec<u8> {
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(32);
    bytes.get(..len).map(<[u8]>::to_vec).unwrap_or_default()
}

#[cfg(test)]
mod tests;
