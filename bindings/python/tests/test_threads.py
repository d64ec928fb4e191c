"""One Redlite object shared by many threads."""

import redlite
from conftest import run_threads


def test_concurrent_increments(file_db):
    def work(_):
        for _ in range(300):
            file_db.incr("n")
            file_db.hincrby("h", "n", 1)
            file_db.lpush("l", "x")

    run_threads(work, 6, 60)
    assert file_db.get("n") == b"1800"
    assert file_db.hget("h", "n") == b"1800"
    assert file_db.llen("l") == 1800


def test_threads_mix_pipelines_transactions_and_reads(file_db):
    errors = []

    def work(i):
        try:
            for j in range(50):
                p = file_db.pipeline()
                p.incr("p").sadd("s", f"{i}:{j}")
                p.execute()
                with file_db.transaction() as tx:
                    tx.incr("t")
                file_db.smembers("s")
        except Exception as e:  # noqa: BLE001 - collected for the assert
            errors.append(e)

    run_threads(work, 4, 120)
    assert errors == []
    assert file_db.get("p") == b"200"
    assert file_db.get("t") == b"200"
    assert file_db.scard("s") == 200


def test_typed_calls_from_many_threads_never_mix_values(db):
    db.mset({f"k{i}": f"v{i}" for i in range(8)})
    bad = []

    def work(i):
        for _ in range(2000):
            if db.get(f"k{i}") != f"v{i}".encode():
                bad.append(i)

    run_threads(work, 8, 60)
    assert bad == []


def test_context_manager_closes():
    with redlite.open() as d:
        d.set("a", 1)
    assert d._closed
