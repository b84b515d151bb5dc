//! The hand-written routers of `vamm`, `clearing-house` and
//! `clearing-house-engine` against their exported interfaces.
//!
//! Each contract's `abi::FUNCTIONS_ABI` is what `interfaces/I<Contract>.sol`
//! lists (with the SDK's constructor and errors and the events). Here every
//! declaration is parsed with alloy, called through the contract's router with
//! well-formed calldata, and the answer is decoded with alloy by the declared
//! output types — or is one of the system's named errors. Nothing declared falls
//! through to the router's "unknown selector" revert (empty data), unknown
//! selectors and malformed calldata do, and calls from another contract take the
//! same path through the SDK's entry point.
#![allow(
    missing_docs,
    clippy::pedantic,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

extern crate alloc;

mod common;

use std::collections::BTreeSet;

use alloy_json_abi::Function;
use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol_data, SolCall, SolError, SolType};
use common::*;
use motsu::prelude::*;
use stylus_sdk::{abi::Bytes, call::RawCall, prelude::*, storage::StorageU256};

/// Forwards raw calldata to a target, like any contract calling the Perp system.
#[storage]
struct Caller {
    unused: StorageU256,
}

unsafe impl TopLevelStorage for Caller {}

#[public]
impl Caller {
    fn exec(&mut self, target: Address, data: Bytes) -> Result<Bytes, Vec<u8>> {
        let _ = self.unused.get();
        // SAFETY: a test contract holding no storage references across the call.
        unsafe { RawCall::new().call(target, &data) }.map(Bytes)
    }
}

/// The committed `interfaces/<name>.sol` (written by `strata check --bless`).
fn interface(name: &str) -> String {
    let path = format!("{}/../../interfaces/{name}.sol", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

/// The declarations starting with `kind` (`function`, `error`) in `text`.
fn declarations<'a>(text: &'a str, kind: &str) -> Vec<&'a str> {
    text.lines()
        .map(str::trim)
        .filter(|l| l.starts_with(kind) && l.as_bytes().get(kind.len()) == Some(&b' '))
        .map(|l| l.trim_end_matches(';'))
        .collect()
}

/// Every named error the Perp contracts (and the callees whose errors they bubble)
/// declare in their exported interfaces, by selector.
fn known_errors() -> BTreeSet<[u8; 4]> {
    let mut set = BTreeSet::new();
    for name in ["IVamm", "IClearingHouse", "IClearingHouseEngine", "IVault", "IPowerOracle"] {
        for line in declarations(&interface(name), "error") {
            set.insert(alloy_json_abi::Error::parse(line).unwrap().selector().0);
        }
    }
    set
}

/// Decodes one return word as the declared Solidity type, strictly (alloy's
/// validation: `uint8`/`uint64` in range, `bool` 0 or 1, clean `address`).
fn decodes_as(ty: &str, word: &[u8]) -> bool {
    match ty {
        "uint256" => sol_data::Uint::<256>::abi_decode(word, true).is_ok(),
        "int256" => sol_data::Int::<256>::abi_decode(word, true).is_ok(),
        "uint64" => sol_data::Uint::<64>::abi_decode(word, true).is_ok(),
        "uint8" => sol_data::Uint::<8>::abi_decode(word, true).is_ok(),
        "bool" => sol_data::Bool::abi_decode(word, true).is_ok(),
        "address" => sol_data::Address::abi_decode(word, true).is_ok(),
        other => panic!("a type the Perp ABI does not use: {other}"),
    }
}

/// Parses Solidity function declarations with alloy.
fn parse_any(declarations: &[&str]) -> Vec<Function> {
    // `stringify!` may break a long declaration across lines; the export joins them.
    declarations
        .iter()
        .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
        .map(|d| Function::parse(d.trim_end_matches(';')).unwrap_or_else(|e| panic!("{d}: {e}")))
        .collect()
}

