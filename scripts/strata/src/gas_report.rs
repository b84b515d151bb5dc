//! `strata gas-report`: deploys every system in the embedded host, measures
//! its main operations and compares `snapshots/gas.md` with the result (or
//! writes it with `--bless`), like `forge snapshot --check`.
//!
//! **Staleness rule: exact.** The host is deterministic and the artifacts are
//! byte-identical on every machine (see this crate's README), so the
//! regenerated file must equal the committed one byte for byte; the
//! tolerance is zero. Any change — an operation costing more *or* less, a new
//! or removed operation, a different toolchain or wasm-opt — fails until
//! `--bless`. Operations that got more expensive are listed separately as
//! regressions, with the increase in gas and percent, so a reviewer sees the
//! cost of a change before blessing it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::artifacts::{self, Artifacts};
use crate::cli::GasReportArgs;
use crate::error::Result;
use crate::files::{self, GeneratedFile, StaleFile};
use crate::output::Progress;
use crate::systems::{self, Ctx, GasOp, SYSTEMS};
use crate::workspace::Workspace;

/// Root-relative path of the report.
pub const MD_PATH: &str = "snapshots/gas.md";

/// An operation that costs more than in the committed report.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Regression {
    /// `System / operation`.
    pub operation: String,
    /// Gas in the committed report.
    pub before: u64,
    /// Gas now.
    pub after: u64,
    /// Increase in percent.
    pub percent: f64,
}

/// The machine-readable result (`--json`).
#[derive(Debug, Clone, Serialize)]
pub struct GasReportOutput {
    /// Whether the committed report is current (always true with `--bless`).
    pub ok: bool,
    /// Whether the file was written.
    pub bless: bool,
    /// Every measured operation.
    pub operations: Vec<GasOp>,
    /// Operations that cost more than committed.
    pub regressions: Vec<Regression>,
    /// The stale file, if any.
    pub stale: Vec<StaleFile>,
    /// Deployable contracts no system covers yet.
    pub uncovered: Vec<String>,
}

/// Runs `strata gas-report`.
///
/// # Errors
/// When the artifacts cannot be built or a measured operation fails.
pub fn run(args: &GasReportArgs) -> Result<GasReportOutput> {
    let mut progress = Progress::new(4);
    progress.step("Discovering deployable contracts");
    let ws = Workspace::discover()?;
    let uncovered = systems::uncovered(&ws);
    for s in SYSTEMS {
        progress.line(true, &format!("{}: {}", s.name, s.description));
    }
    if !uncovered.is_empty() {
        progress.warn(&format!("not covered by any system yet: {}", uncovered.join(", ")));
    }

    progress.step("Building the release artifacts (as `strata check`)");
    let artifacts = artifacts::ensure(&ws)?;
    progress.note(&format!("{} artifacts in {}", artifacts.wasm.len(), artifacts.dir.display()));

    progress.step("Measuring in the embedded host");
    let operations = measure_all(&artifacts, &progress)?;

    progress.step(if args.bless {
        "Writing snapshots/gas.md"
    } else {
        "Comparing with snapshots/gas.md"
    });
    let toolchain = ws.toolchain()?;
    let content = render(&operations, &toolchain, artifacts.wasm_opt_version.as_deref());
    let file = GeneratedFile { path: MD_PATH.into(), content };
    let committed = std::fs::read_to_string(ws.root.join(MD_PATH)).unwrap_or_default();
    let regressions = regressions(&committed, &operations);
    for r in &regressions {
        progress
            .warn(&format!("{}: {} → {} gas (+{:.2}%)", r.operation, r.before, r.after, r.percent));
    }
    let (stale, ok) = if args.bless {
        let written = files::write(&ws.root, std::slice::from_ref(&file), &[])?;
        progress.line(
            true,
            if written.is_empty() { "already up to date" } else { "wrote snapshots/gas.md" },
        );
        (Vec::new(), true)
    } else {
        let stale = files::compare(&ws.root, std::slice::from_ref(&file), &[]);
        for s in &stale {
            progress.line(false, &format!("{} is stale (- committed, + now)", s.path));
            progress.detail(&s.diff);
        }
        if stale.is_empty() {
            progress.line(true, "snapshots/gas.md is current");
        } else {
            progress.warn("run `cargo strata gas-report --bless` and commit the result");
        }
        let ok = stale.is_empty();
        (stale, ok)
    };
    progress.end_step();
    Ok(GasReportOutput { ok, bless: args.bless, operations, regressions, stale, uncovered })
}

/// Deploys the systems each on a fresh chain (with the systems before it,
/// which it may use) and measures their operations.
///
/// # Errors
/// When a deployment or a measured operation fails.
pub fn measure_all(artifacts: &Artifacts, progress: &Progress) -> Result<Vec<GasOp>> {
    let mut operations = Vec::new();
    for (index, system) in SYSTEMS.iter().enumerate() {
        let mut ctx = Ctx::new(artifacts);
        for earlier in SYSTEMS.iter().take(index + 1) {
            ctx.execute_plan(earlier)?;
        }
        let ops = (system.gas)(&mut ctx)?;
        for op in &ops {
            progress.line(true, &format!("{:<58} {:>9} gas", op.operation, op.gas));
        }
        operations.extend(ops);
    }
    Ok(operations)
}

