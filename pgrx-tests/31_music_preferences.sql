-- Music: the genre-preference fold (Rust trigger), its formula, and recompute_genre_preferences.
begin;
select plan(16);

select tests.create_supabase_user('fan', 'fan@example.test') as fan \gset
select tests.create_supabase_user('other', 'other-fan@example.test') as other \gset

-- a like in "Lo-fi Chill", as the user, through RLS
select tests.authenticate_as('fan');
insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward, audio_features)
values (:'fan', 't1', 'like', 1, '{"genre": "Lo-fi Chill", "energy": 0.3}');
select results_eq(
  $$ select genre, interaction_count, average_reward, preference_score from public.music_genre_preferences $$,
  $$ values ('lo-fi chill'::text, 1, 1::numeric, 1::numeric) $$,
  'a like creates the (normalised) genre row, visible to its user: score 1');

-- the same genre spelled differently is the same genre; a dislike pulls the score down
insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward, audio_features)
values (:'fan', 't2', 'dislike', -1, '{"genre": "  lo-fi   CHILL "}');
select results_eq(
  $$ select genre, interaction_count, average_reward, preference_score from public.music_genre_preferences $$,
  $$ values ('lo-fi chill'::text, 2, 0::numeric, 0.5::numeric) $$,
  '"  lo-fi   CHILL " counts toward "lo-fi chill"; like + dislike now: mean 0, score 0.5');

-- an interaction without a genre is stored and counts toward nothing
insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward, audio_features)
values (:'fan', 't3', 'play', 0.5, '{"energy": 0.9}'),
       (:'fan', 't4', 'play', 0.5, null),
       (:'fan', 't5', 'skip', -0.5, '{"genre": "   "}');
select is((select count(*) from public.music_interactions where user_id = :'fan'), 5::bigint,
  'interactions without a genre are stored');
select is((select count(*) from public.music_genre_preferences), 1::bigint,
  '...and create no preference row');

-- recency: a like today outweighs a dislike from 60 days ago (two 30-day windows: weight 4 : 1)
select tests.reset_authentication();
insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward, audio_features, created_at)
values (:'fan', 'old', 'dislike', -1, '{"genre": "Pop Anthems"}', now() - interval '60 days'),
       (:'fan', 'new', 'like', 1, '{"genre": "Pop Anthems"}', now());
select ok((select preference_score > 0.5 and average_reward = 0
           from public.music_genre_preferences where user_id = :'fan' and genre = 'pop anthems'),
  'the score follows recent feedback (like now beats dislike 60 days ago) while the plain mean is 0');
select is((select last_interaction from public.music_genre_preferences where user_id = :'fan' and genre = 'pop anthems'),
  (select max(created_at) from public.music_interactions where user_id = :'fan' and audio_features->>'genre' = 'Pop Anthems'),
  'last_interaction is the newest interaction, whatever the insert order');

-- the incremental rows equal the recomputed ones, exactly
create temp table before_recompute as
  select genre, interaction_count, reward_sum, weighted_reward_sum, recency_weight_sum,
         average_reward, preference_score, last_interaction
  from public.music_genre_preferences where user_id = :'fan';
select tests.authenticate_as('fan');
select is(public.recompute_genre_preferences(), 2::bigint, 'a user recomputes their own preferences (2 genres)');
select tests.reset_authentication();
select set_eq(
  $$ select genre, interaction_count, reward_sum, weighted_reward_sum, recency_weight_sum,
            average_reward, preference_score, last_interaction
     from public.music_genre_preferences where user_id = (select id from auth.users where email = 'fan@example.test') $$,
  $$ select * from before_recompute $$,
  'recomputed rows equal the incrementally folded ones exactly');

-- the aggregate alone gives the same sums
select results_eq(
  $$ select (convo.genre_preference(rl_reward, created_at))[1:4]
     from public.music_interactions
     where user_id = (select id from auth.users where email = 'fan@example.test')
       and convo.interaction_genre(audio_features) = 'pop anthems' $$,
  $$ select array[interaction_count::numeric, reward_sum, weighted_reward_sum, recency_weight_sum]
     from before_recompute where genre = 'pop anthems' $$,
  'convo.genre_preference over the raw history equals the stored sums');

-- who may recompute
select tests.authenticate_as('other');
select throws_ok(format('select public.recompute_genre_preferences(%L)', :'fan'), '42501', null,
  'a user may not recompute someone else''s preferences');
select tests.clear_authentication();
select throws_ok('select public.recompute_genre_preferences()', '42501', null, 'anon may not recompute');
select tests.authenticate_as_service_role();
select is(public.recompute_genre_preferences(:'fan'), 2::bigint, 'the service role recomputes any user');
select throws_ok('select public.recompute_genre_preferences()', '22023', null,
  'the service role must name the user');

-- users still cannot write preferences themselves; the trigger function is not callable
select tests.authenticate_as('fan');
select is_empty($$ update public.music_genre_preferences set preference_score = 1 returning 1 $$,
  'users cannot write preferences (no update policy: RLS filters every row; the trigger can)');
select tests.reset_authentication();
select ok(not has_function_privilege('authenticated', 'convo.fold_genre_preference()', 'execute'),
  'the trigger function is not executable by users');
select ok((select prosecdef from pg_proc where oid = 'convo.fold_genre_preference()'::regprocedure),
  'the trigger function runs as its owner (users only read preferences)');

select * from finish();
rollback;
