"""The installed package: the bundled library found through $ORIGIN, the
issue's three-line script, version information."""

import os
import subprocess
import sys
from pathlib import Path

import redlite
from redlite import _redlite


def test_library_bundled_next_to_the_extension():
    pkg = Path(redlite.__file__).parent
    assert (pkg / "libredlite.so.1").is_file()
    assert Path(_redlite.__file__).parent == pkg
    assert (pkg / "py.typed").is_file()
    out = subprocess.run(["readelf", "-d", _redlite.__file__], capture_output=True, text=True, check=True).stdout
    assert "libredlite.so.1" in out
    assert "$ORIGIN" in out


def test_loaded_library_is_the_bundled_one():
    pkg = Path(redlite.__file__).parent.resolve()
    maps = Path("/proc/self/maps").read_text()
    paths = {line.split()[-1] for line in maps.splitlines() if "libredlite.so" in line}
    assert paths == {str(pkg / "libredlite.so.1")}


def test_three_line_script(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
    script = 'import redlite; db = redlite.open("x.db"); db.set("k", "v"); print(db.get("k"))'
    out = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "b'v'\n"
    assert (tmp_path / "x.db").is_file()


def test_versions():
    assert redlite.library_version == "0.1.0"
    assert redlite.__version__ == "0.1.0"
    assert _redlite.lib.redlite_abi_version() == _redlite.lib.REDLITE_ABI_VERSION


def test_durability_and_options(tmp_path):
    path = tmp_path / "opts.db"
    with redlite.open(path, durability="full", cache_mb=4, readers=2, busy_timeout=1.5) as d:
        d.set("k", "v")
        assert d.path == str(path)
    with redlite.open(str(path)) as d:
        assert d.get("k") == b"v"


def test_db_index(tmp_path):
    path = str(tmp_path / "dbs.db")
    with redlite.open(path, db=3) as d:
        d.set("k", "three")
        p = d.pipeline()
        p.get("k")
        assert p.execute() == [b"three"]  # pipelines' conns use db 3 too
        with d.transaction() as tx:
            assert tx.get("k") == b"three"
    with redlite.open(path) as d:
        assert d.get("k") is None
        d.execute_command("MOVE", "nothing", 1)
    with redlite.open(path, db=3) as d:
        assert d.get("k") == b"three"
