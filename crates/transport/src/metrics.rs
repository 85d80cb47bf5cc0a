//! Prometheus metrics for the transport, plus a store-latency hook for the server.
//!
//! Uses `prometheus-client` (the Prometheus project's Rust client: a handful of small
//! dependencies, OpenMetrics text output) instead of a hand-rolled registry: histograms and
//! label families are where a home-made encoder tends to get the format subtly wrong.

use std::sync::Arc;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::process_metrics::ProcessGauges;

/// Labels of one MCP request: normalised method and tool name.
///
/// Every label value comes from a fixed set, never from the request as sent: a client must not
/// be able to add series (each one lives as long as the process and is in every scrape).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CallLabels {
    /// JSON-RPC method (`tools/call`, `initialize` …; unknown methods are `other`), or for a
    /// request without a JSON-RPC body its HTTP method (`get`, `delete`, else `other`).
    pub method: &'static str,
    /// Tool name for `tools/call`, only when the server's classifier knows the tool (unknown
    /// tools are `unknown`), empty otherwise.
    pub tool: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ErrorLabels {
    method: &'static str,
    tool: String,
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReasonLabels {
    reason: &'static str,
}

/// Why a request was turned away before reaching the MCP handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// Too many requests in flight (503).
    Shed,
    /// As many slow uploads wait for their bodies (without a slot) as there are slots (503).
    SlowUploads,
    /// Per-principal rate limit (429).
    RateLimited,
    /// Missing or invalid credentials (401).
    Unauthorized,
    /// Scope too small (403).
    InsufficientScope,
    /// Host or Origin not allowed (403).
    ForbiddenHost,
    /// Body over the limit (413).
    TooLarge,
    /// Body unreadable or not one JSON-RPC message rmcp can decode (400).
    BadBody,
    /// Deadline passed (504).
    Timeout,
    /// Session id unknown or owned by another principal (404).
    UnknownSession,
    /// A new session was asked for while `--max-sessions` are live (503).
    SessionsFull,
    /// A new session was asked for by a principal that holds its share of the sessions (429).
    PrincipalSessionsFull,
    /// A principal already has its share of `--max-concurrent` in flight (429).
    PrincipalBusy,
    /// Two `Host` headers, user information in the authority, or `Host` and `:authority`
    /// disagreeing (400).
    BadHost,
    /// A connection from an address that already has `--max-connections-per-client` open:
    /// closed on accept.
    ClientConnections,
    /// A request other than a health probe on a connection accepted over `--max-connections`
    /// (503).
    ConnectionsFull,
}

impl Rejection {
    fn label(self) -> &'static str {
        match self {
            Rejection::Shed => "shed",
            Rejection::SlowUploads => "slow_uploads",
            Rejection::RateLimited => "rate_limited",
            Rejection::Unauthorized => "unauthorized",
            Rejection::InsufficientScope => "insufficient_scope",
            Rejection::ForbiddenHost => "forbidden_host",
            Rejection::TooLarge => "too_large",
            Rejection::BadBody => "bad_body",
            Rejection::Timeout => "timeout",
            Rejection::UnknownSession => "unknown_session",
            Rejection::SessionsFull => "sessions_full",
            Rejection::PrincipalSessionsFull => "principal_sessions_full",
            Rejection::PrincipalBusy => "principal_busy",
            Rejection::BadHost => "bad_host",
            Rejection::ClientConnections => "client_connections",
            Rejection::ConnectionsFull => "connections_full",
        }
    }
}

/// How a handled request failed, for the error counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Non-2xx HTTP status from the MCP service.
    Http,
    /// JSON-RPC error response.
    JsonRpc,
    /// Tool result with `isError: true`.
    Tool,
}

struct Inner {
    registry: Registry,
    requests: Family<CallLabels, Counter>,
    errors: Family<ErrorLabels, Counter>,
    latency: Family<CallLabels, Histogram>,
    in_flight: Gauge,
    rejected: Family<ReasonLabels, Counter>,
    process: Option<ProcessGauges>,
}

/// Shared metrics handle; clone it freely (one registry behind an `Arc`).
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

