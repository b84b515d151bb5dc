//! Unit tests of the shared pieces that need no contract: the strict argument reader, the
//! return encoders and error encodings against alloy's, and the fee helpers.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects, missing_docs)]

use alloc::{string::String, vec, vec::Vec};

use alloy_sol_types::{SolError, SolValue};
use stylus_sdk::alloy_primitives::{uint, Address, FixedBytes, U256};

use crate::{abi::*, *};

const E18: U256 = uint!(1_000_000_000_000_000_000_U256);

fn word(v: u64) -> [u8; 32] {
    U256::from(v).to_be_bytes::<32>()
}

#[test]
fn selector_needs_four_bytes() {
    assert!(split_selector(&[]).is_none());
    assert!(split_selector(&[1, 2, 3]).is_none());
    let (selector, args) = split_selector(&[1, 2, 3, 4, 5]).unwrap();
    assert_eq!(selector, [1, 2, 3, 4]);
    assert_eq!(args.0, &[5]);
}

#[test]
fn static_words_are_read_strictly() {
    let address = Address::repeat_byte(0xAB);
    let data = (address, U256::from(7), true, FixedBytes::<4>([9, 8, 7, 6])).abi_encode_params();
    let args = Args(&data);
    assert_eq!(args.address(0), Some(address));
    assert_eq!(args.uint(1), Some(U256::from(7)));
    assert_eq!(args.boolean(2), Some(true));
    assert_eq!(args.bytes4(3), Some(FixedBytes([9, 8, 7, 6])));
    // Past the end.
    assert_eq!(args.uint(4), None);
    // A uint256 read as an address has dirty padding; 7 is not a bool; a word with bytes
    // after the first four is not a bytes4.
    assert_eq!(Args(&U256::MAX.to_be_bytes::<32>()).address(0), None);
    assert_eq!(Args(&word(7)).boolean(0), None);
    assert_eq!(Args(&word(0)).boolean(0), Some(false));
    assert_eq!(Args(&word(1)).bytes4(0), None);
    // One byte short of a word.
    assert_eq!(Args(&word(1)[..31]).uint(0), None);
}

#[test]
fn dynamic_arguments_stay_inside_the_calldata() {
    let data = (U256::from(5), vec![U256::from(1), U256::from(2)]).abi_encode_params();
    let args = Args(&data);
    assert_eq!(args.uint_array(1), Some(vec![U256::from(1), U256::from(2)]));
    assert_eq!(Args(&data[..data.len() - 1]).uint_array(1), None);
    let bytes =
        (Address::ZERO, FixedBytes::<4>([1, 2, 3, 4]), alloy_primitives_bytes(&[7; 40]), U256::ONE)
            .abi_encode_params();
    assert_eq!(Args(&bytes).bytes(2), Some(&[7u8; 40][..]));
    // An offset pointing past the end, and a length larger than the data.
    let mut bad_offset = bytes.clone();
    bad_offset[2 * 32..3 * 32].copy_from_slice(&word(10_000));
    assert_eq!(Args(&bad_offset).bytes(2), None);
    let mut bad_length = bytes.clone();
    let offset = usize::try_from(U256::from_be_slice(&bytes[64..96])).unwrap();
    bad_length[offset..offset + 32].copy_from_slice(&word(1_000));
    assert_eq!(Args(&bad_length).bytes(2), None);
    // A length whose byte size overflows usize.
    let mut huge = data.clone();
    huge[64..96].copy_from_slice(&U256::MAX.to_be_bytes::<32>());
    assert_eq!(Args(&huge).uint_array(1), None);
}

fn alloy_primitives_bytes(b: &[u8]) -> stylus_sdk::alloy_primitives::Bytes {
    b.to_vec().into()
}

#[test]
fn return_encoders_match_alloy() {
    assert_eq!(encode_string(b"Strata"), String::from("Strata").abi_encode());
    assert_eq!(encode_string(&[b'x'; 32]), String::from_utf8(vec![b'x'; 32]).unwrap().abi_encode());
    assert_eq!(encode_string(b""), String::new().abi_encode());
    let tokens = vec![Address::repeat_byte(1), Address::repeat_byte(2)];
    assert_eq!(encode_address_array(&tokens), tokens.abi_encode());
    assert_eq!(
        encode_words(&[U256::ONE, U256::from(2)]),
        (U256::ONE, U256::from(2)).abi_encode_params()
    );
}

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
