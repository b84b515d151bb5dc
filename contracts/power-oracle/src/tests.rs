//! Unit tests: access control, every guard, views, and the TWAP ring.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects, missing_docs)]

use alloc::vec;

use alloy_primitives::{address, fixed_bytes, uint, Address, FixedBytes, U256};
use motsu::prelude::*;
use strata_common::ownable::{OwnershipTransferStarted, OwnershipTransferred};

use super::*;

const E18: U256 = uint!(1_000_000_000_000_000_000_U256);
/// 10% in WAD.
const MAX_DEV: U256 = uint!(100_000_000_000_000_000_U256);
const INTERVAL: u64 = 60;
const MAX_AGE: u64 = 3_600;
const MAX_VALUE_AGE: u64 = 86_400;
/// A start time well inside the 48-bit timestamp range.
const T0: u64 = 1_700_000_000;
const AAVE: Address = address!("00000000000000000000000000000000000000aa");
const SNX: Address = address!("00000000000000000000000000000000000000bb");

fn price(dollars: u64) -> U256 {
    U256::from(dollars) * E18
}

fn setup_oracle(oracle: &Contract<PowerOracle>, owner: Address, reporter: Address) {
    oracle.sender(owner).constructor(owner, INTERVAL, MAX_DEV, MAX_AGE, MAX_VALUE_AGE).unwrap();
    oracle.sender(owner).set_reporter(reporter, true).unwrap();
}

/// Observation `slot` of `asset` (read from storage: the ring is internal;
/// indexers rebuild it from `PriceUpdated` events).
fn obs(oracle: &Contract<PowerOracle>, asset: Address, slot: usize) -> Result<(u64, U256), Error> {
    let contract = oracle.sender(Address::ZERO);
    let feed = contract.prices.getter(asset);
    observation(&feed, slot, asset)
}

fn report(oracle: &Contract<PowerOracle>, reporter: Address, now: u64, asset: Address, p: U256) {
    oracle.sender(reporter).report_prices_at(now, reporter, &[asset], &[p]).motsu_unwrap();
}

// ---------------------------------------------------------------- set-up

#[motsu::test]
fn constructor_sets_owner_and_guards(oracle: Contract<PowerOracle>, owner: Address) {
    oracle.sender(owner).constructor(owner, INTERVAL, MAX_DEV, MAX_AGE, MAX_VALUE_AGE).unwrap();
    assert_eq!(oracle.sender(owner).owner(), owner);
    assert_eq!(oracle.sender(owner).config(), (INTERVAL, MAX_DEV, MAX_AGE, MAX_VALUE_AGE));
    oracle.assert_emitted(&OwnershipTransferred { previousOwner: Address::ZERO, newOwner: owner });
    oracle.assert_emitted(&ConfigSet {
        minReportInterval: INTERVAL,
        maxDeviation: MAX_DEV,
        maxAge: MAX_AGE,
        maxValueAge: MAX_VALUE_AGE,
    });
}

#[motsu::test]
fn constructor_rejects_zero_owner(oracle: Contract<PowerOracle>, owner: Address) {
    let err = oracle
        .sender(owner)
        .constructor(Address::ZERO, INTERVAL, MAX_DEV, MAX_AGE, MAX_VALUE_AGE)
        .motsu_unwrap_err();
    assert_eq!(err, Error::InvalidOwner(OwnableInvalidOwner { owner: Address::ZERO }));
}

#[motsu::test]
fn set_config_rejects_each_invalid_guard_and_keeps_the_old_one(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    for (interval, dev, age, value_age) in [
        (INTERVAL, U256::ZERO, MAX_AGE, MAX_VALUE_AGE),
        (INTERVAL, MAX_DEV, INTERVAL, MAX_VALUE_AGE),
        (INTERVAL, MAX_DEV, MAX_AGE, INTERVAL),
    ] {
        let err = oracle.sender(owner).set_config(interval, dev, age, value_age).motsu_unwrap_err();
        assert_eq!(
            err,
            Error::InvalidConfig(PowerOracleInvalidConfig {
                minReportInterval: interval,
                maxDeviation: dev,
                maxAge: age,
                maxValueAge: value_age,
            })
        );
    }
    assert_eq!(oracle.sender(owner).config(), (INTERVAL, MAX_DEV, MAX_AGE, MAX_VALUE_AGE));
}

