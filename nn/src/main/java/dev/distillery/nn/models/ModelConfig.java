package dev.distillery.nn.models;

import dev.distillery.nn.Module;

/**
 * A model's configuration record: everything needed to rebuild its structure. Checkpoints store
 * {@link #kind()} and the record as JSON; {@link #build()} makes a freshly initialised model.
 */
public interface ModelConfig {
    /** A stable name of the model class, e.g. {@code "mlp_denoiser"}. */
    String kind();

    /** A new model with this configuration, initialised from the config's seed. */
    Module build();
}
