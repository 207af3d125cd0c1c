//! The page frame: the top bar (who is logged in, language switch, logout) and the guard that sends
//! anonymous visitors to the login page.

use crate::auth::api::logout;
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::i18n::{set_lang, use_zh};
use crate::local::lock_pages::PinGate;
use crate::t;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Redirect, A};

/// The session as the whole app sees it; `refetch` after login and logout.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Result<Option<SessionUser>, AppError>>);

pub fn use_current_user() -> CurrentUser {
    expect_context::<CurrentUser>()
}

#[component]
pub fn TopBar() -> impl IntoView {
    let zh = use_zh();
    let user = use_current_user();
    let on_logout = move |_| {
        spawn_local(async move {
            let _ = logout().await;
            // The device's data stays (unsynced entries are never dropped); only the remembered login goes.
            crate::auth::remember_user(None);
            user.0.refetch();
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_href("/login");
            }
        });
    };
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">{t!(zh, "村医", "Cunyi")}</A>
            <div class="topbar-right">
                <crate::sync::badge::SyncBadge/>
                <button
                    class="lang"
                    type="button"
                    aria-label="切换语言 / Switch language"
                    on:click=move |_| set_lang(zh, !zh.get_untracked())
                >
                    {t!(zh, "EN", "中文")}
                </button>
                <Transition>
                    {move || {
                        user.0.get().and_then(|r| r.ok()).flatten().map(|u| {
                            view! {
                                <span class="who" data-testid="who">{u.display_name.clone()}</span>
                                <button class="logout" type="button" on:click=on_logout>
                                    {t!(zh, "退出", "Log out")}
                                </button>
                            }
                        })
                    }}
                </Transition>
            </div>
        </header>
        <nav class="tabs" aria-label="主菜单 / Main menu">
            // A resident's account has one page; staff have the work tabs.
            <Transition>
                {move || {
                    let resident = user.0.get().and_then(|r| r.ok()).flatten().is_some_and(|u| u.role == crate::auth::Role::Resident);
                    if resident {
                        view! { <A href="/me" attr:data-testid="tab-me">{t!(zh, "我的健康档案", "My health record")}</A> }.into_any()
                    } else {
                        view! {
                            <A href="/today" attr:data-testid="tab-today">{t!(zh, "今日", "Today")}</A>
                            <A href="/residents" attr:data-testid="tab-residents">{t!(zh, "居民", "Residents")}</A>
                            <A href="/education">{t!(zh, "健康教育", "Health education")}</A>
                            <A href="/reports" attr:data-testid="tab-reports">{t!(zh, "疫情报告", "Reports")}</A>
                            <A href="/sync">{t!(zh, "同步", "Sync")}</A>
                        }.into_any()
                    }
                }}
            </Transition>
            // Township and county staff manage by the indicators and the review queue.
            <Transition>
                {move || {
                    user.0.get().and_then(|r| r.ok()).flatten().filter(|u| {
                        matches!(u.role, crate::auth::Role::TownshipManager | crate::auth::Role::CountyAdmin)
                    }).map(|_| view! {
                        <A href="/dashboard" attr:data-testid="tab-dashboard">{t!(zh, "统计", "Indicators")}</A>
                        <A href="/review" attr:data-testid="tab-review">{t!(zh, "审核", "Review")}</A>
                        <A href="/quality" attr:data-testid="tab-quality">{t!(zh, "核查", "Quality")}</A>
                    })
                }}
            </Transition>
            <Transition>
                {move || {
                    user.0.get().and_then(|r| r.ok()).flatten().filter(|u| u.role == crate::auth::Role::CountyAdmin).map(|_| view! {
                        <A href="/users" attr:data-testid="tab-users">{t!(zh, "账号", "Accounts")}</A>
                        <A href="/audit" attr:data-testid="tab-audit">{t!(zh, "审计", "Audit")}</A>
                    })
                }}
            </Transition>
        </nav>
    }
}

/// Renders `children` with the logged-in staff member, or redirects to the login page.
#[component]
pub fn RequireStaff(children: ChildrenFn) -> impl IntoView {
    let user = use_current_user();
    let zh = use_zh();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match user.0.await {
                    Ok(Some(u)) if u.role.is_staff() => {
                        provide_context(u.clone());
                        if crate::local::api::on_device(&u) {
                            // The phone's store opens with the PIN first.
                            view! { <PinGate user=u>{children.read_value()()}</PinGate> }.into_any()
                        } else {
                            children.read_value()().into_any()
                        }
                    }
                    // A resident's account has its own page.
                    Ok(Some(_)) => view! { <Redirect path="/me"/> }.into_any(),
                    Ok(None) => view! { <Redirect path="/login"/> }.into_any(),
                    Err(e) => view! { <p class="form-error">{move || e.message(zh.get())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Renders `children` with the logged-in resident (their phone's store opened and syncing), sends staff to
/// their own pages and anonymous visitors to the login page.
#[component]
pub fn RequireResident(children: ChildrenFn) -> impl IntoView {
    let user = use_current_user();
    let zh = use_zh();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t!(zh, "加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match user.0.await {
                    Ok(Some(u)) if u.role == crate::auth::Role::Resident => {
                        provide_context(u.clone());
                        view! { <PinGate user=u>{children.read_value()()}</PinGate> }.into_any()
                    }
                    Ok(Some(_)) => view! { <Redirect path="/today"/> }.into_any(),
                    Ok(None) => view! { <Redirect path="/login"/> }.into_any(),
                    Err(e) => view! { <p class="form-error">{move || e.message(zh.get())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
