"""Table definitions for SQLAlchemy Core queries; the migrations create them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on every engine.

    SQLite keeps no zone: an aware local time would be stored by its wall-clock digits and
    read back as if it were UTC, so everything is converted to UTC before it is bound.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()

chats = Table(
    "chats",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(16), nullable=False),
    Column("chat_key", String(64), nullable=False),
    Column("is_group", Boolean, nullable=False, default=True),
    Column("title", String(200)),
    Column("locale", String(8)),
    Column("timezone", String(64)),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("gone_at", UtcDateTime()),
    UniqueConstraint("platform", "chat_key", name="uq_chats_platform_key"),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(16), nullable=False),
    Column("user_key", String(64), nullable=False),
    Column("display_name", String(128), nullable=False),
    UniqueConstraint("platform", "user_key", name="uq_users_platform_key"),
)

posts = Table(
    "posts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("chat_id", Integer, ForeignKey("chats.id"), nullable=False),
    Column("question_id", String(80), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("options_count", SmallInteger, nullable=False),
    Column("correct", String(32), nullable=False),  # accepted options, "3" or "1,3"
    Column("opened_by", Integer, ForeignKey("users.id")),
    Column("opened_at", UtcDateTime(), nullable=False),
    Column("closes_at", UtcDateTime()),
    Column("closed_at", UtcDateTime()),
    Column("message_ref", String(64)),
    Column("native_ref", String(128)),
    Column("contest_id", Integer),
    Index("ix_posts_chat_open", "chat_id", "closed_at"),
    Index("ix_posts_native_ref", "native_ref"),
    Index("ix_posts_open_due", "closed_at", "closes_at"),
    Index("ix_posts_question", "question_id", "kind"),
)

answers = Table(
    "answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("post_id", Integer, ForeignKey("posts.id"), nullable=False),
    Column("chat_id", Integer, ForeignKey("chats.id"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("option", SmallInteger, nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("points", Integer, nullable=False),
    Column("elapsed_ms", Integer, nullable=False),
    Column("answered_at", UtcDateTime(), nullable=False),
    UniqueConstraint("post_id", "user_id", name="uq_answers_post_user"),
    Index("ix_answers_chat_time", "chat_id", "answered_at"),
    # Right answers' times per post: the review rating counts faster peers from the index
    # alone (bot.services.review; migration 0013).
    Index(
        "ix_answers_right_times",
        "post_id",
        "elapsed_ms",
        "user_id",
        "correct",  # constant here, but SQLite reads an index alone only if it has it
        postgresql_where=text("correct IS true"),
        sqlite_where=text("correct IS 1"),
    ),
)

scores = Table(
    "scores",
    metadata,
    Column("chat_id", Integer, ForeignKey("chats.id"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("points", Integer, nullable=False, default=0),
    Column("answered", Integer, nullable=False, default=0),
    Column("correct", Integer, nullable=False, default=0),
    # Partial (points > 0): only the top rows read it, and a caller's lookup by
    # (chat_id, user_id) cannot, so even a generic plan reads the caller by primary key.
    Index(
        "ix_scores_rank",
        "chat_id",
        text("points DESC"),
        "user_id",
        postgresql_where=text("points > 0"),
        sqlite_where=text("points > 0"),
    ),
)

# Per-period totals, applied when a post closes: period "d" (local day), "w" (week from
# Monday) or "m" (month) in the chat's zone; bucket is the period's start instant in
# minutes since the epoch, so a board for [start, end) reads bucket start // 60.
board_totals = Table(
    "board_totals",
    metadata,
    Column("chat_id", Integer, ForeignKey("chats.id"), primary_key=True),
    Column("period", String(1), primary_key=True),
    Column("bucket", Integer, primary_key=True, autoincrement=False),
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("points", Integer, nullable=False),
    Column("answered", Integer, nullable=False),
    Column("correct", Integer, nullable=False),
    # Partial like ix_scores_rank, for the same reason.
    Index(
        "ix_board_totals_rank",
        "chat_id",
        "period",
        "bucket",
        text("points DESC"),
        "user_id",
        postgresql_where=text("points > 0"),
        sqlite_where=text("points > 0"),
    ),
)

# How many people hold each positive score on each board ("a", bucket 0, is the all-time
# board): a rank and the player count are sums over distinct scores, not over people.
board_points = Table(
    "board_points",
    metadata,
    Column("chat_id", Integer, ForeignKey("chats.id"), primary_key=True),
    Column("period", String(1), primary_key=True),
    Column("bucket", Integer, primary_key=True, autoincrement=False),
    Column("points", Integer, primary_key=True, autoincrement=False),
    Column("players", Integer, nullable=False),
)

# Daily streaks, advanced when a daily post closes: a streak is current while its
# last_post_id is the chat's newest closed daily post (streak_heads).
streaks = Table(
    "streaks",
    metadata,
    Column("chat_id", Integer, ForeignKey("chats.id"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("streak", Integer, nullable=False),
    Column("last_post_id", Integer, nullable=False),
)

streak_heads = Table(
    "streak_heads",
    metadata,
    Column("chat_id", Integer, ForeignKey("chats.id"), primary_key=True),
    Column("post_id", Integer, nullable=False),
)

instructors = Table(
    "instructors",
    metadata,
    Column("chat_id", Integer, ForeignKey("chats.id"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("role", String(16), nullable=False),  # "admin" (seen as one) or "added"
    Column("added_by", Integer, ForeignKey("users.id")),
    Column("added_at", UtcDateTime(), nullable=False),
    Index("ix_instructors_user", "user_id"),
)

daily_subscriptions = Table(
    "daily_subscriptions",
    metadata,
    Column("chat_id", Integer, ForeignKey("chats.id"), primary_key=True),
    Column("enabled", Boolean, nullable=False),
    Column("at_time", String(5), nullable=False),  # "HH:MM" in the chat's time zone
    Column("close_time", String(5), nullable=False),
    Column("topics", Text, nullable=False),  # newline-separated; empty means every topic
    Column("updated_at", UtcDateTime(), nullable=False),
)

announcements = Table(
    "announcements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("author_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("origin_chat_id", Integer, ForeignKey("chats.id"), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("due_at", UtcDateTime(), nullable=False),
)

# Every message the bot sends on its own (daily questions, announcements) is claimed here
# first, under a unique key, so a restart or a second process never sends it twice.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(120), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("chat_id", Integer, ForeignKey("chats.id"), nullable=False),
    Column("post_id", Integer, ForeignKey("posts.id")),
    Column("announcement_id", Integer, ForeignKey("announcements.id")),
    Column("due_at", UtcDateTime(), nullable=False),
    Column("claimed_at", UtcDateTime()),
    Column("claimed_by", String(64)),
    Column("sent_at", UtcDateTime()),
    Column("cancelled_at", UtcDateTime()),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", String(200)),
    # Set just before the platform call, cleared with the answer: left set, the process died
    # during the send, and nobody can tell whether the message arrived.
    Column("sending_at", UtcDateTime()),
    Column("message_ref", String(64)),  # what the platform answered: the message's id
    UniqueConstraint("key", name="uq_outbox_key"),
    Index("ix_outbox_pending", "sent_at", "cancelled_at", "due_at"),
)

contests = Table(
    "contests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("chat_id", Integer, ForeignKey("chats.id"), nullable=False),
    Column("started_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("total", Integer, nullable=False),
    Column("seconds", Integer, nullable=False),
    Column("asked", Integer, nullable=False),
    Column("state", String(16), nullable=False),  # running, finished, stopped
    Column("started_at", UtcDateTime(), nullable=False),
    Column("ended_at", UtcDateTime()),
)

# A person's FSRS card for each question they answered or added (the fsrs package's Card,
# column by column); in_deck marks the 오답노트, with deck_no the number its listing shows.
review_cards = Table(
    "review_cards",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("question_id", String(80), nullable=False),
    Column("in_deck", Boolean, nullable=False),
    Column("deck_no", Integer),
    Column("state", SmallInteger, nullable=False),  # fsrs.State: 1 learning, 2 review, 3 relearning
    Column("step", SmallInteger),
    Column("stability", Float),
    Column("difficulty", Float),
    Column("due", UtcDateTime(), nullable=False),
    Column("last_review", UtcDateTime()),
    Column("reps", Integer, nullable=False),
    Column("lapses", Integer, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    UniqueConstraint("user_id", "question_id", name="uq_review_cards_user_question"),
    UniqueConstraint("user_id", "deck_no", name="uq_review_cards_user_no"),
    Index("ix_review_cards_due", "user_id", "in_deck", "due"),
)

# Every review FSRS was told of (the package's ReviewLog plus where it came from); one per
# person and post, so a redelivered answer is not reviewed twice.
review_logs = Table(
    "review_logs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("card_id", Integer, ForeignKey("review_cards.id"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("post_id", Integer, ForeignKey("posts.id")),
    Column("kind", String(16), nullable=False),
    Column("rating", SmallInteger, nullable=False),  # fsrs.Rating: 1 again … 4 easy
    Column("reviewed_at", UtcDateTime(), nullable=False),
    Column("duration_ms", Integer),
    UniqueConstraint("user_id", "post_id", name="uq_review_logs_user_post"),
    Index("ix_review_logs_card", "card_id", "reviewed_at"),
)

# Group answers whose review-card write is still to be done (bot.services.review_backlog):
# a row per answer, deleted in the transaction that applies it.
review_backlog = Table(
    "review_backlog",
    metadata,
    Column("answer_id", Integer, primary_key=True, autoincrement=False),
    Column("user_id", Integer, nullable=False),
    Index("ix_review_backlog_user", "user_id", "answer_id"),
)

# Per person: the desired retention, the daily reminder and the private chat it goes to.
review_settings = Table(
    "review_settings",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("retention", Float, nullable=False),
    Column("remind_at", String(5)),  # "HH:MM" in remind_zone; NULL is off
    Column("remind_zone", String(64)),
    Column("dm_chat_id", Integer, ForeignKey("chats.id")),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# A timed mock exam (모의고사) one person sits in a private chat. The deadline is the record:
# a restart re-arms its timer, and a paper past its deadline is graded at start. At most
# one paper per person is open (a partial unique index); grading flips state once.
exam_papers = Table(
    "exam_papers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("chat_id", Integer, ForeignKey("chats.id"), nullable=False),
    Column("subject", String(64), nullable=False),
    Column("total", SmallInteger, nullable=False),
    Column("minutes", SmallInteger, nullable=False),
    Column("started_at", UtcDateTime(), nullable=False),
    Column("deadline", UtcDateTime(), nullable=False),
    Column("at_slot", SmallInteger, nullable=False),  # the slot last shown, 1-based
    Column("state", String(16), nullable=False),  # open, graded
    Column("ended_at", UtcDateTime()),
    Column("ended_by", String(16)),  # submit, timeout
    Column("right_count", SmallInteger),
    Column("score", SmallInteger),  # out of 100
    Index(
        "uq_exam_papers_open",
        "user_id",
        unique=True,
        sqlite_where=text("state = 'open'"),
        postgresql_where=text("state = 'open'"),
    ),
    Index("ix_exam_papers_user", "user_id", "id"),
    Index("ix_exam_papers_due", "state", "deadline"),
)

# One question of a paper: its slot, the key it was set with, the post its card answers
# through, and the person's current answer (changeable until the paper is graded).
exam_items = Table(
    "exam_items",
    metadata,
    Column("paper_id", Integer, ForeignKey("exam_papers.id"), primary_key=True),
    Column("slot", SmallInteger, primary_key=True, autoincrement=False),
    Column("question_id", String(80), nullable=False),
    Column("topic", String(120), nullable=False),
    Column("answer_key", String(32), nullable=False),  # "3" or "1,3", as posts.correct
    Column("post_id", Integer, ForeignKey("posts.id"), nullable=False),
    Column("option", SmallInteger),
    Column("shown_at", UtcDateTime()),
    Column("answered_at", UtcDateTime()),
    Column("correct", Boolean),  # set when graded
    UniqueConstraint("paper_id", "question_id", name="uq_exam_items_question"),
    UniqueConstraint("post_id", name="uq_exam_items_post"),
)

# A study group's own questions (bot/services/bank.py): written by its instructors or
# suggested by members and reviewed; state is draft, pending, live, retired or rejected.
# They are asked as "chat-<id>" beside the bundled questions.
chat_questions = Table(
    "chat_questions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("chat_id", Integer, ForeignKey("chats.id"), nullable=False),
    Column("author_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("state", String(16), nullable=False),
    Column("stem", Text, nullable=False),
    Column("options", Text, nullable=False),  # JSON list of texts
    Column("answers", String(32), nullable=False),  # "3" or "2,3"
    Column("explanation", Text, nullable=False),
    Column("topics", Text, nullable=False),  # JSON list of texts
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("reviewed_by", Integer, ForeignKey("users.id")),
    Column("reviewed_at", UtcDateTime()),
    Column("image_id", Integer, ForeignKey("question_images.id", name="fk_chat_questions_image")),
    Column("source", String(120)),  # as an imported set's source column says
    Index("ix_chat_questions_chat", "chat_id", "state", "id"),
)

# The picture a chat's question carries (PNG, JPEG, GIF or WebP by its bytes, size-capped):
# in the database so every replica shows it and a backup keeps it.
question_images = Table(
    "question_images",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("media_type", String(32), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

# 오류신고: one report per person, chat and question; open until an instructor fixes the
# question (or retires it), which resolves every open report on it.
question_reports = Table(
    "question_reports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("chat_id", Integer, ForeignKey("chats.id"), nullable=False),
    Column("question_id", String(80), nullable=False),
    Column("post_id", Integer, ForeignKey("posts.id"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("resolved_at", UtcDateTime()),
    Column("resolved_by", Integer, ForeignKey("users.id")),
    UniqueConstraint("chat_id", "question_id", "user_id", name="uq_question_reports_once"),
    Index("ix_question_reports_open", "chat_id", "resolved_at", "id"),
)

# A question's stored answers to be scored against new_key (bot/services/rescore.py): by
# /fix (reason "fix") or a bundled key changed in content/ ("content"). Claimed and applied
# in one transaction with every effect, so done_at is set exactly when the effects are in.
rescore_jobs = Table(
    "rescore_jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("question_id", String(80), nullable=False),
    Column("new_key", String(32), nullable=False),  # "3" or "2,3", as posts.correct
    # The key it replaces: when set on queueing, only posts scored with it are re-scored;
    # otherwise set when applied (the key most of its posts had), for the notice.
    Column("old_key", String(32)),
    Column("reason", String(16), nullable=False),
    Column("requested_by", Integer, ForeignKey("users.id")),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("claimed_at", UtcDateTime()),
    Column("claimed_by", String(64)),
    Column("done_at", UtcDateTime()),
    Column("answers_changed", Integer),
    Index("ix_rescore_jobs_pending", "done_at", "id"),
)

# Each authored bundled question's key and a fingerprint of its options as the last start
# saw them in content/: the same options with another key is a corrected key (re-scored);
# other options are another question's shape, and its stored answers are left alone.
content_keys = Table(
    "content_keys",
    metadata,
    Column("question_id", String(80), primary_key=True),
    Column("answers", String(32), nullable=False),
    Column("options_hash", String(64), nullable=False),
    Column("seen_at", UtcDateTime(), nullable=False),
)

# /qset share: to_chat draws on from_chat's live questions too.
question_shares = Table(
    "question_shares",
    metadata,
    Column("from_chat_id", Integer, ForeignKey("chats.id"), primary_key=True),
    Column("to_chat_id", Integer, ForeignKey("chats.id"), primary_key=True),
    Column("shared_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("shared_at", UtcDateTime(), nullable=False),
    Index("ix_question_shares_to", "to_chat_id"),
)

# A person's question in the making (a quiz poll waiting for its group, 해설 and topic).
authoring_sessions = Table(
    "authoring_sessions",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("step", String(16), nullable=False),
    Column("payload", Text, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# Each question's answers across every chat, by the option picked: maintained when a post
# closes (bot/services/question_stats.py, in the transaction that closes it), so the
# reveal's 전체 정답률 and /hard read a few rows per question. Reviews are repeat attempts by
# one person and are not counted.
question_stats = Table(
    "question_stats",
    metadata,
    Column("question_id", String(80), primary_key=True),
    Column("option", SmallInteger, primary_key=True, autoincrement=False),
    Column("picks", Integer, nullable=False),
    Column("accepted", Integer, nullable=False),  # of the picks, those the key accepted
)

# One row per bot token (keyed by platform): when its next message may go. Replicas on
# PostgreSQL share it (bot/ratebudget.py), so together they stay under the platform's limit.
rate_budgets = Table(
    "rate_budgets",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("next_free", UtcDateTime(), nullable=False),
)
