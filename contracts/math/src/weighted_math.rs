//! Weighted-pool math (Balancer v1 / PowerIndex formulas) with every step rounded in the
//! pool's favour.
//!
//! Notation: `B` balance, `W` denormalized weight, `Wt` total weight, `S` pool-share supply,
//! `f` swap fee, `nw = W / Wt`. All values are `U256`; weights, fee and ratios are WAD.
//! `⊗↓ ⊗↑ ⊘↓ ⊘↑` are WAD multiply / divide rounded down / up, `^↓ ^↑` are
//! [`pow_down`] / [`pow_up`].
//!
//! Rounding policy (unlike the anchor, which rounds half-up everywhere): amounts paid to the
//! user are rounded down, amounts taken from the user and the spot price are rounded up, and
//! every intermediate is rounded in whichever direction makes the final result worse for
//! the user. The power function's own error is applied the same way through
//! `pow_down`/`pow_up`, so a result is off from the exact value by at most the pow bound
//! (relative 2e-14 of the power, see [`crate::pow`]) plus a few wei per rounding, and always
//! on the pool's side.

use alloy_primitives::U256;

use crate::{
    full_math::{mul_div_down, mul_div_up},
    pow::{pow_down, pow_up},
    wad::{complement, wad_div_down, wad_div_up, wad_mul_down, wad_mul_up, WAD},
    MathError,
};

/// Spot price of token out in token in, fee included, rounded up.
///
/// ```text
/// spot = (Bi / Wi) / (Bo / Wo) · 1 / (1 - f)
///
/// ratio = (Bi · Wo) ⊘↑ (Bo · Wi)      rounded up (products exact, checked)
/// spot  = ratio ⊘↑ (1 - f)             rounded up
/// ```
///
/// # Errors
///
/// [`MathError::InvalidFee`] if `f >= 1`; [`MathError::InvalidWeight`] if a weight is zero;
/// [`MathError::DivisionByZero`] if `Bo == 0`; [`MathError::Overflow`] if `Bi · Wo`,
/// `Bo · Wi` or the result exceeds 256 bits.
pub fn calc_spot_price(
    balance_in: U256,
    weight_in: U256,
    balance_out: U256,
    weight_out: U256,
    swap_fee: U256,
) -> Result<U256, MathError> {
    let fee_complement = fee_complement(swap_fee)?;
    check_weights(weight_in, weight_out)?;
    let numerator = balance_in.checked_mul(weight_out).ok_or(MathError::Overflow)?;
    let denominator = balance_out.checked_mul(weight_in).ok_or(MathError::Overflow)?;
    let ratio = mul_div_up(numerator, WAD, denominator)?;
    wad_div_up(ratio, fee_complement)
}

/// Tokens out for an exact amount in, rounded down.
///
/// ```text
/// out = Bo · (1 - (Bi / (Bi + in · (1 - f)))^(Wi / Wo))
///
/// exponent    = Wi ⊘↓ Wo                  down: base <= 1, a smaller exponent keeps more
/// adjusted_in = in ⊗↓ (1 - f)             down: less input credited
/// base        = Bi ⊘↑ (Bi + adjusted_in)  up
/// power       = base ^↑ exponent          up
/// out         = Bo ⊗↓ complement(power)   down
/// ```
///
/// # Errors
///
/// [`MathError::InvalidFee`] if `f >= 1`; [`MathError::InvalidWeight`] if a weight is zero;
/// [`MathError::DivisionByZero`] if `Bi + adjusted_in == 0`; pow and overflow errors.
pub fn calc_out_given_in(
    balance_in: U256,
    weight_in: U256,
    balance_out: U256,
    weight_out: U256,
    amount_in: U256,
    swap_fee: U256,
) -> Result<U256, MathError> {
    let fee_complement = fee_complement(swap_fee)?;
    check_weights(weight_in, weight_out)?;
    let exponent = wad_div_down(weight_in, weight_out)?;
    let adjusted_in = wad_mul_down(amount_in, fee_complement)?;
    let denominator = balance_in.checked_add(adjusted_in).ok_or(MathError::Overflow)?;
    let base = wad_div_up(balance_in, denominator)?;
    let power = pow_up(base, exponent)?;
    wad_mul_down(balance_out, complement(power))
}

