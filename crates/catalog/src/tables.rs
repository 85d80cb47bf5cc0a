//! The generated static tables (see `build/emit.rs`). Everything here is NIST's data, compiled in.
#![allow(clippy::all, clippy::pedantic)]

use crate::model::*;

include!(concat!(env!("OUT_DIR"), "/catalog_tables.rs"));
