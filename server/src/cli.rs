//! Command line: validated raw options (clap), turned into running services by `serve`.

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "nist-csf-mcp",
    about = "MCP server for the NIST Cybersecurity Framework 2.0"
)]
pub struct Cli {
    #[command(flatten)]
    pub log: LogArgs,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

// Parsed once per process: boxing the large `serve` variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve MCP over stdio (the default when no command is given), or over Streamable HTTP
    /// with --http.
    Serve(ServeArgs),
    /// Probe a running HTTP server's /healthz (for container HEALTHCHECKs: no shell needed).
    /// Exit status 0 when healthy.
    Healthcheck {
        /// HOST:PORT or http://HOST:PORT[/path] (default: CSF_HTTP_ADDR or 127.0.0.1:8080).
        #[arg(env = "CSF_HTTP_ADDR", default_value = csf_transport::config::DEFAULT_HTTP_ADDR)]
        target: String,
    },
    /// Print the SHA-256 of an API key read from stdin, for --api-key NAME:SCOPES:SHA256.
    HashKey,
    /// Print the tool list (name, title, class) as a Markdown table or JSON.
    Tools {
        #[arg(long, value_enum, default_value_t = ToolsFormat::Markdown)]
        format: ToolsFormat,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub transport: csf_transport::HttpArgs,
    #[command(flatten)]
    pub console: ConsoleArgs,
}

/// The web console served under /ui/ with --http.
#[derive(Debug, Args)]
pub struct ConsoleArgs {
    /// Do not serve the web console (/ui/); /mcp and the probes are unchanged.
    #[arg(long, env = "CSF_NO_CONSOLE")]
    pub no_console: bool,
    /// Mark the console's session cookie Secure (set this when browsers reach the server over
    /// TLS, e.g. through a proxy; a request with X-Forwarded-Proto: https gets it anyway).
    #[arg(long, env = "CSF_CONSOLE_SECURE_COOKIE")]
    pub console_secure_cookie: bool,
    /// Minutes without a request after which a console session ends.
    #[arg(long, env = "CSF_CONSOLE_IDLE_MINUTES", value_name = "MIN", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=1440))]
    pub console_idle_minutes: u64,
    /// Hours after sign-in after which a console session ends however active.
    #[arg(long, env = "CSF_CONSOLE_MAX_HOURS", value_name = "H", default_value_t = 12,
          value_parser = clap::value_parser!(u64).range(1..=168))]
    pub console_max_hours: u64,
}

impl ConsoleArgs {
    /// The console's options, or `None` when it is turned off.
    pub fn options(&self) -> Option<crate::console::ConsoleOptions> {
        (!self.no_console).then(|| crate::console::ConsoleOptions {
            secure_cookies: self.console_secure_cookie,
            lifetimes: crate::console::Lifetimes {
                idle: std::time::Duration::from_secs(self.console_idle_minutes * 60),
                absolute: std::time::Duration::from_secs(self.console_max_hours * 3600),
            },
        })
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ToolsFormat {
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// `--log-level` when neither it nor CSF_LOG is given.
const DEFAULT_LOG_LEVEL: &str = "warn,rmcp=error";

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Log filter (tracing EnvFilter syntax: error, warn, info, debug, or per module). Logs go
    /// to stderr only: stdout carries the protocol.
    #[arg(
        long,
        env = "CSF_LOG",
        default_value = DEFAULT_LOG_LEVEL,
        global = true
    )]
    pub log_level: String,
    /// Log line format.
    #[arg(long, env = "CSF_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

#[derive(Debug, Args)]
pub struct StoreArgs {
    /// Where assessments are kept: a SQLite file path (default
    /// $XDG_DATA_HOME/nist-csf-mcp/csf.db), `:memory:`, or a postgres:// URL for several
    /// replicas sharing state. Opened on first use; migrations run automatically.
    #[arg(long, env = "CSF_DB", global = true)]
    pub db: Option<String>,
    /// Name recorded as author of changes made over stdio (default local:$USER).
    #[arg(long, env = "CSF_PRINCIPAL", global = true)]
    pub principal: Option<String>,
}

impl StoreArgs {
    /// The database target: `--db`, else the per-user default path.
    pub fn target(&self) -> Option<String> {
        self.db
            .clone()
            .or_else(|| csf_store::default_db_path().map(|p| p.to_string_lossy().into_owned()))
    }

