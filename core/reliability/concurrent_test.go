package reliability_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core"
	"github.com/redlite/redlite/core/internal/stress"
	"github.com/redlite/redlite/core/resp"
)

// Several processes on one file: embedded Go writer processes, the server
// binary with clients, and (once bindings/python provides it) an embedded
// Python process, all started together on a file none of them has created
// yet, hammer shared keys:
//
//   - INCR on one counter: the replies, across everyone, are exactly
//     1..total (no lost update, no duplicate) and the counter ends at total;
//   - LPUSH of unique elements and RPOP on one list: every pushed element
//     was popped once or is still there, none is duplicated or invented;
//   - MULTI/EXEC transfers between accounts: the balances are exactly the
//     sum of the transfers everyone made, and the total is zero;
//   - WATCH/MULTI/EXEC compare-and-set increments: the value is exactly the
//     number of successful EXECs, so WATCH saw every other process' write;
//   - BRPOP against LPUSH from other processes: each worker pushes one
//     element before each of its BRPOPs, so while a worker waits an element
//     is on its way or already there; a BRPOP that times out means a wake-up
//     was lost. Every element is popped at most once;
//   - nobody got an error reply, in particular no "database is locked",
//     though every process also checkpoints (SAVE) now and then.
//
// The embedded Python process: bindings/python/tests/concurrent_worker.py,
// run with "--db PATH --id ID --ops N" by the interpreter REDLITE_PYTHON
// names (one with the binding installed: build/pyvenv/bin/python, which
// make test-python builds and then runs this test with). It prints "ready"
// once the file is open, waits for a line "go" on stdin, runs the same
// workload (concurrentWorker below is the reference) and prints one JSON
// object shaped like concResult. Without REDLITE_PYTHON (make test-go runs
// before the venv exists) the test runs without it and says so; with it,
// a missing interpreter, binding or worker fails the test.

const pythonWorker = "../../bindings/python/tests/concurrent_worker.py"

// pythonEnv names the Python interpreter that runs pythonWorker.
const pythonEnv = "REDLITE_PYTHON"

// pythonCommand is the embedded Python worker's command, or nil when
// REDLITE_PYTHON is not set.
func pythonCommand(t *testing.T, path string, ops int) *exec.Cmd {
	python := os.Getenv(pythonEnv)
	if python == "" {
		t.Logf("no embedded Python worker in this run: %s is not set (make test-python sets it to build/pyvenv/bin/python and runs this test)", pythonEnv)
		return nil
	}
	if _, err := os.Stat(python); err != nil {
		t.Fatalf("%s=%s: %v (make test-python builds the venv)", pythonEnv, python, err)
	}
	if _, err := os.Stat(pythonWorker); err != nil {
		t.Fatalf("the embedded Python worker: %v", err)
	}
	if out, err := exec.Command(python, "-c", "import redlite").CombinedOutput(); err != nil {
		t.Fatalf("%s=%s cannot import the redlite binding (make test-python installs it): %v\n%s", pythonEnv, python, err, out)
	}
	cmd := exec.Command(python, pythonWorker, "--db", path, "--id", "py0", "--ops", strconv.Itoa(ops))
	cmd.Stderr = os.Stderr
	return cmd
}

const concAccounts = 5

// concResult is what one worker did and saw.
type concResult struct {
	Incr      []int64    `json:"incr"`      // every INCR reply
	Pushed    []string   `json:"pushed"`    // every element LPUSHed
	Popped    []string   `json:"popped"`    // every element RPOPed
	Transfers [][3]int64 `json:"transfers"` // from, to, amount of every EXECed transfer
	CAS       int64      `json:"cas"`       // successful WATCH/MULTI/EXEC increments
	BPushed   []string   `json:"bpushed"`   // every element LPUSHed for BRPOP
	BPopped   []string   `json:"bpopped"`   // every element BRPOP returned
	Errors    []string   `json:"errors"`    // error replies and transport errors
}

