//! Contract size as Stylus counts it.
//!
//! On chain a Stylus program is stored as `EF F0 00 00` followed by the
//! brotli-compressed WASM: cargo-stylus v0.6.3 `main/src/constants.rs` has
//! `EOF_PREFIX_NO_DICT = "EFF00000"` and `BROTLI_COMPRESSION_LEVEL = 11`, and
//! `main/src/project.rs` (`compress_wasm`) compresses with `brotli2` at that
//! level (default window, lgwin 22) and prepends the prefix. That code must fit
//! the EVM contract size limit of 24,576 bytes, and the decompressed WASM must
//! fit Nitro's `MaxWasmSize` of 128 KiB (`arbos/programs/params.go`,
//! `initialMaxWasmSize`). The project budget is 20 KiB compressed, leaving room
//! for fixes.

use std::io::Cursor;

use serde::Serialize;

/// The prefix cargo-stylus prepends to the compressed WASM.
pub const STYLUS_EOF_PREFIX: [u8; 4] = [0xEF, 0xF0, 0x00, 0x00];
/// brotli quality used by cargo-stylus.
pub const BROTLI_QUALITY: i32 = 11;
/// brotli window (log2) used by cargo-stylus (brotli's default).
pub const BROTLI_LGWIN: i32 = 22;
/// Maximum on-chain code size: prefix + compressed WASM.
pub const COMPRESSED_LIMIT: u64 = 24_576;
/// The project's budget for the same number.
pub const COMPRESSED_BUDGET: u64 = 20 * 1024;
/// Maximum decompressed WASM size.
pub const UNCOMPRESSED_LIMIT: u64 = 128 * 1024;

/// Compresses `wasm` the way cargo-stylus does and prepends the Stylus
/// prefix: the bytes a deployment stores on chain.
///
/// # Errors
/// Only if brotli reports an I/O error, which in-memory buffers do not produce.
pub fn deployed_code(wasm: &[u8]) -> std::io::Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY,
        lgwin: BROTLI_LGWIN,
        ..Default::default()
    };
    let mut out = STYLUS_EOF_PREFIX.to_vec();
    brotli::BrotliCompress(&mut Cursor::new(wasm), &mut out, &params)?;
    Ok(out)
}

/// A size rule broken (fails the check) or a budget exceeded (warns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SizeIssue {
    /// Compressed code over the 24 KiB limit: deployment fails.
    #[error(
        "compressed size {bytes} bytes exceeds the Stylus limit of {limit} bytes by {} bytes",
        bytes - limit
    )]
    OverLimit {
        /// Prefix + compressed WASM.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// Decompressed WASM over 128 KiB: activation fails.
    #[error("uncompressed WASM of {bytes} bytes exceeds the limit of {limit} bytes")]
    UncompressedOverLimit {
        /// WASM bytes.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// Compressed code over the project budget (a warning).
    #[error("compressed size {bytes} bytes is over the {budget}-byte budget (limit {limit})")]
    OverBudget {
        /// Prefix + compressed WASM.
        bytes: u64,
        /// The budget.
        budget: u64,
        /// The limit.
        limit: u64,
    },
}

impl SizeIssue {
    /// Whether the issue fails the check (rather than warning).
    pub fn is_failure(&self) -> bool {
        !matches!(self, Self::OverBudget { .. })
    }
}

/// Measured sizes of one artifact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Sizes {
    /// The WASM that is measured (optimised, deployable), in bytes.
    pub wasm_bytes: u64,
    /// Prefix + brotli of it: the on-chain code size.
    pub compressed_bytes: u64,
}

impl Sizes {
    /// Measures `wasm`.
    ///
    /// # Errors
    /// See [`deployed_code`].
    pub fn measure(wasm: &[u8]) -> std::io::Result<Self> {
        Ok(Self {
            wasm_bytes: wasm.len() as u64,
            compressed_bytes: deployed_code(wasm)?.len() as u64,
        })
    }

    /// `limit - compressed` (negative when over).
    pub fn headroom(&self) -> i64 {
        i64::try_from(COMPRESSED_LIMIT).unwrap_or(i64::MAX)
            - i64::try_from(self.compressed_bytes).unwrap_or(i64::MAX)
    }

