//! Vaccination views: the child's card on the resident page (each dose judged valid or not against the
//! schedule), the dose form (entered from the paper card, one dose after another) and the missed-dose contact
//! form (查漏补种).

use super::schedule::{max_dose, vaccine, VACCINES};
use super::*;
use crate::components::fields::{provide_form_errors, CodeSelect, Field, FormError, TextField};
use crate::device::today;
use crate::error::AppError;
use crate::i18n::use_zh;
use crate::local::ShownRecord;
use crate::record::pages::{save_and_open, save_record, FormGate};
use crate::record::{RecordBody, RecordInput};
use crate::resident::Resident;
use crate::sync::badge::SyncNote;
use crate::t;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

fn vaccine_name(code: &str, zh: bool) -> String {
    vaccine(code).map(|v| if zh { v.zh } else { v.en }).unwrap_or(code).to_string()
}

fn doses_of(records: &[ShownRecord]) -> Vec<(&ShownRecord, &DoseInput)> {
    records
        .iter()
        .filter_map(|r| match &r.stored.record.body {
            RecordBody::Dose(d) => Some((r, d)),
            _ => None,
        })
        .collect()
}

/// The vaccination card and contact log on a resident's page.
#[component]
pub fn VaccinationCard(resident: Resident, records: Vec<ShownRecord>, can_record: bool) -> impl IntoView {
    let zh = use_zh();
    let mut doses = doses_of(&records);
    // In schedule order, as the paper card lists them.
    let order = |v: &str| VACCINES.iter().position(|x| x.code == v).unwrap_or(usize::MAX);
    doses.sort_by_key(|(r, d)| (order(&d.vaccine), d.dose_no, r.stored.record.date));
    let given: Vec<GivenDose> = doses
        .iter()
        .map(|(r, d)| GivenDose { vaccine: d.vaccine.clone(), dose_no: d.dose_no, date: r.stored.record.date })
        .collect();
    let verdicts = judge(resident.birth_date, &given);
    let lines = super::plan::plan(resident.birth_date, &given, today(), &super::plan::RULES);
    let contacts: Vec<(ShownRecord, ContactInput)> = records
        .iter()
        .filter_map(|r| match &r.stored.record.body {
            RecordBody::Contact(c) => Some((r.clone(), c.clone())),
            _ => None,
        })
        .collect();
    let id = resident.id;
    let rows = doses
        .into_iter()
        .zip(verdicts)
        .map(|((r, d), verdict)| {
            let (code, n, date, place, mark) =
                (d.vaccine.clone(), d.dose_no, r.stored.record.date, d.place.clone(), r.mark.clone());
            let invalid = verdict.is_some();
            view! {
                <li class:urgent=invalid data-testid="dose">
                    <div class="row-main">
                        <strong>{move || format!("{} {}", vaccine_name(&code, zh.get()), if zh.get() { format!("第{n}剂") } else { format!("dose {n}") })}</strong>
                        <span>{date.to_string()}</span>
                    </div>
                    <div class="row-sub muted">{place}</div>
                    {verdict.map(|v| view! { <p class="field-error" data-testid="dose-invalid">{move || v.message(zh.get())}</p> })}
                    <SyncNote mark/>
                </li>
            }
        })
        .collect_view();
    view! {
        <h2>{t!(zh, "预防接种卡", "Vaccination card")}</h2>
        {can_record.then(|| view! {
            <div class="actions">
                <A href=format!("/residents/{id}/doses/new") attr:class="button primary" attr:data-testid="new-dose">{t!(zh, "录入接种", "Enter doses")}</A>
                <A href=format!("/residents/{id}/contacts/new") attr:class="button" attr:data-testid="new-contact">{t!(zh, "查漏补种联系", "Missed-dose contact")}</A>
            </div>
        })}
        <ul class="visit-list" data-testid="vaccination-card">{rows}</ul>
        <PlanTable lines/>
        {(!contacts.is_empty()).then(move || view! {
            <h3>{t!(zh, "查漏补种联系记录", "Missed-dose contacts")}</h3>
            <ul class="visit-list" data-testid="contact-log">
                {contacts.into_iter().map(|(r, c)| {
                    let outcome = c.outcome.unwrap_or(0);
                    let when = c.attend_date.or(c.elsewhere_date);
                    view! {
                        <li data-testid="contact">
                            <div class="row-main">
                                <strong>{r.stored.record.date.to_string()}</strong>
                                <span>{move || format!("{}{}", crate::codes::label(CONTACT_OUTCOME, outcome, zh.get()), when.map(|d| format!(" {d}")).unwrap_or_default())}</span>
                            </div>
                            <div class="row-sub muted">
                                <span>{move || c.person.map(|p| crate::codes::label(CONTACT_PERSON, p, zh.get())).unwrap_or_default()}</span>
                                " "
                                <span>{c.reason.clone()}</span>
                                <span>{move || c.next_contact.map(|d| if zh.get() { format!(" · 下次联系 {d}") } else { format!(" · next contact {d}") }).unwrap_or_default()}</span>
                            </div>
                            <SyncNote mark=r.mark.clone()/>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}

/// The child's plan: every dose of the schedule with where it stands and, for a missing one, the earliest day
/// it can be given.
#[component]
fn PlanTable(lines: Vec<super::plan::Planned>) -> impl IntoView {
    use super::plan::Status;
    let zh = use_zh();
    let rows = lines
        .into_iter()
        .filter(|l| l.status != Status::NotNeeded || l.note.is_some())
        .map(|l| {
            let (class, zh_s, en_s) = match l.status {
                Status::Given { timely: true } => ("given", "已种", "Given"),
                Status::Given { timely: false } => ("given", "已种（未及时）", "Given (late)"),
                Status::Due => ("due", "应种", "Due"),
                Status::Upcoming => ("upcoming", "即将到期", "Upcoming"),
                Status::Overdue => ("overdue", "逾期需补种", "Overdue"),
                Status::Later => ("later", "未到时间", "Later"),
                Status::NotNeeded => ("later", "不再接种", "Not given"),
            };
            let date = l.given.or(l.earliest).map(|d| d.to_string()).unwrap_or_default();
            let note = l.note;
            view! {
                <tr class=class data-testid="plan-line" data-status=class>
                    <td>{move || format!("{} {}", vaccine_name(l.vaccine, zh.get()), l.dose)}</td>
                    <td>{move || if zh.get() { zh_s } else { en_s }}</td>
                    <td>{date}</td>
                    <td class="muted">{move || note.map(|n| n.text(zh.get())).unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h3>{t!(zh, "接种计划", "Immunization plan")}</h3>
        <div class="table-wrap">
            <table class="plan" data-testid="vaccination-plan">
                <thead><tr>
                    <th>{t!(zh, "疫苗剂次", "Dose")}</th>
                    <th>{t!(zh, "状态", "Status")}</th>
                    <th>{t!(zh, "接种/最早可种日期", "Given / earliest")}</th>
                    <th>{t!(zh, "说明", "Note")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
pub fn DoseNewPage() -> impl IntoView {
    view! { <FormGate form=|r| view! { <DoseForm resident=r/> }.into_any()/> }
}

#[component]
fn DoseForm(resident: Resident) -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let user = expect_context::<crate::auth::SessionUser>();
    let township =
        user.villages.iter().find(|v| v.id == resident.village_id).map(|v| v.township_name.clone()).unwrap_or_default();
    // Opened from a task (今日任务): the dose it is about, given today.
    let query = leptos_router::hooks::use_query_map().get_untracked();
    let from_task = query.get("vaccine").filter(|v| vaccine(v).is_some());
    let vaccine_code = RwSignal::new(from_task.clone().unwrap_or_default());
    let dose_no = RwSignal::new(query.get("dose").filter(|_| from_task.is_some()).unwrap_or_else(|| "1".into()));
    let date = RwSignal::new(if from_task.is_some() { today().to_string() } else { String::new() });
    let place = RwSignal::new(format!("{township}卫生院预防接种门诊"));
    let batch = RwSignal::new(String::new());
    let source = RwSignal::new(Some(1u8));
    let saved = RwSignal::new(Vec::<String>::new());
    let navigate = use_navigate();
    let (rid, birth, village) = (resident.id, resident.birth_date, resident.village_id.clone());
    let village = StoredValue::new(village);
    let build = move || -> Result<RecordInput, AppError> {
        let Ok(day) = date.get().parse::<chrono::NaiveDate>() else {
            return Err(AppError::field("date", "请填写接种日期", "Enter the date given"));
        };
        Ok(RecordInput::new(
            village.get_value(),
            Some(rid),
            day,
            RecordBody::Dose(DoseInput {
                vaccine: vaccine_code.get(),
                dose_no: dose_no.get().parse().unwrap_or(0),
                place: place.get(),
                batch: batch.get(),
                source: source.get(),
            }),
            None,
        ))
    };
    // Saves; then either back to the card or on to the next dose with the place and source kept.
    let save = move |more: bool| {
        let r = build().and_then(|r| {
            let label = format!("{} {}", vaccine_name(&vaccine_code.get_untracked(), true), dose_no.get_untracked());
            save_record(r, Some(birth)).map(|_| label)
        });
        match r {
            Ok(label) if more => {
                errors.set(None);
                saved.update(|s| s.push(label));
                vaccine_code.set(String::new());
                dose_no.set("1".into());
                date.set(String::new());
                batch.set(String::new());
            }
            Ok(_) => navigate(&format!("/residents/{rid}"), Default::default()),
            Err(e) => errors.set(Some(e)),
        }
    };
    let save_more = save.clone();
    view! {
        <section class="card">
            <h1>{t!(zh, "录入接种记录", "Enter vaccine doses")}</h1>
            <p class="muted">{format!("{} · {}", resident.name, resident.birth_date)}</p>
            <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); save(false); } novalidate>
                <FormError/>
                <Show when=move || !saved.get().is_empty()>
                    <p class="notice" data-testid="doses-saved">{move || format!("{}{}", if zh.get() { "已保存：" } else { "Saved: " }, saved.get().join("，"))}</p>
                </Show>
                <div class="grid2">
                    <Field name="vaccine" zh="疫苗" en="Vaccine">
                        <select name="vaccine" on:change=move |ev| { vaccine_code.set(event_target_value(&ev)); dose_no.set("1".into()); }
                            prop:value=move || vaccine_code.get()>
                            <option value="">{t!(zh, "请选择", "Choose")}</option>
                            {VACCINES.iter().map(|v| view! {
                                <option value=v.code selected=move || vaccine_code.get() == v.code>{move || if zh.get() { v.zh } else { v.en }}</option>
                            }).collect_view()}
                        </select>
                    </Field>
                    <Field name="dose_no" zh="剂次" en="Dose">
                        <select name="dose_no" on:change=move |ev| dose_no.set(event_target_value(&ev)) prop:value=move || dose_no.get()>
                            {move || (1..=max_dose(&vaccine_code.get()).max(1)).map(|n| view! {
                                <option value=n.to_string() selected=move || dose_no.get() == n.to_string()>{n}</option>
                            }).collect_view()}
                        </select>
                    </Field>
                </div>
                <TextField name="date" zh="接种日期" en="Date given" value=date kind="date"/>
                <TextField name="place" zh="接种单位" en="Given at" value=place/>
                <div class="grid2">
                    <TextField name="batch" zh="疫苗批号（可选）" en="Batch (optional)" value=batch/>
                    <Field name="source" zh="来源" en="Source"><CodeSelect name="source" table=DOSE_SOURCE value=source/></Field>
                </div>
                <div class="actions">
                    <button class="button" type="button" data-testid="save-dose-more" on:click=move |_| save_more(true)>{t!(zh, "保存并录入下一剂", "Save and add another")}</button>
                    <button class="primary" type="submit" data-testid="save-dose">{t!(zh, "保存", "Save")}</button>
                </div>
            </form>
        </section>
    }
}

#[component]
pub fn ContactNewPage() -> impl IntoView {
    view! { <FormGate form=|r| view! { <ContactForm resident=r/> }.into_any()/> }
}

#[component]
fn ContactForm(resident: Resident) -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let navigate = use_navigate();
    let date = RwSignal::new(today().to_string());
    let person = RwSignal::new(Some(1u8));
    let method = RwSignal::new(Some(1u8));
    let outcome = RwSignal::new(None::<u8>);
    let vaccines = RwSignal::new(Vec::<String>::new());
    let attend_date = RwSignal::new(String::new());
    let elsewhere_date = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let next_contact = RwSignal::new(String::new());
    let (rid, birth) = (resident.id, resident.birth_date);
    let village = StoredValue::new(resident.village_id.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = |s: RwSignal<String>| s.get().parse::<chrono::NaiveDate>().ok();
        let Some(day) = d(date) else {
            return errors.set(Some(AppError::field("date", "请填写联系日期", "Enter the date")));
        };
        let o = outcome.get();
        let input = RecordInput::new(
            village.get_value(),
            Some(rid),
            day,
            RecordBody::Contact(ContactInput {
                person: if o == Some(OUTCOME_NOT_REACHED) { None } else { person.get() },
                method: method.get(),
                outcome: o,
                vaccines: vaccines.get(),
                attend_date: if o == Some(OUTCOME_WILL_ATTEND) { d(attend_date) } else { None },
                elsewhere_date: if o == Some(OUTCOME_ELSEWHERE) { d(elsewhere_date) } else { None },
                reason: reason.get(),
                next_contact: d(next_contact),
            }),
            None,
        );
        save_and_open(input, Some(birth), &format!("/residents/{rid}"), errors, &navigate)
    };
    view! {
        <section class="card">
            <h1>{t!(zh, "查漏补种联系记录", "Missed-dose contact")}</h1>
            <p class="muted">{resident.name.clone()}</p>
            <form on:submit=submit novalidate>
                <FormError/>
                <div class="grid2">
                    <TextField name="date" zh="联系日期" en="Date" value=date kind="date"/>
                    <Field name="method" zh="联系方式" en="How"><CodeSelect name="method" table=CONTACT_METHOD value=method/></Field>
                </div>
                <Field name="outcome" zh="联系结果" en="Outcome"><CodeSelect name="outcome" table=CONTACT_OUTCOME value=outcome/></Field>
                <Show when=move || outcome.get() != Some(OUTCOME_NOT_REACHED)>
                    <Field name="person" zh="联系对象" en="Who was reached"><CodeSelect name="person" table=CONTACT_PERSON value=person/></Field>
                </Show>
                <Show when=move || outcome.get() == Some(OUTCOME_WILL_ATTEND)>
                    <TextField name="attend_date" zh="约定接种日期" en="Agreed date" value=attend_date kind="date"/>
                </Show>
                <Show when=move || outcome.get() == Some(OUTCOME_ELSEWHERE)>
                    <TextField name="elsewhere_date" zh="外地接种日期" en="Date vaccinated elsewhere" value=elsewhere_date kind="date"/>
                </Show>
                <Field name="vaccines" zh="涉及疫苗" en="Vaccines missed">
                    <div class="chips">
                        {VACCINES.iter().map(|v| { let code = v.code.to_string(); let c2 = code.clone(); view! {
                            <button type="button" class="chip" class:on=move || vaccines.with(|x| x.contains(&code))
                                on:click=move |_| vaccines.update(|x| if x.contains(&c2) { x.retain(|y| *y != c2) } else { x.push(c2.clone()) })>
                                {move || if zh.get() { v.zh } else { v.en }}
                            </button>
                        }}).collect_view()}
                    </div>
                </Field>
                <TextField name="reason" zh="原因 / 说明" en="Reason / note" value=reason/>
                <TextField name="next_contact" zh="下次联系日期" en="Next contact" value=next_contact kind="date"/>
                <button class="primary" type="submit" data-testid="save-contact">{t!(zh, "保存", "Save")}</button>
            </form>
        </section>
    }
}
