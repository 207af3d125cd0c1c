//! The editable medication list of the follow-up forms (用药情况, 用药调整意见).

use crate::i18n::use_zh;
use crate::t;
use crate::visit::Medication;
use leptos::prelude::*;

#[component]
pub fn MedsEditor(name: &'static str, meds: RwSignal<Vec<Medication>>) -> impl IntoView {
    let zh = use_zh();
    let set = move |i: usize, f: &dyn Fn(&mut Medication)| {
        meds.update(|m| {
            if let Some(x) = m.get_mut(i) {
                f(x)
            }
        })
    };
    view! {
        <div class="meds" data-testid=name>
            {move || {
                meds.get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, m)| {
                        view! {
                            <div class="med-row">
                                <input aria-label="药物名称" placeholder=move || if zh.get() { "药物名称" } else { "Drug" } value=m.name.clone()
                                    on:change=move |ev| { let v = event_target_value(&ev); set(i, &|x| x.name = v.clone()) }/>
                                <input aria-label="每日次数" type="number" min="1" max="12" class="short" value=m.times_per_day.to_string()
                                    on:change=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(0); set(i, &|x| x.times_per_day = v) }/>
                                <input aria-label="每次剂量" class="short" placeholder=move || if zh.get() { "剂量" } else { "Dose" } value=m.dose.clone()
                                    on:change=move |ev| { let v = event_target_value(&ev); set(i, &|x| x.dose = v.clone()) }/>
                                <button type="button" class="icon" aria-label="删除" on:click=move |_| meds.update(|m| { m.remove(i); })>"×"</button>
                            </div>
                        }
                    })
                    .collect_view()
            }}
            <button type="button" class="small" on:click=move |_| meds.update(|m| m.push(Medication { times_per_day: 1, ..Default::default() }))>
                {t!(zh, "+ 添加药物", "+ Add drug")}
            </button>
        </div>
    }
}
