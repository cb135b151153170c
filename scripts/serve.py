#!/usr/bin/env python3
"""Runs a command against a poolserve started for it: how make recipes give a server to a tool
that takes a URL (check-openapi.py, schemathesis, differential.py, oip_e2e.py, the Swift client's
tests).

    serve.py BINARY [SERVER FLAGS...] -- COMMAND [ARGS...]

Starts BINARY on a free port with the flags given (scripts/lib/systest.py's Server: it waits for
the listening line), runs COMMAND with {url} and {port} in its arguments replaced by the server's
(and {admin_url} when the flags hold --admin-port) and POOLSERVE_URL in its environment, then
stops the server with SIGTERM. Exits with the command's status, or 1 when the command passed but
the server died during it or did not exit 0; in either failure the end of the server's log is
printed."""
import os, subprocess, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from systest import Server, ServerError  # noqa: E402


def main(argv):
    if "--" not in argv or argv.index("--") < 1 or argv.index("--") == len(argv) - 1:
        sys.exit(__doc__)
    split = argv.index("--")
    binary, flags, command = argv[0], argv[1:split], argv[split + 1:]
    try:
        server = Server(binary, *flags, log_format=None)
    except ServerError as e:
        sys.exit("serve.py: %s" % e)
    fields = {"{url}": server.url, "{port}": str(server.port), "{admin_url}": server.admin_url or ""}
    for placeholder, value in fields.items():
        command = [arg.replace(placeholder, value) for arg in command]
    env = dict(os.environ, POOLSERVE_URL=server.url)
    status, died = 1, False
    try:
        status = subprocess.run(command, env=env).returncode
        if status < 0:
            status = 128 - status  # killed by a signal, as a shell reports it
    finally:
        died = not server.running()
        code = server.stop()
    problems = []
    if died:
        problems.append("the server exited during the command (exit code %s)" % code)
    elif code != 0:
        problems.append("the server exited %s after SIGTERM" % code)
    if status != 0 or problems:
        tail = server.log_text().splitlines()[-40:]
        print("serve.py: %s; the end of its log:\n%s" % ("; ".join(problems) or "the command exited %d" % status,
                                                        "\n".join("  " + l for l in tail)), file=sys.stderr)
    return status if status != 0 else (1 if problems else 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
