//! `strata deploy`: the project's main job.
//!
//! Embedded (default): `strata check`'s pipeline (build every contract,
//! optimise, validate, measure, check interfaces), then every system's
//! [`Plan`](crate::systems::Plan) in the in-process host, then each system's
//! scenario; prints addresses, actions, the resulting state and gas.
//! Deterministic, no network.
//!
//! `--rpc-url URL`: the same plans on a real Stylus chain — each contract
//! through `cargo stylus deploy` (deploy + activate + constructor, with the
//! key passed as a 0600 temporary `--private-key-path` file read from the
//! environment variable named by `--private-key-env`), each wiring step as a
//! signed transaction ([`crate::rpc`]). `--dry-run` prints the plan only.

use std::fmt::Write as _;
use std::path::Path;

use alloy_primitives::{hex, Address};
use serde::Serialize;

use crate::artifacts;
use crate::check;
use crate::cli::{CheckArgs, DeployArgs};
use crate::error::{Error, Result};
use crate::gas_report::thousands;
use crate::output::Progress;
use crate::rpc;
use crate::systems::{self, Action, Book, Ctx, Step, SYSTEMS};
use crate::workspace::Workspace;

/// A deployed contract.
#[derive(Debug, Clone, Serialize)]
pub struct Deployed {
    /// System.
    pub system: String,
    /// Book key.
    pub key: String,
    /// Package.
    pub package: String,
    /// Address.
    pub address: Address,
    /// Constructor gas (embedded) or 0.
    pub constructor_gas: u64,
}

/// The result of `strata deploy`.
#[derive(Debug, Clone, Serialize)]
pub struct DeployReport {
    /// `embedded`, `rpc` or `dry-run`.
    pub mode: String,
    /// Systems deployed.
    pub systems: Vec<String>,
    /// Deployable contracts no system deploys yet.
    pub uncovered: Vec<String>,
    /// Contracts and addresses.
    pub contracts: Vec<Deployed>,
    /// Wiring transactions and scenario actions.
    pub actions: Vec<Action>,
    /// Text summary for people (not in JSON).
    #[serde(skip)]
    pub summary: String,
}

/// Runs `strata deploy`.
///
/// # Errors
/// Build/check failures, a failing deployment step, missing cargo-stylus, an
/// unreachable RPC or a missing key.
pub fn run(args: &DeployArgs) -> Result<DeployReport> {
    match &args.rpc_url {
        None => embedded(args),
        Some(url) => remote(args, url),
    }
}

fn embedded(args: &DeployArgs) -> Result<DeployReport> {
    // Steps 1–6 are `strata check`'s.
    let check = check::run(&CheckArgs { bless: false, json: false, skip_build: args.skip_build })?;
    let failing: Vec<&str> =
        check.contracts.iter().filter(|c| !c.ok()).map(|c| c.name.as_str()).collect();
    if !failing.is_empty() {
        return Err(Error::Contract {
            package: failing.join(", "),
            message: "failed `strata check` (invalid or over the size limit); not deploying".into(),
        });
    }
    let mut progress = Progress::new(3);
    if !check.stale_files.is_empty() {
        progress.warn("committed snapshots/interfaces are stale (see above); deploying anyway");
    }
    let ws = Workspace::discover()?;
    let artifacts = artifacts::ensure(&ws)?;
    deploy_in_host(&artifacts, systems::uncovered(&ws), &mut progress)
}

