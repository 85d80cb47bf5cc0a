//! Search quality against the project's evaluation sets (`benches/search/*.txt`): recall@5, MRR
//! and nDCG@5 of the default search (every level, no filter), as a new user would call it.
//!
//! - every acceptable id must be an active subcategory of the compiled catalog;
//! - no query may share five consecutive words with NIST's outcome or example text;
//! - the figures may not drop below the ones committed in `results/search/quality.json`.
//!
//! `SEARCH_EVAL_RECORD=1` rewrites `results/search/quality.{json,md}` with the current figures
//! (`SEARCH_EVAL_RECORD=baseline` also stores them as the "before" column).
//! `SEARCH_EVAL_SHOW=dev` (or `fw`) prints each query of that split with the rank of its first
//! acceptable hit and the top five; the held-out split is only ever shown as totals.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use csf_catalog::{Element, SearchQuery};
use serde_json::{json, Value};

const SETS: [(&str, &str); 2] = [
    ("practitioner", "practitioner.txt"),
    ("framework", "framework.txt"),
];
/// Results considered per query for MRR (the tool's page limit).
const DEPTH: usize = csf_catalog::MAX_LIMIT;
/// Figures are stored rounded to four places; a drop smaller than this is rounding.
const TOLERANCE: f64 = 1e-4;

struct Case {
    split: String,
    query: String,
    ids: Vec<String>,
    line: usize,
}

/// The workspace root: the nearest ancestor of this crate holding `benches/search` (the crate
/// directory may move; the evaluation data stays at the root).
fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .find(|p| p.join("benches/search").is_dir())
        .unwrap_or_else(|| panic!("no benches/search above {}", manifest.display()))
        .to_path_buf()
}

fn parse(path: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('|').map(str::trim).collect();
        assert!(
            f.len() == 3 && !f[1].is_empty() && !f[2].is_empty(),
            "{}:{}: expected `split | query | ids`",
            path.display(),
            n + 1
        );
        out.push(Case {
            split: f[0].to_string(),
            query: f[1].to_string(),
            ids: f[2].split_whitespace().map(str::to_string).collect(),
            line: n + 1,
        });
    }
    out
}

fn all_cases() -> Vec<(String, Vec<Case>)> {
    let dir = root().join("benches/search");
    SETS.iter()
        .map(|(name, file)| (name.to_string(), parse(&dir.join(file))))
        .collect()
}

/// Ids of the ranked results, best first (every level: a category ranked above the first
/// acceptable subcategory costs it a place, as it does for a user).
fn ranked(query: &str) -> Vec<&'static str> {
    let mut q = SearchQuery::new(query);
    q.limit = DEPTH;
    csf_catalog::search(&q)
        .hits
        .iter()
        .map(|h| h.element.id())
        .collect()
}

#[derive(Default, Clone, Copy)]
struct Figures {
    queries: usize,
    recall_at_5: f64,
    mrr: f64,
    ndcg_at_5: f64,
}

