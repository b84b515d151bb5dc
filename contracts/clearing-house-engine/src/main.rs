//! Prints the contract's Solidity interface (`--features export-abi`): the
//! constructor and errors from the SDK and the functions the hand-written router
//! serves (`clearing_house_engine::abi`); the engine emits no events.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

/// Placeholder so the bin target links for WASM; the contract's entry point is `user_entrypoint`.
#[cfg(not(any(test, feature = "export-abi")))]
#[no_mangle]
pub extern "C" fn main() {}

#[cfg(feature = "export-abi")]
fn main() {
    strata_common::abi_export::print_interface::<clearing_house_engine::ClearingHouseEngine>(
        clearing_house_engine::abi::FUNCTIONS_ABI,
    );
}
