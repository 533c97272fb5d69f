package store

import "context"

// DeploymentSecret reads the secret called name (migration 00015): made
// once by the database, the same for every server of the deployment.
func (db *DB) DeploymentSecret(ctx context.Context, name string) ([]byte, error) {
	var v []byte
	err := db.get(ctx, &v, `SELECT value FROM deployment_secrets WHERE name = $1`, name)
	return v, err
}
