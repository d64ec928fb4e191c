"""The embedded Python process of core/reliability/concurrent_test.go.

Run as ``python concurrent_worker.py --db PATH --id ID --ops N``: opens PATH
with redlite.open (the installed binding, in process), prints "ready", waits
for a line "go" on stdin, runs N operations of the shared workload while Go
processes and a server's clients run it on the same file, and prints one
JSON object shaped like the Go test's concResult. Every step mirrors
concurrentWorker in that file (same keys, same operation order, same
element names), through the binding's public API: the typed fast paths
(INCR, LPUSH, RPOP), execute_command-backed methods (BRPOP, SAVE),
MULTI/EXEC pipelines and WATCH.

Not a pytest module (pytest collects only test_*.py): the Go test runs it.
"""

import argparse
import json
import sys

import redlite

ACCOUNTS = 5  # concAccounts
OP_KINDS = 7  # concOpKinds
SAVE_EACH = 100  # concSaveEach
BLOCK_TIMEOUT = 30  # concBlockTimeout, seconds
CAS_ATTEMPTS = 10000


def transfer_of(i):
    """The accounts and amount of operation i's transfer, as the Go worker
    picks them."""
    src, dst, amount = i % ACCOUNTS, (i // ACCOUNTS + i + 1) % ACCOUNTS, i % 13 + 1
    if src == dst:
        dst = (dst + 1) % ACCOUNTS
    return src, dst, amount


def work(db, wid, ops):
    r = {"incr": [], "pushed": [], "popped": [], "transfers": [], "cas": 0,
         "bpushed": [], "bpopped": [], "errors": []}

    def step(what, fn):
        """Runs fn; an exception becomes an error of the result (the loop
        then stops, as the Go worker stops at its first error)."""
        try:
            return True, fn()
        except Exception as e:  # noqa: BLE001 - every failure is reported
            r["errors"].append(f"{what}: {type(e).__name__}: {e}")
            return False, None

    i = 0
    while i < ops and not r["errors"]:
        if i % SAVE_EACH == SAVE_EACH - 1:
            step("SAVE", db.save)  # a checkpoint while the others write and read
        kind = i % OP_KINDS
        if kind == 0:
            ok, n = step("INCR conc:counter", lambda: db.incr("conc:counter"))
            if ok:
                r["incr"].append(n)
        elif kind == 1:
            e = f"{wid}:{i}"
            ok, _ = step(f"LPUSH conc:queue {e}", lambda: db.lpush("conc:queue", e))
            if ok:
                r["pushed"].append(e)
        elif kind == 2:
            ok, v = step("RPOP conc:queue", lambda: db.rpop("conc:queue"))
            if ok and v is not None:
                r["popped"].append(v.decode())
        elif kind == 3:
            src, dst, amount = transfer_of(i)

            def transfer():
                with db.pipeline(transaction=True) as p:
                    p.decrby(f"conc:acct:{src}", amount)
                    p.incrby(f"conc:acct:{dst}", amount)
                    return p.execute()
            ok, replies = step(f"transfer {src}->{dst}", transfer)
            if ok:
                if isinstance(replies, list) and len(replies) == 2:
                    r["transfers"].append([src, dst, amount])
                else:
                    r["errors"].append(f"transfer EXEC replied {replies!r}")
        elif kind == 4:
            # Optimistic increment: retried until no other client wrote the
            # key between WATCH and EXEC.
            def cas():
                with db.pipeline() as p:
                    for _ in range(CAS_ATTEMPTS):
                        try:
                            p.watch("conc:cas")
                            n = int(p.get("conc:cas") or 0)
                            p.multi()
                            p.set("conc:cas", n + 1)
                            p.execute()
                            return True
                        except redlite.WatchError:
                            continue
                return False
            ok, done = step("compare-and-set", cas)
            if ok and done:
                r["cas"] += 1
            elif ok:
                r["errors"].append("compare-and-set starved")
        elif kind == 5:
            e = f"{wid}:{i}"
            ok, _ = step(f"LPUSH conc:bqueue {e}", lambda: db.lpush("conc:bqueue", e))
            if ok:
                r["bpushed"].append(e)
        elif kind == 6:
            ok, v = step("BRPOP conc:bqueue", lambda: db.brpop("conc:bqueue", timeout=BLOCK_TIMEOUT))
            if ok:
                if v is None:
                    r["errors"].append("BRPOP timed out while an element was due: a lost wake-up")
                else:
                    r["bpopped"].append(v[1].decode())
        i += 1
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--id", required=True)
    ap.add_argument("--ops", type=int, required=True)
    args = ap.parse_args()
    try:
        db = redlite.open(args.db)
    except Exception as e:  # noqa: BLE001
        print(f"concurrent worker: open: {e}", file=sys.stderr)
        return 3
    print("ready", flush=True)
    if sys.stdin.readline() != "go\n":
        print("concurrent worker: no go", file=sys.stderr)
        return 3
    r = work(db, args.id, args.ops)
    try:
        db.close()
    except Exception as e:  # noqa: BLE001
        r["errors"].append(f"close: {e}")
    print(json.dumps(r), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
