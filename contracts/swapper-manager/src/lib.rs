//! # Swapper manager
//!
//! Liquidation-free leverage for the Infinity system (InfinityPools model). A trader borrows
//! the liquidity of a range of pool bins that lies entirely above or below the price into a
//! private *swapper* that exchanges the two tokens at a fixed *strike*, pays interest to the
//! bins' LPs, and closes (`unwind`) whenever they like; a loan is only ever force-closed when
//! its term ends, its interest deposit runs out or the bins' rate rises above the trader's
//! tolerance — never because of the price.
//!
//! ## Swapper math
//!
//! For `l` lent in each bin `i` of `[startBin, stopBin]` (bin `i` spans `[√Pa_i, √Pb_i]`):
//!
//! ```text
//! X = Σ ⌈l · (1/√Pa_i − 1/√Pb_i)⌉      max reserve of token0 (price below the range)
//! Y = Σ ⌈l · (√Pb_i − √Pa_i)⌉          max reserve of token1 (price above the range)
//! K = Y / X                            strike (√(Pa·Pb) for one bin)
//! ```
//!
//! The swapper holds `(x0, x1)` on the line `x0/X + x1/Y = 1`; the trader's token mix `m ∈
//! [0, 1]` (WAD) sets `x0 = ⌈X·(1 − m)⌉ + b`, `x1 = ⌈Y·m⌉ + b`, where `b` is the rounding
//! buffer of [`rounding_buffer`] units of each token (1000 plus one per bin of the pool) that
//! keeps the reserves strictly above the line, so that the unwind conversion, which rounds in
//! the pool's favour in every bin it crosses, always has room.
//!
//! - `newLoan` lends the bins (the pool moves what they hold at the price, `(lent0, lent1)`,
//!   into escrow) and the trader pays `x − lent` where positive and receives it where
//!   negative. With the range below the price (token1) and `m = 0`, the trader deposits
//!   `X` of token0 and receives `Y` of token1: borrowing `Y` against a margin worth `X·p − Y`
//!   at price `p`, i.e. leverage `X·p / (X·p − Y) = p / (p − K)` on a long of `X` token0.
//! - `reflow` changes `m` at exactly `K` with no fee: `x1' = ⌈Y·m'⌉ + b` and `x0'` the least
//!   amount keeping the value at strike `x0·K + x1` from falling (rounded up). The trader pays
//!   or receives the differences, so no sequence of reflows gains anything at a fixed price.
//! - `unwind` hands the swapper's reserves (plus the unused deposit and, on the trader's own
//!   close, the keeper bond) to the pool's `restore`, which rebuilds the lent bins at the
//!   current price — selling the surplus token to the float pool for any shortfall — and pays
//!   the trader the rest. Because the line lies above the liquidity curve, the reserves always
//!   cover the bins. When more liquid bins lie between the price and the range than the
//!   pool's conversion walk may cross in one call, the pool converts up to the range's edge
//!   and the loan becomes [`UNWINDING`]; any later `unwind` continues it (README, "Unwinds
//!   that take more than one call").
//!
//! ## Interest
//!
//! Per bin, utilisation `u = lent / L` (after this loan's lending, capped at the maximum
//! utilisation) sets the borrow rate per second `r(u) = r0 · s(u)`,
//! `s(u) = 8/9 + 1/(9·(1 − u)²) = (8·(1−u)² + 1) / (9·(1−u)²)` (rounded up; `s(0) = 1`,
//! `s(0.5) = 4/3`, `s(0.9) = 12`). A bin's principal `P_i` is what its lent liquidity holds in
//! the lent token (token0 above the price, token1 below). Interest is paid in that token.
//!
//! - `FIXED_TERM` (`loanType = 0`): the whole term is prepaid at `newLoan` at the rate after the
//!   loan's own utilisation, discounted by `fixedTermDiscount` (cheaper per second than
//!   revolving, and not refunded): `I_i = ⌈P_i · r_i · term · (1 − d)⌉`, credited at once.
//! - `REVOLVING` (`loanType = 1`): interest accrues per second from the interest deposit at
//!   `R = Σ P_i·r_i`, sampled at each checkpoint (`newLoan`, `topUp`, `accrueInterest`,
//!   `unwind`): `owed = ⌈R · Δt⌉`, capped at the deposit, credited to the bins in proportion
//!   to `P_i·r_i` at crediting time. The unused deposit is refunded at `unwind`.
//! - `maxRate` is the trader's tolerance on the loan rate `ρ = Σ P_i·r_i / Σ P_i` (WAD per
//!   second); `newLoan` reverts above it, and a revolving loan whose current rate exceeds it
//!   can be closed by anyone.
//!
//! Interest reaches LPs through the pool's per-bin growth (`creditInterest`), collected with
//! their fees.
//!
//! ## Forced closes and the keeper bond
//!
//! A fixed-term loan past its term, and a revolving loan whose deposit is exhausted or whose
//! rate exceeds `maxRate`, can be unwound by anyone. The keeper receives a fixed bond
//! (`keeperReward0/1`, in the loan token) that the trader posts at `newLoan` next to the
//! interest deposit and gets back on their own close — so the reward is there even when the
//! deposit is exhausted.
//!
//! ## Call graph
//!
//! ```text
//! trader ──► SwapperManager ──► InfinityPool (lend, restore, settle, creditInterest, views) ──► ERC-20
//!                     └───────► InfinityMath (static: bin amounts)
//! ```
//!
//! This contract holds no tokens. Traders approve the **pool**, which pulls and pays on this
//! contract's instruction (`settle`). The pool never calls this contract.
//!
//! ## Time
//!
//! Public functions read the block timestamp once and call `*_at(now, …)` functions, which the
//! tests drive with any clock.
//!
//! ## Size
//!
//! With the SDK's generated router and `sol_interface!` calls this contract measured 31 KiB
//! compressed, over the 24 KiB Stylus limit. Like the pool, it encodes its calldata, return
//! data, calls, events and errors with the word codec in `abi` (the pool's `abi.rs`, compiled
//! into both) and a hand-written router ([`router`]). Errors from the pool or the math
//! library are bubbled up unchanged, as Solidity does.
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
// The error enum mirrors the Solidity custom errors with their arguments; boxing the large
// variants would cost WASM size on every error path for no gain on the happy path.
#![allow(clippy::result_large_err)]
extern crate alloc;

pub mod router;

use alloc::vec::Vec;

use alloy_primitives::{aliases::I24, Address, I256, U256};
use alloy_sol_types::SolEvent;
use strata_common::{
    abi::{Args, Word},
    call, env, log,
    reentrancy::ReentrancyLock,
};
use strata_math::{bin_bounds, mul_div_down, mul_div_up, MathError, WAD};
use stylus_sdk::{
    alloy_primitives::{Signed, U128, U64, U8},
    prelude::*,
    storage::{
        StorageAddress, StorageBool, StorageI32, StorageMap, StorageU128, StorageU256, StorageU64,
        StorageU8,
    },
};

