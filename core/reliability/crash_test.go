package reliability_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core"
	"github.com/redlite/redlite/core/internal/stress"
	"github.com/redlite/redlite/core/resp"
)

// The crash harness. A writer (an embedded process using core.Session, or
// the server binary with clients) runs acknowledged writes in a loop and
// is killed with SIGKILL at a random moment, again and again on the same
// file. After every kill the file is opened and checked:
//
//   - DB.Check passes (PRAGMA integrity_check is ok, key and element
//     counts agree, nothing is orphaned);
//   - every acknowledged write is present, with durability=full and with
//     normal alike: a process kill is not a power loss, and in WAL mode a
//     committed transaction is in the OS's page cache before COMMIT
//     returns, so synchronous=NORMAL keeps it;
//   - nothing is half-applied: each writer has at most one write in
//     flight, which is either wholly there or wholly absent, and the
//     MULTI/EXEC transfers between accounts replay exactly from their log
//     (the log entry and both balance changes commit together or not).

const (
	crashWriters  = 4
	crashAccounts = 8
	crashSaveEach = 50 // a SAVE (WAL checkpoint) every so many ops: kills land in checkpoints too
)

// crashKinds are the write kinds the workload cycles through: the ones this
// build has. Lists and streams join when their commands are in the table.
func crashKinds() []string {
	kinds := []string{"set", "incr", "hset", "transfer"}
	if has("lpush", "llen", "lrange") {
		kinds = append(kinds, "lpush")
	}
	if has("xadd", "xlen", "xrange") {
		kinds = append(kinds, "xadd")
	}
	return kinds
}

// transferOf is the deterministic transfer op i of a writer makes, so the
// checker can recompute it.
func transferOf(run, w, i int) (from, to, amount int) {
	h := run*1000003 + w*7919 + i*31
	from = h % crashAccounts
	to = (from + 1 + i%(crashAccounts-1)) % crashAccounts
	return from, to, i%9 + 1
}

// crashOp performs op i of writer w and returns the value its
// acknowledgement carries (a counter, a length, a stream ID).
func crashOp(d doer, run, w, i int, kind string) (string, error) {
	call := func(want resp.Kind, argv ...string) (resp.Value, error) {
		v, err := d.do(argv...)
		if err == nil && v.Kind != want {
			err = fmt.Errorf("%s op %d: %q replied %v %q", kind, i, argv[0], v.Kind, v.Str)
		}
		return v, err
	}
	id := fmt.Sprintf("%d:%d", run, w)
	switch kind {
	case "set":
		_, err := call(resp.Status, "SET", fmt.Sprintf("crash:s:%s:%d", id, i), fmt.Sprintf("v%d", i))
		return "", err
	case "incr":
		v, err := call(resp.Int, "INCR", "crash:n:"+id)
		return strconv.FormatInt(v.Int, 10), err
	case "hset":
		_, err := call(resp.Int, "HSET", "crash:h:"+id, fmt.Sprintf("f%d", i), fmt.Sprintf("v%d", i))
		return "", err
	case "lpush":
		v, err := call(resp.Int, "LPUSH", "crash:l:"+id, strconv.Itoa(i))
		return strconv.FormatInt(v.Int, 10), err
	case "xadd":
		v, err := call(resp.Bulk, "XADD", "crash:x:"+id, "*", "i", strconv.Itoa(i))
		return str(v), err
	case "transfer":
		from, to, amount := transferOf(run, w, i)
		steps := [][]string{
			{"MULTI"},
			{"DECRBY", fmt.Sprintf("crash:acct:%d", from), strconv.Itoa(amount)},
			{"INCRBY", fmt.Sprintf("crash:acct:%d", to), strconv.Itoa(amount)},
			{"HSET", "crash:tx:" + id, strconv.Itoa(i), fmt.Sprintf("%d %d %d", from, to, amount)},
		}
		for _, s := range steps {
			if _, err := call(resp.Status, s...); err != nil {
				return "", err
			}
		}
		v, err := call(resp.Array, "EXEC")
		if err != nil {
			return "", err
		}
		if len(v.Elems) != 3 || v.Elems[0].Kind != resp.Int || v.Elems[1].Kind != resp.Int || v.Elems[2].Kind != resp.Int {
			return "", fmt.Errorf("transfer op %d: EXEC replied %v", i, v.Elems)
		}
		return "", nil
	}
	return "", fmt.Errorf("unknown kind %q", kind)
}

// runCrashWriter runs writer w's ops in order until an error (for a
// network client, the server being killed) and acknowledges each one.
func runCrashWriter(d doer, run, w int, kinds []string, ack func(kind string, i int, value string)) error {
	for i := 0; ; i++ {
		if i%crashSaveEach == crashSaveEach-1 {
			v, err := d.do("SAVE")
			if err != nil {
				return err
			}
			if e := errText(v); e != "" {
				return fmt.Errorf("SAVE: %s", e)
			}
		}
		kind := kinds[i%len(kinds)]
		value, err := crashOp(d, run, w, i, kind)
		if err != nil {
			return err
		}
		ack(kind, i, value)
	}
}

