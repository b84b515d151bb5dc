//! The `vm_hooks` imports: semantics and prices of Nitro's `UserHost`
//! (`crates/wasm-libraries/user-host-trait/lib.rs`), the EVM side of
//! `arbos/programs/api.go`, and the storage cache of
//! `crates/arbutil/src/evm/req.rs`.
//!
//! Pointers and `usize` are `i32` on wasm32; `u64` is `i64`.

use alloy_primitives::{keccak256, Address, B256, U256};
use wasmi::{Caller, Error, Linker, Val};

use crate::exec::{self, CacheWord, CallKind, Escape, Frame, Message, Status};
use crate::pricing::{self as p, INK_PRICE};
use crate::program::{self, Program};
use crate::state::empty_code_hash;

/// Every `vm_hooks` import the host implements (the whole of stylus-sdk 0.9's
/// `hostio` module). Anything else fails to load, naming the import.
pub const SUPPORTED_IMPORTS: &[&str] = &[
    "account_balance",
    "account_code",
    "account_code_size",
    "account_codehash",
    "block_basefee",
    "block_coinbase",
    "block_gas_limit",
    "block_number",
    "block_timestamp",
    "call_contract",
    "chainid",
    "contract_address",
    "create1",
    "create2",
    "delegate_call_contract",
    "emit_log",
    "evm_gas_left",
    "evm_ink_left",
    "msg_reentrant",
    "msg_sender",
    "msg_value",
    "native_keccak256",
    "pay_for_memory_grow",
    "read_args",
    "read_return_data",
    "return_data_size",
    "static_call_contract",
    "storage_cache_bytes32",
    "storage_flush_cache",
    "storage_load_bytes32",
    "tx_gas_price",
    "tx_ink_price",
    "tx_origin",
    "write_result",
];

type Ctx<'a> = Caller<'a, Frame>;
type R<T> = Result<T, Error>;

fn escape(ctx: &mut Ctx<'_>, e: Escape) -> Error {
    let message = e.to_string();
    ctx.data_mut().escape = Some(e);
    Error::new(message)
}

fn failure(ctx: &mut Ctx<'_>, why: impl Into<String>) -> Error {
    escape(ctx, Escape::Failure(why.into()))
}

fn ink_left(ctx: &Ctx<'_>) -> u64 {
    match ctx.data().ink.map(|g| g.get(ctx)) {
        Some(Val::I64(v)) => u64::try_from(v).unwrap_or(0),
        _ => 0,
    }
}

fn set_ink(ctx: &mut Ctx<'_>, ink: u64) {
    if let Some(g) = ctx.data().ink {
        let _ = g.set(&mut *ctx, Val::I64(i64::try_from(ink).unwrap_or(i64::MAX)));
    }
}

fn out_of_ink(ctx: &mut Ctx<'_>) -> Error {
    set_ink(ctx, 0);
    if let Some(g) = ctx.data().status {
        let _ = g.set(&mut *ctx, Val::I32(1));
    }
    escape(ctx, Escape::OutOfInk)
}

/// `buy_ink`: charges hostio ink.
fn buy_ink(ctx: &mut Ctx<'_>, ink: u64) -> R<()> {
    let left = ink_left(ctx);
    if left < ink {
        return Err(out_of_ink(ctx));
    }
    set_ink(ctx, left - ink);
    let trace = &mut ctx.data_mut().trace;
    trace.hostio_ink = trace.hostio_ink.saturating_add(ink);
    Ok(())
}

/// `buy_gas`: charges EVM gas at the ink price.
fn buy_gas(ctx: &mut Ctx<'_>, gas: u64) -> R<()> {
    let ink = gas.saturating_mul(INK_PRICE);
    let left = ink_left(ctx);
    if left < ink {
        return Err(out_of_ink(ctx));
    }
    set_ink(ctx, left - ink);
    let trace = &mut ctx.data_mut().trace;
    trace.evm_gas = trace.evm_gas.saturating_add(gas);
    Ok(())
}

