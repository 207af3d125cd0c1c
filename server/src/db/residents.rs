//! Resident records: list and search within a set of villages, read one, create or edit one (versioned, with
//! a revision snapshot per save), households, and the 17-digit health-record number.

use super::{fmt_time, get_i64, get_opt_str, get_str, parse_date, placeholders, SqlStore};
use app::auth::SessionUser;
use app::error::AppError;
use app::resident::id_number::mask;
use app::resident::merge::{merge, same_content};
use app::resident::{
    FlagMembership, HouseholdOption, KeyFlag, Resident, ResidentInput, ResidentPage, ResidentQuery, ResidentSummary,
    Sex, ValidResident, PAGE_SIZE,
};
use app::store::ResidentPlace;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use sqlx::{Any, Transaction};
use uuid::Uuid;

/// The coded form fields kept as JSON in `residents.details`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ResidentDetails {
    pub residence_type: u8,
    pub ethnicity: u8,
    pub blood_abo: u8,
    pub education: u8,
    pub occupation: u8,
    pub marital: u8,
    pub payment: Vec<u8>,
}

pub async fn households(s: &SqlStore, village_id: &str) -> Result<Vec<HouseholdOption>, AppError> {
    let rows = sqlx::query(
        "SELECT h.id, h.village_id, h.address, COALESCE(r.name, '') AS head_name FROM households h
         LEFT JOIN residents r ON r.id = h.head_resident_id WHERE h.village_id = $1 ORDER BY r.name",
    )
    .bind(village_id)
    .fetch_all(&s.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(HouseholdOption {
                id: get_str(r, "id")?,
                village_id: get_str(r, "village_id")?,
                head_name: get_str(r, "head_name")?,
                address: get_str(r, "address")?,
            })
        })
        .collect()
}

pub async fn household_village(s: &SqlStore, household_id: &str) -> Result<Option<String>, AppError> {
    let row = sqlx::query("SELECT village_id FROM households WHERE id = $1")
        .bind(household_id)
        .fetch_optional(&s.pool)
        .await?;
    row.map(|r| get_str(&r, "village_id")).transpose()
}

