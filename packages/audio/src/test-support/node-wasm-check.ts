// Run under Node (see wasm-node.node.test.ts) and Bun: converts 1 s of noise 24 kHz -> 16 kHz and G.722-encodes and
// decodes 1 s of 16 kHz noise, each with the default (wasm) kernel and the JavaScript one, and prints the kernels
// used and the output bytes (base64) as one JSON line.
import { encodeBase64 } from "../bytes/base64.ts";
import { G722Decoder, G722Encoder } from "../codecs/g722.ts";
import { generateNoise } from "../pcm/generators.ts";
import { createResampler } from "../resampler/streaming-resampler.ts";

const input = generateNoise({ sampleRate: 24000, durationMs: 1000, seed: 17 });
const auto = createResampler({ fromRate: 24000, toRate: 16000 });
const javascript = createResampler({ fromRate: 24000, toRate: 16000, kernel: "javascript" });
const speech = generateNoise({ sampleRate: 16000, durationMs: 1000, seed: 5 });
const encoder = new G722Encoder();
const decoder = new G722Decoder();
const encoded = encoder.encode(speech);
const encodedJs = new G722Encoder({ kernel: "javascript" }).encode(speech);
console.log(
  JSON.stringify({
    runtime: process.version,
    kernels: [auto.kernel, encoder.kernel, decoder.kernel],
    resampled: encodeBase64(auto.process(input)),
    resampledJs: encodeBase64(javascript.process(input)),
    encoded: encodeBase64(encoded),
    encodedJs: encodeBase64(encodedJs),
    decoded: encodeBase64(decoder.decode(encoded)),
    decodedJs: encodeBase64(new G722Decoder({ kernel: "javascript" }).decode(encoded)),
  }),
);
