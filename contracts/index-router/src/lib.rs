//! # `IndexRouter` — one-token entry and exit, and multi-hop swaps, across index pools
//!
//! The user-facing entry to the Index system. It holds no funds, no owner and no per-user
//! state: each call pulls what the user pays, wraps it into pi-tokens where the pool holds
//! the wrapper, trades with the pools, unwraps what comes out, pays the user, and leaves the
//! router with nothing (every allowance it grants is exact and is spent in the same call).
//!
//! | function | what |
//! |---|---|
//! | `joinWithToken(pool, tokenIn, amountIn, minPoolAmountOut, deadline)` | wrap `tokenIn` if the pool holds its pi-token, then `joinswapExternAmountIn` |
//! | `exitToToken(pool, poolAmountIn, tokenOut, minAmountOut, deadline)` | `exitswapPoolAmountIn`, then unwrap |
//! | `joinAll(pool, poolAmountOut, maxAmountsIn[], deadline)` | `joinPool`, paying pi-tokens in underlying (`mint` of the exact pi) |
//! | `exitAll(pool, poolAmountIn, minAmountsOut[], deadline)` | `exitPool`, unwrapping every pi-token |
//! | `swapExactIn(pools[], path[], amountIn, minAmountOut, recipient, deadline)` | hop `i` swaps `path[i]` for `path[i + 1]` in `pools[i]` |
//! | `swapExactOut(pools[], path[], amountOut, maxAmountIn, recipient, deadline)` | the same route, exact output |
//! | `quote*`, `wrapperUnderlying` | answered by the lens (forwarded) |
//!
//! The spec's `Route[] hops` is the path form here (`pools[i]` trades `path[i]` for
//! `path[i + 1]`), the Uniswap v2 convention: the project's ABI export has no structs.
//!
//! ## Two contracts
//!
//! The router measured 28 KiB compressed as one contract, over Stylus' 24 KiB limit, so it
//! is split along the quote seam: this contract executes; `index-router-lens` (fixed at
//! construction, stateless and ownerless) recognises pi-tokens, computes every quote and
//! plans what the router executes (`resolve`, `planRoute`, `planSwapExactOut`,
//! `planJoinAll`). The router forwards `quote*` and `wrapperUnderlying` calls to the lens
//! unchanged, so integrators can use this one address, and passes the lens's revert data on
//! unchanged (its errors carry this contract's prefix). The lens's doc explains why quotes
//! equal execution to the wei: the lens runs the pool's own arithmetic on the same state,
//! and the router executes the same steps in the same block.
//!
//! ## Wrapping
//!
//! When a pool does not hold a token the user names but holds a pi-token of it (a token
//! answering `underlying()` and `venue()`), the router converts: in, `deposit` (exact in) or `mint` (exact out); out, `withdraw`
//! (exact in) or `withdrawUnderlying` (exact out). A route uses each pool at most once and
//! converts each pi-token at most once, so every step sees the state its quote saw.
//!
//! ## Limits
//!
//! Every call takes a `deadline` (`IndexRouterExpired` after it) and a slippage bound
//! (`IndexRouterInsufficientOutput` / `IndexRouterExcessiveInput`); the pools are called
//! with no limits of their own (`minAmountOut = 0`, `maxPrice = 2^256 − 1`) and the router
//! checks the end result. Exact-output execution also checks that every callee takes
//! exactly the planned amount (`IndexRouterUnexpectedAmount`), so no dust can stay behind.
//! A failing pool, pi-token or token reverts the whole call with
//! `IndexRouterCallFailed(target, reason)`, `reason` being the selector of its error (e.g.
//! `IndexPoolSwapsDisabled`), so nothing moves. Transfers in must arrive in full
//! (`IndexRouterTokenShortfall`: fee-on-transfer tokens are refused, as the pools refuse
//! them).
//!
//! ## Call graph (one way; Stylus reverts re-entry)
//!
//! ```text
//! user ──▶ index-router ──resolve / plan* / quote* (static)──▶ index-router-lens ──(static)──▶ pools, weighted-math, pi-tokens
//!                        ──transferFrom / approve / transfer──▶ tokens
//!                        ──deposit / mint / withdraw / withdrawUnderlying──▶ pi-token ──▶ underlying, venue
//!                        ──swap* / join* / exit*──▶ index-pool ──transferFrom (pulls from the router)──▶ tokens
//! ```
//!
//! The router pays pools and pi-tokens by approval (they pull from it); nothing calls the
//! router back.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "export-abi", allow(missing_docs))]
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
// `Error` carries each Solidity error's arguments; boxing would cost code size for nothing.
#![allow(clippy::result_large_err)]
extern crate alloc;