/// Deploys and wires every system in a fresh embedded host, runs the
/// scenarios, and returns the report (steps 2–4 of the embedded deploy).
///
/// # Errors
/// When a deployment, wiring call or scenario step fails.
pub fn deploy_in_host(
    artifacts: &artifacts::Artifacts,
    uncovered: Vec<String>,
    progress: &mut Progress,
) -> Result<DeployReport> {
    progress.step("Deploying and wiring in the embedded host");
    let mut ctx = Ctx::new(artifacts);
    let mut contracts = Vec::new();
    for system in SYSTEMS {
        progress.note(&format!("{}: {}", system.name, system.description));
        for (what, receipt) in ctx.execute_plan(system)? {
            let gas = receipt.as_ref().map_or(0, |r| r.gas.execution);
            progress.line(true, &format!("{what:<52} {:>10} gas", thousands(gas)));
            ctx.record(system.name, what, gas, "ok");
        }
        for step in (system.plan)() {
            if let Step::Deploy { key, package, .. } = step {
                let address = ctx.at(&key)?;
                let constructor_gas = ctx
                    .actions
                    .iter()
                    .find(|a| a.action == format!("deploy {key} ({package})"))
                    .map_or(0, |a| a.gas);
                contracts.push(Deployed {
                    system: system.name.into(),
                    key,
                    package: package.into(),
                    address,
                    constructor_gas,
                });
            }
        }
    }
    if !uncovered.is_empty() {
        progress.warn(&format!("not deployed by any system yet: {}", uncovered.join(", ")));
    }
    progress.step("Running the scenario");
    let wiring = ctx.actions.len();
    for system in SYSTEMS {
        (system.scenario)(&mut ctx)?;
    }
    for a in ctx.actions.iter().skip(wiring) {
        progress.line(true, &format!("{:<52} {:>10} {}", a.action, gas_cell(a.gas), a.result));
    }
    progress.step("Summary");
    progress.end_step();
    let mut report = DeployReport {
        mode: "embedded".into(),
        systems: SYSTEMS.iter().map(|s| s.name.to_owned()).collect(),
        uncovered,
        contracts,
        actions: ctx.actions,
        summary: String::new(),
    };
    report.summary = summary(&report);
    Ok(report)
}

fn gas_cell(gas: u64) -> String {
    if gas == 0 {
        String::new()
    } else {
        format!("{} gas", thousands(gas))
    }
}

fn summary(report: &DeployReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\nContracts ({}):", report.mode);
    for c in &report.contracts {
        let _ = writeln!(
            out,
            "  {:<10} {:<18} {:<20} {}{}",
            c.system,
            c.key,
            c.package,
            c.address,
            if c.constructor_gas > 0 {
                format!("  (constructor {} gas)", thousands(c.constructor_gas))
            } else {
                String::new()
            }
        );
    }
    if !report.actions.is_empty() {
        let _ = writeln!(out, "\nActions and state:");
        for a in &report.actions {
            let _ = writeln!(
                out,
                "  {:<10} {:<54} {:>14}  {}",
                a.system,
                a.action,
                gas_cell(a.gas),
                a.result
            );
        }
    }
    if !report.uncovered.is_empty() {
        let _ = writeln!(out, "\nNot deployed by any system yet: {}", report.uncovered.join(", "));
    }
    out
}

/// The `cargo stylus deploy` arguments of one contract.
fn stylus_deploy_args(
    url: &str,
    key_path: &str,
    wasm: &Path,
    constructor: Option<&systems::Constructor>,
) -> Vec<String> {
    let mut out = vec![
        "stylus".to_owned(),
        "deploy".to_owned(),
        format!("--endpoint={url}"),
        format!("--private-key-path={key_path}"),
        format!("--wasm-file={}", wasm.display()),
        "--no-verify".to_owned(),
    ];
    if let Some(c) = constructor {
        out.push(format!("--constructor-signature={}", c.signature));
        out.push("--constructor-args".to_owned());
        out.extend(c.args.iter().cloned());
    }
    out
}

