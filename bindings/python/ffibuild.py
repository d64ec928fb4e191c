"""The cffi extension redlite._redlite, compiled in API mode (out of line).

Its declarations come from include/redlite.h itself (the C ABI's contract),
so the binding cannot drift from the header: the header is read, comments
and preprocessor lines are dropped, #define constants are kept (cffi
evaluates non-literal ones in C), and the rest (typedefs, the reply struct,
the function prototypes) is handed to cdef unchanged.

A few small C helpers are compiled into the extension beside it (HELPERS):
they build argv arrays from one contiguous buffer and collect the typed
calls' out-parameters in one struct, so a Python call allocates one or two
cffi objects instead of one per argument and per out-parameter. They call
the typed fast paths and the generic command of the header, nothing else.
The single-key typed calls are also compiled as CPython functions
(PY_HELPERS), the one place the extension uses the Python C API: the hot
methods call those.

setup.py runs this file through cffi_modules and links the extension with
the libredlite.so.1 it builds (rpath $ORIGIN: the library is installed next
to the extension, inside the package).
"""

import os
import re
import sys
from pathlib import Path

from cffi import FFI


def source_root():
    """The redlite checkout this package is built from: REDLITE_SOURCE_ROOT,
    or the repository holding bindings/python (two directories up)."""
    env = os.environ.get("REDLITE_SOURCE_ROOT")
    root = Path(env) if env else Path(__file__).resolve().parent.parent.parent
    if not (root / "include" / "redlite.h").is_file() or not (root / "scripts" / "build-lib.sh").is_file():
        raise RuntimeError(
            f"redlite sources not found at {root}: build the package from a redlite checkout "
            "(pip install ./bindings/python) or set REDLITE_SOURCE_ROOT to one"
        )
    return root


_INT_LITERAL = re.compile(r"^-?(0x[0-9a-fA-F]+|[0-9]+)$")


def header_cdef(text):
    """The declarations of a C header in the form cdef accepts."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    out = []
    skipping = 0
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("#"):
            directive = s[1:].strip()
            if directive.startswith("ifdef __cplusplus"):
                skipping += 1
            elif skipping and directive.startswith("endif"):
                skipping -= 1
            elif not skipping and directive.startswith("define "):
                parts = directive.split(None, 2)
                if len(parts) == 3:
                    name, value = parts[1], parts[2].strip()
                    if _INT_LITERAL.match(value):
                        out.append(f"#define {name} {value}")
                    elif not value.startswith('"'):
                        out.append(f"#define {name} ...")
            continue
        if not skipping and s:
            out.append(line)
    return "\n".join(out)


# The typed calls' out-parameters, declared alike for cdef and the C below.
RL_OUT = """
typedef struct rl_out {
    char *val;
    size_t len;
    char *err;
    long long n;
    double d;
} rl_out;
"""

# Declarations of the helpers below (cdef form).
HELPER_CDEF = RL_OUT + """
int rl_command(void *h, int conn, int argc, const char *buf, const size_t *lens, redlite_reply **reply);
int rl_get(void *h, int conn, const char *key, size_t keylen, rl_out *o);
int rl_set(void *h, int conn, const char *key, size_t keylen, const char *val, size_t vallen, long long ms, int flags, rl_out *o);
int rl_del(void *h, int conn, int n, const char *buf, const size_t *lens, rl_out *o);
int rl_del1(void *h, int conn, const char *key, size_t keylen, rl_out *o);
int rl_exists(void *h, int conn, int n, const char *buf, const size_t *lens, rl_out *o);
int rl_exists1(void *h, int conn, const char *key, size_t keylen, rl_out *o);
int rl_incr(void *h, int conn, const char *key, size_t keylen, long long by, rl_out *o);
int rl_expire(void *h, int conn, const char *key, size_t keylen, long long ms, rl_out *o);
int rl_hget(void *h, int conn, const char *key, size_t keylen, const char *field, size_t fieldlen, rl_out *o);
int rl_hset(void *h, int conn, const char *key, size_t keylen, int n, const char *buf, const size_t *lens, rl_out *o);
int rl_hset1(void *h, int conn, const char *key, size_t keylen, const char *field, size_t fieldlen, const char *val, size_t vallen, rl_out *o);
int rl_lpush(void *h, int conn, const char *key, size_t keylen, int n, const char *buf, const size_t *lens, rl_out *o);
int rl_lpush1(void *h, int conn, const char *key, size_t keylen, const char *val, size_t vallen, rl_out *o);
int rl_rpop(void *h, int conn, const char *key, size_t keylen, rl_out *o);
int rl_sadd(void *h, int conn, const char *key, size_t keylen, int n, const char *buf, const size_t *lens, rl_out *o);
int rl_sadd1(void *h, int conn, const char *key, size_t keylen, const char *member, size_t memberlen, rl_out *o);
int rl_zadd(void *h, int conn, const char *key, size_t keylen, int n, const double *scores, const char *buf, const size_t *lens, rl_out *o);
int rl_zadd1(void *h, int conn, const char *key, size_t keylen, double score, const char *member, size_t memberlen, rl_out *o);
int rl_zscore(void *h, int conn, const char *key, size_t keylen, const char *member, size_t memberlen, rl_out *o);
int rl_py_install(const char *module);
"""

HELPERS = r"""
#include <stdlib.h>
#include "redlite.h"
""" + RL_OUT + r"""
/* Up to RL_STACK arguments are pointed to from the stack; more need one
 * malloc. */