pub mod abi;
mod calls;
pub mod dispatch;

use alloc::{vec, vec::Vec};

use alloy_sol_types::{SolCall, SolEvent};
use strata_common::{
    abi::{encode, word_address, Word},
    env, log,
    reentrancy::{ReentrancyLock, ReentrantCall},
};
use strata_math::MathError;
use stylus_sdk::{
    alloy_primitives::{Address, U256},
    prelude::*,
    storage::StorageAddress,
    ArbResult,
};

use crate::calls::{sigs as s, Reason};

/// Revert data: the ABI encoding of an error (the router's own, or the lens's passed on).
pub type Revert = Vec<u8>;

strata_common::sol_events! {
    /// `caller` joined `pool` with `amountIn` of `tokenIn` for `poolAmountOut` shares.
    event JoinedWithToken(address indexed caller, address indexed pool, address indexed tokenIn, uint256 amountIn, uint256 poolAmountOut);
    /// `caller` exited `pool` with `poolAmountIn` shares for `amountOut` of `tokenOut`.
    event ExitedToToken(address indexed caller, address indexed pool, address indexed tokenOut, uint256 poolAmountIn, uint256 amountOut);
    /// `caller` joined `pool` with every token for `poolAmountOut` shares.
    event JoinedAll(address indexed caller, address indexed pool, uint256 poolAmountOut);
    /// `caller` exited `pool` with `poolAmountIn` shares for every token.
    event ExitedAll(address indexed caller, address indexed pool, uint256 poolAmountIn);
    /// `caller` swapped `amountIn` of `tokenIn` for `amountOut` of `tokenOut`, paid to `recipient`.
    event Swapped(address indexed caller, address indexed recipient, address indexed tokenIn, address tokenOut, uint256 amountIn, uint256 amountOut);
}

alloy_sol_types::sol! {
    /// The call was made at `now`, after its `deadline`.
    #[derive(Debug, PartialEq, Eq)]
    error IndexRouterExpired(uint256 deadline, uint256 now);
    /// A zero amount was given.
    #[derive(Debug, PartialEq, Eq)]
    error IndexRouterZeroAmount();
    /// The zero address was given where an account or contract is required.
    #[derive(Debug, PartialEq, Eq)]
    error IndexRouterZeroAddress();
    /// The call would pay `amountOut`, below the caller's `minAmountOut`.
    #[derive(Debug, PartialEq, Eq)]
    error IndexRouterInsufficientOutput(uint256 amountOut, uint256 minAmountOut);
    /// The call would take `amountIn`, above the caller's `maxAmountIn`.
    #[derive(Debug, PartialEq, Eq)]
    error IndexRouterExcessiveInput(uint256 amountIn, uint256 maxAmountIn);
    /// `length` limits were given for a pool of `expected` tokens.
    #[derive(Debug, PartialEq, Eq)]
    error IndexRouterArrayLength(uint256 length, uint256 expected);
    /// `received` of `token` arrived where `expected` was pulled (fee-on-transfer tokens are refused).
    #[derive(Debug, PartialEq, Eq)]
    error IndexRouterTokenShortfall(address token, uint256 expected, uint256 received);
    /// A call to `target` failed (`reason`: the selector of its error, zero when none).
    #[derive(Debug, PartialEq, Eq)]
    error IndexRouterCallFailed(address target, bytes4 reason);
    /// `target` took or paid `actual` where the plan said `expected`.
    #[derive(Debug, PartialEq, Eq)]
    error IndexRouterUnexpectedAmount(address target, uint256 expected, uint256 actual);
    /// Arithmetic failed (`code`: `strata_math::MathError::code`).
    #[derive(Debug, PartialEq, Eq)]
    error IndexRouterMath(uint8 code);
    /// A guarded function was re-entered.
    #[derive(Debug, PartialEq, Eq)]
    error IndexRouterReentrantCall();
    /// (From the lens.) `pool` holds neither `token` nor a pi-token of it.
    #[derive(Debug, PartialEq, Eq)]
    error IndexRouterTokenNotInPool(address pool, address token);
    /// (From the lens.) A route needs 1 to 4 pools, one more token than pools, and a different token (and pool token) on each side of every hop.
    #[derive(Debug, PartialEq, Eq)]
    error IndexRouterInvalidPath();
    /// (From the lens.) `pool` appears twice in a route.
    #[derive(Debug, PartialEq, Eq)]
    error IndexRouterPoolRepeated(address pool);
    /// (From the lens.) `piToken` would be wrapped or unwrapped twice in a route.
    #[derive(Debug, PartialEq, Eq)]
    error IndexRouterWrapperRepeated(address piToken);
}

