//! Unit tests against the real `power-oracle`, mock tokens and a mock
//! ERC-4626 vault.
#![allow(
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    missing_docs
)]

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::SolError;
use mock_erc20::MockErc20;
use mock_venue::MockVenue;
use motsu::prelude::*;
use power_oracle::PowerOracle;
use strata_common::ownable::{OwnershipTransferStarted, OwnershipTransferred};

use super::*;

const E18: u128 = 1_000_000_000_000_000_000;
/// motsu's fixed block timestamp.
const NOW: u64 = 1_735_689_600;
const WINDOW: u64 = 600;

fn w(x: u128) -> U256 {
    U256::from(x)
}

fn setup_oracle(oracle: &Contract<PowerOracle>, owner: Address) {
    // Reports every ≥ 60 s, 10% bound, prices fresh for a day.
    oracle.sender(owner).constructor(owner, 60, w(E18 / 10), 86_400, 86_400).unwrap();
    oracle.sender(owner).set_reporter(owner, true).unwrap();
}

/// Posts `price` for `asset` long enough ago to cover the TWAP window.
fn post_price(oracle: &Contract<PowerOracle>, owner: Address, asset: Address, price: U256) {
    oracle.sender(owner).report_prices_at(NOW - 2 * WINDOW, owner, &[asset], &[price]).unwrap();
}

fn setup_token(token: &Contract<MockErc20>, owner: Address, decimals: u8, supply: U256) {
    token.sender(owner).constructor(FixedBytes::ZERO, FixedBytes::ZERO, decimals);
    token.sender(owner).mint(owner, supply).unwrap();
}

fn setup_valuer(
    valuer: &Contract<WeightValuer>,
    oracle: &Contract<PowerOracle>,
    owner: Address,
    kind: u8,
) {
    valuer.sender(owner).constructor(owner, oracle.address(), kind, WINDOW).unwrap();
}

// ------------------------------------------------------------------ set-up

#[motsu::test]
fn constructor_stores_oracle_kind_and_window(
    valuer: Contract<WeightValuer>,
    oracle: Contract<PowerOracle>,
    owner: Address,
) {
    setup_valuer(&valuer, &oracle, owner, KIND_MCAP);
    assert_eq!(valuer.sender(owner).oracle(), oracle.address());
    assert_eq!(valuer.sender(owner).kind(), KIND_MCAP);
    assert_eq!(valuer.sender(owner).twap_window(), WINDOW);
    valuer.assert_emitted(&Initialized { oracle: oracle.address(), kind: KIND_MCAP });
    valuer.assert_emitted(&TwapWindowSet { twapWindow: WINDOW });
    valuer.assert_emitted(&OwnershipTransferred { previousOwner: Address::ZERO, newOwner: owner });
}

#[motsu::test]
fn constructor_rejects_bad_arguments(
    valuer: Contract<WeightValuer>,
    oracle: Contract<PowerOracle>,
    owner: Address,
) {
    assert_eq!(
        valuer
            .sender(owner)
            .constructor(owner, Address::ZERO, KIND_MCAP, WINDOW)
            .motsu_unwrap_err(),
        Error::ZeroAddress(WeightValuerZeroAddress {})
    );
    for kind in [0, 4] {
        assert_eq!(
            valuer
                .sender(owner)
                .constructor(owner, oracle.address(), kind, WINDOW)
                .motsu_unwrap_err(),
            Error::InvalidKind(WeightValuerInvalidKind { kind })
        );
    }
    assert_eq!(
        valuer.sender(owner).constructor(owner, oracle.address(), KIND_TVL, 0).motsu_unwrap_err(),
        Error::InvalidWindow(WeightValuerInvalidWindow { twapWindow: 0 })
    );
    assert_eq!(
        valuer
            .sender(owner)
            .constructor(Address::ZERO, oracle.address(), KIND_TVL, 1)
            .motsu_unwrap_err(),
        Error::InvalidOwner(OwnableInvalidOwner { owner: Address::ZERO })
    );
    assert_eq!(valuer.sender(owner).kind(), 0);
}

