//! Guard: SQL in the store is built only from constants and numbered placeholders, never from
//! values. Reads `crates/store/src/**/*.rs` and checks every `format!` whose text is SQL (an upper-case
//! keyword, or an interpolation right after a comparison) interpolates only:
//!
//! - a `SCREAMING_CASE` name defined as a `const … : &str` in the store (column lists),
//! - a local whose nearest `let` binding is `q.bind(…)` (it holds `?N`) or another SQL
//!   `format!` (checked by this same rule),
//! - a `&str` parameter of its function whose every call site passes a string literal, a
//!   backend constant (`B::FOR_UPDATE`) or the same parameter forwarded,
//! - one of three reviewed expressions (`q.where_sql()`, the joins of bound placeholders).
//!
//! It also checks that `Query::and` gets only such `format!`s or literals, and that every
//! `tx.query`/`tx.execute` in `crates/store/src/sql` runs a literal, a checked `format!`, or a local
//! bound to one. A new way of building SQL fails here until it is reviewed.

use std::path::{Path, PathBuf};

/// Reviewed positional arguments: each joins or wraps placeholders made by `Query::bind`.
const REVIEWED_EXPRESSIONS: [&str; 3] = [
    "q.where_sql()",
    r#"self.clauses.join(" AND ")"#,
    r#"marks.join(", ")"#,
];

const KEYWORDS: [&str; 13] = [
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "WHERE",
    "FROM",
    "VALUES",
    "ORDER BY",
    "LIMIT",
    " IN (",
    " AND ",
    "ON CONFLICT",
    "RETURNING",
];

struct Source {
    path: PathBuf,
    text: String,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn store_sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/store/src");
    let mut paths = Vec::new();
    rust_files(&root, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|path| Source {
            text: std::fs::read_to_string(&path).unwrap(),
            path,
        })
        .collect()
}

/// A macro or function call found in the source: where, and its top-level arguments.
struct CallSite {
    offset: usize,
    args: Vec<String>,
}

/// Reads a string literal starting at `s[0] == '"'`; returns (its text, bytes consumed).
fn string_literal(s: &str) -> Option<(String, usize)> {
    let bytes = s.as_bytes();
    if bytes.first() != Some(&b'"') {
        return None;
    }
    let mut out = String::new();
    let mut chars = s.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, i + 1)),
            '\\' => match chars.next() {
                // A line continuation swallows the newline and the next line's indentation.
                Some((_, '\n')) => {
                    while chars.peek().is_some_and(|(_, c)| c.is_whitespace()) {
                        chars.next();
                    }
                }
                Some((_, e)) => {
                    out.push('\\');
                    out.push(e);
                }
                None => return None,
            },
            c => out.push(c),
        }
    }
    None
}

/// Splits the arguments of a call whose `(` is at `s[0]`, up to the matching `)`.
fn call_args(s: &str) -> Option<Vec<String>> {
    let mut args = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    let mut i = 0;
    let bytes = s.as_bytes();
    while i < bytes.len() {
        let c = bytes[i] as char;
        match c {
            '"' => {
                let (_, used) = string_literal(&s[i..])?;
                current.push_str(&s[i..i + used]);
                i += used;
                continue;
            }
            '\'' if i + 2 < bytes.len() && bytes[i + 2] == b'\'' => {
                current.push_str(&s[i..i + 3]);
                i += 3;
                continue;
            }
            '(' | '[' | '{' => {
                depth += 1;
                if depth > 1 {
                    current.push(c);
                }
            }
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    if !current.trim().is_empty() {
                        args.push(current.trim().to_string());
                    }
                    return Some(args);
                }
                current.push(c);
            }
            ',' if depth == 1 => {
                args.push(current.trim().to_string());
                current.clear();
            }
            _ => current.push(c),
        }
        i += 1;
    }
    None
}

