//! # Index pool — shared state and logic
//!
//! The Index system's weighted pool (PowerIndex v2 / Balancer v1 model): 2 to 21 tokens, each
//! with a *denormalized weight* that moves linearly over time toward a target set by the
//! controller, and an ERC-20 share token (18 decimals) minted on joins and burnt on exits.
//!
//! This crate is not deployed itself. It holds what the pool's deployable parts share: the
//! storage layout ([`IndexPoolState`]), constants, errors, events, and every operation as a
//! method of the state. See "Deployment" for why the pool is split.
//!
//! ## Deployment: one pool address, five contracts
//!
//! The whole pool does not fit Stylus' 24 KiB compressed-code limit (measured: 45 KiB as one
//! contract; the SDK's ABI router for its 58 functions alone is ~10 KiB, the `pow`/`ln`/`exp`
//! math ~7 KiB). It is split along two seams, like Balancer v3's `Vault` /
//! `VaultExtension` / `VaultAdmin` (delegated parts sharing one storage) and Curve's
//! external math contracts (a stateless library):
//!
//! | contract | serves | reached by |
//! |---|---|---|
//! | `IndexPool` | the storage; ERC-20 share, `gulp`, the views that need no weight math | users, the controller |
//! | `IndexPoolSwaps` | the two swaps; weight and spot-price views | `IndexPool`'s fallback, by `DELEGATECALL` |
//! | `IndexPoolLiquidity` | `joinPool`, `exitPool` and the four single-token joins and exits | `IndexPool`'s fallback, by `DELEGATECALL` |
//! | `IndexPoolAdmin` | the controller functions | `IndexPool`'s fallback, by `DELEGATECALL` |
//! | `WeightedMath` | the power-based formulas (pure) | static calls from the swaps and liquidity code |
//!
//! Integrators see one address with the whole ABI (`interfaces/IIndexPool.sol`). The
//! delegated parts run in the pool's context (its storage, `msg.sender`, `msg.value`) and
//! declare the same storage (one [`IndexPoolState`] at slot 0). `IndexPool` routes each
//! selector to the part that serves it ([`dispatch`]), so every call takes at most one
//! `DELEGATECALL` hop. All four decode calldata with the shared strict reader (`strata_common::abi`)
//! instead of the SDK's router, whose per-function code would not fit. The parts'
//! and the library's addresses are fixed in the pool's constructor; nothing is upgradeable.
//! Called directly, a part acts on its own empty storage (no controller, not finalized), so
//! every function reverts or reads nothing. A `DELEGATECALL` is not a re-entry for Stylus
//! (nitro counts only non-delegate frames of an address, `TxProcessor.PushContract`), so the
//! parts need no `reentrant` feature.
//!
//! Calls go one way: the controller calls the pool; the pool calls ERC-20 tokens, the math
//! library and, in `callVoting`, an allow-listed governance target. It never calls the
//! controller.
//!
//! ## Roles
//!
//! - **Controller** (in production the `weight-strategy` contract): binds and unbinds tokens,
//!   finalizes the pool, schedules weights, sets fees, the no-fee list, the swaps switch, the
//!   voting allow-list, and makes meta-governance calls. One address; `setController` hands
//!   the role over in one step (a two-step hand-over would need the new controller, a
//!   contract, to call back).
//! - **Anyone**: swaps, joins, exits, `gulp`, views.
//!
//! ## Formulas
//!
//! `B` balance, `W` current denormalized weight, `Wt = Σ W` (computed at the current time,
//! never stored), `S` share supply, `f` swap fee, `nw = W / Wt`:
//!
//! ```text
//! spot price            = (Bi / Wi) / (Bo / Wo) · 1 / (1 - f)
//! outGivenIn            out = Bo · (1 - (Bi / (Bi + in · (1 - f)))^(Wi / Wo))
//! inGivenOut            in  = Bi · ((Bo / (Bo - out))^(Wo / Wi) - 1) / (1 - f)
//! poolOutGivenSingleIn  P   = S · ((Bi + in · (1 - (1 - nw) · f)) / Bi)^nw - S
//! singleInGivenPoolOut  in  = Bi · (((S + P) / S)^(1 / nw) - 1) / (1 - (1 - nw) · f)
//! singleOutGivenPoolIn  out = Bo · (1 - ((S - P) / S)^(1 / nw)) · (1 - (1 - nw) · f)
//! poolInGivenSingleOut  P   = S · (1 - ((Bo - out / (1 - (1 - nw) · f)) / Bo)^nw)
//! joinPool / exitPool   amount_i = B_i · P / S
//! ```
//!
//! The math is `strata_math::weighted_math` (the power-based formulas through the
//! `WeightedMath` contract; spot prices and proportional joins and exits locally): every step rounds in the pool's favour (amounts paid out down,
//! amounts taken in and the spot price up) and the power function's error (relative 1e-14
//! plus one wei, `strata_math::MAX_POW_RELATIVE_ERROR`) is applied on the pool's side, so no
//! round trip returns more than it cost, at any fee including zero.
//!
//! ## Dynamic weights
//!
//! Per token `(fromWeight, targetWeight, fromTimestamp, targetTimestamp)`:
//!
//! ```text
//! weight(t) = fromWeight                                   t <= fromTimestamp
//!           = targetWeight                                 t >= targetTimestamp
//!           = fromWeight ± ⌊|target - from| · (t - fromTimestamp) / (targetTimestamp - fromTimestamp)⌋
//! ```
//!
//! A new schedule (`bind` or `setDynamicWeight`) starts from the token's weight *now*, so a
//! weight never jumps; it needs `fromTimestamp >= now`, `targetTimestamp > fromTimestamp`,
//! `targetWeight` in `[MIN_WEIGHT, MAX_WEIGHT]`, a rate `|target - current| / duration` (exact,
//! not truncated) within `[minWeightPerSecond, maxWeightPerSecond]`, and `Σ targets <=
//! MAX_TOTAL_WEIGHT`. With the rate bound exact and the interpolation truncated, a weight
//! moves by at most `maxWeightPerSecond` between consecutive seconds. `bind` adds a token at
//! `MIN_WEIGHT` and schedules it up; `unbind` needs the token back at `MIN_WEIGHT`.
//!
//! ## Fees
//!
//! - Swap fee `f` in `[MIN_FEE, MAX_FEE]`: stays in the pool (LPs).
//! - Community fees in `[0, MAX_FEE]`, paid to the community fee receiver unless the caller
//!   is on the no-fee list:
//!   - swaps: in the input token, as a share of what the caller pays
//!     (`swapExactAmountIn`: `fee = ⌈in · c⌉`, the rest is swapped; `swapExactAmountOut`: the
//!     pool's input `x` is grossed up, the caller pays `⌈x / (1 - c)⌉`);
//!   - joins and exits: in pool shares. Joins mint the fee to the receiver on top of what the
//!     caller gets (`joinPool` and `joinswapPoolAmountOut` deliver exactly the requested
//!     shares and price `⌈P / (1 - c)⌉`; `joinswapExternAmountIn` mints `P` of which
//!     `⌈P · c⌉` go to the receiver); exits move the fee share of what the caller pays to
//!     the receiver and burn the rest.
//!
//! Fees round up (against the caller). `Swap`, `Join` and `Exit` report the amounts that
//! enter or leave the pool; `CommunityFee` reports each fee (`token` is the pool itself for
//! fees in shares).
//!
//! ## Safety checks
//!
//! Swaps and single-token joins/exits (swaps against the pool) need the pool finalized and
//! swaps enabled. Amounts entering a balance are at most `MAX_IN_RATIO · B`, amounts leaving
//! at most `MAX_OUT_RATIO · B`, every balance stays at least `MIN_BALANCE`; swaps check `spot
//! before <= maxPrice`, `spot after >= spot before`, `spot after <= maxPrice` and `spot
//! before <= in / out`; every amount is bounded by the caller's min/max. Each failure is a
//! named error.
//!
//! **Fee-on-transfer tokens are rejected**: every transfer into the pool must deliver the
//! exact amount ([`token::pull_exact`], balance delta), so a token that starts
//! charging a fee makes deposits revert instead of leaving the recorded balance above the
//! real one. Exits still work, so LPs can always leave. Recorded balances only grow through
//! exact deposits and `gulp` (which never lowers them), so a recorded balance never exceeds
//! the pool's real balance.
//!
//! Every function that moves tokens holds the reentrancy lock and follows
//! checks-effects-interactions.
//!
//! ## Meta-governance
//!
//! `callVoting(target, selector, args, value)` sends `selector ++ args` (with `value` wei,
//! which must be exactly the ETH sent with the call) to `target`, only for allow-listed
//! `(target, selector)` pairs. ERC-20 `transfer`, `transferFrom`, `approve` and
//! `increaseAllowance` can never be allow-listed, and after the call every bound token's real
//! balance must still cover its recorded balance, so a voting call cannot move pooled assets.
//!
//! ## Storage
//!
//! Per token, one slot packs `(bound, index, fromTimestamp, targetTimestamp)`, one packs
//! `(fromWeight, targetWeight)` as `uint128`s (weights are at most 50e18 < 2^66), one holds
//! the balance. The swap fee and the three community fees share one slot as `uint64`s (all at
//! most 1e17 < 2^64).
// `Error` carries each Solidity error's arguments (up to four words); the copy on the revert
// path costs nothing next to the calls a pool function makes.
#![allow(clippy::result_large_err)]
#![cfg_attr(
    not(test),
    deny(
        clippy::arithmetic_side_effects,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
extern crate alloc;

use alloc::{string::String, vec::Vec};

use openzeppelin_stylus::token::erc20::{self, Erc20, IErc20};
use strata_common::{
    abi::{encode, encode_bytes, Word},
    call, env, log,
    reentrancy::{ReentrancyLock, ReentrantCall},
    token::{self, TokenError},
};
use strata_math::{
    calc_exit_token_out, calc_join_token_in, calc_spot_price, complement, mul_div_down,
    wad_div_down, wad_div_up, wad_mul_down, wad_mul_up, MathError,
};
use stylus_sdk::{
    alloy_primitives::{uint, Address, FixedBytes, B256, U128, U256, U64, U8},
    alloy_sol_types::{SolCall, SolError, SolEvent},
    prelude::*,
    storage::{
        StorageAddress, StorageBool, StorageFixedBytes, StorageMap, StorageU128, StorageU256,
        StorageU64, StorageU8, StorageVec,
    },
};

pub mod abi;
pub mod dispatch;

/// Fewest tokens a finalized pool holds.
pub const MIN_BOUND_TOKENS: usize = 2;
/// Most tokens a pool holds.
pub const MAX_BOUND_TOKENS: usize = 21;
/// Smallest swap fee (0.0001%).
pub const MIN_FEE: U256 = uint!(1_000_000_000_000_U256);
/// Largest swap fee and community fee (10%).
pub const MAX_FEE: U256 = uint!(100_000_000_000_000_000_U256);
/// Smallest denormalized weight: where tokens are bound and from where they are unbound.
pub const MIN_WEIGHT: U256 = uint!(1_000_000_000_U256);
/// Largest denormalized weight of one token.
pub const MAX_WEIGHT: U256 = uint!(50_000_000_000_000_000_000_U256);
/// Largest sum of target weights.
pub const MAX_TOTAL_WEIGHT: U256 = uint!(50_000_000_000_000_000_000_U256);
/// Smallest balance of a bound token, in its base units, after any operation.
pub const MIN_BALANCE: U256 = uint!(1_000_000_U256);
/// Shares minted to the controller by `finalize`.
pub const INIT_POOL_SUPPLY: U256 = uint!(100_000_000_000_000_000_000_U256);
/// Largest amount into a balance per operation, as a fraction of it (WAD).
pub const MAX_IN_RATIO: U256 = uint!(500_000_000_000_000_000_U256);
/// Largest amount out of a balance per operation, as a fraction of it (WAD): 1/3 + 1 wei.
pub const MAX_OUT_RATIO: U256 = uint!(333_333_333_333_333_334_U256);

/// ERC-20 selectors that move or approve the caller's tokens, never allow-listed for
/// `callVoting`: `transfer`, `transferFrom`, `approve`, `increaseAllowance`.
pub const FORBIDDEN_VOTING_SELECTORS: [[u8; 4]; 4] = [
    [0xa9, 0x05, 0x9c, 0xbb],
    [0x23, 0xb8, 0x72, 0xdd],
    [0x09, 0x5e, 0xa7, 0xb3],
    [0x39, 0x50, 0x93, 0x51],
];

/// `IndexPoolMath` code for a failed call to the math library (math errors use
/// `strata_math::MathError::code`, 1 and up).
pub const MATH_CALL_FAILED: u8 = 0;

strata_common::sol_events! {
    /// `caller` swapped `amountIn` of `tokenIn` (what entered the pool, community fee excluded)
    /// for `amountOut` of `tokenOut`.
    event Swap(address indexed caller, address indexed tokenIn, address indexed tokenOut, uint256 amountIn, uint256 amountOut);
    /// `caller` deposited `amountIn` of `tokenIn` in a join.
    event Join(address indexed caller, address indexed tokenIn, uint256 amountIn);
    /// `caller` withdrew `amountOut` of `tokenOut` in an exit.
    event Exit(address indexed caller, address indexed tokenOut, uint256 amountOut);
    /// The weight of `token` moves from `fromWeight` at `fromTimestamp` to `targetWeight` at `targetTimestamp`.
    event DynamicWeightSet(address indexed token, uint256 fromTimestamp, uint256 targetTimestamp, uint256 fromWeight, uint256 targetWeight);
    /// `caller` paid a community fee of `amount` of `token` (the pool itself for fees in shares).
    event CommunityFee(address indexed caller, address indexed token, uint256 amount);
    /// The controller called `selector` on `target` with `args`.
    event VotingCalled(address indexed target, bytes4 indexed selector, bytes args);
    /// `token` was bound with `balance` deposited by the controller.
    event TokenBound(address indexed token, uint256 balance);
    /// `token` was unbound; `balance` went to the controller.
    event TokenUnbound(address indexed token, uint256 balance);
    /// The pool was finalized: joins, exits and swaps are open.
    event Finalized(uint256 poolSupply);
    /// The recorded balance of `token` was synced up to `balance`.
    event Gulped(address indexed token, uint256 balance);
    /// The swap fee changed.
    event SwapFeeSet(uint256 swapFee);
    /// The community fees and their receiver changed.
    event CommunityFeesSet(uint256 swapFee, uint256 joinFee, uint256 exitFee, address indexed receiver);
    /// The controller changed.
    event ControllerSet(address indexed previousController, address indexed newController);
    /// Swaps were disabled (`true`) or enabled.
    event SwapsDisabledSet(bool disabled);
    /// `account` was added to (`true`) or removed from the no-fee list.
    event WithoutFeeSet(address indexed account, bool withoutFee);
    /// The bounds on a weight schedule's change per second changed.
    event WeightPerSecondBoundsSet(uint256 minWeightPerSecond, uint256 maxWeightPerSecond);
    /// `selector` on `target` was allowed (`true`) or disallowed for `callVoting`.
    event VotingAllowedSet(address indexed target, bytes4 indexed selector, bool allowed);
}

/// Every event of the pool (its own and the share token's), for the exported interface.
// Constant indices into constant arrays: checked at compile time.
#[allow(clippy::indexing_slicing)]
pub const ALL_EVENTS_ABI: [&str; 19] = [
    strata_common::ERC20_EVENTS_ABI[0],
    strata_common::ERC20_EVENTS_ABI[1],
    EVENTS_ABI[0],
    EVENTS_ABI[1],
    EVENTS_ABI[2],
    EVENTS_ABI[3],
    EVENTS_ABI[4],
    EVENTS_ABI[5],
    EVENTS_ABI[6],
    EVENTS_ABI[7],
    EVENTS_ABI[8],
    EVENTS_ABI[9],
    EVENTS_ABI[10],
    EVENTS_ABI[11],
    EVENTS_ABI[12],
    EVENTS_ABI[13],
    EVENTS_ABI[14],
    EVENTS_ABI[15],
    EVENTS_ABI[16],
];

/// The ABI of the `WeightedMath` library contract, as the pool calls it.
pub mod math_abi {
    #![allow(missing_docs)]
    alloy_sol_types::sol! {
        function calcSpotPrice(uint256 balanceIn, uint256 weightIn, uint256 balanceOut, uint256 weightOut, uint256 swapFee) external pure returns (uint256);
        function calcOutGivenIn(uint256 balanceIn, uint256 weightIn, uint256 balanceOut, uint256 weightOut, uint256 amountIn, uint256 swapFee) external pure returns (uint256);
        function calcInGivenOut(uint256 balanceIn, uint256 weightIn, uint256 balanceOut, uint256 weightOut, uint256 amountOut, uint256 swapFee) external pure returns (uint256);
        function calcPoolOutGivenSingleIn(uint256 balanceIn, uint256 weightIn, uint256 poolSupply, uint256 totalWeight, uint256 amountIn, uint256 swapFee) external pure returns (uint256);
        function calcSingleInGivenPoolOut(uint256 balanceIn, uint256 weightIn, uint256 poolSupply, uint256 totalWeight, uint256 poolAmountOut, uint256 swapFee) external pure returns (uint256);
        function calcSingleOutGivenPoolIn(uint256 balanceOut, uint256 weightOut, uint256 poolSupply, uint256 totalWeight, uint256 poolAmountIn, uint256 swapFee) external pure returns (uint256);
        function calcPoolInGivenSingleOut(uint256 balanceOut, uint256 weightOut, uint256 poolSupply, uint256 totalWeight, uint256 amountOut, uint256 swapFee) external pure returns (uint256);
        #[derive(Debug, PartialEq, Eq)]
        error WeightedMathError(uint8 code);
    }
}

alloy_sol_types::sol! {
    /// `caller` is not the controller.
    #[derive(Debug)]
    error IndexPoolNotController(address caller);
    /// The zero address was given where an account is required.
    #[derive(Debug)]
    error IndexPoolZeroAddress();
    /// `token` is not bound.
    #[derive(Debug)]
    error IndexPoolNotBound(address token);
    /// `token` is already bound.
    #[derive(Debug)]
    error IndexPoolAlreadyBound(address token);
    /// The pool already holds the most tokens it can.
    #[derive(Debug)]
    error IndexPoolMaxTokens(uint256 max);
    /// The pool would hold `count` tokens, fewer than `min`.
    #[derive(Debug)]
    error IndexPoolMinTokens(uint256 count, uint256 min);
    /// The pool is finalized already.
    #[derive(Debug)]
    error IndexPoolFinalized();
    /// The pool is not finalized yet.
    #[derive(Debug)]
    error IndexPoolNotFinalized();
    /// Swaps are disabled.
    #[derive(Debug)]
    error IndexPoolSwapsDisabled();
    /// `balance` of `token` would be below `min`.
    #[derive(Debug)]
    error IndexPoolMinBalance(address token, uint256 balance, uint256 min);
    /// `weight` is outside `[MIN_WEIGHT, MAX_WEIGHT]`.
    #[derive(Debug)]
    error IndexPoolInvalidWeight(uint256 weight);
    /// The schedule's timestamps are invalid at `now` (`from >= now` and `target > from` are required).
    #[derive(Debug)]
    error IndexPoolInvalidTimestamps(uint256 fromTimestamp, uint256 targetTimestamp, uint256 now);
    /// A change of `delta` over `duration` seconds is outside `[minPerSecond, maxPerSecond]` per second.
    #[derive(Debug)]
    error IndexPoolWeightRateOutOfBounds(uint256 delta, uint256 duration, uint256 minPerSecond, uint256 maxPerSecond);
    /// The target weights would sum to `total`, above `max`.
    #[derive(Debug)]
    error IndexPoolMaxTotalWeight(uint256 total, uint256 max);
    /// The minimum change per second is above the maximum.
    #[derive(Debug)]
    error IndexPoolInvalidWeightPerSecondBounds(uint256 minWeightPerSecond, uint256 maxWeightPerSecond);
    /// `token`'s weight is `weight`, not `MIN_WEIGHT`, so it cannot be unbound.
    #[derive(Debug)]
    error IndexPoolWeightNotMin(address token, uint256 weight);
    /// The fee is outside `[min, max]`.
    #[derive(Debug)]
    error IndexPoolInvalidFee(uint256 fee, uint256 min, uint256 max);
    /// A zero amount was given.
    #[derive(Debug)]
    error IndexPoolZeroAmount();
    /// The same token was given as input and output.
    #[derive(Debug)]
    error IndexPoolSameToken(address token);
    /// `length` amounts were given for `expected` tokens.
    #[derive(Debug)]
    error IndexPoolArrayLength(uint256 length, uint256 expected);
    /// `amountIn` is above `MAX_IN_RATIO` of the balance, `limit`.
    #[derive(Debug)]
    error IndexPoolMaxInRatio(uint256 amountIn, uint256 limit);
    /// `amountOut` is above `MAX_OUT_RATIO` of the balance, `limit`.
    #[derive(Debug)]
    error IndexPoolMaxOutRatio(uint256 amountOut, uint256 limit);
    /// `amountIn` is above the caller's maximum.
    #[derive(Debug)]
    error IndexPoolAmountInAboveMax(uint256 amountIn, uint256 maxAmountIn);
    /// `amountOut` is below the caller's minimum.
    #[derive(Debug)]
    error IndexPoolAmountOutBelowMin(uint256 amountOut, uint256 minAmountOut);
    /// The spot price `spotPrice` (before or after the swap) is above the caller's `maxPrice`.
    #[derive(Debug)]
    error IndexPoolSpotPriceAboveMax(uint256 spotPrice, uint256 maxPrice);
    /// The spot price would fall from `spotPriceBefore` to `spotPriceAfter` (math approximation guard).
    #[derive(Debug)]
    error IndexPoolSpotPriceDecreased(uint256 spotPriceBefore, uint256 spotPriceAfter);
    /// The trade's price `amountIn / amountOut` is below the spot price before it (math approximation guard).
    #[derive(Debug)]
    error IndexPoolPriceBelowSpot(uint256 spotPriceBefore, uint256 amountIn, uint256 amountOut);
    /// Weighted math refused its inputs (`code`: `strata_math::MathError::code`; 0: the math library call failed).
    #[derive(Debug)]
    error IndexPoolMath(uint8 code);
    /// A call to `token` failed, reverted or returned `false`.
    #[derive(Debug)]
    error IndexPoolTokenCallFailed(address token);
    /// `token` delivered `received` instead of `expected` (fee-on-transfer tokens are rejected).
    #[derive(Debug)]
    error IndexPoolTokenShortfall(address token, uint256 expected, uint256 received);
    /// A guarded function was re-entered.
    #[derive(Debug)]
    error IndexPoolReentrantCall();
    /// `selector` on `target` is not allow-listed for `callVoting`.
    #[derive(Debug)]
    error IndexPoolVotingNotAllowed(address target, bytes4 selector);
    /// `selector` moves or approves tokens and can never be allow-listed.
    #[derive(Debug)]
    error IndexPoolVotingSelectorForbidden(bytes4 selector);
    /// `value` differs from the ETH sent with the call, `msgValue`.
    #[derive(Debug)]
    error IndexPoolVotingValueMismatch(uint256 value, uint256 msgValue);
    /// The voting call to `target` reverted.
    #[derive(Debug)]
    error IndexPoolVotingCallFailed(address target, bytes4 selector);
    /// After a voting call the pool holds `balance` of `token`, less than its recorded `recorded`.
    #[derive(Debug)]
    error IndexPoolVotingMovedBalance(address token, uint256 balance, uint256 recorded);
}

/// Errors of the pool: each is a Solidity custom error with its arguments.
#[derive(SolidityError, Debug)]
pub enum Error {
    /// See [`IndexPoolNotController`].
    NotController(IndexPoolNotController),
    /// See [`IndexPoolZeroAddress`].
    ZeroAddress(IndexPoolZeroAddress),
    /// See [`IndexPoolNotBound`].
    NotBound(IndexPoolNotBound),
    /// See [`IndexPoolAlreadyBound`].
    AlreadyBound(IndexPoolAlreadyBound),
    /// See [`IndexPoolMaxTokens`].
    MaxTokens(IndexPoolMaxTokens),
    /// See [`IndexPoolMinTokens`].
    MinTokens(IndexPoolMinTokens),
    /// See [`IndexPoolFinalized`].
    Finalized(IndexPoolFinalized),
    /// See [`IndexPoolNotFinalized`].
    NotFinalized(IndexPoolNotFinalized),
    /// See [`IndexPoolSwapsDisabled`].
    SwapsDisabled(IndexPoolSwapsDisabled),
    /// See [`IndexPoolMinBalance`].
    MinBalance(IndexPoolMinBalance),
    /// See [`IndexPoolInvalidWeight`].
    InvalidWeight(IndexPoolInvalidWeight),
    /// See [`IndexPoolInvalidTimestamps`].
    InvalidTimestamps(IndexPoolInvalidTimestamps),
    /// See [`IndexPoolWeightRateOutOfBounds`].
    WeightRateOutOfBounds(IndexPoolWeightRateOutOfBounds),
    /// See [`IndexPoolMaxTotalWeight`].
    MaxTotalWeight(IndexPoolMaxTotalWeight),
    /// See [`IndexPoolInvalidWeightPerSecondBounds`].
    InvalidWeightPerSecondBounds(IndexPoolInvalidWeightPerSecondBounds),
    /// See [`IndexPoolWeightNotMin`].
    WeightNotMin(IndexPoolWeightNotMin),
    /// See [`IndexPoolInvalidFee`].
    InvalidFee(IndexPoolInvalidFee),
    /// See [`IndexPoolZeroAmount`].
    ZeroAmount(IndexPoolZeroAmount),
    /// See [`IndexPoolSameToken`].
    SameToken(IndexPoolSameToken),
    /// See [`IndexPoolArrayLength`].
    ArrayLength(IndexPoolArrayLength),
    /// See [`IndexPoolMaxInRatio`].
    MaxInRatio(IndexPoolMaxInRatio),
    /// See [`IndexPoolMaxOutRatio`].
    MaxOutRatio(IndexPoolMaxOutRatio),
    /// See [`IndexPoolAmountInAboveMax`].
    AmountInAboveMax(IndexPoolAmountInAboveMax),
    /// See [`IndexPoolAmountOutBelowMin`].
    AmountOutBelowMin(IndexPoolAmountOutBelowMin),
    /// See [`IndexPoolSpotPriceAboveMax`].
    SpotPriceAboveMax(IndexPoolSpotPriceAboveMax),
    /// See [`IndexPoolSpotPriceDecreased`].
    SpotPriceDecreased(IndexPoolSpotPriceDecreased),
    /// See [`IndexPoolPriceBelowSpot`].
    PriceBelowSpot(IndexPoolPriceBelowSpot),
    /// See [`IndexPoolMath`].
    Math(IndexPoolMath),
    /// See [`IndexPoolTokenCallFailed`].
    TokenCallFailed(IndexPoolTokenCallFailed),
    /// See [`IndexPoolTokenShortfall`].
    TokenShortfall(IndexPoolTokenShortfall),
    /// See [`IndexPoolReentrantCall`].
    ReentrantCall(IndexPoolReentrantCall),
    /// See [`IndexPoolVotingNotAllowed`].
    VotingNotAllowed(IndexPoolVotingNotAllowed),
    /// See [`IndexPoolVotingSelectorForbidden`].
    VotingSelectorForbidden(IndexPoolVotingSelectorForbidden),
    /// See [`IndexPoolVotingValueMismatch`].
    VotingValueMismatch(IndexPoolVotingValueMismatch),
    /// See [`IndexPoolVotingCallFailed`].
    VotingCallFailed(IndexPoolVotingCallFailed),
    /// See [`IndexPoolVotingMovedBalance`].
    VotingMovedBalance(IndexPoolVotingMovedBalance),
    /// Share balance too low (OpenZeppelin ERC-20).
    InsufficientBalance(erc20::ERC20InsufficientBalance),
    /// Share allowance too low (OpenZeppelin ERC-20).
    InsufficientAllowance(erc20::ERC20InsufficientAllowance),
    /// Zero-address sender (OpenZeppelin ERC-20).
    InvalidSender(erc20::ERC20InvalidSender),
    /// Zero-address receiver (OpenZeppelin ERC-20).
    InvalidReceiver(erc20::ERC20InvalidReceiver),
    /// Zero-address spender (OpenZeppelin ERC-20).
    InvalidSpender(erc20::ERC20InvalidSpender),
    /// Zero-address approver (OpenZeppelin ERC-20).
    InvalidApprover(erc20::ERC20InvalidApprover),
}

impl From<erc20::Error> for Error {
    fn from(e: erc20::Error) -> Self {
        match e {
            erc20::Error::InsufficientBalance(e) => Error::InsufficientBalance(e),
            erc20::Error::InsufficientAllowance(e) => Error::InsufficientAllowance(e),
            erc20::Error::InvalidSender(e) => Error::InvalidSender(e),
            erc20::Error::InvalidReceiver(e) => Error::InvalidReceiver(e),
            erc20::Error::InvalidSpender(e) => Error::InvalidSpender(e),
            erc20::Error::InvalidApprover(e) => Error::InvalidApprover(e),
        }
    }
}

impl From<MathError> for Error {
    fn from(e: MathError) -> Self {
        Error::Math(IndexPoolMath { code: e.code() })
    }
}

impl From<ReentrantCall> for Error {
    fn from(_: ReentrantCall) -> Self {
        Error::ReentrantCall(IndexPoolReentrantCall {})
    }
}

impl From<TokenError> for Error {
    fn from(e: TokenError) -> Self {
        match e {
            TokenError::CallFailed(e) => {
                Error::TokenCallFailed(IndexPoolTokenCallFailed { token: e.token })
            }
            TokenError::Shortfall(e) => Error::TokenShortfall(IndexPoolTokenShortfall {
                token: e.token,
                expected: e.expected,
                received: e.received,
            }),
        }
    }
}

/// State of one token: bound flag, position in the token list, weight schedule, balance.
#[storage]
pub struct Record {
    bound: StorageBool,
    index: StorageU8,
    from_timestamp: StorageU64,
    target_timestamp: StorageU64,
    from_weight: StorageU128,
    target_weight: StorageU128,
    balance: StorageU256,
}

/// The pool's whole storage. Every deployable part of the pool declares exactly one
/// `IndexPoolState` at slot 0, so they agree on the layout when one runs in another's
/// context (`DELEGATECALL`). Append new fields at the end only.
#[storage]
pub struct IndexPoolState {
    erc20: Erc20,
    name: StorageFixedBytes<32>,
    symbol: StorageFixedBytes<32>,
    controller: StorageAddress,
    finalized: StorageBool,
    swaps_disabled: StorageBool,
    swap_fee: StorageU64,
    community_swap_fee: StorageU64,
    community_join_fee: StorageU64,
    community_exit_fee: StorageU64,
    community_fee_receiver: StorageAddress,
    min_weight_per_second: StorageU256,
    max_weight_per_second: StorageU256,
    tokens: StorageVec<StorageAddress>,
    records: StorageMap<Address, Record>,
    without_fee: StorageMap<Address, StorageBool>,
    voting_allowed: StorageMap<Address, StorageMap<FixedBytes<4>, StorageBool>>,
    lock: ReentrancyLock,
    swaps: StorageAddress,
    liquidity: StorageAddress,
    admin: StorageAddress,
    math: StorageAddress,
}

/// The addresses of the pool's other contracts, fixed at construction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts {
    /// `IndexPoolSwaps`: the two swaps.
    pub swaps: Address,
    /// `IndexPoolLiquidity`: joins and exits.
    pub liquidity: Address,
    /// `IndexPoolAdmin`: controller functions and the less-used views.
    pub admin: Address,
    /// `WeightedMath`: the math library.
    pub math: Address,
}

