//! The application shell: the HTML document, the PWA tags and the routes.

use crate::auth::api::me;
use crate::auth::pages::LoginPage;
use crate::components::layout::{CurrentUser, TopBar};
use crate::contract::pages::ContractNewPage;
use crate::education::pages::{EducationDetailPage, EducationListPage, EducationNewPage};
use crate::elderly::pages::ElderlyCheckPage;
use crate::home_visit::pages::HomeVisitPage;
use crate::i18n::{initial_zh, Zh};
use crate::referral::pages::ReferralNewPage;
use crate::resident::pages::{ResidentDetailPage, ResidentEditPage, ResidentListPage, ResidentNewPage};
use crate::smi::pages::SmiVisitPage;
use crate::sync::badge::SyncPage;
use crate::sync::pages::ConflictsPage;
use crate::task::pages::TodayPage;
use crate::tb::pages::TbVisitPage;
use crate::vaccination::pages::{ContactNewPage, DoseNewPage};
use crate::visit::pages::{ChronicVisitCorrectPage, ChronicVisitPage};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = if initial_zh() { "zh-CN" } else { "en" };
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#0f766e"/>
                <meta name="description" content="村医：乡村医生的基本公共卫生服务工具"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="icon" href="/icons/icon-192.png" type="image/png"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
                <script src="/register-sw.js" defer nonce=leptos::nonce::use_nonce()></script>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The page's content security policy: scripts of this origin and the page's own inline script (by the
/// nonce Leptos puts on it), WebAssembly, styles and images of this origin (photos as `blob:`/`data:`), no
/// plugins, never framed. Set on the server response; the browser build has no response to set it on.
fn content_security_policy() {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
        let policy = format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
             object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        );
        if let Ok(v) = axum::http::HeaderValue::from_str(&policy) {
            res.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(Zh(RwSignal::new(initial_zh())));
    crate::local::api::provide_local();
    // Names this device in a cookie before the first request (the audit log records it).
    let _ = crate::device::device_id();
    // Offline, the server cannot say who is logged in: the device remembers the last user it confirmed.
    let user = Resource::new(
        || (),
        |_| async move {
            match me().await {
                Ok(u) => {
                    crate::auth::remember_user(u.as_ref());
                    Ok(u)
                }
                Err(e) => crate::auth::remembered_user().map(|u| Ok(Some(u))).unwrap_or(Err(e)),
            }
        },
    );
    provide_context(CurrentUser(user));

    view! {
        <Stylesheet id="leptos" href="/pkg/cunyi.css"/>
        <Title text="村医 Cunyi"/>
        <Router>
            <TopBar/>
            <main class="page">
                <Routes fallback=|| view! { <p class="notice">"页面不存在 / Page not found"</p> }>
                    <Route path=path!("/") view=|| view! { <Redirect path="/today"/> }/>
                    <Route path=path!("/today") view=TodayPage/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/activate") view=crate::account::pages::ActivatePage/>
                    <Route path=path!("/me") view=crate::my_record::pages::MyRecordPage/>
                    <Route path=path!("/residents") view=ResidentListPage/>
                    <Route path=path!("/conflicts") view=ConflictsPage/>
                    <Route path=path!("/review") view=crate::review::pages::ReviewPage/>
                    <Route path=path!("/dashboard") view=crate::indicator::pages::DashboardPage/>
                    <Route path=path!("/quality") view=crate::quality::pages::QualityPage/>
                    <Route path=path!("/users") view=crate::users::pages::UsersPage/>
                    <Route path=path!("/audit") view=crate::audit::pages::AuditPageView/>
                    <Route path=path!("/sync") view=SyncPage/>
                    <Route path=path!("/shell") view=OfflineShell/>
                    <Route path=path!("/residents/new") view=ResidentNewPage/>
                    <Route path=path!("/residents/:id") view=ResidentDetailPage/>
                    <Route path=path!("/residents/:id/edit") view=ResidentEditPage/>
                    <Route path=path!("/residents/:id/visits/:kind/new") view=ChronicVisitPage/>
                    <Route path=path!("/residents/:id/visits/:kind/:visit/correct") view=ChronicVisitCorrectPage/>
                    <Route path=path!("/residents/:id/doses/new") view=DoseNewPage/>
                    <Route path=path!("/residents/:id/contacts/new") view=ContactNewPage/>
                    <Route path=path!("/residents/:id/contract/new") view=ContractNewPage/>
                    <Route path=path!("/residents/:id/smi/new") view=SmiVisitPage/>
                    <Route path=path!("/residents/:id/tb/new") view=TbVisitPage/>
                    <Route path=path!("/residents/:id/elderly/new") view=ElderlyCheckPage/>
                    <Route path=path!("/residents/:id/home-visit/new") view=HomeVisitPage/>
                    <Route path=path!("/residents/:id/referral/new") view=ReferralNewPage/>
                    <Route path=path!("/education") view=EducationListPage/>
                    <Route path=path!("/education/new") view=EducationNewPage/>
                    <Route path=path!("/education/:id") view=EducationDetailPage/>
                </Routes>
            </main>
        </Router>
    }
}

/// The page the service worker keeps for starting offline. Opened at another address, the browser builds the
/// app there instead of hydrating this page (see `hydrate` in lib.rs).
#[component]
fn OfflineShell() -> impl IntoView {
    view! { <p id="offline-shell" class="loading">"加载中… / Loading…"</p> }
}
