// Validates FHIR R4 resources against R4 profiles with @medplum/core (an independent
// validator: its own StructureDefinition reader, slicing and FHIRPath constraints).
// Usage: node --experimental-websocket validate_fhir.cjs INPUT.json
// INPUT is [{"resource": {...}, "profile": "http://hl7.org/fhir/StructureDefinition/bp"}, ...]
// ("profile" may be null: the base resource only). Prints one JSON array, one item per input:
// {"ok": true} or {"ok": false, "issues": ["Observation.code.coding: ...", ...]}.
// With "-" instead of INPUT.json it keeps running: each line of stdin is one such array, and
// each answer is one line of stdout (the definitions are read once, not once per question).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const core = require("@medplum/core");

const definitions = path.join(__dirname, "node_modules", "@medplum", "definitions", "dist", "fhir", "r4");
const read = (name) => JSON.parse(fs.readFileSync(path.join(definitions, name), "utf8"));
for (const name of ["profiles-types.json", "profiles-resources.json"]) {
  core.indexStructureDefinitionBundle(read(name));
}
// The profiles themselves (vitalsigns, bodytemp, bp, heartrate, oxygensat...) are passed to the
// validator one by one; indexing the whole bundle of other profiles fails on one that is unrelated.
const profiles = new Map(read("profiles-others.json").entry.map((e) => [e.resource.url, e.resource]));

function validateAll(inputs) {
  return inputs.map(({ resource, profile }) => {
    const options = {};
    if (profile) {
      if (!profiles.has(profile)) return { ok: false, issues: [`unknown profile ${profile}`] };
      options.profile = profiles.get(profile);
    }
    try {
      core.validateResource(resource, options);
      return { ok: true };
    } catch (error) {
      const issues = error.outcome?.issue?.map((i) => `${(i.expression || []).join(",")}: ${i.details?.text}`);
      return { ok: false, issues: issues ?? [String(error.message || error)] };
    }
  });
}

if (process.argv[2] === "-") {
  const lines = require("node:readline").createInterface({ input: process.stdin });
  lines.on("line", (line) => process.stdout.write(JSON.stringify(validateAll(JSON.parse(line))) + "\n"));
} else {
  process.stdout.write(JSON.stringify(validateAll(JSON.parse(fs.readFileSync(process.argv[2], "utf8")))));
}
