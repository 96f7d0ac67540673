/*
 * nccl-jni: Kiln's JNI binding to NCCL (dev.kiln.worker.nccl.NcclNative).
 *
 * NCCL and the CUDA driver are opened with dlopen at run time, so the build needs neither's headers
 * or libraries: the few types and entry points used are declared below, as nccl.h and cuda.h define
 * them (their ABI is stable). Every failure becomes a dev.kiln.worker.nccl.NcclException carrying
 * the library's own error text; nothing native escapes as a crash or a bare error code.
 */
#include <dlfcn.h>
#include <jni.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev_kiln_worker_nccl_NcclNative.h"

/* ---- nccl.h, as far as used ---- */
typedef struct ncclComm* ncclComm_t;
typedef struct { char internal[128]; } ncclUniqueId;
typedef int ncclResult_t; /* ncclSuccess = 0 */
typedef void* cudaStream_t;

static ncclResult_t (*p_ncclGetVersion)(int*);
static ncclResult_t (*p_ncclGetUniqueId)(ncclUniqueId*);
static ncclResult_t (*p_ncclCommInitRank)(ncclComm_t*, int, ncclUniqueId, int);
static ncclResult_t (*p_ncclCommDestroy)(ncclComm_t);
static ncclResult_t (*p_ncclCommAbort)(ncclComm_t);
static ncclResult_t (*p_ncclCommGetAsyncError)(ncclComm_t, ncclResult_t*);
static const char* (*p_ncclGetErrorString)(ncclResult_t);
static const char* (*p_ncclGetLastError)(ncclComm_t); /* optional: NCCL >= 2.13 */
static ncclResult_t (*p_ncclAllReduce)(const void*, void*, size_t, int, int, ncclComm_t,
                                       cudaStream_t);
static ncclResult_t (*p_ncclBroadcast)(const void*, void*, size_t, int, int, ncclComm_t,
                                       cudaStream_t);

/* ---- cuda.h (driver API), as far as used ---- */
typedef int CUresult; /* CUDA_SUCCESS = 0 */
typedef unsigned long long CUdeviceptr;
typedef void* CUcontext;
typedef void* CUstream;

static CUresult (*p_cuInit)(unsigned int);
static CUresult (*p_cuDeviceGetCount)(int*);
static CUresult (*p_cuDeviceGet)(int*, int);
static CUresult (*p_cuDevicePrimaryCtxRetain)(CUcontext*, int);
static CUresult (*p_cuDevicePrimaryCtxRelease)(int);
static CUresult (*p_cuCtxSetCurrent)(CUcontext);
static CUresult (*p_cuMemAlloc)(CUdeviceptr*, size_t);
static CUresult (*p_cuMemFree)(CUdeviceptr);
static CUresult (*p_cuMemcpyHtoD)(CUdeviceptr, const void*, size_t);
static CUresult (*p_cuMemcpyDtoH)(void*, CUdeviceptr, size_t);
static CUresult (*p_cuStreamCreate)(CUstream*, unsigned int);
static CUresult (*p_cuStreamSynchronize)(CUstream);
static CUresult (*p_cuStreamDestroy)(CUstream);
static CUresult (*p_cuGetErrorString)(CUresult, const char**);

static void* nccl_handle;
static void* cuda_handle;

