//! The resident list of a doctor's villages: search by name, ID number or household, filter by key group.

use super::FlagBadges;
use crate::components::layout::RequireStaff;
use crate::i18n::use_zh;
use crate::local::api::{on_device, read};
use crate::resident::api::list_residents;
use crate::resident::{age_on, KeyFlag, ResidentPage, ResidentQuery, ResidentSummary, PAGE_SIZE};
use crate::t;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn ResidentListPage() -> impl IntoView {
    view! { <RequireStaff><ResidentList/></RequireStaff> }
}

#[component]
fn ResidentList() -> impl IntoView {
    let zh = use_zh();
    let q = RwSignal::new(String::new());
    let flag = RwSignal::new(None::<KeyFlag>);
    let page = RwSignal::new(0u32);
    let today = crate::device::today();
    let user = StoredValue::new(expect_context::<crate::auth::SessionUser>());
    let reviewer = crate::sync::conflicts::may_review(user.read_value().role);
    let device = on_device(&user.read_value());
    let query = move || ResidentQuery { q: q.get(), flag: flag.get(), village_id: None, page: page.get() };
    // Township and county staff search the server: their scope can be a whole county.
    // (Only for them: a resource would make every keystroke of a doctor an asynchronous round as well.)
    let server = (!device).then(|| Resource::new(query, list_residents));
    // A village doctor searches the device's copy of the village: no network needed, and a record saved
    // offline is listed at once. A memo, so a keystroke that leaves the page of rows unchanged redraws nothing.
    let local = Memo::new(move |_| {
        read(|d| {
            let started = crate::device::now_ms();
            let page = d.list(&query(), &user.read_value(), today);
            leptos::logging::log!(
                "cunyi: listed {} residents in {:.1} ms",
                page.total,
                crate::device::now_ms() - started
            );
            page
        })
    });

    view! {
        <section class="list-page">
            <div class="list-head">
                <h1>{t!(zh, "居民健康档案", "Residents")}</h1>
                <A href="/residents/new" attr:class="button primary" attr:data-testid="add-resident">
                    {t!(zh, "+ 新建档案", "+ New record")}
                </A>
            </div>
            <Show when=move || reviewer>
                <p><A href="/conflicts" attr:data-testid="conflicts-link">{t!(zh, "查看档案修改冲突", "Review edit conflicts")}</A></p>
            </Show>
            <div class="filters">
                <input
                    type="search"
                    name="q"
                    aria-label="搜索"
                    placeholder=move || if zh.get() { "姓名、身份证号或户主" } else { "Name, ID number or household head" }
                    prop:value=move || q.get()
                    on:input=move |ev| {
                        q.set(event_target_value(&ev));
                        page.set(0);
                    }
                />
                <select
                    name="flag"
                    aria-label="重点人群"
                    on:change=move |ev| {
                        flag.set(KeyFlag::from_code(&event_target_value(&ev)));
                        page.set(0);
                    }
                >
                    <option value="">{t!(zh, "全部人群", "Everyone")}</option>
                    {KeyFlag::ALL
                        .into_iter()
                        .map(|f| view! { <option value=f.code()>{move || f.label(zh.get())}</option> })
                        .collect_view()}
                </select>
            </div>
            {match server {
                None => {
                    view! {
                        <Show
                            when=move || local.with(Option::is_some)
                            fallback=move || view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }
                        >
                            <Listing listing=Signal::derive(move || local.get().unwrap_or_default()) page today/>
                        </Show>
                    }
                        .into_any()
                }
                Some(server) => {
                    view! {
                        <Transition fallback=move || view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }>
                            {move || match server.get() {
                                None => view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }.into_any(),
                                Some(Err(e)) => view! { <p class="form-error">{move || e.message(zh.get())}</p> }.into_any(),
                                Some(Ok(p)) => view! { <Listing listing=Signal::stored(p) page today/> }.into_any(),
                            }}
                        </Transition>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// A page of the list with its count and pager. Rows are keyed by their content: a row still on the page
/// after a keystroke keeps its DOM, only rows that came or went are drawn or removed.
#[component]
fn Listing(listing: Signal<ResidentPage>, page: RwSignal<u32>, today: chrono::NaiveDate) -> impl IntoView {
    let zh = use_zh();
    let total = move || listing.with(|p| p.total);
    let pages = move || (total() as u32).div_ceil(PAGE_SIZE);
    // Outside `view!`: a `>` inside an attribute's closure ends the tag there.
    let is_last = move || page.get() + 1 >= pages();
    view! {
        <p class="muted" data-testid="total">
            {move || if zh.get() { format!("共 {} 人", total()) } else { format!("{} residents", total()) }}
        </p>
        <ul class="resident-list">
            <For each=move || listing.with(|p| p.rows.clone()) key=|r| r.clone() let(r)>
                <ResidentRow r today/>
            </For>
        </ul>
        <nav class="pager">
            <button
                type="button"
                disabled=move || page.get() == 0
                on:click=move |_| page.update(|p| *p = p.saturating_sub(1))
            >
                {t!(zh, "上一页", "Previous")}
            </button>
            <span>{move || format!("{} / {}", page.get() + 1, pages().max(1))}</span>
            <button
                type="button"
                disabled=is_last
                on:click=move |_| page.update(|p| *p += 1)
            >
                {t!(zh, "下一页", "Next")}
            </button>
        </nav>
    }
}

/// One resident of the list.
#[component]
fn ResidentRow(r: ResidentSummary, today: chrono::NaiveDate) -> impl IntoView {
    let zh = use_zh();
    let age = age_on(r.birth_date, today);
    // The phone's list already carries the age groups; the server's does not.
    let mut flags = r.flags.clone();
    for f in crate::resident::age_groups(r.birth_date, today) {
        if !flags.contains(&f) {
            flags.push(f);
        }
    }
    view! {
        <li>
            <A href=format!("/residents/{}", r.id)>
                <div class="row-main">
                    <strong>{r.name.clone()}</strong>
                    <span class="muted">
                        {move || format!("{} · {}{}", r.sex.label(zh.get()), age, if zh.get() { "岁" } else { " y" })}
                    </span>
                </div>
                <div class="row-sub muted">
                    <span class="mono">{r.id_masked.clone().unwrap_or_default()}</span>
                    " · "
                    {r.village_name.clone()}
                    " · "
                    {move || if zh.get() { "户主 " } else { "Head " }}
                    {r.household_head.clone()}
                </div>
                <div class="badges"><FlagBadges flags zh/></div>
            </A>
        </li>
    }
}
