//! The newborn home visit form (新生儿家庭访视记录表). The referral criteria are computed as the doctor types:
//! a temperature, heart or breathing rate past its limit, or a ticked danger sign, shows the immediate-referral
//! warning at once, and the visit cannot be saved with it unless a referral or the reason for none is given.

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
use leptos_router::hooks::use_navigate;

#[component]
pub fn NewbornVisitPage() -> impl IntoView {
    view! { <FormGate form=|r| view! { <NewbornVisitForm resident=r/> }.into_any()/> }
}

/// The form's text inputs, read into the wire type; a number that does not parse is the field's error.
#[derive(Clone, Copy)]
struct Inputs {
    date: RwSignal<String>,
    weeks: RwSignal<String>,
    birth_weight: RwSignal<String>,
    weight: RwSignal<String>,
    temperature: RwSignal<String>,
    heart: RwSignal<String>,
    respiration: RwSignal<String>,
    feeding: RwSignal<Option<Feeding>>,
    complexion: RwSignal<Option<Complexion>>,
    jaundice: RwSignal<BTreeSet<JaundiceSite>>,
    fontanelle: RwSignal<Option<Fontanelle>>,
    danger: RwSignal<BTreeSet<DangerSign>>,
    advised: RwSignal<BTreeSet<AdvisedSign>>,
    referral: RwSignal<bool>,
    referral_reason: RwSignal<String>,
    referral_institution: RwSignal<String>,
    declined: RwSignal<String>,
    guidance: RwSignal<BTreeSet<Guidance>>,
    next_date: RwSignal<String>,
    next_place: RwSignal<String>,
}

fn number<T: std::str::FromStr>(field: &str, s: &str) -> Result<Option<T>, AppError> {
    parse_opt::<T>(s).ok_or_else(|| AppError::field(field, "请输入数字", "Enter a number"))
}

impl Inputs {
    fn new() -> Self {
        let s = || RwSignal::new(String::new());
        Inputs {
            date: RwSignal::new(today().to_string()),
            weeks: s(),
            birth_weight: s(),
            weight: s(),
            temperature: s(),
            heart: s(),
            respiration: s(),
            feeding: RwSignal::new(None),
            complexion: RwSignal::new(None),
            jaundice: RwSignal::new(BTreeSet::new()),
            fontanelle: RwSignal::new(None),
            danger: RwSignal::new(BTreeSet::new()),
            advised: RwSignal::new(BTreeSet::new()),
            referral: RwSignal::new(false),
            referral_reason: s(),
            referral_institution: s(),
            declined: s(),
            guidance: RwSignal::new(BTreeSet::from([Guidance::Feeding])),
            next_date: s(),
            next_place: s(),
        }
    }

    fn read(&self) -> Result<NewbornVisitInput, AppError> {
        let visit_date = self
            .date
            .get()
            .parse::<NaiveDate>()
            .map_err(|_| AppError::field("visit_date", "请填写访视日期", "Enter the visit date"))?;
        Ok(NewbornVisitInput {
            visit_date,
            gestation_weeks: number("gestation_weeks", &self.weeks.get())?,
            birth_weight_kg: number("birth_weight_kg", &self.birth_weight.get())?,
            weight_kg: number("weight_kg", &self.weight.get())?,
            birth_length_cm: None,
            feeding: self.feeding.get(),
            temperature: number("temperature", &self.temperature.get())?,
            heart_rate: number("heart_rate", &self.heart.get())?,
            respiration: number("respiration", &self.respiration.get())?,
            complexion: self.complexion.get(),
            jaundice: self.jaundice.get(),
            fontanelle: self.fontanelle.get(),
            fontanelle_w_cm: None,
            fontanelle_h_cm: None,
            danger_signs: self.danger.get(),
            advised_signs: self.advised.get(),
            referral: self.referral.get(),
            referral_reason: self.referral_reason.get(),
            referral_institution: self.referral_institution.get(),
            referral_declined_reason: self.declined.get(),
            guidance: self.guidance.get(),
            guidance_other: String::new(),
            next_date: self.next_date.get().parse().ok(),
            next_place: self.next_place.get(),
        })
    }

    /// The referral reasons of what is typed so far (a reading that does not parse yet counts as none).
    fn referrals(&self) -> Vec<Referral> {
        let reading = |s: RwSignal<String>| s.get().trim().parse::<f64>().ok();
        let v = NewbornVisitInput {
            temperature: reading(self.temperature),
            heart_rate: reading(self.heart).map(|x| x.round() as i32),
            respiration: reading(self.respiration).map(|x| x.round() as i32),
            jaundice: self.jaundice.get(),
            danger_signs: self.danger.get(),
            advised_signs: self.advised.get(),
            ..crate::newborn::blank(today())
        };
        referral_checks(&v)
    }
}

