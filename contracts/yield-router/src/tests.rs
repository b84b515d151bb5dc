//! Unit tests of the yield router against the real `pi-token` and the mock ERC-4626 venue:
//! the spec's reference value, each reserve status reaching its expected amount, the
//! interval and the forced rebalance, illiquid venues and losses, harvests with the
//! performance fee, migrations, meta-governance forwarding, ownership, and every named
//! error with state unchanged after the revert. Time goes through `poke_at(now, ..)`
//! (motsu's clock is fixed).
#![allow(
    clippy::many_single_char_names,
    clippy::unused_self,
    clippy::too_many_lines,
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::needless_pass_by_value,
    clippy::too_many_arguments,
    missing_docs
)]

use alloc::vec::Vec;

use alloy_sol_types::{SolCall, SolError};
use mock_erc20::MockErc20;
use mock_governor::MockGovernor;
use mock_venue::MockVenue;
use motsu::prelude::*;
use pi_token::PiToken;
use stylus_sdk::alloy_primitives::{uint, Address, FixedBytes, U256};

use crate::*;

const T0: u64 = 1_735_689_600;
const DAY: u64 = 86_400;
const E18: U256 = uint!(1_000_000_000_000_000_000_U256);
const RATIO_20: U256 = uint!(200_000_000_000_000_000_U256);
const RATIO_10: U256 = uint!(100_000_000_000_000_000_U256);

fn e18(v: u64) -> U256 {
    U256::from(v) * E18
}

fn enc(e: Error) -> Vec<u8> {
    Vec::from(e)
}

struct Fixture {
    owner: Address,
    alice: Address,
    treasury: Address,
}

/// A pi-token over a mock underlying and venue with the router as its router, 1000
/// deposited by alice, configured at ratio 0.2, force 0.1, one day, 10% fee to the treasury.
fn setup(
    router: &Contract<YieldRouter>,
    pi: &Contract<PiToken>,
    token: &Contract<MockErc20>,
    venue: &Contract<MockVenue>,
) -> Fixture {
    let f = Fixture {
        owner: Address::with_last_byte(0x0A),
        alice: Address::with_last_byte(0xA1),
        treasury: Address::with_last_byte(0x7E),
    };
    router.sender(f.owner).constructor(f.owner).motsu_unwrap();
    token.sender(f.owner).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
    venue.sender(f.owner).constructor(token.address());
    pi.sender(f.owner)
        .constructor(
            FixedBytes::ZERO,
            FixedBytes::ZERO,
            token.address(),
            venue.address(),
            router.address(),
        )
        .motsu_unwrap();
    token.sender(f.alice).mint(f.alice, e18(1_000)).motsu_unwrap();
    token.sender(f.alice).approve(pi.address(), U256::MAX).motsu_unwrap();
    pi.sender(f.alice).deposit(e18(1_000)).motsu_unwrap();
    router
        .sender(f.owner)
        .set_config(pi.address(), RATIO_20, RATIO_10, DAY, RATIO_10, f.treasury)
        .motsu_unwrap();
    f
}

/// `(reserve, staked)` of the pi-token.
fn split(pi: &Contract<PiToken>) -> (U256, U256) {
    let (reserve, staked, _, _) = pi.sender(Address::ZERO).reserve_state().unwrap();
    (reserve, staked)
}

#[test]
fn spec_reference_expected_reserve_is_240() {
    assert_eq!(
        expected_reserve(RATIO_20, U256::from(800), U256::from(200), U256::from(50)).unwrap(),
        U256::from(240)
    );
    assert_eq!(reserve_status(U256::from(200), U256::from(240)), (SHORTAGE, U256::from(40)));
    assert_eq!(reserve_status(U256::from(300), U256::from(240)), (EXCESS, U256::from(60)));
    assert_eq!(reserve_status(U256::from(240), U256::from(240)), (EQUILIBRIUM, U256::ZERO));
}