/// Errors a router call can revert with: its own, and (passed on unchanged) the lens's.
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum Error {
    /// See [`IndexRouterExpired`].
    Expired(IndexRouterExpired),
    /// See [`IndexRouterZeroAmount`].
    ZeroAmount(IndexRouterZeroAmount),
    /// See [`IndexRouterZeroAddress`].
    ZeroAddress(IndexRouterZeroAddress),
    /// See [`IndexRouterInsufficientOutput`].
    InsufficientOutput(IndexRouterInsufficientOutput),
    /// See [`IndexRouterExcessiveInput`].
    ExcessiveInput(IndexRouterExcessiveInput),
    /// See [`IndexRouterArrayLength`].
    ArrayLength(IndexRouterArrayLength),
    /// See [`IndexRouterTokenShortfall`].
    TokenShortfall(IndexRouterTokenShortfall),
    /// See [`IndexRouterCallFailed`].
    CallFailed(IndexRouterCallFailed),
    /// See [`IndexRouterUnexpectedAmount`].
    UnexpectedAmount(IndexRouterUnexpectedAmount),
    /// See [`IndexRouterMath`].
    Math(IndexRouterMath),
    /// See [`IndexRouterReentrantCall`].
    ReentrantCall(IndexRouterReentrantCall),
    /// See [`IndexRouterTokenNotInPool`] (raised by the lens).
    TokenNotInPool(IndexRouterTokenNotInPool),
    /// See [`IndexRouterInvalidPath`] (raised by the lens).
    InvalidPath(IndexRouterInvalidPath),
    /// See [`IndexRouterPoolRepeated`] (raised by the lens).
    PoolRepeated(IndexRouterPoolRepeated),
    /// See [`IndexRouterWrapperRepeated`] (raised by the lens).
    WrapperRepeated(IndexRouterWrapperRepeated),
}

/// Every event of the router, for the exported interface.
pub const ALL_EVENTS_ABI: &[&str] = EVENTS_ABI;

fn revert(e: Error) -> Revert {
    e.into()
}

impl From<MathError> for Error {
    fn from(e: MathError) -> Self {
        Error::Math(IndexRouterMath { code: e.code() })
    }
}

impl From<ReentrantCall> for Error {
    fn from(_: ReentrantCall) -> Self {
        Error::ReentrantCall(IndexRouterReentrantCall {})
    }
}

/// `IndexRouterCallFailed(target, reason)` as revert data.
fn failed(target: Address) -> impl Fn(Reason) -> Revert {
    move |reason| revert(Error::CallFailed(IndexRouterCallFailed { target, reason }))
}

/// The router.
#[entrypoint]
#[storage]
pub struct IndexRouter {
    lens: StorageAddress,
    lock: ReentrancyLock,
}

#[public]
impl IndexRouter {
    /// Fixes the lens (`index-router-lens`) that plans and quotes for this router.
    ///
    /// # Errors
    /// [`IndexRouterZeroAddress`] for the zero address.
    #[constructor]
    pub fn constructor(&mut self, lens: Address) -> Result<(), Error> {
        if lens.is_zero() {
            return Err(Error::ZeroAddress(IndexRouterZeroAddress {}));
        }
        self.lens.set(lens);
        Ok(())
    }

    /// Every call after deployment, decoded by [`dispatch::dispatch`].
    ///
    /// # Errors
    /// The function's named errors; empty revert data for an unknown selector, malformed
    /// arguments or ETH sent with the call.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        dispatch::dispatch(self, calldata)
    }
}

impl IndexRouter {
    /// The lens.
    pub fn lens(&self) -> Address {
        self.lens.get()
    }

