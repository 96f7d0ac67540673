// Kiln's CUDA backend kernels (dev.kiln.model.compute.cuda). Compiled ahead of time to PTX by
// build-ptx.sh; the PTX is checked in under src/main/resources so builds without nvcc work.
// Every kernel reduces in a fixed order, so results do not depend on launch timing.
// Activation codes follow dev.kiln.model.Activation's ordinals: 0 relu, 1 tanh, 2 sigmoid,
// 3 softmax, 4 linear.

#define ACT_RELU 0
#define ACT_TANH 1
#define ACT_SIGMOID 2
#define ACT_SOFTMAX 3
#define ACT_LINEAR 4

#define TILE_M 64
#define TILE_N 64
#define TILE_K 16

extern "C" {

// C = alpha * op(A) * op(B) + beta * C, row-major, op(A) m x k, op(B) k x n. Each 256-thread block
// computes a 64 x 64 tile of C, each thread a 4 x 4 sub-tile; k is walked in order, so every
// element's sum has a fixed order.
__global__ void sgemm(int transA, int transB, int m, int n, int k, float alpha,
                      const float* __restrict__ a, int lda, const float* __restrict__ b, int ldb,
                      float beta, float* __restrict__ c, int ldc) {
  __shared__ float as[TILE_K][TILE_M + 4];
  __shared__ float bs[TILE_K][TILE_N + 4];
  int tx = threadIdx.x % 16;
  int ty = threadIdx.x / 16;
  int row0 = blockIdx.y * TILE_M;
  int col0 = blockIdx.x * TILE_N;
  float acc[4][4];
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 4; j++) acc[i][j] = 0.f;
  for (int kk = 0; kk < k; kk += TILE_K) {
    for (int e = threadIdx.x; e < TILE_M * TILE_K; e += 256) {
      int r = e / TILE_K, q = e % TILE_K;
      int gr = row0 + r, gq = kk + q;
      float v = 0.f;
      if (gr < m && gq < k) v = transA ? a[(long)gq * lda + gr] : a[(long)gr * lda + gq];
      as[q][r] = v;
    }
    for (int e = threadIdx.x; e < TILE_K * TILE_N; e += 256) {
      int q = e / TILE_N, col = e % TILE_N;
      int gq = kk + q, gc = col0 + col;
      float v = 0.f;
      if (gq < k && gc < n) v = transB ? b[(long)gc * ldb + gq] : b[(long)gq * ldb + gc];
      bs[q][col] = v;
    }
    __syncthreads();
    for (int q = 0; q < TILE_K; q++) {
      float ar[4], br[4];
      for (int i = 0; i < 4; i++) ar[i] = as[q][ty + 16 * i];
      for (int j = 0; j < 4; j++) br[j] = bs[q][tx + 16 * j];
      for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) acc[i][j] = fmaf(ar[i], br[j], acc[i][j]);
    }
    __syncthreads();
  }
  for (int i = 0; i < 4; i++) {
    int r = row0 + ty + 16 * i;
    if (r >= m) continue;
    for (int j = 0; j < 4; j++) {
      int col = col0 + tx + 16 * j;
      if (col >= n) continue;
      long idx = (long)r * ldc + col;
      float v = alpha * acc[i][j];
      c[idx] = beta == 0.f ? v : v + beta * c[idx];
    }
  }
}

__device__ float activate(int act, float x) {
  switch (act) {
    case ACT_RELU: return fmaxf(x, 0.f);
    case ACT_TANH: return (float)tanh((double)x);
    case ACT_SIGMOID: return (float)(1.0 / (1.0 + exp(-(double)x)));
    default: return x;
  }
}

__device__ float derivative(int act, float y) {
  switch (act) {
    case ACT_RELU: return y > 0.f ? 1.f : 0.f;
    case ACT_TANH: return 1.f - y * y;
    case ACT_SIGMOID: return y * (1.f - y);
    default: return 1.f;
  }
}

// y[r][j] = act(y[r][j] + bias[j]) for elementwise activations; softmax adds the bias only.
__global__ void bias_activation(float* y, const float* bias, int rows, int cols, int act) {
  long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= (long)rows * cols) return;
  float v = y[i] + bias[i % cols];
  y[i] = act == ACT_SOFTMAX ? v : activate(act, v);
}

// out[i] = act(in[i]), elementwise activations.
__global__ void activation_forward(const float* in, float* out, long n, int act) {
  long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = activate(act, in[i]);
}

// g[i] *= act'(y[i]), elementwise activations.
__global__ void activation_gradient(const float* y, float* g, long n, int act) {
  long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) g[i] *= derivative(act, y[i]);
}

// Softmax of each row in place, one thread per row, shifted by the row maximum.
__global__ void softmax_rows(float* z, int rows, int cols) {
  int r = blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  float* row = z + (long)r * cols;
  float mx = -INFINITY;
  for (int j = 0; j < cols; j++) mx = fmaxf(mx, row[j]);
  double sum = 0;
  for (int j = 0; j < cols; j++) {
    float e = (float)exp((double)(row[j] - mx));
    row[j] = e;
    sum += e;
  }
  float inv = (float)(1.0 / sum);
  for (int j = 0; j < cols; j++) row[j] *= inv;
}

