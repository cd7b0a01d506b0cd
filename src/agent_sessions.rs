//! Agent (SMS) sessions: `convo.load_or_create_session`, served as
//! `public.load_or_create_session` (migrations/…_agent_sessions_rpc.sql).
//!
//! The seed's `loadOrCreateSession` takes 5–6 round trips (select, select last user message,
//! update, three deletes) and, under concurrent messages from one phone, creates duplicate
//! sessions or rolls a session over twice. Here it is one call in one transaction:
//!
//! 0. the common case, a session with no rollover due, is one `update`;
//! 1. `insert … on conflict (phone_number) do nothing`: exactly one caller creates the session;
//! 2. otherwise the row is locked (`for update`), so callers for one phone queue up;
//! 3. the session rolls over when its newest *user* message is older than the timeout **and**
//!    belongs to the current session (not before `last_session_started_at`): a second caller
//!    right after a rollover sees a fresh session and does not roll it again;
//! 4. a rollover increments `metadata.session_number`, sets `last_session_started_at`, and clears
//!    process_memories, mental_process_state and working_memory_snapshots (soul_memories stay).

use crate::errors::{ConvoError, ConvoResult, OrRaise};
use crate::plans::{update_one, with_plan, PlanCell, INTERVAL, TEXT, UUID};
use pgrx::datum::Interval;
use pgrx::prelude::*;
use pgrx::{JsonB, Uuid};

/// The persona a new session gets when the caller names none.
pub const DEFAULT_PERSONA: &str = "default";

/// Normalises a phone number to E.164 (`+` then 7–15 digits, the first not 0).
///
/// Accepts the usual separators (spaces, `-`, `.`, `(`, `)`) and the international `00` prefix.
/// A number without a country code cannot be normalised (we cannot guess the country): refused.
pub fn normalize_phone(raw: &str) -> ConvoResult<String> {
    let hint = "use E.164: '+', the country code, then the number, e.g. +15551234567";
    let trimmed = raw.trim();
    let rest = if let Some(r) = trimmed.strip_prefix('+') {
        r
    } else if let Some(r) = trimmed.strip_prefix("00") {
        r
    } else {
        return Err(
            ConvoError::invalid_with_hint("p_phone_number has no country code", hint)
                .with_detail(raw),
        );
    };
    let mut digits = String::with_capacity(rest.len());
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => {
                return Err(ConvoError::invalid_with_hint(
                    "p_phone_number may contain only digits, spaces and - . ( )",
                    hint,
                )
                .with_detail(raw))
            }
        }
    }
    if !(7..=15).contains(&digits.len()) || digits.starts_with('0') {
        return Err(ConvoError::invalid_with_hint(
            "p_phone_number is not a valid international number",
            hint,
        )
        .with_detail(raw));
    }
    Ok(format!("+{digits}"))
}

/// Does the session roll over? All times in microseconds since the epoch.
///
/// Only when the current session has a user message (`last_user_message` not before
/// `session_started`) and that message is at least `timeout` old. No user message yet, or only
/// ones from before the current session started: no rollover (so it happens once, not once per
/// caller).
pub fn should_roll_over(
    last_user_message: Option<i64>,
    session_started: Option<i64>,
    now: i64,
    timeout: i64,
) -> bool {
    match last_user_message {
        None => false,
        Some(last) => {
            let in_current_session = session_started.is_none_or(|started| last >= started);
            in_current_session && now - last >= timeout
        }
    }
}

thread_local! {
    static FAST_TOUCH: PlanCell = const { PlanCell::new() };
    static CREATE: PlanCell = const { PlanCell::new() };
    static LOCK_AND_LOOK: PlanCell = const { PlanCell::new() };
    static TOUCH: PlanCell = const { PlanCell::new() };
    static ROLL_OVER: PlanCell = const { PlanCell::new() };
}

