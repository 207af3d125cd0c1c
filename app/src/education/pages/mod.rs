//! Health-education pages: the sessions of the user's villages, one session with its photos, and the form.

mod form;

pub use form::EducationNewPage;

use crate::codes::label;
use crate::components::layout::RequireStaff;
use crate::education::{calendar, EducationInput, ARCHIVE, AUDIENCE, FIVE_IN, FORMS};
use crate::i18n::use_zh;
use crate::local::api::on_device;
use crate::local::ShownRecord;
use crate::record::pages::{records, PhotoView, Scope};
use crate::record::{RecordBody, RecordKind};
use crate::sync::badge::SyncNote;
use crate::t;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

fn education(r: &ShownRecord) -> Option<&EducationInput> {
    match &r.stored.record.body {
        RecordBody::Education(e) => Some(e),
        _ => None,
    }
}

fn labels(table: &'static [crate::codes::Choice], codes: &[u8], zh: bool) -> String {
    codes.iter().map(|c| label(table, *c, zh)).collect::<Vec<_>>().join("、")
}

#[component]
pub fn EducationListPage() -> impl IntoView {
    view! { <RequireStaff><EducationList/></RequireStaff> }
}

#[component]
fn EducationList() -> impl IntoView {
    let zh = use_zh();
    let device = on_device(&expect_context::<crate::auth::SessionUser>());
    let rows = records(Memo::new(|_| Some(Scope::Kind(RecordKind::Education))));
    view! {
        <section class="card">
            <h1>{t!(zh, "健康教育活动", "Health-education sessions")}</h1>
            // Rendered on both sides (hidden for staff who work online), so the server's markup and the
            // browser's agree node for node.
            <div class="actions" class:hidden=!device>
                <A href="/education/new" attr:class="button primary" attr:data-testid="new-education">{t!(zh, "记录活动", "Record a session")}</A>
            </div>
        <Transition fallback=move || view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }>
            {move || match rows() {
                None => view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error">{move || e.message(zh.get())}</p> }.into_any(),
                Some(Ok(rows)) if rows.is_empty() => view! { <p class="muted" data-testid="no-sessions">{t!(zh, "暂无活动记录", "No sessions yet")}</p> }.into_any(),
                Some(Ok(rows)) => view! {
                    <ul class="visit-list" data-testid="education-list">
                        {rows.into_iter().filter_map(|r| {
                            let e = education(&r)?.clone();
                            let id = r.stored.record.record_id;
                            let photos = r.stored.attachments.len();
                            let forms = e.forms.clone();
                            Some(view! {
                                <li>
                                    <A href=format!("/education/{id}") attr:class="row-link">
                                        <div class="row-main">
                                            <strong>{r.stored.record.date.to_string()}</strong>
                                            <span>{e.theme.clone()}</span>
                                        </div>
                                        // One text per element: an empty text node does not survive SSR, and
                                        // hydration then finds the wrong node.
                                        <div class="row-sub">{move || {
                                            let z = zh.get();
                                            let mut s = labels(FORMS, &forms, z);
                                            if let Some(n) = e.audience_count {
                                                s.push_str(&if z { format!(" · {n}人") } else { format!(" · {n} people") });
                                            }
                                            if photos > 0 {
                                                s.push_str(&if z { format!(" · 照片{photos}张") } else { format!(" · {photos} photos") });
                                            }
                                            s
                                        }}</div>
                                        <div class="row-sub muted">{r.stored.author_name.clone()}</div>
                                    </A>
                                    <SyncNote mark=r.mark.clone()/>
                                </li>
                            })
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </Transition>
        </section>
    }
}

#[component]
pub fn EducationDetailPage() -> impl IntoView {
    view! { <RequireStaff><EducationDetail/></RequireStaff> }
}

#[component]
fn EducationDetail() -> impl IntoView {
    let zh = use_zh();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok())));
    let one = records(Memo::new(move |_| id.get().map(Scope::One)));
    view! {
        <Transition fallback=move || view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }>
            {move || match one().map(|r| r.and_then(|v| v.into_iter().next().ok_or(crate::error::AppError::NotFound))) {
                None => view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error">{move || e.message(zh.get())}</p> }.into_any(),
                Some(Ok(r)) => {
                    let Some(e) = education(&r).cloned() else {
                        return view! { <p class="form-error">{t!(zh, "不是健康教育记录", "Not a health-education record")}</p> }.into_any();
                    };
                    view! { <SessionCard r=r.clone() e/> }.into_any()
                }
            }}
        </Transition>
    }
}

#[component]
fn SessionCard(r: ShownRecord, e: EducationInput) -> impl IntoView {
    let zh = use_zh();
    let row = move |zh_l: &'static str, en_l: &'static str, value: String| {
        view! { <div class="kv"><dt>{move || if zh.get() { zh_l } else { en_l }}</dt><dd>{value}</dd></div> }
    };
    let coded = move |table: &'static [crate::codes::Choice], codes: Vec<u8>| move || labels(table, &codes, zh.get());
    let health_day = e.health_day.as_deref().and_then(calendar::by_code).map(|h| h.zh).unwrap_or("");
    let materials = e.materials.iter().map(|m| format!("{} × {}", m.kind, m.count)).collect::<Vec<_>>().join("；");
    let five_in = e.five_in;
    view! {
        <section class="card" data-testid="education-detail">
            <SyncNote mark=r.mark.clone()/>
            <h1 data-testid="session-theme">{e.theme.clone()}</h1>
            <p class="muted">{format!("{} {}–{} · {}", r.stored.record.date, e.start_time, e.end_time, e.place)}</p>
            <dl>
                <div class="kv"><dt>{t!(zh, "活动形式", "Forms")}</dt><dd>{coded(FORMS, e.forms.clone())}</dd></div>
                {(!health_day.is_empty()).then(|| row("健康日", "Health day", health_day.to_string()))}
                <div class="kv"><dt>{t!(zh, "五进", "Setting")}</dt><dd>{move || five_in.map(|c| label(FIVE_IN, c, zh.get())).unwrap_or_default()}</dd></div>
                {row("组织者", "Organizer", e.organizer.clone())}
                <div class="kv"><dt>{t!(zh, "对象", "Audience")}</dt><dd>{coded(AUDIENCE, e.audience.clone())}</dd></div>
                {row("人数", "People", e.audience_count.map(|n| n.to_string()).unwrap_or_else(|| "—".into()))}
                {(!materials.is_empty()).then(|| row("发放资料", "Materials", materials.clone()))}
                {row("活动内容", "Content", e.content.clone())}
                {(!e.evaluation.is_empty()).then(|| row("活动评价", "Evaluation", e.evaluation.clone()))}
                {(!e.participants.is_empty()).then(|| {
                    // Names from the phone's copy of the village; staff online see how many were linked.
                    let ids = e.participants.clone();
                    let names = crate::local::api::read(|d| {
                        let n = d.names();
                        ids.iter().filter_map(|id| n.get(id).map(|s| s.to_string())).collect::<Vec<_>>().join("、")
                    })
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| format!("{} 人", ids.len()));
                    view! { <div class="kv" data-testid="participants"><dt>{t!(zh, "关联居民", "Linked residents")}</dt><dd>{names}</dd></div> }
                })}
                <div class="kv"><dt>{t!(zh, "存档材料", "Archive")}</dt><dd>{coded(ARCHIVE, e.archive.clone())}</dd></div>
                {row("记录人", "Recorded by", format!("{} {}", r.stored.author_name, r.stored.recorded_at))}
            </dl>
            <h2>{t!(zh, "照片", "Photos")}</h2>
            <div class="photos" data-testid="photos">
                {r.stored.attachments.iter().cloned().map(|meta| view! { <PhotoView meta/> }).collect_view()}
            </div>
            {r.stored.attachments.is_empty().then(|| view! { <p class="muted">{t!(zh, "无照片", "No photos")}</p> })}
        </section>
    }
}
