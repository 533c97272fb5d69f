package service

import "context"

// invalidateEverything makes every cached answer unservable, after a change
// that can alter answers about any subject has committed: a rule, a
// department, a list domain or a catalogue measure. It moves the cache's
// epoch (invalidateAll), so the generations of every stored answer stop
// being current on every server; if Redis cannot be told, the epoch moves
// as soon as it answers and nothing is served from the cache meanwhile.
func (s *Service) invalidateEverything(ctx context.Context) {
	s.invalidateAll(ctx)
}
