//! The `strata` CLI's host-backed commands, run on the real artifacts:
//! `strata deploy`'s embedded deployment + scenario, and `strata gas-report`'s
//! measurements, which must reproduce the committed `snapshots/gas.md`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    reason = "integration tests: a failed unwrap or assertion is a failed test"
)]

mod common;

use strata::output::Progress;

#[test]
fn the_embedded_deploy_deploys_wires_and_runs_every_system_scenario() {
    let artifacts = common::artifacts();
    let mut progress = Progress::new(3);
    let report = strata::deploy::deploy_in_host(artifacts, Vec::new(), &mut progress).unwrap();
    assert_eq!(report.mode, "embedded");
    let keys: Vec<&str> = report.contracts.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(keys, ["USDC", "WETH", "FEE", "venue", "governor"]);
    let mut addresses: Vec<_> = report.contracts.iter().map(|c| c.address).collect();
    addresses.dedup();
    assert_eq!(addresses.len(), 5, "every contract has its own address");
    assert!(report.contracts.iter().all(|c| c.constructor_gas > 0), "each constructor ran");
    let state = |what: &str| {
        report.actions.iter().find(|a| a.action == what).map(|a| a.result.clone()).unwrap()
    };
    // Alice: 10,000 minted, 5,000 deposited, half her shares redeemed after
    // 500 of yield: 5,000 + 2,750 (the venue rounds in its own favour by at most a unit).
    let alice = state("state: alice's USDC");
    assert!(alice == "7750" || alice.starts_with("7749.99"), "{alice}");
    assert_eq!(state("state: votes for proposal 1 (WETH)"), "3");
    assert_eq!(state("state: bob's FEE after the 1% fee"), "99");
    assert!(report.summary.contains("Contracts (embedded)"));
    // Deterministic: a second run gives the same addresses and gas.
    let again = strata::deploy::deploy_in_host(artifacts, Vec::new(), &mut progress).unwrap();
    let gas =
        |r: &strata::deploy::DeployReport| r.actions.iter().map(|a| a.gas).collect::<Vec<_>>();
    assert_eq!(gas(&again), gas(&report));
}

#[test]
fn the_gas_report_reproduces_the_committed_snapshot_byte_for_byte() {
    let artifacts = common::artifacts();
    let progress = Progress::new(1);
    let ops = strata::gas_report::measure_all(artifacts, &progress).unwrap();
    let committed = std::fs::read_to_string("../../snapshots/gas.md").unwrap();
    let toolchain = strata::workspace::Workspace::discover().unwrap().toolchain().unwrap();
    let now = strata::gas_report::render(&ops, &toolchain, artifacts.wasm_opt_version.as_deref());
    if now != committed {
        // Name the operations that moved before failing on the bytes.
        for r in strata::gas_report::regressions(&committed, &ops) {
            eprintln!(
                "regression: {} {} → {} (+{:.2}%)",
                r.operation, r.before, r.after, r.percent
            );
        }
    }
    let parsed = strata::gas_report::parse(&committed);
    for op in &ops {
        let key = format!("{} / {}", op.system, op.operation);
        assert_eq!(
            parsed.get(&key),
            Some(&op.gas),
            "{key}: snapshots/gas.md is stale; run `cargo strata gas-report --bless`"
        );
    }
    assert_eq!(parsed.len(), ops.len(), "the snapshot lists exactly the measured operations");
    assert!(now == committed, "snapshots/gas.md is stale; run `cargo strata gas-report --bless`");
}
