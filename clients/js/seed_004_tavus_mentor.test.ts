// Seed 004, the Tavus mentor's "Backend Operations": three Supabase Edge Functions (Deno,
// supabase-js, service-role key) described without code. This replays what they do:
// start-tavus-session (aggregate the user's context in parallel, record the conversation and the
// daily session), tavus-webhook (transcript, recording), end-tavus-session (ownership, duration);
// plus what the user's app writes first (personas, onboarding, rituals, focus areas, goals).
import { test, before } from 'node:test';
import { assert, replaySeed, createUser, ok, refused, randomUUID } from './helpers.ts';
import type { Client, User } from './helpers.ts';
import type { Tables } from '../../types/database.ts';

const seed = replaySeed('004', 'Tavus mentor');
const admin = seed.asService();      // SUPABASE_SERVICE_ROLE_KEY, as the Edge Functions hold it
let user: User, other: User, userDb: Client;
let avatar: Tables<'mentor_avatars'>, persona: Tables<'user_personas'>;

before(async () => {
  user = await createUser({ fullName: 'Mia Mentee' });
  other = await createUser({ fullName: 'Olu Other' });
  userDb = seed.asUser(user.id);
  avatar = ok(await admin.from('mentor_avatars')
    .insert({ name: 'Anna', provider_replica_id: `r_${randomUUID()}`, sort_order: 1 }).select().single());
});

test('the app: persona, onboarding, ritual preferences, focus areas and goals (the user\'s own rows)', async () => {
  const avatars = ok(await userDb.from('mentor_avatars').select('id, name').eq('is_active', true).order('sort_order'));
  assert.ok(avatars.some((a) => a.id === avatar.id));
  persona = ok(await userDb.from('user_personas')
    .insert({ user_id: user.id, avatar_id: avatar.id, name: 'Coach Anna', is_default: true }).select().single());
  ok(await userDb.from('onboarding_profiles').upsert({
    user_id: user.id, disc_type: 'DI', enneagram_type: 3, enneagram_wing: 4, focus_areas: ['confidence'],
    personality_insights: { summary: 'driven' } }, { onConflict: 'user_id' }));
  ok(await userDb.from('ritual_preferences').upsert(
    { user_id: user.id, preferred_time: '07:30', timezone: 'Europe/Berlin', session_duration_minutes: 10 },
    { onConflict: 'user_id' }));
  ok(await userDb.from('user_emotional_categories').insert([
    { user_id: user.id, category: 'anxiety', priority: 1 },
    { user_id: user.id, category: 'motivation', priority: 2 }]));
  ok(await userDb.from('user_goals').insert([
    { user_id: user.id, title: 'Speak up in meetings', status: 'active' },
    { user_id: user.id, title: 'Old goal', status: 'archived' }]));
  refused(await userDb.from('ritual_preferences').upsert({ user_id: user.id, timezone: 'Mars/Olympus' },
    { onConflict: 'user_id' }), { status: 400, code: '22023' });
  refused(await userDb.from('user_goals').insert({ user_id: other.id, title: 'not mine' }), { status: 403, code: '42501' });
});

test('start-tavus-session, step 1: the user\'s data fetched in parallel with the service key', async () => {
  const [profile, onboarding, ritual, categories, goals] = await Promise.all([
    admin.from('profiles').select('*').eq('id', user.id).single(),
    admin.from('onboarding_profiles').select('*').eq('user_id', user.id).maybeSingle(),
    admin.from('ritual_preferences').select('*').eq('user_id', user.id).maybeSingle(),
    admin.from('user_emotional_categories').select('*').eq('user_id', user.id).order('priority', { ascending: true }),
    admin.from('user_goals').select('*').eq('user_id', user.id).eq('status', 'active'),
  ]);
  assert.equal(ok(profile).full_name, 'Mia Mentee');
  assert.equal(ok(onboarding).disc_type, 'DI');
  assert.equal(ok(ritual).timezone, 'Europe/Berlin');
  assert.deepEqual(ok(categories).map((c) => c.category), ['anxiety', 'motivation']);
  assert.deepEqual(ok(goals).map((g) => g.title), ['Speak up in meetings']);
  // missing data is handled gracefully: maybeSingle() gives null, not an error
  assert.equal(ok(await admin.from('onboarding_profiles').select('*').eq('user_id', other.id).maybeSingle()), null);
});

let conversation: Tables<'mentor_conversations'>;

test('the app itself: a signed-in user starts a mentor session (start_mentor_session, p_user_id omitted)', async () => {
  conversation = ok(await userDb.rpc('start_mentor_session', { p_provider_conversation_id: `tavus_${randomUUID()}` }));
  assert.equal(conversation.user_id, user.id);
  assert.equal(conversation.persona_id, persona.id, 'the default persona');
  // bad input: blank provider id, a provider id already used, a persona that is not yours
  refused(await userDb.rpc('start_mentor_session', { p_provider_conversation_id: '  ' }), { status: 400, code: '22023' });
  refused(await userDb.rpc('start_mentor_session', { p_provider_conversation_id: conversation.provider_conversation_id }),
    { status: 409, code: '23505' });
  refused(await seed.asUser(other.id).rpc('start_mentor_session',
    { p_provider_conversation_id: `tavus_${randomUUID()}`, p_persona_id: persona.id }), { status: 409, code: '23503' });
});

