//! The one place where pg_convo's failures become SQLSTATEs.
//!
//! PostgREST turns the SQLSTATE of an error into the HTTP status of the response (see
//! `docs/supabase-contract.md`), so every refusal picks its code deliberately:
//!
//! | variant            | SQLSTATE | HTTP through PostgREST      |
//! |--------------------|----------|-----------------------------|
//! | `InvalidArgument`  | 22023    | 400                         |
//! | `Forbidden`        | 42501    | 401 as anon, 403 otherwise  |
//! | `UnknownReference` | 23503    | 409                         |
//! | `Conflict`         | 23505    | 409 (retry the request)     |
//! | `Internal`         | XX000    | 500                         |
//!
//! A message never contains text the caller sent (PostgREST 12 writes some messages into the
//! HTTP status line): the offending value, when it helps, goes into the error's DETAIL, which
//! PostgREST returns only inside the JSON body.
//!
//! No Rust backtrace ever reaches a client: see [`hide_backtraces`].
//!
//! Functions return [`ConvoResult`] and the `#[pg_extern]` entry points finish with
//! [`OrRaise::or_raise`], so the mapping lives here and nowhere else.
//!
//! Why no `PT404`: pgrx raises errors through its own enum of Postgres' SQLSTATEs and turns any
//! other code (PostgREST's custom `PTxyz` among them) into `XX000` when an error crosses it. An id
//! that names nothing is therefore `UnknownReference` (`23503`, foreign_key_violation): exactly
//! what PostgREST answers (409) when the same bad id is inserted into a table directly. SQL
//! functions, which pgrx does not touch, raise `PT404` where "not found" is the right answer.

use pgrx::pg_sys::panic::ErrorReport;
use pgrx::{PgLogLevel, PgSqlErrorCode};
use std::fmt;

/// A refusal or failure of a pg_convo function, as the client should see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConvoError {
    /// Bad input: a malformed, missing or out-of-range argument.
    InvalidArgument {
        message: String,
        hint: Option<String>,
        detail: Option<String>,
    },
    /// The caller may not do this (wrong user, wrong role).
    Forbidden(String),
    /// An id the caller passed names nothing (or nothing visible to them).
    UnknownReference(String),
    /// The row changed under a concurrent request more often than it is worth retrying here:
    /// the caller may simply send the request again.
    Conflict(String),
    /// A bug or an unexpected state inside pg_convo.
    Internal(String),
}

pub type ConvoResult<T> = Result<T, ConvoError>;

impl ConvoError {
    pub fn invalid(message: impl Into<String>) -> Self {
        ConvoError::InvalidArgument {
            message: message.into(),
            hint: None,
            detail: None,
        }
    }

    pub fn invalid_with_hint(message: impl Into<String>, hint: impl Into<String>) -> Self {
        ConvoError::InvalidArgument {
            message: message.into(),
            hint: Some(hint.into()),
            detail: None,
        }
    }

    /// Attaches the offending value (caller text) as the error's DETAIL, cut to
    /// [`MAX_DETAIL_CHARS`]: the message itself never repeats what the caller sent.
    pub fn with_detail(self, detail: impl AsRef<str>) -> Self {
        match self {
            ConvoError::InvalidArgument { message, hint, .. } => ConvoError::InvalidArgument {
                message,
                hint,
                detail: Some(detail.as_ref().chars().take(MAX_DETAIL_CHARS).collect()),
            },
            other => other,
        }
    }

