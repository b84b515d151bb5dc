//! Unit tests of the pi-token: the spec's reference values, wrapping and unwrapping at the
//! exact rate, the reserve/venue split and the withdrawal that redeems from the venue, every
//! router function, harvests and the performance fee, meta-governance, every named error
//! (with state unchanged after the revert), events, and the ABI dispatch through the
//! fallback. The router is a plain account here; `yield-router` is tested in its own crate
//! and in `test/index`.
#![allow(
    clippy::many_single_char_names,
    clippy::unused_self,
    clippy::too_many_lines,
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::needless_pass_by_value,
    clippy::too_many_arguments,
    missing_docs
)]

use alloc::{vec, vec::Vec};

use alloy_sol_types::{SolCall, SolError};
use mock_erc20::MockErc20;
use mock_fee_token::MockFeeToken;
use mock_governor::MockGovernor;
use mock_venue::MockVenue;
use motsu::prelude::*;
use openzeppelin_stylus::token::erc20;
use stylus_sdk::{
    abi::Bytes,
    alloy_primitives::{fixed_bytes, uint, Address, FixedBytes, U256},
    call::RawCall,
    prelude::*,
    storage::StorageU256,
};

use crate::{abi::functions as f, *};

const E18: U256 = uint!(1_000_000_000_000_000_000_U256);

fn e18(v: u64) -> U256 {
    U256::from(v) * E18
}

/// "piAAVE" and "Wrapped AAVE" as zero-padded bytes32.
const SYMBOL: FixedBytes<32> =
    fixed_bytes!("7069414156450000000000000000000000000000000000000000000000000000");
const NAME: FixedBytes<32> =
    fixed_bytes!("5772617070656420414156450000000000000000000000000000000000000000");

fn enc(e: impl Into<Error>) -> Vec<u8> {
    Vec::from(e.into())
}

/// An 18-decimal underlying, its venue and the wrapper with `router` as router.
fn setup(
    pi: &Contract<PiToken>,
    token: &Contract<MockErc20>,
    venue: &Contract<MockVenue>,
    router: Address,
) {
    token.sender(router).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
    venue.sender(router).constructor(token.address());
    pi.sender(router)
        .constructor(NAME, SYMBOL, token.address(), venue.address(), router)
        .motsu_unwrap();
}

/// Mints `amount` of underlying to `user` and approves the wrapper.
fn fund(token: &Contract<MockErc20>, pi: &Contract<PiToken>, user: Address, amount: U256) {
    token.sender(user).mint(user, amount).motsu_unwrap();
    token.sender(user).approve(pi.address(), U256::MAX).motsu_unwrap();
}

/// Wrapper state a failed call must leave untouched.
fn snapshot(
    pi: &Contract<PiToken>,
    token: &Contract<MockErc20>,
    venue: &Contract<MockVenue>,
    users: &[Address],
) -> Vec<U256> {
    let who = Address::with_last_byte(0xEE);
    let mut out = vec![
        pi.sender(who).total_supply(),
        token.sender(who).balance_of(pi.address()),
        venue.sender(who).balance_of(pi.address()),
        pi.sender(who).venue_checkpoint.get(),
        pi.sender(who).reserve_ratio(),
    ];
    for &u in users {
        out.push(pi.sender(who).balance_of(u));
        out.push(token.sender(who).balance_of(u));
    }
    out
}

// ------------------------------------------------------------------ reference values

#[test]
fn spec_reference_expected_reserve_is_240() {
    let ratio = uint!(200_000_000_000_000_000_U256);
    let got = expected_reserve(ratio, U256::from(800), U256::from(200), U256::from(50)).unwrap();
    assert_eq!(got, U256::from(240));
    // In wei, too: 0.2 · (800e18 + 200e18 − 50e18) + 50e18.
    assert_eq!(expected_reserve(ratio, e18(800), e18(200), e18(50)).unwrap(), e18(240));
}

#[test]
fn spec_reference_deposit_mints_120_and_the_inverse_gives_back_100_without_offset() {
    let minted = convert_to_pi(e18(100), e18(1000), e18(1200), U256::ZERO, false).unwrap();
    assert_eq!(minted, e18(120));
    let back = convert_to_underlying(minted, e18(1100), e18(1320), U256::ZERO, false).unwrap();
    assert_eq!(back, e18(100));
}

#[test]
fn expected_reserve_rejects_a_pending_withdrawal_above_the_total() {
    let err = expected_reserve(WAD, e18(1), e18(1), e18(3)).unwrap_err();
    assert_eq!(err, MathError::Underflow);
}