test('tavus-webhook: transcript_ready and a recording, matched by the Tavus conversation id', async () => {
  const res = ok(await admin.rpc('record_mentor_webhook', {
    p_provider_conversation_id: conversation.provider_conversation_id,
    p_event_type: 'transcript_ready',
    p_payload: { properties: { transcript: [{ role: 'user', content: 'hi' }], recording_url: 'https://rec.example/1.mp4' } },
  }));
  assert.deepEqual(res, { conversation_id: conversation.id, event_type: 'transcript_ready', status: 'active', changed: true });
  const daily = ok(await userDb.from('daily_sessions').select('transcript_data, summary_data')
    .eq('mentor_conversation_id', conversation.id).single());
  assert.deepEqual(daily.transcript_data, [{ role: 'user', content: 'hi' }]);
  assert.equal((daily.summary_data as { recording_url?: string }).recording_url, 'https://rec.example/1.mp4');
  refused(await admin.rpc('record_mentor_webhook', {
    p_provider_conversation_id: conversation.provider_conversation_id, p_event_type: 'nonsense', p_payload: {} }),
  { status: 400, code: '22023' });
  refused(await admin.rpc('record_mentor_webhook', {
    p_provider_conversation_id: `tavus_${randomUUID()}`, p_event_type: 'conversation_started', p_payload: {} }),
  { status: 404 });
});

test('the app itself: the user ends their own session; another user cannot', async () => {
  refused(await seed.asUser(other.id).rpc('end_mentor_session', { p_conversation_id: conversation.id }));
  const ended = ok(await userDb.rpc('end_mentor_session', { p_conversation_id: conversation.id }));
  assert.equal(ended.status, 'completed');
  const daily = ok(await userDb.from('daily_sessions').select('status, duration_seconds')
    .eq('mentor_conversation_id', conversation.id).single());
  assert.deepEqual(daily, { status: 'completed', duration_seconds: ended.duration_seconds });
});

test('issue 10 #5: get_mentor_context for a named user with the service key, as the user gets it', async () => {
  // the RPC returns jsonb (Json in the generated types): the app names the shape it reads
  type MentorContext = { profile: { id: string }; active_goals: { title: string }[] };
  const mine = ok(await userDb.rpc('get_mentor_context')) as MentorContext;
  assert.equal(mine.profile.id, user.id);
  assert.deepEqual(mine.active_goals.map((g) => g.title), ['Speak up in meetings']);
  const theirs = ok(await admin.rpc('get_mentor_context', { p_user_id: user.id }), 'get_mentor_context as service');
  assert.deepEqual(theirs, mine);
  assert.deepEqual(ok(await userDb.rpc('get_mentor_context', { p_user_id: user.id })), mine);
});

let svcConversation: Tables<'mentor_conversations'>;

test('issue 10 #5: start-tavus-session, step 4: start_mentor_session for the user with the service key', async () => {
  svcConversation = ok(await admin.rpc('start_mentor_session',
    { p_user_id: user.id, p_provider_conversation_id: `tavus_${randomUUID()}` }), 'start_mentor_session as service');
  assert.equal(svcConversation.user_id, user.id);
  assert.equal(svcConversation.status, 'active');
  assert.equal(svcConversation.persona_id, persona.id, 'the default persona');
  const daily = ok(await admin.from('daily_sessions').select('*').eq('mentor_conversation_id', svcConversation.id).single());
  assert.equal(daily.user_id, user.id);
  assert.equal(daily.status, 'active');
  // the user sees both records in the app
  assert.equal(ok(await userDb.from('mentor_conversations').select('id').eq('id', svcConversation.id)).length, 1);
});

test('issue 10 #5: end-tavus-session: ownership checked, duration computed, both records completed', async () => {
  // the Edge Function names the user; ending someone else's conversation is refused like a missing one
  const notTheirs = refused(await admin.rpc('end_mentor_session', { p_user_id: other.id, p_conversation_id: svcConversation.id }));
  const missing = refused(await admin.rpc('end_mentor_session', { p_user_id: other.id, p_conversation_id: randomUUID() }));
  assert.deepEqual([notTheirs.code, notTheirs.message], [missing.code, missing.message]);
  assert.ok(!notTheirs.message.includes(svcConversation.id), notTheirs.message);
  const ended = ok(await admin.rpc('end_mentor_session', { p_user_id: user.id, p_conversation_id: svcConversation.id }),
    'end_mentor_session as service');
  assert.equal(ended.status, 'completed');
  assert.ok(ended.duration_seconds !== null && ended.duration_seconds >= 0 && ended.end_time);
  const daily = ok(await userDb.from('daily_sessions').select('status, duration_seconds, completed_at')
    .eq('mentor_conversation_id', svcConversation.id).single());
  assert.equal(daily.status, 'completed');
  assert.equal(daily.duration_seconds, ended.duration_seconds);
});

test('issue 10 #5: the acting-user rule on the mentor RPCs', async () => {
  // each RPC called without p_user_id, then with another user's (one typed call per RPC)
  const calls = [
    (db: Client, actingFor?: { p_user_id: string }) => db.rpc('get_mentor_context', { ...actingFor }),
    (db: Client, actingFor?: { p_user_id: string }) =>
      db.rpc('start_mentor_session', { p_provider_conversation_id: `tavus_${randomUUID()}`, ...actingFor }),
    (db: Client, actingFor?: { p_user_id: string }) => db.rpc('end_mentor_session', { p_conversation_id: randomUUID(), ...actingFor }),
  ];
  for (const call of calls) {
    refused(await call(admin), { status: 400, code: '22023' });
    refused(await call(userDb, { p_user_id: other.id }), { status: 403, code: '42501' });
  }
});

test('issue 10 #5: a signed-in user may pass their own p_user_id', async () => {
  const c = ok(await userDb.rpc('start_mentor_session',
    { p_user_id: user.id, p_provider_conversation_id: `tavus_${randomUUID()}`, p_persona_id: persona.id }));
  assert.equal(c.persona_id, persona.id);
  assert.equal(ok(await userDb.rpc('end_mentor_session', { p_user_id: user.id, p_conversation_id: c.id })).status,
    'completed');
});
