-- Music (issue 4, schema part): the schema of migration 20261122030000_music — tables, columns,
-- constraints (incl. the UTC-day uniqueness of recommendations), generated columns, RLS for every
-- role and action on all five tables, and get_genre_preferences. The genre-preference trigger and
-- recompute_genre_preferences are a later migration with their own tests. Here preference rows are
-- inserted as postgres, for users who never record an interaction, so that this file holds
-- whether or not that trigger exists.
begin;
select plan(215);


-- Fixtures (as postgres): owner and other have rows in every table but genre preferences;
-- gp_owner and gp_other have genre preferences only (no interaction, so no trigger touches them).
select tests.create_supabase_user('owner', 'mia@music.test', metadata => jsonb_build_object('full_name', 'Mia Owner'));
select tests.create_supabase_user('other', 'max@music.test', metadata => jsonb_build_object('full_name', 'Max Other'));
select tests.create_supabase_user('gp_owner', 'gina@music.test', metadata => jsonb_build_object('full_name', 'Gina Genres'));
select tests.create_supabase_user('gp_other', 'gus@music.test', metadata => jsonb_build_object('full_name', 'Gus Genres'));
select tests.create_supabase_user('newbie', 'nina@music.test', metadata => jsonb_build_object('full_name', 'Nina Newbie'));

insert into public.music_listening_history (id, user_id, track_id, track_name, artists, album, played_at, duration_ms, audio_features, genres) values
  ('a1000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'trk-rain', 'Rain on Glass', '{"Lo Beats"}', 'Nights',
   '2026-11-20 10:00:00+00', 180000, '{"energy": 0.3, "valence": 0.4}', '{"lo-fi"}'),
  ('a1000000-0000-4000-8000-000000000002', tests.get_supabase_uid('owner'), 'trk-rain', 'Rain on Glass', '{"Lo Beats"}', 'Nights',
   '2026-11-21 10:00:00+00', 180000, null, '{"lo-fi"}'),
  ('a1000000-0000-4000-8000-000000000003', tests.get_supabase_uid('other'), 'trk-anthem', 'Big Anthem', '{"Pop Star", "Feat"}', null,
   '2026-11-20 11:00:00+00', 200000, null, '{}');

insert into public.music_recommendations (id, user_id, track_id, track_name, artists, external_url, genz_genre, energy, rl_score, recommended_at) values
  ('b1000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'trk-rain', 'Rain on Glass', '{"Lo Beats"}',
   'https://open.spotify.com/track/rain', 'Lo-fi Chill', 0.3, 0.8, '2026-11-20 12:00:00+00'),
  ('b1000000-0000-4000-8000-000000000002', tests.get_supabase_uid('other'), 'trk-anthem', 'Big Anthem', '{"Pop Star"}',
   'https://open.spotify.com/track/anthem', 'Pop Anthems', 0.9, 0.6, '2026-11-20 12:00:00+00');

