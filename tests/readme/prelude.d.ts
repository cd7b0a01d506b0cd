// The types of the globals prelude.mjs defines, so that `tsc --noEmit --strict` can check a
// README ```ts example (scripts/check_readme_examples.sh copies this file next to the example and
// a copy of types/database.ts). See prelude.mjs for what each name is.
import type { Session, SupabaseClient, User } from '@supabase/supabase-js';
import type { Database } from './database';

declare global {
  var API_URL: string;
  var SUPABASE_URL: string;
  var ANON_KEY: string;
  var SUPABASE_ANON_KEY: string;
  var SERVICE_ROLE_KEY: string;
  var SUPABASE_SERVICE_ROLE_KEY: string;
  var user: User;
  var session: Session;
  var invitee: User;
  var inviteeSession: Session;
  var supabase: SupabaseClient<Database>;
  var backend: SupabaseClient<Database>;
  var embedding: number[];
  var userInput: string;
  var avatar_url: string;
  function readmeCheck(values: Record<string, unknown>, errors?: Record<string, unknown>): void;
}

export {};
