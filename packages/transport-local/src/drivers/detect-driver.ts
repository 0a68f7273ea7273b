import { TransportError } from "@roomkit/spec";
import { createAlsaDriver } from "./alsa-driver.ts";
import type { AudioDriver } from "./audio-driver.ts";
import { hasTool } from "./helper-process.ts";
import { createPulseDriver } from "./pulse-driver.ts";

export type DriverName = "auto" | "pulse" | "alsa";

/** `auto`: PulseAudio/PipeWire-pulse tools if installed, else ALSA's; a clear error naming the packages if neither. */
export function resolveDriver(name: DriverName, options: { pulseServer?: string; path?: string } = {}): AudioDriver {
  if (name === "pulse") return createPulseDriver({ server: options.pulseServer });
  if (name === "alsa") return createAlsaDriver();
  if (hasTool("pacat", options.path) && hasTool("parec", options.path)) {
    return createPulseDriver({ server: options.pulseServer });
  }
  if (hasTool("aplay", options.path) && hasTool("arecord", options.path)) return createAlsaDriver();
  throw new TransportError({
    message:
      "LocalAudioBackend found no audio tool: install pulseaudio-utils (parec/pacat, for PulseAudio or PipeWire) " +
      "or alsa-utils (arecord/aplay): apt-get install pulseaudio-utils",
    code: "audio_tool_missing",
  });
}
