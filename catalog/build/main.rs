//! Build script: finds NIST's CSF 2.0 OSCAL catalog, checks its sha256, and compiles it into
//! static tables plus a search index, so the server does no parsing at start-up.
//!
//! Where the catalog comes from (first hit wins): `$CSF_CATALOG`, `data/nist-csf-2.0/` in the
//! workspace (what `make data` fills), `../shared/data/nist-csf-2.0/` beside the checkout.
//! The file itself is never committed (see the README's data section).

#[path = "emit.rs"]
mod emit;
#[path = "index.rs"]
mod index;
#[path = "oscal.rs"]
mod oscal;
#[path = "../src/text.rs"]
#[allow(dead_code)]
mod text;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

const FILE_NAME: &str = "NIST_CSF_v2.0_catalog.json";
const SHA256: &str = "4836943f21d393f2821df85ada4e6f3c0617243b4ddf44263fe68205400210b4";
const SOURCE_URL: &str = "https://raw.githubusercontent.com/usnistgov/oscal-content/main/nist.gov/CSF/v2.0/json/NIST_CSF_v2.0_catalog.json";

fn candidates(workspace: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(p) = std::env::var_os("CSF_CATALOG") {
        out.push(PathBuf::from(p));
    }
    out.push(workspace.join("data/nist-csf-2.0").join(FILE_NAME));
    out.push(
        workspace
            .join("../shared/data/nist-csf-2.0")
            .join(FILE_NAME),
    );
    out
}

fn run() -> Result<(), String> {
    println!("cargo:rerun-if-env-changed=CSF_CATALOG");
    println!("cargo:rerun-if-changed=build");
    println!("cargo:rerun-if-changed=src/text.rs");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").map_err(|e| e.to_string())?);
    let workspace = manifest.parent().unwrap_or(&manifest).to_path_buf();
    let tried = candidates(&workspace);
    for p in &tried {
        println!("cargo:rerun-if-changed={}", p.display());
    }
    let path = tried.iter().find(|p| p.is_file()).ok_or_else(|| {
        format!(
            "NIST's CSF 2.0 catalog was not found (looked at: {}).\n\
             Run `make data` (copies it from ../shared or downloads it from NIST), or set \
             CSF_CATALOG=/path/to/{FILE_NAME}. Source: {SOURCE_URL}",
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
    if digest != SHA256 {
        return Err(format!(
            "{} has sha256 {digest}, expected {SHA256} (NIST catalog version 1.2.0).\n\
             Remove it and run `make data`, or point CSF_CATALOG at the official file from {SOURCE_URL}.",
            path.display()
        ));
    }
    let text = std::str::from_utf8(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    let parsed = oscal::parse(text).map_err(|e| format!("{}: {e}", path.display()))?;
    let idx = index::build(&parsed);
    let source = emit::Source {
        sha256: SHA256,
        url: SOURCE_URL,
    };
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| e.to_string())?);
    std::fs::write(
        out.join("catalog_tables.rs"),
        emit::tables(&parsed, &idx, &source),
    )
    .map_err(|e| format!("cannot write generated tables: {e}"))?;
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
