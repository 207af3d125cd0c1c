//! What the record pages share: reading records (from the device for a village doctor, from the server for
//! township and county staff), saving a record or photo through the outbox, showing a photo, and the
//! signature pad for the resident's confirmation (两卡制).

use super::api::{get_record, resident_records, village_records};
use super::{AttachmentInput, AttachmentMeta, RecordContext, RecordInput, RecordKind, StoredRecord};
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::i18n::use_zh;
use crate::local::api::{on_device, read};
use crate::local::{ShownRecord, SyncMark};
use crate::sync::EntryBody;
use crate::t;
use leptos::prelude::*;
use uuid::Uuid;

/// Which records a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A resident's records.
    Resident(Uuid),
    /// Records of one kind in the user's villages.
    Kind(RecordKind),
    /// One record.
    One(Uuid),
}

fn synced(v: Vec<StoredRecord>) -> Vec<ShownRecord> {
    v.into_iter().map(|stored| ShownRecord { stored, mark: SyncMark::Synced }).collect()
}

/// The records of `scope`, newest first; None while loading.
pub fn records(scope: Memo<Option<Scope>>) -> impl Fn() -> Option<Result<Vec<ShownRecord>, AppError>> + Copy {
    let user = StoredValue::new(expect_context::<SessionUser>());
    let device = on_device(&user.read_value());
    // Read in the browser only: the server renders the loading line and the browser fills the records in.
    // (Rendered on the server, the township's session list sometimes failed to hydrate; the cause was not
    // found, see the closing note of issue 4.)
    let server = LocalResource::new(move || {
        let scope = scope.get();
        async move {
            if device {
                return Ok(vec![]);
            }
            match scope.ok_or(AppError::NotFound)? {
                Scope::Resident(id) => resident_records(id).await.map(synced),
                Scope::Kind(k) => village_records(k).await.map(synced),
                Scope::One(id) => get_record(id).await.map(|r| synced(vec![r])),
            }
        }
    });
    move || {
        if device {
            let Some(scope) = scope.get() else { return Some(Err(AppError::NotFound)) };
            read(|d| {
                let me = user.read_value().display_name.clone();
                Ok(match scope {
                    Scope::Resident(id) => d.records_where(&me, |r| r.resident_id == Some(id)),
                    Scope::Kind(k) => d.records_where(&me, |r| r.kind() == k),
                    Scope::One(id) => d.record(id, &me).into_iter().collect(),
                })
            })
        } else {
            server.get()
        }
    }
}

/// Checks a record with the shared rules and puts it in the outbox (online or not).
pub fn save_record(input: RecordInput, birth_date: Option<chrono::NaiveDate>) -> Result<(), AppError> {
    input.validate(&RecordContext::new(crate::device::now(), birth_date))?;
    crate::local::api::save(EntryBody::Record(Box::new(input))).map(|_| ())
}

/// Saves a form's record and opens `to` (the resident's page, the reports), or shows on the form what is
/// wrong: every form ends this way.
pub fn save_and_open(
    input: RecordInput,
    birth_date: Option<chrono::NaiveDate>,
    to: &str,
    errors: RwSignal<Option<AppError>>,
    navigate: &impl Fn(&str, leptos_router::NavigateOptions),
) {
    match save_record(input, birth_date) {
        Ok(()) => navigate(to, Default::default()),
        Err(e) => errors.set(Some(e)),
    }
}

/// Checks a photo and puts it in the outbox.
pub fn save_photo(a: AttachmentInput) -> Result<(), AppError> {
    a.validate()?;
    crate::local::api::save(EntryBody::Attachment(Box::new(a))).map(|_| ())
}

/// A record's photo: from the outbox while unsynced, from the server after.
#[component]
pub fn PhotoView(meta: AttachmentMeta) -> impl IntoView {
    let zh = use_zh();
    let id = meta.id;
    let pending = move || read(|d| d.pending_photo(id)).flatten();
    let kind = meta.kind;
    let meta = StoredValue::new(meta);
    let problem = move || read(|d| meta.with_value(|m| d.photo_problem(m))).flatten();
    view! {
        <figure class="photo" data-testid="photo">
            <img
                src=move || pending().unwrap_or_else(|| format!("/api/attachments/{id}"))
                alt=move || if zh.get() { "照片（联网后可查看）" } else { "Photo (shown when online)" }
                loading="lazy"
            />
            <figcaption>
                <span>{move || crate::codes::label(super::attachment::PHOTO_KINDS, kind, zh.get())}</span>
                {move || problem().map(|e| view! { <span class="sync-note bad">{e.message(zh.get())}</span> })}
            </figcaption>
        </figure>
    }
}

