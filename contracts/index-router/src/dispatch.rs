//! Dispatch of the router's functions: calldata in, ABI-encoded result or revert data out.
//!
//! `quote*` and `wrapperUnderlying` calls go to the lens unchanged (a static call) and its
//! answer or revert data comes back unchanged. Reverts with empty data, like the SDK's
//! router, for an unknown selector, malformed arguments or ETH sent with the call (no
//! function is payable); every other failure is the function's named error. The clock is
//! read once here and passed to the `*_at(now, ..)` functions.

use alloc::vec::Vec;

use alloy_sol_types::SolCall;
use strata_common::{
    abi::{encode_values, split, words as encode_words, Args, Value, Word},
    env,
};
use stylus_sdk::{alloy_primitives::U256, ArbResult};

use crate::{abi::functions as f, IndexRouter, Revert};

/// Selectors the lens answers.
const FORWARDED: [[u8; 4]; 7] = [
    f::quoteJoinWithTokenCall::SELECTOR,
    f::quoteExitToTokenCall::SELECTOR,
    f::quoteJoinAllCall::SELECTOR,
    f::quoteExitAllCall::SELECTOR,
    f::quoteSwapExactInCall::SELECTOR,
    f::quoteSwapExactOutCall::SELECTOR,
    f::wrapperUnderlyingCall::SELECTOR,
];

fn word(result: Result<U256, Revert>) -> ArbResult {
    result.map(|w| w.to_be_bytes::<32>().to_vec())
}

fn array(result: Result<Vec<U256>, Revert>) -> ArbResult {
    result.map(|a| encode_values(&[], &[Value::Array(&a)]))
}

/// Decodes `calldata`, runs the function and encodes its result.
///
/// # Errors
/// The function's revert data; empty data for an unknown selector, malformed arguments or
/// a call carrying ETH.
pub fn dispatch(router: &mut IndexRouter, calldata: &[u8]) -> ArbResult {
    let Some((selector, args)) = split(calldata) else {
        return Err(Vec::new());
    };
    if !env::value().is_zero() {
        return Err(Vec::new());
    }
    if FORWARDED.contains(&selector) {
        return router.forward(calldata);
    }
    run(router, selector, args).unwrap_or_else(|| Err(Vec::new()))
}

/// Runs the function `selector` with `args`: its encoded result or revert data, or `None`
/// for an unknown selector or malformed arguments.
fn run(r: &mut IndexRouter, selector: [u8; 4], a: Args<'_>) -> Option<ArbResult> {
    let now = env::timestamp();
    Some(match selector {
        f::joinWithTokenCall::SELECTOR => word(r.join_with_token_at(
            now,
            a.address(0)?,
            a.address(1)?,
            a.uint(2)?,
            a.uint(3)?,
            a.uint(4)?,
        )),
        f::exitToTokenCall::SELECTOR => word(r.exit_to_token_at(
            now,
            a.address(0)?,
            a.uint(1)?,
            a.address(2)?,
            a.uint(3)?,
            a.uint(4)?,
        )),
        f::joinAllCall::SELECTOR => {
            array(r.join_all_at(now, a.address(0)?, a.uint(1)?, &a.uint_array(2)?, a.uint(3)?))
        }
        f::exitAllCall::SELECTOR => {
            array(r.exit_all_at(now, a.address(0)?, a.uint(1)?, &a.uint_array(2)?, a.uint(3)?))
        }
        f::swapExactInCall::SELECTOR => word(r.swap_exact_in_at(
            now,
            &a.address_array(0)?,
            &a.address_array(1)?,
            a.uint(2)?,
            a.uint(3)?,
            a.address(4)?,
            a.uint(5)?,
        )),
        f::swapExactOutCall::SELECTOR => word(r.swap_exact_out_at(
            now,
            &a.address_array(0)?,
            &a.address_array(1)?,
            a.uint(2)?,
            a.uint(3)?,
            a.address(4)?,
            a.uint(5)?,
        )),
        f::lensCall::SELECTOR => Ok(encode_words(&[r.lens().word()])),
        _ => return None,
    })
}
