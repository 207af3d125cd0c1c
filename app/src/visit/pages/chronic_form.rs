//! The chronic follow-up form: hypertension (高血压患者随访服务记录表) or type-2 diabetes (2型糖尿病患者随访服务
//! 记录表), chosen by the `:kind` segment of the address (`htn`, `dm`). The §3.1 rules run as the doctor types:
//! urgent referral conditions show a banner and must be confirmed before saving, contradictions are warned,
//! BMI is computed, and the next step and next-visit date default from the classification rules.

use super::insulin::InsulinEditor;
use super::meds::MedsEditor;
use crate::codes;
use crate::components::fields::{
    parse_opt, provide_form_errors, CodeChecks, CodeSelect, Field, FormError, Input, TextField,
};
use crate::components::layout::RequireStaff;
use crate::device::{device_id, new_id, today};
use crate::error::{AppError, FieldError};
use crate::i18n::use_zh;
use crate::local::api::{on_device, read};
use crate::resident::pages::id_param;
use crate::sync::EntryBody;
use crate::t;
use crate::visit::api::{chronic_form_context, get_htn_visit, record_htn_visit, ChronicFormData};
use crate::visit::chronic::*;
use crate::visit::Referral;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

#[component]
pub fn ChronicVisitPage() -> impl IntoView {
    view! { <ChronicVisitLoader correct=false/> }
}

/// Correcting a recorded visit: the form starts from that revision and saves a new one that supersedes it.
#[component]
pub fn ChronicVisitCorrectPage() -> impl IntoView {
    view! { <ChronicVisitLoader correct=true/> }
}

/// What the form starts from: the resident's context, the revision being corrected (if any) and whether that
/// revision is still unsynced on this device (then the correction replaces it instead of superseding it).
type Start = (Uuid, ChronicFormData, Option<ChronicVisitInput>, bool);

#[component]
fn ChronicVisitLoader(correct: bool) -> impl IntoView {
    view! { <RequireStaff><ChronicVisitLoad correct/></RequireStaff> }
}

#[component]
fn ChronicVisitLoad(correct: bool) -> impl IntoView {
    let zh = use_zh();
    let id = id_param();
    let params = leptos_router::hooks::use_params_map();
    let revision = Memo::new(move |_| params.with(|p| p.get("visit").and_then(|s| Uuid::parse_str(&s).ok())));
    let disease = Memo::new(move |_| params.with(|p| p.get("kind").and_then(|k| Disease::from_code(&k))));
    let user = StoredValue::new(expect_context::<crate::auth::SessionUser>());
    let device = on_device(&user.read_value());
    let server = Resource::new(
        move || (id.get(), revision.get(), disease.get()),
        move |(id, rev, disease)| async move {
            if device {
                return Ok(None);
            }
            let (Some(id), Some(disease)) = (id, disease) else { return Err(AppError::NotFound) };
            let existing = match (correct, rev) {
                (false, _) => None,
                (true, Some(rev)) => Some(get_htn_visit(rev).await?),
                (true, None) => return Err(AppError::NotFound),
            };
            chronic_form_context(id, disease).await.map(|c| Some((id, c, existing, false)))
        },
    );
    let start = move || -> Option<Result<Start, AppError>> {
        let started = if device {
            let (Some(id), Some(disease)) = (id.get(), disease.get()) else { return Some(Err(AppError::NotFound)) };
            let rev = revision.get();
            read(|d| {
                let ctx = d.chronic_form_data(id, disease, &user.read_value(), today()).ok_or(AppError::NotFound)?;
                let (existing, unsynced) = match (correct, rev) {
                    (false, _) => (None, false),
                    (true, Some(rev)) => (Some(d.htn_visit(rev).ok_or(AppError::NotFound)?), d.unsynced_revision(rev)),
                    (true, None) => return Err(AppError::NotFound),
                };
                Ok((id, ctx, existing, unsynced))
            })
        } else {
            server.get().map(|r| r.and_then(|o: Option<Start>| o.ok_or(AppError::NotFound)))
        };
        // A correction is of this resident's visit for this disease, or of nothing.
        let wanted = disease.get();
        started.map(|r| {
            r.and_then(|s| {
                if s.2.as_ref().is_some_and(|e| e.resident_id != s.0 || Some(e.disease) != wanted) {
                    Err(AppError::NotFound)
                } else {
                    Ok(s)
                }
            })
        })
    };
    // The form is built once: later changes of the store (a sync) must not reset what the doctor is typing.
    let first = Memo::new(move |prev: Option<&Option<Result<Start, AppError>>>| match prev {
        Some(Some(Ok(p))) => Some(Ok(p.clone())),
        _ => start(),
    });
    view! {
        <Transition fallback=move || view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }>
            {move || match first.get() {
                None => view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }.into_any(),
                Some(Ok((id, c, existing, unsynced))) => {
                    let disease = disease.get_untracked().unwrap_or_default();
                    view! { <ChronicForm disease resident_id=id ctx=c existing unsynced/> }.into_any()
                }
                Some(Err(e)) => view! { <p class="form-error">{move || e.message(zh.get())}</p> }.into_any(),
            }}
        </Transition>
    }
}