// crashChild is the embedded writer process: it opens the file, runs
// crashWriters sessions and prints "A <writer> <kind> <op> <value>" for
// every acknowledged write, unbuffered, until it is killed.
func crashChild() int {
	path := os.Getenv("REDLITE_CRASH_DB")
	run, _ := strconv.Atoi(os.Getenv("REDLITE_CRASH_RUN"))
	dur, err := core.ParseDurability(os.Getenv("REDLITE_CRASH_DURABILITY"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	db, err := core.Open(core.Options{Path: path, Durability: dur})
	if err != nil {
		fmt.Fprintln(os.Stderr, "crash child: open:", err)
		return 3
	}
	var mu sync.Mutex
	kinds := crashKinds()
	failed := make(chan error, crashWriters)
	for w := 0; w < crashWriters; w++ {
		go func(w int) {
			s := db.NewSession()
			failed <- runCrashWriter(sessionDoer{s}, run, w, kinds, func(kind string, i int, value string) {
				mu.Lock()
				defer mu.Unlock()
				if _, err := fmt.Fprintf(os.Stdout, "A %d %s %d %s\n", w, kind, i, value); err != nil {
					os.Exit(4) // the parent is gone
				}
			})
		}(w)
	}
	// Only a failure ends this process by itself; normally it is killed.
	fmt.Fprintln(os.Stderr, "crash child:", <-failed)
	return 3
}

// ack is one acknowledged write.
type ack struct {
	kind  string
	i     int
	value string
}

// crashRun kills one writer and returns the acknowledgements per writer.
type crashRun func(t *testing.T, path, durability string, run int, rng *rand.Rand) map[int][]ack

// embeddedCrashRun starts the embedded child and kills it after a random
// delay, which may fall while it opens (and recovers) the file.
func embeddedCrashRun(t *testing.T, path, durability string, run int, rng *rand.Rand) map[int][]ack {
	cmd := childCommand("crash", "REDLITE_CRASH_DB="+path, "REDLITE_CRASH_RUN="+strconv.Itoa(run),
		"REDLITE_CRASH_DURABILITY="+durability)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	delay := time.Duration(rng.IntN(400)) * time.Millisecond
	killer := time.AfterFunc(delay, func() { _ = cmd.Process.Signal(syscall.SIGKILL) })
	defer killer.Stop()
	acks := map[int][]ack{}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		require.True(t, len(f) >= 4 && f[0] == "A", "child printed %q", sc.Text())
		w, _ := strconv.Atoi(f[1])
		i, _ := strconv.Atoi(f[3])
		a := ack{kind: f[2], i: i}
		if len(f) > 4 {
			a.value = f[4]
		}
		acks[w] = append(acks[w], a)
	}
	err = cmd.Wait()
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	require.True(t, ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL,
		"the child must die by SIGKILL, not end on its own: %v", err)
	return acks
}

// serverCrashRun starts the server binary with crashWriters clients and
// kills the server after a random delay while they write.
func serverCrashRun(t *testing.T, path, durability string, run int, rng *rand.Rand) map[int][]ack {
	p := startServer(t, path, durability)
	kinds := crashKinds()
	var mu sync.Mutex
	acks := map[int][]ack{}
	var wg sync.WaitGroup
	for w := 0; w < crashWriters; w++ {
		c, err := dial(p.addr)
		require.NoError(t, err)
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			defer c.close()
			_ = runCrashWriter(c, run, w, kinds, func(kind string, i int, value string) {
				mu.Lock()
				acks[w] = append(acks[w], ack{kind, i, value})
				mu.Unlock()
			})
		}(w)
	}
	time.Sleep(time.Duration(20+rng.IntN(400)) * time.Millisecond)
	p.kill()
	wg.Wait()
	return acks
}

// crashStats are the counts the stress table reports.
type crashStats struct {
	kills, checked, lost int
}

