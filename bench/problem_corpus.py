#!/usr/bin/env python3
"""Writes a corpus of Cloud Logging entries whose problems are hard to keep in
one piece: messages with embedded HTML or JSON bodies of 1-100 KB after a
stable prefix, quoted upstream errors, lists of varying length, token counts
that vary within one event, and exception chains of varying depth. Every
entry belongs to one problem; `--truth` writes `insertId,problem` and
`--families` the groups of problems that differ in one word and must stay
apart. Standard library only, deterministic for a given --seed.

usage: problem_corpus.py [--entries N] [--seed S] --out FILE --truth CSV [--families JSON]
"""
import argparse
import json
import random

PROJECT = "stress-shop-prod"
WORDS = ("order cart item price stock warehouse ledger refund invoice customer shipment parcel "
         "coupon tenant account session token region zone queue topic batch report export import "
         "catalog search index review rating basket checkout payment balance").split()
TENANTS = ("acme globex initech umbrella hooli stark wayne wonka tyrell cyberdyne soylent "
           "aperture vandelay pied-piper dunder-mifflin massive-dynamic oscorp gringotts "
           "monarch weyland").split()
FLAGS = ("dark_mode beta_checkout new_search fast_refunds gift_wrap one_click "
         "split_payments loyalty_v2 smart_rank geo_pricing").split()
NAMES = ("Mary Ann Lee Jo Smith van der Berg O'Neil de la Cruz Kim Park "
         "Nguyen Garcia Li Wei Anne-Marie").split()