pub async fn list(
    s: &SqlStore,
    villages: &[String],
    q: &ResidentQuery,
    today: NaiveDate,
) -> Result<ResidentPage, AppError> {
    if villages.is_empty() {
        return Ok(ResidentPage { rows: vec![], total: 0, page: q.page });
    }
    let mut args: Vec<String> = villages.to_vec();
    let mut sql = format!(
        " FROM residents r JOIN org_units v ON v.id = r.village_id JOIN households h ON h.id = r.household_id
          LEFT JOIN residents hr ON hr.id = h.head_resident_id WHERE r.village_id IN ({})",
        placeholders(1, villages.len())
    );
    let text = q.q.trim();
    if !text.is_empty() {
        let like = format!("%{}%", text.replace(['%', '_'], ""));
        let n = args.len() + 1;
        sql.push_str(&format!(
            " AND (r.name LIKE ${n} OR r.id_no LIKE ${} OR r.record_no LIKE ${} OR hr.name LIKE ${})",
            n + 1,
            n + 2,
            n + 3
        ));
        args.extend([like.clone(), like.to_uppercase(), like.clone(), like]);
    }
    match q.flag {
        Some(KeyFlag::Elderly65) => {
            // Reaches 65 during this year: born on or before 31 Dec of (year − 65).
            args.push(format!("{}-12-31", today.year() - 65));
            sql.push_str(&format!(" AND r.birth_date <= ${}", args.len()));
        }
        Some(KeyFlag::Child0To6) => {
            let limit = today.with_year(today.year() - 7).unwrap_or(today);
            args.push(limit.to_string());
            sql.push_str(&format!(" AND r.birth_date > ${}", args.len()));
        }
        Some(flag) => {
            args.push(flag.code().to_string());
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM resident_flags f WHERE f.resident_id = r.id AND f.until IS NULL AND f.flag = ${})",
                args.len()
            ));
        }
        None => {}
    }
    let count_sql = format!("SELECT COUNT(*) AS n {sql}");
    let mut count = sqlx::query(&count_sql);
    for a in &args {
        count = count.bind(a);
    }
    let total = get_i64(&count.fetch_one(&s.pool).await?, "n")?;
    let page_sql = format!(
        "SELECT r.id, r.name, r.sex, r.birth_date, r.id_no, r.address, v.name AS village_name, COALESCE(hr.name, '') AS head_name
         {sql} ORDER BY r.name, r.id LIMIT {PAGE_SIZE} OFFSET {}",
        q.page as i64 * PAGE_SIZE as i64
    );
    let mut query = sqlx::query(&page_sql);
    for a in &args {
        query = query.bind(a);
    }
    let rows = query.fetch_all(&s.pool).await?;
    let ids: Vec<String> = rows.iter().map(|r| get_str(r, "id")).collect::<Result<_, _>>()?;
    let flags = current_flags(s, &ids).await?;
    let rows = rows
        .iter()
        .map(|r| {
            let id = get_str(r, "id")?;
            Ok(ResidentSummary {
                id: parse_uuid(&id)?,
                name: get_str(r, "name")?,
                sex: sex_of(get_i64(r, "sex")?),
                birth_date: parse_date(&get_str(r, "birth_date")?)?,
                id_masked: get_opt_str(r, "id_no")?.map(|i| mask(&i)),
                village_name: get_str(r, "village_name")?,
                household_head: get_str(r, "head_name")?,
                address: get_str(r, "address")?,
                flags: flags.iter().filter(|(rid, _)| *rid == id).map(|(_, m)| m.flag).collect(),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(ResidentPage { rows, total, page: q.page })
}

fn parse_uuid(s: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(s).map_err(|e| AppError::internal("stored uuid", e))
}

fn sex_of(code: i64) -> Sex {
    Sex::from_code(code as u8).unwrap_or(Sex::Unknown)
}

/// Open flag memberships of the given residents.
async fn current_flags(s: &SqlStore, ids: &[String]) -> Result<Vec<(String, FlagMembership)>, AppError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let rows: Vec<(String, String, String)> = super::fetch_json_in(
        &mut *s.pool.acquire().await?,
        "resident_id, flag, since",
        "FROM resident_flags WHERE until IS NULL AND resident_id IN ({ids})",
        ids,
    )
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (resident_id, flag, since) in rows {
        if let Some(flag) = KeyFlag::from_code(&flag) {
            out.push((resident_id, FlagMembership { flag, since: parse_date(&since)? }));
        }
    }
    // Flags in a fixed order, whatever order the database returned them in.
    out.sort_by(|a, b| a.1.flag.code().cmp(b.1.flag.code()));
    Ok(out)
}

pub async fn place(s: &SqlStore, id: Uuid) -> Result<Option<ResidentPlace>, AppError> {
    let row = sqlx::query("SELECT village_id, birth_date FROM residents WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(&s.pool)
        .await?;
    row.map(|r| {
        Ok(ResidentPlace {
            village_id: get_str(&r, "village_id")?,
            birth_date: parse_date(&get_str(&r, "birth_date")?)?,
        })
    })
    .transpose()
}

/// Places of many residents, for a pushed batch.
pub async fn places(s: &SqlStore, ids: &[Uuid]) -> Result<std::collections::HashMap<Uuid, ResidentPlace>, AppError> {
    let rows: Vec<(Uuid, String, chrono::NaiveDate)> = super::fetch_json_in(
        &mut *s.pool.acquire().await?,
        "id, village_id, birth_date",
        "FROM residents WHERE id IN ({ids})",
        &super::texts(ids),
    )
    .await?;
    Ok(rows.into_iter().map(|(id, village_id, birth_date)| (id, ResidentPlace { village_id, birth_date })).collect())
}

/// The columns of a whole resident record, in the order of `ResidentRow`'s fields.
const RESIDENT_COLUMNS: &str = "r.id, r.record_no, r.village_id, r.household_id, r.relation, r.name, r.sex, \
    r.birth_date, r.id_no, r.phone, r.address, json(r.details), r.status, r.version, r.created_at, r.updated_at, \
    v.name, COALESCE(hr.name, ''), COALESCE(u.display_name, '')";
const RESIDENT_FROM: &str = "FROM residents r JOIN org_units v ON v.id = r.village_id
     JOIN households h ON h.id = r.household_id LEFT JOIN residents hr ON hr.id = h.head_resident_id
     LEFT JOIN users u ON u.id = r.created_by";

/// One resident as `RESIDENT_COLUMNS` reads it.
#[derive(Deserialize)]
struct ResidentRow {
    id: Uuid,
    record_no: String,
    village_id: String,
    household_id: String,
    relation: u8,
    name: String,
    sex: i64,
    birth_date: chrono::NaiveDate,
    id_no: Option<String>,
    phone: Option<String>,
    address: String,
    details: ResidentDetails,
    status: u8,
    version: i64,
    created_at: i64,
    updated_at: i64,
    village_name: String,
    head_name: String,
    author: String,
}

pub async fn get(s: &SqlStore, id: Uuid) -> Result<Option<Resident>, AppError> {
    Ok(get_many(s, &[id]).await?.into_iter().next())
}

/// Everyone born on `birth_date` in the villages of `village_id`'s township: a handful of rows, each through
/// the (village, birth date) index.
pub async fn township_born_on(
    s: &SqlStore,
    village_id: &str,
    birth_date: NaiveDate,
) -> Result<Vec<Resident>, AppError> {
    let rows = sqlx::query(
        "SELECT r.id FROM residents r JOIN org_units v ON v.id = r.village_id
         WHERE v.parent_id = (SELECT parent_id FROM org_units WHERE id = $1) AND r.birth_date = $2",
    )
    .bind(village_id)
    .bind(birth_date.to_string())
    .fetch_all(&s.pool)
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| parse_uuid(&get_str(r, "id")?)).collect::<Result<_, _>>()?;
    get_many(s, &ids).await
}

/// Many residents with their flags (a pull page), in no particular order.
pub async fn get_many(s: &SqlStore, ids: &[Uuid]) -> Result<Vec<Resident>, AppError> {
    let keys = super::texts(ids);
    let rest = format!("{RESIDENT_FROM} WHERE r.id IN ({{ids}})");
    let rows: Vec<ResidentRow> =
        super::fetch_json_in(&mut *s.pool.acquire().await?, RESIDENT_COLUMNS, &rest, &keys).await?;
    let mut flags: std::collections::HashMap<String, Vec<FlagMembership>> = std::collections::HashMap::new();
    for (id, m) in current_flags(s, &keys).await? {
        flags.entry(id).or_default().push(m);
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let flags = flags.remove(&r.id.to_string()).unwrap_or_default();
            resident_of(r, flags)
        })
        .collect())
}

