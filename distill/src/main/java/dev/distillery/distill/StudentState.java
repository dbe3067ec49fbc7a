package dev.distillery.distill;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Module;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a distiller's generator needs to sample, and nothing else: the state dicts of its networks
 * by name (the student; for progressive distillation also each finished round's frozen student)
 * and a few integer counters (the current round, the rectified-flow stage). No optimizer state,
 * EMA targets, pair sets or discriminators: a restored distiller samples exactly as the one that
 * was exported, but training it further does not continue the original run (that is
 * {@link Distiller#trainingState()}'s job).
 *
 * <p>Network names double as file names (a checkpoint writes one {@code <name>.safetensors} per
 * network), so they are lower-case letters, digits and '-'. The tensors of a distiller's {@code state()} are
 * the distiller's live ones: write them out or restore them before its next training step.
 *
 * @param networks state dicts by network name, in export order
 * @param counters integer counters by name
 */
public record StudentState(Map<String, Map<String, Tensor>> networks, Map<String, Long> counters) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    public StudentState {
        LinkedHashMap<String, Map<String, Tensor>> nets = new LinkedHashMap<>();
        networks.forEach((k, v) -> nets.put(checkName(k, "network"), Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        LinkedHashMap<String, Long> counts = new LinkedHashMap<>();
        counters.forEach((k, v) -> counts.put(checkName(k, "counter"), v));
        networks = Collections.unmodifiableMap(nets);
        counters = Collections.unmodifiableMap(counts);
    }

    private static String checkName(String name, String what) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " name '" + name + "' must be lower-case letters, digits and '-'");
        }
        return name;
    }

    /** Whether {@code name} is a network of this state. */
    public boolean hasNetwork(String name) {
        return networks.containsKey(name);
    }

    /** Whether {@code name} is a counter of this state. */
    public boolean hasCounter(String name) {
        return counters.containsKey(name);
    }

    /** The counter {@code name}; throws naming the counters there are when it is absent. */
    public long counter(String name) {
        Long v = counters.get(name);
        if (v == null) {
            throw new IllegalArgumentException("student state lacks the counter '" + name + "' (it has "
                    + counters.keySet() + ")");
        }
        return v;
    }

    /**
     * Copies the network {@code name} into {@code target} (strict: every parameter and buffer
     * name, shape and dtype must match); throws naming the network and listing every difference,
     * having written nothing.
     */
    public void loadInto(String name, Module target) {
        Map<String, Tensor> weights = networks.get(name);
        if (weights == null) {
            throw new IllegalArgumentException("student state lacks the network '" + name + "' (it has "
                    + networks.keySet() + ")");
        }
        try {
            target.loadStateDict(weights, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("network '" + name + "': " + e.getMessage(), e);
        }
    }

    /** A state with one network and no counters. */
    public static StudentState of(String name, Module network) {
        return builder().network(name, network).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects networks (their live state dicts) and counters in order. */
    public static final class Builder {
        private final Map<String, Map<String, Tensor>> networks = new LinkedHashMap<>();
        private final Map<String, Long> counters = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder network(String name, Module module) {
            if (networks.put(name, module.stateDict()) != null) {
                throw new IllegalArgumentException("network '" + name + "' is exported twice");
            }
            return this;
        }

        public Builder counter(String name, long value) {
            if (counters.put(name, value) != null) {
                throw new IllegalArgumentException("counter '" + name + "' is exported twice");
            }
            return this;
        }

        public StudentState build() {
            return new StudentState(networks, counters);
        }
    }
}