    /// Failures and warnings for these sizes.
    pub fn issues(&self) -> Vec<SizeIssue> {
        let mut issues = Vec::new();
        if self.compressed_bytes > COMPRESSED_LIMIT {
            issues.push(SizeIssue::OverLimit {
                bytes: self.compressed_bytes,
                limit: COMPRESSED_LIMIT,
            });
        } else if self.compressed_bytes > COMPRESSED_BUDGET {
            issues.push(SizeIssue::OverBudget {
                bytes: self.compressed_bytes,
                budget: COMPRESSED_BUDGET,
                limit: COMPRESSED_LIMIT,
            });
        }
        if self.wasm_bytes > UNCOMPRESSED_LIMIT {
            issues.push(SizeIssue::UncompressedOverLimit {
                bytes: self.wasm_bytes,
                limit: UNCOMPRESSED_LIMIT,
            });
        }
        issues
    }
}

/// `bytes` in KiB with one decimal, rounded half up (`9.6`).
pub fn kib(bytes: u64) -> String {
    let tenths = (bytes * 10 + 512) / 1024;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// `part / whole` as a percentage with one decimal (`40.1%`).
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "n/a".into();
    }
    let tenths = (part * 1000 + whole / 2) / whole;
    format!("{}.{}%", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    /// A valid module carrying `len` bytes of incompressible data.
    fn module_with_random_data(len: usize) -> Vec<u8> {
        // xorshift64*: deterministic, incompressible enough for brotli.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut data = String::with_capacity(len * 4);
        for _ in 0..len {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let byte = state.to_le_bytes()[0];
            let _ = write!(data, "\\{byte:02x}");
        }
        wat::parse_str(format!(
            r#"(module
                (memory (export "memory") 2)
                (data (i32.const 1024) "{data}")
                (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#
        ))
        .unwrap()
    }

    #[test]
    fn deployed_code_starts_with_the_stylus_prefix_and_decompresses_to_the_wasm() {
        let wasm = module_with_random_data(100);
        let code = deployed_code(&wasm).unwrap();
        assert_eq!(code[..4], [0xEF, 0xF0, 0x00, 0x00]);
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut Cursor::new(&code[4..]), &mut back).unwrap();
        assert_eq!(back, wasm);
    }

    #[test]
    fn size_check_fails_for_a_module_whose_brotli_size_exceeds_the_limit() {
        let wasm = module_with_random_data(30_000);
        assert!(crate::validate::validate(&wasm, crate::validate::ValidateOptions::default())
            .is_valid());
        let sizes = Sizes::measure(&wasm).unwrap();
        assert!(sizes.compressed_bytes > COMPRESSED_LIMIT, "{sizes:?}");
        assert!(sizes.headroom() < 0);
        let issues = sizes.issues();
        assert!(
            matches!(issues.as_slice(), [SizeIssue::OverLimit { limit: 24_576, .. }]),
            "{issues:?}"
        );
        assert!(issues[0].is_failure());
    }

    #[test]
    fn size_check_warns_over_budget_and_passes_small_modules() {
        let wasm = module_with_random_data(21_000);
        let issues = Sizes::measure(&wasm).unwrap().issues();
        assert!(matches!(issues.as_slice(), [SizeIssue::OverBudget { .. }]), "{issues:?}");
        assert!(!issues[0].is_failure());
        assert_eq!(Sizes::measure(&module_with_random_data(100)).unwrap().issues(), []);
    }

    #[test]
    fn size_check_fails_for_uncompressed_wasm_over_128_kib() {
        let sizes = Sizes { wasm_bytes: 128 * 1024 + 1, compressed_bytes: 100 };
        assert_eq!(
            sizes.issues(),
            [SizeIssue::UncompressedOverLimit { bytes: 131_073, limit: 131_072 }]
        );
    }

    #[test]
    fn kib_and_percent_round_to_one_decimal() {
        assert_eq!(kib(9_831), "9.6");
        assert_eq!(kib(1024), "1.0");
        assert_eq!(kib(0), "0.0");
        assert_eq!(percent(9_831, 24_576), "40.0%");
        assert_eq!(percent(24_576, 24_576), "100.0%");
    }
}
