// Runs a composite action's steps the way the Actions runner does, for
// .ci/test-action: inputs with their defaults, `if:` and `${{ }}` over the
// contexts the action uses (inputs, steps, github, runner, env), each `run:`
// as `bash --noprofile --norc -eo pipefail` with the step's `env:`, a fresh
// GITHUB_OUTPUT per step, continue-on-error; actions/cache/restore and
// actions/cache/save against a local folder. Prints each step's time and
// writes a JSON summary.
//
//   node runner.js ACTION_DIR SPEC.json
// SPEC: {inputs, event_name, event_path, workspace, temp, cache, log,
//        summary, github: {repository, token, action_repository}}
"use strict";
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");
const YAML = require("yaml");

const [actionDir, specPath] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(specPath, "utf8"));
const action = YAML.parse(fs.readFileSync(path.join(actionDir, "action.yml"), "utf8"));
const log = (line) => fs.appendFileSync(spec.log, line + "\n");

// --- expressions: literals, property paths, ! == != && || ( ) -------------
function tokenize(s) {
  const re = /\s*(?:('(?:[^']|'')*')|(==|!=|&&|\|\||!|\(|\))|([A-Za-z_][A-Za-z0-9_.-]*))/y;
  const out = [];
  let m;
  re.lastIndex = 0;
  while (re.lastIndex < s.length) {
    const at = re.lastIndex;
    if (/^\s*$/.test(s.slice(at))) break;
    m = re.exec(s);
    if (!m) throw new Error("cannot read expression: " + s.slice(at));
    if (m[1] !== undefined) out.push({ str: m[1].slice(1, -1).replace(/''/g, "'") });
    else if (m[2] !== undefined) out.push({ op: m[2] });
    else out.push({ id: m[3] });
  }
  return out;
}

function evaluate(expr, ctx) {
  const t = tokenize(expr);
  let i = 0;
  const truthy = (v) => !(v === "" || v === null || v === undefined || v === false || v === 0);
  function primary() {
    const tok = t[i++];
    if (!tok) throw new Error("expression ends early: " + expr);
    if (tok.op === "!") return !truthy(primary());
    if (tok.op === "(") { const v = or(); i++; return v; }
    if (tok.str !== undefined) return tok.str;
    if (tok.id === "true") return true;
    if (tok.id === "false") return false;
    if (tok.id === "null") return null;
    if (tok.id === "success" || tok.id === "always" || tok.id === "cancelled" || tok.id === "failure") {
      i += 2;  // ()
      if (tok.id === "success") return !ctx.failed;
      if (tok.id === "failure") return ctx.failed;
      return tok.id === "always";
    }
    let v = ctx;
    for (const part of tok.id.split(".")) v = v === null || v === undefined ? undefined : v[part];
    return v === undefined ? null : v;
  }
  function cmp() {
    let v = primary();
    while (t[i] && (t[i].op === "==" || t[i].op === "!=")) {
      const op = t[i++].op;
      const w = primary();
      const eq = String(v ?? "").toLowerCase() === String(w ?? "").toLowerCase();
      v = op === "==" ? eq : !eq;
    }
    return v;
  }
  function and() {
    let v = cmp();
    while (t[i] && t[i].op === "&&") { i++; const w = cmp(); v = truthy(v) ? w : v; }
    return v;
  }
  function or() {
    let v = and();
    while (t[i] && t[i].op === "||") { i++; const w = and(); v = truthy(v) ? v : w; }
    return v;
  }
  const v = or();
  if (i !== t.length) throw new Error("cannot read expression: " + expr);
  return v;
}

