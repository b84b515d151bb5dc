//! # `IndexRouterLens` — the index router's quotes and route plans
//!
//! `index-router` is split in two to fit Stylus' 24 KiB code limit (one contract measured
//! 28 KiB compressed): the router executes, this lens computes. The lens answers every
//! `quote*` view (the router forwards its `quote*` calls here, so integrators can ask either
//! address), recognises pi-tokens, and gives the router the plans it executes: which pool
//! token stands for a user token (`resolve`), a validated route (`planRoute`), the per-hop
//! amounts of an exact-output route (`planSwapExactOut`) and the amounts of a proportional
//! join (`planJoinAll`). It has no state and no owner, and only reads: pools, their
//! `WeightedMath` library, pi-tokens. Nothing it calls calls back.
//!
//! Errors carry the router's `IndexRouter` prefix because they reach users through the
//! router, which passes the lens's revert data on unchanged.
//!
//! ## Wrapping
//!
//! A pool token is a pi-token when it answers `underlying()` with a non-zero address and
//! answers `venue()` ([`underlying_of`]; other wrappers with an `underlying()`, such as
//! Compound's cTokens, are not taken for one). When a pool does not hold a token the user
//! names but holds a pi-token of it, the router converts: in, `deposit` (exact in) or `mint`
//! (exact out); out, `withdraw` (exact in) or `withdrawUnderlying` (exact out). Proportional
//! joins and exits take and pay every pi-token of the pool in its underlying, in
//! `getCurrentTokens` order. There is no registry to trust: a pool's pi-tokens are what its
//! controller bound, and a user trading with a pool already trusts its tokens.
//!
//! ## Quotes equal execution
//!
//! A quote runs the pool's own arithmetic on the pool's state — balances, current weights,
//! supply, swap fee and the community fee the pool charges the *caller* (none when it is on
//! the pool's no-fee list; through the router's forwarding and plans, the caller is the
//! router, which is who trades) —
//! calling the pool's `WeightedMath` library for the power formulas and `strata_math` for
//! the rest (`split_fee`, `gross_up`, `calc_join_token_in`, `calc_exit_token_out`, as the
//! pool does), and the pi-tokens' `preview*` views for the conversions. The router executes
//! the same steps in the same block, so the amounts are equal to the wei. Where the pool
//! would refuse an amount (not finalized, swaps disabled, `MAX_IN_RATIO`, `MAX_OUT_RATIO`,
//! `MIN_BALANCE`, a swap paying nothing) or a pi-token would mint or pay nothing, the quote
//! reverts with the `IndexRouterCallFailed(target, reason)` execution would give. For the equality every
//! step of a route must see untouched state, so a route uses each pool at most once
//! (`IndexRouterPoolRepeated`) and converts each pi-token at most once
//! (`IndexRouterWrapperRepeated`); naming the pi-token itself as the intermediate token
//! passes it between pools unconverted. Routes have 1 to `MAX_HOPS` hops.
//!
//! ## Call graph (one way)
//!
//! ```text
//! user ──quote*──▶ index-router ──(static, forwarded)──▶ index-router-lens ──(static)──▶ pools, weighted-math, pi-tokens
//! index-router ──resolve / plan* (static)──▶ index-router-lens
//! ```
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
// The lens is stateless: its functions stay methods of the contract so the dispatcher, the
// tests and `motsu` call them uniformly, whether or not they read `self`.
#![allow(clippy::result_large_err, clippy::unused_self)]
extern crate alloc;

pub mod abi;
mod calls;
pub mod dispatch;

use alloc::{vec, vec::Vec};

use alloy_sol_types::{SolCall, SolError};
use strata_common::env;
use strata_math::{
    calc_exit_token_out, calc_join_token_in, complement, wad_div_up, wad_mul_down, wad_mul_up,
    MathError,
};
use stylus_sdk::{
    alloy_primitives::{uint, Address, FixedBytes, U256},
    prelude::*,
    ArbResult,
};

use strata_common::abi::{word_address, Word};

use crate::calls::{sigs as s, sigs::pool_errors as pe, Reason};

