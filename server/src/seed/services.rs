//! Service records of the demo county: the doses on each child's card, given a few days after each became
//! due with now and then a series the family let lapse (so the Today list has real catch-up work, not every
//! dose of every child), and the yearly check of most residents of 65 and over.

use super::people::{Made, Village};
use super::uuid;
use app::elderly::{ElderlyCheckInput, Level, Screen, SelfCare};
use app::record::{RecordBody, RecordInput};
use app::vaccination::plan::{plan, series, RULES};
use app::vaccination::{DoseInput, GivenDose};
use chrono::{Datelike, Days, Months, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Chance that a family lets one series lapse at a given dose.
const LAPSE: f64 = 0.01;
/// Chance that a resident of 65+ had this year's check already.
const CHECKED_THIS_YEAR: f64 = 0.7;

pub async fn records(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rng: &mut ChaCha8Rng,
    v: &Village<'_>,
    made: &[Made],
    checked: &mut Vec<(String, NaiveDate)>,
) -> anyhow::Result<u64> {
    let mut count = 0;
    let seven = v.today.checked_sub_months(Months::new(84)).unwrap_or(v.today);
    for p in made {
        if p.birth > seven {
            for d in card(rng, p.birth, v.today) {
                let body = RecordBody::Dose(DoseInput {
                    vaccine: d.vaccine,
                    dose_no: d.dose_no,
                    place: "乡镇卫生院预防接种门诊".into(),
                    batch: String::new(),
                    source: Some(1),
                });
                insert(tx, rng, v, Some(p), d.date, body).await?;
                count += 1;
            }
        } else if v.today.year() - p.birth.year() >= app::elderly::MIN_AGE && rng.gen_bool(CHECKED_THIS_YEAR) {
            let start = NaiveDate::from_ymd_opt(v.today.year(), 1, 1).unwrap_or(v.today);
            let date = start + Days::new(rng.gen_range(0..=(v.today - start).num_days().max(0) as u64));
            let independent = Level::Independent;
            let body = RecordBody::ElderlyCheck(Box::new(ElderlyCheckInput {
                check_date: date,
                temperature: Some(36.5),
                pulse: Some(rng.gen_range(64..86)),
                respiration: Some(18),
                sbp: Some(rng.gen_range(118..150)),
                dbp: Some(rng.gen_range(70..90)),
                height_cm: Some(f64::from(rng.gen_range(150..172))),
                weight: Some(f64::from(rng.gen_range(48..76))),
                waist_cm: Some(f64::from(rng.gen_range(70..96))),
                self_care: Some(SelfCare {
                    eating: independent,
                    grooming: independent,
                    dressing: independent,
                    toileting: independent,
                    mobility: if rng.gen_bool(0.2) { Level::Mild } else { independent },
                }),
                self_rated: Some(rng.gen_range(1..4)),
                cognition: Some(Screen::Negative),
                mood: Some(Screen::Negative),
                guidance: "低盐饮食，适量运动，定期测量血压".into(),
                next_date: None,
            }));
            insert(tx, rng, v, Some(p), date, body).await?;
            checked.push((p.id.clone(), date));
            count += 1;
        }
    }
    Ok(count)
}

/// The doses of a child's card up to `today`: each series followed in order, each dose a few days after it
/// became due, until the family lets a series lapse. Time walks forward from birth and each dose is planned on
/// its own day, under the edition of the schedule then in force (a dose is judged by that edition).
fn card(rng: &mut ChaCha8Rng, birth: NaiveDate, today: NaiveDate) -> Vec<GivenDose> {
    let mut doses: Vec<GivenDose> = Vec::new();
    let mut lapsed: Vec<&str> = Vec::new();
    let mut day = birth;
    for _ in 0..400 {
        let lines = plan(birth, &doses, day, &RULES);
        let next = lines
            .iter()
            .filter(|l| l.missing() && !lapsed.contains(&series(l.vaccine)))
            .filter_map(|l| l.earliest.map(|e| (e.max(day), l)))
            .min_by_key(|(e, _)| *e);
        let Some((when, line)) = next else { break };
        if when > day {
            // Plan again on that day: ages, limits and the edition are the ones of that day.
            day = when;
            continue;
        }
        let date = day + Days::new(rng.gen_range(0..10));
        // Not yet given (its day has not come), or let lapse: the series stops here.
        if date > today || rng.gen_bool(LAPSE) {
            lapsed.push(series(line.vaccine));
            continue;
        }
        doses.push(GivenDose { vaccine: line.vaccine.to_string(), dose_no: line.dose, date });
    }
    doses
}

/// Stores one record (revision 1, from the device `seed`) with its change-log row; returns its id.
pub(super) async fn insert(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rng: &mut ChaCha8Rng,
    v: &Village<'_>,
    p: Option<&Made>,
    date: NaiveDate,
    body: RecordBody,
) -> anyhow::Result<uuid::Uuid> {
    insert_at(tx, rng, v, p, date, body, v.now).await
}

/// `insert`, received by the server at `received_at` (what a report's timeliness is judged by).
pub(super) async fn insert_at(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rng: &mut ChaCha8Rng,
    v: &Village<'_>,
    p: Option<&Made>,
    date: NaiveDate,
    body: RecordBody,
    received_at: i64,
) -> anyhow::Result<uuid::Uuid> {
    let id = uuid::Uuid::parse_str(&uuid(rng))?;
    let resident_id = p.map(|p| uuid::Uuid::parse_str(&p.id)).transpose()?;
    let r = RecordInput { id, record_id: id, village_id: v.id.to_string(), resident_id, date, body, signature: None };
    sqlx::query(
        "INSERT INTO records (id, record_id, revision, kind, village_id, resident_id, service_date, body, signed,
         is_current, author_id, device_id, received_at) VALUES ($1, $1, 1, $2, $3, $4, $5, $6, 0, 1, $7, 'seed', $8)",
    )
    .bind(id.to_string())
    .bind(r.kind().code())
    .bind(v.id)
    .bind(p.map(|p| p.id.clone()))
    .bind(date.to_string())
    .bind(serde_json::to_string(&r)?)
    .bind(v.doctor)
    .bind(received_at)
    .execute(&mut **tx)
    .await?;
    crate::db::sync::log_change(tx, v.id, "record", &id.to_string(), v.now).await?;
    Ok(id)
}
