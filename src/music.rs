//! Music: genre preferences learned from interactions (Bondhu's RL feedback loop).
//!
//! Every row inserted into `music_interactions` is folded into its user's
//! `music_genre_preferences` row by [`fold_genre_preference`] (an AFTER INSERT trigger). The same
//! statistics can be rebuilt from the raw history with the aggregate
//! `convo.genre_preference(rl_reward, created_at)` ([`recompute`]); the two must agree exactly,
//! so everything is kept in exact `numeric` sums (addition is then order-independent) and the
//! derived columns are computed by one statement ([`UPSERT_SQL`]) from those sums in both paths.
//!
//! Per (user, genre):
//! - `interaction_count`, `reward_sum` → `average_reward = reward_sum / interaction_count`;
//! - recency weights: an interaction in 30-day window `k` (counted from 2020-01-01 UTC) weighs
//!   `2^k`, i.e. weight halves for every 30 days of age: a stepwise 30-day half-life, exact in
//!   numeric. `weighted_reward_sum = Σ 2^k·r`, `recency_weight_sum = Σ 2^k`;
//! - `preference_score = clamp((weighted_reward_sum / recency_weight_sum + 1) / 2, 0, 1)`,
//!   rounded to 6 decimals: the recency-weighted mean reward mapped from [-1, 1] (dislike … like)
//!   into [0, 1]; 0.5 means indifferent, which is also the score before any interaction.
//!
//! Genres are normalised (trimmed, lower-cased, inner white space collapsed): "Lo-fi Chill" and
//! "lo-fi  chill " are one genre. An interaction without a genre (no `genre` / `genz_genre` in
//! audio_features, or a blank one) is stored and counts toward no genre preference: a preference
//! for "unknown" would only crowd the user's top genres.

use crate::errors::{ConvoError, ConvoResult, OrRaise};
use crate::plans::{with_plan, PlanCell, INT4, NUMERIC, TEXT, TIMESTAMPTZ, UUID};
use pgrx::prelude::*;
use pgrx::{AnyNumeric, JsonB, Uuid};
use std::cell::RefCell;
use std::collections::HashMap;

/// Microseconds from Postgres' epoch (2000-01-01) to 2020-01-01, the first recency window.
const WINDOW_ORIGIN_US: i64 = 631_152_000 * 1_000_000;
/// The recency window: 30 days.
const WINDOW_US: i64 = 30 * 86_400 * 1_000_000;

/// "Lo-fi  Chill " → "lo-fi chill"; blank → None.
pub fn normalize_genre(raw: &str) -> Option<String> {
    let words: Vec<String> = raw.split_whitespace().map(str::to_lowercase).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The genre an interaction's audio_features names (`genre`, or the recommendations' `genz_genre`).
pub fn genre_of(audio_features: &serde_json::Value) -> Option<String> {
    ["genre", "genz_genre"].iter().find_map(|k| {
        audio_features
            .get(*k)
            .and_then(|v| v.as_str())
            .and_then(normalize_genre)
    })
}

/// The 30-day window a timestamp (µs since 2000-01-01) falls in; negative before 2020.
pub fn window_of(pg_micros: i64) -> i64 {
    (pg_micros - WINDOW_ORIGIN_US).div_euclid(WINDOW_US)
}

thread_local! {
    static POWERS: RefCell<HashMap<i64, AnyNumeric>> = RefCell::new(HashMap::new());
}

/// `2^k` as an exact numeric (cached per backend: a user's windows are few).
fn weight(k: i64) -> AnyNumeric {
    POWERS.with(|p| {
        p.borrow_mut()
            .entry(k)
            .or_insert_with(|| {
                let (mut w, factor) = (
                    AnyNumeric::from(1),
                    if k >= 0 {
                        AnyNumeric::from(2)
                    } else {
                        AnyNumeric::try_from("0.5").unwrap()
                    },
                );
                for _ in 0..k.unsigned_abs() {
                    w *= factor.clone();
                }
                w
            })
            .clone()
    })
}