    /// `joinWithToken` at time `now`: pulls `amount_in` of `token_in` from the caller, wraps
    /// it when the pool holds its pi-token, joins with it and sends the shares to the
    /// caller. Returns the shares.
    ///
    /// # Errors
    /// [`IndexRouterExpired`], [`IndexRouterZeroAmount`], [`IndexRouterTokenNotInPool`],
    /// [`IndexRouterTokenShortfall`], [`IndexRouterCallFailed`],
    /// [`IndexRouterInsufficientOutput`], [`IndexRouterReentrantCall`].
    ///
    /// # Events
    /// [`JoinedWithToken`]; the pool's and pi-token's events.
    pub fn join_with_token_at(
        &mut self,
        now: u64,
        pool: Address,
        token_in: Address,
        amount_in: U256,
        min_pool_amount_out: U256,
        deadline: U256,
    ) -> Result<U256, Revert> {
        check_deadline(now, deadline)?;
        nonzero(amount_in)?;
        self.enter()?;
        let caller = env::sender();
        let pool_in = self.resolve(pool, token_in)?;
        pull(token_in, caller, amount_in)?;
        let amount = wrap_in(token_in, pool_in, amount_in)?;
        approve(pool_in, pool, amount)?;
        let args = [pool_in.word(), amount, U256::ZERO];
        let out = exec_word(pool, s::joinswapExternAmountInCall::SELECTOR, &args)?;
        check_min(out, min_pool_amount_out)?;
        send(pool, caller, out)?;
        log::emit(
            &[
                JoinedWithToken::SIGNATURE_HASH,
                caller.into_word(),
                pool.into_word(),
                token_in.into_word(),
            ],
            &[amount_in, out],
        );
        self.lock.exit();
        Ok(out)
    }

    /// `exitToToken` at time `now`: pulls `pool_amount_in` shares from the caller, exits into
    /// the pool token of `token_out`, unwraps it when it is a pi-token and pays the caller.
    /// Returns the amount paid.
    ///
    /// # Errors
    /// As [`Self::join_with_token_at`].
    ///
    /// # Events
    /// [`ExitedToToken`]; the pool's and pi-token's events.
    pub fn exit_to_token_at(
        &mut self,
        now: u64,
        pool: Address,
        pool_amount_in: U256,
        token_out: Address,
        min_amount_out: U256,
        deadline: U256,
    ) -> Result<U256, Revert> {
        check_deadline(now, deadline)?;
        nonzero(pool_amount_in)?;
        self.enter()?;
        let caller = env::sender();
        let pool_out = self.resolve(pool, token_out)?;
        pull(pool, caller, pool_amount_in)?;
        let args = [pool_out.word(), pool_amount_in, U256::ZERO];
        let got = exec_word(pool, s::exitswapPoolAmountInCall::SELECTOR, &args)?;
        let out = unwrap_out(pool_out, token_out, got)?;
        check_min(out, min_amount_out)?;
        send(token_out, caller, out)?;
        log::emit(
            &[
                ExitedToToken::SIGNATURE_HASH,
                caller.into_word(),
                pool.into_word(),
                token_out.into_word(),
            ],
            &[pool_amount_in, out],
        );
        self.lock.exit();
        Ok(out)
    }

