//! Offline validity check of a Stylus WASM artifact: the rules Stylus
//! activation applies, checked without a node.
//!
//! The rules mirror Nitro's activation code (github.com/OffchainLabs/nitro,
//! read at commit `6dce8d13`, `crates/prover/src/...`; the same code lives in
//! `arbitrator/prover/src/...` in the v3.x release tags):
//!
//! - `binary.rs`, `parse_with_version`: the module is validated with
//!   `wasmparser` and this feature set: mutable-global, saturating-float-to-int,
//!   sign-extension, bulk-memory and floats **on**; reference-types, SIMD,
//!   relaxed SIMD, threads, tail calls, multi-memory, exceptions, memory64,
//!   extended-const, function references, GC and memory-control **off**;
//!   multi-value only while `arbos_version < ARBOS_VERSION_STYLUS_NO_MULTI_VALUE`
//!   (60, `crates/arbutil/src/evm/mod.rs`). We reject multi-value so artifacts
//!   stay valid on ArbOS 60+.
//! - Same function, section loop: every import must be a *function*
//!   ("unsupported import kind"); sections other than type, import, function,
//!   table, memory, global, export, start, element, code, data and custom are
//!   rejected ("unsupported section type") — note that this includes the
//!   **data-count** section, which `wasm-opt --enable-bulk-memory` emits (see
//!   [`crate::artifact::to_deployable`], which drops it the way cargo-stylus'
//!   WAT round trip does); imports of one name with two signatures are rejected;
//!   exporting a name that is also imported is rejected; names starting with
//!   `stylus` are reserved.
//! - `binary.rs`, `instrument`: `user_entrypoint` must be an exported function
//!   of type `(i32) -> i32`.
//! - `binary.rs`, `parse_user`: a memory is required ("missing memory with
//!   export name \"memory\""), its initial size must not exceed the page limit
//!   (`initialPageLimit = 128` in `arbos/programs/params.go`), and the
//!   anti-DoS limits: 1 memory, 128 data segments, 128 element segments, 1024
//!   exports, 4096 functions, 32768 globals, 348 locals and 65536 operators per
//!   function, 513 imports, 4096 table entries, 4096 element entries, names of
//!   at most 512 bytes, and no start function.
//! - `programs/depth.rs` and `programs/meter.rs`: instrumentation bails on
//!   exception handling, tail calls, typed function references, reference
//!   types (`ref.*`, typed `select`, `table.*`), the bulk-memory operations
//!   other than `memory.copy`/`memory.fill` (`memory.init`, `data.drop`,
//!   `table.init`, `elem.drop`, `table.copy`), GC, threads/atomics and SIMD.
//!   Floating-point operators pass the validator but are priced at `u64::MAX`
//!   ink in `meter.rs` (`pricing_v1`: "we don't support the following"), so any
//!   basic block that contains one can never execute: we reject all float
//!   operators, float constants and `f32`/`f64` types in signatures, locals,
//!   block types and globals.
//!
//! Imports must come from `vm_hooks` (the Stylus host); `console` is accepted
//! only for debug builds ([`ValidateOptions::allow_console`]).

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use wasmparser::{
    BlockType, CompositeInnerType, ElementItems, ExternalKind, FuncType, Operator, Parser, Payload,
    TypeRef, ValType, Validator, WasmFeatures,
};

/// The Stylus entry point export.
pub const ENTRYPOINT: &str = "user_entrypoint";
/// The memory export Stylus requires.
pub const MEMORY_EXPORT: &str = "memory";
/// The only import module of a release build.
pub const HOST_MODULE: &str = "vm_hooks";
/// The extra import module of a debug build (`console` host I/O).
pub const DEBUG_HOST_MODULE: &str = "console";

/// Nitro's limits on a user program (`binary.rs`, `parse_user`; page limit
/// from `params.go`).
pub mod limits {
    /// Initial memory pages (64 KiB each).
    pub const MEMORY_PAGES: u64 = 128;
    /// Data segments.
    pub const DATA_SEGMENTS: u64 = 128;
    /// Element segments.
    pub const ELEMENT_SEGMENTS: u64 = 128;
    /// Exports.
    pub const EXPORTS: u64 = 1024;
    /// Defined functions.
    pub const FUNCTIONS: u64 = 4096;
    /// Globals.
    pub const GLOBALS: u64 = 32_768;
    /// Declared locals (parameters excluded) per function.
    pub const LOCALS: u64 = 348;
    /// Operators per function body.
    pub const OPERATORS: u64 = 65_536;
    /// Imports.
    pub const IMPORTS: u64 = 513;
    /// Sum of the tables' initial sizes.
    pub const TABLE_ENTRIES: u64 = 4096;
    /// Sum of the element segments' lengths.
    pub const ELEMENT_ENTRIES: u64 = 4096;
    /// Length of an export name, in bytes.
    pub const NAME_BYTES: u64 = 512;
}

/// Options of [`validate`].
#[derive(Debug, Clone, Copy, Default)]
pub struct ValidateOptions {
    /// Accept imports from `console` (debug builds only).
    pub allow_console: bool,
}