/// The preference score from the recency sums (see the module docs). Used by [`UPSERT_SQL`].
#[pg_extern(immutable, parallel_safe)]
pub fn preference_score(weighted_reward_sum: AnyNumeric, recency_weight_sum: AnyNumeric) -> f64 {
    let weight = f64::try_from(recency_weight_sum).unwrap_or(0.0);
    if weight <= 0.0 {
        return 0.5;
    }
    let mean = f64::try_from(
        weighted_reward_sum / AnyNumeric::try_from(weight).unwrap_or(AnyNumeric::from(1)),
    )
    .unwrap_or(0.0);
    (((mean + 1.0) / 2.0).clamp(0.0, 1.0) * 1e6).round() / 1e6
}

/// The genre an interaction counts toward, from its audio_features (SQL: for grouping history).
#[pg_extern(immutable, parallel_safe, name = "interaction_genre")]
fn interaction_genre_sql(audio_features: Option<JsonB>) -> Option<String> {
    audio_features.and_then(|f| genre_of(&f.0))
}

/// Adds deltas to a (user, genre) row and recomputes its derived columns from the new sums.
/// The trigger passes one interaction; `recompute` passes a genre's totals (after deleting the
/// user's rows): the same statement, so both produce exactly the same row.
const UPSERT_SQL: &str = r#"
insert into public.music_genre_preferences as g
  (user_id, genre, interaction_count, reward_sum, weighted_reward_sum, recency_weight_sum,
   average_reward, preference_score, last_interaction, updated_at)
select $1, $2, $3, $4, $5, $6, $4 / $3, convo.preference_score($5, $6), $7, now()
-- writers fold one at a time against a recompute of the same user (which holds it exclusively)
from (select pg_advisory_xact_lock_shared(7267, hashtext($1::text))) as fold_lock
on conflict (user_id, genre) do update set
  interaction_count = g.interaction_count + excluded.interaction_count,
  reward_sum = g.reward_sum + excluded.reward_sum,
  weighted_reward_sum = g.weighted_reward_sum + excluded.weighted_reward_sum,
  recency_weight_sum = g.recency_weight_sum + excluded.recency_weight_sum,
  average_reward = (g.reward_sum + excluded.reward_sum) / (g.interaction_count + excluded.interaction_count),
  preference_score = convo.preference_score(g.weighted_reward_sum + excluded.weighted_reward_sum,
                                            g.recency_weight_sum + excluded.recency_weight_sum),
  last_interaction = greatest(g.last_interaction, excluded.last_interaction),
  updated_at = now()
"#;

thread_local! {
    static UPSERT: PlanCell = const { PlanCell::new() };
}

/// One (user, genre)'s sums: what the aggregate accumulates and the upsert adds.
#[derive(Debug, Clone)]
pub struct GenreSums {
    pub count: i32,
    pub reward_sum: AnyNumeric,
    pub weighted_reward_sum: AnyNumeric,
    pub recency_weight_sum: AnyNumeric,
}

impl GenreSums {
    pub fn zero() -> Self {
        GenreSums {
            count: 0,
            reward_sum: AnyNumeric::from(0),
            weighted_reward_sum: AnyNumeric::from(0),
            recency_weight_sum: AnyNumeric::from(0),
        }
    }

    /// Folds one interaction in.
    pub fn add(&mut self, reward: AnyNumeric, at: TimestampWithTimeZone) {
        let w = weight(window_of(at.into_inner()));
        self.count += 1;
        self.weighted_reward_sum = self.weighted_reward_sum.clone() + w.clone() * reward.clone();
        self.reward_sum = self.reward_sum.clone() + reward;
        self.recency_weight_sum = self.recency_weight_sum.clone() + w;
    }

    /// Combines two partial states (parallel aggregation).
    pub fn merge(mut self, other: GenreSums) -> Self {
        self.count += other.count;
        self.reward_sum += other.reward_sum;
        self.weighted_reward_sum += other.weighted_reward_sum;
        self.recency_weight_sum += other.recency_weight_sum;
        self
    }

