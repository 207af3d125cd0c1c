//! The infectious-disease report card (传染病报告卡) on the phone, the list of reports with where each stands,
//! the village doctor's warning while a report has not reached the server, and the township's alert.
//!
//! A report counts as made when the server received it (or when the doctor phoned the county CDC): until
//! then the doctor sees, on Today and on the list, that it has not arrived and by when it must, and once the
//! limit has passed, to phone now.

use super::*;
use crate::codes::SEX;
use crate::components::fields::{provide_form_errors, CodeSelect, Field, FormError, TextField};
use crate::error::AppError;
use crate::i18n::{pick, use_zh};
use crate::local::api::{on_device, read};
use crate::local::{ShownRecord, SyncMark};
use crate::record::pages::{records, save_and_open, Scope};
use crate::record::{RecordBody, RecordInput, RecordKind};
use crate::t;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

/// When the server received a record shown here (none while it is on the phone).
fn received(r: &ShownRecord) -> Option<NaiveDateTime> {
    r.first_received_at()
}

/// A report with where it stands now.
fn standing(r: &ShownRecord, now: NaiveDateTime) -> Option<(&DiseaseReportInput, Timeliness)> {
    match &r.stored.record.body {
        RecordBody::DiseaseReport(x) => Some((x.as_ref(), x.timeliness(catalogue(), received(r), now))),
        _ => None,
    }
}

fn disease_name(code: &str, zh: bool) -> String {
    catalogue().get(code).map(|d| d.name(zh).to_string()).unwrap_or_else(|| code.to_string())
}

#[component]
pub fn DiseaseReportPage() -> impl IntoView {
    view! { <crate::components::layout::RequireStaff><DiseaseReportForm/></crate::components::layout::RequireStaff> }
}

