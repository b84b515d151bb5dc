//! Shared test helpers: the deployable artifacts and a few fixtures.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::panic,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    missing_docs,
    reason = "test helpers: each test binary uses a subset, failures abort the test"
)]

use std::sync::OnceLock;

/// The release artifacts of every deployable contract, built (incrementally)
/// and optimised exactly as `cargo strata check` does, once per test binary.
/// `STRATA_SKIP_BUILD=1` reuses `<target>/strata/` as it is.
pub fn artifacts() -> &'static strata::artifacts::Artifacts {
    static ARTIFACTS: OnceLock<strata::artifacts::Artifacts> = OnceLock::new();
    ARTIFACTS.get_or_init(|| {
        let ws = strata::workspace::Workspace::discover()
            .unwrap_or_else(|e| panic!("cannot read the workspace with cargo metadata: {e}"));
        strata::artifacts::ensure(&ws).unwrap_or_else(|e| {
            panic!(
                "building the contracts' WASM artifacts failed: {e}\n\
                 (the host tests run the release artifacts; `cargo strata check` builds them)"
            )
        })
    })
}

/// The deployable WASM of `package`.
pub fn wasm(package: &str) -> &'static [u8] {
    artifacts().get(package).unwrap_or_else(|e| panic!("{e}"))
}