/// `loanType` of a fixed-term loan (prepaid interest, no refund).
pub const FIXED_TERM: u8 = 0;
/// `loanType` of a revolving loan (interest accrued from a refundable deposit).
pub const REVOLVING: u8 = 1;
/// `loanType` of a loan whose `unwind` has started but could not finish in one call (its
/// conversion crossed the pool's bound of 256 liquid bins): no interest accrues,
/// the interest deposit is in the reserves, and anyone may call `unwind` to continue.
pub const UNWINDING: u8 = 2;
/// Units of each token added to a swapper's reserves above the line for the rounding of the
/// restore itself (in the pool's favour); [`rounding_buffer`] adds one unit per bin of the pool.
pub const ROUNDING_BUFFER: u64 = 1000;
/// Upper bound on the base rate: 1e-6 per second (≈ 3,150% a year before the multiplier).
pub const MAX_BASE_RATE_WAD: U256 = U256::from_limbs([1_000_000_000_000, 0, 0, 0]);

strata_common::sol_events! {
    /// Swapper `swapperId` opened: the trader paid (positive) or received (negative) `amount0`,
    /// `amount1`, which include `interest` (prepaid or deposited) and `keeperBond`.
    event NewLoan(uint256 indexed swapperId, address indexed owner, int24 startBin, int24 stopBin, uint128 liquidityPerBin, uint256 tokenMix, uint8 loanType, int256 amount0, int256 amount1, uint256 interest, uint256 keeperBond);
    /// The token mix changed to `tokenMix` at the strike; the trader paid (positive) or
    /// received (negative) `amount0`, `amount1`.
    event Reflow(uint256 indexed swapperId, uint256 tokenMix, int256 amount0, int256 amount1);
    /// `payer` added `amount` to the interest deposit.
    event TopUp(uint256 indexed swapperId, address indexed payer, uint256 amount);
    /// `amount` of interest was credited to the bins' LPs; `depositLeft` remains.
    event InterestAccrued(uint256 indexed swapperId, uint256 amount, uint256 depositLeft);
    /// The swapper closed; its owner received `amount0`, `amount1` and `caller` `keeperReward`.
    event Unwind(uint256 indexed swapperId, address indexed caller, uint256 amount0, uint256 amount1, uint256 keeperReward);
    /// `caller`'s unwind converted part of the reserves, now `reserve0`, `reserve1`, toward the
    /// range and stopped at the pool's step bound; the loan stays open as `UNWINDING`.
    event UnwindProgress(uint256 indexed swapperId, address indexed caller, uint256 reserve0, uint256 reserve1);
}

alloy_sol_types::sol! {
    /// An address argument is zero.
    #[derive(Debug, PartialEq, Eq)]
    error SwapperManagerZeroAddress();
    /// Constructor parameter `index` (0 base rate, 1 max utilisation, 2 discount) is out of range.
    #[derive(Debug, PartialEq, Eq)]
    error SwapperManagerInvalidParameter(uint8 index, uint256 value);
    /// `tokenMix` is above 1 (WAD).
    #[derive(Debug, PartialEq, Eq)]
    error SwapperManagerInvalidTokenMix(uint256 tokenMix);
    /// `loanType` is neither `FIXED_TERM` (0) nor `REVOLVING` (1).
    #[derive(Debug, PartialEq, Eq)]
    error SwapperManagerInvalidLoanType(uint8 loanType);
    /// A fixed-term loan needs a term; a revolving loan takes none.
    #[derive(Debug, PartialEq, Eq)]
    error SwapperManagerInvalidTerm(uint8 loanType, uint64 term);
    /// The interest due or deposited (`provided`) is below `required`.
    #[derive(Debug, PartialEq, Eq)]
    error SwapperManagerDepositTooLow(uint256 required, uint256 provided);
    /// Lending would raise the utilisation of `bin` to `utilisationWad`, above the maximum.
    #[derive(Debug, PartialEq, Eq)]
    error SwapperManagerUtilisationAboveMax(int24 bin, uint256 utilisationWad, uint256 maxUtilisationWad);
    /// The loan rate `rateWad` (per second) is above the trader's `maxRateWad`.
    #[derive(Debug, PartialEq, Eq)]
    error SwapperManagerRateAboveMax(uint256 rateWad, uint256 maxRateWad);
    /// Swapper `swapperId` does not exist or is closed.
    #[derive(Debug, PartialEq, Eq)]
    error SwapperManagerInactive(uint256 swapperId);
    /// `caller` does not own swapper `swapperId`.
    #[derive(Debug, PartialEq, Eq)]
    error SwapperManagerNotOwner(uint256 swapperId, address caller);
    /// Swapper `swapperId` is not a revolving loan.
    #[derive(Debug, PartialEq, Eq)]
    error SwapperManagerNotRevolving(uint256 swapperId);
    /// A zero amount.
    #[derive(Debug, PartialEq, Eq)]
    error SwapperManagerZeroAmount();
    /// `caller` may not close swapper `swapperId`: it is healthy and not theirs.
    #[derive(Debug, PartialEq, Eq)]
    error SwapperManagerNotClosable(uint256 swapperId, address caller);
    /// Arithmetic failure; `code` is `strata_math::MathError::code()`.
    #[derive(Debug, PartialEq, Eq)]
    error SwapperManagerMath(uint8 code);
    /// A guarded function was re-entered.
    #[derive(Debug, PartialEq, Eq)]
    error SwapperManagerReentrantCall();
    /// The swapper's unwind has started; only `unwind` may continue it.
    #[derive(Debug, PartialEq, Eq)]
    error SwapperManagerUnwinding(uint256 swapperId);
}

strata_common::abi_errors! {
    bubble Callee;
    ZeroAddress(SwapperManagerZeroAddress {}),
    InvalidParameter(SwapperManagerInvalidParameter { index, value }),
    InvalidTokenMix(SwapperManagerInvalidTokenMix { tokenMix }),
    InvalidLoanType(SwapperManagerInvalidLoanType { loanType }),
    InvalidTerm(SwapperManagerInvalidTerm { loanType, term }),
    DepositTooLow(SwapperManagerDepositTooLow { required, provided }),
    UtilisationAboveMax(SwapperManagerUtilisationAboveMax { bin, utilisationWad, maxUtilisationWad }),
    RateAboveMax(SwapperManagerRateAboveMax { rateWad, maxRateWad }),
    Inactive(SwapperManagerInactive { swapperId }),
    NotOwner(SwapperManagerNotOwner { swapperId, caller }),
    NotRevolving(SwapperManagerNotRevolving { swapperId }),
    ZeroAmount(SwapperManagerZeroAmount {}),
    NotClosable(SwapperManagerNotClosable { swapperId, caller }),
    Math(SwapperManagerMath { code }),
    ReentrantCall(SwapperManagerReentrantCall {}),
    Unwinding(SwapperManagerUnwinding { swapperId }),
}

impl From<MathError> for Error {
    fn from(e: MathError) -> Self {
        Error::Math(SwapperManagerMath { code: e.code() })
    }
}

fn overflow() -> Error {
    Error::from(MathError::Overflow)
}