#[component]
fn DiseaseReportForm() -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let navigate = use_navigate();
    let user = expect_context::<crate::auth::SessionUser>();
    if !on_device(&user) {
        return view! { <p class="notice">{t!(zh, "传染病报告由村医在手机上填写", "Village doctors file reports on their phones")}</p> }
            .into_any();
    }
    let villages = StoredValue::new(user.villages.clone());
    let village = RwSignal::new(user.villages.first().map(|v| v.id.clone()).unwrap_or_default());
    let now = crate::device::now();
    let s = || RwSignal::new(String::new());
    let (name, parent, id_no, phone, address, work_unit, note) = (s(), s(), s(), s(), s(), s(), s());
    let (birth, onset, death, phoned) = (s(), RwSignal::new(now.date().to_string()), s(), s());
    let diagnosed = RwSignal::new(now.format("%Y-%m-%dT%H:%M").to_string());
    let sex = RwSignal::new(None::<u8>);
    let card_type = RwSignal::new(Some(1u8));
    let patient_from = RwSignal::new(Some(1u8));
    let occupation = RwSignal::new(None::<u8>);
    let case_class = RwSignal::new(Some(1u8));
    let course = RwSignal::new(None::<u8>);
    let disease = RwSignal::new(String::new());
    let outbreak = RwSignal::new(false);
    let needs_course = move || disease.with(|d| catalogue().get(d).is_some_and(|x| x.acute_chronic));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let date =
            |f: &str, v: &str| v.parse::<NaiveDate>().map_err(|_| AppError::field(f, "请填写日期", "Enter the date"));
        let time = |v: &str| NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M").ok();
        let read = || -> Result<DiseaseReportInput, AppError> {
            Ok(DiseaseReportInput {
                card_type: card_type.get().unwrap_or(1),
                patient_name: name.get(),
                parent_name: parent.get(),
                id_no: id_no.get().trim().to_string(),
                sex: sex.get().ok_or_else(|| AppError::field("sex", "请选择性别", "Choose the sex"))?,
                birth_date: date("birth_date", &birth.get())?,
                work_unit: work_unit.get(),
                phone: phone.get().trim().to_string(),
                patient_from: patient_from.get().unwrap_or(0),
                address: address.get(),
                occupation: occupation
                    .get()
                    .ok_or_else(|| AppError::field("occupation", "请选择人群分类", "Choose the group"))?,
                case_class: case_class.get().unwrap_or(0),
                course: if needs_course() { course.get() } else { None },
                onset_date: date("onset_date", &onset.get())?,
                diagnosed_at: time(&diagnosed.get())
                    .ok_or_else(|| AppError::field("diagnosed_at", "请填写诊断时间", "Enter the time of diagnosis"))?,
                death_date: death.get().parse().ok(),
                disease: disease.get(),
                outbreak: outbreak.get(),
                phoned_at: time(&phoned.get()),
                filled_at: crate::device::now(),
                note: note.get(),
            })
        };
        let card = match read() {
            Ok(c) => c,
            Err(e) => return errors.set(Some(e)),
        };
        let day = card.diagnosed_at.date();
        let input = RecordInput::new(village.get(), None, day, RecordBody::DiseaseReport(Box::new(card)), None);
        save_and_open(input, None, "/reports", errors, &navigate)
    };
    let classes = [DiseaseClass::A, DiseaseClass::B, DiseaseClass::C];
    view! {
        <section class="card">
            <h1>{t!(zh, "传染病报告卡", "Infectious-disease report")}</h1>
            <p class="hint">{t!(zh, "甲类及按甲类管理的传染病、暴发疫情须在2小时内报告，其他24小时内；保存后优先发送。",
                "Class A (and managed as A) and outbreaks: report within 2 hours; others within 24. Sent before anything else.")}</p>
            <form on:submit=submit novalidate>
                <FormError/>
                <Field name="disease" zh="病种" en="Disease">
                    <select name="disease" id="disease" on:change=move |ev| disease.set(event_target_value(&ev)) prop:value=move || disease.get()>
                        <option value="">{t!(zh, "请选择", "Choose")}</option>
                        {classes.into_iter().map(|class| view! {
                            <optgroup label=move || class.label(zh.get())>
                                {catalogue().diseases.iter().filter(|d| d.class == class).map(|d| {
                                    let code = d.code.clone();
                                    view! { <option value=code.clone()>{move || d.name(zh.get()).to_string()}</option> }
                                }).collect_view()}
                            </optgroup>
                        }).collect_view()}
                    </select>
                </Field>
                <Show when=needs_course>
                    <Field name="course" zh="急性/慢性" en="Acute or chronic"><CodeSelect name="course" table=COURSE value=course/></Field>
                </Show>
                <div class="grid2">
                    <Field name="case_class" zh="病例分类" en="Case"><CodeSelect name="case_class" table=CASE_CLASS value=case_class/></Field>
                    <Field name="card_type" zh="报卡类别" en="Card"><CodeSelect name="card_type" table=CARD_TYPE value=card_type/></Field>
                </div>
                <label class="check">
                    <input type="checkbox" name="outbreak" prop:checked=move || outbreak.get() on:change=move |ev| outbreak.set(event_target_checked(&ev))/>
                    <span>{t!(zh, "暴发疫情或不明原因聚集", "Outbreak or cluster of unknown cause")}</span>
                </label>
                <div class="grid2">
                    <TextField name="patient_name" zh="患者姓名" en="Patient" value=name/>
                    <Field name="sex" zh="性别" en="Sex"><CodeSelect name="sex" table=SEX value=sex/></Field>
                    <TextField name="birth_date" zh="出生日期" en="Date of birth" value=birth kind="date"/>
                    <TextField name="parent_name" zh="患儿家长姓名（14岁以下）" en="Parent (under 14)" value=parent/>
                </div>
                <TextField name="id_no" zh="有效证件号" en="ID number" value=id_no/>
                <div class="grid2">
                    <TextField name="phone" zh="联系电话" en="Phone" value=phone kind="tel" inputmode="tel"/>
                    <Field name="occupation" zh="人群分类" en="Group"><CodeSelect name="occupation" table=OCCUPATION value=occupation/></Field>
                </div>
                <Field name="patient_from" zh="病人属于" en="Patient from"><CodeSelect name="patient_from" table=PATIENT_FROM value=patient_from/></Field>
                <TextField name="address" zh="现住址（详填到村、门牌号）" en="Current address" value=address/>
                <TextField name="work_unit" zh="工作单位（学校）" en="Work unit (school)" value=work_unit/>
                // Date-and-time inputs are too wide for half a phone's width: one per line.
                <TextField name="diagnosed_at" zh="诊断时间" en="Diagnosed at" value=diagnosed kind="datetime-local"/>
                <div class="grid2">
                    <TextField name="onset_date" zh="发病日期" en="Onset" value=onset kind="date"/>
                    <TextField name="death_date" zh="死亡日期" en="Date of death" value=death kind="date"/>
                </div>
                <TextField name="phoned_at" zh="电话报告县疾控时间" en="Phoned the CDC at" value=phoned kind="datetime-local"/>
                <Show when=move || villages.with_value(|v| v.len() > 1)>
                    <Field name="village_id" zh="报告村" en="Village">
                        <select name="village_id" on:change=move |ev| village.set(event_target_value(&ev)) prop:value=move || village.get()>
                            {villages.get_value().into_iter().map(|v| view! { <option value=v.id.clone()>{v.name.clone()}</option> }).collect_view()}
                        </select>
                    </Field>
                </Show>
                <TextField name="note" zh="备注" en="Note" value=note/>
                <button class="primary" type="submit" data-testid="save-disease-report">{t!(zh, "保存并发送", "Save and send")}</button>
            </form>
        </section>
    }
    .into_any()
}