#define RL_STACK 32

/* Pointers to the start of each of n arguments laid end to end in buf:
 * stack (RL_STACK long) when they fit, else malloc'd (NULL: out of memory);
 * rl_ptrs_free releases them. */
static const char **rl_ptrs(int n, const char *buf, const size_t *lens, const char **stack) {
    const char **ptrs = n <= RL_STACK ? stack : (const char **)malloc(sizeof(char *) * (size_t)n);
    if (ptrs == NULL) return NULL;
    size_t off = 0;
    for (int i = 0; i < n; i++) {
        ptrs[i] = buf + off;
        off += lens[i];
    }
    return ptrs;
}

static void rl_ptrs_free(const char **p, const char **stack) {
    if (p != stack) free((void *)p);
}

int rl_command(void *h, int conn, int argc, const char *buf, const size_t *lens, redlite_reply **reply) {
    const char *stack[RL_STACK];
    const char **argv = rl_ptrs(argc, buf, lens, stack);
    if (argv == NULL) { *reply = NULL; return REDLITE_NOMEM; }
    int st = conn ? redlite_conn_command((redlite_conn *)h, argc, argv, lens, reply)
                  : redlite_command((redlite_db *)h, argc, argv, lens, reply);
    rl_ptrs_free(argv, stack);
    return st;
}

#define RL_CALL(name, ...) (conn ? redlite_conn_##name((redlite_conn *)h, __VA_ARGS__) \
                                 : redlite_##name((redlite_db *)h, __VA_ARGS__))

int rl_get(void *h, int conn, const char *key, size_t keylen, rl_out *o) {
    return RL_CALL(get, key, keylen, &o->val, &o->len, &o->err);
}

int rl_set(void *h, int conn, const char *key, size_t keylen, const char *val, size_t vallen, long long ms, int flags, rl_out *o) {
    return RL_CALL(set, key, keylen, val, vallen, ms, flags, &o->err);
}

typedef int (*rl_multi_db)(redlite_db *, int, const char *const *, const size_t *, long long *, char **);
typedef int (*rl_multi_conn)(redlite_conn *, int, const char *const *, const size_t *, long long *, char **);

static int rl_multikey(rl_multi_db fdb, rl_multi_conn fconn, void *h, int conn, int n, const char *buf, const size_t *lens, rl_out *o) {
    const char *stack[RL_STACK];
    const char **keys = rl_ptrs(n, buf, lens, stack);
    if (keys == NULL) return REDLITE_NOMEM;
    int st = conn ? fconn((redlite_conn *)h, n, keys, lens, &o->n, &o->err)
                  : fdb((redlite_db *)h, n, keys, lens, &o->n, &o->err);
    rl_ptrs_free(keys, stack);
    return st;
}

