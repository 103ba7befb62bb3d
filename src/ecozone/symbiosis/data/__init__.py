"""Reference data of the symbiosis engine: taxonomy, waste codes, knowledge base, literature flows."""