    /// The SQLSTATE this error is raised with.
    pub fn sqlstate(&self) -> &'static str {
        match self {
            ConvoError::InvalidArgument { .. } => "22023",
            ConvoError::Forbidden(_) => "42501",
            ConvoError::UnknownReference(_) => "23503",
            ConvoError::Conflict(_) => "23505",
            ConvoError::Internal(_) => "XX000",
        }
    }

    fn message(&self) -> &str {
        match self {
            ConvoError::InvalidArgument { message, .. } => message,
            ConvoError::Forbidden(m)
            | ConvoError::UnknownReference(m)
            | ConvoError::Conflict(m)
            | ConvoError::Internal(m) => m,
        }
    }

    fn hint(&self) -> Option<&str> {
        match self {
            ConvoError::InvalidArgument { hint, .. } => hint.as_deref(),
            _ => None,
        }
    }

    fn detail(&self) -> Option<&str> {
        match self {
            ConvoError::InvalidArgument { detail, .. } => detail.as_deref(),
            _ => None,
        }
    }

    /// Raise this error as a Postgres ERROR: the transaction aborts, nothing is half-written.
    pub fn raise(self) -> ! {
        let code = match &self {
            ConvoError::InvalidArgument { .. } => PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
            ConvoError::Forbidden(_) => PgSqlErrorCode::ERRCODE_INSUFFICIENT_PRIVILEGE,
            ConvoError::UnknownReference(_) => PgSqlErrorCode::ERRCODE_FOREIGN_KEY_VIOLATION,
            ConvoError::Conflict(_) => PgSqlErrorCode::ERRCODE_UNIQUE_VIOLATION,
            ConvoError::Internal(_) => PgSqlErrorCode::ERRCODE_INTERNAL_ERROR,
        };
        let mut report = ErrorReport::new(code, self.message().to_string(), "pg_convo");
        if let Some(hint) = self.hint() {
            report = report.set_hint(hint.to_string());
        }
        if let Some(detail) = self.detail() {
            report = report.set_detail(detail.to_string());
        }
        report.report(PgLogLevel::ERROR);
        unreachable!("an ERROR report does not return")
    }
}

impl fmt::Display for ConvoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message(), self.sqlstate())
    }
}

impl From<pgrx::spi::Error> for ConvoError {
    fn from(e: pgrx::spi::Error) -> Self {
        ConvoError::Internal(format!("SPI: {e}"))
    }
}

/// How much of a caller's value an error's DETAIL repeats.
pub const MAX_DETAIL_CHARS: usize = 200;

/// Keeps Rust backtraces out of every error a client sees, whatever the server's environment.
///
/// pgrx's panic hook captures a `std::backtrace::Backtrace` for every error that crosses Rust
/// (a Postgres error inside SPI included) and appends it to the error's DETAIL, which PostgREST
/// returns to the client as `details`; capturing is on when the server process has
/// `RUST_BACKTRACE` / `RUST_LIB_BACKTRACE` set, and resolving one costs ~70 ms and ~32 MB the
/// first time in a backend. Capture reads those variables once, at the first capture, so setting
/// them to 0 when the library loads (`_PG_init`, before any error) turns capture off for good.
/// Postgres backends are single-threaded, so changing the environment here is safe.
pub fn hide_backtraces() {
    std::env::set_var("RUST_LIB_BACKTRACE", "0");
    std::env::set_var("RUST_BACKTRACE", "0");
}

/// `result.or_raise()`: the value, or the error raised with its SQLSTATE.
pub trait OrRaise<T> {
    fn or_raise(self) -> T;
}

impl<T, E: Into<ConvoError>> OrRaise<T> for Result<T, E> {
    fn or_raise(self) -> T {
        self.unwrap_or_else(|e| e.into().raise())
    }
}

#[cfg(any(test, feature = "pg_test"))]
#[pgrx::pg_schema]
mod tests {
    use super::*;
    use crate::testing::error_of;
    use pgrx::prelude::*;

    /// SQL-callable, so a test can catch the error in PL/pgSQL and read its SQLSTATE.
    #[pg_extern]
    fn raise_kind(kind: &str, message: &str, hint: Option<&str>) {
        let err = match (kind, hint) {
            ("invalid", Some(h)) => ConvoError::invalid_with_hint(message, h),
            ("invalid", None) => ConvoError::invalid(message),
            ("forbidden", _) => ConvoError::Forbidden(message.into()),
            ("unknown_reference", _) => ConvoError::UnknownReference(message.into()),
            ("conflict", _) => ConvoError::Conflict(message.into()),
            _ => ConvoError::Internal(message.into()),
        };
        err.raise()
    }