/// Balances and current weights of a swap's two tokens, with the fee and spot price.
struct SwapState {
    balance_in: U256,
    weight_in: U256,
    balance_out: U256,
    weight_out: U256,
    swap_fee: U256,
    spot_price_before: U256,
}

/// A single-token join or exit: the token's balance and the math arguments after it.
struct SingleState {
    balance: U256,
    /// `[balance, weight, supply, total weight, amount, swap fee]`, the math library's order.
    args: [U256; 6],
}

// -------------------------------------------------------------------- setup and share token
impl IndexPoolState {
    /// Initialises a pool: share metadata, controller, weight-rate bounds, the minimum swap
    /// fee, and the addresses of the swaps, liquidity, admin and math contracts.
    ///
    /// # Errors
    /// [`IndexPoolZeroAddress`] for a zero controller or contract address;
    /// [`IndexPoolInvalidWeightPerSecondBounds`] when `min > max`.
    ///
    /// # Events
    /// `ControllerSet`, `WeightPerSecondBoundsSet`, `SwapFeeSet`.
    #[allow(clippy::too_many_arguments)]
    pub fn init(
        &mut self,
        name: FixedBytes<32>,
        symbol: FixedBytes<32>,
        controller: Address,
        min_weight_per_second: U256,
        max_weight_per_second: U256,
        parts: Parts,
    ) -> Result<(), Error> {
        let Parts { swaps, liquidity, admin, math } = parts;
        if swaps.is_zero() || liquidity.is_zero() || admin.is_zero() || math.is_zero() {
            return Err(Error::ZeroAddress(IndexPoolZeroAddress {}));
        }
        self.name.set(name);
        self.symbol.set(symbol);
        self.swaps.set(swaps);
        self.liquidity.set(liquidity);
        self.admin.set(admin);
        self.math.set(math);
        self.set_controller_unchecked(controller)?;
        self.set_weight_per_second_bounds_unchecked(min_weight_per_second, max_weight_per_second)?;
        self.set_swap_fee_unchecked(MIN_FEE)
    }

