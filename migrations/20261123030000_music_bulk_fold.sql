-- Music: bulk inserts fold without deadlocks; the acting-user rule for the music RPCs; the
-- server's columns and size bounds of the music tables.


-- One fold per statement ---------------------------------------------------------------------------
-- Until now every inserted interaction was folded by a row-level trigger, in arrival order: two
-- bulk inserts of one user whose genres came in different orders ([pop, rock] and [rock, pop])
-- locked the same preference rows in opposite orders and deadlocked (40P01, HTTP 500).
-- Now one AFTER INSERT … FOR EACH STATEMENT trigger folds the whole statement at once: it groups
-- the new rows by (user, genre) with the same exact aggregate that recompute_genre_preferences
-- uses (convo.genre_preference, Rust), and upserts the groups sorted by (user_id, genre), so every
-- writer takes row locks in the same order. It first takes, also sorted, the per-user advisory
-- lock (shared) that a recompute takes exclusively, so a recompute still sees no fold half-done.
-- The sums are exact numerics, so folding a statement's rows together or one by one gives the
-- same preference rows, equal to a recompute.

create function convo.fold_genre_preferences()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform pg_catalog.pg_advisory_xact_lock_shared(7267, l.key)
  from (select distinct pg_catalog.hashtext(n.user_id::text) as key
        from new_interactions n order by 1) l;

  insert into public.music_genre_preferences as g
    (user_id, genre, interaction_count, reward_sum, weighted_reward_sum, recency_weight_sum,
     average_reward, preference_score, last_interaction, updated_at)
  select t.user_id, t.genre, t.sums[1]::integer, t.sums[2], t.sums[3], t.sums[4],
         t.sums[2] / t.sums[1], convo.preference_score(t.sums[3], t.sums[4]),
         t.last_interaction, now()
  from (select n.user_id,
               convo.interaction_genre(n.audio_features) as genre,
               convo.genre_preference(n.rl_reward, n.created_at) as sums,
               max(n.created_at) as last_interaction
        from new_interactions n
        where convo.interaction_genre(n.audio_features) is not null
        group by 1, 2) t
  order by t.user_id, t.genre
  on conflict (user_id, genre) do update set
    interaction_count = g.interaction_count + excluded.interaction_count,
    reward_sum = g.reward_sum + excluded.reward_sum,
    weighted_reward_sum = g.weighted_reward_sum + excluded.weighted_reward_sum,
    recency_weight_sum = g.recency_weight_sum + excluded.recency_weight_sum,
    average_reward = (g.reward_sum + excluded.reward_sum)
                     / (g.interaction_count + excluded.interaction_count),
    preference_score = convo.preference_score(g.weighted_reward_sum + excluded.weighted_reward_sum,
                                              g.recency_weight_sum + excluded.recency_weight_sum),
    last_interaction = greatest(g.last_interaction, excluded.last_interaction),
    updated_at = now();
  return null;
end
$$;
comment on function convo.fold_genre_preferences() is
  'AFTER INSERT FOR EACH STATEMENT on public.music_interactions: folds the statement''s new rows into music_genre_preferences, grouped by (user, genre) and upserted in (user_id, genre) order, so concurrent bulk inserts never deadlock.';
revoke execute on function convo.fold_genre_preferences() from public;

drop trigger music_interactions_fold_genre_preference on public.music_interactions;
create trigger music_interactions_fold_genre_preferences
  after insert on public.music_interactions
  referencing new table as new_interactions
  for each statement execute function convo.fold_genre_preferences();


-- The acting-user rule ------------------------------------------------------------------------------
-- get_genre_preferences gains p_user_id (the service role names the user; a user may omit it or
-- pass their own id). The old one-argument function goes: two overloads would both match a call
-- without p_user_id.

drop function public.get_genre_preferences(integer);

create function public.get_genre_preferences(p_limit integer default 10, p_user_id uuid default null)
returns setof public.music_genre_preferences
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_user uuid := convo.acting_user(p_user_id);
begin
  if p_limit is null or p_limit < 1 or p_limit > 100 then
    raise exception 'p_limit must be between 1 and 100'
      using errcode = '22023', detail = pg_catalog.format('got %s', coalesce(p_limit::text, 'null'));
  end if;

  return query
    select g.*
    from public.music_genre_preferences g
    where g.user_id = v_user
    order by g.preference_score desc, g.interaction_count desc, g.genre
    limit p_limit;
