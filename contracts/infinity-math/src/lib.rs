//! # Infinity math
//!
//! A stateless library contract with the Uniswap v3 math of the Infinity system: tick ↔ sqrt
//! price, position amounts over a tick range, and one swap step inside a bin. It wraps the
//! exact ports in `strata_math` (tested against Uniswap v3-core's vectors and a big-integer
//! reference) and holds no storage and no tokens.
//!
//! ## Why a separate contract
//!
//! Stylus limits a contract to 24 KiB of compressed WASM. The float pool's swap walk, LP
//! positions and swapper hooks with the v3 math compiled in measure about 37 KiB; the math
//! alone is about 8 KiB of that. The pool (and the swapper manager) call this contract
//! with static calls instead: one call per swap step, one per liquidity change. Calls go one
//! way (pool → math, manager → math); this contract calls nothing.
//!
//! ## Functions
//!
//! ```text
//! swapStep      one v3 computeSwapStep toward a bin edge (or the price limit), the tick after
//!               it (v3 convention at an edge), and the fee growth per unit of liquidity (Q128)
//! rangeAmounts  amount0 = L·(1/√P − 1/√Pb), amount1 = L·(√P − √Pa), √P clamped to [√Pa, √Pb]
//! binAmounts    the token0 (or token1) a bin holds when fully on that side, for each of up to
//!               64 consecutive bins
//! ```
//!
//! Rounding is the caller's choice where it matters (`roundUp`) and otherwise that of v3:
//! swap input and fee rounded up, output rounded down; fee growth rounded down.
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

use alloy_primitives::{
    aliases::{I24, U160, U24},
    I256, U256,
};
use strata_math::{
    compute_swap_step, get_amount0_delta, get_amount1_delta, get_sqrt_ratio_at_tick,
    get_tick_at_sqrt_ratio, mul_div_down, MathError,
};
use stylus_sdk::prelude::*;

/// `2^128`: fee growth is Q128 per unit of liquidity.
pub const Q128: U256 = U256::from_limbs([0, 0, 1, 0]);
/// Most bins `binAmounts` computes in one call.
pub const MAX_BINS: u32 = 64;

/// This contract emits no events.
pub const EVENTS_ABI: &[&str] = &[];

alloy_sol_types::sol! {
    /// A math function refused its inputs; `code` is `strata_math::MathError::code()`.
    #[derive(Debug, PartialEq, Eq)]
    error InfinityMathFailure(uint8 code);
    /// `binAmounts` was asked for `bins` bins (at most 64, at least 1).
    #[derive(Debug, PartialEq, Eq)]
    error InfinityMathBinCount(uint256 bins);
}

/// Errors of the math library.
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum Error {
    /// See [`InfinityMathFailure`].
    Failure(InfinityMathFailure),
    /// See [`InfinityMathBinCount`].
    BinCount(InfinityMathBinCount),
}

impl From<MathError> for Error {
    fn from(e: MathError) -> Self {
        Error::Failure(InfinityMathFailure { code: e.code() })
    }
}

/// Result of [`step`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// Sqrt price after the step.
    pub sqrt_next: U256,
    /// Tick after the step.
    pub tick: i32,
    /// Input swapped, fee excluded (rounded up).
    pub amount_in: U256,
    /// Output (rounded down).
    pub amount_out: U256,
    /// Fee taken from the input (rounded up).
    pub fee_amount: U256,
    /// `feeAmount · 2^128 / liquidity`, rounded down (zero for zero liquidity).
    pub fee_growth: U256,
}