    /// Total shares.
    pub fn total_supply(&self) -> U256 {
        self.erc20.total_supply()
    }

    /// Shares of `account`.
    pub fn balance_of(&self, account: Address) -> U256 {
        self.erc20.balance_of(account)
    }

    /// Allowance of `spender` over `owner`'s shares.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.erc20.allowance(owner, spender)
    }

    /// `approve(spender, value)` on the share token (OpenZeppelin ERC-20).
    ///
    /// # Errors
    /// `ERC20InvalidSpender` for the zero address.
    ///
    /// # Events
    /// `Approval`.
    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Error> {
        Ok(self.erc20.approve(spender, value)?)
    }

    /// `transfer(to, value)` on the share token.
    ///
    /// # Errors
    /// `ERC20InsufficientBalance`, `ERC20InvalidReceiver`.
    ///
    /// # Events
    /// `Transfer`.
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Error> {
        Ok(self.erc20.transfer(to, value)?)
    }

    /// `transferFrom(from, to, value)` on the share token.
    ///
    /// # Errors
    /// `ERC20InsufficientAllowance`, `ERC20InsufficientBalance`, `ERC20InvalidReceiver`.
    ///
    /// # Events
    /// `Transfer`, `Approval` when a finite allowance is spent.
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, Error> {
        Ok(self.erc20.transfer_from(from, to, value)?)
    }

    /// Share token name (the constructor's bytes up to the first zero byte).
    pub fn name(&self) -> String {
        padded_to_string(self.name.get())
    }

    /// The name as bytes (ABI encoding of `name()`).
    pub(crate) fn name_bytes(&self) -> Vec<u8> {
        unpad(self.name.get())
    }

    /// The symbol as bytes (ABI encoding of `symbol()`).
    pub(crate) fn symbol_bytes(&self) -> Vec<u8> {
        unpad(self.symbol.get())
    }

    /// Share token symbol (the constructor's bytes up to the first zero byte).
    pub fn symbol(&self) -> String {
        padded_to_string(self.symbol.get())
    }

    /// The pool's other contracts.
    pub fn parts(&self) -> Parts {
        Parts {
            swaps: self.swaps.get(),
            liquidity: self.liquidity.get(),
            admin: self.admin.get(),
            math: self.math.get(),
        }
    }
}

