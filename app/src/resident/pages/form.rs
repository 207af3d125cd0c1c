//! The add/edit form of a resident record. Fields are checked in the browser with the same rules the server
//! runs; the ID number fills in birth date and sex as the doctor types it.

use super::detail::id_param;
use crate::auth::SessionUser;
use crate::codes;
use crate::components::fields::{provide_form_errors, CodeChecks, CodeSelect, Field, FormError, Input, TextField};
use crate::components::layout::RequireStaff;
use crate::device::{device_id, new_id, today};
use crate::error::AppError;
use crate::i18n::use_zh;
use crate::local::api::{on_device, read};
use crate::resident::api::{duplicate_residents, list_households, save_resident};
use crate::resident::duplicates::{merge, Candidate};
use crate::resident::id_number::IdNumber;
use crate::resident::{KeyFlag, Resident, ResidentInput};
use crate::sync::EntryBody;
use crate::t;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

/// How long a new record waits for the server's duplicate check before the phone's answer alone decides.
const DUPLICATE_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

#[component]
pub fn ResidentNewPage() -> impl IntoView {
    view! { <RequireStaff><ResidentForm existing=None/></RequireStaff> }
}

#[component]
pub fn ResidentEditPage() -> impl IntoView {
    view! { <RequireStaff><ResidentEdit/></RequireStaff> }
}

#[component]
fn ResidentEdit() -> impl IntoView {
    let zh = use_zh();
    let data = super::detail::resident_with_visits(id_param());
    view! {
        <Transition fallback=move || view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }>
            {move || match data() {
                None => view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }.into_any(),
                Some(Ok((r, _, _))) => view! { <ResidentForm existing=Some(r)/> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error">{move || e.message(zh.get())}</p> }.into_any(),
            }}
        </Transition>
    }
}

/// Signals of every field, filled from an existing record or defaults.
struct FormState {
    village_id: RwSignal<String>,
    household_id: RwSignal<String>,
    relation: RwSignal<Option<u8>>,
    name: RwSignal<String>,
    id_no: RwSignal<String>,
    sex: RwSignal<Option<u8>>,
    birth_date: RwSignal<String>,
    phone: RwSignal<String>,
    address: RwSignal<String>,
    residence_type: RwSignal<Option<u8>>,
    ethnicity: RwSignal<Option<u8>>,
    blood_abo: RwSignal<Option<u8>>,
    education: RwSignal<Option<u8>>,
    occupation: RwSignal<Option<u8>>,
    marital: RwSignal<Option<u8>>,
    payment: RwSignal<Vec<u8>>,
    status: RwSignal<Option<u8>>,
    flags: RwSignal<Vec<KeyFlag>>,
}

impl FormState {
    fn new(r: Option<&Resident>, default_village: String) -> Self {
        FormState {
            village_id: RwSignal::new(r.map(|r| r.village_id.clone()).unwrap_or(default_village)),
            household_id: RwSignal::new(r.map(|r| r.household_id.clone()).unwrap_or_default()),
            relation: RwSignal::new(Some(r.map(|r| r.relation).unwrap_or(1))),
            name: RwSignal::new(r.map(|r| r.name.clone()).unwrap_or_default()),
            id_no: RwSignal::new(r.and_then(|r| r.id_no.clone()).unwrap_or_default()),
            sex: RwSignal::new(r.map(|r| r.sex.code())),
            birth_date: RwSignal::new(r.map(|r| r.birth_date.to_string()).unwrap_or_default()),
            phone: RwSignal::new(r.and_then(|r| r.phone.clone()).unwrap_or_default()),
            address: RwSignal::new(r.map(|r| r.address.clone()).unwrap_or_default()),
            residence_type: RwSignal::new(Some(r.map(|r| r.residence_type).unwrap_or(1))),
            ethnicity: RwSignal::new(Some(r.map(|r| r.ethnicity).unwrap_or(1))),
            blood_abo: RwSignal::new(Some(r.map(|r| r.blood_abo).unwrap_or(5))),
            education: RwSignal::new(r.map(|r| r.education)),
            occupation: RwSignal::new(r.map(|r| r.occupation)),
            marital: RwSignal::new(r.map(|r| r.marital)),
            payment: RwSignal::new(r.map(|r| r.payment.clone()).unwrap_or_else(|| vec![2])),
            status: RwSignal::new(Some(r.map(|r| r.status).unwrap_or(1))),
            flags: RwSignal::new(r.map(|r| r.flags.iter().map(|m| m.flag).collect()).unwrap_or_default()),
        }
    }

