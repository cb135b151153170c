#!/usr/bin/env python3
"""Checks that openapi.yaml is a valid OpenAPI 3.1 document and that its examples are true:
every request example is sent to a running poolserve (BASE_URL) and must answer 200, and where a
response example is given under the same name the answer must equal it. Path parameters take
their `example`.
Usage: check-openapi.py BASE_URL   (make openapi-check: scripts/serve.py BINARY -- check-openapi.py {url})"""
import json, os, sys, urllib.request, urllib.error
import yaml
from openapi_spec_validator import validate

SPEC = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "openapi.yaml")
base = sys.argv[1].rstrip("/")
spec = yaml.safe_load(open(SPEC))
validate(spec)
checked = 0
for path, item in spec["paths"].items():
    post = item.get("post")
    if not post:
        continue
    for parameter in post.get("parameters", []):
        if "$ref" in parameter:
            parameter = spec["components"]["parameters"][parameter["$ref"].split("/")[-1]]
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", parameter["example"])
    examples = post["requestBody"]["content"]["application/json"].get("examples", {})
    answers = post["responses"]["200"]["content"]["application/json"].get("examples", {})
    for name, ex in examples.items():
        req = urllib.request.Request(base + path, data=json.dumps(ex["value"]).encode(),
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                got = json.loads(r.read())
        except urllib.error.HTTPError as e:
            sys.exit(f"{path} example {name}: HTTP {e.code}: {e.read().decode()}")
        if name in answers and got != answers[name]["value"]:
            sys.exit(f"{path} example {name}: got {got}, openapi.yaml says {answers[name]['value']}")
        checked += 1
served = urllib.request.urlopen(base + "/openapi.yaml").read().decode()
if served != open(SPEC).read():
    sys.exit("GET /openapi.yaml differs from openapi.yaml")
print(f"openapi.yaml: valid; {checked} request examples answered as documented; served copy identical")
