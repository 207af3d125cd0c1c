//! The editable insulin list of the diabetes form (胰岛素: type, usage and dose).

use crate::i18n::use_zh;
use crate::t;
use crate::visit::chronic::Insulin;
use leptos::prelude::*;

#[component]
pub fn InsulinEditor(insulin: RwSignal<Vec<Insulin>>) -> impl IntoView {
    let zh = use_zh();
    let set = move |i: usize, f: &dyn Fn(&mut Insulin)| {
        insulin.update(|m| {
            if let Some(x) = m.get_mut(i) {
                f(x)
            }
        })
    };
    view! {
        <div class="meds" data-testid="insulin">
            {move || {
                insulin
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, m)| {
                        view! {
                            <div class="med-row">
                                <input aria-label="胰岛素种类" placeholder=move || if zh.get() { "种类" } else { "Type" } value=m.kind.clone()
                                    on:change=move |ev| { let v = event_target_value(&ev); set(i, &|x| x.kind = v.clone()) }/>
                                <input aria-label="用法和用量" placeholder=move || if zh.get() { "用法和用量" } else { "Usage and dose" } value=m.usage.clone()
                                    on:change=move |ev| { let v = event_target_value(&ev); set(i, &|x| x.usage = v.clone()) }/>
                                <button type="button" class="icon" aria-label="删除" on:click=move |_| insulin.update(|m| { m.remove(i); })>"×"</button>
                            </div>
                        }
                    })
                    .collect_view()
            }}
            <button type="button" class="small" on:click=move |_| insulin.update(|m| m.push(Insulin::default()))>
                {t!(zh, "+ 添加胰岛素", "+ Add insulin")}
            </button>
        </div>
    }
}
