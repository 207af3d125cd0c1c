//! Family-doctor contracts and health-education sessions of the generated counties, so the contract,
//! fulfilment and education indicators have something to count: most of the key groups (chronic patients,
//! people of 65+, young children) and some of the others signed within the last year, with the contracted
//! services mostly delivered on pace; and a session a month in each village.
//!
//! Drawn from a generator of their own (seeded by the village), so the residents, follow-ups and cards of the
//! demo county stay what they were before contracts were generated.

use super::people::{Made, Village};
use super::services::insert;
use app::contract::{ContractInput, DeliveryInput};
use app::education::{EducationInput, Material, FIVE_IN_VILLAGE, FORM_CONSULTATION, FORM_LECTURE};
use app::record::RecordBody;
use chrono::{Datelike, Days, Months, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Chance that a key-group resident has a contract, and anyone else.
const KEY_SIGNED: f64 = 0.72;
const OTHERS_SIGNED: f64 = 0.2;
/// Chance that a contracted service due by now was delivered.
const DELIVERED: f64 = 0.85;

pub async fn records(tx: &mut sqlx::Transaction<'_, sqlx::Any>, v: &Village<'_>, made: &[Made]) -> anyhow::Result<u64> {
    let seed = v.code.bytes().fold(17u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut count = 0;
    for p in made {
        let age = v.today.year() - p.birth.year();
        let (elderly, child) = (age >= app::elderly::MIN_AGE, age < 7);
        let key = p.htn || p.dm || elderly || child;
        if !rng.gen_bool(if key { KEY_SIGNED } else { OTHERS_SIGNED }) {
            continue;
        }
        let start = v.today - Days::new(rng.gen_range(0..330));
        let mut packages = vec![1];
        packages.extend(
            [(p.htn, 2), (p.dm, 3), (elderly, 4), (child, 5)].into_iter().filter(|(on, _)| *on).map(|(_, k)| k),
        );
        let contract = ContractInput {
            team: "家庭医生团队".into(),
            doctor: v.doctor_name.to_string(),
            packages,
            term_months: app::contract::DEFAULT_TERM_MONTHS,
            fee: None,
            renewal_of: None,
        };
        let contract_id = insert(tx, &mut rng, v, Some(p), start, RecordBody::Contract(contract.clone())).await?;
        count += 1;
        let end = contract.end_date(start);
        let term_days = (end - start).num_days() + 1;
        for (item, due, _) in app::contract::fulfilment(start, &contract, &[], v.today) {
            let times = contract.items().iter().find(|(i, _)| *i == item).map_or(1, |t| t.1.max(1));
            for n in 1..=due {
                if !rng.gen_bool(DELIVERED) {
                    continue;
                }
                let on_pace = start + Days::new((i64::from(n) * term_days / i64::from(times)).max(1) as u64 - 1);
                let date = (on_pace - Days::new(rng.gen_range(0..20))).max(start).min(v.today);
                let body = RecordBody::Delivery(DeliveryInput { contract_id, item: Some(item), note: String::new() });
                insert(tx, &mut rng, v, Some(p), date, body).await?;
                count += 1;
            }
        }
    }
    // One session a month, this year and last.
    let first = NaiveDate::from_ymd_opt(v.today.year() - 1, 1, 1).unwrap_or(v.today);
    let mut month = first;
    while month <= v.today {
        let date = (month + Days::new(rng.gen_range(0..25))).min(v.today);
        let lecture = rng.gen_bool(0.5);
        let audience = rng.gen_range(15..60);
        let body = RecordBody::Education(Box::new(EducationInput {
            start_time: "09:00".into(),
            end_time: "10:30".into(),
            place: "村卫生室".into(),
            forms: vec![if lecture { FORM_LECTURE } else { FORM_CONSULTATION }],
            theme: if lecture { "高血压防治知识讲座".into() } else { "慢病与老年人健康咨询".into() },
            health_day: None,
            organizer: "村卫生室".into(),
            audience: vec![7, 8],
            audience_count: Some(audience),
            materials: vec![Material { kind: "高血压防治折页".into(), count: rng.gen_range(20..80) }],
            content: "血压测量、合理膳食、规律服药".into(),
            evaluation: String::new(),
            five_in: Some(FIVE_IN_VILLAGE),
            archive: vec![],
            participants: vec![],
            photos: vec![],
        }));
        insert(tx, &mut rng, v, None, date, body).await?;
        count += 1;
        month = month.checked_add_months(Months::new(1)).unwrap_or(v.today + Days::new(1));
    }
    Ok(count)
}
