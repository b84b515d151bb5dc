//! Unwinds that cannot finish in one call. A griefer seeds more liquid bins between the price
//! and a loan's range than one conversion walk may cross (`MAX_SWAP_STEPS` = 256); the unwind
//! converts up to the bound and leaves the loan `UNWINDING` instead of reverting, any later
//! `unwind` continues it, and once it completes the LP gets back exactly its liquidity.
//! Dust of one-wei bins, which costs the reserves a unit of rounding per bin crossed, is
//! absorbed by the rounding buffer's unit per bin of the pool.

use alloy_primitives::{Address, I256, U256};
use infinity_pool::{Error as PoolError, InfinityPoolConversionShortfall, MAX_SWAP_STEPS};
use infinity_tests::{extreme_limit, sqrt_at, u, v3, Market, Params, World, E18, WAD};
use motsu::prelude::*;
use num_bigint::BigInt;
use swapper_manager::*;

const BT: i32 = 60;
const T0: u64 = 1_735_689_600;
const TERM: u64 = 3_600;
/// The LP's range, far above the price (tick 0): bins 330..=331.
const RANGE: (i32, i32) = (330, 331);
const LP_L: u128 = 1000 * E18;
const LOAN_L: u128 = 900 * E18;
/// Liquidity of each dust bin: it holds a few thousand wei.
const DUST_L: u128 = 1_000_000_000;
/// Dust positions of 64 bins each from bin 1: 320 liquid bins between the price and the range.
const DUST_POSITIONS: i32 = 5;

fn lp() -> Address {
    Address::from([0x81; 20])
}
fn trader() -> Address {
    Address::from([0x82; 20])
}
fn keeper() -> Address {
    Address::from([0x83; 20])
}
fn griefer() -> Address {
    Address::from([0x84; 20])
}
fn hooks() -> Address {
    Address::from([0x85; 20])
}

/// Five 64-bin dust positions covering bins 1..=320.
fn seed_dust(w: &World) {
    for k in 0..DUST_POSITIONS {
        w.pour(griefer(), 1 + 64 * k, 64 * (k + 1), DUST_L);
    }
}

struct Griefed {
    m: Market,
    id: U256,
    lp_position: U256,
}

/// A market at tick 0 whose only real liquidity is the LP's range; a loan of 90% of it with
/// token mix 1 (reserves all token1, so closing needs token0 bought through the gap); the gap
/// seeded with dust after the loan opened.
fn setup_griefed_loan(loan_type: u8) -> Griefed {
    let m = Market::new(BT, 3000, sqrt_at(0), Params::default());
    for a in [lp(), trader(), keeper(), griefer()] {
        m.w.fund(a, U256::MAX >> 8, U256::MAX >> 8);
    }
    let (lp_position, _, _) = m.w.pour(lp(), RANGE.0, RANGE.1, LP_L);
    let (term, deposit) = if loan_type == FIXED_TERM { (TERM, U256::MAX) } else { (0, u(E18)) };
    let id = m.loan(T0, trader(), RANGE.0, RANGE.1, LOAN_L, WAD, loan_type, term, deposit).unwrap();
    seed_dust(&m.w);
    Griefed { m, id, lp_position }
}

/// After a completed unwind: the bins hold the LP's liquidity with nothing lent, the escrow is
/// empty, and the LP's drain pays exactly its liquidity's value at the final price.
fn assert_lp_made_whole(g: &Griefed) {
    assert_range_made_whole(&g.m.w, g.lp_position, RANGE);
}

