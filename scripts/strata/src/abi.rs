//! Solidity interfaces: parse a contract's `export-abi` output, derive the
//! JSON ABI, and check the text is something alloy's `sol!` macro accepts.
//!
//! A contract's binary, built with `--features export-abi` and run without
//! arguments, prints its interface including events
//! (`strata_common::abi_export::print_interface`). With `#[inherit]`,
//! stylus-sdk prints the inherited interfaces first; the contract's own is the
//! last one, and the JSON ABI covers all of them (they are all callable on the
//! contract's address).

use std::fmt::Write as _;

use alloy_json_abi::JsonAbi;

use crate::files::GeneratedFile;

/// Directory of the generated interfaces, relative to the root.
pub const DIR: &str = "interfaces";

/// Why an interface could not be processed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AbiError {
    /// No `interface IName` line in the output.
    #[error("the export-abi output has no `interface I...` declaration")]
    NoInterface,
    /// A declaration spans several lines.
    #[error("line {line}: `{text}` does not end with `;` (one declaration per line expected)")]
    MultiLine {
        /// 1-based line number.
        line: usize,
        /// The line.
        text: String,
    },
    /// A Solidity construct the JSON export does not handle.
    #[error("line {line}: `{text}` is not supported by the JSON ABI export ({why})")]
    Unsupported {
        /// 1-based line number.
        line: usize,
        /// The line.
        text: String,
        /// Why.
        why: String,
    },
    /// alloy could not parse the signatures.
    #[error("alloy-json-abi cannot parse the interface: {0}")]
    JsonAbi(String),
    /// The text is not valid input for alloy's `sol!`.
    #[error("alloy's `sol!` would reject the interface: {0}")]
    Sol(String),
}

/// A parsed interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    /// The contract's interface name, e.g. `IMockErc20`.
    pub name: String,
    /// The Solidity text as printed (ends with a newline).
    pub solidity: String,
    /// Human-readable signatures: `function ...`, `event ...`, `error ...`
    /// without the trailing `;`.
    pub items: Vec<String>,
}

impl Interface {
    /// Parses the output of a contract's export-abi binary.
    ///
    /// # Errors
    /// When there is no interface or a declaration cannot be read.
    pub fn parse(output: &str) -> Result<Self, AbiError> {
        let mut name = None;
        let mut items = Vec::new();
        for (index, line) in output.lines().enumerate() {
            let text = line.trim();
            let number = index + 1;
            if let Some(rest) = text.strip_prefix("interface ") {
                let ident: String =
                    rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !ident.is_empty() {
                    name = Some(ident);
                }
                continue;
            }
            let keyword = text.split_whitespace().next().unwrap_or_default();
            match keyword {
                "function" | "event" | "error" | "constructor" | "fallback" | "receive" => {
                    let Some(signature) = text.strip_suffix(';') else {
                        return Err(AbiError::MultiLine { line: number, text: text.to_owned() });
                    };
                    items.push(signature.trim_end().to_owned());
                }
                "struct" | "enum" | "type" | "using" => {
                    return Err(AbiError::Unsupported {
                        line: number,
                        text: text.to_owned(),
                        why: "user-defined types; extend strata's abi module".into(),
                    });
                }
                _ => {}
            }
        }
        let name = name.ok_or(AbiError::NoInterface)?;
        let mut solidity = output.to_owned();
        if !solidity.ends_with('\n') {
            solidity.push('\n');
        }
        Ok(Self { name, solidity, items })
    }

    /// The JSON ABI (pretty, final newline), via `alloy_json_abi::JsonAbi::parse`.
    ///
    /// # Errors
    /// When a signature is not understood.
    pub fn json_abi(&self) -> Result<String, AbiError> {
        let abi = JsonAbi::parse(self.items.iter().map(String::as_str))
            .map_err(|e| AbiError::JsonAbi(e.to_string()))?;
        let mut json =
            serde_json::to_string_pretty(&abi).map_err(|e| AbiError::JsonAbi(e.to_string()))?;
        json.push('\n');
        Ok(json)
    }

    /// Checks that alloy's `sol!` macro can parse the text (it is used as
    /// `sol!("interfaces/IX.sol")`): the same `syn-solidity` parser, at run time.
    ///
    /// # Errors
    /// With the parser's message.
    pub fn check_sol_syntax(&self) -> Result<(), AbiError> {
        syn::parse_str::<syn_solidity::File>(&self.solidity)
            .map(|_| ())
            .map_err(|e| AbiError::Sol(e.to_string()))
    }

    /// Counts of (functions, events, errors).
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |k: &str| self.items.iter().filter(|i| i.starts_with(k)).count();
        (count("function "), count("event "), count("error "))
    }

    /// `interfaces/<name>.sol` and `interfaces/<name>.json`.
    ///
    /// # Errors
    /// See [`Self::json_abi`].
    pub fn files(&self) -> Result<Vec<GeneratedFile>, AbiError> {
        Ok(vec![
            GeneratedFile {
                path: crate::files::rel(DIR, &format!("{}.sol", self.name)),
                content: self.solidity.clone(),
            },
            GeneratedFile {
                path: crate::files::rel(DIR, &format!("{}.json", self.name)),
                content: self.json_abi()?,
            },
        ])
    }
}

