//! `/me`: a resident's own record, read from the phone's store (pulled like a doctor's scope, so it opens
//! offline after the first login): who they are (ID masked), their family doctor to call, the contract and
//! what it includes, what is due next, blood pressure and glucose over time, their visits in plain words
//! with a confirm / "did not happen" answer for recent ones, the health-education sessions they attended,
//! and each linked child's vaccination card. Read-only; large text.

use super::api::{care_team, confirm_entry, my_answers, record_viewed};
use super::{confirmable, series, visit_line, Answer, CareContact, ConfirmInput};
use crate::auth::SessionUser;
use crate::components::charts::{Series, TrendChart};
use crate::components::layout::RequireResident;
use crate::error::AppError;
use crate::i18n::use_zh;
use crate::local::api::{read, use_local};
use crate::local::ShownRecord;
use crate::record::{RecordBody, RecordKind};
use crate::resident::id_number::mask;
use crate::resident::{age_on, Resident};
use crate::t;
use crate::visit::VisitSummary;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashMap;
use uuid::Uuid;

#[component]
pub fn MyRecordPage() -> impl IntoView {
    view! { <RequireResident><MyRecord/></RequireResident> }
}

/// One person's data as the phone holds it.
#[derive(Clone)]
struct Person {
    resident: Resident,
    visits: Vec<VisitSummary>,
    records: Vec<ShownRecord>,
    /// Health-education sessions naming this person among the participants.
    education: Vec<ShownRecord>,
}

/// The service records a resident can answer about (a doctor came, or they were seen).
const ANSWERABLE: [RecordKind; 5] =
    [RecordKind::HomeVisit, RecordKind::ElderlyCheck, RecordKind::SmiVisit, RecordKind::TbVisit, RecordKind::Delivery];

const VIEWS_KEY: &str = "cunyi.views";
const CARE_KEY: &str = "cunyi.care";

