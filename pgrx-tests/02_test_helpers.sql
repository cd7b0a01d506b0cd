-- The test-helper library itself (sql/test_helpers.sql): every suite trusts these helpers to
-- create users, to act as them the way PostgREST does, and to count and refuse correctly, so
-- they are tested like the schema is.
begin;
select plan(83);

-- A scratch table with RLS (rolled back with the test): each row belongs to a user; a user sees
-- and changes only their own rows, anon nothing, the service role everything.
create temp table scratch (n int primary key, owner uuid);
alter table scratch enable row level security;
create policy scratch_own on scratch to authenticated
  using (owner = (select auth.uid())) with check (owner = (select auth.uid()));
grant select, insert, update, delete on scratch to anon, authenticated, service_role;


-- Users by name ---------------------------------------------------------------------------------------

select tests.create_supabase_user('alice') as alice \gset
select tests.create_supabase_user('bob', 'bob@helpers.test', '+15550009999',
                                  '{"full_name": "Bob Builder"}') as bob \gset

select is(tests.get_supabase_uid('alice'), :'alice'::uuid, 'create_supabase_user returns the id get_supabase_uid finds by name');
select is(tests.get_supabase_uid('bob'), :'bob'::uuid, '... for each user');
select results_eq(
  format($$ select aud::text, role::text, email::text, phone from auth.users where id = %L $$, :'alice'),
  $$ values ('authenticated', 'authenticated', 'alice@example.test', null::text) $$,
  'the auth user is what GoTrue writes; email defaults to <identifier>@example.test');
select results_eq(
  format($$ select email::text, phone, raw_user_meta_data from auth.users where id = %L $$, :'bob'),
  $$ values ('bob@helpers.test', '+15550009999', '{"full_name": "Bob Builder"}'::jsonb) $$,
  'email, phone and metadata are the ones given (metadata = raw_user_meta_data)');
select is((select email_confirmed_at is not null from auth.users where id = :'alice'), true,
  'the email is confirmed, as where confirmation is off');
select tests.create_supabase_user('una', confirmed => false) as una \gset
select is((select email_confirmed_at from auth.users where id = :'una'), null, 'confirmed => false: not confirmed (yet)');
select is(tests.get_supabase_user('bob'),
  jsonb_build_object('id', :'bob'::uuid, 'email', 'bob@helpers.test', 'phone', '+15550009999',
                     'app_metadata', '{"provider": "email", "providers": ["email"]}'::jsonb,
                     'user_metadata', '{"full_name": "Bob Builder"}'::jsonb),
  'get_supabase_user: id, email, phone and both metadata objects');

select throws_ok($$ select tests.create_supabase_user('alice') $$, '23505',
  'tests.create_supabase_user: a test user with that identifier exists', 'an identifier names one user: a second one is 23505');
select throws_ok($$ select tests.create_supabase_user('service_role') $$, '22023',
  'tests.create_supabase_user: that identifier names a role in tests.authenticate',
  'the role names of tests.authenticate are no identifiers');
select throws_ok($$ select tests.create_supabase_user('') $$, '22023',
  'tests.create_supabase_user: an identifier is required', 'an empty identifier is refused');
select throws_ok($$ select tests.get_supabase_uid('mallory') $$, 'P0002',
  'tests: no test user has that identifier', 'an unknown identifier: P0002 (the name only in DETAIL)');
select is(tests.error_of($$ select tests.get_supabase_uid('mallory') $$, null, true),
  'P0002: tests: no test user has that identifier / mallory', '... which carries the identifier');

-- run as a user, get_supabase_uid still reads the book (auth.users is not theirs to read)
select tests.authenticate_as('alice');
select is(tests.get_supabase_uid('bob'), :'bob'::uuid, 'get_supabase_uid works from an API role');
select isnt(tests.create_supabase_user('carol'), null, 'a user can be created while acting as another');
select tests.reset_authentication();


-- authenticate_as: role and claims, as PostgREST sets them ---------------------------------------------

-- a previous request's per-claim settings (old PostgREST) would win over the JSON claims
select set_config('request.jwt.claim.sub', :'bob', true) || set_config('request.jwt.claim.role', 'service_role', true)
    || set_config('request.jwt.claim.email', 'bob@helpers.test', true) || set_config('request.jwt.claim', '{"sub": "stale"}', true)
  is not null as stale_claims_set;