#[test]
fn error_encoding_matches_the_solidity_abi_for_every_error() {
    let a = Address::with_last_byte(7);
    let b = Address::with_last_byte(9);
    let s = FixedBytes::<4>::from([1, 2, 3, 4]);
    let (x, y, z) = (U256::from(11), U256::from(22), U256::from(33));
    let cases: Vec<(Error, Vec<u8>)> = vec![
        (
            Error::NotRouter(PiTokenNotRouter { caller: a }),
            PiTokenNotRouter { caller: a }.abi_encode(),
        ),
        (Error::ZeroAddress(PiTokenZeroAddress {}), PiTokenZeroAddress {}.abi_encode()),
        (Error::ZeroAmount(PiTokenZeroAmount {}), PiTokenZeroAmount {}.abi_encode()),
        (
            Error::InvalidReserveRatio(PiTokenInvalidReserveRatio { ratio: x, max: y }),
            PiTokenInvalidReserveRatio { ratio: x, max: y }.abi_encode(),
        ),
        (
            Error::InvalidFee(PiTokenInvalidFee { feeRate: x, max: y }),
            PiTokenInvalidFee { feeRate: x, max: y }.abi_encode(),
        ),
        (
            Error::InsufficientLiquidity(PiTokenInsufficientLiquidity {
                requested: x,
                available: y,
            }),
            PiTokenInsufficientLiquidity { requested: x, available: y }.abi_encode(),
        ),
        (
            Error::InsufficientReserve(PiTokenInsufficientReserve { amount: x, reserve: y }),
            PiTokenInsufficientReserve { amount: x, reserve: y }.abi_encode(),
        ),
        (
            Error::VenueAssetMismatch(PiTokenVenueAssetMismatch { venue: a, asset: b }),
            PiTokenVenueAssetMismatch { venue: a, asset: b }.abi_encode(),
        ),
        (
            Error::VenueNotEmpty(PiTokenVenueNotEmpty { venue: a, shares: x }),
            PiTokenVenueNotEmpty { venue: a, shares: x }.abi_encode(),
        ),
        (
            Error::VenueCallFailed(PiTokenVenueCallFailed { venue: a, reason: s }),
            PiTokenVenueCallFailed { venue: a, reason: s }.abi_encode(),
        ),
        (
            Error::TokenCallFailed(PiTokenTokenCallFailed { token: a, reason: s }),
            PiTokenTokenCallFailed { token: a, reason: s }.abi_encode(),
        ),
        (
            Error::TokenShortfall(PiTokenTokenShortfall { expected: x, received: y }),
            PiTokenTokenShortfall { expected: x, received: y }.abi_encode(),
        ),
        (
            Error::VotingNotAllowed(PiTokenVotingNotAllowed { target: a, selector: s }),
            PiTokenVotingNotAllowed { target: a, selector: s }.abi_encode(),
        ),
        (
            Error::VotingSelectorForbidden(PiTokenVotingSelectorForbidden { selector: s }),
            PiTokenVotingSelectorForbidden { selector: s }.abi_encode(),
        ),
        (
            Error::VotingCallFailed(PiTokenVotingCallFailed { target: a, selector: s }),
            PiTokenVotingCallFailed { target: a, selector: s }.abi_encode(),
        ),
        (
            Error::VotingMovedFunds(PiTokenVotingMovedFunds { token: a, before: x, after: y }),
            PiTokenVotingMovedFunds { token: a, before: x, after: y }.abi_encode(),
        ),
        (Error::Math(PiTokenMath { code: 3 }), PiTokenMath { code: 3 }.abi_encode()),
        (Error::ReentrantCall(PiTokenReentrantCall {}), PiTokenReentrantCall {}.abi_encode()),
        (
            Error::InsufficientBalance(erc20::ERC20InsufficientBalance {
                sender: a,
                balance: x,
                needed: z,
            }),
            erc20::ERC20InsufficientBalance { sender: a, balance: x, needed: z }.abi_encode(),
        ),
        (
            Error::InsufficientAllowance(erc20::ERC20InsufficientAllowance {
                spender: a,
                allowance: x,
                needed: z,
            }),
            erc20::ERC20InsufficientAllowance { spender: a, allowance: x, needed: z }.abi_encode(),
        ),
        (
            Error::InvalidSender(erc20::ERC20InvalidSender { sender: a }),
            erc20::ERC20InvalidSender { sender: a }.abi_encode(),
        ),
        (
            Error::InvalidReceiver(erc20::ERC20InvalidReceiver { receiver: a }),
            erc20::ERC20InvalidReceiver { receiver: a }.abi_encode(),
        ),
        (
            Error::InvalidSpender(erc20::ERC20InvalidSpender { spender: a }),
            erc20::ERC20InvalidSpender { spender: a }.abi_encode(),
        ),
        (
            Error::InvalidApprover(erc20::ERC20InvalidApprover { approver: a }),
            erc20::ERC20InvalidApprover { approver: a }.abi_encode(),
        ),
    ];
    assert_eq!(cases.len(), 24, "one case per error variant");
    for (error, expected) in cases {
        let debug = alloc::format!("{error:?}");
        assert_eq!(Vec::from(error), expected, "{debug}");
    }
}

// ------------------------------------------------------------------ construction

#[motsu::test]
fn constructor_reads_the_underlying_decimals_and_records_venue_and_router(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
) {
    token.sender(router).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 6);
    venue.sender(router).constructor(token.address());
    pi.sender(router)
        .constructor(NAME, SYMBOL, token.address(), venue.address(), router)
        .motsu_unwrap();
    assert_eq!(pi.sender(router).decimals(), 6);
    assert_eq!(pi.sender(router).name(), "Wrapped AAVE");
    assert_eq!(pi.sender(router).symbol(), "piAAVE");
    assert_eq!(pi.sender(router).underlying(), token.address());
    assert_eq!(pi.sender(router).venue(), venue.address());
    assert_eq!(pi.sender(router).router(), router);
    assert_eq!(pi.sender(router).reserve_ratio(), U256::ZERO);
    pi.assert_emitted(&RouterSet { previousRouter: Address::ZERO, newRouter: router });
    pi.assert_emitted(&VenueSet { previousVenue: Address::ZERO, newVenue: venue.address() });
}

#[motsu::test]
fn constructor_reverts_on_zero_addresses(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
) {
    token.sender(router).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
    venue.sender(router).constructor(token.address());
    for (underlying, v, r) in [
        (Address::ZERO, venue.address(), router),
        (token.address(), venue.address(), Address::ZERO),
        (token.address(), Address::ZERO, router),
    ] {
        let err = pi.sender(router).constructor(NAME, SYMBOL, underlying, v, r).motsu_unwrap_err();
        assert!(matches!(err, Error::ZeroAddress(_)), "{err:?}");
    }
}

#[motsu::test]
fn constructor_reverts_when_the_venue_holds_another_asset(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    other: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
) {
    token.sender(router).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
    other.sender(router).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
    venue.sender(router).constructor(other.address());
    let err = pi
        .sender(router)
        .constructor(NAME, SYMBOL, token.address(), venue.address(), router)
        .motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(Error::VenueAssetMismatch(PiTokenVenueAssetMismatch {
            venue: venue.address(),
            asset: other.address()
        }))
    );
}

#[motsu::test]
fn constructor_reverts_when_the_underlying_has_no_code(
    pi: Contract<PiToken>,
    venue: Contract<MockVenue>,
    router: Address,
) {
    let missing = Address::with_last_byte(0x55);
    venue.sender(router).constructor(missing);
    let err = pi
        .sender(router)
        .constructor(NAME, SYMBOL, missing, venue.address(), router)
        .motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(Error::TokenCallFailed(PiTokenTokenCallFailed {
            token: missing,
            reason: FixedBytes::ZERO
        }))
    );
}

// ------------------------------------------------------------------ wrapping

