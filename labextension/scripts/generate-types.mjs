// TypeScript types for the HTTP answers, generated from the JSON Schemas the
// server validates them against (sagemaker_lineage_ext/core/schema/*.schema.json).
//
//   node scripts/generate-types.mjs            write src/types/<schema>.d.ts
//   node scripts/generate-types.mjs --out DIR  write them into DIR instead (the sync test)
//
// `additionalProperties: false` for every object without its own rule: otherwise
// each interface gets an index signature and a misspelt field still type-checks.
// The root `title` and `$id` are dropped, so the root type is named after the file.
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SCHEMA_DIR = path.resolve(
  here,
  '../../sagemaker_lineage_ext/core/schema'
);
export const TYPES_DIR = path.resolve(here, '../src/types');

/** `lineage-response.schema.json` -> `LineageResponse`. */
function typeName(file) {
  return file
    .replace(/\.schema\.json$/, '')
    .split(/[-_.]/)
    .map(part => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Every schema file compiled: `{ "lineage-response.d.ts": "<source>" }`. */
export async function generate() {
  // defs.schema.json holds only the shared $defs: the answers' types carry them
  const files = (await readdir(SCHEMA_DIR))
    .filter(f => f.endsWith('.schema.json') && f !== 'defs.schema.json')
    .sort();
  const out = {};
  for (const file of files) {
    const schema = JSON.parse(
      await readFile(path.join(SCHEMA_DIR, file), 'utf8')
    );
    delete schema.title;
    delete schema.$id;
    const source = await compile(schema, typeName(file), {
      additionalProperties: false,
      cwd: SCHEMA_DIR,
      bannerComment:
        `/* Generated from sagemaker_lineage_ext/core/schema/${file} by ` +
        'scripts/generate-types.mjs (npm run generate:types). Do not edit. */',
      style: { singleQuote: true, trailingComma: 'none', arrowParens: 'avoid' }
    });
    out[file.replace(/\.schema\.json$/, '.d.ts')] = source;
  }
  return out;
}

async function main() {
  const at = process.argv.indexOf('--out');
  const dir = at > 0 ? path.resolve(process.argv[at + 1]) : TYPES_DIR;
  await mkdir(dir, { recursive: true });
  for (const [name, source] of Object.entries(await generate())) {
    await writeFile(path.join(dir, name), source);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main();
}