    /// `joinAll` at time `now`: mints exactly `pool_amount_out` shares to the caller, paying
    /// every pool token (pi-tokens in their underlying) at most `max_amounts_in[i]`, in
    /// `getCurrentTokens` order. Returns the amounts paid.
    ///
    /// # Errors
    /// [`IndexRouterExpired`], [`IndexRouterZeroAmount`], [`IndexRouterArrayLength`],
    /// [`IndexRouterExcessiveInput`], [`IndexRouterTokenShortfall`],
    /// [`IndexRouterCallFailed`], [`IndexRouterUnexpectedAmount`],
    /// [`IndexRouterReentrantCall`].
    ///
    /// # Events
    /// [`JoinedAll`]; the pool's and pi-tokens' events.
    pub fn join_all_at(
        &mut self,
        now: u64,
        pool: Address,
        pool_amount_out: U256,
        max_amounts_in: &[U256],
        deadline: U256,
    ) -> Result<Vec<U256>, Revert> {
        check_deadline(now, deadline)?;
        nonzero(pool_amount_out)?;
        self.enter()?;
        let caller = env::sender();
        let plan = self
            .lens_call(&encode(&s::planJoinAllCall::SELECTOR, &[pool.word(), pool_amount_out]))?;
        let arrays = calls::arrays(&plan, 4).map_err(failed(self.lens.get()))?;
        let [tokens, amounts, externals, paid] = arrays.as_slice() else {
            return Err(failed(self.lens.get())(Reason::ZERO));
        };
        check_length(max_amounts_in.len(), tokens.len())?;
        for (&ext_amount, &max) in paid.iter().zip(max_amounts_in) {
            if ext_amount > max {
                return Err(revert(Error::ExcessiveInput(IndexRouterExcessiveInput {
                    amountIn: ext_amount,
                    maxAmountIn: max,
                })));
            }
        }
        for (((&token, &amount), &external), &ext_amount) in
            tokens.iter().zip(amounts).zip(externals).zip(paid)
        {
            let (token, external) = (to_address(token)?, to_address(external)?);
            pull(external, caller, ext_amount)?;
            if external != token && !amount.is_zero() {
                approve(external, token, ext_amount)?;
                let took = exec_word(token, s::mintCall::SELECTOR, &[amount])?;
                expect_amount(token, ext_amount, took)?;
            }
            approve(token, pool, amount)?;
        }
        calls::call_with_array(pool, s::joinPoolCall::SELECTOR, pool_amount_out, amounts)
            .map_err(failed(pool))?;
        send(pool, caller, pool_amount_out)?;
        log::emit(
            &[JoinedAll::SIGNATURE_HASH, caller.into_word(), pool.into_word()],
            &[pool_amount_out],
        );
        self.lock.exit();
        Ok(paid.clone())
    }

    /// `exitAll` at time `now`: burns `pool_amount_in` of the caller's shares for every pool
    /// token, unwraps the pi-tokens, and pays the caller at least `min_amounts_out[i]` of
    /// each (in `getCurrentTokens` order). Returns the amounts paid.
    ///
    /// # Errors
    /// As [`Self::join_all_at`], with [`IndexRouterInsufficientOutput`] for the limits.
    ///
    /// # Events
    /// [`ExitedAll`]; the pool's and pi-tokens' events.
    pub fn exit_all_at(
        &mut self,
        now: u64,
        pool: Address,
        pool_amount_in: U256,
        min_amounts_out: &[U256],
        deadline: U256,
    ) -> Result<Vec<U256>, Revert> {
        check_deadline(now, deadline)?;
        nonzero(pool_amount_in)?;
        self.enter()?;
        let (caller, this) = (env::sender(), env::this());
        let ret = calls::call(pool, s::getCurrentTokensCall::SELECTOR, &[], true)
            .map_err(failed(pool))?;
        let tokens = calls::address_array(&ret).map_err(failed(pool))?;
        check_length(min_amounts_out.len(), tokens.len())?;
        pull(pool, caller, pool_amount_in)?;
        let mut before = Vec::with_capacity(tokens.len());
        for &token in &tokens {
            before.push(calls::balance_of(token, this).map_err(failed(token))?);
        }
        let zeros = vec![U256::ZERO; tokens.len()];
        calls::call_with_array(pool, s::exitPoolCall::SELECTOR, pool_amount_in, &zeros)
            .map_err(failed(pool))?;
        let mut paid = Vec::with_capacity(tokens.len());
        for ((&token, &before), &min) in tokens.iter().zip(&before).zip(min_amounts_out) {
            let after = calls::balance_of(token, this).map_err(failed(token))?;
            let got =
                after.checked_sub(before).ok_or_else(|| revert(MathError::Underflow.into()))?;
            let underlying = self.wrapper_underlying(token)?;
            let external = if underlying.is_zero() { token } else { underlying };
            let out = unwrap_out(token, external, got)?;
            check_min(out, min)?;
            send(external, caller, out)?;
            paid.push(out);
        }
        log::emit(
            &[ExitedAll::SIGNATURE_HASH, caller.into_word(), pool.into_word()],
            &[pool_amount_in],
        );
        self.lock.exit();
        Ok(paid)
    }