insert into public.music_interactions (id, user_id, track_id, interaction_type, rl_reward, listen_duration_ms, track_duration_ms, audio_features) values
  ('c1000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'trk-rain', 'like', 1, 90000, 180000, '{"genre": "Lo-fi Chill"}'),
  ('c1000000-0000-4000-8000-000000000002', tests.get_supabase_uid('owner'), 'trk-other', 'skip', -0.5, 5000, 200000, '{"genre": "Pop Anthems"}'),
  ('c1000000-0000-4000-8000-000000000003', tests.get_supabase_uid('other'), 'trk-anthem', 'play', 0.2, 200000, 200000, null);

insert into public.music_genre_preferences (id, user_id, genre, preference_score, interaction_count, average_reward, last_interaction) values
  ('d1000000-0000-4000-8000-000000000001', tests.get_supabase_uid('gp_owner'), 'lo-fi chill', 0.9, 10, 0.8, now()),
  ('d1000000-0000-4000-8000-000000000002', tests.get_supabase_uid('gp_owner'), 'pop anthems', 0.7, 3, 0.2, now()),
  ('d1000000-0000-4000-8000-000000000003', tests.get_supabase_uid('gp_owner'), 'k-pop', 0.7, 8, 0.3, now()),
  ('d1000000-0000-4000-8000-000000000004', tests.get_supabase_uid('gp_owner'), 'metal', 0.1, 2, -0.9, now()),
  ('d1000000-0000-4000-8000-000000000005', tests.get_supabase_uid('gp_owner'), 'jazz', 0.7, 8, 0.4, now()),
  ('d1000000-0000-4000-8000-000000000006', tests.get_supabase_uid('gp_other'), 'opera', 1, 1, 1, now());

insert into public.music_rl_models (id, user_id, version, q_table, hyperparameters, created_at) values
  ('e1000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 1, '{"calm": {"lofi": 0.1}}', '{"alpha": 0.1}', now() - interval '1 day'),
  ('e1000000-0000-4000-8000-000000000002', tests.get_supabase_uid('owner'), 2, '{"calm": {"lofi": 0.4}}', '{"alpha": 0.1}', now()),
  ('e1000000-0000-4000-8000-000000000003', tests.get_supabase_uid('other'), 1, '{}', '{}', now());


-- Schema -------------------------------------------------------------------------------------------
select has_table('public', t, 'table public.' || t || ' exists')
from unnest(array['music_listening_history', 'music_recommendations', 'music_interactions',
                  'music_genre_preferences', 'music_rl_models']) t;

select columns_are('public', 'music_listening_history', array['id', 'user_id', 'track_id', 'track_name', 'artists',
  'album', 'played_at', 'duration_ms', 'audio_features', 'genres', 'external_url', 'created_at'],
  'music_listening_history has exactly its columns');
select columns_are('public', 'music_recommendations', array['id', 'user_id', 'track_id', 'track_name', 'artists',
  'external_url', 'genz_genre', 'energy', 'valence', 'tempo', 'acousticness', 'danceability', 'speechiness',
  'instrumentalness', 'liveness', 'loudness', 'rl_score', 'personality_match_score', 'recommended_at', 'recommended_on'],
  'music_recommendations has the seed''s columns plus recommended_on');
select columns_are('public', 'music_interactions', array['id', 'user_id', 'track_id', 'interaction_type', 'rl_reward',
  'rl_q_value', 'listen_duration_ms', 'track_duration_ms', 'completion_percentage', 'personality_state',
  'audio_features', 'created_at'], 'music_interactions has the seed''s columns');
select columns_are('public', 'music_genre_preferences', array['id', 'user_id', 'genre', 'preference_score',
  'interaction_count', 'average_reward', 'last_interaction', 'updated_at',
  'reward_sum', 'weighted_reward_sum', 'recency_weight_sum'],
  'music_genre_preferences has the seed''s columns, plus the exact sums of migrations/…_music_rpc.sql');
select columns_are('public', 'music_rl_models', array['id', 'user_id', 'version', 'q_table', 'hyperparameters', 'created_at'],
  'music_rl_models has exactly its columns');

select col_is_pk('public', t, 'id', t || ': primary key id')
from unnest(array['music_listening_history', 'music_recommendations', 'music_interactions',
                  'music_genre_preferences', 'music_rl_models']) t;

select results_eq(
  $$ select conrelid::regclass::text, conname::text collate "default", confrelid::regclass::text, confdeltype::text
     from pg_constraint
     where contype = 'f' and conrelid::regclass::text like 'music\_%'
     order by 1 $$,
  $$ values ('music_genre_preferences', 'music_genre_preferences_user_id_fkey', 'profiles', 'c'),
            ('music_interactions', 'music_interactions_user_id_fkey', 'profiles', 'c'),
            ('music_listening_history', 'music_listening_history_user_id_fkey', 'profiles', 'c'),
            ('music_recommendations', 'music_recommendations_user_id_fkey', 'profiles', 'c'),
            ('music_rl_models', 'music_rl_models_user_id_fkey', 'profiles', 'c') $$,
  'every music table references profiles through a named, cascading user_id foreign key');
select results_eq(
  $$ select conname::text collate "default",
            array(select a.attname::text collate "default" from unnest(c.conkey) with ordinality k(n, o)
                  join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.o)
     from pg_constraint c
     where c.contype = 'u' and c.conrelid::regclass::text like 'music\_%'
     order by 1 $$,
  $$ values ('music_genre_preferences_user_id_genre_key', array['user_id', 'genre']),
            ('music_listening_history_user_id_track_id_played_at_key', array['user_id', 'track_id', 'played_at']),
            ('music_recommendations_user_id_track_id_recommended_on_key', array['user_id', 'track_id', 'recommended_on']),
            ('music_rl_models_user_id_version_key', array['user_id', 'version']) $$,
  'the named plain unique constraints (what PostgREST''s on_conflict needs)');
select is_empty(
  $$ select i.indexrelid::regclass from pg_index i
     where i.indrelid::regclass::text like 'music\_%' and i.indisunique
       and (i.indexprs is not null or i.indpred is not null) $$,
  'no expression or partial unique index (on_conflict could not use it)');
select results_eq(
  $$ select conname::text collate "default" from pg_constraint
     where contype = 'c' and conrelid::regclass::text like 'music\_%'
       and conname not like '%\_length\_check' order by 1 $$,
  array['music_genre_preferences_interaction_count_check', 'music_genre_preferences_preference_score_check',
        'music_genre_preferences_recency_weight_sum_check',
        'music_interactions_interaction_type_check', 'music_interactions_listen_duration_ms_check',
        'music_interactions_rl_reward_finite_check', 'music_interactions_track_duration_ms_check',
        'music_listening_history_duration_ms_check', 'music_rl_models_version_check'],
  'the named check constraints');

select col_type_is('public', 'music_recommendations', 'recommended_on', 'date', 'recommended_on is a date');
select is((select attgenerated from pg_attribute where attrelid = 'public.music_recommendations'::regclass
           and attname = 'recommended_on'), 's'::"char", 'recommended_on is a stored generated column');
select col_type_is('public', 'music_interactions', 'completion_percentage', 'numeric', 'completion_percentage is numeric');
select is((select attgenerated from pg_attribute where attrelid = 'public.music_interactions'::regclass
           and attname = 'completion_percentage'), 's'::"char", 'completion_percentage is a stored generated column');
select col_type_is('public', 'music_listening_history', 'artists', 'text[]', 'listening history: artists is text[]');
select col_type_is('public', 'music_listening_history', 'genres', 'text[]', 'listening history: genres is text[]');
select col_type_is('public', 'music_rl_models', 'q_table', 'jsonb', 'q_table is jsonb');

select results_eq(
  $$ select c.relname::text collate "default", a.attname::text collate "default"
     from pg_attribute a join pg_class c on c.oid = a.attrelid
     where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and c.relname like 'music\_%'
       and a.attnum > 0 and not a.attisdropped and a.attnotnull
       and a.attname not in ('id', 'user_id')
     order by 1, 2 $$,
  $$ values ('music_genre_preferences', 'average_reward'), ('music_genre_preferences', 'genre'),
            ('music_genre_preferences', 'interaction_count'), ('music_genre_preferences', 'preference_score'),
            ('music_genre_preferences', 'recency_weight_sum'), ('music_genre_preferences', 'reward_sum'),
            ('music_genre_preferences', 'updated_at'), ('music_genre_preferences', 'weighted_reward_sum'),
            ('music_interactions', 'created_at'), ('music_interactions', 'interaction_type'),
            ('music_interactions', 'rl_reward'), ('music_interactions', 'track_id'),
            ('music_listening_history', 'artists'), ('music_listening_history', 'created_at'),
            ('music_listening_history', 'genres'), ('music_listening_history', 'played_at'),
            ('music_listening_history', 'track_id'), ('music_listening_history', 'track_name'),
            ('music_recommendations', 'artists'), ('music_recommendations', 'external_url'),
            ('music_recommendations', 'genz_genre'), ('music_recommendations', 'personality_match_score'),
            ('music_recommendations', 'recommended_at'), ('music_recommendations', 'rl_score'),
            ('music_recommendations', 'track_id'), ('music_recommendations', 'track_name'),
            ('music_rl_models', 'created_at'), ('music_rl_models', 'hyperparameters'),
            ('music_rl_models', 'q_table'), ('music_rl_models', 'version') $$,
  'NOT NULL columns (besides id and user_id, which are NOT NULL everywhere)');
select is_empty(
  $$ select c.relname, a.attname from pg_attribute a join pg_class c on c.oid = a.attrelid
     where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and c.relname like 'music\_%'
       and a.attname in ('id', 'user_id') and not a.attnotnull $$,
  'id and user_id are NOT NULL in every music table');

select col_default_is('public', 'music_genre_preferences', 'preference_score', '0.5', 'preference_score defaults to 0.5');
select col_default_is('public', 'music_genre_preferences', 'interaction_count', '0', 'interaction_count defaults to 0');
select col_default_is('public', 'music_genre_preferences', 'average_reward', '0', 'average_reward defaults to 0');
select col_default_is('public', 'music_genre_preferences', 'updated_at', 'now()', 'updated_at defaults to now()');
select col_default_is('public', 'music_interactions', 'created_at', 'now()', 'interactions: created_at defaults to now()');
select col_default_is('public', 'music_recommendations', 'recommended_at', 'now()', 'recommended_at defaults to now()');
select col_default_is('public', 'music_recommendations', 'rl_score', '0', 'rl_score defaults to 0');
select col_default_is('public', 'music_rl_models', 'hyperparameters', '{}'::jsonb, 'hyperparameters defaults to {}');

select indexes_are('public', 'music_listening_history', array['music_listening_history_pkey',
  'music_listening_history_user_id_track_id_played_at_key', 'idx_music_history_user_played'],
  'music_listening_history: primary key, the re-sync key, recent plays');
select indexes_are('public', 'music_recommendations', array['music_recommendations_pkey',
  'music_recommendations_user_id_track_id_recommended_on_key', 'idx_music_rec_user_genre', 'idx_music_rec_score'],
  'music_recommendations: the seed''s indexes plus the daily unique key');
select indexes_are('public', 'music_interactions', array['music_interactions_pkey', 'idx_music_int_user',
  'idx_music_int_type', 'idx_music_int_track'], 'music_interactions: the seed''s three indexes');
select indexes_are('public', 'music_genre_preferences', array['music_genre_preferences_pkey',
  'music_genre_preferences_user_id_genre_key'], 'music_genre_preferences: primary key and (user_id, genre)');
select indexes_are('public', 'music_rl_models', array['music_rl_models_pkey', 'music_rl_models_user_id_version_key'],
  'music_rl_models: primary key and (user_id, version)');

-- The newest model snapshot is a backward scan of the unique index: no second index needed.
-- (On a table of a few rows the planner may prefer a sequential scan and a sort, e.g. once
-- autovacuum has counted it: what is checked is that the index serves the query.)
set local enable_seqscan = off;
select ok(tests.plan_of(format($$ select * from public.music_rl_models where user_id = %L
                                  order by version desc limit 1 $$, tests.get_supabase_uid('owner')))
          like '%"Scan Direction": "Backward"%"Index Name": "music_rl_models_user_id_version_key"%',
          'EXPLAIN: order by version desc limit 1 scans music_rl_models_user_id_version_key backward');
reset enable_seqscan;


-- RLS and policies ------------------------------------------------------------------------------------
select is(array_agg(c.relname::text order by c.relname) filter (where not c.relrowsecurity), null,
          'RLS is enabled on every music table')
from pg_class c
where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and c.relname like 'music\_%';
select policies_are('public', t, array['Users can view their own ' || n, 'Users can create their own ' || n,
                                        'Users can update their own ' || n, 'Users can delete their own ' || n],
                    t || ': one policy per action')
from (values ('music_listening_history', 'listening history'), ('music_recommendations', 'music recommendations'),
             ('music_rl_models', 'music models')) v(t, n);
select policies_are('public', 'music_interactions',
  array['Users can view their own music interactions', 'Users can create their own music interactions'],
  'music_interactions: select + insert only (an append-only log)');
select policies_are('public', 'music_genre_preferences', array['Users can view their own genre preferences'],
  'music_genre_preferences: select only (read-only to users)');
select is_empty($$ select tablename, cmd from pg_policies where schemaname = 'public' and tablename like 'music\_%'
                   and (roles <> '{authenticated}' or permissive <> 'PERMISSIVE') $$,
  'every music policy is a permissive policy to authenticated only');
select results_eq(
  $$ select tablename::text collate "default", cmd::text collate "default" from pg_policies
     where schemaname = 'public' and tablename like 'music\_%' order by 1, 2 $$,
  $$ values ('music_genre_preferences', 'SELECT'),
            ('music_interactions', 'INSERT'), ('music_interactions', 'SELECT'),
            ('music_listening_history', 'DELETE'), ('music_listening_history', 'INSERT'),
            ('music_listening_history', 'SELECT'), ('music_listening_history', 'UPDATE'),
            ('music_recommendations', 'DELETE'), ('music_recommendations', 'INSERT'),
            ('music_recommendations', 'SELECT'), ('music_recommendations', 'UPDATE'),
            ('music_rl_models', 'DELETE'), ('music_rl_models', 'INSERT'),
            ('music_rl_models', 'SELECT'), ('music_rl_models', 'UPDATE') $$,
  'the policies'' actions, one each (no FOR ALL)');


-- CHECK, NOT NULL and UNIQUE constraints --------------------------------------------------------------
select throws_ok($$ insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward)
                    values (tests.get_supabase_uid('owner'), 't', 'love', 1) $$, '23514', null,
  'interaction_type other than like/dislike/play/skip/save is refused');
select lives_ok($$ insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward)
                   select tests.get_supabase_uid('owner'), 'trk-all', t, 0 from unnest(array['like', 'dislike', 'play', 'skip', 'save']) t $$,
  'like, dislike, play, skip and save are accepted');
