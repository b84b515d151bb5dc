//! Unit tests of the token helpers, ownership and the lock against small
//! in-test token contracts that misbehave the ways real tokens do.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects, clippy::unused_self, missing_docs)]

use alloc::vec::Vec;

use alloy_primitives::{uint, Address, U256};
use alloy_sol_types::SolEvent;
use motsu::prelude::*;
use openzeppelin_stylus::token::erc20::{Erc20, IErc20};
use stylus_sdk::{prelude::*, storage::StorageU256};

use crate::{
    abi::{self, Word},
    env, log,
    ownable::{
        Ownable2Step, OwnableError, OwnableInvalidOwner, OwnableUnauthorizedAccount,
        OwnershipTransferStarted, OwnershipTransferred,
    },
    reentrancy::{ReentrancyLock, ReentrantCall},
    token::{self, TokenAmountShortfall, TokenCallFailed, TokenError},
};

const AMOUNT: U256 = uint!(1_000_U256);

/// Standard token: returns `true`.
#[storage]
struct GoodToken {
    erc20: Erc20,
}
unsafe impl TopLevelStorage for GoodToken {}

#[public]
impl GoodToken {
    fn mint(&mut self, to: Address, value: U256) {
        self.erc20._mint(to, value).unwrap();
    }
    fn balance_of(&self, a: Address) -> U256 {
        self.erc20.balance_of(a)
    }
    fn approve(&mut self, s: Address, v: U256) -> Result<bool, Vec<u8>> {
        Ok(self.erc20.approve(s, v)?)
    }
    fn transfer(&mut self, to: Address, v: U256) -> Result<bool, Vec<u8>> {
        Ok(self.erc20.transfer(to, v)?)
    }
    fn transfer_from(&mut self, f: Address, to: Address, v: U256) -> Result<bool, Vec<u8>> {
        Ok(self.erc20.transfer_from(f, to, v)?)
    }
}

/// USDT-style token: transfers return nothing.
#[storage]
struct NoReturnToken {
    erc20: Erc20,
}
unsafe impl TopLevelStorage for NoReturnToken {}

#[public]
impl NoReturnToken {
    fn mint(&mut self, to: Address, value: U256) {
        self.erc20._mint(to, value).unwrap();
    }
    fn balance_of(&self, a: Address) -> U256 {
        self.erc20.balance_of(a)
    }
    fn approve(&mut self, s: Address, v: U256) -> Result<(), Vec<u8>> {
        self.erc20.approve(s, v)?;
        Ok(())
    }
    fn transfer(&mut self, to: Address, v: U256) -> Result<(), Vec<u8>> {
        self.erc20.transfer(to, v)?;
        Ok(())
    }
    fn transfer_from(&mut self, f: Address, to: Address, v: U256) -> Result<(), Vec<u8>> {
        self.erc20.transfer_from(f, to, v)?;
        Ok(())
    }
}

/// Token that signals failure by returning `false` and moving nothing.
#[storage]
struct FalseToken {
    balance: StorageU256,
}
unsafe impl TopLevelStorage for FalseToken {}

#[public]
impl FalseToken {
    fn balance_of(&self, _a: Address) -> U256 {
        self.balance.get()
    }
    fn transfer(&mut self, _to: Address, _v: U256) -> bool {
        false
    }
    fn transfer_from(&mut self, _f: Address, _to: Address, _v: U256) -> bool {
        false
    }
}

/// Token that burns 1% of every transfer.
#[storage]
struct FeeToken {
    erc20: Erc20,
}
unsafe impl TopLevelStorage for FeeToken {}

#[public]
impl FeeToken {
    fn mint(&mut self, to: Address, value: U256) {
        self.erc20._mint(to, value).unwrap();
    }
    fn balance_of(&self, a: Address) -> U256 {
        self.erc20.balance_of(a)
    }
    fn approve(&mut self, s: Address, v: U256) -> Result<bool, Vec<u8>> {
        Ok(self.erc20.approve(s, v)?)
    }
    fn transfer_from(&mut self, f: Address, to: Address, v: U256) -> Result<bool, Vec<u8>> {
        let fee = v / U256::from(100);
        self.erc20.transfer_from(f, to, v)?;
        self.erc20._burn(to, fee)?;
        Ok(true)
    }
}

