package orapeer

// Sequences live in the peer's memory, outside any transaction, as
// Oracle's are: a NEXTVAL is never rolled back.

type sequenceState struct {
	next, incr int64
}

// sequenceDDL creates or drops a sequence.
func (p *Peer) sequenceDDL(d sequenceDDL) *oraError {
	p.seqMu.Lock()
	defer p.seqMu.Unlock()
	if p.seqs == nil {
		p.seqs = map[string]*sequenceState{}
	}
	_, exists := p.seqs[d.name]
	switch {
	case d.drop && !exists:
		return errf(2289, "sequence does not exist")
	case d.drop:
		delete(p.seqs, d.name)
	case exists:
		return errf(955, "name is already used by an existing object")
	default:
		p.seqs[d.name] = &sequenceState{next: d.start, incr: d.incr}
	}
	return nil
}

// sequence returns name's NEXTVAL (once per statement execution: next
// holds the values already taken) or the session's CURRVAL.
func (s *session) sequence(name string, nextval bool, next map[string]int64) (int64, *oraError) {
	if v, ok := next[name]; ok {
		return v, nil
	}
	if !nextval {
		v, ok := s.currval[name]
		if !ok {
			return 0, errf(8002, "sequence %s.CURRVAL is not yet defined in this session", name)
		}
		return v, nil
	}
	p := s.p
	p.seqMu.Lock()
	st, ok := p.seqs[name]
	var v int64
	if ok {
		v = st.next
		st.next += st.incr
	}
	p.seqMu.Unlock()
	if !ok {
		return 0, errf(2289, "sequence does not exist")
	}
	if s.currval == nil {
		s.currval = map[string]int64{}
	}
	s.currval[name] = v
	next[name] = v
	return v, nil
}
