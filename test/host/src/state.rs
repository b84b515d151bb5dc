//! World state (accounts, code, storage, block environment) and the
//! per-transaction context (access lists, original values, refunds, logs,
//! memory pages, the call stack) with a journal for frame rollback.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use alloy_primitives::{keccak256, Address, Log, LogData, B256, U256};

use crate::program::Program;

/// An account.
#[derive(Debug, Clone, Default)]
pub struct Account {
    /// Balance in wei.
    pub balance: U256,
    /// Nonce (contract creations by this account).
    pub nonce: u64,
    /// The Stylus program, if the account is a contract.
    pub program: Option<Arc<Program>>,
}

impl Account {
    /// EIP-161 emptiness: no code, zero nonce and zero balance.
    pub fn is_empty(&self) -> bool {
        self.program.is_none() && self.nonce == 0 && self.balance.is_zero()
    }
}

/// The block the next transaction runs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockEnv {
    /// `block.number` (what `block_number` returns).
    pub number: u64,
    /// `block.timestamp`.
    pub timestamp: u64,
    /// Chain id (Arbitrum Sepolia by default).
    pub chain_id: u64,
    /// Base fee in wei.
    pub basefee: U256,
    /// Coinbase.
    pub coinbase: Address,
    /// Block gas limit.
    pub gas_limit: u64,
}

impl Default for BlockEnv {
    fn default() -> Self {
        Self {
            number: 1,
            // 2025-01-01T00:00:00Z, motsu's fixed clock, so both hosts agree.
            timestamp: 1_735_689_600,
            chain_id: 421_614,
            basefee: U256::from(100_000_000u64),
            coinbase: Address::ZERO,
            gas_limit: 32_000_000,
        }
    }
}

/// Accounts, storage and block: what a snapshot saves.
#[derive(Debug, Clone, Default)]
pub struct World {
    /// Accounts by address.
    pub accounts: HashMap<Address, Account>,
    /// Storage by contract, then slot.
    pub storage: HashMap<Address, HashMap<B256, B256>>,
    /// The block environment.
    pub block: BlockEnv,
    /// Programs marked as cached (ArbOS `CacheManager`): they pay the cached entry price.
    pub cached_programs: BTreeSet<B256>,
}

impl World {
    /// A slot's value (zero when never written).
    pub fn sload(&self, address: Address, slot: B256) -> B256 {
        self.storage.get(&address).and_then(|s| s.get(&slot)).copied().unwrap_or_default()
    }

    /// The account at `address` (empty when absent).
    pub fn account(&self, address: Address) -> Account {
        self.accounts.get(&address).cloned().unwrap_or_default()
    }

    /// The balance of `address`.
    pub fn balance(&self, address: Address) -> U256 {
        self.accounts.get(&address).map(|a| a.balance).unwrap_or_default()
    }
}

/// One undoable change.
#[derive(Debug, Clone)]
enum Entry {
    Storage { address: Address, slot: B256, previous: B256 },
    Balance { address: Address, previous: U256 },
    Nonce { address: Address, previous: u64 },
    Code { address: Address, previous: Option<Arc<Program>> },
    WarmAddress(Address),
    WarmSlot(Address, B256),
    Refund(i64),
}

/// A point to roll back to.
#[derive(Debug, Clone, Copy)]
pub struct Checkpoint {
    journal: usize,
    logs: usize,
}

/// Storage statistics of one transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlotStats {
    /// Distinct `(contract, slot)` pairs read from state (cache misses).
    pub read: BTreeSet<(Address, B256)>,
    /// Distinct `(contract, slot)` pairs written at a cache flush.
    pub written: BTreeSet<(Address, B256)>,
}

/// The state of the running transaction.
#[derive(Debug, Default)]
pub struct TxContext {
    /// `tx.origin`.
    pub origin: Address,
    /// Gas price (the base fee on Arbitrum).
    pub gas_price: U256,
    warm_addresses: HashSet<Address>,
    warm_slots: HashSet<(Address, B256)>,
    original: HashMap<(Address, B256), B256>,
    /// Accumulated refund (EIP-2200/3529), may dip below zero inside a frame.
    pub refund: i64,
    /// Logs emitted so far.
    pub logs: Vec<Log>,
    /// WASM pages open now (`GetStylusPages`).
    pub pages_open: u16,
    /// The most WASM pages open at once in this transaction.
    pub pages_ever: u16,
    journal: Vec<Entry>,
    /// Acting addresses of the program frames on the call stack.
    pub stack: Vec<Address>,
    /// Storage statistics.
    pub slots: SlotStats,
}

/// World plus the running transaction: what host functions mutate.
#[derive(Debug, Default)]
pub struct Chain {
    /// Committed and in-flight state.
    pub world: World,
    /// The running transaction.
    pub tx: TxContext,
}

impl Chain {
    /// Starts a transaction from `origin` to `to`: warms the sender, the
    /// recipient and the coinbase (EIP-2929, EIP-3651).
    pub fn begin_tx(&mut self, origin: Address, to: Option<Address>) {
        let gas_price = self.world.block.basefee;
        self.tx = TxContext { origin, gas_price, ..TxContext::default() };
        self.tx.warm_addresses.insert(origin);
        self.tx.warm_addresses.insert(self.world.block.coinbase);
        if let Some(to) = to {
            self.tx.warm_addresses.insert(to);
        }
    }

