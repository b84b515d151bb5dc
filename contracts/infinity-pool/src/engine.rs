//! The float pool's machinery: the bin grid, the two-level liquidity bitmap, range amounts and
//! the swap walk shared by `swap`, `quoteSwap` and the unwind conversion.

use alloc::vec::Vec;

use alloy_primitives::{
    aliases::{I24, U160},
    I256, U256,
};
use alloy_sol_types::SolCall;
use strata_common::{
    abi::{self, Word},
    call,
};
pub(crate) use strata_math::bin_bounds;
use strata_math::{MathError, MAX_TICK, MIN_TICK};
use stylus_sdk::alloy_primitives::Signed;

use crate::{Error, InfinityPool, InfinityPoolMath};

mod iface {
    #![allow(missing_docs)]
    alloy_sol_types::sol! {
        /// The `infinity-math` library contract (selectors only; calls are encoded by `strata_common::abi`).
        interface IInfinityMath {
            function swapStep(bool zeroForOne, uint160 sqrtPriceX96, int24 tick, int24 edgeTick, uint160 sqrtPriceLimitX96, uint128 available, uint128 liquidity, int256 amountRemaining, uint24 feePips) external view returns (uint160, int24, uint256, uint256, uint256, uint256);
            function rangeAmounts(uint160 sqrtPriceX96, int24 tickLower, int24 tickUpper, uint128 liquidity, bool roundUp) external view returns (uint256, uint256);
            function tickAtSqrtRatio(uint160 sqrtPriceX96) external view returns (int24);
            function sqrtRatioAtTick(int24 tick) external view returns (uint160);
        }
    }
}
use iface::IInfinityMath;

/// `2^128`: fee and interest growth are Q128 fixed point per unit of liquidity.
pub const Q128: U256 = U256::from_limbs([0, 0, 1, 0]);

/// Upper bound on the iterations of one swap walk. Each iteration either trades inside one
/// bin with available liquidity or jumps over a stretch of empty bins (the bitmap finds the
/// next liquid bin in a bounded number of reads), so a swap crosses at most this many liquid
/// bins. A swap that reaches the bound stops there, like one that reaches its price limit.
pub const MAX_SWAP_STEPS: u32 = 256;

/// Result of a swap walk, before anything is written.
pub(crate) struct Walk {
    /// Token0 delta of the pool (positive: the pool receives).
    pub(crate) amount0: I256,
    /// Token1 delta of the pool (positive: the pool receives).
    pub(crate) amount1: I256,
    /// Sqrt price after the walk.
    pub(crate) sqrt_price: U256,
    /// Tick after the walk (Uniswap v3 convention at bin edges).
    pub(crate) tick: i32,
    /// Whether the whole specified amount was swapped.
    pub(crate) filled: bool,
    /// Fee growth (Q128 per unit of the bin's total liquidity) to add, per bin crossed.
    pub(crate) growth: Vec<(i32, U256)>,
    /// Total fee taken from the input.
    pub(crate) fees: U256,
}

impl Walk {
    /// The same exact-output walk without the fee. In v3's step the price movement and the
    /// input before the fee of an exact-output step do not depend on the fee (the fee is
    /// added on top), so dropping it leaves the path and the output unchanged and lowers
    /// the input by exactly the fees; no growth is written.
    pub(crate) fn without_fee(mut self, zero_for_one: bool) -> Self {
        let fees = I256::try_from(self.fees).unwrap_or(I256::MAX);
        let input = if zero_for_one { &mut self.amount0 } else { &mut self.amount1 };
        *input = input.saturating_sub(fees);
        self.growth.clear();
        self.fees = U256::ZERO;
        self
    }
}

/// `floor(a / b)` for `b > 0`.
pub(crate) fn floor_div(a: i32, b: i32) -> Result<i32, Error> {
    a.checked_div_euclid(b).ok_or(Error::math(MathError::DivisionByZero))
}

/// `a · b` as a tick (bin edges).
pub(crate) fn mul(a: i32, b: i32) -> Result<i32, Error> {
    a.checked_mul(b).ok_or(Error::math(MathError::Overflow))
}

/// `a + b` on ticks and bins.
pub(crate) fn add(a: i32, b: i32) -> Result<i32, Error> {
    a.checked_add(b).ok_or(Error::math(MathError::Overflow))
}

/// `x` as `int24` (ticks and bins are validated to fit).
pub(crate) fn i24(x: i32) -> I24 {
    I24::try_from(x).unwrap_or_default()
}

/// `x` as `uint160` (sqrt prices are below 2^160).
pub(crate) fn u160(x: U256) -> U160 {
    U160::saturating_from(x)
}

/// Bits `0..=pos` set.
fn mask_le(pos: usize) -> U256 {
    U256::MAX.wrapping_shr(255_usize.saturating_sub(pos))
}

/// Bits `pos..=255` set.
fn mask_ge(pos: usize) -> U256 {
    U256::MAX.wrapping_shl(pos)
}

/// Index of the highest set bit of a non-zero word.
fn msb(word: U256) -> i32 {
    // leading_zeros() <= 255 for a non-zero word.
    255_i32.saturating_sub(i32::try_from(word.leading_zeros()).unwrap_or(255))
}

