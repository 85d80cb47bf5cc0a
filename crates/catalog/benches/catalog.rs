//! Catalog hot paths: id lookup (canonical and loose), ranked search of several query shapes,
//! and informative-reference lookups both ways. `cargo bench -p csf-catalog`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn lookups(c: &mut Criterion) {
    c.bench_function("get/canonical", |b| {
        b.iter(|| csf_catalog::get(black_box("PR.AA-03")))
    });
    c.bench_function("resolve/loose", |b| {
        b.iter(|| csf_catalog::resolve(black_box("pr.aa-3")))
    });
    c.bench_function("resolve/miss+suggestions", |b| {
        b.iter(|| csf_catalog::resolve(black_box("GV.OC-99")))
    });
}

fn searches(c: &mut Criterion) {
    for (name, q) in [
        ("search/phrase", "supply chain risk"),
        ("search/abbreviation", "MFA"),
        ("search/control-id", "IA-2 multi-factor"),
        (
            "search/long",
            "incident response plan recovery backups and business continuity exercises",
        ),
        ("search/jargon", "third-party vendor risk"),
        (
            "search/question",
            "How do we make sure backups will actually work when we need them?",
        ),
        ("search/no-match", "quantum blockchain synergy"),
    ] {
        c.bench_function(name, |b| {
            b.iter(|| csf_catalog::search(&csf_catalog::SearchQuery::new(black_box(q))))
        });
    }
}

fn references(c: &mut Criterion) {
    c.bench_function("references/of-subcategory", |b| {
        b.iter(|| csf_catalog::references_of(black_box("PR.AA-03")).len())
    });
    c.bench_function("references/referencing-control", |b| {
        b.iter(|| csf_catalog::referencing(black_box("ia-2")).len())
    });
    c.bench_function("references/miss+nearest", |b| {
        b.iter(|| csf_catalog::nearest_targets(black_box("IA-99"), 5))
    });
}

criterion_group!(benches, lookups, searches, references);
criterion_main!(benches);
