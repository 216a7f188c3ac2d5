import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/core/errors.js';
import { parseTraceFile } from '../../src/simulate/trace.js';
import { checkFaultProviders } from '../../src/simulate/trace-faults.js';

const DOC = `# a day with a spot preemption wave and an outage
demand: |
  time,sessions,cores,memory_mb,gpus
  08:00,4,2,4096,0
  18:00,0,2,4096,0
faults:
  - {kind: preemption, provider: oci-spot, from: "13:00", to: "13:30", rate_per_hour: 2}
  - {kind: outage, provider: oci-spot, from: "15:00", to: "16:00"}
`;

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    return (err as Error).message;
  }
  throw new Error('no error');
};

describe('trace documents with faults', () => {
  it('a YAML document: demand as CSV text, faults per provider', () => {
    const t = parseTraceFile(DOC, 'day.yaml');
    expect(t.steps.map((s) => s.at)).toEqual([8 * 3600, 18 * 3600]);
    expect(t.faults).toEqual([
      { kind: 'preemption', provider: 'oci-spot', from: 13 * 3600, to: 13.5 * 3600, ratePerHour: 2 },
      { kind: 'outage', provider: 'oci-spot', from: 15 * 3600, to: 16 * 3600 },
    ]);
  });

  it('a JSON document with demand rows; CSV and arrays stay demand-only', () => {
    const t = parseTraceFile(
      JSON.stringify({ demand: [{ time: '01:00', sessions: 1, cores: 1, memory_mb: 1, gpus: 0 }] }),
      'x.json',
    );
    expect(t).toEqual({
      steps: [{ at: 3600, groups: [{ sessions: 1, cores: 1, memoryMb: 1, gpus: 0 }] }],
      faults: [],
    });
    expect(parseTraceFile('time,sessions,cores,memory_mb,gpus\n00:00,1,1,1,0\n', 'd.csv').faults).toEqual([]);
  });

  it.each([
    ['kind: reboot', /faults\[0\]\.kind is "reboot"/],
    [
      'kind: preemption, provider: a, from: "10:00", to: "09:00", rate_per_hour: 1',
      /to \(09:00\) is not after from/,
    ],
    ['kind: preemption, provider: a, from: "10:00", to: "11:00", rate_per_hour: -1', /rate_per_hour is -1/],
    ['kind: preemption, provider: a, from: "10:00", to: "11:00"', /rate_per_hour is undefined/],
    ['kind: outage, provider: a, from: "10:00", to: "11:00", rate_per_hour: 1', /an outage has no rate/],
    ['kind: outage, provider: a, from: "1000", to: "11:00"', /from: time "1000" is not HH:MM/],
    ['kind: outage, from: "10:00", to: "11:00"', /provider is missing/],
    ['kind: outage, provider: a, from: "10:00", to: "11:00", zone: x', /faults\[0\]\.zone: unknown key/],
  ])('{%s} is one line naming the key', (fault, expected) => {
    const text = `demand: "time,sessions,cores,memory_mb,gpus\\n00:00,1,1,1,0"\nfaults:\n  - {${fault}}\n`;
    const m = message(() => parseTraceFile(text, 't.yaml'));
    expect(m).toMatch(expected);
    expect(m).not.toContain('\n');
  });

  it('a fault naming a provider no config has is refused', () => {
    const { faults } = parseTraceFile(DOC, 'day.yaml');
    expect(message(() => checkFaultProviders(faults, ['oci-main'], 'a.yaml'))).toContain(
      'faults[0].provider "oci-spot" is not a provider in a.yaml',
    );
    expect(() => checkFaultProviders(faults, ['oci-main', 'oci-spot'], 'a.yaml or b.yaml')).not.toThrow();
  });
});
