//! Dispatch of the pi-token's functions: calldata in, ABI-encoded result or revert data out.
//!
//! Reverts with empty data, like the SDK's router, for an unknown selector, malformed
//! arguments or ETH sent with the call (no function is payable); every other failure is the
//! function's named error.

use alloc::{vec, vec::Vec};

use alloy_sol_types::SolCall;
use strata_common::{
    abi::{encode_bytes, split, words as encode_words, Args, Word},
    env,
};
use stylus_sdk::{alloy_primitives::U256, ArbResult};

use crate::{abi::functions as f, Error, PiToken};

fn err(e: Error) -> Vec<u8> {
    e.into()
}

/// One word.
fn word(result: Result<U256, Error>) -> ArbResult {
    result.map(|w| w.to_be_bytes::<32>().to_vec()).map_err(err)
}

fn words(result: Result<Vec<U256>, Error>) -> ArbResult {
    result.map(|w| encode_words(&w)).map_err(err)
}

fn done(result: Result<(), Error>) -> ArbResult {
    result.map(|()| Vec::new()).map_err(err)
}

fn flag(result: Result<bool, Error>) -> ArbResult {
    word(result.map(Word::word))
}

/// Decodes `calldata`, runs the function and encodes its result.
///
/// # Errors
/// The function's revert data; empty data for an unknown selector, malformed arguments or
/// a call carrying ETH.
pub fn dispatch(token: &mut PiToken, calldata: &[u8]) -> ArbResult {
    let Some((selector, args)) = split(calldata) else {
        return Err(Vec::new());
    };
    if !env::value().is_zero() {
        return Err(Vec::new());
    }
    run(token, selector, args).unwrap_or_else(|| Err(Vec::new()))
}

/// Runs the function `selector` with `args`: its encoded result or revert data, or `None`
/// for an unknown selector or malformed arguments.
fn run(token: &mut PiToken, selector: [u8; 4], args: Args<'_>) -> Option<ArbResult> {
    Some(match selector {
        f::nameCall::SELECTOR => Ok(encode_bytes(&token.name_bytes())),
        f::symbolCall::SELECTOR => Ok(encode_bytes(&token.symbol_bytes())),
        f::decimalsCall::SELECTOR => word(Ok(U256::from(token.decimals()))),
        f::totalSupplyCall::SELECTOR => word(Ok(token.total_supply())),
        f::balanceOfCall::SELECTOR => word(Ok(token.balance_of(args.address(0)?))),
        f::allowanceCall::SELECTOR => word(Ok(token.allowance(args.address(0)?, args.address(1)?))),
        f::approveCall::SELECTOR => flag(token.approve(args.address(0)?, args.uint(1)?)),
        f::transferCall::SELECTOR => flag(token.transfer(args.address(0)?, args.uint(1)?)),
        f::transferFromCall::SELECTOR => {
            flag(token.transfer_from(args.address(0)?, args.address(1)?, args.uint(2)?))
        }
        f::depositCall::SELECTOR => word(token.deposit(args.uint(0)?)),
        f::mintCall::SELECTOR => word(token.mint(args.uint(0)?)),
        f::withdrawCall::SELECTOR => word(token.withdraw(args.uint(0)?)),
        f::withdrawUnderlyingCall::SELECTOR => word(token.withdraw_underlying(args.uint(0)?)),
        f::previewDepositCall::SELECTOR => word(token.preview_deposit(args.uint(0)?)),
        f::previewMintCall::SELECTOR => word(token.preview_mint(args.uint(0)?)),
        f::previewWithdrawCall::SELECTOR => word(token.preview_withdraw(args.uint(0)?)),
        f::previewWithdrawUnderlyingCall::SELECTOR => {
            word(token.preview_withdraw_underlying(args.uint(0)?))
        }
        f::totalUnderlyingCall::SELECTOR => word(token.total_underlying()),
        f::getReserveStateCall::SELECTOR => {
            words(token.reserve_state().map(|(r, s, c, l)| vec![r, s, c, l]))
        }
        f::underlyingCall::SELECTOR => word(Ok(token.underlying().word())),
        f::venueCall::SELECTOR => word(Ok(token.venue().word())),
        f::routerCall::SELECTOR => word(Ok(token.router().word())),
        f::reserveRatioCall::SELECTOR => word(Ok(token.reserve_ratio())),
        f::isVotingAllowedCall::SELECTOR => {
            flag(Ok(token.is_voting_allowed(args.address(0)?, args.bytes4(1)?)))
        }
        f::stakeCall::SELECTOR => word(token.stake(args.uint(0)?)),
        f::unstakeCall::SELECTOR => word(token.unstake(args.uint(0)?)),
        f::harvestCall::SELECTOR => words(
            token
                .harvest(args.uint(0)?, args.address(1)?)
                .map(|(gain, fee, fee_pi)| vec![gain, fee, fee_pi]),
        ),
        f::setReserveRatioCall::SELECTOR => done(token.set_reserve_ratio(args.uint(0)?)),
        f::setRouterCall::SELECTOR => done(token.set_router(args.address(0)?)),
        f::setVenueCall::SELECTOR => done(token.set_venue(args.address(0)?)),
        f::setVotingAllowedCall::SELECTOR => {
            done(token.set_voting_allowed(args.address(0)?, args.bytes4(1)?, args.boolean(2)?))
        }
        f::callVotingCall::SELECTOR => {
            done(token.call_voting(args.address(0)?, args.bytes4(1)?, args.bytes(2)?))
        }
        _ => return None,
    })
}
