//! Companion chat: `convo.store_chat_pair`, served as `public.store_chat_pair`
//! (migrations/…_chat_rpc.sql).
//!
//! The seed stores a conversation turn as two round trips (or a PL/pgSQL function that gives both
//! rows the same `now()`). Here a turn is one statement: both rows or neither, the user message
//! strictly before the reply, and the reply's `reply_to` pointing at it.
//!
//! Who may store for whom: a signed-in user only for `auth.uid()` (chat_messages' RLS); the
//! service role (the seed's backend uses the service key) for any existing user (the foreign key
//! to profiles); anon cannot execute the function at all (grants). The function itself checks
//! content; the session is the insert trigger's (see `STORE_PAIR_SQL`).

use crate::errors::{ConvoError, ConvoResult, OrRaise};
use crate::plans::{update_one, PlanCell, FLOAT8, TEXT, UUID};
use pgrx::prelude::*;
use pgrx::Uuid;

/// The seed API's limit on a user message (its pydantic model: `max_length=5000`), in characters.
pub const MAX_USER_MESSAGE_CHARS: usize = 5_000;
/// Our limit on an AI reply, in characters: generous for an LLM answer, bounded for the table.
pub const MAX_AI_RESPONSE_CHARS: usize = 20_000;
/// A detected mood is a label ("happy", "anxious" …), not prose.
pub const MAX_MOOD_CHARS: usize = 64;

/// What a caller asks to store, before any database work.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatPair<'a> {
    pub user_message: &'a str,
    pub ai_response: &'a str,
    pub mood: Option<&'a str>,
    pub sentiment: Option<f64>,
}

/// Checks a pair's content; the first problem found is the error.
pub fn validate_pair(pair: &ChatPair) -> ConvoResult<()> {
    check_text("p_user_message", pair.user_message, MAX_USER_MESSAGE_CHARS)?;
    check_text("p_ai_response", pair.ai_response, MAX_AI_RESPONSE_CHARS)?;
    if let Some(mood) = pair.mood {
        check_text("p_mood", mood, MAX_MOOD_CHARS)?;
    }
    if let Some(s) = pair.sentiment {
        if !(0.0..=1.0).contains(&s) {
            return Err(ConvoError::invalid_with_hint(
                "p_sentiment must be between 0 and 1",
                "sentiment_score is a probability-like score in [0, 1]",
            )
            .with_detail(s.to_string()));
        }
    }
    Ok(())
}

fn check_text(name: &str, text: &str, max_chars: usize) -> ConvoResult<()> {
    if text.trim().is_empty() {
        return Err(ConvoError::invalid(format!("{name} must not be blank")));
    }
    let chars = text.chars().count();
    if chars > max_chars {
        return Err(ConvoError::invalid_with_hint(
            format!("{name} is too long"),
            format!("at most {max_chars} characters"),
        )
        .with_detail(format!("{chars} characters")));
    }
    Ok(())
}

thread_local! {
    static STORE_PAIR: PlanCell = const { PlanCell::new() };
}

/// The whole turn in one INSERT of two rows: the user message at clock time, then the reply one
/// microsecond later pointing at it (its id is drawn first, so that the reply can name it). One
/// INSERT, not two in a CTE: the table's per-statement work (its checks, generated columns,
/// trigger conditions, partial index predicates and RLS policy, prepared once per INSERT) is
/// done once per turn. Who may write what is the schema's job, so this adds no lookups of its own
/// (it runs after the content checks, so bad content gets 22023 whatever the session):
/// - a signed-in user storing for someone else: chat_messages' RLS refuses (42501);
/// - an unknown user: the foreign key to profiles refuses (23503);
/// - the session: the insert trigger `chat_messages_claim_session` creates a new one for the user,
///   refuses another user's (42501) and links the turn into the session's tree; the statement
///   trigger `chat_messages_touch_sessions` moves its last_message_at.
///
/// The rows are inserted in the VALUES list's order, so the reply's triggers see the user
/// message (as the reply's foreign key does at the end of the statement).
const STORE_PAIR_SQL: &str = r#"
with turn as materialized (
  select gen_random_uuid() as user_message_id, clock_timestamp() as at
), stored as (
  insert into public.chat_messages
    (id, user_id, message_text, sender_type, mood_detected, sentiment_score, session_id,
     reply_to, "timestamp")
  select m.*
  from turn t, lateral (values
    (t.user_message_id, $1::uuid, $2::text, 'user'::text, $4::text, $5::numeric, $6::uuid,
     null::uuid, t.at),
    (gen_random_uuid(), $1, $3, 'ai', null, null, $6,
     t.user_message_id, t.at + interval '1 microsecond')
  ) m
  returning id, sender_type
)
select id from stored where sender_type = 'ai'
"#;

