//! Open connections per client address, capped by `--max-connections-per-client`.
//!
//! Without it one address could hold every one of `--max-connections` (idle HTTP/2
//! connections, or one request per socket per header timeout) and lock every other client
//! out. IPv6 clients are counted per /64, the block one host usually gets, so that a client
//! cannot multiply its share by changing its interface identifier.

use std::net::IpAddr;

use super::tally::Tally;

/// The client a request came from, in the unit of [`client_key`]: set on every request the
/// server accepts, so that routes served beside `/mcp` can count per client too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientAddr(pub IpAddr);

/// Connections per client address (see [`client_key`]).
pub(crate) type ClientSlots = Tally<IpAddr>;

/// The unit a client's connections are counted in: the IPv4 address (also when mapped into
/// IPv6), or the IPv6 /64.
pub(crate) fn client_key(ip: IpAddr) -> IpAddr {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn admit(slots: &Arc<ClientSlots>, ip: &str) -> bool {
        slots.enter(client_key(ip.parse().unwrap())).is_some()
    }

    #[test]
    fn ipv6_is_counted_per_64_and_mapped_ipv4_as_ipv4() {
        let slots = Arc::new(ClientSlots::new(1));
        let _first = slots.enter(client_key("2001:db8:1:2::1".parse().unwrap()));
        assert!(!admit(&slots, "2001:db8:1:2:ffff::99"), "same /64");
        assert!(admit(&slots, "2001:db8:1:3::1"));
        let _v4 = slots.enter(client_key("192.0.2.7".parse().unwrap()));
        assert!(!admit(&slots, "::ffff:192.0.2.7"));
        assert!(admit(&slots, "192.0.2.8"));
    }
}