// Softmax backward in place: g = y * (g - sum(g * y)) per row.
__global__ void softmax_backward(const float* y, float* g, int rows, int cols) {
  int r = blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  const float* yr = y + (long)r * cols;
  float* gr = g + (long)r * cols;
  double dot = 0;
  for (int j = 0; j < cols; j++) dot += (double)gr[j] * yr[j];
  float d = (float)dot;
  for (int j = 0; j < cols; j++) gr[j] = yr[j] * (gr[j] - d);
}

// sums[j] = sum over rows of z[r][j], rows in order.
__global__ void column_sums(const float* z, float* sums, int rows, int cols) {
  int j = blockIdx.x * blockDim.x + threadIdx.x;
  if (j >= cols) return;
  float s = 0.f;
  for (int r = 0; r < rows; r++) s += z[(long)r * cols + j];
  sums[j] = s;
}

__device__ unsigned long long mix64(unsigned long long z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Inverted dropout; the mask bit is the same SplitMix64 hash of (key, rowId, column) as the CPU's.
__global__ void dropout_forward(const float* in, float* mask, float* out, int rows, int cols,
                                float rate, unsigned long long key, const long long* row_ids) {
  long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= (long)rows * cols) return;
  int r = (int)(i / cols);
  int j = (int)(i % cols);
  const unsigned long long golden = 0x9E3779B97F4A7C15ULL;
  unsigned long long row_seed = mix64(key ^ mix64((unsigned long long)row_ids[r] + golden));
  unsigned long long h = mix64(row_seed + (unsigned long long)(j + 1) * golden);
  float u = (float)(h >> 40) * 5.9604645e-8f;  // 2^-24
  float keep = 1.f / (1.f - rate);
  float mv = u < rate ? 0.f : keep;
  mask[i] = mv;
  out[i] = in[i] * mv;
}

// target[i] *= factor[i].
__global__ void multiply(float* target, const float* factor, long n) {
  long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) target[i] *= factor[i];
}

// Cross entropy over softmax outputs with integer labels, one thread per row: row_loss[r] is
// -log p[label] from the logits (or -1 - r for a label that is not a class index), g = scale*(p - 1hot).
__global__ void cross_entropy(const float* z, const float* p, const float* t, int rows, int cols,
                              float scale, float* g, double* row_loss) {
  int r = blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  float tv = t[r];
  int label = (int)tv;
  if ((float)label != tv || label < 0 || label >= cols) {
    row_loss[r] = -1.0 - r;
    return;
  }
  const float* zr = z + (long)r * cols;
  float mx = -INFINITY;
  for (int j = 0; j < cols; j++) mx = fmaxf(mx, zr[j]);
  double sum = 0;
  for (int j = 0; j < cols; j++) sum += exp((double)(zr[j] - mx));
  row_loss[r] = log(sum) + mx - zr[label];
  for (int j = 0; j < cols; j++) {
    long i = (long)r * cols + j;
    float d = j == label ? p[i] - 1.f : p[i];
    g[i] = scale * d;
  }
}

// Binary cross entropy over sigmoid outputs, one thread per row; g = scale/cols * (p - y).
__global__ void binary_cross_entropy(const float* z, const float* p, const float* t, int rows,
                                     int cols, float scale, float* g, double* row_loss) {
  int r = blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  float s = scale / cols;
  double row = 0;
  for (int j = 0; j < cols; j++) {
    long i = (long)r * cols + j;
    double x = z[i];
    double y = t[i];
    row += fmax(x, 0.0) - x * y + log1p(exp(-fabs(x)));
    g[i] = s * (p[i] - t[i]);
  }
  row_loss[r] = row / cols;
}

// Mean squared error, one thread per row; g = 2*scale/cols * (y - t), through the activation
// (elementwise here; softmax_backward follows for softmax outputs).
__global__ void mean_squared_error(const float* y, const float* t, int rows, int cols, float scale,
                                   int act, float* g, double* row_loss) {
  int r = blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  float s = 2.f * scale / cols;
  double row = 0;
  for (int j = 0; j < cols; j++) {
    long i = (long)r * cols + j;
    float d = y[i] - t[i];
    row += (double)d * d;
    float gi = s * d;
    g[i] = act == ACT_SOFTMAX ? gi : gi * derivative(act, y[i]);
  }
  row_loss[r] = row / cols;
}

// SGD as PyTorch defines it (see ComputeBackend.sgdStep); v is unused when momentum == 0.
__global__ void sgd_step(float* p, const float* g, float* v, long n, float lr, float momentum,
                         int nesterov, float wd) {
  long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  float d = g[i] + wd * p[i];
  if (momentum == 0.f) {
    p[i] -= lr * d;
    return;
  }
  float nv = momentum * v[i] + d;
  v[i] = nv;
  p[i] -= lr * (nesterov ? d + momentum * nv : nv);
}

// Adam with decoupled weight decay (see ComputeBackend.adamStep).
__global__ void adam_step(float* p, const float* g, float* m, float* v, long n, float lr,
                          float beta1, float beta2, float eps, float wd, float c1, float c2) {
  long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  float gi = g[i];
  float mi = beta1 * m[i] + (1.f - beta1) * gi;
  float vi = beta2 * v[i] + (1.f - beta2) * gi * gi;
  m[i] = mi;
  v[i] = vi;
  float update = (mi / c1) / (sqrtf(vi / c2) + eps);
  p[i] -= lr * (update + wd * p[i]);
}

}  // extern "C"