/// Every disease report in the user's scope, newest first, with its timeliness: from the phone for a village
/// doctor (unsent ones marked), from the server for the township and county.
#[component]
pub fn ReportsPage() -> impl IntoView {
    view! { <crate::components::layout::RequireStaff><Reports/></crate::components::layout::RequireStaff> }
}

#[component]
fn Reports() -> impl IntoView {
    let zh = use_zh();
    let device = on_device(&expect_context::<crate::auth::SessionUser>());
    let list = records(Memo::new(|_| Some(Scope::Kind(RecordKind::DiseaseReport))));
    view! {
        <section class="list-page">
            <div class="list-head">
                <h1>{t!(zh, "传染病报告", "Disease reports")}</h1>
                {device.then(|| view! {
                    <A href="/reports/disease/new" attr:class="button primary">{t!(zh, "填写报告卡", "New report")}</A>
                    <A href="/reports/event/new" attr:class="button">{t!(zh, "突发事件", "Event")}</A>
                    <A href="/reports/supervision/new" attr:class="button">{t!(zh, "协管信息", "Supervision clue")}</A>
                })}
            </div>
            {move || match list() {
                None => view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error">{e.message(zh.get())}</p> }.into_any(),
                Some(Ok(rows)) if rows.is_empty() => view! { <p class="hint">{t!(zh, "暂无报告", "No reports")}</p> }.into_any(),
                Some(Ok(rows)) => view! {
                    <ul class="tasks" data-testid="disease-reports">{rows.iter().map(|r| report_item(r, zh)).collect_view()}</ul>
                }
                .into_any(),
            }}
            <super::event_page::EventList/>
            <crate::supervision::pages::SupervisionList/>
        </section>
    }
}

fn report_item(r: &ShownRecord, zh: RwSignal<bool>) -> impl IntoView {
    let now = crate::device::now();
    let Some((card, status)) = standing(r, now) else { return ().into_any() };
    let z = zh.get_untracked();
    let late = matches!(status, Timeliness::Late | Timeliness::Overdue { .. });
    let sent = match (&r.mark, received(r)) {
        (SyncMark::Rejected(e), _) => format!("{}：{}", pick(z, "被退回", "Returned"), e.message(z)),
        (_, Some(at)) => format!("{} {}", pick(z, "已送达", "Received"), at.format("%m-%d %H:%M")),
        _ => pick(z, "未送达服务器", "Not on the server yet").to_string(),
    };
    view! {
        <li class:overdue=late data-testid="disease-report">
            <span class="task-who">{disease_name(&card.disease, z)} " · " {card.patient_name.clone()}</span>
            <span class="task-what">
                {crate::codes::label(CASE_CLASS, card.case_class, z)} " · "
                {pick(z, "诊断", "diagnosed")} " " {card.diagnosed_at.format("%m-%d %H:%M").to_string()}
            </span>
            <span class="task-when" data-testid="timeliness">{status.label(z)} " · " {sent}</span>
        </li>
    }
    .into_any()
}

