/*
 * Converting between JS values and redlite's arguments and replies. Runs on
 * the JS thread only.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rn.h"

static int grow_buf(rn_env *e, size_t need) {
    if (need <= e->bufcap) return 1;
    size_t cap = e->bufcap ? e->bufcap : 4096;
    while (cap < need) cap *= 2;
    char *p = realloc(e->buf, cap);
    if (p == NULL) return 0;
    e->buf = p;
    e->bufcap = cap;
    return 1;
}

static int grow_args(rn_env *e, int n) {
    if (n <= e->argcap) return 1;
    int cap = e->argcap ? e->argcap : 16;
    while (cap < n) cap *= 2;
    char **a = realloc(e->argv, (size_t)cap * sizeof *a);
    if (a == NULL) return 0;
    e->argv = a;
    size_t *l = realloc(e->argvlen, (size_t)cap * sizeof *l);
    if (l == NULL) return 0;
    e->argvlen = l;
    napi_value *v = realloc(e->vals, (size_t)cap * sizeof *v);
    if (v == NULL) return 0;
    e->vals = v;
    e->argcap = cap;
    return 1;
}

/* Append the bytes of one JS value to the scratch buffer at *off. Strings
 * are UTF-8, Buffers and typed arrays their bytes, integral numbers their
 * decimal text; anything else goes through String(value) like ioredis
 * (null and undefined become ""). Returns 0 and throws on failure. */
static int append_value(napi_env env, rn_env *e, napi_value v, size_t *off, size_t *len) {
    /* Strings, the usual argument, first: napi_get_value_string_utf8 tells
     * a non-string apart itself (napi_string_expected, nothing thrown), so
     * they skip the napi_typeof call. */
    size_t room = e->bufcap - *off, n = 0;
    if (room >= 64) {
        napi_status st = napi_get_value_string_utf8(env, v, e->buf + *off, room, &n);
        if (st == napi_ok && n + 4 < room) {
            *len = n;
            *off += n;
            return 1;
        }
        if (st != napi_ok && st != napi_string_expected) return 0;
    }
    napi_valuetype t;
    if (napi_typeof(env, v, &t) != napi_ok) return 0;
    if (t == napi_number) {
        double d;
        napi_get_value_double(env, v, &d);
        if (d == (double)(int64_t)d && fabs(d) < 9007199254740992.0) {
            if (!grow_buf(e, *off + 24)) goto nomem;
            int n = snprintf(e->buf + *off, 24, "%" PRId64, (int64_t)d);
            *len = (size_t)n;
            *off += *len;
            return 1;
        }
        /* Other numbers (1.5, Infinity, NaN...): JS's own text. */
        if (napi_coerce_to_string(env, v, &v) != napi_ok) return 0;
        t = napi_string;
    }
    if (t == napi_undefined || t == napi_null) {
        *len = 0;
        return 1;
    }
    if (t == napi_object) {
        bool isbuf = false;
        napi_is_buffer(env, v, &isbuf);
        void *data = NULL;
        size_t n = 0;
        if (isbuf) {
            napi_get_buffer_info(env, v, &data, &n);
        } else {
            bool isarr = false;
            napi_is_typedarray(env, v, &isarr);
            if (isarr) {
                napi_typedarray_type tt;
                size_t count, boff;
                napi_value ab;
                napi_get_typedarray_info(env, v, &tt, &count, &data, &ab, &boff);
                size_t el = 1;
                switch (tt) {
                case napi_int16_array: case napi_uint16_array: el = 2; break;
                case napi_int32_array: case napi_uint32_array: case napi_float32_array: el = 4; break;
                case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: el = 8; break;
                default: el = 1;
                }
                n = count * el;
            } else {
                if (napi_coerce_to_string(env, v, &v) != napi_ok) return 0;
                t = napi_string;
                goto str;
            }
        }
        if (!grow_buf(e, *off + n + 1)) goto nomem;
        if (n) memcpy(e->buf + *off, data, n);
        *len = n;
        *off += n;
        return 1;
    }
    if (t != napi_string) {
        if (napi_coerce_to_string(env, v, &v) != napi_ok) return 0;
    }
str:;
    /* Try the room left first; ask for the exact length only when the
     * string may not have fit: napi writes at most room-1 bytes and a NUL,
     * and stops before a character (up to 4 bytes) that would not fit. */
    room = e->bufcap - *off;
    n = 0;
    if (room < 64) {
        if (!grow_buf(e, *off + 64)) goto nomem;
        room = e->bufcap - *off;
    }
    if (napi_get_value_string_utf8(env, v, e->buf + *off, room, &n) != napi_ok) return 0;
    if (n + 4 >= room) {
        if (napi_get_value_string_utf8(env, v, NULL, 0, &n) != napi_ok) return 0;
        if (!grow_buf(e, *off + n + 1)) goto nomem;
        napi_get_value_string_utf8(env, v, e->buf + *off, n + 1, &n);
    }
    *len = n;
    *off += n;
    return 1;
nomem:
    napi_throw_error(env, NULL, "redlite: out of memory converting arguments");
    return 0;
}

