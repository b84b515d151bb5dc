//! Every error path of the pool and the position manager: each revert is a named error with
//! its arguments, and the state (price, bins, escrow, token balances) is unchanged after it.

use alloy_primitives::{Address, FixedBytes, I256, U256};
use alloy_sol_types::SolError;
use infinity_pool::*;
use infinity_positions::{
    Error as PosError, InfinityPositionsAmountAboveMax, InfinityPositionsInsufficientLiquidity,
    InfinityPositionsNotOwner, InfinityPositionsUnknownPosition, InfinityPositionsZeroLiquidity,
};
use infinity_tests::{extreme_limit, i, i24, sqrt_at, u, InfinityPositions, World, E18, Q96};
use mock_fee_token::MockFeeToken;
use motsu::prelude::*;

fn lp() -> Address {
    Address::from([0x11; 20])
}
fn bob() -> Address {
    Address::from([0x12; 20])
}
fn hooks() -> Address {
    Address::from([0x33; 20])
}

/// Everything an error must leave untouched.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    slot0: (U256, i32),
    balances: (U256, U256),
    escrow: (U256, U256),
    bins: Vec<(u128, u128, U256, U256)>,
}

fn snapshot(w: &World) -> Snapshot {
    Snapshot {
        slot0: w.price(),
        balances: w.pool_balances(),
        escrow: w.pool.sender(w.admin).escrow(),
        bins: (-4..=4).map(|b| w.pool.sender(w.admin).bin(b)).collect(),
    }
}

/// A pool at tick 0 with 60-tick bins and liquidity in bins -4..=3, and a funded `bob`.
fn setup_world() -> World {
    let w = World::new(60, 3000, Q96, hooks());
    w.fund(lp(), u(1_000 * E18), u(1_000 * E18));
    w.fund(bob(), u(1_000 * E18), u(1_000 * E18));
    w.pour(lp(), -4, 3, 100 * E18);
    w
}

fn pool_error<E: SolError>(err: PosError) -> E {
    match err {
        PosError::PoolError(e) => E::abi_decode(&e.reason, true).expect("the pool's error"),
        other => panic!("expected a pool error, got {other:?}"),
    }
}

#[motsu::test]
fn constructor_rejects_zero_addresses_equal_tokens_and_bad_parameters() {
    let _serial = infinity_tests::serial();
    let admin = Address::from([0xad; 20]);
    let (t0, t1, math) = (Address::from([1; 20]), Address::from([2; 20]), Address::from([3; 20]));
    let cases: Vec<(Address, Address, Address, Address, i32, u32, U256, Error)> = vec![
        (
            Address::ZERO,
            math,
            t0,
            t1,
            60,
            3000,
            Q96,
            Error::ZeroAddress(InfinityPoolZeroAddress {}),
        ),
        (
            admin,
            Address::ZERO,
            t0,
            t1,
            60,
            3000,
            Q96,
            Error::ZeroAddress(InfinityPoolZeroAddress {}),
        ),
        (
            admin,
            math,
            t0,
            t0,
            60,
            3000,
            Q96,
            Error::InvalidTokens(InfinityPoolInvalidTokens { token0: t0, token1: t0 }),
        ),
        (
            admin,
            math,
            Address::ZERO,
            t1,
            60,
            3000,
            Q96,
            Error::InvalidTokens(InfinityPoolInvalidTokens { token0: Address::ZERO, token1: t1 }),
        ),
        (
            admin,
            math,
            t0,
            t1,
            0,
            3000,
            Q96,
            Error::InvalidBinTicks(InfinityPoolInvalidBinTicks { binTicks: i24(0) }),
        ),
        (
            admin,
            math,
            t0,
            t1,
            16_385,
            3000,
            Q96,
            Error::InvalidBinTicks(InfinityPoolInvalidBinTicks { binTicks: i24(16_385) }),
        ),
        (
            admin,
            math,
            t0,
            t1,
            60,
            1_000_000,
            Q96,
            Error::InvalidFee(InfinityPoolInvalidFee {
                feePips: alloy_primitives::aliases::U24::from(1_000_000),
            }),
        ),
        (
            admin,
            math,
            t0,
            t1,
            60,
            3000,
            strata_math::MIN_SQRT_RATIO - U256::ONE,
            Error::InvalidPrice(InfinityPoolInvalidPrice {
                sqrtPriceX96: alloy_primitives::aliases::U160::from(4295128738_u64),
            }),
        ),
        (
            admin,
            math,
            t0,
            t1,
            60,
            3000,
            strata_math::MAX_SQRT_RATIO,
            Error::InvalidPrice(InfinityPoolInvalidPrice {
                sqrtPriceX96: alloy_primitives::aliases::U160::saturating_from(
                    strata_math::MAX_SQRT_RATIO,
                ),
            }),
        ),
    ];
    for (admin_, math_, a, b, bt, fee, price, expected) in cases {
        let pool = Contract::<InfinityPool>::new();
        let err =
            pool.sender(admin).constructor(admin_, math_, a, b, bt, fee, price).motsu_unwrap_err();
        assert_eq!(err, expected);
        assert_eq!(pool.sender(admin).slot0(), (U256::ZERO, 0), "nothing written");
    }
}

