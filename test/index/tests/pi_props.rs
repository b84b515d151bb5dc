//! ERC-4626-style properties of the pi-token, on random states (deposits, donations to the
//! reserve, venue yield and losses):
//!
//! - a deposit (or mint) followed at once by a withdrawal of what it bought never returns
//!   more underlying than it paid, in all four combinations of the exact-in and exact-out
//!   functions;
//! - a donation to an empty or nearly empty wrapper cannot steal a later deposit: whatever
//!   the attacker seeds and donates, it takes back at most what it put in. (With the
//!   one-wei virtual offset an attacker can still make a victim lose some rounding at a
//!   comparable cost to itself — griefing, never profit; a deposit that would mint nothing
//!   reverts);
//! - the previews equal what the functions then do.
#![allow(
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::needless_pass_by_value,
    missing_docs
)]

mod router_support;

use alloy_primitives::{Address, FixedBytes, U256};
use mock_erc20::MockErc20;
use mock_venue::MockVenue;
use motsu::prelude::*;
use pi_token::PiToken;
use proptest::prelude::*;
use router_support::{cases, serial};

struct Wrapper {
    token: Contract<MockErc20>,
    venue: Contract<MockVenue>,
    pi: Contract<PiToken>,
    router: Address,
}

fn wrapper() -> Wrapper {
    let router = Address::with_last_byte(0x0B);
    let token = Contract::<MockErc20>::new();
    token.sender(router).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
    let venue = Contract::<MockVenue>::new();
    venue.sender(router).constructor(token.address());
    let pi = Contract::<PiToken>::new();
    pi.sender(router)
        .constructor(FixedBytes::ZERO, FixedBytes::ZERO, token.address(), venue.address(), router)
        .motsu_unwrap();
    Wrapper { token, venue, pi, router }
}

impl Wrapper {
    fn fund(&self, who: Address, amount: U256) {
        self.token.sender(who).mint(who, amount).motsu_unwrap();
        self.token.sender(who).approve(self.pi.address(), U256::MAX).motsu_unwrap();
    }

    fn underlying(&self, who: Address) -> U256 {
        self.token.sender(who).balance_of(who)
    }

    /// A random prior state: `seed` deposited by a holder, a share `staked_pct` of it
    /// staked, then `yield_` earned or `loss` suffered in the venue and `donation` sent to
    /// the reserve.
    fn prepare(&self, seed: U256, staked_pct: u64, yield_: U256, loss_pct: u64, donation: U256) {
        let holder = Address::with_last_byte(0x11);
        self.fund(holder, seed + donation);
        if !seed.is_zero() {
            self.pi.sender(holder).deposit(seed).motsu_unwrap();
        }
        let staked = seed * U256::from(staked_pct) / U256::from(100);
        if !staked.is_zero() {
            self.pi.sender(self.router).stake(staked).motsu_unwrap();
            if !yield_.is_zero() {
                self.venue.sender(self.router).simulate_yield(yield_).motsu_unwrap();
            }
            let loss = staked * U256::from(loss_pct) / U256::from(100);
            if !loss.is_zero() {
                self.venue.sender(self.router).simulate_loss(loss).motsu_unwrap();
            }
        }
        if !donation.is_zero() {
            self.token.sender(holder).transfer(self.pi.address(), donation).motsu_unwrap();
        }
    }
}

/// An amount from 1 wei to 1e30.
fn amount() -> impl Strategy<Value = U256> {
    prop_oneof![
        (1u64..=1_000_000).prop_map(U256::from),
        (0u32..=30, 1u64..=999)
            .prop_map(|(e, m)| U256::from(m) * U256::from(10).pow(U256::from(e))),
    ]
}

