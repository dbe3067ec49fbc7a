/**
 * Checkpoint directories (config.json, model/optimizer/EMA safetensors, state.json) written
 * atomically, with the small JSON reader/writer and record mapping they need.
 */
package dev.distillery.nn.checkpoint;