#[motsu::test]
fn set_peripheries_is_admin_only_once_and_rejects_zero() {
    let _serial = infinity_tests::serial();
    let w = setup_world();
    let err = w.pool.sender(bob()).set_peripheries(bob(), bob()).motsu_unwrap_err();
    assert_eq!(err, Error::Unauthorized(InfinityPoolUnauthorized { caller: bob() }));
    let err = w.pool.sender(w.admin).set_peripheries(bob(), bob()).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::AlreadyWired(InfinityPoolAlreadyWired {
            positionManager: w.positions.address(),
            swapperManager: hooks(),
        })
    );
    let fresh = World::new(60, 3000, Q96, hooks());
    let pool = Contract::<InfinityPool>::new();
    pool.sender(fresh.admin)
        .constructor(
            fresh.admin,
            fresh.math.address(),
            fresh.token0.address(),
            fresh.token1.address(),
            60,
            3000,
            Q96,
        )
        .motsu_unwrap();
    let err = pool.sender(fresh.admin).set_peripheries(Address::ZERO, bob()).motsu_unwrap_err();
    assert_eq!(err, Error::ZeroAddress(InfinityPoolZeroAddress {}));
    assert_eq!(pool.sender(fresh.admin).config().5, Address::ZERO);
}

#[motsu::test]
fn hooks_reject_every_caller_but_their_periphery() {
    let _serial = infinity_tests::serial();
    let w = setup_world();
    let before = snapshot(&w);
    let unauthorized = Error::Unauthorized(InfinityPoolUnauthorized { caller: bob() });
    assert_eq!(
        w.pool
            .sender(bob())
            .modify_liquidity(bob(), 0, 0, i(1), U256::ZERO, U256::ZERO)
            .motsu_unwrap_err(),
        unauthorized
    );
    assert_eq!(w.pool.sender(bob()).lend(1, 1, 1).motsu_unwrap_err(), unauthorized);
    assert_eq!(
        w.pool.sender(bob()).restore(1, 1, 1, U256::ZERO, U256::ZERO).motsu_unwrap_err(),
        unauthorized
    );
    assert_eq!(
        w.pool
            .sender(bob())
            .settle(bob(), U256::ZERO, U256::ZERO, U256::ONE, U256::ZERO)
            .motsu_unwrap_err(),
        unauthorized
    );
    assert_eq!(
        w.pool
            .sender(bob())
            .credit_interest(0, false, U256::ZERO, vec![U256::ZERO])
            .motsu_unwrap_err(),
        unauthorized
    );
    // The swapper manager may not move LP liquidity, nor the position manager lend.
    let as_hooks = Error::Unauthorized(InfinityPoolUnauthorized { caller: hooks() });
    assert_eq!(
        w.pool
            .sender(hooks())
            .modify_liquidity(hooks(), 0, 0, i(1), U256::ZERO, U256::ZERO)
            .motsu_unwrap_err(),
        as_hooks
    );
    let as_positions =
        Error::Unauthorized(InfinityPoolUnauthorized { caller: w.positions.address() });
    assert_eq!(w.pool.sender(w.positions.address()).lend(1, 1, 1).motsu_unwrap_err(), as_positions);
    assert_eq!(snapshot(&w), before);
}

