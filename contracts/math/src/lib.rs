//! math
#![no_std]
