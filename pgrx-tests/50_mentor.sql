-- Mentor video sessions (issue 7): the schema of migration 20261122050000_mentor — eight tables,
-- their constraints and triggers, RLS for every role and action, and the RPCs get_mentor_context,
-- start_mentor_session, end_mentor_session and record_mentor_webhook with their refusals.
begin;
select plan(275);


-- Fixtures (as postgres) -------------------------------------------------------------------------
-- owner and other: a row in every table; blank: a profile and nothing else; orphan: no profile.
select tests.create_supabase_user('owner', 'olive@mentor.test', metadata => jsonb_build_object('full_name', 'Olive Owner'));
select tests.create_supabase_user('other', 'oscar@mentor.test', metadata => jsonb_build_object('full_name', 'Oscar Other'));
select tests.create_supabase_user('blank', 'bea@mentor.test', metadata => jsonb_build_object('full_name', 'Bea Blank'));
select tests.create_supabase_user('orphan', 'nora@mentor.test', metadata => jsonb_build_object('full_name', 'Nora Noprofile'));
delete from public.profiles where id = tests.get_supabase_uid('orphan');

insert into public.mentor_avatars (id, name, provider_replica_id, provider_persona_id, is_active, sort_order) values
  ('a1000000-0000-4000-8000-000000000001', 'Sage', 'r-sage', 'p-sage', true, 1),
  ('a1000000-0000-4000-8000-000000000002', 'Retired', 'r-retired', null, false, 2);

