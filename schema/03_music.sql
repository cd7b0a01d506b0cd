-- Music (domain 03): Bondhu AI's music recommendation flow (seed 001, "Music Recommendation
-- Flow" and tables 4-6): the Spotify listening-history cache, recommendations, feedback
-- interactions, learned genre preferences, RL model snapshots, and the RPCs get_genre_preferences
-- and recompute_genre_preferences. The schema as it stands; the steps to it are the migrations of
-- domain number 03.
--
-- Genre preferences learn (Rust: src/music.rs): every statement inserting interactions is folded
-- into music_genre_preferences by an AFTER INSERT … FOR EACH STATEMENT trigger; the same
-- statistics can be rebuilt from raw history with recompute_genre_preferences(), and the two agree
-- exactly. The formula (documented in src/music.rs and the README):
--   average_reward   = reward_sum / interaction_count
--   preference_score = clamp((weighted_reward_sum / recency_weight_sum + 1) / 2, 0, 1), 6 decimals,
--   where an interaction in 30-day window k (from 2020-01-01 UTC) weighs 2^k: a 30-day half-life.
-- Genres are normalised (trim, lower case, single spaces); an interaction without a genre is
-- stored and counts toward no genre.
--
-- Access model, as in the chat domain: RLS on, policies `to authenticated` only, each comparing
-- the row's owner with `(select auth.uid())` (evaluated once per statement, as an initPlan), one
-- policy per action. anon keeps Supabase's default table grants but matches no policy, so it sees
-- and changes nothing. service_role has BYPASSRLS: it needs no policy. Every user table references
-- public.profiles (so PostgREST can embed `profiles(...)`) and cascades when the user is deleted.
--
-- Size bounds: every text and jsonb column a user can write has a bound fitting what it holds
-- (ids and names of tracks, a Spotify URL, audio-feature and personality JSON, an RL model's
-- Q-table).


-- music_listening_history -------------------------------------------------------------------------
-- A cache of the user's Spotify plays ("INSERT/UPDATE music_listening_history (cache)" in the
-- seed's flow). A play is (user, track, played_at): re-syncing the same Spotify page is an
-- idempotent upsert, `on_conflict=user_id,track_id,played_at` + `Prefer: resolution=merge-duplicates`.
-- The unique index leads with user_id, so it also covers the foreign key.
--   select / insert / update / delete: a user, their own plays only (update: the upsert's merge)

create table public.music_listening_history (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  track_id text not null,
  track_name text not null,
  artists text[] not null default '{}',
  album text,
  played_at timestamptz not null,
  duration_ms integer,
  audio_features jsonb,
  genres text[] not null default '{}',
  external_url text,
  created_at timestamptz not null default now(),
  constraint music_listening_history_pkey primary key (id),
  constraint music_listening_history_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade,
  constraint music_listening_history_user_id_track_id_played_at_key unique (user_id, track_id, played_at),
  constraint music_listening_history_duration_ms_check check (duration_ms >= 0),
  constraint music_listening_history_track_id_length_check check (char_length(track_id) <= 255),
  constraint music_listening_history_track_name_length_check check (char_length(track_name) <= 1000),
  constraint music_listening_history_artists_length_check check (octet_length(artists::text) <= 10000),
  constraint music_listening_history_album_length_check check (char_length(album) <= 1000),
  constraint music_listening_history_audio_features_length_check check (octet_length(audio_features::text) <= 16384),
  constraint music_listening_history_genres_length_check check (octet_length(genres::text) <= 4096),
  constraint music_listening_history_external_url_length_check check (char_length(external_url) <= 2048)
);

comment on table public.music_listening_history is
  'Cache of a user''s Spotify plays, one row per (user_id, track_id, played_at). Re-sync with an upsert: on_conflict=user_id,track_id,played_at and Prefer: resolution=merge-duplicates.';
comment on column public.music_listening_history.played_at is 'When the track was played (Spotify''s played_at).';
comment on column public.music_listening_history.audio_features is 'Spotify audio features of the track (energy, valence, tempo, ...), as returned by the API.';
comment on column public.music_listening_history.genres is 'Genres of the track (from its artists); empty when unknown.';

-- Recent plays of a user, newest first.
create index idx_music_history_user_played on public.music_listening_history (user_id, played_at desc);

alter table public.music_listening_history enable row level security;

-- A user reads their own listening history.
create policy "Users can view their own listening history" on public.music_listening_history
  for select to authenticated
  using (user_id = (select auth.uid()));
-- A user caches plays for themselves only.
create policy "Users can create their own listening history" on public.music_listening_history
  for insert to authenticated
  with check (user_id = (select auth.uid()));
-- A user updates their own cached plays (the re-sync upsert) and cannot give them away.
create policy "Users can update their own listening history" on public.music_listening_history
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
-- A user deletes their own cached plays.
create policy "Users can delete their own listening history" on public.music_listening_history
  for delete to authenticated
  using (user_id = (select auth.uid()));


-- music_recommendations ------------------------------------------------------------------------------
-- The seed's table. Its `UNIQUE(user_id, track_id, recommended_at::date)` is not valid SQL, and an
-- expression index could not serve PostgREST's on_conflict anyway. So the UTC day of
-- recommended_at is stored in a generated column, recommended_on, and the plain unique constraint
-- (user_id, track_id, recommended_on) makes "at most one recommendation of a track per user per
-- day" an upsert: on_conflict=user_id,track_id,recommended_on + resolution=merge-duplicates.
-- The day is the UTC day whatever the session's TimeZone (`at time zone 'UTC'` is immutable,
-- `recommended_at::date` is not: it depends on TimeZone).
--   select / insert / update / delete: a user, their own recommendations only

