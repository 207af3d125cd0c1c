//! One resident's page: the record, the actions (edit, hypertension follow-up) and the visit history.

use super::FlagBadges;
use crate::auth::SessionUser;
use crate::codes::{self, label};
use crate::components::layout::RequireStaff;
use crate::error::AppError;
use crate::i18n::use_zh;
use crate::local::api::{on_device, read};
use crate::local::SyncMark;
use crate::resident::api::get_resident;
use crate::resident::{age_on, KeyFlag, Resident};
use crate::sync::badge::SyncNote;
use crate::t;
use crate::visit::api::resident_visits;
use crate::visit::chronic::Disease;
use crate::visit::pages::VisitHistory;
use crate::visit::VisitSummary;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

/// The `:id` route parameter as a UUID (None for a malformed id, which shows "not found").
pub fn id_param() -> Memo<Option<Uuid>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok())))
}

#[component]
pub fn ResidentDetailPage() -> impl IntoView {
    view! { <RequireStaff><ResidentDetail/></RequireStaff> }
}

type Shown = (Resident, SyncMark, Vec<(VisitSummary, SyncMark)>);

/// A resident with their follow-ups: from the device's store for a village doctor, from the server for
/// township and county staff. None while loading.
pub fn resident_with_visits(id: Memo<Option<Uuid>>) -> impl Fn() -> Option<Result<Shown, AppError>> + Copy {
    let user = StoredValue::new(expect_context::<SessionUser>());
    let device = on_device(&user.read_value());
    let server = Resource::new(
        move || id.get(),
        move |id| async move {
            if device {
                return Ok(None);
            }
            let id = id.ok_or(AppError::NotFound)?;
            let r = get_resident(id).await?;
            let v = resident_visits(id).await?;
            Ok(Some((r, SyncMark::Synced, v.into_iter().map(|v| (v, SyncMark::Synced)).collect())))
        },
    );
    move || {
        if device {
            let Some(id) = id.get() else { return Some(Err(AppError::NotFound)) };
            read(|d| {
                let u = user.read_value();
                d.resident(id, &u).map(|(r, m)| (r, m, d.visits_of(id, &u.display_name))).ok_or(AppError::NotFound)
            })
        } else {
            server.get().map(|r| r.and_then(|o: Option<Shown>| o.ok_or(AppError::NotFound)))
        }
    }
}

#[component]
fn ResidentDetail() -> impl IntoView {
    let zh = use_zh();
    let id = id_param();
    let data = resident_with_visits(id);
    view! {
        <Transition fallback=move || view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }>
            {move || match data() {
                None => view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error" data-testid="error">{move || e.message(zh.get())}</p> }.into_any(),
                Some(Ok((r, mark, visits))) => {
                let visits_plain: Vec<VisitSummary> = visits.iter().map(|(v, _)| v.clone()).collect();
                view! {
                    <SyncNote mark/>
                    <ResidentCard r=r.clone()/>
                    <div class="actions">
                        // A follow-up form for each chronic disease the resident is enrolled in by its flag
                        // (the flag is what puts them in the program's denominator).
                        {[Disease::Hypertension, Disease::Diabetes]
                            .into_iter()
                            .filter(|d| r.flags.iter().any(|f| f.flag == d.flag()))
                            .map(|d| {
                                let kind = d.kind();
                                view! {
                                    <A href=format!("/residents/{}/visits/{}/new", r.id, d.code()) attr:class="button primary"
                                        attr:data-testid=format!("new-{}-visit", d.code())>
                                        {move || kind.label(zh.get())}
                                    </A>
                                }
                            })
                            .collect_view()}
                        <A href=format!("/residents/{}/edit", r.id) attr:class="button">{t!(zh, "编辑档案", "Edit record")}</A>
                    </div>
                    <MoreServices r=r.clone()/>
                    {(!r.flags.iter().any(|f| matches!(f.flag, KeyFlag::Htn | KeyFlag::T2dm))).then(|| view! {
                        <p class="hint" data-testid="no-followup-hint">{t!(zh, "在档案中标记高血压或2型糖尿病后，可在此记录随访。", "Flag hypertension or type-2 diabetes in the record to record follow-ups here.")}</p>
                    })}
                    <h2>{t!(zh, "随访记录", "Follow-up history")}</h2>
                    <VisitHistory resident_id=r.id visits/>
                    <ServiceRecords r=r.clone() visits=visits_plain/>
                    {on_device(&expect_context::<SessionUser>()).then(|| view! { <crate::account::pages::AccountCard r=r.clone()/> })}
                }
                .into_any()
                }
            }}
        </Transition>
    }
}

