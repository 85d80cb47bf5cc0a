//! `rmcp-floor`: the benchmark floor server (`csf_loadgen::floor`).

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    csf_loadgen::floor::main()
}
