//! Declaring events once for both Rust and the exported Solidity interface.

/// Declares Solidity events with `sol!` and records their declarations in
/// `pub const EVENTS_ABI: &[&str]` for the exported interface.
///
/// ```ignore
/// strata_common::sol_events! {
///     /// Emitted on every swap.
///     event Swap(address indexed caller, uint256 amountIn, uint256 amountOut);
/// }
/// ```
///
/// The calling crate must depend on `alloy-sol-types`.
#[macro_export]
macro_rules! sol_events {
    ($( $(#[$meta:meta])* event $name:ident ( $($args:tt)* ) ; )*) => {
        ::alloy_sol_types::sol! {
            $(
                $(#[$meta])*
                #[derive(Debug, PartialEq, Eq)]
                event $name ( $($args)* );
            )*
        }

        /// Solidity declarations of this contract's events, for the exported interface.
        pub const EVENTS_ABI: &[&str] = &[
            $( concat!("event ", stringify!($name), "(", stringify!($($args)*), ");") ),*
        ];
    };
}
