//! The public face of the host: deploy, call, cheatcodes, receipts.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::sync::Arc;

use alloy_primitives::{address, hex, keccak256, Address, Log, LogData, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent, SolInterface};

use crate::exec::{self, CallKind, ExecConfig, Message, Runtime, Status};
use crate::pricing::{self, INK_PRICE};
use crate::program::{LoadError, Program};
use crate::state::{BlockEnv, Chain, World};
use crate::trace::CallTrace;

/// Foundry's default sender, so traces look familiar.
pub const DEFAULT_SENDER: Address = address!("1804c8AB1F12E6bbf3894d4083f33e07309d1f38");
/// cargo-stylus v0.6.3's `STYLUS_DEPLOYER_ADDRESS`: the contract that
/// deploys, activates and calls the constructor. It is `msg.sender` inside
/// every constructor deployed by `cargo stylus deploy --constructor-args`.
pub const STYLUS_DEPLOYER: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");
/// Default gas limit of a host transaction (Arbitrum's 32M block gas limit).
pub const DEFAULT_TX_GAS_LIMIT: u64 = 32_000_000;

/// The selector the stylus-sdk 0.9 router dispatches to the `#[constructor]`:
/// `keccak256("stylus_constructor()")[..4]` (`CONSTRUCTOR_BASE_NAME`,
/// `stylus-sdk/src/abi/internal.rs`), followed by the ABI-encoded arguments.
pub fn constructor_selector() -> [u8; 4] {
    let hash = keccak256("stylus_constructor()");
    [hash[0], hash[1], hash[2], hash[3]]
}

/// Host settings.
#[derive(Debug, Clone, Copy)]
pub struct HostConfig {
    /// Gas limit of every transaction.
    pub tx_gas_limit: u64,
    /// Price every program as cached (`cargo stylus cache`): entry pays only
    /// `cachedGas`. Default false: what a freshly deployed contract pays.
    pub all_cached: bool,
}

impl Default for HostConfig {
    fn default() -> Self {
        Self { tx_gas_limit: DEFAULT_TX_GAS_LIMIT, all_cached: false }
    }
}

/// Errors of host operations that are not call outcomes.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    /// The WASM could not be loaded (unknown import, invalid module).
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The constructor reverted or failed.
    #[error("constructor of the contract at {address} failed: {reason}")]
    Constructor {
        /// Where it was being deployed.
        address: Address,
        /// Decoded reason (revert data in hex, or the failure).
        reason: String,
        /// The receipt of the constructor call.
        receipt: Box<Receipt>,
    },
}

/// Gas of one transaction, total and by where it went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GasUsage {
    /// Intrinsic gas: 21,000 + calldata (EIP-2028).
    pub intrinsic: u64,
    /// Gas the execution used before the refund.
    pub execution: u64,
    /// Refund applied (EIP-3529: at most a fifth of the gas used).
    pub refund: u64,
    /// What the transaction costs: `intrinsic + execution - refund`.
    pub total: u64,
    /// Of `execution`: entering programs (init/cached gas and memory footprint).
    pub entry: u64,
    /// Of `execution`: WASM instructions (ink / 10,000).
    pub wasm: u64,
    /// Of `execution`: hostio base prices and data copies (ink / 10,000).
    pub hostio: u64,
    /// Of `execution`: EVM-priced work (storage, logs, account access, call
    /// bases, memory growth).
    pub evm: u64,
}

/// Everything about one transaction.
#[derive(Debug, Clone)]
pub struct Receipt {
    /// How the top frame ended.
    pub status: Status,
    /// Return data, or revert data.
    pub output: Vec<u8>,
    /// Failure reason, if any.
    pub reason: Option<String>,
    /// Gas.
    pub gas: GasUsage,
    /// Logs (empty when the transaction failed).
    pub logs: Vec<Log>,
    /// Distinct storage slots read from state.
    pub slots_read: usize,
    /// Distinct storage slots written.
    pub slots_written: usize,
    /// The call tree.
    pub trace: CallTrace,
}

impl Receipt {
    /// Whether the transaction succeeded.
    pub fn success(&self) -> bool {
        self.status == Status::Success
    }
}

