//! Nitro's activation-time instrumentation, reproduced on the WASM bytes.
//!
//! Nitro does not count instructions at run time: at activation it rewrites
//! every function (`crates/prover/src/binary.rs`, middlewares applied in the
//! order start → meter → dynamic → depth → heap bound) so that the program
//! pays for itself:
//!
//! - **meter** (`programs/meter.rs`): two new globals, `stylus_ink_left: i64`
//!   and `stylus_ink_status: i32`; at the start of every basic block (see
//!   [`pricing::ends_basic_block`]) the block's summed opcode ink
//!   ([`pricing::opcode_ink`]) plus [`pricing::INK_HEADER_COST`] is compared
//!   with `ink_left`; if it is larger, `status := 1` and `unreachable`,
//!   otherwise `ink_left -= cost`;
//! - **dynamic** (`programs/dynamic.rs`): `memory.copy`/`memory.fill` also pay
//!   100 ink per byte, checked the same way (a third global, `scratch`);
//! - **heap bound** (`programs/heap.rs`): every `memory.grow` is preceded by a
//!   call to the `vm_hooks.pay_for_memory_grow` import with the page count,
//!   which charges the memory model.
//!
//! The depth checker only guards the native stack and charges nothing, so it
//! is not reproduced (wasmi's own call-depth limit traps instead). Because the
//! instrumentation is applied to the bytes, the interpreter that runs the
//! result does not matter for gas: the ink is whatever Nitro's rewritten
//! program would burn. The instrumented module exports the two globals as
//! [`INK_LEFT_EXPORT`] and [`INK_STATUS_EXPORT`] so the host can read and set them.
//!
//! [`instrument`] also computes what activation records for the entry price
//! (`binary.rs`, "predict costs"): `init_cost`, `cached_init_cost` and the
//! `footprint` (initial memory pages).

use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{
    ConstExpr, ExportKind, ExportSection, Function, GlobalSection, GlobalType, Instruction,
    RawSection, Section as _, ValType,
};
use wasmparser::{Operator, Parser, Payload, TypeRef};

use crate::pricing;

/// Export name of the ink-left global in the instrumented module.
pub const INK_LEFT_EXPORT: &str = "stylus_ink_left";
/// Export name of the ink-status global (1 = out of ink).
pub const INK_STATUS_EXPORT: &str = "stylus_ink_status";
/// Export name given to the module's shadow stack pointer (LLVM's
/// `__stack_pointer`: the first global when it is a defined mutable `i32`), so
/// the host can tell a stack overflow from other out-of-bounds accesses. Adds
/// nothing to the entry price (activation's cost prediction counts globals,
/// not exports).
pub const STACK_POINTER_EXPORT: &str = "stylus_stack_pointer";
/// The import Nitro's heap bound calls before `memory.grow`.
pub const PAY_FOR_MEMORY_GROW: &str = "pay_for_memory_grow";

/// What activation produced for a program.
#[derive(Debug, Clone)]
pub struct Instrumented {
    /// The rewritten module.
    pub wasm: Vec<u8>,
    /// `init_cost` (gas before scaling), paid on calls when the program is not cached.
    pub init_cost: u16,
    /// `cached_init_cost` (gas before scaling), paid on every call.
    pub cached_init_cost: u16,
    /// Initial memory pages.
    pub footprint: u16,
    /// `(module, name)` of every function import, in order.
    pub imports: Vec<(String, String)>,
}

/// Why a module could not be instrumented (Nitro would refuse to activate it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActivationError {
    /// The bytes are not a valid module.
    #[error("malformed WASM: {0}")]
    Malformed(String),
    /// Something Stylus activation rejects.
    #[error("rejected by Stylus activation: {0}")]
    Rejected(String),
}

fn malformed(e: impl std::fmt::Display) -> ActivationError {
    ActivationError::Malformed(e.to_string())
}

/// Section order of the core module format, for inserting missing sections.
fn section_rank(id: u8) -> u8 {
    match id {
        1 => 1,   // type
        2 => 2,   // import
        3 => 3,   // function
        4 => 4,   // table
        5 => 5,   // memory
        13 => 6,  // tag
        6 => 7,   // global
        7 => 8,   // export
        8 => 9,   // start
        9 => 10,  // element
        12 => 11, // data count
        10 => 12, // code
        11 => 13, // data
        _ => 0,   // custom sections stay where they are
    }
}

