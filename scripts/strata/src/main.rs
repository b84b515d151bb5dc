//! The `strata` command line. All logic lives in the library crate so that it
//! can be unit-tested; this file only parses arguments and sets the exit code.

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let cli = strata::cli::Cli::parse();
    match strata::run(&cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(strata::EXIT_TOOL_ERROR)
        }
    }
}
