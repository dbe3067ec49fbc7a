package dev.distillery.nn.models;

import dev.distillery.autograd.Tensor;

/** A network evaluated on a {@link ModelInput}: denoisers, classifiers. */
public interface ConditionalModel {
    Tensor forward(ModelInput input);

    ModelConfig config();

    /** The optional inputs (second time, labels, guidance scale) it reads besides (x, t). Default: none. */
    default Conditioning conditioning() {
        return Conditioning.none();
    }
}