#[motsu::test]
fn set_twap_window_is_owner_only_and_validated(
    valuer: Contract<WeightValuer>,
    oracle: Contract<PowerOracle>,
    owner: Address,
    mallory: Address,
) {
    setup_valuer(&valuer, &oracle, owner, KIND_FIXED);
    valuer.sender(owner).set_twap_window(3_600).motsu_unwrap();
    valuer.assert_emitted(&TwapWindowSet { twapWindow: 3_600 });
    assert_eq!(
        valuer.sender(owner).set_twap_window(0).motsu_unwrap_err(),
        Error::InvalidWindow(WeightValuerInvalidWindow { twapWindow: 0 })
    );
    assert_eq!(
        valuer.sender(mallory).set_twap_window(5).motsu_unwrap_err(),
        Error::Unauthorized(OwnableUnauthorizedAccount { account: mallory })
    );
    assert_eq!(valuer.sender(owner).twap_window(), 3_600);
}

#[motsu::test]
fn owner_functions_revert_for_others_and_change_nothing(
    valuer: Contract<WeightValuer>,
    oracle: Contract<PowerOracle>,
    token: Contract<MockErc20>,
    owner: Address,
    mallory: Address,
) {
    setup_valuer(&valuer, &oracle, owner, KIND_MCAP);
    setup_token(&token, owner, 18, w(E18));
    let unauthorized = Error::Unauthorized(OwnableUnauthorizedAccount { account: mallory });
    let t = token.address();
    assert_eq!(
        valuer.sender(mallory).set_mcap_source(t, false, vec![]).motsu_unwrap_err(),
        unauthorized
    );
    assert_eq!(
        valuer.sender(mallory).set_tvl_source(t, true, Address::ZERO).motsu_unwrap_err(),
        unauthorized
    );
    assert_eq!(
        valuer.sender(mallory).set_fixed_weights(vec![t], vec![w(1)]).motsu_unwrap_err(),
        unauthorized
    );
    assert_eq!(valuer.sender(mallory).transfer_ownership(mallory).motsu_unwrap_err(), unauthorized);
    assert_eq!(valuer.sender(mallory).renounce_ownership().motsu_unwrap_err(), unauthorized);
    assert_eq!(valuer.sender(mallory).accept_ownership().motsu_unwrap_err(), unauthorized);
    assert!(!valuer.sender(owner).is_configured(t));
}

#[motsu::test]
fn ownership_moves_in_two_steps(
    valuer: Contract<WeightValuer>,
    oracle: Contract<PowerOracle>,
    owner: Address,
    next: Address,
) {
    setup_valuer(&valuer, &oracle, owner, KIND_MCAP);
    valuer.sender(owner).transfer_ownership(next).motsu_unwrap();
    valuer.assert_emitted(&OwnershipTransferStarted { previousOwner: owner, newOwner: next });
    assert_eq!(valuer.sender(owner).pending_owner(), next);
    valuer.sender(next).accept_ownership().motsu_unwrap();
    assert_eq!(valuer.sender(owner).owner(), next);
    valuer.sender(next).renounce_ownership().motsu_unwrap();
    assert_eq!(valuer.sender(owner).owner(), Address::ZERO);
}

// ------------------------------------------------------------------ sources

#[motsu::test]
fn set_mcap_source_records_decimals_and_excluded_holders(
    valuer: Contract<WeightValuer>,
    oracle: Contract<PowerOracle>,
    token: Contract<MockErc20>,
    owner: Address,
    treasury: Address,
) {
    setup_valuer(&valuer, &oracle, owner, KIND_MCAP);
    setup_token(&token, owner, 6, w(1));
    let t = token.address();
    valuer.sender(owner).set_mcap_source(t, false, vec![treasury, owner]).motsu_unwrap();
    assert_eq!(
        valuer.sender(owner).token_source(t),
        (true, false, 6, t, Address::ZERO, U256::ZERO, vec![treasury, owner])
    );
    valuer.assert_emitted(&TokenSourceSet {
        token: t,
        reported: false,
        priceAsset: t,
        vault: Address::ZERO,
        decimals: 6,
        excludedHolders: vec![treasury, owner],
    });
    // Reconfiguring replaces the list; a reported source reads 18 decimals.
    valuer.sender(owner).set_mcap_source(t, true, vec![]).motsu_unwrap();
    assert_eq!(
        valuer.sender(owner).token_source(t),
        (true, true, 18, t, Address::ZERO, U256::ZERO, vec![])
    );
}

