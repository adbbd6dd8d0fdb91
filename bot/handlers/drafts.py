"""Checking a typed or submitted question and saying what is wrong with it, line by line."""

from __future__ import annotations

from bot.content.draft import Draft, Issue, check, from_fields
from bot.context import Ctx
from bot.markup import esc
from bot.types import Content, QuestionForm, Text


def issue_lines(ctx: Ctx, issues: list[Issue]) -> list[str]:
    return [esc(ctx.t(i.key, **i.fields())) for i in issues]


def problems_reply(ctx: Ctx, issues: list[Issue], typed: str) -> list[Content]:
    """Each problem on one line, then what was typed, to correct rather than retype."""
    lines = [ctx.t("draft_problems"), *issue_lines(ctx, issues), "", ctx.t("draft_typed")]
    return [Text("\n".join([*lines, esc(typed)]), ephemeral=True)]


def draft_of_form(form: QuestionForm) -> Draft:
    return from_fields(form.stem, form.options, form.answer, form.explanation, form.topic)


def checked(ctx: Ctx, draft: Draft) -> list[Issue]:
    return check(draft, ctx.rt.library.terms)
