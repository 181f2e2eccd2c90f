"""The reference page of benchmark 3: a trivial Streamlit page, served the same way as the app."""

import streamlit as st

st.set_page_config(page_title="trivial", layout="wide")
st.title("Trivial page 参照页")
st.write("Nothing but text: what any Streamlit page costs to open.")
st.markdown("trivial-page-done")
