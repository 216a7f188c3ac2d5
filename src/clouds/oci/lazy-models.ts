/**
 * oci-core's model index requires all of its ~720 model modules at once (~180 ms of CPU and
 * tens of MB at every start of a pass), while a pass uses a dozen: Instance, the launch
 * details and what they contain. The index is nothing but a re-export table
 * (`const X = require("./x"); exports.X = X.X;` per model); this module puts an equivalent
 * table in the require cache under the index's own path, each entry a getter that loads its
 * model module on first use. The SDK reaches models only through that table
 * (`model.Instance.getJsonObj(...)`), so every model it touches is the same object as before.
 *
 * Imported for its effect, before oci-core (see client.ts). When the index does not look as
 * expected (another release), nothing is changed and the SDK loads as it always did.
 */
import Module, { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);

/** Installs the lazy table; returns how many models it covers (0: left as it was). */
export function installLazyOciModels(): number {
  let indexPath: string;
  try {
    indexPath = require.resolve('oci-core/lib/model/index.js');
  } catch {
    return 0;
  }
  if (require.cache[indexPath]) return 0; // already loaded: too late, and nothing to gain
  const text = readFileSync(indexPath, 'utf8');
  const files = new Map<string, string>();
  for (const m of text.matchAll(/^const (\w+) = __importStar\(require\("\.\/([\w.-]+)"\)\);$/gm))
    files.set(m[1], m[2]);
  const table = new Map<string, [string, string]>();
  for (const m of text.matchAll(/^exports\.(\w+) = (\w+)\.(\w+);$/gm)) {
    const file = files.get(m[2]);
    if (file) table.set(m[1], [file, m[3]]);
  }
  // Every statement must be one we understand: a re-export we replace, or boilerplate.
  const body = text
    .split('\n')
    .filter((l) => /^(const|exports\.|Object\.defineProperty\(exports|var |\S.*require\()/.test(l));
  const understood = body.every((l) =>
    /^const \w+ = __importStar\(require\("\.\/[\w.-]+"\)\);$|^exports\.\w+ = \w+\.\w+;$|^exports\.[\w. =]+ = void 0;$|^Object\.defineProperty\(exports, "__esModule", \{ value: true \}\);$|^var __(createBinding|setModuleDefault|importStar) = /.test(
      l,
    ),
  );
  if (!understood || table.size < 100 || table.size !== files.size) return 0;

  const load = createRequire(indexPath);
  const lazy: Record<string, unknown> = {};
  Object.defineProperty(lazy, '__esModule', { value: true });
  for (const [name, [file, member]] of table) {
    Object.defineProperty(lazy, name, {
      enumerable: true,
      configurable: true,
      get() {
        const value = (load(`./${file}`) as Record<string, unknown>)[member];
        Object.defineProperty(lazy, name, { value, enumerable: true, configurable: false, writable: false });
        return value;
      },
    });
  }
  const m = Object.assign(new Module(indexPath), { filename: indexPath, loaded: true, exports: lazy });
  require.cache[indexPath] = m;
  return table.size;
}

installLazyOciModels();
