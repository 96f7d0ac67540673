package dev.kiln.model.compute.cpu;

import dev.kiln.model.compute.HostBuffer;

/** Optimizer update loops over a range of parameters (elementwise, so any split is exact). */
final class OptimizerOps {
  private OptimizerOps() {}

  static void sgd(
      HostBuffer params,
      HostBuffer grads,
      HostBuffer velocity,
      int from,
      int to,
      float lr,
      float momentum,
      boolean nesterov,
      float wd) {
    float[] p = params.array();
    float[] g = grads.array();
    int po = params.offset();
    int go = grads.offset();
    if (velocity == null) {
      for (int i = from; i < to; i++) {
        float d = g[go + i] + wd * p[po + i];
        p[po + i] -= lr * d;
      }
      return;
    }
    float[] v = velocity.array();
    int vo = velocity.offset();
    if (wd == 0f && !nesterov) {
      // The common case as its own loop: fewer streams and no per-element branch.
      for (int i = from; i < to; i++) {
        float nv = momentum * v[vo + i] + g[go + i];
        v[vo + i] = nv;
        p[po + i] -= lr * nv;
      }
      return;
    }
    for (int i = from; i < to; i++) {
      float d = g[go + i] + wd * p[po + i];
      float nv = momentum * v[vo + i] + d;
      v[vo + i] = nv;
      p[po + i] -= lr * (nesterov ? d + momentum * nv : nv);
    }
  }

  static void adam(
      HostBuffer params,
      HostBuffer grads,
      HostBuffer m,
      HostBuffer v,
      int from,
      int to,
      float lr,
      float beta1,
      float beta2,
      float eps,
      float wd,
      float c1,
      float c2) {
    float[] p = params.array();
    float[] g = grads.array();
    float[] ma = m.array();
    float[] va = v.array();
    int po = params.offset();
    int go = grads.offset();
    int mo = m.offset();
    int vo = v.offset();
    float b1c = 1f - beta1;
    float b2c = 1f - beta2;
    for (int i = from; i < to; i++) {
      float gi = g[go + i];
      float mi = beta1 * ma[mo + i] + b1c * gi;
      float vi = beta2 * va[vo + i] + b2c * gi * gi;
      ma[mo + i] = mi;
      va[vo + i] = vi;
      float update = (mi / c1) / ((float) Math.sqrt(vi / c2) + eps);
      p[po + i] -= lr * (update + wd * p[po + i]);
    }
  }
}
