"""Browser views of runs: `watch` follows a run's file as it is written, `explore` reruns a small market as
sliders move. Flask serves the pages, Debian's Chart.js draws them (no CDN: the pages work offline)."""
