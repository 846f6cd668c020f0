"""Shot (scene) detection: hard cuts and fades through black.

Modules: :mod:`.settings` (thresholds), :mod:`.types` (results), :mod:`.detector` (the
algorithm on per-frame features, no I/O), :mod:`.engine` (``SceneDetector``: decodes a
video with :mod:`vidlens.engines.video.decode` and runs the algorithm).

Use::

    from vidlens.engines.scenes.engine import SceneDetector
    result = SceneDetector().detect(Path("talk.mp4"))
    for scene in result.scenes:
        print(scene.index, scene.start, scene.end, scene.transition)
"""
