//! The manager's ABI router (see the pool's `router` module: the same word codec, in place
//! of the SDK's generated router). [`FUNCTIONS`] is the exported interface; the tests check
//! it against the routed selectors and call through it with `alloy`-encoded data.

use alloc::vec::Vec;
use core::borrow::BorrowMut;

use alloy_primitives::U256;
use stylus_sdk::{
    abi::Router,
    stylus_core::{storage::TopLevelStorage, ConstructorGuard, ValueDenier},
    ArbResult,
};

pub use crate::abi::selector;
use crate::{
    abi::{self, address, int24, sint, uint, word, words},
    Error, SwapperManager,
};

macro_rules! functions {
    ($( $name:ident = $sig:literal => $decl:literal; )*) => {
        $( const $name: u32 = selector($sig); )*

        /// The external interface: `(canonical signature, Solidity declaration)` per function.
        pub const FUNCTIONS: &[(&str, &str)] = &[$( ($sig, $decl) ),*];
    };
}

functions! {
    NEW_LOAN = "newLoan(int24,int24,uint128,uint256,uint8,uint64,uint256,uint256)"
        => "function newLoan(int24 startBin, int24 stopBin, uint128 liquidityPerBin, uint256 tokenMix, uint8 loanType, uint64 term, uint256 maxRate, uint256 interestDeposit) external returns (uint256 swapperId)";
    REFLOW = "reflow(uint256,uint256)"
        => "function reflow(uint256 swapperId, uint256 newTokenMix) external";
    TOP_UP = "topUp(uint256,uint256)"
        => "function topUp(uint256 swapperId, uint256 amount) external";
    ACCRUE_INTEREST = "accrueInterest(uint256)"
        => "function accrueInterest(uint256 swapperId) external returns (uint256 credited)";
    UNWIND = "unwind(uint256)"
        => "function unwind(uint256 swapperId) external returns (uint256 amount0, uint256 amount1)";
    SWAPPER = "swapper(uint256)"
        => "function swapper(uint256 swapperId) external view returns (address owner, int24 startBin, int24 stopBin, uint128 liquidityPerBin, uint256 strikeWad, uint256 maxReserve0, uint256 maxReserve1, uint256 reserve0, uint256 reserve1, uint8 loanType, uint64 start, uint64 expiry, uint256 interestDeposit)";
    IS_EXPIRED = "isExpired(uint256)"
        => "function isExpired(uint256 swapperId) external view returns (bool)";
    BORROW_RATE = "borrowRate(int24)"
        => "function borrowRate(int24 binIndex) external view returns (uint256 ratePerSecondWad)";
    PARAMETERS = "parameters()"
        => "function parameters() external view returns (address pool, address math, uint256 baseRatePerSecondWad, uint256 maxUtilisationWad, uint256 fixedTermDiscountWad, uint256 keeperReward0, uint256 keeperReward1)";
}

/// Solidity declaration of the constructor.
pub const CONSTRUCTOR: &str = "constructor(address pool, address math, uint256 baseRatePerSecondWad, uint256 maxUtilisationWad, uint256 fixedTermDiscountWad, uint256 keeperReward0, uint256 keeperReward1)";

fn out<const N: usize>(result: Result<[U256; N], Error>) -> ArbResult {
    result.map(|w| words(&w)).map_err(Vec::from)
}

/// Decodes the arguments of `selector` from `d` and calls the method. `None` for an unknown
/// selector; a malformed argument reverts with empty data.
fn dispatch(m: &mut SwapperManager, selector: u32, d: &[u8]) -> Option<ArbResult> {
    macro_rules! arg {
        ($e:expr) => {
            match $e {
                Some(v) => v,
                None => return Some(Err(Vec::new())),
            }
        };
    }
    let result = match selector {
        NEW_LOAN => out(m
            .new_loan(
                arg!(int24(d, 0)),
                arg!(int24(d, 1)),
                arg!(uint(d, 2, 128)).to::<u128>(),
                arg!(word(d, 3)),
                arg!(uint(d, 4, 8)).to::<u8>(),
                arg!(uint(d, 5, 64)).to::<u64>(),
                arg!(word(d, 6)),
                arg!(word(d, 7)),
            )
            .map(|id| [id])),
        REFLOW => out(m.reflow(arg!(word(d, 0)), arg!(word(d, 1))).map(|()| [])),
        TOP_UP => out(m.top_up(arg!(word(d, 0)), arg!(word(d, 1))).map(|()| [])),
        ACCRUE_INTEREST => out(m.accrue_interest(arg!(word(d, 0))).map(|x| [x])),
        UNWIND => out(m.unwind(arg!(word(d, 0))).map(|(a0, a1)| [a0, a1])),
        SWAPPER => {
            let v = m.swapper(arg!(word(d, 0)));
            Ok(words(&[
                abi::addr(v.0),
                sint(v.1),
                sint(v.2),
                U256::from(v.3),
                v.4,
                v.5,
                v.6,
                v.7,
                v.8,
                U256::from(v.9),
                U256::from(v.10),
                U256::from(v.11),
                v.12,
            ]))
        }
        IS_EXPIRED => out(m.is_expired(arg!(word(d, 0))).map(|b| [abi::flag(b)])),
        BORROW_RATE => out(m.borrow_rate(arg!(int24(d, 0))).map(|r| [r])),
        PARAMETERS => {
            let p = m.parameters();
            Ok(words(&[abi::addr(p.0), abi::addr(p.1), p.2, p.3, p.4, p.5, p.6]))
        }
        _ => return None,
    };
    Some(result)
}

impl<S> Router<S> for SwapperManager
where
    S: TopLevelStorage + BorrowMut<Self> + ValueDenier + ConstructorGuard,
{
    type Storage = Self;

    fn route(storage: &mut S, selector: u32, input: &[u8]) -> Option<ArbResult> {
        // No function of the manager is payable.
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
                word(d, 2)?,
                word(d, 3)?,
                word(d, 4)?,
                word(d, 5)?,
                word(d, 6)?,
            ))
        })();
        let Some((pool, math, base, max_util, discount, k0, k1)) = args else {
            return Some(Err(Vec::new()));
        };
        let m: &mut SwapperManager = storage.borrow_mut();
        Some(
            m.constructor(pool, math, base, max_util, discount, k0, k1)
                .map(|()| Vec::new())
                .map_err(Vec::from),
        )
    }
}

impl SwapperManager {
    /// Required by `#[entrypoint]`: the SDK checks selector overrides of `#[public]`
    /// inheritance here; this router has no inheritance, so there is nothing to check.
    #[doc(hidden)]
    pub const fn __stylus_assert_overrides() {}
}

#[cfg(feature = "export-abi")]
impl stylus_sdk::abi::export::GenerateAbi for SwapperManager {
    const NAME: &'static str = "SwapperManager";

    fn fmt_abi(f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "interface ISwapperManager {{")?;
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