/// One reason Stylus activation would reject (or could never run) a module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Violation {
    /// The bytes are not a well-formed WASM module.
    #[error("malformed WASM: {message}")]
    Malformed {
        /// Parser message.
        message: String,
    },
    /// wasmparser's validator, configured like Nitro's, rejects the module.
    #[error("rejected by the validator with Nitro's feature set: {message}")]
    Invalid {
        /// Validator message.
        message: String,
    },
    /// An import from a module other than `vm_hooks`.
    #[error("import {index} `{module}.{name}` is not from `vm_hooks`{}", console_hint(module))]
    ForbiddenImportModule {
        /// Import index.
        index: u32,
        /// Module name.
        module: String,
        /// Field name.
        name: String,
    },
    /// An import that is not a function.
    #[error("import `{module}.{name}` is a {kind}; Stylus only accepts function imports")]
    NonFunctionImport {
        /// Module name.
        module: String,
        /// Field name.
        name: String,
        /// What it is.
        kind: String,
    },
    /// The same import declared twice with different signatures.
    #[error("import `{module}.{name}` is declared with two different signatures")]
    InconsistentImport {
        /// Module name.
        module: String,
        /// Field name.
        name: String,
    },
    /// A name starting with `stylus`.
    #[error("{kind} `{name}` uses the reserved prefix `stylus`")]
    ReservedSymbol {
        /// "import" or "export".
        kind: String,
        /// The name.
        name: String,
    },
    /// An export with the same name as an import.
    #[error("export `{name}` has the same name as an import")]
    ExportShadowsImport {
        /// The name.
        name: String,
    },
    /// A required export is missing.
    #[error("missing export `{name}` ({expected})")]
    MissingExport {
        /// The export name.
        name: String,
        /// What it should be.
        expected: String,
    },
    /// A required export has the wrong kind.
    #[error("export `{name}` must be a {expected} but is a {found}")]
    WrongExportKind {
        /// The export name.
        name: String,
        /// What it should be.
        expected: String,
        /// What it is.
        found: String,
    },
    /// `user_entrypoint` is not `(i32) -> i32`.
    #[error("`user_entrypoint` must have type (i32) -> i32, found {found}")]
    WrongEntrypointType {
        /// The function type found.
        found: String,
    },
    /// Not exactly one memory.
    #[error("the module must have exactly one memory, found {count}")]
    MemoryCount {
        /// Memories (imported and defined).
        count: u64,
    },
    /// A 64-bit memory.
    #[error("memory {index} is a 64-bit memory (memory64 is not supported)")]
    Memory64 {
        /// Memory index.
        index: u32,
    },
    /// A shared memory.
    #[error("memory {index} is shared (threads are not supported)")]
    SharedMemory {
        /// Memory index.
        index: u32,
    },
    /// Initial memory larger than the page limit.
    #[error("memory {index} starts with {pages} pages, over the limit of {limit}")]
    MemoryTooLarge {
        /// Memory index.
        index: u32,
        /// Initial pages.
        pages: u64,
        /// The limit.
        limit: u64,
    },
    /// A floating-point operator.
    #[error("function {func}: floating-point instruction `{op}` at offset {offset:#x}")]
    FloatInstruction {
        /// Function index (imports included).
        func: u32,
        /// Byte offset in the module.
        offset: usize,
        /// Instruction name.
        op: String,
    },
    /// A float, vector or reference value type where Stylus cannot use one.
    #[error("{location} uses value type `{ty}` ({feature})")]
    ForbiddenValueType {
        /// Where, e.g. "type 3 (function signature)" or "function 7, local 2".
        location: String,
        /// The value type.
        ty: String,
        /// Why: "floating point", "SIMD", "reference types".
        feature: String,
    },
    /// A function type with more than one result.
    #[error("type {type_index} has {results} results (multi-value is rejected from ArbOS 60)")]
    MultiValueType {
        /// Type index.
        type_index: u32,
        /// Number of results.
        results: usize,
    },
    /// A block typed by a type index (block parameters or several results).
    #[error(
        "function {func}: `{op}` at offset {offset:#x} has block type {type_index} (multi-value)"
    )]
    MultiValueBlock {
        /// Function index (imports included).
        func: u32,
        /// Byte offset in the module.
        offset: usize,
        /// The block instruction.
        op: String,
        /// The type index.
        type_index: u32,
    },
    /// An instruction from a proposal Stylus does not support.
    #[error("function {func}: `{op}` at offset {offset:#x} ({feature} are not supported)")]
    UnsupportedInstruction {
        /// Function index (imports included).
        func: u32,
        /// Byte offset in the module.
        offset: usize,
        /// Instruction name.
        op: String,
        /// The proposal, e.g. "SIMD instructions".
        feature: String,
    },
    /// More than one table.
    #[error("the module has {count} tables (multiple tables need reference types)")]
    MultipleTables {
        /// Tables (imported and defined).
        count: u64,
    },
    /// A table that is not a 32-bit `funcref` table.
    #[error("table {index} has type `{ty}`; only 32-bit funcref tables are supported")]
    UnsupportedTable {
        /// Table index.
        index: u32,
        /// Its element type.
        ty: String,
    },
    /// A start function.
    #[error("the module has a start function ({func}); Stylus forbids start functions")]
    StartFunction {
        /// Function index.
        func: u32,
    },
    /// A section Nitro's parser does not accept.
    #[error("unsupported section: {name}")]
    UnsupportedSection {
        /// The section.
        name: String,
    },
    /// One of Nitro's anti-DoS limits is exceeded.
    #[error("too many {what}: {count} > {limit}")]
    LimitExceeded {
        /// What is counted.
        what: String,
        /// How many.
        count: u64,
        /// The limit.
        limit: u64,
    },
    /// An export name longer than 512 bytes.
    #[error("export name of {len} bytes is longer than {limit}: `{name}`")]
    NameTooLong {
        /// The name (possibly truncated).
        name: String,
        /// Its length.
        len: u64,
        /// The limit.
        limit: u64,
    },
}

