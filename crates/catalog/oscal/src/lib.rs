//! Reads NIST's OSCAL catalog of CSF 2.0 into plain owned structs, in official order.
//! A crate of its own so that the catalog's build script (its user) and the catalog's tests (which
//! run it on an invented fixture catalog) share it; depends on `serde_json` only.

use serde_json::Value;

#[derive(Debug, Default)]
pub struct Meta {
    pub title: String,
    pub version: String,
    pub oscal_version: String,
    pub published: String,
    pub last_modified: String,
}

#[derive(Debug)]
pub struct PFunction {
    pub id: String,
    pub title: String,
    pub overview: String,
    pub sort_id: String,
    pub categories: Vec<PCategory>,
}

#[derive(Debug)]
pub struct PCategory {
    pub id: String,
    pub title: String,
    pub statement: Option<String>,
    pub sort_id: String,
    pub withdrawn: bool,
    pub links: Vec<PLink>,
    pub subcategories: Vec<PSubcategory>,
}

#[derive(Debug)]
pub struct PSubcategory {
    pub id: String,
    pub statement: String,
    pub sort_id: String,
    pub withdrawn: bool,
    pub links: Vec<PLink>,
    pub first_party: bool,
    pub third_party: bool,
    pub examples: Vec<(String, String)>,
}

#[derive(Debug)]
pub struct PLink {
    /// "incorporated_into" or "moved_to".
    pub rel: String,
    pub target: String,
}

#[derive(Debug)]
pub struct Parsed {
    pub meta: Meta,
    pub functions: Vec<PFunction>,
}

fn str_at<'a>(v: &'a Value, key: &str, what: &str) -> Result<&'a str, String> {
    v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{what}: missing string field `{key}`"))
}

fn array_at<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn prop<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    array_at(v, "props")
        .iter()
        .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
        .and_then(|p| p.get("value").and_then(Value::as_str))
}

fn props_named<'a>(v: &'a Value, name: &'a str) -> impl Iterator<Item = &'a str> {
    array_at(v, "props")
        .iter()
        .filter(move |p| p.get("name").and_then(Value::as_str) == Some(name))
        .filter_map(|p| p.get("value").and_then(Value::as_str))
}

fn part_prose<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    array_at(v, "parts")
        .iter()
        .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
        .and_then(|p| p.get("prose").and_then(Value::as_str))
}

fn withdrawn(v: &Value, id: &str) -> Result<bool, String> {
    match prop(v, "status") {
        None => Ok(false),
        Some("withdrawn") => Ok(true),
        Some(other) => Err(format!("{id}: unknown status `{other}`")),
    }
}

fn links(v: &Value, id: &str) -> Result<Vec<PLink>, String> {
    array_at(v, "links")
        .iter()
        .map(|l| {
            let rel = str_at(l, "rel", id)?;
            if rel != "incorporated_into" && rel != "moved_to" {
                return Err(format!("{id}: unknown link rel `{rel}`"));
            }
            Ok(PLink {
                rel: rel.to_string(),
                target: str_at(l, "href", id)?.trim_start_matches('#').to_string(),
            })
        })
        .collect()
}

fn expect_class(v: &Value, class: &str, id: &str) -> Result<(), String> {
    match v.get("class").and_then(Value::as_str) {
        Some(c) if c == class => Ok(()),
        other => Err(format!("{id}: expected class `{class}`, found {other:?}")),
    }
}

fn sort_key(v: &Value, id: &str) -> Result<String, String> {
    prop(v, "sort-id")
        .map(str::to_string)
        .ok_or_else(|| format!("{id}: missing sort-id prop"))
}

fn parse_subcategory(v: &Value) -> Result<PSubcategory, String> {
    let id = str_at(v, "id", "subcategory")?;
    expect_class(v, "subcategory", id)?;
    let withdrawn = withdrawn(v, id)?;
    let statement = part_prose(v, "statement")
        .ok_or_else(|| format!("{id}: subcategory without statement prose"))?;
    let mut first_party = false;
    let mut third_party = false;
    for party in props_named(v, "risk-party") {
        match party {
            "1st" => first_party = true,
            "3rd" => third_party = true,
            other => return Err(format!("{id}: unknown risk-party `{other}`")),
        }
    }
    let examples = array_at(v, "parts")
        .iter()
        .filter(|p| p.get("name").and_then(Value::as_str) == Some("example"))
        .map(|p| {
            Ok((
                str_at(p, "id", id)?.to_string(),
                str_at(p, "prose", id)?.to_string(),
            ))
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(PSubcategory {
        id: id.to_string(),
        statement: statement.to_string(),
        sort_id: sort_key(v, id)?,
        withdrawn,
        links: links(v, id)?,
        first_party,
        third_party,
        examples,
    })
}

fn parse_category(v: &Value) -> Result<PCategory, String> {
    let id = str_at(v, "id", "category")?;
    expect_class(v, "category", id)?;
    let withdrawn = withdrawn(v, id)?;
    let statement = part_prose(v, "statement").map(str::to_string);
    if statement.is_none() && !withdrawn {
        return Err(format!("{id}: active category without statement prose"));
    }
    let mut subcategories = array_at(v, "controls")
        .iter()
        .map(parse_subcategory)
        .collect::<Result<Vec<_>, String>>()?;
    // Official order is the sort-id; a few sort-ids collide, so ties break by id.
    subcategories.sort_by(|a, b| (&a.sort_id, &a.id).cmp(&(&b.sort_id, &b.id)));
    Ok(PCategory {
        id: id.to_string(),
        title: str_at(v, "title", id)?.to_string(),
        statement,
        sort_id: sort_key(v, id)?,
        withdrawn,
        links: links(v, id)?,
        subcategories,
    })
}

fn parse_function(v: &Value) -> Result<PFunction, String> {
    let id = str_at(v, "id", "group")?;
    expect_class(v, "function", id)?;
    let mut categories = array_at(v, "controls")
        .iter()
        .map(parse_category)
        .collect::<Result<Vec<_>, String>>()?;
    categories.sort_by(|a, b| (&a.sort_id, &a.id).cmp(&(&b.sort_id, &b.id)));
    Ok(PFunction {
        id: id.to_string(),
        title: str_at(v, "title", id)?.to_string(),
        overview: part_prose(v, "overview")
            .ok_or_else(|| format!("{id}: function without overview prose"))?
            .to_string(),
        sort_id: sort_key(v, id)?,
        categories,
    })
}

/// Parses the catalog document text.
pub fn parse(json: &str) -> Result<Parsed, String> {
    let doc: Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
    let catalog = doc
        .get("catalog")
        .ok_or("not an OSCAL catalog: no `catalog` object")?;
    let md = catalog.get("metadata").ok_or("catalog without metadata")?;
    let meta = Meta {
        title: str_at(md, "title", "metadata")?.to_string(),
        version: str_at(md, "version", "metadata")?.to_string(),
        oscal_version: str_at(md, "oscal-version", "metadata")?.to_string(),
        published: md
            .get("published")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        last_modified: str_at(md, "last-modified", "metadata")?.to_string(),
    };
    let mut functions = array_at(catalog, "groups")
        .iter()
        .map(parse_function)
        .collect::<Result<Vec<_>, String>>()?;
    functions.sort_by(|a, b| (&a.sort_id, &a.id).cmp(&(&b.sort_id, &b.id)));
    if functions.is_empty() {
        return Err("catalog has no function groups".into());
    }
    Ok(Parsed { meta, functions })
}