#[motsu::test]
fn first_deposit_mints_one_pi_per_underlying(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    alice: Address,
) {
    setup(&pi, &token, &venue, router);
    fund(&token, &pi, alice, e18(1_000));
    assert_eq!(pi.sender(alice).preview_deposit(e18(400)).unwrap(), e18(400));
    let minted = pi.sender(alice).deposit(e18(400)).motsu_unwrap();
    assert_eq!(minted, e18(400));
    assert_eq!(pi.sender(alice).balance_of(alice), e18(400));
    assert_eq!(token.sender(alice).balance_of(pi.address()), e18(400));
    assert_eq!(pi.sender(alice).total_underlying().unwrap(), e18(400));
    pi.assert_emitted(&Deposit { caller: alice, amount: e18(400), piAmount: e18(400) });
}

#[motsu::test]
fn deposit_of_zero_reverts_and_changes_nothing(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    alice: Address,
) {
    setup(&pi, &token, &venue, router);
    fund(&token, &pi, alice, e18(10));
    let before = snapshot(&pi, &token, &venue, &[alice]);
    let err = pi.sender(alice).deposit(U256::ZERO).motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAmount(_)));
    let err = pi.sender(alice).mint(U256::ZERO).motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAmount(_)));
    assert_eq!(snapshot(&pi, &token, &venue, &[alice]), before);
}

#[motsu::test]
fn deposit_that_would_mint_nothing_reverts_instead_of_being_swallowed(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    attacker: Address,
    victim: Address,
) {
    setup(&pi, &token, &venue, router);
    fund(&token, &pi, attacker, e18(1_000));
    fund(&token, &pi, victim, e18(1_000));
    // 1 wei deposit, then a donation of 1,000 underlying straight to the wrapper.
    pi.sender(attacker).deposit(U256::from(1)).motsu_unwrap();
    token.sender(attacker).transfer(pi.address(), e18(1_000) - U256::from(1)).motsu_unwrap();
    // A = 1000e18, S = 1: 400e18 · 2 / (1000e18 + 1) = 0 pi.
    let before = snapshot(&pi, &token, &venue, &[attacker, victim]);
    let err = pi.sender(victim).deposit(e18(400)).motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAmount(_)));
    assert_eq!(snapshot(&pi, &token, &venue, &[attacker, victim]), before);
}

#[motsu::test]
fn mint_takes_the_rounded_up_underlying_and_matches_its_preview(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    alice: Address,
    bob: Address,
) {
    setup(&pi, &token, &venue, router);
    fund(&token, &pi, alice, e18(1_000));
    fund(&token, &pi, bob, e18(1_000));
    pi.sender(alice).deposit(e18(300)).motsu_unwrap();
    // Donation: A = 400e18, S = 300e18.
    token.sender(alice).transfer(pi.address(), e18(100)).motsu_unwrap();
    let preview = pi.sender(bob).preview_mint(U256::from(3)).unwrap();
    // ⌈3 · (400e18 + 1) / (300e18 + 1)⌉ = 4.
    assert_eq!(preview, U256::from(4));
    let before = token.sender(bob).balance_of(bob);
    let paid = pi.sender(bob).mint(U256::from(3)).motsu_unwrap();
    assert_eq!(paid, preview);
    assert_eq!(before - token.sender(bob).balance_of(bob), U256::from(4));
    assert_eq!(pi.sender(bob).balance_of(bob), U256::from(3));
    pi.assert_emitted(&Deposit { caller: bob, amount: U256::from(4), piAmount: U256::from(3) });
}

#[motsu::test]
fn spec_reference_values_hold_on_the_contract_up_to_the_one_wei_offset(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    alice: Address,
    bob: Address,
) {
    setup(&pi, &token, &venue, router);
    fund(&token, &pi, alice, e18(1_200));
    fund(&token, &pi, bob, e18(100));
    // 1200 pi over 1200 underlying, all staked, then the venue loses 200: A = 1000, S = 1200.
    pi.sender(alice).deposit(e18(1_200)).motsu_unwrap();
    pi.sender(router).stake(e18(1_200)).motsu_unwrap();
    venue.sender(router).simulate_loss(e18(200)).motsu_unwrap();
    assert_eq!(pi.sender(bob).total_underlying().unwrap(), e18(1_000));
    assert_eq!(pi.sender(bob).total_supply(), e18(1_200));
    // ⌊100e18 · (1200e18 + 1) / (1000e18 + 1)⌋: 120e18 less one wei, the virtual offset.
    let minted = pi.sender(bob).deposit(e18(100)).motsu_unwrap();
    assert_eq!(minted, uint!(119_999_999_999_999_999_999_U256));
    // And back: ⌊minted · (1100e18 + 1) / (1320e18 − 1 + 1)⌋ = 100e18 − 1.
    assert_eq!(
        pi.sender(bob).preview_withdraw(minted).unwrap(),
        uint!(99_999_999_999_999_999_999_U256)
    );
}

#[motsu::test]
fn deposit_of_a_fee_on_transfer_underlying_credits_what_arrived_and_mint_refuses_it(
    pi: Contract<PiToken>,
    token: Contract<MockFeeToken>,
    venue: Contract<MockVenue>,
    router: Address,
    alice: Address,
) {
    token.sender(router).constructor(U256::from(100)); // 1% fee
    venue.sender(router).constructor(token.address());
    pi.sender(router)
        .constructor(NAME, SYMBOL, token.address(), venue.address(), router)
        .motsu_unwrap();
    token.sender(alice).mint(alice, e18(1_000)).motsu_unwrap();
    token.sender(alice).approve(pi.address(), U256::MAX).motsu_unwrap();
    let minted = pi.sender(alice).deposit(e18(100)).motsu_unwrap();
    assert_eq!(minted, e18(99));
    pi.assert_emitted(&Deposit { caller: alice, amount: e18(99), piAmount: e18(99) });
    let supply = pi.sender(alice).total_supply();
    let err = pi.sender(alice).mint(e18(10)).motsu_unwrap_err();
    // ⌈10e18 · (99e18 + 1) / (99e18 + 1)⌉ = 10e18 asked, 9.9e18 arrived.
    assert_eq!(
        enc(err),
        enc(Error::TokenShortfall(PiTokenTokenShortfall {
            expected: e18(10),
            received: uint!(9_900_000_000_000_000_000_U256)
        }))
    );
    assert_eq!(pi.sender(alice).total_supply(), supply);
}

