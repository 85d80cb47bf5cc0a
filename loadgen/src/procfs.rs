//! Resident memory of a server process, read from `/proc/PID/status` (Linux).

use serde::Serialize;

/// `VmRSS` (now) and `VmHWM` (peak since start) in KiB, and the part of `VmRSS` that is
/// anonymous memory (heap, stacks) vs file-backed (the binary's pages).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Rss {
    pub rss_kb: u64,
    pub hwm_kb: u64,
    pub anon_kb: Option<u64>,
    pub file_kb: Option<u64>,
}

/// Reads a process's memory; `None` if it has exited or /proc is unavailable.
pub fn rss(pid: u32) -> Option<Rss> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    parse_status(&status)
}

fn parse_status(status: &str) -> Option<Rss> {
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse::<u64>().ok())
    };
    Some(Rss {
        rss_kb: field("VmRSS:")?,
        hwm_kb: field("VmHWM:")?,
        anon_kb: field("RssAnon:"),
        file_kb: field("RssFile:"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_status_fields() {
        let s = "Name:\tx\nVmHWM:\t    2048 kB\nVmRSS:\t    1536 kB\nRssAnon:\t  512 kB\nRssFile:\t 1024 kB\n";
        let r = parse_status(s).unwrap();
        assert_eq!((r.rss_kb, r.hwm_kb), (1536, 2048));
        assert_eq!((r.anon_kb, r.file_kb), (Some(512), Some(1024)));
        assert!(parse_status("Name:\tx\n").is_none());
    }

    #[test]
    fn reads_own_process() {
        let r = rss(std::process::id()).unwrap();
        assert!(r.rss_kb > 0 && r.hwm_kb >= r.rss_kb);
    }
}
