//! Reading a request body into memory under two bounds: the per-request limit (`--max-body`)
//! and a budget shared by all bodies being received at once, counted in bytes that have
//! actually arrived.
//!
//! A request whose body is still arriving after [`SLOT_GRACE`] gives its concurrency slot back
//! and takes one again when the body is complete (see `gate.rs`). Until session 4 it kept the
//! slot: a few authenticated clients sending one byte a second held every slot until
//! `--timeout` (a `make flood` finding). Such a body then holds only the bytes it has sent, and
//! the budget bounds those (`--max-concurrent` × `--max-body`, the memory bound of the old
//! order): to spend it a client has to really send that much data, not just declare it.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use bytes::{Bytes, BytesMut};
use futures::FutureExt;
use http_body_util::BodyExt;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a request may keep its concurrency slot while its body is still arriving. Bodies
/// sent at once are complete well within it, so they keep the slot they were admitted with.
pub(crate) const SLOT_GRACE: Duration = Duration::from_millis(100);

/// The bytes shared by every body being received at once.
pub(crate) struct BodyBudget(Arc<Semaphore>);

impl BodyBudget {
    pub(crate) fn new(bytes: usize) -> BodyBudget {
        BodyBudget(Arc::new(Semaphore::new(bytes.min(Semaphore::MAX_PERMITS))))
    }
}

/// Budget held by a body that has been read; returned to the pool when dropped.
pub(crate) struct BudgetHold {
    _permit: Option<OwnedSemaphorePermit>,
}

/// Why a body could not be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum BodyError {
    /// More than the per-request limit arrived.
    TooLarge,
    /// The connection could not deliver it (bad chunk framing, a reset).
    Malformed,
    /// The shared budget is spent by other bodies being received.
    BudgetFull,
}

/// A body being read into memory.
pub(crate) struct BodyReader {
    body: Body,
    max_body: usize,
    // Most bodies arrive as one chunk: it is kept as is, and copied only when a second comes.
    first: Option<Bytes>,
    joined: Option<BytesMut>,
    received: usize,
    held: Option<OwnedSemaphorePermit>,
}

impl BodyReader {
    pub(crate) fn new(body: Body, max_body: usize) -> BodyReader {
        BodyReader {
            body,
            max_body,
            first: None,
            joined: None,
            received: 0,
            held: None,
        }
    }

    /// Reads until the body ends, taking budget chunk by chunk as data arrives. Cancel-safe:
    /// state changes only once a chunk is in hand, so it can be raced against a timer and
    /// called again to go on.
    pub(crate) async fn read_to_end(&mut self, budget: &BodyBudget) -> Result<(), BodyError> {
        while let Some(frame) = self.body.frame().await {
            let frame = frame.map_err(|_| BodyError::Malformed)?;
            let Ok(data) = frame.into_data() else {
                continue; // trailers carry no body bytes
            };
            self.received = self.received.saturating_add(data.len());
            if self.received > self.max_body {
                return Err(BodyError::TooLarge);
            }
            let n = u32::try_from(data.len()).map_err(|_| BodyError::TooLarge)?;
            let permit = Arc::clone(&budget.0)
                .try_acquire_many_owned(n)
                .map_err(|_| BodyError::BudgetFull)?;
            match &mut self.held {
                Some(held) => held.merge(permit),
                None => self.held = Some(permit),
            }
            self.append(data);
        }
        Ok(())
    }

    /// [`read_to_end`](Self::read_to_end) for at most `grace`: `None` if the body is still
    /// arriving then (call `read_to_end` to go on). A body already here needs no timer.
    pub(crate) async fn read_within(
        &mut self,
        grace: Duration,
        budget: &BodyBudget,
    ) -> Option<Result<(), BodyError>> {
        if let Some(read) = self.read_to_end(budget).now_or_never() {
            return Some(read);
        }
        tokio::time::timeout(grace, self.read_to_end(budget))
            .await
            .ok()
    }

    fn append(&mut self, data: Bytes) {
        match (&mut self.first, &mut self.joined) {
            (None, None) => self.first = Some(data),
            (Some(one), None) => {
                let mut buf = BytesMut::with_capacity(one.len() + data.len());
                buf.extend_from_slice(one);
                buf.extend_from_slice(&data);
                self.first = None;
                self.joined = Some(buf);
            }
            (_, Some(buf)) => buf.extend_from_slice(&data),
        }
    }