#[allow(clippy::too_many_lines, reason = "the remote flow in order: plan, checks, deploys, wiring")]
fn remote(args: &DeployArgs, url: &str) -> Result<DeployReport> {
    let ws = Workspace::discover()?;
    let uncovered = systems::uncovered(&ws);
    let mut progress = Progress::new(if args.dry_run { 1 } else { 4 });
    let dir = ws.strata_out_dir();
    let wasm_path = |package: &str| -> Result<std::path::PathBuf> {
        let d = ws.deployables.iter().find(|d| d.name == package).ok_or_else(|| {
            Error::Contract { package: package.into(), message: "not a deployable contract".into() }
        })?;
        Ok(dir.join(format!("{}.wasm", d.lib_name)))
    };

    if args.dry_run {
        progress.step(&format!("Plan for {url} (dry run: nothing is sent)"));
        let mut out = String::new();
        let _ = writeln!(out, "\nPlan ({} systems) for {url}:", SYSTEMS.len());
        // The deployer is the key's account when the key is set, else a placeholder.
        let deployer = rpc::PrivateKey::from_env(&args.private_key_env)
            .map_or(Address::left_padding_from(&[0xff, 0]), |k| k.address());
        // Schedules in the printed calldata start from the wall clock; a real run
        // recomputes them from the latest block before each transaction.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut book = Book::new(deployer, now);
        let mut n = 0;
        for system in SYSTEMS {
            let _ = writeln!(out, "\n# {} — {}", system.name, system.description);
            for step in (system.plan)() {
                n += 1;
                match step {
                    Step::Deploy { key, package, constructor } => {
                        // Placeholder addresses keep later constructors printable.
                        let placeholder =
                            Address::left_padding_from(&[0xff, u8::try_from(n).unwrap_or(0)]);
                        let ctor = constructor(&book);
                        let cmd = stylus_deploy_args(
                            url,
                            &format!("<file with ${}>", args.private_key_env),
                            &wasm_path(package)?,
                            ctor.as_ref(),
                        );
                        let _ = writeln!(out, "{n:>2}. deploy {key} ({package}) → <address {key}>");
                        let _ = writeln!(out, "    cargo {}", cmd.join(" "));
                        book.insert(key, placeholder);
                    }
                    Step::Call { label, to, calldata } => {
                        let data = calldata(&book);
                        let _ = writeln!(out, "{n:>2}. transaction to {to}: {label}");
                        let _ = writeln!(out, "    data 0x{}", hex::encode(data));
                    }
                }
            }
        }
        let _ = writeln!(
            out,
            "\nAddresses shown as 0xff… stand for contracts deployed earlier in the plan.\n\
             Run without --dry-run, with the key in ${}, to execute it.",
            args.private_key_env
        );
        progress.end_step();
        return Ok(DeployReport {
            mode: "dry-run".into(),
            systems: SYSTEMS.iter().map(|s| s.name.to_owned()).collect(),
            uncovered,
            contracts: Vec::new(),
            actions: Vec::new(),
            summary: out,
        });
    }

    progress.step("Checking the tools, the key and the endpoint");
    let key = rpc::PrivateKey::from_env(&args.private_key_env)?;
    rpc::require_cargo_stylus()?;
    let client = rpc::Client::new(url);
    let chain_id = client.chain_id()?;
    let sender = key.address();
    progress.line(true, &format!("chain id {chain_id}; deployer {sender}"));

    progress.step("Building and checking (as `strata check`)");
    let check = check::run(&CheckArgs { bless: false, json: false, skip_build: args.skip_build })?;
    if let Some(bad) = check.contracts.iter().find(|c| !c.ok()) {
        return Err(Error::Contract {
            package: bad.name.clone(),
            message: "failed `strata check`; not deploying".into(),
        });
    }

    progress.step("Deploying with cargo stylus and wiring");
    let key_file = key.temp_file()?;
    let mut book = Book::new(sender, client.block_timestamp()?);
    let mut contracts = Vec::new();
    let mut actions = Vec::new();
    for system in SYSTEMS {
        for step in (system.plan)() {
            match step {
                Step::Deploy { key: name, package, constructor } => {
                    let ctor = constructor(&book);
                    let deployable = ws.deployables.iter().find(|d| d.name == package);
                    let crate_dir = deployable.map_or(ws.root.clone(), |d| d.manifest_dir.clone());
                    let cmd = stylus_deploy_args(
                        url,
                        &key_file.path().display().to_string(),
                        &wasm_path(package)?,
                        ctor.as_ref(),
                    );
                    let address = rpc::cargo_stylus_deploy(&crate_dir, &cmd)?;
                    progress.line(true, &format!("{name:<12} {package:<16} {address}"));
                    book.insert(name.clone(), address);
                    contracts.push(Deployed {
                        system: system.name.into(),
                        key: name,
                        package: package.into(),
                        address,
                        constructor_gas: 0,
                    });
                }
                Step::Call { label, to, calldata } => {
                    let to_address = book.get(&to).copied().ok_or_else(|| Error::Contract {
                        package: to.clone(),
                        message: "called before it was deployed".into(),
                    })?;
                    book.now = client.block_timestamp()?;
                    let receipt = client.send(&key, chain_id, to_address, &calldata(&book))?;
                    progress.line(
                        true,
                        &format!("{label}: tx {} ({} gas)", receipt.hash, receipt.gas_used),
                    );
                    actions.push(Action {
                        system: system.name.into(),
                        action: label,
                        gas: receipt.gas_used,
                        result: receipt.hash,
                    });
                }
            }
        }
    }
    progress.step("Summary");
    progress.end_step();
    let mut report = DeployReport {
        mode: format!("rpc {url}"),
        systems: SYSTEMS.iter().map(|s| s.name.to_owned()).collect(),
        uncovered,
        contracts,
        actions,
        summary: String::new(),
    };
    report.summary = summary(&report);
    Ok(report)
}
