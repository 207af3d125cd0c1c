//! The PIN screens in front of a phone's store (本机数据加密): choose a PIN on first use, enter it to open
//! the app (offline too), and, after too many wrong PINs or a forgotten one, open it again by logging in
//! online with the account's password and choosing a new PIN.

use super::pin::{pin_problem, Vault};
use crate::auth::SessionUser;
use crate::components::fields::{provide_form_errors, FormError, TextField};
use crate::error::AppError;
use crate::i18n::use_zh;
use crate::t;
use leptos::prelude::*;

/// Shows `children` once the user's store is open; until then the PIN screen it needs. A cold start renders
/// the screen the screen cookie names (the server from the request, the browser hydrating from
/// `document.cookie`, so both render the same markup; a loading line without one), and the browser then
/// looks at its PIN record: the screen changes only if the cookie was stale, and its button works from then.
#[component]
pub fn PinGate(user: SessionUser, children: ChildrenFn) -> impl IntoView {
    let vault = RwSignal::new(first_state(&user));
    // The PIN screen's form is sent only once the browser knows the store's state.
    let ready = RwSignal::new(false);
    let user = StoredValue::new(user);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let id = user.read_value().id.clone();
        let now = super::vault::state(&id);
        super::vault::remember_screen(&id, now);
        if vault.get_untracked() != now {
            vault.set(now);
        }
        ready.set(true);
    });
    let children = StoredValue::new(children);
    let zh = use_zh();
    move || match vault.get() {
        Vault::Unknown => view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }.into_any(),
        Vault::Open => {
            super::api::start(&user.read_value());
            children.read_value()().into_any()
        }
        state => view! { <PinScreen user=user.get_value() state=state vault=vault ready=ready/> }.into_any(),
    }
}

/// The state to render first: the screen cookie's on a cold start; open at once when this page already
/// holds the key (a page opened from within the app).
fn first_state(user: &SessionUser) -> Vault {
    #[cfg(feature = "hydrate")]
    if super::vault::key(&user.id).is_some() {
        return Vault::Open;
    }
    Vault::from_cookie(crate::i18n::cookie_value(super::pin::SCREEN_COOKIE).as_deref(), &user.id)
}

