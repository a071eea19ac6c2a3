"""The servers Marsad is compared with: the same endpoints and SQL in FastAPI + pydantic v2, and a bare
Starlette handler (the HTTP floor). Each reads its database from BENCH_DSN."""
