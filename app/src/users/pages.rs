//! `/users`: the county's staff accounts with a switch to disable or enable each (county administrators).

use super::api::{county_users, set_user_active};
use crate::components::layout::RequireStaff;
use crate::error::AppError;
use crate::i18n::use_zh;
use crate::t;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn UsersPage() -> impl IntoView {
    view! { <RequireStaff><Users/></RequireStaff> }
}

#[component]
fn Users() -> impl IntoView {
    let zh = use_zh();
    let rows = LocalResource::new(county_users);
    // One's own account has no switch (the server refuses it anyway).
    let me = expect_context::<crate::auth::SessionUser>().id;
    let error: RwSignal<Option<AppError>> = RwSignal::new(None);
    let toggle = move |id: String, active: bool| {
        spawn_local(async move {
            match set_user_active(id, active).await {
                Ok(()) => error.set(None),
                Err(e) => error.set(Some(e)),
            }
            rows.refetch();
        });
    };
    view! {
        <section class="card">
            <h1>{t!(zh, "账号管理", "Accounts")}</h1>
            <p class="hint">{t!(zh, "停用后，该账号的登录立即失效，手机下次同步会被拒绝，直到重新启用。", "A disabled account is logged out at once and its phone's next sync is refused until it is enabled again.")}</p>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{move || e.message(zh.get())}</p> })}
            {move || match rows.get() {
                None => view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error">{move || e.message(zh.get())}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="visit-list" data-testid="users">
                        {list.into_iter().map(|u| {
                            let (id, active) = (u.id.clone(), u.active);
                            let own = u.id == me;
                            view! {
                                <li data-testid="user" data-username=u.username.clone() class:inactive=!active>
                                    <div class="row-main">
                                        <strong>{u.display_name.clone()}</strong>
                                        <span>{u.username.clone()}</span>
                                    </div>
                                    <div class="row-sub muted">{move || format!("{} · {}", u.role.label(zh.get()), u.place)}</div>
                                    {(!own).then(|| view! {
                                        <button type="button" class=if active { "button danger" } else { "button" } data-testid="toggle-user"
                                            on:click=move |_| toggle(id.clone(), !active)>
                                            {move || match (active, zh.get()) {
                                                (true, true) => "停用",
                                                (true, false) => "Disable",
                                                (false, true) => "启用",
                                                (false, false) => "Enable",
                                            }}
                                        </button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
