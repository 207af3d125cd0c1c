//! The public-health event card on the phone (突发公共卫生事件信息报告卡) and the list of events on `/reports`
//! with where each stands: sent first like a case report, flagged while it has not reached the server.

use super::event::{EventReportInput, CATEGORY, INITIAL, STAGE};
use crate::components::fields::{parse_opt, provide_form_errors, CodeSelect, Field, FormError, TextField};
use crate::error::AppError;
use crate::i18n::{pick, use_zh};
use crate::local::api::on_device;
use crate::local::{ShownRecord, SyncMark};
use crate::record::pages::{records, save_and_open, Scope};
use crate::record::{RecordBody, RecordInput, RecordKind};
use crate::t;
use chrono::NaiveDateTime;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn EventReportPage() -> impl IntoView {
    view! { <crate::components::layout::RequireStaff><EventForm/></crate::components::layout::RequireStaff> }
}

fn time(v: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M").ok()
}

#[component]
fn EventForm() -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let navigate = use_navigate();
    let user = expect_context::<crate::auth::SessionUser>();
    if !on_device(&user) {
        return view! { <p class="notice">{t!(zh, "突发事件信息由村医在手机上报告", "Village doctors report events on their phones")}</p> }
            .into_any();
    }
    let village = user.villages.first().map(|v| v.id.clone()).unwrap_or_default();
    let now = crate::device::now().format("%Y-%m-%dT%H:%M").to_string();
    let s = || RwSignal::new(String::new());
    let (title, place, first, last, cases, deaths, symptoms, measures, phoned) =
        (s(), s(), s(), s(), s(), RwSignal::new("0".to_string()), s(), s(), s());
    let (occurred, learnt) = (RwSignal::new(now.clone()), RwSignal::new(now));
    let stage = RwSignal::new(Some(INITIAL));
    let category = RwSignal::new(None::<u8>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let read = || -> Result<EventReportInput, AppError> {
            // Left empty is none (an event may have no case yet); anything else must be a whole number.
            let count = |f: &str, v: String| {
                parse_opt::<u32>(&v)
                    .map(Option::unwrap_or_default)
                    .ok_or_else(|| AppError::field(f, "请输入人数（整数）", "Enter a whole number"))
            };
            Ok(EventReportInput {
                stage: stage.get().unwrap_or(0),
                category: category.get().unwrap_or(0),
                title: title.get(),
                place: place.get(),
                occurred_at: time(&occurred.get())
                    .ok_or_else(|| AppError::field("occurred_at", "请填写发生时间", "Enter when it happened"))?,
                learnt_at: time(&learnt.get())
                    .ok_or_else(|| AppError::field("learnt_at", "请填写获悉时间", "Enter when you learnt of it"))?,
                first_case_at: time(&first.get()),
                last_case_at: time(&last.get()),
                cases: count("cases", cases.get())?,
                deaths: count("deaths", deaths.get())?,
                symptoms: symptoms.get(),
                measures: measures.get(),
                phoned_at: time(&phoned.get()),
                filled_at: crate::device::now(),
            })
        };
        let card = match read() {
            Ok(c) => c,
            Err(e) => return errors.set(Some(e)),
        };
        let day = card.learnt_at.date();
        let input = RecordInput::new(village.clone(), None, day, RecordBody::EventReport(Box::new(card)), None);
        save_and_open(input, None, "/reports", errors, &navigate)
    };
    let area = |name: &'static str, value: RwSignal<String>| {
        view! { <textarea name=name id=name rows="2" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea> }
    };
    view! {
        <section class="card">
            <h1>{t!(zh, "突发公共卫生事件信息报告", "Public-health event report")}</h1>
            <p class="hint">{t!(zh, "获悉后2小时内报告；保存后优先发送，无法联网时请电话报告县疾控。",
                "Report within 2 hours of learning of it; sent before anything else. Without a network, phone the county CDC.")}</p>
            <form on:submit=submit novalidate>
                <FormError/>
                <div class="grid2">
                    <Field name="stage" zh="报告类别" en="Report"><CodeSelect name="stage" table=STAGE value=stage/></Field>
                    <Field name="category" zh="信息类别" en="Category"><CodeSelect name="category" table=CATEGORY value=category/></Field>
                </div>
                <TextField name="title" zh="事件名称" en="Event" value=title/>
                <TextField name="place" zh="发生地点" en="Place" value=place/>
                // Date-and-time inputs are too wide for half a phone's width: one per line.
                <TextField name="occurred_at" zh="发生时间" en="Happened at" value=occurred kind="datetime-local"/>
                <TextField name="learnt_at" zh="获悉时间" en="Learnt of at" value=learnt kind="datetime-local"/>
                <TextField name="first_case_at" zh="首例发病时间" en="First case" value=first kind="datetime-local"/>
                <TextField name="last_case_at" zh="末例发病时间" en="Last case" value=last kind="datetime-local"/>
                <div class="grid2">
                    <TextField name="cases" zh="发病人数" en="Cases" value=cases kind="number" inputmode="numeric"/>
                    <TextField name="deaths" zh="死亡人数" en="Deaths" value=deaths kind="number" inputmode="numeric"/>
                </div>
                <Field name="symptoms" zh="主要症状" en="Main symptoms">{area("symptoms", symptoms)}</Field>
                <Field name="measures" zh="已采取的措施" en="Measures taken">{area("measures", measures)}</Field>
                <TextField name="phoned_at" zh="电话报告县疾控时间" en="Phoned the CDC at" value=phoned kind="datetime-local"/>
                <button class="primary" type="submit" data-testid="save-event-report">{t!(zh, "保存并发送", "Save and send")}</button>
            </form>
        </section>
    }
    .into_any()
}

