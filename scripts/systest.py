"""Helpers shared by the system tests of the poolserve binary: start it, speak raw HTTP/1.1 to it
over loopback, read its own /proc figures."""
import json, os, re, signal, socket, subprocess, sys, threading, time

results = []

def check(name, ok, detail=""):
    results.append(bool(ok))
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else ": " + str(detail)[:400]), flush=True)

def finish():
    passed, failed = results.count(True), results.count(False)
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)

class Server:
    """A poolserve process on a free port (and a free admin port when asked)."""
    def __init__(self, binary, *flags, env=None, admin=False, log_format="json"):
        args = [binary, "--port", "0", "--log-format", log_format, *flags]
        if admin:
            args += ["--admin-port", "0"]
        self.p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  env=dict(os.environ, **(env or {})))
        line = self.p.stdout.readline().decode()
        m = re.match(r"listening on http://127\.0\.0\.1:(\d+)", line)
        assert m, "no listening line: %r %r" % (line, self.p.stderr.read(2000) if self.p.poll() is not None else "")
        self.port = int(m.group(1))
        self.admin_port = None
        if admin:
            m = re.match(r"admin listening on http://127\.0\.0\.1:(\d+)", self.p.stdout.readline().decode())
            self.admin_port = int(m.group(1))
        self.pid = self.p.pid
        # Read the log as it comes: a full pipe would block the server's writes.
        self._log = []
        self._reader = threading.Thread(target=lambda: self._log.extend(iter(lambda: self.p.stderr.read(65536), b"")), daemon=True)
        self._reader.start()

    def status(self, field):
        """A field of /proc/PID/status in bytes (VmRSS, VmHWM)."""
        with open("/proc/%d/status" % self.pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
        return 0

    def rss(self):
        return self.status("VmRSS")

    def cpu_seconds(self):
        with open("/proc/%d/stat" % self.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.p.poll() is None:
            self.p.send_signal(sig)
        try:
            code = self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            code = self.p.wait()
        self._reader.join(5)
        self.stderr = b"".join(self._log)
        return code

def connect(port, source=None, timeout=10):
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

def request(port, method, path, body=b"", headers=None, source=None, timeout=10, close=True, host="x", version="HTTP/1.1"):
    s = connect(port, source, timeout)
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
        s.close()

def raw(port, data, timeout=10):
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

EXAMPLE = json.dumps({"input": [[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]], "kernelSize": 2}).encode()
JSON = {"Content-Type": "application/json"}
MB = 1 << 20
