use super::calendar::{self, near};
use super::*;
use crate::record::tests::{fields_of, record};
use crate::record::RecordBody;
use chrono::NaiveDate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn lecture() -> EducationInput {
    EducationInput {
        start_time: "09:00".into(),
        end_time: "10:30".into(),
        place: "村卫生室".into(),
        forms: vec![FORM_LECTURE, 4],
        theme: "高血压防治".into(),
        health_day: Some("hypertension-national".into()),
        organizer: "李医生".into(),
        audience: vec![3, 8],
        audience_count: Some(32),
        materials: vec![Material { kind: "高血压防治折页".into(), count: 40 }],
        content: "高血压的危害、限盐和规律服药".into(),
        evaluation: String::new(),
        five_in: Some(FIVE_IN_VILLAGE),
        archive: vec![2, 5],
        participants: vec![],
        photos: vec![],
    }
}

fn errors_of(e: EducationInput) -> Vec<String> {
    fields_of(&record(RecordBody::Education(Box::new(e)), None))
}

#[test]
fn a_complete_lecture_is_valid() {
    assert_eq!(errors_of(lecture()), Vec::<String>::new());
}

#[test]
fn each_rule_names_its_field() {
    type Case = (&'static str, fn(&mut EducationInput));
    let cases: &[Case] = &[
        ("start_time", |e| e.start_time = "9点".into()),
        ("end_time", |e| e.end_time = "08:00".into()),
        ("end_time", |e| e.end_time = "24:00".into()),
        ("place", |e| e.place = " ".into()),
        ("forms", |e| e.forms.clear()),
        ("forms", |e| e.forms = vec![8]),
        ("forms", |e| e.forms = vec![1, 1]),
        ("theme", |e| e.theme.clear()),
        ("health_day", |e| e.health_day = Some("no-such-day".into())),
        ("organizer", |e| e.organizer.clear()),
        ("audience", |e| e.audience.clear()),
        ("audience_count", |e| e.audience_count = None),
        ("audience_count", |e| e.audience_count = Some(0)),
        ("audience_count", |e| e.audience_count = Some(MAX_AUDIENCE + 1)),
        ("audience_count", |e| {
            e.audience_count = Some(1);
            e.participants = vec![Uuid::now_v7(), Uuid::now_v7()];
        }),
        ("materials", |e| e.materials[0].count = 0),
        ("materials", |e| e.materials[0].kind.clear()),
        ("content", |e| e.content.clear()),
        ("content", |e| e.content = "字".repeat(2001)),
        ("five_in", |e| e.five_in = None),
        ("five_in", |e| e.five_in = Some(6)),
        ("archive", |e| e.archive = vec![7]),
        ("photos", |e| e.photos = vec![PhotoRef { id: Uuid::now_v7(), kind: 4 }]),
    ];
    for (field, change) in cases {
        let mut e = lecture();
        change(&mut e);
        assert_eq!(errors_of(e.clone()), vec![field.to_string()], "{field}: {e:?}");
    }
}

#[test]
fn a_bulletin_board_update_needs_no_head_count() {
    let mut e = lecture();
    e.forms = vec![3];
    e.audience_count = None;
    assert!(errors_of(e).is_empty());
}

#[test]
fn health_days_fall_on_their_dates() {
    let span = |code: &str, y| calendar::by_code(code).unwrap().span(y).unwrap();
    // Last Sunday of January 2026 is the 25th; the third Wednesday of November 2026 the 18th.
    assert_eq!(span("leprosy", 2026), (d(2026, 1, 25), d(2026, 1, 25)));
    assert_eq!(span("copd", 2026), (d(2026, 11, 18), d(2026, 11, 18)));
    assert_eq!(span("patriotic-health", 2026), (d(2026, 4, 1), d(2026, 4, 30)));
    assert_eq!(span("cancer-week", 2026), (d(2026, 4, 15), d(2026, 4, 21)));
    // Nearest first; a month-long theme covers its days.
    let names: Vec<&str> = near(d(2026, 11, 12), 7).iter().map(|h| h.code).collect();
    assert_eq!(names, ["diabetes", "copd"]);
    assert_eq!(near(d(2026, 9, 20), 0).iter().map(|h| h.code).collect::<Vec<_>>(), ["basic-phs-month", "teeth"]);
    // Across the new year: the last Sunday of January 2027 is the 31st.
    assert!(near(d(2026, 12, 30), 35).iter().any(|h| h.code == "leprosy"));
}

#[test]
fn times_read_as_minutes() {
    assert_eq!(minutes("09:05"), Some(545));
    assert_eq!(minutes("23:59"), Some(1439));
    for bad in ["9:05", "24:00", "12:60", "ab:cd", ""] {
        assert_eq!(minutes(bad), None, "{bad}");
    }
}
