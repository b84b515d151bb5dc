//! Prints the pool's Solidity interface (`--features export-abi`): the constructor, the
//! functions `IndexPool` serves itself, those of `IndexPoolSwaps`, `IndexPoolLiquidity` and `IndexPoolAdmin` (which the pool serves at
//! the same address through its fallback), and every event.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

/// Placeholder so the bin target links for WASM; the contract's entry point is `user_entrypoint`.
#[cfg(not(any(test, feature = "export-abi")))]
#[no_mangle]
pub extern "C" fn main() {}

#[cfg(feature = "export-abi")]
fn main() {
    use index_pool::{abi, ALL_EVENTS_ABI};
    let declarations: Vec<&str> = abi::core::FUNCTIONS_ABI
        .iter()
        .chain(abi::swaps::FUNCTIONS_ABI)
        .chain(abi::liquidity::FUNCTIONS_ABI)
        .chain(abi::admin::FUNCTIONS_ABI)
        .chain(ALL_EVENTS_ABI.iter())
        .copied()
        .collect();
    strata_common::abi_export::print_interface::<index_pool::IndexPool>(&declarations);
}