/// The pool's and the math library's functions this contract calls (selectors only; the
/// calls are encoded by `strata_common::abi`). `test/infinity` checks them against the pool's
/// exported declarations.
pub mod sigs {
    #![allow(missing_docs)]
    alloy_sol_types::sol! {
        function config() external view returns (address token0, address token1, int24 binTicks, uint24 feePips, address positionManager, address swapperManager, address math);
        function binLiquidity(int24 startBin, int24 stopBin) external view returns (uint256[] memory liquidityAndLent);
        function lend(int24 startBin, int24 stopBin, uint128 liquidityPerBin) external returns (uint256 amount0, uint256 amount1, bool token1);
        function restore(int24 startBin, int24 stopBin, uint128 liquidityPerBin, uint256 reserve0, uint256 reserve1) external returns (uint256 left0, uint256 left1, bool restored);
        function settle(address account, uint256 amount0In, uint256 amount1In, uint256 amount0Out, uint256 amount1Out) external;
        function creditInterest(int24 startBin, bool token1, uint256 total, uint256[] calldata growthX128) external;
        function binAmounts(int24 startTick, int24 binTicks, uint256 bins, uint128 liquidity, bool token1) external view returns (uint256[] memory amounts);
    }
}

/// Selectors of the pool and math-library functions this contract calls.
mod sel {
    use alloy_sol_types::SolCall;

    use crate::sigs;
    pub(crate) const CONFIG: [u8; 4] = sigs::configCall::SELECTOR;
    pub(crate) const BIN_LIQUIDITY: [u8; 4] = sigs::binLiquidityCall::SELECTOR;
    pub(crate) const LEND: [u8; 4] = sigs::lendCall::SELECTOR;
    pub(crate) const RESTORE: [u8; 4] = sigs::restoreCall::SELECTOR;
    pub(crate) const SETTLE: [u8; 4] = sigs::settleCall::SELECTOR;
    pub(crate) const CREDIT_INTEREST: [u8; 4] = sigs::creditInterestCall::SELECTOR;
    pub(crate) const BIN_AMOUNTS: [u8; 4] = sigs::binAmountsCall::SELECTOR;
}

/// Calls `target` with `selector` and static `args` (mutating or static) and returns the
/// words of its return data (read whole: the pool and the library are fixed at
/// construction); a revert is bubbled up as [`Error::Callee`].
fn call_words(
    target: Address,
    selector: [u8; 4],
    args: &[U256],
    mutating: bool,
) -> Result<Vec<U256>, Error> {
    // Neither the pool nor the library calls the manager back (see `strata_common::call`).
    call::call_words(target, selector, args, !mutating, call::UNBOUNDED)
        .map(|out| Args(&out).words())
        .map_err(Error::Callee)
}

/// The elements of a single returned `uint256[]` (after its offset and length words).
fn array_of(words: Vec<U256>) -> Vec<U256> {
    words.into_iter().skip(2).collect()
}

/// `s(u) = (8·(1−u)² + 1) / (9·(1−u)²)` in WAD, rounded up, for `u < 1` (WAD).
///
/// # Errors
/// [`MathError::DivisionByZero`] for `u ≥ 1`.
pub fn rate_multiplier(utilisation_wad: U256) -> Result<U256, MathError> {
    let d = WAD
        .checked_sub(utilisation_wad)
        .filter(|d| !d.is_zero())
        .ok_or(MathError::DivisionByZero)?;
    let d2 = d.checked_mul(d).ok_or(MathError::Overflow)?;
    let wad2 = WAD.checked_mul(WAD).ok_or(MathError::Overflow)?;
    let num = d2
        .checked_mul(U256::from(8))
        .and_then(|x| x.checked_add(wad2))
        .ok_or(MathError::Overflow)?;
    let den = d2.checked_mul(U256::from(9)).ok_or(MathError::Overflow)?;
    mul_div_up(num, WAD, den)
}

/// `⌈lent · WAD / liquidity⌉`, zero for an empty bin.
fn utilisation(liquidity: U256, lent: U256) -> Result<U256, MathError> {
    if liquidity.is_zero() {
        return Ok(U256::ZERO);
    }
    mul_div_up(lent, WAD, liquidity)
}

/// One loan.
#[storage]
pub struct Swapper {
    owner: StorageAddress,
    start_bin: StorageI32,
    stop_bin: StorageI32,
    loan_type: StorageU8,
    token1: StorageBool,
    /// Zero once closed.
    liquidity: StorageU128,
    start: StorageU64,
    /// Fixed term: the expiry; revolving: the last interest checkpoint.
    clock: StorageU64,
    max_reserve0: StorageU256,
    max_reserve1: StorageU256,
    reserve0: StorageU256,
    reserve1: StorageU256,
    token_mix: StorageU256,
    deposit: StorageU256,
    rate: StorageU256,
    max_rate: StorageU256,
}

/// The swapper manager.
#[entrypoint]
#[storage]
pub struct SwapperManager {
    pool: StorageAddress,
    math: StorageAddress,
    bin_ticks: StorageI32,
    base_rate: StorageU256,
    max_utilisation: StorageU256,
    fixed_discount: StorageU256,
    keeper_reward0: StorageU256,
    keeper_reward1: StorageU256,
    next_id: StorageU256,
    swappers: StorageMap<U256, Swapper>,
    lock: ReentrancyLock,
}

/// What a loan's bins look like now: per-bin principal in the loan token, per-bin rate, the
/// pool's per-bin liquidity, and the totals.
struct Book {
    principal: Vec<U256>,
    rate: Vec<U256>,
    liquidity: Vec<U256>,
    /// `Σ P_i · r_i` (token·WAD per second).
    weighted: U256,
    /// `Σ P_i`.
    total: U256,
}

/// The swapper view: see [`SwapperManager::swapper`].
pub type SwapperView = (Address, i32, i32, u128, U256, U256, U256, U256, U256, u8, u64, u64, U256);

/// External functions (routed by [`router`]; names in the interface are camelCase).
impl SwapperManager {
    /// Binds the manager to `pool` and the `math` library with the interest parameters: base
    /// rate per second (WAD, at most 1e-6), maximum utilisation (WAD, below 1), fixed-term
    /// discount (WAD, below 1) and the keeper bond in each token.
    ///
    /// # Errors
    /// [`SwapperManagerZeroAddress`], [`SwapperManagerInvalidParameter`],
    /// the pool's error if its `config` fails.
    #[allow(clippy::too_many_arguments)]
    pub fn constructor(
        &mut self,
        pool: Address,
        math: Address,
        base_rate_per_second_wad: U256,
        max_utilisation_wad: U256,
        fixed_term_discount_wad: U256,
        keeper_reward0: U256,
        keeper_reward1: U256,
    ) -> Result<(), Error> {
        if pool.is_zero() || math.is_zero() {
            return Err(Error::ZeroAddress(SwapperManagerZeroAddress {}));
        }
        for (index, value, ok) in [
            (0_u8, base_rate_per_second_wad, base_rate_per_second_wad <= MAX_BASE_RATE_WAD),
            (1, max_utilisation_wad, !max_utilisation_wad.is_zero() && max_utilisation_wad < WAD),
            (2, fixed_term_discount_wad, fixed_term_discount_wad < WAD),
        ] {
            if !ok {
                return Err(Error::InvalidParameter(SwapperManagerInvalidParameter {
                    index,
                    value,
                }));
            }
        }
        let config = call_words(pool, sel::CONFIG, &[], false)?;
        let bin_ticks = I256::from_raw(config.get(2).copied().unwrap_or_default()).as_i32();
        self.pool.set(pool);
        self.math.set(math);
        self.bin_ticks.set(Signed::<32, 1>::try_from(bin_ticks).unwrap_or_default());
        self.base_rate.set(base_rate_per_second_wad);
        self.max_utilisation.set(max_utilisation_wad);
        self.fixed_discount.set(fixed_term_discount_wad);
        self.keeper_reward0.set(keeper_reward0);
        self.keeper_reward1.set(keeper_reward1);
        self.next_id.set(U256::ONE);
        Ok(())
    }