fn resident_of(r: ResidentRow, flags: Vec<FlagMembership>) -> Resident {
    let d = r.details;
    Resident {
        id: r.id,
        record_no: r.record_no,
        village_id: r.village_id,
        village_name: r.village_name,
        household_id: r.household_id,
        household_head: r.head_name,
        relation: r.relation,
        name: r.name,
        sex: sex_of(r.sex),
        birth_date: r.birth_date,
        id_no: r.id_no,
        phone: r.phone,
        address: r.address,
        residence_type: d.residence_type,
        ethnicity: d.ethnicity,
        blood_abo: d.blood_abo,
        education: d.education,
        occupation: d.occupation,
        marital: d.marital,
        payment: d.payment,
        status: r.status,
        flags,
        version: r.version,
        created_at: fmt_time(r.created_at),
        created_by_name: r.author,
        updated_at: fmt_time(r.updated_at),
    }
}

fn conflict_duplicate(existing: Option<&str>) -> AppError {
    AppError::Conflict {
        zh: "该身份证号已建档，不能重复建档".into(),
        en: "A record with this ID number already exists".into(),
        existing_id: existing.map(str::to_string),
    }
}

fn stale_edit(id: &str) -> AppError {
    AppError::Conflict {
        zh: "该档案已被他人修改，请刷新后再编辑".into(),
        en: "Someone else changed this record; reload and edit again".into(),
        existing_id: Some(id.to_string()),
    }
}