    /// `swapExactIn` at time `now`: swaps exactly `amount_in` of `path[0]` along the route
    /// and pays at least `min_amount_out` of the last token to `recipient`. Returns the
    /// amount paid.
    ///
    /// # Errors
    /// [`IndexRouterExpired`], [`IndexRouterZeroAmount`], [`IndexRouterZeroAddress`], the
    /// lens's route errors ([`IndexRouterInvalidPath`], [`IndexRouterPoolRepeated`],
    /// [`IndexRouterWrapperRepeated`], [`IndexRouterTokenNotInPool`]),
    /// [`IndexRouterTokenShortfall`], [`IndexRouterCallFailed`],
    /// [`IndexRouterInsufficientOutput`], [`IndexRouterReentrantCall`].
    ///
    /// # Events
    /// [`Swapped`]; the pools' and pi-tokens' events.
    #[allow(clippy::too_many_arguments)]
    pub fn swap_exact_in_at(
        &mut self,
        now: u64,
        pools: &[Address],
        path: &[Address],
        amount_in: U256,
        min_amount_out: U256,
        recipient: Address,
        deadline: U256,
    ) -> Result<U256, Revert> {
        check_deadline(now, deadline)?;
        nonzero(amount_in)?;
        nonzero_address(recipient)?;
        self.enter()?;
        let caller = env::sender();
        let route = self.lens_call(&calls::encode_route_call(
            s::planRouteCall::SELECTOR,
            pools,
            path,
            None,
        ))?;
        let hops = hops(pools, path, &calls::arrays(&route, 1).map_err(failed(self.lens.get()))?)?;
        let (first, last) = ends(path)?;
        pull(first, caller, amount_in)?;
        let mut amount = amount_in;
        for hop in &hops {
            amount = wrap_in(hop.token_in, hop.pool_in, amount)?;
            approve(hop.pool_in, hop.pool, amount)?;
            let args = [hop.pool_in.word(), amount, hop.pool_out.word(), U256::ZERO, U256::MAX];
            amount = exec_word(hop.pool, s::swapExactAmountInCall::SELECTOR, &args)?;
            amount = unwrap_out(hop.pool_out, hop.token_out, amount)?;
        }
        check_min(amount, min_amount_out)?;
        send(last, recipient, amount)?;
        log_swap(caller, recipient, first, last, amount_in, amount);
        self.lock.exit();
        Ok(amount)
    }

    /// `swapExactOut` at time `now`: pays exactly `amount_out` of the last token of the route
    /// to `recipient` for at most `max_amount_in` of `path[0]`. Returns the amount taken.
    ///
    /// # Errors
    /// As [`Self::swap_exact_in_at`], with [`IndexRouterExcessiveInput`] for the limit and
    /// [`IndexRouterUnexpectedAmount`] should a callee take other than the planned amount.
    ///
    /// # Events
    /// [`Swapped`]; the pools' and pi-tokens' events.
    #[allow(clippy::too_many_arguments)]
    pub fn swap_exact_out_at(
        &mut self,
        now: u64,
        pools: &[Address],
        path: &[Address],
        amount_out: U256,
        max_amount_in: U256,
        recipient: Address,
        deadline: U256,
    ) -> Result<U256, Revert> {
        check_deadline(now, deadline)?;
        nonzero(amount_out)?;
        nonzero_address(recipient)?;
        self.enter()?;
        let caller = env::sender();
        let data = calls::encode_route_call(
            s::planSwapExactOutCall::SELECTOR,
            pools,
            path,
            Some(amount_out),
        );
        let plan = self.lens_call(&data)?;
        let arrays = calls::arrays(&plan, 2).map_err(failed(self.lens.get()))?;
        let [route, amounts] = arrays.as_slice() else {
            return Err(failed(self.lens.get())(Reason::ZERO));
        };
        let hops = hops(pools, path, core::slice::from_ref(route))?;
        let (first, last) = ends(path)?;
        let amount_in = amounts.first().copied().unwrap_or_default();
        if amount_in > max_amount_in {
            return Err(revert(Error::ExcessiveInput(IndexRouterExcessiveInput {
                amountIn: amount_in,
                maxAmountIn: max_amount_in,
            })));
        }
        pull(first, caller, amount_in)?;
        for (hop, a) in hops.iter().zip(amounts.chunks_exact(4)) {
            let &[ext_in, pool_in, pool_out, ext_out] = a else {
                return Err(failed(self.lens.get())(Reason::ZERO));
            };
            if hop.pool_in != hop.token_in {
                approve(hop.token_in, hop.pool_in, ext_in)?;
                let took = exec_word(hop.pool_in, s::mintCall::SELECTOR, &[pool_in])?;
                expect_amount(hop.pool_in, ext_in, took)?;
            }
            approve(hop.pool_in, hop.pool, pool_in)?;
            let args = [hop.pool_in.word(), pool_in, hop.pool_out.word(), pool_out, U256::MAX];
            let took = exec_word(hop.pool, s::swapExactAmountOutCall::SELECTOR, &args)?;
            expect_amount(hop.pool, pool_in, took)?;
            if hop.pool_out != hop.token_out {
                let burnt =
                    exec_word(hop.pool_out, s::withdrawUnderlyingCall::SELECTOR, &[ext_out])?;
                expect_amount(hop.pool_out, pool_out, burnt)?;
            }
        }
        send(last, recipient, amount_out)?;
        log_swap(caller, recipient, first, last, amount_in, amount_out);
        self.lock.exit();
        Ok(amount_in)
    }