    /// Opens a swapper on `liquidityPerBin` of every bin of `[startBin, stopBin]`, a range
    /// entirely above or below the price, with token mix `tokenMix` (WAD). `loanType` 0
    /// (`FIXED_TERM`) prepays `term` seconds of interest, at most `interestDeposit`; 1
    /// (`REVOLVING`, `term` 0) deposits `interestDeposit`. Both post the keeper bond in the loan
    /// token. The trader approves the pool, which pulls what is due and pays what is owed.
    ///
    /// # Errors
    /// [`SwapperManagerInvalidTokenMix`], [`SwapperManagerInvalidLoanType`],
    /// [`SwapperManagerInvalidTerm`], [`SwapperManagerDepositTooLow`],
    /// [`SwapperManagerUtilisationAboveMax`], [`SwapperManagerRateAboveMax`],
    /// the pool's errors, bubbled up (range, price inside the range,
    /// liquidity unavailable, payment).
    ///
    /// # Events
    /// `NewLoan` (and the pool's `Lend`, `Settle`, `InterestCredited`).
    #[allow(clippy::too_many_arguments)]
    pub fn new_loan(
        &mut self,
        start_bin: i32,
        stop_bin: i32,
        liquidity_per_bin: u128,
        token_mix: U256,
        loan_type: u8,
        term: u64,
        max_rate: U256,
        interest_deposit: U256,
    ) -> Result<U256, Error> {
        let (now, trader) = (env::timestamp(), env::sender());
        self.new_loan_at(
            now,
            trader,
            start_bin,
            stop_bin,
            liquidity_per_bin,
            token_mix,
            loan_type,
            term,
            max_rate,
            interest_deposit,
        )
    }

    /// Changes the token mix of the caller's swapper to `newTokenMix` at exactly the strike,
    /// without fee; the pool pulls or pays the differences.
    ///
    /// # Errors
    /// [`SwapperManagerInactive`], [`SwapperManagerNotOwner`], [`SwapperManagerUnwinding`],
    /// [`SwapperManagerInvalidTokenMix`], the pool's payment errors, bubbled up.
    ///
    /// # Events
    /// `Reflow` (and the pool's `Settle`).
    pub fn reflow(&mut self, swapper_id: U256, new_token_mix: U256) -> Result<(), Error> {
        self.enter()?;
        let caller = env::sender();
        self.active_swapper(swapper_id)?;
        let owner = self.swappers.getter(swapper_id).owner.get();
        if caller != owner {
            return Err(Error::NotOwner(SwapperManagerNotOwner { swapperId: swapper_id, caller }));
        }
        check_mix(new_token_mix)?;
        let s = self.swappers.getter(swapper_id);
        if s.loan_type.get().to::<u8>() == UNWINDING {
            return Err(Error::Unwinding(SwapperManagerUnwinding { swapperId: swapper_id }));
        }
        let (x_max, y_max) = (s.max_reserve0.get(), s.max_reserve1.get());
        let (x0, x1) = (s.reserve0.get(), s.reserve1.get());
        drop(s);
        let (n0, n1) = reflowed(x_max, y_max, (x0, x1), new_token_mix, self.buffer())?;
        let mut s = self.swappers.setter(swapper_id);
        s.reserve0.set(n0);
        s.reserve1.set(n1);
        s.token_mix.set(new_token_mix);
        drop(s);
        let (d0, d1) = self.settle_net(caller, (n0, n1), (x0, x1))?;
        log::emit(
            &[Reflow::SIGNATURE_HASH, log::topic(swapper_id)],
            &[new_token_mix, d0.into_raw(), d1.into_raw()],
        );
        self.lock.exit();
        Ok(())
    }

    /// Adds `amount` to a revolving swapper's interest deposit (anyone may pay), after
    /// crediting the interest accrued so far.
    ///
    /// # Errors
    /// [`SwapperManagerInactive`], [`SwapperManagerNotRevolving`],
    /// [`SwapperManagerZeroAmount`], the pool's payment errors, bubbled up.
    ///
    /// # Events
    /// `TopUp`, `InterestAccrued`.
    pub fn top_up(&mut self, swapper_id: U256, amount: U256) -> Result<(), Error> {
        let (now, payer) = (env::timestamp(), env::sender());
        self.top_up_at(now, payer, swapper_id, amount)
    }

    /// Credits a revolving swapper's interest accrued so far to its bins' LPs and samples the
    /// bins' rates again. Anyone may call. Returns the amount credited.
    ///
    /// # Errors
    /// [`SwapperManagerInactive`], [`SwapperManagerNotRevolving`], the pool's errors, bubbled up.
    ///
    /// # Events
    /// `InterestAccrued` (and the pool's `InterestCredited`).
    pub fn accrue_interest(&mut self, swapper_id: U256) -> Result<U256, Error> {
        self.accrue_interest_at(env::timestamp(), swapper_id)
    }

    /// Closes a swapper: the pool rebuilds the lent bins at the current price from the
    /// swapper's reserves and pays the owner the rest with the unused deposit. The owner may
    /// always close; anyone may close an expired, exhausted or over-rate loan and receives the
    /// keeper bond. Returns what the owner received.
    ///
    /// When the pool's conversion cannot reach the range within its step bound, the call
    /// does not revert: the pool converts what it can, the loan becomes `UNWINDING` with the
    /// converted reserves (and the unused deposit), and returns zeros. Anyone may call
    /// `unwind` again to continue; whoever completes it is paid as above (the keeper bond
    /// goes to a caller who is not the owner).
    ///
    /// # Errors
    /// [`SwapperManagerInactive`], [`SwapperManagerNotClosable`];
    /// the pool's error only if a token transfer to the owner fails.
    ///
    /// # Events
    /// `Unwind` (and the pool's `Restore`, `Settle`, `InterestCredited`), or `UnwindProgress`
    /// (and the pool's `Swap`) when the unwind has to continue.
    pub fn unwind(&mut self, swapper_id: U256) -> Result<(U256, U256), Error> {
        let (now, caller) = (env::timestamp(), env::sender());
        self.unwind_at(now, caller, swapper_id)
    }