async fn snapshot_at(tx: &mut Transaction<'_, Any>, id: &str, version: i64) -> Result<Option<ResidentInput>, AppError> {
    let snap: Option<String> =
        sqlx::query_scalar("SELECT snapshot FROM resident_revisions WHERE resident_id = $1 AND version = $2")
            .bind(id)
            .bind(version)
            .fetch_optional(&mut **tx)
            .await?;
    snap.map(|s| serde_json::from_str(&s).map_err(|e| AppError::internal("snapshot", e))).transpose()
}

/// An edit made from an older version than the stored one: merged field by field (see `app::resident::merge`).
/// Returns the merged record to write (based on the current version) and the fields in conflict, or None
/// when the edit is already contained in the stored record (a retry).
async fn merge_stale(
    tx: &mut Transaction<'_, Any>,
    r: &ValidResident,
    base: i64,
    current: i64,
    today: NaiveDate,
) -> Result<Option<(ValidResident, Vec<String>)>, AppError> {
    let id = r.input.id.to_string();
    let (Some(base_rec), Some(stored)) = (snapshot_at(tx, &id, base).await?, snapshot_at(tx, &id, current).await?)
    else {
        return Err(AppError::Conflict {
            zh: "该档案已被他人修改，请刷新后再编辑".into(),
            en: "Someone else changed this record; reload and edit again".into(),
            existing_id: Some(id),
        });
    };
    let m = merge(&base_rec, &stored, &r.input);
    if m.conflicts.is_empty() && same_content(&m.input, &stored) {
        return Ok(None);
    }
    if !m.conflicts.is_empty() {
        // A conflicting edit sent again: its losing values are already on record.
        let losing = serde_json::to_string(&r.input).map_err(|e| AppError::internal("snapshot", e))?;
        let seen: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM conflicts WHERE resident_id = $1 AND losing = $2")
            .bind(&id)
            .bind(losing)
            .fetch_one(&mut **tx)
            .await?;
        if seen > 0 {
            return Ok(None);
        }
    }
    let mut input = m.input;
    input.base_version = Some(current);
    Ok(Some((input.validate(today)?, m.conflicts)))
}

