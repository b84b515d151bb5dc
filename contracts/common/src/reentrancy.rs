//! Explicit reentrancy lock.
//!
//! Stylus already reverts a call that re-enters a contract on the call stack
//! unless the SDK's `reentrant` feature is on, but that is a build setting
//! an integrator can change; the lock makes the guarantee part of the code.
//! It costs one storage write pair per guarded call (set, then reset to the
//! original value, which earns the EIP-3529 refund).

use alloy_sol_types::sol;
use stylus_sdk::{prelude::*, storage::StorageBool};

sol! {
    /// A guarded function was entered while another guarded call was running.
    #[derive(Debug, PartialEq, Eq)]
    error ReentrantCall();
}

/// The lock flag.
#[storage]
pub struct ReentrancyLock {
    locked: StorageBool,
}

impl ReentrancyLock {
    /// Takes the lock.
    ///
    /// # Errors
    /// [`ReentrantCall`] when it is already held.
    pub fn enter(&mut self) -> Result<(), ReentrantCall> {
        if self.locked.get() {
            return Err(ReentrantCall {});
        }
        self.locked.set(true);
        Ok(())
    }

    /// Releases the lock. A reverted call needs no release: the revert
    /// restores the flag.
    pub fn exit(&mut self) {
        self.locked.set(false);
    }

    /// Whether a guarded call is running.
    pub fn is_locked(&self) -> bool {
        self.locked.get()
    }
}
