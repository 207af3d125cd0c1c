//! The child health check form (0～6岁儿童健康检查记录表) with the growth assessment as the doctor types, and the
//! growth chart on the child's page for the doctor and the parent.

use super::standard::{growth, weight_curves};
use super::*;
use crate::components::fields::{
    parse_opt, provide_form_errors, EnumChecks, EnumSelect, Field, FormError, ReferralFields, TextField,
};
use crate::device::today;
use crate::i18n::{pick, use_zh};
use crate::record::pages::{save_and_open, FormGate};
use crate::record::{RecordBody, RecordInput};
use crate::resident::Resident;
use crate::t;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn ChildCheckPage() -> impl IntoView {
    view! { <FormGate form=|r| view! { <ChildCheckForm resident=r/> }.into_any()/> }
}

fn point_label(p: CheckPoint, zh: bool) -> &'static str {
    p.label(zh)
}

fn hearing_label(h: Hearing, zh: bool) -> &'static str {
    h.label(zh)
}

/// "体重 中 · 身长 中 · 正常" for what is typed so far.
fn growth_line(g: &standard::Growth, zh: bool) -> String {
    let mut parts = Vec::new();
    if let Some(x) = g.weight {
        parts.push(format!("{} {}", pick(zh, "体重", "Weight"), x.label(zh)));
    }
    if let Some(x) = g.height {
        parts.push(format!("{} {}", pick(zh, "身长(高)", "Length/height"), x.label(zh)));
    }
    if let Some(x) = g.weight_for_height {
        parts.push(format!("{} {}", pick(zh, "体重/身长(高)", "Weight for length/height"), x.label(zh)));
    }
    let found: Vec<&str> = g.assessment.iter().map(|a| a.label(zh)).collect();
    if !found.is_empty() {
        parts.push(found.join("、"));
    }
    parts.join(" · ")
}

#[component]
fn ChildCheckForm(resident: Resident) -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let navigate = use_navigate();
    let (rid, birth, sex, village) =
        (resident.id, resident.birth_date, resident.sex, StoredValue::new(resident.village_id.clone()));
    let asked = use_query_map().with_untracked(|q| q.get("point"));
    let point = RwSignal::new(
        asked
            .and_then(|code| CheckPoint::ALL.into_iter().find(|p| p.rule_code().eq_ignore_ascii_case(&code)))
            .or_else(|| point_for(birth, today())),
    );
    let s = || RwSignal::new(String::new());
    let date = RwSignal::new(today().to_string());
    let (weight, height, head, hb, vision, reason, institution, next) = (s(), s(), s(), s(), s(), s(), s(), s());
    let hearing = RwSignal::new(None::<Hearing>);
    let warning = RwSignal::new(false);
    let late = RwSignal::new(false);
    let referral = RwSignal::new(false);
    let guidance = RwSignal::new(std::collections::BTreeSet::from([ChildGuidance::Growth]));
    let extras = move || point.get().map(|p| p.extras()).unwrap_or(Extras { hb: false, hearing: false, vision: false });
    let band = move || point.get().map(|p| p.band()).unwrap_or(FormBand::Infant);
    let assessed = Memo::new(move |_| {
        let on = date.get().parse::<NaiveDate>().unwrap_or(today());
        let num = |s: RwSignal<String>| s.get().trim().parse::<f64>().ok();
        growth(sex, birth, on, num(weight), num(height))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let read = || -> Result<ChildCheckInput, AppError> {
            let num = |f: &str, v: String| {
                parse_opt::<f64>(&v).ok_or_else(|| AppError::field(f, "请输入数字", "Enter a number"))
            };
            let e = extras();
            Ok(ChildCheckInput {
                check_date: date
                    .get()
                    .parse()
                    .map_err(|_| AppError::field("check_date", "请填写日期", "Enter the date"))?,
                point: point.get().ok_or_else(|| AppError::field("point", "请选择检查月龄", "Choose the check"))?,
                late: late.get(),
                weight_kg: num("weight_kg", weight.get())?,
                height_cm: num("height_cm", height.get())?,
                head_cm: if band() == FormBand::Infant { num("head_cm", head.get())? } else { None },
                hb: if e.hb { num("hb", hb.get())? } else { None },
                hearing: if e.hearing { hearing.get() } else { None },
                vision: if e.vision { num("vision", vision.get())? } else { None },
                warning_signs_positive: warning.get(),
                illness: Illness::default(),
                referral: referral.get(),
                referral_reason: reason.get(),
                referral_institution: institution.get(),
                guidance: guidance.get().into_iter().filter(|g| ChildGuidance::options(band()).contains(g)).collect(),
                guidance_other: String::new(),
                next_date: next.get().parse().ok(),
            })
        };
        let check = match read() {
            Ok(c) => c,
            Err(e) => return errors.set(Some(e)),
        };
        let day = check.check_date;
        let input =
            RecordInput::new(village.get_value(), Some(rid), day, RecordBody::ChildCheck(Box::new(check)), None);
        save_and_open(input, Some(birth), &format!("/residents/{rid}"), errors, &navigate)
    };
    view! {
        <section class="card">
            <h1>{t!(zh, "儿童健康检查", "Child health check")}</h1>
            <p class="muted">{resident.name.clone()} " · " {birth.to_string()}</p>
            <form on:submit=submit novalidate>
                <FormError/>
                <div class="grid2">
                    <TextField name="check_date" zh="检查日期" en="Date" value=date kind="date"/>
                    <Field name="point" zh="检查月龄" en="Check">
                        <EnumSelect name="point" options=&CheckPoint::ALL label=point_label value=point/>
                    </Field>
                    <TextField name="weight_kg" zh="体重 kg" en="Weight kg" value=weight kind="number" inputmode="decimal" step="0.01"/>
                    <TextField name="height_cm" zh="身长(高) cm" en="Length/height cm" value=height kind="number" inputmode="decimal" step="0.1"/>
                </div>
                <p class="hint" data-testid="growth-assessment">{move || growth_line(&assessed.get(), zh.get())}</p>
                <Show when=move || band() == FormBand::Infant>
                    <TextField name="head_cm" zh="头围 cm" en="Head cm" value=head kind="number" inputmode="decimal" step="0.1"/>
                </Show>
                <Show when=move || extras().hb>
                    <TextField name="hb" zh="血红蛋白 g/L" en="Haemoglobin g/L" value=hb kind="number" inputmode="numeric"/>
                </Show>
                <Show when=move || extras().hearing>
                    <Field name="hearing" zh="听力" en="Hearing">
                        <EnumSelect name="hearing" options=&Hearing::ALL label=hearing_label value=hearing/>
                    </Field>
                </Show>
                <Show when=move || extras().vision>
                    <TextField name="vision" zh="视力" en="Vision" value=vision kind="number" inputmode="decimal" step="0.1"/>
                </Show>
                <label class="check">
                    <input type="checkbox" name="warning_signs_positive" prop:checked=move || warning.get() on:change=move |ev| warning.set(event_target_checked(&ev))/>
                    <span>{t!(zh, "发育评估：预警征象阳性", "Developmental warning sign present")}</span>
                </label>
                <label class="check">
                    <input type="checkbox" name="late" prop:checked=move || late.get() on:change=move |ev| late.set(event_target_checked(&ev))/>
                    <span>{t!(zh, "逾期补查", "Late check")}</span>
                </label>
                <Field name="guidance" zh="指导" en="Guidance">
                    {move || {
                        let options: &'static [ChildGuidance] = ChildGuidance::options(band());
                        view! { <EnumChecks name="guidance" options=options label=ChildGuidance::label values=guidance/> }
                    }}
                </Field>
                <ReferralFields referral=referral reason=reason institution=institution zh="转诊建议"/>
                <TextField name="next_date" zh="下次随访日期" en="Next check" value=next kind="date"/>
                <button class="primary" type="submit" data-testid="save-child-check">{t!(zh, "保存", "Save")}</button>
            </form>
        </section>
    }
}

