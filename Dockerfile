# Bereikwijzer for a shared server. Runs as a non-root user; data in /data.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    BEREIKWIJZER_DATA_DIR=/data \
    STREAMLIT_SERVER_ADDRESS=0.0.0.0 STREAMLIT_SERVER_PORT=8501

WORKDIR /app
COPY requirements.txt pyproject.toml README.md ./
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py ./
COPY .streamlit ./.streamlit
COPY ui ./ui
COPY surveys ./surveys
COPY profiles ./profiles
COPY reference ./reference
COPY engagement ./engagement
COPY reports ./reports
COPY store ./store
RUN pip install --no-cache-dir --no-deps . \
    && useradd --create-home --uid 10001 bereikwijzer \
    && mkdir -p /data && chown bereikwijzer /data

USER bereikwijzer
EXPOSE 8501
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://localhost:8501/_stcore/health')"
CMD ["streamlit", "run", "app.py"]