#[motsu::test]
fn get_expected_reserve_and_get_reserve_status_answer_the_reference_case(
    router: Contract<YieldRouter>,
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
) {
    let f = setup(&router, &pi, &token, &venue);
    assert_eq!(
        router.sender(f.alice).get_expected_reserve(RATIO_20, e18(800), e18(200), e18(50)).unwrap(),
        e18(240)
    );
    router.sender(f.alice).poke_at(T0, pi.address()).motsu_unwrap();
    assert_eq!(split(&pi), (e18(200), e18(800)));
    // 50 about to leave: expected 0.2 · 950 + 50 = 240, 40 short.
    assert_eq!(
        router.sender(f.alice).get_reserve_status(pi.address(), e18(50)).unwrap(),
        (SHORTAGE, e18(40), e18(240))
    );
    assert_eq!(
        router.sender(f.alice).get_reserve_status(pi.address(), U256::ZERO).unwrap(),
        (EQUILIBRIUM, U256::ZERO, e18(200))
    );
    let err = router.sender(f.alice).get_reserve_status(pi.address(), e18(1_001)).unwrap_err();
    assert!(matches!(err, Error::Math(_)));
}

#[motsu::test]
fn constructor_rejects_a_zero_owner(router: Contract<YieldRouter>, alice: Address) {
    let err = router.sender(alice).constructor(Address::ZERO).motsu_unwrap_err();
    assert!(matches!(err, Error::InvalidOwner(_)));
}

#[motsu::test]
fn set_config_records_the_settings_and_writes_the_ratio_into_the_pi_token(
    router: Contract<YieldRouter>,
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
) {
    let f = setup(&router, &pi, &token, &venue);
    assert_eq!(
        router.sender(f.alice).get_config(pi.address()).unwrap(),
        (true, RATIO_20, RATIO_10, DAY, 0, RATIO_10, f.treasury)
    );
    assert_eq!(pi.sender(f.alice).reserve_ratio(), RATIO_20);
    router.assert_emitted(&ConfigSet {
        piToken: pi.address(),
        reserveRatio: RATIO_20,
        reserveRatioToForceRebalance: RATIO_10,
        rebalanceInterval: DAY,
        performanceFee: RATIO_10,
        feeReceiver: f.treasury,
    });
    assert_eq!(
        router.sender(f.alice).get_config(f.alice).unwrap(),
        (false, U256::ZERO, U256::ZERO, 0, 0, U256::ZERO, Address::ZERO)
    );
}

#[motsu::test]
fn set_config_rejects_bad_settings_and_changes_nothing(
    router: Contract<YieldRouter>,
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    other: Contract<PiToken>,
) {
    let f = setup(&router, &pi, &token, &venue);
    other
        .sender(f.owner)
        .constructor(FixedBytes::ZERO, FixedBytes::ZERO, token.address(), venue.address(), f.owner)
        .motsu_unwrap();
    let p = pi.address();
    let before = router.sender(f.alice).get_config(p).unwrap();
    let over = WAD + U256::from(1);
    let fee_over = MAX_PERFORMANCE_FEE + U256::from(1);
    let cases: Vec<(Error, Error)> = vec![
        (
            router
                .sender(f.alice)
                .set_config(p, RATIO_20, RATIO_10, DAY, RATIO_10, f.treasury)
                .motsu_unwrap_err(),
            Error::Unauthorized(OwnableUnauthorizedAccount { account: f.alice }),
        ),
        (
            router
                .sender(f.owner)
                .set_config(Address::ZERO, RATIO_20, RATIO_10, DAY, RATIO_10, f.treasury)
                .motsu_unwrap_err(),
            Error::ZeroAddress(YieldRouterZeroAddress {}),
        ),
        (
            router
                .sender(f.owner)
                .set_config(p, over, RATIO_10, DAY, RATIO_10, f.treasury)
                .motsu_unwrap_err(),
            Error::InvalidReserveRatio(YieldRouterInvalidReserveRatio { ratio: over }),
        ),
        (
            router
                .sender(f.owner)
                .set_config(p, RATIO_10, RATIO_20, DAY, RATIO_10, f.treasury)
                .motsu_unwrap_err(),
            Error::InvalidForceRatio(YieldRouterInvalidForceRatio {
                forceRatio: RATIO_20,
                ratio: RATIO_10,
            }),
        ),
        (
            router
                .sender(f.owner)
                .set_config(p, RATIO_20, RATIO_10, DAY, fee_over, f.treasury)
                .motsu_unwrap_err(),
            Error::InvalidFee(YieldRouterInvalidFee { fee: fee_over, max: MAX_PERFORMANCE_FEE }),
        ),
        (
            router
                .sender(f.owner)
                .set_config(p, RATIO_20, RATIO_10, DAY, RATIO_10, Address::ZERO)
                .motsu_unwrap_err(),
            Error::InvalidFee(YieldRouterInvalidFee { fee: RATIO_10, max: MAX_PERFORMANCE_FEE }),
        ),
        (
            router
                .sender(f.owner)
                .set_config(other.address(), RATIO_20, RATIO_10, DAY, RATIO_10, f.treasury)
                .motsu_unwrap_err(),
            Error::PiTokenCallFailed(YieldRouterPiTokenCallFailed {
                piToken: other.address(),
                reason: pi_token::PiTokenNotRouter::SELECTOR.into(),
            }),
        ),
    ];
    for (error, expected) in cases {
        assert_eq!(enc(error), enc(expected));
    }
    assert_eq!(router.sender(f.alice).get_config(p).unwrap(), before);
    assert!(!router.sender(f.alice).get_config(other.address()).unwrap().0);
}

