//! Catalog search with arbitrary query text and filters.
//!
//! Layout of an input: byte 0 picks the filters (function, category, levels, withdrawn), byte 1
//! the limit, byte 2 the offset; the rest is the query text. Properties: a page never exceeds
//! the clamped limit, counts add up, scores are finite and ranked, filters hold for every hit,
//! and the next offset is exactly past this page.

use csf_catalog::{search, Element, Level, SearchQuery, MAX_LIMIT};

/// The tool caps queries at 512 characters; twice that still exercises long-query handling.
const MAX_QUERY: usize = 1024;

const FUNCTIONS: [Option<&str>; 8] = [
    None,
    Some("GV"),
    Some("ID"),
    Some("PR"),
    Some("DE"),
    Some("RS"),
    Some("RC"),
    Some("XX"),
];
const CATEGORIES: [Option<&str>; 4] = [None, Some("PR.AA"), Some("DE.CM"), Some("ID.GV")];
const LEVEL_SETS: [&[Level]; 4] = [
    &[],
    &[Level::Subcategory],
    &[Level::Function, Level::Category],
    &[Level::Category, Level::Subcategory],
];

pub fn run(data: &[u8]) {
    let [flags, limit, offset, rest @ ..] = data else {
        return;
    };
    let rest = &rest[..rest.len().min(MAX_QUERY)];
    let text = String::from_utf8_lossy(rest);
    let query = SearchQuery {
        text: &text,
        function: FUNCTIONS[usize::from(flags & 7)],
        category: CATEGORIES[usize::from((flags >> 3) & 3)],
        levels: LEVEL_SETS[usize::from((flags >> 5) & 3)],
        include_withdrawn: flags & 0x80 != 0,
        offset: usize::from(*offset),
        limit: usize::from(*limit),
    };
    let page = search(&query);
    let clamped = query.limit.clamp(1, MAX_LIMIT);
    assert!(page.hits.len() <= clamped, "page larger than its limit");
    assert!(
        page.hits.len() <= page.total.saturating_sub(query.offset),
        "more hits than remain after the offset"
    );
    let end = query.offset + clamped;
    assert_eq!(page.next_offset, (end < page.total).then_some(end));
    let mut previous = f32::INFINITY;
    for hit in &page.hits {
        assert!(
            hit.score.is_finite() && hit.score > 0.0,
            "score {}",
            hit.score
        );
        assert!(hit.score <= previous, "hits are not ranked by score");
        previous = hit.score;
        check_filters(&query, &hit.element);
    }
}

fn check_filters(query: &SearchQuery<'_>, element: &Element) {
    let id = element.id();
    if let Some(f) = query.function {
        assert!(id.starts_with(f), "{id} outside function {f}");
    }
    if let Some(c) = query.category {
        assert!(id.starts_with(c), "{id} outside category {c}");
    }
    if !query.include_withdrawn {
        assert!(
            !element.is_withdrawn(),
            "withdrawn {id} without include_withdrawn"
        );
    }
    if !query.levels.is_empty() {
        assert!(
            element.level().is_some_and(|l| query.levels.contains(&l)),
            "{id} at an unrequested level"
        );
    }
}
