/** Gemini Live takes caller audio as PCM16 at 16 kHz (`audio/pcm;rate=16000`). */
export const GEMINI_INPUT_SAMPLE_RATE = 16000;

/** Gemini Live output audio is always PCM16 at 24 kHz. */
export const GEMINI_OUTPUT_SAMPLE_RATE = 24000;
