//! Prints the contract's Solidity interface (`--features export-abi`): the
//! constructor and errors from the SDK, the functions the hand-written router
//! serves (`vamm::abi`) and the events.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

/// Placeholder so the bin target links for WASM; the contract's entry point is `user_entrypoint`.
#[cfg(not(any(test, feature = "export-abi")))]
#[no_mangle]
pub extern "C" fn main() {}

#[cfg(feature = "export-abi")]
fn main() {
    let declarations: Vec<&str> =
        vamm::abi::FUNCTIONS_ABI.iter().chain(vamm::ALL_EVENTS_ABI.iter()).copied().collect();
    strata_common::abi_export::print_interface::<vamm::Vamm>(&declarations);
}
