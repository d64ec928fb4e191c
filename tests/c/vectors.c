/*
 * The shared test vectors through the C ABI: every file of tests/vectors
 * (redis-server 7.0.15's replies to the differential scripts, see
 * tests/vectors/README.md) replayed through redlite_conn_command and
 * redlite_next_message on a fresh ":memory:" database per file, each reply
 * compared with the recorded one as a typed tree. Built and run by
 * scripts/test-c.sh:
 *
 *   vectors DIR     DIR is tests/vectors
 *
 * It holds a small JSON reader for the vectors' format (objects, arrays,
 * strings with escapes, integers, true/false/null): the generator writes
 * nothing else.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "redlite.h"

/* How long a !send may take to block and a !recv to get its reply: far
 * beyond what any step needs, so a loaded machine is never a failure. */
#define WAIT_MS 30000

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "vectors: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(2);
}

static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) die("out of memory");
    return p;
}

static void *xrealloc(void *p, size_t n) {
    p = realloc(p, n ? n : 1);
    if (!p) die("out of memory");
    return p;
}

/* ------------------------------------------------------------------ */
/* Growable byte buffer                                                */
/* ------------------------------------------------------------------ */

typedef struct {
    char *b;
    size_t n, cap;
} buf;

static void buf_add(buf *o, const void *p, size_t n) {
    if (o->n + n + 1 > o->cap) {
        o->cap = (o->n + n + 1) * 2;
        o->b = xrealloc(o->b, o->cap);
    }
    memcpy(o->b + o->n, p, n);
    o->n += n;
    o->b[o->n] = 0;
}

static void buf_str(buf *o, const char *s) { buf_add(o, s, strlen(s)); }

static void buf_fmt(buf *o, const char *fmt, ...) {
    char tmp[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    buf_add(o, tmp, (size_t)n);
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

enum { J_NULL, J_FALSE, J_TRUE, J_NUM, J_STR, J_ARR, J_OBJ };

typedef struct jv {
    int t;
    long long num;     /* J_NUM */
    char *str;         /* J_STR: NUL-terminated after len */
    size_t len;        /* J_STR */
    size_t count;      /* J_ARR, J_OBJ */
    struct jv *kids;   /* J_ARR, J_OBJ: the values */
    char **keys;       /* J_OBJ: the keys */
} jv;

typedef struct {
    const char *p, *end, *name;
    int line;
} jparser;

static void jfail(jparser *jp, const char *what) { die("%s:%d: bad JSON: %s", jp->name, jp->line, what); }

static void jspace(jparser *jp) {
    while (jp->p < jp->end && (*jp->p == ' ' || *jp->p == '\t' || *jp->p == '\r' || *jp->p == '\n')) {
        if (*jp->p == '\n') jp->line++;
        jp->p++;
    }
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static unsigned jhex4(jparser *jp) {
    if (jp->end - jp->p < 4) jfail(jp, "short \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(jp->p[i]);
        if (h < 0) jfail(jp, "bad \\u escape");
        v = v * 16 + (unsigned)h;
    }
    jp->p += 4;
    return v;
}

static void put_utf8(buf *o, unsigned cp) {
    unsigned char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (unsigned char)cp, n = 1;
    } else if (cp < 0x800) {
        u[0] = (unsigned char)(0xC0 | (cp >> 6)), u[1] = (unsigned char)(0x80 | (cp & 0x3F)), n = 2;
    } else if (cp < 0x10000) {
        u[0] = (unsigned char)(0xE0 | (cp >> 12)), u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp & 0x3F)), n = 3;
    } else {
        u[0] = (unsigned char)(0xF0 | (cp >> 18)), u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (unsigned char)(0x80 | (cp & 0x3F)), n = 4;
    }
    buf_add(o, u, n);
}