    /// The underlying of `token` when it is a pi-token, from the lens (zero otherwise).
    ///
    /// # Errors
    /// [`IndexRouterCallFailed`] when the lens cannot answer.
    pub fn wrapper_underlying(&self, token: Address) -> Result<Address, Revert> {
        let lens = self.lens.get();
        let ret = calls::call(lens, s::wrapperUnderlyingCall::SELECTOR, &[token.word()], true)
            .map_err(failed(lens))?;
        calls::word(&ret, 0).ok().and_then(word_address).ok_or_else(|| failed(lens)(Reason::ZERO))
    }

    /// Forwards `calldata` (a `quote*` or `wrapperUnderlying` call) to the lens as a static
    /// call and returns its answer or revert data unchanged.
    ///
    /// # Errors
    /// The lens's revert data.
    pub fn forward(&self, calldata: &[u8]) -> ArbResult {
        calls::raw_forward(self.lens.get(), calldata)
    }

    fn enter(&mut self) -> Result<(), Revert> {
        self.lock.enter().map_err(|e| revert(e.into()))
    }

    /// A static call to the lens; its revert data is passed on unchanged.
    fn lens_call(&self, calldata: &[u8]) -> Result<Vec<u8>, Revert> {
        calls::raw_forward(self.lens.get(), calldata)
    }

    /// The pool token `pool` trades for `token` (the lens's `resolve`).
    fn resolve(&self, pool: Address, token: Address) -> Result<Address, Revert> {
        let data = encode(&s::resolveCall::SELECTOR, &[pool.word(), token.word()]);
        let ret = self.lens_call(&data)?;
        calls::word(&ret, 0)
            .ok()
            .and_then(word_address)
            .ok_or_else(|| failed(self.lens.get())(Reason::ZERO))
    }
}

/// One hop of a route: the user's tokens and the pool's.
struct Hop {
    pool: Address,
    token_in: Address,
    pool_in: Address,
    token_out: Address,
    pool_out: Address,
}

/// The hops of a route from the lens's plan (two pool tokens per hop).
fn hops(pools: &[Address], path: &[Address], plan: &[Vec<U256>]) -> Result<Vec<Hop>, Revert> {
    let route = plan.first().map(Vec::as_slice).unwrap_or_default();
    if route.len() != pools.len().saturating_mul(2) || path.len() != pools.len().saturating_add(1) {
        return Err(revert(Error::InvalidPath(IndexRouterInvalidPath {})));
    }
    let mut hops = Vec::with_capacity(pools.len());
    for ((&pool, tokens), pair) in pools.iter().zip(route.chunks_exact(2)).zip(path.windows(2)) {
        match (tokens, pair) {
            (&[pool_in, pool_out], &[token_in, token_out]) => hops.push(Hop {
                pool,
                token_in,
                pool_in: to_address(pool_in)?,
                token_out,
                pool_out: to_address(pool_out)?,
            }),
            _ => return Err(revert(Error::InvalidPath(IndexRouterInvalidPath {}))),
        }
    }
    Ok(hops)
}

/// Wraps `amount` of `token` into `pool_token` (`deposit`) when they differ; returns the
/// pool-token amount.
fn wrap_in(token: Address, pool_token: Address, amount: U256) -> Result<U256, Revert> {
    if token == pool_token {
        return Ok(amount);
    }
    approve(token, pool_token, amount)?;
    exec_word(pool_token, s::depositCall::SELECTOR, &[amount])
}

