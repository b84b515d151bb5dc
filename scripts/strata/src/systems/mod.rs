//! The deployable systems, one module each: how to deploy and wire them
//! (a [`Plan`] that both the embedded host and a real chain execute), a
//! scenario for `strata deploy`, and the operations `strata gas-report`
//! measures. Calls are encoded with `sol!` bindings generated from the
//! committed `interfaces/*.sol`, as an integrator's client would.
//!
//! A system is added by writing its module and listing it in [`SYSTEMS`];
//! [`uncovered`] names the deployable contracts no system deploys yet.

use std::collections::BTreeMap;

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use serde::Serialize;
use strata_host::{Host, Receipt};

use crate::artifacts::Artifacts;
use crate::error::{Error, Result};
use crate::workspace::Workspace;

pub mod assets;
pub mod index;
pub mod infinity;
pub mod perp;

/// What a plan step can see when its constructor arguments or calldata are
/// computed: the addresses deployed so far, by key (`"USDC"`, `"venue"`, …;
/// the deploying account is under [`DEPLOYER_KEY`]), and the chain's clock.
#[derive(Debug, Clone, Default)]
pub struct Book {
    addresses: BTreeMap<String, Address>,
    /// The chain's time when the step is computed: the host's block
    /// timestamp, or on a real chain the latest block's (refreshed before
    /// every wiring transaction, so schedules can start a little later).
    pub now: u64,
}

impl Book {
    /// A book holding the deployer only.
    pub fn new(deployer: Address, now: u64) -> Self {
        Self { addresses: BTreeMap::from([(DEPLOYER_KEY.to_owned(), deployer)]), now }
    }

    /// The address under `key`, if any.
    pub fn get(&self, key: &str) -> Option<&Address> {
        self.addresses.get(key)
    }

    /// The address under `key`, or zero (for plans: steps only name keys
    /// deployed before them, which [`Ctx::at`] and the remote flow check).
    pub fn at(&self, key: &str) -> Address {
        self.get(key).copied().unwrap_or_default()
    }

    /// Records `address` under `key`.
    pub fn insert(&mut self, key: impl Into<String>, address: Address) {
        self.addresses.insert(key.into(), address);
    }
}

/// The book key of the deploying account.
pub const DEPLOYER_KEY: &str = "deployer";

/// Computes constructor arguments from the addresses deployed before.
pub type ConstructorFn = Box<dyn Fn(&Book) -> Option<Constructor>>;

/// Computes wiring calldata from the addresses deployed before.
pub type CalldataFn = Box<dyn Fn(&Book) -> Vec<u8>>;

/// Constructor arguments, both ABI-encoded (for the host) and as
/// `cargo stylus deploy --constructor-signature/--constructor-args` strings.
#[derive(Debug, Clone)]
pub struct Constructor {
    /// e.g. `constructor(bytes32,bytes32,uint8)`.
    pub signature: String,
    /// One string per argument, as cargo-stylus parses them.
    pub args: Vec<String>,
    /// ABI-encoded arguments (no selector).
    pub encoded: Vec<u8>,
}

/// One step of a deployment.
pub enum Step {
    /// Deploy `package` as `key` with the constructor computed from the book.
    Deploy {
        /// Book key.
        key: String,
        /// Package name of the contract.
        package: &'static str,
        /// Constructor arguments, if the contract has a constructor.
        constructor: ConstructorFn,
    },
    /// A transaction from the deployer wiring contracts together.
    Call {
        /// What it does, for people.
        label: String,
        /// Book key of the contract called.
        to: String,
        /// Calldata computed from the book.
        calldata: CalldataFn,
    },
}

/// A system's deployment: steps in order.
pub type Plan = Vec<Step>;

/// One thing the scenario did.
#[derive(Debug, Clone, Serialize)]
pub struct Action {
    /// System name.
    pub system: String,
    /// Who did what, for people.
    pub action: String,
    /// Gas of the transaction (0 for views and cheatcodes).
    pub gas: u64,
    /// Result, for people.
    pub result: String,
}

/// One measured operation of the gas report.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct GasOp {
    /// System name.
    pub system: String,
    /// Operation, e.g. `MockErc20.transfer (to a new holder)`.
    pub operation: String,
    /// Transaction gas: intrinsic + execution − refund.
    pub gas: u64,
    /// Program entry gas within it.
    pub entry: u64,
    /// WASM execution gas.
    pub wasm: u64,
    /// Hostio gas.
    pub hostio: u64,
    /// EVM-priced gas (storage, logs, calls, accounts).
    pub evm: u64,
    /// Refund.
    pub refund: u64,
    /// Distinct storage slots read.
    pub slots_read: usize,
    /// Distinct storage slots written.
    pub slots_written: usize,
}

