//! What a client is told when something fails on the server's side: a generic message that
//! says whether a retry can help, while the details (a database path with a tenant's name, a
//! PostgreSQL login failure naming the user, a panic message) go to the server log only.
//! Errors the caller can act on (not found, conflict, invalid value) keep their own message.

use csf_store::StoreError;

/// The message a client gets for `e`; a backend failure is logged here with its details.
pub fn store_message(e: &StoreError) -> String {
    match e {
        StoreError::Backend { transient, .. } => {
            tracing::error!(error = %e, "store operation failed");
            if *transient {
                "the database is busy or unreachable; this is temporary, retry shortly".into()
            } else {
                "the server's database failed; the details are in the server log".into()
            }
        }
        other => other.to_string(),
    }
}

/// The message a client gets when a blocking task died (a panic); logged here.
pub fn task_message(e: &tokio::task::JoinError) -> String {
    tracing::error!(error = %e, "a store task did not complete");
    "the server failed while handling this request; the details are in the server log".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_details_stay_in_the_log() {
        let secret = StoreError::Backend {
            message: "cannot open SQLite database /srv/tenant-acme/csf.db: unable to open".into(),
            transient: false,
        };
        let shown = store_message(&secret);
        assert!(
            !shown.contains("acme") && !shown.contains("/srv"),
            "{shown}"
        );
        let busy = StoreError::Backend {
            message: "password authentication failed for user \"csf_acme\"".into(),
            transient: true,
        };
        let shown = store_message(&busy);
        assert!(
            shown.contains("retry") && !shown.contains("csf_acme"),
            "{shown}"
        );
    }

    #[test]
    fn errors_the_caller_can_fix_keep_their_message() {
        let invalid = StoreError::invalid("entries[3].notes", "over 4000 characters");
        assert_eq!(store_message(&invalid), invalid.to_string());
        let missing = StoreError::NotFound {
            kind: "profile",
            id: "p-1".into(),
        };
        assert_eq!(store_message(&missing), missing.to_string());
    }
}
