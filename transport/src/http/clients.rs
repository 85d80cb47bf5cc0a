//! Open connections per client address, capped by `--max-connections-per-client`.
//!
//! Without it one address could hold every one of `--max-connections` (idle HTTP/2
//! connections, or one request per socket per header timeout) and lock every other client
//! out. IPv6 clients are counted per /64, the block one host usually gets, so that a client
//! cannot multiply its share by changing its interface identifier. The map holds only
//! addresses with an open connection, so it is bounded by `--max-connections`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};

/// The unit a client's connections are counted in.
fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::from(segments)
            }
        },
    }
}

/// Connections per client address.
pub(crate) struct ClientSlots {
    /// At most this many per address; 0: no cap.
    max: usize,
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// One connection counted against its address until dropped.
pub(crate) struct ClientGuard {
    slots: Arc<ClientSlots>,
    key: IpAddr,
}

impl ClientSlots {
    pub(crate) fn new(max: usize) -> ClientSlots {
        ClientSlots {
            max,
            open: Mutex::new(HashMap::new()),
        }
    }

    fn open(&self) -> MutexGuard<'_, HashMap<IpAddr, usize>> {
        // Every update is one statement: the map is consistent even if a holder panicked.
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts a new connection from `ip`; `None` when that address already has its share.
    pub(crate) fn admit(self: &Arc<Self>, ip: IpAddr) -> Option<ClientGuard> {
        let key = client_key(ip);
        if self.max > 0 {
            let mut open = self.open();
            let count = open.entry(key).or_insert(0);
            if *count >= self.max {
                return None;
            }
            *count += 1;
        }
        Some(ClientGuard {
            slots: Arc::clone(self),
            key,
        })
    }
}

impl Drop for ClientGuard {
    fn drop(&mut self) {
        if self.slots.max == 0 {
            return;
        }
        let mut open = self.slots.open();
        if let Some(count) = open.get_mut(&self.key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_has_its_own_cap() {
        let slots = Arc::new(ClientSlots::new(2));
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        let a1 = slots.admit(a).unwrap();
        let _a2 = slots.admit(a).unwrap();
        assert!(slots.admit(a).is_none());
        let _b1 = slots.admit(b).expect("another address is not affected");
        drop(a1);
        assert!(slots.admit(a).is_some());
    }

    #[test]
    fn ipv6_is_counted_per_64_and_mapped_ipv4_as_ipv4() {
        let slots = Arc::new(ClientSlots::new(1));
        let _first = slots.admit("2001:db8:1:2::1".parse().unwrap()).unwrap();
        assert!(
            slots
                .admit("2001:db8:1:2:ffff::99".parse().unwrap())
                .is_none(),
            "same /64"
        );
        assert!(slots.admit("2001:db8:1:3::1".parse().unwrap()).is_some());
        let _v4 = slots.admit("192.0.2.7".parse().unwrap()).unwrap();
        assert!(slots.admit("::ffff:192.0.2.7".parse().unwrap()).is_none());
    }

    #[test]
    fn zero_means_no_cap_and_nothing_is_kept() {
        let slots = Arc::new(ClientSlots::new(0));
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let guards: Vec<_> = (0..100).map(|_| slots.admit(ip).unwrap()).collect();
        assert!(slots.open().is_empty());
        drop(guards);
        let capped = Arc::new(ClientSlots::new(3));
        drop(
            (0..3)
                .map(|_| capped.admit(ip).unwrap())
                .collect::<Vec<_>>(),
        );
        assert!(capped.open().is_empty(), "closed connections are forgotten");
    }
}
