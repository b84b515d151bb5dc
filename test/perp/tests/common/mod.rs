//! Deployment harness shared by the Perp suites.
#![allow(
    dead_code,
    missing_docs,
    unreachable_pub,
    clippy::pedantic,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use alloy_primitives::{address, uint, Address, FixedBytes, I256, U256};
use alloy_sol_types::SolError;
use clearing_house::{BoxErr, ClearingHouse, Error as ChError};
use clearing_house_engine::ClearingHouseEngine;
use mock_erc20::MockErc20;
use motsu::prelude::*;
use power_oracle::PowerOracle;
use vamm::Vamm;
use vault::Vault;

pub const E18: U256 = uint!(1_000_000_000_000_000_000_U256);
/// An hour-aligned start for the Perp clock.
pub const T0: u64 = 1_699_999_200;
pub const B0: u64 = 1_000;
/// motsu's fixed timestamp: what the power oracle reads as "now".
pub const ORACLE_NOW: u64 = 1_735_689_600;
pub const ASSET: Address = address!("00000000000000000000000000000000000000a5");

pub const OWNER: Address = address!("00000000000000000000000000000000000000f0");
/// Sends the constructors (as cargo-stylus's `StylusDeployer` contract does on chain):
/// never the owner.
pub const DEPLOYER: Address = address!("00000000000000000000000000000000000000de");
pub const FEES: Address = address!("00000000000000000000000000000000000000fe");
pub const ALICE: Address = address!("000000000000000000000000000000000000a11c");
pub const BOB: Address = address!("0000000000000000000000000000000000000b0b");
pub const CAROL: Address = address!("000000000000000000000000000000000000ca01");
pub const DAVE: Address = address!("000000000000000000000000000000000000da7e");
pub const KEEPER: Address = address!("000000000000000000000000000000000000cee9");
pub const BACKSTOP: Address = address!("000000000000000000000000000000000000bac5");
/// A market maker that takes the other side when positions deadlock.
pub const MAKER: Address = address!("00000000000000000000000000000000000000aa");

pub const BUY: u8 = 0;
pub const SELL: u8 = 1;

/// `x` whole units in 18 decimals.
pub fn wad(x: u64) -> U256 {
    U256::from(x) * E18
}

/// `x / 1000` in 18 decimals.
pub fn milli(x: u64) -> U256 {
    U256::from(x) * uint!(1_000_000_000_000_000_U256)
}

/// `vamm::getInputPrice` on explicit reserves (the pricing is checked against a
/// big-integer reference in the vAMM's own suite).
pub fn input_price(add: bool, quote: U256, (q, b): (U256, U256)) -> U256 {
    vamm::get_input_price_with_reserves(u8::from(!add), quote, q, b).unwrap()
}

/// `vamm::getOutputPrice` on explicit reserves.
pub fn output_price(add_base: bool, base: U256, (q, b): (U256, U256)) -> U256 {
    vamm::get_output_price_with_reserves(u8::from(!add_base), base, q, b).unwrap()
}

/// `⌊a·b/1e18⌋`.
pub fn mul_d(a: U256, b: U256) -> U256 {
    a * b / E18
}

pub fn int(x: U256) -> I256 {
    I256::try_from(x).unwrap()
}

/// `x` whole units as a signed 18-decimal value (negative allowed).
pub fn swad(x: i64) -> I256 {
    let v = int(wad(x.unsigned_abs()));
    if x < 0 {
        -v
    } else {
        v
    }
}

/// Decodes a bubbled callee error (a vAMM, engine or vault error) out of a
/// clearing-house error.
pub fn external<E: SolError>(err: &BoxErr) -> E {
    match &**err {
        ChError::External(data) => E::abi_decode(data, true).unwrap_or_else(|e| {
            panic!("expected {} in {:02x?}: {e}", E::SIGNATURE, data);
        }),
        other => panic!("expected bubbled {}, got {other:?}", E::SIGNATURE),
    }
}

