"""The web portal: server-rendered pages (FastAPI + Jinja2) for every role, on the services' public APIs only."""
