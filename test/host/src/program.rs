//! A loaded ("activated") Stylus program.

use alloy_primitives::{keccak256, B256};

use crate::hostio::SUPPORTED_IMPORTS;
use crate::meter::{self, ActivationError};
use crate::pricing;

/// The EOF-inspired prefix Stylus puts before the brotli-compressed WASM
/// (`EF F0 00` + version 0; cargo-stylus v0.6.3 `constants.rs`).
pub const STYLUS_PREFIX: [u8; 4] = [0xEF, 0xF0, 0x00, 0x00];

/// Why a program cannot be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The artifact imports a host function the host does not implement.
    #[error("the program imports `{module}.{name}`, which strata-host does not implement")]
    UnknownImport {
        /// Import module (`vm_hooks`, `console`, …).
        module: String,
        /// Import name.
        name: String,
    },
    /// Activation would reject the module.
    #[error(transparent)]
    Activation(#[from] ActivationError),
    /// The interpreter rejected the instrumented module.
    #[error("interpreter: {0}")]
    Interpreter(String),
    /// Deployed code that is neither a Stylus program nor its compressed form.
    #[error("not a Stylus program: {0}")]
    NotStylus(String),
}

/// An activated program, shared by every account that holds the same code.
#[derive(Debug)]
pub struct Program {
    /// keccak256 of the deployed code.
    pub code_hash: B256,
    /// The deployed code: [`STYLUS_PREFIX`] + brotli(wasm).
    pub code: Vec<u8>,
    /// The original WASM.
    pub wasm: Vec<u8>,
    /// The instrumented, compiled module.
    pub module: wasmi::Module,
    /// Activation's `init_cost` (gas, unscaled).
    pub init_cost: u16,
    /// Activation's `cached_init_cost`.
    pub cached_init_cost: u16,
    /// Initial memory pages.
    pub footprint: u16,
}

impl Program {
    /// Activates `wasm`: checks its imports against the host's, instruments
    /// it (see [`meter`]) and compiles it.
    ///
    /// # Errors
    /// An unknown import (named), a module activation would reject, or an
    /// interpreter error.
    pub fn load(engine: &wasmi::Engine, wasm: &[u8]) -> Result<Self, LoadError> {
        let instrumented = meter::instrument(wasm)?;
        if let Some((module, name)) = instrumented
            .imports
            .iter()
            .find(|(m, n)| m != "vm_hooks" || !SUPPORTED_IMPORTS.contains(&n.as_str()))
        {
            return Err(LoadError::UnknownImport { module: module.clone(), name: name.clone() });
        }
        let module = wasmi::Module::new(engine, &instrumented.wasm)
            .map_err(|e| LoadError::Interpreter(e.to_string()))?;
        let code = compress(wasm);
        Ok(Self {
            code_hash: keccak256(&code),
            code,
            wasm: wasm.to_vec(),
            module,
            init_cost: instrumented.init_cost,
            cached_init_cost: instrumented.cached_init_cost,
            footprint: instrumented.footprint,
        })
    }

    /// Gas to enter the program, not counting memory: `initGas` (unless
    /// cached) + `cachedGas` (`arbos/programs/programs.go`, Stylus version 2).
    pub fn entry_gas(&self, cached: bool) -> u64 {
        let cached_gas = pricing::MIN_CACHED_GAS.saturating_add(
            (u64::from(self.cached_init_cost) * pricing::CACHED_COST_SCALAR_PERCENT).div_ceil(100),
        );
        if cached {
            return cached_gas;
        }
        let init_gas = pricing::MIN_INIT_GAS.saturating_add(
            (u64::from(self.init_cost) * pricing::INIT_COST_SCALAR_PERCENT).div_ceil(100),
        );
        cached_gas.saturating_add(init_gas)
    }
}

/// [`STYLUS_PREFIX`] + brotli (quality 11, window 22) of `wasm`, what
/// cargo-stylus deploys.
pub fn compress(wasm: &[u8]) -> Vec<u8> {
    let mut out = STYLUS_PREFIX.to_vec();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    let mut input = wasm;
    // Writing into a Vec cannot fail.
    let _ = brotli::BrotliCompress(&mut input, &mut out, &params);
    out
}

/// The WASM inside deployed code ([`STYLUS_PREFIX`] + brotli).
///
/// # Errors
/// When the prefix is missing or the payload does not decompress.
pub fn decompress(code: &[u8]) -> Result<Vec<u8>, LoadError> {
    let payload = code
        .strip_prefix(&STYLUS_PREFIX[..])
        .ok_or_else(|| LoadError::NotStylus("missing the EF F0 00 00 prefix".into()))?;
    let mut out = Vec::new();
    let mut input = payload;
    brotli::BrotliDecompress(&mut input, &mut out)
        .map_err(|e| LoadError::NotStylus(format!("brotli: {e}")))?;
    Ok(out)
}

/// The EVM init code cargo-stylus v0.6.3 deploys (`contract_deployment_calldata`):
/// a 43-byte prelude that returns the rest of the code.
pub fn deployment_initcode(code: &[u8]) -> Vec<u8> {
    let mut out = vec![0x7f];
    let len = alloy_primitives::U256::from(code.len()).to_be_bytes::<32>();
    out.extend_from_slice(&len);
    out.extend_from_slice(&[0x80, 0x60, 43, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]);
    out.extend_from_slice(code);
    out
}

/// The deployed code inside cargo-stylus init code, if `initcode` has that shape.
pub fn code_from_initcode(initcode: &[u8]) -> Option<&[u8]> {
    let (prelude, code) = (initcode.get(..43)?, initcode.get(43..)?);
    let expected = deployment_initcode(code);
    (expected.get(..43)? == prelude).then_some(code)
}