/// Counts today's view of the record; days the phone could not report (offline) are kept and sent later.
fn note_view() {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::{LocalStorage, Storage};
        let mut days: Vec<NaiveDate> = LocalStorage::get(VIEWS_KEY).unwrap_or_default();
        let today = crate::device::today();
        if !days.contains(&today) {
            days.push(today);
        }
        let _ = LocalStorage::set(VIEWS_KEY, &days);
        spawn_local(async move {
            if record_viewed(days).await.is_ok() {
                LocalStorage::delete(VIEWS_KEY);
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (VIEWS_KEY, record_viewed);
}

#[component]
fn MyRecord() -> impl IntoView {
    let zh = use_zh();
    let user = expect_context::<SessionUser>();
    let own: Option<Uuid> = user.resident_id.as_deref().and_then(|s| Uuid::parse_str(s).ok());
    let me = user.display_name.clone();
    Effect::new(move |_| note_view());
    let local = use_local();
    let people = move || {
        read(|d| {
            let mut all: Vec<Person> = d
                .all_residents()
                .into_iter()
                .map(|r| {
                    let id = r.id;
                    Person {
                        visits: d.visits_of(id, &me).into_iter().map(|v| v.0).collect(),
                        records: d.records_where(&me, |x| x.resident_id == Some(id)),
                        education: d.records_where(
                            &me,
                            |x| matches!(&x.body, RecordBody::Education(e) if e.participants.contains(&id)),
                        ),
                        resident: r,
                    }
                })
                .collect();
            // The account holder first, then the children, eldest first.
            all.sort_by_key(|p| (Some(p.resident.id) != own, p.resident.birth_date));
            all
        })
    };
    // Answers given on this phone since the page opened, over those the server knows.
    let given: RwSignal<HashMap<Uuid, Answer>> = RwSignal::new(HashMap::new());
    let answers = LocalResource::new(my_answers);
    let answer_of = move |id: Uuid| {
        given.with(|g| g.get(&id).copied()).or_else(|| {
            answers.get().and_then(|r| r.ok()).and_then(|a| a.iter().find(|c| c.entry_id == id).map(|c| c.answer))
        })
    };
    view! {
        <div class="resident-view">
            {move || match people() {
                None => view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }.into_any(),
                Some(list) if list.is_empty() => view! {
                    <p class="notice" data-testid="first-sync">
                        {move || if local.status.get().online {
                            if zh.get() { "正在下载您的健康档案…" } else { "Downloading your health record…" }
                        } else if zh.get() { "首次使用需要联网下载健康档案，请联网后再打开。" } else { "The first use needs the network to download your record." }}
                    </p>
                }.into_any(),
                Some(list) => list.into_iter().map(|p| {
                    let holder = Some(p.resident.id) == own;
                    view! { <PersonView p holder answer_of=Callback::new(answer_of) given/> }
                }).collect_view().into_any(),
            }}
        </div>
    }
}

#[component]
fn PersonView(
    p: Person,
    holder: bool,
    answer_of: Callback<Uuid, Option<Answer>>,
    given: RwSignal<HashMap<Uuid, Answer>>,
) -> impl IntoView {
    let zh = use_zh();
    let today = crate::device::today();
    let r = p.resident.clone();
    let age = age_on(r.birth_date, today);
    let minor = age < 18;
    let refs: Vec<&crate::record::RecordInput> = p.records.iter().map(|x| &x.stored.record).collect();
    let tasks = crate::task::tasks_of(&crate::task::History { resident: &r, visits: &p.visits, records: &refs }, today);
    let has_contract = p.records.iter().any(|x| x.stored.record.kind() == RecordKind::Contract);
    let testid = if holder { "my-record" } else { "child-record" };
    view! {
        <section class="card person" data-testid=testid data-resident=r.id.to_string()>
            <h1 data-testid="my-name">{r.name.clone()}</h1>
            <p class="muted">{move || format!("{} · {}{}", r.sex.label(zh.get()), age, if zh.get() { "岁" } else { " years" })}</p>
            <dl>
                <div class="kv"><dt>{t!(zh, "身份证号", "ID number")}</dt><dd data-testid="masked-id">{r.id_no.as_deref().map(mask).unwrap_or_else(|| "—".into())}</dd></div>
                <div class="kv"><dt>{t!(zh, "健康档案编号", "Record no.")}</dt><dd>{r.record_no.clone()}</dd></div>
                <div class="kv"><dt>{t!(zh, "所在村", "Village")}</dt><dd>{r.village_name.clone()}</dd></div>
            </dl>
        </section>
        {holder.then(|| view! { <CareTeam/> })}
        {(holder || has_contract).then(|| view! {
            <crate::contract::pages::ContractCard resident=p.resident.clone() records=p.records.clone() can_record=false/>
        })}
        <section class="card" data-testid="my-tasks">
            <h2>{t!(zh, "接下来要做的", "Coming up")}</h2>
            {if tasks.is_empty() {
                view! { <p class="hint">{t!(zh, "目前没有待办的服务", "Nothing due at the moment")}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {tasks.into_iter().map(|t| {
                            let t2 = t.clone();
                            view! { <li>{move || format!("{} · {}", t.kind.label(zh.get()), crate::task::pages::when(&t2, today, zh.get()))}</li> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <Trends visits=p.visits.clone() age/>
        <ServiceList p=p.clone() answer_of given/>
        {(age < 7).then(|| view! {
            <crate::child::pages::GrowthChart
                sex=p.resident.sex
                birth=p.resident.birth_date
                records=p.records.iter().map(|x| x.stored.record.clone()).collect()
            />
        })}
        {minor.then(|| view! {
            <section class="card">
                <crate::vaccination::pages::VaccinationCard resident=p.resident.clone() records=p.records.clone() can_record=false/>
            </section>
        })}
        {(!p.education.is_empty()).then(|| view! {
            <section class="card" data-testid="my-education">
                <h2>{t!(zh, "参加的健康教育活动", "Health-education sessions attended")}</h2>
                <ul class="plain-list">
                    {p.education.iter().filter_map(|x| match &x.stored.record.body {
                        RecordBody::Education(e) => Some(format!("{} {} · {}", x.stored.record.date, e.theme, e.place)),
                        _ => None,
                    }).map(|line| view! { <li>{line}</li> }).collect_view()}
                </ul>
            </section>
        })}
    }
}

/// The village doctors to call; remembered on the phone for offline use.
#[component]
fn CareTeam() -> impl IntoView {
    let zh = use_zh();
    let team = LocalResource::new(|| async {
        let fresh = care_team().await;
        remember_team(fresh.as_ref().ok());
        fresh.or_else(|e| remembered_team().ok_or(e))
    });
    view! {
        <section class="card" data-testid="care-team">
            <h2>{t!(zh, "我的家庭医生", "My family doctor")}</h2>
            {move || match team.get() {
                None => view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="hint">{move || e.message(zh.get())}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="plain-list">
                        {list.into_iter().map(|c| view! {
                            <li>
                                <strong>{c.name.clone()}</strong>
                                {format!(" · {}", c.village_name)}
                                {c.phone.clone().map(|ph| view! {
                                    " " <a class="button call" href=format!("tel:{ph}") data-testid="call-doctor">{t!(zh, "拨打 ", "Call ")}{ph.clone()}</a>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

fn remember_team(team: Option<&Vec<CareContact>>) {
    #[cfg(feature = "hydrate")]
    if let Some(t) = team {
        use gloo_storage::{LocalStorage, Storage};
        let _ = LocalStorage::set(CARE_KEY, t);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (team, CARE_KEY);
}

fn remembered_team() -> Option<Vec<CareContact>> {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::{LocalStorage, Storage};
        LocalStorage::get(CARE_KEY).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

/// Blood pressure and fasting glucose over the follow-ups, with the control targets drawn across.
#[component]
fn Trends(visits: Vec<VisitSummary>, age: i32) -> impl IntoView {
    let zh = use_zh();
    let sbp = series(&visits, |v| v.sbp.map(f64::from));
    let dbp = series(&visits, |v| v.dbp.map(f64::from));
    let fbg = series(&visits, |v| v.fbg);
    // The targets the follow-up form judges by.
    let rules = crate::visit::chronic::ChronicRules::default();
    let sbp_target = if age >= rules.elderly_age { rules.elderly_target_sbp } else { rules.target_sbp };
    let (high, dbp_target, fbg_target) = (f64::from(sbp_target), f64::from(rules.target_dbp), rules.target_fbg);
    view! {
        {(!sbp.is_empty()).then(|| {
            let last = visits.iter().filter(|v| v.sbp.is_some()).max_by_key(|v| v.visit_date).map(|v| (v.sbp, v.dbp, v.visit_date));
            view! {
                <section class="card" data-testid="bp-trend">
                    <h2>{t!(zh, "血压变化", "Blood pressure")}</h2>
                    {last.map(|(s, d, day)| view! {
                        <p>{move || if zh.get() { format!("最近一次（{day}）：{}/{} mmHg", s.unwrap_or(0), d.unwrap_or(0)) } else { format!("Latest ({day}): {}/{} mmHg", s.unwrap_or(0), d.unwrap_or(0)) }}</p>
                    })}
                    <TrendChart
                        series=vec![Series { name: "收缩压".into(), points: sbp.clone() }, Series { name: "舒张压".into(), points: dbp.clone() }]
                        marks=vec![high, dbp_target] min=50.0 max=200.0
                        title=if zh.get_untracked() { format!("血压变化图，控制目标低于{high}/{dbp_target} mmHg") } else { format!("Blood pressure over time, target below {high}/{dbp_target} mmHg") }
                        testid="bp-chart"/>
                    <p class="legend"><span class="key s0"></span>{t!(zh, "收缩压（高压）", "Systolic")}<span class="key s1"></span>{t!(zh, "舒张压（低压）", "Diastolic")}<span class="key target"></span>{t!(zh, "控制目标", "Target")}</p>
                </section>
            }
        })}
        {(!fbg.is_empty()).then(|| view! {
            <section class="card" data-testid="glucose-trend">
                <h2>{t!(zh, "空腹血糖变化", "Fasting glucose")}</h2>
                <TrendChart
                    series=vec![Series { name: "空腹血糖".into(), points: fbg.clone() }]
                    marks=vec![fbg_target] min=2.0 max=20.0
                    title=if zh.get_untracked() { format!("空腹血糖变化图，控制目标低于{fbg_target:.1} mmol/L") } else { format!("Fasting glucose over time, target below {fbg_target:.1} mmol/L") }
                    testid="glucose-chart"/>
            </section>
        })}
    }
}

/// One line of the service list: a follow-up or a service record.
#[derive(Clone)]
struct Service {
    entity: &'static str,
    entry_id: Uuid,
    date: NaiveDate,
    title_zh: String,
    title_en: String,
    text_zh: String,
    text_en: String,
    author: String,
}

/// The follow-ups and visits, newest first, in plain words; recent ones can be confirmed or disputed.
#[component]
fn ServiceList(
    p: Person,
    answer_of: Callback<Uuid, Option<Answer>>,
    given: RwSignal<HashMap<Uuid, Answer>>,
) -> impl IntoView {
    let zh = use_zh();
    let today = crate::device::today();
    let age = age_on(p.resident.birth_date, today);
    let mut list: Vec<Service> = p
        .visits
        .iter()
        .map(|v| Service {
            entity: "visit",
            entry_id: v.visit_id,
            date: v.visit_date,
            title_zh: v.kind.label(true).into(),
            title_en: v.kind.label(false).into(),
            text_zh: visit_line(v, age, true),
            text_en: visit_line(v, age, false),
            author: v.author_name.clone(),
        })
        .collect();
    for x in &p.records {
        let kind = x.stored.record.kind();
        if ANSWERABLE.contains(&kind) {
            list.push(Service {
                entity: "record",
                entry_id: x.stored.record.record_id,
                date: x.stored.record.date,
                title_zh: kind.label(true).into(),
                title_en: kind.label(false).into(),
                text_zh: String::new(),
                text_en: String::new(),
                author: x.stored.author_name.clone(),
            });
        }
    }
    list.sort_by_key(|s| std::cmp::Reverse(s.date));
    let empty = list.is_empty();
    view! {
        <section class="card" data-testid="my-services">
            <h2>{t!(zh, "随访和上门服务", "Follow-ups and visits")}</h2>
            {empty.then(|| view! { <p class="hint">{t!(zh, "还没有服务记录", "No services recorded yet")}</p> })}
            <ul class="visit-list">
                {list.into_iter().map(|s| {
                    let open = confirmable(s.date, today);
                    let Service { entity, entry_id, date, title_zh, title_en, text_zh, text_en, author } = s;
                    view! {
                        <li data-testid="my-service" data-entry=entry_id.to_string()>
                            <div class="row-main">
                                <strong>{move || if zh.get() { title_zh.clone() } else { title_en.clone() }}</strong>
                                <span>{date.to_string()}</span>
                            </div>
                            <p>{move || if zh.get() { text_zh.clone() } else { text_en.clone() }}</p>
                            <p class="muted">{move || if zh.get() { format!("服务医生：{author}") } else { format!("Doctor: {author}") }}</p>
                            {open.then(|| view! { <AnswerButtons entity entry_id answer_of given/> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// "确认属实" and "没有这次服务" (with an optional note), or the answer already given.
#[component]
fn AnswerButtons(
    entity: &'static str,
    entry_id: Uuid,
    answer_of: Callback<Uuid, Option<Answer>>,
    given: RwSignal<HashMap<Uuid, Answer>>,
) -> impl IntoView {
    let zh = use_zh();
    let disputing = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    let error: RwSignal<Option<AppError>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let send = move |answer: Answer| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let input = ConfirmInput { entity: entity.to_string(), entry_id, answer, note: note.get_untracked() };
        spawn_local(async move {
            match confirm_entry(input).await {
                Ok(_) => {
                    error.set(None);
                    disputing.set(false);
                    given.update(|g| {
                        g.insert(entry_id, answer);
                    });
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let note_id = format!("note-{entry_id}");
    view! {
        {move || match answer_of.run(entry_id) {
            Some(a) => view! { <p class=format!("answer answer-{}", a.code()) data-testid="my-answer" data-answer=a.code()>{move || a.label(zh.get())}</p> }.into_any(),
            None => ().into_any(),
        }}
        <div class="actions answer-actions">
            <button type="button" class="button" data-testid="confirm-visit" disabled=move || busy.get() on:click=move |_| send(Answer::Confirmed)>
                {t!(zh, "确认属实", "Yes, it happened")}
            </button>
            <button type="button" class="button" data-testid="dispute-visit" disabled=move || busy.get() on:click=move |_| disputing.set(true)>
                {t!(zh, "没有这次服务", "This did not happen")}
            </button>
        </div>
        <Show when=move || disputing.get()>
            <div class="field">
                <label for=note_id.clone()>{t!(zh, "请简单说明（可不填）", "What happened? (optional)")}</label>
                <input id=note_id.clone() type="text" maxlength="200" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
            </div>
            <button type="button" class="button danger" data-testid="send-dispute" disabled=move || busy.get() on:click=move |_| send(Answer::Disputed)>
                {t!(zh, "提交", "Send")}
            </button>
        </Show>
        {move || error.get().map(|e| view! {
            <p class="form-error" role="alert">{move || match &e {
                AppError::Network(_) => (if zh.get() { "需要联网才能提交，请联网后再试" } else { "Sending needs the network; try again online" }).to_string(),
                e => e.message(zh.get()),
            }}</p>
        })}
    }
}
