//! Stateful invariant suite for `weight-strategy`: a keeper pokes, the owner
//! retargets (FIXED `weight-valuer`), pauses, fades tokens out and changes
//! the rate bounds, while time advances. The pool is a double with a clock
//! that moves weights along their schedules and enforces the spec's
//! `setDynamicWeight` rules, so every schedule the strategy makes is checked
//! as the real pool would check it (the real pool's clock is motsu's fixed
//! one; see `strategy_pool.rs` for it).
// Test code: indexing, unwraps and arithmetic on small test values are fine here.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    clippy::unused_self,
    deprecated,
    missing_docs
)]

extern crate alloc;

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolError;
use motsu::prelude::*;
use proptest::prelude::*;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageMap, StorageU256, StorageVec},
};
use weight_strategy::{
    Error, WeightStrategy, WeightStrategyPaused, WeightStrategyTooEarly,
    WeightStrategyValuerCallFailed, MAX_WEIGHT, MIN_WEIGHT,
};
use weight_valuer::{WeightValuer, KIND_FIXED};

const E18: u128 = 1_000_000_000_000_000_000;
const T0: u64 = 1_700_000_000;
const INTERVAL: u64 = 3_600;
const DURATION: u64 = 86_400;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000)
}

alloy_sol_types::sol! {
    #[derive(Debug)]
    error ClockPoolRejected(uint8 rule);
}

/// Pool double with a clock: `weight(t)` follows the spec's linear schedule.
#[storage]
struct ClockPool {
    clock: StorageU256,
    tokens: StorageVec<StorageAddress>,
    from_weight: StorageMap<Address, StorageU256>,
    target_weight: StorageMap<Address, StorageU256>,
    from_time: StorageMap<Address, StorageU256>,
    target_time: StorageMap<Address, StorageU256>,
    min_rate: StorageU256,
    max_rate: StorageU256,
}
unsafe impl TopLevelStorage for ClockPool {}

impl ClockPool {
    fn weight_at(&self, token: Address, t: U256) -> U256 {
        let (from, target) = (self.from_weight.get(token), self.target_weight.get(token));
        let (t0, t1) = (self.from_time.get(token), self.target_time.get(token));
        if t <= t0 {
            return from;
        }
        if t >= t1 {
            return target;
        }
        let moved = from.abs_diff(target) * (t - t0) / (t1 - t0);
        if target >= from {
            from + moved
        } else {
            from - moved
        }
    }
}

#[public]
impl ClockPool {
    fn add(&mut self, token: Address, weight: U256) {
        self.tokens.push(token);
        self.from_weight.setter(token).set(weight);
        self.target_weight.setter(token).set(weight);
    }
    fn set_clock(&mut self, t: U256) {
        self.clock.set(t);
    }
    fn get_current_tokens(&self) -> Vec<Address> {
        (0..self.tokens.len()).map(|i| self.tokens.get(i).unwrap()).collect()
    }
    fn get_denormalized_weight(&self, token: Address) -> U256 {
        self.weight_at(token, self.clock.get())
    }
    fn get_dynamic_weight_settings(&self, token: Address) -> (U256, U256, U256, U256) {
        (
            self.from_time.get(token),
            self.target_time.get(token),
            self.from_weight.get(token),
            self.target_weight.get(token),
        )
    }
    fn set_weight_per_second_bounds(&mut self, min: U256, max: U256) {
        self.min_rate.set(min);
        self.max_rate.set(max);
    }
    fn set_dynamic_weight(
        &mut self,
        token: Address,
        target: U256,
        from: U256,
        to: U256,
    ) -> Result<(), Vec<u8>> {
        let now = self.clock.get();
        if from < now || to <= from {
            return Err(ClockPoolRejected { rule: 1 }.abi_encode());
        }
        if target < U256::from(MIN_WEIGHT) || target > U256::from(MAX_WEIGHT) {
            return Err(ClockPoolRejected { rule: 2 }.abi_encode());
        }
        let current = self.weight_at(token, now);
        let delta = target.abs_diff(current);
        let duration = to - from;
        if delta < self.min_rate.get() * duration || delta > self.max_rate.get() * duration {
            return Err(ClockPoolRejected { rule: 3 }.abi_encode());
        }
        let mut total = target;
        for i in 0..self.tokens.len() {
            let other = self.tokens.get(i).unwrap();
            if other != token {
                total += self.target_weight.get(other);
            }
        }
        if total > U256::from(MAX_WEIGHT) {
            return Err(ClockPoolRejected { rule: 4 }.abi_encode());
        }
        self.from_weight.setter(token).set(current);
        self.target_weight.setter(token).set(target);
        self.from_time.setter(token).set(from);
        self.target_time.setter(token).set(to);
        Ok(())
    }
}

