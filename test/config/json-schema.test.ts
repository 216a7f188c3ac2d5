import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENV_REF_PATTERN, SCHEMA_FILE } from '../../src/config/json-schema.js';
import { autoscaleFields } from '../../src/config/schema/autoscale.js';
import { gcpFields } from '../../src/clouds/gcp/schema.js';
import { kasmFields } from '../../src/kasm/schema.js';
import { ociFields } from '../../src/clouds/oci/schema.js';
import { tempDir } from '../helpers/cli.js';
import { baseConfig, check } from './fixtures.js';

/**
 * The committed JSON Schema as an editor (yaml-language-server) sees it, judged by Ajv, an
 * independent JSON Schema 2020-12 validator: hover text on every key, `${ENV}` where the
 * loader expands it, the shipped examples accepted and a wrong type refused.
 */

type Json = Record<string, any>;

let schema: Json;
let validate: ReturnType<Ajv2020['compile']>;
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  schema = JSON.parse(await readFile(resolve(SCHEMA_FILE), 'utf8'));
  validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
  ({ dir, cleanup } = await tempDir());
});
afterAll(() => cleanup());

const sections = (): [string, Json, string[]][] => {
  const [oci, gcp] = schema.properties.providers.items.oneOf as Json[];
  return [
    ['kasm', schema.properties.kasm.properties, Object.keys(kasmFields)],
    ['reconcile', schema.properties.reconcile.properties, ['concurrency', 'orphan_grace', 'ownership_id']],
    ['oci provider', oci.properties, Object.keys(ociFields)],
    ['gcp provider', gcp.properties, Object.keys(gcpFields)],
    ['autoscale', schema.properties.autoscale.items.properties, Object.keys(autoscaleFields)],
  ];
};

const example = async (name: string) => parse(await readFile(resolve('examples', name), 'utf8')) as Json;
const errors = () => (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

describe('config schema (JSON Schema for editors)', () => {
  it('describes every key of every section in one line', () => {
    for (const [section, props, keys] of sections()) {
      expect(Object.keys(props).sort(), section).toEqual([...keys].sort());
      for (const [key, prop] of Object.entries(props)) {
        expect(
          typeof prop.description === 'string' && prop.description.length > 5,
          `${section}.${key} has a description`,
        ).toBe(true);
        expect(prop.description, `${section}.${key}`).not.toContain('\n');
      }
    }
  });

  it('lets integer and boolean keys hold a ${ENV} reference, and only a whole one', () => {
    const [oci, gcp] = schema.properties.providers.items.oneOf as Json[];
    for (const prop of [
      oci.properties.max_instances,
      gcp.properties.gcp_public_ip,
      schema.properties.autoscale.items.properties.standby_cores,
    ]) {
      expect(prop.anyOf).toContainEqual({
        type: 'string',
        pattern: ENV_REF_PATTERN,
        description: expect.any(String),
      });
      expect(prop.description).toBeTypeOf('string');
    }
    const doc = {
      providers: [{ ...baseConfig().providers[0], max_instances: '${MAX}' }],
      autoscale: [
        { autoscale_config_name: 'a', vm_provider_config_name: 'oci-a', zone_name: 'z', enabled: '${ON}' },
      ],
    };
    expect(validate(doc), errors().join('\n')).toBe(true);
    for (const bad of ['many', '${MAX', '$MAX', '${1X}', ' ${MAX}'])
      expect(validate({ providers: [{ ...baseConfig().providers[0], max_instances: bad }] }), bad).toBe(
        false,
      );
  });

  it('accepts examples/oci.yaml and examples/gcp.yaml', async () => {
    for (const f of ['oci.yaml', 'gcp.yaml'])
      expect(validate(await example(f)), `${f}: ${errors().join('; ')}`).toBe(true);
  });

  it('refuses a wrong type where the validator would', async () => {
    const doc = await example('oci.yaml');
    doc.providers[0].max_instances = 'many';
    expect(validate(doc)).toBe(false);
    expect(errors().some((e) => e.startsWith('/providers/0/max_instances '))).toBe(true);

    const gcp = await example('gcp.yaml');
    gcp.autoscale[0].enabled = 'yes';
    gcp.kasm.surprise = 1;
    expect(validate(gcp)).toBe(false);
    expect(errors()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/autoscale\/0\/enabled /),
        expect.stringMatching(/^\/kasm must NOT have additional properties/),
      ]),
    );
  });

  it('agrees with the validator: a ${ENV} number is valid once expanded', async () => {
    const c = baseConfig();
    c.providers[0].max_instances = '${MAX}';
    const r = await check(
      dir,
      { ...c, reconcile: { concurrency: '${CONC}' } },
      { env: { MAX: '5', CONC: '4' } },
    );
    expect(r.problems).toEqual([]);
    expect(r.config?.providers[0].max_instances).toBe(5);
    expect(r.config?.reconcile?.concurrency).toBe(4);
  });
});
