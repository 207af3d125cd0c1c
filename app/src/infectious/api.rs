//! The township's and county's alert of new disease reports and public-health events (and the village
//! doctor's, for their villages): what, where, when and whether on time, not who (nor an event's free text). Today asks for it every minute while it is open, so the
//! answer carries no personal data and leaves no audit row per poll; the cards themselves are read on
//! `/reports` (`record::api::village_records`), and that read is audited.

use super::Timeliness;
use crate::auth::Village;
use crate::error::AppError;
use crate::record::{RecordBody, StoredRecord};
use chrono::NaiveDateTime;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;
use uuid::Uuid;

/// Reports received in the last this many days make the alert.
pub const ALERT_DAYS: i64 = 3;

/// What a new report is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AlertSubject {
    /// A case: the catalogue code (`catalogue()`) and 病例分类 (`CASE_CLASS`).
    Disease { disease: String, case_class: u8 },
    /// An event: its category (`event::CATEGORY`), cases and deaths.
    Event { category: u8, cases: u32, deaths: u32 },
}

/// One new report as the alert shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportAlert {
    pub record_id: Uuid,
    pub village_name: String,
    pub subject: AlertSubject,
    /// When the clock started: the diagnosis, or when the doctor learnt of the event.
    pub since: NaiveDateTime,
    pub received_at: NaiveDateTime,
    pub timeliness: Timeliness,
}

/// The alerts among `records` (current revisions as stored): case reports and event cards received within
/// `ALERT_DAYS` before `now`, the newest receipt first.
pub fn alerts(records: &[StoredRecord], villages: &[Village], now: NaiveDateTime) -> Vec<ReportAlert> {
    let mut out: Vec<ReportAlert> = records
        .iter()
        .filter_map(|r| {
            let at = r.first_received_at().filter(|at| now - *at <= chrono::Duration::days(ALERT_DAYS))?;
            let (subject, since, timeliness) = match &r.record.body {
                RecordBody::DiseaseReport(c) => (
                    AlertSubject::Disease { disease: c.disease.clone(), case_class: c.case_class },
                    c.diagnosed_at,
                    c.timeliness(super::catalogue(), Some(at), now),
                ),
                RecordBody::EventReport(e) => (
                    AlertSubject::Event { category: e.category, cases: e.cases, deaths: e.deaths },
                    e.learnt_at,
                    e.timeliness(Some(at), now),
                ),
                _ => return None,
            };
            let village = villages.iter().find(|v| v.id == r.record.village_id);
            Some(ReportAlert {
                record_id: r.record.record_id,
                village_name: village.map(|v| v.name.clone()).unwrap_or_default(),
                subject,
                since,
                received_at: at,
                timeliness,
            })
        })
        .collect();
    out.sort_by(|a, b| b.received_at.cmp(&a.received_at).then(a.record_id.cmp(&b.record_id)));
    out
}

/// The new case reports and event cards of the user's villages (staff).
#[server(input = Json, prefix = "/api", endpoint = "report_alerts")]
pub async fn report_alerts() -> Result<Vec<ReportAlert>, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            let f = crate::store::RecordFilter {
                villages: user.village_ids(),
                kinds: vec![crate::record::RecordKind::DiseaseReport, crate::record::RecordKind::EventReport],
                limit: crate::record::api::LIST_LIMIT,
                ..Default::default()
            };
            let records = store()?.records(&f).await?;
            Ok(alerts(&records, &user.villages, crate::device::now()))
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::samples;

    fn stored(village: &str, day: chrono::NaiveDate, received: &str) -> StoredRecord {
        let card = samples::disease_report(day, "dysentery_bacillary");
        StoredRecord {
            record: samples::record(village, None, day, RecordBody::DiseaseReport(Box::new(card))),
            revision: 1,
            author_name: "医生".into(),
            recorded_at: received.into(),
            first_received: String::new(),
            attachments: vec![],
            review: None,
        }
    }

    fn village(id: &str, name: &str) -> Village {
        Village { id: id.into(), code: String::new(), name: name.into(), township_name: "一乡".into() }
    }

    #[test]
    fn the_alert_lists_the_reports_of_the_last_three_days_newest_first_without_the_patient() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let now = day.and_hms_opt(12, 0, 0).unwrap() + chrono::Duration::days(2);
        let records = [
            // Diagnosed at 09:00: received at 10:30 is on time (24 h), two days later is late.
            stored("v1", day, "2026-11-20 10:30"),
            stored("v2", day, "2026-11-22 10:00"),
            // Received 3 days and a minute ago: no longer new.
            stored("v1", day - chrono::Duration::days(1), "2026-11-19 11:59"),
        ];
        let got = alerts(&records, &[village("v1", "一村"), village("v2", "二村")], now);
        let seen: Vec<(&str, bool)> = got.iter().map(|a| (a.village_name.as_str(), a.timeliness.on_time())).collect();
        assert_eq!(seen, [("二村", false), ("一村", true)]);
        assert_eq!(got[1].subject, AlertSubject::Disease { disease: "dysentery_bacillary".into(), case_class: 3 });
        let json = serde_json::to_string(&got).unwrap();
        assert!(!json.contains("王秀英") && !json.contains("13800138000"), "no patient data in the alert: {json}");
    }
}