impl GasOp {
    /// A row from a successful receipt.
    ///
    /// # Errors
    /// When the transaction did not succeed.
    pub fn from_receipt(system: &str, operation: &str, receipt: &Receipt) -> Result<Self> {
        if !receipt.success() {
            return Err(scenario_error(system, operation, receipt));
        }
        let g = receipt.gas;
        Ok(Self {
            system: system.to_owned(),
            operation: operation.to_owned(),
            gas: g.total,
            entry: g.entry,
            wasm: g.wasm,
            hostio: g.hostio,
            evm: g.evm,
            refund: g.refund,
            slots_read: receipt.slots_read,
            slots_written: receipt.slots_written,
        })
    }
}

/// A system: its plan, scenario and gas operations.
pub struct System {
    /// Name (`Assets`, `Index`, `Perp`, `Infinity`).
    pub name: &'static str,
    /// One line for people.
    pub description: &'static str,
    /// Deployment and wiring, executed in order.
    pub plan: fn() -> Plan,
    /// The scenario run by `strata deploy` after every system is deployed.
    pub scenario: fn(&mut Ctx<'_>) -> Result<()>,
    /// The operations measured by `strata gas-report` (on a fresh deployment).
    pub gas: fn(&mut Ctx<'_>) -> Result<Vec<GasOp>>,
}

/// Every system, in deployment order (later ones may use earlier ones' contracts).
pub const SYSTEMS: &[System] = &[assets::SYSTEM, index::SYSTEM, perp::SYSTEM, infinity::SYSTEM];

/// The embedded chain with everything deployed, and the record of what happened.
pub struct Ctx<'a> {
    /// The chain.
    pub host: Host,
    /// The artifacts.
    pub artifacts: &'a Artifacts,
    /// Deployed addresses.
    pub book: Book,
    /// What the scenario did.
    pub actions: Vec<Action>,
    /// The account that deploys and wires.
    pub deployer: Address,
}

/// The deployer of the embedded chain.
pub const DEPLOYER: Address =
    Address::new([0xde, 0x91, 0x09, 0xe5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01]);

impl<'a> Ctx<'a> {
    /// A fresh chain; the deployer holds 1,000 ETH.
    pub fn new(artifacts: &'a Artifacts) -> Self {
        let mut host = Host::new();
        host.set_sender(DEPLOYER);
        host.label(DEPLOYER, "deployer");
        host.deal(DEPLOYER, U256::from(1000u64) * U256::from(10u64).pow(U256::from(18u64)));
        let book = Book::new(DEPLOYER, host.block().timestamp);
        Self { host, artifacts, book, actions: Vec::new(), deployer: DEPLOYER }
    }

    /// The address of `key`.
    ///
    /// # Errors
    /// When nothing was deployed under `key`.
    pub fn at(&self, key: &str) -> Result<Address> {
        self.book.get(key).copied().ok_or_else(|| Error::Contract {
            package: key.to_owned(),
            message: "not deployed (check the plan order)".into(),
        })
    }

    /// Executes `system`'s plan in the host; returns the deployment receipts
    /// (for steps that ran a transaction).
    ///
    /// # Errors
    /// When a deployment or wiring call fails.
    pub fn execute_plan(&mut self, system: &System) -> Result<Vec<(String, Option<Receipt>)>> {
        let mut done = Vec::new();
        for step in (system.plan)() {
            self.book.now = self.host.block().timestamp;
            match step {
                Step::Deploy { key, package, constructor } => {
                    let wasm = self.artifacts.get(package)?;
                    let ctor = constructor(&self.book);
                    let (address, receipt) = self
                        .host
                        .deploy(wasm, ctor.as_ref().map(|c| c.encoded.as_slice()))
                        .map_err(|e| Error::Contract {
                            package: package.to_owned(),
                            message: format!("deployment in the host failed: {e}"),
                        })?;
                    self.host.label(address, key.clone());
                    self.book.insert(key.clone(), address);
                    done.push((format!("deploy {key} ({package})"), receipt));
                }
                Step::Call { label, to, calldata } => {
                    let to_address = self.at(&to)?;
                    let input = calldata(&self.book);
                    self.host.prank(self.deployer);
                    let receipt = self.host.call(to_address, input);
                    if !receipt.success() {
                        return Err(scenario_error(system.name, &label, &receipt));
                    }
                    done.push((label, Some(receipt)));
                }
            }
        }
        Ok(done)
    }

