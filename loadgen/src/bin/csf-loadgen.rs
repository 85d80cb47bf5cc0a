//! `csf-loadgen`: see the `csf_loadgen` library; this only maps its result to an exit code.

fn main() -> std::process::ExitCode {
    csf_loadgen::cli::main()
}