/// Most hops in a route.
pub const MAX_HOPS: usize = 4;
/// The pool's `MAX_IN_RATIO`: an amount entering a balance is at most half of it.
pub const MAX_IN_RATIO: U256 = uint!(500_000_000_000_000_000_U256);
/// The pool's `MAX_OUT_RATIO`: an amount leaving a balance is at most a third of it, plus 1 wei.
pub const MAX_OUT_RATIO: U256 = uint!(333_333_333_333_333_334_U256);
/// The pool's `MIN_BALANCE`, in token base units.
pub const MIN_BALANCE: U256 = uint!(1_000_000_U256);

/// The lens emits no events (it changes no state).
pub const ALL_EVENTS_ABI: [&str; 0] = [];

alloy_sol_types::sol! {
    /// A zero amount was given.
    #[derive(Debug, PartialEq, Eq)]
    error IndexRouterZeroAmount();
    /// `pool` holds neither `token` nor a pi-token of it.
    #[derive(Debug, PartialEq, Eq)]
    error IndexRouterTokenNotInPool(address pool, address token);
    /// A route needs 1 to `MAX_HOPS` pools, one more token than pools, and a different token (and pool token) on each side of every hop.
    #[derive(Debug, PartialEq, Eq)]
    error IndexRouterInvalidPath();
    /// `pool` appears twice in a route.
    #[derive(Debug, PartialEq, Eq)]
    error IndexRouterPoolRepeated(address pool);
    /// `piToken` would be wrapped or unwrapped twice in a route.
    #[derive(Debug, PartialEq, Eq)]
    error IndexRouterWrapperRepeated(address piToken);
    /// A call to `target` failed (`reason`: the selector of its error, zero when none).
    #[derive(Debug, PartialEq, Eq)]
    error IndexRouterCallFailed(address target, bytes4 reason);
    /// Arithmetic failed (`code`: `strata_math::MathError::code`).
    #[derive(Debug, PartialEq, Eq)]
    error IndexRouterMath(uint8 code);
}

/// Errors of the lens: each is a Solidity custom error with its arguments (with the
/// router's prefix: they reach users through the router).
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum Error {
    /// See [`IndexRouterZeroAmount`].
    ZeroAmount(IndexRouterZeroAmount),
    /// See [`IndexRouterTokenNotInPool`].
    TokenNotInPool(IndexRouterTokenNotInPool),
    /// See [`IndexRouterInvalidPath`].
    InvalidPath(IndexRouterInvalidPath),
    /// See [`IndexRouterPoolRepeated`].
    PoolRepeated(IndexRouterPoolRepeated),
    /// See [`IndexRouterWrapperRepeated`].
    WrapperRepeated(IndexRouterWrapperRepeated),
    /// See [`IndexRouterCallFailed`].
    CallFailed(IndexRouterCallFailed),
    /// See [`IndexRouterMath`].
    Math(IndexRouterMath),
}

impl From<MathError> for Error {
    fn from(e: MathError) -> Self {
        Error::Math(IndexRouterMath { code: e.code() })
    }
}

/// `IndexRouterCallFailed(target, reason)`.
fn failed(target: Address) -> impl Fn(Reason) -> Error {
    move |reason| Error::CallFailed(IndexRouterCallFailed { target, reason })
}

fn zero_amount() -> Error {
    Error::ZeroAmount(IndexRouterZeroAmount {})
}

/// Splits a gross amount into what the pool uses and the community fee `⌈amount · rate⌉`
/// (the pool's `split_fee`).
///
/// # Errors
/// Math errors.
pub fn split_fee(amount: U256, rate: U256) -> Result<U256, MathError> {
    let fee = wad_mul_up(amount, rate)?;
    amount.checked_sub(fee).ok_or(MathError::Underflow)
}

/// Grosses a net amount up by the community fee, `⌈net / (1 − rate)⌉` (the pool's
/// `gross_up`).
///
/// # Errors
/// Math errors.
pub fn gross_up(net: U256, rate: U256) -> Result<U256, MathError> {
    if rate.is_zero() {
        return Ok(net);
    }
    wad_div_up(net, complement(rate))
}