#[motsu::test]
fn poke_of_an_unknown_pi_token_reverts(
    router: Contract<YieldRouter>,
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
) {
    let f = setup(&router, &pi, &token, &venue);
    let err = router.sender(f.alice).poke_at(T0, token.address()).motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(Error::UnknownPiToken(YieldRouterUnknownPiToken { piToken: token.address() }))
    );
}

#[motsu::test]
fn poke_in_excess_stakes_down_to_the_expected_reserve(
    router: Contract<YieldRouter>,
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
) {
    let f = setup(&router, &pi, &token, &venue);
    let (status, moved) = router.sender(f.alice).poke_at(T0, pi.address()).motsu_unwrap();
    assert_eq!((status, moved), (EXCESS, e18(800)));
    assert_eq!(split(&pi), (e18(200), e18(800)));
    router.assert_emitted(&Rebalanced {
        piToken: pi.address(),
        status: EXCESS,
        reserveBefore: e18(1_000),
        expectedReserve: e18(200),
        amountMoved: e18(800),
        gain: U256::ZERO,
        fee: U256::ZERO,
        forced: false,
    });
    assert_eq!(router.sender(f.alice).get_config(pi.address()).unwrap().4, T0);
}

#[motsu::test]
fn poke_in_shortage_unstakes_up_to_the_expected_reserve(
    router: Contract<YieldRouter>,
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
) {
    let f = setup(&router, &pi, &token, &venue);
    router.sender(f.alice).poke_at(T0, pi.address()).motsu_unwrap();
    let half = uint!(500_000_000_000_000_000_U256);
    router
        .sender(f.owner)
        .set_config(pi.address(), half, RATIO_10, DAY, RATIO_10, f.treasury)
        .motsu_unwrap();
    let (status, moved) = router.sender(f.alice).poke_at(T0 + DAY, pi.address()).motsu_unwrap();
    assert_eq!((status, moved), (SHORTAGE, e18(300)));
    assert_eq!(split(&pi), (e18(500), e18(500)));
    router.assert_emitted(&Rebalanced {
        piToken: pi.address(),
        status: SHORTAGE,
        reserveBefore: e18(200),
        expectedReserve: e18(500),
        amountMoved: e18(300),
        gain: U256::ZERO,
        fee: U256::ZERO,
        forced: false,
    });
}

#[motsu::test]
fn poke_in_equilibrium_moves_nothing(
    router: Contract<YieldRouter>,
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
) {
    let f = setup(&router, &pi, &token, &venue);
    router.sender(f.alice).poke_at(T0, pi.address()).motsu_unwrap();
    let (status, moved) = router.sender(f.alice).poke_at(T0 + DAY, pi.address()).motsu_unwrap();
    assert_eq!((status, moved), (EQUILIBRIUM, U256::ZERO));
    assert_eq!(split(&pi), (e18(200), e18(800)));
    assert_eq!(router.sender(f.alice).get_config(pi.address()).unwrap().4, T0 + DAY);
}

#[motsu::test]
fn poke_inside_the_interval_reverts_unless_the_reserve_is_below_the_force_threshold(
    router: Contract<YieldRouter>,
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
) {
    let f = setup(&router, &pi, &token, &venue);
    router.sender(f.alice).poke_at(T0, pi.address()).motsu_unwrap();
    let err = router.sender(f.alice).poke_at(T0 + DAY - 1, pi.address()).motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(Error::RebalanceNotDue(YieldRouterRebalanceNotDue {
            nextRebalanceAt: U256::from(T0 + DAY)
        }))
    );
    assert_eq!(split(&pi), (e18(200), e18(800)));
    // 150 withdrawn from the 200 reserve: 50 < 0.1 · 850 = 85, so the next poke is forced.
    pi.sender(f.alice).withdraw(e18(150)).motsu_unwrap();
    let (status, moved) = router.sender(f.alice).poke_at(T0 + 10, pi.address()).motsu_unwrap();
    // Expected 0.2 · 850 = 170: 120 come back from the venue.
    assert_eq!((status, moved), (SHORTAGE, e18(120)));
    assert_eq!(split(&pi), (e18(170), e18(680)));
    router.assert_emitted(&Rebalanced {
        piToken: pi.address(),
        status: SHORTAGE,
        reserveBefore: e18(50),
        expectedReserve: e18(170),
        amountMoved: e18(120),
        gain: U256::ZERO,
        fee: U256::ZERO,
        forced: true,
    });
}

