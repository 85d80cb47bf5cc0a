//! Connection serving: the accept loop with connection caps, and per-connection timeouts.
//!
//! `axum::serve` runs hyper without a timer, so hyper's header-read timeout never fires and a
//! client that opens sockets and never finishes its headers (slowloris) holds them forever. Here
//! each connection is served by hyper-util's auto (HTTP/1.1 + h2c) builder with a Tokio timer:
//!
//! - HTTP/1.1: the request head must arrive within the header timeout. Hyper starts that timer
//!   whenever it waits for a head, so it also closes keep-alive connections idle that long.
//! - Any protocol: a connection must deliver its first request within the header timeout, which
//!   also bounds the protocol sniffing (h2 preface) that happens before hyper's own timer runs.
//! - Any protocol: a connection with no request in progress for the header timeout is closed
//!   gracefully (HTTP/2: GOAWAY). Hyper has no idle timeout for HTTP/2, and its keep-alive
//!   pings only detect dead peers: a client answering them held a connection forever.
//! - At most `max_connections` sockets are open at once. At the cap the loop stops accepting
//!   for ordinary use; new clients wait in the kernel's listen backlog (no file descriptor
//!   spent), except that up to [`PROBE_LANE`] of them are taken into a probe lane, where
//!   `GET /healthz`, `/readyz` and `/metrics` are answered and anything else gets 503 with
//!   `Retry-After` (one request per connection, sent within [`PROBE_LANE_FIRST_REQUEST`],
//!   the connection closed after [`PROBE_LANE_LIFETIME`] at most). So health probes still
//!   answer while every slot is held. Lane connections are taken in accept order: silent ones
//!   are dropped fast so that the lane works through a backlog of them quickly, but a flood
//!   of new connections from many addresses still delays probes (see docs/HTTP.md).
//! - At most `max_per_client` sockets are open from one client address (IPv6: one /64); more
//!   are closed on accept, so one address cannot hold every slot.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

use super::activity::{Activity, GuardedBody};
use super::clients::{client_key, ClientAddr, ClientSlots};
use super::refusals::connections_full;
use crate::config::{quarter, ConnectionLimits};
use crate::metrics::{Metrics, Rejection};

/// Connections accepted over `max_connections` to answer health probes.
pub(crate) const PROBE_LANE: usize = 8;

/// How long a probe-lane connection may stay open (less if the header timeout is shorter): a
/// probe is one quick request, and the lane must not be held by slow clients for long.
pub(crate) const PROBE_LANE_LIFETIME: Duration = Duration::from_secs(1);

/// How soon a probe-lane connection must have sent its request: a probe sends it right after
/// connecting, so a silent socket is dropped after this, not after the lifetime.
pub(crate) const PROBE_LANE_FIRST_REQUEST: Duration = Duration::from_millis(250);

/// A connection's place, held until it closes.
struct Slot {
    /// Over `max_connections`: health probes only.
    probe_lane: bool,
    _permit: OwnedSemaphorePermit,
}

/// Whether a request is one the probe lane answers.
fn is_probe(request: &http::Request<Incoming>) -> bool {
    request.method() == http::Method::GET
        && matches!(request.uri().path(), "/healthz" | "/readyz" | "/metrics")
}

