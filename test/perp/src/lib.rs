//! Cross-contract tests of the Perp system: `vamm`, `clearing-house` with its
//! `clearing-house-engine`, `vault`, and `power-oracle` as the index.
//!
//! The suites live in `tests/` and share the deployment harness in
//! `tests/common/mod.rs`:
//!
//! | suite | what |
//! |---|---|
//! | `reference` | the spec's public reference values, to the wei (pricing, the Perp v1 funding example and its follow-ups) |
//! | `scenarios` | every trader, keeper and owner path, each named error, "bad input changes nothing" |
//! | `invariants` | stateful property tests: several traders, random actions and price moves, invariants after every action |
//! | `attacks` | regressions: colluders vs the insurance fund (wash trades, mutual liquidations, pump-and-dump and mark pushing first in every block, a liquidation beyond the band traded against), a 10× oracle jump, fluctuation-limit bypass |
//! | `abi` | the hand-written routers against the exported interfaces, decoded with alloy |
//!
//! motsu's clock is fixed, so the harness drives the vAMM's and the clearing
//! house's host-only test clocks (`test-clock` feature). The power oracle
//! always reads motsu's fixed timestamp; the harness posts index prices at
//! `ORACLE_NOW − window` so its TWAP over the funding window is exactly the
//! posted price.