/// The resident signs on the screen; the strokes are kept as an SVG path (a few KB), shown back as drawn.
#[component]
pub fn SignaturePad(value: RwSignal<Option<String>>) -> impl IntoView {
    let zh = use_zh();
    let drawing = RwSignal::new(false);
    let add = move |cmd: &str, ev: &web_sys::PointerEvent| {
        let (x, y) = (ev.offset_x(), ev.offset_y());
        value.update(|v| {
            let path = v.get_or_insert_with(String::new);
            if !path.is_empty() {
                path.push(' ');
            }
            path.push_str(&format!("{cmd}{x} {y}"));
        });
    };
    view! {
        <div class="signature">
            <svg
                class="signature-pad"
                data-testid="signature-pad"
                viewBox="0 0 320 120"
                width="320"
                height="120"
                role="img"
                aria-label=move || if zh.get() { "居民签名区" } else { "Resident signature area" }
                on:pointerdown=move |ev| {
                    ev.prevent_default();
                    drawing.set(true);
                    add("M", &ev);
                }
                on:pointermove=move |ev| {
                    if drawing.get_untracked() {
                        add("L", &ev);
                    }
                }
                on:pointerup=move |_| drawing.set(false)
                on:pointerleave=move |_| drawing.set(false)
            >
                <path d=move || value.get().unwrap_or_default() fill="none" stroke="#111" stroke-width="2"/>
            </svg>
            <button type="button" class="button" on:click=move |_| value.set(None)>{t!(zh, "重签", "Clear")}</button>
            <span class="muted">{move || match (value.with(Option::is_some), zh.get()) {
                (true, true) => "已签名",
                (true, false) => "Signed",
                (false, true) => "未签名（可稍后由居民在本人账户确认）",
                (false, false) => "Not signed (the resident can confirm later in their own account)",
            }}</span>
        </div>
    }
}

/// "Signed" or "no resident confirmation" beside a service record, so the township can see which lack one.
#[component]
pub fn ProofMark(signed: bool) -> impl IntoView {
    let zh = use_zh();
    view! {
        <span class=if signed { "proof ok" } else { "proof missing" } data-testid="proof">
            {move || match (signed, zh.get()) {
                (true, true) => "居民已签名",
                (true, false) => "Signed by the resident",
                (false, true) => "无居民确认",
                (false, false) => "No resident confirmation",
            }}
        </span>
    }
}

/// The resident a record form is for, read once from the device (record forms are the village doctor's, and a
/// later sync must not reset what they are typing). None while loading.
pub fn form_resident(id: Memo<Option<Uuid>>) -> Memo<Option<Result<crate::resident::Resident, AppError>>> {
    let user = StoredValue::new(expect_context::<SessionUser>());
    let device = on_device(&user.read_value());
    Memo::new(move |prev: Option<&Option<Result<crate::resident::Resident, AppError>>>| {
        if let Some(Some(Ok(r))) = prev {
            return Some(Ok(r.clone()));
        }
        if !device {
            return Some(Err(AppError::Forbidden));
        }
        let Some(id) = id.get() else { return Some(Err(AppError::NotFound)) };
        read(|d| d.resident(id, &user.read_value()).map(|(r, _)| r).ok_or(AppError::NotFound))
    })
}

/// A record form for the resident of the `:id` route parameter, with its loading and error states.
#[component]
pub fn FormGate(form: fn(crate::resident::Resident) -> AnyView) -> impl IntoView {
    view! { <crate::components::layout::RequireStaff><FormGateInner form/></crate::components::layout::RequireStaff> }
}