/// One hop of a route: the tokens the user names and the tokens the pool trades.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hop {
    /// The pool.
    pub pool: Address,
    /// The token that enters the hop (`path[i]`).
    pub token_in: Address,
    /// The pool token it becomes: `token_in` or its pi-token.
    pub pool_in: Address,
    /// Whether `token_in` is wrapped into `pool_in`.
    pub wrap: bool,
    /// The token that leaves the hop (`path[i + 1]`).
    pub token_out: Address,
    /// The pool token it comes from: `token_out` or its pi-token.
    pub pool_out: Address,
    /// Whether `pool_out` is unwrapped into `token_out`.
    pub unwrap: bool,
}

/// The amounts of one hop of an exact-output route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct HopAmounts {
    /// `token_in` paid (underlying when wrapping).
    ext_in: U256,
    /// `pool_in` paid to the pool.
    pool_in: U256,
    /// `pool_out` taken from the pool.
    pool_out: U256,
    /// `token_out` delivered.
    ext_out: U256,
}

/// A pool's fees as charged to the router: the swap fee and the community swap, join and
/// exit fees (zero when the router is on the pool's no-fee list).
#[derive(Clone, Copy, Debug)]
struct Fees {
    swap: U256,
    community_swap: U256,
    community_join: U256,
    community_exit: U256,
}

/// The lens: no state at all.
#[entrypoint]
#[storage]
pub struct IndexRouterLens {}

#[public]
impl IndexRouterLens {
    /// Every call, decoded by [`dispatch::dispatch`].
    ///
    /// # Errors
    /// The function's named errors; empty revert data for an unknown selector, malformed
    /// arguments or ETH sent with the call.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        dispatch::dispatch(self, calldata)
    }
}

// ------------------------------------------------------------------------------- plans
impl IndexRouterLens {
    /// The pool token `pool` trades for `token`: `token` itself when bound, else a
    /// pi-token of it that the pool holds.
    ///
    /// # Errors
    /// As [`Self::resolve`].
    pub fn resolve_token(&self, pool: Address, token: Address) -> Result<Address, Error> {
        Ok(self.resolve(pool, token)?.0)
    }

    /// A validated route's pool tokens, two per hop: `[poolIn_0, poolOut_0, poolIn_1, ..]`.
    /// A pool token that differs from the route's token is a pi-token to wrap (in) or unwrap
    /// (out).
    ///
    /// # Errors
    /// As [`Self::route`].
    pub fn plan_route(&self, pools: &[Address], path: &[Address]) -> Result<Vec<Address>, Error> {
        Ok(flatten(&self.route(pools, path)?))
    }

    /// An exact-output route: its pool tokens (as [`Self::plan_route`]) and, per hop, the
    /// amounts `[tokenIn paid, poolIn paid to the pool, poolOut taken from the pool, tokenOut
    /// delivered]`.
    ///
    /// # Errors
    /// [`IndexRouterZeroAmount`], the route errors, [`IndexRouterCallFailed`] where
    /// execution would fail, math errors.
    pub fn plan_swap_exact_out(
        &self,
        pools: &[Address],
        path: &[Address],
        amount_out: U256,
    ) -> Result<(Vec<Address>, Vec<U256>), Error> {
        nonzero(amount_out)?;
        let hops = self.route(pools, path)?;
        let amounts = self.exact_out_amounts(&hops, amount_out)?;
        let words =
            amounts.iter().flat_map(|a| [a.ext_in, a.pool_in, a.pool_out, a.ext_out]).collect();
        Ok((flatten(&hops), words))
    }

    /// A proportional join of `pool_amount_out` shares: the pool's tokens and the amounts
    /// it takes, and the tokens and amounts the user pays (pi-tokens in their underlying,
    /// through `previewMint`).
    ///
    /// # Errors
    /// As [`Self::quote_join_all`].
    #[allow(clippy::type_complexity)]
    pub fn plan_join_all(
        &self,
        pool: Address,
        pool_amount_out: U256,
    ) -> Result<(Vec<Address>, Vec<U256>, Vec<Address>, Vec<U256>), Error> {
        nonzero(pool_amount_out)?;
        let (tokens, amounts) = self.pool_join_all(pool, pool_amount_out)?;
        let (ext_tokens, ext_amounts) =
            self.externals(&tokens, &amounts, s::previewMintCall::SELECTOR)?;
        Ok((tokens, amounts, ext_tokens, ext_amounts))
    }
}

