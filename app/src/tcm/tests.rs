//! Table-driven tests of the constitution assessment (the judgement table's every boundary, each reverse-scored
//! item of 平和质, 兼夹, ties, the 阴虚/阳虚 contradiction, no result), the Q9/Q28 anchors, the records'
//! validation, and the children's ages, methods and visit windows. Every expected number is worked out by hand
//! in the comment beside it, never by the code under test.

use super::*;
use Constitution::*;
use Verdict::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// One answer set of the scoring table: `base` for every question, then the listed (question, answer) pairs.
struct Case {
    name: &'static str,
    base: u8,
    set: &'static [(u8, u8)],
    /// In `Constitution::ALL` order: 平和, 气虚, 阳虚, 阴虚, 痰湿, 湿热, 血瘀, 气郁, 特禀.
    scores: [u8; 9],
    verdicts: [Verdict; 9],
}

// The sums worked by hand below:
//   平和 = q1 + (6−q2) + (6−q4) + (6−q5) + (6−q13)
//   气虚 = q2+q3+q4+q14   阳虚 = q11+q12+q13+q29   阴虚 = q10+q21+q26+q31   痰湿 = q9+q16+q28+q32
//   湿热 = q23+q25+q27+q30   血瘀 = q19+q22+q24+q33   气郁 = q5+q6+q7+q8   特禀 = q15+q17+q18+q20
// With the rest at 1 an untouched biased type sums to 4 and 平和 to 1+5+5+5+5 = 21.
const CASES: &[Case] = &[
    Case {
        // Spec example: every biased type 1×4 = 4 (否); 平和 21 ≥ 17 with the highest biased 4 ≤ 8 → 是.
        name: "all 1",
        base: 1,
        set: &[],
        scores: [21, 4, 4, 4, 4, 4, 4, 4, 4],
        verdicts: [Yes, No, No, No, No, No, No, No, No],
    },
    Case {
        // Every biased type 2×4 = 8, the highest 否; 平和 2+4+4+4+4 = 18 with max 8 → 是 (the ≤8 edge).
        name: "all 2",
        base: 2,
        set: &[],
        scores: [18, 8, 8, 8, 8, 8, 8, 8, 8],
        verdicts: [Yes, No, No, No, No, No, No, No, No],
    },
    Case {
        // Spec example: every biased type 3×4 = 12 (是); 平和 3+3+3+3+3 = 15 < 17 → 否.
        name: "all 3",
        base: 3,
        set: &[],
        scores: [15, 12, 12, 12, 12, 12, 12, 12, 12],
        verdicts: [No, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes],
    },
    Case {
        // Every biased type 5×4 = 20 (是); 平和 5+1+1+1+1 = 9 → 否.
        name: "all 5",
        base: 5,
        set: &[],
        scores: [9, 20, 20, 20, 20, 20, 20, 20, 20],
        verdicts: [No, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes],
    },
    Case {
        // Spec example: 气虚 3+3+3+2 = 11 (是); 平和 1+(6−3)+(6−3)+5+5 = 17, but 气虚 11 > 10 → 否.
        name: "spec: q2=q3=q4=3, q14=2",
        base: 1,
        set: &[(2, 3), (3, 3), (4, 3), (14, 2)],
        scores: [17, 11, 4, 4, 4, 4, 4, 4, 4],
        verdicts: [No, Yes, No, No, No, No, No, No, No],
    },
    Case {
        // 平和 1+(6−4)+5+(6−3)+5 = 16 < 17 → 否; 气虚 4+1+1+1 = 7, 气郁 3+1+1+1 = 6, both 否: nothing positive.
        name: "平和 16, every type 否",
        base: 1,
        set: &[(2, 4), (5, 3)],
        scores: [16, 7, 4, 4, 4, 4, 4, 6, 4],
        verdicts: [No, No, No, No, No, No, No, No, No],
    },
    Case {
        // 平和 1+(6−4)+5+(6−2)+5 = 17 with 气虚 7, 气郁 2+1+1+1 = 5, max 7 ≤ 8 → 是.
        name: "平和 17",
        base: 1,
        set: &[(2, 4), (5, 2)],
        scores: [17, 7, 4, 4, 4, 4, 4, 5, 4],
        verdicts: [Yes, No, No, No, No, No, No, No, No],
    },
    Case {
        // 湿热 5+1+1+1 = 8 → 否; 平和 21 with max 8 → 是.
        name: "湿热 8",
        base: 1,
        set: &[(23, 5)],
        scores: [21, 4, 4, 4, 4, 8, 4, 4, 4],
        verdicts: [Yes, No, No, No, No, No, No, No, No],
    },
    Case {
        // 湿热 5+2+1+1 = 9 → 倾向是; 平和 21 with max 9 ≤ 10 → 基本是.
        name: "湿热 9",
        base: 1,
        set: &[(23, 5), (25, 2)],
        scores: [21, 4, 4, 4, 4, 9, 4, 4, 4],
        verdicts: [Basically, No, No, No, No, Leaning, No, No, No],
    },
    Case {
        // 湿热 5+3+1+1 = 10 → 倾向是; 平和 21 with max 10 ≤ 10 → 基本是.
        name: "湿热 10",
        base: 1,
        set: &[(23, 5), (25, 3)],
        scores: [21, 4, 4, 4, 4, 10, 4, 4, 4],
        verdicts: [Basically, No, No, No, No, Leaning, No, No, No],
    },
    Case {
        // 湿热 5+4+1+1 = 11 → 是; 平和 21 but max 11 > 10 → 否.
        name: "湿热 11",
        base: 1,
        set: &[(23, 5), (25, 4)],
        scores: [21, 4, 4, 4, 4, 11, 4, 4, 4],
        verdicts: [No, No, No, No, No, Yes, No, No, No],
    },
    Case {
        // 兼夹: 气虚 1+5+1+5 = 12 是; 阴虚 4+4+2+1 = 11 是; 痰湿 1+4+1+4 = 10 倾向是; 平和 21, max 12 → 否.
        name: "兼夹",
        base: 1,
        set: &[(3, 5), (14, 5), (10, 4), (21, 4), (26, 2), (16, 4), (32, 4)],
        scores: [21, 12, 4, 11, 10, 4, 4, 4, 4],
        verdicts: [No, Yes, No, Yes, Leaning, No, No, No, No],
    },
    Case {
        // 血瘀 5+4+1+1 = 11 是; 特禀 5+4+1+1 = 11 是: a tie; 平和 21, max 11 → 否.
        name: "tie",
        base: 1,
        set: &[(19, 5), (22, 4), (15, 5), (17, 4)],
        scores: [21, 4, 4, 4, 4, 4, 11, 4, 11],
        verdicts: [No, No, No, No, No, No, Yes, No, Yes],
    },
    Case {
        // The tie above plus 湿热 5+5+1+1 = 12 是, higher than both.
        name: "tie below the top",
        base: 1,
        set: &[(19, 5), (22, 4), (15, 5), (17, 4), (23, 5), (25, 5)],
        scores: [21, 4, 4, 4, 4, 12, 11, 4, 11],
        verdicts: [No, No, No, No, No, Yes, Yes, No, Yes],
    },
    Case {
        // 阴虚 5+5+1+1 = 12 是; 阳虚 4+4+1+1 = 10 倾向是 (q13 = q29 = 1); 平和 21, max 12 → 否.
        name: "阴虚 and 阳虚",
        base: 1,
        set: &[(10, 5), (21, 5), (11, 4), (12, 4)],
        scores: [21, 4, 10, 12, 4, 4, 4, 4, 4],
        verdicts: [No, No, Leaning, Yes, No, No, No, No, No],
    },
    Case {
        // 阴虚 5+2+1+1 = 9 and 阳虚 5+2+1+1 = 9, both 倾向是; 平和 21, max 9 → 基本是.
        name: "阴虚 and 阳虚 both leaning",
        base: 1,
        set: &[(10, 5), (21, 2), (11, 5), (12, 2)],
        scores: [21, 4, 9, 9, 4, 4, 4, 4, 4],
        verdicts: [Basically, No, Leaning, Leaning, No, No, No, No, No],
    },
    Case {
        // 阴虚 5+5+1+1 = 12 是; 阳虚 4+2+1+1 = 8 否; 平和 21, max 12 → 否.
        name: "阴虚 only",
        base: 1,
        set: &[(10, 5), (21, 5), (11, 4), (12, 2)],
        scores: [21, 4, 8, 12, 4, 4, 4, 4, 4],
        verdicts: [No, No, No, Yes, No, No, No, No, No],
    },
];

