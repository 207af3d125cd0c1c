//! The application shell: the HTML document, the PWA tags and the routes.

use crate::account::pages::ActivatePage;
use crate::audit::pages::AuditPageView;
use crate::auth::api::me;
use crate::auth::pages::LoginPage;
use crate::child::pages::ChildCheckPage;
use crate::components::layout::{CurrentUser, TopBar};
use crate::contract::pages::ContractNewPage;
use crate::education::pages::{EducationDetailPage, EducationListPage, EducationNewPage};
use crate::elderly::pages::ElderlyCheckPage;
use crate::home_visit::pages::HomeVisitPage;
use crate::i18n::{initial_zh, Zh};
use crate::indicator::pages::DashboardPage;
use crate::infectious::event_page::EventReportPage;
use crate::infectious::pages::{DiseaseReportPage, ReportsPage};
use crate::maternal::check42_page::Check42Page;
use crate::maternal::grading_page::PregnancyRegisterPage;
use crate::maternal::pages::ChildbirthPage;
use crate::maternal::postpartum_page::PostpartumPage;
use crate::maternal::prenatal_page::PrenatalPage;
use crate::maternal::registration_page::PregnancyPage;
use crate::my_record::pages::MyRecordPage;
use crate::newborn::pages::NewbornVisitPage;
use crate::quality::pages::QualityPage;
use crate::referral::pages::ReferralNewPage;
use crate::resident::pages::{ResidentDetailPage, ResidentEditPage, ResidentListPage, ResidentNewPage};
use crate::review::pages::ReviewPage;
use crate::smi::pages::SmiVisitPage;
use crate::supervision::pages::SupervisionNewPage;
use crate::sync::badge::SyncPage;
use crate::sync::pages::ConflictsPage;
use crate::task::pages::TodayPage;
use crate::tb::pages::TbVisitPage;
use crate::tcm::child_page::TcmChildPage;
use crate::tcm::pages::TcmElderlyPage;
use crate::users::pages::UsersPage;
use crate::vaccination::pages::{ContactNewPage, DoseNewPage};
use crate::visit::pages::{ChronicVisitCorrectPage, ChronicVisitPage};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::{lazy_route, path, Lazy, LazyRoute, SsrMode};

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
                // The stylesheet under its hashed name (`/pkg/cunyi.<hash>.css`), cached for a year.
                <HashedStylesheet options=options.clone() id="leptos"/>
                <AutoReload options=options.clone()/>
                <StartScript options=options.clone()/>
                <MetaTags/>
                <script src="/register-sw.js" defer nonce=leptos::nonce::use_nonce()></script>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Starts the app once the page has loaded and the browser is idle: the page the server rendered is painted
/// first, and its JS and WASM are not fetched beside the page (Leptos's `HydrationScripts` preloads them at
/// once, which a slow network pays for before the first paint). Leptos's component is still called, for the
/// split manifest it provides (the lazy pages' preload links); its markup is not used.
#[component]
fn StartScript(options: LeptosOptions) -> impl IntoView {
    let _ = HydrationScripts(leptos::hydration::HydrationScriptsProps::builder().options(options.clone()).build());
    let (js, wasm) = pkg_names(&options);
    let pkg = &options.site_pkg_dir;
    let script = format!(
        "window.addEventListener('load', () => {{ const go = () => import('/{pkg}/{js}.js').then((m) => \
         m.default({{ module_or_path: '/{pkg}/{wasm}.wasm' }}).then(() => m.hydrate())); \
         if ('requestIdleCallback' in window) requestIdleCallback(go, {{ timeout: 2000 }}); else setTimeout(go, 0); }});"
    );
    view! { <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script> }
}

