#include "gpu_fence.h"

#define GL_GLEXT_PROTOTYPES
#include <SDL_opengl.h>

void GpuFence::submitted(double now_ms) {
    if (sync_) return;
    sync_ = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
    at_ms_ = now_ms;
}

double GpuFence::poll(double now_ms) {
    if (!sync_) return -1;
    GLint status = GL_UNSIGNALED;
    glGetSynciv(static_cast<GLsync>(sync_), GL_SYNC_STATUS, 1, nullptr, &status);
    if (status != GL_SIGNALED) return -1;
    release();
    return now_ms - at_ms_;
}

void GpuFence::release() {
    if (sync_) glDeleteSync(static_cast<GLsync>(sync_));
    sync_ = nullptr;
}