/// `require_gas`: fails (out of ink) unless `gas` is available, charges nothing.
fn require_gas(ctx: &mut Ctx<'_>, gas: u64) -> R<()> {
    if ink_left(ctx) < gas.saturating_mul(INK_PRICE) {
        return Err(out_of_ink(ctx));
    }
    Ok(())
}

fn gas_left(ctx: &Ctx<'_>) -> u64 {
    ink_left(ctx) / INK_PRICE
}

fn ptr(ctx: &mut Ctx<'_>, p: i32) -> R<usize> {
    u32::try_from(p).map(|v| v as usize).map_err(|_| failure(ctx, "negative pointer"))
}

fn read(ctx: &mut Ctx<'_>, at: i32, len: usize) -> R<Vec<u8>> {
    let at = ptr(ctx, at)?;
    let Some(memory) = ctx.data().memory else { return Err(failure(ctx, "no memory")) };
    let mut buf = vec![0u8; len];
    if memory.read(&*ctx, at, &mut buf).is_err() {
        return Err(failure(ctx, "memory read out of bounds"));
    }
    Ok(buf)
}

fn read_fixed<const N: usize>(ctx: &mut Ctx<'_>, at: i32) -> R<[u8; N]> {
    let bytes = read(ctx, at, N)?;
    let mut out = [0u8; N];
    out.copy_from_slice(&bytes);
    Ok(out)
}

fn read_address(ctx: &mut Ctx<'_>, at: i32) -> R<Address> {
    Ok(Address::from(read_fixed::<20>(ctx, at)?))
}

fn read_b256(ctx: &mut Ctx<'_>, at: i32) -> R<B256> {
    Ok(B256::from(read_fixed::<32>(ctx, at)?))
}

fn write(ctx: &mut Ctx<'_>, at: i32, bytes: &[u8]) -> R<()> {
    let at = ptr(ctx, at)?;
    let Some(memory) = ctx.data().memory else { return Err(failure(ctx, "no memory")) };
    if memory.write(&mut *ctx, at, bytes).is_err() {
        return Err(failure(ctx, "memory write out of bounds"));
    }
    Ok(())
}

fn len_arg(ctx: &mut Ctx<'_>, len: i32) -> R<u32> {
    u32::try_from(len).map_err(|_| failure(ctx, "negative length"))
}

