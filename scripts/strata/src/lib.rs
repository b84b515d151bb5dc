//! `strata`: the project's command line.
//!
//! `strata check` builds every deployable Stylus contract to release WASM,
//! optimises it, checks it offline against Stylus' activation rules and size
//! limits, exports the Solidity interfaces and compares the results with the
//! committed `snapshots/wasm-size.{json,md}` and `interfaces/` (or writes them
//! with `--bless`). See the crate's README for the details and sources.
//!
//! The logic is a library so that it can be unit-tested; `main.rs` only
//! parses arguments. `strata gas-report` ([`gas_report`]) and `strata deploy`
//! ([`deploy`]) run the contracts in the embedded host (`strata-host`), one
//! module per system under [`systems`].
#![allow(
    clippy::arithmetic_side_effects,
    reason = "host-side tool: byte counts and indices are far below the integer limits"
)]

pub mod abi;
pub mod artifact;
pub mod artifacts;
pub mod build;
pub mod check;
pub mod cli;
pub mod deploy;
pub mod diff;
pub mod error;
pub mod files;
pub mod gas_report;
pub mod output;
pub mod rpc;
pub mod size;
pub mod snapshot;
pub mod systems;
pub mod validate;
pub mod workspace;

use std::process::ExitCode;

/// Exit code when a check fails (invalid artifact, over the limit, stale files).
pub const EXIT_CHECK_FAILED: u8 = 1;
/// Exit code when the tool could not do its job (cargo failed, I/O error).
pub const EXIT_TOOL_ERROR: u8 = 2;

/// Runs a parsed command line and returns the process exit code.
///
/// # Errors
/// When the command cannot run (see [`error::Error`]); with `--json` the
/// error is also printed as a JSON object on stdout.
pub fn run(cli: &cli::Cli) -> error::Result<ExitCode> {
    match &cli.command {
        cli::Command::Check(args) => {
            let report = match check::run(args) {
                Ok(report) => report,
                Err(err) => {
                    if args.json {
                        let json = serde_json::json!({ "ok": false, "error": err.to_string() });
                        println!("{json}");
                    }
                    return Err(err);
                }
            };
            if args.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            }
            Ok(if report.ok { ExitCode::SUCCESS } else { ExitCode::from(EXIT_CHECK_FAILED) })
        }
        cli::Command::GasReport(args) => {
            let report = with_json_error(args.json, gas_report::run(args))?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            }
            Ok(if report.ok { ExitCode::SUCCESS } else { ExitCode::from(EXIT_CHECK_FAILED) })
        }
        cli::Command::Deploy(args) => {
            let report = with_json_error(args.json, deploy::run(args))?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", report.summary);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// With `--json`, also prints an error as a JSON object on stdout.
fn with_json_error<T>(json: bool, result: error::Result<T>) -> error::Result<T> {
    if let Err(err) = &result {
        if json {
            println!("{}", serde_json::json!({ "ok": false, "error": err.to_string() }));
        }
    }
    result
}