/// Every call of `name(` (e.g. `format!(`, `q.and(`) outside line comments.
fn calls(text: &str, name: &str) -> Vec<CallSite> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find(name) {
        let offset = from + pos;
        from = offset + name.len();
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        if text[line_start..offset].contains("//") {
            continue;
        }
        // `fn name(`: a definition, not a call; `xname(`: another identifier; `.name(`: a
        // method of something else (iterators' `find`, atomics' `load`).
        let before = text[..offset].trim_end();
        if before.ends_with("fn")
            || (!name.contains('.') && text[..offset].ends_with('.'))
            || text[..offset]
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        if let Some(args) = call_args(&text[offset + name.len() - 1..]) {
            found.push(CallSite { offset, args });
        }
    }
    found
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

fn is_sql(literal: &str) -> bool {
    KEYWORDS.iter().any(|k| literal.contains(k))
        || ["= {", "> {", "< {"].iter().any(|op| literal.contains(op))
}

/// Interpolated names or positional expressions of a format string.
fn interpolations(literal: &str, args: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut positional = args.iter().skip(1).filter(|a| !is_named_arg(a));
    let mut rest = literal;
    while let Some(open) = rest.find('{') {
        if rest[open..].starts_with("{{") {
            rest = &rest[open + 2..];
            continue;
        }
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let inner = &rest[open + 1..open + close];
        let name = inner.split(':').next().unwrap_or("").trim();
        if name.is_empty() {
            out.push(positional.next().cloned().unwrap_or_default());
        } else if let Some(named) = args
            .iter()
            .skip(1)
            .find(|a| is_named_arg(a) && a.split('=').next().unwrap().trim() == name)
        {
            out.push(named.split_once('=').unwrap().1.trim().to_string());
        } else {
            out.push(name.to_string());
        }
        rest = &rest[open + close + 1..];
    }
    out
}

fn is_named_arg(arg: &str) -> bool {
    arg.split_once('=').is_some_and(|(name, rest)| {
        !rest.starts_with('=')
            && !name.is_empty()
            && name.trim().chars().all(|c| c.is_alphanumeric() || c == '_')
    })
}

fn is_screaming(name: &str) -> bool {
    name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn is_ident(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// The right-hand side of the nearest `let` binding `name` before `offset`, if any.
fn nearest_binding<'t>(text: &'t str, offset: usize, name: &str) -> Option<&'t str> {
    let before = &text[..offset];
    let mut search_end = before.len();
    while let Some(pos) = before[..search_end].rfind("let ") {
        search_end = pos;
        let statement = &text[pos..];
        let Some(eq) = statement.find('=') else {
            continue;
        };
        let pattern = &statement[4..eq];
        let binds = pattern
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|part| part == name);
        if binds {
            let end = statement.find(';').unwrap_or(statement.len());
            return Some(statement[eq + 1..end].trim());
        }
    }
    None
}

/// The enclosing function's name and the position of `param` in its parameter list.
fn enclosing_param(text: &str, offset: usize, param: &str) -> Option<(String, usize)> {
    let fn_pos = text[..offset].rfind("fn ")?;
    let signature = &text[fn_pos + 3..];
    let name: String = signature
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let open = signature.find('(')?;
    let params = call_args(&signature[open..])?;
    let index = params
        .iter()
        .position(|p| p.split(':').next().map(str::trim) == Some(param))?;
    Some((name, index))
}

struct Finding {
    at: String,
    what: String,
}

