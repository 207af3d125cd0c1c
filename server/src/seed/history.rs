//! Past hypertension and diabetes follow-ups for the demo county: one visit per quarter over the last years
//! (a quarter of them by phone), readings drawn around typical managed values, classified and scheduled by the
//! same rules as the form.

use super::people::{Made, Village};
use super::uuid;
use app::resident::age_on;
use app::visit::chronic::*;
use app::visit::Medication;
use chrono::Days;
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Roughly normal: the sum of three uniforms.
fn around(rng: &mut ChaCha8Rng, mean: f64, spread: f64) -> f64 {
    mean + (rng.gen_range(-1.0..1.0) + rng.gen_range(-1.0..1.0) + rng.gen_range(-1.0..1.0)) * spread
}

const DRUGS: &[&str] = &["氨氯地平", "硝苯地平缓释片", "厄贝沙坦", "缬沙坦", "依那普利", "吲达帕胺", "美托洛尔"];
const DM_DRUGS: &[&str] = &["二甲双胍", "格列美脲", "阿卡波糖", "格列齐特缓释片"];

pub async fn chronic(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rng: &mut ChaCha8Rng,
    v: &Village<'_>,
    made: &[Made],
    years: u32,
    disease: Disease,
) -> anyhow::Result<u64> {
    let rules = ChronicRules::default();
    let recorded_at = crate::db::fmt_time(v.now);
    let dm = disease == Disease::Diabetes;
    let mut count = 0;
    for p in made.iter().filter(|p| if dm { p.dm } else { p.htn }) {
        let mut previous = None;
        let drug = (if dm { DM_DRUGS } else { DRUGS }).choose(rng).expect("drugs").to_string();
        // Oldest first, so "two uncontrolled in a row" sees the previous visit.
        for q in (0..4 * years).rev() {
            let days = q as u64 * 91 + rng.gen_range(0..30);
            let Some(date) = v.today.checked_sub_days(Days::new(days)) else { continue };
            if date <= p.birth {
                continue;
            }
            let sbp = around(rng, 136.0, 9.0).round() as i32;
            let dbp = (around(rng, 84.0, 6.0).round() as i32).min(sbp - 20);
            let id = uuid::Uuid::parse_str(&uuid(rng))?;
            let ctx = ChronicContext {
                age: age_on(p.birth, date),
                birth_date: Some(p.birth),
                previous_classification: previous,
            };
            let mut visit = ChronicVisitInput {
                id,
                visit_id: id,
                disease,
                resident_id: uuid::Uuid::parse_str(&p.id)?,
                visit_date: date,
                outcome: OUTCOME_VISITED,
                mode: Some(*[1u8, 2, 2, 3].choose(rng).expect("modes")),
                symptoms: vec![1],
                sbp: Some(sbp),
                dbp: Some(dbp),
                weight: Some((around(rng, 66.0, 6.0) * 10.0).round() / 10.0),
                heart_rate: Some(around(rng, 76.0, 5.0).round() as i32),
                smoking: Some(if rng.gen_bool(0.25) { rng.gen_range(5..20) } else { 0 }),
                drinking: Some(if rng.gen_bool(0.2) { 1.0 } else { 0.0 }),
                salt: Some(rng.gen_range(1..4)),
                psych: Some(1),
                compliance: Some(1),
                adherence: Some(if rng.gen_bool(0.8) { 1 } else { 2 }),
                adr: Some(1),
                meds: vec![Medication { name: drug.clone(), times_per_day: 1, dose: "1片".into() }],
                device_id: "seed".into(),
                ..Default::default()
            };
            if dm {
                visit.heart_rate = None;
                visit.salt = None;
                visit.fbg = Some((around(rng, 6.9, 0.8) * 10.0).round() / 10.0);
                visit.dorsalis_pedis = Some(1);
                visit.hypoglycemia = Some(1);
            }
            visit.classification = suggested_classification(&visit, &ctx, &rules);
            let step = next_step(&visit, &ctx, &rules);
            visit.next_mgmt = Some(step);
            if step == NEXT_URGENT || step == NEXT_REFER {
                visit.referral = Some(app::visit::Referral {
                    reason: if dm {
                        format!("空腹血糖{}", visit.fbg.unwrap_or_default())
                    } else {
                        format!("血压{sbp}/{dbp}")
                    },
                    institution: if dm { "县人民医院内分泌科" } else { "县人民医院心内科" }.into(),
                    ..Default::default()
                });
            }
            visit.next_visit_date = Some(default_next_visit(date, step, &rules));
            let urgent = !urgent_reasons(&visit, &rules).is_empty();
            let summary = app::visit::VisitSummary::of_chronic(&visit, 1, urgent, v.doctor_name, recorded_at.clone());
            let summary = crate::db::visits::summary_json(&summary)?;
            sqlx::query(
                "INSERT INTO visits (id, visit_id, revision, supersedes, resident_id, village_id, kind, visit_date, outcome, mode, sbp, dbp,
                 classification, next_mgmt, next_visit_date, urgent, payload, is_current, author_id, device_id, received_at, summary, fbg)
                 VALUES ($1, $2, 1, NULL, $3, $4, $17, $5, 1, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, 'seed', $15, $16, $18)",
            )
            .bind(id.to_string())
            .bind(id.to_string())
            .bind(&p.id)
            .bind(v.id)
            .bind(date.to_string())
            .bind(visit.mode.map(i64::from))
            .bind(sbp as i64)
            .bind(dbp as i64)
            .bind(visit.classification.map(i64::from))
            .bind(step as i64)
            .bind(visit.next_visit_date.map(|d| d.to_string()))
            .bind(urgent as i64)
            .bind(serde_json::to_string(&visit)?)
            .bind(v.doctor)
            .bind(v.now)
            .bind(summary)
            .bind(disease.code())
            .bind(visit.fbg)
            .execute(&mut **tx)
            .await?;
            crate::db::sync::log_change(tx, v.id, "visit", &id.to_string(), v.now).await?;
            previous = visit.classification;
            count += 1;
        }
    }
    Ok(count)
}
