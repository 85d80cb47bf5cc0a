//! The generated static tables (see `build/emit.rs`). Everything here is NIST's data, compiled in, and
//! the synonym and practitioner-term tables analysed at build time.
#![allow(clippy::all, clippy::pedantic)]

use crate::model::*;
use crate::phrase::{PhraseSource, TablePhrase};

include!(concat!(env!("OUT_DIR"), "/catalog_tables.rs"));