/// The names of the JS and WASM files of this build: with the hashes of the site's `hash.txt` when there is
/// one (release builds, see `server::config`), as Leptos's own component names them.
fn pkg_names(options: &LeptosOptions) -> (String, String) {
    let name = options.output_name.to_string();
    #[cfg(feature = "ssr")]
    if options.hash_files {
        // Relative to the binary's directory as Leptos reads it; `server::config` makes it the site's.
        let file = std::env::current_exe().ok().and_then(|e| e.parent().map(|d| d.join(options.hash_file.as_ref())));
        let hashes = file.and_then(|f| std::fs::read_to_string(f).ok()).unwrap_or_default();
        let hashed = |kind: &str| {
            hashes
                .lines()
                .filter_map(|l| l.split_once(':'))
                .find(|(k, _)| k.trim() == kind)
                .map_or_else(|| name.clone(), |(_, h)| format!("{name}.{}", h.trim()))
        };
        return (hashed("js"), hashed("wasm"));
    }
    let wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_none() { format!("{name}_bg") } else { name.clone() };
    (name, wasm)
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
        <Title text="村医 Cunyi"/>
        <Router>
            <TopBar/>
            <main class="page">
                // Every page is rendered whole before it is sent (`SsrMode::Async`): with out-of-order
                // streaming, a page whose data arrived after the first chunk was swapped in by a script, and a
                // lazily loaded page hydrating after that swap failed to hydrate now and then (a tachys marker
                // panic on /residents, about one load in three). The data is local to the server, so waiting
                // for it costs a few milliseconds.
                <Routes fallback=|| view! { <p class="notice">"页面不存在 / Page not found"</p> }>
                    <Route path=path!("/") ssr=SsrMode::Async view=|| view! { <Redirect path="/today"/> }/>
                    <Route path=path!("/today") ssr=SsrMode::Async view=TodayPage/>
                    <Route path=path!("/login") ssr=SsrMode::Async view=LoginPage/>
                    <Route path=path!("/activate") ssr=SsrMode::Async view={Lazy::<Activate>::new()}/>
                    <Route path=path!("/me") ssr=SsrMode::Async view={Lazy::<MyRecord>::new()}/>
                    <Route path=path!("/residents") ssr=SsrMode::Async view={Lazy::<ResidentList>::new()}/>
                    <Route path=path!("/conflicts") ssr=SsrMode::Async view={Lazy::<Conflicts>::new()}/>
                    <Route path=path!("/review") ssr=SsrMode::Async view={Lazy::<Review>::new()}/>
                    <Route path=path!("/dashboard") ssr=SsrMode::Async view={Lazy::<Dashboard>::new()}/>
                    <Route path=path!("/quality") ssr=SsrMode::Async view={Lazy::<Quality>::new()}/>
                    <Route path=path!("/users") ssr=SsrMode::Async view={Lazy::<Users>::new()}/>
                    <Route path=path!("/audit") ssr=SsrMode::Async view={Lazy::<Audit>::new()}/>
                    <Route path=path!("/sync") ssr=SsrMode::Async view={Lazy::<SyncStatus>::new()}/>
                    <Route path=path!("/shell") ssr=SsrMode::Async view=OfflineShell/>
                    <Route path=path!("/residents/new") ssr=SsrMode::Async view={Lazy::<ResidentNew>::new()}/>
                    <Route path=path!("/residents/:id") ssr=SsrMode::Async view={Lazy::<ResidentDetail>::new()}/>
                    <Route path=path!("/residents/:id/edit") ssr=SsrMode::Async view={Lazy::<ResidentEdit>::new()}/>
                    <Route path=path!("/residents/:id/visits/:kind/new") ssr=SsrMode::Async view={Lazy::<ChronicVisit>::new()}/>
                    <Route path=path!("/residents/:id/visits/:kind/:visit/correct") ssr=SsrMode::Async view={Lazy::<ChronicVisitCorrect>::new()}/>
                    <Route path=path!("/residents/:id/doses/new") ssr=SsrMode::Async view={Lazy::<DoseNew>::new()}/>
                    <Route path=path!("/residents/:id/contacts/new") ssr=SsrMode::Async view={Lazy::<ContactNew>::new()}/>
                    <Route path=path!("/residents/:id/contract/new") ssr=SsrMode::Async view={Lazy::<ContractNew>::new()}/>
                    <Route path=path!("/residents/:id/smi/new") ssr=SsrMode::Async view={Lazy::<SmiVisit>::new()}/>
                    <Route path=path!("/residents/:id/tb/new") ssr=SsrMode::Async view={Lazy::<TbVisit>::new()}/>
                    <Route path=path!("/residents/:id/elderly/new") ssr=SsrMode::Async view={Lazy::<ElderlyCheck>::new()}/>
                    <Route path=path!("/residents/:id/home-visit/new") ssr=SsrMode::Async view={Lazy::<HomeVisit>::new()}/>
                    <Route path=path!("/residents/:id/referral/new") ssr=SsrMode::Async view={Lazy::<ReferralNew>::new()}/>
                    <Route path=path!("/residents/:id/childbirth/new") ssr=SsrMode::Async view={Lazy::<ChildbirthNew>::new()}/>
                    <Route path=path!("/residents/:id/newborn-visit/new") ssr=SsrMode::Async view={Lazy::<NewbornVisit>::new()}/>
                    <Route path=path!("/residents/:id/postpartum/new") ssr=SsrMode::Async view={Lazy::<PostpartumNew>::new()}/>
                    <Route path=path!("/residents/:id/pregnancy/new") ssr=SsrMode::Async view={Lazy::<PregnancyNew>::new()}/>
                    <Route path=path!("/residents/:id/postpartum42/new") ssr=SsrMode::Async view={Lazy::<Check42New>::new()}/>
                    <Route path=path!("/residents/:id/prenatal/new") ssr=SsrMode::Async view={Lazy::<PrenatalNew>::new()}/>
                    <Route path=path!("/residents/:id/child-check/new") ssr=SsrMode::Async view={Lazy::<ChildCheckNew>::new()}/>
                    <Route path=path!("/residents/:id/tcm/new") ssr=SsrMode::Async view={Lazy::<TcmElderlyNew>::new()}/>
                    <Route path=path!("/residents/:id/tcm-child/new") ssr=SsrMode::Async view={Lazy::<TcmChildNew>::new()}/>
                    <Route path=path!("/reports") ssr=SsrMode::Async view={Lazy::<Reports>::new()}/>
                    <Route path=path!("/reports/disease/new") ssr=SsrMode::Async view={Lazy::<DiseaseReportNew>::new()}/>
                    <Route path=path!("/pregnancies") ssr=SsrMode::Async view={Lazy::<PregnancyRegister>::new()}/>
                    <Route path=path!("/reports/event/new") ssr=SsrMode::Async view={Lazy::<EventReportNew>::new()}/>
                    <Route path=path!("/reports/supervision/new") ssr=SsrMode::Async view={Lazy::<SupervisionNew>::new()}/>
                    <Route path=path!("/education") ssr=SsrMode::Async view={Lazy::<EducationList>::new()}/>
                    <Route path=path!("/education/new") ssr=SsrMode::Async view={Lazy::<EducationNew>::new()}/>
                    <Route path=path!("/education/:id") ssr=SsrMode::Async view={Lazy::<EducationDetail>::new()}/>
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

/// Pages whose code is a separate WASM part, fetched the first time the page is opened (`cargo leptos build
/// --split`), so a phone's first load carries only the shell, the login and Today's PIN screen. The service
/// worker precaches every part for offline use, and once a doctor's store is open the parts are loaded in
/// the background, so opening a page later waits for nothing.
macro_rules! lazy_pages {
    ($($route:ident => $page:ident),* $(,)?) => {
        $(
            #[doc = concat!("The lazily loaded route of [`", stringify!($page), "`].")]
            pub struct $route;

            #[lazy_route]
            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                fn view(_this: Self) -> AnyView {
                    view! { <$page/> }.into_any()
                }
            }
        )*

        /// Loads every page's part (from the service worker's cache once it has them), all at once: called when
        /// a doctor's store has opened, so the pages open at once afterwards, and keep opening if the network
        /// goes away before the service worker has cached the parts. Not on the login page or before the PIN,
        /// where it would compete with the first paint and the first input.
        /// When every part has loaded, `<body data-pages-loaded>` says so (browser tests wait for it before
        /// they take the phone offline).
        pub fn preload_pages() {
            let left = std::rc::Rc::new(std::cell::Cell::new(0usize));
            $(
                left.set(left.get() + 1);
                let counter = left.clone();
                leptos::task::spawn_local(async move {
                    <$route as LazyRoute>::preload().await;
                    counter.set(counter.get() - 1);
                    if counter.get() == 0 {
                        mark_pages_loaded();
                    }
                });
            )*
        }
    };
}

