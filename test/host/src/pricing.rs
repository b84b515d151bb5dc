//! Every number of the gas model, with its source.
//!
//! Nitro sources are cited from `OffchainLabs/nitro` at commit
//! `6dce8d13902649a1acdfd3f2504129f1f5612358` (v3.9.x, April 2026); go-ethereum
//! sources from `OffchainLabs/go-ethereum` `core/vm/operations_acl_arbitrum.go`
//! (the Stylus variants of the EIP-2929/2200/3529 gas functions).

#![allow(
    clippy::unreadable_literal,
    clippy::match_same_arms,
    reason = "numbers and arm groups are copied verbatim from Nitro so they can be diffed against the source"
)]

use wasmparser::Operator;

/// Ink per gas: `initialInkPrice = 10000` ("1 evm gas buys 10k ink"),
/// `arbos/programs/params.go`.
pub const INK_PRICE: u64 = 10_000;

// --- Program entry and memory: arbos/programs/params.go, programs.go, memory.go ---

/// `InitialFreePages = 2`: pages every transaction gets for free.
pub const FREE_PAGES: u16 = 2;
/// `InitialPageGas = 1000`: linear gas per WASM page beyond the free ones.
pub const PAGE_GAS: u64 = 1000;
/// `initialPageLimit = 128` pages (8 MiB).
pub const PAGE_LIMIT: u16 = 128;
/// `v2MinInitGas = 69` units of `MinInitGasUnits = 128` gas (Stylus version 2,
/// live since ArbOS 40): 8,832 gas for every call of a program that is not cached.
pub const MIN_INIT_GAS: u64 = 69 * 128;
/// `initialMinCachedGas = 11` units of `MinCachedGasUnits = 32` gas: 352 gas,
/// charged on every call from Stylus version 2 on (`programs.go`, `CallProgram`).
pub const MIN_CACHED_GAS: u64 = 11 * 32;
/// `initialInitCostScalar = 50` × `CostScalarPercent = 2` % = 100 %.
pub const INIT_COST_SCALAR_PERCENT: u64 = 100;
/// `initialCachedCostScalar = 50` × 2 % = 100 %.
pub const CACHED_COST_SCALAR_PERCENT: u64 = 100;

/// `memoryExponents` in `arbos/programs/memory.go`: the exponential part of
/// the memory price, indexed by the most pages ever open in the transaction.
pub const MEMORY_EXPONENTS: [u32; 129] = [
    1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 5, 6, 7, 8, 9, 11, 12, 14, 17, 19, 22, 25, 29, 33, 38,
    43, 50, 57, 65, 75, 85, 98, 112, 128, 147, 168, 193, 221, 253, 289, 331, 379, 434, 497, 569,
    651, 745, 853, 976, 1117, 1279, 1463, 1675, 1917, 2194, 2511, 2874, 3290, 3765, 4309, 4932,
    5645, 6461, 7395, 8464, 9687, 11087, 12689, 14523, 16621, 19024, 21773, 24919, 28521, 32642,
    37359, 42758, 48938, 56010, 64104, 73368, 83971, 96106, 109994, 125890, 144082, 164904, 188735,
    216010, 247226, 282953, 323844, 370643, 424206, 485509, 555672, 635973, 727880, 833067, 953456,
    1091243, 1248941, 1429429, 1636000, 1872423, 2143012, 2452704, 2807151, 3212820, 3677113,
    4208502, 4816684, 5512756, 6309419, 7221210, 8264766, 9459129, 10826093, 12390601, 14181199,
    16230562, 18576084, 21260563, 24332984, 27849408, 31873999,
];

