//! The "Today" screen (今日任务), a village doctor's home: overdue tasks first (most overdue on top), then
//! what is due today, then the next 7 days, optionally grouped by household or village. Computed on the
//! phone from its own data, so it works offline and a saved form clears its task at once.

use super::{Standing, Task, TaskKind, TaskRow, SOON_DAYS};
use crate::components::layout::RequireStaff;
use crate::i18n::use_zh;
use crate::local::api::{on_device, read};
use crate::t;
use chrono::NaiveDate;
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use leptos_router::components::A;

/// How the doctor likes the list grouped (kept on the phone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grouping {
    None,
    Household,
    Village,
}

const GROUPING_KEY: &str = "cunyi.today.grouping";

impl Grouping {
    fn code(self) -> &'static str {
        match self {
            Grouping::None => "none",
            Grouping::Household => "household",
            Grouping::Village => "village",
        }
    }

    fn from_code(s: &str) -> Grouping {
        match s {
            "household" => Grouping::Household,
            "village" => Grouping::Village,
            _ => Grouping::None,
        }
    }

    fn key(self, row: &TaskRow) -> String {
        match self {
            Grouping::None => String::new(),
            Grouping::Household => format!("{} · {}", row.village_name, row.household_head),
            Grouping::Village => row.village_name.clone(),
        }
    }
}

/// The form that fulfils a task, for its resident.
pub fn form_link(t: &Task) -> String {
    let id = t.resident_id;
    match &t.kind {
        TaskKind::Htn => format!("/residents/{id}/visits/htn/new"),
        TaskKind::Dm => format!("/residents/{id}/visits/dm/new"),
        TaskKind::Smi => format!("/residents/{id}/smi/new"),
        TaskKind::Tb => format!("/residents/{id}/tb/new"),
        TaskKind::Elderly => format!("/residents/{id}/elderly/new"),
        TaskKind::Vaccine { vaccine, dose } => format!("/residents/{id}/doses/new?vaccine={vaccine}&dose={dose}"),
        TaskKind::VaccinationCard => format!("/residents/{id}/doses/new"),
        TaskKind::ContractRenewal => format!("/residents/{id}/contract/new"),
        TaskKind::HomeVisit => format!("/residents/{id}/home-visit/new"),
        TaskKind::NewbornVisit => format!("/residents/{id}/newborn-visit/new"),
        TaskKind::Postpartum => format!("/residents/{id}/postpartum/new"),
        TaskKind::ChildCheck { point } => format!("/residents/{id}/child-check/new?point={}", point.rule_code()),
        TaskKind::Postpartum42 => format!("/residents/{id}/postpartum42/new"),
        TaskKind::TcmElderly => format!("/residents/{id}/tcm/new"),
        TaskKind::TcmChild { months } => format!("/residents/{id}/tcm-child/new?months={months}"),
        TaskKind::Prenatal { visit } => format!("/residents/{id}/prenatal/new?visit={}", *visit as usize + 1),
        // Recorded from the resident's page (the contract card, the referral's result).
        TaskKind::ContractService { .. } | TaskKind::Referral => format!("/residents/{id}"),
    }
}

/// "逾期12天", "今天", "11月25日" and the like.
pub(crate) fn when(t: &Task, today: NaiveDate, zh: bool) -> String {
    use chrono::Datelike;
    match t.standing(today) {
        Standing::Overdue => {
            let n = t.overdue_days(today);
            if zh {
                format!("逾期{n}天")
            } else {
                format!("{n} days overdue")
            }
        }
        Standing::Due if t.window_end == today => (if zh { "今天截止" } else { "Last day today" }).to_string(),
        Standing::Due => {
            let end = t.window_end;
            if zh {
                format!("{}月{}日前", end.month(), end.day())
            } else {
                format!("by {end}")
            }
        }
        _ => {
            let due = t.due;
            if zh {
                format!("{}月{}日起", due.month(), due.day())
            } else {
                format!("from {due}")
            }
        }
    }
}

#[component]
pub fn TodayPage() -> impl IntoView {
    view! { <RequireStaff><TodayLoaded/></RequireStaff> }
}

/// The list itself is a part of the WASM fetched once the store is open (after the PIN, `cargo leptos build
/// --split`): the first download only has to paint the PIN screen, and the list's code arrives meanwhile.
#[component]
fn TodayLoaded() -> impl IntoView {
    let zh = use_zh();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }>
            {Suspend::new(today_view())}
        </Suspense>
    }
}

#[leptos::lazy]
fn today_view() -> AnyView {
    view! { <Today/> }.into_any()
}

