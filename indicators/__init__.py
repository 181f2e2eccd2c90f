"""Dabiao 达标: plan targets versus measured reality. The domain package; never imports streamlit."""

__version__ = "0.1.0"