end
$$;

comment on function public.get_genre_preferences(integer, uuid) is
  'Top genres of the acting user (a signed-in caller; with the service role key, the user named by p_user_id): their music_genre_preferences rows by preference_score (highest first), then interaction_count, then genre; at most p_limit (1-100, default 10; otherwise 22023, HTTP 400). STABLE: callable with GET.';

revoke execute on function public.get_genre_preferences(integer, uuid) from public, anon;
grant execute on function public.get_genre_preferences(integer, uuid) to authenticated, service_role;

-- recompute_genre_preferences: same signature, now resolved by the one rule first.
create or replace function public.recompute_genre_preferences(p_user_id uuid default null)
returns bigint
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  return convo.recompute_genre_preferences(convo.acting_user(p_user_id));
end
$$;

comment on function public.recompute_genre_preferences(uuid) is
  'Rebuilds the genre preferences of the acting user (a signed-in caller, who may omit p_user_id or pass their own id — another id is 42501; with the service role key, the user named by p_user_id — required, 22023) from their whole music_interactions history, with the Rust aggregate convo.genre_preference; the result equals what the insert trigger maintains incrementally. Returns the number of genre rows written.';


-- Columns the server maintains ----------------------------------------------------------------------
-- A user's interaction time drives its recency weight (2^k per 30-day window): a client-chosen
-- created_at far in the future would outweigh all real feedback. The server stamps it for users
-- (the service role may still import history with its real times), and likewise the other
-- tables' creation times. (music_recommendations.recommended_at is data, not bookkeeping: the
-- recommender says when it recommended, and the per-day upsert key is derived from it.)
select convo.install_keep_server_columns('public.music_interactions', array['created_at']);
select convo.install_keep_server_columns('public.music_listening_history', array['created_at']);
select convo.install_keep_server_columns('public.music_rl_models', array['created_at']);


-- Size bounds ------------------------------------------------------------------------------------------
-- Every text and jsonb column a user can write has a bound fitting what it holds (ids and names
-- of tracks, a Spotify URL, audio-feature and personality JSON, an RL model's Q-table).
alter table public.music_listening_history
  add constraint music_listening_history_track_id_length_check check (char_length(track_id) <= 255),
  add constraint music_listening_history_track_name_length_check check (char_length(track_name) <= 1000),
  add constraint music_listening_history_artists_length_check check (octet_length(artists::text) <= 10000),
  add constraint music_listening_history_album_length_check check (char_length(album) <= 1000),
  add constraint music_listening_history_audio_features_length_check check (octet_length(audio_features::text) <= 16384),
  add constraint music_listening_history_genres_length_check check (octet_length(genres::text) <= 4096),
  add constraint music_listening_history_external_url_length_check check (char_length(external_url) <= 2048);

alter table public.music_recommendations
  add constraint music_recommendations_track_id_length_check check (char_length(track_id) <= 255),
  add constraint music_recommendations_track_name_length_check check (char_length(track_name) <= 1000),
  add constraint music_recommendations_artists_length_check check (octet_length(artists::text) <= 10000),
  add constraint music_recommendations_external_url_length_check check (char_length(external_url) <= 2048),
  add constraint music_recommendations_genz_genre_length_check check (char_length(genz_genre) <= 200);

alter table public.music_interactions
  add constraint music_interactions_track_id_length_check check (char_length(track_id) <= 255),
  add constraint music_interactions_personality_state_length_check check (octet_length(personality_state::text) <= 16384),
  add constraint music_interactions_audio_features_length_check check (octet_length(audio_features::text) <= 16384);

-- Written only by the fold, from an interaction's audio_features: a genre label is short.
alter table public.music_genre_preferences
  add constraint music_genre_preferences_genre_length_check check (char_length(genre) <= 200);

alter table public.music_rl_models
  add constraint music_rl_models_q_table_length_check check (octet_length(q_table::text) <= 1048576),
  add constraint music_rl_models_hyperparameters_length_check check (octet_length(hyperparameters::text) <= 16384);
