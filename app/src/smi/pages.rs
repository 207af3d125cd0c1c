//! The severe-mental-disorder follow-up form: the class and the next visit follow the assessment as it is
//! filled in (until the doctor sets them), an unstable patient's referral is asked for at once, and the last
//! visit's medications are offered again.

use super::*;
use crate::codes;
use crate::components::fields::{
    parse_opt, provide_form_errors, CodeChecks, CodeSelect, Field, FormError, Input, TextField,
};
use crate::device::today;
use crate::error::AppError;
use crate::i18n::use_zh;
use crate::record::pages::{save_and_open, FormGate, SignaturePad};
use crate::record::{RecordBody, RecordInput, RecordKind};
use crate::resident::Resident;
use crate::t;
use crate::visit::chronic::OUTCOME_VISITED;
use crate::visit::pages::meds::MedsEditor;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn SmiVisitPage() -> impl IntoView {
    view! { <FormGate form=|r| view! { <SmiForm resident=r/> }.into_any()/> }
}

#[component]
fn SmiForm(resident: Resident) -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let navigate = use_navigate();
    let user = expect_context::<crate::auth::SessionUser>();
    let last_meds = crate::local::api::read(|d| {
        d.records_of(resident.id, &[RecordKind::SmiVisit], &user.display_name).into_iter().find_map(|r| {
            match r.stored.record.body {
                RecordBody::SmiVisit(v) => Some(v.meds),
                _ => None,
            }
        })
    })
    .flatten()
    .unwrap_or_default();
    let date = RwSignal::new(today().to_string());
    let outcome = RwSignal::new(Some(OUTCOME_VISITED));
    let lost_reason = RwSignal::new(String::new());
    let death_date = RwSignal::new(String::new());
    let death_cause = RwSignal::new(String::new());
    let mode = RwSignal::new(Some(2u8));
    let informant = RwSignal::new(Some(2u8));
    let risk = RwSignal::new(None::<u8>);
    let symptoms = RwSignal::new(Vec::<u8>::new());
    let insight = RwSignal::new(None::<u8>);
    let sleep = RwSignal::new(Some(1u8));
    let diet = RwSignal::new(Some(1u8));
    let social: [RwSignal<Option<u8>>; 5] = std::array::from_fn(|_| RwSignal::new(Some(1u8)));
    let harmful: Vec<(u8, RwSignal<String>)> =
        HARMFUL_ACTS.iter().map(|h| (h.code, RwSignal::new(String::new()))).collect();
    let harmful = StoredValue::new(harmful);
    let confinement = RwSignal::new(Some(1u8));
    let hospital = RwSignal::new(Some(1u8));
    let last_discharge = RwSignal::new(String::new());
    let labs = RwSignal::new(String::new());
    let adherence = RwSignal::new(Some(1u8));
    let adr = RwSignal::new(Some(1u8));
    let adr_text = RwSignal::new(String::new());
    let effect = RwSignal::new(Some(2u8));
    let meds = RwSignal::new(last_meds);
    let rehab = RwSignal::new(Vec::<u8>::new());
    let class = RwSignal::new(None::<u8>);
    let class_touched = RwSignal::new(false);
    let referral_reason = RwSignal::new(String::new());
    let referral_inst = RwSignal::new(String::new());
    let next_date = RwSignal::new(String::new());
    let next_touched = RwSignal::new(false);
    let signature = RwSignal::new(None::<String>);
    let (rid, birth, village) = (resident.id, resident.birth_date, StoredValue::new(resident.village_id.clone()));

    let build = move || -> Result<SmiVisitInput, AppError> {
        let d = |s: RwSignal<String>| s.get().parse::<NaiveDate>().ok();
        let mut acts = Vec::new();
        for (kind, s) in harmful.get_value() {
            match parse_opt::<u32>(&s.get()) {
                Some(Some(count)) => acts.push(HarmfulAct { kind, count }),
                Some(None) => {}
                None => return Err(AppError::field("harmful", "次数请输入整数", "Counts are whole numbers")),
            }
        }
        let referral =
            (!(referral_reason.get().trim().is_empty() && referral_inst.get().trim().is_empty())).then(|| {
                crate::visit::Referral {
                    reason: referral_reason.get(),
                    institution: referral_inst.get(),
                    ..Default::default()
                }
            });
        Ok(SmiVisitInput {
            outcome: outcome.get().unwrap_or(0),
            lost_reason: lost_reason.get(),
            death_date: d(death_date),
            death_cause: death_cause.get(),
            mode: mode.get(),
            informant: informant.get(),
            risk: risk.get(),
            symptoms: symptoms.get(),
            insight: insight.get(),
            sleep: sleep.get(),
            diet: diet.get(),
            social: social.map(|s| s.get()),
            harmful: acts,
            confinement: confinement.get(),
            hospital: hospital.get(),
            last_discharge: d(last_discharge),
            labs: labs.get(),
            adherence: adherence.get(),
            adr: adr.get(),
            adr_text: adr_text.get(),
            effect: effect.get(),
            referral,
            meds: meds.get(),
            rehab: rehab.get(),
            class: class.get(),
            next_visit_date: d(next_date),
        })
    };
    // The rules' class and next visit, until the doctor picks their own.
    Effect::new(move |_| {
        let Ok(v) = build() else { return };
        // Set only what changes: the effect reads what it sets, and an unchanged value must not run it again.
        if let Some(k) = v.suggested_class() {
            if !class_touched.get_untracked() && class.get_untracked() != Some(k) {
                class.set(Some(k));
            }
            if !next_touched.get_untracked() {
                if let Ok(day) = date.get().parse::<NaiveDate>() {
                    let next = next_visit(class.get_untracked().unwrap_or(k), day).to_string();
                    if next_date.get_untracked() != next {
                        next_date.set(next);
                    }
                }
            }
        }
    });
    let current = Memo::new(move |_| build().ok());
    let refer = move || current.get().is_some_and(|v| v.must_refer());
    let warning = move || current.get().and_then(|v| v.class_warning());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(day) = date.get().parse::<NaiveDate>() else {
            return errors.set(Some(AppError::field("date", "请填写随访日期", "Enter the visit date")));
        };
        let input = match build() {
            Ok(v) => RecordInput::new(
                village.get_value(),
                Some(rid),
                day,
                RecordBody::SmiVisit(Box::new(v)),
                signature.get(),
            ),
            Err(e) => return errors.set(Some(e)),
        };
        save_and_open(input, Some(birth), &format!("/residents/{rid}"), errors, &navigate)
    };
    let visited = move || outcome.get() == Some(OUTCOME_VISITED);
    view! {
        <section class="card">
            <h1>{t!(zh, "严重精神障碍患者随访", "Severe mental disorder follow-up")}</h1>
            <p class="muted">{resident.name.clone()}</p>
            <form on:submit=submit novalidate>
                <FormError/>
                <Show when=refer>
                    <div class="urgent-banner" role="alert" data-testid="urgent-banner">
                        {t!(zh, "⚠ 病情不稳定或危险性3级及以上：对症处理后立即转诊，必要时报告当地公安，2周内随访", "⚠ Unstable or risk ≥ 3: treat, refer at once (police if needed), see again within 2 weeks")}
                    </div>
                </Show>
                <div class="grid2">
                    <TextField name="date" zh="随访日期" en="Visit date" value=date kind="date"/>
                    <Field name="outcome" zh="随访情况" en="Outcome"><CodeSelect name="outcome" table=codes::VISIT_OUTCOME value=outcome/></Field>
                </div>
                <Show when=move || outcome.get() == Some(2)>
                    <TextField name="lost_reason" zh="失访原因" en="Reason lost" value=lost_reason/>
                </Show>
                <Show when=move || outcome.get() == Some(3)>
                    <div class="grid2">
                        <TextField name="death_date" zh="死亡日期" en="Date of death" value=death_date kind="date"/>
                        <TextField name="death_cause" zh="死亡原因" en="Cause" value=death_cause/>
                    </div>
                </Show>
                <Show when=visited>
                    <div class="grid2">
                        <Field name="mode" zh="随访方式" en="Mode"><CodeSelect name="mode" table=codes::VISIT_MODE value=mode/></Field>
                        <Field name="informant" zh="信息来源" en="Informant"><CodeSelect name="informant" table=INFORMANT value=informant/></Field>
                    </div>
                    <Field name="risk" zh="危险性评估" en="Risk"><CodeSelect name="risk" table=RISK value=risk/></Field>
                    <Field name="symptoms" zh="目前症状" en="Symptoms"><CodeChecks name="symptoms" table=SYMPTOMS values=symptoms/></Field>
                    <div class="grid2">
                        <Field name="insight" zh="自知力" en="Insight"><CodeSelect name="insight" table=INSIGHT value=insight/></Field>
                        <Field name="sleep" zh="睡眠情况" en="Sleep"><CodeSelect name="sleep" table=GOOD_FAIR_POOR value=sleep/></Field>
                        <Field name="diet" zh="饮食情况" en="Diet"><CodeSelect name="diet" table=GOOD_FAIR_POOR value=diet/></Field>
                    </div>
                    <Field name="social" zh="社会功能情况" en="Social functioning">
                        <div class="grid2">
                            {SOCIAL_ITEMS.iter().zip(social).map(|((key, z, e), s)| view! {
                                <label class="stack">{move || if zh.get() { *z } else { *e }}<CodeSelect name=key table=GOOD_FAIR_POOR value=s/></label>
                            }).collect_view()}
                        </div>
                    </Field>
                    <Field name="harmful" zh="危害行为（次数，无则不填）" en="Harmful acts (times; blank if none)">
                        <div class="grid2">
                            {harmful.get_value().into_iter().map(|(code, s)| view! {
                                <label class="stack">{move || codes::label(HARMFUL_ACTS, code, zh.get())}
                                    <input type="number" inputmode="numeric" name=format!("harmful_{code}") prop:value=move || s.get() on:input=move |ev| s.set(event_target_value(&ev))/>
                                </label>
                            }).collect_view()}
                        </div>
                    </Field>
                    <div class="grid2">
                        <Field name="confinement" zh="关锁情况" en="Confinement"><CodeSelect name="confinement" table=CONFINEMENT value=confinement/></Field>
                        <Field name="hospital" zh="住院情况" en="Hospital"><CodeSelect name="hospital" table=HOSPITAL value=hospital/></Field>
                    </div>
                    <Show when=move || hospital.get() == Some(HOSPITAL_BEFORE)>
                        <TextField name="last_discharge" zh="末次出院时间" en="Last discharge" value=last_discharge kind="date"/>
                    </Show>
                    <TextField name="labs" zh="实验室检查" en="Lab tests" value=labs/>
                    <div class="grid2">
                        <Field name="adherence" zh="服药依从性" en="Adherence"><CodeSelect name="adherence" table=ADHERENCE value=adherence/></Field>
                        <Field name="adr" zh="药物不良反应" en="Adverse reaction"><CodeSelect name="adr" table=codes::ADR value=adr/></Field>
                        <Field name="effect" zh="治疗效果" en="Effect"><CodeSelect name="effect" table=EFFECT value=effect/></Field>
                    </div>
                    <Show when=move || adr.get() == Some(2)>
                        <TextField name="adr_text" zh="不良反应描述" en="Describe the reaction" value=adr_text/>
                    </Show>
                    <Field name="meds" zh="用药情况（沿用上次）" en="Medications (carried from last visit)"><MedsEditor name="meds" meds/></Field>
                    <Field name="rehab" zh="康复措施" en="Rehabilitation"><CodeChecks name="rehab" table=REHAB values=rehab/></Field>
                    <Field name="class" zh="此次随访分类" en="Class">
                        <select name="class" on:change=move |ev| { class_touched.set(true); class.set(event_target_value(&ev).parse().ok()); }>
                            <option value="">{t!(zh, "请选择", "Choose")}</option>
                            {CLASS.iter().map(|c| { let code = c.code; view! {
                                <option value=code.to_string() selected=move || class.get() == Some(code)>{move || if zh.get() { c.zh } else { c.en }}</option>
                            }}).collect_view()}
                        </select>
                    </Field>
                    {move || warning().map(|(z, e)| view! { <div class="warning" data-testid="warnings"><p>{move || if zh.get() { z } else { e }}</p></div> })}
                    <Field name="referral" zh="转诊（原因 / 机构及科别）" en="Referral (reason / institution)">
                        <Input name="referral_reason" value=referral_reason placeholder="转诊原因"/>
                        <Input name="referral_institution" value=referral_inst placeholder="机构及科别"/>
                    </Field>
                    <Field name="next_visit_date" zh="下次随访日期" en="Next visit">
                        <input type="date" name="next_visit_date" prop:value=move || next_date.get()
                            on:input=move |ev| { next_touched.set(true); next_date.set(event_target_value(&ev)); }/>
                    </Field>
                </Show>
                <Field name="signature" zh="居民或家属签名" en="Signature of the patient or family">
                    <SignaturePad value=signature/>
                </Field>
                <button class="primary" type="submit" data-testid="save-smi">{t!(zh, "保存随访", "Save follow-up")}</button>
            </form>
        </section>
    }
}