fn console_hint(module: &str) -> &'static str {
    if module == DEBUG_HOST_MODULE {
        " (`console` is only allowed in debug builds)"
    } else {
        ""
    }
}

/// Facts about a module that passed or failed validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ModuleSummary {
    /// `vm_hooks` functions imported.
    pub imports: Vec<String>,
    /// Defined functions.
    pub functions: u64,
    /// Initial memory pages.
    pub memory_pages: u64,
    /// Names of custom sections.
    pub custom_sections: Vec<String>,
}

/// The outcome of [`validate`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Validation {
    /// Every rule broken; empty when the module is valid.
    pub violations: Vec<Violation>,
    /// What the module contains.
    pub summary: ModuleSummary,
}

impl Validation {
    /// Whether the module passed.
    pub fn is_valid(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Nitro's validator feature set (see the module docs), with multi-value off.
pub fn nitro_features() -> WasmFeatures {
    let mut f = WasmFeatures::empty();
    f.set(WasmFeatures::MUTABLE_GLOBAL, true);
    f.set(WasmFeatures::SATURATING_FLOAT_TO_INT, true);
    f.set(WasmFeatures::SIGN_EXTENSION, true);
    f.set(WasmFeatures::REFERENCE_TYPES, false);
    f.set(WasmFeatures::MULTI_VALUE, false);
    f.set(WasmFeatures::BULK_MEMORY, true);
    f.set(WasmFeatures::SIMD, false);
    f.set(WasmFeatures::RELAXED_SIMD, false);
    f.set(WasmFeatures::THREADS, false);
    f.set(WasmFeatures::TAIL_CALL, false);
    f.set(WasmFeatures::FLOATS, true);
    f.set(WasmFeatures::MULTI_MEMORY, false);
    f.set(WasmFeatures::EXCEPTIONS, false);
    f.set(WasmFeatures::MEMORY64, false);
    f.set(WasmFeatures::EXTENDED_CONST, false);
    f.set(WasmFeatures::COMPONENT_MODEL, false);
    f.set(WasmFeatures::FUNCTION_REFERENCES, false);
    f.set(WasmFeatures::MEMORY_CONTROL, false);
    f.set(WasmFeatures::GC, false);
    f.set(WasmFeatures::GC_TYPES, true);
    f
}

macro_rules! define_classify {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        /// The proposal an operator belongs to and its visitor name
        /// (`visit_f64_add`), from wasmparser's operator table.
        fn classify(op: &Operator<'_>) -> (&'static str, &'static str) {
            match op {
                $( Operator::$op { .. } => (stringify!($proposal), stringify!($visit)), )*
                _ => ("unknown", "visit_unknown"),
            }
        }
    };
}
wasmparser::for_each_operator!(define_classify);

/// The text-format name of an operator from its visitor name:
/// `visit_i32_trunc_f64_s` → `i32.trunc_f64_s`.
fn op_name(visit: &str) -> String {
    const NAMESPACES: &[&str] = &[
        "i32", "i64", "f32", "f64", "v128", "i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2",
        "memory", "table", "ref", "local", "global", "elem", "data", "struct", "array", "any",
        "extern", "i31",
    ];
    let name = visit.strip_prefix("visit_").unwrap_or(visit);
    match name.split_once('_') {
        Some((ns, rest)) if NAMESPACES.contains(&ns) => format!("{ns}.{rest}"),
        _ => name.to_owned(),
    }
}

/// Whether a visitor name denotes a scalar floating-point operator.
fn is_float_visit(visit: &str) -> bool {
    visit.split('_').any(|part| part == "f32" || part == "f64")
}

/// What Stylus does with an operator of `proposal` named `visit`: `None` when
/// allowed, else the reason.
fn operator_policy(proposal: &str, visit: &str) -> Option<&'static str> {
    match proposal {
        "mvp" | "saturating_float_to_int" if is_float_visit(visit) => Some("float"),
        "mvp" | "sign_extension" => None,
        "bulk_memory" if visit == "visit_memory_copy" || visit == "visit_memory_fill" => None,
        "bulk_memory" => Some("bulk-memory operations other than memory.copy/memory.fill"),
        "reference_types" => Some("reference-types instructions"),
        "simd" | "relaxed_simd" => Some("SIMD instructions"),
        "threads" | "shared_everything_threads" => Some("threads/atomics instructions"),
        "tail_call" => Some("tail calls"),
        "exceptions" | "legacy_exceptions" => Some("exception-handling instructions"),
        "function_references" => Some("typed function references"),
        "gc" => Some("GC instructions"),
        "memory_control" => Some("memory-control instructions"),
        "stack_switching" => Some("stack-switching instructions"),
        "wide_arithmetic" => Some("wide-arithmetic instructions"),
        _ => Some("instructions of this proposal"),
    }
}

/// Why a value type is forbidden, if it is.
fn value_type_issue(ty: ValType) -> Option<&'static str> {
    match ty {
        ValType::I32 | ValType::I64 => None,
        ValType::F32 | ValType::F64 => Some("floating point"),
        ValType::V128 => Some("SIMD"),
        ValType::Ref(_) => Some("reference types"),
    }
}

