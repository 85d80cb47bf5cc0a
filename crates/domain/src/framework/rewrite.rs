//! A second try for a weak search, on request only: a language model the caller offers (over
//! MCP, the client's own model through sampling) restates the query in the framework's
//! vocabulary, the restated query is searched with the same filters, and its results replace
//! the original ones only when they match better. Nothing depends on it: a caller without a
//! model, a refusal, an error, a timeout or an unusable reply all leave the original results,
//! with a note saying what happened.
//!
//! The model is reached through [`QueryRewriter`], so each front end supplies its own channel
//! and the decision stays here.

use std::future::Future;
use std::time::Duration;

use super::search::{search, QueryRewrite, SearchOutput, SearchRequest};
use crate::error::Result;

/// How long the model may take before the original results are returned.
pub const REWRITE_TIMEOUT: Duration = Duration::from_secs(20);

/// Longest rewritten query kept, in characters (a restated search is a few words).
pub const MAX_REWRITE_CHARS: usize = 160;

/// Token budget asked of the model.
pub const REWRITE_MAX_TOKENS: u32 = 60;

/// Longest model name or failure text carried into the answer, in characters: both come from
/// the client and are only informative.
const MAX_REPORTED_CHARS: usize = 120;

const SYSTEM_PROMPT: &str = "You help someone search a catalogue of cybersecurity outcomes \
    (the NIST Cybersecurity Framework 2.0: governance, risk management, asset and supplier \
    management, identity and access, data protection, platform security, monitoring, incident \
    response and recovery). The user's search query found nothing close. Restate it in the \
    words such a framework uses for the same idea. Answer with the restated query only: plain \
    text on one line, at most twelve words, no quotes, no explanation.";

/// What is asked of the model: a system prompt, the user's message, a token budget and how
/// long to wait.
#[derive(Debug, Clone, PartialEq)]
pub struct RewritePrompt {
    pub system: String,
    pub user: String,
    pub max_tokens: u32,
    pub timeout: Duration,
}

/// The model's answer as the channel received it (not yet checked).
#[derive(Debug, Clone, PartialEq)]
pub struct ModelReply {
    /// The text of the reply, `None` when it carried no text (an image, a tool call).
    pub text: Option<String>,
    /// The model name the other side reported.
    pub model: String,
}

/// A channel to a language model that can restate a query.
pub trait QueryRewriter: Send + Sync {
    /// Where the rewrite comes from, as the answer should describe it.
    fn source(&self) -> &'static str;
    /// Sends the prompt; `Err` says why there is no reply (refused, failed, timed out).
    fn ask(
        &self,
        prompt: RewritePrompt,
    ) -> impl Future<Output = std::result::Result<ModelReply, String>> + Send;
}

/// A search that, when asked (`rewrite_weak_query`) and the match is weak, lets `rewriter`
/// restate the query and keeps whichever results match better. `rewriter` is the model
/// channel, or why the caller has none (quoted in the note).
pub async fn search_rewriting<R: QueryRewriter>(
    req: SearchRequest,
    rewriter: std::result::Result<&R, &str>,
) -> Result<SearchOutput> {
    search_rewriting_within(req, rewriter, REWRITE_TIMEOUT).await
}

