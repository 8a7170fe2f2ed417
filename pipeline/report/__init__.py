"""The comparison report and the other files written for people: assembled
in ``build.py`` (sections of tables from ``sections.py``, cells in
``tables.py``, charts in ``svg.py``), written as HTML (one self-contained file,
inline CSS and SVG), XLSX (one sheet per table) and Markdown by ``export.py``;
``difftext.py`` renders ``registry diff``.

Templates and CSS live next to these modules as package data, so the report is
built offline and opens offline.
"""
