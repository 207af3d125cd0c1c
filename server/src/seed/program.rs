//! The later services of the national program in the demo county (issue 10), so that its indicators and
//! Today lists are not empty: pregnancies of the women flagged pregnant (早孕建册 and the urged prenatal
//! visits), the delivery, birth record, newborn and postpartum visits and 42-day check of every baby under one
//! year with a mother in the household, the health checks and TCM services of most young children, the TCM
//! identification of most residents of 65 and over who had their check this year, and a few disease reports,
//! public-health events and supervision clues per village.
//!
//! Each record is built from `app::record::samples` (valid by construction) with its dates and measures
//! varied, then validated with the shared rules: a record the phone would refuse is a bug here, not demo data.

use super::people::{Made, Village};
use app::child::{self, CheckPoint};
use app::maternal::PrenatalVisit;
use app::record::samples;
use app::record::{RecordBody, RecordContext, RecordInput};
use app::tcm::{self, Answers, Guidance, TypeGuidance};
use chrono::{Duration, NaiveDate, NaiveTime};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Share of babies whose newborn visit, postpartum visit and 42-day check were made.
const VISITED: f64 = 0.9;
/// Share of mothers registered before 13 weeks.
const EARLY_REGISTERED: f64 = 0.92;
/// Share of children 0–6 followed here (their checks recorded), and of checks made once due.
const CHILD_FOLLOWED: f64 = 0.8;
const CHECK_MADE: f64 = 0.85;
/// Share of TCM child services given at the ages passed.
const TCM_CHILD_GIVEN: f64 = 0.7;
/// Share of residents of 65+ checked this year who also had the TCM identification.
const TCM_WITH_CHECK: f64 = 0.8;

pub async fn records(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rng: &mut ChaCha8Rng,
    v: &Village<'_>,
    members: &[Made],
    checked_this_year: &[(String, NaiveDate)],
) -> anyhow::Result<u64> {
    let mut n = 0;
    let today = v.today;
    for m in members.iter().filter(|m| m.pregnant) {
        n += pregnancy(tx, rng, v, m).await?;
    }
    for baby in members.iter().filter(|m| (today - m.birth).num_days() < 365) {
        let mother = members
            .iter()
            .find(|w| w.female && w.household == baby.household && (18..=45).contains(&years(w.birth, baby.birth)));
        if let Some(mother) = mother {
            n += delivery(tx, rng, v, mother, baby).await?;
        }
    }
    for c in members.iter().filter(|m| years(m.birth, today) < 7) {
        let newborn = (today - c.birth).num_days() < 365;
        if newborn || rng.gen_bool(CHILD_FOLLOWED) {
            n += checks(tx, rng, v, c).await?;
        }
    }
    for (id, date) in checked_this_year {
        if rng.gen_bool(TCM_WITH_CHECK) {
            let Some(m) = members.iter().find(|m| &m.id == id) else { continue };
            // Identified at the check, or from the 65th birthday when the check came before it.
            let Some(date) = (0..=366).map(|k| *date + Duration::days(k)).find(|d| years(m.birth, *d) >= 65) else {
                continue;
            };
            if date > today {
                continue;
            }
            let body = RecordBody::TcmElderly(Box::new(tcm_elderly(rng, date)));
            n += store(tx, rng, v, Some(m), date, body).await?;
        }
    }
    n += reports(tx, rng, v).await?;
    Ok(n)
}

/// Whole years from `birth` to `on`.
fn years(birth: NaiveDate, on: NaiveDate) -> i32 {
    app::resident::age_on(birth, on)
}

/// Registered at 8–12 weeks; the prenatal visits whose windows have passed urged on their first days.
async fn pregnancy(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rng: &mut ChaCha8Rng,
    v: &Village<'_>,
    m: &Made,
) -> anyhow::Result<u64> {
    let ga_days = rng.gen_range(60..250);
    let lmp = v.today - Duration::days(ga_days);
    let registered = (lmp + Duration::days(rng.gen_range(56..88))).min(v.today);
    let body = RecordBody::Pregnancy(Box::new(samples::registration(registered, lmp)));
    let mut n = store(tx, rng, v, Some(m), registered, body).await?;
    for visit in PrenatalVisit::ALL[1..].iter().copied() {
        let (from, _) = app::maternal::window(lmp, visit);
        let urged = from + Duration::days(rng.gen_range(0..5));
        if urged > v.today || urged < registered {
            continue;
        }
        let mut input = samples::urged(urged, lmp);
        input.visit = visit;
        n += store(tx, rng, v, Some(m), urged, RecordBody::Prenatal(Box::new(input))).await?;
    }
    Ok(n)
}