/// Parses `declarations`, checks every input and output is one static word, and
/// returns the functions.
fn parse(declarations: &[&str]) -> Vec<Function> {
    let functions = parse_any(declarations);
    let selectors: BTreeSet<_> = functions.iter().map(|f| f.selector()).collect();
    assert_eq!(selectors.len(), functions.len(), "two declarations share a selector");
    for f in &functions {
        for p in f.inputs.iter().chain(&f.outputs) {
            assert!(decodes_as(&p.ty, &[0; 32]), "{}: {}", f.name, p.ty);
        }
    }
    functions
}

/// The functions of the committed interface `name` are exactly `declared` (the
/// router's declarations), signatures and outputs alike.
fn interface_matches(name: &str, declared: &[&str]) -> Vec<Function> {
    let text = interface(name);
    let exported = parse(&declarations(&text, "function"));
    let declared = parse(declared);
    let key =
        |f: &Function| (f.signature(), f.outputs.iter().map(|o| o.ty.clone()).collect::<Vec<_>>());
    let exported_keys: BTreeSet<_> = exported.iter().map(key).collect();
    let declared_keys: BTreeSet<_> = declared.iter().map(key).collect();
    assert_eq!(exported_keys, declared_keys, "interfaces/{name}.sol is stale");
    exported
}

/// Calls every declared function of a contract through `route` with zero
/// arguments (well-formed for every static type) from an account with no role,
/// and checks the answer decodes as declared or is a named error.
fn every_declared_function_is_routed(
    name: &str,
    declared: &[&str],
    mut route: impl FnMut(&[u8]) -> Result<Vec<u8>, Vec<u8>>,
) {
    let errors = known_errors();
    let functions = interface_matches(name, declared);
    for f in &functions {
        let mut calldata = f.selector().to_vec();
        calldata.resize(4 + 32 * f.inputs.len(), 0);
        match route(&calldata) {
            Ok(data) => {
                assert_eq!(data.len(), 32 * f.outputs.len(), "{name}.{}: return length", f.name);
                for (p, word) in f.outputs.iter().zip(data.chunks(32)) {
                    assert!(decodes_as(&p.ty, word), "{name}.{}: {} {word:?}", f.name, p.ty);
                }
            }
            Err(data) => {
                let selector: [u8; 4] = data
                    .get(..4)
                    .unwrap_or_else(|| panic!("{name}.{} is not routed (empty revert)", f.name))
                    .try_into()
                    .unwrap();
                assert!(errors.contains(&selector), "{name}.{}: unknown error {data:02x?}", f.name);
            }
        }
        // Calldata one byte short of the arguments is malformed: an empty revert.
        if !f.inputs.is_empty() {
            let short = &calldata[..calldata.len() - 1];
            assert_eq!(route(short), Err(Vec::new()), "{name}.{}: short calldata", f.name);
        }
    }
    // Selectors nobody declared, and calldata shorter than a selector.
    for unknown in [[0xde, 0xad, 0xbe, 0xef], [0, 0, 0, 0]] {
        assert!(!functions.iter().any(|f| f.selector().0 == unknown));
        assert_eq!(route(&unknown), Err(Vec::new()), "{name}: unknown selector");
    }
    assert_eq!(route(&[1, 2, 3]), Err(Vec::new()), "{name}: no selector");
}

#[test]
fn every_vamm_function_in_the_interface_is_routed_and_decodes() {
    let p = Perp::deploy(Config::production());
    every_declared_function_is_routed("IVamm", vamm::abi::FUNCTIONS_ABI, |data| {
        p.amm.sender(KEEPER).fallback(data)
    });
}

#[test]
fn every_clearing_house_function_in_the_interface_is_routed_and_decodes() {
    let p = Perp::deploy(Config::production());
    every_declared_function_is_routed(
        "IClearingHouse",
        clearing_house::abi::FUNCTIONS_ABI,
        |data| p.ch.sender(KEEPER).fallback(data),
    );
}

#[test]
fn every_engine_function_in_the_interface_is_routed_and_decodes() {
    let p = Perp::deploy(Config::production());
    every_declared_function_is_routed(
        "IClearingHouseEngine",
        clearing_house_engine::abi::FUNCTIONS_ABI,
        |data| p.engine.sender(KEEPER).fallback(data),
    );
}