    pub fn local_principal(&self) -> String {
        self.principal.clone().unwrap_or_else(|| {
            format!(
                "local:{}",
                std::env::var("USER").unwrap_or_else(|_| "user".into())
            )
        })
    }
}

/// `--version` text: the binary's version and the catalog it was built from.
pub fn version_text() -> String {
    let m = csf_catalog::meta();
    format!(
        "{}\ncatalog: {} (version {}, OSCAL {}, published {})\ncatalog sha256: {}",
        env!("CARGO_PKG_VERSION"),
        m.title,
        m.version,
        m.oscal_version,
        m.published,
        m.sha256
    )
}

/// Parses the process arguments (exits with clap's message and code on bad usage).
pub fn parse() -> Cli {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(cli) = plain_serve(&args, std::env::vars_os().map(|(name, _)| name)) {
        return cli;
    }
    let version: &'static str = Box::leak(version_text().into_boxed_str());
    // No arguments at all can only mean `serve`: say so before parsing rather than after, so
    // a start without arguments builds and runs the parser once, not twice.
    if args.len() == 1 {
        args.push("serve".into());
        return parse_from(version, &args);
    }
    let cli = parse_from(version, &args);
    if cli.command.is_some() {
        return cli;
    }
    // No command means `serve`: parse again so serve's flags and CSF_* variables apply.
    args.push("serve".into());
    parse_from(version, &args)
}

/// The usual stdio start, `nist-csf-mcp serve` (or no arguments) with no `CSF_*` variable set,
/// answered without clap: building its parser (some thirty `serve` flags, each with a
/// variable, a default and help text) was most of the start-up instructions and of the code
/// pages a start touches. The answer is clap's own for that command line (a test parses it
/// with clap and compares); anything else, including any `CSF_*` variable, goes to clap.
fn plain_serve(
    args: &[std::ffi::OsString],
    mut variables: impl Iterator<Item = std::ffi::OsString>,
) -> Option<Cli> {
    let plain = match args {
        [_] => true,
        [_, command] => command == "serve",
        _ => false,
    };
    if !plain || variables.any(|name| name.as_encoded_bytes().starts_with(ENV_PREFIX.as_bytes())) {
        return None;
    }
    Some(Cli {
        log: LogArgs {
            log_level: DEFAULT_LOG_LEVEL.to_owned(),
            log_format: LogFormat::Text,
        },
        store: StoreArgs {
            db: None,
            principal: None,
        },
        command: Some(Command::Serve(ServeArgs {
            transport: csf_transport::HttpArgs::unset(),
            console: ConsoleArgs {
                no_console: false,
                console_secure_cookie: false,
                console_idle_minutes: 30,
                console_max_hours: 12,
            },
        })),
    })
}

/// Every variable the command line reads starts with this (a test checks).
const ENV_PREFIX: &str = "CSF_";

fn parse_from(version: &'static str, args: &[std::ffi::OsString]) -> Cli {
    let mut matches = Cli::command().version(version).get_matches_from(args);
    // The `_mut` form takes the values out of the matches; the other one clones them all first.
    match Cli::from_arg_matches_mut(&mut matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use clap::{Arg, CommandFactory, FromArgMatches};

    use super::{plain_serve, Cli, ENV_PREFIX};

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    /// clap's answer for `args` with every variable taken off the flags (so the test's own
    /// environment cannot change it).
    fn clap_without_variables(args: &[&str]) -> Cli {
        let strip = |a: Arg| a.env(None::<&'static str>);
        let mut matches = Cli::command()
            .mut_args(strip)
            .mut_subcommands(|s| s.mut_args(strip))
            .try_get_matches_from(args)
            .unwrap();
        Cli::from_arg_matches_mut(&mut matches).unwrap()
    }

    #[test]
    fn a_plain_serve_is_what_clap_parses() {
        let clap = format!("{:?}", clap_without_variables(&["nist-csf-mcp", "serve"]));
        for args in [&["nist-csf-mcp", "serve"][..], &["nist-csf-mcp"][..]] {
            let plain = plain_serve(&os(args), std::iter::empty()).unwrap();
            assert_eq!(format!("{plain:?}"), clap, "{args:?}");
        }
    }

    #[test]
    fn anything_else_goes_to_clap() {
        let none = || std::iter::empty::<OsString>();
        for args in [
            &["nist-csf-mcp", "serve", "--http"][..],
            &["nist-csf-mcp", "--db", "x.db", "serve"][..],
            &["nist-csf-mcp", "--version"][..],
            &["nist-csf-mcp", "tools"][..],
            &["nist-csf-mcp", "serv"][..],
        ] {
            assert!(plain_serve(&os(args), none()).is_none(), "{args:?}");
        }
        let variables = os(&["HOME", "CSF_DB"]).into_iter();
        assert!(plain_serve(&os(&["nist-csf-mcp", "serve"]), variables).is_none());
    }

    #[test]
    fn every_variable_read_has_the_prefix_the_plain_start_checks() {
        let cli = Cli::command();
        let commands = std::iter::once(&cli).chain(cli.get_subcommands());
        let names: Vec<String> = commands
            .flat_map(|c| c.get_arguments())
            .filter_map(|a| a.get_env())
            .map(|name| name.to_string_lossy().into_owned())
            .collect();
        assert!(names.len() > 30, "{names:?}");
        for name in names {
            assert!(name.starts_with(ENV_PREFIX), "{name}");
        }
    }
}
