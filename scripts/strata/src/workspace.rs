//! Workspace discovery: which crates are deployable contracts, where the
//! target directory is, and the toolchain and flags they are built with.
//!
//! A *deployable* is a workspace member whose manifest directory contains a
//! `Stylus.toml` (the file `cargo stylus` looks for) and whose library target
//! has crate type `cdylib`. The list comes from
//! `cargo metadata --no-deps --format-version 1`, so new contracts are picked
//! up without being registered anywhere.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

use crate::error::{Error, Result};

/// The WASM target contracts are built for.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The marker file of a Stylus contract crate.
pub const STYLUS_TOML: &str = "Stylus.toml";
/// The cargo feature that makes a contract's binary print its interface.
pub const EXPORT_ABI_FEATURE: &str = "export-abi";

/// A deployable contract crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployable {
    /// Package name, e.g. `mock-erc20`.
    pub name: String,
    /// cargo's package id (matches `package_id` in build messages).
    pub id: String,
    /// Library target name with `-` replaced by `_`, e.g. `mock_erc20`: the
    /// stem of the `.wasm` file.
    pub lib_name: String,
    /// Directory holding `Cargo.toml` and `Stylus.toml`.
    pub manifest_dir: PathBuf,
    /// The binary target that prints the interface (`src/main.rs`), if any.
    pub bin_name: Option<String>,
    /// Whether the package declares the `export-abi` feature.
    pub has_export_abi: bool,
}

/// The workspace as `strata` sees it.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The workspace root (where `Cargo.toml`, `snapshots/`, `interfaces/` are).
    pub root: PathBuf,
    /// cargo's target directory (honours `CARGO_TARGET_DIR` and config).
    pub target_dir: PathBuf,
    /// Deployable contracts, sorted by name.
    pub deployables: Vec<Deployable>,
}

#[derive(Deserialize)]
struct Metadata {
    packages: Vec<Package>,
    workspace_members: Vec<String>,
    workspace_root: PathBuf,
    target_directory: PathBuf,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    id: String,
    manifest_path: PathBuf,
    targets: Vec<Target>,
    #[serde(default)]
    features: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
    kind: Vec<String>,
    crate_types: Vec<String>,
}

/// The cargo executable: `$CARGO` when set (as under `cargo run`), else `cargo`.
pub fn cargo_program() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"))
}

impl Workspace {
    /// Runs `cargo metadata` in the current directory and finds the deployables.
    ///
    /// # Errors
    /// When cargo cannot be run or its output cannot be parsed.
    pub fn discover() -> Result<Self> {
        let program = cargo_program();
        let output = Command::new(&program)
            .args(["metadata", "--no-deps", "--format-version", "1"])
            .output()
            .map_err(|source| Error::Spawn { program: display_program(&program), source })?;
        if !output.status.success() {
            return Err(Error::CommandFailed {
                what: "cargo metadata".into(),
                status: output.status.to_string(),
                hint: format!(": {}", String::from_utf8_lossy(&output.stderr).trim()),
            });
        }
        let json = String::from_utf8_lossy(&output.stdout);
        Self::from_metadata(&json, |dir| dir.join(STYLUS_TOML).is_file())
    }

