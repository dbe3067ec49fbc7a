package dev.distillery.nn.checkpoint;

import dev.distillery.autograd.io.Json;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.io.TensorFiles;
import dev.distillery.nn.optim.Optimizer;
import dev.distillery.nn.optim.OptimizerStateDict;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An optimizer's state on disk as two files that together are torch's {@code state_dict()}:
 * <pre>
 *   optimizer.safetensors   "state.&lt;index&gt;.&lt;slot&gt;" tensors, e.g. state.0.step (F32 scalar),
 *                           state.0.exp_avg, state.0.exp_avg_sq
 *   optimizer.json          {"param_groups": [...torch's keys, "params", "param_names"...],
 *                            "steps_taken": n}
 * </pre>
 * so that {@code {"state": {i: {slot: t}}, "param_groups": groups}} rebuilt from them loads into
 * {@code torch.optim.Adam.load_state_dict} ({@code docs/pytorch_parity.py} does exactly that).
 *
 * <p>Checkpoints written before per-parameter steps hold only {@code optimizer.safetensors} with
 * {@code step} (the shared count) and {@code <slot>.<parameter name>} entries; {@link #load} still
 * reads them, giving every parameter with state the shared count, which is what it was.
 */
public final class OptimizerFiles {
    public static final String TENSORS = "optimizer.safetensors";
    public static final String GROUPS = "optimizer.json";
    private static final String PREFIX = "state.";

    private OptimizerFiles() {
    }

    /** Writes {@code optimizer}'s state into {@code dir} (both files). */
    public static void save(Path dir, Optimizer<?> optimizer) throws IOException {
        write(dir, optimizer.stateDict());
    }

    /** Writes a state dict into {@code dir} (both files). */
    public static void write(Path dir, OptimizerStateDict sd) throws IOException {
        writeTensors(dir.resolve(TENSORS), sd);
        writeGroups(dir.resolve(GROUPS), sd);
    }

    /** The per-parameter state, {@code state.<index>.<slot>} tensors, as the file {@value #TENSORS}. */
    public static void writeTensors(Path file, OptimizerStateDict sd) throws IOException {
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        sd.state().forEach((i, slots) -> slots.forEach((slot, t) -> tensors.put(PREFIX + i + "." + slot, t)));
        TensorFiles.save(file, tensors, Map.of("format", "pt"));
    }

    /** The parameter groups and the optimizer's step count, as the file {@value #GROUPS}. */
    public static void writeGroups(Path file, OptimizerStateDict sd) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("param_groups", sd.paramGroups());
        json.put("steps_taken", sd.stepsTaken());
        Files.writeString(file, Json.write(json), StandardCharsets.UTF_8);
    }

    /** Reads the state dict stored in {@code dir} (current format only). */
    public static OptimizerStateDict read(Path dir) throws IOException {
        Map<?, ?> json = (Map<?, ?>) Json.parse(Files.readString(dir.resolve(GROUPS), StandardCharsets.UTF_8));
        Map<Integer, Map<String, Tensor>> state = new LinkedHashMap<>();
        TensorFiles.load(dir.resolve(TENSORS)).forEach((key, t) -> {
            int dot = key.indexOf('.', PREFIX.length());
            if (!key.startsWith(PREFIX) || dot < 0) {
                throw new IllegalArgumentException(dir.resolve(TENSORS) + ": entry '" + key
                        + "' is not state.<index>.<slot>");
            }
            int index = Integer.parseInt(key.substring(PREFIX.length(), dot));
            state.computeIfAbsent(index, k -> new LinkedHashMap<>()).put(key.substring(dot + 1), t);
        });
        List<Map<String, Object>> groups = new ArrayList<>();
        for (Object g : (List<?>) json.get("param_groups")) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<?, ?>) g).forEach((k, v) -> copy.put((String) k, v));
            groups.add(copy);
        }
        Object steps = json.get("steps_taken");
        return new OptimizerStateDict(state, groups, steps == null ? 0 : (Long) steps);
    }

    /** Restores {@code optimizer} from {@code dir}, in the current format or the one before it. */
    public static void load(Path dir, Optimizer<?> optimizer) throws IOException {
        if (Files.exists(dir.resolve(GROUPS))) {
            optimizer.loadStateDict(read(dir));
        } else {
            optimizer.loadStateDict(fromSharedStepFormat(TensorFiles.load(dir.resolve(TENSORS)), optimizer));
        }
    }

    /**
     * The state dict equivalent to one of the earlier format: {@code step} (the shared count) and
     * {@code <slot>.<parameter name>} tensors. Every parameter with state had taken the shared
     * number of steps; the groups are the optimizer's own.
     */
    static OptimizerStateDict fromSharedStepFormat(Map<String, Tensor> flat, Optimizer<?> optimizer) {
        Tensor step = flat.get("step");
        if (step == null) {
            throw new IllegalArgumentException("optimizer state has no 'step' entry");
        }
        long steps = (long) step.item();
        List<String> names = new ArrayList<>(optimizer.parameters().keySet());
        Map<Integer, Map<String, Tensor>> state = new LinkedHashMap<>();
        StringBuilder unknown = new StringBuilder();
        flat.forEach((key, t) -> {
            int dot = key.indexOf('.');
            int index = dot < 0 ? -1 : names.indexOf(key.substring(dot + 1));
            if (key.equals("step")) {
                return;
            }
            if (index < 0) {
                unknown.append(" unexpected '").append(key).append("';");
                return;
            }
            Map<String, Tensor> slots = state.computeIfAbsent(index, k -> new LinkedHashMap<>());
            slots.putIfAbsent("step", Tensor.of(new double[] {steps}));
            slots.put(key.substring(0, dot), t);
        });
        if (unknown.length() > 0) {
            throw new IllegalArgumentException("cannot load optimizer state:" + unknown);
        }
        return new OptimizerStateDict(state, optimizer.stateDict().paramGroups(), steps);
    }
}
