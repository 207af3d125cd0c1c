//! The township and county dashboard (`/dashboard?org=…&period=…&ind=…`): the node's indicators with
//! numerator, denominator, rate and target, its villages or townships as bars and a ranking (the monthly
//! bulletin, 月通报), the months of the year as a line, the published figures and what changed since, and
//! the way down: county → township → village → doctor → the doctor's entries in the review queue.

use super::api::{indicator_report, publish_report, set_target};
use super::report::Report;
use super::{Row, Section};
use crate::components::charts::{Bar, BarChart, LineChart};
use crate::components::layout::RequireStaff;
use crate::i18n::use_zh;
use crate::t;
use chrono::Datelike;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The indicator the charts show until the user picks another.
const DEFAULT_INDICATOR: &str = "htn_registry";

fn href(org: &str, period: &str, ind: &str) -> String {
    format!("/dashboard?org={org}&period={period}&ind={ind}")
}

fn rate_text(r: &Row) -> String {
    match (r.den, r.rate()) {
        (None, _) => r.num.to_string(),
        (Some(_), Some(rate)) => format!("{rate:.1}%"),
        (Some(_), None) => "—".to_string(),
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! { <RequireStaff><Dashboard/></RequireStaff> }
}

#[component]
fn Dashboard() -> impl IntoView {
    let zh = use_zh();
    let query = use_query_map();
    let today = crate::device::today();
    let this_month = format!("{}-{:02}", today.year(), today.month());
    let org = Memo::new(move |_| query.read().get("org").filter(|s| !s.is_empty()));
    let period = {
        let m = this_month.clone();
        Memo::new(move |_| query.read().get("period").filter(|s| !s.is_empty()).unwrap_or_else(|| m.clone()))
    };
    let ind = Memo::new(move |_| query.read().get("ind").filter(|s| !s.is_empty()).unwrap_or(DEFAULT_INDICATOR.into()));
    let report = LocalResource::new(move || indicator_report(org.get(), period.get()));
    let navigate = StoredValue::new(use_navigate());
    let go = move |o: String, p: String, i: String| navigate.with_value(|n| n(&href(&o, &p, &i), Default::default()));
    let message = RwSignal::new(None::<String>);

    view! {
        <section class="list-page dashboard">
            {move || match report.get() {
                None => view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error" role="alert" data-testid="dashboard-error">{move || e.message(zh.get())}</p> }.into_any(),
                Some(Ok(r)) => {
                    let r = StoredValue::new(r);
                    let node = r.with_value(|r| r.node.clone());
                    let org_id = node.id.clone();
                    view! {
                        <nav class="crumbs" aria-label=move || if zh.get() { "层级" } else { "Levels" }>
                            {r.with_value(|r| r.path.clone()).into_iter().map(|p| {
                                let h = href(&p.id, &period.get_untracked(), &ind.get_untracked());
                                view! { <A href=h>{p.name.clone()}</A>" › " }
                            }).collect_view()}
                        </nav>
                        <div class="list-head">
                            <h1 data-testid="dashboard-title">{node.name.clone()}
                                <small>{let n = node.clone(); move || format!(" {}", n.level_label(zh.get()))}</small>
                            </h1>
                        </div>
                        <PeriodPicker period=period.get_untracked() on_pick={
                            let o = org_id.clone();
                            move |p: String| go(o.clone(), p, ind.get_untracked())
                        }/>
                        <div class="actions">
                            <a class="button secondary" rel="external" download data-testid="export-xlsx"
                                href=format!("/api/export/report.xlsx?org={org_id}&period={}", period.get_untracked())>
                                {t!(zh, "导出月报 Excel", "Export report (xlsx)")}</a>
                            <a class="button secondary" rel="external" download data-testid="export-csv"
                                href=format!("/api/export/report.csv?org={org_id}&period={}", period.get_untracked())>
                                "CSV"</a>
                            {r.with_value(|r| r.can_publish).then(|| {
                                let (o, p) = (org_id.clone(), period.get_untracked());
                                view! {
                                    <button type="button" class="button" data-testid="publish" on:click=move |_| {
                                        let (o, p) = (o.clone(), p.clone());
                                        spawn_local(async move {
                                            match publish_report(o, p).await {
                                                Ok(n) => { message.set(Some(format!("{n}"))); report.refetch(); }
                                                Err(e) => message.set(Some(e.message(zh.get_untracked()))),
                                            }
                                        });
                                    }>{t!(zh, "发布本月数据", "Publish this month")}</button>
                                }
                            })}
                        </div>
                        {move || message.get().map(|m| view! { <p class="hint" role="status">{m}</p> })}
                        {r.with_value(|r| r.published.clone()).map(|p| {
                            let live = r.with_value(|r| r.rows.clone());
                            let changed: Vec<(Row, Row)> = live.into_iter().filter_map(|now| {
                                let sent = p.rows.iter().find(|x| x.code == now.code)?.clone();
                                (sent.num != now.num || sent.den != now.den).then_some((sent, now))
                            }).collect();
                            view! {
                                <section class="card published" data-testid="published">
                                    <p>{move || if zh.get() { format!("本期数据已于 {} 由 {} 发布（已冻结）。", p.at, p.by) } else { format!("Published on {} by {} (frozen).", p.at, p.by) }}</p>
                                    {if changed.is_empty() {
                                        view! { <p class="muted">{t!(zh, "发布后没有变化。", "No change since.")}</p> }.into_any()
                                    } else {
                                        view! {
                                            <p>{t!(zh, "发布后迟到同步带来的变化：", "Changed since by late syncs:")}</p>
                                            <ul data-testid="published-changes">
                                                {changed.into_iter().map(|(sent, now)| view! {
                                                    <li>{let l = now.clone(); move || l.label(zh.get()).to_string()}": "
                                                        {format!("{} → {}", rate_text(&sent), rate_text(&now))}</li>
                                                }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                </section>
                            }
                        })}
                        <Charts report=r ind=ind period=period/>
                        <Doctors report=r period=period/>
                        {(expect_context::<crate::auth::SessionUser>().role == crate::auth::Role::CountyAdmin).then(|| {
                            let rows: Vec<Row> = r.with_value(|r| r.rows.iter().filter(|x| x.den.is_some()).cloned().collect());
                            let year = super::Period::parse(&period.get_untracked()).map_or(today.year(), |p| p.end.year());
                            view! { <TargetForm rows=rows year=year on_saved=move || report.refetch()/> }
                        })}
                        {Section::ALL.into_iter().map(|s| {
                            let rows: Vec<Row> = r.with_value(|r| r.rows.iter().filter(|x| x.section == s).cloned().collect());
                            let o = org_id.clone();
                            view! {
                                <section class="card">
                                    <h2>{move || s.label(zh.get())}</h2>
                                    <table class="indicators">
                                        <thead><tr>
                                            <th>{t!(zh, "指标", "Indicator")}</th>
                                            <th>{t!(zh, "分子", "Num.")}</th>
                                            <th>{t!(zh, "分母", "Den.")}</th>
                                            <th>{t!(zh, "率", "Rate")}</th>
                                            <th>{t!(zh, "目标", "Target")}</th>
                                        </tr></thead>
                                        <tbody>
                                            {rows.into_iter().map(|row| {
                                                let met = match row.met() { Some(true) => "met", Some(false) => "unmet", None => "" };
                                                let code = row.code.clone();
                                                let (o, l) = (o.clone(), row.clone());
                                                view! {
                                                    <tr class=met data-testid=format!("ind-{}", row.code) data-met=met>
                                                        <td><a href=href(&o, &period.get_untracked(), &code) on:click=move |ev| {
                                                            ev.prevent_default();
                                                            go(o.clone(), period.get_untracked(), code.clone());
                                                        }>{move || l.label(zh.get()).to_string()}</a></td>
                                                        <td class="num">{row.num}</td>
                                                        <td class="num">{row.den.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</td>
                                                        <td class="num rate">{rate_text(&row)}</td>
                                                        <td class="num">{row.target.map(|t| format!("≥{t:.0}%")).unwrap_or_default()}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </section>
                            }
                        }).collect_view()}
                    }.into_any()
                }
            }}
        </section>
    }
}

/// Month, quarter, year or a range of days.
#[component]
fn PeriodPicker(period: String, on_pick: impl Fn(String) + Clone + Send + Sync + 'static) -> impl IntoView {
    let zh = use_zh();
    let today = crate::device::today();
    let month_value = if period.len() == 7 { period.clone() } else { String::new() };
    let (from, to) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let quarter = format!("{}-Q{}", today.year(), today.month0() / 3 + 1);
    let year = today.year().to_string();
    let (p1, p2, p3, p4) = (on_pick.clone(), on_pick.clone(), on_pick.clone(), on_pick);
    view! {
        <form class="filters period" on:submit=move |ev| {
            ev.prevent_default();
            if !from.get_untracked().is_empty() && !to.get_untracked().is_empty() {
                p4(format!("{}~{}", from.get_untracked(), to.get_untracked()));
            }
        }>
            <label>{t!(zh, "月份", "Month")}
                <input type="month" name="month" value=month_value on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if !v.is_empty() { p1(v) }
                }/>
            </label>
            <button type="button" class="chip" on:click=move |_| p2(quarter.clone())>{t!(zh, "本季度", "This quarter")}</button>
            <button type="button" class="chip" on:click=move |_| p3(year.clone())>{t!(zh, "本年度", "This year")}</button>
            <span class="muted" data-testid="period">{period}</span>
            <details class="custom-range">
                <summary>{t!(zh, "自定义起止日期", "Custom dates")}</summary>
                <label>{t!(zh, "从", "From")}<input type="date" name="from" on:change=move |ev| from.set(event_target_value(&ev))/></label>
                <label>{t!(zh, "到", "To")}<input type="date" name="to" on:change=move |ev| to.set(event_target_value(&ev))/></label>
                <button type="submit" class="chip">{t!(zh, "查询", "Show")}</button>
            </details>
        </form>
    }
}

/// The chosen indicator across the children (bars, best first: the bulletin's ranking) and over the months.
#[component]
fn Charts(report: StoredValue<Report>, ind: Memo<String>, period: Memo<String>) -> impl IntoView {
    let zh = use_zh();
    move || {
        let code = ind.get();
        let (rows, children, trend) = report.with_value(|r| (r.rows.clone(), r.children.clone(), r.trend.clone()));
        let Some(row) = Report::row(&rows, &code).cloned() else { return ().into_any() };
        let title = row.label(zh.get()).to_string();
        let mut ranked: Vec<(String, String, Option<Row>)> = children
            .iter()
            .map(|c| (c.org.id.clone(), c.org.name.clone(), Report::row(&c.rows, &code).cloned()))
            .collect();
        ranked.sort_by(|a, b| {
            let r = |x: &Option<Row>| x.as_ref().and_then(Row::rate).unwrap_or(-1.0);
            r(&b.2).total_cmp(&r(&a.2)).then(a.1.cmp(&b.1))
        });
        let bars: Vec<Bar> = ranked
            .iter()
            .map(|(_, name, r)| Bar {
                label: name.clone(),
                value: r.as_ref().and_then(|r| if r.den.is_some() { r.rate() } else { Some(r.num as f64) }),
                met: r.as_ref().and_then(Row::met),
            })
            .collect();
        let points: Vec<(String, Option<f64>)> =
            trend.iter().map(|(m, rows)| (m.clone(), Report::row(rows, &code).and_then(Row::rate))).collect();
        let has_rate = row.den.is_some();
        view! {
            <section class="card charts" data-testid="charts">
                <h2>{title.clone()}</h2>
                {(!bars.is_empty()).then(|| view! {
                    <BarChart bars=bars target=row.target title=title.clone()/>
                    <ol class="ranking" data-testid="ranking">
                        {ranked.into_iter().map(|(id, name, r)| view! {
                            <li>
                                <A href=href(&id, &period.get_untracked(), &code)>{name}</A>
                                " "
                                <span class="num">{r.as_ref().map(rate_text).unwrap_or_default()}</span>
                                {r.as_ref().and_then(|r| r.den.map(|d| format!(" ({}/{})", r.num, d)))}
                            </li>
                        }).collect_view()}
                    </ol>
                })}
                {(has_rate && points.len() > 1).then(|| view! { <LineChart points=points target=row.target title=title/> })}
            </section>
        }
        .into_any()
    }
}

/// A village's doctors with their entries in the period, each leading to their entries in the queue.
#[component]
fn Doctors(report: StoredValue<Report>, period: Memo<String>) -> impl IntoView {
    let zh = use_zh();
    let (node, doctors) = report.with_value(|r| (r.node.clone(), r.doctors.clone()));
    let range = super::Period::parse(&period.get_untracked());
    (!doctors.is_empty()).then(|| {
        view! {
            <section class="card" data-testid="doctors">
                <h2>{t!(zh, "村医工作量", "Doctors' work")}</h2>
                <ul class="visit-list">
                    {doctors.into_iter().map(|d| {
                        let mut link = format!("/review?village={}&author={}&state=all", node.id, d.user_id);
                        if let Some(p) = range {
                            link.push_str(&format!("&from={}&to={}", p.start, p.end));
                        }
                        view! {
                            <li><A href=link>{d.name.clone()}</A>
                                {move || if zh.get() { format!(" 随访 {} 次 · 服务记录 {} 条", d.visits, d.records) } else { format!(" {} follow-ups · {} service records", d.visits, d.records) }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// The county's target for one indicator and year (county administrators).
#[component]
fn TargetForm(rows: Vec<Row>, year: i32, on_saved: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let zh = use_zh();
    let code = RwSignal::new(rows.first().map(|r| r.code.clone()).unwrap_or_default());
    let value = RwSignal::new(String::new());
    let error = RwSignal::new(None::<crate::error::AppError>);
    let save = move |target: Option<f64>| {
        spawn_local(async move {
            match set_target(year, code.get_untracked(), target).await {
                Ok(()) => {
                    error.set(None);
                    on_saved();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <details class="card targets" data-testid="targets">
            <summary>{move || if zh.get() { format!("设定{year}年目标值") } else { format!("Set the targets of {year}") }}</summary>
            <form class="filters" on:submit=move |ev| {
                ev.prevent_default();
                match value.get_untracked().trim().parse::<f64>() {
                    Ok(v) => save(Some(v)),
                    Err(_) => error.set(Some(crate::error::AppError::field("target", "请输入0–100之间的数字", "Enter a number 0–100"))),
                }
            }>
                <label>{t!(zh, "指标", "Indicator")}
                    <select name="indicator" on:change=move |ev| code.set(event_target_value(&ev))>
                        {rows.into_iter().map(|r| {
                            let l = r.clone();
                            view! { <option value=r.code.clone()>{move || l.label(zh.get()).to_string()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>{t!(zh, "目标（%）", "Target (%)")}
                    <input type="number" name="target" min="0" max="100" step="0.1" prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev))/>
                </label>
                <button type="submit" class="chip">{t!(zh, "保存", "Save")}</button>
                <button type="button" class="chip" on:click=move |_| save(None)>{t!(zh, "恢复默认", "Default")}</button>
            </form>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{move || e.message(zh.get())}</p> })}
        </details>
    }
}