#[component]
fn Today() -> impl IntoView {
    let zh = use_zh();
    let today = crate::device::today();
    let user = StoredValue::new(expect_context::<crate::auth::SessionUser>());
    let device = on_device(&user.read_value());
    let grouping = RwSignal::new(Grouping::None);
    // The saved choice is read in the browser only, after hydration, so the server's page matches the first
    // render.
    Effect::new(move |_| {
        if let Ok(code) = LocalStorage::get::<String>(GROUPING_KEY) {
            let g = Grouping::from_code(&code);
            if grouping.get_untracked() != g {
                grouping.set(g);
            }
        }
    });
    // Township and county staff get the same list from the server, grouped by village.
    // Read in the browser only (as the service records are), so the server's page never races hydration.
    let server = LocalResource::new(move || async move {
        if device {
            Ok(vec![])
        } else {
            super::api::village_tasks(None).await
        }
    });
    if !device {
        grouping.set(Grouping::Village);
    }
    // Computed once per change of the phone's data, whatever reads it; the time it took goes to the console
    // (the benchmark in docs/performance.md reads it there).
    let computed = Memo::new(move |_| {
        if device {
            let started = crate::device::now_ms();
            let found = read(|d| (d.resident_count(), d.tasks(&user.read_value(), today)));
            found.map(|(residents, rows)| {
                if residents > 0 {
                    leptos::logging::log!(
                        "cunyi: tasks of {residents} residents in {:.0} ms ({} tasks)",
                        crate::device::now_ms() - started,
                        rows.len()
                    );
                }
                rows
            })
        } else {
            server.get().and_then(|r| r.ok())
        }
    });

    let section = move |standing: Standing, zh_title: &'static str, en_title: &'static str, id: &'static str| {
        view! {
            <section class="card today-section" data-testid=id>
                <h2>{move || if zh.get() { zh_title } else { en_title }}
                    {move || {
                        let n = computed.with(|r| r.iter().flatten().filter(|x| x.task.standing(today) == standing).count());
                        format!(" ({n})")
                    }}
                </h2>
                {move || {
                    // Only this section's rows are copied out of the memo, not the whole list.
                    let mine: Vec<TaskRow> = computed
                        .with(|r| r.iter().flatten().filter(|x| x.task.standing(today) == standing).cloned().collect());
                    if mine.is_empty() {
                        return view! { <p class="hint">{t!(zh, "无", "None")}</p> }.into_any();
                    }
                    let g = grouping.get();
                    let mut groups: Vec<(String, Vec<TaskRow>)> = Vec::new();
                    for row in mine {
                        let key = g.key(&row);
                        match groups.iter_mut().find(|(k, _)| *k == key) {
                            Some((_, v)) => v.push(row),
                            None => groups.push((key, vec![row])),
                        }
                    }
                    groups.into_iter().map(|(key, rows)| view! {
                        <Show when={let empty = key.is_empty(); move || !empty}>
                            <h3 class="group">{key.clone()}</h3>
                        </Show>
                        <ul class="tasks">
                            {rows.into_iter().map(|row| task_item(row, today, zh)).collect_view()}
                        </ul>
                    }).collect_view().into_any()
                }}
            </section>
        }
    };

    view! {
        <section class="list-page today">
            <div class="list-head">
                <h1>{t!(zh, "今日任务", "Today")}</h1>
                <select
                    name="grouping"
                    aria-label=move || if zh.get() { "分组" } else { "Group by" }
                    on:change=move |ev| {
                        let g = Grouping::from_code(&event_target_value(&ev));
                        let _ = LocalStorage::set(GROUPING_KEY, g.code());
                        grouping.set(g);
                    }
                >
                    <option value="none" selected=move || grouping.get() == Grouping::None>{t!(zh, "不分组", "No grouping")}</option>
                    <option value="household" selected=move || grouping.get() == Grouping::Household>{t!(zh, "按户", "By household")}</option>
                    <option value="village" selected=move || grouping.get() == Grouping::Village>{t!(zh, "按村", "By village")}</option>
                </select>
            </div>
            {device.then(|| view! { <crate::review::pages::ReturnedEntries/> })}
            {if device {
                view! { <crate::infectious::pages::UnsentReports/> }.into_any()
            } else {
                view! { <crate::infectious::pages::ReportAlerts/> }.into_any()
            }}
            <Show when=move || computed.with(Option::is_none)>
                <p class="loading">{t!(zh, "加载中…", "Loading…")}</p>
            </Show>
            {section(Standing::Overdue, "已逾期", "Overdue", "today-overdue")}
            {section(Standing::Due, "今日应做", "Due now", "today-due")}
            {section(Standing::Soon, "未来7天", "Next 7 days", "today-soon")}
            <p class="hint">{move || if zh.get() {
                format!("按国家基本公共卫生服务规范计算；{SOON_DAYS}天以后的任务在居民页面查看。")
            } else {
                format!("From the national standard's rules; tasks further than {SOON_DAYS} days ahead are on each resident's page.")
            }}</p>
        </section>
    }
}

fn task_item(row: TaskRow, today: NaiveDate, zh: RwSignal<bool>) -> impl IntoView {
    let t = row.task;
    let overdue = t.standing(today) == Standing::Overdue;
    let href = form_link(&t);
    let (kind, rule) = (t.kind.clone(), t.rule);
    let t2 = t.clone();
    view! {
        <li class:overdue=overdue data-testid="task">
            <A href=href>
                <span class="task-who">{row.name.clone()}</span>
                <span class="task-what">{move || kind.label(zh.get())}</span>
                <span class="task-when">{move || when(&t2, today, zh.get())}</span>
                <span class="task-why">{move || rule.text(zh.get())}</span>
            </A>
        </li>
    }
}

/// A resident's open tasks, on their page.
#[component]
pub fn ResidentTasks(
    resident: crate::resident::Resident,
    visits: Vec<crate::visit::VisitSummary>,
    records: Vec<crate::local::ShownRecord>,
) -> impl IntoView {
    let zh = use_zh();
    let today = crate::device::today();
    let refs: Vec<&crate::record::RecordInput> = records.iter().map(|r| &r.stored.record).collect();
    let tasks = super::tasks_of(&super::History { resident: &resident, visits: &visits, records: &refs }, today);
    let none = tasks.is_empty();
    let items = tasks
        .into_iter()
        .map(|t| {
            let row = TaskRow::new(t, &resident);
            task_item(row, today, zh)
        })
        .collect_view();
    view! {
        <section class="card" data-testid="resident-tasks">
            <h2>{t!(zh, "待办任务", "Open tasks")}</h2>
            <Show when=move || none>
                <p class="hint">{t!(zh, "暂无待办任务", "No open tasks")}</p>
            </Show>
            <ul class="tasks">{items}</ul>
        </section>
    }
}