// concurrentWorker runs ops operations of the shared workload.
func concurrentWorker(d doer, id string, ops int) concResult {
	r := concResult{Incr: []int64{}, Pushed: []string{}, Popped: []string{}, Transfers: [][3]int64{}, Errors: []string{},
		BPushed: []string{}, BPopped: []string{}}
	fail := func(argv []string, v resp.Value, err error) bool {
		switch {
		case err != nil:
			r.Errors = append(r.Errors, fmt.Sprintf("%q: %v", argv, err))
		case v.Kind == resp.Error:
			r.Errors = append(r.Errors, fmt.Sprintf("%q: %s", argv, v.Str))
		default:
			return false
		}
		return true
	}
	do := func(argv ...string) (resp.Value, bool) {
		v, err := d.do(argv...)
		return v, !fail(argv, v, err)
	}
	lists := has("lpush", "rpop")
	blocking := has("lpush", "brpop")
	for i := 0; i < ops && len(r.Errors) == 0; i++ {
		if i%concSaveEach == concSaveEach-1 {
			do("SAVE") // a checkpoint while the other processes write and read
		}
		switch i % concOpKinds {
		case 0:
			if v, ok := do("INCR", "conc:counter"); ok {
				r.Incr = append(r.Incr, v.Int)
			}
		case 1:
			if lists {
				e := fmt.Sprintf("%s:%d", id, i)
				if _, ok := do("LPUSH", "conc:queue", e); ok {
					r.Pushed = append(r.Pushed, e)
				}
			}
		case 2:
			if lists {
				if v, ok := do("RPOP", "conc:queue"); ok && v.Kind == resp.Bulk {
					r.Popped = append(r.Popped, str(v))
				}
			}
		case 3:
			from, to, amount := int64(i%concAccounts), int64((i/concAccounts+i+1)%concAccounts), int64(i%13+1)
			if from == to {
				to = (to + 1) % concAccounts
			}
			ok := true
			for _, argv := range [][]string{{"MULTI"}, {"DECRBY", fmt.Sprintf("conc:acct:%d", from), fmt.Sprint(amount)},
				{"INCRBY", fmt.Sprintf("conc:acct:%d", to), fmt.Sprint(amount)}} {
				_, ok = do(argv...)
				if !ok {
					break
				}
			}
			if v, ok2 := do("EXEC"); ok && ok2 && v.Kind == resp.Array && len(v.Elems) == 2 {
				r.Transfers = append(r.Transfers, [3]int64{from, to, amount})
			} else if ok && ok2 {
				r.Errors = append(r.Errors, fmt.Sprintf("transfer EXEC replied %v", v.Kind))
			}
		case 4:
			// Optimistic increment: retried until no other client wrote
			// the key between WATCH and EXEC.
			for attempt := 0; ; attempt++ {
				if attempt == 10000 {
					r.Errors = append(r.Errors, "compare-and-set starved")
					break
				}
				if _, ok := do("WATCH", "conc:cas"); !ok {
					break
				}
				v, ok := do("GET", "conc:cas")
				if !ok {
					break
				}
				n := parseIntReply(v)
				do("MULTI")
				do("SET", "conc:cas", strconv.FormatInt(n+1, 10))
				v, ok = do("EXEC")
				if !ok {
					break
				}
				if v.Kind == resp.Array {
					r.CAS++
					break
				}
			}
		case 5:
			if blocking {
				e := fmt.Sprintf("%s:%d", id, i)
				if _, ok := do("LPUSH", "conc:bqueue", e); ok {
					r.BPushed = append(r.BPushed, e)
				}
			}
		case 6:
			if blocking {
				if v, ok := do("BRPOP", "conc:bqueue", concBlockTimeout); ok {
					if v.Kind != resp.Array || len(v.Elems) != 2 {
						r.Errors = append(r.Errors, "BRPOP timed out while an element was due: a lost wake-up")
					} else {
						r.BPopped = append(r.BPopped, str(v.Elems[1]))
					}
				}
			}
		}
	}
	return r
}

const (
	concOpKinds      = 7
	concSaveEach     = 100
	concBlockTimeout = "30" // seconds; a served BRPOP waits milliseconds
)

