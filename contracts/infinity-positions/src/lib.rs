//! # Infinity positions
//!
//! The LP side of the Infinity system: positions that put the same liquidity in every bin of a
//! range of the Infinity pool (`pour`), withdraw unlent liquidity (`drain`) and collect the
//! swap fees and loan interest the bins earned (`collect`).
//!
//! The pool holds every token and the per-bin liquidity, lent amounts and fee growth; this
//! contract holds the position records. It is the only caller of the pool's
//! `modifyLiquidity` hook, like Uniswap v3's position manager over its core pool. LPs approve
//! the **pool**, which pulls their payments on this contract's instruction. Calls go one way:
//! LP → positions → pool → ERC-20.
//!
//! ## Why a separate contract
//!
//! Stylus caps a contract at 24 KiB of compressed WASM. The pool with swaps, the swapper
//! hooks and the position records did not fit; the position records are the clean seam.
//!
//! ## Accounting
//!
//! A position has liquidity `l` in each bin of `[startBin, stopBin]`. Fees and interest accrue
//! per bin as growth per unit of the bin's liquidity (Q128), so the position earned
//!
//! ```text
//! earned = ⌊ l · (Σ_range growth(now) − Σ_range growth(checkpoint)) / 2^128 ⌋     rounded down
//! ```
//!
//! The pool reports the range sums (`growthSums`, and with every `modifyLiquidity`); growth is
//! modular, so the difference is taken wrapping, as in Uniswap v3. Every position shares its
//! bins' lent fraction, fees and interest pro rata: lending does not pick positions.
//!
//! Rounding: `pour` pays the pool's rounded-up amounts, `drain` receives rounded-down amounts,
//! earnings round down.
//!
//! ## Storage
//!
//! `positions[id]`: owner and range (one slot), liquidity, the two growth sums at the last
//! checkpoint, and the two owed amounts.
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

use alloc::vec::Vec;

use alloy_primitives::{aliases::I24, Address, Bytes, I256, U256};
use alloy_sol_types::SolEvent;
use strata_common::{abi::Word, env, log, reentrancy::ReentrancyLock};
use stylus_sdk::{
    alloy_primitives::{Signed, U128},
    prelude::*,
    storage::{StorageAddress, StorageI32, StorageMap, StorageU128, StorageU256},
};

strata_common::sol_events! {
    /// `owner` opened position `positionId` and paid `amount0`, `amount1`.
    event Pour(address indexed owner, uint256 indexed positionId, int24 startBin, int24 stopBin, uint128 liquidityPerBin, uint256 amount0, uint256 amount1);
    /// `owner` withdrew `liquidityPerBin` from position `positionId` for `amount0`, `amount1`.
    event Drain(address indexed owner, uint256 indexed positionId, uint128 liquidityPerBin, uint256 amount0, uint256 amount1);
    /// `owner` collected the fees and interest of position `positionId`.
    event Collect(address indexed owner, uint256 indexed positionId, uint256 amount0, uint256 amount1);
}

alloy_sol_types::sol! {
    /// The pool address is zero.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPositionsZeroAddress();
    /// Zero liquidity.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPositionsZeroLiquidity();
    /// No position `positionId`.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPositionsUnknownPosition(uint256 positionId);
    /// `caller` does not own position `positionId`.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPositionsNotOwner(uint256 positionId, address caller);
    /// The position holds `available` liquidity per bin, less than `requested`.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPositionsInsufficientLiquidity(uint256 positionId, uint128 requested, uint128 available);
    /// The amounts due exceed the caller's maxima.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPositionsAmountAboveMax(uint256 amount0, uint256 amount1, uint256 amount0Max, uint256 amount1Max);
    /// The pool reverted with `reason` (an `InfinityPool*` error).
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPositionsPoolError(bytes reason);
    /// An amount overflowed.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPositionsOverflow();
    /// A guarded function was re-entered.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityPositionsReentrantCall();
}