select tests.authenticate_as('alice');
select is(current_user::text, 'authenticated', 'authenticate_as: role authenticated');
select is(auth.uid(), :'alice'::uuid, '... auth.uid() is the user (the stale request.jwt.claim.sub is emptied)');
select is(auth.role(), 'authenticated', '... auth.role() authenticated (request.jwt.claim.role emptied)');
select is(auth.email(), 'alice@example.test', '... auth.email() the user''s (request.jwt.claim.email emptied)');
select is(auth.jwt() ->> 'sub', :'alice', '... auth.jwt() the user''s claims (request.jwt.claim emptied)');
select ok(auth.jwt() ?& array['sub', 'role', 'aud', 'email', 'phone', 'app_metadata', 'user_metadata'],
  '... the claims of a GoTrue access token');
select is(current_setting('request.jwt.claims')::jsonb ->> 'aud', 'authenticated', '... audience authenticated');
select is(convo.acting_user(null), :'alice'::uuid, '... so the acting-user rule acts for the user');

-- switching user to user, and from anon
select tests.authenticate_as('bob');
select is(auth.uid(), :'bob'::uuid, 'authenticate_as from another user: the new user');
select tests.clear_authentication();
select tests.authenticate_as('alice');
select is(auth.uid(), :'alice'::uuid, 'authenticate_as from anon: the user');
select is(current_user::text, 'authenticated', '... as authenticated');

select throws_ok($$ select tests.authenticate_as('mallory') $$, 'P0002', null, 'authenticate_as an unknown name: P0002');
select is(auth.uid(), :'alice'::uuid, '... and whom we act as does not change');

-- RLS sees the user
select tests.reset_authentication();
insert into scratch values (1, :'alice'), (2, :'alice'), (3, :'bob');
select tests.authenticate_as('alice');
select is((select array_agg(n order by n) from scratch), array[1, 2], 'as alice, RLS shows alice''s rows');

-- a user whose auth row is gone can still present their token (as a client holding an old JWT)
select tests.reset_authentication();
delete from auth.users where id = tests.get_supabase_uid('carol');
select tests.authenticate_as('carol');
select is(auth.uid(), tests.get_supabase_uid('carol'), 'authenticate_as a deleted auth user: their id, as their old token says');
select is(auth.email(), null, '... without the email the row held');


-- The other three: anon, the service role, postgres ------------------------------------------------------

select tests.authenticate_as('alice');
select tests.clear_authentication();
select is(current_user::text, 'anon', 'clear_authentication: role anon');
select is(auth.uid(), null, '... auth.uid() null');
select is(auth.role(), 'anon', '... auth.role() anon, as for a request with the anon key');
select is((select count(*) from scratch), 0::bigint, '... RLS shows anon nothing');

select tests.authenticate_as('alice');
select tests.authenticate_as_service_role();
select is(current_user::text, 'service_role', 'authenticate_as_service_role: role service_role');
select is(auth.uid(), null, '... auth.uid() null');
select is(auth.role(), 'service_role', '... auth.role() service_role');
select is((select count(*) from scratch), 3::bigint, '... which bypasses RLS');
select is(convo.acting_user(:'bob'), :'bob'::uuid, '... so the acting-user rule acts for the user it names');

select tests.authenticate_as('alice');
select tests.reset_authentication();
select is(current_user, session_user, 'reset_authentication: the session''s own role');
select is(current_setting('role'), 'none', '... no SET ROLE in effect');
select is(auth.uid(), null, '... no claims');

select tests.authenticate('bob');
select is(auth.uid(), :'bob'::uuid, 'authenticate(identifier) = authenticate_as');
select tests.authenticate('anon');
select is(current_user::text, 'anon', 'authenticate(''anon'') = clear_authentication');
select tests.authenticate('service_role');
select is(current_user::text, 'service_role', 'authenticate(''service_role'') = authenticate_as_service_role');
select tests.authenticate('postgres');
select is(current_user, session_user, 'authenticate(''postgres'') = reset_authentication');


-- Running statements ------------------------------------------------------------------------------------

select is(tests.affected($$ update scratch set n = n * 10 where n < 3 $$, 'alice'), 2::bigint,
  'affected: rows a statement changed, as the user named');
select is(current_user, session_user, '... and afterwards we act as before');
select is(tests.affected($$ update scratch set n = 30 where n = 3 $$, 'alice'), 0::bigint,
  '... 0 for a row RLS hides from that user');
select is(tests.affected(format($$ insert into scratch values (4, %L), (5, %L) $$, :'alice', :'alice'), 'alice'), 2::bigint,
  '... inserts count');
select is(tests.affected($$ select * from scratch $$, 'alice'), 4::bigint, '... a query: the rows it returned');
select is(tests.affected($$ select * from scratch $$), 5::bigint, '... as the current role when nobody is named');

select is(tests.would_affect($$ delete from scratch $$, 'alice'), 4::bigint, 'would_affect: the rows it would change ...');
select is((select count(*) from scratch), 5::bigint, '... and then it is undone');
select is(current_user, session_user, '... and we act as before');
select throws_ok($$ select tests.would_affect('insert into scratch values (3, null)', 'service_role') $$, '23505', null,
  'would_affect: an error propagates');

