"""Persistence: database engine, tables, repositories and the media store."""