/// Rewrites `wasm` the way Nitro's activation does (see the module docs).
///
/// # Errors
/// When the module is malformed or uses something Stylus rejects (a start
/// function is allowed by Nitro's `StartMover` but not by `strata check`;
/// here it is rejected too, as are float and other unpriced operators).
#[allow(clippy::too_many_lines, reason = "one pass over the sections, kept in order")]
pub fn instrument(wasm: &[u8]) -> Result<Instrumented, ActivationError> {
    let mut types: Vec<(usize, usize)> = Vec::new(); // (params, results) per type index
    let mut func_types: Vec<u32> = Vec::new(); // type index per defined function
    let mut imported_funcs = 0u32;
    let mut imported_globals = 0u32;
    let mut defined_globals = 0u32;
    let mut stack_pointer = false;
    let mut imports = Vec::new();
    let mut pay_func: Option<u32> = None;
    let mut memory_min: Option<u64> = None;
    let mut memory_fixed = false;
    let mut data_len = 0u64;

    // First pass: indices and sizes.
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(malformed)? {
            Payload::TypeSection(reader) => {
                for rec in reader {
                    for sub in rec.map_err(malformed)?.into_types() {
                        match &sub.composite_type.inner {
                            wasmparser::CompositeInnerType::Func(f) => {
                                types.push((f.params().len(), f.results().len()));
                            }
                            _ => return Err(ActivationError::Rejected("non-function type".into())),
                        }
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(malformed)?;
                    match import.ty {
                        TypeRef::Func(_) => {
                            if import.module == "vm_hooks" && import.name == PAY_FOR_MEMORY_GROW {
                                pay_func = Some(imported_funcs);
                            }
                            imported_funcs += 1;
                            imports.push((import.module.to_owned(), import.name.to_owned()));
                        }
                        TypeRef::Global(_) => imported_globals += 1,
                        _ => {
                            return Err(ActivationError::Rejected(format!(
                                "import {}.{} is not a function",
                                import.module, import.name
                            )))
                        }
                    }
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    func_types.push(ty.map_err(malformed)?);
                }
            }
            Payload::MemorySection(reader) => {
                for mem in reader {
                    let mem = mem.map_err(malformed)?;
                    memory_min = Some(mem.initial);
                    memory_fixed = mem.maximum == Some(mem.initial);
                }
            }
            Payload::GlobalSection(reader) => {
                defined_globals = reader.count();
                let first = reader.into_iter().next().transpose().map_err(malformed)?;
                stack_pointer = imported_globals == 0
                    && first.is_some_and(|g| {
                        g.ty.mutable && g.ty.content_type == wasmparser::ValType::I32
                    });
            }
            Payload::DataSection(reader) => {
                for data in reader {
                    data_len += data.map_err(malformed)?.data.len() as u64;
                }
            }
            Payload::ElementSection(reader) => {
                for elem in reader {
                    let elem = elem.map_err(malformed)?;
                    let count = match elem.items {
                        wasmparser::ElementItems::Functions(r) => r.count(),
                        wasmparser::ElementItems::Expressions(_, r) => r.count(),
                    };
                    data_len += u64::from(count);
                }
            }
            Payload::StartSection { .. } => {
                return Err(ActivationError::Rejected("start function".into()));
            }
            _ => {}
        }
    }
    let footprint = memory_min.ok_or_else(|| ActivationError::Rejected("no memory".into()))?;
    if footprint > u64::from(pricing::PAGE_LIMIT) {
        return Err(ActivationError::Rejected(format!(
            "memory of {footprint} pages exceeds the {}-page bound",
            pricing::PAGE_LIMIT
        )));
    }
    let footprint = u16::try_from(footprint).unwrap_or(u16::MAX);
    // heap.rs: a growable memory needs the pay_for_memory_grow import.
    if !memory_fixed && pay_func.is_none() {
        return Err(ActivationError::Rejected(format!(
            "growable memory without the vm_hooks.{PAY_FOR_MEMORY_GROW} import"
        )));
    }

    let all_globals = imported_globals + defined_globals;
    let ink_global = all_globals;
    let status_global = all_globals + 1;
    let scratch_global = all_globals + 2;

    // Sections in output order: (id, contents); the code section is filled in at the end.
    let mut out: Vec<(u8, Vec<u8>)> = Vec::new();
    let mut code_at: Option<usize> = None;
    let mut globals_done = false;
    let mut exports_done = false;
    let mut code_index = 0usize;
    let mut code = wasm_encoder::CodeSection::new();
    let mut reencoder = RoundtripReencoder;

    let push_globals = |out: &mut Vec<(u8, Vec<u8>)>,
                        existing: Option<wasmparser::GlobalSectionReader<'_>>|
     -> Result<(), ActivationError> {
        let mut section = GlobalSection::new();
        if let Some(reader) = existing {
            RoundtripReencoder.parse_global_section(&mut section, reader).map_err(malformed)?;
        }
        let mutable = |val_type| GlobalType { val_type, mutable: true, shared: false };
        section.global(mutable(ValType::I64), &ConstExpr::i64_const(0));
        section.global(mutable(ValType::I32), &ConstExpr::i32_const(0));
        section.global(mutable(ValType::I32), &ConstExpr::i32_const(0));
        out.push((section.id(), encoded(&section)));
        Ok(())
    };
    let push_exports = |out: &mut Vec<(u8, Vec<u8>)>,
                        existing: Option<wasmparser::ExportSectionReader<'_>>|
     -> Result<(), ActivationError> {
        let mut section = ExportSection::new();
        if let Some(reader) = existing {
            RoundtripReencoder.parse_export_section(&mut section, reader).map_err(malformed)?;
        }
        section.export(INK_LEFT_EXPORT, ExportKind::Global, ink_global);
        section.export(INK_STATUS_EXPORT, ExportKind::Global, status_global);
        if stack_pointer {
            section.export(STACK_POINTER_EXPORT, ExportKind::Global, 0);
        }
        out.push((section.id(), encoded(&section)));
        Ok(())
    };

    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(malformed)?;
        let Some((id, range)) = payload.as_section() else {
            if let Payload::CodeSectionEntry(body) = payload {
                if func_types.get(code_index).is_none() {
                    return Err(malformed("more function bodies than declared functions"));
                }
                code_index += 1;
                code.function(&instrument_body(
                    &body,
                    &types,
                    [ink_global, status_global, scratch_global],
                    pay_func,
                    &mut reencoder,
                )?);
            }
            continue;
        };
        let rank = section_rank(id);
        // Insert the globals / exports sections if the module has none.
        if !globals_done && rank > section_rank(6) {
            push_globals(&mut out, None)?;
            globals_done = true;
        }
        if !exports_done && rank > section_rank(7) {
            push_exports(&mut out, None)?;
            exports_done = true;
        }
        match payload {
            Payload::GlobalSection(reader) => {
                push_globals(&mut out, Some(reader))?;
                globals_done = true;
            }
            Payload::ExportSection(reader) => {
                push_exports(&mut out, Some(reader))?;
                exports_done = true;
            }
            Payload::CodeSectionStart { .. } => code_at = Some(out.len()),
            // The data-count section is only needed by memory.init/data.drop,
            // which Stylus rejects; custom sections carry no semantics.
            Payload::DataCountSection { .. } | Payload::CustomSection(_) => {}
            _ => {
                let data = wasm.get(range).ok_or_else(|| malformed("section out of range"))?;
                out.push((id, data.to_vec()));
            }
        }
    }
    let mut module = wasm_encoder::Module::new();
    for (index, (id, data)) in out.iter().enumerate() {
        if code_at == Some(index) {
            module.section(&code);
        }
        module.section(&RawSection { id: *id, data });
    }
    if code_at == Some(out.len()) {
        module.section(&code);
    }
    let wasm_out = module.finish();

    // Activation's cost prediction (binary.rs).
    let funcs = func_types.len() as u64;
    let type_len: u64 =
        func_types.iter().filter_map(|t| types.get(*t as usize)).map(|(p, r)| (p + r) as u64).sum();
    // Activation counts the module's own globals plus the meter's two, the
    // dynamic meter's scratch and the depth checker's.
    let globals = u64::from(defined_globals) + 4;
    let wasm_len = wasm.len() as u64;
    let mut cached: u64 = funcs * 13420 / 100_000;
    cached += type_len * 89 / 100_000;
    cached += wasm_len * 122 / 100_000;
    cached += globals * 1628 / 1000;
    cached += data_len * 75244 / 100_000;
    cached += u64::from(footprint) * 5;
    let mut init: u64 = funcs * 8252 / 1000;
    init += type_len * 1059 / 1000;
    init += wasm_len * 1286 / 10_000;
    let to_u16 = |v: u64, what: &str| {
        u16::try_from(v).map_err(|_| ActivationError::Rejected(format!("{what} too high")))
    };
    Ok(Instrumented {
        wasm: wasm_out,
        init_cost: to_u16(init, "init cost")?,
        cached_init_cost: to_u16(cached, "cached cost")?,
        footprint,
        imports,
    })
}

