//! `strata check`: build, optimise, validate and measure every deployable,
//! export the interfaces, and compare (or `--bless`) the committed
//! `snapshots/wasm-size.{json,md}` and `interfaces/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::abi::{self, Interface};
use crate::artifact::{to_deployable, WasmOpt, WASM_OPT_ARGS};
use crate::build;
use crate::cli::CheckArgs;
use crate::error::{Error, Result};
use crate::files::{self, GeneratedFile, StaleFile, StaleReason};
use crate::output::{seconds, Progress};
use crate::size::{kib, percent, SizeIssue, Sizes, COMPRESSED_LIMIT};
use crate::snapshot::{self, BuildFlags, ContractSize, SizeTable};
use crate::validate::{validate, ValidateOptions, Violation};
use crate::workspace::{Deployable, Workspace};

/// Violations listed per contract before "… and N more".
const MAX_VIOLATIONS_SHOWN: usize = 20;

/// The outcome of one contract.
#[derive(Debug, Clone, Serialize)]
pub struct ContractReport {
    /// Package name.
    pub name: String,
    /// The checked artifact, `<target>/strata/<lib>.wasm`.
    pub artifact: PathBuf,
    /// Sizes as recorded in the table.
    pub sizes: ContractSize,
    /// Validity violations (empty when valid).
    pub violations: Vec<Violation>,
    /// Size failures and warnings.
    pub size_issues: Vec<SizeIssue>,
    /// `vm_hooks` imports.
    pub imports: Vec<String>,
    /// Interface name, once exported.
    pub interface: Option<String>,
    /// Why the interface could not be exported.
    pub interface_error: Option<String>,
}

impl ContractReport {
    /// Whether this contract passes.
    pub fn ok(&self) -> bool {
        self.violations.is_empty()
            && !self.size_issues.iter().any(SizeIssue::is_failure)
            && self.interface_error.is_none()
    }
}

/// A finished step and its duration.
#[derive(Debug, Clone, Serialize)]
pub struct StepTiming {
    /// Step title.
    pub step: String,
    /// Milliseconds.
    pub millis: u128,
}

/// The machine-readable report of `strata check` (`--json`).
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// Whether everything passed.
    pub ok: bool,
    /// Whether files were written rather than compared.
    pub bless: bool,
    /// Toolchain channel.
    pub toolchain: String,
    /// binaryen version, when wasm-opt was used.
    pub wasm_opt_version: Option<String>,
    /// Per contract, sorted by name.
    pub contracts: Vec<ContractReport>,
    /// Committed files that are stale (empty with `--bless`).
    pub stale_files: Vec<StaleFile>,
    /// Files written or removed (only with `--bless`).
    pub written: Vec<String>,
    /// Remarks (wasm-opt missing, environment overrides, ...).
    pub notes: Vec<String>,
    /// Step timings.
    pub steps: Vec<StepTiming>,
    /// Total milliseconds.
    pub total_millis: u128,
}