/// `MemoryModel.GasCost(new, open, ever)` (`arbos/programs/memory.go`): the gas
/// to open `new` pages when `open` pages are open now and at most `ever` were
/// open at once during the transaction.
pub fn memory_gas(new: u16, open: u16, ever: u16) -> u64 {
    let new_open = open.saturating_add(new);
    let new_ever = ever.max(new_open);
    if new_ever <= FREE_PAGES {
        return 0;
    }
    let sub_free = |pages: u16| pages.saturating_sub(FREE_PAGES);
    let adding = sub_free(new_open).saturating_sub(sub_free(open));
    let linear = u64::from(adding).saturating_mul(PAGE_GAS);
    let exp =
        |pages: u16| MEMORY_EXPONENTS.get(usize::from(pages)).map_or(u64::MAX, |&e| u64::from(e));
    linear.saturating_add(exp(new_ever).saturating_sub(exp(ever)))
}

// --- Per-opcode ink: crates/prover/src/programs/meter.rs (`pricing_v1`) and config.rs ---

/// `ink_header_cost: 2450`: added to every basic block for the ink check
/// (`CompileConfig::version`, `crates/prover/src/programs/config.rs`).
pub const INK_HEADER_COST: u64 = 2450;
/// `memory_fill_ink: 800 / 8` ink per byte of `memory.fill`.
pub const MEMORY_FILL_INK_PER_BYTE: u64 = 100;
/// `memory_copy_ink: 800 / 8` ink per byte of `memory.copy`.
pub const MEMORY_COPY_INK_PER_BYTE: u64 = 100;

/// Nitro's `pricing_v1`: the ink of one operator. `call_indirect_params` is
/// the number of parameters of a `call_indirect`'s type. Operators Stylus
/// rejects (floats, SIMD, reference types, …) cost `u64::MAX`.
pub fn opcode_ink(op: &Operator<'_>, call_indirect_params: usize) -> u64 {
    #[allow(clippy::enum_glob_use, reason = "a price table over the whole operator set")]
    use Operator::*;
    match op {
        Unreachable | Return | Nop | I32Const { .. } | I64Const { .. } => 1,
        // "could be 1, but using a higher number helps limit the number of ops in BOLD"
        Drop => 9,
        Block { .. } | Loop { .. } | Else | End => 1,
        Br { .. } | BrIf { .. } | If { .. } => 765,
        Select => 1250,
        Call { .. } => 3800,
        LocalGet { .. } | LocalTee { .. } => 75,
        LocalSet { .. } => 210,
        GlobalGet { .. } => 225,
        GlobalSet { .. } => 575,
        I32Load { .. }
        | I32Load8S { .. }
        | I32Load8U { .. }
        | I32Load16S { .. }
        | I32Load16U { .. } => 670,
        I64Load { .. }
        | I64Load8S { .. }
        | I64Load8U { .. }
        | I64Load16S { .. }
        | I64Load16U { .. }
        | I64Load32S { .. }
        | I64Load32U { .. } => 680,
        I32Store { .. } | I32Store8 { .. } | I32Store16 { .. } => 825,
        I64Store { .. } | I64Store8 { .. } | I64Store16 { .. } | I64Store32 { .. } => 950,
        MemorySize { .. } => 3000,
        // "rest of cost handled by memory pricer"
        MemoryGrow { .. } => 8050,
        I32Eqz | I32Eq | I32Ne | I32LtS | I32LtU | I32GtS | I32GtU | I32LeS | I32LeU | I32GeS
        | I32GeU => 170,
        I64Eqz | I64Eq | I64Ne | I64LtS | I64LtU | I64GtS | I64GtU | I64LeS | I64LeU | I64GeS
        | I64GeU => 225,
        I32Clz | I32Ctz | I64Clz | I64Ctz => 210,
        I32Add | I32Sub => 70,
        I32Mul | I64Mul => 160,
        I32DivS | I32DivU | I32RemS | I32RemU => 1120,
        I32And | I32Or | I32Xor | I32Shl | I32ShrS | I32ShrU | I32Rotl | I32Rotr => 70,
        I64Add | I64Sub => 100,
        I64DivS | I64DivU | I64RemS | I64RemU => 1270,
        I64And | I64Or | I64Xor | I64Shl | I64ShrS | I64ShrU | I64Rotl | I64Rotr => 100,
        I32Popcnt => 2650,
        I64Popcnt => 6000,
        I32WrapI64 | I64ExtendI32S | I64ExtendI32U => 100,
        I32Extend8S | I32Extend16S | I64Extend8S | I64Extend16S | I64Extend32S => 100,
        MemoryCopy { .. } | MemoryFill { .. } => 950,
        BrTable { targets } => 2400 + 325 * u64::from(targets.len()),
        CallIndirect { .. } => 13610 + 650 * call_indirect_params as u64,
        _ => u64::MAX,
    }
}

