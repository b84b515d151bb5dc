//! The manager's ABI router (see the pool's `router` module: the shared word codec of
//! `strata_common::abi`, in place of the SDK's generated router). [`functions`] declares the
//! exported interface once; the tests check it against the routed selectors and call through
//! it with `alloy`-encoded data.

use alloc::vec::Vec;
use core::borrow::BorrowMut;

use alloy_primitives::U256;
use alloy_sol_types::SolCall;
use strata_common::abi::{words, Args, Word};
use stylus_sdk::{
    abi::Router,
    stylus_core::{storage::TopLevelStorage, ConstructorGuard, ValueDenier},
    ArbResult,
};

use crate::{Error, SwapperManager};

/// The external interface, declared once: the selectors [`dispatch`] matches and the
/// Solidity declarations exported to `interfaces/` (`FUNCTIONS_ABI`).
pub mod functions {
    #![allow(missing_docs)]
    strata_common::sol_functions! {
        function newLoan(int24 startBin, int24 stopBin, uint128 liquidityPerBin, uint256 tokenMix, uint8 loanType, uint64 term, uint256 maxRate, uint256 interestDeposit) external returns (uint256 swapperId);
        function reflow(uint256 swapperId, uint256 newTokenMix) external;
        function topUp(uint256 swapperId, uint256 amount) external;
        function accrueInterest(uint256 swapperId) external returns (uint256 credited);
        function unwind(uint256 swapperId) external returns (uint256 amount0, uint256 amount1);
        function swapper(uint256 swapperId) external view returns (address owner, int24 startBin, int24 stopBin, uint128 liquidityPerBin, uint256 strikeWad, uint256 maxReserve0, uint256 maxReserve1, uint256 reserve0, uint256 reserve1, uint8 loanType, uint64 start, uint64 expiry, uint256 interestDeposit);
        function isExpired(uint256 swapperId) external view returns (bool);
        function borrowRate(int24 binIndex) external view returns (uint256 ratePerSecondWad);
        function parameters() external view returns (address pool, address math, uint256 baseRatePerSecondWad, uint256 maxUtilisationWad, uint256 fixedTermDiscountWad, uint256 keeperReward0, uint256 keeperReward1, uint256 roundingBuffer);
    }
}

use functions as f;

/// Solidity declaration of the constructor.
pub const CONSTRUCTOR: &str = "constructor(address pool, address math, uint256 baseRatePerSecondWad, uint256 maxUtilisationWad, uint256 fixedTermDiscountWad, uint256 keeperReward0, uint256 keeperReward1)";

fn out<const N: usize>(result: Result<[U256; N], Error>) -> ArbResult {
    result.map(|w| words(&w)).map_err(Vec::from)
}

/// Decodes the arguments of `selector` from `d` and calls the method. `None` for an unknown
/// selector; a malformed argument reverts with empty data.
fn dispatch(m: &mut SwapperManager, selector: [u8; 4], d: Args<'_>) -> Option<ArbResult> {
    macro_rules! arg {
        ($e:expr) => {
            match $e {
                Some(v) => v,
                None => return Some(Err(Vec::new())),
            }
        };
    }
    let result = match selector {
        f::newLoanCall::SELECTOR => out(m
            .new_loan(
                arg!(d.int24(0)),
                arg!(d.int24(1)),
                arg!(d.uint128(2)),
                arg!(d.uint(3)),
                arg!(d.uint8(4)),
                arg!(d.uint64(5)),
                arg!(d.uint(6)),
                arg!(d.uint(7)),
            )
            .map(|id| [id])),
        f::reflowCall::SELECTOR => out(m.reflow(arg!(d.uint(0)), arg!(d.uint(1))).map(|()| [])),
        f::topUpCall::SELECTOR => out(m.top_up(arg!(d.uint(0)), arg!(d.uint(1))).map(|()| [])),
        f::accrueInterestCall::SELECTOR => out(m.accrue_interest(arg!(d.uint(0))).map(|x| [x])),
        f::unwindCall::SELECTOR => out(m.unwind(arg!(d.uint(0))).map(|(a0, a1)| [a0, a1])),
        f::swapperCall::SELECTOR => {
            let v = m.swapper(arg!(d.uint(0)));
            Ok(words(&[
                v.0.word(),
                v.1.word(),
                v.2.word(),
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
        f::isExpiredCall::SELECTOR => out(m.is_expired(arg!(d.uint(0))).map(|b| [b.word()])),
        f::borrowRateCall::SELECTOR => out(m.borrow_rate(arg!(d.int24(0))).map(|r| [r])),
        f::parametersCall::SELECTOR => {
            let p = m.parameters();
            Ok(words(&[p.0.word(), p.1.word(), p.2, p.3, p.4, p.5, p.6, p.7]))
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
                d.uint(2)?,
                d.uint(3)?,
                d.uint(4)?,
                d.uint(5)?,
                d.uint(6)?,
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