create table public.music_recommendations (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  track_id text not null,
  track_name text not null,
  artists text[] not null,
  external_url text not null,
  genz_genre text not null,
  energy numeric,
  valence numeric,
  tempo numeric,
  acousticness numeric,
  danceability numeric,
  speechiness numeric,
  instrumentalness numeric,
  liveness numeric,
  loudness numeric,
  rl_score numeric not null default 0,
  personality_match_score numeric not null default 0,
  recommended_at timestamptz not null default now(),
  recommended_on date generated always as ((recommended_at at time zone 'UTC')::date) stored,
  constraint music_recommendations_pkey primary key (id),
  constraint music_recommendations_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade,
  constraint music_recommendations_user_id_track_id_recommended_on_key unique (user_id, track_id, recommended_on),
  constraint music_recommendations_track_id_length_check check (char_length(track_id) <= 255),
  constraint music_recommendations_track_name_length_check check (char_length(track_name) <= 1000),
  constraint music_recommendations_artists_length_check check (octet_length(artists::text) <= 10000),
  constraint music_recommendations_external_url_length_check check (char_length(external_url) <= 2048),
  constraint music_recommendations_genz_genre_length_check check (char_length(genz_genre) <= 200)
);

comment on table public.music_recommendations is
  'Tracks recommended to a user by the RL system, at most one row per (user_id, track_id, UTC day). Upsert with on_conflict=user_id,track_id,recommended_on and Prefer: resolution=merge-duplicates.';
comment on column public.music_recommendations.genz_genre is 'The app''s genre label, e.g. "Lo-fi Chill", "Pop Anthems".';
comment on column public.music_recommendations.recommended_on is
  'Generated: the UTC day of recommended_at. Part of the unique key (user_id, track_id, recommended_on).';
comment on column public.music_recommendations.rl_score is 'The RL system''s score of the track for this user.';

-- The seed's indexes (both lead with user_id and so cover the foreign key, as does the unique one).
create index idx_music_rec_user_genre on public.music_recommendations (user_id, genz_genre);
create index idx_music_rec_score on public.music_recommendations (user_id, rl_score desc);

