import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { baseConfig, check } from './fixtures.js';

/** `price:` on a provider: checked like every key; the currency list is the runtime's ICU data. */
describe('provider price', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  const withPrice = (price: unknown, i = 0) => {
    const c = baseConfig();
    c.providers[i].price = price;
    return c;
  };
  const problems = async (price: unknown, i = 0) =>
    (await check(dir, withPrice(price, i))).problems.map((p) => `${p.path}: ${p.message}`);

  it('is optional; given, it is parsed (gpu_hour defaults to 0, decimal strings from ${ENV} count)', async () => {
    expect((await check(dir, baseConfig())).config?.providers[0].price).toBeUndefined();
    const r = await check(dir, withPrice({ instance_hour: '0.12', currency: 'EUR' }, 1));
    expect(r.problems).toEqual([]);
    expect(r.config?.providers[1].price).toEqual({ instance_hour: 0.12, gpu_hour: 0, currency: 'EUR' });
  });

  it.each([
    [{ instance_hour: -0.1, currency: 'EUR' }, 'providers[0].price.instance_hour', 'cannot be negative'],
    [
      { instance_hour: 1, gpu_hour: -2, currency: 'USD' },
      'providers[0].price.gpu_hour',
      'cannot be negative',
    ],
    [{ instance_hour: 1, currency: 'EURO' }, 'providers[0].price.currency', 'ISO 4217'],
    [{ instance_hour: 1, currency: 'eur' }, 'providers[0].price.currency', '(in capitals: EUR)'],
    [{ instance_hour: 1 }, 'providers[0].price.currency', 'currency'],
    [{ instance_hour: 1, currency: 'EUR', per_hour: 2 }, 'providers[0].price.per_hour', 'unknown key'],
  ])('%j → %s', async (price, path, message) => {
    const found = await problems(price);
    expect(
      found.some((p) => p.startsWith(`${path}: `) && p.includes(message)),
      found.join('\n'),
    ).toBe(true);
  });

  it('a negative price is one line naming the key, exit 2 (built CLI)', async () => {
    await writeFile(join(dir, 'neg.yaml'), stringify(withPrice({ instance_hour: -1, currency: 'EUR' })), {
      mode: 0o600,
    });
    const r = await runCli(['config', 'validate', 'neg.yaml'], { cwd: dir, env: { HOME: dir } });
    expect(r.code).toBe(2);
    const lines = `${r.stdout}${r.stderr}`
      .trim()
      .split('\n')
      .filter((l) => l.includes('price'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/providers\[0\]\.price\.instance_hour: .*cannot be negative/);
  });
});