// -------------------------------------------------------------------- controller functions
impl IndexPoolState {
    /// `bind(token, balance, targetWeight, fromTimestamp, targetTimestamp)` at time `now`:
    /// pulls `balance` from the controller, adds the token at `MIN_WEIGHT` and schedules its
    /// weight to `targetWeight` (see [`Self::set_dynamic_weight_at`]). Allowed after
    /// `finalize` too, to fade a new token in.
    ///
    /// # Errors
    /// [`IndexPoolNotController`], [`IndexPoolAlreadyBound`], [`IndexPoolMaxTokens`],
    /// [`IndexPoolMinBalance`], the schedule errors of `setDynamicWeight`, token errors
    /// ([`IndexPoolTokenShortfall`] for fee-on-transfer tokens), [`IndexPoolReentrantCall`].
    ///
    /// # Events
    /// `TokenBound`, `DynamicWeightSet`.
    pub fn bind_at(
        &mut self,
        now: u64,
        token: Address,
        balance: U256,
        target_weight: U256,
        from_timestamp: U256,
        target_timestamp: U256,
    ) -> Result<(), Error> {
        let controller = self.only_controller()?;
        if self.records.getter(token).bound.get() {
            return Err(Error::AlreadyBound(IndexPoolAlreadyBound { token }));
        }
        let count = self.tokens.len();
        if count >= MAX_BOUND_TOKENS {
            return Err(Error::MaxTokens(IndexPoolMaxTokens { max: U256::from(MAX_BOUND_TOKENS) }));
        }
        check_min_balance(token, balance)?;
        self.lock.enter()?;
        {
            let mut record = self.records.setter(token);
            record.bound.set(true);
            // count < MAX_BOUND_TOKENS = 21 fits a u8.
            record.index.set(U8::saturating_from(count));
            record.balance.set(balance);
            record.from_weight.set(to_u128(MIN_WEIGHT));
            record.target_weight.set(to_u128(MIN_WEIGHT));
        }
        self.tokens.push(token);
        log::emit(&[TokenBound::SIGNATURE_HASH, token.into_word()], &[balance]);
        self.schedule(now, token, target_weight, from_timestamp, target_timestamp)?;
        token::pull_exact(token, controller, balance)?;
        self.lock.exit();
        Ok(())
    }

    /// `unbind(token)` at time `now`: removes `token` and sends its recorded balance to the
    /// controller (call `gulp` first to include tokens sent to the pool directly). The
    /// token's weight must be back at `MIN_WEIGHT`; a finalized pool keeps at least
    /// `MIN_BOUND_TOKENS`.
    ///
    /// # Errors
    /// [`IndexPoolNotController`], [`IndexPoolNotBound`], [`IndexPoolWeightNotMin`],
    /// [`IndexPoolMinTokens`], token errors, [`IndexPoolReentrantCall`].
    ///
    /// # Events
    /// `TokenUnbound`.
    pub fn unbind_at(&mut self, now: u64, token: Address) -> Result<(), Error> {
        let controller = self.only_controller()?;
        let weight = self.weight_of_at(now, token)?;
        if weight != MIN_WEIGHT {
            return Err(Error::WeightNotMin(IndexPoolWeightNotMin { token, weight }));
        }
        let count = self.tokens.len();
        if self.finalized.get() && count <= MIN_BOUND_TOKENS {
            return Err(min_tokens(count.saturating_sub(1)));
        }
        self.lock.enter()?;
        let (index, balance) = {
            let record = self.records.getter(token);
            (record.index.get(), record.balance.get())
        };
        // `token` is bound, so the list is not empty: move the last token into its place.
        let last = self.tokens.get(count.saturating_sub(1)).unwrap_or_default();
        if let Some(mut slot) = self.tokens.setter(index.to::<u8>()) {
            slot.set(last);
        }
        self.records.setter(last).index.set(index);
        self.tokens.erase_last();
        {
            let mut record = self.records.setter(token);
            record.bound.set(false);
            record.index.set(U8::ZERO);
            record.from_timestamp.set(U64::ZERO);
            record.target_timestamp.set(U64::ZERO);
            record.from_weight.set(U128::ZERO);
            record.target_weight.set(U128::ZERO);
            record.balance.set(U256::ZERO);
        }
        log::emit(&[TokenUnbound::SIGNATURE_HASH, token.into_word()], &[balance]);
        token::safe_transfer(token, controller, balance)?;
        self.lock.exit();
        Ok(())
    }

    /// `finalize()`: mints `INIT_POOL_SUPPLY` shares to the controller and opens joins, exits
    /// and swaps.
    ///
    /// # Errors
    /// [`IndexPoolNotController`], [`IndexPoolFinalized`], [`IndexPoolMinTokens`].
    ///
    /// # Events
    /// `Finalized`, `Transfer`.
    pub fn finalize(&mut self) -> Result<(), Error> {
        let controller = self.only_controller()?;
        if self.finalized.get() {
            return Err(Error::Finalized(IndexPoolFinalized {}));
        }
        let count = self.tokens.len();
        if count < MIN_BOUND_TOKENS {
            return Err(min_tokens(count));
        }
        self.finalized.set(true);
        self.erc20._mint(controller, INIT_POOL_SUPPLY)?;
        log::emit(&[Finalized::SIGNATURE_HASH], &[INIT_POOL_SUPPLY]);
        Ok(())
    }

    /// `setDynamicWeight(token, targetWeight, fromTimestamp, targetTimestamp)` at time `now`:
    /// the weight of `token` moves linearly from its weight at `now` (held until
    /// `fromTimestamp`) to `targetWeight` at `targetTimestamp`.
    ///
    /// # Errors
    /// [`IndexPoolNotController`], [`IndexPoolNotBound`], [`IndexPoolInvalidTimestamps`]
    /// unless `now <= fromTimestamp < targetTimestamp`, [`IndexPoolInvalidWeight`] outside
    /// `[MIN_WEIGHT, MAX_WEIGHT]`, [`IndexPoolWeightRateOutOfBounds`] when the change per
    /// second is outside the pool's bounds, [`IndexPoolMaxTotalWeight`] when the targets
    /// would sum above `MAX_TOTAL_WEIGHT`.
    ///
    /// # Events
    /// `DynamicWeightSet`.
    pub fn set_dynamic_weight_at(
        &mut self,
        now: u64,
        token: Address,
        target_weight: U256,
        from_timestamp: U256,
        target_timestamp: U256,
    ) -> Result<(), Error> {
        self.only_controller()?;
        self.require_bound(token)?;
        self.schedule(now, token, target_weight, from_timestamp, target_timestamp)
    }

    /// `setWeightPerSecondBounds(min, max)`: bounds on a new schedule's change per second.
    ///
    /// # Errors
    /// [`IndexPoolNotController`], [`IndexPoolInvalidWeightPerSecondBounds`] when `min > max`.
    ///
    /// # Events
    /// `WeightPerSecondBoundsSet`.
    pub fn set_weight_per_second_bounds(&mut self, min: U256, max: U256) -> Result<(), Error> {
        self.only_controller()?;
        self.set_weight_per_second_bounds_unchecked(min, max)
    }

    /// `setSwapFee(swapFee)`.
    ///
    /// # Errors
    /// [`IndexPoolNotController`], [`IndexPoolInvalidFee`] outside `[MIN_FEE, MAX_FEE]`.
    ///
    /// # Events
    /// `SwapFeeSet`.
    pub fn set_swap_fee(&mut self, swap_fee: U256) -> Result<(), Error> {
        self.only_controller()?;
        self.set_swap_fee_unchecked(swap_fee)
    }

    /// `setCommunityFeesAndReceiver(swapFee, joinFee, exitFee, receiver)`.
    ///
    /// # Errors
    /// [`IndexPoolNotController`], [`IndexPoolInvalidFee`] above `MAX_FEE`,
    /// [`IndexPoolZeroAddress`] for a zero receiver while a fee is not zero.
    ///
    /// # Events
    /// `CommunityFeesSet`.
    pub fn set_community_fees_and_receiver(
        &mut self,
        swap_fee: U256,
        join_fee: U256,
        exit_fee: U256,
        receiver: Address,
    ) -> Result<(), Error> {
        self.only_controller()?;
        let swap = check_fee(swap_fee, U256::ZERO)?;
        let join = check_fee(join_fee, U256::ZERO)?;
        let exit = check_fee(exit_fee, U256::ZERO)?;
        if receiver.is_zero() && !(swap_fee | join_fee | exit_fee).is_zero() {
            return Err(Error::ZeroAddress(IndexPoolZeroAddress {}));
        }
        self.community_swap_fee.set(swap);
        self.community_join_fee.set(join);
        self.community_exit_fee.set(exit);
        self.community_fee_receiver.set(receiver);
        log::emit(
            &[CommunityFeesSet::SIGNATURE_HASH, receiver.into_word()],
            &[swap_fee, join_fee, exit_fee],
        );
        Ok(())
    }