fn fmt_func_type(ty: &FuncType) -> String {
    let list = |tys: &[ValType]| tys.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    format!("({}) -> ({})", list(ty.params()), list(ty.results()))
}

fn kind_name(kind: ExternalKind) -> &'static str {
    match kind {
        ExternalKind::Func | ExternalKind::FuncExact => "function",
        ExternalKind::Table => "table",
        ExternalKind::Memory => "memory",
        ExternalKind::Global => "global",
        ExternalKind::Tag => "tag",
    }
}

fn type_ref_name(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::Func(_) | TypeRef::FuncExact(_) => "function",
        TypeRef::Table(_) => "table",
        TypeRef::Memory(_) => "memory",
        TypeRef::Global(_) => "global",
        TypeRef::Tag(_) => "tag",
    }
}

/// State collected while walking the module.
#[derive(Default)]
struct Walk {
    violations: Vec<Violation>,
    summary: ModuleSummary,
    /// Function types by type index (`None` for non-function types).
    types: Vec<Option<FuncType>>,
    /// Type index of every function (imports first).
    func_types: Vec<u32>,
    imported_funcs: u32,
    imports: Vec<(String, String, u32)>,
    exports: Vec<(String, ExternalKind, u32)>,
    memories: u64,
    tables: u64,
    table_entries: u64,
    element_segments: u64,
    element_entries: u64,
    globals: u64,
    data_segments: u64,
    code_index: u32,
}

impl Walk {
    fn push(&mut self, v: Violation) {
        self.violations.push(v);
    }

    fn limit(&mut self, what: &str, count: u64, limit: u64) {
        if count > limit {
            self.push(Violation::LimitExceeded { what: what.to_owned(), count, limit });
        }
    }

    fn value_type(&mut self, location: impl FnOnce() -> String, ty: ValType) {
        if let Some(feature) = value_type_issue(ty) {
            self.push(Violation::ForbiddenValueType {
                location: location(),
                ty: ty.to_string(),
                feature: feature.to_owned(),
            });
        }
    }

