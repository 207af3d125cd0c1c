//! Family-doctor contract views: the resident's contract on their page (term, state, fulfilment of its items,
//! services delivered, the resident's signature) with a quick "service delivered" entry, and the signing form.

use super::*;
use crate::codes::label;
use crate::components::fields::{provide_form_errors, CodeChecks, Field, FormError, TextField};
use crate::device::today;
use crate::error::AppError;
use crate::i18n::use_zh;
use crate::local::ShownRecord;
use crate::record::pages::{save_and_open, save_record, FormGate, ProofMark, SignaturePad};
use crate::record::{RecordBody, RecordInput};
use crate::resident::{KeyFlag, Resident};
use crate::sync::badge::SyncNote;
use crate::t;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

/// The resident's latest contract, if any.
fn latest(records: &[ShownRecord]) -> Option<(&ShownRecord, &ContractInput)> {
    records
        .iter()
        .filter_map(|r| match &r.stored.record.body {
            RecordBody::Contract(c) => Some((r, c)),
            _ => None,
        })
        .max_by_key(|(r, _)| r.stored.record.date)
}

#[component]
pub fn ContractCard(resident: Resident, records: Vec<ShownRecord>, can_record: bool) -> impl IntoView {
    let zh = use_zh();
    let id = resident.id;
    let Some((r, c)) = latest(&records) else {
        return view! {
            <h2>{t!(zh, "家庭医生签约", "Family-doctor contract")}</h2>
            <p class="muted" data-testid="no-contract">{t!(zh, "未签约", "No contract")}</p>
            {can_record.then(|| view! {
                <A href=format!("/residents/{id}/contract/new") attr:class="button primary" attr:data-testid="new-contract">{t!(zh, "签约", "Sign a contract")}</A>
            })}
        }
        .into_any();
    };
    let start = r.stored.record.date;
    let end = c.end_date(start);
    let st = state(start, c, today());
    let contract_id = r.stored.record.record_id;
    let delivered: Vec<(chrono::NaiveDate, u8, crate::local::SyncMark)> = records
        .iter()
        .filter_map(|x| match &x.stored.record.body {
            RecordBody::Delivery(d) if d.contract_id == contract_id => {
                Some((x.stored.record.date, d.item.unwrap_or(0), x.mark.clone()))
            }
            _ => None,
        })
        .collect();
    let items: Vec<u8> = delivered.iter().filter(|(d, _, _)| *d >= start && *d <= end).map(|(_, i, _)| *i).collect();
    let progress = fulfilment(start, c, &items, today());
    let packages = c.packages.clone();
    let signed = r.stored.record.signature.is_some();
    let (team, doctor, mark) = (c.team.clone(), c.doctor.clone(), r.mark.clone());
    let renew = matches!(st, ContractState::RenewalDue | ContractState::Expired);
    view! {
        <h2>{t!(zh, "家庭医生签约", "Family-doctor contract")}</h2>
        <section class="card" data-testid="contract">
            <div class="row-main">
                <strong>{move || packages.iter().map(|p| label(PACKAGES, *p, zh.get())).collect::<Vec<_>>().join("、")}</strong>
                <span data-testid="contract-state">{move || match (st, zh.get()) {
                    (ContractState::Active, true) => "有效",
                    (ContractState::Active, false) => "Active",
                    (ContractState::RenewalDue, true) => "即将到期，请续约",
                    (ContractState::RenewalDue, false) => "Ends soon: renew",
                    (ContractState::Expired, true) => "已到期",
                    (ContractState::Expired, false) => "Expired",
                }}</span>
            </div>
            <p class="muted">{format!("{start} – {end} · {team} · {doctor}")}</p>
            <ProofMark signed/>
            <SyncNote mark/>
            <h3>{t!(zh, "履约情况", "Services delivered")}</h3>
            <ul class="plain-list" data-testid="fulfilment">
                {progress.into_iter().map(|(item, due, done)| view! {
                    <li class:behind=done < due>{move || format!("{}：{done} / {due}", label(SERVICE_ITEMS, item, zh.get()))}</li>
                }).collect_view()}
            </ul>
            {can_record.then(|| view! { <DeliveryEntry resident=resident.clone() contract_id items=c.items().into_iter().map(|(i, _)| i).collect()/> })}
            {can_record.then(|| view! {
                <A href=format!("/residents/{id}/contract/new") attr:class="button" attr:data-testid="renew-contract">
                    {move || if renew { if zh.get() { "续约" } else { "Renew" } } else if zh.get() { "重新签约" } else { "New contract" }}
                </A>
            })}
        </section>
    }
    .into_any()
}

