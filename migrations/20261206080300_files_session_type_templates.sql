-- Files and live sessions (issue 21), 3: session_type_templates. The kinds of mediated session
-- a host can start, read by the app (the guide's Edge Function get-cached-session-types:
-- `from('session_type_templates').select('*')`) to prefill a new session's goals and rules.
--   select: signed-in users, the active templates
--   insert / update / delete: the service role only (the product's catalogue, not users' data)

create table public.session_type_templates (
  key text not null,
  title text not null,
  description text,
  default_goals jsonb not null default '[]',
  default_rules jsonb not null default '[]',
  is_active boolean not null default true,
  sort_order integer not null default 0,
  created_at timestamptz not null default now(),
  constraint session_type_templates_pkey primary key (key),
  -- the value sessions.session_type takes: a short snake_case name
  constraint session_type_templates_key_check check (key ~ '^[a-z][a-z0-9_]{0,62}$'),
  constraint session_type_templates_key_length_check check (char_length(key) <= 63),
  constraint session_type_templates_title_length_check check (char_length(title) <= 200),
  constraint session_type_templates_description_length_check check (char_length(description) <= 4000),
  constraint session_type_templates_default_goals_check check (jsonb_typeof(default_goals) = 'array'),
  constraint session_type_templates_default_goals_length_check check (octet_length(default_goals::text) <= 65536),
  constraint session_type_templates_default_rules_check check (jsonb_typeof(default_rules) = 'array'),
  constraint session_type_templates_default_rules_length_check check (octet_length(default_rules::text) <= 65536)
);

alter table public.session_type_templates enable row level security;

create policy "Signed-in users can read the active session types" on public.session_type_templates
  for select to authenticated
  using (is_active);

create index idx_session_type_templates_active on public.session_type_templates (sort_order, key) where is_active;

revoke all on public.session_type_templates from anon, authenticated;
grant select on public.session_type_templates to authenticated;
grant all on public.session_type_templates to service_role;

select convo.install_keep_server_columns('public.session_type_templates', array['created_at']);
select convo.install_fill_column_defaults('public.session_type_templates');

comment on table public.session_type_templates is
  'The kinds of mediated session (sessions.session_type), with the goals and rules a new session of that kind starts with. Signed-in users read the active ones; the service role maintains them.';
comment on column public.session_type_templates.key is 'The value of sessions.session_type, e.g. mediated_discussion.';
comment on column public.session_type_templates.default_goals is 'JSON array of strings: a new session''s goals.';
comment on column public.session_type_templates.default_rules is 'JSON array of strings: a new session''s rules.';
comment on column public.session_type_templates.is_active is 'Inactive types are hidden from users (kept for the sessions that use them).';
comment on column public.session_type_templates.sort_order is 'The order the app lists the types in (ascending).';

-- The two types the Understand.me guide names. Participants upload their own files in both
-- (convo.session_type_allows_participant_uploads).
insert into public.session_type_templates (key, title, description, default_goals, default_rules, sort_order) values
  ('mediated_discussion', 'Mediated discussion',
   'Two or more people talk a disagreement through with Alex, the AI mediator, who keeps turns fair and sums up where they stand.',
   '["Each person states their perspective", "Find the points everyone agrees on", "Agree on next steps"]',
   '["One person speaks at a time", "Speak about your own experience", "No interrupting"]',
   10),
  ('problem_solving', 'Problem solving',
   'A group works on a shared problem with Alex guiding them from the problem statement to options and a decision.',
   '["Define the problem together", "Collect options", "Choose an option and owners"]',
   '["Build on each other''s ideas", "Critique ideas, not people", "Stay on the problem at hand"]',
   20);
