//! Console sign-in sessions, kept in memory: a random id in an HttpOnly cookie maps to the
//! principal that signed in, its CSRF token and its times. Signing out removes the entry, so
//! a copied cookie stops working at once; a restart signs everyone out. The session keeps the
//! credential it was opened with (marked sensitive: never printed) so that every request checks
//! it again: a token that expires or a key the JWKS file withdraws ends the session with it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use csf_transport::Principal;
use http::HeaderMap;

/// Sessions at most; beyond it the oldest idle one is dropped (a flood of sign-ins cannot grow
/// memory without bound).
const MAX_SESSIONS: usize = 10_000;

/// Sessions one credentialed principal holds at most; its next sign-in drops its own oldest.
/// Without it one key, even a read-only one, could sign in until the cap above dropped every
/// other principal's session.
const MAX_SESSIONS_PER_PRINCIPAL: usize = 100;

/// One signed-in browser.
#[derive(Clone, Debug)]
pub(crate) struct Session {
    pub id: Arc<str>,
    pub principal: Principal,
    pub csrf: Arc<str>,
    /// The headers that authenticated the sign-in (None: no authentication is configured).
    pub credential: Option<Arc<HeaderMap>>,
    created: Instant,
    last_seen: Instant,
}

/// How long a session lives.
#[derive(Clone, Copy, Debug)]
pub struct Lifetimes {
    /// Signed out after this long without a request.
    pub idle: Duration,
    /// Signed out this long after sign-in, however active.
    pub absolute: Duration,
}

impl Default for Lifetimes {
    fn default() -> Self {
        Lifetimes {
            idle: Duration::from_secs(30 * 60),
            absolute: Duration::from_secs(12 * 60 * 60),
        }
    }
}

pub(crate) struct Sessions {
    lifetimes: Lifetimes,
    map: Mutex<HashMap<Arc<str>, Session>>,
}

/// 32 random bytes as hex, or `None` when the OS random source fails (then nobody signs in).
pub(crate) fn token() -> Option<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl Sessions {
    pub fn new(lifetimes: Lifetimes) -> Sessions {
        Sessions {
            lifetimes,
            map: Mutex::new(HashMap::new()),
        }
    }

    pub fn lifetimes(&self) -> Lifetimes {
        self.lifetimes
    }

    fn alive(&self, s: &Session, now: Instant) -> bool {
        now.duration_since(s.last_seen) < self.lifetimes.idle
            && now.duration_since(s.created) < self.lifetimes.absolute
    }

    /// Starts a session for `principal`, who presented `credential`.
    pub fn open(&self, principal: Principal, credential: Option<HeaderMap>) -> Option<Session> {
        let now = Instant::now();
        let session = Session {
            id: token()?.into(),
            principal,
            csrf: token()?.into(),
            credential: credential.map(Arc::new),
            created: now,
            last_seen: now,
        };
        let mut map = self.map.lock().ok()?;
        // Without authentication everyone is the same principal: only the global cap applies.
        if session.credential.is_some() {
            let own =
                |s: &&Session| s.credential.is_some() && s.principal.name == session.principal.name;
            if map.values().filter(own).count() >= MAX_SESSIONS_PER_PRINCIPAL {
                let oldest = map
                    .values()
                    .filter(own)
                    .min_by_key(|s| s.last_seen)
                    .map(|s| s.id.clone());
                if let Some(id) = oldest {
                    map.remove(&id);
                }
            }
        }
        if map.len() >= MAX_SESSIONS {
            map.retain(|_, s| self.alive(s, now));
            if map.len() >= MAX_SESSIONS {
                let oldest = map
                    .values()
                    .min_by_key(|s| s.last_seen)
                    .map(|s| s.id.clone());
                if let Some(id) = oldest {
                    map.remove(&id);
                }
            }
        }
        map.insert(session.id.clone(), session.clone());
        Some(session)
    }

    /// The live session of `id`, its idle clock restarted; an expired one is removed.
    pub fn touch(&self, id: &str) -> Option<Session> {
        let now = Instant::now();
        let mut map = self.map.lock().ok()?;
        let alive = self.alive(map.get(id)?, now);
        if !alive {
            map.remove(id);
            return None;
        }
        let s = map.get_mut(id)?;
        s.last_seen = now;
        Some(s.clone())
    }

    /// Ends a session (sign-out).
    pub fn revoke(&self, id: &str) {
        if let Ok(mut map) = self.map.lock() {
            map.remove(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use csf_transport::scope::Scopes;

    fn who() -> Principal {
        Principal {
            name: "tester".into(),
            scopes: Scopes::ALL,
        }
    }

    #[test]
    fn revoked_and_expired_sessions_are_gone() {
        let s = Sessions::new(Lifetimes::default());
        let a = s.open(who(), None).unwrap();
        assert!(s.touch(&a.id).is_some());
        s.revoke(&a.id);
        assert!(s.touch(&a.id).is_none());

        let short = Sessions::new(Lifetimes {
            idle: Duration::ZERO,
            absolute: Duration::from_secs(60),
        });
        let b = short.open(who(), None).unwrap();
        assert!(short.touch(&b.id).is_none(), "idle expiry");
        let abs = Sessions::new(Lifetimes {
            idle: Duration::from_secs(60),
            absolute: Duration::ZERO,
        });
        let c = abs.open(who(), None).unwrap();
        assert!(abs.touch(&c.id).is_none(), "absolute expiry");
    }

    #[test]
    fn one_principal_cannot_push_out_the_sessions_of_others() {
        let s = Sessions::new(Lifetimes::default());
        let credential = || Some(HeaderMap::new());
        let victim = s.open(who(), credential()).unwrap();
        let flooder = Principal {
            name: "flooder".into(),
            scopes: Scopes::ALL,
        };
        let first = s.open(flooder.clone(), credential()).unwrap();
        for _ in 0..MAX_SESSIONS {
            s.open(flooder.clone(), credential()).unwrap();
        }
        assert!(
            s.touch(&victim.id).is_some(),
            "another principal's session was dropped"
        );
        assert!(
            s.touch(&first.id).is_none(),
            "the flooder's oldest session stays"
        );
        let held = s.map.lock().unwrap().len();
        assert_eq!(held, MAX_SESSIONS_PER_PRINCIPAL + 1);
    }

    #[test]
    fn ids_and_tokens_differ() {
        let s = Sessions::new(Lifetimes::default());
        let a = s.open(who(), None).unwrap();
        let b = s.open(who(), None).unwrap();
        assert_ne!(a.id, b.id);
        assert_ne!(a.csrf, a.id);
        assert_eq!(a.id.len(), 64);
    }
}