    /// A rollback point.
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint { journal: self.tx.journal.len(), logs: self.tx.logs.len() }
    }

    /// Undoes everything after `cp`: storage, balances, nonces, code, access
    /// list additions, refunds and logs.
    pub fn revert_to(&mut self, cp: Checkpoint) {
        while self.tx.journal.len() > cp.journal {
            let Some(entry) = self.tx.journal.pop() else { break };
            match entry {
                Entry::Storage { address, slot, previous } => {
                    self.world.storage.entry(address).or_default().insert(slot, previous);
                }
                Entry::Balance { address, previous } => {
                    self.world.accounts.entry(address).or_default().balance = previous;
                }
                Entry::Nonce { address, previous } => {
                    self.world.accounts.entry(address).or_default().nonce = previous;
                }
                Entry::Code { address, previous } => {
                    self.world.accounts.entry(address).or_default().program = previous;
                }
                Entry::WarmAddress(a) => {
                    self.tx.warm_addresses.remove(&a);
                }
                Entry::WarmSlot(a, s) => {
                    self.tx.warm_slots.remove(&(a, s));
                }
                Entry::Refund(previous) => self.tx.refund = previous,
            }
        }
        self.tx.logs.truncate(cp.logs);
    }

    /// Warms `address`; returns whether it was cold.
    pub fn touch_address(&mut self, address: Address) -> bool {
        let cold = self.tx.warm_addresses.insert(address);
        if cold {
            self.tx.journal.push(Entry::WarmAddress(address));
        }
        cold
    }

    /// Whether `address` is warm.
    pub fn is_warm(&self, address: Address) -> bool {
        self.tx.warm_addresses.contains(&address)
    }

    /// Warms a slot; returns whether it was cold.
    pub fn touch_slot(&mut self, address: Address, slot: B256) -> bool {
        let cold = self.tx.warm_slots.insert((address, slot));
        if cold {
            self.tx.journal.push(Entry::WarmSlot(address, slot));
        }
        cold
    }

    /// The slot's value when the transaction started.
    pub fn original(&mut self, address: Address, slot: B256) -> B256 {
        let world = &self.world;
        *self.tx.original.entry((address, slot)).or_insert_with(|| world.sload(address, slot))
    }

    /// Writes a slot (journaled).
    pub fn sstore(&mut self, address: Address, slot: B256, value: B256) {
        // Remember the original before the first write of the transaction.
        let _ = self.original(address, slot);
        let previous = self.world.sload(address, slot);
        self.tx.journal.push(Entry::Storage { address, slot, previous });
        self.world.storage.entry(address).or_default().insert(slot, value);
    }

    /// Adds `delta` to the refund counter (journaled).
    pub fn add_refund(&mut self, delta: i64) {
        if delta != 0 {
            self.tx.journal.push(Entry::Refund(self.tx.refund));
            self.tx.refund = self.tx.refund.saturating_add(delta);
        }
    }

    /// Sets a balance (journaled).
    pub fn set_balance(&mut self, address: Address, balance: U256) {
        let account = self.world.accounts.entry(address).or_default();
        self.tx.journal.push(Entry::Balance { address, previous: account.balance });
        account.balance = balance;
    }

    /// Moves `value` wei; false (and nothing moved) when `from` holds less.
    pub fn transfer(&mut self, from: Address, to: Address, value: U256) -> bool {
        if value.is_zero() {
            return true;
        }
        let from_balance = self.world.balance(from);
        let Some(rest) = from_balance.checked_sub(value) else { return false };
        self.set_balance(from, rest);
        let to_balance = self.world.balance(to);
        self.set_balance(to, to_balance.saturating_add(value));
        true
    }

    /// Increments a nonce (journaled) and returns the old one.
    pub fn bump_nonce(&mut self, address: Address) -> u64 {
        let account = self.world.accounts.entry(address).or_default();
        let previous = account.nonce;
        self.tx.journal.push(Entry::Nonce { address, previous });
        account.nonce = previous.saturating_add(1);
        previous
    }

    /// Installs a program at `address` (journaled).
    pub fn set_program(&mut self, address: Address, program: Option<Arc<Program>>) {
        let account = self.world.accounts.entry(address).or_default();
        let previous = std::mem::replace(&mut account.program, program);
        self.tx.journal.push(Entry::Code { address, previous });
    }

    /// Emits a log.
    pub fn emit(&mut self, address: Address, topics: Vec<B256>, data: Vec<u8>) {
        self.tx.logs.push(Log { address, data: LogData::new_unchecked(topics, data.into()) });
    }
}

/// The code hash of an account without code, `keccak256("")`.
pub fn empty_code_hash() -> B256 {
    keccak256([])
}

/// Storage of one contract, sorted (for dumps and comparisons).
pub fn sorted_storage(world: &World, address: Address) -> BTreeMap<B256, B256> {
    world
        .storage
        .get(&address)
        .map(|s| s.iter().filter(|(_, v)| !v.is_zero()).map(|(k, v)| (*k, *v)).collect())
        .unwrap_or_default()
}
