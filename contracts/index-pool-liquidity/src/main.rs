//! Prints the contract's Solidity interface (`--features export-abi`): the functions it
//! serves through its fallback, the pool's errors and the pool's events.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

/// Placeholder so the bin target links for WASM; the contract's entry point is `user_entrypoint`.
#[cfg(not(any(test, feature = "export-abi")))]
#[no_mangle]
pub extern "C" fn main() {}

#[cfg(feature = "export-abi")]
fn main() {
    use index_pool_shared::{abi, Error, ALL_EVENTS_ABI};
    use stylus_sdk::abi::export::internal::InnerTypes;
    // The SDK lists errors only for typed functions; the fallback returns the pool's errors.
    let errors: Vec<String> = Error::inner_types().into_iter().map(|t| t.name).collect();
    let declarations: Vec<&str> = abi::liquidity::FUNCTIONS_ABI
        .iter()
        .copied()
        .chain(errors.iter().map(String::as_str))
        .chain(ALL_EVENTS_ABI.iter().copied())
        .collect();
    strata_common::abi_export::print_interface::<index_pool_liquidity::IndexPoolLiquidity>(
        &declarations,
    );
}
