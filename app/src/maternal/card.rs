//! The mother's current pregnancy on her page (本次妊娠): when she was registered, the gestational age and
//! due date today, the village screen's findings and the township's five-colour grade (五色管理) with its
//! reasons. The grade reaches the phone with the pull; here the doctor sees it where she looks after the
//! woman, not only as a line of the service log.

use super::grading::open_pregnancies;
use crate::i18n::{pick, use_zh};
use crate::local::ShownRecord;
use crate::record::StoredRecord;
use crate::resident::Resident;
use leptos::prelude::*;

/// What the card shows, worked out from the woman's records.
#[derive(Debug, Clone, PartialEq)]
pub struct PregnancyFacts {
    pub registration_date: chrono::NaiveDate,
    /// Completed (weeks, days) today, when the last period is known.
    pub gestational_age: Option<(u32, u32)>,
    pub due_date: Option<chrono::NaiveDate>,
    pub flags: Vec<super::RiskFlag>,
    pub grade: Option<super::RiskGrade>,
    pub reasons: String,
}

/// The latest registration of `woman` still open on `today` (no delivery since, not past the longest
/// pregnancy), or none.
pub fn current_pregnancy(
    woman: &Resident,
    records: &[StoredRecord],
    today: chrono::NaiveDate,
) -> Option<PregnancyFacts> {
    let open = open_pregnancies(records, today);
    let p = open.iter().max_by_key(|o| (o.input.registration_date, o.registration.record.id))?;
    let lmp = p.input.lmp_estimate();
    Some(PregnancyFacts {
        registration_date: p.input.registration_date,
        gestational_age: lmp.and_then(|l| super::gestational_age(l, today)),
        due_date: lmp.map(super::edd),
        flags: super::risk::risk_flags(p.input, woman.birth_date),
        grade: p.grade.map(|g| g.grade),
        reasons: p.grade.map(|g| g.reasons.clone()).unwrap_or_default(),
    })
}

#[component]
pub fn PregnancyCard(resident: Resident, records: Vec<ShownRecord>) -> impl IntoView {
    let zh = use_zh();
    let stored: Vec<StoredRecord> = records.into_iter().map(|r| r.stored).collect();
    let Some(f) = current_pregnancy(&resident, &stored, crate::device::today()) else {
        return ().into_any();
    };
    let facts = StoredValue::new(f);
    let line = move || {
        let (f, z) = (facts.get_value(), zh.get());
        let mut parts = vec![format!("{} {}", pick(z, "建册", "Registered"), f.registration_date)];
        if let Some((w, d)) = f.gestational_age {
            parts.push(if z { format!("孕{w}周{d}天") } else { format!("{w} weeks {d} days") });
        }
        if let Some(due) = f.due_date {
            parts.push(format!("{} {due}", pick(z, "预产期", "due")));
        }
        parts.join(" · ")
    };
    let screen = move || {
        let (f, z) = (facts.get_value(), zh.get());
        if f.flags.is_empty() {
            pick(z, "建册筛查未见高危因素", "No risk factor on the screen").to_string()
        } else {
            let found: Vec<String> = f.flags.iter().map(|x| x.message(z)).collect();
            format!("{}：{}", pick(z, "筛查阳性", "Screen"), found.join("；"))
        }
    };
    // The border shows the highest colour; purple alone is shown as purple.
    let level =
        facts.with_value(|f| f.grade.and_then(|g| g.colors().first().copied())).map(|c| c.label(false).to_lowercase());
    let grade = move || {
        let (f, z) = (facts.get_value(), zh.get());
        match f.grade {
            Some(g) if f.reasons.is_empty() => format!("{}：{}", pick(z, "妊娠风险分级", "Risk grade"), g.label(z)),
            Some(g) => format!("{}：{}（{}）", pick(z, "妊娠风险分级", "Risk grade"), g.label(z), f.reasons),
            None => pick(z, "待乡镇卫生院评估分级", "Awaiting the township's grade").to_string(),
        }
    };
    view! {
        <section class="card pregnancy-card" data-testid="pregnancy-card">
            <h2>{move || pick(zh.get(), "本次妊娠", "Current pregnancy")}</h2>
            <p>{line}</p>
            <p class="hint">{screen}</p>
            <p class="risk-grade" data-grade=level data-testid="pregnancy-grade">{grade}</p>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::samples::{self, stored};
    use crate::record::RecordBody;
    use uuid::Uuid;

    #[test]
    fn the_card_shows_the_open_pregnancy_with_its_age_due_date_and_grade() {
        let today: chrono::NaiveDate = "2026-11-23".parse().unwrap();
        let mut woman = crate::resident::tests::stored(Uuid::now_v7(), "王秀英", "v1");
        woman.birth_date = "1985-06-01".parse().unwrap();
        let lmp = today - chrono::Duration::days(70);
        let day = lmp + chrono::Duration::days(63);
        let reg = stored(woman.id, day, RecordBody::Pregnancy(Box::new(samples::registration(day, lmp))));
        let mut records = vec![reg.clone()];
        let f = current_pregnancy(&woman, &records, today).unwrap();
        assert_eq!(f.gestational_age, Some((10, 0)));
        assert_eq!(f.due_date, Some(super::super::edd(lmp)));
        assert!(f.flags.contains(&super::super::RiskFlag::AgeHigh(41)), "{:?}", f.flags);
        assert_eq!(f.grade, None);
        let graded = super::super::grading::RiskGradeInput {
            pregnancy_id: reg.record.record_id,
            grade: super::super::RiskGrade::combine([super::super::RiskColor::Orange]),
            reasons: "年龄41岁".into(),
        };
        records.push(stored(woman.id, today, RecordBody::RiskGrade(Box::new(graded))));
        let f = current_pregnancy(&woman, &records, today).unwrap();
        let orange = Some(super::super::RiskColor::Orange);
        assert_eq!((f.grade.and_then(|g| g.level), f.reasons.as_str()), (orange, "年龄41岁"));
        // A delivery since the registration closes it.
        let birth = samples::childbirth(today);
        records.push(stored(woman.id, today, RecordBody::Childbirth(Box::new(birth))));
        assert_eq!(current_pregnancy(&woman, &records, today), None);
    }
}
