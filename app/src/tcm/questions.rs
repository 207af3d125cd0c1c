//! The 33 questions of the constitution identification (老年人中医药健康管理服务记录表), the 1–5 frequency
//! scale, the nine constitution types with their items, and the anchors for the measured questions (BMI,
//! colds, allergy, waist).

use super::*;

/// The assessment uses the first 33 items of the form.
pub const QUESTION_COUNT: usize = 33;

/// Residents are served from age 65, the same age as the 65+ annual check it goes with.
pub const MIN_AGE: i32 = crate::elderly::MIN_AGE;

/// The answer scale of every question, printed as columns 1–5. Answers are stored as these paper codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// 没有 (根本不/从来没有)
    Never = 1,
    /// 很少 (有一点/偶尔)
    Rarely = 2,
    /// 有时 (有些/少数时间)
    Sometimes = 3,
    /// 经常 (相当/多数时间)
    Often = 4,
    /// 总是 (非常/每天)
    Always = 5,
}

impl Frequency {
    pub const ALL: [Frequency; 5] =
        [Frequency::Never, Frequency::Rarely, Frequency::Sometimes, Frequency::Often, Frequency::Always];

    /// The score of the answer, which is also its paper code (1–5).
    pub fn score(self) -> u8 {
        self as u8
    }

    pub fn from_score(score: u8) -> Option<Frequency> {
        Frequency::ALL.into_iter().find(|f| f.score() == score)
    }

    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Frequency::Never, true) => "没有",
            (Frequency::Never, false) => "Never",
            (Frequency::Rarely, true) => "很少",
            (Frequency::Rarely, false) => "Rarely",
            (Frequency::Sometimes, true) => "有时",
            (Frequency::Sometimes, false) => "Sometimes",
            (Frequency::Often, true) => "经常",
            (Frequency::Often, false) => "Often",
            (Frequency::Always, true) => "总是",
            (Frequency::Always, false) => "Always",
        }
    }

    /// The explanation printed under the column heading.
    pub fn hint(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Frequency::Never, true) => "根本不/从来没有",
            (Frequency::Never, false) => "not at all / never",
            (Frequency::Rarely, true) => "有一点/偶尔",
            (Frequency::Rarely, false) => "a little / now and then",
            (Frequency::Sometimes, true) => "有些/少数时间",
            (Frequency::Sometimes, false) => "somewhat / some of the time",
            (Frequency::Often, true) => "相当/多数时间",
            (Frequency::Often, false) => "quite / most of the time",
            (Frequency::Always, true) => "非常/每天",
            (Frequency::Always, false) => "very / every day",
        }
    }
}

/// The nine constitution types (体质), in the order of the 65+ check form's 中医体质辨识 row, where the results
/// are copied (the TCM form itself prints 平和质 last).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Constitution {
    /// 平和质
    Balanced,
    /// 气虚质
    QiDeficiency,
    /// 阳虚质
    YangDeficiency,
    /// 阴虚质
    YinDeficiency,
    /// 痰湿质
    PhlegmDampness,
    /// 湿热质
    DampHeat,
    /// 血瘀质
    BloodStasis,
    /// 气郁质
    QiStagnation,
    /// 特禀质
    Inherited,
}

/// The items of 平和质 that are reverse-scored (6 − answer: 1→5, 2→4, 3→3, 4→2, 5→1).
pub const PINGHE_REVERSED: [u8; 4] = [2, 4, 5, 13];

impl Constitution {
    /// Declaration order, so `ALL[c.index()] == c`.
    pub const ALL: [Constitution; 9] = [
        Constitution::Balanced,
        Constitution::QiDeficiency,
        Constitution::YangDeficiency,
        Constitution::YinDeficiency,
        Constitution::PhlegmDampness,
        Constitution::DampHeat,
        Constitution::BloodStasis,
        Constitution::QiStagnation,
        Constitution::Inherited,
    ];

    /// The eight biased types (偏颇体质), everything but 平和质.
    pub const BIASED: [Constitution; 8] = [
        Constitution::QiDeficiency,
        Constitution::YangDeficiency,
        Constitution::YinDeficiency,
        Constitution::PhlegmDampness,
        Constitution::DampHeat,
        Constitution::BloodStasis,
        Constitution::QiStagnation,
        Constitution::Inherited,
    ];

    /// The position in `ALL` (and in `Assessment::results`).
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn is_biased(self) -> bool {
        self != Constitution::Balanced
    }