int rl_del(void *h, int conn, int n, const char *buf, const size_t *lens, rl_out *o) {
    return rl_multikey(redlite_del, redlite_conn_del, h, conn, n, buf, lens, o);
}

int rl_del1(void *h, int conn, const char *key, size_t keylen, rl_out *o) {
    return RL_CALL(del, 1, &key, &keylen, &o->n, &o->err);
}

int rl_exists(void *h, int conn, int n, const char *buf, const size_t *lens, rl_out *o) {
    return rl_multikey(redlite_exists, redlite_conn_exists, h, conn, n, buf, lens, o);
}

int rl_exists1(void *h, int conn, const char *key, size_t keylen, rl_out *o) {
    return RL_CALL(exists, 1, &key, &keylen, &o->n, &o->err);
}

int rl_incr(void *h, int conn, const char *key, size_t keylen, long long by, rl_out *o) {
    return RL_CALL(incr, key, keylen, by, &o->n, &o->err);
}

int rl_expire(void *h, int conn, const char *key, size_t keylen, long long ms, rl_out *o) {
    return RL_CALL(expire, key, keylen, ms, &o->err);
}

int rl_hget(void *h, int conn, const char *key, size_t keylen, const char *field, size_t fieldlen, rl_out *o) {
    return RL_CALL(hget, key, keylen, field, fieldlen, &o->val, &o->len, &o->err);
}

/* buf holds field, value, field, value...; lens their 2n lengths. */
int rl_hset(void *h, int conn, const char *key, size_t keylen, int n, const char *buf, const size_t *lens, rl_out *o) {
    const char *stack[RL_STACK];
    const char **all = rl_ptrs(2 * n, buf, lens, stack);
    if (all == NULL) return REDLITE_NOMEM;
    const char *fstack[RL_STACK / 2], *vstack[RL_STACK / 2];
    size_t flstack[RL_STACK / 2], vlstack[RL_STACK / 2];
    const char **f = fstack, **v = vstack;
    size_t *fl = flstack, *vl = vlstack;
    int st = REDLITE_NOMEM;
    if (n > RL_STACK / 2) {
        f = malloc(sizeof(char *) * (size_t)n);
        v = malloc(sizeof(char *) * (size_t)n);
        fl = malloc(sizeof(size_t) * (size_t)n);
        vl = malloc(sizeof(size_t) * (size_t)n);
        if (!f || !v || !fl || !vl) goto out;
    }
    for (int i = 0; i < n; i++) {
        f[i] = all[2 * i];
        fl[i] = lens[2 * i];
        v[i] = all[2 * i + 1];
        vl[i] = lens[2 * i + 1];
    }
    st = RL_CALL(hset, key, keylen, n, f, fl, v, vl, &o->n, &o->err);
out:
    if (f != fstack) { free((void *)f); free((void *)v); free(fl); free(vl); }
    rl_ptrs_free(all, stack);
    return st;
}

int rl_hset1(void *h, int conn, const char *key, size_t keylen, const char *field, size_t fieldlen, const char *val, size_t vallen, rl_out *o) {
    return RL_CALL(hset, key, keylen, 1, &field, &fieldlen, &val, &vallen, &o->n, &o->err);
}

typedef int (*rl_keyvals_db)(redlite_db *, const char *, size_t, int, const char *const *, const size_t *, long long *, char **);
typedef int (*rl_keyvals_conn)(redlite_conn *, const char *, size_t, int, const char *const *, const size_t *, long long *, char **);

/* A key and n values (LPUSH, SADD). */
static int rl_keyvals(rl_keyvals_db fdb, rl_keyvals_conn fconn, void *h, int conn, const char *key, size_t keylen, int n, const char *buf, const size_t *lens, rl_out *o) {
    const char *stack[RL_STACK];
    const char **vals = rl_ptrs(n, buf, lens, stack);
    if (vals == NULL) return REDLITE_NOMEM;
    int st = conn ? fconn((redlite_conn *)h, key, keylen, n, vals, lens, &o->n, &o->err)
                  : fdb((redlite_db *)h, key, keylen, n, vals, lens, &o->n, &o->err);
    rl_ptrs_free(vals, stack);
    return st;
}

