"""Core services: quiz posts and answers, scores, term lookup."""
