//! The pool's ABI router: selector dispatch, argument decoding and return encoding with the
//! word codec of [`crate::abi`], in place of the SDK's generated router (see the crate docs:
//! this is what keeps the contract under the Stylus size limit).
//!
//! [`FUNCTIONS`] is the single table of the external interface: each entry is the canonical
//! signature the selector is computed from and the Solidity declaration exported to
//! `interfaces/`. The tests check that both halves of every entry agree, that every selector
//! is routed, and they call every function through the router.

use alloc::vec::Vec;
use core::borrow::BorrowMut;

use alloy_primitives::{I256, U256};
use stylus_sdk::{
    abi::Router,
    stylus_core::{storage::TopLevelStorage, ConstructorGuard, ValueDenier},
    ArbResult,
};

use crate::{
    abi::{self, address, array, boolean, int24, sint, uint, word, words},
    Error, InfinityPool,
};

pub use crate::abi::selector;

macro_rules! functions {
    ($( $name:ident = $sig:literal => $decl:literal; )*) => {
        $( const $name: u32 = selector($sig); )*

        /// The external interface: `(canonical signature, Solidity declaration)` per function.
        pub const FUNCTIONS: &[(&str, &str)] = &[$( ($sig, $decl) ),*];
    };
}

functions! {
    SET_PERIPHERIES = "setPeripheries(address,address)"
        => "function setPeripheries(address positionManager, address swapperManager) external";
    SWAP = "swap(bool,int256,uint160,address)"
        => "function swap(bool zeroForOne, int256 amountSpecified, uint160 sqrtPriceLimitX96, address recipient) external returns (int256 amount0, int256 amount1)";
    QUOTE_SWAP = "quoteSwap(bool,int256,uint160)"
        => "function quoteSwap(bool zeroForOne, int256 amountSpecified, uint160 sqrtPriceLimitX96) external view returns (int256 amount0, int256 amount1)";
    SLOT0 = "slot0()"
        => "function slot0() external view returns (uint160 sqrtPriceX96, int24 tick)";
    BIN = "bin(int24)"
        => "function bin(int24 index) external view returns (uint128 liquidity, uint128 lent, uint256 feeGrowth0X128, uint256 feeGrowth1X128)";
    BIN_LIQUIDITY = "binLiquidity(int24,int24)"
        => "function binLiquidity(int24 startBin, int24 stopBin) external view returns (uint256[] memory liquidityAndLent)";
    GROWTH_SUMS = "growthSums(int24,int24)"
        => "function growthSums(int24 startBin, int24 stopBin) external view returns (uint256 growthSum0X128, uint256 growthSum1X128)";
    CONFIG = "config()"
        => "function config() external view returns (address token0, address token1, int24 binTicks, uint24 feePips, address positionManager, address swapperManager, address math)";
    ESCROW = "escrow()" => "function escrow() external view returns (uint256 amount0, uint256 amount1)";
    MODIFY_LIQUIDITY = "modifyLiquidity(address,int24,int24,int256,uint256,uint256)"
        => "function modifyLiquidity(address account, int24 startBin, int24 stopBin, int256 liquidityDelta, uint256 fees0, uint256 fees1) external returns (uint256 amount0, uint256 amount1, uint256 growthSum0X128, uint256 growthSum1X128)";
    LEND = "lend(int24,int24,uint128)"
        => "function lend(int24 startBin, int24 stopBin, uint128 liquidityPerBin) external returns (uint256 amount0, uint256 amount1, bool token1)";
    RESTORE = "restore(int24,int24,uint128,uint256,uint256)"
        => "function restore(int24 startBin, int24 stopBin, uint128 liquidityPerBin, uint256 reserve0, uint256 reserve1) external returns (uint256 left0, uint256 left1)";
    SETTLE = "settle(address,uint256,uint256,uint256,uint256)"
        => "function settle(address account, uint256 amount0In, uint256 amount1In, uint256 amount0Out, uint256 amount1Out) external";
    CREDIT_INTEREST = "creditInterest(int24,bool,uint256,uint256[])"
        => "function creditInterest(int24 startBin, bool token1, uint256 total, uint256[] calldata growthX128) external";
}

/// Solidity declaration of the constructor.
pub const CONSTRUCTOR: &str = "constructor(address admin, address math, address token0, address token1, int24 binTicks, uint24 feePips, uint160 sqrtPriceX96)";

fn out<const N: usize>(result: Result<[U256; N], Error>) -> ArbResult {
    result.map(|w| words(&w)).map_err(Vec::from)
}

fn u128w(data: &[u8], i: usize) -> Option<u128> {
    uint(data, i, 128).map(|w| w.to::<u128>())
}

fn i256w(data: &[u8], i: usize) -> Option<I256> {
    word(data, i).map(I256::from_raw)
}

