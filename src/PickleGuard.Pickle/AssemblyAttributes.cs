// Locals are always assigned before use in this assembly; skipping their zero-initialisation matters in the opcode loop.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