fn answers(c: &Case) -> Answers {
    c.set.iter().fold(Answers::all(c.base), |a, &(n, v)| a.with(n, v))
}

fn case(name: &str) -> Answers {
    answers(CASES.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("no case {name}")))
}

#[test]
fn each_answer_set_scores_and_judges_as_worked_by_hand() {
    for c in CASES {
        let a = score(&answers(c));
        for (i, t) in Constitution::ALL.into_iter().enumerate() {
            assert_eq!(a.score_of(t), c.scores[i], "{}: {t:?} score", c.name);
            assert_eq!(a.verdict_of(t), c.verdicts[i], "{}: {t:?} verdict", c.name);
            assert_eq!(a.results[i].constitution, t, "{}: order", c.name);
        }
    }
}

#[test]
fn each_reverse_scored_item_of_pinghe_lowers_it_when_raised() {
    // (item, answer, 平和, the item's biased type, its sum), the rest at 1 (平和 21 before). Every case stays
    // ≥17 with every biased type ≤8, so 平和 remains 是.
    let table = [
        (2, 2, 20, QiDeficiency, 5),    // 平和 1+(6−2)+5+5+5 = 20; 气虚 2+1+1+1 = 5
        (2, 5, 17, QiDeficiency, 8),    // 1+(6−5)+5+5+5 = 17; 5+1+1+1 = 8
        (4, 2, 20, QiDeficiency, 5),    // 1+5+(6−2)+5+5 = 20; 1+1+2+1 = 5
        (4, 5, 17, QiDeficiency, 8),    // 1+5+(6−5)+5+5 = 17; 1+1+5+1 = 8
        (5, 2, 20, QiStagnation, 5),    // 1+5+5+(6−2)+5 = 20; 气郁 2+1+1+1 = 5
        (5, 5, 17, QiStagnation, 8),    // 1+5+5+(6−5)+5 = 17; 5+1+1+1 = 8
        (13, 2, 20, YangDeficiency, 5), // 1+5+5+5+(6−2) = 20; 阳虚 1+1+2+1 = 5
        (13, 5, 17, YangDeficiency, 8), // 1+5+5+5+(6−5) = 17; 1+1+5+1 = 8
    ];
    for (item, answer, pinghe, own, own_sum) in table {
        let a = score(&Answers::all(1).with(item, answer));
        assert_eq!(a.score_of(Balanced), pinghe, "q{item} = {answer}: 平和");
        assert_eq!(a.score_of(own), own_sum, "q{item} = {answer}: {own:?}");
        assert_eq!(a.verdict_of(Balanced), Yes, "q{item} = {answer}: verdict");
    }
    // Q1 counts forward: q1 = 5, rest 1 → 5+5+5+5+5 = 25; q1 = 1, rest 5 → 1+1+1+1+1 = 5.
    assert_eq!(score(&Answers::all(1).with(1, 5)).score_of(Balanced), 25);
    assert_eq!(score(&Answers::all(5).with(1, 1)).score_of(Balanced), 5);
}

