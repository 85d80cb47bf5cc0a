//! `nist-csf-mcp`: parse the command line, run, turn the result into an exit code.

mod allocator;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    allocator::purge_freed_memory_at_once();
    let cli = nist_csf_mcp::cli::parse();
    match nist_csf_mcp::serve::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
