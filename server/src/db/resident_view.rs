//! What residents' accounts read and write: the children linked to a parent's account, the snapshot a
//! resident's phone pulls (own record, linked children, their follow-ups, service records and the education
//! sessions they attended), residents' answers about their visits, record views and the village's doctors.

use super::{get_i64, get_str, records, residents, sync::log_change, visits, SqlStore};
use app::error::AppError;
use app::my_record::{Answer, CareContact, Confirmation};
use app::store::PullPage;
use app::sync::Change;
use chrono::NaiveDate;
use uuid::Uuid;

pub async fn set_link(
    s: &SqlStore,
    parent: Uuid,
    child: Uuid,
    linked: bool,
    by: &str,
    now: i64,
) -> Result<(), AppError> {
    let (_one, mut tx) = s.begin_write().await?;
    sqlx::query(
        "INSERT INTO resident_links (parent_id, child_id, linked, linked_by, linked_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (parent_id, child_id) DO UPDATE SET linked = excluded.linked, linked_by = excluded.linked_by,
         linked_at = excluded.linked_at",
    )
    .bind(parent.to_string())
    .bind(child.to_string())
    .bind(linked as i64)
    .bind(by)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    // A change of the child's record moves the parent's pull cursor, so the phone picks the link up (doctors'
    // phones receive the child's unchanged record once more, which they take as it is).
    let village: String = sqlx::query_scalar("SELECT village_id FROM residents WHERE id = $1")
        .bind(child.to_string())
        .fetch_one(&mut *tx)
        .await?;
    log_change(&mut tx, &village, "resident", &child.to_string(), now).await?;
    tx.commit().await?;
    Ok(())
}

/// (child, linked) of every link a parent's account has had.
async fn links(s: &SqlStore, parent: Uuid) -> Result<Vec<(Uuid, bool)>, AppError> {
    let rows = sqlx::query("SELECT child_id, linked FROM resident_links WHERE parent_id = $1 ORDER BY linked_at")
        .bind(parent.to_string())
        .fetch_all(&s.pool)
        .await?;
    rows.iter().map(|r| Ok((super::get_uuid(r, "child_id")?, get_i64(r, "linked")? != 0))).collect()
}

pub async fn linked_children(s: &SqlStore, parent: Uuid) -> Result<Vec<Uuid>, AppError> {
    Ok(links(s, parent).await?.into_iter().filter(|l| l.1).map(|l| l.0).collect())
}

pub async fn pull(s: &SqlStore, resident: Uuid, cursor: i64) -> Result<PullPage, AppError> {
    let links = links(s, resident).await?;
    let mut scope = vec![resident];
    scope.extend(links.iter().filter(|l| l.1).map(|l| l.0));
    let unlinked: Vec<Uuid> = links.iter().filter(|l| !l.1).map(|l| l.0).collect();
    let all: Vec<Uuid> = scope.iter().chain(&unlinked).copied().collect();
    let (people, gone): (Vec<_>, Vec<_>) =
        residents::get_many(s, &all).await?.into_iter().partition(|r| scope.contains(&r.id));
    let mut villages: Vec<String> = people.iter().chain(&gone).map(|r| r.village_id.clone()).collect();
    villages.sort();
    villages.dedup();
    if villages.is_empty() {
        return Ok(PullPage { changes: vec![], residents: vec![], next_cursor: cursor, more: false });
    }
    let mut conn = s.pool.acquire().await?;
    let mut latest = 0;
    for r in super::fetch_in(
        &mut conn,
        "SELECT COALESCE(MAX(seq), 0) AS seq FROM changes WHERE village_id IN ({ids})",
        &villages,
    )
    .await?
    {
        latest = latest.max(get_i64(&r, "seq")?);
    }
    if latest <= cursor {
        return Ok(PullPage { changes: vec![], residents: vec![], next_cursor: cursor, more: false });
    }
    let keys = super::texts(&scope);
    let visit_ids: Vec<String> =
        super::fetch_in(&mut conn, "SELECT DISTINCT visit_id FROM visits WHERE resident_id IN ({ids})", &keys)
            .await?
            .iter()
            .map(|r| get_str(r, "visit_id"))
            .collect::<Result<_, _>>()?;
    let mut record_ids: Vec<String> = super::fetch_in(
        &mut conn,
        "SELECT DISTINCT record_id FROM records WHERE is_current = 1 AND resident_id IN ({ids})",
        &keys,
    )
    .await?
    .iter()
    .map(|r| get_str(r, "record_id"))
    .collect::<Result<_, _>>()?;
    // Health-education sessions name their participants inside the record.
    let attended = super::numbered(
        &conn,
        &format!(
            "SELECT record_id FROM records WHERE is_current = 1 AND kind = 'education' AND village_id IN ({}) AND ({})",
            super::marks(villages.len()),
            vec!["body LIKE ?"; keys.len()].join(" OR ")
        ),
    );
    let mut q = sqlx::query(&attended);
    for v in &villages {
        q = q.bind(v.clone());
    }
    for k in &keys {
        q = q.bind(format!("%\"{k}\"%"));
    }
    for r in q.fetch_all(&mut *conn).await? {
        record_ids.push(get_str(&r, "record_id")?);
    }
    drop(conn);
    let json = |c: &Change| serde_json::to_string(c).map_err(|e| AppError::internal("change", e));
    let mut changes = Vec::new();
    for id in &unlinked {
        changes.push(json(&Change::Revoked { resident_id: *id })?);
    }
    let carried: Vec<Uuid> = people.iter().map(|r| r.id).collect();
    for r in people {
        changes.push(json(&Change::Resident { resident: Box::new(r) })?);
    }
    // The township's comments on an entry are for the doctor: residents get the entries without them.
    let mut wires: Vec<(Uuid, String)> = visits::current_wires(s, &visit_ids).await?.into_iter().collect();
    wires.sort();
    changes.extend(wires.into_iter().map(|w| w.1));
    let mut recs: Vec<_> = records::current(s, &record_ids).await?.into_values().collect();
    recs.sort_by_key(|r| r.record.record_id);
    for mut r in recs {
        r.review = None;
        changes.push(json(&Change::Record { record: Box::new(r) })?);
    }
    Ok(PullPage { changes, residents: carried, next_cursor: latest, more: false })
}

