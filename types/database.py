from __future__ import annotations

import datetime
import uuid
from typing import (
    Annotated,
    Any,
    List,
    Literal,
    Optional,
    TypedDict,
)
from typing_extensions import NotRequired, TypeAlias

from pydantic import BaseModel, Field, JsonValue
import datetime as _datetime  # pg_convo: for the classes with a column named datetime
PgCatalogTsvector: TypeAlias = Any  # pg_convo: a Postgres type outside the generated schemas



class PublicAchievements(BaseModel):
    achieved_at: datetime.datetime = Field(alias="achieved_at")
    badge_id: str = Field(alias="badge_id")
    details: Optional[JsonValue] = Field(alias="details")
    id: int = Field(alias="id")
    profile_id: uuid.UUID = Field(alias="profile_id")
    viewed_at: Optional[datetime.datetime] = Field(alias="viewed_at")

class PublicAchievementsInsert(TypedDict):
    achieved_at: NotRequired[Annotated[datetime.datetime, Field(alias="achieved_at")]]
    badge_id: Annotated[str, Field(alias="badge_id")]
    details: NotRequired[Annotated[Optional[JsonValue], Field(alias="details")]]
    id: NotRequired[Annotated[int, Field(alias="id")]]
    profile_id: Annotated[uuid.UUID, Field(alias="profile_id")]
    viewed_at: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="viewed_at")]]

class PublicAchievementsUpdate(TypedDict):
    achieved_at: NotRequired[Annotated[datetime.datetime, Field(alias="achieved_at")]]
    badge_id: NotRequired[Annotated[str, Field(alias="badge_id")]]
    details: NotRequired[Annotated[Optional[JsonValue], Field(alias="details")]]
    id: NotRequired[Annotated[int, Field(alias="id")]]
    profile_id: NotRequired[Annotated[uuid.UUID, Field(alias="profile_id")]]
    viewed_at: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="viewed_at")]]

class PublicAgentAnalyses(BaseModel):
    agent_type: str = Field(alias="agent_type")
    analysis_data: JsonValue = Field(alias="analysis_data")
    created_at: datetime.datetime = Field(alias="created_at")
    id: uuid.UUID = Field(alias="id")
    updated_at: datetime.datetime = Field(alias="updated_at")
    user_id: uuid.UUID = Field(alias="user_id")

class PublicAgentAnalysesInsert(TypedDict):
    agent_type: Annotated[str, Field(alias="agent_type")]
    analysis_data: NotRequired[Annotated[JsonValue, Field(alias="analysis_data")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: Annotated[uuid.UUID, Field(alias="user_id")]

class PublicAgentAnalysesUpdate(TypedDict):
    agent_type: NotRequired[Annotated[str, Field(alias="agent_type")]]
    analysis_data: NotRequired[Annotated[JsonValue, Field(alias="analysis_data")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: NotRequired[Annotated[uuid.UUID, Field(alias="user_id")]]

class PublicChatMessages(BaseModel):
    embedding: Optional[str] = Field(alias="embedding")
    id: uuid.UUID = Field(alias="id")
    message_text: str = Field(alias="message_text")
    message_tsv: Optional[PgCatalogTsvector] = Field(alias="message_tsv")
    model: Optional[str] = Field(alias="model")
    mood_detected: Optional[str] = Field(alias="mood_detected")
    parent_id: Optional[uuid.UUID] = Field(alias="parent_id")
    previous_id: Optional[uuid.UUID] = Field(alias="previous_id")
    reply_to: Optional[uuid.UUID] = Field(alias="reply_to")
    sender_type: str = Field(alias="sender_type")
    sentiment_score: Optional[float] = Field(alias="sentiment_score")
    session_id: Optional[uuid.UUID] = Field(alias="session_id")
    timestamp: datetime.datetime = Field(alias="timestamp")
    token_count: Optional[int] = Field(alias="token_count")
    user_id: uuid.UUID = Field(alias="user_id")

class PublicChatMessagesInsert(TypedDict):
    embedding: NotRequired[Annotated[Optional[list[Any]], Field(alias="embedding")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    message_text: Annotated[str, Field(alias="message_text")]
    message_tsv: NotRequired[Annotated[Optional[PgCatalogTsvector], Field(alias="message_tsv")]]
    model: NotRequired[Annotated[Optional[str], Field(alias="model")]]
    mood_detected: NotRequired[Annotated[Optional[str], Field(alias="mood_detected")]]
    parent_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="parent_id")]]
    previous_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="previous_id")]]
    reply_to: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="reply_to")]]
    sender_type: Annotated[str, Field(alias="sender_type")]
    sentiment_score: NotRequired[Annotated[Optional[float], Field(alias="sentiment_score")]]
    session_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="session_id")]]
    timestamp: NotRequired[Annotated[datetime.datetime, Field(alias="timestamp")]]
    token_count: NotRequired[Annotated[Optional[int], Field(alias="token_count")]]
    user_id: Annotated[uuid.UUID, Field(alias="user_id")]

class PublicChatMessagesUpdate(TypedDict):
    embedding: NotRequired[Annotated[Optional[list[Any]], Field(alias="embedding")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    message_text: NotRequired[Annotated[str, Field(alias="message_text")]]
    message_tsv: NotRequired[Annotated[Optional[PgCatalogTsvector], Field(alias="message_tsv")]]
    model: NotRequired[Annotated[Optional[str], Field(alias="model")]]
    mood_detected: NotRequired[Annotated[Optional[str], Field(alias="mood_detected")]]
    parent_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="parent_id")]]
    previous_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="previous_id")]]
    reply_to: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="reply_to")]]
    sender_type: NotRequired[Annotated[str, Field(alias="sender_type")]]
    sentiment_score: NotRequired[Annotated[Optional[float], Field(alias="sentiment_score")]]
    session_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="session_id")]]
    timestamp: NotRequired[Annotated[datetime.datetime, Field(alias="timestamp")]]
    token_count: NotRequired[Annotated[Optional[int], Field(alias="token_count")]]
    user_id: NotRequired[Annotated[uuid.UUID, Field(alias="user_id")]]

class PublicChatSessions(BaseModel):
    created_at: datetime.datetime = Field(alias="created_at")
    id: uuid.UUID = Field(alias="id")
    last_message_at: Optional[datetime.datetime] = Field(alias="last_message_at")
    selected_at: Optional[datetime.datetime] = Field(alias="selected_at")
    selected_leaf_id: Optional[uuid.UUID] = Field(alias="selected_leaf_id")
    title: Optional[str] = Field(alias="title")
    user_id: uuid.UUID = Field(alias="user_id")

class PublicChatSessionsInsert(TypedDict):
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    last_message_at: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="last_message_at")]]
    selected_at: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="selected_at")]]
    selected_leaf_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="selected_leaf_id")]]
    title: NotRequired[Annotated[Optional[str], Field(alias="title")]]
    user_id: Annotated[uuid.UUID, Field(alias="user_id")]

class PublicChatSessionsUpdate(TypedDict):
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    last_message_at: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="last_message_at")]]
    selected_at: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="selected_at")]]
    selected_leaf_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="selected_leaf_id")]]
    title: NotRequired[Annotated[Optional[str], Field(alias="title")]]
    user_id: NotRequired[Annotated[uuid.UUID, Field(alias="user_id")]]

class PublicChatSummaries(BaseModel):
    created_at: datetime.datetime = Field(alias="created_at")
    id: uuid.UUID = Field(alias="id")
    model: Optional[str] = Field(alias="model")
    session_id: uuid.UUID = Field(alias="session_id")
    summary: str = Field(alias="summary")
    through_message_id: uuid.UUID = Field(alias="through_message_id")
    token_count: Optional[int] = Field(alias="token_count")
    user_id: uuid.UUID = Field(alias="user_id")

class PublicChatSummariesInsert(TypedDict):
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    model: NotRequired[Annotated[Optional[str], Field(alias="model")]]
    session_id: Annotated[uuid.UUID, Field(alias="session_id")]
    summary: Annotated[str, Field(alias="summary")]
    through_message_id: Annotated[uuid.UUID, Field(alias="through_message_id")]
    token_count: NotRequired[Annotated[Optional[int], Field(alias="token_count")]]
    user_id: NotRequired[Annotated[uuid.UUID, Field(alias="user_id")]]

class PublicChatSummariesUpdate(TypedDict):
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    model: NotRequired[Annotated[Optional[str], Field(alias="model")]]
    session_id: NotRequired[Annotated[uuid.UUID, Field(alias="session_id")]]
    summary: NotRequired[Annotated[str, Field(alias="summary")]]
    through_message_id: NotRequired[Annotated[uuid.UUID, Field(alias="through_message_id")]]
    token_count: NotRequired[Annotated[Optional[int], Field(alias="token_count")]]
    user_id: NotRequired[Annotated[uuid.UUID, Field(alias="user_id")]]

class PublicClients(BaseModel):
    created_at: datetime.datetime = Field(alias="created_at")
    email: Optional[str] = Field(alias="email")
    id: uuid.UUID = Field(alias="id")
    name: Optional[str] = Field(alias="name")
    phone: Optional[str] = Field(alias="phone")
    plan: str = Field(alias="plan")
    preferred_language: str = Field(alias="preferred_language")
    updated_at: datetime.datetime = Field(alias="updated_at")

