//! The elderly annual check form (老年人健康管理): the examination, the self-care assessment with its score and
//! band computed as each item is chosen, the screens, guidance and the next appointment.

use super::*;
use crate::components::fields::{parse_opt, provide_form_errors, CodeSelect, Field, FormError, TextField};
use crate::device::today;
use crate::i18n::use_zh;
use crate::record::pages::{save_and_open, FormGate, SignaturePad};
use crate::record::{RecordBody, RecordInput};
use crate::resident::Resident;
use crate::t;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn ElderlyCheckPage() -> impl IntoView {
    view! { <FormGate form=|r| view! { <ElderlyForm resident=r/> }.into_any()/> }
}

const NUMBERS: [(&str, &str, &str, &str); 8] = [
    ("temperature", "体温 ℃", "Temperature ℃", "decimal"),
    ("pulse", "脉率 次/分", "Pulse /min", "numeric"),
    ("respiration", "呼吸 次/分", "Respiration /min", "numeric"),
    ("sbp", "收缩压 mmHg", "Systolic mmHg", "numeric"),
    ("dbp", "舒张压 mmHg", "Diastolic mmHg", "numeric"),
    ("height_cm", "身高 cm", "Height cm", "decimal"),
    ("weight", "体重 kg", "Weight kg", "decimal"),
    ("waist_cm", "腰围 cm", "Waist cm", "decimal"),
];

fn level_of(code: &str) -> Option<Level> {
    Level::ALL.into_iter().find(|l| format!("{l:?}") == code)
}

#[component]
fn ElderlyForm(resident: Resident) -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let navigate = use_navigate();
    let date = RwSignal::new(today().to_string());
    let nums: Vec<(&'static str, RwSignal<String>)> =
        NUMBERS.iter().map(|(k, ..)| (*k, RwSignal::new(String::new()))).collect();
    let nums = StoredValue::new(nums);
    let num =
        move |k: &str| nums.with_value(|n| n.iter().find(|(x, _)| *x == k).map(|(_, s)| *s).expect("known field"));
    let levels: [RwSignal<Option<Level>>; 5] = std::array::from_fn(|_| RwSignal::new(Some(Level::Independent)));
    let self_rated = RwSignal::new(Some(2u8));
    let cognition = RwSignal::new(Some(Screen::Negative));
    let mood = RwSignal::new(Some(Screen::Negative));
    let guidance = RwSignal::new(String::new());
    let next_date = RwSignal::new(String::new());
    let signature = RwSignal::new(None::<String>);
    let (rid, birth, village) = (resident.id, resident.birth_date, StoredValue::new(resident.village_id.clone()));
    let self_care = move || {
        let l = levels.map(|s| s.get());
        Some(SelfCare { eating: l[0]?, grooming: l[1]?, dressing: l[2]?, toileting: l[3]?, mobility: l[4]? })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(day) = date.get().parse::<NaiveDate>() else {
            return errors.set(Some(AppError::field("check_date", "请填写检查日期", "Enter the date")));
        };
        let mut bad = Vec::new();
        let mut f = |k: &'static str| {
            parse_opt::<f64>(&num(k).get()).unwrap_or_else(|| {
                bad.push(FieldError::new(k, "请输入数字", "Enter a number"));
                None
            })
        };
        let (temperature, height_cm, weight, waist_cm) = (f("temperature"), f("height_cm"), f("weight"), f("waist_cm"));
        let (pulse, respiration, sbp, dbp) = (f("pulse"), f("respiration"), f("sbp"), f("dbp"));
        if !bad.is_empty() {
            return errors.set(Some(AppError::validation(bad)));
        }
        let int = |x: Option<f64>| x.map(|v| v.round() as i32);
        let check = ElderlyCheckInput {
            check_date: day,
            temperature,
            pulse: int(pulse),
            respiration: int(respiration),
            sbp: int(sbp),
            dbp: int(dbp),
            height_cm,
            weight,
            waist_cm,
            self_care: self_care(),
            self_rated: self_rated.get(),
            cognition: cognition.get(),
            mood: mood.get(),
            guidance: guidance.get(),
            next_date: next_date.get().parse().ok(),
        };
        let input = RecordInput::new(
            village.get_value(),
            Some(rid),
            day,
            RecordBody::ElderlyCheck(Box::new(check)),
            signature.get(),
        );
        save_and_open(input, Some(birth), &format!("/residents/{rid}"), errors, &navigate)
    };
    let screen = move |name: &'static str, s: RwSignal<Option<Screen>>| {
        view! {
            <select name=name on:change=move |ev| s.set(match event_target_value(&ev).as_str() { "p" => Some(Screen::Positive), "n" => Some(Screen::Negative), _ => None })>
                <option value="n" selected=move || s.get() == Some(Screen::Negative)>{t!(zh, "粗筛阴性", "Negative")}</option>
                <option value="p" selected=move || s.get() == Some(Screen::Positive)>{t!(zh, "粗筛阳性", "Positive")}</option>
            </select>
        }
    };
    view! {
        <section class="card">
            <h1>{t!(zh, "老年人健康管理", "Elderly annual check")}</h1>
            <p class="muted">{format!("{} · {}", resident.name, resident.birth_date)}</p>
            <form on:submit=submit novalidate>
                <FormError/>
                <TextField name="check_date" zh="检查日期" en="Date" value=date kind="date"/>
                <div class="grid2">
                    {NUMBERS.iter().map(|(k, z, e, mode)| view! {
                        <TextField name=k zh=z en=e value=num(k) kind="number" inputmode=mode step="any"/>
                    }).collect_view()}
                </div>
                <Field name="self_care" zh="生活自理能力评估" en="Self-care assessment">
                    <div class="grid2">
                        {ITEMS.iter().zip(levels).map(|(item, s)| view! {
                            <label class="stack">{move || if zh.get() { item.zh } else { item.en }}
                                <select name=item.key on:change=move |ev| s.set(level_of(&event_target_value(&ev)))>
                                    {Level::ALL.into_iter().map(|l| view! {
                                        <option value=format!("{l:?}") selected=move || s.get() == Some(l)>
                                            {move || format!("{}（{}分）", l.label(zh.get()), item.scores[Level::ALL.iter().position(|x| *x == l).unwrap_or(0)])}
                                        </option>
                                    }).collect_view()}
                                </select>
                            </label>
                        }).collect_view()}
                    </div>
                    <p class="hint" data-testid="self-care-score">{move || self_care().map(|c| if zh.get() { format!("总分 {}：{}", c.score(), c.band().label(true)) } else { format!("Total {}: {}", c.score(), c.band().label(false)) })}</p>
                </Field>
                <div class="grid2">
                    <Field name="self_rated" zh="健康状态自我评估" en="Self-rated health"><CodeSelect name="self_rated" table=crate::codes::SELF_RATED_HEALTH value=self_rated/></Field>
                    <Field name="cognition" zh="认知功能" en="Cognition">{screen("cognition", cognition)}</Field>
                    <Field name="mood" zh="情感状态" en="Mood">{screen("mood", mood)}</Field>
                    <TextField name="next_date" zh="下次预约" en="Next appointment" value=next_date kind="date"/>
                </div>
                <TextField name="guidance" zh="健康指导" en="Guidance" value=guidance/>
                <Field name="signature" zh="居民签名" en="Resident's signature"><SignaturePad value=signature/></Field>
                <button class="primary" type="submit" data-testid="save-elderly">{t!(zh, "保存", "Save")}</button>
            </form>
        </section>
    }
}
