//! The pool's hand-written ABI router against `alloy`: the exported declarations match the
//! routed selectors, calls encoded by `alloy` reach the typed methods and their return data
//! decodes with `alloy`, and malformed arguments revert with empty data.

use std::collections::HashSet;

use alloy_primitives::{keccak256, Address, U256};
use alloy_sol_types::{sol, SolCall};
use infinity_pool::router::functions::FUNCTIONS_ABI;
use infinity_tests::{i, sqrt_at, u, World, E18};
use motsu::prelude::*;
use stylus_sdk::abi::Router;

sol! {
    interface IPool {
        function swap(bool zeroForOne, int256 amountSpecified, uint160 sqrtPriceLimitX96, address recipient) external returns (int256 amount0, int256 amount1);
        function quoteSwap(bool zeroForOne, int256 amountSpecified, uint160 sqrtPriceLimitX96) external view returns (int256 amount0, int256 amount1);
        function slot0() external view returns (uint160 sqrtPriceX96, int24 tick);
        function bin(int24 index) external view returns (uint128 liquidity, uint128 lent, uint256 feeGrowth0X128, uint256 feeGrowth1X128);
        function binLiquidity(int24 startBin, int24 stopBin) external view returns (uint256[] memory liquidityAndLent);
        function growthSums(int24 startBin, int24 stopBin) external view returns (uint256 growthSum0X128, uint256 growthSum1X128);
        function config() external view returns (address token0, address token1, int24 binTicks, uint24 feePips, address positionManager, address swapperManager, address math);
        function escrow() external view returns (uint256 amount0, uint256 amount1);
        function creditInterest(int24 startBin, bool token1, uint256 total, uint256[] calldata growthX128) external;
    }
}

fn hooks() -> Address {
    Address::from([0x33; 20])
}
fn lp() -> Address {
    Address::from([0x11; 20])
}

/// `name(type,type,…)` from a Solidity declaration.
fn canonical(declaration: &str) -> String {
    let rest = declaration.strip_prefix("function ").unwrap();
    let (name, rest) = rest.split_once('(').unwrap();
    let (params, _) = rest.split_once(')').unwrap();
    let types: Vec<&str> = params
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| p.split_whitespace().next().unwrap())
        .collect();
    format!("{name}({})", types.join(","))
}

fn route(w: &World, caller: Address, data: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    let mut call = w.pool.sender(caller);
    let pool: &mut infinity_pool::InfinityPool = &mut call;
    let sel = u32::from_be_bytes(data[..4].try_into().unwrap());
    <infinity_pool::InfinityPool as Router<infinity_pool::InfinityPool>>::route(
        pool,
        sel,
        &data[4..],
    )
    .expect("routed selector")
    // `motsu_res` reverts the state on an error, as a failed transaction would.
    .motsu_res()
}

#[motsu::test]
fn exported_declarations_are_routed_and_their_selectors_are_unique() {
    let _serial = infinity_tests::serial();
    let w = World::new(10, 3000, sqrt_at(5), hooks());
    let mut seen = HashSet::new();
    let mut signatures = Vec::new();
    for declaration in FUNCTIONS_ABI {
        let signature = canonical(declaration);
        let selector: [u8; 4] = keccak256(&signature)[..4].try_into().unwrap();
        assert!(seen.insert(selector), "selector clash for {signature}");
        // Routed: a call without its arguments is answered (empty revert data for a function
        // that takes arguments), never left to the fallback.
        let answer = route(&w, lp(), &selector);
        if declaration.contains("()") {
            assert!(answer.is_ok(), "{signature} answers without arguments");
        } else {
            assert_eq!(answer, Err(Vec::new()), "{signature} refuses missing arguments");
        }
        signatures.push(signature);
    }
    for call in [
        IPool::swapCall::SIGNATURE,
        IPool::quoteSwapCall::SIGNATURE,
        IPool::slot0Call::SIGNATURE,
        IPool::binCall::SIGNATURE,
        IPool::binLiquidityCall::SIGNATURE,
        IPool::growthSumsCall::SIGNATURE,
        IPool::configCall::SIGNATURE,
        IPool::escrowCall::SIGNATURE,
        IPool::creditInterestCall::SIGNATURE,
    ] {
        assert!(signatures.iter().any(|s| s == call), "{call} is declared");
    }
    assert_eq!(signatures.len(), 14);
}

