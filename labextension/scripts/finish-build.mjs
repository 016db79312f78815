// Finishes the built extension (sagemaker_lineage_ext/labextension/):
// - one version source: the Python package's `__version__`
//   (sagemaker_lineage_ext/__init__.py, which hatch also reads) goes into the built
//   package.json, the version `jupyter labextension list` shows; the source
//   package.json keeps the placeholder 0.0.0 and is never edited by a build;
// - install.json beside it (who installed it: pip), so the wheel maps one folder.
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..'
);
const init = await readFile(
  path.join(root, 'sagemaker_lineage_ext/__init__.py'),
  'utf8'
);
const match = /^__version__ = "([^"]+)"$/m.exec(init);
if (!match) {
  throw new Error(
    'no __version__ = "..." in sagemaker_lineage_ext/__init__.py'
  );
}
const built = path.join(
  root,
  'sagemaker_lineage_ext/labextension/package.json'
);
const meta = JSON.parse(await readFile(built, 'utf8'));
meta.version = match[1];
await writeFile(built, JSON.stringify(meta, null, 2) + '\n');
await copyFile(
  path.join(root, 'labextension/install.json'),
  path.join(root, 'sagemaker_lineage_ext/labextension/install.json')
);