fn assert_range_made_whole(w: &World, lp_position: U256, range: (i32, i32)) {
    for b in range.0..=range.1 {
        assert_eq!(w.bin(b), (LP_L, 0), "bin {b} restored");
    }
    assert_eq!(w.pool.sender(w.admin).escrow(), (U256::ZERO, U256::ZERO));
    w.positions.sender(lp()).collect(lp_position).motsu_unwrap();
    let (d0, d1) = w.positions.sender(lp()).drain(lp_position, LP_L).motsu_unwrap();
    let (a, b) = (sqrt_at(range.0 * BT), sqrt_at((range.1 + 1) * BT));
    let (p, _) = w.price();
    let (pc, l) = (p.clamp(a, b), BigInt::from(LP_L));
    assert_eq!(d0, v3::to_u256(&v3::amount0(&v3::big(pc), &v3::big(b), &l, false)));
    assert_eq!(d1, v3::to_u256(&v3::amount1(&v3::big(a), &v3::big(pc), &l, false)));
}

#[motsu::test]
fn a_keeper_closes_an_expired_loan_behind_a_dust_gap_in_two_calls_and_takes_the_bond() {
    let _serial = infinity_tests::serial();
    let g = setup_griefed_loan(FIXED_TERM);
    let (m, w) = (&g.m, &g.m.w);
    let bond = Params::default().keeper0;
    let opened = m.swapper(T0, g.id);
    let (pool_tokens, keeper_tokens) = (w.pool_balances(), w.balances(keeper()));

    // First call: the walk stops at the step bound inside the dust; nothing reverts.
    let got = m.manager.sender(keeper()).unwind_at(T0 + TERM, keeper(), g.id).motsu_unwrap();
    assert_eq!(got, (U256::ZERO, U256::ZERO));
    let v = m.swapper(T0 + TERM, g.id);
    assert_eq!((v.3, v.9), (LOAN_L, UNWINDING), "still lent, now unwinding");
    let (r0, r1) = (v.7, v.8);
    assert!(r0 > opened.7 && r1 < opened.8, "token1 sold for token0: {r0}, {r1}");
    m.manager.assert_emitted(&UnwindProgress {
        swapperId: g.id,
        caller: keeper(),
        reserve0: r0,
        reserve1: r1,
    });
    for b in RANGE.0..=RANGE.1 {
        assert_eq!(w.bin(b), (LP_L, LOAN_L), "bin {b} stays lent until the unwind completes");
    }
    // The walk crossed the bound's worth of dust bins and stopped short of the range.
    let (_, tick) = w.price();
    let bin = tick.div_euclid(BT);
    assert!(bin >= MAX_SWAP_STEPS as i32 - 2 && bin <= 64 * DUST_POSITIONS, "price in bin {bin}");
    // Conversion is internal: no token left the pool, the keeper is not paid yet, and the
    // escrow holds the converted reserves next to the token0 bond.
    assert_eq!(w.pool_balances(), pool_tokens);
    assert_eq!(w.balances(keeper()), keeper_tokens);
    assert_eq!(w.pool.sender(w.admin).escrow(), (r0 + bond, r1));
    // While unwinding the loan cannot be reflowed; anyone may continue it.
    assert_eq!(
        m.manager.sender(trader()).reflow(g.id, U256::ZERO).motsu_unwrap_err(),
        Error::Unwinding(SwapperManagerUnwinding { swapperId: g.id })
    );
    assert!(m.manager.sender(keeper()).is_expired_at(T0 + TERM, g.id).unwrap());

    // Second call: the rest of the dust, the empty stretch, then the range itself.
    let trader_tokens = w.balances(trader());
    let (left0, left1) =
        m.manager.sender(keeper()).unwind_at(T0 + TERM + 1, keeper(), g.id).motsu_unwrap();
    assert_eq!(w.balances(keeper()), (keeper_tokens.0 + bond, keeper_tokens.1));
    assert_eq!(w.balances(trader()), (trader_tokens.0 + left0, trader_tokens.1 + left1));
    assert_eq!(w.pool_balances(), (pool_tokens.0 - left0 - bond, pool_tokens.1 - left1));
    m.manager.assert_emitted(&Unwind {
        swapperId: g.id,
        caller: keeper(),
        amount0: left0,
        amount1: left1,
        keeperReward: bond,
    });
    assert_eq!(m.swapper(T0 + TERM + 1, g.id).3, 0, "closed");
    assert_lp_made_whole(&g);
}

