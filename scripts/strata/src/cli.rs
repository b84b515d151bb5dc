//! Command-line interface (clap derive). Each subcommand has its own argument
//! struct.

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
    /// Deploy every contract in the embedded host and measure the main
    /// operations of each system; compare with `snapshots/gas.md` (exact
    /// match) or write it with `--bless`.
    GasReport(GasReportArgs),
    /// Build and check every contract, deploy and wire the systems, run a
    /// scenario and print addresses, actions, state and gas. Default: the
    /// embedded host (no network). With `--rpc-url`: a real Stylus chain
    /// through `cargo stylus deploy`.
    Deploy(DeployArgs),
}

/// Arguments of `strata gas-report`.
#[derive(Debug, Clone, Default, Args)]
pub struct GasReportArgs {
    /// Write `snapshots/gas.md` instead of comparing with it.
    #[arg(long)]
    pub bless: bool,

    /// Print a machine-readable report on stdout (progress still goes to stderr).
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `strata deploy`.
#[derive(Debug, Clone, Default, Args)]
pub struct DeployArgs {
    /// Deploy to this Stylus chain (e.g. Arbitrum Sepolia or a local Nitro
    /// dev node) with `cargo stylus deploy` instead of the embedded host.
    #[arg(long, value_name = "URL")]
    pub rpc_url: Option<String>,

    /// The environment variable holding the deployer's hex private key (the
    /// key itself is never a flag).
    #[arg(long, value_name = "VAR", default_value = "STRATA_PRIVATE_KEY")]
    pub private_key_env: String,

    /// With `--rpc-url`: print the plan (contracts, constructor arguments,
    /// wiring transactions) without sending anything.
    #[arg(long)]
    pub dry_run: bool,

    /// Print a machine-readable report on stdout (progress still goes to stderr).
    #[arg(long)]
    pub json: bool,

    /// Reuse the artifacts of the last `strata check` instead of building.
    #[arg(long)]
    pub skip_build: bool,
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
