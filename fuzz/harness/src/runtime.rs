//! One Tokio runtime per thread, built on first use: building one per input would dominate the
//! cost of every run. Current-thread, like a stdio server's request handling; per thread so the
//! replay tests (run on several test threads) never share a current-thread scheduler.

use std::future::Future;

use tokio::runtime::Runtime;

thread_local! {
    static RUNTIME: Runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread Tokio runtime builds");
}

/// Runs `future` to completion on this thread's runtime.
pub fn block_on<F: Future>(future: F) -> F::Output {
    RUNTIME.with(|rt| rt.block_on(future))
}
