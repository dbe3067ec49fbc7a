package dev.distillery.autograd;

import dev.distillery.autograd.backend.Storage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The storages of the gradients a backward pass holds, counted by storage (a reshaped gradient
 * shares its storage), so that a gradient's memory goes back to its backend
 * ({@link dev.distillery.autograd.backend.Backend#recycle}) once the pass has consumed it and
 * nothing it holds refers to it. Only used without {@code createGraph}: then no recorded node
 * can keep a gradient alive, and a backward rule's results are fresh tensors or views of its
 * incoming gradient. Gradients the caller passed in are pinned and never recycled, and neither
 * are those left in the map at the end (the inputs' and the leaves' gradients it returns).
 */
final class GradientStorages {
    private final Map<Storage, Integer> holds = new IdentityHashMap<>();
    private final Set<Storage> pinned = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Storage> candidates = new ArrayList<>();

    /** Never recycle the storage of {@code g}. */
    void pin(Tensor g) {
        pinned.add(g.storage());
    }

    /** A gradient entered the map. */
    void hold(Tensor g) {
        holds.merge(g.storage(), 1, Integer::sum);
    }

    /** A gradient left the map (replaced by a sum, or consumed by its node's backward). */
    void release(Tensor g) {
        Storage s = g.storage();
        Integer n = holds.get(s);
        if (n == null || n <= 1) {
            holds.remove(s);
            candidates.add(s);
        } else {
            holds.put(s, n - 1);
        }
    }

    /** A gradient that never entered the map was added into a sum. */
    void consumed(Tensor g) {
        candidates.add(g.storage());
    }

    /** Recycles every candidate storage that no held gradient shares and the caller does not own. */
    void recycleUnreferenced() {
        Set<Storage> done = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Storage s : candidates) {
            if (!holds.containsKey(s) && !pinned.contains(s) && done.add(s)) {
                s.backend().recycle(s);
            }
        }
        candidates.clear();
    }
}