fn to_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Registers every hostio in [`SUPPORTED_IMPORTS`].
#[allow(clippy::too_many_lines, reason = "one closure per hostio, in the SDK's order")]
pub(crate) fn define(linker: &mut Linker<Frame>) {
    macro_rules! hook {
        ($name:literal, $f:expr) => {
            // Names are unique: defining them cannot fail.
            let _ = linker.func_wrap("vm_hooks", $name, $f);
        };
    }

    hook!("read_args", |mut ctx: Ctx<'_>, dest: i32| -> R<()> {
        buy_ink(&mut ctx, p::BASE_INK)?;
        let args = ctx.data().msg.input.clone();
        buy_ink(&mut ctx, p::write_price(u32::try_from(args.len()).unwrap_or(u32::MAX)))?;
        write(&mut ctx, dest, &args)
    });
    hook!("write_result", |mut ctx: Ctx<'_>, data: i32, len: i32| -> R<()> {
        buy_ink(&mut ctx, p::BASE_INK)?;
        let len = len_arg(&mut ctx, len)?;
        buy_ink(&mut ctx, p::read_price(len))?;
        buy_ink(&mut ctx, p::read_price(len))?; // "read from geth"
        let bytes = read(&mut ctx, data, len as usize)?;
        ctx.data_mut().output = bytes;
        Ok(())
    });
    hook!("storage_load_bytes32", |mut ctx: Ctx<'_>, key: i32, dest: i32| -> R<()> {
        buy_ink(&mut ctx, p::STORAGE_ACCESS_INK)?;
        let evm_api_gas = p::EVM_API_INK / INK_PRICE;
        require_gas(&mut ctx, p::COLD_SLOAD_GAS + p::STORAGE_CACHE_REQUIRED_GAS + evm_api_gas)?;
        let key = read_b256(&mut ctx, key)?;
        let frame = ctx.data_mut();
        frame.reads += 1;
        let mut cost = p::cache_read_gas(frame.reads);
        let value = if let Some(word) = frame.cache.get(&key) {
            word.value
        } else {
            let acting = frame.msg.acting;
            let mut chain = frame.chain.borrow_mut();
            let cold = chain.touch_slot(acting, key);
            cost += if cold { p::COLD_SLOAD_GAS } else { p::WARM_SLOAD_GAS } + evm_api_gas;
            let value = chain.world.sload(acting, key);
            chain.tx.slots.read.insert((acting, key));
            drop(chain);
            frame.cache.insert(key, CacheWord { value, known: Some(value) });
            value
        };
        buy_gas(&mut ctx, cost)?;
        write(&mut ctx, dest, value.as_slice())
    });
    hook!("storage_cache_bytes32", |mut ctx: Ctx<'_>, key: i32, value: i32| -> R<()> {
        buy_ink(&mut ctx, p::STORAGE_ACCESS_INK)?;
        require_gas(&mut ctx, p::SSTORE_SENTRY_GAS + p::STORAGE_CACHE_REQUIRED_GAS)?;
        let key = read_b256(&mut ctx, key)?;
        let value = read_b256(&mut ctx, value)?;
        let frame = ctx.data_mut();
        frame.writes += 1;
        let cost = p::cache_write_gas(frame.writes);
        frame
            .cache
            .entry(key)
            .and_modify(|w| w.value = value)
            .or_insert(CacheWord { value, known: None });
        buy_gas(&mut ctx, cost)
    });
    hook!("storage_flush_cache", |mut ctx: Ctx<'_>, clear: i32| -> R<()> {
        buy_ink(&mut ctx, p::STORAGE_FLUSH_INK)?;
        require_gas(&mut ctx, p::SSTORE_SENTRY_GAS)?;
        flush(&mut ctx, clear != 0)
    });
    hook!("block_basefee", |mut ctx: Ctx<'_>, dest: i32| -> R<()> {
        buy_ink(&mut ctx, p::PTR_GETTER_INK)?;
        let v = ctx.data().chain.borrow().world.block.basefee;
        write(&mut ctx, dest, &v.to_be_bytes::<32>())
    });
    hook!("block_coinbase", |mut ctx: Ctx<'_>, dest: i32| -> R<()> {
        buy_ink(&mut ctx, p::PTR_GETTER_INK)?;
        let v = ctx.data().chain.borrow().world.block.coinbase;
        write(&mut ctx, dest, v.as_slice())
    });
    hook!("block_gas_limit", |mut ctx: Ctx<'_>| -> R<i64> {
        buy_ink(&mut ctx, p::BASE_INK)?;
        let v = ctx.data().chain.borrow().world.block.gas_limit;
        Ok(i64::try_from(v).unwrap_or(i64::MAX))
    });
    hook!("block_number", |mut ctx: Ctx<'_>| -> R<i64> {
        buy_ink(&mut ctx, p::BASE_INK)?;
        let v = ctx.data().chain.borrow().world.block.number;
        Ok(i64::try_from(v).unwrap_or(i64::MAX))
    });
    hook!("block_timestamp", |mut ctx: Ctx<'_>| -> R<i64> {
        buy_ink(&mut ctx, p::BASE_INK)?;
        let v = ctx.data().chain.borrow().world.block.timestamp;
        Ok(i64::try_from(v).unwrap_or(i64::MAX))
    });
    hook!("chainid", |mut ctx: Ctx<'_>| -> R<i64> {
        buy_ink(&mut ctx, p::BASE_INK)?;
        let v = ctx.data().chain.borrow().world.block.chain_id;
        Ok(i64::try_from(v).unwrap_or(i64::MAX))
    });
    hook!("call_contract", |mut ctx: Ctx<'_>,
                            contract: i32,
                            data: i32,
                            len: i32,
                            value: i32,
                            gas: i64,
                            ret: i32|
     -> R<i32> {
        call_hostio(&mut ctx, CallKind::Call, contract, data, len, Some(value), gas, ret)
    });
    hook!("static_call_contract", |mut ctx: Ctx<'_>,
                                   contract: i32,
                                   data: i32,
                                   len: i32,
                                   gas: i64,
                                   ret: i32|
     -> R<i32> {
        call_hostio(&mut ctx, CallKind::Static, contract, data, len, None, gas, ret)
    });
    hook!("delegate_call_contract", |mut ctx: Ctx<'_>,
                                     contract: i32,
                                     data: i32,
                                     len: i32,
                                     gas: i64,
                                     ret: i32|
     -> R<i32> {
        call_hostio(&mut ctx, CallKind::Delegate, contract, data, len, None, gas, ret)
    });
    hook!("contract_address", |mut ctx: Ctx<'_>, dest: i32| -> R<()> {
        buy_ink(&mut ctx, p::PTR_GETTER_INK)?;
        let v = ctx.data().msg.acting;
        write(&mut ctx, dest, v.as_slice())
    });
    hook!("create1", |mut ctx: Ctx<'_>,
                      code: i32,
                      len: i32,
                      endowment: i32,
                      contract: i32,
                      ret: i32|
     -> R<()> {
        create_hostio(&mut ctx, code, len, endowment, None, contract, ret)
    });
    hook!("create2", |mut ctx: Ctx<'_>,
                      code: i32,
                      len: i32,
                      endowment: i32,
                      salt: i32,
                      contract: i32,
                      ret: i32|
     -> R<()> {
        create_hostio(&mut ctx, code, len, endowment, Some(salt), contract, ret)
    });
    hook!("emit_log", |mut ctx: Ctx<'_>, data: i32, len: i32, topics: i32| -> R<()> {
        buy_ink(&mut ctx, p::EMIT_LOG_INK)?;
        let len = len_arg(&mut ctx, len)?;
        let topics = len_arg(&mut ctx, topics)?;
        if topics > 4 || len < topics * 32 {
            return Err(failure(&mut ctx, "bad topic data"));
        }
        buy_ink(&mut ctx, p::read_price(len))?;
        let log_gas = (1 + u64::from(topics)) * p::LOG_TOPIC_GAS
            + u64::from(len - topics * 32) * p::LOG_DATA_GAS;
        buy_gas(&mut ctx, log_gas)?;
        let bytes = read(&mut ctx, data, len as usize)?;
        if ctx.data().msg.is_static {
            return Err(failure(&mut ctx, "write protection: emit_log in a static call"));
        }
        let split = topics as usize * 32;
        let topic_list = bytes[..split].chunks(32).map(B256::from_slice).collect();
        let acting = ctx.data().msg.acting;
        ctx.data().chain.borrow_mut().emit(acting, topic_list, bytes[split..].to_vec());
        Ok(())
    });
    hook!("evm_gas_left", |mut ctx: Ctx<'_>| -> R<i64> {
        buy_ink(&mut ctx, p::BASE_INK)?;
        Ok(i64::try_from(gas_left(&ctx)).unwrap_or(i64::MAX))
    });
    hook!("evm_ink_left", |mut ctx: Ctx<'_>| -> R<i64> {
        buy_ink(&mut ctx, p::BASE_INK)?;
        Ok(i64::try_from(ink_left(&ctx)).unwrap_or(i64::MAX))
    });
    hook!("pay_for_memory_grow", |mut ctx: Ctx<'_>, pages: i32| -> R<()> {
        let pages = u16::try_from(pages).unwrap_or(u16::MAX);
        if pages == 0 {
            buy_ink(&mut ctx, p::BASE_INK)?;
        }
        let cost = {
            let mut chain = ctx.data().chain.borrow_mut();
            let cost = p::memory_gas(pages, chain.tx.pages_open, chain.tx.pages_ever);
            chain.tx.pages_open = chain.tx.pages_open.saturating_add(pages);
            chain.tx.pages_ever = chain.tx.pages_ever.max(chain.tx.pages_open);
            cost
        };
        buy_gas(&mut ctx, cost)
    });
    hook!("msg_reentrant", |mut ctx: Ctx<'_>| -> R<i32> {
        buy_ink(&mut ctx, p::BASE_INK)?;
        Ok(i32::from(ctx.data().reentrant))
    });
    hook!("msg_sender", |mut ctx: Ctx<'_>, dest: i32| -> R<()> {
        buy_ink(&mut ctx, p::PTR_GETTER_INK)?;
        let v = ctx.data().msg.caller;
        write(&mut ctx, dest, v.as_slice())
    });
    hook!("msg_value", |mut ctx: Ctx<'_>, dest: i32| -> R<()> {
        buy_ink(&mut ctx, p::PTR_GETTER_INK)?;
        let v = ctx.data().msg.value;
        write(&mut ctx, dest, &v.to_be_bytes::<32>())
    });
    hook!("native_keccak256", |mut ctx: Ctx<'_>, bytes: i32, len: i32, out: i32| -> R<()> {
        let len = len_arg(&mut ctx, len)?;
        buy_ink(&mut ctx, p::keccak_price(len))?;
        let preimage = read(&mut ctx, bytes, len as usize)?;
        write(&mut ctx, out, keccak256(preimage).as_slice())
    });
    hook!("read_return_data", |mut ctx: Ctx<'_>, dest: i32, offset: i32, size: i32| -> R<i32> {
        buy_ink(&mut ctx, p::READ_RETURN_DATA_INK)?;
        let offset = len_arg(&mut ctx, offset)? as usize;
        let size = len_arg(&mut ctx, size)? as usize;
        let data = ctx.data().return_data.clone();
        let max = data.len().saturating_sub(offset);
        buy_ink(&mut ctx, p::write_price(u32::try_from(size.min(max)).unwrap_or(u32::MAX)))?;
        let end = offset.saturating_add(size).min(data.len());
        let slice = data.get(offset.min(end)..end).unwrap_or_default().to_vec();
        if !slice.is_empty() {
            write(&mut ctx, dest, &slice)?;
        }
        Ok(to_i32(slice.len()))
    });
    hook!("return_data_size", |mut ctx: Ctx<'_>| -> R<i32> {
        buy_ink(&mut ctx, p::BASE_INK)?;
        Ok(to_i32(ctx.data().return_data.len()))
    });
    hook!("tx_gas_price", |mut ctx: Ctx<'_>, dest: i32| -> R<()> {
        buy_ink(&mut ctx, p::PTR_GETTER_INK)?;
        let v = ctx.data().chain.borrow().tx.gas_price;
        write(&mut ctx, dest, &v.to_be_bytes::<32>())
    });
    hook!("tx_ink_price", |mut ctx: Ctx<'_>| -> R<i32> {
        buy_ink(&mut ctx, p::BASE_INK)?;
        Ok(i32::try_from(INK_PRICE).unwrap_or(i32::MAX))
    });
    hook!("tx_origin", |mut ctx: Ctx<'_>, dest: i32| -> R<()> {
        buy_ink(&mut ctx, p::PTR_GETTER_INK)?;
        let v = ctx.data().chain.borrow().tx.origin;
        write(&mut ctx, dest, v.as_slice())
    });
    hook!("account_balance", |mut ctx: Ctx<'_>, address: i32, dest: i32| -> R<()> {
        buy_ink(&mut ctx, p::ACCOUNT_PTR_INK)?;
        require_gas(&mut ctx, p::COLD_ACCOUNT_GAS)?;
        let address = read_address(&mut ctx, address)?;
        let (cost, balance) = {
            let mut chain = ctx.data().chain.borrow_mut();
            (account_touch_gas(chain.touch_address(address), false), chain.world.balance(address))
        };
        buy_gas(&mut ctx, cost)?;
        write(&mut ctx, dest, &balance.to_be_bytes::<32>())
    });
    hook!("account_code", |mut ctx: Ctx<'_>,
                           address: i32,
                           offset: i32,
                           size: i32,
                           dest: i32|
     -> R<i32> {
        buy_ink(&mut ctx, p::ACCOUNT_CODE_INK)?;
        require_gas(&mut ctx, p::COLD_ACCOUNT_GAS)?;
        let address = read_address(&mut ctx, address)?;
        let code = account_code(&mut ctx, address)?;
        buy_ink(&mut ctx, p::write_price(u32::try_from(code.len()).unwrap_or(u32::MAX)))?;
        let offset = len_arg(&mut ctx, offset)? as usize;
        let size = len_arg(&mut ctx, size)? as usize;
        let end = offset.saturating_add(size).min(code.len());
        let slice = code.get(offset.min(end)..end).unwrap_or_default().to_vec();
        write(&mut ctx, dest, &slice)?;
        Ok(to_i32(slice.len()))
    });
    hook!("account_code_size", |mut ctx: Ctx<'_>, address: i32| -> R<i32> {
        buy_ink(&mut ctx, p::ACCOUNT_CODE_INK)?;
        require_gas(&mut ctx, p::COLD_ACCOUNT_GAS)?;
        let address = read_address(&mut ctx, address)?;
        let code = account_code(&mut ctx, address)?;
        Ok(to_i32(code.len()))
    });
    hook!("account_codehash", |mut ctx: Ctx<'_>, address: i32, dest: i32| -> R<()> {
        buy_ink(&mut ctx, p::ACCOUNT_PTR_INK)?;
        require_gas(&mut ctx, p::COLD_ACCOUNT_GAS)?;
        let address = read_address(&mut ctx, address)?;
        let (cost, hash) = {
            let mut chain = ctx.data().chain.borrow_mut();
            let cost = account_touch_gas(chain.touch_address(address), false);
            let account = chain.world.account(address);
            let hash = match &account.program {
                Some(p) => p.code_hash,
                None if account.is_empty() => B256::ZERO,
                None => empty_code_hash(),
            };
            (cost, hash)
        };
        buy_gas(&mut ctx, cost)?;
        write(&mut ctx, dest, hash.as_slice())
    });
}

