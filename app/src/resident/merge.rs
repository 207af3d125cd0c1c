//! Field-level merge of two concurrent edits of one resident record (both made from the same base version).
//!
//! The rule is deterministic: a field changed on one side only takes that side's value; a field changed on
//! both sides to different values keeps the value already stored (the edit that reached the server first)
//! and is reported as a conflict, so the township manager can review it. Identity and bookkeeping fields
//! (`id`, `base_version`, `device_id`) are not merged.

use super::ResidentInput;
use serde_json::{Map, Value};

const NOT_MERGED: [&str; 3] = ["id", "base_version", "device_id"];

/// The merge result and the fields where both sides disagreed.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub input: ResidentInput,
    pub conflicts: Vec<String>,
}

fn fields(r: &ResidentInput) -> Map<String, Value> {
    match serde_json::to_value(r) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// Merges `incoming` into `stored`, both edited from `base`.
pub fn merge(base: &ResidentInput, stored: &ResidentInput, incoming: &ResidentInput) -> Merged {
    let (b, s, i) = (fields(base), fields(stored), fields(incoming));
    let mut out = s.clone();
    let mut conflicts = Vec::new();
    for (key, theirs) in &i {
        if NOT_MERGED.contains(&key.as_str()) {
            continue;
        }
        let base_v = b.get(key);
        let ours = s.get(key);
        let they_changed = base_v != Some(theirs);
        let we_changed = base_v != ours;
        if they_changed && !we_changed {
            out.insert(key.clone(), theirs.clone());
        } else if they_changed && we_changed && ours != Some(theirs) {
            conflicts.push(key.clone());
        }
    }
    let mut input: ResidentInput = serde_json::from_value(Value::Object(out)).unwrap_or_else(|_| stored.clone());
    input.id = stored.id;
    input.device_id = incoming.device_id.clone();
    Merged { input, conflicts }
}

/// Whether two versions hold the same record content (bookkeeping fields aside).
pub fn same_content(a: &ResidentInput, b: &ResidentInput) -> bool {
    let (mut x, mut y) = (fields(a), fields(b));
    for k in NOT_MERGED {
        x.remove(k);
        y.remove(k);
    }
    x == y
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resident::tests::sample;

    #[test]
    fn edits_of_different_fields_both_apply() {
        let base = sample();
        let stored = ResidentInput { phone: Some("13900000000".into()), ..base.clone() };
        let incoming = ResidentInput { address: "二组9号".into(), ..base.clone() };
        let m = merge(&base, &stored, &incoming);
        assert_eq!(m.input.phone.as_deref(), Some("13900000000"));
        assert_eq!(m.input.address, "二组9号");
        assert!(m.conflicts.is_empty());
    }

    #[test]
    fn the_same_field_changed_on_both_sides_keeps_the_stored_value_and_is_reported() {
        let base = sample();
        let stored = ResidentInput { name: "张伟民".into(), ..base.clone() };
        let incoming = ResidentInput { name: "张卫".into(), education: 6, ..base.clone() };
        let m = merge(&base, &stored, &incoming);
        assert_eq!(m.input.name, "张伟民");
        assert_eq!(m.input.education, 6);
        assert_eq!(m.conflicts, vec!["name".to_string()]);
        // Deterministic: merging again gives the same result.
        assert_eq!(merge(&base, &stored, &incoming), m);
    }

    #[test]
    fn the_same_change_on_both_sides_is_no_conflict() {
        let base = sample();
        let both = ResidentInput { status: 2, ..base.clone() };
        let m = merge(&base, &both, &both);
        assert_eq!(m.input.status, 2);
        assert!(m.conflicts.is_empty());
    }
}