#[motsu::test]
fn pour_rejects_bad_ranges_zero_liquidity_and_excess_amounts() {
    let _serial = infinity_tests::serial();
    let w = setup_world();
    let before = snapshot(&w);
    let err =
        w.positions.sender(bob()).pour(i24(0), i24(0), 0, U256::MAX, U256::MAX).motsu_unwrap_err();
    assert_eq!(err, PosError::ZeroLiquidity(InfinityPositionsZeroLiquidity {}));
    let err =
        w.positions.sender(bob()).pour(i24(2), i24(1), 1, U256::MAX, U256::MAX).motsu_unwrap_err();
    assert_eq!(
        pool_error::<InfinityPoolInvalidRange>(err),
        InfinityPoolInvalidRange { startBin: i24(2), stopBin: i24(1) }
    );
    let err =
        w.positions.sender(bob()).pour(i24(0), i24(64), 1, U256::MAX, U256::MAX).motsu_unwrap_err();
    assert_eq!(
        pool_error::<InfinityPoolRangeTooWide>(err),
        InfinityPoolRangeTooWide { bins: U256::from(65), maxBins: U256::from(64) }
    );
    // 887272 / 60 = 14787 bins each side: the highest full bin is 14786.
    let err = w
        .positions
        .sender(bob())
        .pour(i24(14_786), i24(14_787), 1, U256::MAX, U256::MAX)
        .motsu_unwrap_err();
    assert_eq!(
        pool_error::<InfinityPoolBinOutOfRange>(err),
        InfinityPoolBinOutOfRange { bin: i24(14_787), minBin: i24(-14_787), maxBin: i24(14_786) }
    );
    let err = w
        .positions
        .sender(bob())
        .pour(i24(-14_788), i24(-14_787), 1, U256::MAX, U256::MAX)
        .motsu_unwrap_err();
    assert!(
        matches!(pool_error::<InfinityPoolBinOutOfRange>(err), InfinityPoolBinOutOfRange { bin, .. } if bin == i24(-14_788))
    );
    let err = w
        .positions
        .sender(bob())
        .pour(i24(-1), i24(0), E18, U256::ZERO, U256::MAX)
        .motsu_unwrap_err();
    assert!(
        matches!(err, PosError::AmountAboveMax(InfinityPositionsAmountAboveMax { amount0Max, .. }) if amount0Max.is_zero())
    );
    assert_eq!(snapshot(&w), before);
    assert_eq!(
        w.positions.sender(bob()).position(U256::from(2)).0,
        Address::ZERO,
        "no position recorded"
    );
}

#[motsu::test]
fn pour_rejects_liquidity_beyond_uint128() {
    let _serial = infinity_tests::serial();
    let w = setup_world();
    w.fund(bob(), U256::MAX >> 2, U256::MAX >> 2);
    // 100e18 already in bin 3: adding u128::MAX overflows the bin.
    let before = snapshot(&w);
    let err = w
        .positions
        .sender(bob())
        .pour(i24(3), i24(3), u128::MAX, U256::MAX, U256::MAX)
        .motsu_unwrap_err();
    assert_eq!(
        pool_error::<InfinityPoolLiquidityOverflow>(err),
        InfinityPoolLiquidityOverflow { bin: i24(3) }
    );
    assert_eq!(snapshot(&w), before);
}

