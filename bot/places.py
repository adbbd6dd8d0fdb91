"""A chat's language and clock, resolved in one place and used for every time it shows."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.services.registry import Registry

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Place:
    """Where a chat lives: the language it reads and the zone its clock is in."""

    locale: str
    zone: ZoneInfo

    def local(self, when: datetime) -> datetime:
        return when.astimezone(self.zone)

    def hhmm(self, when: datetime) -> str:
        return self.local(when).strftime("%H:%M")

    def stamp(self, when: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
        return self.local(when).strftime(fmt)


class Places:
    """Looks a chat's Place up from the registry's cache, with the settings as defaults."""

    def __init__(self, registry: Registry, locale: str, zone: ZoneInfo) -> None:
        self.registry = registry
        self.default_locale = locale
        self.default_zone = zone

    def zone_named(self, name: str | None) -> ZoneInfo:
        if not name:
            return self.default_zone
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            # A zone the tz database no longer knows must not take the chat down with it.
            log.warning("unknown time zone %r stored for a chat; using the default", name)
            return self.default_zone

    async def of(self, chat_id: int) -> Place:
        locale, zone = await self.registry.place(chat_id)
        return Place(locale or self.default_locale, self.zone_named(zone))