/// Contract under test: uses the helpers the way Strata contracts do.
#[storage]
struct Treasury {
    owner: Ownable2Step,
    lock: ReentrancyLock,
    credited: StorageU256,
}
unsafe impl TopLevelStorage for Treasury {}

fn encode(e: TokenError) -> Vec<u8> {
    use alloy_sol_types::SolError;
    match e {
        TokenError::CallFailed(e) => e.abi_encode(),
        TokenError::Shortfall(e) => e.abi_encode(),
    }
}

#[public]
impl Treasury {
    fn deposit(&mut self, token: Address, amount: U256) -> Result<U256, Vec<u8>> {
        let received = token::pull(token, env::sender(), amount).map_err(encode)?;
        self.credited.set(self.credited.get() + received);
        Ok(received)
    }
    fn deposit_exact(&mut self, token: Address, amount: U256) -> Result<(), Vec<u8>> {
        token::pull_exact(token, env::sender(), amount).map_err(encode)
    }
    fn pay(&mut self, token: Address, to: Address, amount: U256) -> Result<(), Vec<u8>> {
        token::safe_transfer(token, to, amount).map_err(encode)
    }
    fn approve_spender(
        &mut self,
        token: Address,
        to: Address,
        amount: U256,
    ) -> Result<(), Vec<u8>> {
        token::force_approve(token, to, amount).map_err(encode)
    }
    fn balance(&self, token: Address) -> Result<U256, Vec<u8>> {
        token::balance_of(token, env::this()).map_err(encode)
    }
    fn announce(&mut self, who: Address, amount: U256) {
        log::emit(&[Announced::SIGNATURE_HASH, who.into_word()], &[amount, who.word()]);
    }
    #[allow(clippy::needless_pass_by_value, reason = "a public method takes ABI `bytes` by value")]
    fn announce_note(&mut self, who: Address, note: Vec<u8>) {
        log::emit_bytes(&[Noted::SIGNATURE_HASH, who.into_word()], &abi::encode_bytes(&note));
    }
}

alloy_sol_types::sol! {
    #[derive(Debug, PartialEq, Eq)]
    event Announced(address indexed who, uint256 amount, address echo);
    #[derive(Debug, PartialEq, Eq)]
    event Noted(address indexed who, bytes note);
}

impl Treasury {
    fn guarded_twice(&mut self) -> Result<(), ReentrantCall> {
        self.lock.enter()?;
        self.lock.enter()?;
        self.lock.exit();
        Ok(())
    }
}

#[motsu::test]
fn pull_credits_full_amount_from_standard_token(
    treasury: Contract<Treasury>,
    good: Contract<GoodToken>,
    alice: Address,
) {
    good.sender(alice).mint(alice, AMOUNT);
    good.sender(alice).approve(treasury.address(), AMOUNT).unwrap();
    let got = treasury.sender(alice).deposit(good.address(), AMOUNT).motsu_unwrap();
    assert_eq!(got, AMOUNT);
    assert_eq!(good.sender(alice).balance_of(treasury.address()), AMOUNT);
    assert_eq!(good.sender(alice).balance_of(alice), U256::ZERO);
}

#[motsu::test]
fn pull_accepts_token_that_returns_nothing(
    treasury: Contract<Treasury>,
    usdt: Contract<NoReturnToken>,
    alice: Address,
    bob: Address,
) {
    usdt.sender(alice).mint(alice, AMOUNT);
    usdt.sender(alice).approve(treasury.address(), AMOUNT).unwrap();
    assert_eq!(treasury.sender(alice).deposit(usdt.address(), AMOUNT).motsu_unwrap(), AMOUNT);
    treasury.sender(alice).pay(usdt.address(), bob, uint!(400_U256)).motsu_unwrap();
    assert_eq!(usdt.sender(alice).balance_of(bob), uint!(400_U256));
    assert_eq!(usdt.sender(alice).balance_of(treasury.address()), uint!(600_U256));
}

