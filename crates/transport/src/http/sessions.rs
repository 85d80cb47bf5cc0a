//! Session ownership (`--sessions` mode): each `Mcp-Session-Id` belongs to the principal whose
//! request created it, and is refused for anyone else.
//!
//! The MCP security best practices say a session id must never stand in for authentication and
//! that servers should key session state by the authenticated user as well as the id
//! (`<user_id>:<session_id>`). Seen that way, a session id presented by another principal names
//! a session that does not exist *for that principal*, so it gets the same 404 as an unknown or
//! expired session: the answer does not even confirm that the id is live. Without this check a
//! caller who learned another's session id (a log line, a proxy, a shared trace) could read its
//! SSE stream, send requests into it, or end it with `DELETE`.
//!
//! Ids come from rmcp (random UUIDs); the binding is recorded when the response that hands one
//! out passes back through the gate, which is before the client can present it. An id that was
//! never recorded is refused too (fail closed). Bindings of sessions that rmcp has dropped (idle
//! timeout, closed streams) are pruned from time to time against the session manager's own list.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use http::HeaderMap;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;

/// The header that carries a session id (lower case, as `http` stores names).
pub(crate) const SESSION_HEADER: &str = "mcp-session-id";

/// Bindings are pruned when their count reaches this, then at twice the live count.
const FIRST_PRUNE_AT: usize = 256;

/// Who owns each live session.
pub(crate) struct SessionOwners {
    manager: Arc<LocalSessionManager>,
    state: Mutex<State>,
}

struct State {
    owners: HashMap<String, String>,
    prune_at: usize,
}

/// What the gate should do with a request, as far as sessions go.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum SessionCheck {
    /// No session id: a new session may be created; bind it to the caller if one is.
    Unbound,
    /// A session id the caller owns.
    Owned(String),
    /// A session id that is unknown, malformed, or owned by someone else.
    Refused,
}

impl SessionOwners {
    pub(crate) fn new(manager: Arc<LocalSessionManager>) -> SessionOwners {
        SessionOwners {
            manager,
            state: Mutex::new(State {
                owners: HashMap::new(),
                prune_at: FIRST_PRUNE_AT,
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // The map stays consistent even if a holder panicked (every update is one statement).
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Checks the session id a request presents against the authenticated principal.
    pub(crate) fn check(&self, headers: &HeaderMap, principal: &str) -> SessionCheck {
        let mut ids = headers.get_all(SESSION_HEADER).iter();
        let Some(first) = ids.next() else {
            return SessionCheck::Unbound;
        };
        if ids.next().is_some() {
            return SessionCheck::Refused;
        }
        let Ok(id) = first.to_str() else {
            return SessionCheck::Refused;
        };
        match self.state().owners.get(id) {
            Some(owner) if owner == principal => SessionCheck::Owned(id.to_string()),
            _ => SessionCheck::Refused,
        }
    }

    /// Records that `principal` owns the session a response just handed out.
    pub(crate) async fn bind(&self, response_headers: &HeaderMap, principal: &str) {
        let Some(id) = response_headers
            .get(SESSION_HEADER)
            .and_then(|v| v.to_str().ok())
        else {
            return;
        };
        let prune = {
            let mut state = self.state();
            state.owners.insert(id.to_string(), principal.to_string());
            state.owners.len() >= state.prune_at
        };
        if prune {
            self.prune().await;
        }
    }

    /// Forgets a session its owner ended with `DELETE`.
    pub(crate) fn unbind(&self, id: &str) {
        self.state().owners.remove(id);
    }

    /// Whether `max` sessions are live, so that a new one must wait. rmcp ends sessions idle for
    /// its keep-alive (5 minutes) or ended with `DELETE`, which frees their places. Two
    /// initializes racing at the last place may both pass: the cap can be overshot by at most
    /// the requests in flight (the gate checks again when a slow upload takes its slot back, so
    /// those are at most `--max-concurrent`).
    pub(crate) async fn full(&self, max: usize) -> bool {
        self.manager.sessions.read().await.len() >= max
    }

    /// Whether `principal` owns `max` live sessions, so that it must end one before it opens
    /// another. Without this one caller could take every place under `--max-sessions` (the cap
    /// then refuses everyone else). Bindings of sessions rmcp has already dropped do not count.
    /// Racing initializes of one principal may overshoot by its requests in flight, which its
    /// concurrency share bounds.
    pub(crate) async fn principal_full(&self, principal: &str, max: usize) -> bool {
        let live = self.manager.sessions.read().await;
        let state = self.state();
        let owned = state
            .owners
            .iter()
            .filter(|(id, owner)| owner.as_str() == principal && live.contains_key(id.as_str()))
            .take(max)
            .count();
        owned >= max
    }

    /// Drops bindings of sessions the session manager no longer has.
    async fn prune(&self) {
        let live: HashSet<String> = self
            .manager
            .sessions
            .read()
            .await
            .keys()
            .map(|id| id.to_string())
            .collect();
        let mut state = self.state();
        state.owners.retain(|id, _| live.contains(id));
        state.prune_at = (state.owners.len() * 2).max(FIRST_PRUNE_AT);
    }

    /// Number of recorded bindings (tests).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.state().owners.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn with_session(id: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(SESSION_HEADER, HeaderValue::from_str(id).unwrap());
        headers
    }

    #[tokio::test]
    async fn only_the_creator_may_use_a_session() {
        let owners = SessionOwners::new(Arc::new(LocalSessionManager::default()));
        assert_eq!(
            owners.check(&HeaderMap::new(), "alice"),
            SessionCheck::Unbound
        );
        owners.bind(&with_session("s-1"), "alice").await;
        assert_eq!(
            owners.check(&with_session("s-1"), "alice"),
            SessionCheck::Owned("s-1".into())
        );
        assert_eq!(
            owners.check(&with_session("s-1"), "bob"),
            SessionCheck::Refused
        );
        assert_eq!(
            owners.check(&with_session("s-2"), "alice"),
            SessionCheck::Refused
        );
        owners.unbind("s-1");
        assert_eq!(
            owners.check(&with_session("s-1"), "alice"),
            SessionCheck::Refused
        );
    }

    #[tokio::test]
    async fn two_session_headers_are_refused() {
        let owners = SessionOwners::new(Arc::new(LocalSessionManager::default()));
        owners.bind(&with_session("s-1"), "alice").await;
        let mut headers = with_session("s-1");
        headers.append(SESSION_HEADER, HeaderValue::from_static("s-1"));
        assert_eq!(owners.check(&headers, "alice"), SessionCheck::Refused);
    }

    #[tokio::test]
    async fn bindings_of_dead_sessions_are_pruned() {
        let owners = SessionOwners::new(Arc::new(LocalSessionManager::default()));
        for i in 0..FIRST_PRUNE_AT {
            owners.bind(&with_session(&format!("s-{i}")), "alice").await;
        }
        // The manager has none of these sessions, so the prune at the threshold drops them all.
        assert_eq!(owners.len(), 0);
    }
}
