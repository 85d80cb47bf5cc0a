//! What a connection is doing: how many requests are in progress on it (a request is in
//! progress until its response body has been sent or dropped, so an SSE stream counts), how
//! many of those are waiting for the client to read what was already sent, and since when the
//! connection has made no progress. The connection loop closes a connection idle for longer
//! than the idle timeout.
//!
//! A response the client does not read counts as idle, not as in progress: an HTTP/2 client
//! that advertises a flow-control window of 0 (or an HTTP/1.1 client that stops reading a large
//! answer) keeps the response from ever finishing, and would otherwise hold the connection
//! forever with one `GET /healthz`. A response is waiting for the client from when it is made
//! (hyper waits for send capacity before it asks for the first bytes) and after each piece it
//! hands over, until hyper asks for the next piece; a stream that is waiting for the server's
//! own next event (an SSE stream between events) is in progress.
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
    /// Requests in progress whose response waits for the client to take what was sent.
    waiting_on_peer: AtomicUsize,
    /// Milliseconds after `opened` of the last change of `active` or `waiting_on_peer`.
    last_change_ms: AtomicU64,
    /// Any request seen at all.
    requests: AtomicU64,
}

impl Activity {
    pub(crate) fn new() -> Activity {
        Activity {
            opened: Instant::now(),
            active: AtomicUsize::new(0),
            waiting_on_peer: AtomicUsize::new(0),
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

    /// How long the connection has made no progress: no request in progress, or every one
    /// waiting for the client to read; `None` while one is in progress otherwise. Every change
    /// of either count restarts the clock, so the state seen has lasted that long.
    pub(crate) fn idle_for(&self) -> Option<Duration> {
        let active = self.active.load(Ordering::Acquire);
        if active > self.waiting_on_peer.load(Ordering::Acquire) {
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

/// A response body that keeps its request counted as in progress until it is done, and
/// counts it as waiting for the client while hyper has not asked for the next piece.
pub(crate) struct GuardedBody<B> {
    inner: B,
    waiting: bool,
    guard: ActiveGuard,
}

impl<B> GuardedBody<B> {
    pub(crate) fn new(inner: B, guard: ActiveGuard) -> GuardedBody<B> {
        let mut body = GuardedBody {
            inner,
            waiting: false,
            guard,
        };
        body.set_waiting(true);
        body
    }

    fn set_waiting(&mut self, waiting: bool) {
        if self.waiting == waiting {
            return;
        }
        self.waiting = waiting;
        let activity = &self.guard.0;
        if waiting {
            activity.waiting_on_peer.fetch_add(1, Ordering::AcqRel);
        } else {
            activity.waiting_on_peer.fetch_sub(1, Ordering::AcqRel);
        }
        activity.touch();
    }
}

impl<B> Drop for GuardedBody<B> {
    fn drop(&mut self) {
        self.set_waiting(false);
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
        self.set_waiting(false);
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if matches!(polled, Poll::Ready(Some(Ok(_)))) {
            self.set_waiting(true);
        }
        polled
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

    #[test]
    fn a_response_the_client_does_not_take_counts_as_idle() {
        use http_body_util::{BodyExt, Full};
        let activity = Arc::new(Activity::new());
        let handling = activity.begin();
        assert_eq!(activity.idle_for(), None, "handler running");
        let mut body = GuardedBody::new(Full::new(Bytes::from_static(b"ok")), activity.begin());
        drop(handling);
        assert!(activity.idle_for().is_some(), "made, not yet asked for");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let frame = runtime.block_on(body.frame());
        assert!(frame.is_some_and(|f| f.is_ok()));
        assert!(activity.idle_for().is_some(), "handed over, not taken");
        drop(body);
        assert!(activity.idle_for().is_some());
        assert_eq!(activity.waiting_on_peer.load(Ordering::Acquire), 0);
        assert_eq!(activity.active.load(Ordering::Acquire), 0);
    }

    #[test]
    fn a_stream_waiting_for_its_next_event_is_in_progress() {
        use http_body_util::{BodyExt, StreamBody};
        let activity = Arc::new(Activity::new());
        let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Frame<Bytes>, String>>(1);
        let stream = Box::pin(futures::stream::unfold(receiver, |mut r| async move {
            r.recv().await.map(|item| (item, r))
        }));
        let mut body = GuardedBody::new(StreamBody::new(stream), activity.begin());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(async {
            let next = tokio::time::timeout(Duration::from_millis(20), body.frame()).await;
            assert!(next.is_err(), "no event yet");
        });
        assert_eq!(
            activity.idle_for(),
            None,
            "waiting for the server's own event"
        );
        drop(sender);
    }
}
