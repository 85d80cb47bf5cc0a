//! `Host` and `Origin` allowlists: the DNS-rebinding defence.
//!
//! A browser tricked by DNS rebinding sends the attacker's name in `Host` and the attacker's
//! page in `Origin`; refusing both unless listed keeps a loopback server out of reach of web
//! pages. rmcp's own check is loopback-only, so we replace it with a configurable one.

use std::net::SocketAddr;

use http::HeaderMap;

use crate::config_error::ConfigError;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Authority {
    host: String,
    port: Option<u16>,
}

fn parse_authority(text: &str) -> Option<Authority> {
    let text = text.trim();
    // `user@host` parses as an authority whose host is `host`: a Host header never carries
    // user information (RFC 9110 §7.2), so one that does is refused rather than stripped.
    if text.is_empty() || text.contains('@') {
        return None;
    }
    let authority: http::uri::Authority = text.parse().ok()?;
    let host = authority
        .host()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    Some(Authority {
        host,
        port: authority.port_u16(),
    })
}

/// Accepted `Host` header values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostAllowlist {
    /// `None`: any host (`*`).
    entries: Option<Vec<Authority>>,
}

impl HostAllowlist {
    /// The bind address plus `localhost`, `127.0.0.1` and `[::1]`, all on the bind port.
    pub fn defaults_for(bind: SocketAddr) -> HostAllowlist {
        let port = Some(bind.port());
        let mut entries: Vec<Authority> = ["localhost", "127.0.0.1", "::1"]
            .into_iter()
            .map(|host| Authority {
                host: host.to_string(),
                port,
            })
            .collect();
        let ip = bind.ip();
        if !ip.is_unspecified() && !ip.is_loopback() {
            entries.push(Authority {
                host: ip.to_string(),
                port,
            });
        }
        HostAllowlist {
            entries: Some(entries),
        }
    }

