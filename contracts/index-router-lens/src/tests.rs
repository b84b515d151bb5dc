//! Unit tests of the lens: its hand-written selectors and constants against the pool's,
//! the pi-token's and the math library's own ABI modules; the fee arithmetic against the
//! pool's; pi-token detection (the strict ABI reader and the array encoder are tested in
//! `strata_common::abi`). The quotes
//! themselves are tested against execution in `test/index` (`router_*`, `example_*`).
#![allow(
    clippy::many_single_char_names,
    clippy::unused_self,
    clippy::too_many_lines,
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    missing_docs
)]

use alloc::{vec, vec::Vec};

use alloy_sol_types::{SolCall, SolError};
use mock_erc20::MockErc20;
use mock_venue::MockVenue;
use motsu::prelude::*;
use pi_token::PiToken;
use stylus_sdk::alloy_primitives::{uint, Address, FixedBytes, U256};

use crate::{calls::sigs as s, *};

#[test]
fn pool_selectors_match_the_pools_abi() {
    use index_pool::abi::{core as c, liquidity as l, swaps as w};
    assert_eq!(s::getCurrentTokensCall::SELECTOR, c::getCurrentTokensCall::SELECTOR);
    assert_eq!(s::getBalanceCall::SELECTOR, c::getBalanceCall::SELECTOR);
    assert_eq!(s::getSwapFeeCall::SELECTOR, c::getSwapFeeCall::SELECTOR);
    assert_eq!(s::getCommunityFeesCall::SELECTOR, c::getCommunityFeesCall::SELECTOR);
    assert_eq!(s::getImplementationsCall::SELECTOR, c::getImplementationsCall::SELECTOR);
    assert_eq!(s::isBoundCall::SELECTOR, c::isBoundCall::SELECTOR);
    assert_eq!(s::isFinalizedCall::SELECTOR, c::isFinalizedCall::SELECTOR);
    assert_eq!(s::isSwapsDisabledCall::SELECTOR, c::isSwapsDisabledCall::SELECTOR);
    assert_eq!(s::isWithoutFeeCall::SELECTOR, c::isWithoutFeeCall::SELECTOR);
    assert_eq!(s::totalSupplyCall::SELECTOR, c::totalSupplyCall::SELECTOR);
    assert_eq!(s::getDenormalizedWeightCall::SELECTOR, w::getDenormalizedWeightCall::SELECTOR);
    assert_eq!(
        s::getTotalDenormalizedWeightCall::SELECTOR,
        w::getTotalDenormalizedWeightCall::SELECTOR
    );
    assert_eq!(s::swapExactAmountInCall::SELECTOR, w::swapExactAmountInCall::SELECTOR);
    assert_eq!(s::swapExactAmountOutCall::SELECTOR, w::swapExactAmountOutCall::SELECTOR);
    assert_eq!(s::joinswapExternAmountInCall::SELECTOR, l::joinswapExternAmountInCall::SELECTOR);
    assert_eq!(s::exitswapPoolAmountInCall::SELECTOR, l::exitswapPoolAmountInCall::SELECTOR);
    assert_eq!(s::joinPoolCall::SELECTOR, l::joinPoolCall::SELECTOR);
    assert_eq!(s::exitPoolCall::SELECTOR, l::exitPoolCall::SELECTOR);
}

#[test]
fn math_and_pi_token_selectors_and_mirrored_errors_match_their_sources() {
    use index_pool::math_abi as m;
    use pi_token::abi::functions as p;
    use s::pool_errors as e;
    assert_eq!(s::calcOutGivenInCall::SELECTOR, m::calcOutGivenInCall::SELECTOR);
    assert_eq!(s::calcInGivenOutCall::SELECTOR, m::calcInGivenOutCall::SELECTOR);
    assert_eq!(
        s::calcPoolOutGivenSingleInCall::SELECTOR,
        m::calcPoolOutGivenSingleInCall::SELECTOR
    );
    assert_eq!(
        s::calcSingleOutGivenPoolInCall::SELECTOR,
        m::calcSingleOutGivenPoolInCall::SELECTOR
    );
    assert_eq!(s::underlyingCall::SELECTOR, p::underlyingCall::SELECTOR);
    assert_eq!(s::venueCall::SELECTOR, p::venueCall::SELECTOR);
    assert_eq!(s::depositCall::SELECTOR, p::depositCall::SELECTOR);
    assert_eq!(s::mintCall::SELECTOR, p::mintCall::SELECTOR);
    assert_eq!(s::withdrawCall::SELECTOR, p::withdrawCall::SELECTOR);
    assert_eq!(s::withdrawUnderlyingCall::SELECTOR, p::withdrawUnderlyingCall::SELECTOR);
    assert_eq!(s::previewDepositCall::SELECTOR, p::previewDepositCall::SELECTOR);
    assert_eq!(s::previewMintCall::SELECTOR, p::previewMintCall::SELECTOR);
    assert_eq!(s::previewWithdrawCall::SELECTOR, p::previewWithdrawCall::SELECTOR);
    assert_eq!(
        s::previewWithdrawUnderlyingCall::SELECTOR,
        p::previewWithdrawUnderlyingCall::SELECTOR
    );
    assert_eq!(e::IndexPoolNotFinalized::SELECTOR, index_pool::IndexPoolNotFinalized::SELECTOR);
    assert_eq!(e::IndexPoolSwapsDisabled::SELECTOR, index_pool::IndexPoolSwapsDisabled::SELECTOR);
    assert_eq!(e::IndexPoolMaxInRatio::SELECTOR, index_pool::IndexPoolMaxInRatio::SELECTOR);
    assert_eq!(e::IndexPoolMaxOutRatio::SELECTOR, index_pool::IndexPoolMaxOutRatio::SELECTOR);
    assert_eq!(e::IndexPoolMinBalance::SELECTOR, index_pool::IndexPoolMinBalance::SELECTOR);
    assert_eq!(e::IndexPoolPriceBelowSpot::SELECTOR, index_pool::IndexPoolPriceBelowSpot::SELECTOR);
    assert_eq!(e::PiTokenZeroAmount::SELECTOR, pi_token::PiTokenZeroAmount::SELECTOR);
}