class PublicClientsInsert(TypedDict):
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    email: NotRequired[Annotated[Optional[str], Field(alias="email")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    name: NotRequired[Annotated[Optional[str], Field(alias="name")]]
    phone: NotRequired[Annotated[Optional[str], Field(alias="phone")]]
    plan: NotRequired[Annotated[str, Field(alias="plan")]]
    preferred_language: NotRequired[Annotated[str, Field(alias="preferred_language")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]

class PublicClientsUpdate(TypedDict):
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    email: NotRequired[Annotated[Optional[str], Field(alias="email")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    name: NotRequired[Annotated[Optional[str], Field(alias="name")]]
    phone: NotRequired[Annotated[Optional[str], Field(alias="phone")]]
    plan: NotRequired[Annotated[str, Field(alias="plan")]]
    preferred_language: NotRequired[Annotated[str, Field(alias="preferred_language")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]

class PublicConversations(BaseModel):
    client_id: Optional[uuid.UUID] = Field(alias="client_id")
    created_at: datetime.datetime = Field(alias="created_at")
    id: str = Field(alias="id")
    language: Optional[str] = Field(alias="language")
    updated_at: datetime.datetime = Field(alias="updated_at")

class PublicConversationsInsert(TypedDict):
    client_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="client_id")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    id: Annotated[str, Field(alias="id")]
    language: NotRequired[Annotated[Optional[str], Field(alias="language")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]

class PublicConversationsUpdate(TypedDict):
    client_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="client_id")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    id: NotRequired[Annotated[str, Field(alias="id")]]
    language: NotRequired[Annotated[Optional[str], Field(alias="language")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]

class PublicDailySessions(BaseModel):
    completed_at: Optional[datetime.datetime] = Field(alias="completed_at")
    created_at: datetime.datetime = Field(alias="created_at")
    duration_seconds: Optional[int] = Field(alias="duration_seconds")
    id: uuid.UUID = Field(alias="id")
    mentor_conversation_id: uuid.UUID = Field(alias="mentor_conversation_id")
    session_date: datetime.date = Field(alias="session_date")
    status: str = Field(alias="status")
    summary_data: JsonValue = Field(alias="summary_data")
    transcript_data: Optional[JsonValue] = Field(alias="transcript_data")
    updated_at: datetime.datetime = Field(alias="updated_at")
    user_id: uuid.UUID = Field(alias="user_id")

class PublicDailySessionsInsert(TypedDict):
    completed_at: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="completed_at")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    duration_seconds: NotRequired[Annotated[Optional[int], Field(alias="duration_seconds")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    mentor_conversation_id: Annotated[uuid.UUID, Field(alias="mentor_conversation_id")]
    session_date: NotRequired[Annotated[datetime.date, Field(alias="session_date")]]
    status: NotRequired[Annotated[str, Field(alias="status")]]
    summary_data: NotRequired[Annotated[JsonValue, Field(alias="summary_data")]]
    transcript_data: NotRequired[Annotated[Optional[JsonValue], Field(alias="transcript_data")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: Annotated[uuid.UUID, Field(alias="user_id")]

class PublicDailySessionsUpdate(TypedDict):
    completed_at: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="completed_at")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    duration_seconds: NotRequired[Annotated[Optional[int], Field(alias="duration_seconds")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    mentor_conversation_id: NotRequired[Annotated[uuid.UUID, Field(alias="mentor_conversation_id")]]
    session_date: NotRequired[Annotated[datetime.date, Field(alias="session_date")]]
    status: NotRequired[Annotated[str, Field(alias="status")]]
    summary_data: NotRequired[Annotated[JsonValue, Field(alias="summary_data")]]
    transcript_data: NotRequired[Annotated[Optional[JsonValue], Field(alias="transcript_data")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: NotRequired[Annotated[uuid.UUID, Field(alias="user_id")]]

class PublicGrowthInsights(BaseModel):
    generated_at: datetime.datetime = Field(alias="generated_at")
    id: int = Field(alias="id")
    insight_data: JsonValue = Field(alias="insight_data")
    insight_type: str = Field(alias="insight_type")
    profile_id: uuid.UUID = Field(alias="profile_id")
    session_id: Optional[uuid.UUID] = Field(alias="session_id")
    viewed_at: Optional[datetime.datetime] = Field(alias="viewed_at")

class PublicGrowthInsightsInsert(TypedDict):
    generated_at: NotRequired[Annotated[datetime.datetime, Field(alias="generated_at")]]
    id: NotRequired[Annotated[int, Field(alias="id")]]
    insight_data: Annotated[JsonValue, Field(alias="insight_data")]
    insight_type: Annotated[str, Field(alias="insight_type")]
    profile_id: Annotated[uuid.UUID, Field(alias="profile_id")]
    session_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="session_id")]]
    viewed_at: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="viewed_at")]]

class PublicGrowthInsightsUpdate(TypedDict):
    generated_at: NotRequired[Annotated[datetime.datetime, Field(alias="generated_at")]]
    id: NotRequired[Annotated[int, Field(alias="id")]]
    insight_data: NotRequired[Annotated[JsonValue, Field(alias="insight_data")]]
    insight_type: NotRequired[Annotated[str, Field(alias="insight_type")]]
    profile_id: NotRequired[Annotated[uuid.UUID, Field(alias="profile_id")]]
    session_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="session_id")]]
    viewed_at: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="viewed_at")]]

class PublicMentalProcessState(BaseModel):
    id: uuid.UUID = Field(alias="id")
    params: JsonValue = Field(alias="params")
    process_name: str = Field(alias="process_name")
    session_id: uuid.UUID = Field(alias="session_id")
    updated_at: datetime.datetime = Field(alias="updated_at")

class PublicMentalProcessStateInsert(TypedDict):
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    params: NotRequired[Annotated[JsonValue, Field(alias="params")]]
    process_name: NotRequired[Annotated[str, Field(alias="process_name")]]
    session_id: Annotated[uuid.UUID, Field(alias="session_id")]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]

