//! Shared fixtures and independent references for the Infinity tests.
//!
//! - [`World`]: two mock tokens, the math library, the pool and the position manager, wired
//!   together, with a stand-in address for the swapper manager (part 1) or the real manager.
//! - [`v3`]: Uniswap v3 swap-step and amount formulas re-derived with big integers, the
//!   independent expectation for the pool's single-bin swaps.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::missing_panics_doc,
    clippy::must_use_candidate,
    clippy::unreadable_literal,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap,
    clippy::module_name_repetitions,
    clippy::missing_errors_doc,
    clippy::result_large_err,
    clippy::nonminimal_bool,
    missing_docs,
    unreachable_pub,
    reason = "test support code: panics are test failures and values are bounded by construction"
)]

pub mod v3;

use alloy_primitives::{aliases::I24, Address, FixedBytes, I256, U256};
pub use infinity_math::InfinityMath;
pub use infinity_pool::InfinityPool;
pub use infinity_positions::InfinityPositions;
pub use mock_erc20::MockErc20;
use motsu::prelude::*;
pub use swapper_manager::SwapperManager;

/// One whole token (18 decimals).
pub const E18: u128 = 1_000_000_000_000_000_000;
/// `2^96`.
pub const Q96: U256 = U256::from_limbs([0, 1 << 32, 0, 0]);

/// Proptest cases per property: `PROPTEST_CASES` or `default`.
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// `√(1.0001^tick) · 2^96` from `strata_math` (the tick math is tested there against v3).
pub fn sqrt_at(tick: i32) -> U256 {
    strata_math::get_sqrt_ratio_at_tick(tick).unwrap()
}

pub fn i24(x: i32) -> I24 {
    I24::try_from(x).unwrap()
}

pub fn u(x: u128) -> U256 {
    U256::from(x)
}

pub fn i(x: i128) -> I256 {
    I256::try_from(x).unwrap()
}

/// The contracts of one Infinity deployment.
pub struct World {
    pub token0: Contract<MockErc20>,
    pub token1: Contract<MockErc20>,
    pub math: Contract<InfinityMath>,
    pub pool: Contract<InfinityPool>,
    pub positions: Contract<InfinityPositions>,
    pub admin: Address,
    /// The swapper manager as the pool knows it (a plain account in part-1 tests).
    pub hooks: Address,
}

impl World {
    /// A pool with bins of `bin_ticks`, fee `fee_pips` and price `sqrt_price`, its position
    /// manager, and `hooks` wired as the swapper manager.
    pub fn new(bin_ticks: i32, fee_pips: u32, sqrt_price: U256, hooks: Address) -> Self {
        let w = Self::unwired(bin_ticks, fee_pips, sqrt_price, hooks);
        w.pool.sender(w.admin).set_peripheries(w.positions.address(), hooks).motsu_unwrap();
        w
    }

    /// The contracts, deployed but with the pool's peripheries not yet wired.
    pub fn unwired(bin_ticks: i32, fee_pips: u32, sqrt_price: U256, hooks: Address) -> Self {
        let admin = Address::from([0xad; 20]);
        let w = World {
            token0: Contract::new(),
            token1: Contract::new(),
            math: Contract::new(),
            pool: Contract::new(),
            positions: Contract::new(),
            admin,
            hooks,
        };
        w.token0.sender(admin).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
        w.token1.sender(admin).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
        w.pool
            .sender(admin)
            .constructor(
                admin,
                w.math.address(),
                w.token0.address(),
                w.token1.address(),
                bin_ticks,
                fee_pips,
                sqrt_price,
            )
            .motsu_unwrap();
        w.positions.sender(admin).constructor(w.pool.address()).motsu_unwrap();
        w
    }

    /// Mints `amount0`, `amount1` to `who` and approves the pool for everything.
    pub fn fund(&self, who: Address, amount0: U256, amount1: U256) {
        self.token0.sender(who).mint(who, amount0).motsu_unwrap();
        self.token1.sender(who).mint(who, amount1).motsu_unwrap();
        self.token0.sender(who).approve(self.pool.address(), U256::MAX).motsu_unwrap();
        self.token1.sender(who).approve(self.pool.address(), U256::MAX).motsu_unwrap();
    }

    /// `(token0, token1)` balance of `who`.
    pub fn balances(&self, who: Address) -> (U256, U256) {
        (self.token0.sender(who).balance_of(who), self.token1.sender(who).balance_of(who))
    }

