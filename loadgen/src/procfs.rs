//! Resident memory of a server process, read from `/proc/PID/status` and
//! `/proc/PID/smaps_rollup` (Linux).

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

/// Proportional and anonymous memory from `/proc/PID/smaps_rollup`, in KiB. PSS charges
/// shared pages (the binary's text) pro rata, so it is the fairest "what this process costs".
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Rollup {
    pub pss_kb: u64,
    pub pss_anon_kb: Option<u64>,
    pub anonymous_kb: Option<u64>,
}

/// Reads `smaps_rollup`; `None` if the process has exited or the kernel lacks it (< 4.14).
pub fn rollup(pid: u32) -> Option<Rollup> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    parse_rollup(&text)
}

fn kb_field(text: &str, name: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<u64>().ok())
}

fn parse_rollup(text: &str) -> Option<Rollup> {
    Some(Rollup {
        pss_kb: kb_field(text, "Pss:")?,
        pss_anon_kb: kb_field(text, "Pss_Anon:"),
        anonymous_kb: kb_field(text, "Anonymous:"),
    })
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
    fn parses_smaps_rollup_fields() {
        let s = "55d0-7ffd ---p 00000000 00:00 0 [rollup]\nRss:     4096 kB\nPss:     3000 kB\nPss_Anon:   1200 kB\nPss_File:   1800 kB\nAnonymous:   1300 kB\n";
        let r = parse_rollup(s).unwrap();
        assert_eq!(
            (r.pss_kb, r.pss_anon_kb, r.anonymous_kb),
            (3000, Some(1200), Some(1300))
        );
        assert!(parse_rollup("Rss: 1 kB\n").is_none());
    }

    #[test]
    fn reads_own_process() {
        let r = rss(std::process::id()).unwrap();
        assert!(r.rss_kb > 0 && r.hwm_kb >= r.rss_kb);
    }
}
