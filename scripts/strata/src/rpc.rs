//! What `strata deploy --rpc-url` needs from a real chain: the deployer key
//! (from an environment variable, never a flag), `cargo stylus deploy`, and
//! a minimal JSON-RPC client that signs legacy EIP-155 transactions with
//! k256 and talks to the node through `curl` (present on every CI image and
//! developer machine; it handles TLS and proxies, and keeps this tool free
//! of an async HTTP stack).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use alloy_primitives::{hex, keccak256, Address, U256};
use k256::ecdsa::SigningKey;
use serde_json::{json, Value};

use crate::error::{Error, Result};

fn rpc_error(message: impl Into<String>) -> Error {
    Error::Deploy(message.into())
}

/// The deployer's key.
pub struct PrivateKey {
    key: SigningKey,
    hex: String,
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PrivateKey({})", self.address())
    }
}

impl PrivateKey {
    /// Reads a hex key (with or without `0x`) from the environment variable `var`.
    ///
    /// # Errors
    /// When the variable is unset or not a valid secp256k1 key.
    pub fn from_env(var: &str) -> Result<Self> {
        let value = std::env::var(var).map_err(|_| {
            rpc_error(format!(
                "set the deployer's private key in the environment variable {var} \
                 (hex, with or without 0x); it is never passed as a flag"
            ))
        })?;
        Self::parse(value.trim()).map_err(|e| rpc_error(format!("{var}: {e}")))
    }

    /// Parses a hex key.
    ///
    /// # Errors
    /// When it is not 32 hex bytes forming a valid key.
    pub fn parse(text: &str) -> std::result::Result<Self, String> {
        let stripped = text.strip_prefix("0x").unwrap_or(text);
        let bytes = hex::decode(stripped).map_err(|_| "not hex".to_owned())?;
        if bytes.len() != 32 {
            return Err(format!("expected 32 bytes, got {}", bytes.len()));
        }
        let key =
            SigningKey::from_slice(&bytes).map_err(|_| "not a valid secp256k1 key".to_owned())?;
        Ok(Self { key, hex: stripped.to_owned() })
    }

    /// The account of the key.
    pub fn address(&self) -> Address {
        let point = self.key.verifying_key().to_encoded_point(false);
        let hash = keccak256(point.as_bytes().get(1..).unwrap_or_default());
        Address::from_slice(hash.get(12..).unwrap_or_default())
    }

