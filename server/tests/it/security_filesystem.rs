//! No path a caller controls reaches the filesystem. The real binary runs over stdio in an empty
//! working directory, with empty `TMPDIR` and `HOME`; every tool is called with path-like values
//! in every string argument (built from its own input schema), and the export, report, import
//! and template tools are called with valid ids and path-like names, notes and evidence. Then:
//! nothing was created anywhere but the operator's `--db` file, and no answer carries the
//! content of a file whose path was given (a sentinel file, and `/etc/passwd`).

use std::path::Path;

use crate::support::security::*;
use csf_testkit::stdio::StdioServer;
use csf_testkit::McpClient;
use serde_json::{json, Map, Value};

/// Resolves `#/$defs/Name` references of a tool's input schema.
fn resolve<'s>(schema: &'s Value, root: &'s Value) -> &'s Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.rsplit('/').next().unwrap_or("");
            root.get("$defs")
                .or_else(|| root.get("definitions"))
                .and_then(|defs| defs.get(name))
                .unwrap_or(&Value::Null)
        }
        None => schema,
    }
}

/// Arguments for `schema` where every free string is `path` (enums keep a valid value so the
/// call gets past them to the strings).
fn fill(schema: &Value, root: &Value, path: &str, depth: usize) -> Value {
    let schema = resolve(schema, root);
    if depth > 6 {
        return Value::String(path.into());
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    if let Some(value) = schema.get("const") {
        return value.clone();
    }
    for combinator in ["anyOf", "oneOf", "allOf"] {
        if let Some(variants) = schema.get(combinator).and_then(Value::as_array) {
            let chosen = variants
                .iter()
                .map(|v| resolve(v, root))
                .find(|v| v.get("type") != Some(&json!("null")));
            if let Some(variant) = chosen {
                return fill(variant, root, path, depth + 1);
            }
        }
    }
    let kind = match schema.get("type") {
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|k| *k != "null")
            .unwrap_or("string"),
        Some(Value::String(kind)) => kind.as_str(),
        _ => "string",
    };
    match kind {
        "integer" | "number" => json!(1),
        "boolean" => json!(false),
        "array" => {
            let items = schema.get("items").unwrap_or(&Value::Null);
            json!([fill(items, root, path, depth + 1)])
        }
        "object" => {
            let mut object = Map::new();
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                for (name, property) in properties {
                    object.insert(name.clone(), fill(property, root, path, depth + 1));
                }
            }
            Value::Object(object)
        }
        _ => Value::String(path.into()),
    }
}

fn entries_of(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The allowed values of a schema: `enum`, or the `const`s of `oneOf`/`anyOf` variants.
fn choices(schema: &Value, root: &Value) -> Vec<Value> {
    let schema = resolve(schema, root);
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values.clone();
    }
    let mut out = Vec::new();
    for combinator in ["oneOf", "anyOf"] {
        for variant in schema
            .get(combinator)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            match resolve(variant, root).get("const") {
                Some(value) => out.push(value.clone()),
                None => out.extend(choices(variant, root)),
            }
        }
    }
    out
}

/// The allowed values of one argument of a tool, from its schema.
fn enum_values(tool: &Value, argument: &str) -> Vec<Value> {
    let schema = &tool["inputSchema"];
    let values = choices(&schema["properties"][argument], schema);
    assert!(
        !values.is_empty(),
        "{argument} of {} has no choices",
        tool["name"]
    );
    values
}

