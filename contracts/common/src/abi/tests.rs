//! The codec against alloy: what the reader accepts and refuses, and every encoder's
//! bytes against alloy's encoding of the same values.
#![allow(
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::items_after_statements
)]

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{address, aliases::I24, uint, Bytes};
use alloy_sol_types::{sol_data, SolCall, SolError, SolType, SolValue};

use super::*;

fn word(v: u64) -> [u8; 32] {
    U256::from(v).to_be_bytes::<32>()
}

mod sigs {
    #![allow(missing_docs, unreachable_pub)]
    crate::sol_functions! {
        function joinPool(uint256 poolAmountOut, uint256[] calldata maxAmountsIn) external;
        function slot0() external view returns (uint160 sqrtPriceX96, int24 tick);
        function callVoting(address target, bytes4 selector, bytes calldata args, uint256 value) external payable;
    }
    alloy_sol_types::sol! {
        error Limits(address token, uint256 expected, int256 delta);
        #[derive(Debug, PartialEq, Eq)]
        error PoolNotOwner(uint256 id, address caller, int24 bin, bool open, uint8 kind);
        #[derive(Debug, PartialEq, Eq)]
        error PoolZeroAmount();
    }
    crate::abi_errors! {
        bubble Callee;
        NotOwner(PoolNotOwner { id, caller, bin, open, kind }),
        ZeroAmount(PoolZeroAmount {}),
    }
}

#[test]
fn selector_needs_four_bytes() {
    assert!(split(&[]).is_none());
    assert!(split(&[1, 2, 3]).is_none());
    let (selector, args) = split(&[1, 2, 3, 4, 5]).unwrap();
    assert_eq!(selector, [1, 2, 3, 4]);
    assert_eq!(args.0, &[5]);
}

#[test]
fn the_reader_refuses_what_solidity_refuses() {
    let mut data = vec![0xaa, 0xbb, 0xcc, 0xdd];
    data.extend_from_slice(&U256::from(7).to_be_bytes::<32>());
    data.extend_from_slice(&U256::ONE.to_be_bytes::<32>());
    let (selector, args) = split(&data).unwrap();
    assert_eq!(selector, [0xaa, 0xbb, 0xcc, 0xdd]);
    assert_eq!(args.uint(0), Some(U256::from(7)));
    assert_eq!(args.uint8(0), Some(7));
    assert_eq!(args.uint24(0), Some(7));
    assert_eq!(args.uint64(0), Some(7));
    assert_eq!(args.uint128(0), Some(7));
    assert_eq!(args.boolean(1), Some(true));
    assert_eq!(args.boolean(0), None, "a bool must be 0 or 1");
    assert_eq!(args.uint(2), None, "past the end");
    assert_eq!(args.address(0), Some(Address::with_last_byte(7)));
    let big =
        encode(&[], &[U256::from(256), U256::MAX, uint!(1_U256) << 160, uint!(1_U256) << 128]);
    let args = Args(&big);
    assert_eq!(args.uint8(0), None);
    assert_eq!(args.uint64(1), None);
    assert_eq!(args.uint128(3), None);
    assert_eq!(args.uint24(1), None);
    assert_eq!(args.uint_bits(2, 160), None, "a uint160 with bit 160 set");
    assert_eq!(args.uint_bits(2, 161), Some(uint!(1_U256) << 160));
    assert_eq!(args.int(1), Some(I256::MINUS_ONE));
    assert_eq!(args.address(2), None, "dirty address padding");
    // A word one byte short.
    assert_eq!(Args(&word(1)[..31]).uint(0), None);
}

#[test]
fn static_words_are_read_strictly() {
    let address = Address::repeat_byte(0xAB);
    let data = (address, U256::from(7), true, FixedBytes::<4>([9, 8, 7, 6]), B256::repeat_byte(3))
        .abi_encode_params();
    let args = Args(&data);
    assert_eq!(args.address(0), Some(address));
    assert_eq!(args.uint(1), Some(U256::from(7)));
    assert_eq!(args.boolean(2), Some(true));
    assert_eq!(args.bytes4(3), Some(FixedBytes([9, 8, 7, 6])));
    assert_eq!(args.bytes32(4), Some(B256::repeat_byte(3)));
    assert_eq!(args.word(4), Some(&[3u8; 32]));
    // Past the end.
    assert_eq!(args.uint(5), None);
    // A uint256 read as an address has dirty padding; 7 is not a bool; a word with bytes
    // after the first four is not a bytes4.
    assert_eq!(Args(&U256::MAX.to_be_bytes::<32>()).address(0), None);
    assert_eq!(Args(&word(7)).boolean(0), None);
    assert_eq!(Args(&word(0)).boolean(0), Some(false));
    assert_eq!(Args(&word(1)).bytes4(0), None);
}

