//! The delivery form (分娩登记), on the mother's record. Saving it registers each live-born baby as a resident
//! of the mother's household (named 母亲之男 / 之女 until the family chooses a name) with the baby's birth record,
//! so the postpartum visit, the 42-day check and each newborn's home visit appear on the doctor's Today list at
//! once, offline as online.

use super::*;
use crate::components::fields::{parse_opt, provide_form_errors, EnumSelect, Field, FormError, TextField};
use crate::device::{new_id, today};
use crate::error::AppError;
use crate::i18n::use_zh;
use crate::newborn::BirthInput;
use crate::record::pages::{save_record, FormGate};
use crate::record::{RecordBody, RecordInput};
use crate::resident::{Resident, ResidentInput};
use crate::sync::EntryBody;
use crate::t;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

#[component]
pub fn ChildbirthPage() -> impl IntoView {
    view! { <FormGate form=|r| view! { <ChildbirthForm resident=r/> }.into_any()/> }
}

/// One baby's line of the form.
#[derive(Clone, Copy)]
struct BabyRow {
    sex: RwSignal<Option<Sex>>,
    live: RwSignal<bool>,
    weight: RwSignal<String>,
}

const SEXES: [Sex; 2] = [Sex::Female, Sex::Male];

fn sex_label(s: Sex, zh: bool) -> &'static str {
    match (s, zh) {
        (Sex::Male, true) => "男",
        (Sex::Male, false) => "Boy",
        (Sex::Female, true) => "女",
        (Sex::Female, false) => "Girl",
        (_, true) => "未知",
        (_, false) => "Unknown",
    }
}

/// The baby's place in the household: the mother's child, or grandchild when she is herself a child of it.
fn baby_relation(mother: &Resident) -> u8 {
    match mother.relation {
        1 | 2 => 3,
        3 => 4,
        _ => 8,
    }
}

/// The new resident record of a live-born baby of `mother`, born on `date`.
pub fn baby_resident(mother: &Resident, sex: Sex, date: NaiveDate) -> ResidentInput {
    ResidentInput {
        id: new_id(),
        base_version: None,
        village_id: mother.village_id.clone(),
        household_id: Some(mother.household_id.clone()),
        relation: baby_relation(mother),
        name: crate::newborn::provisional_name(&mother.name, sex).unwrap_or_else(|| format!("{}之子", mother.name)),
        id_no: None,
        sex: Some(sex.code()),
        birth_date: Some(date),
        phone: mother.phone.clone(),
        address: mother.address.clone(),
        residence_type: mother.residence_type,
        ethnicity: mother.ethnicity,
        blood_abo: 5,
        education: 10,
        occupation: 8,
        marital: 1,
        payment: mother.payment.clone(),
        status: 1,
        flags: vec![],
        device_id: crate::device::device_id(),
    }
}

#[component]
fn ChildbirthForm(resident: Resident) -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let navigate = use_navigate();
    let mother = StoredValue::new(resident.clone());
    let date = RwSignal::new(today().to_string());
    let discharge = RwSignal::new(String::new());
    let place = RwSignal::new(Some(DeliveryPlace::Facility));
    let place_name = RwSignal::new(String::new());
    let weeks = RwSignal::new(String::new());
    let count = RwSignal::new(1usize);
    let rows: Vec<BabyRow> = (0..MAX_BABIES)
        .map(|_| BabyRow { sex: RwSignal::new(None), live: RwSignal::new(true), weight: RwSignal::new(String::new()) })
        .collect();
    let rows = StoredValue::new(rows);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match save(
            mother.get_value(),
            date.get(),
            discharge.get(),
            place.get(),
            place_name.get(),
            weeks.get(),
            &rows.get_value()[..count.get()],
        ) {
            Ok(()) => navigate("/today", Default::default()),
            Err(e) => errors.set(Some(e)),
        }
    };
    let baby = move |i: usize| {
        let r = rows.get_value()[i];
        view! {
            <fieldset class="baby" data-testid=format!("baby-{i}")>
                <legend>{move || if zh.get() { format!("第{}个婴儿", i + 1) } else { format!("Baby {}", i + 1) }}</legend>
                <div class="grid2">
                    <Field name="babies" zh="性别" en="Sex">
                        <EnumSelect name="baby_sex" options=&SEXES label=sex_label value=r.sex/>
                    </Field>
                    <TextField name="birth_weight_kg" zh="出生体重 kg" en="Birth weight kg" value=r.weight kind="number" inputmode="decimal" step="0.01"/>
                </div>
                <label class="check">
                    <input type="checkbox" name="live_born" prop:checked=move || r.live.get() on:change=move |ev| r.live.set(event_target_checked(&ev))/>
                    <span>{t!(zh, "活产", "Live birth")}</span>
                </label>
            </fieldset>
        }
    };
    view! {
        <section class="card">
            <h1>{t!(zh, "分娩登记", "Delivery")}</h1>
            <p class="muted">{resident.name.clone()}</p>
            <form on:submit=submit novalidate>
                <FormError/>
                <div class="grid2">
                    <TextField name="delivery_date" zh="分娩日期" en="Delivery date" value=date kind="date"/>
                    <TextField name="discharge_date" zh="出院日期" en="Discharge date" value=discharge kind="date"/>
                </div>
                <Field name="place" zh="分娩地点" en="Place of birth">
                    <EnumSelect name="place" options=&DeliveryPlace::ALL label=DeliveryPlace::label value=place/>
                </Field>
                <Show when=move || place.get() == Some(DeliveryPlace::Facility)>
                    <TextField name="place_name" zh="助产机构名称" en="Facility" value=place_name/>
                </Show>
                <div class="grid2">
                    <TextField name="gestation_weeks" zh="分娩孕周" en="Weeks of pregnancy" value=weeks kind="number" inputmode="numeric"/>
                    <Field name="count" zh="婴儿数" en="Babies">
                        <select name="count" on:change=move |ev| count.set(event_target_value(&ev).parse().unwrap_or(1)) prop:value=move || count.get().to_string()>
                            {(1..=MAX_BABIES).map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
                        </select>
                    </Field>
                </div>
                {move || (0..count.get()).map(baby).collect_view()}
                <button class="primary" type="submit" data-testid="save-childbirth">{t!(zh, "保存", "Save")}</button>
            </form>
        </section>
    }
}