/// Nitro's `OperatorInfo::ends_basic_block` (`crates/arbutil/src/operator.rs`):
/// the meter charges a basic block at its start, and these operators end one.
pub fn ends_basic_block(op: &Operator<'_>) -> bool {
    matches!(
        op,
        Operator::End
            | Operator::Else
            | Operator::Return
            | Operator::Loop { .. }
            | Operator::Br { .. }
            | Operator::BrTable { .. }
            | Operator::BrIf { .. }
            | Operator::If { .. }
            | Operator::Call { .. }
            | Operator::CallIndirect { .. }
    )
}

// --- Hostio ink: crates/arbutil/src/pricing.rs ---

/// `HOSTIO_INK`: every hostio.
pub const HOSTIO_INK: u64 = 8400;
/// `PTR_INK = 13440 - HOSTIO_INK`: per pointer argument.
pub const PTR_INK: u64 = 13440 - HOSTIO_INK;
/// `EVM_API_INK`: hostios that go through the EVM API.
pub const EVM_API_INK: u64 = 59673;

/// `READ_ARGS_BASE_INK`, `WRITE_RESULT_BASE_INK`, `RETURN_DATA_SIZE_BASE_INK`, the
/// block/chain getters returning integers, `EVM_GAS_LEFT`/`EVM_INK_LEFT`,
/// `MSG_REENTRANT`, `TX_INK_PRICE`, `PAY_FOR_MEMORY_GROW`: `HOSTIO_INK`.
pub const BASE_INK: u64 = HOSTIO_INK;
/// `STORAGE_LOAD_BASE_INK` = `STORAGE_CACHE_BASE_INK` = `HOSTIO_INK + 2·PTR_INK`.
pub const STORAGE_ACCESS_INK: u64 = HOSTIO_INK + 2 * PTR_INK;
/// `STORAGE_FLUSH_BASE_INK = HOSTIO_INK + EVM_API_INK`.
pub const STORAGE_FLUSH_INK: u64 = HOSTIO_INK + EVM_API_INK;
/// `CALL_CONTRACT_BASE_INK` (also delegate and static calls) = `HOSTIO_INK + 3·PTR_INK + EVM_API_INK`.
pub const CALL_INK: u64 = HOSTIO_INK + 3 * PTR_INK + EVM_API_INK;
/// `CREATE1_BASE_INK = HOSTIO_INK + 3·PTR_INK + EVM_API_INK`.
pub const CREATE1_INK: u64 = HOSTIO_INK + 3 * PTR_INK + EVM_API_INK;
/// `CREATE2_BASE_INK = HOSTIO_INK + 4·PTR_INK + EVM_API_INK`.
pub const CREATE2_INK: u64 = HOSTIO_INK + 4 * PTR_INK + EVM_API_INK;
/// `READ_RETURN_DATA_BASE_INK = HOSTIO_INK + EVM_API_INK`.
pub const READ_RETURN_DATA_INK: u64 = HOSTIO_INK + EVM_API_INK;
/// `EMIT_LOG_BASE_INK = HOSTIO_INK + EVM_API_INK`.
pub const EMIT_LOG_INK: u64 = HOSTIO_INK + EVM_API_INK;
/// `ACCOUNT_BALANCE_BASE_INK` = `ACCOUNT_CODE_HASH_BASE_INK` = `HOSTIO_INK + 2·PTR_INK + EVM_API_INK`.
pub const ACCOUNT_PTR_INK: u64 = HOSTIO_INK + 2 * PTR_INK + EVM_API_INK;
/// `ACCOUNT_CODE_BASE_INK` = `ACCOUNT_CODE_SIZE_BASE_INK` = `HOSTIO_INK + EVM_API_INK`.
pub const ACCOUNT_CODE_INK: u64 = HOSTIO_INK + EVM_API_INK;
/// Getters writing one pointer (`msg_sender`, `msg_value`, `tx_origin`,
/// `contract_address`, `block_basefee`, `block_coinbase`, `tx_gas_price`):
/// `HOSTIO_INK + PTR_INK`.
pub const PTR_GETTER_INK: u64 = HOSTIO_INK + PTR_INK;