// concurrentChild is one embedded worker process.
func concurrentChild() int {
	db, err := core.Open(core.Options{Path: os.Getenv("REDLITE_CONC_DB")})
	if err != nil {
		fmt.Fprintln(os.Stderr, "concurrent child: open:", err)
		return 3
	}
	ops, _ := strconv.Atoi(os.Getenv("REDLITE_CONC_OPS"))
	s := db.NewSession()
	fmt.Println("ready")
	if line, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil || line != "go\n" {
		fmt.Fprintln(os.Stderr, "concurrent child: no go:", err)
		return 3
	}
	r := concurrentWorker(sessionDoer{s}, os.Getenv("REDLITE_CONC_ID"), ops)
	s.Close()
	if err := db.Close(); err != nil {
		r.Errors = append(r.Errors, "close: "+err.Error())
	}
	if err := json.NewEncoder(os.Stdout).Encode(r); err != nil {
		return 3
	}
	return 0
}

// workerProcess is an embedded worker in its own process.
type workerProcess struct {
	name  string
	cmd   *exec.Cmd
	in    io.WriteCloser
	out   *bufio.Reader
	start time.Time
}

func startWorkerProcess(t *testing.T, name string, cmd *exec.Cmd) *workerProcess {
	in, err := cmd.StdinPipe()
	require.NoError(t, err)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start(), name)
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return &workerProcess{name: name, cmd: cmd, in: in, out: bufio.NewReader(out)}
}

func (p *workerProcess) waitReady(t *testing.T) {
	line, err := p.out.ReadString('\n')
	require.NoError(t, err, "%s did not start", p.name)
	require.Equal(t, "ready\n", line, p.name)
}

func (p *workerProcess) result(t *testing.T) concResult {
	var r concResult
	require.NoError(t, json.NewDecoder(p.out).Decode(&r), "%s result", p.name)
	require.NoError(t, p.cmd.Wait(), p.name)
	return r
}

