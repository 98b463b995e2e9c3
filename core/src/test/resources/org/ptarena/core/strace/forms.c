#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <pthread.h>
#include <string.h>
#include <stdint.h>
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
static void *worker(void *p) { char *m = mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0); m[0] = 1; munmap(m, 8192); return p; }
int main(void) {
    mmap(NULL, (size_t)1 << 46, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0); /* ENOMEM */
    char *a = mmap(NULL, 5 * 4096 + 100, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
    memset(a, 1, 5 * 4096);
    mmap(a + 4096, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0); /* replaces */
    mprotect(a, 4096, PROT_NONE);
    mprotect(a, 4096, PROT_READ|PROT_WRITE);
    char *r = mmap(NULL, 1 << 20, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0);
    mprotect(r, 65536, PROT_READ|PROT_WRITE);
    char *g = mremap(a + 3 * 4096, 2 * 4096, 3 * 4096, 0); (void) g; /* grow in place or fail */
    char *m = mremap(a, 4096, 16384, MREMAP_MAYMOVE);
    char *f = mremap(m, 16384, 16384, MREMAP_MAYMOVE | MREMAP_FIXED, r + (1 << 19));
    mremap(f, 16384, 16384, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
    mremap(f, 16384, 4096, 0); /* shrink */
    madvise(r, 65536, MADV_DONTNEED);
    madvise(r, 65536, MADV_DONTFORK);
    void *top = sbrk(0); sbrk(65536); memset(top, 2, 65536); sbrk(-32768);
    pthread_t t; pthread_create(&t, NULL, worker, NULL); pthread_join(t, NULL);
    pid_t c = fork(); if (c == 0) { mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0); _exit(0); }
    waitpid(c, NULL, 0);
    pid_t v = vfork(); if (v == 0) { execl("/bin/true", "true", (char *) 0); _exit(1); }
    waitpid(v, NULL, 0);
    munmap(r, 1 << 20);
    return 0;
}
