package dev.distillery.nn.layers;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;

import java.util.ArrayList;
import java.util.List;

/**
 * Layers applied in order, {@code y = f_{n-1}(... f_0(x))}, named "0", "1", ... as PyTorch's
 * {@code nn.Sequential}, so parameter names match ({@code 2.weight} is the second Linear of
 * {@code Linear, SiLU, Linear}).
 */
public final class Sequential extends Module implements Layer {
    private final List<Layer> layers = new ArrayList<>();

    public Sequential(Module... modules) {
        this(List.of(modules));
    }

    public Sequential(List<? extends Module> modules) {
        for (Module m : modules) {
            if (!(m instanceof Layer)) {
                throw new IllegalArgumentException("Sequential: " + m + " is not a single-input Layer");
            }
            registerModule(Integer.toString(layers.size()), m);
            layers.add((Layer) m);
        }
    }

    public int size() {
        return layers.size();
    }

    /** The i-th layer. */
    public Module get(int i) {
        return (Module) layers.get(i);
    }

    @Override
    public Tensor forward(Tensor x) {
        for (Layer l : layers) {
            x = l.forward(x);
        }
        return x;
    }

    @Override
    protected Module rebuild() {
        List<Module> copies = new ArrayList<>();
        for (Layer l : layers) {
            copies.add(((Module) l).copy());
        }
        return new Sequential(copies);
    }
}