#[motsu::test]
fn an_owner_unwind_stopped_by_the_step_bound_stops_interest_and_anyone_can_finish_it() {
    let _serial = infinity_tests::serial();
    let g = setup_griefed_loan(REVOLVING);
    let (m, w) = (&g.m, &g.m.w);
    let bond = Params::default().keeper0;
    // A healthy loan: nobody else may close it.
    assert_eq!(
        m.manager.sender(keeper()).unwind_at(T0 + 60, keeper(), g.id).motsu_unwrap_err(),
        Error::NotClosable(SwapperManagerNotClosable { swapperId: g.id, caller: keeper() })
    );
    let got = m.manager.sender(trader()).unwind_at(T0 + 60, trader(), g.id).motsu_unwrap();
    assert_eq!(got, (U256::ZERO, U256::ZERO));
    let v = m.swapper(T0 + 60, g.id);
    // The interest of the 60 s was credited and the rest of the deposit joined the reserves.
    assert_eq!((v.9, v.12), (UNWINDING, U256::ZERO));
    assert_eq!(w.pool.sender(w.admin).escrow(), (v.7 + v.12 + bond, v.8));
    // No interest accrues while unwinding: the loan is no longer revolving.
    for err in [
        m.manager.sender(trader()).accrue_interest_at(T0 + 600, g.id).motsu_unwrap_err(),
        m.manager.sender(trader()).top_up_at(T0 + 600, trader(), g.id, u(E18)).motsu_unwrap_err(),
    ] {
        assert_eq!(err, Error::NotRevolving(SwapperManagerNotRevolving { swapperId: g.id }));
    }
    // Anyone may finish an unwind the owner started, and is paid the bond for it.
    let keeper_tokens = w.balances(keeper());
    let trader_tokens = w.balances(trader());
    let (left0, left1) =
        m.manager.sender(keeper()).unwind_at(T0 + 600, keeper(), g.id).motsu_unwrap();
    assert_eq!(w.balances(keeper()), (keeper_tokens.0 + bond, keeper_tokens.1));
    assert_eq!(w.balances(trader()), (trader_tokens.0 + left0, trader_tokens.1 + left1));
    assert_lp_made_whole(&g);
}

#[motsu::test]
fn an_owner_finishing_an_unwind_gets_the_bond_back() {
    let _serial = infinity_tests::serial();
    let g = setup_griefed_loan(FIXED_TERM);
    let (m, w) = (&g.m, &g.m.w);
    let bond = Params::default().keeper0;
    m.manager.sender(keeper()).unwind_at(T0 + TERM, keeper(), g.id).motsu_unwrap();
    let v = m.swapper(T0 + TERM, g.id);
    assert_eq!(w.pool.sender(w.admin).escrow(), (v.7 + bond, v.8), "the bond is still apart");
    let (trader_tokens, keeper_tokens, pool_tokens) =
        (w.balances(trader()), w.balances(keeper()), w.pool_balances());
    let (left0, left1) =
        m.manager.sender(trader()).unwind_at(T0 + TERM, trader(), g.id).motsu_unwrap();
    // The owner's own close: the bond joins the reserves (here it covers part of the token0
    // the range needs), the keeper who started gets nothing, and everything the pool pays
    // goes to the owner.
    assert_eq!(w.balances(keeper()), keeper_tokens);
    assert_eq!(w.balances(trader()), (trader_tokens.0 + left0, trader_tokens.1 + left1));
    assert_eq!(w.pool_balances(), (pool_tokens.0 - left0, pool_tokens.1 - left1));
    m.manager.assert_emitted(&Unwind {
        swapperId: g.id,
        caller: trader(),
        amount0: left0,
        amount1: left1,
        keeperReward: U256::ZERO,
    });
    assert_lp_made_whole(&g);
}