    /// The serde name, for field names such as `guidance.qi_deficiency`.
    pub fn key(self) -> &'static str {
        match self {
            Constitution::Balanced => "balanced",
            Constitution::QiDeficiency => "qi_deficiency",
            Constitution::YangDeficiency => "yang_deficiency",
            Constitution::YinDeficiency => "yin_deficiency",
            Constitution::PhlegmDampness => "phlegm_dampness",
            Constitution::DampHeat => "damp_heat",
            Constitution::BloodStasis => "blood_stasis",
            Constitution::QiStagnation => "qi_stagnation",
            Constitution::Inherited => "inherited",
        }
    }

    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Constitution::Balanced, true) => "平和质",
            (Constitution::Balanced, false) => "Balanced",
            (Constitution::QiDeficiency, true) => "气虚质",
            (Constitution::QiDeficiency, false) => "Qi deficiency",
            (Constitution::YangDeficiency, true) => "阳虚质",
            (Constitution::YangDeficiency, false) => "Yang deficiency",
            (Constitution::YinDeficiency, true) => "阴虚质",
            (Constitution::YinDeficiency, false) => "Yin deficiency",
            (Constitution::PhlegmDampness, true) => "痰湿质",
            (Constitution::PhlegmDampness, false) => "Phlegm-dampness",
            (Constitution::DampHeat, true) => "湿热质",
            (Constitution::DampHeat, false) => "Damp-heat",
            (Constitution::BloodStasis, true) => "血瘀质",
            (Constitution::BloodStasis, false) => "Blood stasis",
            (Constitution::QiStagnation, true) => "气郁质",
            (Constitution::QiStagnation, false) => "Qi stagnation",
            (Constitution::Inherited, true) => "特禀质",
            (Constitution::Inherited, false) => "Inherited special",
        }
    }

    /// The question numbers scored for this type, as in the judgement table [V S1]. 平和质 reverse-scores
    /// the ones in `PINGHE_REVERSED`; every question 2–33 belongs to exactly one biased type.
    pub fn items(self) -> &'static [u8] {
        match self {
            Constitution::Balanced => &[1, 2, 4, 5, 13],
            Constitution::QiDeficiency => &[2, 3, 4, 14],
            Constitution::YangDeficiency => &[11, 12, 13, 29],
            Constitution::YinDeficiency => &[10, 21, 26, 31],
            Constitution::PhlegmDampness => &[9, 16, 28, 32],
            Constitution::DampHeat => &[23, 25, 27, 30],
            Constitution::BloodStasis => &[19, 22, 24, 33],
            Constitution::QiStagnation => &[5, 6, 7, 8],
            Constitution::Inherited => &[15, 17, 18, 20],
        }
    }
}

/// One question of the form: its number, the question as printed (without the explanation in brackets), a
/// short English gist, and the type it is scored for (Q1: 平和质 only; Q2, 4, 5 and 13 also count, reversed,
/// for 平和质).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    pub number: u8,
    pub zh: &'static str,
    pub en: &'static str,
    pub constitution: Constitution,
}

const fn q(number: u8, zh: &'static str, en: &'static str, constitution: Constitution) -> Question {
    Question { number, zh, en, constitution }
}

use Constitution as C;

