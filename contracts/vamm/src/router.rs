//! The hand-written router: calldata in, ABI-encoded result or revert data out.
//!
//! Each arm reads its arguments strictly with [`strata_common::abi::Args`] (`None`:
//! malformed calldata), calls the function of [`crate::Vamm`] and returns its
//! static results as words. Unknown selectors and malformed calldata revert with
//! empty data, as the SDK's router does; a function's error reverts with its ABI
//! encoding.

use alloc::{vec, vec::Vec};

use alloy_primitives::U256;
use alloy_sol_types::SolCall;
use strata_common::abi::{split, words, Word};
use stylus_sdk::ArbResult;

use crate::{abi as f, BoxErr, Vamm};

type Out = Result<Vec<U256>, BoxErr>;

fn one(word: impl Word) -> Vec<U256> {
    vec![word.word()]
}

fn two((a, b): (U256, U256)) -> Vec<U256> {
    vec![a, b]
}

fn none((): ()) -> Vec<U256> {
    Vec::new()
}

/// Routes `calldata` (selector and arguments) to the function it names.
pub(crate) fn route(v: &mut Vamm, calldata: &[u8]) -> ArbResult {
    let Some((selector, a)) = split(calldata) else {
        return Err(Vec::new());
    };
    let out: Option<Out> = (|| {
        Some(match selector {
            f::getInputPriceCall::SELECTOR => v.get_input_price(a.uint8(0)?, a.uint(1)?).map(one),
            f::getOutputPriceCall::SELECTOR => v.get_output_price(a.uint8(0)?, a.uint(1)?).map(one),
            f::getInputTwapCall::SELECTOR => v.get_input_twap(a.uint8(0)?, a.uint(1)?).map(one),
            f::getOutputTwapCall::SELECTOR => v.get_output_twap(a.uint8(0)?, a.uint(1)?).map(one),
            f::isOverFluctuationLimitCall::SELECTOR => {
                v.is_over_fluctuation_limit(a.uint8(0)?, a.uint(1)?).map(one)
            }
            f::getSpotPriceCall::SELECTOR => v.get_spot_price().map(one),
            f::getTwapPriceCall::SELECTOR => v.get_twap_price(a.uint(0)?).map(one),
            f::getUnderlyingPriceCall::SELECTOR => v.get_underlying_price().map(one),
            f::getUnderlyingTwapPriceCall::SELECTOR => {
                v.get_underlying_twap_price(a.uint(0)?).map(one)
            }
            f::getReservesCall::SELECTOR => Ok(two(v.get_reserves())),
            f::calcFeeCall::SELECTOR => v.calc_fee(a.uint(0)?).map(two),
            f::getCapsCall::SELECTOR => Ok(two(v.get_caps())),
            f::totalPositionSizeCall::SELECTOR => Ok(one(v.total_position_size())),
            f::swapInputCall::SELECTOR => {
                v.swap_input(a.uint8(0)?, a.uint(1)?, a.uint(2)?, a.boolean(3)?).map(one)
            }
            f::swapOutputCall::SELECTOR => {
                v.swap_output(a.uint8(0)?, a.uint(1)?, a.uint(2)?, a.boolean(3)?).map(one)
            }
            f::settleFundingCall::SELECTOR => v.settle_funding().map(one),
            f::adjustKCall::SELECTOR => v.adjust_k(a.uint(0)?).map(two),
            f::setOpenCall::SELECTOR => v.set_open(a.boolean(0)?).map(none),
            f::setCapCall::SELECTOR => v.set_cap(a.uint(0)?, a.uint(1)?).map(none),
            f::setFluctuationLimitRatioCall::SELECTOR => {
                v.set_fluctuation_limit_ratio(a.uint(0)?).map(none)
            }
            f::setSpreadRatioCall::SELECTOR => v.set_spread_ratio(a.uint(0)?).map(none),
            f::setTollRatioCall::SELECTOR => v.set_toll_ratio(a.uint(0)?).map(none),
            f::setMaxFundingRateCall::SELECTOR => v.set_max_funding_rate(a.uint(0)?).map(none),
            f::getSnapshotCall::SELECTOR => {
                let (q, b, time, block, count) = v.get_snapshot(a.uint(0)?);
                Ok(vec![q, b, time.word(), block.word(), count])
            }
            f::getConfigCall::SELECTOR => {
                let c = v.get_config();
                Ok(vec![
                    c.0.word(),
                    c.1.word(),
                    c.2.word(),
                    c.3.word(),
                    c.4,
                    c.5,
                    c.6,
                    c.7,
                    c.8,
                    c.9.word(),
                    c.10.word(),
                    c.11.word(),
                ])
            }
            f::ownerCall::SELECTOR => Ok(one(v.owner())),
            f::pendingOwnerCall::SELECTOR => Ok(one(v.pending_owner())),
            f::transferOwnershipCall::SELECTOR => v.transfer_ownership(a.address(0)?).map(none),
            f::acceptOwnershipCall::SELECTOR => v.accept_ownership().map(none),
            f::renounceOwnershipCall::SELECTOR => v.renounce_ownership().map(none),
            _ => return None,
        })
    })();
    match out {
        None => Err(Vec::new()),
        Some(Ok(result)) => Ok(words(&result)),
        Some(Err(e)) => Err(e.into()),
    }
}
