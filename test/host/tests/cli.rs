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
#[allow(clippy::too_many_lines, reason = "one deployment, then its checks system by system")]
fn the_embedded_deploy_deploys_wires_and_runs_every_system_scenario() {
    let artifacts = common::artifacts();
    let mut progress = Progress::new(3);
    let report = strata::deploy::deploy_in_host(artifacts, Vec::new(), &mut progress).unwrap();
    assert_eq!(report.mode, "embedded");
    assert_eq!(report.systems, ["Assets", "Index", "Perp", "Infinity"]);
    let keys: Vec<(&str, &str)> =
        report.contracts.iter().map(|c| (c.system.as_str(), c.key.as_str())).collect();
    assert_eq!(
        keys,
        [
            ("Assets", "USDC"),
            ("Assets", "WETH"),
            ("Assets", "FEE"),
            ("Assets", "venue"),
            ("Assets", "governor"),
            ("Index", "UNI"),
            ("Index", "AAVE"),
            ("Index", "CRV"),
            ("Index", "oracle"),
            ("Index", "valuer"),
            ("Index", "weighted-math"),
            ("Index", "pool-swaps"),
            ("Index", "pool-liquidity"),
            ("Index", "pool-admin"),
            ("Index", "pool"),
            ("Index", "strategy"),
            ("Index", "yield-router"),
            ("Index", "AAVE-venue"),
            ("Index", "piAAVE"),
            ("Index", "index-router-lens"),
            ("Index", "index-router"),
            ("Perp", "perp-oracle"),
            ("Perp", "vault"),
            ("Perp", "clearing-house"),
            ("Perp", "engine"),
            ("Perp", "WETH-PERP"),
            ("Infinity", "DAI"),
            ("Infinity", "infinity-math"),
            ("Infinity", "infinity-pool"),
            ("Infinity", "infinity-positions"),
            ("Infinity", "swapper-manager"),
        ]
    );
    let mut addresses: Vec<_> = report.contracts.iter().map(|c| c.address).collect();
    addresses.sort();
    addresses.dedup();
    assert_eq!(addresses.len(), report.contracts.len(), "every contract has its own address");
    let with_constructor = report.contracts.iter().filter(|c| c.constructor_gas > 0).count();
    // The math libraries, the pool's three parts and the router's lens have no constructor.
    assert_eq!(with_constructor, report.contracts.len() - 6, "each constructor ran");
    let state = |what: &str| {
        report
            .actions
            .iter()
            .find(|a| a.action == what)
            .map_or_else(|| panic!("no action `{what}`"), |a| a.result.clone())
    };
    // Assets — alice: 10,000 minted, 5,000 deposited, half her shares redeemed after
    // 500 of yield: 5,000 + 2,750 (the venue rounds in its own favour by at most a unit).
    let alice = state("state: alice's USDC");
    assert!(alice == "7750" || alice.starts_with("7749.99"), "{alice}");
    assert_eq!(state("state: votes for proposal 1 (WETH)"), "3");
    assert_eq!(state("state: bob's FEE after the 1% fee"), "99");
    // Index — the bind ramp reached the weights, the poke's targets were within the
    // cap, so the weights end exactly at the valuer's targets.
    assert_eq!(state("state: weights after the ramp"), "UNI 10 / AAVE 8 / CRV 7");
    let targets = state("state: valuer targets");
    assert_eq!(state("state: weights at the end of the schedule"), targets);
    assert_eq!(
        state("state: TWAP market caps"),
        "UNI $8083333, AAVE $9983333, CRV $7616666",
        "1-hour TWAPs of the reported prices times the supplies"
    );
    // Index part 2 — the router's quotes are what it executes; 1,000 CRV in and out
    // pays the pool's swap fees both ways and the 0.1% exit fee, and the router keeps nothing.
    let wad = |what: &str| -> f64 { state(what).parse().unwrap() };
    let shares = state("state: carol's SDI for 1000 CRV through the router");
    assert_eq!(shares, state("state: router quote: SDI for 1000 CRV"));
    assert!(wad("state: carol's SDI for 1000 CRV through the router") > 0.0, "{shares}");
    let back = wad("state: carol's CRV back from her SDI through the router");
    assert_eq!(
        state("state: carol's CRV back from her SDI through the router"),
        state("state: router quote: CRV for carol's SDI")
    );
    assert!(back < 1000.0 && back > 990.0, "a round trip costs under 1%: {back}");
    assert_eq!(state("state: index router's CRV and SDI afterwards"), "0 CRV, 0 SDI");
    // The first poke stakes all but the 20% reserve; carol's 100 AAVE earn the venue's
    // 8 AAVE less the 10% performance fee (the pi-token rounds down: at most a wei less).
    assert_eq!(state("state: piAAVE after the first poke"), "20 reserve, 80 staked");
    let aave = wad("state: carol's AAVE back for her piAAVE");
    assert!((aave - (100.0 + 8.0 * 0.9)).abs() < 1e-12, "{aave}");
    // Perp — the keeper's partial liquidation closes 25% of alice's long (the size
    // shown rounds the base down to 6 decimals, so allow one unit of that).
    let size_of = |what: &str| -> f64 {
        let s = state(what);
        s.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    let before = size_of("state: alice");
    let after = size_of("state: alice after the liquidation");
    assert!((after - before * 0.75).abs() <= 1e-6, "{before} → {after}");
    assert!(size_of("state: bob") < 0.0, "bob is short");
    // Infinity — the loan's bins are whole again and nothing is left in escrow.
    assert!(state("state: bin 6890: liquidity, lent").ends_with(", 0"));
    assert_eq!(state("state: pool escrow (swapper reserves, deposits, bonds)"), "0 WETH, 0 DAI");
    assert_eq!(state("state: borrow rate of the lent bins (per year)"), "6.6666%");
    assert!(report.summary.contains("Contracts (embedded)"));
    // Deterministic: a second run gives the same addresses and gas.
    let again = strata::deploy::deploy_in_host(artifacts, Vec::new(), &mut progress).unwrap();
    let gas =
        |r: &strata::deploy::DeployReport| r.actions.iter().map(|a| a.gas).collect::<Vec<_>>();
    assert_eq!(gas(&again), gas(&report));
    let results = |r: &strata::deploy::DeployReport| {
        r.actions.iter().map(|a| a.result.clone()).collect::<Vec<_>>()
    };
    assert_eq!(results(&again), results(&report));
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