/// 老年人中医药健康管理服务记录表, questions 1–33, answered for the usual state over the past year.
pub const QUESTIONS: [Question; QUESTION_COUNT] = [
    q(1, "您精力充沛吗？", "Full of energy", C::Balanced),
    q(2, "您容易疲乏吗？", "Tires easily", C::QiDeficiency),
    q(3, "您容易气短，呼吸短促，接不上气吗？", "Short of breath", C::QiDeficiency),
    q(4, "您说话声音低弱无力吗？", "Weak, low voice", C::QiDeficiency),
    q(5, "您感到闷闷不乐、情绪低沉吗？", "Low mood", C::QiStagnation),
    q(6, "您容易精神紧张、焦虑不安吗？", "Tense or anxious", C::QiStagnation),
    q(7, "您因为生活状态改变而感到孤独、失落吗？", "Lonely or lost after a change in life", C::QiStagnation),
    q(8, "您容易感到害怕或受到惊吓吗？", "Easily frightened", C::QiStagnation),
    q(9, "您感到身体超重不轻松吗？", "Body feels heavy (scored by BMI)", C::PhlegmDampness),
    q(10, "您眼睛干涩吗？", "Dry eyes", C::YinDeficiency),
    q(11, "您手脚发凉吗？", "Cold hands and feet", C::YangDeficiency),
    q(12, "您胃脘部、背部或腰膝部怕冷吗？", "Cold stomach, back, waist or knees", C::YangDeficiency),
    q(13, "您比一般人耐受不了寒冷吗？", "Bears cold worse than others", C::YangDeficiency),
    q(14, "您容易患感冒吗？", "Catches colds easily (colds a year)", C::QiDeficiency),
    q(15, "您没有感冒时也会鼻塞、流鼻涕吗？", "Blocked or runny nose without a cold", C::Inherited),
    q(16, "您有口粘口腻，或睡眠打鼾吗？", "Sticky mouth or snoring", C::PhlegmDampness),
    q(17, "您容易过敏吗？", "Allergies (drugs, food, smells, pollen, change of season)", C::Inherited),
    q(18, "您的皮肤容易起荨麻疹吗？", "Hives (urticaria)", C::Inherited),
    q(19, "您的皮肤在不知不觉中会出现青紫瘀斑、皮下出血吗？", "Bruises without injury", C::BloodStasis),
    q(20, "您的皮肤一抓就红，并出现抓痕吗？", "Skin reddens and marks when scratched", C::Inherited),
    q(21, "您皮肤或口唇干吗？", "Dry skin or lips", C::YinDeficiency),
    q(22, "您有肢体麻木或固定部位疼痛的感觉吗？", "Numb limbs or pain in a fixed place", C::BloodStasis),
    q(23, "您面部或鼻部有油腻感或者油亮发光吗？", "Oily face or nose", C::DampHeat),
    q(24, "您面色或目眶晦黯，或出现褐色斑块/斑点吗？", "Dark complexion or brown spots", C::BloodStasis),
    q(25, "您有皮肤湿疹、疮疖吗？", "Eczema or boils", C::DampHeat),
    q(26, "您感到口干咽燥、总想喝水吗？", "Dry mouth and throat, always thirsty", C::YinDeficiency),
    q(27, "您感到口苦或嘴里有异味吗？", "Bitter taste or bad breath", C::DampHeat),
    q(28, "您腹部肥大吗？", "Big belly (scored by waist)", C::PhlegmDampness),
    q(
        29,
        "您吃（喝）凉的东西会感到不舒服或者怕吃（喝）凉的东西吗？",
        "Discomfort from cold food or drink",
        C::YangDeficiency,
    ),
    q(30, "您有大便黏滞不爽、解不尽的感觉吗？", "Sticky stools, never quite finished", C::DampHeat),
    q(31, "您容易大便干燥吗？", "Dry stools", C::YinDeficiency),
    q(32, "您舌苔厚腻或有舌苔厚厚的感觉吗？", "Thick greasy tongue coating (may be observed)", C::PhlegmDampness),
    q(33, "您舌下静脉瘀紫或增粗吗？", "Purple or swollen veins under the tongue (observed)", C::BloodStasis),
];

