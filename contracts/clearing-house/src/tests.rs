//! Unit tests of the clearing house's own logic that needs no market. The
//! cross-contract scenarios, properties and attack regressions live in
//! `test/perp`.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects, missing_docs)]
