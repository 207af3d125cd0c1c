//! The TCM constitution form for residents of 65 and over (老年人中医药健康管理服务记录表): the 33 questions
//! with the five answers, the nine results computed as the doctor ticks (是 / 倾向是 / 基本是), the mixed-result
//! notes (兼夹, tie, 阴虚+阳虚, none), and the guidance chosen per positive type.

use super::*;
use crate::components::fields::{provide_form_errors, Field, FormError, TextField};
use crate::device::today;
use crate::i18n::{pick, use_zh};
use crate::record::pages::{save_and_open, FormGate};
use crate::record::{RecordBody, RecordInput};
use crate::resident::Resident;
use crate::t;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn TcmElderlyPage() -> impl IntoView {
    view! { <FormGate form=|r| view! { <TcmElderlyForm resident=r/> }.into_any()/> }
}

/// The five answers of one question as large radio buttons.
fn question_row(q: Question, answers: RwSignal<Answers>, zh: RwSignal<bool>) -> impl IntoView {
    let n = q.number;
    let name = format!("q{n}");
    let anchor = anchor(n);
    view! {
        <fieldset class="question" data-field=name.clone()>
            <legend>{move || format!("{n}. {}", if zh.get() { q.zh } else { q.en })}</legend>
            <div class="answers">
                {Frequency::ALL.into_iter().enumerate().map(|(i, f)| {
                    let score = f.score();
                    let name = name.clone();
                    view! {
                        <label class="check">
                            <input type="radio" name=name value=score.to_string()
                                prop:checked=move || answers.with(|a| a.get(n) == score)
                                on:change=move |_| answers.update(|a| a.set(n, score))/>
                            <span>{move || match anchor {
                                Some(a) => if zh.get() { a.zh[i] } else { a.en[i] },
                                None => f.label(zh.get()),
                            }}</span>
                        </label>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
}

#[component]
fn TcmElderlyForm(resident: Resident) -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let navigate = use_navigate();
    let (rid, birth, village) = (resident.id, resident.birth_date, StoredValue::new(resident.village_id.clone()));
    let date = RwSignal::new(today().to_string());
    let answers = RwSignal::new(Answers::default());
    let guided = RwSignal::new(std::collections::BTreeMap::<Constitution, Vec<Guidance>>::new());
    let next = RwSignal::new(String::new());
    let complete = move || answers.with(|a| answer_errors(a).is_empty());
    let assessment = Memo::new(move |_| complete().then(|| answers.with(score)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(day) = date.get().parse::<NaiveDate>() else {
            return errors.set(Some(AppError::field("date", "请填写日期", "Enter the date")));
        };
        let positives = assessment.get().map(|a| a.positives()).unwrap_or_default();
        let guidance: Vec<TypeGuidance> = guided
            .get()
            .into_iter()
            .filter(|(c, items)| positives.contains(c) && !items.is_empty())
            .map(|(constitution, items)| TypeGuidance { constitution, items, other: String::new() })
            .collect();
        let input = TcmElderlyInput {
            date: day,
            answers: answers.get(),
            guidance,
            note: String::new(),
            next_date: next.get().parse().ok(),
        };
        let record =
            RecordInput::new(village.get_value(), Some(rid), day, RecordBody::TcmElderly(Box::new(input)), None);
        save_and_open(record, Some(birth), &format!("/residents/{rid}"), errors, &navigate)
    };
    let results = move || {
        let z = zh.get();
        let Some(a) = assessment.get() else {
            let left = answers.with(|a| a.0.iter().filter(|x| **x == 0).count());
            return view! { <p class="hint">{if z { format!("还有{left}题未答") } else { format!("{left} questions left") }}</p> }.into_any();
        };
        let mut notes = Vec::new();
        if a.tie() {
            notes.push(pick(z, "得分并列：由中医师判定", "A tie: a TCM doctor decides"));
        }
        if a.contradiction() {
            notes.push(pick(
                z,
                "阴虚质与阳虚质同时为是：请复核答案",
                "Yin and yang deficiency both positive: check the answers",
            ));
        }
        if a.none_positive() {
            notes.push(pick(z, "无明确体质：查找原因或2周后重新辨识", "No type: find the cause or redo in 2 weeks"));
        }
        view! {
            <ul class="tcm-results" data-testid="tcm-results">
                {Constitution::ALL.into_iter().map(|c| {
                    let v = a.verdict_of(c);
                    view! { <li class:positive=v.is_positive()>{c.label(z)} " " {a.score_of(c)} " · " {v.label(z)}</li> }
                }).collect_view()}
            </ul>
            {notes.into_iter().map(|n| view! { <p class="advice-banner">{n}</p> }).collect_view()}
            {a.positives().into_iter().map(|c| view! {
                <Field name="guidance" zh="保健指导" en="Guidance">
                    <p>{c.label(z)}</p>
                    <div class="checks">
                        {Guidance::ALL.into_iter().map(|g| view! {
                            <label class="check">
                                <input type="checkbox" name=format!("guidance.{}", c.key())
                                    prop:checked=move || guided.with(|m| m.get(&c).is_some_and(|v| v.contains(&g)))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        guided.update(|m| {
                                            let v = m.entry(c).or_default();
                                            v.retain(|x| *x != g);
                                            if on {
                                                v.push(g);
                                            }
                                        });
                                    }/>
                                <span>{g.label(z)}</span>
                            </label>
                        }).collect_view()}
                    </div>
                </Field>
            }).collect_view()}
        }
        .into_any()
    };
    view! {
        <section class="card">
            <h1>{t!(zh, "老年人中医药健康管理", "TCM constitution (65+)")}</h1>
            <p class="muted">{resident.name.clone()}</p>
            <p class="hint">{t!(zh, "请根据近一年的体验和感觉回答。", "Answer for the usual state over the past year.")}</p>
            <form on:submit=submit novalidate>
                <FormError/>
                <TextField name="date" zh="填表日期" en="Date" value=date kind="date"/>
                {QUESTIONS.into_iter().map(|q| question_row(q, answers, zh)).collect_view()}
                <h2>{t!(zh, "体质辨识结果", "Result")}</h2>
                {results}
                <TextField name="next_date" zh="下次随访日期" en="Next visit" value=next kind="date"/>
                <button class="primary" type="submit" data-testid="save-tcm">{t!(zh, "保存", "Save")}</button>
            </form>
        </section>
    }
}
