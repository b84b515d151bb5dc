//! Two-step ownership.
//!
//! Ownership moves only when the proposed owner accepts it, so a transfer to
//! a mistyped address cannot brick a contract (the pattern of OpenZeppelin's
//! `Ownable2Step`). Contracts embed [`Ownable2Step`] in their storage and
//! expose `owner`, `pendingOwner`, `transferOwnership`, `acceptOwnership` and
//! `renounceOwnership` as thin wrappers, so the functions appear in the
//! contract's exported ABI.

use alloy_primitives::Address;
use alloy_sol_types::sol;
use stylus_sdk::{prelude::*, storage::StorageAddress};

use crate::env;

sol! {
    /// `account` is not allowed to call an owner-only function.
    #[derive(Debug, PartialEq, Eq)]
    error OwnableUnauthorizedAccount(address account);
    /// `owner` cannot be the owner (the zero address at initialisation).
    #[derive(Debug, PartialEq, Eq)]
    error OwnableInvalidOwner(address owner);

    /// A transfer to `newOwner` was proposed; it completes when they accept.
    #[derive(Debug, PartialEq, Eq)]
    event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);
    /// Ownership moved from `previousOwner` to `newOwner`.
    #[derive(Debug, PartialEq, Eq)]
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
}

/// Solidity declarations of the ownership events, for exported interfaces.
pub const OWNABLE_EVENTS_ABI: &[&str] = &[
    "event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);",
    "event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);",
];

/// Errors of [`Ownable2Step`].
#[derive(Debug, PartialEq, Eq)]
pub enum OwnableError {
    /// See [`OwnableUnauthorizedAccount`].
    Unauthorized(OwnableUnauthorizedAccount),
    /// See [`OwnableInvalidOwner`].
    InvalidOwner(OwnableInvalidOwner),
}

/// Owner and pending owner.
#[storage]
pub struct Ownable2Step {
    owner: StorageAddress,
    pending_owner: StorageAddress,
}

impl Ownable2Step {
    /// Sets the first owner; call once from the contract's constructor.
    ///
    /// # Errors
    /// [`OwnableInvalidOwner`] for the zero address.
    ///
    /// # Events
    /// [`OwnershipTransferred`] from the zero address.
    pub fn init(&mut self, owner: Address) -> Result<(), OwnableError> {
        if owner.is_zero() {
            return Err(OwnableError::InvalidOwner(OwnableInvalidOwner { owner }));
        }
        self.set_owner(owner);
        Ok(())
    }

    /// Current owner (zero once renounced).
    pub fn owner(&self) -> Address {
        self.owner.get()
    }

    /// Proposed owner awaiting acceptance (zero when none).
    pub fn pending_owner(&self) -> Address {
        self.pending_owner.get()
    }

    /// Fails unless `caller` is the owner.
    ///
    /// # Errors
    /// [`OwnableUnauthorizedAccount`].
    pub fn only_owner(&self, caller: Address) -> Result<(), OwnableError> {
        if caller != self.owner.get() {
            return Err(OwnableError::Unauthorized(OwnableUnauthorizedAccount { account: caller }));
        }
        Ok(())
    }

    /// Proposes `new_owner` (zero cancels a pending proposal).
    ///
    /// # Errors
    /// [`OwnableUnauthorizedAccount`] unless `caller` is the owner.
    ///
    /// # Events
    /// [`OwnershipTransferStarted`].
    pub fn transfer_ownership(
        &mut self,
        caller: Address,
        new_owner: Address,
    ) -> Result<(), OwnableError> {
        self.only_owner(caller)?;
        self.pending_owner.set(new_owner);
        env::emit(OwnershipTransferStarted { previousOwner: caller, newOwner: new_owner });
        Ok(())
    }

    /// Completes a proposed transfer.
    ///
    /// # Errors
    /// [`OwnableUnauthorizedAccount`] unless `caller` is the pending owner.
    ///
    /// # Events
    /// [`OwnershipTransferred`].
    pub fn accept_ownership(&mut self, caller: Address) -> Result<(), OwnableError> {
        if caller.is_zero() || caller != self.pending_owner.get() {
            return Err(OwnableError::Unauthorized(OwnableUnauthorizedAccount { account: caller }));
        }
        self.set_owner(caller);
        Ok(())
    }

    /// Gives up ownership for good: owner-only functions become unreachable.
    ///
    /// # Errors
    /// [`OwnableUnauthorizedAccount`] unless `caller` is the owner.
    ///
    /// # Events
    /// [`OwnershipTransferred`] to the zero address.
    pub fn renounce_ownership(&mut self, caller: Address) -> Result<(), OwnableError> {
        self.only_owner(caller)?;
        self.set_owner(Address::ZERO);
        Ok(())
    }

    fn set_owner(&mut self, new_owner: Address) {
        let previous = self.owner.get();
        self.owner.set(new_owner);
        self.pending_owner.set(Address::ZERO);
        env::emit(OwnershipTransferred { previousOwner: previous, newOwner: new_owner });
    }
}
