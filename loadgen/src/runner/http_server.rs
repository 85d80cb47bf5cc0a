//! An HTTP server process started for one target on a free loopback port, and stopped after it.

use std::{
    net::{SocketAddr, TcpListener, TcpStream},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{bail, Context as _};

/// A loopback address with a port that was free a moment ago.
pub(crate) fn free_addr() -> anyhow::Result<SocketAddr> {
    let l = TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?)
}

/// An HTTP server process started for one target and stopped after it.
pub(crate) struct HttpServer {
    child: Child,
}

impl HttpServer {
    pub(crate) fn start(argv: &[String], addr: SocketAddr) -> anyhow::Result<Self> {
        let (prog, args) = argv.split_first().context("empty command")?;
        let child = Command::new(prog)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("spawn {}", argv.join(" ")))?;
        let mut server = Self { child };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect_timeout(&addr, Duration::from_millis(100)).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                bail!(
                    "{} exited with {status} before listening on {addr}",
                    argv.join(" ")
                );
            }
            if Instant::now() > deadline {
                server.stop();
                bail!("{} did not listen on {addr} within 10 s", argv.join(" "));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        // Let the first accept settle so idle RSS is read from a quiet server.
        std::thread::sleep(Duration::from_millis(100));
        Ok(server)
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    pub(crate) fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.stop();
    }
}
