//! The library must return exactly what `strata_math` returns (it is a thin ABI wrapper),
//! map every math refusal to `WeightedMathError(code)`, and keep the selectors the pool
//! calls (`index_pool_shared::math_abi`).
#![allow(
    clippy::arithmetic_side_effects,
    clippy::many_single_char_names,
    clippy::needless_pass_by_value
)]

use alloy_sol_types::{SolCall, SolError};
use index_pool_shared::math_abi;
use stylus_sdk::alloy_primitives::{uint, U256};

use crate::{Error, WeightedMath, WeightedMathError};

const E18: U256 = uint!(1_000_000_000_000_000_000_U256);
const MIN_WEIGHT: U256 = uint!(1_000_000_000_U256);
const FEE: U256 = uint!(10_000_000_000_000_000_U256);

fn e18(v: u64) -> U256 {
    U256::from(v) * E18
}

fn code(err: Error) -> u8 {
    match err {
        Error::Math(WeightedMathError { code }) => code,
    }
}

#[test]
fn spot_price_matches_the_powerindex_reference() {
    // Spec reference (pool 100e18 / 200e18, weights 1e9 / 1e9, fee 1%): 0.50505...051.
    let spot =
        WeightedMath::calc_spot_price(e18(100), MIN_WEIGHT, e18(200), MIN_WEIGHT, FEE).unwrap();
    assert_eq!(spot, uint!(505_050_505_050_505_051_U256));
}

#[test]
fn out_given_in_is_the_strata_math_value() {
    let amount_in = uint!(95_000_000_000_000_000_U256);
    let out =
        WeightedMath::calc_out_given_in(e18(100), MIN_WEIGHT, e18(200), MIN_WEIGHT, amount_in, FEE)
            .unwrap();
    // strata_math's pinned value for the spec's reference (anchor: 187923258175685800).
    assert_eq!(out, uint!(187_923_258_175_685_600_U256));
}

#[test]
fn every_formula_equals_strata_math() {
    use strata_math::weighted_math as wm;
    let (b, w, s, wt, a, f) = (e18(100), e18(10), e18(100), e18(25), e18(3), FEE);
    assert_eq!(
        WeightedMath::calc_in_given_out(b, w, e18(200), e18(15), a, f).unwrap(),
        wm::calc_in_given_out(b, w, e18(200), e18(15), a, f).unwrap()
    );
    assert_eq!(
        WeightedMath::calc_pool_out_given_single_in(b, w, s, wt, a, f).unwrap(),
        wm::calc_pool_out_given_single_in(b, w, s, wt, a, f).unwrap()
    );
    assert_eq!(
        WeightedMath::calc_single_in_given_pool_out(b, w, s, wt, a, f).unwrap(),
        wm::calc_single_in_given_pool_out(b, w, s, wt, a, f).unwrap()
    );
    assert_eq!(
        WeightedMath::calc_single_out_given_pool_in(b, w, s, wt, a, f).unwrap(),
        wm::calc_single_out_given_pool_in(b, w, s, wt, a, f).unwrap()
    );
    assert_eq!(
        WeightedMath::calc_pool_in_given_single_out(b, w, s, wt, a, f).unwrap(),
        wm::calc_pool_in_given_single_out(b, w, s, wt, a, f).unwrap()
    );
}

#[test]
fn math_refusals_revert_with_their_code() {
    // Fee of 100%: InvalidFee (14).
    let err = WeightedMath::calc_out_given_in(e18(1), MIN_WEIGHT, e18(1), MIN_WEIGHT, e18(1), E18)
        .unwrap_err();
    assert_eq!(code(err), 14);
    // Out >= balance: InsufficientLiquidity (13).
    let err = WeightedMath::calc_in_given_out(e18(1), MIN_WEIGHT, e18(1), MIN_WEIGHT, e18(1), FEE)
        .unwrap_err();
    assert_eq!(code(err), 13);
    // Weight above the total: InvalidWeight (15).
    let err =
        WeightedMath::calc_pool_out_given_single_in(e18(1), e18(2), e18(1), e18(1), e18(1), FEE)
            .unwrap_err();
    assert_eq!(code(err), 15);
    // Zero balance out: DivisionByZero (2).
    let err =
        WeightedMath::calc_spot_price(e18(1), MIN_WEIGHT, U256::ZERO, MIN_WEIGHT, FEE).unwrap_err();
    assert_eq!(code(err), 2);
}

#[test]
fn revert_data_is_the_error_the_pool_decodes() {
    let data: Vec<u8> =
        WeightedMath::calc_out_given_in(e18(1), MIN_WEIGHT, e18(1), MIN_WEIGHT, e18(1), E18)
            .unwrap_err()
            .into();
    assert_eq!(data, math_abi::WeightedMathError { code: 14 }.abi_encode());
    assert_eq!(WeightedMathError::SELECTOR, math_abi::WeightedMathError::SELECTOR);
}

#[test]
fn selectors_match_the_pools_declaration() {
    // The pool calls the library by these selectors; the library's router dispatches on the
    // camelCase names of its functions. Each call below goes through the selector.
    let expected = [
        (
            "calcSpotPrice(uint256,uint256,uint256,uint256,uint256)",
            math_abi::calcSpotPriceCall::SELECTOR,
        ),
        (
            "calcOutGivenIn(uint256,uint256,uint256,uint256,uint256,uint256)",
            math_abi::calcOutGivenInCall::SELECTOR,
        ),
        (
            "calcInGivenOut(uint256,uint256,uint256,uint256,uint256,uint256)",
            math_abi::calcInGivenOutCall::SELECTOR,
        ),
        (
            "calcPoolOutGivenSingleIn(uint256,uint256,uint256,uint256,uint256,uint256)",
            math_abi::calcPoolOutGivenSingleInCall::SELECTOR,
        ),
        (
            "calcSingleInGivenPoolOut(uint256,uint256,uint256,uint256,uint256,uint256)",
            math_abi::calcSingleInGivenPoolOutCall::SELECTOR,
        ),
        (
            "calcSingleOutGivenPoolIn(uint256,uint256,uint256,uint256,uint256,uint256)",
            math_abi::calcSingleOutGivenPoolInCall::SELECTOR,
        ),
        (
            "calcPoolInGivenSingleOut(uint256,uint256,uint256,uint256,uint256,uint256)",
            math_abi::calcPoolInGivenSingleOutCall::SELECTOR,
        ),
    ];
    for (signature, selector) in expected {
        let hash = stylus_sdk::alloy_primitives::keccak256(signature.as_bytes());
        assert_eq!(&hash[..4], selector.as_slice(), "{signature}");
    }
}