#[motsu::test]
fn set_config_by_owner_applies_and_emits(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    oracle.sender(owner).set_config(0, E18, 10, 20).motsu_unwrap();
    assert_eq!(oracle.sender(owner).config(), (0, E18, 10, 20));
    oracle.assert_emitted(&ConfigSet {
        minReportInterval: 0,
        maxDeviation: E18,
        maxAge: 10,
        maxValueAge: 20,
    });
}

#[motsu::test]
fn admin_functions_revert_for_non_owner_and_change_nothing(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
    mallory: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    let unauthorized = Error::Unauthorized(OwnableUnauthorizedAccount { account: mallory });
    assert_eq!(oracle.sender(mallory).set_reporter(mallory, true).motsu_unwrap_err(), unauthorized);
    assert_eq!(oracle.sender(mallory).set_config(0, E18, 10, 20).motsu_unwrap_err(), unauthorized);
    assert_eq!(
        oracle.sender(mallory).grow_observations(AAVE, 100).motsu_unwrap_err(),
        unauthorized
    );
    assert_eq!(
        oracle.sender(mallory).confirm_prices_at(T0, mallory, &[AAVE], &[E18]).motsu_unwrap_err(),
        unauthorized
    );
    assert_eq!(
        oracle
            .sender(mallory)
            .confirm_values_at(T0, mallory, KIND_TVL, &[AAVE], &[E18])
            .motsu_unwrap_err(),
        unauthorized
    );
    assert_eq!(oracle.sender(mallory).transfer_ownership(mallory).motsu_unwrap_err(), unauthorized);
    assert_eq!(oracle.sender(mallory).renounce_ownership().motsu_unwrap_err(), unauthorized);
    assert!(!oracle.sender(owner).is_reporter(mallory));
    assert_eq!(oracle.sender(owner).config(), (INTERVAL, MAX_DEV, MAX_AGE, MAX_VALUE_AGE));
    assert_eq!(oracle.sender(owner).observation_info(AAVE), (0, 0, 0));
    assert!(oracle.sender(owner).get_price_with_time(AAVE).is_err());
    assert_eq!(oracle.sender(owner).owner(), owner);
}

#[motsu::test]
fn reporter_allow_list_is_owner_managed(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    assert!(oracle.sender(owner).is_reporter(reporter));
    oracle.assert_emitted(&ReporterSet { reporter, allowed: true });
    oracle.sender(owner).set_reporter(reporter, false).motsu_unwrap();
    oracle.assert_emitted(&ReporterSet { reporter, allowed: false });
    let err =
        oracle.sender(reporter).report_prices_at(T0, reporter, &[AAVE], &[E18]).motsu_unwrap_err();
    assert_eq!(err, Error::NotReporter(PowerOracleNotReporter { account: reporter }));
}

#[motsu::test]
fn ownership_moves_in_two_steps(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
    next: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    oracle.sender(owner).transfer_ownership(next).motsu_unwrap();
    oracle.assert_emitted(&OwnershipTransferStarted { previousOwner: owner, newOwner: next });
    assert_eq!(oracle.sender(owner).pending_owner(), next);
    let err = oracle.sender(reporter).accept_ownership().motsu_unwrap_err();
    assert_eq!(err, Error::Unauthorized(OwnableUnauthorizedAccount { account: reporter }));
    assert_eq!(oracle.sender(owner).owner(), owner);
    oracle.sender(next).accept_ownership().motsu_unwrap();
    assert_eq!(oracle.sender(owner).owner(), next);
    oracle.sender(next).renounce_ownership().motsu_unwrap();
    assert_eq!(oracle.sender(owner).owner(), Address::ZERO);
}

// ---------------------------------------------------------------- prices

#[motsu::test]
fn report_prices_stores_price_and_time_and_emits(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    oracle
        .sender(reporter)
        .report_prices_at(T0, reporter, &[AAVE, SNX], &[price(100), price(3)])
        .motsu_unwrap();
    assert_eq!(
        oracle.sender(owner).get_price_with_time(AAVE).unwrap(),
        (price(100), U256::from(T0))
    );
    assert_eq!(oracle.sender(owner).price_at(T0 + MAX_AGE, SNX).unwrap(), price(3));
    oracle.assert_emitted(&PriceUpdated {
        asset: AAVE,
        reporter,
        price: price(100),
        timestamp: U256::from(T0),
        confirmed: false,
    });
}