/// "Service delivered today": one tap against an item of the contract.
#[component]
fn DeliveryEntry(resident: Resident, contract_id: uuid::Uuid, items: Vec<u8>) -> impl IntoView {
    let zh = use_zh();
    let item = RwSignal::new(items.first().copied());
    let note = RwSignal::new(None::<String>);
    let (rid, birth, village) = (resident.id, resident.birth_date, StoredValue::new(resident.village_id.clone()));
    let record = move |_| {
        let input = RecordInput::new(
            village.get_value(),
            Some(rid),
            today(),
            RecordBody::Delivery(DeliveryInput { contract_id, item: item.get_untracked(), note: String::new() }),
            None,
        );
        note.set(Some(match save_record(input, Some(birth)) {
            Ok(()) => "已记录 / Recorded".into(),
            Err(e) => e.message(zh.get_untracked()),
        }));
    };
    view! {
        <div class="grid2">
            <select name="delivery_item" on:change=move |ev| item.set(event_target_value(&ev).parse().ok())>
                {items.into_iter().map(|i| view! { <option value=i.to_string()>{move || label(SERVICE_ITEMS, i, zh.get())}</option> }).collect_view()}
            </select>
            <button type="button" class="button" data-testid="record-delivery" on:click=record>{t!(zh, "记录今日履约", "Record a service today")}</button>
        </div>
        <p class="hint">{move || note.get()}</p>
    }
}

#[component]
pub fn ContractNewPage() -> impl IntoView {
    view! { <FormGate form=|r| view! { <ContractForm resident=r/> }.into_any()/> }
}

/// Packages a resident's flags suggest: the basic one, plus hypertension, diabetes, older people and children.
fn suggested(r: &Resident) -> Vec<u8> {
    let mut p = vec![1];
    let flags = r.all_flags(today());
    for (flag, package) in [(KeyFlag::Htn, 2), (KeyFlag::T2dm, 3), (KeyFlag::Elderly65, 4), (KeyFlag::Child0To6, 5)] {
        if flags.contains(&flag) {
            p.push(package);
        }
    }
    p
}

#[component]
fn ContractForm(resident: Resident) -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let navigate = use_navigate();
    let user = expect_context::<crate::auth::SessionUser>();
    let previous = crate::local::api::read(|d| {
        latest(&d.records_of(resident.id, &[crate::record::RecordKind::Contract], &user.display_name))
            .map(|(r, c)| (r.stored.record.record_id, c.end_date(r.stored.record.date)))
    })
    .flatten();
    // A renewal starts the day after the old term ends (or today, if that has passed).
    let start = previous.map(|(_, end)| (end + chrono::Duration::days(1)).min(today())).unwrap_or_else(today);
    let date = RwSignal::new(start.to_string());
    let team = RwSignal::new(format!("{}家庭医生团队", resident.village_name));
    let doctor = RwSignal::new(user.display_name.clone());
    let packages = RwSignal::new(suggested(&resident));
    let term = RwSignal::new(DEFAULT_TERM_MONTHS.to_string());
    let fee = RwSignal::new(String::new());
    let signature = RwSignal::new(None::<String>);
    let (rid, birth, village) = (resident.id, resident.birth_date, StoredValue::new(resident.village_id.clone()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(day) = date.get().parse::<chrono::NaiveDate>() else {
            return errors.set(Some(AppError::field("date", "请填写签约日期", "Enter the signing date")));
        };
        let fee = match fee.get().trim() {
            "" => None,
            s => match s.parse::<f64>() {
                Ok(f) => Some(f),
                Err(_) => return errors.set(Some(AppError::field("fee", "请输入数字", "Enter a number"))),
            },
        };
        let input = RecordInput::new(
            village.get_value(),
            Some(rid),
            day,
            RecordBody::Contract(ContractInput {
                team: team.get(),
                doctor: doctor.get(),
                packages: packages.get(),
                term_months: term.get().parse().unwrap_or(0),
                fee,
                renewal_of: previous.map(|(id, _)| id),
            }),
            signature.get(),
        );
        save_and_open(input, Some(birth), &format!("/residents/{rid}"), errors, &navigate)
    };
    let renewal = previous.is_some();
    view! {
        <section class="card">
            <h1>{move || match (renewal, zh.get()) {
                (false, true) => "家庭医生签约",
                (false, false) => "Family-doctor contract",
                (true, true) => "家庭医生续约",
                (true, false) => "Renew the contract",
            }}</h1>
            <p class="muted">{resident.name.clone()}</p>
            <form on:submit=submit novalidate>
                <FormError/>
                <div class="grid2">
                    <TextField name="date" zh="签约日期" en="Signed on" value=date kind="date"/>
                    <TextField name="term_months" zh="期限（月）" en="Term (months)" value=term kind="number" inputmode="numeric"/>
                </div>
                <TextField name="team" zh="签约团队" en="Team" value=team/>
                <TextField name="doctor" zh="签约医生" en="Doctor" value=doctor/>
                <Field name="packages" zh="服务包" en="Service packages"><CodeChecks name="packages" table=PACKAGES values=packages/></Field>
                <TextField name="fee" zh="个人支付费用（元，可选）" en="Fee paid (yuan, optional)" value=fee kind="number" inputmode="decimal" step="0.01"/>
                <Field name="signature" zh="居民签名（两卡制确认）" en="Resident's signature (proof of service)">
                    <SignaturePad value=signature/>
                </Field>
                <button class="primary" type="submit" data-testid="save-contract">{t!(zh, "保存签约", "Save contract")}</button>
            </form>
        </section>
    }
}
