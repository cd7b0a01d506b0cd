//! Token-aware conversations: exact BPE token counts and context windows that fit a budget.
//!
//! An LLM's context window is a token budget, so history is cut by tokens, not by message count.
//! `convo.count_tokens` counts exactly as OpenAI's tokenizers do (the `o200k_base` and
//! `cl100k_base` encodings), with the workspace crate `pg_convo_tokenizer` (tokenizer/): its rank
//! tables are read-only data in the library, shared by every backend, so a connection's first
//! count builds nothing and keeps no memory of its own. The tables store each message's count in a generated column, computed by the
//! statement that writes the row, so reading a context window adds numbers instead of tokenizing.
//!
//! The context walks: newest first, through an SPI cursor, stopping at the first item that does
//! not fit, so a window costs the rows it returns (plus one), not the user's whole history. They
//! return the ids that fit; `public.get_chat_context` and `public.load_conversation_context`
//! (migrations/…_tokens.sql) apply the acting-user rule, build the JSON from those ids and record
//! memory reads.

use crate::errors::{ConvoError, ConvoResult, OrRaise};
use crate::plans::{with_plan, PlanCell, INT8, TEXT, UUID};
pub use pg_convo_tokenizer::Encoding;
use pgrx::prelude::*;
use pgrx::Uuid;

/// The largest budget a context call accepts: above every model's context window today.
pub const MAX_BUDGET_TOKENS: i32 = 2_000_000;
/// Rows fetched from the cursor at a time (a 4,000-token window of chat is ~20–60 rows).
const FETCH_ROWS: i64 = 32;

/// The encoding named `name`.
pub fn encoding(name: &str) -> ConvoResult<Encoding> {
    Encoding::from_name(name).ok_or_else(|| {
        ConvoError::invalid_with_hint("unknown encoding", "use o200k_base or cl100k_base")
            .with_detail(name)
    })
}

/// Exact token count of `text`: special-token markers such as `<|endoftext|>` in user text are
/// counted as the ordinary text they are (tiktoken's `encode_ordinary`).
pub fn count(text: &str, encoding: Encoding) -> usize {
    encoding.count(text)
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
}

impl Budget {
    pub fn new(tokens: i64) -> Self {
        Budget {
            left: tokens.max(0),
        }
    }

    /// Takes `cost` tokens if they fit; false (and nothing taken) if not.
    pub fn take(&mut self, cost: i64) -> bool {
        if cost > self.left {
            return false;
        }
        self.left -= cost;
        true
    }

    pub fn is_spent(&self) -> bool {
        self.left == 0
    }
}

thread_local! {
    static CHAT_TURNS: PlanCell = const { PlanCell::new() };
    static SESSION_TURNS: PlanCell = const { PlanCell::new() };
    static MEMORIES: PlanCell = const { PlanCell::new() };
    static SESSION_MESSAGES: PlanCell = const { PlanCell::new() };
}

// What the walks read: an id and a token count per row, newest first. The JSON a client gets is
// built by SQL afterwards from the ids these return (migrations/…_tokens.sql): the tight loop
// is here, the rows' assembly where SQL does it well, and the ids make both see the same rows.
//
// The LIMIT ($n: the budget + 1, more rows than can fit when each has a token) is what makes the
// plan walk the (owner, time) index from the newest row: without one, a cursor's plan sorts all
// of the owner's rows before returning the first (measured: 150 ms for 50k turns, against
// 0.3 ms). Rows of 0 tokens (empty messages) are taken up to that many.

/// A user's complete turns (a user message and the AI reply that answers it), newest first:
/// the user message's id and the turn's tokens. The order is exactly that of the partial index
/// idx_chat_messages_user_turns, so the walk reads only the rows it returns, however many of the
/// user's messages share a timestamp (migrations/…_tokens_window_indexes.sql).
///
/// The reply is looked up per user message (the newest, when it was regenerated: the others are
/// on other branches), behind a `limit 1` fence: as a plain join, under
/// RLS (whose `user_id = (select auth.uid())` qual the planner cannot estimate) and with a LIMIT
/// of budget + 1 rows, PostgreSQL preferred reading all of the user's messages into a hash join
/// and sorting them (measured: 30,000 rows fetched for a window of 62 messages); the fence keeps
/// the walk an index scan in order with one reply lookup per turn.
const CHAT_TURNS_SQL: &str = r#"
select u.id, u.token_count + a.token_count
from public.chat_messages u
cross join lateral (
  select r.token_count from public.chat_messages r where r.reply_to = u.id
  order by r."timestamp" desc, r.id desc limit 1
) a
where u.user_id = $1 and u.sender_type = 'user'
order by u."timestamp" desc, u.id desc
limit $2
"#;

/// The same within one chat session (idx_chat_messages_session_turns); a separate statement, so
/// each keeps the plan of its own index.
const SESSION_TURNS_SQL: &str = r#"
select u.id, u.token_count + a.token_count
from public.chat_messages u
cross join lateral (
  select r.token_count from public.chat_messages r where r.reply_to = u.id
  order by r."timestamp" desc, r.id desc limit 1
) a
where u.session_id = $2 and u.user_id = $1 and u.sender_type = 'user'
order by u."timestamp" desc, u.id desc
limit $3
"#;