    fn payload(&mut self, payload: Payload<'_>, opts: ValidateOptions) -> wasmparser::Result<()> {
        match payload {
            Payload::TypeSection(reader) => self.type_section(reader)?,
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    self.import(import?, opts);
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    self.func_types.push(ty?);
                }
                let defined = u64::from(reader_len(&self.func_types, self.imported_funcs));
                self.summary.functions = defined;
                self.limit("functions", defined, limits::FUNCTIONS);
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    let table = table?.ty;
                    self.table(table);
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader {
                    self.memory(memory?);
                }
            }
            Payload::GlobalSection(reader) => {
                for global in reader {
                    let global = global?;
                    let index = self.globals;
                    self.globals += 1;
                    // The initialiser is a constant of the global's type, so
                    // checking the type covers float constants; anything else
                    // is left to the validator.
                    self.value_type(|| format!("global {index}"), global.ty.content_type);
                }
                self.limit("globals", self.globals, limits::GLOBALS);
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export?;
                    self.exports.push((export.name.to_owned(), export.kind, export.index));
                }
                self.limit("exports", self.exports.len() as u64, limits::EXPORTS);
            }
            Payload::StartSection { func, .. } => self.push(Violation::StartFunction { func }),
            Payload::ElementSection(reader) => self.element_section(reader)?,
            Payload::DataCountSection { .. } => self.push(Violation::UnsupportedSection {
                name: "data count (Nitro's parser rejects it; only needed for memory.init)".into(),
            }),
            Payload::DataSection(reader) => {
                self.data_segments = u64::from(reader.count());
                self.limit("data segments", self.data_segments, limits::DATA_SEGMENTS);
            }
            Payload::CodeSectionEntry(body) => self.code_entry(&body)?,
            Payload::CustomSection(reader) => {
                self.summary.custom_sections.push(reader.name().to_owned());
            }
            Payload::TagSection(_) => {
                self.push(Violation::UnsupportedSection {
                    name: "tag (exception handling)".into(),
                });
            }
            Payload::UnknownSection { id, .. } => {
                self.push(Violation::UnsupportedSection { name: format!("unknown section {id}") });
            }
            Payload::Version { encoding: wasmparser::Encoding::Component, .. } => {
                self.push(Violation::UnsupportedSection { name: "component".into() });
            }
            _ => {}
        }
        Ok(())
    }

    fn type_section(
        &mut self,
        reader: wasmparser::TypeSectionReader<'_>,
    ) -> wasmparser::Result<()> {
        for group in reader {
            for sub in group?.into_types() {
                let index = u32::try_from(self.types.len()).unwrap_or(u32::MAX);
                if let CompositeInnerType::Func(ty) = sub.composite_type.inner {
                    self.func_type(index, &ty);
                    self.types.push(Some(ty));
                } else {
                    self.push(Violation::Invalid { message: format!("type {index} is a GC type") });
                    self.types.push(None);
                }
            }
        }
        Ok(())
    }

    fn element_section(
        &mut self,
        reader: wasmparser::ElementSectionReader<'_>,
    ) -> wasmparser::Result<()> {
        for element in reader {
            let element = element?;
            self.element_segments += 1;
            self.element_entries += u64::from(match &element.items {
                ElementItems::Functions(f) => f.count(),
                ElementItems::Expressions(_, e) => e.count(),
            });
            if let ElementItems::Expressions(ty, _) = element.items {
                if ty != wasmparser::RefType::FUNCREF {
                    self.push(Violation::UnsupportedTable { index: 0, ty: ty.to_string() });
                }
            }
        }
        self.limit("element segments", self.element_segments, limits::ELEMENT_SEGMENTS);
        self.limit("element entries", self.element_entries, limits::ELEMENT_ENTRIES);
        Ok(())
    }

    fn code_entry(&mut self, body: &wasmparser::FunctionBody<'_>) -> wasmparser::Result<()> {
        let func = self.imported_funcs.saturating_add(self.code_index);
        self.code_index = self.code_index.saturating_add(1);
        // Locals are numbered after the parameters.
        let params = self.params_of(func);
        let mut locals = body.get_locals_reader()?;
        let mut declared: u64 = 0;
        for _ in 0..locals.get_count() {
            let (count, ty) = locals.read()?;
            let first = params + declared;
            declared += u64::from(count);
            self.value_type(|| format!("function {func}, local {first}"), ty);
        }
        self.limit(&format!("locals in function {func}"), declared, limits::LOCALS);
        let mut operators = body.get_operators_reader()?;
        let mut count: u64 = 0;
        while !operators.eof() {
            let offset = operators.original_position();
            let op = operators.read()?;
            count += 1;
            self.operator(func, offset, &op);
        }
        self.limit(&format!("operators in function {func}"), count, limits::OPERATORS);
        Ok(())
    }

    fn func_type(&mut self, index: u32, ty: &FuncType) {
        for (i, p) in ty.params().iter().enumerate() {
            self.value_type(|| format!("type {index} (parameter {i})"), *p);
        }
        for (i, r) in ty.results().iter().enumerate() {
            self.value_type(|| format!("type {index} (result {i})"), *r);
        }
        if ty.results().len() > 1 {
            self.push(Violation::MultiValueType { type_index: index, results: ty.results().len() });
        }
    }

    fn import(&mut self, import: wasmparser::Import<'_>, opts: ValidateOptions) {
        let index = u32::try_from(self.imports.len()).unwrap_or(u32::MAX);
        let allowed = import.module == HOST_MODULE
            || (opts.allow_console && import.module == DEBUG_HOST_MODULE);
        if !allowed {
            self.push(Violation::ForbiddenImportModule {
                index,
                module: import.module.to_owned(),
                name: import.name.to_owned(),
            });
        }
        match import.ty {
            TypeRef::Func(ty) | TypeRef::FuncExact(ty) => {
                self.func_types.push(ty);
                self.imported_funcs = self.imported_funcs.saturating_add(1);
                self.imports.push((import.module.to_owned(), import.name.to_owned(), ty));
                if allowed {
                    self.summary.imports.push(import.name.to_owned());
                }
            }
            ref other => {
                self.imports.push((import.module.to_owned(), import.name.to_owned(), u32::MAX));
                self.push(Violation::NonFunctionImport {
                    module: import.module.to_owned(),
                    name: import.name.to_owned(),
                    kind: type_ref_name(other).to_owned(),
                });
                match other {
                    TypeRef::Memory(m) => self.memory(*m),
                    TypeRef::Table(t) => self.table(*t),
                    TypeRef::Global(g) => {
                        let index = self.globals;
                        self.globals += 1;
                        self.value_type(|| format!("global {index}"), g.content_type);
                    }
                    _ => {}
                }
            }
        }
    }

    fn memory(&mut self, memory: wasmparser::MemoryType) {
        let index = u32::try_from(self.memories).unwrap_or(u32::MAX);
        self.memories += 1;
        if memory.memory64 {
            self.push(Violation::Memory64 { index });
        }
        if memory.shared {
            self.push(Violation::SharedMemory { index });
        }
        if index == 0 {
            self.summary.memory_pages = memory.initial;
        }
        if memory.initial > limits::MEMORY_PAGES {
            self.push(Violation::MemoryTooLarge {
                index,
                pages: memory.initial,
                limit: limits::MEMORY_PAGES,
            });
        }
    }

    fn table(&mut self, table: wasmparser::TableType) {
        let index = u32::try_from(self.tables).unwrap_or(u32::MAX);
        self.tables += 1;
        self.table_entries = self.table_entries.saturating_add(table.initial);
        if table.table64 || table.element_type != wasmparser::RefType::FUNCREF {
            let ty = if table.table64 {
                format!("{} (table64)", table.element_type)
            } else {
                table.element_type.to_string()
            };
            self.push(Violation::UnsupportedTable { index, ty });
        }
    }

    fn operator(&mut self, func: u32, offset: usize, op: &Operator<'_>) {
        let (proposal, visit) = classify(op);
        if let Some(reason) = operator_policy(proposal, visit) {
            let name = op_name(visit);
            if reason == "float" {
                self.push(Violation::FloatInstruction { func, offset, op: name });
            } else {
                self.push(Violation::UnsupportedInstruction {
                    func,
                    offset,
                    op: name,
                    feature: reason.to_owned(),
                });
            }
            return;
        }
        let blockty = match op {
            Operator::Block { blockty } | Operator::Loop { blockty } | Operator::If { blockty } => {
                *blockty
            }
            _ => return,
        };
        match blockty {
            BlockType::Empty => {}
            BlockType::Type(ty) => {
                self.value_type(|| format!("function {func}, block at offset {offset:#x}"), ty);
            }
            BlockType::FuncType(type_index) => self.push(Violation::MultiValueBlock {
                func,
                offset,
                op: op_name(visit),
                type_index,
            }),
        }
    }

    /// Checks that need the whole module.
    fn finish(&mut self) {
        if self.memories != 1 {
            self.push(Violation::MemoryCount { count: self.memories });
        }
        if self.tables > 1 {
            self.push(Violation::MultipleTables { count: self.tables });
        }
        self.limit("table entries", self.table_entries, limits::TABLE_ENTRIES);
        self.limit("imports", self.imports.len() as u64, limits::IMPORTS);

        let mut seen: HashMap<(&str, &str), u32> = HashMap::new();
        let mut inconsistent = Vec::new();
        for (module, name, ty) in &self.imports {
            if let Some(prior) = seen.insert((module.as_str(), name.as_str()), *ty) {
                if prior != *ty {
                    inconsistent.push(Violation::InconsistentImport {
                        module: module.clone(),
                        name: name.clone(),
                    });
                }
            }
        }
        self.violations.extend(inconsistent);

        // Nitro compares import names with the part of each export name after
        // its last `__` (`binary.rs`: "binary exports an import with the same name").
        let export_tails: HashSet<&str> = self
            .exports
            .iter()
            .map(|(name, _, _)| name.rsplit("__").next().unwrap_or(name))
            .collect();
        let mut found = Vec::new();
        for (_, name, _) in &self.imports {
            if export_tails.contains(name.as_str()) {
                found.push(Violation::ExportShadowsImport { name: name.clone() });
            }
            if name.starts_with("stylus") {
                found.push(Violation::ReservedSymbol { kind: "import".into(), name: name.clone() });
            }
        }
        for tail in &export_tails {
            if tail.starts_with("stylus") {
                found.push(Violation::ReservedSymbol {
                    kind: "export".into(),
                    name: (*tail).to_owned(),
                });
            }
        }
        for (name, _, _) in &self.exports {
            let len = name.len() as u64;
            if len > limits::NAME_BYTES {
                let shown: String = name.chars().take(40).collect();
                found.push(Violation::NameTooLong {
                    name: format!("{shown}…"),
                    len,
                    limit: limits::NAME_BYTES,
                });
            }
        }
        found.sort_by_key(ToString::to_string);
        self.violations.extend(found);

        self.check_entrypoint();
        self.check_memory_export();
    }

    fn func_type_of(&self, func: u32) -> Option<&FuncType> {
        usize::try_from(func)
            .ok()
            .and_then(|i| self.func_types.get(i))
            .and_then(|t| usize::try_from(*t).ok())
            .and_then(|t| self.types.get(t))
            .and_then(Option::as_ref)
    }

    fn params_of(&self, func: u32) -> u64 {
        self.func_type_of(func).map_or(0, |ty| ty.params().len() as u64)
    }

    fn export(&self, name: &str) -> Option<(ExternalKind, u32)> {
        self.exports.iter().find(|(n, _, _)| n == name).map(|(_, kind, index)| (*kind, *index))
    }

    fn check_entrypoint(&mut self) {
        match self.export(ENTRYPOINT) {
            None => self.push(Violation::MissingExport {
                name: ENTRYPOINT.into(),
                expected: "function (i32) -> i32".into(),
            }),
            Some((ExternalKind::Func | ExternalKind::FuncExact, index)) => {
                let wrong = match self.func_type_of(index) {
                    Some(ty) if ty.params() == [ValType::I32] && ty.results() == [ValType::I32] => {
                        None
                    }
                    Some(ty) => Some(fmt_func_type(ty)),
                    None => Some(format!("an unknown type (function {index})")),
                };
                if let Some(found) = wrong {
                    self.push(Violation::WrongEntrypointType { found });
                }
            }
            Some((kind, _)) => self.push(Violation::WrongExportKind {
                name: ENTRYPOINT.into(),
                expected: "function".into(),
                found: kind_name(kind).into(),
            }),
        }
    }

    fn check_memory_export(&mut self) {
        match self.export(MEMORY_EXPORT) {
            None => self.push(Violation::MissingExport {
                name: MEMORY_EXPORT.into(),
                expected: "memory".into(),
            }),
            Some((ExternalKind::Memory, _)) => {}
            Some((kind, _)) => self.push(Violation::WrongExportKind {
                name: MEMORY_EXPORT.into(),
                expected: "memory".into(),
                found: kind_name(kind).into(),
            }),
        }
    }
}