#[test]
fn routers_read_arguments_as_strictly_as_solidity() {
    let p = Perp::deploy(Config::production());
    let amm = p.amm.address();
    // Dirty address padding.
    let mut data = clearing_house::abi::getPositionCall { amm, trader: ALICE }.abi_encode();
    data[4] = 1;
    assert_eq!(p.ch.sender(KEEPER).fallback(&data), Err(Vec::new()));
    // A bool other than 0 or 1.
    let mut data = clearing_house::abi::setPausedCall { paused: true }.abi_encode();
    data[35] = 2;
    assert_eq!(p.ch.sender(OWNER).fallback(&data), Err(Vec::new()));
    assert!(!p.ch.sender(OWNER).get_state().2);
    // A uint8 above 255.
    let mut data = vamm::abi::getInputPriceCall { dir: 0, quoteAmount: E18 }.abi_encode();
    data[34] = 1;
    assert_eq!(p.amm.sender(KEEPER).fallback(&data), Err(Vec::new()));
    // Well-formed, the same calls answer as alloy expects.
    let data = vamm::abi::getInputPriceCall { dir: 0, quoteAmount: wad(1_000) }.abi_encode();
    let ret = p.amm.sender(KEEPER).fallback(&data).unwrap();
    let base = vamm::abi::getInputPriceCall::abi_decode_returns(&ret, true).unwrap().baseAmount;
    assert_eq!(base, input_price(true, wad(1_000), p.reserves()));
    let data = vamm::abi::getConfigCall {}.abi_encode();
    let ret = p.amm.sender(KEEPER).fallback(&data).unwrap();
    let config = vamm::abi::getConfigCall::abi_decode_returns(&ret, true).unwrap();
    assert_eq!((config.counterparty, config.oracleAsset), (p.engine.address(), ASSET));
    assert_eq!((config.fluctuationLimitRatio, config.fundingPeriod), (milli(12), 3_600));
    let data = clearing_house::abi::getRiskParametersCall {}.abi_encode();
    let ret = p.ch.sender(KEEPER).fallback(&data).unwrap();
    let r = clearing_house::abi::getRiskParametersCall::abi_decode_returns(&ret, true).unwrap();
    assert_eq!((r.initMarginRatio, r.partialLiquidationRatio), (p.cfg.imr, p.cfg.plr));
}

#[motsu::test]
fn calls_from_another_contract_take_the_same_path(caller: Contract<Caller>) {
    let p = Perp::deploy(Config::production());
    p.fund(caller.address(), 1_000_000);
    let amm = p.amm.address();
    let exec = |target: Address, data: Vec<u8>| {
        caller.sender(ALICE).exec(target, Bytes(data)).map(|b| b.0)
    };
    // A trader that is a contract opens and reads its position through the ABI.
    let open = clearing_house::abi::openPositionCall {
        amm,
        side: BUY,
        margin: wad(100),
        leverage: wad(2),
        baseAssetAmountLimit: U256::ZERO,
    };
    assert_eq!(exec(p.ch.address(), open.abi_encode()).unwrap(), Vec::<u8>::new());
    let ret = exec(
        p.ch.address(),
        clearing_house::abi::getPositionCall { amm, trader: caller.address() }.abi_encode(),
    )
    .unwrap();
    let position = clearing_house::abi::getPositionCall::abi_decode_returns(&ret, true).unwrap();
    assert_eq!(position.size, p.position(caller.address()).0);
    assert_eq!(position.margin, wad(100));
    // Named errors come back encoded; the engine's and vAMM's bubble unchanged.
    let err = exec(
        p.ch.address(),
        clearing_house::abi::closePositionCall { amm: ALICE, quoteAssetAmountLimit: U256::ZERO }
            .abi_encode(),
    )
    .unwrap_err();
    let e = clearing_house::ClearingHouseMarketNotListed::abi_decode(&err, true).unwrap();
    assert_eq!(e.amm, ALICE);
    let swap = vamm::abi::swapOutputCall {
        dir: 0,
        baseAmount: E18,
        quoteAmountLimit: U256::ZERO,
        skipFluctuationCheck: true,
    };
    let err = exec(amm, swap.abi_encode()).unwrap_err();
    let e = vamm::VammOnlyCounterparty::abi_decode(&err, true).unwrap();
    assert_eq!(e.caller, caller.address());
    // Unknown selectors and malformed calldata revert without data (motsu reports
    // a nested call's empty revert as "function not found for selector").
    for target in [amm, p.ch.address(), p.engine.address()] {
        let err = exec(target, vec![0xde, 0xad, 0xbe, 0xef]).unwrap_err();
        assert!(err.is_empty() || err.starts_with(b"function not found for selector"));
    }
    let mut dirty = clearing_house::abi::getPositionCall { amm, trader: ALICE }.abi_encode();
    dirty[4] = 1;
    let err = exec(p.ch.address(), dirty).unwrap_err();
    assert!(err.is_empty() || err.starts_with(b"function not found for selector"));
}

