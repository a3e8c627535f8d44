/**
 * The benchmark report: a pure function of the results JSON (no I/O), so an old run can be
 * re-reported (`node bench/run.mjs --report FILE.json`) and the report is unit-tested.
 */
import { REFERENCE, WORKLOADS } from './contenders.mjs';

const fmt = (v, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : '—');
/** `1.23×`, or `—` when either side is missing. */
export const ratio = (v, base) => (Number.isFinite(v) && Number.isFinite(base) && base > 0 ? `${(v / base).toFixed(2)}×` : '—');
const MiB = (b) => `${(b / 1048576).toFixed(1)} MiB`;

/** The reference contender (nginx + gunicorn; `seeds` in runs before it was renamed). */
export function reference(results) {
  return results.contenders.find((c) => c.name === REFERENCE || c.name === 'seeds');
}

/**
 * Whether a cell measured its workload: more than 1% of non-2xx answers (a 404 for a file the
 * contender's image lacks, 503s) means it measured something else. Such cells stay in the
 * tables, flagged, and are left out of the chart.
 */
export function measured(cell) {
  return !(cell.non2xx > 0.01 * cell.requests);
}

/** The cell of contender `c` for workload `w`, concurrency `conc` and round. */
export function findCell(c, w, conc, round) {
  return c?.cells.find((x) => x.workload === w && x.connections === conc && x.round === round);
}

/**
 * The Markdown report.
 *
 * @param results the results JSON written by bench/run.mjs
 * @param chartFile the chart's file name, relative to the report
 * @returns Markdown text
 */