/// Index of the lowest set bit of a non-zero word.
fn lsb(word: U256) -> i32 {
    i32::try_from(word.trailing_zeros()).unwrap_or(0)
}

/// Splits an index into (word, bit position) for a 256-bit word: floor division and the
/// remainder, also for negative indices.
fn split(index: i32) -> (i32, usize) {
    // Arithmetic shift is floor division by 256; the low 8 bits are the remainder.
    (index.wrapping_shr(8), usize::try_from(index & 0xff).unwrap_or(0))
}

/// Joins a word index and a bit position back into an index.
fn join(word: i32, pos: i32) -> i32 {
    // |word| <= 2^15 for bins and 2^7 for words: no overflow.
    word.wrapping_shl(8) | pos
}

impl InfinityPool {
    /// The bin width in ticks.
    pub(crate) fn bt(&self) -> i32 {
        self.bin_ticks.get().as_i32()
    }

    /// `(sqrtPriceX96, tick)`.
    pub(crate) fn price(&self) -> (U256, i32) {
        (U256::from(self.sqrt_price.get()), self.tick.get().as_i32())
    }

    /// A bin's `(liquidity, lent)`.
    pub(crate) fn bin_state(&self, bin: i32) -> (u128, u128) {
        let b = self.bins.getter(bin);
        (b.liquidity.get().to::<u128>(), b.lent.get().to::<u128>())
    }

    /// Records whether `bin` has available (unlent) liquidity in both bitmap levels.
    pub(crate) fn mark(&mut self, bin: i32, liquid: bool) {
        let (word, pos) = split(bin);
        let flag = U256::ONE.wrapping_shl(pos);
        let old = self.bitmap.get(word);
        let new = if liquid { old | flag } else { old & !flag };
        if new == old {
            return;
        }
        self.bitmap.setter(word).set(new);
        if old.is_zero() != new.is_zero() {
            let (group, gpos) = split(word);
            let gbit = U256::ONE.wrapping_shl(gpos);
            let summary = self.summary.get(group);
            let summary = if new.is_zero() { summary & !gbit } else { summary | gbit };
            self.summary.setter(group).set(summary);
        }
    }

    /// The nearest bin with available liquidity at or below `bin` (`down`) or at or above it.
    ///
    /// Reads the bin's bitmap word, then the summary words (one bit per non-empty bitmap
    /// word, 65,536 bins per summary word), so it costs a handful of reads wherever the next
    /// liquid bin is.
    pub(crate) fn next_liquid(&self, bin: i32, down: bool) -> Option<i32> {
        let (word, pos) = split(bin);
        let bits = self.bitmap.get(word) & if down { mask_le(pos) } else { mask_ge(pos) };
        if !bits.is_zero() {
            return Some(join(word, if down { msb(bits) } else { lsb(bits) }));
        }
        let (min_bin, max_bin) = bin_bounds(self.bt());
        let (min_word, max_word) = (split(min_bin).0, split(max_bin).0);
        let mut w = if down { word.checked_sub(1)? } else { word.checked_add(1)? };
        while (min_word..=max_word).contains(&w) {
            let (group, gpos) = split(w);
            let summary =
                self.summary.get(group) & if down { mask_le(gpos) } else { mask_ge(gpos) };
            if !summary.is_zero() {
                let found = join(group, if down { msb(summary) } else { lsb(summary) });
                let bits = self.bitmap.get(found);
                return Some(join(found, if down { msb(bits) } else { lsb(bits) }));
            }
            // Next summary group: below the lowest word of this group or above the highest.
            w = if down {
                join(group, 0).checked_sub(1)?
            } else {
                join(group, 255).checked_add(1)?
            };
        }
        None
    }

