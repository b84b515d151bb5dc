//! Call frames: entering a program (Nitro's `CallProgram`), running its
//! `user_entrypoint`, nested calls with the 63/64 rule, rollback.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use alloy_primitives::{Address, B256, U256};
use wasmi::{Engine, Global, Linker, Memory, Store, Val};

use crate::meter::{INK_LEFT_EXPORT, INK_STATUS_EXPORT, STACK_POINTER_EXPORT};
use crate::pricing::{self, INK_PRICE};
use crate::program::Program;
use crate::state::Chain;
use crate::trace::{CallTrace, TraceKind};

/// EVM call depth limit.
pub const MAX_DEPTH: usize = 1024;

/// How a frame was entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    /// `CALL` (value allowed).
    Call,
    /// `STATICCALL`: no state changes anywhere below.
    Static,
    /// `DELEGATECALL`: the callee's code on the caller's storage, sender and value.
    Delegate,
}

/// A message to execute.
#[derive(Debug, Clone)]
pub struct Message {
    /// How the frame is entered.
    pub kind: CallKind,
    /// `msg.sender` in the frame.
    pub caller: Address,
    /// The account whose storage and balance the frame acts on (`address(this)`).
    pub acting: Address,
    /// The account whose code runs.
    pub code_address: Address,
    /// `msg.value`.
    pub value: U256,
    /// Calldata.
    pub input: Vec<u8>,
    /// Gas given to the frame.
    pub gas: u64,
    /// Whether the frame (or one above it) is static.
    pub is_static: bool,
    /// Depth (0 for the transaction's own frame).
    pub depth: usize,
    /// Whether `value` is moved from `caller` to `acting` (false for
    /// delegate calls, which only report the value).
    pub transfers_value: bool,
}

/// How a frame ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// `user_entrypoint` returned 0 (or the account has no code).
    Success,
    /// `user_entrypoint` returned non-zero: revert with data.
    Revert,
    /// A trap, a failed hostio or an EVM-level failure (insufficient balance,
    /// write in a static frame, depth): reverts, keeps the gas left.
    Failure,
    /// Ink ran out: reverts and consumes all the frame's gas.
    OutOfGas,
}

/// The result of a frame.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// How it ended.
    pub status: Status,
    /// Return data (success) or revert data.
    pub output: Vec<u8>,
    /// Gas handed back to the caller.
    pub gas_left: u64,
    /// For failures: why.
    pub reason: Option<String>,
}

/// Options that apply to every frame.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExecConfig {
    /// Treat every program as cached (ArbOS `CacheManager`): entry pays
    /// `cachedGas` only.
    pub all_cached: bool,
}

/// Why execution left the program early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Escape {
    /// Ink ran out inside a hostio.
    OutOfInk,
    /// A hostio failed (bad pointer, write in a static frame, …).
    Failure(String),
}

impl std::fmt::Display for Escape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::OutOfInk => f.write_str("out of ink"),
            Self::Failure(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for Escape {}

/// A storage cache word (`crates/arbutil/src/evm/storage.rs`, `StorageWord`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct CacheWord {
    pub value: B256,
    /// The value in the state, if known.
    pub known: Option<B256>,
}

/// The store data of one running program.
pub(crate) struct Frame {
    pub rt: Rc<Runtime>,
    pub chain: Rc<RefCell<Chain>>,
    pub config: ExecConfig,
    pub msg: Message,
    pub reentrant: bool,
    pub output: Vec<u8>,
    pub return_data: Vec<u8>,
    pub cache: BTreeMap<B256, CacheWord>,
    pub reads: usize,
    pub writes: usize,
    pub ink: Option<Global>,
    pub status: Option<Global>,
    pub memory: Option<Memory>,
    pub escape: Option<Escape>,
    pub trace: CallTrace,
}

/// The interpreter and the host functions, shared by all frames.
pub(crate) struct Runtime {
    pub engine: Engine,
    pub linker: Linker<Frame>,
}

impl Runtime {
    pub(crate) fn new() -> Rc<Self> {
        let engine = Engine::default();
        let mut linker = Linker::new(&engine);
        crate::hostio::define(&mut linker);
        Rc::new(Self { engine, linker })
    }
}

