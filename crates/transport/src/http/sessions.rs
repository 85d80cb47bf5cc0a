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
//!
//! A request that may open a session reserves its place against `--max-sessions` and the
//! principal's quota before it runs, and holds it until its answer has been bound: counting
//! only live sessions let concurrent initializes all pass the check before any of them
//! existed, so one principal could open as many sessions as it could send requests at once.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use http::HeaderMap;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;

/// The header that carries a session id (lower case, as `http` stores names).
pub(crate) const SESSION_HEADER: &str = "mcp-session-id";

/// Bindings are pruned when their count reaches this, then at twice the live count.
const FIRST_PRUNE_AT: usize = 256;

/// Which session cap a new session would pass.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum SessionsFull {
    /// `--max-sessions`.
    All,
    /// `--max-sessions-per-principal`.
    Principal,
}

/// A place held for a session a request may open; freed when dropped (once the answer has been
/// bound, or the request failed).
pub(crate) struct Reservation {
    owners: Arc<SessionOwners>,
    principal: String,
}

impl Drop for Reservation {
    fn drop(&mut self) {
        let mut state = self.owners.state();
        state.pending_total = state.pending_total.saturating_sub(1);
        if let Some(count) = state.pending.get_mut(&self.principal) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                state.pending.remove(&self.principal);
            }
        }
    }
}

/// Who owns each live session.
pub(crate) struct SessionOwners {
    manager: Arc<LocalSessionManager>,
    state: Mutex<State>,
}

struct State {
    owners: HashMap<String, String>,
    /// Places reserved by requests that may open a session, per principal, and in all.
    pending: HashMap<String, usize>,
    pending_total: usize,
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
                pending: HashMap::new(),
                pending_total: 0,
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

    /// Reserves a place for a session `principal`'s request may open, or says which cap is
    /// reached: `max` places in all (live sessions plus reservations), `max_per_principal` for
    /// one principal (the live sessions it owns plus its reservations). rmcp ends sessions idle
    /// for its keep-alive (5 minutes) or ended with `DELETE`, which frees their places. Without
    /// the quota one caller could take every place under `--max-sessions` (the cap then refuses
    /// everyone else). A session rmcp has created but the gate not yet bound counts as live
    /// and as reserved for that moment, which errs on the side of refusing.
    pub(crate) async fn reserve(
        self: &Arc<Self>,
        principal: &str,
        max: usize,
        max_per_principal: usize,
    ) -> Result<Reservation, SessionsFull> {
        let live = self.manager.sessions.read().await;
        let mut state = self.state();
        if live.len().saturating_add(state.pending_total) >= max {
            return Err(SessionsFull::All);
        }
        let reserved = state.pending.get(principal).copied().unwrap_or(0);
        let owned = state
            .owners
            .iter()
            .filter(|(id, owner)| owner.as_str() == principal && live.contains_key(id.as_str()))
            .take(max_per_principal)
            .count();
        if owned.saturating_add(reserved) >= max_per_principal {
            return Err(SessionsFull::Principal);
        }
        *state.pending.entry(principal.to_string()).or_default() += 1;
        state.pending_total += 1;
        Ok(Reservation {
            owners: Arc::clone(self),
            principal: principal.to_string(),
        })
    }

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