select is(tests.row_count($$ select * from scratch $$, 'alice'), 4::bigint, 'row_count: what RLS lets alice see');
select is(tests.row_count($$ select * from scratch $$, 'bob'), 1::bigint, '... bob');
select is(tests.row_count($$ select * from scratch $$, 'anon'), 0::bigint, '... anon');
select is(tests.row_count($$ select * from scratch $$, 'service_role'), 5::bigint, '... the service role');

select is(tests.value_of($$ select auth.uid() $$, 'bob'), :'bob', 'value_of: the query''s value as the user named');
select is(tests.value_of($$ select n from scratch where n > 1000 $$), null, '... null when there is no row');

select is(tests.error_of(format($$ insert into scratch values (6, %L) $$, :'bob'), 'alice'),
  '42501: new row violates row-level security policy for table "scratch"',
  'error_of: SQLSTATE and message of a refusal, as the user named');
select is(current_user, session_user, '... and we act as before, though the statement failed');
select is(tests.sqlstate_of(format($$ insert into scratch values (6, %L) $$, :'bob'), 'alice'), '42501',
  'sqlstate_of: only the SQLSTATE');
select is(tests.error_of($$ do $d$ begin raise exception 'refused' using errcode = '22023', detail = 'the value'; end $d$ $$),
  '22023: refused', 'error_of leaves the DETAIL out by default');
select is(tests.error_of($$ do $d$ begin raise exception 'refused' using errcode = '22023', detail = 'the value'; end $d$ $$, null, true),
  '22023: refused / the value', '... and adds it when asked');
select is(tests.error_of(format($$ insert into scratch values (6, %L) $$, :'alice'), 'alice'), 'ok',
  'error_of: ok when it works ...');
select is(tests.row_count($$ select * from scratch where n = 6 $$), 1::bigint, '... and its effects stay');
select is(tests.sqlstate_of('select 1'), 'ok', 'sqlstate_of: ok when it works');

select is(tests.plan_of($$ select * from scratch where n = 1 $$)::json -> 0 -> 'Plan' ->> 'Relation Name', 'scratch',
  'plan_of: the EXPLAIN (FORMAT JSON) of a statement');
create temp table entries (n int primary key);
insert into entries select generate_series(1, 10);
select tests.index_entries_read('entries') as e0 \gset
select count(*) from entries \g /dev/null
select is(tests.index_entries_read('entries') - :e0, 0::bigint, 'index_entries_read: nothing read by a seq scan');
set local enable_seqscan = off;
select count(*) from entries where n between 3 and 7 \g /dev/null
reset enable_seqscan;
select is(tests.index_entries_read('entries') - :e0, 5::bigint, '... and one entry per row an index scan found');

-- nested: as alice, a helper run as bob leaves us alice
select tests.authenticate_as('alice');
select is(tests.row_count($$ select * from scratch $$, 'bob'), 1::bigint, 'run as bob while acting as alice ...');
select is(auth.uid(), :'alice'::uuid, '... and we are alice again afterwards, claims included');
select tests.reset_authentication();


-- The older names still work ----------------------------------------------------------------------------

select tests.create_user('dora@helpers.test', 'Dora Explorer') as dora \gset
select is(tests.get_supabase_uid('dora@helpers.test'), :'dora'::uuid, 'create_user: the email is the identifier');
select is((select raw_user_meta_data ->> 'full_name' from auth.users where id = :'dora'), 'Dora Explorer',
  '... the full name is in the metadata');
select tests.create_user('eve@helpers.test') as eve \gset
select is((select raw_user_meta_data ->> 'full_name' from auth.users where id = :'eve'),
  'eve', '... and defaults to the email''s local part');

select set_config('request.jwt.claim.sub', :'bob', true);
select tests.act_as_user(:'dora');
select is(auth.uid(), :'dora'::uuid, 'act_as_user: the user by id (stale per-claim settings emptied)');
select tests.act_as_anon();
select is(current_user::text || ' ' || coalesce(auth.uid()::text, 'no uid'), 'anon no uid', 'act_as_anon');
select tests.act_as_service();
select is(current_user::text, 'service_role', 'act_as_service');
select tests.act_as('authenticated');
select is(current_user::text || ' ' || coalesce(auth.uid()::text, 'no uid'), 'authenticated no uid',
  'act_as(role): a token of that role without a sub');
select tests.act_as_postgres();
select is(current_user::text || ' ' || coalesce(auth.uid()::text, 'no uid'), 'postgres no uid', 'act_as_postgres');

select * from finish();
rollback;
