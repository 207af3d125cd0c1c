//! Hostile input to the sync decoder and the validators behind it (issue 8): random bytes, and valid push
//! requests mutated at random (bytes replaced, cut short, fragments spliced in, values swapped for other
//! JSON). Decoding either fails with an error or yields entries, and every decoded entry's validation
//! answers Ok or a validation error: nothing panics. Bounded (a fixed number of cases) so it runs in the
//! test command; `PROPTEST_CASES` raises it for a longer run.

use super::*;
use proptest::prelude::*;

/// A push of a resident, a follow-up and a service record, as a device sends it.
fn valid_push() -> String {
    let resident = crate::resident::tests::sample();
    let visit = crate::visit::chronic::tests::sample();
    let body = crate::record::RecordBody::Education(Box::new(crate::education::tests::lecture()));
    let (record, _) = crate::record::tests::record(body, None);
    let entries = vec![
        PushEntry { id: Uuid::now_v7(), created_at: 1, body: EntryBody::Resident(Box::new(resident)) },
        PushEntry { id: Uuid::now_v7(), created_at: 2, body: EntryBody::ChronicVisit(Box::new(visit)) },
        PushEntry { id: Uuid::now_v7(), created_at: 3, body: EntryBody::Record(Box::new(record)) },
    ];
    serde_json::to_string(&PushRequest { protocol: PROTOCOL, device_id: "fuzz".into(), entries }).unwrap()
}

/// Runs every validator an entry meets on the server; only panics matter here.
fn validate_all(req: &PushRequest) {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    for e in &req.entries {
        match &e.body {
            EntryBody::Resident(r) => {
                let _ = r.validate(today);
            }
            EntryBody::ChronicVisit(v) => {
                let ctx = crate::visit::chronic::ChronicContext {
                    age: 60,
                    birth_date: None,
                    previous_classification: Some(2),
                };
                let rules = crate::visit::chronic::ChronicRules::default();
                let _ = crate::visit::chronic::validate(v, &ctx, &rules, today);
                let _ = crate::visit::chronic::urgent_reasons(v, &rules);
            }
            EntryBody::Record(r) => {
                let _ = r.validate(&crate::record::RecordContext::new(today.and_hms_opt(12, 0, 0).unwrap(), None));
            }
            EntryBody::Attachment(a) => {
                let _ = a.validate();
            }
        }
    }
}

/// Replacement values for a mutated field: every JSON type, huge and hostile ones.
fn hostile_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("null".to_string()),
        Just("-1".to_string()),
        Just("1e308".to_string()),
        Just("18446744073709551616".to_string()),
        Just("\"'; DROP TABLE residents; --\"".to_string()),
        Just("\"<script>alert(1)</script>\"".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("true".to_string()),
        Just(format!("\"{}\"", "长".repeat(5_000))),
        "\"[^\"\\\\]{0,40}\"",
        any::<i64>().prop_map(|n| n.to_string()),
    ]
}

/// 5,000 cases each in the test command (under a second); `PROPTEST_CASES` sets more for a longer run.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(5_000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn random_bytes_never_panic_the_decoder(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(req) = serde_json::from_slice::<PushRequest>(&bytes) {
            validate_all(&req);
        }
        let _ = serde_json::from_slice::<PullRequest>(&bytes);
    }

    #[test]
    fn mutated_pushes_decode_or_fail_cleanly_and_validate_without_panic(
        cuts in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
        truncate in proptest::option::of(any::<prop::sample::Index>()),
        swap in proptest::option::of((any::<prop::sample::Index>(), hostile_value())),
    ) {
        let text = valid_push();
        let mut bytes = text.clone().into_bytes();
        for (at, b) in &cuts {
            let i = at.index(bytes.len());
            bytes[i] = *b;
        }
        if let Some(at) = truncate {
            bytes.truncate(at.index(bytes.len() + 1));
        }
        if let Ok(req) = serde_json::from_slice::<PushRequest>(&bytes) {
            validate_all(&req);
        }
        // A value replaced whole: after a `":` of the valid text, up to the next `,` or `}`.
        if let Some((at, value)) = swap {
            let starts: Vec<usize> = text.match_indices("\":").map(|(i, _)| i + 2).collect();
            let start = starts[at.index(starts.len())];
            let end = text[start..].find([',', '}']).map_or(text.len(), |e| start + e);
            let spliced = format!("{}{}{}", &text[..start], value, &text[end..]);
            if let Ok(req) = serde_json::from_str::<PushRequest>(&spliced) {
                validate_all(&req);
            }
        }
    }

    #[test]
    fn any_text_as_an_id_number_is_answered_without_panic(s in "\\PC{0,40}") {
        let _ = crate::resident::id_number::IdNumber::parse(&s, chrono::NaiveDate::MAX);
    }
}
