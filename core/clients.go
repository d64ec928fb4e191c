package core

import (
	"sort"
	"sync"
)

// clientRegistry tracks the live sessions of a DB for CLIENT LIST, CLIENT
// KILL and INFO clients.
type clientRegistry struct {
	mu   sync.Mutex
	byID map[int64]*Session
}

func (r *clientRegistry) add(s *Session) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byID == nil {
		r.byID = make(map[int64]*Session)
	}
	r.byID[s.ID] = s
}

func (r *clientRegistry) remove(s *Session) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.byID, s.ID)
}

// list returns the sessions ordered by id.
func (r *clientRegistry) list() []*Session {
	r.mu.Lock()
	out := make([]*Session, 0, len(r.byID))
	for _, s := range r.byID {
		out = append(out, s)
	}
	r.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (r *clientRegistry) get(id int64) *Session {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.byID[id]
}

func (r *clientRegistry) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.byID)
}
