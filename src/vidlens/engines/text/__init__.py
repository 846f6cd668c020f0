"""Text features of a video, from its transcript and its on-screen text: sentiment over
time (:mod:`.sentiment`, VADER), key phrases with time ranges (:mod:`.topics`, YAKE), an
extractive summary (:mod:`.summary`, sumy LexRank with a regex tokenizer), brands named on
screen (:mod:`.brands`) and the language of a text (:mod:`.language`, py3langid)."""