def hexid(rng, n):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def prose(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def html_body(rng, size):
    title = rng.choice(["502 Bad Gateway", "503 Service Unavailable", "Error", "Oops",
                        "504 Gateway Time-out", "Access denied"])
    parts = ["<!DOCTYPE html>" if rng.random() < 0.5 else "<html>",
             "<head><title>%s</title></head><body>" % title]
    while sum(len(p) for p in parts) < size:
        parts.append("<div class=\"%s\"><p>%s</p><a href=\"/%s/%s\">%s</a></div>" % (
            rng.choice(WORDS), prose(rng, rng.randint(3, 30)), rng.choice(WORDS),
            hexid(rng, 8), prose(rng, 2)))
    parts.append("</body></html>")
    sep = "\n" if rng.random() < 0.4 else " "
    return sep.join(parts)


def json_body(rng, size):
    doc = {"error": {"code": rng.choice([400, 409, 422, 500]),
                     "message": prose(rng, rng.randint(2, 12)),
                     "status": rng.choice(["INVALID_ARGUMENT", "ABORTED", "INTERNAL"])},
           "items": []}
    while len(json.dumps(doc)) < size:
        doc["items"].append({"sku": hexid(rng, 10), "name": prose(rng, rng.randint(1, 6)),
                             "qty": rng.randint(0, 99), rng.choice(WORDS): prose(rng, 3)})
    if rng.random() < 0.3:
        return json.dumps(doc, indent=2)
    return json.dumps(doc, separators=(",", ":") if rng.random() < 0.5 else (", ", ": "))


def body_size(rng):
    return int(1024 * (100 ** rng.random()))  # 1 KB to 100 KB, log-uniform


UPSTREAM = [
    "connection reset by peer",
    "upstream connect error or disconnect/reset before headers. reset reason: connection failure",
    "no healthy upstream",
    "context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
    "read tcp 10.%d.%d.%d:%d->10.8.0.%d:443: i/o timeout",
    "stream terminated by RST_STREAM with error code: INTERNAL_ERROR",
    "HTTP/1.1 500 Internal Server Error",
    "unexpected EOF",
    "invalid character '<' looking for beginning of value",
    "tls: handshake failure",
]


def upstream_error(rng):
    text = rng.choice(UPSTREAM)
    if "%d" in text:
        text = text % tuple(rng.randint(1, 250) for _ in range(text.count("%d")))
    return text


def garbled_reply(rng):
    kind = rng.random()
    if kind < 0.3:
        return "HTTP/1.1 %d %s" % (rng.choice([500, 502]), prose(rng, rng.randint(1, 4)))
    if kind < 0.6:
        return "<html><body>%s</body></html>" % prose(rng, rng.randint(2, 20))
    return "{\"partial\": \"%s" % prose(rng, rng.randint(1, 9))


def python_chain(rng, final_type, final_msg):
    causes = [("socket.timeout", "timed out"),
              ("ConnectionResetError", "[Errno 104] Connection reset by peer"),
              ("ssl.SSLError", "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:%d)" % rng.randint(900, 1200)),
              ("urllib3.exceptions.ProtocolError", "('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))")]
    blocks = []
    for _ in range(rng.randint(0, 3)):
        t, m = rng.choice(causes)
        blocks.append("Traceback (most recent call last):\n"
                      "  File \"/usr/local/lib/python3.11/site-packages/urllib3/connectionpool.py\", line %d, in urlopen\n"
                      "    httplib_response = self._make_request(\n"
                      "%s: %s\n" % (rng.randint(400, 800), t, m))
        blocks.append(rng.choice([
            "\nDuring handling of the above exception, another exception occurred:\n\n",
            "\nThe above exception was the direct cause of the following exception:\n\n"]))
    blocks.append("Traceback (most recent call last):\n"
                  "  File \"/app/worker/rates.py\", line 88, in refresh_rates\n"
                  "    resp = session.get(url, timeout=10)\n"
                  "  File \"/app/worker/client.py\", line 41, in get\n"
                  "    raise %s(msg) from exc\n"
                  "%s: %s" % (final_type, final_type, final_msg))
    return "".join(blocks)


def rates_message(rng):
    host = "rates.example.com"
    return rng.choice([
        "fetching rates failed: HTTPSConnectionPool(host='%s', port=443): Read timed out. (read timeout=10)" % host,
        "fetching rates failed: HTTPSConnectionPool(host='%s', port=443): Max retries exceeded with url: /v1/rates?base=%s "
        "(Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x%s>: Failed to establish a new "
        "connection: [Errno 111] Connection refused'))" % (host, rng.choice(["EUR", "USD", "GBP"]), hexid(rng, 12)),
        "fetching rates failed: upstream returned %d" % rng.choice([500, 502, 503]),
        "fetching rates failed: %s" % upstream_error(rng),
    ])


def java_chain(rng):
    lines = ["com.shop.search.SearchException: query failed for index products"]
    lines.append("\tat com.shop.search.Client.query(Client.java:%d)" % rng.choice([120, 131]))
    lines.append("\tat com.shop.search.Api.handle(Api.java:57)")
    for _ in range(rng.randint(0, 3)):
        t = rng.choice(["java.net.SocketTimeoutException: Read timed out",
                        "java.net.ConnectException: Connection refused (Connection refused)",
                        "org.apache.http.NoHttpResponseException: search-%d:9200 failed to respond" % rng.randint(1, 9),
                        "java.io.IOException: Broken pipe"])
        lines.append("Caused by: " + t)
        lines.append("\tat java.base/java.net.SocketInputStream.read(SocketInputStream.java:%d)" % rng.randint(100, 200))
        lines.append("\t... %d more" % rng.randint(3, 40))
    return "\n".join(lines)


def customer(rng):
    return " ".join(rng.choice(NAMES) for _ in range(rng.randint(1, 4)))


def listing(rng, pool, lo, hi, sep=", "):
    return sep.join(rng.sample(pool, rng.randint(lo, hi)))


# id, service, call site (logger, function) or None for text logs, severity, weight, make(rng) -> payload text
def problems():
    P = []

    def add(pid, service, site, severity, weight, make, family=None, payload="json"):
        P.append(dict(id=pid, service=service, site=site, severity=severity, weight=weight, make=make,
                      family=family, payload=payload))

    add("gateway_html", "checkout", ("checkout.gateway", "charge"), "ERROR", 3,
        lambda r: "Payment gateway returned an error page: status=%d body=%s" % (
            r.choice([502, 503]), html_body(r, body_size(r))), "html-upstream")
    add("refund_html", "checkout", ("checkout.refunds", "refund"), "ERROR", 2,
        lambda r: "Payment gateway returned an error page: status=%d body=%s" % (
            r.choice([502, 503]), html_body(r, body_size(r))), "html-upstream")
    add("warehouse_json", "inventory", ("inventory.sync", "sync_stock"), "ERROR", 3,
        lambda r: "Unexpected response from warehouse API: %s" % json_body(r, body_size(r)))
    add("pricing_html", "edge", None, "ERROR", 2,
        lambda r: "Upstream pricing returned HTML error page for /v2/prices/%s: %s" % (
            hexid(r, 8), html_body(r, body_size(r))), "edge-upstream", "text")
    add("catalog_html", "edge", None, "ERROR", 2,
        lambda r: "Upstream catalog returned HTML error page for /v2/items/%s: %s" % (
            hexid(r, 8), html_body(r, body_size(r))), "edge-upstream", "text")
    add("pricing_json", "edge", None, "ERROR", 2,
        lambda r: "Upstream pricing returned malformed JSON: %s" % json_body(r, body_size(r)),
        "edge-upstream", "text")
    add("search_quoted", "search", ("search.client", "Query"), "ERROR", 8,
        lambda r: "search backend failed: upstream said \"%s\"" % upstream_error(r))
    add("ledger_write", "ledger", None, "ERROR", 6,
        lambda r: "ledger write failed for account %s: \"%s\"" % (hexid(r, 12), upstream_error(r)),
        "ledger-op", "text")
    add("ledger_read", "ledger", None, "ERROR", 6,
        lambda r: "ledger read failed for account %s: \"%s\"" % (hexid(r, 12), upstream_error(r)),
        "ledger-op", "text")
    add("ledger_garbled", "ledger", None, "WARNING", 5,
        lambda r: "could not parse reply from clearing house: '%s'" % garbled_reply(r), None, "text")
    add("tenants_dropped", "notifier", ("notifier.fanout", "deliver"), "WARNING", 8,
        lambda r: "Dropped %d events for tenants: %s (queue full)" % (
            r.randint(1, 900), listing(r, TENANTS, 1, 12)), "tenant-events")
    add("tenants_delayed", "notifier", ("notifier.fanout", "deliver"), "WARNING", 8,
        lambda r: "Delayed %d events for tenants: %s (queue full)" % (
            r.randint(1, 900), listing(r, TENANTS, 1, 12)), "tenant-events")
    add("flags_unknown", "web", ("web.flags", "load_flags"), "WARNING", 6,
        lambda r: "Skipped unknown feature flags [%s] for tenant %s" % (
            listing(r, FLAGS, 1, 8), r.choice(TENANTS)))
    add("customer_rejected", "orders", ("orders.validate", "check_address"), "WARNING", 8,
        lambda r: "Order %s rejected for customer %s: address incomplete" % (hexid(r, 10), customer(r)),
        "customer-order")
    add("customer_blocked", "orders", ("orders.validate", "check_address"), "WARNING", 8,
        lambda r: "Order %s blocked for customer %s: address incomplete" % (hexid(r, 10), customer(r)),
        "customer-order")
    add("proxy_close", "egress", None, "INFO", 10,
        lambda r: "%s:%d close, %s sent, %s received, lifetime %02d:%02d" % (
            r.choice(["api.example.com", "10.1.2.%d" % r.randint(1, 250)]), r.choice([80, 443]),
            size_note(r), size_note(r), r.randint(0, 59), r.randint(0, 59)), None, "text")
    add("rates_chain", "worker", None, "ERROR", 6,
        lambda r: python_chain(r, "app.errors.UpstreamError", rates_message(r)), None, "text")
    add("rates_value", "worker", None, "ERROR", 4,
        lambda r: python_chain(r, "ValueError", "invalid literal for int() with base 10: '%s'" % prose(r, r.randint(1, 5))),
        None, "text")
    add("search_chain", "search", ("search.api", "handle"), "ERROR", 5,
        lambda r: ("Search request failed", java_chain(r)), None, "java")
    return P


def size_note(rng):
    n = int(10 ** (rng.random() * 6))
    if n >= 1024 and rng.random() < 0.8:
        unit = "KB" if n < 1 << 20 else "MB"
        return "%d bytes (%.2f %s)" % (n, n / (1024 if unit == "KB" else 1 << 20), unit)
    return "%d bytes" % n


def entry(p, rng, us, iid):
    ts = "2026-03-10T%02d:%02d:%02d.%06dZ" % (us // 3600000000 % 24, us // 60000000 % 60,
                                               us // 1000000 % 60, us % 1000000)
    e = {"insertId": iid, "logName": "projects/%s/logs/run.googleapis.com%%2Fstderr" % PROJECT,
         "resource": {"type": "cloud_run_revision",
                      "labels": {"project_id": PROJECT, "service_name": p["service"],
                                 "revision_name": "%s-000%d-abc" % (p["service"], 1 + us % 3),
                                 "location": "europe-west1", "configuration_name": p["service"]}},
         "timestamp": ts, "severity": p["severity"]}
    made = p["make"](rng)
    if p["payload"] == "text":
        e["textPayload"] = made
    elif p["payload"] == "java":
        msg, trace = made
        e["jsonPayload"] = {"message": msg, "logger_name": p["site"][0] + "." + p["site"][1],
                            "stack_trace": trace, "level": p["severity"]}
    else:
        logger, func = p["site"]
        e["jsonPayload"] = {"message": made, "logger": logger, "funcName": func,
                            "lineno": rng.choice([40, 41]), "levelname": p["severity"]}
    return e


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--truth", required=True, help="insertId,problem CSV")
    ap.add_argument("--families", help="JSON list of problem families that must stay apart")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    ps = problems()
    weights = [p["weight"] for p in ps]
    with open(args.out, "w", encoding="utf-8") as out, open(args.truth, "w", encoding="utf-8") as truth:
        truth.write("id,problem\n")
        out.write("[\n")
        for i in range(args.entries):
            p = rng.choices(ps, weights)[0]
            iid = "%08x%016x" % (args.seed, rng.getrandbits(64))
            us = rng.randrange(0, 24 * 3600 * 1000000)
            out.write(json.dumps(entry(p, rng, us, iid)))
            out.write(",\n" if i + 1 < args.entries else "\n")
            truth.write("%s,%s\n" % (iid, p["id"]))
        out.write("]\n")
    if args.families:
        fams = {}
        for p in ps:
            if p["family"]:
                fams.setdefault(p["family"], []).append(p["id"])
        with open(args.families, "w", encoding="utf-8") as f:
            json.dump(sorted(fams.values()), f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
