package dev.distillery.nn;

import dev.distillery.autograd.Tensor;

/** A module that maps one tensor to one tensor, so it can sit in a {@code Sequential}. */
public interface Layer {
    Tensor forward(Tensor x);
}
