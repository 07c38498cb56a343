/**
 * The initctl layer: the 384-byte requests of /run/initctl, encoded as telinit builds them,
 * decoded as init reads them, and sent only to a FIFO.
 */
export * from "./protocol.js";
export { encodeRequest, setenvData, type EncodeOptions, type InitRequest, type PowerCommand } from "./encode.js";
export { decodeRequest, type BsdRequest, type DecodedRequest } from "./decode.js";
export { sendRequest, defaultFifo, defaultFifoCandidates, type SendOptions, type SendResult } from "./send.js";