/// The price deep in the low ticks (bin −3,333, tick −199,980), where one wei of token1 is
/// worth some 5·10⁸ wei of token0: the token0 half of a rounding buffer adds almost nothing
/// in token1, and the token1 half alone must absorb the dust.
const LOW_BIN: i32 = -3_333;
/// A token mix of 4·10⁻¹³: the swapper is short about 10⁹ wei of token0, far more than the
/// dust holds, so the conversion crosses the whole gap; what the range's unlent liquidity
/// saves it inside the range (a few dozen wei of token1) does not make up for the dust.
const TINY_MIX: u128 = 400_000;

struct OneWeiGap {
    m: Market,
    id: U256,
    lp_position: U256,
    range: (i32, i32),
}

/// A loan of 90% of an LP's two bins, `positions` 64-bin positions of `dust_l` per bin seeded
/// between the price and the range after the loan opened. At these prices a bin of
/// liquidity 1 holds a few dozen wei of token0 and under one wei of token1: a conversion step
/// across it pays a whole wei of token1 for them.
fn setup_one_wei_gap(mix: u128, positions: i32, dust_l: u128) -> OneWeiGap {
    let m = Market::new(BT, 3000, sqrt_at(LOW_BIN * BT), Params::default());
    for a in [lp(), trader(), keeper(), griefer()] {
        m.w.fund(a, U256::MAX >> 8, U256::MAX >> 8);
    }
    let range = (LOW_BIN + 64 * positions + 20, LOW_BIN + 64 * positions + 21);
    let (lp_position, _, _) = m.w.pour(lp(), range.0, range.1, LP_L);
    let id = m
        .loan(T0, trader(), range.0, range.1, LOAN_L, u(mix), FIXED_TERM, TERM, U256::MAX)
        .unwrap();
    for k in 0..positions {
        m.w.pour(griefer(), LOW_BIN + 1 + 64 * k, LOW_BIN + 64 * (k + 1), dust_l);
    }
    OneWeiGap { m, id, lp_position, range }
}

/// The value at strike scaled by `X`, `x0·Y + x1·X`: on the line it is `X·Y`.
fn value_at_strike(v: &SwapperView) -> BigInt {
    v3::big(v.7) * v3::big(v.6) + v3::big(v.8) * v3::big(v.5)
}

/// A keeper calls `unwind` on the expired loan until it closes; returns the progress calls
/// and the swapper as the completing call found it.
fn keeper_unwinds_to_the_end(g: &OneWeiGap) -> (u32, SwapperView) {
    let now = T0 + TERM;
    let mut calls = 0;
    loop {
        let before = g.m.swapper(now, g.id);
        g.m.manager.sender(keeper()).unwind_at(now, keeper(), g.id).motsu_unwrap();
        if g.m.swapper(now, g.id).3 == 0 {
            return (calls, before);
        }
        assert_eq!(g.m.swapper(now, g.id).9, UNWINDING);
        calls += 1;
    }
}