/// Accepts connections until `stop` is cancelled, then asks every open connection to finish its
/// in-flight requests and returns once all are closed. Cancelling `force` closes them at once.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    metrics: Option<Metrics>,
    stop: CancellationToken,
    force: CancellationToken,
) {
    let max = limits.max_connections.clamp(1, Semaphore::MAX_PERMITS);
    let open = Arc::new(Semaphore::new(max));
    let lane = Arc::new(Semaphore::new(PROBE_LANE));
    let clients = Arc::new(ClientSlots::new(
        limits.max_per_client.unwrap_or_else(|| quarter(max)),
    ));
    loop {
        // Take a slot before accepting: when both pools are full, waiting clients stay in the
        // backlog. An ordinary slot is preferred whenever one is free.
        let slot = tokio::select! {
            biased;
            () = stop.cancelled() => break,
            permit = Arc::clone(&open).acquire_owned() => match permit {
                Ok(permit) => Slot { probe_lane: false, _permit: permit },
                Err(_) => break,
            },
            permit = Arc::clone(&lane).acquire_owned() => match permit {
                Ok(permit) => Slot { probe_lane: true, _permit: permit },
                Err(_) => break,
            },
        };
        let accepted = tokio::select! {
            () = stop.cancelled() => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                on_accept_error(&error).await;
                continue;
            }
        };
        // An ordinary slot may have freed while this one waited in the probe lane.
        let slot = if slot.probe_lane {
            match Arc::clone(&open).try_acquire_owned() {
                Ok(permit) => Slot {
                    probe_lane: false,
                    _permit: permit,
                },
                Err(_) => slot,
            }
        } else {
            slot
        };
        let client_addr = client_key(peer.ip());
        let Some(client) = clients.enter(client_addr) else {
            if let Some(metrics) = &metrics {
                metrics.reject(Rejection::ClientConnections);
            }
            tracing::debug!(peer = %peer.ip(), "closed a connection: --max-connections-per-client reached for this address");
            continue;
        };
        let router = router.clone();
        let metrics = metrics.clone();
        let stop = stop.clone();
        let force = force.clone();
        tokio::spawn(async move {
            serve_one(
                (stream, ClientAddr(client_addr)),
                router,
                limits,
                slot.probe_lane,
                metrics,
                stop,
                force,
            )
            .await;
            drop(slot);
            drop(client);
        });
    }
    drop(listener);
    // Every connection holds a permit until it closes: getting them all back means all closed.
    let all = u32::try_from(max).unwrap_or(u32::MAX);
    let _ = open.acquire_many(all).await;
    let _ = lane.acquire_many(PROBE_LANE as u32).await;
}

/// Per-connection errors (the client went away) are routine; anything else (e.g. EMFILE: out
/// of file descriptors) is logged and followed by a pause so the loop does not spin.
async fn on_accept_error(error: &io::Error) {
    use io::ErrorKind::*;
    if matches!(
        error.kind(),
        ConnectionAborted | ConnectionReset | ConnectionRefused
    ) {
        tracing::debug!(%error, "accept: connection dropped before it was accepted");
        return;
    }
    tracing::warn!(%error, "accept failed; pausing 100 ms");
    tokio::time::sleep(Duration::from_millis(100)).await;
}

/// Serves one accepted connection (`accepted`: the socket and the client it comes from).
async fn serve_one(
    accepted: (TcpStream, ClientAddr),
    router: Router,
    limits: ConnectionLimits,
    probe_lane: bool,
    metrics: Option<Metrics>,
    stop: CancellationToken,
    force: CancellationToken,
) {
    let (stream, client) = accepted;
    // Without TCP_NODELAY rmcp's small writes wait ~40 ms for delayed ACKs.
    if let Err(error) = stream.set_nodelay(true) {
        tracing::debug!(%error, "cannot set TCP_NODELAY");
    }
    let activity = Arc::new(Activity::new());
    let service = {
        let activity = Arc::clone(&activity);
        hyper::service::service_fn(move |mut request: http::Request<Incoming>| {
            let guard = activity.begin();
            request.extensions_mut().insert(client);
            let refuse = probe_lane && !is_probe(&request);
            let answer = (!refuse).then(|| router.clone().oneshot(request.map(Body::new)));
            let metrics = metrics.clone();
            async move {
                let response = match answer {
                    Some(answer) => answer.await?,
                    None => connections_full(metrics.as_ref()),
                };
                Ok::<_, Infallible>(response.map(|body| Body::new(GuardedBody::new(body, guard))))
            }
        })
    };
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(!probe_lane);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(limits.header_timeout.max(Duration::from_secs(1)))
        .keep_alive_timeout(limits.header_timeout.max(Duration::from_secs(1)));
    let mut connection =
        pin!(builder.serve_connection_with_upgrades(TokioIo::new(stream), service));
    let idle_limit = limits.header_timeout;
    // A connection must send its first request within the header timeout (the probe lane:
    // much sooner), or it is closed. The probe lane's lifetime ends a connection whatever it
    // is doing; an ordinary connection has none (the idle timeout ends it).
    let first_request = if probe_lane {
        limits.header_timeout.min(PROBE_LANE_FIRST_REQUEST)
    } else {
        limits.header_timeout
    };
    let first_deadline = tokio::time::sleep(first_request);
    let mut first_deadline = pin!(first_deadline);
    let end_of_life = tokio::time::sleep(limits.header_timeout.min(PROBE_LANE_LIFETIME));
    let mut end_of_life = pin!(end_of_life);
    let idle_check = tokio::time::sleep(idle_limit);
    let mut idle_check = pin!(idle_check);
    let mut deadline_checked = false;
    let mut draining = false;
    loop {
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(error) = result {
                    tracing::debug!(%error, "connection ended with an error");
                }
                return;
            }
            () = &mut end_of_life, if probe_lane => return,
            () = &mut first_deadline, if !deadline_checked => {
                deadline_checked = true;
                if !activity.seen_a_request() {
                    tracing::debug!("no request within the header timeout; closing the connection");
                    return;
                }
            }
            () = &mut idle_check => {
                match activity.idle_for() {
                    Some(idle) if idle >= idle_limit && draining => {
                        // Closed gracefully an idle timeout ago and still open with nothing
                        // in progress: the peer is not finishing the shutdown.
                        return;
                    }
                    Some(idle) if idle >= idle_limit => {
                        tracing::debug!("connection idle for the idle timeout; closing it");
                        draining = true;
                        connection.as_mut().graceful_shutdown();
                        idle_check.as_mut().reset(Instant::now() + idle_limit);
                    }
                    Some(idle) => idle_check.as_mut().reset(Instant::now() + (idle_limit - idle)),
                    None => idle_check.as_mut().reset(Instant::now() + idle_limit),
                }
            }
            () = stop.cancelled(), if !draining => {
                draining = true;
                connection.as_mut().graceful_shutdown();
            }
            () = force.cancelled() => return,
        }
    }
}