    fn to_array(&self) -> Vec<AnyNumeric> {
        vec![
            AnyNumeric::from(self.count),
            self.reward_sum.clone(),
            self.weighted_reward_sum.clone(),
            self.recency_weight_sum.clone(),
        ]
    }

    fn from_array(state: Option<Array<AnyNumeric>>) -> ConvoResult<Self> {
        let Some(state) = state else {
            return Ok(GenreSums::zero());
        };
        let v: Vec<AnyNumeric> = state.iter().flatten().collect();
        if v.len() != 4 {
            return Err(ConvoError::Internal(format!(
                "genre_preference state has {} fields",
                v.len()
            )));
        }
        Ok(GenreSums {
            count: i32::try_from(v[0].clone()).map_err(|e| ConvoError::Internal(e.to_string()))?,
            reward_sum: v[1].clone(),
            weighted_reward_sum: v[2].clone(),
            recency_weight_sum: v[3].clone(),
        })
    }
}

fn upsert(
    user: Uuid,
    genre: &str,
    sums: &GenreSums,
    last: TimestampWithTimeZone,
) -> ConvoResult<()> {
    let types = [UUID, TEXT, INT4, NUMERIC, NUMERIC, NUMERIC, TIMESTAMPTZ];
    with_plan(&UPSERT, UPSERT_SQL, &types, |plan| {
        Spi::connect_mut(|c| {
            let args = [
                user.into(),
                genre.into(),
                sums.count.into(),
                sums.reward_sum.clone().into(),
                sums.weighted_reward_sum.clone().into(),
                sums.recency_weight_sum.clone().into(),
                last.into(),
            ];
            c.update(plan, None, &args)?;
            Ok(())
        })
    })
}

/// AFTER INSERT on music_interactions: folds the new interaction into its genre's preference.
#[pg_trigger]
fn fold_genre_preference<'a>(
    trigger: &'a PgTrigger<'a>,
) -> Result<Option<PgHeapTuple<'a, AllocatedByPostgres>>, PgHeapTupleError> {
    let Some(new) = trigger.new() else {
        return Ok(None);
    };
    fold(&new).or_raise();
    Ok(Some(new))
}

fn fold(new: &PgHeapTuple<'_, AllocatedByPostgres>) -> ConvoResult<()> {
    let field = |e: pgrx::datum::TryFromDatumError| ConvoError::Internal(e.to_string());
    let user = new.get_by_name::<Uuid>("user_id").map_err(field)?;
    let reward = new.get_by_name::<AnyNumeric>("rl_reward").map_err(field)?;
    let at = new
        .get_by_name::<TimestampWithTimeZone>("created_at")
        .map_err(field)?;
    let features = new.get_by_name::<JsonB>("audio_features").map_err(field)?;
    let genre = features.and_then(|f| genre_of(&f.0));
    let (Some(user), Some(reward), Some(at), Some(genre)) = (user, reward, at, genre) else {
        return Ok(()); // no genre: the interaction is stored and counts toward no preference
    };
    let mut sums = GenreSums::zero();
    sums.add(reward, at);
    upsert(user, &genre, &sums, at)
}

// The aggregate's transition and combine functions (state: numeric[4] = count, reward_sum,
// weighted_reward_sum, recency_weight_sum).
#[pg_extern(immutable, parallel_safe)]
fn genre_preference_step(
    state: Option<Array<AnyNumeric>>,
    rl_reward: Option<AnyNumeric>,
    created_at: Option<TimestampWithTimeZone>,
) -> Vec<AnyNumeric> {
    let mut sums = GenreSums::from_array(state).or_raise();
    if let (Some(r), Some(t)) = (rl_reward, created_at) {
        sums.add(r, t);
    }
    sums.to_array()
}

#[pg_extern(immutable, parallel_safe)]
fn genre_preference_combine(
    a: Option<Array<AnyNumeric>>,
    b: Option<Array<AnyNumeric>>,
) -> Vec<AnyNumeric> {
    let a = GenreSums::from_array(a).or_raise();
    let b = GenreSums::from_array(b).or_raise();
    a.merge(b).to_array()
}