#[motsu::test]
fn a_keeper_closes_behind_more_one_wei_bins_than_the_base_buffer_absorbs() {
    let _serial = infinity_tests::serial();
    let g = setup_one_wei_gap(TINY_MIX, 20, 1);
    let (m, w) = (&g.m, &g.m.w);
    let opened = m.swapper(T0, g.id);
    let (x, y) = (v3::big(opened.5), v3::big(opened.6));
    let buffer = rounding_buffer(BT);
    assert_eq!(m.manager.sender(keeper()).parameters().7, buffer);
    // Mix m: x0 = ⌈X·(1 − m)⌉ + b, x1 = ⌈Y·m⌉ + b.
    let wad = v3::big(WAD);
    let ceil = |a: BigInt| v3::to_u256(&((a + &wad - 1) / &wad));
    assert_eq!(opened.7, ceil(&x * (&wad - TINY_MIX)) + buffer);
    assert_eq!(opened.8, ceil(&y * TINY_MIX) + buffer);
    let (keeper_tokens, trader_tokens) = (w.balances(keeper()), w.balances(trader()));

    // 1,280 dust bins: five calls of 256 steps, then the call that completes.
    let (calls, last) = keeper_unwinds_to_the_end(&g);
    assert_eq!(calls, 5);
    // The dust cost the reserves more than the base buffer of 1000 units of each token is
    // worth (the buffer before it grew by a unit per bin): the completing call would have
    // been short. The buffer sized to the pool's bins keeps them above the line.
    let spent = value_at_strike(&opened) - value_at_strike(&last);
    assert!(spent > BigInt::from(ROUNDING_BUFFER) * (&x + &y), "dust cost {spent}");
    assert!(value_at_strike(&last) >= &x * &y, "still above the line");

    let bond = Params::default().keeper0;
    assert_eq!(w.balances(keeper()), (keeper_tokens.0 + bond, keeper_tokens.1));
    let paid = (w.balances(trader()).0 - trader_tokens.0, w.balances(trader()).1 - trader_tokens.1);
    m.manager.assert_emitted(&Unwind {
        swapperId: g.id,
        caller: keeper(),
        amount0: paid.0,
        amount1: paid.1,
        keeperReward: bond,
    });
    assert_range_made_whole(w, g.lp_position, g.range);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(infinity_tests::cases(1000) / 40))]

    /// Any token mix, 1,088 to 1,408 dust bins of liquidity 1 to 4: the keeper's unwind
    /// finishes within one progress call per 256 dust bins and the LP drains exactly.
    #[test]
    fn fuzz_unwinds_behind_one_wei_bins_finish_and_restore_exactly(
        mix in proptest::prop_oneof![0u128..100_000_000, 0u128..=E18],
        positions in 17i32..=22,
        dust_l in 1u128..=4,
    ) {
        let _serial = infinity_tests::serial();
        let g = setup_one_wei_gap(mix, positions, dust_l);
        let (calls, _) = keeper_unwinds_to_the_end(&g);
        proptest::prop_assert!(calls <= (positions * 64).unsigned_abs().div_ceil(MAX_SWAP_STEPS));
        assert_range_made_whole(&g.m.w, g.lp_position, g.range);
    }
}

/// The pool alone (the swapper manager played by a plain account): bins 330..=331 lent and
/// the gap between seeded with dust.
fn setup_lent_world() -> (World, U256) {
    let w = World::new(BT, 3000, sqrt_at(0), hooks());
    for a in [lp(), griefer(), hooks()] {
        w.fund(a, U256::MAX >> 8, U256::MAX >> 8);
    }
    w.pour(lp(), RANGE.0, RANGE.1, LP_L);
    let (lent0, _, _) = w.pool.sender(hooks()).lend(RANGE.0, RANGE.1, LOAN_L).motsu_unwrap();
    seed_dust(&w);
    (w, lent0)
}

#[motsu::test]
fn restore_across_a_dust_gap_reports_progress_and_keeps_the_reserves_above_the_line() {
    let _serial = infinity_tests::serial();
    let (w, lent0) = setup_lent_world();
    // Swap the escrowed token0 for token1 at the range's own price: the reserves the manager
    // would hold with token mix 1.
    let y = v3::to_u256(&v3::amount1(
        &v3::big(sqrt_at(RANGE.0 * BT)),
        &v3::big(sqrt_at((RANGE.1 + 1) * BT)),
        &BigInt::from(LOAN_L),
        true,
    ));
    w.pool.sender(hooks()).settle(hooks(), U256::ZERO, y, lent0, U256::ZERO).motsu_unwrap();
    let (r0, r1, done) =
        w.pool.sender(hooks()).restore(RANGE.0, RANGE.1, LOAN_L, U256::ZERO, y).motsu_unwrap();
    assert!(!done);
    assert_eq!(w.pool.sender(w.admin).escrow(), (r0, r1));
    // Above the line x0/X + x1/Y = 1: the dust's token0 was cheaper than the range's.
    let x = lent0 + U256::ONE;
    assert!(v3::big(r0) * v3::big(y) + v3::big(r1) * v3::big(x) >= v3::big(x) * v3::big(y));
    let (r0, r1, done) =
        w.pool.sender(hooks()).restore(RANGE.0, RANGE.1, LOAN_L, r0, r1).motsu_unwrap();
    assert!(done);
    assert_eq!(w.pool.sender(w.admin).escrow(), (r0, r1));
    assert_eq!(w.bin(RANGE.0), (LP_L, 0));
}