/// Deployment parameters.
#[derive(Clone)]
pub struct Config {
    pub decimals: u8,
    pub quote_reserve: U256,
    pub base_reserve: U256,
    pub trade_limit: U256,
    pub funding_period: u64,
    pub fluctuation: U256,
    pub max_funding_rate: U256,
    pub toll: U256,
    pub spread: U256,
    pub imr: U256,
    pub mmr: U256,
    pub lfr: U256,
    pub plr: U256,
    pub spread_limit: U256,
    pub insurance_reserve_ratio: U256,
    /// Whole tokens the owner puts in the insurance fund.
    pub insurance: u64,
    /// Index price posted at deployment.
    pub index: U256,
    /// How long before the oracle's "now" the index is posted (over 3 days: stale).
    pub index_age: u64,
}

impl Config {
    /// Production-like defaults (spec "Numbers"), on a 6-decimal quote token,
    /// market price 10 (Q = 1,000,000, B = 100,000: ~6,000 quote moves the price
    /// by the 1.2% per-block limit).
    pub fn production() -> Self {
        Config {
            decimals: 6,
            quote_reserve: wad(1_000_000),
            base_reserve: wad(100_000),
            trade_limit: milli(900),
            funding_period: 3_600,
            fluctuation: milli(12),
            max_funding_rate: milli(100),
            toll: U256::ZERO,
            spread: U256::ZERO,
            imr: milli(100),
            mmr: milli(62) + uint!(500_000_000_000_000_U256),
            lfr: milli(25),
            plr: milli(250),
            spread_limit: milli(100),
            insurance_reserve_ratio: U256::ZERO,
            insurance: 5_000,
            index: wad(10),
            index_age: 2 * 86_400,
        }
    }

    /// The production defaults without the per-block fluctuation limit or the
    /// funding cap, so one trade can move the price as far as a test needs.
    pub fn mechanics() -> Self {
        Config { fluctuation: U256::ZERO, max_funding_rate: U256::ZERO, ..Self::production() }
    }

    /// The Perp v1 test deployment (`fullDeploy`): Q = 1000, B = 100, a 1-day
    /// funding period, no fluctuation limit, margin ratios 5%, USDT with 6 decimals.
    pub fn perp_v1() -> Self {
        Config {
            decimals: 6,
            quote_reserve: wad(1_000),
            base_reserve: wad(100),
            trade_limit: milli(900),
            funding_period: 86_400,
            fluctuation: U256::ZERO,
            max_funding_rate: U256::ZERO,
            toll: U256::ZERO,
            spread: U256::ZERO,
            imr: milli(50),
            mmr: milli(50),
            lfr: milli(50),
            plr: U256::ZERO,
            spread_limit: milli(100),
            insurance_reserve_ratio: U256::ZERO,
            insurance: 5_000,
            index: wad(10),
            index_age: 2 * 86_400,
        }
    }
}

/// A deployed Perp system with one market.
pub struct Perp {
    pub cfg: Config,
    pub token: Contract<MockErc20>,
    pub vault: Contract<Vault>,
    pub ch: Contract<ClearingHouse>,
    pub engine: Contract<ClearingHouseEngine>,
    pub oracle: Contract<PowerOracle>,
    pub amm: Contract<Vamm>,
    pub now: std::cell::Cell<(u64, u64)>,
}

