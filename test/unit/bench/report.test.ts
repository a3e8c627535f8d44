import { describe, expect, it } from 'vitest';
import { measured, ratio, reference, report } from '../../../bench/report.mjs';

const cellOf = (workload: string, round: number, rps: number, p99: number, cpu: number, byClass?: Record<string, number>) => ({
  workload,
  round,
  connections: 64,
  rps,
  p50: p99 / 4,
  p99,
  non2xx: 0,
  socketErrors: 0,
  cpuUsPerRequest: cpu,
  cpuUsPerRequestByClass: byClass,
  maxAcceptQueue: 3,
  contextSwitchesPerRequest: 4.25,
  requests: rps * 10,
  bytesPerResponse: 28_160,
  command: 'wrk -t 2 -c 64 -d 10s --latency http://127.0.0.1:4321/',
});
const results = (refName: string) => ({
  date: '2026-11-22T05:00:00.000Z',
  quick: false,
  rounds: 1,
  duration: 10,
  warmup: 3,
  base: 'debian:trixie-slim',
  fairness: 'All contenders log every request.',
  machine: { cpus: 2, cpuModel: 'test CPU', memory: 2 ** 34 },
  versions: { whisk: 'Apache/2.4', wrk: 'wrk 4', kernel: '6', docker: '28' },
  contenders: [
    {
      name: 'whisk',
      label: 'whisk',
      cells: [cellOf('hello', 1, 6000, 10, 250, { 'mod_wsgi daemons': 120, Apache: 110, 'access logger (cat)': 8, other: 0.1 })],
      memory: { hello: 30 * 2 ** 20 },
      images: { hello: { total: 3e8, aboveBase: 2e8 } },
      firstOk: { median: 0.3 },
    },
    {
      name: refName,
      label: 'nginx + gunicorn sync',
      cells: [cellOf('hello', 1, 4000, 20, 300)],
      memory: { hello: 60 * 2 ** 20 },
      images: { hello: { total: 2e8, aboveBase: 1e8 } },
      firstOk: { median: 0.4 },
    },
  ],
});

describe('the benchmark report', () => {
  it('gives each cell its ratios against nginx + gunicorn', () => {
    const md = report(results('nginx-gunicorn'), 'x.svg');
    expect(md).toContain('| whisk | 64 | 1 | 6000 | 1.50× | 2.50 | 10.00 | 0.50× | 0 | 0 | 250 | 0.83× | 4.3 | 27.5 | 3 |');
    expect(md).toContain('Ratios are against nginx + gunicorn sync.');
    expect(md).toContain('All contenders log every request.');
    expect(md).toContain('http://127.0.0.1:PORT/');
    expect(md).not.toContain('## django');
  });

  it('shows CPU per request by process class, largest first, leaving out the negligible', () => {
    const md = report(results('nginx-gunicorn'), 'x.svg');
    expect(md).toContain('| whisk | 1 | mod_wsgi daemons 120, Apache 110, access logger (cat) 8 |');
  });

  it('flags a cell that answered non-2xx as not measuring its workload', () => {
    const r = results('nginx-gunicorn');
    Object.assign(r.contenders[1].cells[0], { non2xx: 39_000 });
    expect(measured(r.contenders[1].cells[0])).toBe(false);
    expect(measured(r.contenders[0].cells[0])).toBe(true);
    expect(report(r, 'x.svg')).toContain(
      '**Not a measurement of this workload** (non-2xx answers; left out of the chart): nginx + gunicorn sync (c=64, round 1: 39000 of 40000).',
    );
    expect(report(results('nginx-gunicorn'), 'x.svg')).not.toContain('Not a measurement');
  });

  it('writes a dash for a figure an older run did not record', () => {
    const old = results('nginx-gunicorn');
    delete (old.contenders[0].cells[0] as { contextSwitchesPerRequest?: number }).contextSwitchesPerRequest;
    expect(report(old, 'x.svg')).toContain('| 250 | 0.83× | — | 27.5 | 3 |');
  });

  it('reads runs made before the reference was renamed from seeds', () => {
    expect(reference(results('seeds'))?.label).toBe('nginx + gunicorn sync');
    expect(report(results('seeds'), 'x.svg')).toContain('| 1.50× |');
  });

  it('names the pause of a paced workload in its section', () => {
    const r = results('nginx-gunicorn');
    r.contenders[0].cells.push(cellOf('asset-paced', 1, 12_800, 3.4, 79));
    expect(report(r, 'x.svg')).toContain('## asset-paced (GET /static/admin/js/vendor/jquery/jquery.min.js; each connection waits 4 ms after a response)');
  });

  it('writes a dash where a ratio has no side', () => {
    expect(ratio(1, undefined)).toBe('—');
    expect(ratio(NaN, 2)).toBe('—');
    expect(ratio(3, 2)).toBe('1.50×');
  });
});