#[motsu::test]
fn pour_with_a_fee_on_transfer_token_reverts_with_the_shortfall(fee_token: Contract<MockFeeToken>) {
    let _serial = infinity_tests::serial();
    let admin = Address::from([0xad; 20]);
    let w = setup_world();
    fee_token.sender(admin).constructor(U256::from(100)); // 1%
    let pool = Contract::<InfinityPool>::new();
    pool.sender(admin)
        .constructor(
            admin,
            w.math.address(),
            fee_token.address(),
            w.token1.address(),
            60,
            3000,
            Q96,
        )
        .motsu_unwrap();
    let positions = Contract::<InfinityPositions>::new();
    positions.sender(admin).constructor(pool.address()).motsu_unwrap();
    pool.sender(admin).set_peripheries(positions.address(), hooks()).motsu_unwrap();
    fee_token.sender(bob()).mint(bob(), u(10 * E18)).motsu_unwrap();
    fee_token.sender(bob()).approve(pool.address(), U256::MAX).motsu_unwrap();
    w.token1.sender(bob()).approve(pool.address(), U256::MAX).motsu_unwrap();
    let err =
        positions.sender(bob()).pour(i24(0), i24(0), E18, U256::MAX, U256::MAX).motsu_unwrap_err();
    let e = pool_error::<InfinityPoolInsufficientPayment>(err);
    assert_eq!(e.token, fee_token.address());
    assert_eq!(e.received, e.expected - e.expected / U256::from(100));
    assert_eq!(fee_token.sender(bob()).balance_of(bob()), u(10 * E18));
    assert_eq!(pool.sender(admin).bin(0).0, 0);
}

#[motsu::test]
fn a_token_without_code_fails_the_transfer_with_a_named_error() {
    let _serial = infinity_tests::serial();
    let admin = Address::from([0xad; 20]);
    let w = setup_world();
    let no_code = Address::from([0x77; 20]);
    let pool = Contract::<InfinityPool>::new();
    pool.sender(admin)
        .constructor(admin, w.math.address(), no_code, w.token1.address(), 60, 3000, Q96)
        .motsu_unwrap();
    let positions = Contract::<InfinityPositions>::new();
    positions.sender(admin).constructor(pool.address()).motsu_unwrap();
    pool.sender(admin).set_peripheries(positions.address(), hooks()).motsu_unwrap();
    let err =
        positions.sender(bob()).pour(i24(0), i24(0), E18, U256::MAX, U256::MAX).motsu_unwrap_err();
    assert_eq!(
        pool_error::<InfinityPoolTokenCallFailed>(err),
        InfinityPoolTokenCallFailed { token: no_code }
    );
    assert_eq!(pool.sender(admin).bin(0).0, 0);
}

#[motsu::test]
fn drain_rejects_unknown_foreign_zero_excess_and_lent_liquidity() {
    let _serial = infinity_tests::serial();
    let w = setup_world();
    let (id, _, _) = w.pour(bob(), 5, 6, E18);
    let before = snapshot(&w);
    let missing = U256::from(99);
    assert_eq!(
        w.positions.sender(bob()).drain(missing, 1).motsu_unwrap_err(),
        PosError::UnknownPosition(InfinityPositionsUnknownPosition { positionId: missing })
    );
    assert_eq!(
        w.positions.sender(lp()).drain(id, 1).motsu_unwrap_err(),
        PosError::NotOwner(InfinityPositionsNotOwner { positionId: id, caller: lp() })
    );
    assert_eq!(
        w.positions.sender(bob()).drain(id, 0).motsu_unwrap_err(),
        PosError::ZeroLiquidity(InfinityPositionsZeroLiquidity {})
    );
    assert_eq!(
        w.positions.sender(bob()).drain(id, E18 + 1).motsu_unwrap_err(),
        PosError::InsufficientLiquidity(InfinityPositionsInsufficientLiquidity {
            positionId: id,
            requested: E18 + 1,
            available: E18
        })
    );
    assert_eq!(snapshot(&w), before);
    // Lend all of bin 6 (above the price): bob cannot drain it.
    w.pool.sender(hooks()).lend(6, 6, E18).motsu_unwrap();
    let before = snapshot(&w);
    let err = w.positions.sender(bob()).drain(id, E18).motsu_unwrap_err();
    assert_eq!(
        pool_error::<InfinityPoolLiquidityUnavailable>(err),
        InfinityPoolLiquidityUnavailable { bin: i24(6), requested: E18, available: 0 }
    );
    assert_eq!(snapshot(&w), before);
    assert_eq!(w.positions.sender(bob()).position(id).3, E18);
}