/// Step 0, the common case in one statement: the phone has a session that certainly does not
/// roll over (no user message yet, or the newest is younger than the timeout), so only
/// last_active_at moves. This is a strict subset of `should_roll_over` answering "no": any other
/// case (missing session, timed out, or just rolled over) takes the locked path below, where the
/// rule itself decides.
const FAST_TOUCH_SQL: &str = r#"
update public.user_sessions s set last_active_at = now()
where s.phone_number = $1
  and coalesce((select now() - m.created_at < $2::interval
                from public.messages m
                where m.session_id = s.id and m.role = 'user'
                order by m.created_at desc limit 1), true)
returning to_jsonb(s.*)
"#;

/// Step 1: create the session unless the phone has one. Returns the new row, or nothing.
const CREATE_SQL: &str = r#"
insert into public.user_sessions (phone_number, assigned_persona, metadata)
values ($1, $2, jsonb_build_object('session_number', 1, 'last_session_started_at', now()))
on conflict (phone_number) do nothing
returning to_jsonb(user_sessions.*)
"#;

/// Step 2: lock the phone's session and read what the rollover decision needs (µs since epoch).
const LOCK_AND_LOOK_SQL: &str = r#"
select s.id,
       (extract(epoch from (select max(m.created_at) from public.messages m
                            where m.session_id = s.id and m.role = 'user')) * 1e6)::bigint,
       (extract(epoch from (s.metadata ->> 'last_session_started_at')::timestamptz) * 1e6)::bigint,
       (extract(epoch from now()) * 1e6)::bigint,
       (extract(epoch from $2::interval) * 1e6)::bigint
from public.user_sessions s
where s.phone_number = $1
for update of s
"#;

/// Step 3a: no rollover, only activity.
const TOUCH_SQL: &str = r#"
update public.user_sessions set last_active_at = now() where id = $1
returning to_jsonb(user_sessions.*)
"#;

/// Step 3b: rollover: next session number, ephemeral state cleared, soul memories kept.
const ROLL_OVER_SQL: &str = r#"
with cleared_process_memories as (
  delete from public.process_memories where session_id = $1 returning 1
), cleared_state as (
  delete from public.mental_process_state where session_id = $1 returning 1
), cleared_snapshots as (
  delete from public.working_memory_snapshots where session_id = $1 returning 1
)
update public.user_sessions
set last_active_at = now(),
    metadata = metadata || jsonb_build_object(
      'session_number', coalesce((metadata ->> 'session_number')::int, 1) + 1,
      'last_session_started_at', now())
where id = $1
returning to_jsonb(user_sessions.*)
"#;

/// What `load_or_create_session` returns: the session row plus the two flags.
fn with_flags(row: Option<JsonB>, is_new: bool, rolled_over: bool) -> ConvoResult<JsonB> {
    let mut value = row
        .ok_or_else(|| ConvoError::Internal("no session row returned".into()))?
        .0;
    let obj = value
        .as_object_mut()
        .ok_or_else(|| ConvoError::Internal("session row is not an object".into()))?;
    obj.insert("is_new_session".into(), is_new.into());
    obj.insert("rolled_over".into(), rolled_over.into());
    Ok(JsonB(value))
}

/// How often `load_or_create_session` starts over when its phone's session is deleted under it.
pub const MAX_DELETE_RACE_ROUNDS: usize = 8;

/// What step 2 reads: (id, newest user message, session start, now, timeout), all µs; `None`
/// when the phone has no session any more (deleted since the insert saw it).
type LockedSession = (Uuid, Option<i64>, Option<i64>, i64, i64);

fn lock_and_look(phone: &str, timeout: Interval) -> ConvoResult<Option<LockedSession>> {
    with_plan(
        &LOCK_AND_LOOK,
        LOCK_AND_LOOK_SQL,
        &[TEXT, INTERVAL],
        |plan| {
            Spi::connect_mut(|c| {
                let rows = c.update(plan, Some(1), &[phone.into(), timeout.into()])?;
                if rows.is_empty() {
                    return Ok(None);
                }
                let row = rows.first();
                let Some(id) = row.get::<Uuid>(1)? else {
                    return Ok(None);
                };
                Ok(Some((
                    id,
                    row.get::<i64>(2)?,
                    row.get::<i64>(3)?,
                    row.get::<i64>(4)?.unwrap_or_default(),
                    row.get::<i64>(5)?.unwrap_or_default(),
                )))
            })
        },
    )
}