    /// `setController(controller)`: hands the role over (one step).
    ///
    /// # Errors
    /// [`IndexPoolNotController`], [`IndexPoolZeroAddress`].
    ///
    /// # Events
    /// `ControllerSet`.
    pub fn set_controller(&mut self, controller: Address) -> Result<(), Error> {
        self.only_controller()?;
        self.set_controller_unchecked(controller)
    }

    /// `setSwapsDisabled(disabled)`: disables (`true`) or enables swaps and single-token
    /// joins and exits.
    ///
    /// # Errors
    /// [`IndexPoolNotController`].
    ///
    /// # Events
    /// `SwapsDisabledSet`.
    pub fn set_swaps_disabled(&mut self, disabled: bool) -> Result<(), Error> {
        self.only_controller()?;
        self.swaps_disabled.set(disabled);
        log::emit(&[SwapsDisabledSet::SIGNATURE_HASH], &[disabled.word()]);
        Ok(())
    }

    /// `setWithoutFee(account, withoutFee)`: adds `account` to (`true`) or removes it from
    /// the list of callers that pay no community fees (the swap fee still applies).
    ///
    /// # Errors
    /// [`IndexPoolNotController`].
    ///
    /// # Events
    /// `WithoutFeeSet`.
    pub fn set_without_fee(&mut self, account: Address, without_fee: bool) -> Result<(), Error> {
        self.only_controller()?;
        self.without_fee.setter(account).set(without_fee);
        log::emit(&[WithoutFeeSet::SIGNATURE_HASH, account.into_word()], &[without_fee.word()]);
        Ok(())
    }

    /// `callVoting(target, selector, args, value)`: calls `target` with `selector ++ args`
    /// and `value` wei, which must equal the ETH sent with the call.
    ///
    /// # Errors
    /// [`IndexPoolNotController`], [`IndexPoolVotingNotAllowed`] unless `(target, selector)`
    /// is allow-listed, [`IndexPoolVotingValueMismatch`], [`IndexPoolVotingCallFailed`] when
    /// the call reverts, [`IndexPoolVotingMovedBalance`] when a bound token's real balance
    /// fell below its recorded balance, token errors, [`IndexPoolReentrantCall`].
    ///
    /// # Events
    /// `VotingCalled`.
    pub fn call_voting(
        &mut self,
        target: Address,
        selector: FixedBytes<4>,
        args: &[u8],
        value: U256,
    ) -> Result<(), Error> {
        self.only_controller()?;
        if !self.voting_allowed.getter(target).get(selector) {
            return Err(Error::VotingNotAllowed(IndexPoolVotingNotAllowed { target, selector }));
        }
        let msg_value = env::value();
        if value != msg_value {
            return Err(Error::VotingValueMismatch(IndexPoolVotingValueMismatch {
                value,
                msgValue: msg_value,
            }));
        }
        self.lock.enter()?;
        let mut data = Vec::with_capacity(args.len().saturating_add(4));
        data.extend_from_slice(selector.as_slice());
        data.extend_from_slice(args);
        // VotingCalled(target, selector, args): `args` is dynamic, so the data is its offset
        // (one word), its length, then the bytes zero-padded to a whole word.
        log::emit_bytes(
            &[VotingCalled::SIGNATURE_HASH, target.into_word(), selector_topic(selector)],
            &encode_bytes(args),
        );
        // The lock is held, so the target cannot re-enter a token path; only success
        // matters, so no return data is copied.
        call::call_with_value(target, &data, value, 0)
            .map_err(|_| Error::VotingCallFailed(IndexPoolVotingCallFailed { target, selector }))?;
        let this = env::this();
        for i in 0..self.tokens.len() {
            let token = self.tokens.get(i).unwrap_or_default();
            let recorded = self.records.getter(token).balance.get();
            let balance = token::balance_of(token, this)?;
            if balance < recorded {
                return Err(Error::VotingMovedBalance(IndexPoolVotingMovedBalance {
                    token,
                    balance,
                    recorded,
                }));
            }
        }
        self.lock.exit();
        Ok(())
    }

    /// `setVotingAllowed(target, selector, allowed)`.
    ///
    /// # Errors
    /// [`IndexPoolNotController`], [`IndexPoolVotingSelectorForbidden`] for ERC-20
    /// `transfer`, `transferFrom`, `approve` and `increaseAllowance`.
    ///
    /// # Events
    /// `VotingAllowedSet`.
    pub fn set_voting_allowed(
        &mut self,
        target: Address,
        selector: FixedBytes<4>,
        allowed: bool,
    ) -> Result<(), Error> {
        self.only_controller()?;
        if allowed && FORBIDDEN_VOTING_SELECTORS.contains(&selector.0) {
            return Err(Error::VotingSelectorForbidden(IndexPoolVotingSelectorForbidden {
                selector,
            }));
        }
        self.voting_allowed.setter(target).setter(selector).set(allowed);
        log::emit(
            &[VotingAllowedSet::SIGNATURE_HASH, target.into_word(), selector_topic(selector)],
            &[allowed.word()],
        );
        Ok(())
    }
}

// -------------------------------------------------------------------- joins, exits, swaps
impl IndexPoolState {
    /// `joinPool(poolAmountOut, maxAmountsIn)`: mints exactly `poolAmountOut` shares to the
    /// caller for `⌈B_i · P / S⌉` of every token, where `P` includes the community join fee
    /// minted to the receiver.
    ///
    /// # Errors
    /// [`IndexPoolNotFinalized`], [`IndexPoolZeroAmount`], [`IndexPoolArrayLength`],
    /// [`IndexPoolAmountInAboveMax`], math and token errors, [`IndexPoolReentrantCall`].
    ///
    /// # Events
    /// `Join` per token, `Transfer`, `CommunityFee`.
    pub fn join_pool(
        &mut self,
        pool_amount_out: U256,
        max_amounts_in: &[U256],
    ) -> Result<(), Error> {
        let caller = env::sender();
        self.require_finalized()?;
        self.check_proportional_args(pool_amount_out, max_amounts_in.len())?;
        self.lock.enter()?;
        let fee_rate = self.community_fee(self.community_join_fee.get(), caller);
        let (minted, fee) = gross_up(pool_amount_out, fee_rate)?;
        let supply = self.erc20.total_supply();
        let mut pulls = Vec::with_capacity(max_amounts_in.len());
        for (i, &max_in) in max_amounts_in.iter().enumerate() {
            let token = self.tokens.get(i).unwrap_or_default();
            let mut record = self.records.setter(token);
            let balance = record.balance.get();
            let amount_in = calc_join_token_in(balance, supply, minted)?;
            if amount_in > max_in {
                return Err(amount_in_above_max(amount_in, max_in));
            }
            record.balance.set(balance.checked_add(amount_in).ok_or(MathError::Overflow)?);
            log::emit(&[Join::SIGNATURE_HASH, caller.into_word(), token.into_word()], &[amount_in]);
            pulls.push((token, amount_in));
        }
        self.erc20._mint(caller, pool_amount_out)?;
        self.pay_share_fee(caller, fee, true)?;
        for (token, amount_in) in pulls {
            token::pull_exact(token, caller, amount_in)?;
        }
        self.lock.exit();
        Ok(())
    }

    /// `exitPool(poolAmountIn, minAmountsOut)`: burns the caller's `poolAmountIn` shares
    /// (less the community exit fee, moved to the receiver) for `⌊B_i · P / S⌋` of every token.
    ///
    /// # Errors
    /// [`IndexPoolNotFinalized`], [`IndexPoolZeroAmount`], [`IndexPoolArrayLength`],
    /// [`IndexPoolAmountOutBelowMin`], [`IndexPoolMinBalance`], `ERC20InsufficientBalance`,
    /// math and token errors, [`IndexPoolReentrantCall`].
    ///
    /// # Events
    /// `Exit` per token, `Transfer`, `CommunityFee`.
    pub fn exit_pool(
        &mut self,
        pool_amount_in: U256,
        min_amounts_out: &[U256],
    ) -> Result<(), Error> {
        let caller = env::sender();
        self.require_finalized()?;
        self.check_proportional_args(pool_amount_in, min_amounts_out.len())?;
        self.lock.enter()?;
        let fee_rate = self.community_fee(self.community_exit_fee.get(), caller);
        let (burnt, fee) = split_fee(pool_amount_in, fee_rate)?;
        let supply = self.erc20.total_supply();
        let mut pushes = Vec::with_capacity(min_amounts_out.len());
        for (i, &min_out) in min_amounts_out.iter().enumerate() {
            let token = self.tokens.get(i).unwrap_or_default();
            let mut record = self.records.setter(token);
            let balance = record.balance.get();
            let amount_out = calc_exit_token_out(balance, supply, burnt)?;
            if amount_out < min_out {
                return Err(amount_out_below_min(amount_out, min_out));
            }
            let new_balance = balance.checked_sub(amount_out).ok_or(MathError::Underflow)?;
            check_min_balance(token, new_balance)?;
            record.balance.set(new_balance);
            log::emit(
                &[Exit::SIGNATURE_HASH, caller.into_word(), token.into_word()],
                &[amount_out],
            );
            pushes.push((token, amount_out));
        }
        self.erc20._burn(caller, burnt)?;
        self.pay_share_fee(caller, fee, false)?;
        for (token, amount_out) in pushes {
            token::safe_transfer(token, caller, amount_out)?;
        }
        self.lock.exit();
        Ok(())
    }

    /// `swapExactAmountIn(tokenIn, tokenAmountIn, tokenOut, minAmountOut, maxPrice)` at time
    /// `now`: swaps exactly `tokenAmountIn` (community fee included) for at least
    /// `minAmountOut`. Returns the amount out and the spot price after.
    ///
    /// # Errors
    /// [`IndexPoolNotFinalized`], [`IndexPoolSwapsDisabled`], [`IndexPoolZeroAmount`],
    /// [`IndexPoolSameToken`], [`IndexPoolNotBound`], [`IndexPoolMaxInRatio`],
    /// [`IndexPoolMaxOutRatio`], [`IndexPoolAmountOutBelowMin`], [`IndexPoolMinBalance`],
    /// [`IndexPoolSpotPriceAboveMax`], [`IndexPoolSpotPriceDecreased`],
    /// [`IndexPoolPriceBelowSpot`], math and token errors, [`IndexPoolReentrantCall`].
    ///
    /// # Events
    /// `Swap`, `CommunityFee`.
    pub fn swap_exact_amount_in_at(
        &mut self,
        now: u64,
        token_in: Address,
        token_amount_in: U256,
        token_out: Address,
        min_amount_out: U256,
        max_price: U256,
    ) -> Result<(U256, U256), Error> {
        let caller = env::sender();
        let state = self.swap_state_at(now, token_in, token_out, token_amount_in, max_price)?;
        let fee_rate = self.community_fee(self.community_swap_fee.get(), caller);
        let (amount_in, fee) = split_fee(token_amount_in, fee_rate)?;
        check_in_ratio(state.balance_in, amount_in)?;
        let amount_out = self.call_math(
            math_abi::calcOutGivenInCall::SELECTOR,
            [
                state.balance_in,
                state.weight_in,
                state.balance_out,
                state.weight_out,
                amount_in,
                state.swap_fee,
            ],
        )?;
        if amount_out < min_amount_out {
            return Err(amount_out_below_min(amount_out, min_amount_out));
        }
        let spot_after = self.settle_swap(
            caller, &state, token_in, token_out, amount_in, amount_out, fee, max_price,
        )?;
        Ok((amount_out, spot_after))
    }

