//! Coded enumerations of the national forms (the printed box codes), with Chinese and English labels.
//!
//! Records store the code (`u8`) exactly as the paper form prints it, so an export matches the standard and a
//! province can extend a list without a schema change. Validation checks a code against its table; the UI
//! renders the same tables as selects and checkboxes.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub code: u8,
    pub zh: &'static str,
    pub en: &'static str,
}

/// A code-table row; the other domain modules build their tables with it too.
pub(crate) const fn c(code: u8, zh: &'static str, en: &'static str) -> Choice {
    Choice { code, zh, en }
}

/// Looks up a code's label; unknown codes show as the number itself.
pub fn label(table: &[Choice], code: u8, zh: bool) -> String {
    table
        .iter()
        .find(|c| c.code == code)
        .map(|c| if zh { c.zh.to_string() } else { c.en.to_string() })
        .unwrap_or_else(|| code.to_string())
}

pub fn is_valid(table: &[Choice], code: u8) -> bool {
    table.iter().any(|c| c.code == code)
}

/// 性别 (GB/T 2261.1).
pub const SEX: &[Choice] =
    &[c(1, "男", "Male"), c(2, "女", "Female"), c(0, "未知的性别", "Unknown"), c(9, "未说明的性别", "Unspecified")];

/// 常住类型.
pub const RESIDENCE_TYPE: &[Choice] = &[c(1, "户籍", "Registered"), c(2, "非户籍", "Non-registered")];

/// 民族.
pub const ETHNICITY: &[Choice] = &[c(1, "汉族", "Han"), c(2, "少数民族", "Minority")];

/// 血型 (ABO).
pub const BLOOD_ABO: &[Choice] =
    &[c(1, "A型", "A"), c(2, "B型", "B"), c(3, "O型", "O"), c(4, "AB型", "AB"), c(5, "不详", "Unknown")];

/// 文化程度 (3rd edition codes).
pub const EDUCATION: &[Choice] = &[
    c(1, "研究生", "Postgraduate"),
    c(2, "大学本科", "Bachelor"),
    c(3, "大学专科和专科学校", "College"),
    c(4, "中等专业学校", "Secondary vocational"),
    c(5, "技工学校", "Technical school"),
    c(6, "高中", "High school"),
    c(7, "初中", "Junior high"),
    c(8, "小学", "Primary"),
    c(9, "文盲或半文盲", "Illiterate"),
    c(10, "不详", "Unknown"),
];

/// 职业.
pub const OCCUPATION: &[Choice] = &[
    c(0, "国家机关、党群组织、企业、事业单位负责人", "Head of organisation"),
    c(1, "专业技术人员", "Professional"),
    c(2, "办事人员和有关人员", "Clerk"),
    c(3, "商业、服务业人员", "Commerce and services"),
    c(4, "农、林、牧、渔、水利业生产人员", "Farming, forestry, fishery"),
    c(5, "生产、运输设备操作人员及有关人员", "Production and transport"),
    c(6, "军人", "Military"),
    c(7, "不便分类的其他从业人员", "Other"),
    c(8, "无职业", "No occupation"),
];

/// 婚姻状况.
pub const MARITAL: &[Choice] = &[
    c(1, "未婚", "Single"),
    c(2, "已婚", "Married"),
    c(3, "丧偶", "Widowed"),
    c(4, "离婚", "Divorced"),
    c(5, "未说明的婚姻状况", "Unspecified"),
];

/// 医疗费用支付方式 (multi-select).
pub const PAYMENT: &[Choice] = &[
    c(1, "城镇职工基本医疗保险", "Employee insurance"),
    c(2, "城乡居民基本医疗保险", "Resident insurance"),
    c(3, "贫困救助", "Poverty relief"),
    c(4, "商业医疗保险", "Commercial insurance"),
    c(5, "全公费", "Fully public"),
    c(6, "全自费", "Self-paid"),
    c(7, "其他", "Other"),
];