#[motsu::test]
fn poke_against_an_illiquid_venue_moves_what_it_can_without_reverting(
    router: Contract<YieldRouter>,
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
) {
    let f = setup(&router, &pi, &token, &venue);
    router.sender(f.alice).poke_at(T0, pi.address()).motsu_unwrap();
    router
        .sender(f.owner)
        .set_config(pi.address(), WAD, RATIO_10, DAY, RATIO_10, f.treasury)
        .motsu_unwrap();
    venue.sender(f.owner).set_withdraw_limit(e18(300));
    let (status, moved) = router.sender(f.alice).poke_at(T0 + DAY, pi.address()).motsu_unwrap();
    assert_eq!((status, moved), (SHORTAGE, e18(300)));
    assert_eq!(split(&pi), (e18(500), e18(500)));
    // One wei releasable: the poke still succeeds and moves that wei.
    venue.sender(f.owner).set_withdraw_limit(U256::from(1));
    let (status, moved) = router.sender(f.alice).poke_at(T0 + 2 * DAY, pi.address()).motsu_unwrap();
    assert_eq!(status, SHORTAGE);
    assert_eq!(moved, U256::from(1));
}

#[motsu::test]
fn poke_after_a_venue_loss_rebalances_on_the_reduced_total_and_charges_no_fee(
    router: Contract<YieldRouter>,
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
) {
    let f = setup(&router, &pi, &token, &venue);
    router.sender(f.alice).poke_at(T0, pi.address()).motsu_unwrap();
    venue.sender(f.owner).simulate_loss(e18(300)).motsu_unwrap();
    let (_, staked) = split(&pi);
    // ⌊800e18 · (500e18 + 1) / (800e18 + 1)⌋ = 500e18.
    assert_eq!(staked, e18(500));
    let (status, moved) = router.sender(f.alice).poke_at(T0 + DAY, pi.address()).motsu_unwrap();
    // Total 700: expected 140, 60 in excess.
    assert_eq!((status, moved), (EXCESS, e18(60)));
    assert_eq!(split(&pi), (e18(140), e18(560)));
    assert_eq!(pi.sender(f.alice).balance_of(f.treasury), U256::ZERO);
    // Every pi is worth 0.7 underlying: alice withdraws everything, the loss is hers in full
    // because she is the only holder, and nothing reverts.
    let paid = pi.sender(f.alice).withdraw(e18(1_000)).motsu_unwrap();
    assert_eq!(paid, e18(1_000) * (e18(700) + U256::from(1)) / (e18(1_000) + U256::from(1)));
}

#[motsu::test]
fn poke_harvests_yield_and_pays_the_performance_fee_in_pi(
    router: Contract<YieldRouter>,
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
) {
    let f = setup(&router, &pi, &token, &venue);
    router.sender(f.alice).poke_at(T0, pi.address()).motsu_unwrap();
    venue.sender(f.owner).simulate_yield(e18(100)).motsu_unwrap();
    let (reserve, staked) = split(&pi);
    // ⌊800e18 · (900e18 + 1) / (800e18 + 1)⌋ = 900e18 − 1.
    assert_eq!(staked, e18(900) - U256::from(1));
    let gain = staked - e18(800);
    let fee = gain / U256::from(10);
    let supply = pi.sender(f.alice).total_supply();
    let fee_pi = fee * (supply + U256::from(1)) / (reserve + staked - fee + U256::from(1));
    let total = reserve + staked;
    let expected = total * RATIO_20 / E18;
    let (status, moved) = router.sender(f.alice).poke_at(T0 + DAY, pi.address()).motsu_unwrap();
    assert_eq!((status, moved), (SHORTAGE, expected - reserve));
    assert_eq!(pi.sender(f.alice).balance_of(f.treasury), fee_pi);
    router.assert_emitted(&Rebalanced {
        piToken: pi.address(),
        status: SHORTAGE,
        reserveBefore: reserve,
        expectedReserve: expected,
        amountMoved: expected - reserve,
        gain,
        fee,
        forced: false,
    });
    pi.assert_emitted(&pi_token::Harvested {
        receiver: f.treasury,
        gain,
        fee,
        feePiAmount: fee_pi,
        venueCheckpoint: staked,
    });
}