    /// `(token0, token1)` held by the pool.
    pub fn pool_balances(&self) -> (U256, U256) {
        self.balances(self.pool.address())
    }

    /// Opens a position for `who` with unlimited maxima.
    pub fn pour(&self, who: Address, start: i32, stop: i32, l: u128) -> (U256, U256, U256) {
        self.positions
            .sender(who)
            .pour(i24(start), i24(stop), l, U256::MAX, U256::MAX)
            .motsu_unwrap()
    }

    /// `(sqrtPriceX96, tick)`.
    pub fn price(&self) -> (U256, i32) {
        self.pool.sender(self.admin).slot0()
    }

    /// `(liquidity, lent)` of a bin.
    pub fn bin(&self, bin: i32) -> (u128, u128) {
        let (l, lent, _, _) = self.pool.sender(self.admin).bin(bin);
        (l, lent)
    }

    /// A swap by `who` (funded and approved) to itself.
    pub fn swap(
        &self,
        who: Address,
        zero_for_one: bool,
        amount: I256,
        limit: U256,
    ) -> Result<(I256, I256), infinity_pool::Error> {
        self.pool.sender(who).swap(zero_for_one, amount, limit, who).motsu_res()
    }
}

/// The lowest and highest valid sqrt-price limits for a swap direction.
pub fn extreme_limit(zero_for_one: bool) -> U256 {
    if zero_for_one {
        strata_math::MIN_SQRT_RATIO + U256::ONE
    } else {
        strata_math::MAX_SQRT_RATIO - U256::ONE
    }
}

/// Interest parameters of a test market.
#[derive(Clone, Copy, Debug)]
pub struct Params {
    pub base_rate: U256,
    pub max_utilisation: U256,
    pub discount: U256,
    pub keeper0: U256,
    pub keeper1: U256,
}

impl Default for Params {
    /// 5% a year (per second, WAD), 90% maximum utilisation, 10% fixed-term discount, keeper
    /// bonds of 0.001 token.
    fn default() -> Self {
        Params {
            base_rate: U256::from(1_585_489_599_u64),
            max_utilisation: U256::from(900_000_000_000_000_000_u128),
            discount: U256::from(100_000_000_000_000_000_u128),
            keeper0: U256::from(1_000_000_000_000_000_u128),
            keeper1: U256::from(1_000_000_000_000_000_u128),
        }
    }
}

/// A deployment with the real swapper manager wired in.
pub struct Market {
    pub w: World,
    pub manager: Contract<SwapperManager>,
}

impl Market {
    pub fn new(bin_ticks: i32, fee_pips: u32, sqrt_price: U256, params: Params) -> Self {
        let manager = Contract::<SwapperManager>::new();
        let w = World::unwired(bin_ticks, fee_pips, sqrt_price, manager.address());
        manager
            .sender(w.admin)
            .constructor(
                w.pool.address(),
                w.math.address(),
                params.base_rate,
                params.max_utilisation,
                params.discount,
                params.keeper0,
                params.keeper1,
            )
            .motsu_unwrap();
        w.pool
            .sender(w.admin)
            .set_peripheries(w.positions.address(), manager.address())
            .motsu_unwrap();
        Market { w, manager }
    }

    /// Opens a loan at time `now` for `trader` (funded and approved).
    #[allow(clippy::too_many_arguments)]
    pub fn loan(
        &self,
        now: u64,
        trader: Address,
        start: i32,
        stop: i32,
        l: u128,
        mix: U256,
        loan_type: u8,
        term: u64,
        deposit: U256,
    ) -> Result<U256, swapper_manager::Error> {
        self.manager
            .sender(trader)
            .new_loan_at(now, trader, start, stop, l, mix, loan_type, term, U256::MAX, deposit)
            .motsu_res()
    }

    /// The swapper view at time `now`.
    pub fn swapper(&self, now: u64, id: U256) -> swapper_manager::SwapperView {
        self.manager.sender(self.w.admin).swapper_at(now, id)
    }
}

/// `1e18`.
pub const WAD: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);

/// Serialises the tests of this crate. motsu 0.10 keeps every contract's storage in one
/// process-wide map whose shards are locked for the length of a call, and gives up after ten
/// 1 ms back-offs ("storage is locked") when another test thread holds the shard: under load
/// that fails tests at random. Every test takes this lock first.
pub fn serial() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
