"""Importeren: upload survey exports and see what was detected."""
import streamlit as st

st.title("Importeren")
st.write("Upload hier de exports van uw enquêtes en gesprekken.")