#[motsu::test]
fn report_prices_rejects_non_reporter_and_changes_nothing(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
    mallory: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    let err =
        oracle.sender(mallory).report_prices_at(T0, mallory, &[AAVE], &[E18]).motsu_unwrap_err();
    assert_eq!(err, Error::NotReporter(PowerOracleNotReporter { account: mallory }));
    assert_eq!(
        oracle.sender(owner).get_price_with_time(AAVE).unwrap_err(),
        Error::NoData(PowerOracleNoData { kind: KIND_PRICE, asset: AAVE })
    );
}

#[motsu::test]
fn report_prices_rejects_length_mismatch(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    let err = oracle
        .sender(reporter)
        .report_prices_at(T0, reporter, &[AAVE, SNX], &[E18])
        .motsu_unwrap_err();
    assert_eq!(
        err,
        Error::LengthMismatch(PowerOracleLengthMismatch {
            assets: U256::from(2),
            values: U256::from(1)
        })
    );
    assert!(oracle.sender(owner).get_price_with_time(AAVE).is_err());
}

#[motsu::test]
fn report_prices_rejects_zero_and_oversized_prices(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    let too_big = MAX_PRICE + U256::from(1);
    for bad in [U256::ZERO, too_big] {
        let err = oracle
            .sender(reporter)
            .report_prices_at(T0, reporter, &[AAVE], &[bad])
            .motsu_unwrap_err();
        assert_eq!(err, Error::InvalidPrice(PowerOracleInvalidPrice { asset: AAVE, price: bad }));
    }
    // The largest price is accepted.
    report(&oracle, reporter, T0, AAVE, MAX_PRICE);
    assert_eq!(oracle.sender(owner).price_at(T0, AAVE).unwrap(), MAX_PRICE);
}

#[motsu::test]
fn one_bad_entry_reverts_the_whole_batch(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    let err = oracle
        .sender(reporter)
        .report_prices_at(T0, reporter, &[AAVE, SNX], &[price(100), U256::ZERO])
        .motsu_unwrap_err();
    assert!(matches!(err, Error::InvalidPrice(_)));
    assert!(oracle.sender(owner).get_price_with_time(AAVE).is_err());
    assert_eq!(oracle.sender(owner).observation_info(AAVE), (0, 0, 0));
}

#[motsu::test]
fn report_within_min_interval_reverts_with_next_allowed_time(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    report(&oracle, reporter, T0, AAVE, price(100));
    let err = oracle
        .sender(reporter)
        .report_prices_at(T0 + INTERVAL - 1, reporter, &[AAVE], &[price(101)])
        .motsu_unwrap_err();
    assert_eq!(
        err,
        Error::ReportTooSoon(PowerOracleReportTooSoon {
            kind: KIND_PRICE,
            asset: AAVE,
            nextAllowed: U256::from(T0 + INTERVAL),
        })
    );
    assert_eq!(
        oracle.sender(owner).get_price_with_time(AAVE).unwrap(),
        (price(100), U256::from(T0))
    );
    // Exactly one interval later is fine.
    report(&oracle, reporter, T0 + INTERVAL, AAVE, price(101));
    assert_eq!(oracle.sender(owner).price_at(T0 + INTERVAL, AAVE).unwrap(), price(101));
}

#[motsu::test]
fn report_beyond_max_deviation_is_rejected_and_exactly_max_is_accepted(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    report(&oracle, reporter, T0, AAVE, price(100));
    // +10% + 1 wei: (1e19 + 1) · 1e18 > 0.1e18 · 1e20.
    let jump = price(110) + U256::from(1);
    let err = oracle
        .sender(reporter)
        .report_prices_at(T0 + INTERVAL, reporter, &[AAVE], &[jump])
        .motsu_unwrap_err();
    assert_eq!(
        err,
        Error::DeviationExceeded(PowerOracleDeviationExceeded {
            kind: KIND_PRICE,
            asset: AAVE,
            last: price(100),
            reported: jump,
            maxDeviation: MAX_DEV,
        })
    );
    assert_eq!(oracle.sender(owner).price_at(T0 + INTERVAL, AAVE).unwrap(), price(100));
    // −10% exactly is within the bound.
    report(&oracle, reporter, T0 + INTERVAL, AAVE, price(90));
    assert_eq!(oracle.sender(owner).price_at(T0 + INTERVAL, AAVE).unwrap(), price(90));
}

