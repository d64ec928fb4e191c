"""The cffi extension redlite._redlite, compiled in API mode (out of line).

Its declarations come from include/redlite.h itself (the C ABI's contract),
so the binding cannot drift from the header: the header is read, comments
and preprocessor lines are dropped, #define constants are kept (cffi
evaluates non-literal ones in C), and the rest (typedefs, the reply struct,
the function prototypes) is handed to cdef unchanged.

Small C helpers are compiled into the extension beside it: rl_command
(HELPERS) builds the generic command's argv from one contiguous buffer, and
the typed fast paths are CPython functions (PY_HELPERS, the one place the
extension uses the Python C API) that take Python objects and return the
result as one, so a hot method makes a single call. They call the typed
fast paths and the generic command of the header, nothing else.

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


# Declarations of the helpers below (cdef form).
HELPER_CDEF = """
int rl_command(void *h, int conn, int argc, const char *buf, const size_t *lens, redlite_reply **reply);
int rl_py_install(const char *module);
"""

HELPERS = r"""
#include <limits.h>
#include <stdlib.h>
#include "redlite.h"

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
"""

# The typed calls (the C ABI's fast paths), as CPython functions of the
# extension (the one place it uses the Python C API) rather than cffi
# functions: one call takes the handle (its address as an int), the conn
# flag and the encoded arguments (bytes, or lists of bytes made for the
# call), runs the typed call with the GIL released and returns the result as
# a Python object, a value buffer already copied into bytes and freed.
# Through cffi, GET took an out struct allocation (ffi.new, ~0.1 µs), the
# call (~0.12 µs for five arguments, GIL released), two field reads,
# ffi.unpack and a second foreign call for redlite_free: db.get cost ~0.55 µs
# of CPU more than it does now. Such a function costs ~0.05 µs with the GIL
# released around the call (~0.02 µs of that is the release), so the GIL is
# released as in every other call.
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
#define RL_PY_FWD self, argv, nargs
#else
#define RL_PY_ARGV PyObject *
#define RL_PY_PARAMS PyObject *self, PyObject *argv
#define RL_PY_ARG(i) PyTuple_GetItem(argv, i)
#define RL_PY_NARGS PyTuple_Size(argv)
#define RL_PY_FLAGS METH_VARARGS
#define RL_PY_FWD self, argv
#endif

#define RL_CALL(name, ...) (conn ? redlite_conn_##name((redlite_conn *)h, __VA_ARGS__) \
                                 : redlite_##name((redlite_db *)h, __VA_ARGS__))

#define RL_NOGIL(st, call) do { Py_BEGIN_ALLOW_THREADS st = (call); Py_END_ALLOW_THREADS } while (0)

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

/* The items of a list of bytes as pointers and lengths (the list is made by
 * the caller for this call, so nothing changes it while the GIL is
 * released): on the stack for up to RL_STACK, else malloc'd; rl_py_vec_free
 * releases them. */
typedef struct {
    int n;
    const char **p;
    size_t *len;
    const char *pstack[RL_STACK];
    size_t lstack[RL_STACK];
} rl_py_vec;

static void rl_py_vec_free(rl_py_vec *v) {
    if (v->p != v->pstack) free((void *)v->p);
    if (v->len != v->lstack) free(v->len);
}

static int rl_py_vec_init(rl_py_vec *v, PyObject *list) {
    v->p = v->pstack;
    v->len = v->lstack;
    if (!PyList_Check(list)) {
        PyErr_SetString(PyExc_TypeError, "expected a list of bytes");
        return -1;
    }
    Py_ssize_t n = PyList_Size(list);
    if (n > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "too many arguments");
        return -1;
    }
    v->n = (int)n;
    if (n > RL_STACK) {
        v->p = (const char **)malloc(sizeof(char *) * (size_t)n);
        v->len = (size_t *)malloc(sizeof(size_t) * (size_t)n);
        if (v->p == NULL || v->len == NULL) {
            rl_py_vec_free(v);
            PyErr_NoMemory();
            return -1;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        char *s;
        Py_ssize_t len;
        if (PyBytes_AsStringAndSize(PyList_GetItem(list, i), &s, &len) < 0) {
            rl_py_vec_free(v);
            return -1;
        }
        v->p[i] = s;
        v->len[i] = (size_t)len;
    }
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

/* (h, conn, ...): n arguments in all */
#define RL_PY_HANDLE(n) \
    (void)self; \
    void *h; int conn; char *err = NULL; int st; \
    if (rl_py_args(argv, RL_PY_NARGS, n, &h, &conn) < 0) return NULL

/* (h, conn, key, ...) */
#define RL_PY_KEY(n) \
    RL_PY_HANDLE(n); \
    const char *key; size_t keylen; \
    if (rl_py_bytes(argv, 2, &key, &keylen) < 0) return NULL

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

/* (h, conn, key, field) */
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

/* DEL and EXISTS: keys, counted in the reply. */
typedef int (*rl_keys_db)(redlite_db *, int, const char *const *, const size_t *, long long *, char **);
typedef int (*rl_keys_conn)(redlite_conn *, int, const char *const *, const size_t *, long long *, char **);

/* (h, conn, key) */
static PyObject *rl_py_keys1(RL_PY_PARAMS, rl_keys_db fdb, rl_keys_conn fconn) {
    RL_PY_KEY(3);
    long long n = 0;
    RL_NOGIL(st, conn ? fconn((redlite_conn *)h, 1, &key, &keylen, &n, &err)
                      : fdb((redlite_db *)h, 1, &key, &keylen, &n, &err));
    return rl_py_count(st, n, err);
}

/* (h, conn, [key...]) */
static PyObject *rl_py_keys(RL_PY_PARAMS, rl_keys_db fdb, rl_keys_conn fconn) {
    RL_PY_HANDLE(3);
    rl_py_vec keys;
    if (rl_py_vec_init(&keys, RL_PY_ARG(2)) < 0) return NULL;
    long long n = 0;
    RL_NOGIL(st, conn ? fconn((redlite_conn *)h, keys.n, keys.p, keys.len, &n, &err)
                      : fdb((redlite_db *)h, keys.n, keys.p, keys.len, &n, &err));
    rl_py_vec_free(&keys);
    return rl_py_count(st, n, err);
}

static PyObject *rl_py_del1(RL_PY_PARAMS) { return rl_py_keys1(RL_PY_FWD, redlite_del, redlite_conn_del); }
static PyObject *rl_py_del(RL_PY_PARAMS) { return rl_py_keys(RL_PY_FWD, redlite_del, redlite_conn_del); }
static PyObject *rl_py_exists1(RL_PY_PARAMS) { return rl_py_keys1(RL_PY_FWD, redlite_exists, redlite_conn_exists); }
static PyObject *rl_py_exists(RL_PY_PARAMS) { return rl_py_keys(RL_PY_FWD, redlite_exists, redlite_conn_exists); }

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

/* (h, conn, key, [field...], [value...]): as many values as fields */
static PyObject *rl_py_hset(RL_PY_PARAMS) {
    RL_PY_KEY(5);
    rl_py_vec f, v;
    if (rl_py_vec_init(&f, RL_PY_ARG(3)) < 0) return NULL;
    if (rl_py_vec_init(&v, RL_PY_ARG(4)) < 0) {
        rl_py_vec_free(&f);
        return NULL;
    }
    if (f.n != v.n) {
        rl_py_vec_free(&f);
        rl_py_vec_free(&v);
        PyErr_SetString(PyExc_ValueError, "as many values as fields expected");
        return NULL;
    }
    long long n = 0;
    RL_NOGIL(st, RL_CALL(hset, key, keylen, f.n, f.p, f.len, v.p, v.len, &n, &err));
    rl_py_vec_free(&f);
    rl_py_vec_free(&v);
    return rl_py_count(st, n, err);
}

/* LPUSH and SADD: a key and values, counted in the reply. */
typedef int (*rl_values_db)(redlite_db *, const char *, size_t, int, const char *const *, const size_t *, long long *, char **);
typedef int (*rl_values_conn)(redlite_conn *, const char *, size_t, int, const char *const *, const size_t *, long long *, char **);

/* (h, conn, key, value) */
static PyObject *rl_py_values1(RL_PY_PARAMS, rl_values_db fdb, rl_values_conn fconn) {
    RL_PY_KEY(4);
    const char *v;
    size_t vlen;
    if (rl_py_bytes(argv, 3, &v, &vlen) < 0) return NULL;
    long long n = 0;
    RL_NOGIL(st, conn ? fconn((redlite_conn *)h, key, keylen, 1, &v, &vlen, &n, &err)
                      : fdb((redlite_db *)h, key, keylen, 1, &v, &vlen, &n, &err));
    return rl_py_count(st, n, err);
}

/* (h, conn, key, [value...]) */
static PyObject *rl_py_values(RL_PY_PARAMS, rl_values_db fdb, rl_values_conn fconn) {
    RL_PY_KEY(4);
    rl_py_vec v;
    if (rl_py_vec_init(&v, RL_PY_ARG(3)) < 0) return NULL;
    long long n = 0;
    RL_NOGIL(st, conn ? fconn((redlite_conn *)h, key, keylen, v.n, v.p, v.len, &n, &err)
                      : fdb((redlite_db *)h, key, keylen, v.n, v.p, v.len, &n, &err));
    rl_py_vec_free(&v);
    return rl_py_count(st, n, err);
}

static PyObject *rl_py_lpush1(RL_PY_PARAMS) { return rl_py_values1(RL_PY_FWD, redlite_lpush, redlite_conn_lpush); }
static PyObject *rl_py_lpush(RL_PY_PARAMS) { return rl_py_values(RL_PY_FWD, redlite_lpush, redlite_conn_lpush); }
static PyObject *rl_py_sadd1(RL_PY_PARAMS) { return rl_py_values1(RL_PY_FWD, redlite_sadd, redlite_conn_sadd); }
static PyObject *rl_py_sadd(RL_PY_PARAMS) { return rl_py_values(RL_PY_FWD, redlite_sadd, redlite_conn_sadd); }

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

/* (h, conn, key, [score...], [member...]): as many scores (floats) as
 * members */
static PyObject *rl_py_zadd(RL_PY_PARAMS) {
    RL_PY_KEY(5);
    PyObject *scores = RL_PY_ARG(3);
    if (!PyList_Check(scores)) {
        PyErr_SetString(PyExc_TypeError, "expected a list of floats");
        return NULL;
    }
    rl_py_vec m;
    if (rl_py_vec_init(&m, RL_PY_ARG(4)) < 0) return NULL;
    double sstack[RL_STACK];
    double *s = sstack;
    if (PyList_Size(scores) != m.n) {
        PyErr_SetString(PyExc_ValueError, "as many scores as members expected");
        goto fail;
    }
    if (m.n > RL_STACK && (s = (double *)malloc(sizeof(double) * (size_t)m.n)) == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    for (int i = 0; i < m.n; i++) {
        s[i] = PyFloat_AsDouble(PyList_GetItem(scores, i));
        if (s[i] == -1.0 && PyErr_Occurred()) goto fail;
    }
    long long n = 0;
    RL_NOGIL(st, RL_CALL(zadd, key, keylen, m.n, s, m.p, m.len, &n, &err));
    if (s != sstack) free(s);
    rl_py_vec_free(&m);
    return rl_py_count(st, n, err);
fail:
    if (s != sstack) free(s);
    rl_py_vec_free(&m);
    return NULL;
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

#define RL_PY_DEF(name) {"py_" #name, (PyCFunction)(void (*)(void))rl_py_##name, RL_PY_FLAGS, NULL}

static PyMethodDef rl_py_methods[] = {
    RL_PY_DEF(get), RL_PY_DEF(rpop), RL_PY_DEF(hget), RL_PY_DEF(set), RL_PY_DEF(del1), RL_PY_DEF(del),
    RL_PY_DEF(exists1), RL_PY_DEF(exists), RL_PY_DEF(incr), RL_PY_DEF(expire), RL_PY_DEF(hset1),
    RL_PY_DEF(hset), RL_PY_DEF(lpush1), RL_PY_DEF(lpush), RL_PY_DEF(sadd1), RL_PY_DEF(sadd),
    RL_PY_DEF(zadd1), RL_PY_DEF(zadd), RL_PY_DEF(zscore),
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
