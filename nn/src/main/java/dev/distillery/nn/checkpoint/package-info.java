/**
 * Checkpoint folders (config.json, model/optimizer/EMA safetensors, state.json), each version
 * written as a generation subfolder that appears by one rename ({@code GenerationFolder}), so a
 * crash leaves the old checkpoint or the new one; with the small bounded JSON reader/writer
 * (sorted keys) and the record mapping they need.
 */
package dev.distillery.nn.checkpoint;