impl Perp {
    /// Deploys token, oracle, vault, clearing house, engine and one vAMM (opened),
    /// funds the insurance fund and posts the index price; the clock reads (T0, B0).
    pub fn deploy(cfg: Config) -> Self {
        let p = Perp {
            token: Contract::new(),
            vault: Contract::new(),
            ch: Contract::new(),
            engine: Contract::new(),
            oracle: Contract::new(),
            amm: Contract::new(),
            now: std::cell::Cell::new((T0, B0)),
            cfg: cfg.clone(),
        };
        p.warp(T0, B0);
        p.token.sender(OWNER).constructor(FixedBytes::ZERO, FixedBytes::ZERO, cfg.decimals);
        p.oracle.sender(OWNER).constructor(OWNER, 1, E18, 3 * 86_400, 3 * 86_400).motsu_unwrap();
        p.set_index(cfg.index);
        p.vault
            .sender(DEPLOYER)
            .constructor(OWNER, p.token.address(), FEES, cfg.insurance_reserve_ratio)
            .motsu_unwrap();
        p.ch.sender(DEPLOYER)
            .constructor(
                OWNER,
                p.vault.address(),
                cfg.imr,
                cfg.mmr,
                cfg.lfr,
                cfg.plr,
                cfg.spread_limit,
            )
            .motsu_unwrap();
        p.engine.sender(DEPLOYER).constructor(p.ch.address()).motsu_unwrap();
        p.ch.sender(OWNER).set_engine(p.engine.address()).motsu_unwrap();
        p.vault.sender(OWNER).set_clearing_house(p.ch.address()).motsu_unwrap();
        p.amm
            .sender(DEPLOYER)
            .constructor(
                OWNER,
                p.engine.address(),
                p.oracle.address(),
                ASSET,
                cfg.quote_reserve,
                cfg.base_reserve,
                cfg.trade_limit,
                U256::from(cfg.funding_period),
            )
            .motsu_unwrap();
        // The market starts closed with the spec's defaults; the owner configures it.
        p.amm.sender(OWNER).set_fluctuation_limit_ratio(cfg.fluctuation).motsu_unwrap();
        p.amm.sender(OWNER).set_max_funding_rate(cfg.max_funding_rate).motsu_unwrap();
        p.amm.sender(OWNER).set_toll_ratio(cfg.toll).motsu_unwrap();
        p.amm.sender(OWNER).set_spread_ratio(cfg.spread).motsu_unwrap();
        // Uncapped unless a test caps it: the suites size positions freely. (A new
        // market's 5% default cap is asserted by the vAMM's unit tests; the attack
        // suite's `capped` markets use the same 5%.)
        p.amm.sender(OWNER).set_cap(U256::ZERO, U256::ZERO).motsu_unwrap();
        p.ch.sender(OWNER).add_market(p.amm.address()).motsu_unwrap();
        p.amm.sender(OWNER).set_open(true).motsu_unwrap();
        if cfg.insurance > 0 {
            p.fund(OWNER, cfg.insurance);
            p.vault.sender(OWNER).deposit_insurance(wad(cfg.insurance)).motsu_unwrap();
        }
        p
    }

    /// One token unit in 18 decimals.
    pub fn scale(&self) -> U256 {
        U256::from(10u8).pow(U256::from(18 - self.cfg.decimals))
    }

    /// Moves the Perp clock to `(timestamp, block)`: one override that the vAMM and
    /// the clearing house both read (`strata_common::clock`).
    pub fn warp(&self, timestamp: u64, block: u64) {
        vamm::clock::test_clock::set(timestamp, block);
        self.now.set((timestamp, block));
    }

    /// The next block, 12 seconds later.
    pub fn next(&self) {
        self.advance(1, 12);
    }

    /// Advances by `blocks` blocks of `seconds` each.
    pub fn advance(&self, blocks: u64, seconds: u64) {
        let (t, b) = self.now.get();
        self.warp(t + blocks * seconds, b + blocks);
    }

    /// Posts `price` as the index for the whole oracle window (see crate docs).
    pub fn set_index(&self, price: U256) {
        let at = ORACLE_NOW - self.cfg.index_age;
        self.oracle.sender(OWNER).confirm_prices_at(at, OWNER, &[ASSET], &[price]).motsu_unwrap();
    }

    /// Mints `whole` tokens to `who` and approves the vault.
    pub fn fund(&self, who: Address, whole: u64) {
        let unit = U256::from(10u8).pow(U256::from(self.cfg.decimals));
        self.token.sender(who).mint(who, unit * U256::from(whole)).motsu_unwrap();
        self.token.sender(who).approve(self.vault.address(), U256::MAX).motsu_unwrap();
    }

    /// Token balance of `who`, in 18 decimals.
    pub fn balance(&self, who: Address) -> U256 {
        self.token.sender(who).balance_of(who) * self.scale()
    }