fn flatten(hops: &[Hop]) -> Vec<Address> {
    hops.iter().flat_map(|h| [h.pool_in, h.pool_out]).collect()
}

// ------------------------------------------------------------------------------- quotes
impl IndexRouterLens {
    /// Shares `joinWithToken(pool, token_in, amount_in, ..)` would mint now.
    ///
    /// # Errors
    /// [`IndexRouterZeroAmount`], [`IndexRouterTokenNotInPool`], [`IndexRouterCallFailed`]
    /// where execution would fail, math errors.
    pub fn quote_join_with_token(
        &self,
        pool: Address,
        token_in: Address,
        amount_in: U256,
    ) -> Result<U256, Error> {
        nonzero(amount_in)?;
        let (pool_in, wrap) = self.resolve(pool, token_in)?;
        let amount = if wrap {
            self.convert(pool_in, s::previewDepositCall::SELECTOR, amount_in)?
        } else {
            amount_in
        };
        self.pool_join_single(pool, pool_in, amount)
    }

    /// What `exitToToken(pool, pool_amount_in, token_out, ..)` would pay now.
    ///
    /// # Errors
    /// As [`Self::quote_join_with_token`].
    pub fn quote_exit_to_token(
        &self,
        pool: Address,
        pool_amount_in: U256,
        token_out: Address,
    ) -> Result<U256, Error> {
        nonzero(pool_amount_in)?;
        let (pool_out, unwrap) = self.resolve(pool, token_out)?;
        let out = self.pool_exit_single(pool, pool_out, pool_amount_in)?;
        if unwrap {
            self.convert(pool_out, s::previewWithdrawCall::SELECTOR, out)
        } else {
            Ok(out)
        }
    }

    /// The tokens (pi-tokens as their underlying) and amounts `joinAll(pool,
    /// pool_amount_out, ..)` would take now.
    ///
    /// # Errors
    /// As [`Self::quote_join_with_token`].
    pub fn quote_join_all(
        &self,
        pool: Address,
        pool_amount_out: U256,
    ) -> Result<(Vec<Address>, Vec<U256>), Error> {
        nonzero(pool_amount_out)?;
        let (tokens, amounts) = self.pool_join_all(pool, pool_amount_out)?;
        self.externals(&tokens, &amounts, s::previewMintCall::SELECTOR)
    }

    /// The tokens (pi-tokens as their underlying) and amounts `exitAll(pool,
    /// pool_amount_in, ..)` would pay now.
    ///
    /// # Errors
    /// As [`Self::quote_join_with_token`].
    pub fn quote_exit_all(
        &self,
        pool: Address,
        pool_amount_in: U256,
    ) -> Result<(Vec<Address>, Vec<U256>), Error> {
        nonzero(pool_amount_in)?;
        let (tokens, amounts) = self.pool_exit_all(pool, pool_amount_in)?;
        self.externals(&tokens, &amounts, s::previewWithdrawCall::SELECTOR)
    }

    /// What `swapExactIn(pools, path, amount_in, ..)` would pay now.
    ///
    /// # Errors
    /// The route errors, as [`Self::quote_join_with_token`] otherwise.
    pub fn quote_swap_exact_in(
        &self,
        pools: &[Address],
        path: &[Address],
        amount_in: U256,
    ) -> Result<U256, Error> {
        nonzero(amount_in)?;
        let hops = self.route(pools, path)?;
        let mut amount = amount_in;
        for hop in &hops {
            if hop.wrap {
                amount = self.convert(hop.pool_in, s::previewDepositCall::SELECTOR, amount)?;
            }
            amount = self.pool_swap_in(hop, amount)?;
            if hop.unwrap {
                amount = self.convert(hop.pool_out, s::previewWithdrawCall::SELECTOR, amount)?;
            }
        }
        Ok(amount)
    }

