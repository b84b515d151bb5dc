//! Dispatch of the pool's functions: calldata in, ABI-encoded result or revert data out.
//!
//! `IndexPool` runs [`core`]: its own functions (ERC-20 share, `gulp`, the views that need
//! no weight math) run there, and every other selector goes by `DELEGATECALL` to the part that serves it:
//! `IndexPoolSwaps` runs [`swaps`], `IndexPoolLiquidity` runs [`liquidity`], `IndexPoolAdmin`
//! runs [`admin`] (which also answers unknown selectors), each in the pool's context.
//! Off-chain (motsu has no real `DELEGATECALL`), [`core`] calls those dispatchers directly:
//! the same code over the same storage, caller and value as on chain.
//!
//! Reverts with empty data, like the SDK's router, for an unknown selector, malformed
//! arguments, or ETH sent to a non-payable function; every other failure is the function's
//! named error.

use alloc::vec::Vec;

use alloy_sol_types::SolCall;
use strata_common::{
    abi::{encode_bytes, split, words as encode_words, Word},
    env,
};
use stylus_sdk::{alloy_primitives::U256, ArbResult};

use crate::{
    abi::{admin as a, core as c, liquidity as l, swaps as s},
    Error, IndexPoolState,
};

/// Selectors served by `IndexPool` itself.
const CORE: [[u8; 4]; 22] = [
    c::nameCall::SELECTOR,
    c::symbolCall::SELECTOR,
    c::decimalsCall::SELECTOR,
    c::totalSupplyCall::SELECTOR,
    c::balanceOfCall::SELECTOR,
    c::allowanceCall::SELECTOR,
    c::approveCall::SELECTOR,
    c::transferCall::SELECTOR,
    c::transferFromCall::SELECTOR,
    c::getCurrentTokensCall::SELECTOR,
    c::getBalanceCall::SELECTOR,
    c::getSwapFeeCall::SELECTOR,
    c::getControllerCall::SELECTOR,
    c::gulpCall::SELECTOR,
    c::getCommunityFeesCall::SELECTOR,
    c::getWeightPerSecondBoundsCall::SELECTOR,
    c::getImplementationsCall::SELECTOR,
    c::isBoundCall::SELECTOR,
    c::isFinalizedCall::SELECTOR,
    c::isSwapsDisabledCall::SELECTOR,
    c::isWithoutFeeCall::SELECTOR,
    c::isVotingAllowedCall::SELECTOR,
];

/// Selectors served by `IndexPoolSwaps`.
const SWAPS: [[u8; 4]; 7] = [
    s::swapExactAmountInCall::SELECTOR,
    s::swapExactAmountOutCall::SELECTOR,
    s::getDenormalizedWeightCall::SELECTOR,
    s::getTotalDenormalizedWeightCall::SELECTOR,
    s::getNormalizedWeightCall::SELECTOR,
    s::getDynamicWeightSettingsCall::SELECTOR,
    s::getSpotPriceCall::SELECTOR,
];

/// Selectors served by `IndexPoolLiquidity`.
const LIQUIDITY: [[u8; 4]; 6] = [
    l::joinPoolCall::SELECTOR,
    l::exitPoolCall::SELECTOR,
    l::joinswapExternAmountInCall::SELECTOR,
    l::joinswapPoolAmountOutCall::SELECTOR,
    l::exitswapPoolAmountInCall::SELECTOR,
    l::exitswapExternAmountOutCall::SELECTOR,
];

/// The revert of the SDK's router for calls it cannot decode.
fn undecodable() -> ArbResult {
    Err(Vec::new())
}

/// Empty revert data unless the call carries no ETH (non-payable functions).
fn non_payable() -> Result<(), Vec<u8>> {
    if env::value().is_zero() {
        Ok(())
    } else {
        Err(Vec::new())
    }
}

fn done(result: Result<(), Error>) -> ArbResult {
    result.map(|()| Vec::new()).map_err(Vec::from)
}

fn words(result: Result<Vec<U256>, Error>) -> ArbResult {
    result.map(|w| encode_words(&w)).map_err(Vec::from)
}