/// [`search_rewriting`] waiting at most `timeout` for the model.
pub(crate) async fn search_rewriting_within<R: QueryRewriter>(
    mut req: SearchRequest,
    rewriter: std::result::Result<&R, &str>,
    timeout: Duration,
) -> Result<SearchOutput> {
    let asked = std::mem::take(&mut req.rewrite_weak_query);
    let retry = SearchRequest {
        query: String::new(),
        function: req.function.clone(),
        category: req.category.clone(),
        element_types: req.element_types.clone(),
        include_withdrawn: req.include_withdrawn,
        limit: req.limit,
        cursor: None,
        rewrite_weak_query: false,
    };
    let later_page = req.cursor.is_some();
    let original = search(req)?;
    if !asked {
        return Ok(original);
    }
    let source = match &rewriter {
        Ok(r) => r.source(),
        Err(_) => "none",
    };
    let skip = |mut out: SearchOutput, note: String| {
        out.query_rewrite = Some(QueryRewrite {
            original_query: out.query.clone(),
            rewritten_query: None,
            used: false,
            source: source.into(),
            model: None,
            note,
        });
        Ok(out)
    };
    if !original.weak_match {
        return skip(
            original,
            "not needed: the query matched well, so no model was asked".into(),
        );
    }
    if later_page {
        return skip(
            original,
            "not tried on a later page: a page continues the query of the first page".into(),
        );
    }
    let rewriter = match rewriter {
        Ok(r) => r,
        Err(why) => {
            return skip(
                original,
                format!("not available: {}", reported(why, MAX_REPORTED_CHARS)),
            )
        }
    };
    let mut asked_at = prompt(&original.query);
    asked_at.timeout = timeout;
    // The channel is asked to give up after `timeout`; this bounds a channel that does not.
    let backstop = timeout + Duration::from_secs(1);
    let reply = match tokio::time::timeout(backstop, rewriter.ask(asked_at)).await {
        Ok(Ok(reply)) => reply,
        Ok(Err(why)) => {
            let note = format!("no rewrite: {}", reported(&why, MAX_REPORTED_CHARS));
            return skip(original, note);
        }
        Err(_) => {
            let note = format!("no rewrite: no reply within {timeout:?}");
            return skip(original, note);
        }
    };
    let model = Some(reported(&reply.model, MAX_REPORTED_CHARS)).filter(|m| !m.is_empty());
    let mut rewrite = QueryRewrite {
        original_query: original.query.clone(),
        rewritten_query: None,
        used: false,
        source: source.into(),
        model,
        note: String::new(),
    };
    let Some(text) = reply
        .text
        .as_deref()
        .map(clean_query)
        .filter(|t| !t.is_empty())
    else {
        rewrite.note = "not used: the reply carried no text".into();
        return Ok(with_rewrite(original, rewrite));
    };
    rewrite.rewritten_query = Some(text.clone());
    if text.to_lowercase() == original.query.trim().to_lowercase() {
        rewrite.note = "not used: the model returned the query unchanged".into();
        return Ok(with_rewrite(original, rewrite));
    }
    let again = match search(SearchRequest {
        query: text,
        ..retry
    }) {
        Ok(again) => again,
        Err(e) => {
            rewrite.note = format!("not used: the rewritten query could not be searched ({e})");
            return Ok(with_rewrite(original, rewrite));
        }
    };
    match better(&original, &again) {
        Some(why) => {
            rewrite.used = true;
            rewrite.note = format!("used: {why}");
            Ok(with_rewrite(again, rewrite))
        }
        None => {
            rewrite.note = "not used: the rewritten query matched no better (still weak); \
                the original results are returned"
                .into();
            Ok(with_rewrite(original, rewrite))
        }
    }
}

fn with_rewrite(mut out: SearchOutput, rewrite: QueryRewrite) -> SearchOutput {
    out.query_rewrite = Some(rewrite);
    out
}

/// Why the rewritten results beat the original weak ones, if they do. Scores of two queries
/// are not comparable, so "better" is judged on what each search says of itself.
fn better(original: &SearchOutput, again: &SearchOutput) -> Option<&'static str> {
    if !again.weak_match && again.total > 0 {
        Some("the rewritten query matched well where the original did not")
    } else if original.total == 0 && again.total > 0 {
        Some("the rewritten query found outcomes where the original found none (still weak)")
    } else {
        None
    }
}

/// The prompt for restating `query`.
pub fn prompt(query: &str) -> RewritePrompt {
    RewritePrompt {
        system: SYSTEM_PROMPT.into(),
        user: format!("Search query: {}", query.trim()),
        max_tokens: REWRITE_MAX_TOKENS,
        timeout: REWRITE_TIMEOUT,
    }
}

/// A model's reply made into a query: its first non-empty line, control and invisible
/// formatting characters dropped, whitespace collapsed, surrounding quotes removed, at most
/// [`MAX_REWRITE_CHARS`] characters (cut at a word where there is one).
pub fn clean_query(reply: &str) -> String {
    let line = reply
        .split(['\n', '\r', '\u{2028}', '\u{2029}'])
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let line = reported(line, usize::MAX);
    let line = line.trim_matches(|c: char| matches!(c, '"' | '\'' | '`' | '“' | '”' | '‘' | '’'));
    cap(line.trim(), MAX_REWRITE_CHARS)
}

/// Client-supplied text made safe to show: control and invisible formatting characters become
/// spaces, runs of whitespace one space, at most `max` characters.
fn reported(text: &str, max: usize) -> String {
    let visible: String = text
        .chars()
        .map(|c| if invisible(c) { ' ' } else { c })
        .collect();
    let joined = visible.split_whitespace().collect::<Vec<_>>().join(" ");
    cap(&joined, max)
}

/// Control characters, and the zero-width and bidirectional formatting ones that change how
/// text reads without being seen.
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// `text` cut to at most `max` characters, at the last space when there is one in the kept part.
fn cap(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((end, _)) => {
            let head = &text[..end];
            let head = head.rfind(' ').map_or(head, |i| &head[..i]);
            head.trim_end().to_string()
        }
    }
}