    /// What `swapExactOut(pools, path, amount_out, ..)` would take now.
    ///
    /// # Errors
    /// As [`Self::quote_swap_exact_in`].
    pub fn quote_swap_exact_out(
        &self,
        pools: &[Address],
        path: &[Address],
        amount_out: U256,
    ) -> Result<U256, Error> {
        nonzero(amount_out)?;
        let hops = self.route(pools, path)?;
        Ok(self.exact_out_amounts(&hops, amount_out)?.first().map_or(U256::ZERO, |a| a.ext_in))
    }

    /// The amounts of every hop of an exact-output route, computed backwards from the last.
    fn exact_out_amounts(&self, hops: &[Hop], amount_out: U256) -> Result<Vec<HopAmounts>, Error> {
        let mut amounts = vec![
            HopAmounts {
                ext_in: U256::ZERO,
                pool_in: U256::ZERO,
                pool_out: U256::ZERO,
                ext_out: U256::ZERO
            };
            hops.len()
        ];
        let mut need = amount_out;
        for (hop, a) in hops.iter().zip(amounts.iter_mut()).rev() {
            a.ext_out = need;
            a.pool_out = if hop.unwrap {
                self.convert(hop.pool_out, s::previewWithdrawUnderlyingCall::SELECTOR, need)?
            } else {
                need
            };
            a.pool_in = self.pool_swap_out(hop, a.pool_out)?;
            a.ext_in = if hop.wrap {
                self.convert(hop.pool_in, s::previewMintCall::SELECTOR, a.pool_in)?
            } else {
                a.pool_in
            };
            need = a.ext_in;
        }
        Ok(amounts)
    }

    /// Pool tokens and amounts as the user sees them: a pi-token becomes its
    /// underlying and its amount goes through the pi-token's `preview` (`selector`).
    fn externals(
        &self,
        tokens: &[Address],
        amounts: &[U256],
        selector: [u8; 4],
    ) -> Result<(Vec<Address>, Vec<U256>), Error> {
        let mut ext_tokens = Vec::with_capacity(tokens.len());
        let mut ext_amounts = Vec::with_capacity(tokens.len());
        for (&token, &amount) in tokens.iter().zip(amounts) {
            let underlying = underlying_of(token);
            let (t, a) = if underlying.is_zero() {
                (token, amount)
            } else if amount.is_zero() {
                (underlying, amount)
            } else {
                (underlying, self.convert(token, selector, amount)?)
            };
            ext_tokens.push(t);
            ext_amounts.push(a);
        }
        Ok((ext_tokens, ext_amounts))
    }

    /// A pi-token `preview*` of `amount`; a `previewDeposit` or `previewWithdraw` of a
    /// non-zero amount that comes to zero fails as the conversion itself would
    /// (`PiTokenZeroAmount`).
    fn convert(&self, pi: Address, selector: [u8; 4], amount: U256) -> Result<U256, Error> {
        let out = view_word(pi, selector, &[amount])?;
        let exact_in = selector == s::previewDepositCall::SELECTOR
            || selector == s::previewWithdrawCall::SELECTOR;
        if exact_in && out.is_zero() && !amount.is_zero() {
            return Err(failed(pi)(pe::PiTokenZeroAmount::SELECTOR.into()));
        }
        Ok(out)
    }
}

// ------------------------------------------------------------------------------- the pool's math
impl IndexRouterLens {
    /// The pool's `swapExactAmountIn` of `amount` for the router: the amount out.
    fn pool_swap_in(&self, hop: &Hop, amount: U256) -> Result<U256, Error> {
        let pool = hop.pool;
        require_pool(pool, true)?;
        let fees = self.fees(pool)?;
        let (bi, bo) = (balance(pool, hop.pool_in)?, balance(pool, hop.pool_out)?);
        let (wi, wo) = (weight(pool, hop.pool_in)?, weight(pool, hop.pool_out)?);
        let net = split_fee(amount, fees.community_swap)?;
        check_in_ratio(pool, bi, net)?;
        let out = math(pool, s::calcOutGivenInCall::SELECTOR, [bi, wi, bo, wo, net, fees.swap])?;
        // The pool refuses a swap that pays nothing (its price check, `amountOut = 0`).
        if out.is_zero() {
            return Err(pool_refuses(pool, pe::IndexPoolPriceBelowSpot::SELECTOR));
        }
        check_out(pool, bo, out)?;
        Ok(out)
    }