/// `write_price(bytes)`: copying `bytes` into WASM memory.
pub fn write_price(bytes: u32) -> u64 {
    5040u64.saturating_add(30u64.saturating_mul(u64::from(bytes.saturating_sub(32))))
}

/// `read_price(bytes)`: copying `bytes` out of WASM memory.
pub fn read_price(bytes: u32) -> u64 {
    16381u64.saturating_add(55u64.saturating_mul(u64::from(bytes.saturating_sub(32))))
}

/// `keccak_price(bytes)`: `native_keccak256` (the hostio pays no `HOSTIO_INK` on top).
pub fn keccak_price(bytes: u32) -> u64 {
    let words = u64::from(bytes.div_ceil(32)).saturating_sub(2);
    121_800u64.saturating_add(21_000u64.saturating_mul(words))
}

// --- EVM gas (crates/arbutil/src/evm/mod.rs, go-ethereum params) ---

/// `SSTORE_SENTRY_GAS` (EIP-2200): the gas a storage write must have left.
pub const SSTORE_SENTRY_GAS: u64 = 2300;
/// `COLD_ACCOUNT_GAS` = `ColdAccountAccessCostEIP2929`.
pub const COLD_ACCOUNT_GAS: u64 = 2600;
/// `COLD_SLOAD_GAS` = `ColdSloadCostEIP2929`.
pub const COLD_SLOAD_GAS: u64 = 2100;
/// `WARM_SLOAD_GAS` = `WarmStorageReadCostEIP2929`.
pub const WARM_SLOAD_GAS: u64 = 100;
/// `SstoreSetGasEIP2200`: zero → non-zero.
pub const SSTORE_SET_GAS: u64 = 20_000;
/// `SstoreResetGasEIP2200`: non-zero → other (before subtracting the cold part).
pub const SSTORE_RESET_GAS: u64 = 5000;
/// `SstoreClearsScheduleRefundEIP3529 = SSTORE_RESET_GAS - COLD_SLOAD + ACCESS_LIST_STORAGE_KEY (1900)`: 4,800.
pub const SSTORE_CLEARS_REFUND: u64 = 4800;
/// EIP-3529: the refund is capped at a fifth of the gas used.
pub const MAX_REFUND_QUOTIENT: u64 = 5;
/// `LOG_TOPIC_GAS` (375 per topic, plus one for the LOG opcode itself).
pub const LOG_TOPIC_GAS: u64 = 375;
/// `LOG_DATA_GAS` per byte.
pub const LOG_DATA_GAS: u64 = 8;
/// `CallValueTransferGas`.
pub const CALL_VALUE_GAS: u64 = 9000;
/// `CallNewAccountGas`: value sent to an empty account.
pub const CALL_NEW_ACCOUNT_GAS: u64 = 25_000;
/// `CallStipend`: added to a call that sends value.
pub const CALL_STIPEND: u64 = 2300;
/// `CreateGas`.
pub const CREATE_GAS: u64 = 32_000;
/// `Keccak256WordGas` (CREATE2 hashes the init code).
pub const KECCAK_WORD_GAS: u64 = 6;
/// `ExtcodeSizeGasEIP150`: the `withCode` part of `WasmAccountTouchCost` at the
/// 24 KiB max code size.
pub const EXTCODE_GAS: u64 = 700;
/// `StorageCache::REQUIRED_ACCESS_GAS` (crates/arbutil/src/evm/storage.rs).
pub const STORAGE_CACHE_REQUIRED_GAS: u64 = 10;
/// Intrinsic gas of a transaction (`TxGas`).
pub const TX_GAS: u64 = 21_000;
/// Calldata gas per zero byte (`TxDataZeroGas`).
pub const TX_DATA_ZERO_GAS: u64 = 4;
/// Calldata gas per non-zero byte (`TxDataNonZeroGasEIP2028`).
pub const TX_DATA_NON_ZERO_GAS: u64 = 16;
/// EVM memory gas per word (`MemoryGas`), for `evmMemoryCost` of return data.
pub const MEMORY_GAS: u64 = 3;
/// `QuadCoeffDiv`.
pub const QUAD_COEFF_DIV: u64 = 512;