/// One step of the float pool's swap walk.
///
/// Moves from `sqrt_p` (at `tick`) toward the sqrt price of `edge_tick`, stopping at `limit`
/// if that comes first. With `available > 0` the step is v3's `computeSwapStep` at that
/// liquidity; with none the price moves straight to the target. The tick after the step is
/// `edge_tick − 1` (down) or `edge_tick` (up) at the edge, `getTickAtSqrtRatio` inside the
/// bin, and `tick` when the price did not move. `liquidity` is the bin's total liquidity,
/// the denominator of the fee growth.
///
/// # Errors
/// [`MathError`] codes from the v3 functions (bad price, fee ≥ 1e6 pips, overflow).
#[allow(clippy::too_many_arguments)]
pub fn step(
    zero_for_one: bool,
    sqrt_p: U256,
    tick: i32,
    edge_tick: i32,
    limit: U256,
    available: u128,
    liquidity: u128,
    remaining: I256,
    fee_pips: u32,
) -> Result<Step, MathError> {
    let edge = get_sqrt_ratio_at_tick(edge_tick)?;
    let target = if zero_for_one { edge.max(limit) } else { edge.min(limit) };
    let (sqrt_next, amount_in, amount_out, fee_amount) = if available == 0 {
        (target, U256::ZERO, U256::ZERO, U256::ZERO)
    } else {
        let s = compute_swap_step(sqrt_p, target, available, remaining, fee_pips)?;
        (s.sqrt_next, s.amount_in, s.amount_out, s.fee_amount)
    };
    let tick = if sqrt_next == edge {
        if zero_for_one {
            edge_tick.checked_sub(1).ok_or(MathError::TickOutOfBounds)?
        } else {
            edge_tick
        }
    } else if sqrt_next == sqrt_p {
        tick
    } else {
        get_tick_at_sqrt_ratio(sqrt_next)?
    };
    let fee_growth = if fee_amount.is_zero() || liquidity == 0 {
        U256::ZERO
    } else {
        mul_div_down(fee_amount, Q128, U256::from(liquidity))?
    };
    Ok(Step { sqrt_next, tick, amount_in, amount_out, fee_amount, fee_growth })
}

/// Token amounts of `liquidity` over the tick range `[tick_lower, tick_upper]` at `sqrt_p`.
///
/// # Errors
/// [`MathError::TickOutOfBounds`] for ticks outside the v3 range.
pub fn range_amounts(
    sqrt_p: U256,
    tick_lower: i32,
    tick_upper: i32,
    liquidity: u128,
    round_up: bool,
) -> Result<(U256, U256), MathError> {
    let sqrt_a = get_sqrt_ratio_at_tick(tick_lower)?;
    let sqrt_b = get_sqrt_ratio_at_tick(tick_upper)?;
    let price = sqrt_p.clamp(sqrt_a, sqrt_b.max(sqrt_a));
    let amount0 = get_amount0_delta(price, sqrt_b, liquidity, round_up)?;
    let amount1 = get_amount1_delta(sqrt_a, price, liquidity, round_up)?;
    Ok((amount0, amount1))
}

/// For `bins` consecutive bins of `bin_ticks` ticks from `start_tick`, the token1 (`token1`)
/// or token0 each holds with `liquidity`, rounded up.
///
/// # Errors
/// [`MathError::TickOutOfBounds`] for ticks outside the v3 range, [`MathError::Overflow`].
pub fn bin_amounts(
    start_tick: i32,
    bin_ticks: i32,
    bins: u32,
    liquidity: u128,
    token1: bool,
) -> Result<Vec<U256>, MathError> {
    let mut out = Vec::new();
    let mut lower = start_tick;
    let mut sqrt_a = get_sqrt_ratio_at_tick(lower)?;
    for _ in 0..bins {
        let upper = lower.checked_add(bin_ticks).ok_or(MathError::Overflow)?;
        let sqrt_b = get_sqrt_ratio_at_tick(upper)?;
        out.push(if token1 {
            get_amount1_delta(sqrt_a, sqrt_b, liquidity, true)?
        } else {
            get_amount0_delta(sqrt_a, sqrt_b, liquidity, true)?
        });
        (lower, sqrt_a) = (upper, sqrt_b);
    }
    Ok(out)
}

