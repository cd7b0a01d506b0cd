//! Token-aware conversations: exact BPE token counts and context windows that fit a budget.
//!
//! An LLM's context window is a token budget, so history is cut by tokens, not by message count.
//! `convo.count_tokens` counts exactly as OpenAI's tokenizers do (the `o200k_base` and
//! `cl100k_base` encodings; their BPE ranks are compiled into the library by `tiktoken-rs`, nothing
//! is downloaded). The tables store each message's count in a generated column, computed by the
//! statement that writes the row, so reading a context window adds numbers instead of tokenizing.
//!
//! The context walks: newest first, through an SPI cursor, stopping at the first item that does
//! not fit, so a window costs the rows it returns (plus one), not the user's whole history.
//! Served as `public.get_chat_context` and `public.load_conversation_context`
//! (migrations/…_tokens.sql), which apply the acting-user rule and record memory reads.

use crate::errors::{ConvoError, ConvoResult, OrRaise};
use crate::plans::{with_plan, PlanCell, TEXT, UUID};
use pgrx::prelude::*;
use pgrx::{JsonB, Uuid};
use serde_json::{json, Value};
use tiktoken_rs::CoreBPE;

/// The largest budget a context call accepts: above every model's context window today.
pub const MAX_BUDGET_TOKENS: i32 = 2_000_000;
/// Rows fetched from the cursor at a time (a 4,000-token window of chat is ~20–60 rows).
const FETCH_ROWS: i64 = 32;

/// The tokenizer of an encoding, built once per backend on first use.
pub fn encoding(name: &str) -> ConvoResult<&'static CoreBPE> {
    match name {
        "o200k_base" => Ok(tiktoken_rs::o200k_base_singleton()),
        "cl100k_base" => Ok(tiktoken_rs::cl100k_base_singleton()),
        _ => Err(ConvoError::invalid_with_hint(
            "unknown encoding",
            "use o200k_base or cl100k_base",
        )
        .with_detail(name)),
    }
}

/// Exact token count of `text`: special-token markers such as `<|endoftext|>` in user text are
/// counted as the ordinary text they are (tiktoken's `encode_ordinary`).
pub fn count(text: &str, bpe: &CoreBPE) -> usize {
    bpe.encode_ordinary(text).len()
}

/// `convo.count_tokens(text, encoding default 'o200k_base')`: o200k_base is GPT-4o's and later
/// models' encoding, cl100k_base GPT-4's and GPT-3.5's.
#[pg_extern(immutable, parallel_safe, strict, name = "count_tokens")]
fn count_tokens_sql(text: &str, encoding_name: default!(&str, "'o200k_base'")) -> i32 {
    let bpe = encoding(encoding_name).or_raise();
    i32::try_from(count(text, bpe)).unwrap_or(i32::MAX)
}

/// A budget argument: at least 0 (or 1), at most [`MAX_BUDGET_TOKENS`].
pub fn check_budget(name: &str, value: Option<i32>, min: i32) -> ConvoResult<i32> {
    match value {
        Some(v) if (min..=MAX_BUDGET_TOKENS).contains(&v) => Ok(v),
        other => Err(ConvoError::invalid_with_hint(
            format!("{name} is out of range"),
            format!("between {min} and {MAX_BUDGET_TOKENS} tokens"),
        )
        .with_detail(other.map_or("null".into(), |v| v.to_string()))),
    }
}

/// What is left of a token budget. History is taken newest first while it fits and stops at the
/// first item that does not (a window has no gaps); memories skip one that does not fit.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    left: i64,
    used: i64,
}

impl Budget {
    pub fn new(tokens: i64) -> Self {
        Budget {
            left: tokens.max(0),
            used: 0,
        }
    }

    /// Takes `cost` tokens if they fit; false (and nothing taken) if not.
    pub fn take(&mut self, cost: i64) -> bool {
        if cost > self.left {
            return false;
        }
        self.left -= cost;
        self.used += cost;
        true
    }

