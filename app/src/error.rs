//! The one error type that crosses the wire between the browser and the server.
//!
//! Every server function returns `Result<T, AppError>`. On the server the error also sets the HTTP status
//! (through leptos' `ResponseOptions`), so plain HTTP clients and the integration tests see a meaningful
//! 4xx instead of server_fn's default 500. Messages shown to users carry both Chinese and English text;
//! internal details are logged on the server and never sent.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// One invalid field of a submitted form, with a message a doctor can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field's name, as in the wire type (`id_no`, `sbp`, ...).
    pub field: String,
    pub zh: String,
    pub en: String,
}

impl FieldError {
    pub fn new(field: &str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self { field: field.to_string(), zh: zh.into(), en: en.into() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// One or more fields are invalid; nothing was stored.
    #[error("validation failed: {fields:?}")]
    Validation { fields: Vec<FieldError> },
    /// The request itself could not be understood (malformed body, wrong types, missing arguments).
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("not logged in")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// The entry clashes with an existing one, e.g. a second resident with the same ID number.
    /// `existing_id` lets the UI link to the record that is already there.
    #[error("conflict: {en}")]
    Conflict { zh: String, en: String, existing_id: Option<String> },
    /// Too many attempts (login); try again later.
    #[error("too many requests")]
    TooManyRequests,
    /// Something failed on the server; details are in the server log only.
    #[error("internal error")]
    Internal,
    /// The request never reached the server or its answer never came back (client side only).
    #[error("network error: {0}")]
    Network(String),
}

impl AppError {
    pub fn validation(fields: Vec<FieldError>) -> Self {
        AppError::Validation { fields }
    }

    pub fn field(field: &str, zh: &str, en: &str) -> Self {
        AppError::Validation { fields: vec![FieldError::new(field, zh, en)] }
    }

    /// The HTTP status this error is sent with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Validation { .. } => 422,
            AppError::BadRequest(_) => 400,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Conflict { .. } => 409,
            AppError::TooManyRequests => 429,
            AppError::Internal => 500,
            AppError::Network(_) => 503,
        }
    }

    /// A one-line message for the user, in the chosen language.
    pub fn message(&self, zh: bool) -> String {
        let (z, e): (&str, &str) = match self {
            AppError::Validation { .. } => ("请更正标红的字段", "Please correct the highlighted fields"),
            AppError::BadRequest(_) => ("请求格式不正确", "The request could not be understood"),
            AppError::Unauthorized => ("请先登录", "Please log in"),
            AppError::Forbidden => ("您无权访问此记录", "You are not allowed to access this record"),
            AppError::NotFound => ("记录不存在", "Record not found"),
            AppError::Conflict { zh: cz, en: ce, .. } => return if zh { cz.clone() } else { ce.clone() },
            AppError::TooManyRequests => ("尝试次数过多，请稍后再试", "Too many attempts, try again later"),
            AppError::Internal => ("服务器出错，请稍后再试", "Server error, please try again later"),
            AppError::Network(_) => ("网络不可用，请检查网络", "Network unavailable"),
        };
        if zh {
            z.to_string()
        } else {
            e.to_string()
        }
    }

    /// The message for one field, if this is a validation error naming it.
    pub fn field_message(&self, field: &str, zh: bool) -> Option<String> {
        match self {
            AppError::Validation { fields } => {
                fields.iter().find(|f| f.field == field).map(|f| if zh { f.zh.clone() } else { f.en.clone() })
            }
            _ => None,
        }
    }

    /// Logs an internal failure on the server and returns the opaque error sent to the client.
    #[cfg(feature = "ssr")]
    pub fn internal(context: &str, err: impl std::fmt::Display) -> Self {
        tracing::error!("{context}: {err}");
        AppError::Internal
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let err = match value {
            // The request body did not decode into the function's arguments: a client mistake.
            ServerFnErrorErr::Args(m)
            | ServerFnErrorErr::MissingArg(m)
            | ServerFnErrorErr::Deserialization(m)
            | ServerFnErrorErr::UnsupportedRequestMethod(m) => AppError::BadRequest(truncate(&m)),
            ServerFnErrorErr::Request(m) => AppError::Network(m),
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!("server function failure: {other}");
                let _ = other;
                AppError::Internal
            }
        };
        #[cfg(feature = "ssr")]
        crate::auth::server::set_status(err.status_code());
        err
    }
}

/// Deserialization messages echo the input; keep them short so a 1 MB string is not sent back.
fn truncate(m: &str) -> String {
    m.chars().take(200).collect()
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::internal("database", e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_arguments_become_a_bad_request() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Args("expected i32".into()));
        assert_eq!(e.status_code(), 400);
    }

    #[test]
    fn long_deserialization_messages_are_cut() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Deserialization("x".repeat(10_000)));
        match e {
            AppError::BadRequest(m) => assert_eq!(m.chars().count(), 200),
            other => panic!("unexpected {other:?}"),
        }
    }
}
