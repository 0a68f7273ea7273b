export {
  MockChannel,
  type MockChannelCall,
  type MockChannelFramework,
  type MockChannelOptions,
  type MockChannelOutput,
  type MockChannelSession,
} from "./mock-channel.ts";