int rl_lpush(void *h, int conn, const char *key, size_t keylen, int n, const char *buf, const size_t *lens, rl_out *o) {
    return rl_keyvals(redlite_lpush, redlite_conn_lpush, h, conn, key, keylen, n, buf, lens, o);
}

int rl_lpush1(void *h, int conn, const char *key, size_t keylen, const char *val, size_t vallen, rl_out *o) {
    return RL_CALL(lpush, key, keylen, 1, &val, &vallen, &o->n, &o->err);
}

int rl_rpop(void *h, int conn, const char *key, size_t keylen, rl_out *o) {
    return RL_CALL(rpop, key, keylen, &o->val, &o->len, &o->err);
}

int rl_sadd(void *h, int conn, const char *key, size_t keylen, int n, const char *buf, const size_t *lens, rl_out *o) {
    return rl_keyvals(redlite_sadd, redlite_conn_sadd, h, conn, key, keylen, n, buf, lens, o);
}

int rl_sadd1(void *h, int conn, const char *key, size_t keylen, const char *member, size_t memberlen, rl_out *o) {
    return RL_CALL(sadd, key, keylen, 1, &member, &memberlen, &o->n, &o->err);
}

int rl_zadd(void *h, int conn, const char *key, size_t keylen, int n, const double *scores, const char *buf, const size_t *lens, rl_out *o) {
    const char *stack[RL_STACK];
    const char **members = rl_ptrs(n, buf, lens, stack);
    if (members == NULL) return REDLITE_NOMEM;
    int st = RL_CALL(zadd, key, keylen, n, scores, members, lens, &o->n, &o->err);
    rl_ptrs_free(members, stack);
    return st;
}

int rl_zadd1(void *h, int conn, const char *key, size_t keylen, double score, const char *member, size_t memberlen, rl_out *o) {
    return RL_CALL(zadd, key, keylen, 1, &score, &member, &memberlen, &o->n, &o->err);
}

int rl_zscore(void *h, int conn, const char *key, size_t keylen, const char *member, size_t memberlen, rl_out *o) {
    return RL_CALL(zscore, key, keylen, member, memberlen, &o->d, &o->err);
}
"""


# The hottest single-key calls once more, as CPython builtins (METH_VARARGS,
# stable ABI: the extension stays abi3) instead of cffi functions: one call
# takes the handle (its address as an int), the conn flag and the encoded
# arguments, runs the typed call with the GIL released and returns the
# result as a Python object, the value buffer already copied into bytes and
# freed. Through cffi, GET took an out struct allocation (ffi.new, ~0.1 µs),
# the call (~0.12 µs for five arguments, GIL released), two field reads,
# ffi.unpack and a second foreign call for redlite_free: db.get cost ~0.55
# µs of CPU more than it does now. Such a function costs ~0.05 µs with the
# GIL released around the call (~0.02 µs of that is the release), so the GIL
# is released as in every other call.
# Results: the value (bytes, int, float, True) on REDLITE_OK, None (False
# for EXPIRE) on REDLITE_NIL, otherwise the tuple (status, error message as
# bytes or None) for _core.failed to raise, the message freed here.
# rl_py_install (called once by _core) adds them to the extension module as
# py_<name>.
PY_HELPERS = r"""
/* METH_FASTCALL (no argument tuple) where the API level allows it: the
 * limited API has it from 3.10 (build_ffi asks for that level there). */
#if !defined(Py_LIMITED_API) || Py_LIMITED_API + 0 >= 0x030a0000
#define RL_PY_ARGV PyObject *const *
#define RL_PY_PARAMS PyObject *self, PyObject *const *argv, Py_ssize_t nargs
#define RL_PY_ARG(i) (argv[i])
#define RL_PY_NARGS nargs
#define RL_PY_FLAGS METH_FASTCALL
#else
#define RL_PY_ARGV PyObject *
#define RL_PY_PARAMS PyObject *self, PyObject *argv
#define RL_PY_ARG(i) PyTuple_GetItem(argv, i)
#define RL_PY_NARGS PyTuple_Size(argv)
#define RL_PY_FLAGS METH_VARARGS
#endif

