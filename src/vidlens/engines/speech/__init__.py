"""Speech engines: speech-to-text (faster-whisper) and the transcript output formats."""