pub fn load_or_create_session(
    phone: &str,
    timeout: Interval,
    persona: Option<&str>,
) -> ConvoResult<JsonB> {
    let phone = normalize_phone(phone)?;
    if timeout.as_micros() <= 0 {
        return Err(ConvoError::invalid("p_timeout must be a positive interval"));
    }
    let persona = match persona.map(str::trim) {
        Some("") => return Err(ConvoError::invalid("p_persona must not be blank")),
        Some(p) => p,
        None => DEFAULT_PERSONA,
    };

    let touched = update_one::<JsonB>(
        &FAST_TOUCH,
        FAST_TOUCH_SQL,
        &[TEXT, INTERVAL],
        &[phone.as_str().into(), timeout.into()],
    )?;
    if touched.is_some() {
        return with_flags(touched, false, false);
    }

    // Create, or lock the existing row. A concurrent DELETE of the phone's session can land
    // between the two steps (the insert saw the row, the lock finds it gone): then start over,
    // with a new snapshot (READ COMMITTED: every statement sees what committed before it).
    // Each round either creates, or locks, or saw a delete commit: it only repeats while other
    // requests keep deleting this phone's session, so a few rounds are plenty.
    let mut locked = None;
    for _ in 0..MAX_DELETE_RACE_ROUNDS {
        let created = update_one::<JsonB>(
            &CREATE,
            CREATE_SQL,
            &[TEXT, TEXT],
            &[phone.as_str().into(), persona.into()],
        )?;
        if created.is_some() {
            return with_flags(created, true, false);
        }
        locked = lock_and_look(&phone, timeout)?;
        if locked.is_some() {
            break;
        }
    }
    let Some((id, last_user, started, now, timeout_us)) = locked else {
        return Err(ConvoError::Conflict(
            "the session was deleted repeatedly while loading it: retry the request".into(),
        ));
    };

    let rolled = should_roll_over(last_user, started, now, timeout_us);
    let (cell, sql) = if rolled {
        (&ROLL_OVER, ROLL_OVER_SQL)
    } else {
        (&TOUCH, TOUCH_SQL)
    };
    let row = update_one::<JsonB>(cell, sql, &[UUID], &[id.into()])?;
    with_flags(row, false, rolled)
}