#[motsu::test]
fn set_mcap_source_rejects_inconsistent_sources(
    valuer: Contract<WeightValuer>,
    oracle: Contract<PowerOracle>,
    token: Contract<MockErc20>,
    odd: Contract<MockErc20>,
    owner: Address,
) {
    setup_valuer(&valuer, &oracle, owner, KIND_MCAP);
    setup_token(&token, owner, 18, w(1));
    setup_token(&odd, owner, 37, w(1));
    let t = token.address();
    let eleven: Vec<Address> = (1..=11u8).map(Address::repeat_byte).collect();
    assert_eq!(
        valuer.sender(owner).set_mcap_source(t, false, eleven).motsu_unwrap_err(),
        Error::TooManyExcluded(WeightValuerTooManyExcluded {
            count: U256::from(11),
            max: U256::from(10)
        })
    );
    assert_eq!(
        valuer.sender(owner).set_mcap_source(Address::ZERO, false, vec![]).motsu_unwrap_err(),
        Error::InvalidSource(WeightValuerInvalidSource { token: Address::ZERO })
    );
    assert_eq!(
        valuer.sender(owner).set_mcap_source(t, true, vec![owner]).motsu_unwrap_err(),
        Error::InvalidSource(WeightValuerInvalidSource { token: t })
    );
    assert_eq!(
        valuer.sender(owner).set_mcap_source(odd.address(), false, vec![]).motsu_unwrap_err(),
        Error::InvalidSource(WeightValuerInvalidSource { token: odd.address() })
    );
    let ghost = Address::repeat_byte(0x77);
    assert_eq!(
        valuer.sender(owner).set_mcap_source(ghost, false, vec![]).motsu_unwrap_err(),
        Error::TokenCallFailed(WeightValuerTokenCallFailed { token: ghost })
    );
    assert_eq!(
        valuer.sender(owner).set_tvl_source(t, true, Address::ZERO).motsu_unwrap_err(),
        Error::WrongKind(WeightValuerWrongKind { kind: KIND_MCAP })
    );
    assert_eq!(
        valuer.sender(owner).set_fixed_weights(vec![t], vec![w(1)]).motsu_unwrap_err(),
        Error::WrongKind(WeightValuerWrongKind { kind: KIND_MCAP })
    );
    assert!(!valuer.sender(owner).is_configured(t));
}

#[motsu::test]
fn set_tvl_source_reads_the_vault_asset(
    valuer: Contract<WeightValuer>,
    oracle: Contract<PowerOracle>,
    asset: Contract<MockErc20>,
    vault: Contract<MockVenue>,
    wrapper: Contract<MockErc20>,
    owner: Address,
) {
    setup_valuer(&valuer, &oracle, owner, KIND_TVL);
    setup_token(&asset, owner, 6, w(1));
    setup_token(&wrapper, owner, 18, w(1));
    vault.sender(owner).constructor(asset.address());
    // The pool token is the vault itself.
    valuer.sender(owner).set_tvl_source(vault.address(), false, Address::ZERO).motsu_unwrap();
    assert_eq!(
        valuer.sender(owner).token_source(vault.address()),
        (true, false, 6, asset.address(), vault.address(), U256::ZERO, vec![])
    );
    // A wrapper token valued by the vault behind it.
    valuer.sender(owner).set_tvl_source(wrapper.address(), false, vault.address()).motsu_unwrap();
    assert_eq!(valuer.sender(owner).token_source(wrapper.address()).4, vault.address());
    // Reported: the token's own TWAP, 18 decimals.
    valuer.sender(owner).set_tvl_source(wrapper.address(), true, Address::ZERO).motsu_unwrap();
    assert_eq!(
        valuer.sender(owner).token_source(wrapper.address()),
        (true, true, 18, wrapper.address(), Address::ZERO, U256::ZERO, vec![])
    );
}

#[motsu::test]
fn set_tvl_source_rejects_inconsistent_sources(
    valuer: Contract<WeightValuer>,
    oracle: Contract<PowerOracle>,
    token: Contract<MockErc20>,
    owner: Address,
) {
    setup_valuer(&valuer, &oracle, owner, KIND_TVL);
    setup_token(&token, owner, 18, w(1));
    let t = token.address();
    assert_eq!(
        valuer.sender(owner).set_tvl_source(t, true, owner).motsu_unwrap_err(),
        Error::InvalidSource(WeightValuerInvalidSource { token: t })
    );
    assert_eq!(
        valuer.sender(owner).set_tvl_source(Address::ZERO, false, t).motsu_unwrap_err(),
        Error::InvalidSource(WeightValuerInvalidSource { token: Address::ZERO })
    );
    let ghost = Address::repeat_byte(0x77);
    assert_eq!(
        valuer.sender(owner).set_tvl_source(t, false, ghost).motsu_unwrap_err(),
        Error::TokenCallFailed(WeightValuerTokenCallFailed { token: ghost })
    );
    assert_eq!(
        valuer.sender(owner).set_mcap_source(t, false, vec![]).motsu_unwrap_err(),
        Error::WrongKind(WeightValuerWrongKind { kind: KIND_TVL })
    );
    assert!(!valuer.sender(owner).is_configured(t));
}

