"""Machine translation: the translator contract (:mod:`.types`), Apertium from Debian
packages (:mod:`.apertium`), a LibreTranslate-compatible HTTP server (:mod:`.libretranslate`),
language detection for ``auto`` and document formats (:mod:`.documents`)."""
