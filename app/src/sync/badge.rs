//! What the doctor sees of sync: the badge in the top bar (pending count, offline, errors), the state of each
//! record (待同步 / 已退回 and why), and the sync page (`/sync`) with storage use, "sync now" and the outbox
//! entries to correct or discard.

use crate::components::layout::RequireStaff;
use crate::i18n::use_zh;
use crate::local::api::{discard, read, sync_now, use_local};
use crate::local::SyncMark;
use crate::sync::core::EntryState;
use crate::sync::EntryBody;
use crate::t;
use leptos::prelude::*;
use leptos_router::components::A;

/// The top bar's badge; links to the sync page.
#[component]
pub fn SyncBadge() -> impl IntoView {
    let zh = use_zh();
    let st = use_local().status;
    let text = move || {
        let s = st.get();
        let z = zh.get();
        if !s.loaded {
            return String::new();
        }
        if s.store_error.is_some() {
            return if z { "存储出错".into() } else { "Storage error".into() };
        }
        if s.rejected > 0 {
            return if z { format!("{} 条被退回", s.rejected) } else { format!("{} rejected", s.rejected) };
        }
        match (s.syncing, s.pending, s.online) {
            (true, _, _) => (if z { "同步中…" } else { "Syncing…" }).into(),
            (false, 0, true) => (if z { "已同步" } else { "Synced" }).into(),
            (false, 0, false) => (if z { "离线" } else { "Offline" }).into(),
            (false, n, true) => {
                if z {
                    format!("{n} 条待同步")
                } else {
                    format!("{n} to sync")
                }
            }
            (false, n, false) => {
                if z {
                    format!("离线 · {n} 条待同步")
                } else {
                    format!("Offline · {n} to sync")
                }
            }
        }
    };
    let class = move || {
        let s = st.get();
        if s.store_error.is_some() || s.rejected > 0 || s.error.is_some() {
            "sync-badge bad"
        } else if s.pending > 0 || !s.online {
            "sync-badge pending"
        } else {
            "sync-badge ok"
        }
    };
    view! {
        <Show when=move || st.with(|s| s.loaded)>
            <A href="/sync" attr:class=class attr:data-testid="sync-badge" attr:data-pending=move || st.with(|s| s.pending)>
                {text}
            </A>
        </Show>
    }
}

/// A record's state beside it: nothing when synced.
#[component]
pub fn SyncNote(mark: SyncMark) -> impl IntoView {
    let zh = use_zh();
    match mark {
        SyncMark::Synced => ().into_any(),
        SyncMark::Pending => view! {
            <span class="sync-note pending" data-testid="sync-pending">{t!(zh, "待同步", "Not yet synced")}</span>
        }
        .into_any(),
        SyncMark::Rejected(e) => view! {
            <span class="sync-note bad" data-testid="sync-rejected">
                {move || if zh.get() { format!("被退回：{}", e.message(true)) } else { format!("Rejected: {}", e.message(false)) }}
            </span>
        }
        .into_any(),
    }
}

fn megabytes(b: f64) -> String {
    format!("{:.1} MB", b / 1_048_576.0)
}

#[component]
pub fn SyncPage() -> impl IntoView {
    view! { <RequireStaff><SyncPanel/></RequireStaff> }
}