fn u160(x: U256) -> U160 {
    // Sqrt prices are below 2^160.
    U160::saturating_from(x)
}

fn i24(x: i32) -> I24 {
    // Ticks are within ±887272.
    I24::try_from(x).unwrap_or_default()
}

/// The math library (no storage).
#[entrypoint]
#[storage]
pub struct InfinityMath {}

#[public]
impl InfinityMath {
    /// One swap step toward the edge `edgeTick` of a bin (see [`step`]).
    ///
    /// # Errors
    /// [`InfinityMathFailure`] when the v3 math refuses the inputs.
    #[allow(clippy::too_many_arguments)]
    pub fn swap_step(
        &self,
        zero_for_one: bool,
        sqrt_price_x96: U160,
        tick: I24,
        edge_tick: I24,
        sqrt_price_limit_x96: U160,
        available: u128,
        liquidity: u128,
        amount_remaining: I256,
        fee_pips: U24,
    ) -> Result<(U160, I24, U256, U256, U256, U256), Error> {
        let s = step(
            zero_for_one,
            U256::from(sqrt_price_x96),
            tick.as_i32(),
            edge_tick.as_i32(),
            U256::from(sqrt_price_limit_x96),
            available,
            liquidity,
            amount_remaining,
            fee_pips.to::<u32>(),
        )?;
        Ok((u160(s.sqrt_next), i24(s.tick), s.amount_in, s.amount_out, s.fee_amount, s.fee_growth))
    }

    /// Amounts of `liquidity` over `[tickLower, tickUpper]` at `sqrtPriceX96`, rounded up or
    /// down (see [`range_amounts`]).
    ///
    /// # Errors
    /// [`InfinityMathFailure`] for ticks outside the v3 range.
    pub fn range_amounts(
        &self,
        sqrt_price_x96: U160,
        tick_lower: I24,
        tick_upper: I24,
        liquidity: u128,
        round_up: bool,
    ) -> Result<(U256, U256), Error> {
        Ok(range_amounts(
            U256::from(sqrt_price_x96),
            tick_lower.as_i32(),
            tick_upper.as_i32(),
            liquidity,
            round_up,
        )?)
    }

    /// Per-bin token0 (or token1) of `liquidity` in `bins` consecutive bins (see
    /// [`bin_amounts`]).
    ///
    /// # Errors
    /// [`InfinityMathBinCount`] unless `1 ≤ bins ≤ 64`; [`InfinityMathFailure`].
    pub fn bin_amounts(
        &self,
        start_tick: I24,
        bin_ticks: I24,
        bins: U256,
        liquidity: u128,
        token1: bool,
    ) -> Result<Vec<U256>, Error> {
        let count = u32::try_from(bins).ok().filter(|n| (1..=MAX_BINS).contains(n));
        let count = count.ok_or(Error::BinCount(InfinityMathBinCount { bins }))?;
        Ok(bin_amounts(start_tick.as_i32(), bin_ticks.as_i32(), count, liquidity, token1)?)
    }

    /// `√(1.0001^tick) · 2^96` (v3 `getSqrtRatioAtTick`).
    ///
    /// # Errors
    /// [`InfinityMathFailure`] for `|tick| > 887272`.
    pub fn sqrt_ratio_at_tick(&self, tick: I24) -> Result<U160, Error> {
        Ok(u160(get_sqrt_ratio_at_tick(tick.as_i32())?))
    }

    /// The greatest tick whose sqrt price is at most `sqrtPriceX96` (v3 `getTickAtSqrtRatio`).
    ///
    /// # Errors
    /// [`InfinityMathFailure`] outside `[MIN_SQRT_RATIO, MAX_SQRT_RATIO)`.
    pub fn tick_at_sqrt_ratio(&self, sqrt_price_x96: U160) -> Result<I24, Error> {
        Ok(i24(get_tick_at_sqrt_ratio(U256::from(sqrt_price_x96))?))
    }
}

#[cfg(test)]
mod tests;
