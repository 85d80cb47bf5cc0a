//! [`HttpArgs`] as clap builds it when no flag and no `CSF_*` variable is given: what a binary
//! can use without running the parser when its command line is empty (a stdio start), where
//! building the parser costs more than the rest of the start together.

use super::{
    AuthMode, HttpArgs, DEFAULT_HEADER_TIMEOUT_SECS, DEFAULT_JWKS_MAX_STALE_SECS,
    DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_SESSIONS,
};

impl HttpArgs {
    /// The values of the `#[arg(default_value…)]` attributes (and none where there is none).
    /// Kept equal to them by the test below, which parses an empty command line with clap.
    pub fn unset() -> HttpArgs {
        HttpArgs {
            http: None,
            auth: AuthMode::None,
            api_keys: Vec::new(),
            oauth_issuer: None,
            oauth_resource: None,
            oauth_audience: None,
            oauth_jwks_file: None,
            oauth_jwks_refresh: 300,
            oauth_jwks_max_stale: DEFAULT_JWKS_MAX_STALE_SECS,
            oauth_scope_prefix: "csf:".to_owned(),
            allowed_hosts: Vec::new(),
            allowed_origins: Vec::new(),
            max_body: 1024 * 1024,
            timeout: 30,
            max_concurrent: 128,
            max_concurrent_per_principal: None,
            rate_limit: "0".to_owned(),
            sessions: false,
            shutdown_grace: 10,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            max_connections_per_client: None,
            header_timeout: DEFAULT_HEADER_TIMEOUT_SECS,
            max_sessions: DEFAULT_MAX_SESSIONS,
            max_sessions_per_principal: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, FromArgMatches, Parser};

    use super::HttpArgs;

    #[derive(Parser, Debug)]
    struct Flags {
        #[command(flatten)]
        http: HttpArgs,
    }

    #[test]
    fn unset_is_what_clap_parses_from_an_empty_command_line() {
        // The variables are taken off the arguments, so the process environment cannot matter.
        let matches = Flags::command()
            .mut_args(|a| a.env(None::<&'static str>))
            .try_get_matches_from(["test"])
            .unwrap();
        let parsed = Flags::from_arg_matches(&matches).unwrap();
        assert_eq!(
            format!("{:?}", parsed.http),
            format!("{:?}", HttpArgs::unset())
        );
    }
}
