package core

// Commands whose key positions depend on their arguments (Redis'
// "movablekeys": a numkeys count, a STREAMS keyword, SORT's STORE). COMMAND
// INFO reports first/last/step as Redis does and the movablekeys flag;
// COMMAND GETKEYS asks the functions here.
var movableKeys = map[string]func(argv [][]byte) ([]int, bool){
	"lmpop":       numkeysKeys(1, false),
	"blmpop":      numkeysKeys(2, false),
	"sintercard":  numkeysKeys(1, false),
	"zmpop":       numkeysKeys(1, false),
	"bzmpop":      numkeysKeys(2, false),
	"zunion":      numkeysKeys(1, false),
	"zinter":      numkeysKeys(1, false),
	"zdiff":       numkeysKeys(1, false),
	"zintercard":  numkeysKeys(1, false),
	"zunionstore": numkeysKeys(2, true),
	"zinterstore": numkeysKeys(2, true),
	"zdiffstore":  numkeysKeys(2, true),
	"xread":       streamsKeys,
	"xreadgroup":  streamsKeys,
	"sort":        sortKeys,
	"sort_ro":     sortKeys,
}

// numkeysKeys finds keys counted by the argument at numkeysAt, the keys
// following it; withDest adds argument 1, a destination key. A count that
// is not a positive number of the arguments present is invalid.
func numkeysKeys(numkeysAt int, withDest bool) func(argv [][]byte) ([]int, bool) {
	return func(argv [][]byte) ([]int, bool) {
		if numkeysAt >= len(argv) {
			return nil, false
		}
		n, ok := ParseInt(argv[numkeysAt])
		if !ok || n <= 0 || n > int64(len(argv)-numkeysAt-1) {
			return nil, false
		}
		var pos []int
		if withDest {
			pos = append(pos, 1)
		}
		for i := numkeysAt + 1; i <= numkeysAt+int(n); i++ {
			pos = append(pos, i)
		}
		return pos, true
	}
}

// streamsKeys: XREAD/XREADGROUP name their keys after STREAMS, followed by
// as many ids.
func streamsKeys(argv [][]byte) ([]int, bool) {
	for i := 1; i < len(argv); i++ {
		if eqFold(argv[i], "STREAMS") {
			rest := len(argv) - i - 1
			if rest == 0 || rest%2 != 0 {
				return nil, false
			}
			var pos []int
			for k := i + 1; k <= i+rest/2; k++ {
				pos = append(pos, k)
			}
			return pos, true
		}
	}
	return nil, false
}

// sortKeys: the sorted key, and the STORE destination if any.
func sortKeys(argv [][]byte) ([]int, bool) {
	pos := []int{1}
	for i := 2; i+1 < len(argv); i++ {
		if eqFold(argv[i], "STORE") {
			pos = append(pos, i+1)
			i++
		}
	}
	return pos, true
}