    /// Parses `host`, `host:port` or `*` entries.
    pub fn parse(values: &[String]) -> Result<HostAllowlist, ConfigError> {
        if values.iter().any(|v| v.trim() == "*") {
            return Ok(HostAllowlist { entries: None });
        }
        let entries = values
            .iter()
            .filter(|v| !v.trim().is_empty())
            .map(|v| {
                parse_authority(v).ok_or_else(|| ConfigError::Value {
                    flag: "--allowed-hosts",
                    reason: format!("{v:?} is not a host or host:port"),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(HostAllowlist {
            entries: Some(entries),
        })
    }

    /// Whether every host is accepted (`*`).
    pub fn is_any(&self) -> bool {
        self.entries.is_none()
    }

    /// Whether the request's `Host` (or HTTP/2 `:authority`) is acceptable.
    pub fn allows(&self, uri: &http::Uri, headers: &HeaderMap) -> bool {
        let Some(entries) = &self.entries else {
            return true;
        };
        let presented = headers
            .get(http::header::HOST)
            .and_then(|v| v.to_str().ok())
            .or_else(|| uri.authority().map(|a| a.as_str()));
        let Some(presented) = presented.and_then(parse_authority) else {
            return false;
        };
        entries
            .iter()
            .any(|e| e.host == presented.host && (e.port.is_none() || e.port == presented.port))
    }

    fn hosts(&self) -> Option<Vec<String>> {
        self.entries
            .as_ref()
            .map(|entries| entries.iter().map(|e| e.host.clone()).collect())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct OriginEntry {
    scheme: String,
    host: String,
    /// `None`: any port.
    port: Option<u16>,
}

fn default_port(scheme: &str) -> u16 {
    if scheme == "https" {
        443
    } else {
        80
    }
}

fn parse_origin(text: &str, wildcard_port: bool) -> Option<OriginEntry> {
    let (scheme, rest) = text.trim().split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let rest = rest.trim_end_matches('/');
    if wildcard_port {
        if let Some(host) = rest.strip_suffix(":*") {
            let authority = parse_authority(host)?;
            return Some(OriginEntry {
                scheme,
                host: authority.host,
                port: None,
            });
        }
    }
    let authority = parse_authority(rest)?;
    let port = authority.port.unwrap_or_else(|| default_port(&scheme));
    Some(OriginEntry {
        scheme,
        host: authority.host,
        port: Some(port),
    })
}

/// Accepted `Origin` header values. Requests without `Origin` (non-browser clients) pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginAllowlist {
    /// `None`: any origin (`*`).
    entries: Option<Vec<OriginEntry>>,
    allow_null: bool,
}

impl OriginAllowlist {
    /// http and https on every allowed host, any port (any origin if hosts are `*`).
    pub fn derived(hosts: &HostAllowlist) -> OriginAllowlist {
        let entries = hosts.hosts().map(|hosts| {
            hosts
                .into_iter()
                .flat_map(|host| {
                    ["http", "https"].map(|scheme| OriginEntry {
                        scheme: scheme.to_string(),
                        host: host.clone(),
                        port: None,
                    })
                })
                .collect()
        });
        OriginAllowlist {
            entries,
            allow_null: false,
        }
    }

    /// Parses `scheme://host[:port]`, `scheme://host:*`, `null` or `*` entries.
    pub fn parse(values: &[String]) -> Result<OriginAllowlist, ConfigError> {
        if values.iter().any(|v| v.trim() == "*") {
            return Ok(OriginAllowlist {
                entries: None,
                allow_null: true,
            });
        }
        let mut entries = Vec::new();
        let mut allow_null = false;
        for value in values.iter().filter(|v| !v.trim().is_empty()) {
            if value.trim() == "null" {
                allow_null = true;
                continue;
            }
            entries.push(parse_origin(value, true).ok_or_else(|| ConfigError::Value {
                flag: "--allowed-origins",
                reason: format!("{value:?} is not scheme://host[:port|:*]"),
            })?);
        }
        Ok(OriginAllowlist {
            entries: Some(entries),
            allow_null,
        })
    }

    /// Whether every origin is accepted (`*`).
    pub fn is_any(&self) -> bool {
        self.entries.is_none()
    }

    /// Whether the request's `Origin` headers, if any, are acceptable: every one of them, so
    /// that a listed origin cannot vouch for an unlisted one sent beside it.
    pub fn allows(&self, headers: &HeaderMap) -> bool {
        headers
            .get_all(http::header::ORIGIN)
            .iter()
            .all(|origin| self.allows_one(origin))
    }

    fn allows_one(&self, origin: &http::HeaderValue) -> bool {
        let Some(entries) = &self.entries else {
            return true;
        };
        let Ok(origin) = origin.to_str() else {
            return false;
        };
        if origin.trim() == "null" {
            return self.allow_null;
        }
        let Some(origin) = parse_origin(origin, false) else {
            return false;
        };
        entries.iter().any(|e| {
            e.scheme == origin.scheme
                && e.host == origin.host
                && (e.port.is_none() || e.port == origin.port)
        })
    }
}

/// Why a request's authority is malformed, if it is: more than one `Host` header, user
/// information in `Host` or in the request target, or a `Host` that differs from the target's
/// authority (HTTP/2 `:authority`, or an HTTP/1.1 absolute-form target). RFC 9112 §3.2 asks for
/// `400` in these cases; answering them as if one of the values were the real one would let a
/// proxy and this server disagree about which host a request is for.
pub fn host_problem(uri: &http::Uri, headers: &HeaderMap) -> Option<&'static str> {
    let mut hosts = headers.get_all(http::header::HOST).iter();
    let host = hosts.next();
    if hosts.next().is_some() {
        return Some("more than one Host header");
    }
    let target = uri.authority().map(|a| a.as_str());
    if target.is_some_and(|a| a.contains('@')) {
        return Some("user information in the request target");
    }
    let Ok(host) = host?.to_str() else {
        return Some("Host is not visible ASCII");
    };
    if host.contains('@') {
        return Some("user information in Host");
    }
    match target {
        Some(target) if !target.eq_ignore_ascii_case(host.trim()) => {
            Some("Host differs from the request target's authority")
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn host(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::HOST, HeaderValue::from_static(value));
        headers
    }

    fn origin(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::ORIGIN, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn default_hosts_are_loopback_on_the_bind_port() {
        let list = HostAllowlist::defaults_for("127.0.0.1:8080".parse().unwrap());
        let uri = http::Uri::from_static("/mcp");
        assert!(list.allows(&uri, &host("127.0.0.1:8080")));
        assert!(list.allows(&uri, &host("LOCALHOST:8080")));
        assert!(list.allows(&uri, &host("[::1]:8080")));
        assert!(!list.allows(&uri, &host("localhost:9090")));
        assert!(!list.allows(&uri, &host("evil.example:8080")));
        assert!(!list.allows(&uri, &HeaderMap::new()));
    }

    #[test]
    fn configured_hosts_and_wildcard() {
        let list = HostAllowlist::parse(&["csf.example.com".into()]).unwrap();
        let uri = http::Uri::from_static("/mcp");
        assert!(list.allows(&uri, &host("csf.example.com")));
        assert!(list.allows(&uri, &host("csf.example.com:443")));
        assert!(!list.allows(&uri, &host("example.com")));
        let any = HostAllowlist::parse(&["*".into()]).unwrap();
        assert!(any.allows(&uri, &host("anything")));
    }

    #[test]
    fn userinfo_and_repeated_hosts_are_malformed() {
        let uri = http::Uri::from_static("/mcp");
        assert_eq!(host_problem(&uri, &host("localhost:8080")), None);
        assert_eq!(host_problem(&uri, &HeaderMap::new()), None);
        assert!(host_problem(&uri, &host("evil@localhost:8080")).is_some());
        let mut two = host("localhost:8080");
        two.append(http::header::HOST, HeaderValue::from_static("evil.example"));
        assert!(host_problem(&uri, &two).is_some());
        let h2 = http::Uri::from_static("http://localhost:8080/mcp");
        assert_eq!(host_problem(&h2, &HeaderMap::new()), None);
        assert_eq!(host_problem(&h2, &host("LOCALHOST:8080")), None);
        assert!(host_problem(&h2, &host("evil.example:8080")).is_some());
        let with_user = http::Uri::from_static("http://evil@localhost:8080/mcp");
        assert!(host_problem(&with_user, &HeaderMap::new()).is_some());
        // Even if the malformed check were skipped, the allowlist does not strip userinfo.
        let list = HostAllowlist::defaults_for("127.0.0.1:8080".parse().unwrap());
        assert!(!list.allows(&uri, &host("evil@localhost:8080")));
        assert!(HostAllowlist::parse(&["user@csf.example.com".into()]).is_err());
    }

    #[test]
    fn every_origin_header_is_checked() {
        let hosts = HostAllowlist::defaults_for("127.0.0.1:8080".parse().unwrap());
        let list = OriginAllowlist::derived(&hosts);
        let mut two = origin("http://localhost:6274");
        two.append(
            http::header::ORIGIN,
            HeaderValue::from_static("http://evil.example"),
        );
        assert!(!list.allows(&two));
        let mut both_good = origin("http://localhost:6274");
        both_good.append(
            http::header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:6274"),
        );
        assert!(list.allows(&both_good));
    }

    #[test]
    fn origins_follow_the_host_list() {
        let hosts = HostAllowlist::defaults_for("127.0.0.1:8080".parse().unwrap());
        let list = OriginAllowlist::derived(&hosts);
        assert!(list.allows(&HeaderMap::new()));
        assert!(list.allows(&origin("http://localhost:6274")));
        assert!(!list.allows(&origin("http://evil.example")));
        assert!(!list.allows(&origin("null")));
        let explicit = OriginAllowlist::parse(&["https://app.example.com".into()]).unwrap();
        assert!(explicit.allows(&origin("https://app.example.com")));
        assert!(explicit.allows(&origin("https://app.example.com:443")));
        assert!(!explicit.allows(&origin("https://app.example.com:8443")));
        assert!(!explicit.allows(&origin("http://app.example.com")));
    }
}
