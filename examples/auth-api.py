#!/usr/bin/env python3
"""A stand-in for the relay's auth API (--auth-api), to try it out: python3 examples/auth-api.py [PORT]

The relay asks GET /?root=PATH[&kid=KID][&mtls=true][&transport=quic|websocket|tcp|unix] once per
connection. This one lets anyone publish and subscribe under "anon/...", counted in the metrics
tier "free", and answers {} for every other path: no alias, no public access, no key, so only
client-certificate peers get in there.
"""
import http.server
import json
import sys
import urllib.parse


class AuthApi(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        root = query.get("root", [""])[0]
        if root == "anon" or root.startswith("anon/"):
            answer = {"public": {"subscribe": [""], "publish": [""]}, "tier": "free"}
        else:
            answer = {}
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


port = int(sys.argv[1]) if len(sys.argv) > 1 else 8081
http.server.HTTPServer(("127.0.0.1", port), AuthApi).serve_forever()