#[motsu::test]
fn owner_confirms_a_rejected_price_and_reporters_continue_from_it(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    report(&oracle, reporter, T0, AAVE, price(100));
    let crash = price(40);
    assert!(matches!(
        oracle
            .sender(reporter)
            .report_prices_at(T0 + 10, reporter, &[AAVE], &[crash])
            .motsu_unwrap_err(),
        Error::ReportTooSoon(_)
    ));
    // The confirm path skips both the interval and the deviation checks.
    oracle.sender(owner).confirm_prices_at(T0 + 10, owner, &[AAVE], &[crash]).motsu_unwrap();
    oracle.assert_emitted(&PriceUpdated {
        asset: AAVE,
        reporter: owner,
        price: crash,
        timestamp: U256::from(T0 + 10),
        confirmed: true,
    });
    assert_eq!(oracle.sender(owner).price_at(T0 + 10, AAVE).unwrap(), crash);
    report(&oracle, reporter, T0 + 10 + INTERVAL, AAVE, price(42));
    assert_eq!(oracle.sender(owner).price_at(T0 + 10 + INTERVAL, AAVE).unwrap(), price(42));
    // The confirmed price is part of the TWAP: 100 for 10 s, 40 for 60 s.
    let twap = oracle.sender(owner).twap_at(T0 + 70, AAVE, U256::from(70)).unwrap();
    assert_eq!(twap, (price(100) * U256::from(10) + crash * U256::from(60)) / U256::from(70));
}

#[motsu::test]
fn confirm_prices_still_validates_the_price(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    let err = oracle
        .sender(owner)
        .confirm_prices_at(T0, owner, &[AAVE], &[U256::ZERO])
        .motsu_unwrap_err();
    assert_eq!(
        err,
        Error::InvalidPrice(PowerOracleInvalidPrice { asset: AAVE, price: U256::ZERO })
    );
    let err = oracle.sender(owner).confirm_prices_at(T0, owner, &[AAVE], &[]).motsu_unwrap_err();
    assert!(matches!(err, Error::LengthMismatch(_)));
}

#[motsu::test]
fn get_price_reverts_once_older_than_max_age(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    report(&oracle, reporter, T0, AAVE, price(100));
    assert_eq!(oracle.sender(owner).price_at(T0 + MAX_AGE, AAVE).unwrap(), price(100));
    let err = oracle.sender(owner).price_at(T0 + MAX_AGE + 1, AAVE).unwrap_err();
    assert_eq!(
        err,
        Error::Stale(PowerOracleStale {
            kind: KIND_PRICE,
            asset: AAVE,
            updatedAt: U256::from(T0),
            maxAge: U256::from(MAX_AGE),
        })
    );
    // The timestamped view still answers so a consumer can apply its own bound.
    assert_eq!(
        oracle.sender(owner).get_price_with_time(AAVE).unwrap(),
        (price(100), U256::from(T0))
    );
}

#[motsu::test]
fn get_price_reverts_without_data(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    let no_data = Error::NoData(PowerOracleNoData { kind: KIND_PRICE, asset: AAVE });
    assert_eq!(oracle.sender(owner).get_price(AAVE).unwrap_err(), no_data);
    assert_eq!(oracle.sender(owner).get_twap(AAVE, U256::from(60)).unwrap_err(), no_data);
    assert_eq!(obs(&oracle, AAVE, 0).unwrap_err(), no_data);
}