static void jstring(jparser *jp, jv *v) {
    buf o = {0};
    buf_add(&o, "", 0);
    jp->p++; /* the opening quote */
    for (;;) {
        if (jp->p >= jp->end) jfail(jp, "unterminated string");
        char c = *jp->p++;
        if (c == '"') break;
        if ((unsigned char)c < 0x20) jfail(jp, "control character in a string");
        if (c != '\\') {
            buf_add(&o, &c, 1);
            continue;
        }
        if (jp->p >= jp->end) jfail(jp, "unterminated escape");
        c = *jp->p++;
        switch (c) {
        case '"': case '\\': case '/': buf_add(&o, &c, 1); break;
        case 'b': buf_add(&o, "\b", 1); break;
        case 'f': buf_add(&o, "\f", 1); break;
        case 'n': buf_add(&o, "\n", 1); break;
        case 'r': buf_add(&o, "\r", 1); break;
        case 't': buf_add(&o, "\t", 1); break;
        case 'u': {
            unsigned cp = jhex4(jp);
            if (cp >= 0xD800 && cp < 0xDC00) {
                if (jp->end - jp->p < 2 || jp->p[0] != '\\' || jp->p[1] != 'u') jfail(jp, "lone surrogate");
                jp->p += 2;
                unsigned lo = jhex4(jp);
                if (lo < 0xDC00 || lo >= 0xE000) jfail(jp, "bad surrogate pair");
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp < 0xE000) {
                jfail(jp, "lone surrogate");
            }
            put_utf8(&o, cp);
            break;
        }
        default: jfail(jp, "unknown escape");
        }
    }
    v->t = J_STR;
    v->str = o.b;
    v->len = o.n;
}

static void jvalue(jparser *jp, jv *v);

static void jaggregate(jparser *jp, jv *v, int obj) {
    size_t cap = 0;
    v->t = obj ? J_OBJ : J_ARR;
    jp->p++;
    jspace(jp);
    if (jp->p < jp->end && *jp->p == (obj ? '}' : ']')) {
        jp->p++;
        return;
    }
    for (;;) {
        if (v->count == cap) {
            cap = cap ? cap * 2 : 4;
            v->kids = xrealloc(v->kids, cap * sizeof *v->kids);
            if (obj) v->keys = xrealloc(v->keys, cap * sizeof *v->keys);
        }
        jspace(jp);
        if (obj) {
            if (jp->p >= jp->end || *jp->p != '"') jfail(jp, "want a key");
            jv k = {0};
            jstring(jp, &k);
            v->keys[v->count] = k.str;
            jspace(jp);
            if (jp->p >= jp->end || *jp->p != ':') jfail(jp, "want ':'");
            jp->p++;
        }
        memset(&v->kids[v->count], 0, sizeof v->kids[0]);
        jvalue(jp, &v->kids[v->count]);
        v->count++;
        jspace(jp);
        if (jp->p >= jp->end) jfail(jp, "unterminated aggregate");
        char c = *jp->p++;
        if (c == ',') continue;
        if (c == (obj ? '}' : ']')) return;
        jfail(jp, "want ',' or the end of the aggregate");
    }
}

static void jvalue(jparser *jp, jv *v) {
    jspace(jp);
    if (jp->p >= jp->end) jfail(jp, "unexpected end");
    char c = *jp->p;
    if (c == '"') {
        jstring(jp, v);
    } else if (c == '[' || c == '{') {
        jaggregate(jp, v, c == '{');
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        char *e;
        errno = 0;
        v->t = J_NUM;
        v->num = strtoll(jp->p, &e, 10);
        if (errno || e == jp->p || *e == '.' || *e == 'e' || *e == 'E') jfail(jp, "not an integer");
        jp->p = e;
    } else if (jp->end - jp->p >= 4 && !memcmp(jp->p, "true", 4)) {
        v->t = J_TRUE, jp->p += 4;
    } else if (jp->end - jp->p >= 5 && !memcmp(jp->p, "false", 5)) {
        v->t = J_FALSE, jp->p += 5;
    } else if (jp->end - jp->p >= 4 && !memcmp(jp->p, "null", 4)) {
        v->t = J_NULL, jp->p += 4;
    } else {
        jfail(jp, "unexpected character");
    }
}