    /// The bytes read, and the budget they hold until the request is done with them.
    pub(crate) fn finish(self) -> (Bytes, BudgetHold) {
        let bytes = match self.joined {
            Some(buf) => buf.freeze(),
            None => self.first.unwrap_or_default(),
        };
        (bytes, BudgetHold { _permit: self.held })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::stream;

    async fn read_body(
        body: Body,
        max_body: usize,
        budget: &BodyBudget,
    ) -> Result<(Bytes, BudgetHold), BodyError> {
        let mut reader = BodyReader::new(body, max_body);
        reader.read_to_end(budget).await?;
        Ok(reader.finish())
    }

    fn chunked(parts: &[&'static str]) -> Body {
        let chunks: Vec<Result<Bytes, std::io::Error>> = parts
            .iter()
            .map(|p| Ok(Bytes::from_static(p.as_bytes())))
            .collect();
        Body::from_stream(stream::iter(chunks))
    }

    #[tokio::test]
    async fn joins_chunks_and_holds_what_arrived_until_dropped() {
        let budget = BodyBudget::new(100);
        let (bytes, hold) = read_body(chunked(&["ab", "cde", "f"]), 10, &budget)
            .await
            .unwrap();
        assert_eq!(&bytes[..], b"abcdef");
        assert_eq!(budget.0.available_permits(), 94);
        drop(hold);
        assert_eq!(budget.0.available_permits(), 100);
    }

    #[tokio::test]
    async fn one_chunk_and_no_chunk() {
        let budget = BodyBudget::new(100);
        let mut ready = BodyReader::new(chunked(&["ab"]), 10);
        let read = ready.read_within(Duration::ZERO, &budget).await;
        assert_eq!(read, Some(Ok(())), "a body already here needs no time");
        let (bytes, _hold) = read_body(chunked(&["xyz"]), 10, &budget).await.unwrap();
        assert_eq!(&bytes[..], b"xyz");
        let (bytes, _hold) = read_body(Body::empty(), 10, &budget).await.unwrap();
        assert!(bytes.is_empty());
    }

    #[tokio::test]
    async fn over_the_limit_is_too_large_and_gives_the_budget_back() {
        let budget = BodyBudget::new(100);
        let err = read_body(chunked(&["12345", "678901"]), 10, &budget).await;
        assert_eq!(err.err(), Some(BodyError::TooLarge));
        let exact = read_body(chunked(&["12345", "67890"]), 10, &budget).await;
        assert!(exact.is_ok());
        drop(exact);
        assert_eq!(budget.0.available_permits(), 100);
    }

    #[tokio::test]
    async fn a_spent_budget_refuses_new_bytes_until_a_body_is_done() {
        let budget = BodyBudget::new(8);
        let (_, held) = read_body(chunked(&["123456"]), 10, &budget).await.unwrap();
        let refused = read_body(chunked(&["12", "3"]), 10, &budget).await;
        assert_eq!(refused.err(), Some(BodyError::BudgetFull));
        assert_eq!(
            budget.0.available_permits(),
            2,
            "a refused body keeps nothing"
        );
        drop(held);
        assert!(read_body(chunked(&["12", "3"]), 10, &budget).await.is_ok());
    }

    #[tokio::test]
    async fn a_broken_stream_is_malformed() {
        let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
            Ok(Bytes::from_static(b"{")),
            Err(std::io::Error::other("reset")),
        ];
        let budget = BodyBudget::new(100);
        let err = read_body(Body::from_stream(stream::iter(chunks)), 10, &budget).await;
        assert_eq!(err.err(), Some(BodyError::Malformed));
    }

    #[tokio::test]
    async fn reading_goes_on_after_a_timer_cut_it_short() {
        let trickle = stream::unfold(0, |step| async move {
            match step {
                0 => Some((Ok::<_, std::io::Error>(Bytes::from_static(b"ab")), 1)),
                1 => {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    Some((Ok(Bytes::from_static(b"cd")), 2))
                }
                _ => None,
            }
        });
        let budget = BodyBudget::new(100);
        let mut reader = BodyReader::new(Body::from_stream(trickle), 10);
        let cut = reader.read_within(Duration::from_millis(50), &budget).await;
        assert!(cut.is_none(), "the second chunk is still on its way");
        assert_eq!(budget.0.available_permits(), 98, "what arrived is held");
        reader.read_to_end(&budget).await.unwrap();
        let (bytes, _hold) = reader.finish();
        assert_eq!(&bytes[..], b"abcd");
    }
}