/// A failed call, as an integrator's client sees it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// The contract reverted with this data (a custom error, usually).
    #[error("reverted with 0x{}", hex::encode(.0))]
    Revert(Vec<u8>),
    /// The call trapped or a hostio failed.
    #[error("failed: {0}")]
    Failure(String),
    /// Out of gas.
    #[error("out of gas")]
    OutOfGas,
    /// The return data did not decode as the expected type.
    #[error("undecodable return data: {0}")]
    Decode(String),
}

impl CallError {
    /// The revert data decoded as one of `E`'s errors (a `sol!` interface's
    /// `…Errors` enum), if it is a revert with such an error.
    pub fn decode<E: SolInterface>(&self) -> Option<E> {
        match self {
            Self::Revert(data) => E::abi_decode(data, true).ok(),
            _ => None,
        }
    }

    /// Whether this is a revert with exactly `error`'s encoding.
    pub fn is<E: SolError>(&self, error: &E) -> bool {
        matches!(self, Self::Revert(data) if *data == error.abi_encode())
    }
}

/// What `expect_revert` expects of the next call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpectedRevert {
    /// Any revert.
    Any,
    /// Revert data starting with this selector.
    Selector([u8; 4]),
    /// Exactly this revert data (selector and arguments).
    Data(Vec<u8>),
}

#[derive(Debug, Clone, Copy)]
struct Prank {
    sender: Address,
    origin: Address,
    persistent: bool,
}

/// An in-process Stylus chain: loads release WASM, runs it with Nitro's
/// metering, and exposes Foundry's cheatcodes. See the crate docs.
pub struct Host {
    rt: Rc<Runtime>,
    chain: Rc<RefCell<Chain>>,
    programs: HashMap<B256, Arc<Program>>,
    config: HostConfig,
    sender: Address,
    prank: Option<Prank>,
    labels: BTreeMap<Address, String>,
    selectors: BTreeMap<[u8; 4], String>,
    snapshots: Vec<World>,
    expected_revert: Option<ExpectedRevert>,
    expected_emits: Vec<Log>,
    recording: Option<Vec<Log>>,
    last: Option<Receipt>,
}

impl Default for Host {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Host")
            .field("block", &self.chain.borrow().world.block)
            .field("accounts", &self.chain.borrow().world.accounts.len())
            .field("sender", &self.sender)
            .finish_non_exhaustive()
    }
}

impl Host {
    /// A fresh chain with the default configuration.
    pub fn new() -> Self {
        Self::with_config(HostConfig::default())
    }

    /// A fresh chain.
    pub fn with_config(config: HostConfig) -> Self {
        let mut labels = BTreeMap::new();
        labels.insert(STYLUS_DEPLOYER, "StylusDeployer".to_owned());
        Self {
            rt: Runtime::new(),
            chain: Rc::new(RefCell::new(Chain::default())),
            programs: HashMap::new(),
            config,
            sender: DEFAULT_SENDER,
            prank: None,
            labels,
            selectors: BTreeMap::new(),
            snapshots: Vec::new(),
            expected_revert: None,
            expected_emits: Vec::new(),
            recording: None,
            last: None,
        }
    }

    /// The configuration.
    pub fn config(&self) -> HostConfig {
        self.config
    }

    /// Changes the configuration (e.g. to price programs as cached).
    pub fn set_config(&mut self, config: HostConfig) {
        self.config = config;
    }

    /// Activates `wasm` (cached by content), checking its imports.
    ///
    /// # Errors
    /// An unknown import (named) or a module Stylus would not activate.
    pub fn activate(&mut self, wasm: &[u8]) -> Result<Arc<Program>, LoadError> {
        let key = keccak256(wasm);
        if let Some(p) = self.programs.get(&key) {
            return Ok(p.clone());
        }
        let program = Arc::new(Program::load(&self.rt.engine, wasm)?);
        self.programs.insert(key, program.clone());
        Ok(program)
    }

