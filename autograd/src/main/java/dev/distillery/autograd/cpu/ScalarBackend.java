package dev.distillery.autograd.cpu;

import dev.distillery.autograd.backend.BinaryKernel;
import dev.distillery.autograd.backend.ElementwisePlan;
import dev.distillery.autograd.backend.MatmulPlan;
import dev.distillery.autograd.backend.ReduceKernel;
import dev.distillery.autograd.backend.ReducePlan;
import dev.distillery.autograd.backend.Storage;
import dev.distillery.autograd.backend.UnaryKernel;

/**
 * The plain-loop oracle: the specification every other backend is tested against. Each element
 * is computed in double precision and rounded once to the storage's dtype (for +, -, *, / and
 * sqrt this equals native F32 arithmetic); sums and dot products accumulate in double, in
 * increasing index order. Sequential and obviously correct; never fast.
 */
public final class ScalarBackend extends HostBackend {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void unary(UnaryKernel f, double param, Storage in, Storage out) {
        HostStorage a = HostStorage.of(in);
        HostStorage o = HostStorage.of(out);
        int n = o.size();
        for (int i = 0; i < n; i++) {
            o.set(i, f.apply(a.get(i), param));
        }
    }

    @Override
    public void binary(BinaryKernel f, Storage a, Storage b, Storage out, ElementwisePlan plan) {
        HostStorage x = HostStorage.of(a);
        HostStorage y = HostStorage.of(b);
        HostStorage o = HostStorage.of(out);
        for (int j = 0; j < plan.numel(); j++) {
            o.set(j, f.apply(x.get(plan.offset(0, j)), y.get(plan.offset(1, j))));
        }
    }

    @Override
    public void where(Storage cond, Storage a, Storage b, Storage out, ElementwisePlan plan) {
        HostStorage c = HostStorage.of(cond);
        HostStorage x = HostStorage.of(a);
        HostStorage y = HostStorage.of(b);
        HostStorage o = HostStorage.of(out);
        for (int j = 0; j < plan.numel(); j++) {
            boolean take = c.get(plan.offset(0, j)) != 0.0;
            o.set(j, take ? x.get(plan.offset(1, j)) : y.get(plan.offset(2, j)));
        }
    }

    @Override
    public void reduce(ReduceKernel kind, Storage in, Storage out, ReducePlan plan) {
        HostStorage x = HostStorage.of(in);
        HostStorage o = HostStorage.of(out);
        for (int j = 0; j < plan.outer(); j++) {
            int base = plan.base(j);
            double acc = kind == ReduceKernel.SUM ? 0.0 : Double.NEGATIVE_INFINITY;
            for (int r = 0; r < plan.inner(); r++) {
                double v = x.get(base + plan.offset(r));
                acc = kind == ReduceKernel.SUM ? acc + v : Math.max(acc, v);
            }
            o.set(j, acc);
        }
    }

    @Override
    public void matmul(Storage a, Storage b, Storage c, MatmulPlan p) {
        HostStorage x = HostStorage.of(a);
        HostStorage y = HostStorage.of(b);
        HostStorage z = HostStorage.of(c);
        int lda = p.lda(), ldb = p.ldb();
        for (int bt = 0; bt < p.batch(); bt++) {
            int ao = p.aOffsets()[bt], bo = p.bOffsets()[bt], co = bt * p.m() * p.n();
            for (int i = 0; i < p.m(); i++) {
                for (int j = 0; j < p.n(); j++) {
                    double acc = 0.0;
                    for (int l = 0; l < p.k(); l++) {
                        double av = x.get(ao + (p.transA() ? l * lda + i : i * lda + l));
                        double bv = y.get(bo + (p.transB() ? j * ldb + l : l * ldb + j));
                        acc += av * bv;
                    }
                    z.set(co + i * p.n() + j, acc);
                }
            }
        }
    }

}