/// `WasmAccountTouchCost`: cold 2,600 / warm 100, plus 700 with code.
fn account_touch_gas(cold: bool, with_code: bool) -> u64 {
    let code = if with_code { p::EXTCODE_GAS } else { 0 };
    code + if cold { p::COLD_ACCOUNT_GAS } else { p::WARM_SLOAD_GAS }
}

fn account_code(ctx: &mut Ctx<'_>, address: Address) -> R<Vec<u8>> {
    let gas = gas_left(ctx);
    let (cost, code) = {
        let mut chain = ctx.data().chain.borrow_mut();
        let cost = account_touch_gas(chain.touch_address(address), true);
        let code = chain.world.account(address).program.map(|p| p.code.clone()).unwrap_or_default();
        (cost, if gas < cost { Vec::new() } else { code })
    };
    buy_gas(ctx, cost)?;
    Ok(code)
}

/// `flush_storage_cache` + `setTrieSlots`: writes every dirty slot at EVM
/// `SSTORE` prices (EIP-2200/2929/3529), in key order.
fn flush(ctx: &mut Ctx<'_>, clear: bool) -> R<()> {
    let gas_available = gas_left(ctx).saturating_add(1);
    let frame = ctx.data_mut();
    let mut dirty = Vec::new();
    for (key, word) in &mut frame.cache {
        if word.known != Some(word.value) {
            dirty.push((*key, word.value));
            word.known = Some(word.value);
        }
    }
    if clear {
        frame.cache.clear();
    }
    if dirty.is_empty() {
        return Ok(());
    }
    if frame.msg.is_static {
        return Err(failure(ctx, "write protection: storage write in a static call"));
    }
    let acting = frame.msg.acting;
    let mut left = gas_available;
    let mut total = 0u64;
    let mut out_of_gas = false;
    {
        let mut chain = frame.chain.borrow_mut();
        for (key, value) in dirty {
            let cold = chain.touch_slot(acting, key);
            let current = chain.world.sload(acting, key);
            let original = chain.original(acting, key);
            let (gas, refund) = p::sstore_cost(original.0, current.0, value.0);
            let cost = gas + if cold { p::COLD_SLOAD_GAS } else { 0 };
            if cost > left {
                out_of_gas = true;
                break;
            }
            left -= cost;
            total += cost;
            chain.add_refund(refund);
            chain.sstore(acting, key, value);
            chain.tx.slots.written.insert((acting, key));
        }
    }
    if out_of_gas || left == 0 {
        return Err(out_of_ink(ctx));
    }
    buy_gas(ctx, total)
}