/// Text signals of the numeric fields, by wire name, so parsing and error naming share one list.
const NUMERIC: [&str; 18] = [
    "sbp",
    "dbp",
    "height_cm",
    "weight",
    "target_weight",
    "heart_rate",
    "smoking",
    "smoking_target",
    "drinking",
    "drinking_target",
    "exercise_times",
    "exercise_minutes",
    "exercise_times_target",
    "exercise_minutes_target",
    "fbg",
    "staple",
    "staple_target",
    "hba1c",
];

fn num_value(v: &ChronicVisitInput, f: &str) -> Option<String> {
    let i = |x: Option<i32>| x.map(|x| x.to_string());
    let d = |x: Option<f64>| x.map(|x| x.to_string());
    match f {
        "sbp" => i(v.sbp),
        "dbp" => i(v.dbp),
        "height_cm" => d(v.height_cm),
        "weight" => d(v.weight),
        "target_weight" => d(v.target_weight),
        "heart_rate" => i(v.heart_rate),
        "smoking" => i(v.smoking),
        "smoking_target" => i(v.smoking_target),
        "drinking" => d(v.drinking),
        "drinking_target" => d(v.drinking_target),
        "exercise_times" => i(v.exercise_times),
        "exercise_minutes" => i(v.exercise_minutes),
        "exercise_times_target" => i(v.exercise_times_target),
        "exercise_minutes_target" => i(v.exercise_minutes_target),
        "fbg" => d(v.fbg),
        "staple" => i(v.staple),
        "staple_target" => i(v.staple_target),
        "hba1c" => d(v.hba1c),
        _ => None,
    }
}

/// A correction starts from every value of the revision it corrects; a new visit carries forward only what
/// rarely changes between visits (height and the targets) from the last one.
fn num_signals(
    last: Option<&ChronicVisitInput>,
    existing: Option<&ChronicVisitInput>,
) -> Vec<(&'static str, RwSignal<String>)> {
    const CARRIED: [&str; 7] = [
        "height_cm",
        "target_weight",
        "smoking_target",
        "drinking_target",
        "exercise_times_target",
        "exercise_minutes_target",
        "staple_target",
    ];
    let value = |f: &str| -> String {
        match (existing, last) {
            (Some(e), _) => num_value(e, f),
            (None, Some(l)) if CARRIED.contains(&f) => num_value(l, f),
            _ => None,
        }
        .unwrap_or_default()
    };
    NUMERIC.iter().map(|f| (*f, RwSignal::new(value(f)))).collect()
}

