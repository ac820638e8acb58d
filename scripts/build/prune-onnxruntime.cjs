// gcp-build step of the deployed function: after Cloud Build's `npm ci`, delete the ONNX Runtime
// binaries of the platforms the function never runs on (Cloud Functions runs linux/x64), which
// are most of the package's size. Copied into dist/ by `npm run build`.
'use strict';
const { readdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const KEEP = `${process.platform}/${process.arch}`;
const bin = join(__dirname, 'node_modules', 'onnxruntime-node', 'bin');

for (const napi of readdirSync(bin)) {
  for (const platform of readdirSync(join(bin, napi))) {
    for (const arch of readdirSync(join(bin, napi, platform))) {
      if (`${platform}/${arch}` !== KEEP)
        rmSync(join(bin, napi, platform, arch), { recursive: true });
    }
  }
}
console.log(`prune-onnxruntime: kept onnxruntime-node binaries for ${KEEP} only`);