#[test]
fn biased_verdicts_change_at_9_and_11() {
    for (sum, verdict) in [(4, No), (8, No), (9, Leaning), (10, Leaning), (11, Yes), (20, Yes)] {
        assert_eq!(biased_verdict(sum), verdict, "sum {sum}");
    }
}

#[test]
fn pinghe_needs_17_and_every_biased_type_at_most_8_or_10() {
    // (平和, highest biased sum, verdict)
    for (pinghe, max, verdict) in [
        (17, 8, Yes),
        (25, 4, Yes),
        (16, 4, No),
        (16, 8, No),
        (17, 9, Basically),
        (17, 10, Basically),
        (21, 10, Basically),
        (16, 10, No),
        (17, 11, No),
        (25, 20, No),
    ] {
        assert_eq!(pinghe_verdict(pinghe, max), verdict, "平和 {pinghe}, max {max}");
    }
}

/// What the doctor is told after scoring one answer set of `CASES`.
struct Mixed {
    case: &'static str,
    positives: &'static [Constitution],
    leading: &'static [Constitution],
    primary: Option<Constitution>,
    tie: bool,
    contradiction: bool,
    none: bool,
}

const MIXED: &[Mixed] = &[
    // Only 平和 (是): no biased type leads.
    Mixed {
        case: "all 1",
        positives: &[Balanced],
        leading: &[],
        primary: None,
        tie: false,
        contradiction: false,
        none: false,
    },
    // 平和 16 and every biased type ≤ 8: find the cause or redo after 2 weeks.
    Mixed {
        case: "平和 16, every type 否",
        positives: &[],
        leading: &[],
        primary: None,
        tie: false,
        contradiction: false,
        none: true,
    },
    // 平和 基本是 beside 湿热 倾向是: both recorded, guidance follows 湿热.
    Mixed {
        case: "湿热 9",
        positives: &[Balanced, DampHeat],
        leading: &[DampHeat],
        primary: Some(DampHeat),
        tie: false,
        contradiction: false,
        none: false,
    },
    // 气虚 12 > 阴虚 11 > 痰湿 10: all three recorded, 气虚 leads.
    Mixed {
        case: "兼夹",
        positives: &[QiDeficiency, YinDeficiency, PhlegmDampness],
        leading: &[QiDeficiency],
        primary: Some(QiDeficiency),
        tie: false,
        contradiction: false,
        none: false,
    },
    // 血瘀 11 = 特禀 11: a TCM doctor decides.
    Mixed {
        case: "tie",
        positives: &[BloodStasis, Inherited],
        leading: &[BloodStasis, Inherited],
        primary: None,
        tie: true,
        contradiction: false,
        none: false,
    },
    // 湿热 12 above the 11–11 tie.
    Mixed {
        case: "tie below the top",
        positives: &[DampHeat, BloodStasis, Inherited],
        leading: &[DampHeat],
        primary: Some(DampHeat),
        tie: false,
        contradiction: false,
        none: false,
    },
    // 阴虚 12 是 with 阳虚 10 倾向是: re-check; 阴虚 still leads.
    Mixed {
        case: "阴虚 and 阳虚",
        positives: &[YangDeficiency, YinDeficiency],
        leading: &[YinDeficiency],
        primary: Some(YinDeficiency),
        tie: false,
        contradiction: true,
        none: false,
    },
    // 阴虚 9 = 阳虚 9 beside 平和 基本是: a contradiction and a tie.
    Mixed {
        case: "阴虚 and 阳虚 both leaning",
        positives: &[Balanced, YangDeficiency, YinDeficiency],
        leading: &[YangDeficiency, YinDeficiency],
        primary: None,
        tie: true,
        contradiction: true,
        none: false,
    },
    // 阳虚 8 is 否: no contradiction.
    Mixed {
        case: "阴虚 only",
        positives: &[YinDeficiency],
        leading: &[YinDeficiency],
        primary: Some(YinDeficiency),
        tie: false,
        contradiction: false,
        none: false,
    },
    // Every biased type 12: all eight tie, 阴虚 and 阳虚 among them.
    Mixed {
        case: "all 3",
        positives: &Constitution::BIASED,
        leading: &Constitution::BIASED,
        primary: None,
        tie: true,
        contradiction: true,
        none: false,
    },
];