pub async fn save(s: &SqlStore, r: &ValidResident, author: &SessionUser, now: i64) -> Result<Uuid, AppError> {
    let today = chrono::Local::now().date_naive();
    let _gate = s.write_gate.read().await;
    let (_one_writer, mut tx) = s.begin_write().await?;
    let mut merged = None;
    if let Some(base) = r.input.base_version {
        let current: Option<i64> = sqlx::query_scalar("SELECT version FROM residents WHERE id = $1")
            .bind(r.input.id.to_string())
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(current) = current.filter(|c| *c != base) {
            match merge_stale(&mut tx, r, base, current, today).await? {
                None => return Ok(r.input.id),
                Some((valid, conflicts)) => merged = Some((valid, conflicts, current)),
            }
        }
    }
    let losing = merged
        .as_ref()
        .map(|_| serde_json::to_string(&r.input))
        .transpose()
        .map_err(|e| AppError::internal("snapshot", e))?;
    let r = merged.as_ref().map(|(v, _, _)| v).unwrap_or(r);
    let input = &r.input;
    let id = input.id.to_string();
    if let Some(id_no) = &r.id_no {
        let dup = sqlx::query("SELECT id FROM residents WHERE id_no = $1 AND id <> $2")
            .bind(id_no.as_str())
            .bind(&id)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(d) = dup {
            return Err(conflict_duplicate(Some(&get_str(&d, "id")?)));
        }
    }
    let existing = sqlx::query("SELECT version, created_by, village_id FROM residents WHERE id = $1")
        .bind(&id)
        .fetch_optional(&mut *tx)
        .await?;
    let details = serde_json::to_string(&ResidentDetails {
        residence_type: input.residence_type,
        ethnicity: input.ethnicity,
        blood_abo: input.blood_abo,
        education: input.education,
        occupation: input.occupation,
        marital: input.marital,
        payment: input.payment.clone(),
    })
    .map_err(|e| AppError::internal("details", e))?;
    let snapshot = serde_json::to_string(input).map_err(|e| AppError::internal("snapshot", e))?;
    let mut old_village = None;
    let version = match (existing, input.base_version) {
        (None, Some(_)) => return Err(AppError::NotFound),
        (Some(ex), None) => {
            // The same new record sent again (a retry after a lost answer): already stored, accept once.
            return if get_str(&ex, "created_by")? == author.id {
                Ok(input.id)
            } else {
                Err(AppError::Conflict {
                    zh: "记录编号冲突".into(),
                    en: "Record id already used".into(),
                    existing_id: None,
                })
            };
        }
        (Some(ex), Some(base)) => {
            // Stale edits were merged above onto the current version; only a concurrent writer gets here.
            if get_i64(&ex, "version")? != base {
                return Err(stale_edit(&id));
            }
            old_village = Some(get_str(&ex, "village_id")?);
            let household =
                household_for(&mut tx, input.household_id.as_deref(), &id, &input.village_id, &input.address, now)
                    .await?;
            sqlx::query(
                "UPDATE residents SET village_id = $1, household_id = $2, relation = $3, name = $4, sex = $5, birth_date = $6,
                 id_no = $7, phone = $8, address = $9, details = $10, status = $11, version = version + 1,
                 updated_by = $12, updated_device = $13, updated_at = $14 WHERE id = $15",
            )
            .bind(&input.village_id)
            .bind(&household)
            .bind(input.relation as i64)
            .bind(&input.name)
            .bind(r.sex.code() as i64)
            .bind(r.birth_date.to_string())
            .bind(r.id_no.as_ref().map(|i| i.as_str().to_string()))
            .bind(&input.phone)
            .bind(&input.address)
            .bind(&details)
            .bind(input.status as i64)
            .bind(&author.id)
            .bind(&input.device_id)
            .bind(now)
            .bind(&id)
            .execute(&mut *tx)
            .await
            .map_err(unique_to_conflict)?;
            base + 1
        }
        (None, None) => {
            let household =
                household_for(&mut tx, input.household_id.as_deref(), &id, &input.village_id, &input.address, now)
                    .await?;
            let record_no = next_record_no(&mut tx, &input.village_id).await?;
            sqlx::query(
                "INSERT INTO residents (id, record_no, village_id, household_id, relation, name, sex, birth_date, id_no, phone,
                 address, details, status, version, created_by, created_device, created_at, updated_by, updated_device, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $15, $16, $17, $18, $19)",
            )
            .bind(&id)
            .bind(&record_no)
            .bind(&input.village_id)
            .bind(&household)
            .bind(input.relation as i64)
            .bind(&input.name)
            .bind(r.sex.code() as i64)
            .bind(r.birth_date.to_string())
            .bind(r.id_no.as_ref().map(|i| i.as_str().to_string()))
            .bind(&input.phone)
            .bind(&input.address)
            .bind(&details)
            .bind(input.status as i64)
            .bind(&author.id)
            .bind(&input.device_id)
            .bind(now)
            .bind(&author.id)
            .bind(&input.device_id)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(unique_to_conflict)?;
            1
        }
    };
    sync_flags(&mut tx, &id, &input.flags, today).await?;
    log_resident_changes(&mut tx, &id, old_village.as_deref(), &input.village_id, now).await?;
    sqlx::query("INSERT INTO resident_revisions (resident_id, version, snapshot, author_id, device_id, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&id)
        .bind(version)
        .bind(snapshot)
        .bind(&author.id)
        .bind(&input.device_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    if let (Some((_, fields, kept)), Some(losing)) = (&merged, losing) {
        if !fields.is_empty() {
            sqlx::query(
                "INSERT INTO conflicts (id, resident_id, village_id, base_version, kept_version, fields, losing, author_id, at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(Uuid::now_v7().to_string())
            .bind(&id)
            .bind(&input.village_id)
            .bind(version - 1)
            .bind(*kept)
            .bind(serde_json::to_string(fields).map_err(|e| AppError::internal("fields", e))?)
            .bind(losing)
            .bind(&author.id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(input.id)
}

/// A unique-constraint race (two saves of the same ID number at once) is still a conflict, not a 500.
fn unique_to_conflict(e: sqlx::Error) -> AppError {
    match e.as_database_error() {
        Some(d) if d.is_unique_violation() => conflict_duplicate(None),
        _ => e.into(),
    }
}

/// The given household, or a new one headed by this resident.
async fn household_for(
    tx: &mut Transaction<'_, Any>,
    household: Option<&str>,
    resident_id: &str,
    village_id: &str,
    address: &str,
    now: i64,
) -> Result<String, AppError> {
    if let Some(h) = household {
        return Ok(h.to_string());
    }
    // A new household takes its head's id, so a phone that registered the head offline can add members to it
    // (a newborn at a delivery) before the server has answered: the id is known on both sides. A head who
    // "starts a new household" again gets back the one they founded.
    let id = resident_id.to_string();
    sqlx::query(
        "INSERT INTO households (id, village_id, head_resident_id, address, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&id)
    .bind(village_id)
    .bind(resident_id)
    .bind(address)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// 健康档案编号: the village's 12-digit code + a 5-digit sequence that is never reused.
pub async fn next_record_no(tx: &mut Transaction<'_, Any>, village_id: &str) -> Result<String, AppError> {
    let code = sqlx::query("SELECT code FROM org_units WHERE id = $1 AND level = 'village'")
        .bind(village_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| AppError::field("village_id", "村不存在", "No such village"))?;
    let code = get_str(&code, "code")?;
    let seq = match sqlx::query("SELECT next_seq FROM record_seq WHERE village_id = $1")
        .bind(village_id)
        .fetch_optional(&mut **tx)
        .await?
    {
        Some(r) => get_i64(&r, "next_seq")?,
        None => {
            sqlx::query("INSERT INTO record_seq (village_id, next_seq) VALUES ($1, 1)")
                .bind(village_id)
                .execute(&mut **tx)
                .await?;
            1
        }
    };
    sqlx::query("UPDATE record_seq SET next_seq = $1 WHERE village_id = $2")
        .bind(seq + 1)
        .bind(village_id)
        .execute(&mut **tx)
        .await?;
    Ok(format!("{code}{seq:05}"))
}

/// Opens memberships for newly set flags and closes those the doctor cleared (history is kept).
async fn sync_flags(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    flags: &[KeyFlag],
    today: NaiveDate,
) -> Result<(), AppError> {
    let rows = sqlx::query("SELECT flag FROM resident_flags WHERE resident_id = $1 AND until IS NULL")
        .bind(id)
        .fetch_all(&mut **tx)
        .await?;
    let current: Vec<String> = rows.iter().map(|r| get_str(r, "flag")).collect::<Result<_, _>>()?;
    for c in &current {
        if !flags.iter().any(|f| f.code() == c) {
            sqlx::query("UPDATE resident_flags SET until = $1 WHERE resident_id = $2 AND flag = $3 AND until IS NULL")
                .bind(today.to_string())
                .bind(id)
                .bind(c)
                .execute(&mut **tx)
                .await?;
        }
    }
    for f in flags {
        if !current.iter().any(|c| c == f.code()) {
            sqlx::query(
                "INSERT INTO resident_flags (resident_id, flag, since, until, source) VALUES ($1, $2, $3, NULL, 'doctor')
                 ON CONFLICT (resident_id, flag, since) DO UPDATE SET until = NULL",
            )
            .bind(id)
            .bind(f.code())
            .bind(today.to_string())
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Records a resident write in the change log. A move to another village revokes the record from the old
/// village's devices and sends its visits to the new village's.
async fn log_resident_changes(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    old_village: Option<&str>,
    village: &str,
    now: i64,
) -> Result<(), AppError> {
    use super::sync::log_change;
    if let Some(old) = old_village.filter(|o| *o != village) {
        log_change(tx, old, "revoke", id, now).await?;
        sqlx::query("UPDATE visits SET village_id = $1 WHERE resident_id = $2")
            .bind(village)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        let visit_ids: Vec<String> = sqlx::query_scalar("SELECT DISTINCT visit_id FROM visits WHERE resident_id = $1")
            .bind(id)
            .fetch_all(&mut **tx)
            .await?;
        log_change(tx, village, "resident", id, now).await?;
        for v in visit_ids {
            log_change(tx, village, "visit", &v, now).await?;
        }
        return Ok(());
    }
    log_change(tx, village, "resident", id, now).await
}
