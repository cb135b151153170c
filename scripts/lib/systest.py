"""What the Python checks of the poolserve binary share: `Server` starts it (on a free port, or the
port given) and stops it; the helpers below speak raw HTTP/1.1 to it over loopback, read its
/metrics, its log and its own /proc figures, and wait on that state.

The checks never sleep for a fixed time and hope the server has caught up: they wait until the
server's own state says so (a gauge of /metrics, a log line, a socket closed), bounded only by
HANG_GUARD, which is there to end a hung run, not as a deadline a busy machine has to meet.

A check script imports it with
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "lib"))
    from systest import Server, check, finish, ...
"""
import atexit, json, os, re, select, signal, socket, subprocess, sys, threading, time

# The longest any wait on the server may take (env SYSTEST_TIMEOUT, seconds): a guard against a
# hang, far above what any machine needs.
HANG_GUARD = float(os.environ.get("SYSTEST_TIMEOUT", "300"))
# Socket operations of one request (connect, send, each receive).
SOCKET_TIMEOUT = 60

EXAMPLE = json.dumps({"input": [[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]], "kernelSize": 2}).encode()
JSON = {"Content-Type": "application/json"}
MB = 1 << 20

# --- results: one PASS/FAIL line per check, 'N passed, N failed' at the end

results = []

def check(name, ok, detail=""):
    results.append(bool(ok))
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else ": " + str(detail)[:400]), flush=True)
    return bool(ok)

def finish():
    passed, failed = results.count(True), results.count(False)
    print("%d passed, %d failed" % (passed, failed), flush=True)
    sys.exit(1 if failed else 0)

# --- waiting on state

def wait_until(condition, what, timeout=None, interval=0.05):
    """Calls `condition` until it returns a true value, and returns that value. After `timeout`
    (default HANG_GUARD) raises TimeoutError saying what was waited for."""
    deadline = time.monotonic() + (HANG_GUARD if timeout is None else timeout)
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError("waited %.0f s for %s" % (HANG_GUARD if timeout is None else timeout, what))
        time.sleep(interval)

def parse_metrics(text):
    """The Prometheus text exposition as {series (name and labels, as written): value}."""
    series = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            try:
                series[name] = float(value)
            except ValueError:
                pass
    return series

# --- the server

class ServerError(Exception):
    """The server did not start (its output so far is in the message)."""

_running = set()

@atexit.register
def _kill_leftovers():
    for server in list(_running):
        if server.p.poll() is None:
            server.p.kill()
            server.p.wait()