#[test]
fn mixed_results_lead_with_the_highest_and_flag_ties_contradictions_and_nothing() {
    for m in MIXED {
        let a = score(&case(m.case));
        assert_eq!(a.positives(), m.positives, "{}: positives", m.case);
        assert_eq!(a.leading(), m.leading, "{}: leading", m.case);
        assert_eq!(a.primary(), m.primary, "{}: primary", m.case);
        assert_eq!(a.tie(), m.tie, "{}: tie", m.case);
        assert_eq!(a.contradiction(), m.contradiction, "{}: contradiction", m.case);
        assert_eq!(a.none_positive(), m.none, "{}: none", m.case);
    }
}

#[test]
fn every_question_2_to_33_belongs_to_exactly_one_biased_type() {
    for (i, question) in QUESTIONS.iter().enumerate() {
        assert_eq!(usize::from(question.number), i + 1);
        let owners: Vec<Constitution> =
            Constitution::BIASED.into_iter().filter(|c| c.items().contains(&question.number)).collect();
        if question.number == 1 {
            assert!(owners.is_empty(), "q1 is 平和 only");
            assert_eq!(question.constitution, Balanced);
        } else {
            assert_eq!(owners, vec![question.constitution], "q{}", question.number);
        }
    }
    assert_eq!(QUESTIONS[0].zh, "您精力充沛吗？");
}

