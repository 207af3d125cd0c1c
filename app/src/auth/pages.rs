//! The login page.

use super::api::login;
use super::LoginInput;
use crate::components::fields::{provide_form_errors, FormError, TextField};
use crate::components::layout::use_current_user;
use crate::i18n::use_zh;
use crate::t;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[component]
pub fn LoginPage() -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let user = use_current_user();
    let navigate = use_navigate();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let input = LoginInput { username: username.get_untracked(), password: password.get_untracked() };
        let navigate = navigate.clone();
        spawn_local(async move {
            match login(input).await {
                Ok(u) => {
                    errors.set(None);
                    user.0.refetch();
                    let home = if u.role == super::Role::Resident { "/me" } else { "/today" };
                    navigate(home, Default::default());
                }
                Err(e) => errors.set(Some(e)),
            }
            busy.set(false);
        });
    };

    view! {
        <section class="card narrow">
            <h1>{t!(zh, "登录", "Log in")}</h1>
            <p class="muted">{t!(zh, "乡村医生基本公共卫生服务", "Basic public health services for village doctors")}</p>
            // `post`: a tap on the button before the app has started must not put the password in the address.
            <form method="post" on:submit=submit>
                <FormError/>
                <TextField name="username" zh="用户名（居民请填身份证号）" en="Username (residents: ID number)" value=username autocomplete="username"/>
                <TextField name="password" zh="密码" en="Password" value=password kind="password" autocomplete="current-password"/>
                <button class="primary" type="submit" disabled=move || busy.get()>
                    {t!(zh, "登录", "Log in")}
                </button>
            </form>
            <p><A href="/activate" attr:data-testid="to-activate">{t!(zh, "居民首次使用？用村医给的开通码激活账号", "Resident using Cunyi for the first time? Activate with the code from your doctor")}</A></p>
        </section>
    }
}
