-- Music, 0.2.0: one fold per statement (bulk inserts), the acting-user rule of the music RPCs,
-- the server's interaction times, and the size bounds. (The deadlock itself, two bulk inserts in
-- opposite genre orders at once, is pinned by isolation/specs/music-bulk-orders.spec.)
begin;
select plan(17);

select tests.create_supabase_user('fan', 'bulk-fan@example.test') as fan \gset
select tests.create_supabase_user('other', 'bulk-other@example.test') as other \gset

-- the fold is one statement-level trigger; the row-level one is gone
select results_eq(
  $$ select tgname::text collate "default", (tgtype & 1) = 0 from pg_trigger
     where tgrelid = 'public.music_interactions'::regclass and not tgisinternal
       and tgname like '%fold%' $$,
  $$ values ('music_interactions_fold_genre_preferences'::text, true) $$,
  'music_interactions has one fold trigger, FOR EACH STATEMENT');

-- a bulk insert as the user (PostgREST's POST of an array is one INSERT … SELECT)
select tests.authenticate_as('fan');
insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward, audio_features)
select :'fan', 't' || g, 'like', r, jsonb_build_object('genre', genre)
from (values (1, 'Pop', 1.0), (2, 'Rock', -0.5), (3, 'Jazz', 0.25), (4, 'pop ', 0.5), (5, 'ROCK', 1),
             (6, null, 1)) v(g, genre, r);
select results_eq(
  $$ select genre, interaction_count, average_reward from public.music_genre_preferences order by genre $$,
  $$ values ('jazz'::text, 1, 0.25::numeric), ('pop', 2, 0.75), ('rock', 2, 0.25) $$,
  'a bulk insert folds every row, grouped by normalised genre (no genre: no row)');

-- what the statement trigger keeps equals a recompute, to the last digit
select tests.reset_authentication();
create temp table before_recompute as
  select genre, interaction_count, reward_sum, weighted_reward_sum, recency_weight_sum,
         average_reward, preference_score, last_interaction
  from public.music_genre_preferences where user_id = :'fan';
select tests.authenticate_as('fan');
select is(public.recompute_genre_preferences(), 3::bigint, 'recompute rebuilds the three genres');
select tests.reset_authentication();
select set_eq(
  $$ select genre, interaction_count, reward_sum, weighted_reward_sum, recency_weight_sum,
            average_reward, preference_score, last_interaction
     from public.music_genre_preferences where user_id = '$$ || :'fan' || $$' $$,
  'select * from before_recompute',
  'the bulk fold equals the recompute exactly');

-- a second bulk insert in the opposite order adds on top (sums are order-independent)
select tests.authenticate_as('fan');
insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward, audio_features)
values (:'fan', 'u1', 'skip', -1, '{"genre": "jazz"}'), (:'fan', 'u2', 'play', 0, '{"genre": "pop"}');
select results_eq(
  $$ select genre, interaction_count from public.music_genre_preferences order by genre $$,
  $$ values ('jazz'::text, 2), ('pop', 3), ('rock', 2) $$,
  'a second statement adds to the same rows');

-- the server stamps a user's interaction time: a far-future created_at would outweigh all feedback
insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward, audio_features, created_at)
values (:'fan', 'future', 'like', 1, '{"genre": "jazz"}', '2999-01-01');
select ok((select created_at < now() + interval '1 minute' from public.music_interactions where track_id = 'future'),
  'a user''s created_at is the server''s time, not the one sent');
-- the service role imports history with its real times
select tests.authenticate_as_service_role();
insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward, audio_features, created_at)
values (:'fan', 'old', 'like', 1, '{"genre": "jazz"}', '2021-06-01');
select is((select created_at from public.music_interactions where track_id = 'old'), '2021-06-01'::timestamptz,
  'the service role may set created_at (imports)');

-- the acting-user rule
select results_eq(
  format('select genre from public.get_genre_preferences(2, %L)', :'fan'),
  format($$select genre from public.music_genre_preferences where user_id = %L
           order by preference_score desc, interaction_count desc, genre limit 2$$, :'fan'),
  'service role: get_genre_preferences for the user it names');
select throws_ok('select public.get_genre_preferences(2)', '22023', null,
  'service role without p_user_id: 22023');
select ok(public.recompute_genre_preferences(:'fan') = 3, 'service role: recompute for the named user');
select tests.authenticate_as('fan');
select results_eq(
  format('select genre from public.get_genre_preferences(3, %L)', :'fan'),
  'select genre from public.get_genre_preferences(3)',
  'a user may pass their own id (the same as omitting it)');
select throws_ok(format('select public.get_genre_preferences(1, %L)', :'other'), '42501', null,
  'a user naming another user: 42501');
select throws_ok(format('select public.recompute_genre_preferences(%L)', :'other'), '42501', null,
  'a user recomputing another user: 42501');
select throws_ok('select public.get_genre_preferences(0)', '22023',
  'p_limit must be between 1 and 100', 'a bad p_limit: the message does not repeat the value');

-- bounds: 400 (23514), nothing written
select throws_ok(
  format($$insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward)
           values (%L, repeat('x', 256), 'like', 1)$$, :'fan'),
  '23514', null, 'a 256-character track_id is refused');
select throws_ok(
  format($$insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward, audio_features)
           values (%L, 'big', 'like', 1, jsonb_build_object('genre', 'pop', 'pad', repeat('x', 20000)))$$, :'fan'),
  '23514', null, 'audio_features over 16 KiB are refused');
select is((select count(*) from public.music_interactions where track_id in ('big') or length(track_id) > 255),
  0::bigint, 'nothing of the refused inserts was written');

select * from finish();
rollback;