#[motsu::test]
fn restore_reverts_when_the_surplus_cannot_cross_the_gap_and_changes_nothing() {
    let _serial = infinity_tests::serial();
    let (w, lent0) = setup_lent_world();
    // Replace the escrowed token0 with one wei of token1: far below the line.
    w.pool.sender(hooks()).settle(hooks(), U256::ZERO, U256::ONE, lent0, U256::ZERO).motsu_unwrap();
    let before = (w.price(), w.pool.sender(w.admin).escrow(), w.bin(RANGE.0), w.bin(100));
    let err = w
        .pool
        .sender(hooks())
        .restore(RANGE.0, RANGE.1, LOAN_L, U256::ZERO, U256::ONE)
        .motsu_unwrap_err();
    assert!(matches!(
        err,
        PoolError::ConversionShortfall(InfinityPoolConversionShortfall { available, .. })
            if available == U256::ONE
    ));
    assert_eq!((w.price(), w.pool.sender(w.admin).escrow(), w.bin(RANGE.0), w.bin(100)), before);
}

/// The fee-free fallback of a conversion costs exactly what the same walk costs in a pool
/// without a fee: restoring with precisely that surplus leaves nothing, to the wei.
#[motsu::test]
fn an_unaffordable_fee_falls_back_to_exactly_the_fee_free_cost() {
    let _serial = infinity_tests::serial();
    let (l, float_l) = (100 * E18, 40 * E18);
    let setup = |fee: u32| {
        let w = World::new(BT, fee, sqrt_at(0), hooks());
        for a in [lp(), hooks()] {
            w.fund(a, U256::MAX >> 8, U256::MAX >> 8);
        }
        w.pour(lp(), 0, 6, float_l);
        w.pour(lp(), 3, 4, l);
        w
    };
    // The fee-free cost in token1 of buying the range's token0 at the price, all unlent.
    let free = setup(0);
    let a0 = v3::to_u256(&v3::amount0(
        &v3::big(sqrt_at(3 * BT)),
        &v3::big(sqrt_at(5 * BT)),
        &BigInt::from(l),
        true,
    ));
    let (_, cost) = free
        .pool
        .sender(lp())
        .quote_swap(false, -I256::try_from(a0).unwrap(), extreme_limit(false))
        .unwrap();
    let cost = cost.unsigned_abs();
    // The same bins in a 0.3% pool, lent, with reserves of exactly that cost in token1.
    let w = setup(3000);
    let (lent0, _, _) = w.pool.sender(hooks()).lend(3, 4, l).motsu_unwrap();
    w.pool.sender(hooks()).settle(hooks(), U256::ZERO, cost, lent0, U256::ZERO).motsu_unwrap();
    let left = w.pool.sender(hooks()).restore(3, 4, l, U256::ZERO, cost).motsu_unwrap();
    assert_eq!(left, (U256::ZERO, U256::ZERO, true));
    // And the price moved exactly as the same swap moves the fee-free pool.
    free.swap(lp(), false, -I256::try_from(a0).unwrap(), extreme_limit(false)).unwrap();
    assert_eq!(w.price(), free.price());
}

/// Stateful: two loans behind gaps that a griefer has seeded, and keeps seeding, with dust (above the price
/// and below it, so both conversion directions run), float swaps that move the price back
/// and forth over the dust, time jumps, and unwinds by owners and keepers. After every
/// action: lent equals the open loans per bin, the escrow covers every open loan's reserves
/// and bond, and the pool stays solvent. At the end every loan closes within two more calls
/// and the LPs drain exactly what they poured.
mod stateful {
    use super::*;
    use infinity_tests::{cases, i};
    use proptest::prelude::*;

    /// The mirror range below the price.
    const LOW_RANGE: (i32, i32) = (-332, -331);

