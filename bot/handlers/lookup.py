"""/term: look a term up, or suggest what the user may have meant."""

from __future__ import annotations

import re

from bot.content.loader import Library
from bot.context import Ctx
from bot.i18n import t
from bot.markup import esc
from bot.render import FULL_WORDS, term_hidden, term_text
from bot.search.hangul import eul_reul
from bot.services.lookup import MAX_QUERY
from bot.types import Button, Content, Image, Text

SHOWN_CHAPTERS = 5
# What a "자세히" button sends: "/term full <term id>". The id is checked against the library,
# so a forged or stale tap shows a term that exists or says the term is gone.
FULL_BY_ID = re.compile(r"full ([a-z0-9][a-z0-9._-]{0,56})")


def coverage(library: Library, locale: str) -> str:
    """What the bank holds, chapter by chapter, for a term it does not have."""
    chapters = sorted(library.chapters, key=lambda c: (c.subject, c.chapter))
    if not chapters:
        return t(locale, "term_coverage_empty")
    rows = [
        t(
            locale,
            "term_coverage_row",
            subject=esc(c.subject_name),
            chapter=c.chapter,
            title=esc(c.title_en if locale == "en" and c.title_en else c.title),
            terms=len(c.terms),
        )
        for c in chapters[:SHOWN_CHAPTERS]
    ]
    if len(chapters) > SHOWN_CHAPTERS:
        rows.append(t(locale, "term_coverage_more", more=len(chapters) - SHOWN_CHAPTERS))
    return "\n".join(f"• {row}" for row in rows)


async def _diagram(ctx: Ctx, term_id: str) -> list[Content]:
    """The layer diagram a term is drawn in (the two hypervisor types), where pictures show."""
    from bot.pictures import render_diagram
    from bot.pictures.diagrams import DIAGRAMS

    name = next((n for n, d in DIAGRAMS.items() if term_id in d.terms), None)
    if name is None or not ctx.rt.platforms.capabilities(ctx.chat).images:
        return []
    return [Image(await render_diagram(name), DIAGRAMS[name].alt, name=f"{name}.png")]


async def term(ctx: Ctx, args: str) -> list[Content]:
    query = args.strip()
    if not query:
        return [Text(ctx.t("term_usage"), ephemeral=True)]
    if len(query) > MAX_QUERY:
        return [Text(ctx.t("too_long", max=MAX_QUERY), ephemeral=True)]
    full = False
    head, _, last = query.rpartition(" ")
    if head.strip() and last.casefold() in FULL_WORDS:
        query, full = head.strip(), True  # "/term 하이퍼바이저 전체": every fact
    library = ctx.rt.library
    if by_id := FULL_BY_ID.fullmatch(query):
        tapped = library.terms.get(by_id.group(1))
        if tapped is None:
            return [Text(ctx.t("term_gone"), ephemeral=True)]
        return [Text(term_text(library, tapped, ctx.locale, full=True))]
    found = ctx.services.lookup.find(query)
    if found.term is not None:
        card = term_text(library, found.term, ctx.locale, full=full)
        picture = await _diagram(ctx, found.term.id)
        if full or term_hidden(library, found.term) == 0:
            return [Text(card), *picture]
        # The card says "/term 이름 전체" in words too, for the console and plain clients.
        more = Button(ctx.t("button_term_full"), "term", f"full {found.term.id}")
        return [Text(card, buttons=(more,)), *picture]
    shown = esc(query)
    if not found.suggestions:
        covered = coverage(ctx.rt.library, ctx.locale)
        return [Text(ctx.t("term_not_found", query=shown, coverage=covered))]
    if len(found.suggestions) == 1:
        name = found.suggestions[0].name
        return [
            Text(ctx.t("term_suggest_one", query=shown, name=esc(name), particle=eul_reul(name)))
        ]
    lines = [ctx.t("term_suggest_many", query=shown)]
    lines += [f"• {esc(s.name)} — /term {esc(s.name)}" for s in found.suggestions]
    return [Text("\n".join(lines))]