#[component]
fn FormGateInner(form: fn(crate::resident::Resident) -> AnyView) -> impl IntoView {
    let zh = use_zh();
    let resident = form_resident(crate::resident::pages::id_param());
    move || {
        match resident.get() {
        None => view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }.into_any(),
        Some(Err(AppError::Forbidden)) => {
            view! { <p class="notice">{t!(zh, "此记录由村医在手机上录入", "Village doctors record this on their phones")}</p> }
                .into_any()
        }
        Some(Err(e)) => view! { <p class="form-error">{move || e.message(zh.get())}</p> }.into_any(),
        Some(Ok(r)) => form(r),
    }
    }
}

/// One line saying what a record holds, for the resident's service log.
pub fn summary(body: &super::RecordBody, zh: bool) -> String {
    use super::RecordBody as B;
    use crate::codes::label;
    let next = |d: Option<chrono::NaiveDate>| {
        d.map(|d| if zh { format!(" · 下次 {d}") } else { format!(" · next {d}") }).unwrap_or_default()
    };
    match body {
        B::SmiVisit(v) => format!(
            "{}{}{}",
            v.risk.map(|r| if zh { format!("危险性{r}级 · ") } else { format!("risk {r} · ") }).unwrap_or_default(),
            v.class.map(|c| label(crate::smi::CLASS, c, zh)).unwrap_or_else(|| label(
                crate::codes::VISIT_OUTCOME,
                v.outcome,
                zh
            )),
            next(v.next_visit_date)
        ),
        B::TbVisit(v) => {
            let kind = v.visit_type.map(|t| label(crate::tb::VISIT_TYPE, t, zh)).unwrap_or_default();
            let regular = v.regular().map(|r| match (r, zh) {
                (true, true) => " · 规则服药",
                (true, false) => " · regular",
                (false, true) => " · 未规则服药",
                (false, false) => " · not regular",
            });
            let missed = v.doses_missed.map(|m| if zh { format!(" · 漏服{m}次") } else { format!(" · {m} missed") });
            format!("{kind}{}{}{}", regular.unwrap_or_default(), missed.unwrap_or_default(), next(v.next_visit_date))
        }
        B::Referral(r) => format!(
            "{}{} · {} · {}",
            if r.urgent {
                if zh {
                    "紧急 · "
                } else {
                    "urgent · "
                }
            } else {
                ""
            },
            r.institution,
            r.reason,
            r.result.map(|x| label(crate::referral::RESULT, x, zh)).unwrap_or_default()
        ),
        B::HomeVisit(h) => {
            let s: Vec<String> = h.services.iter().map(|x| label(crate::home_visit::SERVICES, *x, zh)).collect();
            format!("{}{}", s.join("、"), next(h.next_date))
        }
        B::ElderlyCheck(c) => {
            let care = c.self_care.map(|s| format!("{} ({})", s.band().label(zh), s.score())).unwrap_or_default();
            let bp = match (c.sbp, c.dbp) {
                (Some(s), Some(d)) => format!(" · {s}/{d} mmHg"),
                _ => String::new(),
            };
            format!("{care}{bp}{}", next(c.next_date))
        }
        _ => program_summary(body, zh),
    }
}