#[motsu::test]
fn withdraw_pays_from_the_reserve_at_the_rounded_down_rate(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    alice: Address,
) {
    setup(&pi, &token, &venue, router);
    fund(&token, &pi, alice, e18(1_000));
    pi.sender(alice).deposit(e18(300)).motsu_unwrap();
    token.sender(alice).transfer(pi.address(), e18(100)).motsu_unwrap();
    // ⌊7 · (400e18 + 1) / (300e18 + 1)⌋ = 9.
    assert_eq!(pi.sender(alice).preview_withdraw(U256::from(7)).unwrap(), U256::from(9));
    let before = token.sender(alice).balance_of(alice);
    let paid = pi.sender(alice).withdraw(U256::from(7)).motsu_unwrap();
    assert_eq!(paid, U256::from(9));
    assert_eq!(token.sender(alice).balance_of(alice) - before, U256::from(9));
    assert_eq!(pi.sender(alice).balance_of(alice), e18(300) - U256::from(7));
    pi.assert_emitted(&Withdraw { caller: alice, amount: U256::from(9), piAmount: U256::from(7) });
}

#[motsu::test]
fn withdraw_underlying_burns_the_rounded_up_pi(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    alice: Address,
) {
    setup(&pi, &token, &venue, router);
    fund(&token, &pi, alice, e18(1_000));
    pi.sender(alice).deposit(e18(300)).motsu_unwrap();
    token.sender(alice).transfer(pi.address(), e18(100)).motsu_unwrap();
    // ⌈9 · (300e18 + 1) / (400e18 + 1)⌉ = 7.
    assert_eq!(pi.sender(alice).preview_withdraw_underlying(U256::from(9)).unwrap(), U256::from(7));
    let burnt = pi.sender(alice).withdraw_underlying(U256::from(9)).motsu_unwrap();
    assert_eq!(burnt, U256::from(7));
    pi.assert_emitted(&Withdraw { caller: alice, amount: U256::from(9), piAmount: U256::from(7) });
}

#[motsu::test]
fn withdraw_reverts_on_zero_and_on_insufficient_pi_and_changes_nothing(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    alice: Address,
) {
    setup(&pi, &token, &venue, router);
    fund(&token, &pi, alice, e18(10));
    pi.sender(alice).deposit(e18(10)).motsu_unwrap();
    let before = snapshot(&pi, &token, &venue, &[alice]);
    assert!(matches!(
        pi.sender(alice).withdraw(U256::ZERO).motsu_unwrap_err(),
        Error::ZeroAmount(_)
    ));
    assert!(matches!(
        pi.sender(alice).withdraw_underlying(U256::ZERO).motsu_unwrap_err(),
        Error::ZeroAmount(_)
    ));
    let err = pi.sender(alice).withdraw(e18(11)).motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(Error::InsufficientBalance(erc20::ERC20InsufficientBalance {
            sender: alice,
            balance: e18(10),
            needed: e18(11)
        }))
    );
    let err = pi.sender(alice).withdraw_underlying(e18(11)).motsu_unwrap_err();
    assert!(matches!(err, Error::InsufficientBalance(_)));
    assert_eq!(snapshot(&pi, &token, &venue, &[alice]), before);
}

#[motsu::test]
fn withdraw_of_dust_worth_zero_underlying_reverts(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    alice: Address,
) {
    setup(&pi, &token, &venue, router);
    fund(&token, &pi, alice, e18(100));
    pi.sender(alice).deposit(e18(100)).motsu_unwrap();
    pi.sender(router).stake(e18(100)).motsu_unwrap();
    // The venue loses almost everything: 1 pi is worth less than one wei.
    venue.sender(router).simulate_loss(e18(100) - U256::from(10)).motsu_unwrap();
    let err = pi.sender(alice).withdraw(U256::from(1)).motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAmount(_)));
}

// ------------------------------------------------------------------ yield and venue

/// 1000 deposited by `alice`, reserve ratio 0.2, 800 staked.
fn setup_staked(
    pi: &Contract<PiToken>,
    token: &Contract<MockErc20>,
    venue: &Contract<MockVenue>,
    router: Address,
    alice: Address,
) {
    setup(pi, token, venue, router);
    fund(token, pi, alice, e18(1_000));
    pi.sender(alice).deposit(e18(1_000)).motsu_unwrap();
    pi.sender(router).set_reserve_ratio(uint!(200_000_000_000_000_000_U256)).motsu_unwrap();
    pi.sender(router).stake(e18(800)).motsu_unwrap();
}

#[motsu::test]
fn stake_moves_reserve_into_the_venue_and_raises_the_checkpoint(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    alice: Address,
) {
    setup_staked(&pi, &token, &venue, router, alice);
    assert_eq!(pi.sender(alice).reserve_state().unwrap(), (e18(200), e18(800), e18(800), e18(800)));
    assert_eq!(venue.sender(alice).balance_of(pi.address()), e18(800));
    assert_eq!(token.sender(alice).allowance(pi.address(), venue.address()), U256::ZERO);
    assert_eq!(pi.sender(alice).total_underlying().unwrap(), e18(1_000));
    pi.assert_emitted(&VenueDeposit { venue: venue.address(), amount: e18(800), shares: e18(800) });
}

#[motsu::test]
fn stake_reverts_for_non_router_zero_and_more_than_the_reserve(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    alice: Address,
) {
    setup_staked(&pi, &token, &venue, router, alice);
    let before = snapshot(&pi, &token, &venue, &[alice]);
    assert_eq!(
        enc(pi.sender(alice).stake(e18(1)).motsu_unwrap_err()),
        enc(Error::NotRouter(PiTokenNotRouter { caller: alice }))
    );
    assert!(matches!(pi.sender(router).stake(U256::ZERO).motsu_unwrap_err(), Error::ZeroAmount(_)));
    assert_eq!(
        enc(pi.sender(router).stake(e18(201)).motsu_unwrap_err()),
        enc(Error::InsufficientReserve(PiTokenInsufficientReserve {
            amount: e18(201),
            reserve: e18(200)
        }))
    );
    assert_eq!(snapshot(&pi, &token, &venue, &[alice]), before);
}