/// Decodes the arguments of `selector` from `d` and calls the method. `None` for an unknown
/// selector; a malformed argument reverts with empty data.
#[allow(clippy::too_many_lines)]
fn dispatch(pool: &mut InfinityPool, selector: u32, d: &[u8]) -> Option<ArbResult> {
    macro_rules! arg {
        ($e:expr) => {
            match $e {
                Some(v) => v,
                None => return Some(Err(Vec::new())),
            }
        };
    }
    let result = match selector {
        SET_PERIPHERIES => {
            out(pool.set_peripheries(arg!(address(d, 0)), arg!(address(d, 1))).map(|()| []))
        }
        SWAP => out(pool
            .swap(
                arg!(boolean(d, 0)),
                arg!(i256w(d, 1)),
                arg!(uint(d, 2, 160)),
                arg!(address(d, 3)),
            )
            .map(|(a0, a1)| [a0.into_raw(), a1.into_raw()])),
        QUOTE_SWAP => out(pool
            .quote_swap(arg!(boolean(d, 0)), arg!(i256w(d, 1)), arg!(uint(d, 2, 160)))
            .map(|(a0, a1)| [a0.into_raw(), a1.into_raw()])),
        SLOT0 => {
            let (price, tick) = pool.slot0();
            Ok(words(&[price, sint(tick)]))
        }
        BIN => {
            let (l, lent, g0, g1) = pool.bin(arg!(int24(d, 0)));
            Ok(words(&[U256::from(l), U256::from(lent), g0, g1]))
        }
        BIN_LIQUIDITY => pool
            .bin_liquidity(arg!(int24(d, 0)), arg!(int24(d, 1)))
            .map(|v| abi::words_array(&v))
            .map_err(Vec::from),
        GROWTH_SUMS => {
            out(pool.growth_sums(arg!(int24(d, 0)), arg!(int24(d, 1))).map(|(a, b)| [a, b]))
        }
        CONFIG => {
            let (t0, t1, bt, fee, positions, manager, math) = pool.config();
            Ok(words(&[
                abi::addr(t0),
                abi::addr(t1),
                sint(bt),
                U256::from(fee),
                abi::addr(positions),
                abi::addr(manager),
                abi::addr(math),
            ]))
        }
        ESCROW => {
            let (e0, e1) = pool.escrow();
            Ok(words(&[e0, e1]))
        }
        MODIFY_LIQUIDITY => out(pool
            .modify_liquidity(
                arg!(address(d, 0)),
                arg!(int24(d, 1)),
                arg!(int24(d, 2)),
                arg!(i256w(d, 3)),
                arg!(word(d, 4)),
                arg!(word(d, 5)),
            )
            .map(|(a0, a1, s0, s1)| [a0, a1, s0, s1])),
        LEND => out(pool
            .lend(arg!(int24(d, 0)), arg!(int24(d, 1)), arg!(u128w(d, 2)))
            .map(|(a0, a1, token1)| [a0, a1, abi::flag(token1)])),
        RESTORE => out(pool
            .restore(
                arg!(int24(d, 0)),
                arg!(int24(d, 1)),
                arg!(u128w(d, 2)),
                arg!(word(d, 3)),
                arg!(word(d, 4)),
            )
            .map(|(a0, a1)| [a0, a1])),
        SETTLE => out(pool
            .settle(
                arg!(address(d, 0)),
                arg!(word(d, 1)),
                arg!(word(d, 2)),
                arg!(word(d, 3)),
                arg!(word(d, 4)),
            )
            .map(|()| [])),
        CREDIT_INTEREST => out(pool
            .credit_interest(
                arg!(int24(d, 0)),
                arg!(boolean(d, 1)),
                arg!(word(d, 2)),
                arg!(array(d, 3)),
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
        dispatch(storage.borrow_mut(), selector, input)
    }

    fn receive(_storage: &mut S) -> Option<Result<(), Vec<u8>>> {
        None
    }

    fn fallback(_storage: &mut S, _calldata: &[u8]) -> Option<ArbResult> {
        None
    }

    fn constructor(storage: &mut S, d: &[u8]) -> Option<ArbResult> {
        if let Err(e) = storage.deny_value("constructor") {
            return Some(Err(e));
        }
        if let Err(e) = storage.check_constructor_slot() {
            return Some(Err(e));
        }
        let args = (|| {
            Some((
                address(d, 0)?,
                address(d, 1)?,
                address(d, 2)?,
                address(d, 3)?,
                int24(d, 4)?,
                uint(d, 5, 24)?.to::<u32>(),
                uint(d, 6, 160)?,
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
        for (_, declaration) in FUNCTIONS {
            write!(f, "\n    {declaration};\n")?;
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