#[test]
fn item_lists_are_the_judgement_table() {
    let table: [(Constitution, &[u8]); 9] = [
        (Balanced, &[1, 2, 4, 5, 13]),
        (QiDeficiency, &[2, 3, 4, 14]),
        (YangDeficiency, &[11, 12, 13, 29]),
        (YinDeficiency, &[10, 21, 26, 31]),
        (PhlegmDampness, &[9, 16, 28, 32]),
        (DampHeat, &[23, 25, 27, 30]),
        (BloodStasis, &[19, 22, 24, 33]),
        (QiStagnation, &[5, 6, 7, 8]),
        (Inherited, &[15, 17, 18, 20]),
    ];
    for (c, items) in table {
        assert_eq!(c.items(), items, "{c:?}");
    }
    assert_eq!(PINGHE_REVERSED, [2, 4, 5, 13]);
    for c in Constitution::ALL {
        assert_eq!(Constitution::ALL[c.index()], c);
        assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{}\"", c.key()));
    }
    assert_eq!(Balanced.label(true), "平和质");
    assert_eq!(Inherited.label(true), "特禀质");
}

#[test]
fn the_scale_and_verdicts_read_as_printed() {
    assert_eq!(Frequency::from_score(3), Some(Frequency::Sometimes));
    assert_eq!(Frequency::from_score(0), None);
    assert_eq!(Frequency::from_score(6), None);
    let zh: Vec<&str> = Frequency::ALL.iter().map(|f| f.label(true)).collect();
    assert_eq!(zh, ["没有", "很少", "有时", "经常", "总是"]);
    let verdicts: Vec<&str> = [Yes, Leaning, Basically, No].iter().map(|v| v.label(true)).collect();
    assert_eq!(verdicts, ["是", "倾向是", "基本是", "否"]);
    let codes: Vec<u8> = Guidance::ALL.iter().map(|g| g.code()).collect();
    assert_eq!(codes, [1, 2, 3, 4, 5, 6]);
    assert_eq!(Guidance::Acupoint.label(true), "穴位保健");
}

#[test]
fn q9_scores_bmi_from_24_25_26_and_28() {
    for (bmi, expected) in [
        (18.5, Some(1)),
        (23.9, Some(1)),
        (24.0, Some(2)),
        (24.9, Some(2)),
        (25.0, Some(3)),
        (25.9, Some(3)),
        (26.0, Some(4)),
        (27.9, Some(4)),
        (28.0, Some(5)),
        (35.0, Some(5)),
        (0.0, None),
        (f64::NAN, None),
    ] {
        assert_eq!(bmi_score(bmi), expected, "BMI {bmi}");
    }
}

#[test]
fn q28_scores_waist_with_gaps_going_to_the_lower_band() {
    for (waist, expected) in [
        (70.0, Some(1)),
        (79.9, Some(1)),
        (80.0, Some(2)),
        (85.0, Some(2)),
        (85.5, Some(2)), // between 80–85 and 86–90: the lower band
        (86.0, Some(3)),
        (90.0, Some(3)),
        (90.5, Some(3)),
        (91.0, Some(4)),
        (105.0, Some(4)),
        (105.5, Some(5)), // ">105" literally
        (120.0, Some(5)),
        (-1.0, None),
        (f64::INFINITY, None),
    ] {
        assert_eq!(waist_score(waist), expected, "waist {waist}");
    }
    let questions: Vec<u8> = ANCHORS.iter().map(|a| a.question).collect();
    assert_eq!(questions, [9, 14, 17, 28]);
    assert_eq!(anchor(9).map(|a| a.zh[0]), Some("BMI<24"));
    assert_eq!(anchor(28).map(|a| a.zh[4]), Some("腹围>105cm"));
    assert_eq!(anchor(1), None);
}