export function report(results, chartFile) {
  const ref = reference(results);
  const refLabel = ref?.label ?? 'the reference';
  const lines = [
    `# whisk benchmark, ${results.date.slice(0, 10)}${results.quick ? ' (quick)' : ''}`,
    '',
    `Machine: ${results.machine.cpus} cores (${results.machine.cpuModel}), ${MiB(results.machine.memory)}; kernel ${results.versions.kernel}; Docker ${results.versions.docker}; ${results.versions.wrk}.`,
    `wrk and the server share the machine's cores. Each cell: ${results.duration} s after a ${results.warmup} s warm-up at c=16; ${results.rounds} round(s), each reported (no averaging).`,
    `Every contender runs alone, in a container on the same base image (${results.base ?? 'debian:trixie-slim'}), host networking, 127.0.0.1 only. Ratios are against ${refLabel}.`,
    results.fairness ?? '',
    '',
    `![req/s and p99 at c=64](${chartFile})`,
    '',
    '## Versions',
    '',
    '```',
    ...Object.entries(results.versions)
      .filter(([k]) => !['wrk', 'h2load', 'kernel', 'docker'].includes(k))
      .map(([, v]) => v),
    '```',
    '',
  ];
  if (results.whiskEnv?.length) lines.push(`whisk ran with: \`${results.whiskEnv.join(' ')}\`.`, '');
  for (const w of Object.keys(WORKLOADS)) {
    if (!results.contenders.some((c) => c.cells.some((x) => x.workload === w))) continue;
    const headers = Object.entries(WORKLOADS[w].headers ?? {})
      .map(([k, v]) => `, ${k}: ${v}`)
      .join('');
    const pause = WORKLOADS[w].thinkMs ? `; each connection waits ${WORKLOADS[w].thinkMs} ms after a response` : '';
    const h2 = WORKLOADS[w].streams ? `; HTTP/2 over TLS (h2load), ${WORKLOADS[w].streams} streams in flight on each connection` : '';
    lines.push(
      `## ${w} (GET ${WORKLOADS[w].path}${headers}${pause}${h2})`,
      '',
      `| contender | c | round | req/s | vs ${refLabel} | p50 ms | p99 ms | p99 vs ${refLabel} | non-2xx | socket errors | CPU µs/req | CPU vs ${refLabel} | context switches/req | KiB/response | max accept queue |`,
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const c of results.contenders) {
      for (const x of c.cells.filter((y) => y.workload === w)) {
        const s = findCell(ref, w, x.connections, x.round);
        lines.push(
          `| ${c.label} | ${x.connections} | ${x.round} | ${fmt(x.rps)} | ${ratio(x.rps, s?.rps)} | ${fmt(x.p50, 2)} | ${fmt(x.p99, 2)} | ${ratio(x.p99, s?.p99)} | ${x.non2xx} | ${x.socketErrors} | ${fmt(x.cpuUsPerRequest)} | ${ratio(x.cpuUsPerRequest, s?.cpuUsPerRequest)} | ${fmt(x.contextSwitchesPerRequest, 1)} | ${fmt(x.bytesPerResponse / 1024, 1)} | ${x.maxAcceptQueue} |`,
        );
      }
    }
    const failed = results.contenders.flatMap((c) =>
      c.cells.filter((x) => x.workload === w && !measured(x)).map((x) => `${c.label} (c=${x.connections}, round ${x.round}: ${x.non2xx} of ${x.requests})`),
    );
    if (failed.length) lines.push('', `**Not a measurement of this workload** (non-2xx answers; left out of the chart): ${failed.join('; ')}.`);
    const byClass = results.contenders.flatMap((c) =>
      c.cells
        .filter((x) => x.workload === w && (x.connections === 64 || x.streams) && x.cpuUsPerRequestByClass)
        .map(
          (x) =>
            `| ${c.label} | ${x.round} | ${Object.entries(x.cpuUsPerRequestByClass)
              .filter(([, v]) => v >= 0.5)
              .sort((a, b) => b[1] - a[1])
              .map(([k, v]) => `${k} ${fmt(v)}`)
              .join(', ')} |`,
        ),
    );
    if (byClass.length)
      lines.push(
        '',
        `CPU µs per request by process class at c=64 (HTTP/2: at its connections; from /proc/PID/stat):`,
        '',
        '| contender | round | by class |',
        '| --- | --- | --- |',
        ...byClass,
      );
    lines.push('');
  }
  lines.push(
    '## Per contender',
    '',
    `| contender | idle memory (PSS, after warm-up) | vs ${refLabel} | docker run → first 200 (median) | vs ${refLabel} | image (total / above base) |`,
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const c of results.contenders) {
    const mem = Object.entries(c.memory)
      .map(([app, b]) => `${app} ${MiB(b)}`)
      .join(', ');
    const img = Object.values(c.images)[Object.keys(c.images).length - 1];
    lines.push(
      `| ${c.label} | ${mem} | ${ratio(c.memory.django, ref?.memory.django)} | ${fmt(c.firstOk.median, 2)} s | ${ratio(c.firstOk.median, ref?.firstOk.median)} | ${MiB(img.total)} / ${MiB(img.aboveBase)} |`,
    );
  }
  lines.push(
    '',
    '## Commands',
    '',
    "Each cell ran, against the contender's port on 127.0.0.1:",
    '',
    '```',
    ...new Set(results.contenders.flatMap((c) => c.cells.map((x) => x.command.replace(/127\.0\.0\.1:\d+/, '127.0.0.1:PORT')))),
    '```',
    '',
    "Contenders: `whisk` = the `hello` and `django` examples with the image's defaults; the others are `bench/peers/` (`start.sh` has their exact command lines). CPU µs/req is the container cgroup's CPU time over the cell divided by the requests wrk completed; by class, each process's user + system time from /proc. Context switches/req: the voluntary and involuntary switches of every thread of the container (/proc/PID/task/TID/status) over the requests; each hand-over of a request between threads or processes costs some. Docker's own work on the containers' stdout logs (in dockerd, outside the cgroups) is in none of them. Max accept queue is the deepest Recv-Q of the listening socket sampled every 250 ms (`ss -ltn`).",
    '',
    "uWSGI's `--http-socket` closes the connection after every response (it does not keep HTTP/1.1 connections alive), so wrk counts one socket read error per request for it: those requests did complete.",
    '',
  );
  return lines.join('\n');
}
