"""One keep-alive HTTP connection that POSTs JSON and reads JSON back, for the differential
scripts: a dropped connection is opened again once; a transport failure is status 0."""
import http.client
import json
import urllib.parse


class JSONClient:
    def __init__(self, base, timeout=120):
        u = urllib.parse.urlparse(base)
        self.host, self.port, self.timeout = u.hostname, u.port or 80, timeout
        self.conn = None

    def post(self, path, body):
        """(status, Content-Type, the answer's JSON, or {"_raw": its start} / {"_error": why})."""
        data = json.dumps(body).encode()
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                self.conn.request("POST", path, data, {"Content-Type": "application/json"})
                r = self.conn.getresponse()
                raw = r.read()
                ctype = r.getheader("Content-Type", "")
                try:
                    return r.status, ctype, json.loads(raw)
                except ValueError:
                    return r.status, ctype, {"_raw": raw[:300].decode(errors="replace")}
            except (OSError, http.client.HTTPException) as e:
                self.conn = None
                if attempt:
                    return 0, "", {"_error": repr(e)}
        return 0, "", {}