/// The printed meaning of each score 1–5 for the questions answered by a count or a measurement [V S2,S3].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    pub question: u8,
    pub zh: [&'static str; 5],
    pub en: [&'static str; 5],
}

/// Q9 (BMI), Q14 (colds a year), Q17 (allergies) and Q28 (waist). The printed Q14 anchors skip 7 colds a
/// year and overlap "≥8" with "about monthly"; they guide the doctor's choice and are not computed.
pub const ANCHORS: [Anchor; 4] = [
    Anchor {
        question: 9,
        zh: ["BMI<24", "24≤BMI<25", "25≤BMI<26", "26≤BMI<28", "BMI≥28"],
        en: ["BMI < 24", "24 ≤ BMI < 25", "25 ≤ BMI < 26", "26 ≤ BMI < 28", "BMI ≥ 28"],
    },
    Anchor {
        question: 14,
        zh: ["一年<2次", "一年感冒2–4次", "一年感冒5–6次", "一年8次以上", "几乎每月"],
        en: ["Fewer than 2 a year", "2–4 a year", "5–6 a year", "8 or more a year", "About every month"],
    },
    Anchor {
        question: 17,
        zh: ["从来没有", "一年1、2次", "一年3、4次", "一年5、6次", "每次遇到上述原因都过敏"],
        en: ["Never", "1–2 times a year", "3–4 times a year", "5–6 times a year", "On every exposure"],
    },
    Anchor {
        question: 28,
        zh: ["腹围<80cm", "腹围80–85cm", "腹围86–90cm", "腹围91–105cm", "腹围>105cm"],
        en: ["Waist < 80 cm", "Waist 80–85 cm", "Waist 86–90 cm", "Waist 91–105 cm", "Waist > 105 cm"],
    },
];

/// The anchors of a question, if it has any.
pub fn anchor(question: u8) -> Option<Anchor> {
    ANCHORS.into_iter().find(|a| a.question == question)
}

/// Q9's score from the BMI: <24 → 1, 24–<25 → 2, 25–<26 → 3, 26–<28 → 4, ≥28 → 5. Pass the BMI as the check
/// form shows it (one decimal, `visit::chronic::bmi`), so the score agrees with the number the doctor sees:
/// a raw 23.96 is shown as 24.0 and scores 2. `None` for a non-positive or non-finite value.
pub fn bmi_score(bmi: f64) -> Option<u8> {
    if !bmi.is_finite() || bmi <= 0.0 {
        return None;
    }
    Some(match bmi {
        b if b < 24.0 => 1,
        b if b < 25.0 => 2,
        b if b < 26.0 => 3,
        b if b < 28.0 => 4,
        _ => 5,
    })
}

/// Q28's score from the waist (腹围) in cm. The printed bands are whole centimetres (<80 / 80–85 / 86–90 /
/// 91–105 / >105); a measurement between two bands (85.5, 90.5) belongs to the lower one, so the bands are
/// read as [80, 86), [86, 91), [91, 105], and ">105" literally: 105.0 → 4, 105.5 → 5. `None` for a
/// non-positive or non-finite value.
pub fn waist_score(waist_cm: f64) -> Option<u8> {
    if !waist_cm.is_finite() || waist_cm <= 0.0 {
        return None;
    }
    Some(match waist_cm {
        w if w < 80.0 => 1,
        w if w < 86.0 => 2,
        w if w < 91.0 => 3,
        w if w <= 105.0 => 4,
        _ => 5,
    })
}

/// The 33 answers in question order, each a score 1–5 (`Frequency`); 0 means not answered yet, as on an
/// empty form. Sent as a JSON array of exactly 33 numbers (serde has no impls for arrays longer than 32).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Vec<u8>", into = "Vec<u8>")]
pub struct Answers(pub [u8; QUESTION_COUNT]);

impl Default for Answers {
    fn default() -> Self {
        Answers([0; QUESTION_COUNT])
    }
}

impl Answers {
    /// Every question answered with the same score.
    pub const fn all(score: u8) -> Self {
        Answers([score; QUESTION_COUNT])
    }

    /// The answer to question `number` (1–33); 0 if unanswered or no such question.
    pub fn get(&self, number: u8) -> u8 {
        self.0.get(usize::from(number).wrapping_sub(1)).copied().unwrap_or(0)
    }

    /// Sets the answer to question `number`; a number outside 1–33 is ignored.
    pub fn set(&mut self, number: u8, score: u8) {
        if let Some(a) = self.0.get_mut(usize::from(number).wrapping_sub(1)) {
            *a = score;
        }
    }

    pub fn with(mut self, number: u8, score: u8) -> Self {
        self.set(number, score);
        self
    }
}

impl TryFrom<Vec<u8>> for Answers {
    type Error = String;

    fn try_from(v: Vec<u8>) -> Result<Self, String> {
        <[u8; QUESTION_COUNT]>::try_from(v)
            .map(Answers)
            .map_err(|v| format!("expected {QUESTION_COUNT} answers, got {}", v.len()))
    }
}

impl From<Answers> for Vec<u8> {
    fn from(a: Answers) -> Self {
        a.0.to_vec()
    }
}

/// One field error per unanswered (`q7`: 第7题请选择一项) or out-of-range answer. The form's note: no
/// question may be left blank (记录表所列问题不能空项).
pub fn answer_errors(answers: &Answers) -> Vec<FieldError> {
    let mut c = Check::default();
    for (i, &a) in answers.0.iter().enumerate() {
        let n = i + 1;
        let field = format!("q{n}");
        match a {
            0 => c.add(&field, format!("第{n}题请选择一项"), format!("Question {n}: choose one option")),
            1..=5 => {}
            _ => c.add(&field, format!("第{n}题的答案应为1–5"), format!("Question {n}: the answer must be 1–5")),
        }
    }
    c.0
}
