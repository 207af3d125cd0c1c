//! The postpartum home visit form (产后访视记录表), opened from the mother's task on Today; the delivery date
//! comes from her delivery record on the phone.

use super::*;
use crate::components::fields::{
    parse_opt, provide_form_errors, EnumChecks, Field, FormError, ReferralFields, TextField,
};
use crate::device::today;
use crate::error::AppError;
use crate::i18n::use_zh;
use crate::record::pages::{save_and_open, FormGate};
use crate::record::{RecordBody, RecordInput};
use crate::resident::Resident;
use crate::t;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn PostpartumPage() -> impl IntoView {
    view! { <FormGate form=|r| view! { <PostpartumForm resident=r/> }.into_any()/> }
}

/// The mother's latest delivery date on the phone (or none recorded).
pub fn last_delivery(mother: uuid::Uuid) -> Option<NaiveDate> {
    let me = expect_context::<crate::auth::SessionUser>().display_name;
    crate::local::api::read(|d| {
        d.records_where(&me, |r| r.resident_id == Some(mother))
            .into_iter()
            .filter_map(|x| match &x.stored.record.body {
                RecordBody::Childbirth(c) => Some(c.delivery_date),
                _ => None,
            })
            .max()
    })
    .flatten()
}

/// 未见异常 / 异常 with what was found.
#[component]
pub fn ExamField(
    name: &'static str,
    zh: &'static str,
    en: &'static str,
    value: RwSignal<Option<bool>>,
    text: RwSignal<String>,
) -> impl IntoView {
    let lang = use_zh();
    view! {
        <Field name zh en>
            <div class="checks">
                <label class="check">
                    <input type="radio" name=name value="normal" prop:checked=move || value.get() == Some(false) on:change=move |_| value.set(Some(false))/>
                    <span>{t!(lang, "未见异常", "Normal")}</span>
                </label>
                <label class="check">
                    <input type="radio" name=name value="abnormal" prop:checked=move || value.get() == Some(true) on:change=move |_| value.set(Some(true))/>
                    <span>{t!(lang, "异常", "Abnormal")}</span>
                </label>
            </div>
            <Show when=move || value.get() == Some(true)>
                <input type="text" name=format!("{name}_text") aria-label=en prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
            </Show>
        </Field>
    }
}

/// An exam item's pair of signals.
#[derive(Clone, Copy)]
pub struct ExamSignals {
    pub abnormal: RwSignal<Option<bool>>,
    pub text: RwSignal<String>,
}

impl ExamSignals {
    pub fn new() -> Self {
        ExamSignals { abnormal: RwSignal::new(Some(false)), text: RwSignal::new(String::new()) }
    }

    pub fn get(&self) -> Option<Exam> {
        self.abnormal.get().map(|a| if a { Exam::Abnormal(self.text.get()) } else { Exam::Normal })
    }
}

impl Default for ExamSignals {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
fn PostpartumForm(resident: Resident) -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let navigate = use_navigate();
    let (rid, birth, village) = (resident.id, resident.birth_date, StoredValue::new(resident.village_id.clone()));
    let s = || RwSignal::new(String::new());
    let delivered = RwSignal::new(last_delivery(rid).map(|d| d.to_string()).unwrap_or_default());
    let date = RwSignal::new(today().to_string());
    let (temperature, general, mental, sbp, dbp, reason, institution, next) = (s(), s(), s(), s(), s(), s(), s(), s());
    let (breasts, lochia, uterus, wound, class) =
        (ExamSignals::new(), ExamSignals::new(), ExamSignals::new(), ExamSignals::new(), ExamSignals::new());
    let guidance = RwSignal::new(std::collections::BTreeSet::from([
        PostpartumGuidance::Breastfeeding,
        PostpartumGuidance::NewbornCare,
    ]));
    let referral = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let read = || -> Result<PostpartumVisitInput, AppError> {
            let day = |f: &str, v: String| {
                v.parse::<NaiveDate>().map_err(|_| AppError::field(f, "请填写日期", "Enter the date"))
            };
            let num = |f: &str, v: String| {
                parse_opt::<f64>(&v).ok_or_else(|| AppError::field(f, "请输入数字", "Enter a number"))
            };
            let int = |f: &str, v: String| {
                parse_opt::<i32>(&v).ok_or_else(|| AppError::field(f, "请输入数字", "Enter a number"))
            };
            Ok(PostpartumVisitInput {
                visit_date: day("visit_date", date.get())?,
                delivery_date: day("delivery_date", delivered.get())?,
                temperature: num("temperature", temperature.get())?,
                general_health: general.get(),
                mental_health: mental.get(),
                sbp: int("sbp", sbp.get())?,
                dbp: int("dbp", dbp.get())?,
                breasts: breasts.get(),
                lochia: lochia.get(),
                uterus: uterus.get(),
                wound: wound.get(),
                classification: class.get(),
                guidance: guidance.get(),
                guidance_other: String::new(),
                referral: referral.get(),
                referral_reason: reason.get(),
                referral_institution: institution.get(),
                next_date: next.get().parse().ok(),
            })
        };
        let visit = match read() {
            Ok(v) => v,
            Err(e) => return errors.set(Some(e)),
        };
        let day = visit.visit_date;
        let input =
            RecordInput::new(village.get_value(), Some(rid), day, RecordBody::Postpartum(Box::new(visit)), None);
        save_and_open(input, Some(birth), &format!("/residents/{rid}"), errors, &navigate)
    };
    view! {
        <section class="card">
            <h1>{t!(zh, "产后访视", "Postpartum visit")}</h1>
            <p class="muted">{resident.name.clone()}</p>
            <form on:submit=submit novalidate>
                <FormError/>
                <div class="grid2">
                    <TextField name="visit_date" zh="访视日期" en="Visit date" value=date kind="date"/>
                    <TextField name="delivery_date" zh="分娩日期" en="Delivery date" value=delivered kind="date"/>
                    <TextField name="temperature" zh="体温 ℃" en="Temperature ℃" value=temperature kind="number" inputmode="decimal" step="0.1"/>
                    <div></div>
                    <TextField name="sbp" zh="收缩压 mmHg" en="Systolic mmHg" value=sbp kind="number" inputmode="numeric"/>
                    <TextField name="dbp" zh="舒张压 mmHg" en="Diastolic mmHg" value=dbp kind="number" inputmode="numeric"/>
                </div>
                <TextField name="general_health" zh="一般健康情况" en="General health" value=general/>
                <TextField name="mental_health" zh="一般心理状况" en="Mood" value=mental/>
                <ExamField name="breasts" zh="乳房" en="Breasts" value=breasts.abnormal text=breasts.text/>
                <ExamField name="lochia" zh="恶露" en="Lochia" value=lochia.abnormal text=lochia.text/>
                <ExamField name="uterus" zh="子宫" en="Uterus" value=uterus.abnormal text=uterus.text/>
                <ExamField name="wound" zh="伤口" en="Wound" value=wound.abnormal text=wound.text/>
                <ExamField name="classification" zh="分类" en="Assessment" value=class.abnormal text=class.text/>
                <Field name="guidance" zh="指导" en="Guidance">
                    <EnumChecks name="guidance" options=&PostpartumGuidance::ALL label=PostpartumGuidance::label values=guidance/>
                </Field>
                <ReferralFields referral=referral reason=reason institution=institution/>
                <TextField name="next_date" zh="下次随访日期" en="Next visit" value=next kind="date"/>
                <button class="primary" type="submit" data-testid="save-postpartum">{t!(zh, "保存", "Save")}</button>
            </form>
        </section>
    }
}