#[motsu::test]
fn yield_in_the_venue_raises_the_underlying_per_pi(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    alice: Address,
) {
    setup_staked(&pi, &token, &venue, router, alice);
    assert_eq!(pi.sender(alice).preview_withdraw(e18(1)).unwrap(), e18(1));
    venue.sender(router).simulate_yield(e18(80)).motsu_unwrap();
    // staked = ⌊800e18 · (880e18 + 1) / (800e18 + 1)⌋ = 880e18 − 1 (the venue's own offset).
    let staked = e18(880) - U256::from(1);
    assert_eq!(pi.sender(alice).reserve_state().unwrap().1, staked);
    let total = e18(200) + staked;
    assert_eq!(pi.sender(alice).total_underlying().unwrap(), total);
    // 1 pi: ⌊1e18 · (A + 1) / (1000e18 + 1)⌋.
    let expected = (E18 * (total + U256::from(1))) / (e18(1_000) + U256::from(1));
    assert_eq!(pi.sender(alice).preview_withdraw(E18).unwrap(), expected);
    assert!(expected > uint!(1_079_000_000_000_000_000_U256));
}

#[motsu::test]
fn withdraw_redeems_from_the_venue_to_pay_and_restore_the_reserve_ratio(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    alice: Address,
) {
    setup_staked(&pi, &token, &venue, router, alice);
    // Withdraw 250 with 200 in reserve: expected = 0.2 · (1000 − 250) + 250 = 400, so 200
    // come out of the venue and 150 = 0.2 · 750 stay in reserve after paying.
    let paid = pi.sender(alice).withdraw(e18(250)).motsu_unwrap();
    assert_eq!(paid, e18(250));
    assert_eq!(pi.sender(alice).reserve_state().unwrap(), (e18(150), e18(600), e18(600), e18(600)));
    pi.assert_emitted(&VenueWithdraw {
        venue: venue.address(),
        amount: e18(200),
        shares: e18(200),
    });
    pi.assert_emitted(&Withdraw { caller: alice, amount: e18(250), piAmount: e18(250) });
}

#[motsu::test]
fn withdraw_within_the_reserve_does_not_touch_the_venue(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    alice: Address,
) {
    setup_staked(&pi, &token, &venue, router, alice);
    pi.sender(alice).withdraw(e18(150)).motsu_unwrap();
    assert_eq!(pi.sender(alice).reserve_state().unwrap(), (e18(50), e18(800), e18(800), e18(800)));
}

#[motsu::test]
fn withdraw_beyond_what_an_illiquid_venue_releases_reverts_and_a_smaller_one_works(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    alice: Address,
) {
    setup_staked(&pi, &token, &venue, router, alice);
    venue.sender(router).set_withdraw_limit(e18(100));
    let before = snapshot(&pi, &token, &venue, &[alice]);
    let err = pi.sender(alice).withdraw(e18(301)).motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(Error::InsufficientLiquidity(PiTokenInsufficientLiquidity {
            requested: e18(301),
            available: e18(300)
        }))
    );
    assert_eq!(snapshot(&pi, &token, &venue, &[alice]), before);
    // 280: expected = 0.2 · 720 + 280 = 424 needs 224 from the venue; 100 is all it gives.
    pi.sender(alice).withdraw(e18(280)).motsu_unwrap();
    assert_eq!(pi.sender(alice).reserve_state().unwrap().0, e18(20));
    pi.assert_emitted(&VenueWithdraw {
        venue: venue.address(),
        amount: e18(100),
        shares: e18(100),
    });
}

#[motsu::test]
fn a_venue_loss_is_shared_by_every_holder_and_withdrawals_keep_working(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    alice: Address,
    bob: Address,
) {
    setup(&pi, &token, &venue, router);
    fund(&token, &pi, alice, e18(500));
    fund(&token, &pi, bob, e18(500));
    pi.sender(alice).deposit(e18(500)).motsu_unwrap();
    pi.sender(bob).deposit(e18(500)).motsu_unwrap();
    pi.sender(router).stake(e18(1_000)).motsu_unwrap();
    venue.sender(router).simulate_loss(e18(100)).motsu_unwrap();
    // staked = ⌊1000e18 · (900e18 + 1) / (1000e18 + 1)⌋ = 900e18 − 1 (⌊900e18 − 0.1⌋... in wei).
    let total = pi.sender(alice).total_underlying().unwrap();
    let a = pi.sender(alice).withdraw(e18(500)).motsu_unwrap();
    let b = pi.sender(bob).withdraw(e18(500)).motsu_unwrap();
    // Each gets ⌊500e18 · (A + 1) / (S + 1)⌋ at the rate of the moment: the first withdrawal
    // leaves the rate as it was (up to rounding in the holders' favour), so the last holder
    // gets at least as much as the first.
    assert_eq!(a, e18(500) * (total + U256::from(1)) / (e18(1_000) + U256::from(1)));
    assert!(b >= a, "the last withdrawer is not left with the loss: {a} then {b}");
    assert!(a + b <= total);
    assert!(total - (a + b) <= U256::from(2), "only rounding dust stays: {}", total - (a + b));
}

#[motsu::test]
fn unstake_moves_venue_assets_back_and_everything_redeems_every_share(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    alice: Address,
) {
    setup_staked(&pi, &token, &venue, router, alice);
    let got = pi.sender(router).unstake(e18(300)).motsu_unwrap();
    assert_eq!(got, e18(300));
    assert_eq!(pi.sender(alice).reserve_state().unwrap(), (e18(500), e18(500), e18(500), e18(500)));
    pi.assert_emitted(&VenueWithdraw {
        venue: venue.address(),
        amount: e18(300),
        shares: e18(300),
    });
    venue.sender(router).simulate_yield(e18(50)).motsu_unwrap();
    let got = pi.sender(router).unstake(U256::MAX).motsu_unwrap();
    assert_eq!(venue.sender(alice).balance_of(pi.address()), U256::ZERO);
    // ⌊500e18 · (550e18 + 1) / (500e18 + 1)⌋.
    assert_eq!(got, e18(500) * (e18(550) + U256::from(1)) / (e18(500) + U256::from(1)));
    assert_eq!(pi.sender(alice).venue_checkpoint.get(), U256::ZERO);
    // Nothing staked: a further unstake moves nothing.
    assert_eq!(pi.sender(router).unstake(e18(1)).motsu_unwrap(), U256::ZERO);
}

