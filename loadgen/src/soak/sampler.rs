//! Samples a server's memory once a second on its own thread, and the machine's load
//! average with it (a shared VM's noise is part of the conditions).

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    thread::JoinHandle,
    time::{Duration, Instant},
};

use crate::procfs;

use super::analysis::Sample;

/// A running sampler; `finish` stops it and returns what it saw.
pub struct Sampler {
    stop: Arc<AtomicBool>,
    handle: JoinHandle<(Vec<Sample>, f64)>,
}

/// The 1-minute load average now.
pub fn loadavg1() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

impl Sampler {
    /// Samples `pid` every `every`, with times relative to `t0`.
    pub fn start(pid: u32, t0: Instant, every: Duration) -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let mut samples = Vec::new();
            let mut max_load: f64 = 0.0;
            let mut next = Instant::now();
            while !flag.load(Ordering::Relaxed) {
                let Some(rss) = procfs::rss(pid) else {
                    break; // the process is gone
                };
                let roll = procfs::rollup(pid);
                samples.push(Sample {
                    t_s: t0.elapsed().as_secs_f64(),
                    rss_kb: rss.rss_kb,
                    hwm_kb: rss.hwm_kb,
                    anon_kb: rss.anon_kb,
                    pss_kb: roll.map(|r| r.pss_kb),
                    pss_anon_kb: roll.and_then(|r| r.pss_anon_kb),
                });
                max_load = max_load.max(loadavg1().unwrap_or(0.0));
                next += every;
                // Sleep in short steps so `finish` does not wait a whole period.
                while Instant::now() < next && !flag.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(20).min(every));
                }
            }
            (samples, max_load)
        });
        Sampler { stop, handle }
    }

    /// Stops sampling; returns the samples and the highest 1-minute load average seen.
    pub fn finish(self) -> (Vec<Sample>, f64) {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.join().unwrap_or_default()
    }
}
