//! The pool's ABI router: selector dispatch, argument decoding and return encoding with the
//! shared word codec (`strata_common::abi`), in place of the SDK's generated router (see the
//! crate docs: this is what keeps the contract under the Stylus size limit).
//!
//! [`functions`] declares the external interface once: `sol!` gives the selectors the
//! router matches, and `FUNCTIONS_ABI` the Solidity declarations exported to `interfaces/`.
//! The tests check that every declared selector is routed and call every function through
//! the router with alloy-encoded data.

use alloc::vec::Vec;
use core::borrow::BorrowMut;

use alloy_primitives::U256;
use alloy_sol_types::SolCall;
use strata_common::abi::{encode_values, words, Args, Value, Word};
use stylus_sdk::{
    abi::Router,
    stylus_core::{storage::TopLevelStorage, ConstructorGuard, ValueDenier},
    ArbResult,
};

use crate::{Error, InfinityPool};

/// The external interface, declared once: the selectors [`dispatch`] matches and the
/// Solidity declarations exported to `interfaces/` (`FUNCTIONS_ABI`).
pub mod functions {
    #![allow(missing_docs)]
    strata_common::sol_functions! {
        function setPeripheries(address positionManager, address swapperManager) external;
        function swap(bool zeroForOne, int256 amountSpecified, uint160 sqrtPriceLimitX96, address recipient) external returns (int256 amount0, int256 amount1);
        function quoteSwap(bool zeroForOne, int256 amountSpecified, uint160 sqrtPriceLimitX96) external view returns (int256 amount0, int256 amount1);
        function slot0() external view returns (uint160 sqrtPriceX96, int24 tick);
        function bin(int24 index) external view returns (uint128 liquidity, uint128 lent, uint256 feeGrowth0X128, uint256 feeGrowth1X128);
        function binLiquidity(int24 startBin, int24 stopBin) external view returns (uint256[] memory liquidityAndLent);
        function growthSums(int24 startBin, int24 stopBin) external view returns (uint256 growthSum0X128, uint256 growthSum1X128);
        function config() external view returns (address token0, address token1, int24 binTicks, uint24 feePips, address positionManager, address swapperManager, address math);
        function escrow() external view returns (uint256 amount0, uint256 amount1);
        function modifyLiquidity(address account, int24 startBin, int24 stopBin, int256 liquidityDelta, uint256 fees0, uint256 fees1) external returns (uint256 amount0, uint256 amount1, uint256 growthSum0X128, uint256 growthSum1X128);
        function lend(int24 startBin, int24 stopBin, uint128 liquidityPerBin) external returns (uint256 amount0, uint256 amount1, bool token1);
        function restore(int24 startBin, int24 stopBin, uint128 liquidityPerBin, uint256 reserve0, uint256 reserve1) external returns (uint256 left0, uint256 left1, bool restored);
        function settle(address account, uint256 amount0In, uint256 amount1In, uint256 amount0Out, uint256 amount1Out) external;
        function creditInterest(int24 startBin, bool token1, uint256 total, uint256[] calldata growthX128) external;
    }
}

use functions as f;

/// Solidity declaration of the constructor.
pub const CONSTRUCTOR: &str = "constructor(address admin, address math, address token0, address token1, int24 binTicks, uint24 feePips, uint160 sqrtPriceX96)";

fn out<const N: usize>(result: Result<[U256; N], Error>) -> ArbResult {
    result.map(|w| words(&w)).map_err(Vec::from)
}