lazy_pages! {
    // The pages a village doctor opens most come first: they are loaded first after the start.
    ResidentList => ResidentListPage,
    ResidentDetail => ResidentDetailPage,
    ChronicVisit => ChronicVisitPage,
    SyncStatus => SyncPage,
    ResidentNew => ResidentNewPage,
    ResidentEdit => ResidentEditPage,
    ChronicVisitCorrect => ChronicVisitCorrectPage,
    DoseNew => DoseNewPage,
    ContactNew => ContactNewPage,
    ContractNew => ContractNewPage,
    SmiVisit => SmiVisitPage,
    TbVisit => TbVisitPage,
    ElderlyCheck => ElderlyCheckPage,
    HomeVisit => HomeVisitPage,
    ReferralNew => ReferralNewPage,
    ChildbirthNew => ChildbirthPage,
    NewbornVisit => NewbornVisitPage,
    PostpartumNew => PostpartumPage,
    PregnancyNew => PregnancyPage,
    Check42New => Check42Page,
    PrenatalNew => PrenatalPage,
    ChildCheckNew => ChildCheckPage,
    TcmElderlyNew => TcmElderlyPage,
    TcmChildNew => TcmChildPage,
    Reports => ReportsPage,
    DiseaseReportNew => DiseaseReportPage,
    EventReportNew => EventReportPage,
    PregnancyRegister => PregnancyRegisterPage,
    SupervisionNew => SupervisionNewPage,
    EducationList => EducationListPage,
    EducationNew => EducationNewPage,
    EducationDetail => EducationDetailPage,
    Conflicts => ConflictsPage,
    Review => ReviewPage,
    Dashboard => DashboardPage,
    Quality => QualityPage,
    Users => UsersPage,
    Audit => AuditPageView,
    Activate => ActivatePage,
    MyRecord => MyRecordPage,
}

/// Marks the document once every page's part has loaded (see [`preload_pages`]).
fn mark_pages_loaded() {
    #[cfg(feature = "hydrate")]
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        let _ = body.set_attribute("data-pages-loaded", "true");
    }
}
