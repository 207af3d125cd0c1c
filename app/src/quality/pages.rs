//! The data-quality screen (`/quality?period=…`): counts and lists of flagged follow-ups, and the month's
//! verification calls with their outcomes.

use super::api::{draw_sample, quality_report, record_call};
use super::{CallOutcome, FlagKind, Verification};
use crate::components::layout::RequireStaff;
use crate::i18n::use_zh;
use crate::t;
use chrono::Datelike;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};

/// Flags listed per kind before "and N more".
const SHOWN: usize = 50;

#[component]
pub fn QualityPage() -> impl IntoView {
    view! { <RequireStaff><Quality/></RequireStaff> }
}

#[component]
fn Quality() -> impl IntoView {
    let zh = use_zh();
    let query = use_query_map();
    let today = crate::device::today();
    let this_month = format!("{}-{:02}", today.year(), today.month());
    let period = Memo::new(move |_| query.read().get("period").filter(|s| !s.is_empty()).unwrap_or(this_month.clone()));
    let report = LocalResource::new(move || quality_report(None, period.get()));
    let navigate = StoredValue::new(use_navigate());
    let message = RwSignal::new(None::<String>);
    let size = RwSignal::new(10u32);
    view! {
        <section class="list-page quality">
            <div class="list-head">
                <h1>{t!(zh, "数据质量核查", "Data quality")}</h1>
                <a class="button secondary" rel="external" download data-testid="quality-export"
                    href=move || format!("/api/export/quality.xlsx?period={}", period.get())>
                    {t!(zh, "导出Excel", "Export (xlsx)")}</a>
                <a class="button secondary" rel="external" download
                    href=move || format!("/api/export/sample.csv?period={}", period.get())>
                    {t!(zh, "抽查名单CSV", "Call list (CSV)")}</a>
            </div>
            <form class="filters" on:submit=|ev| ev.prevent_default()>
                <label>{t!(zh, "月份", "Month")}
                    <input type="month" name="month" prop:value=move || period.get() on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if !v.is_empty() { navigate.with_value(|n| n(&format!("/quality?period={v}"), Default::default())); }
                    }/>
                </label>
            </form>
            {move || match report.get() {
                None => view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error" role="alert">{move || e.message(zh.get())}</p> }.into_any(),
                Some(Ok(r)) => {
                    let checked = r.checked;
                    view! {
                        <p class="muted">{move || if zh.get() { format!("{} · {} · 已核查面访随访 {} 次", r.org_name, r.period, checked) } else { format!("{} · {} · {} seen follow-ups checked", r.org_name, r.period, checked) }}</p>
                        {FlagKind::ALL.into_iter().map(|k| {
                            let list: Vec<_> = r.flags.iter().filter(|f| f.kind == k).cloned().collect();
                            let n = list.len();
                            view! {
                                <section class="card" data-testid=format!("flags-{}", serde_json::to_value(k).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default())>
                                    <h2>{move || k.label(zh.get())}{format!(" ({n})")}</h2>
                                    <ul class="plain-list">
                                        {list.into_iter().take(SHOWN).map(|f| view! {
                                            <li>
                                                <a href=format!("/review?author={}&state=all&from={}&to={}", f.author_id, f.date, f.date)>
                                                    {format!("{} {} · {} · {}", f.date, f.resident_name, f.village_name, f.author_name)}
                                                </a>
                                                {(!f.detail.is_empty()).then(|| format!(" — {}", f.detail))}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                    {(n > SHOWN).then(|| view! { <p class="hint">{move || if zh.get() { format!("另有 {} 条", n - SHOWN) } else { format!("and {} more", n - SHOWN) }}</p> })}
                                </section>
                            }
                        }).collect_view()}
                        <section class="card" data-testid="verification">
                            <h2>{t!(zh, "电话抽查回访", "Verification calls")}</h2>
                            <p class="hint">{t!(zh, "从本月有电话号码的面访随访中随机抽取，致电居民核实随访是否真实发生。", "Drawn at random among this month's seen visits of residents with a phone; call them to confirm the visit happened.")}</p>
                            <div class="actions">
                                <label>{t!(zh, "抽取数量", "How many")}
                                    <input type="number" name="size" min="1" max="100" prop:value=move || size.get().to_string()
                                        on:input=move |ev| size.set(event_target_value(&ev).parse().unwrap_or(10))/>
                                </label>
                                <button type="button" class="button" data-testid="draw-sample" on:click=move |_| {
                                    spawn_local(async move {
                                        match draw_sample(None, period.get_untracked(), size.get_untracked()).await {
                                            Ok(n) => { message.set(Some(format!("+{n}"))); report.refetch(); }
                                            Err(e) => message.set(Some(e.message(zh.get_untracked()))),
                                        }
                                    });
                                }>{t!(zh, "抽取样本", "Draw a sample")}</button>
                            </div>
                            {move || message.get().map(|m| view! { <p class="hint" role="status">{m}</p> })}
                            <ul class="visit-list" data-testid="sample">
                                {r.sample.into_iter().map(|v| view! { <Call v=v on_done=move || report.refetch()/> }).collect_view()}
                            </ul>
                        </section>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// One drawn visit: whom to call, and the outcome buttons.
#[component]
fn Call(v: Verification, on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let zh = use_zh();
    let note = RwSignal::new(v.note.clone());
    let id = v.id;
    let kind = v.kind.clone();
    view! {
        <li data-testid="sample-item" data-outcome=v.outcome.map(|o| o.code()).unwrap_or("")>
            <div class="row-main">
                <strong>{v.resident_name.clone()}</strong>
                <a href=format!("tel:{}", v.phone)>{v.phone.clone()}</a>
            </div>
            <div class="row-sub">{move || format!("{} · {} · {} · {}", v.date, crate::review::kind_label(&kind, zh.get()), v.village_name, v.author_name)}</div>
            <input type="text" name="note" maxlength="200" placeholder=move || if zh.get() { "备注" } else { "Note" }
                prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
            <div class="actions">
                {CallOutcome::ALL.into_iter().map(|o| {
                    let current = v.outcome == Some(o);
                    view! {
                        <button type="button" class=if current { "chip on" } else { "chip" } data-testid=format!("call-{}", o.code())
                            on:click=move |_| {
                                spawn_local(async move {
                                    if record_call(id, o, note.get_untracked()).await.is_ok() {
                                        on_done();
                                    }
                                });
                            }>{move || o.label(zh.get())}</button>
                    }
                }).collect_view()}
            </div>
        </li>
    }
}