/// Decodes the arguments of `selector` from `d` and calls the method. `None` for an unknown
/// selector; a malformed argument reverts with empty data.
#[allow(clippy::too_many_lines)]
fn dispatch(pool: &mut InfinityPool, selector: [u8; 4], d: Args<'_>) -> Option<ArbResult> {
    macro_rules! arg {
        ($e:expr) => {
            match $e {
                Some(v) => v,
                None => return Some(Err(Vec::new())),
            }
        };
    }
    let result = match selector {
        f::setPeripheriesCall::SELECTOR => {
            out(pool.set_peripheries(arg!(d.address(0)), arg!(d.address(1))).map(|()| []))
        }
        f::swapCall::SELECTOR => out(pool
            .swap(arg!(d.boolean(0)), arg!(d.int(1)), arg!(d.uint_bits(2, 160)), arg!(d.address(3)))
            .map(|(a0, a1)| [a0.into_raw(), a1.into_raw()])),
        f::quoteSwapCall::SELECTOR => out(pool
            .quote_swap(arg!(d.boolean(0)), arg!(d.int(1)), arg!(d.uint_bits(2, 160)))
            .map(|(a0, a1)| [a0.into_raw(), a1.into_raw()])),
        f::slot0Call::SELECTOR => {
            let (price, tick) = pool.slot0();
            Ok(words(&[price, tick.word()]))
        }
        f::binCall::SELECTOR => {
            let (l, lent, g0, g1) = pool.bin(arg!(d.int24(0)));
            Ok(words(&[U256::from(l), U256::from(lent), g0, g1]))
        }
        f::binLiquidityCall::SELECTOR => pool
            .bin_liquidity(arg!(d.int24(0)), arg!(d.int24(1)))
            .map(|v| encode_values(&[], &[Value::Array(&v)]))
            .map_err(Vec::from),
        f::growthSumsCall::SELECTOR => {
            out(pool.growth_sums(arg!(d.int24(0)), arg!(d.int24(1))).map(|(a, b)| [a, b]))
        }
        f::configCall::SELECTOR => {
            let (t0, t1, bt, fee, positions, manager, math) = pool.config();
            Ok(words(&[
                t0.word(),
                t1.word(),
                bt.word(),
                U256::from(fee),
                positions.word(),
                manager.word(),
                math.word(),
            ]))
        }
        f::escrowCall::SELECTOR => {
            let (e0, e1) = pool.escrow();
            Ok(words(&[e0, e1]))
        }
        f::modifyLiquidityCall::SELECTOR => out(pool
            .modify_liquidity(
                arg!(d.address(0)),
                arg!(d.int24(1)),
                arg!(d.int24(2)),
                arg!(d.int(3)),
                arg!(d.uint(4)),
                arg!(d.uint(5)),
            )
            .map(|(a0, a1, s0, s1)| [a0, a1, s0, s1])),
        f::lendCall::SELECTOR => out(pool
            .lend(arg!(d.int24(0)), arg!(d.int24(1)), arg!(d.uint128(2)))
            .map(|(a0, a1, token1)| [a0, a1, token1.word()])),
        f::restoreCall::SELECTOR => out(pool
            .restore(
                arg!(d.int24(0)),
                arg!(d.int24(1)),
                arg!(d.uint128(2)),
                arg!(d.uint(3)),
                arg!(d.uint(4)),
            )
            .map(|(a0, a1, done)| [a0, a1, done.word()])),
        f::settleCall::SELECTOR => out(pool
            .settle(
                arg!(d.address(0)),
                arg!(d.uint(1)),
                arg!(d.uint(2)),
                arg!(d.uint(3)),
                arg!(d.uint(4)),
            )
            .map(|()| [])),
        f::creditInterestCall::SELECTOR => out(pool
            .credit_interest(
                arg!(d.int24(0)),
                arg!(d.boolean(1)),
                arg!(d.uint(2)),
                arg!(d.uint_array(3)),
            )
            .map(|()| [])),
        _ => return None,
    };
    Some(result)
}

impl<S> Router<S> for InfinityPool
where
    S: TopLevelStorage + BorrowMut<Self> + ValueDenier + ConstructorGuard,
{
    type Storage = Self;

    fn route(storage: &mut S, selector: u32, input: &[u8]) -> Option<ArbResult> {
        // No function of the pool is payable.
        if let Err(e) = storage.deny_value("") {
            return Some(Err(e));
        }
        dispatch(storage.borrow_mut(), selector.to_be_bytes(), Args(input))
    }

    fn receive(_storage: &mut S) -> Option<Result<(), Vec<u8>>> {
        None
    }

    fn fallback(_storage: &mut S, _calldata: &[u8]) -> Option<ArbResult> {
        None
    }

    fn constructor(storage: &mut S, input: &[u8]) -> Option<ArbResult> {
        if let Err(e) = storage.deny_value("constructor") {
            return Some(Err(e));
        }
        if let Err(e) = storage.check_constructor_slot() {
            return Some(Err(e));
        }
        let d = Args(input);
        let args = (|| {
            Some((
                d.address(0)?,
                d.address(1)?,
                d.address(2)?,
                d.address(3)?,
                d.int24(4)?,
                d.uint24(5)?,
                d.uint_bits(6, 160)?,
            ))
        })();
        let Some((admin, math, token0, token1, bin_ticks, fee, price)) = args else {
            return Some(Err(Vec::new()));
        };
        let pool: &mut InfinityPool = storage.borrow_mut();
        Some(
            pool.constructor(admin, math, token0, token1, bin_ticks, fee, price)
                .map(|()| Vec::new())
                .map_err(Vec::from),
        )
    }
}

#[cfg(feature = "export-abi")]
impl stylus_sdk::abi::export::GenerateAbi for InfinityPool {
    const NAME: &'static str = "InfinityPool";

    fn fmt_abi(f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "interface IInfinityPool {{")?;
        for declaration in functions::FUNCTIONS_ABI {
            write!(f, "\n    {}\n", strata_common::abi_export::normalize(declaration))?;
        }
        for signature in crate::ERROR_SIGNATURES {
            write!(f, "\n    error {};\n", signature.replace(',', ", "))?;
        }
        writeln!(f, "}}")
    }

    fn fmt_constructor_signature(f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{CONSTRUCTOR}")
    }
}

impl InfinityPool {
    /// Required by `#[entrypoint]`: the SDK checks selector overrides of `#[public]`
    /// inheritance here; this router has no inheritance, so there is nothing to check.
    #[doc(hidden)]
    pub const fn __stylus_assert_overrides() {}
}