/* Convert n JS values into e->argv / e->argvlen (pointing into e->buf).
 * Returns 0 with a pending exception on failure. */
int rn_args_from_js(napi_env env, rn_env *e, napi_value *vals, int n) {
    if (!grow_args(e, n)) {
        napi_throw_error(env, NULL, "redlite: out of memory converting arguments");
        return 0;
    }
    size_t off = 0;
    for (int i = 0; i < n; i++) {
        /* Offsets first: the buffer may move while it grows. */
        if (!append_value(env, e, vals[i], &off, &e->argvlen[i])) return 0;
    }
    off = 0;
    for (int i = 0; i < n; i++) {
        e->argv[i] = e->buf + off;
        off += e->argvlen[i];
    }
    return 1;
}

/* A request holding a copy of the converted arguments, all in one
 * allocation (freed with the request). */
rn_req *rn_req_from_scratch(rn_env *e, int op, int flags, int argc) {
    size_t bytes = 0;
    for (int i = 0; i < argc; i++) bytes += e->argvlen[i];
    size_t head = sizeof(rn_req);
    head = (head + 15) & ~(size_t)15;
    size_t ptrs = (size_t)argc * (sizeof(char *) + sizeof(size_t));
    rn_req *r = malloc(head + ptrs + bytes + 1);
    if (r == NULL) return NULL;
    memset(r, 0, sizeof *r);
    r->op = op;
    r->flags = flags;
    r->argc = argc;
    r->argv = (char **)((char *)r + head);
    r->argvlen = (size_t *)(r->argv + argc);
    char *p = (char *)(r->argvlen + argc);
    if (argc) memcpy(p, e->argv[0], bytes); /* the scratch bytes are contiguous */
    for (int i = 0; i < argc; i++) {
        r->argv[i] = p;
        r->argvlen[i] = e->argvlen[i];
        p += e->argvlen[i];
    }
    return r;
}

static napi_value str_value(napi_env env, const char *s, size_t n, int buffers) {
    napi_value v = NULL;
    if (buffers)
        napi_create_buffer_copy(env, n, s, NULL, &v);
    else
        napi_create_string_utf8(env, s ? s : "", n, &v);
    return v;
}

/* A string of a result: str_value, or a latin1 string for a short Buffer
 * when the caller asked for one (RF_LATIN1, see rn.h). */
napi_value rn_str_result(napi_env env, const char *s, size_t n, int flags) {
    if ((flags & (RF_BUFFER | RF_LATIN1)) == (RF_BUFFER | RF_LATIN1) && n < RN_LATIN1_MAX) {
        napi_value v = NULL;
        napi_create_string_latin1(env, s ? s : "", n, &v);
        return v;
    }
    return str_value(env, s, n, flags & RF_BUFFER);
}

static napi_value new_error(napi_env env, napi_ref ctor_ref, const char *msg, size_t len) {
    napi_value ctor, m, err = NULL;
    napi_get_reference_value(env, ctor_ref, &ctor);
    napi_create_string_utf8(env, msg, len, &m);
    napi_new_instance(env, ctor, 1, &m, &err);
    return err;
}

static const char *status_code(int status) {
    switch (status) {
    case REDLITE_ERR: return "ERR";
    case REDLITE_WRONGTYPE: return "WRONGTYPE";
    case REDLITE_BADARG: return "BADARG";
    case REDLITE_CLOSED: return "CLOSED";
    case REDLITE_BUSY: return "BUSY";
    case REDLITE_IOERR: return "IOERR";
    case REDLITE_NOMEM: return "NOMEM";
    case REDLITE_FORKED: return "FORKED";
    case REDLITE_TIMEOUT: return "TIMEOUT";
    }
    return "UNKNOWN";
}