/// Tokens in for an exact amount out, rounded up.
///
/// ```text
/// in = Bi · ((Bo / (Bo - out))^(Wo / Wi) - 1) / (1 - f)
///
/// exponent   = Wo ⊘↑ Wi                  up: base >= 1, a larger exponent costs more
/// base       = Bo ⊘↑ (Bo - out)          up
/// power      = base ^↑ exponent          up
/// before_fee = Bi ⊗↑ (power - 1)         up
/// in         = before_fee ⊘↑ (1 - f)     up
/// ```
///
/// # Errors
///
/// [`MathError::InsufficientLiquidity`] if `out >= Bo`; [`MathError::InvalidFee`] if
/// `f >= 1`; [`MathError::InvalidWeight`] if a weight is zero; pow and overflow errors.
pub fn calc_in_given_out(
    balance_in: U256,
    weight_in: U256,
    balance_out: U256,
    weight_out: U256,
    amount_out: U256,
    swap_fee: U256,
) -> Result<U256, MathError> {
    let fee_complement = fee_complement(swap_fee)?;
    check_weights(weight_in, weight_out)?;
    let new_balance_out = balance_out
        .checked_sub(amount_out)
        .filter(|b| !b.is_zero())
        .ok_or(MathError::InsufficientLiquidity)?;
    let exponent = wad_div_up(weight_out, weight_in)?;
    let base = wad_div_up(balance_out, new_balance_out)?;
    let power = pow_up(base, exponent)?;
    let ratio = power.checked_sub(WAD).ok_or(MathError::Underflow)?;
    let before_fee = wad_mul_up(balance_in, ratio)?;
    wad_div_up(before_fee, fee_complement)
}

/// Pool shares minted for an exact single-token deposit, rounded down.
///
/// The fee applies only to the share of the deposit that is implicitly swapped into the other
/// tokens, `1 - nw`.
///
/// ```text
/// P = S · ((Bi + in · (1 - (1 - nw) · f)) / Bi)^nw - S
///
/// nw         = Wi ⊘↓ Wt                          down: smaller exponent, larger fee share
/// fee_share  = complement(nw) ⊗↑ f               up
/// after_fee  = in ⊗↓ (1 - fee_share)             down
/// ratio      = (Bi + after_fee) ⊘↓ Bi            down
/// pool_ratio = ratio ^↓ nw                       down
/// P          = (pool_ratio ⊗↓ S) - S             down; 0 if the pow error makes it negative
/// ```
///
/// # Errors
///
/// [`MathError::InvalidFee`] if `f >= 1`; [`MathError::InvalidWeight`] unless
/// `0 < Wi <= Wt`; [`MathError::DivisionByZero`] if `Bi == 0`; pow and overflow errors.
pub fn calc_pool_out_given_single_in(
    balance_in: U256,
    weight_in: U256,
    pool_supply: U256,
    total_weight: U256,
    amount_in: U256,
    swap_fee: U256,
) -> Result<U256, MathError> {
    fee_complement(swap_fee)?;
    let normalized_weight = normalized_weight_down(weight_in, total_weight)?;
    let fee_share = wad_mul_up(complement(normalized_weight), swap_fee)?;
    let after_fee = wad_mul_down(amount_in, complement(fee_share))?;
    let new_balance_in = balance_in.checked_add(after_fee).ok_or(MathError::Overflow)?;
    let ratio = wad_div_down(new_balance_in, balance_in)?;
    let pool_ratio = pow_down(ratio, normalized_weight)?;
    let new_supply = wad_mul_down(pool_ratio, pool_supply)?;
    // A pool ratio below one only comes from pow_down's error margin: nothing is minted.
    Ok(new_supply.saturating_sub(pool_supply))
}