#[motsu::test]
fn collect_rejects_unknown_and_foreign_positions() {
    let _serial = infinity_tests::serial();
    let w = setup_world();
    let (id, _, _) = w.pour(bob(), 0, 0, E18);
    assert_eq!(
        w.positions.sender(lp()).collect(id).motsu_unwrap_err(),
        PosError::NotOwner(InfinityPositionsNotOwner { positionId: id, caller: lp() })
    );
    let missing = U256::from(42);
    assert_eq!(
        w.positions.sender(bob()).collect(missing).motsu_unwrap_err(),
        PosError::UnknownPosition(InfinityPositionsUnknownPosition { positionId: missing })
    );
    assert_eq!(
        w.positions.sender(bob()).collectable(missing).motsu_unwrap_err(),
        PosError::UnknownPosition(InfinityPositionsUnknownPosition { positionId: missing })
    );
}

#[motsu::test]
fn swap_rejects_zero_amounts_bad_limits_and_the_zero_recipient() {
    let _serial = infinity_tests::serial();
    let w = setup_world();
    let before = snapshot(&w);
    let (price, _) = w.price();
    assert_eq!(
        w.swap(bob(), true, I256::ZERO, extreme_limit(true)).unwrap_err(),
        Error::ZeroAmount(InfinityPoolZeroAmount {})
    );
    let bad = |zfo: bool, limit: U256| {
        let err = w.swap(bob(), zfo, i(1000), limit).unwrap_err();
        assert_eq!(
            err,
            Error::InvalidPriceLimit(InfinityPoolInvalidPriceLimit {
                sqrtPriceLimitX96: alloy_primitives::aliases::U160::saturating_from(limit),
                sqrtPriceX96: alloy_primitives::aliases::U160::saturating_from(price),
            })
        );
    };
    bad(true, price);
    bad(true, price + U256::ONE);
    bad(true, strata_math::MIN_SQRT_RATIO);
    bad(false, price);
    bad(false, price - U256::ONE);
    bad(false, strata_math::MAX_SQRT_RATIO);
    assert_eq!(
        w.pool
            .sender(bob())
            .swap(true, i(1000), extreme_limit(true), Address::ZERO)
            .motsu_unwrap_err(),
        Error::ZeroRecipient(InfinityPoolZeroRecipient {})
    );
    assert_eq!(
        w.pool.sender(bob()).quote_swap(true, I256::ZERO, extreme_limit(true)).unwrap_err(),
        Error::ZeroAmount(InfinityPoolZeroAmount {})
    );
    assert_eq!(snapshot(&w), before);
    assert_eq!(w.balances(bob()), (u(1_000 * E18), u(1_000 * E18)));
}

#[motsu::test]
fn lend_rejects_ranges_holding_the_price_zero_liquidity_and_lent_bins() {
    let _serial = infinity_tests::serial();
    let w = setup_world();
    let before = snapshot(&w);
    assert_eq!(
        w.pool.sender(hooks()).lend(-1, 0, E18).motsu_unwrap_err(),
        Error::RangeContainsPrice(InfinityPoolRangeContainsPrice {
            startBin: i24(-1),
            stopBin: i24(0),
            sqrtPriceX96: alloy_primitives::aliases::U160::saturating_from(Q96)
        })
    );
    // Tick 0 sits on the lower edge of bin 0: bin 0 alone is entirely above the price.
    assert_eq!(
        w.pool.sender(hooks()).lend(1, 1, 0).motsu_unwrap_err(),
        Error::ZeroLiquidity(InfinityPoolZeroLiquidity {})
    );
    assert_eq!(
        w.pool.sender(hooks()).lend(2, 3, 100 * E18 + 1).motsu_unwrap_err(),
        Error::LiquidityUnavailable(InfinityPoolLiquidityUnavailable {
            bin: i24(2),
            requested: 100 * E18 + 1,
            available: 100 * E18
        })
    );
    assert_eq!(snapshot(&w), before);
}

