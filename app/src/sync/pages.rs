//! The conflicts page of township managers and county administrators.

use super::conflicts::{field_label, list_conflicts, resolve_conflict, value_label};
use crate::components::layout::RequireStaff;
use crate::i18n::use_zh;
use crate::t;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

#[component]
pub fn ConflictsPage() -> impl IntoView {
    let zh = use_zh();
    let rows = Resource::new(|| (), |_| list_conflicts());
    view! {
        <RequireStaff>
            <section>
                <h1>{t!(zh, "档案修改冲突", "Edit conflicts")}</h1>
                <p class="muted">
                    {t!(zh, "两台设备同时修改同一字段时，保留先到达服务器的值；下列为被替代的值，请核实。",
                        "When two devices changed the same field, the value that reached the server first was kept; the values below were set aside. Please check them.")}
                </p>
                <Suspense fallback=move || view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }>
                    {move || Suspend::new(async move {
                        match rows.await {
                            Err(e) => view! { <p class="form-error">{move || e.message(zh.get())}</p> }.into_any(),
                            Ok(list) if list.is_empty() => {
                                view! { <p class="muted" data-testid="no-conflicts">{t!(zh, "暂无冲突", "No conflicts")}</p> }.into_any()
                            }
                            Ok(list) => view! {
                                <ul class="visit-list" data-testid="conflicts">
                                    {list.into_iter().map(|c| view! {
                                        <li>
                                            <div class="row-main">
                                                <A href=format!("/residents/{}", c.resident_id)>{c.resident_name.clone()}</A>
                                                <span class="muted">{c.village_name.clone()}</span>
                                            </div>
                                            <div class="row-sub">
                                                {
                                                    let pairs: Vec<(String, String)> = c.fields.iter().cloned().zip(c.losing_values.iter().cloned()).collect();
                                                    move || {
                                                        let z = zh.get();
                                                        let set_aside = if z { "被替代的值" } else { "set aside" };
                                                        let text = pairs.iter().map(|(f, v)| format!("{}: {}", field_label(f, z), value_label(f, v, z))).collect::<Vec<_>>().join(" · ");
                                                        format!("{set_aside} — {text}")
                                                    }
                                                }
                                            </div>
                                            <div class="row-sub muted">{format!("{} · {}", c.at, c.author_name)}</div>
                                            {
                                                let id = c.id.clone();
                                                view! {
                                                    <button type="button" class="button" data-testid="resolve-conflict" on:click=move |_| {
                                                        let id = id.clone();
                                                        spawn_local(async move {
                                                            if resolve_conflict(id).await.is_ok() {
                                                                rows.refetch();
                                                            }
                                                        });
                                                    }>{t!(zh, "已核实", "Reviewed")}</button>
                                                }
                                            }
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </RequireStaff>
    }
}