#[allow(clippy::too_many_arguments, reason = "the hostio's arguments")]
fn call_hostio(
    ctx: &mut Ctx<'_>,
    kind: CallKind,
    contract: i32,
    data: i32,
    len: i32,
    value: Option<i32>,
    gas: i64,
    ret_len: i32,
) -> R<i32> {
    buy_ink(ctx, p::CALL_INK)?;
    let len = len_arg(ctx, len)?;
    buy_ink(ctx, p::read_price(len))?;
    buy_ink(ctx, p::read_price(len))?; // "read from geth"
    let gas_left_now = gas_left(ctx);
    let gas_req = u64::try_from(gas).unwrap_or(u64::MAX).min(gas_left_now);
    let contract = read_address(ctx, contract)?;
    let input = read(ctx, data, len as usize)?;
    let value = match value {
        Some(v) => U256::from_be_bytes(read_fixed::<32>(ctx, v)?),
        None => U256::ZERO,
    };
    let (cost, output, ok) = do_call(ctx, kind, contract, input, value, gas_left_now, gas_req);
    buy_gas(ctx, cost)?;
    let frame = ctx.data_mut();
    frame.return_data = output;
    let n = frame.return_data.len();
    write(ctx, ret_len, &u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes())?;
    Ok(if ok { 0 } else { 2 })
}