static PyObject *rl_py_fail(int st, char *err) {
    PyObject *msg = Py_None;
    if (err != NULL) {
        msg = PyBytes_FromString(err);
        free(err);
        if (msg == NULL) return NULL;
    } else {
        Py_INCREF(msg);
    }
    PyObject *r = Py_BuildValue("(iO)", st, msg);
    Py_DECREF(msg);
    return r;
}

/* Exactly n arguments, the first two the handle's address and the conn
 * flag. */
static int rl_py_args(RL_PY_ARGV argv, Py_ssize_t got, Py_ssize_t n, void **h, int *conn) {
    if (got != n) {
        PyErr_Format(PyExc_TypeError, "expected %zd arguments", n);
        return -1;
    }
    *h = PyLong_AsVoidPtr(RL_PY_ARG(0));
    if (*h == NULL && PyErr_Occurred()) return -1;
    long c = PyLong_AsLong(RL_PY_ARG(1));
    if (c == -1 && PyErr_Occurred()) return -1;
    *conn = c != 0;
    return 0;
}

/* Argument i, which must be bytes (the caller keeps it alive, so its buffer
 * stays valid while the GIL is released). */
static int rl_py_bytes(RL_PY_ARGV argv, Py_ssize_t i, const char **p, size_t *n) {
    char *s;
    Py_ssize_t len;
    if (PyBytes_AsStringAndSize(RL_PY_ARG(i), &s, &len) < 0) return -1;
    *p = s;
    *n = (size_t)len;
    return 0;
}

static PyObject *rl_py_bulk(int st, char *val, size_t len, char *err) {
    if (st == REDLITE_OK) {
        PyObject *b = PyBytes_FromStringAndSize(val, (Py_ssize_t)len);
        free(val);
        return b;
    }
    if (st == REDLITE_NIL) Py_RETURN_NONE;
    return rl_py_fail(st, err);
}

static PyObject *rl_py_count(int st, long long n, char *err) {
    if (st == REDLITE_OK) return PyLong_FromLongLong(n);
    return rl_py_fail(st, err);
}

#define RL_NOGIL(st, call) do { Py_BEGIN_ALLOW_THREADS st = (call); Py_END_ALLOW_THREADS } while (0)

/* (h, conn, key) */
#define RL_PY_KEY(n) \
    (void)self; \
    void *h; int conn; const char *key; size_t keylen; \
    char *err = NULL; int st; \
    if (rl_py_args(argv, RL_PY_NARGS, n, &h, &conn) < 0 || rl_py_bytes(argv, 2, &key, &keylen) < 0) return NULL

static PyObject *rl_py_get(RL_PY_PARAMS) {
    RL_PY_KEY(3);
    char *val = NULL;
    size_t len = 0;
    RL_NOGIL(st, RL_CALL(get, key, keylen, &val, &len, &err));
    return rl_py_bulk(st, val, len, err);
}

static PyObject *rl_py_rpop(RL_PY_PARAMS) {
    RL_PY_KEY(3);
    char *val = NULL;
    size_t len = 0;
    RL_NOGIL(st, RL_CALL(rpop, key, keylen, &val, &len, &err));
    return rl_py_bulk(st, val, len, err);
}

static PyObject *rl_py_hget(RL_PY_PARAMS) {
    RL_PY_KEY(4);
    const char *f;
    size_t flen;
    if (rl_py_bytes(argv, 3, &f, &flen) < 0) return NULL;
    char *val = NULL;
    size_t len = 0;
    RL_NOGIL(st, RL_CALL(hget, key, keylen, f, flen, &val, &len, &err));
    return rl_py_bulk(st, val, len, err);
}

/* (h, conn, key, value, ms, flags) */
static PyObject *rl_py_set(RL_PY_PARAMS) {
    RL_PY_KEY(6);
    const char *v;
    size_t vlen;
    if (rl_py_bytes(argv, 3, &v, &vlen) < 0) return NULL;
    long long ms = PyLong_AsLongLong(RL_PY_ARG(4));
    if (ms == -1 && PyErr_Occurred()) return NULL;
    long flags = PyLong_AsLong(RL_PY_ARG(5));
    if (flags == -1 && PyErr_Occurred()) return NULL;
    RL_NOGIL(st, RL_CALL(set, key, keylen, v, vlen, ms, (int)flags, &err));
    if (st == REDLITE_OK) Py_RETURN_TRUE;
    if (st == REDLITE_NIL) Py_RETURN_NONE;
    return rl_py_fail(st, err);
}

