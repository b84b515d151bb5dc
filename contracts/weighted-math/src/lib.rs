//! # `WeightedMath` — the Index pool's math library contract
//!
//! Stateless: each function is one formula of `strata_math::weighted_math` (Balancer v1 /
//! PowerIndex weighted-pool math) with every step rounded in the pool's favour and the power
//! function's error (relative 1e-14 plus one wei, `strata_math::MAX_POW_RELATIVE_ERROR`)
//! applied on the pool's side. The formulas, rounding steps and error bounds are documented
//! there; the argument names below follow them (`B` balance, `W` denormalized weight, `S`
//! share supply, `Wt` total weight, `f` swap fee; weights, fee and prices are WAD).
//!
//! The pool calls it with static calls (the `pow`/`ln`/`exp` code would not fit in the pool
//! itself under Stylus' size limit); routers and front ends can call it to quote. Every
//! refusal of the math reverts with `WeightedMathError(code)`, `code` being
//! `strata_math::MathError::code` (1 overflow, 2 division by zero, 3 underflow, 4-8 pow/ln/exp
//! domain, 13 insufficient liquidity, 14 invalid fee, 15 invalid weight).
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
extern crate alloc;

use strata_math::{weighted_math, MathError};
use stylus_sdk::{alloy_primitives::U256, prelude::*};

/// Events of this contract (none: it is stateless), for the exported interface.
pub const EVENTS_ABI: &[&str] = &[];

alloy_sol_types::sol! {
    /// The math refused its inputs; `code` is `strata_math::MathError::code`.
    #[derive(Debug, PartialEq, Eq)]
    error WeightedMathError(uint8 code);
}

/// Errors of the library.
#[derive(SolidityError, Debug)]
pub enum Error {
    /// See [`WeightedMathError`].
    Math(WeightedMathError),
}

impl From<MathError> for Error {
    fn from(e: MathError) -> Self {
        Error::Math(WeightedMathError { code: e.code() })
    }
}

/// The math library (no storage).
#[entrypoint]
#[storage]
pub struct WeightedMath {}

#[public]
impl WeightedMath {
    /// Spot price of token out in token in, fee included, rounded up:
    /// `(Bi / Wi) / (Bo / Wo) / (1 - f)`.
    ///
    /// # Errors
    /// `WeightedMathError` (see `strata_math::weighted_math::calc_spot_price`).
    pub fn calc_spot_price(
        balance_in: U256,
        weight_in: U256,
        balance_out: U256,
        weight_out: U256,
        swap_fee: U256,
    ) -> Result<U256, Error> {
        Ok(weighted_math::calc_spot_price(
            balance_in,
            weight_in,
            balance_out,
            weight_out,
            swap_fee,
        )?)
    }

    /// Tokens out for an exact amount in, rounded down:
    /// `Bo · (1 - (Bi / (Bi + in · (1 - f)))^(Wi / Wo))`.
    ///
    /// # Errors
    /// `WeightedMathError` (see `strata_math::weighted_math::calc_out_given_in`).
    pub fn calc_out_given_in(
        balance_in: U256,
        weight_in: U256,
        balance_out: U256,
        weight_out: U256,
        amount_in: U256,
        swap_fee: U256,
    ) -> Result<U256, Error> {
        Ok(weighted_math::calc_out_given_in(
            balance_in,
            weight_in,
            balance_out,
            weight_out,
            amount_in,
            swap_fee,
        )?)
    }

    /// Tokens in for an exact amount out, rounded up:
    /// `Bi · ((Bo / (Bo - out))^(Wo / Wi) - 1) / (1 - f)`.
    ///
    /// # Errors
    /// `WeightedMathError` (see `strata_math::weighted_math::calc_in_given_out`).
    pub fn calc_in_given_out(
        balance_in: U256,
        weight_in: U256,
        balance_out: U256,
        weight_out: U256,
        amount_out: U256,
        swap_fee: U256,
    ) -> Result<U256, Error> {
        Ok(weighted_math::calc_in_given_out(
            balance_in,
            weight_in,
            balance_out,
            weight_out,
            amount_out,
            swap_fee,
        )?)
    }

    /// Shares minted for an exact single-token deposit, rounded down:
    /// `S · ((Bi + in · (1 - (1 - nw) · f)) / Bi)^nw - S`.
    ///
    /// # Errors
    /// `WeightedMathError` (see `strata_math::weighted_math::calc_pool_out_given_single_in`).
    pub fn calc_pool_out_given_single_in(
        balance_in: U256,
        weight_in: U256,
        pool_supply: U256,
        total_weight: U256,
        amount_in: U256,
        swap_fee: U256,
    ) -> Result<U256, Error> {
        Ok(weighted_math::calc_pool_out_given_single_in(
            balance_in,
            weight_in,
            pool_supply,
            total_weight,
            amount_in,
            swap_fee,
        )?)
    }

    /// Tokens in for an exact number of shares minted, rounded up:
    /// `Bi · (((S + P) / S)^(1 / nw) - 1) / (1 - (1 - nw) · f)`.
    ///
    /// # Errors
    /// `WeightedMathError` (see `strata_math::weighted_math::calc_single_in_given_pool_out`).
    pub fn calc_single_in_given_pool_out(
        balance_in: U256,
        weight_in: U256,
        pool_supply: U256,
        total_weight: U256,
        pool_amount_out: U256,
        swap_fee: U256,
    ) -> Result<U256, Error> {
        Ok(weighted_math::calc_single_in_given_pool_out(
            balance_in,
            weight_in,
            pool_supply,
            total_weight,
            pool_amount_out,
            swap_fee,
        )?)
    }

    /// Tokens out for an exact number of shares burnt, rounded down:
    /// `Bo · (1 - ((S - P) / S)^(1 / nw)) · (1 - (1 - nw) · f)`.
    ///
    /// # Errors
    /// `WeightedMathError` (see `strata_math::weighted_math::calc_single_out_given_pool_in`).
    pub fn calc_single_out_given_pool_in(
        balance_out: U256,
        weight_out: U256,
        pool_supply: U256,
        total_weight: U256,
        pool_amount_in: U256,
        swap_fee: U256,
    ) -> Result<U256, Error> {
        Ok(weighted_math::calc_single_out_given_pool_in(
            balance_out,
            weight_out,
            pool_supply,
            total_weight,
            pool_amount_in,
            swap_fee,
        )?)
    }

    /// Shares burnt for an exact single-token withdrawal, rounded up:
    /// `S · (1 - ((Bo - out / (1 - (1 - nw) · f)) / Bo)^nw)`.
    ///
    /// # Errors
    /// `WeightedMathError` (see `strata_math::weighted_math::calc_pool_in_given_single_out`).
    pub fn calc_pool_in_given_single_out(
        balance_out: U256,
        weight_out: U256,
        pool_supply: U256,
        total_weight: U256,
        amount_out: U256,
        swap_fee: U256,
    ) -> Result<U256, Error> {
        Ok(weighted_math::calc_pool_in_given_single_out(
            balance_out,
            weight_out,
            pool_supply,
            total_weight,
            amount_out,
            swap_fee,
        )?)
    }
}

#[cfg(test)]
mod tests;
