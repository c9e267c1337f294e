// Helpers for the network labs' unit tests (vanishing, initialization, relu).
import { spawnSync } from 'node:child_process';

const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;

/** The script parses as Python (python3's ast), or python3 is not installed. */
export function pythonOk(src) {
  if (!hasPython) return true;
  const r = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: src });
  if (r.status !== 0) console.error(r.stderr.toString());
  return r.status === 0;
}
