// Validates every object of deploy/kubernetes/*.yaml against the Kubernetes API schemas (kubernetes-models), since
// no cluster runs where the tests do. Prints one line per object; exits 1 when any is invalid or of an unknown kind.
// Usage: node validate.mjs [--json] [file.yaml …]   (default: every .yaml file beside this script; --json: instead of
// the lines, the valid objects as one JSON array, for the test's own checks of what the schemas cannot know)
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const json = process.argv.includes("--json");
const named = process.argv.slice(2).filter((a) => a !== "--json");
const files = named.length ? named : readdirSync(here).filter((f) => f.endsWith(".yaml")).sort().map((f) => join(here, f));
const say = (line) => json ? console.error(line) : console.log(line);
const valid = [];
let failed = 0;
for (const file of files) {
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (document.errors.length) {
      say(`INVALID ${file}: ${document.errors.map((e) => e.message).join("; ")}`);
      failed++;
      continue;
    }
    const object = document.toJS();
    if (!object) continue;
    const where = `${file} ${object.kind}/${object.metadata?.name}`;
    try {
      // Core objects ("v1") live at kubernetes-models/v1, the others at kubernetes-models/<group>/<version>.
      const models = await import(`kubernetes-models/${object.apiVersion}`);
      const Model = models[object.kind];
      if (!Model) throw new Error(`no kind ${object.kind} in ${object.apiVersion}`);
      new Model(object).validate();
      valid.push(object);
      say(`ok ${where}`);
    } catch (e) {
      say(`INVALID ${where}: ${e.message}`);
      failed++;
    }
  }
}
if (json) console.log(JSON.stringify(valid));
process.exit(failed ? 1 : 0);