/// The other services a village doctor records for this resident: the follow-ups of the programmes the
/// resident is enrolled in (severe mental disorder, TB), the annual check from 65, home visits and referrals.
#[component]
fn MoreServices(r: Resident) -> impl IntoView {
    let zh = use_zh();
    if !on_device(&expect_context::<SessionUser>()) {
        return ().into_any();
    }
    let today = crate::device::today();
    let flags = r.all_flags(today);
    let mut links: Vec<(&str, &'static str, &'static str, &'static str)> = Vec::new();
    if flags.contains(&KeyFlag::Smi) {
        links.push(("smi/new", "严重精神障碍随访", "Mental-health follow-up", "new-smi-visit"));
    }
    if flags.contains(&KeyFlag::Tb) {
        links.push(("tb/new", "肺结核随访", "TB follow-up", "new-tb-visit"));
    }
    if age_on(r.birth_date, today) >= crate::elderly::MIN_AGE {
        links.push(("elderly/new", "老年人健康体检", "Elderly annual check", "new-elderly-check"));
    }
    let age = age_on(r.birth_date, today);
    if r.sex == crate::resident::Sex::Female
        && (crate::maternal::MOTHER_AGE.0..=crate::maternal::MOTHER_AGE.1).contains(&age)
    {
        links.push(("pregnancy/new", "早孕建册", "Pregnancy registration", "new-pregnancy"));
        links.push(("childbirth/new", "分娩登记", "Delivery", "new-childbirth"));
    }
    if (today - r.birth_date).num_days() <= crate::newborn::NEWBORN_MAX_DAYS {
        links.push(("newborn-visit/new", "新生儿家庭访视", "Newborn home visit", "new-newborn-visit"));
    }
    if age < 7 {
        links.push(("child-check/new", "儿童健康检查", "Child health check", "new-child-check"));
    }
    let tcm_child = |m| crate::tcm::child_window(r.birth_date, m);
    if tcm_child(6).is_some_and(|w| w.0 <= today) && tcm_child(36).is_some_and(|w| today <= w.1) {
        links.push(("tcm-child/new", "儿童中医药健康管理", "Child TCM service", "new-tcm-child"));
    }
    if age >= crate::tcm::MIN_AGE {
        links.push(("tcm/new", "中医体质辨识", "TCM constitution", "new-tcm"));
    }
    links.push(("home-visit/new", "上门服务", "Home visit", "new-home-visit"));
    links.push(("referral/new", "转诊单", "Referral", "new-referral"));
    let id = r.id;
    view! {
        <div class="actions">
            {links.into_iter().map(|(path, z, e, testid)| view! {
                <A href=format!("/residents/{id}/{path}") attr:class="button" attr:data-testid=testid>{move || if zh.get() { z } else { e }}</A>
            }).collect_view()}
        </div>
    }
    .into_any()
}

/// The resident's service records: the family-doctor contract, and the vaccination card for a minor or anyone
/// with doses on record.
#[component]
fn ServiceRecords(r: Resident, visits: Vec<VisitSummary>) -> impl IntoView {
    let zh = use_zh();
    let id = r.id;
    let rows = crate::record::pages::records(Memo::new(move |_| Some(crate::record::pages::Scope::Resident(id))));
    let can_record = on_device(&expect_context::<SessionUser>());
    let r = StoredValue::new(r);
    let visits = StoredValue::new(visits);
    move || match rows() {
        None => view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }.into_any(),
        Some(Err(e)) => view! { <p class="form-error">{move || e.message(zh.get())}</p> }.into_any(),
        Some(Ok(records)) => {
            let resident = r.get_value();
            let minor = age_on(resident.birth_date, crate::device::today()) < 18;
            let has_doses = records.iter().any(|x| x.stored.record.kind() == crate::record::RecordKind::Dose);
            let woman = resident.sex == crate::resident::Sex::Female;
            view! {
                {woman.then(|| view! { <crate::maternal::card::PregnancyCard resident=resident.clone() records=records.clone()/> })}
                <crate::task::pages::ResidentTasks resident=resident.clone() visits=visits.get_value() records=records.clone()/>
                <crate::record::pages::ServiceLog records=records.clone()/>
                {(crate::resident::age_on(resident.birth_date, crate::device::today()) < 7).then(|| view! {
                    <crate::child::pages::GrowthChart
                        sex=resident.sex
                        birth=resident.birth_date
                        records=records.iter().map(|x| x.stored.record.clone()).collect()
                    />
                })}
                <crate::contract::pages::ContractCard resident=resident.clone() records=records.clone() can_record/>
                {(minor || has_doses).then(|| view! {
                    <crate::vaccination::pages::VaccinationCard resident=resident.clone() records=records.clone() can_record/>
                })}
            }
            .into_any()
        }
    }
}

