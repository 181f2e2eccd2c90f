"""The web server around the Streamlit pages (Starlette, through st.App in app.py): the sign-in and sign-out
routes that set and clear the session cookie, /healthz, and the lifespan that prepares the database and
the evaluation before the first visitor. The domain (indicators/) never imports this package."""