#[motsu::test]
fn restore_rejects_unlent_bins_and_reserves_beyond_escrow_or_below_the_need() {
    let _serial = infinity_tests::serial();
    let w = setup_world();
    let (a0, _, token1) = w.pool.sender(hooks()).lend(1, 2, E18).motsu_unwrap();
    assert!(!token1, "bins above the price hold token0");
    let before = snapshot(&w);
    assert_eq!(
        w.pool.sender(hooks()).restore(1, 2, E18 + 1, a0, U256::ZERO).motsu_unwrap_err(),
        Error::NotLent(InfinityPoolNotLent { bin: i24(1), requested: E18 + 1, lent: E18 })
    );
    assert_eq!(
        w.pool.sender(hooks()).restore(1, 2, E18, a0 + U256::ONE, U256::ZERO).motsu_unwrap_err(),
        Error::EscrowShortfall(InfinityPoolEscrowShortfall {
            token: w.token0.address(),
            needed: a0 + U256::ONE,
            available: a0
        })
    );
    assert_eq!(snapshot(&w), before);
    // Move the price into bin 1: the lent range now needs both tokens, and reserves with
    // neither are below the line.
    w.swap(bob(), false, i(E18 as i128), sqrt_at(90)).unwrap();
    let before = snapshot(&w);
    let err = w.pool.sender(hooks()).restore(1, 2, E18, U256::ZERO, U256::ZERO).motsu_unwrap_err();
    assert!(matches!(
        err,
        Error::RestoreShortfall(InfinityPoolRestoreShortfall { need0, need1, reserve0, reserve1 })
            if need0 > U256::ZERO && need1 > U256::ZERO && reserve0.is_zero() && reserve1.is_zero()
    ));
    assert_eq!(snapshot(&w), before);
}

#[motsu::test]
fn restore_reverts_when_the_surplus_cannot_buy_the_shortfall() {
    let _serial = infinity_tests::serial();
    let w = setup_world();
    // Lend bins 1..=2 (token0), then settle one wei of token1 into escrow as the only surplus.
    let (a0, _, _) = w.pool.sender(hooks()).lend(1, 2, E18).motsu_unwrap();
    w.fund(hooks(), U256::ZERO, U256::ONE);
    w.pool
        .sender(hooks())
        .settle(hooks(), U256::ZERO, U256::ONE, U256::ZERO, U256::ZERO)
        .motsu_unwrap();
    let before = snapshot(&w);
    let err = w.pool.sender(hooks()).restore(1, 2, E18, a0, U256::ONE).motsu_unwrap_err();
    assert!(
        matches!(err, Error::ConversionShortfall(InfinityPoolConversionShortfall { available, .. }) if available == U256::ONE)
    );
    assert_eq!(snapshot(&w), before);
}

#[motsu::test]
fn settle_rejects_the_zero_account_payouts_beyond_escrow_and_fee_tokens() {
    let _serial = infinity_tests::serial();
    let w = setup_world();
    let before = snapshot(&w);
    assert_eq!(
        w.pool
            .sender(hooks())
            .settle(Address::ZERO, U256::ZERO, U256::ZERO, U256::ZERO, U256::ZERO)
            .motsu_unwrap_err(),
        Error::ZeroRecipient(InfinityPoolZeroRecipient {})
    );
    // LP liquidity is not escrow: the manager cannot pay it out.
    assert_eq!(
        w.pool
            .sender(hooks())
            .settle(bob(), U256::ZERO, U256::ZERO, U256::ONE, U256::ZERO)
            .motsu_unwrap_err(),
        Error::EscrowShortfall(InfinityPoolEscrowShortfall {
            token: w.token0.address(),
            needed: U256::ONE,
            available: U256::ZERO
        })
    );
    assert_eq!(
        w.pool
            .sender(hooks())
            .settle(bob(), U256::ZERO, U256::ZERO, U256::ZERO, U256::ONE)
            .motsu_unwrap_err(),
        Error::EscrowShortfall(InfinityPoolEscrowShortfall {
            token: w.token1.address(),
            needed: U256::ONE,
            available: U256::ZERO
        })
    );
    assert_eq!(snapshot(&w), before);
    assert_eq!(w.balances(bob()), (u(1_000 * E18), u(1_000 * E18)));
}

