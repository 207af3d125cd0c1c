use super::*;
use crate::record::tests::{fields_of, record, today};
use crate::record::RecordBody;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A stable patient seen at home: risk 0, full insight, everything good.
pub fn stable() -> SmiVisitInput {
    SmiVisitInput {
        outcome: 1,
        mode: Some(2),
        informant: Some(2),
        risk: Some(0),
        insight: Some(1),
        sleep: Some(1),
        diet: Some(1),
        social: [Some(1); 5],
        confinement: Some(1),
        hospital: Some(1),
        adherence: Some(1),
        adr: Some(1),
        effect: Some(2),
        meds: vec![Medication { name: "利培酮".into(), times_per_day: 2, dose: "1mg".into() }],
        class: Some(STABLE),
        next_visit_date: Some(d(2027, 2, 20)),
        ..Default::default()
    }
}

fn fields(v: SmiVisitInput) -> Vec<String> {
    fields_of(&record(RecordBody::SmiVisit(Box::new(v)), None))
}

#[test]
fn the_class_follows_risk_insight_and_functioning() {
    type Case = (&'static str, fn(&mut SmiVisitInput), u8);
    let cases: &[Case] = &[
        ("all good", |_| {}, STABLE),
        ("risk 1", |v| v.risk = Some(1), BASICALLY_STABLE),
        ("risk 2", |v| v.risk = Some(2), BASICALLY_STABLE),
        ("risk 3", |v| v.risk = Some(3), UNSTABLE),
        ("risk 5", |v| v.risk = Some(5), UNSTABLE),
        ("partial insight", |v| v.insight = Some(2), BASICALLY_STABLE),
        ("no insight", |v| v.insight = Some(INSIGHT_NONE), UNSTABLE),
        ("poor sleep", |v| v.sleep = Some(POOR), BASICALLY_STABLE),
        ("poor diet", |v| v.diet = Some(POOR), BASICALLY_STABLE),
        ("fair sleep", |v| v.sleep = Some(2), STABLE),
        ("poor social contact", |v| v.social[4] = Some(POOR), BASICALLY_STABLE),
        ("a symptom", |v| v.symptoms = vec![1], BASICALLY_STABLE),
        ("an adverse reaction", |v| v.adr = Some(2), BASICALLY_STABLE),
        (
            "a reaction and worse",
            |v| {
                v.adr = Some(2);
                v.effect = Some(EFFECT_WORSE);
            },
            UNSTABLE,
        ),
    ];
    for (name, change, class) in cases {
        let mut v = stable();
        change(&mut v);
        assert_eq!(v.suggested_class(), Some(*class), "{name}");
    }
    assert_eq!(SmiVisitInput { risk: None, ..stable() }.suggested_class(), None);
}

#[test]
fn next_visits_per_class() {
    let day = d(2026, 11, 20);
    assert_eq!(next_visit(UNSTABLE, day), d(2026, 12, 4));
    assert_eq!(next_visit(BASICALLY_STABLE, day), d(2026, 12, 4));
    assert_eq!(next_visit(STABLE, day), d(2027, 2, 20));
    assert_eq!(next_visit(STABLE, d(2026, 11, 30)), d(2027, 2, 28));
}

#[test]
fn a_stable_visit_is_valid_and_each_rule_names_its_field() {
    assert_eq!(fields(stable()), Vec::<String>::new());
    type Case = (&'static str, fn(&mut SmiVisitInput));
    let cases: &[Case] = &[
        ("risk", |v| v.risk = None),
        ("risk", |v| v.risk = Some(6)),
        ("informant", |v| v.informant = None),
        ("insight", |v| v.insight = Some(4)),
        ("social", |v| v.social[2] = None),
        ("harmful", |v| v.harmful = vec![HarmfulAct { kind: 5, count: 0 }]),
        ("harmful", |v| v.harmful = vec![HarmfulAct { kind: 7, count: 1 }]),
        ("last_discharge", |v| v.hospital = Some(HOSPITAL_BEFORE)),
        ("adr_text", |v| v.adr = Some(2)),
        ("class", |v| v.class = None),
        ("next_visit_date", |v| v.next_visit_date = None),
        ("next_visit_date", |v| v.next_visit_date = Some(today())),
        // Basically stable is seen again within two weeks, not in three months.
        ("next_visit_date", |v| v.class = Some(BASICALLY_STABLE)),
        ("meds", |v| v.meds[0].dose.clear()),
    ];
    for (field, change) in cases {
        let mut v = stable();
        change(&mut v);
        assert_eq!(fields(v.clone()), [*field], "{field}: {v:?}");
    }
}

#[test]
fn an_unstable_patient_must_be_referred() {
    let mut v = stable();
    v.risk = Some(3);
    v.class = Some(UNSTABLE);
    v.next_visit_date = Some(today() + Duration::days(14));
    assert!(v.must_refer());
    assert_eq!(fields(v.clone()), ["referral"]);
    v.referral =
        Some(Referral {
            reason: "危险性3级".into(), institution: "县精神卫生中心".into(), ..Default::default()
        });
    assert!(fields(v).is_empty());
    // Risk 3 with a milder class chosen: still a referral, and a warning about the class.
    let mut mild = stable();
    mild.risk = Some(3);
    assert!(mild.must_refer());
    assert!(mild.class_warning().is_some());
    assert!(stable().class_warning().is_none());
}

#[test]
fn lost_and_deceased_need_their_reasons_only() {
    let lost = SmiVisitInput { outcome: 2, ..Default::default() };
    assert_eq!(fields(lost), ["lost_reason"]);
    let died = SmiVisitInput { outcome: 3, death_date: today().succ_opt(), ..Default::default() };
    assert_eq!(fields(died), ["death_date", "death_cause"]);
}
