package dev.distillery.nn.optim;

import dev.distillery.autograd.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One of {@code torch.optim}'s parameter groups: named parameters that share a learning-rate
 * schedule and the optimizer's hyperparameters {@code H} (for Adam: betas, eps, weight decay,
 * amsgrad, maximize). Groups let, for example, biases go without weight decay, or a head learn
 * faster than a backbone.
 *
 * @param params the group's parameters by name, in order (copied; unmodifiable)
 * @param lr     the group's learning rate at each optimizer step
 * @param options the group's hyperparameters
 * @param <H>    the optimizer's hyperparameter record
 */
public record ParamGroup<H>(Map<String, Tensor> params, LearningRate lr, H options) {

    public ParamGroup {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        Objects.requireNonNull(lr, "lr");
        Objects.requireNonNull(options, "options");
    }

    /** The same parameters and hyperparameters with another schedule. */
    public ParamGroup<H> withLr(LearningRate schedule) {
        return new ParamGroup<>(params, schedule, options);
    }
}