#[motsu::test]
fn set_fixed_weights_validates_lengths_and_weights(
    valuer: Contract<WeightValuer>,
    oracle: Contract<PowerOracle>,
    owner: Address,
) {
    setup_valuer(&valuer, &oracle, owner, KIND_FIXED);
    let (a, b) = (Address::repeat_byte(1), Address::repeat_byte(2));
    assert_eq!(
        valuer.sender(owner).set_fixed_weights(vec![a, b], vec![w(1)]).motsu_unwrap_err(),
        Error::LengthMismatch(WeightValuerLengthMismatch {
            tokens: U256::from(2),
            weights: U256::from(1)
        })
    );
    assert_eq!(
        valuer
            .sender(owner)
            .set_fixed_weights(vec![a, b], vec![w(1), w(MAX_WEIGHT + 1)])
            .motsu_unwrap_err(),
        Error::InvalidWeight(WeightValuerInvalidWeight { token: b, weight: w(MAX_WEIGHT + 1) })
    );
    assert!(!valuer.sender(owner).is_configured(a));
    valuer
        .sender(owner)
        .set_fixed_weights(vec![a, b], vec![w(20 * E18), w(5 * E18)])
        .motsu_unwrap();
    valuer.assert_emitted(&FixedWeightSet { token: b, weight: w(5 * E18) });
    assert!(valuer.sender(owner).is_configured(b));
    assert_eq!(
        valuer.sender(owner).set_mcap_source(a, true, vec![]).motsu_unwrap_err(),
        Error::WrongKind(WeightValuerWrongKind { kind: KIND_FIXED })
    );
}

// ------------------------------------------------------------------ valuation

#[motsu::test]
fn fixed_weights_summing_to_the_total_come_back_verbatim(
    valuer: Contract<WeightValuer>,
    oracle: Contract<PowerOracle>,
    owner: Address,
) {
    setup_valuer(&valuer, &oracle, owner, KIND_FIXED);
    let (a, b, c) = (Address::repeat_byte(1), Address::repeat_byte(2), Address::repeat_byte(3));
    valuer
        .sender(owner)
        .set_fixed_weights(vec![a, b, c], vec![w(20 * E18), w(5 * E18), U256::ZERO])
        .motsu_unwrap();
    assert_eq!(
        valuer.sender(owner).get_targets(vec![a, b, c]).unwrap(),
        vec![w(20 * E18), w(5 * E18), w(MIN_WEIGHT)]
    );
    // Relative numbers are normalised: 3 : 1 → 18.75e18 : 6.25e18.
    valuer.sender(owner).set_fixed_weights(vec![a, b], vec![w(3), w(1)]).motsu_unwrap();
    assert_eq!(
        valuer.sender(owner).get_targets(vec![a, b]).unwrap(),
        vec![w(18_750_000_000_000_000_000), w(6_250_000_000_000_000_000)]
    );
}

#[motsu::test]
fn mcap_values_supply_net_of_excluded_holders_at_the_twap(
    valuer: Contract<WeightValuer>,
    oracle: Contract<PowerOracle>,
    aave: Contract<MockErc20>,
    usdc: Contract<MockErc20>,
    owner: Address,
    treasury: Address,
) {
    setup_oracle(&oracle, owner);
    setup_valuer(&valuer, &oracle, owner, KIND_MCAP);
    // AAVE: 1,000 tokens, 400 in the treasury, $150. USDC-like (6 decimals): 90,000 at $1.
    setup_token(&aave, owner, 18, w(1_000 * E18));
    aave.sender(owner).transfer(treasury, w(400 * E18)).unwrap();
    setup_token(&usdc, owner, 6, w(90_000_000_000));
    post_price(&oracle, owner, aave.address(), w(150 * E18));
    post_price(&oracle, owner, usdc.address(), w(E18));
    valuer.sender(owner).set_mcap_source(aave.address(), false, vec![treasury]).motsu_unwrap();
    valuer.sender(owner).set_mcap_source(usdc.address(), false, vec![]).motsu_unwrap();
    let tokens = vec![aave.address(), usdc.address()];
    // 600 · 150 = 90,000 USD each.
    assert_eq!(
        valuer.sender(owner).get_values(tokens.clone()).unwrap(),
        vec![w(90_000 * E18), w(90_000 * E18)]
    );
    assert_eq!(
        valuer.sender(owner).get_targets(tokens).unwrap(),
        vec![w(12_500_000_000_000_000_000), w(12_500_000_000_000_000_000)]
    );
}

