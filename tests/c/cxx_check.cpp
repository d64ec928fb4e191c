// C++ compile check: the header must build warning-free as C++ (extern "C",
// no C-only constructs) and link against the library.
#include "redlite.h"

#include <cstdio>
#include <cstring>
#include <string>

int main() {
    redlite_options opts;
    redlite_options_init(&opts);
    redlite_db *db = nullptr;
    char *err = nullptr;
    if (redlite_open(":memory:", &opts, &db, &err) != REDLITE_OK) {
        std::fprintf(stderr, "open: %s\n", err ? err : redlite_errstr(REDLITE_ERR));
        redlite_free(err);
        return 1;
    }
    const std::string key = "k", val("v\0w", 3);
    int rc = redlite_set(db, key.data(), key.size(), val.data(), val.size(), 0, 0, nullptr);
    char *out = nullptr;
    size_t len = 0;
    rc |= redlite_get(db, key.data(), key.size(), &out, &len, nullptr);
    const bool same = len == val.size() && std::memcmp(out, val.data(), len) == 0;
    redlite_free(out);
    const char *argv[] = {"PING"};
    redlite_reply *reply = nullptr;
    rc |= redlite_command(db, 1, argv, nullptr, &reply);
    const bool pong = reply != nullptr && reply->type == REDLITE_REPLY_STATUS && std::string(reply->str, reply->len) == "PONG";
    redlite_reply_free(reply);
    rc |= redlite_close(db);
    if (rc != REDLITE_OK || !same || !pong || std::strcmp(redlite_version(), REDLITE_VERSION) != 0) {
        std::fprintf(stderr, "C++ check failed\n");
        return 1;
    }
    std::printf("C++ check ok\n");
    return 0;
}
