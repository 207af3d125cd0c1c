//! Prenatal follow-ups 2–5 from the woman's task: where the village cannot do the visit (the usual case: it
//! is at a facility with 助产资质) the doctor urges her to go and records the 督促日期; where it can, the visit
//! itself (第2～5次产前随访服务记录表, the items the rules read).

use super::postpartum_page::{ExamField, ExamSignals};
use super::*;
use crate::components::fields::{
    parse_opt, provide_form_errors, EnumSelect, Field, FormError, ReferralFields, TextField,
};
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
pub fn PrenatalPage() -> impl IntoView {
    view! { <FormGate form=|r| view! { <PrenatalForm resident=r/> }.into_any()/> }
}

/// The LMP (or its estimate) of the woman's latest registration on the phone.
fn last_lmp(woman: uuid::Uuid) -> Option<NaiveDate> {
    let me = expect_context::<crate::auth::SessionUser>().display_name;
    crate::local::api::read(|d| {
        d.records_where(&me, |r| r.resident_id == Some(woman))
            .into_iter()
            .filter_map(|x| match &x.stored.record.body {
                RecordBody::Pregnancy(p) => Some((p.registration_date, p.lmp_estimate())),
                _ => None,
            })
            .max_by_key(|(d, _)| *d)
            .and_then(|(_, lmp)| lmp)
    })
    .flatten()
}

fn visit_label(v: PrenatalVisit, zh: bool) -> &'static str {
    v.label(zh)
}

const FOLLOW_UPS: [PrenatalVisit; 4] =
    [PrenatalVisit::Second, PrenatalVisit::Third, PrenatalVisit::Fourth, PrenatalVisit::Fifth];

#[component]
fn PrenatalForm(resident: Resident) -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let navigate = use_navigate();
    let (rid, birth, village) = (resident.id, resident.birth_date, StoredValue::new(resident.village_id.clone()));
    let lmp = last_lmp(rid);
    let asked = use_query_map().with_untracked(|q| q.get("visit")).and_then(|v| v.parse::<usize>().ok());
    let visit = RwSignal::new(
        asked
            .and_then(|n| FOLLOW_UPS.into_iter().find(|v| *v as usize + 1 == n))
            .or_else(|| lmp.and_then(|l| visit_for(l, today())).filter(|v| *v != PrenatalVisit::First)),
    );
    let urged = RwSignal::new(true);
    let s = || RwSignal::new(String::new());
    let date = RwSignal::new(today().to_string());
    let (weight, fundal, fetal, sbp, dbp, hb, reason, institution, next) =
        (s(), s(), s(), s(), s(), s(), s(), s(), s());
    let class = ExamSignals::new();
    let referral = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let read = || -> Result<PrenatalFollowUpInput, AppError> {
            let day = date
                .get()
                .parse::<NaiveDate>()
                .map_err(|_| AppError::field("visit_date", "请填写日期", "Enter the date"))?;
            let visit = visit.get().ok_or_else(|| AppError::field("visit", "请选择第几次随访", "Choose the visit"))?;
            let num = |f: &str, v: String| {
                parse_opt::<f64>(&v).ok_or_else(|| AppError::field(f, "请输入数字", "Enter a number"))
            };
            let int = |f: &str, v: String| {
                parse_opt::<i32>(&v).ok_or_else(|| AppError::field(f, "请输入数字", "Enter a number"))
            };
            let entry = if urged.get() {
                FollowUpEntry::Urged { urging_date: day }
            } else {
                FollowUpEntry::Visited(Box::new(PrenatalVisitRecord {
                    visit_date: day,
                    complaint: String::new(),
                    weight_kg: num("weight_kg", weight.get())?,
                    fundal_height_cm: num("fundal_height_cm", fundal.get())?,
                    abdominal_circ_cm: None,
                    fetal_position: String::new(),
                    fetal_heart_rate: int("fetal_heart_rate", fetal.get())?,
                    sbp: int("sbp", sbp.get())?,
                    dbp: int("dbp", dbp.get())?,
                    hb: num("hb", hb.get())?,
                    urine_protein: String::new(),
                    other_tests: String::new(),
                    classification: class.get(),
                    guidance: Default::default(),
                    guidance_other: String::new(),
                    referral: referral.get(),
                    referral_reason: reason.get(),
                    referral_institution: institution.get(),
                    next_date: next.get().parse().ok(),
                }))
            };
            Ok(PrenatalFollowUpInput { visit, lmp, entry })
        };
        let input = match read() {
            Ok(i) => i,
            Err(e) => return errors.set(Some(e)),
        };
        let day = match &input.entry {
            FollowUpEntry::Urged { urging_date } => *urging_date,
            FollowUpEntry::Visited(r) => r.visit_date,
        };
        let record = RecordInput::new(village.get_value(), Some(rid), day, RecordBody::Prenatal(Box::new(input)), None);
        save_and_open(record, Some(birth), &format!("/residents/{rid}"), errors, &navigate)
    };
    view! {
        <section class="card">
            <h1>{t!(zh, "产前随访", "Prenatal follow-up")}</h1>
            <p class="muted">{resident.name.clone()}
                {lmp.map(|l| view! { " · " {move || if zh.get() { format!("末次月经 {l}") } else { format!("LMP {l}") }} })}
            </p>
            <form on:submit=submit novalidate>
                <FormError/>
                <div class="grid2">
                    <Field name="visit" zh="随访次数" en="Visit">
                        <EnumSelect name="visit" options=&FOLLOW_UPS label=visit_label value=visit/>
                    </Field>
                    <TextField name="visit_date" zh="日期" en="Date" value=date kind="date"/>
                </div>
                <label class="check">
                    <input type="checkbox" name="urged" prop:checked=move || urged.get() on:change=move |ev| urged.set(event_target_checked(&ev))/>
                    <span>{t!(zh, "本单位不能开展，已督促到有助产资质的机构检查（记录督促日期）", "Not done here: urged to a qualified facility (record the date)")}</span>
                </label>
                <Show when=move || !urged.get()>
                    <div class="grid2">
                        <TextField name="weight_kg" zh="体重 kg" en="Weight kg" value=weight kind="number" inputmode="decimal" step="0.1"/>
                        <TextField name="fundal_height_cm" zh="宫底高度 cm" en="Fundal height cm" value=fundal kind="number" inputmode="decimal"/>
                        <TextField name="fetal_heart_rate" zh="胎心率 次/分" en="Fetal heart /min" value=fetal kind="number" inputmode="numeric"/>
                        <TextField name="hb" zh="血红蛋白 g/L" en="Haemoglobin g/L" value=hb kind="number" inputmode="numeric"/>
                        <TextField name="sbp" zh="收缩压 mmHg" en="Systolic mmHg" value=sbp kind="number" inputmode="numeric"/>
                        <TextField name="dbp" zh="舒张压 mmHg" en="Diastolic mmHg" value=dbp kind="number" inputmode="numeric"/>
                    </div>
                    <ExamField name="classification" zh="分类" en="Assessment" value=class.abnormal text=class.text/>
                    <ReferralFields referral=referral reason=reason institution=institution/>
                    <TextField name="next_date" zh="下次随访日期" en="Next visit" value=next kind="date"/>
                </Show>
                <button class="primary" type="submit" data-testid="save-prenatal">{t!(zh, "保存", "Save")}</button>
            </form>
        </section>
    }
}
