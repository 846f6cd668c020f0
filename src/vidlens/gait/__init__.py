"""Running-gait analysis (the ``/analysis`` surface of reference/gait-analysis.txt): events,
metrics, angles, scores and pictures from a pose sequence, and the job that runs it. See
docs/gait.md."""
