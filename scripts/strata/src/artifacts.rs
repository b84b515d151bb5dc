//! The deployable artifacts for the host (`deploy`, `gas-report`, the
//! strata-host tests): the same pipeline as `strata check` — one release WASM
//! build of every deployable (so cargo's feature unification, and therefore
//! every byte, is identical to what `check` measures), `wasm-opt` with
//! [`WASM_OPT_ARGS`], [`to_deployable`] — written to `<target>/strata/`.
//!
//! The build is incremental (a no-op when nothing changed); `wasm-opt` runs
//! only when cargo's `.wasm` is newer than the optimised file. Set
//! `STRATA_SKIP_BUILD=1` to reuse whatever `<target>/strata/` holds
//! ([`Artifacts::get`] names a missing one).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::artifact::{to_deployable, WasmOpt, WASM_OPT_ARGS};
use crate::build;
use crate::error::{Error, Result};
use crate::workspace::Workspace;

/// The environment variable that skips the build (see the module docs).
pub const SKIP_BUILD_ENV: &str = "STRATA_SKIP_BUILD";

/// The deployable artifacts by package name.
#[derive(Debug, Clone)]
pub struct Artifacts {
    /// Package name → optimised, deployable WASM bytes.
    pub wasm: BTreeMap<String, Vec<u8>>,
    /// binaryen version used, when wasm-opt was available.
    pub wasm_opt_version: Option<String>,
    /// Where they are.
    pub dir: PathBuf,
}

impl Artifacts {
    /// The WASM of `package`.
    ///
    /// # Errors
    /// When the package is not a deployable of the workspace.
    pub fn get(&self, package: &str) -> Result<&[u8]> {
        self.wasm.get(package).map(Vec::as_slice).ok_or_else(|| Error::MissingArtifact {
            kind: "wasm",
            package: package.to_owned(),
            hint: format!(
                " in {} (have: {}); run `cargo strata check` to build every contract",
                self.dir.display(),
                self.wasm.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
        })
    }
}

/// Builds (incrementally) and optimises every deployable of `ws`.
///
/// # Errors
/// When cargo or wasm-opt fails, or (with [`SKIP_BUILD_ENV`]) an artifact is missing.
pub fn ensure(ws: &Workspace) -> Result<Artifacts> {
    let dir = ws.strata_out_dir();
    let wasm_opt = WasmOpt::detect();
    let skip = std::env::var_os(SKIP_BUILD_ENV).is_some_and(|v| !v.is_empty() && v != "0");
    let mut wasm = BTreeMap::new();
    if skip {
        // Whatever is there; `get` names what is missing.
        for d in &ws.deployables {
            if let Ok(bytes) = std::fs::read(dir.join(format!("{}.wasm", d.lib_name))) {
                wasm.insert(d.name.clone(), bytes);
            }
        }
        return Ok(Artifacts { wasm, wasm_opt_version: wasm_opt.map(|w| w.version), dir });
    }
    let raw = build::build_wasm(ws, &ws.deployables)?;
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("creating", &dir, e))?;
    for d in &ws.deployables {
        let Some(raw_path) = raw.get(&d.name) else { continue };
        let out = dir.join(format!("{}.wasm", d.lib_name));
        let bytes = if is_fresh(&out, raw_path) {
            std::fs::read(&out).map_err(|e| Error::io("reading", &out, e))?
        } else {
            optimise(raw_path, &out, &dir, &d.lib_name, wasm_opt.as_ref())?
        };
        wasm.insert(d.name.clone(), bytes);
    }
    Ok(Artifacts { wasm, wasm_opt_version: wasm_opt.map(|w| w.version), dir })
}

/// Whether `out` was written after `raw` was built.
fn is_fresh(out: &Path, raw: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((modified(out), modified(raw)), (Some(o), Some(r)) if o >= r)
}

fn optimise(
    raw_path: &Path,
    out: &Path,
    dir: &Path,
    lib_name: &str,
    wasm_opt: Option<&WasmOpt>,
) -> Result<Vec<u8>> {
    let optimised = match wasm_opt {
        Some(w) => {
            let tmp = dir.join(format!("{lib_name}.wasm-opt.wasm"));
            w.run(raw_path, &tmp)?;
            let bytes = std::fs::read(&tmp).map_err(|e| Error::io("reading", &tmp, e))?;
            let _ = std::fs::remove_file(&tmp);
            bytes
        }
        None => std::fs::read(raw_path).map_err(|e| Error::io("reading", raw_path, e))?,
    };
    let deployable = to_deployable(&optimised).map_err(|e| Error::Contract {
        package: lib_name.to_owned(),
        message: format!("malformed WASM: {e}"),
    })?;
    std::fs::write(out, &deployable).map_err(|e| Error::io("writing", out, e))?;
    Ok(deployable)
}

/// `wasm-opt` arguments, for report headers.
pub fn wasm_opt_args() -> String {
    WASM_OPT_ARGS.join(" ")
}
