//! Dispatch of the lens's functions: calldata in, ABI-encoded result or revert data out.
//!
//! Reverts with empty data, like the SDK's router, for an unknown selector, malformed
//! arguments or ETH sent with the call (no function is payable); every other failure is the
//! function's named error.

use alloc::vec::Vec;

use alloy_sol_types::SolCall;
use strata_common::env;
use stylus_sdk::{
    alloy_primitives::{Address, U256},
    ArbResult,
};

use crate::{
    abi::{address_word, encode_with_arrays, encode_words, functions as f, split_selector, Args},
    Error, IndexRouterLens,
};

fn err(e: Error) -> Vec<u8> {
    e.into()
}

fn word(result: Result<U256, Error>) -> ArbResult {
    result.map(|w| w.to_be_bytes::<32>().to_vec()).map_err(err)
}

fn words(addresses: &[Address]) -> Vec<U256> {
    addresses.iter().map(|&a| address_word(a)).collect()
}

fn token_amounts(result: Result<(Vec<Address>, Vec<U256>), Error>) -> ArbResult {
    result.map(|(t, a)| encode_with_arrays(&[], &[&words(&t), &a])).map_err(err)
}

/// Decodes `calldata`, runs the function and encodes its result.
///
/// # Errors
/// The function's revert data; empty data for an unknown selector, malformed arguments or
/// a call carrying ETH.
pub fn dispatch(lens: &mut IndexRouterLens, calldata: &[u8]) -> ArbResult {
    let Some((selector, args)) = split_selector(calldata) else {
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
            word(l.resolve_token(a.address(0)?, a.address(1)?).map(address_word))
        }
        f::planRouteCall::SELECTOR => l
            .plan_route(&a.address_array(0)?, &a.address_array(1)?)
            .map(|t| encode_with_arrays(&[], &[&words(&t)]))
            .map_err(err),
        f::planSwapExactOutCall::SELECTOR => token_amounts(l.plan_swap_exact_out(
            &a.address_array(0)?,
            &a.address_array(1)?,
            a.uint(2)?,
        )),
        f::planJoinAllCall::SELECTOR => l
            .plan_join_all(a.address(0)?, a.uint(1)?)
            .map(|(pt, pa, t, am)| encode_with_arrays(&[], &[&words(&pt), &pa, &words(&t), &am]))
            .map_err(err),
        f::wrapperUnderlyingCall::SELECTOR => {
            Ok(encode_words(&[address_word(l.wrapper_underlying(a.address(0)?))]))
        }
        _ => return None,
    })
}