#[motsu::test]
fn migrate_venue_unstakes_everything_and_the_next_poke_uses_the_new_venue(
    router: Contract<YieldRouter>,
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    venue2: Contract<MockVenue>,
) {
    let f = setup(&router, &pi, &token, &venue);
    venue2.sender(f.owner).constructor(token.address());
    router.sender(f.alice).poke_at(T0, pi.address()).motsu_unwrap();
    let err =
        router.sender(f.alice).migrate_venue(pi.address(), venue2.address()).motsu_unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)));
    let err = router.sender(f.owner).migrate_venue(f.alice, venue2.address()).motsu_unwrap_err();
    assert!(matches!(err, Error::UnknownPiToken(_)));
    router.sender(f.owner).migrate_venue(pi.address(), venue2.address()).motsu_unwrap();
    router.assert_emitted(&VenueMigrated {
        piToken: pi.address(),
        newVenue: venue2.address(),
        unstaked: e18(800),
    });
    assert_eq!(pi.sender(f.alice).venue(), venue2.address());
    assert_eq!(split(&pi), (e18(1_000), U256::ZERO));
    router.sender(f.alice).poke_at(T0 + DAY, pi.address()).motsu_unwrap();
    assert_eq!(venue2.sender(f.alice).balance_of(pi.address()), e18(800));
}

#[motsu::test]
fn migrate_venue_to_a_vault_of_another_asset_reverts_and_changes_nothing(
    router: Contract<YieldRouter>,
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    wrong: Contract<MockVenue>,
) {
    let f = setup(&router, &pi, &token, &venue);
    wrong.sender(f.owner).constructor(venue.address());
    router.sender(f.alice).poke_at(T0, pi.address()).motsu_unwrap();
    let err =
        router.sender(f.owner).migrate_venue(pi.address(), wrong.address()).motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(Error::PiTokenCallFailed(YieldRouterPiTokenCallFailed {
            piToken: pi.address(),
            reason: pi_token::PiTokenVenueAssetMismatch::SELECTOR.into(),
        }))
    );
    assert_eq!(split(&pi), (e18(200), e18(800)));
    assert_eq!(pi.sender(f.alice).venue(), venue.address());
}

#[motsu::test]
fn migrate_router_hands_the_pi_token_over_and_forgets_it(
    router: Contract<YieldRouter>,
    router2: Contract<YieldRouter>,
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
) {
    let f = setup(&router, &pi, &token, &venue);
    router2.sender(f.owner).constructor(f.owner).motsu_unwrap();
    assert!(matches!(
        router.sender(f.alice).migrate_router(pi.address(), router2.address()).motsu_unwrap_err(),
        Error::Unauthorized(_)
    ));
    router.sender(f.owner).migrate_router(pi.address(), router2.address()).motsu_unwrap();
    router.assert_emitted(&RouterMigrated { piToken: pi.address(), newRouter: router2.address() });
    assert_eq!(pi.sender(f.alice).router(), router2.address());
    assert!(!router.sender(f.alice).get_config(pi.address()).unwrap().0);
    assert!(matches!(
        router.sender(f.alice).poke_at(T0, pi.address()).motsu_unwrap_err(),
        Error::UnknownPiToken(_)
    ));
    router2
        .sender(f.owner)
        .set_config(pi.address(), RATIO_20, RATIO_10, DAY, U256::ZERO, Address::ZERO)
        .motsu_unwrap();
    assert_eq!(router2.sender(f.alice).poke_at(T0, pi.address()).motsu_unwrap().0, EXCESS);
}

mod governance {
    #![allow(missing_docs)]
    alloy_sol_types::sol! {
        function castVote(uint256 proposalId, uint8 support) external returns (uint256);
        function delegate(address delegatee) external;
        function approve(address spender, uint256 value) external returns (bool);
    }
}