alter table public.music_recommendations enable row level security;

-- A user reads their own recommendations.
create policy "Users can view their own music recommendations" on public.music_recommendations
  for select to authenticated
  using (user_id = (select auth.uid()));
-- A user stores recommendations for themselves only.
create policy "Users can create their own music recommendations" on public.music_recommendations
  for insert to authenticated
  with check (user_id = (select auth.uid()));
-- A user updates their own recommendations (the same-day upsert) and cannot give them away.
create policy "Users can update their own music recommendations" on public.music_recommendations
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
-- A user deletes their own recommendations.
create policy "Users can delete their own music recommendations" on public.music_recommendations
  for delete to authenticated
  using (user_id = (select auth.uid()));


-- music_interactions ----------------------------------------------------------------------------------
-- The seed's feedback log (like, dislike, play, skip, save). Each row is folded into
-- music_genre_preferences by the statement-level AFTER INSERT trigger below, and
-- recompute_genre_preferences rebuilds those rows from this table: so the log is append-only for
-- users. An UPDATE or DELETE would make the incrementally folded preferences disagree with the
-- history they must equal; a user who wants to take feedback back records new feedback.
-- (service_role may still correct or delete rows, and then recomputes.)
-- completion_percentage is the seed's generated column, capped at 100 (a replay can report more
-- listening time than the track lasts) and 0 when either duration is unknown or the track has no
-- duration, so it is never null. rl_reward must be finite: numeric accepts NaN and ±Infinity,
-- and one of them would poison a user's running mean reward for good.
--   select: a user reads their own interactions
--   insert: a user records feedback for themselves only
--   update / delete: nobody through the API (append-only; see above)

create table public.music_interactions (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  track_id text not null,
  interaction_type text not null,
  rl_reward numeric not null,
  rl_q_value numeric,
  listen_duration_ms integer,
  track_duration_ms integer,
  completion_percentage numeric generated always as (
    case
      when track_duration_ms > 0 and listen_duration_ms is not null
      then least((listen_duration_ms::numeric / track_duration_ms::numeric) * 100, 100)
      else 0
    end
  ) stored,
  personality_state jsonb,
  audio_features jsonb,
  created_at timestamptz not null default now(),
  constraint music_interactions_pkey primary key (id),
  constraint music_interactions_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade,
  constraint music_interactions_interaction_type_check
    check (interaction_type in ('like', 'dislike', 'play', 'skip', 'save')),
  constraint music_interactions_rl_reward_finite_check
    check (rl_reward > '-Infinity'::numeric and rl_reward < 'Infinity'::numeric),
  constraint music_interactions_listen_duration_ms_check check (listen_duration_ms >= 0),
  constraint music_interactions_track_duration_ms_check check (track_duration_ms >= 0),
  constraint music_interactions_track_id_length_check check (char_length(track_id) <= 255),
  constraint music_interactions_personality_state_length_check check (octet_length(personality_state::text) <= 16384),
  constraint music_interactions_audio_features_length_check check (octet_length(audio_features::text) <= 16384)
);

comment on table public.music_interactions is
  'Feedback on tracks (like, dislike, play, skip, save) with the RL reward; the history music_genre_preferences is learned from. Append-only for users: they insert and read their own.';
comment on column public.music_interactions.rl_reward is 'The RL reward of this interaction; finite (no NaN or Infinity).';
comment on column public.music_interactions.completion_percentage is
  'Generated: listen_duration_ms / track_duration_ms * 100, capped at 100; 0 when either duration is null or track_duration_ms is 0.';
comment on column public.music_interactions.personality_state is 'The user''s personality scores at the time of the interaction.';
comment on column public.music_interactions.audio_features is 'The track''s audio features; its "genre" key is the genre the interaction counts toward in music_genre_preferences.';

