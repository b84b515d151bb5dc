//! The single error type of the crate.

/// Why a math function refused its inputs.
///
/// Every fallible function in this crate returns `Result<_, MathError>`; nothing panics.
/// [`MathError::code`] maps each variant to a stable number that contracts can put in a
/// Solidity custom error (for example `MathFailure(uint8 code)`):
///
/// | code | variant |
/// |---:|---|
/// | 1 | [`Overflow`](MathError::Overflow) |
/// | 2 | [`DivisionByZero`](MathError::DivisionByZero) |
/// | 3 | [`Underflow`](MathError::Underflow) |
/// | 4 | [`PowBaseOutOfBounds`](MathError::PowBaseOutOfBounds) |
/// | 5 | [`PowExponentOutOfBounds`](MathError::PowExponentOutOfBounds) |
/// | 6 | [`ProductOutOfBounds`](MathError::ProductOutOfBounds) |
/// | 7 | [`InvalidExponent`](MathError::InvalidExponent) |
/// | 8 | [`LnOutOfBounds`](MathError::LnOutOfBounds) |
/// | 9 | [`TickOutOfBounds`](MathError::TickOutOfBounds) |
/// | 10 | [`SqrtPriceOutOfBounds`](MathError::SqrtPriceOutOfBounds) |
/// | 11 | [`LiquidityZero`](MathError::LiquidityZero) |
/// | 12 | [`PriceOverflow`](MathError::PriceOverflow) |
/// | 13 | [`InsufficientLiquidity`](MathError::InsufficientLiquidity) |
/// | 14 | [`InvalidFee`](MathError::InvalidFee) |
/// | 15 | [`InvalidWeight`](MathError::InvalidWeight) |
///
/// Codes are never reused or renumbered; new variants take the next free number.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum MathError {
    /// A result or an intermediate value does not fit its integer type.
    Overflow = 1,
    /// A divisor (or denominator) is zero.
    DivisionByZero = 2,
    /// A subtraction would go below zero.
    Underflow = 3,
    /// `pow` base is not below 2^255 (Balancer `X_OUT_OF_BOUNDS`).
    PowBaseOutOfBounds = 4,
    /// `pow` exponent is not below `MILD_EXPONENT_BOUND` (Balancer `Y_OUT_OF_BOUNDS`).
    PowExponentOutOfBounds = 5,
    /// `y * ln(x)` is outside the domain of `exp` (Balancer `PRODUCT_OUT_OF_BOUNDS`).
    ProductOutOfBounds = 6,
    /// `exp` argument is outside `[MIN_NATURAL_EXPONENT, MAX_NATURAL_EXPONENT]`.
    InvalidExponent = 7,
    /// `ln` argument is not strictly positive (Balancer `OUT_OF_BOUNDS`).
    LnOutOfBounds = 8,
    /// Tick magnitude is above `MAX_TICK` (Uniswap `T`).
    TickOutOfBounds = 9,
    /// Sqrt price is zero, outside `[MIN_SQRT_RATIO, MAX_SQRT_RATIO)`, or wider than
    /// 160 bits (Uniswap `R` and the `sqrtP > 0` checks).
    SqrtPriceOutOfBounds = 10,
    /// Liquidity is zero where a price move needs some.
    LiquidityZero = 11,
    /// The next sqrt price does not fit in 160 bits.
    PriceOverflow = 12,
    /// The requested output reaches or exceeds the virtual reserves at this liquidity.
    InsufficientLiquidity = 13,
    /// Fee is not below its denominator (1e6 pips, or 1e18 for WAD fees).
    InvalidFee = 14,
    /// A token weight is above the total weight.
    InvalidWeight = 15,
}

impl MathError {
    /// Stable numeric code of the variant (see the table on [`MathError`]).
    pub const fn code(self) -> u8 {
        self as u8
    }
}