// verifyCrash reopens the file after a kill and checks it (see the top of
// this file). It returns how many acknowledged writes it checked and lost.
func verifyCrash(t *testing.T, path string, run int, acks map[int][]ack) (checked, lost int) {
	db, err := core.Open(core.Options{Path: path})
	require.NoError(t, err, "reopening after the kill")
	defer db.Close()
	require.NoError(t, db.Check(), "run %d", run)
	s := db.NewSession()
	defer s.Close()
	d := sessionDoer{s}
	get := func(argv ...string) resp.Value {
		v, _ := d.do(argv...)
		require.Empty(t, errText(v), "%q", argv)
		return v
	}
	miss := func(format string, a ...any) {
		lost++
		t.Errorf("run %d: acknowledged write lost: "+format, append([]any{run}, a...)...)
	}
	for w, list := range acks {
		id := fmt.Sprintf("%d:%d", run, w)
		count := map[string]int{}
		last := map[string]string{}
		for _, a := range list {
			checked++
			count[a.kind]++
			last[a.kind] = a.value
			switch a.kind {
			case "set":
				if v := get("GET", fmt.Sprintf("crash:s:%s:%d", id, a.i)); str(v) != fmt.Sprintf("v%d", a.i) {
					miss("SET op %d of writer %s: %q", a.i, id, v.Str)
				}
			case "hset":
				if v := get("HGET", "crash:h:"+id, fmt.Sprintf("f%d", a.i)); str(v) != fmt.Sprintf("v%d", a.i) {
					miss("HSET op %d of writer %s: %q", a.i, id, v.Str)
				}
			case "transfer":
				if v := get("HGET", "crash:tx:"+id, strconv.Itoa(a.i)); v.Kind != resp.Bulk {
					miss("transfer op %d of writer %s", a.i, id)
				}
			case "xadd":
				if v := get("XRANGE", "crash:x:"+id, a.value, a.value); len(v.Elems) != 1 {
					miss("XADD %s of writer %s", a.value, id)
				}
			}
		}
		// One write at most was in flight when the writer died: each
		// structure holds what was acknowledged, plus at most that one.
		within := func(what string, got, acked int64) {
			if got < acked {
				miss("%s of writer %s: %d, %d acknowledged", what, id, got, acked)
			}
			require.LessOrEqual(t, got, acked+1, "%s of writer %s: more than one unacknowledged write", what, id)
		}
		lastInt := func(kind string) int64 { n, _ := strconv.ParseInt(last[kind], 10, 64); return n }
		keys := get("KEYS", "crash:s:"+id+":*")
		within("SET keys", int64(len(keys.Elems)), int64(count["set"]))
		within("the counter", parseIntReply(get("GET", "crash:n:"+id)), lastInt("incr"))
		within("hash fields", get("HLEN", "crash:h:"+id).Int, int64(count["hset"]))
		within("transfer log", get("HLEN", "crash:tx:"+id).Int, int64(count["transfer"]))
		if count["lpush"] > 0 || has("lpush") {
			within("the list", get("LLEN", "crash:l:"+id).Int, lastInt("lpush"))
			members := map[string]bool{}
			for _, e := range get("LRANGE", "crash:l:"+id, "0", "-1").Elems {
				members[str(e)] = true
			}
			for _, a := range list {
				if a.kind == "lpush" && !members[strconv.Itoa(a.i)] {
					miss("LPUSH op %d of writer %s", a.i, id)
				}
			}
		}
		if count["xadd"] > 0 {
			within("the stream", get("XLEN", "crash:x:"+id).Int, int64(count["xadd"]))
		}
	}
	// Every transfer ever logged, in every run, replays to exactly the
	// balances: no transfer is half-applied, none applied without its log.
	want := make([]int64, crashAccounts)
	for _, k := range get("KEYS", "crash:tx:*").Elems {
		for j, e := range get("HGETALL", str(k)).Elems {
			if j%2 == 0 {
				continue
			}
			var from, to, amount int64
			_, err := fmt.Sscanf(str(e), "%d %d %d", &from, &to, &amount)
			require.NoError(t, err)
			want[from] -= amount
			want[to] += amount
		}
	}
	var sum int64
	for a := 0; a < crashAccounts; a++ {
		got := parseIntReply(get("GET", fmt.Sprintf("crash:acct:%d", a)))
		require.Equal(t, want[a], got, "run %d: account %d does not match its transfer log (half-applied transaction)", run, a)
		sum += got
	}
	require.Zero(t, sum, "transfers must conserve the total")
	return checked, lost
}

func parseIntReply(v resp.Value) int64 {
	if v.Kind == resp.Nil {
		return 0
	}
	n, _ := strconv.ParseInt(str(v), 10, 64)
	return n
}

func runCrashes(t *testing.T, kills int, one crashRun) {
	kinds := crashKinds()
	t.Logf("write kinds: %s (plus MULTI/EXEC transfers and a SAVE every %d ops)", strings.Join(kinds, " "), crashSaveEach)
	for _, durability := range []string{"full", "normal"} {
		t.Run(durability, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "crash.db")
			rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
			var st crashStats
			for run := 1; run <= kills; run++ {
				acks := one(t, path, durability, run, rng)
				checked, lost := verifyCrash(t, path, run, acks)
				st.kills++
				st.checked += checked
				st.lost += lost
				if t.Failed() {
					break
				}
			}
			t.Logf("durability=%s: %d kills survived, %d acknowledged writes checked, %d lost", durability, st.kills, st.checked, st.lost)
			require.NoError(t, stress.Report("kills survived", int64(st.kills)))
			require.NoError(t, stress.Report("writes checked", int64(st.checked)))
			require.NoError(t, stress.Report("lost writes", int64(st.lost)))
			require.Positive(t, st.checked, "no write was acknowledged before the kills: the harness checked nothing")
		})
	}
}

// TestCrashEmbedded kills an embedded writer process (four sessions
// sharing group commits) with SIGKILL, many times, on one file.
func TestCrashEmbedded(t *testing.T) {
	runCrashes(t, stress.Pick(8, 150), embeddedCrashRun)
}

// TestCrashServer kills the server binary with SIGKILL while four clients
// write through it, many times, on one file.
func TestCrashServer(t *testing.T) {
	runCrashes(t, stress.Pick(6, 100), serverCrashRun)
}
