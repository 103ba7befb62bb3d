"""The park registry: entities, their attribute tables, validation, import and export."""
