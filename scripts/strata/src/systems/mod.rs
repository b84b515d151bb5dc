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
use serde::Serialize;
use strata_host::{Host, Receipt};

use crate::artifacts::Artifacts;
use crate::error::{Error, Result};
use crate::workspace::Workspace;

pub mod assets;

/// Addresses deployed so far, by key (`"USDC"`, `"venue"`, …); the
/// deploying account is under [`DEPLOYER_KEY`].
pub type Book = BTreeMap<String, Address>;

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
pub const SYSTEMS: &[System] = &[assets::SYSTEM];

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
        let book = Book::from([(DEPLOYER_KEY.to_owned(), DEPLOYER)]);
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