    /// Builds the workspace view from `cargo metadata` JSON; `is_stylus_dir`
    /// says whether a manifest directory holds a `Stylus.toml`.
    ///
    /// # Errors
    /// When the JSON is not cargo metadata.
    pub fn from_metadata(json: &str, is_stylus_dir: impl Fn(&Path) -> bool) -> Result<Self> {
        let meta: Metadata =
            serde_json::from_str(json).map_err(|e| Error::Metadata(e.to_string()))?;
        let mut deployables = Vec::new();
        for package in &meta.packages {
            if !meta.workspace_members.contains(&package.id) {
                continue;
            }
            let Some(manifest_dir) = package.manifest_path.parent() else {
                continue;
            };
            let lib = package.targets.iter().find(|t| {
                t.kind.iter().any(|k| k == "cdylib" || k == "lib")
                    && t.crate_types.iter().any(|c| c == "cdylib")
            });
            let Some(lib) = lib else { continue };
            if !is_stylus_dir(manifest_dir) {
                continue;
            }
            let bin_name = package
                .targets
                .iter()
                .find(|t| t.kind.iter().any(|k| k == "bin"))
                .map(|t| t.name.clone());
            deployables.push(Deployable {
                name: package.name.clone(),
                id: package.id.clone(),
                lib_name: lib.name.replace('-', "_"),
                manifest_dir: manifest_dir.to_path_buf(),
                bin_name,
                has_export_abi: package.features.contains_key(EXPORT_ABI_FEATURE),
            });
        }
        deployables.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Self { root: meta.workspace_root, target_dir: meta.target_directory, deployables })
    }

    /// `snapshots/` under the root.
    pub fn snapshots_dir(&self) -> PathBuf {
        self.root.join("snapshots")
    }

    /// `interfaces/` under the root.
    pub fn interfaces_dir(&self) -> PathBuf {
        self.root.join("interfaces")
    }

    /// Where `strata` puts the optimised artifacts: `<target>/strata/`.
    pub fn strata_out_dir(&self) -> PathBuf {
        self.target_dir.join("strata")
    }

    /// The toolchain channel from `rust-toolchain.toml` (`"unknown"` if absent).
    ///
    /// # Errors
    /// When the file exists but is not valid TOML.
    pub fn toolchain(&self) -> Result<String> {
        let path = self.root.join("rust-toolchain.toml");
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Ok("unknown".into());
        };
        let value: toml::Table = toml::from_str(&text)
            .map_err(|e| Error::Config { path: path.clone(), message: e.to_string() })?;
        Ok(value
            .get("toolchain")
            .and_then(|t| t.get("channel"))
            .and_then(toml::Value::as_str)
            .unwrap_or("unknown")
            .to_owned())
    }

    /// The rustflags `.cargo/config.toml` sets for the WASM target (empty if none).
    ///
    /// # Errors
    /// When the file exists but is not valid TOML.
    pub fn wasm_rustflags(&self) -> Result<Vec<String>> {
        let path = self.root.join(".cargo").join("config.toml");
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Ok(Vec::new());
        };
        let value: toml::Table = toml::from_str(&text)
            .map_err(|e| Error::Config { path: path.clone(), message: e.to_string() })?;
        let flags = value
            .get("target")
            .and_then(|t| t.get(WASM_TARGET))
            .and_then(|t| t.get("rustflags"))
            .and_then(toml::Value::as_array)
            .map(|a| a.iter().filter_map(toml::Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        Ok(flags)
    }
}

/// A program name for messages.
pub fn display_program(program: &OsString) -> String {
    program.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const METADATA: &str = r#"{
      "packages": [
        {"name": "strata-math", "id": "path+file:///w/contracts/math#strata-math@0.1.0",
         "manifest_path": "/w/contracts/math/Cargo.toml", "features": {},
         "targets": [{"name": "strata_math", "kind": ["lib"], "crate_types": ["lib"]}]},
        {"name": "zeta-pool", "id": "path+file:///w/contracts/zeta#zeta-pool@0.1.0",
         "manifest_path": "/w/contracts/zeta/Cargo.toml", "features": {"export-abi": []},
         "targets": [
           {"name": "zeta_pool", "kind": ["lib", "cdylib"], "crate_types": ["lib", "cdylib"]},
           {"name": "zeta-pool", "kind": ["bin"], "crate_types": ["bin"]}]},
        {"name": "mock-erc20", "id": "path+file:///w/contracts/mocks/erc20#mock-erc20@0.1.0",
         "manifest_path": "/w/contracts/mocks/erc20/Cargo.toml", "features": {"export-abi": []},
         "targets": [
           {"name": "mock_erc20", "kind": ["lib", "cdylib"], "crate_types": ["lib", "cdylib"]},
           {"name": "mock-erc20", "kind": ["bin"], "crate_types": ["bin"]}]},
        {"name": "no-stylus-toml", "id": "path+file:///w/x#no-stylus-toml@0.1.0",
         "manifest_path": "/w/x/Cargo.toml", "features": {},
         "targets": [{"name": "x", "kind": ["cdylib"], "crate_types": ["cdylib"]}]}
      ],
      "workspace_members": [
        "path+file:///w/contracts/math#strata-math@0.1.0",
        "path+file:///w/contracts/zeta#zeta-pool@0.1.0",
        "path+file:///w/contracts/mocks/erc20#mock-erc20@0.1.0",
        "path+file:///w/x#no-stylus-toml@0.1.0"
      ],
      "workspace_root": "/w",
      "target_directory": "/elsewhere/target"
    }"#;

    #[test]
    fn discovery_keeps_members_with_stylus_toml_and_cdylib_sorted_by_name() {
        let ws = Workspace::from_metadata(METADATA, |dir| !dir.ends_with("x")).unwrap();
        let names: Vec<_> = ws.deployables.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["mock-erc20", "zeta-pool"]);
        assert_eq!(ws.deployables[0].lib_name, "mock_erc20");
        assert_eq!(ws.deployables[0].bin_name.as_deref(), Some("mock-erc20"));
        assert!(ws.deployables[0].has_export_abi);
        assert_eq!(ws.target_dir, PathBuf::from("/elsewhere/target"));
        assert_eq!(ws.strata_out_dir(), PathBuf::from("/elsewhere/target/strata"));
    }

    #[test]
    fn discovery_reports_malformed_metadata_as_an_error() {
        assert!(matches!(Workspace::from_metadata("{}", |_| true), Err(Error::Metadata(_))));
    }
}