    pub fn used(&self) -> i64 {
        self.used
    }

    pub fn is_spent(&self) -> bool {
        self.left == 0
    }
}

thread_local! {
    static CHAT_PAIRS: PlanCell = const { PlanCell::new() };
    static MEMORIES: PlanCell = const { PlanCell::new() };
    static SESSION_MESSAGES: PlanCell = const { PlanCell::new() };
}

/// A user's complete turns (a user message and the AI reply that answers it), newest first.
const CHAT_PAIRS_SQL: &str = r#"
select u.id, u.message_text, u.token_count, u."timestamp", u.session_id,
       a.id, a.message_text, a.token_count, a."timestamp"
from public.chat_messages u
join public.chat_messages a on a.reply_to = u.id
where u.user_id = $1 and u.sender_type = 'user'
  and ($2::uuid is null or u.session_id = $2)
order by u."timestamp" desc, u.id desc
"#;

/// A user's memories in get_memories' order (most important, then most recently updated).
const MEMORIES_SQL: &str = r#"
select m.id, m.memory_key, m.memory_value, m.memory_category, m.importance,
       convo.count_tokens(m.memory_key || ': ' || m.memory_value)
from public.user_memories m
where m.user_id = $1
order by case m.importance when 'high' then 0 when 'medium' then 1 else 2 end,
         m.updated_at desc, m.id
"#;

/// An SMS session's messages (optionally one region's), newest first.
const SESSION_MESSAGES_SQL: &str = r#"
select m.id, m.role, m.content, m.region, m.created_at, m.token_count
from public.messages m
where m.session_id = $1 and ($2::text is null or m.region = $2)
order by m.created_at desc, m.id desc
"#;