    /// `swapExactAmountOut(tokenIn, maxAmountIn, tokenOut, tokenAmountOut, maxPrice)` at time
    /// `now`: swaps at most `maxAmountIn` (community fee included) for exactly
    /// `tokenAmountOut`. Returns the amount paid and the spot price after.
    ///
    /// # Errors
    /// As [`Self::swap_exact_amount_in_at`], with [`IndexPoolAmountInAboveMax`] for the limit.
    ///
    /// # Events
    /// `Swap`, `CommunityFee`.
    pub fn swap_exact_amount_out_at(
        &mut self,
        now: u64,
        token_in: Address,
        max_amount_in: U256,
        token_out: Address,
        token_amount_out: U256,
        max_price: U256,
    ) -> Result<(U256, U256), Error> {
        let caller = env::sender();
        let state = self.swap_state_at(now, token_in, token_out, token_amount_out, max_price)?;
        check_out_ratio(state.balance_out, token_amount_out)?;
        let amount_in = self.call_math(
            math_abi::calcInGivenOutCall::SELECTOR,
            [
                state.balance_in,
                state.weight_in,
                state.balance_out,
                state.weight_out,
                token_amount_out,
                state.swap_fee,
            ],
        )?;
        let fee_rate = self.community_fee(self.community_swap_fee.get(), caller);
        let (paid, fee) = gross_up(amount_in, fee_rate)?;
        if paid > max_amount_in {
            return Err(amount_in_above_max(paid, max_amount_in));
        }
        let spot_after = self.settle_swap(
            caller,
            &state,
            token_in,
            token_out,
            amount_in,
            token_amount_out,
            fee,
            max_price,
        )?;
        Ok((paid, spot_after))
    }

    /// `joinswapExternAmountIn(tokenIn, tokenAmountIn, minPoolAmountOut)` at time `now`:
    /// deposits exactly `tokenAmountIn` for at least `minPoolAmountOut` shares (after the
    /// community join fee). Returns the caller's shares.
    ///
    /// # Errors
    /// [`IndexPoolNotFinalized`], [`IndexPoolSwapsDisabled`], [`IndexPoolZeroAmount`],
    /// [`IndexPoolNotBound`], [`IndexPoolMaxInRatio`], [`IndexPoolAmountOutBelowMin`], math
    /// and token errors, [`IndexPoolReentrantCall`].
    ///
    /// # Events
    /// `Join`, `Transfer`, `CommunityFee`.
    pub fn joinswap_extern_amount_in_at(
        &mut self,
        now: u64,
        token_in: Address,
        token_amount_in: U256,
        min_pool_amount_out: U256,
    ) -> Result<U256, Error> {
        let caller = env::sender();
        let state = self.single_state_at(now, token_in, token_amount_in)?;
        check_in_ratio(state.balance, token_amount_in)?;
        let minted =
            self.call_math(math_abi::calcPoolOutGivenSingleInCall::SELECTOR, state.args)?;
        let fee_rate = self.community_fee(self.community_join_fee.get(), caller);
        let (pool_amount_out, fee) = split_fee(minted, fee_rate)?;
        if pool_amount_out < min_pool_amount_out {
            return Err(amount_out_below_min(pool_amount_out, min_pool_amount_out));
        }
        self.settle_single_join(
            caller,
            token_in,
            state.balance,
            token_amount_in,
            pool_amount_out,
            fee,
        )?;
        Ok(pool_amount_out)
    }

    /// `joinswapPoolAmountOut(tokenIn, poolAmountOut, maxAmountIn)` at time `now`: mints
    /// exactly `poolAmountOut` shares to the caller for at most `maxAmountIn`. Returns the
    /// amount paid.
    ///
    /// # Errors
    /// As [`Self::joinswap_extern_amount_in_at`], with [`IndexPoolAmountInAboveMax`] for the
    /// limit.
    ///
    /// # Events
    /// `Join`, `Transfer`, `CommunityFee`.
    pub fn joinswap_pool_amount_out_at(
        &mut self,
        now: u64,
        token_in: Address,
        pool_amount_out: U256,
        max_amount_in: U256,
    ) -> Result<U256, Error> {
        let caller = env::sender();
        let fee_rate = self.community_fee(self.community_join_fee.get(), caller);
        let (minted, fee) = gross_up(pool_amount_out, fee_rate)?;
        let state = self.single_state_at(now, token_in, minted)?;
        let amount_in =
            self.call_math(math_abi::calcSingleInGivenPoolOutCall::SELECTOR, state.args)?;
        if amount_in > max_amount_in {
            return Err(amount_in_above_max(amount_in, max_amount_in));
        }
        check_in_ratio(state.balance, amount_in)?;
        self.settle_single_join(caller, token_in, state.balance, amount_in, pool_amount_out, fee)?;
        Ok(amount_in)
    }

    /// `exitswapPoolAmountIn(tokenOut, poolAmountIn, minAmountOut)` at time `now`: burns
    /// exactly `poolAmountIn` of the caller's shares (community exit fee included) for at
    /// least `minAmountOut`. Returns the amount out.
    ///
    /// # Errors
    /// [`IndexPoolNotFinalized`], [`IndexPoolSwapsDisabled`], [`IndexPoolZeroAmount`],
    /// [`IndexPoolNotBound`], [`IndexPoolMaxOutRatio`], [`IndexPoolAmountOutBelowMin`],
    /// [`IndexPoolMinBalance`], `ERC20InsufficientBalance`, math and token errors,
    /// [`IndexPoolReentrantCall`].
    ///
    /// # Events
    /// `Exit`, `Transfer`, `CommunityFee`.
    pub fn exitswap_pool_amount_in_at(
        &mut self,
        now: u64,
        token_out: Address,
        pool_amount_in: U256,
        min_amount_out: U256,
    ) -> Result<U256, Error> {
        let caller = env::sender();
        let fee_rate = self.community_fee(self.community_exit_fee.get(), caller);
        let (burnt, fee) = split_fee(pool_amount_in, fee_rate)?;
        let state = self.single_state_at(now, token_out, burnt)?;
        let amount_out =
            self.call_math(math_abi::calcSingleOutGivenPoolInCall::SELECTOR, state.args)?;
        check_out_ratio(state.balance, amount_out)?;
        if amount_out < min_amount_out {
            return Err(amount_out_below_min(amount_out, min_amount_out));
        }
        self.settle_single_exit(caller, token_out, state.balance, amount_out, burnt, fee)?;
        Ok(amount_out)
    }

    /// `exitswapExternAmountOut(tokenOut, tokenAmountOut, maxPoolAmountIn)` at time `now`:
    /// withdraws exactly `tokenAmountOut` for at most `maxPoolAmountIn` of the caller's shares
    /// (community exit fee included). Returns the shares paid.
    ///
    /// # Errors
    /// As [`Self::exitswap_pool_amount_in_at`], with [`IndexPoolAmountInAboveMax`] for the
    /// limit.
    ///
    /// # Events
    /// `Exit`, `Transfer`, `CommunityFee`.
    pub fn exitswap_extern_amount_out_at(
        &mut self,
        now: u64,
        token_out: Address,
        token_amount_out: U256,
        max_pool_amount_in: U256,
    ) -> Result<U256, Error> {
        let caller = env::sender();
        let state = self.single_state_at(now, token_out, token_amount_out)?;
        check_out_ratio(state.balance, token_amount_out)?;
        let burnt = self.call_math(math_abi::calcPoolInGivenSingleOutCall::SELECTOR, state.args)?;
        let fee_rate = self.community_fee(self.community_exit_fee.get(), caller);
        let (pool_amount_in, fee) = gross_up(burnt, fee_rate)?;
        if pool_amount_in > max_pool_amount_in {
            return Err(amount_in_above_max(pool_amount_in, max_pool_amount_in));
        }
        self.settle_single_exit(caller, token_out, state.balance, token_amount_out, burnt, fee)?;
        Ok(pool_amount_in)
    }

    /// `gulp(token)`: raises `token`'s recorded balance to the pool's real balance (tokens
    /// sent to the pool directly become LP value). Never lowers it.
    ///
    /// # Errors
    /// [`IndexPoolNotBound`], token errors, [`IndexPoolReentrantCall`].
    ///
    /// # Events
    /// `Gulped` with the resulting recorded balance.
    pub fn gulp(&mut self, token: Address) -> Result<(), Error> {
        self.require_bound(token)?;
        self.lock.enter()?;
        let real = token::balance_of(token, env::this())?;
        let mut record = self.records.setter(token);
        let balance = record.balance.get().max(real);
        record.balance.set(balance);
        log::emit(&[Gulped::SIGNATURE_HASH, token.into_word()], &[balance]);
        self.lock.exit();
        Ok(())
    }
}

// -------------------------------------------------------------------- views
impl IndexPoolState {
    /// Bound tokens, in binding order (an unbind moves the last token into the gap).
    pub fn current_tokens(&self) -> Vec<Address> {
        (0..self.tokens.len()).map(|i| self.tokens.get(i).unwrap_or_default()).collect()
    }

    /// Whether `token` is bound.
    pub fn is_bound(&self, token: Address) -> bool {
        self.records.getter(token).bound.get()
    }

    /// Whether the pool is finalized.
    pub fn is_finalized(&self) -> bool {
        self.finalized.get()
    }

    /// Whether swaps are disabled.
    pub fn is_swaps_disabled(&self) -> bool {
        self.swaps_disabled.get()
    }

    /// The controller.
    pub fn controller(&self) -> Address {
        self.controller.get()
    }

    /// Recorded balance of `token`.
    ///
    /// # Errors
    /// [`IndexPoolNotBound`].
    pub fn recorded_balance(&self, token: Address) -> Result<U256, Error> {
        self.require_bound(token)?;
        Ok(self.records.getter(token).balance.get())
    }

    /// `token`'s schedule: `(fromTimestamp, targetTimestamp, fromWeight, targetWeight)`.
    ///
    /// # Errors
    /// [`IndexPoolNotBound`].
    pub fn dynamic_weight_settings(
        &self,
        token: Address,
    ) -> Result<(U256, U256, U256, U256), Error> {
        self.require_bound(token)?;
        let record = self.records.getter(token);
        Ok((
            U256::from(record.from_timestamp.get().to::<u64>()),
            U256::from(record.target_timestamp.get().to::<u64>()),
            U256::from(record.from_weight.get().to::<u128>()),
            U256::from(record.target_weight.get().to::<u128>()),
        ))
    }

    /// Swap fee (WAD).
    pub fn swap_fee(&self) -> U256 {
        U256::from(self.swap_fee.get().to::<u64>())
    }

    /// Community fees on swaps, joins and exits (WAD) and their receiver.
    pub fn community_fees(&self) -> (U256, U256, U256, Address) {
        (
            U256::from(self.community_swap_fee.get().to::<u64>()),
            U256::from(self.community_join_fee.get().to::<u64>()),
            U256::from(self.community_exit_fee.get().to::<u64>()),
            self.community_fee_receiver.get(),
        )
    }

    /// Whether `account` pays no community fees.
    pub fn is_without_fee(&self, account: Address) -> bool {
        self.without_fee.get(account)
    }