    /// A swapper: owner, range, liquidity per bin, strike (WAD, token1 per token0), max
    /// reserves `X`, `Y`, reserves, loan type, start, expiry (for a revolving loan: when the
    /// deposit runs out at the current accrual rate) and the interest deposit (revolving:
    /// what is left after the interest accrued so far; fixed: the prepaid interest).
    pub fn swapper(&self, swapper_id: U256) -> SwapperView {
        self.swapper_at(env::timestamp(), swapper_id)
    }

    /// Whether anyone may close the swapper now: a fixed-term loan past its term, or a
    /// revolving loan whose deposit is exhausted or whose rate is above its `maxRate`.
    ///
    /// # Errors
    /// the pool's or math library's error if reading the bins fails.
    pub fn is_expired(&self, swapper_id: U256) -> Result<bool, Error> {
        self.is_expired_at(env::timestamp(), swapper_id)
    }

    /// The borrow rate per second (WAD) of a bin at its current utilisation (capped at the
    /// maximum utilisation).
    ///
    /// # Errors
    /// the pool's range error for a bin outside its grid.
    pub fn borrow_rate(&self, bin_index: i32) -> Result<U256, Error> {
        let bins = self.bin_state(bin_index, bin_index)?;
        let (liquidity, lent) =
            (bins.first().copied().unwrap_or_default(), bins.get(1).copied().unwrap_or_default());
        self.rate_at(utilisation(liquidity, lent)?)
    }

    /// `(pool, math, baseRatePerSecondWad, maxUtilisationWad, fixedTermDiscountWad,
    /// keeperReward0, keeperReward1, roundingBuffer)`: the last is [`rounding_buffer`] of the
    /// pool, the units of each token a new loan's reserves hold above the line.
    pub fn parameters(&self) -> (Address, Address, U256, U256, U256, U256, U256, U256) {
        (
            self.pool.get(),
            self.math.get(),
            self.base_rate.get(),
            self.max_utilisation.get(),
            self.fixed_discount.get(),
            self.keeper_reward0.get(),
            self.keeper_reward1.get(),
            self.buffer(),
        )
    }
}

fn check_mix(token_mix: U256) -> Result<(), Error> {
    if token_mix > WAD {
        return Err(Error::InvalidTokenMix(SwapperManagerInvalidTokenMix { tokenMix: token_mix }));
    }
    Ok(())
}

/// Units of each token a swapper's reserves hold above the line in a pool of `bin_ticks`:
///
/// ```text
/// b = ROUNDING_BUFFER + 2·⌊MAX_TICK / binTicks⌋      (one unit per bin of the pool)
/// ```
///
/// Every step of the unwind conversion rounds in the pool's favour, its input up and its
/// output down, so each liquid bin the conversion crosses may cost the reserves up to one unit
/// of each token: a bin of dust costs a whole unit and gives back nothing. With one unit per
/// bin, an unwind whose walks cross every bin of the pool once still restores (README,
/// "Rounding buffer"). `bin_ticks` is the pool's, in `[1, 16384]`.
#[must_use]
pub fn rounding_buffer(bin_ticks: i32) -> U256 {
    let (lowest, highest) = bin_bounds(bin_ticks);
    let bins = u64::from(highest.abs_diff(lowest)).saturating_add(1);
    U256::from(ROUNDING_BUFFER.saturating_add(bins))
}

/// Reserves for mix `m` on the line through `(X, 0)` and `(0, Y)`, rounded up, plus `buffer`.
fn reserves_for(
    x_max: U256,
    y_max: U256,
    token_mix: U256,
    buffer: U256,
) -> Result<(U256, U256), Error> {
    let x0 = mul_div_up(x_max, WAD.saturating_sub(token_mix), WAD)?;
    let x1 = mul_div_up(y_max, token_mix, WAD)?;
    Ok((x0.checked_add(buffer).ok_or_else(overflow)?, x1.checked_add(buffer).ok_or_else(overflow)?))
}

/// Reflow at the strike `K = Y / X`: `x1' = ⌈Y·m'⌉ + b` and `x0'` the least amount with
/// `x0'·Y + x1'·X ≥ x0·Y + x1·X` (the value at strike, scaled by `X`, does not fall).
///
/// # Errors
/// [`SwapperManagerMath`] on overflow.
pub fn reflowed(
    x_max: U256,
    y_max: U256,
    (x0, x1): (U256, U256),
    token_mix: U256,
    buffer: U256,
) -> Result<(U256, U256), Error> {
    let (_, n1) = reserves_for(x_max, y_max, token_mix, buffer)?;
    let value = x0
        .checked_mul(y_max)
        .and_then(|a| x1.checked_mul(x_max).and_then(|b| a.checked_add(b)))
        .ok_or_else(overflow)?;
    let spent = n1.checked_mul(x_max).ok_or_else(overflow)?;
    let n0 = if value > spent {
        mul_div_up(value.saturating_sub(spent), U256::ONE, y_max.max(U256::ONE))?
    } else {
        U256::ZERO
    };
    Ok((n0, n1))
}

/// `(in, out)` for a required amount `need` against what is available `have`.
fn flows(need: U256, have: U256) -> (U256, U256) {
    if need >= have {
        (need.saturating_sub(have), U256::ZERO)
    } else {
        (U256::ZERO, have.saturating_sub(need))
    }
}

/// `in − out` as a signed amount (what the trader paid).
fn signed(paid: U256, received: U256) -> Result<I256, Error> {
    let p = I256::try_from(paid).map_err(|_| overflow())?;
    let r = I256::try_from(received).map_err(|_| overflow())?;
    p.checked_sub(r).ok_or_else(overflow)
}

fn i24(x: i32) -> I24 {
    I24::try_from(x).unwrap_or_default()
}

impl SwapperManager {
    fn enter(&mut self) -> Result<(), Error> {
        self.lock.enter().map_err(|_| Error::ReentrantCall(SwapperManagerReentrantCall {}))
    }

    /// [`rounding_buffer`] of this manager's pool.
    fn buffer(&self) -> U256 {
        rounding_buffer(self.bin_ticks.get().as_i32())
    }

    /// The keeper bond of a loan in token1 (`token1`) or token0.
    fn bond_of(&self, token1: bool) -> U256 {
        if token1 {
            self.keeper_reward1.get()
        } else {
            self.keeper_reward0.get()
        }
    }

    fn active_swapper(&self, swapper_id: U256) -> Result<(), Error> {
        if self.swappers.getter(swapper_id).liquidity.get().is_zero() {
            return Err(Error::Inactive(SwapperManagerInactive { swapperId: swapper_id }));
        }
        Ok(())
    }

    /// `r(u) = r0 · s(min(u, uMax))`, rounded up.
    fn rate_at(&self, utilisation_wad: U256) -> Result<U256, Error> {
        let u = utilisation_wad.min(self.max_utilisation.get());
        Ok(mul_div_up(self.base_rate.get(), rate_multiplier(u)?, WAD)?)
    }