#[motsu::test]
fn public_views_read_the_block_clock(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    // The public functions use motsu's fixed clock.
    oracle.sender(reporter).report_prices(vec![AAVE], vec![price(7)]).motsu_unwrap();
    let (p, at) = oracle.sender(owner).get_price_with_time(AAVE).unwrap();
    assert_eq!(p, price(7));
    assert_eq!(oracle.sender(owner).get_price(AAVE).unwrap(), price(7));
    let now = at.to::<u64>();
    assert_eq!(oracle.sender(owner).price_at(now, AAVE).unwrap(), price(7));
    oracle.sender(reporter).report_values(KIND_TVL, vec![AAVE], vec![E18]).motsu_unwrap();
    assert_eq!(oracle.sender(owner).get_value(KIND_TVL, AAVE).unwrap(), E18);
    oracle.sender(owner).confirm_prices(vec![AAVE], vec![price(8)]).motsu_unwrap();
    oracle.sender(owner).confirm_values(KIND_TVL, vec![AAVE], vec![E18 + E18]).motsu_unwrap();
    assert_eq!(oracle.sender(owner).get_value_with_time(KIND_TVL, AAVE).unwrap().0, E18 + E18);
    // One second of history only: a one-second window is too long.
    assert!(matches!(
        oracle.sender(owner).get_twap(AAVE, U256::from(1)).unwrap_err(),
        Error::TwapHistoryTooShort(_)
    ));
}

#[motsu::test]
fn report_at_a_timestamp_beyond_48_bits_is_a_math_error(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    let err = oracle
        .sender(reporter)
        .report_prices_at(1 << 48, reporter, &[AAVE], &[E18])
        .motsu_unwrap_err();
    assert_eq!(err, Error::Math(PowerOracleMath { code: MathError::Overflow.code() }));
    assert!(oracle.sender(owner).get_price_with_time(AAVE).is_err());
}

// ---------------------------------------------------------------- values

#[motsu::test]
fn report_values_stores_by_kind_and_asset(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    oracle
        .sender(reporter)
        .report_values_at(T0, reporter, KIND_TVL, &[AAVE, SNX], &[price(5), U256::ZERO])
        .motsu_unwrap();
    oracle
        .sender(reporter)
        .report_values_at(T0, reporter, KIND_SUPPLY, &[AAVE], &[price(9)])
        .motsu_unwrap();
    assert_eq!(oracle.sender(owner).value_at(T0, KIND_TVL, AAVE).unwrap(), price(5));
    assert_eq!(oracle.sender(owner).value_at(T0, KIND_TVL, SNX).unwrap(), U256::ZERO);
    assert_eq!(oracle.sender(owner).value_at(T0, KIND_SUPPLY, AAVE).unwrap(), price(9));
    assert_eq!(
        oracle.sender(owner).get_value_with_time(KIND_SUPPLY, AAVE).unwrap(),
        (price(9), U256::from(T0))
    );
    oracle.assert_emitted(&ValueUpdated {
        kind: KIND_TVL,
        asset: AAVE,
        reporter,
        value: price(5),
        timestamp: U256::from(T0),
        confirmed: false,
    });
    // A zero last value has nothing to deviate from: any new value is accepted.
    oracle
        .sender(reporter)
        .report_values_at(T0 + INTERVAL, reporter, KIND_TVL, &[SNX], &[price(1_000)])
        .motsu_unwrap();
    assert_eq!(oracle.sender(owner).value_at(T0 + INTERVAL, KIND_TVL, SNX).unwrap(), price(1_000));
}

#[motsu::test]
fn report_values_rejects_reserved_and_zero_kinds(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    for kind in [FixedBytes::ZERO, KIND_PRICE] {
        let err = oracle
            .sender(reporter)
            .report_values_at(T0, reporter, kind, &[AAVE], &[E18])
            .motsu_unwrap_err();
        assert_eq!(err, Error::InvalidKind(PowerOracleInvalidKind { kind }));
        let err = oracle
            .sender(owner)
            .confirm_values_at(T0, owner, kind, &[AAVE], &[E18])
            .motsu_unwrap_err();
        assert_eq!(err, Error::InvalidKind(PowerOracleInvalidKind { kind }));
    }
    assert!(oracle.sender(owner).get_value_with_time(KIND_PRICE, AAVE).is_err());
}

