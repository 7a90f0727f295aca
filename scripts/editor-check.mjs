// Drives yaml-language-server (the engine of the Red Hat YAML extension for
// VS Code) over files that `handoff init` wrote, and checks what an editor
// shows: keys completed, a vocabulary offered, a description on hover, a
// typo and a wrong word underlined. See docs/editors.md.
//
// Run from the repository root (it reads schemas/ and examples/):
//   npm install yaml-language-server
//   node scripts/editor-check.mjs target/debug/handoff [node_modules/.bin/yaml-language-server]
//
// Exits 0 when every check passes, 1 otherwise, printing each result.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const handoff = resolve(process.argv[2] ?? "target/debug/handoff");
const server = resolve(process.argv[3] ?? "node_modules/.bin/yaml-language-server");

// A repository with an engagement written by `handoff init`.
const repo = mkdtempSync(join(tmpdir(), "handoff-editor-"));
mkdirSync(join(repo, ".git"));
execFileSync(handoff, ["init", "engagements/acme"], { cwd: repo });
const file = join(repo, "engagements/acme/promises.yaml");
const firstLine = readFileSync(file, "utf8").split("\n")[0];
// A promise with a misspelled key, a word outside a vocabulary and a date
// written the wrong way round, then a key being typed (line 9) and a
// value being typed (line 10).
const text = [
  firstLine,
  "promises:",
  "  - id: P-01",
  "    title: Order import",
  "    prority: must",
  "    commitment: maybe",
  "    due: 31/12/2026",
  "    acceptance: 100 orders import",
  "    ",
  "    priority: ",
  "",
].join("\n");
writeFileSync(file, text);
const uri = pathToFileURL(file).href;

const child = spawn(server, ["--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
let buffer = Buffer.alloc(0);
let nextId = 1;
const pending = new Map();
const diagnostics = [];
const send = (msg) => {
  const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...msg }));
  child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
  child.stdin.write(body);
};
const request = (method, params) =>
  new Promise((done) => {
    const id = nextId++;
    pending.set(id, done);
    send({ id, method, params });
  });
const notify = (method, params) => send({ method, params });
child.stdout.on("data", (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const end = buffer.indexOf("\r\n\r\n");
    if (end < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString())[1]);
    if (buffer.length < end + 4 + length) return;
    const msg = JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString());
    buffer = buffer.subarray(end + 4 + length);
    if (msg.id !== undefined && pending.has(msg.id)) {
      pending.get(msg.id)(msg.result);
      pending.delete(msg.id);
    } else if (msg.id !== undefined) {
      // A request from the server (configuration): answer with the settings.
      send({ id: msg.id, result: (msg.params?.items ?? []).map(() => settings.yaml) });
    } else if (msg.method === "textDocument/publishDiagnostics" && msg.params.uri === uri) {
      diagnostics.splice(0, diagnostics.length, ...msg.params.diagnostics);
    } else if (msg.method === "textDocument/publishDiagnostics") {
      exampleDiagnostics.set(msg.params.uri, msg.params.diagnostics);
    }
  }
});

