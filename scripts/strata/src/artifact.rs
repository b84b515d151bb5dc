//! From cargo's `.wasm` to the artifact a deployer ships: `wasm-opt`, then
//! [`to_deployable`].

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::error::{Error, Result};

/// The optimiser.
pub const WASM_OPT: &str = "wasm-opt";

/// `wasm-opt` arguments. `--mvp-features` plus explicit enables pins the
/// feature set to what Stylus accepts (bulk memory and sign extension), so a
/// newer binaryen with more features on by default cannot introduce
/// reference types or multi-value. All accepted by binaryen 108 (Debian's).
pub const WASM_OPT_ARGS: &[&str] = &[
    "-Oz",
    "--mvp-features",
    "--enable-bulk-memory",
    "--enable-sign-ext",
    "--strip-debug",
    "--strip-producers",
];

/// An available `wasm-opt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WasmOpt {
    /// The version number, e.g. `108` (from `wasm-opt version 108`).
    pub version: String,
}

impl WasmOpt {
    /// Finds `wasm-opt` on `PATH`; `None` when it cannot be run.
    pub fn detect() -> Option<Self> {
        let output = Command::new(WASM_OPT).arg("--version").stderr(Stdio::null()).output().ok()?;
        if !output.status.success() {
            return None;
        }
        Some(Self { version: parse_version(&String::from_utf8_lossy(&output.stdout)) })
    }

    /// Optimises `input` into `output` with [`WASM_OPT_ARGS`].
    ///
    /// # Errors
    /// When wasm-opt cannot be run or fails.
    pub fn run(&self, input: &Path, output: &Path) -> Result<()> {
        let result = Command::new(WASM_OPT)
            .args(WASM_OPT_ARGS)
            .arg(input)
            .arg(OsStr::new("-o"))
            .arg(output)
            .output()
            .map_err(|source| Error::Spawn { program: WASM_OPT.into(), source })?;
        if result.status.success() {
            Ok(())
        } else {
            Err(Error::CommandFailed {
                what: format!("wasm-opt on {}", input.display()),
                status: result.status.to_string(),
                hint: format!(": {}", String::from_utf8_lossy(&result.stderr).trim()),
            })
        }
    }
}

/// `wasm-opt version 108 (version_108)` → `108`.
pub fn parse_version(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    line.split_once("version ")
        .map_or(line, |(_, rest)| rest.split_whitespace().next().unwrap_or_default())
        .to_owned()
}

/// Rewrites a module into the form that is deployed, dropping
///
/// - custom sections: cargo-stylus v0.6.3 strips them before compressing
///   (`strip_user_metadata` in `main/src/project.rs`), and
/// - the data-count section: binaryen emits one whenever bulk memory is
///   enabled, but Nitro's parser rejects it ("unsupported section type",
///   `binary.rs`); it is only needed by `memory.init`/`data.drop`, which Stylus
///   rejects anyway. cargo-stylus loses it too, in its WASM → WAT → WASM round
///   trip (the `wat` encoder emits it only when those instructions are used).
///
/// All other sections are copied byte for byte.
///
/// # Errors
/// When `wasm` is not a well-formed module.
pub fn to_deployable(wasm: &[u8]) -> std::result::Result<Vec<u8>, wasmparser::BinaryReaderError> {
    let mut out = Vec::with_capacity(wasm.len());
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        let payload = payload?;
        if let wasmparser::Payload::Version { range, .. } = &payload {
            out.extend_from_slice(wasm.get(range.clone()).unwrap_or_default());
            continue;
        }
        let Some((id, range)) = payload.as_section() else { continue };
        if matches!(
            payload,
            wasmparser::Payload::DataCountSection { .. } | wasmparser::Payload::CustomSection(_)
        ) {
            continue;
        }
        let contents = wasm.get(range).unwrap_or_default();
        out.push(id);
        write_leb128(&mut out, contents.len() as u64);
        out.extend_from_slice(contents);
    }
    Ok(out)
}

fn write_leb128(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = u8::try_from(value & 0x7f).unwrap_or(0);
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wasm_opt_version_is_parsed_from_its_banner() {
        assert_eq!(parse_version("wasm-opt version 108\n"), "108");
        assert_eq!(parse_version("wasm-opt version 116 (version_116)\n"), "116");
    }

    #[test]
    fn to_deployable_drops_custom_and_data_count_sections_only() {
        let wasm = wat::parse_str(
            r#"(module
                (memory (export "memory") 1)
                (data (i32.const 0) "abc")
                (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0))
                (@custom "note" "hello"))"#,
        )
        .unwrap();
        let mut with_count = wasm.clone();
        // Insert a data-count section (id 12) right before the code section (id 10).
        let code_at = section_offsets(&wasm).into_iter().find(|(id, _)| *id == 10).unwrap().1;
        with_count.splice(code_at..code_at, [12, 1, 1]);
        assert!(wasmparser::Validator::new().validate_all(&with_count).is_ok());

        let deployable = to_deployable(&with_count).unwrap();
        let ids = |w: &[u8]| section_offsets(w).into_iter().map(|(id, _)| id).collect::<Vec<_>>();
        assert_eq!(ids(&with_count), [1, 3, 5, 7, 12, 10, 11, 0]);
        assert_eq!(ids(&deployable), [1, 3, 5, 7, 10, 11]);
        assert!(crate::validate::validate(
            &deployable,
            crate::validate::ValidateOptions::default()
        )
        .is_valid());
        // Idempotent, and a module without such sections is unchanged.
        assert_eq!(to_deployable(&deployable).unwrap(), deployable);
    }

    #[test]
    fn to_deployable_rejects_garbage() {
        assert!(to_deployable(b"\0asm\x01\0\0\0\x0a\xff").is_err());
    }

    /// (section id, offset of the section header) for every section.
    fn section_offsets(wasm: &[u8]) -> Vec<(u8, usize)> {
        let mut at = 8;
        let mut out = Vec::new();
        while at < wasm.len() {
            let start = at;
            let id = wasm[at];
            at += 1;
            let (mut size, mut shift) = (0usize, 0);
            loop {
                let byte = wasm[at];
                at += 1;
                size |= usize::from(byte & 0x7f) << shift;
                shift += 7;
                if byte & 0x80 == 0 {
                    break;
                }
            }
            out.push((id, start));
            at += size;
        }
        out
    }
}