insert into public.user_personas (id, user_id, avatar_id, name, communication_style, is_default) values
  ('b1000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'a1000000-0000-4000-8000-000000000001', 'Coach Sage', 'warm', true),
  ('b1000000-0000-4000-8000-000000000002', tests.get_supabase_uid('owner'), 'a1000000-0000-4000-8000-000000000001', 'Stern Sage', 'direct', false),
  ('b1000000-0000-4000-8000-000000000003', tests.get_supabase_uid('other'), 'a1000000-0000-4000-8000-000000000001', 'Oscar''s Sage', null, true);

insert into public.onboarding_profiles (user_id, disc_type, disc_scores, enneagram_type, enneagram_wing, focus_areas, completed_at) values
  (tests.get_supabase_uid('owner'), 'DI', '{"D": 70, "I": 55, "S": 30, "C": 40}', 3, 2, '{confidence,focus}', now()),
  (tests.get_supabase_uid('other'), 'S', null, 9, 1, '{calm}', null);

insert into public.ritual_preferences (user_id, preferred_time, timezone, session_days, session_duration_minutes) values
  (tests.get_supabase_uid('owner'), '07:30', 'Pacific/Kiritimati', '{1,3,5}', 20),
  (tests.get_supabase_uid('other'), '21:00', 'Europe/Berlin', '{1,2,3,4,5,6,7}', 10);

insert into public.user_emotional_categories (id, user_id, category, priority) values
  ('e1000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'self-worth', 2),
  ('e1000000-0000-4000-8000-000000000002', tests.get_supabase_uid('owner'), 'anxiety', 1),
  ('e1000000-0000-4000-8000-000000000003', tests.get_supabase_uid('owner'), 'anger', 2),
  ('e1000000-0000-4000-8000-000000000004', tests.get_supabase_uid('other'), 'grief', 1);

insert into public.user_goals (id, user_id, title, status, target_date, created_at) values
  ('f1000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'Meditate daily', 'active', null, now() - interval '3 days'),
  ('f1000000-0000-4000-8000-000000000002', tests.get_supabase_uid('owner'), 'Run 10k', 'active', current_date + 30, now() - interval '2 days'),
  ('f1000000-0000-4000-8000-000000000003', tests.get_supabase_uid('owner'), 'Read a book', 'achieved', current_date - 1, now() - interval '1 day'),
  ('f1000000-0000-4000-8000-000000000004', tests.get_supabase_uid('owner'), 'Learn Latin', 'archived', null, now()),
  ('f1000000-0000-4000-8000-000000000005', tests.get_supabase_uid('other'), 'Sleep early', 'active', current_date + 7, now());

insert into public.mentor_conversations (id, user_id, persona_id, provider_conversation_id, status, start_time, end_time, duration_seconds) values
  ('c1000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'b1000000-0000-4000-8000-000000000001', 'tavus-owner-1', 'completed',
   now() - interval '1 day', now() - interval '1 day' + interval '600 seconds', 600),
  ('c1000000-0000-4000-8000-000000000002', tests.get_supabase_uid('other'), 'b1000000-0000-4000-8000-000000000003', 'tavus-other-1', 'active',
   now() - interval '5 minutes', null, null);
insert into public.daily_sessions (id, user_id, mentor_conversation_id, session_date, status, duration_seconds, completed_at) values
  ('d1000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'c1000000-0000-4000-8000-000000000001', current_date - 1, 'completed', 600,
   now() - interval '1 day' + interval '600 seconds'),
  ('d1000000-0000-4000-8000-000000000002', tests.get_supabase_uid('other'), 'c1000000-0000-4000-8000-000000000002', current_date, 'active', null, null);


-- Schema -------------------------------------------------------------------------------------
select has_table('public', t, 'table public.' || t || ' exists')
from unnest(array['user_personas', 'mentor_avatars', 'onboarding_profiles', 'ritual_preferences',
                  'user_emotional_categories', 'user_goals', 'mentor_conversations', 'daily_sessions']::name[]) t;

select columns_are('public', 'mentor_avatars', array['id', 'name', 'description', 'provider_replica_id',
  'provider_persona_id', 'image_url', 'preview_video_url', 'is_active', 'sort_order', 'metadata', 'created_at',
  'updated_at']::name[], 'mentor_avatars has exactly its columns');
select columns_are('public', 'user_personas', array['id', 'user_id', 'avatar_id', 'name', 'communication_style',
  'custom_instructions', 'is_default', 'created_at', 'updated_at']::name[], 'user_personas has exactly its columns');
select columns_are('public', 'onboarding_profiles', array['user_id', 'disc_type', 'disc_scores', 'enneagram_type',
  'enneagram_wing', 'focus_areas', 'personality_insights', 'completed_at', 'created_at', 'updated_at']::name[],
  'onboarding_profiles has exactly its columns');
select columns_are('public', 'ritual_preferences', array['user_id', 'preferred_time', 'timezone', 'session_days',
  'session_duration_minutes', 'reminders_enabled', 'preferences', 'created_at', 'updated_at']::name[],
  'ritual_preferences has exactly its columns');
select columns_are('public', 'user_emotional_categories', array['id', 'user_id', 'category', 'priority', 'description',
  'created_at', 'updated_at']::name[], 'user_emotional_categories has exactly its columns');
select columns_are('public', 'user_goals', array['id', 'user_id', 'title', 'description', 'category', 'status',
  'target_date', 'achieved_at', 'created_at', 'updated_at']::name[], 'user_goals has exactly its columns');
select columns_are('public', 'mentor_conversations', array['id', 'user_id', 'persona_id', 'provider_conversation_id',
  'status', 'start_time', 'end_time', 'duration_seconds', 'recording_url', 'transcript', 'metadata', 'created_at',
  'updated_at']::name[], 'mentor_conversations has exactly its columns');
select columns_are('public', 'daily_sessions', array['id', 'user_id', 'mentor_conversation_id', 'session_date', 'status',
  'duration_seconds', 'completed_at', 'transcript_data', 'summary_data', 'created_at', 'updated_at']::name[],
  'daily_sessions has exactly its columns');

select col_is_pk('public', 'onboarding_profiles', 'user_id', 'onboarding_profiles: primary key user_id (one per user, upsert in place)');
select col_is_pk('public', 'ritual_preferences', 'user_id', 'ritual_preferences: primary key user_id (one per user, upsert in place)');
-- per user since 20261123050000_mentor_hardening (no existence oracle for other users' ids)
select col_is_unique('public', 'mentor_conversations', array['provider_conversation_id', 'user_id'], 'mentor_conversations: provider_conversation_id is unique per user');
select col_is_unique('public', 'daily_sessions', array['mentor_conversation_id'], 'daily_sessions: one per mentor conversation');
select col_is_unique('public', 'user_emotional_categories', array['user_id', 'category'], 'user_emotional_categories: unique (user_id, category)');
select col_is_unique('public', 'mentor_avatars', array['provider_replica_id'], 'mentor_avatars: provider_replica_id is unique');

select results_eq(
  $$ select conname::text collate "default", confrelid::regclass::text, confdeltype::text from pg_constraint
     where contype = 'f' and conrelid in ('public.user_personas'::regclass, 'public.mentor_avatars'::regclass,
       'public.onboarding_profiles'::regclass, 'public.ritual_preferences'::regclass,
       'public.user_emotional_categories'::regclass, 'public.user_goals'::regclass,
       'public.mentor_conversations'::regclass, 'public.daily_sessions'::regclass)
     order by conname $$,
  $$ values ('daily_sessions_mentor_conversation_id_fkey', 'mentor_conversations', 'c'),
            ('daily_sessions_user_id_fkey', 'profiles', 'c'),
            ('mentor_conversations_persona_id_fkey', 'user_personas', 'n'),
            ('mentor_conversations_user_id_fkey', 'profiles', 'c'),
            ('onboarding_profiles_user_id_fkey', 'profiles', 'c'),
            ('ritual_preferences_user_id_fkey', 'profiles', 'c'),
            ('user_emotional_categories_user_id_fkey', 'profiles', 'c'),
            ('user_goals_user_id_fkey', 'profiles', 'c'),
            ('user_personas_avatar_id_fkey', 'mentor_avatars', 'r'),
            ('user_personas_user_id_fkey', 'profiles', 'c') $$,
  'foreign keys are named; user-owned rows cascade from profiles, a deleted persona is unlinked, a used avatar is protected');

select is_empty($$
  select c.conrelid::regclass || '.' || c.conname from pg_constraint c
  where c.contype = 'f' and c.conrelid in ('public.user_personas'::regclass, 'public.onboarding_profiles'::regclass,
    'public.ritual_preferences'::regclass, 'public.user_emotional_categories'::regclass, 'public.user_goals'::regclass,
    'public.mentor_conversations'::regclass, 'public.daily_sessions'::regclass)
    and not exists (select from pg_index i where i.indrelid = c.conrelid
                    and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] = c.conkey) $$,
  'every foreign key of the mentor tables has an index that starts with its columns');

select is_empty($$
  select t from unnest(array['user_personas', 'mentor_avatars', 'onboarding_profiles', 'ritual_preferences',
    'user_emotional_categories', 'user_goals', 'mentor_conversations', 'daily_sessions']) t
  where obj_description(('public.' || t)::regclass, 'pg_class') is null $$,
  'every mentor table has a comment (PostgREST''s OpenAPI description)');

select results_eq(
  $$ select conrelid::regclass::text, conname::text collate "default" from pg_constraint
     where contype = 'c' and conname like '%status%check' and conrelid in ('public.user_goals'::regclass,
       'public.mentor_conversations'::regclass, 'public.daily_sessions'::regclass)
       and conname not like '%status_end%'
     order by 1, 2 $$,
  $$ values ('daily_sessions', 'daily_sessions_status_check'), ('mentor_conversations', 'mentor_conversations_status_check'),
            ('user_goals', 'user_goals_status_check') $$,
  'every status column has a CHECK constraint');

-- RLS and policies ----------------------------------------------------------------------------
select is(array_agg(c.relname::text order by c.relname) filter (where not c.relrowsecurity), null,
          'RLS is enabled on every mentor table')
from pg_class c
where c.oid in ('public.user_personas'::regclass, 'public.mentor_avatars'::regclass, 'public.onboarding_profiles'::regclass,
                'public.ritual_preferences'::regclass, 'public.user_emotional_categories'::regclass,
                'public.user_goals'::regclass, 'public.mentor_conversations'::regclass, 'public.daily_sessions'::regclass);
select policies_are('public', t, array['Users can view their own ' || n, 'Users can create their own ' || n,
                                        'Users can update their own ' || n, 'Users can delete their own ' || n],
                    t || ': one policy per action, own rows')
from (values ('user_personas', 'personas'), ('onboarding_profiles', 'onboarding profile'),
             ('ritual_preferences', 'ritual preferences'), ('user_emotional_categories', 'emotional categories'),
             ('user_goals', 'goals')) v(t, n);
select policies_are('public', 'mentor_avatars', array['Signed-in users can view mentor avatars'],
  'mentor_avatars: a read policy only (writes: service_role)');
select policies_are('public', 'mentor_conversations', array['Users can view their own mentor conversations'],
  'mentor_conversations: a read policy only (writes: the RPCs and service_role)');
select policies_are('public', 'daily_sessions', array['Users can view their own daily sessions'],
  'daily_sessions: a read policy only (writes: the RPCs and service_role)');
select is_empty($$ select tablename, policyname from pg_policies where schemaname = 'public'
                   and tablename in ('user_personas', 'mentor_avatars', 'onboarding_profiles', 'ritual_preferences',
                                     'user_emotional_categories', 'user_goals', 'mentor_conversations', 'daily_sessions')
                   and (roles <> '{authenticated}' or permissive <> 'PERMISSIVE' or cmd = 'ALL') $$,
  'every mentor policy is a permissive single-action policy to authenticated only');
select is_empty($$ select tablename, cmd from pg_policies where schemaname = 'public'
                   group by tablename, cmd, roles having count(*) > 1 $$,
  'no two permissive policies for the same table, role and action');
select is_empty($$ select t, r, p from unnest(array['mentor_avatars', 'mentor_conversations', 'daily_sessions']) t,
                   unnest(array['anon', 'authenticated']) r, unnest(array['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p
                   where has_table_privilege(r, 'public.' || t, p) $$,
  'anon and authenticated have no write privilege on mentor_avatars, mentor_conversations, daily_sessions');
select ok(has_table_privilege('authenticated', 'public.mentor_conversations', 'SELECT')
          and has_table_privilege('service_role', 'public.mentor_conversations', 'INSERT, UPDATE, DELETE')
          and has_table_privilege('service_role', 'public.daily_sessions', 'INSERT, UPDATE, DELETE')
          and has_table_privilege('service_role', 'public.mentor_avatars', 'INSERT, UPDATE, DELETE'),
          '... while users keep SELECT and service_role keeps every write');


-- Constraints and triggers ------------------------------------------------------------------------
select throws_ok($$ insert into public.user_goals (user_id, title, status) values (tests.get_supabase_uid('owner'), 'x', 'done') $$,
  '23514', null, 'user_goals: a status other than active/achieved/archived is refused');
select throws_ok($$ insert into public.user_goals (user_id, title) values (tests.get_supabase_uid('owner'), '  ') $$,
  '23514', null, 'user_goals: a blank title is refused');
select throws_ok($$ update public.mentor_conversations set status = 'paused' where id = 'c1000000-0000-4000-8000-000000000002' $$,
  '23514', null, 'mentor_conversations: a status other than active/completed/failed is refused');
select throws_ok($$ update public.daily_sessions set status = 'paused' where id = 'd1000000-0000-4000-8000-000000000002' $$,
  '23514', null, 'daily_sessions: a status other than active/completed/failed is refused');
select throws_ok($$ update public.mentor_conversations set duration_seconds = -1, end_time = start_time
                    where id = 'c1000000-0000-4000-8000-000000000001' $$,
  '23514', null, 'mentor_conversations: a negative duration is refused');
select throws_ok($$ update public.daily_sessions set duration_seconds = -1 where id = 'd1000000-0000-4000-8000-000000000001' $$,
  '23514', null, 'daily_sessions: a negative duration is refused');
select throws_ok($$ update public.mentor_conversations set end_time = start_time - interval '1 second'
                    where id = 'c1000000-0000-4000-8000-000000000001' $$,
  '23514', null, 'mentor_conversations: end_time before start_time is refused');
select throws_ok($$ update public.mentor_conversations set status = 'completed' where id = 'c1000000-0000-4000-8000-000000000002' $$,
  '23514', null, 'mentor_conversations: completed without end_time is refused');
select throws_ok($$ update public.mentor_conversations set end_time = now() where id = 'c1000000-0000-4000-8000-000000000002' $$,
  '23514', null, 'mentor_conversations: end_time without duration (or an active one with an end) is refused');
select throws_ok($$ insert into public.mentor_conversations (user_id, provider_conversation_id) values (tests.get_supabase_uid('owner'), 'tavus-owner-1') $$,
  '23505', null, 'mentor_conversations: a provider conversation id is recorded once');
select throws_ok($$ insert into public.mentor_conversations (user_id, provider_conversation_id) values (tests.get_supabase_uid('owner'), ' ') $$,
  '23514', null, 'mentor_conversations: a blank provider conversation id is refused');
select throws_ok($$ insert into public.daily_sessions (user_id, mentor_conversation_id) values (tests.get_supabase_uid('owner'), 'c1000000-0000-4000-8000-000000000001') $$,
  '23505', null, 'daily_sessions: a second daily session for one conversation is refused');
select throws_ok($$ insert into public.daily_sessions (user_id, mentor_conversation_id) values (tests.get_supabase_uid('owner'), gen_random_uuid()) $$,
  '23503', null, 'daily_sessions: an unknown conversation is refused');
select throws_ok($$ update public.onboarding_profiles set enneagram_type = 10 where user_id = tests.get_supabase_uid('other') $$,
  '23514', null, 'onboarding_profiles: enneagram type outside 1-9 is refused');
select throws_ok($$ update public.onboarding_profiles set enneagram_wing = 5 where user_id = tests.get_supabase_uid('owner') $$,
  '23514', null, 'onboarding_profiles: a wing not adjacent to the type is refused');
select lives_ok($$ update public.onboarding_profiles set enneagram_type = 9, enneagram_wing = 1 where user_id = tests.get_supabase_uid('other') $$,
  'onboarding_profiles: 9 with wing 1 is accepted (the circle wraps)');
select throws_ok($$ update public.onboarding_profiles set disc_type = 'X' where user_id = tests.get_supabase_uid('owner') $$,
  '23514', null, 'onboarding_profiles: a DISC style other than D/I/S/C is refused');
select throws_ok($$ update public.ritual_preferences set session_days = '{0,8}' where user_id = tests.get_supabase_uid('owner') $$,
  '23514', null, 'ritual_preferences: session days outside 1-7 are refused');
select throws_ok($$ update public.ritual_preferences set session_duration_minutes = 0 where user_id = tests.get_supabase_uid('owner') $$,
  '23514', null, 'ritual_preferences: a session length of 0 minutes is refused');
select throws_ok($$ update public.ritual_preferences set timezone = 'Mars/Olympus_Mons' where user_id = tests.get_supabase_uid('owner') $$,
  '22023', null, 'ritual_preferences: an unknown time zone is refused (22023)');
select throws_ok($$ insert into public.user_emotional_categories (user_id, category, priority) values (tests.get_supabase_uid('owner'), 'joy', 0) $$,
  '23514', null, 'user_emotional_categories: priority 0 is refused');
select throws_ok($$ insert into public.user_emotional_categories (user_id, category) values (tests.get_supabase_uid('owner'), 'anxiety') $$,
  '23505', null, 'user_emotional_categories: a category is unique per user');
select throws_ok($$ update public.user_personas set is_default = true where id = 'b1000000-0000-4000-8000-000000000002' $$,
  '23505', null, 'user_personas: at most one default persona per user');
select throws_ok($$ delete from public.mentor_avatars where id = 'a1000000-0000-4000-8000-000000000001' $$,
  '23503', null, 'mentor_avatars: an avatar some persona uses cannot be deleted');

update public.user_goals set status = 'achieved' where id = 'f1000000-0000-4000-8000-000000000001';
select is((select achieved_at from public.user_goals where id = 'f1000000-0000-4000-8000-000000000001'), now(),
  'user_goals: achieving a goal sets achieved_at');
update public.user_goals set status = 'active' where id = 'f1000000-0000-4000-8000-000000000001';
select is((select achieved_at from public.user_goals where id = 'f1000000-0000-4000-8000-000000000001'), null,
  'user_goals: back to active clears achieved_at');
update public.user_goals set updated_at = '2000-01-01', title = 'Meditate every day' where id = 'f1000000-0000-4000-8000-000000000001';
select is((select updated_at from public.user_goals where id = 'f1000000-0000-4000-8000-000000000001'), now(),
  'updating a row sets updated_at (trigger)');

-- Deleting the auth user removes the profile and everything of the user's hanging from it.
select tests.create_supabase_user('gone', 'gone@mentor.test');
insert into public.user_personas (user_id, name) values (tests.get_supabase_uid('gone'), 'p');
insert into public.onboarding_profiles (user_id) values (tests.get_supabase_uid('gone'));
insert into public.ritual_preferences (user_id) values (tests.get_supabase_uid('gone'));
insert into public.user_emotional_categories (user_id, category) values (tests.get_supabase_uid('gone'), 'c');
insert into public.user_goals (user_id, title) values (tests.get_supabase_uid('gone'), 'g');
insert into public.mentor_conversations (id, user_id, provider_conversation_id)
  values ('c1000000-0000-4000-8000-0000000000ff', tests.get_supabase_uid('gone'), 'tavus-gone');
insert into public.daily_sessions (user_id, mentor_conversation_id) values (tests.get_supabase_uid('gone'), 'c1000000-0000-4000-8000-0000000000ff');
delete from auth.users where id = tests.get_supabase_uid('gone');
select is(array[(select count(*) from public.user_personas where user_id = tests.get_supabase_uid('gone')),
                (select count(*) from public.onboarding_profiles where user_id = tests.get_supabase_uid('gone')),
                (select count(*) from public.ritual_preferences where user_id = tests.get_supabase_uid('gone')),
                (select count(*) from public.user_emotional_categories where user_id = tests.get_supabase_uid('gone')),
                (select count(*) from public.user_goals where user_id = tests.get_supabase_uid('gone')),
                (select count(*) from public.mentor_conversations where user_id = tests.get_supabase_uid('gone')),
                (select count(*) from public.daily_sessions where user_id = tests.get_supabase_uid('gone'))],
          array[0, 0, 0, 0, 0, 0, 0]::bigint[], 'deleting the auth user cascades to all seven user-owned tables');

-- Deleting a persona keeps its conversations, unlinked.
insert into public.user_personas (id, user_id, name) values ('b1000000-0000-4000-8000-0000000000ee', tests.get_supabase_uid('other'), 'temp');
update public.mentor_conversations set persona_id = 'b1000000-0000-4000-8000-0000000000ee' where id = 'c1000000-0000-4000-8000-000000000002';
delete from public.user_personas where id = 'b1000000-0000-4000-8000-0000000000ee';
select is((select persona_id from public.mentor_conversations where id = 'c1000000-0000-4000-8000-000000000002'), null,
  'deleting a persona keeps its conversations (persona_id set null)');
update public.mentor_conversations set persona_id = 'b1000000-0000-4000-8000-000000000003' where id = 'c1000000-0000-4000-8000-000000000002';


-- RLS matrix: mentor_avatars ----------------------------------------------------------------------
select tests.authenticate_as('owner');
-- (the catalog is shared data: these checks look at this suite's own avatars, a1000000-…, so
-- avatars already in the database — an upgraded one has some — change nothing)
select results_eq($$ select name from public.mentor_avatars where id::text like 'a1000000-%' order by sort_order $$,
  array['Sage', 'Retired'], 'owner: reads the whole avatar catalog');
select throws_ok($$ insert into public.mentor_avatars (name, provider_replica_id) values ('Mine', 'r-mine') $$, '42501', null,
  'owner: cannot add an avatar');
select throws_ok($$ update public.mentor_avatars set name = 'hacked' $$, '42501', null, 'owner: cannot edit avatars');
select throws_ok($$ delete from public.mentor_avatars where id = 'a1000000-0000-4000-8000-000000000002' $$, '42501', null,
  'owner: cannot delete avatars');

select tests.authenticate_as('other');
select is((select count(*) from public.mentor_avatars where id::text like 'a1000000-%'), 2::bigint,
  'other user: reads the same catalog');
select throws_ok($$ update public.mentor_avatars set is_active = true where id = 'a1000000-0000-4000-8000-000000000002' $$,
  '42501', null, 'other user: cannot edit avatars');

select tests.clear_authentication();
select is_empty('select from public.mentor_avatars', 'anon: sees no avatar');
select throws_ok($$ insert into public.mentor_avatars (name, provider_replica_id) values ('Anon', 'r-anon') $$, '42501', null,
  'anon: cannot add an avatar');
select throws_ok($$ update public.mentor_avatars set name = 'hacked' $$, '42501', null, 'anon: cannot edit avatars');
select throws_ok('delete from public.mentor_avatars', '42501', null, 'anon: cannot delete avatars');

select tests.authenticate_as_service_role();
select is((select count(*) from public.mentor_avatars where id::text like 'a1000000-%'), 2::bigint,
  'service_role: reads the catalog');
select lives_ok($$ insert into public.mentor_avatars (id, name, provider_replica_id)
                   values ('a1000000-0000-4000-8000-0000000000f1', 'New', 'r-new') $$, 'service_role: adds an avatar');
select is(tests.affected($$ update public.mentor_avatars set description = 'wise' where id = 'a1000000-0000-4000-8000-000000000001' $$),
  1::bigint, 'service_role: edits an avatar');
select is(tests.affected($$ delete from public.mentor_avatars where id in ('a1000000-0000-4000-8000-0000000000f1', 'a1000000-0000-4000-8000-000000000002') $$),
  2::bigint, 'service_role: deletes unused avatars');

select tests.reset_authentication();
select results_eq($$ select name, description from public.mentor_avatars where id::text like 'a1000000-%' $$,
  $$ values ('Sage', 'wise') $$, 'the catalog: only the service role''s changes');
insert into public.mentor_avatars (id, name, provider_replica_id, is_active, sort_order)
  values ('a1000000-0000-4000-8000-000000000002', 'Retired', 'r-retired', false, 2);


-- RLS matrix: user_personas -----------------------------------------------------------------------
select tests.authenticate_as('owner');
select results_eq('select name from public.user_personas order by name', array['Coach Sage', 'Stern Sage'],
  'owner: selects only their own personas');
select lives_ok($$ insert into public.user_personas (id, user_id, avatar_id, name)
                   values ('b1000000-0000-4000-8000-0000000000f1', tests.get_supabase_uid('owner'), 'a1000000-0000-4000-8000-000000000001', 'Third') $$,
  'owner: creates a persona');
select throws_ok($$ insert into public.user_personas (user_id, name) values (tests.get_supabase_uid('other'), 'for Oscar') $$, '42501', null,
  'owner: cannot create a persona for another user');
select is(tests.affected($$ update public.user_personas set communication_style = 'gentle' where id = 'b1000000-0000-4000-8000-000000000002' $$),
  1::bigint, 'owner: edits their own persona');
select throws_ok($$ update public.user_personas set user_id = tests.get_supabase_uid('other') where id = 'b1000000-0000-4000-8000-000000000002' $$,
  '42501', null, 'owner: cannot give a persona away');
select is(tests.affected($$ delete from public.user_personas where id = 'b1000000-0000-4000-8000-0000000000f1' $$), 1::bigint,
  'owner: deletes their own persona');

select tests.authenticate_as('other');
select is_empty($$ select from public.user_personas where user_id = tests.get_supabase_uid('owner') $$, 'other user: sees none of the owner''s personas');
select throws_ok($$ insert into public.user_personas (user_id, name) values (tests.get_supabase_uid('owner'), 'planted') $$, '42501', null,
  'other user: cannot create a persona for the owner');
select is(tests.affected($$ update public.user_personas set name = 'hacked' where user_id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: updating the owner''s personas touches 0 rows');
select is(tests.affected($$ delete from public.user_personas where user_id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: deleting the owner''s personas touches 0 rows');

select tests.clear_authentication();
select is_empty('select from public.user_personas', 'anon: sees no persona');
select throws_ok($$ insert into public.user_personas (user_id, name) values (tests.get_supabase_uid('owner'), 'anon') $$, '42501', null,
  'anon: cannot create a persona');
select is(tests.affected($$ update public.user_personas set name = 'hacked' $$) + tests.affected('delete from public.user_personas'),
  0::bigint, 'anon: updates and deletes touch 0 personas');

select tests.authenticate_as_service_role();
select is((select count(*) from public.user_personas where user_id in (tests.get_supabase_uid('owner'), tests.get_supabase_uid('other'))), 3::bigint,
  'service_role: sees every persona');
select lives_ok($$ insert into public.user_personas (id, user_id, name) values ('b1000000-0000-4000-8000-0000000000f2', tests.get_supabase_uid('other'), 'svc') $$,
  'service_role: creates a persona for any user');
select is(tests.affected($$ update public.user_personas set name = 'svc 2' where id = 'b1000000-0000-4000-8000-0000000000f2' $$), 1::bigint,
  'service_role: edits any persona');
select is(tests.affected($$ delete from public.user_personas where id = 'b1000000-0000-4000-8000-0000000000f2' $$), 1::bigint,
  'service_role: deletes any persona');

select tests.reset_authentication();
select results_eq($$ select name, communication_style from public.user_personas where user_id = tests.get_supabase_uid('owner') order by name $$,
  $$ values ('Coach Sage', 'warm'), ('Stern Sage', 'gentle') $$,
  'the owner''s personas: the owner''s edit only; the others'' attempts changed nothing');


-- RLS matrix: onboarding_profiles -----------------------------------------------------------------
select tests.authenticate_as('owner');
select results_eq('select user_id from public.onboarding_profiles', array[tests.get_supabase_uid('owner')],
  'owner: selects only their own onboarding profile');
select is(tests.affected($$ update public.onboarding_profiles set focus_areas = '{confidence,focus,sleep}' where user_id = tests.get_supabase_uid('owner') $$),
  1::bigint, 'owner: updates their own onboarding profile');
select throws_ok($$ update public.onboarding_profiles set user_id = tests.get_supabase_uid('other') where user_id = tests.get_supabase_uid('owner') $$,
  '42501', null, 'owner: cannot move their onboarding profile to another user');
select throws_ok($$ insert into public.onboarding_profiles (user_id) values (tests.get_supabase_uid('blank')) $$, '42501', null,
  'owner: cannot create an onboarding profile for another user');

select tests.authenticate_as('blank');
select lives_ok($$ insert into public.onboarding_profiles (user_id, disc_type) values (tests.get_supabase_uid('blank'), 'C') $$,
  'a user creates their own onboarding profile');
select is(tests.affected($$ delete from public.onboarding_profiles where user_id = tests.get_supabase_uid('blank') $$), 1::bigint,
  'a user deletes their own onboarding profile');

select tests.authenticate_as('other');
select is_empty($$ select from public.onboarding_profiles where user_id = tests.get_supabase_uid('owner') $$,
  'other user: does not see the owner''s onboarding profile');
select throws_ok($$ insert into public.onboarding_profiles (user_id) values (tests.get_supabase_uid('blank')) $$, '42501', null,
  'other user: cannot create an onboarding profile for someone else');
select is(tests.affected($$ update public.onboarding_profiles set disc_type = 'S' where user_id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: updating the owner''s onboarding profile touches 0 rows');
select is(tests.affected($$ delete from public.onboarding_profiles where user_id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: deleting the owner''s onboarding profile touches 0 rows');

select tests.clear_authentication();
select is_empty('select from public.onboarding_profiles', 'anon: sees no onboarding profile');
select throws_ok($$ insert into public.onboarding_profiles (user_id) values (tests.get_supabase_uid('blank')) $$, '42501', null,
  'anon: cannot create an onboarding profile');
select is(tests.affected($$ update public.onboarding_profiles set disc_type = 'S' $$)
          + tests.affected('delete from public.onboarding_profiles'), 0::bigint,
  'anon: updates and deletes touch 0 onboarding profiles');

select tests.authenticate_as_service_role();
select is((select count(*) from public.onboarding_profiles where user_id in (tests.get_supabase_uid('owner'), tests.get_supabase_uid('other'))), 2::bigint,
  'service_role: sees every onboarding profile');
select lives_ok($$ insert into public.onboarding_profiles (user_id) values (tests.get_supabase_uid('blank')) $$,
  'service_role: creates an onboarding profile for any user');
select is(tests.affected($$ update public.onboarding_profiles set completed_at = now() where user_id = tests.get_supabase_uid('blank') $$), 1::bigint,
  'service_role: updates any onboarding profile');
select is(tests.affected($$ delete from public.onboarding_profiles where user_id = tests.get_supabase_uid('blank') $$), 1::bigint,
  'service_role: deletes any onboarding profile');

select tests.reset_authentication();
select results_eq($$ select disc_type, focus_areas from public.onboarding_profiles where user_id = tests.get_supabase_uid('owner') $$,
  $$ values ('DI', '{confidence,focus,sleep}'::text[]) $$,
  'the owner''s onboarding profile: the owner''s update only');


-- RLS matrix: ritual_preferences ------------------------------------------------------------------
select tests.authenticate_as('owner');
select results_eq('select user_id from public.ritual_preferences', array[tests.get_supabase_uid('owner')],
  'owner: selects only their own ritual preferences');
select is(tests.affected($$ update public.ritual_preferences set reminders_enabled = false where user_id = tests.get_supabase_uid('owner') $$),
  1::bigint, 'owner: updates their own ritual preferences');
select throws_ok($$ insert into public.ritual_preferences (user_id) values (tests.get_supabase_uid('blank')) $$, '42501', null,
  'owner: cannot create ritual preferences for another user');

select tests.authenticate_as('blank');
select lives_ok($$ insert into public.ritual_preferences (user_id, timezone) values (tests.get_supabase_uid('blank'), 'America/New_York') $$,
  'a user creates their own ritual preferences');
select is(tests.affected($$ delete from public.ritual_preferences where user_id = tests.get_supabase_uid('blank') $$), 1::bigint,
  'a user deletes their own ritual preferences');

select tests.authenticate_as('other');
select is_empty($$ select from public.ritual_preferences where user_id = tests.get_supabase_uid('owner') $$,
  'other user: does not see the owner''s ritual preferences');
select throws_ok($$ insert into public.ritual_preferences (user_id) values (tests.get_supabase_uid('blank')) $$, '42501', null,
  'other user: cannot create ritual preferences for someone else');
select is(tests.affected($$ update public.ritual_preferences set session_duration_minutes = 60 where user_id = tests.get_supabase_uid('owner') $$),
  0::bigint, 'other user: updating the owner''s ritual preferences touches 0 rows');
select is(tests.affected($$ delete from public.ritual_preferences where user_id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: deleting the owner''s ritual preferences touches 0 rows');

select tests.clear_authentication();
select is_empty('select from public.ritual_preferences', 'anon: sees no ritual preferences');
select throws_ok($$ insert into public.ritual_preferences (user_id) values (tests.get_supabase_uid('blank')) $$, '42501', null,
  'anon: cannot create ritual preferences');
select is(tests.affected($$ update public.ritual_preferences set session_duration_minutes = 60 $$)
          + tests.affected('delete from public.ritual_preferences'), 0::bigint,
  'anon: updates and deletes touch 0 ritual preferences');

select tests.authenticate_as_service_role();
select is((select count(*) from public.ritual_preferences where user_id in (tests.get_supabase_uid('owner'), tests.get_supabase_uid('other'))), 2::bigint,
  'service_role: sees everyone''s ritual preferences');
select lives_ok($$ insert into public.ritual_preferences (user_id) values (tests.get_supabase_uid('blank')) $$,
  'service_role: creates ritual preferences for any user');
select is(tests.affected($$ update public.ritual_preferences set preferred_time = '08:00' where user_id = tests.get_supabase_uid('blank') $$), 1::bigint,
  'service_role: updates any ritual preferences');
select is(tests.affected($$ delete from public.ritual_preferences where user_id = tests.get_supabase_uid('blank') $$), 1::bigint,
  'service_role: deletes any ritual preferences');

select tests.reset_authentication();
select results_eq($$ select session_duration_minutes, reminders_enabled from public.ritual_preferences where user_id = tests.get_supabase_uid('owner') $$,
  $$ values (20, false) $$, 'the owner''s ritual preferences: the owner''s update only');


-- RLS matrix: user_emotional_categories -------------------------------------------------------------
select tests.authenticate_as('owner');
select results_eq('select category from public.user_emotional_categories order by category', array['anger', 'anxiety', 'self-worth'],
  'owner: selects only their own emotional categories');
select lives_ok($$ insert into public.user_emotional_categories (id, user_id, category, priority)
                   values ('e1000000-0000-4000-8000-0000000000f1', tests.get_supabase_uid('owner'), 'loneliness', 5) $$,
  'owner: adds an emotional category');
select throws_ok($$ insert into public.user_emotional_categories (user_id, category) values (tests.get_supabase_uid('other'), 'x') $$, '42501', null,
  'owner: cannot add an emotional category for another user');
select is(tests.affected($$ update public.user_emotional_categories set priority = 3 where id = 'e1000000-0000-4000-8000-000000000003' $$),
  1::bigint, 'owner: re-ranks their own emotional category');
select is(tests.affected($$ delete from public.user_emotional_categories where id = 'e1000000-0000-4000-8000-0000000000f1' $$), 1::bigint,
  'owner: deletes their own emotional category');

select tests.authenticate_as('other');
select is_empty($$ select from public.user_emotional_categories where user_id = tests.get_supabase_uid('owner') $$,
  'other user: sees none of the owner''s emotional categories');
select throws_ok($$ insert into public.user_emotional_categories (user_id, category) values (tests.get_supabase_uid('owner'), 'planted') $$, '42501', null,
  'other user: cannot add an emotional category for the owner');
select is(tests.affected($$ update public.user_emotional_categories set priority = 99 where user_id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: updating the owner''s emotional categories touches 0 rows');
select is(tests.affected($$ delete from public.user_emotional_categories where user_id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: deleting the owner''s emotional categories touches 0 rows');

select tests.clear_authentication();
select is_empty('select from public.user_emotional_categories', 'anon: sees no emotional category');
select throws_ok($$ insert into public.user_emotional_categories (user_id, category) values (tests.get_supabase_uid('owner'), 'anon') $$, '42501', null,
  'anon: cannot add an emotional category');
select is(tests.affected($$ update public.user_emotional_categories set priority = 99 $$)
          + tests.affected('delete from public.user_emotional_categories'), 0::bigint,
  'anon: updates and deletes touch 0 emotional categories');

select tests.authenticate_as_service_role();
select is((select count(*) from public.user_emotional_categories where user_id in (tests.get_supabase_uid('owner'), tests.get_supabase_uid('other'))), 4::bigint,
  'service_role: sees every emotional category');
select lives_ok($$ insert into public.user_emotional_categories (id, user_id, category)
                   values ('e1000000-0000-4000-8000-0000000000f2', tests.get_supabase_uid('other'), 'svc') $$,
  'service_role: adds an emotional category for any user');
select is(tests.affected($$ update public.user_emotional_categories set priority = 7 where id = 'e1000000-0000-4000-8000-0000000000f2' $$),
  1::bigint, 'service_role: updates any emotional category');
select is(tests.affected($$ delete from public.user_emotional_categories where id = 'e1000000-0000-4000-8000-0000000000f2' $$), 1::bigint,
  'service_role: deletes any emotional category');

select tests.reset_authentication();
select results_eq($$ select category, priority from public.user_emotional_categories where user_id = tests.get_supabase_uid('owner') order by category $$,
  $$ values ('anger', 3::smallint), ('anxiety', 1::smallint), ('self-worth', 2::smallint) $$,
  'the owner''s emotional categories: the owner''s change only');


-- RLS matrix: user_goals --------------------------------------------------------------------------
select tests.authenticate_as('owner');
select is((select count(*) from public.user_goals), 4::bigint, 'owner: selects only their own goals (all four statuses)');
select lives_ok($$ insert into public.user_goals (id, user_id, title) values ('f1000000-0000-4000-8000-0000000000f1', tests.get_supabase_uid('owner'), 'Journal') $$,
  'owner: creates a goal');
select throws_ok($$ insert into public.user_goals (user_id, title) values (tests.get_supabase_uid('other'), 'for Oscar') $$, '42501', null,
  'owner: cannot create a goal for another user');
select is(tests.affected($$ update public.user_goals set target_date = current_date + 60 where id = 'f1000000-0000-4000-8000-000000000002' $$),
  1::bigint, 'owner: edits their own goal');
select throws_ok($$ update public.user_goals set user_id = tests.get_supabase_uid('other') where id = 'f1000000-0000-4000-8000-000000000002' $$,
  '42501', null, 'owner: cannot give a goal away');
select is(tests.affected($$ delete from public.user_goals where id = 'f1000000-0000-4000-8000-0000000000f1' $$), 1::bigint,
  'owner: deletes their own goal');

select tests.authenticate_as('other');
select is_empty($$ select from public.user_goals where user_id = tests.get_supabase_uid('owner') $$, 'other user: sees none of the owner''s goals');
select throws_ok($$ insert into public.user_goals (user_id, title) values (tests.get_supabase_uid('owner'), 'planted') $$, '42501', null,
  'other user: cannot create a goal for the owner');
select is(tests.affected($$ update public.user_goals set status = 'archived' where user_id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: updating the owner''s goals touches 0 rows');
select is(tests.affected($$ delete from public.user_goals where user_id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: deleting the owner''s goals touches 0 rows');

select tests.clear_authentication();
select is_empty('select from public.user_goals', 'anon: sees no goal');
select throws_ok($$ insert into public.user_goals (user_id, title) values (tests.get_supabase_uid('owner'), 'anon') $$, '42501', null,
  'anon: cannot create a goal');
select is(tests.affected($$ update public.user_goals set status = 'archived' $$) + tests.affected('delete from public.user_goals'),
  0::bigint, 'anon: updates and deletes touch 0 goals');

select tests.authenticate_as_service_role();
select is((select count(*) from public.user_goals where user_id in (tests.get_supabase_uid('owner'), tests.get_supabase_uid('other'))), 5::bigint,
  'service_role: sees every goal');
select lives_ok($$ insert into public.user_goals (id, user_id, title) values ('f1000000-0000-4000-8000-0000000000f2', tests.get_supabase_uid('other'), 'svc') $$,
  'service_role: creates a goal for any user');
select is(tests.affected($$ update public.user_goals set status = 'achieved' where id = 'f1000000-0000-4000-8000-0000000000f2' $$), 1::bigint,
  'service_role: updates any goal');
select is(tests.affected($$ delete from public.user_goals where id = 'f1000000-0000-4000-8000-0000000000f2' $$), 1::bigint,
  'service_role: deletes any goal');

select tests.reset_authentication();
select results_eq($$ select title, status, target_date from public.user_goals where user_id = tests.get_supabase_uid('owner') order by title $$,
  $$ values ('Learn Latin', 'archived', null::date), ('Meditate every day', 'active', null::date),
            ('Read a book', 'achieved', current_date - 1), ('Run 10k', 'active', current_date + 60) $$,
  'the owner''s goals: the owner''s edit only');


-- RLS matrix: mentor_conversations ------------------------------------------------------------------
select tests.authenticate_as('owner');
select results_eq('select provider_conversation_id from public.mentor_conversations', array['tavus-owner-1'],
  'owner: selects only their own mentor conversations');
select throws_ok($$ insert into public.mentor_conversations (user_id, provider_conversation_id) values (tests.get_supabase_uid('owner'), 'tavus-direct') $$,
  '42501', null, 'owner: cannot insert a conversation directly (only through start_mentor_session)');
select throws_ok($$ update public.mentor_conversations set duration_seconds = 99999 where id = 'c1000000-0000-4000-8000-000000000001' $$,
  '42501', null, 'owner: cannot update their conversation directly');
select throws_ok($$ delete from public.mentor_conversations where id = 'c1000000-0000-4000-8000-000000000001' $$,
  '42501', null, 'owner: cannot delete their conversation');

select tests.authenticate_as('other');
select results_eq('select provider_conversation_id from public.mentor_conversations', array['tavus-other-1'],
  'other user: sees only their own conversation, not the owner''s');
select throws_ok($$ insert into public.mentor_conversations (user_id, provider_conversation_id) values (tests.get_supabase_uid('owner'), 'tavus-planted') $$,
  '42501', null, 'other user: cannot insert a conversation');
select throws_ok($$ update public.mentor_conversations set status = 'failed' where id = 'c1000000-0000-4000-8000-000000000001' $$,
  '42501', null, 'other user: cannot update conversations');
select throws_ok($$ delete from public.mentor_conversations where id = 'c1000000-0000-4000-8000-000000000001' $$,
  '42501', null, 'other user: cannot delete conversations');

select tests.clear_authentication();
select is_empty('select from public.mentor_conversations', 'anon: sees no conversation');
select throws_ok($$ insert into public.mentor_conversations (user_id, provider_conversation_id) values (tests.get_supabase_uid('owner'), 'tavus-anon') $$,
  '42501', null, 'anon: cannot insert a conversation');
select throws_ok($$ update public.mentor_conversations set status = 'failed' $$, '42501', null, 'anon: cannot update conversations');
select throws_ok('delete from public.mentor_conversations', '42501', null, 'anon: cannot delete conversations');

select tests.authenticate_as_service_role();
select is((select count(*) from public.mentor_conversations where user_id in (tests.get_supabase_uid('owner'), tests.get_supabase_uid('other'))), 2::bigint,
  'service_role: sees every conversation');
select lives_ok($$ insert into public.mentor_conversations (id, user_id, provider_conversation_id)
                   values ('c1000000-0000-4000-8000-0000000000f1', tests.get_supabase_uid('other'), 'tavus-svc') $$,
  'service_role: inserts a conversation for any user');
select is(tests.affected($$ update public.mentor_conversations set status = 'failed' where id = 'c1000000-0000-4000-8000-0000000000f1' $$),
  1::bigint, 'service_role: updates any conversation (e.g. marks it failed)');
select is(tests.affected($$ delete from public.mentor_conversations where id = 'c1000000-0000-4000-8000-0000000000f1' $$), 1::bigint,
  'service_role: deletes any conversation');

select tests.reset_authentication();
select results_eq($$ select provider_conversation_id, status, duration_seconds from public.mentor_conversations
                     where user_id in (tests.get_supabase_uid('owner'), tests.get_supabase_uid('other')) order by provider_conversation_id $$,
  $$ values ('tavus-other-1', 'active', null::integer), ('tavus-owner-1', 'completed', 600) $$,
  'the conversations are unchanged by users and anon');


-- RLS matrix: daily_sessions ----------------------------------------------------------------------
select tests.authenticate_as('owner');
select results_eq('select id from public.daily_sessions', array['d1000000-0000-4000-8000-000000000001'::uuid],
  'owner: selects only their own daily sessions');
select throws_ok($$ insert into public.daily_sessions (user_id, mentor_conversation_id) values (tests.get_supabase_uid('owner'), 'c1000000-0000-4000-8000-000000000002') $$,
  '42501', null, 'owner: cannot insert a daily session directly');
select throws_ok($$ update public.daily_sessions set duration_seconds = 99999 where id = 'd1000000-0000-4000-8000-000000000001' $$,
  '42501', null, 'owner: cannot update their daily session directly');
select throws_ok($$ delete from public.daily_sessions where id = 'd1000000-0000-4000-8000-000000000001' $$,
  '42501', null, 'owner: cannot delete their daily session');

select tests.authenticate_as('other');
select is_empty($$ select from public.daily_sessions where user_id = tests.get_supabase_uid('owner') $$, 'other user: sees none of the owner''s daily sessions');
select throws_ok($$ insert into public.daily_sessions (user_id, mentor_conversation_id) values (tests.get_supabase_uid('other'), 'c1000000-0000-4000-8000-000000000001') $$,
  '42501', null, 'other user: cannot insert a daily session');
select throws_ok($$ update public.daily_sessions set status = 'failed' where id = 'd1000000-0000-4000-8000-000000000001' $$,
  '42501', null, 'other user: cannot update daily sessions');
select throws_ok($$ delete from public.daily_sessions where id = 'd1000000-0000-4000-8000-000000000001' $$,
  '42501', null, 'other user: cannot delete daily sessions');

select tests.clear_authentication();
select is_empty('select from public.daily_sessions', 'anon: sees no daily session');
select throws_ok($$ insert into public.daily_sessions (user_id, mentor_conversation_id) values (tests.get_supabase_uid('owner'), 'c1000000-0000-4000-8000-000000000002') $$,
  '42501', null, 'anon: cannot insert a daily session');
select throws_ok($$ update public.daily_sessions set status = 'failed' $$, '42501', null, 'anon: cannot update daily sessions');
select throws_ok('delete from public.daily_sessions', '42501', null, 'anon: cannot delete daily sessions');

select tests.authenticate_as_service_role();
select is((select count(*) from public.daily_sessions where user_id in (tests.get_supabase_uid('owner'), tests.get_supabase_uid('other'))), 2::bigint,
  'service_role: sees every daily session');
insert into public.mentor_conversations (id, user_id, provider_conversation_id)
  values ('c1000000-0000-4000-8000-0000000000f2', tests.get_supabase_uid('other'), 'tavus-svc-2');
select lives_ok($$ insert into public.daily_sessions (id, user_id, mentor_conversation_id)
                   values ('d1000000-0000-4000-8000-0000000000f2', tests.get_supabase_uid('other'), 'c1000000-0000-4000-8000-0000000000f2') $$,
  'service_role: inserts a daily session for any user');
select is(tests.affected($$ update public.daily_sessions set summary_data = '{"summary": "svc"}' where id = 'd1000000-0000-4000-8000-0000000000f2' $$),
  1::bigint, 'service_role: updates any daily session');
select is(tests.affected($$ delete from public.daily_sessions where id = 'd1000000-0000-4000-8000-0000000000f2' $$), 1::bigint,
  'service_role: deletes any daily session');

select tests.reset_authentication();
delete from public.mentor_conversations where id = 'c1000000-0000-4000-8000-0000000000f2';
select results_eq($$ select id, status, duration_seconds from public.daily_sessions
                     where user_id in (tests.get_supabase_uid('owner'), tests.get_supabase_uid('other')) order by id $$,
  $$ values ('d1000000-0000-4000-8000-000000000001'::uuid, 'completed', 600), ('d1000000-0000-4000-8000-000000000002'::uuid, 'active', null::integer) $$,
  'the daily sessions are unchanged by users and anon');


-- Function privileges and shape ---------------------------------------------------------------------
select results_eq(
  $$ select f, r, has_function_privilege(r, f, 'execute')
     from unnest(array['public.get_mentor_context(uuid)', 'public.start_mentor_session(text, uuid, uuid)',
                       'public.end_mentor_session(uuid, uuid)', 'public.record_mentor_webhook(text, text, jsonb)',
                       'convo.start_mentor_session(text, uuid, uuid)', 'convo.end_mentor_session(uuid, uuid)',
                       'convo.complete_mentor_conversation(uuid)']) with ordinality f(f, i),
          unnest(array['anon', 'authenticated', 'service_role']) with ordinality r(r, j)
     order by i, j $$,
  $$ values ('public.get_mentor_context(uuid)', 'anon', false), ('public.get_mentor_context(uuid)', 'authenticated', true),
            ('public.get_mentor_context(uuid)', 'service_role', true),
            ('public.start_mentor_session(text, uuid, uuid)', 'anon', false), ('public.start_mentor_session(text, uuid, uuid)', 'authenticated', true),
            ('public.start_mentor_session(text, uuid, uuid)', 'service_role', true),
            ('public.end_mentor_session(uuid, uuid)', 'anon', false), ('public.end_mentor_session(uuid, uuid)', 'authenticated', true),
            ('public.end_mentor_session(uuid, uuid)', 'service_role', true),
            ('public.record_mentor_webhook(text, text, jsonb)', 'anon', false),
            ('public.record_mentor_webhook(text, text, jsonb)', 'authenticated', false),
            ('public.record_mentor_webhook(text, text, jsonb)', 'service_role', true),
            ('convo.start_mentor_session(text, uuid, uuid)', 'anon', false), ('convo.start_mentor_session(text, uuid, uuid)', 'authenticated', true),
            ('convo.start_mentor_session(text, uuid, uuid)', 'service_role', true),
            ('convo.end_mentor_session(uuid, uuid)', 'anon', false), ('convo.end_mentor_session(uuid, uuid)', 'authenticated', true),
            ('convo.end_mentor_session(uuid, uuid)', 'service_role', true),
            ('convo.complete_mentor_conversation(uuid)', 'anon', false),
            ('convo.complete_mentor_conversation(uuid)', 'authenticated', false),
            ('convo.complete_mentor_conversation(uuid)', 'service_role', true) $$,
  'EXECUTE: each function only for the role(s) that call it (the service role acts for a named user since 20261123050000)');
select is_empty($$ select p.oid::regprocedure from pg_proc p
                   where p.oid in ('public.get_mentor_context(uuid)'::regprocedure, 'public.start_mentor_session(text, uuid, uuid)'::regprocedure,
                                   'public.end_mentor_session(uuid, uuid)'::regprocedure, 'public.record_mentor_webhook(text, text, jsonb)'::regprocedure,
                                   'convo.start_mentor_session(text, uuid, uuid)'::regprocedure, 'convo.end_mentor_session(uuid, uuid)'::regprocedure,
                                   'convo.complete_mentor_conversation(uuid)'::regprocedure,
                                   'convo.ritual_preferences_check_timezone()'::regprocedure,
                                   'convo.user_goals_track_achieved_at()'::regprocedure)
                     and (obj_description(p.oid, 'pg_proc') is null
                          or not exists (select from unnest(p.proconfig) s where s = 'search_path=""')) $$,
  'every mentor function has a comment and pins search_path to empty');
select is_definer('convo', 'start_mentor_session', array['text', 'uuid', 'uuid'], 'convo.start_mentor_session is SECURITY DEFINER');
select is_definer('convo', 'end_mentor_session', array['uuid', 'uuid'], 'convo.end_mentor_session is SECURITY DEFINER');
select ok(not (select bool_or(prosecdef) from pg_proc where pronamespace = 'public'::regnamespace
               and proname in ('get_mentor_context', 'start_mentor_session', 'end_mentor_session', 'record_mentor_webhook')),
          'the public functions are all security invoker (definer rights only in convo)');
select volatility_is('public', 'get_mentor_context', array['uuid']::name[], 'stable', 'get_mentor_context is STABLE (GET works)');
select ok(not has_function_privilege('authenticated', 'convo.ritual_preferences_check_timezone()', 'execute')
          and not has_function_privilege('anon', 'convo.user_goals_track_achieved_at()', 'execute'),
          'the trigger functions are not executable by the API roles');


-- get_mentor_context --------------------------------------------------------------------------------
select tests.authenticate_as('blank');
select is(public.get_mentor_context() - 'profile',
  '{"onboarding_profile": null, "ritual_preferences": null, "emotional_categories": [], "active_goals": []}'::jsonb,
  'context of a user with nothing filled in: nulls and empty arrays');
select is(public.get_mentor_context() -> 'profile' ->> 'full_name', 'Bea Blank', '... and their profile');
select tests.authenticate_as('orphan');
select is(public.get_mentor_context(),
  '{"profile": null, "onboarding_profile": null, "ritual_preferences": null, "emotional_categories": [], "active_goals": []}'::jsonb,
  'context of a user without even a profile: all null / empty, no error');
select tests.authenticate_as('owner');
select is(public.get_mentor_context() -> 'profile' ->> 'id', tests.get_supabase_uid('owner')::text, 'owner''s context: their profile');
select is(public.get_mentor_context() -> 'onboarding_profile' ->> 'disc_type', 'DI', '... their onboarding profile');
select is(public.get_mentor_context() -> 'ritual_preferences' ->> 'timezone', 'Pacific/Kiritimati', '... their ritual preferences');
select is((select array_agg(c ->> 'category') from jsonb_array_elements(public.get_mentor_context() -> 'emotional_categories') c),
  array['anxiety', 'self-worth', 'anger'], '... their emotional categories by priority');
select is((select array_agg(g ->> 'title') from jsonb_array_elements(public.get_mentor_context() -> 'active_goals') g),
  array['Run 10k', 'Meditate every day'], '... their active goals only, by target date (none last)');
select tests.authenticate_as('other');
select is((select array_agg(c ->> 'category') from jsonb_array_elements(public.get_mentor_context() -> 'emotional_categories') c),
  array['grief'], 'another user''s context holds only their own rows');
select tests.clear_authentication();
select throws_ok('select public.get_mentor_context()', '42501', null, 'anon cannot call get_mentor_context');
select tests.reset_authentication();


-- start_mentor_session ------------------------------------------------------------------------------
select tests.authenticate_as('owner');
select set_config('t.s1', (public.start_mentor_session('tavus-s1', 'b1000000-0000-4000-8000-000000000002')).id::text, true);
select results_eq($$ select user_id, persona_id, provider_conversation_id, status, start_time, end_time, duration_seconds
                     from public.mentor_conversations where id = current_setting('t.s1')::uuid $$,
  $$ values (tests.get_supabase_uid('owner'), 'b1000000-0000-4000-8000-000000000002'::uuid, 'tavus-s1', 'active', now(), null::timestamptz, null::integer) $$,
  'start_mentor_session: an active conversation of the caller with the given persona');
select results_eq($$ select user_id, status, session_date, duration_seconds from public.daily_sessions where mentor_conversation_id = current_setting('t.s1')::uuid $$,
  $$ values (tests.get_supabase_uid('owner'), 'active', (now() at time zone 'Pacific/Kiritimati')::date, null::integer) $$,
  '... and its daily session, dated in the caller''s time zone');
select set_config('t.s2', (public.start_mentor_session('tavus-s2')).id::text, true);
select is((select persona_id from public.mentor_conversations where id = current_setting('t.s2')::uuid), 'b1000000-0000-4000-8000-000000000001'::uuid,
  'start_mentor_session without a persona: the caller''s default persona');
select throws_ok($$ select public.start_mentor_session('tavus-s1') $$, '23505', null,
  'start_mentor_session: a provider id already recorded is refused (23505)');
-- changed by 20261123050000_mentor_hardening: unique per user, so a stranger learns nothing
select lives_ok($$ select public.start_mentor_session('tavus-other-1') $$,
  '... but an id another user recorded is accepted like a fresh one (no existence oracle)');
select throws_ok($$ select public.start_mentor_session('  ') $$, '22023', null, 'start_mentor_session: a blank provider id is refused (22023)');
select throws_ok($$ select public.start_mentor_session(null) $$, '22023', null, 'start_mentor_session: a null provider id is refused (22023)');
select throws_ok($$ select public.start_mentor_session('tavus-x', 'b1000000-0000-4000-8000-000000000003') $$, '23503', null,
  'start_mentor_session: another user''s persona is refused (23503)');
select throws_ok($$ select public.start_mentor_session('tavus-x', gen_random_uuid()) $$, '23503', null,
  'start_mentor_session: an unknown persona is refused (23503)');
select tests.authenticate_as('blank');
select set_config('t.s3', (public.start_mentor_session('tavus-s3')).id::text, true);
select tests.reset_authentication();
select results_eq($$ select c.persona_id, d.session_date from public.mentor_conversations c
                     join public.daily_sessions d on d.mentor_conversation_id = c.id where c.id = current_setting('t.s3')::uuid $$,
  $$ values (null::uuid, (now() at time zone 'UTC')::date) $$,
  'a user without personas or preferences: no persona, the session dated in UTC');
select tests.authenticate_as('orphan');
select throws_ok($$ select public.start_mentor_session('tavus-orphan') $$, '23503', null,
  'start_mentor_session: a user without a profile is refused (23503)');
select tests.clear_authentication();
select throws_ok($$ select public.start_mentor_session('tavus-anon') $$, '42501', null, 'anon cannot call start_mentor_session');
select throws_ok($$ select convo.start_mentor_session('tavus-anon', null) $$, '42501', null, '... nor its definer body in convo');
select tests.authenticate_as_service_role();
select throws_ok($$ select public.start_mentor_session('tavus-svc') $$, '22023', null,
  'service_role without p_user_id: 22023 (it acts only for a user it names, since 20261123050000)');
select tests.reset_authentication();
select is((select count(*) from public.mentor_conversations
           where provider_conversation_id in ('tavus-x', 'tavus-orphan', 'tavus-anon', 'tavus-svc', '  ')), 0::bigint,
  'the refused starts wrote nothing');
select is((select count(*) from public.mentor_conversations c where not exists (
             select from public.daily_sessions d where d.mentor_conversation_id = c.id)), 0::bigint,
  'every conversation has its daily session');


-- end_mentor_session --------------------------------------------------------------------------------
update public.mentor_conversations set start_time = now() - interval '90.7 seconds' where id = current_setting('t.s1')::uuid;
select tests.authenticate_as('owner');
select results_eq($$ select status, end_time, duration_seconds from public.end_mentor_session(current_setting('t.s1')::uuid) $$,
  $$ values ('completed', now(), 90) $$,
  'end_mentor_session: completed, end_time now, duration in whole seconds from start_time');
select results_eq($$ select status, completed_at, duration_seconds from public.daily_sessions where mentor_conversation_id = current_setting('t.s1')::uuid $$,
  $$ values ('completed', now(), 90) $$, '... and its daily session, with the same end and duration');
select tests.reset_authentication();
select set_config('t.ctid_c', (select ctid::text from public.mentor_conversations where id = current_setting('t.s1')::uuid), true);
select set_config('t.ctid_d', (select ctid::text from public.daily_sessions where mentor_conversation_id = current_setting('t.s1')::uuid), true);
select tests.authenticate_as('owner');
select results_eq($$ select status, end_time, duration_seconds from public.end_mentor_session(current_setting('t.s1')::uuid) $$,
  $$ values ('completed', now(), 90) $$, 'ending it again reports the same end and duration');
select tests.reset_authentication();
select is(array[(select ctid::text from public.mentor_conversations where id = current_setting('t.s1')::uuid),
                (select ctid::text from public.daily_sessions where mentor_conversation_id = current_setting('t.s1')::uuid)],
          array[current_setting('t.ctid_c'), current_setting('t.ctid_d')],
          '... and writes nothing (both rows untouched)');
select tests.authenticate_as('other');
select throws_ok($$ select public.end_mentor_session(current_setting('t.s2')::uuid) $$, 'PT404', 'mentor conversation not found',
  'end_mentor_session: another user''s conversation is PT404 like an unknown one (since 20261123050000)');
select throws_ok($$ select public.end_mentor_session(gen_random_uuid()) $$, 'PT404', null,
  'end_mentor_session: an unknown id is PT404');
select throws_ok($$ select public.end_mentor_session(null) $$, '22023', null, 'end_mentor_session: a null id is refused (22023)');
select tests.clear_authentication();
select throws_ok($$ select public.end_mentor_session(current_setting('t.s2')::uuid) $$, '42501', null, 'anon cannot call end_mentor_session');
select tests.authenticate_as_service_role();
select throws_ok($$ select public.end_mentor_session(current_setting('t.s2')::uuid) $$, '22023', null,
  'service_role without p_user_id: 22023 (since 20261123050000)');
select tests.authenticate_as('owner');
select throws_ok($$ select convo.complete_mentor_conversation(current_setting('t.s2')::uuid) $$, '42501', null,
  'a user cannot call the internal convo.complete_mentor_conversation');
select tests.reset_authentication();
select is((select status from public.mentor_conversations where id = current_setting('t.s2')::uuid), 'active',
  'the refused ends left the conversation active');


-- record_mentor_webhook -----------------------------------------------------------------------------
select tests.authenticate_as_service_role();
select is(public.record_mentor_webhook('tavus-s2', 'conversation_started', '{"timestamp": "2026-11-22T10:00:00Z"}'),
  jsonb_build_object('conversation_id', current_setting('t.s2')::uuid, 'event_type', 'conversation_started', 'status', 'active', 'changed', true),
  'webhook conversation_started: recorded; the conversation stays active');
select is((select metadata -> 'webhook_events' -> 'conversation_started' from public.mentor_conversations where id = current_setting('t.s2')::uuid),
  '{"timestamp": "2026-11-22T10:00:00Z"}'::jsonb, '... its payload is in metadata.webhook_events');
select tests.reset_authentication();
select set_config('t.ctid_c', (select ctid::text from public.mentor_conversations where id = current_setting('t.s2')::uuid), true);
select tests.authenticate_as_service_role();
select is(public.record_mentor_webhook('tavus-s2', 'conversation_started', '{"timestamp": "2026-11-22T10:00:00Z"}') -> 'changed',
  'false'::jsonb, 'replaying conversation_started reports no change');
select tests.reset_authentication();
select is((select ctid::text from public.mentor_conversations where id = current_setting('t.s2')::uuid), current_setting('t.ctid_c'),
  '... and writes nothing');

select tests.authenticate_as_service_role();
select is(public.record_mentor_webhook('tavus-s1', 'transcript_ready',
  '{"event_type": "application.transcription_ready", "properties": {"transcript": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}], "recording_url": "https://rec.example/s1.mp4"}}')
  -> 'changed', 'true'::jsonb, 'webhook transcript_ready (Tavus shape, fields under properties): applied');
select results_eq($$ select transcript, recording_url, status, duration_seconds from public.mentor_conversations where id = current_setting('t.s1')::uuid $$,
  $$ values ('[{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]'::jsonb, 'https://rec.example/s1.mp4', 'completed', 90) $$,
  '... the transcript and recording url are on the conversation; status and duration untouched');
select results_eq($$ select transcript_data, summary_data from public.daily_sessions where mentor_conversation_id = current_setting('t.s1')::uuid $$,
  $$ values ('[{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]'::jsonb,
             '{"recording_url": "https://rec.example/s1.mp4"}'::jsonb) $$,
  '... and the transcript and recording url are on the daily session');
select is((select metadata -> 'webhook_events' -> 'transcript_ready' from public.mentor_conversations where id = current_setting('t.s1')::uuid),
  '{"event_type": "application.transcription_ready", "properties": {"recording_url": "https://rec.example/s1.mp4"}}'::jsonb,
  '... the event is kept in metadata without the transcript');
select tests.reset_authentication();
select set_config('t.ctid_c', (select ctid::text from public.mentor_conversations where id = current_setting('t.s1')::uuid), true);
select set_config('t.ctid_d', (select ctid::text from public.daily_sessions where mentor_conversation_id = current_setting('t.s1')::uuid), true);
select tests.authenticate_as_service_role();
select is(public.record_mentor_webhook('tavus-s1', 'transcript_ready',
  '{"event_type": "application.transcription_ready", "properties": {"transcript": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}], "recording_url": "https://rec.example/s1.mp4"}}')
  -> 'changed', 'false'::jsonb, 'replaying transcript_ready reports no change');
select tests.reset_authentication();
select is(array[(select ctid::text from public.mentor_conversations where id = current_setting('t.s1')::uuid),
                (select ctid::text from public.daily_sessions where mentor_conversation_id = current_setting('t.s1')::uuid)],
          array[current_setting('t.ctid_c'), current_setting('t.ctid_d')], '... and writes nothing');

update public.mentor_conversations set start_time = now() - interval '300 seconds' where id = current_setting('t.s2')::uuid;
select tests.authenticate_as_service_role();
select is(public.record_mentor_webhook('tavus-s2', 'conversation_ended', '{"summary": "talked about sleep"}'),
  jsonb_build_object('conversation_id', current_setting('t.s2')::uuid, 'event_type', 'conversation_ended', 'status', 'completed', 'changed', true),
  'webhook conversation_ended on an active conversation: completes it');
select results_eq($$ select c.status, c.end_time, c.duration_seconds, d.status, d.completed_at, d.duration_seconds, d.summary_data
                     from public.mentor_conversations c join public.daily_sessions d on d.mentor_conversation_id = c.id
                     where c.id = current_setting('t.s2')::uuid $$,
  $$ values ('completed', now(), 300, 'completed', now(), 300, '{"summary": "talked about sleep"}'::jsonb) $$,
  '... both records completed with one end time and the same duration, the summary kept');
select tests.reset_authentication();
select set_config('t.ctid_c', (select ctid::text from public.mentor_conversations where id = current_setting('t.s2')::uuid), true);
select set_config('t.ctid_d', (select ctid::text from public.daily_sessions where mentor_conversation_id = current_setting('t.s2')::uuid), true);
select tests.authenticate_as_service_role();
select is(public.record_mentor_webhook('tavus-s2', 'conversation_ended', '{"summary": "talked about sleep"}') -> 'changed',
  'false'::jsonb, 'replaying conversation_ended reports no change');
select tests.reset_authentication();
select is(array[(select ctid::text from public.mentor_conversations where id = current_setting('t.s2')::uuid),
                (select ctid::text from public.daily_sessions where mentor_conversation_id = current_setting('t.s2')::uuid)],
          array[current_setting('t.ctid_c'), current_setting('t.ctid_d')], '... and writes nothing');
select tests.authenticate_as('owner');
select results_eq($$ select status, end_time, duration_seconds from public.end_mentor_session(current_setting('t.s2')::uuid) $$,
  $$ values ('completed', now(), 300) $$, 'end_mentor_session after the provider ended it: the same end and duration');
select tests.authenticate_as_service_role();
select is(public.record_mentor_webhook('tavus-s1', 'conversation_ended', '{}') ->> 'status', 'completed',
  'conversation_ended after end_mentor_session: harmless');
select is((select duration_seconds from public.mentor_conversations where id = current_setting('t.s1')::uuid), 90, '... the duration stays');

select throws_ok($$ select public.record_mentor_webhook('tavus-nope', 'conversation_started', '{}') $$, 'PT404', null,
  'webhook for an unknown conversation: PT404');
select throws_ok($$ select public.record_mentor_webhook('tavus-s1', 'conversation_paused', '{}') $$, '22023', null,
  'webhook with an unknown event type: 22023');
select throws_ok($$ select public.record_mentor_webhook('tavus-s1', null, '{}') $$, '22023', null,
  'webhook without an event type: 22023');
select throws_ok($$ select public.record_mentor_webhook(' ', 'conversation_started', '{}') $$, '22023', null,
  'webhook with a blank conversation id: 22023');
select throws_ok($$ select public.record_mentor_webhook('tavus-s1', 'transcript_ready', '{"properties": {}}') $$, '22023', null,
  'webhook transcript_ready without a transcript: 22023');
select throws_ok($$ select public.record_mentor_webhook('tavus-s1', 'conversation_started', '[1, 2]') $$, '22023', null,
  'webhook with a payload that is not an object: 22023');
select lives_ok($$ select public.record_mentor_webhook('tavus-s3', 'conversation_started') $$, 'the payload is optional');
select tests.authenticate_as('owner');
select throws_ok($$ select public.record_mentor_webhook('tavus-s1', 'conversation_ended', '{}') $$, '42501', null,
  'a signed-in user cannot call record_mentor_webhook');
select tests.clear_authentication();
select throws_ok($$ select public.record_mentor_webhook('tavus-s1', 'conversation_ended', '{}') $$, '42501', null,
  'anon cannot call record_mentor_webhook');

select tests.reset_authentication();
select * from finish();
rollback;
