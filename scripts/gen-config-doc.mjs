#!/usr/bin/env node
// Writes docs/config.md from the built config schema (run `npm run build` first, or use
// `npm run docs:config`, which builds).
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../dist/config/json-schema.js';
import { CONFIG_DOC_FILE, configReferenceMarkdown } from '../dist/config/reference-doc.js';

writeFileSync(CONFIG_DOC_FILE, configReferenceMarkdown(configJsonSchema()));
process.stdout.write(`wrote ${CONFIG_DOC_FILE}\n`);
