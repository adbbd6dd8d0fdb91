"""The optional health and metrics endpoint: GET /healthz and GET /metrics over aiohttp."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from sqlalchemy import func, select

from bot import __version__
from bot.ops.metrics import CONTENT_TYPE, Metrics, render
from bot.pacer import Pacer
from bot.storage.db import Database
from bot.storage.tables import posts

log = logging.getLogger(__name__)

# A scrape must answer even when the database is stuck; the gauge is then left out.
DB_TIMEOUT_S = 5.0


class OpsServer:
    def __init__(
        self, db: Database, metrics: Metrics, pacer: Pacer, host: str, port: int
    ) -> None:
        self.db = db
        self.metrics = metrics
        self.pacer = pacer
        self.host = host
        self.port = port
        self.stopping = False
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        # No access log: a scraper every 15 s would bury the lines that matter.
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        log.info("health and metrics on http://%s:%d (/healthz, /metrics)", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, _request: web.Request) -> web.Response:
        # Liveness: the loop answers. A stopping bot says so, so an orchestrator that sees
        # 503 during a graceful stop does not count it as a hang.
        if self.stopping:
            return web.Response(status=503, text="stopping\n")
        return web.Response(text="ok\n")

    async def _open_posts(self) -> int | None:
        try:
            async with asyncio.timeout(DB_TIMEOUT_S), self.db.read() as conn:
                query = select(func.count()).select_from(posts).where(posts.c.closed_at.is_(None))
                return int((await conn.execute(query)).scalar_one())
        except Exception:
            log.warning("metrics: could not count open posts", exc_info=True)
            return None

    async def _metrics(self, _request: web.Request) -> web.Response:
        body = render(
            self.metrics,
            self.pacer.by_platform,
            version=__version__,
            open_posts=await self._open_posts(),
        )
        return web.Response(body=body.encode("utf-8"), headers={"Content-Type": CONTENT_TYPE})