#[motsu::test]
fn mcap_with_a_reported_supply_prices_the_reported_amount(
    valuer: Contract<WeightValuer>,
    oracle: Contract<PowerOracle>,
    token: Contract<MockErc20>,
    owner: Address,
) {
    setup_oracle(&oracle, owner);
    setup_valuer(&valuer, &oracle, owner, KIND_MCAP);
    setup_token(&token, owner, 18, w(E18));
    post_price(&oracle, owner, token.address(), w(2 * E18));
    oracle
        .sender(owner)
        .report_values_at(NOW - 10, owner, VALUE_SUPPLY, &[token.address()], &[w(5_000 * E18)])
        .unwrap();
    valuer.sender(owner).set_mcap_source(token.address(), true, vec![]).motsu_unwrap();
    assert_eq!(
        valuer.sender(owner).get_values(vec![token.address()]).unwrap(),
        vec![w(10_000 * E18)]
    );
}

#[motsu::test]
fn tvl_values_vault_assets_at_the_underlying_twap_or_reported_shares(
    valuer: Contract<WeightValuer>,
    oracle: Contract<PowerOracle>,
    usdc: Contract<MockErc20>,
    vault: Contract<MockVenue>,
    lp: Contract<MockErc20>,
    owner: Address,
) {
    setup_oracle(&oracle, owner);
    setup_valuer(&valuer, &oracle, owner, KIND_TVL);
    setup_token(&usdc, owner, 6, w(3_000_000_000));
    vault.sender(owner).constructor(usdc.address());
    usdc.sender(owner).approve(vault.address(), w(3_000_000_000)).unwrap();
    vault.sender(owner).deposit(w(2_000_000_000), owner).unwrap();
    vault.sender(owner).simulate_yield(w(500_000_000)).unwrap();
    setup_token(&lp, owner, 18, w(E18));
    post_price(&oracle, owner, usdc.address(), w(E18));
    post_price(&oracle, owner, lp.address(), w(3 * E18));
    oracle
        .sender(owner)
        .report_values_at(NOW - 10, owner, VALUE_TVL, &[lp.address()], &[w(700 * E18)])
        .unwrap();
    valuer.sender(owner).set_tvl_source(vault.address(), false, Address::ZERO).motsu_unwrap();
    valuer.sender(owner).set_tvl_source(lp.address(), true, Address::ZERO).motsu_unwrap();
    // Vault: 2,500 USDC of assets at $1; LP: 700 shares at $3.
    assert_eq!(
        valuer.sender(owner).get_values(vec![vault.address(), lp.address()]).unwrap(),
        vec![w(2_500 * E18), w(2_100 * E18)]
    );
    // 25e18 · 2500 / 4600 and 25e18 · 2100 / 4600, rounded down.
    assert_eq!(
        valuer.sender(owner).get_targets(vec![vault.address(), lp.address()]).unwrap(),
        vec![w(13_586_956_521_739_130_434), w(11_413_043_478_260_869_565)]
    );
}

#[motsu::test]
fn valuation_reverts_for_unconfigured_tokens_and_zero_totals(
    valuer: Contract<WeightValuer>,
    oracle: Contract<PowerOracle>,
    owner: Address,
) {
    setup_valuer(&valuer, &oracle, owner, KIND_FIXED);
    let (a, b) = (Address::repeat_byte(1), Address::repeat_byte(2));
    assert_eq!(
        valuer.sender(owner).get_values(vec![a]).unwrap_err(),
        Error::TokenNotConfigured(WeightValuerTokenNotConfigured { token: a })
    );
    valuer.sender(owner).set_fixed_weights(vec![a, b], vec![U256::ZERO, U256::ZERO]).motsu_unwrap();
    assert_eq!(
        valuer.sender(owner).get_targets(vec![a, b]).unwrap_err(),
        Error::ZeroTotalValue(WeightValuerZeroTotalValue {})
    );
    assert_eq!(
        valuer.sender(owner).get_targets(vec![]).unwrap_err(),
        Error::ZeroTotalValue(WeightValuerZeroTotalValue {})
    );
}