    /// Bounds on a new schedule's weight change per second: `(min, max)`.
    pub fn weight_per_second_bounds(&self) -> (U256, U256) {
        (self.min_weight_per_second.get(), self.max_weight_per_second.get())
    }

    /// Whether `selector` on `target` is allow-listed for `callVoting`.
    pub fn is_voting_allowed(&self, target: Address, selector: FixedBytes<4>) -> bool {
        self.voting_allowed.getter(target).get(selector)
    }

    /// `token`'s denormalized weight at time `now`.
    ///
    /// # Errors
    /// [`IndexPoolNotBound`], math errors.
    pub fn weight_of_at(&self, now: u64, token: Address) -> Result<U256, Error> {
        self.require_bound(token)?;
        self.weight_at(now, token)
    }

    /// Sum of the denormalized weights at time `now`.
    ///
    /// # Errors
    /// Math errors.
    pub fn total_weight_at(&self, now: u64) -> Result<U256, Error> {
        let mut total = U256::ZERO;
        for i in 0..self.tokens.len() {
            let weight = self.weight_at(now, self.tokens.get(i).unwrap_or_default())?;
            total = total.checked_add(weight).ok_or(MathError::Overflow)?;
        }
        Ok(total)
    }

    /// `token`'s normalized weight at time `now`, rounded down (WAD).
    ///
    /// # Errors
    /// [`IndexPoolNotBound`], math errors.
    pub fn normalized_weight_at(&self, now: u64, token: Address) -> Result<U256, Error> {
        let weight = self.weight_of_at(now, token)?;
        Ok(wad_div_down(weight, self.total_weight_at(now)?)?)
    }

    /// Spot price of `tokenOut` in `tokenIn` at time `now`, swap fee included, rounded up.
    ///
    /// # Errors
    /// [`IndexPoolNotBound`], math errors.
    pub fn spot_price_at(
        &self,
        now: u64,
        token_in: Address,
        token_out: Address,
    ) -> Result<U256, Error> {
        let weight_in = self.weight_of_at(now, token_in)?;
        let weight_out = self.weight_of_at(now, token_out)?;
        Ok(calc_spot_price(
            self.records.getter(token_in).balance.get(),
            weight_in,
            self.records.getter(token_out).balance.get(),
            weight_out,
            self.swap_fee(),
        )?)
    }
}

// -------------------------------------------------------------------- private helpers
impl IndexPoolState {
    fn only_controller(&self) -> Result<Address, Error> {
        let caller = env::sender();
        if caller != self.controller.get() {
            return Err(Error::NotController(IndexPoolNotController { caller }));
        }
        Ok(caller)
    }

    fn require_bound(&self, token: Address) -> Result<(), Error> {
        if !self.records.getter(token).bound.get() {
            return Err(Error::NotBound(IndexPoolNotBound { token }));
        }
        Ok(())
    }

    fn require_finalized(&self) -> Result<(), Error> {
        if !self.finalized.get() {
            return Err(Error::NotFinalized(IndexPoolNotFinalized {}));
        }
        Ok(())
    }

    /// Swaps and single-token joins/exits: finalized, swaps enabled, a non-zero amount.
    fn require_swaps(&self, amount: U256) -> Result<(), Error> {
        self.require_finalized()?;
        if self.swaps_disabled.get() {
            return Err(Error::SwapsDisabled(IndexPoolSwapsDisabled {}));
        }
        if amount.is_zero() {
            return Err(Error::ZeroAmount(IndexPoolZeroAmount {}));
        }
        Ok(())
    }

    fn check_proportional_args(&self, pool_amount: U256, length: usize) -> Result<(), Error> {
        if pool_amount.is_zero() {
            return Err(Error::ZeroAmount(IndexPoolZeroAmount {}));
        }
        let count = self.tokens.len();
        if length != count {
            return Err(Error::ArrayLength(IndexPoolArrayLength {
                length: U256::from(length),
                expected: U256::from(count),
            }));
        }
        Ok(())
    }

    /// The community fee rate `rate` for `caller`: zero on the no-fee list.
    fn community_fee(&self, rate: U64, caller: Address) -> U256 {
        if self.without_fee.get(caller) {
            U256::ZERO
        } else {
            U256::from(rate.to::<u64>())
        }
    }

    /// Weight of a bound `token` at `now` (see the module doc).
    fn weight_at(&self, now: u64, token: Address) -> Result<U256, Error> {
        let record = self.records.getter(token);
        let from_weight = record.from_weight.get().to::<u128>();
        let target_weight = record.target_weight.get().to::<u128>();
        let from_timestamp = record.from_timestamp.get().to::<u64>();
        let target_timestamp = record.target_timestamp.get().to::<u64>();
        if now <= from_timestamp {
            return Ok(U256::from(from_weight));
        }
        if now >= target_timestamp {
            return Ok(U256::from(target_weight));
        }
        // from_timestamp < now < target_timestamp: both differences are positive.
        let elapsed = U256::from(now.saturating_sub(from_timestamp));
        let duration = U256::from(target_timestamp.saturating_sub(from_timestamp));
        let delta =
            mul_div_down(U256::from(target_weight.abs_diff(from_weight)), elapsed, duration)?;
        // delta <= |target - from|, so the result lies between the two weights.
        let (from_weight, target_weight) = (U256::from(from_weight), U256::from(target_weight));
        Ok(if target_weight >= from_weight {
            from_weight.saturating_add(delta)
        } else {
            from_weight.saturating_sub(delta)
        })
    }

    /// Validates and writes a schedule for a bound `token` starting from its weight at `now`.
    fn schedule(
        &mut self,
        now: u64,
        token: Address,
        target_weight: U256,
        from_timestamp: U256,
        target_timestamp: U256,
    ) -> Result<(), Error> {
        let invalid_timestamps = || {
            Error::InvalidTimestamps(IndexPoolInvalidTimestamps {
                fromTimestamp: from_timestamp,
                targetTimestamp: target_timestamp,
                now: U256::from(now),
            })
        };
        let from = u64::try_from(from_timestamp).map_err(|_| invalid_timestamps())?;
        let target = u64::try_from(target_timestamp).map_err(|_| invalid_timestamps())?;
        if from < now || target <= from {
            return Err(invalid_timestamps());
        }
        if target_weight < MIN_WEIGHT || target_weight > MAX_WEIGHT {
            return Err(Error::InvalidWeight(IndexPoolInvalidWeight { weight: target_weight }));
        }
        let current = self.weight_at(now, token)?;
        // Both weights are at most MAX_WEIGHT < 2^66.
        let delta = target_weight.abs_diff(current).to::<u128>();
        // target > from, so the duration is positive.
        let duration = u128::from(target.saturating_sub(from));
        let min_rate = self.min_weight_per_second.get();
        let max_rate = self.max_weight_per_second.get();
        // The exact rate delta / duration must lie in [min, max]: for integer bounds that is
        // ⌊delta / duration⌋ >= min and ⌈delta / duration⌉ <= max.
        let floor_rate = delta.checked_div(duration).ok_or(MathError::DivisionByZero)?;
        let exact = delta.checked_rem(duration) == Some(0);
        let ceil_rate = if exact { floor_rate } else { floor_rate.saturating_add(1) };
        if U256::from(floor_rate) < min_rate || U256::from(ceil_rate) > max_rate {
            return Err(Error::WeightRateOutOfBounds(IndexPoolWeightRateOutOfBounds {
                delta: U256::from(delta),
                duration: U256::from(duration),
                minPerSecond: min_rate,
                maxPerSecond: max_rate,
            }));
        }
        let mut total = target_weight;
        for i in 0..self.tokens.len() {
            let other = self.tokens.get(i).unwrap_or_default();
            if other != token {
                let weight =
                    U256::from(self.records.getter(other).target_weight.get().to::<u128>());
                // At most 21 targets of at most MAX_WEIGHT each: no overflow.
                total = total.saturating_add(weight);
            }
        }
        if total > MAX_TOTAL_WEIGHT {
            return Err(Error::MaxTotalWeight(IndexPoolMaxTotalWeight {
                total,
                max: MAX_TOTAL_WEIGHT,
            }));
        }
        let mut record = self.records.setter(token);
        record.from_weight.set(to_u128(current));
        record.target_weight.set(to_u128(target_weight));
        record.from_timestamp.set(U64::from(from));
        record.target_timestamp.set(U64::from(target));
        log::emit(
            &[DynamicWeightSet::SIGNATURE_HASH, token.into_word()],
            &[from_timestamp, target_timestamp, current, target_weight],
        );
        Ok(())
    }

    /// Calls a six-argument function of the math library (a static call).
    fn call_math(&self, selector: [u8; 4], args: [U256; 6]) -> Result<U256, Error> {
        let math = self.math.get();
        let failed = Error::Math(IndexPoolMath { code: MATH_CALL_FAILED });
        if !env::has_code(math) {
            return Err(failed);
        }
        // 37 bytes tell every answer apart: a word (32), the library's error (36), or other.
        match call::call(math, &encode(&selector, &args), true, 37) {
            Ok(ret) if ret.len() == 32 => Ok(U256::from_be_slice(&ret)),
            Err(ret)
                if ret.len() == 36 && ret.starts_with(&math_abi::WeightedMathError::SELECTOR) =>
            {
                Err(Error::Math(IndexPoolMath { code: ret.last().copied().unwrap_or_default() }))
            }
            _ => Err(failed),
        }
    }

    fn swap_state_at(
        &self,
        now: u64,
        token_in: Address,
        token_out: Address,
        amount: U256,
        max_price: U256,
    ) -> Result<SwapState, Error> {
        self.require_swaps(amount)?;
        if token_in == token_out {
            return Err(Error::SameToken(IndexPoolSameToken { token: token_in }));
        }
        let weight_in = self.weight_of_at(now, token_in)?;
        let weight_out = self.weight_of_at(now, token_out)?;
        let balance_in = self.records.getter(token_in).balance.get();
        let balance_out = self.records.getter(token_out).balance.get();
        let swap_fee = self.swap_fee();
        let spot_price_before =
            calc_spot_price(balance_in, weight_in, balance_out, weight_out, swap_fee)?;
        if spot_price_before > max_price {
            return Err(spot_above_max(spot_price_before, max_price));
        }
        Ok(SwapState {
            balance_in,
            weight_in,
            balance_out,
            weight_out,
            swap_fee,
            spot_price_before,
        })
    }