/// `doCall` of `arbos/programs/api.go`: returns (gas cost, return data, success).
fn do_call(
    ctx: &mut Ctx<'_>,
    kind: CallKind,
    contract: Address,
    input: Vec<u8>,
    value: U256,
    gas_left: u64,
    gas_req: u64,
) -> (u64, Vec<u8>, bool) {
    let frame = ctx.data();
    if frame.msg.is_static && kind == CallKind::Call && !value.is_zero() {
        return (0, Vec::new(), false); // ErrWriteProtection
    }
    // WasmCallCost
    let mut base = p::WARM_SLOAD_GAS;
    {
        let mut chain = frame.chain.borrow_mut();
        if chain.touch_address(contract) {
            base += p::COLD_ACCOUNT_GAS - p::WARM_SLOAD_GAS;
        }
        if !value.is_zero() {
            if chain.world.account(contract).is_empty() {
                base += p::CALL_NEW_ACCOUNT_GAS;
            }
            base += p::CALL_VALUE_GAS;
        }
    }
    if base > gas_left {
        return (gas_left, Vec::new(), false);
    }
    let start_gas = (gas_left - base) * 63 / 64;
    let mut gas = start_gas.min(gas_req);
    if !value.is_zero() {
        gas = gas.saturating_add(p::CALL_STIPEND);
    }
    let msg = match kind {
        CallKind::Call | CallKind::Static => Message {
            kind,
            caller: frame.msg.acting,
            acting: contract,
            code_address: contract,
            value,
            input,
            gas,
            is_static: frame.msg.is_static || kind == CallKind::Static,
            depth: frame.msg.depth + 1,
            transfers_value: kind == CallKind::Call,
        },
        CallKind::Delegate => Message {
            kind,
            caller: frame.msg.caller,
            acting: frame.msg.acting,
            code_address: contract,
            value: frame.msg.value,
            input,
            gas,
            is_static: frame.msg.is_static,
            depth: frame.msg.depth + 1,
            transfers_value: false,
        },
    };
    let (rt, chain, config) = (frame.rt.clone(), frame.chain.clone(), frame.config);
    let (outcome, trace) = exec::execute(&rt, &chain, config, &msg);
    let frame = ctx.data_mut();
    frame.trace.children.push(trace);
    let used = gas.saturating_sub(outcome.gas_left);
    frame.trace.call_gas = frame.trace.call_gas.saturating_add(used);
    // `buy_gas` books the whole cost as EVM gas; reports subtract `call_gas`.
    (base.saturating_add(used), outcome.output, outcome.status == Status::Success)
}

