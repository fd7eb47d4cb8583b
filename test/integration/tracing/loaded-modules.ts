import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// Preloaded into a child (`--import`): when it exits, the CommonJS modules it loaded (ESM imports of
// CommonJS packages included) are written to LOADED_MODULES_FILE, one path a line.
const cache = createRequire(import.meta.url).cache;
const file = process.env.LOADED_MODULES_FILE;
if (file) process.on('exit', () => writeFileSync(file, Object.keys(cache).join('\n')));