#[motsu::test]
fn unstake_reverts_for_non_router_zero_and_above_the_venue_limit(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    alice: Address,
) {
    setup_staked(&pi, &token, &venue, router, alice);
    venue.sender(router).set_withdraw_limit(e18(100));
    let before = snapshot(&pi, &token, &venue, &[alice]);
    assert!(matches!(pi.sender(alice).unstake(e18(1)).motsu_unwrap_err(), Error::NotRouter(_)));
    assert!(matches!(
        pi.sender(router).unstake(U256::ZERO).motsu_unwrap_err(),
        Error::ZeroAmount(_)
    ));
    let err = pi.sender(router).unstake(e18(101)).motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(Error::VenueCallFailed(PiTokenVenueCallFailed {
            venue: venue.address(),
            reason: mock_venue::VenueExceededMaxWithdraw::SELECTOR.into()
        }))
    );
    assert_eq!(snapshot(&pi, &token, &venue, &[alice]), before);
}

// ------------------------------------------------------------------ harvest

#[motsu::test]
fn harvest_charges_the_fee_on_realised_yield_in_pi_worth_the_fee(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    alice: Address,
    treasury: Address,
) {
    setup_staked(&pi, &token, &venue, router, alice);
    venue.sender(router).simulate_yield(e18(80)).motsu_unwrap();
    let staked = e18(880) - U256::from(1);
    let fee_rate = uint!(100_000_000_000_000_000_U256); // 10%
    let (gain, fee, fee_pi) = pi.sender(router).harvest(fee_rate, treasury).motsu_unwrap();
    assert_eq!(gain, staked - e18(800));
    assert_eq!(fee, gain / U256::from(10));
    // ⌊fee · (S + 1) / (A − fee + 1)⌋ with S = 1000e18, A = 200e18 + staked.
    let total = e18(200) + staked;
    let expected_pi = fee * (e18(1_000) + U256::from(1)) / (total - fee + U256::from(1));
    assert_eq!(fee_pi, expected_pi);
    assert_eq!(pi.sender(alice).balance_of(treasury), fee_pi);
    assert_eq!(pi.sender(alice).venue_checkpoint.get(), staked);
    // The fee pi are worth the fee, rounded down.
    let worth = pi.sender(alice).preview_withdraw(fee_pi).unwrap();
    assert!(worth <= fee && fee - worth <= U256::from(1), "fee {fee}, worth {worth}");
    pi.assert_emitted(&Harvested {
        receiver: treasury,
        gain,
        fee,
        feePiAmount: fee_pi,
        venueCheckpoint: staked,
    });
    // Nothing new to realise.
    assert_eq!(
        pi.sender(router).harvest(fee_rate, treasury).motsu_unwrap(),
        (U256::ZERO, U256::ZERO, U256::ZERO)
    );
}

#[motsu::test]
fn harvest_after_a_loss_charges_nothing_until_the_loss_is_recovered(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    alice: Address,
    treasury: Address,
) {
    setup_staked(&pi, &token, &venue, router, alice);
    let fee_rate = uint!(200_000_000_000_000_000_U256);
    venue.sender(router).simulate_loss(e18(100)).motsu_unwrap();
    assert_eq!(
        pi.sender(router).harvest(fee_rate, treasury).motsu_unwrap(),
        (U256::ZERO, U256::ZERO, U256::ZERO)
    );
    assert_eq!(pi.sender(alice).venue_checkpoint.get(), e18(800));
    // Recover 90 of the 100: still below the high-water mark.
    venue.sender(router).simulate_yield(e18(90)).motsu_unwrap();
    assert_eq!(pi.sender(router).harvest(fee_rate, treasury).motsu_unwrap().0, U256::ZERO);
    // Recover the rest and 20 more: only the new 20 (less the venue's rounding) is yield.
    venue.sender(router).simulate_yield(e18(30)).motsu_unwrap();
    let staked = pi.sender(alice).reserve_state().unwrap().1;
    let (gain, fee, _) = pi.sender(router).harvest(fee_rate, treasury).motsu_unwrap();
    assert_eq!(gain, staked - e18(800));
    assert!(gain <= e18(20) && gain >= e18(20) - U256::from(1));
    assert_eq!(fee, gain / U256::from(5));
}

#[motsu::test]
fn harvest_reverts_for_non_router_excessive_fee_and_zero_receiver(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    alice: Address,
) {
    setup_staked(&pi, &token, &venue, router, alice);
    venue.sender(router).simulate_yield(e18(80)).motsu_unwrap();
    let before = snapshot(&pi, &token, &venue, &[alice]);
    assert!(matches!(
        pi.sender(alice).harvest(U256::ZERO, alice).motsu_unwrap_err(),
        Error::NotRouter(_)
    ));
    let too_much = MAX_PERFORMANCE_FEE + U256::from(1);
    assert_eq!(
        enc(pi.sender(router).harvest(too_much, alice).motsu_unwrap_err()),
        enc(Error::InvalidFee(PiTokenInvalidFee { feeRate: too_much, max: MAX_PERFORMANCE_FEE }))
    );
    let err = pi.sender(router).harvest(MAX_PERFORMANCE_FEE, Address::ZERO).motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAddress(_)));
    assert_eq!(snapshot(&pi, &token, &venue, &[alice]), before);
    // With a zero fee the receiver may be zero: the gain is realised, nothing is minted.
    let (gain, fee, fee_pi) = pi.sender(router).harvest(U256::ZERO, Address::ZERO).motsu_unwrap();
    assert!(gain > U256::ZERO);
    assert_eq!((fee, fee_pi), (U256::ZERO, U256::ZERO));
}

// ------------------------------------------------------------------ router settings

#[motsu::test]
fn set_reserve_ratio_checks_caller_and_bound(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    alice: Address,
) {
    setup(&pi, &token, &venue, router);
    assert!(matches!(
        pi.sender(alice).set_reserve_ratio(WAD).motsu_unwrap_err(),
        Error::NotRouter(_)
    ));
    let over = WAD + U256::from(1);
    assert_eq!(
        enc(pi.sender(router).set_reserve_ratio(over).motsu_unwrap_err()),
        enc(Error::InvalidReserveRatio(PiTokenInvalidReserveRatio { ratio: over, max: WAD }))
    );
    assert_eq!(pi.sender(alice).reserve_ratio(), U256::ZERO);
    pi.sender(router).set_reserve_ratio(WAD).motsu_unwrap();
    assert_eq!(pi.sender(alice).reserve_ratio(), WAD);
    pi.assert_emitted(&ReserveRatioSet { ratio: WAD });
}

