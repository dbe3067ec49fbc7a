package dev.distillery.nn.layers;

import dev.distillery.nn.Module;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Children named "0", "1", ... as PyTorch's {@code nn.ModuleList}; the owner decides how to call them. */
public final class ModuleList extends Module {
    private final List<Module> items = new ArrayList<>();

    public ModuleList(List<? extends Module> modules) {
        modules.forEach(this::add);
    }

    private void add(Module m) {
        registerModule(Integer.toString(items.size()), m);
        items.add(m);
    }

    public List<Module> items() {
        return Collections.unmodifiableList(items);
    }

    public int size() {
        return items.size();
    }

    @Override
    protected Module rebuild() {
        List<Module> copies = new ArrayList<>();
        items.forEach(m -> copies.add(m.copy()));
        return new ModuleList(copies);
    }
}
