//! The README's tool table is generated from the registry; this keeps the two in sync.

#[test]
fn readme_tool_table_matches_the_registry() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("README.md at the workspace root");
    let start = readme
        .find("<!-- tools:begin -->\n")
        .expect("tools:begin marker")
        + 21;
    let end = readme.find("<!-- tools:end -->").expect("tools:end marker");
    assert_eq!(
        &readme[start..end],
        nist_csf_mcp::mcp::toolset::markdown_table(),
        "regenerate with `nist-csf-mcp tools` and paste between the markers"
    );
}
