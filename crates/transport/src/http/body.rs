//! Reading a request body into memory under the per-request limit (`--max-body`).
//!
//! A request whose body is still arriving after [`SLOT_GRACE`] gives its concurrency slot back
//! and waits for the rest without one (see `gate.rs`); it takes a slot again once the body is
//! complete. Keeping the slot instead would let a few authenticated clients sending one byte a
//! second hold every slot until `--timeout`. Waiting requests have a
//! cap of their own (as many as there are slots), so body memory is bounded by
//! 2 × `--max-concurrent` × `--max-body`.

use std::time::Duration;

use axum::body::Body;
use bytes::{Bytes, BytesMut};
use futures::FutureExt;
use http_body_util::BodyExt;

/// How long a request may keep its concurrency slot while its body is still arriving. Bodies
/// sent at once are complete well within it, so they keep the slot they were admitted with.
pub(crate) const SLOT_GRACE: Duration = Duration::from_millis(100);

/// Why a body could not be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum BodyError {
    /// More than the per-request limit arrived.
    TooLarge,
    /// The connection could not deliver it (bad chunk framing, a reset).
    Malformed,
}

/// A body being read into memory.
pub(crate) struct BodyReader {
    body: Body,
    max_body: usize,
    // Most bodies arrive as one chunk: it is kept as is, and copied only when a second comes.
    first: Option<Bytes>,
    joined: Option<BytesMut>,
    received: usize,
}

impl BodyReader {
    pub(crate) fn new(body: Body, max_body: usize) -> BodyReader {
        BodyReader {
            body,
            max_body,
            first: None,
            joined: None,
            received: 0,
        }
    }

    /// Reads until the body ends. Cancel-safe: state changes only once a chunk is in hand, so
    /// it can be raced against a timer and called again to go on.
    pub(crate) async fn read_to_end(&mut self) -> Result<(), BodyError> {
        while let Some(frame) = self.body.frame().await {
            let frame = frame.map_err(|_| BodyError::Malformed)?;
            let Ok(data) = frame.into_data() else {
                continue; // trailers carry no body bytes
            };
            self.received = self.received.saturating_add(data.len());
            if self.received > self.max_body {
                return Err(BodyError::TooLarge);
            }
            self.append(data);
        }
        Ok(())
    }

    /// [`read_to_end`](Self::read_to_end) for at most `grace`: `None` if the body is still
    /// arriving then (call `read_to_end` to go on). A body already here needs no timer.
    pub(crate) async fn read_within(&mut self, grace: Duration) -> Option<Result<(), BodyError>> {
        if let Some(read) = self.read_to_end().now_or_never() {
            return Some(read);
        }
        tokio::time::timeout(grace, self.read_to_end()).await.ok()
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

    /// The bytes read.
    pub(crate) fn finish(self) -> Bytes {
        match self.joined {
            Some(buf) => buf.freeze(),
            None => self.first.unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::stream;

    async fn read_body(body: Body, max_body: usize) -> Result<Bytes, BodyError> {
        let mut reader = BodyReader::new(body, max_body);
        reader.read_to_end().await?;
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
    async fn joins_chunks() {
        let bytes = read_body(chunked(&["ab", "cde", "f"]), 10).await.unwrap();
        assert_eq!(&bytes[..], b"abcdef");
    }

    #[tokio::test]
    async fn one_chunk_and_no_chunk() {
        let mut ready = BodyReader::new(chunked(&["ab"]), 10);
        let read = ready.read_within(Duration::ZERO).await;
        assert_eq!(read, Some(Ok(())), "a body already here needs no time");
        assert_eq!(&ready.finish()[..], b"ab");
        let bytes = read_body(chunked(&["xyz"]), 10).await.unwrap();
        assert_eq!(&bytes[..], b"xyz");
        assert!(read_body(Body::empty(), 10).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn over_the_limit_is_too_large() {
        let err = read_body(chunked(&["12345", "678901"]), 10).await;
        assert_eq!(err.err(), Some(BodyError::TooLarge));
        let exact = read_body(chunked(&["12345", "67890"]), 10).await;
        assert_eq!(exact.ok().as_deref(), Some(&b"1234567890"[..]));
    }

    #[tokio::test]
    async fn a_broken_stream_is_malformed() {
        let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
            Ok(Bytes::from_static(b"{")),
            Err(std::io::Error::other("reset")),
        ];
        let err = read_body(Body::from_stream(stream::iter(chunks)), 10).await;
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
        let mut reader = BodyReader::new(Body::from_stream(trickle), 10);
        let cut = reader.read_within(Duration::from_millis(50)).await;
        assert!(cut.is_none(), "the second chunk is still on its way");
        reader.read_to_end().await.unwrap();
        assert_eq!(&reader.finish()[..], b"abcd");
    }
}