#[motsu::test]
fn calls_encoded_by_alloy_reach_the_methods_and_their_results_decode() {
    let _serial = infinity_tests::serial();
    let w = World::new(10, 3000, sqrt_at(5), hooks());
    w.fund(lp(), u(1_000 * E18), u(1_000 * E18));
    w.pour(lp(), -2, 2, 10 * E18);
    let out = route(&w, lp(), &IPool::slot0Call {}.abi_encode()).unwrap();
    let r = IPool::slot0Call::abi_decode_returns(&out, true).unwrap();
    assert_eq!((U256::from(r.sqrtPriceX96), r.tick.as_i32()), w.price());
    let out =
        route(&w, lp(), &IPool::binCall { index: infinity_tests::i24(-1) }.abi_encode()).unwrap();
    let r = IPool::binCall::abi_decode_returns(&out, true).unwrap();
    assert_eq!((r.liquidity, r.lent), w.bin(-1));
    let out = route(
        &w,
        lp(),
        &IPool::binLiquidityCall {
            startBin: infinity_tests::i24(-2),
            stopBin: infinity_tests::i24(2),
        }
        .abi_encode(),
    )
    .unwrap();
    let r = IPool::binLiquidityCall::abi_decode_returns(&out, true).unwrap();
    assert_eq!(r.liquidityAndLent, w.pool.sender(lp()).bin_liquidity(-2, 2).unwrap());
    let out = route(&w, lp(), &IPool::configCall {}.abi_encode()).unwrap();
    let r = IPool::configCall::abi_decode_returns(&out, true).unwrap();
    assert_eq!(
        (r.token0, r.token1, r.binTicks.as_i32(), r.positionManager, r.swapperManager),
        (w.token0.address(), w.token1.address(), 10, w.positions.address(), hooks())
    );
    let limit = sqrt_at(-10);
    let q = IPool::quoteSwapCall {
        zeroForOne: true,
        amountSpecified: i(E18 as i128 / 100),
        sqrtPriceLimitX96: alloy_primitives::aliases::U160::saturating_from(limit),
    };
    let out = route(&w, lp(), &q.abi_encode()).unwrap();
    let r = IPool::quoteSwapCall::abi_decode_returns(&out, true).unwrap();
    let direct = w.pool.sender(lp()).quote_swap(true, i(E18 as i128 / 100), limit).unwrap();
    assert_eq!((r.amount0, r.amount1), direct);
    // A swap through the router moves tokens like a direct call.
    let s = IPool::swapCall {
        zeroForOne: true,
        amountSpecified: i(E18 as i128 / 100),
        sqrtPriceLimitX96: alloy_primitives::aliases::U160::saturating_from(limit),
        recipient: lp(),
    };
    let out = route(&w, lp(), &s.abi_encode()).unwrap();
    let r = IPool::swapCall::abi_decode_returns(&out, true).unwrap();
    assert_eq!((r.amount0, r.amount1), direct);
    // An error comes back as the ABI encoding of the named error.
    let bad =
        IPool::growthSumsCall { startBin: infinity_tests::i24(2), stopBin: infinity_tests::i24(1) };
    let err = route(&w, lp(), &bad.abi_encode()).unwrap_err();
    let decoded =
        <infinity_pool::InfinityPoolInvalidRange as alloy_sol_types::SolError>::abi_decode(
            &err, true,
        )
        .unwrap();
    assert_eq!((decoded.startBin.as_i32(), decoded.stopBin.as_i32()), (2, 1));
    // Dynamic arrays decode: an empty growth list for a range of one bin credits nothing.
    let credit = IPool::creditInterestCall {
        startBin: infinity_tests::i24(0),
        token1: false,
        total: U256::ZERO,
        growthX128: vec![U256::ZERO],
    };
    route(&w, hooks(), &credit.abi_encode()).unwrap();
}

#[motsu::test]
fn malformed_words_revert_with_empty_data() {
    let _serial = infinity_tests::serial();
    let w = World::new(10, 3000, sqrt_at(5), hooks());
    let bin = IPool::binCall { index: infinity_tests::i24(-1) }.abi_encode();
    // int24 not sign-extended: clear the top byte of a negative value.
    let mut data = bin.clone();
    data[4] = 0;
    assert_eq!(route(&w, lp(), &data).unwrap_err(), Vec::<u8>::new());
    // Truncated calldata.
    assert_eq!(route(&w, lp(), &bin[..20]).unwrap_err(), Vec::<u8>::new());
    // bool other than 0 or 1.
    let mut q = IPool::quoteSwapCall {
        zeroForOne: true,
        amountSpecified: i(1000),
        sqrtPriceLimitX96: alloy_primitives::aliases::U160::from(4295128740_u64),
    }
    .abi_encode();
    q[35] = 2;
    assert_eq!(route(&w, lp(), &q).unwrap_err(), Vec::<u8>::new());
    // uint160 with high bits set.
    let mut q = IPool::quoteSwapCall {
        zeroForOne: true,
        amountSpecified: i(1000),
        sqrtPriceLimitX96: alloy_primitives::aliases::U160::from(4295128740_u64),
    }
    .abi_encode();
    q[4 + 64] = 1;
    assert_eq!(route(&w, lp(), &q).unwrap_err(), Vec::<u8>::new());
    // Unknown selectors are not routed.
    let mut call = w.pool.sender(lp());
    let pool: &mut infinity_pool::InfinityPool = &mut call;
    assert!(<infinity_pool::InfinityPool as Router<infinity_pool::InfinityPool>>::route(
        pool,
        0xdead_beef,
        &[]
    )
    .is_none());
}
