//! The one place where pg_convo's failures become SQLSTATEs.
//!
//! PostgREST turns the SQLSTATE of an error into the HTTP status of the response (see
//! `SUPABASE-CONTRACT.md` §4), so every refusal picks its code deliberately:
//!
//! | variant           | SQLSTATE | HTTP through PostgREST      |
//! |-------------------|----------|-----------------------------|
//! | `InvalidArgument` | 22023    | 400                         |
//! | `Forbidden`       | 42501    | 401 as anon, 403 otherwise  |
//! | `NotFound`        | PT404    | 404                         |
//! | `Conflict`        | PT409    | 409                         |
//! | `Internal`        | XX000    | 500                         |
//!
//! Functions return [`ConvoResult`] and the `#[pg_extern]` entry points finish with
//! [`OrRaise::or_raise`], so the mapping lives here and nowhere else.

use pgrx::pg_sys::panic::ErrorReport;
use pgrx::prelude::*;
use pgrx::{PgLogLevel, PgSqlErrorCode};
use std::fmt;

/// A refusal or failure of a pg_convo function, as the client should see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConvoError {
    /// Bad input: a malformed, missing or out-of-range argument.
    InvalidArgument {
        message: String,
        hint: Option<String>,
    },
    /// The caller may not do this (wrong user, wrong role).
    Forbidden(String),
    /// The thing the caller named does not exist (or is not visible to them).
    NotFound(String),
    /// The request conflicts with the current state.
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
        }
    }

    pub fn invalid_with_hint(message: impl Into<String>, hint: impl Into<String>) -> Self {
        ConvoError::InvalidArgument {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// The SQLSTATE this error is raised with.
    pub fn sqlstate(&self) -> &'static str {
        match self {
            ConvoError::InvalidArgument { .. } => "22023",
            ConvoError::Forbidden(_) => "42501",
            ConvoError::NotFound(_) => "PT404",
            ConvoError::Conflict(_) => "PT409",
            ConvoError::Internal(_) => "XX000",
        }
    }

    fn message(&self) -> &str {
        match self {
            ConvoError::InvalidArgument { message, .. } => message,
            ConvoError::Forbidden(m)
            | ConvoError::NotFound(m)
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

    /// Raise this error as a Postgres ERROR: the transaction aborts, nothing is half-written.
    pub fn raise(self) -> ! {
        let code = match &self {
            ConvoError::InvalidArgument { .. } => PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
            ConvoError::Forbidden(_) => PgSqlErrorCode::ERRCODE_INSUFFICIENT_PRIVILEGE,
            ConvoError::Internal(_) => PgSqlErrorCode::ERRCODE_INTERNAL_ERROR,
            // PostgREST's PTxyz codes are not in Postgres' list (nor pgrx's enum), so they are
            // raised through a one-line PL/pgSQL helper; the error still aborts the transaction.
            ConvoError::NotFound(_) | ConvoError::Conflict(_) => raise_custom(&self),
        };
        let mut report = ErrorReport::new(code, self.message().to_string(), "pg_convo");
        if let Some(hint) = self.hint() {
            report = report.set_hint(hint.to_string());
        }
        report.report(PgLogLevel::ERROR);
        unreachable!("an ERROR report does not return")
    }
}

fn raise_custom(err: &ConvoError) -> ! {
    let result = Spi::run_with_args(
        "select convo.raise_error($1, $2, $3)",
        &[
            err.sqlstate().into(),
            err.message().into(),
            err.hint().into(),
        ],
    );
    // convo.raise_error always raises; reaching this line means the helper is missing.
    ConvoError::Internal(format!("convo.raise_error did not raise: {result:?}")).raise()
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

/// `result.or_raise()`: the value, or the error raised with its SQLSTATE.
pub trait OrRaise<T> {
    fn or_raise(self) -> T;
}

impl<T> OrRaise<T> for ConvoResult<T> {
    fn or_raise(self) -> T {
        self.unwrap_or_else(|e| e.raise())
    }
}

extension_sql!(
    r#"
-- Raises an error with any SQLSTATE, including PostgREST's custom PTxyz codes (PT404 → HTTP 404).
-- Called by the Rust side (src/errors.rs) only; it does nothing but raise.
create function convo.raise_error(sqlstate text, message text, hint text default null)
returns void language plpgsql set search_path = '' as $$
begin
  if hint is null then
    raise exception using errcode = sqlstate, message = message;
  end if;
  raise exception using errcode = sqlstate, message = message, hint = hint;
end
$$;
"#,
    name = "raise_error",
);

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use super::*;
    use crate::testing::error_of;

    /// SQL-callable, so a test can catch the error in PL/pgSQL and read its SQLSTATE.
    #[pg_extern]
    fn raise_kind(kind: &str, message: &str, hint: Option<&str>) {
        let err = match (kind, hint) {
            ("invalid", Some(h)) => ConvoError::invalid_with_hint(message, h),
            ("invalid", None) => ConvoError::invalid(message),
            ("forbidden", _) => ConvoError::Forbidden(message.into()),
            ("not_found", _) => ConvoError::NotFound(message.into()),
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
            ("not_found", "PT404"),
            ("conflict", "PT409"),
            ("internal", "XX000"),
        ] {
            let (state, message, _) = error_of(&format!(
                "select tests.raise_kind('{kind}', 'boom {kind}', null)"
            ));
            assert_eq!(state, want, "{kind}");
            assert_eq!(message, format!("boom {kind}"));
        }
    }

    #[pg_test]
    fn the_hint_travels_with_the_error() {
        let got = error_of("select tests.raise_kind('invalid', 'bad', 'try this')");
        assert_eq!(got, ("22023".into(), "bad".into(), Some("try this".into())));
        // a custom (PT) code goes through convo.raise_error and keeps an absent hint absent
        let got = error_of("select tests.raise_kind('not_found', 'nope', null)");
        assert_eq!(got, ("PT404".into(), "nope".into(), None));
    }

    #[test]
    fn sqlstate_table_matches_the_docs() {
        assert_eq!(ConvoError::invalid("x").sqlstate(), "22023");
        assert_eq!(ConvoError::Forbidden("x".into()).sqlstate(), "42501");
        assert_eq!(ConvoError::NotFound("x".into()).sqlstate(), "PT404");
        assert_eq!(ConvoError::Conflict("x".into()).sqlstate(), "PT409");
        assert_eq!(ConvoError::Internal("x".into()).sqlstate(), "XX000");
    }
}