/// The summary line of the later services (mothers, newborns, children, TCM, reports).
fn program_summary(body: &super::RecordBody, zh: bool) -> String {
    use super::RecordBody as B;
    let next = |d: Option<chrono::NaiveDate>| {
        d.map(|d| if zh { format!(" · 下次 {d}") } else { format!(" · next {d}") }).unwrap_or_default()
    };
    match body {
        B::Pregnancy(p) => {
            let ga =
                p.ga_at_registration().map(|(w, d)| if zh { format!("孕{w}+{d}周") } else { format!("GA {w}+{d}") });
            let edd = p.edd().map(|e| if zh { format!(" · 预产期 {e}") } else { format!(" · due {e}") });
            format!("{}{}{}", ga.unwrap_or_default(), edd.unwrap_or_default(), next(p.next_date))
        }
        B::Prenatal(p) => p.visit.label(zh).to_string(),
        B::Childbirth(c) => {
            let live = c.live_births();
            if zh {
                format!("分娩 {} · 活产{live}", c.delivery_date)
            } else {
                format!("Delivered {} · {live} live", c.delivery_date)
            }
        }
        B::Birth(b) => b.birth_weight_kg.map(|w| format!("{w} kg")).unwrap_or_default(),
        B::Postpartum(p) => p.temperature.map(|t| format!("{t} ℃")).unwrap_or_default() + &next(p.next_date),
        B::Postpartum42(c) => c.classification.map(|x| x.label(zh).to_string()).unwrap_or_default(),
        B::NewbornVisit(v) => {
            let refer = crate::newborn::referral_checks(v);
            let first = refer.first().map(|r| format!(" · {}", r.message(zh))).unwrap_or_default();
            format!("{}{first}{}", v.temperature.map(|t| format!("{t} ℃")).unwrap_or_default(), next(v.next_date))
        }
        B::ChildCheck(c) => format!("{}{}", c.point.label(zh), next(c.next_date)),
        B::TcmElderly(t) => {
            let a = t.assessment();
            let types: Vec<&str> = a.positives().into_iter().map(|c| c.label(zh)).collect();
            types.join("、")
        }
        B::TcmChild(t) => {
            if zh {
                format!("{}月龄", t.age_months)
            } else {
                format!("{} months", t.age_months)
            }
        }
        B::DiseaseReport(r) => crate::infectious::catalogue()
            .get(&r.disease)
            .map(|d| d.name(zh).to_string())
            .unwrap_or_else(|| r.disease.clone()),
        B::SupervisionReport(r) => crate::codes::label(crate::supervision::CATEGORY, r.category, zh),
        B::EventReport(e) => {
            format!("{} · {}", crate::codes::label(crate::infectious::event::CATEGORY, e.category, zh), e.title)
        }
        // The township's grade, as the doctor sees it on the mother's page: "橙色+紫色 · 年龄41岁".
        B::RiskGrade(g) => format!("{} · {}", g.grade.label(zh), g.reasons),
        _ => String::new(),
    }
}

/// The resident's other service records (mental-health and TB follow-ups, referrals, home visits, elderly
/// checks), newest first, each with its proof of service.
#[component]
pub fn ServiceLog(records: Vec<ShownRecord>) -> impl IntoView {
    let zh = use_zh();
    let rows: Vec<ShownRecord> = records
        .into_iter()
        .filter(|r| {
            matches!(
                r.stored.record.kind(),
                RecordKind::SmiVisit
                    | RecordKind::TbVisit
                    | RecordKind::Referral
                    | RecordKind::HomeVisit
                    | RecordKind::ElderlyCheck
                    | RecordKind::Pregnancy
                    | RecordKind::Prenatal
                    | RecordKind::Childbirth
                    | RecordKind::Birth
                    | RecordKind::Postpartum
                    | RecordKind::Postpartum42
                    | RecordKind::NewbornVisit
                    | RecordKind::ChildCheck
                    | RecordKind::TcmElderly
                    | RecordKind::TcmChild
                    | RecordKind::DiseaseReport
            )
        })
        .collect();
    (!rows.is_empty()).then(|| {
        view! {
            <h2>{t!(zh, "其他服务记录", "Other services")}</h2>
            <ul class="visit-list" data-testid="service-log">
                {rows.into_iter().map(|r| {
                    let kind = r.stored.record.kind();
                    let body = r.stored.record.body.clone();
                    let urgent = match &body {
                        super::RecordBody::Referral(x) => x.urgent,
                        super::RecordBody::SmiVisit(x) => x.must_refer(),
                        super::RecordBody::NewbornVisit(x) => crate::newborn::needs_immediate_referral(x),
                        _ => false,
                    };
                    let signed = r.stored.record.signature.is_some();
                    view! {
                        <li class:urgent=urgent data-testid=format!("service-{}", kind.code())>
                            <div class="row-main">
                                <strong>{r.stored.record.date.to_string()}</strong>
                                <span>{move || kind.label(zh.get())}</span>
                            </div>
                            <div class="row-sub"><span>{move || summary(&body, zh.get())}</span></div>
                            <div class="row-sub muted">{r.stored.author_name.clone()}</div>
                            {(kind != RecordKind::Referral).then(|| view! { <ProofMark signed/> })}
                            <crate::sync::badge::SyncNote mark=r.mark.clone()/>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    })
}
