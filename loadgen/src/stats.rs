//! Latency histograms (HDR, nanosecond resolution, 3 significant digits) and their summaries.

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use serde::Serialize;

/// Latencies of one run, merged across threads: a histogram for the percentiles, and every
/// sample with its completion time for bootstrap intervals and per-window throughput.
pub struct Latencies {
    hist: Histogram<u64>,
    samples_us: Vec<f64>,
    done: Vec<Instant>,
}

impl Latencies {
    pub fn new() -> anyhow::Result<Self> {
        // 1 ns .. 10 min at 3 significant digits; auto-resize keeps outliers instead of dropping them.
        let mut hist = Histogram::new_with_bounds(1, 600_000_000_000, 3)?;
        hist.auto(true);
        Ok(Self {
            hist,
            samples_us: Vec::new(),
            done: Vec::new(),
        })
    }

    /// Records one request that took `d` and completed at `done`.
    pub fn record(&mut self, d: Duration, done: Instant) {
        let ns = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX).max(1);
        // With auto-resize on, recording cannot fail.
        let _ = self.hist.record(ns);
        self.samples_us.push(ns as f64 / 1_000.0);
        self.done.push(done);
    }

    pub fn merge(&mut self, other: &Latencies) {
        let _ = self.hist.add(&other.hist);
        self.samples_us.extend_from_slice(&other.samples_us);
        self.done.extend_from_slice(&other.done);
    }

    /// Every latency, in microseconds.
    pub fn samples_us(&self) -> &[f64] {
        &self.samples_us
    }

    /// Completions per second in `n` equal windows from the first to the last completion:
    /// the samples behind a throughput interval.
    pub fn window_rates(&self, n: usize) -> Vec<f64> {
        let (Some(first), Some(last)) = (self.done.iter().min(), self.done.iter().max()) else {
            return Vec::new();
        };
        let span = last.saturating_duration_since(*first).as_secs_f64();
        if n == 0 || span <= 0.0 {
            return Vec::new();
        }
        let width = span / n as f64;
        let mut counts = vec![0u64; n];
        for t in &self.done {
            let i = (t.saturating_duration_since(*first).as_secs_f64() / width) as usize;
            counts[i.min(n - 1)] += 1;
        }
        counts.into_iter().map(|c| c as f64 / width).collect()
    }

    pub fn summary(&self) -> LatencySummary {
        let us = |ns: u64| ns as f64 / 1_000.0;
        LatencySummary {
            count: self.hist.len(),
            p50_us: us(self.hist.value_at_quantile(0.50)),
            p90_us: us(self.hist.value_at_quantile(0.90)),
            p99_us: us(self.hist.value_at_quantile(0.99)),
            max_us: us(self.hist.max()),
            mean_us: self.hist.mean() / 1_000.0,
        }
    }
}

/// Percentiles of a latency histogram, in microseconds.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct LatencySummary {
    pub count: u64,
    pub p50_us: f64,
    pub p90_us: f64,
    pub p99_us: f64,
    pub max_us: f64,
    pub mean_us: f64,
}

/// `count` events over `elapsed`, per second; 0 when no time passed.
pub fn per_second(count: u64, elapsed: Duration) -> f64 {
    let s = elapsed.as_secs_f64();
    if s > 0.0 {
        count as f64 / s
    } else {
        0.0
    }
}

/// Median of a sample (sorted copy); `None` when empty.
pub fn median(xs: &[f64]) -> Option<f64> {
    quantile(xs, 0.5)
}

/// Linear-interpolated quantile of a sample (the definition numpy and hyperfine use).
pub fn quantile(xs: &[f64], q: f64) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let pos = q.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    Some(v[lo] + (v[hi] - v[lo]) * (pos - lo as f64))
}

/// Sample mean and standard deviation (n-1), as hyperfine reports them.
pub fn mean_stddev(xs: &[f64]) -> (f64, Option<f64>) {
    if xs.is_empty() {
        return (0.0, None);
    }
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    if xs.len() < 2 {
        return (mean, None);
    }
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, Some(var.sqrt()))
}

/// Bootstrap resamples per figure: enough for stable 2.5/97.5 percentiles, cheap enough to
/// run over 200k latencies on two cores.
pub const BOOTSTRAP_RESAMPLES: usize = 1000;
/// The seed of every bootstrap: the same samples always give the same interval.
const BOOTSTRAP_SEED: u64 = 0x0063_7366_2d6d_6370;

/// What a figure is, computed from its samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Statistic {
    /// A quantile (0.5 = the median).
    Quantile(f64),
    /// The mean times a factor (e.g. the sum over N processes = N × mean).
    ScaledMean(f64),
}

impl Statistic {
    /// The statistic of a sample (sorts `xs` in place for quantiles).
    fn of(self, xs: &mut [f64]) -> f64 {
        match self {
            Statistic::Quantile(q) => {
                let k = ((xs.len() - 1) as f64 * q).round() as usize;
                let (_, v, _) = xs.select_nth_unstable_by(k, f64::total_cmp);
                *v
            }
            Statistic::ScaledMean(f) => f * xs.iter().sum::<f64>() / xs.len() as f64,
        }
    }

