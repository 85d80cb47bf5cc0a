//! The floor server is linked exactly as the product server is (see server/build.rs): a
//! position-dependent executable, so the comparison prices the SDK and the process, not a
//! difference in link mode.
fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo:rustc-link-arg-bin=rmcp-floor=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
