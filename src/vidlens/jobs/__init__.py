"""The job engine: a persistent queue, workers, handlers and webhooks."""
