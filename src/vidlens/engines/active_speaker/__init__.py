"""Audio-visual active-speaker detection: which tracked face is speaking, over time.

No pretrained audio-visual model ships offline, so this one is built from measured signals:
mouth openness from face landmarks (:mod:`vidlens.engines.faces`), voice activity (Silero
VAD) and the loudness envelope of the audio, and diarized speaker turns when available.
Modules: :mod:`.settings`, :mod:`.audio` (the audio signals), :mod:`.evidence` (synchrony
of a mouth with the audio over a stretch of time), :mod:`.scoring` (per-sample scores,
speaker-to-face mapping), :mod:`.types`, :mod:`.engine`.
"""