#[test]
fn small_signed_integers_must_be_sign_extended() {
    let data = (I24::try_from(-5).unwrap(), I24::MAX, I24::MIN).abi_encode_params();
    let args = Args(&data);
    assert_eq!(args.int24(0), Some(-5));
    assert_eq!(args.int24(1), Some(8_388_607));
    assert_eq!(args.int24(2), Some(-8_388_608));
    // 2^23 is not an int24, nor is -2^23 - 1, nor a negative value without its sign bits.
    let out = encode(
        &[],
        &[
            U256::from(8_388_608u64),
            I256::try_from(-8_388_609i64).unwrap().into_raw(),
            U256::from(0x00ff_ffffu64),
        ],
    );
    let args = Args(&out);
    assert_eq!(args.int24(0), None);
    assert_eq!(args.int24(1), None);
    assert_eq!(args.int24(2), None);
    assert_eq!(args.int_bits(0, 25), Some(I256::try_from(8_388_608i64).unwrap()));
    assert_eq!(args.int_bits(1, 256), Some(I256::try_from(-8_388_609i64).unwrap()));
}

#[test]
fn dynamic_arguments_stay_inside_the_calldata() {
    let data = (U256::from(5), vec![U256::from(1), U256::from(2)]).abi_encode_params();
    let args = Args(&data);
    assert_eq!(args.uint_array(1), Some(vec![U256::from(1), U256::from(2)]));
    assert_eq!(Args(&data[..data.len() - 1]).uint_array(1), None);
    let bytes = (Address::ZERO, FixedBytes::<4>([1, 2, 3, 4]), Bytes::from(vec![7; 40]), U256::ONE)
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
    // A misaligned offset (a conforming encoder never writes one).
    let mut misaligned = bytes.clone();
    misaligned[2 * 32..3 * 32].copy_from_slice(&word(offset as u64 + 1));
    assert_eq!(Args(&misaligned).bytes(2), None);
    let mut misaligned = data.clone();
    misaligned[32..64].copy_from_slice(&word(65));
    assert_eq!(Args(&misaligned).uint_array(1), None);
    // A length whose byte size overflows usize.
    let mut huge = data.clone();
    huge[64..96].copy_from_slice(&U256::MAX.to_be_bytes::<32>());
    assert_eq!(Args(&huge).uint_array(1), None);
}

#[test]
fn the_reader_refuses_malformed_arrays_and_dirty_addresses() {
    let good = (vec![Address::with_last_byte(1)], vec![Address::with_last_byte(2)], U256::from(3))
        .abi_encode_params();
    let args = Args(&good);
    assert_eq!(args.address_array(0), Some(vec![Address::with_last_byte(1)]));
    assert_eq!(args.address_array(1), Some(vec![Address::with_last_byte(2)]));
    assert_eq!(args.uint(2), Some(U256::from(3)));
    // A dirty address inside an array.
    let mut dirty = good.clone();
    let first_item = 32 * 4; // head (3 words), then the first array's length
    dirty[first_item] = 1;
    assert_eq!(Args(&dirty).address_array(0), None);
    // An offset past the end, a length past the end.
    let mut far = good.clone();
    far[31] = 0xff;
    assert_eq!(Args(&far).address_array(0), None);
    let mut long = good;
    long[32 * 3 + 31] = 9;
    assert_eq!(Args(&long).address_array(0), None);
}

#[test]
fn return_data_is_read_with_the_same_strictness() {
    // (address[], uint256[]) as a lens returns it.
    let a = vec![Address::with_last_byte(1), Address::with_last_byte(2)];
    let b = vec![U256::from(10), U256::from(20), U256::from(30)];
    let data = (a.clone(), b.clone()).abi_encode_params();
    let answer = Args(&data);
    assert_eq!(answer.address_array(0), Some(a.clone()));
    assert_eq!(answer.uint_array(1), Some(b.clone()));
    let four = (a.clone(), b.clone(), a.clone(), b.clone()).abi_encode_params();
    assert_eq!(Args(&four).uint_array(3), Some(b));
    // A misaligned offset, a length past the end, data cut short.
    let mut bad = data.clone();
    bad[31] = 0x41;
    assert_eq!(Args(&bad).uint_array(0), None);
    let mut long = data.clone();
    long[32 * 2 + 31] = 0xff;
    assert_eq!(Args(&long).uint_array(0), None);
    assert_eq!(Args(&data[..data.len() - 32]).uint_array(1), None);
}