    /// The pool's interleaved `[L, lent, …]` for a range.
    fn bin_state(&self, start: i32, stop: i32) -> Result<Vec<U256>, Error> {
        let pool = self.pool.get();
        let words = call_words(pool, sel::BIN_LIQUIDITY, &[start.word(), stop.word()], false)?;
        Ok(array_of(words))
    }

    /// Per-bin amounts of `l` in the range in token1 (`token1`) or token0, from the library.
    fn bin_amounts(
        &self,
        start: i32,
        stop: i32,
        l: u128,
        token1: bool,
    ) -> Result<Vec<U256>, Error> {
        let bt = self.bin_ticks.get().as_i32();
        let math = self.math.get();
        let start_tick = start.checked_mul(bt).ok_or_else(overflow)?;
        let bins = U256::from(stop.saturating_sub(start).saturating_add(1).unsigned_abs());
        let words = call_words(
            math,
            sel::BIN_AMOUNTS,
            &[start_tick.word(), bt.word(), bins, U256::from(l), token1.word()],
            false,
        )?;
        Ok(array_of(words))
    }

    /// The loan's bins now: principals in the loan token, rates at current utilisation.
    fn book(&self, swapper_id: U256) -> Result<Book, Error> {
        let s = self.swappers.getter(swapper_id);
        let (start, stop) = (s.start_bin.get().as_i32(), s.stop_bin.get().as_i32());
        let (l, token1) = (s.liquidity.get().to::<u128>(), s.token1.get());
        drop(s);
        let principal = self.bin_amounts(start, stop, l, token1)?;
        let state = self.bin_state(start, stop)?;
        self.book_from(principal, &state, None)
    }

    /// Rates and totals for `principal` over the pool's `state`; with `check`, rejects bins
    /// above the maximum utilisation (reporting the bin from `check`'s start).
    fn book_from(
        &self,
        principal: Vec<U256>,
        state: &[U256],
        check: Option<i32>,
    ) -> Result<Book, Error> {
        let (mut rate, mut liquidity) = (Vec::new(), Vec::new());
        let (mut weighted, mut total) = (U256::ZERO, U256::ZERO);
        let max = self.max_utilisation.get();
        for (k, p) in principal.iter().enumerate() {
            let l = state.get(k.saturating_mul(2)).copied().unwrap_or_default();
            let lent =
                state.get(k.saturating_mul(2).saturating_add(1)).copied().unwrap_or_default();
            let u = utilisation(l, lent)?;
            if let Some(start) = check {
                if u > max {
                    let bin = start.saturating_add(i32::try_from(k).unwrap_or(i32::MAX));
                    return Err(Error::UtilisationAboveMax(SwapperManagerUtilisationAboveMax {
                        bin: i24(bin),
                        utilisationWad: u,
                        maxUtilisationWad: max,
                    }));
                }
            }
            let r = self.rate_at(u)?;
            weighted =
                p.checked_mul(r).and_then(|w| w.checked_add(weighted)).ok_or_else(overflow)?;
            total = total.checked_add(*p).ok_or_else(overflow)?;
            rate.push(r);
            liquidity.push(l);
        }
        Ok(Book { principal, rate, liquidity, weighted, total })
    }

    /// Credits `amounts` (one per bin of the loan) to the bins' LPs through the pool.
    fn credit(
        &mut self,
        start: i32,
        token1: bool,
        amounts: &[U256],
        liquidity: &[U256],
    ) -> Result<U256, Error> {
        let mut total = U256::ZERO;
        let mut growth = Vec::new();
        for (a, l) in amounts.iter().zip(liquidity) {
            total = total.checked_add(*a).ok_or_else(overflow)?;
            growth.push(mul_div_down(*a, U256::ONE.wrapping_shl(128), (*l).max(U256::ONE))?);
        }
        if !total.is_zero() {
            let pool = self.pool.get();
            let mut args = alloc::vec![
                start.word(),
                token1.word(),
                total,
                U256::from(128),
                U256::from(growth.len()),
            ];
            args.extend(growth);
            call_words(pool, sel::CREDIT_INTEREST, &args, true)?;
        }
        Ok(total)
    }

    /// Pays or pulls the difference between what the swapper (and deposits) need, `need`, and
    /// what is available, `have`, per token; returns what the trader paid (signed).
    fn settle_net(
        &mut self,
        account: Address,
        need: (U256, U256),
        have: (U256, U256),
    ) -> Result<(I256, I256), Error> {
        let (in0, out0) = flows(need.0, have.0);
        let (in1, out1) = flows(need.1, have.1);
        let pool = self.pool.get();
        call_words(pool, sel::SETTLE, &[account.word(), in0, in1, out0, out1], true)?;
        Ok((signed(in0, out0)?, signed(in1, out1)?))
    }