fn latency_histogram() -> Histogram {
    // 50 µs … ~13 s in ×2 steps: covers an in-memory lookup and a slow store call alike.
    Histogram::new(exponential_buckets(0.000_05, 2.0, 19))
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    /// A fresh registry with every metric registered.
    pub fn new() -> Metrics {
        let mut registry = Registry::default();
        let requests = Family::<CallLabels, Counter>::default();
        let errors = Family::<ErrorLabels, Counter>::default();
        let latency = Family::<CallLabels, Histogram>::new_with_constructor(
            latency_histogram as fn() -> Histogram,
        );
        let in_flight = Gauge::default();
        let rejected = Family::<ReasonLabels, Counter>::default();
        registry.register(
            "mcp_requests",
            "MCP requests handled, by method and tool",
            requests.clone(),
        );
        registry.register(
            "mcp_request_errors",
            "MCP requests that failed (kind: http, jsonrpc, tool)",
            errors.clone(),
        );
        registry.register(
            "mcp_request_duration_seconds",
            "MCP request latency, by method and tool",
            latency.clone(),
        );
        registry.register(
            "mcp_requests_in_flight",
            "MCP requests being handled now",
            in_flight.clone(),
        );
        registry.register(
            "http_rejected_requests",
            "Requests turned away before the handler (shed, rate_limited, unauthorized …)",
            rejected.clone(),
        );
        let process = ProcessGauges::register(&mut registry);
        Metrics {
            inner: Arc::new(Inner {
                registry,
                requests,
                errors,
                latency,
                in_flight,
                rejected,
                process,
            }),
        }
    }

    pub(crate) fn observe_call(
        &self,
        labels: &CallLabels,
        elapsed: Duration,
        error: Option<ErrorKind>,
    ) {
        self.inner.requests.get_or_create(labels).inc();
        self.inner
            .latency
            .get_or_create(labels)
            .observe(elapsed.as_secs_f64());
        if let Some(kind) = error {
            let kind = match kind {
                ErrorKind::Http => "http",
                ErrorKind::JsonRpc => "jsonrpc",
                ErrorKind::Tool => "tool",
            };
            self.inner
                .errors
                .get_or_create(&ErrorLabels {
                    method: labels.method,
                    tool: labels.tool.clone(),
                    kind,
                })
                .inc();
        }
    }

    pub(crate) fn reject(&self, why: Rejection) {
        self.inner
            .rejected
            .get_or_create(&ReasonLabels {
                reason: why.label(),
            })
            .inc();
    }

    pub(crate) fn in_flight(&self) -> InFlightGuard {
        self.inner.in_flight.inc();
        InFlightGuard(self.inner.in_flight.clone())
    }

    /// The OpenMetrics text exposition.
    pub fn encode(&self) -> String {
        if let Some(process) = &self.inner.process {
            process.refresh();
        }
        let mut out = String::with_capacity(4096);
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.inner.registry);
        out
    }
}

/// The series of the request families (`mcp_*`, `http_*`) in an exposition, without their
/// values: what a client's requests can add to. It must stay the same, whatever requests
/// arrive, once one request of each fixed label has been seen (tests compare it before and
/// after hostile traffic).
pub fn request_series(exposition: &str) -> std::collections::BTreeSet<String> {
    exposition
        .lines()
        .filter(|l| l.starts_with("mcp_") || l.starts_with("http_"))
        .map(|l| {
            l.rsplit_once(' ')
                .map_or(l, |(series, _)| series)
                .to_string()
        })
        .collect()
}

/// Decrements the in-flight gauge when dropped (also when a request is cancelled).
pub(crate) struct InFlightGuard(Gauge);

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        self.0.dec();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposition_names_every_family() {
        let metrics = Metrics::new();
        let labels = CallLabels {
            method: "tools/call",
            tool: "echo".into(),
        };
        metrics.observe_call(&labels, Duration::from_micros(120), Some(ErrorKind::Tool));
        metrics.reject(Rejection::Shed);
        {
            let _guard = metrics.in_flight();
        }
        let text = metrics.encode();
        for needle in [
            "mcp_requests_total{method=\"tools/call\",tool=\"echo\"} 1",
            "mcp_request_errors_total{method=\"tools/call\",tool=\"echo\",kind=\"tool\"} 1",
            "mcp_request_duration_seconds_bucket",
            "mcp_requests_in_flight 0",
            "http_rejected_requests_total{reason=\"shed\"} 1",
        ] {
            assert!(text.contains(needle), "missing {needle} in\n{text}");
        }
    }
}
