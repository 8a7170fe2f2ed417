"""The comparison report and the other files written for people: assembled
in ``build.py`` from sections of tables (``sections.py``: channels, needs,
directions, data quality; ``standard.py``: thresholds, rankings and the map,
centred on the federal standard; ``texts.py``: definitions and template
lineage; ``agencies.py``: a card and a timeline per agency), cells in
``tables.py``, words in ``i18n.py`` (Russian, English for the record), links
to sources in ``links.py``, charts in ``svg.py`` (the tile map's layout in
``tiles.json``), written as HTML (one self-contained file, inline CSS, SVG and
a small script) and Markdown by ``export.py`` and as XLSX by ``xlsx.py``;
``difftext.py`` renders ``registry diff``.

Templates, CSS and data live next to these modules as package data, so the
report is built offline and opens offline.
"""
