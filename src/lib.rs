//! pg_convo: the server-side functions of an AI-conversation backend on Supabase.
//!
//! Everything here lives in the extension's own schema `convo`, which PostgREST does not expose.
//! The public API (tables, views, policies and the thin `public.*` RPC wrappers that PostgREST
//! serves) is defined by the SQL files in `migrations/`; this crate supplies the parts that must
//! be atomic, race-free or fast.
//!
//! One module per domain; `errors` is the one place where failures become SQLSTATEs.

::pgrx::pg_module_magic!(name, version);

mod agent_sessions;
mod chat;
pub mod errors;
mod info;
mod mediation;
mod merged_scans;
mod music;
mod plans;
mod tokens;

#[cfg(any(test, feature = "pg_test"))]
pub mod testing;

/// Runs once per backend, when Postgres loads the library (after pgrx's own panic hook is set).
#[pgrx::pg_guard]
pub extern "C-unwind" fn _PG_init() {
    errors::hide_backtraces();
    merged_scans::init();
}

/// This module is required by `cargo pgrx test` invocations.
#[cfg(test)]
pub mod pg_test {
    pub fn setup(_options: Vec<&str>) {}

    #[must_use]
    pub fn postgresql_conf_options() -> Vec<&'static str> {
        vec![]
    }
}