/// Errors of the position manager.
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum Error {
    /// See [`InfinityPositionsZeroAddress`].
    ZeroAddress(InfinityPositionsZeroAddress),
    /// See [`InfinityPositionsZeroLiquidity`].
    ZeroLiquidity(InfinityPositionsZeroLiquidity),
    /// See [`InfinityPositionsUnknownPosition`].
    UnknownPosition(InfinityPositionsUnknownPosition),
    /// See [`InfinityPositionsNotOwner`].
    NotOwner(InfinityPositionsNotOwner),
    /// See [`InfinityPositionsInsufficientLiquidity`].
    InsufficientLiquidity(InfinityPositionsInsufficientLiquidity),
    /// See [`InfinityPositionsAmountAboveMax`].
    AmountAboveMax(InfinityPositionsAmountAboveMax),
    /// See [`InfinityPositionsPoolError`].
    PoolError(InfinityPositionsPoolError),
    /// See [`InfinityPositionsOverflow`].
    Overflow(InfinityPositionsOverflow),
    /// See [`InfinityPositionsReentrantCall`].
    ReentrantCall(InfinityPositionsReentrantCall),
}

mod iface {
    #![allow(missing_docs, non_snake_case, clippy::too_many_arguments)]
    stylus_sdk::prelude::sol_interface! {
        /// The Infinity pool's position-manager hook and growth view.
        interface IInfinityPool {
            function modifyLiquidity(address account, int24 startBin, int24 stopBin, int256 liquidityDelta, uint256 fees0, uint256 fees1) external returns (uint256 amount0, uint256 amount1, uint256 growthSum0X128, uint256 growthSum1X128);
            function growthSums(int24 startBin, int24 stopBin) external view returns (uint256 growthSum0X128, uint256 growthSum1X128);
        }
    }
}
use iface::IInfinityPool;

/// Maps a failed pool call to [`InfinityPositionsPoolError`] carrying the pool's revert data.
#[allow(deprecated)]
fn pool_error(e: stylus_sdk::call::Error) -> Error {
    let reason = match e {
        stylus_sdk::call::Error::Revert(data) => data,
        stylus_sdk::call::Error::AbiDecodingFailed(_) => Vec::new(),
    };
    Error::PoolError(InfinityPositionsPoolError { reason: Bytes::from(reason) })
}

/// `⌊growth · liquidity / 2^128⌋` for a Q128 growth without a 512-bit product: the high half
/// contributes exactly `hi · liquidity`, the low half `⌊lo · liquidity / 2^128⌋`.
///
/// # Errors
/// [`InfinityPositionsOverflow`] when the result exceeds 256 bits.
pub fn growth_times(growth: U256, liquidity: u128) -> Result<U256, Error> {
    let l = U256::from(liquidity);
    let overflow = || Error::Overflow(InfinityPositionsOverflow {});
    let hi = growth.wrapping_shr(128).checked_mul(l).ok_or_else(overflow)?;
    let lo = (growth & U256::from(u128::MAX)).saturating_mul(l).wrapping_shr(128);
    hi.checked_add(lo).ok_or_else(overflow)
}

/// One LP position.
#[storage]
pub struct Position {
    owner: StorageAddress,
    start_bin: StorageI32,
    stop_bin: StorageI32,
    liquidity: StorageU128,
    growth_sum0: StorageU256,
    growth_sum1: StorageU256,
    owed0: StorageU256,
    owed1: StorageU256,
}

/// The Infinity position manager.
#[entrypoint]
#[storage]
pub struct InfinityPositions {
    pool: StorageAddress,
    next_id: StorageU256,
    positions: StorageMap<U256, Position>,
    lock: ReentrancyLock,
}

fn s32(x: I24) -> Signed<32, 1> {
    Signed::<32, 1>::try_from(x.as_i32()).unwrap_or_default()
}

fn i24(x: Signed<32, 1>) -> I24 {
    I24::try_from(x.as_i32()).unwrap_or_default()
}

#[public]
impl InfinityPositions {
    /// Binds the manager to its pool (the pool's admin then wires this contract in).
    ///
    /// # Errors
    /// [`InfinityPositionsZeroAddress`].
    #[constructor]
    pub fn constructor(&mut self, pool: Address) -> Result<(), Error> {
        if pool.is_zero() {
            return Err(Error::ZeroAddress(InfinityPositionsZeroAddress {}));
        }
        self.pool.set(pool);
        self.next_id.set(U256::ONE);
        Ok(())
    }

    /// The pool.
    pub fn pool(&self) -> Address {
        self.pool.get()
    }

