//! The child TCM service form (儿童中医药健康管理服务记录表) at 6, 12, 18, 24, 30 and 36 months: the age of
//! the visit (from the task, or the window today is in), the guidance given with the massage method of that
//! age, and a note. Diet and daily-routine guidance are always given, so they start ticked.

use super::*;
use crate::components::fields::{provide_form_errors, Field, FormError, TextField};
use crate::device::today;
use crate::i18n::use_zh;
use crate::record::pages::{save_and_open, FormGate};
use crate::record::{RecordBody, RecordInput};
use crate::resident::Resident;
use crate::t;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn TcmChildPage() -> impl IntoView {
    view! { <FormGate form=|r| view! { <TcmChildForm resident=r/> }.into_any()/> }
}

#[component]
fn TcmChildForm(resident: Resident) -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let navigate = use_navigate();
    let (rid, birth, village) = (resident.id, resident.birth_date, StoredValue::new(resident.village_id.clone()));
    let asked = use_query_map().with_untracked(|q| q.get("months")).and_then(|m| m.parse::<u32>().ok());
    let months = RwSignal::new(
        asked.filter(|m| CHILD_AGES_MONTHS.contains(m)).or_else(|| child_point_on(birth, today())).unwrap_or(0),
    );
    let date = RwSignal::new(today().to_string());
    let guidance = RwSignal::new(vec![ChildGuidance::Diet, ChildGuidance::Routine, ChildGuidance::Massage]);
    let note = RwSignal::new(String::new());
    let window = move || {
        let m = months.get();
        child_window(birth, m).filter(|_| CHILD_AGES_MONTHS.contains(&m))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(day) = date.get().parse::<NaiveDate>() else {
            return errors.set(Some(AppError::field("date", "请填写日期", "Enter the date")));
        };
        let mut given = guidance.get();
        given.sort_by_key(|g| g.code());
        let input = TcmChildInput { date: day, age_months: months.get(), guidance: given, note: note.get() };
        let record = RecordInput::new(village.get_value(), Some(rid), day, RecordBody::TcmChild(Box::new(input)), None);
        save_and_open(record, Some(birth), &format!("/residents/{rid}"), errors, &navigate)
    };
    view! {
        <section class="card">
            <h1>{t!(zh, "儿童中医药健康管理", "Child TCM service")}</h1>
            <p class="muted">{resident.name.clone()} " · " {birth.to_string()}</p>
            <form on:submit=submit novalidate>
                <FormError/>
                <TextField name="date" zh="服务日期" en="Date" value=date kind="date"/>
                <Field name="age_months" zh="月龄" en="Age">
                    <select name="age_months" id="age_months"
                        on:change=move |ev| months.set(event_target_value(&ev).parse().unwrap_or(0))>
                        <option value="0" selected=move || months.get() == 0>{t!(zh, "请选择", "Choose")}</option>
                        {CHILD_AGES_MONTHS.into_iter().map(|m| view! {
                            <option value=m.to_string() selected=move || months.get() == m>
                                {move || if zh.get() { format!("{m}月龄") } else { format!("{m} months") }}
                            </option>
                        }).collect_view()}
                    </select>
                </Field>
                <p class="hint" data-testid="tcm-child-window">{move || window().map(|(from, until)| {
                    if zh.get() { format!("服务时间：{from}至{until}") } else { format!("Due from {from} to {until}") }
                })}</p>
                <Field name="guidance" zh="中医药健康管理服务" en="Service given">
                    <div class="checks">
                        {ChildGuidance::ALL.into_iter().map(|g| view! {
                            <label class="check">
                                <input type="checkbox" name="guidance" value=g.code().to_string()
                                    prop:checked=move || guidance.with(|v| v.contains(&g))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        guidance.update(|v| {
                                            v.retain(|x| *x != g);
                                            if on {
                                                v.push(g);
                                            }
                                        });
                                    }/>
                                <span>{move || g.label_at(months.get(), zh.get())}</span>
                            </label>
                        }).collect_view()}
                    </div>
                </Field>
                <TextField name="note" zh="备注" en="Note" value=note/>
                <button class="primary" type="submit" data-testid="save-tcm-child">{t!(zh, "保存", "Save")}</button>
            </form>
        </section>
    }
}
