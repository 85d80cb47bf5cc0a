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

/// Minor and major page faults of a process so far (`/proc/PID/stat` fields 10 and 12).
pub fn faults(pid: u32) -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    parse_faults(&stat)
}

fn parse_faults(stat: &str) -> Option<(u64, u64)> {
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    let rest = stat.get(stat.rfind(')')? + 1..)?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // rest starts at field 3 (state): minflt is field 10, majflt field 12.
    Some((fields.get(7)?.parse().ok()?, fields.get(9)?.parse().ok()?))
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
    fn parses_fault_counts_after_the_command_name() {
        let stat = "4242 (a (b) c) S 1 4242 4242 0 -1 4194304 417 0 3 0 1 0 0 0 20 0 1 0";
        assert_eq!(parse_faults(stat), Some((417, 3)));
        assert_eq!(parse_faults("4242 (x) S 1"), None);
    }

    #[test]
    fn reads_own_process() {
        let r = rss(std::process::id()).unwrap();
        assert!(r.rss_kb > 0 && r.hwm_kb >= r.rss_kb);
    }
}
