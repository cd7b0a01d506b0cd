-- Session-type templates (issue 21): the table the guide's Edge Function get-cached-session-types
-- reads (`from('session_type_templates').select('*')`): signed-in users read the active types,
-- the service role maintains them, anon gets nothing.
begin;
select plan(16);

select tests.create_supabase_user('reader', 'reader@templates.test');

select has_table('public', 'session_type_templates', 'session_type_templates exists');
select col_is_pk('public', 'session_type_templates', 'key', 'its key is the session type');
select results_eq($$ select key, jsonb_typeof(default_goals), jsonb_typeof(default_rules), is_active
                     from public.session_type_templates order by sort_order $$,
  $$ values ('mediated_discussion'::text, 'array'::text, 'array'::text, true), ('problem_solving', 'array', 'array', true) $$,
  'the two types the guide names, with goals and rules, active');
select ok(bool_and(convo.session_type_allows_participant_uploads(key)), 'participants may upload files in both types')
from public.session_type_templates;

-- who reads
select is(tests.row_count('select * from public.session_type_templates', 'reader'), 2::bigint, 'a signed-in user reads both');
select is(tests.sqlstate_of('select * from public.session_type_templates', 'anon'), '42501', 'anon: 42501 (no privilege)');
select is(tests.row_count('select * from public.session_type_templates', 'service_role'), 2::bigint, 'the service role reads them');
update public.session_type_templates set is_active = false where key = 'problem_solving';
select is(tests.value_of('select string_agg(key, '','') from public.session_type_templates', 'reader'), 'mediated_discussion',
  'an inactive type is hidden from users');
select is(tests.row_count('select * from public.session_type_templates', 'service_role'), 2::bigint, '... not from the service role');

-- who writes
select is(tests.sqlstate_of($$ insert into public.session_type_templates (key, title) values ('x', 'X') $$, 'reader'), '42501',
  'a user may not add a type');
select is(tests.sqlstate_of($$ update public.session_type_templates set title = 'mine' $$, 'reader'), '42501',
  'a user may not change one');
select is(tests.sqlstate_of($$ delete from public.session_type_templates $$, 'reader'), '42501', 'a user may not delete one');
select is(tests.affected($$ insert into public.session_type_templates (key, title, default_goals, is_active, created_at)
                            values ('check_in', 'Check-in', null, null, '2000-01-01') $$, 'service_role'), 1::bigint,
  'the service role adds a type');
select results_eq($$ select default_goals, is_active from public.session_type_templates where key = 'check_in' $$,
  $$ values ('[]'::jsonb, true) $$, 'explicit nulls take the defaults');
select is(tests.sqlstate_of($$ insert into public.session_type_templates (key, title) values ('Bad Key', 'x') $$, 'service_role'), '23514',
  'a key that is no snake_case name: 23514');
select is(tests.sqlstate_of($$ insert into public.session_type_templates (key, title, default_rules) values ('k2', 'x', '{"a": 1}') $$, 'service_role'), '23514',
  'rules that are no array: 23514');

select * from finish();
rollback;