/// The child's weight over the standard's −2SD, median and +2SD curves (WS/T 423—2022), from the newborn
/// visits and checks recorded: the doctor's and the parent's view.
#[component]
pub fn GrowthChart(sex: Sex, birth: NaiveDate, records: Vec<RecordInput>) -> impl IntoView {
    let zh = use_zh();
    let mut points: Vec<(f64, f64)> = records
        .iter()
        .filter_map(|r| match &r.body {
            RecordBody::ChildCheck(c) => c.weight_kg.map(|w| (c.check_date, w)),
            RecordBody::NewbornVisit(v) => v.weight_kg.map(|w| (v.visit_date, w)),
            _ => None,
        })
        .map(|(d, w)| (f64::from(age_months(birth, d)) + ((d - birth).num_days() % 30) as f64 / 30.0, w))
        .collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    if points.is_empty() {
        return ().into_any();
    }
    let last = points.iter().map(|p| p.0).fold(0.0, f64::max);
    let until = ((last / 6.0).ceil() * 6.0).clamp(6.0, 81.0) as u32;
    let curves = weight_curves(sex, until);
    let max = curves.iter().map(|c| c.3).chain(points.iter().map(|p| p.1)).fold(0.0, f64::max).ceil() + 1.0;
    let (w, h, left, bottom, top) = (320.0, 190.0, 30.0, 20.0, 8.0);
    let x = move |m: f64| left + 4.0 + (w - left - 12.0) * m / f64::from(until);
    let y = move |v: f64| top + (h - top - bottom) * (1.0 - v / max);
    let line = |f: fn(&(f64, f64, f64, f64)) -> f64| {
        curves.iter().map(|c| format!("{:.1},{:.1}", x(c.0), y(f(c)))).collect::<Vec<_>>().join(" ")
    };
    let (low, mid, high) = (line(|c| c.1), line(|c| c.2), line(|c| c.3));
    let child: String = points.iter().map(|(m, v)| format!("{:.1},{:.1}", x(*m), y(*v))).collect::<Vec<_>>().join(" ");
    let title = move || {
        pick(
            zh.get(),
            "体重生长曲线（WS/T 423—2022，−2SD / 中位数 / +2SD）",
            "Weight growth curve (WS/T 423—2022, −2SD / median / +2SD)",
        )
    };
    view! {
        <figure class="card growth">
            <svg class="chart trend" viewBox=format!("0 0 {w} {h}") role="img" aria-label=title data-testid="growth-chart">
                <polyline points=low class="band"/>
                <polyline points=mid class="target"/>
                <polyline points=high class="band"/>
                <polyline points=child class="series s0"/>
                {points.iter().map(|(m, v)| view! {
                    <circle cx=x(*m) cy=y(*v) r="3" class="point s0"><title>{format!("{m:.1} · {v} kg")}</title></circle>
                }).collect_view()}
                <text x=left y=h - 5.0 class="label">"0"</text>
                <text x=w - 4.0 y=h - 5.0 text-anchor="end" class="label">{move || if zh.get() { format!("{until}月龄") } else { format!("{until} months") }}</text>
                <text x=left - 3.0 y=y(max - 1.0) + 3.0 text-anchor="end" class="label">{format!("{} kg", max - 1.0)}</text>
            </svg>
            <figcaption class="hint">{title}</figcaption>
        </figure>
    }
    .into_any()
}
