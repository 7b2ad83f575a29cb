#!/usr/bin/env python3
"""Runs sqlmap over every query parameter, header parameter and JSON body field of every operation in a
running Fieldbook server's OpenAPI document (see sqlmap-sweep, which starts the server with the demo data).

Each operation becomes one sqlmap request file: path parameters hold real ids of the demo data, every query
and header value and every leaf of the JSON body is marked with sqlmap's injection mark (*), and the request
carries the bearer token of the first demo user whose answer is not 401 or 403. Exit status 1 if sqlmap
reports any parameter injectable, 0 otherwise; a summary goes to stdout and to OUT/summary.txt.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

PASSWORD = "fieldbook-demo"
# Tried in this order for each operation; the first whose answer is not 401 or 403 is used.
LOGINS = ["walter", "maria", "exec", "admin"]
# The demo user whose sign-in the sign-in endpoints are tried with: nobody the sweep itself signs in as.
SIGN_IN_SAMPLE = "wendy"
# Operations that end the sign-in the sweep uses, and have nothing to inject; and the password change, which would
# change the password the sweep signs in with (its two fields reach only Argon2, never a statement).
SKIPPED = {("DELETE", "/api/v1/auth/session"), ("DELETE", "/api/v1/auth/tokens/current"),
           ("PUT", "/api/v1/auth/password")}


class Server:
    def __init__(self, base):
        self.base = base

    def call(self, method, path, token=None, body=None, headers=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if token:
            request.add_header("Authorization", "Bearer " + token)
        if body is not None:
            request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:
                text = answer.read()
                return answer.status, json.loads(text) if text[:1] in (b"{", b"[") else None
        except urllib.error.HTTPError as refused:
            return refused.code, None

    def sign_in(self, login):
        status, answer = self.call("POST", "/api/v1/auth/tokens", body={"login": login, "password": PASSWORD})
        if status != 201:
            sys.exit(f"sign-in of {login} refused ({status})")
        return answer["token"]


def demo_ids(server, tokens):
    """Real ids of the demo data, by kind, for path parameters and for id fields of bodies."""
    admin, manager, worker = tokens["admin"], tokens["maria"], tokens["walter"]
    users = server.call("GET", "/api/v1/users?size=500", admin)[1]["items"]
    by_login = {user["login"]: user for user in users}
    sites = server.call("GET", "/api/v1/sites?size=500", admin)[1]["items"]
    reports = server.call("GET", "/api/v1/reports?size=500", manager)[1]["items"]
    portfolios = server.call("GET", "/api/v1/portfolios", admin)[1]
    portfolios = portfolios["items"] if isinstance(portfolios, dict) else portfolios
    photos = []
    for report in reports:
        status, listed = server.call("GET", f"/api/v1/reports/{report['id']}/photos", manager)
        photos += listed if status == 200 and isinstance(listed, list) else []
    conflicts = server.call("GET", "/api/v1/sync/conflicts", worker)[1] or []
    return {
        # the photo the sweep's push announces, whose upload the upload endpoints then see
        "upload": str(uuid.uuid4()),
        # the user whose record the administration endpoints change, made for the sweep
        "user": server.call("POST", "/api/v1/users", admin, {"login": "sweep.target", "name": "Sweep Target",
                            "email": "sweep.target@example.com", "role": "WORKER",
                            "password": SAMPLES["password"]})[1]["id"],
        "author": by_login["walter"]["id"],
        "site": sites[0]["id"],
        "report": reports[0]["id"],
        "portfolio": portfolios[0]["id"],
        "photo": photos[0]["id"] if photos else str(uuid.uuid4()),
        "conflict": conflicts[0]["id"] if conflicts else str(uuid.uuid4()),
    }


def id_for(name, path, ids):
    name = name.lower()
    if "/uploads" in path and name == "photoid":
        return ids["upload"]
    for kind, key in (("user", "user"), ("site", "site"), ("report", "report"), ("portfolio", "portfolio"),
                      ("photo", "photo"), ("conflict", "conflict"), ("author", "author"), ("actor", "author")):
        if name.startswith(kind):
            return ids[key]
    for segment, key in (("/users/", "user"), ("/sites/", "site"), ("/portfolios/", "portfolio"),
                         ("/photos/", "photo"), ("/uploads", "upload"), ("/conflicts/", "conflict"),
                         ("/reports/", "report")):
        if segment in path:
            return ids[key]
    return str(uuid.uuid4())


SAMPLES = {"page": 0, "size": 10, "limit": 100, "protocolVersion": 1, "lifetimeDays": 1, "version": 1,
           "headcount": 3, "hours": 24, "outboxDepth": 0, "pendingPhotos": 0, "latitude": 52.5,
           "longitude": 13.4, "temperatureCelsius": 12, "Upload-Offset": 0, "Content-Length": 0,
           "code": "SWEEP-1", "login": "sweep.user", "email": "sweep@example.com", "timezone": "Europe/Berlin",
           "password": "quiet-harbour-lantern-42", "clientVersion": "0.1.0", "appVersion": "0.1.0",
           "sha256": "5" * 64, "cursor": "", "entityType": "DailyReport", "month": "2026-09"}


def sample(name, schema, path, ids, schemas, depth=0):
    """A plausible value for a field, from its name and schema; objects and arrays recursively."""
    if "$ref" in schema:
        schema = schemas[schema["$ref"].split("/")[-1]]
    kind, form = schema.get("type"), schema.get("format")
    if kind == "object" or "properties" in schema:
        if depth > 4:
            return {}
        return {field: sample(field, sub, path, ids, schemas, depth + 1)
                for field, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [sample(name[:-1] if name.endswith("s") else name, schema.get("items", {}), path, ids, schemas,
                       depth + 1)]
    if name in SAMPLES:
        return SAMPLES[name]
    if "enum" in schema:
        return schema["enum"][0]
    if form == "uuid":
        return id_for(name, path, ids) if name != "id" else str(uuid.uuid4())
    if form == "date":
        return "2026-09-01"
    if form == "date-time":
        return "2026-09-01T08:00:00Z"
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    return "sweep " + name


def push_body(ids, device):
    """A push with one operation of each entity, since the envelope declares operations only as JSON."""
    def change(value):
        return {"base": None, "value": value}
    report = {"operationId": str(uuid.uuid4()), "entity": "DailyReport", "entityId": ids["report"],
              "kind": "UPDATE", "baseVersion": 1, "madeAt": "2026-09-01T08:00:00Z",
              "changes": {"workPerformed": change("sweep work"), "notes": change("sweep notes")}}
    photo = {"operationId": str(uuid.uuid4()), "entity": "Photo", "entityId": ids["upload"],
             "kind": "CREATE", "baseVersion": 0, "madeAt": "2026-09-01T08:00:00Z",
             "changes": {"reportId": change(ids["report"]), "sha256": change(SAMPLES["sha256"]),
                         "size": change(SAMPLES["size"]),
                         "caption": change("sweep caption"), "takenAt": change("2026-09-01T08:00:00+02:00")}}
    return {"protocolVersion": 1, "clientVersion": "0.1.0", "deviceId": device,
            "device": {"outboxDepth": 0, "pendingPhotos": 0, "appVersion": "0.1.0"}, "operations": [report, photo]}


def marked_json(value):
    """JSON text of value with sqlmap's injection mark after every leaf (inside the quotes of text)."""
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k) + ":" + marked_json(v) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(marked_json(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value)[:-1] + '*"'
    if value is None:
        return "null"
    return json.dumps(value) + "*"


def count_marks(text):
    return text.count("*")


def targets(server, spec, tokens, ids, device):
    schemas = spec.get("components", {}).get("schemas", {})
    for path, operations in sorted(spec["paths"].items()):
        for method, operation in operations.items():
            method = method.upper()
            if (method, path) in SKIPPED or not path.startswith("/api/"):
                continue
            filled = path
            query, headers = [], {}
            for parameter in operation.get("parameters", []):
                name, where = parameter["name"], parameter["in"]
                value = sample(name, parameter.get("schema", {}), path, ids, schemas)
                if where == "path":
                    filled = filled.replace("{" + name + "}", id_for(name, path, ids))
                elif where == "query":
                    # a delete of another version changes nothing, unless an injection makes it match
                    query.append((name, 999 if method == "DELETE" and name == "version" else value))
                elif where == "header" and name != "Content-Length":
                    headers[name] = str(device if name == "Fieldbook-Device-Id" else value)
            content = operation.get("requestBody", {}).get("content", {})
            body = None
            if "application/json" in content:
                body = (push_body(ids, device) if path == "/api/v1/sync/push"
                        else sample("body", content["application/json"].get("schema", {}), path, ids, schemas))
                if path.startswith("/api/v1/auth/"):
                    # a real sign-in, so that what answers is the sign-in and not the refusal of a stranger
                    body.update(login=SIGN_IN_SAMPLE, password=PASSWORD)
            if path == "/api/v1/sync/uploads/{photoId}" and method == "PATCH":
                content = {"application/offset+octet-stream": {}}
            if not query and body is None and not headers:
                continue
            names = [name for name, _ in query]
            if "siteId" in names and "portfolioId" in names:
                # the scope is a site or a portfolio, never both (400 for both, a refusal before any query):
                # each is swept in a request of its own
                for left_out in ("portfolioId", "siteId"):
                    yield (method, path, filled, [(k, v) for k, v in query if k != left_out], headers, body,
                           content)
                continue
            yield method, path, filled, query, headers, body, content


def choose_token(server, tokens, method, filled, query, headers, body, content):
    """The demo user whose answer gets furthest: a success, else a refusal of the input, else not found
    (a record out of one's scope is not found); never one refused for the role."""
    plain = filled + ("?" + "&".join(f"{k}={urllib.request.quote(str(v))}" for k, v in query) if query else "")
    if body is None and content:
        headers = dict(headers, **{"Content-Type": next(iter(content))})
    answers = [(login, server.call(method, plain, tokens[login], body, headers)[0]) for login in LOGINS]
    rank = lambda status: 0 if status < 300 else 3 if status in (401, 403) else 2 if status == 404 else 1
    return min(answers, key=lambda answer: rank(answer[1]))


def request_file(method, filled, query, headers, body, content, token, host):
    line = filled
    if query:
        line += "?" + "&".join(f"{k}={urllib.request.quote(str(v))}*" for k, v in query)
    lines = [f"{method} {line} HTTP/1.1", f"Host: {host}", f"Authorization: Bearer {token}",
             "Accept: application/json"]
    lines += [f"{name}: {value}*" for name, value in headers.items()]
    text = ""
    if body is not None:
        text = marked_json(body)
        lines.append("Content-Type: application/json")
    elif content:
        # a photo's content (an image, a multipart form) is not text sqlmap can send; only its query
        # parameters and headers are tried, with an empty body
        lines.append("Content-Type: " + next(iter(content)))
    return "\r\n".join(lines) + "\r\n\r\n" + text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--level", default="3")
    parser.add_argument("--risk", default="2")
    parser.add_argument("--technique", default="BEUSTQ")
    parser.add_argument("--target-seconds", type=int, default=600, help="time bound of one operation")
    parser.add_argument("--budget-seconds", type=int, default=0,
                        help="time bound of the whole sweep, shared out among the operations still to run (0: none)")
    parser.add_argument("--only", default="", help="a regular expression: only operations 'METHOD path' it finds")
    parser.add_argument("--list", action="store_true", help="write the request files and list them; run no sqlmap")
    args = parser.parse_args()

    server = Server(args.url)
    spec = server.call("GET", "/v3/api-docs")[1]
    tokens = {login: server.sign_in(login) for login in LOGINS}
    ids = demo_ids(server, tokens)
    device = str(uuid.uuid4())
    host = args.url.split("//", 1)[1]
    os.makedirs(args.out, exist_ok=True)

    results = []
    started = time.monotonic()
    operations = [operation for operation in targets(server, spec, tokens, ids, device)
                  if not args.only or re.search(args.only, f"{operation[0]} {operation[1]}")]
    for number, (method, path, filled, query, headers, body, content) in enumerate(operations, 1):
        bound = args.target_seconds
        if args.budget_seconds:
            left = args.budget_seconds - (time.monotonic() - started)
            # up to twice an even share of what is left: what a quick operation leaves goes to the rest
            bound = int(max(10, min(bound, left, 2 * left / (len(operations) - number + 1))))
        login, status = choose_token(server, tokens, method, filled, query, headers, body, content)
        name = f"{number:02d}-{method}-{re.sub('[^A-Za-z0-9]+', '-', path).strip('-')}"
        request = os.path.join(args.out, name + ".req")
        text = request_file(method, filled, query, headers, body, content, tokens[login], host)
        with open(request, "w") as out:
            out.write(text)
        if args.list:
            print(f"{name}: as {login} (baseline {status}), {count_marks(text)} points")
            continue
        command = ["sqlmap", "-r", request, "--batch", "--level", args.level, "--risk", args.risk,
                   "--technique", args.technique, "--dbms", "PostgreSQL", "--skip-waf", "--flush-session",
                   "--timeout", "10", "--retries", "1", "--disable-coloring", "--ignore-stdin",
                   # a record out of scope, or deleted meanwhile, is answered 404: still an answer to test
                   "--ignore-code", "401,403,404",
                   "--output-dir", os.path.join(args.out, "sqlmap")]
        begin = time.monotonic()
        try:
            run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                 timeout=bound, stdin=subprocess.DEVNULL)
            log, finished = run.stdout, True
        except subprocess.TimeoutExpired as late:
            # what it printed until then comes as bytes, text=True notwithstanding
            output = late.stdout or b""
            log, finished = output.decode(errors="replace") if isinstance(output, bytes) else output, False
        with open(os.path.join(args.out, name + ".log"), "w") as out:
            out.write(log)
        injectable = sorted(set(re.findall(r"parameter '([^']+)' is vulnerable", log)))
        if "identified the following injection point" in log and not injectable:
            injectable = ["(see log)"]
        critical = re.findall(r"\[CRITICAL\] (.*)", log)
        verdict = ("INJECTABLE " + ", ".join(injectable) if injectable
                   else "clean" if finished and "all tested parameters do not appear to be injectable" in log
                   else "NOT TESTED: " + (critical[0] if critical else "sqlmap ended early") if finished
                   else f"stopped after {bound} s")
        results.append((name, login, status, count_marks(text), round(time.monotonic() - begin), verdict))
        print(f"{name}: as {login} (baseline {status}), {count_marks(text)} points, "
              f"{results[-1][4]} s: {verdict}", flush=True)

    lines = [f"sqlmap sweep of {args.url}: level {args.level}, risk {args.risk}, techniques {args.technique}, "
             f"{len(results)} operations, {sum(r[3] for r in results)} injection points, "
             f"{round(time.monotonic() - started)} s"]
    lines += [f"  {r[0]}: as {r[1]} (baseline {r[2]}), {r[3]} points, {r[4]} s: {r[5]}" for r in results]
    injectable = [r for r in results if r[5].startswith("INJECTABLE")]
    untested = [r for r in results if r[5].startswith("NOT TESTED")]
    lines.append(f"{len(injectable)} operations with an injectable parameter, {len(untested)} not tested")
    with open(os.path.join(args.out, "summary.txt"), "w") as out:
        out.write("\n".join(lines) + "\n")
    print("\n".join([lines[0], lines[-1]]))
    return 1 if injectable else 0


if __name__ == "__main__":
    sys.exit(main())