/// The Markdown report.
pub fn render(operations: &[GasOp], toolchain: &str, wasm_opt: Option<&str>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Gas report\n");
    let _ = writeln!(
        out,
        "Generated by `strata gas-report --bless`; `strata gas-report` (and CI) fails when this \
         file differs in any byte from what the current artifacts produce. Do not edit by hand.\n"
    );
    let _ = writeln!(
        out,
        "- Measured in `strata-host`: the release WASM with Nitro's ink metering (Stylus v2, \
         10,000 ink = 1 gas), hostio and entry prices, EIP-2929/2200/3529 storage. Model and \
         calibration error: `test/host/README.md`."
    );
    let _ = writeln!(
        out,
        "- `gas` = intrinsic (21,000 + calldata) + execution − refund, L1 data fee excluded. \
         Programs are priced **uncached** (a fresh deployment); `entry` shows the program-entry \
         part, of which all but `cachedGas` disappears once the program is cached."
    );
    let _ = writeln!(
        out,
        "- `wasm` = WASM instructions, `hostio` = hostio prices, `evm` = storage, logs, calls and \
         account access at EVM prices; `slots` = distinct storage slots read from state / written."
    );
    let _ = writeln!(
        out,
        "- toolchain `{toolchain}`, wasm-opt {}\n",
        wasm_opt.map_or_else(|| "not used".to_owned(), |v| format!("version {v}"))
    );
    for system in SYSTEMS {
        let rows: Vec<&GasOp> = operations.iter().filter(|o| o.system == system.name).collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {} — {}\n", system.name, system.description);
        let _ = writeln!(
            out,
            "| operation | gas | entry | wasm | hostio | evm | refund | slots read | slots written |"
        );
        let _ = writeln!(out, "|---|--:|--:|--:|--:|--:|--:|--:|--:|");
        for o in rows {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                o.operation,
                thousands(o.gas),
                thousands(o.entry),
                thousands(o.wasm),
                thousands(o.hostio),
                thousands(o.evm),
                thousands(o.refund),
                o.slots_read,
                o.slots_written
            );
        }
        let _ = writeln!(out);
    }
    out
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `System / operation` → gas, from a committed report.
pub fn parse(committed: &str) -> BTreeMap<String, u64> {
    let mut system = String::new();
    let mut out = BTreeMap::new();
    for line in committed.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            title.split(" — ").next().unwrap_or_default().clone_into(&mut system);
            continue;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 || cells.get(1).is_none_or(|c| c.is_empty() || *c == "operation") {
            continue;
        }
        let (Some(op), Some(gas)) = (cells.get(1), cells.get(2)) else { continue };
        if let Ok(gas) = gas.replace(',', "").parse::<u64>() {
            out.insert(format!("{system} / {op}"), gas);
        }
    }
    out
}

/// Operations that cost more now than in `committed`.
pub fn regressions(committed: &str, operations: &[GasOp]) -> Vec<Regression> {
    let before = parse(committed);
    operations
        .iter()
        .filter_map(|o| {
            let key = format!("{} / {}", o.system, o.operation);
            let old = *before.get(&key)?;
            (o.gas > old).then(|| Regression {
                operation: key,
                before: old,
                after: o.gas,
                #[allow(clippy::cast_precision_loss, reason = "a percentage for people")]
                percent: (o.gas - old) as f64 * 100.0 / old.max(1) as f64,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(operation: &str, gas: u64) -> GasOp {
        GasOp {
            system: "Assets".into(),
            operation: operation.into(),
            gas,
            entry: 1,
            wasm: 2,
            hostio: 3,
            evm: 4,
            refund: 0,
            slots_read: 1,
            slots_written: 2,
        }
    }

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn a_rendered_report_parses_back_and_growth_is_a_regression() {
        let ops = [op("MockErc20.transfer", 50_000), op("MockErc20.approve", 40_000)];
        let text = render(&ops, "nightly", Some("108"));
        let parsed = parse(&text);
        assert_eq!(parsed.get("Assets / MockErc20.transfer"), Some(&50_000));
        assert_eq!(parsed.len(), 2);
        let now = [op("MockErc20.transfer", 50_500), op("MockErc20.approve", 39_000)];
        let r = regressions(&text, &now);
        assert_eq!(r.len(), 1, "only the operation that got more expensive");
        assert_eq!((r[0].before, r[0].after), (50_000, 50_500));
        assert!((r[0].percent - 1.0).abs() < 1e-9);
        assert_ne!(render(&now, "nightly", Some("108")), text, "any change makes the file stale");
    }
}