#[motsu::test]
fn pull_reverts_when_token_returns_false(
    treasury: Contract<Treasury>,
    falsy: Contract<FalseToken>,
    alice: Address,
) {
    let err = treasury.sender(alice).deposit(falsy.address(), AMOUNT).motsu_unwrap_err();
    assert_eq!(err, encode(TokenError::CallFailed(TokenCallFailed { token: falsy.address() })));
    assert_eq!(treasury.sender(alice).credited.get(), U256::ZERO);
}

#[motsu::test]
fn safe_transfer_reverts_when_token_returns_false(
    treasury: Contract<Treasury>,
    falsy: Contract<FalseToken>,
    alice: Address,
) {
    let err = treasury.sender(alice).pay(falsy.address(), alice, AMOUNT).motsu_unwrap_err();
    assert_eq!(err, encode(TokenError::CallFailed(TokenCallFailed { token: falsy.address() })));
}

#[motsu::test]
fn pull_credits_only_received_amount_from_fee_token(
    treasury: Contract<Treasury>,
    fee: Contract<FeeToken>,
    alice: Address,
) {
    fee.sender(alice).mint(alice, AMOUNT);
    fee.sender(alice).approve(treasury.address(), AMOUNT).unwrap();
    let got = treasury.sender(alice).deposit(fee.address(), AMOUNT).motsu_unwrap();
    assert_eq!(got, uint!(990_U256));
    assert_eq!(treasury.sender(alice).credited.get(), uint!(990_U256));
}

#[motsu::test]
fn pull_exact_reverts_on_fee_token_shortfall(
    treasury: Contract<Treasury>,
    fee: Contract<FeeToken>,
    alice: Address,
) {
    fee.sender(alice).mint(alice, AMOUNT);
    fee.sender(alice).approve(treasury.address(), AMOUNT).unwrap();
    let err = treasury.sender(alice).deposit_exact(fee.address(), AMOUNT).motsu_unwrap_err();
    let expected =
        TokenAmountShortfall { token: fee.address(), expected: AMOUNT, received: uint!(990_U256) };
    assert_eq!(err, encode(TokenError::Shortfall(expected)));
    assert_eq!(fee.sender(alice).balance_of(alice), AMOUNT);
}

#[motsu::test]
fn pull_reverts_without_allowance_and_moves_nothing(
    treasury: Contract<Treasury>,
    good: Contract<GoodToken>,
    alice: Address,
) {
    good.sender(alice).mint(alice, AMOUNT);
    let err = treasury.sender(alice).deposit(good.address(), AMOUNT).motsu_unwrap_err();
    assert_eq!(err, encode(TokenError::CallFailed(TokenCallFailed { token: good.address() })));
    assert_eq!(good.sender(alice).balance_of(alice), AMOUNT);
}

#[motsu::test]
fn helpers_reject_token_address_without_code(treasury: Contract<Treasury>, alice: Address) {
    let eoa = Address::with_last_byte(0xEE);
    let failed = encode(TokenError::CallFailed(TokenCallFailed { token: eoa }));
    assert_eq!(treasury.sender(alice).deposit(eoa, AMOUNT).motsu_unwrap_err(), failed);
    assert_eq!(treasury.sender(alice).pay(eoa, alice, AMOUNT).motsu_unwrap_err(), failed);
    assert_eq!(treasury.sender(alice).balance(eoa).motsu_unwrap_err(), failed);
}

#[motsu::test]
fn zero_amounts_make_no_call(treasury: Contract<Treasury>, alice: Address) {
    // No token exists at this address: a call would fail, so success proves no call was made.
    let eoa = Address::with_last_byte(0xEE);
    assert_eq!(treasury.sender(alice).deposit(eoa, U256::ZERO).motsu_unwrap(), U256::ZERO);
    treasury.sender(alice).pay(eoa, alice, U256::ZERO).motsu_unwrap();
}

#[motsu::test]
fn force_approve_sets_allowance(
    treasury: Contract<Treasury>,
    good: Contract<GoodToken>,
    alice: Address,
    bob: Address,
) {
    good.sender(alice).mint(treasury.address(), AMOUNT);
    treasury.sender(alice).approve_spender(good.address(), bob, AMOUNT).motsu_unwrap();
    good.sender(bob).transfer_from(treasury.address(), bob, AMOUNT).unwrap();
    assert_eq!(good.sender(alice).balance_of(bob), AMOUNT);
}

