import { describe, expect, it } from 'vitest';
import {
  blockRows,
  bucketMax,
  hourTicks,
  renderSvgChart,
  renderTerminalChart,
} from '../../src/simulate/chart.js';

describe('terminal chart', () => {
  it("keeps each bucket's peak when compressing", () => {
    expect(bucketMax([1, 5, 2, 2, 9, 0], 3)).toEqual([5, 2, 9]);
    expect(bucketMax([1, 2], 10)).toEqual([1, 2]);
  });

  it('draws the tallest value at full height and zero as blank', () => {
    const rows = blockRows([0, 4, 8], 1, 8);
    expect(rows).toEqual([' ▄█']);
    const two = blockRows([0, 8, 16], 2, 16);
    expect(two).toEqual([' ' + ' ' + '█', ' █' + '█']);
  });

  it('labels every series with its peak and draws an hour axis', () => {
    const times = Array.from({ length: 25 }, (_, i) => i * 3600);
    const text = renderTerminalChart({
      times,
      series: [
        { name: 'sessions', values: times.map((_, i) => (i > 8 && i < 18 ? 10 : 1)), color: 'red' },
        { name: 'agents', values: times.map(() => 2), color: 'blue' },
      ],
    });
    expect(text).toContain('sessions (max 10)');
    expect(text).toContain('agents (max 2)');
    expect(text).toContain('00:00');
    expect(text).toMatch(/█/);
  });
});

describe('SVG chart', () => {
  it('is one well-formed SVG with a polyline per series and escaped names', () => {
    const svg = renderSvgChart(
      { times: [0, 60, 120], series: [{ name: 'free <cores>', values: [1, 2, 3], color: '#123456' }] },
      { title: 'A & B' },
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(1);
    expect(svg).toContain('free &lt;cores&gt;');
    expect(svg).toContain('A &amp; B');
  });
});

describe('SVG hour ticks', () => {
  it('fall on whole hours, every 2 h for an 18-hour day, never more than 10', () => {
    expect(hourTicks(5 * 3600, 23 * 3600).map((t) => t / 3600)).toEqual([6, 8, 10, 12, 14, 16, 18, 20, 22]);
    expect(hourTicks(8 * 3600 + 1800, 11 * 3600)).toEqual([9 * 3600, 10 * 3600, 11 * 3600]);
    expect(hourTicks(0, 24 * 3600).length).toBeLessThanOrEqual(10);
  });
});