    /// The figure itself, on the original sample.
    pub fn point(self, xs: &[f64]) -> Option<f64> {
        if xs.is_empty() {
            return None;
        }
        Some(match self {
            Statistic::Quantile(q) => quantile(xs, q)?,
            Statistic::ScaledMean(_) => self.of(&mut xs.to_vec()),
        })
    }
}

/// The statistic of `B` bootstrap resamples of `xs` (each drawn with replacement, same size),
/// computed in parallel. Replicates of two figures can be divided pairwise to bootstrap their
/// ratio; give them different `stream`s so their resamples are independent. Empty for an
/// empty sample.
pub fn bootstrap(xs: &[f64], stat: Statistic, stream: u64) -> Vec<f64> {
    use rayon::prelude::*;
    if xs.is_empty() {
        return Vec::new();
    }
    (0..BOOTSTRAP_RESAMPLES)
        .into_par_iter()
        .map_init(
            || Vec::with_capacity(xs.len()),
            |buf, i| {
                let mut rng =
                    fastrand::Rng::with_seed(BOOTSTRAP_SEED ^ (stream << 32) ^ (i as u64));
                buf.clear();
                buf.extend((0..xs.len()).map(|_| xs[rng.usize(..xs.len())]));
                stat.of(buf)
            },
        )
        .collect()
}

/// The 95% percentile interval of bootstrap replicates; `None` without replicates.
pub fn interval(replicates: &[f64]) -> Option<[f64; 2]> {
    let finite: Vec<f64> = replicates
        .iter()
        .copied()
        .filter(|x| x.is_finite())
        .collect();
    Some([quantile(&finite, 0.025)?, quantile(&finite, 0.975)?])
}

/// The 95% interval of `a ÷ b` from paired replicates (independent resamples of each).
pub fn ratio_interval(a: &[f64], b: &[f64]) -> Option<[f64; 2]> {
    if a.is_empty() || a.len() != b.len() {
        return None;
    }
    let r: Vec<f64> = a.iter().zip(b).map(|(x, y)| x / y).collect();
    interval(&r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_per_second_and_zero_without_time() {
        assert_eq!(per_second(10, Duration::from_millis(2_000)), 5.0);
        assert_eq!(per_second(10, Duration::ZERO), 0.0);
    }

    #[test]
    fn quantiles_interpolate() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[1.0, 2.0, 3.0, 4.0]), Some(2.5));
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.9), Some(4.6));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn histogram_percentiles_are_in_microseconds() {
        let mut l = Latencies::new().unwrap();
        let t0 = Instant::now();
        for us in 1..=100u64 {
            l.record(Duration::from_micros(us), t0 + Duration::from_millis(us));
        }
        let rates = l.window_rates(3);
        assert_eq!(rates.len(), 3);
        // 100 completions over 99 ms, spread evenly: about 1010/s in every window.
        assert!(rates.iter().all(|r| (r - 1010.0).abs() < 40.0), "{rates:?}");
        let s = l.summary();
        assert_eq!(s.count, 100);
        assert!((s.p50_us - 50.0).abs() < 0.1, "{s:?}");
        assert!((s.p99_us - 99.0).abs() < 0.1, "{s:?}");
        assert!((s.max_us - 100.0).abs() < 0.1, "{s:?}");
    }

    #[test]
    fn bootstrap_interval_covers_the_median_and_narrows_with_more_samples() {
        let small: Vec<f64> = (0..20).map(|i| 100.0 + f64::from(i % 7)).collect();
        let large: Vec<f64> = (0..2000).map(|i| 100.0 + f64::from(i % 7)).collect();
        let ci_small = interval(&bootstrap(&small, Statistic::Quantile(0.5), 0)).unwrap();
        let ci_large = interval(&bootstrap(&large, Statistic::Quantile(0.5), 0)).unwrap();
        let m = median(&large).unwrap();
        assert!(ci_large[0] <= m && m <= ci_large[1], "{ci_large:?} vs {m}");
        assert!(ci_large[1] - ci_large[0] <= ci_small[1] - ci_small[0]);
        // Deterministic: the same samples give the same interval.
        assert_eq!(
            ci_small,
            interval(&bootstrap(&small, Statistic::Quantile(0.5), 0)).unwrap()
        );
    }

    #[test]
    fn ratio_interval_of_a_tenfold_gap_excludes_one() {
        let a: Vec<f64> = (0..50).map(|i| 10.0 + f64::from(i % 5) * 0.1).collect();
        let b: Vec<f64> = (0..50).map(|i| 1.0 + f64::from(i % 5) * 0.01).collect();
        let stat = Statistic::Quantile(0.5);
        let ci = ratio_interval(&bootstrap(&a, stat, 1), &bootstrap(&b, stat, 2)).unwrap();
        assert!(ci[0] > 9.0 && ci[1] < 11.0, "{ci:?}");
    }

    #[test]
    fn scaled_mean_is_a_sum_over_processes() {
        let pss = [1000.0, 1100.0, 900.0, 1000.0];
        assert_eq!(Statistic::ScaledMean(4.0).point(&pss), Some(4000.0));
    }

    #[test]
    fn stddev_matches_hand_computation() {
        let (m, sd) = mean_stddev(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(m, 5.0);
        assert!((sd.unwrap() - 2.138).abs() < 0.001);
    }
}
