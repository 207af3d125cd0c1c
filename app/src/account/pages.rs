//! Residents' accounts in the app: the card on a resident's page where the village doctor issues an
//! activation code (text and QR code) and picks which children of the household the parent's account shows,
//! and the page where the resident activates their account.

use super::api::{activate, issue_activation, link_child, linked_children};
use super::{ActivateInput, ActivationCode};
use crate::components::fields::{provide_form_errors, FormError, TextField};
use crate::components::layout::use_current_user;
use crate::error::AppError;
use crate::i18n::use_zh;
use crate::local::api::read;
use crate::resident::{age_on, Resident};
use crate::t;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The code in two groups of four, as read out.
fn spaced(code: &str) -> String {
    if code.len() == 8 {
        format!("{} {}", &code[..4], &code[4..])
    } else {
        code.to_string()
    }
}

/// The doctor's card: issue a code (online), show it with its QR code; link the household's children.
#[component]
pub fn AccountCard(r: Resident) -> impl IntoView {
    let zh = use_zh();
    let id = r.id;
    let code: RwSignal<Option<ActivationCode>> = RwSignal::new(None);
    let error: RwSignal<Option<AppError>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let has_id_no = r.id_no.is_some();
    let issue = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match issue_activation(id).await {
                Ok(c) => {
                    error.set(None);
                    code.set(Some(c));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let adult = age_on(r.birth_date, crate::device::today()) >= 18;
    view! {
        <section class="card" data-testid="account-card">
            <h2>{t!(zh, "居民账号（健康档案随身带）", "Resident account")}</h2>
            {if has_id_no {
                view! {
                    <p class="hint">{t!(zh, "生成开通码后，请居民用手机扫码或打开“村医”→“激活账号”，输入身份证号和开通码，设置密码。开通码7天内有效，只能使用一次；再次生成会使旧码失效。", "Once a code is issued, the resident scans it or opens Cunyi → Activate, enters their ID number and the code and sets a password. The code works once within 7 days; a new code voids the old one.")}</p>
                    <button type="button" class="button primary" data-testid="issue-activation" on:click=issue disabled=move || busy.get()>
                        {t!(zh, "生成开通码", "Issue an activation code")}
                    </button>
                }.into_any()
            } else {
                view! { <p class="hint">{t!(zh, "档案中没有身份证号，无法开通（居民以身份证号登录）。", "The record has no ID number, which the resident logs in with.")}</p> }.into_any()
            }}
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{move || e.message(zh.get())}</p> })}
            {move || code.get().map(|c| view! {
                <div class="activation" data-testid="activation">
                    <p class="activation-code" data-testid="activation-code" data-code=c.code.clone()>{spaced(&c.code)}</p>
                    <div class="qr" role="img" aria-label=move || if zh.get() { "开通码二维码" } else { "Activation QR code" } inner_html=c.qr_svg.clone()></div>
                    <p class="muted">{move || if zh.get() { format!("有效期至 {}", c.expires_at) } else { format!("Valid until {}", c.expires_at) }}</p>
                </div>
            })}
            {adult.then(|| view! { <ChildLinks parent=r.clone()/> })}
        </section>
    }
}

/// The household's children under 18, each with a switch: shown in this parent's account or not.
#[component]
fn ChildLinks(parent: Resident) -> impl IntoView {
    let zh = use_zh();
    let id = parent.id;
    let today = crate::device::today();
    let household = parent.household_id.clone();
    let children = move || {
        read(|d| d.household_members(&household, id))
            .unwrap_or_default()
            .into_iter()
            .filter(|c| age_on(c.birth_date, today) < 18)
            .collect::<Vec<_>>()
    };
    let linked = LocalResource::new(move || linked_children(id));
    let error: RwSignal<Option<AppError>> = RwSignal::new(None);
    view! {
        {move || {
            let kids = children();
            (!kids.is_empty()).then(|| view! {
                <h3>{t!(zh, "在此账号中显示的子女", "Children shown in this account")}</h3>
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{move || e.message(zh.get())}</p> })}
                <ul class="plain-list" data-testid="child-links">
                    {kids.into_iter().map(|c| {
                        let child = c.id;
                        let on = move || linked.get().and_then(|r| r.ok()).is_some_and(|l| l.contains(&child));
                        let toggle = move |ev: leptos::ev::Event| {
                            let want = event_target_checked(&ev);
                            spawn_local(async move {
                                match link_child(id, child, want).await {
                                    Ok(()) => error.set(None),
                                    Err(e) => error.set(Some(e)),
                                }
                                linked.refetch();
                            });
                        };
                        let label_id = format!("link-{child}");
                        view! {
                            <li>
                                <label class="check">
                                    <input type="checkbox" id=label_id data-testid="link-child" prop:checked=on on:change=toggle/>
                                    {format!("{} · {}", c.name, age_on(c.birth_date, today))}{t!(zh, "岁", " y")}
                                </label>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })
        }}
    }
}

/// `/activate`: ID number, the code from the doctor (filled in from the QR code's address) and a password.
#[component]
pub fn ActivatePage() -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let query = use_query_map();
    let id_no = RwSignal::new(String::new());
    let code = RwSignal::new(query.with_untracked(|q| q.get("code").unwrap_or_default()));
    let password = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let user = use_current_user();
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        if password.get_untracked() != again.get_untracked() {
            errors.set(Some(AppError::field("password2", "两次输入的密码不一致", "The passwords differ")));
            return;
        }
        busy.set(true);
        let input = ActivateInput {
            id_no: id_no.get_untracked().trim().to_uppercase(),
            code: code.get_untracked(),
            password: password.get_untracked(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match activate(input).await {
                Ok(u) => {
                    errors.set(None);
                    crate::auth::remember_user(Some(&u));
                    user.0.refetch();
                    navigate("/me", Default::default());
                }
                Err(e) => errors.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card narrow">
            <h1>{t!(zh, "激活居民账号", "Activate your account")}</h1>
            <p class="muted">{t!(zh, "请输入您的身份证号和村医给您的8位开通码，并设置登录密码。以后用身份证号和密码登录。", "Enter your ID number and the 8-digit code from your village doctor, and choose a password. From then on you log in with your ID number and password.")}</p>
            <form method="post" on:submit=submit>
                <FormError/>
                <TextField name="id_no" zh="身份证号" en="ID number" value=id_no/>
                <TextField name="code" zh="开通码" en="Activation code" value=code inputmode="numeric"/>
                <TextField name="password" zh="设置密码（至少8位）" en="Password (8 or more characters)" value=password kind="password"/>
                <TextField name="password2" zh="再次输入密码" en="Password again" value=again kind="password"/>
                <button class="primary" type="submit" data-testid="activate" disabled=move || busy.get()>
                    {t!(zh, "激活并登录", "Activate and log in")}
                </button>
            </form>
            <p><A href="/login">{t!(zh, "已有账号？去登录", "Have an account? Log in")}</A></p>
        </section>
    }
}
