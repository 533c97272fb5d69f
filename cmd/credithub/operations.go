package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/credithub/credithub/graph"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
)

const operationsUsage = `Usage:
  credithub operations add [--name NAME] FILE.graphql
      installs the GraphQL document in FILE (validated against the schema) as a
      persisted operation and prints its SHA-256: roles in PERSISTED_ONLY_ROLES may
      run it by sending extensions.persistedQuery.sha256Hash
  credithub operations list
  credithub operations remove HASH
      servers stop running it within 10 seconds`

func (e *environment) operations(ctx context.Context, args []string) error {
	if len(args) == 0 || isHelp(args[0]) {
		fmt.Fprintln(e.stdout, operationsUsage)
		if len(args) == 0 {
			return fmt.Errorf("operations needs add, list or remove")
		}
		return nil
	}
	if len(args) > 1 && isHelp(args[1]) {
		fmt.Fprintln(e.stdout, operationsUsage)
		return nil
	}
	switch args[0] {
	case "add":
		return e.operationsAdd(ctx, args[1:])
	case "list":
		return e.operationsList(ctx)
	case "remove":
		if len(args) != 2 {
			return fmt.Errorf("operations remove needs the operation's hash (see operations list)")
		}
		svc, closeDB, err := e.operationsService(ctx)
		if err != nil {
			return err
		}
		defer closeDB()
		if err := svc.RemoveOperation(ctx, cliCaller(), args[1]); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "removed %s (servers stop running it within 10 s)\n", args[1])
		return nil
	}
	fmt.Fprintln(e.stderr, operationsUsage)
	return fmt.Errorf("unknown operations command %q", args[0])
}

func (e *environment) operationsAdd(ctx context.Context, args []string) error {
	name := ""
	if len(args) >= 2 && args[0] == "--name" {
		name, args = args[1], args[2:]
	} else if len(args) >= 1 && strings.HasPrefix(args[0], "--name=") {
		name, args = strings.TrimPrefix(args[0], "--name="), args[1:]
	}
	if len(args) != 1 {
		fmt.Fprintln(e.stderr, operationsUsage)
		return fmt.Errorf("operations add needs one FILE.graphql")
	}
	text, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	if err := graph.ValidateDocument(string(text)); err != nil {
		return fmt.Errorf("%s does not validate against the schema: %w", args[0], err)
	}
	if name == "" {
		name = strings.TrimSuffix(filepath.Base(args[0]), filepath.Ext(args[0]))
	}
	svc, closeDB, err := e.operationsService(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	hash, err := svc.InstallOperation(ctx, cliCaller(), name, string(text))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "installed %s as %q; clients send its hash:\n", args[0], name)
	fmt.Fprintln(e.stdout, hash)
	return nil
}

func (e *environment) operationsList(ctx context.Context) error {
	svc, closeDB, err := e.operationsService(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	ops, err := svc.Operations(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "HASH\tNAME\tADDED\tBY")
	for _, op := range ops {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", op.Hash, op.Name, op.AddedAt.Format(time.DateTime), op.AddedBy)
	}
	return tw.Flush()
}

func (e *environment) operationsService(ctx context.Context) (*service.Service, func(), error) {
	_, db, err := e.openDB(ctx)
	if err != nil {
		return nil, nil, err
	}
	return service.New(db), func() { db.Close() }, nil
}

// cliCaller is the identity of the operator running a command, for the
// audit log.
func cliCaller() credit.Caller {
	return credit.Caller{ID: cliUser(), Role: credit.RoleAdmin, Institution: "credithub command line"}
}

func isHelp(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "-help" || arg == "help"
}