static void jfree(jv *v) {
    if (v->t == J_STR) free(v->str);
    for (size_t i = 0; i < v->count; i++) {
        jfree(&v->kids[i]);
        if (v->t == J_OBJ) free(v->keys[i]);
    }
    free(v->kids);
    free(v->keys);
}

/* The value of key in object o, or NULL. */
static const jv *jget(const jv *o, const char *key) {
    if (!o || o->t != J_OBJ) return NULL;
    for (size_t i = 0; i < o->count; i++)
        if (!strcmp(o->keys[i], key)) return &o->kids[i];
    return NULL;
}

static const char *jstr(const jv *o, const char *key) {
    const jv *v = jget(o, key);
    return v && v->t == J_STR ? v->str : "";
}

static long long jnum(const jv *o, const char *key) {
    const jv *v = jget(o, key);
    return v && v->t == J_NUM ? v->num : 0;
}

/* ------------------------------------------------------------------ */
/* Binary strings: "text" or {"b64": "..."}                            */
/* ------------------------------------------------------------------ */

static int b64val(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

static void b64decode(const char *s, size_t n, buf *o) {
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n && s[i] != '='; i++) {
        int v = b64val(s[i]);
        if (v < 0) die("bad base64 %s", s);
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            char c = (char)((acc >> bits) & 0xFF);
            buf_add(o, &c, 1);
        }
    }
}

/* A string value of the vectors: a JSON string, or {"b64": ...}. */
static void jbytes(const jv *v, buf *o) {
    buf_add(o, "", 0);
    if (v->t == J_STR) {
        buf_add(o, v->str, v->len);
        return;
    }
    const jv *b = jget(v, "b64");
    if (!b || b->t != J_STR) die("a string is neither text nor b64");
    b64decode(b->str, b->len, o);
}

/* ------------------------------------------------------------------ */
/* Reply trees                                                         */
/* ------------------------------------------------------------------ */

typedef struct rtree {
    char kind[16];
    char *str; /* status, error, bulk, double, bignum, verbatim */
    size_t len;
    long long num; /* int; bool (0/1) */
    char format[4];
    size_t count;
    struct rtree *elems;
} rtree;

static int is_aggregate(const char *k) {
    return !strcmp(k, "array") || !strcmp(k, "map") || !strcmp(k, "set") || !strcmp(k, "push");
}

static void rfree(rtree *r) {
    free(r->str);
    for (size_t i = 0; i < r->count; i++) rfree(&r->elems[i]);
    free(r->elems);
}

/* A recorded reply. The C ABI has one null type (hiredis'): "nil-array"
 * (RESP2's *-1) is read as "nil". */
static void from_json(const jv *j, rtree *r) {
    memset(r, 0, sizeof *r);
    const char *kind = jstr(j, "kind");
    if (!strcmp(kind, "nil-array")) kind = "nil";
    snprintf(r->kind, sizeof r->kind, "%s", kind);
    if (!strcmp(kind, "int")) {
        r->num = jnum(j, "int");
    } else if (!strcmp(kind, "bool")) {
        const jv *b = jget(j, "bool");
        r->num = b && b->t == J_TRUE;
    } else if (is_aggregate(kind)) {
        const jv *e = jget(j, "elems");
        r->count = e ? e->count : 0;
        r->elems = xmalloc(r->count * sizeof *r->elems);
        for (size_t i = 0; i < r->count; i++) from_json(&e->kids[i], &r->elems[i]);
    } else if (strcmp(kind, "nil")) {
        buf o = {0};
        const jv *s = jget(j, "str");
        if (s && s->t == J_STR) {
            jbytes(s, &o);
        } else {
            const jv *b = jget(j, "b64");
            buf_add(&o, "", 0);
            if (b && b->t == J_STR) b64decode(b->str, b->len, &o);
        }
        r->str = o.b, r->len = o.n;
        snprintf(r->format, sizeof r->format, "%s", jstr(j, "format"));
    }
}