/// Runs `strata check`.
///
/// # Errors
/// When a step cannot run at all (cargo fails, I/O errors). Findings about the
/// contracts are in the report, not errors.
pub fn run(args: &CheckArgs) -> Result<CheckReport> {
    let mut progress = Progress::new(6);
    let mut notes = Vec::new();

    progress.step("Discovering deployable contracts");
    let ws = Workspace::discover()?;
    let deployables = ws.deployables.clone();
    if deployables.is_empty() {
        progress.warn("no deployable contracts (members with Stylus.toml and a cdylib)");
    }
    for d in &deployables {
        progress.line(true, &format!("{} ({})", d.name, relative(&ws.root, &d.manifest_dir)));
    }
    let toolchain = ws.toolchain()?;
    progress.note(&format!("toolchain {toolchain}; target dir {}", ws.target_dir.display()));

    progress.step(&format!("Building release WASM ({} contracts)", deployables.len()));
    let raw = build_step(&ws, args, &progress, &mut notes)?;

    progress.step("Optimising");
    let wasm_opt = WasmOpt::detect();
    let artifacts = optimise_step(&ws, &raw, wasm_opt.as_ref(), &progress, &mut notes)?;

    progress.step("Checking validity and size");
    let mut contracts = Vec::new();
    for d in &deployables {
        let Some(a) = artifacts.get(&d.name) else { continue };
        let report = check_artifact(d, a, wasm_opt.is_some())?;
        print_contract(&progress, &report);
        contracts.push(report);
    }

    progress.step("Exporting interfaces");
    let interfaces = export_interfaces(&ws, &deployables, args.skip_build, &progress)?;
    for report in &mut contracts {
        match interfaces.get(&report.name) {
            Some(Ok(iface)) => report.interface = Some(iface.name.clone()),
            Some(Err(e)) => report.interface_error = Some(e.clone()),
            None => {}
        }
    }

    progress.step(if args.bless {
        "Writing snapshots and interfaces"
    } else {
        "Comparing with the committed files"
    });
    let table = SizeTable {
        build_flags: BuildFlags {
            cargo: build::WASM_BUILD_ARGS.iter().map(|s| (*s).to_owned()).collect(),
            rustflags: ws.wasm_rustflags()?,
            wasm_opt: if wasm_opt.is_some() {
                WASM_OPT_ARGS.iter().map(|s| (*s).to_owned()).collect()
            } else {
                Vec::new()
            },
        },
        contracts: contracts.iter().map(|c| (c.name.clone(), c.sizes)).collect(),
        toolchain: toolchain.clone(),
        wasm_opt_version: wasm_opt.as_ref().map(|w| w.version.clone()),
    };
    let interface_files = interface_files(&deployables, &interfaces);
    let files = files_step(&ws, args, &table, interface_files.as_deref(), &progress, &mut notes)?;
    progress.end_step();

    let ok = contracts.iter().all(ContractReport::ok)
        && files.stale.is_empty()
        && interface_files.is_some();
    let report = CheckReport {
        ok,
        bless: args.bless,
        toolchain,
        wasm_opt_version: table.wasm_opt_version.clone(),
        contracts,
        stale_files: files.stale,
        written: files.written,
        notes,
        steps: progress
            .timings
            .iter()
            .map(|(step, d)| StepTiming { step: step.clone(), millis: d.as_millis() })
            .collect(),
        total_millis: progress.total_elapsed().as_millis(),
    };
    print_summary(&progress, &report);
    Ok(report)
}

fn build_step(
    ws: &Workspace,
    args: &CheckArgs,
    progress: &Progress,
    notes: &mut Vec<String>,
) -> Result<BTreeMap<String, PathBuf>> {
    if args.skip_build {
        progress.note("--skip-build: reusing the artifacts of the last build");
        return build::existing_wasm(ws, &ws.deployables);
    }
    if ws.deployables.is_empty() {
        return Ok(BTreeMap::new());
    }
    let dropped = build::overriding_rustflags_in_env();
    if !dropped.is_empty() {
        let note = format!(
            "ignoring {} for the WASM build: .cargo/config.toml's rustflags define the artifacts",
            dropped.join(", ")
        );
        progress.warn(&note);
        notes.push(note);
    }
    build::build_wasm(ws, &ws.deployables)
}

fn optimise_step(
    ws: &Workspace,
    raw: &BTreeMap<String, PathBuf>,
    wasm_opt: Option<&WasmOpt>,
    progress: &Progress,
    notes: &mut Vec<String>,
) -> Result<BTreeMap<String, Artifact>> {
    if let Some(w) = wasm_opt {
        progress.note(&format!("wasm-opt {} ({})", w.version, WASM_OPT_ARGS.join(" ")));
    } else {
        let note = "wasm-opt not found on PATH: checking cargo's artifacts unoptimised \
                    (install binaryen: the committed table expects wasm-opt)";
        progress.warn(note);
        notes.push(note.into());
    }
    let out_dir = ws.strata_out_dir();
    std::fs::create_dir_all(&out_dir).map_err(|e| Error::io("creating", &out_dir, e))?;
    let artifacts = optimise_all(&ws.deployables, raw, &out_dir, wasm_opt)?;
    for d in &ws.deployables {
        if let Some(a) = artifacts.get(&d.name) {
            progress.line(
                true,
                &format!(
                    "{:<20} {} KiB → {} KiB  {}",
                    d.name,
                    kib(a.raw_bytes),
                    kib(a.deployable.len() as u64),
                    relative(&ws.target_dir, &a.path)
                ),
            );
        }
    }
    Ok(artifacts)
}

