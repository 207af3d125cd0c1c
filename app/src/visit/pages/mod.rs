//! Views of follow-up visits: the history list on the resident page and the chronic follow-up form.

mod chronic_form;
mod insulin;
pub(crate) mod meds;

pub use chronic_form::{ChronicVisitCorrectPage, ChronicVisitPage};

use super::VisitSummary;
use crate::codes::{self, label};
use crate::i18n::use_zh;
use crate::local::SyncMark;
use crate::sync::badge::SyncNote;
use crate::t;
use leptos::prelude::*;
use leptos_router::components::A;

/// A resident's visits, newest first; urgent referrals stand out.
#[component]
pub fn VisitHistory(resident_id: uuid::Uuid, visits: Vec<(VisitSummary, SyncMark)>) -> impl IntoView {
    let zh = use_zh();
    if visits.is_empty() {
        return view! { <p class="muted" data-testid="no-visits">{t!(zh, "暂无随访记录", "No follow-ups yet")}</p> }
            .into_any();
    }
    view! {
        <ul class="visit-list" data-testid="visit-history">
            {visits
                .into_iter()
                .map(|(v, mark)| {
                    // The reading each program manages by: blood pressure, and fasting glucose for diabetes.
                    let bp = match (v.sbp, v.dbp) {
                        (Some(s), Some(d)) => format!("{s}/{d} mmHg"),
                        _ => String::new(),
                    };
                    let glucose = match (v.kind, v.fbg) {
                        (super::VisitKind::Diabetes, Some(g)) => Some(g),
                        _ => None,
                    };
                    let reading = move || match glucose {
                        Some(g) if zh.get() => format!("空腹血糖 {g:.1} mmol/L · {bp}"),
                        Some(g) => format!("FBG {g:.1} mmol/L · {bp}"),
                        None => bp.clone(),
                    };
                    view! {
                        <li class:urgent=v.urgent>
                            <div class="row-main">
                                <strong>{v.visit_date.to_string()}</strong>
                                <span>{move || v.kind.label(zh.get())}</span>
                            </div>
                            <div class="row-sub">
                                <span class="bp">{reading}</span>
                                " "
                                {move || {
                                    let z = zh.get();
                                    let mut parts = vec![label(codes::VISIT_OUTCOME, v.outcome, z)];
                                    parts.extend(v.mode.map(|m| label(codes::VISIT_MODE, m, z)));
                                    parts.extend(v.classification.map(|c| label(codes::CLASSIFICATION, c, z)));
                                    parts.extend(v.next_mgmt.map(|n| label(codes::NEXT_MGMT, n, z)));
                                    parts.join(" · ")
                                }}
                            </div>
                            <div class="row-sub muted">
                                {move || v.next_visit_date.map(|d| if zh.get() { format!("下次随访 {d}") } else { format!("Next visit {d}") })}
                                {move || if v.revision > 1 { if zh.get() { " · 已更正".to_string() } else { " · corrected".to_string() } } else { String::new() }}
                                " · "
                                {v.author_name.clone()}
                            </div>
                            <crate::record::pages::ProofMark signed=v.signed/>
                            <SyncNote mark/>
                            <A href=format!("/residents/{resident_id}/visits/{}/{}/correct", v.kind.code(), v.id) attr:class="correct" attr:data-testid="correct-visit">
                                {t!(zh, "更正", "Correct")}
                            </A>
                            {(matches!(v.next_mgmt, Some(crate::visit::chronic::NEXT_REFER | crate::visit::chronic::NEXT_URGENT)) || v.urgent).then(|| view! {
                                <A href=format!("/residents/{resident_id}/referral/new?source={}&kind={}", v.id, v.kind.code()) attr:class="button" attr:data-testid="make-referral">
                                    {t!(zh, "填写转诊单", "Write the referral")}
                                </A>
                            })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