    #[derive(Clone, Debug)]
    enum Action {
        Dust { below: bool, start: i32 },
        Swap { zero_for_one: bool, amount: u128, bins: i32 },
        Wait { seconds: u64 },
        Unwind { below: bool, by_keeper: bool },
    }

    fn action() -> impl Strategy<Value = Action> {
        prop_oneof![
            2 => (any::<bool>(), 1i32..=(RANGE.0 - 64)).prop_map(|(below, start)| Action::Dust { below, start }),
            2 => (any::<bool>(), 1u128..(10 * E18), 1i32..300)
                .prop_map(|(zero_for_one, amount, bins)| Action::Swap { zero_for_one, amount, bins }),
            1 => (1u64..7_200).prop_map(|seconds| Action::Wait { seconds }),
            3 => (any::<bool>(), any::<bool>()).prop_map(|(below, by_keeper)| Action::Unwind { below, by_keeper }),
        ]
    }

    struct Handler {
        m: Market,
        now: u64,
        /// `(swapper id, range, lent token is token1)`, or `None` once closed.
        loans: [Option<(U256, (i32, i32), bool)>; 2],
        lp_positions: [U256; 2],
    }

    impl Handler {
        fn new(mix_above: u128, mix_below: u128, term: u64) -> Self {
            let m = Market::new(BT, 3000, sqrt_at(0), Params::default());
            for a in [lp(), trader(), keeper(), griefer()] {
                m.w.fund(a, U256::MAX >> 8, U256::MAX >> 8);
            }
            let (above, _, _) = m.w.pour(lp(), RANGE.0, RANGE.1, LP_L);
            let (below, _, _) = m.w.pour(lp(), LOW_RANGE.0, LOW_RANGE.1, LP_L);
            // The griefer's dust on both sides, 320 bins each, before the loans open.
            seed_dust(&m.w);
            for k in 0..DUST_POSITIONS {
                m.w.pour(griefer(), -64 * (k + 1) - 1, -64 * k - 2, DUST_L);
            }
            let mut loans = [None, None];
            for (k, (range, mix)) in
                [(RANGE, mix_above), (LOW_RANGE, mix_below)].into_iter().enumerate()
            {
                let id = m
                    .loan(
                        T0,
                        trader(),
                        range.0,
                        range.1,
                        LOAN_L,
                        U256::from(mix),
                        FIXED_TERM,
                        term,
                        U256::MAX,
                    )
                    .unwrap();
                loans[k] = Some((id, range, k == 1));
            }
            Handler { m, now: T0, loans, lp_positions: [above, below] }
        }

        fn unwind(&mut self, k: usize, caller: Address) -> Result<bool, Error> {
            let Some((id, _, _)) = self.loans[k] else { return Ok(true) };
            let got = self.m.manager.sender(caller).unwind_at(self.now, caller, id).motsu_res()?;
            let v = self.m.swapper(self.now, id);
            let closed = v.3 == 0;
            if closed {
                self.loans[k] = None;
            } else {
                assert_eq!((got, v.9), ((U256::ZERO, U256::ZERO), UNWINDING));
            }
            Ok(closed)
        }

        fn apply(&mut self, action: &Action) {
            let w = &self.m.w;
            match *action {
                Action::Dust { below, start } => {
                    let stop = start + 63;
                    if below {
                        w.pour(griefer(), -stop - 1, -start - 1, DUST_L);
                    } else {
                        w.pour(griefer(), start, stop, DUST_L);
                    }
                }
                Action::Swap { zero_for_one, amount, bins } => {
                    let tick = w.price().1;
                    let target = if zero_for_one { tick - bins * BT } else { tick + 1 + bins * BT };
                    // Stay between the two ranges.
                    let target = target.clamp(LOW_RANGE.1 * BT + BT, RANGE.0 * BT);
                    let (p, _) = w.price();
                    let limit = sqrt_at(target);
                    if (zero_for_one && limit < p) || (!zero_for_one && limit > p) {
                        w.swap(griefer(), zero_for_one, i(amount as i128), limit).unwrap();
                    }
                }
                Action::Wait { seconds } => self.now += seconds,
                Action::Unwind { below, by_keeper } => {
                    let k = usize::from(below);
                    let Some((id, _, _)) = self.loans[k] else { return };
                    let closable =
                        self.m.manager.sender(keeper()).is_expired_at(self.now, id).unwrap();
                    let caller = if by_keeper { keeper() } else { trader() };
                    let result = self.unwind(k, caller);
                    if by_keeper && !closable {
                        assert_eq!(
                            result.unwrap_err(),
                            Error::NotClosable(SwapperManagerNotClosable { swapperId: id, caller })
                        );
                    } else {
                        result.unwrap();
                    }
                }
            }
        }