/// Unwraps `amount` of `pool_token` into `token` (`withdraw`) when they differ; returns the
/// token amount (nothing to unwrap for zero).
fn unwrap_out(pool_token: Address, token: Address, amount: U256) -> Result<U256, Revert> {
    if token == pool_token || amount.is_zero() {
        return Ok(amount);
    }
    exec_word(pool_token, s::withdrawCall::SELECTOR, &[amount])
}

fn log_swap(
    caller: Address,
    recipient: Address,
    token_in: Address,
    token_out: Address,
    amount_in: U256,
    amount_out: U256,
) {
    log::emit(
        &[Swapped::SIGNATURE_HASH, caller.into_word(), recipient.into_word(), token_in.into_word()],
        &[token_out.word(), amount_in, amount_out],
    );
}

fn check_deadline(now: u64, deadline: U256) -> Result<(), Revert> {
    let now = U256::from(now);
    if now > deadline {
        return Err(revert(Error::Expired(IndexRouterExpired { deadline, now })));
    }
    Ok(())
}

fn nonzero(amount: U256) -> Result<(), Revert> {
    if amount.is_zero() {
        return Err(revert(Error::ZeroAmount(IndexRouterZeroAmount {})));
    }
    Ok(())
}

fn nonzero_address(account: Address) -> Result<(), Revert> {
    if account.is_zero() {
        return Err(revert(Error::ZeroAddress(IndexRouterZeroAddress {})));
    }
    Ok(())
}

fn check_min(amount_out: U256, min_amount_out: U256) -> Result<(), Revert> {
    if amount_out < min_amount_out {
        return Err(revert(Error::InsufficientOutput(IndexRouterInsufficientOutput {
            amountOut: amount_out,
            minAmountOut: min_amount_out,
        })));
    }
    Ok(())
}

fn check_length(length: usize, expected: usize) -> Result<(), Revert> {
    if length != expected {
        return Err(revert(Error::ArrayLength(IndexRouterArrayLength {
            length: U256::from(length),
            expected: U256::from(expected),
        })));
    }
    Ok(())
}

fn expect_amount(target: Address, expected: U256, actual: U256) -> Result<(), Revert> {
    if expected != actual {
        return Err(revert(Error::UnexpectedAmount(IndexRouterUnexpectedAmount {
            target,
            expected,
            actual,
        })));
    }
    Ok(())
}

/// The first and last tokens of a route.
fn ends(path: &[Address]) -> Result<(Address, Address), Revert> {
    match (path.first(), path.last()) {
        (Some(&first), Some(&last)) => Ok((first, last)),
        _ => Err(revert(Error::InvalidPath(IndexRouterInvalidPath {}))),
    }
}

fn to_address(word: U256) -> Result<Address, Revert> {
    word_address(word).ok_or_else(|| revert(Error::InvalidPath(IndexRouterInvalidPath {})))
}

/// A mutating call returning (at least) one word: the first.
fn exec_word(target: Address, selector: [u8; 4], args: &[U256]) -> Result<U256, Revert> {
    let ret = calls::call(target, selector, args, false).map_err(failed(target))?;
    calls::word(&ret, 0).map_err(failed(target))
}

/// Pulls exactly `amount` of `token` from `from` (balance delta).
fn pull(token: Address, from: Address, amount: U256) -> Result<(), Revert> {
    let this = env::this();
    let fail = failed(token);
    let before = calls::balance_of(token, this).map_err(&fail)?;
    calls::transfer_from(token, from, this, amount).map_err(&fail)?;
    let after = calls::balance_of(token, this).map_err(&fail)?;
    let received = after.saturating_sub(before);
    if received != amount {
        return Err(revert(Error::TokenShortfall(IndexRouterTokenShortfall {
            token,
            expected: amount,
            received,
        })));
    }
    Ok(())
}

fn send(token: Address, to: Address, amount: U256) -> Result<(), Revert> {
    calls::transfer(token, to, amount).map_err(failed(token))
}

fn approve(token: Address, spender: Address, amount: U256) -> Result<(), Revert> {
    calls::force_approve(token, spender, amount).map_err(failed(token))
}

#[cfg(test)]
mod tests;
