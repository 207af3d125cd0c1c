//! `/audit`: the county administrator's search of the audit log — by resident (ID number, record number),
//! by account, by action and by days — newest first, 50 rows a page.

use super::api::audit_log;
use super::{entity_label, Action, AuditPage, AuditQuery, AuditRow};
use crate::auth::Role;
use crate::components::layout::RequireStaff;
use crate::error::AppError;
use crate::i18n::use_zh;
use crate::t;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn AuditPageView() -> impl IntoView {
    view! { <RequireStaff><Audit/></RequireStaff> }
}

fn time_of(at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .map(|t| t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default()
}

#[component]
fn Audit() -> impl IntoView {
    let zh = use_zh();
    if expect_context::<crate::auth::SessionUser>().role != Role::CountyAdmin {
        return view! { <section class="card"><p class="muted">{t!(zh, "审计日志仅县级管理员可查。", "The audit log is for the county administrator.")}</p></section> }.into_any();
    }
    let query = RwSignal::new(AuditQuery::default());
    let rows: RwSignal<Vec<AuditRow>> = RwSignal::new(vec![]);
    let more = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<AppError>> = RwSignal::new(None);
    // `append`: the next page of the same search; otherwise a new search.
    let run = move |append: bool| {
        let mut q = query.get_untracked();
        q.before = if append { rows.with_untracked(|r| r.last().map(|r| r.id)) } else { None };
        busy.set(true);
        spawn_local(async move {
            match audit_log(q).await {
                Ok(AuditPage { rows: page, more: m }) => {
                    error.set(None);
                    rows.update(|r| {
                        if !append {
                            r.clear();
                        }
                        r.extend(page);
                    });
                    more.set(m);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    // The newest rows once the page is in the browser (the server's render would search for nothing).
    Effect::new(move |_| run(false));
    let text = move |set: fn(&mut AuditQuery, String)| {
        move |ev: leptos::ev::Event| query.update(|q| set(q, event_target_value(&ev)))
    };
    view! {
        <section class="list-page audit">
            <h1>{t!(zh, "审计日志", "Audit log")}</h1>
            <p class="hint">{t!(zh, "每一次查看或写入居民档案的记录：谁、何时、做了什么、用哪台设备。", "Every read and write of a resident's record: who, when, what, from which device.")}</p>
            <form class="filters" on:submit=move |ev| { ev.prevent_default(); run(false); }>
                <label for="audit-resident">{t!(zh, "居民（身份证号或档案编号）", "Resident (ID or record number)")}</label>
                <input id="audit-resident" name="resident" data-testid="audit-resident" autocomplete="off"
                    on:input=text(|q, v| q.resident = v)/>
                <label for="audit-user">{t!(zh, "账号", "Account")}</label>
                <input id="audit-user" name="username" data-testid="audit-user" autocomplete="off"
                    on:input=text(|q, v| q.username = v)/>
                <label for="audit-action">{t!(zh, "操作", "Action")}</label>
                <select id="audit-action" name="action" data-testid="audit-action"
                    on:change=text(|q, v| q.action = Action::from_code(&v))>
                    <option value="">{t!(zh, "全部", "All")}</option>
                    {Action::ALL.into_iter().map(|a| view! { <option value=a.code()>{move || a.label(zh.get())}</option> }).collect_view()}
                </select>
                <label for="audit-from">{t!(zh, "从", "From")}</label>
                <input id="audit-from" type="date" name="from" on:change=text(|q, v| q.from = v.parse().ok())/>
                <label for="audit-to">{t!(zh, "到", "To")}</label>
                <input id="audit-to" type="date" name="to" on:change=text(|q, v| q.to = v.parse().ok())/>
                <button type="submit" class="button" data-testid="audit-search" disabled=move || busy.get()>{t!(zh, "查询", "Search")}</button>
            </form>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{move || e.message(zh.get())}</p> })}
            <ul class="visit-list" data-testid="audit-rows">
                {move || rows.get().into_iter().map(|r| {
                    let who = format!("{}（{}）", r.display_name, r.username);
                    let device = if r.device.is_empty() { r.client.clone() } else { r.device.clone() };
                    let whose = r.resident_name.clone().unwrap_or_default();
                    let (action, entity) = (r.action, r.entity.clone());
                    view! {
                        <li data-testid="audit-row" data-action=r.action.code() data-entity=r.entity.clone()>
                            <div class="row-main">
                                <strong>{move || format!("{} · {}", action.label(zh.get()), entity_label(&entity, zh.get()))}</strong>
                                <span>{whose}</span>
                            </div>
                            <div class="row-sub muted">{move || format!("{} · {} · {}", time_of(r.at), who, r.role.label(zh.get()))}</div>
                            <div class="row-sub muted" title=r.client.clone()>
                                {move || format!("{}{}", t!(zh, "设备：", "Device: ")(), device)}
                                {(!r.detail.is_empty()).then(|| format!(" · {}", r.detail))}
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || rows.with(|r| r.is_empty()) && !busy.get()>
                <p class="muted">{t!(zh, "没有符合条件的记录。", "No matching rows.")}</p>
            </Show>
            <Show when=move || more.get()>
                <button type="button" class="button secondary" data-testid="audit-more" on:click=move |_| run(true)>{t!(zh, "更早的记录", "Older rows")}</button>
            </Show>
        </section>
    }
    .into_any()
}