/// A section's contents (wasm-encoder's `Encode` writes the size prefix too).
fn encoded(section: &impl wasm_encoder::Encode) -> Vec<u8> {
    let mut bytes = Vec::new();
    section.encode(&mut bytes);
    let prefix = bytes.iter().position(|b| b & 0x80 == 0).map_or(bytes.len(), |i| i + 1);
    bytes.split_off(prefix)
}

fn instrument_body(
    body: &wasmparser::FunctionBody<'_>,
    types: &[(usize, usize)],
    [ink, status, scratch]: [u32; 3],
    pay_func: Option<u32>,
    reencoder: &mut RoundtripReencoder,
) -> Result<Function, ActivationError> {
    let mut locals = Vec::new();
    for local in body.get_locals_reader().map_err(malformed)? {
        let (count, ty) = local.map_err(malformed)?;
        locals.push((count, reencoder.val_type(ty).map_err(malformed)?));
    }
    let mut func = Function::new(locals);
    let mut block: Vec<Operator<'_>> = Vec::new();
    let mut block_cost: u64 = 0;
    let mut reader = body.get_operators_reader().map_err(malformed)?;
    while !reader.eof() {
        let op = reader.read().map_err(malformed)?;
        let params = match &op {
            Operator::CallIndirect { type_index, .. } => {
                types.get(*type_index as usize).map_or(0, |t| t.0)
            }
            _ => 0,
        };
        let cost = pricing::opcode_ink(&op, params);
        if cost == u64::MAX {
            return Err(ActivationError::Rejected(format!("unsupported operator {op:?}")));
        }
        block_cost = block_cost.saturating_add(cost);
        let ends = pricing::ends_basic_block(&op);
        block.push(op);
        if ends {
            let cost = block_cost.saturating_add(pricing::INK_HEADER_COST);
            let cost =
                i64::try_from(cost).map_err(|_| ActivationError::Rejected("block cost".into()))?;
            // meter.rs: if ink_left < cost { status = 1; unreachable } ink_left -= cost
            func.instruction(&Instruction::GlobalGet(ink));
            func.instruction(&Instruction::I64Const(cost));
            func.instruction(&Instruction::I64LtU);
            func.instruction(&Instruction::If(wasm_encoder::BlockType::Empty));
            func.instruction(&Instruction::I32Const(1));
            func.instruction(&Instruction::GlobalSet(status));
            func.instruction(&Instruction::Unreachable);
            func.instruction(&Instruction::End);
            func.instruction(&Instruction::GlobalGet(ink));
            func.instruction(&Instruction::I64Const(cost));
            func.instruction(&Instruction::I64Sub);
            func.instruction(&Instruction::GlobalSet(ink));
            for op in block.drain(..) {
                emit_op(&mut func, op, [ink, status, scratch], pay_func, reencoder)?;
            }
            block_cost = 0;
        }
    }
    // A well-formed body ends with `end`, which ends a block; anything left is malformed.
    if !block.is_empty() {
        return Err(malformed("function body does not end with `end`"));
    }
    Ok(func)
}

