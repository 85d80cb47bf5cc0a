//! Times common store operations against one database and prints medians.
//!
//! `cargo run -p csf-store --example store_timing -- <sqlite path | postgres:// URL> [rounds]`
//!
//! Writes into a new organization named "store_timing <time>" (invented data) and leaves it
//! there. Prints the median and the slowest of `rounds` runs of each operation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use csf_store::{
    open, EntryInput, ImplementationStatus, NewOrganization, NewProfile, Patch, ProfileKind, Scope,
};
use std::time::{Duration, Instant};

fn entries(n: usize, round: usize) -> Vec<EntryInput> {
    (0..n)
        .map(|i| {
            let mut e = EntryInput::new(format!("ZZ.TM-{i:04}"), ImplementationStatus::Partially)
                .replacing();
            e.notes = Patch::Set(format!("invented note, round {round}"));
            e
        })
        .collect()
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let median = samples[samples.len() / 2];
    let max = samples[samples.len() - 1];
    println!(
        "{name:<36} median {:>9.3} ms   max {:>9.3} ms   (n={})",
        median.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3,
        samples.len()
    );
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let t = Instant::now();
    let out = f();
    (t.elapsed(), out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let target = args
        .next()
        .ok_or("usage: store_timing <sqlite path | postgres:// URL> [rounds]")?;
    let rounds: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(20);
    if rounds == 0 {
        return Err("rounds must be at least 1".into());
    }
    let (opened, store) = time(|| open(&target));
    let store = store?;
    println!(
        "backend {} (open {:.1} ms)",
        store.backend_name(),
        opened.as_secs_f64() * 1e3
    );
    let org = store.create_organization(&NewOrganization {
        name: format!("store_timing {}", csf_store::now()),
        ..Default::default()
    })?;
    let profile = store.create_profile(
        &NewProfile {
            org_id: org.id,
            kind: ProfileKind::Current,
            name: "timing".into(),
            scope: Scope::All,
        },
        "store_timing",
    )?;
    let p = &profile.id;

    let mut single = Vec::new();
    for i in 0..rounds * 5 {
        let e = entries(1, i);
        let (d, r) = time(|| store.record_entries(p, &e, "store_timing"));
        r?;
        single.push(d);
    }
    report("record 1 entry (update)", single);

    for n in [106, 1000] {
        let mut batch = Vec::new();
        for round in 0..rounds {
            let e = entries(n, round);
            let (d, r) = time(|| store.record_entries(p, &e, "store_timing"));
            r?;
            batch.push(d);
        }
        report(&format!("record batch of {n} (all updated)"), batch);
    }

    let mut list = Vec::new();
    let mut as_of = Vec::new();
    let page = csf_store::PageRequest::first(1000);
    for _ in 0..rounds {
        let (d, r) = time(|| store.list_entries(p, &Default::default(), &page));
        r?;
        list.push(d);
        let (d, r) = time(|| store.entries_as_of(p, csf_store::now()));
        r?;
        as_of.push(d);
    }
    report("list 1000 entries", list);
    report(
        &format!("as_of over {} history rows", rounds * 5 + rounds * 1106),
        as_of,
    );
    Ok(())
}
