//! Call traces: who called whom with what, how it ended and what it cost,
//! printed with the labels set by [`crate::Host::label`].

use std::collections::BTreeMap;
use std::fmt::Write as _;

use alloy_primitives::{hex, Address, U256};

use crate::exec::{CallKind, Message, Outcome, Status};
use crate::pricing::INK_PRICE;

/// What kind of frame a trace node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceKind {
    /// A call into a program.
    Call,
    /// A static call.
    Static,
    /// A delegate call.
    Delegate,
    /// A call to an account without code (plain value transfer).
    NoCode,
}

/// One frame of a transaction.
#[derive(Debug, Clone)]
pub struct CallTrace {
    /// Frame kind.
    pub kind: TraceKind,
    /// `msg.sender`.
    pub caller: Address,
    /// The account whose code ran.
    pub to: Address,
    /// `msg.value`.
    pub value: U256,
    /// The first four bytes of the calldata (empty for shorter input).
    pub selector: Vec<u8>,
    /// Gas given to the frame.
    pub gas: u64,
    /// Entry cost (memory footprint + init/cached gas).
    pub entry_gas: u64,
    /// Ink the program burned in total (WASM, hostios, EVM costs, subcalls).
    pub ink_used: u64,
    /// Ink of hostio base prices and data copies.
    pub hostio_ink: u64,
    /// Gas bought at EVM prices (storage, logs, account access, call bases),
    /// including `call_gas`.
    pub evm_gas: u64,
    /// Gas used by nested calls.
    pub call_gas: u64,
    /// How the frame ended.
    pub status: Option<Status>,
    /// Gas the frame handed back.
    pub gas_left: u64,
    /// Return or revert data.
    pub output: Vec<u8>,
    /// Failure reason.
    pub reason: Option<String>,
    /// Nested frames.
    pub children: Vec<CallTrace>,
}

impl CallTrace {
    pub(crate) fn new(msg: &Message) -> Self {
        Self {
            kind: match msg.kind {
                CallKind::Call => TraceKind::Call,
                CallKind::Static => TraceKind::Static,
                CallKind::Delegate => TraceKind::Delegate,
            },
            caller: msg.caller,
            to: msg.code_address,
            value: msg.value,
            selector: msg.input.get(..4).map(<[u8]>::to_vec).unwrap_or_default(),
            gas: msg.gas,
            entry_gas: 0,
            ink_used: 0,
            hostio_ink: 0,
            evm_gas: 0,
            call_gas: 0,
            status: None,
            gas_left: 0,
            output: Vec::new(),
            reason: None,
            children: Vec::new(),
        }
    }

    pub(crate) fn finish(&mut self, outcome: &Outcome) {
        self.status = Some(outcome.status);
        self.gas_left = outcome.gas_left;
        self.output.clone_from(&outcome.output);
        self.reason.clone_from(&outcome.reason);
    }

    /// Gas the frame used (what its caller was charged for it, without the
    /// caller's own call base cost).
    pub fn gas_used(&self) -> u64 {
        self.gas.saturating_sub(self.gas_left)
    }

    /// Ink spent executing WASM instructions in this frame (not hostios,
    /// EVM costs or nested calls).
    pub fn wasm_ink(&self) -> u64 {
        self.ink_used
            .saturating_sub(self.hostio_ink)
            .saturating_sub(self.evm_gas.saturating_mul(INK_PRICE))
    }

    /// Renders the trace tree, Foundry style, with `labels` for addresses
    /// and `selectors` for function names.
    pub fn render(
        &self,
        labels: &BTreeMap<Address, String>,
        selectors: &BTreeMap<[u8; 4], String>,
    ) -> String {
        let mut out = String::new();
        self.render_into(&mut out, 0, labels, selectors);
        out
    }

    fn render_into(
        &self,
        out: &mut String,
        depth: usize,
        labels: &BTreeMap<Address, String>,
        selectors: &BTreeMap<[u8; 4], String>,
    ) {
        let name = |a: &Address| labels.get(a).cloned().unwrap_or_else(|| a.to_string());
        let function = <[u8; 4]>::try_from(self.selector.as_slice())
            .ok()
            .and_then(|s| selectors.get(&s).cloned())
            .unwrap_or_else(|| format!("0x{}", hex::encode(&self.selector)));
        let kind = match self.kind {
            TraceKind::Call | TraceKind::NoCode => "",
            TraceKind::Static => " [staticcall]",
            TraceKind::Delegate => " [delegatecall]",
        };
        let value =
            if self.value.is_zero() { String::new() } else { format!("{{value: {}}}", self.value) };
        let status = match self.status {
            Some(Status::Success) => "ok".to_owned(),
            Some(Status::Revert) => format!("revert 0x{}", hex::encode(&self.output)),
            Some(Status::Failure) => {
                format!("failure: {}", self.reason.as_deref().unwrap_or("unknown"))
            }
            Some(Status::OutOfGas) => "out of gas".to_owned(),
            None => "?".to_owned(),
        };
        let indent = "  ".repeat(depth);
        let _ = writeln!(
            out,
            "{indent}[{}] {}::{function}{value}{kind} → {status}",
            self.gas_used(),
            name(&self.to),
        );
        for child in &self.children {
            child.render_into(out, depth + 1, labels, selectors);
        }
    }
}