/// `StorageCache::read_gas`: the n-th storage read of a call (1-based) costs
/// 0 gas up to 32, then 2 up to 128, then 10.
pub fn cache_read_gas(nth: usize) -> u64 {
    match nth {
        0..=32 => 0,
        33..=128 => 2,
        _ => 10,
    }
}

/// `StorageCache::write_gas`: the n-th cached write (1-based) costs 0 gas up
/// to 8, then 7 up to 64, then 10.
pub fn cache_write_gas(nth: usize) -> u64 {
    match nth {
        0..=8 => 0,
        9..=64 => 7,
        _ => 10,
    }
}

/// `evmMemoryCost(size)` (`arbos/programs/programs.go`): return data must cost
/// at least what the EVM would charge for memory of that size.
pub fn evm_memory_cost(bytes: u64) -> u64 {
    let words = bytes.div_ceil(32);
    words.saturating_mul(MEMORY_GAS).saturating_add(words.saturating_mul(words) / QUAD_COEFF_DIV)
}

/// Intrinsic gas of a transaction with `calldata` (EIP-2028), no access list.
pub fn intrinsic_gas(calldata: &[u8]) -> u64 {
    calldata.iter().fold(TX_GAS, |gas, &b| {
        gas.saturating_add(if b == 0 { TX_DATA_ZERO_GAS } else { TX_DATA_NON_ZERO_GAS })
    })
}

/// The EIP-2200/2929/3529 price of writing `new` to a slot whose value is
/// `current` now and was `original` when the transaction started
/// (`WasmStateStoreCost`, without the cold surcharge, which the caller adds).
/// Returns `(gas, refund delta)`.
pub fn sstore_cost(original: [u8; 32], current: [u8; 32], new: [u8; 32]) -> (u64, i64) {
    const ZERO: [u8; 32] = [0; 32];
    #[allow(clippy::cast_possible_wrap, reason = "refund constants are below 20,000")]
    let (clears, set_refund, reset_refund) = (
        SSTORE_CLEARS_REFUND as i64,
        (SSTORE_SET_GAS - WARM_SLOAD_GAS) as i64,
        (SSTORE_RESET_GAS - COLD_SLOAD_GAS - WARM_SLOAD_GAS) as i64,
    );
    if current == new {
        // no-op (1)
        return (WARM_SLOAD_GAS, 0);
    }
    if original == current {
        if original == ZERO {
            // create slot (2.1.1)
            return (SSTORE_SET_GAS, 0);
        }
        // write existing slot (2.1.2), delete slot (2.1.2b)
        let refund = if new == ZERO { clears } else { 0 };
        return (SSTORE_RESET_GAS - COLD_SLOAD_GAS, refund);
    }
    // dirty update (2.2)
    let mut refund = 0;
    if original != ZERO {
        if current == ZERO {
            refund -= clears; // recreate slot (2.2.1.1)
        } else if new == ZERO {
            refund += clears; // delete slot (2.2.1.2)
        }
    }
    if original == new {
        refund += if original == ZERO { set_refund } else { reset_refund };
    }
    (WARM_SLOAD_GAS, refund)
}