class PublicMentalProcessStateUpdate(TypedDict):
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    params: NotRequired[Annotated[JsonValue, Field(alias="params")]]
    process_name: NotRequired[Annotated[str, Field(alias="process_name")]]
    session_id: NotRequired[Annotated[uuid.UUID, Field(alias="session_id")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]

class PublicMentorAvatars(BaseModel):
    created_at: datetime.datetime = Field(alias="created_at")
    description: Optional[str] = Field(alias="description")
    id: uuid.UUID = Field(alias="id")
    image_url: Optional[str] = Field(alias="image_url")
    is_active: bool = Field(alias="is_active")
    metadata: JsonValue = Field(alias="metadata")
    name: str = Field(alias="name")
    preview_video_url: Optional[str] = Field(alias="preview_video_url")
    provider_persona_id: Optional[str] = Field(alias="provider_persona_id")
    provider_replica_id: str = Field(alias="provider_replica_id")
    sort_order: int = Field(alias="sort_order")
    updated_at: datetime.datetime = Field(alias="updated_at")

class PublicMentorAvatarsInsert(TypedDict):
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    description: NotRequired[Annotated[Optional[str], Field(alias="description")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    image_url: NotRequired[Annotated[Optional[str], Field(alias="image_url")]]
    is_active: NotRequired[Annotated[bool, Field(alias="is_active")]]
    metadata: NotRequired[Annotated[JsonValue, Field(alias="metadata")]]
    name: Annotated[str, Field(alias="name")]
    preview_video_url: NotRequired[Annotated[Optional[str], Field(alias="preview_video_url")]]
    provider_persona_id: NotRequired[Annotated[Optional[str], Field(alias="provider_persona_id")]]
    provider_replica_id: Annotated[str, Field(alias="provider_replica_id")]
    sort_order: NotRequired[Annotated[int, Field(alias="sort_order")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]

class PublicMentorAvatarsUpdate(TypedDict):
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    description: NotRequired[Annotated[Optional[str], Field(alias="description")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    image_url: NotRequired[Annotated[Optional[str], Field(alias="image_url")]]
    is_active: NotRequired[Annotated[bool, Field(alias="is_active")]]
    metadata: NotRequired[Annotated[JsonValue, Field(alias="metadata")]]
    name: NotRequired[Annotated[str, Field(alias="name")]]
    preview_video_url: NotRequired[Annotated[Optional[str], Field(alias="preview_video_url")]]
    provider_persona_id: NotRequired[Annotated[Optional[str], Field(alias="provider_persona_id")]]
    provider_replica_id: NotRequired[Annotated[str, Field(alias="provider_replica_id")]]
    sort_order: NotRequired[Annotated[int, Field(alias="sort_order")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]

class PublicMentorConversations(BaseModel):
    created_at: datetime.datetime = Field(alias="created_at")
    duration_seconds: Optional[int] = Field(alias="duration_seconds")
    end_time: Optional[datetime.datetime] = Field(alias="end_time")
    id: uuid.UUID = Field(alias="id")
    metadata: JsonValue = Field(alias="metadata")
    persona_id: Optional[uuid.UUID] = Field(alias="persona_id")
    provider_conversation_id: str = Field(alias="provider_conversation_id")
    recording_url: Optional[str] = Field(alias="recording_url")
    start_time: datetime.datetime = Field(alias="start_time")
    status: str = Field(alias="status")
    transcript: Optional[JsonValue] = Field(alias="transcript")
    updated_at: datetime.datetime = Field(alias="updated_at")
    user_id: uuid.UUID = Field(alias="user_id")

class PublicMentorConversationsInsert(TypedDict):
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    duration_seconds: NotRequired[Annotated[Optional[int], Field(alias="duration_seconds")]]
    end_time: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="end_time")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    metadata: NotRequired[Annotated[JsonValue, Field(alias="metadata")]]
    persona_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="persona_id")]]
    provider_conversation_id: Annotated[str, Field(alias="provider_conversation_id")]
    recording_url: NotRequired[Annotated[Optional[str], Field(alias="recording_url")]]
    start_time: NotRequired[Annotated[datetime.datetime, Field(alias="start_time")]]
    status: NotRequired[Annotated[str, Field(alias="status")]]
    transcript: NotRequired[Annotated[Optional[JsonValue], Field(alias="transcript")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: Annotated[uuid.UUID, Field(alias="user_id")]

class PublicMentorConversationsUpdate(TypedDict):
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    duration_seconds: NotRequired[Annotated[Optional[int], Field(alias="duration_seconds")]]
    end_time: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="end_time")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    metadata: NotRequired[Annotated[JsonValue, Field(alias="metadata")]]
    persona_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="persona_id")]]
    provider_conversation_id: NotRequired[Annotated[str, Field(alias="provider_conversation_id")]]
    recording_url: NotRequired[Annotated[Optional[str], Field(alias="recording_url")]]
    start_time: NotRequired[Annotated[datetime.datetime, Field(alias="start_time")]]
    status: NotRequired[Annotated[str, Field(alias="status")]]
    transcript: NotRequired[Annotated[Optional[JsonValue], Field(alias="transcript")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: NotRequired[Annotated[uuid.UUID, Field(alias="user_id")]]

class PublicMessageFeedback(BaseModel):
    comment: Optional[str] = Field(alias="comment")
    created_at: datetime.datetime = Field(alias="created_at")
    id: uuid.UUID = Field(alias="id")
    message_id: uuid.UUID = Field(alias="message_id")
    rating: int = Field(alias="rating")
    reason: Optional[str] = Field(alias="reason")
    updated_at: datetime.datetime = Field(alias="updated_at")
    user_id: uuid.UUID = Field(alias="user_id")

class PublicMessageFeedbackInsert(TypedDict):
    comment: NotRequired[Annotated[Optional[str], Field(alias="comment")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    message_id: Annotated[uuid.UUID, Field(alias="message_id")]
    rating: Annotated[int, Field(alias="rating")]
    reason: NotRequired[Annotated[Optional[str], Field(alias="reason")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: NotRequired[Annotated[uuid.UUID, Field(alias="user_id")]]

class PublicMessageFeedbackUpdate(TypedDict):
    comment: NotRequired[Annotated[Optional[str], Field(alias="comment")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    message_id: NotRequired[Annotated[uuid.UUID, Field(alias="message_id")]]
    rating: NotRequired[Annotated[int, Field(alias="rating")]]
    reason: NotRequired[Annotated[Optional[str], Field(alias="reason")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: NotRequired[Annotated[uuid.UUID, Field(alias="user_id")]]

class PublicMessages(BaseModel):
    completion_tokens: Optional[int] = Field(alias="completion_tokens")
    content: str = Field(alias="content")
    conversation_id: Optional[str] = Field(alias="conversation_id")
    created_at: datetime.datetime = Field(alias="created_at")
    id: uuid.UUID = Field(alias="id")
    message_sid: Optional[str] = Field(alias="message_sid")
    metadata: JsonValue = Field(alias="metadata")
    model: Optional[str] = Field(alias="model")
    prompt_tokens: Optional[int] = Field(alias="prompt_tokens")
    region: str = Field(alias="region")
    role: str = Field(alias="role")
    session_id: Optional[uuid.UUID] = Field(alias="session_id")
    token_count: Optional[int] = Field(alias="token_count")

class PublicMessagesInsert(TypedDict):
    completion_tokens: NotRequired[Annotated[Optional[int], Field(alias="completion_tokens")]]
    content: Annotated[str, Field(alias="content")]
    conversation_id: NotRequired[Annotated[Optional[str], Field(alias="conversation_id")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    message_sid: NotRequired[Annotated[Optional[str], Field(alias="message_sid")]]
    metadata: NotRequired[Annotated[JsonValue, Field(alias="metadata")]]
    model: NotRequired[Annotated[Optional[str], Field(alias="model")]]
    prompt_tokens: NotRequired[Annotated[Optional[int], Field(alias="prompt_tokens")]]
    region: NotRequired[Annotated[str, Field(alias="region")]]
    role: Annotated[str, Field(alias="role")]
    session_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="session_id")]]
    token_count: NotRequired[Annotated[Optional[int], Field(alias="token_count")]]

class PublicMessagesUpdate(TypedDict):
    completion_tokens: NotRequired[Annotated[Optional[int], Field(alias="completion_tokens")]]
    content: NotRequired[Annotated[str, Field(alias="content")]]
    conversation_id: NotRequired[Annotated[Optional[str], Field(alias="conversation_id")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    message_sid: NotRequired[Annotated[Optional[str], Field(alias="message_sid")]]
    metadata: NotRequired[Annotated[JsonValue, Field(alias="metadata")]]
    model: NotRequired[Annotated[Optional[str], Field(alias="model")]]
    prompt_tokens: NotRequired[Annotated[Optional[int], Field(alias="prompt_tokens")]]
    region: NotRequired[Annotated[str, Field(alias="region")]]
    role: NotRequired[Annotated[str, Field(alias="role")]]
    session_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="session_id")]]
    token_count: NotRequired[Annotated[Optional[int], Field(alias="token_count")]]

class PublicMusicGenrePreferences(BaseModel):
    average_reward: float = Field(alias="average_reward")
    genre: str = Field(alias="genre")
    id: uuid.UUID = Field(alias="id")
    interaction_count: int = Field(alias="interaction_count")
    last_interaction: Optional[datetime.datetime] = Field(alias="last_interaction")
    preference_score: float = Field(alias="preference_score")
    recency_weight_sum: float = Field(alias="recency_weight_sum")
    reward_sum: float = Field(alias="reward_sum")
    updated_at: datetime.datetime = Field(alias="updated_at")
    user_id: uuid.UUID = Field(alias="user_id")
    weighted_reward_sum: float = Field(alias="weighted_reward_sum")

class PublicMusicGenrePreferencesInsert(TypedDict):
    average_reward: NotRequired[Annotated[float, Field(alias="average_reward")]]
    genre: Annotated[str, Field(alias="genre")]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    interaction_count: NotRequired[Annotated[int, Field(alias="interaction_count")]]
    last_interaction: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="last_interaction")]]
    preference_score: NotRequired[Annotated[float, Field(alias="preference_score")]]
    recency_weight_sum: NotRequired[Annotated[float, Field(alias="recency_weight_sum")]]
    reward_sum: NotRequired[Annotated[float, Field(alias="reward_sum")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: Annotated[uuid.UUID, Field(alias="user_id")]
    weighted_reward_sum: NotRequired[Annotated[float, Field(alias="weighted_reward_sum")]]

class PublicMusicGenrePreferencesUpdate(TypedDict):
    average_reward: NotRequired[Annotated[float, Field(alias="average_reward")]]
    genre: NotRequired[Annotated[str, Field(alias="genre")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    interaction_count: NotRequired[Annotated[int, Field(alias="interaction_count")]]
    last_interaction: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="last_interaction")]]
    preference_score: NotRequired[Annotated[float, Field(alias="preference_score")]]
    recency_weight_sum: NotRequired[Annotated[float, Field(alias="recency_weight_sum")]]
    reward_sum: NotRequired[Annotated[float, Field(alias="reward_sum")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: NotRequired[Annotated[uuid.UUID, Field(alias="user_id")]]
    weighted_reward_sum: NotRequired[Annotated[float, Field(alias="weighted_reward_sum")]]

class PublicMusicInteractions(BaseModel):
    audio_features: Optional[JsonValue] = Field(alias="audio_features")
    completion_percentage: Optional[float] = Field(alias="completion_percentage")
    created_at: datetime.datetime = Field(alias="created_at")
    id: uuid.UUID = Field(alias="id")
    interaction_type: str = Field(alias="interaction_type")
    listen_duration_ms: Optional[int] = Field(alias="listen_duration_ms")
    personality_state: Optional[JsonValue] = Field(alias="personality_state")
    rl_q_value: Optional[float] = Field(alias="rl_q_value")
    rl_reward: float = Field(alias="rl_reward")
    track_duration_ms: Optional[int] = Field(alias="track_duration_ms")
    track_id: str = Field(alias="track_id")
    user_id: uuid.UUID = Field(alias="user_id")

class PublicMusicInteractionsInsert(TypedDict):
    audio_features: NotRequired[Annotated[Optional[JsonValue], Field(alias="audio_features")]]
    completion_percentage: NotRequired[Annotated[Optional[float], Field(alias="completion_percentage")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    interaction_type: Annotated[str, Field(alias="interaction_type")]
    listen_duration_ms: NotRequired[Annotated[Optional[int], Field(alias="listen_duration_ms")]]
    personality_state: NotRequired[Annotated[Optional[JsonValue], Field(alias="personality_state")]]
    rl_q_value: NotRequired[Annotated[Optional[float], Field(alias="rl_q_value")]]
    rl_reward: Annotated[float, Field(alias="rl_reward")]
    track_duration_ms: NotRequired[Annotated[Optional[int], Field(alias="track_duration_ms")]]
    track_id: Annotated[str, Field(alias="track_id")]
    user_id: Annotated[uuid.UUID, Field(alias="user_id")]

class PublicMusicInteractionsUpdate(TypedDict):
    audio_features: NotRequired[Annotated[Optional[JsonValue], Field(alias="audio_features")]]
    completion_percentage: NotRequired[Annotated[Optional[float], Field(alias="completion_percentage")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    interaction_type: NotRequired[Annotated[str, Field(alias="interaction_type")]]
    listen_duration_ms: NotRequired[Annotated[Optional[int], Field(alias="listen_duration_ms")]]
    personality_state: NotRequired[Annotated[Optional[JsonValue], Field(alias="personality_state")]]
    rl_q_value: NotRequired[Annotated[Optional[float], Field(alias="rl_q_value")]]
    rl_reward: NotRequired[Annotated[float, Field(alias="rl_reward")]]
    track_duration_ms: NotRequired[Annotated[Optional[int], Field(alias="track_duration_ms")]]
    track_id: NotRequired[Annotated[str, Field(alias="track_id")]]
    user_id: NotRequired[Annotated[uuid.UUID, Field(alias="user_id")]]

class PublicMusicListeningHistory(BaseModel):
    album: Optional[str] = Field(alias="album")
    artists: List[str] = Field(alias="artists")
    audio_features: Optional[JsonValue] = Field(alias="audio_features")
    created_at: datetime.datetime = Field(alias="created_at")
    duration_ms: Optional[int] = Field(alias="duration_ms")
    external_url: Optional[str] = Field(alias="external_url")
    genres: List[str] = Field(alias="genres")
    id: uuid.UUID = Field(alias="id")
    played_at: datetime.datetime = Field(alias="played_at")
    track_id: str = Field(alias="track_id")
    track_name: str = Field(alias="track_name")
    user_id: uuid.UUID = Field(alias="user_id")

class PublicMusicListeningHistoryInsert(TypedDict):
    album: NotRequired[Annotated[Optional[str], Field(alias="album")]]
    artists: NotRequired[Annotated[List[str], Field(alias="artists")]]
    audio_features: NotRequired[Annotated[Optional[JsonValue], Field(alias="audio_features")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    duration_ms: NotRequired[Annotated[Optional[int], Field(alias="duration_ms")]]
    external_url: NotRequired[Annotated[Optional[str], Field(alias="external_url")]]
    genres: NotRequired[Annotated[List[str], Field(alias="genres")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    played_at: Annotated[datetime.datetime, Field(alias="played_at")]
    track_id: Annotated[str, Field(alias="track_id")]
    track_name: Annotated[str, Field(alias="track_name")]
    user_id: Annotated[uuid.UUID, Field(alias="user_id")]

class PublicMusicListeningHistoryUpdate(TypedDict):
    album: NotRequired[Annotated[Optional[str], Field(alias="album")]]
    artists: NotRequired[Annotated[List[str], Field(alias="artists")]]
    audio_features: NotRequired[Annotated[Optional[JsonValue], Field(alias="audio_features")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    duration_ms: NotRequired[Annotated[Optional[int], Field(alias="duration_ms")]]
    external_url: NotRequired[Annotated[Optional[str], Field(alias="external_url")]]
    genres: NotRequired[Annotated[List[str], Field(alias="genres")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    played_at: NotRequired[Annotated[datetime.datetime, Field(alias="played_at")]]
    track_id: NotRequired[Annotated[str, Field(alias="track_id")]]
    track_name: NotRequired[Annotated[str, Field(alias="track_name")]]
    user_id: NotRequired[Annotated[uuid.UUID, Field(alias="user_id")]]

class PublicMusicRecommendations(BaseModel):
    acousticness: Optional[float] = Field(alias="acousticness")
    artists: List[str] = Field(alias="artists")
    danceability: Optional[float] = Field(alias="danceability")
    energy: Optional[float] = Field(alias="energy")
    external_url: str = Field(alias="external_url")
    genz_genre: str = Field(alias="genz_genre")
    id: uuid.UUID = Field(alias="id")
    instrumentalness: Optional[float] = Field(alias="instrumentalness")
    liveness: Optional[float] = Field(alias="liveness")
    loudness: Optional[float] = Field(alias="loudness")
    personality_match_score: float = Field(alias="personality_match_score")
    recommended_at: datetime.datetime = Field(alias="recommended_at")
    recommended_on: Optional[datetime.date] = Field(alias="recommended_on")
    rl_score: float = Field(alias="rl_score")
    speechiness: Optional[float] = Field(alias="speechiness")
    tempo: Optional[float] = Field(alias="tempo")
    track_id: str = Field(alias="track_id")
    track_name: str = Field(alias="track_name")
    user_id: uuid.UUID = Field(alias="user_id")
    valence: Optional[float] = Field(alias="valence")

class PublicMusicRecommendationsInsert(TypedDict):
    acousticness: NotRequired[Annotated[Optional[float], Field(alias="acousticness")]]
    artists: Annotated[List[str], Field(alias="artists")]
    danceability: NotRequired[Annotated[Optional[float], Field(alias="danceability")]]
    energy: NotRequired[Annotated[Optional[float], Field(alias="energy")]]
    external_url: Annotated[str, Field(alias="external_url")]
    genz_genre: Annotated[str, Field(alias="genz_genre")]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    instrumentalness: NotRequired[Annotated[Optional[float], Field(alias="instrumentalness")]]
    liveness: NotRequired[Annotated[Optional[float], Field(alias="liveness")]]
    loudness: NotRequired[Annotated[Optional[float], Field(alias="loudness")]]
    personality_match_score: NotRequired[Annotated[float, Field(alias="personality_match_score")]]
    recommended_at: NotRequired[Annotated[datetime.datetime, Field(alias="recommended_at")]]
    recommended_on: NotRequired[Annotated[Optional[datetime.date], Field(alias="recommended_on")]]
    rl_score: NotRequired[Annotated[float, Field(alias="rl_score")]]
    speechiness: NotRequired[Annotated[Optional[float], Field(alias="speechiness")]]
    tempo: NotRequired[Annotated[Optional[float], Field(alias="tempo")]]
    track_id: Annotated[str, Field(alias="track_id")]
    track_name: Annotated[str, Field(alias="track_name")]
    user_id: Annotated[uuid.UUID, Field(alias="user_id")]
    valence: NotRequired[Annotated[Optional[float], Field(alias="valence")]]

class PublicMusicRecommendationsUpdate(TypedDict):
    acousticness: NotRequired[Annotated[Optional[float], Field(alias="acousticness")]]
    artists: NotRequired[Annotated[List[str], Field(alias="artists")]]
    danceability: NotRequired[Annotated[Optional[float], Field(alias="danceability")]]
    energy: NotRequired[Annotated[Optional[float], Field(alias="energy")]]
    external_url: NotRequired[Annotated[str, Field(alias="external_url")]]
    genz_genre: NotRequired[Annotated[str, Field(alias="genz_genre")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    instrumentalness: NotRequired[Annotated[Optional[float], Field(alias="instrumentalness")]]
    liveness: NotRequired[Annotated[Optional[float], Field(alias="liveness")]]
    loudness: NotRequired[Annotated[Optional[float], Field(alias="loudness")]]
    personality_match_score: NotRequired[Annotated[float, Field(alias="personality_match_score")]]
    recommended_at: NotRequired[Annotated[datetime.datetime, Field(alias="recommended_at")]]
    recommended_on: NotRequired[Annotated[Optional[datetime.date], Field(alias="recommended_on")]]
    rl_score: NotRequired[Annotated[float, Field(alias="rl_score")]]
    speechiness: NotRequired[Annotated[Optional[float], Field(alias="speechiness")]]
    tempo: NotRequired[Annotated[Optional[float], Field(alias="tempo")]]
    track_id: NotRequired[Annotated[str, Field(alias="track_id")]]
    track_name: NotRequired[Annotated[str, Field(alias="track_name")]]
    user_id: NotRequired[Annotated[uuid.UUID, Field(alias="user_id")]]
    valence: NotRequired[Annotated[Optional[float], Field(alias="valence")]]

class PublicMusicRlModels(BaseModel):
    created_at: datetime.datetime = Field(alias="created_at")
    hyperparameters: JsonValue = Field(alias="hyperparameters")
    id: uuid.UUID = Field(alias="id")
    q_table: JsonValue = Field(alias="q_table")
    user_id: uuid.UUID = Field(alias="user_id")
    version: int = Field(alias="version")

class PublicMusicRlModelsInsert(TypedDict):
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    hyperparameters: NotRequired[Annotated[JsonValue, Field(alias="hyperparameters")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    q_table: Annotated[JsonValue, Field(alias="q_table")]
    user_id: Annotated[uuid.UUID, Field(alias="user_id")]
    version: Annotated[int, Field(alias="version")]

class PublicMusicRlModelsUpdate(TypedDict):
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    hyperparameters: NotRequired[Annotated[JsonValue, Field(alias="hyperparameters")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    q_table: NotRequired[Annotated[JsonValue, Field(alias="q_table")]]
    user_id: NotRequired[Annotated[uuid.UUID, Field(alias="user_id")]]
    version: NotRequired[Annotated[int, Field(alias="version")]]

class PublicOnboardingProfiles(BaseModel):
    completed_at: Optional[datetime.datetime] = Field(alias="completed_at")
    created_at: datetime.datetime = Field(alias="created_at")
    disc_scores: Optional[JsonValue] = Field(alias="disc_scores")
    disc_type: Optional[str] = Field(alias="disc_type")
    enneagram_type: Optional[int] = Field(alias="enneagram_type")
    enneagram_wing: Optional[int] = Field(alias="enneagram_wing")
    focus_areas: List[str] = Field(alias="focus_areas")
    personality_insights: JsonValue = Field(alias="personality_insights")
    updated_at: datetime.datetime = Field(alias="updated_at")
    user_id: uuid.UUID = Field(alias="user_id")

class PublicOnboardingProfilesInsert(TypedDict):
    completed_at: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="completed_at")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    disc_scores: NotRequired[Annotated[Optional[JsonValue], Field(alias="disc_scores")]]
    disc_type: NotRequired[Annotated[Optional[str], Field(alias="disc_type")]]
    enneagram_type: NotRequired[Annotated[Optional[int], Field(alias="enneagram_type")]]
    enneagram_wing: NotRequired[Annotated[Optional[int], Field(alias="enneagram_wing")]]
    focus_areas: NotRequired[Annotated[List[str], Field(alias="focus_areas")]]
    personality_insights: NotRequired[Annotated[JsonValue, Field(alias="personality_insights")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: Annotated[uuid.UUID, Field(alias="user_id")]

class PublicOnboardingProfilesUpdate(TypedDict):
    completed_at: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="completed_at")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    disc_scores: NotRequired[Annotated[Optional[JsonValue], Field(alias="disc_scores")]]
    disc_type: NotRequired[Annotated[Optional[str], Field(alias="disc_type")]]
    enneagram_type: NotRequired[Annotated[Optional[int], Field(alias="enneagram_type")]]
    enneagram_wing: NotRequired[Annotated[Optional[int], Field(alias="enneagram_wing")]]
    focus_areas: NotRequired[Annotated[List[str], Field(alias="focus_areas")]]
    personality_insights: NotRequired[Annotated[JsonValue, Field(alias="personality_insights")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: NotRequired[Annotated[uuid.UUID, Field(alias="user_id")]]

class PublicOrders(BaseModel):
    amount: float = Field(alias="amount")
    client_id: Optional[uuid.UUID] = Field(alias="client_id")
    created_at: datetime.datetime = Field(alias="created_at")
    currency: str = Field(alias="currency")
    id: uuid.UUID = Field(alias="id")
    items: JsonValue = Field(alias="items")
    order_id: str = Field(alias="order_id")
    payment_intent_id: Optional[str] = Field(alias="payment_intent_id")
    status: str = Field(alias="status")
    updated_at: datetime.datetime = Field(alias="updated_at")

class PublicOrdersInsert(TypedDict):
    amount: Annotated[float, Field(alias="amount")]
    client_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="client_id")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    currency: NotRequired[Annotated[str, Field(alias="currency")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    items: NotRequired[Annotated[JsonValue, Field(alias="items")]]
    order_id: Annotated[str, Field(alias="order_id")]
    payment_intent_id: NotRequired[Annotated[Optional[str], Field(alias="payment_intent_id")]]
    status: NotRequired[Annotated[str, Field(alias="status")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]

class PublicOrdersUpdate(TypedDict):
    amount: NotRequired[Annotated[float, Field(alias="amount")]]
    client_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="client_id")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    currency: NotRequired[Annotated[str, Field(alias="currency")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    items: NotRequired[Annotated[JsonValue, Field(alias="items")]]
    order_id: NotRequired[Annotated[str, Field(alias="order_id")]]
    payment_intent_id: NotRequired[Annotated[Optional[str], Field(alias="payment_intent_id")]]
    status: NotRequired[Annotated[str, Field(alias="status")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]

class PublicPlanTokenLimits(BaseModel):
    chat_history_days: Optional[int] = Field(alias="chat_history_days")
    daily_token_limit: int = Field(alias="daily_token_limit")
    plan: str = Field(alias="plan")

class PublicPlanTokenLimitsInsert(TypedDict):
    chat_history_days: NotRequired[Annotated[Optional[int], Field(alias="chat_history_days")]]
    daily_token_limit: Annotated[int, Field(alias="daily_token_limit")]
    plan: Annotated[str, Field(alias="plan")]

class PublicPlanTokenLimitsUpdate(TypedDict):
    chat_history_days: NotRequired[Annotated[Optional[int], Field(alias="chat_history_days")]]
    daily_token_limit: NotRequired[Annotated[int, Field(alias="daily_token_limit")]]
    plan: NotRequired[Annotated[str, Field(alias="plan")]]

class PublicProcessMemories(BaseModel):
    id: uuid.UUID = Field(alias="id")
    key: str = Field(alias="key")
    process_name: str = Field(alias="process_name")
    session_id: uuid.UUID = Field(alias="session_id")
    updated_at: datetime.datetime = Field(alias="updated_at")
    value: JsonValue = Field(alias="value")

class PublicProcessMemoriesInsert(TypedDict):
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    key: Annotated[str, Field(alias="key")]
    process_name: Annotated[str, Field(alias="process_name")]
    session_id: Annotated[uuid.UUID, Field(alias="session_id")]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    value: Annotated[JsonValue, Field(alias="value")]

class PublicProcessMemoriesUpdate(TypedDict):
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    key: NotRequired[Annotated[str, Field(alias="key")]]
    process_name: NotRequired[Annotated[str, Field(alias="process_name")]]
    session_id: NotRequired[Annotated[uuid.UUID, Field(alias="session_id")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    value: NotRequired[Annotated[JsonValue, Field(alias="value")]]

class PublicProfiles(BaseModel):
    avatar_url: Optional[str] = Field(alias="avatar_url")
    created_at: datetime.datetime = Field(alias="created_at")
    email: Optional[str] = Field(alias="email")
    full_name: Optional[str] = Field(alias="full_name")
    has_completed_personality_assessment: Optional[bool] = Field(alias="has_completed_personality_assessment")
    id: uuid.UUID = Field(alias="id")
    onboarding_completed: bool = Field(alias="onboarding_completed")
    personality_agreeableness: int = Field(alias="personality_agreeableness")
    personality_completed_at: Optional[datetime.datetime] = Field(alias="personality_completed_at")
    personality_conscientiousness: int = Field(alias="personality_conscientiousness")
    personality_extraversion: int = Field(alias="personality_extraversion")
    personality_llm_context: Optional[JsonValue] = Field(alias="personality_llm_context")
    personality_neuroticism: int = Field(alias="personality_neuroticism")
    personality_openness: int = Field(alias="personality_openness")
    preferred_communication_style: Optional[JsonValue] = Field(alias="preferred_communication_style")
    profile_completion_percentage: float = Field(alias="profile_completion_percentage")
    updated_at: datetime.datetime = Field(alias="updated_at")

class PublicProfilesInsert(TypedDict):
    avatar_url: NotRequired[Annotated[Optional[str], Field(alias="avatar_url")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    email: NotRequired[Annotated[Optional[str], Field(alias="email")]]
    full_name: NotRequired[Annotated[Optional[str], Field(alias="full_name")]]
    has_completed_personality_assessment: NotRequired[Annotated[Optional[bool], Field(alias="has_completed_personality_assessment")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    onboarding_completed: NotRequired[Annotated[bool, Field(alias="onboarding_completed")]]
    personality_agreeableness: NotRequired[Annotated[int, Field(alias="personality_agreeableness")]]
    personality_completed_at: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="personality_completed_at")]]
    personality_conscientiousness: NotRequired[Annotated[int, Field(alias="personality_conscientiousness")]]
    personality_extraversion: NotRequired[Annotated[int, Field(alias="personality_extraversion")]]
    personality_llm_context: NotRequired[Annotated[Optional[JsonValue], Field(alias="personality_llm_context")]]
    personality_neuroticism: NotRequired[Annotated[int, Field(alias="personality_neuroticism")]]
    personality_openness: NotRequired[Annotated[int, Field(alias="personality_openness")]]
    preferred_communication_style: NotRequired[Annotated[Optional[JsonValue], Field(alias="preferred_communication_style")]]
    profile_completion_percentage: NotRequired[Annotated[float, Field(alias="profile_completion_percentage")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]

class PublicProfilesUpdate(TypedDict):
    avatar_url: NotRequired[Annotated[Optional[str], Field(alias="avatar_url")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    email: NotRequired[Annotated[Optional[str], Field(alias="email")]]
    full_name: NotRequired[Annotated[Optional[str], Field(alias="full_name")]]
    has_completed_personality_assessment: NotRequired[Annotated[Optional[bool], Field(alias="has_completed_personality_assessment")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    onboarding_completed: NotRequired[Annotated[bool, Field(alias="onboarding_completed")]]
    personality_agreeableness: NotRequired[Annotated[int, Field(alias="personality_agreeableness")]]
    personality_completed_at: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="personality_completed_at")]]
    personality_conscientiousness: NotRequired[Annotated[int, Field(alias="personality_conscientiousness")]]
    personality_extraversion: NotRequired[Annotated[int, Field(alias="personality_extraversion")]]
    personality_llm_context: NotRequired[Annotated[Optional[JsonValue], Field(alias="personality_llm_context")]]
    personality_neuroticism: NotRequired[Annotated[int, Field(alias="personality_neuroticism")]]
    personality_openness: NotRequired[Annotated[int, Field(alias="personality_openness")]]
    preferred_communication_style: NotRequired[Annotated[Optional[JsonValue], Field(alias="preferred_communication_style")]]
    profile_completion_percentage: NotRequired[Annotated[float, Field(alias="profile_completion_percentage")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]

class PublicReservations(BaseModel):
    client_id: Optional[uuid.UUID] = Field(alias="client_id")
    created_at: _datetime.datetime = Field(alias="created_at")
    datetime: _datetime.datetime = Field(alias="datetime")
    email: Optional[str] = Field(alias="email")
    google_calendar_event_id: Optional[str] = Field(alias="google_calendar_event_id")
    guests: Optional[int] = Field(alias="guests")
    id: uuid.UUID = Field(alias="id")
    name: Optional[str] = Field(alias="name")
    notes: Optional[str] = Field(alias="notes")
    phone: Optional[str] = Field(alias="phone")

class PublicReservationsInsert(TypedDict):
    client_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="client_id")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    datetime: Annotated[datetime.datetime, Field(alias="datetime")]
    email: NotRequired[Annotated[Optional[str], Field(alias="email")]]
    google_calendar_event_id: NotRequired[Annotated[Optional[str], Field(alias="google_calendar_event_id")]]
    guests: NotRequired[Annotated[Optional[int], Field(alias="guests")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    name: NotRequired[Annotated[Optional[str], Field(alias="name")]]
    notes: NotRequired[Annotated[Optional[str], Field(alias="notes")]]
    phone: NotRequired[Annotated[Optional[str], Field(alias="phone")]]

class PublicReservationsUpdate(TypedDict):
    client_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="client_id")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    datetime: NotRequired[Annotated[datetime.datetime, Field(alias="datetime")]]
    email: NotRequired[Annotated[Optional[str], Field(alias="email")]]
    google_calendar_event_id: NotRequired[Annotated[Optional[str], Field(alias="google_calendar_event_id")]]
    guests: NotRequired[Annotated[Optional[int], Field(alias="guests")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    name: NotRequired[Annotated[Optional[str], Field(alias="name")]]
    notes: NotRequired[Annotated[Optional[str], Field(alias="notes")]]
    phone: NotRequired[Annotated[Optional[str], Field(alias="phone")]]

class PublicRetentionWindows(BaseModel):
    description: str = Field(alias="description")
    keep_days: Optional[int] = Field(alias="keep_days")
    target: str = Field(alias="target")

class PublicRetentionWindowsInsert(TypedDict):
    description: Annotated[str, Field(alias="description")]
    keep_days: NotRequired[Annotated[Optional[int], Field(alias="keep_days")]]
    target: Annotated[str, Field(alias="target")]

class PublicRetentionWindowsUpdate(TypedDict):
    description: NotRequired[Annotated[str, Field(alias="description")]]
    keep_days: NotRequired[Annotated[Optional[int], Field(alias="keep_days")]]
    target: NotRequired[Annotated[str, Field(alias="target")]]

class PublicRitualPreferences(BaseModel):
    created_at: datetime.datetime = Field(alias="created_at")
    preferences: JsonValue = Field(alias="preferences")
    preferred_time: Optional[datetime.time] = Field(alias="preferred_time")
    reminders_enabled: bool = Field(alias="reminders_enabled")
    session_days: List[int] = Field(alias="session_days")
    session_duration_minutes: int = Field(alias="session_duration_minutes")
    timezone: str = Field(alias="timezone")
    updated_at: datetime.datetime = Field(alias="updated_at")
    user_id: uuid.UUID = Field(alias="user_id")

class PublicRitualPreferencesInsert(TypedDict):
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    preferences: NotRequired[Annotated[JsonValue, Field(alias="preferences")]]
    preferred_time: NotRequired[Annotated[Optional[datetime.time], Field(alias="preferred_time")]]
    reminders_enabled: NotRequired[Annotated[bool, Field(alias="reminders_enabled")]]
    session_days: NotRequired[Annotated[List[int], Field(alias="session_days")]]
    session_duration_minutes: NotRequired[Annotated[int, Field(alias="session_duration_minutes")]]
    timezone: NotRequired[Annotated[str, Field(alias="timezone")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: Annotated[uuid.UUID, Field(alias="user_id")]

class PublicRitualPreferencesUpdate(TypedDict):
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    preferences: NotRequired[Annotated[JsonValue, Field(alias="preferences")]]
    preferred_time: NotRequired[Annotated[Optional[datetime.time], Field(alias="preferred_time")]]
    reminders_enabled: NotRequired[Annotated[bool, Field(alias="reminders_enabled")]]
    session_days: NotRequired[Annotated[List[int], Field(alias="session_days")]]
    session_duration_minutes: NotRequired[Annotated[int, Field(alias="session_duration_minutes")]]
    timezone: NotRequired[Annotated[str, Field(alias="timezone")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: NotRequired[Annotated[uuid.UUID, Field(alias="user_id")]]

class PublicSessionEvaluations(BaseModel):
    evaluator_profile_id: uuid.UUID = Field(alias="evaluator_profile_id")
    feedback_alex_specific: Optional[str] = Field(alias="feedback_alex_specific")
    feedback_could_improve: Optional[str] = Field(alias="feedback_could_improve")
    feedback_worked_well: Optional[str] = Field(alias="feedback_worked_well")
    id: int = Field(alias="id")
    rating_alex_helpfulness: Optional[int] = Field(alias="rating_alex_helpfulness")
    rating_clarity_goals: Optional[int] = Field(alias="rating_clarity_goals")
    rating_fairness_balance: Optional[int] = Field(alias="rating_fairness_balance")
    rating_overall_satisfaction: Optional[int] = Field(alias="rating_overall_satisfaction")
    session_id: uuid.UUID = Field(alias="session_id")
    share_with_host: bool = Field(alias="share_with_host")
    submitted_at: datetime.datetime = Field(alias="submitted_at")

class PublicSessionEvaluationsInsert(TypedDict):
    evaluator_profile_id: Annotated[uuid.UUID, Field(alias="evaluator_profile_id")]
    feedback_alex_specific: NotRequired[Annotated[Optional[str], Field(alias="feedback_alex_specific")]]
    feedback_could_improve: NotRequired[Annotated[Optional[str], Field(alias="feedback_could_improve")]]
    feedback_worked_well: NotRequired[Annotated[Optional[str], Field(alias="feedback_worked_well")]]
    id: NotRequired[Annotated[int, Field(alias="id")]]
    rating_alex_helpfulness: NotRequired[Annotated[Optional[int], Field(alias="rating_alex_helpfulness")]]
    rating_clarity_goals: NotRequired[Annotated[Optional[int], Field(alias="rating_clarity_goals")]]
    rating_fairness_balance: NotRequired[Annotated[Optional[int], Field(alias="rating_fairness_balance")]]
    rating_overall_satisfaction: NotRequired[Annotated[Optional[int], Field(alias="rating_overall_satisfaction")]]
    session_id: Annotated[uuid.UUID, Field(alias="session_id")]
    share_with_host: NotRequired[Annotated[bool, Field(alias="share_with_host")]]
    submitted_at: NotRequired[Annotated[datetime.datetime, Field(alias="submitted_at")]]

class PublicSessionEvaluationsUpdate(TypedDict):
    evaluator_profile_id: NotRequired[Annotated[uuid.UUID, Field(alias="evaluator_profile_id")]]
    feedback_alex_specific: NotRequired[Annotated[Optional[str], Field(alias="feedback_alex_specific")]]
    feedback_could_improve: NotRequired[Annotated[Optional[str], Field(alias="feedback_could_improve")]]
    feedback_worked_well: NotRequired[Annotated[Optional[str], Field(alias="feedback_worked_well")]]
    id: NotRequired[Annotated[int, Field(alias="id")]]
    rating_alex_helpfulness: NotRequired[Annotated[Optional[int], Field(alias="rating_alex_helpfulness")]]
    rating_clarity_goals: NotRequired[Annotated[Optional[int], Field(alias="rating_clarity_goals")]]
    rating_fairness_balance: NotRequired[Annotated[Optional[int], Field(alias="rating_fairness_balance")]]
    rating_overall_satisfaction: NotRequired[Annotated[Optional[int], Field(alias="rating_overall_satisfaction")]]
    session_id: NotRequired[Annotated[uuid.UUID, Field(alias="session_id")]]
    share_with_host: NotRequired[Annotated[bool, Field(alias="share_with_host")]]
    submitted_at: NotRequired[Annotated[datetime.datetime, Field(alias="submitted_at")]]

class PublicSessionFiles(BaseModel):
    ai_analysis_snippet: Optional[str] = Field(alias="ai_analysis_snippet")
    description: Optional[str] = Field(alias="description")
    file_name: str = Field(alias="file_name")
    file_size: Optional[int] = Field(alias="file_size")
    file_type: Optional[str] = Field(alias="file_type")
    id: uuid.UUID = Field(alias="id")
    ipfs_cid: Optional[str] = Field(alias="ipfs_cid")
    session_id: uuid.UUID = Field(alias="session_id")
    storage_path: str = Field(alias="storage_path")
    uploaded_at: datetime.datetime = Field(alias="uploaded_at")
    uploader_profile_id: Optional[uuid.UUID] = Field(alias="uploader_profile_id")

class PublicSessionFilesInsert(TypedDict):
    ai_analysis_snippet: NotRequired[Annotated[Optional[str], Field(alias="ai_analysis_snippet")]]
    description: NotRequired[Annotated[Optional[str], Field(alias="description")]]
    file_name: Annotated[str, Field(alias="file_name")]
    file_size: NotRequired[Annotated[Optional[int], Field(alias="file_size")]]
    file_type: NotRequired[Annotated[Optional[str], Field(alias="file_type")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    ipfs_cid: NotRequired[Annotated[Optional[str], Field(alias="ipfs_cid")]]
    session_id: Annotated[uuid.UUID, Field(alias="session_id")]
    storage_path: Annotated[str, Field(alias="storage_path")]
    uploaded_at: NotRequired[Annotated[datetime.datetime, Field(alias="uploaded_at")]]
    uploader_profile_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="uploader_profile_id")]]

class PublicSessionFilesUpdate(TypedDict):
    ai_analysis_snippet: NotRequired[Annotated[Optional[str], Field(alias="ai_analysis_snippet")]]
    description: NotRequired[Annotated[Optional[str], Field(alias="description")]]
    file_name: NotRequired[Annotated[str, Field(alias="file_name")]]
    file_size: NotRequired[Annotated[Optional[int], Field(alias="file_size")]]
    file_type: NotRequired[Annotated[Optional[str], Field(alias="file_type")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    ipfs_cid: NotRequired[Annotated[Optional[str], Field(alias="ipfs_cid")]]
    session_id: NotRequired[Annotated[uuid.UUID, Field(alias="session_id")]]
    storage_path: NotRequired[Annotated[str, Field(alias="storage_path")]]
    uploaded_at: NotRequired[Annotated[datetime.datetime, Field(alias="uploaded_at")]]
    uploader_profile_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="uploader_profile_id")]]

class PublicSessionInvitations(BaseModel):
    created_at: datetime.datetime = Field(alias="created_at")
    email: str = Field(alias="email")
    id: uuid.UUID = Field(alias="id")
    invited_by: Optional[uuid.UUID] = Field(alias="invited_by")
    responded_at: Optional[datetime.datetime] = Field(alias="responded_at")
    role: str = Field(alias="role")
    session_id: uuid.UUID = Field(alias="session_id")
    status: str = Field(alias="status")

class PublicSessionInvitationsInsert(TypedDict):
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    email: Annotated[str, Field(alias="email")]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    invited_by: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="invited_by")]]
    responded_at: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="responded_at")]]
    role: NotRequired[Annotated[str, Field(alias="role")]]
    session_id: Annotated[uuid.UUID, Field(alias="session_id")]
    status: NotRequired[Annotated[str, Field(alias="status")]]

class PublicSessionInvitationsUpdate(TypedDict):
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    email: NotRequired[Annotated[str, Field(alias="email")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    invited_by: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="invited_by")]]
    responded_at: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="responded_at")]]
    role: NotRequired[Annotated[str, Field(alias="role")]]
    session_id: NotRequired[Annotated[uuid.UUID, Field(alias="session_id")]]
    status: NotRequired[Annotated[str, Field(alias="status")]]

class PublicSessionMessages(BaseModel):
    content: str = Field(alias="content")
    id: int = Field(alias="id")
    is_edited: bool = Field(alias="is_edited")
    message_type: str = Field(alias="message_type")
    profile_id: Optional[uuid.UUID] = Field(alias="profile_id")
    sentiment_analysis: Optional[JsonValue] = Field(alias="sentiment_analysis")
    session_id: uuid.UUID = Field(alias="session_id")
    session_participant_id: Optional[int] = Field(alias="session_participant_id")
    timestamp: datetime.datetime = Field(alias="timestamp")
    token_count: Optional[int] = Field(alias="token_count")

class PublicSessionMessagesInsert(TypedDict):
    content: Annotated[str, Field(alias="content")]
    id: NotRequired[Annotated[int, Field(alias="id")]]
    is_edited: NotRequired[Annotated[bool, Field(alias="is_edited")]]
    message_type: NotRequired[Annotated[str, Field(alias="message_type")]]
    profile_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="profile_id")]]
    sentiment_analysis: NotRequired[Annotated[Optional[JsonValue], Field(alias="sentiment_analysis")]]
    session_id: Annotated[uuid.UUID, Field(alias="session_id")]
    session_participant_id: NotRequired[Annotated[Optional[int], Field(alias="session_participant_id")]]
    timestamp: NotRequired[Annotated[datetime.datetime, Field(alias="timestamp")]]
    token_count: NotRequired[Annotated[Optional[int], Field(alias="token_count")]]

class PublicSessionMessagesUpdate(TypedDict):
    content: NotRequired[Annotated[str, Field(alias="content")]]
    id: NotRequired[Annotated[int, Field(alias="id")]]
    is_edited: NotRequired[Annotated[bool, Field(alias="is_edited")]]
    message_type: NotRequired[Annotated[str, Field(alias="message_type")]]
    profile_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="profile_id")]]
    sentiment_analysis: NotRequired[Annotated[Optional[JsonValue], Field(alias="sentiment_analysis")]]
    session_id: NotRequired[Annotated[uuid.UUID, Field(alias="session_id")]]
    session_participant_id: NotRequired[Annotated[Optional[int], Field(alias="session_participant_id")]]
    timestamp: NotRequired[Annotated[datetime.datetime, Field(alias="timestamp")]]
    token_count: NotRequired[Annotated[Optional[int], Field(alias="token_count")]]

class PublicSessionParticipants(BaseModel):
    id: int = Field(alias="id")
    invitation_id: Optional[uuid.UUID] = Field(alias="invitation_id")
    invitation_status: str = Field(alias="invitation_status")
    joined_at: Optional[datetime.datetime] = Field(alias="joined_at")
    perspective_text: Optional[str] = Field(alias="perspective_text")
    profile_id: uuid.UUID = Field(alias="profile_id")
    role: str = Field(alias="role")
    session_id: uuid.UUID = Field(alias="session_id")
    sign_off_timestamp: Optional[datetime.datetime] = Field(alias="sign_off_timestamp")
    signed_off_summary: bool = Field(alias="signed_off_summary")

class PublicSessionParticipantsInsert(TypedDict):
    id: NotRequired[Annotated[int, Field(alias="id")]]
    invitation_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="invitation_id")]]
    invitation_status: NotRequired[Annotated[str, Field(alias="invitation_status")]]
    joined_at: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="joined_at")]]
    perspective_text: NotRequired[Annotated[Optional[str], Field(alias="perspective_text")]]
    profile_id: Annotated[uuid.UUID, Field(alias="profile_id")]
    role: NotRequired[Annotated[str, Field(alias="role")]]
    session_id: Annotated[uuid.UUID, Field(alias="session_id")]
    sign_off_timestamp: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="sign_off_timestamp")]]
    signed_off_summary: NotRequired[Annotated[bool, Field(alias="signed_off_summary")]]

class PublicSessionParticipantsUpdate(TypedDict):
    id: NotRequired[Annotated[int, Field(alias="id")]]
    invitation_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="invitation_id")]]
    invitation_status: NotRequired[Annotated[str, Field(alias="invitation_status")]]
    joined_at: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="joined_at")]]
    perspective_text: NotRequired[Annotated[Optional[str], Field(alias="perspective_text")]]
    profile_id: NotRequired[Annotated[uuid.UUID, Field(alias="profile_id")]]
    role: NotRequired[Annotated[str, Field(alias="role")]]
    session_id: NotRequired[Annotated[uuid.UUID, Field(alias="session_id")]]
    sign_off_timestamp: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="sign_off_timestamp")]]
    signed_off_summary: NotRequired[Annotated[bool, Field(alias="signed_off_summary")]]

class PublicSessionTypeTemplates(BaseModel):
    created_at: datetime.datetime = Field(alias="created_at")
    default_goals: JsonValue = Field(alias="default_goals")
    default_rules: JsonValue = Field(alias="default_rules")
    description: Optional[str] = Field(alias="description")
    is_active: bool = Field(alias="is_active")
    key: str = Field(alias="key")
    sort_order: int = Field(alias="sort_order")
    title: str = Field(alias="title")

class PublicSessionTypeTemplatesInsert(TypedDict):
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    default_goals: NotRequired[Annotated[JsonValue, Field(alias="default_goals")]]
    default_rules: NotRequired[Annotated[JsonValue, Field(alias="default_rules")]]
    description: NotRequired[Annotated[Optional[str], Field(alias="description")]]
    is_active: NotRequired[Annotated[bool, Field(alias="is_active")]]
    key: Annotated[str, Field(alias="key")]
    sort_order: NotRequired[Annotated[int, Field(alias="sort_order")]]
    title: Annotated[str, Field(alias="title")]

class PublicSessionTypeTemplatesUpdate(TypedDict):
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    default_goals: NotRequired[Annotated[JsonValue, Field(alias="default_goals")]]
    default_rules: NotRequired[Annotated[JsonValue, Field(alias="default_rules")]]
    description: NotRequired[Annotated[Optional[str], Field(alias="description")]]
    is_active: NotRequired[Annotated[bool, Field(alias="is_active")]]
    key: NotRequired[Annotated[str, Field(alias="key")]]
    sort_order: NotRequired[Annotated[int, Field(alias="sort_order")]]
    title: NotRequired[Annotated[str, Field(alias="title")]]

class PublicSessions(BaseModel):
    actual_end_time: Optional[datetime.datetime] = Field(alias="actual_end_time")
    actual_start_time: Optional[datetime.datetime] = Field(alias="actual_start_time")
    ai_synthesis_summary: Optional[str] = Field(alias="ai_synthesis_summary")
    created_at: datetime.datetime = Field(alias="created_at")
    description_context: Optional[str] = Field(alias="description_context")
    final_summary_pdf_url: Optional[str] = Field(alias="final_summary_pdf_url")
    goals: Optional[JsonValue] = Field(alias="goals")
    host_id: uuid.UUID = Field(alias="host_id")
    id: uuid.UUID = Field(alias="id")
    rules: Optional[JsonValue] = Field(alias="rules")
    scheduled_start_time: Optional[datetime.datetime] = Field(alias="scheduled_start_time")
    session_type: Optional[str] = Field(alias="session_type")
    status: str = Field(alias="status")
    title: str = Field(alias="title")

class PublicSessionsInsert(TypedDict):
    actual_end_time: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="actual_end_time")]]
    actual_start_time: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="actual_start_time")]]
    ai_synthesis_summary: NotRequired[Annotated[Optional[str], Field(alias="ai_synthesis_summary")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    description_context: NotRequired[Annotated[Optional[str], Field(alias="description_context")]]
    final_summary_pdf_url: NotRequired[Annotated[Optional[str], Field(alias="final_summary_pdf_url")]]
    goals: NotRequired[Annotated[Optional[JsonValue], Field(alias="goals")]]
    host_id: Annotated[uuid.UUID, Field(alias="host_id")]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    rules: NotRequired[Annotated[Optional[JsonValue], Field(alias="rules")]]
    scheduled_start_time: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="scheduled_start_time")]]
    session_type: NotRequired[Annotated[Optional[str], Field(alias="session_type")]]
    status: NotRequired[Annotated[str, Field(alias="status")]]
    title: Annotated[str, Field(alias="title")]

class PublicSessionsUpdate(TypedDict):
    actual_end_time: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="actual_end_time")]]
    actual_start_time: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="actual_start_time")]]
    ai_synthesis_summary: NotRequired[Annotated[Optional[str], Field(alias="ai_synthesis_summary")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    description_context: NotRequired[Annotated[Optional[str], Field(alias="description_context")]]
    final_summary_pdf_url: NotRequired[Annotated[Optional[str], Field(alias="final_summary_pdf_url")]]
    goals: NotRequired[Annotated[Optional[JsonValue], Field(alias="goals")]]
    host_id: NotRequired[Annotated[uuid.UUID, Field(alias="host_id")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    rules: NotRequired[Annotated[Optional[JsonValue], Field(alias="rules")]]
    scheduled_start_time: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="scheduled_start_time")]]
    session_type: NotRequired[Annotated[Optional[str], Field(alias="session_type")]]
    status: NotRequired[Annotated[str, Field(alias="status")]]
    title: NotRequired[Annotated[str, Field(alias="title")]]

class PublicSoulMemories(BaseModel):
    id: uuid.UUID = Field(alias="id")
    key: str = Field(alias="key")
    session_id: uuid.UUID = Field(alias="session_id")
    updated_at: datetime.datetime = Field(alias="updated_at")
    value: JsonValue = Field(alias="value")

class PublicSoulMemoriesInsert(TypedDict):
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    key: Annotated[str, Field(alias="key")]
    session_id: Annotated[uuid.UUID, Field(alias="session_id")]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    value: Annotated[JsonValue, Field(alias="value")]

class PublicSoulMemoriesUpdate(TypedDict):
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    key: NotRequired[Annotated[str, Field(alias="key")]]
    session_id: NotRequired[Annotated[uuid.UUID, Field(alias="session_id")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    value: NotRequired[Annotated[JsonValue, Field(alias="value")]]

class PublicStorageDeletionQueue(BaseModel):
    bucket_id: Optional[str] = Field(alias="bucket_id")
    id: int = Field(alias="id")
    is_prefix: bool = Field(alias="is_prefix")
    object_name: str = Field(alias="object_name")
    queued_at: datetime.datetime = Field(alias="queued_at")

class PublicStorageDeletionQueueInsert(TypedDict):
    bucket_id: NotRequired[Annotated[Optional[str], Field(alias="bucket_id")]]
    id: NotRequired[Annotated[int, Field(alias="id")]]
    is_prefix: NotRequired[Annotated[bool, Field(alias="is_prefix")]]
    object_name: Annotated[str, Field(alias="object_name")]
    queued_at: NotRequired[Annotated[datetime.datetime, Field(alias="queued_at")]]

class PublicStorageDeletionQueueUpdate(TypedDict):
    bucket_id: NotRequired[Annotated[Optional[str], Field(alias="bucket_id")]]
    id: NotRequired[Annotated[int, Field(alias="id")]]
    is_prefix: NotRequired[Annotated[bool, Field(alias="is_prefix")]]
    object_name: NotRequired[Annotated[str, Field(alias="object_name")]]
    queued_at: NotRequired[Annotated[datetime.datetime, Field(alias="queued_at")]]

class PublicTokenUsageDaily(BaseModel):
    calls: int = Field(alias="calls")
    completion_tokens: int = Field(alias="completion_tokens")
    prompt_tokens: int = Field(alias="prompt_tokens")
    subject_id: uuid.UUID = Field(alias="subject_id")
    subject_kind: str = Field(alias="subject_kind")
    total_tokens: Optional[int] = Field(alias="total_tokens")
    updated_at: datetime.datetime = Field(alias="updated_at")
    usage_date: datetime.date = Field(alias="usage_date")

class PublicTokenUsageDailyInsert(TypedDict):
    calls: NotRequired[Annotated[int, Field(alias="calls")]]
    completion_tokens: NotRequired[Annotated[int, Field(alias="completion_tokens")]]
    prompt_tokens: NotRequired[Annotated[int, Field(alias="prompt_tokens")]]
    subject_id: Annotated[uuid.UUID, Field(alias="subject_id")]
    subject_kind: Annotated[str, Field(alias="subject_kind")]
    total_tokens: NotRequired[Annotated[Optional[int], Field(alias="total_tokens")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    usage_date: Annotated[datetime.date, Field(alias="usage_date")]

class PublicTokenUsageDailyUpdate(TypedDict):
    calls: NotRequired[Annotated[int, Field(alias="calls")]]
    completion_tokens: NotRequired[Annotated[int, Field(alias="completion_tokens")]]
    prompt_tokens: NotRequired[Annotated[int, Field(alias="prompt_tokens")]]
    subject_id: NotRequired[Annotated[uuid.UUID, Field(alias="subject_id")]]
    subject_kind: NotRequired[Annotated[str, Field(alias="subject_kind")]]
    total_tokens: NotRequired[Annotated[Optional[int], Field(alias="total_tokens")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    usage_date: NotRequired[Annotated[datetime.date, Field(alias="usage_date")]]

class PublicUserEmotionalCategories(BaseModel):
    category: str = Field(alias="category")
    created_at: datetime.datetime = Field(alias="created_at")
    description: Optional[str] = Field(alias="description")
    id: uuid.UUID = Field(alias="id")
    priority: int = Field(alias="priority")
    updated_at: datetime.datetime = Field(alias="updated_at")
    user_id: uuid.UUID = Field(alias="user_id")

class PublicUserEmotionalCategoriesInsert(TypedDict):
    category: Annotated[str, Field(alias="category")]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    description: NotRequired[Annotated[Optional[str], Field(alias="description")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    priority: NotRequired[Annotated[int, Field(alias="priority")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: Annotated[uuid.UUID, Field(alias="user_id")]

class PublicUserEmotionalCategoriesUpdate(TypedDict):
    category: NotRequired[Annotated[str, Field(alias="category")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    description: NotRequired[Annotated[Optional[str], Field(alias="description")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    priority: NotRequired[Annotated[int, Field(alias="priority")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: NotRequired[Annotated[uuid.UUID, Field(alias="user_id")]]

class PublicUserGoals(BaseModel):
    achieved_at: Optional[datetime.datetime] = Field(alias="achieved_at")
    category: Optional[str] = Field(alias="category")
    created_at: datetime.datetime = Field(alias="created_at")
    description: Optional[str] = Field(alias="description")
    id: uuid.UUID = Field(alias="id")
    status: str = Field(alias="status")
    target_date: Optional[datetime.date] = Field(alias="target_date")
    title: str = Field(alias="title")
    updated_at: datetime.datetime = Field(alias="updated_at")
    user_id: uuid.UUID = Field(alias="user_id")

class PublicUserGoalsInsert(TypedDict):
    achieved_at: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="achieved_at")]]
    category: NotRequired[Annotated[Optional[str], Field(alias="category")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    description: NotRequired[Annotated[Optional[str], Field(alias="description")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    status: NotRequired[Annotated[str, Field(alias="status")]]
    target_date: NotRequired[Annotated[Optional[datetime.date], Field(alias="target_date")]]
    title: Annotated[str, Field(alias="title")]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: Annotated[uuid.UUID, Field(alias="user_id")]

class PublicUserGoalsUpdate(TypedDict):
    achieved_at: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="achieved_at")]]
    category: NotRequired[Annotated[Optional[str], Field(alias="category")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    description: NotRequired[Annotated[Optional[str], Field(alias="description")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    status: NotRequired[Annotated[str, Field(alias="status")]]
    target_date: NotRequired[Annotated[Optional[datetime.date], Field(alias="target_date")]]
    title: NotRequired[Annotated[str, Field(alias="title")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: NotRequired[Annotated[uuid.UUID, Field(alias="user_id")]]

class PublicUserMemories(BaseModel):
    access_count: int = Field(alias="access_count")
    created_at: datetime.datetime = Field(alias="created_at")
    embedding: Optional[str] = Field(alias="embedding")
    id: uuid.UUID = Field(alias="id")
    importance: str = Field(alias="importance")
    last_accessed: Optional[datetime.datetime] = Field(alias="last_accessed")
    memory_category: Optional[str] = Field(alias="memory_category")
    memory_key: str = Field(alias="memory_key")
    memory_value: str = Field(alias="memory_value")
    updated_at: datetime.datetime = Field(alias="updated_at")
    user_id: uuid.UUID = Field(alias="user_id")

class PublicUserMemoriesInsert(TypedDict):
    access_count: NotRequired[Annotated[int, Field(alias="access_count")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    embedding: NotRequired[Annotated[Optional[list[Any]], Field(alias="embedding")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    importance: NotRequired[Annotated[str, Field(alias="importance")]]
    last_accessed: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="last_accessed")]]
    memory_category: NotRequired[Annotated[Optional[str], Field(alias="memory_category")]]
    memory_key: Annotated[str, Field(alias="memory_key")]
    memory_value: Annotated[str, Field(alias="memory_value")]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: Annotated[uuid.UUID, Field(alias="user_id")]

class PublicUserMemoriesUpdate(TypedDict):
    access_count: NotRequired[Annotated[int, Field(alias="access_count")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    embedding: NotRequired[Annotated[Optional[list[Any]], Field(alias="embedding")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    importance: NotRequired[Annotated[str, Field(alias="importance")]]
    last_accessed: NotRequired[Annotated[Optional[datetime.datetime], Field(alias="last_accessed")]]
    memory_category: NotRequired[Annotated[Optional[str], Field(alias="memory_category")]]
    memory_key: NotRequired[Annotated[str, Field(alias="memory_key")]]
    memory_value: NotRequired[Annotated[str, Field(alias="memory_value")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: NotRequired[Annotated[uuid.UUID, Field(alias="user_id")]]

class PublicUserPersonas(BaseModel):
    avatar_id: Optional[uuid.UUID] = Field(alias="avatar_id")
    communication_style: Optional[str] = Field(alias="communication_style")
    created_at: datetime.datetime = Field(alias="created_at")
    custom_instructions: Optional[str] = Field(alias="custom_instructions")
    id: uuid.UUID = Field(alias="id")
    is_default: bool = Field(alias="is_default")
    name: str = Field(alias="name")
    updated_at: datetime.datetime = Field(alias="updated_at")
    user_id: uuid.UUID = Field(alias="user_id")

class PublicUserPersonasInsert(TypedDict):
    avatar_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="avatar_id")]]
    communication_style: NotRequired[Annotated[Optional[str], Field(alias="communication_style")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    custom_instructions: NotRequired[Annotated[Optional[str], Field(alias="custom_instructions")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    is_default: NotRequired[Annotated[bool, Field(alias="is_default")]]
    name: Annotated[str, Field(alias="name")]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: Annotated[uuid.UUID, Field(alias="user_id")]

class PublicUserPersonasUpdate(TypedDict):
    avatar_id: NotRequired[Annotated[Optional[uuid.UUID], Field(alias="avatar_id")]]
    communication_style: NotRequired[Annotated[Optional[str], Field(alias="communication_style")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    custom_instructions: NotRequired[Annotated[Optional[str], Field(alias="custom_instructions")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    is_default: NotRequired[Annotated[bool, Field(alias="is_default")]]
    name: NotRequired[Annotated[str, Field(alias="name")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: NotRequired[Annotated[uuid.UUID, Field(alias="user_id")]]

class PublicUserSessions(BaseModel):
    assigned_persona: str = Field(alias="assigned_persona")
    created_at: datetime.datetime = Field(alias="created_at")
    first_contact_at: datetime.datetime = Field(alias="first_contact_at")
    id: uuid.UUID = Field(alias="id")
    last_active_at: datetime.datetime = Field(alias="last_active_at")
    metadata: JsonValue = Field(alias="metadata")
    phone_number: str = Field(alias="phone_number")
    total_messages: int = Field(alias="total_messages")
    updated_at: datetime.datetime = Field(alias="updated_at")

class PublicUserSessionsInsert(TypedDict):
    assigned_persona: Annotated[str, Field(alias="assigned_persona")]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    first_contact_at: NotRequired[Annotated[datetime.datetime, Field(alias="first_contact_at")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    last_active_at: NotRequired[Annotated[datetime.datetime, Field(alias="last_active_at")]]
    metadata: NotRequired[Annotated[JsonValue, Field(alias="metadata")]]
    phone_number: Annotated[str, Field(alias="phone_number")]
    total_messages: NotRequired[Annotated[int, Field(alias="total_messages")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]

class PublicUserSessionsUpdate(TypedDict):
    assigned_persona: NotRequired[Annotated[str, Field(alias="assigned_persona")]]
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    first_contact_at: NotRequired[Annotated[datetime.datetime, Field(alias="first_contact_at")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    last_active_at: NotRequired[Annotated[datetime.datetime, Field(alias="last_active_at")]]
    metadata: NotRequired[Annotated[JsonValue, Field(alias="metadata")]]
    phone_number: NotRequired[Annotated[str, Field(alias="phone_number")]]
    total_messages: NotRequired[Annotated[int, Field(alias="total_messages")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]

class PublicUserTokenLimits(BaseModel):
    daily_token_limit: int = Field(alias="daily_token_limit")
    updated_at: datetime.datetime = Field(alias="updated_at")
    user_id: uuid.UUID = Field(alias="user_id")

class PublicUserTokenLimitsInsert(TypedDict):
    daily_token_limit: Annotated[int, Field(alias="daily_token_limit")]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: Annotated[uuid.UUID, Field(alias="user_id")]

class PublicUserTokenLimitsUpdate(TypedDict):
    daily_token_limit: NotRequired[Annotated[int, Field(alias="daily_token_limit")]]
    updated_at: NotRequired[Annotated[datetime.datetime, Field(alias="updated_at")]]
    user_id: NotRequired[Annotated[uuid.UUID, Field(alias="user_id")]]

class PublicWorkingMemorySnapshots(BaseModel):
    created_at: datetime.datetime = Field(alias="created_at")
    id: uuid.UUID = Field(alias="id")
    memories: JsonValue = Field(alias="memories")
    region: Optional[str] = Field(alias="region")
    session_id: uuid.UUID = Field(alias="session_id")

class PublicWorkingMemorySnapshotsInsert(TypedDict):
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    memories: Annotated[JsonValue, Field(alias="memories")]
    region: NotRequired[Annotated[Optional[str], Field(alias="region")]]
    session_id: Annotated[uuid.UUID, Field(alias="session_id")]

class PublicWorkingMemorySnapshotsUpdate(TypedDict):
    created_at: NotRequired[Annotated[datetime.datetime, Field(alias="created_at")]]
    id: NotRequired[Annotated[uuid.UUID, Field(alias="id")]]
    memories: NotRequired[Annotated[JsonValue, Field(alias="memories")]]
    region: NotRequired[Annotated[Optional[str], Field(alias="region")]]
    session_id: NotRequired[Annotated[uuid.UUID, Field(alias="session_id")]]

class PublicMessageFeedbackDaily(BaseModel):
    day: Optional[datetime.date] = Field(alias="day")
    down: Optional[int] = Field(alias="down")
    down_reasons: Optional[JsonValue] = Field(alias="down_reasons")
    model: Optional[str] = Field(alias="model")
    up: Optional[int] = Field(alias="up")
    up_reasons: Optional[JsonValue] = Field(alias="up_reasons")

class PublicPersonalityProfiles(BaseModel):
    avatar_url: Optional[str] = Field(alias="avatar_url")
    created_at: Optional[datetime.datetime] = Field(alias="created_at")
    full_name: Optional[str] = Field(alias="full_name")
    has_completed_personality_assessment: Optional[bool] = Field(alias="has_completed_personality_assessment")
    id: Optional[uuid.UUID] = Field(alias="id")
    onboarding_completed: Optional[bool] = Field(alias="onboarding_completed")
    personality_agreeableness: Optional[int] = Field(alias="personality_agreeableness")
    personality_completed_at: Optional[datetime.datetime] = Field(alias="personality_completed_at")
    personality_conscientiousness: Optional[int] = Field(alias="personality_conscientiousness")
    personality_extraversion: Optional[int] = Field(alias="personality_extraversion")
    personality_llm_context: Optional[JsonValue] = Field(alias="personality_llm_context")
    personality_neuroticism: Optional[int] = Field(alias="personality_neuroticism")
    personality_openness: Optional[int] = Field(alias="personality_openness")
    profile_completion_percentage: Optional[float] = Field(alias="profile_completion_percentage")
    updated_at: Optional[datetime.datetime] = Field(alias="updated_at")

class PublicProfileCards(BaseModel):
    avatar_url: Optional[str] = Field(alias="avatar_url")
    full_name: Optional[str] = Field(alias="full_name")
    id: Optional[uuid.UUID] = Field(alias="id")



class PublicLoadedSession(BaseModel):
    id: Optional[uuid.UUID] = Field(alias="id")
    phone_number: Optional[str] = Field(alias="phone_number")
    assigned_persona: Optional[str] = Field(alias="assigned_persona")
    first_contact_at: Optional[datetime.datetime] = Field(alias="first_contact_at")
    last_active_at: Optional[datetime.datetime] = Field(alias="last_active_at")
    total_messages: Optional[int] = Field(alias="total_messages")
    metadata: Optional[JsonValue] = Field(alias="metadata")
    created_at: Optional[datetime.datetime] = Field(alias="created_at")
    updated_at: Optional[datetime.datetime] = Field(alias="updated_at")
    is_new_session: Optional[bool] = Field(alias="is_new_session")
    rolled_over: Optional[bool] = Field(alias="rolled_over")
