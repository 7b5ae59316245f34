"""The JSON API shell under /api/v1 (DESIGN §5): bearer tokens, one error body, OpenAPI."""
