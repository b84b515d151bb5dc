//! Unit tests of the shared pieces that need no contract: the error encodings against
//! alloy's, the declarations' selectors, and the fee helpers. (The strict reader and the
//! encoders are tested with alloy in `strata_common::abi`.)
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects, missing_docs)]

use alloc::{vec, vec::Vec};

use alloy_sol_types::SolError;
use stylus_sdk::alloy_primitives::{uint, Address, FixedBytes, U256};

use crate::*;

const E18: U256 = uint!(1_000_000_000_000_000_000_U256);

#[test]
fn errors_encode_as_their_solidity_custom_errors_for_every_argument_kind() {
    let a = Address::repeat_byte(0x11);
    let s = FixedBytes([0xde, 0xad, 0xbe, 0xef]);
    let cases: Vec<(Error, Vec<u8>)> = vec![
        (IndexPoolZeroAddress {}.into(), IndexPoolZeroAddress {}.abi_encode()),
        (
            IndexPoolNotController { caller: a }.into(),
            IndexPoolNotController { caller: a }.abi_encode(),
        ),
        (IndexPoolMath { code: 6 }.into(), IndexPoolMath { code: 6 }.abi_encode()),
        (
            IndexPoolVotingNotAllowed { target: a, selector: s }.into(),
            IndexPoolVotingNotAllowed { target: a, selector: s }.abi_encode(),
        ),
        (
            IndexPoolWeightRateOutOfBounds {
                delta: U256::ONE,
                duration: U256::from(2),
                minPerSecond: U256::from(3),
                maxPerSecond: U256::MAX,
            }
            .into(),
            IndexPoolWeightRateOutOfBounds {
                delta: U256::ONE,
                duration: U256::from(2),
                minPerSecond: U256::from(3),
                maxPerSecond: U256::MAX,
            }
            .abi_encode(),
        ),
        (
            IndexPoolMinBalance { token: a, balance: U256::from(5), min: MIN_BALANCE }.into(),
            IndexPoolMinBalance { token: a, balance: U256::from(5), min: MIN_BALANCE }.abi_encode(),
        ),
        (
            openzeppelin_stylus::token::erc20::ERC20InsufficientBalance {
                sender: a,
                balance: U256::ONE,
                needed: U256::from(2),
            }
            .into(),
            openzeppelin_stylus::token::erc20::ERC20InsufficientBalance {
                sender: a,
                balance: U256::ONE,
                needed: U256::from(2),
            }
            .abi_encode(),
        ),
    ];
    for (error, expected) in cases {
        assert_eq!(Vec::from(error), expected);
    }
}

#[test]
fn math_and_token_errors_map_to_pool_errors() {
    assert_eq!(
        Vec::from(Error::from(strata_math::MathError::Overflow)),
        IndexPoolMath { code: 1 }.abi_encode()
    );
    let err: Error = ReentrantCall {}.into();
    assert_eq!(Vec::from(err), IndexPoolReentrantCall {}.abi_encode());
    let err: Error = openzeppelin_stylus::token::erc20::Error::InvalidReceiver(
        openzeppelin_stylus::token::erc20::ERC20InvalidReceiver { receiver: Address::ZERO },
    )
    .into();
    assert_eq!(
        Vec::from(err),
        openzeppelin_stylus::token::erc20::ERC20InvalidReceiver { receiver: Address::ZERO }
            .abi_encode()
    );
}

#[test]
fn community_fee_split_and_gross_up_round_against_the_caller() {
    let rate = E18 / U256::from(100);
    // 101 wei at 1%: fee ⌈1.01⌉ = 2, 99 left.
    assert_eq!(split_fee(U256::from(101), rate).unwrap(), (U256::from(99), U256::from(2)));
    // 99 net at 1%: gross ⌈99 / 0.99⌉ = 100.
    assert_eq!(gross_up(U256::from(99), rate).unwrap(), (U256::from(100), U256::ONE));
    // 100 net: ⌈101.0101..⌉ = 102, and splitting 102 leaves at least 100.
    let (gross, fee) = gross_up(U256::from(100), rate).unwrap();
    assert_eq!((gross, fee), (U256::from(102), U256::from(2)));
    assert!(split_fee(gross, rate).unwrap().0 >= U256::from(100));
    assert_eq!(split_fee(U256::from(7), U256::ZERO).unwrap(), (U256::from(7), U256::ZERO));
    assert_eq!(gross_up(U256::from(7), U256::ZERO).unwrap(), (U256::from(7), U256::ZERO));
}

#[test]
fn declarations_and_selectors_agree() {
    use alloy_sol_types::SolCall;
    // Every declared function's selector is the keccak of its canonical signature, and the
    // exported declarations carry named returns where the spec has them.
    assert_eq!(
        abi::swaps::swapExactAmountInCall::SELECTOR,
        keccak4("swapExactAmountIn(address,uint256,address,uint256,uint256)")
    );
    assert_eq!(
        abi::admin::callVotingCall::SELECTOR,
        keccak4("callVoting(address,bytes4,bytes,uint256)")
    );
    assert_eq!(abi::liquidity::joinPoolCall::SELECTOR, keccak4("joinPool(uint256,uint256[])"));
    assert_eq!(abi::core::getCurrentTokensCall::SELECTOR, keccak4("getCurrentTokens()"));
    let declared: Vec<&str> = abi::swaps::FUNCTIONS_ABI.to_vec();
    assert!(declared.iter().any(|d| d.contains("swapExactAmountIn") && d.contains("returns")));
    let all = [
        abi::core::FUNCTIONS_ABI,
        abi::swaps::FUNCTIONS_ABI,
        abi::liquidity::FUNCTIONS_ABI,
        abi::admin::FUNCTIONS_ABI,
    ];
    assert_eq!(all.iter().map(|f| f.len()).sum::<usize>(), 22 + 7 + 6 + 12);
}

fn keccak4(signature: &str) -> [u8; 4] {
    let hash = stylus_sdk::alloy_primitives::keccak256(signature.as_bytes());
    [hash[0], hash[1], hash[2], hash[3]]
}
