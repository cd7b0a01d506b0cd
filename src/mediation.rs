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
    static MY_SESSIONS: PlanCell = const { PlanCell::new() };
    static MY_HOSTED: PlanCell = const { PlanCell::new() };
    static MY_INVITED: PlanCell = const { PlanCell::new() };
    static MY_PEERS: PlanCell = const { PlanCell::new() };
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

/// The ids the caller's `sql` query returns (one uuid column), collected. The query's plan is
/// kept per backend (`cell`): these run once per statement of every policy that uses them.
fn caller_ids(cell: &'static std::thread::LocalKey<PlanCell>, sql: &str) -> Vec<Uuid> {
    with_plan(cell, sql, &[], |plan| {
        Spi::connect(|c| {
            let mut out = Vec::new();
            for row in c.select(plan, None, &[])? {
                if let Some(id) = row.get::<Uuid>(1)? {
                    out.push(id);
                }
            }
            Ok(out)
        })
    })
    .or_raise()
}

/// The sessions the caller is an accepted participant of (hosts included).
#[pg_extern(stable, security_definer, parallel_safe)]
fn my_session_ids() -> SetOfIterator<'static, Uuid> {
    SetOfIterator::new(caller_ids(
        &MY_SESSIONS,
        "select sp.session_id from public.session_participants sp
         where sp.profile_id = auth.uid() and sp.invitation_status = 'accepted'",
    ))
}

/// The sessions the caller hosts.
#[pg_extern(stable, security_definer, parallel_safe)]
fn my_hosted_session_ids() -> SetOfIterator<'static, Uuid> {
    SetOfIterator::new(caller_ids(
        &MY_HOSTED,
        "select s.id from public.sessions s where s.host_id = auth.uid()",
    ))
}

/// The sessions the caller is invited to and has not answered yet (they may see the session and
/// their own invitation, so they can decide).
#[pg_extern(stable, security_definer, parallel_safe)]
fn my_invited_session_ids() -> SetOfIterator<'static, Uuid> {
    SetOfIterator::new(caller_ids(
        &MY_INVITED,
        "select sp.session_id from public.session_participants sp
         where sp.profile_id = auth.uid() and sp.invitation_status = 'pending'",
    ))
}

/// The people the caller shares a session with (accepted participants of the caller's sessions,
/// the caller excluded): whose public profile fields the caller may read.
#[pg_extern(stable, security_definer, parallel_safe)]
fn my_session_peer_ids() -> SetOfIterator<'static, Uuid> {
    SetOfIterator::new(caller_ids(
        &MY_PEERS,
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

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use crate::testing::{act_as, act_as_superuser, create_user, load_schema};
    use pgrx::prelude::*;
    use pgrx::Uuid;

    fn ids(sql: &str) -> Vec<String> {
        Spi::connect(|c| {
            let mut v: Vec<String> = c
                .select(sql, None, &[])
                .unwrap()
                .map(|r| r.get::<Uuid>(1).unwrap().unwrap().to_string())
                .collect();
            v.sort();
            v
        })
    }

    fn yes(sql: &str) -> bool {
        Spi::get_one::<bool>(sql).unwrap().unwrap_or(false)
    }

    #[pg_test]
    fn membership_as_each_kind_of_person() {
        load_schema();
        let host = create_user("host@example.test");
        let guest = create_user("guest@example.test");
        let stranger = create_user("stranger@example.test");
        act_as("authenticated", Some(&host));
        let session = Spi::get_one::<Uuid>(&format!(
            "insert into public.sessions (host_id, title) values ('{host}', 'Roommates') returning id"
        ))
        .unwrap()
        .unwrap()
        .to_string();
        Spi::run(&format!(
            "insert into public.session_participants (session_id, profile_id, role) values ('{session}', '{guest}', 'participant')"
        ))
        .unwrap();
        act_as_superuser();

        let check = |who: &str, f: &str| yes(&format!("select convo.{f}('{session}', '{who}')"));
        assert!(check(&host, "is_session_participant") && check(&host, "is_session_host"));
        assert!(
            !check(&guest, "is_session_participant"),
            "a pending invitee is not in the session yet"
        );
        assert!(!check(&guest, "is_session_host"));
        assert!(
            !check(&stranger, "is_session_participant") && !check(&stranger, "is_session_host")
        );
        assert!(!yes("select convo.is_session_participant(null)"));

        // the set-returning forms answer for the caller (auth.uid())
        act_as("authenticated", Some(&guest));
        assert_eq!(
            ids("select * from convo.my_invited_session_ids()"),
            vec![session.clone()]
        );
        assert!(ids("select * from convo.my_session_ids()").is_empty());
        assert!(
            !yes(&format!("select convo.is_session_participant('{session}')")),
            "default user = caller"
        );
        Spi::run(&format!(
            "update public.session_participants set invitation_status = 'accepted'
             where session_id = '{session}' and profile_id = auth.uid()"
        ))
        .unwrap();
        assert_eq!(
            ids("select * from convo.my_session_ids()"),
            vec![session.clone()]
        );
        assert!(ids("select * from convo.my_invited_session_ids()").is_empty());
        assert_eq!(
            ids("select * from convo.my_session_peer_ids()"),
            vec![host.clone()]
        );
        assert!(yes(&format!(
            "select convo.is_session_participant('{session}')"
        )));
        act_as("authenticated", Some(&host));
        assert_eq!(
            ids("select * from convo.my_hosted_session_ids()"),
            vec![session.clone()]
        );
        assert_eq!(
            ids("select * from convo.my_session_peer_ids()"),
            vec![guest.clone()]
        );
        act_as("authenticated", Some(&stranger));
        assert!(ids("select * from convo.my_session_ids()").is_empty());
        assert!(ids("select * from convo.my_session_peer_ids()").is_empty());
        act_as_superuser();
    }

    #[pg_test]
    fn the_checks_are_locked_down_definer_functions() {
        load_schema();
        for f in [
            "is_session_participant(uuid, uuid)",
            "is_session_host(uuid, uuid)",
            "my_session_ids()",
            "my_hosted_session_ids()",
            "my_invited_session_ids()",
            "my_session_peer_ids()",
        ] {
            let q = format!(
                "select p.prosecdef and p.proconfig = array['search_path=\"\"']
                        and not has_function_privilege('anon', p.oid, 'execute')
                 from pg_proc p where p.oid = 'convo.{f}'::regprocedure"
            );
            assert!(
                yes(&q),
                "{f}: SECURITY DEFINER, search_path '', not executable by anon"
            );
        }
    }
}