#[motsu::test]
fn credit_interest_rejects_growth_worth_more_than_the_total_and_totals_beyond_escrow() {
    let _serial = infinity_tests::serial();
    let w = setup_world();
    w.fund(hooks(), u(E18), u(E18));
    w.pool
        .sender(hooks())
        .settle(hooks(), u(E18), U256::ZERO, U256::ZERO, U256::ZERO)
        .motsu_unwrap();
    let escrow = w.pool.sender(w.admin).escrow();
    // Bin 0 has 100e18 liquidity: growth 2^128 pays 100e18 per unit, far above the total.
    let growth = U256::ONE << 128;
    let err =
        w.pool.sender(hooks()).credit_interest(0, false, u(E18), vec![growth]).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::InterestExceedsTotal(InfinityPoolInterestExceedsTotal {
            credited: u(100 * E18),
            total: u(E18)
        })
    );
    let err = w
        .pool
        .sender(hooks())
        .credit_interest(0, false, u(2 * E18), vec![U256::ZERO])
        .motsu_unwrap_err();
    assert_eq!(
        err,
        Error::EscrowShortfall(InfinityPoolEscrowShortfall {
            token: w.token0.address(),
            needed: u(2 * E18),
            available: u(E18)
        })
    );
    // Growth whose payout over two huge bins exceeds 256 bits is a math error.
    w.fund(bob(), U256::MAX >> 4, U256::MAX >> 4);
    w.pour(bob(), 10, 11, 3 << 126);
    let err = w
        .pool
        .sender(hooks())
        .credit_interest(10, false, u(E18), vec![U256::MAX, U256::MAX])
        .motsu_unwrap_err();
    assert_eq!(
        err,
        Error::Math(InfinityPoolMath { code: strata_math::MathError::Overflow.code() })
    );
    let err = w
        .pool
        .sender(hooks())
        .credit_interest(0, false, u(E18), vec![U256::ZERO; 65])
        .motsu_unwrap_err();
    assert_eq!(
        err,
        Error::RangeTooWide(InfinityPoolRangeTooWide {
            bins: U256::from(65),
            maxBins: U256::from(64)
        })
    );
    assert_eq!(w.pool.sender(w.admin).escrow(), escrow);
    assert_eq!(w.pool.sender(w.admin).bin(0).2, U256::ZERO, "no growth credited");
}

#[motsu::test]
fn bin_views_reject_bad_ranges() {
    let _serial = infinity_tests::serial();
    let w = setup_world();
    assert_eq!(
        w.pool.sender(bob()).bin_liquidity(3, 2).unwrap_err(),
        Error::InvalidRange(InfinityPoolInvalidRange { startBin: i24(3), stopBin: i24(2) })
    );
    assert_eq!(
        w.pool.sender(bob()).growth_sums(0, 64).unwrap_err(),
        Error::RangeTooWide(InfinityPoolRangeTooWide {
            bins: U256::from(65),
            maxBins: U256::from(64)
        })
    );
    let _ = (FixedBytes::<32>::ZERO, sqrt_at(0));
}

#[motsu::test]
fn the_position_manager_rejects_a_zero_pool() {
    let _serial = infinity_tests::serial();
    let positions = Contract::<InfinityPositions>::new();
    let err = positions.sender(bob()).constructor(Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, PosError::ZeroAddress(infinity_positions::InfinityPositionsZeroAddress {}));
    assert_eq!(positions.sender(bob()).pool(), Address::ZERO);
}