-- The seed's indexes (idx_music_int_user covers the foreign key).
create index idx_music_int_user on public.music_interactions (user_id, created_at desc);
create index idx_music_int_type on public.music_interactions (user_id, interaction_type);
create index idx_music_int_track on public.music_interactions (track_id);

alter table public.music_interactions enable row level security;

-- A user reads their own interactions.
create policy "Users can view their own music interactions" on public.music_interactions
  for select to authenticated
  using (user_id = (select auth.uid()));
-- A user records feedback for themselves only.
create policy "Users can create their own music interactions" on public.music_interactions
  for insert to authenticated
  with check (user_id = (select auth.uid()));


-- The fold of music_interactions into music_genre_preferences (runs as its owner: users may only
-- read their preferences)
-- A row-level fold in arrival order would deadlock: two bulk inserts of one user whose genres
-- came in different orders ([pop, rock] and [rock, pop]) would lock the same preference rows in
-- opposite orders (40P01, HTTP 500). So one AFTER INSERT … FOR EACH STATEMENT trigger folds the
-- whole statement at once: it groups
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

create trigger music_interactions_fold_genre_preferences
  after insert on public.music_interactions
  referencing new table as new_interactions
  for each statement execute function convo.fold_genre_preferences();

-- A user's interaction time drives its recency weight (2^k per 30-day window): a client-chosen
-- created_at far in the future would outweigh all real feedback. The server stamps it for users
-- (the service role may still import history with its real times).
select convo.install_keep_server_columns('public.music_interactions', array['created_at']);
select convo.install_fill_column_defaults('public.music_interactions');


-- music_genre_preferences -------------------------------------------------------------------------------
-- The seed's learned preferences, one row per (user_id, genre): written by the AFTER INSERT
-- trigger on music_interactions and by service_role, never by users directly.
-- No updated_at trigger here either: the writer sets updated_at itself.
-- The unique constraint leads with user_id and covers the foreign key.
--   select: a user reads their own preferences
--   insert / update / delete: nobody through the API (read-only to users)

create table public.music_genre_preferences (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  genre text not null,
  preference_score numeric not null default 0.5,
  interaction_count integer not null default 0,
  average_reward numeric not null default 0,
  last_interaction timestamptz,
  updated_at timestamptz not null default now(),
  -- The exact sums the derived columns come from (numeric addition is exact, so the incremental
  -- and the recomputed rows are equal, whatever the order interactions arrive in).
  reward_sum numeric not null default 0,
  weighted_reward_sum numeric not null default 0,
  recency_weight_sum numeric not null default 0 check (recency_weight_sum >= 0),
  constraint music_genre_preferences_pkey primary key (id),
  constraint music_genre_preferences_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade,
  constraint music_genre_preferences_user_id_genre_key unique (user_id, genre),
  constraint music_genre_preferences_preference_score_check check (preference_score between 0 and 1),
  constraint music_genre_preferences_interaction_count_check check (interaction_count >= 0),
  constraint music_genre_preferences_genre_length_check check (char_length(genre) <= 200)
);

comment on table public.music_genre_preferences is
  'A user''s learned preference per genre, maintained from music_interactions. Read-only to users; get_genre_preferences() returns the top genres.';
comment on column public.music_genre_preferences.interaction_count is 'Number of interactions counted toward this genre.';
comment on column public.music_genre_preferences.average_reward is 'Mean rl_reward of those interactions.';
comment on column public.music_genre_preferences.last_interaction is 'created_at of the latest interaction counted.';
comment on column public.music_genre_preferences.reward_sum is 'Σ rl_reward of the genre''s interactions (average_reward = reward_sum / interaction_count).';
comment on column public.music_genre_preferences.weighted_reward_sum is 'Σ 2^k · rl_reward, k = the interaction''s 30-day window since 2020-01-01 UTC.';
comment on column public.music_genre_preferences.recency_weight_sum is 'Σ 2^k (see weighted_reward_sum); preference_score = clamp((weighted_reward_sum / recency_weight_sum + 1) / 2, 0, 1).';
comment on column public.music_genre_preferences.preference_score is
  'Recency-weighted mean reward mapped from [-1, 1] into [0, 1] (0.5 = indifferent); maintained by the trigger on music_interactions.';