/// The soft limit on open files, when the platform tells it (Linux: `/proc/self/limits`).
pub(crate) fn open_files_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.trim_start_matches("Max open files")
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// File descriptors kept free for everything but client sockets (listener, store, logs).
const RESERVED_FDS: u64 = 64;

/// `wanted`, lowered (with a warning) so that open connections cannot use up the process's
/// file descriptors: at the fd limit `accept` fails and nobody, health checks included, gets in.
pub(crate) fn fit_to_fd_limit(wanted: usize, fd_limit: Option<u64>) -> usize {
    let Some(limit) = fd_limit else {
        return wanted;
    };
    let room = usize::try_from(limit.saturating_sub(RESERVED_FDS).max(1)).unwrap_or(usize::MAX);
    if wanted > room {
        tracing::warn!(
            wanted,
            fd_limit = limit,
            using = room,
            "--max-connections is above the open-files limit minus {RESERVED_FDS}; lowering it \
             (raise `ulimit -n` to allow more)"
        );
        return room;
    }
    wanted
}

/// Runs the accept loop until `shutdown`, drains for at most `grace`, then closes what is left.
pub(crate) async fn serve_until(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    metrics: Option<Metrics>,
    shutdown: impl Future<Output = ()> + Send + 'static,
    on_shutdown: impl FnOnce() + Send + 'static,
    grace: Duration,
) {
    let stop = CancellationToken::new();
    let force = CancellationToken::new();
    let server = accept_loop(
        listener,
        router,
        limits,
        metrics,
        stop.clone(),
        force.clone(),
    );
    let mut server = pin!(server);
    tokio::select! {
        () = server.as_mut() => return,
        () = shutdown => {}
    }
    on_shutdown();
    stop.cancel();
    if tokio::time::timeout(grace, server.as_mut()).await.is_err() {
        tracing::warn!(
            grace_secs = grace.as_secs(),
            "drain deadline reached; closing remaining connections"
        );
        force.cancel();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_is_lowered_below_the_fd_limit() {
        assert_eq!(fit_to_fd_limit(1024, Some(256)), 192);
        assert_eq!(fit_to_fd_limit(100, Some(256)), 100);
        assert_eq!(fit_to_fd_limit(1024, None), 1024);
        assert_eq!(fit_to_fd_limit(1024, Some(10)), 1);
    }

    #[test]
    fn reads_this_process_fd_limit_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(open_files_limit().is_some_and(|n| n > 0));
        }
    }
}
