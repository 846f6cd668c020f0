"""Frame-level vision shared by the video-analysis features: one sampled decoding pass fed
to several analysers (:mod:`.sampling`), observations turned into time ranges
(:mod:`.timeline`), and a YOLO ONNX detector (:mod:`.yolo`) behind labels and moderation."""