/// The baby's delivery (the mother's record), birth record, newborn visit, postpartum visit and 42-day check.
async fn delivery(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rng: &mut ChaCha8Rng,
    v: &Village<'_>,
    mother: &Made,
    baby: &Made,
) -> anyhow::Result<u64> {
    let born = baby.birth;
    let mut n = 0;
    // Most mothers were registered early in the pregnancy (早孕建册), here or at the township.
    if rng.gen_bool(EARLY_REGISTERED) {
        let lmp = born - Duration::days(rng.gen_range(266..290));
        let registered = lmp + Duration::days(rng.gen_range(49..91));
        let body = RecordBody::Pregnancy(Box::new(samples::registration(registered, lmp)));
        n += store(tx, rng, v, Some(mother), registered, body).await?;
    }
    let discharged = born + Duration::days(rng.gen_range(1..5));
    let mut childbirth = samples::childbirth(born);
    childbirth.discharge_date = Some(discharged);
    childbirth.gestation_weeks = Some(rng.gen_range(37..42));
    childbirth.babies[0].sex = if baby.female { app::resident::Sex::Female } else { app::resident::Sex::Male };
    let weeks = childbirth.gestation_weeks;
    let childbirth_id = insert_id(tx, rng, v, Some(mother), born, RecordBody::Childbirth(Box::new(childbirth))).await?;
    let mother_id = uuid::Uuid::parse_str(&mother.id)?;
    let mut birth = samples::birth(mother_id, childbirth_id, born);
    birth.discharge_date = Some(discharged);
    birth.gestation_weeks = weeks;
    birth.birth_weight_kg = Some(f64::from(rng.gen_range(27..40)) / 10.0);
    let birth_weight = birth.birth_weight_kg;
    n += 1 + store(tx, rng, v, Some(baby), born, RecordBody::Birth(Box::new(birth))).await?;
    let visit_day = discharged + Duration::days(rng.gen_range(1..6));
    if visit_day <= v.today && rng.gen_bool(VISITED) {
        let mut visit = samples::newborn_visit(visit_day);
        visit.gestation_weeks = weeks;
        visit.birth_weight_kg = birth_weight;
        visit.weight_kg = birth_weight.map(|w| w + 0.1);
        visit.next_date = None;
        n += store(tx, rng, v, Some(baby), visit_day, RecordBody::NewbornVisit(Box::new(visit))).await?;
        let body = RecordBody::Postpartum(Box::new(samples::postpartum(born, visit_day)));
        n += store(tx, rng, v, Some(mother), visit_day, body).await?;
    }
    let check_day = born + Duration::days(rng.gen_range(42..50));
    if check_day <= v.today && rng.gen_bool(VISITED) {
        let body = RecordBody::Postpartum42(Box::new(samples::check_42(born, check_day)));
        n += store(tx, rng, v, Some(mother), check_day, body).await?;
    }
    Ok(n)
}

/// The child's checks whose windows have passed (most of them, each early in its window, measured near the
/// standard's median), and the TCM services at 6–36 months.
async fn checks(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rng: &mut ChaCha8Rng,
    v: &Village<'_>,
    c: &Made,
) -> anyhow::Result<u64> {
    let birth = c.birth;
    let sex = if c.female { app::resident::Sex::Female } else { app::resident::Sex::Male };
    let std = child::standard::standard();
    let mut n = 0;
    for point in CheckPoint::ALL {
        let (from, until) = child::window(birth, point);
        let day = from + Duration::days(rng.gen_range(0..=(until - from).num_days().min(10)));
        if day > v.today || !rng.gen_bool(CHECK_MADE) {
            continue;
        }
        let months = f64::from(child::age_months(birth, day));
        let near = |x: f64, rng: &mut ChaCha8Rng| (x * rng.gen_range(0.96..1.04) * 10.0).round() / 10.0;
        let (Some(w), Some(h)) = (std.weight_for_age.row(sex, months), std.height_for_age.row(sex, months)) else {
            continue;
        };
        let extras = point.extras();
        let mut check = samples::child_check(day);
        check.point = point;
        check.weight_kg = Some(near(w.median, rng));
        check.height_cm = Some(near(h.median, rng));
        check.head_cm = (point.band() == child::FormBand::Infant).then(|| near(35.0 + months.min(12.0) * 0.8, rng));
        check.hb = extras.hb.then(|| f64::from(rng.gen_range(112..135)));
        check.hearing = extras.hearing.then_some(child::Hearing::Pass);
        check.vision = extras.vision.then(|| f64::from(rng.gen_range(8..11)) / 10.0);
        check.guidance = child::ChildGuidance::options(point.band()).iter().copied().take(2).collect();
        check.next_date = None;
        n += store(tx, rng, v, Some(c), day, RecordBody::ChildCheck(Box::new(check))).await?;
    }
    for months in tcm::CHILD_AGES_MONTHS {
        let Some((from, _)) = tcm::child_window(birth, months) else { continue };
        let day = from + Duration::days(rng.gen_range(0..10));
        if day > v.today || !rng.gen_bool(TCM_CHILD_GIVEN) {
            continue;
        }
        let mut input = samples::tcm_child(day);
        input.age_months = months;
        n += store(tx, rng, v, Some(c), day, RecordBody::TcmChild(Box::new(input))).await?;
    }
    Ok(n)
}

