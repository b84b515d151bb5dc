//! Unit tests of the router: its hand-written selectors against the lens's, the pool's and
//! the pi-token's ABI modules; the lens errors it passes on; the calldata it builds for the
//! lens and the return data it reads back; construction and the dispatcher's edge cases.
//! Execution against real pools is tested in `test/index` (`router_*`, `example_*`).
#![allow(
    clippy::many_single_char_names,
    clippy::unused_self,
    clippy::too_many_lines,
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    missing_docs
)]

use alloc::{vec, vec::Vec};

use alloy_sol_types::{SolCall, SolError, SolValue};
use motsu::prelude::*;
use stylus_sdk::alloy_primitives::{Address, FixedBytes, U256};

use crate::{calls::sigs as s, *};

#[test]
fn lens_selectors_and_errors_match_the_lens() {
    use abi::functions as r;
    use index_router_lens as lens;
    use index_router_lens::abi::functions as l;
    assert_eq!(s::resolveCall::SELECTOR, l::resolveCall::SELECTOR);
    assert_eq!(s::planRouteCall::SELECTOR, l::planRouteCall::SELECTOR);
    assert_eq!(s::planSwapExactOutCall::SELECTOR, l::planSwapExactOutCall::SELECTOR);
    assert_eq!(s::planJoinAllCall::SELECTOR, l::planJoinAllCall::SELECTOR);
    assert_eq!(s::wrapperUnderlyingCall::SELECTOR, l::wrapperUnderlyingCall::SELECTOR);
    // The forwarded functions have the same signatures on both contracts.
    assert_eq!(r::quoteJoinWithTokenCall::SELECTOR, l::quoteJoinWithTokenCall::SELECTOR);
    assert_eq!(r::quoteExitToTokenCall::SELECTOR, l::quoteExitToTokenCall::SELECTOR);
    assert_eq!(r::quoteJoinAllCall::SELECTOR, l::quoteJoinAllCall::SELECTOR);
    assert_eq!(r::quoteExitAllCall::SELECTOR, l::quoteExitAllCall::SELECTOR);
    assert_eq!(r::quoteSwapExactInCall::SELECTOR, l::quoteSwapExactInCall::SELECTOR);
    assert_eq!(r::quoteSwapExactOutCall::SELECTOR, l::quoteSwapExactOutCall::SELECTOR);
    assert_eq!(r::wrapperUnderlyingCall::SELECTOR, l::wrapperUnderlyingCall::SELECTOR);
    // The lens's errors, which the router passes on, are declared here with the same
    // signatures (so the router's interface lists them).
    assert_eq!(IndexRouterZeroAmount::SELECTOR, lens::IndexRouterZeroAmount::SELECTOR);
    assert_eq!(IndexRouterCallFailed::SELECTOR, lens::IndexRouterCallFailed::SELECTOR);
    assert_eq!(IndexRouterMath::SELECTOR, lens::IndexRouterMath::SELECTOR);
    assert_eq!(IndexRouterTokenNotInPool::SELECTOR, lens::IndexRouterTokenNotInPool::SELECTOR);
    assert_eq!(IndexRouterInvalidPath::SELECTOR, lens::IndexRouterInvalidPath::SELECTOR);
    assert_eq!(IndexRouterPoolRepeated::SELECTOR, lens::IndexRouterPoolRepeated::SELECTOR);
    assert_eq!(IndexRouterWrapperRepeated::SELECTOR, lens::IndexRouterWrapperRepeated::SELECTOR);
}

#[test]
fn pool_pi_token_and_erc20_selectors_match_their_abis() {
    use index_pool::abi::{core as c, liquidity as l, swaps as w};
    use pi_token::abi::functions as p;
    assert_eq!(s::getCurrentTokensCall::SELECTOR, c::getCurrentTokensCall::SELECTOR);
    assert_eq!(s::swapExactAmountInCall::SELECTOR, w::swapExactAmountInCall::SELECTOR);
    assert_eq!(s::swapExactAmountOutCall::SELECTOR, w::swapExactAmountOutCall::SELECTOR);
    assert_eq!(s::joinswapExternAmountInCall::SELECTOR, l::joinswapExternAmountInCall::SELECTOR);
    assert_eq!(s::exitswapPoolAmountInCall::SELECTOR, l::exitswapPoolAmountInCall::SELECTOR);
    assert_eq!(s::joinPoolCall::SELECTOR, l::joinPoolCall::SELECTOR);
    assert_eq!(s::exitPoolCall::SELECTOR, l::exitPoolCall::SELECTOR);
    assert_eq!(s::depositCall::SELECTOR, p::depositCall::SELECTOR);
    assert_eq!(s::mintCall::SELECTOR, p::mintCall::SELECTOR);
    assert_eq!(s::withdrawCall::SELECTOR, p::withdrawCall::SELECTOR);
    assert_eq!(s::withdrawUnderlyingCall::SELECTOR, p::withdrawUnderlyingCall::SELECTOR);
    assert_eq!(s::balanceOfCall::SELECTOR, p::balanceOfCall::SELECTOR);
    assert_eq!(s::transferCall::SELECTOR, p::transferCall::SELECTOR);
    assert_eq!(s::transferFromCall::SELECTOR, p::transferFromCall::SELECTOR);
    assert_eq!(s::approveCall::SELECTOR, p::approveCall::SELECTOR);
}

