/**
 * docs/config.md, the config file's key reference, rendered from the same JSON Schema that
 * `config schema` prints (itself generated from the zod schemas). Hand-kept key tables go
 * stale; this one is regenerated with `npm run docs:config` and a test fails when the
 * committed page differs.
 */

// A JSON Schema document walked by key; its shape is the JSON Schema spec's, not ours to type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

export const CONFIG_DOC_FILE = 'docs/config.md';

export function configReferenceMarkdown(schema: Json): string {
  const props = schema.properties as Json;
  const [oci, gcp] = props.providers.items.oneOf as Json[];
  const sections: [string, string, Json][] = [
    ['`kasm`', 'How kasm-scale reaches Kasm.', props.kasm],
    ['`reconcile`', 'Settings of every reconcile pass.', props.reconcile],
    // One table per lock type (docs/lease.md); `file` has no key but its type.
    ...((props.lock?.oneOf ?? props.lock?.anyOf ?? []) as Json[])
      .filter((l) => Object.keys(l.properties ?? {}).length > 1)
      .map((l): [string, string, Json] => [
        `\`lock\` with \`type: ${String(l.properties.type.const)}\``,
        `${String(l.description ?? '')} ([lease.md](lease.md)).`,
        l,
      ]),
    [
      'OCI provider (`providers[]` with `vm_provider_name: oci`)',
      "Kasm's OCI VM provider config, key for key.",
      oci!,
    ],
    [
      'GCP provider (`providers[]` with `vm_provider_name: gcp`)',
      "Kasm's GCP VM provider config, key for key.",
      gcp!,
    ],
    [
      'Autoscale config (`autoscale[]`)',
      'One pool: a Kasm zone scaled on one provider.',
      props.autoscale.items,
    ],
    [
      'Schedule window (`autoscale[].schedules[]`)',
      'A time-of-day window of a pool; see [schedules.md](schedules.md).',
      props.autoscale.items.properties.schedules.items,
    ],
  ];
  const out = [
    '# Config file reference',
    '',
    '<!-- Generated from the config schema by `npm run docs:config`; do not edit by hand. -->',
    '',
    'Every key of the kasm-scale config file (YAML or JSON). The guide to the file, with',
    'examples, secrets, `${ENV}` and `*_file` keys, is [config-file.md](config-file.md).',
    "Numbers and booleans may also be written as a whole `${ENV}` reference; Kasm's JSON",
    'fields also accept a string holding JSON.',
  ];
  for (const [title, intro, section] of sections) {
    out.push(
      '',
      `## ${title}`,
      '',
      intro,
      '',
      '| key | type | required | description |',
      '|---|---|---|---|',
    );
    const required = new Set<string>(section.required ?? []);
    for (const [key, prop] of Object.entries(section.properties as Json)) {
      if (key === '$schema') continue;
      out.push(
        `| \`${key}\` | ${typeOf(prop)} | ${required.has(key) ? 'yes' : ''} | ${cell(prop.description ?? '')} |`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

/** A short type name; the `${ENV}` and JSON-string alternatives are said once, above. */
function typeOf(prop: Json): string {
  if (prop.const !== undefined) return `\`${JSON.stringify(prop.const)}\``;
  if (Array.isArray(prop.enum)) return prop.enum.map((v: unknown) => `\`${JSON.stringify(v)}\``).join(', ');
  const alternatives = (prop.anyOf ?? prop.oneOf) as Json[] | undefined;
  if (alternatives) {
    const own = alternatives.filter(
      (a) =>
        !(
          a.type === 'string' &&
          (a.pattern?.startsWith('^\\$\\{') || /as a string holding JSON/.test(a.description ?? ''))
        ),
    );
    return [...new Set(own.map(typeOf))].join(' or ') || 'string';
  }
  if (prop.type === 'array') return prop.items ? `list of ${typeOf(prop.items)}` : 'list';
  if (prop.type === 'object') return 'object';
  if (prop.type === 'integer') return range('integer', prop);
  if (prop.type === 'number') return range('number', prop);
  return prop.type ?? 'any';
}

function range(name: string, prop: Json): string {
  const max = prop.maximum !== undefined && prop.maximum < Number.MAX_SAFE_INTEGER ? prop.maximum : undefined;
  if (prop.minimum !== undefined && max !== undefined) return `${name} ${prop.minimum}–${max}`;
  if (prop.minimum !== undefined) return `${name} ≥ ${prop.minimum}`;
  return name;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
