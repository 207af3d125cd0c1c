use super::*;
use chrono::NaiveDate;

fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap().and_hms_opt(h, m, 0).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A valid card: an adult farmer with confirmed bacillary dysentery, diagnosed 20 Nov 09:30.
pub(crate) fn sample(disease: &str) -> DiseaseReportInput {
    DiseaseReportInput {
        card_type: 1,
        patient_name: "王秀英".into(),
        parent_name: String::new(),
        id_no: String::new(),
        sex: 2,
        birth_date: day(1970, 3, 8),
        work_unit: String::new(),
        phone: "13800138000".into(),
        patient_from: 1,
        address: "青山村3组12号".into(),
        occupation: 11,
        case_class: 3,
        course: None,
        onset_date: day(2026, 11, 18),
        diagnosed_at: at(20, 9, 30),
        death_date: None,
        disease: disease.into(),
        outbreak: false,
        phoned_at: None,
        filled_at: at(20, 9, 50),
        note: String::new(),
    }
}

fn fields(r: &DiseaseReportInput, now: NaiveDateTime) -> Vec<String> {
    let mut c = Check::default();
    r.check(&mut c, &Catalogue::default(), now);
    c.0.into_iter().map(|f| f.field).collect()
}

#[test]
fn the_shipped_catalogue_parses_with_its_classes_and_two_hour_diseases() {
    let cat = Catalogue::default();
    assert_eq!(cat.diseases.len(), 60);
    let two: Vec<&str> = cat.diseases.iter().filter(|d| d.two_hours).map(|d| d.code.as_str()).collect();
    assert_eq!(two, ["plague", "cholera", "sars", "anthrax_pulmonary"]);
    let count = |class| cat.diseases.iter().filter(|d| d.class == class).count();
    assert_eq!((count(DiseaseClass::A), count(DiseaseClass::C)), (2, 11));
    assert_eq!(cat.get("hfmd").unwrap().en, "Hand, foot and mouth disease", "a comma in the last column");
    let course: Vec<&str> = cat.diseases.iter().filter(|d| d.acute_chronic).map(|d| d.code.as_str()).collect();
    assert_eq!(course, ["hepatitis_b", "hepatitis_c", "schistosomiasis"]);
}

#[test]
fn an_edited_catalogue_is_refused_whole_with_the_line_named() {
    let cases = [
        ("x,A,1,0,甲", "line 1: expected"),
        ("X,B,0,0,病,Dis", "line 1: the code must be"),
        ("a,B,0,0,病,Dis\na,C,0,0,病,Dis", "line 2: code listed twice"),
        ("a,D,0,0,病,Dis", "the class must be A, B or C"),
        ("a,B,2,0,病,Dis", "flags must be 0 or 1"),
        ("a,A,0,0,病,Dis", "a class A disease is reported within 2 hours"),
        ("a,B,0,0,,Dis", "both names are required"),
        ("# only a comment", "the disease list is empty"),
    ];
    for (text, expected) in cases {
        let err = Catalogue::parse(text).unwrap_err();
        assert!(err.contains(expected), "{text:?}: {err}");
    }
    let added = Catalogue::parse("# new\nnew_disease,B,0,0,新病,New disease\n").unwrap();
    assert_eq!(added.get("new_disease").unwrap().class, DiseaseClass::B);
}

#[test]
fn deadlines_are_two_hours_for_class_a_and_as_a_and_outbreaks_else_twenty_four() {
    let cat = Catalogue::default();
    let cases = [
        // (disease, outbreak, hours)
        ("cholera", false, 2),
        ("plague", false, 2),
        ("sars", false, 2),
        ("anthrax_pulmonary", false, 2),
        ("anthrax_cutaneous", false, 24),
        ("hepatitis_b", false, 24),
        ("measles", false, 24),
        ("influenza", false, 24),
        ("influenza", true, 2),
        ("no_such_code", false, 2),
    ];
    for (disease, outbreak, hours) in cases {
        let r = DiseaseReportInput { outbreak, ..sample(disease) };
        assert_eq!(r.limit(&cat), Duration::hours(hours), "{disease} outbreak={outbreak}");
        assert_eq!(r.deadline(&cat), at(20, 9, 30) + Duration::hours(hours), "{disease}");
    }
}

