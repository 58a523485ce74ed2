// Pulumi entry point: the exported function's result becomes the stack outputs.
import { program } from "./program";

export = program;