#[motsu::test]
fn report_values_applies_interval_deviation_and_reporter_guards(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
    mallory: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    let err = oracle
        .sender(mallory)
        .report_values_at(T0, mallory, KIND_TVL, &[AAVE], &[E18])
        .motsu_unwrap_err();
    assert_eq!(err, Error::NotReporter(PowerOracleNotReporter { account: mallory }));
    let err = oracle
        .sender(reporter)
        .report_values_at(T0, reporter, KIND_TVL, &[AAVE], &[])
        .motsu_unwrap_err();
    assert!(matches!(err, Error::LengthMismatch(_)));
    oracle
        .sender(reporter)
        .report_values_at(T0, reporter, KIND_TVL, &[AAVE], &[price(100)])
        .motsu_unwrap();
    let err = oracle
        .sender(reporter)
        .report_values_at(T0 + 1, reporter, KIND_TVL, &[AAVE], &[price(100)])
        .motsu_unwrap_err();
    assert_eq!(
        err,
        Error::ReportTooSoon(PowerOracleReportTooSoon {
            kind: KIND_TVL,
            asset: AAVE,
            nextAllowed: U256::from(T0 + INTERVAL),
        })
    );
    let err = oracle
        .sender(reporter)
        .report_values_at(T0 + INTERVAL, reporter, KIND_TVL, &[AAVE], &[price(50)])
        .motsu_unwrap_err();
    assert_eq!(
        err,
        Error::DeviationExceeded(PowerOracleDeviationExceeded {
            kind: KIND_TVL,
            asset: AAVE,
            last: price(100),
            reported: price(50),
            maxDeviation: MAX_DEV,
        })
    );
    assert_eq!(oracle.sender(owner).value_at(T0 + INTERVAL, KIND_TVL, AAVE).unwrap(), price(100));
    oracle
        .sender(owner)
        .confirm_values_at(T0 + INTERVAL, owner, KIND_TVL, &[AAVE], &[price(50)])
        .motsu_unwrap();
    oracle.assert_emitted(&ValueUpdated {
        kind: KIND_TVL,
        asset: AAVE,
        reporter: owner,
        value: price(50),
        timestamp: U256::from(T0 + INTERVAL),
        confirmed: true,
    });
    assert_eq!(oracle.sender(owner).value_at(T0 + INTERVAL, KIND_TVL, AAVE).unwrap(), price(50));
}

#[motsu::test]
fn get_value_reverts_once_older_than_max_value_age(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    let kind = fixed_bytes!("5745495248540000000000000000000000000000000000000000000000000000");
    assert_eq!(
        oracle.sender(owner).value_at(T0, kind, AAVE).unwrap_err(),
        Error::NoData(PowerOracleNoData { kind, asset: AAVE })
    );
    oracle.sender(reporter).report_values_at(T0, reporter, kind, &[AAVE], &[E18]).motsu_unwrap();
    assert_eq!(oracle.sender(owner).value_at(T0 + MAX_VALUE_AGE, kind, AAVE).unwrap(), E18);
    assert_eq!(
        oracle.sender(owner).value_at(T0 + MAX_VALUE_AGE + 1, kind, AAVE).unwrap_err(),
        Error::Stale(PowerOracleStale {
            kind,
            asset: AAVE,
            updatedAt: U256::from(T0),
            maxAge: U256::from(MAX_VALUE_AGE),
        })
    );
}

// ---------------------------------------------------------------- TWAP

#[motsu::test]
fn twap_is_exact_for_piecewise_constant_prices(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    report(&oracle, reporter, T0, AAVE, price(100));
    report(&oracle, reporter, T0 + 100, AAVE, price(105));
    report(&oracle, reporter, T0 + 250, AAVE, price(99));
    let now = T0 + 400;
    // Whole history: 100·100 + 105·150 + 99·150 over 400 s.
    let expected =
        (price(100) * U256::from(100) + price(105) * U256::from(150) + price(99) * U256::from(150))
            / U256::from(400);
    assert_eq!(oracle.sender(owner).twap_at(now, AAVE, U256::from(400)).unwrap(), expected);
    // A window starting between observations interpolates: 105 for 50 s, 99 for 150 s.
    let expected = (price(105) * U256::from(50) + price(99) * U256::from(150)) / U256::from(200);
    assert_eq!(oracle.sender(owner).twap_at(now, AAVE, U256::from(200)).unwrap(), expected);
    // A window after the last report is the current price.
    assert_eq!(oracle.sender(owner).twap_at(now, AAVE, U256::from(150)).unwrap(), price(99));
    // A window starting exactly on an observation.
    let expected = (price(105) * U256::from(150) + price(99) * U256::from(150)) / U256::from(300);
    assert_eq!(oracle.sender(owner).twap_at(now, AAVE, U256::from(300)).unwrap(), expected);
    assert_eq!(oracle.sender(owner).observation_info(AAVE), (2, 3, DEFAULT_OBSERVATIONS));
    assert_eq!(obs(&oracle, AAVE, 1).unwrap(), (T0 + 100, price(100) * U256::from(100)));
}