    /// Opens a position with `liquidityPerBin` in every bin of `[startBin, stopBin]` (at most 64
    /// bins). The pool pulls the amounts the bins need at the current price (rounded up) from
    /// the caller, who approved the pool.
    ///
    /// # Errors
    /// [`InfinityPositionsZeroLiquidity`], [`InfinityPositionsAmountAboveMax`],
    /// [`InfinityPositionsPoolError`] with the pool's range, overflow and payment errors.
    ///
    /// # Events
    /// `Pour` (and the pool's `LiquidityModified`).
    pub fn pour(
        &mut self,
        start_bin: I24,
        stop_bin: I24,
        liquidity_per_bin: u128,
        amount0_max: U256,
        amount1_max: U256,
    ) -> Result<(U256, U256, U256), Error> {
        self.enter()?;
        if liquidity_per_bin == 0 {
            return Err(Error::ZeroLiquidity(InfinityPositionsZeroLiquidity {}));
        }
        let owner = env::sender();
        let id = self.next_id.get();
        self.next_id
            .set(id.checked_add(U256::ONE).ok_or(Error::Overflow(InfinityPositionsOverflow {}))?);
        let delta = I256::try_from(liquidity_per_bin).unwrap_or_default();
        let (amount0, amount1, sum0, sum1) = IInfinityPool::new(self.pool.get())
            .modify_liquidity(&mut *self, owner, start_bin, stop_bin, delta, U256::ZERO, U256::ZERO)
            .map_err(pool_error)?;
        if amount0 > amount0_max || amount1 > amount1_max {
            return Err(Error::AmountAboveMax(InfinityPositionsAmountAboveMax {
                amount0,
                amount1,
                amount0Max: amount0_max,
                amount1Max: amount1_max,
            }));
        }
        let mut p = self.positions.setter(id);
        p.owner.set(owner);
        p.start_bin.set(s32(start_bin));
        p.stop_bin.set(s32(stop_bin));
        p.liquidity.set(U128::from(liquidity_per_bin));
        p.growth_sum0.set(sum0);
        p.growth_sum1.set(sum1);
        log::emit(
            &[Pour::SIGNATURE_HASH, owner.into_word(), log::topic(id)],
            &[start_bin.word(), stop_bin.word(), liquidity_per_bin.word(), amount0, amount1],
        );
        self.lock.exit();
        Ok((id, amount0, amount1))
    }

    /// Withdraws `liquidityPerBin` from every bin of the position; the pool pays its value at
    /// the current price (rounded down). Only unlent liquidity can leave; accrued fees stay
    /// collectable.
    ///
    /// # Errors
    /// [`InfinityPositionsUnknownPosition`], [`InfinityPositionsNotOwner`],
    /// [`InfinityPositionsZeroLiquidity`], [`InfinityPositionsInsufficientLiquidity`],
    /// [`InfinityPositionsPoolError`] (e.g. `InfinityPoolLiquidityUnavailable` when the bins
    /// are lent).
    ///
    /// # Events
    /// `Drain` (and the pool's `LiquidityModified`).
    pub fn drain(
        &mut self,
        position_id: U256,
        liquidity_per_bin: u128,
    ) -> Result<(U256, U256), Error> {
        self.enter()?;
        let owner = self.owned(position_id)?;
        if liquidity_per_bin == 0 {
            return Err(Error::ZeroLiquidity(InfinityPositionsZeroLiquidity {}));
        }
        let (start, stop, held) = self.range(position_id);
        if liquidity_per_bin > held {
            return Err(Error::InsufficientLiquidity(InfinityPositionsInsufficientLiquidity {
                positionId: position_id,
                requested: liquidity_per_bin,
                available: held,
            }));
        }
        let delta = I256::try_from(liquidity_per_bin).unwrap_or_default().wrapping_neg();
        let (amount0, amount1, sum0, sum1) = IInfinityPool::new(self.pool.get())
            .modify_liquidity(&mut *self, owner, start, stop, delta, U256::ZERO, U256::ZERO)
            .map_err(pool_error)?;
        // Growth does not change with liquidity: the sums accrue earnings at the old size.
        self.accrue(position_id, sum0, sum1)?;
        self.positions
            .setter(position_id)
            .liquidity
            .set(U128::from(held.saturating_sub(liquidity_per_bin)));
        log::emit(
            &[Drain::SIGNATURE_HASH, owner.into_word(), log::topic(position_id)],
            &[liquidity_per_bin.word(), amount0, amount1],
        );
        self.lock.exit();
        Ok((amount0, amount1))
    }

