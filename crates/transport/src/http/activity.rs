//! What a connection is doing: how many requests are in progress on it (a request is in
//! progress until its response body has been sent or dropped, so an SSE stream counts) and
//! since when it has had none. The connection loop closes a connection idle for longer than
//! the idle timeout.
//!
//! Hyper closes an idle HTTP/1.1 keep-alive connection by itself (its header-read timer runs
//! while it waits for the next request head), but has no idle timeout for HTTP/2: a client that
//! answers the keep-alive pings could hold an HTTP/2 connection open forever without sending a
//! request, and enough of them use up `--max-connections`.

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use hyper::body::{Body as HttpBody, Frame, SizeHint};

/// Requests in progress on one connection, and when the last one started or ended.
pub(crate) struct Activity {
    opened: Instant,
    active: AtomicUsize,
    /// Milliseconds after `opened` of the last start or end of a request.
    last_change_ms: AtomicU64,
    /// Any request seen at all.
    requests: AtomicU64,
}

impl Activity {
    pub(crate) fn new() -> Activity {
        Activity {
            opened: Instant::now(),
            active: AtomicUsize::new(0),
            last_change_ms: AtomicU64::new(0),
            requests: AtomicU64::new(0),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_change_ms.store(ms, Ordering::Relaxed);
    }

    /// A request started; it ends when the guard is dropped (keep it in the response body).
    pub(crate) fn begin(self: &Arc<Self>) -> ActiveGuard {
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.active.fetch_add(1, Ordering::AcqRel);
        self.touch();
        ActiveGuard(Arc::clone(self))
    }

    /// Whether any request arrived on this connection.
    pub(crate) fn seen_a_request(&self) -> bool {
        self.requests.load(Ordering::Relaxed) > 0
    }

    /// How long the connection has had no request in progress; `None` while one is.
    pub(crate) fn idle_for(&self) -> Option<Duration> {
        if self.active.load(Ordering::Acquire) > 0 {
            return None;
        }
        let last = Duration::from_millis(self.last_change_ms.load(Ordering::Relaxed));
        Some(self.opened.elapsed().saturating_sub(last))
    }
}

/// Counts one request as in progress until dropped.
pub(crate) struct ActiveGuard(Arc<Activity>);

impl Drop for ActiveGuard {
    fn drop(&mut self) {
        self.0.touch();
        self.0.active.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A response body that keeps its request counted as in progress until it is done.
pub(crate) struct GuardedBody<B> {
    inner: B,
    _guard: ActiveGuard,
}

impl<B> GuardedBody<B> {
    pub(crate) fn new(inner: B, guard: ActiveGuard) -> GuardedBody<B> {
        GuardedBody {
            inner,
            _guard: guard,
        }
    }
}

impl<B> HttpBody for GuardedBody<B>
where
    B: HttpBody<Data = Bytes> + Unpin,
{
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_only_while_no_request_is_in_progress() {
        let activity = Arc::new(Activity::new());
        assert!(!activity.seen_a_request());
        assert!(activity.idle_for().is_some());
        let first = activity.begin();
        let second = activity.begin();
        assert!(activity.seen_a_request());
        assert_eq!(activity.idle_for(), None);
        drop(first);
        assert_eq!(activity.idle_for(), None, "one still in progress");
        drop(second);
        let idle = activity.idle_for().expect("idle once both ended");
        assert!(idle < Duration::from_secs(5));
    }
}