#[motsu::test]
fn twap_rejects_zero_and_oversized_windows(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    report(&oracle, reporter, T0, AAVE, price(100));
    for window in [U256::ZERO, U256::from(T0 + 11), U256::MAX] {
        assert_eq!(
            oracle.sender(owner).twap_at(T0 + 10, AAVE, window).unwrap_err(),
            Error::InvalidWindow(PowerOracleInvalidWindow { window })
        );
    }
}

#[motsu::test]
fn twap_reverts_when_history_is_shorter_than_the_window(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    report(&oracle, reporter, T0, AAVE, price(100));
    assert_eq!(oracle.sender(owner).twap_at(T0 + 600, AAVE, U256::from(600)).unwrap(), price(100));
    assert_eq!(
        oracle.sender(owner).twap_at(T0 + 600, AAVE, U256::from(601)).unwrap_err(),
        Error::TwapHistoryTooShort(PowerOracleTwapHistoryTooShort {
            asset: AAVE,
            window: U256::from(601),
            available: U256::from(600),
        })
    );
}

#[motsu::test]
fn twap_reverts_when_the_price_is_stale(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    report(&oracle, reporter, T0, AAVE, price(100));
    let err = oracle.sender(owner).twap_at(T0 + MAX_AGE + 1, AAVE, U256::from(60)).unwrap_err();
    assert!(matches!(err, Error::Stale(PowerOracleStale { kind, .. }) if kind == KIND_PRICE));
}

#[motsu::test]
fn reports_in_the_same_second_share_one_observation(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    oracle.sender(owner).set_config(0, MAX_DEV, MAX_AGE, MAX_VALUE_AGE).motsu_unwrap();
    report(&oracle, reporter, T0, AAVE, price(100));
    report(&oracle, reporter, T0 + 10, AAVE, price(101));
    report(&oracle, reporter, T0 + 10, AAVE, price(102));
    assert_eq!(oracle.sender(owner).observation_info(AAVE), (1, 2, DEFAULT_OBSERVATIONS));
    // 100 for 10 s, then the last price of second 10 (102) for 10 s.
    let twap = oracle.sender(owner).twap_at(T0 + 20, AAVE, U256::from(20)).unwrap();
    assert_eq!(twap, price(101));
}

#[motsu::test]
fn ring_overwrites_the_oldest_observation_once_full(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    let reports = u64::from(DEFAULT_OBSERVATIONS) + 3;
    for i in 0..reports {
        report(&oracle, reporter, T0 + i * INTERVAL, AAVE, price(100 + i % 2));
    }
    // 35 reports in 32 slots: the newest sits in slot 2, the oldest kept is report 3.
    assert_eq!(
        oracle.sender(owner).observation_info(AAVE),
        (2, DEFAULT_OBSERVATIONS, DEFAULT_OBSERVATIONS)
    );
    let now = T0 + (reports - 1) * INTERVAL;
    let kept = (reports - 1 - 3) * INTERVAL;
    assert!(oracle.sender(owner).twap_at(now, AAVE, U256::from(kept)).is_ok());
    assert_eq!(
        oracle.sender(owner).twap_at(now, AAVE, U256::from(kept + 1)).unwrap_err(),
        Error::TwapHistoryTooShort(PowerOracleTwapHistoryTooShort {
            asset: AAVE,
            window: U256::from(kept + 1),
            available: U256::from(kept),
        })
    );
    // Intervals 3..=33 alternate 101 (odd) and 100 (even): 16 of 101, 15 of 100.
    let twap = oracle.sender(owner).twap_at(now, AAVE, U256::from(kept)).unwrap();
    assert_eq!(twap, (price(101) * U256::from(16) + price(100) * U256::from(15)) / U256::from(31));
}

