import { describe, expect, it } from 'vitest';
import { asgiReport } from '../../../bench/asgi.mjs';

const http = (workload: string, round: number, rps: number, p99: number) => ({
  workload,
  round,
  rps,
  p99,
  non2xx: 0,
  socketErrors: 0,
  cpuUsPerRequest: 400,
  cpuUsPerRequestByClass: { Apache: 200, 'uvicorn (whisk)': 200 },
  contextSwitchesPerRequest: 4,
});
const contender = (name: string, label: string, rps: number, p99: number, ws: number, memory: number) => ({
  name,
  label,
  memory: memory * 2 ** 20,
  firstOk: { median: 1 },
  cells: [
    http('json', 1, rps, p99),
    http('json-paced', 1, 3000, p99 / 2),
    http('10k', 1, rps, p99),
    http('sleep', 1, rps, p99),
    { workload: 'ws', round: 1, rate: ws, p99: 10, errors: 0, cpuUsPerUnitByClass: { Apache: 45, 'uvicorn (whisk)': 30 }, contextSwitchesPerUnit: 6 },
    { workload: 'sse', round: 1, rate: 3000, gapP99: 25, errors: 0 },
  ],
});

describe('the ASGI benchmark report', () => {
  it("puts whisk against each target's reference and says met or missed", () => {
    const md = asgiReport({
      date: '2026-12-02',
      rounds: 1,
      duration: 10,
      machine: { cpus: 2, cpuModel: 'test CPU' },
      versions: 'uvicorn 0.32',
      contenders: [
        contender('whisk', 'whisk', 4000, 50, 7000, 100),
        contender('nginx-uvicorn', 'nginx → uvicorn', 3000, 60, 9000, 120),
        contender('uvicorn', 'uvicorn', 5000, 40, 10000, 110),
      ],
    });
    expect(md).toContain('| whisk | 4000 (50.0) | 3000 (25.0) | 4000 (50.0) | 4000 (50.0) | 7000 (10.0) | 3000 (25.0) | 400 | 100.0 | 1.00 |');
    expect(md).toContain("- json req/s: 4000.0 against nginx → uvicorn's 3000.0 = 1.33× (target ≥ 1×): met");
    expect(md).toContain("- json p99 ms (closed loop): 50.0 against nginx → uvicorn's 60.0 = 0.83× (target ≤ 1.2×): met");
    expect(md).toContain("- json p99 ms (paced): 25.0 against nginx → uvicorn's 30.0 = 0.83× (target ≤ 1×): met");
    expect(md).toContain("- sleep 10 ms req/s at c=512: 4000.0 against nginx → uvicorn's 3000.0 = 1.33× (target ≥ 1×): met");
    expect(md).toContain("- WebSocket echo messages/s: 7000.0 against nginx → uvicorn's 9000.0 = 0.78× (target ≥ 0.8×): missed");
    expect(md).toContain('- whisk: Apache 45, uvicorn (whisk) 30; 6.0 context switches');
    expect(md).toContain('- whisk: Apache 200, uvicorn (whisk) 200; 4.0 context switches');
    expect(md).toContain("- idle memory: 100.0 MiB against nginx → uvicorn's 120.0 MiB (target ≤ 1×): met");
  });
});
