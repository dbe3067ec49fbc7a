/**
 * Safetensors reading and writing with the JDK alone: a neutral model
 * ({@link dev.distillery.autograd.io.SafetensorsEntry}, {@link dev.distillery.autograd.io.SafetensorsTensor},
 * {@link dev.distillery.autograd.io.SafetensorsFile}) independent of {@code Tensor}, a strict
 * validating {@link dev.distillery.autograd.io.SafetensorsReader} and an atomic
 * {@link dev.distillery.autograd.io.SafetensorsWriter}. The adapter to and from {@code Tensor}
 * lives with the tensor code, so this package imports nothing from the rest of Distillery.
 *
 * <p>{@link dev.distillery.autograd.io.Json} is the project's one JSON reader and writer: the
 * header parser reads through it with the header's bounds, and checkpoints, configs, run records,
 * reports and benchmarks use it with a document's bounds.
 *
 * <p>Format (https://github.com/huggingface/safetensors): 8-byte little-endian u64 N; N bytes of
 * UTF-8 JSON mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}}
 * plus an optional {@code "__metadata__"} string map; then the data region, row-major
 * little-endian, offsets relative to its start, tensors tiling it without holes or overlap.
 * Element types and their codecs: {@link dev.distillery.autograd.io.SafetensorsDtype}
 * (F64, F32, F16, BF16, I64, I32, I16, I8, U8, U16, U32, BOOL).
 */
package dev.distillery.autograd.io;