#[motsu::test]
fn valuation_surfaces_oracle_errors_by_selector(
    valuer: Contract<WeightValuer>,
    oracle: Contract<PowerOracle>,
    token: Contract<MockErc20>,
    owner: Address,
) {
    setup_oracle(&oracle, owner);
    setup_valuer(&valuer, &oracle, owner, KIND_MCAP);
    setup_token(&token, owner, 18, w(E18));
    let t = token.address();
    valuer.sender(owner).set_mcap_source(t, false, vec![]).motsu_unwrap();
    // No price yet.
    assert_eq!(
        valuer.sender(owner).get_values(vec![t]).unwrap_err(),
        Error::OracleCallFailed(WeightValuerOracleCallFailed {
            asset: t,
            reason: FixedBytes(power_oracle::PowerOracleNoData::SELECTOR),
        })
    );
    // A price posted too recently for the window.
    oracle.sender(owner).report_prices_at(NOW - WINDOW + 1, owner, &[t], &[w(E18)]).unwrap();
    assert_eq!(
        valuer.sender(owner).get_values(vec![t]).unwrap_err(),
        Error::OracleCallFailed(WeightValuerOracleCallFailed {
            asset: t,
            reason: FixedBytes(power_oracle::PowerOracleTwapHistoryTooShort::SELECTOR),
        })
    );
    // A reported supply that was never posted.
    valuer.sender(owner).set_mcap_source(t, true, vec![]).motsu_unwrap();
    assert_eq!(
        valuer.sender(owner).get_values(vec![t]).unwrap_err(),
        Error::OracleCallFailed(WeightValuerOracleCallFailed {
            asset: t,
            reason: FixedBytes(power_oracle::PowerOracleNoData::SELECTOR),
        })
    );
}

#[motsu::test]
fn valuation_reports_arithmetic_overflow(
    valuer: Contract<WeightValuer>,
    oracle: Contract<PowerOracle>,
    token: Contract<MockErc20>,
    owner: Address,
) {
    setup_oracle(&oracle, owner);
    setup_valuer(&valuer, &oracle, owner, KIND_MCAP);
    setup_token(&token, owner, 0, U256::MAX);
    post_price(&oracle, owner, token.address(), power_oracle::MAX_PRICE);
    valuer.sender(owner).set_mcap_source(token.address(), false, vec![]).motsu_unwrap();
    assert_eq!(
        valuer.sender(owner).get_values(vec![token.address()]).unwrap_err(),
        Error::Math(WeightValuerMath { code: MathError::Overflow.code() })
    );
}

#[test]
fn target_weight_normalises_floors_and_rejects_impossible_inputs() {
    assert_eq!(target_weight(w(1), w(4)).unwrap(), 6_250_000_000_000_000_000);
    assert_eq!(target_weight(w(1), w(10u128.pow(30))).unwrap(), MIN_WEIGHT);
    assert_eq!(target_weight(U256::ZERO, w(1)).unwrap(), MIN_WEIGHT);
    assert_eq!(target_weight(w(1), w(1)).unwrap(), TOTAL_WEIGHT);
    assert_eq!(
        target_weight(w(1), U256::ZERO).unwrap_err(),
        Error::Math(WeightValuerMath { code: MathError::DivisionByZero.code() })
    );
    assert_eq!(
        target_weight(w(2), w(1)).unwrap_err(),
        Error::Math(WeightValuerMath { code: MathError::Overflow.code() })
    );
    assert_eq!(
        VALUE_SUPPLY,
        power_oracle::KIND_SUPPLY,
        "the valuer reads the oracle's SUPPLY kind"
    );
    assert_eq!(VALUE_TVL, power_oracle::KIND_TVL);
}

#[test]
fn read_selectors_are_the_standard_signatures() {
    use alloy_primitives::keccak256;
    let sel = |s: &str| -> [u8; 4] { keccak256(s.as_bytes())[..4].try_into().unwrap() };
    assert_eq!(crate::calls::GET_TWAP, sel("getTwap(address,uint256)"));
    assert_eq!(crate::calls::GET_VALUE, sel("getValue(bytes32,address)"));
    assert_eq!(crate::calls::TOTAL_SUPPLY, sel("totalSupply()"));
    assert_eq!(crate::calls::BALANCE_OF, sel("balanceOf(address)"));
    assert_eq!(crate::calls::DECIMALS, sel("decimals()"));
    assert_eq!(crate::calls::ASSET, sel("asset()"));
    assert_eq!(crate::calls::TOTAL_ASSETS, sel("totalAssets()"));
}