#[test]
fn a_single_returned_array_is_read_strictly() {
    let items = vec![U256::from(1), U256::from(2), U256::from(3)];
    let data = items.abi_encode();
    assert_eq!(Args(&data).uint_array(0).unwrap(), items);
    // Offset not on a word, length beyond the data, data cut short, no data.
    let mut misaligned = data.clone();
    misaligned[31] = 33;
    assert!(Args(&misaligned).uint_array(0).is_none());
    let mut too_long = data.clone();
    too_long[63] = 200;
    assert!(Args(&too_long).uint_array(0).is_none());
    assert!(Args(&data[..data.len() - 1]).uint_array(0).is_none());
    assert!(Args(&[]).uint_array(0).is_none());
    assert_eq!(Args(&data).uint(1), Some(U256::from(3)));
    assert_eq!(Args(&data).uint(5), None);
}

#[test]
fn words_round_trip() {
    let a = address!("00000000000000000000000000000000000000f0");
    let encoded = encode(&[1, 2, 3, 4], &[a.word(), I256::MINUS_ONE.word(), true.word()]);
    assert_eq!(encoded.len(), 4 + 96);
    let [x, y, z] = read_words::<3>(encoded[4..].to_vec()).unwrap();
    assert_eq!(Args(&words(&[x])).address(0), Some(a));
    assert_eq!(int(y), I256::MINUS_ONE);
    assert_eq!(z, U256::ONE);
    assert_eq!(read_words::<2>(vec![0; 63]), Err(vec![0; 63]));
    assert_eq!(8u8.word(), U256::from(8));
    assert_eq!(9u64.word(), U256::from(9));
    assert_eq!((-2i32).word(), I256::try_from(-2).unwrap().into_raw());
    assert_eq!(I24::try_from(-2).unwrap().word(), I256::try_from(-2).unwrap().into_raw());
    assert_eq!(word_address(a.word()), Some(a));
    assert_eq!(word_address(U256::MAX), None);
}

#[test]
fn word_encodings_match_alloy() {
    let a = Address::repeat_byte(0x11);
    let s = FixedBytes([0xde, 0xad, 0xbe, 0xef]);
    let h = B256::repeat_byte(0x22);
    let i = I24::try_from(-7).unwrap();
    type Types = (
        sol_data::Address,
        sol_data::FixedBytes<4>,
        sol_data::FixedBytes<32>,
        sol_data::Bool,
        sol_data::Uint<8>,
        sol_data::Uint<64>,
        sol_data::Uint<128>,
        sol_data::Int<24>,
        sol_data::Int<256>,
    );
    let expected =
        Types::abi_encode_params(&(a, s, h, true, 200u8, u64::MAX, u128::MAX, i, I256::MINUS_ONE));
    let words_of = [
        a.word(),
        s.word(),
        h.word(),
        true.word(),
        200u8.word(),
        u64::MAX.word(),
        u128::MAX.word(),
        i.word(),
        I256::MINUS_ONE.word(),
    ];
    assert_eq!(words(&words_of), expected);
}

#[test]
fn return_encoders_match_alloy() {
    assert_eq!(encode_bytes(b"Strata"), String::from("Strata").abi_encode());
    assert_eq!(encode_bytes(&[b'x'; 32]), String::from_utf8(vec![b'x'; 32]).unwrap().abi_encode());
    assert_eq!(encode_bytes(b""), String::new().abi_encode());
    assert_eq!(encode_bytes(&[1, 2, 3]), Bytes::from(vec![1, 2, 3]).abi_encode());
    let tokens = vec![Address::repeat_byte(1), Address::repeat_byte(2)];
    let token_words: Vec<U256> = tokens.iter().map(|&t| t.word()).collect();
    assert_eq!(encode_values(&[], &[Value::Array(&token_words)]), tokens.abi_encode());
    assert_eq!(words(&[U256::ONE, U256::from(2)]), (U256::ONE, U256::from(2)).abi_encode_params());
}

