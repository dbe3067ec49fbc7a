package dev.distillery.nn.models;

import dev.distillery.autograd.Tensor;

/** A network evaluated on a {@link ModelInput}: denoisers, classifiers. */
public interface ConditionalModel {
    Tensor forward(ModelInput input);

    ModelConfig config();
}