#[cfg(test)]
mod tests {
    use super::*;

    const Z: [u8; 32] = [0; 32];
    const fn word(b: u8) -> [u8; 32] {
        let mut w = [0u8; 32];
        w[31] = b;
        w
    }

    #[test]
    fn sstore_costs_follow_eip_2200_with_eip_2929_and_3529_numbers() {
        // Fresh slot 0 → 1: SSTORE_SET 20,000, no refund.
        assert_eq!(sstore_cost(Z, Z, word(1)), (20_000, 0));
        // Existing 1 → 2: 5,000 − 2,100 = 2,900.
        assert_eq!(sstore_cost(word(1), word(1), word(2)), (2900, 0));
        // Existing 1 → 0: 2,900 and a 4,800 refund (EIP-3529).
        assert_eq!(sstore_cost(word(1), word(1), Z), (2900, 4800));
        // No-op writes cost a warm read.
        assert_eq!(sstore_cost(word(1), word(1), word(1)), (100, 0));
        // Dirty slot written again: warm read price.
        assert_eq!(sstore_cost(word(1), word(2), word(3)), (100, 0));
        // 0 → 1 → 0 within a transaction: refund 20,000 − 100 = 19,900.
        assert_eq!(sstore_cost(Z, word(1), Z), (100, 19_900));
        // 1 → 2 → 1: refund 5,000 − 2,100 − 100 = 2,800.
        assert_eq!(sstore_cost(word(1), word(2), word(1)), (100, 2800));
        // 1 → 0 → 2: the clearing refund is taken back.
        assert_eq!(sstore_cost(word(1), Z, word(2)), (100, -4800));
        // 1 → 2 → 0: clearing refund.
        assert_eq!(sstore_cost(word(1), word(2), Z), (100, 4800));
        // 1 → 0 → 1: take back the clearing refund, add the reset refund.
        assert_eq!(sstore_cost(word(1), Z, word(1)), (100, -4800 + 2800));
    }

    #[test]
    fn memory_model_matches_nitro_examples() {
        // Two free pages.
        assert_eq!(memory_gas(2, 0, 0), 0);
        // A third page: 1,000 linear + exp(3) − exp(0) = 0.
        assert_eq!(memory_gas(3, 0, 0), 1000);
        // 8 MiB costs about 32 million gas: 126 × 1000 + 31,873,999 − 1.
        assert_eq!(memory_gas(128, 0, 0), 126_000 + 31_873_998);
        // Re-opening pages already paid for once: only the linear part.
        assert_eq!(memory_gas(2, 2, 4), 2000);
        // Beyond the table: unpayable.
        assert_eq!(memory_gas(129, 0, 0), u64::MAX);
    }

    #[test]
    fn hostio_prices_match_nitro_constants() {
        assert_eq!(PTR_INK, 5040);
        assert_eq!(STORAGE_ACCESS_INK, 18_480);
        assert_eq!(CALL_INK, 83_193);
        assert_eq!(write_price(32), 5040);
        assert_eq!(write_price(100), 5040 + 30 * 68);
        assert_eq!(read_price(0), 16_381);
        assert_eq!(keccak_price(64), 121_800);
        assert_eq!(keccak_price(65), 142_800);
        assert_eq!(intrinsic_gas(&[0, 1, 0xff]), 21_000 + 4 + 16 + 16);
        assert_eq!(evm_memory_cost(32), 3);
        assert_eq!(evm_memory_cost(0), 0);
    }
}