/// Tokens in for an exact amount of pool shares minted, rounded up.
///
/// ```text
/// in = Bi · (((S + P) / S)^(1 / nw) - 1) / (1 - (1 - nw) · f)
///
/// pool_ratio  = (S + P) ⊘↑ S                     up
/// exponent    = Wt ⊘↑ Wi                         up: base >= 1, 1/nw rounded up costs more
/// token_ratio = pool_ratio ^↑ exponent           up
/// after_fee   = (token_ratio ⊗↑ Bi) - Bi         up
/// fee_share   = complement(Wi ⊘↓ Wt) ⊗↑ f        up
/// in          = after_fee ⊘↑ (1 - fee_share)     up
/// ```
///
/// # Errors
///
/// [`MathError::InvalidFee`] if `f >= 1`; [`MathError::InvalidWeight`] unless
/// `0 < Wi <= Wt`; [`MathError::DivisionByZero`] if `S == 0`; pow and overflow errors.
pub fn calc_single_in_given_pool_out(
    balance_in: U256,
    weight_in: U256,
    pool_supply: U256,
    total_weight: U256,
    pool_amount_out: U256,
    swap_fee: U256,
) -> Result<U256, MathError> {
    fee_complement(swap_fee)?;
    let normalized_weight = normalized_weight_down(weight_in, total_weight)?;
    let new_supply = pool_supply.checked_add(pool_amount_out).ok_or(MathError::Overflow)?;
    let pool_ratio = wad_div_up(new_supply, pool_supply)?;
    let exponent = wad_div_up(total_weight, weight_in)?;
    let token_ratio = pow_up(pool_ratio, exponent)?;
    let new_balance_in = wad_mul_up(token_ratio, balance_in)?;
    let after_fee = new_balance_in.checked_sub(balance_in).ok_or(MathError::Underflow)?;
    let fee_share = wad_mul_up(complement(normalized_weight), swap_fee)?;
    wad_div_up(after_fee, complement(fee_share))
}

/// Tokens out for an exact amount of pool shares burnt, rounded down.
///
/// ```text
/// out = Bo · (1 - ((S - P) / S)^(1 / nw)) · (1 - (1 - nw) · f)
///
/// pool_ratio  = (S - P) ⊘↑ S                     up
/// exponent    = Wt ⊘↓ Wo                         down: base <= 1, a smaller exponent keeps more
/// token_ratio = pool_ratio ^↑ exponent           up
/// before_fee  = Bo - (token_ratio ⊗↑ Bo)         down; 0 if the pow error makes it negative
/// fee_share   = complement(Wo ⊘↓ Wt) ⊗↑ f        up
/// out         = before_fee ⊗↓ (1 - fee_share)    down
/// ```
///
/// # Errors
///
/// [`MathError::Underflow`] if `P > S`; [`MathError::InvalidFee`] if `f >= 1`;
/// [`MathError::InvalidWeight`] unless `0 < Wo <= Wt`; [`MathError::DivisionByZero`] if
/// `S == 0`; pow and overflow errors.
pub fn calc_single_out_given_pool_in(
    balance_out: U256,
    weight_out: U256,
    pool_supply: U256,
    total_weight: U256,
    pool_amount_in: U256,
    swap_fee: U256,
) -> Result<U256, MathError> {
    fee_complement(swap_fee)?;
    let normalized_weight = normalized_weight_down(weight_out, total_weight)?;
    let new_supply = pool_supply.checked_sub(pool_amount_in).ok_or(MathError::Underflow)?;
    let pool_ratio = wad_div_up(new_supply, pool_supply)?;
    let exponent = wad_div_down(total_weight, weight_out)?;
    let token_ratio = pow_up(pool_ratio, exponent)?;
    let new_balance_out = wad_mul_up(token_ratio, balance_out)?;
    let before_fee = balance_out.saturating_sub(new_balance_out);
    let fee_share = wad_mul_up(complement(normalized_weight), swap_fee)?;
    wad_mul_down(before_fee, complement(fee_share))
}