/// 与户主关系.
pub const RELATION: &[Choice] = &[
    c(1, "户主", "Head"),
    c(2, "配偶", "Spouse"),
    c(3, "子女", "Child"),
    c(4, "孙子女", "Grandchild"),
    c(5, "父母", "Parent"),
    c(6, "祖父母", "Grandparent"),
    c(7, "兄弟姐妹", "Sibling"),
    c(8, "其他", "Other"),
];

/// 档案状态.
pub const RECORD_STATUS: &[Choice] = &[
    c(1, "在管", "Managed"),
    c(2, "暂时失访", "Temporarily lost"),
    c(3, "迁出", "Moved out"),
    c(4, "死亡", "Deceased"),
    c(5, "拒绝", "Refused"),
];

/// 随访方式 (1–2 are face-to-face).
pub const VISIT_MODE: &[Choice] = &[c(1, "门诊", "Clinic"), c(2, "家庭", "Home"), c(3, "电话", "Phone")];

/// 随访情况: a normal visit, lost to follow-up, or deceased.
pub const VISIT_OUTCOME: &[Choice] =
    &[c(1, "正常随访", "Visited"), c(2, "失访", "Lost to follow-up"), c(3, "死亡", "Deceased")];

/// 高血压 症状. Code 1 (无症状) excludes the others.
pub const HTN_SYMPTOMS: &[Choice] = &[
    c(1, "无症状", "None"),
    c(2, "头痛头晕", "Headache, dizziness"),
    c(3, "恶心呕吐", "Nausea, vomiting"),
    c(4, "眼花耳鸣", "Blurred vision, tinnitus"),
    c(5, "呼吸困难", "Dyspnoea"),
    c(6, "心悸胸闷", "Palpitations, chest tightness"),
    c(7, "鼻衄出血不止", "Persistent nosebleed"),
    c(8, "四肢发麻", "Numb limbs"),
    c(9, "下肢水肿", "Leg oedema"),
];

/// Danger signs that call for urgent referral (紧急转诊) whatever the blood pressure.
pub const HTN_URGENT_SIGNS: &[Choice] = &[
    c(1, "意识改变", "Altered consciousness"),
    c(2, "剧烈头痛或头晕", "Severe headache or dizziness"),
    c(3, "恶心呕吐", "Nausea, vomiting"),
    c(4, "视力模糊、眼痛", "Blurred vision, eye pain"),
    c(5, "心悸、胸闷", "Palpitations, chest tightness"),
    c(6, "喘憋不能平卧", "Orthopnoea"),
    c(7, "妊娠期或哺乳期血压升高", "High BP in pregnancy or lactation"),
    c(8, "存在不能处理的其他疾病", "Condition not manageable locally"),
];

/// 2型糖尿病 symptoms; "1" excludes the others, as for hypertension.
pub const DM_SYMPTOMS: &[Choice] = &[
    c(1, "无症状", "None"),
    c(2, "多饮", "Polydipsia"),
    c(3, "多食", "Polyphagia"),
    c(4, "多尿", "Polyuria"),
    c(5, "视力模糊", "Blurred vision"),
    c(6, "感染", "Infection"),
    c(7, "手脚麻木", "Numb hands or feet"),
    c(8, "下肢浮肿", "Leg oedema"),
    c(9, "体重明显下降", "Marked weight loss"),
];

/// Diabetes danger signs that call for urgent referral whatever the glucose (§3.1).
pub const DM_URGENT_SIGNS: &[Choice] = &[
    c(1, "意识或行为改变", "Altered consciousness or behaviour"),
    c(2, "呼气有烂苹果样丙酮味", "Acetone breath"),
    c(3, "心悸、出汗", "Palpitations, sweating"),
    c(4, "食欲减退、恶心、呕吐", "Anorexia, nausea, vomiting"),
    c(5, "多饮、多尿", "Polydipsia, polyuria"),
    c(6, "腹痛", "Abdominal pain"),
    c(7, "深大呼吸、皮肤潮红", "Deep breathing, flushed skin"),
    c(8, "持续性心动过速（心率超过100次/分）", "Persistent tachycardia (over 100/min)"),
    c(9, "体温超过39℃", "Temperature over 39 °C"),
    c(10, "突然视力下降", "Sudden loss of vision"),
    c(11, "妊娠期或哺乳期血糖高于正常", "High glucose in pregnancy or lactation"),
    c(12, "存在不能处理的其他疾病", "Condition not manageable locally"),
];

