"""On-screen text: an OCR engine contract (:mod:`.types`), the RapidOCR implementation
(:mod:`.rapid`, PP-OCR ONNX models shipped inside the ``rapidocr`` wheel) and text tracks
merged across sampled video frames (:mod:`.tracks`)."""