#[component]
fn NewbornVisitForm(resident: Resident) -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let navigate = use_navigate();
    let f = Inputs::new();
    let (rid, birth, village) = (resident.id, resident.birth_date, StoredValue::new(resident.village_id.clone()));
    let referrals = Memo::new(move |_| f.referrals());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let visit = match f.read() {
            Ok(v) => v,
            Err(e) => return errors.set(Some(e)),
        };
        let date = visit.visit_date;
        let input =
            RecordInput::new(village.get_value(), Some(rid), date, RecordBody::NewbornVisit(Box::new(visit)), None);
        save_and_open(input, Some(birth), &format!("/residents/{rid}"), errors, &navigate)
    };
    let warning = move || {
        let list = referrals.get();
        (!list.is_empty()).then(|| {
            let immediate = list.iter().any(|r| r.urgency == Urgency::Immediate);
            let z = zh.get();
            view! {
                <div class=if immediate { "urgent-banner" } else { "advice-banner" } role="alert" data-testid="newborn-referral">
                    <strong>
                        {if immediate {
                            pick(z, "须立即转诊", "Refer immediately")
                        } else {
                            pick(z, "建议转诊", "Referral advised")
                        }}
                    </strong>
                    <ul>{list.into_iter().map(|r| view! { <li>{r.message(z)}</li> }).collect_view()}</ul>
                </div>
            }
        })
    };
    view! {
        <section class="card">
            <h1>{t!(zh, "新生儿家庭访视", "Newborn home visit")}</h1>
            <p class="muted">{resident.name.clone()} " · " {birth.to_string()}</p>
            <form on:submit=submit novalidate>
                <FormError/>
                <TextField name="visit_date" zh="访视日期" en="Visit date" value=f.date kind="date"/>
                <div class="grid2">
                    <TextField name="gestation_weeks" zh="出生孕周" en="Weeks at birth" value=f.weeks kind="number" inputmode="numeric"/>
                    <TextField name="birth_weight_kg" zh="出生体重 kg" en="Birth weight kg" value=f.birth_weight kind="number" inputmode="decimal" step="0.01"/>
                    <TextField name="weight_kg" zh="目前体重 kg" en="Weight now kg" value=f.weight kind="number" inputmode="decimal" step="0.01"/>
                    <TextField name="temperature" zh="体温 ℃" en="Temperature ℃" value=f.temperature kind="number" inputmode="decimal" step="0.1"/>
                    <TextField name="heart_rate" zh="心率 次/分" en="Heart rate /min" value=f.heart kind="number" inputmode="numeric"/>
                    <TextField name="respiration" zh="呼吸频率 次/分" en="Breathing /min" value=f.respiration kind="number" inputmode="numeric"/>
                </div>
                {warning}
                <Field name="feeding" zh="喂养方式" en="Feeding">
                    <EnumSelect name="feeding" options=&Feeding::ALL label=Feeding::label value=f.feeding/>
                </Field>
                <div class="grid2">
                    <Field name="complexion" zh="面色" en="Complexion">
                        <EnumSelect name="complexion" options=&Complexion::ALL label=Complexion::label value=f.complexion/>
                    </Field>
                    <Field name="fontanelle" zh="前囟" en="Fontanelle">
                        <EnumSelect name="fontanelle" options=&Fontanelle::ALL label=Fontanelle::label value=f.fontanelle/>
                    </Field>
                </div>
                <Field name="jaundice" zh="黄疸部位" en="Jaundice">
                    <EnumChecks name="jaundice" options=&JaundiceSite::ALL label=JaundiceSite::label values=f.jaundice/>
                </Field>
                <details>
                    <summary>{t!(zh, "危险征象与其他异常", "Danger signs and other findings")}</summary>
                    <Field name="danger_signs" zh="危险征象（须立即转诊）" en="Danger signs (refer now)">
                        <EnumChecks name="danger_signs" options=&DangerSign::ALL label=DangerSign::label values=f.danger/>
                    </Field>
                    <Field name="advised_signs" zh="建议转诊的异常" en="Findings to refer">
                        <EnumChecks name="advised_signs" options=&AdvisedSign::ALL label=AdvisedSign::label values=f.advised/>
                    </Field>
                </details>
                <ReferralFields referral=f.referral reason=f.referral_reason institution=f.referral_institution zh="转诊建议"/>
                <Show when=move || !f.referral.get() && referrals.with(|l| l.iter().any(|r| r.urgency == Urgency::Immediate))>
                    <TextField name="referral_declined_reason" zh="未转诊原因（如家长拒绝）" en="Why no referral (e.g. parents refused)" value=f.declined/>
                </Show>
                <Field name="guidance" zh="指导" en="Guidance">
                    <EnumChecks name="guidance" options=&Guidance::ALL label=Guidance::label values=f.guidance/>
                </Field>
                <div class="grid2">
                    <TextField name="next_date" zh="下次随访日期" en="Next visit" value=f.next_date kind="date"/>
                    <TextField name="next_place" zh="下次随访地点" en="Next visit at" value=f.next_place/>
                </div>
                <button class="primary" type="submit" data-testid="save-newborn-visit">{t!(zh, "保存", "Save")}</button>
            </form>
        </section>
    }
}