    /// Builds the wire input; unchosen selects become code 0, which validation names as missing.
    fn input(&self, id: Uuid, base_version: Option<i64>) -> ResidentInput {
        let opt = |s: RwSignal<String>| Some(s.get_untracked().trim().to_string()).filter(|s| !s.is_empty());
        ResidentInput {
            id,
            base_version,
            village_id: self.village_id.get_untracked(),
            household_id: opt(self.household_id),
            relation: self.relation.get_untracked().unwrap_or(0),
            name: self.name.get_untracked(),
            id_no: opt(self.id_no),
            sex: self.sex.get_untracked(),
            birth_date: opt(self.birth_date).and_then(|s| s.parse().ok()),
            phone: opt(self.phone),
            address: self.address.get_untracked(),
            residence_type: self.residence_type.get_untracked().unwrap_or(0),
            ethnicity: self.ethnicity.get_untracked().unwrap_or(0),
            blood_abo: self.blood_abo.get_untracked().unwrap_or(0),
            education: self.education.get_untracked().unwrap_or(0),
            occupation: self.occupation.get_untracked().unwrap_or(0),
            marital: self.marital.get_untracked().unwrap_or(0),
            payment: self.payment.get_untracked(),
            status: self.status.get_untracked().unwrap_or(0),
            flags: self.flags.get_untracked(),
            device_id: device_id(),
        }
    }
}

