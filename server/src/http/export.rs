//! Exports (`GET /api/export/…`): the report of a node for a period (`report.xlsx`, `report.csv`), the
//! review queue under a filter (`review.xlsx`, `review.csv`) and the quality findings (`quality.*`,
//! `sample.*`), as the user may see them on screen. The tables come from `app::indicator::table`, built from
//! the same rows as the screen.

use super::ApiError;
use crate::state::AppState;
use app::auth::server::token_from_headers;
use app::auth::{Role, SessionUser};
use app::error::AppError;
use app::indicator::table::{quality_sheets, report_csv_rows, report_sheets, review_sheet, Cell, Sheet};
use app::review::{ReviewFilter, ReviewState};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/export/{file}", get(export))
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let token = token_from_headers(&headers).ok_or(AppError::Unauthorized)?;
    let now = chrono::Utc::now().timestamp();
    let user = state.store.session_user(&token, now).await?.ok_or(AppError::Unauthorized)?;
    if !user.role.is_staff() {
        return Err(AppError::Forbidden.into());
    }
    let (what, ext) = file.rsplit_once('.').ok_or(AppError::NotFound)?;
    let (name, sheets) = match what {
        "report" => {
            let period = q.get("period").cloned().unwrap_or_default();
            let r = app::indicator::api::report_for(
                state.store.as_ref(),
                &user,
                q.get("org").map(String::as_str),
                &period,
                now,
            )
            .await?;
            let sheets = if ext == "csv" { vec![report_csv_rows(&r)] } else { report_sheets(&r) };
            (format!("{}-{}", r.node.name, r.period), sheets)
        }
        "review" => {
            let items = review_items(&state, &user, &q).await?;
            ("审核列表".to_string(), vec![review_sheet(&items)])
        }
        // The quality findings: both lists in the workbook; the CSV is the flags (`quality`) or the
        // verification sample for the callers (`sample`).
        "quality" | "sample" => {
            if !matches!(user.role, Role::TownshipManager | Role::CountyAdmin) {
                return Err(AppError::Forbidden.into());
            }
            let period = q.get("period").cloned().unwrap_or_default();
            let f =
                app::quality::api::findings_for(state.store.as_ref(), &user, q.get("org").map(String::as_str), &period)
                    .await?;
            let mut sheets = quality_sheets(&f);
            if what == "sample" {
                sheets.reverse();
            }
            (format!("{}-{}-数据质量", f.org_name, f.period), sheets)
        }
        _ => return Err(AppError::NotFound.into()),
    };
    // The review list and the quality lists name residents: the export is logged; the report holds figures only.
    if what != "report" {
        let org = q.get("org").or(q.get("village")).cloned().or_else(|| user.villages.first().map(|v| v.id.clone()));
        let actor = app::audit::server::actor(&user, &headers, None);
        let event = app::audit::Event::list("export", org, format!("{what}.{ext}"));
        app::audit::server::log_to(state.store.as_ref(), &actor, &[event]).await?;
    }
    let (bytes, mime) = match ext {
        "xlsx" => (xlsx(&sheets)?, XLSX),
        "csv" => (csv(&sheets[0])?, "text/csv; charset=utf-8"),
        _ => return Err(AppError::NotFound.into()),
    };
    // RFC 5987: the Chinese file name percent-encoded, with an ASCII fallback.
    let encoded: String = format!("{name}.{ext}")
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"cunyi.{ext}\"; filename*=UTF-8''{encoded}");
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition).map_err(|e| AppError::internal("header", e))?,
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
        ],
        bytes,
    )
        .into_response())
}

/// The review queue as the reviewer's filter asks (the page's address parameters).
async fn review_items(
    state: &AppState,
    user: &SessionUser,
    q: &HashMap<String, String>,
) -> Result<Vec<app::review::ReviewItem>, AppError> {
    if !matches!(user.role, Role::TownshipManager | Role::CountyAdmin) {
        return Err(AppError::Forbidden);
    }
    let text = |k: &str| q.get(k).filter(|s| !s.is_empty()).cloned();
    let date = |k: &str| -> Result<Option<chrono::NaiveDate>, AppError> {
        text(k).map(|s| s.parse().map_err(|_| AppError::field(k, "日期格式无效", "Invalid date"))).transpose()
    };
    let f = ReviewFilter {
        village_id: text("village"),
        author_id: text("author"),
        kind: text("kind"),
        state: match text("state").as_deref() {
            None | Some("all") => None,
            Some(s) => {
                Some(ReviewState::from_code(s).ok_or_else(|| AppError::field("state", "状态无效", "Invalid state"))?)
            }
        },
        from: date("from")?,
        to: date("to")?,
    };
    if let Some(v) = &f.village_id {
        app::auth::server::check_village(user, v)?;
    }
    state.store.review_queue(&user.village_ids(), &f, None).await
}

pub fn xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| AppError::internal("xlsx", e);
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for s in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&s.name).map_err(err)?;
        for (c, h) in s.header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold).map_err(err)?;
            ws.set_column_width(c as u16, if c == 0 || *h == "指标" { 28 } else { 12 }).map_err(err)?;
        }
        for (r, row) in s.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Cell::Text(t) => ws.write_string(r, c as u16, t).map(|_| ()),
                    Cell::Num(n) => ws.write_number(r, c as u16, *n).map(|_| ()),
                    Cell::Empty => Ok(()),
                }
                .map_err(err)?;
            }
        }
        ws.set_freeze_panes(1, 0).map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}

/// UTF-8 with a byte-order mark, which Excel needs to read Chinese from a CSV.
fn csv(s: &Sheet) -> Result<Vec<u8>, AppError> {
    let err = |e: csv::Error| AppError::internal("csv", e);
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(&s.header).map_err(err)?;
    for row in &s.rows {
        w.write_record(row.iter().map(Cell::text)).map_err(err)?;
    }
    w.into_inner().map_err(|e| AppError::internal("csv", e.to_string()))
}