static PyObject *rl_py_del1(RL_PY_PARAMS) {
    RL_PY_KEY(3);
    long long n = 0;
    RL_NOGIL(st, RL_CALL(del, 1, &key, &keylen, &n, &err));
    return rl_py_count(st, n, err);
}

static PyObject *rl_py_exists1(RL_PY_PARAMS) {
    RL_PY_KEY(3);
    long long n = 0;
    RL_NOGIL(st, RL_CALL(exists, 1, &key, &keylen, &n, &err));
    return rl_py_count(st, n, err);
}

/* (h, conn, key, by) */
static PyObject *rl_py_incr(RL_PY_PARAMS) {
    RL_PY_KEY(4);
    long long by = PyLong_AsLongLong(RL_PY_ARG(3));
    if (by == -1 && PyErr_Occurred()) return NULL;
    long long n = 0;
    RL_NOGIL(st, RL_CALL(incr, key, keylen, by, &n, &err));
    return rl_py_count(st, n, err);
}

/* (h, conn, key, ms) */
static PyObject *rl_py_expire(RL_PY_PARAMS) {
    RL_PY_KEY(4);
    long long ms = PyLong_AsLongLong(RL_PY_ARG(3));
    if (ms == -1 && PyErr_Occurred()) return NULL;
    RL_NOGIL(st, RL_CALL(expire, key, keylen, ms, &err));
    if (st == REDLITE_OK) Py_RETURN_TRUE;
    if (st == REDLITE_NIL) Py_RETURN_FALSE;
    return rl_py_fail(st, err);
}

/* (h, conn, key, field, value) */
static PyObject *rl_py_hset1(RL_PY_PARAMS) {
    RL_PY_KEY(5);
    const char *f, *v;
    size_t flen, vlen;
    if (rl_py_bytes(argv, 3, &f, &flen) < 0 || rl_py_bytes(argv, 4, &v, &vlen) < 0) return NULL;
    long long n = 0;
    RL_NOGIL(st, RL_CALL(hset, key, keylen, 1, &f, &flen, &v, &vlen, &n, &err));
    return rl_py_count(st, n, err);
}

/* (h, conn, key, value) */
static PyObject *rl_py_lpush1(RL_PY_PARAMS) {
    RL_PY_KEY(4);
    const char *v;
    size_t vlen;
    if (rl_py_bytes(argv, 3, &v, &vlen) < 0) return NULL;
    long long n = 0;
    RL_NOGIL(st, RL_CALL(lpush, key, keylen, 1, &v, &vlen, &n, &err));
    return rl_py_count(st, n, err);
}

/* (h, conn, key, member) */
static PyObject *rl_py_sadd1(RL_PY_PARAMS) {
    RL_PY_KEY(4);
    const char *m;
    size_t mlen;
    if (rl_py_bytes(argv, 3, &m, &mlen) < 0) return NULL;
    long long n = 0;
    RL_NOGIL(st, RL_CALL(sadd, key, keylen, 1, &m, &mlen, &n, &err));
    return rl_py_count(st, n, err);
}

/* (h, conn, key, score, member) */
static PyObject *rl_py_zadd1(RL_PY_PARAMS) {
    RL_PY_KEY(5);
    double score = PyFloat_AsDouble(RL_PY_ARG(3));
    if (score == -1.0 && PyErr_Occurred()) return NULL;
    const char *m;
    size_t mlen;
    if (rl_py_bytes(argv, 4, &m, &mlen) < 0) return NULL;
    long long n = 0;
    RL_NOGIL(st, RL_CALL(zadd, key, keylen, 1, &score, &m, &mlen, &n, &err));
    return rl_py_count(st, n, err);
}