#[test]
fn answers_travel_as_an_array_of_33() {
    let a = Answers::all(1).with(33, 5);
    let json = serde_json::to_string(&a).unwrap();
    assert_eq!(json, format!("[{}5]", "1,".repeat(32)));
    assert_eq!(serde_json::from_str::<Answers>(&json).unwrap(), a);
    // 32 numbers: the array has the wrong length.
    assert!(serde_json::from_str::<Answers>(&format!("[{}1]", "1,".repeat(31))).is_err());
    assert_eq!(Answers::default().get(1), 0);
    assert_eq!((a.get(0), a.get(33), a.get(34)), (0, 5, 0));
}

fn guide(constitution: Constitution, items: Vec<Guidance>) -> TypeGuidance {
    TypeGuidance { constitution, items, other: String::new() }
}

/// The 兼夹 answers (气虚 12 是, 阴虚 11 是, 痰湿 10 倾向是, 平和 否), guided for 气虚 and 阴虚.
fn record() -> TcmElderlyInput {
    TcmElderlyInput {
        date: d(2026, 5, 10),
        answers: case("兼夹"),
        guidance: vec![
            guide(QiDeficiency, vec![Guidance::Emotion, Guidance::Diet, Guidance::Acupoint]),
            guide(YinDeficiency, vec![Guidance::Diet]),
        ],
        note: String::new(),
        next_date: Some(d(2027, 5, 10)),
    }
}

fn invalid(v: &TcmElderlyInput) -> Vec<String> {
    match v.validate(d(1950, 6, 1), d(2026, 5, 12)) {
        Ok(()) => vec![],
        Err(AppError::Validation { fields }) => fields.into_iter().map(|f| f.field).collect(),
        Err(e) => panic!("unexpected {e:?}"),
    }
}

#[test]
fn a_complete_record_is_valid_and_round_trips() {
    let v = record();
    assert_eq!(invalid(&v), Vec::<String>::new());
    let json = serde_json::to_string(&v).unwrap();
    assert_eq!(serde_json::from_str::<TcmElderlyInput>(&json).unwrap(), v);
}

#[test]
fn record_problems_are_named_by_field() {
    type Edit = fn(&mut TcmElderlyInput);
    let table: [(&str, Edit, &[&str]); 17] = [
        ("q7 left blank", |v| v.answers.set(7, 0), &["q7"]),
        ("q12 answered 6", |v| v.answers.set(12, 6), &["q12"]),
        (
            "q1 blank and q33 answered 9",
            |v| {
                v.answers.set(1, 0);
                v.answers.set(33, 9);
            },
            &["q1", "q33"],
        ),
        // 血瘀 sums 4 (否).
        (
            "guidance for a negative type",
            |v| v.guidance.push(guide(BloodStasis, vec![Guidance::Diet])),
            &["guidance.blood_stasis"],
        ),
        // 平和 21 but 气虚 12 > 10 → 否.
        (
            "guidance for 平和 when it is 否",
            |v| v.guidance.push(guide(Balanced, vec![Guidance::Exercise])),
            &["guidance.balanced"],
        ),
        // 痰湿 10 is 倾向是: positive.
        ("guidance for a leaning type", |v| v.guidance.push(guide(PhlegmDampness, vec![Guidance::Diet])), &[]),
        ("an empty entry for a negative type is ignored", |v| v.guidance.push(guide(BloodStasis, vec![])), &[]),
        ("no guidance though types are positive", |v| v.guidance.clear(), &["guidance"]),
        (
            "only empty entries",
            |v| {
                for g in &mut v.guidance {
                    g.items.clear();
                }
            },
            &["guidance"],
        ),
        ("其他 without its text", |v| v.guidance[0].items.push(Guidance::Other), &["guidance.qi_deficiency"]),
        (
            "其他 with its text",
            |v| {
                v.guidance[0].items.push(Guidance::Other);
                v.guidance[0].other = "八段锦".into();
            },
            &[],
        ),
        (
            "the same type twice",
            |v| v.guidance.push(guide(QiDeficiency, vec![Guidance::Exercise])),
            &["guidance.qi_deficiency"],
        ),
        // With an answer missing there is no result to check guidance against.
        (
            "a blank answer skips the guidance check",
            |v| {
                v.answers.set(7, 0);
                v.guidance.push(guide(BloodStasis, vec![Guidance::Diet]));
            },
            &["q7"],
        ),
        ("in the future", |v| v.date = d(2026, 5, 13), &["date"]),
        ("next date on the same day", |v| v.next_date = Some(d(2026, 5, 10)), &["next_date"]),
        ("note of 501 characters", |v| v.note = "字".repeat(501), &["note"]),
        // 平和 16 and every biased type ≤ 8: nothing to guide, stored to redo in 2 weeks.
        (
            "no type positive and no guidance",
            |v| {
                v.answers = case("平和 16, every type 否");
                v.guidance.clear();
            },
            &[],
        ),
    ];
    for (name, edit, fields) in table {
        let mut v = record();
        edit(&mut v);
        assert_eq!(invalid(&v), fields, "{name}");
    }
}