#[motsu::test]
fn grow_observations_extends_the_history(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    let err = oracle.sender(owner).grow_observations(AAVE, DEFAULT_OBSERVATIONS).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::InvalidCardinality(PowerOracleInvalidCardinality {
            asset: AAVE,
            current: DEFAULT_OBSERVATIONS,
            requested: DEFAULT_OBSERVATIONS,
        })
    );
    report(&oracle, reporter, T0, AAVE, price(100));
    for i in 1..u64::from(DEFAULT_OBSERVATIONS) + 5 {
        if i == 20 {
            oracle.sender(owner).grow_observations(AAVE, 64).motsu_unwrap();
            oracle.assert_emitted(&ObservationsGrown {
                asset: AAVE,
                previous: DEFAULT_OBSERVATIONS,
                next: 64,
            });
        }
        report(&oracle, reporter, T0 + i * INTERVAL, AAVE, price(100));
    }
    let last = T0 + (u64::from(DEFAULT_OBSERVATIONS) + 4) * INTERVAL;
    assert_eq!(oracle.sender(owner).observation_info(AAVE), (36, 37, 64));
    // Nothing was overwritten: the whole history since T0 is available.
    assert_eq!(
        oracle.sender(owner).twap_at(last, AAVE, U256::from(last - T0)).unwrap(),
        price(100)
    );
    let err = oracle.sender(owner).grow_observations(AAVE, 63).motsu_unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidCardinality(PowerOracleInvalidCardinality { current: 64, .. })
    ));
}

#[motsu::test]
fn growing_a_full_ring_inserts_new_slots_after_the_newest(
    oracle: Contract<PowerOracle>,
    owner: Address,
    reporter: Address,
) {
    setup_oracle(&oracle, owner, reporter);
    // Fill the 32 slots and wrap 5 times: newest in slot 4.
    for i in 0..u64::from(DEFAULT_OBSERVATIONS) + 5 {
        report(&oracle, reporter, T0 + i * INTERVAL, AAVE, price(100 + (i % 3)));
    }
    oracle.sender(owner).grow_observations(AAVE, 40).motsu_unwrap();
    // Keep writing: the ring wraps through slots 5..31, then grows to 40.
    let mut last = 0;
    for i in u64::from(DEFAULT_OBSERVATIONS) + 5..u64::from(DEFAULT_OBSERVATIONS) + 45 {
        last = T0 + i * INTERVAL;
        report(&oracle, reporter, last, AAVE, price(100 + (i % 3)));
    }
    let (index, len, next) = oracle.sender(owner).observation_info(AAVE);
    assert_eq!((len, next), (40, 40));
    // 77 reports in 40 slots: the newest is report 76, in logical position 39.
    let oldest_slot = (index + 1) % len;
    let (oldest_time, _) = obs(&oracle, AAVE, usize::from(oldest_slot)).unwrap();
    assert_eq!(oldest_time, last - 39 * INTERVAL);
    // The TWAP over the 39 retained intervals: prices cycle 100/101/102 every interval.
    let window = 39 * INTERVAL;
    let mut sum = U256::ZERO;
    for i in 37u64..76 {
        sum += price(100 + (i % 3)) * U256::from(INTERVAL);
    }
    assert_eq!(
        oracle.sender(owner).twap_at(last, AAVE, U256::from(window)).unwrap(),
        sum / U256::from(window)
    );
}

mod division {
    use proptest::prelude::*;

    use super::*;

    fn cases() -> u32 {
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases()))]

        /// The limb division agrees with ruint's 256-bit division.
        #[test]
        fn fuzz_div_u64_matches_u256_division(limbs in any::<[u64; 4]>(), d in 1u64..) {
            let x = U256::from_limbs(limbs);
            prop_assert_eq!(div_u64(x, d).unwrap(), x / U256::from(d));
        }
    }

    #[test]
    fn div_u64_by_zero_is_an_error() {
        assert_eq!(
            div_u64(U256::from(5), 0).unwrap_err(),
            Error::Math(PowerOracleMath { code: MathError::DivisionByZero.code() })
        );
        assert_eq!(div_u64(U256::MAX, 1).unwrap(), U256::MAX);
    }
}
