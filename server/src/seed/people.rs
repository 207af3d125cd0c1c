//! Households and residents of one village: plausible family composition and age structure, valid synthetic
//! ID numbers, and key-population flags at rates close to national prevalence.

use super::{names, uuid, Stats};
use anyhow::Context;
use app::resident::id_number::check_digit;
use app::resident::{age_on, KeyFlag};
use chrono::{Datelike, Days, NaiveDate};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;

pub struct Village<'a> {
    pub id: &'a str,
    pub code: &'a str,
    pub doctor: &'a str,
    /// The doctor's display name, as stored with each visit's pull JSON.
    pub doctor_name: &'a str,
    pub now: i64,
    pub today: NaiveDate,
}

/// A resident made here that history generation needs.
pub struct Made {
    pub id: String,
    pub birth: NaiveDate,
    pub htn: bool,
    pub dm: bool,
    pub female: bool,
    pub household: String,
    pub pregnant: bool,
}

/// Keeps synthetic ID numbers unique: (birth date, sequence) pairs already used.
#[derive(Default)]
pub struct IdRegistry(HashSet<(i32, u32, u32)>);

impl IdRegistry {
    fn issue(&mut self, rng: &mut ChaCha8Rng, birth: NaiveDate, male: bool) -> String {
        loop {
            let mut seq: u32 = rng.gen_range(0..500) * 2;
            if male {
                seq += 1;
            }
            if self.0.insert((birth.year(), birth.ordinal(), seq)) {
                let body = format!("{}{}{:03}", names::COUNTY_CODE, birth.format("%Y%m%d"), seq);
                let c = check_digit(&body).expect("17 digits");
                return format!("{body}{c}");
            }
        }
    }
}

pub fn person_name(rng: &mut ChaCha8Rng, male: bool) -> String {
    let surname = names::SURNAMES[weighted_index(rng, names::SURNAMES.len())];
    given(rng, surname, male)
}

fn given(rng: &mut ChaCha8Rng, surname: &str, male: bool) -> String {
    let pool = if male { names::MALE_CHARS } else { names::FEMALE_CHARS };
    let mut n = surname.to_string();
    n.push_str(pool.choose(rng).expect("non-empty"));
    if rng.gen_bool(0.6) {
        n.push_str(pool.choose(rng).expect("non-empty"));
    }
    n
}

/// Earlier entries are more common (surnames are listed by frequency).
fn weighted_index(rng: &mut ChaCha8Rng, len: usize) -> usize {
    let a = rng.gen_range(0..len);
    let b = rng.gen_range(0..len);
    a.min(b)
}

fn birth_for_age(rng: &mut ChaCha8Rng, today: NaiveDate, age: u32) -> NaiveDate {
    let days = age as u64 * 365 + rng.gen_range(0..365);
    today.checked_sub_days(Days::new(days)).unwrap_or(today)
}

struct Person {
    name: String,
    male: bool,
    age: u32,
    relation: u8,
}

/// One household: a head, often a spouse, children or grandchildren, sometimes an elderly parent.
fn household(rng: &mut ChaCha8Rng) -> Vec<Person> {
    let surname = names::SURNAMES[weighted_index(rng, names::SURNAMES.len())];
    let head_age: u32 = match rng.gen_range(0..100) {
        0..=34 => rng.gen_range(24..40),
        35..=77 => rng.gen_range(40..62),
        78..=93 => rng.gen_range(62..75),
        _ => rng.gen_range(75..90),
    };
    let head_male = rng.gen_bool(0.82);
    let mut v = vec![Person { name: given(rng, surname, head_male), male: head_male, age: head_age, relation: 1 }];
    if rng.gen_bool(if head_age > 75 { 0.55 } else { 0.88 }) {
        let age = (head_age as i32 + rng.gen_range(-4..4)).max(20) as u32;
        v.push(Person { name: person_name(rng, !head_male), male: !head_male, age, relation: 2 });
    }
    if head_age < 45 {
        for _ in 0..rng.gen_range(0..3) {
            let male = rng.gen_bool(0.52);
            v.push(Person {
                name: given(rng, surname, male),
                male,
                age: rng.gen_range(0..(head_age - 20).clamp(1, 18)),
                relation: 3,
            });
        }
        if rng.gen_bool(0.2) {
            let male = rng.gen_bool(0.4);
            v.push(Person {
                name: given(rng, surname, male),
                male,
                age: head_age + rng.gen_range(24..32),
                relation: 5,
            });
        }
    } else if head_age < 70 && rng.gen_bool(0.55) {
        let male = rng.gen_bool(0.5);
        v.push(Person {
            name: given(rng, surname, male),
            male,
            age: rng.gen_range(18..(head_age - 20).max(19)),
            relation: 3,
        });
        if rng.gen_bool(0.45) {
            let male = rng.gen_bool(0.52);
            v.push(Person { name: given(rng, surname, male), male, age: rng.gen_range(0..7), relation: 4 });
        }
    }
    v
}

