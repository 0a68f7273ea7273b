export {
  countingClock,
  reportReliabilityRow,
  storedTexts,
  transcriptRepeats,
} from "./fault-matrix-support.ts";
