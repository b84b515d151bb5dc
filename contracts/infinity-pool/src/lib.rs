//! # Infinity pool
//!
//! The float pool of the Infinity system (InfinityPools model): binned concentrated
//! liquidity for one token pair, Uniswap v3 swap math, and the hooks of its two peripheries:
//! the `infinity-positions` position manager (LP positions: pour, drain, collect) and the
//! `swapper-manager`, which lends bins to traders and takes them back. This contract holds
//! every token of the system: LP liquidity, fees, swapper reserves and interest deposits.
//!
//! ## Grid
//!
//! Ticks as in Uniswap v3 (`price = 1.0001^tick`, `|tick| ≤ 887272`). Bin `i` covers ticks
//! `[i·binTicks, (i+1)·binTicks)`; only bins whose whole range lies inside the tick range can
//! hold liquidity. A bin with liquidity `L` behaves as a v3 position over the bin:
//!
//! ```text
//! amount0 = L · (1/√P − 1/√Pb)     amount1 = L · (√P − √Pa)      with √P clamped to [√Pa, √Pb]
//! ```
//!
//! A liquidity change (`modifyLiquidity`, from the position manager) adds or removes the same
//! liquidity in every bin of `[startBin, stopBin]` (at most [`MAX_RANGE_BINS`] bins), so its
//! token amounts are exactly those of one v3 position over
//! `[startBin·binTicks, (stopBin+1)·binTicks)`.
//!
//! ## Float and lent liquidity
//!
//! Each bin records its total liquidity `L` (Σ of the positions covering it) and `lent`, the
//! part on loan to swappers. Only `L − lent` trades. Lending is pro rata: every position in a
//! bin shares its fees, interest and lent fraction in proportion to its liquidity, and
//! `drain` can withdraw up to the bin's available liquidity.
//!
//! ## Fees and interest
//!
//! The swap fee (pips, taken from the input as in v3) and loan interest are credited per bin
//! as growth per unit of the bin's total liquidity, Q128 (`growth += amount · 2^128 / L`,
//! rounded down). Because a position has the same liquidity `l` in every bin of its range,
//! its earnings are `l · (Σ_range growth(now) − Σ_range growth(checkpoint)) / 2^128`: the
//! position manager stores only the two sums at a position's last checkpoint (`growthSums`).
//! Growth is modular (wrapping), as in Uniswap v3.
//!
//! ## Swaps
//!
//! `swap` walks bins from the current price toward the limit. A two-level bitmap (one bit
//! per bin with available liquidity, one summary bit per non-empty bitmap word) finds the
//! next liquid bin in a few reads, so empty stretches cost one iteration. Inside a bin the
//! step is v3's `computeSwapStep` at the bin's available liquidity. The walk is bounded by
//! [`MAX_SWAP_STEPS`] iterations; a swap that reaches the bound stops there (partial fill,
//! like reaching the price limit). `quoteSwap` runs the same walk without writing.
//!
//! ## Rounding (always toward the pool)
//!
//! - adding liquidity charges the v3 amounts rounded up; removing it pays them rounded down.
//! - swap input is rounded up, output down (v3); fee growth rounds down.
//! - `lend` moves what the bins hold at the current price, rounded down, from the LP side to
//!   the swapper side; `restore` takes back what rebuilds them, rounded up.
//!
//! ## Swapper hooks (callable only by the swapper manager)
//!
//! The pool keeps an *escrow* ledger per token: everything it holds on behalf of the
//! swapper manager (swapper reserves, interest deposits, keeper bonds). The manager keeps
//! the per-swapper records; the pool checks every escrow movement.
//!
//! - `lend` takes liquidity out of a range entirely above or below the price (recorded as
//!   lent) and moves its token value into escrow.
//! - `settle` pulls from / pays to a trader (who approved this pool) against escrow.
//! - `creditInterest` moves interest from escrow into the lent bins' growth.
//! - `restore` puts lent liquidity back and takes from escrow exactly what rebuilds it at
//!   the current price. When the swapper's reserves hold too little of one token, the
//!   surplus of the other is sold to the float pool for the shortfall (exact output). The
//!   swapper's reserves lie on the line through the range's two extreme compositions, which
//!   lies above the v3 curve, so that sale always suffices in exact arithmetic: buying the
//!   missing token along the restored range's own curve ends at a curve point with the
//!   same amount of it as the swapper, where the curve holds less of the other token than
//!   the line; other float liquidity on the way only improves the price. The sale pays the
//!   pool fee when the reserves allow it and runs fee-free otherwise, so a close never fails
//!   for lack of value.
//!
//! ## Call graph (one way, no callbacks)
//!
//! ```text
//! LP ──► InfinityPositions ──► InfinityPool ──► ERC-20 (transferFrom / transfer / balanceOf)
//! trader ──► InfinityPool (swap) ──► ERC-20
//!                      └─────────► InfinityMath (static calls: swap step, range amounts)
//! trader ──► SwapperManager ──► InfinityPool (lend / settle / creditInterest / restore, views) ──► ERC-20
//! ```
//!
//! The pool never calls the manager, and neither contract calls back into its caller.
//! Traders approve the pool, which pulls their payments on the manager's instruction.
//!
//! ## Size: math library, position manager and compact ABI
//!
//! Stylus caps a contract at 24 KiB of compressed WASM. With the v3 math compiled in, the
//! position records and the SDK's generated router, this contract measured about 37 KiB.
//! Three seams bring it under the limit without dropping behaviour: the v3 math lives in the
//! `infinity-math` library contract (one static call per swap step and per liquidity
//! change); LP position records live in the `infinity-positions` periphery; and calldata,
//! return data, events and errors are encoded by the shared word codec
//! (`strata_common::{abi, log}`) with a hand-written router ([`router`]) instead of
//! per-signature generated code. The methods keep
//! typed Rust signatures; the router only decodes words and calls them.
//!
//! ## Storage layout and gas
//!
//! | slot | contents |
//! |---|---|
//! | `slot0` | `sqrtPriceX96` (160 bits) and `tick` (32 bits), one slot |
//! | `bins[i]` | slot 0: `liquidity` and `lent` (`uint128` each); slot 1: `feeGrowth0X128`; slot 2: `feeGrowth1X128` |
//! | `bitmap[w]` | one bit per bin with available liquidity, 256 bins per word |
//! | `summary[g]` | one bit per non-zero bitmap word, 65,536 bins per word |
//!
//! Slots touched per swap step: in a liquid bin, the bin's bitmap word (read), the bin's
//! `liquidity|lent` slot (read) and one fee-growth slot (read + write, only when the step
//! charges a fee); a jump over empty bins reads the bitmap word and at most a few summary
//! words (one per 65,536 bins skipped). Per swap: `slot0` read + write, the reentrancy flag
//! (write + reset) and the two token transfers.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "export-abi", allow(missing_docs))]
#![cfg_attr(
    not(test),
    deny(
        clippy::arithmetic_side_effects,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
// The error enum mirrors the Solidity custom errors with their arguments; boxing the large
// variants would cost WASM size on every error path for no gain on the happy path.
#![allow(clippy::result_large_err)]
extern crate alloc;

mod engine;
pub mod router;

use alloc::vec::Vec;

use alloy_primitives::{aliases::U24, Address, I256, U256};
use alloy_sol_types::SolEvent;
use engine::{add, bin_bounds, i24, mul, u160};
pub use engine::{MAX_SWAP_STEPS, Q128};
use strata_common::{abi::Word, env, log, reentrancy::ReentrancyLock, token};
use strata_math::{MathError, MAX_SQRT_RATIO, MIN_SQRT_RATIO};
use stylus_sdk::{
    alloy_primitives::{Signed, U128, U32},
    prelude::*,
    storage::{
        StorageAddress, StorageI32, StorageMap, StorageU128, StorageU160, StorageU256, StorageU32,
    },
};

/// Most bins one position or one loan may span.
pub const MAX_RANGE_BINS: i32 = 64;
/// Widest allowed bin, in ticks (Uniswap v3's largest tick spacing).
pub const MAX_BIN_TICKS: i32 = 16_384;
/// Fee denominator: fees are in pips (millionths).
pub const FEE_DENOMINATOR_PIPS: u32 = 1_000_000;

strata_common::sol_events! {
    /// The position manager and the swapper manager were wired in (once).
    event PeripheriesSet(address indexed positionManager, address indexed swapperManager);
    /// The position manager changed the bins of `[startBin, stopBin]` by `liquidityDelta` for
    /// `account`, which paid (delta > 0) or received (delta < 0) `amount0`, `amount1`, and
    /// received `fees0`, `fees1` of collected fees and interest.
    event LiquidityModified(address indexed account, int24 startBin, int24 stopBin, int256 liquidityDelta, uint256 amount0, uint256 amount1, uint256 fees0, uint256 fees1);
    /// A swap (pool deltas: positive amounts entered the pool). The unwind conversion is
    /// reported with the pool itself as `recipient`.
    event Swap(address indexed sender, address indexed recipient, int256 amount0, int256 amount1, uint160 sqrtPriceX96, int24 tick);
    /// Liquidity of `[startBin, stopBin]` was lent; its value `amount0`, `amount1` moved into escrow.
    event Lend(int24 startBin, int24 stopBin, uint128 liquidityPerBin, uint256 amount0, uint256 amount1);
    /// Lent liquidity came back; `amount0`, `amount1` left escrow to rebuild it.
    event Restore(int24 startBin, int24 stopBin, uint128 liquidityPerBin, uint256 amount0, uint256 amount1);
    /// Escrow settlement with `account`: pulled `amount0In`, `amount1In`; paid `amount0Out`, `amount1Out`.
    event Settle(address indexed account, uint256 amount0In, uint256 amount1In, uint256 amount0Out, uint256 amount1Out);
    /// `amount` of interest (token1 when `token1`, else token0) was credited to `[startBin, stopBin]`.
    event InterestCredited(int24 startBin, int24 stopBin, bool token1, uint256 amount);
}

alloy_sol_types::sol! {
    /// The two token addresses are zero or equal.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolInvalidTokens(address token0, address token1);
    /// `binTicks` is not in `[1, 16384]`.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolInvalidBinTicks(int24 binTicks);
    /// The fee is not below 1,000,000 pips.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolInvalidFee(uint24 feePips);
    /// The initial price is outside `[MIN_SQRT_RATIO, MAX_SQRT_RATIO)`.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolInvalidPrice(uint160 sqrtPriceX96);
    /// An address argument is zero.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolZeroAddress();
    /// `caller` may not call this function.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolUnauthorized(address caller);
    /// The peripheries are already wired (`positionManager`, `swapperManager`).
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolAlreadyWired(address positionManager, address swapperManager);
    /// `startBin > stopBin`.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolInvalidRange(int24 startBin, int24 stopBin);
    /// The range spans `bins` bins, more than `maxBins`.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolRangeTooWide(uint256 bins, uint256 maxBins);
    /// `bin` is outside `[minBin, maxBin]`.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolBinOutOfRange(int24 bin, int24 minBin, int24 maxBin);
    /// Zero liquidity.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolZeroLiquidity();
    /// The liquidity of `bin` would exceed `uint128`.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolLiquidityOverflow(int24 bin);
    /// `token` delivered `received` where `expected` was due (fee-on-transfer tokens are not supported).
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolInsufficientPayment(address token, uint256 expected, uint256 received);
    /// A call to `token` failed.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolTokenCallFailed(address token);
    /// `bin` has `available` unlent liquidity, less than `requested`.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolLiquidityUnavailable(int24 bin, uint128 requested, uint128 available);
    /// A zero swap amount.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolZeroAmount();
    /// The price limit is on the wrong side of the price or outside the tick range.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolInvalidPriceLimit(uint160 sqrtPriceLimitX96, uint160 sqrtPriceX96);
    /// Tokens cannot be sent to the zero address.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolZeroRecipient();
    /// A loan range must lie entirely above or below the price.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolRangeContainsPrice(int24 startBin, int24 stopBin, uint160 sqrtPriceX96);
    /// `bin` has `lent` on loan, less than the `requested` return.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolNotLent(int24 bin, uint128 requested, uint128 lent);
    /// Escrow holds `available` of `token`, less than `needed`.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolEscrowShortfall(address token, uint256 needed, uint256 available);
    /// Rebuilding lent bins needs `need0`, `need1`; the reserves hold `reserve0`, `reserve1`.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolRestoreShortfall(uint256 need0, uint256 need1, uint256 reserve0, uint256 reserve1);
    /// The unwind conversion needs `needed` of the surplus token; the reserves hold `available`.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolConversionShortfall(uint256 needed, uint256 available);
    /// The growth to credit would pay LPs `credited`, more than the `total` taken from escrow.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolInterestExceedsTotal(uint256 credited, uint256 total);
    /// A guarded function was re-entered.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolReentrantCall();
    /// Arithmetic failure or a failed math-library call; `code` is `strata_math::MathError::code()`
    /// (zero when the library call itself failed).
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPoolMath(uint8 code);
}

strata_common::abi_errors! {
    InvalidTokens(InfinityPoolInvalidTokens { token0, token1 }),
    InvalidBinTicks(InfinityPoolInvalidBinTicks { binTicks }),
    InvalidFee(InfinityPoolInvalidFee { feePips }),
    InvalidPrice(InfinityPoolInvalidPrice { sqrtPriceX96 }),
    ZeroAddress(InfinityPoolZeroAddress {}),
    Unauthorized(InfinityPoolUnauthorized { caller }),
    AlreadyWired(InfinityPoolAlreadyWired { positionManager, swapperManager }),
    InvalidRange(InfinityPoolInvalidRange { startBin, stopBin }),
    RangeTooWide(InfinityPoolRangeTooWide { bins, maxBins }),
    BinOutOfRange(InfinityPoolBinOutOfRange { bin, minBin, maxBin }),
    ZeroLiquidity(InfinityPoolZeroLiquidity {}),
    LiquidityOverflow(InfinityPoolLiquidityOverflow { bin }),
    InsufficientPayment(InfinityPoolInsufficientPayment { token, expected, received }),
    TokenCallFailed(InfinityPoolTokenCallFailed { token }),
    LiquidityUnavailable(InfinityPoolLiquidityUnavailable { bin, requested, available }),
    ZeroAmount(InfinityPoolZeroAmount {}),
    InvalidPriceLimit(InfinityPoolInvalidPriceLimit { sqrtPriceLimitX96, sqrtPriceX96 }),
    ZeroRecipient(InfinityPoolZeroRecipient {}),
    RangeContainsPrice(InfinityPoolRangeContainsPrice { startBin, stopBin, sqrtPriceX96 }),
    NotLent(InfinityPoolNotLent { bin, requested, lent }),
    EscrowShortfall(InfinityPoolEscrowShortfall { token, needed, available }),
    RestoreShortfall(InfinityPoolRestoreShortfall { need0, need1, reserve0, reserve1 }),
    ConversionShortfall(InfinityPoolConversionShortfall { needed, available }),
    InterestExceedsTotal(InfinityPoolInterestExceedsTotal { credited, total }),
    ReentrantCall(InfinityPoolReentrantCall {}),
    Math(InfinityPoolMath { code }),
}

impl Error {
    pub(crate) fn math(e: MathError) -> Self {
        Error::Math(InfinityPoolMath { code: e.code() })
    }

    fn overflow() -> Self {
        Error::math(MathError::Overflow)
    }
}

impl From<MathError> for Error {
    fn from(e: MathError) -> Self {
        Error::math(e)
    }
}

/// One bin of the grid.
#[storage]
pub struct Bin {
    liquidity: StorageU128,
    lent: StorageU128,
    fee_growth0: StorageU256,
    fee_growth1: StorageU256,
}

/// The Infinity float pool.
#[entrypoint]
#[storage]
pub struct InfinityPool {
    token0: StorageAddress,
    token1: StorageAddress,
    bin_ticks: StorageI32,
    fee_pips: StorageU32,
    positions: StorageAddress,
    manager: StorageAddress,
    admin: StorageAddress,
    math: StorageAddress,
    sqrt_price: StorageU160,
    tick: StorageI32,
    escrow0: StorageU256,
    escrow1: StorageU256,
    bins: StorageMap<i32, Bin>,
    bitmap: StorageMap<i32, StorageU256>,
    summary: StorageMap<i32, StorageU256>,
    lock: ReentrancyLock,
}

fn s32(x: i32) -> Signed<32, 1> {
    Signed::<32, 1>::try_from(x).unwrap_or_default()
}

fn liq(x: u128) -> U128 {
    U128::from(x)
}

/// External functions (routed by [`router`]; names in the interface are camelCase).
impl InfinityPool {
    /// Creates the pool for `token0`/`token1` with bins of `binTicks` ticks, a swap fee of
    /// `feePips` millionths and the initial price `sqrtPriceX96`; `math` is the
    /// `infinity-math` library and `admin` may wire the swapper manager once.
    ///
    /// # Errors
    /// [`InfinityPoolZeroAddress`], [`InfinityPoolInvalidTokens`],
    /// [`InfinityPoolInvalidBinTicks`], [`InfinityPoolInvalidFee`], [`InfinityPoolInvalidPrice`].
    #[allow(clippy::too_many_arguments)]
    pub fn constructor(
        &mut self,
        admin: Address,
        math: Address,
        token0: Address,
        token1: Address,
        bin_ticks: i32,
        fee_pips: u32,
        sqrt_price_x96: U256,
    ) -> Result<(), Error> {
        if admin.is_zero() || math.is_zero() {
            return Err(Error::ZeroAddress(InfinityPoolZeroAddress {}));
        }
        if token0.is_zero() || token1.is_zero() || token0 == token1 {
            return Err(Error::InvalidTokens(InfinityPoolInvalidTokens { token0, token1 }));
        }
        if !(1..=MAX_BIN_TICKS).contains(&bin_ticks) {
            return Err(Error::InvalidBinTicks(InfinityPoolInvalidBinTicks {
                binTicks: i24(bin_ticks),
            }));
        }
        if fee_pips >= FEE_DENOMINATOR_PIPS {
            return Err(Error::InvalidFee(InfinityPoolInvalidFee {
                feePips: U24::saturating_from(fee_pips),
            }));
        }
        if sqrt_price_x96 < MIN_SQRT_RATIO || sqrt_price_x96 >= MAX_SQRT_RATIO {
            return Err(Error::InvalidPrice(InfinityPoolInvalidPrice {
                sqrtPriceX96: u160(sqrt_price_x96),
            }));
        }
        self.math.set(math);
        let tick = self.math_tick(sqrt_price_x96)?;
        self.admin.set(admin);
        self.token0.set(token0);
        self.token1.set(token1);
        self.bin_ticks.set(s32(bin_ticks));
        self.fee_pips.set(U32::from(fee_pips));
        self.sqrt_price.set(u160(sqrt_price_x96));
        self.tick.set(s32(tick));
        Ok(())
    }

    /// Wires the two peripheries, once: `positionManager` (the only caller of
    /// `modifyLiquidity`) and `swapperManager` (the only caller of the swapper hooks).
    ///
    /// # Errors
    /// [`InfinityPoolUnauthorized`] unless called by the admin; [`InfinityPoolAlreadyWired`];
    /// [`InfinityPoolZeroAddress`].
    ///
    /// # Events
    /// `PeripheriesSet`.
    pub fn set_peripheries(
        &mut self,
        position_manager: Address,
        swapper_manager: Address,
    ) -> Result<(), Error> {
        let caller = env::sender();
        if caller != self.admin.get() {
            return Err(Error::Unauthorized(InfinityPoolUnauthorized { caller }));
        }
        let (positions, manager) = (self.positions.get(), self.manager.get());
        if !manager.is_zero() {
            return Err(Error::AlreadyWired(InfinityPoolAlreadyWired {
                positionManager: positions,
                swapperManager: manager,
            }));
        }
        if position_manager.is_zero() || swapper_manager.is_zero() {
            return Err(Error::ZeroAddress(InfinityPoolZeroAddress {}));
        }
        self.positions.set(position_manager);
        self.manager.set(swapper_manager);
        log::emit(
            &[
                PeripheriesSet::SIGNATURE_HASH,
                position_manager.into_word(),
                swapper_manager.into_word(),
            ],
            &[],
        );
        Ok(())
    }

    /// Position-manager hook: changes every bin of `[startBin, stopBin]` by `liquidityDelta`
    /// for `account`. Adding liquidity pulls what the bins need at the current price (rounded
    /// up) from `account`, which approved this pool; removing it (unlent liquidity only) pays
    /// their value (rounded down) to `account`. Either way `fees0`, `fees1` of collected fees
    /// and interest are paid to `account`. Returns the amounts and the range's growth sums
    /// (Q128, modular) after the change.
    ///
    /// # Errors
    /// [`InfinityPoolUnauthorized`] unless called by the position manager;
    /// [`InfinityPoolZeroRecipient`]; the range checks ([`InfinityPoolInvalidRange`],
    /// [`InfinityPoolRangeTooWide`], [`InfinityPoolBinOutOfRange`]);
    /// [`InfinityPoolLiquidityOverflow`]; [`InfinityPoolLiquidityUnavailable`];
    /// [`InfinityPoolInsufficientPayment`]; [`InfinityPoolTokenCallFailed`].
    ///
    /// # Events
    /// `LiquidityModified`.
    pub fn modify_liquidity(
        &mut self,
        account: Address,
        start_bin: i32,
        stop_bin: i32,
        liquidity_delta: I256,
        fees0: U256,
        fees1: U256,
    ) -> Result<(U256, U256, U256, U256), Error> {
        let caller = env::sender();
        if caller.is_zero() || caller != self.positions.get() {
            return Err(Error::Unauthorized(InfinityPoolUnauthorized { caller }));
        }
        self.enter()?;
        if account.is_zero() {
            return Err(Error::ZeroRecipient(InfinityPoolZeroRecipient {}));
        }
        self.check_range(start_bin, stop_bin)?;
        let amount = u128::try_from(liquidity_delta.unsigned_abs()).map_err(|_| {
            Error::LiquidityOverflow(InfinityPoolLiquidityOverflow { bin: i24(start_bin) })
        })?;
        let adding = liquidity_delta.is_positive();
        let (amount0, amount1) = if amount == 0 {
            (U256::ZERO, U256::ZERO)
        } else {
            let change = if adding { Change::Pour } else { Change::Drain };
            self.update_bins(start_bin, stop_bin, amount, change)?;
            self.range_amounts(start_bin, stop_bin, amount, adding)?
        };
        let (t0, t1) = (self.token0.get(), self.token1.get());
        let (out0, out1) = if adding {
            pull(t0, account, amount0)?;
            pull(t1, account, amount1)?;
            (fees0, fees1)
        } else {
            (
                amount0.checked_add(fees0).ok_or_else(Error::overflow)?,
                amount1.checked_add(fees1).ok_or_else(Error::overflow)?,
            )
        };
        push(t0, account, out0)?;
        push(t1, account, out1)?;
        let (sum0, sum1) = self.sums(start_bin, stop_bin);
        log::emit(
            &[LiquidityModified::SIGNATURE_HASH, account.into_word()],
            &[
                start_bin.word(),
                stop_bin.word(),
                liquidity_delta.into_raw(),
                amount0,
                amount1,
                fees0,
                fees1,
            ],
        );
        self.lock.exit();
        Ok((amount0, amount1, sum0, sum1))
    }

    /// Swaps against the float pool: exact input when `amountSpecified > 0`, exact output when
    /// negative, stopping at `sqrtPriceLimitX96`. Pulls the input from the caller
    /// (`transferFrom`) and sends the output to `recipient`. Returns the pool's deltas
    /// (positive: paid in by the caller; negative: paid out).
    ///
    /// # Errors
    /// [`InfinityPoolZeroAmount`], [`InfinityPoolInvalidPriceLimit`],
    /// [`InfinityPoolZeroRecipient`], [`InfinityPoolInsufficientPayment`],
    /// [`InfinityPoolTokenCallFailed`], [`InfinityPoolMath`].
    ///
    /// # Events
    /// `Swap`.
    pub fn swap(
        &mut self,
        zero_for_one: bool,
        amount_specified: I256,
        sqrt_price_limit_x96: U256,
        recipient: Address,
    ) -> Result<(I256, I256), Error> {
        self.enter()?;
        if recipient.is_zero() {
            return Err(Error::ZeroRecipient(InfinityPoolZeroRecipient {}));
        }
        let walk = self.quote(zero_for_one, amount_specified, sqrt_price_limit_x96)?;
        self.apply(zero_for_one, &walk);
        let sender = env::sender();
        let (t0, t1) = (self.token0.get(), self.token1.get());
        let (token_in, amount_in, token_out, amount_out) = if zero_for_one {
            (t0, walk.amount0, t1, walk.amount1)
        } else {
            (t1, walk.amount1, t0, walk.amount0)
        };
        pull(token_in, sender, amount_in.unsigned_abs())?;
        push(token_out, recipient, amount_out.unsigned_abs())?;
        log_swap(sender, recipient, &walk);
        self.lock.exit();
        Ok((walk.amount0, walk.amount1))
    }

    /// What `swap` with the same arguments would return now (the same walk, not written).
    ///
    /// # Errors
    /// As [`Self::swap`] before any transfer.
    pub fn quote_swap(
        &self,
        zero_for_one: bool,
        amount_specified: I256,
        sqrt_price_limit_x96: U256,
    ) -> Result<(I256, I256), Error> {
        let walk = self.quote(zero_for_one, amount_specified, sqrt_price_limit_x96)?;
        Ok((walk.amount0, walk.amount1))
    }

    /// Current sqrt price (Q64.96) and tick.
    pub fn slot0(&self) -> (U256, i32) {
        self.price()
    }

    /// A bin's total liquidity, lent liquidity and fee growth per unit of liquidity (Q128).
    pub fn bin(&self, index: i32) -> (u128, u128, U256, U256) {
        let b = self.bins.getter(index);
        (
            b.liquidity.get().to::<u128>(),
            b.lent.get().to::<u128>(),
            b.fee_growth0.get(),
            b.fee_growth1.get(),
        )
    }

    /// Swap fee in pips (millionths).
    pub fn fee(&self) -> u32 {
        self.fee_pips.get().to::<u32>()
    }

    /// `liquidity` and `lent` of each bin of `[startBin, stopBin]`, interleaved:
    /// `[L(start), lent(start), L(start+1), lent(start+1), …]`.
    ///
    /// # Errors
    /// The range checks of [`Self::modify_liquidity`].
    pub fn bin_liquidity(&self, start_bin: i32, stop_bin: i32) -> Result<Vec<U256>, Error> {
        self.check_range(start_bin, stop_bin)?;
        let mut out = Vec::new();
        for bin in start_bin..=stop_bin {
            let (liquidity, lent) = self.bin_state(bin);
            out.push(U256::from(liquidity));
            out.push(U256::from(lent));
        }
        Ok(out)
    }

    /// Σ over `[startBin, stopBin]` of each token's fee growth (Q128, modular): a position with
    /// liquidity `l` in every bin of the range earned `l · ΔΣ / 2^128` between two readings.
    ///
    /// # Errors
    /// The range checks of [`Self::modify_liquidity`].
    pub fn growth_sums(&self, start_bin: i32, stop_bin: i32) -> Result<(U256, U256), Error> {
        self.check_range(start_bin, stop_bin)?;
        Ok(self.sums(start_bin, stop_bin))
    }

    /// Wiring: `(token0, token1, binTicks, feePips, positionManager, swapperManager, math)`.
    pub fn config(&self) -> (Address, Address, i32, u32, Address, Address, Address) {
        (
            self.token0.get(),
            self.token1.get(),
            self.bt(),
            self.fee(),
            self.positions.get(),
            self.manager.get(),
            self.math.get(),
        )
    }

    /// Tokens held for the swapper manager: swapper reserves, deposits, keeper bonds.
    pub fn escrow(&self) -> (U256, U256) {
        (self.escrow0.get(), self.escrow1.get())
    }

    /// Swapper hook: lends `liquidityPerBin` of every bin of `[startBin, stopBin]`, a range
    /// entirely above or below the price, and moves what the bins hold at the current price
    /// (rounded down) into escrow. Returns those amounts and whether the range is below the
    /// price (its liquidity is token1).
    ///
    /// # Errors
    /// [`InfinityPoolUnauthorized`] unless called by the swapper manager; the range checks of
    /// [`Self::modify_liquidity`]; [`InfinityPoolRangeContainsPrice`]; [`InfinityPoolLiquidityUnavailable`];
    /// (The swapper manager enforces its maximum utilisation.)
    ///
    /// # Events
    /// `Lend`.
    pub fn lend(
        &mut self,
        start_bin: i32,
        stop_bin: i32,
        liquidity_per_bin: u128,
    ) -> Result<(U256, U256, bool), Error> {
        self.only_manager()?;
        self.check_range(start_bin, stop_bin)?;
        nonzero(liquidity_per_bin)?;
        // Inside the range both amounts are positive, and rounded up they are at least one.
        let (up0, up1) = self.range_amounts(start_bin, stop_bin, liquidity_per_bin, true)?;
        if !up0.is_zero() && !up1.is_zero() {
            return Err(Error::RangeContainsPrice(InfinityPoolRangeContainsPrice {
                startBin: i24(start_bin),
                stopBin: i24(stop_bin),
                sqrtPriceX96: self.sqrt_price.get(),
            }));
        }
        self.update_bins(start_bin, stop_bin, liquidity_per_bin, Change::Lend)?;
        let (amount0, amount1) =
            self.range_amounts(start_bin, stop_bin, liquidity_per_bin, false)?;
        self.escrow_add(amount0, amount1)?;
        log_range(Lend::SIGNATURE_HASH, start_bin, stop_bin, liquidity_per_bin, amount0, amount1);
        Ok((amount0, amount1, up0.is_zero()))
    }

    /// Swapper hook: returns `liquidityPerBin` of lent liquidity to every bin of
    /// `[startBin, stopBin]` and takes from the swapper's escrowed `reserve0`, `reserve1`
    /// exactly what rebuilds it at the current price (rounded up). When one token is short,
    /// the surplus of the other is sold to the float pool for the shortfall (exact output;
    /// with the pool fee when affordable, fee-free otherwise). Returns what is left of the
    /// reserves, which stays in escrow for the manager to pay out, and `restored = true`.
    ///
    /// A conversion is a walk bounded by [`MAX_SWAP_STEPS`] liquid bins. When it cannot
    /// finish within the bound (more liquid bins lie between the price and the range than
    /// the bound, e.g. seeded there by a griefer), the bins stay lent and the call makes
    /// progress instead of reverting: it sells surplus fee-free through the float bins
    /// between the price and the range's near edge, never past it, and returns the swapper's
    /// new reserves with `restored = false`. Each such call crosses up to [`MAX_SWAP_STEPS`]
    /// liquid bins, so a repeated `restore` reaches the range and completes.
    ///
    /// # Errors
    /// [`InfinityPoolUnauthorized`] unless called by the swapper manager; the range checks;
    /// [`InfinityPoolNotLent`]; [`InfinityPoolEscrowShortfall`];
    /// [`InfinityPoolRestoreShortfall`] / [`InfinityPoolConversionShortfall`] only if the
    /// reserves are below the line (never for reserves the manager built).
    ///
    /// # Events
    /// `Restore` when restored, and `Swap` (recipient: the pool) when a conversion ran.
    pub fn restore(
        &mut self,
        start_bin: i32,
        stop_bin: i32,
        liquidity_per_bin: u128,
        reserve0: U256,
        reserve1: U256,
    ) -> Result<(U256, U256, bool), Error> {
        self.only_manager()?;
        self.check_range(start_bin, stop_bin)?;
        self.escrow_check(reserve0, reserve1)?;
        self.update_bins(start_bin, stop_bin, liquidity_per_bin, Change::Restore)?;
        let (need0, need1) = self.range_amounts(start_bin, stop_bin, liquidity_per_bin, true)?;
        // A conversion buys the short token with the surplus of the other: token1 for
        // token0 moves the price up (`zero_for_one = false`), token0 for token1 down.
        let (zero_for_one, shortfall, surplus) = match (reserve0 >= need0, reserve1 >= need1) {
            // No conversion.
            (true, true) => (false, U256::ZERO, U256::ZERO),
            (false, true) => {
                (false, need0.saturating_sub(reserve0), reserve1.saturating_sub(need1))
            }
            (true, false) => (true, need1.saturating_sub(reserve1), reserve0.saturating_sub(need0)),
            (false, false) => {
                return Err(Error::RestoreShortfall(InfinityPoolRestoreShortfall {
                    need0,
                    need1,
                    reserve0,
                    reserve1,
                }));
            }
        };
        let left = if shortfall.is_zero() {
            // The subtractions cannot underflow.
            (reserve0.saturating_sub(need0), reserve1.saturating_sub(need1))
        } else {
            let limit = if zero_for_one {
                MIN_SQRT_RATIO.saturating_add(U256::ONE)
            } else {
                MAX_SQRT_RATIO.saturating_sub(U256::ONE)
            };
            let amount = negative(shortfall)?;
            let walk = self.walk(zero_for_one, amount, limit, self.fee())?;
            if !walk.filled {
                // The surplus token's need is zero when the range lies beyond the price.
                let beyond = if zero_for_one { need0.is_zero() } else { need1.is_zero() };
                return self.cross_gap(
                    (start_bin, stop_bin, liquidity_per_bin),
                    walk,
                    (reserve0, reserve1),
                    (zero_for_one, shortfall, surplus),
                    beyond,
                );
            }
            // The pool fee when the surplus affords it, fee-free otherwise.
            let walk = if paid_by(zero_for_one, &walk) > surplus {
                walk.without_fee(zero_for_one)
            } else {
                walk
            };
            let rest = surplus.saturating_sub(self.convert(zero_for_one, &walk, surplus)?);
            if zero_for_one {
                (rest, U256::ZERO)
            } else {
                (U256::ZERO, rest)
            }
        };
        // Escrow releases what the rebuild and the conversion consumed.
        self.escrow_sub(reserve0.saturating_sub(left.0), reserve1.saturating_sub(left.1))?;
        log_range(Restore::SIGNATURE_HASH, start_bin, stop_bin, liquidity_per_bin, need0, need1);
        Ok((left.0, left.1, true))
    }

    /// Swapper hook: pulls `amount0In`, `amount1In` from `account` (which approved this pool)
    /// into escrow and pays `amount0Out`, `amount1Out` from escrow to `account`.
    ///
    /// # Errors
    /// [`InfinityPoolUnauthorized`] unless called by the swapper manager;
    /// [`InfinityPoolZeroRecipient`]; [`InfinityPoolEscrowShortfall`];
    /// [`InfinityPoolInsufficientPayment`]; [`InfinityPoolTokenCallFailed`].
    ///
    /// # Events
    /// `Settle`.
    pub fn settle(
        &mut self,
        account: Address,
        amount0_in: U256,
        amount1_in: U256,
        amount0_out: U256,
        amount1_out: U256,
    ) -> Result<(), Error> {
        self.only_manager()?;
        self.enter()?;
        if account.is_zero() {
            return Err(Error::ZeroRecipient(InfinityPoolZeroRecipient {}));
        }
        self.escrow_add(amount0_in, amount1_in)?;
        self.escrow_sub(amount0_out, amount1_out)?;
        let (t0, t1) = (self.token0.get(), self.token1.get());
        pull(t0, account, amount0_in)?;
        pull(t1, account, amount1_in)?;
        push(t0, account, amount0_out)?;
        push(t1, account, amount1_out)?;
        log::emit(
            &[Settle::SIGNATURE_HASH, account.into_word()],
            &[amount0_in, amount1_in, amount0_out, amount1_out],
        );
        self.lock.exit();
        Ok(())
    }

    /// Swapper hook: takes `total` of interest (token1 when `token1`, else token0) from escrow
    /// and adds `growthX128[i]` to the fee growth of bin `startBin + i`, to be collected by the
    /// bins' LPs in proportion to their liquidity. The pool checks that the growth cannot pay
    /// out more than `total`: `Σ ⌊growth_i · L_i / 2^128⌋ ≤ total`.
    ///
    /// # Errors
    /// [`InfinityPoolUnauthorized`] unless called by the swapper manager; the range checks;
    /// [`InfinityPoolInterestExceedsTotal`]; [`InfinityPoolEscrowShortfall`].
    ///
    /// # Events
    /// `InterestCredited`.
    pub fn credit_interest(
        &mut self,
        start_bin: i32,
        token1: bool,
        total: U256,
        growth_x128: Vec<U256>,
    ) -> Result<(), Error> {
        self.only_manager()?;
        let count = i32::try_from(growth_x128.len()).unwrap_or(i32::MAX);
        let stop_bin = start_bin.saturating_add(count.max(1)).saturating_sub(1);
        self.check_range(start_bin, stop_bin)?;
        let mut credited = U256::ZERO;
        for (bin, growth) in (start_bin..=stop_bin).zip(growth_x128) {
            let (liquidity, _) = self.bin_state(bin);
            let share = growth_times(growth, liquidity)?;
            credited = credited.checked_add(share).ok_or_else(Error::overflow)?;
            self.add_growth(bin, token1, growth);
        }
        if credited > total {
            return Err(Error::InterestExceedsTotal(InfinityPoolInterestExceedsTotal {
                credited,
                total,
            }));
        }
        if token1 {
            self.escrow_sub(U256::ZERO, total)?;
        } else {
            self.escrow_sub(total, U256::ZERO)?;
        }
        log::emit(
            &[InterestCredited::SIGNATURE_HASH],
            &[start_bin.word(), stop_bin.word(), token1.word(), total],
        );
        Ok(())
    }
}

/// What a conversion walk takes in: token0 when selling token0 (`zero_for_one`), else token1.
fn paid_by(zero_for_one: bool, walk: &engine::Walk) -> U256 {
    (if zero_for_one { walk.amount0 } else { walk.amount1 }).unsigned_abs()
}

/// `−x` as a signed amount (an exact-output request).
fn negative(x: U256) -> Result<I256, Error> {
    I256::try_from(x).map_err(|_| Error::overflow())?.checked_neg().ok_or_else(Error::overflow)
}

/// `⌊growth · liquidity / 2^128⌋` for a Q128 growth, without a 512-bit product: the high
/// half contributes exactly `hi · liquidity`, the low half `⌊lo · liquidity / 2^128⌋`.
fn growth_times(growth: U256, liquidity: u128) -> Result<U256, Error> {
    let l = U256::from(liquidity);
    let hi = growth.wrapping_shr(128).checked_mul(l).ok_or_else(Error::overflow)?;
    let lo = (growth & U256::from(u128::MAX)).saturating_mul(l).wrapping_shr(128);
    hi.checked_add(lo).ok_or_else(Error::overflow)
}

/// How [`InfinityPool::update_bins`] changes each bin.
#[derive(Clone, Copy)]
enum Change {
    /// Add liquidity.
    Pour,
    /// Remove unlent liquidity.
    Drain,
    /// Lend unlent liquidity.
    Lend,
    /// Return lent liquidity.
    Restore,
}

fn nonzero(liquidity: u128) -> Result<(), Error> {
    if liquidity == 0 {
        return Err(Error::ZeroLiquidity(InfinityPoolZeroLiquidity {}));
    }
    Ok(())
}

impl InfinityPool {
    fn enter(&mut self) -> Result<(), Error> {
        self.lock.enter().map_err(|_| Error::ReentrantCall(InfinityPoolReentrantCall {}))
    }

    fn only_manager(&self) -> Result<(), Error> {
        let caller = env::sender();
        if caller.is_zero() || caller != self.manager.get() {
            return Err(Error::Unauthorized(InfinityPoolUnauthorized { caller }));
        }
        Ok(())
    }

    /// Applies `change` of `amount` to every bin of `[start, stop]` and keeps the bitmap in
    /// step with each bin's available (unlent) liquidity.
    fn update_bins(
        &mut self,
        start: i32,
        stop: i32,
        amount: u128,
        change: Change,
    ) -> Result<(), Error> {
        for bin in start..=stop {
            let (liquidity, lent) = self.bin_state(bin);
            let available = liquidity.saturating_sub(lent);
            if matches!(change, Change::Drain | Change::Lend) && available < amount {
                return Err(Error::LiquidityUnavailable(InfinityPoolLiquidityUnavailable {
                    bin: i24(bin),
                    requested: amount,
                    available,
                }));
            }
            // Checked above: available >= amount for drain and lend.
            let (new_liquidity, new_lent) = match change {
                Change::Pour => match liquidity.checked_add(amount) {
                    Some(l) => (l, lent),
                    None => {
                        return Err(Error::LiquidityOverflow(InfinityPoolLiquidityOverflow {
                            bin: i24(bin),
                        }))
                    }
                },
                Change::Drain => (liquidity.saturating_sub(amount), lent),
                Change::Lend => (liquidity, lent.saturating_add(amount)),
                Change::Restore => match lent.checked_sub(amount) {
                    Some(l) => (liquidity, l),
                    None => {
                        return Err(Error::NotLent(InfinityPoolNotLent {
                            bin: i24(bin),
                            requested: amount,
                            lent,
                        }))
                    }
                },
            };
            let mut b = self.bins.setter(bin);
            b.liquidity.set(liq(new_liquidity));
            b.lent.set(liq(new_lent));
            drop(b);
            let now_available = new_liquidity.saturating_sub(new_lent);
            if (available == 0) != (now_available == 0) {
                self.mark(bin, now_available > 0);
            }
        }
        Ok(())
    }

    /// Validates a bin range: ordered, at most [`MAX_RANGE_BINS`] bins, inside the grid.
    fn check_range(&self, start: i32, stop: i32) -> Result<(), Error> {
        if start > stop {
            return Err(Error::InvalidRange(InfinityPoolInvalidRange {
                startBin: i24(start),
                stopBin: i24(stop),
            }));
        }
        let bins = i64::from(stop).saturating_sub(i64::from(start)).saturating_add(1);
        if bins > i64::from(MAX_RANGE_BINS) {
            return Err(Error::RangeTooWide(InfinityPoolRangeTooWide {
                bins: U256::from(bins.unsigned_abs()),
                maxBins: U256::from(MAX_RANGE_BINS.unsigned_abs()),
            }));
        }
        let (min_bin, max_bin) = bin_bounds(self.bt());
        for bin in [start, stop] {
            if bin < min_bin || bin > max_bin {
                return Err(Error::BinOutOfRange(InfinityPoolBinOutOfRange {
                    bin: i24(bin),
                    minBin: i24(min_bin),
                    maxBin: i24(max_bin),
                }));
            }
        }
        Ok(())
    }

    /// Σ over `[start, stop]` of each token's fee growth (modular).
    fn sums(&self, start: i32, stop: i32) -> (U256, U256) {
        let (mut sum0, mut sum1) = (U256::ZERO, U256::ZERO);
        for bin in start..=stop {
            let b = self.bins.getter(bin);
            sum0 = sum0.wrapping_add(b.fee_growth0.get());
            sum1 = sum1.wrapping_add(b.fee_growth1.get());
        }
        (sum0, sum1)
    }

    /// Adds `delta` to a bin's fee growth of token1 (`token1`) or token0. Growth is modular,
    /// as in Uniswap v3: positions take wrapping differences.
    pub(crate) fn add_growth(&mut self, bin: i32, token1: bool, delta: U256) {
        let mut b = self.bins.setter(bin);
        if token1 {
            let g = b.fee_growth1.get();
            b.fee_growth1.set(g.wrapping_add(delta));
        } else {
            let g = b.fee_growth0.get();
            b.fee_growth0.set(g.wrapping_add(delta));
        }
    }

    /// Validates swap arguments and walks the pool at the pool fee.
    fn quote(
        &self,
        zero_for_one: bool,
        amount_specified: I256,
        limit: U256,
    ) -> Result<engine::Walk, Error> {
        if amount_specified.is_zero() {
            return Err(Error::ZeroAmount(InfinityPoolZeroAmount {}));
        }
        let (sqrt_p, _) = self.price();
        let valid = if zero_for_one {
            limit < sqrt_p && limit > MIN_SQRT_RATIO
        } else {
            limit > sqrt_p && limit < MAX_SQRT_RATIO
        };
        if !valid {
            return Err(Error::InvalidPriceLimit(InfinityPoolInvalidPriceLimit {
                sqrtPriceLimitX96: u160(limit),
                sqrtPriceX96: u160(sqrt_p),
            }));
        }
        self.walk(zero_for_one, amount_specified, limit, self.fee())
    }

    /// Writes an unwind conversion `walk` (which buys the shortfall token with the other)
    /// if it costs at most `surplus`, and returns what it cost.
    fn convert(
        &mut self,
        zero_for_one: bool,
        walk: &engine::Walk,
        surplus: U256,
    ) -> Result<U256, Error> {
        let paid = paid_by(zero_for_one, walk);
        if paid > surplus {
            return Err(Error::ConversionShortfall(InfinityPoolConversionShortfall {
                needed: paid,
                available: surplus,
            }));
        }
        self.apply(zero_for_one, walk);
        log_swap(env::sender(), env::this(), walk);
        Ok(paid)
    }

    /// A restore whose conversion `walk` ran out of steps. Within the range a conversion
    /// always fills (the restored bins alone hold the shortfall, and a range has at most
    /// [`MAX_RANGE_BINS`] bins), so the range lies beyond the price and the steps went to the
    /// bins in between. Lends the bins back (nothing moved since they were restored), sells
    /// surplus fee-free through the gap up to the range's near edge, and returns the new
    /// reserves with `restored = false`.
    fn cross_gap(
        &mut self,
        (start, stop, liquidity): (i32, i32, u128),
        walk: engine::Walk,
        (reserve0, reserve1): (U256, U256),
        (zero_for_one, shortfall, surplus): (bool, U256, U256),
        beyond: bool,
    ) -> Result<(U256, U256, bool), Error> {
        let bt = self.bt();
        let edge = if zero_for_one { mul(add(stop, 1)?, bt)? } else { mul(start, bt)? };
        if !beyond {
            return Err(Error::ConversionShortfall(InfinityPoolConversionShortfall {
                needed: paid_by(zero_for_one, &walk),
                available: surplus,
            }));
        }
        self.update_bins(start, stop, liquidity, Change::Lend)?;
        let short_of_edge = if zero_for_one { walk.tick >= edge } else { walk.tick < edge };
        let walk = if short_of_edge {
            // The walk never reached the range: the same path holds with the bins lent.
            walk.without_fee(zero_for_one)
        } else {
            self.walk(zero_for_one, negative(shortfall)?, self.math_sqrt_price(edge)?, 0)?
        };
        let paid = self.convert(zero_for_one, &walk, surplus)?;
        let got = (if zero_for_one { walk.amount1 } else { walk.amount0 }).unsigned_abs();
        let (r0, r1) = if zero_for_one {
            self.escrow_sub(paid, U256::ZERO)?;
            self.escrow_add(U256::ZERO, got)?;
            (reserve0.saturating_sub(paid), reserve1.checked_add(got).ok_or_else(Error::overflow)?)
        } else {
            self.escrow_sub(U256::ZERO, paid)?;
            self.escrow_add(got, U256::ZERO)?;
            (reserve0.checked_add(got).ok_or_else(Error::overflow)?, reserve1.saturating_sub(paid))
        };
        Ok((r0, r1, false))
    }

    fn escrow_add(&mut self, amount0: U256, amount1: U256) -> Result<(), Error> {
        let e0 = self.escrow0.get().checked_add(amount0).ok_or_else(Error::overflow)?;
        let e1 = self.escrow1.get().checked_add(amount1).ok_or_else(Error::overflow)?;
        self.escrow0.set(e0);
        self.escrow1.set(e1);
        Ok(())
    }

    fn escrow_check(&self, amount0: U256, amount1: U256) -> Result<(U256, U256), Error> {
        let (e0, e1) = (self.escrow0.get(), self.escrow1.get());
        let (token, needed, available) = if amount0 > e0 {
            (self.token0.get(), amount0, e0)
        } else if amount1 > e1 {
            (self.token1.get(), amount1, e1)
        } else {
            return Ok((e0.saturating_sub(amount0), e1.saturating_sub(amount1)));
        };
        Err(Error::EscrowShortfall(InfinityPoolEscrowShortfall { token, needed, available }))
    }

    fn escrow_sub(&mut self, amount0: U256, amount1: U256) -> Result<(), Error> {
        let (e0, e1) = self.escrow_check(amount0, amount1)?;
        self.escrow0.set(e0);
        self.escrow1.set(e1);
        Ok(())
    }
}

fn log_swap(sender: Address, recipient: Address, walk: &engine::Walk) {
    log::emit(
        &[Swap::SIGNATURE_HASH, sender.into_word(), recipient.into_word()],
        &[walk.amount0.into_raw(), walk.amount1.into_raw(), walk.sqrt_price, walk.tick.word()],
    );
}

fn log_range(topic: alloy_primitives::B256, start: i32, stop: i32, l: u128, a0: U256, a1: U256) {
    log::emit(&[topic], &[start.word(), stop.word(), U256::from(l), a0, a1]);
}

/// Pulls exactly `amount` of `token` from `from`; a shortfall (fee-on-transfer) reverts.
fn pull(token: Address, from: Address, amount: U256) -> Result<(), Error> {
    let received = token::pull(token, from, amount)
        .map_err(|_| Error::TokenCallFailed(InfinityPoolTokenCallFailed { token }))?;
    if received < amount {
        return Err(Error::InsufficientPayment(InfinityPoolInsufficientPayment {
            token,
            expected: amount,
            received,
        }));
    }
    Ok(())
}

fn push(token: Address, to: Address, amount: U256) -> Result<(), Error> {
    token::safe_transfer(token, to, amount)
        .map_err(|_| Error::TokenCallFailed(InfinityPoolTokenCallFailed { token }))
}
