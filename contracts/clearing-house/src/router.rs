//! The hand-written router: calldata in, ABI-encoded result or revert data out.
//!
//! Each arm reads its arguments strictly with [`strata_common::abi::Args`] (`None`:
//! malformed calldata), calls the function of [`crate::ClearingHouse`] and returns
//! its static results as words. Unknown selectors and malformed calldata revert
//! with empty data, as the SDK's router does; a function's error reverts with its
//! ABI encoding (or a callee's revert data, unchanged).

use alloc::{vec, vec::Vec};

use alloy_primitives::U256;
use alloy_sol_types::SolCall;
use strata_common::abi::{split, words, Args, Word};
use stylus_sdk::ArbResult;

use crate::{abi as f, BoxErr, ClearingHouse};

type Out = Result<Vec<U256>, BoxErr>;

fn none((): ()) -> Vec<U256> {
    Vec::new()
}

/// Routes `calldata` (selector and arguments) to the function it names.
pub(crate) fn route(c: &mut ClearingHouse, calldata: &[u8]) -> ArbResult {
    let Some((selector, a)) = split(calldata) else {
        return Err(Vec::new());
    };
    match dispatch(c, selector, a) {
        None => Err(Vec::new()),
        Some(Ok(result)) => Ok(words(&result)),
        Some(Err(err)) => Err(err.into()),
    }
}

/// `None`: unknown selector or malformed arguments.
fn dispatch(c: &mut ClearingHouse, selector: [u8; 4], a: Args<'_>) -> Option<Out> {
    Some(match selector {
        f::openPositionCall::SELECTOR => c
            .open_position(a.address(0)?, a.uint8(1)?, a.uint(2)?, a.uint(3)?, a.uint(4)?)
            .map(none),
        f::closePositionCall::SELECTOR => c.close_position(a.address(0)?, a.uint(1)?).map(none),
        f::partialCloseCall::SELECTOR => {
            c.partial_close(a.address(0)?, a.uint(1)?, a.uint(2)?).map(none)
        }
        f::addMarginCall::SELECTOR => c.add_margin(a.address(0)?, a.uint(1)?).map(none),
        f::removeMarginCall::SELECTOR => c.remove_margin(a.address(0)?, a.uint(1)?).map(none),
        f::liquidateCall::SELECTOR => c.liquidate(a.address(0)?, a.address(1)?).map(none),
        f::payFundingCall::SELECTOR => c.pay_funding(a.address(0)?).map(none),
        f::adjustKCall::SELECTOR => c.adjust_k(a.address(0)?, a.uint(1)?).map(none),
        f::setEngineCall::SELECTOR => c.set_engine(a.address(0)?).map(none),
        f::addMarketCall::SELECTOR => c.add_market(a.address(0)?).map(none),
        f::removeMarketCall::SELECTOR => c.remove_market(a.address(0)?).map(none),
        f::setRiskParametersCall::SELECTOR => c
            .set_risk_parameters(a.uint(0)?, a.uint(1)?, a.uint(2)?, a.uint(3)?, a.uint(4)?)
            .map(none),
        f::setBackstopLiquidatorCall::SELECTOR => {
            c.set_backstop_liquidator(a.address(0)?, a.boolean(1)?).map(none)
        }
        f::setPausedCall::SELECTOR => c.set_paused(a.boolean(0)?).map(none),
        f::getPositionCall::SELECTOR => {
            let p = c.get_position(a.address(0)?, a.address(1)?);
            Ok(vec![p.0.word(), p.1, p.2, p.3.word(), p.4])
        }
        f::getPositionWithFundingPaymentCall::SELECTOR => c
            .get_position_with_funding_payment(a.address(0)?, a.address(1)?)
            .map(|p| vec![p.0.word(), p.1, p.2, p.3.word()]),
        f::getPositionNotionalAndUnrealizedPnlCall::SELECTOR => c
            .get_position_notional_and_unrealized_pnl(a.address(0)?, a.address(1)?, a.uint8(2)?)
            .map(|(notional, pnl)| vec![notional, pnl.word()]),
        f::getMarginRatioCall::SELECTOR => {
            c.get_margin_ratio(a.address(0)?, a.address(1)?).map(|r| vec![r.word()])
        }
        f::getLatestCumulativePremiumFractionCall::SELECTOR => {
            Ok(vec![c.get_latest_cumulative_premium_fraction(a.address(0)?).word()])
        }
        f::getMarketCall::SELECTOR => {
            let m = c.get_market(a.address(0)?);
            Ok(vec![m.0.word(), m.1.word(), m.2.word(), m.3, m.4])
        }
        f::getRiskParametersCall::SELECTOR => {
            let r = c.get_risk_parameters();
            Ok(vec![r.0, r.1, r.2, r.3, r.4])
        }
        f::isBackstopLiquidatorCall::SELECTOR => {
            Ok(vec![c.is_backstop_liquidator(a.address(0)?).word()])
        }
        f::getStateCall::SELECTOR => {
            let s = c.get_state();
            Ok(vec![s.0.word(), s.1.word(), s.2.word(), s.3])
        }
        f::ownerCall::SELECTOR => Ok(vec![c.owner().word()]),
        f::pendingOwnerCall::SELECTOR => Ok(vec![c.pending_owner().word()]),
        f::transferOwnershipCall::SELECTOR => c.transfer_ownership(a.address(0)?).map(none),
        f::acceptOwnershipCall::SELECTOR => c.accept_ownership().map(none),
        f::renounceOwnershipCall::SELECTOR => c.renounce_ownership().map(none),
        _ => return None,
    })
}
