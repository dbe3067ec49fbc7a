package dev.distillery.distill;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/**
 * How a registered method builds its distiller: its config {@code C} as the recipe sizes it to a
 * run, the knobs a user may override in that config (each read and written through the config
 * record's own accessors and {@code withX} methods), and the distiller made from the result.
 * The knob tables live here, in the registry, and leave the methods' configs and their defaults
 * alone.
 *
 * @param <C> the method's config record
 */
final class Recipe<C> {
    /**
     * The batch size the recipes were measured with (docs/RESULTS.md): a knob whose default the recipe
     * sizes to the run states its value at the method's recipe budget and this batch.
     */
    static final int RECIPE_BATCH = 128;

    /** The recipe's config for a run: {@code setup} may be null (then only {@code batch} and {@code steps} size it). */
    interface Sizing<C> {
        C config(DistillSetup setup, int batch, int trainingSteps);
    }

    /** The distiller of a config. */
    interface Build<C> {
        Distiller create(DistillSetup setup, C config, int trainingSteps);
    }

    /** One knob with its typed access to the config. */
    private record Setting<C>(String key, String description, boolean integer, Knob.Domain domain, ToDoubleFunction<C> get,
                              BiFunction<C, Double, C> set) {
    }

    private final Sizing<C> sizing;
    private final Build<C> build;
    private final List<Setting<C>> settings = new ArrayList<>();

    private Recipe(Sizing<C> sizing, Build<C> build) {
        this.sizing = sizing;
        this.build = build;
    }

    /** A recipe whose config depends on the run (its batch, its length, the setup's student). */
    static <C> Recipe<C> sized(Sizing<C> sizing, Build<C> build) {
        return new Recipe<>(sizing, build);
    }

    /** A recipe with one config for every run. */
    static <C> Recipe<C> fixed(C config, Build<C> build) {
        return new Recipe<>((s, b, n) -> config, build);
    }

    /** Adds a real-valued knob. */
    Recipe<C> real(String key, String description, Knob.Domain domain, ToDoubleFunction<C> get, BiFunction<C, Double, C> set) {
        settings.add(new Setting<>(key, description, false, domain, get, set));
        return this;
    }

    /** Adds an integer knob. */
    Recipe<C> integer(String key, String description, Knob.Domain domain, ToIntFunction<C> get, BiFunction<C, Integer, C> set) {
        settings.add(new Setting<>(key, description, true, domain, get::applyAsInt, (c, v) -> set.apply(c, (int) Math.rint(v))));
        return this;
    }

    /** The knobs, their defaults read from the config of a run of {@code recipeSteps} on batch {@link #RECIPE_BATCH}. */
    List<Knob> knobs(int recipeSteps) {
        C shown = sizing.config(null, RECIPE_BATCH, recipeSteps);
        return settings.stream().map(s -> new Knob(s.key(), s.description(), s.integer(),
                Knob.format(s.get().applyAsDouble(shown)), s.domain())).toList();
    }

    /** The config of a run: the recipe's for {@code setup} and {@code trainingSteps}, with {@code checked} on top. */
    C config(DistillSetup setup, int trainingSteps, MethodSettings checked) {
        return apply(sizing.config(setup, setup.batchSize(), trainingSteps), checked);
    }

    /** {@code config} with the (checked) settings applied, in their order. */
    C apply(C config, MethodSettings checked) {
        C c = config;
        for (var e : checked.values().entrySet()) {
            Setting<C> s = setting(e.getKey());
            c = s.set().apply(c, Double.parseDouble(e.getValue()));
        }
        return c;
    }

    /** The value of knob {@code key} in {@code config}. */
    double read(C config, String key) {
        return setting(key).get().applyAsDouble(config);
    }

    Distiller create(DistillSetup setup, int trainingSteps, MethodSettings checked) {
        return build.create(setup, config(setup, trainingSteps, checked), trainingSteps);
    }

    private Setting<C> setting(String key) {
        return settings.stream().filter(s -> s.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no knob '" + key + "' (settings must be checked first)"));
    }
}
