//! The clock and block number, read once per public call.
//!
//! A contract's public functions call [`now_and_block`] once and pass the values
//! down to `_at(now, block, ..)` internals, so their logic is a function of its
//! inputs (the vAMM and the clearing house use it).
//!
//! motsu 0.10 (the unit-test VM) fixes the timestamp and the block number, and in
//! a cross-contract test one contract's calls reach another through the VM, so a
//! test cannot hand the callee `now` directly. Host builds with the `test-clock`
//! feature (or this crate's own tests) therefore honour an override set with
//! [`test_clock::set`]: one thread-local for every contract of the test (motsu
//! runs each test on its own thread), so all of them see the same time. The
//! override does not exist in WASM builds (`target_arch = "wasm32"`): deployed
//! code always reads the host.

/// `(block timestamp, block number)` for the current call.
#[inline]
#[must_use]
pub fn now_and_block() -> (u64, u64) {
    #[cfg(all(any(test, feature = "test-clock"), not(target_arch = "wasm32")))]
    if let Some(overridden) = test_clock::get() {
        return overridden;
    }
    (crate::env::timestamp(), crate::env::block_number())
}

/// Host-only clock override for tests (absent from WASM builds).
#[cfg(all(any(test, feature = "test-clock"), not(target_arch = "wasm32")))]
pub mod test_clock {
    use core::cell::Cell;

    std::thread_local! {
        static CLOCK: Cell<Option<(u64, u64)>> = const { Cell::new(None) };
    }

    /// Makes this thread's calls see `timestamp` and `block`.
    pub fn set(timestamp: u64, block: u64) {
        CLOCK.with(|c| c.set(Some((timestamp, block))));
    }

    /// Returns to the VM's own clock.
    pub fn clear() {
        CLOCK.with(|c| c.set(None));
    }

    pub(crate) fn get() -> Option<(u64, u64)> {
        CLOCK.with(Cell::get)
    }
}