/// The engine and the clearing house encode their outgoing calls by hand; each
/// selector they use is one the callee declares (and so routes).
#[test]
fn outgoing_calls_use_declared_selectors() {
    let declared = |functions: Vec<Function>| -> BTreeSet<[u8; 4]> {
        functions.iter().map(|f| f.selector().0).collect()
    };
    let check = |callee: &BTreeSet<[u8; 4]>, who: &str, signatures: &[&str]| {
        for signature in signatures {
            let hash = alloy_primitives::keccak256(signature.as_bytes());
            let selector: [u8; 4] = hash[..4].try_into().unwrap();
            assert!(callee.contains(&selector), "{who} does not declare {signature}");
        }
    };
    let vamm = declared(parse(vamm::abi::FUNCTIONS_ABI));
    check(
        &vamm,
        "the vAMM",
        &[
            "swapInput(uint8,uint256,uint256,bool)",
            "swapOutput(uint8,uint256,uint256,bool)",
            "settleFunding()",
            "adjustK(uint256)",
            "getReserves()",
            "getInputPrice(uint8,uint256)",
            "getOutputPrice(uint8,uint256)",
            "getOutputTwap(uint8,uint256)",
            "getSpotPrice()",
            "getUnderlyingPrice()",
            "calcFee(uint256)",
            "getCaps()",
            "totalPositionSize()",
            "isOverFluctuationLimit(uint8,uint256)",
        ],
    );
    let engine = declared(parse(clearing_house_engine::abi::FUNCTIONS_ABI));
    check(&engine, "the engine", &[
        "openPosition(address,int256,uint256,uint256,int256,int256,uint8,uint256,uint256,uint256,uint256,uint256,uint256)",
        "closePosition(address,int256,uint256,uint256,int256,int256,uint256,uint256,uint256)",
        "liquidatePosition(address,int256,uint256,uint256,int256,int256,uint256,uint256,uint256)",
        "settleFunding(address)",
        "adjustK(address,uint256)",
        "getMarginRatios(address,int256,uint256,uint256,int256,int256,uint256,uint256,uint256)",
        "getMarginAfterRemoval(address,int256,uint256,uint256,int256,int256,uint256,uint256,uint256)",
        "floorAmount(uint256,uint256)",
        "getFundingPayment(int256,uint256,int256,int256)",
        "getPositionNotionalAndUnrealizedPnl(address,int256,uint256,uint8)",
    ]);
    let vault = declared(parse_any(&declarations(&interface("IVault"), "function")));
    check(
        &vault,
        "the vault",
        &[
            "settleTrader(address,int256,uint256,uint256)",
            "transferInsurance(int256)",
            "sweepPool()",
            "quoteScale()",
        ],
    );
    check(
        &declared(parse_any(&declarations(&interface("IPowerOracle"), "function"))),
        "the oracle",
        &["getPrice(address)", "getTwap(address,uint256)"],
    );
}
