//! The health-education activity form (健康教育活动记录表): defaults for a village session, themes offered
//! from the health-day calendar around the date, materials as a list, and photos taken with the camera,
//! compressed on the phone and saved with the record in the outbox.

use crate::components::fields::{provide_form_errors, CodeChecks, CodeSelect, Field, FormError, Input, TextField};
use crate::components::layout::RequireStaff;
use crate::device::{new_id, today};
use crate::education::{
    calendar, EducationInput, Material, PhotoRef, ARCHIVE, AUDIENCE, FIVE_IN, FIVE_IN_VILLAGE, FORMS, FORM_LECTURE,
};
use crate::error::{AppError, FieldError};
use crate::i18n::use_zh;
use crate::record::attachment::{decoded_len, human_size, AttachmentInput, PHOTO_KINDS};
use crate::record::pages::{save_photo, save_record};
use crate::record::{RecordBody, RecordInput};
use crate::t;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn EducationNewPage() -> impl IntoView {
    view! { <RequireStaff><EducationForm/></RequireStaff> }
}

/// A photo taken for the session, waiting to be saved with it.
#[derive(Debug, Clone, PartialEq)]
struct Taken {
    id: uuid::Uuid,
    kind: u8,
    mime: String,
    data: String,
}

#[component]
fn EducationForm() -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let navigate = use_navigate();
    let user = expect_context::<crate::auth::SessionUser>();
    let villages = user.villages.clone();
    let village = RwSignal::new(villages.first().map(|v| v.id.clone()).unwrap_or_default());
    let date = RwSignal::new(today().to_string());
    let start_time = RwSignal::new("09:00".to_string());
    let end_time = RwSignal::new("10:00".to_string());
    let place =
        RwSignal::new(format!("{}村卫生室", villages.first().map(|v| v.name.trim_end_matches('村')).unwrap_or("")));
    let forms = RwSignal::new(vec![FORM_LECTURE]);
    let theme = RwSignal::new(String::new());
    let health_day = RwSignal::new(None::<String>);
    let organizer = RwSignal::new(user.display_name.clone());
    let audience = RwSignal::new(vec![7]);
    let audience_count = RwSignal::new(String::new());
    let materials = RwSignal::new(Vec::<Material>::new());
    let material_kind = RwSignal::new(String::new());
    let material_count = RwSignal::new(String::new());
    let content = RwSignal::new(String::new());
    let evaluation = RwSignal::new(String::new());
    let five_in = RwSignal::new(Some(FIVE_IN_VILLAGE));
    let archive = RwSignal::new(vec![2, 5]);
    let photo_kind = RwSignal::new(Some(3u8));
    let photos = RwSignal::new(Vec::<Taken>::new());
    let photo_note = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let participants = RwSignal::new(Vec::<(uuid::Uuid, String)>::new());
    let who = RwSignal::new(String::new());
    let me = StoredValue::new(user.clone());
    // Residents of the session's village matching what is typed, from the phone's copy of the village.
    let matches = move || {
        let q = who.get();
        if q.trim().is_empty() {
            return vec![];
        }
        let query = crate::resident::ResidentQuery { q, flag: None, village_id: Some(village.get()), page: 0 };
        let chosen = participants.get();
        crate::local::api::read(|d| {
            d.list(&query, &me.read_value(), today())
                .rows
                .into_iter()
                .filter(|r| !chosen.iter().any(|(id, _)| *id == r.id))
                .take(6)
                .map(|r| (r.id, r.name))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    };

    let days = Memo::new(move |_| date.get().parse().map(|d| calendar::near(d, 15)).unwrap_or_default());

    let add_material = move |_| {
        let kind = material_kind.get_untracked().trim().to_string();
        let count = material_count.get_untracked().trim().parse::<u32>().unwrap_or(0);
        if !kind.is_empty() && count > 0 {
            materials.update(|m| m.push(Material { kind, count }));
            material_kind.set(String::new());
            material_count.set(String::new());
        }
    };

    let on_files = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            let input: web_sys::HtmlInputElement = event_target(&ev);
            let kind = photo_kind.get_untracked().unwrap_or(3);
            if let Some(files) = input.files() {
                for i in 0..files.length() {
                    let Some(file) = files.get(i) else { continue };
                    photo_note.set(Some("正在压缩照片… / Compressing…".into()));
                    leptos::task::spawn_local(async move {
                        match crate::record::photo::compress(file).await {
                            Ok((mime, data)) => {
                                photo_note.set(None);
                                photos.update(|p| p.push(Taken { id: new_id(), kind, mime, data }));
                            }
                            Err(e) => photo_note.set(Some(e)),
                        }
                    });
                }
            }
            input.set_value("");
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };

    let build = move || -> Result<(RecordInput, Vec<AttachmentInput>), AppError> {
        let Ok(day) = date.get().parse::<chrono::NaiveDate>() else {
            return Err(AppError::field("date", "请填写活动日期", "Enter the date"));
        };
        let count = match audience_count.get().trim() {
            "" => None,
            s => Some(s.parse::<u32>().map_err(|_| {
                AppError::validation(vec![FieldError::new("audience_count", "请输入整数", "Enter a whole number")])
            })?),
        };
        let record_id = new_id();
        let vid = village.get();
        let taken = photos.get();
        let e = EducationInput {
            start_time: start_time.get(),
            end_time: end_time.get(),
            place: place.get(),
            forms: forms.get(),
            theme: theme.get(),
            health_day: health_day.get(),
            organizer: organizer.get(),
            audience: audience.get(),
            audience_count: count,
            materials: materials.get(),
            content: content.get(),
            evaluation: evaluation.get(),
            five_in: five_in.get(),
            archive: archive.get(),
            participants: participants.get().into_iter().map(|(id, _)| id).collect(),
            photos: taken.iter().map(|p| PhotoRef { id: p.id, kind: p.kind }).collect(),
        };
        let record = RecordInput {
            id: new_id(),
            record_id,
            village_id: vid.clone(),
            resident_id: None,
            date: day,
            body: RecordBody::Education(Box::new(e)),
            signature: None,
        };
        let attachments = taken
            .into_iter()
            .map(|p| AttachmentInput {
                id: p.id,
                record_id,
                village_id: vid.clone(),
                kind: p.kind,
                mime: p.mime,
                data: p.data,
            })
            .collect();
        Ok((record, attachments))
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (record, attachments) = match build() {
            Ok(x) => x,
            Err(e) => return errors.set(Some(e)),
        };
        let record_id = record.record_id;
        // Photos are checked before anything is saved, so a bad one never leaves a record without it.
        if let Some(e) = attachments.iter().find_map(|a| a.validate().err()) {
            return errors.set(Some(e));
        }
        busy.set(true);
        let saved = save_record(record, None).and_then(|_| attachments.into_iter().try_for_each(save_photo));
        busy.set(false);
        match saved {
            Ok(()) => navigate(&format!("/education/{record_id}"), Default::default()),
            Err(e) => errors.set(Some(e)),
        }
    };

    view! {
        <section class="card">
            <h1>{t!(zh, "健康教育活动记录", "Health-education session")}</h1>
            <form on:submit=submit novalidate>
                <FormError/>
                {(villages.len() > 1).then(|| view! {
                    <Field name="village_id" zh="村" en="Village">
                        <select name="village_id" on:change=move |ev| village.set(event_target_value(&ev))>
                            {villages.iter().map(|v| { let id = v.id.clone(); let id2 = id.clone(); view! {
                                <option value=id selected=move || village.get() == id2>{v.name.clone()}</option>
                            }}).collect_view()}
                        </select>
                    </Field>
                })}
                <div class="grid2">
                    <TextField name="date" zh="活动日期" en="Date" value=date kind="date"/>
                    <Field name="five_in" zh="五进" en="Setting"><CodeSelect name="five_in" table=FIVE_IN value=five_in/></Field>
                    <TextField name="start_time" zh="开始时间" en="Start" value=start_time kind="time"/>
                    <TextField name="end_time" zh="结束时间" en="End" value=end_time kind="time"/>
                </div>
                <TextField name="place" zh="活动地点" en="Place" value=place/>
                <Field name="forms" zh="活动形式" en="Forms"><CodeChecks name="forms" table=FORMS values=forms/></Field>
                <Field name="theme" zh="活动主题" en="Theme">
                    <input type="text" name="theme" id="theme" prop:value=move || theme.get()
                        on:input=move |ev| { theme.set(event_target_value(&ev)); health_day.set(None); }/>
                    <div class="chips" data-testid="health-days">
                        {move || days.get().into_iter().map(|h| view! {
                            <button type="button" class="chip" class:on=move || health_day.get().as_deref() == Some(h.code)
                                on:click=move |_| { theme.set(h.zh.to_string()); health_day.set(Some(h.code.to_string())); }>
                                {move || h.label(zh.get())}
                            </button>
                        }).collect_view()}
                    </div>
                </Field>
                <TextField name="organizer" zh="组织者" en="Organizer" value=organizer/>
                <Field name="audience" zh="接受健康教育人员类别" en="Audience"><CodeChecks name="audience" table=AUDIENCE values=audience/></Field>
                <TextField name="audience_count" zh="接受健康教育人数" en="People reached" value=audience_count kind="number" inputmode="numeric"/>
                <Field name="participants" zh="关联参加居民（可选）" en="Link participants (optional)">
                    <div class="chips" data-testid="participants">
                        {move || participants.get().into_iter().map(|(id, name)| view! {
                            <button type="button" class="chip on" on:click=move |_| participants.update(|p| p.retain(|x| x.0 != id))>{format!("{name} ×")}</button>
                        }).collect_view()}
                    </div>
                    <input type="search" name="participant_search" aria-label="查找居民"
                        placeholder=move || if zh.get() { "输入姓名或身份证号查找" } else { "Name or ID number" }
                        prop:value=move || who.get() on:input=move |ev| who.set(event_target_value(&ev))/>
                    <div class="chips">
                        {move || matches().into_iter().map(|(id, name)| {
                            let label = name.clone();
                            view! {
                                <button type="button" class="chip" data-testid="participant-option"
                                    on:click=move |_| { participants.update(|p| p.push((id, name.clone()))); who.set(String::new()); }>
                                    {label}
                                </button>
                            }
                        }).collect_view()}
                    </div>
                </Field>
                <Field name="materials" zh="发放资料（种类 / 数量）" en="Materials handed out (kind / count)">
                    <ul class="plain-list">
                        {move || materials.get().into_iter().enumerate().map(|(i, m)| view! {
                            <li>{format!("{} × {}", m.kind, m.count)}
                                <button type="button" class="link" on:click=move |_| materials.update(|v| { v.remove(i); })>{t!(zh, "删除", "Remove")}</button>
                            </li>
                        }).collect_view()}
                    </ul>
                    <div class="grid2">
                        <Input name="material_kind" value=material_kind placeholder="如：高血压防治折页"/>
                        <Input name="material_count" value=material_count kind="number" inputmode="numeric" placeholder="数量"/>
                    </div>
                    <button type="button" class="button" on:click=add_material>{t!(zh, "添加资料", "Add material")}</button>
                </Field>
                <Field name="content" zh="活动内容" en="Content">
                    <textarea name="content" rows="3" prop:value=move || content.get() on:input=move |ev| content.set(event_target_value(&ev))></textarea>
                </Field>
                <Field name="evaluation" zh="活动总结评价" en="Evaluation">
                    <textarea name="evaluation" rows="2" prop:value=move || evaluation.get() on:input=move |ev| evaluation.set(event_target_value(&ev))></textarea>
                </Field>
                <Field name="archive" zh="存档材料" en="Archive kept"><CodeChecks name="archive" table=ARCHIVE values=archive/></Field>
                <Field name="photos" zh="照片（签到表、横幅、互动场景）" en="Photos (sign-in sheet, banner, interaction)">
                    <div class="grid2">
                        <CodeSelect name="photo_kind" table=PHOTO_KINDS value=photo_kind/>
                        <label class="button file">
                            {t!(zh, "拍照 / 选择照片", "Take or choose photos")}
                            <input type="file" name="photo" accept="image/*" capture="environment" multiple data-testid="photo-input" on:change=on_files/>
                        </label>
                    </div>
                    <p class="hint">{move || photo_note.get()}</p>
                    <div class="photos" data-testid="taken-photos">
                        {move || photos.get().into_iter().map(|p| {
                            let id = p.id;
                            let size = decoded_len(&p.data).map(human_size).unwrap_or_default();
                            view! {
                                <figure class="photo">
                                    <img src=format!("data:{};base64,{}", p.mime, p.data) alt="照片"/>
                                    <figcaption>
                                        {move || crate::codes::label(PHOTO_KINDS, p.kind, zh.get())} " · " {size}
                                        <button type="button" class="link" on:click=move |_| photos.update(|v| v.retain(|x| x.id != id))>{t!(zh, "删除", "Remove")}</button>
                                    </figcaption>
                                </figure>
                            }
                        }).collect_view()}
                    </div>
                </Field>
                <button class="primary" type="submit" data-testid="save-education" disabled=move || busy.get()>
                    {t!(zh, "保存活动", "Save session")}
                </button>
            </form>
        </section>
    }
}