fn reader_len(func_types: &[u32], imported: u32) -> u32 {
    u32::try_from(func_types.len()).unwrap_or(u32::MAX).saturating_sub(imported)
}

/// Checks `wasm` against the Stylus activation rules (see the module docs).
/// Every violation found is reported, not only the first.
pub fn validate(wasm: &[u8], opts: ValidateOptions) -> Validation {
    let mut walk = Walk::default();
    let mut malformed = None;
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.and_then(|p| walk.payload(p, opts)) {
            Ok(()) => {}
            Err(e) => {
                malformed = Some(e.to_string());
                break;
            }
        }
    }
    if let Some(message) = malformed {
        walk.push(Violation::Malformed { message });
        return Validation { violations: walk.violations, summary: walk.summary };
    }
    walk.finish();
    if walk.violations.is_empty() {
        // Everything else Nitro's validator would object to (typing, indices,
        // encodings such as the overlong `call_indirect` table index).
        if let Err(e) = Validator::new_with_features(nitro_features()).validate_all(wasm) {
            walk.push(Violation::Invalid { message: e.to_string() });
        }
    }
    Validation { violations: walk.violations, summary: walk.summary }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(body: &str) -> Vec<u8> {
        wat::parse_str(body).expect("test WAT must assemble")
    }

    /// A minimal module Stylus accepts, with `extra` spliced in.
    fn stylus_module(extra: &str) -> Vec<u8> {
        module(&format!(
            r#"(module
                (import "vm_hooks" "read_args" (func $read_args (param i32)))
                (memory (export "memory") 1)
                (func (export "user_entrypoint") (param i32) (result i32)
                    (call $read_args (i32.const 0))
                    (i32.const 0))
                {extra})"#
        ))
    }

    fn violations(wasm: &[u8]) -> Vec<Violation> {
        validate(wasm, ValidateOptions::default()).violations
    }

    #[test]
    fn validate_accepts_a_minimal_stylus_module() {
        let result = validate(&stylus_module(""), ValidateOptions::default());
        assert_eq!(result.violations, []);
        assert_eq!(result.summary.imports, ["read_args"]);
        assert_eq!(result.summary.functions, 1);
        assert_eq!(result.summary.memory_pages, 1);
    }

    #[test]
    fn validate_accepts_sign_extension_bulk_memory_copy_fill_and_mutable_globals() {
        let wasm = stylus_module(
            r"(global $g (mut i32) (i32.const 0))
               (func (param i32) (result i32)
                 (global.set $g (i32.extend8_s (local.get 0)))
                 (memory.copy (i32.const 0) (i32.const 8) (i32.const 8))
                 (memory.fill (i32.const 0) (i32.const 0) (i32.const 8))
                 (global.get $g))",
        );
        assert_eq!(violations(&wasm), []);
    }

    #[test]
    fn validate_rejects_module_with_f64_instructions() {
        let wasm = stylus_module(
            r"(func (param i64) (result i64)
                 (i64.trunc_f64_s (f64.add (f64.convert_i64_s (local.get 0)) (f64.const 1.5))))",
        );
        let found = violations(&wasm);
        let ops: Vec<_> = found
            .iter()
            .filter_map(|v| match v {
                Violation::FloatInstruction { func: 2, op, .. } => Some(op.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(ops, ["f64.convert_i64_s", "f64.const", "f64.add", "i64.trunc_f64_s"]);
        assert!(found.iter().all(|v| matches!(v, Violation::FloatInstruction { .. })));
    }

    #[test]
    fn validate_rejects_float_types_in_signatures_locals_and_globals() {
        let wasm = stylus_module(
            r"(global f32 (f32.const 0))
               (func (param f32) (local f64))",
        );
        let found = violations(&wasm);
        let locations: Vec<_> = found
            .iter()
            .filter_map(|v| match v {
                Violation::ForbiddenValueType { location, feature, .. } => {
                    assert_eq!(feature, "floating point");
                    Some(location.as_str())
                }
                _ => None,
            })
            .collect();
        assert!(locations.iter().any(|l| l.contains("parameter 0")), "{locations:?}");
        assert!(locations.contains(&"global 0"), "{locations:?}");
        assert!(locations.contains(&"function 2, local 1"), "{locations:?}");
    }

    #[test]
    fn validate_rejects_module_with_an_import_from_env() {
        let wasm = module(
            r#"(module
                (import "env" "abort" (func))
                (memory (export "memory") 1)
                (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#,
        );
        assert_eq!(
            violations(&wasm),
            [Violation::ForbiddenImportModule {
                index: 0,
                module: "env".into(),
                name: "abort".into()
            }]
        );
    }

    #[test]
    fn validate_accepts_console_imports_only_when_debug_is_allowed() {
        let wasm = module(
            r#"(module
                (import "vm_hooks" "read_args" (func (param i32)))
                (import "console" "log_txt" (func (param i32 i32)))
                (memory (export "memory") 1)
                (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#,
        );
        assert!(matches!(
            violations(&wasm).as_slice(),
            [Violation::ForbiddenImportModule { module, .. }] if module == "console"
        ));
        assert!(validate(&wasm, ValidateOptions { allow_console: true }).is_valid());
    }

    #[test]
    fn validate_rejects_module_without_memory_export() {
        let wasm = module(
            r#"(module
                (memory 1)
                (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#,
        );
        assert_eq!(
            violations(&wasm),
            [Violation::MissingExport { name: "memory".into(), expected: "memory".into() }]
        );
    }

    #[test]
    fn validate_rejects_module_without_user_entrypoint() {
        let wasm = module(r#"(module (memory (export "memory") 1))"#);
        assert!(matches!(
            violations(&wasm).as_slice(),
            [Violation::MissingExport { name, .. }] if name == "user_entrypoint"
        ));
    }

    #[test]
    fn validate_rejects_user_entrypoint_with_the_wrong_type() {
        let wasm = module(
            r#"(module
                (memory (export "memory") 1)
                (func (export "user_entrypoint") (param i64) (result i32) (i32.const 0)))"#,
        );
        assert_eq!(
            violations(&wasm),
            [Violation::WrongEntrypointType { found: "(i64) -> (i32)".into() }]
        );
    }

    #[test]
    fn validate_rejects_module_with_a_multi_value_function_type() {
        let wasm = stylus_module(r"(func (result i32 i32) (i32.const 1) (i32.const 2))");
        assert_eq!(violations(&wasm), [Violation::MultiValueType { type_index: 2, results: 2 }]);
    }

    #[test]
    fn validate_rejects_blocks_typed_by_a_type_index() {
        let wasm = stylus_module(
            r"(type $pair (func (param i32) (result i32)))
               (func (result i32)
                 (i32.const 1)
                 (block (type $pair) (param i32) (result i32)))",
        );
        assert!(
            matches!(
                violations(&wasm).as_slice(),
                [Violation::MultiValueBlock { op, .. }] if op == "block"
            ),
            "{:?}",
            violations(&wasm)
        );
    }

    #[test]
    fn validate_rejects_module_with_simd() {
        let wasm = stylus_module(
            r"(func (result i32)
                 (i32x4.extract_lane 0 (v128.const i32x4 1 2 3 4)))",
        );
        let found = violations(&wasm);
        assert!(
            found.iter().any(|v| matches!(
                v,
                Violation::UnsupportedInstruction { op, feature, .. }
                    if op == "v128.const" && feature == "SIMD instructions"
            )),
            "{found:?}"
        );
    }

    #[test]
    fn validate_rejects_module_with_two_memories() {
        let wasm = module(
            r#"(module
                (memory (export "memory") 1)
                (memory 1)
                (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#,
        );
        assert_eq!(violations(&wasm), [Violation::MemoryCount { count: 2 }]);
    }

    #[test]
    fn validate_rejects_memory64_shared_and_oversized_memories() {
        let wasm = module(
            r#"(module
                (memory (export "memory") i64 1)
                (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#,
        );
        assert_eq!(violations(&wasm), [Violation::Memory64 { index: 0 }]);
        let wasm = module(
            r#"(module
                (memory (export "memory") 1 2 shared)
                (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#,
        );
        assert_eq!(violations(&wasm), [Violation::SharedMemory { index: 0 }]);
        let wasm = module(
            r#"(module
                (memory (export "memory") 129)
                (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#,
        );
        assert_eq!(
            violations(&wasm),
            [Violation::MemoryTooLarge { index: 0, pages: 129, limit: 128 }]
        );
    }

    #[test]
    fn validate_rejects_reference_types_instructions_and_extra_tables() {
        let wasm = stylus_module(
            r"(table 1 funcref)
               (table 1 funcref)
               (func (result i32) (table.size 1))",
        );
        let found = violations(&wasm);
        assert!(found.contains(&Violation::MultipleTables { count: 2 }), "{found:?}");
        assert!(found.iter().any(|v| matches!(
            v,
            Violation::UnsupportedInstruction { op, .. } if op == "table.size"
        )));
    }

    #[test]
    fn validate_rejects_atomics_tail_calls_and_memory_init() {
        let wasm = stylus_module(
            r#"(data "x")
               (func (result i32) (i32.atomic.load (i32.const 0)))
               (func (param i32) (result i32) (return_call 1 (local.get 0)))
               (func (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop 0))"#,
        );
        let ops: Vec<_> = violations(&wasm)
            .into_iter()
            .filter_map(|v| match v {
                Violation::UnsupportedInstruction { op, .. } => Some(op),
                _ => None,
            })
            .collect();
        assert_eq!(ops, ["i32.atomic_load", "return_call", "memory.init", "data.drop"]);
    }

    #[test]
    fn validate_rejects_start_functions_and_reserved_names() {
        let wasm = stylus_module(
            r#"(func $s) (start $s)
               (func (export "stylus_secret"))"#,
        );
        let found = violations(&wasm);
        assert!(found.contains(&Violation::StartFunction { func: 2 }), "{found:?}");
        assert!(found.contains(&Violation::ReservedSymbol {
            kind: "export".into(),
            name: "stylus_secret".into()
        }));
    }

    #[test]
    fn validate_rejects_data_count_sections() {
        // memory.init forces the assembler to emit a data-count section.
        let wasm = stylus_module(
            r#"(data "x")
               (func (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 1)))"#,
        );
        assert!(violations(&wasm)
            .iter()
            .any(|v| matches!(v, Violation::UnsupportedSection { .. })));
    }

    #[test]
    fn validate_reports_garbage_as_malformed() {
        assert!(matches!(
            violations(b"\0asm\x01\0\0\0\x01\xff").as_slice(),
            [Violation::Malformed { .. }]
        ));
        assert!(matches!(violations(b"not wasm").as_slice(), [Violation::Malformed { .. }]));
    }

    #[test]
    fn violations_name_the_function_and_instruction() {
        let v = Violation::FloatInstruction { func: 7, offset: 0x2a, op: "f64.add".into() };
        assert_eq!(
            v.to_string(),
            "function 7: floating-point instruction `f64.add` at offset 0x2a"
        );
    }

    #[test]
    fn op_name_turns_visitor_names_into_text_format_names() {
        assert_eq!(op_name("visit_i32_trunc_f64_s"), "i32.trunc_f64_s");
        assert_eq!(op_name("visit_memory_init"), "memory.init");
        assert_eq!(op_name("visit_return_call"), "return_call");
    }
}