#[test]
fn the_array_encoder_matches_the_abi() {
    let tokens = vec![U256::from(7), U256::from(8)];
    let amounts = vec![U256::from(1), U256::from(2), U256::from(3)];
    let encoded = encode_values(&[], &[Value::Array(&tokens), Value::Array(&amounts)]);
    assert_eq!(encoded, (tokens.clone(), amounts.clone()).abi_encode_params());
    let head = encode_values(&[], &[Value::Word(U256::from(5)), Value::Array(&amounts)]);
    assert_eq!(head, (U256::from(5), amounts.clone()).abi_encode_params());
    // A word after the arrays.
    let route = encode_values(
        &[],
        &[Value::Array(&tokens), Value::Array(&amounts), Value::Word(U256::from(9))],
    );
    assert_eq!(route, (tokens.clone(), amounts.clone(), U256::from(9)).abi_encode_params());
    let empty: Vec<U256> = Vec::new();
    assert_eq!(encode_values(&[], &[Value::Array(&empty)]), (empty.clone(),).abi_encode_params());
    // As calldata.
    let call = sigs::joinPoolCall { poolAmountOut: U256::from(5), maxAmountsIn: amounts.clone() };
    assert_eq!(
        encode_values(
            &sigs::joinPoolCall::SELECTOR,
            &[Value::Word(U256::from(5)), Value::Array(&amounts)]
        ),
        call.abi_encode()
    );
}

#[test]
fn calldata_and_errors_match_alloy() {
    let a = Address::repeat_byte(0x11);
    let error = sigs::Limits { token: a, expected: U256::MAX, delta: I256::MINUS_ONE };
    assert_eq!(
        encode(&sigs::Limits::SELECTOR, &[a.word(), U256::MAX, I256::MINUS_ONE.word()]),
        error.abi_encode()
    );
    let args = Bytes::from(vec![9; 33]);
    let call = sigs::callVotingCall {
        target: a,
        selector: FixedBytes([1, 2, 3, 4]),
        args: args.clone(),
        value: U256::from(3),
    };
    let head =
        [a.word(), FixedBytes([1, 2, 3, 4]).word(), U256::from(128), U256::from(3), U256::from(33)];
    assert_eq!(encode_dynamic(&sigs::callVotingCall::SELECTOR, &head, &args), call.abi_encode());
    // And read back.
    let encoded = call.abi_encode();
    let (selector, read) = split(&encoded).unwrap();
    assert_eq!(selector, sigs::callVotingCall::SELECTOR);
    assert_eq!(read.bytes(2), Some(&args[..]));
    assert_eq!(read.bytes4(1), Some(FixedBytes([1, 2, 3, 4])));
}

#[test]
fn declarations_give_selectors_and_the_exported_interface() {
    assert_eq!(sigs::FUNCTIONS_ABI.len(), 3);
    assert_eq!(
        sigs::FUNCTIONS_ABI[0],
        "function joinPool(uint256 poolAmountOut, uint256[] calldata maxAmountsIn) external;"
    );
    assert_eq!(
        sigs::FUNCTIONS_ABI[1],
        "function slot0() external view returns (uint160 sqrtPriceX96, int24 tick);"
    );
    let hash = alloy_primitives::keccak256("joinPool(uint256,uint256[])");
    assert_eq!(sigs::joinPoolCall::SELECTOR, hash[..4]);
}

#[test]
fn revert_data_is_reduced_to_its_selector() {
    assert_eq!(selector_of(&[1, 2, 3, 4, 5]), FixedBytes([1, 2, 3, 4]));
    assert_eq!(selector_of(&[1, 2, 3]), FixedBytes::ZERO);
    assert_eq!(selector_of(&[]), FixedBytes::ZERO);
}

#[test]
fn declared_errors_encode_as_alloy_does_and_callee_errors_pass_through() {
    let error = sigs::PoolNotOwner {
        id: U256::from(9),
        caller: Address::repeat_byte(4),
        bin: I24::try_from(-3).unwrap(),
        open: true,
        kind: 2,
    };
    assert_eq!(Vec::from(sigs::Error::NotOwner(error.clone())), error.abi_encode());
    assert_eq!(
        Vec::from(sigs::Error::ZeroAmount(sigs::PoolZeroAmount {})),
        sigs::PoolZeroAmount {}.abi_encode()
    );
    assert_eq!(Vec::from(sigs::Error::Callee(vec![1, 2, 3])), vec![1, 2, 3]);
    assert_eq!(
        sigs::ERROR_SIGNATURES,
        &["PoolNotOwner(uint256,address,int24,bool,uint8)", "PoolZeroAmount()"]
    );
}
