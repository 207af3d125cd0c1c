//! The information report register on the phone: a clue found in the village, where, what, and when it was
//! passed to the township's supervision team; listed on `/reports` under the disease reports.

use super::*;
use crate::components::fields::{provide_form_errors, CodeSelect, Field, FormError, TextField};
use crate::error::AppError;
use crate::i18n::{pick, use_zh};
use crate::local::api::on_device;
use crate::local::ShownRecord;
use crate::record::pages::{records, save_and_open, Scope};
use crate::record::{RecordBody, RecordInput, RecordKind};
use crate::t;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn SupervisionNewPage() -> impl IntoView {
    view! { <crate::components::layout::RequireStaff><SupervisionForm/></crate::components::layout::RequireStaff> }
}

#[component]
fn SupervisionForm() -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let navigate = use_navigate();
    let user = expect_context::<crate::auth::SessionUser>();
    if !on_device(&user) {
        return view! { <p class="notice">{t!(zh, "信息报告由村医在手机上登记", "Village doctors register clues on their phones")}</p> }
            .into_any();
    }
    let village = user.villages.first().map(|v| v.id.clone()).unwrap_or_default();
    let now = crate::device::now().format("%Y-%m-%dT%H:%M").to_string();
    let category = RwSignal::new(None::<u8>);
    let found = RwSignal::new(now.clone());
    let reported = RwSignal::new(now);
    let (place, content, received_by) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let time = |v: &str| NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M").ok();
        let Some(found_at) = time(&found.get()) else {
            return errors.set(Some(AppError::field("found_at", "请填写发现时间", "Enter when it was found")));
        };
        let clue = SupervisionReportInput {
            category: category.get().unwrap_or(0),
            found_at,
            place: place.get(),
            content: content.get(),
            reported_at: time(&reported.get()),
            received_by: received_by.get(),
        };
        let input = RecordInput::new(
            village.clone(),
            None,
            found_at.date(),
            RecordBody::SupervisionReport(Box::new(clue)),
            None,
        );
        save_and_open(input, None, "/reports", errors, &navigate)
    };
    view! {
        <section class="card">
            <h1>{t!(zh, "卫生监督协管信息报告", "Health-supervision report")}</h1>
            <form on:submit=submit novalidate>
                <FormError/>
                <Field name="category" zh="信息类别" en="Category"><CodeSelect name="category" table=CATEGORY value=category/></Field>
                <TextField name="found_at" zh="发现时间" en="Found at" value=found kind="datetime-local"/>
                <TextField name="place" zh="地点" en="Place" value=place/>
                <Field name="content" zh="信息内容" en="What was found">
                    <textarea name="content" rows="3" prop:value=move || content.get() on:input=move |ev| content.set(event_target_value(&ev))></textarea>
                </Field>
                <TextField name="reported_at" zh="报告时间" en="Reported at" value=reported kind="datetime-local"/>
                <TextField name="received_by" zh="接收机构" en="Received by" value=received_by/>
                <button class="primary" type="submit" data-testid="save-supervision">{t!(zh, "保存", "Save")}</button>
            </form>
        </section>
    }
    .into_any()
}

/// The register's lines, newest first (on `/reports`).
#[component]
pub fn SupervisionList() -> impl IntoView {
    let zh = use_zh();
    let list = records(Memo::new(|_| Some(Scope::Kind(RecordKind::SupervisionReport))));
    move || {
        let rows: Vec<ShownRecord> = list().and_then(|r| r.ok()).unwrap_or_default();
        let z = zh.get();
        (!rows.is_empty()).then(|| {
            view! {
                <h2>{pick(z, "卫生监督协管信息", "Health-supervision clues")}</h2>
                <ul class="tasks" data-testid="supervision-reports">
                    {rows.iter().filter_map(|r| match &r.stored.record.body {
                        RecordBody::SupervisionReport(s) => Some(view! {
                            <li>
                                <span class="task-who">{crate::codes::label(CATEGORY, s.category, z)} " · " {s.place.clone()}</span>
                                <span class="task-what">{s.content.clone()}</span>
                                <span class="task-when">{match s.reported_at {
                                    Some(at) if s.on_time() => format!("{} {}", pick(z, "已报告（及时）", "Reported on time"), at.format("%m-%d %H:%M")),
                                    Some(at) => format!("{} {}", pick(z, "已报告（超时）", "Reported late"), at.format("%m-%d %H:%M")),
                                    None => pick(z, "未报告", "Not reported").to_string(),
                                }}</span>
                            </li>
                        }),
                        _ => None,
                    }).collect_view()}
                </ul>
            }
        })
    }
}
