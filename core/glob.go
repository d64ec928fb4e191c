package core

// GlobMatch reports whether s matches pattern under Redis' glob rules (KEYS,
// SCAN MATCH, PSUBSCRIBE, CONFIG GET): * any run of bytes, ? one byte,
// [abc] [^abc] [a-z] classes, \ escapes the next byte. It works on bytes,
// not runes, as Redis does. Matching backtracks only to the last star, so a
// hostile pattern costs at most O(len(pattern)*len(s)).
func GlobMatch(pattern, s []byte, nocase bool) bool {
	if len(s) == 0 {
		// Redis' matcher never matches an empty string against a non-empty
		// pattern, not even "*": KEYS * and SCAN without MATCH list the
		// empty key only because they skip matching.
		return len(pattern) == 0
	}
	p, i := 0, 0
	starP, starI := -1, 0
	for i < len(s) {
		if p < len(pattern) {
			switch pattern[p] {
			case '*':
				for p < len(pattern) && pattern[p] == '*' {
					p++
				}
				if p == len(pattern) {
					return true
				}
				starP, starI = p, i
				continue
			case '?':
				p++
				i++
				continue
			case '[':
				if ok, next := matchClass(pattern, p, s[i], nocase); ok {
					p = next
					i++
					continue
				}
			default:
				lit, next := pattern[p], p+1
				if lit == '\\' && p+1 < len(pattern) {
					lit, next = pattern[p+1], p+2
				}
				if equalByte(lit, s[i], nocase) {
					p = next
					i++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		starI++
		p, i = starP, starI
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// matchClass matches c against the class starting at pattern[p] == '['. It
// returns whether it matched and the index after the class. A class left
// open runs to the end of the pattern, as in Redis.
func matchClass(pattern []byte, p int, c byte, nocase bool) (bool, int) {
	p++
	not := false
	if p < len(pattern) && pattern[p] == '^' {
		not = true
		p++
	}
	match := false
	for p < len(pattern) && pattern[p] != ']' {
		switch {
		case pattern[p] == '\\' && p+1 < len(pattern):
			p++
			if equalByte(pattern[p], c, nocase) {
				match = true
			}
			p++
		case p+2 < len(pattern) && pattern[p+1] == '-':
			start, end := pattern[p], pattern[p+2]
			if start > end {
				start, end = end, start
			}
			cc := c
			if nocase {
				start, end, cc = lower(start), lower(end), lower(c)
			}
			if cc >= start && cc <= end {
				match = true
			}
			p += 3
		default:
			if equalByte(pattern[p], c, nocase) {
				match = true
			}
			p++
		}
	}
	if p < len(pattern) {
		p++ // the closing ]
	}
	if not {
		match = !match
	}
	return match, p
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 32
	}
	return c
}

func equalByte(a, b byte, nocase bool) bool {
	if nocase {
		return lower(a) == lower(b)
	}
	return a == b
}

// globPrefix returns the literal bytes every match of pattern starts with,
// and whether the pattern is exactly that literal (no wildcards). KEYS and
// SCAN use it to turn a pattern into an index range.
func globPrefix(pattern []byte) (prefix []byte, exact bool) {
	for p := 0; p < len(pattern); p++ {
		switch pattern[p] {
		case '*', '?', '[':
			return prefix, false
		case '\\':
			if p+1 < len(pattern) {
				p++
			}
		}
		prefix = append(prefix, pattern[p])
	}
	return prefix, true
}

// prefixEnd returns the smallest byte string greater than every string
// starting with prefix, or nil when there is none (all 0xff).
func prefixEnd(prefix []byte) []byte {
	end := append([]byte(nil), prefix...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}