#[motsu::test]
fn ownership_moves_only_when_accepted(treasury: Contract<Treasury>, alice: Address, bob: Address) {
    treasury.sender(alice).owner.init(alice).unwrap();
    treasury
        .assert_emitted(&OwnershipTransferred { previousOwner: Address::ZERO, newOwner: alice });
    treasury.sender(alice).owner.transfer_ownership(alice, bob).unwrap();
    treasury.assert_emitted(&OwnershipTransferStarted { previousOwner: alice, newOwner: bob });
    assert_eq!(treasury.sender(alice).owner.owner(), alice);
    assert_eq!(treasury.sender(alice).owner.pending_owner(), bob);
    treasury.sender(bob).owner.accept_ownership(bob).unwrap();
    treasury.assert_emitted(&OwnershipTransferred { previousOwner: alice, newOwner: bob });
    assert_eq!(treasury.sender(alice).owner.owner(), bob);
    assert_eq!(treasury.sender(alice).owner.pending_owner(), Address::ZERO);
}

#[motsu::test]
fn transfer_ownership_reverts_when_caller_is_not_owner(
    treasury: Contract<Treasury>,
    alice: Address,
    bob: Address,
) {
    treasury.sender(alice).owner.init(alice).unwrap();
    let err = treasury.sender(bob).owner.transfer_ownership(bob, bob).unwrap_err();
    assert_eq!(err, OwnableError::Unauthorized(OwnableUnauthorizedAccount { account: bob }));
    assert_eq!(treasury.sender(alice).owner.pending_owner(), Address::ZERO);
}

#[motsu::test]
fn accept_ownership_reverts_for_anyone_but_pending_owner(
    treasury: Contract<Treasury>,
    alice: Address,
    bob: Address,
    carol: Address,
) {
    treasury.sender(alice).owner.init(alice).unwrap();
    // No pending owner: even the zero address cannot accept.
    assert_eq!(
        treasury.sender(alice).owner.accept_ownership(Address::ZERO).unwrap_err(),
        OwnableError::Unauthorized(OwnableUnauthorizedAccount { account: Address::ZERO })
    );
    treasury.sender(alice).owner.transfer_ownership(alice, bob).unwrap();
    assert_eq!(
        treasury.sender(carol).owner.accept_ownership(carol).unwrap_err(),
        OwnableError::Unauthorized(OwnableUnauthorizedAccount { account: carol })
    );
    assert_eq!(treasury.sender(alice).owner.owner(), alice);
}

#[motsu::test]
fn init_rejects_zero_owner(treasury: Contract<Treasury>, alice: Address) {
    assert_eq!(
        treasury.sender(alice).owner.init(Address::ZERO).unwrap_err(),
        OwnableError::InvalidOwner(OwnableInvalidOwner { owner: Address::ZERO })
    );
}

#[motsu::test]
fn renounce_leaves_no_owner(treasury: Contract<Treasury>, alice: Address) {
    treasury.sender(alice).owner.init(alice).unwrap();
    treasury.sender(alice).owner.renounce_ownership(alice).unwrap();
    assert_eq!(treasury.sender(alice).owner.owner(), Address::ZERO);
    assert!(treasury.sender(alice).owner.only_owner(alice).is_err());
}

#[motsu::test]
fn lock_rejects_nested_entry_and_releases(treasury: Contract<Treasury>, alice: Address) {
    assert_eq!(treasury.sender(alice).guarded_twice(), Err(ReentrantCall {}));
    treasury.sender(alice).lock.exit();
    assert!(!treasury.sender(alice).lock.is_locked());
    treasury.sender(alice).lock.enter().unwrap();
    assert!(treasury.sender(alice).lock.is_locked());
}

#[motsu::test]
fn the_untyped_emitter_writes_what_the_typed_event_would(
    treasury: Contract<Treasury>,
    alice: Address,
) {
    treasury.sender(alice).announce(alice, AMOUNT);
    treasury.assert_emitted(&Announced { who: alice, amount: AMOUNT, echo: alice });
    let note = vec![7u8; 33];
    treasury.sender(alice).announce_note(alice, note.clone());
    treasury.assert_emitted(&Noted { who: alice, note: note.into() });
}
