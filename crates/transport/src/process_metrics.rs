//! Process gauges under the names every Prometheus client library uses (`process_resident_memory_bytes`
//! …), read from Linux's `/proc/self` when `/metrics` is scraped. They make a slow memory climb
//! (slow climbs seen in soak runs) visible on a dashboard without attaching a profiler.
//!
//! Nothing is registered where `/proc/self/status` cannot be read (not Linux): an absent metric
//! says "unknown", a zero would say something false.

use std::fs;

use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

/// The gauges, refreshed from `/proc/self` before each exposition.
#[derive(Debug)]
pub(crate) struct ProcessGauges {
    resident_bytes: Gauge,
    virtual_bytes: Gauge,
    threads: Gauge,
    open_fds: Gauge,
    max_fds: Gauge,
}

/// What `/proc/self/status` tells.
#[derive(Debug, Default, PartialEq, Eq)]
struct Status {
    resident_kib: Option<i64>,
    virtual_kib: Option<i64>,
    threads: Option<i64>,
}

impl ProcessGauges {
    /// Registers the gauges, or nothing when this system has no `/proc/self/status`.
    pub(crate) fn register(registry: &mut Registry) -> Option<ProcessGauges> {
        fs::metadata("/proc/self/status").ok()?;
        let gauges = ProcessGauges {
            resident_bytes: Gauge::default(),
            virtual_bytes: Gauge::default(),
            threads: Gauge::default(),
            open_fds: Gauge::default(),
            max_fds: Gauge::default(),
        };
        for (name, help, gauge) in [
            (
                "process_resident_memory_bytes",
                "Resident memory size in bytes",
                &gauges.resident_bytes,
            ),
            (
                "process_virtual_memory_bytes",
                "Virtual memory size in bytes",
                &gauges.virtual_bytes,
            ),
            (
                "process_threads",
                "OS threads in the process",
                &gauges.threads,
            ),
            (
                "process_open_fds",
                "Open file descriptors (client sockets among them)",
                &gauges.open_fds,
            ),
            (
                "process_max_fds",
                "Limit on open file descriptors",
                &gauges.max_fds,
            ),
        ] {
            registry.register(name, help, gauge.clone());
        }
        Some(gauges)
    }

    /// Reads `/proc/self` afresh. A value that cannot be read keeps its last reading.
    pub(crate) fn refresh(&self) {
        if let Ok(text) = fs::read_to_string("/proc/self/status") {
            let status = parse_status(&text);
            if let Some(kib) = status.resident_kib {
                self.resident_bytes.set(kib.saturating_mul(1024));
            }
            if let Some(kib) = status.virtual_kib {
                self.virtual_bytes.set(kib.saturating_mul(1024));
            }
            if let Some(n) = status.threads {
                self.threads.set(n);
            }
        }
        if let Ok(entries) = fs::read_dir("/proc/self/fd") {
            // The directory handle itself is one of the entries: leave it out.
            let open = entries.count().saturating_sub(1);
            self.open_fds.set(i64::try_from(open).unwrap_or(i64::MAX));
        }
        if let Some(max) = fs::read_to_string("/proc/self/limits")
            .ok()
            .and_then(|text| parse_max_open_files(&text))
        {
            self.max_fds.set(max);
        }
    }
}

/// `VmRSS`, `VmSize` (both in kB) and `Threads` from `/proc/self/status`.
fn parse_status(text: &str) -> Status {
    let mut status = Status::default();
    for line in text.lines() {
        let Some((key, rest)) = line.split_once(':') else {
            continue;
        };
        let value = rest.split_whitespace().next().and_then(|v| v.parse().ok());
        match key {
            "VmRSS" => status.resident_kib = value,
            "VmSize" => status.virtual_kib = value,
            "Threads" => status.threads = value,
            _ => {}
        }
    }
    status
}

/// The soft limit on the "Max open files" line of `/proc/self/limits` (`None` if unlimited).
fn parse_max_open_files(text: &str) -> Option<i64> {
    let line = text.lines().find(|l| l.starts_with("Max open files"))?;
    line.trim_start_matches("Max open files")
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_status_fields_it_needs() {
        let text = "Name:\tnist-csf-mcp\nVmPeak:\t  9000 kB\nVmSize:\t    3900 kB\n\
                    VmRSS:\t    2188 kB\nThreads:\t7\nnonsense line\n";
        assert_eq!(
            parse_status(text),
            Status {
                resident_kib: Some(2188),
                virtual_kib: Some(3900),
                threads: Some(7),
            }
        );
        assert_eq!(parse_status("VmRSS: lots kB\n"), Status::default());
    }

    #[test]
    fn reads_the_soft_open_files_limit() {
        let text = "Limit                     Soft Limit           Hard Limit           Units     \n\
                    Max cpu time              unlimited            unlimited            seconds   \n\
                    Max open files            1024                 524288               files     \n";
        assert_eq!(parse_max_open_files(text), Some(1024));
        let unlimited =
            "Max open files            unlimited            unlimited            files\n";
        assert_eq!(parse_max_open_files(unlimited), None);
        assert_eq!(parse_max_open_files("Max processes 10 10\n"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn this_process_reports_memory_threads_and_files() {
        let mut registry = Registry::default();
        let gauges = ProcessGauges::register(&mut registry).expect("Linux has /proc/self/status");
        gauges.refresh();
        assert!(
            gauges.resident_bytes.get() > 1024 * 1024,
            "a test binary has over 1 MiB resident"
        );
        assert!(gauges.virtual_bytes.get() >= gauges.resident_bytes.get());
        assert!(gauges.threads.get() >= 1);
        // Other tests open and close files at the same time: only a lower bound is certain.
        let files: Vec<fs::File> = (0..20)
            .map(|_| fs::File::open("/proc/self/status").unwrap())
            .collect();
        gauges.refresh();
        assert!(gauges.open_fds.get() >= 20, "{}", gauges.open_fds.get());
        assert!(gauges.max_fds.get() >= gauges.open_fds.get());
        drop(files);
    }
}