fn word(result: Result<U256, Error>) -> ArbResult {
    result.map(|w| encode_words(&[w])).map_err(Vec::from)
}

fn flag(result: Result<bool, Error>) -> ArbResult {
    result.map(|b| encode_words(&[b.word()])).map_err(Vec::from)
}

/// Runs a function of `IndexPool` itself (ERC-20 share, `gulp`, the views that need no
/// weight math) or forwards the call to the part that serves it.
///
/// # Errors
/// The function's revert data.
pub fn core(state: &mut IndexPoolState, calldata: &[u8]) -> ArbResult {
    let Some((selector, args)) = split(calldata) else {
        return undecodable();
    };
    if !CORE.contains(&selector) {
        return forward(state, selector, calldata);
    }
    non_payable()?;
    // Each arm decodes its arguments; `None` (malformed) reverts with empty data.
    let result: Option<ArbResult> = match selector {
        c::nameCall::SELECTOR => Some(Ok(encode_bytes(&state.name_bytes()))),
        c::symbolCall::SELECTOR => Some(Ok(encode_bytes(&state.symbol_bytes()))),
        c::decimalsCall::SELECTOR => Some(Ok(encode_words(&[U256::from(18)]))),
        c::totalSupplyCall::SELECTOR => Some(Ok(encode_words(&[state.total_supply()]))),
        c::balanceOfCall::SELECTOR => {
            args.address(0).map(|account| Ok(encode_words(&[state.balance_of(account)])))
        }
        c::allowanceCall::SELECTOR => {
            (|| Some(Ok(encode_words(&[state.allowance(args.address(0)?, args.address(1)?)]))))()
        }
        c::approveCall::SELECTOR => {
            (|| Some(flag(state.approve(args.address(0)?, args.uint(1)?))))()
        }
        c::transferCall::SELECTOR => {
            (|| Some(flag(state.transfer(args.address(0)?, args.uint(1)?))))()
        }
        c::transferFromCall::SELECTOR => {
            (|| Some(flag(state.transfer_from(args.address(0)?, args.address(1)?, args.uint(2)?))))(
            )
        }
        c::getCurrentTokensCall::SELECTOR => {
            // `address[]`: offset, length, one word per token.
            let tokens = state.current_tokens();
            let mut words = Vec::with_capacity(tokens.len().saturating_add(2));
            words.extend_from_slice(&[U256::from(32), U256::from(tokens.len())]);
            words.extend(tokens.into_iter().map(Word::word));
            Some(Ok(encode_words(&words)))
        }
        c::getBalanceCall::SELECTOR => {
            args.address(0).map(|token| word(state.recorded_balance(token)))
        }
        c::getSwapFeeCall::SELECTOR => Some(Ok(encode_words(&[state.swap_fee()]))),
        c::getControllerCall::SELECTOR => Some(Ok(encode_words(&[state.controller().word()]))),
        c::gulpCall::SELECTOR => args.address(0).map(|token| done(state.gulp(token))),
        c::getCommunityFeesCall::SELECTOR => {
            let (swap, join, exit, receiver) = state.community_fees();
            Some(Ok(encode_words(&[swap, join, exit, receiver.word()])))
        }
        c::getWeightPerSecondBoundsCall::SELECTOR => {
            let (min, max) = state.weight_per_second_bounds();
            Some(Ok(encode_words(&[min, max])))
        }
        c::getImplementationsCall::SELECTOR => {
            let parts = state.parts();
            Some(Ok(encode_words(&[
                parts.swaps.word(),
                parts.liquidity.word(),
                parts.admin.word(),
                parts.math.word(),
            ])))
        }
        c::isBoundCall::SELECTOR => {
            args.address(0).map(|t| Ok(encode_words(&[state.is_bound(t).word()])))
        }
        c::isFinalizedCall::SELECTOR => Some(Ok(encode_words(&[state.is_finalized().word()]))),
        c::isSwapsDisabledCall::SELECTOR => {
            Some(Ok(encode_words(&[state.is_swaps_disabled().word()])))
        }
        c::isWithoutFeeCall::SELECTOR => {
            args.address(0).map(|account| Ok(encode_words(&[state.is_without_fee(account).word()])))
        }
        c::isVotingAllowedCall::SELECTOR => (|| {
            Some(Ok(encode_words(&[Word::word(
                state.is_voting_allowed(args.address(0)?, args.bytes4(1)?),
            )])))
        })(),
        _ => None,
    };
    result.unwrap_or_else(undecodable)
}