/// What the last step found or did.
struct FilesOutcome {
    stale: Vec<StaleFile>,
    written: Vec<String>,
}

fn files_step(
    ws: &Workspace,
    args: &CheckArgs,
    table: &SizeTable,
    interface_files: Option<&[GeneratedFile]>,
    progress: &Progress,
    notes: &mut Vec<String>,
) -> Result<FilesOutcome> {
    let mut generated = table.files()?;
    let mut orphans = Vec::new();
    if let Some(files) = interface_files {
        orphans = orphan_interfaces(&ws.interfaces_dir(), files);
        generated.extend(files.iter().cloned());
    } else {
        progress.warn("interfaces/ left alone: some interfaces could not be exported");
    }
    if args.bless {
        let written = files::write(&ws.root, &generated, &orphans)?;
        if written.is_empty() {
            progress.line(true, "everything was already up to date");
        }
        for path in &written {
            progress.line(true, &format!("wrote {path}"));
        }
        return Ok(FilesOutcome { stale: Vec::new(), written });
    }
    let stale = files::compare(&ws.root, &generated, &orphans);
    let fresh = generated.iter().filter(|f| !stale.iter().any(|s| s.path == f.path)).count();
    progress.line(
        stale.is_empty(),
        &format!("{fresh} of {} generated files up to date", generated.len()),
    );
    for file in &stale {
        let what = match file.reason {
            StaleReason::Missing => "is missing",
            StaleReason::Different => "is stale (- committed, + generated now)",
            StaleReason::Orphan => "belongs to no contract any more (remove it)",
        };
        progress.line(false, &format!("{} {what}", file.path));
        progress.detail(&file.diff);
    }
    if stale.iter().any(|s| s.path == snapshot::JSON_PATH) {
        if let Some(hint) = environment_hint(&ws.root, table) {
            progress.warn(&hint);
            notes.push(hint);
        }
    }
    if !stale.is_empty() {
        progress.warn("run `strata check --bless` to update them (and commit the result)");
    }
    Ok(FilesOutcome { stale, written: Vec::new() })
}

/// One contract's artifact after optimisation.
#[derive(Debug, Clone)]
struct Artifact {
    raw_bytes: u64,
    /// What gets checked, measured and shipped.
    deployable: Vec<u8>,
    /// Where it was written.
    path: PathBuf,
    /// Set when the bytes could not even be rewritten (malformed WASM).
    malformed: Option<String>,
}

fn optimise_all(
    deployables: &[Deployable],
    raw: &BTreeMap<String, PathBuf>,
    out_dir: &Path,
    wasm_opt: Option<&WasmOpt>,
) -> Result<BTreeMap<String, Artifact>> {
    let results: Vec<(String, Result<Artifact>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = deployables
            .iter()
            .filter_map(|d| raw.get(&d.name).map(|path| (d, path)))
            .map(|(d, path)| {
                let handle = scope.spawn(move || optimise_one(d, path, out_dir, wasm_opt));
                (d.name.clone(), handle)
            })
            .collect();
        handles
            .into_iter()
            .map(|(name, h)| {
                let result = h.join().unwrap_or_else(|_| {
                    Err(Error::Contract {
                        package: name.clone(),
                        message: "optimiser thread panicked".into(),
                    })
                });
                (name, result)
            })
            .collect()
    });
    let mut out = BTreeMap::new();
    for (name, result) in results {
        out.insert(name, result?);
    }
    Ok(out)
}

fn optimise_one(
    d: &Deployable,
    raw_path: &Path,
    out_dir: &Path,
    wasm_opt: Option<&WasmOpt>,
) -> Result<Artifact> {
    let raw = std::fs::read(raw_path).map_err(|e| Error::io("reading", raw_path, e))?;
    let path = out_dir.join(format!("{}.wasm", d.lib_name));
    let optimised = match wasm_opt {
        Some(w) => {
            let tmp = out_dir.join(format!("{}.wasm-opt.wasm", d.lib_name));
            w.run(raw_path, &tmp)?;
            let bytes = std::fs::read(&tmp).map_err(|e| Error::io("reading", &tmp, e))?;
            let _ = std::fs::remove_file(&tmp);
            bytes
        }
        None => raw.clone(),
    };
    let (deployable, malformed) = match to_deployable(&optimised) {
        Ok(bytes) => (bytes, None),
        Err(e) => (optimised, Some(e.to_string())),
    };
    std::fs::write(&path, &deployable).map_err(|e| Error::io("writing", &path, e))?;
    Ok(Artifact { raw_bytes: raw.len() as u64, deployable, path, malformed })
}

