//! The review screens: the township's queue (`/review`, filters kept in the address so a dashboard can link
//! to one doctor's entries) with the entry opened in place, and the doctor's returned entries on Today.

use super::api::{review_entry, review_queue, review_set};
use super::{kind_label, ReviewFilter, ReviewItem, ReviewState, Verdict};
use crate::auth::Role;
use crate::components::layout::RequireStaff;
use crate::i18n::use_zh;
use crate::t;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

/// Kinds a reviewer filters by: the chronic follow-ups, then the service records.
fn kinds() -> Vec<String> {
    let mut v: Vec<String> = ["htn", "dm"].map(String::from).to_vec();
    v.extend(crate::record::RecordKind::ALL.iter().map(|k| k.code().to_string()));
    v
}

/// The filter in the page's address (`/review?village=…&author=…&kind=…&state=…&from=…&to=…`).
fn filter_of(q: &leptos_router::params::ParamsMap) -> ReviewFilter {
    let text = |k: &str| q.get(k).filter(|s| !s.is_empty());
    let date = |k: &str| text(k).and_then(|s| s.parse().ok());
    ReviewFilter {
        village_id: text("village"),
        author_id: text("author"),
        kind: text("kind"),
        state: match text("state").as_deref() {
            Some("all") => None,
            Some(s) => ReviewState::from_code(s),
            None => Some(ReviewState::Pending),
        },
        from: date("from"),
        to: date("to"),
    }
}

fn href_of(f: &ReviewFilter) -> String {
    let mut parts = Vec::new();
    let mut add = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            parts.push(format!("{k}={v}"));
        }
    };
    add("village", f.village_id.clone());
    add("author", f.author_id.clone());
    add("kind", f.kind.clone());
    add("state", Some(f.state.map_or("all", |s| s.code()).to_string()));
    add("from", f.from.map(|d| d.to_string()));
    add("to", f.to.map(|d| d.to_string()));
    format!("/review?{}", parts.join("&"))
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    view! { <RequireStaff><Review/></RequireStaff> }
}