#[motsu::test]
fn set_router_hands_the_role_over(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    router: Address,
    next: Address,
) {
    setup(&pi, &token, &venue, router);
    assert!(matches!(pi.sender(next).set_router(next).motsu_unwrap_err(), Error::NotRouter(_)));
    assert!(matches!(
        pi.sender(router).set_router(Address::ZERO).motsu_unwrap_err(),
        Error::ZeroAddress(_)
    ));
    pi.sender(router).set_router(next).motsu_unwrap();
    assert_eq!(pi.sender(next).router(), next);
    pi.assert_emitted(&RouterSet { previousRouter: router, newRouter: next });
    assert!(matches!(
        pi.sender(router).set_reserve_ratio(WAD).motsu_unwrap_err(),
        Error::NotRouter(_)
    ));
    pi.sender(next).set_reserve_ratio(WAD).motsu_unwrap();
}

#[motsu::test]
fn set_venue_needs_an_empty_venue_and_a_vault_of_the_underlying(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    other: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    venue2: Contract<MockVenue>,
    wrong: Contract<MockVenue>,
    router: Address,
    alice: Address,
) {
    setup_staked(&pi, &token, &venue, router, alice);
    venue2.sender(router).constructor(token.address());
    other.sender(router).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
    wrong.sender(router).constructor(other.address());
    assert!(matches!(
        pi.sender(alice).set_venue(venue2.address()).motsu_unwrap_err(),
        Error::NotRouter(_)
    ));
    assert_eq!(
        enc(pi.sender(router).set_venue(venue2.address()).motsu_unwrap_err()),
        enc(Error::VenueNotEmpty(PiTokenVenueNotEmpty {
            venue: venue.address(),
            shares: e18(800)
        }))
    );
    pi.sender(router).unstake(U256::MAX).motsu_unwrap();
    assert_eq!(
        enc(pi.sender(router).set_venue(wrong.address()).motsu_unwrap_err()),
        enc(Error::VenueAssetMismatch(PiTokenVenueAssetMismatch {
            venue: wrong.address(),
            asset: other.address()
        }))
    );
    assert!(matches!(
        pi.sender(router).set_venue(Address::ZERO).motsu_unwrap_err(),
        Error::ZeroAddress(_)
    ));
    pi.sender(router).set_venue(venue2.address()).motsu_unwrap();
    assert_eq!(pi.sender(alice).venue(), venue2.address());
    pi.assert_emitted(&VenueSet { previousVenue: venue.address(), newVenue: venue2.address() });
    pi.sender(router).stake(e18(500)).motsu_unwrap();
    assert_eq!(venue2.sender(alice).balance_of(pi.address()), e18(500));
    assert_eq!(pi.sender(alice).total_underlying().unwrap(), e18(1_000));
}

// ------------------------------------------------------------------ meta-governance

mod governance {
    #![allow(missing_docs)]
    alloy_sol_types::sol! {
        function castVote(uint256 proposalId, uint8 support) external returns (uint256);
        function delegate(address delegatee) external;
        function burn(address from, uint256 value) external;
    }
}

#[motsu::test]
fn an_allow_listed_vote_reaches_the_governor_with_the_pooled_balance(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    governor: Contract<MockGovernor>,
    router: Address,
    alice: Address,
    bob: Address,
) {
    setup(&pi, &token, &venue, router);
    governor.sender(router).constructor(token.address());
    fund(&token, &pi, alice, e18(300));
    fund(&token, &pi, bob, e18(200));
    pi.sender(alice).deposit(e18(300)).motsu_unwrap();
    pi.sender(bob).deposit(e18(200)).motsu_unwrap();
    let selector = FixedBytes(governance::castVoteCall::SELECTOR);
    pi.sender(router).set_voting_allowed(governor.address(), selector, true).motsu_unwrap();
    pi.assert_emitted(&VotingAllowedSet { target: governor.address(), selector, allowed: true });
    let args = alloy_sol_types::SolValue::abi_encode(&(U256::from(7), U256::from(1)));
    pi.sender(router).call_voting(governor.address(), selector, &args).motsu_unwrap();
    assert_eq!(
        governor.sender(alice).get_receipt(U256::from(7), pi.address()),
        (true, 1, e18(500))
    );
    pi.assert_emitted(&VotingCalled {
        target: governor.address(),
        selector,
        args: args.clone().into(),
    });
}

#[motsu::test]
fn voting_calls_are_refused_unless_allow_listed_and_never_for_token_moving_selectors(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    governor: Contract<MockGovernor>,
    router: Address,
    alice: Address,
) {
    setup(&pi, &token, &venue, router);
    governor.sender(router).constructor(token.address());
    let cast = FixedBytes(governance::castVoteCall::SELECTOR);
    let args = alloy_sol_types::SolValue::abi_encode(&(U256::from(7), U256::from(1)));
    assert_eq!(
        enc(pi.sender(router).call_voting(governor.address(), cast, &args).motsu_unwrap_err()),
        enc(Error::VotingNotAllowed(PiTokenVotingNotAllowed {
            target: governor.address(),
            selector: cast
        }))
    );
    assert!(matches!(
        pi.sender(alice).call_voting(governor.address(), cast, &args).motsu_unwrap_err(),
        Error::NotRouter(_)
    ));
    assert!(matches!(
        pi.sender(alice).set_voting_allowed(governor.address(), cast, true).motsu_unwrap_err(),
        Error::NotRouter(_)
    ));
    for selector in FORBIDDEN_VOTING_SELECTORS {
        let selector = FixedBytes(selector);
        assert_eq!(
            enc(pi
                .sender(router)
                .set_voting_allowed(token.address(), selector, true)
                .motsu_unwrap_err()),
            enc(Error::VotingSelectorForbidden(PiTokenVotingSelectorForbidden { selector }))
        );
        // Disallowing is always possible.
        pi.sender(router).set_voting_allowed(token.address(), selector, false).motsu_unwrap();
    }
    assert_eq!(
        governor.sender(alice).get_receipt(U256::from(7), pi.address()),
        (false, 0, U256::ZERO)
    );
}

