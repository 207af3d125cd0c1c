//! The pregnancy registration form (早孕建册 with the first prenatal check), on the woman's record: the
//! gestational age and due date from the LMP as the doctor types, the risk screen's findings (the township
//! assigns the colour), and from then on the prenatal visits to urge appear on Today.

use super::postpartum_page::{ExamField, ExamSignals};
use super::*;
use crate::components::fields::{
    parse_opt, provide_form_errors, EnumChecks, EnumSelect, Field, FormError, ReferralFields, TextField,
};
use crate::device::today;
use crate::error::AppError;
use crate::i18n::{pick, use_zh};
use crate::record::pages::{save_and_open, FormGate};
use crate::record::{RecordBody, RecordInput};
use crate::resident::Resident;
use crate::t;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn PregnancyPage() -> impl IntoView {
    view! { <FormGate form=|r| view! { <PregnancyForm resident=r/> }.into_any()/> }
}

fn rh_label(r: Rh, zh: bool) -> &'static str {
    r.label(zh)
}

#[component]
fn PregnancyForm(resident: Resident) -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let navigate = use_navigate();
    let (rid, birth, village) = (resident.id, resident.birth_date, StoredValue::new(resident.village_id.clone()));
    let s = || RwSignal::new(String::new());
    let date = RwSignal::new(today().to_string());
    let (lmp, gravidity, vaginal, caesarean, height, weight, sbp, dbp, hb) =
        (s(), RwSignal::new("1".to_string()), s(), s(), s(), s(), s(), s(), s());
    let (husband, husband_age, husband_phone, reason, institution, next) = (s(), s(), s(), s(), s(), s());
    let rh = RwSignal::new(None::<Rh>);
    let past = RwSignal::new(std::collections::BTreeSet::<PastHistory>::new());
    let guidance =
        RwSignal::new(std::collections::BTreeSet::from([FirstVisitGuidance::Lifestyle, FirstVisitGuidance::Nutrition]));
    let overall = ExamSignals::new();
    let referral = RwSignal::new(false);
    let read = move || -> Result<RegistrationInput, AppError> {
        let num =
            |f: &str, v: String| parse_opt::<f64>(&v).ok_or_else(|| AppError::field(f, "请输入数字", "Enter a number"));
        let int =
            |f: &str, v: String| parse_opt::<i32>(&v).ok_or_else(|| AppError::field(f, "请输入数字", "Enter a number"));
        let count =
            |f: &str, v: String| parse_opt::<u8>(&v).ok_or_else(|| AppError::field(f, "请输入数字", "Enter a number"));
        Ok(RegistrationInput {
            registration_date: date
                .get()
                .parse()
                .map_err(|_| AppError::field("registration_date", "请填写日期", "Enter the date"))?,
            lmp: lmp.get().parse().ok(),
            ga_entered: None,
            husband_name: husband.get(),
            husband_age: count("husband_age", husband_age.get())?,
            husband_phone: husband_phone.get(),
            gravidity: count("gravidity", gravidity.get())?.unwrap_or(0),
            vaginal_births: count("vaginal_births", vaginal.get())?.unwrap_or(0),
            caesarean_births: count("caesarean_births", caesarean.get())?.unwrap_or(0),
            last_delivery_date: None,
            infertility: false,
            past_history: past.get(),
            past_history_other: String::new(),
            family_history: Default::default(),
            family_history_other: String::new(),
            personal_history: Default::default(),
            personal_history_other: String::new(),
            gyn_surgery: None,
            obstetric: ObstetricHistory::default(),
            height_cm: num("height_cm", height.get())?,
            weight_kg: num("weight_kg", weight.get())?,
            sbp: int("sbp", sbp.get())?,
            dbp: int("dbp", dbp.get())?,
            hb: num("hb", hb.get())?,
            rh: rh.get(),
            overall: overall.get(),
            guidance: guidance.get(),
            guidance_other: String::new(),
            referral: referral.get(),
            referral_reason: reason.get(),
            referral_institution: institution.get(),
            next_date: next.get().parse().ok(),
        })
    };
    // What the LMP and the measurements say so far: 孕周, 预产期, the risk screen.
    let summary = move || {
        let z = zh.get();
        let Ok(reg) = read() else { return String::new() };
        let mut parts = Vec::new();
        if let Some((w, d)) = reg.ga_at_registration() {
            parts.push(if z { format!("孕{w}+{d}周") } else { format!("GA {w}+{d}") });
            parts.push(if reg.is_early() {
                pick(z, "早孕建册", "registered early").to_string()
            } else {
                pick(z, "超过13周", "after 13 weeks").to_string()
            });
        }
        if let Some(e) = reg.edd() {
            parts.push(format!("{} {e}", pick(z, "预产期", "due")));
        }
        let flags: Vec<String> = risk_flags(&reg, birth).into_iter().map(|f| f.message(z)).collect();
        if !flags.is_empty() {
            parts.push(format!("{}：{}", pick(z, "风险筛查阳性", "Risk screen"), flags.join("；")));
        }
        parts.join(" · ")
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let reg = match read() {
            Ok(r) => r,
            Err(e) => return errors.set(Some(e)),
        };
        let day = reg.registration_date;
        let input = RecordInput::new(village.get_value(), Some(rid), day, RecordBody::Pregnancy(Box::new(reg)), None);
        save_and_open(input, Some(birth), &format!("/residents/{rid}"), errors, &navigate)
    };
    view! {
        <section class="card">
            <h1>{t!(zh, "早孕建册", "Pregnancy registration")}</h1>
            <p class="muted">{resident.name.clone()}</p>
            <form on:submit=submit novalidate>
                <FormError/>
                <div class="grid2">
                    <TextField name="registration_date" zh="建册日期" en="Date" value=date kind="date"/>
                    <TextField name="lmp" zh="末次月经" en="Last menstrual period" value=lmp kind="date"/>
                </div>
                <p class="hint" data-testid="pregnancy-summary">{summary}</p>
                <div class="grid2">
                    <TextField name="gravidity" zh="孕次" en="Pregnancies" value=gravidity kind="number" inputmode="numeric"/>
                    <TextField name="vaginal_births" zh="阴道分娩次数" en="Vaginal births" value=vaginal kind="number" inputmode="numeric"/>
                    <TextField name="caesarean_births" zh="剖宫产次数" en="Caesareans" value=caesarean kind="number" inputmode="numeric"/>
                    <Field name="rh" zh="Rh血型" en="Rh"><EnumSelect name="rh" options=&Rh::ALL label=rh_label value=rh/></Field>
                    <TextField name="height_cm" zh="身高 cm" en="Height cm" value=height kind="number" inputmode="decimal"/>
                    <TextField name="weight_kg" zh="体重 kg" en="Weight kg" value=weight kind="number" inputmode="decimal" step="0.1"/>
                    <TextField name="sbp" zh="收缩压 mmHg" en="Systolic mmHg" value=sbp kind="number" inputmode="numeric"/>
                    <TextField name="dbp" zh="舒张压 mmHg" en="Diastolic mmHg" value=dbp kind="number" inputmode="numeric"/>
                    <TextField name="hb" zh="血红蛋白 g/L" en="Haemoglobin g/L" value=hb kind="number" inputmode="numeric"/>
                </div>
                <Field name="past_history" zh="既往史" en="Past history">
                    <EnumChecks name="past_history" options=&PastHistory::ALL label=PastHistory::label values=past/>
                </Field>
                <div class="grid2">
                    <TextField name="husband_name" zh="丈夫姓名" en="Husband" value=husband/>
                    <TextField name="husband_age" zh="丈夫年龄" en="Husband's age" value=husband_age kind="number" inputmode="numeric"/>
                </div>
                <TextField name="husband_phone" zh="丈夫电话" en="Husband's phone" value=husband_phone kind="tel" inputmode="tel"/>
                <ExamField name="overall" zh="总体评估" en="Overall" value=overall.abnormal text=overall.text/>
                <Field name="guidance" zh="保健指导" en="Guidance">
                    <EnumChecks name="guidance" options=&FirstVisitGuidance::ALL label=FirstVisitGuidance::label values=guidance/>
                </Field>
                <ReferralFields referral=referral reason=reason institution=institution/>
                <TextField name="next_date" zh="下次随访日期" en="Next visit" value=next kind="date"/>
                <button class="primary" type="submit" data-testid="save-pregnancy">{t!(zh, "保存", "Save")}</button>
            </form>
        </section>
    }
}
