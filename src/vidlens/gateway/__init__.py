"""The AI gateway surface (reference/ai-gateway-api.txt): JSON:API job resources under
``/v1/``. Built so far: transcriptions (``/v1/transcriptions``, job kind
``gateway.transcription``). See docs/gateway.md."""