#[motsu::test]
fn owner_votes_with_the_pooled_underlying_through_an_allow_listed_call(
    router: Contract<YieldRouter>,
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    governor: Contract<MockGovernor>,
) {
    let f = setup(&router, &pi, &token, &venue);
    governor.sender(f.owner).constructor(token.address());
    let cast = FixedBytes(governance::castVoteCall::SELECTOR);
    let args = alloy_sol_types::SolValue::abi_encode(&(U256::from(3), U256::from(1)));
    // Not allow-listed yet.
    let err = router
        .sender(f.owner)
        .call_voting(pi.address(), governor.address(), cast, args.clone().into())
        .motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(Error::PiTokenCallFailed(YieldRouterPiTokenCallFailed {
            piToken: pi.address(),
            reason: pi_token::PiTokenVotingNotAllowed::SELECTOR.into(),
        }))
    );
    assert!(matches!(
        router
            .sender(f.alice)
            .set_voting_allowed(pi.address(), governor.address(), cast, true)
            .motsu_unwrap_err(),
        Error::Unauthorized(_)
    ));
    router
        .sender(f.owner)
        .set_voting_allowed(pi.address(), governor.address(), cast, true)
        .motsu_unwrap();
    assert!(pi.sender(f.alice).is_voting_allowed(governor.address(), cast));
    assert!(matches!(
        router
            .sender(f.alice)
            .call_voting(pi.address(), governor.address(), cast, args.clone().into())
            .motsu_unwrap_err(),
        Error::Unauthorized(_)
    ));
    router
        .sender(f.owner)
        .call_voting(pi.address(), governor.address(), cast, args.clone().into())
        .motsu_unwrap();
    assert_eq!(
        governor.sender(f.alice).get_receipt(U256::from(3), pi.address()),
        (true, 1, e18(1_000))
    );
    pi.assert_emitted(&pi_token::VotingCalled {
        target: governor.address(),
        selector: cast,
        args: args.into(),
    });
    // A token-moving selector can never be allowed.
    let approve = FixedBytes(governance::approveCall::SELECTOR);
    let err = router
        .sender(f.owner)
        .set_voting_allowed(pi.address(), token.address(), approve, true)
        .motsu_unwrap_err();
    assert_eq!(
        enc(err),
        enc(Error::PiTokenCallFailed(YieldRouterPiTokenCallFailed {
            piToken: pi.address(),
            reason: pi_token::PiTokenVotingSelectorForbidden::SELECTOR.into(),
        }))
    );
}

#[motsu::test]
fn ownership_moves_in_two_steps(
    router: Contract<YieldRouter>,
    pi: Contract<PiToken>,
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    next: Address,
) {
    let f = setup(&router, &pi, &token, &venue);
    router.sender(f.owner).transfer_ownership(next).motsu_unwrap();
    assert_eq!(router.sender(next).pending_owner(), next);
    assert_eq!(router.sender(next).owner(), f.owner);
    assert!(matches!(
        router.sender(f.alice).accept_ownership().motsu_unwrap_err(),
        Error::Unauthorized(_)
    ));
    router.sender(next).accept_ownership().motsu_unwrap();
    assert_eq!(router.sender(next).owner(), next);
    router.sender(next).renounce_ownership().motsu_unwrap();
    assert_eq!(router.sender(next).owner(), Address::ZERO);
    // Pokes keep working without an owner.
    router.sender(f.alice).poke_at(T0, pi.address()).motsu_unwrap();
}

#[test]
fn call_selectors_match_the_pi_token_abi() {
    use pi_token::abi::functions as p;
    assert_eq!(calls::getReserveStateCall::SELECTOR, p::getReserveStateCall::SELECTOR);
    assert_eq!(calls::reserveRatioCall::SELECTOR, p::reserveRatioCall::SELECTOR);
    assert_eq!(calls::stakeCall::SELECTOR, p::stakeCall::SELECTOR);
    assert_eq!(calls::unstakeCall::SELECTOR, p::unstakeCall::SELECTOR);
    assert_eq!(calls::harvestCall::SELECTOR, p::harvestCall::SELECTOR);
    assert_eq!(calls::setReserveRatioCall::SELECTOR, p::setReserveRatioCall::SELECTOR);
    assert_eq!(calls::setRouterCall::SELECTOR, p::setRouterCall::SELECTOR);
    assert_eq!(calls::setVenueCall::SELECTOR, p::setVenueCall::SELECTOR);
    assert_eq!(calls::setVotingAllowedCall::SELECTOR, p::setVotingAllowedCall::SELECTOR);
    assert_eq!(calls::callVotingCall::SELECTOR, p::callVotingCall::SELECTOR);
}
