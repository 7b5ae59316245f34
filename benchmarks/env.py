"""The benchmark's database and how to reach it: the ``juzhu`` command with the bench's
environment, a direct SQLAlchemy engine for sampling, users and tokens made through the CLI.
"""

from __future__ import annotations

import os
import random
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
KEYS = {"JUZHU_SECRET_KEY": "bench-secret", "JUZHU_AUDIT_KEY": "bench-audit-key",
        "JUZHU_QR_KEY": "bench-qr-key", "JUZHU_PASSWORD_SALT": "bench-salt"}


@dataclass
class Bench:
    holders: int
    url: str  # SQLAlchemy URL of the bench database
    work: Path
    requests: int = 500
    seed: int = 2026
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.work.mkdir(parents=True, exist_ok=True)
        self.juzhu = str(Path(sys.executable).with_name("juzhu"))
        self.env = {**os.environ, **KEYS, "JUZHU_INSTANCE": str(self.work / "instance"),
                    "JUZHU_DATABASE_URL": self.url}
        self.engine = create_engine(self.url)

    @property
    def database(self) -> str:
        return "postgresql" if self.url.startswith("postgresql") else "sqlite"

    # -- running juzhu -----------------------------------------------------------------

    def run(self, *args: str, stdout: Any = None, check: bool = True) -> tuple[float, str]:
        """Run ``juzhu ARGS``; (wall seconds, stdout text unless redirected)."""
        t0 = time.perf_counter()
        done = subprocess.run([self.juzhu, *args], env=self.env, cwd=self.work,
                              stdout=stdout if stdout is not None else subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
        seconds = time.perf_counter() - t0
        if check and done.returncode != 0:
            raise RuntimeError(f"juzhu {' '.join(args)} exited {done.returncode}: "
                               f"{done.stderr[-2000:]}")
        return seconds, done.stdout or ""

    def user(self, prefix: str, role: str, org: str | None = None) -> tuple[str, str]:
        """A fresh user (``prefix`` + a random suffix) with a random password; (name,
        password)."""
        name, password = f"{prefix}_{secrets.token_hex(3)}", secrets.token_urlsafe(12)
        args = ["user", "create", name, "--role", role, "--password", password]
        if org:
            args += ["--org", org]
        self.run(*args)
        return name, password

    def token(self, prefix: str, role: str, org: str | None = None) -> str:
        args = ["user", "create", f"{prefix}_{secrets.token_hex(3)}", "--role", role, "--token"]
        if org:
            args += ["--org", org]
        return self.run(*args)[1].strip().splitlines()[-1]

    @staticmethod
    def free_port() -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return int(s.getsockname()[1])

    # -- sampling ----------------------------------------------------------------------

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def sample_holder_ids(self, n: int) -> list[int]:
        """``n`` random existing holder ids (ids are dense after generation; gaps skipped)."""
        low = self.scalar("SELECT min(id) FROM holder")
        high = self.scalar("SELECT max(id) FROM holder")
        picked: list[int] = []
        with self.engine.connect() as conn:
            while len(picked) < n:
                want = [self.rng.randint(low, high) for _ in range(n - len(picked))]
                rows = conn.execute(text("SELECT id FROM holder WHERE id IN (%s)" % ",".join(
                    str(int(i)) for i in want))).scalars().all()
                picked.extend(rows)
        return picked[:n]

    def sample_id_numbers(self, n: int) -> list[str]:
        ids = self.sample_holder_ids(n)
        with self.engine.connect() as conn:
            numbers = dict(conn.execute(text("SELECT id, id_number FROM holder WHERE id IN (%s)"
                                             % ",".join(map(str, ids)))).all())
        return [numbers[i] for i in ids]

    def holder_count(self) -> int:
        return int(self.scalar("SELECT count(*) FROM holder"))