    /// Deploys `wasm` and, with `constructor_args` (ABI-encoded parameters),
    /// calls its `#[constructor]` the way cargo-stylus 0.6.3 does: through
    /// the `StylusDeployer` (so `msg.sender` in the constructor is
    /// [`STYLUS_DEPLOYER`]), at `CREATE(StylusDeployer, nonce)`. Without
    /// arguments it is a plain `CREATE` from the current sender and no
    /// constructor runs.
    ///
    /// # Errors
    /// When the WASM does not load or the constructor fails.
    pub fn deploy(
        &mut self,
        wasm: &[u8],
        constructor_args: Option<&[u8]>,
    ) -> Result<(Address, Option<Receipt>), HostError> {
        self.deploy_with_value(wasm, constructor_args, U256::ZERO)
    }

    /// [`Host::deploy`] with `value` sent to a payable constructor.
    ///
    /// # Errors
    /// As [`Host::deploy`].
    pub fn deploy_with_value(
        &mut self,
        wasm: &[u8],
        constructor_args: Option<&[u8]>,
        value: U256,
    ) -> Result<(Address, Option<Receipt>), HostError> {
        let program = self.activate(wasm)?;
        let (sender, _) = self.take_sender();
        let Some(args) = constructor_args else {
            let address = {
                let mut c = self.chain.borrow_mut();
                let nonce = c.world.account(sender).nonce;
                c.world.accounts.entry(sender).or_default().nonce = nonce + 1;
                let address = sender.create(nonce);
                let account = c.world.accounts.entry(address).or_default();
                account.program = Some(program);
                account.nonce = 1;
                address
            };
            return Ok((address, None));
        };
        let address = {
            let mut c = self.chain.borrow_mut();
            let deployer = c.world.accounts.entry(STYLUS_DEPLOYER).or_default();
            let nonce = deployer.nonce.max(1);
            deployer.nonce = nonce + 1;
            let address = STYLUS_DEPLOYER.create(nonce);
            let account = c.world.accounts.entry(address).or_default();
            account.program = Some(program);
            account.nonce = 1;
            // The deployer forwards the constructor's value.
            if !value.is_zero() {
                let balance = c.world.balance(sender);
                c.world.accounts.entry(sender).or_default().balance = balance.saturating_sub(value);
                let d = c.world.accounts.entry(STYLUS_DEPLOYER).or_default();
                d.balance = d.balance.saturating_add(value);
            }
            address
        };
        let mut input = constructor_selector().to_vec();
        input.extend_from_slice(args);
        let receipt = self.run_tx(STYLUS_DEPLOYER, sender, address, input, value, false);
        if receipt.success() {
            Ok((address, Some(receipt)))
        } else {
            // Roll the deployment back: the StylusDeployer reverts as a whole.
            let mut c = self.chain.borrow_mut();
            c.world.accounts.remove(&address);
            c.world.storage.remove(&address);
            if !value.is_zero() {
                let d = c.world.accounts.entry(STYLUS_DEPLOYER).or_default();
                d.balance = d.balance.saturating_sub(value);
                let s = c.world.accounts.entry(sender).or_default();
                s.balance = s.balance.saturating_add(value);
            }
            drop(c);
            let reason = match receipt.status {
                Status::Revert => format!("revert 0x{}", hex::encode(&receipt.output)),
                _ => receipt.reason.clone().unwrap_or_else(|| format!("{:?}", receipt.status)),
            };
            Err(HostError::Constructor { address, reason, receipt: Box::new(receipt) })
        }
    }

    /// [`Host::deploy`] with the constructor arguments given as a `sol!`
    /// function whose parameters are the constructor's, e.g.
    /// `sol! { function constructor(bytes32 name, bytes32 symbol, uint8 decimals); }`
    /// (only the arguments are used; the name does not matter).
    ///
    /// # Errors
    /// As [`Host::deploy`].
    pub fn deploy_sol<C: SolCall>(&mut self, wasm: &[u8], args: &C) -> Result<Address, HostError> {
        let mut encoded = Vec::new();
        args.abi_encode_raw(&mut encoded);
        self.deploy(wasm, Some(&encoded)).map(|(a, _)| a)
    }

    /// Sends a transaction from the current sender (or prank) to `to`.
    pub fn call(&mut self, to: Address, input: Vec<u8>) -> Receipt {
        self.call_with_value(to, input, U256::ZERO)
    }