#[component]
fn ChronicForm(
    disease: Disease,
    resident_id: Uuid,
    ctx: ChronicFormData,
    existing: Option<ChronicVisitInput>,
    unsynced: bool,
) -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let navigate = use_navigate();
    let rules = ChronicRules::default();
    let rctx = ctx.rules_context();
    let last = ctx.last_visit.clone();
    let nums = StoredValue::new(num_signals(last.as_ref(), existing.as_ref()));
    let e = existing.clone();
    let num =
        move |f: &str| nums.with_value(|n| n.iter().find(|(k, _)| *k == f).map(|(_, s)| *s).expect("known field"));

    let visit_date = RwSignal::new(e.as_ref().map(|e| e.visit_date).unwrap_or_else(today).to_string());
    let outcome = RwSignal::new(Some(e.as_ref().map(|e| e.outcome).unwrap_or(OUTCOME_VISITED)));
    let lost_reason = RwSignal::new(e.as_ref().map(|e| e.lost_reason.clone()).unwrap_or_default());
    let death_date = RwSignal::new(e.as_ref().and_then(|e| e.death_date).map(|d| d.to_string()).unwrap_or_default());
    let death_cause = RwSignal::new(e.as_ref().map(|e| e.death_cause.clone()).unwrap_or_default());
    let mode = RwSignal::new(e.as_ref().map(|e| e.mode).unwrap_or(Some(2)));
    let symptoms = RwSignal::new(e.as_ref().map(|e| e.symptoms.clone()).unwrap_or_default());
    let symptoms_other = RwSignal::new(e.as_ref().map(|e| e.symptoms_other.clone()).unwrap_or_default());
    let urgent_signs = RwSignal::new(e.as_ref().map(|e| e.urgent_signs.clone()).unwrap_or_default());
    let other_signs = RwSignal::new(e.as_ref().map(|e| e.other_signs.clone()).unwrap_or_default());
    let salt = RwSignal::new(e.as_ref().and_then(|e| e.salt));
    let dorsalis_pedis = RwSignal::new(e.as_ref().map(|e| e.dorsalis_pedis).unwrap_or(Some(1)));
    let dorsalis_side = RwSignal::new(e.as_ref().and_then(|e| e.dorsalis_side));
    let hypoglycemia = RwSignal::new(e.as_ref().map(|e| e.hypoglycemia).unwrap_or(Some(1)));
    let hba1c_date = RwSignal::new(e.as_ref().and_then(|e| e.hba1c_date).map(|d| d.to_string()).unwrap_or_default());
    let insulin = RwSignal::new(e.as_ref().or(last.as_ref()).map(|l| l.insulin.clone()).unwrap_or_default());
    let salt_target = RwSignal::new(e.as_ref().or(last.as_ref()).and_then(|l| l.salt_target));
    let psych = RwSignal::new(e.as_ref().map(|e| e.psych).unwrap_or(Some(1)));
    let compliance = RwSignal::new(e.as_ref().map(|e| e.compliance).unwrap_or(Some(1)));
    let aux_exam = RwSignal::new(e.as_ref().map(|e| e.aux_exam.clone()).unwrap_or_default());
    let adherence = RwSignal::new(e.as_ref().and_then(|e| e.adherence));
    let adr = RwSignal::new(e.as_ref().map(|e| e.adr).unwrap_or(Some(1)));
    let adr_text = RwSignal::new(e.as_ref().map(|e| e.adr_text.clone()).unwrap_or_default());
    let classification = RwSignal::new(e.as_ref().and_then(|e| e.classification));
    let meds = RwSignal::new(e.as_ref().or(last.as_ref()).map(|l| l.meds.clone()).unwrap_or_default());
    let med_adjust = RwSignal::new(e.as_ref().map(|e| e.med_adjust.clone()).unwrap_or_default());
    let referral = e.as_ref().and_then(|e| e.referral.clone()).unwrap_or_default();
    let referral_reason = RwSignal::new(referral.reason);
    let referral_inst = RwSignal::new(referral.institution);
    let referral_contact = RwSignal::new(referral.contact);
    let next_mgmt = RwSignal::new(e.as_ref().and_then(|e| e.next_mgmt));
    let next_visit_date =
        RwSignal::new(e.as_ref().and_then(|e| e.next_visit_date).map(|d| d.to_string()).unwrap_or_default());
    // A correction keeps the doctor's classification and next step until they change them.
    let class_touched = RwSignal::new(e.is_some());
    let next_touched = RwSignal::new(e.is_some());
    let confirm_urgent = RwSignal::new(false);
    let signature = RwSignal::new(e.as_ref().and_then(|e| e.signature.clone()));
    let busy = RwSignal::new(false);
    // Correcting a revision that never reached the server rewrites that revision; a synced one is superseded.
    let (revision_id, visit_id, supersedes) = match &existing {
        Some(e) if unsynced => (e.id, e.visit_id, e.supersedes),
        Some(e) => (new_id(), e.visit_id, Some(e.id)),
        None => {
            let id = new_id();
            (id, id, None)
        }
    };
    let device = on_device(&expect_context::<crate::auth::SessionUser>());

    // Builds the wire input; a number that does not parse is reported against its field.
    let build = move || -> Result<ChronicVisitInput, AppError> {
        let mut bad = Vec::new();
        let mut int = |f: &'static str| -> Option<i32> {
            parse_opt::<i32>(&num(f).get()).unwrap_or_else(|| {
                bad.push(FieldError::new(f, "请输入整数", "Enter a whole number"));
                None
            })
        };
        let (sbp, dbp, heart_rate) = (int("sbp"), int("dbp"), int("heart_rate"));
        let (smoking, smoking_target) = (int("smoking"), int("smoking_target"));
        let (staple, staple_target) = (int("staple"), int("staple_target"));
        let (et, em, ett, emt) = (
            int("exercise_times"),
            int("exercise_minutes"),
            int("exercise_times_target"),
            int("exercise_minutes_target"),
        );
        let mut float = |f: &'static str| -> Option<f64> {
            parse_opt::<f64>(&num(f).get()).unwrap_or_else(|| {
                bad.push(FieldError::new(f, "请输入数字", "Enter a number"));
                None
            })
        };
        let (height_cm, weight, target_weight) = (float("height_cm"), float("weight"), float("target_weight"));
        let (drinking, drinking_target, fbg) = (float("drinking"), float("drinking_target"), float("fbg"));
        let hba1c = float("hba1c");
        let date = |s: RwSignal<String>| s.get().parse::<chrono::NaiveDate>().ok();
        let Some(vd) = date(visit_date) else {
            bad.push(FieldError::new("visit_date", "请填写随访日期", "Enter the visit date"));
            return Err(AppError::validation(bad));
        };
        if !bad.is_empty() {
            return Err(AppError::validation(bad));
        }
        let has_referral = !(referral_reason.get().trim().is_empty() && referral_inst.get().trim().is_empty());
        let dm = disease == Disease::Diabetes;
        Ok(ChronicVisitInput {
            disease,
            id: revision_id,
            visit_id,
            supersedes,
            resident_id,
            visit_date: vd,
            outcome: outcome.get().unwrap_or(0),
            lost_reason: lost_reason.get(),
            death_date: date(death_date),
            death_cause: death_cause.get(),
            mode: mode.get(),
            symptoms: symptoms.get(),
            symptoms_other: symptoms_other.get(),
            urgent_signs: urgent_signs.get(),
            sbp,
            dbp,
            height_cm,
            weight,
            target_weight,
            heart_rate,
            other_signs: other_signs.get(),
            smoking,
            smoking_target,
            drinking,
            drinking_target,
            exercise_times: et,
            exercise_minutes: em,
            exercise_times_target: ett,
            exercise_minutes_target: emt,
            salt: if dm { None } else { salt.get() },
            salt_target: if dm { None } else { salt_target.get() },
            dorsalis_pedis: if dm { dorsalis_pedis.get() } else { None },
            dorsalis_side: if dm && matches!(dorsalis_pedis.get(), Some(2) | Some(3)) {
                dorsalis_side.get()
            } else {
                None
            },
            staple: if dm { staple } else { None },
            staple_target: if dm { staple_target } else { None },
            hba1c: if dm { hba1c } else { None },
            hba1c_date: if dm { date(hba1c_date) } else { None },
            hypoglycemia: if dm { hypoglycemia.get() } else { None },
            insulin: if dm { insulin.get() } else { Vec::new() },
            psych: psych.get(),
            compliance: compliance.get(),
            fbg,
            aux_exam: aux_exam.get(),
            adherence: adherence.get(),
            adr: adr.get(),
            adr_text: adr_text.get(),
            classification: classification.get(),
            meds: meds.get(),
            med_adjust: med_adjust.get(),
            referral: has_referral.then(|| Referral {
                reason: referral_reason.get(),
                institution: referral_inst.get(),
                contact: referral_contact.get(),
                result: None,
            }),
            next_mgmt: next_mgmt.get(),
            next_visit_date: date(next_visit_date),
            device_id: device_id(),
            signature: signature.get(),
        })
    };
    let draft = Memo::new(move |_| build().ok());
    let rules_s = StoredValue::new(rules);
    let urgent = Memo::new(move |_| {
        draft
            .get()
            .map(|d| {
                rules_s.with_value(|r| {
                    urgent_reasons(&d, r).iter().map(|u| (u.text(true), u.text(false))).collect::<Vec<_>>()
                })
            })
            .unwrap_or_default()
    });
    let warns = Memo::new(move |_| {
        draft
            .get()
            .map(|d| {
                rules_s.with_value(|r| warnings(&d, &rctx, r).into_iter().map(|w| (w.zh, w.en)).collect::<Vec<_>>())
            })
            .unwrap_or_default()
    });
    let bmi_text = move || {
        let w = num("weight").get().trim().parse::<f64>().ok()?;
        let h = num("height_cm").get().trim().parse::<f64>().ok()?;
        bmi(w, h).map(|b| format!("BMI {b:.1} kg/m²"))
    };

    // Defaults from the rules, until the doctor overrides them.
    Effect::new(move |_| {
        let Some(d) = draft.get() else { return };
        rules_s.with_value(|r| {
            if !class_touched.get_untracked() {
                if let Some(c) = suggested_classification(&d, &rctx, r) {
                    classification.set(Some(c));
                }
            }
            if !next_touched.get_untracked() && d.classification.is_some() {
                let step = next_step(&d, &rctx, r);
                next_mgmt.set(Some(step));
                next_visit_date.set(default_next_visit(d.visit_date, step, r).to_string());
            }
        });
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let input = match build() {
            Ok(i) => i,
            Err(e) => return errors.set(Some(e)),
        };
        if let Err(e) = rules_s.with_value(|r| validate(&input, &rctx, r, today())) {
            return errors.set(Some(e));
        }
        if rules_s.with_value(|r| !urgent_reasons(&input, r).is_empty()) && !confirm_urgent.get_untracked() {
            confirm_urgent.set(true);
            errors.set(None);
            return;
        }
        busy.set(true);
        let navigate = navigate.clone();
        if device {
            let saving = crate::local::api::save_stored(EntryBody::ChronicVisit(Box::new(input)));
            spawn_local(async move {
                match saving.await {
                    Ok(_) => navigate(&format!("/residents/{resident_id}"), Default::default()),
                    Err(e) => errors.set(Some(e)),
                }
                busy.set(false);
            });
            return;
        }
        spawn_local(async move {
            match record_htn_visit(input).await {
                Ok(_) => navigate(&format!("/residents/{resident_id}"), Default::default()),
                Err(e) => errors.set(Some(e)),
            }
            busy.set(false);
        });
    };

    let visited = move || outcome.get() == Some(OUTCOME_VISITED);
    let dm = disease == Disease::Diabetes;
    let correcting = existing.is_some();
    view! {
        <section class="card">
            <h1>{move || match (disease, correcting, zh.get()) {
                (Disease::Hypertension, false, true) => "高血压患者随访",
                (Disease::Hypertension, false, false) => "Hypertension follow-up",
                (Disease::Hypertension, true, true) => "更正高血压随访",
                (Disease::Hypertension, true, false) => "Correct a hypertension follow-up",
                (Disease::Diabetes, false, true) => "2型糖尿病患者随访",
                (Disease::Diabetes, false, false) => "Type-2 diabetes follow-up",
                (Disease::Diabetes, true, true) => "更正糖尿病随访",
                (Disease::Diabetes, true, false) => "Correct a diabetes follow-up",
            }}</h1>
            <p class="muted">{format!("{} · {}", ctx.resident_name, ctx.age)}{t!(zh, "岁", " y")}</p>
            <form on:submit=submit novalidate>
                <FormError/>
                <Show when=move || !urgent.get().is_empty()>
                    <div class="urgent-banner" role="alert" data-testid="urgent-banner">
                        <strong>{t!(zh, "⚠ 需紧急转诊", "⚠ Urgent referral needed")}</strong>
                        <ul>{move || urgent.get().into_iter().map(|(z, e)| view! { <li>{move || if zh.get() { z.clone() } else { e.clone() }}</li> }).collect_view()}</ul>
                        <p>{t!(zh, "请先进行初步处理，再紧急转诊，2周内随访转诊情况。", "Give first aid, refer urgently, and follow up within 2 weeks.")}</p>
                    </div>
                </Show>
                <div class="grid2">
                    <TextField name="visit_date" zh="随访日期" en="Visit date" value=visit_date kind="date"/>
                    <Field name="outcome" zh="随访情况" en="Outcome"><CodeSelect name="outcome" table=codes::VISIT_OUTCOME value=outcome/></Field>
                </div>
                <Show when=move || outcome.get() == Some(OUTCOME_LOST)>
                    <TextField name="lost_reason" zh="失访原因" en="Reason lost" value=lost_reason/>
                </Show>
                <Show when=move || outcome.get() == Some(OUTCOME_DIED)>
                    <div class="grid2">
                        <TextField name="death_date" zh="死亡日期" en="Date of death" value=death_date kind="date"/>
                        <TextField name="death_cause" zh="死亡原因" en="Cause of death" value=death_cause/>
                    </div>
                </Show>
                <Show when=visited>
                    <Field name="mode" zh="随访方式" en="Mode"><CodeSelect name="mode" table=codes::VISIT_MODE value=mode/></Field>
                    <Field name="symptoms" zh="症状" en="Symptoms"><CodeChecks name="symptoms" table=disease.symptoms() values=symptoms/></Field>
                    <TextField name="symptoms_other" zh="其他症状" en="Other symptoms" value=symptoms_other/>
                    <Field name="urgent_signs" zh="危急情况（有则紧急转诊）" en="Danger signs (refer urgently)"><CodeChecks name="urgent_signs" table=disease.urgent_signs() values=urgent_signs/></Field>
                    <h2>{t!(zh, "体征", "Signs")}</h2>
                    <div class="grid2">
                        <TextField name="sbp" zh="收缩压 mmHg" en="Systolic mmHg" value=num("sbp") kind="number" inputmode="numeric"/>
                        <TextField name="dbp" zh="舒张压 mmHg" en="Diastolic mmHg" value=num("dbp") kind="number" inputmode="numeric"/>
                        <TextField name="height_cm" zh="身高 cm" en="Height cm" value=num("height_cm") kind="number" step="0.1" inputmode="decimal"/>
                        <TextField name="weight" zh="体重 kg" en="Weight kg" value=num("weight") kind="number" step="0.1" inputmode="decimal"/>
                        <TextField name="target_weight" zh="目标体重 kg" en="Target weight kg" value=num("target_weight") kind="number" step="0.1" inputmode="decimal"/>
                        {(!dm).then(|| view! {
                            <TextField name="heart_rate" zh="心率 次/分" en="Heart rate /min" value=num("heart_rate") kind="number" inputmode="numeric"/>
                        })}
                    </div>
                    {dm.then(|| view! {
                        <div class="grid2">
                            <Field name="dorsalis_pedis" zh="足背动脉搏动" en="Dorsalis pedis pulse"><CodeSelect name="dorsalis_pedis" table=codes::DORSALIS_PEDIS value=dorsalis_pedis/></Field>
                            <Show when=move || matches!(dorsalis_pedis.get(), Some(2) | Some(3))>
                                <Field name="dorsalis_side" zh="部位" en="Side"><CodeSelect name="dorsalis_side" table=codes::DORSALIS_SIDE value=dorsalis_side/></Field>
                            </Show>
                        </div>
                    })}
                    <p class="hint" data-testid="bmi">{bmi_text}</p>
                    <TextField name="other_signs" zh="其他体征" en="Other signs" value=other_signs/>
                    <h2>{t!(zh, "生活方式指导", "Lifestyle")}</h2>
                    <div class="grid2">
                        <TextField name="smoking" zh="日吸烟量 支" en="Cigarettes/day" value=num("smoking") kind="number" inputmode="numeric"/>
                        <TextField name="smoking_target" zh="目标 支/日" en="Target /day" value=num("smoking_target") kind="number" inputmode="numeric"/>
                        <TextField name="drinking" zh="日饮酒量 两" en="Liquor liang/day" value=num("drinking") kind="number" step="0.1" inputmode="decimal"/>
                        <TextField name="drinking_target" zh="目标 两/日" en="Target /day" value=num("drinking_target") kind="number" step="0.1" inputmode="decimal"/>
                        <TextField name="exercise_times" zh="运动 次/周" en="Exercise /week" value=num("exercise_times") kind="number" inputmode="numeric"/>
                        <TextField name="exercise_minutes" zh="运动 分钟/次" en="Minutes each" value=num("exercise_minutes") kind="number" inputmode="numeric"/>
                        <TextField name="exercise_times_target" zh="目标 次/周" en="Target /week" value=num("exercise_times_target") kind="number" inputmode="numeric"/>
                        <TextField name="exercise_minutes_target" zh="目标 分钟/次" en="Target minutes" value=num("exercise_minutes_target") kind="number" inputmode="numeric"/>
                        {if dm {
                            view! {
                                <TextField name="staple" zh="主食 克/天" en="Staple food g/day" value=num("staple") kind="number" inputmode="numeric"/>
                                <TextField name="staple_target" zh="目标 克/天" en="Target g/day" value=num("staple_target") kind="number" inputmode="numeric"/>
                            }.into_any()
                        } else {
                            view! {
                                <Field name="salt" zh="摄盐情况" en="Salt"><CodeSelect name="salt" table=codes::SALT value=salt/></Field>
                                <Field name="salt_target" zh="摄盐目标" en="Salt target"><CodeSelect name="salt_target" table=codes::SALT value=salt_target/></Field>
                            }.into_any()
                        }}
                        <Field name="psych" zh="心理调整" en="Psychological adjustment"><CodeSelect name="psych" table=codes::GOOD_FAIR_POOR value=psych/></Field>
                        <Field name="compliance" zh="遵医行为" en="Compliance"><CodeSelect name="compliance" table=codes::GOOD_FAIR_POOR value=compliance/></Field>
                    </div>
                    <h2>{t!(zh, "辅助检查与用药", "Tests and medication")}</h2>
                    {if dm {
                        view! {
                            <TextField name="fbg" zh="空腹血糖 mmol/L" en="Fasting glucose mmol/L" value=num("fbg") kind="number" step="0.1" inputmode="decimal"/>
                            <div class="grid2">
                                <TextField name="hba1c" zh="糖化血红蛋白 %" en="HbA1c %" value=num("hba1c") kind="number" step="0.1" inputmode="decimal"/>
                                <TextField name="hba1c_date" zh="检查日期" en="Test date" value=hba1c_date kind="date"/>
                            </div>
                        }.into_any()
                    } else {
                        view! {
                            <TextField name="fbg" zh="空腹血糖 mmol/L（可选）" en="Fasting glucose mmol/L (optional)" value=num("fbg") kind="number" step="0.1" inputmode="decimal"/>
                        }.into_any()
                    }}
                    <TextField name="aux_exam" zh="辅助检查" en="Other tests" value=aux_exam/>
                    <div class="grid2">
                        <Field name="adherence" zh="服药依从性" en="Adherence"><CodeSelect name="adherence" table=codes::ADHERENCE value=adherence/></Field>
                        <Field name="adr" zh="药物不良反应" en="Adverse reaction"><CodeSelect name="adr" table=codes::ADR value=adr/></Field>
                    </div>
                    <Show when=move || adr.get() == Some(2)>
                        <TextField name="adr_text" zh="不良反应（药物及表现）" en="Reaction (drug and signs)" value=adr_text/>
                    </Show>
                    {dm.then(|| view! {
                        <Field name="hypoglycemia" zh="低血糖反应" en="Hypoglycaemia"><CodeSelect name="hypoglycemia" table=codes::HYPOGLYCEMIA value=hypoglycemia/></Field>
                    })}
                    <Field name="meds" zh="用药情况" en="Medication"><MedsEditor name="meds" meds/></Field>
                    {dm.then(|| view! { <Field name="insulin" zh="胰岛素（种类 / 用法和用量）" en="Insulin (type / usage and dose)"><InsulinEditor insulin/></Field> })}
                    <Field name="med_adjust" zh="用药调整意见" en="Medication changes"><MedsEditor name="med_adjust" meds=med_adjust/></Field>
                    <h2>{t!(zh, "分类与下一步", "Classification and next step")}</h2>
                    <Field name="classification" zh="此次随访分类" en="Classification">
                        <select name="classification" on:change=move |ev| { class_touched.set(true); classification.set(event_target_value(&ev).parse().ok()); }>
                            <option value="">{t!(zh, "请选择", "Choose")}</option>
                            {codes::CLASSIFICATION.iter().map(|c| { let code = c.code; view! {
                                <option value=code.to_string() selected=move || classification.get() == Some(code)>{move || if zh.get() { c.zh } else { c.en }}</option>
                            }}).collect_view()}
                        </select>
                    </Field>
                    <Show when=move || !warns.get().is_empty()>
                        <div class="warning" data-testid="warnings">
                            {move || warns.get().into_iter().map(|(z, e)| view! { <p>{move || if zh.get() { z.clone() } else { e.clone() }}</p> }).collect_view()}
                        </div>
                    </Show>
                    <Field name="next_mgmt" zh="下一步管理措施" en="Next step">
                        <select name="next_mgmt" on:change=move |ev| { next_touched.set(true); next_mgmt.set(event_target_value(&ev).parse().ok()); }>
                            <option value="">{t!(zh, "请选择", "Choose")}</option>
                            {codes::NEXT_MGMT.iter().map(|c| { let code = c.code; view! {
                                <option value=code.to_string() selected=move || next_mgmt.get() == Some(code)>{move || if zh.get() { c.zh } else { c.en }}</option>
                            }}).collect_view()}
                        </select>
                    </Field>
                    <Field name="referral" zh="转诊（原因 / 机构及科别 / 联系人）" en="Referral (reason / institution / contact)">
                        <Input name="referral_reason" value=referral_reason placeholder="转诊原因"/>
                        <Input name="referral_institution" value=referral_inst placeholder="机构及科别"/>
                        <Input name="referral_contact" value=referral_contact placeholder="联系人及电话"/>
                    </Field>
                    <Field name="next_visit_date" zh="下次随访日期" en="Next visit">
                        <input type="date" name="next_visit_date" prop:value=move || next_visit_date.get()
                            on:input=move |ev| { next_touched.set(true); next_visit_date.set(event_target_value(&ev)); }/>
                    </Field>
                </Show>
                <Field name="signature" zh="居民签名（两卡制确认）" en="Resident's signature (proof of service)">
                    <crate::record::pages::SignaturePad value=signature/>
                </Field>
                <Show when=move || confirm_urgent.get()>
                    <div class="urgent-banner" role="alertdialog" data-testid="urgent-confirm">
                        {t!(zh, "存在紧急转诊情况。确认已处理并安排紧急转诊后再保存。", "An urgent condition is present. Confirm you have arranged the urgent referral, then save.")}
                    </div>
                </Show>
                <button class="primary" type="submit" data-testid="save-visit" disabled=move || busy.get()>
                    {move || if confirm_urgent.get() { if zh.get() { "确认紧急转诊并保存" } else { "Confirm referral and save" } } else if zh.get() { "保存随访" } else { "Save follow-up" }}
                </button>
            </form>
        </section>
    }
}