fn check_interpolation(
    sources: &[Source],
    src: &Source,
    offset: usize,
    item: &str,
    findings: &mut Vec<Finding>,
) {
    let at = format!("{}:{}", src.path.display(), line_of(&src.text, offset));
    let mut refuse = |what: String| {
        findings.push(Finding {
            at: at.clone(),
            what,
        })
    };
    if REVIEWED_EXPRESSIONS.contains(&item) {
        if item == r#"marks.join(", ")"# {
            let pushes = src.text.matches("marks.push(").count();
            let bound = src.text.matches("marks.push(q.bind(").count();
            if pushes != bound {
                refuse("`marks` receives something other than q.bind(…)".into());
            }
        }
        return;
    }
    if is_screaming(item) {
        let defined = sources.iter().any(|s| {
            s.text.contains(&format!("const {item}: &str"))
                || s.text.contains(&format!("const {item}: &'static str"))
        });
        if !defined {
            refuse(format!("`{item}` is not a string constant of the store"));
        }
        return;
    }
    if !is_ident(item) {
        refuse(format!("interpolates the expression `{item}`"));
        return;
    }
    if let Some(rhs) = nearest_binding(&src.text, offset, item) {
        // `let (l, v) = (q.bind(…), q.bind(…))` binds several placeholders at once.
        let all_bound = rhs.starts_with('(')
            && call_args(rhs).is_some_and(|parts| parts.iter().all(|p| p.starts_with("q.bind(")));
        let ok = rhs.starts_with("q.bind(") || rhs.starts_with("format!(") || all_bound;
        if !ok {
            refuse(format!("`{item}` is bound to `{rhs}`, not a placeholder"));
        }
        return;
    }
    let Some((function, index)) = enclosing_param(&src.text, offset, item) else {
        refuse(format!("cannot tell where `{item}` comes from"));
        return;
    };
    // Call sites: unqualified in the defining file, `module::function(` elsewhere (several
    // modules have a `load`; only this one's callers matter).
    let module = src
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut sites = 0;
    for other in sources {
        let same_file = other.path == src.path;
        let call_name = if same_file {
            format!("{function}(")
        } else {
            format!("{module}::{function}(")
        };
        for site in calls(&other.text, &call_name) {
            if same_file && other.text[..site.offset].ends_with("::") {
                continue;
            }
            sites += 1;
            // Methods and free functions: `tx, …` arguments line up with the parameters.
            let Some(arg) = site.args.get(index) else {
                continue;
            };
            let forwarded = arg == item;
            let constant = arg.starts_with('"')
                || arg
                    .rsplit("::")
                    .next()
                    .is_some_and(|last| is_screaming(last) && arg.contains("::"));
            if !(constant || forwarded) {
                findings.push(Finding {
                    at: format!(
                        "{}:{}",
                        other.path.display(),
                        line_of(&other.text, site.offset)
                    ),
                    what: format!("passes `{arg}` as `{item}` of {function}, which is put in SQL"),
                });
            }
        }
    }
    if sites == 0 {
        findings.push(Finding {
            at,
            what: format!("parameter `{item}` of {function} has no call site to check"),
        });
    }
}

/// Reviewed exception: `migrate::apply` runs `lock`'s statement (`if let Some((sql, key)) =
/// lock`), the advisory-lock SQL a backend passes as a literal (`crates/store/src/postgres/mod.rs`) or
/// `None` (SQLite). Holds while every `migrate::apply(` call passes one of those.
fn migration_lock_is_constant(sources: &[Source], src: &Source, name: &str) -> bool {
    let is_migrate = src.path.file_stem().is_some_and(|s| s == "migrate");
    if !is_migrate || name != "sql" || !src.text.contains("if let Some((sql, key)) = lock") {
        return false;
    }
    let mut sites = 0;
    for other in sources {
        for site in calls(&other.text, "migrate::apply(") {
            sites += 1;
            let lock = site.args.get(2).map(String::as_str).unwrap_or("");
            if !(lock == "None" || lock.starts_with("Some((\"")) {
                return false;
            }
        }
    }
    sites > 0
}

