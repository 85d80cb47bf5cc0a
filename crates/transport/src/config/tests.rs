use super::*;
use clap::Parser;
use std::time::Duration;

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    http: HttpArgs,
}

fn parse(args: &[&str]) -> Result<Option<HttpConfig>, ConfigError> {
    let mut argv = vec!["test"];
    argv.extend_from_slice(args);
    Cli::try_parse_from(argv)
        .expect("flags parse")
        .http
        .to_config()
}

#[test]
fn no_http_flag_means_stdio() {
    assert!(parse(&[]).unwrap().is_none());
}

#[test]
fn bare_http_flag_uses_the_loopback_default() {
    let config = parse(&["--http"]).unwrap().unwrap();
    assert_eq!(config.bind.to_string(), DEFAULT_HTTP_ADDR);
    assert!(!config.sessions);
}

#[test]
fn refuses_unauthenticated_public_bind() {
    let err = parse(&["--http", "0.0.0.0:8080"]).unwrap_err();
    assert!(matches!(err, ConfigError::Insecure(_)), "{err}");
}

#[test]
fn refuses_any_host_or_origin_without_auth() {
    for flags in [
        ["--allowed-hosts", "*"],
        ["--allowed-hosts", "localhost,*"],
        ["--allowed-origins", "*"],
    ] {
        let mut args = vec!["--http"];
        args.extend(flags);
        let err = parse(&args).unwrap_err();
        assert!(matches!(err, ConfigError::Insecure(_)), "{flags:?}: {err}");
        assert!(err.to_string().contains("'*'"), "{err}");
    }
    // With credentials a wildcard is the operator's choice (e.g. behind a proxy).
    let key = format!("ci:read:{}", crate::auth::api_key::hash_key("k"));
    let args = ["--http", "--allowed-hosts", "*", "--auth", "api-key"];
    let mut args = args.to_vec();
    args.extend(["--api-key", &key]);
    assert!(parse(&args).is_ok());
}

#[test]
fn shares_default_to_a_quarter_of_each_cap() {
    let defaults = [
        "--max-sessions",
        "20",
        "--max-concurrent",
        "8",
        "--max-connections",
        "4",
    ];
    let explicit = [
        "--max-sessions-per-principal",
        "7",
        "--max-concurrent-per-principal",
        "3",
        "--max-connections-per-client",
        "0",
    ];
    for (flags, expected) in [(defaults, (5, 2, None)), (explicit, (7, 3, Some(0)))] {
        let mut args = vec!["--http"];
        args.extend(flags);
        let config = parse(&args).unwrap().unwrap();
        let shares = (
            config.max_sessions_per_principal,
            config.max_concurrent_per_principal,
            config.connections.max_per_client,
        );
        assert_eq!(shares, expected, "{flags:?}");
    }
    assert!(parse(&["--http", "--max-sessions-per-principal", "0"]).is_err());
    assert_eq!(quarter(1), 1);
    assert_eq!(quarter(1024), 256);
}

#[test]
fn api_key_mode_needs_keys() {
    assert!(parse(&["--http", "0.0.0.0:8080", "--auth", "api-key"]).is_err());
    let key = format!("ci:read:{}", crate::auth::api_key::hash_key("k"));
    let config = parse(&[
        "--http",
        "0.0.0.0:8080",
        "--auth",
        "api-key",
        "--api-key",
        &key,
    ])
    .unwrap()
    .unwrap();
    assert!(matches!(config.auth, AuthConfig::ApiKeys(ref keys) if keys.len() == 1));
}

#[test]
fn oauth_mode_needs_issuer_resource_and_keys() {
    let err = parse(&["--http", "--auth", "oauth", "--oauth-issuer", "https://as"]).unwrap_err();
    assert!(matches!(err, ConfigError::OAuth(_)), "{err}");
}

#[test]
fn rate_limit_and_limits_parse() {
    let config = parse(&[
        "--http",
        "--rate-limit",
        "120/m",
        "--max-body",
        "2048",
        "--timeout",
        "5",
    ])
    .unwrap()
    .unwrap();
    assert_eq!(config.max_body, 2048);
    assert_eq!(config.timeout, Duration::from_secs(5));
    assert!(config.rate_limit.is_some());
    assert!(parse(&["--http", "--rate-limit", "fast"]).is_err());
}