select throws_ok($$ insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward)
                    values (tests.get_supabase_uid('owner'), 't', 'like', null) $$, '23502', null, 'rl_reward is required');
select throws_ok($$ insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward)
                    values (tests.get_supabase_uid('owner'), 't', 'like', 'NaN') $$, '23514', null, 'rl_reward NaN is refused');
select throws_ok($$ insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward)
                    values (tests.get_supabase_uid('owner'), 't', 'like', 'Infinity') $$, '23514', null, 'rl_reward Infinity is refused');
select throws_ok($$ insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward)
                    values (tests.get_supabase_uid('owner'), 't', 'like', '-Infinity') $$, '23514', null, 'rl_reward -Infinity is refused');
select lives_ok($$ insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward)
                   values (tests.get_supabase_uid('owner'), 'trk-neg', 'dislike', -1000000.5) $$, 'a large negative finite reward is accepted');
select throws_ok($$ insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward, listen_duration_ms, track_duration_ms)
                    values (tests.get_supabase_uid('owner'), 't', 'play', 0, -1, 1000) $$, '23514', null, 'a negative listen duration is refused');
select throws_ok($$ insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward, listen_duration_ms, track_duration_ms)
                    values (tests.get_supabase_uid('owner'), 't', 'play', 0, 1000, -1) $$, '23514', null, 'a negative track duration is refused');
select throws_ok($$ insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward)
                    values (gen_random_uuid(), 't', 'like', 1) $$, '23503', null, 'an interaction of an unknown user is refused');
select lives_ok($$ insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward, audio_features)
                   values (tests.get_supabase_uid('owner'), 'trk-nogenre', 'play', 0.1, '{"energy": 0.5}') $$,
  'an interaction whose audio_features has no genre is stored');

select throws_ok($$ insert into public.music_genre_preferences (user_id, genre, preference_score) values (tests.get_supabase_uid('gp_owner'), 'x', 1.01) $$,
  '23514', null, 'preference_score above 1 is refused');
select throws_ok($$ insert into public.music_genre_preferences (user_id, genre, preference_score) values (tests.get_supabase_uid('gp_owner'), 'x', -0.01) $$,
  '23514', null, 'preference_score below 0 is refused');
select throws_ok($$ insert into public.music_genre_preferences (user_id, genre, interaction_count) values (tests.get_supabase_uid('gp_owner'), 'x', -1) $$,
  '23514', null, 'a negative interaction_count is refused');
select throws_ok($$ insert into public.music_genre_preferences (user_id, genre) values (tests.get_supabase_uid('gp_owner'), null) $$,
  '23502', null, 'genre is required');
select lives_ok($$ insert into public.music_genre_preferences (user_id, genre, preference_score) values
                   (tests.get_supabase_uid('gp_owner'), 'edge-0', 0), (tests.get_supabase_uid('gp_owner'), 'edge-1', 1) $$,
  'preference_score 0 and 1 are accepted');
select results_eq($$ select preference_score, interaction_count, average_reward, last_interaction, updated_at
                     from public.music_genre_preferences where user_id = tests.get_supabase_uid('gp_owner') and genre = 'edge-0' $$,
  $$ values (0::numeric, 0, 0::numeric, null::timestamptz, now()) $$,
  'a new preference row: count 0, average 0, no last interaction, updated_at now()');
insert into public.music_genre_preferences (user_id, genre) values (tests.get_supabase_uid('gp_owner'), 'neutral');
select is((select preference_score from public.music_genre_preferences where user_id = tests.get_supabase_uid('gp_owner') and genre = 'neutral'),
  0.5::numeric, 'preference_score defaults to 0.5 (neutral)');
select throws_ok($$ insert into public.music_genre_preferences (user_id, genre) values (tests.get_supabase_uid('gp_owner'), 'jazz') $$,
  '23505', null, 'a genre is unique per user');
select lives_ok($$ insert into public.music_genre_preferences (user_id, genre) values (tests.get_supabase_uid('gp_other'), 'jazz') $$,
  '... but another user may have the same genre');
delete from public.music_genre_preferences where genre in ('edge-0', 'edge-1', 'neutral')
  or (user_id = tests.get_supabase_uid('gp_other') and genre = 'jazz');

select throws_ok($$ insert into public.music_rl_models (user_id, version, q_table) values (tests.get_supabase_uid('owner'), 0, '{}') $$,
  '23514', null, 'model version 0 is refused (versions start at 1)');
select throws_ok($$ insert into public.music_rl_models (user_id, version, q_table) values (tests.get_supabase_uid('owner'), 3, null) $$,
  '23502', null, 'q_table is required');
select throws_ok($$ insert into public.music_rl_models (user_id, version, q_table) values (tests.get_supabase_uid('owner'), 2, '{}') $$,
  '23505', null, 'a model version is unique per user');
