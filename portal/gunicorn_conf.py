"""gunicorn settings for `make serve`, `make load` and `make bench-http`.

One process per CPU, each with a few threads. The page cache is per process with the default
local-memory backend, so fewer, threaded processes mean fewer cold copies of each page (every
process renders a page once before it can answer it from memory); the threads keep a process
busy while one request waits on the database, and serve keep-alive connections. The app writes
its own JSON request log (portal.requests), so gunicorn's access log stays off.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", os.cpu_count() or 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
timeout = 30
graceful_timeout = 20
accesslog = None
errorlog = "-"
# X-Forwarded-Proto is trusted only from the proxy on this machine.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# No shared control socket under ~/.gunicorn: the benchmarks run a second server beside `serve`.
control_socket_disable = True