fn fail(gas_left: u64, reason: impl Into<String>) -> Outcome {
    Outcome { status: Status::Failure, output: Vec::new(), gas_left, reason: Some(reason.into()) }
}

/// Executes `msg`, rolling back its state changes unless it succeeds.
pub(crate) fn execute(
    rt: &Rc<Runtime>,
    chain: &Rc<RefCell<Chain>>,
    config: ExecConfig,
    msg: &Message,
) -> (Outcome, CallTrace) {
    let mut trace = CallTrace::new(msg);
    let checkpoint = chain.borrow().checkpoint();
    let outcome = execute_inner(rt, chain, config, msg, &mut trace);
    if outcome.status != Status::Success {
        chain.borrow_mut().revert_to(checkpoint);
    }
    trace.finish(&outcome);
    (outcome, trace)
}

fn execute_inner(
    rt: &Rc<Runtime>,
    chain: &Rc<RefCell<Chain>>,
    config: ExecConfig,
    msg: &Message,
    trace: &mut CallTrace,
) -> Outcome {
    let gas = msg.gas;
    if msg.depth > MAX_DEPTH {
        return fail(gas, "call depth limit");
    }
    let program: Option<Arc<Program>>;
    let cached;
    {
        let mut c = chain.borrow_mut();
        if msg.transfers_value && !c.transfer(msg.caller, msg.acting, msg.value) {
            return fail(gas, "insufficient balance for the value transfer");
        }
        program = c.world.accounts.get(&msg.code_address).and_then(|a| a.program.clone());
        cached = config.all_cached
            || program.as_ref().is_some_and(|p| c.world.cached_programs.contains(&p.code_hash));
    }
    let Some(program) = program else {
        // An account without code: the value moved, nothing runs.
        trace.kind = TraceKind::NoCode;
        return Outcome {
            status: Status::Success,
            output: Vec::new(),
            gas_left: gas,
            reason: None,
        };
    };

    // CallProgram: memory for the footprint, then init/cached entry gas.
    let (open, entry_cost, reentrant) = {
        let c = chain.borrow();
        let memory = pricing::memory_gas(program.footprint, c.tx.pages_open, c.tx.pages_ever);
        let cost = memory.saturating_add(program.entry_gas(cached));
        // Nitro (`arbos/tx_processor.go`, `PushContract` / `ExecuteWASM`): a frame
        // counts toward its acting address unless it is a delegate call, and a
        // program is reentrant when more than one counted frame of its address is
        // open — so a DELEGATECALL into other code on the same storage is not.
        let counted = msg.kind != CallKind::Delegate;
        let open_frames = c.tx.stack.iter().filter(|a| **a == msg.acting).count();
        (c.tx.pages_open, cost, open_frames + usize::from(counted) > 1)
    };
    trace.entry_gas = entry_cost;
    if gas < entry_cost {
        return Outcome {
            status: Status::OutOfGas,
            output: Vec::new(),
            gas_left: 0,
            reason: Some("not enough gas to enter the program".into()),
        };
    }
    {
        let mut c = chain.borrow_mut();
        c.tx.pages_open = open.saturating_add(program.footprint);
        c.tx.pages_ever = c.tx.pages_ever.max(c.tx.pages_open);
        if msg.kind != CallKind::Delegate {
            c.tx.stack.push(msg.acting);
        }
    }
    let ink = (gas - entry_cost).saturating_mul(INK_PRICE);
    let result = run_program(rt, chain, config, msg, &program, ink, reentrant, trace);
    {
        let mut c = chain.borrow_mut();
        if msg.kind != CallKind::Delegate {
            c.tx.stack.pop();
        }
        c.tx.pages_open = open;
    }
    let (status, output, ink_left, reason) = result;
    let mut gas_left = if status == Status::OutOfGas { 0 } else { ink_left / INK_PRICE };
    trace.ink_used = ink.saturating_sub(ink_left);
    // Return data costs at least what EVM memory of that size would.
    if !output.is_empty() {
        let evm_cost = pricing::evm_memory_cost(output.len() as u64);
        if gas < evm_cost {
            return Outcome {
                status: Status::OutOfGas,
                output: Vec::new(),
                gas_left: 0,
                reason: Some("return data larger than the gas allows".into()),
            };
        }
        gas_left = gas_left.min(gas - evm_cost);
    }
    let output =
        if status == Status::Failure || status == Status::OutOfGas { Vec::new() } else { output };
    Outcome { status, output, gas_left, reason }
}

