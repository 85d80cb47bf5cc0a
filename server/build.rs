//! Link the server as a position-dependent executable.
//!
//! As a PIE, the binary carried ~28,600 relative relocations (pointers in the compiled-in
//! catalog tables, vtables, string tables) that the dynamic loader (glibc) or the static-pie
//! start code (musl) had to apply before `main`: 40% of the instructions from exec to the
//! `initialize` reply, a 689 KB `.rela.dyn` read from disk, and ~520 KB of `.data.rel.ro`
//! copied into private memory in every process. Linked at a fixed address, the linker resolves
//! them all and those pages stay shared, clean file pages. The cost: the executable's own
//! image is not randomised (ASLR still places the stack, heap, mmap areas and shared
//! libraries). Measured before/after in results/README.md.
fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo:rustc-link-arg-bin=nist-csf-mcp=-no-pie");
    }
    // glibc builds: the unwinder is linked in from GCC's static libgcc_eh instead of loading
    // libgcc_s.so at every start: one shared library less to map and bind (~84 KiB of
    // resident pages per process). Release builds abort on panic and unwind only to print a
    // backtrace; test builds unwind through it as before. Named as this crate's library it
    // comes before std's `-lgcc_s` on the link line, which `--as-needed` then drops (every
    // binary linking this crate, tests included). Its symbols are hidden, so a C++ library
    // loading libgcc_s beside it keeps its own. GCC 12's libgcc_eh finds unwind tables with
    // glibc 2.35's `_dl_find_object`: a binary built on such a system needs glibc >= 2.35
    // (2.34 before). musl builds link Rust's own static unwinder already.
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-lib=static:-bundle=gcc_eh");
    }
    println!("cargo:rerun-if-changed=build.rs");
    // The release binary's link order (scripts/link/ordered-link reads it at link time): a new
    // list or linker script must relink the binary.
    println!("cargo:rerun-if-changed=../scripts/link/startup-order.gnu.txt");
    println!("cargo:rerun-if-changed=../scripts/link/startup-order.musl.txt");
    println!("cargo:rerun-if-changed=../scripts/link/ordered-link");
    println!("cargo:rerun-if-env-changed=CSF_LINK_ORDER");
    console_assets();
}

/// The web console's CSS and JS: each gzipped once here (best compression, never at request
/// time) and named by a hash of its content, so that a page can let browsers cache it for a
/// year and a new build still reaches them under a new name.
fn console_assets() {
    use sha2::{Digest, Sha256};
    use std::io::Write;
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let mut table = String::from("pub(crate) static ASSETS: &[Asset] = &[\n");
    for (name, media) in [
        ("console.css", "text/css; charset=utf-8"),
        ("console.js", "text/javascript; charset=utf-8"),
    ] {
        let src = format!("src/console/assets/{name}");
        println!("cargo:rerun-if-changed={src}");
        let Ok(body) = std::fs::read(&src) else {
            println!("cargo:warning=missing console asset {src}");
            continue;
        };
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let gzipped = gz.write_all(&body).and_then(|()| gz.finish());
        let Ok(gzipped) = gzipped else {
            println!("cargo:warning=cannot gzip {src}");
            continue;
        };
        let digest = Sha256::digest(&body);
        let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        let (stem, ext) = name.split_once('.').unwrap_or((name, ""));
        let gz_path = format!("{out}/{name}.gz");
        if std::fs::write(&gz_path, &gzipped).is_err() {
            println!("cargo:warning=cannot write {gz_path}");
            continue;
        }
        table.push_str(&format!(
            "    Asset {{ name: \"{name}\", path: \"{stem}.{hash}.{ext}\", media: \"{media}\", \
             etag: \"\\\"{hash}\\\"\", body: include_bytes!(\"{}/{src}\"), \
             gzip: include_bytes!(\"{gz_path}\") }},\n",
            std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default()
        ));
    }
    table.push_str("];\n");
    if std::fs::write(format!("{out}/console_assets.rs"), table).is_err() {
        println!("cargo:warning=cannot write the console asset table");
    }
}