/// On chain: `DELEGATECALL` to the part serving `selector` (`IndexPoolAdmin` for unknown
/// selectors, which it rejects). Off-chain: that part's dispatcher in-process.
fn forward(state: &mut IndexPoolState, selector: [u8; 4], calldata: &[u8]) -> ArbResult {
    #[cfg(target_arch = "wasm32")]
    {
        let parts = state.parts();
        let target = if SWAPS.contains(&selector) {
            parts.swaps
        } else if LIQUIDITY.contains(&selector) {
            parts.liquidity
        } else {
            parts.admin
        };
        crate::delegate(target, calldata)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        if SWAPS.contains(&selector) {
            swaps(state, calldata)
        } else if LIQUIDITY.contains(&selector) {
            liquidity(state, calldata)
        } else {
            admin(state, calldata)
        }
    }
}

/// Runs a function of `IndexPoolSwaps` (the swaps, the weight and price views).
///
/// # Errors
/// The function's revert data.
pub fn swaps(state: &mut IndexPoolState, calldata: &[u8]) -> ArbResult {
    let Some((selector, args)) = split(calldata) else {
        return undecodable();
    };
    if !SWAPS.contains(&selector) {
        return undecodable();
    }
    non_payable()?;
    let now = env::timestamp();
    let result: Option<ArbResult> = match selector {
        s::swapExactAmountInCall::SELECTOR | s::swapExactAmountOutCall::SELECTOR => (|| {
            let (token_in, amount_a, token_out, amount_b, max_price) =
                (args.address(0)?, args.uint(1)?, args.address(2)?, args.uint(3)?, args.uint(4)?);
            let result = if selector == s::swapExactAmountInCall::SELECTOR {
                state.swap_exact_amount_in_at(
                    now, token_in, amount_a, token_out, amount_b, max_price,
                )
            } else {
                state.swap_exact_amount_out_at(
                    now, token_in, amount_a, token_out, amount_b, max_price,
                )
            };
            Some(words(
                result.map(|(amount, spot_price_after)| alloc::vec![amount, spot_price_after]),
            ))
        })(),
        s::getDenormalizedWeightCall::SELECTOR => {
            args.address(0).map(|token| word(state.weight_of_at(now, token)))
        }
        s::getTotalDenormalizedWeightCall::SELECTOR => Some(word(state.total_weight_at(now))),
        s::getNormalizedWeightCall::SELECTOR => {
            args.address(0).map(|token| word(state.normalized_weight_at(now, token)))
        }
        s::getDynamicWeightSettingsCall::SELECTOR => args.address(0).map(|token| {
            words(state.dynamic_weight_settings(token).map(
                |(from_ts, target_ts, from_w, target_w)| {
                    alloc::vec![from_ts, target_ts, from_w, target_w]
                },
            ))
        }),
        s::getSpotPriceCall::SELECTOR => {
            (|| Some(word(state.spot_price_at(now, args.address(0)?, args.address(1)?))))()
        }
        _ => None,
    };
    result.unwrap_or_else(undecodable)
}