    /// Sends a transaction with `value` wei.
    pub fn call_with_value(&mut self, to: Address, input: Vec<u8>, value: U256) -> Receipt {
        let (sender, origin) = self.take_sender();
        self.run_tx(sender, origin, to, input, value, false)
    }

    /// `eth_call`: runs a static call and discards every change.
    pub fn view(&mut self, to: Address, input: Vec<u8>) -> Receipt {
        let (sender, origin) = self.take_sender();
        let world = self.chain.borrow().world.clone();
        let receipt = self.run_tx(sender, origin, to, input, U256::ZERO, true);
        self.chain.borrow_mut().world = world;
        receipt
    }

    /// Calls `to` with a `sol!` call, decoding the result or the error.
    ///
    /// # Errors
    /// A [`CallError`] when the call reverts, fails or returns undecodable data.
    pub fn call_sol<C: SolCall>(&mut self, to: Address, call: &C) -> Result<C::Return, CallError> {
        let receipt = self.call(to, call.abi_encode());
        decode_result::<C>(&receipt)
    }

    /// [`Host::call_sol`] with value.
    ///
    /// # Errors
    /// As [`Host::call_sol`].
    pub fn call_sol_value<C: SolCall>(
        &mut self,
        to: Address,
        call: &C,
        value: U256,
    ) -> Result<C::Return, CallError> {
        let receipt = self.call_with_value(to, call.abi_encode(), value);
        decode_result::<C>(&receipt)
    }

    /// A `sol!` view call (`eth_call`, static).
    ///
    /// # Errors
    /// As [`Host::call_sol`].
    pub fn view_sol<C: SolCall>(&mut self, to: Address, call: &C) -> Result<C::Return, CallError> {
        let receipt = self.view(to, call.abi_encode());
        decode_result::<C>(&receipt)
    }

    /// The receipt of the last transaction.
    pub fn last_receipt(&self) -> Option<&Receipt> {
        self.last.as_ref()
    }

    /// The last transaction's call tree with labels and registered function names.
    pub fn last_trace(&self) -> String {
        self.last
            .as_ref()
            .map(|r| r.trace.render(&self.labels, &self.selectors))
            .unwrap_or_default()
    }

    fn take_sender(&mut self) -> (Address, Address) {
        match self.prank {
            Some(p) => {
                if !p.persistent {
                    self.prank = None;
                }
                (p.sender, p.origin)
            }
            None => (self.sender, self.sender),
        }
    }

    fn run_tx(
        &mut self,
        sender: Address,
        origin: Address,
        to: Address,
        input: Vec<u8>,
        value: U256,
        is_static: bool,
    ) -> Receipt {
        let intrinsic = pricing::intrinsic_gas(&input);
        let gas_limit = self.config.tx_gas_limit;
        {
            let mut c = self.chain.borrow_mut();
            c.begin_tx(origin, Some(to));
            c.touch_address(sender);
            if sender == origin && !is_static {
                let a = c.world.accounts.entry(sender).or_default();
                a.nonce = a.nonce.saturating_add(1);
            }
        }
        let msg = Message {
            kind: if is_static { CallKind::Static } else { CallKind::Call },
            caller: sender,
            acting: to,
            code_address: to,
            value,
            input,
            gas: gas_limit.saturating_sub(intrinsic),
            is_static,
            depth: 0,
            transfers_value: !is_static,
        };
        let config = ExecConfig { all_cached: self.config.all_cached };
        let (outcome, trace) = exec::execute(&self.rt, &self.chain, config, &msg);
        let c = self.chain.borrow();
        let execution = gas_limit.saturating_sub(intrinsic).saturating_sub(outcome.gas_left);
        let used = intrinsic.saturating_add(execution);
        let refund = if outcome.status == Status::Success {
            u64::try_from(c.tx.refund.max(0)).unwrap_or(0).min(used / pricing::MAX_REFUND_QUOTIENT)
        } else {
            0
        };
        let mut gas = GasUsage {
            intrinsic,
            execution,
            refund,
            total: used.saturating_sub(refund),
            ..GasUsage::default()
        };
        accumulate(&trace, &mut gas);
        let receipt = Receipt {
            status: outcome.status,
            output: outcome.output,
            reason: outcome.reason,
            gas,
            logs: c.tx.logs.clone(),
            slots_read: c.tx.slots.read.len(),
            slots_written: c.tx.slots.written.len(),
            trace,
        };
        drop(c);
        if let Some(recorded) = &mut self.recording {
            recorded.extend(receipt.logs.iter().cloned());
        }
        self.check_expectations(&receipt);
        self.last = Some(receipt.clone());
        receipt
    }