/// `interfaces/README.md`: one line per (package, interface).
pub fn readme(interfaces: &[(String, Interface)]) -> GeneratedFile {
    let mut md = String::from("# Interfaces\n\n");
    md.push_str(
        "Generated by `strata check --bless` from each deployable contract's `export-abi` \
         output (stylus-sdk's interface with the contract's events added); `strata check` \
         fails when a file here is stale. Do not edit by hand.\n\n\
         Each contract has `I<Contract>.sol` (use it from Solidity, or from Rust with \
         alloy's `sol!(\"interfaces/I<Contract>.sol\")`) and `I<Contract>.json` (the JSON ABI \
         for ethers, viem and alloy).\n\n",
    );
    md.push_str("| interface | contract crate | functions | events | errors | files |\n");
    md.push_str("|---|---|--:|--:|--:|---|\n");
    for (package, iface) in interfaces {
        let (functions, events, errors) = iface.counts();
        // Writing to a String cannot fail.
        let _ = writeln!(
            md,
            "| `{n}` | `{package}` | {functions} | {events} | {errors} | [{n}.sol]({n}.sol), \
             [{n}.json]({n}.json) |",
            n = iface.name
        );
    }
    GeneratedFile { path: crate::files::rel(DIR, "README.md"), content: md }
}

/// The header line `strata_common::abi_export` writes into every interface.
pub const GENERATED_MARKER: &str = "generated by `strata check --bless`";

#[cfg(test)]
mod tests {
    use super::*;

    /// What `strata_common::abi_export::print_interface` prints for a small
    /// contract (same shape as the real mock ERC-20).
    const OUTPUT: &str = include_str!("../testdata/IToken.sol");

    #[test]
    fn interface_parse_finds_the_name_and_one_item_per_declaration() {
        let iface = Interface::parse(OUTPUT).unwrap();
        assert_eq!(iface.name, "IToken");
        assert_eq!(iface.items.len(), 8);
        assert_eq!(iface.items[0], "function name() external view returns (string memory)");
        assert_eq!(iface.counts(), (6, 1, 1));
        assert_eq!(iface.solidity, OUTPUT);
    }

    #[test]
    fn interface_json_abi_parses_functions_events_and_errors() {
        let json = Interface::parse(OUTPUT).unwrap().json_abi().unwrap();
        let abi: JsonAbi = serde_json::from_str(&json).unwrap();
        assert_eq!(abi.functions().count(), 6);
        let transfer = &abi.function("transfer").unwrap()[0];
        assert_eq!(transfer.signature(), "transfer(address,uint256)");
        assert_eq!(transfer.outputs[0].ty, "bool");
        let balance_of = &abi.function("balanceOf").unwrap()[0];
        assert_eq!(balance_of.state_mutability, alloy_json_abi::StateMutability::View);
        assert_eq!(
            abi.function("deposit").unwrap()[0].state_mutability,
            alloy_json_abi::StateMutability::Payable
        );
        let event = &abi.event("Transfer").unwrap()[0];
        assert!(event.inputs[0].indexed && event.inputs[1].indexed && !event.inputs[2].indexed);
        let error = &abi.error("TokenInsufficientBalance").unwrap()[0];
        assert_eq!(error.signature(), "TokenInsufficientBalance(address,uint256,uint256)");
        assert!(json.ends_with("]\n"));
    }

    #[test]
    fn interface_text_is_accepted_by_the_sol_parser() {
        Interface::parse(OUTPUT).unwrap().check_sol_syntax().unwrap();
        let broken = Interface::parse(&OUTPUT.replace("returns (bool);", "returns (bool)"));
        // A missing `;` is caught as a multi-line declaration before the parser runs.
        assert!(matches!(broken, Err(AbiError::MultiLine { .. })));
        let mut bad = Interface::parse(OUTPUT).unwrap();
        bad.solidity = bad.solidity.replace("interface IToken  {", "interface IToken  {{");
        assert!(matches!(bad.check_sol_syntax(), Err(AbiError::Sol(_))));
    }

    /// The same text through alloy's `sol!` macro, the way the host tests will
    /// bind `interfaces/*.sol`.
    mod bindings {
        alloy_sol_types::sol!("testdata/IToken.sol");
    }

    #[test]
    fn interface_text_compiles_with_alloys_sol_macro() {
        use alloy_sol_types::{SolCall, SolError, SolEvent};
        assert_eq!(bindings::IToken::transferCall::SIGNATURE, "transfer(address,uint256)");
        assert_eq!(bindings::IToken::getPairCall::SIGNATURE, "getPair()");
        assert_eq!(
            bindings::IToken::TokenInsufficientBalance::SIGNATURE,
            "TokenInsufficientBalance(address,uint256,uint256)"
        );
        assert_eq!(bindings::IToken::Transfer::SIGNATURE, "Transfer(address,address,uint256)");
    }

    #[test]
    fn interface_parse_takes_the_last_interface_when_several_are_printed() {
        let output = "interface IBase {\n    function a() external;\n}\n\n\
                      interface IChild is IBase  {\n    function b() external;\n}\n";
        let iface = Interface::parse(output).unwrap();
        assert_eq!(iface.name, "IChild");
        assert_eq!(iface.items, ["function a() external", "function b() external"]);
    }

    #[test]
    fn interface_parse_rejects_output_without_an_interface() {
        assert_eq!(Interface::parse("hello\n"), Err(AbiError::NoInterface));
    }

    #[test]
    fn readme_lists_every_interface_with_its_crate() {
        let iface = Interface::parse(OUTPUT).unwrap();
        let readme = readme(&[("token".into(), iface)]);
        assert_eq!(readme.path, "interfaces/README.md");
        assert!(readme.content.contains("| `IToken` | `token` | 6 | 1 | 1 |"));
    }
}
