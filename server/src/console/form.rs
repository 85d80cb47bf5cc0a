//! Reading a console form post (`application/x-www-form-urlencoded`) within a size limit.

use axum::body::Body;
use http_body_util::BodyExt;
use percent_encoding::percent_decode_str;

/// The largest form the console accepts; a recorded entry with notes fits many times over.
pub(crate) const MAX_FORM_BYTES: usize = 64 * 1024;

/// Decoded fields in order (a name may repeat).
#[derive(Debug, Default, Clone)]
pub(crate) struct Form(pub Vec<(String, String)>);

impl Form {
    pub fn parse(body: &str) -> Form {
        let decode = |s: &str| {
            let s = s.replace('+', " ");
            percent_decode_str(&s).decode_utf8_lossy().into_owned()
        };
        Form(
            body.split('&')
                .filter(|p| !p.is_empty())
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    (decode(k), decode(v))
                })
                .collect(),
        )
    }

    /// The first value of `name`, trimmed; `None` when absent or blank.
    pub fn get(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    /// Every non-blank value of `name` (checkboxes, repeated fields), trimmed, in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    }
}

/// Why a body was not read.
pub(crate) enum ReadError {
    TooLarge,
    Malformed,
}

/// Reads at most [`MAX_FORM_BYTES`].
pub(crate) async fn read(body: Body) -> Result<Form, ReadError> {
    let limited = http_body_util::Limited::new(body, MAX_FORM_BYTES);
    let bytes = match limited.collect().await {
        Ok(c) => c.to_bytes(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => return Err(ReadError::TooLarge),
        Err(_) => return Err(ReadError::Malformed),
    };
    let text = std::str::from_utf8(&bytes).map_err(|_| ReadError::Malformed)?;
    Ok(Form::parse(text))
}

/// The request's query string as a map (the first value of each name).
pub(crate) fn query(uri: &http::Uri) -> std::collections::HashMap<String, String> {
    let mut map = std::collections::HashMap::new();
    for (k, v) in Form::parse(uri.query().unwrap_or("")).0 {
        map.entry(k).or_insert(v);
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_pairs() {
        let f = Form::parse("a=1+2&b=%3Cx%3E&a=3&c=&d");
        assert_eq!(f.get("a").as_deref(), Some("1 2"));
        assert_eq!(f.get("b").as_deref(), Some("<x>"));
        assert_eq!(f.get("c"), None);
        assert_eq!(f.get("d"), None);
        assert_eq!(f.all("a"), ["1 2", "3"]);
        assert!(f.all("c").is_empty());
    }
}
