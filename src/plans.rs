//! SPI plans prepared once per backend and kept, as PL/pgSQL keeps its own: the hot RPCs pay
//! for parsing and planning once, not on every call.

use crate::errors::ConvoResult;
use pgrx::prelude::*;
use pgrx::spi::OwnedPreparedStatement;
use std::cell::OnceCell;
use std::thread::LocalKey;

/// A kept plan slot: `thread_local! { static X: PlanCell = const { PlanCell::new() }; }`.
pub type PlanCell = OnceCell<OwnedPreparedStatement>;

/// Runs `f` with the plan of `sql` (argument types `types`), preparing and keeping it first if
/// this backend has not yet. Postgres' plan cache re-plans it when the tables it uses change.
pub fn with_plan<R>(
    cell: &'static LocalKey<PlanCell>,
    sql: &str,
    types: &[PgOid],
    f: impl FnOnce(&OwnedPreparedStatement) -> ConvoResult<R>,
) -> ConvoResult<R> {
    cell.with(|c| {
        if c.get().is_none() {
            let plan = Spi::connect(|client| client.prepare_mut(sql, types).map(|p| p.keep()))?;
            let _ = c.set(plan);
        }
        f(c.get().expect("plan just prepared"))
    })
}

pub const UUID: PgOid = PgOid::BuiltIn(PgBuiltInOids::UUIDOID);
pub const TEXT: PgOid = PgOid::BuiltIn(PgBuiltInOids::TEXTOID);
pub const FLOAT8: PgOid = PgOid::BuiltIn(PgBuiltInOids::FLOAT8OID);
pub const INTERVAL: PgOid = PgOid::BuiltIn(PgBuiltInOids::INTERVALOID);
pub const NUMERIC: PgOid = PgOid::BuiltIn(PgBuiltInOids::NUMERICOID);
pub const INT4: PgOid = PgOid::BuiltIn(PgBuiltInOids::INT4OID);
pub const INT8: PgOid = PgOid::BuiltIn(PgBuiltInOids::INT8OID);
pub const TIMESTAMPTZ: PgOid = PgOid::BuiltIn(PgBuiltInOids::TIMESTAMPTZOID);

/// The first column of the first row, or `None` when the statement returned no row (e.g. an
/// `insert … on conflict do nothing` that inserted nothing).
pub fn first_value<T: pgrx::datum::FromDatum + pgrx::datum::IntoDatum>(
    rows: pgrx::spi::SpiTupleTable<'_>,
) -> ConvoResult<Option<T>> {
    if rows.is_empty() {
        return Ok(None);
    }
    Ok(rows.first().get::<T>(1)?)
}

/// Runs the kept plan of a writing `sql` (see [`with_plan`]) with `args` and returns the first
/// column of its first row, `None` when it returned no row. Writing statements only: it marks the
/// transaction as writing, which the read-only access checks in `mediation` must not do.
pub fn update_one<T: pgrx::datum::FromDatum + pgrx::datum::IntoDatum>(
    cell: &'static LocalKey<PlanCell>,
    sql: &str,
    types: &[PgOid],
    args: &[pgrx::datum::DatumWithOid<'_>],
) -> ConvoResult<Option<T>> {
    with_plan(cell, sql, types, |plan| {
        Spi::connect_mut(|c| first_value::<T>(c.update(plan, Some(1), args)?))
    })
}