select lives_ok($$ insert into public.music_rl_models (user_id, version, q_table) values (tests.get_supabase_uid('other'), 2, '{}') $$,
  '... but another user may have the same version');
delete from public.music_rl_models where user_id = tests.get_supabase_uid('other') and version = 2;

select throws_ok($$ insert into public.music_listening_history (user_id, track_id, track_name, played_at)
                    values (tests.get_supabase_uid('owner'), 'trk-rain', 'Rain on Glass', null) $$, '23502', null, 'played_at is required');
select throws_ok($$ insert into public.music_listening_history (user_id, track_id, track_name, played_at, duration_ms)
                    values (tests.get_supabase_uid('owner'), 'trk-x', 'X', now(), -5) $$, '23514', null, 'a negative duration is refused');
select throws_ok($$ insert into public.music_listening_history (user_id, track_id, track_name, played_at)
                    values (tests.get_supabase_uid('owner'), 'trk-rain', 'Rain on Glass', '2026-11-20 10:00:00+00') $$,
  '23505', null, 'a play is unique per (user, track, played_at)');
select lives_ok($$ insert into public.music_listening_history (user_id, track_id, track_name, played_at)
                   values (tests.get_supabase_uid('other'), 'trk-rain', 'Rain on Glass', '2026-11-20 10:00:00+00') $$,
  '... but another user may have played the same track at the same time');
insert into public.music_listening_history (user_id, track_id, track_name, artists, played_at, genres)
  values (tests.get_supabase_uid('owner'), 'trk-rain', 'Rain on Glass (Remastered)', '{"Lo Beats"}', '2026-11-20 10:00:00+00', '{"lo-fi", "chill"}')
  on conflict (user_id, track_id, played_at) do update
    set track_name = excluded.track_name, genres = excluded.genres;
select results_eq($$ select id, track_name, genres from public.music_listening_history
                     where user_id = tests.get_supabase_uid('owner') and played_at = '2026-11-20 10:00:00+00' $$,
  $$ values ('a1000000-0000-4000-8000-000000000001'::uuid, 'Rain on Glass (Remastered)', '{"lo-fi", "chill"}'::text[]) $$,
  're-syncing a play (upsert on user_id, track_id, played_at) updates the one row in place');

-- Recommendations: one per (user, track, UTC day). Tested in a non-UTC session time zone (Dhaka,
-- UTC+6), where the UTC day and the local day differ for part of the day.
set local timezone = 'Asia/Dhaka';
select throws_ok($$ insert into public.music_recommendations (user_id, track_id, track_name, artists, external_url, genz_genre, recommended_at)
                    values (tests.get_supabase_uid('owner'), 'trk-rain', 'Rain on Glass', '{"Lo Beats"}', 'u', 'Lo-fi Chill', '2026-11-20 23:30:00+00') $$,
  '23505', null, 'a track is recommended at most once per user per UTC day (12:00 and 23:30 UTC conflict)');
select lives_ok($$ insert into public.music_recommendations (user_id, track_id, track_name, artists, external_url, genz_genre, recommended_at)
                   values (tests.get_supabase_uid('owner'), 'trk-rain', 'Rain on Glass', '{"Lo Beats"}', 'u', 'Lo-fi Chill', '2026-11-21 00:30:00+00') $$,
  '... 00:30 UTC the next day is another day (though 23:30 and 00:30 UTC are the same day in Dhaka)');
select throws_ok($$ insert into public.music_recommendations (user_id, track_id, track_name, artists, external_url, genz_genre, recommended_at)
                    values (tests.get_supabase_uid('owner'), 'trk-rain', 'Rain on Glass', '{"Lo Beats"}', 'u', 'Lo-fi Chill', '2026-11-21 05:00:00+06') $$,
  '23505', null, '... and 05:00 in Dhaka (23:00 UTC the day before) is the UTC day of the 12:00 UTC one: conflict');
select lives_ok($$ insert into public.music_recommendations (user_id, track_id, track_name, artists, external_url, genz_genre, recommended_at)
                   values (tests.get_supabase_uid('owner'), 'trk-other', 'Other', '{"A"}', 'u', 'Pop Anthems', '2026-11-20 12:00:00+00'),
                          (tests.get_supabase_uid('other'), 'trk-rain', 'Rain on Glass', '{"Lo Beats"}', 'u', 'Lo-fi Chill', '2026-11-20 12:00:00+00') $$,
  '... another track the same day, or the same track for another user, is fine');
select results_eq($$ select recommended_at, recommended_on from public.music_recommendations
                     where user_id = tests.get_supabase_uid('owner') and track_id = 'trk-rain' order by recommended_at $$,
  $$ values ('2026-11-20 12:00:00+00'::timestamptz, '2026-11-20'::date), ('2026-11-21 00:30:00+00'::timestamptz, '2026-11-21'::date) $$,
  'recommended_on is the UTC day of recommended_at, whatever the session time zone');
insert into public.music_recommendations (user_id, track_id, track_name, artists, external_url, genz_genre, recommended_at, rl_score)
  values (tests.get_supabase_uid('owner'), 'trk-rain', 'Rain on Glass', '{"Lo Beats"}', 'https://open.spotify.com/track/rain', 'Lo-fi Chill',
          '2026-11-20 18:00:00+00', 0.95)
  on conflict (user_id, track_id, recommended_on) do update set rl_score = excluded.rl_score, recommended_at = excluded.recommended_at;
select results_eq($$ select id, rl_score, recommended_at from public.music_recommendations
                     where user_id = tests.get_supabase_uid('owner') and recommended_on = '2026-11-20' and track_id = 'trk-rain' $$,
  $$ values ('b1000000-0000-4000-8000-000000000001'::uuid, 0.95::numeric, '2026-11-20 18:00:00+00'::timestamptz) $$,
  'the same-day upsert (on_conflict user_id, track_id, recommended_on) updates the one row in place');
select results_eq($$ select recommended_on from public.music_recommendations
                     where user_id = tests.get_supabase_uid('owner') and recommended_at::date <> recommended_on $$,
  array['2026-11-20'::date],
  '(18:00 UTC is the next local day in Dhaka: recommended_at::date would have been the wrong key)');
update public.music_recommendations set recommended_at = '2026-11-25 09:00:00+00' where id = 'b1000000-0000-4000-8000-000000000001';
select is((select recommended_on from public.music_recommendations where id = 'b1000000-0000-4000-8000-000000000001'),
  '2026-11-25'::date, 'changing recommended_at recomputes recommended_on');
update public.music_recommendations set recommended_at = '2026-11-20 12:00:00+00', rl_score = 0.8
  where id = 'b1000000-0000-4000-8000-000000000001';
select throws_ok($$ update public.music_recommendations set recommended_on = '2026-01-01' where id = 'b1000000-0000-4000-8000-000000000001' $$,
  '428C9', null, 'recommended_on cannot be written');
insert into public.music_recommendations (user_id, track_id, track_name, artists, external_url, genz_genre)
  values (tests.get_supabase_uid('owner'), 'trk-now', 'Now', '{"A"}', 'u', 'Pop Anthems');
select is((select recommended_on from public.music_recommendations where user_id = tests.get_supabase_uid('owner') and track_id = 'trk-now'),
  (now() at time zone 'UTC')::date, 'recommended_at defaults to now(): recommended_on is today in UTC');
reset timezone;
delete from public.music_recommendations where track_id in ('trk-other', 'trk-now') or recommended_on = '2026-11-21'
  or (user_id = tests.get_supabase_uid('other') and track_id = 'trk-rain');