    #[pg_test]
    fn each_variant_is_raised_with_its_documented_sqlstate() {
        for (kind, want) in [
            ("invalid", "22023"),
            ("forbidden", "42501"),
            ("unknown_reference", "23503"),
            ("conflict", "23505"),
            ("internal", "XX000"),
        ] {
            let (state, message, _) = error_of(&format!(
                "select tests.raise_kind('{kind}', 'boom {kind}', null)"
            ));
            assert_eq!(state, want, "{kind}");
            assert_eq!(message, format!("boom {kind}"));
        }
    }

    /// Raises an invalid-argument error whose DETAIL carries `value`.
    #[pg_extern]
    fn raise_invalid_with_detail(value: &str) {
        ConvoError::invalid("p_value is malformed")
            .with_detail(value)
            .raise()
    }

    /// A Postgres error (division by zero) raised inside SPI, inside Rust: the path on which pgrx
    /// attaches a Rust backtrace to the DETAIL when capture is on.
    #[pg_extern]
    fn raise_from_spi() -> Option<i32> {
        Spi::get_one::<i32>("select 1 / 0").or_raise()
    }

    #[pg_test]
    fn caller_text_goes_to_the_detail_not_the_message() {
        let evil = "nope\r\nX-Injected: yes";
        let (state, message, _) = error_of(&format!(
            "select tests.raise_invalid_with_detail(E'{evil}')"
        ));
        assert_eq!(
            (state.as_str(), message.as_str()),
            ("22023", "p_value is malformed")
        );
        let detail = crate::testing::error_detail_of(&format!(
            "select tests.raise_invalid_with_detail(E'{evil}')"
        ));
        assert_eq!(detail.as_deref(), Some("nope\r\nX-Injected: yes"));
        // a long value is cut
        let long = crate::testing::error_detail_of(&format!(
            "select tests.raise_invalid_with_detail(repeat('x', {}))",
            MAX_DETAIL_CHARS * 10
        ));
        assert_eq!(long.map(|d| d.chars().count()), Some(MAX_DETAIL_CHARS));
    }

    /// scripts/test.sh runs this suite with RUST_BACKTRACE=1 in the server's environment: without
    /// `hide_backtraces` the DETAIL below would hold a full Rust backtrace.
    #[pg_test]
    fn no_rust_backtrace_reaches_the_client() {
        let (state, _, _) = error_of("select tests.raise_from_spi()");
        assert_eq!(state, "22012");
        let detail = crate::testing::error_detail_of("select tests.raise_from_spi()");
        assert!(
            detail.is_none(),
            "the error's DETAIL must not carry a backtrace: {detail:?}"
        );
        assert_eq!(std::env::var("RUST_LIB_BACKTRACE").as_deref(), Ok("0"));
    }

    #[pg_test]
    fn the_hint_travels_with_the_error() {
        let got = error_of("select tests.raise_kind('invalid', 'bad', 'try this')");
        assert_eq!(got, ("22023".into(), "bad".into(), Some("try this".into())));
        let got = error_of("select tests.raise_kind('forbidden', 'no', null)");
        assert_eq!(got, ("42501".into(), "no".into(), None));
    }

    #[test]
    fn sqlstate_table_matches_the_docs() {
        assert_eq!(ConvoError::invalid("x").sqlstate(), "22023");
        assert_eq!(ConvoError::Forbidden("x".into()).sqlstate(), "42501");
        assert_eq!(ConvoError::UnknownReference("x".into()).sqlstate(), "23503");
        assert_eq!(ConvoError::Conflict("x".into()).sqlstate(), "23505");
        assert_eq!(ConvoError::Internal("x".into()).sqlstate(), "XX000");
    }
}
