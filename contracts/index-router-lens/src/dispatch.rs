//! Dispatch of the lens's functions: calldata in, ABI-encoded result or revert data out.
//!
//! Reverts with empty data, like the SDK's router, for an unknown selector, malformed
//! arguments or ETH sent with the call (no function is payable); every other failure is the
//! function's named error.

use alloc::vec::Vec;

use alloy_sol_types::SolCall;
use strata_common::{
    abi::{encode_values, split, words as encode_words, Args, Value, Word},
    env,
};
use stylus_sdk::{
    alloy_primitives::{Address, U256},
    ArbResult,
};

use crate::{abi::functions as f, Error, IndexRouterLens};

fn err(e: Error) -> Vec<u8> {
    e.into()
}

fn word(result: Result<U256, Error>) -> ArbResult {
    result.map(|w| w.to_be_bytes::<32>().to_vec()).map_err(err)
}

fn words(addresses: &[Address]) -> Vec<U256> {
    addresses.iter().map(|&a| a.word()).collect()
}

fn token_amounts(result: Result<(Vec<Address>, Vec<U256>), Error>) -> ArbResult {
    result
        .map(|(t, a)| encode_values(&[], &[Value::Array(&words(&t)), Value::Array(&a)]))
        .map_err(err)
}

/// Decodes `calldata`, runs the function and encodes its result.
///
/// # Errors
/// The function's revert data; empty data for an unknown selector, malformed arguments or
/// a call carrying ETH.
pub fn dispatch(lens: &mut IndexRouterLens, calldata: &[u8]) -> ArbResult {
    let Some((selector, args)) = split(calldata) else {
        return Err(Vec::new());
    };
    if !env::value().is_zero() {
        return Err(Vec::new());
    }
    run(lens, selector, args).unwrap_or_else(|| Err(Vec::new()))
}

/// Runs the function `selector` with `args`: its encoded result or revert data, or `None`
/// for an unknown selector or malformed arguments.
fn run(l: &mut IndexRouterLens, selector: [u8; 4], a: Args<'_>) -> Option<ArbResult> {
    Some(match selector {
        f::quoteJoinWithTokenCall::SELECTOR => {
            word(l.quote_join_with_token(a.address(0)?, a.address(1)?, a.uint(2)?))
        }
        f::quoteExitToTokenCall::SELECTOR => {
            word(l.quote_exit_to_token(a.address(0)?, a.uint(1)?, a.address(2)?))
        }
        f::quoteJoinAllCall::SELECTOR => token_amounts(l.quote_join_all(a.address(0)?, a.uint(1)?)),
        f::quoteExitAllCall::SELECTOR => token_amounts(l.quote_exit_all(a.address(0)?, a.uint(1)?)),
        f::quoteSwapExactInCall::SELECTOR => {
            word(l.quote_swap_exact_in(&a.address_array(0)?, &a.address_array(1)?, a.uint(2)?))
        }
        f::quoteSwapExactOutCall::SELECTOR => {
            word(l.quote_swap_exact_out(&a.address_array(0)?, &a.address_array(1)?, a.uint(2)?))
        }
        f::resolveCall::SELECTOR => {
            word(l.resolve_token(a.address(0)?, a.address(1)?).map(Word::word))
        }
        f::planRouteCall::SELECTOR => l
            .plan_route(&a.address_array(0)?, &a.address_array(1)?)
            .map(|t| encode_values(&[], &[Value::Array(&words(&t))]))
            .map_err(err),
        f::planSwapExactOutCall::SELECTOR => token_amounts(l.plan_swap_exact_out(
            &a.address_array(0)?,
            &a.address_array(1)?,
            a.uint(2)?,
        )),
        f::planJoinAllCall::SELECTOR => l
            .plan_join_all(a.address(0)?, a.uint(1)?)
            .map(|(pt, pa, t, am)| {
                let (pt, t) = (words(&pt), words(&t));
                encode_values(
                    &[],
                    &[Value::Array(&pt), Value::Array(&pa), Value::Array(&t), Value::Array(&am)],
                )
            })
            .map_err(err),
        f::wrapperUnderlyingCall::SELECTOR => {
            Ok(encode_words(&[l.wrapper_underlying(a.address(0)?).word()]))
        }
        _ => return None,
    })
}
