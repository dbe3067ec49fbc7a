package dev.distillery.nn.checkpoint;

import dev.distillery.nn.models.DiscriminatorConfig;
import dev.distillery.nn.models.ImageClassifierConfig;
import dev.distillery.nn.models.MlpClassifierConfig;
import dev.distillery.nn.models.MlpConfig;
import dev.distillery.nn.models.ModelConfig;
import dev.distillery.nn.models.UNetConfig;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Which config record a checkpoint's {@code "kind"} names; other modules may register theirs. */
public final class ModelKinds {
    private static final Map<String, Class<? extends ModelConfig>> KINDS = new ConcurrentHashMap<>(Map.of(
            "mlp_denoiser", MlpConfig.class,
            "unet", UNetConfig.class,
            "discriminator_heads", DiscriminatorConfig.class,
            "image_classifier", ImageClassifierConfig.class,
            "mlp_classifier", MlpClassifierConfig.class));

    private ModelKinds() {
    }

    /** Adds a kind (a record class implementing ModelConfig). */
    public static void register(String kind, Class<? extends ModelConfig> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " must be a record");
        }
        KINDS.put(kind, type);
    }

    public static Class<? extends ModelConfig> lookup(String kind) {
        Class<? extends ModelConfig> c = KINDS.get(kind);
        if (c == null) {
            throw new IllegalArgumentException("unknown model kind '" + kind + "'; known: " + KINDS.keySet()
                    + " (register others with ModelKinds.register)");
        }
        return c;
    }
}
