//! Entry points that turn a parsed command line into a running server.

use std::sync::Arc;

use anyhow::Context as _;
use rmcp::ServiceExt;

use crate::cli::{Cli, Command, LogArgs, LogFormat, StoreArgs, ToolsFormat};
use crate::context::Context;
use crate::mcp::{registry, CsfServer};

fn init_logging(args: &LogArgs) -> anyhow::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_new(&args.log_level)
        .with_context(|| format!("invalid --log-level `{}`", args.log_level))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false);
    match args.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
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
                Some(config) => crate::serve_http::run(ctx, config),
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
            anyhow::ensure!(!key.is_empty(), "empty key on stdin");
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
        ToolsFormat::Markdown => print!("{}", registry::markdown_table()),
        ToolsFormat::Json => {
            let tools: Vec<_> = registry::all().iter().map(|t| t.descriptor()).collect();
            match serde_json::to_string_pretty(&tools) {
                Ok(s) => println!("{s}"),
                Err(e) => eprintln!("error: {e}"),
            }
        }
    }
}