#[component]
fn SyncPanel() -> impl IntoView {
    let zh = use_zh();
    let st = use_local().status;
    let counts = move || read(|d| (d.resident_count(), d.visit_count()));
    let entries = move || {
        read(|d| {
            let names = d.names();
            d.outbox_items()
                .iter()
                .map(|e| {
                    let body = &e.item.entry.body;
                    let what = match body {
                        EntryBody::Resident(_) => ("健康档案", "Health record"),
                        EntryBody::ChronicVisit(v) => (v.disease.kind().label(true), v.disease.kind().label(false)),
                        EntryBody::Record(r) => (r.kind().label(true), r.kind().label(false)),
                        EntryBody::Attachment(_) => ("照片", "Photo"),
                    };
                    // Where the doctor opens the entry to correct it.
                    let link = match (body, body.resident_id()) {
                        (_, Some(r)) => format!("/residents/{r}"),
                        (EntryBody::Record(r), None) => format!("/education/{}", r.record_id),
                        (EntryBody::Attachment(a), None) => format!("/education/{}", a.record_id),
                        _ => "/residents".to_string(),
                    };
                    let name =
                        body.resident_id().and_then(|r| names.get(&r)).map(|n| n.to_string()).unwrap_or_default();
                    (e.item.entry.id, what, link, name, e.item.state.clone())
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    };
    view! {
        <section class="card">
            <h1>{t!(zh, "数据同步", "Sync")}</h1>
            <dl>
                <div class="kv">
                    <dt>{t!(zh, "网络", "Network")}</dt>
                    <dd data-testid="online">{move || match (st.with(|s| s.online), zh.get()) {
                        (true, true) => "在线", (true, false) => "Online", (false, true) => "离线", (false, false) => "Offline",
                    }}</dd>
                </div>
                <div class="kv">
                    <dt>{t!(zh, "上次同步", "Last sync")}</dt>
                    <dd data-testid="last-sync">{move || st.with(|s| s.last_sync.clone()).unwrap_or_else(|| "—".into())}</dd>
                </div>
                <div class="kv">
                    <dt>{t!(zh, "待同步", "Waiting to sync")}</dt>
                    <dd data-testid="pending-count">{move || st.with(|s| s.pending)}</dd>
                </div>
                <div class="kv">
                    <dt>{t!(zh, "本机数据", "On this phone")}</dt>
                    <dd>{move || counts().map(|(r, v)| if zh.get() { format!("{r} 份档案，{v} 次随访") } else { format!("{r} records, {v} follow-ups") })}</dd>
                </div>
                <div class="kv">
                    <dt>{t!(zh, "存储空间", "Storage")}</dt>
                    <dd data-testid="storage">{move || {
                        let s = st.get();
                        let z = zh.get();
                        let used = s.usage.map(|(u, q)| if z { format!("已用 {} / 可用 {}", megabytes(u), megabytes(q)) } else { format!("{} used of {}", megabytes(u), megabytes(q)) });
                        let kept = match (s.persisted, z) {
                            (Some(true), true) => "已申请持久保存",
                            (Some(true), false) => "kept persistently",
                            (_, true) => "浏览器可能在空间不足时清理",
                            (_, false) => "the browser may evict it when space runs low",
                        };
                        format!("{} · {kept}", used.unwrap_or_else(|| "—".into()))
                    }}</dd>
                </div>
            </dl>
            {move || st.with(|s| s.store_error.clone()).map(|e| view! { <p class="form-error" data-testid="store-error">{e}</p> })}
            {move || st.with(|s| s.error.clone()).map(|e| view! { <p class="form-error">{move || e.message(zh.get())}</p> })}
            <button type="button" class="button primary" data-testid="sync-now" on:click=move |_| sync_now()
                disabled=move || st.with(|s| s.syncing)>
                {t!(zh, "立即同步", "Sync now")}
            </button>
        </section>
        <h2>{t!(zh, "未同步的记录", "Entries not yet synced")}</h2>
        <ul class="visit-list" data-testid="outbox">
            {move || {
                let rows = entries();
                if rows.is_empty() {
                    return view! { <li class="muted">{t!(zh, "全部已同步", "Everything is synced")}</li> }.into_any();
                }
                rows.into_iter()
                    .map(|(id, what, link, name, state)| {
                        let rejected = matches!(state, EntryState::Rejected(_));
                        let mark = match state {
                            EntryState::Pending => SyncMark::Pending,
                            EntryState::Rejected(e) => SyncMark::Rejected(e),
                        };
                        view! {
                            <li class:urgent=rejected>
                                <div class="row-main">
                                    <strong>{move || if zh.get() { what.0 } else { what.1 }}</strong>
                                    <span>{name}</span>
                                </div>
                                <SyncNote mark/>
                                <div class="actions">
                                    <A href=link attr:class="button">{t!(zh, "查看并修改", "Open to correct")}</A>
                                    <Show when=move || rejected>
                                        <button type="button" class="button" on:click=move |_| {
                                            let sure = web_sys::window()
                                                .and_then(|w| w.confirm_with_message("放弃这条记录？放弃后无法恢复。").ok())
                                                .unwrap_or(false);
                                            if sure {
                                                discard(id);
                                            }
                                        }>{t!(zh, "放弃", "Discard")}</button>
                                    </Show>
                                </div>
                            </li>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </ul>
    }
}