    /// Checks a computed swap, writes the balances, emits, then moves the tokens: the
    /// community fee from the caller to the receiver, `amount_in` into the pool (exactly),
    /// `amount_out` to the caller. Returns the spot price after.
    #[allow(clippy::too_many_arguments)]
    fn settle_swap(
        &mut self,
        caller: Address,
        state: &SwapState,
        token_in: Address,
        token_out: Address,
        amount_in: U256,
        amount_out: U256,
        fee: U256,
        max_price: U256,
    ) -> Result<U256, Error> {
        check_out_ratio(state.balance_out, amount_out)?;
        check_in_ratio(state.balance_in, amount_in)?;
        let balance_in = state.balance_in.checked_add(amount_in).ok_or(MathError::Overflow)?;
        let balance_out = state.balance_out.checked_sub(amount_out).ok_or(MathError::Underflow)?;
        check_min_balance(token_out, balance_out)?;
        let spot_after = calc_spot_price(
            balance_in,
            state.weight_in,
            balance_out,
            state.weight_out,
            state.swap_fee,
        )?;
        check_swap_prices(state.spot_price_before, spot_after, amount_in, amount_out, max_price)?;
        self.lock.enter()?;
        self.records.setter(token_in).balance.set(balance_in);
        self.records.setter(token_out).balance.set(balance_out);
        log::emit(
            &[
                Swap::SIGNATURE_HASH,
                caller.into_word(),
                token_in.into_word(),
                token_out.into_word(),
            ],
            &[amount_in, amount_out],
        );
        if !fee.is_zero() {
            log::emit(
                &[CommunityFee::SIGNATURE_HASH, caller.into_word(), token_in.into_word()],
                &[fee],
            );
            token::safe_transfer_from(token_in, caller, self.community_fee_receiver.get(), fee)?;
        }
        token::pull_exact(token_in, caller, amount_in)?;
        token::safe_transfer(token_out, caller, amount_out)?;
        self.lock.exit();
        Ok(spot_after)
    }

    fn single_state_at(
        &self,
        now: u64,
        token: Address,
        amount: U256,
    ) -> Result<SingleState, Error> {
        self.require_swaps(amount)?;
        let weight = self.weight_of_at(now, token)?;
        let balance = self.records.getter(token).balance.get();
        Ok(SingleState {
            balance,
            args: [
                balance,
                weight,
                self.erc20.total_supply(),
                self.total_weight_at(now)?,
                amount,
                self.swap_fee(),
            ],
        })
    }

    fn settle_single_join(
        &mut self,
        caller: Address,
        token: Address,
        balance: U256,
        amount_in: U256,
        pool_amount_out: U256,
        fee: U256,
    ) -> Result<(), Error> {
        self.lock.enter()?;
        let new_balance = balance.checked_add(amount_in).ok_or(MathError::Overflow)?;
        self.records.setter(token).balance.set(new_balance);
        log::emit(&[Join::SIGNATURE_HASH, caller.into_word(), token.into_word()], &[amount_in]);
        self.erc20._mint(caller, pool_amount_out)?;
        self.pay_share_fee(caller, fee, true)?;
        token::pull_exact(token, caller, amount_in)?;
        self.lock.exit();
        Ok(())
    }

    fn settle_single_exit(
        &mut self,
        caller: Address,
        token: Address,
        balance: U256,
        amount_out: U256,
        burnt: U256,
        fee: U256,
    ) -> Result<(), Error> {
        let new_balance = balance.checked_sub(amount_out).ok_or(MathError::Underflow)?;
        check_min_balance(token, new_balance)?;
        self.lock.enter()?;
        self.records.setter(token).balance.set(new_balance);
        log::emit(&[Exit::SIGNATURE_HASH, caller.into_word(), token.into_word()], &[amount_out]);
        self.erc20._burn(caller, burnt)?;
        self.pay_share_fee(caller, fee, false)?;
        token::safe_transfer(token, caller, amount_out)?;
        self.lock.exit();
        Ok(())
    }

    /// Pays a community fee in shares: minted to the receiver on joins, moved from the
    /// caller to the receiver on exits.
    fn pay_share_fee(&mut self, caller: Address, fee: U256, mint: bool) -> Result<(), Error> {
        if fee.is_zero() {
            return Ok(());
        }
        let receiver = self.community_fee_receiver.get();
        if mint {
            self.erc20._mint(receiver, fee)?;
        } else {
            self.erc20._update(caller, receiver, fee)?;
        }
        log::emit(
            &[CommunityFee::SIGNATURE_HASH, caller.into_word(), env::this().into_word()],
            &[fee],
        );
        Ok(())
    }

    fn set_controller_unchecked(&mut self, controller: Address) -> Result<(), Error> {
        if controller.is_zero() {
            return Err(Error::ZeroAddress(IndexPoolZeroAddress {}));
        }
        let previous = self.controller.get();
        self.controller.set(controller);
        log::emit(
            &[ControllerSet::SIGNATURE_HASH, previous.into_word(), controller.into_word()],
            &[],
        );
        Ok(())
    }

    fn set_weight_per_second_bounds_unchecked(
        &mut self,
        min: U256,
        max: U256,
    ) -> Result<(), Error> {
        if min > max {
            return Err(Error::InvalidWeightPerSecondBounds(
                IndexPoolInvalidWeightPerSecondBounds {
                    minWeightPerSecond: min,
                    maxWeightPerSecond: max,
                },
            ));
        }
        self.min_weight_per_second.set(min);
        self.max_weight_per_second.set(max);
        log::emit(&[WeightPerSecondBoundsSet::SIGNATURE_HASH], &[min, max]);
        Ok(())
    }

    fn set_swap_fee_unchecked(&mut self, swap_fee: U256) -> Result<(), Error> {
        let fee = check_fee(swap_fee, MIN_FEE)?;
        self.swap_fee.set(fee);
        log::emit(&[SwapFeeSet::SIGNATURE_HASH], &[swap_fee]);
        Ok(())
    }
}

/// An indexed `bytes4` topic: the value left-aligned in the word.
fn selector_topic(selector: FixedBytes<4>) -> B256 {
    B256::right_padding_from(selector.as_slice())
}

/// Checks `min <= fee <= MAX_FEE` and narrows it for storage.
fn check_fee(fee: U256, min: U256) -> Result<U64, Error> {
    if fee < min || fee > MAX_FEE {
        return Err(Error::InvalidFee(IndexPoolInvalidFee { fee, min, max: MAX_FEE }));
    }
    // fee <= MAX_FEE = 1e17 < 2^64.
    Ok(U64::saturating_from(fee))
}

/// A weight validated to be at most `MAX_WEIGHT` < 2^66, narrowed for storage.
fn to_u128(weight: U256) -> U128 {
    U128::saturating_from(weight)
}

/// Splits a gross amount into what the pool uses and the community fee `⌈amount · rate⌉`.
///
/// # Errors
/// Math errors.
pub fn split_fee(amount: U256, rate: U256) -> Result<(U256, U256), Error> {
    let fee = wad_mul_up(amount, rate)?;
    // rate <= MAX_FEE < 1, so fee <= amount.
    Ok((amount.checked_sub(fee).ok_or(MathError::Underflow)?, fee))
}

/// Grosses a net amount up by the community fee: `gross = ⌈net / (1 - rate)⌉`, returning
/// `(gross, gross - net)`. [`split_fee`] of `gross` leaves at least `net`.
///
/// # Errors
/// Math errors.
pub fn gross_up(net: U256, rate: U256) -> Result<(U256, U256), Error> {
    if rate.is_zero() {
        return Ok((net, U256::ZERO));
    }
    let gross = wad_div_up(net, complement(rate))?;
    Ok((gross, gross.checked_sub(net).ok_or(MathError::Underflow)?))
}

fn check_in_ratio(balance: U256, amount_in: U256) -> Result<(), Error> {
    let limit = wad_mul_down(balance, MAX_IN_RATIO)?;
    if amount_in > limit {
        return Err(Error::MaxInRatio(IndexPoolMaxInRatio { amountIn: amount_in, limit }));
    }
    Ok(())
}

fn check_out_ratio(balance: U256, amount_out: U256) -> Result<(), Error> {
    let limit = wad_mul_down(balance, MAX_OUT_RATIO)?;
    if amount_out > limit {
        return Err(Error::MaxOutRatio(IndexPoolMaxOutRatio { amountOut: amount_out, limit }));
    }
    Ok(())
}

fn check_min_balance(token: Address, balance: U256) -> Result<(), Error> {
    if balance < MIN_BALANCE {
        return Err(Error::MinBalance(IndexPoolMinBalance { token, balance, min: MIN_BALANCE }));
    }
    Ok(())
}

/// The price checks of a swap: the spot price must not fall, must stay within `max_price`,
/// and the trade's price `amount_in / amount_out` (rounded down, the strict side) must not
/// be below the spot price before. The first and last guard against math approximation;
/// with the pool-favouring math they hold for every accepted trade except one that pays out
/// nothing, which the last check rejects.
///
/// # Errors
/// [`IndexPoolSpotPriceDecreased`], [`IndexPoolSpotPriceAboveMax`],
/// [`IndexPoolPriceBelowSpot`], math errors.
pub fn check_swap_prices(
    spot_before: U256,
    spot_after: U256,
    amount_in: U256,
    amount_out: U256,
    max_price: U256,
) -> Result<(), Error> {
    if spot_after < spot_before {
        return Err(Error::SpotPriceDecreased(IndexPoolSpotPriceDecreased {
            spotPriceBefore: spot_before,
            spotPriceAfter: spot_after,
        }));
    }
    if spot_after > max_price {
        return Err(spot_above_max(spot_after, max_price));
    }
    if amount_out.is_zero() || spot_before > wad_div_down(amount_in, amount_out)? {
        return Err(Error::PriceBelowSpot(IndexPoolPriceBelowSpot {
            spotPriceBefore: spot_before,
            amountIn: amount_in,
            amountOut: amount_out,
        }));
    }
    Ok(())
}

fn spot_above_max(spot_price: U256, max_price: U256) -> Error {
    Error::SpotPriceAboveMax(IndexPoolSpotPriceAboveMax {
        spotPrice: spot_price,
        maxPrice: max_price,
    })
}

fn amount_in_above_max(amount_in: U256, max_amount_in: U256) -> Error {
    Error::AmountInAboveMax(IndexPoolAmountInAboveMax {
        amountIn: amount_in,
        maxAmountIn: max_amount_in,
    })
}

fn amount_out_below_min(amount_out: U256, min_amount_out: U256) -> Error {
    Error::AmountOutBelowMin(IndexPoolAmountOutBelowMin {
        amountOut: amount_out,
        minAmountOut: min_amount_out,
    })
}

fn min_tokens(count: usize) -> Error {
    Error::MinTokens(IndexPoolMinTokens {
        count: U256::from(count),
        min: U256::from(MIN_BOUND_TOKENS),
    })
}

/// The bytes of a zero-padded `bytes32` up to its first zero byte.
fn unpad(bytes: FixedBytes<32>) -> Vec<u8> {
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(32);
    bytes.get(..len).map(<[u8]>::to_vec).unwrap_or_default()
}

/// A zero-padded `bytes32` as text (lossy for invalid UTF-8; the deployer chooses the bytes).
fn padded_to_string(bytes: FixedBytes<32>) -> String {
    String::from_utf8_lossy(&unpad(bytes)).into_owned()
}

/// Forwards the current call to `target` by `DELEGATECALL` and returns its result as is
/// (return data on success, revert data on failure): how `IndexPool` reaches its swaps,
/// liquidity and admin parts. `msg.sender`, `msg.value` and storage stay the pool's.
///
/// # Errors
/// The target's revert data.
#[cfg(target_arch = "wasm32")]
pub fn delegate(target: Address, calldata: &[u8]) -> stylus_sdk::ArbResult {
    // SAFETY: `target` is one of the pool's own parts, fixed at construction, built from this
    // crate with the same storage layout; the storage cache is flushed and cleared first so
    // the target reads current values and this frame re-reads whatever it writes.
    unsafe {
        stylus_sdk::call::RawCall::new_delegate().clear_storage_cache().call(target, calldata)
    }
}

#[cfg(test)]
mod tests;
