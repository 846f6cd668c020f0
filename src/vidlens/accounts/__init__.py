"""Accounts, API keys, OAuth clients and the credit ledger."""