extension_sql!(
    r#"
-- convo.genre_preference(rl_reward, created_at): the sums the trigger keeps, from raw history.
create aggregate convo.genre_preference(numeric, timestamptz) (
  sfunc = convo.genre_preference_step,
  stype = numeric[],
  combinefunc = convo.genre_preference_combine,
  parallel = safe
);
-- The trigger writes genre preferences, which users may only read: it runs as its owner.
alter function convo.fold_genre_preference() security definer set search_path = '';
revoke execute on function convo.fold_genre_preference() from public;
"#,
    name = "genre_preference_aggregate",
    requires = [
        genre_preference_step,
        genre_preference_combine,
        fold_genre_preference
    ],
);

/// Taken exclusively by a recompute; every fold takes it shared (in UPSERT_SQL), so a recompute
/// waits for in-flight folds of that user and holds new ones back until it commits.
const RECOMPUTE_LOCK_SQL: &str = "select pg_advisory_xact_lock(7267, hashtext($1::text))";
const RECOMPUTE_CLEAR_SQL: &str = "delete from public.music_genre_preferences where user_id = $1";
const RECOMPUTE_TOTALS_SQL: &str = r#"
select convo.interaction_genre(i.audio_features) as genre,
       convo.genre_preference(i.rl_reward, i.created_at) as sums,
       max(i.created_at) as last_interaction
from public.music_interactions i
where i.user_id = $1 and convo.interaction_genre(i.audio_features) is not null
group by 1
"#;

/// Rebuilds a user's genre preferences from their whole interaction history. Returns how many
/// genre rows were written.
pub fn recompute(user: Uuid) -> ConvoResult<i64> {
    Spi::connect_mut(|c| {
        c.update(RECOMPUTE_LOCK_SQL, None, &[user.into()])?;
        c.update(RECOMPUTE_CLEAR_SQL, None, &[user.into()])?;
        Ok::<(), ConvoError>(())
    })?;
    let totals: Vec<(String, GenreSums, TimestampWithTimeZone)> = Spi::connect(|c| {
        let mut out = Vec::new();
        for row in c.select(RECOMPUTE_TOTALS_SQL, None, &[user.into()])? {
            let genre = row.get::<String>(1)?.unwrap_or_default();
            let sums = GenreSums::from_array(row.get::<Array<AnyNumeric>>(2)?)?;
            let last = row
                .get::<TimestampWithTimeZone>(3)?
                .ok_or_else(|| ConvoError::Internal("no last interaction".into()))?;
            out.push((genre, sums, last));
        }
        Ok::<_, ConvoError>(out)
    })?;
    for (genre, sums, last) in &totals {
        upsert(user, genre, sums, *last)?;
    }
    Ok(totals.len() as i64)
}

/// `recompute_genre_preferences(p_user_id default auth.uid())`: a signed-in user may rebuild
/// only their own rows (42501 otherwise); the service role (or a BYPASSRLS role) any user's.
#[pg_extern(volatile, security_definer)]
fn recompute_genre_preferences(p_user_id: default!(Option<Uuid>, "NULL")) -> i64 {
    let (uid, role) = Spi::get_two::<Uuid, String>("select auth.uid(), auth.role()").or_raise();
    let target = match (p_user_id, uid) {
        (Some(target), Some(me)) if target != me => {
            ConvoError::Forbidden("a user may recompute only their own genre preferences".into())
                .raise()
        }
        (Some(target), _) => target,
        (None, Some(me)) => me,
        (None, None) => {
            ConvoError::invalid("p_user_id is required without a signed-in user").raise()
        }
    };
    if uid.is_none() && role.as_deref() != Some("service_role") {
        // no user and not the service role: only a trusted database role gets here (grants)
        let trusted = Spi::get_one::<bool>(
            "select r.rolbypassrls or r.rolsuper from pg_catalog.pg_roles r where r.rolname = session_user",
        )
        .or_raise()
        .unwrap_or(false);
        if !trusted {
            ConvoError::Forbidden("recomputing needs a signed-in user or the service role".into())
                .raise();
        }
    }
    recompute(target).or_raise()
}