    /// [`Self::new_loan`] at time `now` for `trader`.
    ///
    /// # Errors
    /// As [`Self::new_loan`].
    #[allow(clippy::too_many_arguments, clippy::too_many_lines)]
    pub fn new_loan_at(
        &mut self,
        now: u64,
        trader: Address,
        start_bin: i32,
        stop_bin: i32,
        liquidity_per_bin: u128,
        token_mix: U256,
        loan_type: u8,
        term: u64,
        max_rate: U256,
        interest_deposit: U256,
    ) -> Result<U256, Error> {
        self.enter()?;
        check_mix(token_mix)?;
        match (loan_type, term) {
            (FIXED_TERM, t) if t > 0 => {}
            (REVOLVING, 0) => {
                if interest_deposit.is_zero() {
                    return Err(Error::DepositTooLow(SwapperManagerDepositTooLow {
                        required: U256::ONE,
                        provided: U256::ZERO,
                    }));
                }
            }
            (FIXED_TERM | REVOLVING, _) => {
                return Err(Error::InvalidTerm(SwapperManagerInvalidTerm {
                    loanType: loan_type,
                    term,
                }));
            }
            _ => {
                return Err(Error::InvalidLoanType(SwapperManagerInvalidLoanType {
                    loanType: loan_type,
                }))
            }
        }
        let (start, stop) = (start_bin, stop_bin);
        let lent = call_words(
            self.pool.get(),
            sel::LEND,
            &[start.word(), stop.word(), U256::from(liquidity_per_bin)],
            true,
        )?;
        let word = |k: usize| lent.get(k).copied().unwrap_or_default();
        let (lent0, lent1, token1) = (word(0), word(1), !word(2).is_zero());
        let p0 = self.bin_amounts(start, stop, liquidity_per_bin, false)?;
        let p1 = self.bin_amounts(start, stop, liquidity_per_bin, true)?;
        let sum = |v: &[U256]| {
            v.iter().try_fold(U256::ZERO, |a, b| a.checked_add(*b)).ok_or_else(overflow)
        };
        let (x_max, y_max) = (sum(&p0)?, sum(&p1)?);
        let state = self.bin_state(start, stop)?;
        let book = self.book_from(if token1 { p1 } else { p0 }, &state, Some(start))?;
        let rate = mul_div_up(book.weighted, U256::ONE, book.total.max(U256::ONE))?;
        let discount = WAD.saturating_sub(self.fixed_discount.get());
        // Interest owed per bin (fixed: prepaid for the term) and what the trader puts in.
        let (interest, prepaid) = if loan_type == FIXED_TERM {
            let effective = mul_div_up(rate, discount, WAD)?;
            if effective > max_rate {
                return Err(Error::RateAboveMax(SwapperManagerRateAboveMax {
                    rateWad: effective,
                    maxRateWad: max_rate,
                }));
            }
            let per_second = U256::from(term).checked_mul(discount).ok_or_else(overflow)?;
            let mut prepaid = Vec::new();
            for (p, r) in book.principal.iter().zip(&book.rate) {
                let scale = r.checked_mul(per_second).ok_or_else(overflow)?;
                prepaid.push(mul_div_up(*p, scale, WAD.checked_mul(WAD).ok_or_else(overflow)?)?);
            }
            let total = sum(&prepaid)?;
            if total > interest_deposit {
                return Err(Error::DepositTooLow(SwapperManagerDepositTooLow {
                    required: total,
                    provided: interest_deposit,
                }));
            }
            (total, prepaid)
        } else {
            if rate > max_rate {
                return Err(Error::RateAboveMax(SwapperManagerRateAboveMax {
                    rateWad: rate,
                    maxRateWad: max_rate,
                }));
            }
            (interest_deposit, Vec::new())
        };
        let (x0, x1) = reserves_for(x_max, y_max, token_mix, self.buffer())?;
        let bond = self.bond_of(token1);
        let extra = interest.checked_add(bond).ok_or_else(overflow)?;
        let need = if token1 {
            (x0, x1.checked_add(extra).ok_or_else(overflow)?)
        } else {
            (x0.checked_add(extra).ok_or_else(overflow)?, x1)
        };
        let id = self.next_id.get();
        self.next_id.set(id.checked_add(U256::ONE).ok_or_else(overflow)?);
        let mut s = self.swappers.setter(id);
        s.owner.set(trader);
        s.start_bin.set(Signed::<32, 1>::try_from(start).unwrap_or_default());
        s.stop_bin.set(Signed::<32, 1>::try_from(stop).unwrap_or_default());
        s.loan_type.set(U8::from(loan_type));
        s.token1.set(token1);
        s.liquidity.set(U128::from(liquidity_per_bin));
        s.start.set(U64::from(now));
        s.clock.set(U64::from(if loan_type == FIXED_TERM {
            now.saturating_add(term)
        } else {
            now
        }));
        s.max_reserve0.set(x_max);
        s.max_reserve1.set(y_max);
        s.reserve0.set(x0);
        s.reserve1.set(x1);
        s.token_mix.set(token_mix);
        // Revolving: the refundable deposit; fixed: the prepaid interest (for the record).
        s.deposit.set(interest);
        s.rate.set(book.weighted);
        s.max_rate.set(max_rate);
        drop(s);
        let (amount0, amount1) = self.settle_net(trader, need, (lent0, lent1))?;
        if loan_type == FIXED_TERM {
            self.credit(start, token1, &prepaid, &book.liquidity)?;
        }
        log::emit(
            &[NewLoan::SIGNATURE_HASH, log::topic(id), trader.into_word()],
            &[
                start.word(),
                stop.word(),
                U256::from(liquidity_per_bin),
                token_mix,
                U256::from(loan_type),
                amount0.into_raw(),
                amount1.into_raw(),
                interest,
                bond,
            ],
        );
        self.lock.exit();
        Ok(id)
    }

    /// [`Self::top_up`] at time `now` by `payer`.
    ///
    /// # Errors
    /// As [`Self::top_up`].
    pub fn top_up_at(
        &mut self,
        now: u64,
        payer: Address,
        swapper_id: U256,
        amount: U256,
    ) -> Result<(), Error> {
        self.enter()?;
        self.revolving(swapper_id)?;
        if amount.is_zero() {
            return Err(Error::ZeroAmount(SwapperManagerZeroAmount {}));
        }
        self.checkpoint_at(now, swapper_id)?;
        let mut s = self.swappers.setter(swapper_id);
        let deposit = s.deposit.get().checked_add(amount).ok_or_else(overflow)?;
        s.deposit.set(deposit);
        let token1 = s.token1.get();
        drop(s);
        let (in0, in1) = if token1 { (U256::ZERO, amount) } else { (amount, U256::ZERO) };
        let pool = self.pool.get();
        call_words(pool, sel::SETTLE, &[payer.word(), in0, in1, U256::ZERO, U256::ZERO], true)?;
        log::emit(&[TopUp::SIGNATURE_HASH, log::topic(swapper_id), payer.into_word()], &[amount]);
        self.lock.exit();
        Ok(())
    }

    /// [`Self::accrue_interest`] at time `now`.
    ///
    /// # Errors
    /// As [`Self::accrue_interest`].
    pub fn accrue_interest_at(&mut self, now: u64, swapper_id: U256) -> Result<U256, Error> {
        self.enter()?;
        self.revolving(swapper_id)?;
        let paid = self.checkpoint_at(now, swapper_id)?;
        self.lock.exit();
        Ok(paid)
    }

    fn revolving(&self, swapper_id: U256) -> Result<(), Error> {
        self.active_swapper(swapper_id)?;
        if self.swappers.getter(swapper_id).loan_type.get().to::<u8>() != REVOLVING {
            return Err(Error::NotRevolving(SwapperManagerNotRevolving { swapperId: swapper_id }));
        }
        Ok(())
    }

    /// Interest accrued since the last checkpoint at time `now`, and the deposit: `(owed capped
    /// at the deposit, deposit, uncapped owed)`. Zero for fixed-term and closed loans.
    fn owed_at(&self, now: u64, swapper_id: U256) -> (U256, U256, U256) {
        let s = self.swappers.getter(swapper_id);
        if s.liquidity.get().is_zero() || s.loan_type.get().to::<u8>() != REVOLVING {
            return (U256::ZERO, U256::ZERO, U256::ZERO);
        }
        let dt = now.saturating_sub(s.clock.get().to::<u64>());
        let owed = mul_div_up(s.rate.get(), U256::from(dt), WAD).unwrap_or(U256::MAX);
        let deposit = s.deposit.get();
        (owed.min(deposit), deposit, owed)
    }

    /// Credits the interest accrued up to `now` (capped at the deposit) to the bins in
    /// proportion to `P_i·r_i` at current utilisation, then samples the rate again.
    fn checkpoint_at(&mut self, now: u64, swapper_id: U256) -> Result<U256, Error> {
        let (paid, deposit, _) = self.owed_at(now, swapper_id);
        let book = self.book(swapper_id)?;
        let s = self.swappers.getter(swapper_id);
        let (start, token1) = (s.start_bin.get().as_i32(), s.token1.get());
        drop(s);
        if !paid.is_zero() {
            let mut amounts = Vec::new();
            let mut given = U256::ZERO;
            for (p, r) in book.principal.iter().zip(&book.rate) {
                let weight = p.checked_mul(*r).ok_or_else(overflow)?;
                let a = mul_div_down(paid, weight, book.weighted.max(U256::ONE))?;
                given = given.saturating_add(a);
                amounts.push(a);
            }
            // The rounding remainder goes to the first bin so that exactly `paid` is credited.
            if let Some(first) = amounts.first_mut() {
                *first = first.saturating_add(paid.saturating_sub(given));
            }
            self.credit(start, token1, &amounts, &book.liquidity)?;
        }
        let left = deposit.saturating_sub(paid);
        let mut s = self.swappers.setter(swapper_id);
        s.deposit.set(left);
        s.clock.set(U64::from(now));
        s.rate.set(book.weighted);
        drop(s);
        log::emit(&[InterestAccrued::SIGNATURE_HASH, log::topic(swapper_id)], &[paid, left]);
        Ok(paid)
    }

