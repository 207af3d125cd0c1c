//! Health-education activity record (健康教育活动记录表, domain spec §4): a session a village doctor holds —
//! when and where, its forms, theme (free text or a day of the health-day calendar), audience, materials given
//! out, content, evaluation, the 五进 setting, the archive kept, linked participants and photos.

use crate::check::Check;
use crate::codes::{c, Choice};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub mod calendar;
pub mod pages;

/// 活动形式 (several may apply).
pub const FORMS: &[Choice] = &[
    c(1, "健康知识讲座", "Health lecture"),
    c(2, "公众健康咨询活动", "Public health consultation"),
    c(3, "宣传栏（更新）", "Bulletin board (update)"),
    c(4, "发放印刷资料", "Printed materials handed out"),
    c(5, "播放音像资料", "Audio-visual materials played"),
    c(6, "个体化健康教育", "Individual health education"),
    c(9, "其他", "Other"),
];
pub const FORM_LECTURE: u8 = 1;
pub const FORM_CONSULTATION: u8 = 2;
const FORM_INDIVIDUAL: u8 = 6;

/// 接受健康教育人员类别: the standard's target groups, then the app's additions.
pub const AUDIENCE: &[Choice] = &[
    c(1, "青少年", "Adolescents"),
    c(2, "妇女", "Women"),
    c(3, "老年人", "Older people"),
    c(4, "残疾人", "People with disabilities"),
    c(5, "0–6岁儿童家长", "Parents of children 0–6"),
    c(6, "农民工", "Migrant workers"),
    c(7, "一般居民", "General residents"),
    c(8, "慢病患者", "Chronic patients"),
    c(9, "孕产妇", "Pregnant and postpartum women"),
    c(10, "其他", "Other"),
];

/// 五进 (health education into five settings).
pub const FIVE_IN: &[Choice] = &[
    c(1, "进机关", "Offices"),
    c(2, "进企业", "Enterprises"),
    c(3, "进学校", "Schools"),
    c(4, "进社区", "Communities"),
    c(5, "进乡村", "Villages"),
];
pub const FIVE_IN_VILLAGE: u8 = 5;

/// 存档材料.
pub const ARCHIVE: &[Choice] = &[
    c(1, "书面材料", "Written material"),
    c(2, "图片材料", "Pictures"),
    c(3, "印刷材料", "Printed material"),
    c(4, "影音材料", "Audio-visual"),
    c(5, "签到表", "Sign-in sheet"),
    c(9, "其他材料", "Other"),
];

/// Materials handed out: a kind (e.g. 高血压防治折页) and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Material {
    pub kind: String,
    pub count: u32,
}

/// A photo of the session, sent as its own attachment entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoRef {
    pub id: Uuid,
    /// `record::attachment::PHOTO_KINDS` code.
    pub kind: u8,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EducationInput {
    /// Start and end, "HH:MM", on the record's date.
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub forms: Vec<u8>,
    pub theme: String,
    /// The health day the theme was picked from (`calendar::HEALTH_DAYS` code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_day: Option<String>,
    pub organizer: String,
    pub audience: Vec<u8>,
    /// Required for lectures, consultations and individual education; must match the sign-in sheet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<Material>,
    pub content: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub evaluation: String,
    pub five_in: Option<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub archive: Vec<u8>,
    /// Residents linked as participants (optional).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<Uuid>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<PhotoRef>,
}

/// Minutes since midnight of "HH:MM".
pub fn minutes(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 && s.trim().len() == 5).then_some(h * 60 + m)
}

pub const MAX_AUDIENCE: u32 = 5_000;
pub const MAX_MATERIALS: usize = 20;
pub const MAX_PARTICIPANTS: usize = 500;

impl EducationInput {
    pub fn check(&self, c: &mut Check, _date: chrono::NaiveDate) {
        match (minutes(&self.start_time), minutes(&self.end_time)) {
            (None, _) => c.add("start_time", "请填写开始时间（时:分）", "Enter the start time (HH:MM)"),
            (_, None) => c.add("end_time", "请填写结束时间（时:分）", "Enter the end time (HH:MM)"),
            (Some(s), Some(e)) if e <= s => {
                c.add("end_time", "结束时间应晚于开始时间", "The end must be after the start")
            }
            _ => {}
        }
        c.required_text("place", &self.place, 100);
        c.codes("forms", FORMS, &self.forms, true);
        c.required_text("theme", &self.theme, 100);
        if let Some(code) = &self.health_day {
            if calendar::by_code(code).is_none() {
                c.add("health_day", "健康日无效", "Unknown health day");
            }
        }
        c.required_text("organizer", &self.organizer, 50);
        c.codes("audience", AUDIENCE, &self.audience, true);
        let counted = self.forms.iter().any(|f| [FORM_LECTURE, FORM_CONSULTATION, FORM_INDIVIDUAL].contains(f));
        match self.audience_count {
            None if counted => {
                c.add("audience_count", "讲座、咨询和个体化教育须填写参加人数", "Enter the number of people reached")
            }
            Some(n) if n > MAX_AUDIENCE => c.range("audience_count", n, 0, MAX_AUDIENCE, "人"),
            Some(0) if counted => c.add("audience_count", "参加人数应至少为1", "At least one person"),
            _ => {}
        }
        if self.materials.len() > MAX_MATERIALS {
            c.add(
                "materials",
                format!("最多{MAX_MATERIALS}种资料"),
                format!("At most {MAX_MATERIALS} kinds of material"),
            );
        } else if self.materials.iter().any(|m| m.kind.trim().is_empty() || m.kind.chars().count() > 50) {
            c.add("materials", "资料种类必填，不超过50字", "Each material needs a kind of at most 50 characters");
        } else if self.materials.iter().any(|m| m.count == 0 || m.count > 100_000) {
            c.add("materials", "资料数量应为1–100000", "Each count must be 1–100000");
        }
        c.required_text("content", &self.content, 2000);
        c.text("evaluation", &self.evaluation, 1000);
        c.code("five_in", FIVE_IN, self.five_in, true);
        c.codes("archive", ARCHIVE, &self.archive, false);
        if self.participants.len() > MAX_PARTICIPANTS {
            c.add(
                "participants",
                format!("最多关联{MAX_PARTICIPANTS}位居民"),
                format!("At most {MAX_PARTICIPANTS} residents"),
            );
        } else if self.audience_count.is_some_and(|n| (n as usize) < self.participants.len()) {
            c.add("audience_count", "参加人数少于关联的居民人数", "Fewer people than the residents linked");
        }
        if self.photos.len() > crate::record::attachment::MAX_PHOTOS {
            c.add("photos", "照片过多", "Too many photos");
        }
        if self.photos.iter().any(|p| !crate::codes::is_valid(crate::record::attachment::PHOTO_KINDS, p.kind)) {
            c.add("photos", "照片类别无效", "Invalid photo kind");
        }
    }

    /// Whether the session counts as a lecture (讲座) for the yearly targets.
    pub fn is_lecture(&self) -> bool {
        self.forms.contains(&FORM_LECTURE)
    }
}

#[cfg(test)]
pub(crate) mod tests;
