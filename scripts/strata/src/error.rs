//! Errors that stop a command (as opposed to check *findings*, which are
//! collected and reported: see [`crate::validate::Violation`] and
//! [`crate::size::SizeIssue`]).

use std::path::PathBuf;

/// A failure of the tool itself or of a step it depends on (cargo, wasm-opt,
/// the file system), with enough context to act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{action} {}: {source}", path.display())]
    Io {
        /// What was being done ("reading", "writing", ...).
        action: &'static str,
        /// The file concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A program could not be started at all.
    #[error("could not run `{program}`: {source}")]
    Spawn {
        /// The program.
        program: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A program ran and failed.
    #[error("{what} failed ({status}){hint}")]
    CommandFailed {
        /// What was being done, e.g. "cargo build (wasm32)".
        what: String,
        /// Its exit status.
        status: String,
        /// Extra advice, starting with a separator, or empty.
        hint: String,
    },
    /// `cargo metadata` output could not be understood.
    #[error("cargo metadata: {0}")]
    Metadata(String),
    /// A workspace file (rust-toolchain.toml, .cargo/config.toml) is malformed.
    #[error("{}: {message}", path.display())]
    Config {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// An expected build artifact is missing.
    #[error("no {kind} artifact for `{package}`{hint}")]
    MissingArtifact {
        /// "wasm" or "export-abi binary".
        kind: &'static str,
        /// The package.
        package: String,
        /// Extra advice, starting with a separator, or empty.
        hint: String,
    },
    /// A deployable crate is not set up the way `strata` expects.
    #[error("contract `{package}`: {message}")]
    Contract {
        /// The package.
        package: String,
        /// What is wrong.
        message: String,
    },
    /// A deployment or chain interaction failed; the message says what to do.
    #[error("{0}")]
    Deploy(String),
    /// Serialising a report or table failed.
    #[error("serialising JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An I/O error on `path`.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io { action, path: path.into(), source }
    }
}
