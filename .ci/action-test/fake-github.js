// A fake of what the composite action talks to, on loopback, for
// .ci/test-action: release downloads (GET /OWNER/NAME/releases/download/TAG/FILE
// from ASSETS/TAG/FILE; 404 when absent), and the REST calls of a comment
// command (the commenter's permission, a reaction). Every request is
// appended to LOG as "fake: METHOD PATH STATUS" (and the token it carried
// for the REST calls); the port is printed on stdout once listening.
//   node fake-github.js ASSETS LOG
"use strict";
const fs = require("fs");
const http = require("http");
const path = require("path");

const [assets, logFile] = process.argv.slice(2);
const log = (line) => fs.appendFileSync(logFile, line + "\n");

const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => { body += c; });
  req.on("end", () => {
    const url = req.url.split("?")[0];
    const send = (status, data, type = "application/json") => {
      const auth = req.headers.authorization ? ` auth=${req.headers.authorization}` : "";
      log(`fake: ${req.method} ${url} ${status}${auth}${body ? " body=" + body : ""}`);
      res.writeHead(status, { "Content-Type": type });
      res.end(data);
    };
    let m = url.match(/^\/[^/]+\/[^/]+\/releases\/download\/([^/]+)\/([^/]+)$/);
    if (req.method === "GET" && m) {
      const file = path.join(assets, m[1], m[2]);
      if (!m[1].startsWith(".") && !m[2].startsWith(".") && fs.existsSync(file)) {
        return send(200, fs.readFileSync(file), "application/octet-stream");
      }
      return send(404, "Not Found", "text/plain");
    }
    m = url.match(/^\/api\/v3\/repos\/[^/]+\/[^/]+\/collaborators\/([^/]+)\/permission$/);
    if (req.method === "GET" && m) {
      return send(200, JSON.stringify({ permission: "write", role_name: "write", user: { login: m[1] } }));
    }
    m = url.match(/^\/api\/v3\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)\/reactions$/);
    if (req.method === "POST" && m) {
      return send(201, JSON.stringify({ id: 1, content: "eyes" }));
    }
    send(404, JSON.stringify({ message: "Not Found" }));
  });
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