#[pg_extern(volatile, name = "load_or_create_session")]
fn load_or_create_session_sql(
    p_phone_number: Option<&str>,
    p_timeout: default!(Option<Interval>, "'1 hour'"),
    p_persona: default!(Option<&str>, "NULL"),
) -> JsonB {
    let phone = p_phone_number
        .ok_or_else(|| ConvoError::invalid("p_phone_number is required"))
        .or_raise();
    let timeout = p_timeout
        .ok_or_else(|| ConvoError::invalid("p_timeout must not be null"))
        .or_raise();
    load_or_create_session(phone, timeout, p_persona).or_raise()
}

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use super::*;
    use crate::testing::{error_of, load_schema};

    #[pg_test]
    fn a_phone_without_a_session_locks_nothing() {
        // the path a concurrent delete leads to: no row, no error (it used to read past the end)
        load_schema();
        let locked = lock_and_look("+15550001111", Interval::from_seconds(3600.0)).unwrap();
        assert!(locked.is_none());
    }

    #[pg_test]
    fn phone_numbers_are_normalised_to_e164() {
        for (raw, want) in [
            ("+15551234567", "+15551234567"),
            (" +1 (555) 123-4567 ", "+15551234567"),
            ("0044 20 7946 0958", "+442079460958"),
            ("+49.30.1234567", "+49301234567"),
        ] {
            assert_eq!(normalize_phone(raw).unwrap(), want, "{raw}");
        }
        for bad in [
            "5551234567",
            "",
            "+",
            "+0123456789",
            "+1555abc4567",
            "+123456",
            "+1234567890123456",
        ] {
            assert_eq!(
                normalize_phone(bad).unwrap_err().sqlstate(),
                "22023",
                "{bad:?}"
            );
        }
    }

    #[pg_test]
    fn rollover_rule() {
        let hour = 3_600_000_000;
        let now = 100 * hour;
        // no user message yet: never
        assert!(!should_roll_over(None, Some(now - 5 * hour), now, hour));
        // newest user message in this session, older than the timeout: yes (exactly at it too)
        assert!(should_roll_over(
            Some(now - 2 * hour),
            Some(now - 3 * hour),
            now,
            hour
        ));
        assert!(should_roll_over(
            Some(now - hour),
            Some(now - 3 * hour),
            now,
            hour
        ));
        // newer than the timeout: no
        assert!(!should_roll_over(
            Some(now - hour + 1),
            Some(now - 3 * hour),
            now,
            hour
        ));
        // the only user message predates the current session (it just rolled over): no
        assert!(!should_roll_over(
            Some(now - 2 * hour),
            Some(now - 1),
            now,
            hour
        ));
        // a legacy row without last_session_started_at behaves like the seed
        assert!(should_roll_over(Some(now - 2 * hour), None, now, hour));
    }

    fn call(sql: &str) -> serde_json::Value {
        Spi::get_one::<JsonB>(sql).unwrap().unwrap().0
    }

    #[pg_test]
    fn creates_then_loads_then_rolls_over_once() {
        load_schema();
        let first =
            call("select convo.load_or_create_session('+1 555 000 1111', '1 hour', 'sage')");
        assert_eq!(first["is_new_session"], true);
        assert_eq!(first["phone_number"], "+15550001111");
        assert_eq!(first["assigned_persona"], "sage");
        assert_eq!(first["metadata"]["session_number"], 1);
        let id = first["id"].as_str().unwrap().to_string();

        let again = call("select convo.load_or_create_session('+15550001111')");
        assert_eq!(
            (
                again["is_new_session"].clone(),
                again["rolled_over"].clone()
            ),
            (false.into(), false.into())
        );
        assert_eq!(again["id"], first["id"]);

        // a user message two hours old in this session, and some state of every kind
        Spi::run(&format!(
            "update public.user_sessions set metadata = jsonb_set(metadata, '{{last_session_started_at}}', to_jsonb(now() - interval '3 hours')) where id = '{id}';
             insert into public.messages (session_id, role, content, created_at) values ('{id}', 'user', 'hi', now() - interval '2 hours');
             insert into public.soul_memories (session_id, key, value) values ('{id}', 'name', '\"Ann\"');
             insert into public.process_memories (session_id, process_name, key, value) values ('{id}', 'p', 'k', '1');
             insert into public.mental_process_state (session_id, process_name) values ('{id}', 'p');
             insert into public.working_memory_snapshots (session_id, memories) values ('{id}', '[]');"
        ))
        .unwrap();
        let rolled = call("select convo.load_or_create_session('+15550001111')");
        assert_eq!(rolled["rolled_over"], true);
        assert_eq!(rolled["metadata"]["session_number"], 2);
        let left = Spi::get_one::<i64>(&format!(
            "select (select count(*) from public.soul_memories where session_id = '{id}') * 1000
                  + (select count(*) from public.process_memories where session_id = '{id}')
                  + (select count(*) from public.mental_process_state where session_id = '{id}')
                  + (select count(*) from public.working_memory_snapshots where session_id = '{id}')"
        ))
        .unwrap();
        assert_eq!(left, Some(1000), "soul memories stay, the rest is cleared");

        // the next call, with no new user message, does not roll over again
        let next = call("select convo.load_or_create_session('+15550001111')");
        assert_eq!(next["rolled_over"], false);
        assert_eq!(next["metadata"]["session_number"], 2);
    }

    #[pg_test]
    fn bad_arguments_are_22023() {
        load_schema();
        for sql in [
            "select convo.load_or_create_session('5551234567')",
            "select convo.load_or_create_session(null)",
            "select convo.load_or_create_session('+15551234567', '-1 hour')",
            "select convo.load_or_create_session('+15551234567', '0 seconds')",
            "select convo.load_or_create_session('+15551234567', '1 hour', '  ')",
        ] {
            assert_eq!(error_of(sql).0, "22023", "{sql}");
        }
    }
}