    /// Writes the key to a fresh 0600 file for `--private-key-path`; the file
    /// is removed when the returned guard drops.
    ///
    /// # Errors
    /// On I/O errors.
    pub fn temp_file(&self) -> Result<KeyFile> {
        let path = std::env::temp_dir().join(format!("strata-deploy-key-{}", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        let _ = std::fs::remove_file(&path);
        let mut file = options.open(&path).map_err(|e| Error::io("creating", &path, e))?;
        file.write_all(self.hex.as_bytes()).map_err(|e| Error::io("writing", &path, e))?;
        Ok(KeyFile { path })
    }

    /// Signs a legacy EIP-155 transaction; returns the raw bytes.
    ///
    /// # Errors
    /// When signing fails.
    pub fn sign(&self, tx: &LegacyTx) -> Result<Vec<u8>> {
        let unsigned = tx.rlp(None);
        let (signature, recovery) = self
            .key
            .sign_prehash_recoverable(keccak256(&unsigned).as_slice())
            .map_err(|e| rpc_error(format!("signing: {e}")))?;
        let v = u64::from(recovery.to_byte()) + 35 + 2 * tx.chain_id;
        let bytes = signature.to_bytes();
        let (r, s) = bytes.split_at(32);
        Ok(tx.rlp(Some((v, U256::from_be_slice(r), U256::from_be_slice(s)))))
    }
}

/// A private key file that is deleted on drop.
#[derive(Debug)]
pub struct KeyFile {
    path: PathBuf,
}

impl KeyFile {
    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for KeyFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A legacy (type 0) transaction with EIP-155 replay protection.
#[derive(Debug, Clone)]
pub struct LegacyTx {
    /// Nonce.
    pub nonce: u64,
    /// Gas price in wei.
    pub gas_price: U256,
    /// Gas limit.
    pub gas: u64,
    /// Recipient.
    pub to: Address,
    /// Value in wei.
    pub value: U256,
    /// Calldata.
    pub data: Vec<u8>,
    /// Chain id.
    pub chain_id: u64,
}

impl LegacyTx {
    /// RLP of the transaction: unsigned (EIP-155: chain id, 0, 0) or signed.
    pub fn rlp(&self, signature: Option<(u64, U256, U256)>) -> Vec<u8> {
        let (v, r, s) = signature.map_or_else(
            || (uint_bytes(U256::from(self.chain_id)), Vec::new(), Vec::new()),
            |(v, r, s)| (uint_bytes(U256::from(v)), uint_bytes(r), uint_bytes(s)),
        );
        let items = [
            rlp_bytes(&uint_bytes(U256::from(self.nonce))),
            rlp_bytes(&uint_bytes(self.gas_price)),
            rlp_bytes(&uint_bytes(U256::from(self.gas))),
            rlp_bytes(self.to.as_slice()),
            rlp_bytes(&uint_bytes(self.value)),
            rlp_bytes(&self.data),
            rlp_bytes(&v),
            rlp_bytes(&r),
            rlp_bytes(&s),
        ];
        let payload: Vec<u8> = items.concat();
        let mut out = rlp_header(0xc0, payload.len());
        out.extend(payload);
        out
    }
}

/// Big-endian bytes without leading zeros (RLP integers).
fn uint_bytes(v: U256) -> Vec<u8> {
    let bytes = v.to_be_bytes::<32>();
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(32);
    bytes.get(first..).unwrap_or_default().to_vec()
}

fn rlp_header(offset: u8, len: usize) -> Vec<u8> {
    if len < 56 {
        vec![offset + u8::try_from(len).unwrap_or(0)]
    } else {
        let len_bytes = uint_bytes(U256::from(len));
        let mut out = vec![offset + 55 + u8::try_from(len_bytes.len()).unwrap_or(0)];
        out.extend(len_bytes);
        out
    }
}

fn rlp_bytes(bytes: &[u8]) -> Vec<u8> {
    if let [b] = bytes {
        if *b < 0x80 {
            return vec![*b];
        }
    }
    let mut out = rlp_header(0x80, bytes.len());
    out.extend_from_slice(bytes);
    out
}

/// Fails with install instructions when `cargo stylus` is missing.
///
/// # Errors
/// When `cargo stylus --version` does not run.
pub fn require_cargo_stylus() -> Result<()> {
    let output = Command::new(crate::workspace::cargo_program())
        .args(["stylus", "--version"])
        .stdin(Stdio::null())
        .output();
    match output {
        Ok(o) if o.status.success() => Ok(()),
        _ => Err(rpc_error(
            "cargo-stylus is not installed: `cargo install cargo-stylus@0.6.3 --locked` \
             (about 6 minutes), then run this again",
        )),
    }
}

/// Runs `cargo <args>` (a `stylus deploy`) in `cwd`, streaming its output to
/// stderr, and returns the deployed address it reports.
///
/// # Errors
/// When cargo-stylus fails or prints no address.
pub fn cargo_stylus_deploy(cwd: &Path, args: &[String]) -> Result<Address> {
    let output = Command::new(crate::workspace::cargo_program())
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .map_err(|source| Error::Spawn { program: "cargo stylus".into(), source })?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    eprint!("{text}");
    if !output.status.success() {
        return Err(Error::CommandFailed {
            what: "cargo stylus deploy".into(),
            status: output.status.to_string(),
            hint: " (see its output above)".into(),
        });
    }
    deployed_address(&text).ok_or_else(|| {
        rpc_error("cargo stylus deploy succeeded but printed no `deployed code at address`")
    })
}

/// The address in cargo-stylus's "deployed code at address: 0x…" line
/// (ANSI colours stripped).
pub fn deployed_address(text: &str) -> Option<Address> {
    let plain = strip_ansi(text);
    let line = plain.lines().find(|l| l.contains("deployed code at address"))?;
    let at = line.find("0x")?;
    line.get(at..at + 42)?.parse().ok()
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A mined transaction.
#[derive(Debug, Clone)]
pub struct TxReceipt {
    /// Hash.
    pub hash: String,
    /// Gas used.
    pub gas_used: u64,
}

/// A JSON-RPC endpoint.
#[derive(Debug, Clone)]
pub struct Client {
    url: String,
}

impl Client {
    /// A client for `url`.
    pub fn new(url: &str) -> Self {
        Self { url: url.to_owned() }
    }

    /// Calls `method`.
    ///
    /// # Errors
    /// When curl is missing, the endpoint is unreachable or answers an error.
    pub fn call(&self, method: &str, params: &Value) -> Result<Value> {
        let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
        let mut child = Command::new("curl")
            .args([
                "-sS",
                "--max-time",
                "30",
                "-H",
                "content-type: application/json",
                "--data-binary",
                "@-",
            ])
            .arg(&self.url)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|_| rpc_error("`curl` is needed to talk to the RPC endpoint; install it"))?;
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(body.to_string().as_bytes());
        }
        let output = child.wait_with_output().map_err(|e| Error::io("running", "curl", e))?;
        if !output.status.success() {
            return Err(rpc_error(format!(
                "cannot reach {}: {}",
                self.url,
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        let reply: Value = serde_json::from_slice(&output.stdout).map_err(|_| {
            rpc_error(format!(
                "{} did not answer JSON-RPC: {}",
                self.url,
                String::from_utf8_lossy(&output.stdout).chars().take(200).collect::<String>()
            ))
        })?;
        if let Some(err) = reply.get("error") {
            return Err(rpc_error(format!("{method}: {err}")));
        }
        reply.get("result").cloned().ok_or_else(|| rpc_error(format!("{method}: no result")))
    }

    fn quantity(&self, method: &str, params: &Value) -> Result<U256> {
        let value = self.call(method, params)?;
        let text = value.as_str().ok_or_else(|| rpc_error(format!("{method}: not a quantity")))?;
        U256::from_str_radix(text.trim_start_matches("0x"), 16)
            .map_err(|_| rpc_error(format!("{method}: bad quantity {text}")))
    }

    /// `eth_chainId`.
    ///
    /// # Errors
    /// As [`Client::call`].
    pub fn chain_id(&self) -> Result<u64> {
        Ok(self.quantity("eth_chainId", &json!([]))?.saturating_to())
    }

    /// The latest block's timestamp (`eth_getBlockByNumber("latest")`).
    ///
    /// # Errors
    /// As [`Client::call`], or when the block has no timestamp.
    pub fn block_timestamp(&self) -> Result<u64> {
        let block = self.call("eth_getBlockByNumber", &json!(["latest", false]))?;
        block
            .get("timestamp")
            .and_then(Value::as_str)
            .and_then(|t| u64::from_str_radix(t.trim_start_matches("0x"), 16).ok())
            .ok_or_else(|| rpc_error("eth_getBlockByNumber: the latest block has no timestamp"))
    }

    /// Signs and sends a call from `key` to `to`, waits for its receipt.
    ///
    /// # Errors
    /// When a request fails, the transaction reverts or is not mined in 2 minutes.
    pub fn send(
        &self,
        key: &PrivateKey,
        chain_id: u64,
        to: Address,
        data: &[u8],
    ) -> Result<TxReceipt> {
        let from = key.address();
        let nonce: u64 =
            self.quantity("eth_getTransactionCount", &json!([from, "pending"]))?.saturating_to();
        let gas_price = self.quantity("eth_gasPrice", &json!([]))?;
        let call = json!({ "from": from, "to": to, "data": format!("0x{}", hex::encode(data)) });
        let estimate: u64 = self.quantity("eth_estimateGas", &json!([call]))?.saturating_to();
        let tx = LegacyTx {
            nonce,
            gas_price: gas_price.saturating_mul(U256::from(2u64)),
            gas: estimate.saturating_mul(12) / 10,
            to,
            value: U256::ZERO,
            data: data.to_vec(),
            chain_id,
        };
        let raw = key.sign(&tx)?;
        let hash =
            self.call("eth_sendRawTransaction", &json!([format!("0x{}", hex::encode(raw))]))?;
        let hash = hash.as_str().unwrap_or_default().to_owned();
        let started = Instant::now();
        loop {
            let receipt = self.call("eth_getTransactionReceipt", &json!([hash]))?;
            if !receipt.is_null() {
                if receipt.get("status").and_then(Value::as_str) != Some("0x1") {
                    return Err(rpc_error(format!("transaction {hash} reverted")));
                }
                let gas_used = receipt
                    .get("gasUsed")
                    .and_then(Value::as_str)
                    .and_then(|g| u64::from_str_radix(g.trim_start_matches("0x"), 16).ok())
                    .unwrap_or_default();
                return Ok(TxReceipt { hash, gas_used });
            }
            if started.elapsed() > Duration::from_secs(120) {
                return Err(rpc_error(format!("transaction {hash} not mined after 2 minutes")));
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eip155_signing_matches_the_eip_example() {
        // EIP-155's example: nonce 9, gas price 20 gwei, gas 21000,
        // to 0x3535…35, value 1 ether, chain id 1, key 0x4646…46.
        let key = PrivateKey::parse(&"46".repeat(32)).unwrap();
        let tx = LegacyTx {
            nonce: 9,
            gas_price: U256::from(20_000_000_000u64),
            gas: 21_000,
            to: Address::repeat_byte(0x35),
            value: U256::from(1_000_000_000_000_000_000u64),
            data: Vec::new(),
            chain_id: 1,
        };
        assert_eq!(
            hex::encode(tx.rlp(None)),
            "ec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080"
        );
        assert_eq!(
            hex::encode(key.sign(&tx).unwrap()),
            "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025\
             a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276\
             a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83"
        );
        assert_eq!(
            key.address(),
            "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F".parse::<Address>().unwrap()
        );
    }

    #[test]
    fn the_deployed_address_is_read_from_coloured_cargo_stylus_output() {
        let out = "\u{1b}[38;5;247mdeployed code at address: \u{1b}[38;5;183m0x5fbdb2315678afecb367f032d93f642f64180aa3\u{1b}[0m\n";
        assert_eq!(
            deployed_address(out),
            Some("0x5fbdb2315678afecb367f032d93f642f64180aa3".parse().unwrap())
        );
        assert_eq!(deployed_address("nothing here"), None);
    }

    #[test]
    fn bad_keys_are_rejected_with_a_reason() {
        assert!(PrivateKey::parse("0x12").unwrap_err().contains("32 bytes"));
        assert!(PrivateKey::parse("zz").unwrap_err().contains("hex"));
        assert!(PrivateKey::parse(&"00".repeat(32)).is_err());
    }

    #[test]
    fn an_unreachable_endpoint_is_a_clear_error() {
        let client = Client::new("http://127.0.0.1:9");
        let err = client.chain_id().unwrap_err().to_string();
        assert!(err.contains("127.0.0.1:9") || err.contains("curl"), "{err}");
    }
}