#[test]
fn store_sql_interpolates_only_constants_and_placeholders() {
    let sources = store_sources();
    assert!(sources.len() > 10, "store sources not found");
    let mut findings = Vec::new();
    let mut sql_formats = 0;
    for src in &sources {
        for site in calls(&src.text, "format!(") {
            let first = site.args.first().map(String::as_str).unwrap_or("");
            let Some((literal, _)) = string_literal(first) else {
                if is_sql(first) {
                    findings.push(Finding {
                        at: format!("{}:{}", src.path.display(), line_of(&src.text, site.offset)),
                        what: format!("SQL format string the guard cannot read: {first}"),
                    });
                }
                continue;
            };
            if !is_sql(&literal) {
                continue;
            }
            sql_formats += 1;
            for item in interpolations(&literal, &site.args) {
                check_interpolation(&sources, src, site.offset, &item, &mut findings);
            }
        }
        for site in calls(&src.text, "q.and(") {
            let arg = site.args.first().map(String::as_str).unwrap_or("");
            if !(arg.starts_with("format!(") || arg.starts_with('"')) {
                findings.push(Finding {
                    at: format!("{}:{}", src.path.display(), line_of(&src.text, site.offset)),
                    what: format!("Query::and gets `{arg}`"),
                });
            }
        }
        if src.path.components().any(|c| c.as_os_str() == "sql") {
            for method in ["tx.query(", "tx.execute("] {
                for site in calls(&src.text, method) {
                    let sql = site.args.first().map(String::as_str).unwrap_or("");
                    let sql = sql.trim_start_matches('&');
                    let ok = sql.starts_with('"')
                        || sql.starts_with("format!(")
                        || (is_ident(sql)
                            && nearest_binding(&src.text, site.offset, sql).is_some_and(|rhs| {
                                rhs.starts_with("format!(") || rhs.starts_with('"')
                            }));
                    if !ok {
                        findings.push(Finding {
                            at: format!(
                                "{}:{}",
                                src.path.display(),
                                line_of(&src.text, site.offset)
                            ),
                            what: format!("runs SQL from `{sql}`"),
                        });
                    }
                    if !ok && migration_lock_is_constant(&sources, src, sql) {
                        findings.pop();
                    }
                }
            }
        }
    }
    assert!(
        sql_formats >= 20,
        "only {sql_formats} SQL format! calls found: the scanner lost track of the store"
    );
    let report: Vec<String> = findings
        .iter()
        .map(|f| format!("{}: {}", f.at, f.what))
        .collect();
    assert!(
        report.is_empty(),
        "SQL built from non-constants:\n{}",
        report.join("\n")
    );
}

#[test]
fn the_guard_catches_a_value_in_sql() {
    // The scanner itself, on invented code: a value spliced into SQL must be reported.
    let bad = Source {
        path: PathBuf::from("invented.rs"),
        text: r#"
fn find(tx: &mut dyn Tx, name: &str) {
    let sql = format!("SELECT id FROM organizations WHERE name = '{name}'");
    tx.query(&sql, &[]);
}
fn caller(tx: &mut dyn Tx, user_input: &str) { find(tx, user_input); }
"#
        .into(),
    };
    let good = Source {
        path: PathBuf::from("invented_ok.rs"),
        text: r#"
const COLS: &str = "id, name";
fn find(tx: &mut dyn Tx, name: &str, lock: &str) {
    let mut q = Query::default();
    let p = q.bind(name);
    let sql = format!("SELECT {COLS} FROM organizations WHERE name = {p}{lock}");
    tx.query(&sql, &q.params);
}
fn caller(tx: &mut dyn Tx) { find(tx, "x", B::FOR_UPDATE); find(tx, "y", ""); }
"#
        .into(),
    };
    for (source, expect_findings) in [(bad, true), (good, false)] {
        let sources = [source];
        let src = &sources[0];
        let mut findings = Vec::new();
        for site in calls(&src.text, "format!(") {
            let (literal, _) = string_literal(&site.args[0]).unwrap();
            assert!(is_sql(&literal));
            for item in interpolations(&literal, &site.args) {
                check_interpolation(&sources, src, site.offset, &item, &mut findings);
            }
        }
        assert_eq!(
            !findings.is_empty(),
            expect_findings,
            "{}: {:?}",
            src.path.display(),
            findings.iter().map(|f| &f.what).collect::<Vec<_>>()
        );
    }
}
