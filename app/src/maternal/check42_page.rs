//! The 42-day postpartum check form (产后42天健康检查记录表), from the mother's PP_42 task: 已恢复 and 结案 close
//! the maternal episode; 未恢复 must be referred.

use super::postpartum_page::{last_delivery, ExamField, ExamSignals};
use super::*;
use crate::components::fields::{parse_opt, provide_form_errors, EnumChecks, EnumSelect, Field, FormError, TextField};
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
pub fn Check42Page() -> impl IntoView {
    view! { <FormGate form=|r| view! { <Check42Form resident=r/> }.into_any()/> }
}

#[component]
fn Check42Form(resident: Resident) -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let navigate = use_navigate();
    let (rid, birth, village) = (resident.id, resident.birth_date, StoredValue::new(resident.village_id.clone()));
    let s = || RwSignal::new(String::new());
    let delivered = RwSignal::new(last_delivery(rid).map(|d| d.to_string()).unwrap_or_default());
    let date = RwSignal::new(today().to_string());
    let (general, mental, sbp, dbp, note, reason, institution) = (s(), s(), s(), s(), s(), s(), s());
    let (breasts, lochia, uterus, wound) =
        (ExamSignals::new(), ExamSignals::new(), ExamSignals::new(), ExamSignals::new());
    let recovery = RwSignal::new(Some(Recovery::Recovered));
    let disposal = RwSignal::new(Some(Disposal::Close));
    let guidance = RwSignal::new(std::collections::BTreeSet::from([
        Check42Guidance::Contraception,
        Check42Guidance::InfantFeeding,
    ]));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let read = || -> Result<Check42Input, AppError> {
            let day = |f: &str, v: String| {
                v.parse::<NaiveDate>().map_err(|_| AppError::field(f, "请填写日期", "Enter the date"))
            };
            let int = |f: &str, v: String| {
                parse_opt::<i32>(&v).ok_or_else(|| AppError::field(f, "请输入数字", "Enter a number"))
            };
            Ok(Check42Input {
                check_date: day("check_date", date.get())?,
                delivery_date: day("delivery_date", delivered.get())?,
                general_health: general.get(),
                mental_health: mental.get(),
                sbp: int("sbp", sbp.get())?,
                dbp: int("dbp", dbp.get())?,
                breasts: breasts.get(),
                lochia: lochia.get(),
                uterus: uterus.get(),
                wound: wound.get(),
                classification: recovery.get(),
                classification_note: note.get(),
                guidance: guidance.get(),
                guidance_other: String::new(),
                disposal: disposal.get(),
                referral_reason: reason.get(),
                referral_institution: institution.get(),
            })
        };
        let check = match read() {
            Ok(c) => c,
            Err(e) => return errors.set(Some(e)),
        };
        let day = check.check_date;
        let input =
            RecordInput::new(village.get_value(), Some(rid), day, RecordBody::Postpartum42(Box::new(check)), None);
        save_and_open(input, Some(birth), &format!("/residents/{rid}"), errors, &navigate)
    };
    view! {
        <section class="card">
            <h1>{t!(zh, "产后42天健康检查", "42-day postpartum check")}</h1>
            <p class="muted">{resident.name.clone()}</p>
            <form on:submit=submit novalidate>
                <FormError/>
                <div class="grid2">
                    <TextField name="check_date" zh="检查日期" en="Date" value=date kind="date"/>
                    <TextField name="delivery_date" zh="分娩日期" en="Delivery date" value=delivered kind="date"/>
                    <TextField name="sbp" zh="收缩压 mmHg" en="Systolic mmHg" value=sbp kind="number" inputmode="numeric"/>
                    <TextField name="dbp" zh="舒张压 mmHg" en="Diastolic mmHg" value=dbp kind="number" inputmode="numeric"/>
                </div>
                <TextField name="general_health" zh="一般健康情况" en="General health" value=general/>
                <TextField name="mental_health" zh="一般心理状况（产后抑郁筛查）" en="Mood (postpartum depression screen)" value=mental/>
                <ExamField name="breasts" zh="乳房" en="Breasts" value=breasts.abnormal text=breasts.text/>
                <ExamField name="lochia" zh="恶露" en="Lochia" value=lochia.abnormal text=lochia.text/>
                <ExamField name="uterus" zh="子宫" en="Uterus" value=uterus.abnormal text=uterus.text/>
                <ExamField name="wound" zh="伤口" en="Wound" value=wound.abnormal text=wound.text/>
                <div class="grid2">
                    <Field name="classification" zh="分类" en="Assessment">
                        <EnumSelect name="classification" options=&Recovery::ALL label=Recovery::label value=recovery/>
                    </Field>
                    <Field name="disposal" zh="处理" en="Outcome">
                        <EnumSelect name="disposal" options=&Disposal::ALL label=Disposal::label value=disposal/>
                    </Field>
                </div>
                <Show when=move || recovery.get() == Some(Recovery::NotRecovered)>
                    <TextField name="classification_note" zh="未恢复情况" en="What has not recovered" value=note/>
                </Show>
                <Show when=move || disposal.get() == Some(Disposal::Refer)>
                    <div class="grid2">
                        <TextField name="referral_reason" zh="转诊原因" en="Reason" value=reason/>
                        <TextField name="referral_institution" zh="机构及科室" en="Facility and department" value=institution/>
                    </div>
                </Show>
                <Field name="guidance" zh="指导" en="Guidance">
                    <EnumChecks name="guidance" options=&Check42Guidance::ALL label=Check42Guidance::label values=guidance/>
                </Field>
                <button class="primary" type="submit" data-testid="save-check42">{t!(zh, "保存", "Save")}</button>
            </form>
        </section>
    }
}
