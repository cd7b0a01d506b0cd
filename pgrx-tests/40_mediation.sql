-- Mediated sessions (issue 5): the schema of migration 20261122040000_mediation — tables,
-- constraints, triggers — and its RLS as a full matrix: for each table and action, as the host,
-- an accepted participant, an observer, a pending invitee, a declined invitee, a stranger, anon
-- and service_role, the allowed cells and the denied ones. Then the seed's recursive policy
-- (42P17) on a scratch copy, the peers' public profile cards, and the host's anonymised
-- feedback summary and its threshold.
begin;
select plan(404);

-- Helpers, rolled back with the test ----------------------------------------------------------
-- tests.get_supabase_uid(name): a fixture user's id (sql/test_helpers.sql);
-- pg_temp.s(n): session n's id; pg_temp.pid(who, n): who's participant row id in session n.
create function pg_temp.s(p_n int) returns uuid language sql immutable
  as $$ select ('5e551000-0000-4000-8000-00000000000' || p_n)::uuid $$;
create function pg_temp.pid(p_who text, p_n int) returns bigint language sql stable
  as $$ select current_setting('t.pid_' || p_who || '_' || p_n)::bigint $$;

-- An INSERT of a message: session n, through participant row p_pid, as author p_author.
create function pg_temp.msg(p_n int, p_pid bigint, p_author uuid, p_type text default 'user_typed_message')
returns text language sql stable as $$
  select format('insert into public.session_messages (session_id, session_participant_id, profile_id, message_type, content)
                 values (%L, %s, %L, %L, %L)', pg_temp.s(p_n), coalesce(p_pid::text, 'null'), p_author, p_type, 'hi')
$$;

-- Fixtures (as postgres) -------------------------------------------------------------------------
-- s1: Hana's session in progress (mediated_discussion): Pat (accepted), Olga (accepted observer),
--     Ivy (pending), Dan (declined). s2: Hana's completed session (private_coaching): Pat, Quinn,
--     Rae, Uma (accepted). s3: Sam's own session in progress, Sam alone.
select tests.create_supabase_user(u, u || '@med.test', metadata => jsonb_build_object('full_name', n))
from (values ('host', 'Hana Host'), ('part', 'Pat Participant'), ('obs', 'Olga Observer'),
             ('invitee', 'Ivy Invitee'), ('declined', 'Dan Declined'), ('stranger', 'Sam Stranger'),
             ('p3', 'Quinn Three'), ('p4', 'Rae Four'), ('p5', 'Uma Five')) v(u, n);
update public.profiles set avatar_url = 'https://cdn.example/hana.png',
  preferred_communication_style = '{"pace": "slow"}', personality_llm_context = '{"secret": true}'
where id = tests.get_supabase_uid('host');

insert into public.sessions (id, host_id, title, session_type, status) values
  (pg_temp.s(1), tests.get_supabase_uid('host'), 'Roommate dispute', 'mediated_discussion', 'in_progress'),
  (pg_temp.s(2), tests.get_supabase_uid('host'), 'Budget talk', 'private_coaching', 'completed'),
  (pg_temp.s(3), tests.get_supabase_uid('stranger'), 'Sam''s own', 'problem_solving', 'in_progress');
insert into public.session_participants (session_id, profile_id, role, invitation_status) values
  (pg_temp.s(1), tests.get_supabase_uid('part'), 'participant', 'accepted'),
  (pg_temp.s(1), tests.get_supabase_uid('obs'), 'observer', 'accepted'),
  (pg_temp.s(1), tests.get_supabase_uid('invitee'), 'participant', 'pending'),
  (pg_temp.s(1), tests.get_supabase_uid('declined'), 'participant', 'declined'),
  (pg_temp.s(2), tests.get_supabase_uid('part'), 'participant', 'accepted'),
  (pg_temp.s(2), tests.get_supabase_uid('p3'), 'participant', 'accepted'),
  (pg_temp.s(2), tests.get_supabase_uid('p4'), 'participant', 'accepted'),
  (pg_temp.s(2), tests.get_supabase_uid('p5'), 'participant', 'accepted');
select set_config('t.pid_' || u.name || '_' || right(sp.session_id::text, 1), sp.id::text, true)
from public.session_participants sp
join (values ('host'), ('part'), ('obs'), ('invitee'), ('declined'), ('stranger'), ('p3'), ('p4'), ('p5')) u(name)
  on sp.profile_id = tests.get_supabase_uid(u.name);

insert into public.session_messages (session_id, session_participant_id, profile_id, message_type, content, "timestamp") values
  (pg_temp.s(1), pg_temp.pid('host', 1), tests.get_supabase_uid('host'), 'speech_transcript', 'Welcome, both of you', now() - interval '2 minutes'),
  (pg_temp.s(1), pg_temp.pid('part', 1), tests.get_supabase_uid('part'), 'user_typed_message', 'Thanks for having me', now() - interval '1 minute'),
  (pg_temp.s(2), pg_temp.pid('part', 2), tests.get_supabase_uid('part'), 'speech_transcript', 'Last week''s words', now() - interval '7 days'),
  (pg_temp.s(3), pg_temp.pid('stranger', 3), tests.get_supabase_uid('stranger'), 'speech_transcript', 'Sam alone', now());
insert into public.session_files (session_id, uploader_profile_id, file_name, storage_path) values
  (pg_temp.s(1), tests.get_supabase_uid('host'), 'agenda.pdf', tests.get_supabase_uid('host') || '/' || pg_temp.s(1) || '/agenda.pdf'),
  (pg_temp.s(2), tests.get_supabase_uid('host'), 'budget.xlsx', tests.get_supabase_uid('host') || '/' || pg_temp.s(2) || '/budget.xlsx'),
  (pg_temp.s(3), tests.get_supabase_uid('stranger'), 'notes.txt', tests.get_supabase_uid('stranger') || '/' || pg_temp.s(3) || '/notes.txt');
insert into public.growth_insights (profile_id, session_id, insight_type, insight_data) values
  (tests.get_supabase_uid('part'), pg_temp.s(1), 'clarity_score', '{"score": 4.5}'),
  (tests.get_supabase_uid('host'), null, 'sentiment_trend', '{"trend": "up"}');
insert into public.achievements (profile_id, badge_id) values
  (tests.get_supabase_uid('part'), 'active_listener_bronze'), (tests.get_supabase_uid('host'), 'clarity_champion_1');
-- Two evaluations shared with the host in s2, one not shared.
insert into public.session_evaluations (session_id, evaluator_profile_id, rating_overall_satisfaction,
  rating_clarity_goals, rating_fairness_balance, rating_alex_helpfulness,
  feedback_worked_well, feedback_could_improve, feedback_alex_specific, share_with_host) values
  (pg_temp.s(2), tests.get_supabase_uid('part'), 5, 4, 5, 3, 'Zero interruptions', 'More time', null, true),
  (pg_temp.s(2), tests.get_supabase_uid('p3'), 4, 4, 3, null, 'Alex kept us on track', '  ', 'Alex spoke too fast', true),
  (pg_temp.s(2), tests.get_supabase_uid('p5'), 1, 1, 1, 1, 'UMA''S PRIVATE TEXT', 'UMA''S PRIVATE TEXT', 'UMA''S PRIVATE TEXT', false);


-- Schema -----------------------------------------------------------------------------------------
select has_table('public', t, 'table public.' || t || ' exists')
from unnest(array['sessions', 'session_participants', 'session_messages', 'session_files', 'growth_insights',
                  'achievements', 'session_evaluations']) t;
select columns_are('public', 'sessions', array['id', 'created_at', 'host_id', 'title', 'description_context',
  'session_type', 'status', 'scheduled_start_time', 'actual_start_time', 'actual_end_time', 'goals', 'rules',
  'ai_synthesis_summary', 'final_summary_pdf_url'], 'sessions has exactly the seed''s columns');
-- invitation_id: added by 20261123040000_mediation_clients (email invitations).
select columns_are('public', 'session_participants', array['id', 'session_id', 'profile_id', 'role', 'joined_at',
  'perspective_text', 'invitation_status', 'signed_off_summary', 'sign_off_timestamp', 'invitation_id'],
  'session_participants has the seed''s columns plus invitation_id');
select columns_are('public', 'session_messages', array['id', 'session_id', 'session_participant_id', 'profile_id',
  'timestamp', 'message_type', 'content', 'sentiment_analysis', 'is_edited', 'token_count'],
  'session_messages has exactly the seed''s columns (and token_count: pgrx-tests/60_tokens.sql)');
select columns_are('public', 'session_files', array['id', 'session_id', 'uploader_profile_id', 'file_name', 'storage_path',
  'ipfs_cid', 'file_type', 'file_size', 'description', 'uploaded_at', 'ai_analysis_snippet'],
  'session_files has exactly the seed''s columns');
select columns_are('public', 'growth_insights', array['id', 'profile_id', 'session_id', 'insight_type', 'insight_data',
  'generated_at', 'viewed_at'], 'growth_insights has exactly the seed''s columns');
select columns_are('public', 'achievements', array['id', 'profile_id', 'badge_id', 'achieved_at', 'details', 'viewed_at'],
  'achievements has the seed''s columns plus viewed_at');
select columns_are('public', 'session_evaluations', array['id', 'session_id', 'evaluator_profile_id',
  'rating_overall_satisfaction', 'rating_clarity_goals', 'rating_fairness_balance', 'rating_alex_helpfulness',
  'feedback_worked_well', 'feedback_could_improve', 'feedback_alex_specific', 'share_with_host', 'submitted_at'],
  'session_evaluations has exactly the seed''s columns');

select col_type_is('public', t, c, ty, t || '.' || c || ' is ' || ty)
from (values ('sessions', 'id', 'uuid'), ('session_participants', 'id', 'bigint'), ('session_messages', 'id', 'bigint'),
             ('session_files', 'id', 'uuid'), ('growth_insights', 'id', 'bigint'), ('achievements', 'id', 'bigint'),
             ('session_evaluations', 'id', 'bigint'), ('sessions', 'goals', 'jsonb'),
             ('session_messages', 'sentiment_analysis', 'jsonb'), ('session_files', 'file_size', 'bigint')) v(t, c, ty);
select is(array_agg(c.relname::text || '.' || a.attname order by c.relname::text),
          array['achievements.id', 'growth_insights.id', 'session_evaluations.id', 'session_messages.id', 'session_participants.id'],
          'the bigint ids are GENERATED ALWAYS AS IDENTITY')
from pg_attribute a join pg_class c on c.oid = a.attrelid
where c.relnamespace = 'public'::regnamespace and a.attidentity = 'a'
  and c.relname in ('sessions', 'session_participants', 'session_messages', 'session_files', 'growth_insights',
                    'achievements', 'session_evaluations');

select col_default_is('public', 'sessions', 'status', 'scheduled', 'sessions.status defaults to scheduled');
select col_default_is('public', 'session_participants', 'role', 'participant', 'role defaults to participant');
select col_default_is('public', 'session_participants', 'invitation_status', 'pending', 'invitation_status defaults to pending');
select col_default_is('public', 'session_participants', 'signed_off_summary', false, 'signed_off_summary defaults to false');
select col_default_is('public', 'session_messages', 'message_type', 'speech_transcript', 'message_type defaults to speech_transcript');
select col_default_is('public', 'session_messages', 'is_edited', false, 'is_edited defaults to false');
select col_default_is('public', 'session_evaluations', 'share_with_host', false, 'share_with_host defaults to false');
select is(array_agg(c.relname::text || '.' || a.attname order by c.relname::text || '.' || a.attname),
          array['achievements.achieved_at', 'growth_insights.generated_at', 'session_evaluations.submitted_at',
                'session_files.uploaded_at', 'session_messages.timestamp', 'sessions.created_at'],
          'the timestamps default to now()')
from pg_attrdef d join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum
join pg_class c on c.oid = d.adrelid
where c.relnamespace = 'public'::regnamespace and pg_get_expr(d.adbin, d.adrelid) = 'now()'
  and c.relname in ('sessions', 'session_participants', 'session_messages', 'session_files', 'growth_insights',
                    'achievements', 'session_evaluations');
select col_not_null('public', 'sessions', 'title', 'sessions.title is not null');
select col_not_null('public', 'session_messages', 'content', 'session_messages.content is not null');
select col_not_null('public', 'session_files', c, 'session_files.' || c || ' is not null') from unnest(array['file_name', 'storage_path']) c;
select col_not_null('public', 'growth_insights', c, 'growth_insights.' || c || ' is not null') from unnest(array['insight_type', 'insight_data']) c;
select col_not_null('public', 'achievements', 'badge_id', 'achievements.badge_id is not null');

select col_is_unique('public', 'session_participants', array['session_id', 'profile_id'], 'session_participants: unique (session_id, profile_id)');
-- Unique per session since 20261123040000_mediation_clients: a global key told a 409 about other sessions' paths.
select col_is_unique('public', 'session_files', array['session_id', 'storage_path'], 'session_files: storage_path is unique within its session');
select col_is_unique('public', 'session_files', array['ipfs_cid'], 'session_files: ipfs_cid is unique');
select col_is_unique('public', 'session_evaluations', array['session_id', 'evaluator_profile_id'],
  'session_evaluations: one per (session_id, evaluator_profile_id)');
select has_index('public', 'session_messages', 'idx_session_messages_session_timestamp', array['session_id', '"timestamp"'],
  'session_messages: the seed''s index on (session_id, timestamp)');

select results_eq(
  $$ select conname::text collate "default", confrelid::regclass::text, confdeltype::text from pg_constraint
     where contype = 'f' and conrelid in ('public.sessions'::regclass, 'public.session_participants'::regclass,
       'public.session_messages'::regclass, 'public.session_files'::regclass, 'public.growth_insights'::regclass,
       'public.achievements'::regclass, 'public.session_evaluations'::regclass)
     order by conname $$,
  $$ values ('achievements_profile_id_fkey', 'profiles', 'c'), ('growth_insights_profile_id_fkey', 'profiles', 'c'),
            ('growth_insights_session_id_fkey', 'sessions', 'n'),
            ('session_evaluations_evaluator_profile_id_fkey', 'profiles', 'c'),
            ('session_evaluations_session_id_fkey', 'sessions', 'c'),
            ('session_files_session_id_fkey', 'sessions', 'c'), ('session_files_uploader_profile_id_fkey', 'profiles', 'n'),
            ('session_messages_profile_id_fkey', 'profiles', 'n'), ('session_messages_session_id_fkey', 'sessions', 'c'),
            ('session_messages_session_participant_id_fkey', 'session_participants', 'n'),
            ('session_participants_invitation_id_fkey', 'session_invitations', 'c'),
            ('session_participants_profile_id_fkey', 'profiles', 'c'),
            ('session_participants_session_id_fkey', 'sessions', 'c'), ('sessions_host_id_fkey', 'profiles', 'c') $$,
  'foreign keys are named explicitly, with the seed''s ON DELETE actions');
select is((select count(*) from pg_constraint where contype = 'f' and conrelid = 'public.session_messages'::regclass
           and confrelid = 'public.profiles'::regclass), 1::bigint,
  'session_messages has exactly one foreign key to profiles (one embed path)');

select ok(exists (select from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public'
                  and tablename = t), t || ' is in the supabase_realtime publication')
from unnest(array['session_messages', 'session_participants']) t;

-- CHECK constraints: the enumerated columns take only their documented values.
select throws_ok(format($$ update public.sessions set status = 'paused' where id = %L $$, pg_temp.s(1)),
  '23514', null, 'session status outside scheduled|in_progress|completed|cancelled is refused');
select is(tests.would_affect(format('update public.sessions set status = %L where id = %L', st, pg_temp.s(1)), 'postgres'), 1::bigint,
          '... status ' || st || ' is accepted')
from unnest(array['scheduled', 'in_progress', 'completed', 'cancelled']) st;
select throws_ok(format($$ insert into public.session_participants (session_id, profile_id, role) values (%L, %L, 'moderator') $$,
  pg_temp.s(3), tests.get_supabase_uid('part')), '23514', null, 'participant role outside host|participant|observer is refused');
select throws_ok(format($$ insert into public.session_participants (session_id, profile_id, invitation_status) values (%L, %L, 'maybe') $$,
  pg_temp.s(3), tests.get_supabase_uid('part')), '23514', null, 'invitation_status outside pending|accepted|declined is refused');
select throws_ok(format($$ update public.session_participants set invitation_status = 'declined' where id = %s $$,
  pg_temp.pid('host', 1)), '23514', null, 'the host''s participant row stays accepted');
select throws_ok(format($$ update public.session_participants set role = 'host' where id = %s $$, pg_temp.pid('part', 1)),
  '23505', null, 'a session has one host row');
select throws_ok(pg_temp.msg(1, null, null, 'emoji_reaction'), '23514', null, 'message_type outside the documented ones is refused');
select is(tests.would_affect(format($$ insert into public.session_messages (session_id, message_type, content)
                                            select %L, t, 'x' from unnest(array['speech_transcript', 'user_typed_message',
                                            'alex_guidance', 'poll_created', 'system']) t $$, pg_temp.s(1)), 'postgres'), 5::bigint,
  '... and the seed''s four types plus system are accepted');
select throws_ok(format($$ insert into public.session_evaluations (session_id, evaluator_profile_id, %I) values (%L, %L, %s) $$,
  c, pg_temp.s(1), tests.get_supabase_uid('obs'), v), '23514', null, c || ' = ' || v || ' is refused')
from (values ('rating_overall_satisfaction', 0), ('rating_clarity_goals', 6), ('rating_fairness_balance', -1),
             ('rating_alex_helpfulness', 10)) x(c, v);
select is(tests.would_affect(format($$ insert into public.session_evaluations (session_id, evaluator_profile_id,
  rating_overall_satisfaction, rating_clarity_goals, rating_fairness_balance, rating_alex_helpfulness) values (%L, %L, 1, 5, 1, 5) $$,
  pg_temp.s(1), tests.get_supabase_uid('obs')), 'postgres'), 1::bigint, '... ratings 1 and 5 are accepted');
select throws_ok(format($$ update public.sessions set goals = '{"a": 1}' where id = %L $$, pg_temp.s(1)), '23514', null,
  'sessions.goals must be a JSON array');
-- The composite key keeps a message's participant row, session and author consistent.
select throws_ok(pg_temp.msg(1, pg_temp.pid('part', 2), tests.get_supabase_uid('part')), '23503', null,
  'a message cannot point at the author''s participant row of another session (even as service role)');
select throws_ok(pg_temp.msg(1, pg_temp.pid('host', 1), tests.get_supabase_uid('part')), '23503', null,
  'a message cannot point at someone else''s participant row');


-- Triggers ---------------------------------------------------------------------------------------
select results_eq(
  format($$ select role, invitation_status, joined_at is not null from public.session_participants
            where session_id = %L and profile_id = %L $$, pg_temp.s(1), tests.get_supabase_uid('host')),
  $$ values ('host', 'accepted', true) $$,
  'creating a session made its host an accepted participant with role host, joined_at set');
select is(tests.value_of($$
  with s as (insert into public.sessions (host_id, title) values ((select auth.uid()), 'Pat''s new one') returning id)
  select (select count(*) from s)::text $$, 'part'), '1', 'a user creates a session as its host (INSERT ... RETURNING, as supabase-js does)');
select results_eq(
  $$ select sp.role, sp.invitation_status, sp.joined_at = now() from public.session_participants sp
     join public.sessions s on s.id = sp.session_id where s.title = 'Pat''s new one' $$,
  $$ values ('host', 'accepted', true) $$, '... and in the same transaction became its host participant');
select is(tests.row_count($$ select from public.session_participants sp join public.sessions s on s.id = sp.session_id
                               where s.title = 'Pat''s new one' $$, 'part'), 1::bigint, '... which they read back under RLS');
select is_definer('convo', 'sessions_add_host', '{}'::name[], 'convo.sessions_add_host() is SECURITY DEFINER');
select ok(not has_function_privilege('authenticated', 'convo.sessions_add_host()', 'execute')
          and not has_function_privilege('anon', 'convo.session_participants_stamp()', 'execute')
          and not has_function_privilege('authenticated', 'convo.session_messages_mark_edited()', 'execute'),
  'the trigger functions are not executable by the API roles');
-- host_id changes only through the service role; the host row follows.
select is(tests.would_affect(format($$ update public.sessions set host_id = %L where id = %L;
    select 1 where (select array_agg(profile_id::text || ':' || role order by role) from public.session_participants
                    where session_id = %L and profile_id in (%L, %L)) = array[%L, %L] $$,
    tests.get_supabase_uid('part'), pg_temp.s(1), pg_temp.s(1), tests.get_supabase_uid('host'), tests.get_supabase_uid('part'),
    tests.get_supabase_uid('part') || ':host', tests.get_supabase_uid('host') || ':participant'), 'service_role'), 1::bigint,
  'service role moves a session to another host: the new host gets the host row, the old one becomes a participant');

-- sign-off and joined_at are stamped by the database.
select is(tests.affected(format($$ update public.session_participants set signed_off_summary = true,
                                        sign_off_timestamp = '2000-01-01' where id = %s $$, pg_temp.pid('part', 2)), 'part'), 1::bigint,
  'a participant signs off the summary');
select is((select sign_off_timestamp from public.session_participants where id = pg_temp.pid('part', 2)), now(),
  '... sign_off_timestamp is set by the database (now(), not the value sent)');
select is(tests.affected(format($$ update public.session_participants set perspective_text = 'later edit',
                                        sign_off_timestamp = now() + interval '1 day' where id = %s $$, pg_temp.pid('part', 2)), 'part'), 1::bigint,
  'a later update of the signed-off row');
select is((select sign_off_timestamp from public.session_participants where id = pg_temp.pid('part', 2)), now(),
  '... keeps the original sign-off time');
select is(tests.affected(format($$ update public.session_participants set signed_off_summary = false where id = %s $$,
                                     pg_temp.pid('part', 2)), 'part'), 1::bigint, 'withdrawing the sign-off');
select is((select sign_off_timestamp from public.session_participants where id = pg_temp.pid('part', 2)), null,
  '... clears sign_off_timestamp');
select is(tests.would_affect(format($$ update public.session_participants set invitation_status = 'accepted'
    where id = %s and joined_at is null;
    select 1 from public.session_participants where id = %s and joined_at = now() $$,
    pg_temp.pid('invitee', 1), pg_temp.pid('invitee', 1)), 'invitee'), 1::bigint,
  'accepting an invitation sets joined_at');


-- RLS and privileges -----------------------------------------------------------------------------
select is(array_agg(c.relname::text order by c.relname) filter (where not c.relrowsecurity), null,
          'RLS is enabled on every mediation table')
from pg_class c
where c.oid in ('public.sessions'::regclass, 'public.session_participants'::regclass, 'public.session_messages'::regclass,
                'public.session_files'::regclass, 'public.growth_insights'::regclass, 'public.achievements'::regclass,
                'public.session_evaluations'::regclass);
select results_eq(
  $$ select tablename::text collate "default", string_agg(cmd, ',' order by cmd) from pg_policies
     where schemaname = 'public' and tablename in ('sessions', 'session_participants', 'session_messages', 'session_files',
       'growth_insights', 'achievements', 'session_evaluations')
     group by tablename order by tablename $$,
  $$ values ('achievements', 'SELECT,UPDATE'), ('growth_insights', 'SELECT,UPDATE'),
            ('session_evaluations', 'INSERT,SELECT'), ('session_files', 'DELETE,INSERT,SELECT'),
            ('session_messages', 'INSERT,SELECT,UPDATE'), ('session_participants', 'DELETE,INSERT,SELECT,UPDATE'),
            ('sessions', 'INSERT,SELECT,UPDATE') $$,
  'one policy per action: exactly these actions have one');
select is_empty($$ select tablename, policyname from pg_policies where schemaname = 'public'
                   and tablename in ('sessions', 'session_participants', 'session_messages', 'session_files',
                                     'growth_insights', 'achievements', 'session_evaluations')
                   and (roles <> '{authenticated}' or permissive <> 'PERMISSIVE') $$,
  'every mediation policy is a permissive policy to authenticated only');
select is_empty($$ select tablename, policyname from pg_policies where schemaname = 'public'
                   and tablename in ('sessions', 'session_participants', 'session_messages', 'session_files')
                   and coalesce(qual, '') || coalesce(with_check, '') ~ 'my_(hosted_|invited_)?session_ids\(\)'
                   and coalesce(qual, '') || coalesce(with_check, '') !~ 'ANY \(ARRAY\( SELECT convo\.my_' $$,
  'the session-id helpers are used in the once-per-statement form = any (array(select ...))');
select is_empty($$ select t, p from unnest(array['sessions', 'session_participants', 'session_messages', 'session_files',
                     'growth_insights', 'achievements', 'session_evaluations']) t,
                   unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
                   where has_table_privilege('anon', 'public.' || t, p)
                      or has_any_column_privilege('anon', 'public.' || t, case when p in ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES') then p else 'SELECT' end) $$,
  'anon has no privilege at all on the mediation tables');
select ok(not has_table_privilege('authenticated', 'public.' || t, 'TRUNCATE'), 'authenticated cannot TRUNCATE ' || t)
from unnest(array['sessions', 'session_participants', 'session_messages', 'session_files', 'growth_insights',
                  'achievements', 'session_evaluations']) t;
select ok(has_function_privilege('authenticated', f, 'execute') and not has_function_privilege('anon', f, 'execute'),
          f || ': executable by authenticated, not anon')
from unnest(array['convo.is_session_participant(uuid, uuid)', 'convo.is_session_host(uuid, uuid)', 'convo.my_session_ids()',
                  'convo.my_hosted_session_ids()', 'convo.my_invited_session_ids()', 'convo.my_session_peer_ids()']) f;


-- The access checks, as each role sees them --------------------------------------------------------
select is(tests.value_of(format('select convo.is_session_participant(%L)', pg_temp.s(1)), w), e,
          'convo.is_session_participant(s1) as ' || w || ': ' || e)
from (values ('host', 'true'), ('part', 'true'), ('obs', 'true'), ('invitee', 'false'), ('declined', 'false'),
             ('stranger', 'false')) v(w, e);
select is(tests.value_of(format('select convo.is_session_host(%L)', pg_temp.s(1)), w), e,
          'convo.is_session_host(s1) as ' || w || ': ' || e)
from (values ('host', 'true'), ('part', 'false'), ('stranger', 'false')) v(w, e);
select is(tests.value_of('select array_agg(x)::text from convo.my_invited_session_ids() x', 'invitee'), '{' || pg_temp.s(1) || '}',
  'convo.my_invited_session_ids() as the invitee: s1');


-- RLS matrix: sessions ------------------------------------------------------------------------------
select is(tests.row_count(format('select from public.sessions where id = %L', pg_temp.s(1)), w), e,
          'sessions select s1 as ' || w || ': ' || e || ' row')
from (values ('host', 1::bigint), ('part', 1), ('obs', 1), ('invitee', 1), ('declined', 0), ('stranger', 0), ('service_role', 1)) v(w, e);
select is(tests.row_count(format('select from public.sessions where id = any (%L::uuid[])', array[pg_temp.s(1), pg_temp.s(2), pg_temp.s(3)]), w), e,
          'sessions: ' || w || ' sees ' || e || ' of the three fixture sessions')
from (values ('host', 2::bigint), ('part', 2), ('p3', 1), ('invitee', 1), ('declined', 0), ('stranger', 1), ('service_role', 3)) v(w, e);
select throws_ok($$ select tests.row_count('select from public.sessions', 'anon') $$, '42501', null, 'sessions select as anon: 42501');

select is(tests.would_affect(format($$ insert into public.sessions (host_id, title) values (%L, 'mine') $$, tests.get_supabase_uid(w)), w),
          1::bigint, 'sessions insert as ' || w || ', host_id = self: allowed')
from unnest(array['host', 'part', 'invitee', 'stranger']) w;
select throws_ok(format($$ select tests.would_affect(p_as => %L, p_sql => $q$ insert into public.sessions (host_id, title) values (%L, 'theirs') $q$) $$,
                        w, tests.get_supabase_uid('host')), '42501', null, 'sessions insert as ' || w || ' with someone else as host: 42501')
from unnest(array['part', 'stranger']) w;
select throws_ok(format($$ select tests.would_affect($q$ insert into public.sessions (host_id, title, ai_synthesis_summary)
                           values (%L, 't', 'forged') $q$, 'part') $$, tests.get_supabase_uid('part')), '42501', null,
  'sessions insert: a user cannot write the AI''s columns');
select throws_ok(format($$ select tests.would_affect($q$ insert into public.sessions (host_id, title) values (%L, 'x') $q$, 'anon') $$,
                        tests.get_supabase_uid('host')), '42501', null, 'sessions insert as anon: 42501');
select is(tests.would_affect(format($$ insert into public.sessions (host_id, title) values (%L, 'by backend') $$,
                                        tests.get_supabase_uid('part')), 'service_role'), 1::bigint, 'sessions insert as service_role: allowed for any host');

select is(tests.would_affect(format($$ update public.sessions set title = 'renamed', status = 'completed' where id = %L $$, pg_temp.s(1)), w),
          e, 'sessions update s1 as ' || w || ': ' || e || ' row')
from (values ('host', 1::bigint), ('part', 0), ('obs', 0), ('invitee', 0), ('declined', 0), ('stranger', 0), ('service_role', 1)) v(w, e);
select throws_ok(format($$ select tests.would_affect($q$ update public.sessions set host_id = %L where id = %L $q$, 'host') $$,
                        tests.get_supabase_uid('part'), pg_temp.s(1)), '42501', null, 'the host cannot hand the session to someone else');
select throws_ok(format($$ select tests.would_affect($q$ update public.sessions set final_summary_pdf_url = 'x' where id = %L $q$, 'host') $$,
                        pg_temp.s(1)), '42501', null, 'the host cannot write the backend''s columns');
select ok(with_check ~ 'host_id = \( SELECT auth\.uid\(\)', 'the update policy''s WITH CHECK keeps host_id = the caller')
from pg_policies where tablename = 'sessions' and cmd = 'UPDATE';
select throws_ok(format($$ select tests.would_affect($q$ update public.sessions set title = 'x' where id = %L $q$, 'anon') $$, pg_temp.s(1)),
  '42501', null, 'sessions update as anon: 42501');

select throws_ok(format($$ select tests.would_affect(p_as => %L, p_sql => $q$ delete from public.sessions where id = %L $q$) $$, w, pg_temp.s(1)),
                 '42501', null, 'sessions delete as ' || w || ': 42501 (nobody but service_role)')
from unnest(array['host', 'part', 'stranger', 'anon']) w;
select is(tests.would_affect(format('delete from public.sessions where id = %L', pg_temp.s(1)), 'service_role'), 1::bigint,
  'sessions delete as service_role: allowed');


-- RLS matrix: session_participants ------------------------------------------------------------------
select is(tests.row_count(format('select from public.session_participants where session_id = %L', pg_temp.s(1)), w), e,
          'session_participants select s1 as ' || w || ': ' || e || ' rows')
from (values ('host', 5::bigint), ('part', 5), ('obs', 5), ('invitee', 1), ('declined', 1), ('stranger', 0), ('service_role', 5)) v(w, e);
select is(tests.value_of(format('select profile_id::text from public.session_participants where session_id = %L', pg_temp.s(1)), w),
          tests.get_supabase_uid(w)::text, 'session_participants: the ' || w || ' sees only their own row')
from unnest(array['invitee', 'declined']) w;
select throws_ok($$ select tests.row_count('select from public.session_participants', 'anon') $$, '42501', null,
  'session_participants select as anon: 42501');

select is(tests.would_affect(format($$ insert into public.session_participants (session_id, profile_id, role) values (%L, %L, 'observer') $$,
                                     pg_temp.s(1), tests.get_supabase_uid('stranger')), 'host'), 1::bigint, 'the host invites someone into their session');
select is(tests.would_affect(format($$ insert into public.session_participants (session_id, profile_id) values (%L, %L);
    select 1 from public.session_participants where session_id = %L and profile_id = %L and invitation_status = 'pending'
      and role = 'participant' $$, pg_temp.s(1), tests.get_supabase_uid('p3'), pg_temp.s(1), tests.get_supabase_uid('p3')), 'host'), 1::bigint,
  '... the invitation starts pending, as a participant');
select throws_ok(format($$ select tests.would_affect($q$ insert into public.session_participants (session_id, profile_id, role)
                           values (%L, %L, 'host') $q$, 'host') $$, pg_temp.s(1), tests.get_supabase_uid('stranger')), '42501', null,
  'the host cannot invite someone as host');
select throws_ok(format($$ select tests.would_affect($q$ insert into public.session_participants (session_id, profile_id, invitation_status)
                           values (%L, %L, 'accepted') $q$, 'host') $$, pg_temp.s(1), tests.get_supabase_uid('stranger')), '42501', null,
  'the host cannot accept on the invitee''s behalf');
select throws_ok(format($$ select tests.would_affect(p_as => %L, p_sql => $q$ insert into public.session_participants (session_id, profile_id) values (%L, %L) $q$) $$,
                        w, pg_temp.s(1), tests.get_supabase_uid(t)), '42501', null,
                 'session_participants insert into s1 as ' || w || ' (' || t || '): 42501')
from (values ('part', 'p3'), ('obs', 'p3'), ('invitee', 'p3'), ('declined', 'p3'), ('stranger', 'stranger'), ('anon', 'p3')) v(w, t);
select throws_ok(format($$ select tests.would_affect($q$ insert into public.session_participants (session_id, profile_id) values (%L, %L) $q$, 'host') $$,
                        pg_temp.s(3), tests.get_supabase_uid('host')), '42501', null, 'the host cannot invite themselves into a session they do not host');
select is(tests.would_affect(format($$ insert into public.session_participants (session_id, profile_id, invitation_status)
                                           values (%L, %L, 'accepted') $$, pg_temp.s(1), tests.get_supabase_uid('stranger')), 'service_role'), 1::bigint,
  'session_participants insert as service_role: allowed');

select is(tests.would_affect(format($$ update public.session_participants set invitation_status = %L where id = %s $$,
                                s, pg_temp.pid(w, 1)), w), 1::bigint, w || ' updates their own invitation_status to ' || s)
from (values ('invitee', 'accepted'), ('invitee', 'declined'), ('part', 'declined')) v(w, s);
-- Declining is final until the host invites again (20261123040000_mediation_clients; issue 11 #6).
select throws_ok(format($$ select tests.would_affect($q$ update public.session_participants set invitation_status = 'accepted'
                           where id = %s $q$, 'declined') $$, pg_temp.pid('declined', 1)), '42501', null,
  'declined cannot accept their own invitation again (42501)');
select is(tests.would_affect(format($$ update public.session_participants set perspective_text = 'my view', joined_at = now(),
                                           signed_off_summary = true, sign_off_timestamp = now() where id = %s $$,
                                        pg_temp.pid('invitee', 1)), 'invitee'), 1::bigint,
  'the invitee updates their own perspective_text, joined_at and sign-off fields');
select throws_ok(format($$ select tests.would_affect($q$ update public.session_participants set %s where id = %s $q$, 'invitee') $$,
                        c, pg_temp.pid('invitee', 1)), '42501', null, 'the invitee cannot update their own ' || c)
from unnest(array['role = ''host''', 'role = ''observer''', 'session_id = ''' || pg_temp.s(3) || '''',
                  'profile_id = ''' || tests.get_supabase_uid('stranger') || '''']) c;
select is(tests.would_affect(format($$ update public.session_participants set invitation_status = 'declined' where id = %s $$,
                                pg_temp.pid('part', 1)), w), 0::bigint,
          'session_participants update of Pat''s row as ' || w || ': 0 rows')
from unnest(array['host', 'obs', 'invitee', 'declined', 'stranger']) w;
select is(tests.would_affect(format($$ update public.session_participants set perspective_text = 'host view' where id = %s $$,
                                     pg_temp.pid('host', 1)), 'host'), 1::bigint, 'the host updates their own row''s perspective');
select throws_ok(format($$ select tests.would_affect($q$ update public.session_participants set invitation_status = 'accepted'
                           where id = %s $q$, 'anon') $$, pg_temp.pid('invitee', 1)), '42501', null, 'session_participants update as anon: 42501');
select is(tests.would_affect(format($$ update public.session_participants set role = 'observer' where id = %s $$,
                                        pg_temp.pid('part', 1)), 'service_role'), 1::bigint, 'session_participants update as service_role: allowed');

select is(tests.would_affect(format('delete from public.session_participants where id = %s', pg_temp.pid(t, 1)), w), e,
          'session_participants delete ' || t || '''s row as ' || w || ': ' || e || ' row')
from (values ('host', 'part', 1::bigint), ('host', 'invitee', 1), ('host', 'declined', 1), ('host', 'host', 0),
             ('part', 'part', 0), ('part', 'obs', 0), ('invitee', 'invitee', 0), ('declined', 'part', 0),
             ('stranger', 'part', 0), ('service_role', 'part', 1)) v(w, t, e);
select throws_ok(format($$ select tests.would_affect($q$ delete from public.session_participants where id = %s $q$, 'anon') $$,
                        pg_temp.pid('part', 1)), '42501', null, 'session_participants delete as anon: 42501');
select is(tests.would_affect(format($$ delete from public.session_participants where id = %s;
    select 1 from public.session_messages where content = 'Thanks for having me' and session_participant_id is null
      and profile_id = %L $$, pg_temp.pid('part', 1), tests.get_supabase_uid('part')), 'host'), 1::bigint,
  'removing a participant keeps their messages, without the participant link');


-- The seed's recursive policy, on a scratch copy ---------------------------------------------------
-- The seed's SELECT policy on session_participants asks session_participants whether the caller
-- is in the session: PostgreSQL detects the recursion when it expands the policy (42P17), for
-- every caller. Ours asks the SECURITY DEFINER helpers instead.
create schema seed_scratch;
create table seed_scratch.sessions (like public.sessions);
create table seed_scratch.session_participants (like public.session_participants);
insert into seed_scratch.sessions select * from public.sessions;
insert into seed_scratch.session_participants select * from public.session_participants;
alter table seed_scratch.session_participants enable row level security;
grant usage on schema seed_scratch to authenticated;
grant select on all tables in schema seed_scratch to authenticated;
set local search_path = seed_scratch, extensions;
-- Verbatim from the seed, section 3.2:
CREATE POLICY "Users can view participants of their sessions" ON session_participants
FOR SELECT USING (
  EXISTS (
    SELECT 1 FROM sessions s
    WHERE s.id = session_participants.session_id AND
          (s.host_id = auth.uid() OR
           EXISTS (SELECT 1 FROM session_participants sp_inner
                   WHERE sp_inner.session_id = s.id AND sp_inner.profile_id = auth.uid()))
  )
);
reset search_path;
select throws_ok($$ select tests.row_count('select * from seed_scratch.session_participants', w) from (values ('host')) v(w) $$,
  '42P17', 'infinite recursion detected in policy for relation "session_participants"',
  'the seed''s session_participants policy fails for the host: 42P17 infinite recursion');
select throws_ok($$ select tests.row_count('select * from seed_scratch.session_participants', 'part') $$,
  '42P17', null, '... and for a participant');
select lives_ok($$ select tests.row_count('select * from public.session_participants', 'part') $$,
  'ours (the same rule through convo.my_session_ids()) works');
select results_eq(
  format($$ select tests.row_count('select from public.session_participants where session_id = ''%s''', w) from
            (values ('host'), ('part'), ('stranger')) v(w) $$, pg_temp.s(1)),
  $$ values (5::bigint), (5), (0) $$,
  '... and answers the host and participant with the whole list, a stranger with nothing');
set local client_min_messages = warning;
drop schema seed_scratch cascade;
reset client_min_messages;


-- RLS matrix: session_messages ----------------------------------------------------------------------
select is(tests.row_count(format('select from public.session_messages where session_id = %L', pg_temp.s(1)), w), e,
          'session_messages select s1 as ' || w || ': ' || e || ' rows')
from (values ('host', 2::bigint), ('part', 2), ('obs', 2), ('invitee', 0), ('declined', 0), ('stranger', 0), ('service_role', 2)) v(w, e);
select is(tests.row_count('select from public.session_messages', 'part'), 3::bigint,
  'session_messages: a participant sees the messages of all their sessions (s1 and s2), nothing else');
select throws_ok($$ select tests.row_count('select from public.session_messages', 'anon') $$, '42501', null,
  'session_messages select as anon: 42501');

select is(tests.would_affect(pg_temp.msg(1, pg_temp.pid(w, 1), tests.get_supabase_uid(w), t), w), 1::bigint,
          'session_messages insert as ' || w || ' (' || t || ') in s1 (in progress): allowed')
from (values ('host', 'speech_transcript'), ('host', 'poll_created'), ('part', 'user_typed_message'),
             ('part', 'speech_transcript')) v(w, t);
select throws_ok(format('select tests.would_affect(p_as => %L, p_sql => %L)', w, pg_temp.msg(1, p, a, t)), '42501', null,
                 'session_messages insert refused (42501): ' || d)
from (values
  ('obs', pg_temp.pid('obs', 1), tests.get_supabase_uid('obs'), 'user_typed_message', 'an observer does not post'),
  ('invitee', pg_temp.pid('invitee', 1), tests.get_supabase_uid('invitee'), 'user_typed_message', 'a pending invitee'),
  ('declined', pg_temp.pid('declined', 1), tests.get_supabase_uid('declined'), 'user_typed_message', 'a declined invitee'),
  ('stranger', pg_temp.pid('part', 1), tests.get_supabase_uid('stranger'), 'user_typed_message', 'a stranger (through Pat''s row)'),
  ('stranger', null, tests.get_supabase_uid('stranger'), 'user_typed_message', 'a stranger (no participant row)'),
  -- (a participant who leaves session_participant_id out gets their own row filled in since
  -- 20261123040000_mediation_clients: see 41_mediation_clients.sql)
  ('part', pg_temp.pid('part', 1), tests.get_supabase_uid('host'), 'user_typed_message', 'a participant posting as the host'),
  ('part', pg_temp.pid('host', 1), tests.get_supabase_uid('host'), 'user_typed_message', 'a participant through the host''s row, as the host'),
  ('part', pg_temp.pid('host', 1), tests.get_supabase_uid('part'), 'user_typed_message', 'a participant through the host''s row'),
  ('part', pg_temp.pid('part', 1), tests.get_supabase_uid('part'), 'alex_guidance', 'a participant posting as Alex'),
  ('part', pg_temp.pid('part', 1), tests.get_supabase_uid('part'), 'system', 'a participant posting a system message'),
  ('part', pg_temp.pid('part', 1), tests.get_supabase_uid('part'), 'poll_created', 'a participant creating a poll (host only)'),
  ('part', pg_temp.pid('part', 2), tests.get_supabase_uid('part'), 'user_typed_message', 'a participant posting into s1 through their s2 row'),
  ('anon', pg_temp.pid('part', 1), tests.get_supabase_uid('part'), 'user_typed_message', 'anon')) v(w, p, a, t, d);
select throws_ok(format('select tests.would_affect(p_as => %L, p_sql => %L)', w, pg_temp.msg(2, pg_temp.pid(w, 2), tests.get_supabase_uid(w))), '42501', null,
                 'session_messages insert into s2 (completed) as ' || w || ': 42501')
from unnest(array['host', 'part']) w;
update public.sessions set status = 'completed' where id = pg_temp.s(1);
select throws_ok(format('select tests.would_affect(p_as => %L, p_sql => %L)', w, pg_temp.msg(1, pg_temp.pid(w, 1), tests.get_supabase_uid(w))), '42501', null,
                 'session_messages insert into s1 as ' || w || ' once s1 is completed: 42501')
from unnest(array['host', 'part']) w;
update public.sessions set status = 'scheduled' where id = pg_temp.s(1);
select throws_ok(format('select tests.would_affect(p_as => %L, p_sql => %L)', 'part', pg_temp.msg(1, pg_temp.pid('part', 1), tests.get_supabase_uid('part'))), '42501', null,
                 'session_messages insert into s1 while it is still scheduled: 42501');
update public.sessions set status = 'cancelled' where id = pg_temp.s(1);
select throws_ok(format('select tests.would_affect(p_as => %L, p_sql => %L)', 'part', pg_temp.msg(1, pg_temp.pid('part', 1), tests.get_supabase_uid('part'))), '42501', null,
                 'session_messages insert into s1 once it is cancelled: 42501');
update public.sessions set status = 'in_progress' where id = pg_temp.s(1);
select throws_ok(format($$ select tests.would_affect($q$ insert into public.session_messages (session_id, session_participant_id,
                           profile_id, content, %s) values (%L, %s, %L, 'x', %s) $q$, 'part') $$, c, pg_temp.s(1), pg_temp.pid('part', 1),
                        tests.get_supabase_uid('part'), v), '42501', null, 'a participant cannot set ' || c || ' on insert')
from (values ('is_edited', 'true'), ('"timestamp"', '''2000-01-01'''), ('sentiment_analysis', '''{}''')) x(c, v);
select is(tests.would_affect(pg_temp.msg(1, null, null, 'alex_guidance'), 'service_role'), 1::bigint,
  'session_messages insert as service_role: Alex''s guidance, without participant');

select is(tests.affected($$ update public.session_messages set content = 'Thanks for having me!' where content = 'Thanks for having me' $$, 'part'),
  1::bigint, 'the author edits their message');
select results_eq($$ select content, is_edited from public.session_messages where content like 'Thanks for having me%' $$,
  $$ values ('Thanks for having me!', true) $$, '... is_edited becomes true (trigger)');
select is(tests.would_affect($$ update public.session_messages set content = 'hijacked' where content = 'Thanks for having me!' $$, w), 0::bigint,
          'session_messages update of Pat''s message as ' || w || ': 0 rows')
from unnest(array['host', 'obs', 'invitee', 'declined', 'stranger']) w;
select throws_ok(format($$ select tests.would_affect($q$ update public.session_messages set %s where content = 'Thanks for having me!' $q$, 'part') $$, c),
                 '42501', null, 'the author cannot change ' || split_part(c, ' ', 1))
from unnest(array['profile_id = ''' || tests.get_supabase_uid('host') || '''', 'session_id = ''' || pg_temp.s(3) || '''',
                  'is_edited = false', 'message_type = ''alex_guidance''']) c;
select throws_ok($$ select tests.would_affect($q$ update public.session_messages set content = 'x' $q$, 'anon') $$, '42501', null,
  'session_messages update as anon: 42501');
select is(tests.would_affect(format($$ update public.session_messages set content = 'x' where id in
    (select id from public.session_messages where profile_id = %L) $$, tests.get_supabase_uid('declined')), 'declined'), 0::bigint,
  'a declined invitee has no message to edit');
update public.session_messages set sentiment_analysis = '{"score": 0.9}' where content = 'Welcome, both of you';
select is((select is_edited from public.session_messages where content = 'Welcome, both of you'), false,
  'the backend writing sentiment_analysis does not mark a message edited');
select is(tests.would_affect(format($$ update public.session_participants set invitation_status = 'declined' where id = %s;
    update public.session_messages set content = 'after leaving' where content = 'Thanks for having me!' $$, pg_temp.pid('part', 1)), 'part'),
  0::bigint, 'an author who left the session can no longer edit');

select throws_ok(format($$ select tests.would_affect(p_as => %L, p_sql => $q$ delete from public.session_messages where session_id = %L $q$) $$, w, pg_temp.s(1)),
                 '42501', null, 'session_messages delete as ' || w || ': 42501')
from unnest(array['host', 'part', 'stranger', 'anon']) w;
select is(tests.would_affect(format('delete from public.session_messages where session_id = %L', pg_temp.s(1)), 'service_role'), 2::bigint,
  'session_messages delete as service_role: allowed');


-- RLS matrix: session_files -------------------------------------------------------------------------
create function pg_temp.file(p_n int, p_uploader uuid) returns text language sql stable as $$
  select format('insert into public.session_files (session_id, uploader_profile_id, file_name, storage_path) values (%L, %L, %L, %L)',
                pg_temp.s(p_n), p_uploader, 'perspective.pdf', p_uploader || '/' || pg_temp.s(p_n) || '/perspective.pdf')
$$;
select is(tests.row_count(format('select from public.session_files where session_id = %L', pg_temp.s(1)), w), e,
          'session_files select s1 as ' || w || ': ' || e || ' row')
from (values ('host', 1::bigint), ('part', 1), ('obs', 1), ('invitee', 0), ('declined', 0), ('stranger', 0), ('service_role', 1)) v(w, e);
select throws_ok($$ select tests.row_count('select from public.session_files', 'anon') $$, '42501', null, 'session_files select as anon: 42501');

select is(tests.would_affect(pg_temp.file(n, tests.get_supabase_uid(w)), w), 1::bigint, 'session_files insert as ' || w || ' into s' || n || ': allowed (' || d || ')')
from (values ('host', 1, 'the host'), ('host', 2, 'the host, whatever the type'),
             ('part', 1, 'a participant, mediated_discussion allows it'),
             ('stranger', 3, 'the host of s3')) v(w, n, d);
select throws_ok(format('select tests.would_affect(p_as => %L, p_sql => %L)', w, pg_temp.file(n, tests.get_supabase_uid(u))), '42501', null,
                 'session_files insert refused (42501): ' || d)
from (values ('part', 2, 'part', 'a participant, private_coaching does not allow it'),
             ('obs', 1, 'obs', 'an observer'), ('invitee', 1, 'invitee', 'a pending invitee'),
             ('declined', 1, 'declined', 'a declined invitee'), ('stranger', 1, 'stranger', 'a stranger'),
             ('part', 1, 'host', 'a participant uploading as the host'),
             ('anon', 1, 'part', 'anon')) v(w, n, u, d);
select throws_ok(format($$ select tests.would_affect($q$ insert into public.session_files (session_id, uploader_profile_id, file_name,
                           storage_path, ipfs_cid) values (%L, %L, 'f', %L, 'bafy') $q$, 'host') $$, pg_temp.s(1), tests.get_supabase_uid('host'),
                           tests.get_supabase_uid('host') || '/' || pg_temp.s(1) || '/f'),
  '42501', null, 'the IPFS CID is the backend''s to set');
select results_eq($$ select t, convo.session_type_allows_participant_uploads(t) from
                     (values ('mediated_discussion'), ('problem_solving'), ('private_coaching'), (null)) v(t) $$,
  $$ values ('mediated_discussion', true), ('problem_solving', true), ('private_coaching', false), (null, false) $$,
  'participant uploads: mediated_discussion and problem_solving only; other or no type: host only');
select is(tests.would_affect(pg_temp.file(2, tests.get_supabase_uid('part')), 'service_role'), 1::bigint, 'session_files insert as service_role: allowed');

select throws_ok(format($$ select tests.would_affect(p_as => %L, p_sql => $q$ update public.session_files set description = 'x' where session_id = %L $q$) $$,
                        w, pg_temp.s(1)), '42501', null, 'session_files update as ' || w || ': 42501')
from unnest(array['host', 'part', 'anon']) w;
select is(tests.would_affect(format($$ update public.session_files set ipfs_cid = 'bafy1' where session_id = %L $$, pg_temp.s(1)), 'service_role'),
  1::bigint, 'session_files update as service_role: allowed');

select is(tests.would_affect(format('delete from public.session_files where session_id = %L', pg_temp.s(1)), w), e,
          'session_files delete in s1 as ' || w || ': ' || e || ' row')
from (values ('host', 1::bigint), ('part', 0), ('obs', 0), ('invitee', 0), ('declined', 0), ('stranger', 0), ('service_role', 1)) v(w, e);
select throws_ok(format($$ select tests.would_affect($q$ delete from public.session_files where session_id = %L $q$, 'anon') $$, pg_temp.s(1)),
  '42501', null, 'session_files delete as anon: 42501');


-- RLS matrix: growth_insights and achievements ------------------------------------------------------
select is(tests.row_count(format('select from public.%I where profile_id = %L', t, tests.get_supabase_uid('part')), w), e,
          t || ': Pat''s rows as ' || w || ': ' || e)
from unnest(array['growth_insights', 'achievements']) t,
     (values ('part', 1::bigint), ('host', 0), ('obs', 0), ('stranger', 0), ('service_role', 1)) v(w, e);
select is(tests.row_count(format('select from public.%I', t), 'host'), 1::bigint, t || ': the host sees only their own row')
from unnest(array['growth_insights', 'achievements']) t;
select throws_ok(format($$ select tests.row_count('select from public.%I', 'anon') $$, t), '42501', null, t || ' select as anon: 42501')
from unnest(array['growth_insights', 'achievements']) t;
select is(tests.would_affect(format('update public.%I set viewed_at = now() where profile_id = %L', t, tests.get_supabase_uid('part')), w), e,
          t || ': marking Pat''s row viewed as ' || w || ': ' || e)
from unnest(array['growth_insights', 'achievements']) t,
     (values ('part', 1::bigint), ('host', 0), ('stranger', 0), ('service_role', 1)) v(w, e);
select throws_ok(format($$ select tests.would_affect($q$ update public.%I set %s where profile_id = %L $q$, 'part') $$, t, c, tests.get_supabase_uid('part')),
                 '42501', null, t || ': the owner cannot change ' || split_part(c, ' ', 1))
from (values ('growth_insights', 'insight_data = ''{}'''), ('growth_insights', 'profile_id = ''' || tests.get_supabase_uid('host') || ''''),
             ('achievements', 'badge_id = ''gold'''), ('achievements', 'details = ''{}''')) v(t, c);
select throws_ok(format($$ select tests.would_affect($q$ update public.%I set viewed_at = now() $q$, 'anon') $$, t), '42501', null,
                 t || ' update as anon: 42501')
from unnest(array['growth_insights', 'achievements']) t;
select throws_ok(format($$ select tests.would_affect(p_as => %L, p_sql => $q$ insert into public.growth_insights (profile_id, insight_type, insight_data)
                           values (%L, 'clarity_score', '{}') $q$) $$, w, tests.get_supabase_uid('part')), '42501', null,
                 'growth_insights insert as ' || w || ': 42501')
from unnest(array['part', 'host', 'anon']) w;
select throws_ok(format($$ select tests.would_affect(p_as => %L, p_sql => $q$ insert into public.achievements (profile_id, badge_id) values (%L, 'gold') $q$) $$,
                        w, tests.get_supabase_uid('part')), '42501', null, 'achievements insert as ' || w || ': 42501')
from unnest(array['part', 'host', 'anon']) w;
select is(tests.would_affect(format($$ insert into public.growth_insights (profile_id, insight_type, insight_data)
                                           values (%L, 'clarity_score', '{}');
                                           insert into public.achievements (profile_id, badge_id) values (%L, 'gold') $$,
                                        tests.get_supabase_uid('part'), tests.get_supabase_uid('part')), 'service_role'), 1::bigint,
  'growth_insights and achievements insert as service_role: allowed');
select throws_ok(format($$ select tests.would_affect(p_as => %L, p_sql => $q$ delete from public.%I where profile_id = %L $q$) $$, w, t, tests.get_supabase_uid('part')),
                 '42501', null, t || ' delete as ' || w || ': 42501')
from unnest(array['growth_insights', 'achievements']) t, unnest(array['part', 'anon']) w;
select is(tests.would_affect(format('delete from public.%I where profile_id = %L', t, tests.get_supabase_uid('part')), 'service_role'), 1::bigint,
          t || ' delete as service_role: allowed')
from unnest(array['growth_insights', 'achievements']) t;


-- RLS matrix: session_evaluations -------------------------------------------------------------------
create function pg_temp.eval(p_n int, p_evaluator uuid, p_share boolean default true) returns text language sql stable as $$
  select format('insert into public.session_evaluations (session_id, evaluator_profile_id, rating_overall_satisfaction,
                 share_with_host) values (%L, %L, 4, %L)', pg_temp.s(p_n), p_evaluator, p_share)
$$;
select is(tests.row_count(format('select from public.session_evaluations where session_id = %L', pg_temp.s(2)), w), e,
          'session_evaluations select s2 as ' || w || ': ' || e || ' row(s)')
from (values ('part', 1::bigint), ('p3', 1), ('p4', 0), ('host', 0), ('stranger', 0), ('service_role', 3)) v(w, e);
select is(tests.value_of('select evaluator_profile_id::text from public.session_evaluations', 'part'), tests.get_supabase_uid('part')::text,
  'session_evaluations: an evaluator sees only their own');
select throws_ok($$ select tests.row_count('select from public.session_evaluations', 'anon') $$, '42501', null,
  'session_evaluations select as anon: 42501');
select is(tests.would_affect(pg_temp.eval(1, tests.get_supabase_uid(w)), w), 1::bigint, 'session_evaluations insert into s1 as ' || w || ': allowed')
from unnest(array['part', 'obs']) w;
select throws_ok(format('select tests.would_affect(p_as => %L, p_sql => %L)', w, pg_temp.eval(1, tests.get_supabase_uid(u))), c, null,
                 'session_evaluations insert refused (' || c || '): ' || d)
from (values ('host', 'host', '42501', 'the host does not evaluate their own session'),
             ('invitee', 'invitee', '42501', 'a pending invitee'), ('declined', 'declined', '42501', 'a declined invitee'),
             ('stranger', 'stranger', '42501', 'a stranger'), ('part', 'obs', '42501', 'a participant for someone else'),
             ('anon', 'part', '42501', 'anon')) v(w, u, c, d);
select throws_ok(format('select tests.would_affect(p_as => %L, p_sql => %L)', 'part', pg_temp.eval(2, tests.get_supabase_uid('part'))), '23505', null,
  'session_evaluations: once per session (a second one is a unique violation, HTTP 409)');
select throws_ok(format($$ select tests.would_affect(p_as => %L, p_sql => $q$ update public.session_evaluations set rating_overall_satisfaction = 1
                           where evaluator_profile_id = %L $q$) $$, w, tests.get_supabase_uid('part')), '42501', null,
                 'session_evaluations update as ' || w || ': 42501')
from unnest(array['part', 'host', 'anon']) w;
select throws_ok(format($$ select tests.would_affect(p_as => %L, p_sql => $q$ delete from public.session_evaluations where evaluator_profile_id = %L $q$) $$,
                        w, tests.get_supabase_uid('part')), '42501', null, 'session_evaluations delete as ' || w || ': 42501')
from unnest(array['part', 'host', 'anon']) w;
select is(tests.would_affect(pg_temp.eval(1, tests.get_supabase_uid('part')), 'service_role'), 1::bigint, 'session_evaluations insert as service_role: allowed');


-- session_feedback_summary: the host's anonymised view -------------------------------------------------
select is(tests.value_of(format($$ select public.session_feedback_summary(%L)::text $$, pg_temp.s(2)), 'host')::jsonb,
  jsonb_build_object('session_id', pg_temp.s(2), 'min_shared', 3, 'shared_count', 2, 'revealed', false,
    'avg_overall_satisfaction', null, 'avg_clarity_goals', null, 'avg_fairness_balance', null, 'avg_alex_helpfulness', null,
    'feedback_worked_well', null, 'feedback_could_improve', null, 'feedback_alex_specific', null),
  'two evaluations shared: nothing is revealed, only the count');
-- Rae shares the third one.
select is(tests.affected(format($$ insert into public.session_evaluations (session_id, evaluator_profile_id,
  rating_overall_satisfaction, rating_clarity_goals, rating_fairness_balance, rating_alex_helpfulness,
  feedback_worked_well, feedback_could_improve, share_with_host)
  values (%L, %L, 3, 2, 4, 5, 'Clear rules', 'Agenda earlier', true) $$, pg_temp.s(2), tests.get_supabase_uid('p4')), 'p4'), 1::bigint,
  'a third participant shares their evaluation');
select is(tests.value_of(format($$ select public.session_feedback_summary(%L)::text $$, pg_temp.s(2)), 'host')::jsonb,
  jsonb_build_object('session_id', pg_temp.s(2), 'min_shared', 3, 'shared_count', 3, 'revealed', true,
    'avg_overall_satisfaction', 4.00, 'avg_clarity_goals', 3.33, 'avg_fairness_balance', 4.00, 'avg_alex_helpfulness', null,
    'feedback_worked_well', jsonb_build_array('Alex kept us on track', 'Clear rules', 'Zero interruptions'),
    'feedback_could_improve', jsonb_build_array('Agenda earlier', 'More time'),
    'feedback_alex_specific', jsonb_build_array('Alex spoke too fast')),
  'three shared: the averages and the texts (sorted, blanks dropped); Uma''s unshared evaluation is not in it; '
  'alex_helpfulness, rated by only two of them, stays null');
select is(tests.row_count(format('select from public.session_evaluations where session_id = %L', pg_temp.s(2)), 'host'), 0::bigint,
  '... and the host still sees no individual evaluation');
select throws_ok(format($$ select tests.value_of(p_as => %L, p_sql => $q$ select public.session_feedback_summary(%L)::text $q$) $$, w, pg_temp.s(2)),
                 '42501', null, 'session_feedback_summary as ' || w || ': 42501')
from unnest(array['part', 'p4', 'stranger', 'anon']) w;
-- Since 20261123040000_mediation_clients: an unknown session gets the same answer as someone else's
-- (no existence oracle), and the service role names the host it acts for (p_user_id, required).
select throws_ok(format($$ select tests.value_of($q$ select public.session_feedback_summary(%L)::text $q$, 'host') $$, gen_random_uuid()),
  '42501', 'only the host of a session can read its feedback summary',
  'session_feedback_summary of an unknown session: 42501, the same answer as for someone else''s');
select throws_ok(format($$ select tests.value_of($q$ select public.session_feedback_summary(%L)::text $q$, 'service_role') $$, pg_temp.s(2)),
  '22023', null, 'session_feedback_summary as service_role without p_user_id: 22023');
select throws_ok($$ select tests.value_of('select public.session_feedback_summary(null)::text', 'host') $$,
  '22023', null, 'session_feedback_summary(null): 22023');
select is_definer('convo', 'session_feedback_summary', array['uuid', 'uuid']::name[], 'the worker is SECURITY DEFINER');
select isnt_definer('public', 'session_feedback_summary', array['uuid', 'uuid']::name[], 'the public wrapper runs as the caller');
select ok(not has_function_privilege('anon', 'public.session_feedback_summary(uuid, uuid)', 'execute')
          and has_function_privilege('authenticated', 'public.session_feedback_summary(uuid, uuid)', 'execute')
          and has_function_privilege('service_role', 'public.session_feedback_summary(uuid, uuid)', 'execute')
          and not has_function_privilege('anon', 'convo.session_feedback_summary(uuid, uuid)', 'execute'),
  'session_feedback_summary: executable by authenticated and service_role, not anon');
select isnt(obj_description('public.session_feedback_summary(uuid, uuid)'::regprocedure, 'pg_proc'), null,
  'session_feedback_summary has a COMMENT (its OpenAPI description)');


-- Profiles: own row, and peers' public cards only ------------------------------------------------------
select is(tests.row_count(format('select from public.profiles where id = %L', tests.get_supabase_uid('host')), 'part'), 0::bigint,
  'profiles: a participant still cannot select the host''s profile row (email, personality stay private)');
select is(tests.row_count('select from public.profiles', 'part'), 1::bigint, 'profiles: a user selects only their own row');
select columns_are('public', 'profile_cards', array['id', 'full_name', 'avatar_url'], 'profile_cards has only the public fields');
select is(tests.value_of('select string_agg(id::text, '','') from public.profile_cards', 'part'), tests.get_supabase_uid('part')::text,
  'profile_cards read directly: only your own card');
select is(tests.value_of(format($$ select string_agg(c.full_name, ', ' order by m."timestamp") from public.session_messages m
                                   left join lateral public.profiles(m) c on true where m.session_id = %L $$, pg_temp.s(1)), w),
          'Hana Host, Pat Participant', 'the profiles(session_messages) embed as ' || w || ': both authors'' names')
from unnest(array['host', 'part', 'obs']) w;
select is(tests.value_of(format($$ select to_jsonb(c)::text from public.session_messages m, public.profiles(m) c
                                        where m.content = 'Welcome, both of you' $$), 'part')::jsonb,
  jsonb_build_object('id', tests.get_supabase_uid('host'), 'full_name', 'Hana Host', 'avatar_url', 'https://cdn.example/hana.png'),
  'the embed gives exactly id, full_name and avatar_url');
-- A fabricated row cannot fish for cards: the helper answers only about peers.
select is(tests.row_count(format($$ select from public.profiles(row(1, %L, null, %L, now(), 'system', 'x', null, false, 1)::public.session_messages) $$,
                              pg_temp.s(3), tests.get_supabase_uid(t)), w), e,
          'profiles(<fabricated message by ' || t || '>) as ' || w || ': ' || e || ' card')
from (values ('part', 'host', 1::bigint), ('part', 'stranger', 0), ('part', 'invitee', 0), ('part', 'declined', 0),
             ('invitee', 'host', 0), ('declined', 'host', 0), ('stranger', 'host', 0), ('stranger', 'stranger', 1),
             ('service_role', 'stranger', 1)) v(w, t, e);
-- The card rule is convo.my_session_peer_ids() (plus yourself), for everyone.
create function pg_temp.everyone() returns uuid[] language sql stable as $$
  select array_agg(tests.get_supabase_uid(x)) from unnest(array['host', 'part', 'obs', 'invitee', 'declined', 'stranger', 'p3', 'p4', 'p5']) x
$$;
select set_eq(
  format($$ select tests.value_of(p_as => %L, p_sql => 'select coalesce(array_agg(p.id order by p.id), ''{}'')::text
             from unnest(pg_temp.everyone()) u cross join lateral convo.peer_profile_card(u) p') $$, w),
  format($$ select tests.value_of(p_as => %L, p_sql => 'select coalesce(array_agg(x order by x), ''{}'')::text from convo.my_session_peer_ids() x') $$, w),
  'peer_profile_card answers exactly for convo.my_session_peer_ids() as ' || w)
from unnest(array['host', 'part', 'obs', 'invitee', 'declined', 'stranger', 'p5']) w;
select is(tests.row_count(format('select from public.session_participants sp, public.profiles(sp) c where sp.session_id = %L', pg_temp.s(1)), 'part'),
  3::bigint, 'the participant list''s profiles embed: cards of the accepted (host, Pat, Olga), not of Ivy and Dan');
select ok(not has_function_privilege('anon', f, 'execute') and has_function_privilege('authenticated', f, 'execute'), f || ': not for anon')
from unnest(array['public.profiles(public.session_messages)', 'public.profiles(public.session_participants)']) f;
select ok(has_function_privilege('authenticated', 'convo.peer_profile_card(uuid)', 'execute')
          and not has_function_privilege('anon', 'convo.peer_profile_card(uuid)', 'execute'),
  'convo.peer_profile_card: authenticated, not anon');
select ok(not has_table_privilege('anon', 'public.profile_cards', 'select'), 'profile_cards: not for anon');

select * from finish();
rollback;
