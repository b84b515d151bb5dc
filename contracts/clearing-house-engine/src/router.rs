//! The hand-written router: calldata in, ABI-encoded result or revert data out.
//!
//! Each arm reads its arguments strictly with [`strata_common::abi::Args`] (`None`:
//! malformed calldata), calls the function of [`crate::ClearingHouseEngine`] and
//! returns its static results as words. Unknown selectors and malformed calldata
//! revert with empty data, as the SDK's router does; a function's error reverts
//! with its ABI encoding (or a vAMM's revert data, unchanged).

use alloc::{vec, vec::Vec};

use alloy_primitives::U256;
use alloy_sol_types::SolCall;
use strata_common::abi::{split, words, Args, Word};
use stylus_sdk::ArbResult;

use crate::{abi as f, BoxErr, ClearingHouseEngine, TradeResult};

type Out = Result<Vec<U256>, BoxErr>;

/// The 13 words of a trade, with room for `extra` more.
fn trade(t: &TradeResult, extra: usize) -> Vec<U256> {
    let mut out = Vec::with_capacity(13usize.saturating_add(extra));
    out.extend_from_slice(&[
        t.0.word(),
        t.1,
        t.2,
        t.3,
        t.4,
        t.5.word(),
        t.6.word(),
        t.7.word(),
        t.8.word(),
        t.9.word(),
        t.10,
        t.11,
        t.12,
    ]);
    out
}

/// Routes `calldata` (selector and arguments) to the function it names.
pub(crate) fn route(e: &mut ClearingHouseEngine, calldata: &[u8]) -> ArbResult {
    let Some((selector, a)) = split(calldata) else {
        return Err(Vec::new());
    };
    match dispatch(e, selector, a) {
        None => Err(Vec::new()),
        Some(Ok(result)) => Ok(words(&result)),
        Some(Err(err)) => Err(err.into()),
    }
}

/// `None`: unknown selector or malformed arguments.
#[allow(clippy::too_many_lines)] // one flat arm per function
fn dispatch(e: &mut ClearingHouseEngine, selector: [u8; 4], a: Args<'_>) -> Option<Out> {
    Some(match selector {
        f::clearingHouseCall::SELECTOR => Ok(vec![e.clearing_house().word()]),
        f::openPositionCall::SELECTOR => e
            .open_position(
                a.address(0)?,
                a.int(1)?,
                a.uint(2)?,
                a.uint(3)?,
                a.int(4)?,
                a.int(5)?,
                a.uint8(6)?,
                a.uint(7)?,
                a.uint(8)?,
                a.uint(9)?,
                a.uint(10)?,
                a.uint(11)?,
                a.uint(12)?,
            )
            .map(|(t, ratio, margin)| {
                let mut out = trade(&t, 2);
                out.extend_from_slice(&[ratio.word(), margin]);
                out
            }),
        f::closePositionCall::SELECTOR => e
            .close_position(
                a.address(0)?,
                a.int(1)?,
                a.uint(2)?,
                a.uint(3)?,
                a.int(4)?,
                a.int(5)?,
                a.uint(6)?,
                a.uint(7)?,
                a.uint(8)?,
            )
            .map(|t| trade(&t, 0)),
        f::liquidatePositionCall::SELECTOR => e
            .liquidate_position(
                a.address(0)?,
                a.int(1)?,
                a.uint(2)?,
                a.uint(3)?,
                a.int(4)?,
                a.int(5)?,
                a.uint(6)?,
                a.uint(7)?,
                a.uint(8)?,
            )
            .map(|(t, ratio, base, penalty, fee, bad_debt, to_fund)| {
                let mut out = trade(&t, 6);
                out.extend_from_slice(&[
                    ratio.word(),
                    base,
                    penalty,
                    fee,
                    bad_debt,
                    to_fund.word(),
                ]);
                out
            }),
        f::settleFundingCall::SELECTOR => {
            e.settle_funding(a.address(0)?).map(|(f, to_fund)| vec![f.word(), to_fund.word()])
        }
        f::adjustKCall::SELECTOR => {
            e.adjust_k(a.address(0)?, a.uint(1)?).map(|cost| vec![cost.word()])
        }
        f::getMarginRatiosCall::SELECTOR => e
            .get_margin_ratios(
                a.address(0)?,
                a.int(1)?,
                a.uint(2)?,
                a.uint(3)?,
                a.int(4)?,
                a.int(5)?,
                a.uint(6)?,
                a.uint(7)?,
                a.uint(8)?,
            )
            .map(|r| vec![r.0.word(), r.1.word(), r.2.word(), r.3.word(), r.4.word()]),
        f::getMarginAfterRemovalCall::SELECTOR => e
            .get_margin_after_removal(
                a.address(0)?,
                a.int(1)?,
                a.uint(2)?,
                a.uint(3)?,
                a.int(4)?,
                a.int(5)?,
                a.uint(6)?,
                a.uint(7)?,
                a.uint(8)?,
            )
            .map(|r| vec![r.0.word(), r.1.word(), r.2.word(), r.3.word(), r.4]),
        f::floorAmountCall::SELECTOR => {
            e.floor_amount(a.uint(0)?, a.uint(1)?).map(|amount| vec![amount])
        }
        f::getFundingPaymentCall::SELECTOR => e
            .get_funding_payment(a.int(0)?, a.uint(1)?, a.int(2)?, a.int(3)?)
            .map(|(margin, bad_debt, funding)| vec![margin, bad_debt, funding.word()]),
        f::getPositionNotionalAndUnrealizedPnlCall::SELECTOR => e
            .get_position_notional_and_unrealized_pnl(
                a.address(0)?,
                a.int(1)?,
                a.uint(2)?,
                a.uint8(3)?,
            )
            .map(|(notional, pnl)| vec![notional, pnl.word()]),
        _ => return None,
    })
}
