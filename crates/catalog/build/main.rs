//! Build script: finds NIST's CSF 2.0 OSCAL catalog, checks its sha256, and compiles it into
//! static tables plus a search index, so the server does no parsing at start-up.
//!
//! The same for NIST's informative references (OLIR extract, `CSF_REFERENCES`).
//!
//! Where the catalog comes from (first hit wins): `$CSF_CATALOG`, `data/nist-csf-2.0/` in the
//! workspace (what `make data` fills), `../shared/data/nist-csf-2.0/` beside the checkout.
//! The file itself is never committed (see the README's data section).

#[path = "../src/concepts.rs"]
#[allow(dead_code)]
mod concepts;
#[path = "controls.rs"]
mod controls;
#[path = "emit.rs"]
mod emit;
#[path = "index.rs"]
mod index;
#[path = "olir.rs"]
mod olir;
#[path = "phrases.rs"]
mod phrases;
#[path = "../src/synonyms.rs"]
mod synonyms;
#[path = "../src/text.rs"]
#[allow(dead_code)]
mod text;

use std::path::{Path, PathBuf};

use csf_catalog_oscal as oscal;
use sha2::{Digest, Sha256};

const FILE_NAME: &str = "NIST_CSF_v2.0_catalog.json";
const SHA256: &str = "4836943f21d393f2821df85ada4e6f3c0617243b4ddf44263fe68205400210b4";
const SOURCE_URL: &str = "https://raw.githubusercontent.com/usnistgov/oscal-content/main/nist.gov/CSF/v2.0/json/NIST_CSF_v2.0_catalog.json";
const REFS_FILE: &str = "csf-2.0-informative-references.csv";
const REFS_SHA256: &str = "e02dc62c2b9fe4c11121ba76af7e683f296fd308627e4f578b6e4536ef6df874";
const REFS_SOURCE: &str = "https://csrc.nist.gov/extensions/nudp/services/json/csf/elements";

fn candidates(workspace: &Path, env: &str, file: &str) -> Vec<PathBuf> {
    println!("cargo:rerun-if-env-changed={env}");
    let mut out = Vec::new();
    if let Some(p) = std::env::var_os(env) {
        out.push(PathBuf::from(p));
    }
    out.push(workspace.join("data/nist-csf-2.0").join(file));
    out.push(workspace.join("../shared/data/nist-csf-2.0").join(file));
    for p in &out {
        println!("cargo:rerun-if-changed={}", p.display());
    }
    out
}

/// Reads the first existing candidate and checks its sha256.
fn read_pinned(
    tried: &[PathBuf],
    file: &str,
    sha256: &str,
    env: &str,
    source: &str,
) -> Result<(PathBuf, String), String> {
    let path = tried.iter().find(|p| p.is_file()).ok_or_else(|| {
        format!(
            "{file} was not found (looked at: {}).\n\
             Run `make data` (copies it from ../shared or obtains it from NIST), or set \
             {env}=/path/to/{file}. Source: {source}",
            tried
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })?;
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let digest: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if digest != sha256 {
        return Err(format!(
            "{} has sha256 {digest}, expected {sha256}.\n\
             Remove it and run `make data`, or point {env} at NIST's file ({source}).",
            path.display()
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((path.clone(), text))
}

fn run() -> Result<(), String> {
    println!("cargo:rerun-if-changed=build");
    println!("cargo:rerun-if-changed=src/text.rs");
    println!("cargo:rerun-if-changed=src/synonyms.rs");
    println!("cargo:rerun-if-changed=src/concepts.rs");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").map_err(|e| e.to_string())?);
    // crates/catalog -> the workspace root, where `make data` puts NIST's files.
    let workspace = manifest
        .ancestors()
        .nth(2)
        .unwrap_or(&manifest)
        .to_path_buf();
    let tried = candidates(&workspace, "CSF_CATALOG", FILE_NAME);
    let (path, text) = read_pinned(&tried, FILE_NAME, SHA256, "CSF_CATALOG", SOURCE_URL)?;
    let tried = candidates(&workspace, "CSF_REFERENCES", REFS_FILE);
    let (refs_path, refs_text) = read_pinned(
        &tried,
        REFS_FILE,
        REFS_SHA256,
        "CSF_REFERENCES",
        REFS_SOURCE,
    )?;
    let rows = olir::parse(&refs_text).map_err(|e| format!("{}: {e}", refs_path.display()))?;
    let parsed = oscal::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    index::check_reference_words(&rows)?;
    let idx = index::build(&parsed, &rows);
    let source = emit::Source {
        sha256: SHA256,
        url: SOURCE_URL,
    };
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| e.to_string())?);
    let mut tables = emit::tables(&parsed, &idx, &source);
    tables.push_str(&phrases::tables(&idx.terms));
    tables.push_str(
        &emit::references(&parsed, &rows).map_err(|e| format!("{}: {e}", refs_path.display()))?,
    );
    std::fs::write(out.join("catalog_tables.rs"), tables)
        .map_err(|e| format!("cannot write generated tables: {e}"))?;
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
