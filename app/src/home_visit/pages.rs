//! The home-visit form (上门服务) for bedridden or disabled residents, with the resident's signature.

use super::*;
use crate::components::fields::{parse_opt, provide_form_errors, CodeChecks, Field, FormError, TextField};
use crate::device::today;
use crate::error::AppError;
use crate::i18n::use_zh;
use crate::record::pages::{save_and_open, FormGate, SignaturePad};
use crate::record::{RecordBody, RecordInput};
use crate::resident::Resident;
use crate::t;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn HomeVisitPage() -> impl IntoView {
    view! { <FormGate form=|r| view! { <HomeVisitForm resident=r/> }.into_any()/> }
}

#[component]
fn HomeVisitForm(resident: Resident) -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let navigate = use_navigate();
    let date = RwSignal::new(today().to_string());
    let reasons = RwSignal::new(Vec::<u8>::new());
    let services = RwSignal::new(vec![1u8]);
    let (sbp, dbp, glucose) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let notes = RwSignal::new(String::new());
    let next_date = RwSignal::new(String::new());
    let signature = RwSignal::new(None::<String>);
    let (rid, birth, village) = (resident.id, resident.birth_date, StoredValue::new(resident.village_id.clone()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(day) = date.get().parse::<NaiveDate>() else {
            return errors.set(Some(AppError::field("date", "请填写日期", "Enter the date")));
        };
        let bad = |f: &str| AppError::field(f, "请输入数字", "Enter a number");
        let (Some(s), Some(d), Some(g)) =
            (parse_opt::<i32>(&sbp.get()), parse_opt::<i32>(&dbp.get()), parse_opt::<f64>(&glucose.get()))
        else {
            return errors.set(Some(bad("sbp")));
        };
        let input = RecordInput::new(
            village.get_value(),
            Some(rid),
            day,
            RecordBody::HomeVisit(Box::new(HomeVisitInput {
                reasons: reasons.get(),
                services: services.get(),
                sbp: s,
                dbp: d,
                glucose: g,
                notes: notes.get(),
                next_date: next_date.get().parse().ok(),
            })),
            signature.get(),
        );
        save_and_open(input, Some(birth), &format!("/residents/{rid}"), errors, &navigate)
    };
    view! {
        <section class="card">
            <h1>{t!(zh, "上门服务记录", "Home visit")}</h1>
            <p class="muted">{resident.name.clone()}</p>
            <form on:submit=submit novalidate>
                <FormError/>
                <TextField name="date" zh="服务日期" en="Date" value=date kind="date"/>
                <Field name="reasons" zh="上门原因" en="Why at home"><CodeChecks name="reasons" table=REASON values=reasons/></Field>
                <Field name="services" zh="服务内容" en="Services given"><CodeChecks name="services" table=SERVICES values=services/></Field>
                <div class="grid2">
                    <TextField name="sbp" zh="收缩压 mmHg" en="Systolic mmHg" value=sbp kind="number" inputmode="numeric"/>
                    <TextField name="dbp" zh="舒张压 mmHg" en="Diastolic mmHg" value=dbp kind="number" inputmode="numeric"/>
                    <TextField name="glucose" zh="血糖 mmol/L" en="Glucose mmol/L" value=glucose kind="number" inputmode="decimal" step="0.1"/>
                    <TextField name="next_date" zh="下次上门日期" en="Next visit" value=next_date kind="date"/>
                </div>
                <Field name="notes" zh="服务情况" en="Notes">
                    <textarea name="notes" rows="3" prop:value=move || notes.get() on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
                </Field>
                <Field name="signature" zh="居民或家属签名" en="Signature of the resident or family"><SignaturePad value=signature/></Field>
                <button class="primary" type="submit" data-testid="save-home-visit">{t!(zh, "保存", "Save")}</button>
            </form>
        </section>
    }
}
