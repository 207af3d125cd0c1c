//! Table-driven tests of the resident form rules.

use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

/// A stored resident with every field filled, for tests of what holds residents.
pub(crate) fn stored(id: Uuid, name: &str, village_id: &str) -> Resident {
    Resident {
        id,
        record_no: String::new(),
        village_id: village_id.into(),
        village_name: String::new(),
        household_id: String::new(),
        household_head: String::new(),
        relation: 1,
        name: name.into(),
        sex: Sex::Female,
        birth_date: chrono::NaiveDate::MIN,
        id_no: None,
        phone: None,
        address: String::new(),
        residence_type: 1,
        ethnicity: 1,
        blood_abo: 5,
        education: 10,
        occupation: 8,
        marital: 5,
        payment: vec![],
        status: 1,
        flags: vec![],
        version: 1,
        created_at: String::new(),
        created_by_name: String::new(),
        updated_at: String::new(),
    }
}

pub(crate) fn sample() -> ResidentInput {
    ResidentInput {
        id: Uuid::nil(),
        base_version: None,
        village_id: "v1".into(),
        household_id: None,
        relation: 1,
        name: "张伟".into(),
        id_no: Some("110101198001010010".into()),
        sex: None,
        birth_date: None,
        phone: Some("13800138000".into()),
        address: "一组12号".into(),
        residence_type: 1,
        ethnicity: 1,
        blood_abo: 5,
        education: 7,
        occupation: 4,
        marital: 2,
        payment: vec![2],
        status: 1,
        flags: vec![KeyFlag::Htn],
        device_id: "test".into(),
    }
}

fn fields_of(r: Result<ValidResident, AppError>) -> Vec<String> {
    match r {
        Ok(_) => vec![],
        Err(AppError::Validation { fields }) => fields.into_iter().map(|f| f.field).collect(),
        Err(other) => panic!("unexpected {other:?}"),
    }
}

#[test]
fn a_valid_record_derives_birth_date_and_sex_from_the_id_number() {
    let v = sample().validate(today()).unwrap();
    assert_eq!(v.sex, Sex::Male);
    assert_eq!(v.birth_date, NaiveDate::from_ymd_opt(1980, 1, 1).unwrap());
}

#[test]
fn each_invalid_field_is_named() {
    type Edit = fn(&mut ResidentInput);
    let cases: Vec<(&str, Edit)> = vec![
        ("name", |r| r.name = "  ".into()),
        ("name", |r| r.name = "张".repeat(51)),
        ("id_no", |r| r.id_no = Some("110101198001010011".into())),
        ("id_no", |r| r.id_no = Some("110101199002300014".into())),
        ("sex", |r| r.sex = Some(2)),
        ("birth_date", |r| r.birth_date = NaiveDate::from_ymd_opt(1980, 1, 2)),
        ("phone", |r| r.phone = Some("12345".into())),
        ("relation", |r| r.relation = 99),
        ("education", |r| r.education = 42),
        ("payment", |r| r.payment = vec![77]),
        ("flags", |r| r.flags = vec![KeyFlag::Elderly65]),
        ("address", |r| r.address = "x".repeat(1_000_000)),
        ("village_id", |r| r.village_id = "".into()),
    ];
    for (field, edit) in cases {
        let mut r = sample();
        edit(&mut r);
        assert_eq!(fields_of(r.validate(today())), vec![field.to_string()], "{field}");
    }
}

#[test]
fn without_an_id_number_sex_and_birth_date_are_required() {
    let mut r = sample();
    r.id_no = None;
    assert_eq!(fields_of(r.validate(today())), vec!["sex", "birth_date"]);
    r.sex = Some(2);
    r.birth_date = NaiveDate::from_ymd_opt(2026, 1, 5);
    let v = r.validate(today()).unwrap();
    assert_eq!(v.sex, Sex::Female);
}

#[test]
fn a_future_birth_date_is_refused_for_an_infant_without_id() {
    let mut r = sample();
    r.id_no = Some("".into());
    r.sex = Some(1);
    r.birth_date = NaiveDate::from_ymd_opt(2027, 1, 1);
    assert_eq!(fields_of(r.validate(today())), vec!["birth_date"]);
}

#[test]
fn matching_sex_and_birth_date_are_accepted() {
    let mut r = sample();
    r.sex = Some(1);
    r.birth_date = NaiveDate::from_ymd_opt(1980, 1, 1);
    assert!(r.validate(today()).is_ok());
}

#[test]
fn phones_accept_mobile_and_landline() {
    assert!(is_phone("13912345678"));
    assert!(is_phone("0311-12345678"));
    assert!(!is_phone("12912345678"));
    assert!(!is_phone("1391234567a"));
}

#[test]
fn age_groups_follow_the_assessment_year_and_age_under_seven() {
    let t = today();
    assert_eq!(age_groups(NaiveDate::from_ymd_opt(1961, 12, 31).unwrap(), t), vec![KeyFlag::Elderly65]);
    assert_eq!(age_groups(NaiveDate::from_ymd_opt(1962, 1, 1).unwrap(), t), vec![]);
    assert_eq!(age_groups(NaiveDate::from_ymd_opt(2019, 11, 23).unwrap(), t), vec![KeyFlag::Child0To6]);
    assert_eq!(age_groups(NaiveDate::from_ymd_opt(2019, 11, 22).unwrap(), t), vec![]);
}

#[test]
fn flag_codes_and_wire_names_agree() {
    for f in KeyFlag::ALL {
        assert_eq!(serde_json::to_value(f).unwrap(), serde_json::json!(f.code()));
        assert_eq!(KeyFlag::from_code(f.code()), Some(f));
    }
}
