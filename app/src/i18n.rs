//! zh-CN by default, English on request. Texts sit in pairs beside their use (`t!(zh, "登录", "Log in")`),
//! so a page reads in both languages at once and no key can go missing. The choice is kept in a cookie,
//! so the server renders the page in the same language the browser hydrates it in.

use leptos::prelude::*;

pub const LANG_COOKIE: &str = "cunyi_lang";

/// The language signal: `true` = Chinese.
#[derive(Clone, Copy)]
pub struct Zh(pub RwSignal<bool>);

/// One of a pair of texts for a language already read (inside a view that tracks the signal itself).
pub fn pick(zh: bool, z: &'static str, e: &'static str) -> &'static str {
    if zh {
        z
    } else {
        e
    }
}

pub fn use_zh() -> RwSignal<bool> {
    use_context::<Zh>().map(|z| z.0).unwrap_or_else(|| RwSignal::new(true))
}

/// A reactive pair of texts: `t!(zh, "中文", "English")`.
#[macro_export]
macro_rules! t {
    ($zh:expr, $z:expr, $e:expr) => {{
        let zh = $zh;
        move || if zh.get() { $z } else { $e }
    }};
}

/// Reads the language cookie: on the server from the request, in the browser from `document.cookie`.
pub fn initial_zh() -> bool {
    cookie_value(LANG_COOKIE).map(|v| v != "en").unwrap_or(true)
}

/// One cookie as the page sees it: on the server from the request, in the browser from `document.cookie`,
/// so what the server renders from it is what the browser hydrates.
#[cfg(feature = "ssr")]
pub fn cookie_value(name: &str) -> Option<String> {
    let parts = use_context::<axum::http::request::Parts>()?;
    crate::auth::server::cookie(&parts.headers, name)
}

#[cfg(not(feature = "ssr"))]
pub fn cookie_value(name: &str) -> Option<String> {
    use wasm_bindgen::JsCast;
    let doc = web_sys::window()?.document()?.dyn_into::<web_sys::HtmlDocument>().ok()?;
    let all = doc.cookie().ok()?;
    all.split(';').filter_map(|kv| kv.trim().split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
}

/// Switches the language and remembers it for a year.
pub fn set_lang(zh_signal: RwSignal<bool>, zh: bool) {
    zh_signal.set(zh);
    #[cfg(not(feature = "ssr"))]
    {
        use wasm_bindgen::JsCast;
        if let Some(doc) =
            web_sys::window().and_then(|w| w.document()).and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        {
            let v = if zh { "zh" } else { "en" };
            let _ = doc.set_cookie(&format!("{LANG_COOKIE}={v}; Path=/; Max-Age=31536000; SameSite=Lax"));
            if let Some(html) = doc.document_element() {
                let _ = html.set_attribute("lang", if zh { "zh-CN" } else { "en" });
            }
        }
    }
}
