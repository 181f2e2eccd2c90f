"""Dabiao 达标: plan targets versus measured reality. The domain package; never imports streamlit."""

import os

# openpyxl writes its XML through lxml when lxml is installed (python-docx, for plan documents, brings it),
# and the bytes of every XLSX (templates, exports, the committed upload fixtures) would change. Keep the
# writer openpyxl has always used here; a caller may still choose with OPENPYXL_LXML.
os.environ.setdefault("OPENPYXL_LXML", "False")

__version__ = "0.1.0"
