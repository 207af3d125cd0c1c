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
    /// The server's database has no space left (its disk is full): nothing was stored, and the same request
    /// succeeds once space is freed. A phone keeps its entries and sends them again.
    #[error("server storage full")]
    StorageFull,
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
            AppError::StorageFull => 507,
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
            AppError::StorageFull => (
                "服务器存储空间已满，记录仍保存在手机上，稍后会自动重发",
                "The server's storage is full; your entries stay on this phone and will be sent again later",
            ),
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
        if let sqlx::Error::Database(d) = &e {
            if storage_full(d.code().as_deref(), d.message()) {
                tracing::error!("database: storage full: {e}");
                return AppError::StorageFull;
            }
        }
        AppError::internal("database", e)
    }
}

/// A database error that means "no space left": SQLite's `SQLITE_FULL` (code 13, "database or disk is
/// full") or PostgreSQL's `disk_full` (SQLSTATE 53100). Told apart from other faults so the client hears
/// that its entries wait for space, not that the server is broken.
#[cfg(any(feature = "ssr", test))]
fn storage_full(code: Option<&str>, message: &str) -> bool {
    matches!(code, Some("13" | "53100")) || message.contains("database or disk is full")
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
    fn a_full_disk_is_storage_full_not_internal() {
        assert!(storage_full(Some("13"), "database or disk is full"));
        assert!(storage_full(Some("53100"), "could not extend file: No space left on device"));
        assert!(storage_full(None, "database or disk is full"));
        assert!(!storage_full(Some("5"), "database is locked"));
        assert!(!storage_full(Some("2067"), "UNIQUE constraint failed: visits.id"));
        let e = AppError::StorageFull;
        assert_eq!(e.status_code(), 507);
        assert!(e.message(true).contains("稍后会自动重发"));
        // It travels as JSON like every other variant.
        assert_eq!(serde_json::from_str::<AppError>(&serde_json::to_string(&e).unwrap()).unwrap(), e);
    }

    /// The conversion the store's `?` uses, from an error as sqlx reports SQLite's.
    #[cfg(feature = "ssr")]
    #[test]
    fn sqlite_full_becomes_storage_full() {
        #[derive(Debug)]
        struct Full;
        impl std::fmt::Display for Full {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("database or disk is full")
            }
        }
        impl std::error::Error for Full {}
        impl sqlx::error::DatabaseError for Full {
            fn message(&self) -> &str {
                "database or disk is full"
            }
            fn code(&self) -> Option<std::borrow::Cow<'_, str>> {
                Some("13".into())
            }
            fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
                self
            }
            fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
                self
            }
            fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
                self
            }
            fn kind(&self) -> sqlx::error::ErrorKind {
                sqlx::error::ErrorKind::Other
            }
        }
        assert_eq!(AppError::from(sqlx::Error::Database(Box::new(Full))), AppError::StorageFull);
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