/* A RedliteError for a failure that is not a command's error reply
 * (opening a file, ...): msg (or the status description) and a code
 * naming the status (IOERR, BUSY, BADARG...). */
napi_value rn_plain_error(napi_env env, rn_env *e, int status, const char *msg) {
    if (status == REDLITE_CLOSED) return rn_make_error(env, e, status, NULL, 0);
    char buf[512];
    int n;
    if (msg) {
        /* The library's messages read like replies ("ERR redlite: ..."). */
        if (strncmp(msg, "ERR ", 4) == 0) msg += 4;
        n = snprintf(buf, sizeof buf, "%s", msg);
    } else {
        n = snprintf(buf, sizeof buf, "redlite: %s", redlite_errstr(status));
    }
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof buf) n = sizeof buf - 1;
    napi_value err = new_error(env, e->redlite_error, buf, (size_t)n), code;
    napi_create_string_utf8(env, status_code(status), NAPI_AUTO_LENGTH, &code);
    if (err) napi_set_named_property(env, err, "code", code);
    return err;
}

/* The error for a failed call: ReplyError for Redis error replies (its code
 * is the first word), ClosedError for closed handles, RedliteError with the
 * status description for the rest. */
napi_value rn_make_error(napi_env env, rn_env *e, int status, const char *msg, size_t len) {
    if (status == REDLITE_CLOSED)
        return new_error(env, e->closed_error, "redlite: the database is closed", 31);
    if (msg) return new_error(env, e->reply_error, msg, len);
    return rn_plain_error(env, e, status, NULL);
}

napi_value rn_status_error(napi_env env, rn_env *e, int status, const redlite_reply *reply, const char *errmsg) {
    if (reply && reply->type == REDLITE_REPLY_ERROR && status != REDLITE_CLOSED)
        return rn_make_error(env, e, status, reply->str, reply->len);
    /* Typed calls: the command's own errors are replies; the rest (bad
     * arguments, storage) are not. */
    if (errmsg && (status == REDLITE_ERR || status == REDLITE_WRONGTYPE)) return rn_make_error(env, e, status, errmsg, strlen(errmsg));
    if (status != REDLITE_CLOSED) return rn_plain_error(env, e, status, errmsg);
    return rn_make_error(env, e, status, NULL, 0);
}

/* flags: RF_BUFFER, RF_LATIN1 (strings of the whole tree). */
napi_value rn_reply_to_js(napi_env env, const redlite_reply *r, int flags) {
    napi_value v = NULL;
    switch (r->type) {
    case REDLITE_REPLY_STRING:
    case REDLITE_REPLY_STATUS:
    case REDLITE_REPLY_DOUBLE:
    case REDLITE_REPLY_BIGNUM:
    case REDLITE_REPLY_VERB:
        return rn_str_result(env, r->str, r->len, flags);
    case REDLITE_REPLY_INTEGER:
        napi_create_int64(env, r->integer, &v);
        return v;
    case REDLITE_REPLY_BOOL:
        napi_get_boolean(env, r->integer != 0, &v);
        return v;
    case REDLITE_REPLY_NIL:
        napi_get_null(env, &v);
        return v;
    case REDLITE_REPLY_ERROR: {
        /* An error inside an array (EXEC results): a ReplyError value. */
        rn_env *e = NULL;
        napi_get_instance_data(env, (void **)&e);
        return rn_make_error(env, e, REDLITE_ERR, r->str, r->len);
    }
    default: /* ARRAY, MAP, SET, PUSH */
        napi_create_array_with_length(env, r->elements, &v);
        for (size_t i = 0; i < r->elements; i++)
            napi_set_element(env, v, (uint32_t)i, rn_reply_to_js(env, r->element[i], flags));
        return v;
    }
}

static void set_str(napi_env env, napi_value obj, const char *key, const char *s, size_t n) {
    napi_value v;
    napi_create_string_utf8(env, s, n, &v);
    napi_set_named_property(env, obj, key, v);
}

/* A reply as a typed tree, the shape of tests/vectors' replies: {kind,
 * str (a Buffer), int (a BigInt), bool, format, elems} with the fields of
 * its kind. For the vectors' runner (RF_RAW, connNextMessage): unlike
 * rn_reply_to_js it keeps status apart from bulk, the text of doubles, and
 * error replies as values. */