/// 足背动脉搏动 (2017 form).
pub const DORSALIS_PEDIS: &[Choice] = &[c(1, "触及正常", "Normal"), c(2, "减弱", "Weak"), c(3, "消失", "Absent")];

/// Which side a weak or absent 足背动脉搏动 is on.
pub const DORSALIS_SIDE: &[Choice] = &[c(1, "双侧", "Both"), c(2, "左侧", "Left"), c(3, "右侧", "Right")];

/// 低血糖反应.
pub const HYPOGLYCEMIA: &[Choice] = &[c(1, "无", "None"), c(2, "偶尔", "Occasional"), c(3, "频繁", "Frequent")];

/// 健康状态自评 (elderly annual check).
pub const SELF_RATED_HEALTH: &[Choice] = &[
    c(1, "满意", "Satisfied"),
    c(2, "基本满意", "Mostly satisfied"),
    c(3, "说不清楚", "Not sure"),
    c(4, "不太满意", "Not very satisfied"),
    c(5, "不满意", "Dissatisfied"),
];

/// 摄盐情况(咸淡).
pub const SALT: &[Choice] = &[c(1, "轻", "Light"), c(2, "中", "Medium"), c(3, "重", "Heavy")];

/// 心理调整 and 遵医行为 share the same scale.
pub const GOOD_FAIR_POOR: &[Choice] = &[c(1, "良好", "Good"), c(2, "一般", "Fair"), c(3, "差", "Poor")];

/// 服药依从性.
pub const ADHERENCE: &[Choice] = &[c(1, "规律", "Regular"), c(2, "间断", "Intermittent"), c(3, "不服药", "Not taking")];

/// 药物不良反应.
pub const ADR: &[Choice] = &[c(1, "无", "None"), c(2, "有", "Yes")];

/// 此次随访分类; with several, the form takes the most severe.
pub const CLASSIFICATION: &[Choice] = &[
    c(1, "控制满意", "Controlled"),
    c(2, "控制不满意", "Not controlled"),
    c(3, "不良反应", "Adverse reaction"),
    c(4, "并发症", "Complication"),
];

/// 下一步管理措施.
pub const NEXT_MGMT: &[Choice] = &[
    c(1, "常规随访", "Routine follow-up"),
    c(2, "第1次控制不满意2周随访", "Revisit in 2 weeks (first uncontrolled)"),
    c(3, "两次控制不满意转诊随访", "Refer (twice uncontrolled), follow up"),
    c(4, "紧急转诊", "Urgent referral"),
];

/// 转诊结果.
pub const REFERRAL_RESULT: &[Choice] = &[c(1, "到位", "Arrived"), c(2, "不到位", "Did not arrive")];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_has_unique_codes() {
        for t in [
            SEX,
            EDUCATION,
            OCCUPATION,
            HTN_SYMPTOMS,
            HTN_URGENT_SIGNS,
            DM_SYMPTOMS,
            DM_URGENT_SIGNS,
            DORSALIS_PEDIS,
            HYPOGLYCEMIA,
            SELF_RATED_HEALTH,
            CLASSIFICATION,
            NEXT_MGMT,
            RELATION,
        ] {
            let mut codes: Vec<u8> = t.iter().map(|c| c.code).collect();
            codes.sort();
            codes.dedup();
            assert_eq!(codes.len(), t.len());
        }
    }

    #[test]
    fn unknown_codes_are_invalid_and_label_as_numbers() {
        assert!(!is_valid(CLASSIFICATION, 9));
        assert_eq!(label(CLASSIFICATION, 9, true), "9");
        assert_eq!(label(CLASSIFICATION, 1, true), "控制满意");
    }
}
