"""Media intake: streaming upload, URL download (SSRF-safe), probing, limits and storage."""
