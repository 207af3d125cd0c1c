//! Server functions for logging in and out and for asking who is logged in.

use super::{LoginInput, SessionUser};
use crate::error::AppError;
use leptos::prelude::*;
use server_fn::codec::Json;

/// Logs in with a username and password; sets the HttpOnly session cookie.
#[server(input = Json, prefix = "/api", endpoint = "login")]
pub async fn login(input: LoginInput) -> Result<SessionUser, AppError> {
    use super::server::*;
    finish(
        async {
            let username = input.username.trim();
            if username.is_empty() || input.password.is_empty() {
                return Err(AppError::field("username", "请输入用户名和密码", "Enter username and password"));
            }
            if username.len() > 64 || input.password.len() > 256 {
                return Err(AppError::field("username", "用户名或密码错误", "Wrong username or password"));
            }
            let now = chrono::Utc::now().timestamp();
            let Some((token, user)) = store()?.login(username, &input.password, now).await? else {
                return Err(AppError::field("password", "用户名或密码错误", "Wrong username or password"));
            };
            set_session_cookie(&token);
            Ok(user)
        }
        .await,
    )
}

/// Ends the session on the server and clears the cookie.
#[server(input = Json, prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use super::server::*;
    finish(
        async {
            if let Some(token) = session_token() {
                store()?.logout(&token).await?;
            }
            if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
                opts.insert_header(
                    axum::http::header::SET_COOKIE,
                    axum::http::HeaderValue::from_static("cunyi_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
                );
            }
            Ok(())
        }
        .await,
    )
}

/// The logged-in user, or None when nobody is.
#[server(input = Json, prefix = "/api", endpoint = "me")]
pub async fn me() -> Result<Option<SessionUser>, AppError> {
    use super::server::*;
    finish(current_user().await)
}
