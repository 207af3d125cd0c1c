//! The server's side of service records: the write path every synced record and photo goes through (scope,
//! the shared rules, then the store), and the reads of township and county staff, who work online.

use super::{RecordKind, StoredRecord};
use crate::error::AppError;
use leptos::prelude::*;
use server_fn::codec::Json;
use uuid::Uuid;

/// Checks and stores one record revision pushed by a device. A resident's record is filed under the
/// resident's current village, which the user must hold; a village record under its own village.
#[cfg(feature = "ssr")]
pub async fn save_record_as(
    store: &dyn crate::store::Store,
    w: &crate::store::Written<'_>,
    input: &super::RecordInput,
) -> Result<(), AppError> {
    use crate::auth::server::check_village;
    let user = w.author;
    if !user.role.is_staff() {
        return Err(AppError::Forbidden);
    }
    let (village, birth) = match input.resident_id {
        Some(id) if input.kind().resident_link() != super::ResidentLink::None => {
            let place = store.resident_place(id).await?.ok_or_else(|| {
                AppError::field(
                    "resident_id",
                    "居民档案不存在（请先同步档案）",
                    "No such resident (sync the record first)",
                )
            })?;
            (place.village_id, Some(place.birth_date))
        }
        _ => (input.village_id.clone(), None),
    };
    check_village(user, &village)?;
    // A correction may not move a record out of a village the user does not hold.
    if let Some(v) = store.record_village(input.record_id).await? {
        check_village(user, &v)?;
    }
    // The village screens, the township grades (五色管理); a grade names a registration of its village.
    if let super::RecordBody::RiskGrade(g) = &input.body {
        if !matches!(user.role, crate::auth::Role::TownshipManager | crate::auth::Role::CountyAdmin) {
            return Err(AppError::Forbidden);
        }
        if store.record_village(g.pregnancy_id).await?.is_none_or(|v| v != village) {
            return Err(AppError::field(
                "pregnancy_id",
                "孕产妇建册记录不存在或不在本村",
                "No such pregnancy registration in this village",
            ));
        }
    }
    // A baby's birth record names its mother, who must be a resident the user holds.
    if let super::RecordBody::Birth(b) = &input.body {
        let mother = store.resident_place(b.mother_id).await?;
        if mother.is_none_or(|p| !user.can_access_village(&p.village_id)) {
            return Err(AppError::field(
                "mother_id",
                "母亲档案不存在或不在辖区内",
                "The mother is unknown or outside your villages",
            ));
        }
    }
    // Linked participants must be residents of the user's villages.
    if let super::RecordBody::Education(e) = &input.body {
        if !e.participants.is_empty() {
            let places = store.resident_places(&e.participants).await?;
            if e.participants.iter().any(|id| places.get(id).is_none_or(|p| !user.can_access_village(&p.village_id))) {
                return Err(AppError::field(
                    "participants",
                    "关联的居民不存在或不在辖区内",
                    "A linked resident is unknown or outside your villages",
                ));
            }
        }
    }
    // The device's day may be ahead of the server's in another time zone: allow one day.
    let now = chrono::Local::now().naive_local() + chrono::Duration::days(1);
    input.validate(&super::RecordContext::new(now, birth))?;
    store.save_record(input, &village, w).await
}

/// Checks and stores one photo: its type, size and bytes; filed under its record's village (or, when the
/// record has not arrived yet, the village it names, which the user must hold).
#[cfg(feature = "ssr")]
pub async fn save_attachment_as(
    store: &dyn crate::store::Store,
    w: &crate::store::Written<'_>,
    input: &super::AttachmentInput,
) -> Result<(), AppError> {
    use crate::auth::server::check_village;
    use base64::Engine;
    let village = store.record_village(input.record_id).await?.unwrap_or_else(|| input.village_id.clone());
    check_village(w.author, &village)?;
    input.validate()?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&input.data)
        .map_err(|_| AppError::field("data", "照片内容无效", "The photo could not be read"))?;
    if !super::attachment::looks_like(&input.mime, &bytes) {
        return Err(AppError::field("data", "文件不是所声明的图片格式", "The file is not the image type it claims"));
    }
    store.save_attachment(input, &bytes, &village, w).await
}

/// Most records a list returns.
pub const LIST_LIMIT: u32 = 300;

/// A resident's service records (vaccination card, contacts, contracts, services delivered).
#[server(input = Json, prefix = "/api", endpoint = "resident_records")]
pub async fn resident_records(resident_id: Uuid) -> Result<Vec<StoredRecord>, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            let store = store()?;
            let place = store.resident_place(resident_id).await?.ok_or(AppError::NotFound)?;
            check_village(&user, &place.village_id)?;
            let f = crate::store::RecordFilter {
                villages: vec![place.village_id],
                resident_id: Some(resident_id),
                limit: LIST_LIMIT,
                ..Default::default()
            };
            let records = store.records(&f).await?;
            crate::audit::server::read(&user, "records", resident_id, resident_id).await?;
            Ok(records)
        }
        .await,
    )
}

/// Records of one kind in the user's villages, newest first (e.g. health-education sessions).
#[server(input = Json, prefix = "/api", endpoint = "village_records")]
pub async fn village_records(kind: RecordKind) -> Result<Vec<StoredRecord>, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            let f = crate::store::RecordFilter {
                villages: user.village_ids(),
                kinds: vec![kind],
                limit: LIST_LIMIT,
                ..Default::default()
            };
            let records = store()?.records(&f).await?;
            let detail = format!("{} n={}", kind.code(), records.len());
            let org = user.villages.first().map(|v| v.id.clone());
            crate::audit::server::log(&user, vec![crate::audit::Event::list("records", org, detail)]).await?;
            Ok(records)
        }
        .await,
    )
}

/// One record by its id, within the user's villages.
#[server(input = Json, prefix = "/api", endpoint = "get_record")]
pub async fn get_record(record_id: Uuid) -> Result<StoredRecord, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            let store = store()?;
            let village = store.record_village(record_id).await?.ok_or(AppError::NotFound)?;
            check_village(&user, &village)?;
            let f = crate::store::RecordFilter {
                villages: vec![village],
                record_id: Some(record_id),
                limit: 1,
                ..Default::default()
            };
            let r = store.records(&f).await?.pop().ok_or(AppError::NotFound)?;
            let event = crate::audit::Event::record(crate::audit::Action::Read, &r.record);
            crate::audit::server::log(&user, vec![event]).await?;
            Ok(r)
        }
        .await,
    )
}