    /// Records an action of the scenario.
    pub fn record(
        &mut self,
        system: &str,
        action: impl Into<String>,
        gas: u64,
        result: impl Into<String>,
    ) {
        self.actions.push(Action {
            system: system.to_owned(),
            action: action.into(),
            gas,
            result: result.into(),
        });
    }
}

impl Ctx<'_> {
    /// A view call (`eth_call`) to the contract under `to_key`.
    ///
    /// # Errors
    /// When the call reverts or returns undecodable data.
    pub fn view<C: SolCall>(&mut self, system: &str, to_key: &str, call: &C) -> Result<C::Return> {
        let to = self.at(to_key)?;
        self.host.view_sol(to, call).map_err(|e| Error::Contract {
            package: system.to_owned(),
            message: format!("view {} on {to_key} failed: {e}", C::SIGNATURE),
        })
    }

    /// The host's block timestamp.
    pub fn now(&self) -> u64 {
        self.host.block().timestamp
    }
}

/// A system's scenario run, shared by `strata deploy` (which prints the
/// recorded actions) and `strata gas-report` (which keeps the rows of the
/// transactions named as gas operations): one sequence of calls serves both,
/// so the report measures exactly what the scenario does.
pub struct Run<'c, 'a> {
    /// The chain and the record.
    pub ctx: &'c mut Ctx<'a>,
    /// The system's name.
    pub system: &'static str,
    /// Gas rows of the transactions run with an operation name.
    pub ops: Vec<GasOp>,
}

impl<'c, 'a> Run<'c, 'a> {
    /// A run of `system` on `ctx`.
    pub fn new(ctx: &'c mut Ctx<'a>, system: &'static str) -> Self {
        Self { ctx, system, ops: Vec::new() }
    }

    /// Sends `call` from `from` to the contract under `to_key`, records it as
    /// `"<from>: <what>"` with its gas and, with `op`, keeps it as that gas
    /// operation; returns the decoded result.
    ///
    /// # Errors
    /// When the call does not succeed (the error names the step and carries
    /// the revert data) or returns undecodable data.
    pub fn tx<C: SolCall>(
        &mut self,
        from: Address,
        to_key: &str,
        what: &str,
        op: Option<&str>,
        call: &C,
    ) -> Result<C::Return> {
        let to = self.ctx.at(to_key)?;
        self.ctx.host.prank(from);
        let receipt = self.ctx.host.call(to, call.abi_encode());
        if !receipt.success() {
            return Err(scenario_error(self.system, what, &receipt));
        }
        if let Some(op) = op {
            self.ops.push(GasOp::from_receipt(self.system, op, &receipt)?);
        }
        let who = self.ctx.host.name_of(from);
        self.ctx.record(self.system, format!("{who}: {what}"), receipt.gas.total, "ok");
        C::abi_decode_returns(&receipt.output, true).map_err(|e| Error::Contract {
            package: self.system.to_owned(),
            message: format!("`{what}` returned undecodable data: {e}"),
        })
    }

    /// A view call (`eth_call`) to the contract under `to_key`.
    ///
    /// # Errors
    /// As [`Ctx::view`].
    pub fn view<C: SolCall>(&mut self, to_key: &str, call: &C) -> Result<C::Return> {
        self.ctx.view(self.system, to_key, call)
    }

    /// Records a piece of resulting state.
    pub fn state(&mut self, what: impl Into<String>, value: impl Into<String>) {
        self.ctx.record(self.system, format!("state: {}", what.into()), 0, value);
    }

    /// Moves the clock forward by `seconds`, into the next block, and records it.
    pub fn wait(&mut self, seconds: u64, why: &str) {
        let now = self.ctx.now() + seconds;
        let block = self.ctx.host.block().number + 1;
        self.ctx.host.warp(now);
        self.ctx.host.roll(block);
        self.ctx.record(
            self.system,
            format!("time passes: {why}"),
            0,
            format!("+{}", duration(seconds)),
        );
    }
}

/// Constructor arguments from a `sol!` function whose parameters are the
/// constructor's (its name is ignored) and the same arguments as
/// cargo-stylus strings.
pub fn constructor<C: SolCall>(args: &C, strings: Vec<String>) -> Constructor {
    let mut encoded = Vec::new();
    args.abi_encode_raw(&mut encoded);
    let params = C::SIGNATURE.find('(').map_or("()", |i| &C::SIGNATURE[i..]);
    Constructor { signature: format!("constructor{params}"), args: strings, encoded }
}

