/** initctl requests: encode them as telinit does, decode them, send them to init's FIFO. */
export * from "./protocol.js";
export { encodeRequest, setenvData, type EncodeOptions, type InitRequest, type PowerCommand } from "./encode.js";
export { decodeRequest, type BsdRequest, type DecodedRequest } from "./decode.js";
export {
  sendRequest,
  defaultFifo,
  defaultFifoCandidates,
  type SendOptions,
  type SendResult,
} from "./send.js";
