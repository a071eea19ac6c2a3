"""How ingest cost grows with the corpus: single-article and small-batch ingests into growing corpora.

(The merge is incremental, so these stay flat; ``bench/ingest_corpus.py`` measures the same on
the real corpus, through the queue, with POST latency.)

Articles are dense synthetic ones made of seed paragraphs (6 random paragraphs + a unique line),
so events, actors and claims recur across the corpus as they do in a busy news week. The
Python process's CPU time is printed beside wall time: on a shared machine it is the steadier
figure (Postgres's own work is not in it).

    .venv/bin/python -m bench.scale_ingest [--sizes 100,500,1000] [--batch 10] [--batches 2]
"""

from __future__ import annotations

import argparse
import asyncio
import pathlib
import random
import time

import asyncpg

from service.db import migrate
from service.db.admin import recreate_database
from service.db.embedded import start_embedded
from service.db.pool import init_connection
from service.extract.document import SourceMeta
from service.ingest import ingest

SEEDS = pathlib.Path(__file__).resolve().parent.parent / "seeds"


def paragraphs() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    return [para for t in texts for para in t.split("\n") if len(para) > 80]


def article(paras: list[str], i: int) -> str:
    rnd = random.Random(i)
    return "\n".join(rnd.sample(paras, 6)) + f"\nرقم {i}"


async def main(sizes: list[int], batch: int, batches: int, data: pathlib.Path) -> None:
    paras = paragraphs()
    base = start_embedded(data)
    dsn = await recreate_database(base, "scale")
    await migrate.upgrade(dsn)
    conn = await asyncpg.connect(dsn)
    await init_connection(conn)
    n, extra = 0, 10**6
    for size in sizes:
        t = time.perf_counter()
        while n < size:
            k = min(250, size - n)
            await ingest(
                conn, [(article(paras, n + j), SourceMeta(external_id=f"a{n + j}")) for j in range(k)]
            )
            n += k
        fill = time.perf_counter() - t
        singles, cpu = [], []
        for _ in range(3):
            t, c = time.perf_counter(), time.process_time()
            await ingest(conn, [(article(paras, extra), SourceMeta(external_id=f"x{extra}"))])
            singles.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            extra += 1
        t = time.perf_counter()
        for _ in range(batches):
            items = [
                (article(paras, extra + j), SourceMeta(external_id=f"x{extra + j}")) for j in range(batch)
            ]
            await ingest(conn, items)
            extra += batch
        rate = batch * batches / (time.perf_counter() - t)
        counts = await conn.fetchrow(
            "SELECT (SELECT count(*) FROM sources) s, (SELECT count(*) FROM events) e, "
            "(SELECT count(*) FROM actors) a, (SELECT count(*) FROM claims) c"
        )
        print(
            f"corpus={size} fill={fill:.1f}s single(median of 3)={sorted(singles)[1] * 1000:.0f}ms "
            f"(python cpu {sorted(cpu)[1] * 1000:.0f}ms) "
            f"bulk({batch}/batch)={rate:.1f} articles/s {dict(counts)}",
            flush=True,
        )
    await conn.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,500,1000")
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--batches", type=int, default=2)
    parser.add_argument("--data", default=".data/scale-pg")
    args = parser.parse_args()
    asyncio.run(
        main(
            [int(s) for s in args.sizes.split(",")],
            args.batch,
            args.batches,
            pathlib.Path(args.data).resolve(),
        )
    )
