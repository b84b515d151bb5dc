#![allow(clippy::arithmetic_side_effects)]

use mock_erc20::MockErc20;
use motsu::prelude::*;
use stylus_sdk::alloy_primitives::{uint, Address, FixedBytes, U256};

use super::*;

const E18: U256 = uint!(1_000_000_000_000_000_000_U256);

fn setup_venue(venue: &Contract<MockVenue>, asset: &Contract<MockErc20>, alice: Address) {
    asset.sender(alice).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
    venue.sender(alice).constructor(asset.address());
    asset.sender(alice).mint(alice, E18 * uint!(1000_U256)).motsu_unwrap();
    asset.sender(alice).approve(venue.address(), U256::MAX).motsu_unwrap();
}

#[motsu::test]
fn first_deposit_mints_shares_one_to_one(
    venue: Contract<MockVenue>,
    asset: Contract<MockErc20>,
    alice: Address,
) {
    setup_venue(&venue, &asset, alice);
    let shares = venue.sender(alice).deposit(E18 * uint!(100_U256), alice).motsu_unwrap();
    assert_eq!(shares, E18 * uint!(100_U256));
    assert_eq!(venue.sender(alice).total_assets().motsu_unwrap(), E18 * uint!(100_U256));
    venue.assert_emitted(&Deposit {
        sender: alice,
        owner: alice,
        assets: E18 * uint!(100_U256),
        shares,
    });
}

#[motsu::test]
fn simulated_yield_raises_share_value_and_redeem_pays_it(
    venue: Contract<MockVenue>,
    asset: Contract<MockErc20>,
    alice: Address,
) {
    setup_venue(&venue, &asset, alice);
    venue.sender(alice).deposit(E18 * uint!(100_U256), alice).motsu_unwrap();
    venue.sender(alice).simulate_yield(E18 * uint!(10_U256)).motsu_unwrap();
    // 100e18 shares over 110e18 assets with the one-unit virtual offset:
    // 100e18 · (110e18 + 1) / (100e18 + 1), rounded down.
    let value = venue.sender(alice).convert_to_assets(E18 * uint!(100_U256)).motsu_unwrap();
    let expected = (E18 * uint!(100_U256)) * (E18 * uint!(110_U256) + uint!(1_U256))
        / (E18 * uint!(100_U256) + uint!(1_U256));
    assert_eq!(value, expected);
    let before = asset.sender(alice).balance_of(alice);
    let paid = venue.sender(alice).redeem(E18 * uint!(100_U256), alice, alice).motsu_unwrap();
    assert_eq!(paid, expected);
    assert_eq!(asset.sender(alice).balance_of(alice), before + expected);
}

#[motsu::test]
fn simulated_loss_lowers_share_value(
    venue: Contract<MockVenue>,
    asset: Contract<MockErc20>,
    alice: Address,
) {
    setup_venue(&venue, &asset, alice);
    venue.sender(alice).deposit(E18 * uint!(100_U256), alice).motsu_unwrap();
    venue.sender(alice).simulate_loss(E18 * uint!(25_U256)).motsu_unwrap();
    assert_eq!(venue.sender(alice).total_assets().motsu_unwrap(), E18 * uint!(75_U256));
    assert!(venue.sender(alice).max_withdraw(alice).motsu_unwrap() <= E18 * uint!(75_U256));
}

#[motsu::test]
fn withdraw_rounds_shares_up_and_mint_rounds_assets_up(
    venue: Contract<MockVenue>,
    asset: Contract<MockErc20>,
    alice: Address,
) {
    setup_venue(&venue, &asset, alice);
    venue.sender(alice).deposit(uint!(1000_U256), alice).motsu_unwrap();
    venue.sender(alice).simulate_yield(uint!(500_U256)).motsu_unwrap();
    // 1 asset is worth 1001/1501 shares: withdraw burns the ceiling (1).
    assert_eq!(venue.sender(alice).preview_withdraw(uint!(1_U256)).motsu_unwrap(), uint!(1_U256));
    assert_eq!(venue.sender(alice).preview_deposit(uint!(1_U256)).motsu_unwrap(), U256::ZERO);
    // 2 shares cost 2·1501/1001 = 2.99 → 3 assets.
    assert_eq!(venue.sender(alice).preview_mint(uint!(2_U256)).motsu_unwrap(), uint!(3_U256));
    assert_eq!(venue.sender(alice).preview_redeem(uint!(2_U256)).motsu_unwrap(), uint!(2_U256));
}

#[motsu::test]
fn withdraw_reverts_above_limit(
    venue: Contract<MockVenue>,
    asset: Contract<MockErc20>,
    alice: Address,
) {
    setup_venue(&venue, &asset, alice);
    venue.sender(alice).deposit(E18, alice).motsu_unwrap();
    venue.sender(alice).set_withdraw_limit(uint!(100_U256));
    let err = venue.sender(alice).withdraw(uint!(101_U256), alice, alice).motsu_unwrap_err();
    assert!(matches!(
        err,
        Error::ExceededMaxWithdraw(VenueExceededMaxWithdraw { assets, max, .. })
            if assets == uint!(101_U256) && max == uint!(100_U256)
    ));
    let err = venue.sender(alice).redeem(E18, alice, alice).motsu_unwrap_err();
    assert!(matches!(err, Error::ExceededMaxRedeem(_)));
    assert_eq!(venue.sender(alice).balance_of(alice), E18);
}

#[motsu::test]
fn withdraw_for_another_owner_needs_allowance(
    venue: Contract<MockVenue>,
    asset: Contract<MockErc20>,
    alice: Address,
    bob: Address,
) {
    setup_venue(&venue, &asset, alice);
    venue.sender(alice).deposit(E18, alice).motsu_unwrap();
    let err = venue.sender(bob).redeem(E18, bob, alice).motsu_unwrap_err();
    assert!(matches!(err, Error::InsufficientAllowance(_)));
    venue.sender(alice).approve(bob, E18).motsu_unwrap();
    venue.sender(bob).redeem(E18, bob, alice).motsu_unwrap();
    assert_eq!(asset.sender(bob).balance_of(bob), E18);
}

#[motsu::test]
fn simulate_loss_reverts_when_vault_holds_less(
    venue: Contract<MockVenue>,
    asset: Contract<MockErc20>,
    alice: Address,
) {
    setup_venue(&venue, &asset, alice);
    let err = venue.sender(alice).simulate_loss(uint!(1_U256)).motsu_unwrap_err();
    assert!(matches!(err, Error::AssetCallFailed(_)));
}