#[allow(clippy::too_many_arguments, reason = "the hostio's arguments")]
fn create_hostio(
    ctx: &mut Ctx<'_>,
    code: i32,
    len: i32,
    endowment: i32,
    salt: Option<i32>,
    contract_out: i32,
    ret_len: i32,
) -> R<()> {
    buy_ink(ctx, if salt.is_some() { p::CREATE2_INK } else { p::CREATE1_INK })?;
    let len = len_arg(ctx, len)?;
    buy_ink(ctx, p::read_price(len))?;
    buy_ink(ctx, p::read_price(len))?;
    let initcode = read(ctx, code, len as usize)?;
    let endowment = U256::from_be_bytes(read_fixed::<32>(ctx, endowment)?);
    let salt = match salt {
        Some(s) => Some(read_b256(ctx, s)?),
        None => None,
    };
    let gas = gas_left(ctx);
    if ctx.data().msg.is_static {
        return Err(failure(ctx, "write protection: create in a static call"));
    }
    // `create` in api.go.
    let mut base = p::CREATE_GAS;
    if salt.is_some() {
        base += (initcode.len() as u64).div_ceil(32) * p::KECCAK_WORD_GAS;
    }
    if gas < base {
        return Err(failure(ctx, "out of gas for create"));
    }
    let mut child_gas = gas - base;
    let one64th = child_gas / 64;
    child_gas -= one64th;
    let (address, return_gas) = deploy_initcode(ctx, &initcode, endowment, salt, child_gas);
    let cost = gas.saturating_sub(return_gas.saturating_add(one64th));
    buy_gas(ctx, cost)?;
    let frame = ctx.data_mut();
    frame.return_data = Vec::new();
    write(ctx, contract_out, address.as_slice())?;
    write(ctx, ret_len, &0u32.to_le_bytes())
}