        fn check(&self) {
            let (m, w) = (&self.m, &self.m.w);
            let bond = Params::default().keeper0;
            let (mut r0, mut r1) = (U256::ZERO, U256::ZERO);
            for (k, range) in [RANGE, LOW_RANGE].into_iter().enumerate() {
                let lent = self.loans[k].map_or(0, |_| LOAN_L);
                for b in range.0..=range.1 {
                    assert_eq!(w.bin(b), (LP_L, lent), "bin {b}");
                }
                if let Some((id, _, token1)) = self.loans[k] {
                    let v = m.swapper(self.now, id);
                    r0 += v.7 + if token1 { U256::ZERO } else { bond };
                    r1 += v.8 + if token1 { Params::default().keeper1 } else { U256::ZERO };
                }
            }
            // Fixed-term loans: the escrow is exactly their reserves and bonds.
            assert_eq!(w.pool.sender(w.admin).escrow(), (r0, r1));
            let (b0, b1) = w.pool_balances();
            assert!(b0 >= r0 && b1 >= r1, "the pool holds the escrow");
        }

        fn wind_down(&mut self) {
            for k in 0..2 {
                // Each walk step crosses one liquid bin or jumps over empty ones, so a call
                // that stops at the bound has moved the price past at least 256 gap bins.
                let Some((_, range, _)) = self.loans[k] else { continue };
                let bin = self.m.w.price().1.div_euclid(BT);
                let gap = if bin < range.0 { range.0 - bin } else { bin - range.1 };
                let bound = gap.unsigned_abs().div_ceil(MAX_SWAP_STEPS);
                let mut calls = 0;
                while !self.unwind(k, trader()).unwrap() {
                    calls += 1;
                    assert!(calls <= bound, "{calls} progress calls across {gap} bins");
                }
            }
            let w = &self.m.w;
            for (pos, range) in self.lp_positions.iter().zip([RANGE, LOW_RANGE]) {
                for b in range.0..=range.1 {
                    assert_eq!(w.bin(b), (LP_L, 0));
                }
                let (a, c) = (sqrt_at(range.0 * BT), sqrt_at((range.1 + 1) * BT));
                let (p, _) = w.price();
                let (pc, l) = (p.clamp(a, c), BigInt::from(LP_L));
                let (d0, d1) = w.positions.sender(lp()).drain(*pos, LP_L).motsu_unwrap();
                assert_eq!(d0, v3::to_u256(&v3::amount0(&v3::big(pc), &v3::big(c), &l, false)));
                assert_eq!(d1, v3::to_u256(&v3::amount1(&v3::big(a), &v3::big(pc), &l, false)));
            }
            assert_eq!(w.pool.sender(w.admin).escrow(), (U256::ZERO, U256::ZERO));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases(1000) / 50))]

        #[test]
        fn invariant_unwinds_behind_dust_gaps_keep_the_books_and_always_finish(
            mix_above in 0u128..=E18,
            mix_below in 0u128..=E18,
            term in 1u64..7_200,
            actions in proptest::collection::vec(action(), 1..30),
        ) {
            let _serial = infinity_tests::serial();
            let mut h = Handler::new(mix_above, mix_below, term);
            for a in &actions {
                h.apply(a);
                h.check();
            }
            h.wind_down();
        }
    }
}