    /// The pool's `swapExactAmountOut` of `amount_out` for the router: the amount paid,
    /// community fee included.
    fn pool_swap_out(&self, hop: &Hop, amount_out: U256) -> Result<U256, Error> {
        let pool = hop.pool;
        require_pool(pool, true)?;
        let fees = self.fees(pool)?;
        let (bi, bo) = (balance(pool, hop.pool_in)?, balance(pool, hop.pool_out)?);
        let (wi, wo) = (weight(pool, hop.pool_in)?, weight(pool, hop.pool_out)?);
        check_out_ratio(pool, bo, amount_out)?;
        let net =
            math(pool, s::calcInGivenOutCall::SELECTOR, [bi, wi, bo, wo, amount_out, fees.swap])?;
        let paid = gross_up(net, fees.community_swap)?;
        check_in_ratio(pool, bi, net)?;
        check_out(pool, bo, amount_out)?;
        Ok(paid)
    }

    /// The pool's `joinswapExternAmountIn(token, amount)` for the router: the shares.
    fn pool_join_single(&self, pool: Address, token: Address, amount: U256) -> Result<U256, Error> {
        require_pool(pool, true)?;
        let fees = self.fees(pool)?;
        let (b, w) = (balance(pool, token)?, weight(pool, token)?);
        let supply = view_word(pool, s::totalSupplyCall::SELECTOR, &[])?;
        let total = view_word(pool, s::getTotalDenormalizedWeightCall::SELECTOR, &[])?;
        check_in_ratio(pool, b, amount)?;
        let minted = math(
            pool,
            s::calcPoolOutGivenSingleInCall::SELECTOR,
            [b, w, supply, total, amount, fees.swap],
        )?;
        Ok(split_fee(minted, fees.community_join)?)
    }

    /// The pool's `exitswapPoolAmountIn(token, pool_amount)` for the router: the amount out.
    fn pool_exit_single(
        &self,
        pool: Address,
        token: Address,
        pool_amount: U256,
    ) -> Result<U256, Error> {
        let fees = self.fees(pool)?;
        let burnt = split_fee(pool_amount, fees.community_exit)?;
        require_pool(pool, true)?;
        let (b, w) = (balance(pool, token)?, weight(pool, token)?);
        let supply = view_word(pool, s::totalSupplyCall::SELECTOR, &[])?;
        let total = view_word(pool, s::getTotalDenormalizedWeightCall::SELECTOR, &[])?;
        let out = math(
            pool,
            s::calcSingleOutGivenPoolInCall::SELECTOR,
            [b, w, supply, total, burnt, fees.swap],
        )?;
        check_out(pool, b, out)?;
        Ok(out)
    }

    /// The pool's `joinPool(pool_amount)` for the router: its tokens and the amounts in.
    fn pool_join_all(
        &self,
        pool: Address,
        pool_amount: U256,
    ) -> Result<(Vec<Address>, Vec<U256>), Error> {
        require_pool(pool, false)?;
        let tokens = self.pool_tokens(pool)?;
        let minted = gross_up(pool_amount, self.fees(pool)?.community_join)?;
        let supply = view_word(pool, s::totalSupplyCall::SELECTOR, &[])?;
        let mut amounts = Vec::with_capacity(tokens.len());
        for &token in &tokens {
            amounts.push(calc_join_token_in(balance(pool, token)?, supply, minted)?);
        }
        Ok((tokens, amounts))
    }

    /// The pool's `exitPool(pool_amount)` for the router: its tokens and the amounts out.
    fn pool_exit_all(
        &self,
        pool: Address,
        pool_amount: U256,
    ) -> Result<(Vec<Address>, Vec<U256>), Error> {
        require_pool(pool, false)?;
        let tokens = self.pool_tokens(pool)?;
        let burnt = split_fee(pool_amount, self.fees(pool)?.community_exit)?;
        let supply = view_word(pool, s::totalSupplyCall::SELECTOR, &[])?;
        let mut amounts = Vec::with_capacity(tokens.len());
        for &token in &tokens {
            let b = balance(pool, token)?;
            let out = calc_exit_token_out(b, supply, burnt)?;
            check_min_balance(pool, b, out)?;
            amounts.push(out);
        }
        Ok((tokens, amounts))
    }

