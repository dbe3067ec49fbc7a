/**
 * Checkpoint folders (config.json, model/optimizer/EMA safetensors, state.json), each version
 * written as a generation subfolder that appears by one rename ({@code GenerationFolder}), so a
 * crash leaves the old checkpoint or the new one. The JSON files are read and written with
 * {@link dev.distillery.autograd.io.Json} (bounded, sorted keys, record mapping).
 */
package dev.distillery.nn.checkpoint;
