"""Content moderation: nudity with NudeNet's ``320n.onnx`` (:mod:`.nudity`)."""
