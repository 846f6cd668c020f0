"""Reframing: a virtual camera that follows the active speaker, and the renderer.

Modules: :mod:`.settings`, :mod:`.types` (the crop plan), :mod:`.aspect` (target sizes),
:mod:`.targets` (whom to follow in each scene), :mod:`.camera` (a smooth crop path per
followed stretch), :mod:`.render` (decode → crop or blur-pad → H.264/AAC), :mod:`.engine`.
"""