    /// Whether anyone may close the swapper at time `now` (see [`Self::is_expired`]).
    ///
    /// # Errors
    /// As [`Self::is_expired`].
    pub fn is_expired_at(&self, now: u64, swapper_id: U256) -> Result<bool, Error> {
        let s = self.swappers.getter(swapper_id);
        if s.liquidity.get().is_zero() {
            return Ok(false);
        }
        if s.loan_type.get().to::<u8>() == UNWINDING {
            return Ok(true);
        }
        if s.loan_type.get().to::<u8>() == FIXED_TERM {
            return Ok(now >= s.clock.get().to::<u64>());
        }
        let max_rate = s.max_rate.get();
        drop(s);
        let (_, deposit, owed) = self.owed_at(now, swapper_id);
        if owed >= deposit {
            return Ok(true);
        }
        let book = self.book(swapper_id)?;
        let rate = mul_div_up(book.weighted, U256::ONE, book.total.max(U256::ONE))?;
        Ok(rate > max_rate)
    }

    /// [`Self::unwind`] at time `now` by `caller`.
    ///
    /// # Errors
    /// As [`Self::unwind`].
    pub fn unwind_at(
        &mut self,
        now: u64,
        caller: Address,
        swapper_id: U256,
    ) -> Result<(U256, U256), Error> {
        self.enter()?;
        self.active_swapper(swapper_id)?;
        let owner = self.swappers.getter(swapper_id).owner.get();
        let forced = caller != owner;
        if forced && !self.is_expired_at(now, swapper_id)? {
            return Err(Error::NotClosable(SwapperManagerNotClosable {
                swapperId: swapper_id,
                caller,
            }));
        }
        let revolving = self.swappers.getter(swapper_id).loan_type.get().to::<u8>() == REVOLVING;
        if revolving {
            self.checkpoint_at(now, swapper_id)?;
        }
        let token1 = self.swappers.getter(swapper_id).token1.get();
        let bond = if forced { U256::ZERO } else { self.bond_of(token1) };
        let mut s = self.swappers.setter(swapper_id);
        let (start, stop, l) =
            (s.start_bin.get().as_i32(), s.stop_bin.get().as_i32(), s.liquidity.get().to::<u128>());
        // The unused deposit goes back with the reserves (an unwinding loan's is in them), and
        // so does the bond on the owner's own close; a keeper's close pays it to the keeper.
        let refund = if revolving { s.deposit.get() } else { U256::ZERO };
        let extra = refund.checked_add(bond).ok_or_else(overflow)?;
        let (mut r0, mut r1) = (s.reserve0.get(), s.reserve1.get());
        if token1 {
            r1 = r1.checked_add(extra).ok_or_else(overflow)?;
        } else {
            r0 = r0.checked_add(extra).ok_or_else(overflow)?;
        }
        s.liquidity.set(U128::ZERO);
        s.reserve0.set(U256::ZERO);
        s.reserve1.set(U256::ZERO);
        s.deposit.set(U256::ZERO);
        drop(s);
        let pool = self.pool.get();
        let left = call_words(
            pool,
            sel::RESTORE,
            &[start.word(), stop.word(), U256::from(l), r0, r1],
            true,
        )?;
        let word = |k: usize| left.get(k).copied().unwrap_or_default();
        let (mut left0, mut left1) = (word(0), word(1));
        if word(2).is_zero() {
            // Not restored yet: the loan keeps its bins with the converted reserves, and the
            // bond goes back apart for whoever completes the unwind. The conversion sold at
            // most what the swapper's own reserves afford (the line), never the bond.
            if token1 {
                left1 = left1.checked_sub(bond).ok_or_else(overflow)?;
            } else {
                left0 = left0.checked_sub(bond).ok_or_else(overflow)?;
            }
            let mut s = self.swappers.setter(swapper_id);
            s.liquidity.set(U128::from(l));
            s.reserve0.set(left0);
            s.reserve1.set(left1);
            s.loan_type.set(U8::from(UNWINDING));
            drop(s);
            log::emit(
                &[UnwindProgress::SIGNATURE_HASH, log::topic(swapper_id), caller.into_word()],
                &[left0, left1],
            );
            self.lock.exit();
            return Ok((U256::ZERO, U256::ZERO));
        }
        let reward = if forced { self.bond_of(token1) } else { U256::ZERO };
        call_words(pool, sel::SETTLE, &[owner.word(), U256::ZERO, U256::ZERO, left0, left1], true)?;
        if !reward.is_zero() {
            let (o0, o1) = if token1 { (U256::ZERO, reward) } else { (reward, U256::ZERO) };
            call_words(pool, sel::SETTLE, &[caller.word(), U256::ZERO, U256::ZERO, o0, o1], true)?;
        }
        log::emit(
            &[Unwind::SIGNATURE_HASH, log::topic(swapper_id), caller.into_word()],
            &[left0, left1, reward],
        );
        self.lock.exit();
        Ok((left0, left1))
    }

    /// [`Self::swapper`] at time `now`.
    pub fn swapper_at(&self, now: u64, swapper_id: U256) -> SwapperView {
        let s = self.swappers.getter(swapper_id);
        let (x_max, y_max) = (s.max_reserve0.get(), s.max_reserve1.get());
        let strike = mul_div_down(y_max, WAD, x_max.max(U256::ONE)).unwrap_or_default();
        let loan_type = s.loan_type.get().to::<u8>();
        let (expiry, deposit) = if loan_type == REVOLVING {
            let rate = s.rate.get();
            let last = s.clock.get().to::<u64>();
            let runway = if rate.is_zero() {
                u64::MAX
            } else {
                u64::try_from(mul_div_down(s.deposit.get(), WAD, rate).unwrap_or_default())
                    .unwrap_or(u64::MAX)
            };
            let (owed, dep, _) = self.owed_at(now, swapper_id);
            (last.saturating_add(runway), dep.saturating_sub(owed))
        } else {
            (s.clock.get().to::<u64>(), s.deposit.get())
        };
        (
            s.owner.get(),
            s.start_bin.get().as_i32(),
            s.stop_bin.get().as_i32(),
            s.liquidity.get().to::<u128>(),
            strike,
            x_max,
            y_max,
            s.reserve0.get(),
            s.reserve1.get(),
            loan_type,
            s.start.get().to::<u64>(),
            expiry,
            deposit,
        )
    }
}
