package core

import (
	"fmt"
	"sort"
	"strings"
)

// groupTitles orders and names the command groups in the reference.
var groupTitles = []struct{ group, title string }{
	{"string", "Strings"}, {"bitmap", "Bits"}, {"generic", "Keys"}, {"hash", "Hashes"},
	{"list", "Lists"}, {"set", "Sets"}, {"sorted-set", "Sorted sets"}, {"stream", "Streams"},
	{"pubsub", "Pub/sub"}, {"transactions", "Transactions"}, {"connection", "Connection"},
	{"server", "Server"},
}

// CommandReference renders the command reference (docs/commands.md) from the
// command table, so the documentation can never list a command that does
// not exist or miss one that does.
func CommandReference() string {
	var sb strings.Builder
	sb.WriteString("# Command reference\n\n")
	sb.WriteString("Generated from the command table by `make docs`; do not edit by hand.\n")
	sb.WriteString("Behaviour follows Redis " + RedisVersion + "; a **Note** says where redlite differs.\n")
	byGroup := map[string][]*Command{}
	for _, c := range Commands() {
		byGroup[c.Group] = append(byGroup[c.Group], c)
	}
	seen := map[string]bool{}
	write := func(title string, cmds []*Command) {
		fmt.Fprintf(&sb, "\n## %s\n\n| command | arity | summary | complexity |\n|---|---|---|---|\n", title)
		for _, c := range cmds {
			writeRow(&sb, c)
			for _, sc := range sortedSubcommands(c) {
				writeRow(&sb, sc)
			}
		}
		for _, c := range cmds {
			writeNotes(&sb, c)
		}
	}
	for _, g := range groupTitles {
		if cmds := byGroup[g.group]; len(cmds) > 0 {
			write(g.title, cmds)
		}
		seen[g.group] = true
	}
	var rest []string
	for g := range byGroup {
		if !seen[g] {
			rest = append(rest, g)
		}
	}
	sort.Strings(rest)
	for _, g := range rest {
		write(g, byGroup[g])
	}
	return sb.String()
}

func writeRow(sb *strings.Builder, c *Command) {
	name := strings.ToUpper(strings.ReplaceAll(c.Name, "|", " "))
	fmt.Fprintf(sb, "| `%s` | %d | %s | %s |\n", name, c.Arity, mdCell(c.Summary), mdCell(c.Complexity))
}

func writeNotes(sb *strings.Builder, c *Command) {
	cmds := append([]*Command{c}, sortedSubcommands(c)...)
	for _, x := range cmds {
		if x.Note != "" {
			fmt.Fprintf(sb, "\n**Note** (`%s`): %s\n", strings.ToUpper(strings.ReplaceAll(x.Name, "|", " ")), x.Note)
		}
	}
}

func mdCell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

// CommandList renders the compact list of command names by group that the
// README carries.
func CommandList() string {
	var sb strings.Builder
	byGroup := map[string][]string{}
	for _, c := range Commands() {
		byGroup[c.Group] = append(byGroup[c.Group], strings.ToUpper(c.Name))
	}
	for _, g := range groupTitles {
		if names := byGroup[g.group]; len(names) > 0 {
			fmt.Fprintf(&sb, "- **%s**: %s\n", g.title, strings.Join(names, " "))
		}
	}
	return sb.String()
}
