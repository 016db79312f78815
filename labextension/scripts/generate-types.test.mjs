// The committed src/types/*.d.ts are exactly what the schemas generate today:
// change a schema without `npm run generate:types` and this fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { generate, TYPES_DIR } from './generate-types.mjs';

test('generated types match the JSON Schemas', async () => {
  const fresh = await generate();
  const committed = (await readdir(TYPES_DIR))
    .filter(f => f.endsWith('.d.ts'))
    .sort();
  assert.deepEqual(
    committed,
    Object.keys(fresh).sort(),
    'one src/types/*.d.ts per schema (run: npm run generate:types)'
  );
  for (const [name, source] of Object.entries(fresh)) {
    const onDisk = await readFile(path.join(TYPES_DIR, name), 'utf8');
    assert.equal(
      onDisk,
      source,
      `src/types/${name} is stale: run npm run generate:types`
    );
  }
});
