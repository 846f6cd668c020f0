"""Local analysis engines: small typed contracts, one module per implementation.

Importing this package has no side effects and imports no heavy dependency; each engine
imports its runtime (faster-whisper, ...) only when it is first used.
"""