/// Answers drawn mostly 没有 / 很少, now and then more, scored by the shared rules; each positive type guided.
fn tcm_elderly(rng: &mut ChaCha8Rng, date: NaiveDate) -> tcm::TcmElderlyInput {
    let mut answers = Answers([1; 33]);
    for q in 1..=33u8 {
        let a = match rng.gen_range(0..100) {
            0..=54 => 1,
            55..=84 => 2,
            85..=95 => 3,
            _ => 4,
        };
        answers = answers.with(q, a);
    }
    let positives = tcm::score(&answers).positives();
    let guidance = positives
        .into_iter()
        .map(|constitution| TypeGuidance {
            constitution,
            items: vec![Guidance::Diet, Guidance::Routine, Guidance::Exercise],
            other: String::new(),
        })
        .collect();
    tcm::TcmElderlyInput { date, answers, guidance, note: String::new(), next_date: None }
}

/// Two months of disease reports (none to three per village, most received within hours) and supervision
/// clues (none or one).
async fn reports(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rng: &mut ChaCha8Rng,
    v: &Village<'_>,
) -> anyhow::Result<u64> {
    const COMMON: [&str; 6] = ["hfmd", "infectious_diarrhoea", "influenza", "tb_positive", "scarlet_fever", "mumps"];
    let mut n = 0;
    for _ in 0..rng.gen_range(0..4) {
        let day = v.today - Duration::days(rng.gen_range(1..60));
        let disease = COMMON[rng.gen_range(0..COMMON.len())];
        let mut card = samples::disease_report(day, disease);
        let male = rng.gen_bool(0.5);
        card.patient_name = super::people::person_name(rng, male);
        card.sex = if male { 1 } else { 2 };
        card.case_class = rng.gen_range(2..4);
        // Sent when it was filled, mostly; now and then a day later (late for a 24-hour disease).
        let late = rng.gen_bool(0.1);
        let received =
            card.filled_at + if late { Duration::hours(30) } else { Duration::minutes(rng.gen_range(2..90)) };
        let body = RecordBody::DiseaseReport(Box::new(card));
        n += store_received(tx, rng, v, None, day, body, stamp(received)).await?;
    }
    // Now and then a public-health event (a food poisoning after a banquet), phoned in and then sent.
    if rng.gen_bool(0.15) {
        let day = v.today - Duration::days(rng.gen_range(3..60));
        let mut card = samples::event_report(day);
        card.cases = rng.gen_range(3..20);
        let received = stamp(card.learnt_at + Duration::minutes(rng.gen_range(20..100)));
        n += store_received(tx, rng, v, None, day, RecordBody::EventReport(Box::new(card)), received).await?;
    }
    if rng.gen_bool(0.5) {
        let day = v.today - Duration::days(rng.gen_range(1..60));
        let clue = samples::supervision(day);
        let received = stamp(day.and_time(NaiveTime::from_hms_opt(16, 0, 0).unwrap_or_default()));
        n += store_received(tx, rng, v, None, day, RecordBody::SupervisionReport(Box::new(clue)), received).await?;
    }
    Ok(n)
}

/// A local time (as the card writes it) as the server's receipt timestamp.
fn stamp(t: chrono::NaiveDateTime) -> i64 {
    t.and_local_timezone(chrono::Local).earliest().map_or(t.and_utc().timestamp(), |t| t.timestamp())
}

async fn store(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rng: &mut ChaCha8Rng,
    v: &Village<'_>,
    m: Option<&Made>,
    date: NaiveDate,
    body: RecordBody,
) -> anyhow::Result<u64> {
    insert_id(tx, rng, v, m, date, body).await.map(|_| 1)
}

async fn insert_id(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rng: &mut ChaCha8Rng,
    v: &Village<'_>,
    m: Option<&Made>,
    date: NaiveDate,
    body: RecordBody,
) -> anyhow::Result<uuid::Uuid> {
    checked(v, m, date, &body)?;
    super::services::insert_at(tx, rng, v, m, date, body, v.now).await
}

async fn store_received(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rng: &mut ChaCha8Rng,
    v: &Village<'_>,
    m: Option<&Made>,
    date: NaiveDate,
    body: RecordBody,
    received_at: i64,
) -> anyhow::Result<u64> {
    checked(v, m, date, &body)?;
    super::services::insert_at(tx, rng, v, m, date, body, received_at.min(v.now)).await.map(|_| 1)
}

/// The shared rules, as the phone and the server apply them to a doctor's entry.
fn checked(v: &Village<'_>, m: Option<&Made>, date: NaiveDate, body: &RecordBody) -> anyhow::Result<()> {
    let resident_id = m.map(|m| uuid::Uuid::parse_str(&m.id)).transpose()?;
    let record = RecordInput::new(v.id.to_string(), resident_id, date, body.clone(), None);
    let now = chrono::DateTime::from_timestamp(v.now, 0)
        .map(|t| t.with_timezone(&chrono::Local).naive_local())
        .unwrap_or_default();
    // The demo's "now" may be earlier in the day than a generated time: judge against the end of today.
    let now = now.max(v.today.and_hms_opt(23, 59, 59).unwrap_or(now));
    record
        .validate(&RecordContext::new(now, m.map(|m| m.birth)))
        .map_err(|e| anyhow::anyhow!("demo {} on {date} invalid: {e:?}", record.kind().code()))
}
