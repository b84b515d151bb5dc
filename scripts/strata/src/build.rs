//! cargo invocations: all contracts to release WASM in one build, and all
//! export-abi binaries natively in another. Artifact paths are taken from
//! cargo's JSON messages (`--message-format=json-render-diagnostics`), so
//! `CARGO_TARGET_DIR`, `build.target-dir` and friends are honoured; cargo's
//! human output and progress bar go to stderr.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::workspace::{cargo_program, display_program, Deployable, Workspace, WASM_TARGET};

/// The cargo arguments of the WASM build, before `-p` selections. Mirrors
/// what cargo-stylus runs on a nightly toolchain (`build --lib --locked
/// --release --target wasm32-unknown-unknown -Z build-std=std,panic_abort
/// -Z build-std-features=panic_immediate_abort`).
pub const WASM_BUILD_ARGS: &[&str] = &[
    "build",
    "--release",
    "--target",
    WASM_TARGET,
    "-Z",
    "build-std=std,panic_abort",
    "-Z",
    "build-std-features=panic_immediate_abort",
    "--lib",
    "--locked",
];

/// Environment variables that would replace the `.cargo/config.toml`
/// rustflags of the WASM build; removed so the artifacts (and the committed
/// size table) do not depend on the caller's environment.
pub const OVERRIDING_RUSTFLAGS_VARS: &[&str] = &[
    "RUSTFLAGS",
    "CARGO_ENCODED_RUSTFLAGS",
    "CARGO_BUILD_RUSTFLAGS",
    "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
];

#[derive(Deserialize)]
struct Message {
    reason: String,
    #[serde(default)]
    package_id: String,
    #[serde(default)]
    target: Option<MessageTarget>,
    #[serde(default)]
    filenames: Vec<PathBuf>,
    #[serde(default)]
    executable: Option<PathBuf>,
}

#[derive(Deserialize)]
struct MessageTarget {
    kind: Vec<String>,
}

/// Which rustflags variables of the environment the WASM build drops.
pub fn overriding_rustflags_in_env() -> Vec<&'static str> {
    OVERRIDING_RUSTFLAGS_VARS.iter().copied().filter(|v| std::env::var_os(v).is_some()).collect()
}

/// Builds every deployable to release WASM in one cargo invocation; returns
/// package name → `.wasm` path.
///
/// # Errors
/// When cargo fails or an artifact is missing from its output.
pub fn build_wasm(ws: &Workspace, deployables: &[Deployable]) -> Result<BTreeMap<String, PathBuf>> {
    let mut cmd = Command::new(cargo_program());
    cmd.args(WASM_BUILD_ARGS);
    for d in deployables {
        cmd.args(["-p", &d.name]);
    }
    for var in OVERRIDING_RUSTFLAGS_VARS {
        cmd.env_remove(var);
    }
    cmd.current_dir(&ws.root);
    let messages = run_cargo(cmd, "cargo build (wasm32, release)")?;
    let mut out = BTreeMap::new();
    for d in deployables {
        let wasm = messages
            .iter()
            .filter(|m| m.package_id == d.id && has_kind(m, "cdylib"))
            .flat_map(|m| m.filenames.iter())
            .find(|f| f.extension().is_some_and(|e| e == "wasm"));
        match wasm {
            Some(path) => {
                out.insert(d.name.clone(), path.clone());
            }
            None => {
                return Err(Error::MissingArtifact {
                    kind: "wasm",
                    package: d.name.clone(),
                    hint: ": cargo reported no .wasm for its cdylib target".into(),
                })
            }
        }
    }
    Ok(out)
}

/// Where a previous [`build_wasm`] left each `.wasm` (for `--skip-build`).
///
/// # Errors
/// When one is missing.
pub fn existing_wasm(
    ws: &Workspace,
    deployables: &[Deployable],
) -> Result<BTreeMap<String, PathBuf>> {
    let dir = ws.target_dir.join(WASM_TARGET).join("release");
    let mut out = BTreeMap::new();
    for d in deployables {
        let path = dir.join(format!("{}.wasm", d.lib_name));
        if !path.is_file() {
            return Err(Error::MissingArtifact {
                kind: "wasm",
                package: d.name.clone(),
                hint: format!(" at {}; run without --skip-build", path.display()),
            });
        }
        out.insert(d.name.clone(), path);
    }
    Ok(out)
}