    pub fn open(
        &self,
        who: Address,
        side: u8,
        margin: U256,
        leverage: U256,
        limit: U256,
    ) -> Result<(), BoxErr> {
        self.ch
            .sender(who)
            .open_position(self.amm.address(), side, margin, leverage, limit)
            .motsu_res()
    }

    pub fn close(&self, who: Address, limit: U256) -> Result<(), BoxErr> {
        self.ch.sender(who).close_position(self.amm.address(), limit).motsu_res()
    }

    pub fn partial_close(&self, who: Address, ratio: U256, limit: U256) -> Result<(), BoxErr> {
        self.ch.sender(who).partial_close(self.amm.address(), ratio, limit).motsu_res()
    }

    pub fn add_margin(&self, who: Address, amount: U256) -> Result<(), BoxErr> {
        self.ch.sender(who).add_margin(self.amm.address(), amount).motsu_res()
    }

    pub fn remove_margin(&self, who: Address, amount: U256) -> Result<(), BoxErr> {
        self.ch.sender(who).remove_margin(self.amm.address(), amount).motsu_res()
    }

    pub fn liquidate(&self, keeper: Address, trader: Address) -> Result<(), BoxErr> {
        self.ch.sender(keeper).liquidate(self.amm.address(), trader).motsu_res()
    }

    pub fn pay_funding(&self) -> Result<(), BoxErr> {
        self.ch.sender(KEEPER).pay_funding(self.amm.address()).motsu_res()
    }

    /// `(size, margin, openNotional, lastCpf, block)`.
    pub fn position(&self, who: Address) -> (I256, U256, U256, I256, u64) {
        let (size, margin, open_notional, cpf, block) =
            self.ch.sender(who).get_position(self.amm.address(), who);
        (size, margin, open_notional, cpf, block.to())
    }

    pub fn size(&self, who: Address) -> I256 {
        self.position(who).0
    }

    pub fn margin(&self, who: Address) -> U256 {
        self.position(who).1
    }

    /// `(size, margin after funding, bad debt, funding payment)`.
    pub fn with_funding(&self, who: Address) -> (I256, U256, U256, I256) {
        self.ch.sender(who).get_position_with_funding_payment(self.amm.address(), who).unwrap()
    }

    pub fn margin_ratio(&self, who: Address) -> I256 {
        self.ch.sender(who).get_margin_ratio(self.amm.address(), who).unwrap()
    }

    pub fn reserves(&self) -> (U256, U256) {
        self.amm.sender(OWNER).get_reserves()
    }

    pub fn spot(&self) -> U256 {
        self.amm.sender(OWNER).get_spot_price().unwrap()
    }

    /// `(pool, insurance fund, accrued fees)`.
    pub fn books(&self) -> (U256, U256, U256) {
        let v = self.vault.sender(OWNER);
        (v.total_margin(), v.insurance_fund_balance(), v.accrued_fees())
    }

    pub fn insurance(&self) -> U256 {
        self.books().1
    }

    /// The vault's token balance in 18 decimals.
    pub fn vault_tokens(&self) -> U256 {
        self.token.sender(OWNER).balance_of(self.vault.address()) * self.scale()
    }

    /// Everything the tests compare before and after a rejected call.
    pub fn snapshot(&self, traders: &[Address]) -> Snapshot {
        Snapshot {
            reserves: self.reserves(),
            books: self.books(),
            vault_tokens: self.vault_tokens(),
            positions: traders.iter().map(|&t| self.position(t)).collect(),
            balances: traders.iter().map(|&t| self.balance(t)).collect(),
            market: self.ch.sender(OWNER).get_market(self.amm.address()),
        }
    }
}

/// State that a reverted call must leave untouched.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub reserves: (U256, U256),
    pub books: (U256, U256, U256),
    pub vault_tokens: U256,
    pub positions: Vec<(I256, U256, U256, I256, u64)>,
    pub balances: Vec<U256>,
    pub market: (bool, I256, u64, U256, U256),
}
