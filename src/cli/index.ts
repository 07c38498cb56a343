/**
 * The CLI layer: `inittab`, a thin commander front end over the library; one module per command
 * family, loaded only when its command runs.
 */
export { main } from "./main.js";
export { fullProgram } from "./program.js";
export { completionScript, manPage } from "./reference.js";