/// Runs a function of `IndexPoolLiquidity` (joins and exits).
///
/// # Errors
/// The function's revert data.
pub fn liquidity(state: &mut IndexPoolState, calldata: &[u8]) -> ArbResult {
    let Some((selector, args)) = split(calldata) else {
        return undecodable();
    };
    if !LIQUIDITY.contains(&selector) {
        return undecodable();
    }
    non_payable()?;
    if selector == l::joinPoolCall::SELECTOR || selector == l::exitPoolCall::SELECTOR {
        let (Some(pool_amount), Some(limits)) = (args.uint(0), args.uint_array(1)) else {
            return undecodable();
        };
        return done(if selector == l::joinPoolCall::SELECTOR {
            state.join_pool(pool_amount, &limits)
        } else {
            state.exit_pool(pool_amount, &limits)
        });
    }
    let (Some(token), Some(amount), Some(limit)) = (args.address(0), args.uint(1), args.uint(2))
    else {
        return undecodable();
    };
    let now = env::timestamp();
    let result = if selector == l::joinswapExternAmountInCall::SELECTOR {
        state.joinswap_extern_amount_in_at(now, token, amount, limit)
    } else if selector == l::joinswapPoolAmountOutCall::SELECTOR {
        state.joinswap_pool_amount_out_at(now, token, amount, limit)
    } else if selector == l::exitswapPoolAmountInCall::SELECTOR {
        state.exitswap_pool_amount_in_at(now, token, amount, limit)
    } else {
        state.exitswap_extern_amount_out_at(now, token, amount, limit)
    };
    word(result)
}

/// Runs a function of `IndexPoolAdmin` (the controller functions).
///
/// # Errors
/// The function's revert data.
#[allow(clippy::too_many_lines)]
pub fn admin(state: &mut IndexPoolState, calldata: &[u8]) -> ArbResult {
    let Some((selector, args)) = split(calldata) else {
        return undecodable();
    };
    if selector == a::callVotingCall::SELECTOR {
        let (Some(target), Some(voting_selector), Some(voting_args), Some(value)) =
            (args.address(0), args.bytes4(1), args.bytes(2), args.uint(3))
        else {
            return undecodable();
        };
        return done(state.call_voting(target, voting_selector, voting_args, value));
    }
    non_payable()?;
    let now = env::timestamp();
    // Each arm decodes its arguments; `None` (malformed or unknown) reverts with empty data.
    let result: Option<ArbResult> = match selector {
        a::bindCall::SELECTOR => (|| {
            Some(done(state.bind_at(
                now,
                args.address(0)?,
                args.uint(1)?,
                args.uint(2)?,
                args.uint(3)?,
                args.uint(4)?,
            )))
        })(),
        a::unbindCall::SELECTOR => args.address(0).map(|token| done(state.unbind_at(now, token))),
        a::finalizeCall::SELECTOR => Some(done(state.finalize())),
        a::setDynamicWeightCall::SELECTOR => (|| {
            Some(done(state.set_dynamic_weight_at(
                now,
                args.address(0)?,
                args.uint(1)?,
                args.uint(2)?,
                args.uint(3)?,
            )))
        })(),
        a::setWeightPerSecondBoundsCall::SELECTOR => {
            (|| Some(done(state.set_weight_per_second_bounds(args.uint(0)?, args.uint(1)?))))()
        }
        a::setSwapFeeCall::SELECTOR => args.uint(0).map(|fee| done(state.set_swap_fee(fee))),
        a::setCommunityFeesAndReceiverCall::SELECTOR => (|| {
            Some(done(state.set_community_fees_and_receiver(
                args.uint(0)?,
                args.uint(1)?,
                args.uint(2)?,
                args.address(3)?,
            )))
        })(),
        a::setControllerCall::SELECTOR => args.address(0).map(|c| done(state.set_controller(c))),
        a::setSwapsDisabledCall::SELECTOR => {
            args.boolean(0).map(|d| done(state.set_swaps_disabled(d)))
        }
        a::setWithoutFeeCall::SELECTOR => {
            (|| Some(done(state.set_without_fee(args.address(0)?, args.boolean(1)?))))()
        }
        a::setVotingAllowedCall::SELECTOR => (|| {
            Some(done(state.set_voting_allowed(
                args.address(0)?,
                args.bytes4(1)?,
                args.boolean(2)?,
            )))
        })(),
        _ => None,
    };
    result.unwrap_or_else(undecodable)
}