#[component]
fn ResidentForm(existing: Option<Resident>) -> impl IntoView {
    let zh = use_zh();
    let user = expect_context::<SessionUser>();
    let errors = provide_form_errors();
    let navigate = use_navigate();
    let default_village = user.villages.first().map(|v| v.id.clone()).unwrap_or_default();
    let f = StoredValue::new(FormState::new(existing.as_ref(), default_village));
    let record_id = existing.as_ref().map(|r| r.id).unwrap_or_else(new_id);
    // Version 0: a record made on this device and not yet synced, so the save is still its creation.
    let base_version = existing.as_ref().map(|r| r.version).filter(|v| *v > 0);
    let editing = existing.is_some();
    let busy = RwSignal::new(false);
    // Possible duplicates of a new record, shown once before it is saved (see `resident::duplicates`).
    let duplicates = RwSignal::new(Vec::<crate::resident::duplicates::Candidate>::new());
    let duplicates_seen = RwSignal::new(false);
    let dup_user = StoredValue::new(user.clone());
    let fs = f.read_value();
    let (village_id, household_id, id_no, sex, birth_date) =
        (fs.village_id, fs.household_id, fs.id_no, fs.sex, fs.birth_date);
    let (name, phone, address, payment, flags) = (fs.name, fs.phone, fs.address, fs.payment, fs.flags);
    let (relation, residence_type, ethnicity, blood_abo) = (fs.relation, fs.residence_type, fs.ethnicity, fs.blood_abo);
    let (education, occupation, marital, status) = (fs.education, fs.occupation, fs.marital, fs.status);
    drop(fs);

    // The ID number, once valid, decides birth date and sex: fill them in as the doctor types.
    Effect::new(move |_| {
        if let Ok(id) = IdNumber::parse(&id_no.get(), today()) {
            birth_date.set(id.birth_date().to_string());
            sex.set(Some(id.sex().code()));
        }
    });
    let id_hint = move || {
        IdNumber::parse(&id_no.get(), today()).ok().map(|id| {
            let z = zh.get();
            format!("{} · {}", id.birth_date(), id.sex().label(z))
        })
    };
    let device = on_device(&user);
    let server_households = Resource::new(
        move || village_id.get(),
        move |v| async move {
            if v.is_empty() || device {
                Ok(vec![])
            } else {
                list_households(v).await
            }
        },
    );
    let households = move || {
        if device {
            read(|d| d.households(&village_id.get()))
        } else {
            server_households.get().and_then(|r| r.ok())
        }
    };

    // Saving proper: to the device's outbox (online or not), or straight to the server for township staff.
    let save = StoredValue::new(move |input: ResidentInput| {
        busy.set(true);
        let navigate = navigate.clone();
        if device {
            let saving = crate::local::api::save_stored(EntryBody::Resident(Box::new(input)));
            spawn_local(async move {
                match saving.await {
                    Ok(_) => {
                        errors.set(None);
                        navigate(&format!("/residents/{record_id}"), Default::default());
                    }
                    Err(e) => errors.set(Some(e)),
                }
                busy.set(false);
            });
            return;
        }
        spawn_local(async move {
            match save_resident(input).await {
                Ok(id) => {
                    errors.set(None);
                    navigate(&format!("/residents/{id}"), Default::default());
                }
                Err(e) => errors.set(Some(e)),
            }
            busy.set(false);
        });
    });
    let local = crate::local::api::use_local();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let input = f.read_value().input(record_id, base_version);
        let valid = match input.validate(today()) {
            Ok(v) => v,
            Err(e) => {
                errors.set(Some(e));
                return;
            }
        };
        if base_version.is_some() || duplicates_seen.get_untracked() {
            save.with_value(|save| save(input));
            return;
        }
        // A new record: look for the same person first, once. The phone answers from its villages at once;
        // online, the server adds the rest of the township, unless it takes longer than DUPLICATE_WAIT.
        let on_phone = if device {
            read(|d| d.duplicate_candidates(record_id, &input.name, valid.birth_date, &dup_user.read_value()))
                .unwrap_or_default()
        } else {
            vec![]
        };
        let decide = move |found: Vec<Candidate>, input: ResidentInput| {
            busy.set(false);
            duplicates_seen.set(true);
            if found.is_empty() {
                save.with_value(|save| save(input));
            } else {
                duplicates.set(found);
                errors.set(None);
            }
        };
        if device && !local.status.with_untracked(|s| s.online) {
            decide(on_phone, input);
            return;
        }
        busy.set(true);
        let decided = std::rc::Rc::new(std::cell::Cell::new(false));
        let waited = decided.clone();
        let (early, late) = (on_phone.clone(), input.clone());
        set_timeout(
            move || {
                if !waited.replace(true) {
                    decide(early, late);
                }
            },
            DUPLICATE_WAIT,
        );
        let birth = valid.birth_date;
        spawn_local(async move {
            let far = duplicate_residents(input.village_id.clone(), record_id, input.name.clone(), birth).await;
            if !decided.replace(true) {
                // A server that cannot answer does not stop the doctor: the phone's own check stands.
                decide(merge(on_phone, far.unwrap_or_default()), input);
            }
        });
    };
    let conflict_link = move || match errors.get() {
        Some(AppError::Conflict { existing_id: Some(id), .. }) => Some(view! {
            <A href=format!("/residents/{id}") attr:class="button" attr:data-testid="existing-record">
                {t!(zh, "查看已有档案", "Open the existing record")}
            </A>
        }),
        _ => None,
    };

    view! {
        <section class="card">
            <h1>{move || match (editing, zh.get()) {
                (true, true) => "编辑健康档案",
                (true, false) => "Edit health record",
                (false, true) => "新建健康档案",
                (false, false) => "New health record",
            }}</h1>
            <form on:submit=submit novalidate>
                <FormError/>
                {conflict_link}
                <Show when=move || !duplicates.get().is_empty()>
                    <div class="warning" role="alert" data-testid="duplicate-warning">
                        <p>{t!(zh, "可能已建档：以下居民姓名相近且出生日期相同。请先核对；确认不是同一人，再点“保存”。",
                            "Possibly recorded already: these residents have a similar name and the same birth date. Check them; if this is another person, save again.")}</p>
                        <ul>
                            {move || duplicates.get().into_iter().map(|c| {
                                let text = format!("{} · {} · {}", c.name, c.village_name, if c.record_no.is_empty() { "—" } else { c.record_no.as_str() });
                                // A resident of another village can be named but not opened: ask that village's doctor.
                                if dup_user.with_value(|u| u.villages.iter().any(|v| v.id == c.village_id)) {
                                    view! { <li><A href=format!("/residents/{}", c.id) attr:data-testid="duplicate-candidate">{text}</A></li> }.into_any()
                                } else {
                                    view! { <li data-testid="duplicate-candidate">{text}{t!(zh, "（外村，请与该村医生核对）", " (another village: check with its doctor)")}</li> }.into_any()
                                }
                            }).collect_view()}
                        </ul>
                    </div>
                </Show>
                <TextField name="name" zh="姓名" en="Name" value=name/>
                <Field name="id_no" zh="身份证号" en="ID number">
                    <Input name="id_no" value=id_no placeholder="18位，末位可为X"/>
                    <p class="hint">{id_hint}</p>
                </Field>
                <div class="grid2">
                    <Field name="sex" zh="性别" en="Sex"><CodeSelect name="sex" table=codes::SEX value=sex/></Field>
                    <TextField name="birth_date" zh="出生日期" en="Birth date" value=birth_date kind="date"/>
                </div>
                <Field name="village_id" zh="村" en="Village">
                    <select name="village_id" on:change=move |ev| { village_id.set(event_target_value(&ev)); household_id.set(String::new()); }>
                        {user.villages.iter().map(|v| {
                            let id = v.id.clone();
                            let sel = id.clone();
                            view! { <option value=id selected=move || village_id.get() == sel>{format!("{} · {}", v.township_name, v.name)}</option> }
                        }).collect_view()}
                    </select>
                </Field>
                <Field name="household_id" zh="家庭（户）" en="Household">
                    <select name="household_id" on:change=move |ev| household_id.set(event_target_value(&ev))>
                        <option value="">{t!(zh, "新建一户（本人为户主）", "New household (this person is head)")}</option>
                        <Transition>
                            {move || households().map(|hs| hs.into_iter().map(|h| {
                                let id = h.id.clone();
                                let sel = id.clone();
                                view! { <option value=id selected=move || household_id.get() == sel>{format!("{} · {}", h.head_name, h.address)}</option> }
                            }).collect_view())}
                        </Transition>
                    </select>
                </Field>
                <Field name="relation" zh="与户主关系" en="Relation to head"><CodeSelect name="relation" table=codes::RELATION value=relation/></Field>
                <TextField name="address" zh="现住址（村民小组、门牌号）" en="Address" value=address/>
                <TextField name="phone" zh="本人电话" en="Phone" value=phone kind="tel" inputmode="tel"/>
                <Field name="flags" zh="重点人群" en="Key groups">
                    <div class="checks">
                        {KeyFlag::STORED.into_iter().map(|fl| view! {
                            <label class="check">
                                <input type="checkbox" name="flags" value=fl.code()
                                    prop:checked=move || flags.with(|v| v.contains(&fl))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        flags.update(|v| { v.retain(|x| *x != fl); if on { v.push(fl); } });
                                    }/>
                                <span>{move || fl.label(zh.get())}</span>
                            </label>
                        }).collect_view()}
                    </div>
                </Field>
                <div class="grid2">
                    <Field name="residence_type" zh="常住类型" en="Residence"><CodeSelect name="residence_type" table=codes::RESIDENCE_TYPE value=residence_type/></Field>
                    <Field name="ethnicity" zh="民族" en="Ethnicity"><CodeSelect name="ethnicity" table=codes::ETHNICITY value=ethnicity/></Field>
                    <Field name="blood_abo" zh="血型" en="Blood type"><CodeSelect name="blood_abo" table=codes::BLOOD_ABO value=blood_abo/></Field>
                    <Field name="marital" zh="婚姻状况" en="Marital status"><CodeSelect name="marital" table=codes::MARITAL value=marital/></Field>
                </div>
                <Field name="education" zh="文化程度" en="Education"><CodeSelect name="education" table=codes::EDUCATION value=education/></Field>
                <Field name="occupation" zh="职业" en="Occupation"><CodeSelect name="occupation" table=codes::OCCUPATION value=occupation/></Field>
                <Field name="payment" zh="医疗费用支付方式" en="Payment"><CodeChecks name="payment" table=codes::PAYMENT values=payment/></Field>
                <Field name="status" zh="档案状态" en="Record status"><CodeSelect name="status" table=codes::RECORD_STATUS value=status/></Field>
                <button class="primary" type="submit" data-testid="save-resident" disabled=move || busy.get()>
                    {t!(zh, "保存", "Save")}
                </button>
            </form>
        </section>
    }
}
