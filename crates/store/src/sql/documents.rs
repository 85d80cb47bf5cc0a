//! Kept documents (reports, exports): save and read. They are deleted with their profile
//! (see `orgs::remove_profiles`).

use super::codec::stored_id;
use super::{profile_guard, Backend, Row, Tx};
use crate::documents::{NewDocument, StoredDocument};
use crate::error::{Result, StoreError};
use crate::ids::{DocumentId, OrgId, ProfileId};
use crate::time::{from_micros, to_micros};
use crate::validate;

const COLS: &str =
    "id, org_id, profile_id, kind, media_type, title, created_at_us, created_by, content";

fn decode(r: &Row) -> Result<StoredDocument> {
    Ok(StoredDocument {
        id: stored_id::<DocumentId>(r.text(0)?)?,
        org_id: r.opt_text(1)?.map(stored_id::<OrgId>).transpose()?,
        profile_id: r.opt_text(2)?.map(stored_id::<ProfileId>).transpose()?,
        kind: r.text(3)?.to_owned(),
        media_type: r.text(4)?.to_owned(),
        title: r.text(5)?.to_owned(),
        created_at: from_micros(r.int(6)?)?,
        created_by: r.text(7)?.to_owned(),
        content: r.text(8)?.to_owned(),
    })
}

fn load(tx: &mut dyn Tx, id: &DocumentId) -> Result<StoredDocument> {
    let sql = format!("SELECT {COLS} FROM documents WHERE id = ?1");
    match tx.query(&sql, &[id.as_str().into()])?.first() {
        Some(row) => decode(row),
        None => Err(StoreError::NotFound {
            kind: "document",
            id: id.to_string(),
        }),
    }
}

pub(crate) fn save<B: Backend>(b: &B, doc: &NewDocument, by: &str) -> Result<StoredDocument> {
    validate::new_document(doc)?;
    validate::principal(by)?;
    let id = DocumentId::generate();
    b.write(&mut |tx| {
        if let Some(p) = &doc.profile_id {
            // Locked so a concurrent delete of the profile cannot leave the document behind.
            profile_guard::load(tx, p, B::FOR_UPDATE)?;
        }
        let now = to_micros(&tx.now()?);
        tx.execute(
            &format!("INSERT INTO documents ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
            &[
                id.as_str().into(),
                doc.org_id.as_ref().map(|o| o.as_str()).into(),
                doc.profile_id.as_ref().map(|p| p.as_str()).into(),
                doc.kind.as_str().into(),
                doc.media_type.as_str().into(),
                doc.title.as_str().into(),
                now.into(),
                by.into(),
                doc.content.as_str().into(),
            ],
        )?;
        load(tx, &id)
    })
}

pub(crate) fn get<B: Backend>(b: &B, id: &DocumentId) -> Result<StoredDocument> {
    b.read(&mut |tx| load(tx, id))
}