    /// Pays the position's accrued swap fees and loan interest (through the pool).
    ///
    /// # Errors
    /// [`InfinityPositionsUnknownPosition`], [`InfinityPositionsNotOwner`],
    /// [`InfinityPositionsPoolError`].
    ///
    /// # Events
    /// `Collect` (and the pool's `LiquidityModified` with zero liquidity).
    pub fn collect(&mut self, position_id: U256) -> Result<(U256, U256), Error> {
        self.enter()?;
        let owner = self.owned(position_id)?;
        let (start, stop, _) = self.range(position_id);
        let pool = IInfinityPool::new(self.pool.get());
        let (sum0, sum1) = pool.growth_sums(&*self, start, stop).map_err(pool_error)?;
        self.accrue(position_id, sum0, sum1)?;
        let mut p = self.positions.setter(position_id);
        let (amount0, amount1) = (p.owed0.get(), p.owed1.get());
        p.owed0.set(U256::ZERO);
        p.owed1.set(U256::ZERO);
        pool.modify_liquidity(&mut *self, owner, start, stop, I256::ZERO, amount0, amount1)
            .map_err(pool_error)?;
        log::emit(
            &[Collect::SIGNATURE_HASH, owner.into_word(), log::topic(position_id)],
            &[amount0, amount1],
        );
        self.lock.exit();
        Ok((amount0, amount1))
    }

    /// Owner, range and liquidity per bin of a position (zero owner when it does not exist).
    pub fn position(&self, position_id: U256) -> (Address, I24, I24, u128) {
        let (start, stop, liquidity) = self.range(position_id);
        (self.positions.getter(position_id).owner.get(), start, stop, liquidity)
    }

    /// Fees and interest `collect` would pay now.
    ///
    /// # Errors
    /// [`InfinityPositionsUnknownPosition`], [`InfinityPositionsPoolError`],
    /// [`InfinityPositionsOverflow`].
    pub fn collectable(&self, position_id: U256) -> Result<(U256, U256), Error> {
        if self.positions.getter(position_id).owner.get().is_zero() {
            return Err(Error::UnknownPosition(InfinityPositionsUnknownPosition {
                positionId: position_id,
            }));
        }
        let (start, stop, _) = self.range(position_id);
        let (sum0, sum1) = IInfinityPool::new(self.pool.get())
            .growth_sums(self, start, stop)
            .map_err(pool_error)?;
        let (owed0, owed1) = self.owed_at(position_id, sum0, sum1)?;
        Ok((owed0, owed1))
    }
}

impl InfinityPositions {
    fn enter(&mut self) -> Result<(), Error> {
        self.lock.enter().map_err(|_| Error::ReentrantCall(InfinityPositionsReentrantCall {}))
    }

    /// Owner of an existing position, which must be the caller.
    fn owned(&self, position_id: U256) -> Result<Address, Error> {
        let owner = self.positions.getter(position_id).owner.get();
        if owner.is_zero() {
            return Err(Error::UnknownPosition(InfinityPositionsUnknownPosition {
                positionId: position_id,
            }));
        }
        let caller = env::sender();
        if caller != owner {
            return Err(Error::NotOwner(InfinityPositionsNotOwner {
                positionId: position_id,
                caller,
            }));
        }
        Ok(owner)
    }

    fn range(&self, position_id: U256) -> (I24, I24, u128) {
        let p = self.positions.getter(position_id);
        (i24(p.start_bin.get()), i24(p.stop_bin.get()), p.liquidity.get().to::<u128>())
    }

    /// Owed amounts if the position were checkpointed at growth sums `sum0`, `sum1`.
    fn owed_at(&self, position_id: U256, sum0: U256, sum1: U256) -> Result<(U256, U256), Error> {
        let p = self.positions.getter(position_id);
        let l = p.liquidity.get().to::<u128>();
        // Modular growth: the wrapping difference is the growth since the checkpoint.
        let earned0 = growth_times(sum0.wrapping_sub(p.growth_sum0.get()), l)?;
        let earned1 = growth_times(sum1.wrapping_sub(p.growth_sum1.get()), l)?;
        let overflow = || Error::Overflow(InfinityPositionsOverflow {});
        Ok((
            p.owed0.get().checked_add(earned0).ok_or_else(overflow)?,
            p.owed1.get().checked_add(earned1).ok_or_else(overflow)?,
        ))
    }

    /// Moves earnings up to growth sums `sum0`, `sum1` into `owed` and checkpoints there.
    fn accrue(&mut self, position_id: U256, sum0: U256, sum1: U256) -> Result<(), Error> {
        let (owed0, owed1) = self.owed_at(position_id, sum0, sum1)?;
        let mut p = self.positions.setter(position_id);
        p.owed0.set(owed0);
        p.owed1.set(owed1);
        p.growth_sum0.set(sum0);
        p.growth_sum1.set(sum1);
        Ok(())
    }
}