    /// Walks the float pool from the current price toward `limit`, trading `specified`
    /// (exact input when positive, exact output when negative) at `fee_pips`, and returns
    /// what would happen without writing anything. `swap` applies the result, `quoteSwap`
    /// returns it: they share this code and cannot disagree.
    ///
    /// Each iteration finds the next bin with available liquidity in the swap's direction.
    /// In that bin the step is Uniswap v3's `computeSwapStep` over the bin at its available
    /// liquidity `L − lent`; across empty bins the price jumps to the next liquid bin's edge.
    pub(crate) fn walk(
        &self,
        zero_for_one: bool,
        specified: I256,
        limit: U256,
        fee_pips: u32,
    ) -> Result<Walk, Error> {
        let bt = self.bt();
        let (mut sqrt_p, mut tick) = self.price();
        let exact_in = specified.is_positive();
        let mut remaining = specified;
        let mut calculated = I256::ZERO;
        let mut growth = Vec::new();
        let mut fees = U256::ZERO;
        let mut steps = 0_u32;
        let overflow = || Error::math(MathError::Overflow);
        while !remaining.is_zero() && sqrt_p != limit && steps < MAX_SWAP_STEPS {
            steps = steps.saturating_add(1);
            let bin = floor_div(tick, bt)?;
            // Edge of the bin being traded (active) or of the next liquid bin (jump).
            let (edge_tick, active) = match self.next_liquid(bin, zero_for_one) {
                Some(next) if next == bin => {
                    (mul(if zero_for_one { bin } else { add(bin, 1)? }, bt)?, true)
                }
                Some(next) => (mul(if zero_for_one { add(next, 1)? } else { next }, bt)?, false),
                None => (if zero_for_one { MIN_TICK } else { MAX_TICK }, false),
            };
            let (liquidity, lent) = if active { self.bin_state(bin) } else { (0, 0) };
            let r = self.math_call(
                IInfinityMath::swapStepCall::SELECTOR,
                &[
                    zero_for_one.word(),
                    sqrt_p,
                    tick.word(),
                    edge_tick.word(),
                    limit,
                    U256::from(liquidity.saturating_sub(lent)),
                    U256::from(liquidity),
                    remaining.into_raw(),
                    U256::from(fee_pips),
                ],
            )?;
            let word = |i: usize| r.get(i).copied().unwrap_or_default();
            let (amount_in, amount_out, fee, delta) = (word(2), word(3), word(4), word(5));
            sqrt_p = word(0);
            tick = I256::from_raw(word(1)).as_i32();
            fees = fees.checked_add(fee).ok_or_else(overflow)?;
            let paid = I256::try_from(amount_in.checked_add(fee).ok_or_else(overflow)?)
                .map_err(|_| overflow())?;
            let out = I256::try_from(amount_out).map_err(|_| overflow())?;
            if exact_in {
                remaining = remaining.checked_sub(paid).ok_or_else(overflow)?;
                calculated = calculated.checked_sub(out).ok_or_else(overflow)?;
            } else {
                remaining = remaining.checked_add(out).ok_or_else(overflow)?;
                calculated = calculated.checked_add(paid).ok_or_else(overflow)?;
            }
            if !delta.is_zero() {
                growth.push((bin, delta));
            }
        }
        let spent = specified.checked_sub(remaining).ok_or_else(overflow)?;
        let (amount0, amount1) =
            if zero_for_one == exact_in { (spent, calculated) } else { (calculated, spent) };
        Ok(Walk {
            amount0,
            amount1,
            sqrt_price: sqrt_p,
            tick,
            filled: remaining.is_zero(),
            growth,
            fees,
        })
    }

    /// Amounts of `liquidity` in every bin of `[start, stop]` at the current price (one v3
    /// position over the union), from the math library.
    pub(crate) fn range_amounts(
        &self,
        start: i32,
        stop: i32,
        liquidity: u128,
        round_up: bool,
    ) -> Result<(U256, U256), Error> {
        let bt = self.bt();
        let r = self.math_call(
            IInfinityMath::rangeAmountsCall::SELECTOR,
            &[
                self.price().0,
                mul(start, bt)?.word(),
                mul(add(stop, 1)?, bt)?.word(),
                U256::from(liquidity),
                round_up.word(),
            ],
        )?;
        Ok((r.first().copied().unwrap_or_default(), r.get(1).copied().unwrap_or_default()))
    }

    /// The tick of a sqrt price, from the math library.
    pub(crate) fn math_tick(&self, sqrt_price: U256) -> Result<i32, Error> {
        let r = self.math_call(IInfinityMath::tickAtSqrtRatioCall::SELECTOR, &[sqrt_price])?;
        Ok(I256::from_raw(r.first().copied().unwrap_or_default()).as_i32())
    }

    /// The sqrt price of a tick, from the math library.
    pub(crate) fn math_sqrt_price(&self, tick: i32) -> Result<U256, Error> {
        let r = self.math_call(IInfinityMath::sqrtRatioAtTickCall::SELECTOR, &[tick.word()])?;
        Ok(r.first().copied().unwrap_or_default())
    }

    /// Static call to the math library; returns the words of its return data. A revert maps
    /// to `InfinityPoolMath` with the library's `MathError` code (zero if it is not one).
    #[inline(never)]
    fn math_call(&self, selector: [u8; 4], args: &[U256]) -> Result<Vec<U256>, Error> {
        // A static call to a stateless library cannot modify state or re-enter.
        let result =
            call::call(self.math.get(), &abi::encode(&selector, args), true, call::UNBOUNDED);
        match result {
            Ok(out) => Ok(abi::Args(&out).words()),
            // InfinityMathFailure(uint8 code): selector, then the code in the last byte.
            Err(data) => Err(Error::Math(InfinityPoolMath {
                code: if data.len() == 36 { data.get(35).copied().unwrap_or(0) } else { 0 },
            })),
        }
    }

    /// Writes a walk: fee growth of the input token in each bin crossed, then price and tick.
    pub(crate) fn apply(&mut self, zero_for_one: bool, walk: &Walk) {
        for &(bin, delta) in &walk.growth {
            // The input token's growth: token0 when selling token0.
            self.add_growth(bin, !zero_for_one, delta);
        }
        self.sqrt_price.set(u160(walk.sqrt_price));
        self.tick.set(Signed::<32, 1>::try_from(walk.tick).unwrap_or_default());
    }
}