/// Walks the rows of a kept plan newest first, `FETCH_ROWS` at a time, handing each to `take`
/// until it answers false.
fn walk(
    cell: &'static std::thread::LocalKey<PlanCell>,
    sql: &str,
    types: &[PgOid],
    args: &[pgrx::datum::DatumWithOid<'_>],
    mut take: impl FnMut(&pgrx::spi::SpiHeapTupleData) -> ConvoResult<bool>,
) -> ConvoResult<()> {
    with_plan(cell, sql, types, |plan| {
        Spi::connect(|c| {
            let mut cursor = c.try_open_cursor(plan, args)?;
            loop {
                let rows = cursor.fetch(FETCH_ROWS)?;
                if rows.is_empty() {
                    return Ok(());
                }
                for row in rows {
                    if !take(&row)? {
                        return Ok(());
                    }
                }
            }
        })
    })
}

fn text(row: &pgrx::spi::SpiHeapTupleData, i: usize) -> ConvoResult<Value> {
    Ok(row.get::<String>(i)?.map_or(Value::Null, Value::String))
}

fn time(row: &pgrx::spi::SpiHeapTupleData, i: usize) -> ConvoResult<Value> {
    Ok(row
        .get::<TimestampWithTimeZone>(i)?
        .map_or(Value::Null, |t| json!(t.to_iso_string())))
}

/// The memories that fit `budget`, in order; a memory too big for what is left is skipped and
/// smaller ones after it may still fit (memories are independent facts, unlike history).
fn fit_memories(user: Uuid, tokens: i64) -> ConvoResult<(Vec<Value>, i64)> {
    let mut budget = Budget::new(tokens);
    let mut chosen = Vec::new();
    if budget.is_spent() {
        return Ok((chosen, 0));
    }
    walk(&MEMORIES, MEMORIES_SQL, &[UUID], &[user.into()], |row| {
        let tokens = i64::from(row.get::<i32>(6)?.unwrap_or(0));
        if budget.take(tokens) {
            chosen.push(json!({
                "id": row.get::<Uuid>(1)?.map(|u| u.to_string()),
                "memory_key": text(row, 2)?,
                "memory_value": text(row, 3)?,
                "memory_category": text(row, 4)?,
                "importance": text(row, 5)?,
                "token_count": tokens,
            }));
        }
        Ok(!budget.is_spent())
    })?;
    Ok((chosen, budget.used()))
}

/// The newest complete turns of `user` (optionally one session) that fit `max_tokens`, oldest
/// first, after the memories that fit `memory_tokens` of it.
pub fn chat_context(
    user: Uuid,
    max_tokens: i32,
    session: Option<Uuid>,
    memory_tokens: i32,
) -> ConvoResult<JsonB> {
    let (memories, memory_used) = fit_memories(user, i64::from(memory_tokens))?;
    let mut budget = Budget::new(i64::from(max_tokens) - memory_used);
    let mut turns: Vec<[Value; 2]> = Vec::new();
    walk(
        &CHAT_PAIRS,
        CHAT_PAIRS_SQL,
        &[UUID, UUID],
        &[user.into(), session.into()],
        |row| {
            let user_tokens = i64::from(row.get::<i32>(3)?.unwrap_or(0));
            let ai_tokens = i64::from(row.get::<i32>(8)?.unwrap_or(0));
            if !budget.take(user_tokens + ai_tokens) {
                return Ok(false);
            }
            let session_id = row.get::<Uuid>(5)?.map(|s| s.to_string());
            turns.push([
                json!({"id": row.get::<Uuid>(1)?.map(|u| u.to_string()), "role": "user",
                       "sender_type": "user", "content": text(row, 2)?, "token_count": user_tokens,
                       "timestamp": time(row, 4)?, "session_id": session_id}),
                json!({"id": row.get::<Uuid>(6)?.map(|u| u.to_string()), "role": "assistant",
                       "sender_type": "ai", "content": text(row, 7)?, "token_count": ai_tokens,
                       "timestamp": time(row, 9)?, "session_id": session_id}),
            ]);
            Ok(true)
        },
    )?;
    let messages: Vec<Value> = turns.into_iter().rev().flatten().collect();
    Ok(JsonB(json!({
        "memories": memories,
        "messages": messages,
        "memory_tokens": memory_used,
        "message_tokens": budget.used(),
        "total_tokens": memory_used + budget.used(),
        "max_tokens": max_tokens,
    })))
}

/// The newest messages of an SMS session (optionally one region) that fit `max_tokens`, oldest
/// first. Messages, not turns: an SMS thread has no reply links.
pub fn conversation_context(
    session: Uuid,
    max_tokens: i32,
    region: Option<&str>,
) -> ConvoResult<JsonB> {
    let mut budget = Budget::new(i64::from(max_tokens));
    let mut picked = Vec::new();
    walk(
        &SESSION_MESSAGES,
        SESSION_MESSAGES_SQL,
        &[UUID, TEXT],
        &[session.into(), region.into()],
        |row| {
            let tokens = i64::from(row.get::<i32>(6)?.unwrap_or(0));
            if !budget.take(tokens) {
                return Ok(false);
            }
            picked.push(json!({
                "id": row.get::<Uuid>(1)?.map(|u| u.to_string()),
                "role": text(row, 2)?,
                "content": text(row, 3)?,
                "region": text(row, 4)?,
                "created_at": time(row, 5)?,
                "token_count": tokens,
            }));
            Ok(true)
        },
    )?;
    picked.reverse();
    Ok(JsonB(json!({
        "messages": picked,
        "total_tokens": budget.used(),
        "max_tokens": max_tokens,
    })))
}

/// `convo.chat_context(user, max_tokens, session, memory_tokens)`: the caller (the public
/// wrapper) has already resolved the acting user; RLS still applies to what is read.
#[pg_extern(stable, name = "chat_context")]
fn chat_context_sql(
    p_user_id: Option<Uuid>,
    p_max_tokens: Option<i32>,
    p_session_id: Option<Uuid>,
    p_memory_tokens: Option<i32>,
) -> JsonB {
    let max = check_budget("p_max_tokens", p_max_tokens, 1).or_raise();
    let memory = check_budget("p_memory_tokens", p_memory_tokens.or(Some(0)), 0).or_raise();
    if memory > max {
        ConvoError::invalid_with_hint(
            "p_memory_tokens is larger than p_max_tokens",
            "memories take a share of the whole budget",
        )
        .raise();
    }
    let user = p_user_id
        .ok_or_else(|| ConvoError::invalid("p_user_id is required"))
        .or_raise();
    chat_context(user, max, p_session_id, memory).or_raise()
}

#[pg_extern(stable, name = "conversation_context")]
fn conversation_context_sql(
    p_session_id: Option<Uuid>,
    p_max_tokens: Option<i32>,
    p_region: Option<&str>,
) -> JsonB {
    let max = check_budget("p_max_tokens", p_max_tokens, 1).or_raise();
    let session = p_session_id
        .ok_or_else(|| ConvoError::invalid("p_session_id is required"))
        .or_raise();
    conversation_context(session, max, p_region).or_raise()
}

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use super::*;
    use crate::testing::error_of;

    #[pg_test]
    fn counts_match_openais_tokenizers() {
        // reference values from OpenAI's tiktoken (encode_ordinary)
        let o200k = encoding("o200k_base").unwrap();
        let cl100k = encoding("cl100k_base").unwrap();
        assert_eq!(count("hello world", o200k), 2);
        assert_eq!(count("hello world", cl100k), 2);
        assert_eq!(count("", o200k), 0);
        // a special-token marker in user text is ordinary text, not one special token
        assert!(count("<|endoftext|>", cl100k) > 1);
        let got = Spi::get_one::<i32>("select tests.count_tokens_via_sql()").unwrap();
        assert_eq!(got, Some(2));
    }

    #[pg_extern]
    fn count_tokens_via_sql() -> i32 {
        Spi::get_one::<i32>("select convo.count_tokens('hello world')")
            .unwrap()
            .unwrap()
    }

    #[pg_test]
    fn an_unknown_encoding_is_a_400_without_its_name_in_the_message() {
        let (state, message, hint) = error_of("select convo.count_tokens('x', 'gpt2\r\nX: y')");
        assert_eq!(state, "22023");
        assert_eq!(message, "unknown encoding");
        assert_eq!(hint.as_deref(), Some("use o200k_base or cl100k_base"));
    }

    /// Newest first while it fits, stopping at the first that does not.
    fn fit_newest(costs: &[i64], tokens: i64) -> (usize, i64) {
        let mut budget = Budget::new(tokens);
        let n = costs.iter().take_while(|c| budget.take(**c)).count();
        (n, budget.used())
    }

    #[pg_test]
    fn fitting_newest_first_stops_at_the_first_that_does_not_fit() {
        assert_eq!(fit_newest(&[10, 20, 30], 100), (3, 60), "all fit");
        assert_eq!(fit_newest(&[10, 20, 30], 30), (2, 30), "exact fit");
        assert_eq!(
            fit_newest(&[50, 1, 1], 40),
            (0, 0),
            "the newest is bigger than the budget"
        );
        assert_eq!(
            fit_newest(&[10, 50, 1], 40),
            (1, 10),
            "no gaps: the older small one is not taken"
        );
        assert_eq!(fit_newest(&[], 40), (0, 0), "empty history");
    }

    #[pg_test]
    fn budgets_are_bounded() {
        assert!(check_budget("p", Some(1), 1).is_ok());
        assert!(check_budget("p", Some(MAX_BUDGET_TOKENS), 1).is_ok());
        for bad in [Some(0), Some(-5), Some(MAX_BUDGET_TOKENS + 1), None] {
            let err = check_budget("p_max_tokens", bad, 1).unwrap_err();
            assert_eq!(err.sqlstate(), "22023");
            assert_eq!(err.to_string(), "p_max_tokens is out of range (22023)");
        }
    }
}