class Server:
    """A poolserve process: `Server(binary, *flags)` starts it and returns once it has printed its
    listening line(s).

    port         0 (default) for a free port, or a fixed one; not added when flags hold --port
    admin        True for an admin listener on a free port, or a fixed port (implied when flags
                 hold --admin-port); /metrics is then read there, outside the main port's figures
    log_format   "json" (default) or "text", or None for the binary's default
    log_level    --log-level, when given
    log          where its log (stderr) goes: None keeps it here (log_text(), records(),
                 `stderr` after stop()), a path writes it to that file, or subprocess.DEVNULL
    env, cwd     added to the environment / the working directory
    prefix       a command the binary is run under, e.g. ["taskset", "-c", "1"]

    It is also a context manager: `with Server(...) as s:` stops it at the end (kills it when the
    block raised). Servers still running when the script exits are killed."""

    def __init__(self, binary, *flags, port=0, admin=False, log_format="json", log_level=None, log=None,
                 env=None, cwd=None, prefix=()):
        args = [*prefix, binary, *flags]
        if "--port" not in flags:
            args += ["--port", str(port)]
        if admin is not False and admin is not None and "--admin-port" not in flags:
            args += ["--admin-port", "0" if admin is True else str(admin)]
        if log_format:
            args += ["--log-format", log_format]
        if log_level:
            args += ["--log-level", log_level]
        self.args = args
        self.log_path = log if isinstance(log, str) else None
        self._log_file = open(log, "wb") if self.log_path else None
        stderr = self._log_file or (subprocess.PIPE if log is None else log)
        self.p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=stderr, cwd=cwd,
                                  env=dict(os.environ, **(env or {})))
        _running.add(self)
        self.pid = self.p.pid
        self.stderr = None
        # Read both pipes as they come: a full pipe would block the server's writes.
        self._log, self._out = [], b""
        self.banner = []  # the listening line(s) as printed
        self._readers = []
        if self.p.stderr:
            self._readers.append(self._drain(self.p.stderr, self._log.append))
        try:
            self.url = self._listening(r"listening on (http://(\S+):(\d+))")
            self.port = int(self.url.rsplit(":", 1)[1])
            self.admin_port = self.admin_url = None
            if "--admin-port" in args:
                self.admin_url = self._listening(r"admin listening on (http://(\S+):(\d+))")
                self.admin_port = int(self.admin_url.rsplit(":", 1)[1])
        except ServerError:
            self.kill()
            raise
        self._readers.append(self._drain(self.p.stdout, lambda chunk: None))

    def _drain(self, pipe, keep):
        def run():
            for chunk in iter(lambda: pipe.read1(65536), b""):
                keep(chunk)
        t = threading.Thread(target=run, daemon=True)
        t.start()
        return t

    def _listening(self, pattern):
        """The URL of the next stdout line, which must match `pattern`."""
        deadline = time.monotonic() + HANG_GUARD
        fd = self.p.stdout.fileno()
        while b"\n" not in self._out:
            ready, _, _ = select.select([fd], [], [], max(0, deadline - time.monotonic()))
            chunk = os.read(fd, 4096) if ready else b""
            if not chunk:
                why = "its output closed" if ready else "nothing for %.0f s" % HANG_GUARD
                try:
                    why += ", exit code %s" % self.p.wait(timeout=5 if ready else 0)
                except subprocess.TimeoutExpired:
                    pass
                for t in self._readers:
                    t.join(1)  # the last of its log, for the message
                raise ServerError("%s: no listening line (%s); output %r, log %r" % (
                    " ".join(self.args), why, self._out[:300], self.log_text()[-1500:]))
            self._out += chunk
        line, _, self._out = self._out.partition(b"\n")
        self.banner.append(line.decode(errors="replace"))
        m = re.match(pattern, self.banner[-1])
        if not m:
            raise ServerError("%s: expected %r, got %r" % (" ".join(self.args), pattern, line))
        host = m.group(2).strip("[]")
        return "http://%s:%s" % ("127.0.0.1" if host == "0.0.0.0" else m.group(2), m.group(3))

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        if kind is None:
            self.stop()
        else:
            self.kill()

    # --- its log

    def log_bytes(self):
        """Its log so far (kept here or in the file `log`), as written."""
        if self.log_path:
            with open(self.log_path, "rb") as f:
                return f.read()
        return b"".join(self._log)

    def log_text(self):
        return self.log_bytes().decode("utf-8", errors="replace")

    def records(self):
        """The complete JSON log lines so far, parsed."""
        out = []
        for line in self.log_text().split("\n")[:-1]:
            if line.startswith("{"):
                try:
                    out.append(json.loads(line))
                except ValueError:
                    pass
        return out

    def wait_log(self, msg, what=None):
        """Waits until the JSON log has a line with this `msg` (e.g. "draining"); returns it."""
        return wait_until(lambda: next((r for r in self.records() if r.get("msg") == msg), None),
                          what or "the log line %r" % msg)

    # --- /metrics

    def metrics(self):
        """Its /metrics, parsed (from the admin port when there is one: then the scrape is not
        among the figures; on the main port the scrape's own connection is)."""
        return parse_metrics(request(self.admin_port or self.port, "GET", "/metrics")[2].decode())

    def gauge(self, name):
        return self.metrics().get(name, 0.0)

    def wait_metrics(self, condition, what):
        """Scrapes /metrics until `condition(metrics)` holds; returns those metrics."""
        def scrape():
            m = self.metrics()
            return m if condition(m) else None
        return wait_until(scrape, what, interval=0.1)

    def wait_idle(self, connections=True):
        """Waits until no request is in flight, the memory budget holds nothing and (with
        `connections`) no connection is open but a main-port scrape's own."""
        own = 0 if self.admin_port else 1
        return self.wait_metrics(lambda m: m.get("poolserve_requests_in_flight") == 0 and m.get("poolserve_inflight_bytes") == 0
                                 and (not connections or m.get("poolserve_open_connections", 0) <= own),
                                 "no request in flight, no reserved byte%s" % (", no open connection" if connections else ""))

    # --- /proc

    def status(self, field):
        """A field of /proc/PID/status in bytes (VmRSS, VmHWM)."""
        with open("/proc/%d/status" % self.pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
        return 0

    def rss(self):
        return self.status("VmRSS")

    def rss_back(self, idle, within):
        """Its RSS once no request is in flight, nothing is reserved, no connection is open and
        the RSS is within `within` bytes of `idle` (the sweeper gives freed memory back to the
        system a moment after the requests end) and no longer falling; the figure read at
        HANG_GUARD if it never comes back."""
        self.wait_idle()
        try:
            wait_until(lambda: self.rss() - idle < within, "RSS back within %d MB of idle" % (within // MB))
        except TimeoutError as e:
            print("  " + str(e), flush=True)
            return self.rss()
        last = self.rss()
        while True:  # the figure printed: read once it stops falling
            time.sleep(0.5)
            now = self.rss()
            if now >= last:
                return now
            last = now

    def cpu_seconds(self):
        """User + system CPU time it has used."""
        with open("/proc/%d/stat" % self.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    # --- stopping

    def running(self):
        return self.p.poll() is None

    def send_signal(self, sig):
        self.p.send_signal(sig)

    def wait(self, timeout=None):
        """Its exit code, once it has exited (killed after `timeout`, default HANG_GUARD)."""
        try:
            code = self.p.wait(timeout=HANG_GUARD if timeout is None else timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            code = "still running %.0f s after the signal (killed)" % (HANG_GUARD if timeout is None else timeout)
        for t in self._readers:
            t.join(5)
        if self._log_file:
            self._log_file.close()
        self.stderr = self.log_bytes()
        _running.discard(self)
        return code

    def stop(self, sig=signal.SIGTERM, timeout=None):
        """Sends `sig` (SIGTERM: a graceful drain) and returns the exit code."""
        if self.p.poll() is None:
            self.p.send_signal(sig)
        return self.wait(timeout)

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
        return self.wait()

# --- raw HTTP/1.1 over loopback

def connect(port, source=None, timeout=SOCKET_TIMEOUT):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    if source:
        s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    return s

def read_response(s, head_only=False):
    """(status, headers, body) of one response; body decoded from chunks when chunked."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed before a response: %r" % data[:200])
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for l in lines[1:]:
        if ":" in l:
            k, v = l.split(":", 1)
            headers[k.lower()] = v.strip()
    if head_only:
        return status, headers, rest
    if "content-length" in headers:
        n = int(headers["content-length"])
        while len(rest) < n:
            chunk = s.recv(65536)
            if not chunk:
                break
            rest += chunk
        return status, headers, rest[:n]
    if headers.get("transfer-encoding") == "chunked":
        while not rest.endswith(b"0\r\n\r\n"):
            chunk = s.recv(65536)
            if not chunk:
                break
            rest += chunk
        body, i = b"", 0
        while True:
            j = rest.index(b"\r\n", i)
            size = int(rest[i:j], 16)
            if size == 0:
                break
            body += rest[j + 2:j + 2 + size]
            i = j + 2 + size + 2
        return status, headers, body
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        rest += chunk
    return status, headers, rest

def request(port, method, path, body=b"", headers=None, source=None, timeout=SOCKET_TIMEOUT, close=True, host="x",
            version="HTTP/1.1", sock=None):
    """One request on a new connection (closed after it), or on the open connection `sock` (left
    open); (status, headers, body) of its answer."""
    s = sock or connect(port, source, timeout)
    head = "%s %s %s\r\n" % (method, path, version)
    if host is not None:
        head += "Host: %s\r\n" % host
    if body or method == "POST":
        head += "Content-Length: %d\r\n" % len(body)
    for k, v in (headers or {}).items():
        head += "%s: %s\r\n" % (k, v)
    if close:
        head += "Connection: close\r\n"
    s.sendall(head.encode("latin-1") + b"\r\n" + body)
    try:
        return read_response(s, head_only=(method == "HEAD"))
    finally:
        if sock is None:
            s.close()

def raw(port, data, timeout=SOCKET_TIMEOUT):
    """Sends raw bytes, returns everything until the server closes (b'' when it just closes)."""
    s = connect(port, timeout=timeout)
    try:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        out = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return out
            out += chunk
    except OSError:
        return b"<reset>"
    finally:
        s.close()

def refuses_connections(port):
    """Whether nothing listens on `port` any more (the drain has closed the listening socket)."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=SOCKET_TIMEOUT).close()
        return False
    except OSError:
        return True


def closed_by_peer(s):
    """Whether the server has closed this connection, without waiting (what it sent before is
    read and dropped)."""
    timeout = s.gettimeout()
    s.setblocking(False)
    try:
        while True:
            if s.recv(65536) == b"":
                return True
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        s.settimeout(timeout)

def problem(status, headers, body, want):
    """Whether the answer is problem+json with status `want`."""
    if status != want or headers.get("content-type") != "application/problem+json":
        return False
    try:
        return json.loads(body).get("status") == want
    except ValueError:
        return False

def lp_backward(inputs=40000, kernel=20000):
    """The issue's long lp request: kernel `kernel` over `inputs` ones, p 3.7."""
    out = inputs - kernel + 1
    return json.dumps({"mode": "lp", "p": 3.7, "kernelSize": kernel, "stride": 1,
                       "input": [[[1] * inputs]], "gradOutput": [[[1] * out]]}).encode()
