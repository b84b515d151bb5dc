//! Command-line interface (clap derive). Each subcommand has its own argument
//! struct so that `deploy` and `gas-report` can be added next to `check`.

use clap::{Args, Parser, Subcommand};

/// Strata: build, check and deploy the project's Arbitrum Stylus contracts.
#[derive(Debug, Parser)]
#[command(name = "strata", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build every deployable contract to release WASM, check validity and
    /// size offline, export the Solidity interfaces, and compare the size table
    /// and interfaces with the committed `snapshots/` and `interfaces/`.
    Check(CheckArgs),
}

/// Arguments of `strata check`.
#[derive(Debug, Clone, Default, Args)]
pub struct CheckArgs {
    /// Write `snapshots/wasm-size.{json,md}` and `interfaces/` instead of
    /// comparing with them.
    #[arg(long)]
    pub bless: bool,

    /// Print a machine-readable report on stdout (progress still goes to stderr).
    #[arg(long)]
    pub json: bool,

    /// Do not run cargo; reuse the artifacts of a previous build in the target
    /// directory (fails if one is missing).
    #[arg(long)]
    pub skip_build: bool,
}