fn maybe_zero() -> impl Strategy<Value = U256> {
    prop_oneof![Just(U256::ZERO), amount()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases() / 4))]

    /// deposit → withdraw, deposit → withdrawUnderlying, mint → withdraw, mint →
    /// withdrawUnderlying: the underlying returned never exceeds the underlying paid, and
    /// each function does what its preview said.
    #[test]
    fn fuzz_deposit_or_mint_then_withdraw_never_returns_more_than_paid(
        seed in maybe_zero(),
        staked_pct in 0u64..=100,
        yield_ in maybe_zero(),
        loss_pct in 0u64..=99,
        donation in maybe_zero(),
        x in amount(),
        exact_in in any::<bool>(),
        exact_out in any::<bool>(),
    ) {
        let _serial = serial();
        let w = wrapper();
        w.prepare(seed, staked_pct, yield_, loss_pct, donation);
        let user = Address::with_last_byte(0x22);
        let need = w.pi.sender(user).preview_mint(x).unwrap_or(x).max(x);
        w.fund(user, need);
        let start = w.underlying(user);
        // Enter: exact underlying in (deposit x) or exact pi out (mint x).
        let preview = if exact_in {
            w.pi.sender(user).preview_deposit(x).unwrap()
        } else {
            w.pi.sender(user).preview_mint(x).unwrap()
        };
        let entered = if exact_in {
            w.pi.sender(user).deposit(x).motsu_res()
        } else {
            w.pi.sender(user).mint(x).motsu_res()
        };
        let Ok(got) = entered else { return Ok(()) };
        prop_assert_eq!(got, preview, "the entry did what its preview said");
        let pi = w.pi.sender(user).balance_of(user);
        let paid = start - w.underlying(user);
        // Exit: all the pi (withdraw) or the most underlying they buy (withdrawUnderlying).
        if exact_out {
            let out = w.pi.sender(user).preview_withdraw(pi).unwrap();
            if out.is_zero() {
                return Ok(());
            }
            let burnt_preview = w.pi.sender(user).preview_withdraw_underlying(out).unwrap();
            prop_assert!(burnt_preview <= pi);
            let burnt = w.pi.sender(user).withdraw_underlying(out).motsu_unwrap();
            prop_assert_eq!(burnt, burnt_preview);
        } else {
            let preview = w.pi.sender(user).preview_withdraw(pi).unwrap();
            match w.pi.sender(user).withdraw(pi).motsu_res() {
                Ok(out) => prop_assert_eq!(out, preview),
                Err(e) => prop_assert!(preview.is_zero(), "withdraw failed: {e:?}"),
            }
        }
        let back = w.underlying(user) - (start - paid);
        prop_assert!(back <= paid, "paid {paid}, got back {back}");
    }

    /// An attacker seeds an empty wrapper with `seed`, donates `donation` to the reserve or
    /// the venue, a victim deposits `victim`, then both withdraw everything: the attacker
    /// never ends with more than it put in (seed + donation).
    #[test]
    fn fuzz_donation_to_an_empty_wrapper_cannot_steal_a_later_deposit(
        seed in (1u64..=1_000_000).prop_map(U256::from),
        donation in amount(),
        via_venue in any::<bool>(),
        victim in amount(),
    ) {
        let _serial = serial();
        let w = wrapper();
        let (attacker, victim_addr) = (Address::with_last_byte(0x66), Address::with_last_byte(0x77));
        w.fund(attacker, seed + donation);
        w.fund(victim_addr, victim);
        let start = w.underlying(attacker);
        w.pi.sender(attacker).deposit(seed).motsu_unwrap();
        if via_venue {
            // Stake the seed and inflate the venue's share price with the donation.
            w.pi.sender(w.router).stake(seed).motsu_unwrap();
            w.token.sender(attacker).transfer(w.venue.address(), donation).motsu_unwrap();
        } else {
            w.token.sender(attacker).transfer(w.pi.address(), donation).motsu_unwrap();
        }
        let victim_start = w.underlying(victim_addr);
        let deposited = w.pi.sender(victim_addr).deposit(victim).motsu_res();
        if let Err(e) = &deposited {
            // Refused (it would mint nothing): the victim keeps everything.
            prop_assert!(matches!(e, pi_token::Error::ZeroAmount(_)), "{e:?}");
            prop_assert_eq!(w.underlying(victim_addr), victim_start);
        }
        let attacker_pi = w.pi.sender(attacker).balance_of(attacker);
        if let Ok(out) = w.pi.sender(attacker).withdraw(attacker_pi).motsu_res() {
            prop_assert!(out > U256::ZERO);
        }
        let end = w.underlying(attacker);
        prop_assert!(end <= start, "attacker profit: started {start}, ended {end}");
        if deposited.is_ok() {
            // The victim can still withdraw what it bought (nothing is locked).
            let victim_pi = w.pi.sender(victim_addr).balance_of(victim_addr);
            prop_assert!(victim_pi > U256::ZERO);
            w.pi.sender(victim_addr).withdraw(victim_pi).motsu_unwrap();
        }
    }
}