fn check_artifact(d: &Deployable, a: &Artifact, wasm_opt: bool) -> Result<ContractReport> {
    let validation = validate(&a.deployable, ValidateOptions::default());
    let mut violations = validation.violations;
    if let Some(message) = &a.malformed {
        if !violations.iter().any(|v| matches!(v, Violation::Malformed { .. })) {
            violations.insert(0, Violation::Malformed { message: message.clone() });
        }
    }
    let sizes = Sizes::measure(&a.deployable).map_err(|e| Error::io("compressing", &a.path, e))?;
    Ok(ContractReport {
        name: d.name.clone(),
        artifact: a.path.clone(),
        sizes: ContractSize {
            brotli_bytes: sizes.compressed_bytes,
            headroom_bytes: sizes.headroom(),
            limit_bytes: COMPRESSED_LIMIT,
            opt_wasm_bytes: sizes.wasm_bytes,
            raw_wasm_bytes: a.raw_bytes,
            wasm_opt,
        },
        violations,
        size_issues: sizes.issues(),
        imports: validation.summary.imports,
        interface: None,
        interface_error: None,
    })
}

fn print_contract(progress: &Progress, r: &ContractReport) {
    let s = &r.sizes;
    progress.line(
        r.violations.is_empty() && !r.size_issues.iter().any(SizeIssue::is_failure),
        &format!(
            "{:<20} brotli {} KiB ({} of 24 KiB) · wasm {} KiB (raw {} KiB) · {} imports",
            r.name,
            kib(s.brotli_bytes),
            percent(s.brotli_bytes, s.limit_bytes),
            kib(s.opt_wasm_bytes),
            kib(s.raw_wasm_bytes),
            r.imports.len(),
        ),
    );
    for issue in &r.size_issues {
        if issue.is_failure() {
            progress.detail(&format!("size: {issue}"));
        } else {
            progress.warn(&format!("{}: {issue}", r.name));
        }
    }
    for v in r.violations.iter().take(MAX_VIOLATIONS_SHOWN) {
        progress.detail(&format!("- {v}"));
    }
    if r.violations.len() > MAX_VIOLATIONS_SHOWN {
        progress.detail(&format!("… and {} more", r.violations.len() - MAX_VIOLATIONS_SHOWN));
    }
}

/// Package → interface (or the error message).
type Interfaces = BTreeMap<String, std::result::Result<Interface, String>>;

fn export_interfaces(
    ws: &Workspace,
    deployables: &[Deployable],
    skip_build: bool,
    progress: &Progress,
) -> Result<Interfaces> {
    if deployables.is_empty() {
        return Ok(BTreeMap::new());
    }
    let bins = if skip_build {
        build::existing_export_bins(ws, deployables)?
    } else {
        build::build_export_bins(ws, deployables)?
    };
    let mut out = BTreeMap::new();
    for d in deployables {
        let Some(exe) = bins.get(&d.name) else { continue };
        let output = build::run_export_bin(&d.name, exe)?;
        let result = Interface::parse(&output)
            .and_then(|iface| {
                iface.check_sol_syntax()?;
                iface.json_abi()?;
                Ok(iface)
            })
            .map_err(|e| e.to_string());
        match &result {
            Ok(iface) => {
                let (f, e, r) = iface.counts();
                progress.line(
                    true,
                    &format!(
                        "{:<20} {} ({f} functions, {e} events, {r} errors)",
                        d.name, iface.name
                    ),
                );
            }
            Err(e) => {
                progress.line(false, &format!("{:<20} interface export failed", d.name));
                progress.detail(e);
            }
        }
        out.insert(d.name.clone(), result);
    }
    // Two contracts must not claim the same interface file.
    let mut owners: BTreeMap<String, String> = BTreeMap::new();
    for (package, result) in &mut out {
        if let Ok(iface) = result {
            if let Some(other) = owners.insert(iface.name.clone(), package.clone()) {
                let message =
                    format!("interface name {} is also produced by `{other}`", iface.name);
                progress.line(false, &format!("{package}: {message}"));
                *result = Err(message);
            }
        }
    }
    Ok(out)
}