/// `value` in units of `10^decimals`, without trailing zeros: `1234.5`.
pub fn fmt_units(value: U256, decimals: u8) -> String {
    let scale = U256::from(10u64).pow(U256::from(decimals));
    let whole = value / scale;
    let frac = value % scale;
    if frac.is_zero() {
        whole.to_string()
    } else {
        let frac = format!("{:0>width$}", frac.to_string(), width = usize::from(decimals));
        format!("{whole}.{}", frac.trim_end_matches('0'))
    }
}

/// A WAD (1e18) quantity with `digits` decimals (rounded down): `12.345`.
pub fn fmt_wad(value: U256, digits: usize) -> String {
    let text = fmt_units(value, 18);
    match text.split_once('.') {
        Some((whole, frac)) if digits > 0 => {
            let frac: String = frac.chars().take(digits).collect();
            format!("{whole}.{frac}")
        }
        Some((whole, _)) => whole.to_owned(),
        None => text,
    }
}

/// `90061` → `1d 1h 1m 1s`.
pub fn duration(seconds: u64) -> String {
    let parts = [(seconds / 86_400, "d"), (seconds / 3600 % 24, "h"), (seconds / 60 % 60, "m")];
    let mut out: Vec<String> =
        parts.iter().filter(|(n, _)| *n > 0).map(|(n, unit)| format!("{n}{unit}")).collect();
    if !seconds.is_multiple_of(60) || out.is_empty() {
        out.push(format!("{}s", seconds % 60));
    }
    out.join(" ")
}

/// A failed scenario step, with the decoded trace.
pub fn scenario_error(system: &str, what: &str, receipt: &Receipt) -> Error {
    Error::Contract {
        package: system.to_owned(),
        message: format!(
            "`{what}` failed in the host: {:?} {}{}",
            receipt.status,
            receipt.reason.clone().unwrap_or_default(),
            if receipt.output.is_empty() {
                String::new()
            } else {
                format!(" (revert data 0x{})", alloy_primitives::hex::encode(&receipt.output))
            }
        ),
    }
}

/// Deployable contracts of the workspace that no system deploys.
pub fn uncovered(ws: &Workspace) -> Vec<String> {
    let covered: Vec<&str> = SYSTEMS
        .iter()
        .flat_map(|s| (s.plan)())
        .filter_map(|step| match step {
            Step::Deploy { package, .. } => Some(package),
            Step::Call { .. } => None,
        })
        .collect();
    ws.deployables
        .iter()
        .filter(|d| !covered.contains(&d.name.as_str()))
        .map(|d| d.name.clone())
        .collect()
}

/// `amount × 10^decimals`.
pub fn units(amount: u64, decimals: u8) -> U256 {
    U256::from(amount) * U256::from(10u64).pow(U256::from(decimals))
}

#[cfg(test)]
mod tests {
    use super::*;

    alloy_sol_types::sol! {
        function anyName(address owner, uint64 interval, bytes32 tag);
    }

    #[test]
    fn constructor_arguments_take_the_parameters_of_the_sol_function() {
        let owner = Address::repeat_byte(0x11);
        let c = constructor(
            &anyNameCall { owner, interval: 300, tag: alloy_primitives::FixedBytes::ZERO },
            vec![owner.to_string(), "300".into(), "0x00".into()],
        );
        assert_eq!(c.signature, "constructor(address,uint64,bytes32)");
        assert_eq!(c.encoded.len(), 96, "three static words, no selector");
        assert_eq!(&c.encoded[12..32], owner.as_slice());
        assert_eq!(c.encoded[63], 44, "300 = 0x012c");
    }

    #[test]
    fn durations_and_wad_amounts_print_for_people() {
        assert_eq!(duration(0), "0s");
        assert_eq!(duration(1200), "20m");
        assert_eq!(duration(604_801), "7d 1s");
        assert_eq!(duration(90_061), "1d 1h 1m 1s");
        let wad = U256::from(10u64).pow(U256::from(18u64));
        assert_eq!(fmt_wad(U256::from(12_345u64) * wad / U256::from(1000u64), 2), "12.34");
        assert_eq!(fmt_wad(U256::from(7u64) * wad, 4), "7");
        assert_eq!(fmt_units(U256::from(1_500_000u64), 6), "1.5");
    }

    #[test]
    fn the_book_answers_zero_for_keys_not_deployed_yet() {
        let mut book = Book::new(DEPLOYER, 1_700_000_000);
        assert_eq!(book.at(DEPLOYER_KEY), DEPLOYER);
        assert_eq!(book.at("pool"), Address::ZERO);
        book.insert("pool", Address::repeat_byte(1));
        assert_eq!(book.get("pool"), Some(&Address::repeat_byte(1)));
        assert_eq!(book.now, 1_700_000_000);
    }
}
