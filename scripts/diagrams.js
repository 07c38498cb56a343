#!/usr/bin/env node
// `npm run diagrams` (after `npm run build`): write docs/grammar/diagrams.html, the railroad
// diagrams of the parser rules, generated from the built parser with every resource inlined.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { diagramsHtml } from "../dist/grammar/diagrams.js";

const out = fileURLToPath(new URL("../docs/grammar/diagrams.html", import.meta.url));
writeFileSync(out, diagramsHtml());
console.log(`wrote ${out}`);
