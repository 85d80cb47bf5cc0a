//! A target's figures as they are measured: exact ones, and ones from samples with their 95%
//! bootstrap interval and replicates.

use std::collections::BTreeMap;

use crate::{
    record::Replicates,
    stats::{self, Statistic},
};

pub(super) struct Figures<'a> {
    target: &'a str,
    pub(super) metrics: BTreeMap<String, f64>,
    pub(super) intervals: BTreeMap<String, [f64; 2]>,
    pub(super) replicates: Replicates,
}

impl<'a> Figures<'a> {
    pub(super) fn new(target: &'a str) -> Self {
        Self {
            target,
            metrics: BTreeMap::new(),
            intervals: BTreeMap::new(),
            replicates: Replicates::new(),
        }
    }

    pub(super) fn exact(&mut self, name: &str, v: f64) {
        self.metrics.insert(name.into(), v);
    }

    /// `stat` of `samples`, with its interval.
    pub(super) fn sampled(&mut self, name: &str, samples: &[f64], stat: Statistic) {
        if let Some(v) = stat.point(samples) {
            self.with_samples(name, v, samples, stat);
        }
    }

    /// A figure `v` computed otherwise, whose interval comes from `stat` over `samples`.
    pub(super) fn with_samples(&mut self, name: &str, v: f64, samples: &[f64], stat: Statistic) {
        self.metrics.insert(name.into(), v);
        let reps = stats::bootstrap(samples, stat, stream(self.target, name));
        if let Some(ci) = stats::interval(&reps) {
            self.intervals.insert(name.into(), ci);
            self.replicates.insert(name.into(), reps);
        }
    }

    pub(super) fn latencies(&mut self, l: &stats::Latencies) {
        let s = l.summary();
        let samples = l.samples_us();
        self.with_samples(
            "latency_p50_us",
            s.p50_us,
            samples,
            Statistic::Quantile(0.5),
        );
        self.with_samples(
            "latency_p99_us",
            s.p99_us,
            samples,
            Statistic::Quantile(0.99),
        );
        self.exact("latency_p90_us", s.p90_us);
        self.exact("latency_max_us", s.max_us);
        self.exact("latency_mean_us", s.mean_us);
    }

    pub(super) fn throughput(&mut self, rps: f64, l: &stats::Latencies) {
        let windows = l.window_rates(THROUGHPUT_WINDOWS);
        self.with_samples("throughput_rps", rps, &windows, Statistic::ScaledMean(1.0));
    }
}

/// Windows a run is cut into for the throughput interval.
const THROUGHPUT_WINDOWS: usize = 20;

/// A bootstrap stream per (target, figure), so no two figures share resamples.
fn stream(target: &str, metric: &str) -> u64 {
    // FNV-1a: stable across runs and platforms.
    target
        .bytes()
        .chain([0])
        .chain(metric.bytes())
        .fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
}

pub(super) fn as_f64(xs: &[u64]) -> Vec<f64> {
    xs.iter().map(|&x| x as f64).collect()
}
