use super::attachment::{decoded_len, AttachmentInput, MAX_PHOTO_BYTES};
use super::*;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

/// A record of `body` dated today, for a resident when the kind needs one.
pub fn record(body: RecordBody, birth: Option<NaiveDate>) -> (RecordInput, RecordContext) {
    let resident_id = body.kind().needs_resident().then(Uuid::now_v7);
    let r = RecordInput {
        id: Uuid::now_v7(),
        record_id: Uuid::now_v7(),
        village_id: "v1".into(),
        resident_id,
        date: today(),
        body,
        signature: None,
    };
    (r, RecordContext::new(today().and_hms_opt(12, 0, 0).unwrap(), birth))
}

/// The invalid fields of a record, in order.
pub fn fields_of((r, ctx): &(RecordInput, RecordContext)) -> Vec<String> {
    match r.validate(ctx) {
        Ok(()) => vec![],
        Err(AppError::Validation { fields }) => fields.into_iter().map(|f| f.field).collect(),
        Err(e) => panic!("unexpected {e:?}"),
    }
}

#[test]
fn the_envelope_is_checked_for_every_kind() {
    let edu = RecordBody::Education(Box::new(crate::education::tests::lecture()));
    let mut r = record(edu.clone(), None);
    r.0.date = today().succ_opt().unwrap();
    assert_eq!(fields_of(&r), ["date"]);
    let mut r = record(edu, None);
    r.0.resident_id = Some(Uuid::now_v7());
    r.0.village_id = String::new();
    assert_eq!(fields_of(&r), ["village_id", "resident_id"]);
    let mut r = record(RecordBody::Contract(crate::contract::tests::basic()), None);
    r.0.resident_id = None;
    assert_eq!(fields_of(&r), ["resident_id"]);
    // A service before the resident was born.
    let r = record(RecordBody::Contract(crate::contract::tests::basic()), today().succ_opt());
    assert_eq!(fields_of(&r), ["date"]);
    let mut r = record(RecordBody::Contract(crate::contract::tests::basic()), None);
    r.0.signature = Some("M10 10 L20 20".into());
    assert!(fields_of(&r).is_empty());
    r.0.signature = Some("<script>".into());
    assert_eq!(fields_of(&r), ["signature"]);
}

#[test]
fn records_read_back_what_they_write() {
    let (r, _) = record(RecordBody::Dose(crate::vaccination::tests::dose("HepB", 1)), None);
    let json = serde_json::to_string(&r).unwrap();
    assert!(json.contains(r#""body":{"type":"dose","vaccine":"HepB""#), "{json}");
    assert_eq!(serde_json::from_str::<RecordInput>(&json).unwrap(), r);
    for k in RecordKind::ALL {
        assert_eq!(RecordKind::from_code(k.code()), Some(k));
    }
}

fn photo(data: String) -> AttachmentInput {
    AttachmentInput {
        id: Uuid::now_v7(),
        record_id: Uuid::now_v7(),
        village_id: "v1".into(),
        kind: 1,
        mime: "image/jpeg".into(),
        data,
    }
}

fn photo_fields(a: &AttachmentInput) -> Vec<String> {
    match a.validate() {
        Ok(()) => vec![],
        Err(AppError::Validation { fields }) => fields.into_iter().map(|f| f.field).collect(),
        Err(e) => panic!("{e:?}"),
    }
}

#[test]
fn photos_are_checked_for_type_and_size() {
    assert_eq!(decoded_len("/9j/4A=="), Some(4));
    assert_eq!(decoded_len("abc"), None);
    assert_eq!(decoded_len("ab=c"), None);
    assert_eq!(decoded_len("a b="), None);
    assert!(photo_fields(&photo("/9j/4A==".into())).is_empty());
    // Exactly the limit passes; one byte more is refused with both sizes in the message.
    let at_limit = "A".repeat(MAX_PHOTO_BYTES / 3 * 4) + "AAA=";
    assert_eq!(decoded_len(&at_limit), Some(MAX_PHOTO_BYTES));
    assert!(photo_fields(&photo(at_limit)).is_empty());
    let big = photo("A".repeat((MAX_PHOTO_BYTES + 3) / 3 * 4));
    let Err(AppError::Validation { fields }) = big.validate() else { panic!() };
    assert_eq!(fields[0].field, "data");
    assert!(fields[0].zh.contains("照片过大") && fields[0].zh.contains("512 KB"), "{}", fields[0].zh);
    let mut a = photo(String::new());
    a.mime = "application/pdf".into();
    a.kind = 7;
    assert_eq!(photo_fields(&a), ["kind", "mime", "data"]);
    assert!(attachment::looks_like("image/jpeg", &[0xFF, 0xD8, 0xFF, 0xE0]));
    assert!(!attachment::looks_like("image/png", &[0xFF, 0xD8, 0xFF, 0xE0]));
}