#[allow(clippy::too_many_arguments, reason = "one frame's inputs")]
fn run_program(
    rt: &Rc<Runtime>,
    chain: &Rc<RefCell<Chain>>,
    config: ExecConfig,
    msg: &Message,
    program: &Program,
    ink: u64,
    reentrant: bool,
    trace: &mut CallTrace,
) -> (Status, Vec<u8>, u64, Option<String>) {
    let frame = Frame {
        rt: rt.clone(),
        chain: chain.clone(),
        config,
        msg: msg.clone(),
        reentrant,
        output: Vec::new(),
        return_data: Vec::new(),
        cache: BTreeMap::new(),
        reads: 0,
        writes: 0,
        ink: None,
        status: None,
        memory: None,
        escape: None,
        trace: CallTrace::new(msg),
    };
    let mut store = Store::new(&rt.engine, frame);
    let instance = match rt.linker.instantiate_and_start(&mut store, &program.module) {
        Ok(i) => i,
        Err(e) => return (Status::Failure, Vec::new(), ink, Some(format!("instantiation: {e}"))),
    };
    let ink_global = instance.get_global(&store, INK_LEFT_EXPORT);
    let status_global = instance.get_global(&store, INK_STATUS_EXPORT);
    let memory = instance.get_memory(&store, "memory");
    let (Some(ink_global), Some(status_global), Some(memory)) = (ink_global, status_global, memory)
    else {
        return (Status::Failure, Vec::new(), ink, Some("missing ink globals or memory".into()));
    };
    let ink_i64 = i64::try_from(ink).unwrap_or(i64::MAX);
    if ink_global.set(&mut store, Val::I64(ink_i64)).is_err() {
        return (Status::Failure, Vec::new(), ink, Some("cannot set ink".into()));
    }
    {
        let data = store.data_mut();
        data.ink = Some(ink_global);
        data.status = Some(status_global);
        data.memory = Some(memory);
    }
    let entry = match instance.get_typed_func::<i32, i32>(&store, "user_entrypoint") {
        Ok(f) => f,
        Err(e) => return (Status::Failure, Vec::new(), ink, Some(format!("user_entrypoint: {e}"))),
    };
    let len = i32::try_from(msg.input.len()).unwrap_or(i32::MAX);
    let result = entry.call(&mut store, len);
    let ink_left = match ink_global.get(&store) {
        Val::I64(v) => u64::try_from(v).unwrap_or(0),
        _ => 0,
    };
    let out_of_ink = matches!(status_global.get(&store), Val::I32(s) if s != 0);
    // LLVM's shadow stack grows down from `-zstack-size`; a frame that does not fit
    // moves the pointer below address 0 (it wraps) and its first store traps.
    let stack_overflow = instance
        .get_global(&store, STACK_POINTER_EXPORT)
        .is_some_and(|g| matches!(g.get(&store), Val::I32(sp) if sp < 0));
    let data = store.into_data();
    // Nested traces collected by host calls.
    trace.children = data.trace.children;
    trace.hostio_ink = data.trace.hostio_ink;
    trace.evm_gas = data.trace.evm_gas;
    trace.call_gas = data.trace.call_gas;
    match result {
        Ok(0) => (Status::Success, data.output, ink_left, None),
        Ok(_) => (Status::Revert, data.output, ink_left, None),
        Err(err) => {
            let escape = data.escape.clone();
            if out_of_ink || escape == Some(Escape::OutOfInk) {
                (Status::OutOfGas, Vec::new(), 0, Some("out of gas (ink exhausted)".into()))
            } else {
                let reason = match escape {
                    Some(Escape::Failure(why)) => why,
                    _ if stack_overflow => format!(
                        "trap: {err}: stack overflow (the shadow stack pointer went below \
                         address 0: the program needs more stack than its `-zstack-size`)"
                    ),
                    _ => format!("trap: {err}"),
                };
                (Status::Failure, Vec::new(), ink_left, Some(reason))
            }
        }
    }
}
