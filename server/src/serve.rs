//! Entry points that turn a parsed command line into a running server.

use std::sync::Arc;

use anyhow::Context as _;
use rmcp::ServiceExt;

use crate::cli::{Cli, Command, LogArgs, LogFormat, StoreArgs, ToolsFormat};
use crate::context::Context;
use crate::mcp::{toolset, CsfServer};

/// Shortest API key `hash-key` accepts (20 base64 characters carry 120 bits).
const MIN_API_KEY_CHARS: usize = 20;

fn init_logging(args: &LogArgs) -> anyhow::Result<()> {
    // `Targets` parses "warn,rmcp=error"-style directives without the regex engine EnvFilter
    // links in (a sizeable part of a static binary that must fit a 4 MB image).
    let filter: tracing_subscriber::filter::Targets =
        args.log_level.parse().with_context(|| {
            format!(
                "invalid --log-level `{}`: use a level (error, warn, info, debug, trace) or \
             target=level pairs such as warn,rmcp=error",
                args.log_level
            )
        })?;
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    let registry = tracing_subscriber::registry().with(filter);
    // Every line is escaped as a whole: fields carry caller-chosen values (a tool error quoting
    // an argument), and a newline in one must not start a forged line.
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(csf_transport::logging::EscapedStderr)
        .with_ansi(false);
    match args.log_format {
        LogFormat::Text => registry.with(fmt).try_init(),
        LogFormat::Json => registry.with(fmt.json()).try_init(),
    }
    .map_err(|e| anyhow::anyhow!("cannot initialise logging: {e}"))
}

/// Runs the command line; `main` only maps the result to an exit code.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    init_logging(&cli.log)?;
    let Some(command) = cli.command else {
        anyhow::bail!("no command; see --help");
    };
    match command {
        Command::Serve(args) => {
            let ctx = context(&cli.store)?;
            match args
                .transport
                .to_config()
                .context("invalid HTTP settings")?
            {
                Some(config) => crate::serve_http::run(ctx, config, args.console.options()),
                None => serve_stdio(ctx, args.transport.max_concurrent),
            }
        }
        Command::Healthcheck { target } => {
            csf_transport::healthcheck::run(&target).context("unhealthy")?;
            Ok(())
        }
        Command::HashKey => {
            let mut key = String::new();
            std::io::stdin()
                .read_line(&mut key)
                .context("cannot read the key from stdin")?;
            let key = key.trim_end_matches(['\r', '\n']);
            // Keys are stored as plain SHA-256 hashes, which is only safe for random keys:
            // a short one could be guessed from its hash.
            anyhow::ensure!(
                key.chars().count() >= MIN_API_KEY_CHARS,
                "the key on stdin has {} characters: use a random key of at least \
                 {MIN_API_KEY_CHARS}, e.g. from `openssl rand -base64 32`",
                key.chars().count()
            );
            println!("{}", csf_transport::hash_key(key));
            Ok(())
        }
        Command::Tools { format } => {
            print_tools(format);
            Ok(())
        }
    }
}

fn context(args: &StoreArgs) -> anyhow::Result<Arc<Context>> {
    let db = args.target().context(
        "no database location: set --db PATH (or CSF_DB), or HOME / XDG_DATA_HOME for the default",
    )?;
    // The store opens on first use; a target that can never work stops the server now.
    csf_store::check_target(&db).context("--db / CSF_DB")?;
    Ok(Arc::new(Context::new(db, args.local_principal())))
}

fn serve_stdio(ctx: Arc<Context>, max_in_flight: usize) -> anyhow::Result<()> {
    // One client per process: a single-threaded runtime starts fastest and uses least memory.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async {
        let server = CsfServer::new(ctx);
        let running = server
            // Reading pauses while `max_in_flight` requests are unanswered, so a flood of
            // pipelined requests cannot grow memory without bound.
            .serve(csf_transport::stdio::stdio(max_in_flight))
            .await
            .context("MCP initialisation over stdio failed")?;
        running
            .waiting()
            .await
            .context("stdio session ended with an error")?;
        Ok(())
    })
}

fn print_tools(format: ToolsFormat) {
    match format {
        ToolsFormat::Markdown => print!("{}", toolset::markdown_table()),
        ToolsFormat::Json => {
            let tools: Vec<_> = toolset::all().iter().map(|t| t.descriptor()).collect();
            match serde_json::to_string_pretty(&tools) {
                Ok(s) => println!("{s}"),
                Err(e) => eprintln!("error: {e}"),
            }
        }
    }
}