#[test]
fn timeliness_counts_from_the_diagnosis_to_the_receipt_or_the_phone_call() {
    let cat = Catalogue::default();
    // Cholera diagnosed 20 Nov 09:30: due by 11:30. Dysentery: due by 21 Nov 09:30.
    // (case, phoned at, received at, now, expected)
    type Case = (&'static str, Option<NaiveDateTime>, Option<NaiveDateTime>, NaiveDateTime, Timeliness);
    let cases: [Case; 9] = [
        ("cholera", None, Some(at(20, 11, 30)), at(20, 12, 0), Timeliness::OnTime),
        ("cholera", None, Some(at(20, 11, 31)), at(20, 12, 0), Timeliness::Late),
        ("cholera", Some(at(20, 10, 0)), Some(at(20, 15, 0)), at(20, 16, 0), Timeliness::OnTime),
        ("cholera", Some(at(20, 11, 45)), Some(at(20, 11, 40)), at(20, 16, 0), Timeliness::Late),
        ("cholera", None, None, at(20, 11, 30), Timeliness::Pending { deadline: at(20, 11, 30) }),
        ("cholera", None, None, at(20, 11, 31), Timeliness::Overdue { deadline: at(20, 11, 30) }),
        ("dysentery_bacillary", None, Some(at(21, 9, 30)), at(22, 0, 0), Timeliness::OnTime),
        ("dysentery_bacillary", None, Some(at(21, 9, 31)), at(22, 0, 0), Timeliness::Late),
        ("dysentery_bacillary", Some(at(21, 8, 0)), None, at(22, 0, 0), Timeliness::OnTime),
    ];
    for (disease, phoned_at, received, now, expected) in cases {
        let r = DiseaseReportInput { phoned_at, ..sample(disease) };
        let got = r.timeliness(&cat, received, now);
        assert_eq!(got, expected, "{disease} phoned {phoned_at:?} received {received:?} at {now}");
        assert_eq!(got.on_time(), expected == Timeliness::OnTime);
    }
    assert!(Timeliness::Overdue { deadline: at(20, 11, 30) }.label(true).contains("11-20 11:30"));
}

#[test]
fn a_valid_card_passes_and_each_broken_field_is_named() {
    let now = at(20, 10, 0);
    assert_eq!(fields(&sample("dysentery_bacillary"), now), Vec::<String>::new());
    let child = |r: DiseaseReportInput| DiseaseReportInput { birth_date: day(2020, 5, 1), ..r };
    let cases: Vec<(&str, DiseaseReportInput, &str)> = vec![
        ("no name", DiseaseReportInput { patient_name: " ".into(), ..sample("measles") }, "patient_name"),
        ("child without a parent", child(sample("measles")), "parent_name"),
        ("unknown disease", sample("no_such_code"), "disease"),
        ("hepatitis B without acute/chronic", sample("hepatitis_b"), "course"),
        ("course on measles", DiseaseReportInput { course: Some(1), ..sample("measles") }, "course"),
        ("bad case class", DiseaseReportInput { case_class: 9, ..sample("measles") }, "case_class"),
        ("bad occupation", DiseaseReportInput { occupation: 0, ..sample("measles") }, "occupation"),
        ("no address", DiseaseReportInput { address: String::new(), ..sample("measles") }, "address"),
        (
            "diagnosis before onset",
            DiseaseReportInput { diagnosed_at: at(17, 8, 0), ..sample("measles") },
            "diagnosed_at",
        ),
        (
            "diagnosis in the future",
            DiseaseReportInput { diagnosed_at: at(20, 10, 1), ..sample("measles") },
            "diagnosed_at",
        ),
        (
            "death before onset",
            DiseaseReportInput { death_date: Some(day(2026, 11, 1)), ..sample("measles") },
            "death_date",
        ),
        (
            "phoned before diagnosis",
            DiseaseReportInput { phoned_at: Some(at(20, 9, 0)), ..sample("measles") },
            "phoned_at",
        ),
        ("filled before diagnosis", DiseaseReportInput { filled_at: at(20, 9, 0), ..sample("measles") }, "filled_at"),
        ("bad phone", DiseaseReportInput { phone: "12ab".into(), ..sample("measles") }, "phone"),
        ("ID check digit", DiseaseReportInput { id_no: "110101197003080010".into(), ..sample("measles") }, "id_no"),
    ];
    for (name, r, field) in cases {
        assert_eq!(fields(&r, now), vec![field.to_string()], "{name}");
    }
    let with_parent = DiseaseReportInput { parent_name: "李强".into(), ..child(sample("measles")) };
    assert!(fields(&with_parent, now).is_empty());
    let chronic_b = DiseaseReportInput { course: Some(2), ..sample("hepatitis_b") };
    assert!(fields(&chronic_b, now).is_empty());
    // A foreign patient's passport is not a resident identity card.
    let foreign = DiseaseReportInput { patient_from: 6, id_no: "E12345678".into(), ..sample("measles") };
    assert!(fields(&foreign, now).is_empty());
}