    #[track_caller]
    fn check_expectations(&mut self, receipt: &Receipt) {
        if let Some(expected) = self.expected_revert.take() {
            let matched = receipt.status == Status::Revert
                && match &expected {
                    ExpectedRevert::Any => true,
                    ExpectedRevert::Selector(s) => receipt.output.get(..4) == Some(&s[..]),
                    ExpectedRevert::Data(d) => receipt.output == *d,
                };
            assert!(
                matched,
                "expect_revert: expected {expected:?}, but the call ended with {:?} (output 0x{}):\n{}",
                receipt.status,
                hex::encode(&receipt.output),
                receipt.trace.render(&self.labels, &self.selectors)
            );
        }
        if !self.expected_emits.is_empty() {
            let expected = std::mem::take(&mut self.expected_emits);
            let mut logs = receipt.logs.iter();
            for want in &expected {
                assert!(
                    logs.any(|l| l == want),
                    "expect_emit: the call did not emit {want:?} (in order); it emitted {:?}",
                    receipt.logs
                );
            }
        }
    }

    // --- Cheatcodes ---

    /// Sets `block.timestamp`.
    pub fn warp(&mut self, timestamp: u64) {
        self.chain.borrow_mut().world.block.timestamp = timestamp;
    }

    /// Sets `block.number`.
    pub fn roll(&mut self, number: u64) {
        self.chain.borrow_mut().world.block.number = number;
    }

    /// The block environment.
    pub fn block(&self) -> BlockEnv {
        self.chain.borrow().world.block.clone()
    }

    /// The next call (only) is sent by `sender` (`tx.origin` too).
    pub fn prank(&mut self, sender: Address) {
        self.prank = Some(Prank { sender, origin: sender, persistent: false });
    }

    /// Every call until [`Host::stop_prank`] is sent by `sender`.
    pub fn start_prank(&mut self, sender: Address) {
        self.prank = Some(Prank { sender, origin: sender, persistent: true });
    }

    /// Like [`Host::start_prank`] with a different `tx.origin`.
    pub fn start_prank_with_origin(&mut self, sender: Address, origin: Address) {
        self.prank = Some(Prank { sender, origin, persistent: true });
    }

    /// Ends a prank.
    pub fn stop_prank(&mut self) {
        self.prank = None;
    }

    /// The sender used when no prank is active.
    pub fn set_sender(&mut self, sender: Address) {
        self.sender = sender;
    }

    /// Sets the balance of `account`.
    pub fn deal(&mut self, account: Address, wei: U256) {
        self.chain.borrow_mut().world.accounts.entry(account).or_default().balance = wei;
    }

    /// The balance of `account`.
    pub fn balance(&self, account: Address) -> U256 {
        self.chain.borrow().world.balance(account)
    }

    /// Whether `account` holds a program.
    pub fn has_code(&self, account: Address) -> bool {
        self.chain.borrow().world.account(account).program.is_some()
    }

    /// Saves the whole state (accounts, storage, block); returns its id.
    pub fn snapshot(&mut self) -> usize {
        self.snapshots.push(self.chain.borrow().world.clone());
        self.snapshots.len() - 1
    }

    /// Restores snapshot `id` (which stays available); false if unknown.
    pub fn revert_to(&mut self, id: usize) -> bool {
        match self.snapshots.get(id) {
            Some(world) => {
                self.chain.borrow_mut().world = world.clone();
                true
            }
            None => false,
        }
    }

    /// Reads a raw storage slot.
    pub fn load(&self, account: Address, slot: B256) -> B256 {
        self.chain.borrow().world.sload(account, slot)
    }

