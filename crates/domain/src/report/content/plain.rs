//! Board-ready wording: an outcome's name beside its id, money and hours with thousands
//! separators and the currency, and next actions said in plain words (the ranking formula
//! stays in the methods appendix).

use crate::analysis::suggest::Suggestion;

/// Longest outcome name shown beside an id, in characters.
const NAME_CHARS: usize = 72;

/// `PR.AA-03 — <the outcome, shortened at a word>`; the id alone when the catalog has no text.
pub(crate) fn outcome(id: &str) -> String {
    match csf_catalog::get(id).and_then(|e| e.text()) {
        Some(text) => format!("{id} — {}", shorten(text, NAME_CHARS)),
        None => id.to_owned(),
    }
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", at_word.trim_end_matches([',', ';', ' ']))
}

/// `1,234,567` from a number rounded to a whole unit.
pub(crate) fn grouped(v: f64) -> String {
    let rounded = v.round();
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if rounded < 0.0 {
        format!("-{out}")
    } else {
        out
    }
}

/// `123,457 EUR`: whole units, thousands separated, currency as given.
pub(crate) fn money(v: f64, currency: &str) -> String {
    format!("{} {currency}", grouped(v))
}

/// "Raise PR.AA-03 — … from partially to fully (high priority, about 2 work units)."
pub(crate) fn action(s: &Suggestion) -> String {
    let status = |x: Option<csf_store::ImplementationStatus>| {
        x.map_or_else(|| "not assessed".to_owned(), |v| v.label().to_lowercase())
    };
    let units = if (s.effort - 1.0).abs() < f64::EPSILON {
        "1 work unit".to_owned()
    } else {
        format!("{} work units", trim_number(s.effort))
    };
    format!(
        "Raise {} from {} to {} ({} priority, about {units}).",
        outcome(&s.subcategory_id),
        status(s.from_status),
        status(s.to_status),
        s.priority.as_str()
    )
}

fn trim_number(v: f64) -> String {
    let t = format!("{v:.1}");
    t.strip_suffix(".0").map_or(t.clone(), str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(0.4), "0");
        assert_eq!(grouped(999.0), "999");
        assert_eq!(grouped(1000.0), "1,000");
        assert_eq!(grouped(1_234_567.49), "1,234,567");
        assert_eq!(grouped(-12_500.0), "-12,500");
        assert_eq!(money(235_038.2, "EUR"), "235,038 EUR");
    }

    #[test]
    fn long_names_are_cut_at_a_word() {
        let s = shorten("alpha beta gamma delta", 12);
        assert_eq!(s, "alpha beta…");
        assert_eq!(shorten("short", 12), "short");
    }
}