extension_sql!(
    r#"
alter function convo.recompute_genre_preferences(uuid) set search_path = '';
revoke execute on function convo.recompute_genre_preferences(uuid) from public;
"#,
    name = "recompute_genre_preferences_locked_down",
    requires = [recompute_genre_preferences],
);

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use super::*;

    #[pg_test]
    fn genres_are_normalised() {
        assert_eq!(
            normalize_genre("Lo-fi Chill").as_deref(),
            Some("lo-fi chill")
        );
        assert_eq!(
            normalize_genre("  lo-fi \t chill ").as_deref(),
            Some("lo-fi chill")
        );
        assert_eq!(normalize_genre("ÉLECTRO"), Some("électro".to_string()));
        assert_eq!(normalize_genre("   "), None);
        let f = serde_json::json!({"genre": " Pop Anthems ", "energy": 0.8});
        assert_eq!(genre_of(&f).as_deref(), Some("pop anthems"));
        assert_eq!(
            genre_of(&serde_json::json!({"genz_genre": "Hyperpop"})).as_deref(),
            Some("hyperpop")
        );
        assert_eq!(genre_of(&serde_json::json!({"energy": 0.8})), None);
        assert_eq!(genre_of(&serde_json::json!({"genre": 42})), None);
    }

    #[pg_test]
    fn recency_windows_are_30_days_from_2020() {
        let day = 86_400_000_000_i64;
        assert_eq!(window_of(WINDOW_ORIGIN_US), 0);
        assert_eq!(window_of(WINDOW_ORIGIN_US + 30 * day - 1), 0);
        assert_eq!(window_of(WINDOW_ORIGIN_US + 30 * day), 1);
        assert_eq!(window_of(WINDOW_ORIGIN_US - 1), -1);
        assert_eq!(weight(3), AnyNumeric::from(8));
        assert_eq!(weight(-2), AnyNumeric::try_from("0.25").unwrap());
    }

    #[pg_test]
    fn the_score_maps_the_weighted_mean_into_0_1() {
        let n = |s: &str| AnyNumeric::try_from(s).unwrap();
        assert_eq!(
            preference_score(n("0"), n("0")),
            0.5,
            "no weight: indifferent"
        );
        assert_eq!(preference_score(n("1"), n("1")), 1.0);
        assert_eq!(preference_score(n("-1"), n("1")), 0.0);
        assert_eq!(preference_score(n("0.5"), n("2")), 0.625);
        assert_eq!(preference_score(n("5"), n("1")), 1.0, "clamped");
        // recent feedback dominates: a like now (weight 2) after a dislike a window ago (weight 1)
        assert_eq!(preference_score(n("1"), n("3")), 0.666667);
    }

    #[pg_test]
    fn the_fold_and_the_merge_are_exact_and_order_free() {
        let t = |s: &str| {
            Spi::get_one::<TimestampWithTimeZone>(&format!("select '{s}'::timestamptz"))
                .unwrap()
                .unwrap()
        };
        let r = |s: &str| AnyNumeric::try_from(s).unwrap();
        let events = [
            ("0.3", "2025-01-01"),
            ("-1", "2025-03-15"),
            ("0.7", "2026-11-01"),
            ("1", "2019-06-01"),
        ];
        let mut forward = GenreSums::zero();
        for (reward, at) in events {
            forward.add(r(reward), t(at));
        }
        let mut left = GenreSums::zero();
        let mut right = GenreSums::zero();
        for (i, (reward, at)) in events.iter().rev().enumerate() {
            if i % 2 == 0 {
                left.add(r(reward), t(at))
            } else {
                right.add(r(reward), t(at))
            }
        }
        let merged = right.merge(left);
        assert_eq!(forward.count, 4);
        assert_eq!(merged.count, 4);
        assert_eq!(forward.reward_sum, merged.reward_sum);
        assert_eq!(forward.weighted_reward_sum, merged.weighted_reward_sum);
        assert_eq!(forward.recency_weight_sum, merged.recency_weight_sum);
        assert_eq!(forward.reward_sum, r("1.0"));
    }
}