fn score(cases: &[&Case]) -> Figures {
    let mut f = Figures {
        queries: cases.len(),
        ..Figures::default()
    };
    for c in cases {
        let ids = ranked(&c.query);
        let good = |id: &str| c.ids.iter().any(|x| x == id);
        if let Some(pos) = ids.iter().position(|id| good(id)) {
            f.mrr += 1.0 / (pos + 1) as f64;
            if pos < 5 {
                f.recall_at_5 += 1.0;
            }
        }
        let dcg: f64 = ids
            .iter()
            .take(5)
            .enumerate()
            .filter(|(_, id)| good(id))
            .map(|(i, _)| 1.0 / ((i + 2) as f64).log2())
            .sum();
        let ideal: f64 = (0..c.ids.len().min(5))
            .map(|i| 1.0 / ((i + 2) as f64).log2())
            .sum();
        f.ndcg_at_5 += dcg / ideal;
    }
    let n = cases.len().max(1) as f64;
    f.recall_at_5 /= n;
    f.mrr /= n;
    f.ndcg_at_5 /= n;
    f
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn to_json(f: &Figures) -> Value {
    json!({
        "queries": f.queries,
        "recall_at_5": round4(f.recall_at_5),
        "mrr": round4(f.mrr),
        "ndcg_at_5": round4(f.ndcg_at_5),
    })
}

/// Figures per evaluated split: "practitioner-dev", "practitioner-held", "practitioner" (both)
/// and "framework".
fn measure() -> BTreeMap<String, Figures> {
    let mut out = BTreeMap::new();
    for (name, cases) in all_cases() {
        let all: Vec<&Case> = cases.iter().collect();
        out.insert(name.clone(), score(&all));
        let mut splits: Vec<&str> = cases.iter().map(|c| c.split.as_str()).collect();
        splits.sort_unstable();
        splits.dedup();
        if splits.len() > 1 {
            for s in splits {
                let part: Vec<&Case> = cases.iter().filter(|c| c.split == s).collect();
                out.insert(format!("{name}-{s}"), score(&part));
            }
        }
    }
    out
}

#[test]
fn acceptable_ids_are_active_subcategories() {
    for (name, cases) in all_cases() {
        assert!(!cases.is_empty(), "{name}: no queries");
        for c in &cases {
            assert!(
                ["dev", "held", "fw"].contains(&c.split.as_str()),
                "{name}:{}: split `{}` is not dev, held or fw",
                c.line,
                c.split
            );
            for id in &c.ids {
                match csf_catalog::get(id) {
                    Some(Element::Subcategory(s)) if !s.withdrawn => {}
                    other => panic!(
                        "{name}:{}: `{id}` is not an active subcategory ({:?})",
                        c.line,
                        other.map(|e| e.kind())
                    ),
                }
            }
        }
    }
}

#[test]
fn practitioner_set_is_large_split_and_unique() {
    let sets = all_cases();
    let (_, prac) = &sets[0];
    assert!(prac.len() >= 120, "{} practitioner queries", prac.len());
    let held = prac.iter().filter(|c| c.split == "held").count();
    assert!(held >= 50 && prac.len() - held >= 50, "held-out {held}");
    let mut seen = std::collections::HashSet::new();
    for (name, cases) in &sets {
        for c in cases {
            assert!(
                seen.insert(c.query.to_lowercase()),
                "{name}:{}: duplicate query `{}`",
                c.line,
                c.query
            );
        }
    }
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[test]
fn queries_do_not_quote_nist_text() {
    const RUN: usize = 5;
    let mut shingles = std::collections::HashSet::new();
    let texts = csf_catalog::subcategories()
        .iter()
        .map(|s| s.statement)
        .chain(csf_catalog::categories().iter().filter_map(|c| c.statement))
        .chain(csf_catalog::examples().iter().map(|e| e.text));
    for t in texts {
        let w = words(t);
        for win in w.windows(RUN) {
            shingles.insert(win.join(" "));
        }
    }
    assert!(shingles.len() > 1000, "catalog text not found");
    let mut quoted = Vec::new();
    for (name, cases) in all_cases() {
        for c in &cases {
            for win in words(&c.query).windows(RUN) {
                let s = win.join(" ");
                if shingles.contains(&s) {
                    quoted.push(format!("{name}:{}: `{s}`", c.line));
                }
            }
        }
    }
    assert!(
        quoted.is_empty(),
        "NIST's wording; phrase these queries in your own words:\n{}",
        quoted.join("\n")
    );
}

fn show(split: &str) {
    for (_, cases) in all_cases() {
        for c in cases.iter().filter(|c| c.split == split) {
            let ids = ranked(&c.query);
            let pos = ids.iter().position(|id| c.ids.iter().any(|x| x == id));
            let mark = match pos {
                Some(p) if p < 5 => format!("{:>2}", p + 1),
                Some(p) => format!("{:>2} MISS", p + 1),
                None => " - MISS".to_string(),
            };
            eprintln!(
                "{mark:8} {:<55} want {:<32} got {}",
                c.query,
                c.ids.join(" "),
                ids.iter().take(5).copied().collect::<Vec<_>>().join(" ")
            );
        }
    }
}

fn record(figures: &BTreeMap<String, Figures>, path: &Path, baseline: bool) {
    let old: Value = std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null);
    let current: serde_json::Map<String, Value> = figures
        .iter()
        .map(|(k, f)| (k.clone(), to_json(f)))
        .collect();
    let before = if baseline {
        Value::Object(current.clone())
    } else {
        old.get("before").cloned().unwrap_or(Value::Null)
    };
    let doc = json!({
        "what": "search quality of csf_catalog::search, default query (all levels, no filter), \
                 on benches/search/*.txt; recall_at_5 = share of queries with an acceptable \
                 subcategory in the top 5, mrr = mean reciprocal rank of the first acceptable \
                 one (top 50, else 0), ndcg_at_5 = binary-gain nDCG over the top 5",
        "recorded_with": "SEARCH_EVAL_RECORD=1 cargo test -p csf-catalog --test it search_quality",
        "floor": "crates/catalog/tests/it/search_quality.rs fails when a figure in `current` drops",
        "before": before,
        "current": Value::Object(current),
    });
    let text = serde_json::to_string_pretty(&doc).unwrap() + "\n";
    std::fs::write(path, text).unwrap();
    let mut md = String::from(
        "# Search quality\n\nDefault `search_framework` query (all levels, no filter) over \
         `benches/search/`. Recorded by `SEARCH_EVAL_RECORD=1 cargo test -p csf-catalog --test it \
         search_quality`; the test fails when a figure drops below `quality.json`.\n\n\
         **The practitioner-held split is not a clean held-out measure.** While ranking was \
         tuned, the practitioner vocabulary (`crates/catalog/src/concepts.rs`) gained terms \
         that occur only in held queries, so its figures overstate what unseen queries get. \
         With those terms removed the held split measured recall@5 0.824 and MRR 0.705; an \
         outside review's own set of practitioner queries measured recall@5 0.93 and MRR \
         0.838 (its harder half 0.825 and 0.70). Read the held row as a regression guard, not \
         as a generalisation figure.\n\n\
         | set | queries | recall@5 before | recall@5 | MRR before | MRR | nDCG@5 before | nDCG@5 |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for (k, f) in figures {
        let b = |m: &str| {
            doc["before"][k][m]
                .as_f64()
                .map_or("–".to_string(), |x| format!("{x:.3}"))
        };
        md.push_str(&format!(
            "| {k} | {} | {} | {:.3} | {} | {:.3} | {} | {:.3} |\n",
            f.queries,
            b("recall_at_5"),
            f.recall_at_5,
            b("mrr"),
            f.mrr,
            b("ndcg_at_5"),
            f.ndcg_at_5
        ));
    }
    std::fs::write(path.with_extension("md"), md).unwrap();
}

#[test]
fn quality_does_not_drop_below_the_committed_figures() {
    let figures = measure();
    if let Ok(split) = std::env::var("SEARCH_EVAL_SHOW") {
        assert_ne!(split, "held", "the held-out split is only shown as totals");
        show(&split);
    }
    let recording = std::env::var("SEARCH_EVAL_RECORD").is_ok();
    // While tuning, the held-out figures stay out of sight; they are printed when recording.
    for (k, f) in figures
        .iter()
        .filter(|(k, _)| recording || !k.contains("held") && *k != "practitioner")
    {
        eprintln!(
            "{k:<20} n={:<4} recall@5 {:.3}  MRR {:.3}  nDCG@5 {:.3}",
            f.queries, f.recall_at_5, f.mrr, f.ndcg_at_5
        );
    }
    let path = root().join("results/search/quality.json");
    if let Ok(mode) = std::env::var("SEARCH_EVAL_RECORD") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        record(&figures, &path, mode == "baseline");
        return;
    }
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let committed: Value = serde_json::from_str(&text).unwrap();
    let mut drops = Vec::new();
    for (k, f) in &figures {
        let c = &committed["current"][k];
        assert!(c.is_object(), "{k} is not in {}", path.display());
        for (m, v) in [
            ("recall_at_5", f.recall_at_5),
            ("mrr", f.mrr),
            ("ndcg_at_5", f.ndcg_at_5),
        ] {
            let floor = c[m].as_f64().unwrap();
            if v + TOLERANCE < floor {
                drops.push(format!("{k} {m}: {v:.4} < committed {floor:.4}"));
            }
        }
    }
    assert!(
        drops.is_empty(),
        "search quality dropped:\n{}",
        drops.join("\n")
    );
}