/// Pool shares burnt for an exact single-token withdrawal, rounded up.
///
/// ```text
/// P = S · (1 - ((Bo - out / (1 - (1 - nw) · f)) / Bo)^nw)
///
/// fee_share  = complement(Wo ⊘↓ Wt) ⊗↑ f         up
/// before_fee = out ⊘↑ (1 - fee_share)            up
/// ratio      = (Bo - before_fee) ⊘↓ Bo           down
/// exponent   = Wo ⊘↑ Wt                          up: base <= 1, a larger exponent burns more
/// pool_ratio = ratio ^↓ exponent                 down
/// P          = S - (pool_ratio ⊗↓ S)             up
/// ```
///
/// # Errors
///
/// [`MathError::InsufficientLiquidity`] if the withdrawal plus its fee exceeds `Bo`;
/// [`MathError::InvalidFee`] if `f >= 1`; [`MathError::InvalidWeight`] unless
/// `0 < Wo <= Wt`; [`MathError::DivisionByZero`] if `Bo == 0`; pow and overflow errors.
pub fn calc_pool_in_given_single_out(
    balance_out: U256,
    weight_out: U256,
    pool_supply: U256,
    total_weight: U256,
    amount_out: U256,
    swap_fee: U256,
) -> Result<U256, MathError> {
    fee_complement(swap_fee)?;
    let normalized_weight = normalized_weight_down(weight_out, total_weight)?;
    let fee_share = wad_mul_up(complement(normalized_weight), swap_fee)?;
    let before_fee = wad_div_up(amount_out, complement(fee_share))?;
    let new_balance_out =
        balance_out.checked_sub(before_fee).ok_or(MathError::InsufficientLiquidity)?;
    let ratio = wad_div_down(new_balance_out, balance_out)?;
    let exponent = wad_div_up(weight_out, total_weight)?;
    let pool_ratio = pow_down(ratio, exponent)?;
    let new_supply = wad_mul_down(pool_ratio, pool_supply)?;
    pool_supply.checked_sub(new_supply).ok_or(MathError::Underflow)
}

/// Tokens in for a proportional join minting `pool_amount_out` shares, rounded up.
///
/// ```text
/// in = ⌈B · P / S⌉          one rounding (the anchor rounds P / S first, then the product)
/// ```
///
/// # Errors
///
/// [`MathError::DivisionByZero`] if `S == 0`; [`MathError::Overflow`] if the result exceeds
/// 256 bits.
pub fn calc_join_token_in(
    balance: U256,
    pool_supply: U256,
    pool_amount_out: U256,
) -> Result<U256, MathError> {
    mul_div_up(balance, pool_amount_out, pool_supply)
}

/// Tokens out for a proportional exit burning `pool_amount_in` shares, rounded down.
///
/// ```text
/// out = ⌊B · P / S⌋
/// ```
///
/// # Errors
///
/// [`MathError::DivisionByZero`] if `S == 0`; [`MathError::Overflow`] if the result exceeds
/// 256 bits.
pub fn calc_exit_token_out(
    balance: U256,
    pool_supply: U256,
    pool_amount_in: U256,
) -> Result<U256, MathError> {
    mul_div_down(balance, pool_amount_in, pool_supply)
}

/// `1 - f`, refusing fees of 100% or more.
fn fee_complement(swap_fee: U256) -> Result<U256, MathError> {
    if swap_fee >= WAD {
        return Err(MathError::InvalidFee);
    }
    Ok(complement(swap_fee))
}

fn check_weights(weight_in: U256, weight_out: U256) -> Result<(), MathError> {
    if weight_in.is_zero() || weight_out.is_zero() {
        return Err(MathError::InvalidWeight);
    }
    Ok(())
}

/// `W ⊘↓ Wt`, requiring `0 < W <= Wt` so that `complement(nw)` is the true `1 - nw`.
fn normalized_weight_down(weight: U256, total_weight: U256) -> Result<U256, MathError> {
    if weight.is_zero() || weight > total_weight {
        return Err(MathError::InvalidWeight);
    }
    wad_div_down(weight, total_weight)
}
