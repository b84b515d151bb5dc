//! The yield router and its pi-token over several holders and many days: the reserve reaches
//! the expected amount in each status, the pi-token's own pending-withdrawal redemption
//! agrees with the router's `getReserveStatus(piToken, pendingWithdrawal)`, yield compounds
//! into the rate with the performance fee taken once per gain, and a venue loss is shared by
//! every holder at the same rate — the last to leave gets what the first got — without any
//! withdrawal or poke reverting. Time goes through `poke_at(now, ..)`.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects, missing_docs)]

mod router_support;

use alloy_primitives::{uint, Address, FixedBytes, U256};
use mock_erc20::MockErc20;
use mock_venue::MockVenue;
use motsu::prelude::*;
use pi_token::PiToken;
use router_support::{e18, T0};
use yield_router::{YieldRouter, EQUILIBRIUM, EXCESS, SHORTAGE};

const DAY: u64 = 86_400;
const RATIO_25: U256 = uint!(250_000_000_000_000_000_U256);
const FORCE_10: U256 = uint!(100_000_000_000_000_000_U256);
const FEE_20: U256 = uint!(200_000_000_000_000_000_U256);

struct Setup {
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    pi: Contract<PiToken>,
    router: Contract<YieldRouter>,
    owner: Address,
    treasury: Address,
    holders: [Address; 3],
}

/// Holders deposit 100, 200 and 300; ratio 25%, force at 10%, a day between pokes, 20% fee.
fn setup() -> Setup {
    let owner = Address::with_last_byte(0x0A);
    let treasury = Address::with_last_byte(0x7E);
    let holders = [
        Address::with_last_byte(0x11),
        Address::with_last_byte(0x12),
        Address::with_last_byte(0x13),
    ];
    let token = Contract::<MockErc20>::new();
    token.sender(owner).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
    let venue = Contract::<MockVenue>::new();
    venue.sender(owner).constructor(token.address());
    let router = Contract::<YieldRouter>::new();
    router.sender(owner).constructor(owner).motsu_unwrap();
    let pi = Contract::<PiToken>::new();
    pi.sender(owner)
        .constructor(
            FixedBytes::ZERO,
            FixedBytes::ZERO,
            token.address(),
            venue.address(),
            router.address(),
        )
        .motsu_unwrap();
    router
        .sender(owner)
        .set_config(pi.address(), RATIO_25, FORCE_10, DAY, FEE_20, treasury)
        .motsu_unwrap();
    for (i, &h) in holders.iter().enumerate() {
        let amount = e18(100 * (i as u64 + 1));
        token.sender(h).mint(h, amount).motsu_unwrap();
        token.sender(h).approve(pi.address(), U256::MAX).motsu_unwrap();
        pi.sender(h).deposit(amount).motsu_unwrap();
    }
    Setup { token, venue, pi, router, owner, treasury, holders }
}

fn state(s: &Setup) -> (U256, U256) {
    let (reserve, staked, _, _) = s.pi.sender(s.owner).reserve_state().unwrap();
    (reserve, staked)
}

#[motsu::test]
fn the_reserve_reaches_the_expected_amount_in_every_status_over_days() {
    let s = setup();
    let pi = s.pi.address();
    // Day 0: all 600 in reserve, expected 150: EXCESS.
    assert_eq!(
        s.router.sender(s.owner).get_reserve_status(pi, U256::ZERO).unwrap(),
        (EXCESS, e18(450), e18(150))
    );
    assert_eq!(s.router.sender(s.owner).poke_at(T0, pi).motsu_unwrap(), (EXCESS, e18(450)));
    assert_eq!(state(&s), (e18(150), e18(450)));
    // Day 1: nothing changed: EQUILIBRIUM.
    assert_eq!(
        s.router.sender(s.owner).poke_at(T0 + DAY, pi).motsu_unwrap(),
        (EQUILIBRIUM, U256::ZERO)
    );
    // Exactly at the force threshold (100 withdrawn: 50 = 10% of 500) the interval holds.
    s.pi.sender(s.holders[0]).withdraw(e18(100)).motsu_unwrap();
    assert_eq!(state(&s), (e18(50), e18(450)));
    let err = s.router.sender(s.owner).poke_at(T0 + DAY + 1, pi).motsu_unwrap_err();
    assert!(matches!(err, yield_router::Error::RebalanceNotDue(_)));
    // Ten more: 40 < 10% of 490, so the poke is forced inside the day and restores
    // 25% of 490 = 122.5: SHORTAGE of 82.5.
    s.pi.sender(s.holders[1]).withdraw(e18(10)).motsu_unwrap();
    let quarter = |x: U256| x / U256::from(4);
    let (status, moved) = s.router.sender(s.owner).poke_at(T0 + DAY + 1, pi).motsu_unwrap();
    assert_eq!((status, moved), (SHORTAGE, quarter(e18(490)) - e18(40)));
    assert_eq!(state(&s), (quarter(e18(490)), e18(490) - quarter(e18(490))));
    // A deposit of 300 makes an EXCESS at the next poke: expected 25% of 790 = 197.5.
    s.token.sender(s.owner).mint(s.owner, e18(300)).motsu_unwrap();
    s.token.sender(s.owner).approve(pi, U256::MAX).motsu_unwrap();
    s.pi.sender(s.owner).deposit(e18(300)).motsu_unwrap();
    let (status, moved) = s.router.sender(s.owner).poke_at(T0 + 2 * DAY + 1, pi).motsu_unwrap();
    assert_eq!((status, moved), (EXCESS, quarter(e18(490)) + e18(300) - quarter(e18(790))));
    assert_eq!(state(&s), (quarter(e18(790)), e18(790) - quarter(e18(790))));
}

