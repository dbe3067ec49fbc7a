package dev.distillery.distill;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values for some of a method's {@link Knob}s, overriding its recipe: {@code mu=0.99},
 * {@code sigma-max=40}. Immutable; keys keep their order. Until checked by a method
 * ({@link DistillMethod#check}) the values are text as given; checked, they are canonical
 * ({@link Knob#format}) and in the order the method declares its knobs, so one setting always has
 * one {@link #label()}.
 */
public final class MethodSettings implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** No override: the recipe as registered. */
    public static final MethodSettings NONE = new MethodSettings(new LinkedHashMap<>());

    private final LinkedHashMap<String, String> values;

    private MethodSettings(LinkedHashMap<String, String> values) {
        this.values = values;
    }

    /** The settings of {@code values} (key to value text), in their order. */
    public static MethodSettings of(Map<String, String> values) {
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k == null || k.isBlank() || v == null || v.isBlank()) {
                throw new IllegalArgumentException("a setting needs a key and a value, got " + k + "=" + v);
            }
            copy.put(k.strip(), v.strip());
        });
        return copy.isEmpty() ? NONE : new MethodSettings(copy);
    }

    /**
     * The settings of {@code assignments}, each {@code key=value} (as {@code --set} takes them); a
     * key given twice is an error.
     */
    public static MethodSettings parse(Collection<String> assignments) {
        LinkedHashMap<String, String> values = new LinkedHashMap<>();
        for (String a : assignments) {
            int eq = a == null ? -1 : a.indexOf('=');
            if (eq <= 0 || eq == a.length() - 1) {
                throw new IllegalArgumentException("a setting is KEY=VALUE (mu=0.99), got '" + a + "'");
            }
            String key = a.substring(0, eq).strip();
            if (values.put(key, a.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException("setting '" + key + "' is given twice");
            }
        }
        return of(values);
    }

    /** The settings of a {@link #label()} ({@code mu=0.99,n=18}; empty: {@link #NONE}). */
    public static MethodSettings parse(String label) {
        return label == null || label.isBlank() ? NONE : parse(List.of(label.split(",")));
    }

    /** These settings with {@code other}'s on top (its values win; new keys come last). */
    public MethodSettings with(MethodSettings other) {
        if (other.isEmpty()) {
            return this;
        }
        LinkedHashMap<String, String> merged = new LinkedHashMap<>(values);
        merged.putAll(other.values);
        return new MethodSettings(merged);
    }

    /**
     * These settings checked against {@code knobs} of {@code method}: every key a knob's and every
     * value in its domain, else an {@link IllegalArgumentException} naming the method, the key and
     * the valid keys. The result is canonical: knob order, canonical values.
     */
    public MethodSettings checkedFor(String method, List<Knob> knobs) {
        if (isEmpty()) {
            return this;
        }
        for (String key : values.keySet()) {
            if (knobs.stream().noneMatch(k -> k.key().equals(key))) {
                throw new IllegalArgumentException(method + " has no setting '" + key + "'; " + Knob.keys(method, knobs));
            }
        }
        LinkedHashMap<String, String> canonical = new LinkedHashMap<>();
        for (Knob k : knobs) {
            String text = values.get(k.key());
            if (text != null) {
                canonical.put(k.key(), Knob.format(k.parse(method, text, knobs)));
            }
        }
        return new MethodSettings(canonical);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The value text of {@code key}, or null. */
    public String get(String key) {
        return values.get(key);
    }

    /** Key to value text, in order. */
    public Map<String, String> values() {
        return Collections.unmodifiableMap(values);
    }

    /** {@code key=value} per setting, in order: what {@link #parse(Collection)} reads back. */
    public List<String> assignments() {
        List<String> out = new ArrayList<>();
        values.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /**
     * {@code mu=0.99,n=18} (empty for {@link #NONE}): names the setting in results and reports, and
     * {@link #parse(String)} reads it back. Keys and canonical values hold no commas.
     */
    public String label() {
        return String.join(",", assignments());
    }

    @Override
    public boolean equals(Object o) {
        // LinkedHashMap equality ignores order; a setting's identity does not depend on it either
        return o instanceof MethodSettings s && values.equals(s.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return label();
    }
}