const text = (v) => (v === null || v === undefined ? "" : String(v));
function interpolate(s, ctx) {
  return String(s).replace(/\$\{\{(.*?)\}\}/g, (_, e) => text(evaluate(e, ctx)));
}
function condition(s, ctx) {
  if (s === undefined) return !ctx.failed;
  const e = String(s).replace(/^\s*\$\{\{(.*)\}\}\s*$/s, "$1");
  const v = evaluate(e, ctx);
  // Without a status function the runner adds success().
  if (!/\b(success|failure|always|cancelled)\(/.test(e) && ctx.failed) return false;
  return !(v === "" || v === null || v === false || v === 0);
}

// --- the job -------------------------------------------------------------
const event = spec.event_path ? JSON.parse(fs.readFileSync(spec.event_path, "utf8")) : {};
const ctx = {
  inputs: {},
  steps: {},
  env: {},
  failed: false,
  github: Object.assign({ event_name: spec.event_name, event, action_repository: "", action_path: actionDir },
    spec.github),
  runner: { temp: spec.temp, os: "Linux" },
};
ctx.github.token = spec.github.token;
for (const [name, def] of Object.entries(action.inputs || {})) {
  ctx.inputs[name] = name in spec.inputs ? String(spec.inputs[name]) : interpolate(def.default ?? "", ctx);
}

function readOutputs(file) {
  const outputs = {};
  const lines = fs.readFileSync(file, "utf8").split("\n");
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    const heredoc = line.match(/^([^=<]+)<<(.+)$/);
    if (heredoc) {
      const value = [];
      for (k++; k < lines.length && lines[k] !== heredoc[2]; k++) value.push(lines[k]);
      outputs[heredoc[1]] = value.join("\n");
    } else if (line.includes("=")) {
      outputs[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
    }
  }
  return outputs;
}

function cacheStep(kind, withArgs) {
  const dir = path.join(spec.cache, withArgs.key.replace(/[^A-Za-z0-9._-]/g, "_"));
  if (kind === "restore") {
    if (!fs.existsSync(dir)) return { status: 0, outputs: { "cache-hit": "false" } };
    fs.rmSync(withArgs.path, { recursive: true, force: true });
    fs.cpSync(dir, withArgs.path, { recursive: true });
    return { status: 0, outputs: { "cache-hit": "true", "cache-matched-key": withArgs.key } };
  }
  if (fs.existsSync(dir)) return { status: 1, outputs: {}, note: "cache entry exists" };
  if (!fs.existsSync(withArgs.path)) return { status: 1, outputs: {}, note: "nothing to save" };
  fs.cpSync(withArgs.path, dir, { recursive: true });
  return { status: 0, outputs: {} };
}

const started = Date.now();
const timings = [];
let n = 0;
for (const step of action.runs.steps) {
  n++;
  const name = step.name || step.uses || "step " + n;
  if (!condition(step.if, ctx)) {
    timings.push({ name, skipped: true });
    continue;
  }
  log("step: " + name);
  const t0 = Date.now();
  let result;
  if (step.uses) {
    const withArgs = {};
    for (const [k, v] of Object.entries(step.with || {})) withArgs[k] = interpolate(v, ctx);
    const m = step.uses.match(/^actions\/cache\/(restore|save)@[0-9a-f]{40}$/);
    if (!m) throw new Error("the test runner knows no action " + step.uses);
    result = cacheStep(m[1], withArgs);
  } else {
    const outFile = path.join(spec.temp, `_output_${n}`);
    fs.writeFileSync(outFile, "");
    const script = path.join(spec.temp, `_step_${n}.sh`);
    fs.writeFileSync(script, step.run);
    const env = Object.assign({}, process.env, {
      GITHUB_ACTIONS: "true",
      GITHUB_ACTION_PATH: actionDir,
      GITHUB_WORKSPACE: spec.workspace,
      GITHUB_EVENT_NAME: spec.event_name,
      GITHUB_EVENT_PATH: spec.event_path || "",
      GITHUB_REPOSITORY: spec.github.repository,
      GITHUB_OUTPUT: outFile,
      GITHUB_STEP_SUMMARY: path.join(spec.temp, "_summary.md"),
      RUNNER_TEMP: spec.temp,
      RUNNER_OS: "Linux",
    });
    for (const [k, v] of Object.entries(step.env || {})) env[k] = interpolate(v, ctx);
    const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script],
      { cwd: spec.workspace, env, stdio: ["ignore", "inherit", "inherit"] });
    result = { status: r.status === null ? 1 : r.status, outputs: readOutputs(outFile) };
  }
  const seconds = (Date.now() - t0) / 1000;
  timings.push({ name, seconds, status: result.status });
  if (step.id) ctx.steps[step.id] = { outputs: result.outputs, outcome: result.status === 0 ? "success" : "failure" };
  console.error(`runner: ${name}: ${result.status === 0 ? "ok" : "exit " + result.status}` +
    `${result.note ? " (" + result.note + ")" : ""}, ${seconds.toFixed(1)} s`);
  if (result.status !== 0 && !step["continue-on-error"]) ctx.failed = true;
}
const outputs = {};
for (const [name, def] of Object.entries(action.outputs || {})) outputs[name] = interpolate(def.value, ctx);
fs.writeFileSync(spec.summary, JSON.stringify({ failed: ctx.failed, outputs, timings,
  seconds: (Date.now() - started) / 1000 }, null, 2));
process.exit(ctx.failed ? 1 : 0);
