export type Json =
  | string
  | number
  | boolean
  | null
  | { [key: string]: Json | undefined }
  | Json[]

export type Database = {
  public: {
    Tables: {
      achievements: {
        Row: {
          achieved_at: string
          badge_id: string
          details: Json | null
          id: number
          profile_id: string
          viewed_at: string | null
        }
        Insert: {
          achieved_at?: string
          badge_id: string
          details?: Json | null
          id?: never
          profile_id: string
          viewed_at?: string | null
        }
        Update: {
          achieved_at?: string
          badge_id?: string
          details?: Json | null
          id?: never
          profile_id?: string
          viewed_at?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "achievements_profile_id_fkey"
            columns: ["profile_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "achievements_profile_id_fkey"
            columns: ["profile_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "achievements_profile_id_fkey"
            columns: ["profile_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      agent_analyses: {
        Row: {
          agent_type: string
          analysis_data: NonNullable<Json>
          created_at: string
          id: string
          updated_at: string
          user_id: string
        }
        Insert: {
          agent_type: string
          analysis_data?: NonNullable<Json>
          created_at?: string
          id?: string
          updated_at?: string
          user_id: string
        }
        Update: {
          agent_type?: string
          analysis_data?: NonNullable<Json>
          created_at?: string
          id?: string
          updated_at?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "agent_analyses_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "agent_analyses_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "agent_analyses_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      chat_messages: {
        Row: {
          embedding: string | null
          id: string
          message_text: string
          message_tsv: unknown
          model: string | null
          mood_detected: string | null
          parent_id: string | null
          previous_id: string | null
          reply_to: string | null
          sender_type: string
          sentiment_score: number | null
          session_id: string | null
          timestamp: string
          token_count: number | null
          user_id: string
        }
        Insert: {
          embedding?: string | null
          id?: string
          message_text: string
          message_tsv?: never
          model?: string | null
          mood_detected?: string | null
          parent_id?: never
          previous_id?: string | null
          reply_to?: string | null
          sender_type: string
          sentiment_score?: number | null
          session_id?: string | null
          timestamp?: string
          token_count?: never
          user_id: string
        }
        Update: {
          embedding?: string | null
          id?: string
          message_text?: string
          message_tsv?: never
          model?: string | null
          mood_detected?: string | null
          parent_id?: never
          previous_id?: string | null
          reply_to?: string | null
          sender_type?: string
          sentiment_score?: number | null
          session_id?: string | null
          timestamp?: string
          token_count?: never
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "chat_messages_previous_id_fkey"
            columns: ["previous_id"]
            isOneToOne: false
            referencedRelation: "chat_messages"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "chat_messages_reply_to_fkey"
            columns: ["reply_to"]
            isOneToOne: false
            referencedRelation: "chat_messages"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "chat_messages_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: false
            referencedRelation: "chat_sessions"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "chat_messages_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "chat_messages_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "chat_messages_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      chat_sessions: {
        Row: {
          created_at: string
          id: string
          last_message_at: string | null
          selected_at: string | null
          selected_leaf_id: string | null
          title: string | null
          user_id: string
          current_leaf_id: string | null
        }
        Insert: {
          created_at?: string
          id?: string
          last_message_at?: string | null
          selected_at?: string | null
          selected_leaf_id?: string | null
          title?: string | null
          user_id: string
        }
        Update: {
          created_at?: string
          id?: string
          last_message_at?: string | null
          selected_at?: string | null
          selected_leaf_id?: string | null
          title?: string | null
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "chat_sessions_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "chat_sessions_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "chat_sessions_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      chat_summaries: {
        Row: {
          created_at: string
          id: string
          model: string | null
          session_id: string
          summary: string
          through_message_id: string
          token_count: number | null
          user_id: string
        }
        Insert: {
          created_at?: string
          id?: string
          model?: string | null
          session_id: string
          summary: string
          through_message_id: string
          token_count?: never
          user_id?: string
        }
        Update: {
          created_at?: string
          id?: string
          model?: string | null
          session_id?: string
          summary?: string
          through_message_id?: string
          token_count?: never
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "chat_summaries_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: false
            referencedRelation: "chat_sessions"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "chat_summaries_through_message_id_fkey"
            columns: ["through_message_id"]
            isOneToOne: false
            referencedRelation: "chat_messages"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "chat_summaries_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "chat_summaries_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "chat_summaries_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      clients: {
        Row: {
          created_at: string
          email: string | null
          id: string
          name: string | null
          phone: string | null
          plan: string
          preferred_language: string
          updated_at: string
        }
        Insert: {
          created_at?: string
          email?: string | null
          id?: string
          name?: string | null
          phone?: string | null
          plan?: string
          preferred_language?: string
          updated_at?: string
        }
        Update: {
          created_at?: string
          email?: string | null
          id?: string
          name?: string | null
          phone?: string | null
          plan?: string
          preferred_language?: string
          updated_at?: string
        }
        Relationships: []
      }
      conversations: {
        Row: {
          client_id: string | null
          created_at: string
          id: string
          language: string | null
          updated_at: string
        }
        Insert: {
          client_id?: string | null
          created_at?: string
          id: string
          language?: string | null
          updated_at?: string
        }
        Update: {
          client_id?: string | null
          created_at?: string
          id?: string
          language?: string | null
          updated_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "conversations_client_id_fkey"
            columns: ["client_id"]
            isOneToOne: false
            referencedRelation: "clients"
            referencedColumns: ["id"]
          },
        ]
      }
      daily_sessions: {
        Row: {
          completed_at: string | null
          created_at: string
          duration_seconds: number | null
          id: string
          mentor_conversation_id: string
          session_date: string
          status: string
          summary_data: NonNullable<Json>
          transcript_data: Json | null
          updated_at: string
          user_id: string
        }
        Insert: {
          completed_at?: string | null
          created_at?: string
          duration_seconds?: number | null
          id?: string
          mentor_conversation_id: string
          session_date?: string
          status?: string
          summary_data?: NonNullable<Json>
          transcript_data?: Json | null
          updated_at?: string
          user_id: string
        }
        Update: {
          completed_at?: string | null
          created_at?: string
          duration_seconds?: number | null
          id?: string
          mentor_conversation_id?: string
          session_date?: string
          status?: string
          summary_data?: NonNullable<Json>
          transcript_data?: Json | null
          updated_at?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "daily_sessions_mentor_conversation_id_fkey"
            columns: ["mentor_conversation_id"]
            isOneToOne: true
            referencedRelation: "mentor_conversations"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "daily_sessions_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "daily_sessions_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "daily_sessions_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      growth_insights: {
        Row: {
          generated_at: string
          id: number
          insight_data: NonNullable<Json>
          insight_type: string
          profile_id: string
          session_id: string | null
          viewed_at: string | null
        }
        Insert: {
          generated_at?: string
          id?: never
          insight_data: NonNullable<Json>
          insight_type: string
          profile_id: string
          session_id?: string | null
          viewed_at?: string | null
        }
        Update: {
          generated_at?: string
          id?: never
          insight_data?: NonNullable<Json>
          insight_type?: string
          profile_id?: string
          session_id?: string | null
          viewed_at?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "growth_insights_profile_id_fkey"
            columns: ["profile_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "growth_insights_profile_id_fkey"
            columns: ["profile_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "growth_insights_profile_id_fkey"
            columns: ["profile_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "growth_insights_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: false
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      mental_process_state: {
        Row: {
          id: string
          params: NonNullable<Json>
          process_name: string
          session_id: string
          updated_at: string
        }
        Insert: {
          id?: string
          params?: NonNullable<Json>
          process_name?: string
          session_id: string
          updated_at?: string
        }
        Update: {
          id?: string
          params?: NonNullable<Json>
          process_name?: string
          session_id?: string
          updated_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "mental_process_state_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: true
            referencedRelation: "user_sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      mentor_avatars: {
        Row: {
          created_at: string
          description: string | null
          id: string
          image_url: string | null
          is_active: boolean
          metadata: NonNullable<Json>
          name: string
          preview_video_url: string | null
          provider_persona_id: string | null
          provider_replica_id: string
          sort_order: number
          updated_at: string
        }
        Insert: {
          created_at?: string
          description?: string | null
          id?: string
          image_url?: string | null
          is_active?: boolean
          metadata?: NonNullable<Json>
          name: string
          preview_video_url?: string | null
          provider_persona_id?: string | null
          provider_replica_id: string
          sort_order?: number
          updated_at?: string
        }
        Update: {
          created_at?: string
          description?: string | null
          id?: string
          image_url?: string | null
          is_active?: boolean
          metadata?: NonNullable<Json>
          name?: string
          preview_video_url?: string | null
          provider_persona_id?: string | null
          provider_replica_id?: string
          sort_order?: number
          updated_at?: string
        }
        Relationships: []
      }
      mentor_conversations: {
        Row: {
          created_at: string
          duration_seconds: number | null
          end_time: string | null
          id: string
          metadata: NonNullable<Json>
          persona_id: string | null
          provider_conversation_id: string
          recording_url: string | null
          start_time: string
          status: string
          transcript: Json | null
          updated_at: string
          user_id: string
        }
        Insert: {
          created_at?: string
          duration_seconds?: number | null
          end_time?: string | null
          id?: string
          metadata?: NonNullable<Json>
          persona_id?: string | null
          provider_conversation_id: string
          recording_url?: string | null
          start_time?: string
          status?: string
          transcript?: Json | null
          updated_at?: string
          user_id: string
        }
        Update: {
          created_at?: string
          duration_seconds?: number | null
          end_time?: string | null
          id?: string
          metadata?: NonNullable<Json>
          persona_id?: string | null
          provider_conversation_id?: string
          recording_url?: string | null
          start_time?: string
          status?: string
          transcript?: Json | null
          updated_at?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "mentor_conversations_persona_id_fkey"
            columns: ["persona_id"]
            isOneToOne: false
            referencedRelation: "user_personas"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "mentor_conversations_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "mentor_conversations_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "mentor_conversations_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      message_feedback: {
        Row: {
          comment: string | null
          created_at: string
          id: string
          message_id: string
          rating: number
          reason: string | null
          updated_at: string
          user_id: string
        }
        Insert: {
          comment?: string | null
          created_at?: string
          id?: string
          message_id: string
          rating: number
          reason?: string | null
          updated_at?: string
          user_id?: string
        }
        Update: {
          comment?: string | null
          created_at?: string
          id?: string
          message_id?: string
          rating?: number
          reason?: string | null
          updated_at?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "message_feedback_message_id_fkey"
            columns: ["message_id"]
            isOneToOne: false
            referencedRelation: "chat_messages"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "message_feedback_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "message_feedback_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "message_feedback_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      messages: {
        Row: {
          completion_tokens: number | null
          content: string
          conversation_id: string | null
          created_at: string
          id: string
          message_sid: string | null
          metadata: NonNullable<Json>
          model: string | null
          prompt_tokens: number | null
          region: string
          role: string
          session_id: string | null
          token_count: number | null
        }
        Insert: {
          completion_tokens?: number | null
          content: string
          conversation_id?: string | null
          created_at?: string
          id?: string
          message_sid?: string | null
          metadata?: NonNullable<Json>
          model?: string | null
          prompt_tokens?: number | null
          region?: string
          role: string
          session_id?: string | null
          token_count?: never
        }
        Update: {
          completion_tokens?: number | null
          content?: string
          conversation_id?: string | null
          created_at?: string
          id?: string
          message_sid?: string | null
          metadata?: NonNullable<Json>
          model?: string | null
          prompt_tokens?: number | null
          region?: string
          role?: string
          session_id?: string | null
          token_count?: never
        }
        Relationships: [
          {
            foreignKeyName: "messages_conversation_id_fkey"
            columns: ["conversation_id"]
            isOneToOne: false
            referencedRelation: "conversations"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "messages_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: false
            referencedRelation: "user_sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      music_genre_preferences: {
        Row: {
          average_reward: number
          genre: string
          id: string
          interaction_count: number
          last_interaction: string | null
          preference_score: number
          recency_weight_sum: number
          reward_sum: number
          updated_at: string
          user_id: string
          weighted_reward_sum: number
        }
        Insert: {
          average_reward?: number
          genre: string
          id?: string
          interaction_count?: number
          last_interaction?: string | null
          preference_score?: number
          recency_weight_sum?: number
          reward_sum?: number
          updated_at?: string
          user_id: string
          weighted_reward_sum?: number
        }
        Update: {
          average_reward?: number
          genre?: string
          id?: string
          interaction_count?: number
          last_interaction?: string | null
          preference_score?: number
          recency_weight_sum?: number
          reward_sum?: number
          updated_at?: string
          user_id?: string
          weighted_reward_sum?: number
        }
        Relationships: [
          {
            foreignKeyName: "music_genre_preferences_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "music_genre_preferences_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "music_genre_preferences_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      music_interactions: {
        Row: {
          audio_features: Json | null
          completion_percentage: number | null
          created_at: string
          id: string
          interaction_type: string
          listen_duration_ms: number | null
          personality_state: Json | null
          rl_q_value: number | null
          rl_reward: number
          track_duration_ms: number | null
          track_id: string
          user_id: string
        }
        Insert: {
          audio_features?: Json | null
          completion_percentage?: never
          created_at?: string
          id?: string
          interaction_type: string
          listen_duration_ms?: number | null
          personality_state?: Json | null
          rl_q_value?: number | null
          rl_reward: number
          track_duration_ms?: number | null
          track_id: string
          user_id: string
        }
        Update: {
          audio_features?: Json | null
          completion_percentage?: never
          created_at?: string
          id?: string
          interaction_type?: string
          listen_duration_ms?: number | null
          personality_state?: Json | null
          rl_q_value?: number | null
          rl_reward?: number
          track_duration_ms?: number | null
          track_id?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "music_interactions_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "music_interactions_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "music_interactions_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      music_listening_history: {
        Row: {
          album: string | null
          artists: string[]
          audio_features: Json | null
          created_at: string
          duration_ms: number | null
          external_url: string | null
          genres: string[]
          id: string
          played_at: string
          track_id: string
          track_name: string
          user_id: string
        }
        Insert: {
          album?: string | null
          artists?: string[]
          audio_features?: Json | null
          created_at?: string
          duration_ms?: number | null
          external_url?: string | null
          genres?: string[]
          id?: string
          played_at: string
          track_id: string
          track_name: string
          user_id: string
        }
        Update: {
          album?: string | null
          artists?: string[]
          audio_features?: Json | null
          created_at?: string
          duration_ms?: number | null
          external_url?: string | null
          genres?: string[]
          id?: string
          played_at?: string
          track_id?: string
          track_name?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "music_listening_history_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "music_listening_history_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "music_listening_history_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      music_recommendations: {
        Row: {
          acousticness: number | null
          artists: string[]
          danceability: number | null
          energy: number | null
          external_url: string
          genz_genre: string
          id: string
          instrumentalness: number | null
          liveness: number | null
          loudness: number | null
          personality_match_score: number
          recommended_at: string
          recommended_on: string | null
          rl_score: number
          speechiness: number | null
          tempo: number | null
          track_id: string
          track_name: string
          user_id: string
          valence: number | null
        }
        Insert: {
          acousticness?: number | null
          artists: string[]
          danceability?: number | null
          energy?: number | null
          external_url: string
          genz_genre: string
          id?: string
          instrumentalness?: number | null
          liveness?: number | null
          loudness?: number | null
          personality_match_score?: number
          recommended_at?: string
          recommended_on?: never
          rl_score?: number
          speechiness?: number | null
          tempo?: number | null
          track_id: string
          track_name: string
          user_id: string
          valence?: number | null
        }
        Update: {
          acousticness?: number | null
          artists?: string[]
          danceability?: number | null
          energy?: number | null
          external_url?: string
          genz_genre?: string
          id?: string
          instrumentalness?: number | null
          liveness?: number | null
          loudness?: number | null
          personality_match_score?: number
          recommended_at?: string
          recommended_on?: never
          rl_score?: number
          speechiness?: number | null
          tempo?: number | null
          track_id?: string
          track_name?: string
          user_id?: string
          valence?: number | null
        }
        Relationships: [
          {
            foreignKeyName: "music_recommendations_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "music_recommendations_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "music_recommendations_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      music_rl_models: {
        Row: {
          created_at: string
          hyperparameters: NonNullable<Json>
          id: string
          q_table: NonNullable<Json>
          user_id: string
          version: number
        }
        Insert: {
          created_at?: string
          hyperparameters?: NonNullable<Json>
          id?: string
          q_table: NonNullable<Json>
          user_id: string
          version: number
        }
        Update: {
          created_at?: string
          hyperparameters?: NonNullable<Json>
          id?: string
          q_table?: NonNullable<Json>
          user_id?: string
          version?: number
        }
        Relationships: [
          {
            foreignKeyName: "music_rl_models_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "music_rl_models_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "music_rl_models_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      onboarding_profiles: {
        Row: {
          completed_at: string | null
          created_at: string
          disc_scores: Json | null
          disc_type: string | null
          enneagram_type: number | null
          enneagram_wing: number | null
          focus_areas: string[]
          personality_insights: NonNullable<Json>
          updated_at: string
          user_id: string
        }
        Insert: {
          completed_at?: string | null
          created_at?: string
          disc_scores?: Json | null
          disc_type?: string | null
          enneagram_type?: number | null
          enneagram_wing?: number | null
          focus_areas?: string[]
          personality_insights?: NonNullable<Json>
          updated_at?: string
          user_id: string
        }
        Update: {
          completed_at?: string | null
          created_at?: string
          disc_scores?: Json | null
          disc_type?: string | null
          enneagram_type?: number | null
          enneagram_wing?: number | null
          focus_areas?: string[]
          personality_insights?: NonNullable<Json>
          updated_at?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "onboarding_profiles_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: true
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "onboarding_profiles_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: true
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "onboarding_profiles_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: true
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      orders: {
        Row: {
          amount: number
          client_id: string | null
          created_at: string
          currency: string
          id: string
          items: NonNullable<Json>
          order_id: string
          payment_intent_id: string | null
          status: string
          updated_at: string
        }
        Insert: {
          amount: number
          client_id?: string | null
          created_at?: string
          currency?: string
          id?: string
          items?: NonNullable<Json>
          order_id: string
          payment_intent_id?: string | null
          status?: string
          updated_at?: string
        }
        Update: {
          amount?: number
          client_id?: string | null
          created_at?: string
          currency?: string
          id?: string
          items?: NonNullable<Json>
          order_id?: string
          payment_intent_id?: string | null
          status?: string
          updated_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "orders_client_id_fkey"
            columns: ["client_id"]
            isOneToOne: false
            referencedRelation: "clients"
            referencedColumns: ["id"]
          },
        ]
      }
      plan_token_limits: {
        Row: {
          chat_history_days: number | null
          daily_token_limit: number
          plan: string
        }
        Insert: {
          chat_history_days?: number | null
          daily_token_limit: number
          plan: string
        }
        Update: {
          chat_history_days?: number | null
          daily_token_limit?: number
          plan?: string
        }
        Relationships: []
      }
      process_memories: {
        Row: {
          id: string
          key: string
          process_name: string
          session_id: string
          updated_at: string
          value: NonNullable<Json>
        }
        Insert: {
          id?: string
          key: string
          process_name: string
          session_id: string
          updated_at?: string
          value: NonNullable<Json>
        }
        Update: {
          id?: string
          key?: string
          process_name?: string
          session_id?: string
          updated_at?: string
          value?: NonNullable<Json>
        }
        Relationships: [
          {
            foreignKeyName: "process_memories_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: false
            referencedRelation: "user_sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      profiles: {
        Row: {
          avatar_url: string | null
          created_at: string
          email: string | null
          full_name: string | null
          has_completed_personality_assessment: boolean | null
          id: string
          onboarding_completed: boolean
          personality_agreeableness: number
          personality_completed_at: string | null
          personality_conscientiousness: number
          personality_extraversion: number
          personality_llm_context: Json | null
          personality_neuroticism: number
          personality_openness: number
          preferred_communication_style: Json | null
          profile_completion_percentage: number
          updated_at: string
        }
        Insert: {
          avatar_url?: string | null
          created_at?: string
          email?: string | null
          full_name?: string | null
          has_completed_personality_assessment?: never
          id?: string
          onboarding_completed?: boolean
          personality_agreeableness?: number
          personality_completed_at?: string | null
          personality_conscientiousness?: number
          personality_extraversion?: number
          personality_llm_context?: Json | null
          personality_neuroticism?: number
          personality_openness?: number
          preferred_communication_style?: Json | null
          profile_completion_percentage?: number
          updated_at?: string
        }
        Update: {
          avatar_url?: string | null
          created_at?: string
          email?: string | null
          full_name?: string | null
          has_completed_personality_assessment?: never
          id?: string
          onboarding_completed?: boolean
          personality_agreeableness?: number
          personality_completed_at?: string | null
          personality_conscientiousness?: number
          personality_extraversion?: number
          personality_llm_context?: Json | null
          personality_neuroticism?: number
          personality_openness?: number
          preferred_communication_style?: Json | null
          profile_completion_percentage?: number
          updated_at?: string
        }
        Relationships: []
      }
      reservations: {
        Row: {
          client_id: string | null
          created_at: string
          datetime: string
          email: string | null
          google_calendar_event_id: string | null
          guests: number | null
          id: string
          name: string | null
          notes: string | null
          phone: string | null
        }
        Insert: {
          client_id?: string | null
          created_at?: string
          datetime: string
          email?: string | null
          google_calendar_event_id?: string | null
          guests?: number | null
          id?: string
          name?: string | null
          notes?: string | null
          phone?: string | null
        }
        Update: {
          client_id?: string | null
          created_at?: string
          datetime?: string
          email?: string | null
          google_calendar_event_id?: string | null
          guests?: number | null
          id?: string
          name?: string | null
          notes?: string | null
          phone?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "reservations_client_id_fkey"
            columns: ["client_id"]
            isOneToOne: false
            referencedRelation: "clients"
            referencedColumns: ["id"]
          },
        ]
      }
      retention_windows: {
        Row: {
          description: string
          keep_days: number | null
          target: string
        }
        Insert: {
          description: string
          keep_days?: number | null
          target: string
        }
        Update: {
          description?: string
          keep_days?: number | null
          target?: string
        }
        Relationships: []
      }
      ritual_preferences: {
        Row: {
          created_at: string
          preferences: NonNullable<Json>
          preferred_time: string | null
          reminders_enabled: boolean
          session_days: number[]
          session_duration_minutes: number
          timezone: string
          updated_at: string
          user_id: string
        }
        Insert: {
          created_at?: string
          preferences?: NonNullable<Json>
          preferred_time?: string | null
          reminders_enabled?: boolean
          session_days?: number[]
          session_duration_minutes?: number
          timezone?: string
          updated_at?: string
          user_id: string
        }
        Update: {
          created_at?: string
          preferences?: NonNullable<Json>
          preferred_time?: string | null
          reminders_enabled?: boolean
          session_days?: number[]
          session_duration_minutes?: number
          timezone?: string
          updated_at?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "ritual_preferences_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: true
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "ritual_preferences_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: true
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "ritual_preferences_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: true
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      session_evaluations: {
        Row: {
          evaluator_profile_id: string
          feedback_alex_specific: string | null
          feedback_could_improve: string | null
          feedback_worked_well: string | null
          id: number
          rating_alex_helpfulness: number | null
          rating_clarity_goals: number | null
          rating_fairness_balance: number | null
          rating_overall_satisfaction: number | null
          session_id: string
          share_with_host: boolean
          submitted_at: string
        }
        Insert: {
          evaluator_profile_id: string
          feedback_alex_specific?: string | null
          feedback_could_improve?: string | null
          feedback_worked_well?: string | null
          id?: never
          rating_alex_helpfulness?: number | null
          rating_clarity_goals?: number | null
          rating_fairness_balance?: number | null
          rating_overall_satisfaction?: number | null
          session_id: string
          share_with_host?: boolean
          submitted_at?: string
        }
        Update: {
          evaluator_profile_id?: string
          feedback_alex_specific?: string | null
          feedback_could_improve?: string | null
          feedback_worked_well?: string | null
          id?: never
          rating_alex_helpfulness?: number | null
          rating_clarity_goals?: number | null
          rating_fairness_balance?: number | null
          rating_overall_satisfaction?: number | null
          session_id?: string
          share_with_host?: boolean
          submitted_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "session_evaluations_evaluator_profile_id_fkey"
            columns: ["evaluator_profile_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "session_evaluations_evaluator_profile_id_fkey"
            columns: ["evaluator_profile_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "session_evaluations_evaluator_profile_id_fkey"
            columns: ["evaluator_profile_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "session_evaluations_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: false
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      session_files: {
        Row: {
          ai_analysis_snippet: string | null
          description: string | null
          file_name: string
          file_size: number | null
          file_type: string | null
          id: string
          ipfs_cid: string | null
          session_id: string
          storage_path: string
          uploaded_at: string
          uploader_profile_id: string | null
        }
        Insert: {
          ai_analysis_snippet?: string | null
          description?: string | null
          file_name: string
          file_size?: number | null
          file_type?: string | null
          id?: string
          ipfs_cid?: string | null
          session_id: string
          storage_path: string
          uploaded_at?: string
          uploader_profile_id?: string | null
        }
        Update: {
          ai_analysis_snippet?: string | null
          description?: string | null
          file_name?: string
          file_size?: number | null
          file_type?: string | null
          id?: string
          ipfs_cid?: string | null
          session_id?: string
          storage_path?: string
          uploaded_at?: string
          uploader_profile_id?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "session_files_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: false
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "session_files_uploader_profile_id_fkey"
            columns: ["uploader_profile_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "session_files_uploader_profile_id_fkey"
            columns: ["uploader_profile_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "session_files_uploader_profile_id_fkey"
            columns: ["uploader_profile_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      session_invitations: {
        Row: {
          created_at: string
          email: string
          id: string
          invited_by: string | null
          responded_at: string | null
          role: string
          session_id: string
          status: string
        }
        Insert: {
          created_at?: string
          email: string
          id?: string
          invited_by?: string | null
          responded_at?: string | null
          role?: string
          session_id: string
          status?: string
        }
        Update: {
          created_at?: string
          email?: string
          id?: string
          invited_by?: string | null
          responded_at?: string | null
          role?: string
          session_id?: string
          status?: string
        }
        Relationships: [
          {
            foreignKeyName: "session_invitations_invited_by_fkey"
            columns: ["invited_by"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "session_invitations_invited_by_fkey"
            columns: ["invited_by"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "session_invitations_invited_by_fkey"
            columns: ["invited_by"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "session_invitations_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: false
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      session_messages: {
        Row: {
          content: string
          id: number
          is_edited: boolean
          message_type: string
          profile_id: string | null
          sentiment_analysis: Json | null
          session_id: string
          session_participant_id: number | null
          timestamp: string
          token_count: number | null
          profiles: {
            avatar_url: string | null
            full_name: string | null
            id: string | null
          } | null
        }
        Insert: {
          content: string
          id?: never
          is_edited?: boolean
          message_type?: string
          profile_id?: string | null
          sentiment_analysis?: Json | null
          session_id: string
          session_participant_id?: number | null
          timestamp?: string
          token_count?: never
        }
        Update: {
          content?: string
          id?: never
          is_edited?: boolean
          message_type?: string
          profile_id?: string | null
          sentiment_analysis?: Json | null
          session_id?: string
          session_participant_id?: number | null
          timestamp?: string
          token_count?: never
        }
        Relationships: [
          {
            foreignKeyName: "session_messages_profile_id_fkey"
            columns: ["profile_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "session_messages_profile_id_fkey"
            columns: ["profile_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "session_messages_profile_id_fkey"
            columns: ["profile_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "session_messages_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: false
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "session_messages_session_participant_id_fkey"
            columns: ["session_participant_id", "session_id", "profile_id"]
            isOneToOne: false
            referencedRelation: "session_participants"
            referencedColumns: ["id", "session_id", "profile_id"]
          },
        ]
      }
      session_participants: {
        Row: {
          id: number
          invitation_id: string | null
          invitation_status: string
          joined_at: string | null
          perspective_text: string | null
          profile_id: string
          role: string
          session_id: string
          sign_off_timestamp: string | null
          signed_off_summary: boolean
          profiles: {
            avatar_url: string | null
            full_name: string | null
            id: string | null
          } | null
        }
        Insert: {
          id?: never
          invitation_id?: string | null
          invitation_status?: string
          joined_at?: string | null
          perspective_text?: string | null
          profile_id: string
          role?: string
          session_id: string
          sign_off_timestamp?: string | null
          signed_off_summary?: boolean
        }
        Update: {
          id?: never
          invitation_id?: string | null
          invitation_status?: string
          joined_at?: string | null
          perspective_text?: string | null
          profile_id?: string
          role?: string
          session_id?: string
          sign_off_timestamp?: string | null
          signed_off_summary?: boolean
        }
        Relationships: [
          {
            foreignKeyName: "session_participants_invitation_id_fkey"
            columns: ["invitation_id"]
            isOneToOne: false
            referencedRelation: "session_invitations"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "session_participants_profile_id_fkey"
            columns: ["profile_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "session_participants_profile_id_fkey"
            columns: ["profile_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "session_participants_profile_id_fkey"
            columns: ["profile_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "session_participants_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: false
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      session_type_templates: {
        Row: {
          created_at: string
          default_goals: NonNullable<Json>
          default_rules: NonNullable<Json>
          description: string | null
          is_active: boolean
          key: string
          sort_order: number
          title: string
        }
        Insert: {
          created_at?: string
          default_goals?: NonNullable<Json>
          default_rules?: NonNullable<Json>
          description?: string | null
          is_active?: boolean
          key: string
          sort_order?: number
          title: string
        }
        Update: {
          created_at?: string
          default_goals?: NonNullable<Json>
          default_rules?: NonNullable<Json>
          description?: string | null
          is_active?: boolean
          key?: string
          sort_order?: number
          title?: string
        }
        Relationships: []
      }
      sessions: {
        Row: {
          actual_end_time: string | null
          actual_start_time: string | null
          ai_synthesis_summary: string | null
          created_at: string
          description_context: string | null
          final_summary_pdf_url: string | null
          goals: Json | null
          host_id: string
          id: string
          rules: Json | null
          scheduled_start_time: string | null
          session_type: string | null
          status: string
          title: string
        }
        Insert: {
          actual_end_time?: string | null
          actual_start_time?: string | null
          ai_synthesis_summary?: string | null
          created_at?: string
          description_context?: string | null
          final_summary_pdf_url?: string | null
          goals?: Json | null
          host_id: string
          id?: string
          rules?: Json | null
          scheduled_start_time?: string | null
          session_type?: string | null
          status?: string
          title: string
        }
        Update: {
          actual_end_time?: string | null
          actual_start_time?: string | null
          ai_synthesis_summary?: string | null
          created_at?: string
          description_context?: string | null
          final_summary_pdf_url?: string | null
          goals?: Json | null
          host_id?: string
          id?: string
          rules?: Json | null
          scheduled_start_time?: string | null
          session_type?: string | null
          status?: string
          title?: string
        }
        Relationships: [
          {
            foreignKeyName: "sessions_host_id_fkey"
            columns: ["host_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "sessions_host_id_fkey"
            columns: ["host_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "sessions_host_id_fkey"
            columns: ["host_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      soul_memories: {
        Row: {
          id: string
          key: string
          session_id: string
          updated_at: string
          value: NonNullable<Json>
        }
        Insert: {
          id?: string
          key: string
          session_id: string
          updated_at?: string
          value: NonNullable<Json>
        }
        Update: {
          id?: string
          key?: string
          session_id?: string
          updated_at?: string
          value?: NonNullable<Json>
        }
        Relationships: [
          {
            foreignKeyName: "soul_memories_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: false
            referencedRelation: "user_sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      storage_deletion_queue: {
        Row: {
          bucket_id: string | null
          id: number
          is_prefix: boolean
          object_name: string
          queued_at: string
        }
        Insert: {
          bucket_id?: string | null
          id?: never
          is_prefix?: boolean
          object_name: string
          queued_at?: string
        }
        Update: {
          bucket_id?: string | null
          id?: never
          is_prefix?: boolean
          object_name?: string
          queued_at?: string
        }
        Relationships: []
      }
      token_usage_daily: {
        Row: {
          calls: number
          completion_tokens: number
          prompt_tokens: number
          subject_id: string
          subject_kind: string
          total_tokens: number | null
          updated_at: string
          usage_date: string
        }
        Insert: {
          calls?: number
          completion_tokens?: number
          prompt_tokens?: number
          subject_id: string
          subject_kind: string
          total_tokens?: never
          updated_at?: string
          usage_date: string
        }
        Update: {
          calls?: number
          completion_tokens?: number
          prompt_tokens?: number
          subject_id?: string
          subject_kind?: string
          total_tokens?: never
          updated_at?: string
          usage_date?: string
        }
        Relationships: []
      }
      user_emotional_categories: {
        Row: {
          category: string
          created_at: string
          description: string | null
          id: string
          priority: number
          updated_at: string
          user_id: string
        }
        Insert: {
          category: string
          created_at?: string
          description?: string | null
          id?: string
          priority?: number
          updated_at?: string
          user_id: string
        }
        Update: {
          category?: string
          created_at?: string
          description?: string | null
          id?: string
          priority?: number
          updated_at?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "user_emotional_categories_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "user_emotional_categories_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "user_emotional_categories_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      user_goals: {
        Row: {
          achieved_at: string | null
          category: string | null
          created_at: string
          description: string | null
          id: string
          status: string
          target_date: string | null
          title: string
          updated_at: string
          user_id: string
        }
        Insert: {
          achieved_at?: string | null
          category?: string | null
          created_at?: string
          description?: string | null
          id?: string
          status?: string
          target_date?: string | null
          title: string
          updated_at?: string
          user_id: string
        }
        Update: {
          achieved_at?: string | null
          category?: string | null
          created_at?: string
          description?: string | null
          id?: string
          status?: string
          target_date?: string | null
          title?: string
          updated_at?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "user_goals_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "user_goals_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "user_goals_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      user_memories: {
        Row: {
          access_count: number
          created_at: string
          embedding: string | null
          id: string
          importance: string
          last_accessed: string | null
          memory_category: string | null
          memory_key: string
          memory_value: string
          updated_at: string
          user_id: string
        }
        Insert: {
          access_count?: number
          created_at?: string
          embedding?: string | null
          id?: string
          importance?: string
          last_accessed?: string | null
          memory_category?: string | null
          memory_key: string
          memory_value: string
          updated_at?: string
          user_id: string
        }
        Update: {
          access_count?: number
          created_at?: string
          embedding?: string | null
          id?: string
          importance?: string
          last_accessed?: string | null
          memory_category?: string | null
          memory_key?: string
          memory_value?: string
          updated_at?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "user_memories_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "user_memories_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "user_memories_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      user_personas: {
        Row: {
          avatar_id: string | null
          communication_style: string | null
          created_at: string
          custom_instructions: string | null
          id: string
          is_default: boolean
          name: string
          updated_at: string
          user_id: string
        }
        Insert: {
          avatar_id?: string | null
          communication_style?: string | null
          created_at?: string
          custom_instructions?: string | null
          id?: string
          is_default?: boolean
          name: string
          updated_at?: string
          user_id: string
        }
        Update: {
          avatar_id?: string | null
          communication_style?: string | null
          created_at?: string
          custom_instructions?: string | null
          id?: string
          is_default?: boolean
          name?: string
          updated_at?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "user_personas_avatar_id_fkey"
            columns: ["avatar_id"]
            isOneToOne: false
            referencedRelation: "mentor_avatars"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "user_personas_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "user_personas_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "user_personas_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      user_sessions: {
        Row: {
          assigned_persona: string
          created_at: string
          first_contact_at: string
          id: string
          last_active_at: string
          metadata: NonNullable<Json>
          phone_number: string
          total_messages: number
          updated_at: string
        }
        Insert: {
          assigned_persona: string
          created_at?: string
          first_contact_at?: string
          id?: string
          last_active_at?: string
          metadata?: NonNullable<Json>
          phone_number: string
          total_messages?: number
          updated_at?: string
        }
        Update: {
          assigned_persona?: string
          created_at?: string
          first_contact_at?: string
          id?: string
          last_active_at?: string
          metadata?: NonNullable<Json>
          phone_number?: string
          total_messages?: number
          updated_at?: string
        }
        Relationships: []
      }
      user_token_limits: {
        Row: {
          daily_token_limit: number
          updated_at: string
          user_id: string
        }
        Insert: {
          daily_token_limit: number
          updated_at?: string
          user_id: string
        }
        Update: {
          daily_token_limit?: number
          updated_at?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "user_token_limits_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: true
            referencedRelation: "personality_profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "user_token_limits_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: true
            referencedRelation: "profile_cards"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "user_token_limits_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: true
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      working_memory_snapshots: {
        Row: {
          created_at: string
          id: string
          memories: NonNullable<Json>
          region: string | null
          session_id: string
        }
        Insert: {
          created_at?: string
          id?: string
          memories: NonNullable<Json>
          region?: string | null
          session_id: string
        }
        Update: {
          created_at?: string
          id?: string
          memories?: NonNullable<Json>
          region?: string | null
          session_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "working_memory_snapshots_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: false
            referencedRelation: "user_sessions"
            referencedColumns: ["id"]
          },
        ]
      }
    }
    Views: {
      message_feedback_daily: {
        Row: {
          day: string | null
          down: number | null
          down_reasons: Json | null
          model: string | null
          up: number | null
          up_reasons: Json | null
        }
        Insert: {
          day?: string | null
          down?: number | null
          down_reasons?: Json | null
          model?: string | null
          up?: number | null
          up_reasons?: Json | null
        }
        Update: {
          day?: string | null
          down?: number | null
          down_reasons?: Json | null
          model?: string | null
          up?: number | null
          up_reasons?: Json | null
        }
        Relationships: []
      }
      personality_profiles: {
        Row: {
          avatar_url: string | null
          created_at: string | null
          full_name: string | null
          has_completed_personality_assessment: boolean | null
          id: string | null
          onboarding_completed: boolean | null
          personality_agreeableness: number | null
          personality_completed_at: string | null
          personality_conscientiousness: number | null
          personality_extraversion: number | null
          personality_llm_context: Json | null
          personality_neuroticism: number | null
          personality_openness: number | null
          profile_completion_percentage: number | null
          updated_at: string | null
        }
        Insert: {
          avatar_url?: string | null
          created_at?: string | null
          full_name?: string | null
          has_completed_personality_assessment?: boolean | null
          id?: string | null
          onboarding_completed?: boolean | null
          personality_agreeableness?: number | null
          personality_completed_at?: string | null
          personality_conscientiousness?: number | null
          personality_extraversion?: number | null
          personality_llm_context?: Json | null
          personality_neuroticism?: number | null
          personality_openness?: number | null
          profile_completion_percentage?: number | null
          updated_at?: string | null
        }
        Update: {
          avatar_url?: string | null
          created_at?: string | null
          full_name?: string | null
          has_completed_personality_assessment?: boolean | null
          id?: string | null
          onboarding_completed?: boolean | null
          personality_agreeableness?: number | null
          personality_completed_at?: string | null
          personality_conscientiousness?: number | null
          personality_extraversion?: number | null
          personality_llm_context?: Json | null
          personality_neuroticism?: number | null
          personality_openness?: number | null
          profile_completion_percentage?: number | null
          updated_at?: string | null
        }
        Relationships: []
      }
      profile_cards: {
        Row: {
          avatar_url: string | null
          full_name: string | null
          id: string | null
        }
        Insert: {
          avatar_url?: string | null
          full_name?: string | null
          id?: string | null
        }
        Update: {
          avatar_url?: string | null
          full_name?: string | null
          id?: string | null
        }
        Relationships: []
      }
    }
    Functions: {
      apply_retention: {
        Args: {
          p_batch_size?: number
          p_dry_run?: boolean
          p_max_batches?: number
        }
        Returns: Json
      }
      convo_info: { Args: Record<PropertyKey, never>; Returns: Json }
      count_tokens: {
        Args: { p_encoding?: string; p_text: string }
        Returns: number
      }
      current_leaf_id: {
        Args: { "": Database["public"]["Tables"]["chat_sessions"]["Row"] }
        Returns: {
          error: true
        } & "the function public.current_leaf_id with parameter or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache"
      }
      delete_my_account: {
        Args: { p_confirm?: string; p_user_id?: string }
        Returns: Json
      }
      delete_old_messages: {
        Args: { p_older_than_days: number; p_session_id: string }
        Returns: number
      }
      edit_user_message: {
        Args: {
          p_ai_response: string
          p_completion_tokens?: number
          p_message_id: string
          p_model?: string
          p_mood?: string
          p_prompt_tokens?: number
          p_sentiment?: number
          p_user_id?: string
          p_user_message: string
        }
        Returns: string
      }
      end_mentor_session: {
        Args: { p_conversation_id: string; p_user_id?: string }
        Returns: {
          created_at: string
          duration_seconds: number | null
          end_time: string | null
          id: string
          metadata: NonNullable<Json>
          persona_id: string | null
          provider_conversation_id: string
          recording_url: string | null
          start_time: string
          status: string
          transcript: Json | null
          updated_at: string
          user_id: string
        }
        SetofOptions: {
          from: "*"
          to: "mentor_conversations"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      export_my_data: { Args: { p_user_id?: string }; Returns: Json }
      get_chat_context: {
        Args: {
          p_max_tokens: number
          p_memory_tokens?: number
          p_session_id?: string
          p_summary_tokens?: number
          p_user_id?: string
        }
        Returns: Json
      }
      get_chat_history: {
        Args: {
          p_limit?: number
          p_offset?: number
          p_session_id?: string
          p_user_id?: string
        }
        Returns: {
          ai_message_id: string
          ai_response: string
          ai_sibling_count: number
          ai_sibling_index: number
          ai_timestamp: string
          mood_detected: string
          sentiment_score: number
          session_id: string
          user_message: string
          user_message_id: string
          user_sibling_count: number
          user_sibling_index: number
          user_timestamp: string
        }[]
      }
      get_client_by_identifier: {
        Args: { p_identifier: string; p_type: string }
        Returns: {
          created_at: string
          email: string | null
          id: string
          name: string | null
          phone: string | null
          plan: string
          preferred_language: string
          updated_at: string
        }[]
        SetofOptions: {
          from: "*"
          to: "clients"
          isOneToOne: false
          isSetofReturn: true
        }
      }
      get_client_plan: { Args: { p_client_id: string }; Returns: string }
      get_genre_preferences: {
        Args: { p_limit?: number; p_user_id?: string }
        Returns: {
          average_reward: number
          genre: string
          id: string
          interaction_count: number
          last_interaction: string | null
          preference_score: number
          recency_weight_sum: number
          reward_sum: number
          updated_at: string
          user_id: string
          weighted_reward_sum: number
        }[]
        SetofOptions: {
          from: "*"
          to: "music_genre_preferences"
          isOneToOne: false
          isSetofReturn: true
        }
      }
      get_memories: {
        Args: { p_category?: string; p_limit?: number; p_user_id?: string }
        Returns: {
          access_count: number
          created_at: string
          embedding: string | null
          id: string
          importance: string
          last_accessed: string | null
          memory_category: string | null
          memory_key: string
          memory_value: string
          updated_at: string
          user_id: string
        }[]
        SetofOptions: {
          from: "*"
          to: "user_memories"
          isOneToOne: false
          isSetofReturn: true
        }
      }
      get_mentor_context: { Args: { p_user_id?: string }; Returns: Json }
      get_my_usage: {
        Args: { p_from?: string; p_to?: string; p_user_id?: string }
        Returns: {
          calls: number
          completion_tokens: number
          daily_token_limit: number
          prompt_tokens: number
          total_tokens: number
          usage_date: string
        }[]
      }
      hybrid_search_chat_messages: {
        Args: {
          match_count?: number
          p_query: string
          p_query_embedding: string
          p_user_id?: string
        }
        Returns: {
          content: string
          id: string
          keyword_rank: number
          metadata: Json
          mood_detected: string
          reply_to: string
          score: number
          semantic_rank: number
          sender_type: string
          sentiment_score: number
          session_id: string
          similarity: number
          timestamp: string
          user_id: string
        }[]
      }
      hybrid_search_memories: {
        Args: {
          match_count?: number
          p_query: string
          p_query_embedding: string
          p_user_id?: string
        }
        Returns: {
          access_count: number
          content: string
          created_at: string
          id: string
          importance: string
          keyword_rank: number
          last_accessed: string
          memory_category: string
          memory_key: string
          memory_value: string
          metadata: Json
          score: number
          semantic_rank: number
          similarity: number
          updated_at: string
          user_id: string
        }[]
      }
      increment_session_messages: {
        Args: { session_id: string }
        Returns: number
      }
      invite_to_session: {
        Args: {
          p_email: string
          p_role?: string
          p_session_id: string
          p_user_id?: string
        }
        Returns: string
      }
      load_conversation_context: {
        Args: { p_max_tokens: number; p_region?: string; p_session_id: string }
        Returns: Json
      }
      load_or_create_session: {
        Args: { p_persona?: string; p_phone_number: string; p_timeout?: string }
        Returns: Database["public"]["CompositeTypes"]["loaded_session"]
        SetofOptions: {
          from: "*"
          to: "loaded_session"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      match_chat_messages: {
        Args: {
          filter?: Json
          match_count?: number
          p_user_id?: string
          query_embedding: string
        }
        Returns: {
          content: string
          id: string
          metadata: Json
          mood_detected: string
          reply_to: string
          sender_type: string
          sentiment_score: number
          session_id: string
          similarity: number
          timestamp: string
          user_id: string
        }[]
      }
      match_memories: {
        Args: {
          filter?: Json
          match_count?: number
          p_user_id?: string
          query_embedding: string
        }
        Returns: {
          access_count: number
          content: string
          created_at: string
          id: string
          importance: string
          last_accessed: string
          memory_category: string
          memory_key: string
          memory_value: string
          metadata: Json
          similarity: number
          updated_at: string
          user_id: string
        }[]
      }
      profiles:
        | {
            Args: {
              "": Database["public"]["Tables"]["session_messages"]["Row"]
            }
            Returns: {
              avatar_url: string | null
              full_name: string | null
              id: string | null
            }
            SetofOptions: {
              from: "session_messages"
              to: "profile_cards"
              isOneToOne: true
              isSetofReturn: true
            }
          }
        | {
            Args: {
              "": Database["public"]["Tables"]["session_participants"]["Row"]
            }
            Returns: {
              avatar_url: string | null
              full_name: string | null
              id: string | null
            }
            SetofOptions: {
              from: "session_participants"
              to: "profile_cards"
              isOneToOne: true
              isSetofReturn: true
            }
          }
      recompute_genre_preferences: {
        Args: { p_user_id?: string }
        Returns: number
      }
      record_mentor_webhook: {
        Args: {
          p_event_type: string
          p_payload?: Json
          p_provider_conversation_id: string
        }
        Returns: Json
      }
      regenerate_reply: {
        Args: {
          p_ai_response: string
          p_completion_tokens?: number
          p_model?: string
          p_prompt_tokens?: number
          p_user_id?: string
          p_user_message_id: string
        }
        Returns: string
      }
      search_chat_history: {
        Args: {
          p_limit?: number
          p_query: string
          p_session_id?: string
          p_user_id?: string
        }
        Returns: {
          id: string
          message_text: string
          mood_detected: string
          rank: number
          reply_to: string
          sender_type: string
          sentiment_score: number
          session_id: string
          timestamp: string
        }[]
      }
      session_feedback_summary: {
        Args: { p_session_id: string; p_user_id?: string }
        Returns: Json
      }
      start_mentor_session: {
        Args: {
          p_persona_id?: string
          p_provider_conversation_id: string
          p_user_id?: string
        }
        Returns: {
          created_at: string
          duration_seconds: number | null
          end_time: string | null
          id: string
          metadata: NonNullable<Json>
          persona_id: string | null
          provider_conversation_id: string
          recording_url: string | null
          start_time: string
          status: string
          transcript: Json | null
          updated_at: string
          user_id: string
        }
        SetofOptions: {
          from: "*"
          to: "mentor_conversations"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      store_chat_pair: {
        Args: {
          p_ai_response?: string
          p_completion_tokens?: number
          p_model?: string
          p_mood?: string
          p_prompt_tokens?: number
          p_sentiment?: number
          p_session_id?: string
          p_user_id?: string
          p_user_message?: string
        }
        Returns: string
      }
      switch_branch: {
        Args: { p_message_id: string; p_user_id?: string }
        Returns: string
      }
    }
    Enums: {
      [_ in never]: never
    }
    CompositeTypes: {
      loaded_session: {
        id: string | null
        phone_number: string | null
        assigned_persona: string | null
        first_contact_at: string | null
        last_active_at: string | null
        total_messages: number | null
        metadata: Json | null
        created_at: string | null
        updated_at: string | null
        is_new_session: boolean | null
        rolled_over: boolean | null
      }
    }
  }
}

type DatabaseWithoutInternals = Omit<Database, "__InternalSupabase">

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "public">]

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
        DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
      DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])[TableName] extends {
      Row: infer R
    }
    ? R
    : never
  : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema["Tables"] &
        DefaultSchema["Views"])
    ? (DefaultSchema["Tables"] &
        DefaultSchema["Views"])[DefaultSchemaTableNameOrOptions] extends {
        Row: infer R
      }
      ? R
      : never
    : never

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Insert: infer I
    }
    ? I
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Insert: infer I
      }
      ? I
      : never
    : never

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Update: infer U
    }
    ? U
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Update: infer U
      }
      ? U
      : never
    : never

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema["Enums"]
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends (DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
    : never) = never,
> = DefaultSchemaEnumNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
    ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
    : never

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends (PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
    : never) = never,
> = PublicCompositeTypeNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
    ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
    : never

export const Constants = {
  public: {
    Enums: {},
  },
} as const