/// Runs cargo-stylus deployment init code: returns the new address (zero on
/// failure) and the gas left. Only that prelude is understood: other EVM init
/// code fails the creation.
fn deploy_initcode(
    ctx: &mut Ctx<'_>,
    initcode: &[u8],
    endowment: U256,
    salt: Option<B256>,
    gas: u64,
) -> (Address, u64) {
    let Some(code) = program::code_from_initcode(initcode) else {
        return (Address::ZERO, 0);
    };
    // The prelude: PUSH32, DUP1, PUSH1, PUSH1, CODECOPY (+ copy and memory),
    // PUSH1, RETURN, then 200 gas per deployed byte (code deposit).
    let words = (code.len() as u64).div_ceil(32);
    let exec_gas = 3 * 6 + 3 * words + p::evm_memory_cost(code.len() as u64);
    let deposit = 200 * code.len() as u64;
    let needed = exec_gas + deposit;
    if gas < needed {
        return (Address::ZERO, 0);
    }
    let Ok(wasm) = program::decompress(code) else { return (Address::ZERO, 0) };
    let frame = ctx.data();
    let acting = frame.msg.acting;
    let rt = frame.rt.clone();
    let Ok(program) = Program::load(&rt.engine, &wasm) else { return (Address::ZERO, 0) };
    let mut chain = frame.chain.borrow_mut();
    let nonce = chain.bump_nonce(acting);
    let address = match salt {
        Some(salt) => acting.create2(salt, keccak256(initcode)),
        None => acting.create(nonce),
    };
    let existing = chain.world.account(address);
    if existing.program.is_some() || existing.nonce != 0 {
        return (Address::ZERO, 0);
    }
    if !chain.transfer(acting, address, endowment) {
        return (Address::ZERO, gas);
    }
    chain.bump_nonce(address);
    chain.set_program(address, Some(std::sync::Arc::new(program)));
    (address, gas - needed)
}