// The repository's `yaml.schemas` mapping (.vscode/settings.json, as
// docs/editors.md gives it), for the example files, which have no first
// line. VS Code resolves the schema paths against the workspace; here they
// are made absolute.
const vscode = JSON.parse(readFileSync(".vscode/settings.json", "utf8"));
const mapping = Object.fromEntries(
  Object.entries(vscode["yaml.schemas"]).map(([schema, globs]) => [pathToFileURL(resolve(schema)).href, globs]),
);
const settings = { yaml: { validate: true, hover: true, completion: true, schemas: mapping } };
const examples = readdirSync("examples", { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .flatMap((e) => {
    const dir = join("examples", e.name);
    return readdirSync(dir, { withFileTypes: true }).flatMap((f) =>
      f.isDirectory()
        ? readdirSync(join(dir, f.name))
            // An engagement's subfolders may hold other files too (an RFP
            // matrix and its MAP.toml): only its YAML files are checked.
            .filter((g) => g.endsWith(".yaml"))
            .map((g) => join(dir, f.name, g))
        : f.name.endsWith(".yaml") ? [join(dir, f.name)] : [],
    );
  })
  .map((p) => pathToFileURL(resolve(p)).href);
const exampleDiagnostics = new Map();
await request("initialize", {
  processId: process.pid,
  rootUri: pathToFileURL(repo).href,
  capabilities: { textDocument: { completion: { completionItem: { snippetSupport: false } }, hover: { contentFormat: ["markdown", "plaintext"] } }, workspace: { configuration: true } },
});
notify("initialized", {});
notify("workspace/didChangeConfiguration", { settings });
notify("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: 1, text } });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
for (let i = 0; i < 50 && diagnostics.length < 3; i++) await sleep(100);

for (const example of examples) {
  const body = readFileSync(new URL(example), "utf8");
  notify("textDocument/didOpen", { textDocument: { uri: example, languageId: "yaml", version: 1, text: body } });
}
for (let i = 0; i < 50 && exampleDiagnostics.size < examples.length; i++) await sleep(100);
const refused = examples.filter((e) => exampleDiagnostics.get(e)?.length !== 0);
// The control: a file with no first line and a mistake, found by the mapping.
const control = pathToFileURL(join(repo, "engagements/acme/gaps/more.yaml")).href;
notify("textDocument/didOpen", { textDocument: { uri: control, languageId: "yaml", version: 1, text: "gaps:\n  - id: G-9\n    kind: nonsense\n" } });
for (let i = 0; i < 50 && !exampleDiagnostics.has(control); i++) await sleep(100);

const labels = (result) => (Array.isArray(result) ? result : result?.items ?? []).map((i) => i.label);
const keys = labels(await request("textDocument/completion", { textDocument: { uri }, position: { line: 8, character: 4 } }));
const words = labels(await request("textDocument/completion", { textDocument: { uri }, position: { line: 9, character: 14 } }));
const hover = await request("textDocument/hover", { textDocument: { uri }, position: { line: 7, character: 6 } });
const hoverText = JSON.stringify(hover?.contents ?? "");
const hoverTitle = JSON.stringify((await request("textDocument/hover", { textDocument: { uri }, position: { line: 3, character: 6 } }))?.contents ?? "");
child.kill();

const checks = [
  [`all ${examples.length} example files are accepted through the yaml.schemas mapping`, examples.length >= 15 && refused.length === 0],
  ["a gaps/ file with no first line gets its schema from the mapping (a wrong word underlined)", exampleDiagnostics.get(control)?.length === 1],
  [`first line ${firstLine}`, firstLine.startsWith("# yaml-language-server: $schema=../../schemas/")],
  ["the misspelled key `prority` is underlined (line 5)", diagnostics.some((d) => d.range.start.line === 4)],
  ["the word `maybe` outside the commitment vocabulary is underlined (line 6)", diagnostics.some((d) => d.range.start.line === 5)],
  ["the date 31/12/2026 is underlined with how to write it (line 7)", diagnostics.some((d) => d.range.start.line === 6 && d.message.includes("YYYY-MM-DD"))],
  ["nothing else is underlined", diagnostics.every((d) => [4, 5, 6, 9].includes(d.range.start.line))],
  ["keys not yet written are completed in a promise (response, date, tags)", ["response", "date", "tags"].every((k) => keys.includes(k))],
  ["priority offers must, should, could, wont", ["must", "should", "could", "wont"].every((w) => words.includes(w))],
  ["hover on `acceptance` shows its description and an example", hoverText.includes("How the customer will check it was delivered") && hoverText.includes("Example")],
  ["hover on `title` shows its description and an example", hoverTitle.includes("Short description") && hoverTitle.includes("Example")],
];
let failed = 0;
for (const [what, ok] of checks) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failed++;
}
if (failed) {
  console.log("diagnostics:", JSON.stringify(diagnostics.map((d) => [d.range.start.line, d.message])));
  console.log("key completions:", keys.join(", "));
  console.log("value completions:", words.join(", "));
  console.log("hover:", hoverText.slice(0, 300));
  console.log("hover on title:", hoverTitle.slice(0, 300));
  for (const e of refused) console.log("refused:", e, JSON.stringify(exampleDiagnostics.get(e)?.map((d) => [d.range.start.line, d.message])));
}
process.exit(failed ? 1 : 0);
