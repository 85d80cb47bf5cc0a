//! The weak-query rewrite's decisions with a stand-in model: when it is asked, what it is
//! asked, which results come back, and how its reply is cleaned.

use std::sync::Mutex;
use std::time::Duration;

use serde_json::json;

use super::rewrite::{clean_query, search_rewriting, search_rewriting_within};
use super::*;

const WEAK: &str = "pizza delivery";
const WELL: &str = "supply chain risk management";

/// A model that answers every prompt with one reply (or never) and keeps the prompts.
struct Fake {
    reply: Option<std::result::Result<ModelReply, String>>,
    prompts: Mutex<Vec<RewritePrompt>>,
}

impl Fake {
    fn says(text: &str) -> Fake {
        Fake::answering(Ok(ModelReply {
            text: Some(text.into()),
            model: "fake-model".into(),
        }))
    }

    fn answering(reply: std::result::Result<ModelReply, String>) -> Fake {
        Fake {
            reply: Some(reply),
            prompts: Mutex::new(Vec::new()),
        }
    }

    fn asked(&self) -> Vec<RewritePrompt> {
        self.prompts.lock().unwrap().clone()
    }
}

impl QueryRewriter for Fake {
    fn source(&self) -> &'static str {
        "a stand-in model"
    }

    async fn ask(&self, prompt: RewritePrompt) -> std::result::Result<ModelReply, String> {
        self.prompts.lock().unwrap().push(prompt);
        match &self.reply {
            Some(r) => r.clone(),
            None => std::future::pending().await,
        }
    }
}

fn req(query: &str, rewrite: bool) -> SearchRequest {
    serde_json::from_value(json!({"query": query, "rewrite_weak_query": rewrite})).unwrap()
}

fn ids(out: &SearchOutput) -> Vec<&str> {
    out.results.iter().map(|r| r.element.id.as_str()).collect()
}

#[tokio::test]
async fn not_asked_unless_requested_and_weak() {
    let fake = Fake::says(WELL);
    let out = search_rewriting(req(WEAK, false), Ok(&fake)).await.unwrap();
    assert!(out.weak_match && out.query_rewrite.is_none());
    let out = search_rewriting(req("supply chain risk", true), Ok(&fake))
        .await
        .unwrap();
    let rw = out.query_rewrite.unwrap();
    assert!(!rw.used && rw.note.contains("not needed"), "{rw:?}");
    assert!(fake.asked().is_empty());
}

#[tokio::test]
async fn a_weak_query_is_restated_and_the_better_results_kept() {
    let fake = Fake::says(WELL);
    let out = search_rewriting(req(WEAK, true), Ok(&fake)).await.unwrap();
    let prompts = fake.asked();
    assert_eq!(prompts.len(), 1);
    assert!(prompts[0].user.contains(WEAK));
    assert!(prompts[0].max_tokens <= 60);
    assert_eq!(prompts[0].timeout, REWRITE_TIMEOUT);
    let direct = search(req(WELL, false)).unwrap();
    assert_eq!(ids(&out), ids(&direct));
    assert!(!out.weak_match);
    assert_eq!(out.query, WELL);
    let rw = out.query_rewrite.unwrap();
    assert!(rw.used);
    assert_eq!(rw.original_query, WEAK);
    assert_eq!(rw.model.as_deref(), Some("fake-model"));
    assert_eq!(rw.source, "a stand-in model");
}

#[tokio::test]
async fn no_model_a_failure_or_the_same_words_keep_the_original_results() {
    let direct = search(req(WEAK, false)).unwrap();
    let none: std::result::Result<&Fake, &str> = Err("no model here");
    let out = search_rewriting(req(WEAK, true), none).await.unwrap();
    assert_eq!(ids(&out), ids(&direct));
    assert!(out.query_rewrite.unwrap().note.contains("no model here"));

    let failing = Fake::answering(Err("refused\u{7}".into()));
    let out = search_rewriting(req(WEAK, true), Ok(&failing))
        .await
        .unwrap();
    assert_eq!(ids(&out), ids(&direct));
    let note = out.query_rewrite.unwrap().note;
    assert!(
        note.contains("refused") && !note.contains('\u{7}'),
        "{note:?}"
    );

    let echo = Fake::says("  PIZZA delivery ");
    let out = search_rewriting(req(WEAK, true), Ok(&echo)).await.unwrap();
    let rw = out.query_rewrite.unwrap();
    assert!(!rw.used && rw.note.contains("unchanged"), "{rw:?}");

    let blank = Fake::says(" \n\t ");
    let out = search_rewriting(req(WEAK, true), Ok(&blank)).await.unwrap();
    let rw = out.query_rewrite.unwrap();
    assert!(!rw.used && rw.rewritten_query.is_none(), "{rw:?}");
    assert_eq!(out.query, WEAK);
}

#[tokio::test]
async fn a_model_that_never_answers_times_out_into_the_original_results() {
    let silent = Fake {
        reply: None,
        prompts: Mutex::new(Vec::new()),
    };
    let wait = Duration::from_millis(50);
    let started = std::time::Instant::now();
    let out = search_rewriting_within(req(WEAK, true), Ok(&silent), wait)
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(silent.asked()[0].timeout, wait);
    assert!(out.weak_match);
    let rw = out.query_rewrite.unwrap();
    assert!(
        !rw.used && rw.note.contains("no reply within 50ms"),
        "{rw:?}"
    );
}

#[test]
fn replies_are_cleaned_into_one_short_line() {
    assert_eq!(
        clean_query("\n  \"risk  assessment\" \nmore"),
        "risk assessment"
    );
    assert_eq!(clean_query("a\u{202e}b\u{200b}c\u{1b}d"), "a b c d");
    assert_eq!(clean_query("`asset inventory`"), "asset inventory");
    assert_eq!(clean_query("\u{7}\u{0}"), "");
    let long = "word ".repeat(100);
    let capped = clean_query(&long);
    assert!(capped.chars().count() <= MAX_REWRITE_CHARS);
    assert!(capped.ends_with("word"), "{capped:?}");
    let unbroken = "x".repeat(1000);
    assert_eq!(clean_query(&unbroken).chars().count(), MAX_REWRITE_CHARS);
    assert_eq!(
        clean_query(&"é".repeat(400)).chars().count(),
        MAX_REWRITE_CHARS
    );
}
