//! Fixtures shared by the `pool_*` suites: a finalized pool over mock tokens with the math
//! library deployed, funded users, and read-outs of everything the invariants compare.
//!
//! Time-dependent pool logic runs through the `*_at(now, ..)` methods (motsu's clock is
//! fixed at [`T0`]); the pool's other parts (swaps, liquidity, admin) run in-process, exactly
//! as the deployed pool's fallback reaches them by `DELEGATECALL`.
#![allow(dead_code, unreachable_pub)]

use alloy_primitives::{uint, Address, FixedBytes, U256};
use index_pool::{Error, IndexPool};
use mock_erc20::MockErc20;
use motsu::prelude::*;
use num_bigint::BigUint;
use weighted_math::WeightedMath;

/// motsu's fixed block timestamp.
pub const T0: u64 = 1_735_689_600;
pub const E18: U256 = uint!(1_000_000_000_000_000_000_U256);
/// Weight-rate bound that allows any schedule.
pub const ANY_RATE: U256 = uint!(100_000_000_000_000_000_000_U256);

pub fn e18(v: u64) -> U256 {
    U256::from(v) * E18
}

pub fn ts(t: u64) -> U256 {
    U256::from(t)
}

/// Revert data of a pool error.
pub fn enc(e: impl Into<Error>) -> Vec<u8> {
    Vec::from(e.into())
}

/// Serialises motsu-heavy test cases within one test binary. motsu keeps every thread's VM
/// in one sharded map and gives up ("storage is locked") after ten 1 ms retries when another
/// thread holds the shard, which parallel property tests on two cores can exceed.
pub fn serial() -> std::sync::MutexGuard<'static, ()> {
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

pub fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000)
}

pub fn big(v: U256) -> BigUint {
    BigUint::from_bytes_be(&v.to_be_bytes::<32>())
}

/// A finalized pool and its tokens.
pub struct Fixture {
    pub pool: Contract<IndexPool>,
    pub math: Contract<WeightedMath>,
    pub tokens: Vec<Contract<MockErc20>>,
    pub ctrl: Address,
}

impl Fixture {
    /// Binds one token per `(balance, weight)` at `T0`, scheduled to reach `weight` at
    /// `ready` (weights start at `MIN_WEIGHT`), sets `swap_fee` and finalizes: the controller
    /// holds the initial 100e18 shares.
    pub fn new(balances: &[U256], weights: &[U256], swap_fee: U256, ready: u64) -> Self {
        let pool = Contract::<IndexPool>::new();
        let math = Contract::<WeightedMath>::new();
        let ctrl = Address::with_last_byte(0xC0);
        pool.sender(ctrl)
            .constructor(
                FixedBytes::ZERO,
                FixedBytes::ZERO,
                ctrl,
                U256::ZERO,
                ANY_RATE,
                Address::with_last_byte(0xA1),
                Address::with_last_byte(0xA2),
                Address::with_last_byte(0xA3),
                math.address(),
            )
            .motsu_unwrap();
        let tokens: Vec<Contract<MockErc20>> = balances.iter().map(|_| Contract::new()).collect();
        for ((token, &balance), &weight) in tokens.iter().zip(balances).zip(weights) {
            token.sender(ctrl).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
            token.sender(ctrl).mint(ctrl, balance).motsu_unwrap();
            token.sender(ctrl).approve(pool.address(), U256::MAX).motsu_unwrap();
            pool.sender(ctrl)
                .bind_at(T0, token.address(), balance, weight, ts(T0), ts(ready))
                .motsu_unwrap();
        }
        pool.sender(ctrl).set_swap_fee(swap_fee).motsu_unwrap();
        pool.sender(ctrl).finalize().motsu_unwrap();
        Self { pool, math, tokens, ctrl }
    }

    /// Gives `user` `amount` of every token, approved to the pool.
    pub fn fund(&self, user: Address, amount: U256) {
        for token in &self.tokens {
            token.sender(user).mint(user, amount).motsu_unwrap();
            token.sender(user).approve(self.pool.address(), U256::MAX).motsu_unwrap();
        }
    }

    pub fn token(&self, i: usize) -> Address {
        self.tokens[i].address()
    }

    /// The pool's recorded balance of token `i`.
    pub fn recorded(&self, i: usize) -> U256 {
        self.pool.sender(self.ctrl).recorded_balance(self.token(i)).unwrap()
    }

    /// The pool's real balance of token `i`.
    pub fn held(&self, i: usize) -> U256 {
        self.tokens[i].sender(self.ctrl).balance_of(self.pool.address())
    }

    /// `user`'s balance of token `i`.
    pub fn balance(&self, i: usize, user: Address) -> U256 {
        self.tokens[i].sender(user).balance_of(user)
    }

    pub fn shares(&self, user: Address) -> U256 {
        self.pool.sender(user).balance_of(user)
    }

    pub fn supply(&self) -> U256 {
        self.pool.sender(self.ctrl).total_supply()
    }

    pub fn weight(&self, i: usize, now: u64) -> U256 {
        self.pool.sender(self.ctrl).weight_of_at(now, self.token(i)).unwrap()
    }

    /// Everything a failed call must leave untouched, for `users`.
    pub fn snapshot(&self, users: &[Address]) -> Vec<U256> {
        let mut out = vec![self.supply()];
        for i in 0..self.tokens.len() {
            out.push(self.recorded(i));
            out.push(self.held(i));
            let (from_ts, target_ts, from_w, target_w) =
                self.pool.sender(self.ctrl).dynamic_weight_settings(self.token(i)).unwrap();
            out.extend([from_ts, target_ts, from_w, target_w]);
            out.extend(users.iter().map(|&u| self.balance(i, u)));
        }
        out.extend(users.iter().map(|&u| self.shares(u)));
        out
    }
}

/// `a^x · b^y >= c^x · d^y` exactly (big integers), for the invariant `V = Π B_i^W_i`
/// restricted to the two tokens a swap moves, with integer weight ratios `x : y`.
pub fn weighted_product_not_smaller(
    after_a: U256,
    after_b: U256,
    before_a: U256,
    before_b: U256,
    weight_a: u32,
    weight_b: u32,
) -> bool {
    big(after_a).pow(weight_a) * big(after_b).pow(weight_b)
        >= big(before_a).pow(weight_a) * big(before_b).pow(weight_b)
}
