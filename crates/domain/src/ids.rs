//! Deterministic identifiers: the same inputs always give the same UUID (name-based, v5).

use uuid::Uuid;

/// This crate's UUID namespace (a fixed random v4 UUID, so our v5 ids never collide with
/// another tool's).
const NAMESPACE: Uuid = Uuid::from_u128(0x6f1c_2a4e_8b3d_4c7a_9e51_0d2b_7f48_a913);

/// A v5 UUID of `kind` and `key`.
pub fn stable_uuid(kind: &str, key: &str) -> String {
    Uuid::new_v5(&NAMESPACE, format!("{kind}\u{1f}{key}").as_bytes()).to_string()
}