/// Checks everything first, then saves the delivery and, per live birth, the baby's record and birth record:
/// nothing is saved when anything is wrong.
fn save(
    mother: Resident,
    date: String,
    discharge: String,
    place: Option<DeliveryPlace>,
    place_name: String,
    weeks: String,
    rows: &[BabyRow],
) -> Result<(), AppError> {
    let delivery_date = date
        .parse::<NaiveDate>()
        .map_err(|_| AppError::field("delivery_date", "请填写分娩日期", "Enter the delivery date"))?;
    let discharge_date = match discharge.trim() {
        "" => None,
        d => Some(d.parse::<NaiveDate>().map_err(|_| AppError::field("discharge_date", "日期无效", "Invalid date"))?),
    };
    let gestation_weeks =
        parse_opt::<u8>(&weeks).ok_or_else(|| AppError::field("gestation_weeks", "请输入数字", "Enter a number"))?;
    let mut babies = Vec::new();
    let mut weights = Vec::new();
    for r in rows {
        let sex =
            r.sex.get().ok_or_else(|| AppError::field("babies", "请选择每个婴儿的性别", "Choose each baby's sex"))?;
        let weight = parse_opt::<f64>(&r.weight.get())
            .ok_or_else(|| AppError::field("birth_weight_kg", "请输入数字", "Enter a number"))?;
        babies.push(Baby { sex, live_born: r.live.get() });
        weights.push(weight);
    }
    let input = ChildbirthInput {
        delivery_date,
        discharge_date,
        place,
        place_name: if place == Some(DeliveryPlace::Home) { "无".into() } else { place_name },
        gestation_weeks,
        babies: babies.clone(),
    };
    let record = RecordInput::new(
        mother.village_id.clone(),
        Some(mother.id),
        delivery_date,
        RecordBody::Childbirth(Box::new(input)),
        None,
    );
    let ctx = crate::record::RecordContext::new(crate::device::now(), Some(mother.birth_date));
    record.validate(&ctx)?;
    // Each live baby: a resident and a birth record, both checked before anything is saved.
    let mut born: Vec<(ResidentInput, RecordInput)> = Vec::new();
    for (i, (b, w)) in babies.iter().zip(weights).enumerate().filter(|(_, (b, _))| b.live_born) {
        let baby = baby_resident(&mother, b.sex, delivery_date);
        baby.validate(today())?;
        let birth = BirthInput {
            mother_id: mother.id,
            childbirth_id: record.record_id,
            baby: u8::try_from(i).unwrap_or(0),
            discharge_date,
            gestation_weeks,
            birth_weight_kg: w,
        };
        let birth = RecordInput::new(
            mother.village_id.clone(),
            Some(baby.id),
            delivery_date,
            RecordBody::Birth(Box::new(birth)),
            None,
        );
        birth.validate(&crate::record::RecordContext::new(crate::device::now(), Some(delivery_date)))?;
        born.push((baby, birth));
    }
    save_record(record, Some(mother.birth_date))?;
    for (baby, birth) in born {
        let _: Uuid = crate::local::api::save(EntryBody::Resident(Box::new(baby)))?;
        save_record(birth, Some(delivery_date))?;
    }
    Ok(())
}
