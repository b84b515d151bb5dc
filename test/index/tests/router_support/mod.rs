//! Fixtures shared by the `router_*` suites: two finalized pools over mock tokens, one of
//! them holding a pi-token, the index router and its lens, and a funded user.
//!
//! ```text
//! pool1: A (10), B (10), piC (5)       balances 1000e18 A, 1000e18 B, 1000e18 piC (over 1000e18 C)
//! pool2: B (12.5), D (12.5)            balances 2000e18 B, 500e18 D
//! ```
//!
//! The weights reach their targets before motsu's fixed clock `T0` (the pools are set up
//! through `bind_at(T0 − 1000, ..)`), so every router call, which the pools serve at `T0`,
//! sees the final weights. The pi-token's router is a plain account (`pi_router`) so tests
//! can stake and simulate yield directly.
// Test support: a lookup of an unknown token is a bug in the test itself.
#![allow(dead_code, unreachable_pub, clippy::panic)]

use alloy_primitives::{uint, Address, FixedBytes, U256};
use index_pool::IndexPool;
use index_router::IndexRouter;
use index_router_lens::IndexRouterLens;
use mock_erc20::MockErc20;
use mock_venue::MockVenue;
use motsu::prelude::*;
use pi_token::PiToken;
use weighted_math::WeightedMath;

/// motsu's fixed block timestamp.
pub const T0: u64 = 1_735_689_600;
pub const E18: U256 = uint!(1_000_000_000_000_000_000_U256);
/// A deadline that has not passed at `T0`.
pub const DEADLINE: U256 = uint!(1_735_689_700_U256);
/// 0.3% swap fee.
pub const SWAP_FEE: U256 = uint!(3_000_000_000_000_000_U256);
/// Lets any weight schedule through.
pub const ANY_RATE: U256 = uint!(100_000_000_000_000_000_000_U256);

pub fn e18(v: u64) -> U256 {
    U256::from(v) * E18
}

/// Serialises motsu-heavy property tests within one binary (see `pool_support::serial`).
pub fn serial() -> std::sync::MutexGuard<'static, ()> {
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

pub fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000)
}

/// A new pool controlled by `owner` with the math library, before any token is bound.
pub fn new_pool(owner: Address, math: &Contract<WeightedMath>) -> Contract<IndexPool> {
    let pool = Contract::<IndexPool>::new();
    pool.sender(owner)
        .constructor(
            FixedBytes::ZERO,
            FixedBytes::ZERO,
            owner,
            U256::ZERO,
            ANY_RATE,
            Address::with_last_byte(0xA1),
            Address::with_last_byte(0xA2),
            Address::with_last_byte(0xA3),
            math.address(),
        )
        .motsu_unwrap();
    pool
}

/// Binds `token` (already approved to the pool by `owner`) so its weight is `weight` from
/// before `T0`.
pub fn bind(
    pool: &Contract<IndexPool>,
    owner: Address,
    token: Address,
    balance: U256,
    weight: U256,
) {
    pool.sender(owner)
        .bind_at(T0 - 1_000, token, balance, weight, U256::from(T0 - 1_000), U256::from(T0 - 999))
        .motsu_unwrap();
}

/// A mock 18-decimal token.
pub fn token() -> Contract<MockErc20> {
    let t = Contract::<MockErc20>::new();
    t.sender(Address::with_last_byte(1)).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
    t
}

/// Mints `amount` to `to` and approves `spender` for everything.
pub fn fund(t: &Contract<MockErc20>, to: Address, amount: U256, spender: Address) {
    t.sender(to).mint(to, amount).motsu_unwrap();
    t.sender(to).approve(spender, U256::MAX).motsu_unwrap();
}

pub struct System {
    pub owner: Address,
    pub user: Address,
    pub pi_router: Address,
    pub math: Contract<WeightedMath>,
    pub pool1: Contract<IndexPool>,
    pub pool2: Contract<IndexPool>,
    pub a: Contract<MockErc20>,
    pub b: Contract<MockErc20>,
    pub c: Contract<MockErc20>,
    pub d: Contract<MockErc20>,
    pub venue: Contract<MockVenue>,
    pub pic: Contract<PiToken>,
    pub lens: Contract<IndexRouterLens>,
    pub router: Contract<IndexRouter>,
}