/// All interface files, or `None` when any interface failed.
fn interface_files(
    deployables: &[Deployable],
    interfaces: &Interfaces,
) -> Option<Vec<GeneratedFile>> {
    let mut files = Vec::new();
    let mut listed = Vec::new();
    for d in deployables {
        let iface = interfaces.get(&d.name)?.as_ref().ok()?;
        files.extend(iface.files().ok()?);
        listed.push((d.name.clone(), iface.clone()));
    }
    listed.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    files.push(abi::readme(&listed));
    Some(files)
}

/// Generated-looking files in `interfaces/` that no contract produces any
/// more: `I*.sol` carrying the generated header, and the `.json` beside one.
fn orphan_interfaces(dir: &Path, expected: &[GeneratedFile]) -> Vec<String> {
    let expected: Vec<&str> = expected.iter().map(|f| f.path.as_str()).collect();
    let names = files::list_dir(dir);
    let mut orphans = Vec::new();
    for name in &names {
        let path = files::rel(abi::DIR, name);
        let Some(stem) = name.strip_suffix(".sol") else { continue };
        if !name.starts_with('I') || expected.contains(&path.as_str()) {
            continue;
        }
        let generated = std::fs::read_to_string(dir.join(name))
            .is_ok_and(|text| text.contains(abi::GENERATED_MARKER));
        if !generated {
            continue;
        }
        orphans.push(path);
        let json = format!("{stem}.json");
        let json_path = files::rel(abi::DIR, &json);
        if names.contains(&json) && !expected.contains(&json_path.as_str()) {
            orphans.push(json_path);
        }
    }
    orphans
}

/// When the size table differs, say so if the committed one was made with a
/// different toolchain or binaryen (the usual cause of drift between machines).
fn environment_hint(root: &Path, table: &SizeTable) -> Option<String> {
    let text = std::fs::read_to_string(root.join(snapshot::JSON_PATH)).ok()?;
    let committed: SizeTable = serde_json::from_str(&text).ok()?;
    let mut parts = Vec::new();
    if committed.wasm_opt_version != table.wasm_opt_version {
        parts.push(format!(
            "binaryen {} (committed) vs {} (here)",
            committed.wasm_opt_version.as_deref().unwrap_or("none"),
            table.wasm_opt_version.as_deref().unwrap_or("none")
        ));
    }
    if committed.toolchain != table.toolchain {
        parts.push(format!(
            "toolchain {} (committed) vs {} (here)",
            committed.toolchain, table.toolchain
        ));
    }
    (!parts.is_empty())
        .then(|| format!("the size table was made with a different setup: {}", parts.join("; ")))
}

fn print_summary(progress: &Progress, r: &CheckReport) {
    let failed: Vec<&str> =
        r.contracts.iter().filter(|c| !c.ok()).map(|c| c.name.as_str()).collect();
    eprintln!();
    eprintln!(
        "Summary: {} contracts, {} failing{}; {} stale files; {}",
        r.contracts.len(),
        failed.len(),
        if failed.is_empty() { String::new() } else { format!(" ({})", failed.join(", ")) },
        r.stale_files.len(),
        seconds(progress.total_elapsed()),
    );
    if let Some(largest) = r.contracts.iter().max_by_key(|c| c.sizes.brotli_bytes) {
        eprintln!(
            "         largest: {} at {} KiB ({} of the limit)",
            largest.name,
            kib(largest.sizes.brotli_bytes),
            percent(largest.sizes.brotli_bytes, largest.sizes.limit_bytes)
        );
    }
    eprintln!("{}", if r.ok { "strata check: OK" } else { "strata check: FAILED" });
}

fn relative(base: &Path, path: &Path) -> String {
    path.strip_prefix(base).unwrap_or(path).display().to_string()
}