/// (resident, village, date) of a current entry.
pub async fn entry_owner(
    s: &SqlStore,
    entity: &str,
    entry_id: Uuid,
) -> Result<Option<(Uuid, String, NaiveDate)>, AppError> {
    let sql = match entity {
        "visit" => "SELECT resident_id, village_id, visit_date AS day FROM visits WHERE visit_id = $1 AND is_current = 1",
        "record" => {
            "SELECT resident_id, village_id, service_date AS day FROM records WHERE record_id = $1 AND is_current = 1 AND resident_id IS NOT NULL"
        }
        _ => return Ok(None),
    };
    let Some(r) = sqlx::query(sql).bind(entry_id.to_string()).fetch_optional(&s.pool).await? else {
        return Ok(None);
    };
    Ok(Some((
        super::get_uuid(&r, "resident_id")?,
        get_str(&r, "village_id")?,
        super::parse_date(&get_str(&r, "day")?)?,
    )))
}

pub async fn save_confirmation(s: &SqlStore, c: &Confirmation, user_id: &str) -> Result<(), AppError> {
    let (_one, mut tx) = s.begin_write().await?;
    sqlx::query(
        "INSERT INTO confirmations (entry_id, entity, resident_id, village_id, answer, note, user_id, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (entry_id) DO UPDATE SET answer = excluded.answer, note = excluded.note,
         user_id = excluded.user_id, at = excluded.at",
    )
    .bind(c.entry_id.to_string())
    .bind(&c.entity)
    .bind(c.resident_id.to_string())
    .bind(&c.village_id)
    .bind(c.answer.code())
    .bind(&c.note)
    .bind(user_id)
    .bind(c.at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

const CONFIRMATION: &str = "SELECT entry_id, entity, resident_id, village_id, answer, note, at FROM confirmations";

fn confirmation(r: &sqlx::any::AnyRow) -> Result<Confirmation, AppError> {
    Ok(Confirmation {
        entity: get_str(r, "entity")?,
        entry_id: super::get_uuid(r, "entry_id")?,
        resident_id: super::get_uuid(r, "resident_id")?,
        village_id: get_str(r, "village_id")?,
        answer: Answer::from_code(&get_str(r, "answer")?).ok_or_else(|| AppError::internal("answer", "unknown"))?,
        note: get_str(r, "note")?,
        at: get_i64(r, "at")?,
    })
}

pub async fn confirmations_of(s: &SqlStore, residents: &[Uuid]) -> Result<Vec<Confirmation>, AppError> {
    let sql = format!("{CONFIRMATION} WHERE resident_id IN ({{ids}})");
    super::fetch_in(&mut *s.pool.acquire().await?, &sql, &super::texts(residents))
        .await?
        .iter()
        .map(confirmation)
        .collect()
}

pub async fn confirmations_in(s: &SqlStore, villages: &[String]) -> Result<Vec<Confirmation>, AppError> {
    let sql = format!("{CONFIRMATION} WHERE village_id IN ({{ids}})");
    super::fetch_in(&mut *s.pool.acquire().await?, &sql, villages).await?.iter().map(confirmation).collect()
}

pub async fn note_record_views(
    s: &SqlStore,
    resident: Uuid,
    village: &str,
    days: &[NaiveDate],
) -> Result<(), AppError> {
    if days.is_empty() {
        return Ok(());
    }
    let (_one, mut tx) = s.begin_write().await?;
    let mut added = 0;
    for d in days {
        added += sqlx::query(
            "INSERT INTO record_views (resident_id, village_id, day) VALUES ($1, $2, $3) ON CONFLICT (resident_id, day) DO NOTHING",
        )
        .bind(resident.to_string())
        .bind(village)
        .bind(d.to_string())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    if added > 0 {
        // Views are not in the change log: the rollups of the village and the units above it are marked stale.
        sqlx::query(
            "UPDATE rollups SET seq = -1 WHERE org_id = $1 OR org_id = (SELECT parent_id FROM org_units WHERE id = $2)
             OR org_id = (SELECT p.parent_id FROM org_units p JOIN org_units v ON v.parent_id = p.id WHERE v.id = $3)",
        )
        .bind(village)
        .bind(village)
        .bind(village)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn care_team(s: &SqlStore, village: &str) -> Result<Vec<CareContact>, AppError> {
    let rows = sqlx::query(
        "SELECT u.display_name, u.phone, o.name AS village_name FROM users u
         JOIN user_villages uv ON uv.user_id = u.id JOIN org_units o ON o.id = uv.village_id
         WHERE uv.village_id = $1 AND u.role = 'village_doctor' AND u.active = 1 ORDER BY u.display_name",
    )
    .bind(village)
    .fetch_all(&s.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CareContact {
                name: get_str(r, "display_name")?,
                phone: super::get_opt_str(r, "phone")?,
                village_name: get_str(r, "village_name")?,
            })
        })
        .collect()
}
