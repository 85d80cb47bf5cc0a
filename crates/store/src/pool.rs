//! A minimal blocking connection pool shared by both backends: at most `max` connections,
//! idle ones reused, broken ones dropped, callers wait (bounded) when all are in use.

use crate::error::{Result, StoreError};
use std::ops::{Deref, DerefMut};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Opens and checks connections of one kind.
pub(crate) trait Manager: Send + Sync {
    type Conn: Send;
    fn connect(&self) -> Result<Self::Conn>;
    /// True when the connection can no longer be used (closed socket).
    fn is_broken(&self, conn: &Self::Conn) -> bool;
}

struct State<C> {
    idle: Vec<C>,
    open: usize,
}

pub(crate) struct Pool<M: Manager> {
    manager: M,
    state: Mutex<State<M::Conn>>,
    freed: Condvar,
    max: usize,
    wait: Duration,
}

impl<M: Manager> Pool<M> {
    pub(crate) fn new(manager: M, max: usize, wait: Duration) -> Self {
        Pool {
            manager,
            state: Mutex::new(State {
                idle: Vec::new(),
                open: 0,
            }),
            freed: Condvar::new(),
            max: max.max(1),
            wait,
        }
    }

    pub(crate) fn manager(&self) -> &M {
        &self.manager
    }

    fn lock(&self) -> MutexGuard<'_, State<M::Conn>> {
        // A panic while holding this lock cannot leave State inconsistent (push/pop/counter).
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A connection for the caller's exclusive use until the guard is dropped.
    pub(crate) fn get(&self) -> Result<Pooled<'_, M>> {
        let deadline = Instant::now() + self.wait;
        let mut state = self.lock();
        loop {
            while let Some(conn) = state.idle.pop() {
                if self.manager.is_broken(&conn) {
                    state.open -= 1;
                    continue;
                }
                return Ok(Pooled {
                    pool: self,
                    conn: Some(conn),
                    broken: false,
                });
            }
            if state.open < self.max {
                state.open += 1;
                drop(state);
                return match self.manager.connect() {
                    Ok(conn) => Ok(Pooled {
                        pool: self,
                        conn: Some(conn),
                        broken: false,
                    }),
                    Err(e) => {
                        self.lock().open -= 1;
                        self.freed.notify_one();
                        Err(e)
                    }
                };
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(StoreError::Backend {
                    message: format!(
                        "all {} database connections stayed busy for {:?}",
                        self.max, self.wait
                    ),
                    transient: true,
                });
            }
            state = self
                .freed
                .wait_timeout(state, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }
}

/// A checked-out connection; returns to the pool on drop unless marked broken.
pub(crate) struct Pooled<'a, M: Manager> {
    pool: &'a Pool<M>,
    conn: Option<M::Conn>,
    broken: bool,
}

impl<M: Manager> Pooled<'_, M> {
    /// Drop this connection instead of reusing it (its session state is unknown).
    pub(crate) fn mark_broken(&mut self) {
        self.broken = true;
    }
}

impl<M: Manager> Deref for Pooled<'_, M> {
    type Target = M::Conn;
    fn deref(&self) -> &M::Conn {
        // Invariant: `conn` is Some until drop.
        match &self.conn {
            Some(c) => c,
            None => unreachable!("pooled connection used after release"),
        }
    }
}

impl<M: Manager> DerefMut for Pooled<'_, M> {
    fn deref_mut(&mut self) -> &mut M::Conn {
        match &mut self.conn {
            Some(c) => c,
            None => unreachable!("pooled connection used after release"),
        }
    }
}

impl<M: Manager> Drop for Pooled<'_, M> {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else { return };
        let mut state = self.pool.lock();
        if self.broken || self.pool.manager.is_broken(&conn) {
            state.open -= 1;
            drop(state);
            drop(conn);
        } else {
            state.idle.push(conn);
        }
        self.pool.freed.notify_one();
    }
}
