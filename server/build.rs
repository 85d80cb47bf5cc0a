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
    println!("cargo:rerun-if-changed=build.rs");
}
