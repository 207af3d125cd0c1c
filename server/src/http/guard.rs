//! Request guards and response headers every route shares: cross-site request refusal for state-changing
//! requests (CSRF), a readable answer when a body is too large, and the content security policy of
//! everything but the pages (which carry their own, with the nonce of their inline script: `app::shell`).

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The policy of responses other than pages (JSON, files, the service worker): the app's own origin only,
/// WebAssembly allowed, never framed.
pub const DEFAULT_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; \
     base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Refuses a state-changing request sent by a page of another site. Browsers name the page's origin on every
/// cross-site POST (`Origin`) and, in current ones, whether it came from the same site (`Sec-Fetch-Site`);
/// together with the `SameSite=Lax` session cookie this stops a foreign page from acting with a user's
/// session. Requests without either header come from no browser page (the sync of an installed app sends
/// `Origin` too) and are let through to the session check.
pub async fn same_origin(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let host = text(header::HOST);
    // "same-site" is another subdomain of the site: not this app either.
    let cross_site =
        matches!(text(header::HeaderName::from_static("sec-fetch-site")).as_deref(), Some("cross-site" | "same-site"));
    let foreign_origin = match (text(header::ORIGIN), host) {
        (Some(origin), Some(host)) => origin_host(&origin) != Some(host.as_str()),
        (Some(_), None) => true,
        _ => false,
    };
    if cross_site || foreign_origin {
        tracing::warn!(method = %req.method(), path = %req.uri().path(), "cross-site request refused");
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "拒绝来自其他网站的请求 / Requests from other sites are refused",
        )
            .into_response();
    }
    next.run(req).await
}

/// `host[:port]` of an origin such as `https://example.org:8443`; None for `null` and the like.
fn origin_host(origin: &str) -> Option<&str> {
    let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"))?;
    (!rest.is_empty() && !rest.contains('/')).then_some(rest)
}

/// A body over the limit is answered 413 with a message instead of an empty body.
pub async fn explain_too_large(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return res;
    }
    let mut res = Response::new(Body::from(
        "提交的内容过大，请减少照片或分批同步 / The request is too large: send fewer photos or sync in smaller batches",
    ));
    *res.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_compared_by_host_and_port() {
        assert_eq!(origin_host("http://127.0.0.1:3000"), Some("127.0.0.1:3000"));
        assert_eq!(origin_host("https://cunyi.example"), Some("cunyi.example"));
        assert_eq!(origin_host("null"), None);
        assert_eq!(origin_host("https://evil.example/path"), None);
    }
}