#[test]
fn the_pools_limits_are_copied_exactly() {
    assert_eq!(MAX_IN_RATIO, index_pool::MAX_IN_RATIO);
    assert_eq!(MAX_OUT_RATIO, index_pool::MAX_OUT_RATIO);
    assert_eq!(MIN_BALANCE, index_pool::MIN_BALANCE);
}

#[test]
fn fee_arithmetic_equals_the_pools() {
    let amounts = [
        U256::ZERO,
        U256::from(1),
        U256::from(999),
        uint!(1_000_000_000_000_000_000_U256),
        uint!(123_456_789_123_456_789_123_U256),
        U256::MAX / U256::from(1_000_000_000_000_000_000u64),
    ];
    let rates = [
        U256::ZERO,
        U256::from(1),
        uint!(1_000_000_000_000_000_U256),
        uint!(33_333_333_333_333_333_U256),
        index_pool::MAX_FEE,
    ];
    for &x in &amounts {
        for &r in &rates {
            let pool_split = index_pool::split_fee(x, r).map(|(net, _)| net).ok();
            assert_eq!(split_fee(x, r).ok(), pool_split, "split_fee({x}, {r})");
            let pool_gross = index_pool::gross_up(x, r).map(|(gross, _)| gross).ok();
            assert_eq!(gross_up(x, r).ok(), pool_gross, "gross_up({x}, {r})");
        }
    }
}

#[motsu::test]
fn pi_tokens_are_detected_and_other_contracts_are_not(
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    lens: Contract<IndexRouterLens>,
    router: Address,
) {
    token.sender(router).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
    venue.sender(router).constructor(token.address());
    pi.sender(router)
        .constructor(FixedBytes::ZERO, FixedBytes::ZERO, token.address(), venue.address(), router)
        .motsu_unwrap();
    assert_eq!(lens.sender(router).wrapper_underlying(pi.address()), token.address());
    for other in [token.address(), venue.address(), lens.address(), Address::with_last_byte(9)] {
        assert_eq!(lens.sender(router).wrapper_underlying(other), Address::ZERO);
    }
}

#[test]
fn every_error_encodes_as_its_solidity_error() {
    let a = Address::with_last_byte(4);
    let cases: Vec<(Error, Vec<u8>)> = vec![
        (Error::ZeroAmount(IndexRouterZeroAmount {}), IndexRouterZeroAmount {}.abi_encode()),
        (
            Error::TokenNotInPool(IndexRouterTokenNotInPool { pool: a, token: a }),
            IndexRouterTokenNotInPool { pool: a, token: a }.abi_encode(),
        ),
        (Error::InvalidPath(IndexRouterInvalidPath {}), IndexRouterInvalidPath {}.abi_encode()),
        (
            Error::PoolRepeated(IndexRouterPoolRepeated { pool: a }),
            IndexRouterPoolRepeated { pool: a }.abi_encode(),
        ),
        (
            Error::WrapperRepeated(IndexRouterWrapperRepeated { piToken: a }),
            IndexRouterWrapperRepeated { piToken: a }.abi_encode(),
        ),
        (
            Error::CallFailed(IndexRouterCallFailed {
                target: a,
                reason: FixedBytes([1, 2, 3, 4]),
            }),
            IndexRouterCallFailed { target: a, reason: FixedBytes([1, 2, 3, 4]) }.abi_encode(),
        ),
        (Error::Math(IndexRouterMath { code: 2 }), IndexRouterMath { code: 2 }.abi_encode()),
    ];
    for (error, expected) in cases {
        assert_eq!(Vec::from(error), expected);
    }
}
