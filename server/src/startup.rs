//! Builds the whole application: database, router (pages, server functions, HTTP routes, static files),
//! security headers, and the listener. Tests call `Application::build` on port 0 with a fresh database.

use crate::config::Config;
use crate::db;
use crate::state::AppState;
use anyhow::Context;
use app::store::Store;
use app::{shell, App};
use axum::http::{header, HeaderValue};
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

/// Largest request body accepted; forms are a few KB, this leaves room and stops abuse.
const BODY_LIMIT: usize = 2 * 1024 * 1024;

pub struct Application {
    listener: TcpListener,
    router: Router,
    pub store: db::SqlStore,
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        let store = db::connect(&config.database_url).await?;
        db::checkpoint_in_background(&store);
        if config.seed_demo {
            crate::seed::demo_if_empty(&store).await.context("loading the demo county")?;
        }
        crate::rollups::in_background(&store, crate::rollups::interval());
        let listener = TcpListener::bind(config.leptos.site_addr)
            .await
            .with_context(|| format!("binding {}", config.leptos.site_addr))?;
        let router = router(config.leptos.clone(), Arc::new(store.clone()));
        Ok(Application { listener, router, store })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        axum::serve(self.listener, self.router).with_graceful_shutdown(shutdown_signal()).await?;
        Ok(())
    }
}

pub fn router(leptos_options: leptos::config::LeptosOptions, store: Arc<dyn Store>) -> Router {
    let routes = generate_route_list(App);
    let state = AppState { leptos_options, store: store.clone() };
    let context = move || provide_context(store.clone());
    // Pages and server functions take small bodies; the sync routes set their own, larger limit.
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, context, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(crate::http::assets::file_or_not_found)
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(BODY_LIMIT));
    Router::new()
        .merge(crate::http::router())
        .merge(pages)
        .layer(axum::middleware::from_fn(crate::http::guard::explain_too_large))
        .layer(axum::middleware::from_fn(crate::http::guard::same_origin))
        // Pages set their own policy (with their script's nonce); everything else gets this one.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(crate::http::guard::DEFAULT_CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        // Pages, server functions and sync answers compressed on the fly (Brotli at level 4, or gzip) for weak
        // mobile networks; static files are already compressed (see `http::assets`), workbooks are zips.
        .layer(
            CompressionLayer::new().compress_when(
                DefaultPredicate::new().and(NotForContentType::const_new("application/vnd.openxmlformats")),
            ),
        )
        .with_state(state)
}

async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