/// A user's memories in get_memories' order (most important, then most recently updated), each
/// as the prompt line "key: value" counts.
const MEMORIES_SQL: &str = r#"
select m.id, convo.count_tokens(m.memory_key || ': ' || m.memory_value)
from public.user_memories m
where m.user_id = $1
order by case m.importance when 'high' then 0 when 'medium' then 1 else 2 end,
         m.updated_at desc, m.id
limit $2
"#;

/// An SMS session's messages (optionally one region's), newest first.
const SESSION_MESSAGES_SQL: &str = r#"
select m.id, m.token_count
from public.messages m
where m.session_id = $1 and ($2::text is null or m.region = $2)
order by m.created_at desc, m.id desc
limit $3
"#;

/// Walks `(id, tokens)` rows of a kept plan, `FETCH_ROWS` at a time, handing each to `take` until
/// it answers false.
fn walk(
    cell: &'static std::thread::LocalKey<PlanCell>,
    sql: &str,
    types: &[PgOid],
    args: &[pgrx::datum::DatumWithOid<'_>],
    mut take: impl FnMut(Uuid, i64) -> bool,
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
                    let (Some(id), tokens) = (row.get::<Uuid>(1)?, row.get::<i64>(2)?) else {
                        continue;
                    };
                    if !take(id, tokens.unwrap_or(0)) {
                        return Ok(());
                    }
                }
            }
        })
    })
}

/// The newest complete turns of `user` (optionally one session) that fit `budget` tokens: their
/// user messages' ids, newest first. Stops at the first turn that does not fit (no gaps).
pub fn fit_chat_turns(user: Uuid, budget: i32, session: Option<Uuid>) -> ConvoResult<Vec<Uuid>> {
    let mut left = Budget::new(i64::from(budget));
    let mut ids = Vec::new();
    let limit = i64::from(budget) + 1;
    let take = |id, tokens| {
        let fits = left.take(tokens);
        if fits {
            ids.push(id);
        }
        fits
    };
    match session {
        None => walk(
            &CHAT_TURNS,
            CHAT_TURNS_SQL,
            &[UUID, INT8],
            &[user.into(), limit.into()],
            take,
        )?,
        Some(session) => walk(
            &SESSION_TURNS,
            SESSION_TURNS_SQL,
            &[UUID, UUID, INT8],
            &[user.into(), session.into(), limit.into()],
            take,
        )?,
    }
    Ok(ids)
}

/// The memories of `user` that fit `budget` tokens, in get_memories' order; one too big for what
/// is left is skipped and smaller ones after it may still fit (memories are independent facts).
pub fn fit_memories(user: Uuid, budget: i32) -> ConvoResult<Vec<Uuid>> {
    let mut left = Budget::new(i64::from(budget));
    let mut ids = Vec::new();
    if left.is_spent() {
        return Ok(ids);
    }
    walk(
        &MEMORIES,
        MEMORIES_SQL,
        &[UUID, INT8],
        &[user.into(), (i64::from(budget) + 1).into()],
        |id, tokens| {
            if left.take(tokens) {
                ids.push(id);
            }
            !left.is_spent()
        },
    )?;
    Ok(ids)
}

/// The newest messages of an SMS session (optionally one region) that fit `budget` tokens, newest
/// first. Messages, not turns: an SMS thread has no reply links.
pub fn fit_session_messages(
    session: Uuid,
    budget: i32,
    region: Option<&str>,
) -> ConvoResult<Vec<Uuid>> {
    let mut left = Budget::new(i64::from(budget));
    let mut ids = Vec::new();
    walk(
        &SESSION_MESSAGES,
        SESSION_MESSAGES_SQL,
        &[UUID, TEXT, INT8],
        &[
            session.into(),
            region.into(),
            (i64::from(budget) + 1).into(),
        ],
        |id, tokens| {
            let fits = left.take(tokens);
            if fits {
                ids.push(id);
            }
            fits
        },
    )?;
    Ok(ids)
}

fn required<T>(name: &str, value: Option<T>) -> T {
    value
        .ok_or_else(|| ConvoError::invalid(format!("{name} is required")))
        .or_raise()
}

/// `convo.fit_chat_turns(user, budget, session)`: the callers (public.get_chat_context) resolve
/// the acting user first; RLS still applies to what is read.
#[pg_extern(stable, name = "fit_chat_turns")]
fn fit_chat_turns_sql(
    p_user_id: Option<Uuid>,
    p_budget: Option<i32>,
    p_session_id: Option<Uuid>,
) -> Vec<Uuid> {
    let user = required("p_user_id", p_user_id);
    let budget = check_budget("p_budget", p_budget, 0).or_raise();
    fit_chat_turns(user, budget, p_session_id).or_raise()
}

#[pg_extern(stable, name = "fit_memories")]
fn fit_memories_sql(p_user_id: Option<Uuid>, p_budget: Option<i32>) -> Vec<Uuid> {
    let user = required("p_user_id", p_user_id);
    let budget = check_budget("p_budget", p_budget, 0).or_raise();
    fit_memories(user, budget).or_raise()
}

#[pg_extern(stable, name = "fit_session_messages")]
fn fit_session_messages_sql(
    p_session_id: Option<Uuid>,
    p_budget: Option<i32>,
    p_region: Option<&str>,
) -> Vec<Uuid> {
    let session = required("p_session_id", p_session_id);
    let budget = check_budget("p_budget", p_budget, 0).or_raise();
    fit_session_messages(session, budget, p_region).or_raise()
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
        (n, costs[..n].iter().sum())
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
