// Seed 001, Bondhu AI's Next.js frontend (supabase-js with the anon key and the user's session):
// its dashboard / SSR / middleware profile reads and the personality assessment's profile update.
// (The FastAPI backend's supabase-py calls: clients/py/test_seed_001_bondhu.py.)
import { test, before } from 'node:test';
import { assert, replaySeed, createUser, ok, refused } from './helpers.ts';
import type { Client, User } from './helpers.ts';

const seed = replaySeed('001', 'Bondhu AI');
let user: User, other: User, supabase: Client;

before(async () => {
  user = await createUser({ fullName: 'Nadia Islam' });
  other = await createUser();
  supabase = seed.asUser(user.id);   // createBrowserClient(url, anon key) holding Nadia's session
});

test('middleware: .select(onboarding_completed).eq(id).single() sends a new user to onboarding', async () => {
  const { data: profile } = await supabase.from('profiles').select('onboarding_completed').eq('id', user.id).single();
  assert.deepEqual(profile, { onboarding_completed: false });
});

test('Pattern 2: the assessment updates the profile (scores, onboarding_completed, personality_llm_context)', async () => {
  const scores = { personality_openness: 70, personality_conscientiousness: 64, personality_extraversion: 38,
    personality_agreeableness: 81, personality_neuroticism: 45 };
  ok(await supabase.from('profiles').update({ ...scores, onboarding_completed: true,
    personality_completed_at: new Date().toISOString() }).eq('id', user.id));
  ok(await supabase.from('profiles').update({ personality_llm_context: { style: 'gentle', openness: 'high' } })
    .eq('id', user.id));
  const profile = ok(await supabase.from('profiles').select('*').eq('id', user.id).single());
  assert.equal(profile.onboarding_completed, true);
  assert.equal(profile.personality_agreeableness, 81);
  assert.equal(profile.has_completed_personality_assessment, true);
  assert.deepEqual(profile.personality_llm_context, { style: 'gentle', openness: 'high' });
  // the personality_profiles view now has the row, for this user only
  const view = ok(await supabase.from('personality_profiles').select('id, personality_openness'));
  assert.deepEqual(view, [{ id: user.id, personality_openness: 70 }]);
  // the seed grants the view to anon; pg_convo's view runs with the caller's rights and anon has none
  refused(await seed.anon().from('personality_profiles').select('id'), { status: 401, code: '42501' });
  // out-of-range scores are refused
  refused(await supabase.from('profiles').update({ personality_openness: 101 }).eq('id', user.id), { status: 400, code: '23514' });
});

test('RLS: a user reads and changes only their own profile and messages', async () => {
  refused(await supabase.from('profiles').select('*').eq('id', other.id).single(), { status: 406, code: 'PGRST116' });
  assert.deepEqual(ok(await supabase.from('profiles').update({ full_name: 'x' }).eq('id', other.id).select()), []);
  refused(await supabase.from('chat_messages').insert({ user_id: other.id, message_text: 'hi', sender_type: 'user' }),
    { status: 403, code: '42501' });
  ok(await supabase.from('chat_messages').insert({ user_id: user.id, message_text: 'hello Bondhu', sender_type: 'user' }));
  const mine = ok(await supabase.from('chat_messages').select('message_text, sender_type').eq('user_id', user.id));
  assert.deepEqual(mine, [{ message_text: 'hello Bondhu', sender_type: 'user' }]);
  // anon (no session) sees nothing
  assert.deepEqual(ok(await seed.anon().from('chat_messages').select('*')), []);
});