    /// The pool's fees as charged to this router.
    fn fees(&self, pool: Address) -> Result<Fees, Error> {
        let swap = view_word(pool, s::getSwapFeeCall::SELECTOR, &[])?;
        let trader = env::sender().word();
        let exempt = !view_word(pool, s::isWithoutFeeCall::SELECTOR, &[trader])?.is_zero();
        if exempt {
            return Ok(Fees {
                swap,
                community_swap: U256::ZERO,
                community_join: U256::ZERO,
                community_exit: U256::ZERO,
            });
        }
        let ret = view(pool, s::getCommunityFeesCall::SELECTOR, &[])?;
        let word = |i| calls::word(&ret, i).map_err(failed(pool));
        Ok(Fees {
            swap,
            community_swap: word(0)?,
            community_join: word(1)?,
            community_exit: word(2)?,
        })
    }

    fn pool_tokens(&self, pool: Address) -> Result<Vec<Address>, Error> {
        calls::address_array(&view(pool, s::getCurrentTokensCall::SELECTOR, &[])?)
            .map_err(failed(pool))
    }
}

// ------------------------------------------------------------------------------- routes
impl IndexRouterLens {
    /// The pool token `pool` trades for `token`: `token` itself when bound, else a
    /// pi-token of it that the pool holds (`true`: wrapped).
    ///
    /// # Errors
    /// [`IndexRouterTokenNotInPool`], [`IndexRouterCallFailed`].
    pub fn resolve(&self, pool: Address, token: Address) -> Result<(Address, bool), Error> {
        if !view_word(pool, s::isBoundCall::SELECTOR, &[token.word()])?.is_zero() {
            return Ok((token, false));
        }
        if !token.is_zero() {
            for candidate in self.pool_tokens(pool)? {
                if underlying_of(candidate) == token {
                    return Ok((candidate, true));
                }
            }
        }
        Err(Error::TokenNotInPool(IndexRouterTokenNotInPool { pool, token }))
    }

    /// Validates a route and resolves each hop's pool tokens.
    ///
    /// # Errors
    /// [`IndexRouterInvalidPath`], [`IndexRouterPoolRepeated`],
    /// [`IndexRouterWrapperRepeated`], [`IndexRouterTokenNotInPool`],
    /// [`IndexRouterCallFailed`].
    pub fn route(&self, pools: &[Address], path: &[Address]) -> Result<Vec<Hop>, Error> {
        let invalid = || Error::InvalidPath(IndexRouterInvalidPath {});
        if pools.is_empty() || pools.len() > MAX_HOPS || path.len() != pools.len().saturating_add(1)
        {
            return Err(invalid());
        }
        let mut hops: Vec<Hop> = Vec::with_capacity(pools.len());
        let mut converted: Vec<Address> = Vec::with_capacity(2 * MAX_HOPS);
        for (&pool, pair) in pools.iter().zip(path.windows(2)) {
            let [token_in, token_out] = *pair else {
                return Err(invalid());
            };
            if token_in == token_out {
                return Err(invalid());
            }
            if hops.iter().any(|h| h.pool == pool) {
                return Err(Error::PoolRepeated(IndexRouterPoolRepeated { pool }));
            }
            let (pool_in, wrap) = self.resolve(pool, token_in)?;
            let (pool_out, unwrap) = self.resolve(pool, token_out)?;
            if pool_in == pool_out {
                return Err(invalid());
            }
            for (pi, conv) in [(pool_in, wrap), (pool_out, unwrap)] {
                if conv {
                    if converted.contains(&pi) {
                        return Err(Error::WrapperRepeated(IndexRouterWrapperRepeated {
                            piToken: pi,
                        }));
                    }
                    converted.push(pi);
                }
            }
            hops.push(Hop { pool, token_in, pool_in, wrap, token_out, pool_out, unwrap });
        }
        Ok(hops)
    }
}

// ------------------------------------------------------------------------------- pi-tokens
impl IndexRouterLens {
    /// The underlying of `token` when it is a pi-token (zero otherwise): see
    /// [`underlying_of`].
    pub fn wrapper_underlying(&self, token: Address) -> Address {
        underlying_of(token)
    }
}

