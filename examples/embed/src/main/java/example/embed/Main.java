package example.embed;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Backends;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.layers.Activation;
import dev.distillery.nn.layers.Linear;
import dev.distillery.nn.layers.Sequential;
import dev.distillery.nn.optim.Adam;
import java.util.List;

/**
 * Distillery's autograd and nn inside another program: fit a small MLP to sin(3x) with Adam, then
 * take gradients of gradients, once where the answer is known in closed form and once as a
 * gradient penalty on the trained network. Exits with 1 if either result is wrong.
 */
public final class Main {
    public static void main(String[] args) {
        System.out.println("backend: " + Backends.current().name());

        // 1. Training: y = sin(3x) on [-1, 1], full batch, 300 Adam steps.
        Init init = Init.of(DType.F32, 0);
        Sequential net = new Sequential(new Linear(1, 64, init), Activation.silu(),
                new Linear(64, 64, init), Activation.silu(), new Linear(64, 1, init));
        Adam adam = Adam.adam(net.namedParameters(), 1e-2);
        Tensor x = Tensor.linspace(DType.F32, -1, 1, 256).reshape(256, 1);
        Tensor y = x.mul(3).sin();
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 0; step < 300; step++) {
            adam.zeroGrad();
            Tensor loss = net.forward(x).sub(y).square().mean();
            loss.backward();
            adam.step();
            last = loss.item();
            first = step == 0 ? last : first;
        }
        System.out.printf("MLP fit of sin(3x): mean squared error %.4f -> %.5f%n", first, last);

        // 2. Second order, closed form: f(p) = sum p^3, df/dp = 3 p^2 (kept as a graph), d/dp sum(3 p^2) = 6 p.
        Tensor p = Tensor.of(new double[] {-1.0, 0.5, 2.0}, 3).requiresGrad(true);
        Tensor df = Autograd.grad(List.of(p.pow(3).sum()), List.of(p), null, true).get(0);
        Tensor d2f = Autograd.grad(List.of(df.sum()), List.of(p), null, false).get(0);
        double[] got = d2f.toDoubleArray();
        System.out.printf("d/dp sum(d/dp sum p^3) at p = (-1, 0.5, 2): (%.1f, %.1f, %.1f), expected (-6, 3, 12)%n",
                got[0], got[1], got[2]);

        // 3. Second order through the network: a gradient penalty mean ||d net(x)/dx||^2, whose
        //    gradient with respect to the weights differentiates the input gradient (as R1 does).
        Tensor xs = x.detach().requiresGrad(true);
        Tensor dx = Autograd.grad(List.of(net.forward(xs).sum()), List.of(xs), null, true).get(0);
        net.zeroGrad();
        dx.square().mean().backward();
        double norm = 0;
        for (Tensor w : net.parameters()) {
            if (w.grad() != null) { // the last bias shifts net(x) and leaves d net/dx alone
                norm += w.grad().square().sum().item();
            }
        }
        System.out.printf("gradient penalty of the trained MLP: %.3f, its gradient's norm over the weights %.3f%n",
                dx.square().mean().item(), Math.sqrt(norm));

        boolean ok = last < 0.1 * first && Math.abs(got[0] + 6) < 1e-9 && Math.abs(got[1] - 3) < 1e-9
                && Math.abs(got[2] - 12) < 1e-9 && norm > 0 && Double.isFinite(norm);
        System.out.println(ok ? "ok" : "FAILED");
        System.exit(ok ? 0 : 1);
    }
}