#[test]
fn route_calls_to_the_lens_are_abi_encoded() {
    let pools = vec![Address::with_last_byte(1), Address::with_last_byte(2)];
    let path =
        vec![Address::with_last_byte(3), Address::with_last_byte(4), Address::with_last_byte(5)];
    assert_eq!(
        calls::encode_route_call(s::planRouteCall::SELECTOR, &pools, &path, None),
        s::planRouteCall { pools: pools.clone(), path: path.clone() }.abi_encode()
    );
    assert_eq!(
        calls::encode_route_call(
            s::planSwapExactOutCall::SELECTOR,
            &pools,
            &path,
            Some(U256::from(77))
        ),
        s::planSwapExactOutCall { pools, path, amountOut: U256::from(77) }.abi_encode()
    );
    assert_eq!(
        strata_common::abi::encode(&s::resolveCall::SELECTOR, &[U256::from(1), U256::from(2)]),
        s::resolveCall { pool: Address::with_last_byte(1), token: Address::with_last_byte(2) }
            .abi_encode()
    );
    assert_eq!(
        calls::call_with_array(Address::ZERO, [0; 4], U256::from(9), &[U256::from(1)]),
        Err(FixedBytes::ZERO),
        "an address without code is refused before any call"
    );
}

#[test]
fn plans_from_the_lens_are_decoded_strictly() {
    let a = vec![Address::with_last_byte(1), Address::with_last_byte(2)];
    let b = vec![U256::from(10), U256::from(20), U256::from(30)];
    let data = (a.clone(), b.clone()).abi_encode_params();
    let arrays = calls::arrays(&data, 2).unwrap();
    assert_eq!(arrays[0], a.iter().map(|&x| strata_common::abi::Word::word(x)).collect::<Vec<_>>());
    assert_eq!(arrays[1], b);
    let four = (a.clone(), b.clone(), a.clone(), b.clone()).abi_encode_params();
    assert_eq!(calls::arrays(&four, 4).unwrap().len(), 4);
    // A misaligned offset, a length past the end, data cut short.
    let mut bad = data.clone();
    bad[31] = 0x41;
    assert!(calls::arrays(&bad, 2).is_err());
    let mut long = data.clone();
    long[32 * 2 + 31] = 0xff;
    assert!(calls::arrays(&long, 2).is_err());
    assert!(calls::arrays(&data[..data.len() - 32], 2).is_err());
    let tokens = (a.clone(),).abi_encode_params();
    assert_eq!(calls::address_array(&tokens).unwrap(), a);
    let mut dirty = tokens;
    dirty[32 * 2] = 1;
    assert!(calls::address_array(&dirty).is_err());
}

#[motsu::test]
fn the_router_needs_a_lens_and_reports_it(
    router: Contract<IndexRouter>,
    lens: Address,
    alice: Address,
) {
    let err = router.sender(alice).constructor(Address::ZERO).motsu_unwrap_err();
    assert_eq!(Vec::from(err), IndexRouterZeroAddress {}.abi_encode());
    router.sender(alice).constructor(lens).motsu_unwrap();
    assert_eq!(router.sender(alice).lens(), lens);
    let ret = router.sender(alice).fallback(&abi::functions::lensCall {}.abi_encode()).unwrap();
    assert_eq!(abi::functions::lensCall::abi_decode_returns(&ret, true).unwrap()._0, lens);
}

#[motsu::test]
fn unknown_and_malformed_calls_revert_with_empty_data(
    router: Contract<IndexRouter>,
    alice: Address,
) {
    router.sender(alice).constructor(Address::with_last_byte(7)).motsu_unwrap();
    let mut dirty = abi::functions::joinWithTokenCall {
        pool: alice,
        tokenIn: alice,
        amountIn: U256::from(1),
        minPoolAmountOut: U256::ZERO,
        deadline: U256::MAX,
    }
    .abi_encode();
    dirty[4] = 1; // the pool address's padding
    for data in [vec![1u8, 2, 3], vec![0xde, 0xad, 0xbe, 0xef], dirty] {
        assert_eq!(router.sender(alice).fallback(&data), Err(Vec::new()));
    }
    // A forwarded quote to a lens without code fails with empty data too.
    let quote =
        abi::functions::quoteJoinAllCall { pool: alice, poolAmountOut: U256::from(1) }.abi_encode();
    assert_eq!(router.sender(alice).fallback(&quote), Err(Vec::new()));
}