/// `token`'s underlying when `token` is a pi-token, zero otherwise. A pi-token answers
/// `underlying()` with a non-zero address and `venue()` (the pair tells it from other
/// wrappers that have an `underlying()`, such as Compound's cTokens, whose `mint` means
/// something else); a token without them, or without code, is not a pi-token.
pub fn underlying_of(token: Address) -> Address {
    let answer =
        |selector| calls::call(token, selector, &[]).ok().and_then(|r| calls::word(&r, 0).ok());
    let underlying = answer(s::underlyingCall::SELECTOR).and_then(word_address).unwrap_or_default();
    if underlying.is_zero() || answer(s::venueCall::SELECTOR).and_then(word_address).is_none() {
        return Address::ZERO;
    }
    underlying
}

// ------------------------------------------------------------------------------- helpers
fn nonzero(amount: U256) -> Result<(), Error> {
    if amount.is_zero() {
        return Err(zero_amount());
    }
    Ok(())
}

/// A static call returning its data.
fn view(target: Address, selector: [u8; 4], args: &[U256]) -> Result<Vec<u8>, Error> {
    calls::call(target, selector, args).map_err(failed(target))
}

/// A static call returning one word.
fn view_word(target: Address, selector: [u8; 4], args: &[U256]) -> Result<U256, Error> {
    calls::word(&view(target, selector, args)?, 0).map_err(failed(target))
}

fn balance(pool: Address, token: Address) -> Result<U256, Error> {
    view_word(pool, s::getBalanceCall::SELECTOR, &[token.word()])
}

fn weight(pool: Address, token: Address) -> Result<U256, Error> {
    view_word(pool, s::getDenormalizedWeightCall::SELECTOR, &[token.word()])
}

/// The pool's math library call (its `WeightedMath`, from `getImplementations`).
fn math(pool: Address, selector: [u8; 4], args: [U256; 6]) -> Result<U256, Error> {
    let ret = view(pool, s::getImplementationsCall::SELECTOR, &[])?;
    let library = calls::word(&ret, 3)
        .ok()
        .and_then(word_address)
        .ok_or_else(|| failed(pool)(Reason::ZERO))?;
    view_word(library, selector, &args)
}

/// The pool's own refusal, as execution would report it.
fn pool_refuses(pool: Address, selector: [u8; 4]) -> Error {
    failed(pool)(FixedBytes(selector))
}

/// Finalized, and (for swaps and single-token joins and exits) swaps enabled.
fn require_pool(pool: Address, swaps: bool) -> Result<(), Error> {
    if view_word(pool, s::isFinalizedCall::SELECTOR, &[])?.is_zero() {
        return Err(pool_refuses(pool, pe::IndexPoolNotFinalized::SELECTOR));
    }
    if swaps && !view_word(pool, s::isSwapsDisabledCall::SELECTOR, &[])?.is_zero() {
        return Err(pool_refuses(pool, pe::IndexPoolSwapsDisabled::SELECTOR));
    }
    Ok(())
}

fn check_in_ratio(pool: Address, balance: U256, amount: U256) -> Result<(), Error> {
    if amount > wad_mul_down(balance, MAX_IN_RATIO)? {
        return Err(pool_refuses(pool, pe::IndexPoolMaxInRatio::SELECTOR));
    }
    Ok(())
}

fn check_out_ratio(pool: Address, balance: U256, amount: U256) -> Result<(), Error> {
    if amount > wad_mul_down(balance, MAX_OUT_RATIO)? {
        return Err(pool_refuses(pool, pe::IndexPoolMaxOutRatio::SELECTOR));
    }
    Ok(())
}

fn check_min_balance(pool: Address, balance: U256, out: U256) -> Result<(), Error> {
    if balance.checked_sub(out).ok_or(MathError::Underflow)? < MIN_BALANCE {
        return Err(pool_refuses(pool, pe::IndexPoolMinBalance::SELECTOR));
    }
    Ok(())
}

fn check_out(pool: Address, balance: U256, out: U256) -> Result<(), Error> {
    check_out_ratio(pool, balance, out)?;
    check_min_balance(pool, balance, out)
}

#[cfg(test)]
mod tests;