// TestConcurrentProcesses: see the top of this file.
func TestConcurrentProcesses(t *testing.T) {
	embedded := stress.Pick(3, 6)
	clients := stress.Pick(3, 6)
	ops := stress.Pick(150, 2000)
	path := filepath.Join(t.TempDir(), "shared.db")

	python := pythonCommand(t, path, ops)
	var procs []*workerProcess
	for i := 0; i < embedded; i++ {
		id := fmt.Sprintf("go%d", i)
		procs = append(procs, startWorkerProcess(t, id, childCommand("concurrent", "REDLITE_CONC_DB="+path,
			"REDLITE_CONC_ID="+id, "REDLITE_CONC_OPS="+strconv.Itoa(ops))))
	}
	if python != nil {
		procs = append(procs, startWorkerProcess(t, "py0", python))
	}
	srv := startServer(t, path, "normal")
	for _, p := range procs {
		p.waitReady(t)
	}
	netClients := make([]*netClient, clients)
	for i := range netClients {
		c, err := dial(srv.addr)
		require.NoError(t, err)
		netClients[i] = c
	}

	began := time.Now()
	for _, p := range procs {
		_, err := io.WriteString(p.in, "go\n")
		require.NoError(t, err)
	}
	results := make([]concResult, clients)
	var wg sync.WaitGroup
	for i, c := range netClients {
		wg.Add(1)
		go func(i int, c *netClient) {
			defer wg.Done()
			defer c.close()
			results[i] = concurrentWorker(c, fmt.Sprintf("srv%d", i), ops)
		}(i, c)
	}
	var procResults []concResult
	for _, p := range procs {
		r := p.result(t)
		checkWorkloadDone(t, p.name, r, ops)
		procResults = append(procResults, r)
	}
	wg.Wait()
	for i, r := range results {
		checkWorkloadDone(t, fmt.Sprintf("srv%d", i), r, ops)
	}
	results = append(results, procResults...)
	elapsed := time.Since(began)
	srv.stop(t)

	db, err := core.Open(core.Options{Path: path})
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.Check())
	s := db.NewSession()
	defer s.Close()
	get := func(argv ...string) resp.Value {
		v, _ := sessionDoer{s}.do(argv...)
		require.Empty(t, errText(v))
		return v
	}

	var incr []int64
	pushed, popped := map[string]int{}, map[string]int{}
	balances := make([]int64, concAccounts)
	var cas int64
	bpushed, bpopped := map[string]int{}, map[string]int{}
	for _, r := range results {
		for _, e := range r.BPushed {
			bpushed[e]++
		}
		for _, e := range r.BPopped {
			bpopped[e]++
		}
		for _, e := range r.Errors {
			t.Errorf("worker error: %s", e)
		}
		incr = append(incr, r.Incr...)
		for _, e := range r.Pushed {
			pushed[e]++
		}
		for _, e := range r.Popped {
			popped[e]++
		}
		for _, tr := range r.Transfers {
			balances[tr[0]] -= tr[2]
			balances[tr[1]] += tr[2]
		}
		cas += r.CAS
	}

	sort.Slice(incr, func(i, j int) bool { return incr[i] < incr[j] })
	for i, n := range incr {
		if n != int64(i+1) {
			t.Fatalf("INCR replies are not exactly 1..%d: position %d holds %d (lost or duplicated update)", len(incr), i, n)
		}
	}
	require.Equal(t, int64(len(incr)), parseIntReply(get("GET", "conc:counter")))

	remaining := map[string]int{}
	if has("lrange") {
		for _, e := range get("LRANGE", "conc:queue", "0", "-1").Elems {
			remaining[str(e)]++
		}
	}
	for e, n := range pushed {
		require.Equal(t, 1, n, "%s pushed twice", e)
		require.Equal(t, 1, popped[e]+remaining[e], "element %s: popped %d times, %d left in the list", e, popped[e], remaining[e])
	}
	for e := range popped {
		require.Contains(t, pushed, e, "popped %s, which nobody pushed", e)
	}
	for e := range remaining {
		require.Contains(t, pushed, e, "%s is in the list but nobody pushed it", e)
	}

	bremaining := map[string]int{}
	if has("lrange") {
		for _, e := range get("LRANGE", "conc:bqueue", "0", "-1").Elems {
			bremaining[str(e)]++
		}
	}
	for e, n := range bpopped {
		require.Equal(t, 1, n, "BRPOP returned %s %d times", e, n)
		require.Contains(t, bpushed, e, "BRPOP returned %s, which nobody pushed", e)
	}
	for e := range bpushed {
		require.Equal(t, 1, bpopped[e]+bremaining[e], "element %s: popped %d times, %d left", e, bpopped[e], bremaining[e])
	}

	var sum int64
	for a := 0; a < concAccounts; a++ {
		got := parseIntReply(get("GET", fmt.Sprintf("conc:acct:%d", a)))
		require.Equal(t, balances[a], got, "account %d", a)
		sum += got
	}
	require.Zero(t, sum)
	require.Equal(t, cas, parseIntReply(get("GET", "conc:cas")), "WATCH missed a write of another process")

	names := make([]string, len(procs))
	for i, p := range procs {
		names[i] = p.name
	}
	t.Logf("embedded processes %s + server with %d clients, %d ops each, in %v: %d INCRs, %d pushed, %d popped, %d transfers, %d CAS increments, %d BRPOPs served; no errors",
		strings.Join(names, " "), clients, ops, elapsed.Round(time.Millisecond), len(incr), len(pushed), len(popped), countTransfers(results), cas, len(bpopped))
	require.NoError(t, stress.Report("concurrent ops checked", int64((len(procs)+clients)*ops)))
	require.False(t, strings.Contains(fmt.Sprint(results), "locked"))
}

// checkWorkloadDone checks that a worker process ran its whole workload
// (unless it reported an error): a worker that did less, such as one that
// printed an empty result, would otherwise pass every other check.
func checkWorkloadDone(t *testing.T, name string, r concResult, ops int) {
	t.Helper()
	if len(r.Errors) > 0 {
		return // reported with the others
	}
	kind := func(k int) int { // how many of the ops are of kind k
		if ops <= k {
			return 0
		}
		return (ops-k-1)/concOpKinds + 1
	}
	lists, blocking := kind(1), kind(5)
	if !has("lpush", "rpop") {
		lists = 0
	}
	if !has("lpush", "brpop") {
		blocking = 0
	}
	got := []int{len(r.Incr), len(r.Pushed), len(r.Transfers), int(r.CAS), len(r.BPushed), len(r.BPopped)}
	want := []int{kind(0), lists, kind(3), kind(4), blocking, min(blocking, kind(6))}
	require.Equal(t, want, got, "%s: INCRs, LPUSHes, transfers, CAS increments, pushes and BRPOPs for BRPOP done", name)
}

func countTransfers(rs []concResult) int {
	n := 0
	for _, r := range rs {
		n += len(r.Transfers)
	}
	return n
}