    /// Writes a raw storage slot.
    pub fn store(&mut self, account: Address, slot: B256, value: B256) {
        self.chain.borrow_mut().world.storage.entry(account).or_default().insert(slot, value);
    }

    /// The next call must revert as described, or the test panics (like
    /// Foundry's `vm.expectRevert`). The call still returns its result.
    pub fn expect_revert(&mut self, expected: ExpectedRevert) {
        self.expected_revert = Some(expected);
    }

    /// The next call must revert with exactly this custom error.
    pub fn expect_revert_error<E: SolError>(&mut self, error: &E) {
        self.expect_revert(ExpectedRevert::Data(error.abi_encode()));
    }

    /// The next call must emit this log (checked in order with other
    /// expected logs), or the test panics.
    pub fn expect_emit(&mut self, log: Log) {
        self.expected_emits.push(log);
    }

    /// The next call must emit `event` from `emitter`.
    pub fn expect_event<E: SolEvent>(&mut self, emitter: Address, event: &E) {
        self.expect_emit(Log { address: emitter, data: event.encode_log_data() });
    }

    /// Starts recording every log (Foundry's `recordLogs`).
    pub fn record_logs(&mut self) {
        self.recording = Some(Vec::new());
    }

    /// The logs recorded since [`Host::record_logs`], clearing the record
    /// (Foundry's `getRecordedLogs`).
    pub fn recorded_logs(&mut self) -> Vec<Log> {
        self.recording.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// Names `account` in traces.
    pub fn label(&mut self, account: Address, name: impl Into<String>) {
        self.labels.insert(account, name.into());
    }

    /// The label of `account`, or its checksummed address.
    pub fn name_of(&self, account: Address) -> String {
        self.labels.get(&account).cloned().unwrap_or_else(|| account.to_string())
    }

    /// Names a function in traces, e.g. `register_function::<transferCall>()`.
    pub fn register_function<C: SolCall>(&mut self) {
        self.selectors.insert(C::SELECTOR, C::SIGNATURE.to_owned());
    }

    /// Marks the program at `account` as cached (`cargo stylus cache bid`):
    /// calls pay only the cached entry price.
    pub fn cache_program(&mut self, account: Address) {
        let mut c = self.chain.borrow_mut();
        if let Some(p) = c.world.account(account).program {
            c.world.cached_programs.insert(p.code_hash);
        }
    }

    /// The deployed code (`EF F0 00 00` + brotli) of `account`, if a contract.
    pub fn code(&self, account: Address) -> Option<Vec<u8>> {
        self.chain.borrow().world.account(account).program.map(|p| p.code.clone())
    }

    /// A copy of the world state (for comparisons and dumps).
    pub fn world(&self) -> World {
        self.chain.borrow().world.clone()
    }
}

fn decode_result<C: SolCall>(receipt: &Receipt) -> Result<C::Return, CallError> {
    match receipt.status {
        Status::Success => C::abi_decode_returns(&receipt.output, true)
            .map_err(|e| CallError::Decode(e.to_string())),
        Status::Revert => Err(CallError::Revert(receipt.output.clone())),
        Status::Failure => Err(CallError::Failure(receipt.reason.clone().unwrap_or_default())),
        Status::OutOfGas => Err(CallError::OutOfGas),
    }
}

fn accumulate(trace: &CallTrace, gas: &mut GasUsage) {
    gas.entry = gas.entry.saturating_add(trace.entry_gas);
    gas.wasm = gas.wasm.saturating_add(trace.wasm_ink() / INK_PRICE);
    gas.hostio = gas.hostio.saturating_add(trace.hostio_ink / INK_PRICE);
    gas.evm = gas.evm.saturating_add(trace.evm_gas.saturating_sub(trace.call_gas));
    for child in &trace.children {
        accumulate(child, gas);
    }
}

/// A log from an event, for [`Host::expect_emit`] comparisons.
pub fn event_log<E: SolEvent>(emitter: Address, event: &E) -> Log {
    Log { address: emitter, data: event.encode_log_data() }
}

/// A raw log.
pub fn raw_log(emitter: Address, topics: Vec<B256>, data: Vec<u8>) -> Log {
    Log { address: emitter, data: LogData::new_unchecked(topics, data.into()) }
}