-- completion_percentage ---------------------------------------------------------------------------------
create temp table completion_cases (listen integer, track integer, expected numeric);
insert into completion_cases values
  (90000, 180000, 50), (180000, 180000, 100), (360000, 180000, 100), (1, 3, 100::numeric / 3),
  (0, 180000, 0), (5000, 0, 0), (5000, null, 0), (null, 180000, 0), (null, null, 0);
insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward, listen_duration_ms, track_duration_ms)
select tests.get_supabase_uid('owner'), 'trk-completion', 'play', 0, listen, track from completion_cases;
select results_eq(
  $$ select c.listen, c.track, round(i.completion_percentage, 10)
     from completion_cases c join public.music_interactions i
       on i.track_id = 'trk-completion' and i.listen_duration_ms is not distinct from c.listen
      and i.track_duration_ms is not distinct from c.track
     order by c.track nulls last, c.listen nulls last $$,
  $$ select listen, track, round(expected, 10) from completion_cases order by track nulls last, listen nulls last $$,
  'completion_percentage: listen/track*100; capped at 100; 0 when a duration is null or the track has none');
select is((select completion_percentage from public.music_interactions where id = 'c1000000-0000-4000-8000-000000000001'), 50::numeric,
  'the fixture''s 90 s of a 3 min track: 50 %');
select is((select count(*) from public.music_interactions where completion_percentage is null or completion_percentage > 100
           or completion_percentage < 0), 0::bigint, 'completion_percentage is never null and always within 0..100');
select throws_ok($$ update public.music_interactions set completion_percentage = 10 where id = 'c1000000-0000-4000-8000-000000000001' $$,
  '428C9', null, 'completion_percentage cannot be written');
delete from public.music_interactions where track_id in ('trk-completion', 'trk-all', 'trk-neg', 'trk-nogenre');


-- RLS matrix: music_listening_history ------------------------------------------------------------------
select tests.authenticate_as('owner');
select results_eq('select id from public.music_listening_history order by played_at',
  $$ values ('a1000000-0000-4000-8000-000000000001'::uuid), ('a1000000-0000-4000-8000-000000000002'::uuid) $$,
  'owner: selects only their own plays');
select lives_ok($$ insert into public.music_listening_history (id, user_id, track_id, track_name, played_at)
                   values ('a1000000-0000-4000-8000-0000000000f1', tests.get_supabase_uid('owner'), 'trk-new', 'New', '2026-11-22 08:00:00+00') $$,
  'owner: caches a play');
select lives_ok($$ insert into public.music_listening_history (user_id, track_id, track_name, played_at)
                   values (tests.get_supabase_uid('owner'), 'trk-new', 'New (again)', '2026-11-22 08:00:00+00')
                   on conflict (user_id, track_id, played_at) do update set track_name = excluded.track_name $$,
  'owner: re-syncs their play (upsert)');
select throws_ok($$ insert into public.music_listening_history (user_id, track_id, track_name, played_at)
                    values (tests.get_supabase_uid('other'), 'trk-new', 'New', now()) $$, '42501', null,
  'owner: cannot cache a play for another user');
select is(tests.affected($$ update public.music_listening_history set album = 'Mine' where id = 'a1000000-0000-4000-8000-0000000000f1' $$),
  1::bigint, 'owner: updates their own play');
select throws_ok($$ update public.music_listening_history set user_id = tests.get_supabase_uid('other') where id = 'a1000000-0000-4000-8000-0000000000f1' $$,
  '42501', null, 'owner: cannot give a play away');
select is(tests.affected($$ delete from public.music_listening_history where id = 'a1000000-0000-4000-8000-0000000000f1' $$), 1::bigint,
  'owner: deletes their own play');

select tests.authenticate_as('other');
select is_empty($$ select from public.music_listening_history where user_id = tests.get_supabase_uid('owner') $$,
  'other user: sees none of the owner''s plays');
select throws_ok($$ insert into public.music_listening_history (user_id, track_id, track_name, played_at)
                    values (tests.get_supabase_uid('owner'), 'trk-x', 'X', now()) $$, '42501', null,
  'other user: cannot cache a play for the owner');
select throws_ok($$ insert into public.music_listening_history (user_id, track_id, track_name, played_at)
                    values (tests.get_supabase_uid('owner'), 'trk-rain', 'hijack', '2026-11-20 10:00:00+00')
                    on conflict (user_id, track_id, played_at) do update set track_name = excluded.track_name $$, '42501', null,
  'other user: cannot upsert over the owner''s play');