alter table public.music_genre_preferences enable row level security;

-- A user reads their own genre preferences (and cannot write them: no other policy).
create policy "Users can view their own genre preferences" on public.music_genre_preferences
  for select to authenticated
  using (user_id = (select auth.uid()));


-- music_rl_models ----------------------------------------------------------------------------------------
-- Snapshots of a user's RL model ("INSERT music_rl_models (model snapshot)" in the seed's flow):
-- version 1, 2, ... per user, the Q-table and the hyperparameters it was trained with. The newest
-- is `order=version.desc&limit=1`: a backward scan of the unique index (user_id, version), which
-- also covers the foreign key, so no second index is needed. Two writers that pick the same next
-- version get 23505 (HTTP 409) on the second: re-read and retry.
--   select / insert / update / delete: a user, their own snapshots only

create table public.music_rl_models (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  version integer not null,
  q_table jsonb not null,
  hyperparameters jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  constraint music_rl_models_pkey primary key (id),
  constraint music_rl_models_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade,
  constraint music_rl_models_user_id_version_key unique (user_id, version),
  constraint music_rl_models_version_check check (version > 0),
  constraint music_rl_models_q_table_length_check check (octet_length(q_table::text) <= 1048576),
  constraint music_rl_models_hyperparameters_length_check check (octet_length(hyperparameters::text) <= 16384)
);

comment on table public.music_rl_models is
  'Snapshots of a user''s music RL model, version 1, 2, ... per user (unique). The newest: order=version.desc&limit=1.';
comment on column public.music_rl_models.q_table is 'The Q-table (state -> action values) as JSON.';
comment on column public.music_rl_models.hyperparameters is 'Learning rate, discount, exploration ... the snapshot was trained with.';

alter table public.music_rl_models enable row level security;

-- A user reads their own model snapshots.
create policy "Users can view their own music models" on public.music_rl_models
  for select to authenticated
  using (user_id = (select auth.uid()));
-- A user stores snapshots for themselves only.
create policy "Users can create their own music models" on public.music_rl_models
  for insert to authenticated
  with check (user_id = (select auth.uid()));
-- A user updates their own snapshots and cannot give them away.
create policy "Users can update their own music models" on public.music_rl_models
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
-- A user deletes their own snapshots (e.g. prunes old versions).
create policy "Users can delete their own music models" on public.music_rl_models
  for delete to authenticated
  using (user_id = (select auth.uid()));


-- Server columns and explicit nulls of the other tables ----------------------------------------------
-- Creation times are the server's. (music_recommendations.recommended_at is data, not
-- bookkeeping: the recommender says when it recommended, and the per-day upsert key is derived
-- from it.) music_genre_preferences is written by the fold and the service role only.
select convo.install_keep_server_columns('public.music_listening_history', array['created_at']);
select convo.install_keep_server_columns('public.music_rl_models', array['created_at']);
select convo.install_fill_column_defaults(t::regclass)
from unnest(array['public.music_listening_history', 'public.music_recommendations',
                  'public.music_genre_preferences', 'public.music_rl_models']) t;


-- get_genre_preferences ------------------------------------------------------------------------------------

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


-- recompute_genre_preferences -----------------------------------------------------------------------

-- recompute_genre_preferences(p_user_id): the acting user's rows rebuilt (convo.acting_user: a user
-- their own, the service role the user it names). Returns the number of genre rows.
grant execute on function convo.recompute_genre_preferences(uuid) to authenticated, service_role;

create function public.recompute_genre_preferences(p_user_id uuid default null)
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

revoke execute on function public.recompute_genre_preferences(uuid) from public, anon;
grant execute on function public.recompute_genre_preferences(uuid) to authenticated, service_role;