#[test]
fn caller_paths_never_reach_the_filesystem() {
    let cwd = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let db_dir = tempfile::tempdir().unwrap();
    let secret_dir = tempfile::tempdir().unwrap();
    let sentinel_text = format!("SENTINEL-{}", random_hex(12));
    let sentinel = secret_dir.path().join("secret.csv");
    std::fs::write(
        &sentinel,
        format!("subcategory_id,status\n{sentinel_text},fully\n"),
    )
    .unwrap();
    let sentinel_path = sentinel.to_str().unwrap().to_string();
    let in_cwd = cwd.path().join("out.csv").to_str().unwrap().to_string();
    let in_tmp = tmp.path().join("report.html").to_str().unwrap().to_string();
    let paths = [
        sentinel_path.clone(),
        in_cwd.clone(),
        in_tmp.clone(),
        "../../../../../../etc/passwd".to_string(),
        "file:///etc/passwd".to_string(),
        "out.csv".to_string(),
        "./reports/../report.md".to_string(),
        "~/.ssh/id_rsa".to_string(),
        r"C:\Windows\win.ini".to_string(),
        r"\\server\share\x.csv".to_string(),
    ];

    let db = db_dir.path().join("csf.db");
    let mut server = stdio_in(
        cwd.path(),
        &db,
        &[
            ("TMPDIR", tmp.path()),
            ("HOME", home.path()),
            ("XDG_DATA_HOME", home.path()),
        ],
    );
    let tools = server.request("tools/list", json!({}))["result"]["tools"]
        .as_array()
        .cloned()
        .expect("tools");
    assert!(tools.len() >= 30, "only {} tools listed", tools.len());
    let mut answers = Vec::new();

    // 1. Every tool, every string argument path-like.
    for tool in &tools {
        let name = tool["name"].as_str().unwrap();
        let schema = &tool["inputSchema"];
        for path in &paths {
            let args = fill(schema, schema, path, 0);
            answers.push(server.call(name, args).to_string());
        }
    }

    // 2. Export, report, template and import tools on real data with path-like free text.
    let org = server.tool(
        "create_organization",
        json!({ "name": in_cwd, "sector": in_tmp, "tier_note": sentinel_path }),
    )["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let profile = |server: &mut StdioServer, kind: &str, name: &str| {
        server.tool(
            "create_profile",
            json!({ "org_id": org, "kind": kind, "name": name }),
        )["profile"]["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let current = profile(&mut server, "current", &in_cwd);
    let target = profile(&mut server, "target", &in_tmp);
    for (profile_id, status) in [(&current, "partially"), (&target, "fully")] {
        server.tool(
            "record_assessment",
            json!({ "profile_id": profile_id, "entries": [{
                "subcategory_id": "GV.OC-01", "status": status, "maturity": 2,
                "owner": in_cwd, "notes": sentinel_path,
                "evidence": [{ "title": "out.csv", "location": sentinel_path }]
            }]}),
        );
    }
    let by_name = |name: &str| {
        tools
            .iter()
            .find(|t| t["name"] == name)
            .unwrap_or_else(|| panic!("no tool {name}"))
            .clone()
    };
    let mut exported = 0;
    for format in enum_values(&by_name("export_data"), "format") {
        let content = server.tool(
            "export_data",
            json!({ "profile_id": current, "format": format }),
        );
        assert!(content["content"].as_str().is_some_and(|c| !c.is_empty()));
        answers.push(content.to_string());
        exported += 1;
    }
    for format in ["json", "csv"] {
        let gaps = server.tool(
            "export_data",
            json!({ "profile_id": current, "format": format, "target_profile_id": target }),
        );
        answers.push(gaps.to_string());
    }
    let report = by_name("generate_report");
    let mut reports = 0;
    for kind in enum_values(&report, "kind") {
        for format in enum_values(&report, "format") {
            let answer = server.call(
                "generate_report",
                json!({ "kind": kind, "format": format, "profile_id": current,
                        "target_profile_id": target }),
            );
            if answer["result"]["isError"] != true {
                reports += 1;
            }
            answers.push(answer.to_string());
        }
    }
    for organization in &paths {
        answers.push(
            server
                .tool(
                    "generate_policy_template",
                    json!({ "subcategory_ids": ["GV.OC-01"], "organization": organization }),
                )
                .to_string(),
        );
    }
    let csv = format!("subcategory_id,status,notes\nGV.OC-02,largely,{in_cwd}\n");
    for (format, content) in [
        ("csv", csv.as_str()),
        ("csv", sentinel_path.as_str()),
        ("json", sentinel_path.as_str()),
        ("csv", "file:///etc/passwd"),
    ] {
        answers.push(
            server
                .call(
                    "import_assessment",
                    json!({ "profile_id": current, "format": format, "content": content }),
                )
                .to_string(),
        );
    }
    server.stop();

    assert!(exported >= 3, "export formats ran: {exported}");
    assert!(
        reports >= 6,
        "only {reports} report kind/format pairs succeeded"
    );
    let everything = answers.join("\n");
    assert!(
        !everything.contains(&sentinel_text),
        "a tool read the file at a caller's path"
    );
    assert!(
        !everything.contains("root:x:0:0"),
        "a tool read /etc/passwd"
    );
    assert_eq!(
        entries_of(cwd.path()),
        Vec::<String>::new(),
        "files in the working directory"
    );
    assert_eq!(
        entries_of(tmp.path()),
        Vec::<String>::new(),
        "files in TMPDIR"
    );
    assert_eq!(
        entries_of(home.path()),
        Vec::<String>::new(),
        "files in HOME"
    );
    assert_eq!(
        entries_of(secret_dir.path()),
        vec!["secret.csv".to_string()]
    );
    let db_files = entries_of(db_dir.path());
    assert!(
        db_files.iter().all(|f| f.starts_with("csf.db")),
        "only the operator's database may be written: {db_files:?}"
    );
    assert!(db_files.contains(&"csf.db".to_string()), "{db_files:?}");
}