/// Builds every deployable's export-abi binary natively in one invocation;
/// returns package name → executable.
///
/// # Errors
/// When a contract has no binary or `export-abi` feature, cargo fails, or an
/// executable is missing from its output.
pub fn build_export_bins(
    ws: &Workspace,
    deployables: &[Deployable],
) -> Result<BTreeMap<String, PathBuf>> {
    ensure_exportable(deployables)?;
    let mut cmd = Command::new(cargo_program());
    cmd.args(["build", "--bins", "--locked"]);
    for d in deployables {
        cmd.args(["-p", &d.name]);
    }
    let features: Vec<String> =
        deployables.iter().map(|d| format!("{}/export-abi", d.name)).collect();
    cmd.arg("--features").arg(features.join(","));
    cmd.current_dir(&ws.root);
    let messages = run_cargo(cmd, "cargo build (export-abi binaries)")?;
    let mut out = BTreeMap::new();
    for d in deployables {
        let exe = messages
            .iter()
            .filter(|m| m.package_id == d.id && has_kind(m, "bin"))
            .find_map(|m| m.executable.clone());
        let Some(exe) = exe else {
            return Err(Error::MissingArtifact {
                kind: "export-abi binary",
                package: d.name.clone(),
                hint: ": cargo reported no executable".into(),
            });
        };
        out.insert(d.name.clone(), exe);
    }
    Ok(out)
}

/// Where a previous [`build_export_bins`] left each binary (for `--skip-build`).
///
/// # Errors
/// When one is missing.
pub fn existing_export_bins(
    ws: &Workspace,
    deployables: &[Deployable],
) -> Result<BTreeMap<String, PathBuf>> {
    ensure_exportable(deployables)?;
    let mut out = BTreeMap::new();
    for d in deployables {
        let name = d.bin_name.clone().unwrap_or_default();
        let path =
            ws.target_dir.join("debug").join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
        if !path.is_file() {
            return Err(Error::MissingArtifact {
                kind: "export-abi binary",
                package: d.name.clone(),
                hint: format!(" at {}; run without --skip-build", path.display()),
            });
        }
        out.insert(d.name.clone(), path);
    }
    Ok(out)
}

fn ensure_exportable(deployables: &[Deployable]) -> Result<()> {
    for d in deployables {
        if d.bin_name.is_none() {
            return Err(Error::Contract {
                package: d.name.clone(),
                message: "has no binary target; add a src/main.rs that calls \
                          strata_common::abi_export::print_interface"
                    .into(),
            });
        }
        if !d.has_export_abi {
            return Err(Error::Contract {
                package: d.name.clone(),
                message: "has no `export-abi` feature".into(),
            });
        }
    }
    Ok(())
}

/// Runs an export-abi binary and returns what it prints.
///
/// # Errors
/// When it cannot be run, fails, or prints something that is not UTF-8.
pub fn run_export_bin(package: &str, exe: &PathBuf) -> Result<String> {
    let output = Command::new(exe)
        .stdin(Stdio::null())
        .output()
        .map_err(|source| Error::Spawn { program: exe.display().to_string(), source })?;
    if !output.status.success() {
        return Err(Error::CommandFailed {
            what: format!("export-abi binary of `{package}`"),
            status: output.status.to_string(),
            hint: format!(": {}", String::from_utf8_lossy(&output.stderr).trim()),
        });
    }
    String::from_utf8(output.stdout).map_err(|_| Error::Contract {
        package: package.into(),
        message: "export-abi output is not UTF-8".into(),
    })
}

fn has_kind(m: &Message, kind: &str) -> bool {
    m.target.as_ref().is_some_and(|t| t.kind.iter().any(|k| k == kind))
}

/// Runs cargo with JSON messages on stdout (parsed) and its human output on
/// our stderr.
fn run_cargo(mut cmd: Command, what: &str) -> Result<Vec<Message>> {
    cmd.arg("--message-format=json-render-diagnostics")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let program = display_program(&cargo_program());
    let mut child = cmd.spawn().map_err(|source| Error::Spawn { program, source })?;
    let mut messages = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        let mut stderr = std::io::stderr();
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|e| Error::io("reading cargo output of", "cargo", e))?;
            match serde_json::from_str::<Message>(&line) {
                Ok(m) if m.reason == "compiler-artifact" => messages.push(m),
                Ok(_) => {}
                // Build scripts may print to stdout; pass it on.
                Err(_) => {
                    let _ = writeln!(stderr, "{line}");
                }
            }
        }
    }
    let status = child.wait().map_err(|e| Error::io("waiting for", "cargo", e))?;
    if !status.success() {
        return Err(Error::CommandFailed {
            what: what.into(),
            status: status.to_string(),
            hint: " (see cargo's output above)".into(),
        });
    }
    Ok(messages)
}