#[component]
fn ResidentCard(r: Resident) -> impl IntoView {
    let zh = use_zh();
    let today = crate::device::today();
    let age = age_on(r.birth_date, today);
    let flags = r.all_flags(today);
    // Each value is computed from the language, so the switch relabels coded fields too.
    let row = move |zh_l: &'static str, en_l: &'static str, value: Box<dyn Fn(bool) -> String + Send + Sync>| {
        view! {
            <div class="kv">
                <dt>{move || if zh.get() { zh_l } else { en_l }}</dt>
                <dd>{move || value(zh.get())}</dd>
            </div>
        }
    };
    let text = |s: String| -> Box<dyn Fn(bool) -> String + Send + Sync> { Box::new(move |_| s.clone()) };
    let coded = |table: &'static [codes::Choice], code: u8| -> Box<dyn Fn(bool) -> String + Send + Sync> {
        Box::new(move |z| label(table, code, z))
    };
    let (head, relation, payment) = (r.household_head.clone(), r.relation, r.payment.clone());
    let record_no = r.record_no.clone();
    view! {
        <section class="card resident-card">
            <h1 data-testid="resident-name">{r.name.clone()}</h1>
            <p class="muted">
                {move || format!("{} · {}{} · {}", r.sex.label(zh.get()), age, if zh.get() { "岁" } else { " y" }, r.birth_date)}
            </p>
            <div class="badges"><FlagBadges flags zh/></div>
            <dl>
                {row("健康档案编号", "Record no.", Box::new(move |z| {
                    if !record_no.is_empty() { record_no.clone() } else if z { "同步后生成".into() } else { "Assigned on sync".into() }
                }))}
                {row("身份证号", "ID number", text(r.id_no.clone().unwrap_or_else(|| "—".into())))}
                {row("村", "Village", text(r.village_name.clone()))}
                {row("户主", "Household head", Box::new(move |z| format!("{head} ({})", label(codes::RELATION, relation, z))))}
                {row("现住址", "Address", text(r.address.clone()))}
                {row("本人电话", "Phone", text(r.phone.clone().unwrap_or_else(|| "—".into())))}
                {row("常住类型", "Residence", coded(codes::RESIDENCE_TYPE, r.residence_type))}
                {row("民族", "Ethnicity", coded(codes::ETHNICITY, r.ethnicity))}
                {row("血型", "Blood type", coded(codes::BLOOD_ABO, r.blood_abo))}
                {row("文化程度", "Education", coded(codes::EDUCATION, r.education))}
                {row("职业", "Occupation", coded(codes::OCCUPATION, r.occupation))}
                {row("婚姻状况", "Marital status", coded(codes::MARITAL, r.marital))}
                {row("医疗费用支付方式", "Payment", Box::new(move |z| payment.iter().map(|p| label(codes::PAYMENT, *p, z)).collect::<Vec<_>>().join("、")))}
                {row("档案状态", "Record status", coded(codes::RECORD_STATUS, r.status))}
                {row("建档", "Created", text(format!("{} {}", r.created_at, r.created_by_name)))}
            </dl>
        </section>
    }
}
