package dev.distillery.nn.optim;

import dev.distillery.autograd.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An optimizer's state as {@code torch.optim.Optimizer.state_dict()} lays it out, so that a file
 * written here loads into PyTorch and back:
 * <ul>
 *   <li>{@code state}: parameter index (the position in the concatenation of all groups' parameters)
 *       to that parameter's tensors, e.g. {@code step} (a scalar, F32 as torch keeps it),
 *       {@code exp_avg}, {@code exp_avg_sq}, {@code max_exp_avg_sq}; parameters never updated have
 *       no entry;</li>
 *   <li>{@code paramGroups}: per group, its hyperparameters under torch's keys ({@code lr},
 *       {@code betas}, {@code eps}, {@code weight_decay}, {@code amsgrad}, {@code maximize}, ...),
 *       {@code params} (the indices) and {@code param_names} (as torch 2.6+ records them);</li>
 *   <li>{@code stepsTaken}: Distillery's own count of {@code step()} calls, the argument of the
 *       learning-rate schedules (torch keeps it in the LR scheduler's {@code last_epoch}).</li>
 * </ul>
 *
 * @param state       index to slot name to tensor (unmodifiable views)
 * @param paramGroups torch's {@code param_groups}
 * @param stepsTaken  optimizer steps taken
 */
public record OptimizerStateDict(Map<Integer, Map<String, Tensor>> state, List<Map<String, Object>> paramGroups,
                                 long stepsTaken) {

    public OptimizerStateDict {
        Map<Integer, Map<String, Tensor>> copy = new LinkedHashMap<>();
        state.forEach((i, slots) -> copy.put(i, Collections.unmodifiableMap(new LinkedHashMap<>(slots))));
        state = Collections.unmodifiableMap(copy);
        paramGroups = List.copyOf(paramGroups);
    }
}
