//! Prints the pi-token's Solidity interface (`--features export-abi`): the constructor, every
//! function (decoded by the contract's own dispatcher), every error and every event.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

/// Placeholder so the bin target links for WASM; the contract's entry point is `user_entrypoint`.
#[cfg(not(any(test, feature = "export-abi")))]
#[no_mangle]
pub extern "C" fn main() {}

#[cfg(feature = "export-abi")]
fn main() {
    use pi_token::{abi::functions::FUNCTIONS_ABI, ALL_EVENTS_ABI};
    let declarations: Vec<&str> =
        FUNCTIONS_ABI.iter().chain(ALL_EVENTS_ABI.iter()).copied().collect();
    strata_common::abi_export::print_interface::<pi_token::PiToken>(&declarations);
}
