//! Bounded stdio: stop reading requests while too many are in flight.
//!
//! rmcp's service loop reads messages as fast as the transport yields them and spawns a task
//! per request, so a client that pipelines a flood makes the server buffer without limit (a
//! 100k-request flood grew RSS to ~270 MB). [`Bounded`] wraps any rmcp transport: it takes a
//! permit before reading each message, keeps it while a request is being handled, and gives
//! it back when that request's response (or error) has been written, or when the client
//! cancels it. With every permit taken, reading pauses and the pipe pushes back on the client.

use std::borrow::Cow;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use rmcp::model::{ClientNotification, JsonRpcMessage, RequestId};
use rmcp::service::{RxJsonRpcMessage, TxJsonRpcMessage};
use rmcp::transport::Transport;
use rmcp::RoleServer;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

type Permits = Arc<Mutex<HashMap<RequestId, OwnedSemaphorePermit>>>;

/// A transport that lets at most `max_in_flight` requests be outstanding.
pub struct Bounded<T> {
    inner: T,
    slots: Arc<Semaphore>,
    permits: Permits,
}

fn release(permits: &Permits, id: &RequestId) {
    let mut map = match permits.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    map.remove(id);
}

impl<T> Bounded<T> {
    /// Wraps `inner`; `max_in_flight` is clamped to at least 1.
    pub fn new(inner: T, max_in_flight: usize) -> Bounded<T> {
        Bounded {
            inner,
            slots: Arc::new(Semaphore::new(max_in_flight.max(1))),
            permits: Arc::new(Mutex::new(HashMap::new())),
        }
    }
}

/// Standard input and output as a bounded rmcp transport (non-blocking pipes where possible).
/// Call it inside the Tokio runtime that will serve (rmcp's pipe setup needs its I/O driver).
pub fn stdio(max_in_flight: usize) -> Bounded<impl Transport<RoleServer, Error = std::io::Error>> {
    let (read, write) = rmcp::transport::stdio_pipes();
    Bounded::new(
        rmcp::transport::async_rw::AsyncRwTransport::new_server(read, write),
        max_in_flight,
    )
}

impl<T> Transport<RoleServer> for Bounded<T>
where
    T: Transport<RoleServer>,
{
    type Error = T::Error;

    fn name() -> Cow<'static, str> {
        Cow::Borrowed("bounded")
    }

    fn send(
        &mut self,
        item: TxJsonRpcMessage<RoleServer>,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send + 'static {
        let answered = match &item {
            JsonRpcMessage::Response(response) => Some(response.id.clone()),
            JsonRpcMessage::Error(error) => error.id.clone(),
            _ => None,
        };
        let send = self.inner.send(item);
        let permits = Arc::clone(&self.permits);
        async move {
            let result = send.await;
            // Written (or failed for good): the request no longer occupies memory here.
            if let Some(id) = answered {
                release(&permits, &id);
            }
            result
        }
    }

    async fn receive(&mut self) -> Option<RxJsonRpcMessage<RoleServer>> {
        // Cancel-safe: rmcp drops this future between events; a dropped permit is returned.
        let permit = Arc::clone(&self.slots).acquire_owned().await.ok()?;
        let message = self.inner.receive().await?;
        match &message {
            JsonRpcMessage::Request(request) => {
                let mut map = match self.permits.lock() {
                    Ok(guard) => guard,
                    Err(poisoned) => poisoned.into_inner(),
                };
                map.insert(request.id.clone(), permit);
            }
            JsonRpcMessage::Notification(notification) => {
                // rmcp drops the response of a cancelled request, so free its permit here.
                if let ClientNotification::CancelledNotification(cancelled) =
                    &notification.notification
                {
                    if let Some(id) = &cancelled.params.request_id {
                        release(&self.permits, id);
                    }
                }
            }
            _ => {}
        }
        Some(message)
    }

    async fn close(&mut self) -> Result<(), Self::Error> {
        self.inner.close().await
    }
}
