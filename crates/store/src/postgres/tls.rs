//! TLS to PostgreSQL, chosen by the URL's `sslmode` and `sslrootcert` parameters.
//!
//! tokio-postgres knows neither `verify-full` nor `sslrootcert`, so these parameters are taken
//! out of the URL here and the rest is left to it. Any mode that asks for TLS gets a rustls
//! connector that checks the server's certificate chain *and* host name: an encrypted
//! connection to an unverified server would hand the password to whoever answers. Modes that
//! fall back to plain text when TLS fails (`prefer`, `allow`) are refused rather than
//! honoured silently. The connector needs the `postgres-tls` feature; without it, a URL asking
//! for TLS is refused at start-up with the way to get it.

use percent_encoding::percent_decode_str;

use crate::error::{Result, StoreError};

/// How connections are made.
pub(crate) enum Tls {
    /// Plain TCP (loopback, private network, service mesh).
    Off,
    /// TLS with the server's certificate and host name verified.
    #[cfg(feature = "postgres-tls")]
    Verified(tokio_postgres_rustls::MakeRustlsConnect),
}

/// What the URL asked for, before any file is read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Off,
    /// TLS; roots from this PEM file, or the bundled Mozilla roots when `None`.
    Verified {
        root_file: Option<String>,
    },
}

const VALID_MODES: &str = "disable, require, verify-ca or verify-full";

fn invalid(reason: impl Into<String>) -> StoreError {
    StoreError::invalid("database url", reason)
}

/// Where the URL's parameters start, found the way tokio-postgres finds them: the credentials
/// run to the first `@`, the host to the next `/` or `?`, the path to the next `?`. Reading it
/// any other way would let a `?` in a password hide `sslmode` from us but not from the driver.
fn params_start(url: &str) -> Option<usize> {
    let after_scheme = url.find("://")? + 3;
    let rest = &url[after_scheme..];
    let mut pos = rest.find('@').map_or(0, |at| at + 1);
    pos += rest[pos..].find(['/', '?']).unwrap_or(rest.len() - pos);
    if rest[pos..].starts_with('/') {
        pos += rest[pos..].find('?').unwrap_or(rest.len() - pos);
    }
    rest[pos..].starts_with('?').then_some(after_scheme + pos)
}

/// A value for an error message: short, so that nothing long (a misplaced password) is echoed.
fn shown(value: &str) -> String {
    if value.chars().count() <= 24 {
        value.to_owned()
    } else {
        format!("{}…", value.chars().take(24).collect::<String>())
    }
}

/// Splits the TLS parameters off a `postgres://` URL: the URL without them (for tokio-postgres)
/// and the mode they select. No sslmode means no TLS, as before TLS was supported.
pub(crate) fn split(url: &str) -> Result<(String, Mode)> {
    let Some(start) = params_start(url) else {
        return Ok((url.to_owned(), Mode::Off));
    };
    let (base, query) = (&url[..start], &url[start + 1..]);
    let decode = |what: &str, raw: &str| {
        percent_decode_str(raw)
            .decode_utf8()
            .map(|v| v.into_owned())
            .map_err(|_| invalid(format!("{what}: not valid UTF-8 after percent-decoding")))
    };
    let mut kept = Vec::new();
    let (mut mode, mut root_file) = (None, None);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (raw_key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        // The driver decodes names too: `ssl%6Dode` is sslmode.
        let key = decode("a parameter name", raw_key)?;
        match key.as_str() {
            "sslmode" => mode = Some(decode("sslmode", raw)?),
            "sslrootcert" => root_file = Some(decode("sslrootcert", raw)?),
            "sslcert" | "sslkey" | "sslpassword" | "sslcrl" | "sslcrldir" => {
                return Err(invalid(format!(
                    "{key} is not supported: this server does not present client certificates; \
                     authenticate with the password in the URL (pass it in CSF_DB)"
                )))
            }
            _ => kept.push(pair),
        }
    }
    let url = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    let mode = match mode.as_deref() {
        None | Some("disable") => {
            if root_file.is_some() {
                return Err(invalid(
                    "sslrootcert is given but TLS is off: add sslmode=verify-full",
                ));
            }
            Mode::Off
        }
        Some("require" | "verify-ca" | "verify-full") => Mode::Verified {
            root_file: root_file.filter(|f| f != "system"),
        },
        Some(m @ ("prefer" | "allow")) => {
            return Err(invalid(format!(
                "sslmode={m} would fall back to an unencrypted connection without telling \
                 anyone; use sslmode=disable on a trusted network, or sslmode=verify-full"
            )))
        }
        Some(other) => {
            return Err(invalid(format!(
                "sslmode={} is not known: use {VALID_MODES}",
                shown(other)
            )))
        }
    };
    Ok((url, mode))
}

