#!/usr/bin/env python3
"""Runs sqlmap over every query parameter, header parameter and JSON body field of every operation in a
running Fieldbook server's OpenAPI document (see sqlmap-sweep, which starts the server with the demo data).

Each operation's request has path parameters holding real ids of the demo data and carries the bearer token of
the demo user who gets furthest with it. Every query value, header value and leaf of the JSON body is an
injection point, marked with sqlmap's mark (*). Two ways to run:

- one sqlmap run per operation with all its points marked and one technique set, one operation after the
  other, within a time bound per operation and a total shared out among those still to run (CI's sweep);
- --per-point: one sqlmap run per point, with the techniques of its kind (text, or a typed value the server
  parses before any code sees it), several at once (--workers), each within a bound per point, an operation's
  runs within a bound per operation, all within a total (the full sweep). What ended is written to
  OUT/state.tsv as it ends; --resume runs only the points that had not ended and keeps the rest.

Exit status 1 if sqlmap reports any point injectable, 0 otherwise; a summary per operation goes to stdout and
to OUT/summary.txt.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

PASSWORD = "fieldbook-demo"
# Tried in this order for each operation; the first whose answer is not 401 or 403 is used.
LOGINS = ["walter", "maria", "exec", "admin"]
# The demo user whose sign-in the sign-in endpoints are tried with: nobody the sweep itself signs in as.
SIGN_IN_SAMPLE = "wendy"
# Operations that end the sign-in the sweep uses, and have nothing to inject.
SKIPPED = {("DELETE", "/api/v1/auth/session"), ("DELETE", "/api/v1/auth/tokens/current")}
# The password change is swept with a current password that is never the right one: a change that went through
# (a payload in the new password is a valid one) would end every other session and token of the sweep's user.
# So it is swept as it refuses a wrong password; its two fields reach only Argon2, never a statement.
WRONG_PASSWORD_CHANGE = ("PUT", "/api/v1/auth/password")


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


UUID_SHAPE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")


def resolved(schema, schemas):
    return schemas.get(schema["$ref"].split("/")[-1], {}) if "$ref" in schema else schema


def kind_of(schema, value, schemas):
    """'typed' for a value the server parses into a number, a boolean, a UUID, a date or time or an enum
    constant before any of its code sees it (a value that does not parse is refused 400): as the OpenAPI
    document declares it or, where the document declares only JSON (the operations of a push), by its shape.
    'text' for any other value."""
    schema = resolved(schema, schemas)
    kind, form = schema.get("type"), schema.get("format")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if "enum" in schema or kind in ("integer", "number", "boolean") or form in ("uuid", "date", "date-time"):
        return "typed"
    if kind == "string":
        return "text"
    if isinstance(value, (bool, int, float)):
        return "typed"
    if isinstance(value, str) and (UUID_SHAPE.match(value) or DATE_SHAPE.match(value)):
        return "typed"
    return "text"


def body_points(value, schema, schemas, path="$"):
    """(key, kind) of every leaf of a JSON body that can carry the mark (a null cannot), in document order."""
    schema = resolved(schema, schemas)
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name, sub in value.items():
            yield from body_points(sub, properties.get(name, {}), schemas, f"{path}.{name}")
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            yield from body_points(sub, schema.get("items", {}), schemas, f"{path}[{index}]")
    elif value is not None:
        yield "body " + path, kind_of(schema, value, schemas)


def json_text(value, marked, path="$"):
    """JSON text of value with sqlmap's injection mark after each leaf whose key is in marked (every leaf when
    marked is None), inside the quotes of text."""
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k) + ":" + json_text(v, marked, f"{path}.{k}") for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(json_text(v, marked, f"{path}[{i}]") for i, v in enumerate(value)) + "]"
    if value is None:
        return "null"
    mark = "*" if marked is None or "body " + path in marked else ""
    if isinstance(value, str):
        return json.dumps(value)[:-1] + mark + '"'
    return json.dumps(value) + mark


class Operation:
    """One request to sweep: an operation of the OpenAPI document with sample values, and its injection points
    as (key, kind): 'query NAME', 'header NAME', 'body JSONPATH'; kind 'text' or 'typed'."""

    def __init__(self, method, path, scope, filled, query, headers, body, content, points):
        self.method, self.path, self.scope, self.filled = method, path, scope, filled
        self.query, self.headers, self.body, self.content, self.points = query, headers, body, content, points
        self.label = f"{method} {path}" + (f" ({scope})" if scope else "")
        self.login, self.baseline = None, None


def targets(server, spec, tokens, ids, device):
    schemas = spec.get("components", {}).get("schemas", {})
    for path, operations in sorted(spec["paths"].items()):
        for method, operation in operations.items():
            method = method.upper()
            if (method, path) in SKIPPED or not path.startswith("/api/"):
                continue
            filled = path
            query, headers, points = [], {}, []
            for parameter in operation.get("parameters", []):
                name, where, schema = parameter["name"], parameter["in"], parameter.get("schema", {})
                value = sample(name, schema, path, ids, schemas)
                if where == "path":
                    filled = filled.replace("{" + name + "}", id_for(name, path, ids))
                elif where == "query":
                    # a delete of another version changes nothing, unless an injection makes it match
                    query.append((name, 999 if method == "DELETE" and name == "version" else value))
                    points.append(("query " + name, kind_of(schema, value, schemas)))
                elif where == "header" and name != "Content-Length":
                    headers[name] = str(device if name == "Fieldbook-Device-Id" else value)
                    points.append(("header " + name, kind_of(schema, value, schemas)))
            content = operation.get("requestBody", {}).get("content", {})
            body = None
            if "application/json" in content:
                schema = content["application/json"].get("schema", {})
                body = push_body(ids, device) if path == "/api/v1/sync/push" else sample("body", schema, path, ids,
                                                                                        schemas)
                if (method, path) == WRONG_PASSWORD_CHANGE:
                    body = {"currentPassword": "not-" + PASSWORD, "newPassword": SAMPLES["password"]}
                elif path.startswith("/api/v1/auth/"):
                    # a real sign-in, so that what answers is the sign-in and not the refusal of a stranger
                    body.update(login=SIGN_IN_SAMPLE, password=PASSWORD)
                points += list(body_points(body, schema, schemas))
            if path == "/api/v1/sync/uploads/{photoId}" and method == "PATCH":
                content = {"application/offset+octet-stream": {}}
            if not points:
                continue
            names = [name for name, _ in query]
            if "siteId" in names and "portfolioId" in names:
                # the scope is a site or a portfolio, never both (400 for both, a refusal before any query):
                # each is swept in a request of its own
                for kept, left_out in (("siteId", "portfolioId"), ("portfolioId", "siteId")):
                    yield Operation(method, path, kept, filled, [(k, v) for k, v in query if k != left_out],
                                    headers, body, content, [p for p in points if p[0] != "query " + left_out])
                continue
            yield Operation(method, path, None, filled, query, headers, body, content, points)


def choose_token(server, tokens, operation):
    """The demo user whose answer gets furthest: a success, else a refusal of the input, else not found
    (a record out of one's scope is not found); never one refused for the role."""
    query = operation.query
    plain = operation.filled + ("?" + "&".join(f"{k}={urllib.request.quote(str(v))}" for k, v in query)
                                if query else "")
    headers = operation.headers
    if operation.body is None and operation.content:
        headers = dict(headers, **{"Content-Type": next(iter(operation.content))})
    answers = [(login, server.call(operation.method, plain, tokens[login], operation.body, headers)[0])
               for login in LOGINS]
    rank = lambda status: 0 if status < 300 else 3 if status in (401, 403) else 2 if status == 404 else 1
    return min(answers, key=lambda answer: rank(answer[1]))


def request_file(operation, token, host, marked=None):
    """sqlmap's request file of the operation with the mark on the points in marked (on all when None)."""
    line = operation.filled
    mark = lambda key: "*" if marked is None or key in marked else ""
    if operation.query:
        line += "?" + "&".join(f"{k}={urllib.request.quote(str(v))}{mark('query ' + k)}" for k, v in operation.query)
    lines = [f"{operation.method} {line} HTTP/1.1", f"Host: {host}", f"Authorization: Bearer {token}",
             "Accept: application/json"]
    lines += [f"{name}: {value}{mark('header ' + name)}" for name, value in operation.headers.items()]
    text = ""
    if operation.body is not None:
        text = json_text(operation.body, marked)
        lines.append("Content-Type: application/json")
    elif operation.content:
        # a photo's content (an image, a multipart form) is not text sqlmap can send; only its query
        # parameters and headers are tried, with an empty body
        lines.append("Content-Type: " + next(iter(operation.content)))
    return "\r\n".join(lines) + "\r\n\r\n" + text


class Job:
    """One sqlmap run: an operation with some of its points marked, and the techniques tried on them."""

    def __init__(self, operation, number, points, technique, per_point):
        self.operation, self.points, self.technique = operation, points, technique
        slug = f"{number:02d}-{operation.method}-{re.sub('[^A-Za-z0-9]+', '-', operation.path).strip('-')}"
        slug += f"-{operation.scope}" if operation.scope else ""
        if per_point:
            key = points[0][0]
            self.key = f"{operation.label} | {key}"
            self.name = slug + "--" + re.sub("[^A-Za-z0-9]+", "-", key).strip("-")
            self.marked = {key}
        else:
            self.key, self.name, self.marked = operation.label, slug, None

    def kinds(self):
        text = sum(1 for _, kind in self.points if kind == "text")
        return text, len(self.points) - text


# sqlmap's test titles name their technique; the first word found decides ("boolean-based blind - Stacked
# queries" is boolean-based)
TECHNIQUE_WORDS = (("boolean-based", "B"), ("error-based", "E"), ("union query", "U"), ("stacked", "S"),
                   ("time-based", "T"), ("inline", "Q"))
FINAL = ("clean", "INJECTABLE")
STATE_FIELDS = ["key", "operation", "points", "text", "typed", "technique", "login", "baseline", "seconds",
                "verdict", "tests"]


def tests_run(log):
    """The techniques whose tests sqlmap began, in order (from its 'testing ...' lines)."""
    letters = ""
    for title in re.findall(r"\[INFO\] testing '([^']+)'", log):
        for word, letter in TECHNIQUE_WORDS:
            if word in title.lower():
                letters += letter if letter not in letters else ""
                break
    return letters


def verdict_of(log, finished, bound, bound_by):
    injectable = sorted(set(re.findall(r"parameter '([^']+)' is vulnerable", log)))
    if "identified the following injection point" in log and not injectable:
        injectable = ["(see log)"]
    if injectable:
        return "INJECTABLE " + ", ".join(injectable)
    if finished and "all tested parameters do not appear to be injectable" in log:
        return "clean"
    if finished:
        critical = re.findall(r"\[CRITICAL\] (.*)", log)
        return "NOT TESTED: " + (critical[0] if critical else "sqlmap ended early")
    run = tests_run(log)
    where = f" in {run[-1]} (tests begun: {run})" if run else ""
    return f"stopped by the {bound_by} budget after {bound} s" + where


class Sweep:
    """Runs the jobs and keeps their results, within the bounds of a point, an operation and the whole sweep."""

    def __init__(self, args, host):
        self.args, self.host = args, host
        self.lock = threading.Lock()
        self.started = time.monotonic()
        self.state = os.path.join(args.out, "state.tsv")
        self.results = {}
        self.spent = {}
        if args.resume and os.path.exists(self.state):
            with open(self.state, newline="") as lines:
                for row in csv.DictReader(lines, delimiter="\t"):
                    self.results[row["key"]] = row
        self.earlier = {key for key, row in self.results.items() if row["verdict"].startswith(FINAL)}

    def left(self):
        return self.args.budget_seconds - (time.monotonic() - self.started) if self.args.budget_seconds else 1e9

    def record(self, job, seconds, verdict, log_text=""):
        text, typed = job.kinds()
        row = {"key": job.key, "operation": job.operation.label, "points": len(job.points), "text": text,
               "typed": typed, "technique": job.technique, "login": job.operation.login or "",
               "baseline": job.operation.baseline or "", "seconds": seconds, "verdict": verdict,
               "tests": tests_run(log_text)}
        with self.lock:
            self.results[job.key] = row
            fresh = not os.path.exists(self.state)
            with open(self.state, "a", newline="") as out:
                writer = csv.DictWriter(out, STATE_FIELDS, delimiter="\t")
                if fresh:
                    writer.writeheader()
                writer.writerow(row)
        elapsed = round(time.monotonic() - self.started)
        print(f"[{elapsed:5d} s] {job.name}: as {row['login']} (baseline {row['baseline']}), {len(job.points)} "
              f"point{'s' if len(job.points) > 1 else ''}, {job.technique}, {seconds} s: {verdict}", flush=True)

    def run(self, job, bound, bound_by):
        args = self.args
        request = os.path.join(args.out, job.name + ".req")
        with open(request, "w") as out:
            out.write(request_file(job.operation, TOKENS[job.operation.login], self.host, job.marked))
        command = ["sqlmap", "-r", request, "--batch", "--level", args.level, "--risk", args.risk,
                   "--technique", job.technique, "--dbms", "PostgreSQL", "--skip-waf",
                   "--timeout", "10", "--retries", "1", "--disable-coloring", "--ignore-stdin",
                   # each request as its file says: no session cookie a sign-in answered is sent back
                   "--drop-set-cookie",
                   # a record out of scope, or deleted meanwhile, is answered 404: still an answer to test
                   "--ignore-code", "401,403,404"]
        if args.per_point:
            # each point its own session file, kept for a resumed sweep (what sqlmap found is read back)
            command += ["--output-dir", os.path.join(args.out, "sqlmap", job.name)]
        else:
            # each operation its own session file too: runs at once against one host would share sqlmap's
            command += ["--flush-session", "--output-dir", os.path.join(args.out, "sqlmap", job.name)]
        begin = time.monotonic()
        try:
            run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                 timeout=bound, stdin=subprocess.DEVNULL)
            log, finished = run.stdout, True
        except subprocess.TimeoutExpired as late:
            # what it printed until then comes as bytes, text=True notwithstanding
            output = late.stdout or b""
            log, finished = output.decode(errors="replace") if isinstance(output, bytes) else output, False
        with open(os.path.join(args.out, job.name + ".log"), "w") as out:
            out.write(log)
        seconds = round(time.monotonic() - begin)
        self.record(job, seconds, verdict_of(log, finished, bound, bound_by), log)
        return seconds

    def in_parallel(self, jobs):
        """Workers take the runs (points, or whole operations) in order; a point runs at most --point-seconds, an operation's points
        together at most --operation-seconds (a running point holds its whole bound until it ends, and another
        point of its operation waits rather than start with less than a whole bound), all of them within
        --budget-seconds from the start. A point that cannot have --minimum-seconds is not started."""
        pending = list(jobs)
        minimum = self.args.minimum_seconds

        def take():
            with self.lock:
                while pending:
                    left = self.left()
                    if left < minimum:
                        skipped, pending[:] = list(pending), []
                        return [(job, "not started: the total budget was spent") for job in skipped], None
                    waiting = False
                    for index, job in enumerate(pending):
                        label = job.operation.label
                        spent, running = self.spent.get(label, (0, 0))
                        room = self.args.operation_seconds - spent
                        if running and room < self.args.point_seconds:
                            # what its running points hold but will not use comes back when they end
                            waiting = True
                            continue
                        if room < minimum:
                            pending.pop(index)
                            return [(job, "not started: the operation budget was spent")], None
                        run_by = "point" if self.args.per_point else "operation"
                        bound, bound_by = min((self.args.point_seconds, run_by), (int(room), "operation"),
                                              (int(left), "total"), key=lambda limit: limit[0])
                        self.spent[label] = (spent + bound, running + 1)
                        pending.pop(index)
                        return [], (job, bound, bound_by)
                    if waiting:
                        return [], "wait"
                return [], None

        def work():
            while True:
                skipped, chosen = take()
                for job, why in skipped:
                    self.record(job, 0, why)
                if chosen == "wait":
                    time.sleep(1)
                    continue
                if chosen is None:
                    if skipped:
                        continue
                    return
                job, bound, bound_by = chosen
                seconds = self.run(job, bound, bound_by)
                with self.lock:
                    spent, running = self.spent[job.operation.label]
                    self.spent[job.operation.label] = (spent - bound + seconds, running - 1)

        workers = [threading.Thread(target=work) for _ in range(self.args.workers)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    def summary(self, operations, jobs):
        """Per operation: who it ran as, its points by kind, the techniques, the time sqlmap took and what
        became of its points; then the totals. Written to OUT/summary.txt; returns the number of runs that found a
        point injectable and the number that did not end (clean or injectable)."""
        args = self.args
        rows = [self.results[job.key] for job in jobs if job.key in self.results]
        points = sum(int(row["points"]) for row in rows)
        text = sum(int(row["text"]) for row in rows)
        how = (f"one run per point (text: {args.technique_text}, typed: {args.technique_typed}), "
               f"{args.workers} at once; at most {args.point_seconds} s a point, {args.operation_seconds} s an "
               f"operation" if args.per_point else
               f"one run per operation (techniques {args.technique}), {args.workers} at once, at most "
               f"{args.operation_seconds} s an operation")
        how += f", {args.budget_seconds} s in all" if args.budget_seconds else ""
        lines = [f"sqlmap sweep of {args.url}: level {args.level}, risk {args.risk}, {how}; "
                 f"{len(operations)} operations, {points} injection points ({text} text, {points - text} typed), "
                 f"{round(time.monotonic() - self.started)} s"
                 + (f" (resumed: {len(self.earlier & {job.key for job in jobs})} points from earlier runs)"
                    if args.resume else "")]
        by_operation = {}
        for job in jobs:
            by_operation.setdefault(job.operation.label, []).append(job)
        for operation in operations:
            own = [self.results[job.key] for job in by_operation.get(operation.label, []) if job.key in self.results]
            count = sum(int(row["points"]) for row in own)
            seconds = sum(int(row["seconds"]) for row in own)
            head = (f"  {operation.label}: as {operation.login} (baseline {operation.baseline}), "
                    f"{count} point{'s' if count != 1 else ''}")
            if not args.per_point:
                lines.append(f"{head}, {seconds} s: {own[0]['verdict'] if own else 'not run'}")
                continue
            text_points = sum(int(row["text"]) for row in own)
            kinds = ", ".join(part for part in (f"{text_points} text" if text_points else "",
                                                f"{count - text_points} typed" if count - text_points else "") if part)
            clean = sum(1 for row in own if row["verdict"] == "clean")
            others = [row for row in own if row["verdict"] != "clean"]
            verdict = (f"clean ({clean} of {count})" if not others
                       else ("INJECTABLE" if any(r["verdict"].startswith("INJECTABLE") for r in others)
                             else "incomplete") + f": {clean} of {count} clean")
            lines.append(f"{head} ({kinds}), {seconds} s of sqlmap: {verdict}")
            lines += [f"    {row['key'].split(' | ', 1)[1]}: {row['verdict']}" for row in others]
        injectable = [row for row in rows if row["verdict"].startswith("INJECTABLE")]
        if args.per_point:
            def counted(prefix):
                return sum(1 for row in rows if row["verdict"].startswith(prefix))
            lines.append(f"{counted('clean')} points clean, {len(injectable)} injectable, "
                         f"{counted('NOT TESTED')} not tested, {counted('stopped')} stopped by a budget, "
                         f"{counted('not started')} not started; operations complete and clean: "
                         f"{sum(1 for o in operations if all(self.results.get(j.key, {}).get('verdict') == 'clean' for j in by_operation.get(o.label, [])))}"
                         f" of {len(operations)}")
        else:
            untested = [row for row in rows if row["verdict"] not in ("clean",) and not row["verdict"].startswith("INJECTABLE")]
            lines.append(f"{len(injectable)} operations with an injectable parameter, {len(untested)} not tested to "
                         f"the end (stopped by a budget, not started or refused by sqlmap), "
                         f"{sum(1 for row in rows if row['verdict'] == 'clean')} of {len(operations)} clean")
        with open(os.path.join(args.out, "summary.txt"), "w") as out:
            out.write("\n".join(lines) + "\n")
        print("\n".join(lines if args.per_point else [lines[0]] + [line for line in lines[1:-1]
                                                                    if not line.endswith(": clean")] + [lines[-1]]))
        incomplete = sum(1 for job in jobs if not self.results.get(job.key, {}).get("verdict", "").startswith(FINAL))
        return len(injectable), incomplete


TOKENS = {}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--level", default="3")
    parser.add_argument("--risk", default="2")
    parser.add_argument("--technique", default="B", help="the techniques of a run per operation")
    parser.add_argument("--per-point", action="store_true", help="one sqlmap run per point, several at once")
    parser.add_argument("--technique-text", default="BEUSTQ", help="with --per-point: the techniques on text")
    parser.add_argument("--technique-typed", default="BEST",
                        help="with --per-point: the techniques on a number, boolean, UUID, date or enum")
    parser.add_argument("--workers", type=int, default=1, help="sqlmap runs at once")
    parser.add_argument("--point-seconds", type=int, default=300,
                        help="bound of one run (with --per-point a point's, else an operation's)")
    parser.add_argument("--operation-seconds", type=int, default=600,
                        help="bound of one operation (with --per-point: of its points' runs together)")
    parser.add_argument("--minimum-seconds", type=int, default=20,
                        help="with --per-point: a point that cannot have this long is not started")
    parser.add_argument("--budget-seconds", type=int, default=0, help="bound of the whole sweep (0: none)")
    parser.add_argument("--require-complete", action="store_true",
                        help="fail unless every run ends clean or injectable (none stopped by a budget or not started)")
    parser.add_argument("--resume", action="store_true",
                        help="with --per-point: keep the points OUT/state.tsv says ended clean or injectable")
    parser.add_argument("--only", default="", help="a regular expression: only operations 'METHOD path' it finds")
    parser.add_argument("--list", action="store_true", help="write the request files and list them; run no sqlmap")
    args = parser.parse_args()

    server = Server(args.url)
    spec = server.call("GET", "/v3/api-docs")[1]
    TOKENS.update({login: server.sign_in(login) for login in LOGINS})
    ids = demo_ids(server, TOKENS)
    device = str(uuid.uuid4())
    host = args.url.split("//", 1)[1]
    os.makedirs(args.out, exist_ok=True)

    operations = [operation for operation in targets(server, spec, TOKENS, ids, device)
                  if not args.only or re.search(args.only, f"{operation.method} {operation.path}")]
    # the bounds count from here, the baselines of the operations included
    sweep = Sweep(args, host)
    jobs = []
    for number, operation in enumerate(operations, 1):
        operation.login, operation.baseline = choose_token(server, TOKENS, operation)
        if args.per_point:
            technique = {"text": args.technique_text, "typed": args.technique_typed}
            jobs += [Job(operation, number, [point], technique[point[1]], True) for point in operation.points]
        else:
            jobs.append(Job(operation, number, operation.points, args.technique, False))
    if args.list:
        for job in jobs:
            with open(os.path.join(args.out, job.name + ".req"), "w") as out:
                out.write(request_file(job.operation, TOKENS[job.operation.login], host, job.marked))
            text, typed = job.kinds()
            print(f"{job.name}: as {job.operation.login} (baseline {job.operation.baseline}), {len(job.points)} "
                  f"points ({text} text, {typed} typed), {job.technique}")
        return 0
    # the operations with the most points first, and the sign-ins (a password hash per request) before
    # others of their size, so that the longest work starts first; an operation's points in their order
    order = {operation.label: (-len(operation.points) * (4 if operation.path.startswith("/api/v1/auth/") else 1),
                               number) for number, operation in enumerate(operations)}
    if args.per_point:
        todo = sorted((job for job in jobs if job.key not in sweep.earlier), key=lambda job: order[job.operation.label])
        sweep.in_parallel(todo)
    else:
        sweep.in_parallel(sorted(jobs, key=lambda job: order[job.operation.label]))
    injectable, incomplete = sweep.summary(operations, jobs)
    if injectable:
        return 1
    if incomplete and args.require_complete:
        print(f"{incomplete} runs did not end: --require-complete fails the sweep", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