/* (h, conn, key, member) */
static PyObject *rl_py_zscore(RL_PY_PARAMS) {
    RL_PY_KEY(4);
    const char *m;
    size_t mlen;
    if (rl_py_bytes(argv, 3, &m, &mlen) < 0) return NULL;
    double d = 0;
    RL_NOGIL(st, RL_CALL(zscore, key, keylen, m, mlen, &d, &err));
    if (st == REDLITE_OK) return PyFloat_FromDouble(d);
    if (st == REDLITE_NIL) Py_RETURN_NONE;
    return rl_py_fail(st, err);
}

static PyMethodDef rl_py_methods[] = {
    {"py_get", (PyCFunction)(void (*)(void))rl_py_get, RL_PY_FLAGS, NULL},
    {"py_rpop", (PyCFunction)(void (*)(void))rl_py_rpop, RL_PY_FLAGS, NULL},
    {"py_hget", (PyCFunction)(void (*)(void))rl_py_hget, RL_PY_FLAGS, NULL},
    {"py_set", (PyCFunction)(void (*)(void))rl_py_set, RL_PY_FLAGS, NULL},
    {"py_del1", (PyCFunction)(void (*)(void))rl_py_del1, RL_PY_FLAGS, NULL},
    {"py_exists1", (PyCFunction)(void (*)(void))rl_py_exists1, RL_PY_FLAGS, NULL},
    {"py_incr", (PyCFunction)(void (*)(void))rl_py_incr, RL_PY_FLAGS, NULL},
    {"py_expire", (PyCFunction)(void (*)(void))rl_py_expire, RL_PY_FLAGS, NULL},
    {"py_hset1", (PyCFunction)(void (*)(void))rl_py_hset1, RL_PY_FLAGS, NULL},
    {"py_lpush1", (PyCFunction)(void (*)(void))rl_py_lpush1, RL_PY_FLAGS, NULL},
    {"py_sadd1", (PyCFunction)(void (*)(void))rl_py_sadd1, RL_PY_FLAGS, NULL},
    {"py_zadd1", (PyCFunction)(void (*)(void))rl_py_zadd1, RL_PY_FLAGS, NULL},
    {"py_zscore", (PyCFunction)(void (*)(void))rl_py_zscore, RL_PY_FLAGS, NULL},
    {NULL, NULL, 0, NULL},
};

/* Adds the functions above to the (already imported) module of that name;
 * 0 on success. cffi calls it with the GIL released: it takes it back. */
int rl_py_install(const char *module) {
    PyGILState_STATE g = PyGILState_Ensure();
    int rc = -1;
    PyObject *m = PyImport_ImportModule(module);
    if (m != NULL) {
        rc = 0;
        for (PyMethodDef *d = rl_py_methods; d->ml_name != NULL; d++) {
            PyObject *f = PyCFunction_NewEx(d, NULL, NULL);
            if (f == NULL || PyModule_AddObject(m, d->ml_name, f) < 0) {
                Py_XDECREF(f);
                rc = -1;
                break;
            }
        }
        Py_DECREF(m);
    }
    if (rc < 0) PyErr_Print();
    PyGILState_Release(g);
    return rc;
}
"""


def build_ffi(root=None):
    root = Path(root) if root else source_root()
    header = root / "include" / "redlite.h"
    ffi = FFI()
    ffi.cdef(header_cdef(header.read_text()))
    ffi.cdef(HELPER_CDEF)
    ffi.set_source(
        "redlite._redlite",
        HELPERS + PY_HELPERS,
        include_dirs=[str(root / "include")],
        libraries=["redlite"],
        # libredlite.so.1 is installed next to the extension.
        runtime_library_dirs=["$ORIGIN"],
        extra_compile_args=["-std=c99", "-O2"],
        # The stable ABI as cffi builds it, at the level of 3.10 where that
        # is the interpreter (METH_FASTCALL for PY_HELPERS); cffi defines
        # the unversioned (3.2) level otherwise.
        define_macros=[("Py_LIMITED_API", "0x030a0000")] if sys.version_info >= (3, 10) else [],
    )
    return ffi


ffibuilder = build_ffi()

if __name__ == "__main__":
    print(header_cdef((source_root() / "include" / "redlite.h").read_text()))
