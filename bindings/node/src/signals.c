/*
 * Signal handlers and the Go runtime.
 *
 * libredlite runs a Go runtime in this process. Go code runs on goroutine
 * stacks: a few KiB, grown by copying, with nothing mapped below them that
 * the kernel could use. When a signal arrives on a thread that is running Go
 * code, the kernel pushes its signal frame (several KiB with the AVX state)
 * onto the current stack unless the handler was installed with SA_ONSTACK,
 * in which case it uses the thread's alternate signal stack (the Go runtime
 * sets one up on every thread it runs on). A handler without SA_ONSTACK
 * therefore overruns the goroutine stack and the process crashes, at random
 * and only under signals. The Go runtime's own handlers have the flag;
 * Node's do not: libuv installs one handler (uv__signal_handler) with
 * SA_RESTART only, when the first watcher of a signal starts, and removes it
 * (SIG_DFL) when the last one stops. That happens for process.on('SIGINT')
 * and friends, and for SIGCHLD when child_process starts a child.
 *
 * The fix has two halves:
 *
 *  1. Keep process-directed signals away from threads that run Go code
 *     whenever we can: the threads this addon creates block them (exec.c),
 *     so the kernel delivers to another thread.
 *
 *  2. Re-add SA_ONSTACK to every installed handler that lacks it
 *     (rn_fix_signals), at the points where handlers appear:
 *       - when the addon loads (handlers Node installed at startup: SIGINT,
 *         SIGTERM, SIGUSR1, ... and any the program added before);
 *       - right after process.on / process.once for a signal name and after
 *         removing such a listener (index.js hooks 'newListener' and
 *         'removeListener'; Node's own hook, which starts the libuv watcher,
 *         was registered at bootstrap and runs first);
 *       - SIGCHLD: libuv starts its SIGCHLD watcher at every spawn after
 *         the previous children are gone (also in spawnSync/execSync, on a
 *         private loop, where no JS runs between install and use). index.js
 *         keeps one SIGCHLD listener for as long as the module is loaded, so
 *         libuv's handler is installed once, fixed here once, and never
 *         re-installed (libuv only calls sigaction for the first watcher of
 *         a signal across all loops); child_process.ChildProcess's spawn is
 *         also followed by a fix, in case the listener was removed.
 *
 * Every one of these points is on the JS main thread, which is also where
 * libuv installs handlers (signal watchers belong to the loop thread), so
 * reading a handler and writing it back with the flag cannot race with
 * Node changing it. The handler function, its mask and its other flags are
 * kept as they are.
 */
#include <signal.h>
#include <string.h>

#include "rn.h"

/* Returns how many handlers were changed. */
int rn_fix_signals(void) {
    int fixed = 0;
    for (int sig = 1; sig < NSIG; sig++) {
        struct sigaction sa;
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        if (sigaction(sig, NULL, &sa) != 0) continue; /* glibc's reserved signals */
        if (!(sa.sa_flags & SA_SIGINFO) && (sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN)) continue;
        if (sa.sa_flags & SA_ONSTACK) continue;
        sa.sa_flags |= SA_ONSTACK;
        if (sigaction(sig, &sa, NULL) == 0) fixed++;
    }
    return fixed;
}

/* For tests: -1 when sig has no handler (default or ignored), 1 when its
 * handler has SA_ONSTACK, 0 when it lacks it. */
int rn_signal_state(int sig) {
    struct sigaction sa;
    if (sig <= 0 || sig >= NSIG || sigaction(sig, NULL, &sa) != 0) return -1;
    if (!(sa.sa_flags & SA_SIGINFO) && (sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN)) return -1;
    return (sa.sa_flags & SA_ONSTACK) ? 1 : 0;
}
