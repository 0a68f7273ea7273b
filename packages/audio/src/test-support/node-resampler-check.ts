// Run under Node (see resampler-node.node.test.ts): converts 1 s of noise 24 kHz -> 16 kHz with the default kernel and
// with the JavaScript one, and prints the kernel used and the output bytes (base64) as one JSON line.
import { encodeBase64 } from "../bytes/base64.ts";
import { generateNoise } from "../pcm/generators.ts";
import { createResampler } from "../resampler/streaming-resampler.ts";

const input = generateNoise({ sampleRate: 24000, durationMs: 1000, seed: 17 });
const auto = createResampler({ fromRate: 24000, toRate: 16000 });
const javascript = createResampler({ fromRate: 24000, toRate: 16000, kernel: "javascript" });
console.log(
  JSON.stringify({
    runtime: process.version,
    kernel: auto.kernel,
    auto: encodeBase64(auto.process(input)),
    javascript: encodeBase64(javascript.process(input)),
  }),
);
