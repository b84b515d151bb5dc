//! Prints the lens's Solidity interface (`--features export-abi`): the constructor, every
//! function (decoded by the contract's own dispatcher), every error and every event.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

/// Placeholder so the bin target links for WASM; the contract's entry point is `user_entrypoint`.
#[cfg(not(any(test, feature = "export-abi")))]
#[no_mangle]
pub extern "C" fn main() {}

#[cfg(feature = "export-abi")]
fn main() {
    use alloy_sol_types::SolError;
    use index_router_lens::{abi::functions::FUNCTIONS_ABI, ALL_EVENTS_ABI};
    // The lens has no constructor to carry its error type into the SDK's export, so its
    // errors are listed here, in the SDK's format.
    let errors: Vec<String> = [
        index_router_lens::IndexRouterZeroAmount::SIGNATURE,
        index_router_lens::IndexRouterTokenNotInPool::SIGNATURE,
        index_router_lens::IndexRouterInvalidPath::SIGNATURE,
        index_router_lens::IndexRouterPoolRepeated::SIGNATURE,
        index_router_lens::IndexRouterWrapperRepeated::SIGNATURE,
        index_router_lens::IndexRouterCallFailed::SIGNATURE,
        index_router_lens::IndexRouterMath::SIGNATURE,
    ]
    .iter()
    .map(|s| format!("error {};", s.replace(',', ", ")))
    .collect();
    let declarations: Vec<&str> = errors
        .iter()
        .map(String::as_str)
        .chain(FUNCTIONS_ABI.iter().copied())
        .chain(ALL_EVENTS_ABI.iter().copied())
        .collect();
    strata_common::abi_export::print_interface::<index_router_lens::IndexRouterLens>(&declarations);
}
