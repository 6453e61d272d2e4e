"""The foundation under projections, workflows and the API: settings, the container,
the event store's extensions (chained recorders, audit chain, checkpoints, transcoder),
group commit, the log follower and consumer positions."""
