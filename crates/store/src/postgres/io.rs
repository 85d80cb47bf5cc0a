//! The PostgreSQL backend's private I/O thread.
//!
//! The store API is blocking, but tokio-postgres is async. Rather than block on futures in the
//! caller's thread (which panics inside a tokio runtime) or use the sync `postgres` crate
//! (whose per-connection runtime panics when dropped inside a tokio runtime), the backend owns
//! one OS thread running a current-thread tokio runtime. Calls hand it a future and wait on a
//! std channel, so the store works — and can be dropped — from any thread, in or out of a
//! runtime. (Callers inside a runtime should still use `spawn_blocking`: waiting blocks the
//! calling thread, as any blocking I/O does.)

use crate::error::{Result, StoreError};
use std::future::Future;
use std::sync::Mutex;
use tokio::runtime::Handle;
use tokio::sync::oneshot;

pub(crate) struct IoThread {
    handle: Handle,
    stop: Mutex<Option<oneshot::Sender<()>>>,
}

impl IoThread {
    pub(crate) fn start() -> Result<Self> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                StoreError::backend(format!("cannot start PostgreSQL I/O runtime: {e}"))
            })?;
        let handle = rt.handle().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("csf-store-pg".into())
            .spawn(move || {
                // Drives connection tasks until the backend is dropped; the runtime is then
                // dropped here, on its own thread, outside any async context.
                rt.block_on(async {
                    let _ = stopped.await;
                });
            })
            .map_err(|e| StoreError::backend(format!("cannot start PostgreSQL I/O thread: {e}")))?;
        Ok(IoThread {
            handle,
            stop: Mutex::new(Some(stop)),
        })
    }

    /// Runs `fut` on the I/O thread and waits for its result.
    pub(crate) fn run<T, F>(&self, fut: F) -> Result<T>
    where
        T: Send + 'static,
        F: Future<Output = Result<T>> + Send + 'static,
    {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        self.handle.spawn(async move {
            let _ = tx.send(fut.await);
        });
        rx.recv().unwrap_or_else(|_| {
            Err(StoreError::Backend {
                message: "the PostgreSQL I/O thread has stopped".into(),
                transient: false,
            })
        })
    }
}

impl Drop for IoThread {
    fn drop(&mut self) {
        let stop = self.stop.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(stop) = stop {
            let _ = stop.send(());
        }
    }
}
