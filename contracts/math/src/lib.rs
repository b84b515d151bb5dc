//! Pure fixed-point and concentrated-liquidity math for Strata contracts.
//!
//! `no_std`, no allocation, no panics: every fallible function returns
//! `Result<_, MathError>` and all arithmetic is checked (or wrapping with a proof in a
//! comment). Rounding direction is part of each function's name or doc.
//!
//! | module | contents | anchor |
//! |---|---|---|
//! | [`full_math`] | `mul_div_down` / `mul_div_up` with a 512-bit product, `div_up` | Uniswap v3 `FullMath` |
//! | [`wad`] | WAD multiply / divide rounded down or up, `complement` | Balancer v2 `FixedPoint` |
//! | [`signed_wad`] | `I256` WAD multiply / divide, checked `U256` <-> `I256` | |
//! | [`log_exp`] | `ln`, `exp`, `pow` on 18 decimals | Balancer v2 `LogExpMath` |
//! | [`pow`] | `pow_down` / `pow_up` bracketing the true `x^y` | Balancer v2 `FixedPoint` |
//! | [`sqrt`](mod@sqrt) | integer `sqrt` / `sqrt_up` | |
//! | [`tick_math`] | tick <-> Q64.96 sqrt price | Uniswap v3 `TickMath` |
//! | [`sqrt_price_math`] | amount deltas and next sqrt price | Uniswap v3 `SqrtPriceMath` |
//! | [`swap_math`] | one swap step within a range | Uniswap v3 `SwapMath` |
//! | [`liquidity_math`] | signed liquidity change | Uniswap v3 `LiquidityMath` |
//! | [`weighted_math`] | weighted-pool swap / join / exit amounts, pool-favouring | Balancer v1 / PowerIndex `BMath` |
//!
//! Units:
//! - WAD: 18-decimal fixed point, `1e18` is one ([`wad::WAD`]); prices, ratios, weights and
//!   WAD fees.
//! - Q64.96: sqrt prices, `√(token1 / token0) · 2^96`, at most 160 bits.
//! - Pips: swap-step fees in millionths (`3000` = 0.3%).
//! - Token amounts and liquidity are raw integers (base units).

#![no_std]
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

mod error;
pub mod full_math;
pub mod liquidity_math;
pub mod log_exp;
pub mod pow;
pub mod signed_wad;
pub mod sqrt;
pub mod sqrt_price_math;
pub mod swap_math;
pub mod tick_math;
pub mod wad;
pub mod weighted_math;

pub use error::MathError;
pub use full_math::{div_up, mul_div_down, mul_div_up};
pub use liquidity_math::add_delta;
pub use pow::{pow_down, pow_up, MAX_POW_RELATIVE_ERROR};
pub use signed_wad::{
    abs_u256, checked_add_signed, to_i256, wad_div_signed, wad_div_signed_floor, wad_mul_signed,
    wad_mul_signed_floor,
};
pub use sqrt::{sqrt, sqrt_up};
pub use sqrt_price_math::{
    get_amount0_delta, get_amount0_delta_signed, get_amount1_delta, get_amount1_delta_signed,
    get_next_sqrt_price_from_input, get_next_sqrt_price_from_output,
};
pub use swap_math::{compute_swap_step, SwapStep};
pub use tick_math::{
    bin_bounds, get_sqrt_ratio_at_tick, get_tick_at_sqrt_ratio, MAX_SQRT_RATIO, MAX_TICK,
    MIN_SQRT_RATIO, MIN_TICK,
};
pub use wad::{complement, wad_div_down, wad_div_up, wad_mul_down, wad_mul_up, WAD};
pub use weighted_math::{
    calc_exit_token_out, calc_in_given_out, calc_join_token_in, calc_out_given_in,
    calc_pool_in_given_single_out, calc_pool_out_given_single_in, calc_single_in_given_pool_out,
    calc_single_out_given_pool_in, calc_spot_price,
};
