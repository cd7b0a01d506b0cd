-- Music: genre preferences that learn (Rust: src/music.rs).
--
-- Every interaction is folded into music_genre_preferences by an AFTER INSERT trigger; the same
-- statistics can be rebuilt from raw history with recompute_genre_preferences(), and the two agree
-- exactly. The formula (documented in src/music.rs and the README):
--   average_reward   = reward_sum / interaction_count
--   preference_score = clamp((weighted_reward_sum / recency_weight_sum + 1) / 2, 0, 1), 6 decimals,
--   where an interaction in 30-day window k (from 2020-01-01 UTC) weighs 2^k: a 30-day half-life.
-- Genres are normalised (trim, lower case, single spaces); an interaction without a genre is
-- stored and counts toward no genre.

-- The exact sums the derived columns come from (numeric addition is exact, so the incremental
-- and the recomputed rows are equal, whatever the order interactions arrive in).
alter table public.music_genre_preferences
  add column reward_sum numeric not null default 0,
  add column weighted_reward_sum numeric not null default 0,
  add column recency_weight_sum numeric not null default 0 check (recency_weight_sum >= 0);
comment on column public.music_genre_preferences.reward_sum is 'Σ rl_reward of the genre''s interactions (average_reward = reward_sum / interaction_count).';
comment on column public.music_genre_preferences.weighted_reward_sum is 'Σ 2^k · rl_reward, k = the interaction''s 30-day window since 2020-01-01 UTC.';
comment on column public.music_genre_preferences.recency_weight_sum is 'Σ 2^k (see weighted_reward_sum); preference_score = clamp((weighted_reward_sum / recency_weight_sum + 1) / 2, 0, 1).';
comment on column public.music_genre_preferences.preference_score is
  'Recency-weighted mean reward mapped from [-1, 1] into [0, 1] (0.5 = indifferent); maintained by the trigger on music_interactions.';

-- The fold: runs as its owner (users may only read their preferences), search_path '' (set by
-- the extension).
create trigger music_interactions_fold_genre_preference
  after insert on public.music_interactions
  for each row execute function convo.fold_genre_preference();

-- recompute_genre_preferences(p_user_id default the caller): a user rebuilds their own rows
-- (42501 for anyone else's); the service role any user's. Returns the number of genre rows.
grant execute on function convo.recompute_genre_preferences(uuid) to authenticated, service_role;

create function public.recompute_genre_preferences(p_user_id uuid default null)
returns bigint
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  return convo.recompute_genre_preferences(p_user_id);
end
$$;

comment on function public.recompute_genre_preferences(uuid) is
  'Rebuilds the genre preferences of p_user_id (default: the caller) from their whole music_interactions history, with the Rust aggregate convo.genre_preference; the result equals what the insert trigger maintains incrementally. A user may recompute only their own (42501 otherwise); the service role any user''s. Returns the number of genre rows written.';

revoke execute on function public.recompute_genre_preferences(uuid) from public, anon;
grant execute on function public.recompute_genre_preferences(uuid) to authenticated, service_role;