/// Stores one conversation turn and returns the AI message's id.
pub fn store_chat_pair(
    user_id: Uuid,
    session_id: Option<Uuid>,
    pair: &ChatPair,
) -> ConvoResult<Uuid> {
    validate_pair(pair)?;

    let types = [UUID, TEXT, TEXT, TEXT, FLOAT8, UUID];
    let args = [
        user_id.into(),
        pair.user_message.into(),
        pair.ai_response.into(),
        pair.mood.into(),
        pair.sentiment.into(),
        session_id.into(),
    ];
    let reply_id = update_one::<Uuid>(&STORE_PAIR, STORE_PAIR_SQL, &types, &args)?;
    // both rows or an error: an empty result would be a bug, not the caller's
    reply_id.ok_or_else(|| ConvoError::Internal("store_chat_pair stored no reply".into()))
}

#[pg_extern(volatile, name = "store_chat_pair")]
fn store_chat_pair_sql(
    p_user_id: Option<Uuid>,
    p_user_message: Option<&str>,
    p_ai_response: Option<&str>,
    p_session_id: Option<Uuid>,
    p_mood: default!(Option<&str>, "NULL"),
    p_sentiment: default!(Option<f64>, "NULL"),
) -> Uuid {
    let user_id = p_user_id
        .ok_or_else(|| ConvoError::invalid("p_user_id is required"))
        .or_raise();
    let pair = ChatPair {
        user_message: p_user_message.unwrap_or(""),
        ai_response: p_ai_response.unwrap_or(""),
        mood: p_mood,
        sentiment: p_sentiment,
    };
    store_chat_pair(user_id, p_session_id, &pair).or_raise()
}

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use super::*;
    use crate::testing::{act_as, act_as_superuser, create_user, error_of, load_schema};

    fn pair<'a>(user: &'a str, ai: &'a str) -> ChatPair<'a> {
        ChatPair {
            user_message: user,
            ai_response: ai,
            mood: None,
            sentiment: None,
        }
    }

    #[pg_test]
    fn content_rules() {
        assert!(validate_pair(&pair("hi", "hello")).is_ok());
        for (p, why) in [
            (pair("   ", "hello"), "blank user message"),
            (pair("hi", "\n\t"), "blank reply"),
            (
                ChatPair {
                    sentiment: Some(1.01),
                    ..pair("hi", "yo")
                },
                "sentiment > 1",
            ),
            (
                ChatPair {
                    sentiment: Some(-0.1),
                    ..pair("hi", "yo")
                },
                "sentiment < 0",
            ),
            (
                ChatPair {
                    sentiment: Some(f64::NAN),
                    ..pair("hi", "yo")
                },
                "sentiment NaN",
            ),
            (
                ChatPair {
                    mood: Some(" "),
                    ..pair("hi", "yo")
                },
                "blank mood",
            ),
        ] {
            let err = validate_pair(&p).expect_err(why);
            assert_eq!(err.sqlstate(), "22023", "{why}");
        }
        // limits count characters, not bytes: 5,000 'é' (10,000 bytes) is fine, 5,001 is not
        let at_limit = "é".repeat(MAX_USER_MESSAGE_CHARS);
        assert!(validate_pair(&pair(&at_limit, "ok")).is_ok());
        let over = "é".repeat(MAX_USER_MESSAGE_CHARS + 1);
        assert!(validate_pair(&pair(&over, "ok")).is_err());
        let long_reply = "x".repeat(MAX_AI_RESPONSE_CHARS + 1);
        assert!(validate_pair(&pair("hi", &long_reply)).is_err());
        assert!(validate_pair(&ChatPair {
            sentiment: Some(0.0),
            ..pair("a", "b")
        })
        .is_ok());
        assert!(validate_pair(&ChatPair {
            sentiment: Some(1.0),
            ..pair("a", "b")
        })
        .is_ok());
    }

    fn count_messages(user: &str) -> i64 {
        Spi::get_one_with_args::<i64>(
            "select count(*) from public.chat_messages where user_id = $1::uuid",
            &[user.into()],
        )
        .unwrap()
        .unwrap()
    }

    #[pg_test]
    fn a_user_stores_a_pair_in_order_and_linked() {
        load_schema();
        let me = create_user("me@example.test");
        act_as("authenticated", Some(&me));
        let session = Spi::get_one::<Uuid>(
            "insert into public.chat_sessions (user_id) values (auth.uid()) returning id",
        )
        .unwrap()
        .unwrap();
        let ai_id = Spi::get_one_with_args::<Uuid>(
            "select convo.store_chat_pair($1::uuid, 'I feel great', 'Glad to hear it!', $2, 'happy', 0.9)",
            &[me.as_str().into(), session.into()],
        )
        .unwrap()
        .unwrap();
        act_as_superuser();
        let (reply_to, ordered, sentiment) = Spi::get_three_with_args::<Uuid, bool, f64>(
            "select a.reply_to, u.timestamp < a.timestamp, u.sentiment_score::float8
             from public.chat_messages a join public.chat_messages u on u.id = a.reply_to
             where a.id = $1 and a.sender_type = 'ai' and u.sender_type = 'user'
               and u.mood_detected = 'happy' and a.session_id = $2 and u.session_id = $2",
            &[ai_id.into(), session.into()],
        )
        .unwrap();
        assert!(reply_to.is_some(), "the reply points at the user message");
        assert_eq!(ordered, Some(true), "the user message sorts strictly first");
        assert_eq!(sentiment, Some(0.9));
        let touched = Spi::get_one_with_args::<bool>(
            "select last_message_at is not null from public.chat_sessions where id = $1",
            &[session.into()],
        )
        .unwrap();
        assert_eq!(touched, Some(true));
    }

    #[pg_test]
    fn a_new_session_is_created_for_the_user() {
        load_schema();
        let me = create_user("me3@example.test");
        let session = "00000000-0000-4000-8000-00000000c0de";
        act_as("authenticated", Some(&me));
        Spi::run(&format!(
            "select convo.store_chat_pair('{me}'::uuid, 'hi', 'hello', '{session}'::uuid, null, null)"
        ))
        .unwrap();
        act_as_superuser();
        let (owner, messages) = Spi::get_two::<String, i64>(&format!(
            "select (select user_id::text from public.chat_sessions where id = '{session}'),
                    (select count(*) from public.chat_messages where session_id = '{session}')"
        ))
        .unwrap();
        assert_eq!(
            owner.as_deref(),
            Some(me.as_str()),
            "the session is the caller's"
        );
        assert_eq!(messages, Some(2));
    }

    #[pg_test]
    fn refusals_write_nothing() {
        load_schema();
        let me = create_user("me2@example.test");
        let other = create_user("other@example.test");
        let other_session = Spi::get_one_with_args::<Uuid>(
            "insert into public.chat_sessions (user_id) values ($1::uuid) returning id",
            &[other.as_str().into()],
        )
        .unwrap()
        .unwrap();
        let call = |user: &str, session: &str, msg: &str, sentiment: &str| {
            format!(
                "select convo.store_chat_pair('{user}'::uuid, '{msg}', 'reply', {session}, null, {sentiment})"
            )
        };
        let unknown_user = "00000000-0000-4000-8000-000000000000";
        let cases: Vec<(&str, String, Option<&str>, &str)> = vec![
            // (who, statement, user to act as, SQLSTATE)
            (
                "another user's id",
                call(&other, "null", "hi", "null"),
                Some(&me),
                "42501",
            ),
            ("anon", call(&me, "null", "hi", "null"), None, "42501"),
            (
                "blank message",
                call(&me, "null", "  ", "null"),
                Some(&me),
                "22023",
            ),
            (
                "sentiment out of range",
                call(&me, "null", "hi", "1.5"),
                Some(&me),
                "22023",
            ),
            (
                "someone else's session",
                call(&me, &format!("'{other_session}'"), "hi", "null"),
                Some(&me),
                "42501",
            ),
            (
                "bad content into someone else's session (the content is checked first)",
                call(&me, &format!("'{other_session}'"), "  ", "null"),
                Some(&me),
                "22023",
            ),
        ];
        for (what, sql, who, want) in cases {
            match who {
                Some(uid) => act_as("authenticated", Some(uid)),
                None => act_as("anon", None),
            }
            let (state, message, _) = error_of(&sql);
            act_as_superuser();
            assert_eq!(state, want, "{what}: {message}");
        }
        // the service role may store for any user, but not for one that does not exist
        act_as("service_role", None);
        let (state, _, _) = error_of(&call(unknown_user, "null", "hi", "null"));
        assert_eq!(state, "23503");
        act_as_superuser();
        assert_eq!(count_messages(&me), 0);
        assert_eq!(count_messages(&other), 0);
    }

    #[pg_test]
    fn the_service_role_stores_for_any_existing_user() {
        load_schema();
        let someone = create_user("someone@example.test");
        act_as("service_role", None);
        let id = Spi::get_one_with_args::<Uuid>(
            "select convo.store_chat_pair($1::uuid, 'hello', 'hi there', null)",
            &[someone.as_str().into()],
        )
        .unwrap();
        act_as_superuser();
        assert!(id.is_some());
        assert_eq!(count_messages(&someone), 2);
    }
}
