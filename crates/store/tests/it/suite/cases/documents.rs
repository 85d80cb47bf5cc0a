//! Kept documents: saved and read back byte for byte (beyond any tool-result ceiling), input
//! errors name the field, unknown ids are not found, and documents go with their profile.

use crate::suite::prelude::*;
use csf_store::{DocumentId, NewDocument};

fn new_doc(o: &csf_store::Organization, p: &csf_store::Profile, content: String) -> NewDocument {
    NewDocument {
        org_id: Some(o.id.clone()),
        profile_id: Some(p.id.clone()),
        kind: "executive report".into(),
        media_type: "text/html".into(),
        title: "Invented board pack".into(),
        content,
    }
}

pub fn documents_are_kept_and_read_back(c: &Ctx) {
    let s = c.s();
    let o = org(s, "Doc Co");
    let p = profile(s, &o, ProfileKind::Current);
    // 300,000 bytes: larger than a tool result carries inline.
    let content = format!("<p>{}</p>é", "x".repeat(300_000));
    let kept = s
        .save_document(&new_doc(&o, &p, content.clone()), "alice")
        .unwrap();
    assert!(kept.id.as_str().starts_with("doc_"));
    let back = s.get_document(&kept.id).unwrap();
    assert_eq!(back, kept);
    assert_eq!(back.content, content);
    assert_eq!(back.media_type, "text/html");
    assert_eq!(back.created_by, "alice");
    assert_eq!(back.profile_id.as_ref(), Some(&p.id));

    let mut bad = new_doc(&o, &p, String::new());
    bad.media_type = " ".into();
    assert_eq!(
        invalid_field(s.save_document(&bad, "alice").unwrap_err()),
        "media_type"
    );
    let unknown = DocumentId::generate();
    assert!(matches!(
        s.get_document(&unknown).unwrap_err(),
        StoreError::NotFound {
            kind: "document",
            ..
        }
    ));
    let gone = profile(s, &o, ProfileKind::Target);
    let other = s
        .save_document(&new_doc(&o, &gone, "y".into()), "bob")
        .unwrap();
    s.delete_profile(&gone.id).unwrap();
    assert!(matches!(
        s.get_document(&other.id).unwrap_err(),
        StoreError::NotFound {
            kind: "document",
            ..
        }
    ));
    // A document of a profile that does not exist is refused.
    assert!(matches!(
        s.save_document(&new_doc(&o, &gone, "z".into()), "bob")
            .unwrap_err(),
        StoreError::NotFound {
            kind: "profile",
            ..
        }
    ));
    // The first profile's document is untouched.
    assert_eq!(s.get_document(&kept.id).unwrap().content, content);
}