static const char *kind_of(int type) {
    switch (type) {
    case REDLITE_REPLY_STRING: return "bulk";
    case REDLITE_REPLY_ARRAY: return "array";
    case REDLITE_REPLY_INTEGER: return "int";
    case REDLITE_REPLY_NIL: return "nil";
    case REDLITE_REPLY_STATUS: return "status";
    case REDLITE_REPLY_ERROR: return "error";
    case REDLITE_REPLY_DOUBLE: return "double";
    case REDLITE_REPLY_BOOL: return "bool";
    case REDLITE_REPLY_MAP: return "map";
    case REDLITE_REPLY_SET: return "set";
    case REDLITE_REPLY_PUSH: return "push";
    case REDLITE_REPLY_BIGNUM: return "bignum";
    case REDLITE_REPLY_VERB: return "verbatim";
    }
    return NULL;
}

/* A reply of the library as a tree; an unknown type is "unknown-N". */
static void from_reply(const redlite_reply *x, rtree *r) {
    memset(r, 0, sizeof *r);
    const char *kind = kind_of(x->type);
    if (kind)
        snprintf(r->kind, sizeof r->kind, "%s", kind);
    else
        snprintf(r->kind, sizeof r->kind, "unknown-%d", x->type);
    switch (x->type) {
    case REDLITE_REPLY_INTEGER:
    case REDLITE_REPLY_BOOL: r->num = x->integer; break;
    case REDLITE_REPLY_ARRAY:
    case REDLITE_REPLY_MAP:
    case REDLITE_REPLY_SET:
    case REDLITE_REPLY_PUSH:
        r->count = x->elements;
        r->elems = xmalloc(r->count * sizeof *r->elems);
        for (size_t i = 0; i < r->count; i++) from_reply(x->element[i], &r->elems[i]);
        break;
    case REDLITE_REPLY_NIL: break;
    default:
        r->str = xmalloc(x->len + 1);
        memcpy(r->str, x->str, x->len);
        r->str[x->len] = 0;
        r->len = x->len;
        if (x->type == REDLITE_REPLY_VERB) snprintf(r->format, sizeof r->format, "%s", x->vtype);
    }
}

/* The text of a tree: kind, then its fields, strings quoted with \xHH for
 * anything not printable. Trees are equal when their texts are. */
static void rtext(const rtree *r, buf *o) {
    buf_str(o, r->kind);
    if (!strcmp(r->kind, "int") || !strcmp(r->kind, "bool")) {
        buf_fmt(o, " %lld", r->num);
    } else if (is_aggregate(r->kind)) {
        buf_fmt(o, "[%zu]{", r->count);
        for (size_t i = 0; i < r->count; i++) {
            if (i) buf_str(o, ", ");
            rtext(&r->elems[i], o);
        }
        buf_str(o, "}");
    } else if (r->str) {
        if (r->format[0]) buf_fmt(o, " %s", r->format);
        buf_str(o, " \"");
        for (size_t i = 0; i < r->len; i++) {
            unsigned char c = (unsigned char)r->str[i];
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
                buf_fmt(o, "\\x%02x", c);
            else
                buf_add(o, &c, 1);
        }
        buf_str(o, "\"");
    }
}

typedef struct {
    char *key;
    size_t first, n;
} item;

static int item_cmp(const void *a, const void *b) {
    return strcmp(((const item *)a)->key, ((const item *)b)->key);
}

/* Canonical reorders r in place: aggregates as multisets at every level,
 * the top level by pairs when pairs (a map's always). */
static void canonical(rtree *r, int pairs) {
    if (!is_aggregate(r->kind)) return;
    size_t step = pairs || !strcmp(r->kind, "map") ? 2 : 1;
    size_t n = r->count / step;
    item *items = xmalloc(n * sizeof *items);
    for (size_t i = 0; i < n; i++) {
        buf k = {0};
        buf_add(&k, "", 0);
        for (size_t j = 0; j < step; j++) {
            canonical(&r->elems[i * step + j], 0);
            rtext(&r->elems[i * step + j], &k);
            buf_add(&k, "\x01", 1);
        }
        items[i] = (item){k.b, i * step, step};
    }
    qsort(items, n, sizeof *items, item_cmp);
    rtree *out = xmalloc(r->count * sizeof *out);
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < step; j++) out[w++] = r->elems[items[i].first + j];
        free(items[i].key);
    }
    for (; w < r->count; w++) out[w] = r->elems[w]; /* an odd element left over stays last */
    free(items);
    free(r->elems);
    r->elems = out;
}

