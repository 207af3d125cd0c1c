//! The referral form (转诊单). Opened from a follow-up, it starts from that follow-up's referral (reason and
//! institution) and remembers where it came from; the follow-up of the referral is due within 2 weeks.

use super::*;
use crate::components::fields::{provide_form_errors, CodeSelect, Field, FormError, TextField};
use crate::device::today;
use crate::error::AppError;
use crate::i18n::use_zh;
use crate::record::pages::{save_and_open, FormGate};
use crate::record::{RecordBody, RecordInput};
use crate::resident::Resident;
use crate::t;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn ReferralNewPage() -> impl IntoView {
    view! { <FormGate form=|r| view! { <ReferralForm resident=r/> }.into_any()/> }
}

/// The referral written on the follow-up `source` (a chronic visit revision or a record revision), if any.
fn from_source(source: Uuid) -> Option<crate::visit::Referral> {
    crate::local::api::read(|d| {
        d.htn_visit(source).and_then(|v| v.referral).or_else(|| {
            d.records_where("", |r| r.id == source).into_iter().find_map(|r| match r.stored.record.body {
                RecordBody::SmiVisit(v) => v.referral,
                RecordBody::TbVisit(v) => v.referral,
                _ => None,
            })
        })
    })
    .flatten()
}

#[component]
fn ReferralForm(resident: Resident) -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let navigate = use_navigate();
    let query = use_query_map().get_untracked();
    let source = query.get("source").and_then(|s| Uuid::parse_str(&s).ok());
    let source_kind = query.get("kind").unwrap_or_default();
    let start = source.and_then(from_source).unwrap_or_default();
    let date = RwSignal::new(today().to_string());
    let reason = RwSignal::new(start.reason);
    let institution = RwSignal::new(start.institution);
    let department = RwSignal::new(String::new());
    let urgent = RwSignal::new(source.is_some());
    let result = RwSignal::new(Some(PENDING));
    let result_date = RwSignal::new(String::new());
    let feedback = RwSignal::new(String::new());
    let (rid, birth, village) = (resident.id, resident.birth_date, StoredValue::new(resident.village_id.clone()));
    let source_kind = StoredValue::new(source_kind);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(day) = date.get().parse::<NaiveDate>() else {
            return errors.set(Some(AppError::field("date", "请填写转诊日期", "Enter the date")));
        };
        let input = RecordInput::new(
            village.get_value(),
            Some(rid),
            day,
            RecordBody::Referral(Box::new(ReferralInput {
                reason: reason.get(),
                institution: institution.get(),
                department: department.get(),
                urgent: urgent.get(),
                source,
                source_kind: source_kind.get_value(),
                result: result.get(),
                result_date: result_date.get().parse().ok(),
                feedback: feedback.get(),
            })),
            None,
        );
        save_and_open(input, Some(birth), &format!("/residents/{rid}"), errors, &navigate)
    };
    view! {
        <section class="card">
            <h1>{t!(zh, "转诊单", "Referral")}</h1>
            <p class="muted">{resident.name.clone()}</p>
            <form on:submit=submit novalidate>
                <FormError/>
                <TextField name="date" zh="转诊日期" en="Date" value=date kind="date"/>
                <p class="hint">{move || date.get().parse().ok().map(|d| if zh.get() { format!("请于 {} 前随访转诊结果", follow_up_by(d)) } else { format!("Follow up the referral by {}", follow_up_by(d)) })}</p>
                <TextField name="reason" zh="转诊原因" en="Reason" value=reason/>
                <div class="grid2">
                    <TextField name="institution" zh="转入机构" en="Institution" value=institution/>
                    <TextField name="department" zh="科室" en="Department" value=department/>
                </div>
                <label class="check"><input type="checkbox" name="urgent" prop:checked=move || urgent.get() on:change=move |ev| urgent.set(event_target_checked(&ev))/><span>{t!(zh, "紧急转诊", "Urgent")}</span></label>
                <div class="grid2">
                    <Field name="result" zh="转诊结果" en="Result"><CodeSelect name="result" table=RESULT value=result/></Field>
                    <TextField name="result_date" zh="结果日期" en="Result date" value=result_date kind="date"/>
                </div>
                <TextField name="feedback" zh="反馈" en="Feedback" value=feedback/>
                <button class="primary" type="submit" data-testid="save-referral">{t!(zh, "保存转诊单", "Save referral")}</button>
            </form>
        </section>
    }
}
