// Preloaded (node --require) when /usr/bin/time is absent: writes this process's rusage at
// exit in GNU time's `%e %U %S %M` order (elapsed, user s, system s, max RSS KB).
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  const r = process.resourceUsage();
  writeFileSync(
    process.env.KASM_SCALE_RUSAGE_FILE,
    `${process.uptime()} ${r.userCPUTime / 1e6} ${r.systemCPUTime / 1e6} ${r.maxRSS}\n`,
  );
});
