// Real-browser test support: Debian's Chromium driven by playwright-core, with a fake microphone fed from a WAV.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";

/** `ROOMKIT_CHROMIUM_PATH` or `CHROMIUM_PATH` override it (another Chromium build). */
export const CHROMIUM_PATH = process.env.ROOMKIT_CHROMIUM_PATH ?? process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SPEECH_WAV = join(import.meta.dir, "..", "fixtures", "speech.wav");

/** Fails (never skips) with instructions when the browser is missing. */
export function assertChromiumInstalled(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}; the demo's real-browser tests need it. ` +
        "Install it with apps/demo/scripts/setup-browser.sh (apt-get install -y chromium), then rerun the tests.",
    );
  }
}

export async function launchChromium(wavPath = SPEECH_WAV, extraArgs: string[] = []): Promise<Browser> {
  assertChromiumInstalled();
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-audio-capture=${wavPath}`,
      "--autoplay-policy=no-user-gesture-required",
      ...extraArgs,
    ],
  });
}
