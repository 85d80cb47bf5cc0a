//! The audit trail keeps who did what, not the data itself: imported content is summarised by
//! its size, entry lists by their count, long strings are cut, and a row's summary and detail
//! are bounded whatever the call carried.

use crate::support::{ok_on, server};
use serde_json::{json, Value};

/// The newest audit row of `tool`.
async fn last_row(s: &nist_csf_mcp::CsfServer, tool: &str) -> Value {
    let trail = ok_on(s, "get_audit_trail", json!({ "tool": tool, "limit": 1 })).await;
    trail["records"][0].clone()
}

#[tokio::test]
async fn imports_are_summarised_by_size_and_rows_are_bounded() {
    let s = server();
    let org = ok_on(&s, "create_organization", json!({ "name": "Audit Org" })).await;
    let org_id = org["organization"]["id"].as_str().unwrap().to_string();
    let profile = ok_on(
        &s,
        "create_profile",
        json!({ "org_id": org_id, "kind": "current", "name": "Now" }),
    )
    .await;
    let profile_id = profile["profile"]["id"].as_str().unwrap().to_string();

    // An import whose content carries a distinctive marker: the row shows the size only.
    let marker = "MARKER-imported-note-7f3a";
    let content = format!(
        "subcategory_id,status,notes\nGV.OC-01,partially,{marker}\nGV.OC-02,fully,{marker}\n"
    );
    let imported = ok_on(
        &s,
        "import_assessment",
        json!({ "profile_id": profile_id, "format": "csv", "content": content }),
    )
    .await;
    assert_eq!(imported["stored"], true, "{imported}");
    let row = last_row(&s, "import_assessment").await;
    let summary = row["args_summary"].as_str().unwrap();
    assert!(
        summary.contains(&format!("<{} bytes>", content.len())),
        "{summary}"
    );
    assert!(
        !summary.contains(marker),
        "imported content copied: {summary}"
    );
    // The row names the organization and profile the write concerned, though the call named
    // only the profile.
    assert_eq!(row["org_id"], org_id, "{row}");
    assert_eq!(row["profile_id"], profile_id.as_str(), "{row}");

    // Entry lists by count.
    let entries: Vec<Value> = (1..=3)
        .map(|i| json!({ "subcategory_id": format!("GV.OC-0{i}"), "status": "largely", "notes": marker }))
        .collect();
    ok_on(
        &s,
        "record_assessment",
        json!({ "profile_id": profile_id, "entries": entries }),
    )
    .await;
    let row = last_row(&s, "record_assessment").await;
    let summary = row["args_summary"].as_str().unwrap();
    assert!(summary.contains("<3 items>"), "{summary}");
    assert!(!summary.contains(marker), "{summary}");

    // A long free-text argument is cut; the whole summary stays short.
    let long_note = format!("{}{marker}", "x".repeat(150));
    ok_on(
        &s,
        "create_organization",
        json!({ "name": "Long", "tier_note": long_note, "sector": "y".repeat(100) }),
    )
    .await;
    let row = last_row(&s, "create_organization").await;
    let summary = row["args_summary"].as_str().unwrap();
    assert!(!summary.contains(marker), "{summary}");
    assert!(
        summary.chars().count() <= 601,
        "{} chars",
        summary.chars().count()
    );

    // A refused import: the error detail is bounded (it may name a bad value, never the file).
    let bad = format!("subcategory_id,status\n{},fully\n", "Z".repeat(3000));
    let refused = crate::support::call(
        &s,
        "import_assessment",
        json!({ "profile_id": profile_id, "format": "csv", "content": bad }),
    )
    .await;
    assert_eq!(refused.is_error, Some(true));
    let row = last_row(&s, "import_assessment").await;
    assert_eq!(row["result"], "error", "{row}");
    let detail = row["detail"].as_str().unwrap_or("");
    assert!(
        detail.chars().count() <= 500,
        "{} chars",
        detail.chars().count()
    );
    assert!(
        row["args_summary"]
            .as_str()
            .unwrap()
            .contains(&format!("<{} bytes>", bad.len())),
        "{row}"
    );
}