impl System {
    /// Both pools, the pi-token, the router and its lens, and `user` holding
    /// 10,000e18 of A, B and D, 8,000e18 of C and 2,000e18 piC, all approved to the router.
    pub fn new() -> Self {
        let owner = Address::with_last_byte(0x0A);
        let user = Address::with_last_byte(0x05);
        let pi_router = Address::with_last_byte(0x0B);
        let math = Contract::<WeightedMath>::new();
        let (a, b, c, d) = (token(), token(), token(), token());
        let venue = Contract::<MockVenue>::new();
        venue.sender(owner).constructor(c.address());
        let pic = Contract::<PiToken>::new();
        pic.sender(owner)
            .constructor(
                FixedBytes::ZERO,
                FixedBytes::ZERO,
                c.address(),
                venue.address(),
                pi_router,
            )
            .motsu_unwrap();

        let pool1 = new_pool(owner, &math);
        fund(&a, owner, e18(1_000), pool1.address());
        fund(&b, owner, e18(1_000), pool1.address());
        fund(&c, owner, e18(1_000), pic.address());
        pic.sender(owner).deposit(e18(1_000)).motsu_unwrap();
        pic.sender(owner).approve(pool1.address(), U256::MAX).motsu_unwrap();
        bind(&pool1, owner, a.address(), e18(1_000), e18(10));
        bind(&pool1, owner, b.address(), e18(1_000), e18(10));
        bind(&pool1, owner, pic.address(), e18(1_000), e18(5));
        pool1.sender(owner).set_swap_fee(SWAP_FEE).motsu_unwrap();
        pool1.sender(owner).finalize().motsu_unwrap();

        let pool2 = new_pool(owner, &math);
        fund(&b, owner, e18(2_000), pool2.address());
        fund(&d, owner, e18(500), pool2.address());
        bind(&pool2, owner, b.address(), e18(2_000), uint!(12_500_000_000_000_000_000_U256));
        bind(&pool2, owner, d.address(), e18(500), uint!(12_500_000_000_000_000_000_U256));
        pool2.sender(owner).set_swap_fee(SWAP_FEE).motsu_unwrap();
        pool2.sender(owner).finalize().motsu_unwrap();

        let lens = Contract::<IndexRouterLens>::new();
        let router = Contract::<IndexRouter>::new();
        router.sender(owner).constructor(lens.address()).motsu_unwrap();

        for t in [&a, &b, &c, &d] {
            fund(t, user, e18(10_000), router.address());
        }
        // The user also holds 2,000e18 piC (from C), approved to the router.
        c.sender(user).approve(pic.address(), U256::MAX).motsu_unwrap();
        pic.sender(user).deposit(e18(2_000)).motsu_unwrap();
        pic.sender(user).approve(router.address(), U256::MAX).motsu_unwrap();
        Self { owner, user, pi_router, math, pool1, pool2, a, b, c, d, venue, pic, lens, router }
    }

    /// The lens as the router calls it (forwarding `quote*`): quotes for the router's fees.
    pub fn quoter(&self) -> ContractCall<'_, IndexRouterLens> {
        self.lens.sender(self.router.address())
    }

    /// Community fees on both pools (swap, join, exit) paid to `receiver`.
    pub fn set_community_fees(&self, swap: U256, join: U256, exit: U256, receiver: Address) {
        for pool in [&self.pool1, &self.pool2] {
            pool.sender(self.owner)
                .set_community_fees_and_receiver(swap, join, exit, receiver)
                .motsu_unwrap();
        }
    }

    /// Every token the router could touch.
    pub fn tokens(&self) -> Vec<Address> {
        vec![
            self.a.address(),
            self.b.address(),
            self.c.address(),
            self.d.address(),
            self.pic.address(),
            self.pool1.address(),
            self.pool2.address(),
        ]
    }

    /// `account`'s balance of `token` (any token of the system).
    pub fn balance(&self, token: Address, account: Address) -> U256 {
        let who = Address::with_last_byte(0xEE);
        if token == self.pic.address() {
            return self.pic.sender(who).balance_of(account);
        }
        if token == self.pool1.address() {
            return self.pool1.sender(who).balance_of(account);
        }
        if token == self.pool2.address() {
            return self.pool2.sender(who).balance_of(account);
        }
        for t in [&self.a, &self.b, &self.c, &self.d] {
            if t.address() == token {
                return t.sender(who).balance_of(account);
            }
        }
        panic!("unknown token {token}")
    }

    /// `owner`'s allowance to `spender` on `token`.
    pub fn allowance(&self, token: Address, owner: Address, spender: Address) -> U256 {
        let who = Address::with_last_byte(0xEE);
        if token == self.pic.address() {
            return self.pic.sender(who).allowance(owner, spender);
        }
        if token == self.pool1.address() {
            return self.pool1.sender(who).allowance(owner, spender);
        }
        if token == self.pool2.address() {
            return self.pool2.sender(who).allowance(owner, spender);
        }
        for t in [&self.a, &self.b, &self.c, &self.d] {
            if t.address() == token {
                return t.sender(who).allowance(owner, spender);
            }
        }
        panic!("unknown token {token}")
    }

    /// Asserts the router holds no token and no allowance of its own is left.
    pub fn assert_router_empty(&self) {
        let router = self.router.address();
        let spenders =
            [self.pool1.address(), self.pool2.address(), self.pic.address(), self.venue.address()];
        for token in self.tokens() {
            assert_eq!(self.balance(token, router), U256::ZERO, "the router holds {token}");
            for spender in spenders {
                assert_eq!(
                    self.allowance(token, router, spender),
                    U256::ZERO,
                    "the router left an allowance on {token} to {spender}"
                );
            }
        }
    }

    /// Every balance a failed call must leave untouched: each token for the user, the
    /// router, both pools, the pi-token and the venue; supplies; recorded pool balances.
    pub fn snapshot(&self) -> Vec<U256> {
        let who = Address::with_last_byte(0xEE);
        let holders = [
            self.user,
            self.router.address(),
            self.pool1.address(),
            self.pool2.address(),
            self.pic.address(),
            self.venue.address(),
        ];
        let mut out = Vec::new();
        for token in self.tokens() {
            for &h in &holders {
                out.push(self.balance(token, h));
            }
        }
        out.push(self.pic.sender(who).total_supply());
        out.push(self.pool1.sender(who).total_supply());
        out.push(self.pool2.sender(who).total_supply());
        for t in self.pool1.sender(who).current_tokens() {
            out.push(self.pool1.sender(who).recorded_balance(t).unwrap());
        }
        for t in self.pool2.sender(who).current_tokens() {
            out.push(self.pool2.sender(who).recorded_balance(t).unwrap());
        }
        out
    }
}