#[motsu::test]
fn the_pi_tokens_pending_withdrawal_redemption_agrees_with_the_routers_status() {
    let s = setup();
    let pi = s.pi.address();
    s.router.sender(s.owner).poke_at(T0, pi).motsu_unwrap();
    // Withdraw 200 with 150 in reserve: the router's view of that pending withdrawal...
    let (status, diff, expected) =
        s.router.sender(s.owner).get_reserve_status(pi, e18(200)).unwrap();
    // ...is 25% · (600 − 200) + 200 = 300: 150 short.
    assert_eq!((status, diff, expected), (SHORTAGE, e18(150), e18(300)));
    s.pi.sender(s.holders[2]).withdraw(e18(200)).motsu_unwrap();
    // The pi-token redeemed exactly that shortage and holds 25% of the remaining 400.
    assert_eq!(state(&s), (expected - e18(200), e18(300)));
    assert_eq!(s.router.sender(s.owner).get_reserve_status(pi, U256::ZERO).unwrap().0, EQUILIBRIUM);
}

#[motsu::test]
fn yield_compounds_into_the_rate_and_the_fee_is_taken_once_per_gain() {
    let s = setup();
    let pi = s.pi.address();
    s.router.sender(s.owner).poke_at(T0, pi).motsu_unwrap();
    s.venue.sender(s.owner).simulate_yield(e18(45)).motsu_unwrap();
    let (reserve, staked) = state(&s);
    let gain = staked - e18(450);
    s.router.sender(s.owner).poke_at(T0 + DAY, pi).motsu_unwrap();
    let fee = gain * FEE_20 / e18(1);
    let fee_pi = s.pi.sender(s.owner).balance_of(s.treasury);
    // The treasury's pi are worth the fee (rounded down by at most a wei).
    let worth = s.pi.sender(s.owner).preview_withdraw(fee_pi).unwrap();
    assert!(worth <= fee && fee - worth <= U256::from(1), "fee {fee}, worth {worth}");
    // Holders keep the other 80%: 600 + 0.8 · gain across 600 pi, so 1 pi is worth 1.06 − dust.
    let total = reserve + staked;
    let holders_value: U256 = s
        .holders
        .iter()
        .map(|&h| s.pi.sender(h).preview_withdraw(s.pi.sender(h).balance_of(h)).unwrap())
        .sum();
    assert!(holders_value <= total - fee);
    assert!(total - fee - holders_value <= U256::from(4), "dust: {}", total - fee - holders_value);
    // A second poke without new yield charges nothing more.
    s.router.sender(s.owner).poke_at(T0 + 2 * DAY, pi).motsu_unwrap();
    assert_eq!(s.pi.sender(s.owner).balance_of(s.treasury), fee_pi);
}

#[motsu::test]
fn a_venue_loss_is_shared_by_every_holder_and_never_locks_withdrawals() {
    let s = setup();
    let pi = s.pi.address();
    s.router.sender(s.owner).poke_at(T0, pi).motsu_unwrap();
    // The venue loses a fifth of the 450 staked.
    s.venue.sender(s.owner).simulate_loss(e18(90)).motsu_unwrap();
    let (reserve, staked) = state(&s);
    assert_eq!(staked, e18(360));
    // The poke after the loss works (and charges no fee): expected 25% of 510 = 127.5, so
    // 22.5 of the 150 reserve are in excess.
    let (status, moved) = s.router.sender(s.owner).poke_at(T0 + DAY, pi).motsu_unwrap();
    assert_eq!((status, moved), (EXCESS, reserve - e18(510) / U256::from(4)));
    assert_eq!(s.pi.sender(s.owner).balance_of(s.treasury), U256::ZERO);
    // Everyone leaves, smallest first; each gets ⌊pi · (A + 1) / (S + 1)⌋ at that moment,
    // and the rate per pi never falls between them: the last holder is not left the loss.
    let mut last_rate = (U256::ZERO, U256::from(1));
    for &h in &s.holders {
        let pi_amount = s.pi.sender(h).balance_of(h);
        let total = s.pi.sender(h).total_underlying().unwrap();
        let supply = s.pi.sender(h).total_supply();
        let expected = pi_amount * (total + U256::from(1)) / (supply + U256::from(1));
        let paid = s.pi.sender(h).withdraw(pi_amount).motsu_unwrap();
        assert_eq!(paid, expected);
        assert_eq!(s.token.sender(h).balance_of(h), paid);
        // paid / pi ≥ the previous holder's paid / pi, up to one wei of rounding.
        assert!(
            (paid + U256::from(1)) * last_rate.1 >= last_rate.0 * pi_amount,
            "holder {h} got a worse rate than the one before"
        );
        last_rate = (paid, pi_amount);
        // 510 · (holding / 600): 85, 170, 255 up to rounding.
        let fair = e18(510) * pi_amount / e18(600);
        assert!(paid <= fair && fair - paid <= U256::from(2), "{h}: {paid} vs {fair}");
    }
    assert_eq!(s.pi.sender(s.owner).total_supply(), U256::ZERO);
}
