-- Demo data for the local stack (`make up`), like a Supabase project's seed.sql.
-- Idempotent: rows are only added where missing. Never applied by migrations.

insert into auth.users (id, aud, role, email, raw_user_meta_data, raw_app_meta_data, email_confirmed_at)
values
  ('11111111-1111-4111-8111-111111111111', 'authenticated', 'authenticated', 'alice@example.com',
   '{"full_name": "Alice Example"}', '{"provider": "email"}', now()),
  ('22222222-2222-4222-8222-222222222222', 'authenticated', 'authenticated', 'bob@example.com',
   '{"full_name": "Bob Example"}', '{"provider": "email"}', now()),
  ('33333333-3333-4333-8333-333333333333', 'authenticated', 'authenticated', 'carol@example.com',
   '{"full_name": "Carol Example"}', '{"provider": "email"}', now())
on conflict (id) do nothing;
