//! The township's register of open pregnancies (`/pregnancies`): each woman with the village screen's
//! findings and her current colour, graded on the spot (绿/黄/橙/红, with 紫 beside any of them) with the
//! reasons. The grade is stored as the mother's record and reaches the village doctor's phone.

use super::api::{grade_pregnancy, pregnancy_register, PregnancyRow};
use super::grading::RiskGradeInput;
use super::risk::{RiskColor, RiskGrade};
use crate::auth::{Role, SessionUser};
use crate::components::fields::{provide_form_errors, FormError, TextField};
use crate::i18n::{pick, use_zh};
use crate::record::{RecordBody, RecordInput};
use crate::t;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

#[component]
pub fn PregnancyRegisterPage() -> impl IntoView {
    view! { <crate::components::layout::RequireStaff><Register/></crate::components::layout::RequireStaff> }
}

#[component]
fn Register() -> impl IntoView {
    let zh = use_zh();
    let user = expect_context::<SessionUser>();
    if !matches!(user.role, Role::TownshipManager | Role::CountyAdmin) {
        return view! { <p class="notice">{t!(zh, "妊娠风险由乡镇卫生院评估分级", "The township grades pregnancy risk")}</p> }
            .into_any();
    }
    let rows = LocalResource::new(pregnancy_register);
    view! {
        <section class="list-page">
            <h1>{t!(zh, "妊娠风险评估分级", "Pregnancy risk grades")}</h1>
            <p class="hint">{t!(zh,
                "村医建册时筛查，乡镇卫生院评估分级：绿色低风险、黄色一般风险、橙色较高风险、红色高风险；紫色为传染病，可与其他颜色并存。",
                "The village screens at registration; the township grades: green low, yellow general, orange higher, red high risk; purple (infectious disease) goes beside any of them.")}</p>
            {move || match rows.get() {
                None => view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error">{e.message(zh.get())}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="hint">{t!(zh, "辖区内暂无在孕妇女", "No open pregnancies")}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="pregnancies" data-testid="pregnancies">
                        {list.into_iter().map(|row| view! { <GradeRow row=row/> }).collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </section>
    }
    .into_any()
}

const LEVELS: [RiskColor; 4] = [RiskColor::Green, RiskColor::Yellow, RiskColor::Orange, RiskColor::Red];

#[component]
fn GradeRow(row: PregnancyRow) -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let current = RwSignal::new(row.grade);
    let level = RwSignal::new(row.grade.and_then(|g| g.level));
    let purple = RwSignal::new(row.grade.is_some_and(|g| g.purple));
    let reasons = RwSignal::new(row.reasons.clone());
    let saved = RwSignal::new(false);
    let (pregnancy_id, resident_id, village) = (row.pregnancy_id, row.resident_id, row.village_id.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let grade = RiskGrade::combine(level.get().into_iter().chain(purple.get().then_some(RiskColor::Purple)));
        let body = RecordBody::RiskGrade(Box::new(RiskGradeInput { pregnancy_id, grade, reasons: reasons.get() }));
        let input = RecordInput::new(village.clone(), Some(resident_id), crate::device::today(), body, None);
        saved.set(false);
        spawn_local(async move {
            match grade_pregnancy(input).await {
                Ok(()) => {
                    errors.set(None);
                    current.set(Some(grade));
                    saved.set(true);
                }
                Err(e) => errors.set(Some(e)),
            }
        });
    };
    let flags = row.flags.clone();
    let name = format!("level-{pregnancy_id}");
    view! {
        <li class="card" data-testid="pregnancy">
            <p>
                <A href=format!("/residents/{resident_id}") attr:data-testid="pregnancy-woman"><strong>{row.name.clone()}</strong></A>
                " · " {row.village_name.clone()}
                {row.due_date.map(|d| view! { " · " {move || pick(zh.get(), "预产期", "due")} " " {d.to_string()} })}
            </p>
            <p class="hint" data-testid="screen">{move || {
                let z = zh.get();
                if flags.is_empty() {
                    pick(z, "筛查未见高危因素", "No risk factor on the screen").to_string()
                } else {
                    format!("{}：{}", pick(z, "筛查阳性", "Screen"), flags.iter().map(|f| f.message(z)).collect::<Vec<_>>().join("；"))
                }
            }}</p>
            <p data-testid="grade">{move || {
                let z = zh.get();
                match current.get() {
                    Some(g) => format!("{}：{}", pick(z, "当前分级", "Grade"), g.label(z)),
                    None => pick(z, "尚未分级", "Not graded yet").to_string(),
                }
            }}</p>
            <form on:submit=submit novalidate>
                <FormError/>
                <div class="checks" data-field="grade">
                    {LEVELS.into_iter().map(|c| {
                        let name = name.clone();
                        view! {
                            <label class="check">
                                <input type="radio" name=name value=c.label(false)
                                    prop:checked=move || level.get() == Some(c)
                                    on:change=move |_| level.set(Some(c))/>
                                <span>{move || c.label(zh.get())}</span>
                            </label>
                        }
                    }).collect_view()}
                    <label class="check">
                        <input type="checkbox" name="purple" prop:checked=move || purple.get()
                            on:change=move |ev| purple.set(event_target_checked(&ev))/>
                        <span>{move || RiskColor::Purple.label(zh.get())}</span>
                    </label>
                </div>
                <TextField name="reasons" zh="分级理由" en="Reasons" value=reasons/>
                <button class="primary" type="submit" data-testid="save-grade">{t!(zh, "保存分级", "Save the grade")}</button>
                {move || saved.get().then(|| view! { <span class="hint" role="status">{move || pick(zh.get(), "已保存", "Saved")}</span> })}
            </form>
        </li>
    }
}
