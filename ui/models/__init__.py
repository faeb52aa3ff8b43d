"""Qt item models over service queries: plain rows and ids, never live database objects."""