/// The events in the user's scope, newest first, with their timeliness (on `/reports`).
#[component]
pub fn EventList() -> impl IntoView {
    let zh = use_zh();
    let list = records(Memo::new(|_| Some(Scope::Kind(RecordKind::EventReport))));
    move || {
        let rows: Vec<ShownRecord> = list().and_then(|r| r.ok()).unwrap_or_default();
        let z = zh.get();
        let now = crate::device::now();
        (!rows.is_empty()).then(|| {
            view! {
                <h2>{pick(z, "突发公共卫生事件", "Public-health events")}</h2>
                <ul class="tasks" data-testid="event-reports">
                    {rows.iter().filter_map(|r| match &r.stored.record.body {
                        RecordBody::EventReport(e) => {
                            let received = r.first_received_at();
                            let status = e.timeliness(received, now);
                            let sent = match (&r.mark, received) {
                                (SyncMark::Rejected(err), _) => format!("{}：{}", pick(z, "被退回", "Returned"), err.message(z)),
                                (_, Some(at)) => format!("{} {}", pick(z, "已送达", "Received"), at.format("%m-%d %H:%M")),
                                _ => pick(z, "未送达服务器", "Not on the server yet").to_string(),
                            };
                            let late = received.is_some() && !status.on_time();
                            Some(view! {
                                <li class:overdue=late data-testid="event-report">
                                    <span class="task-who">{e.title.clone()} " · " {e.place.clone()}</span>
                                    <span class="task-what">
                                        {crate::codes::label(STAGE, e.stage, z)} " · " {crate::codes::label(CATEGORY, e.category, z)} " · "
                                        {if z { format!("发病{}人，死亡{}人", e.cases, e.deaths) } else { format!("{} ill, {} dead", e.cases, e.deaths) }}
                                    </span>
                                    <span class="task-when" data-testid="timeliness">{status.label(z)} " · " {sent}</span>
                                </li>
                            })
                        }
                        _ => None,
                    }).collect_view()}
                </ul>
            }
        })
    }
}