select is(tests.affected($$ update public.music_listening_history set album = 'x' where user_id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: updating the owner''s plays touches 0 rows');
select is(tests.affected($$ delete from public.music_listening_history where user_id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: deleting the owner''s plays touches 0 rows');

select tests.clear_authentication();
select is_empty('select from public.music_listening_history', 'anon: sees no play');
select throws_ok($$ insert into public.music_listening_history (user_id, track_id, track_name, played_at)
                    values (tests.get_supabase_uid('owner'), 'trk-x', 'X', now()) $$, '42501', null, 'anon: cannot cache a play');
select is(tests.affected($$ update public.music_listening_history set album = 'x' $$), 0::bigint, 'anon: updates touch 0 plays');
select is(tests.affected('delete from public.music_listening_history'), 0::bigint, 'anon: deletes touch 0 plays');

select tests.authenticate_as_service_role();
select is((select count(distinct user_id) from public.music_listening_history where user_id in (tests.get_supabase_uid('owner'), tests.get_supabase_uid('other'))),
  2::bigint, 'service_role: sees every user''s plays');
select lives_ok($$ insert into public.music_listening_history (id, user_id, track_id, track_name, played_at)
                   values ('a1000000-0000-4000-8000-0000000000f2', tests.get_supabase_uid('owner'), 'trk-svc', 'Svc', now()) $$,
  'service_role: caches a play for any user');
select is(tests.affected($$ update public.music_listening_history set album = 'svc' where id = 'a1000000-0000-4000-8000-0000000000f2' $$),
  1::bigint, 'service_role: updates any play');
select is(tests.affected($$ delete from public.music_listening_history where id = 'a1000000-0000-4000-8000-0000000000f2' $$), 1::bigint,
  'service_role: deletes any play');

select tests.reset_authentication();
select results_eq($$ select track_name, album from public.music_listening_history where user_id = tests.get_supabase_uid('owner') order by played_at $$,
  $$ values ('Rain on Glass (Remastered)', 'Nights'), ('Rain on Glass', 'Nights') $$,
  'the owner''s plays are unchanged by the other user and anon');
select is((select count(*) from public.music_listening_history where user_id = tests.get_supabase_uid('other')), 2::bigint,
  'the other user''s plays are all still there');


-- RLS matrix: music_recommendations --------------------------------------------------------------------
select tests.authenticate_as('owner');
select results_eq('select id from public.music_recommendations', array['b1000000-0000-4000-8000-000000000001'::uuid],
  'owner: selects only their own recommendations');
select lives_ok($$ insert into public.music_recommendations (id, user_id, track_id, track_name, artists, external_url, genz_genre)
                   values ('b1000000-0000-4000-8000-0000000000f1', tests.get_supabase_uid('owner'), 'trk-new', 'New', '{"A"}', 'u', 'Indie') $$,
  'owner: stores a recommendation');
select lives_ok($$ insert into public.music_recommendations (user_id, track_id, track_name, artists, external_url, genz_genre, rl_score)
                   values (tests.get_supabase_uid('owner'), 'trk-new', 'New', '{"A"}', 'u', 'Indie', 0.7)
                   on conflict (user_id, track_id, recommended_on) do update set rl_score = excluded.rl_score $$,
  'owner: upserts the same track the same day');
select is((select rl_score from public.music_recommendations where id = 'b1000000-0000-4000-8000-0000000000f1'), 0.7::numeric,
  '... which updated their row');
select throws_ok($$ insert into public.music_recommendations (user_id, track_id, track_name, artists, external_url, genz_genre)
                    values (tests.get_supabase_uid('other'), 'trk-new', 'New', '{"A"}', 'u', 'Indie') $$, '42501', null,
  'owner: cannot store a recommendation for another user');
select is(tests.affected($$ update public.music_recommendations set personality_match_score = 0.5
                              where id = 'b1000000-0000-4000-8000-0000000000f1' $$),
  1::bigint, 'owner: updates their own recommendation');
select throws_ok($$ update public.music_recommendations set user_id = tests.get_supabase_uid('other') where id = 'b1000000-0000-4000-8000-0000000000f1' $$,
  '42501', null, 'owner: cannot give a recommendation away');
select is(tests.affected($$ delete from public.music_recommendations where id = 'b1000000-0000-4000-8000-0000000000f1' $$), 1::bigint,
  'owner: deletes their own recommendation');

select tests.authenticate_as('other');
select is_empty($$ select from public.music_recommendations where user_id = tests.get_supabase_uid('owner') $$,
  'other user: sees none of the owner''s recommendations');
select throws_ok($$ insert into public.music_recommendations (user_id, track_id, track_name, artists, external_url, genz_genre)
                    values (tests.get_supabase_uid('owner'), 'trk-x', 'X', '{"A"}', 'u', 'Indie') $$, '42501', null,
  'other user: cannot store a recommendation for the owner');
select is(tests.affected($$ update public.music_recommendations set rl_score = 0 where user_id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: updating the owner''s recommendations touches 0 rows');
select is(tests.affected($$ delete from public.music_recommendations where user_id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: deleting the owner''s recommendations touches 0 rows');

select tests.clear_authentication();
select is_empty('select from public.music_recommendations', 'anon: sees no recommendation');
select throws_ok($$ insert into public.music_recommendations (user_id, track_id, track_name, artists, external_url, genz_genre)
                    values (tests.get_supabase_uid('owner'), 'trk-x', 'X', '{"A"}', 'u', 'Indie') $$, '42501', null, 'anon: cannot store a recommendation');
select is(tests.affected($$ update public.music_recommendations set rl_score = 0 $$), 0::bigint, 'anon: updates touch 0 recommendations');
select is(tests.affected('delete from public.music_recommendations'), 0::bigint, 'anon: deletes touch 0 recommendations');

select tests.authenticate_as_service_role();
select is((select count(distinct user_id) from public.music_recommendations where user_id in (tests.get_supabase_uid('owner'), tests.get_supabase_uid('other'))),
  2::bigint, 'service_role: sees every user''s recommendations');
select lives_ok($$ insert into public.music_recommendations (id, user_id, track_id, track_name, artists, external_url, genz_genre)
                   values ('b1000000-0000-4000-8000-0000000000f2', tests.get_supabase_uid('other'), 'trk-svc', 'Svc', '{"A"}', 'u', 'Indie') $$,
  'service_role: stores a recommendation for any user');
select is(tests.affected($$ update public.music_recommendations set rl_score = 0.1 where id = 'b1000000-0000-4000-8000-0000000000f2' $$),
  1::bigint, 'service_role: updates any recommendation');
select is(tests.affected($$ delete from public.music_recommendations where id = 'b1000000-0000-4000-8000-0000000000f2' $$), 1::bigint,
  'service_role: deletes any recommendation');

select tests.reset_authentication();
select results_eq($$ select id, rl_score, personality_match_score from public.music_recommendations where user_id = tests.get_supabase_uid('owner') $$,
  $$ values ('b1000000-0000-4000-8000-000000000001'::uuid, 0.8::numeric, 0::numeric) $$,
  'the owner''s recommendations are unchanged by the other user and anon');
select is((select count(*) from public.music_recommendations where user_id = tests.get_supabase_uid('other')), 1::bigint,
  'the other user''s recommendation is still there');


-- RLS matrix: music_interactions (append-only) -----------------------------------------------------------
select tests.authenticate_as('owner');
select results_eq('select id from public.music_interactions order by id',
  $$ values ('c1000000-0000-4000-8000-000000000001'::uuid), ('c1000000-0000-4000-8000-000000000002'::uuid) $$,
  'owner: selects only their own interactions');
select lives_ok($$ insert into public.music_interactions (id, user_id, track_id, interaction_type, rl_reward, audio_features)
                   values ('c1000000-0000-4000-8000-0000000000f1', tests.get_supabase_uid('owner'), 'trk-rain', 'save', 0.9, '{"genre": "Lo-fi Chill"}') $$,
  'owner: records feedback');
select throws_ok($$ insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward)
                    values (tests.get_supabase_uid('other'), 'trk-rain', 'like', 1) $$, '42501', null,
  'owner: cannot record feedback for another user');
select is(tests.affected($$ update public.music_interactions set rl_reward = 5 where id = 'c1000000-0000-4000-8000-000000000001' $$),
  0::bigint, 'owner: cannot update even their own interaction (0 rows: append-only)');
select is(tests.affected($$ delete from public.music_interactions where user_id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'owner: cannot delete even their own interactions (0 rows: append-only)');

select tests.authenticate_as('other');
select is_empty($$ select from public.music_interactions where user_id = tests.get_supabase_uid('owner') $$,
  'other user: sees none of the owner''s interactions');
select throws_ok($$ insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward)
                    values (tests.get_supabase_uid('owner'), 'trk-rain', 'dislike', -1) $$, '42501', null,
  'other user: cannot record feedback for the owner');
select is(tests.affected($$ update public.music_interactions set rl_reward = -5 where user_id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: updating the owner''s interactions touches 0 rows');
select is(tests.affected($$ delete from public.music_interactions where user_id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: deleting the owner''s interactions touches 0 rows');

select tests.clear_authentication();
select is_empty('select from public.music_interactions', 'anon: sees no interaction');
select throws_ok($$ insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward)
                    values (tests.get_supabase_uid('owner'), 'trk-rain', 'like', 1) $$, '42501', null, 'anon: cannot record feedback');
select is(tests.affected($$ update public.music_interactions set rl_reward = 0 $$), 0::bigint, 'anon: updates touch 0 interactions');
select is(tests.affected('delete from public.music_interactions'), 0::bigint, 'anon: deletes touch 0 interactions');

select tests.authenticate_as_service_role();
select is((select count(distinct user_id) from public.music_interactions where user_id in (tests.get_supabase_uid('owner'), tests.get_supabase_uid('other'))),
  2::bigint, 'service_role: sees every user''s interactions');
select lives_ok($$ insert into public.music_interactions (id, user_id, track_id, interaction_type, rl_reward)
                   values ('c1000000-0000-4000-8000-0000000000f2', tests.get_supabase_uid('other'), 'trk-svc', 'play', 0) $$,
  'service_role: records feedback for any user');
select is(tests.affected($$ update public.music_interactions set rl_q_value = 0.3 where id = 'c1000000-0000-4000-8000-0000000000f2' $$),
  1::bigint, 'service_role: corrects any interaction');
select is(tests.affected($$ delete from public.music_interactions where id = 'c1000000-0000-4000-8000-0000000000f2' $$), 1::bigint,
  'service_role: deletes any interaction');

select tests.reset_authentication();
select results_eq($$ select id, interaction_type, rl_reward from public.music_interactions where user_id = tests.get_supabase_uid('owner') order by id $$,
  $$ values ('c1000000-0000-4000-8000-000000000001'::uuid, 'like', 1::numeric),
            ('c1000000-0000-4000-8000-000000000002'::uuid, 'skip', -0.5::numeric),
            ('c1000000-0000-4000-8000-0000000000f1'::uuid, 'save', 0.9::numeric) $$,
  'the owner''s interactions: their own insert only; no update or delete by anyone but the service role');
select is((select count(*) from public.music_interactions where user_id = tests.get_supabase_uid('other')), 1::bigint,
  'the other user''s interaction is still there');


-- get_genre_preferences --------------------------------------------------------------------------------------
-- gp_owner's fixture rows: lo-fi chill 0.9/10, jazz 0.7/8, k-pop 0.7/8, pop anthems 0.7/3, metal 0.1/2.
select volatility_is('public', 'get_genre_preferences', array['integer', 'uuid'], 'stable', 'get_genre_preferences is STABLE');
select isnt_definer('public', 'get_genre_preferences', array['integer', 'uuid'], 'get_genre_preferences is SECURITY INVOKER');
select ok((select proconfig from pg_proc where oid = 'public.get_genre_preferences(integer, uuid)'::regprocedure)
          = array['search_path=""'], 'get_genre_preferences pins search_path to ''''');
select ok(not has_function_privilege('anon', 'public.get_genre_preferences(integer, uuid)', 'execute')
          and not has_function_privilege('public', 'public.get_genre_preferences(integer, uuid)', 'execute')
          and has_function_privilege('authenticated', 'public.get_genre_preferences(integer, uuid)', 'execute')
          and has_function_privilege('service_role', 'public.get_genre_preferences(integer, uuid)', 'execute'),
          'get_genre_preferences: authenticated and service_role may execute it, anon and PUBLIC may not');
select isnt(obj_description('public.get_genre_preferences(integer, uuid)'::regprocedure, 'pg_proc'), null,
  'get_genre_preferences has a comment (PostgREST''s OpenAPI description)');

select tests.authenticate_as('gp_owner');
select results_eq('select genre, preference_score, interaction_count from public.get_genre_preferences()',
  $$ values ('lo-fi chill', 0.9, 10), ('jazz', 0.7, 8), ('k-pop', 0.7, 8), ('pop anthems', 0.7, 3), ('metal', 0.1, 2) $$,
  'get_genre_preferences(): score desc, then interaction_count desc, then genre');
select results_eq('select genre from public.get_genre_preferences(2)', array['lo-fi chill', 'jazz'],
  'get_genre_preferences(2): the top two');
select results_eq('select genre from public.get_genre_preferences(p_limit => 100)',
  array['lo-fi chill', 'jazz', 'k-pop', 'pop anthems', 'metal'], 'get_genre_preferences(100) is accepted');
select results_eq('select user_id, average_reward from public.get_genre_preferences(1)',
  $$ values (tests.get_supabase_uid('gp_owner'), 0.8::numeric) $$, 'the rows are whole music_genre_preferences rows');
select throws_ok('select public.get_genre_preferences(0)', '22023', null, 'get_genre_preferences: p_limit 0 is refused (22023)');
select throws_ok('select public.get_genre_preferences(101)', '22023', null, 'get_genre_preferences: p_limit 101 is refused (22023)');
select throws_ok('select public.get_genre_preferences(null)', '22023', null, 'get_genre_preferences: p_limit null is refused (22023)');
select tests.authenticate_as('gp_other');
select results_eq('select genre from public.get_genre_preferences()', array['opera'],
  'get_genre_preferences() as the other user: only their genres');
select tests.authenticate_as('newbie');
select is_empty('select * from public.get_genre_preferences()', 'a user without preferences gets none');
select tests.clear_authentication();
select throws_ok('select public.get_genre_preferences()', '42501', null, 'anon cannot call get_genre_preferences');
select tests.authenticate_as_service_role();
-- the acting-user rule: the service role names the user (pgrx-tests/32_music_bulk_fold.sql)
select throws_ok('select public.get_genre_preferences()', '22023', null,
  'service_role must name the user (p_user_id): 22023');
select tests.reset_authentication();


-- RLS matrix: music_genre_preferences (read-only to users) -----------------------------------------------------
select tests.authenticate_as('gp_owner');
select results_eq('select genre from public.music_genre_preferences order by genre',
  array['jazz', 'k-pop', 'lo-fi chill', 'metal', 'pop anthems'], 'owner: reads their own genre preferences');
select throws_ok($$ insert into public.music_genre_preferences (user_id, genre) values (tests.get_supabase_uid('gp_owner'), 'ska') $$,
  '42501', null, 'owner: cannot insert a genre preference, even their own');
select throws_ok($$ insert into public.music_genre_preferences (user_id, genre, preference_score) values (tests.get_supabase_uid('gp_owner'), 'metal', 1)
                    on conflict (user_id, genre) do update set preference_score = 1 $$,
  '42501', null, 'owner: cannot upsert their genre preference');
select is(tests.affected($$ update public.music_genre_preferences set preference_score = 1 where user_id = tests.get_supabase_uid('gp_owner') $$),
  0::bigint, 'owner: updating their own genre preferences touches 0 rows');
select is(tests.affected($$ delete from public.music_genre_preferences where user_id = tests.get_supabase_uid('gp_owner') $$), 0::bigint,
  'owner: deleting their own genre preferences touches 0 rows');

select tests.authenticate_as('gp_other');
select is_empty($$ select from public.music_genre_preferences where user_id = tests.get_supabase_uid('gp_owner') $$,
  'other user: sees none of the owner''s genre preferences');
select throws_ok($$ insert into public.music_genre_preferences (user_id, genre) values (tests.get_supabase_uid('gp_owner'), 'ska') $$,
  '42501', null, 'other user: cannot insert a genre preference for the owner');
select is(tests.affected($$ update public.music_genre_preferences set preference_score = 0 where user_id = tests.get_supabase_uid('gp_owner') $$),
  0::bigint, 'other user: updating the owner''s genre preferences touches 0 rows');
select is(tests.affected($$ delete from public.music_genre_preferences where user_id = tests.get_supabase_uid('gp_owner') $$), 0::bigint,
  'other user: deleting the owner''s genre preferences touches 0 rows');

select tests.clear_authentication();
select is_empty('select from public.music_genre_preferences', 'anon: sees no genre preference');
select throws_ok($$ insert into public.music_genre_preferences (user_id, genre) values (tests.get_supabase_uid('gp_owner'), 'ska') $$,
  '42501', null, 'anon: cannot insert a genre preference');
select is(tests.affected($$ update public.music_genre_preferences set preference_score = 0 $$), 0::bigint,
  'anon: updates touch 0 genre preferences');
select is(tests.affected('delete from public.music_genre_preferences'), 0::bigint, 'anon: deletes touch 0 genre preferences');

select tests.authenticate_as_service_role();
select is((select count(distinct user_id) from public.music_genre_preferences where user_id in (tests.get_supabase_uid('gp_owner'), tests.get_supabase_uid('gp_other'))),
  2::bigint, 'service_role: sees every user''s genre preferences');
select lives_ok($$ insert into public.music_genre_preferences (id, user_id, genre) values ('d1000000-0000-4000-8000-0000000000f1', tests.get_supabase_uid('gp_owner'), 'ska') $$,
  'service_role: inserts a genre preference for any user');
select is(tests.affected($$ update public.music_genre_preferences set preference_score = 0.6, interaction_count = 1
                              where id = 'd1000000-0000-4000-8000-0000000000f1' $$),
  1::bigint, 'service_role: updates any genre preference');
select is(tests.affected($$ delete from public.music_genre_preferences where id = 'd1000000-0000-4000-8000-0000000000f1' $$), 1::bigint,
  'service_role: deletes any genre preference');

select tests.reset_authentication();
select results_eq($$ select genre, preference_score, interaction_count from public.music_genre_preferences
                     where user_id = tests.get_supabase_uid('gp_owner') order by genre $$,
  $$ values ('jazz', 0.7, 8), ('k-pop', 0.7, 8), ('lo-fi chill', 0.9, 10), ('metal', 0.1, 2), ('pop anthems', 0.7, 3) $$,
  'the owner''s genre preferences are exactly the fixtures: no user wrote them');
select is((select count(*) from public.music_genre_preferences where user_id = tests.get_supabase_uid('gp_other')), 1::bigint,
  'the other user''s genre preference is still there');


-- RLS matrix: music_rl_models ------------------------------------------------------------------------------------
select tests.authenticate_as('owner');
select results_eq('select version from public.music_rl_models order by version', array[1, 2],
  'owner: selects only their own model snapshots');
select results_eq('select version, q_table from public.music_rl_models order by version desc limit 1',
  $$ values (2, '{"calm": {"lofi": 0.4}}'::jsonb) $$, 'owner: the newest snapshot is version 2');
select lives_ok($$ insert into public.music_rl_models (id, user_id, version, q_table)
                   values ('e1000000-0000-4000-8000-0000000000f1', tests.get_supabase_uid('owner'), 3, '{"calm": {"lofi": 0.5}}') $$,
  'owner: stores a snapshot');
select throws_ok($$ insert into public.music_rl_models (user_id, version, q_table) values (tests.get_supabase_uid('other'), 9, '{}') $$,
  '42501', null, 'owner: cannot store a snapshot for another user');
select is(tests.affected($$ update public.music_rl_models set hyperparameters = '{"alpha": 0.2}' where version = 3 $$),
  1::bigint, 'owner: updates their own snapshot');
select throws_ok($$ update public.music_rl_models set user_id = tests.get_supabase_uid('other') where version = 3 $$,
  '42501', null, 'owner: cannot give a snapshot away');
select is(tests.affected($$ delete from public.music_rl_models where version = 3 $$), 1::bigint,
  'owner: deletes their own snapshot');

select tests.authenticate_as('other');
select is_empty($$ select from public.music_rl_models where user_id = tests.get_supabase_uid('owner') $$,
  'other user: sees none of the owner''s snapshots');
select throws_ok($$ insert into public.music_rl_models (user_id, version, q_table) values (tests.get_supabase_uid('owner'), 9, '{}') $$,
  '42501', null, 'other user: cannot store a snapshot for the owner');
select is(tests.affected($$ update public.music_rl_models set q_table = '{}' where user_id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: updating the owner''s snapshots touches 0 rows');
select is(tests.affected($$ delete from public.music_rl_models where user_id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: deleting the owner''s snapshots touches 0 rows');

select tests.clear_authentication();
select is_empty('select from public.music_rl_models', 'anon: sees no snapshot');
select throws_ok($$ insert into public.music_rl_models (user_id, version, q_table) values (tests.get_supabase_uid('owner'), 9, '{}') $$,
  '42501', null, 'anon: cannot store a snapshot');
select is(tests.affected($$ update public.music_rl_models set q_table = '{}' $$), 0::bigint, 'anon: updates touch 0 snapshots');
select is(tests.affected('delete from public.music_rl_models'), 0::bigint, 'anon: deletes touch 0 snapshots');

select tests.authenticate_as_service_role();
select is((select count(distinct user_id) from public.music_rl_models where user_id in (tests.get_supabase_uid('owner'), tests.get_supabase_uid('other'))),
  2::bigint, 'service_role: sees every user''s snapshots');
select lives_ok($$ insert into public.music_rl_models (id, user_id, version, q_table)
                   values ('e1000000-0000-4000-8000-0000000000f2', tests.get_supabase_uid('other'), 2, '{}') $$,
  'service_role: stores a snapshot for any user');
select is(tests.affected($$ update public.music_rl_models set hyperparameters = '{"gamma": 0.9}'
                              where id = 'e1000000-0000-4000-8000-0000000000f2' $$),
  1::bigint, 'service_role: updates any snapshot');
select is(tests.affected($$ delete from public.music_rl_models where id = 'e1000000-0000-4000-8000-0000000000f2' $$), 1::bigint,
  'service_role: deletes any snapshot');

select tests.reset_authentication();
select results_eq($$ select version, q_table, hyperparameters from public.music_rl_models where user_id = tests.get_supabase_uid('owner') order by version $$,
  $$ values (1, '{"calm": {"lofi": 0.1}}'::jsonb, '{"alpha": 0.1}'::jsonb), (2, '{"calm": {"lofi": 0.4}}'::jsonb, '{"alpha": 0.1}'::jsonb) $$,
  'the owner''s snapshots are unchanged by the other user and anon');
select is((select count(*) from public.music_rl_models where user_id = tests.get_supabase_uid('other')), 1::bigint,
  'the other user''s snapshot is still there');


-- Deleting the user deletes their music data ---------------------------------------------------------------------
select tests.create_supabase_user('gone', 'gone@music.test', metadata => jsonb_build_object('full_name', 'Gone Soon'));
insert into public.music_listening_history (user_id, track_id, track_name, played_at) values (tests.get_supabase_uid('gone'), 't', 'T', now());
insert into public.music_recommendations (user_id, track_id, track_name, artists, external_url, genz_genre)
  values (tests.get_supabase_uid('gone'), 't', 'T', '{"A"}', 'u', 'Indie');
insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward) values (tests.get_supabase_uid('gone'), 't', 'like', 1);
insert into public.music_genre_preferences (user_id, genre) values (tests.get_supabase_uid('gone'), 'zydeco') on conflict do nothing;
insert into public.music_rl_models (user_id, version, q_table) values (tests.get_supabase_uid('gone'), 1, '{}');
select is(array[(select count(*) from public.music_listening_history where user_id = tests.get_supabase_uid('gone')),
                (select count(*) from public.music_recommendations where user_id = tests.get_supabase_uid('gone')),
                (select count(*) from public.music_interactions where user_id = tests.get_supabase_uid('gone')),
                (select count(*) filter (where genre = 'zydeco') from public.music_genre_preferences where user_id = tests.get_supabase_uid('gone')),
                (select count(*) from public.music_rl_models where user_id = tests.get_supabase_uid('gone'))],
          array[1, 1, 1, 1, 1]::bigint[], 'a user with a row in every music table ...');
delete from auth.users where id = tests.get_supabase_uid('gone');
select is(array[(select count(*) from public.music_listening_history where user_id = tests.get_supabase_uid('gone')),
                (select count(*) from public.music_recommendations where user_id = tests.get_supabase_uid('gone')),
                (select count(*) from public.music_interactions where user_id = tests.get_supabase_uid('gone')),
                (select count(*) from public.music_genre_preferences where user_id = tests.get_supabase_uid('gone')),
                (select count(*) from public.music_rl_models where user_id = tests.get_supabase_uid('gone'))],
          array[0, 0, 0, 0, 0]::bigint[], '... deleted as an auth user: it cascades (through profiles) to all five tables');
select is(array[(select count(*) from public.music_listening_history where user_id = tests.get_supabase_uid('owner')),
                (select count(*) from public.music_interactions where user_id = tests.get_supabase_uid('owner')),
                (select count(*) from public.music_genre_preferences where user_id = tests.get_supabase_uid('gp_owner'))],
          array[2, 3, 5]::bigint[], '... and leaves other users'' rows alone');

select * from finish();
rollback;
