"""Writers of the comparison report: HTML (one self-contained file, inline CSS
and SVG), XLSX (one sheet per table) and Markdown.

Templates and CSS live next to this module as package data, so the report is
built offline and opens offline.
"""