#[test]
fn answer_messages_name_the_question() {
    let mut v = record();
    v.answers.set(7, 0);
    v.answers.set(12, 6);
    let err = v.validate(d(1950, 6, 1), d(2026, 5, 12)).unwrap_err();
    assert_eq!(err.field_message("q7", true).unwrap(), "第7题请选择一项");
    assert_eq!(err.field_message("q12", true).unwrap(), "第12题的答案应为1–5");
    assert_eq!(answer_errors(&Answers::default()).len(), 33);
}

#[test]
fn the_service_is_for_residents_of_65_and_over() {
    // Born 1961-05-11: 64 on 2026-05-10, the birthday is the next day.
    let err = record().validate(d(1961, 5, 11), d(2026, 5, 12)).unwrap_err();
    assert_eq!(err.field_message("date", true).unwrap(), "老年人中医药健康管理适用于65岁及以上居民");
    // Born 1961-05-10: 65 on the day.
    assert_eq!(record().validate(d(1961, 5, 10), d(2026, 5, 12)), Ok(()));
}

#[test]
fn each_child_age_teaches_its_method() {
    for (months, method) in [
        (6, Some("摩腹、捏脊")),
        (12, Some("摩腹、捏脊")),
        (18, Some("按揉迎香穴、足三里穴")),
        (24, Some("按揉迎香穴、足三里穴")),
        (30, Some("按揉四神聪穴")),
        (36, Some("按揉四神聪穴")),
        (0, None),
        (9, None),
        (48, None),
    ] {
        assert_eq!(child_method(months), method, "{months} months");
    }
    assert_eq!(CHILD_METHODS.map(|m| m.0), CHILD_AGES_MONTHS);
    assert_eq!(ChildGuidance::Massage.label_at(6, true), "传授摩腹、捏脊方法");
    assert_eq!(ChildGuidance::Massage.label_at(30, true), "传授按揉四神聪穴方法");
    assert_eq!(ChildGuidance::Massage.label_at(9, true), "传授按摩方法");
    assert_eq!(ChildGuidance::Diet.label_at(6, true), "中医饮食调养指导");
    let codes: Vec<u8> = ChildGuidance::ALL.iter().map(|g| g.code()).collect();
    assert_eq!(codes, [1, 2, 3, 4]);
}

#[test]
fn child_windows_run_from_the_month_day_for_29_days() {
    // (birth, months, 满N月, last day)
    for (birth, months, start, end) in [
        // 15 Sep + 15 d = 30 Sep, + 14 d = 14 Oct: 29 days.
        (d(2025, 3, 15), 18, d(2026, 9, 15), d(2026, 10, 14)),
        // 31 Aug + 6 mo = "31 Feb" → 28 Feb 2025; + 1 d = 1 Mar, + 29 d = 29 Mar.
        (d(2024, 8, 31), 6, d(2025, 2, 28), d(2025, 3, 29)),
        // A leap year: 29 Feb 2024; + 29 d = 29 Mar.
        (d(2023, 8, 31), 6, d(2024, 2, 29), d(2024, 3, 29)),
        // No clamping: 31 Aug 2025; + 29 d = 29 Sep.
        (d(2024, 8, 31), 12, d(2025, 8, 31), d(2025, 9, 29)),
        // 31 Jan 2028; + 1 d = 1 Feb, + 29 d = 29 Feb (2028 is a leap year).
        (d(2025, 1, 31), 36, d(2028, 1, 31), d(2028, 2, 29)),
    ] {
        assert_eq!(child_window(birth, months), Some((start, end)), "born {birth}, {months} months");
    }
}