napi_value rn_reply_tree(napi_env env, const redlite_reply *r) {
    static const char *kinds[] = {
        [REDLITE_REPLY_STRING] = "bulk", [REDLITE_REPLY_ARRAY] = "array", [REDLITE_REPLY_INTEGER] = "int",
        [REDLITE_REPLY_NIL] = "nil", [REDLITE_REPLY_STATUS] = "status", [REDLITE_REPLY_ERROR] = "error",
        [REDLITE_REPLY_DOUBLE] = "double", [REDLITE_REPLY_BOOL] = "bool", [REDLITE_REPLY_MAP] = "map",
        [REDLITE_REPLY_SET] = "set", [REDLITE_REPLY_PUSH] = "push", [REDLITE_REPLY_BIGNUM] = "bignum",
        [REDLITE_REPLY_VERB] = "verbatim",
    };
    napi_value obj, v;
    napi_create_object(env, &obj);
    const char *kind = NULL;
    if (r->type >= 0 && (size_t)r->type < sizeof kinds / sizeof kinds[0]) kind = kinds[r->type];
    if (kind == NULL) {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "unknown-%d", r->type);
        set_str(env, obj, "kind", buf, (size_t)n);
        return obj;
    }
    set_str(env, obj, "kind", kind, NAPI_AUTO_LENGTH);
    switch (r->type) {
    case REDLITE_REPLY_INTEGER:
        napi_create_bigint_int64(env, r->integer, &v);
        napi_set_named_property(env, obj, "int", v);
        break;
    case REDLITE_REPLY_BOOL:
        napi_get_boolean(env, r->integer != 0, &v);
        napi_set_named_property(env, obj, "bool", v);
        break;
    case REDLITE_REPLY_NIL:
        break;
    case REDLITE_REPLY_ARRAY:
    case REDLITE_REPLY_MAP:
    case REDLITE_REPLY_SET:
    case REDLITE_REPLY_PUSH:
        napi_create_array_with_length(env, r->elements, &v);
        for (size_t i = 0; i < r->elements; i++) napi_set_element(env, v, (uint32_t)i, rn_reply_tree(env, r->element[i]));
        napi_set_named_property(env, obj, "elems", v);
        break;
    default:
        napi_create_buffer_copy(env, r->len, r->len ? r->str : "", NULL, &v);
        napi_set_named_property(env, obj, "str", v);
        if (r->type == REDLITE_REPLY_VERB) set_str(env, obj, "format", r->vtype, NAPI_AUTO_LENGTH);
    }
    return obj;
}

/* The value a finished request resolves with (*ok = 1) or the error it is
 * rejected with (*ok = 0). */
napi_value rn_settle_value(napi_env env, rn_env *e, rn_req *r, int *ok) {
    napi_value v = NULL;
    *ok = 1;
    switch (r->op) {
    case OP_CMD:
        if ((r->flags & RF_RAW) && r->reply) return rn_reply_tree(env, r->reply);
        if (r->status == REDLITE_OK && r->reply) return rn_reply_to_js(env, r->reply, r->flags & (RF_BUFFER | RF_LATIN1));
        break;
    case OP_NEXT_MESSAGE:
        if (r->status == REDLITE_OK && r->reply) return rn_reply_tree(env, r->reply);
        if (r->status == REDLITE_TIMEOUT) {
            napi_get_null(env, &v);
            return v;
        }
        break;
    case OP_GET:
        if (r->status == REDLITE_OK) return rn_str_result(env, r->val, r->vallen, r->flags);
        if (r->status == REDLITE_NIL) {
            napi_get_null(env, &v);
            return v;
        }
        break;
    case OP_SET:
        if (r->status == REDLITE_OK) return rn_str_result(env, "OK", 2, r->flags);
        if (r->status == REDLITE_NIL) {
            napi_get_null(env, &v);
            return v;
        }
        break;
    default:
        /* Closing a conn that its db's close already closed is done. */
        if (r->status == REDLITE_OK || (r->op == OP_CONN_CLOSE && r->status == REDLITE_CLOSED)) {
            napi_get_undefined(env, &v);
            return v;
        }
    }
    *ok = 0;
    return rn_status_error(env, e, r->status, r->reply, r->err);
}

void rn_throw(napi_env env, napi_value err) {
    if (err) napi_throw(env, err);
}
