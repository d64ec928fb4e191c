"""The method list against the command table (the one definition of every
command): every command the table lists has a method, on Redlite or on the
object that owns it (Pipeline for MULTI/EXEC/WATCH, PubSub for the
subscribe family), unless listed in EXCEPTIONS with the reason. And every
method that redis-py also has takes the same arguments, with the same
names, kinds and defaults."""

import inspect

import pytest

import redlite

# Commands with no Redlite method, and why.
EXCEPTIONS = {
    "select": "changes connection state; calls run on pooled sessions: use redlite.open(db=N)",
    "auth": "the process that opened the file is always authenticated (conns authenticate themselves)",
    "hello": "changes connection state (protocol); Redlite speaks RESP2 as redis-py does by default",
    "reset": "changes connection state",
    "quit": "there is no connection to quit: close() closes the database",
    "client|setname": "changes connection state",
    "client|setinfo": "changes connection state",
    "client|reply": "changes connection state",
    "client|no-evict": "changes connection state",
    "client|no-touch": "changes connection state",
    "client|tracking": "changes connection state",
    "client|caching": "changes connection state",
}

# Commands that belong to another object than Redlite.
ELSEWHERE = {
    "multi": (redlite.Pipeline, "multi"),
    "exec": (redlite.Pipeline, "execute"),
    "discard": (redlite.Pipeline, "reset"),
    "watch": (redlite.Pipeline, "watch"),
    "unwatch": (redlite.Pipeline, "unwatch"),
    "subscribe": (redlite.PubSub, "subscribe"),
    "unsubscribe": (redlite.PubSub, "unsubscribe"),
    "psubscribe": (redlite.PubSub, "psubscribe"),
    "punsubscribe": (redlite.PubSub, "punsubscribe"),
    "ssubscribe": (redlite.PubSub, "ssubscribe"),
    "sunsubscribe": (redlite.PubSub, "sunsubscribe"),
}

# Method names that differ from the command's (as in redis-py).
RENAMED = {"del": "delete", "object": "object"}


def method_for(command: str) -> str:
    if "|" in command:
        container, sub = command.split("|", 1)
        if container == "object":
            return "object"  # object(infotype, key)
        return f"{container}_{sub}".replace("-", "_")
    return RENAMED.get(command, command).replace("-", "_")


def table(db):
    """Every command and subcommand name in the table, lower case."""
    names = [n.decode() for n in db.execute_command("COMMAND LIST")]
    assert "get" in names and len(names) > 100
    info = db.execute_command("COMMAND", "INFO", *names)
    out = set(names)
    for name, d in info.items():
        subs = d.get("subcommands") or []
        if subs and name not in ("command", "object"):
            out.discard(name)  # a container: its subcommands are the commands
        for sub in subs:
            out.add(sub[0].decode())
    return out


def test_every_command_has_a_method(db):
    missing = []
    for command in sorted(table(db)):
        if command.endswith("|help") or command in EXCEPTIONS:
            continue  # help texts are reachable through execute_command
        if command in ELSEWHERE:
            cls, name = ELSEWHERE[command]
            if not callable(getattr(cls, name, None)):
                missing.append(f"{command} ({cls.__name__}.{name})")
            continue
        if not callable(getattr(redlite.Redlite, method_for(command), None)):
            missing.append(f"{command} (Redlite.{method_for(command)})")
    assert not missing, "commands of the table without a method: " + ", ".join(missing)


def test_exceptions_are_still_in_the_table(db):
    names = table(db)
    stale = [c for c in list(EXCEPTIONS) + list(ELSEWHERE) if c not in names and not c.startswith("client|")]
    assert not stale, f"listed but not in the table any more: {stale}"


# redis-py parameters Redlite leaves out, and why.
SIGNATURE_DIFFERENCES = {
    # Options of Redis versions after 7.0 (redlite is Redis 7.0).
    ("xadd", "ref_policy"): "Redis 8.2 option",
    ("xtrim", "ref_policy"): "Redis 8.2 option",
}
# redis-py methods that refuse to run (NotImplementedError); redlite's run
# the command.
IMPLEMENTED_HERE = {"command_info", "command_docs"}
# Deliberately different: transaction() without a function is the SQLite
# transaction context manager (with a function it is redis-py's helper).
DIFFERENT = {"transaction"}


def _params(fn):
    sig = inspect.signature(fn)
    return [(p.name, p.kind, p.default) for p in sig.parameters.values()
            if p.name != "self" and p.kind is not inspect.Parameter.VAR_KEYWORD]


def test_signatures_match_redis_py():
    redis = pytest.importorskip("redis", reason="redis-py is the reference (make test-python installs it)")
    checked = 0
    problems = []
    for cls in (redlite.Redlite, redlite.Pipeline, redlite.PubSub, redlite.Transaction):
        ref_cls = {redlite.Redlite: redis.Redis, redlite.Transaction: redis.Redis,
                   redlite.Pipeline: redis.client.Pipeline, redlite.PubSub: redis.client.PubSub}[cls]
        for name, fn in inspect.getmembers(cls, inspect.isfunction):
            if name.startswith("_") or name in IMPLEMENTED_HERE or name in DIFFERENT:
                continue
            ref = getattr(ref_cls, name, None)
            if ref is None or not callable(ref):
                continue
            mine = _params(fn)
            theirs = [p for p in _params(ref) if (name, p[0]) not in SIGNATURE_DIFFERENCES]
            checked += 1
            if mine != theirs:
                problems.append(f"{cls.__name__}.{name}: {mine} != redis-py {theirs}")
    assert not problems, "\n".join(problems)
    assert checked > 200


def test_fast_paths_keep_the_signatures():
    """Type annotations included: a type checker sees the FastCommands
    definition first (it comes first in the MRO)."""
    from redlite._fast import FastCommands
    from redlite.commands import Commands

    checked = 0
    for name, fn in inspect.getmembers(FastCommands, inspect.isfunction):
        if name.startswith("_"):
            continue
        assert inspect.signature(fn) == inspect.signature(getattr(Commands, name)), name
        checked += 1
    assert checked >= 17


def test_public_methods_have_type_hints():
    """Every public method of the classes users hold declares its return
    type and the types of its named parameters (*args and **kwargs may stay
    open, as in redis-py)."""
    named = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD,
             inspect.Parameter.KEYWORD_ONLY)
    missing = []
    for cls in (redlite.Redlite, redlite.Pipeline, redlite.PubSub, redlite.Transaction):
        for name, fn in inspect.getmembers(cls, inspect.isfunction):
            if name.startswith("_"):
                continue
            sig = inspect.signature(fn)
            if sig.return_annotation is inspect.Signature.empty:
                missing.append(f"{cls.__name__}.{name} -> ?")
            for p in sig.parameters.values():
                if p.name != "self" and p.kind in named and p.annotation is inspect.Parameter.empty:
                    missing.append(f"{cls.__name__}.{name}({p.name})")
    assert not missing, "without type hints: " + ", ".join(sorted(set(missing)))
