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

/// A fresh embedded chain (the `strata` CLI's: deployer funded, labels set).
pub fn ctx() -> strata::systems::Ctx<'static> {
    strata::systems::Ctx::new(artifacts())
}

/// Executes `plan` (deployments and wiring, as `strata deploy` does) on `ctx`.
pub fn deploy(ctx: &mut strata::systems::Ctx<'static>, plan: fn() -> strata::systems::Plan) {
    let system = strata::systems::System {
        name: "test",
        description: "test deployment",
        plan,
        scenario: |_| Ok(()),
        gas: |_| Ok(Vec::new()),
    };
    ctx.execute_plan(&system).unwrap_or_else(|e| panic!("deployment failed: {e}"));
}

/// Sends `call` from `from` to `to`; panics with the trace when it fails.
pub fn send<C: alloy_sol_types::SolCall>(
    ctx: &mut strata::systems::Ctx<'static>,
    from: alloy_primitives::Address,
    to: alloy_primitives::Address,
    call: &C,
) -> C::Return {
    ctx.host.prank(from);
    match ctx.host.call_sol(to, call) {
        Ok(r) => r,
        Err(e) => panic!("{} failed: {e}\n{}", C::SIGNATURE, ctx.host.last_trace()),
    }
}

/// A view call; panics when it fails.
pub fn view<C: alloy_sol_types::SolCall>(
    ctx: &mut strata::systems::Ctx<'static>,
    to: alloy_primitives::Address,
    call: &C,
) -> C::Return {
    ctx.host.view_sol(to, call).unwrap_or_else(|e| panic!("{} failed: {e}", C::SIGNATURE))
}
