//! Prints the contract's Solidity interface (`--features export-abi`).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

/// Placeholder so the bin target links for WASM; the contract's entry point is `user_entrypoint`.
#[cfg(not(any(test, feature = "export-abi")))]
#[no_mangle]
pub extern "C" fn main() {}

#[cfg(feature = "export-abi")]
fn main() {
    strata_common::abi_export::print_interface::<mock_venue::MockVenue>(
        &mock_venue::ALL_EVENTS_ABI,
    );
}