/// The village doctor's warning on Today while a disease report is still on the phone.
#[component]
pub fn UnsentReports() -> impl IntoView {
    let zh = use_zh();
    // Everything not on the server yet, a refused report included: one line per card (its latest revision),
    // case reports and event cards alike.
    let unsent = move || {
        read(|d| {
            d.records_where("", |r| r.kind().is_urgent())
                .into_iter()
                .filter(|s| s.mark != crate::local::SyncMark::Synced)
                .map(|s| s.stored.record.body)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    };
    move || {
        let list = unsent();
        let z = zh.get();
        (!list.is_empty()).then(|| {
            let now = crate::device::now();
            let line = |body: &RecordBody| match body {
                RecordBody::DiseaseReport(c) => Some(format!(
                    "{} · {} · {}",
                    disease_name(&c.disease, z),
                    c.patient_name,
                    c.timeliness(catalogue(), None, now).label(z)
                )),
                RecordBody::EventReport(e) => Some(format!("{} · {}", e.title, e.timeliness(None, now).label(z))),
                _ => None,
            };
            view! {
                <div class="urgent-banner" role="alert" data-testid="unsent-reports">
                    <strong>{if z { format!("{}份报告尚未送达", list.len()) } else { format!("{} report(s) not received yet", list.len()) }}</strong>
                    <ul>{list.iter().filter_map(line).map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                    <p>{pick(z, "请联网同步；若无法联网，请立即电话报告县疾控，并在报告卡中填写电话报告时间。",
                        "Go online to send; if you cannot, phone the county CDC now and enter the time of the call on the card.")}</p>
                    <A href="/reports">{pick(z, "查看报告", "See the reports")}</A>
                </div>
            }
        })
    }
}

/// The new reports of the last `api::ALERT_DAYS` days, for the township and county on Today; asked again every
/// minute while the page is open (`api::report_alerts`: no patient data, no audit row per poll).
/// One line of the alert: what (disease and case class, or the event's category and counts) and where, when
/// the clock started, the timeliness and the receipt.
fn alert_item(a: &super::api::ReportAlert, z: bool) -> impl IntoView {
    use super::api::AlertSubject;
    let late = !a.timeliness.on_time();
    let (what, detail) = match &a.subject {
        AlertSubject::Disease { disease, case_class } => (
            disease_name(disease, z),
            format!(
                "{} · {} {}",
                crate::codes::label(CASE_CLASS, *case_class, z),
                pick(z, "诊断", "diagnosed"),
                a.since.format("%m-%d %H:%M")
            ),
        ),
        AlertSubject::Event { category, cases, deaths } => (
            format!("{}：{}", pick(z, "突发事件", "Event"), crate::codes::label(super::event::CATEGORY, *category, z)),
            if z {
                format!("发病{cases}人，死亡{deaths}人 · 获悉 {}", a.since.format("%m-%d %H:%M"))
            } else {
                format!("{cases} ill, {deaths} dead · learnt {}", a.since.format("%m-%d %H:%M"))
            },
        ),
    };
    view! {
        <li class:overdue=late data-testid="disease-report">
            <span class="task-who">{what} " · " {a.village_name.clone()}</span>
            <span class="task-what">{detail}</span>
            <span class="task-when" data-testid="timeliness">
                {a.timeliness.label(z)} " · " {pick(z, "已送达", "Received")} " " {a.received_at.format("%m-%d %H:%M").to_string()}
            </span>
        </li>
    }
}

#[component]
pub fn ReportAlerts() -> impl IntoView {
    let zh = use_zh();
    let tick = RwSignal::new(0u32);
    #[cfg(feature = "hydrate")]
    {
        let handle = leptos::prelude::set_interval_with_handle(
            move || tick.update(|t| *t += 1),
            std::time::Duration::from_secs(60),
        );
        if let Ok(h) = handle {
            on_cleanup(move || h.clear());
        }
    }
    let server = LocalResource::new(move || {
        tick.track();
        super::api::report_alerts()
    });
    move || {
        let recent = server.get().and_then(|r| r.ok()).unwrap_or_default();
        let z = zh.get();
        (!recent.is_empty()).then(|| {
            view! {
                <div class="urgent-banner" role="alert" data-testid="report-alert">
                    <strong>{if z { format!("新传染病/突发事件报告 {} 份", recent.len()) } else { format!("{} new report(s)", recent.len()) }}</strong>
                    <ul>{recent.iter().map(|a| alert_item(a, z)).collect_view()}</ul>
                    <A href="/reports">{pick(z, "全部报告", "All reports")}</A>
                </div>
            }
        })
    }
}