#[component]
fn Review() -> impl IntoView {
    let zh = use_zh();
    let user = StoredValue::new(expect_context::<crate::auth::SessionUser>());
    if !matches!(user.read_value().role, Role::TownshipManager | Role::CountyAdmin) {
        return view! {
            <section class="list-page"><p class="muted">{t!(zh, "记录审核由乡镇卫生院和县级管理员进行。", "Entries are reviewed by township and county staff.")}</p></section>
        }
        .into_any();
    }
    let query = use_query_map();
    let filter = Memo::new(move |_| filter_of(&query.read()));
    let rows = LocalResource::new(move || review_queue(filter.get()));
    let open = RwSignal::new(None::<ReviewItem>);
    let navigate = StoredValue::new(use_navigate());
    let go = move |f: ReviewFilter| {
        open.set(None);
        navigate.with_value(|n| n(&href_of(&f), Default::default()));
    };
    let set_field = move |name: &'static str, value: String| {
        let mut f = filter.get_untracked();
        let v = (!value.is_empty()).then_some(value);
        match name {
            "village" => f.village_id = v,
            "kind" => f.kind = v,
            "state" => f.state = v.as_deref().and_then(ReviewState::from_code),
            "from" => f.from = v.and_then(|s| s.parse().ok()),
            "to" => f.to = v.and_then(|s| s.parse().ok()),
            _ => {}
        }
        go(f);
    };
    let villages = user.read_value().villages.clone();
    view! {
        <section class="list-page review">
            <div class="list-head">
                <h1>{t!(zh, "随访记录审核", "Review of entries")}</h1>
                <A href="/pregnancies" attr:class="button secondary" attr:data-testid="to-pregnancies">{t!(zh, "妊娠风险分级", "Pregnancy risk grades")}</A>
                <a class="button secondary" data-testid="review-export" rel="external" download
                    href=move || format!("/api/export/review.xlsx{}", href_of(&filter.get()).trim_start_matches("/review"))>
                    {t!(zh, "导出Excel", "Export (xlsx)")}
                </a>
            </div>
            <form class="filters" on:submit=|ev| ev.prevent_default()>
                <label>{t!(zh, "村", "Village")}
                    <select name="village" on:change=move |ev| set_field("village", event_target_value(&ev))>
                        <option value="">{t!(zh, "全部", "All")}</option>
                        {villages.into_iter().map(|v| {
                            let id = v.id.clone();
                            view! { <option value=v.id.clone() selected=move || filter.with(|f| f.village_id.as_deref() == Some(id.as_str()))>{v.name.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>{t!(zh, "类别", "Kind")}
                    <select name="kind" on:change=move |ev| set_field("kind", event_target_value(&ev))>
                        <option value="">{t!(zh, "全部", "All")}</option>
                        {kinds().into_iter().map(|k| {
                            let (k2, k3) = (k.clone(), k.clone());
                            view! { <option value=k.clone() selected=move || filter.with(|f| f.kind.as_deref() == Some(k2.as_str()))>{move || kind_label(&k3, zh.get())}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>{t!(zh, "状态", "State")}
                    <select name="state" on:change=move |ev| set_field("state", event_target_value(&ev))>
                        <option value="" selected=move || filter.with(|f| f.state.is_none())>{t!(zh, "全部", "All")}</option>
                        {ReviewState::ALL.into_iter().map(|s| view! {
                            <option value=s.code() selected=move || filter.with(|f| f.state == Some(s))>{move || s.label(zh.get())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>{t!(zh, "从", "From")}
                    <input type="date" name="from" prop:value=move || filter.with(|f| f.from.map(|d| d.to_string()).unwrap_or_default())
                        on:change=move |ev| set_field("from", event_target_value(&ev))/>
                </label>
                <label>{t!(zh, "到", "To")}
                    <input type="date" name="to" prop:value=move || filter.with(|f| f.to.map(|d| d.to_string()).unwrap_or_default())
                        on:change=move |ev| set_field("to", event_target_value(&ev))/>
                </label>
                <Show when=move || filter.with(|f| f.author_id.is_some())>
                    <button type="button" class="chip" on:click=move |_| { let mut f = filter.get_untracked(); f.author_id = None; go(f); }>
                        {t!(zh, "仅此医生 ✕", "This doctor only ✕")}
                    </button>
                </Show>
            </form>
            {move || match rows.get() {
                None => view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error">{move || e.message(zh.get())}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted" data-testid="review-empty">{t!(zh, "没有符合条件的记录", "No entries match")}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="visit-list" data-testid="review-list">
                        {list.into_iter().map(|item| {
                            let it = item.clone();
                            let id = item.entry_id;
                            view! {
                                <li data-testid="review-item" data-state=item.state.code() data-entry=item.entry_id.to_string()>
                                    <button type="button" class="row-button" on:click=move |_| open.set(Some(it.clone()))>
                                        <div class="row-main">
                                            <strong>{item.resident_name.clone()}</strong>
                                            <span>{let k = item.kind.clone(); move || kind_label(&k, zh.get())}</span>
                                            <span class="muted">{item.date.to_string()}</span>
                                        </div>
                                        <div class="row-sub">
                                            {format!("{} · {}", item.village_name, item.author_name)}
                                            " · "
                                            <span class=format!("state state-{}", item.state.code())>{move || item.state.label(zh.get())}</span>
                                            {(!item.signed && item.resident_answer.is_none()).then(|| view! { <span class="flag">{t!(zh, " · 无居民签字", " · not signed")}</span> })}
                                        </div>
                                        {item.resident_answer.map(|a| {
                                            let note = item.resident_note.clone();
                                            view! {
                                                <div class=format!("row-sub answer answer-{}", a.code()) data-testid="resident-answer" data-answer=a.code()>
                                                    {move || a.label(zh.get())}
                                                    {(!note.is_empty()).then(|| format!("：“{note}”"))}
                                                </div>
                                            }
                                        })}
                                        {(!item.comment.is_empty()).then(|| view! { <div class="row-sub muted">{format!("“{}”", item.comment)}</div> })}
                                    </button>
                                    <Show when=move || open.with(|o| o.as_ref().is_some_and(|x| x.entry_id == id))>
                                        {move || open.get().map(|it| view! { <EntryPanel item=it on_done=move || { open.set(None); rows.refetch(); }/> })}
                                    </Show>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
    .into_any()
}

/// An entry opened from the queue: every field, and the verdict.
#[component]
fn EntryPanel(item: ReviewItem, on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let zh = use_zh();
    let (entity, entry) = (item.entity.clone(), item.entry_id);
    let detail = LocalResource::new(move || review_entry(entity.clone(), entry));
    let comment = RwSignal::new(String::new());
    let error = RwSignal::new(None::<crate::error::AppError>);
    let busy = RwSignal::new(false);
    let item = StoredValue::new(item);
    let send = move |verdict: Verdict| {
        busy.set(true);
        let it = item.get_value();
        spawn_local(async move {
            let r = review_set(it.entity.clone(), it.entry_id, it.revision_id, verdict, comment.get_untracked()).await;
            busy.set(false);
            match r {
                Ok(()) => on_done(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <div class="entry-panel card" data-testid="review-entry">
            {move || match detail.get() {
                None => view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error">{move || e.message(zh.get())}</p> }.into_any(),
                Some(Ok(d)) => view! {
                    <dl class="fields">
                        {d.fields.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                    </dl>
                    {d.item.resident_id.map(|r| view! { <A href=format!("/residents/{r}")>{t!(zh, "查看居民档案", "Open the resident's record")}</A> })}
                }.into_any(),
            }}
            <label>{t!(zh, "审核意见（退回时必填）", "Comment (needed to return)")}
                <textarea name="comment" maxlength="500" prop:value=move || comment.get()
                    on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
            </label>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{move || e.message(zh.get())}</p> })}
            <div class="actions">
                <button type="button" class="button" data-testid="review-ok" disabled=move || busy.get() on:click=move |_| send(Verdict::Reviewed)>
                    {t!(zh, "审核通过", "Mark reviewed")}
                </button>
                <button type="button" class="button secondary" data-testid="review-return" disabled=move || busy.get() on:click=move |_| send(Verdict::Returned)>
                    {t!(zh, "退回修改", "Return with comment")}
                </button>
            </div>
        </div>
    }
}

/// The doctor's returned entries on the Today screen (from the phone's data; nothing when there are none).
#[component]
pub fn ReturnedEntries() -> impl IntoView {
    let zh = use_zh();
    let list = Memo::new(move |_| crate::local::api::read(|d| d.returned()).unwrap_or_default());
    view! {
        <Show when=move || list.with(|l| !l.is_empty())>
            <section class="card today-section returned" data-testid="today-returned">
                <h2>{t!(zh, "退回修改", "Returned for correction")}{move || format!(" ({})", list.with(Vec::len))}</h2>
                <ul class="tasks">
                    {move || list.get().into_iter().map(|r| {
                        let (kind, corrected) = (r.kind.clone(), r.corrected);
                        view! {
                            <li class="overdue" data-testid="returned-entry">
                                <A href=r.href.clone()>
                                    <span class="task-who">{r.resident_name.clone()}</span>
                                    <span class="task-what">{move || kind_label(&kind, zh.get())}</span>
                                    <span class="task-when">{r.date.to_string()}</span>
                                    <span class="task-why" data-testid="returned-comment">{format!("{}：{}", r.reviewer, r.comment)}</span>
                                    {corrected.then(|| view! { <span class="muted">{t!(zh, "已更正，待同步", "Corrected, waiting to sync")}</span> })}
                                </A>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}
