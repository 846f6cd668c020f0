"""Communication coaching: a recorded talk in, coaching feedback traceable to evidence out.

The product layer over the speech, delivery and face engines (no HTTP here). Modules, one
job each: :mod:`.settings`, :mod:`.profiles` (context phrases → weights and targets),
:mod:`.speech_pass` and :mod:`.face_pass` (the two halves, run in parallel by
:mod:`.analysis`), :mod:`.emotion_model` (the packaged 7-class FER model),
:mod:`.measurements`, :mod:`.scoring` (components, categories, overall, evidence),
:mod:`.timeseries`, :mod:`.moments`, :mod:`.phrasing` and :mod:`.feedback` (the texts),
:mod:`.emotion`, :mod:`.governance` and :mod:`.engine_analysis` (the "biometric" analysis),
:mod:`.assemble` (the contract's objects). docs/coaching.md documents every formula.

Importing this package loads no model and no heavy library.
"""