/* The shape !type compares: kind, length of an aggregate, an error's code. */
static void shape_text(const char *kind, long long len, int has_len, const char *code, size_t codelen, buf *o) {
    buf_str(o, kind);
    if (has_len) buf_fmt(o, "[%lld]", len);
    if (codelen) {
        buf_str(o, " ");
        buf_add(o, code, codelen);
    }
}

static void shape_of(const rtree *r, buf *o) {
    size_t codelen = 0;
    if (!strcmp(r->kind, "error")) {
        const char *sp = memchr(r->str, ' ', r->len);
        codelen = sp ? (size_t)(sp - r->str) : r->len;
    }
    shape_text(r->kind, (long long)r->count, is_aggregate(r->kind), r->str, codelen, o);
}

/* ------------------------------------------------------------------ */
/* Exclusions (tests/vectors/EXCLUDED)                                 */
/* ------------------------------------------------------------------ */

typedef struct {
    char file[128];
    int line;
    char reason[512];
} exclusion;

static exclusion *excl;
static size_t nexcl;

static void read_exclusions(const char *dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s/EXCLUDED", dir);
    FILE *f = fopen(path, "r");
    if (!f) die("%s: %s", path, strerror(errno));
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#') continue;
        exclusion e = {0};
        int off = 0;
        if (sscanf(line, "%127s %d %n", e.file, &e.line, &off) < 2 || !line[off]) die("%s: bad line %s", path, line);
        snprintf(e.reason, sizeof e.reason, "%s", line + off);
        excl = xrealloc(excl, (nexcl + 1) * sizeof *excl);
        excl[nexcl++] = e;
    }
    fclose(f);
}

static const char *excluded(const char *file, int line) {
    for (size_t i = 0; i < nexcl; i++)
        if (excl[i].line == line && !strcmp(excl[i].file, file)) return excl[i].reason;
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Replay                                                              */
/* ------------------------------------------------------------------ */

/* A !send in flight: its thread runs the command on the conn. */
typedef struct {
    pthread_t th;
    redlite_conn *conn;
    int argc;
    char **argv;
    size_t *lens;
    redlite_reply *reply;
    int status;
    pthread_mutex_t mu;
    int done;
} pending;

typedef struct {
    char name[32];
    redlite_conn *conn;
    pending *sent;
} conn_slot;

static int failures, compared, excluded_n;

static void *send_thread(void *arg) {
    pending *p = arg;
    redlite_reply *r = NULL;
    int st = redlite_conn_command(p->conn, p->argc, (const char *const *)p->argv, p->lens, &r);
    pthread_mutex_lock(&p->mu);
    p->reply = r, p->status = st, p->done = 1;
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static int pending_done(pending *p) {
    pthread_mutex_lock(&p->mu);
    int d = p->done;
    pthread_mutex_unlock(&p->mu);
    return d;
}

static void free_argv(int argc, char **argv, size_t *lens) {
    for (int i = 0; i < argc; i++) free(argv[i]);
    free(argv);
    free(lens);
}

static void argv_of(const jv *step, int *argc, char ***argv, size_t **lens) {
    const jv *a = jget(step, "argv");
    if (!a || a->t != J_ARR || !a->count) die("a step without argv");
    *argc = (int)a->count;
    *argv = xmalloc(a->count * sizeof **argv);
    *lens = xmalloc(a->count * sizeof **lens);
    for (size_t i = 0; i < a->count; i++) {
        buf o = {0};
        jbytes(&a->kids[i], &o);
        (*argv)[i] = o.b, (*lens)[i] = o.n;
    }
}

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts) && errno == EINTR) {
    }
}