fn emit_op(
    func: &mut Function,
    op: Operator<'_>,
    [ink, status, scratch]: [u32; 3],
    pay_func: Option<u32>,
    reencoder: &mut RoundtripReencoder,
) -> Result<(), ActivationError> {
    let linear = |func: &mut Function, coefficient: u64| {
        // dynamic.rs `linear(coefficient)`: charge size × coefficient ink.
        let coefficient = i64::try_from(coefficient).unwrap_or(i64::MAX);
        for ins in [
            Instruction::GlobalSet(scratch),
            Instruction::GlobalGet(ink),
            Instruction::GlobalGet(ink),
            Instruction::GlobalGet(scratch),
            Instruction::I64ExtendI32U,
            Instruction::I64Const(coefficient),
            Instruction::I64Mul,
            Instruction::I64Sub,
            Instruction::GlobalSet(ink),
            Instruction::GlobalGet(ink),
            Instruction::I64LtU,
            Instruction::If(wasm_encoder::BlockType::Empty),
            Instruction::I32Const(1),
            Instruction::GlobalSet(status),
            Instruction::Unreachable,
            Instruction::End,
            Instruction::GlobalGet(scratch),
        ] {
            func.instruction(&ins);
        }
    };
    match &op {
        Operator::MemoryFill { .. } => linear(func, pricing::MEMORY_FILL_INK_PER_BYTE),
        Operator::MemoryCopy { .. } => linear(func, pricing::MEMORY_COPY_INK_PER_BYTE),
        Operator::MemoryGrow { .. } => {
            // heap.rs: scratch = pages; call pay_for_memory_grow(pages); memory.grow(pages)
            if let Some(pay) = pay_func {
                func.instruction(&Instruction::GlobalSet(scratch));
                func.instruction(&Instruction::GlobalGet(scratch));
                func.instruction(&Instruction::GlobalGet(scratch));
                func.instruction(&Instruction::Call(pay));
            }
        }
        Operator::MemoryInit { .. }
        | Operator::DataDrop { .. }
        | Operator::ElemDrop { .. }
        | Operator::TableInit { .. }
        | Operator::TableCopy { .. }
        | Operator::TableFill { .. }
        | Operator::TableGet { .. }
        | Operator::TableSet { .. }
        | Operator::TableGrow { .. }
        | Operator::TableSize { .. } => {
            return Err(ActivationError::Rejected(format!("unsupported operator {op:?}")));
        }
        _ => {}
    }
    let instruction = reencoder.instruction(op).map_err(malformed)?;
    func.instruction(&instruction);
    Ok(())
}
