//! Cross-contract tests of the Index system live in `tests/`: scenarios,
//! fuzz (`fuzz_*`) and stateful invariant (`invariant_*`) suites run against
//! the contracts' Rust code under motsu. Proptest case counts come from
//! `PROPTEST_CASES` (default 1000).