/* INFO clients' blocked_clients, asked on the db handle. */
static int blocked_clients(redlite_db *db) {
    const char *argv[] = {"INFO", "clients"};
    redlite_reply *r = NULL;
    if (redlite_command(db, 2, argv, NULL, &r) != REDLITE_OK || r->type != REDLITE_REPLY_STRING) die("INFO clients failed");
    const char *p = strstr(r->str, "blocked_clients:");
    if (!p) die("no blocked_clients in INFO clients");
    int n = atoi(p + strlen("blocked_clients:"));
    redlite_reply_free(r);
    return n;
}

static int command_exists(redlite_db *db, const char *name) {
    const char *argv[] = {"COMMAND", "INFO", name};
    redlite_reply *r = NULL;
    if (redlite_command(db, 3, argv, NULL, &r) != REDLITE_OK) die("COMMAND INFO failed");
    int ok = r->type == REDLITE_REPLY_ARRAY && r->elements == 1 && r->element[0]->type != REDLITE_REPLY_NIL;
    redlite_reply_free(r);
    return ok;
}

static conn_slot *get_conn(redlite_db *db, conn_slot *slots, size_t *n, const char *name) {
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(slots[i].name, name)) return &slots[i];
    if (*n == 64) die("too many connections");
    conn_slot *s = &slots[(*n)++];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    if (redlite_conn_open(db, &s->conn) != REDLITE_OK) die("redlite_conn_open failed");
    return s;
}

static int compare_step(const char *where, const jv *step, const char *cmp, redlite_reply *x) {
    rtree got;
    from_reply(x, &got);
    buf w = {0}, g = {0};
    int ok;
    if (!strcmp(cmp, "type")) {
        const jv *sh = jget(step, "shape");
        const jv *len = jget(sh, "len");
        const char *code = jstr(sh, "code");
        shape_text(jstr(sh, "kind"), len ? len->num : 0, len != NULL, code, strlen(code), &w);
        shape_of(&got, &g);
    } else {
        rtree want;
        const jv *rep = jget(step, "reply");
        if (!rep) die("%s: no reply recorded", where);
        from_json(rep, &want);
        if (!strcmp(cmp, "sort") || !strcmp(cmp, "sortpairs")) {
            canonical(&want, !strcmp(cmp, "sortpairs"));
            canonical(&got, !strcmp(cmp, "sortpairs"));
        }
        rtext(&want, &w);
        rtext(&got, &g);
        rfree(&want);
    }
    ok = w.n == g.n && !memcmp(w.b, g.b, w.n);
    if (!ok) fprintf(stderr, "FAIL %s\n  want: %s\n  got:  %s\n", where, w.b, g.b);
    free(w.b);
    free(g.b);
    rfree(&got);
    return ok;
}