/// Without the feature: plain TCP, or a refusal that says how to get TLS.
#[cfg(not(feature = "postgres-tls"))]
pub(crate) fn connector(mode: &Mode) -> Result<Tls> {
    match mode {
        Mode::Off => Ok(Tls::Off),
        Mode::Verified { .. } => Err(invalid(
            "this build connects to PostgreSQL without TLS (the default image leaves TLS out to \
             stay under its 4 MB size budget): build with `cargo build --release --features \
             postgres-tls`, or use sslmode=disable on a trusted network (loopback, private \
             network, service mesh)",
        )),
    }
}

/// The connector for a mode: reads the root certificates now, so a bad file fails at start-up.
#[cfg(feature = "postgres-tls")]
pub(crate) fn connector(mode: &Mode) -> Result<Tls> {
    use rustls::{ClientConfig, RootCertStore};
    use std::sync::Arc;

    let Mode::Verified { root_file } = mode else {
        return Ok(Tls::Off);
    };
    let mut roots = RootCertStore::empty();
    match root_file {
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        Some(file) => {
            for cert in read_pem(std::path::Path::new(file))? {
                roots.add(cert).map_err(|e| {
                    invalid(format!(
                        "sslrootcert {file}: a certificate is not usable: {e}"
                    ))
                })?;
            }
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::backend(format!("TLS set-up failed: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Tls::Verified(
        tokio_postgres_rustls::MakeRustlsConnect::new(config),
    ))
}

#[cfg(feature = "postgres-tls")]
fn read_pem(path: &std::path::Path) -> Result<Vec<rustls::pki_types::CertificateDer<'static>>> {
    use rustls::pki_types::{pem::PemObject, CertificateDer};

    let shown = path.display();
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| invalid(format!("sslrootcert {shown}: cannot read it: {e}")))?
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| {
            invalid(format!(
                "sslrootcert {shown}: not a PEM certificate file: {e}"
            ))
        })?;
    if certs.is_empty() {
        return Err(invalid(format!(
            "sslrootcert {shown}: holds no certificate (expected PEM `BEGIN CERTIFICATE` blocks)"
        )));
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(e: StoreError) -> String {
        e.to_string()
    }

    #[test]
    fn no_sslmode_and_disable_mean_plain_tcp() {
        let (url, mode) = split("postgres://u:p@db:5432/csf").unwrap();
        assert_eq!(
            (url.as_str(), mode),
            ("postgres://u:p@db:5432/csf", Mode::Off)
        );
        let (url, mode) =
            split("postgres://u:p@db/csf?application_name=x&sslmode=disable").unwrap();
        assert_eq!(
            (url.as_str(), mode),
            ("postgres://u:p@db/csf?application_name=x", Mode::Off)
        );
    }

    #[test]
    fn tls_modes_verify_and_keep_other_parameters() {
        let (url, mode) = split(
            "postgres://u:p@db/csf?connect_timeout=5&sslmode=verify-full&sslrootcert=%2Fetc%2Fca%20x.pem",
        )
        .unwrap();
        assert_eq!(url, "postgres://u:p@db/csf?connect_timeout=5");
        assert_eq!(
            mode,
            Mode::Verified {
                root_file: Some("/etc/ca x.pem".into())
            }
        );
        for m in ["require", "verify-ca", "verify-full"] {
            let (_, mode) = split(&format!("postgres://db/csf?sslmode={m}")).unwrap();
            assert_eq!(mode, Mode::Verified { root_file: None }, "{m}");
        }
        let (_, mode) = split("postgres://db/csf?sslmode=require&sslrootcert=system").unwrap();
        assert_eq!(mode, Mode::Verified { root_file: None });
    }

    #[test]
    fn parameters_are_found_where_the_driver_finds_them() {
        // A `?` or `/` in the password is not the start of the parameters.
        let (url, mode) = split("postgres://u:pa?ss/w@db/csf?sslmode=verify-full").unwrap();
        assert_eq!(url, "postgres://u:pa?ss/w@db/csf");
        assert_eq!(mode, Mode::Verified { root_file: None });
        let (url, mode) = split("postgres://u:pa?sslmode=disable@db/csf").unwrap();
        assert_eq!(
            (url.as_str(), mode),
            ("postgres://u:pa?sslmode=disable@db/csf", Mode::Off)
        );
        // Percent-encoded names are decoded, as the driver does.
        let (url, mode) = split("postgres://u:p@db/csf?ssl%6Dode=require").unwrap();
        assert_eq!(url, "postgres://u:p@db/csf");
        assert_eq!(mode, Mode::Verified { root_file: None });
        // Parameters straight after the host, and no path or no parameters at all.
        let (_, mode) = split("postgres://db:5432?sslmode=require").unwrap();
        assert_eq!(mode, Mode::Verified { root_file: None });
        assert_eq!(split("postgres://db").unwrap().1, Mode::Off);
        // Long values are not echoed whole.
        let e =
            reason(split(&format!("postgres://db/csf?sslmode={}", "x".repeat(200))).unwrap_err());
        assert!(e.len() < 200, "{e}");
    }

    #[test]
    fn silent_fallbacks_unknown_modes_and_client_certificates_are_refused() {
        for m in ["prefer", "allow"] {
            let e = reason(split(&format!("postgres://db/csf?sslmode={m}")).unwrap_err());
            assert!(
                e.contains("unencrypted") && e.contains("verify-full"),
                "{e}"
            );
        }
        let e = reason(split("postgres://db/csf?sslmode=strict").unwrap_err());
        assert!(e.contains(VALID_MODES), "{e}");
        let e = reason(split("postgres://db/csf?sslcert=/c.pem&sslmode=require").unwrap_err());
        assert!(e.contains("sslcert is not supported"), "{e}");
        let e = reason(split("postgres://db/csf?sslrootcert=/ca.pem").unwrap_err());
        assert!(e.contains("sslmode=verify-full"), "{e}");
        let e = reason(split("postgres://db/csf?sslmode=%FF").unwrap_err());
        assert!(e.contains("UTF-8"), "{e}");
    }

    #[cfg(not(feature = "postgres-tls"))]
    #[test]
    fn without_the_feature_tls_urls_are_refused_with_the_way_to_get_tls() {
        let e = reason(
            connector(&Mode::Verified { root_file: None })
                .err()
                .unwrap(),
        );
        assert!(e.contains("--features postgres-tls"), "{e}");
        assert!(matches!(connector(&Mode::Off), Ok(Tls::Off)));
    }

    #[cfg(feature = "postgres-tls")]
    #[test]
    fn root_files_are_read_at_start_up_with_the_path_named() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem");
        let mode = Mode::Verified {
            root_file: Some(missing.display().to_string()),
        };
        let e = reason(connector(&mode).err().unwrap());
        assert!(
            e.contains("missing.pem") && e.contains("cannot read"),
            "{e}"
        );

        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let mode = Mode::Verified {
            root_file: Some(empty.display().to_string()),
        };
        let e = reason(connector(&mode).err().unwrap());
        assert!(e.contains("holds no certificate"), "{e}");

        // The bundled roots need no file.
        assert!(matches!(
            connector(&Mode::Verified { root_file: None }),
            Ok(Tls::Verified(_))
        ));
        assert!(matches!(connector(&Mode::Off), Ok(Tls::Off)));
    }
}
