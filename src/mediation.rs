//! Mediated sessions (Understand.me): the participant access checks that the RLS policies of
//! `migrations/…_mediation.sql` call.
//!
//! Why here, and why SECURITY DEFINER: a policy on session_participants that asks "is the caller
//! a participant?" by querying session_participants recurses (`42P17 infinite recursion`, the
//! seed's bug). These functions read the membership tables as their owner, bypassing RLS, and
//! answer only about the caller (or a named user). They live in `convo`, which PostgREST does not
//! expose, run with an empty search_path, and EXECUTE is granted only to the roles that evaluate
//! the policies.
//!
//! Policies use the set-returning forms as `session_id = any (array(select convo.my_session_ids()))`:
//! evaluated once per statement (an initPlan), not once per row.

use crate::errors::{ConvoResult, OrRaise};
use crate::plans::{with_plan, PlanCell, UUID};
use pgrx::prelude::*;
use pgrx::Uuid;

thread_local! {
    static IS_PARTICIPANT: PlanCell = const { PlanCell::new() };
    static IS_HOST: PlanCell = const { PlanCell::new() };
}

/// Accepted participants, the host's own row included: the people "in" a session.
const IS_PARTICIPANT_SQL: &str = "
select exists (
  select from public.session_participants sp
  where sp.session_id = $1 and sp.profile_id = coalesce($2, auth.uid())
    and sp.invitation_status = 'accepted')";

const IS_HOST_SQL: &str = "
select exists (
  select from public.sessions s where s.id = $1 and s.host_id = coalesce($2, auth.uid()))";

fn check(
    cell: &'static std::thread::LocalKey<PlanCell>,
    sql: &str,
    session: Uuid,
    user: Option<Uuid>,
) -> ConvoResult<bool> {
    with_plan(cell, sql, &[UUID, UUID], |plan| {
        Spi::connect(|c| {
            Ok(c.select(plan, Some(1), &[session.into(), user.into()])?
                .first()
                .get::<bool>(1)?
                .unwrap_or(false))
        })
    })
}

/// Is `user_id` (default: the caller) an accepted participant of the session? Hosts are.
#[pg_extern(stable, security_definer, parallel_safe)]
fn is_session_participant(
    session_id: Option<Uuid>,
    user_id: default!(Option<Uuid>, "NULL"),
) -> bool {
    match session_id {
        None => false,
        Some(s) => check(&IS_PARTICIPANT, IS_PARTICIPANT_SQL, s, user_id).or_raise(),
    }
}

/// Is `user_id` (default: the caller) the session's host?
#[pg_extern(stable, security_definer, parallel_safe)]
fn is_session_host(session_id: Option<Uuid>, user_id: default!(Option<Uuid>, "NULL")) -> bool {
    match session_id {
        None => false,
        Some(s) => check(&IS_HOST, IS_HOST_SQL, s, user_id).or_raise(),
    }
}

/// The ids the caller's `sql` query returns (one uuid column), collected.
fn caller_ids(sql: &str) -> Vec<Uuid> {
    Spi::connect(|c| -> ConvoResult<Vec<Uuid>> {
        let mut out = Vec::new();
        for row in c.select(sql, None, &[])? {
            if let Some(id) = row.get::<Uuid>(1)? {
                out.push(id);
            }
        }
        Ok(out)
    })
    .or_raise()
}

/// The sessions the caller is an accepted participant of (hosts included).
#[pg_extern(stable, security_definer, parallel_safe)]
fn my_session_ids() -> SetOfIterator<'static, Uuid> {
    SetOfIterator::new(caller_ids(
        "select sp.session_id from public.session_participants sp
         where sp.profile_id = auth.uid() and sp.invitation_status = 'accepted'",
    ))
}

/// The sessions the caller hosts.
#[pg_extern(stable, security_definer, parallel_safe)]
fn my_hosted_session_ids() -> SetOfIterator<'static, Uuid> {
    SetOfIterator::new(caller_ids(
        "select s.id from public.sessions s where s.host_id = auth.uid()",
    ))
}

/// The sessions the caller is invited to and has not answered yet (they may see the session and
/// their own invitation, so they can decide).
#[pg_extern(stable, security_definer, parallel_safe)]
fn my_invited_session_ids() -> SetOfIterator<'static, Uuid> {
    SetOfIterator::new(caller_ids(
        "select sp.session_id from public.session_participants sp
         where sp.profile_id = auth.uid() and sp.invitation_status = 'pending'",
    ))
}

/// The people the caller shares a session with (accepted participants of the caller's sessions,
/// the caller excluded): whose public profile fields the caller may read.
#[pg_extern(stable, security_definer, parallel_safe)]
fn my_session_peer_ids() -> SetOfIterator<'static, Uuid> {
    SetOfIterator::new(caller_ids(
        "select distinct other.profile_id
         from public.session_participants me
         join public.session_participants other on other.session_id = me.session_id
         where me.profile_id = auth.uid() and me.invitation_status = 'accepted'
           and other.invitation_status = 'accepted' and other.profile_id <> auth.uid()",
    ))
}

// SECURITY DEFINER functions run with an empty search_path (every name inside is qualified) and
// nobody may execute them until a migration grants it to the roles that evaluate policies.
extension_sql!(
    r#"
alter function convo.is_session_participant(uuid, uuid) set search_path = '';
alter function convo.is_session_host(uuid, uuid) set search_path = '';
alter function convo.my_session_ids() set search_path = '';
alter function convo.my_hosted_session_ids() set search_path = '';
alter function convo.my_invited_session_ids() set search_path = '';
alter function convo.my_session_peer_ids() set search_path = '';
revoke execute on function convo.is_session_participant(uuid, uuid), convo.is_session_host(uuid, uuid),
  convo.my_session_ids(), convo.my_hosted_session_ids(), convo.my_invited_session_ids(),
  convo.my_session_peer_ids() from public;
"#,
    name = "mediation_access_checks_locked_down",
    requires = [
        is_session_participant,
        is_session_host,
        my_session_ids,
        my_hosted_session_ids,
        my_invited_session_ids,
        my_session_peer_ids
    ],
);
