package dev.distillery.autograd.backend;

import dev.distillery.autograd.DType;

/**
 * A flat, contiguous buffer of elements owned by one backend. Tensors are always contiguous views
 * of a whole storage, so kernels need no offsets beyond those their plans carry.
 */
public interface Storage {
    DType dtype();

    /** Number of elements. */
    int size();

    /** The backend whose kernels can read and write this storage. */
    Backend backend();
}
