"""The reframe pipeline surface (``/api/v2``, contract ``reference/reframe-pipeline.txt``).

Modules: :mod:`.settings` (the ``reframe`` settings section), :mod:`.steps` (step names,
prerequisites and the step runners shared by jobs and the CLI), :mod:`.results` (results
back from JSON), :mod:`.llm` (``reframe_llm``: an OpenAI-compatible chat endpoint),
:mod:`.service` (videos, steps, status, downloads and credits), :mod:`.jobs` (job kinds).
"""
