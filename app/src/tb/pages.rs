//! The TB follow-up form: first home visit, supervision visit or closing assessment, each asking for its own
//! fields; the next visit follows the supervisor and phase, a late first visit and the share of doses taken
//! are shown as they are filled in.

use super::*;
use crate::components::fields::{
    parse_opt, provide_form_errors, CodeChecks, CodeSelect, Field, FormError, Input, TextField,
};
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
pub fn TbVisitPage() -> impl IntoView {
    view! { <FormGate form=|r| view! { <TbForm resident=r/> }.into_any()/> }
}

#[component]
fn TbForm(resident: Resident) -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let navigate = use_navigate();
    let date = RwSignal::new(today().to_string());
    let visit_type = RwSignal::new(Some(SUPERVISION));
    let notice_date = RwSignal::new(String::new());
    let supervisor = RwSignal::new(Some(FAMILY));
    let phase = RwSignal::new(Some(INTENSIVE));
    let month = RwSignal::new(String::new());
    let symptoms = RwSignal::new(Vec::<u8>::new());
    let prescribed = RwSignal::new(String::new());
    let missed = RwSignal::new(String::from("0"));
    let adr = RwSignal::new(Some(1u8));
    let adr_text = RwSignal::new(String::new());
    let referral_reason = RwSignal::new(String::new());
    let referral_inst = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let next_date = RwSignal::new(String::new());
    let next_touched = RwSignal::new(false);
    let stop_date = RwSignal::new(String::new());
    let stop_reason = RwSignal::new(None::<u8>);
    let total_prescribed = RwSignal::new(String::new());
    let total_taken = RwSignal::new(String::new());
    let signature = RwSignal::new(None::<String>);
    let (rid, birth, village) = (resident.id, resident.birth_date, StoredValue::new(resident.village_id.clone()));

    Effect::new(move |_| {
        let (Some(s), Some(p), Ok(day)) = (supervisor.get(), phase.get(), date.get().parse::<NaiveDate>()) else {
            return;
        };
        if !next_touched.get_untracked() {
            let next = next_visit(s, p, day).to_string();
            if next_date.get_untracked() != next {
                next_date.set(next);
            }
        }
    });
    let num = |s: RwSignal<String>, field: &'static str| -> Result<Option<u32>, AppError> {
        parse_opt::<u32>(&s.get()).ok_or_else(|| AppError::field(field, "请输入整数", "Enter a whole number"))
    };
    let build = move || -> Result<TbVisitInput, AppError> {
        let d = |s: RwSignal<String>| s.get().parse::<NaiveDate>().ok();
        let t = visit_type.get();
        let closing = t == Some(CLOSING);
        let referral =
            (!(referral_reason.get().trim().is_empty() && referral_inst.get().trim().is_empty())).then(|| {
                crate::visit::Referral {
                    reason: referral_reason.get(),
                    institution: referral_inst.get(),
                    ..Default::default()
                }
            });
        Ok(TbVisitInput {
            visit_type: t,
            notice_date: if t == Some(FIRST) { d(notice_date) } else { None },
            supervisor: if closing { None } else { supervisor.get() },
            phase: if t == Some(SUPERVISION) { phase.get() } else { None },
            treatment_month: if t == Some(SUPERVISION) {
                parse_opt::<u8>(&month.get())
                    .ok_or_else(|| AppError::field("treatment_month", "请输入整数", "Enter a whole number"))?
            } else {
                None
            },
            symptoms: symptoms.get(),
            doses_prescribed: if t == Some(SUPERVISION) { num(prescribed, "doses_missed")? } else { None },
            doses_missed: if t == Some(SUPERVISION) { num(missed, "doses_missed")? } else { None },
            adr: adr.get(),
            adr_text: adr_text.get(),
            referral,
            notes: notes.get(),
            next_visit_date: if closing { None } else { d(next_date) },
            stop_date: if closing { d(stop_date) } else { None },
            stop_reason: if closing { stop_reason.get() } else { None },
            total_prescribed: if closing { num(total_prescribed, "total_taken")? } else { None },
            total_taken: if closing { num(total_taken, "total_taken")? } else { None },
        })
    };
    let current = Memo::new(move |_| build().ok());
    let late = move || {
        let day = date.get().parse::<NaiveDate>().ok();
        current.get().zip(day).is_some_and(|(v, d)| v.late_first_visit(d))
    };
    let share = move || {
        current.get().and_then(|v| {
            let (t, p) = (v.total_taken?, v.total_prescribed?);
            (p > 0).then(|| (t as f64 / p as f64 * 100.0, regular(t, p)))
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(day) = date.get().parse::<NaiveDate>() else {
            return errors.set(Some(AppError::field("date", "请填写随访日期", "Enter the visit date")));
        };
        let input = match build() {
            Ok(v) => {
                RecordInput::new(village.get_value(), Some(rid), day, RecordBody::TbVisit(Box::new(v)), signature.get())
            }
            Err(e) => return errors.set(Some(e)),
        };
        save_and_open(input, Some(birth), &format!("/residents/{rid}"), errors, &navigate)
    };
    view! {
        <section class="card">
            <h1>{t!(zh, "肺结核患者随访", "TB follow-up")}</h1>
            <p class="muted">{resident.name.clone()}</p>
            <form on:submit=submit novalidate>
                <FormError/>
                <div class="grid2">
                    <TextField name="date" zh="随访日期" en="Visit date" value=date kind="date"/>
                    <Field name="visit_type" zh="随访类型" en="Visit"><CodeSelect name="visit_type" table=VISIT_TYPE value=visit_type/></Field>
                </div>
                <Show when=move || visit_type.get() == Some(FIRST)>
                    <TextField name="notice_date" zh="定点医疗机构通知日期" en="Facility notice date" value=notice_date kind="date"/>
                    <Show when=late>
                        <div class="warning" data-testid="late-first-visit"><p>{t!(zh, "首次入户随访晚于通知后72小时", "The first visit came more than 72 hours after the notice")}</p></div>
                    </Show>
                </Show>
                <Show when=move || visit_type.get() != Some(CLOSING)>
                    <div class="grid2">
                        <Field name="supervisor" zh="督导人员" en="Supervisor"><CodeSelect name="supervisor" table=SUPERVISOR value=supervisor/></Field>
                        <Show when=move || visit_type.get() == Some(SUPERVISION)>
                            <Field name="phase" zh="治疗阶段" en="Phase"><CodeSelect name="phase" table=PHASE value=phase/></Field>
                        </Show>
                    </div>
                </Show>
                <Show when=move || visit_type.get() == Some(SUPERVISION)>
                    <div class="grid2">
                        <TextField name="treatment_month" zh="治疗月序" en="Month of treatment" value=month kind="number" inputmode="numeric"/>
                        <TextField name="doses_prescribed" zh="应服药次数" en="Doses prescribed" value=prescribed kind="number" inputmode="numeric"/>
                        <TextField name="doses_missed" zh="漏服次数" en="Doses missed" value=missed kind="number" inputmode="numeric"/>
                    </div>
                </Show>
                <Field name="symptoms" zh="症状及体征" en="Symptoms"><CodeChecks name="symptoms" table=SYMPTOMS values=symptoms/></Field>
                <Show when=move || symptoms.with(|s| s.contains(&SYMPTOM_HAEMOPTYSIS))>
                    <div class="urgent-banner" role="alert" data-testid="urgent-banner">{t!(zh, "⚠ 咯血：请转诊至定点医疗机构", "⚠ Coughing blood: refer to the designated facility")}</div>
                </Show>
                <Field name="adr" zh="药物不良反应" en="Adverse reaction"><CodeSelect name="adr" table=crate::codes::ADR value=adr/></Field>
                <Show when=move || adr.get() == Some(2)>
                    <TextField name="adr_text" zh="不良反应描述" en="Describe the reaction" value=adr_text/>
                </Show>
                <Field name="referral" zh="转诊（原因 / 机构及科别）" en="Referral (reason / institution)">
                    <Input name="referral_reason" value=referral_reason placeholder="转诊原因"/>
                    <Input name="referral_institution" value=referral_inst placeholder="机构及科别"/>
                </Field>
                <TextField name="notes" zh="处理意见" en="Notes" value=notes/>
                <Show when=move || visit_type.get() != Some(CLOSING)>
                    <Field name="next_visit_date" zh="下次随访日期" en="Next visit">
                        <input type="date" name="next_visit_date" prop:value=move || next_date.get()
                            on:input=move |ev| { next_touched.set(true); next_date.set(event_target_value(&ev)); }/>
                    </Field>
                </Show>
                <Show when=move || visit_type.get() == Some(CLOSING)>
                    <div class="grid2">
                        <TextField name="stop_date" zh="停止治疗日期" en="Treatment stopped" value=stop_date kind="date"/>
                        <Field name="stop_reason" zh="停止治疗原因" en="Why"><CodeSelect name="stop_reason" table=STOP_REASON value=stop_reason/></Field>
                        <TextField name="total_prescribed" zh="应服药次数" en="Doses prescribed" value=total_prescribed kind="number" inputmode="numeric"/>
                        <TextField name="total_taken" zh="实际服药次数" en="Doses taken" value=total_taken kind="number" inputmode="numeric"/>
                    </div>
                    <p class="hint" data-testid="adherence-share">{move || share().map(|(pct, ok)| match (ok, zh.get()) {
                        (true, true) => format!("服药率 {pct:.0}%：规则服药"),
                        (false, true) => format!("服药率 {pct:.0}%：未规则服药（<90%）"),
                        (true, false) => format!("{pct:.0}% of doses: regular"),
                        (false, false) => format!("{pct:.0}% of doses: not regular (<90%)"),
                    })}</p>
                </Show>
                <Field name="signature" zh="患者签名" en="Patient's signature"><SignaturePad value=signature/></Field>
                <button class="primary" type="submit" data-testid="save-tb">{t!(zh, "保存随访", "Save follow-up")}</button>
            </form>
        </section>
    }
}