/// Probability of a diagnosis by age band: hypertension and type-2 diabetes rise with age.
fn chance_htn(age: u32) -> f64 {
    match age {
        0..=34 => 0.0,
        35..=44 => 0.08,
        45..=54 => 0.17,
        55..=64 => 0.28,
        _ => 0.37,
    }
}

fn chance_t2dm(age: u32) -> f64 {
    match age {
        0..=34 => 0.0,
        35..=44 => 0.045,
        45..=54 => 0.09,
        55..=64 => 0.14,
        _ => 0.17,
    }
}

/// Writes households and residents until the village holds `quota` people.
pub async fn populate(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rng: &mut ChaCha8Rng,
    ids: &mut IdRegistry,
    v: &Village<'_>,
    quota: u32,
    stats: &mut Stats,
) -> anyhow::Result<Vec<Made>> {
    let mut made = Vec::new();
    let mut seq = 0u32;
    while seq < quota {
        let members: Vec<Person> = household(rng).into_iter().take((quota - seq) as usize).collect();
        let hid = uuid(rng);
        let address = format!("{}{}号", names::GROUPS.choose(rng).expect("groups"), rng.gen_range(1..120));
        let member_ids: Vec<String> = members.iter().map(|_| uuid(rng)).collect();
        sqlx::query("INSERT INTO households (id, village_id, head_resident_id, address, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&hid)
            .bind(v.id)
            .bind(&member_ids[0])
            .bind(&address)
            .bind(v.now)
            .execute(&mut **tx)
            .await
            .context("inserting a household")?;
        stats.households += 1;
        for (p, id) in members.into_iter().zip(member_ids) {
            seq += 1;
            let birth = birth_for_age(rng, v.today, p.age);
            let id_no = (p.age >= 1 || rng.gen_bool(0.5)).then(|| ids.issue(rng, birth, p.male));
            let age = age_on(birth, v.today) as u32;
            let mut flags = Vec::new();
            if rng.gen_bool(chance_htn(age)) {
                flags.push(KeyFlag::Htn);
            }
            if rng.gen_bool(chance_t2dm(age)) {
                flags.push(KeyFlag::T2dm);
            }
            for (flag, p_) in [
                (KeyFlag::Smi, 0.006),
                (KeyFlag::Tb, 0.001),
                (KeyFlag::Disabled, 0.02),
                (KeyFlag::PovertyAlleviated, 0.05),
            ] {
                if age >= 16 && rng.gen_bool(p_) {
                    flags.push(flag);
                }
            }
            if !p.male && (20..36).contains(&age) && rng.gen_bool(0.05) {
                flags.push(KeyFlag::Pregnant);
            }
            let phone = (age >= 16 && rng.gen_bool(0.8))
                .then(|| format!("1{}{:09}", rng.gen_range(3..10), rng.gen_range(0..1_000_000_000u64)));
            let (id_no_for_snapshot, phone_for_snapshot) = (id_no.clone(), phone.clone());
            let details = serde_json::json!({
                "residence_type": if rng.gen_bool(0.92) { 1 } else { 2 },
                "ethnicity": if rng.gen_bool(0.95) { 1 } else { 2 },
                "blood_abo": rng.gen_range(1..6),
                "education": if age < 7 { 10 } else { rng.gen_range(6..10) },
                "occupation": if age < 16 { 8 } else { *[4, 4, 4, 3, 5, 7, 8].choose(rng).expect("codes") },
                "marital": if age < 22 { 1 } else if age > 75 && rng.gen_bool(0.3) { 3 } else { 2 },
                "payment": [2],
            });
            sqlx::query(
                "INSERT INTO residents (id, record_no, village_id, household_id, relation, name, sex, birth_date, id_no, phone,
                 address, details, status, version, created_by, created_device, created_at, updated_by, updated_device, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, 1, $13, 'seed', $14, $15, 'seed', $16)",
            )
            .bind(&id)
            .bind(format!("{}{:05}", v.code, seq))
            .bind(v.id)
            .bind(&hid)
            .bind(p.relation as i64)
            .bind(&p.name)
            .bind(if p.male { 1i64 } else { 2 })
            .bind(birth.to_string())
            .bind(id_no)
            .bind(phone)
            .bind(&address)
            .bind(details.to_string())
            .bind(v.doctor)
            .bind(v.now)
            .bind(v.doctor)
            .bind(v.now)
            .execute(&mut **tx)
            .await
            .context("inserting a resident")?;
            crate::db::sync::log_change(tx, v.id, "resident", &id, v.now).await?;
            // Version 1 in the history, so a later concurrent edit has a base to merge against.
            let mut snapshot = details.clone();
            let extra = serde_json::json!({
                "id": id, "base_version": null, "village_id": v.id, "household_id": hid, "relation": p.relation,
                "name": p.name, "id_no": id_no_for_snapshot, "sex": if p.male { 1 } else { 2 },
                "birth_date": birth.to_string(), "phone": phone_for_snapshot, "address": address, "status": 1,
                "flags": flags.iter().map(|f| f.code()).collect::<Vec<_>>(), "device_id": "seed",
            });
            if let (Some(m), serde_json::Value::Object(e)) = (snapshot.as_object_mut(), extra) {
                m.extend(e);
            }
            sqlx::query(
                "INSERT INTO resident_revisions (resident_id, version, snapshot, author_id, device_id, at) VALUES ($1, 1, $2, $3, 'seed', $4)",
            )
            .bind(&id)
            .bind(snapshot.to_string())
            .bind(v.doctor)
            .bind(v.now)
            .execute(&mut **tx)
            .await?;
            for f in &flags {
                let years_ago = rng.gen_range(0..(age.saturating_sub(34)).clamp(1, 10));
                let since = birth_for_age(rng, v.today, years_ago);
                sqlx::query("INSERT INTO resident_flags (resident_id, flag, since, until, source) VALUES ($1, $2, $3, NULL, 'seed')")
                    .bind(&id)
                    .bind(f.code())
                    .bind(since.max(birth).to_string())
                    .execute(&mut **tx)
                    .await
                    .context("inserting a flag")?;
            }
            stats.residents += 1;
            stats.adults += u64::from(age >= 18);
            stats.htn += u64::from(flags.contains(&KeyFlag::Htn));
            stats.t2dm += u64::from(flags.contains(&KeyFlag::T2dm));
            stats.elderly += u64::from(v.today.year() - birth.year() >= 65);
            stats.children += u64::from(age < 7);
            made.push(Made {
                id,
                birth,
                htn: flags.contains(&KeyFlag::Htn),
                dm: flags.contains(&KeyFlag::T2dm),
                female: !p.male,
                household: hid.clone(),
                pregnant: flags.contains(&KeyFlag::Pregnant),
            });
        }
    }
    sqlx::query("INSERT INTO record_seq (village_id, next_seq) VALUES ($1, $2)")
        .bind(v.id)
        .bind(seq as i64 + 1)
        .execute(&mut **tx)
        .await
        .context("record sequence")?;
    Ok(made)
}