#[component]
fn PinScreen(user: SessionUser, state: Vault, vault: RwSignal<Vault>, ready: RwSignal<bool>) -> impl IntoView {
    let zh = use_zh();
    let errors = provide_form_errors();
    let (pin, again, password) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let busy = RwSignal::new(false);
    // Entering the PIN, or (forgotten or locked) the password and a new PIN.
    let recovering = RwSignal::new(state == Vault::Locked);
    let user = StoredValue::new(user);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || !ready.get_untracked() {
            return;
        }
        let (p, a) = (pin.get_untracked(), again.get_untracked());
        let choosing = state == Vault::NeedsSetup || recovering.get_untracked();
        if choosing {
            if let Some((z, e)) = pin_problem(&p, &a) {
                errors.set(Some(AppError::field("pin", z, e)));
                return;
            }
        }
        busy.set(true);
        let pw = password.get_untracked();
        let u = user.get_value();
        leptos::task::spawn_local(async move {
            let result = run(&u, state, recovering.get_untracked(), &p, pw).await;
            busy.set(false);
            match result {
                Ok(next) => {
                    errors.set(None);
                    pin.set(String::new());
                    vault.set(next);
                }
                Err(e) => errors.set(Some(e)),
            }
        });
    };
    let title = move || match (state, recovering.get(), zh.get()) {
        (Vault::NeedsSetup, _, true) => "设置本机PIN",
        (Vault::NeedsSetup, _, false) => "Choose a PIN for this phone",
        (_, true, true) => "用账号密码解锁",
        (_, true, false) => "Unlock with your password",
        (_, false, true) => "输入PIN解锁",
        (_, false, false) => "Enter your PIN",
    };
    view! {
        <section class="card narrow" data-testid="pin-screen" data-state=format!("{state:?}") data-ready=move || ready.get().to_string()>
            <h1>{title}</h1>
            {match state {
                Vault::NeedsSetup => view! { <p class="hint">{t!(zh, "本机保存的居民健康数据用PIN加密；离线时输入PIN即可使用。忘记PIN时，可联网用账号密码重新设置。", "The health data kept on this phone is encrypted with your PIN, which also opens the app offline. A forgotten PIN is reset online with your password.")}</p> }.into_any(),
                Vault::Locked => view! { <p class="form-error" role="alert" data-testid="pin-locked">{t!(zh, "PIN错误次数过多，本机数据已锁定。请联网，用账号密码登录并设置新的PIN。", "Too many wrong PINs: the data on this phone is locked. Go online and log in with your password to choose a new PIN.")}</p> }.into_any(),
                Vault::NeedsPin { left } => view! { <p class="hint" data-testid="pin-left">{move || if zh.get() { format!("还可尝试 {left} 次。连续输错 {} 次后，需联网用账号密码解锁。", super::pin::MAX_FAILURES) } else { format!("{left} tries left. After {} wrong PINs in a row, the password is needed online.", super::pin::MAX_FAILURES) }}</p> }.into_any(),
                _ => ().into_any(),
            }}
            <form method="post" on:submit=submit>
                <FormError/>
                <Show when=move || recovering.get()>
                    <p class="muted">{move || format!("{}{}", t!(zh, "账号：", "Account: ")(), user.read_value().username)}</p>
                    <TextField name="password" zh="登录密码" en="Password" value=password kind="password"/>
                </Show>
                <TextField name="pin" zh="PIN（6–12位数字）" en="PIN (6–12 digits)" value=pin kind="password" inputmode="numeric"/>
                <Show when=move || state == Vault::NeedsSetup || recovering.get()>
                    <TextField name="pin_again" zh="再次输入PIN" en="PIN again" value=again kind="password" inputmode="numeric"/>
                </Show>
                <button class="primary" type="submit" data-testid="pin-submit" disabled=move || busy.get() || !ready.get()>
                    {move || match (busy.get(), zh.get()) {
                        (true, true) => "请稍候…",
                        (true, false) => "Please wait…",
                        (false, true) => "确定",
                        (false, false) => "OK",
                    }}
                </button>
            </form>
            <Show when=move || matches!(state, Vault::NeedsPin { .. }) && !recovering.get()>
                <button type="button" class="button secondary" data-testid="pin-forgot" on:click=move |_| recovering.set(true)>
                    {t!(zh, "忘记PIN？用账号密码解锁", "Forgot the PIN? Unlock with your password")}
                </button>
            </Show>
        </section>
    }
}

/// Carries out the screen's form; returns the store's next state.
#[allow(unused_variables)]
async fn run(
    user: &SessionUser,
    state: Vault,
    recovering: bool,
    pin: &str,
    password: String,
) -> Result<Vault, AppError> {
    #[cfg(feature = "hydrate")]
    {
        use super::vault;
        if recovering {
            vault::recover(user, password, pin).await?;
            return Ok(Vault::Open);
        }
        if state == Vault::NeedsSetup {
            vault::set_up(user, pin).await?;
            return Ok(Vault::Open);
        }
        match vault::unlock(user, pin).await? {
            vault::Unlock::Open => Ok(Vault::Open),
            vault::Unlock::Wrong(super::pin::Wrong::Locked) => Ok(Vault::Locked),
            vault::Unlock::Wrong(super::pin::Wrong::TryAgain { left }) => Err(AppError::field(
                "pin",
                &format!("PIN不正确，还可尝试 {left} 次"),
                &format!("Wrong PIN, {left} tries left"),
            )),
        }
    }
    #[cfg(not(feature = "hydrate"))]
    Err(AppError::Internal)
}