#[derive(Clone, Debug)]
enum Action {
    Advance(u64),
    Poke,
    Retarget { token: usize, weight: u128 },
    Pause,
    Unpause,
    FadeOut { token: usize },
    Bounds { min: u128, max: u128 },
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        4 => (0u64..=2 * INTERVAL).prop_map(Action::Advance),
        4 => Just(Action::Poke),
        3 => (0usize..5, 0u128..=20 * E18).prop_map(|(token, weight)| Action::Retarget { token, weight }),
        1 => Just(Action::Pause),
        1 => Just(Action::Unpause),
        1 => (0usize..5).prop_map(|token| Action::FadeOut { token }),
        1 => (0u128..=1_000_000, 1u128..=50_000_000_000_000).prop_map(|(min, max)| Action::Bounds { min, max }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases() / 4))]

    #[test]
    fn invariant_strategy_schedules_stay_within_the_pool_rules(actions in prop::collection::vec(action(), 1..50)) {
        let pool = Contract::<ClockPool>::new();
        let valuer = Contract::<WeightValuer>::new();
        let strategy = Contract::<WeightStrategy>::new();
        let owner = Address::repeat_byte(0x0f);
        let keeper = Address::repeat_byte(0x0e);
        let tokens: Vec<Address> = (0..5u8).map(|i| Address::repeat_byte(0xa0 + i)).collect();
        valuer.sender(owner).constructor(owner, Address::repeat_byte(0x01), KIND_FIXED, 60).unwrap();
        valuer.sender(owner).set_fixed_weights(tokens.clone(), vec![U256::from(5 * E18); 5]).unwrap();
        for &t in &tokens {
            pool.sender(owner).add(t, U256::from(5 * E18));
        }
        strategy.sender(owner).constructor(owner, pool.address(), valuer.address(), DURATION, INTERVAL).unwrap();
        strategy.sender(owner).set_weight_per_second_bounds(U256::ZERO, U256::from(50_000_000_000_000u128)).unwrap();
        // Ghost state.
        let mut now = T0;
        let mut last_poke: Option<u64> = None;
        let mut paused = false;
        let mut leaving = [false; 5];
        let mut bounds = (0u128, 50_000_000_000_000u128);
        let mut frozen: Option<Vec<Option<U256>>> = None;
        let mut fixed = [5 * E18; 5];
        let (mut pokes, mut refused) = (0u32, 0u32);
        for action in actions {
            pool.sender(owner).set_clock(U256::from(now));
            match action {
                Action::Advance(dt) => now += dt,
                Action::Poke => {
                    let result = strategy.sender(keeper).poke_at(now, keeper).motsu_res();
                    let due = last_poke.is_none_or(|t| now >= t + INTERVAL);
                    let worthless = (0..5).all(|i| leaving[i] || fixed[i] == 0);
                    match (&result, paused, due) {
                        (Ok(()), false, true) if !worthless => { last_poke = Some(now); pokes += 1; }
                        (Err(Error::ValuerCallFailed(WeightStrategyValuerCallFailed { reason })), false, true) if worthless => {
                            prop_assert_eq!(*reason, alloy_primitives::FixedBytes(weight_valuer::WeightValuerZeroTotalValue::SELECTOR),
                                "a worthless index must fail on the valuer's zero total");
                            refused += 1;
                        }
                        (Err(Error::Paused(WeightStrategyPaused {})), true, _) => refused += 1,
                        (Err(Error::TooEarly(WeightStrategyTooEarly { nextPokeAt })), false, false) => {
                            prop_assert_eq!(*nextPokeAt, U256::from(last_poke.unwrap() + INTERVAL), "wrong next poke time");
                            refused += 1;
                        }
                        _ => prop_assert!(false, "poke at {} returned {:?} (paused {}, due {})", now, result, paused, due),
                    }
                }
                Action::Retarget { token, weight } => {
                    valuer.sender(owner).set_fixed_weights(vec![tokens[token]], vec![U256::from(weight)]).unwrap();
                    fixed[token] = weight;
                }
                Action::Pause => {
                    let result = strategy.sender(owner).pause_at(now, owner).motsu_res();
                    prop_assert_eq!(result.is_ok(), !paused, "pause outcome differs from the ghost");
                    if !paused {
                        paused = true;
                        // Tokens fading out keep fading.
                        frozen = Some(
                            tokens
                                .iter()
                                .zip(leaving)
                                .map(|(&t, gone)| (!gone).then(|| pool.sender(owner).get_denormalized_weight(t)))
                                .collect(),
                        );
                    }
                }
                Action::Unpause => {
                    let result = strategy.sender(owner).unpause().motsu_res();
                    prop_assert_eq!(result.is_ok(), paused, "unpause outcome differs from the ghost");
                    paused = false;
                    frozen = None;
                }
                Action::FadeOut { token } => {
                    if strategy.sender(owner).fade_out_at(now, tokens[token]).motsu_res().is_ok() {
                        leaving[token] = true;
                        // An owner's fade-out moves that token even while paused.
                        if let Some(frozen) = frozen.as_mut() {
                            frozen[token] = None;
                        }
                    }
                }
                Action::Bounds { min, max } => {
                    let (min, max) = (min.min(max), max);
                    strategy.sender(owner).set_weight_per_second_bounds(U256::from(min), U256::from(max)).unwrap();
                    bounds = (min, max);
                }
            }
            pool.sender(owner).set_clock(U256::from(now));
            // Invariants after every action.
            let mut sum = U256::ZERO;
            for (i, &t) in tokens.iter().enumerate() {
                let (from_t, to_t, from_w, target_w) = pool.sender(owner).get_dynamic_weight_settings(t);
                sum += target_w;
                prop_assert!(target_w >= U256::from(MIN_WEIGHT) && target_w <= U256::from(MAX_WEIGHT), "a target outside [MIN_WEIGHT, MAX_WEIGHT]");
                if to_t > from_t {
                    // No max rate above the initial 5e13 is ever set.
                    prop_assert!(from_w.abs_diff(target_w) <= U256::from(50_000_000_000_000u128) * (to_t - from_t),
                        "a schedule faster than any max rate set");
                }
                if leaving[i] {
                    prop_assert_eq!(target_w, U256::from(MIN_WEIGHT), "a fading token is not headed to MIN_WEIGHT");
                }
            }
            prop_assert!(sum <= U256::from(MAX_WEIGHT), "Σ targets above MAX_TOTAL_WEIGHT");
            if let Some(frozen) = &frozen {
                for (&t, expected) in tokens.iter().zip(frozen) {
                    if let Some(expected) = expected {
                        prop_assert_eq!(pool.sender(owner).get_denormalized_weight(t), *expected, "weights moved while paused");
                    }
                }
            }
            prop_assert_eq!(strategy.sender(owner).paused(), paused, "paused flag differs from the ghost");
            prop_assert_eq!(
                strategy.sender(owner).weight_per_second_bounds(),
                (U256::from(bounds.0), U256::from(bounds.1)),
                "bounds differ from the ghost"
            );
            prop_assert_eq!(strategy.sender(owner).params().2, last_poke.unwrap_or(0), "last poke differs from the ghost");
        }
        prop_assert!(pokes + refused <= 50, "ghost totals overflow the action count");
    }
}