#[motsu::test]
fn a_voting_call_that_reverts_or_moves_funds_reverts(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    governor: Contract<MockGovernor>,
    router: Address,
    alice: Address,
) {
    setup(&pi, &token, &venue, router);
    governor.sender(router).constructor(token.address());
    fund(&token, &pi, alice, e18(100));
    pi.sender(alice).deposit(e18(100)).motsu_unwrap();
    let cast = FixedBytes(governance::castVoteCall::SELECTOR);
    pi.sender(router).set_voting_allowed(governor.address(), cast, true).motsu_unwrap();
    // Support 3 is invalid: the governor reverts.
    let bad = alloy_sol_types::SolValue::abi_encode(&(U256::from(7), U256::from(3)));
    assert_eq!(
        enc(pi.sender(router).call_voting(governor.address(), cast, &bad).motsu_unwrap_err()),
        enc(Error::VotingCallFailed(PiTokenVotingCallFailed {
            target: governor.address(),
            selector: cast
        }))
    );
    // The mock token's open `burn` is not a forbidden selector, but it lowers the balance.
    let burn = FixedBytes(governance::burnCall::SELECTOR);
    pi.sender(router).set_voting_allowed(token.address(), burn, true).motsu_unwrap();
    let args = alloy_sol_types::SolValue::abi_encode(&(pi.address(), e18(1)));
    assert_eq!(
        enc(pi.sender(router).call_voting(token.address(), burn, &args).motsu_unwrap_err()),
        enc(Error::VotingMovedFunds(PiTokenVotingMovedFunds {
            token: token.address(),
            before: e18(100),
            after: e18(99)
        }))
    );
    assert_eq!(token.sender(alice).balance_of(pi.address()), e18(100));
}

// ------------------------------------------------------------------ ABI dispatch

#[storage]
struct Caller {
    _unused: StorageU256,
}
unsafe impl TopLevelStorage for Caller {}

#[public]
impl Caller {
    fn exec(&mut self, target: Address, data: Bytes) -> Result<Bytes, Vec<u8>> {
        // SAFETY: test contract.
        unsafe { RawCall::new().call(target, &data) }.map(Bytes)
    }
}

fn call(
    caller: &Contract<Caller>,
    who: Address,
    pi: &Contract<PiToken>,
    data: Vec<u8>,
) -> Result<Vec<u8>, Vec<u8>> {
    caller.sender(who).exec(pi.address(), Bytes(data)).map(|b| b.0)
}

#[motsu::test]
fn abi_calls_decode_and_encode_through_the_fallback(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    caller: Contract<Caller>,
    router: Address,
    alice: Address,
) {
    setup(&pi, &token, &venue, router);
    let who = caller.address();
    fund(&token, &pi, who, e18(100));
    let ret = call(&caller, alice, &pi, f::depositCall { amount: e18(40) }.abi_encode()).unwrap();
    assert_eq!(f::depositCall::abi_decode_returns(&ret, true).unwrap().piAmount, e18(40));
    let ret = call(&caller, alice, &pi, f::balanceOfCall { account: who }.abi_encode()).unwrap();
    assert_eq!(f::balanceOfCall::abi_decode_returns(&ret, true).unwrap()._0, e18(40));
    let ret = call(&caller, alice, &pi, f::nameCall {}.abi_encode()).unwrap();
    assert_eq!(f::nameCall::abi_decode_returns(&ret, true).unwrap()._0, "Wrapped AAVE");
    let ret = call(&caller, alice, &pi, f::symbolCall {}.abi_encode()).unwrap();
    assert_eq!(f::symbolCall::abi_decode_returns(&ret, true).unwrap()._0, "piAAVE");
    let ret = call(&caller, alice, &pi, f::getReserveStateCall {}.abi_encode()).unwrap();
    let state = f::getReserveStateCall::abi_decode_returns(&ret, true).unwrap();
    assert_eq!((state.reserve, state.staked), (e18(40), U256::ZERO));
    let ret = call(&caller, alice, &pi, f::underlyingCall {}.abi_encode()).unwrap();
    assert_eq!(f::underlyingCall::abi_decode_returns(&ret, true).unwrap()._0, token.address());
    let ret = call(&caller, alice, &pi, f::previewWithdrawCall { piAmount: e18(4) }.abi_encode())
        .unwrap();
    assert_eq!(f::previewWithdrawCall::abi_decode_returns(&ret, true).unwrap().amount, e18(4));
    let ret =
        call(&caller, alice, &pi, f::withdrawCall { piAmount: e18(10) }.abi_encode()).unwrap();
    assert_eq!(f::withdrawCall::abi_decode_returns(&ret, true).unwrap().amount, e18(10));
    assert_eq!(pi.sender(alice).balance_of(who), e18(30));
    // Named errors come back as their ABI encoding.
    let err = call(&caller, alice, &pi, f::stakeCall { amount: e18(1) }.abi_encode()).unwrap_err();
    assert_eq!(err, enc(Error::NotRouter(PiTokenNotRouter { caller: who })));
}

#[motsu::test]
fn malformed_or_unknown_calldata_reverts_with_empty_data(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    caller: Contract<Caller>,
    router: Address,
    alice: Address,
) {
    setup(&pi, &token, &venue, router);
    // Unknown selector, a dirty address, a bool that is not 0/1, a `bytes` past the end.
    let mut dirty = f::balanceOfCall { account: alice }.abi_encode();
    dirty[4] = 1;
    let mut bad_bool =
        f::setVotingAllowedCall { target: alice, selector: FixedBytes::ZERO, allowed: true }
            .abi_encode();
    bad_bool[4 + 95] = 2;
    let mut bad_bytes =
        f::callVotingCall { target: alice, selector: FixedBytes::ZERO, args: vec![1, 2].into() }
            .abi_encode();
    bad_bytes[4 + 95] = 0xff;
    // The fallback is called directly: motsu replaces an empty revert of a nested call with
    // its own text, and cannot route calldata shorter than a selector.
    for data in [vec![1, 2, 3], vec![0xde, 0xad, 0xbe, 0xef], dirty, bad_bool, bad_bytes] {
        assert_eq!(pi.sender(alice).fallback(&data), Err(Vec::new()));
    }
    // Through a real call the revert carries no named error either.
    let err = call(&caller, alice, &pi, vec![0xde, 0xad, 0xbe, 0xef]).unwrap_err();
    assert!(err.is_empty() || err.starts_with(b"function not found for selector"), "{err:?}");
}
