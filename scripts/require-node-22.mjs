// Kasa's native modules (better-sqlite3 13, node-hid, serialport) are the prebuilds for the Node 22
// the project pins (the `node` devDependency, which npm scripts run on). On another Node,
// better-sqlite3 crashes the process with no word (a segfault): say so first, and how to run it.

/** Exits with a clear message unless this is Node 22; `command` is the npm command to use instead. */
export function requireNode22(script, command) {
  if (process.versions.node.split('.')[0] === '22') return;
  process.stderr.write(
    `${script}: this is Node ${process.version}; Kasa runs on the Node 22 it pins (the node devDependency). Run \`${command}\`, which uses it, or node_modules/.bin/node in place of node.\n`,
  );
  process.exit(1);
}
