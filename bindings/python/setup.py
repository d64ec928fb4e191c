"""Builds the redlite package: libredlite.so.1 (the Go core behind the C
ABI, through the repository's scripts/build-lib.sh, which owns the SQLite
build tags) and the cffi extension redlite._redlite linked against it. Both
end up inside the package directory; the extension finds the library
through its $ORIGIN rpath, so nothing depends on a library search path.

Metadata lives in pyproject.toml; this file only adds the build steps.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from ffibuild import source_root  # noqa: E402

LIBNAME = "libredlite.so.1"


class BuildExtWithLib(build_ext):
    """build_ext that first builds libredlite.so.1 with Go and afterwards
    copies it next to the compiled extension."""

    def run(self):
        libdir = Path(self.build_temp).resolve() / "redlite-lib"
        script = source_root() / "scripts" / "build-lib.sh"
        if shutil.which("go") is None:
            raise SystemExit("building redlite needs Go (1.26+) on PATH: https://go.dev/dl/")
        print(f"building {LIBNAME} with {script}", flush=True)
        subprocess.run(["sh", str(script), str(libdir)], check=True)
        for ext in self.extensions:
            ext.library_dirs.append(str(libdir))
        super().run()
        for ext in self.extensions:
            dest = Path(self.get_ext_fullpath(ext.name)).parent
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(libdir / LIBNAME, dest / LIBNAME)

    def get_outputs(self):
        # The library is part of what this command installs (so pip's
        # record and wheels list it).
        outs = super().get_outputs()
        return outs + [str(Path(self.get_ext_fullpath(e.name)).parent / LIBNAME) for e in self.extensions]


os.chdir(HERE)
setup(
    cmdclass={"build_ext": BuildExtWithLib},
    cffi_modules=["ffibuild.py:ffibuilder"],
)
