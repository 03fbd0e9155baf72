"""Shared fixtures. Database-specific runs are chosen by SECURACT_DATABASE_URL (see Makefile)."""
