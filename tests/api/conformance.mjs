// Checks every call to /api that the integration tests made (kept by TestServer in
// PORTICO_API_SAMPLES) against the OpenAPI document that `portico openapi` prints:
//   - a call that succeeded is an operation of the document;
//   - its answer's status is one the operation lists;
//   - a JSON answer matches the schema listed for that status, with every object closed
//     (a field the document does not name is an error), and so does the JSON body of a call
//     that succeeded.
// Usage: node conformance.mjs  (env PORTICO_BIN, PORTICO_API_SAMPLES)
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";

const bin = process.env.PORTICO_BIN;
const samplesDir = process.env.PORTICO_API_SAMPLES;
if (!bin || !samplesDir) {
  console.error("set PORTICO_BIN and PORTICO_API_SAMPLES");
  process.exit(2);
}
const doc = JSON.parse(execFileSync(bin, ["openapi"], { maxBuffer: 64 << 20 }).toString());

// Closes every object schema that names its properties and says nothing about others.
function close(node) {
  if (Array.isArray(node)) return node.forEach(close);
  if (node === null || typeof node !== "object") return;
  if (node.properties && typeof node.properties === "object" && !("additionalProperties" in node)
      && !("unevaluatedProperties" in node)) {
    node.additionalProperties = false;
  }
  for (const value of Object.values(node)) close(value);
}
close(doc.components.schemas);
close(doc.paths);

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat("date-time", rfc3339);
ajv.addFormat("email", /^[^@\s]+@[^@\s]+$/);
ajv.addFormat("date", /^\d{4}-\d{2}-\d{2}$/);
ajv.addFormat("int64", { type: "number", validate: Number.isInteger });
ajv.addFormat("uri", /^[a-z][a-z0-9+.-]*:/i);
ajv.addSchema(doc, "doc");

const pointer = (...parts) => parts.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
const validators = new Map();
function validator(path) {
  if (!validators.has(path)) validators.set(path, ajv.getSchema("doc#/" + path));
  return validators.get(path);
}

// The path templates, most literal first: /api/v1/emails/{id} for /api/v1/emails/7.
const templates = Object.keys(doc.paths).map((t) => ({ t, segs: t.split("/") }));
function templateOf(path) {
  const segs = path.split("/");
  let best = null;
  let bestScore = -1;
  for (const { t, segs: ts } of templates) {
    if (ts.length !== segs.length) continue;
    let score = 0;
    let ok = true;
    for (let i = 0; i < ts.length && ok; i++) {
      if (ts[i].startsWith("{")) ok = segs[i] !== "";
      else if (ts[i] === segs[i]) score += 1 << (ts.length - i);
      else ok = false;
    }
    if (ok && score > bestScore) [best, bestScore] = [t, score];
  }
  return best;
}

function responseKey(responses, status) {
  const s = String(status);
  if (s in responses) return s;
  if (`${s[0]}XX` in responses) return `${s[0]}XX`;
  return "default" in responses ? "default" : null;
}

const deref = (node) => {
  while (node && node.$ref) {
    node = node.$ref.slice(2).split("/").reduce((n, k) => n[k.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
  }
  return node;
};

const problems = new Map();  // text -> count
const problem = (text) => problems.set(text, (problems.get(text) || 0) + 1);
const seen = new Set();
let checked = 0;
const files = readdirSync(samplesDir).filter((f) => f.endsWith(".ndjson"));
for (const file of files) {
  for (const text of readFileSync(join(samplesDir, file), "utf8").split("\n")) {
    if (!text) continue;
    const s = JSON.parse(text);
    const path = decodeURI(s.path.split("?")[0]);
    const method = s.method.toLowerCase();
    const template = templateOf(path);
    const op = template && doc.paths[template][method];
    const call = `${s.method} ${template || path}`;
    if (!op) {
      // Probes of what does not exist (404, 405) are fine; anything else is an undocumented call.
      if (s.status !== 404 && s.status !== 405) problem(`${call}: answered ${s.status} but is no operation of the document`);
      continue;
    }
    checked++;
    seen.add(`${method} ${template}`);
    const key = responseKey(op.responses, s.status);
    if (!key) {
      problem(`${call}: answered ${s.status}, which the document does not list`);
      continue;
    }
    const response = deref(op.responses[key]);
    const where = response === op.responses[key]
      ? pointer("paths", template, method, "responses", key)
      : op.responses[key].$ref.slice(2);
    if (s.body !== undefined && s.body !== "") {
      const content = response.content || {};
      if (!(s.content_type in content)) {
        problem(`${call} ${s.status}: answered ${s.content_type || "no Content-Type"}, the document lists ${Object.keys(content).join(", ") || "no body"}`);
      } else if (s.content_type === "application/json") {
        const validate = validator(`${where}/content/${pointer("application/json")}/schema`);
        let body;
        try { body = JSON.parse(s.body); } catch { problem(`${call} ${s.status}: the answer is not JSON`); continue; }
        if (!validate(body)) {
          for (const e of validate.errors) problem(`${call} ${s.status}: answer ${e.instancePath || "/"} ${e.message}${e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : ""}`);
        }
      }
    }
    // The body of a call that succeeded is one the document describes.
    if (s.status < 300 && s.request_body && s.request_content_type === "application/json" && op.requestBody) {
      const rb = deref(op.requestBody);
      const rwhere = rb === op.requestBody ? pointer("paths", template, method, "requestBody") : op.requestBody.$ref.slice(2);
      if (rb.content && rb.content["application/json"]) {
        let body;
        try { body = JSON.parse(s.request_body); } catch { continue; }
        const validate = validator(`${rwhere}/content/${pointer("application/json")}/schema`);
        if (!validate(body)) {
          for (const e of validate.errors) problem(`${call} ${s.status}: request ${e.instancePath || "/"} ${e.message}${e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : ""}`);
        }
      }
    }
  }
}

let operations = 0;
const untried = [];
for (const [t, item] of Object.entries(doc.paths)) {
  for (const m of ["get", "put", "post", "delete", "patch"]) {
    if (!item[m]) continue;
    operations++;
    if (!seen.has(`${m} ${t}`)) untried.push(`${m.toUpperCase()} ${t}`);
  }
}
console.log(`${checked} calls checked from ${files.length} test processes; ${operations - untried.length} of ${operations} operations called`);
if (untried.length) console.log(`not called by any test here: ${untried.join(", ")}`);
if (files.length === 0) {
  console.error("no test process recorded its calls: run the integration tests with PORTICO_API_SAMPLES set");
  process.exit(1);
}
if (problems.size) {
  console.error(`\n${problems.size} ways the answers differ from the document:`);
  for (const [text, n] of [...problems].sort()) console.error(`  ${text}${n > 1 ? `  (${n}×)` : ""}`);
  process.exit(1);
}
console.log("every answer matches the document");