fn child(date: NaiveDate, age_months: u32) -> TcmChildInput {
    TcmChildInput {
        date,
        age_months,
        guidance: vec![ChildGuidance::Diet, ChildGuidance::Routine, ChildGuidance::Massage],
        note: String::new(),
    }
}

fn child_invalid(v: &TcmChildInput, birth: NaiveDate, today: NaiveDate) -> Vec<String> {
    match v.validate(birth, today) {
        Ok(()) => vec![],
        Err(AppError::Validation { fields }) => fields.into_iter().map(|f| f.field).collect(),
        Err(e) => panic!("unexpected {e:?}"),
    }
}

#[test]
fn a_child_visit_is_valid_from_day_0_to_day_29_of_its_window() {
    let today = d(2030, 1, 1);
    // (case, birth, months, date, valid); windows as worked out above.
    for (name, birth, months, date, ok) in [
        ("18 mo, day 0", d(2025, 3, 15), 18, d(2026, 9, 15), true),
        ("18 mo, day 29", d(2025, 3, 15), 18, d(2026, 10, 14), true),
        ("18 mo, day 30", d(2025, 3, 15), 18, d(2026, 10, 15), false),
        ("18 mo, day −1", d(2025, 3, 15), 18, d(2026, 9, 14), false),
        ("born on the 31st, 6 mo, day 0 = 28 Feb", d(2024, 8, 31), 6, d(2025, 2, 28), true),
        ("born on the 31st, 6 mo, day 29 = 29 Mar", d(2024, 8, 31), 6, d(2025, 3, 29), true),
        ("born on the 31st, 6 mo, day 30 = 30 Mar", d(2024, 8, 31), 6, d(2025, 3, 30), false),
        ("born on the 31st, 6 mo, day −1 = 27 Feb", d(2024, 8, 31), 6, d(2025, 2, 27), false),
    ] {
        let fields = child_invalid(&child(date, months), birth, today);
        if ok {
            assert!(fields.is_empty(), "{name}: {fields:?}");
        } else {
            assert_eq!(fields, vec!["date"], "{name}");
        }
    }
}

#[test]
fn child_visit_problems_are_named_by_field() {
    let birth = d(2024, 8, 31);
    let today = d(2030, 1, 1);
    // 9 months is not a service age; the window is not checked then.
    assert_eq!(child_invalid(&child(d(2025, 5, 31), 9), birth, today), vec!["age_months"]);
    // 1 Mar 2025 is in the 6-month window (28 Feb–29 Mar), not the 12-month one (31 Aug–29 Sep 2025).
    let err = child(d(2025, 3, 1), 12).validate(birth, today).unwrap_err();
    assert_eq!(err.field_message("date", true).unwrap(), "12月龄的中医药健康管理应在2025-08-31至2025-09-29之间");
    // Diet and routine guidance are always given; the massage alone is not enough.
    let mut v = child(d(2025, 3, 1), 6);
    v.guidance = vec![ChildGuidance::Massage];
    assert_eq!(child_invalid(&v, birth, today), vec!["guidance"]);
    v.guidance = vec![ChildGuidance::Routine, ChildGuidance::Diet];
    assert_eq!(child_invalid(&v, birth, today), Vec::<String>::new());
    // In the window but after today.
    assert_eq!(child_invalid(&child(d(2025, 3, 2), 6), birth, d(2025, 3, 1)), vec!["date"]);
}

#[test]
fn the_age_point_of_a_date_is_the_window_holding_it() {
    let birth = d(2024, 8, 31);
    for (date, point) in [
        (d(2025, 2, 27), None),     // a day before 满6月 (28 Feb)
        (d(2025, 3, 1), Some(6)),   // in 28 Feb–29 Mar
        (d(2025, 3, 30), None),     // day 30
        (d(2025, 9, 29), Some(12)), // 31 Aug 2025 + 29 d
        (d(2027, 8, 31), Some(36)), // 满36月: 31 Aug 2027
    ] {
        assert_eq!(child_point_on(birth, date), point, "{date}");
    }
}
