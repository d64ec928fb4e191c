package redlite

import (
	"context"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/redlite/redlite/core"
	"github.com/redlite/redlite/core/resp"
)

// The binding's method list is tested against the command table (the one
// definition of every command): every command a typed method sends must be
// in the table, and every command of a data family in the table must have a
// typed method or be listed below with the reason it has none.

// doOnly are commands reachable through Do (or another API) only.
var doOnly = map[string]string{
	"substr":       "an alias of GETRANGE (GetRange)",
	"setnx":        "SetNX sends SET ... NX, which Redis recommends over SETNX",
	"setex":        "SetEx sends SET ... EX/PX",
	"psetex":       "SetEx sends SET ... PX",
	"object|help":  "help text",
	"xinfo|help":   "help text",
	"xgroup|help":  "help text",
	"pubsub|help":  "help text",
	"subscribe":    "DB.Subscribe",
	"unsubscribe":  "PubSub.Unsubscribe",
	"psubscribe":   "DB.PSubscribe",
	"punsubscribe": "PubSub.PUnsubscribe",
	"ssubscribe":   "DB.SSubscribe",
	"sunsubscribe": "PubSub.SUnsubscribe",
}

// dataGroups are the command groups the typed API must cover.
var dataGroups = map[string]bool{"string": true, "generic": true, "hash": true, "bitmap": true, "list": true,
	"set": true, "sorted-set": true, "sorted_set": true, "zset": true, "stream": true, "pubsub": true,
	"geo": true, "hyperloglog": true}

// containers are commands whose first argument names a subcommand.
var containers = map[string]bool{"object": true, "config": true, "xgroup": true, "xinfo": true, "client": true,
	"pubsub": true, "command": true}

// sentBy calls every typed method once with placeholder arguments on a
// runner that records the command it is asked to run and runs nothing.
func sentBy(t *testing.T) map[string][]string {
	t.Helper()
	sent := map[string][]string{}
	var last string
	rec := cmds{r: fakeRunner(func(a argv) {
		last = strings.ToLower(string(a[0]))
		if containers[last] && len(a) > 1 {
			last += "|" + strings.ToLower(string(a[1]))
		}
	})}
	v := reflect.ValueOf(rec)
	typ := v.Type()
	for i := 0; i < typ.NumMethod(); i++ {
		m := typ.Method(i)
		if m.Name == "Do" {
			continue
		}
		ft := m.Type
		args := make([]reflect.Value, 0, ft.NumIn()-1)
		for j := 1; j < ft.NumIn(); j++ {
			if ft.IsVariadic() && j == ft.NumIn()-1 {
				break
			}
			args = append(args, placeholder(ft.In(j)))
		}
		last = ""
		v.Method(i).Call(args)
		if last == "" {
			t.Errorf("%s sent no command", m.Name)
			continue
		}
		sent[last] = append(sent[last], m.Name)
	}
	return sent
}

type fakeRunner func(a argv)

func (f fakeRunner) exec(_ context.Context, a argv, _ bool) (resp.Value, error) {
	f(a)
	return resp.Value{}, nil
}

func (fakeRunner) pinned() bool { return false }

var ctxType = reflect.TypeOf((*context.Context)(nil)).Elem()

func placeholder(t reflect.Type) reflect.Value {
	switch {
	case t == ctxType:
		return reflect.ValueOf(ctx)
	case t == reflect.TypeOf(time.Duration(0)):
		return reflect.ValueOf(time.Second)
	case t == reflect.TypeOf(time.Time{}):
		return reflect.ValueOf(time.Now())
	case t.Kind() == reflect.String:
		return reflect.ValueOf("x").Convert(t)
	case t.Kind() == reflect.Interface:
		return reflect.ValueOf("x")
	case t == reflect.TypeOf(&XAddArgs{}):
		return reflect.ValueOf(&XAddArgs{Values: []string{"f", "v"}})
	case t.Kind() == reflect.Ptr:
		return reflect.New(t.Elem())
	}
	return reflect.Zero(t)
}

func TestCommandCoverage(t *testing.T) {
	sent := sentBy(t)
	covered := map[string]bool{}
	var missing []string
	for name := range sent {
		covered[name] = true
		if !registered(name) {
			missing = append(missing, name)
		}
	}
	var uncovered []string
	for _, c := range core.Commands() {
		if !dataGroups[c.Group] {
			continue
		}
		names := []string{c.Name}
		if len(c.Subcommands) > 0 {
			names = names[:0]
			for sub := range c.Subcommands {
				names = append(names, c.Name+"|"+sub)
			}
		}
		for _, n := range names {
			if !covered[n] && doOnly[n] == "" {
				uncovered = append(uncovered, n)
			}
		}
	}
	sort.Strings(uncovered)
	assert.Empty(t, uncovered, "commands in the table without a typed method (add one, or list it in doOnly with the reason)")
	for name, why := range doOnly {
		if covered[name] {
			t.Errorf("%s is in doOnly (%s) but a typed method sends it", name, why)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		t.Skipf("typed methods send commands not in the core yet: %s", strings.Join(missing, ", "))
	}
}