static void replay_file(const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "rb");
    if (!fp) die("%s: %s", path, strerror(errno));
    buf data = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) buf_add(&data, chunk, n);
    fclose(fp);
    jparser jp = {data.b, data.b + data.n, name, 1};
    jv root = {0};
    jvalue(&jp, &root);
    free(data.b);
    const jv *steps = jget(&root, "steps");
    if (!steps || steps->t != J_ARR) die("%s: no steps", name);

    redlite_db *db;
    char *err = NULL;
    if (redlite_open(":memory:", NULL, &db, &err) != REDLITE_OK) die("open: %s", err ? err : "?");

    const jv *req = jget(&root, "requires");
    for (size_t i = 0; req && i < req->count; i++) {
        if (!command_exists(db, req->kids[i].str)) {
            int k = 0;
            for (size_t s = 0; s < steps->count; s++) {
                const char *c = jstr(&steps->kids[s], "compare");
                if (*c && strcmp(c, "none")) k++;
            }
            printf("vectors: %s: %d steps excluded: needs %s, which is not implemented\n", name, k, req->kids[i].str);
            excluded_n += k;
            redlite_close(db);
            jfree(&root);
            return;
        }
    }

    conn_slot slots[64];
    size_t nslots = 0;
    for (size_t i = 0; i < steps->count; i++) {
        const jv *step = &steps->kids[i];
        const char *op = jstr(step, "op");
        int line = (int)jnum(step, "line");
        char where[256];
        snprintf(where, sizeof where, "%s line %d", name, line);
        if (!strcmp(op, "sleep")) {
            sleep_ms(jnum(step, "ms"));
            continue;
        }
        conn_slot *c = get_conn(db, slots, &nslots, jstr(step, "conn"));
        if (!strcmp(op, "send")) {
            if (c->sent) die("%s: a second send before recv", where);
            pending *p = xmalloc(sizeof *p);
            memset(p, 0, sizeof *p);
            pthread_mutex_init(&p->mu, NULL);
            p->conn = c->conn;
            argv_of(step, &p->argc, &p->argv, &p->lens);
            int before = blocked_clients(db);
            if (pthread_create(&p->th, NULL, send_thread, p)) die("pthread_create failed");
            c->sent = p;
            /* Wait until it answered or blocked, as the generator did. */
            long long deadline = now_ms() + WAIT_MS;
            while (!pending_done(p) && blocked_clients(db) <= before) {
                if (now_ms() > deadline) die("%s: the sent command neither answered nor blocked", where);
                sleep_ms(2);
            }
            continue;
        }
        redlite_reply *r = NULL;
        if (!strcmp(op, "recv")) {
            if (c->sent) {
                pending *p = c->sent;
                pthread_join(p->th, NULL);
                r = p->reply;
                if (!r) die("%s: the sent command failed: %s", where, redlite_errstr(p->status));
                free_argv(p->argc, p->argv, p->lens);
                pthread_mutex_destroy(&p->mu);
                free(p);
                c->sent = NULL;
            } else {
                int st = redlite_next_message(c->conn, WAIT_MS, &r);
                if (st != REDLITE_OK) {
                    fprintf(stderr, "FAIL %s: no message: %s\n", where, redlite_errstr(st));
                    failures++;
                    continue;
                }
            }
        } else if (!strcmp(op, "command")) {
            int argc;
            char **argv;
            size_t *lens;
            argv_of(step, &argc, &argv, &lens);
            redlite_conn_command(c->conn, argc, (const char *const *)argv, lens, &r);
            free_argv(argc, argv, lens);
            if (!r) die("%s: the command could not run", where);
        } else {
            die("%s: unknown op %s", where, op);
        }
        const char *cmp = jstr(step, "compare");
        const char *why = excluded(name, line);
        if (!strcmp(cmp, "none")) {
        } else if (why) {
            printf("vectors: %s excluded: %s\n", where, why);
            excluded_n++;
        } else {
            compared++;
            if (!compare_step(where, step, cmp, r)) failures++;
        }
        redlite_reply_free(r);
    }
    /* Closing the db ends the wait of a blocked command nothing read. */
    redlite_close(db);
    for (size_t i = 0; i < nslots; i++) {
        pending *p = slots[i].sent;
        if (!p) continue;
        pthread_join(p->th, NULL);
        redlite_reply_free(p->reply);
        free_argv(p->argc, p->argv, p->lens);
        pthread_mutex_destroy(&p->mu);
        free(p);
    }
    jfree(&root);
}

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv) {
    if (argc != 2) die("usage: vectors DIR");
    const char *dir = argv[1];
    read_exclusions(dir);
    DIR *d = opendir(dir);
    if (!d) die("%s: %s", dir, strerror(errno));
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l > 5 && !strcmp(e->d_name + l - 5, ".json")) {
            names = xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = strdup(e->d_name);
        }
    }
    closedir(d);
    if (!n) die("no vectors in %s", dir);
    qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n; i++) {
        replay_file(dir, names[i]);
        free(names[i]);
    }
    free(names);
    free(excl);
    printf("vectors (C, redlite_conn_command): %zu files, %d replies compared, %d excluded, %d failed\n", n, compared,
           excluded_n, failures);
    return failures ? 1 : 0;
}