static void throw_nccl(JNIEnv* env, const char* fmt, ...) {
  char msg[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  jclass cls = (*env)->FindClass(env, "dev/kiln/worker/nccl/NcclException");
  if (cls != NULL) {
    (*env)->ThrowNew(env, cls, msg);
  }
}

/* Appends "path (why)" to a growing list of what was searched. */
static void note(char* list, size_t cap, const char* path, const char* why) {
  size_t used = strlen(list);
  snprintf(list + used, cap - used, "%s%s (%s)", used ? "; " : "", path, why ? why : "?");
}

#define SYM(handle, var, name, required)                                             \
  do {                                                                               \
    *(void**)(&var) = dlsym(handle, name);                                           \
    if ((required) && var == NULL) {                                                 \
      throw_nccl(env, "%s has no symbol %s: it is not a usable library", path, name); \
      dlclose(handle);                                                               \
      return NULL;                                                                   \
    }                                                                                \
  } while (0)

static int nccl_ok(JNIEnv* env, ncclResult_t r, const char* what, ncclComm_t comm) {
  if (r == 0) {
    return 1;
  }
  const char* last = comm != NULL && p_ncclGetLastError != NULL ? p_ncclGetLastError(comm) : NULL;
  throw_nccl(env, "%s failed: %s (ncclResult %d)%s%s", what, p_ncclGetErrorString(r), r,
             last && *last ? ": " : "", last && *last ? last : "");
  return 0;
}

static int cuda_ok(JNIEnv* env, CUresult r, const char* what) {
  if (r == 0) {
    return 1;
  }
  const char* text = NULL;
  if (p_cuGetErrorString == NULL || p_cuGetErrorString(r, &text) != 0 || text == NULL) {
    text = "unknown error";
  }
  throw_nccl(env, "%s failed: %s (CUresult %d)", what, text, r);
  return 0;
}

static const char* opened(JNIEnv* env, void* handle, const char* path) {
  SYM(handle, p_ncclGetVersion, "ncclGetVersion", 1);
  SYM(handle, p_ncclGetUniqueId, "ncclGetUniqueId", 1);
  SYM(handle, p_ncclCommInitRank, "ncclCommInitRank", 1);
  SYM(handle, p_ncclCommDestroy, "ncclCommDestroy", 1);
  SYM(handle, p_ncclCommAbort, "ncclCommAbort", 1);
  SYM(handle, p_ncclCommGetAsyncError, "ncclCommGetAsyncError", 1);
  SYM(handle, p_ncclGetErrorString, "ncclGetErrorString", 1);
  SYM(handle, p_ncclAllReduce, "ncclAllReduce", 1);
  SYM(handle, p_ncclBroadcast, "ncclBroadcast", 1);
  SYM(handle, p_ncclGetLastError, "ncclGetLastError", 0);
  nccl_handle = handle;
  return path;
}

JNIEXPORT jstring JNICALL Java_dev_kiln_worker_nccl_NcclNative_loadNccl(JNIEnv* env, jclass cls,
                                                                         jobjectArray candidates) {
  (void)cls;
  if (nccl_handle != NULL) {
    return NULL; /* already loaded: the Java side remembers where from */
  }
  char searched[8192] = "";
  jsize n = (*env)->GetArrayLength(env, candidates);
  for (jsize i = 0; i < n; i++) {
    jstring js = (jstring)(*env)->GetObjectArrayElement(env, candidates, i);
    const char* path = (*env)->GetStringUTFChars(env, js, NULL);
    void* h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    if (h != NULL) {
      const char* ok = opened(env, h, path);
      jstring result = ok ? (*env)->NewStringUTF(env, path) : NULL;
      (*env)->ReleaseStringUTFChars(env, js, path);
      return result;
    }
    note(searched, sizeof searched, path, dlerror());
    (*env)->ReleaseStringUTFChars(env, js, path);
  }
  throw_nccl(env,
             "NCCL (libnccl.so.2) could not be loaded; searched: %s. Set KILN_NCCL_LIB to the"
             " library (or its folder), or install NCCL (pip install nvidia-nccl-cu12 or PyTorch"
             " brings one)",
             searched);
  return NULL;
}

JNIEXPORT void JNICALL Java_dev_kiln_worker_nccl_NcclNative_loadCuda(JNIEnv* env, jclass cls) {
  (void)cls;
  if (cuda_handle != NULL) {
    return;
  }
  const char* path = "libcuda.so.1";
  void* h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
  if (h == NULL) {
    throw_nccl(env, "the NVIDIA driver (libcuda.so.1) could not be loaded: %s", dlerror());
    return;
  }
#undef SYM
#define SYM(handle, var, name, required)                                             \
  do {                                                                               \
    *(void**)(&var) = dlsym(handle, name);                                           \
    if (var == NULL) {                                                               \
      throw_nccl(env, "%s has no symbol %s: the NVIDIA driver is too old", path, name); \
      dlclose(handle);                                                               \
      return;                                                                        \
    }                                                                                \
  } while (0)
  SYM(h, p_cuInit, "cuInit", 1);
  SYM(h, p_cuDeviceGetCount, "cuDeviceGetCount", 1);
  SYM(h, p_cuDeviceGet, "cuDeviceGet", 1);
  SYM(h, p_cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain", 1);
  SYM(h, p_cuDevicePrimaryCtxRelease, "cuDevicePrimaryCtxRelease_v2", 1);
  SYM(h, p_cuCtxSetCurrent, "cuCtxSetCurrent", 1);
  SYM(h, p_cuMemAlloc, "cuMemAlloc_v2", 1);
  SYM(h, p_cuMemFree, "cuMemFree_v2", 1);
  SYM(h, p_cuMemcpyHtoD, "cuMemcpyHtoD_v2", 1);
  SYM(h, p_cuMemcpyDtoH, "cuMemcpyDtoH_v2", 1);
  SYM(h, p_cuStreamCreate, "cuStreamCreate", 1);
  SYM(h, p_cuStreamSynchronize, "cuStreamSynchronize", 1);
  SYM(h, p_cuStreamDestroy, "cuStreamDestroy_v2", 1);
  SYM(h, p_cuGetErrorString, "cuGetErrorString", 1);
  cuda_handle = h;
}

JNIEXPORT jint JNICALL Java_dev_kiln_worker_nccl_NcclNative_version(JNIEnv* env, jclass cls) {
  (void)cls;
  int v = 0;
  nccl_ok(env, p_ncclGetVersion(&v), "ncclGetVersion", NULL);
  return v;
}

JNIEXPORT jbyteArray JNICALL Java_dev_kiln_worker_nccl_NcclNative_uniqueId(JNIEnv* env,
                                                                           jclass cls) {
  (void)cls;
  ncclUniqueId id;
  if (!nccl_ok(env, p_ncclGetUniqueId(&id), "ncclGetUniqueId", NULL)) {
    return NULL;
  }
  jbyteArray out = (*env)->NewByteArray(env, sizeof id.internal);
  if (out != NULL) {
    (*env)->SetByteArrayRegion(env, out, 0, sizeof id.internal, (const jbyte*)id.internal);
  }
  return out;
}

JNIEXPORT jlong JNICALL Java_dev_kiln_worker_nccl_NcclNative_commInitRank(JNIEnv* env, jclass cls,
                                                                          jint nranks,
                                                                          jbyteArray id,
                                                                          jint rank) {
  (void)cls;
  ncclUniqueId uid;
  if ((*env)->GetArrayLength(env, id) != (jsize)sizeof uid.internal) {
    throw_nccl(env, "a unique id has %d bytes, got %d", (int)sizeof uid.internal,
               (int)(*env)->GetArrayLength(env, id));
    return 0;
  }
  (*env)->GetByteArrayRegion(env, id, 0, sizeof uid.internal, (jbyte*)uid.internal);
  ncclComm_t comm = NULL;
  if (!nccl_ok(env, p_ncclCommInitRank(&comm, nranks, uid, rank), "ncclCommInitRank", NULL)) {
    return 0;
  }
  return (jlong)(intptr_t)comm;
}

JNIEXPORT void JNICALL Java_dev_kiln_worker_nccl_NcclNative_allReduce(
    JNIEnv* env, jclass cls, jlong comm, jlong send, jlong recv, jlong count, jint dtype, jint op,
    jlong stream) {
  (void)cls;
  ncclComm_t c = (ncclComm_t)(intptr_t)comm;
  nccl_ok(env,
          p_ncclAllReduce((const void*)(intptr_t)send, (void*)(intptr_t)recv, (size_t)count, dtype,
                          op, c, (cudaStream_t)(intptr_t)stream),
          "ncclAllReduce", c);
}

JNIEXPORT void JNICALL Java_dev_kiln_worker_nccl_NcclNative_broadcast(
    JNIEnv* env, jclass cls, jlong comm, jlong send, jlong recv, jlong count, jint dtype,
    jint root, jlong stream) {
  (void)cls;
  ncclComm_t c = (ncclComm_t)(intptr_t)comm;
  nccl_ok(env,
          p_ncclBroadcast((const void*)(intptr_t)send, (void*)(intptr_t)recv, (size_t)count, dtype,
                          root, c, (cudaStream_t)(intptr_t)stream),
          "ncclBroadcast", c);
}

JNIEXPORT jstring JNICALL Java_dev_kiln_worker_nccl_NcclNative_asyncError(JNIEnv* env,
                                                                          jclass cls,
                                                                          jlong comm) {
  (void)cls;
  ncclResult_t state = 0;
  ncclComm_t c = (ncclComm_t)(intptr_t)comm;
  if (!nccl_ok(env, p_ncclCommGetAsyncError(c, &state), "ncclCommGetAsyncError", c)) {
    return NULL;
  }
  /* ncclInProgress (7) means still initialising, not an error */
  return state == 0 || state == 7 ? NULL : (*env)->NewStringUTF(env, p_ncclGetErrorString(state));
}

JNIEXPORT void JNICALL Java_dev_kiln_worker_nccl_NcclNative_commAbort(JNIEnv* env, jclass cls,
                                                                      jlong comm) {
  (void)cls;
  nccl_ok(env, p_ncclCommAbort((ncclComm_t)(intptr_t)comm), "ncclCommAbort", NULL);
}

JNIEXPORT void JNICALL Java_dev_kiln_worker_nccl_NcclNative_commDestroy(JNIEnv* env, jclass cls,
                                                                        jlong comm) {
  (void)cls;
  nccl_ok(env, p_ncclCommDestroy((ncclComm_t)(intptr_t)comm), "ncclCommDestroy", NULL);
}

JNIEXPORT jint JNICALL Java_dev_kiln_worker_nccl_NcclNative_deviceCount(JNIEnv* env, jclass cls) {
  (void)cls;
  int n = 0;
  if (!cuda_ok(env, p_cuInit(0), "cuInit") ||
      !cuda_ok(env, p_cuDeviceGetCount(&n), "cuDeviceGetCount")) {
    return 0;
  }
  return n;
}

JNIEXPORT jlong JNICALL Java_dev_kiln_worker_nccl_NcclNative_retainContext(JNIEnv* env,
                                                                           jclass cls,
                                                                           jint device) {
  (void)cls;
  int dev = 0;
  CUcontext ctx = NULL;
  if (!cuda_ok(env, p_cuInit(0), "cuInit") || !cuda_ok(env, p_cuDeviceGet(&dev, device), "cuDeviceGet") ||
      !cuda_ok(env, p_cuDevicePrimaryCtxRetain(&ctx, dev), "cuDevicePrimaryCtxRetain") ||
      !cuda_ok(env, p_cuCtxSetCurrent(ctx), "cuCtxSetCurrent")) {
    return 0;
  }
  return (jlong)(intptr_t)ctx;
}

JNIEXPORT void JNICALL Java_dev_kiln_worker_nccl_NcclNative_releaseContext(JNIEnv* env,
                                                                           jclass cls,
                                                                           jint device) {
  (void)cls;
  int dev = 0;
  if (cuda_ok(env, p_cuDeviceGet(&dev, device), "cuDeviceGet")) {
    cuda_ok(env, p_cuDevicePrimaryCtxRelease(dev), "cuDevicePrimaryCtxRelease");
  }
}

JNIEXPORT void JNICALL Java_dev_kiln_worker_nccl_NcclNative_setCurrent(JNIEnv* env, jclass cls,
                                                                       jlong ctx) {
  (void)cls;
  cuda_ok(env, p_cuCtxSetCurrent((CUcontext)(intptr_t)ctx), "cuCtxSetCurrent");
}

JNIEXPORT jlong JNICALL Java_dev_kiln_worker_nccl_NcclNative_memAlloc(JNIEnv* env, jclass cls,
                                                                      jlong bytes) {
  (void)cls;
  CUdeviceptr p = 0;
  return cuda_ok(env, p_cuMemAlloc(&p, (size_t)bytes), "cuMemAlloc") ? (jlong)p : 0;
}

JNIEXPORT void JNICALL Java_dev_kiln_worker_nccl_NcclNative_memFree(JNIEnv* env, jclass cls,
                                                                    jlong ptr) {
  (void)cls;
  cuda_ok(env, p_cuMemFree((CUdeviceptr)ptr), "cuMemFree");
}

/* Copies between a Java primitive array (float[] or byte[]) and device memory. */
static void copy(JNIEnv* env, jarray array, jlong byteOffset, jlong bytes, jlong device,
                 int toDevice) {
  void* host = (*env)->GetPrimitiveArrayCritical(env, array, NULL);
  if (host == NULL) {
    throw_nccl(env, "could not pin a Java array for a copy");
    return;
  }
  CUresult r = toDevice ? p_cuMemcpyHtoD((CUdeviceptr)device, (char*)host + byteOffset, bytes)
                        : p_cuMemcpyDtoH((char*)host + byteOffset, (CUdeviceptr)device, bytes);
  (*env)->ReleasePrimitiveArrayCritical(env, array, host, toDevice ? JNI_ABORT : 0);
  cuda_ok(env, r, toDevice ? "cuMemcpyHtoD" : "cuMemcpyDtoH");
}

JNIEXPORT void JNICALL Java_dev_kiln_worker_nccl_NcclNative_copyToDevice(
    JNIEnv* env, jclass cls, jlong device, jobject src, jlong byteOffset, jlong bytes) {
  (void)cls;
  copy(env, (jarray)src, byteOffset, bytes, device, 1);
}

JNIEXPORT void JNICALL Java_dev_kiln_worker_nccl_NcclNative_copyToHost(
    JNIEnv* env, jclass cls, jobject dst, jlong byteOffset, jlong bytes, jlong device) {
  (void)cls;
  copy(env, (jarray)dst, byteOffset, bytes, device, 0);
}

JNIEXPORT jlong JNICALL Java_dev_kiln_worker_nccl_NcclNative_streamCreate(JNIEnv* env,
                                                                          jclass cls) {
  (void)cls;
  CUstream s = NULL;
  return cuda_ok(env, p_cuStreamCreate(&s, 0 /* ordered after the default-stream copies */), "cuStreamCreate")
             ? (jlong)(intptr_t)s
             : 0;
}

JNIEXPORT void JNICALL Java_dev_kiln_worker_nccl_NcclNative_streamSynchronize(JNIEnv* env,
                                                                              jclass cls,
                                                                              jlong stream) {
  (void)cls;
  cuda_ok(env, p_cuStreamSynchronize((CUstream)(intptr_t)stream), "cuStreamSynchronize");
}

JNIEXPORT void JNICALL Java_dev_kiln_worker_nccl_NcclNative_streamDestroy(JNIEnv* env,
                                                                          jclass cls,
                                                                          jlong stream) {
  (void)cls;
  cuda_ok(env, p_cuStreamDestroy((CUstream)(intptr_t)stream), "cuStreamDestroy");
}
